/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Route-map advice benchmark (issue 6): the time to compute one advice on a region of 100,000
 * services. Reuses the social-map benchmark's generator and loader as they are (bench_map.c is
 * compiled into this file, its main renamed), then times route_compute() - the engine's decision
 * plus the map search and fit ranking of every recommended level and stressor offer, as
 * POST /api/v1/clients/{id}/route runs them - for a spread of client situations, in a read
 * transaction, printing median and p99. See bench/route/README.md.
 */
#define main vk_bench_map_main
int vk_bench_map_main(int argc, char **argv);
#include "../map/bench_map.c"
#undef main

#include "routing/routing.h"

struct profile {
    const char *label;
    enum route_band band;
    bool red_flag;
    int age_group, phase, age;
    bool impaired, persistent;
    uint32_t wishes;
    const char *lang;
    int n_stressors;
};

static const char *const bench_stressors[] = {"housing", "money", "procedure", "family"};

static const struct profile profiles[] = {
    {"medium, COA, Arabic", RB_MEDIUM, false, RA_ADULT, RP_COA, 30, false, false, 0, "ar", 2},
    {"medium + persistent, 3 stressors", RB_MEDIUM, false, RA_ADULT, RP_MUNICIPALITY, 41, false,
     true, 0, "ti", 3},
    {"high, municipality, Tigrinya", RB_HIGH, false, RA_ADULT, RP_MUNICIPALITY, 25, false, false, 0,
     "ti", 0},
    {"red flag + high", RB_HIGH, true, RA_ADULT, RP_COA, 35, true, false, 0, "fa", 1},
    {"child medium, wishes group+women", RB_MEDIUM, false, RA_CHILD, RP_COA, 9, false, false,
     RW_GROUP | RW_WOMEN_ONLY, "ar", 4},
    {"low, Dutch", RB_LOW, false, RA_ADULT, RP_MUNICIPALITY, 60, false, false, 0, "nl", 0},
};

static void make(const struct profile *p, struct route_input *in)
{
    memset(in, 0, sizeof(*in));
    in->band = p->band;
    in->red_flag = p->red_flag;
    in->age_group = p->age_group;
    in->phase = p->phase;
    in->function_impaired = p->impaired;
    in->persistent = p->persistent;
    in->wishes = p->wishes;
    for (int i = 0; i < p->n_stressors; i++) {
        snprintf(in->stressors[in->n_stressors++], ROUTE_ID_MAX + 1, "%s", bench_stressors[i]);
    }
}

static enum err advise_once(struct store_conn *c, const struct route_rules *r,
                            const struct profile *p, size_t *matches)
{
    struct route_input in;
    struct route_request req = {p->wishes, -1, -1, false, 0, 0, NULL};
    json_t *out = NULL, *x;
    size_t i;
    enum err rc = store_begin(c, false);
    make(p, &in);
    rc = rc ? rc : route_compute(c, r, &in, &req, p->lang, p->age, &out);
    store_rollback(c);
    *matches = 0;
    json_array_foreach(json_object_get(out, "levels"), i, x)
    {
        *matches += json_array_size(json_object_get(x, "matches"));
    }
    json_decref(out);
    return rc;
}

static enum err time_profile(struct store_conn *c, const struct route_rules *r,
                             const struct profile *p, int runs, double *all, int *nall)
{
    double *t = calloc((size_t)runs, sizeof(*t));
    size_t matches = 0;
    enum err rc = advise_once(c, r, p, &matches); /* warm-up */
    for (int i = 0; !rc && i < runs; i++) {
        double t0 = now_s();
        rc = advise_once(c, r, p, &matches);
        t[i] = (now_s() - t0) * 1000.0;
        all[(*nall)++] = t[i];
    }
    if (!rc) {
        qsort(t, (size_t)runs, sizeof(*t), dbl_cmp);
        printf("| %-34s | %5zu | %8.1f | %8.1f |\n", p->label, matches, t[runs / 2],
               t[(runs * 99) / 100 < runs ? (runs * 99) / 100 : runs - 1]);
    }
    free(t);
    return rc;
}

static enum err run_advice(struct store_conn *c, int runs)
{
    struct route_rules *r = NULL;
    struct verr v = {0};
    double *all = calloc(ARRAY_SIZE(profiles) * (size_t)runs, sizeof(*all)), t0;
    int nall = 0;
    size_t m;
    enum err rc = route_load_default(&r, &v);
    t0 = now_s();
    rc = rc ? rc : advise_once(c, r, &profiles[0], &m);
    printf("first advice (builds the in-memory map index): %.0f ms\n\n", (now_s() - t0) * 1000);
    printf("| client situation | matches | median ms | p99 ms |\n|---|---|---|---|\n");
    for (size_t i = 0; !rc && i < ARRAY_SIZE(profiles); i++) {
        rc = time_profile(c, r, &profiles[i], runs, all, &nall);
    }
    if (!rc) {
        qsort(all, (size_t)nall, sizeof(*all), dbl_cmp);
        printf("| %-34s | %5s | %8.1f | %8.1f |\n", "all situations", "", all[nall / 2],
               all[(nall * 99) / 100]);
    }
    route_rules_free(r);
    free(all);
    return rc;
}

int main(int argc, char **argv)
{
    return bench_main(argc, argv, "vk_bench_route", "/tmp/vk-bench-route.db", run_advice);
}
