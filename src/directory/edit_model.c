/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The coordinator's flat edit model (docs/API.md, "Social map: import, export, editing"):
 * reading the model out of a nested HSDS service, and checking a model member by member, with
 * errors under model pointers such as "/costs/coa/cost". Values are checked against the compiled
 * taxonomy, so a new term needs no change here. Applying a model is edit_apply.c.
 */
#include "core/compat.h"

#include "core/mem.h"
#include "core/str.h"
#include "directory/directory_int.h"

const char *const dir__text_fields[DIR_TEXT_FIELDS] = {"name",
                                                       "alternate_name",
                                                       "description",
                                                       "application_process",
                                                       "eligibility_description",
                                                       "fees_description",
                                                       "interpretation_services",
                                                       "alert"};

const struct dir__list_dim dir__list_dims[DIR_LIST_DIMS] = {
    {"phases", "phase", true},
    {"target_groups", "target_group", false},
    {"legal_statuses", "legal_status", true},
    {"entry_routes", "entry_route", true},
    {"culture", "culture", false},
};

static const char *const model_members[] = {"name",
                                            "alternate_name",
                                            "description",
                                            "application_process",
                                            "eligibility_description",
                                            "fees_description",
                                            "interpretation_services",
                                            "alert",
                                            "translation_status",
                                            "status",
                                            "url",
                                            "email",
                                            "minimum_age",
                                            "maximum_age",
                                            "level",
                                            "iasc_layer",
                                            "phases",
                                            "costs",
                                            "target_groups",
                                            "legal_statuses",
                                            "entry_routes",
                                            "interpreter",
                                            "culture",
                                            "capacity",
                                            "languages",
                                            "contacts",
                                            "organization_id",
                                            "service_areas",
                                            "location_ids",
                                            "mark_checked",
                                            "id",
                                            "assured_date",
                                            "assurer_email",
                                            NULL};

#define CODE_MAX 96
#define PTR_MAX  96 /* struct verr_item.pointer */

/* ---- reading attributes ------------------------------------------------------------------- */

/* The code of our term on an attribute; NULL for a term of another taxonomy. */
const char *dir__attr_code(const json_t *attr)
{
    const struct hsds_term *t =
        hsds_term_by_id(json_string_value(json_object_get(attr, "taxonomy_term_id")));
    return t ? t->code : NULL;
}

/* The part of code after "prefix." when code starts with it, else NULL. */
const char *dir__after(const char *code, const char *prefix)
{
    size_t n = strlen(prefix);
    if (!code || strncmp(code, prefix, n) || code[n] != '.') {
        return NULL;
    }
    return code + n + 1;
}

const char *dir__attr_value(const json_t *attr)
{
    return json_string_value(json_object_get(attr, "value"));
}

static int cmp_json_str(const void *a, const void *b)
{
    return strcmp(json_string_value(*(json_t *const *)a), json_string_value(*(json_t *const *)b));
}

/* Sorts an array of strings in place, so that models compare equal whatever the order. */
json_t *dir__sorted(json_t *arr)
{
    size_t n = json_array_size(arr);
    json_t **v = xcalloc(n ? n : 1, sizeof(*v));
    for (size_t i = 0; i < n; i++) {
        v[i] = json_incref(json_array_get(arr, i));
    }
    qsort(v, n, sizeof(*v), cmp_json_str);
    json_array_clear(arr);
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(arr, v[i]);
    }
    free(v);
    return arr;
}

/* Values after "dim." of the attributes in attrs, sorted. */
static json_t *dim_values(const json_t *attrs, const char *dim)
{
    json_t *out = json_array();
    const json_t *a;
    size_t i;

    json_array_foreach(attrs, i, a)
    {
        const char *v = dir__after(dir__attr_code(a), dim);
        if (v && !strchr(v, '.')) {
            json_array_append_new(out, json_string(v));
        }
    }
    return dir__sorted(out);
}

/* The single value of dim on attrs ("care_level" -> "L1"), or NULL. */
const char *dir__dim_value(const json_t *attrs, const char *dim, const json_t **attr)
{
    const json_t *a;
    size_t i;

    json_array_foreach(attrs, i, a)
    {
        const char *v = dir__after(dir__attr_code(a), dim);
        if (v && !strchr(v, '.')) {
            if (attr) {
                *attr = a;
            }
            return v;
        }
    }
    return NULL;
}

static json_t *str_or_null(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? json_string(s) : json_null();
}

static json_t *int_or_null(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_integer(v) ? json_integer(json_integer_value(v)) : json_null();
}

/* ---- the model of a service --------------------------------------------------------------- */

static json_t *model_texts(const json_t *service, const char *field)
{
    json_t *o = json_object();
    const json_t *attrs = json_object_get(service, "attributes"), *a;
    const char *nl = json_string_value(json_object_get(service, field));
    char prefix[CODE_MAX];
    size_t i;

    if (nl) {
        json_object_set_new(o, "nl", json_string(nl));
    }
    snprintf(prefix, sizeof(prefix), "translation.%s", field);
    json_array_foreach(attrs, i, a)
    {
        const char *lang = dir__after(dir__attr_code(a), prefix);
        if (lang && dir__attr_value(a)) {
            json_object_set_new(o, lang, json_string(dir__attr_value(a)));
        }
    }
    return o;
}

static json_t *model_statuses(const json_t *attrs)
{
    json_t *o = json_object();
    const json_t *a;
    size_t i;

    json_array_foreach(attrs, i, a)
    {
        const char *lang = dir__after(dir__attr_code(a), "translation_status");
        if (lang && dir__attr_value(a)) {
            json_object_set_new(o, lang, json_string(dir__attr_value(a)));
        }
    }
    return o;
}

static json_t *model_capacity(const json_t *attrs)
{
    const json_t *a;
    const char *state = NULL, *w = NULL;
    json_t *updated = NULL;
    int64_t weeks;
    size_t i;

    json_array_foreach(attrs, i, a)
    {
        const char *v = dir__after(dir__attr_code(a), "capacity");
        if (v && !strcmp(v, "updated")) {
            json_decref(updated);
            updated = str_or_null(a, "value");
        } else if (v) {
            state = v;
            w = dir__attr_value(a);
        }
    }
    if (!state || strcmp(state, "waitlist") || !w || str_parse_i64(w, strlen(w), 0, 1000, &weeks)) {
        weeks = -1;
    }
    return json_pack("{s:o, s:o, s:o}", "state", state ? json_string(state) : json_null(), "weeks",
                     weeks >= 0 ? json_integer(weeks) : json_null(), "updated",
                     updated ? updated : json_null());
}

static json_t *model_interpreter(const json_t *attrs)
{
    json_t *modes = json_array();
    const json_t *a;
    size_t i;
    bool provided = false;

    json_array_foreach(attrs, i, a)
    {
        const char *code = dir__attr_code(a);
        const char *mode = dir__after(code, "interpreter.mode");
        if (mode) {
            json_array_append_new(modes, json_string(mode));
        }
        provided |= code && !strcmp(code, "interpreter.provided");
    }
    return json_pack("{s:b, s:o}", "provided", provided, "modes", dir__sorted(modes));
}

static json_t *model_costs(const json_t *service)
{
    json_t *o = json_object();
    const json_t *co;
    size_t i;

    json_array_foreach(json_object_get(service, "cost_options"), i, co)
    {
        const json_t *attrs = json_object_get(co, "attributes");
        const char *phase = dir__dim_value(attrs, "phase", NULL);
        const char *cost = dir__dim_value(attrs, "cost", NULL);
        const json_t *amount = json_object_get(co, "amount");
        const char *paid = NULL;
        const json_t *a;
        size_t j;

        json_array_foreach(attrs, j, a)
        {
            paid = paid ? paid : dir__after(dir__attr_code(a), "interpreter.paid_by");
        }
        if (phase) {
            json_object_set_new(
                o, phase,
                json_pack("{s:o, s:o, s:o}", "cost", cost ? json_string(cost) : json_null(),
                          "amount", json_is_number(amount) ? json_deep_copy(amount) : json_null(),
                          "interpreter_paid_by", paid ? json_string(paid) : json_null()));
        }
    }
    return o;
}

static json_t *model_contact(const json_t *ct)
{
    const json_t *phone = json_array_get(json_object_get(ct, "phones"), 0);
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "id", str_or_null(ct, "id"), "name",
                     str_or_null(ct, "name"), "title", str_or_null(ct, "title"), "email",
                     str_or_null(ct, "email"), "phone", str_or_null(phone, "number"), "roles",
                     dim_values(json_object_get(ct, "attributes"), "chain_role"));
}

/* The string member `key` of every object in service[arr], in order. */
static json_t *member_list(const json_t *service, const char *arr, const char *key)
{
    json_t *out = json_array();
    const json_t *o;
    size_t i;

    json_array_foreach(json_object_get(service, arr), i, o)
    {
        const char *s = json_string_value(json_object_get(o, key));
        if (s) {
            json_array_append_new(out, json_string(s));
        }
    }
    return out;
}

static void model_lists(json_t *m, const json_t *service)
{
    const json_t *attrs = json_object_get(service, "attributes"), *ct;
    const char *level = dir__dim_value(attrs, "care_level", NULL);
    const char *layer = dir__dim_value(attrs, "iasc_layer", NULL);
    json_t *contacts = json_array();
    int64_t n;
    size_t i;

    json_object_set_new(m, "level", level ? json_string(level) : json_null());
    json_object_set_new(m, "iasc_layer",
                        (layer && !str_parse_i64(layer, strlen(layer), 1, 4, &n)) ? json_integer(n)
                                                                                  : json_null());
    for (i = 0; i < ARRAY_SIZE(dir__list_dims); i++) {
        json_object_set_new(m, dir__list_dims[i].member, dim_values(attrs, dir__list_dims[i].dim));
    }
    json_object_set_new(m, "costs", model_costs(service));
    json_object_set_new(m, "interpreter", model_interpreter(attrs));
    json_object_set_new(m, "capacity", model_capacity(attrs));
    json_object_set_new(m, "languages", dir__sorted(member_list(service, "languages", "code")));
    json_array_foreach(json_object_get(service, "contacts"), i, ct)
    {
        json_array_append_new(contacts, model_contact(ct));
    }
    json_object_set_new(m, "contacts", contacts);
}

json_t *dir_edit_model(const json_t *service)
{
    json_t *m;
    static const char *const scalars[] = {
        "status", "url", "email", "organization_id", "id", "assured_date", "assurer_email"};

    if (!json_is_object(service)) {
        return NULL;
    }
    m = json_object();
    for (size_t i = 0; i < ARRAY_SIZE(dir__text_fields); i++) {
        json_object_set_new(m, dir__text_fields[i], model_texts(service, dir__text_fields[i]));
    }
    json_object_set_new(m, "translation_status",
                        model_statuses(json_object_get(service, "attributes")));
    for (size_t i = 0; i < ARRAY_SIZE(scalars); i++) {
        json_object_set_new(m, scalars[i], str_or_null(service, scalars[i]));
    }
    json_object_set_new(m, "minimum_age", int_or_null(service, "minimum_age"));
    json_object_set_new(m, "maximum_age", int_or_null(service, "maximum_age"));
    model_lists(m, service);
    json_object_set_new(m, "service_areas", member_list(service, "service_areas", "uri"));
    json_object_set_new(m, "location_ids",
                        dir__sorted(member_list(service, "service_at_locations", "location_id")));
    json_object_set_new(m, "mark_checked", json_false());
    return m;
}

/* ---- checking a model --------------------------------------------------------------------- */

#define AGE_MAX     130
#define WEEKS_MAX   520
#define AMOUNT_MAX  1000000.0
#define CONTACT_MAX 50
#define SHORT_MAX   200

/* True when "dim.value" is a term of ours (and value is one segment). */
bool dir__is_term(const char *dim, const char *value)
{
    char code[CODE_MAX];
    if (!value || !*value || strchr(value, '.') ||
        (size_t)snprintf(code, sizeof(code), "%s.%s", dim, value) >= sizeof(code)) {
        return false;
    }
    return hsds_term_by_code(code) != NULL;
}

static void ptr2(char *out, size_t size, const char *a, const char *b)
{
    snprintf(out, size, "/%s/%s", a, b);
}

bool dir__absent(const json_t *v)
{
    return !v || json_is_null(v);
}

/* A text of 1..max bytes of clean UTF-8; adds an error under ptr otherwise. */
static bool check_text(const json_t *v, size_t max, bool newlines, const char *ptr, struct verr *e)
{
    const char *s = json_string_value(v);
    size_t n = s ? json_string_length(v) : 0;

    if (!json_is_string(v)) {
        verr_add(e, ptr, "must be a text");
    } else if (n == 0) {
        verr_add(e, ptr, "must not be empty");
    } else if (n > max) {
        verr_add(e, ptr, "at most %zu bytes", max);
    } else if (!str_is_clean_utf8(s, n, newlines)) {
        verr_add(e, ptr, "must be UTF-8 text without control characters");
    } else {
        return true;
    }
    return false;
}

/* An optional short text (null or absent allowed). */
static void check_opt_text(const json_t *o, const char *key, size_t max, const char *base,
                           struct verr *e)
{
    char ptr[PTR_MAX];
    const json_t *v = json_object_get(o, key);
    if (!dir__absent(v)) {
        snprintf(ptr, sizeof(ptr), "%s/%s", base, key);
        check_text(v, max, false, ptr, e);
    }
}

static void check_unknown(json_t *o, const char *const *allowed, const char *base, struct verr *e)
{
    const char *k;
    json_t *v;

    json_object_foreach(o, k, v)
    {
        bool known = false;
        for (size_t i = 0; allowed[i] && !known; i++) {
            known = !strcmp(k, allowed[i]);
        }
        if (!known) {
            char ptr[PTR_MAX];
            snprintf(ptr, sizeof(ptr), "%s/%s", base, k);
            verr_add(e, ptr, "unknown member");
        }
    }
}

static void check_one_text(json_t *texts, const char *field, struct verr *e)
{
    const char *lang;
    json_t *v;
    char ptr[PTR_MAX], code[CODE_MAX];
    bool has_nl = false, has_other = false;

    json_object_foreach(texts, lang, v)
    {
        ptr2(ptr, sizeof(ptr), field, lang);
        snprintf(code, sizeof(code), "translation.%s.%s", field, lang);
        if (json_is_string(v) && json_string_length(v) == 0) {
            continue; /* an empty text is no text */
        }
        if (strcmp(lang, "nl") && !hsds_term_by_code(code)) {
            verr_add(e, ptr, "no translations in this language");
        } else if (check_text(v, HSDS_TEXT_MAX, true, ptr, e)) {
            has_nl |= !strcmp(lang, "nl");
            has_other |= strcmp(lang, "nl") != 0;
        }
    }
    if (!has_nl && (has_other || !strcmp(field, "name"))) {
        ptr2(ptr, sizeof(ptr), field, "nl");
        verr_add(e, ptr,
                 has_other ? "the Dutch text is required when there are translations" : "required");
    }
}

/* True when some text field of m has a non-empty translation in lang. */
bool dir__has_translation(json_t *m, const char *lang)
{
    for (size_t i = 0; i < ARRAY_SIZE(dir__text_fields); i++) {
        json_t *v = json_object_get(json_object_get(m, dir__text_fields[i]), lang);
        if (json_is_string(v) && json_string_length(v) > 0) {
            return true;
        }
    }
    return false;
}

static void check_texts(json_t *m, struct verr *e)
{
    const char *lang;
    json_t *v, *st = json_object_get(m, "translation_status");
    char ptr[PTR_MAX];

    for (size_t i = 0; i < ARRAY_SIZE(dir__text_fields); i++) {
        json_t *t = json_object_get(m, dir__text_fields[i]);
        snprintf(ptr, sizeof(ptr), "/%s", dir__text_fields[i]);
        if (dir__absent(t)) {
            if (!strcmp(dir__text_fields[i], "name")) {
                verr_add(e, "/name/nl", "required");
            }
        } else if (!json_is_object(t)) {
            verr_add(e, ptr, "must be an object of language: text");
        } else {
            check_one_text(t, dir__text_fields[i], e);
        }
    }
    if (!dir__absent(st) && !json_is_object(st)) {
        verr_add(e, "/translation_status", "must be an object of language: draft or reviewed");
        return;
    }
    json_object_foreach(st, lang, v)
    {
        ptr2(ptr, sizeof(ptr), "translation_status", lang);
        if (!dir__is_term("translation_status", lang) || !dir__has_translation(m, lang)) {
            verr_add(e, ptr, "no translations in this language");
        } else if (!json_is_string(v) || (strcmp(json_string_value(v), "draft") &&
                                          strcmp(json_string_value(v), "reviewed"))) {
            verr_add(e, ptr, "must be draft or reviewed");
        }
    }
}

/* An integer in [min, max] (or null/absent when optional). */
static void check_int(json_t *m, const char *key, int64_t min, int64_t max, bool required,
                      struct verr *e)
{
    json_t *v = json_object_get(m, key);
    char ptr[PTR_MAX];

    snprintf(ptr, sizeof(ptr), "/%s", key);
    if (dir__absent(v)) {
        if (required) {
            verr_add(e, ptr, "required");
        }
    } else if (!json_is_integer(v)) {
        verr_add(e, ptr, "must be a whole number");
    } else if (json_integer_value(v) < min || json_integer_value(v) > max) {
        verr_add(e, ptr, "must be from %lld to %lld", (long long)min, (long long)max);
    }
}

static void check_scalars(json_t *m, struct verr *e)
{
    static const char *const statuses[] = {"active", "inactive", "defunct", "temporarily closed"};
    json_t *status = json_object_get(m, "status"), *level = json_object_get(m, "level");
    json_t *min = json_object_get(m, "minimum_age");
    bool ok = dir__absent(status);

    for (size_t i = 0; !ok && i < ARRAY_SIZE(statuses); i++) {
        ok = json_is_string(status) && !strcmp(json_string_value(status), statuses[i]);
    }
    if (!ok) {
        verr_add(e, "/status", "must be active, inactive, defunct or temporarily closed");
    }
    check_opt_text(m, "url", 2048, "", e);
    check_opt_text(m, "email", STORE_EMAIL_MAX, "", e);
    check_int(m, "minimum_age", 0, AGE_MAX, true, e);
    check_int(m, "maximum_age", json_is_integer(min) ? json_integer_value(min) : 0, AGE_MAX, false,
              e);
    check_int(m, "iasc_layer", 1, 4, true, e);
    if (dir__absent(level)) {
        verr_add(e, "/level", "required");
    } else if (!dir__is_term("care_level", json_string_value(level))) {
        verr_add(e, "/level", "must be L0, L1, L2, L3 or crisis");
    }
    if (!dir__absent(json_object_get(m, "mark_checked")) &&
        !json_is_boolean(json_object_get(m, "mark_checked"))) {
        verr_add(e, "/mark_checked", "must be true or false");
    }
}

/* A list of distinct values of dim (any values when dim is NULL). */
void dir__check_list(json_t *v, const char *dim, bool required, const char *ptr, struct verr *e)
{
    json_t *item;
    size_t i;
    char p[PTR_MAX];

    if (dir__absent(v) || (json_is_array(v) && json_array_size(v) == 0)) {
        if (required) {
            verr_add(e, ptr, "at least one value is required");
        }
        return;
    }
    if (!json_is_array(v)) {
        verr_add(e, ptr, "must be a list");
        return;
    }
    json_array_foreach(v, i, item)
    {
        const char *s = json_string_value(item);
        snprintf(p, sizeof(p), "%s/%zu", ptr, i);
        if (!s || (dim && !dir__is_term(dim, s))) {
            verr_add(e, p, "unknown value");
            continue;
        }
        for (size_t j = 0; j < i; j++) {
            const char *t = json_string_value(json_array_get(v, j));
            if (t && !strcmp(s, t)) {
                verr_add(e, p, "listed twice");
            }
        }
    }
}

static void check_lists(json_t *m, struct verr *e)
{
    char ptr[PTR_MAX];
    json_t *legal = json_object_get(m, "legal_statuses");
    json_t *langs = json_object_get(m, "languages"), *item;
    size_t i;

    for (i = 0; i < ARRAY_SIZE(dir__list_dims); i++) {
        snprintf(ptr, sizeof(ptr), "/%s", dir__list_dims[i].member);
        dir__check_list(json_object_get(m, dir__list_dims[i].member), dir__list_dims[i].dim,
                        dir__list_dims[i].required, ptr, e);
    }
    json_array_foreach(legal, i, item)
    {
        const char *s = json_string_value(item);
        if (s && !strcmp(s, "no_limit") && json_array_size(legal) > 1) {
            verr_add(e, "/legal_statuses", "no_limit stands alone");
        }
    }
    dir__check_list(langs, NULL, false, "/languages", e);
    json_array_foreach(langs, i, item)
    {
        const char *s = json_string_value(item);
        size_t n = s ? strlen(s) : 0;
        bool ok = n == 2 || n == 3;
        for (size_t j = 0; ok && j < n; j++) {
            ok = s[j] >= 'a' && s[j] <= 'z';
        }
        if (!ok) {
            snprintf(ptr, sizeof(ptr), "/languages/%zu", i);
            verr_add(e, ptr, "must be an ISO 639 code (2 or 3 lower-case letters)");
        }
    }
}

static void check_interpreter(json_t *m, struct verr *e)
{
    static const char *const allowed[] = {"provided", "modes", NULL};
    json_t *in = json_object_get(m, "interpreter");
    json_t *provided = json_object_get(in, "provided"), *modes = json_object_get(in, "modes");

    if (!json_is_object(in)) {
        verr_add(e, "/interpreter", dir__absent(in) ? "required" : "must be an object");
        return;
    }
    check_unknown(in, allowed, "/interpreter", e);
    if (!json_is_boolean(provided)) {
        verr_add(e, "/interpreter/provided", "must be true or false");
        return;
    }
    dir__check_list(modes, "interpreter.mode", json_is_true(provided), "/interpreter/modes", e);
    if (json_is_false(provided) && json_array_size(modes) > 0) {
        verr_add(e, "/interpreter/modes", "no modes when no interpreter is provided");
    }
}

static void check_capacity(json_t *m, struct verr *e)
{
    static const char *const allowed[] = {"state", "weeks", "updated", NULL};
    json_t *cap = json_object_get(m, "capacity");
    const char *state = json_string_value(json_object_get(cap, "state"));
    json_t *weeks = json_object_get(cap, "weeks");

    if (!json_is_object(cap)) {
        verr_add(e, "/capacity", dir__absent(cap) ? "required" : "must be an object");
        return;
    }
    check_unknown(cap, allowed, "/capacity", e);
    if (!state || !strcmp(state, "updated") || !dir__is_term("capacity", state)) {
        verr_add(e, "/capacity/state", "must be open, waitlist or closed");
        return;
    }
    if (strcmp(state, "waitlist")) {
        if (!dir__absent(weeks)) {
            verr_add(e, "/capacity/weeks", "only for a waiting list");
        }
    } else if (dir__absent(weeks)) {
        verr_add(e, "/capacity/weeks", "required for a waiting list");
    } else if (!json_is_integer(weeks) || json_integer_value(weeks) < 0 ||
               json_integer_value(weeks) > WEEKS_MAX) {
        verr_add(e, "/capacity/weeks", "must be a whole number of weeks from 0 to %d", WEEKS_MAX);
    }
}

static bool in_list(json_t *list, const char *s)
{
    json_t *item;
    size_t i;
    json_array_foreach(list, i, item)
    {
        if (json_is_string(item) && !strcmp(json_string_value(item), s)) {
            return true;
        }
    }
    return false;
}

static void check_cost(json_t *c, const char *phase, bool interpreter, struct verr *e)
{
    static const char *const allowed[] = {"cost", "amount", "interpreter_paid_by", NULL};
    const char *cost = json_string_value(json_object_get(c, "cost"));
    json_t *amount = json_object_get(c, "amount"),
           *paid = json_object_get(c, "interpreter_paid_by");
    char base[48], ptr[PTR_MAX];

    ptr2(base, sizeof(base), "costs", phase);
    check_unknown(c, allowed, base, e);
    snprintf(ptr, sizeof(ptr), "%s/cost", base);
    if (!dir__is_term("cost", cost)) {
        verr_add(e, ptr, "must be free, eigen_risico or other");
    }
    snprintf(ptr, sizeof(ptr), "%s/amount", base);
    if (!dir__absent(amount) && (!json_is_number(amount) || json_number_value(amount) < 0 ||
                                 json_number_value(amount) > AMOUNT_MAX)) {
        verr_add(e, ptr, "must be an amount in euros from 0 to 1000000");
    } else if (cost && !strcmp(cost, "free") && json_is_number(amount) &&
               json_number_value(amount) != 0) {
        verr_add(e, ptr, "must be 0 or empty when free");
    }
    snprintf(ptr, sizeof(ptr), "%s/interpreter_paid_by", base);
    if (dir__absent(paid)) {
        if (interpreter) {
            verr_add(e, ptr, "required when an interpreter is provided");
        }
    } else if (!dir__is_term("interpreter.paid_by", json_string_value(paid))) {
        verr_add(e, ptr, "unknown value");
    }
}

static void check_costs(json_t *m, struct verr *e)
{
    json_t *costs = json_object_get(m, "costs"), *phases = json_object_get(m, "phases"), *v;
    bool interpreter = json_is_true(json_object_get(json_object_get(m, "interpreter"), "provided"));
    const char *phase;
    char ptr[PTR_MAX];
    size_t i;

    if (!dir__absent(costs) && !json_is_object(costs)) {
        verr_add(e, "/costs", "must be an object of phase: cost");
        return;
    }
    json_object_foreach(costs, phase, v)
    {
        if (!in_list(phases, phase)) {
            ptr2(ptr, sizeof(ptr), "costs", phase);
            verr_add(e, ptr, "not one of the service's phases");
        }
    }
    json_array_foreach(phases, i, v)
    {
        const char *p = json_string_value(v);
        json_t *c = p ? json_object_get(costs, p) : NULL;
        if (!p || !dir__is_term("phase", p)) {
            continue;
        }
        ptr2(ptr, sizeof(ptr), "costs", p);
        if (!json_is_object(c)) {
            verr_add(e, ptr,
                     dir__absent(c) ? "required for every phase of the service"
                                    : "must be an object");
        } else {
            check_cost(c, p, interpreter, e);
        }
    }
}

static bool known_contact(const json_t *old_model, const char *id)
{
    const json_t *c;
    size_t i;
    json_array_foreach(json_object_get(old_model, "contacts"), i, c)
    {
        const char *cid = json_string_value(json_object_get(c, "id"));
        if (cid && !strcmp(cid, id)) {
            return true;
        }
    }
    return false;
}

static void check_contact(json_t *c, size_t i, const json_t *old_model, struct verr *e)
{
    static const char *const allowed[] = {"id", "name", "title", "email", "phone", "roles", NULL};
    json_t *id = json_object_get(c, "id");
    char base[48], ptr[PTR_MAX];

    snprintf(base, sizeof(base), "/contacts/%zu", i);
    if (!json_is_object(c)) {
        verr_add(e, base, "must be an object");
        return;
    }
    check_unknown(c, allowed, base, e);
    snprintf(ptr, sizeof(ptr), "%s/id", base);
    if (!dir__absent(id) &&
        (!json_is_string(id) || !known_contact(old_model, json_string_value(id)))) {
        verr_add(e, ptr, "not a contact of this service (leave it out for a new contact)");
    }
    snprintf(ptr, sizeof(ptr), "%s/name", base);
    if (dir__absent(json_object_get(c, "name"))) {
        verr_add(e, ptr, "required: a function or team, not a person's name");
    } else {
        check_text(json_object_get(c, "name"), SHORT_MAX, false, ptr, e);
    }
    check_opt_text(c, "title", SHORT_MAX, base, e);
    check_opt_text(c, "email", STORE_EMAIL_MAX, base, e);
    check_opt_text(c, "phone", 40, base, e);
    snprintf(ptr, sizeof(ptr), "%s/roles", base);
    dir__check_list(json_object_get(c, "roles"), "chain_role", false, ptr, e);
}

static void check_contacts(json_t *m, const json_t *old_model, struct verr *e)
{
    json_t *cs = json_object_get(m, "contacts"), *c;
    bool roles = false;
    size_t i;

    if (!json_is_array(cs) || json_array_size(cs) == 0) {
        verr_add(e, "/contacts",
                 json_is_array(cs) || dir__absent(cs) ? "at least one contact is required"
                                                      : "must be a list");
        return;
    }
    if (json_array_size(cs) > CONTACT_MAX) {
        verr_add(e, "/contacts", "at most %d contacts", CONTACT_MAX);
        return;
    }
    json_array_foreach(cs, i, c)
    {
        check_contact(c, i, old_model, e);
        roles |= json_array_size(json_object_get(c, "roles")) > 0;
    }
    if (!roles) {
        verr_add(e, "/contacts/0/roles", "at least one contact needs a chain role");
    }
}

void dir__model_check(json_t *m, const json_t *old_model, struct verr *e)
{
    if (!json_is_object(m)) {
        verr_add(e, "", "the edit model must be a JSON object");
        return;
    }
    check_unknown(m, model_members, "", e);
    check_texts(m, e);
    check_scalars(m, e);
    check_lists(m, e);
    check_interpreter(m, e);
    check_capacity(m, e);
    check_costs(m, e);
    check_contacts(m, old_model, e);
}
