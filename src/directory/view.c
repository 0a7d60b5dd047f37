/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * What the public map shows of a service: the card (search results, crisis list) and the detail
 * view, built from the stored HSDS documents with every text resolved field by field in the
 * reader's language, falling back to Dutch (docs/social-map.md §3). A draft translation is
 * shown but marked, so the UI can say "concept-vertaling".
 */
#include "core/compat.h"

#include <strings.h>

#include "core/clock.h"
#include "core/mem.h"
#include "core/str.h"
#include "directory/directory_int.h"

#define SUMMARY_CHARS 160
#define STALE_DAYS    183
#define DAY_MS        (24 * 3600 * 1000LL)

/* The reader's language and the drafts shown so far. */
struct vctx {
    const char *lang; /* NULL or "nl": Dutch, no lookup */
    bool draft;       /* a shown text is a draft translation */
    json_t *drafts;   /* borrowed or NULL: names of fields shown as drafts */
};

static const char *jstr(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static const char *attr_code(const json_t *attr)
{
    const struct hsds_term *t = hsds_term_by_id(jstr(attr, "taxonomy_term_id"));

    return t ? t->code : NULL;
}

/* The attribute of obj whose term code is `code`, or NULL. */
static const json_t *attr_with(const json_t *obj, const char *code)
{
    const json_t *a;
    size_t i;

    json_array_foreach(json_object_get(obj, "attributes"), i, a)
    {
        const char *c = attr_code(a);

        if (c && !strcmp(c, code)) {
            return a;
        }
    }
    return NULL;
}

/*
 * obj[field] in the reader's language when obj carries that translation, else the Dutch value;
 * NULL when neither exists. `name` is recorded in drafts when the text shown is a draft.
 */
static const char *text(struct vctx *v, const json_t *obj, const char *field, const char *name)
{
    char code[96];
    const json_t *tr, *status;

    if (!v->lang || !strcmp(v->lang, "nl")) {
        return jstr(obj, field);
    }
    snprintf(code, sizeof(code), "translation.%s.%s", field, v->lang);
    tr = attr_with(obj, code);
    if (!tr || !jstr(tr, "value")) {
        return jstr(obj, field);
    }
    snprintf(code, sizeof(code), "translation_status.%s", v->lang);
    status = attr_with(obj, code);
    if (status && !strcmp(jstr(status, "value") ? jstr(status, "value") : "", "draft")) {
        v->draft = true;
        if (v->drafts && name) {
            json_array_append_new(v->drafts, json_string(name));
        }
    }
    return jstr(tr, "value");
}

static json_t *jstr_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static void set_text(json_t *out, const char *key, struct vctx *v, const json_t *obj,
                     const char *field)
{
    json_object_set_new(out, key, jstr_or_null(text(v, obj, field, key)));
}

/* The values (code after the prefix) of obj's attributes whose code starts with prefix. */
static json_t *values(const json_t *obj, const char *prefix)
{
    json_t *out = json_array();
    size_t n = strlen(prefix), i;
    const json_t *a;

    json_array_foreach(json_object_get(obj, "attributes"), i, a)
    {
        const char *c = attr_code(a);

        if (c && !strncmp(c, prefix, n) && !strchr(c + n, '.')) {
            json_array_append_new(out, json_string(c + n));
        }
    }
    return out;
}

/* The first value under prefix (e.g. "care_level." → "L1"), or NULL. Borrowed from the term. */
static const char *value_of(const json_t *obj, const char *prefix)
{
    size_t n = strlen(prefix), i;
    const json_t *a;

    json_array_foreach(json_object_get(obj, "attributes"), i, a)
    {
        const char *c = attr_code(a);

        if (c && !strncmp(c, prefix, n) && !strchr(c + n, '.')) {
            return c + n;
        }
    }
    return NULL;
}

/* The first SUMMARY_CHARS characters of s (UTF-8). */
static json_t *summary(const char *s)
{
    size_t i = 0, chars = 0;

    if (!s) {
        return json_null();
    }
    while (s[i] && chars < SUMMARY_CHARS) {
        i++;
        while (((unsigned char)s[i] & 0xc0) == 0x80) {
            i++;
        }
        chars++;
    }
    return json_stringn(s, i);
}

static bool is_stale(const char *assured, int64_t now)
{
    int64_t at;

    return !assured || clock_parse_iso(assured, &at) || now - at > STALE_DAYS * DAY_MS;
}

/* free{coa, municipality} and cost{...} from the cost options; null for a phase not served. */
static void costs_by_phase(const json_t *s, json_t *card)
{
    json_t *free = json_pack("{s:n, s:n}", "coa", "municipality");
    json_t *cost = json_pack("{s:n, s:n}", "coa", "municipality");
    const json_t *co;
    size_t i;

    json_array_foreach(json_object_get(s, "cost_options"), i, co)
    {
        const char *phase = value_of(co, "phase."), *c = value_of(co, "cost.");

        if (phase && c) {
            json_object_set_new(free, phase, json_boolean(!strcmp(c, "free")));
            json_object_set_new(cost, phase, json_string(c));
        }
    }
    json_object_set_new(card, "free", free);
    json_object_set_new(card, "cost", cost);
}

static json_t *capacity(const json_t *s)
{
    const json_t *w = attr_with(s, "capacity.waitlist"), *u = attr_with(s, "capacity.updated");
    const char *state = attr_with(s, "capacity.open")     ? "open"
                        : w                               ? "waitlist"
                        : attr_with(s, "capacity.closed") ? "closed"
                                                          : NULL;
    const char *weeks = w ? jstr(w, "value") : NULL;
    json_t *out = json_object();
    int64_t n = -1;

    if (weeks && str_parse_i64(weeks, strlen(weeks), 0, 1000, &n)) {
        n = -1;
    }
    json_object_set_new(out, "state", jstr_or_null(state));
    json_object_set_new(out, "weeks", n >= 0 ? json_integer(n) : json_null());
    json_object_set_new(out, "updated", jstr_or_null(u ? jstr(u, "value") : NULL));
    return out;
}

static json_t *language_codes(const json_t *s)
{
    json_t *out = json_array();
    const json_t *l;
    size_t i;

    json_array_foreach(json_object_get(s, "languages"), i, l)
    {
        if (jstr(l, "code")) {
            json_array_append_new(out, json_string(jstr(l, "code")));
        }
    }
    return out;
}

static json_t *card_json(struct vctx *v, const json_t *s, const json_t *org, double km, int64_t now)
{
    json_t *card = json_object();
    const char *layer = value_of(s, "iasc_layer."), *assured = jstr(s, "assured_date");
    bool before = v->draft;
    const char *name;

    json_object_set_new(card, "id", jstr_or_null(jstr(s, "id")));
    v->draft = false;
    name = text(v, s, "name", "name");
    json_object_set_new(card, "name", jstr_or_null(name));
    json_object_set_new(card, "lang", json_string(name != jstr(s, "name") ? v->lang : "nl"));
    json_object_set_new(card, "organization",
                        json_pack("{s:o, s:o}", "id", jstr_or_null(jstr(org, "id")), "name",
                                  jstr_or_null(text(v, org, "name", "organization.name"))));
    json_object_set_new(card, "level", jstr_or_null(value_of(s, "care_level.")));
    json_object_set_new(card, "iasc_layer", layer ? json_integer(layer[0] - '0') : json_null());
    json_object_set_new(card, "languages", language_codes(s));
    json_object_set_new(card, "interpreter", json_boolean(attr_with(s, "interpreter.provided")));
    json_object_set_new(card, "interpreter_modes", values(s, "interpreter.mode."));
    costs_by_phase(s, card);
    json_object_set_new(card, "capacity", capacity(s));
    json_object_set_new(card, "entry_routes", values(s, "entry_route."));
    json_object_set_new(card, "phases", values(s, "phase."));
    json_object_set_new(card, "summary", summary(text(v, s, "description", "description")));
    json_object_set_new(card, "distance_km", km >= 0 ? json_real(km) : json_null());
    json_object_set_new(card, "assured_date", jstr_or_null(assured));
    json_object_set_new(card, "stale", json_boolean(is_stale(assured, now)));
    json_object_set_new(card, "draft", json_boolean(v->draft));
    v->draft = v->draft || before;
    return card;
}

enum err dir__docs_by_id(struct store_conn *c, int64_t id, json_t **service, json_t **org)
{
    struct store_map_stored st;
    enum err rc = store_map_stored_by_id(c, id, &st);

    *service = *org = NULL;
    if (!rc) {
        rc = dir__parse(st.doc, st.doc_len, service);
    }
    if (!rc) {
        rc = dir__parse(st.org_doc, st.org_doc_len, org);
    }
    if (rc) {
        json_decref(*service);
        *service = NULL;
    }
    store_map_stored_release(&st);
    return rc;
}

enum err dir__card(struct store_conn *c, int64_t id, const char *lang, double km, int64_t now,
                   json_t **out)
{
    struct vctx v = {lang, false, NULL};
    json_t *s = NULL, *org = NULL;
    enum err rc = dir__docs_by_id(c, id, &s, &org);

    *out = NULL;
    if (!rc) {
        *out = card_json(&v, s, org, km, now);
    }
    json_decref(s);
    json_decref(org);
    return rc;
}

/* ---- the detail view ---------------------------------------------------------------------- */

static json_t *phones(struct vctx *v, const json_t *obj)
{
    json_t *out = json_array();
    const json_t *p;
    size_t i;

    json_array_foreach(json_object_get(obj, "phones"), i, p)
    {
        json_t *o = json_pack("{s:o, s:o}", "number", jstr_or_null(jstr(p, "number")), "type",
                              jstr_or_null(jstr(p, "type")));

        set_text(o, "description", v, p, "description");
        json_array_append_new(out, o);
    }
    return out;
}

static json_t *costs(struct vctx *v, const json_t *s)
{
    json_t *out = json_array();
    const json_t *co;
    size_t i;

    json_array_foreach(json_object_get(s, "cost_options"), i, co)
    {
        json_t *o = json_object(), *amount = json_object_get(co, "amount");

        json_object_set_new(o, "phase", jstr_or_null(value_of(co, "phase.")));
        json_object_set_new(o, "cost", jstr_or_null(value_of(co, "cost.")));
        json_object_set_new(o, "amount", json_is_number(amount) ? json_copy(amount) : json_null());
        set_text(o, "option", v, co, "option");
        set_text(o, "amount_description", v, co, "amount_description");
        json_object_set_new(o, "interpreter_paid_by",
                            jstr_or_null(value_of(co, "interpreter.paid_by.")));
        json_array_append_new(out, o);
    }
    return out;
}

static json_t *documents(struct vctx *v, const json_t *s)
{
    json_t *out = json_array();
    const json_t *d;
    size_t i;

    json_array_foreach(json_object_get(s, "required_documents"), i, d)
    {
        const char *t = text(v, d, "document", "required_documents");

        if (t) {
            json_array_append_new(out, json_string(t));
        }
    }
    return out;
}

static json_t *contacts(struct vctx *v, const json_t *s)
{
    json_t *out = json_array();
    const json_t *ct;
    size_t i;

    json_array_foreach(json_object_get(s, "contacts"), i, ct)
    {
        json_t *o = json_object();

        set_text(o, "name", v, ct, "name");
        set_text(o, "title", v, ct, "title");
        set_text(o, "department", v, ct, "department");
        json_object_set_new(o, "email", jstr_or_null(jstr(ct, "email")));
        json_object_set_new(o, "phones", phones(v, ct));
        json_object_set_new(o, "roles", values(ct, "chain_role."));
        json_array_append_new(out, o);
    }
    return out;
}

static json_t *locations(struct vctx *v, const json_t *s)
{
    json_t *out = json_array();
    const json_t *sal;
    size_t i;

    json_array_foreach(json_object_get(s, "service_at_locations"), i, sal)
    {
        const json_t *l = json_object_get(sal, "location");
        json_t *o;

        if (!l) {
            continue;
        }
        o = json_pack("{s:o, s:o}", "id", jstr_or_null(jstr(l, "id")), "name",
                      jstr_or_null(text(v, l, "name", "locations.name")));
        json_object_set(o, "latitude", json_object_get(l, "latitude"));
        json_object_set(o, "longitude", json_object_get(l, "longitude"));
        if (!json_object_get(o, "latitude")) {
            json_object_set_new(o, "latitude", json_null());
            json_object_set_new(o, "longitude", json_null());
        }
        json_object_set_new(o, "url", jstr_or_null(jstr(l, "url")));
        set_text(o, "transportation", v, l, "transportation");
        json_array_append_new(out, o);
    }
    return out;
}

static json_t *schedules(struct vctx *v, const json_t *s)
{
    json_t *out = json_array();
    const json_t *sc;
    size_t i;

    json_array_foreach(json_object_get(s, "schedules"), i, sc)
    {
        json_t *o = json_pack("{s:o, s:o, s:o}", "byday", jstr_or_null(jstr(sc, "byday")),
                              "opens_at", jstr_or_null(jstr(sc, "opens_at")), "closes_at",
                              jstr_or_null(jstr(sc, "closes_at")));

        set_text(o, "description", v, sc, "description");
        json_array_append_new(out, o);
    }
    return out;
}

static json_t *areas(const json_t *s)
{
    json_t *out = json_array();
    const json_t *a;
    size_t i;

    json_array_foreach(json_object_get(s, "service_areas"), i, a)
    {
        json_array_append_new(out, json_pack("{s:o, s:o}", "uri", jstr_or_null(jstr(a, "uri")),
                                             "name", jstr_or_null(jstr(a, "name"))));
    }
    return out;
}

static json_t *organization(struct vctx *v, const json_t *org)
{
    json_t *o = json_pack("{s:o}", "id", jstr_or_null(jstr(org, "id")));

    set_text(o, "name", v, org, "name");
    set_text(o, "description", v, org, "description");
    json_object_set_new(o, "email", jstr_or_null(jstr(org, "email")));
    json_object_set_new(o, "website", jstr_or_null(jstr(org, "website")));
    json_object_set_new(o, "phones", phones(v, org));
    return o;
}

static void detail_texts(struct vctx *v, const json_t *s, json_t *d)
{
    static const char *const fields[] = {
        "description",      "application_process",     "eligibility_description",
        "fees_description", "interpretation_services", "alert"};

    for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
        set_text(d, fields[i], v, s, fields[i]);
    }
}

static json_t *detail_json(struct vctx *v, const json_t *s, int64_t now)
{
    const json_t *org = json_object_get(s, "organization");
    json_t *d = card_json(v, s, org, -1, now);

    detail_texts(v, s, d);
    json_object_set_new(d, "costs", costs(v, s));
    json_object_set_new(d, "target_groups", values(s, "target_group."));
    json_object_set_new(d, "legal_statuses", values(s, "legal_status."));
    json_object_set_new(d, "culture", values(s, "culture."));
    json_object_set_new(d, "required_documents", documents(v, s));
    json_object_set_new(d, "contacts", contacts(v, s));
    json_object_set_new(d, "phones", phones(v, s));
    json_object_set_new(d, "email", jstr_or_null(jstr(s, "email")));
    json_object_set_new(d, "url", jstr_or_null(jstr(s, "url")));
    json_object_set_new(d, "locations", locations(v, s));
    json_object_set_new(d, "schedules", schedules(v, s));
    json_object_set_new(d, "service_areas", areas(s));
    json_object_set_new(d, "organization", organization(v, org));
    json_object_set_new(d, "assurer_email", jstr_or_null(jstr(s, "assurer_email")));
    return d;
}

/* Keeps the first occurrence of each name. */
static json_t *unique(json_t *names)
{
    json_t *out = json_array();
    const json_t *n;
    size_t i, j;

    json_array_foreach(names, i, n)
    {
        bool seen = false;

        for (j = 0; j < json_array_size(out) && !seen; j++) {
            seen = json_equal(json_array_get(out, j), n);
        }
        if (!seen) {
            json_array_append(out, json_array_get(names, i));
        }
    }
    return out;
}

enum err dir_service_view(struct store_conn *c, const char *hsds_id, const char *lang, json_t **out)
{
    json_t *s = NULL, *drafts = json_array();
    struct vctx v = {lang, false, drafts};
    enum err rc = dir_service_get(c, hsds_id, &s);

    *out = NULL;
    if (!rc) {
        *out = detail_json(&v, s, clock_now_ms());
        json_object_set_new(*out, "drafts", unique(drafts));
        json_object_set_new(*out, "draft", json_boolean(v.draft));
    }
    json_decref(drafts);
    json_decref(s);
    return rc;
}

const char *dir_lang_for(const char *tag, size_t len)
{
    static const char *const langs[] = {"nl", "en", "ar", "fa", "prs", "ps", "ti",
                                        "so", "tr", "uk", "ru", "fr",  "ku"};
    size_t n = 0;

    while (n < len && tag[n] != '-' && tag[n] != '_') {
        n++;
    }
    for (size_t i = 0; i < ARRAY_SIZE(langs); i++) {
        if (strlen(langs[i]) == n && !strncasecmp(tag, langs[i], n)) {
            return langs[i];
        }
    }
    return NULL;
}

/* ---- the chain overview's row ------------------------------------------------------------- */

/* The first phone number of a contact, or NULL. */
static const char *first_phone(const json_t *ct)
{
    return jstr(json_array_get(json_object_get(ct, "phones"), 0), "number");
}

json_t *dir__chain_entry(const json_t *s, const json_t *org)
{
    json_t *e = json_object(), *roles = json_array(), *list = json_array();
    const json_t *ct, *role;
    size_t i, j;

    json_object_set_new(e, "id", jstr_or_null(jstr(s, "id")));
    json_object_set_new(e, "name", jstr_or_null(jstr(s, "name")));
    json_object_set_new(e, "organization",
                        json_pack("{s:o, s:o}", "id", jstr_or_null(jstr(org, "id")), "name",
                                  jstr_or_null(jstr(org, "name"))));
    json_object_set_new(e, "level", jstr_or_null(value_of(s, "care_level.")));
    json_object_set_new(e, "phases", values(s, "phase."));
    json_array_foreach(json_object_get(s, "contacts"), i, ct)
    {
        json_t *mine = values(ct, "chain_role.");

        if (!json_array_size(mine)) {
            json_decref(mine);
            continue;
        }
        json_array_foreach(mine, j, role)
        {
            bool seen = false;
            for (size_t k = 0; k < json_array_size(roles) && !seen; k++) {
                seen = json_equal(json_array_get(roles, k), role);
            }
            if (!seen) {
                json_array_append(roles, json_array_get(mine, j));
            }
        }
        json_array_append_new(list, json_pack("{s:o, s:o, s:o, s:o, s:o}", "name",
                                              jstr_or_null(jstr(ct, "name")), "title",
                                              jstr_or_null(jstr(ct, "title")), "phone",
                                              jstr_or_null(first_phone(ct)), "email",
                                              jstr_or_null(jstr(ct, "email")), "roles", mine));
    }
    json_object_set_new(e, "roles", roles);
    json_object_set(e, "contact", json_array_size(list) ? json_array_get(list, 0) : json_null());
    json_object_set_new(e, "contacts", list);
    json_object_set_new(e, "capacity", capacity(s));
    json_object_set_new(e, "status", jstr_or_null(jstr(s, "status")));
    return e;
}
