/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The route map, table-driven: every default rule, the red-flag override, children and youth,
 * stressor offers, no direct jump to specialist care (over every combination of inputs), the
 * engine's own re-check of the invariants, the fit score (phase differences in cost, language,
 * capacity), and malformed rule files rejected with the JSON pointer of the problem.
 */
#include "core/compat.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "core/embed.h"
#include "routing/routing.h"
#include "screening/screening.h"

static struct route_rules *rules; /* the default rules, loaded once */

static int setup(void **state)
{
    struct verr v = {0};
    (void)state;
    return route_load_default(&rules, &v) ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    route_rules_free(rules);
    return 0;
}

/* ---- the engine on the default rules ------------------------------------------------------ */

struct engine_case {
    const char *name;
    enum route_band band;
    bool red_flag;
    int age; /* enum route_age */
    int phase;
    bool impaired, persistent;
    int n_stressors;
    const char *levels;  /* expected, comma separated, in order */
    const char *urgency; /* expected */
    const char *fired;   /* expected rule ids, comma separated */
    bool with_parent;
};

static const char *const some_stressors[] = {"procedure", "housing", "family", "money"};

static const struct engine_case engine_cases[] = {
    {"red flag goes above high", RB_HIGH, true, RA_ADULT, RP_COA, false, false, 0, "crisis,L1,L0",
     "now", "red_flag,high", false},
    {"red flag without screening", RB_NONE, true, RA_ADULT, RP_COA, false, false, 0, "crisis",
     "now", "red_flag", false},
    {"red flag with low band", RB_LOW, true, RA_ADULT, RP_MUNICIPALITY, false, false, 0,
     "crisis,L0", "now", "red_flag,low", false},
    {"high: L1 this week plus L0", RB_HIGH, false, RA_ADULT, RP_COA, false, false, 0, "L1,L0",
     "this_week", "high", false},
    {"medium: L0 only", RB_MEDIUM, false, RA_ADULT, RP_COA, false, false, 0, "L0", "soon", "medium",
     false},
    {"medium persistent: L1 too", RB_MEDIUM, false, RA_ADULT, RP_COA, false, true, 0, "L0,L1",
     "soon", "medium,medium_persistent", false},
    {"medium impaired: L1 too", RB_MEDIUM, false, RA_ADULT, RP_MUNICIPALITY, true, false, 0,
     "L0,L1", "soon", "medium,medium_impaired", false},
    {"medium with 3 stressors: L1 too", RB_MEDIUM, false, RA_ADULT, RP_COA, false, false, 3,
     "L0,L1", "soon", "medium,medium_stressors", false},
    {"medium with 2 stressors: L0 only", RB_MEDIUM, false, RA_ADULT, RP_COA, false, false, 2, "L0",
     "soon", "medium", false},
    {"low: L0 when ready", RB_LOW, false, RA_ADULT, RP_COA, false, false, 0, "L0", "when_ready",
     "low", false},
    {"no screening yet", RB_NONE, false, RA_ADULT, RP_COA, false, false, 0, "L0", "when_ready",
     "no_screening", false},
    {"child medium: JGZ with the parent", RB_MEDIUM, false, RA_CHILD, RP_COA, false, false, 0,
     "L0,L1", "soon", "medium,child_youth", true},
    {"youth high: L1 via JGZ too", RB_HIGH, false, RA_YOUTH, RP_MUNICIPALITY, false, false, 0,
     "L1,L0", "this_week", "high,child_youth", true},
    {"child low: school and leisure", RB_LOW, false, RA_CHILD, RP_COA, false, false, 0, "L0",
     "when_ready", "low,child_youth_low", true},
    {"youth red flag", RB_MEDIUM, true, RA_YOUTH, RP_COA, false, false, 0, "crisis,L0,L1", "now",
     "red_flag,medium,child_youth", true},
};

static void make_input(struct route_input *in, enum route_band band, bool red_flag, int age,
                       int phase, bool impaired, bool persistent, int n_stressors)
{
    memset(in, 0, sizeof(*in));
    in->band = band;
    in->red_flag = red_flag;
    in->age_group = age;
    in->phase = phase;
    in->function_impaired = impaired;
    in->persistent = persistent;
    for (int i = 0; i < n_stressors; i++) {
        snprintf(in->stressors[in->n_stressors++], ROUTE_ID_MAX + 1, "%s", some_stressors[i]);
    }
}

static void levels_str(const struct route_result *res, char *out, size_t size)
{
    out[0] = '\0';
    for (int i = 0; i < res->n_levels; i++) {
        size_t n = strlen(out);
        snprintf(out + n, size - n, "%s%s", i ? "," : "", route_level_name(res->levels[i].level));
    }
}

static void fired_str(const struct route_result *res, char *out, size_t size)
{
    out[0] = '\0';
    for (int i = 0; i < res->n_fired; i++) {
        size_t n = strlen(out);
        snprintf(out + n, size - n, "%s%s", i ? "," : "", rules->rules[res->fired[i]].id);
    }
}

static void default_rules_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(engine_cases); i++) {
        const struct engine_case *c = &engine_cases[i];
        struct route_input in;
        struct route_result res;
        char got[64], fired[200];
        make_input(&in, c->band, c->red_flag, c->age, c->phase, c->impaired, c->persistent,
                   c->n_stressors);
        route_decide(rules, &in, &res);
        levels_str(&res, got, sizeof(got));
        fired_str(&res, fired, sizeof(fired));
        if (strcmp(got, c->levels) || strcmp(route_urgency_name(res.urgency), c->urgency) ||
            strcmp(fired, c->fired) || res.with_parent != c->with_parent || res.fixes) {
            fail_msg("%s: levels %s urgency %s fired %s parent %d fixes %u", c->name, got,
                     route_urgency_name(res.urgency), fired, res.with_parent, res.fixes);
        }
    }
}

/* Every rule of the default file fires in at least one case of the table. */
static void every_default_rule_is_covered(void **state)
{
    (void)state;
    for (int r = 0; r < rules->n_rules; r++) {
        bool hit = false;
        for (size_t i = 0; i < ARRAY_SIZE(engine_cases) && !hit; i++) {
            hit = strstr(engine_cases[i].fired, rules->rules[r].id) != NULL;
        }
        if (!hit) {
            fail_msg("default rule %s has no case", rules->rules[r].id);
        }
    }
}

/* Over every combination: crisis first on a red flag, never L2/L3 (the defaults never skip the
 * GP), and the engine never had to correct the default file. */
static void no_direct_jump_to_specialist_care(void **state)
{
    int n = 0;
    (void)state;
    for (int b = 0; b < RB_COUNT; b++) {
        for (int bits = 0; bits < 8; bits++) {
            for (int a = -1; a < RA_COUNT; a++) {
                for (int s = 0; s <= 4; s++) {
                    struct route_input in;
                    struct route_result res;
                    make_input(&in, (enum route_band)b, bits & 1, a, (bits & 4) ? 1 : 0, bits & 2,
                               bits & 4, s);
                    route_decide(rules, &in, &res);
                    assert_true(res.n_levels > 0);
                    assert_int_equal(res.fixes, 0);
                    if (in.red_flag) {
                        assert_int_equal(res.levels[0].level, RL_CRISIS);
                        assert_int_equal(res.urgency, RU_NOW);
                    }
                    for (int i = 0; i < res.n_levels; i++) {
                        assert_true(res.levels[i].level < RL_L2);
                        assert_true(in.red_flag || res.levels[i].level != RL_CRISIS);
                    }
                    n++;
                }
            }
        }
    }
    assert_true(n > 300);
}

static void stressors_suggest_offers(void **state)
{
    struct route_input in;
    struct route_result res;
    (void)state;
    make_input(&in, RB_MEDIUM, false, RA_ADULT, RP_COA, false, false, 0);
    snprintf(in.stressors[0], sizeof(in.stressors[0]), "money");
    snprintf(in.stressors[1], sizeof(in.stressors[1]), "procedure");
    snprintf(in.stressors[2], sizeof(in.stressors[2]), "not_a_stressor");
    in.n_stressors = 3;
    route_decide(rules, &in, &res);
    assert_int_equal(res.n_offers, 2);
    assert_string_equal(rules->offers[res.offers[0]].stressor, "money");
    assert_string_equal(rules->offers[res.offers[1]].stressor, "procedure");
    assert_int_equal(rules->offers[res.offers[0]].levels, 1u << RL_L0);
}

/* A rule set that breaks the invariants (built by hand, past the validator) is corrected. */
static void engine_rechecks_invariants(void **state)
{
    struct route_rules *bad = calloc(1, sizeof(*bad));
    struct route_input in;
    struct route_result res;
    (void)state;
    bad->n_rules = 1;
    snprintf(bad->rules[0].id, sizeof(bad->rules[0].id), "straight_to_l3");
    bad->rules[0].n_levels = 2;
    bad->rules[0].levels[0] = RL_L3;
    bad->rules[0].levels[1] = RL_L0;
    bad->rules[0].urgency = RU_SOON;
    make_input(&in, RB_HIGH, true, RA_ADULT, RP_COA, false, false, 0);
    route_decide(bad, &in, &res);
    assert_int_equal(res.n_levels, 4);
    assert_int_equal(res.levels[0].level, RL_CRISIS);
    assert_int_equal(res.levels[1].level, RL_L1);
    assert_int_equal(res.levels[2].level, RL_L3);
    assert_int_equal(res.levels[3].level, RL_L0);
    assert_int_equal(res.fixes, ROUTE_FIX_CRISIS | ROUTE_FIX_GP);
    assert_int_equal(res.urgency, RU_NOW);
    free(bad);
}

static void age_groups(void **state)
{
    (void)state;
    assert_int_equal(route_age_group(2023, 2026), -1);
    assert_int_equal(route_age_group(2022, 2026), RA_CHILD);
    assert_int_equal(route_age_group(2014, 2026), RA_CHILD);
    assert_int_equal(route_age_group(2013, 2026), RA_YOUTH);
    assert_int_equal(route_age_group(2009, 2026), RA_YOUTH);
    assert_int_equal(route_age_group(2008, 2026), RA_ADULT);
    assert_int_equal(route_age_group(0, 2026), -1);
}

/* ---- the fit score ------------------------------------------------------------------------ */

static json_t *item(const char *langs, bool interp, const char *coa, const char *muni,
                    const char *entry, const char *cap, int weeks)
{
    json_t *it = json_pack("{s:s, s:s, s:b, s:{s:s?, s:s?}, s:[s], s:{s:s, s:o}, s:n}", "id", "x",
                           "name", "x", "interpreter", interp, "cost", "coa", coa, "municipality",
                           muni, "entry_routes", entry, "capacity", "state", cap, "weeks",
                           weeks >= 0 ? json_integer(weeks) : json_null(), "distance_km");
    json_t *l = json_array();
    while (*langs) {
        size_t n = strcspn(langs, ",");
        json_array_append_new(l, json_stringn(langs, n));
        langs += n + (langs[n] == ',');
    }
    json_object_set_new(it, "languages", l);
    return it;
}

static bool has_code(json_t *codes, const char *c)
{
    size_t i;
    json_t *e;
    json_array_foreach(codes, i, e)
    {
        if (!strcmp(json_string_value(e), c)) {
            return true;
        }
    }
    return false;
}

/* Specialist care for an adult: free in reception (COA), own risk in the municipality. */
static void phase_changes_cost(void **state)
{
    json_t *l2 = item("nl", true, "free", "eigen_risico", "gp_referral", "open", -1);
    json_t *a = json_array(), *b = json_array();
    struct route_input in;
    char t[80];
    int coa, muni;
    (void)state;
    make_input(&in, RB_HIGH, false, RA_ADULT, RP_COA, false, false, 0);
    coa = route_fit(l2, &in, "ar", RL_L2, 0, a);
    in.phase = RP_MUNICIPALITY;
    muni = route_fit(l2, &in, "ar", RL_L2, 0, b);
    assert_true(has_code(a, "free:coa"));
    assert_true(has_code(b, "cost:eigen_risico"));
    assert_true(coa > muni);
    route_fit_text("free:coa", t, sizeof(t));
    assert_string_equal(t, "gratis in de opvang");
    route_fit_text("cost:eigen_risico", t, sizeof(t));
    assert_string_equal(t, "kosten: eigen risico");
    json_decref(l2);
    json_decref(a);
    json_decref(b);
}

struct fit_case {
    const char *name;
    json_t *(*better)(void);
    json_t *(*worse)(void);
    const char *code_better;
};

static json_t *speaks_ar(void)
{
    return item("nl,ar", false, "free", "free", "no_referral", "open", -1);
}
static json_t *interp(void)
{
    return item("nl", true, "free", "free", "no_referral", "open", -1);
}
static json_t *none(void)
{
    return item("nl", false, "free", "free", "no_referral", "open", -1);
}
static json_t *wait2(void)
{
    return item("nl", false, "free", "free", "no_referral", "waitlist", 2);
}
static json_t *wait6(void)
{
    return item("nl", false, "free", "free", "no_referral", "waitlist", 6);
}
static json_t *closed(void)
{
    return item("nl", false, "free", "free", "no_referral", "closed", -1);
}
static json_t *paid(void)
{
    return item("nl", false, "eigen_risico", "free", "no_referral", "open", -1);
}

static const struct fit_case fit_cases[] = {
    {"own language beats interpreter", speaks_ar, interp, "lang:ar"},
    {"interpreter beats neither", interp, none, "interpreter"},
    {"open beats waitlist", none, wait2, "capacity:open"},
    {"shorter waitlist first", wait2, wait6, "waitlist:2"},
    {"waitlist beats closed", wait6, closed, "waitlist:6"},
    {"free beats own risk", none, paid, "free:coa"},
};

static void fit_ranks(void **state)
{
    struct route_input in;
    (void)state;
    make_input(&in, RB_MEDIUM, false, RA_ADULT, RP_COA, false, false, 0);
    for (size_t i = 0; i < ARRAY_SIZE(fit_cases); i++) {
        json_t *b = fit_cases[i].better(), *w = fit_cases[i].worse(), *codes = json_array();
        int fb = route_fit(b, &in, "ar", RL_L1, 0, codes);
        int fw = route_fit(w, &in, "ar", RL_L1, 0, NULL);
        if (fb <= fw || !has_code(codes, fit_cases[i].code_better)) {
            fail_msg("%s: %d vs %d", fit_cases[i].name, fb, fw);
        }
        json_decref(b);
        json_decref(w);
        json_decref(codes);
    }
}

/* A service already tried for this client (declined, closed unsuccessful, could not go) gets the
 * fit code "tried", keeps its score, and ranks after every service not tried yet, whatever its
 * fit; among the tried ones the fit still decides. */
static void tried_ranks_last(void **state)
{
    struct route_input in;
    json_t *it = speaks_ar(), *codes = json_array(), *codes2 = json_array();
    struct route_cand c[] = {
        {"s-best", "Best", 0, false},   {"s-low", "Low", 0, false},
        {"s-tried", "Tried", 0, false}, {"s-tried2", "Also tried", 0, false},
        {"s-mid", "Mid", 0, false},
    };
    static const char *const want[] = {"s-best", "s-mid", "s-low", "s-tried", "s-tried2"};
    char t[80];
    int plain, tried;
    json_t *ij;
    (void)state;
    make_input(&in, RB_MEDIUM, false, RA_ADULT, RP_COA, false, false, 0);
    plain = route_fit(it, &in, "ar", RL_L1, 0, codes);
    assert_false(has_code(codes, "tried"));
    assert_false(route_tried(&in, "x"));
    snprintf(in.tried[in.n_tried++], sizeof(in.tried[0]), "%s", "other");
    snprintf(in.tried[in.n_tried++], sizeof(in.tried[0]), "%s", "x"); /* item()'s id */
    assert_true(route_tried(&in, "x"));
    assert_false(route_tried(&in, NULL));
    tried = route_fit(it, &in, "ar", RL_L1, 0, codes2);
    assert_true(has_code(codes2, "tried"));
    assert_int_equal(plain, tried);
    route_fit_text("tried", t, sizeof(t));
    assert_string_equal(t, "al eerder geprobeerd");

    c[0].fit = 90;
    c[1].fit = 10;
    c[2].fit = 200; /* the best fit of all, but tried */
    c[2].tried = true;
    c[3].fit = 50;
    c[3].tried = true;
    c[4].fit = 40;
    qsort(c, ARRAY_SIZE(c), sizeof(c[0]), route_cand_cmp);
    for (size_t i = 0; i < ARRAY_SIZE(c); i++) {
        assert_string_equal(c[i].id, want[i]);
    }
    /* Ties: by name, then id. */
    c[0] = (struct route_cand){"b", "Same", 5, false};
    c[1] = (struct route_cand){"a", "Same", 5, false};
    c[2] = (struct route_cand){"c", "Alpha", 5, false};
    qsort(c, 3, sizeof(c[0]), route_cand_cmp);
    assert_string_equal(c[0].id, "c");
    assert_string_equal(c[1].id, "a");
    assert_string_equal(c[2].id, "b");

    /* The input records the services tried (ids only). */
    ij = route_input_json(&in);
    assert_int_equal(json_array_size(json_object_get(ij, "tried")), 2);
    assert_string_equal(json_string_value(json_array_get(json_object_get(ij, "tried"), 1)), "x");
    json_decref(ij);
    json_decref(it);
    json_decref(codes);
    json_decref(codes2);
}

/* A referral counts as tried without result when declined, closed unsuccessful, waiting for a
 * new offer, or when the client could not go, also after the follow-up cleared needs_new_offer
 * (the old rule lost it then); not when still going or completed. */
static void referral_failed_counts_could_not_go(void **state)
{
    (void)state;
    assert_true(route_referral_failed("declined", false, ""));
    assert_true(route_referral_failed("closed_unsuccessful", false, ""));
    assert_true(route_referral_failed("sent", true, "could_not_go"));
    /* followed up: needs_new_offer cleared, the client's answer stays */
    assert_true(route_referral_failed("sent", false, "could_not_go"));
    assert_true(route_referral_failed("accepted", false, "could_not_go"));
    assert_false(route_referral_failed("sent", false, "went"));
    assert_false(route_referral_failed("sent", false, ""));
    assert_false(route_referral_failed("accepted", false, NULL));
    assert_false(route_referral_failed("cancelled", false, ""));
    assert_false(route_referral_failed("completed", false, "could_not_go"));
    assert_false(route_referral_failed(NULL, true, "could_not_go"));
}

/* ---- malformed rule files ----------------------------------------------------------------- */

static json_t *default_doc(void)
{
    const struct embed_file *f = embed_find(data_files, data_files_count, "routing/default.json",
                                            strlen("routing/default.json"));
    return json_loadb((const char *)f->data, f->len, 0, NULL);
}

static json_t *rule(json_t *doc, size_t i)
{
    return json_array_get(json_object_get(doc, "rules"), i);
}

static json_t *when(json_t *doc, size_t i)
{
    return json_object_get(rule(doc, i), "when");
}

static void m_band(json_t *d)
{
    json_object_set_new(when(d, 3), "band", json_pack("[s]", "hgh"));
}
static void m_condition(json_t *d)
{
    json_object_set_new(when(d, 2), "colour", json_string("red"));
}
static void m_member(json_t *d)
{
    json_object_set_new(rule(d, 1), "extra", json_true());
}
static void m_l2_alone(json_t *d)
{
    json_object_set_new(rule(d, 2), "levels", json_pack("[s, s]", "L0", "L2"));
}
static void m_l3_before_l1(json_t *d)
{
    json_object_set_new(rule(d, 1), "levels", json_pack("[s, s]", "L3", "L1"));
}
static void m_crisis_late(json_t *d)
{
    json_object_set_new(rule(d, 1), "levels", json_pack("[s, s]", "L1", "crisis"));
}
static void m_red_flag_not_first(json_t *d)
{
    json_t *list = json_object_get(d, "rules"), *first = json_incref(rule(d, 0));
    json_array_remove(list, 0);
    json_array_append_new(list, first);
}
static void m_format(json_t *d)
{
    json_object_set_new(d, "format", json_string("veerkracht-routing/9"));
}
static void m_offer_key(json_t *d)
{
    json_object_set(json_object_get(d, "stressor_offers"), "housng",
                    json_object_get(json_object_get(d, "stressor_offers"), "housing"));
}
static void m_cond_stressor(json_t *d)
{
    json_object_set_new(when(d, 2), "stressor", json_pack("[s]", "moneyy"));
}
static void m_urgency(json_t *d)
{
    json_object_set_new(rule(d, 1), "urgency", json_string("asap"));
}
static void m_reason_nl(json_t *d)
{
    json_object_del(json_object_get(rule(d, 1), "reason"), "nl");
}
static void m_offer_l2(json_t *d)
{
    json_object_set_new(json_object_get(json_object_get(d, "stressor_offers"), "money"), "level",
                        json_pack("[s]", "L2"));
}
static void m_dup_id(json_t *d)
{
    json_object_set_new(rule(d, 2), "id", json_string("high"));
}
static void m_targets(json_t *d)
{
    json_object_set_new(json_object_get(d, "targets_days"), "L9", json_integer(3));
}
static void m_risk(json_t *d)
{
    json_object_set_new(when(d, 2), "risk", json_pack("[s]", "pirate"));
}
static void m_age(json_t *d)
{
    json_object_set_new(when(d, 2), "age_group", json_pack("[s]", "baby"));
}
static void m_stressors_min(json_t *d)
{
    json_object_set_new(when(d, 5), "stressors_min", json_string("3"));
}
static void m_l3_after_l1(json_t *d) /* valid: specialist care after the GP */
{
    json_object_set_new(rule(d, 1), "levels", json_pack("[s, s, s]", "L1", "L3", "L0"));
}

struct bad_case {
    void (*mutate)(json_t *doc);
    const char *pointer; /* NULL: the file must be accepted */
    const char *detail;  /* substring */
};

static const struct bad_case bad_cases[] = {
    {m_band, "/rules/3/when/band", "unknown band \"hgh\""},
    {m_condition, "/rules/2/when/colour", "unknown condition \"colour\""},
    {m_member, "/rules/1/extra", "unknown member"},
    {m_l2_alone, "/rules/2/levels/1", "GP is the gate"},
    {m_l3_before_l1, "/rules/1/levels/0", "only after L1"},
    {m_crisis_late, "/rules/1/levels/1", "crisis must come first"},
    {m_red_flag_not_first, "/rules/0", "red flag goes above everything"},
    {m_format, "/format", "veerkracht-routing/1"},
    {m_offer_key, "/stressor_offers/housng", "unknown stressor"},
    {m_cond_stressor, "/rules/2/when/stressor", "unknown stressor \"moneyy\""},
    {m_urgency, "/rules/1/urgency", "this_week"},
    {m_reason_nl, "/rules/1/reason/nl", "is required"},
    {m_offer_l2, "/stressor_offers/money/level", "L0 or L1"},
    {m_dup_id, "/rules/2/id", "duplicate rule id"},
    {m_targets, "/targets_days/L9", "unknown level"},
    {m_risk, "/rules/2/when/risk", "unknown risk \"pirate\""},
    {m_age, "/rules/2/when/age_group", "unknown age group \"baby\""},
    {m_stressors_min, "/rules/5/when/stressors_min", "whole number"},
    {m_l3_after_l1, NULL, NULL},
};

static const char **stressor_ids(struct screen_registry **reg)
{
    const char **ids = NULL;
    assert_int_equal(screen_registry_load(NULL, reg), ERR_OK);
    assert_int_equal(route_stressor_ids(*reg, &ids), ERR_OK);
    return ids;
}

static void malformed_rule_files_are_located(void **state)
{
    struct screen_registry *reg = NULL;
    const char **ids = stressor_ids(&reg);
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(bad_cases); i++) {
        const struct bad_case *c = &bad_cases[i];
        json_t *doc = default_doc();
        struct route_rules *r = malloc(sizeof(*r));
        struct verr v = {0};
        enum err rc;
        bool found = false;
        c->mutate(doc);
        rc = route_parse(doc, r, ids, &v);
        if (!c->pointer) {
            if (rc) {
                fail_msg("case %zu refused: %s %s", i, v.items[0].pointer, v.items[0].detail);
            }
            json_decref(r->doc);
        }
        for (size_t k = 0; c->pointer && k < v.n; k++) {
            found |=
                !strcmp(v.items[k].pointer, c->pointer) && strstr(v.items[k].detail, c->detail);
        }
        if (c->pointer && (rc != ERR_INVALID || !found)) {
            fail_msg("case %zu (%s): rc %d, first %s: %s", i, c->pointer, rc,
                     v.n ? v.items[0].pointer : "-", v.n ? v.items[0].detail : "-");
        }
        free(r);
        json_decref(doc);
    }
    free(ids);
    screen_registry_free(reg);
}

static void default_file_names_known_stressors(void **state)
{
    struct screen_registry *reg = NULL;
    const char **ids = stressor_ids(&reg);
    json_t *doc = default_doc();
    struct route_rules *r = malloc(sizeof(*r));
    struct verr v = {0};
    (void)state;
    assert_int_equal(route_parse(doc, r, ids, &v), ERR_OK);
    /* every stressor of every instrument has a practical offer */
    for (size_t i = 0; ids[i]; i++) {
        bool has = false;
        for (int o = 0; o < r->n_offers; o++) {
            has |= !strcmp(r->offers[o].stressor, ids[i]);
        }
        if (!has) {
            fail_msg("stressor %s has no offer", ids[i]);
        }
    }
    assert_string_equal(r->id, "vk-default");
    assert_int_equal(r->targets_days[RL_L1], 7);
    assert_int_equal(r->targets_days[RL_L3], 70);
    json_decref(r->doc);
    free(r);
    json_decref(doc);
    free(ids);
    screen_registry_free(reg);
}

static void not_json_and_too_large(void **state)
{
    struct route_rules *r = NULL;
    struct verr v = {0};
    char *big = calloc(1, ROUTE_FILE_MAX + 2);
    (void)state;
    assert_int_equal(route_load_bytes("{", 1, NULL, &r, &v), ERR_INVALID);
    assert_non_null(strstr(v.items[0].detail, "not JSON"));
    memset(big, ' ', ROUTE_FILE_MAX + 1);
    memset(&v, 0, sizeof(v));
    assert_int_equal(route_load_bytes(big, ROUTE_FILE_MAX + 1, NULL, &r, &v), ERR_INVALID);
    assert_null(r);
    free(big);
}

/* Texts: reasons in nl and en, the client's language only when the file has it. */
static void texts_follow_the_rule_file(void **state)
{
    struct route_input in;
    struct route_result res;
    json_t *adv, *lv;
    (void)state;
    make_input(&in, RB_HIGH, false, RA_ADULT, RP_COA, false, false, 1);
    route_decide(rules, &in, &res);
    adv = route_result_json(rules, &res);
    assert_true(route_texts_add(rules, adv, "ar"));
    lv = json_array_get(json_object_get(adv, "levels"), 0);
    assert_string_equal(json_string_value(json_object_get(lv, "level")), "L1");
    assert_non_null(strstr(
        json_string_value(json_object_get(json_array_get(json_object_get(lv, "reasons"), 0), "nl")),
        "huisarts"));
    assert_non_null(json_object_get(json_array_get(json_object_get(lv, "reasons"), 0), "en"));
    assert_null(json_object_get(json_array_get(json_object_get(lv, "reasons"), 0), "ar"));
    assert_int_equal(json_array_size(json_object_get(lv, "steps")), 3);
    assert_int_equal(json_integer_value(json_object_get(lv, "target_days")), 7);
    json_decref(adv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_rules_table),
        cmocka_unit_test(every_default_rule_is_covered),
        cmocka_unit_test(no_direct_jump_to_specialist_care),
        cmocka_unit_test(stressors_suggest_offers),
        cmocka_unit_test(engine_rechecks_invariants),
        cmocka_unit_test(age_groups),
        cmocka_unit_test(phase_changes_cost),
        cmocka_unit_test(fit_ranks),
        cmocka_unit_test(tried_ranks_last),
        cmocka_unit_test(referral_failed_counts_could_not_go),
        cmocka_unit_test(malformed_rule_files_are_located),
        cmocka_unit_test(default_file_names_known_stressors),
        cmocka_unit_test(not_json_and_too_large),
        cmocka_unit_test(texts_follow_the_rule_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
