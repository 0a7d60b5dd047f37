/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The scoring half of an instrument: loading and checking scales, bands, rules, red flags and
 * advice; and the pure, integer-only engine that scores a set of answers.
 */
#include "core/compat.h"

#include "screening/screening_int.h"

int screen__level_rank(const char *level)
{
    static const char *const levels[] = {"L0", "L1", "L2", "L3", "crisis", NULL};
    for (int i = 0; level && levels[i]; i++) {
        if (!strcmp(levels[i], level)) {
            return i;
        }
    }
    return -1;
}

/* ---- conditions --------------------------------------------------------------------------- */

static const char *const op_names[] = {"==", "!=", ">=", ">", "<=", "<", NULL};

static int scale_index(const struct screen_instrument *in, const char *id, int n)
{
    for (int i = 0; i < n; i++) {
        if (!strcmp(in->scales[i].id, id)) {
            return i;
        }
    }
    return -1;
}

static int rule_index(const struct screen_instrument *in, const char *id, int n)
{
    for (int i = 0; i < n; i++) {
        if (!strcmp(in->rules[i].id, id)) {
            return i;
        }
    }
    return -1;
}

static int cond_target(struct screen_parse *ps, const char *ref, int before, enum screen_ref *kind)
{
    struct screen_instrument *in = ps->in;
    if (!strncmp(ref, "item:", 5)) {
        int i = screen_item_index(in, ref + 5);
        *kind = SREF_ITEM;
        return (i >= 0 && i < before) ? i : -1;
    }
    if (!strncmp(ref, "scale:", 6)) {
        *kind = SREF_SCALE;
        return scale_index(in, ref + 6, in->n_scales);
    }
    if (!strncmp(ref, "rule:", 5)) {
        *kind = SREF_RULE;
        return rule_index(in, ref + 5, in->n_rules);
    }
    return -1;
}

enum err screen__parse_cond(struct screen_parse *ps, json_t *jc, const char *ptr, int before,
                            struct screen_cond *out)
{
    const char *ref = json_string_value(json_object_get(jc, "ref"));
    const char *op = json_string_value(json_object_get(jc, "op"));
    json_t *val = json_object_get(jc, "value");
    char p[SCREEN_PTR_MAX];
    int k;

    static const char *const cond_keys[] = {"ref", "op", "value", NULL};

    memset(out, 0, sizeof(*out));
    screen__keys(ps, jc, cond_keys, ptr);
    screen__ptr(p, sizeof(p), "%s/ref", ptr);
    if (!ref || (out->idx = cond_target(ps, ref, before, &out->kind)) < 0) {
        verr_add(ps->v, p, "must be item:ID (an earlier item), scale:ID or rule:ID that exists");
        return ERR_INVALID;
    }
    for (k = 0; op && op_names[k] && strcmp(op_names[k], op); k++) {
    }
    if (!op || !op_names[k]) {
        screen__ptr(p, sizeof(p), "%s/op", ptr);
        verr_add(ps->v, p, "must be one of == != >= > <= <");
        return ERR_INVALID;
    }
    out->op = (enum screen_op)k;
    if (!json_is_integer(val)) {
        screen__ptr(p, sizeof(p), "%s/value", ptr);
        verr_add(ps->v, p, "must be a whole number");
        return ERR_INVALID;
    }
    out->value = json_integer_value(val);
    return ERR_OK;
}

/* ---- scales ------------------------------------------------------------------------------- */

void screen__item_range(const struct screen_instrument *in, int item, int64_t *lo, int64_t *hi)
{
    const struct screen_set *s = &in->sets[in->items[item].set];
    if (s->type == SSET_SCALE || s->n == 0) {
        *lo = s->min;
        *hi = s->max;
        return;
    }
    *lo = *hi = s->opt[0].score;
    for (int i = 1; i < s->n; i++) {
        *lo = s->opt[i].score < *lo ? s->opt[i].score : *lo;
        *hi = s->opt[i].score > *hi ? s->opt[i].score : *hi;
    }
}

static void scale_range(const struct screen_instrument *in, struct screen_scale *sc)
{
    int64_t lo = 0, hi = 0;
    for (int i = 0; i < sc->n; i++) {
        int64_t a, b;
        screen__item_range(in, sc->items[i], &a, &b);
        switch (sc->method) {
        case SM_SUM:
            lo += a;
            hi += b;
            break;
        case SM_WEIGHTED_SUM:
            lo += sc->weights[i] >= 0 ? a * sc->weights[i] : b * sc->weights[i];
            hi += sc->weights[i] >= 0 ? b * sc->weights[i] : a * sc->weights[i];
            break;
        case SM_MEAN_X100:
        case SM_MAX:
            lo = (i == 0 || a < lo) ? a : lo;
            hi = (i == 0 || b > hi) ? b : hi;
            break;
        case SM_COUNT_GE:
            hi++;
            break;
        }
    }
    if (sc->method == SM_MEAN_X100) {
        lo *= 100;
        hi *= 100;
    }
    sc->lo = lo * sc->multiply;
    sc->hi = hi * sc->multiply;
}

static void parse_scale_items(struct screen_parse *ps, json_t *js, struct screen_scale *sc,
                              const char *p)
{
    json_t *items = json_object_get(js, "items");
    json_t *weights = json_object_get(js, "weights");
    json_t *ji;
    size_t i;
    char ip[SCREEN_PTR_MAX];

    if (!json_is_array(items) || json_array_size(items) == 0 ||
        json_array_size(items) > SCREEN_MAX_ITEMS) {
        screen__ptr(ip, sizeof(ip), "%s/items", p);
        verr_add(ps->v, ip, "must list the items of this scale");
        return;
    }
    json_array_foreach(items, i, ji)
    {
        int idx = screen_item_index(ps->in, json_string_value(ji));
        screen__ptr(ip, sizeof(ip), "%s/items/%zu", p, i);
        if (idx < 0) {
            verr_add(ps->v, ip, "must name an item");
            continue;
        }
        sc->weights[sc->n] = 1;
        if (sc->method == SM_WEIGHTED_SUM) {
            json_t *w = json_object_get(weights, ps->in->items[idx].id);
            if (!json_is_integer(w)) {
                screen__ptr(ip, sizeof(ip), "%s/weights/%s", p, ps->in->items[idx].id);
                verr_add(ps->v, ip, "a weighted_sum needs a whole-number weight per item");
            } else {
                sc->weights[sc->n] = json_integer_value(w);
            }
        }
        sc->items[sc->n++] = idx;
    }
}

static void parse_scale(struct screen_parse *ps, json_t *js, int idx)
{
    static const char *const methods[] = {"sum",      "weighted_sum", "mean_x100",
                                          "count_ge", "max",          NULL};
    struct screen_scale *sc = &ps->in->scales[idx];
    const char *m = json_string_value(json_object_get(js, "method"));
    char p[SCREEN_PTR_MAX], mp[SCREEN_PTR_MAX];
    int64_t n;
    int k;

    static const char *const scale_keys[] = {"id",        "method",   "items",        "weights",
                                             "threshold", "multiply", "min_answered", NULL};

    screen__ptr(p, sizeof(p), "/scales/%d", idx);
    screen__keys(ps, js, scale_keys, p);
    screen__ptr(mp, sizeof(mp), "%s/method", p);
    if (json_string_value(json_object_get(js, "id")) &&
        scale_index(ps->in, json_string_value(json_object_get(js, "id")), idx) >= 0) {
        verr_add(ps->v, p, "id is used twice");
    }
    snprintf(sc->id, sizeof(sc->id), "%s",
             json_is_string(json_object_get(js, "id"))
                 ? json_string_value(json_object_get(js, "id"))
                 : "");
    if (!sc->id[0]) {
        screen__ptr(mp, sizeof(mp), "%s/id", p);
        verr_add(ps->v, mp, "is required");
    }
    for (k = 0; m && methods[k] && strcmp(methods[k], m); k++) {
    }
    if (!m || !methods[k]) {
        verr_add(ps->v, mp, "must be one of sum, weighted_sum, mean_x100, count_ge, max");
        k = 0;
    }
    sc->method = (enum screen_method)k;
    parse_scale_items(ps, js, sc, p);
    sc->threshold = 1;
    sc->multiply = 1;
    sc->min_answered = sc->n;
    if (json_object_get(js, "threshold") || sc->method == SM_COUNT_GE) {
        (void)screen__int(js, "threshold", -1000, 1000, &sc->threshold, true, p, ps->v);
    }
    (void)screen__int(js, "multiply", 1, 1000, &sc->multiply, false, p, ps->v);
    if (screen__int(js, "min_answered", 0, sc->n, &n, false, p, ps->v)) {
        sc->min_answered = (int)n;
    }
    scale_range(ps->in, sc);
}

/* ---- bands -------------------------------------------------------------------------------- */

static bool advice_exists(json_t *doc, const char *key)
{
    json_t *a = json_object_get(json_object_get(doc, "advice"), key);
    return json_is_object(a);
}

static void parse_band(struct screen_parse *ps, json_t *doc, json_t *jb, int idx)
{
    static const char *const levels[] = {"L0", "L1", "L2", "L3", "crisis", NULL};
    struct screen_band *b = &ps->in->bands[idx];
    const char *level = json_string_value(json_object_get(jb, "level"));
    const char *advice = json_string_value(json_object_get(jb, "advice"));
    const char *id = json_string_value(json_object_get(jb, "id"));
    char p[SCREEN_PTR_MAX], q[SCREEN_PTR_MAX];
    int k;

    static const char *const band_keys[] = {"scale", "min",    "max",   "id",
                                            "level", "advice", "label", NULL};

    screen__ptr(p, sizeof(p), "/bands/%d", idx);
    screen__keys(ps, jb, band_keys, p);
    b->scale = scale_index(ps->in,
                           json_string_value(json_object_get(jb, "scale"))
                               ? json_string_value(json_object_get(jb, "scale"))
                               : "",
                           ps->in->n_scales);
    screen__ptr(q, sizeof(q), "%s/scale", p);
    if (b->scale < 0) {
        verr_add(ps->v, q, "must name a scale");
    }
    if (!id || strlen(id) > SCREEN_ID_MAX || !*id) {
        screen__ptr(q, sizeof(q), "%s/id", p);
        verr_add(ps->v, q, "is required");
    } else {
        snprintf(b->id, sizeof(b->id), "%s", id);
    }
    (void)screen__int(jb, "min", INT32_MIN, INT32_MAX, &b->min, true, p, ps->v);
    (void)screen__int(jb, "max", INT32_MIN, INT32_MAX, &b->max, true, p, ps->v);
    for (k = 0; level && levels[k] && strcmp(levels[k], level); k++) {
    }
    screen__ptr(q, sizeof(q), "%s/level", p);
    if (!level || !levels[k]) {
        verr_add(ps->v, q, "must be one of L0, L1, L2, L3, crisis");
    } else {
        snprintf(b->level, sizeof(b->level), "%s", level);
    }
    screen__ptr(q, sizeof(q), "%s/advice", p);
    if (!advice || strlen(advice) > SCREEN_ID_MAX || !advice_exists(doc, advice)) {
        verr_add(ps->v, q, "must name an entry of /advice");
    } else {
        snprintf(b->advice, sizeof(b->advice), "%s", advice);
    }
    screen__ptr(q, sizeof(q), "%s/label", p);
    screen__check_text(ps, json_object_get(jb, "label"), q, true);
}

/* The bands of each scale must cover [lo, hi] exactly once. */
static void check_coverage(struct screen_parse *ps)
{
    const struct screen_instrument *in = ps->in;
    for (int s = 0; s < in->n_scales; s++) {
        int64_t next = in->scales[s].lo;
        int seen = 0;
        char p[SCREEN_PTR_MAX];
        screen__ptr(p, sizeof(p), "/scales/%d", s);
        for (bool progress = true; progress && next <= in->scales[s].hi;) {
            progress = false;
            for (int b = 0; b < in->n_bands; b++) {
                if (in->bands[b].scale == s && in->bands[b].min == next &&
                    in->bands[b].max >= next) {
                    next = in->bands[b].max + 1;
                    seen++;
                    progress = true;
                    break;
                }
            }
        }
        for (int b = 0; b < in->n_bands; b++) {
            seen -= in->bands[b].scale == s;
        }
        if (seen < 0 || (next <= in->scales[s].hi && next != in->scales[s].lo)) {
            verr_add(ps->v, p, "bands of scale '%s' must cover %lld..%lld without gaps or overlaps",
                     in->scales[s].id, (long long)in->scales[s].lo, (long long)in->scales[s].hi);
        }
    }
}

/* ---- rules, red flags, advice ------------------------------------------------------------- */

static void parse_rule(struct screen_parse *ps, json_t *jr, int idx)
{
    struct screen_rule *r = &ps->in->rules[idx];
    json_t *any = json_object_get(jr, "any"), *all = json_object_get(jr, "all");
    json_t *list = any ? any : all, *jc;
    char p[SCREEN_PTR_MAX], q[SCREEN_PTR_MAX];
    size_t i;

    static const char *const rule_keys[] = {"id", "any", "all", "level", "advice", NULL};
    const char *level = json_string_value(json_object_get(jr, "level"));
    const char *advice = json_string_value(json_object_get(jr, "advice"));

    screen__ptr(p, sizeof(p), "/rules/%d", idx);
    screen__keys(ps, jr, rule_keys, p);
    r->any = any != NULL;
    if (json_object_get(jr, "level") && (!level || screen__level_rank(level) < 0)) {
        screen__ptr(q, sizeof(q), "%s/level", p);
        verr_add(ps->v, q, "must be one of L0, L1, L2, L3, crisis");
    } else if (level) {
        snprintf(r->level, sizeof(r->level), "%s", level);
    }
    if (json_object_get(jr, "advice") &&
        (!advice || strlen(advice) > SCREEN_ID_MAX ||
         !json_is_object(json_object_get(json_object_get(ps->doc, "advice"), advice)))) {
        screen__ptr(q, sizeof(q), "%s/advice", p);
        verr_add(ps->v, q, "must name an entry of /advice");
    } else if (advice) {
        snprintf(r->advice, sizeof(r->advice), "%s", advice);
    }
    snprintf(r->id, sizeof(r->id), "%s",
             json_is_string(json_object_get(jr, "id"))
                 ? json_string_value(json_object_get(jr, "id"))
                 : "");
    if (!r->id[0] || (any && all) || !json_is_array(list) || json_array_size(list) == 0 ||
        json_array_size(list) > SCREEN_MAX_CONDS) {
        verr_add(ps->v, p, "a rule has an id and either any or all: a list of 1-%d conditions",
                 SCREEN_MAX_CONDS);
        return;
    }
    json_array_foreach(list, i, jc)
    {
        screen__ptr(q, sizeof(q), "%s/%s/%zu", p, any ? "any" : "all", i);
        if (screen__parse_cond(ps, jc, q, SCREEN_MAX_ITEMS, &r->c[r->n]) == ERR_OK) {
            r->n++;
        }
    }
}

static void parse_flag(struct screen_parse *ps, json_t *jf, int idx)
{
    static const char *const sev[] = {"amber", "red", "red_imminent", NULL};
    static const char *const protocols[] = {"suicide", "danger", NULL};
    struct screen_flag *f = &ps->in->flags[idx];
    const char *s = json_string_value(json_object_get(jf, "severity"));
    const char *pr = json_string_value(json_object_get(jf, "protocol"));
    char p[SCREEN_PTR_MAX], q[SCREEN_PTR_MAX];
    int a, b;

    static const char *const flag_keys[] = {"id", "when", "severity", "protocol", NULL};

    screen__ptr(p, sizeof(p), "/red_flags/%d", idx);
    screen__keys(ps, jf, flag_keys, p);
    snprintf(f->id, sizeof(f->id), "%s",
             json_is_string(json_object_get(jf, "id"))
                 ? json_string_value(json_object_get(jf, "id"))
                 : "");
    if (!f->id[0]) {
        verr_add(ps->v, p, "a red flag needs an id");
    }
    screen__ptr(q, sizeof(q), "%s/when", p);
    if (screen__parse_cond(ps, json_object_get(jf, "when"), q, SCREEN_MAX_ITEMS, &f->when) ==
            ERR_OK &&
        f->when.kind != SREF_ITEM) {
        verr_add(ps->v, q, "a red flag is decided on a single answer: use item:ID");
    }
    for (a = 0; s && sev[a] && strcmp(sev[a], s); a++) {
    }
    for (b = 0; pr && protocols[b] && strcmp(protocols[b], pr); b++) {
    }
    if (!s || !sev[a]) {
        screen__ptr(q, sizeof(q), "%s/severity", p);
        verr_add(ps->v, q, "must be amber, red or red_imminent");
    } else {
        snprintf(f->severity, sizeof(f->severity), "%s", s);
    }
    if (!pr || !protocols[b]) {
        screen__ptr(q, sizeof(q), "%s/protocol", p);
        verr_add(ps->v, q, "must be suicide or danger");
    } else {
        snprintf(f->protocol, sizeof(f->protocol), "%s", pr);
    }
}

static void parse_advice(struct screen_parse *ps, json_t *doc)
{
    json_t *adv = json_object_get(doc, "advice");
    const char *key;
    json_t *val;

    if (!json_is_object(adv) || json_object_size(adv) == 0) {
        verr_add(ps->v, "/advice", "is required: an object of advice keys");
        return;
    }
    json_object_foreach(adv, key, val)
    {
        static const char *const advice_keys[] = {"volunteer", "client", NULL};
        char p[SCREEN_PTR_MAX];
        screen__ptr(p, sizeof(p), "/advice/%s", key);
        screen__keys(ps, val, advice_keys, p);
        screen__ptr(p, sizeof(p), "/advice/%s/volunteer", key);
        screen__check_text(ps, json_object_get(val, "volunteer"), p, true);
        screen__ptr(p, sizeof(p), "/advice/%s/client", key);
        screen__check_text(ps, json_object_get(val, "client"), p, true);
    }
}

static json_t *list_of(struct screen_parse *ps, json_t *doc, const char *key, size_t max,
                       bool required)
{
    json_t *a = json_object_get(doc, key);
    char p[SCREEN_PTR_MAX];
    if (!a && !required) {
        return NULL;
    }
    if (!json_is_array(a) || json_array_size(a) > max || (required && json_array_size(a) == 0)) {
        screen__ptr(p, sizeof(p), "/%s", key);
        verr_add(ps->v, p, "must be a list of %s1 to %zu entries", required ? "" : "0 or ", max);
        return NULL;
    }
    return a;
}

void screen__parse_scoring(struct screen_parse *ps, json_t *doc)
{
    json_t *scales = list_of(ps, doc, "scales", SCREEN_MAX_SCALES, true);
    json_t *bands = list_of(ps, doc, "bands", SCREEN_MAX_BANDS, false);
    json_t *rules = list_of(ps, doc, "rules", SCREEN_MAX_RULES, false);
    json_t *flags = list_of(ps, doc, "red_flags", SCREEN_MAX_FLAGS, false);
    json_t *j;
    size_t i;

    if (ps->v->n) {
        return; /* scoring refers to items and sets: only check it on a sound base */
    }
    parse_advice(ps, doc);
    json_array_foreach(scales, i, j)
    {
        parse_scale(ps, j, (int)i);
        ps->in->n_scales = (int)i + 1;
    }
    json_array_foreach(bands, i, j)
    {
        parse_band(ps, doc, j, (int)i);
        ps->in->n_bands = (int)i + 1;
    }
    json_array_foreach(rules, i, j)
    {
        parse_rule(ps, j, (int)i);
        ps->in->n_rules = (int)i + 1;
    }
    json_array_foreach(flags, i, j)
    {
        parse_flag(ps, j, (int)i);
        ps->in->n_flags = (int)i + 1;
    }
    if (!ps->v->n) {
        check_coverage(ps);
    }
}
