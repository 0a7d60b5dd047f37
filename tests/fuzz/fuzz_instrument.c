/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * libFuzzer target: the instrument loader. A definition it accepts must also survive scoring,
 * the localised view and the FHIR export, since all of them trust what the loader checked.
 */
#include "core/compat.h"

#include "core/sec.h"
#include "fhir/fhir.h"
#include "screening/screening.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return sec_init() == ERR_OK ? 0 : 1;
}

static void exercise(const struct screen_instrument *in)
{
    struct screen_answers a;
    struct screen_result r;
    struct verr v = {0};
    json_t *out = NULL;

    memset(&a, 0, sizeof(a));
    for (int i = 0; i < in->n_items; i++) {
        a.given[i] = screen_item_shown(in, &a, i);
        a.value[i] = in->sets[in->items[i].set].min;
    }
    screen_answers_check(in, &a, &v);
    screen_score(in, &a, &r);
    out = screen_view_localised(in, "nl", NULL, NULL);
    json_decref(out);
    if (fhir_questionnaire(in, &out) == ERR_OK) {
        json_decref(out);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct screen_instrument *in = NULL;
    struct verr v = {0};
    if (screen_load_bytes((const char *)data, size, &in, &v) == ERR_OK) {
        exercise(in);
        screen_free(in);
    }
    return 0;
}
