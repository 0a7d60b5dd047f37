/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The route engine: pure and integer-only. Every rule whose conditions all hold adds its care
 * levels in its order (a level already chosen keeps its place and gains the rule as a reason,
 * and the more urgent urgency); a rule with "stop" ends the walk. Afterwards the invariants of
 * stepped care are re-checked whatever the rule file says: a red flag puts crisis first, and L2
 * or L3 never come without L1 before them.
 */
#include "core/compat.h"

#include "dossier/dossier.h"
#include "routing/routing.h"

static bool has_id(const char (*ids)[ROUTE_ID_MAX + 1], int n, const char *id)
{
    for (int i = 0; i < n; i++) {
        if (!strcmp(ids[i], id)) {
            return true;
        }
    }
    return false;
}

static bool tri_holds(enum route_tri t, bool value)
{
    return t == RT_ANY || (t == RT_TRUE) == value;
}

static bool bit_holds(unsigned set, int value)
{
    return !set || (value >= 0 && value < 32 && (set & (1u << value)));
}

bool route_when_holds(const struct route_when *w, const struct route_input *in)
{
    bool stressor = !w->n_stressor;
    for (int i = 0; !stressor && i < w->n_stressor; i++) {
        stressor = has_id(in->stressors, in->n_stressors, w->stressor[i]);
    }
    return stressor && tri_holds(w->red_flag, in->red_flag) &&
           tri_holds(w->function_impaired, in->function_impaired) &&
           tri_holds(w->persistent, in->persistent) && bit_holds(w->bands, (int)in->band) &&
           bit_holds(w->ages, in->age_group) && bit_holds(w->phases, in->phase) &&
           (!w->risks || (w->risks & in->risks)) && (!w->wishes || (w->wishes & in->wishes)) &&
           in->n_stressors >= w->stressors_min;
}

static int level_pos(const struct route_result *out, enum route_level l)
{
    for (int i = 0; i < out->n_levels; i++) {
        if (out->levels[i].level == l) {
            return i;
        }
    }
    return -1;
}

static void add_level(struct route_result *out, enum route_level l, int rule, enum route_urgency u)
{
    int i = level_pos(out, l);
    struct route_level_out *lo;
    if (i < 0) {
        i = out->n_levels++;
        lo = &out->levels[i];
        memset(lo, 0, sizeof(*lo));
        lo->level = l;
        lo->urgency = u;
    }
    lo = &out->levels[i];
    if (u < lo->urgency) {
        lo->urgency = u;
    }
    if (rule >= 0 && lo->n_rules < ROUTE_MAX_RULES) {
        lo->rules[lo->n_rules++] = rule;
    }
}

/* Moves the level at `from` to position `to` (to <= from), shifting the ones between. */
static void move_level(struct route_result *out, int from, int to)
{
    struct route_level_out keep = out->levels[from];
    memmove(&out->levels[to + 1], &out->levels[to], (size_t)(from - to) * sizeof(keep));
    out->levels[to] = keep;
}

static void fix_crisis(struct route_result *out)
{
    int i = level_pos(out, RL_CRISIS);
    if (i < 0) {
        add_level(out, RL_CRISIS, -1, RU_NOW);
        i = out->n_levels - 1;
        out->fixes |= ROUTE_FIX_CRISIS;
    }
    if (i > 0) {
        move_level(out, i, 0);
        out->fixes |= ROUTE_FIX_CRISIS;
    }
    out->levels[0].urgency = RU_NOW;
}

/* No L2/L3 without L1 before it: the GP (or the reception health post) is the gate. */
static void fix_gp_gate(struct route_result *out)
{
    int first = -1, l1;
    for (int i = 0; i < out->n_levels && first < 0; i++) {
        if (out->levels[i].level == RL_L2 || out->levels[i].level == RL_L3) {
            first = i;
        }
    }
    if (first < 0) {
        return;
    }
    l1 = level_pos(out, RL_L1);
    if (l1 < 0) {
        add_level(out, RL_L1, -1, out->levels[first].urgency);
        l1 = out->n_levels - 1;
    }
    if (l1 > first) {
        move_level(out, l1, first);
        out->fixes |= ROUTE_FIX_GP;
    }
}

static void pick_offers(const struct route_rules *r, const struct route_input *in,
                        struct route_result *out)
{
    for (int s = 0; s < in->n_stressors; s++) {
        for (int o = 0; o < r->n_offers && out->n_offers < ROUTE_MAX_OFFERS; o++) {
            bool dup = false;
            if (strcmp(r->offers[o].stressor, in->stressors[s])) {
                continue;
            }
            for (int k = 0; k < out->n_offers; k++) {
                dup |= out->offers[k] == o;
            }
            if (!dup) {
                out->offers[out->n_offers++] = o;
            }
        }
    }
}

void route_decide(const struct route_rules *r, const struct route_input *in,
                  struct route_result *out)
{
    memset(out, 0, sizeof(*out));
    out->urgency = RU_WHEN_READY;
    out->with_parent = in->age_group == RA_CHILD || in->age_group == RA_YOUTH;
    for (int i = 0; i < r->n_rules; i++) {
        const struct route_rule *rule = &r->rules[i];
        if (!route_when_holds(&rule->when, in)) {
            continue;
        }
        out->fired[out->n_fired++] = i;
        for (int k = 0; k < rule->n_levels; k++) {
            add_level(out, rule->levels[k], i, rule->urgency);
        }
        if (rule->stop) {
            break;
        }
    }
    if (in->red_flag) {
        fix_crisis(out);
    }
    fix_gp_gate(out);
    for (int i = 0; i < out->n_levels; i++) {
        if (out->levels[i].urgency < out->urgency) {
            out->urgency = out->levels[i].urgency;
        }
    }
    pick_offers(r, in, out);
}

/* ---- JSON --------------------------------------------------------------------------------- */

static json_t *level_json(const struct route_rules *r, const struct route_level_out *lo)
{
    json_t *rules = json_array();
    for (int k = 0; k < lo->n_rules; k++) {
        json_array_append_new(rules, json_string(r->rules[lo->rules[k]].id));
    }
    return json_pack("{s:s, s:s, s:o, s:o}", "level", route_level_name(lo->level), "urgency",
                     route_urgency_name(lo->urgency), "target_days",
                     r->targets_days[lo->level] >= 0 ? json_integer(r->targets_days[lo->level])
                                                     : json_null(),
                     "rules", rules);
}

static json_t *offer_json(const struct route_rules *r, int o)
{
    const struct route_offer *of = &r->offers[o];
    json_t *levels = json_array();
    for (int l = 0; l < RL_COUNT; l++) {
        if (of->levels & (1u << l)) {
            json_array_append_new(levels, json_string(route_level_name(l)));
        }
    }
    return json_pack("{s:s, s:s, s:o}", "stressor", of->stressor, "q", of->q, "levels", levels);
}

json_t *route_result_json(const struct route_rules *r, const struct route_result *res)
{
    json_t *levels = json_array(), *offers = json_array(), *fixes = json_array();
    for (int i = 0; i < res->n_levels; i++) {
        json_array_append_new(levels, level_json(r, &res->levels[i]));
    }
    for (int i = 0; i < res->n_offers; i++) {
        json_array_append_new(offers, offer_json(r, res->offers[i]));
    }
    if (res->fixes & ROUTE_FIX_CRISIS) {
        json_array_append_new(fixes, json_string("crisis_first"));
    }
    if (res->fixes & ROUTE_FIX_GP) {
        json_array_append_new(fixes, json_string("gp_gate"));
    }
    return json_pack("{s:s, s:b, s:o, s:o, s:o}", "urgency", route_urgency_name(res->urgency),
                     "with_parent", res->with_parent, "fixes", fixes, "levels", levels,
                     "stressor_offers", offers);
}

/* {"nl": ..., "en": ..., lang: ...} with the languages the text has. */
static json_t *texts(json_t *t, const char *lang)
{
    json_t *o = json_object();
    static const char *const base[] = {"nl", "en"};
    for (size_t i = 0; i < ARRAY_SIZE(base); i++) {
        json_t *s = json_object_get(t, base[i]);
        if (json_is_string(s)) {
            json_object_set(o, base[i], s);
        }
    }
    if (lang && json_is_string(json_object_get(t, lang))) {
        json_object_set(o, lang, json_object_get(t, lang));
    }
    return o;
}

static json_t *rule_doc_by_id(const struct route_rules *r, const char *id)
{
    for (int i = 0; id && i < r->n_rules; i++) {
        if (!strcmp(r->rules[i].id, id)) {
            return json_array_get(json_object_get(r->doc, "rules"), (size_t)r->rules[i].index);
        }
    }
    return NULL;
}

static bool level_texts(const struct route_rules *r, json_t *level, const char *lang)
{
    json_t *reasons = json_array(), *steps = json_array(), *id, *st;
    size_t i, k;
    bool all = true;
    json_array_foreach(json_object_get(level, "rules"), i, id)
    {
        json_t *rj = rule_doc_by_id(r, json_string_value(id));
        if (!rj) {
            all = false;
            continue;
        }
        json_array_append_new(reasons, texts(json_object_get(rj, "reason"), lang));
        json_array_foreach(json_object_get(rj, "steps"), k, st)
        {
            json_array_append_new(steps, texts(st, lang));
        }
    }
    json_object_set_new(level, "reasons", reasons);
    json_object_set_new(level, "steps", steps);
    return all;
}

bool route_texts_add(const struct route_rules *r, json_t *advice, const char *lang)
{
    json_t *x, *offers = json_object_get(r->doc, "stressor_offers");
    size_t i;
    bool all = true;
    json_array_foreach(json_object_get(advice, "levels"), i, x)
    {
        all &= level_texts(r, x, lang);
    }
    json_array_foreach(json_object_get(advice, "stressor_offers"), i, x)
    {
        json_t *doc = json_object_get(offers, json_string_value(json_object_get(x, "stressor")));
        if (!doc) {
            all = false;
            continue;
        }
        json_object_set_new(x, "reason", texts(json_object_get(doc, "reason"), lang));
    }
    return all;
}

static json_t *ids_json(const char (*ids)[ROUTE_ID_MAX + 1], int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++) {
        json_array_append_new(a, json_string(ids[i]));
    }
    return a;
}

static json_t *bits_json(uint32_t bits, const char *(*name)(uint32_t))
{
    json_t *a = json_array();
    for (int i = 0; i < 32; i++) {
        const char *s = (bits & (1u << i)) ? name(1u << i) : NULL;
        if (s) {
            json_array_append_new(a, json_string(s));
        }
    }
    return a;
}

static json_t *tried_json(const struct route_input *in)
{
    json_t *a = json_array();
    for (int i = 0; i < in->n_tried; i++) {
        json_array_append_new(a, json_string(in->tried[i]));
    }
    return a;
}

json_t *route_input_json(const struct route_input *in)
{
    const char *age = route_age_name(in->age_group), *phase = route_phase_name(in->phase);
    return json_pack(
        "{s:s, s:b, s:o, s:o, s:o, s:o, s:b, s:b, s:o, s:o, s:o}", "band",
        route_band_name((int)in->band), "red_flag", in->red_flag, "age_group",
        age ? json_string(age) : json_null(), "phase", phase ? json_string(phase) : json_null(),
        "risks", bits_json(in->risks, dossier_risk_name), "wishes",
        bits_json(in->wishes, route_wish_name), "function_impaired", in->function_impaired,
        "persistent", in->persistent, "stressors", ids_json(in->stressors, in->n_stressors),
        "strengths", ids_json(in->strengths, in->n_strengths), "tried", tried_json(in));
}
