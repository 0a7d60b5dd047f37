/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The instrument loader: checks a definition against docs/instruments.md and fills a struct
 * screen_instrument. Every problem becomes a (JSON pointer, message) pair, so an author can find
 * it; nothing is half-loaded (ERR_INVALID when any problem was found).
 */
#include "core/compat.h"

#include <stdarg.h>

#include "core/mem.h"
#include "screening/screening.h"
#include "screening/screening_int.h"

/* ---- small helpers ------------------------------------------------------------------------ */

void screen__ptr(char *out, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, size, fmt, ap);
    va_end(ap);
}

void screen__keys(struct screen_parse *ps, json_t *obj, const char *const *allowed, const char *ptr)
{
    const char *key;
    json_t *val;
    json_object_foreach(obj, key, val)
    {
        const char *const *a = allowed;
        char p[SCREEN_PTR_MAX];
        while (*a && strcmp(*a, key)) {
            a++;
        }
        if (!*a) {
            screen__ptr(p, sizeof(p), "%s/%s", ptr, key);
            verr_add(ps->v, p, "unknown member (a typo?)");
        }
    }
}

static bool id_ok(const char *s, bool allow_dash)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > SCREEN_ID_MAX) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
              (allow_dash && c == '-'))) {
            return false;
        }
    }
    return true;
}

/* Copies a required id member into dst; reports under ptr/key. */
static bool take_id(json_t *obj, const char *key, char *dst, const char *ptr, bool dash,
                    struct verr *v)
{
    const char *s = json_string_value(json_object_get(obj, key));
    char p[SCREEN_PTR_MAX];
    screen__ptr(p, sizeof(p), "%s/%s", ptr, key);
    if (!id_ok(s, dash)) {
        verr_add(v, p, "must be an id of 1-%d characters a-z, 0-9, _%s", SCREEN_ID_MAX,
                 dash ? " or -" : "");
        return false;
    }
    snprintf(dst, SCREEN_ID_MAX + 1, "%s", s);
    return true;
}

bool screen__int(json_t *obj, const char *key, int64_t lo, int64_t hi, int64_t *out, bool required,
                 const char *ptr, struct verr *v)
{
    json_t *j = json_object_get(obj, key);
    char p[SCREEN_PTR_MAX];
    screen__ptr(p, sizeof(p), "%s/%s", ptr, key);
    if (!j) {
        if (required) {
            verr_add(v, p, "is required");
        }
        return false;
    }
    if (!json_is_integer(j) || json_integer_value(j) < lo || json_integer_value(j) > hi) {
        verr_add(v, p, "must be a whole number from %lld to %lld", (long long)lo, (long long)hi);
        return false;
    }
    *out = json_integer_value(j);
    return true;
}

static int enum_index(const char *s, const char *const *names)
{
    for (int i = 0; s && names[i]; i++) {
        if (!strcmp(s, names[i])) {
            return i;
        }
    }
    return -1;
}

static int take_enum(json_t *obj, const char *key, const char *const *names, const char *ptr,
                     struct verr *v)
{
    const char *s = json_string_value(json_object_get(obj, key));
    int i = enum_index(s, names);
    char p[SCREEN_PTR_MAX];
    if (i < 0) {
        struct buf list = BUF_INIT(300);
        for (int k = 0; names[k]; k++) {
            (void)buf_addf(&list, "%s%s", k ? ", " : "", names[k]);
        }
        screen__ptr(p, sizeof(p), "%s/%s", ptr, key);
        verr_add(v, p, "must be one of %s", list.ptr);
        buf_release(&list);
    }
    return i;
}

/* A text: an object with a non-empty string of at most 500 bytes for every language. */
void screen__check_text(const struct screen_parse *ps, json_t *t, const char *ptr, bool required)
{
    const char *lang;
    json_t *val;
    if (!t) {
        if (required) {
            verr_add(ps->v, ptr, "is required (an object of language: text)");
        }
        return;
    }
    if (!json_is_object(t)) {
        verr_add(ps->v, ptr, "must be an object of language: text");
        return;
    }
    json_object_foreach(ps->langs, lang, val)
    {
        json_t *s = json_object_get(t, lang);
        char p[SCREEN_PTR_MAX];
        screen__ptr(p, sizeof(p), "%s/%s", ptr, lang);
        if (!json_is_string(s) || json_string_length(s) == 0 || json_string_length(s) > 500) {
            verr_add(ps->v, p, "text in '%s' is missing, empty or longer than 500 bytes", lang);
        }
    }
}

static json_t *array_member(json_t *doc, const char *key, size_t min, size_t max, bool required,
                            struct verr *v)
{
    json_t *a = json_object_get(doc, key);
    char p[SCREEN_PTR_MAX];
    screen__ptr(p, sizeof(p), "/%s", key);
    if (!a && !required) {
        return NULL;
    }
    if (!json_is_array(a) || json_array_size(a) < min || json_array_size(a) > max) {
        verr_add(v, p, "must be a list of %zu to %zu entries", min, max);
        return NULL;
    }
    return a;
}

/* ---- header ------------------------------------------------------------------------------- */

static void parse_languages(struct screen_parse *ps, json_t *doc)
{
    static const char *const statuses[] = {"draft", "reviewed", NULL};
    static const char *const lang_keys[] = {"review_status", "voice", NULL};
    json_t *langs = json_object_get(doc, "languages");
    const char *code;
    json_t *val;

    if (!json_is_object(langs) || !json_object_get(langs, "nl")) {
        verr_add(ps->v, "/languages", "must be an object of languages that includes nl");
        ps->langs = json_pack("{s:{}}", "nl");
        ps->own_langs = true;
        return;
    }
    ps->langs = langs;
    json_object_foreach(langs, code, val)
    {
        char p[SCREEN_PTR_MAX];
        screen__ptr(p, sizeof(p), "/languages/%s", code);
        if (strlen(code) < 2 || strlen(code) > 12 || !json_is_object(val)) {
            verr_add(ps->v, p, "must be a language code with {review_status, voice}");
            continue;
        }
        (void)take_enum(val, "review_status", statuses, p, ps->v);
        screen__keys(ps, val, lang_keys, p);
    }
}

static void parse_header(struct screen_parse *ps, json_t *doc)
{
    static const char *const respondents[] = {"self", "parent", "interviewer", NULL};
    static const char *const policies[] = {"bundle", "text_pack_required", NULL};
    struct screen_instrument *in = ps->in;
    const char *fmt = json_string_value(json_object_get(doc, "format"));
    const char *ver = json_string_value(json_object_get(doc, "version"));
    json_t *age = json_object_get(doc, "age");
    json_t *lic = json_object_get(doc, "licence");
    int r;

    static const char *const top[] = {
        "format",     "id",    "version",   "validated", "follows", "source",    "licence",
        "respondent", "age",   "languages", "title",     "intro",   "outro",     "response_sets",
        "sections",   "items", "scales",    "bands",     "rules",   "red_flags", "advice",
        NULL};
    static const char *const lic_keys[] = {"name", "attribution", "item_text_policy", NULL};
    static const char *const age_keys[] = {"min", "max", NULL};

    screen__keys(ps, doc, top, "");
    screen__keys(ps, lic, lic_keys, "/licence");
    screen__keys(ps, age, age_keys, "/age");
    if (!fmt || strcmp(fmt, "veerkracht-instrument/1")) {
        verr_add(ps->v, "/format", "must be \"veerkracht-instrument/1\"");
    }
    (void)take_id(doc, "id", in->id, "", true, ps->v);
    if (!ver || strlen(ver) > 16 || strspn(ver, "0123456789.") != strlen(ver) ||
        !strchr(ver, '.')) {
        verr_add(ps->v, "/version", "must be a version such as 1.0.0");
    } else {
        snprintf(in->version, sizeof(in->version), "%s", ver);
    }
    if (!json_is_boolean(json_object_get(doc, "validated"))) {
        verr_add(ps->v, "/validated", "must be true or false");
    }
    in->validated = json_is_true(json_object_get(doc, "validated"));
    if (!json_is_string(json_object_get(doc, "source"))) {
        verr_add(ps->v, "/source", "is required: who wrote this definition, from what");
    }
    if (!json_is_object(lic)) {
        verr_add(ps->v, "/licence", "is required: {name, attribution, item_text_policy}");
    } else {
        in->text_pack_required =
            take_enum(lic, "item_text_policy", policies, "/licence", ps->v) == 1;
    }
    r = take_enum(doc, "respondent", respondents, "", ps->v);
    if (r >= 0) {
        snprintf(in->respondent, sizeof(in->respondent), "%s", respondents[r]);
    }
    if (!json_is_object(age)) {
        verr_add(ps->v, "/age", "is required: {min, max}");
    } else if (screen__int(age, "min", 0, 120, &in->age_min, true, "/age", ps->v) &&
               screen__int(age, "max", 0, 130, &in->age_max, true, "/age", ps->v) &&
               in->age_min > in->age_max) {
        verr_add(ps->v, "/age", "min must not be above max");
    }
    screen__check_text(ps, json_object_get(doc, "title"), "/title", true);
    screen__check_text(ps, json_object_get(doc, "intro"), "/intro", true);
    screen__check_text(ps, json_object_get(doc, "outro"), "/outro", false);
}

/* ---- response sets and sections ---------------------------------------------------------- */

static bool option_dup(const struct screen_set *s, int64_t value)
{
    for (int i = 0; i < s->n; i++) {
        if (s->opt[i].value == value) {
            return true;
        }
    }
    return false;
}

static void parse_options(struct screen_parse *ps, json_t *jset, struct screen_set *s,
                          const char *ptr)
{
    static const char *const option_keys[] = {"value", "score", "icon", "label", NULL};
    json_t *opts = json_object_get(jset, "options");
    json_t *o;
    size_t i;

    if (!opts && s->type == SSET_SCALE) {
        return;
    }
    if (!json_is_array(opts) || json_array_size(opts) < (s->type == SSET_SCALE ? 0 : 2) ||
        json_array_size(opts) > SCREEN_MAX_OPTIONS) {
        char p[SCREEN_PTR_MAX];
        screen__ptr(p, sizeof(p), "%s/options", ptr);
        verr_add(ps->v, p, "must be a list of 2 to %d options", SCREEN_MAX_OPTIONS);
        return;
    }
    json_array_foreach(opts, i, o)
    {
        char p[SCREEN_PTR_MAX], lp[SCREEN_PTR_MAX];
        int64_t value = 0, score;
        screen__ptr(p, sizeof(p), "%s/options/%zu", ptr, i);
        screen__ptr(lp, sizeof(lp), "%s/label", p);
        screen__keys(ps, o, option_keys, p);
        screen__check_text(ps, json_object_get(o, "label"), lp, true);
        if (!screen__int(o, "value", -1000, 1000, &value, true, p, ps->v)) {
            continue;
        }
        score = value;
        (void)screen__int(o, "score", -1000, 1000, &score, false, p, ps->v);
        if (option_dup(s, value)) {
            verr_add(ps->v, p, "value %lld appears twice", (long long)value);
        } else if (s->type != SSET_SCALE) {
            s->opt[s->n].value = value;
            s->opt[s->n++].score = score;
        }
    }
}

static void set_range(struct screen_parse *ps, struct screen_set *s, const char *ptr)
{
    if (s->type == SSET_SCALE) {
        return;
    }
    if (s->n == 0) {
        return;
    }
    s->min = s->max = s->opt[0].value;
    for (int i = 1; i < s->n; i++) {
        s->min = s->opt[i].value < s->min ? s->opt[i].value : s->min;
        s->max = s->opt[i].value > s->max ? s->opt[i].value : s->max;
    }
    if (s->type == SSET_YES_NO && (s->n != 2 || s->min != 0 || s->max != 1)) {
        verr_add(ps->v, ptr, "a yes_no set has exactly the values 0 and 1");
    }
}

static void parse_sets(struct screen_parse *ps, json_t *doc)
{
    static const char *const types[] = {"yes_no", "likert", "scale", "choice", NULL};
    static const char *const set_keys[] = {"id", "type", "min", "max", "options", NULL};
    json_t *arr = array_member(doc, "response_sets", 1, SCREEN_MAX_SETS, true, ps->v);
    json_t *js;
    size_t i;

    json_array_foreach(arr, i, js)
    {
        struct screen_set *s = &ps->in->sets[ps->in->n_sets++];
        char p[SCREEN_PTR_MAX];
        int t;
        screen__ptr(p, sizeof(p), "/response_sets/%zu", i);
        screen__keys(ps, js, set_keys, p);
        (void)take_id(js, "id", s->id, p, false, ps->v);
        t = take_enum(js, "type", types, p, ps->v);
        s->type = t < 0 ? SSET_CHOICE : (enum screen_set_type)t;
        if (s->type == SSET_SCALE && screen__int(js, "min", -1000, 1000, &s->min, true, p, ps->v) &&
            screen__int(js, "max", -1000, 1000, &s->max, true, p, ps->v) && s->min >= s->max) {
            verr_add(ps->v, p, "min must be below max");
        }
        parse_options(ps, js, s, p);
        set_range(ps, s, p);
        for (int k = 0; k < ps->in->n_sets - 1; k++) {
            if (!strcmp(ps->in->sets[k].id, s->id)) {
                verr_add(ps->v, p, "id '%s' is used twice", s->id);
            }
        }
    }
}

static void parse_sections(struct screen_parse *ps, json_t *doc)
{
    static const char *const kinds[] = {"symptoms", "strengths", "stressors",
                                        "safety",   "other",     NULL};
    static const char *const section_keys[] = {"id", "kind", "title", NULL};
    json_t *arr = array_member(doc, "sections", 1, SCREEN_MAX_SECTIONS, true, ps->v);
    json_t *js;
    size_t i;

    json_array_foreach(arr, i, js)
    {
        struct screen_section *s = &ps->in->sections[ps->in->n_sections++];
        char p[SCREEN_PTR_MAX], tp[SCREEN_PTR_MAX];
        int k;
        screen__ptr(p, sizeof(p), "/sections/%zu", i);
        screen__ptr(tp, sizeof(tp), "%s/title", p);
        screen__keys(ps, js, section_keys, p);
        (void)take_id(js, "id", s->id, p, false, ps->v);
        k = take_enum(js, "kind", kinds, p, ps->v);
        s->kind = k < 0 ? SSEC_OTHER : (enum screen_section_kind)k;
        screen__check_text(ps, json_object_get(js, "title"), tp, true);
    }
}

/* ---- items -------------------------------------------------------------------------------- */

static int find_set(const struct screen_instrument *in, const char *id)
{
    for (int i = 0; id && i < in->n_sets; i++) {
        if (!strcmp(in->sets[i].id, id)) {
            return i;
        }
    }
    return -1;
}

static int find_section(const struct screen_instrument *in, const char *id)
{
    for (int i = 0; id && i < in->n_sections; i++) {
        if (!strcmp(in->sections[i].id, id)) {
            return i;
        }
    }
    return -1;
}

int screen_item_index(const struct screen_instrument *inst, const char *id)
{
    for (int i = 0; id && i < inst->n_items; i++) {
        if (!strcmp(inst->items[i].id, id)) {
            return i;
        }
    }
    return -1;
}

static void parse_item_refs(struct screen_parse *ps, json_t *ji, struct screen_item *it,
                            const char *p)
{
    char rp[SCREEN_PTR_MAX];
    it->section = find_section(ps->in, json_string_value(json_object_get(ji, "section")));
    if (it->section < 0) {
        screen__ptr(rp, sizeof(rp), "%s/section", p);
        verr_add(ps->v, rp, "must name a section");
    }
    it->set = find_set(ps->in, json_string_value(json_object_get(ji, "response_set")));
    if (it->set < 0) {
        screen__ptr(rp, sizeof(rp), "%s/response_set", p);
        verr_add(ps->v, rp, "must name a response set");
    }
}

static void parse_item(struct screen_parse *ps, json_t *ji, int idx)
{
    struct screen_item *it = &ps->in->items[idx];
    json_t *show = json_object_get(ji, "show_if");
    char p[SCREEN_PTR_MAX], tp[SCREEN_PTR_MAX];

    static const char *const item_keys[] = {"id",   "section", "response_set", "required", "text",
                                            "help", "topic",   "reverse",      "show_if",  NULL};

    screen__ptr(p, sizeof(p), "/items/%d", idx);
    screen__keys(ps, ji, item_keys, p);
    (void)take_id(ji, "id", it->id, p, false, ps->v);
    for (int k = 0; k < idx; k++) {
        if (!strcmp(ps->in->items[k].id, it->id)) {
            verr_add(ps->v, p, "id '%s' is used twice", it->id);
        }
    }
    parse_item_refs(ps, ji, it, p);
    it->required = json_is_true(json_object_get(ji, "required"));
    it->reverse = json_is_true(json_object_get(ji, "reverse"));
    if (it->reverse && it->set >= 0 && ps->in->sets[it->set].type == SSET_CHOICE) {
        verr_add(ps->v, p, "reverse needs a numeric response set");
    }
    screen__ptr(tp, sizeof(tp), "%s/text", p);
    screen__check_text(ps, json_object_get(ji, "text"), tp, true);
    screen__ptr(tp, sizeof(tp), "%s/help", p);
    screen__check_text(ps, json_object_get(ji, "help"), tp, false);
    if (show) {
        screen__ptr(tp, sizeof(tp), "%s/show_if", p);
        it->has_show_if = true;
        if (screen__parse_cond(ps, show, tp, idx, &it->show_if) == ERR_OK &&
            it->show_if.kind != SREF_ITEM) {
            verr_add(ps->v, tp, "may only refer to an earlier item");
        }
    }
}

static void parse_items(struct screen_parse *ps, json_t *doc)
{
    json_t *arr = array_member(doc, "items", 1, SCREEN_MAX_ITEMS, true, ps->v);
    json_t *ji;
    size_t i;

    ps->in->n_items = (int)json_array_size(arr);
    json_array_foreach(arr, i, ji)
    {
        parse_item(ps, ji, (int)i);
    }
}

/* ---- entry points ------------------------------------------------------------------------- */

enum err screen_parse(json_t *doc, struct screen_instrument *out, struct verr *v)
{
    struct screen_parse ps = {out, v, doc, NULL, false};
    char *canon;

    memset(out, 0, sizeof(*out));
    if (!json_is_object(doc)) {
        verr_add(v, "", "an instrument definition is a JSON object");
        return ERR_INVALID;
    }
    parse_languages(&ps, doc);
    parse_header(&ps, doc);
    parse_sets(&ps, doc);
    parse_sections(&ps, doc);
    parse_items(&ps, doc);
    screen__parse_scoring(&ps, doc);
    if (ps.own_langs) {
        json_decref(ps.langs);
    }
    if (v->n) {
        return ERR_INVALID;
    }
    out->doc = json_incref(doc);
    canon = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
    sec_hash(canon ? canon : "", canon ? strlen(canon) : 0, out->hash);
    free(canon);
    return ERR_OK;
}

enum err screen_load_bytes(const char *data, size_t len, struct screen_instrument **out,
                           struct verr *v)
{
    json_error_t jerr;
    json_t *doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
    struct screen_instrument *in;
    enum err rc;

    *out = NULL;
    if (!doc) {
        verr_add(v, "", "not JSON: line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
        return ERR_INVALID;
    }
    in = xmalloc(sizeof(*in));
    rc = screen_parse(doc, in, v);
    json_decref(doc);
    if (rc) {
        free(in);
        return rc;
    }
    *out = in;
    return ERR_OK;
}

enum err screen_load_file(const char *path, struct screen_instrument **out, struct verr *v,
                          char *msg, size_t msglen)
{
    struct buf b = BUF_INIT(4 * 1024 * 1024);
    enum err rc = buf_read_file(&b, path);

    *out = NULL;
    if (rc == ERR_IO) {
        snprintf(msg, msglen, "%s: cannot read", path);
        buf_release(&b);
        return ERR_IO;
    }
    if (rc) {
        snprintf(msg, msglen, "%s: larger than 4 MiB", path);
        buf_release(&b);
        return rc;
    }
    rc = screen_load_bytes(b.ptr, b.len, out, v);
    if (rc) {
        snprintf(msg, msglen, "%s: %zu problem(s)", path, v->n);
    }
    buf_release(&b);
    return rc;
}

void screen_free(struct screen_instrument *inst)
{
    if (inst) {
        json_decref(inst->doc);
        free(inst);
    }
}
