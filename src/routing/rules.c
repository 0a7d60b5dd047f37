/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The rule-file loader (docs/routing.md): checks a "veerkracht-routing/1" document and fills a
 * struct route_rules. Every problem becomes a (JSON pointer, message) pair; unknown members and
 * unknown condition names are refused, because a typo must not silently change the advice.
 * The stepped-care invariants are checked here and again by the engine.
 */
#include "core/compat.h"

#include <pthread.h>
#include <stdarg.h>

#include "core/buf.h"
#include "core/embed.h"
#include "core/mem.h"
#include "dossier/dossier.h"
#include "routing/routing.h"
#include "screening/screening.h"

#define PTR_MAX 96

static const char *const level_names[] = {"crisis", "L0", "L1", "L2", "L3", NULL};
static const char *const urgency_names[] = {"now",  "today",      "this_week",
                                            "soon", "when_ready", NULL};
static const char *const band_names[] = {"none", "low", "medium", "high", NULL};
static const char *const age_names[] = {"child", "youth", "adult", NULL};
static const char *const phase_names[] = {"coa", "municipality", NULL};
static const char *const wish_names[] = {"group",      "individual", "own_language",
                                         "women_only", "near_home",  NULL};

static int name_index(const char *s, const char *const *names)
{
    for (int i = 0; s && names[i]; i++) {
        if (!strcmp(s, names[i])) {
            return i;
        }
    }
    return -1;
}

const char *route_level_name(int l)
{
    return l >= 0 && l < RL_COUNT ? level_names[l] : NULL;
}
const char *route_urgency_name(int u)
{
    return u >= 0 && u < RU_COUNT ? urgency_names[u] : NULL;
}
const char *route_band_name(int b)
{
    return b >= 0 && b < RB_COUNT ? band_names[b] : NULL;
}
const char *route_age_name(int a)
{
    return a >= 0 && a < RA_COUNT ? age_names[a] : NULL;
}
const char *route_phase_name(int p)
{
    return p >= 0 && p < RP_COUNT ? phase_names[p] : NULL;
}
const char *route_wish_name(uint32_t bit)
{
    for (int i = 0; i < RW_COUNT; i++) {
        if (bit == (1u << i)) {
            return wish_names[i];
        }
    }
    return NULL;
}
int route_level_parse(const char *s)
{
    return name_index(s, level_names);
}
int route_band_parse(const char *s)
{
    return name_index(s, band_names);
}
int route_phase_parse(const char *s)
{
    return name_index(s, phase_names);
}
uint32_t route_wish_parse(const char *s)
{
    int i = name_index(s, wish_names);
    return i < 0 ? 0 : 1u << i;
}

int route_age_group(int64_t year_of_birth, int64_t year_now)
{
    int64_t age = year_now - year_of_birth;
    if (year_of_birth <= 0 || age < 4) {
        return -1;
    }
    return age <= 12 ? RA_CHILD : age <= 17 ? RA_YOUTH : RA_ADULT;
}

/* ---- small helpers ------------------------------------------------------------------------ */

static void ptrf(char *out, const char *fmt, ...) VK_PRINTF(2, 3);
static void ptrf(char *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, PTR_MAX, fmt, ap);
    va_end(ap);
}

static void reject_unknown(json_t *obj, const char *const *allowed, const char *ptr,
                           const char *what, struct verr *v)
{
    const char *key;
    json_t *val;
    json_object_foreach(obj, key, val)
    {
        if (name_index(key, allowed) < 0) {
            char p[PTR_MAX];
            ptrf(p, "%s/%s", ptr, key);
            verr_add(v, p, "unknown %s \"%.40s\"", what, key);
        }
    }
}

static bool id_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > ROUTE_ID_MAX) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
            return false;
        }
    }
    return true;
}

static void take_id(json_t *obj, const char *key, char *dst, const char *ptr, struct verr *v)
{
    const char *s = json_string_value(json_object_get(obj, key));
    char p[PTR_MAX];
    if (!id_ok(s)) {
        ptrf(p, "%s/%s", ptr, key);
        verr_add(v, p, "must be an id of 1-%d characters a-z, 0-9, _ or -", ROUTE_ID_MAX);
        return;
    }
    snprintf(dst, ROUTE_ID_MAX + 1, "%s", s);
}

static bool lang_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 3) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] < 'a' || s[i] > 'z') {
            return false;
        }
    }
    return true;
}

/* A localisable text: {"nl": "...", "en": "..."}; nl required, each 1..ROUTE_TEXT_MAX bytes. */
static void check_text(json_t *t, const char *ptr, struct verr *v)
{
    const char *lang;
    json_t *s;
    char p[PTR_MAX];
    if (!json_is_object(t)) {
        verr_add(v, ptr, "must be an object of texts per language, with at least \"nl\"");
        return;
    }
    if (!json_is_string(json_object_get(t, "nl"))) {
        ptrf(p, "%s/nl", ptr);
        verr_add(v, p, "is required (Dutch, for the volunteer)");
    }
    json_object_foreach(t, lang, s)
    {
        size_t n = json_string_length(s);
        ptrf(p, "%s/%s", ptr, lang);
        if (!lang_ok(lang)) {
            verr_add(v, p, "unknown language code (2-3 letters a-z)");
        } else if (!json_is_string(s) || n == 0 || n > ROUTE_TEXT_MAX) {
            verr_add(v, p, "must be a text of 1-%d bytes", ROUTE_TEXT_MAX);
        }
    }
}

/* A list of names: bit per index into names; ERR reported under ptr. */
static unsigned take_names(json_t *arr, const char *const *names, const char *what, const char *ptr,
                           struct verr *v)
{
    unsigned bits = 0;
    size_t i;
    json_t *e;
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > ROUTE_MAX_LIST) {
        verr_add(v, ptr, "must be a list of 1-%d %s names", ROUTE_MAX_LIST, what);
        return 0;
    }
    json_array_foreach(arr, i, e)
    {
        int k = name_index(json_string_value(e), names);
        if (k < 0) {
            verr_add(v, ptr, "unknown %s \"%.40s\"", what,
                     json_is_string(e) ? json_string_value(e) : "(not a text)");
            return 0;
        }
        bits |= 1u << k;
    }
    return bits;
}

/* ---- conditions --------------------------------------------------------------------------- */

static const char *const cond_names[] = {
    "red_flag",          "band",       "age_group", "phase", "risk", "stressors_min", "stressor",
    "function_impaired", "persistent", "wish",      NULL};

static enum route_tri take_bool(json_t *w, const char *key, const char *ptr, struct verr *v)
{
    json_t *j = json_object_get(w, key);
    char p[PTR_MAX];
    if (!j) {
        return RT_ANY;
    }
    if (!json_is_boolean(j)) {
        ptrf(p, "%s/%s", ptr, key);
        verr_add(v, p, "must be true or false");
        return RT_ANY;
    }
    return json_is_true(j) ? RT_TRUE : RT_FALSE;
}

static uint32_t take_risks(json_t *arr, const char *ptr, struct verr *v)
{
    uint32_t bits = 0, bit;
    size_t i;
    json_t *e;
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > ROUTE_MAX_LIST) {
        verr_add(v, ptr, "must be a list of 1-%d risk names", ROUTE_MAX_LIST);
        return 0;
    }
    json_array_foreach(arr, i, e)
    {
        const char *s = json_string_value(e);
        if (!s || dossier_risk_parse(s, &bit)) {
            verr_add(v, ptr, "unknown risk \"%.40s\"", s ? s : "(not a text)");
            return 0;
        }
        bits |= bit;
    }
    return bits;
}

static bool known(const char *id, const char *const *list)
{
    if (!list) {
        return true;
    }
    for (; *list; list++) {
        if (!strcmp(*list, id)) {
            return true;
        }
    }
    return false;
}

static void take_stressors(json_t *arr, struct route_when *w, const char *const *stressors,
                           const char *ptr, struct verr *v)
{
    size_t i;
    json_t *e;
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > ROUTE_MAX_LIST) {
        verr_add(v, ptr, "must be a list of 1-%d stressor ids", ROUTE_MAX_LIST);
        return;
    }
    json_array_foreach(arr, i, e)
    {
        const char *s = json_string_value(e);
        if (!id_ok(s) || !known(s, stressors)) {
            verr_add(v, ptr, "unknown stressor \"%.40s\"", s ? s : "(not a text)");
            return;
        }
        snprintf(w->stressor[w->n_stressor++], ROUTE_ID_MAX + 1, "%s", s);
    }
}

static void parse_when(json_t *j, struct route_when *w, const char *const *stressors,
                       const char *ptr, struct verr *v)
{
    char p[PTR_MAX];
    json_t *x;
    if (!json_is_object(j)) {
        verr_add(v, ptr, "must be an object of conditions (all must hold)");
        return;
    }
    reject_unknown(j, cond_names, ptr, "condition", v);
    w->red_flag = take_bool(j, "red_flag", ptr, v);
    w->function_impaired = take_bool(j, "function_impaired", ptr, v);
    w->persistent = take_bool(j, "persistent", ptr, v);
    if ((x = json_object_get(j, "band"))) {
        ptrf(p, "%s/band", ptr);
        w->bands = take_names(x, band_names, "band", p, v);
    }
    if ((x = json_object_get(j, "age_group"))) {
        ptrf(p, "%s/age_group", ptr);
        w->ages = take_names(x, age_names, "age group", p, v);
    }
    if ((x = json_object_get(j, "phase"))) {
        ptrf(p, "%s/phase", ptr);
        w->phases = take_names(x, phase_names, "phase", p, v);
    }
    if ((x = json_object_get(j, "wish"))) {
        ptrf(p, "%s/wish", ptr);
        w->wishes = take_names(x, wish_names, "wish", p, v);
    }
    if ((x = json_object_get(j, "risk"))) {
        ptrf(p, "%s/risk", ptr);
        w->risks = take_risks(x, p, v);
    }
    if ((x = json_object_get(j, "stressor"))) {
        ptrf(p, "%s/stressor", ptr);
        take_stressors(x, w, stressors, p, v);
    }
    if ((x = json_object_get(j, "stressors_min"))) {
        ptrf(p, "%s/stressors_min", ptr);
        if (!json_is_integer(x) || json_integer_value(x) < 1 ||
            json_integer_value(x) > ROUTE_MAX_LIST) {
            verr_add(v, p, "must be a whole number from 1 to %d", ROUTE_MAX_LIST);
        } else {
            w->stressors_min = (int)json_integer_value(x);
        }
    }
}

/* ---- rules -------------------------------------------------------------------------------- */

/* The ordered level list of a rule, with the invariants of stepped care. */
static void parse_levels(json_t *arr, struct route_rule *r, const char *ptr, struct verr *v)
{
    size_t i;
    json_t *e;
    unsigned seen = 0;
    char p[PTR_MAX];
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > RL_COUNT) {
        verr_add(v, ptr, "must be a list of 1-%d care levels (crisis, L0, L1, L2, L3)", RL_COUNT);
        return;
    }
    json_array_foreach(arr, i, e)
    {
        int l = name_index(json_string_value(e), level_names);
        ptrf(p, "%s/%zu", ptr, i);
        if (l < 0) {
            verr_add(v, p, "unknown level \"%.40s\"",
                     json_is_string(e) ? json_string_value(e) : "(not a text)");
            return;
        }
        if (seen & (1u << l)) {
            verr_add(v, p, "level %s listed twice", level_names[l]);
            return;
        }
        if (l == RL_CRISIS && i != 0) {
            verr_add(v, p, "crisis must come first: safety goes above everything");
        }
        if ((l == RL_L2 || l == RL_L3) && !(seen & (1u << RL_L1))) {
            verr_add(v, p,
                     "%s only after L1 in the same list: the GP is the gate to specialist care",
                     level_names[l]);
        }
        seen |= 1u << l;
        r->levels[r->n_levels++] = (enum route_level)l;
    }
}

static void parse_steps(json_t *arr, const char *ptr, struct verr *v)
{
    size_t i;
    json_t *e;
    char p[PTR_MAX];
    if (!json_is_array(arr) || json_array_size(arr) > 8) {
        verr_add(v, ptr, "must be a list of at most 8 texts");
        return;
    }
    json_array_foreach(arr, i, e)
    {
        ptrf(p, "%s/%zu", ptr, i);
        check_text(e, p, v);
    }
}

static const char *const rule_members[] = {"id",     "when",  "levels", "urgency",
                                           "reason", "steps", "stop",   NULL};

static void parse_rule(json_t *j, int idx, struct route_rule *r, const char *const *stressors,
                       struct verr *v)
{
    char ptr[PTR_MAX], p[PTR_MAX];
    json_t *x;
    int u;
    ptrf(ptr, "/rules/%d", idx);
    r->index = idx;
    if (!json_is_object(j)) {
        verr_add(v, ptr, "must be an object");
        return;
    }
    reject_unknown(j, rule_members, ptr, "member", v);
    take_id(j, "id", r->id, ptr, v);
    ptrf(p, "%s/when", ptr);
    parse_when(json_object_get(j, "when"), &r->when, stressors, p, v);
    ptrf(p, "%s/levels", ptr);
    parse_levels(json_object_get(j, "levels"), r, p, v);
    ptrf(p, "%s/urgency", ptr);
    x = json_object_get(j, "urgency");
    u = name_index(json_string_value(x), urgency_names);
    if (u < 0) {
        verr_add(v, p, "must be one of now, today, this_week, soon, when_ready");
    }
    r->urgency = u < 0 ? RU_WHEN_READY : (enum route_urgency)u;
    ptrf(p, "%s/reason", ptr);
    check_text(json_object_get(j, "reason"), p, v);
    if ((x = json_object_get(j, "steps"))) {
        ptrf(p, "%s/steps", ptr);
        parse_steps(x, p, v);
    }
    if ((x = json_object_get(j, "stop")) && !json_is_boolean(x)) {
        ptrf(p, "%s/stop", ptr);
        verr_add(v, p, "must be true or false");
    }
    r->stop = json_is_true(x);
}

/* The first rule must be the red-flag rule: {"red_flag": true} -> crisis first, urgency now. */
static void check_red_flag_rule(json_t *rules, const struct route_rules *out, struct verr *v)
{
    const struct route_rule *r = &out->rules[0];
    json_t *when = json_object_get(json_array_get(rules, 0), "when");
    if (out->n_rules == 0 || json_object_size(when) != 1 || r->when.red_flag != RT_TRUE ||
        r->n_levels == 0 || r->levels[0] != RL_CRISIS || r->urgency != RU_NOW) {
        verr_add(v, "/rules/0",
                 "the first rule must be {\"red_flag\": true} with levels [\"crisis\", ...] and "
                 "urgency now: a red flag goes above everything");
    }
    for (int i = 1; i < out->n_rules; i++) {
        for (int k = 1; k < i; k++) {
            if (!strcmp(out->rules[i].id, out->rules[k].id)) {
                char p[PTR_MAX];
                ptrf(p, "/rules/%d/id", i);
                verr_add(v, p, "duplicate rule id \"%s\"", out->rules[i].id);
            }
        }
    }
}

static void parse_rules(json_t *arr, struct route_rules *out, const char *const *stressors,
                        struct verr *v)
{
    size_t i;
    json_t *e;
    if (!json_is_array(arr) || json_array_size(arr) == 0 ||
        json_array_size(arr) > ROUTE_MAX_RULES) {
        verr_add(v, "/rules", "must be a list of 1-%d rules", ROUTE_MAX_RULES);
        return;
    }
    json_array_foreach(arr, i, e)
    {
        parse_rule(e, (int)i, &out->rules[out->n_rules++], stressors, v);
    }
    check_red_flag_rule(arr, out, v);
}

/* ---- stressor offers and targets ---------------------------------------------------------- */

static const char *const offer_members[] = {"q", "level", "reason", NULL};

static void parse_offer(const char *key, json_t *o, struct route_offer *out,
                        const char *const *stressors, struct verr *v)
{
    char ptr[PTR_MAX], p[PTR_MAX];
    const char *q = json_string_value(json_object_get(o, "q"));
    json_t *lv = json_object_get(o, "level");
    ptrf(ptr, "/stressor_offers/%.40s", key);
    if (!id_ok(key) || !known(key, stressors)) {
        verr_add(v, ptr, "unknown stressor \"%.40s\"", key);
        return;
    }
    if (!json_is_object(o)) {
        verr_add(v, ptr, "must be an object {q, level, reason}");
        return;
    }
    reject_unknown(o, offer_members, ptr, "member", v);
    snprintf(out->stressor, sizeof(out->stressor), "%s", key);
    ptrf(p, "%s/q", ptr);
    if (!q || !*q || strlen(q) >= sizeof(out->q)) {
        verr_add(v, p, "must be a search text of 1-%zu bytes", sizeof(out->q) - 1);
    } else {
        snprintf(out->q, sizeof(out->q), "%s", q);
    }
    if (lv) {
        ptrf(p, "%s/level", ptr);
        out->levels = take_names(lv, level_names, "level", p, v);
        if (out->levels & ((1u << RL_CRISIS) | (1u << RL_L2) | (1u << RL_L3))) {
            verr_add(v, p, "a practical offer is L0 or L1 (specialist care goes through L1)");
        }
    }
    ptrf(p, "%s/reason", ptr);
    check_text(json_object_get(o, "reason"), p, v);
}

static void parse_offers(json_t *obj, struct route_rules *out, const char *const *stressors,
                         struct verr *v)
{
    const char *key;
    json_t *o;
    if (!obj) {
        return;
    }
    if (!json_is_object(obj) || json_object_size(obj) > ROUTE_MAX_OFFERS) {
        verr_add(v, "/stressor_offers", "must be an object of at most %d offers", ROUTE_MAX_OFFERS);
        return;
    }
    json_object_foreach(obj, key, o)
    {
        parse_offer(key, o, &out->offers[out->n_offers++], stressors, v);
    }
}

static void parse_targets(json_t *obj, struct route_rules *out, struct verr *v)
{
    const char *key;
    json_t *d;
    for (int l = 0; l < RL_COUNT; l++) {
        out->targets_days[l] = -1;
    }
    if (!obj) {
        return;
    }
    if (!json_is_object(obj)) {
        verr_add(v, "/targets_days", "must be an object of days per level");
        return;
    }
    json_object_foreach(obj, key, d)
    {
        int l = name_index(key, level_names);
        char p[PTR_MAX];
        ptrf(p, "/targets_days/%.40s", key);
        if (l < 0) {
            verr_add(v, p, "unknown level \"%.40s\"", key);
        } else if (!json_is_integer(d) || json_integer_value(d) < 0 ||
                   json_integer_value(d) > 365) {
            verr_add(v, p, "must be a whole number of days from 0 to 365");
        } else {
            out->targets_days[l] = (int)json_integer_value(d);
        }
    }
}

/* ---- the document ------------------------------------------------------------------------- */

static const char *const top_members[] = {"format",          "id",        "version",      "title",
                                          "source",          "languages", "targets_days", "rules",
                                          "stressor_offers", NULL};

static void parse_version(json_t *doc, struct route_rules *out, struct verr *v)
{
    const char *s = json_string_value(json_object_get(doc, "version"));
    size_t n = s ? strlen(s) : 0;
    bool ok = n > 0 && n < sizeof(out->version);
    for (size_t i = 0; ok && i < n; i++) {
        ok = (s[i] >= '0' && s[i] <= '9') || s[i] == '.';
    }
    if (!ok) {
        verr_add(v, "/version", "must be a version of digits and dots, at most 16 characters");
        return;
    }
    snprintf(out->version, sizeof(out->version), "%s", s);
}

enum err route_parse(json_t *doc, struct route_rules *out, const char *const *known_stressors,
                     struct verr *v)
{
    size_t before = v->n;
    char *canon;
    memset(out, 0, sizeof(*out));
    if (!json_is_object(doc)) {
        verr_add(v, "", "must be a JSON object");
        return ERR_INVALID;
    }
    reject_unknown(doc, top_members, "", "member", v);
    if (!json_is_string(json_object_get(doc, "format")) ||
        strcmp(json_string_value(json_object_get(doc, "format")), ROUTE_FORMAT)) {
        verr_add(v, "/format", "must be \"" ROUTE_FORMAT "\"");
    }
    take_id(doc, "id", out->id, "", v);
    parse_version(doc, out, v);
    check_text(json_object_get(doc, "title"), "/title", v);
    parse_targets(json_object_get(doc, "targets_days"), out, v);
    parse_rules(json_object_get(doc, "rules"), out, known_stressors, v);
    parse_offers(json_object_get(doc, "stressor_offers"), out, known_stressors, v);
    if (v->n > before) {
        return ERR_INVALID;
    }
    canon = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
    if (!canon) {
        return ERR_NOMEM;
    }
    sec_hash(canon, strlen(canon), out->hash);
    free(canon);
    out->doc = json_incref(doc);
    return ERR_OK;
}

enum err route_load_bytes(const char *data, size_t len, const char *const *known_stressors,
                          struct route_rules **out, struct verr *v)
{
    json_error_t jerr;
    json_t *doc;
    struct route_rules *r;
    enum err rc;
    *out = NULL;
    if (len > ROUTE_FILE_MAX) {
        verr_add(v, "", "larger than %u bytes", ROUTE_FILE_MAX);
        return ERR_INVALID;
    }
    doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc) {
        verr_add(v, "", "not JSON: line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
        return ERR_INVALID;
    }
    r = xmalloc(sizeof(*r));
    rc = route_parse(doc, r, known_stressors, v);
    json_decref(doc);
    if (rc) {
        free(r);
        return rc;
    }
    *out = r;
    return ERR_OK;
}

enum err route_load_file(const char *path, const char *const *known_stressors,
                         struct route_rules **out, struct verr *v, char *msg, size_t msglen)
{
    struct buf b = BUF_INIT(ROUTE_FILE_MAX);
    enum err rc = buf_read_file(&b, path);
    *out = NULL;
    if (rc) {
        snprintf(msg, msglen, "%s: %s", path, rc == ERR_IO ? "cannot read" : "larger than 256 KiB");
        buf_release(&b);
        return rc == ERR_IO ? ERR_IO : ERR_INVALID;
    }
    rc = route_load_bytes(b.ptr, b.len, known_stressors, out, v);
    if (rc) {
        snprintf(msg, msglen, "%s: %zu problem(s)", path, v->n);
    }
    buf_release(&b);
    return rc;
}

static void add_stressors(const struct screen_instrument *in, const char **ids, size_t *n,
                          size_t max)
{
    for (int i = 0; i < in->n_items; i++) {
        const char *id = in->items[i].id;
        bool dup = false;
        if (in->sections[in->items[i].section].kind != SSEC_STRESSORS) {
            continue;
        }
        for (size_t k = 0; k < *n; k++) {
            dup |= !strcmp(ids[k], id);
        }
        if (!dup && *n < max) {
            ids[(*n)++] = id;
        }
    }
}

enum err route_stressor_ids(const struct screen_registry *reg, const char ***out)
{
    size_t max = (size_t)SCREEN_REGISTRY_MAX * SCREEN_MAX_ITEMS, n = 0;
    const char **ids = xcalloc(max + 1, sizeof(*ids));
    for (int i = 0; i < screen_registry_count(reg); i++) {
        add_stressors(screen_registry_at(reg, i), ids, &n, max);
    }
    ids[n] = NULL;
    *out = ids;
    return ERR_OK;
}

#define DEFAULT_FILE "routing/default.json"

enum err route_load_default(struct route_rules **out, struct verr *v)
{
    const struct embed_file *f =
        embed_find(data_files, data_files_count, DEFAULT_FILE, strlen(DEFAULT_FILE));
    if (!f) {
        return ERR_INTERNAL;
    }
    return route_load_bytes((const char *)f->data, f->len, NULL, out, v);
}

void route_rules_free(struct route_rules *r)
{
    if (r) {
        json_decref(r->doc);
        free(r);
    }
}

/* ---- the active rules --------------------------------------------------------------------- */

static pthread_mutex_t active_lock = PTHREAD_MUTEX_INITIALIZER;
static struct route_rules *active;

enum err route_set_active(struct route_rules *r)
{
    enum err rc = ERR_OK;
    pthread_mutex_lock(&active_lock);
    if (active) {
        rc = ERR_CONFLICT;
    } else {
        active = r;
    }
    pthread_mutex_unlock(&active_lock);
    return rc;
}

const struct route_rules *route_active(void)
{
    const struct route_rules *r;
    pthread_mutex_lock(&active_lock);
    if (!active) {
        struct verr v = {0};
        if (route_load_default(&active, &v)) {
            BUG("the compiled-in routing rules do not load");
        }
    }
    r = active;
    pthread_mutex_unlock(&active_lock);
    return r;
}

/* ---- texts -------------------------------------------------------------------------------- */

static const char *text_in(json_t *t, const char *lang)
{
    const char *s = lang ? json_string_value(json_object_get(t, lang)) : NULL;
    return s ? s : json_string_value(json_object_get(t, "nl"));
}

static json_t *rule_doc(const struct route_rules *r, int rule)
{
    return json_array_get(json_object_get(r->doc, "rules"), (size_t)r->rules[rule].index);
}

const char *route_rule_text(const struct route_rules *r, int rule, const char *member,
                            const char *lang)
{
    const char *s = text_in(json_object_get(rule_doc(r, rule), member), lang);
    return s ? s : "";
}

int route_rule_steps(const struct route_rules *r, int rule)
{
    return (int)json_array_size(json_object_get(rule_doc(r, rule), "steps"));
}

const char *route_rule_step(const struct route_rules *r, int rule, int step, const char *lang)
{
    json_t *steps = json_object_get(rule_doc(r, rule), "steps");
    const char *s = text_in(json_array_get(steps, (size_t)step), lang);
    return s ? s : "";
}
