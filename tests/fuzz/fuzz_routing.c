/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * libFuzzer target: the route-map rule loader. A rule file it accepts must also survive the
 * engine over a spread of inputs and the JSON with texts, since both trust what the loader
 * checked; and the engine's invariants (crisis first on a red flag, L1 before L2/L3) must hold
 * for whatever the file says.
 */
#include "core/compat.h"

#include "core/sec.h"
#include "routing/routing.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return sec_init() == ERR_OK ? 0 : 1;
}

static const char *const stressors[] = {"housing", "money", "procedure", "family", NULL};

static void check_invariants(const struct route_input *in, const struct route_result *res)
{
    bool l1 = false;
    if (in->red_flag && (res->n_levels == 0 || res->levels[0].level != RL_CRISIS)) {
        __builtin_trap();
    }
    for (int i = 0; i < res->n_levels; i++) {
        l1 |= res->levels[i].level == RL_L1;
        if ((res->levels[i].level == RL_L2 || res->levels[i].level == RL_L3) && !l1) {
            __builtin_trap();
        }
    }
}

static void exercise(const struct route_rules *r)
{
    for (int k = 0; k < 64; k++) {
        struct route_input in;
        struct route_result res;
        json_t *j;
        memset(&in, 0, sizeof(in));
        in.band = (enum route_band)(k % RB_COUNT);
        in.red_flag = k & 4;
        in.age_group = (k >> 3) % 4 - 1;
        in.phase = (k >> 4) & 1;
        in.function_impaired = k & 8;
        in.persistent = k & 16;
        in.wishes = (uint32_t)k & 0x1f;
        in.risks = (uint32_t)k & 0x1f;
        for (int s = 0; s < (k % 5) && stressors[s]; s++) {
            snprintf(in.stressors[in.n_stressors++], ROUTE_ID_MAX + 1, "%s", stressors[s]);
        }
        route_decide(r, &in, &res);
        check_invariants(&in, &res);
        j = route_result_json(r, &res);
        route_texts_add(r, j, "ar");
        json_decref(j);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct route_rules *r = NULL;
    struct verr v = {0};
    if (route_load_bytes((const char *)data, size, stressors, &r, &v) == ERR_OK) {
        exercise(r);
        route_rules_free(r);
    }
    return 0;
}
