/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Applying a checked edit model (edit_model.c) to a nested HSDS service: the service's own
 * fields, our attributes regenerated from the model (an attribute whose term was already on the
 * object keeps its id, new ones get a random UUID v4), the age bands derived from the ages, one
 * cost option per phase, the languages, the contacts with their chain roles, and on create the
 * organisation, service areas and locations taken from the map. Everything the model does not
 * name is left as it is.
 */
#include "core/compat.h"

#include "core/mem.h"
#include "directory/directory_int.h"

#define CODE_MAX 96
#define PTR_MAX  96 /* struct verr_item.pointer */

/* ---- applying a model --------------------------------------------------------------------- */

/* Builds the attributes of one object, reusing the ids of attributes that had the same term. */
struct attr_list {
    json_t *out;       /* owned, the new list */
    const json_t *old; /* the object's attributes before */
    const char *link_id;
    const char *entity;
};

static const char *old_attr_id(const json_t *old, const char *term_id)
{
    const json_t *a;
    size_t i;
    json_array_foreach(old, i, a)
    {
        const char *t = json_string_value(json_object_get(a, "taxonomy_term_id"));
        if (t && !strcmp(t, term_id)) {
            return json_string_value(json_object_get(a, "id"));
        }
    }
    return NULL;
}

static void attr_add(struct attr_list *l, const char *code, const char *value)
{
    const struct hsds_term *t = hsds_term_by_code(code);
    char id[DIR_UUID_LEN + 1], dim[CODE_MAX];
    const char *keep;
    json_t *a;

    if (!t) {
        BUG("edit model: term %s was checked but is unknown", code);
    }
    keep = old_attr_id(l->old, t->id);
    if (keep) {
        snprintf(id, sizeof(id), "%s", keep);
    } else {
        dir__uuid_v4(id);
    }
    snprintf(dim, sizeof(dim), "%.*s", (int)strcspn(code, "."), code);
    a = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "id", id, "link_id", l->link_id, "link_entity",
                  l->entity, "link_type", dim, "taxonomy_term_id", t->id, "taxonomy_term",
                  hsds_term_json(t));
    if (value) {
        json_object_set_new(a, "value", json_string(value));
    }
    json_array_append_new(l->out, a);
}

static void attr_add2(struct attr_list *l, const char *dim, const char *value, const char *v)
{
    char code[CODE_MAX];
    snprintf(code, sizeof(code), "%s.%s", dim, value);
    attr_add(l, code, v);
}

/* Starts a list with the old attributes that `keep` accepts (by code; NULL = foreign). */
static void attr_start(struct attr_list *l, json_t *obj, const char *entity,
                       bool (*keep)(const char *code))
{
    json_t *a;
    size_t i;

    l->out = json_array();
    l->old = json_object_get(obj, "attributes");
    l->link_id = json_string_value(json_object_get(obj, "id"));
    l->entity = entity;
    json_array_foreach(l->old, i, a)
    {
        if (keep(dir__attr_code(a))) {
            json_array_append(l->out, a);
        }
    }
}

static void attr_finish(struct attr_list *l, json_t *obj)
{
    if (json_array_size(l->out)) {
        json_object_set(obj, "attributes", l->out);
    } else {
        json_object_del(obj, "attributes");
    }
    json_decref(l->out);
    l->out = NULL;
}

/* Drops translation_status.<lang> where the object has no translation in lang any more. */
static void statuses_prune(json_t *attrs)
{
    for (size_t i = json_array_size(attrs); i-- > 0;) {
        const char *lang =
            dir__after(dir__attr_code(json_array_get(attrs, i)), "translation_status");
        bool used = false;
        json_t *a;
        size_t j;
        json_array_foreach(attrs, j, a)
        {
            const char *code = dir__after(dir__attr_code(a), "translation");
            const char *dot = code ? strrchr(code, '.') : NULL;
            used |= lang && dot && !strcmp(dot + 1, lang);
        }
        if (lang && !used) {
            json_array_remove(attrs, i);
        }
    }
}

static bool keep_foreign(const char *code)
{
    return code == NULL;
}

static void set_or_del(json_t *o, const char *key, json_t *v)
{
    if (dir__absent(v) || (json_is_string(v) && json_string_length(v) == 0)) {
        json_object_del(o, key);
    } else {
        json_object_set(o, key, v);
    }
}

static void apply_texts(json_t *m, json_t *svc, struct attr_list *l)
{
    json_t *st = json_object_get(m, "translation_status"), *v;
    const char *lang;
    char code[CODE_MAX];
    size_t nused = 0;
    const char *langs[64];

    for (size_t i = 0; i < ARRAY_SIZE(dir__text_fields); i++) {
        json_t *t = json_object_get(m, dir__text_fields[i]);
        set_or_del(svc, dir__text_fields[i], json_object_get(t, "nl"));
        json_object_foreach(t, lang, v)
        {
            if (strcmp(lang, "nl") && json_string_length(v) > 0) {
                snprintf(code, sizeof(code), "translation.%s.%s", dir__text_fields[i], lang);
                attr_add(l, code, json_string_value(v));
            }
        }
    }
    for (size_t i = 0; i < hsds_term_count() && nused < ARRAY_SIZE(langs); i++) {
        const char *l2 = dir__after(hsds_term_at(i)->code, "translation_status");
        if (l2 && dir__has_translation(m, l2)) {
            langs[nused++] = l2;
        }
    }
    for (size_t i = 0; i < nused; i++) {
        const char *s = json_string_value(json_object_get(st, langs[i]));
        attr_add2(l, "translation_status", langs[i], s ? s : "draft");
    }
}

/* The age bands (§2.4) that overlap [min, max]; max < 0: no upper limit. */
static void apply_ages(struct attr_list *l, int64_t min, int64_t max)
{
    static const struct {
        int lo, hi;
        const char *code;
    } bands[] = {{0, 3, "age_group.0_3"},     {4, 11, "age_group.4_11"},
                 {12, 17, "age_group.12_17"}, {18, 26, "age_group.18_26"},
                 {27, 64, "age_group.27_64"}, {65, 10000, "age_group.65_plus"}};
    for (size_t i = 0; i < ARRAY_SIZE(bands); i++) {
        if ((max < 0 || bands[i].lo <= max) && bands[i].hi >= min) {
            attr_add(l, bands[i].code, NULL);
        }
    }
}

static void apply_capacity(const struct dir__edit *x, json_t *m, struct attr_list *l)
{
    json_t *cap = json_object_get(m, "capacity"), *old = json_object_get(x->old_model, "capacity");
    const char *state = json_string_value(json_object_get(cap, "state"));
    json_t *weeks = json_object_get(cap, "weeks");
    const char *updated = json_string_value(json_object_get(old, "updated"));
    char w[24];
    bool changed =
        !json_equal(json_object_get(old, "state"), json_object_get(cap, "state")) ||
        !json_equal(json_object_get(old, "weeks"), dir__absent(weeks) ? json_null() : weeks);

    snprintf(w, sizeof(w), "%lld", (long long)json_integer_value(weeks));
    attr_add2(l, "capacity", state, json_is_integer(weeks) ? w : NULL);
    attr_add(l, "capacity.updated", (changed || !updated) ? x->today : updated);
}

static void apply_service_attrs(const struct dir__edit *x, json_t *m, json_t *svc)
{
    struct attr_list l;
    json_t *in = json_object_get(m, "interpreter"), *v;
    char layer[24];
    size_t i;

    attr_start(&l, svc, "service", keep_foreign);
    snprintf(layer, sizeof(layer), "%lld",
             (long long)json_integer_value(json_object_get(m, "iasc_layer")));
    attr_add2(&l, "care_level", json_string_value(json_object_get(m, "level")), NULL);
    attr_add2(&l, "iasc_layer", layer, NULL);
    for (size_t d = 0; d < ARRAY_SIZE(dir__list_dims); d++) {
        json_array_foreach(json_object_get(m, dir__list_dims[d].member), i, v)
        {
            attr_add2(&l, dir__list_dims[d].dim, json_string_value(v), NULL);
        }
    }
    apply_ages(&l, json_integer_value(json_object_get(m, "minimum_age")),
               json_is_integer(json_object_get(m, "maximum_age"))
                   ? json_integer_value(json_object_get(m, "maximum_age"))
                   : -1);
    attr_add(&l,
             json_is_true(json_object_get(in, "provided")) ? "interpreter.provided"
                                                           : "interpreter.not_provided",
             NULL);
    json_array_foreach(json_object_get(in, "modes"), i, v)
    {
        attr_add2(&l, "interpreter.mode", json_string_value(v), NULL);
    }
    apply_capacity(x, m, &l);
    apply_texts(m, svc, &l);
    attr_finish(&l, svc);
}

/* ---- cost options, languages, contacts ---------------------------------------------------- */

static bool keep_cost_attr(const char *code)
{
    return !code || dir__after(code, "translation") || dir__after(code, "translation_status");
}

static const char *phase_label(const char *phase)
{
    return strcmp(phase, "coa") ? "Wonend in een gemeente (statushouder)"
                                : "Wonend in een azc (COA-fase)";
}

static const char *cost_label(const char *cost)
{
    if (!strcmp(cost, "free")) {
        return "Gratis";
    }
    return strcmp(cost, "eigen_risico") ? NULL : "Eigen risico van de zorgverzekering geldt";
}

/* The stored cost option of a phase (a deep copy, new reference), or a new one. */
static json_t *cost_option_for(json_t *svc, const char *phase)
{
    json_t *co;
    char id[DIR_UUID_LEN + 1];
    size_t i;

    json_array_foreach(json_object_get(svc, "cost_options"), i, co)
    {
        const char *p = dir__dim_value(json_object_get(co, "attributes"), "phase", NULL);
        if (p && !strcmp(p, phase)) {
            return json_deep_copy(co);
        }
    }
    dir__uuid_v4(id);
    return json_pack("{s:s, s:s, s:s, s:s}", "id", id, "service_id",
                     json_string_value(json_object_get(svc, "id")), "option", phase_label(phase),
                     "currency", "EUR");
}

/* A changed cost category makes the amount description wrong: back to the Dutch default. */
static void cost_relabel(json_t *co, const char *cost)
{
    json_t *attrs = json_object_get(co, "attributes");
    const char *label = cost_label(cost);

    for (size_t i = json_array_size(attrs); i-- > 0;) {
        if (dir__after(dir__after(dir__attr_code(json_array_get(attrs, i)), "translation"),
                       "amount_description")) {
            json_array_remove(attrs, i);
        }
    }
    statuses_prune(attrs);
    if (label) {
        json_object_set_new(co, "amount_description", json_string(label));
    } else {
        json_object_del(co, "amount_description");
    }
}

static json_t *apply_cost(json_t *svc, const char *phase, json_t *c)
{
    json_t *co = cost_option_for(svc, phase);
    const char *cost = json_string_value(json_object_get(c, "cost"));
    const char *was = dir__dim_value(json_object_get(co, "attributes"), "cost", NULL);
    json_t *amount = json_object_get(c, "amount"),
           *paid = json_object_get(c, "interpreter_paid_by");
    struct attr_list l;

    if (!was || strcmp(was, cost)) {
        cost_relabel(co, cost);
    }
    if (json_is_number(amount)) {
        json_object_set(co, "amount", amount);
    } else if (!strcmp(cost, "free")) {
        json_object_set_new(co, "amount", json_integer(0));
    } else {
        json_object_del(co, "amount");
    }
    if (json_object_get(co, "amount") && !json_object_get(co, "currency")) {
        json_object_set_new(co, "currency", json_string("EUR"));
    }
    attr_start(&l, co, "cost_option", keep_cost_attr);
    attr_add2(&l, "phase", phase, NULL);
    attr_add2(&l, "cost", cost, NULL);
    if (json_is_string(paid)) {
        attr_add2(&l, "interpreter.paid_by", json_string_value(paid), NULL);
    }
    attr_finish(&l, co);
    return co;
}

static void apply_costs(json_t *m, json_t *svc)
{
    json_t *out = json_array(), *phases = dir__sorted(json_deep_copy(json_object_get(m, "phases")));
    json_t *p;
    size_t i;

    json_array_foreach(phases, i, p)
    {
        const char *phase = json_string_value(p);
        json_array_append_new(
            out, apply_cost(svc, phase, json_object_get(json_object_get(m, "costs"), phase)));
    }
    json_object_set_new(svc, "cost_options", out);
    json_decref(phases);
}

static const char *language_name(const char *code)
{
    static const char *const names[][2] = {
        {"nl", "Dutch"},   {"en", "English"},   {"ar", "Arabic"},   {"fa", "Persian"},
        {"prs", "Dari"},   {"ps", "Pashto"},    {"ti", "Tigrinya"}, {"so", "Somali"},
        {"tr", "Turkish"}, {"uk", "Ukrainian"}, {"ru", "Russian"},  {"fr", "French"},
        {"ku", "Kurdish"}, {"de", "German"},    {"es", "Spanish"},  {"am", "Amharic"},
        {"ur", "Urdu"},    {"hy", "Armenian"},  {"sq", "Albanian"}, {"ckb", "Central Kurdish"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (!strcmp(code, names[i][0])) {
            return names[i][1];
        }
    }
    return NULL;
}

/* The stored entry of svc[arr] whose `key` equals value (borrowed), or NULL. */
static json_t *find_by(json_t *svc, const char *arr, const char *key, const char *value)
{
    json_t *o;
    size_t i;
    json_array_foreach(json_object_get(svc, arr), i, o)
    {
        const char *s = json_string_value(json_object_get(o, key));
        if (s && value && !strcmp(s, value)) {
            return o;
        }
    }
    return NULL;
}

static void apply_languages(json_t *m, json_t *svc)
{
    json_t *out = json_array(), *code;
    const char *sid = json_string_value(json_object_get(svc, "id"));
    size_t i;

    json_array_foreach(json_object_get(m, "languages"), i, code)
    {
        const char *c = json_string_value(code);
        json_t *old = find_by(svc, "languages", "code", c);
        char id[DIR_UUID_LEN + 1];
        if (old) {
            json_array_append(out, old);
            continue;
        }
        dir__uuid_v4(id);
        old = json_pack("{s:s, s:s, s:s}", "id", id, "service_id", sid, "code", c);
        if (language_name(c)) {
            json_object_set_new(old, "name", json_string(language_name(c)));
        }
        json_array_append_new(out, old);
    }
    if (json_array_size(out)) {
        json_object_set(svc, "languages", out);
    } else {
        json_object_del(svc, "languages");
    }
    json_decref(out);
}

static bool keep_contact_attr(const char *code)
{
    return !dir__after(code, "chain_role");
}

static void apply_phone(json_t *ct, json_t *phone)
{
    json_t *phones = json_object_get(ct, "phones");
    char id[DIR_UUID_LEN + 1];

    if (dir__absent(phone)) {
        json_object_del(ct, "phones");
        return;
    }
    if (json_array_size(phones)) {
        json_object_set(json_array_get(phones, 0), "number", phone);
        return;
    }
    dir__uuid_v4(id);
    json_object_set_new(ct, "phones",
                        json_pack("[{s:s, s:s, s:O, s:s}]", "id", id, "contact_id",
                                  json_string_value(json_object_get(ct, "id")), "number", phone,
                                  "type", "voice"));
}

static json_t *apply_contact(json_t *svc, json_t *mc)
{
    const char *id = json_string_value(json_object_get(mc, "id"));
    json_t *old = id ? find_by(svc, "contacts", "id", id) : NULL, *ct, *r;
    struct attr_list l;
    char nid[DIR_UUID_LEN + 1];
    size_t i;

    if (old) {
        ct = json_deep_copy(old);
    } else {
        dir__uuid_v4(nid);
        ct = json_pack("{s:s, s:s}", "id", nid, "service_id",
                       json_string_value(json_object_get(svc, "id")));
    }
    json_object_set(ct, "name", json_object_get(mc, "name"));
    set_or_del(ct, "title", json_object_get(mc, "title"));
    set_or_del(ct, "email", json_object_get(mc, "email"));
    apply_phone(ct, json_object_get(mc, "phone"));
    attr_start(&l, ct, "contact", keep_contact_attr);
    json_array_foreach(json_object_get(mc, "roles"), i, r)
    {
        attr_add2(&l, "chain_role", json_string_value(r), NULL);
    }
    attr_finish(&l, ct);
    return ct;
}

static void apply_contacts(json_t *m, json_t *svc)
{
    json_t *out = json_array(), *mc;
    size_t i;

    json_array_foreach(json_object_get(m, "contacts"), i, mc)
    {
        json_array_append_new(out, apply_contact(svc, mc));
    }
    json_object_set_new(svc, "contacts", out);
}

/* ---- organisation, areas and locations of a new service ----------------------------------- */

static enum err load_doc(struct store_conn *c, bool org, const char *id, json_t **out)
{
    char *doc = NULL;
    enum err rc =
        org ? store_map_org_get(c, id, NULL, &doc) : store_map_location_get(c, id, NULL, &doc);
    *out = NULL;
    if (!rc) {
        rc = dir__parse(doc, strlen(doc), out);
    }
    free(doc);
    return rc;
}

static enum err create_org(const struct dir__edit *x, json_t *m, json_t *svc, struct verr *e)
{
    const char *id = json_string_value(json_object_get(m, "organization_id"));
    json_t *org = NULL;
    enum err rc;

    if (!id || strlen(id) > STORE_MAP_ID_MAX) {
        verr_add(e, "/organization_id", "required: the id of an organisation on the map");
        return ERR_OK;
    }
    rc = load_doc(x->c, true, id, &org);
    if (rc == ERR_NOT_FOUND) {
        verr_add(e, "/organization_id", "not an organisation on the map");
        return ERR_OK;
    }
    if (!rc) {
        json_object_set_new(svc, "organization_id", json_string(id));
        json_object_set_new(svc, "organization", org);
    }
    return rc;
}

static enum err create_areas(const struct dir__edit *x, json_t *m, json_t *svc, struct verr *e)
{
    json_t *uris = json_object_get(m, "service_areas"), *u, *out = json_array();
    const char *sid = json_string_value(json_object_get(svc, "id"));
    char ptr[PTR_MAX], id[DIR_UUID_LEN + 1];
    enum err rc = ERR_OK;
    size_t i;

    dir__check_list(uris, NULL, true, "/service_areas", e);
    json_array_foreach(uris, i, u)
    {
        const char *uri = json_string_value(u);
        struct store_map_area a;
        snprintf(ptr, sizeof(ptr), "/service_areas/%zu", i);
        if (!uri || !*uri || strlen(uri) >= sizeof(a.uri)) {
            verr_add(e, ptr, "must be an area uri of at most 255 bytes");
            continue;
        }
        rc = store_map_area_get(x->c, uri, &a);
        if (rc && rc != ERR_NOT_FOUND) {
            break;
        }
        dir__uuid_v4(id);
        json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s}", "id", id, "service_id", sid,
                                             "name", rc ? uri : a.name, "uri", uri));
        rc = ERR_OK;
    }
    json_object_set_new(svc, "service_areas", out);
    return rc;
}

static enum err create_locations(const struct dir__edit *x, json_t *m, json_t *svc, struct verr *e)
{
    json_t *ids = json_object_get(m, "location_ids"), *v, *out = json_array();
    const char *sid = json_string_value(json_object_get(svc, "id"));
    char ptr[PTR_MAX], id[DIR_UUID_LEN + 1];
    enum err rc = ERR_OK;
    size_t i;

    dir__check_list(ids, NULL, false, "/location_ids", e);
    json_array_foreach(ids, i, v)
    {
        const char *lid = json_string_value(v);
        json_t *loc = NULL;
        snprintf(ptr, sizeof(ptr), "/location_ids/%zu", i);
        rc = (lid && strlen(lid) <= STORE_MAP_ID_MAX) ? load_doc(x->c, false, lid, &loc)
                                                      : ERR_NOT_FOUND;
        if (rc == ERR_NOT_FOUND) {
            verr_add(e, ptr, "not a location on the map");
            rc = ERR_OK;
            continue;
        }
        if (rc) {
            break;
        }
        dir__uuid_v4(id);
        json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:o}", "id", id, "service_id", sid,
                                             "location_id", lid, "location", loc));
    }
    if (json_array_size(out)) {
        json_object_set(svc, "service_at_locations", out);
    }
    json_decref(out);
    return rc;
}

/* On an edit the organisation, areas and locations stay: a different value is an error. */
static void check_create_only(const struct dir__edit *x, json_t *m, struct verr *e)
{
    static const char *const keys[] = {"organization_id", "service_areas", "location_ids"};
    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        json_t *v = json_object_get(m, keys[i]), *a, *b;
        char ptr[PTR_MAX];
        bool same;
        if (dir__absent(v)) {
            continue;
        }
        a = json_is_array(v) ? dir__sorted(json_deep_copy(v)) : json_incref(v);
        b = json_deep_copy(json_object_get(x->old_model, keys[i]));
        b = json_is_array(b) ? dir__sorted(b) : b;
        same = json_equal(a, b);
        json_decref(a);
        json_decref(b);
        if (!same) {
            snprintf(ptr, sizeof(ptr), "/%s", keys[i]);
            verr_add(e, ptr, "can only be set when creating a service");
        }
    }
}

enum err dir__model_apply(const struct dir__edit *x, json_t *m, json_t *svc, struct verr *e)
{
    json_t *status = json_object_get(m, "status");
    enum err rc = ERR_OK;

    if (x->create) {
        rc = create_org(x, m, svc, e);
        rc = rc ? rc : create_areas(x, m, svc, e);
        rc = rc ? rc : create_locations(x, m, svc, e);
    } else {
        check_create_only(x, m, e);
    }
    if (rc || e->n) {
        return rc ? rc : ERR_INVALID;
    }
    json_object_set_new(svc, "status",
                        json_string(dir__absent(status) ? "active" : json_string_value(status)));
    set_or_del(svc, "url", json_object_get(m, "url"));
    set_or_del(svc, "email", json_object_get(m, "email"));
    json_object_set(svc, "minimum_age", json_object_get(m, "minimum_age"));
    set_or_del(svc, "maximum_age", json_object_get(m, "maximum_age"));
    apply_service_attrs(x, m, svc);
    apply_costs(m, svc);
    apply_languages(m, svc);
    apply_contacts(m, svc);
    if (x->create || json_is_true(json_object_get(m, "mark_checked"))) {
        json_object_set_new(svc, "assured_date", json_string(x->today));
        json_object_set_new(svc, "assurer_email", json_string(x->email));
    }
    return ERR_OK;
}
