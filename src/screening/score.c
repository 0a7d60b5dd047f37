/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The scoring engine: integer-only and pure. Order (research note §19.2): item scores (option
 * scores, reverse) → scales → rules → red flags → bands → level, where a red flag overrides
 * every band with "crisis".
 */
#include "core/compat.h"

#include "screening/screening_int.h"

static bool compare(int64_t a, enum screen_op op, int64_t b)
{
    switch (op) {
    case SOP_EQ:
        return a == b;
    case SOP_NE:
        return a != b;
    case SOP_GE:
        return a >= b;
    case SOP_GT:
        return a > b;
    case SOP_LE:
        return a <= b;
    case SOP_LT:
        return a < b;
    }
    return false;
}

bool screen_value_ok(const struct screen_instrument *inst, int item, int64_t value)
{
    const struct screen_set *s = &inst->sets[inst->items[item].set];
    if (s->type == SSET_SCALE) {
        return value >= s->min && value <= s->max;
    }
    for (int i = 0; i < s->n; i++) {
        if (s->opt[i].value == value) {
            return true;
        }
    }
    return false;
}

static int64_t item_score(const struct screen_instrument *inst, int item, int64_t value)
{
    const struct screen_set *s = &inst->sets[inst->items[item].set];
    int64_t score = value, lo, hi;
    for (int i = 0; s->type != SSET_SCALE && i < s->n; i++) {
        if (s->opt[i].value == value) {
            score = s->opt[i].score;
        }
    }
    if (inst->items[item].reverse) {
        screen__item_range(inst, item, &lo, &hi);
        score = lo + hi - score;
    }
    return score;
}

/* Conditions on items compare the raw answer; an unanswered item never satisfies one. */
static bool cond_holds(const struct screen_instrument *inst, const struct screen_answers *a,
                       const struct screen_result *r, const struct screen_cond *c)
{
    switch (c->kind) {
    case SREF_ITEM:
        return a->given[c->idx] && compare(a->value[c->idx], c->op, c->value);
    case SREF_SCALE:
        return r && r->complete[c->idx] && compare(r->scale[c->idx], c->op, c->value);
    case SREF_RULE:
        return r && compare(r->rule[c->idx] ? 1 : 0, c->op, c->value);
    }
    return false;
}

bool screen_item_shown(const struct screen_instrument *inst, const struct screen_answers *a, int i)
{
    const struct screen_item *it = &inst->items[i];
    return !it->has_show_if || cond_holds(inst, a, NULL, &it->show_if);
}

void screen_answers_check(const struct screen_instrument *inst, const struct screen_answers *a,
                          struct verr *v)
{
    for (int i = 0; i < inst->n_items; i++) {
        const struct screen_item *it = &inst->items[i];
        bool shown = screen_item_shown(inst, a, i);
        char p[SCREEN_PTR_MAX];
        screen__ptr(p, sizeof(p), "/answers/%s", it->id);
        if (a->given[i] && !shown) {
            verr_add(v, p, "this question is not asked after the earlier answers");
        } else if (a->given[i] && !screen_value_ok(inst, i, a->value[i])) {
            verr_add(v, p, "%lld is not an answer to this question", (long long)a->value[i]);
        } else if (!a->given[i] && shown && it->required) {
            verr_add(v, p, "an answer is required");
        }
    }
}

static void score_scale(const struct screen_instrument *inst, const struct screen_answers *a, int s,
                        struct screen_result *r)
{
    const struct screen_scale *sc = &inst->scales[s];
    int64_t acc = 0;
    int answered = 0;

    for (int k = 0; k < sc->n; k++) {
        int i = sc->items[k];
        int64_t v;
        if (!a->given[i]) {
            continue;
        }
        v = item_score(inst, i, a->value[i]);
        switch (sc->method) {
        case SM_SUM:
        case SM_MEAN_X100:
            acc += v;
            break;
        case SM_WEIGHTED_SUM:
            acc += v * sc->weights[k];
            break;
        case SM_COUNT_GE:
            acc += v >= sc->threshold;
            break;
        case SM_MAX:
            acc = (answered == 0 || v > acc) ? v : acc;
            break;
        }
        answered++;
    }
    if (sc->method == SM_MEAN_X100 && answered) {
        acc = (acc * 200 + answered) / (2 * answered); /* mean x100, half up */
    }
    r->complete[s] = answered >= sc->min_answered && answered > 0;
    r->scale[s] = r->complete[s] ? acc * sc->multiply : 0;
}

static void score_bands(const struct screen_instrument *inst, struct screen_result *r)
{
    r->primary_band = -1;
    for (int s = 0; s < inst->n_scales; s++) {
        r->band[s] = -1;
        for (int b = 0; r->complete[s] && b < inst->n_bands; b++) {
            const struct screen_band *bd = &inst->bands[b];
            if (bd->scale == s && r->scale[s] >= bd->min && r->scale[s] <= bd->max) {
                r->band[s] = b;
            }
        }
        if (r->primary_band < 0 && r->band[s] >= 0) {
            r->primary_band = r->band[s];
        }
    }
}

static void score_reports(const struct screen_instrument *inst, const struct screen_answers *a,
                          struct screen_result *r)
{
    for (int i = 0; i < inst->n_items && i < 64; i++) {
        enum screen_section_kind k = inst->sections[inst->items[i].section].kind;
        if (!a->given[i] || item_score(inst, i, a->value[i]) < 1) {
            continue;
        }
        if (k == SSEC_STRENGTHS) {
            r->strengths |= 1ULL << i;
        } else if (k == SSEC_STRESSORS) {
            r->stressors |= 1ULL << i;
        }
    }
}

/* crisis on a red flag; else the highest of the primary band's level and the levels of the
 * rules that hold (an RHS-15 positive by its thermometer alone outranks its sum band). */
static void score_level(const struct screen_instrument *inst, struct screen_result *r)
{
    const char *level = r->primary_band >= 0 ? inst->bands[r->primary_band].level : "";
    r->level_rule = -1;
    for (int k = 0; k < inst->n_rules; k++) {
        const char *rl = inst->rules[k].level;
        if (r->rule[k] && rl[0] && screen__level_rank(rl) > screen__level_rank(level)) {
            level = rl;
            r->level_rule = k;
        }
    }
    snprintf(r->level, sizeof(r->level), "%s", r->n_flags ? "crisis" : level);
}

void screen_score(const struct screen_instrument *inst, const struct screen_answers *a,
                  struct screen_result *r)
{
    memset(r, 0, sizeof(*r));
    for (int s = 0; s < inst->n_scales; s++) {
        score_scale(inst, a, s, r);
    }
    for (int k = 0; k < inst->n_rules; k++) {
        const struct screen_rule *ru = &inst->rules[k];
        bool v = !ru->any;
        for (int c = 0; c < ru->n; c++) {
            bool h = cond_holds(inst, a, r, &ru->c[c]);
            v = ru->any ? (v || h) : (v && h);
        }
        r->rule[k] = v;
    }
    for (int f = 0; f < inst->n_flags; f++) {
        if (cond_holds(inst, a, r, &inst->flags[f].when)) {
            r->flags[r->n_flags++] = f;
        }
    }
    score_bands(inst, r);
    score_reports(inst, a, r);
    score_level(inst, r);
}

bool screen_flag_fires(const struct screen_instrument *inst, int f, int item, int64_t value)
{
    const struct screen_cond *c = &inst->flags[f].when;
    return c->kind == SREF_ITEM && c->idx == item && compare(value, c->op, c->value);
}
