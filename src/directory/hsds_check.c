/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Validation of a service_package, driven by the HSDS 3.0 tables in hsds_schema.c: unknown
 * members, types, formats, enums, required fields and caps; then identity (a nested object's id
 * agrees with the foreign key beside it, an id names one object, an organization or location
 * repeated under several services is identical). The Veerkracht profile rules are in
 * hsds_profile.c. Normalises in place as it goes: drops nulls and empty strings and arrays,
 * fills the foreign keys that nesting implies, embeds our taxonomy terms, sorts arrays by id.
 */
#include "core/compat.h"

#include <stdarg.h>

#include "core/mem.h"
#include "core/str.h"
#include "directory/hsds_int.h"

static void walk_object(struct hck *c, json_t *obj, enum hsds_type t,
                        const struct hsds_parent *parent, const struct hsds_rel *rel);

/* ---- pointers and errors ------------------------------------------------------------------- */

static size_t ptr_push(struct hck *c, const char *key)
{
    size_t old = c->plen;
    const char *k;
    if (c->plen + 1 < sizeof(c->ptr)) {
        c->ptr[c->plen++] = '/';
    }
    for (k = key; *k && c->plen + 2 < sizeof(c->ptr); k++) {
        if (*k == '~' || *k == '/') {
            c->ptr[c->plen++] = '~';
            c->ptr[c->plen++] = *k == '~' ? '0' : '1';
        } else {
            c->ptr[c->plen++] = *k;
        }
    }
    c->ptr[c->plen] = '\0';
    return old;
}

static size_t ptr_push_index(struct hck *c, size_t i)
{
    char num[24];
    snprintf(num, sizeof(num), "%zu", i);
    return ptr_push(c, num);
}

static void ptr_pop(struct hck *c, size_t old)
{
    c->plen = old;
    c->ptr[old] = '\0';
}

bool hsds__full(const struct hck *c)
{
    return c->errs->n >= VERR_MAX;
}

void hsds__err(struct hck *c, const char *sub, const char *fmt, ...)
{
    char msg[sizeof(c->errs->items[0].detail)];
    char where[HSDS__PTR_MAX + 128];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    snprintf(where, sizeof(where), "%s%s%s", c->ptr, sub ? "/" : "", sub ? sub : "");
    verr_add(c->errs, where, "%s", msg);
}

static const char *tname(enum hsds_type t)
{
    return hsds__types[t].name;
}

static const char *str_member(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* ---- formats ------------------------------------------------------------------------------- */

static bool valid_email(const char *s, size_t n)
{
    const char *at = memchr(s, '@', n), *dot;
    size_t i;
    if (!at || at == s || n > 254 || memchr(at + 1, '@', n - (size_t)(at - s) - 1)) {
        return false;
    }
    for (i = 0; i < n; i++) {
        unsigned char u = (unsigned char)s[i];
        if (u <= 0x20 || u == 0x7F || u == ',' || u == ';' || u == '<' || u == '>') {
            return false;
        }
    }
    dot = strrchr(at + 1, '.');
    return dot && dot > at + 1 && dot[1] != '\0' && at[1] != '.' && !strstr(at, "..");
}

static bool valid_uri(const char *s, size_t n)
{
    size_t i = 0;
    if (n == 0 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) {
        return false;
    }
    while (i < n && s[i] != ':') {
        char ch = s[i++];
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '+' || ch == '-' || ch == '.';
        if (!ok) {
            return false;
        }
    }
    if (i >= n - 1) {
        return false;
    }
    for (; i < n; i++) {
        unsigned char u = (unsigned char)s[i];
        if (u <= 0x20 || u == 0x7F || u == '"' || u == '<' || u == '>' || u == '\\') {
            return false;
        }
    }
    return true;
}

static bool two_digits(const char *s, int max)
{
    return s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' &&
           (s[0] - '0') * 10 + (s[1] - '0') <= max;
}

/* HH:MM, optional :SS, optional Z or +HH:MM / -HH:MM. */
static bool valid_time(const char *s, size_t n)
{
    size_t k = 5;
    if (n < 5 || !two_digits(s, 23) || s[2] != ':' || !two_digits(s + 3, 59)) {
        return false;
    }
    if (n >= 8 && s[5] == ':') {
        if (!two_digits(s + 6, 59)) {
            return false;
        }
        k = 8;
    }
    if (k == n) {
        return true;
    }
    if (s[k] == 'Z') {
        return k + 1 == n;
    }
    return (s[k] == '+' || s[k] == '-') && n == k + 6 && two_digits(s + k + 1, 23) &&
           s[k + 3] == ':' && two_digits(s + k + 4, 59);
}

static bool valid_datetime(const char *s, size_t n)
{
    if (n < 10 || !hsds__valid_date(s, 10)) {
        return false;
    }
    if (n == 10) {
        return true;
    }
    if (s[10] != 'T' && s[10] != ' ') {
        return false;
    }
    /* seconds may carry a fraction: check the clock part and the zone leniently */
    return n >= 16 && valid_time(s + 11, 5);
}

static const char *fmt_problem(enum hsds_fmt f, const char *s, size_t n)
{
    switch (f) {
    case HF_EMAIL:
        return valid_email(s, n) ? NULL : "not a plausible e-mail address (name@domain.tld)";
    case HF_URI:
        return valid_uri(s, n) ? NULL : "not a URI: expected scheme:rest without spaces";
    case HF_DATE:
        return hsds__valid_date(s, n) ? NULL : "not a date: expected YYYY-MM-DD, a day that exists";
    case HF_TIME:
        return valid_time(s, n) ? NULL : "not a time: expected HH:MM, optionally :SS and an offset";
    case HF_DATETIME:
        return valid_datetime(s, n) ? NULL : "not a date-time: expected YYYY-MM-DD[THH:MM...]";
    default:
        return NULL;
    }
}

/* ---- scalar members ------------------------------------------------------------------------ */

static void check_enum(struct hck *c, const struct hsds_field *f, const char *s)
{
    char list[120];
    size_t k = 0;
    for (size_t i = 0; f->enums[i]; i++) {
        if (strcmp(f->enums[i], s) == 0) {
            return;
        }
        k += (size_t)snprintf(list + k, sizeof(list) - k, "%s\"%s\"", i ? ", " : "", f->enums[i]);
        if (k >= sizeof(list)) {
            k = sizeof(list) - 1;
        }
    }
    hsds__err(c, f->name, "not an allowed value; expected one of %s", list);
}

static void check_string(struct hck *c, const struct hsds_field *f, json_t *v)
{
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    const char *why;

    if (!s) {
        hsds__err(c, f->name, "expected a string");
        return;
    }
    if (n > HSDS_TEXT_MAX) {
        hsds__err(c, f->name, "too long: %zu bytes, at most %d", n, HSDS_TEXT_MAX);
        return;
    }
    if (!str_is_clean_utf8(s, n, true)) {
        hsds__err(c, f->name, "contains control characters; only tab and line breaks are allowed");
        return;
    }
    if (f->enums) {
        check_enum(c, f, s);
    }
    why = fmt_problem((enum hsds_fmt)f->fmt, s, n);
    if (why) {
        hsds__err(c, f->name, "%s", why);
    }
}

static void check_scalar(struct hck *c, const struct hsds_field *f, json_t *v)
{
    switch (f->kind) {
    case HK_STRING:
        check_string(c, f, v);
        break;
    case HK_NUMBER:
        if (!json_is_number(v)) {
            hsds__err(c, f->name, "expected a number");
        }
        break;
    case HK_INTEGER:
        if (!json_is_integer(v)) {
            hsds__err(c, f->name, "expected a whole number (no fraction, no quotes)");
        }
        break;
    default:
        break;
    }
}

/* ---- normalisation and identity ------------------------------------------------------------ */

/* Unknown and unsupported members are errors; null, "" and [] members are dropped. */
static void prune(struct hck *c, json_t *obj, enum hsds_type t)
{
    const char *key;
    json_t *v;
    void *tmp;

    json_object_foreach_safe(obj, tmp, key, v)
    {
        const struct hsds_field *f = hsds__field(t, key);
        size_t old;
        if (!f) {
            old = ptr_push(c, key);
            hsds__err(c, NULL, "unknown member: an HSDS 3.0 %s has no field of this name",
                      tname(t));
            ptr_pop(c, old);
        } else if (f->flags & HSDS_F_UNSUPPORTED) {
            hsds__err(c, key, "not supported yet: give each %s once, where a service uses it",
                      tname((enum hsds_type)f->child));
        } else if (json_is_null(v) ||
                   (json_is_string(v) && json_string_length(v) == 0 &&
                    !(f->flags & HSDS_F_KEEP_EMPTY)) ||
                   (json_is_array(v) && json_array_size(v) == 0)) {
            json_object_del(obj, key);
        }
    }
}

/* Sets obj[key] = want when absent; an error when present and different. */
static void fill_eq(struct hck *c, json_t *obj, const char *key, const char *want, const char *what)
{
    json_t *v = json_object_get(obj, key);
    if (!want) {
        return;
    }
    if (!v) {
        json_object_set_new(obj, key, json_string(want));
    } else if (!json_is_string(v) || strcmp(json_string_value(v), want) != 0) {
        hsds__err(c, key, "must be \"%.64s\", %s", want, what);
    }
}

static void fill_parent_keys(struct hck *c, json_t *obj, enum hsds_type t,
                             const struct hsds_parent *p, const struct hsds_rel *rel)
{
    if (!p) {
        return;
    }
    if (t == HT_ATTRIBUTE || t == HT_METADATA) {
        fill_eq(c, obj, t == HT_ATTRIBUTE ? "link_id" : "resource_id", p->id,
                "the id of the object it sits on");
        fill_eq(c, obj, t == HT_ATTRIBUTE ? "link_entity" : "resource_type", tname(p->type),
                "the type of the object it sits on");
        return;
    }
    if (!rel) {
        return;
    }
    fill_eq(c, obj, rel->fk, p->id, "the id of the enclosing object");
    for (size_t i = 0; i < hsds__nrels; i++) {
        const struct hsds_rel *r = &hsds__rels[i];
        if (r->child == t && strcmp(r->fk, rel->fk) != 0 && json_object_get(obj, r->fk)) {
            hsds__err(c, r->fk,
                      "must be absent: this %s is nested in a %s, so %s says where it belongs",
                      tname(t), tname(p->type), rel->fk);
        }
    }
}

static void check_id(struct hck *c, json_t *obj, enum hsds_type t)
{
    const char *id = str_member(obj, "id");
    char key[HSDS_ID_MAX + 40];
    json_t *prev;
    size_t n;

    if (!id) {
        return; /* reported as required or as a type error */
    }
    n = strlen(id);
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)id[i] <= 0x20 || id[i] == 0x7F) {
            hsds__err(c, "id", "ids may not contain spaces or control characters");
            return;
        }
    }
    if (n > HSDS_ID_MAX) {
        hsds__err(c, "id", "too long: ids are at most %d bytes (a UUID has 36)", HSDS_ID_MAX);
        return;
    }
    if (c->repeat) {
        return;
    }
    snprintf(key, sizeof(key), "%s\x1f%s", tname(t), id);
    prev = json_object_get(c->ids, key);
    if (prev) {
        hsds__err(c, "id", "duplicate id: the %s at %.80s has it too", tname(t),
                  json_string_value(prev));
        return;
    }
    json_object_set_new(c->ids, key, json_string(c->ptr));
}

static bool shared_type(enum hsds_type t, json_t *obj)
{
    if (t == HT_TAXONOMY_TERM) {
        return !hsds_term_by_id(str_member(obj, "id"));
    }
    return t == HT_ORGANIZATION || t == HT_LOCATION || t == HT_PROGRAM;
}

/* An organization, location, program or foreign term met before must be identical. */
static void walk_shared(struct hck *c, json_t *v, enum hsds_type t)
{
    const char *id = str_member(v, "id");
    char key[HSDS_ID_MAX + 40];
    json_t *first;

    if (!id || strlen(id) > HSDS_ID_MAX) {
        walk_object(c, v, t, NULL, NULL);
        return;
    }
    snprintf(key, sizeof(key), "%s\x1f%s", tname(t), id);
    first = json_object_get(c->shared, key);
    if (!first) {
        walk_object(c, v, t, NULL, NULL);
        json_object_set_new(c->shared, key, json_pack("[sO]", c->ptr, v));
        return;
    }
    c->repeat++;
    walk_object(c, v, t, NULL, NULL);
    c->repeat--;
    if (!json_equal(json_array_get(first, 1), v)) {
        hsds__err(c, NULL, "differs from the %s with the same id at %.60s; one id, one %s",
                  tname(t), json_string_value(json_array_get(first, 0)), tname(t));
    }
}

static bool member_is(json_t *o, const char *key, const char *want)
{
    const char *v = str_member(o, key);
    return want ? (v && strcmp(v, want) == 0) : !json_object_get(o, key);
}

/* term == hsds_term_json(t), without building it: this runs for every attribute. */
static bool same_term(json_t *term, const struct hsds_term *t)
{
    const struct hsds_term *parent = t->parent ? hsds_term_by_code(t->parent) : NULL;
    const char *uri = str_member(term, "term_uri");
    size_t ulen = strlen(HSDS_TAXONOMY_URI);

    return json_object_size(term) == (parent ? 8u : 7u) && member_is(term, "id", t->id) &&
           member_is(term, "code", t->code) && member_is(term, "name", t->name) &&
           member_is(term, "description", t->description) &&
           member_is(term, "parent_id", parent ? parent->id : NULL) &&
           member_is(term, "taxonomy_id", HSDS_TAXONOMY_ID) &&
           member_is(term, "language", t->lang) && uri &&
           strncmp(uri, HSDS_TAXONOMY_URI, ulen) == 0 && uri[ulen] == '#' &&
           strcmp(uri + ulen + 1, t->code) == 0;
}

/* Our own terms: embedded exactly as published (added when absent). */
static void walk_our_term(struct hck *c, json_t *term, const struct hsds_term *t)
{
    json_t *tax = json_object_get(term, "taxonomy");

    if (tax) {
        json_t *ours = hsds_taxonomy_json();
        if (json_equal(tax, ours)) {
            json_object_del(term, "taxonomy"); /* published once, in taxonomies.csv */
        }
        json_decref(ours);
    }
    c->repeat++;
    walk_object(c, term, HT_TAXONOMY_TERM, NULL, NULL);
    c->repeat--;
    if (!same_term(term, t)) {
        hsds__err(c, NULL, "does not match the Veerkracht term %s; embed it exactly as published",
                  t->code);
    }
}

static void note_foreign_term(struct hck *c, const char *id, bool nested)
{
    json_t *prev;
    if (c->repeat || !id) {
        return;
    }
    prev = json_object_get(c->fterms, id);
    if (!prev) {
        json_object_set_new(c->fterms, id, json_pack("[sb]", c->ptr, nested));
    } else if (json_is_true(json_array_get(prev, 1)) != nested) {
        hsds__err(c, "taxonomy_term",
                  "embed this term in every attribute that uses it or in none "
                  "(compare %.60s)",
                  json_string_value(json_array_get(prev, 0)));
    }
}

/* A nested single object: organization, program, location, taxonomy_term, taxonomy. */
static void walk_single(struct hck *c, json_t *obj, const struct hsds_field *f, json_t *v)
{
    enum hsds_type t = (enum hsds_type)f->child;
    char fk[64];
    const char *id = str_member(v, "id");
    size_t old;

    snprintf(fk, sizeof(fk), "%s_id", f->name);
    if (id) {
        fill_eq(c, obj, fk, id, "the id of the nested object");
    }
    old = ptr_push(c, f->name);
    if (t == HT_TAXONOMY_TERM && hsds_term_by_id(id)) {
        walk_our_term(c, v, hsds_term_by_id(id));
    } else if (t == HT_TAXONOMY) {
        walk_object(c, v, t, NULL, NULL);
        hsds__err(c, NULL,
                  "not supported yet: a nested taxonomy other than the Veerkracht one; "
                  "give taxonomy_id only");
    } else if (shared_type(t, v)) {
        walk_shared(c, v, t);
    } else {
        walk_object(c, v, t, NULL, NULL);
    }
    ptr_pop(c, old);
}

static const struct hsds_rel *rel_of(enum hsds_type parent, const char *field)
{
    for (size_t i = 0; i < hsds__nrels; i++) {
        if (hsds__rels[i].parent == parent && strcmp(hsds__rels[i].field, field) == 0) {
            return &hsds__rels[i];
        }
    }
    return NULL;
}

static void walk_array(struct hck *c, json_t *obj, enum hsds_type t, const struct hsds_field *f,
                       json_t *v)
{
    struct hsds_parent p = {t, str_member(obj, "id"), obj};
    const struct hsds_rel *rel = rel_of(t, f->name);
    enum hsds_type ct = (enum hsds_type)f->child;
    size_t i, n = json_array_size(v);

    if (!json_is_array(v)) {
        hsds__err(c, f->name, "expected an array of %s objects", tname(ct));
        return;
    }
    if (n > HSDS_ARRAY_MAX) {
        hsds__err(c, f->name, "too many items: %zu, at most %d", n, HSDS_ARRAY_MAX);
        return;
    }
    for (i = 0; i < n && !hsds__full(c); i++) {
        json_t *item = json_array_get(v, i);
        size_t old = ptr_push(c, f->name);
        ptr_push_index(c, i);
        if (!json_is_object(item)) {
            hsds__err(c, NULL, "expected a %s object", tname(ct));
        } else {
            walk_object(c, item, ct, &p, rel);
        }
        ptr_pop(c, old);
    }
}

/* ---- one object ---------------------------------------------------------------------------- */

static void check_members(struct hck *c, json_t *obj, enum hsds_type t)
{
    const struct hsds_type_desc *d = &hsds__types[t];
    for (size_t i = 0; i < d->nfields && !hsds__full(c); i++) {
        const struct hsds_field *f = &d->fields[i];
        json_t *v = json_object_get(obj, f->name);
        if (!v || (f->flags & HSDS_F_UNSUPPORTED)) {
            if (!v && (f->flags & (HSDS_F_REQ | HSDS_F_TAB))) {
                hsds__err(c, f->name, "required: every HSDS %s has %s", tname(t), f->name);
            }
        } else if (f->kind == HK_ARRAY) {
            walk_array(c, obj, t, f, v);
        } else if (f->kind == HK_OBJECT) {
            if (json_is_object(v)) {
                walk_single(c, obj, f, v);
            } else {
                hsds__err(c, f->name, "expected a %s object", tname((enum hsds_type)f->child));
            }
        } else {
            check_scalar(c, f, v);
        }
    }
}

static void check_location(struct hck *c, json_t *obj)
{
    json_t *lat = json_object_get(obj, "latitude"), *lon = json_object_get(obj, "longitude");
    if (json_is_number(lat) && (json_number_value(lat) < -90 || json_number_value(lat) > 90)) {
        hsds__err(c, "latitude", "out of range: WGS84 latitude is between -90 and 90");
    }
    if (json_is_number(lon) && (json_number_value(lon) < -180 || json_number_value(lon) > 180)) {
        hsds__err(c, "longitude", "out of range: WGS84 longitude is between -180 and 180");
    }
    if (!lat != !lon) {
        hsds__err(c, lat ? "longitude" : "latitude", "give latitude and longitude together");
    }
}

/* A package nests what its foreign keys name, so the CSV form can rebuild it exactly. */
static void check_nesting(struct hck *c, json_t *obj, enum hsds_type t)
{
    if (t == HT_SERVICE && !json_object_get(obj, "organization")) {
        hsds__err(c, "organization", "required: a package nests each service's organization");
    }
    if (t == HT_SERVICE && json_object_get(obj, "program_id") && !json_object_get(obj, "program")) {
        hsds__err(c, "program", "required with program_id: a package nests the program");
    }
    if (t == HT_SERVICE_AT_LOCATION && !json_object_get(obj, "location")) {
        hsds__err(c, "location", "required: a package nests each service_at_location's location");
    }
}

static void sort_arrays(json_t *obj, enum hsds_type t)
{
    const struct hsds_type_desc *d = &hsds__types[t];
    for (size_t i = 0; i < d->nfields; i++) {
        if (d->fields[i].kind == HK_ARRAY) {
            hsds__sort_array(json_object_get(obj, d->fields[i].name));
        }
    }
}

static void walk_object(struct hck *c, json_t *obj, enum hsds_type t,
                        const struct hsds_parent *parent, const struct hsds_rel *rel)
{
    prune(c, obj, t);
    fill_parent_keys(c, obj, t, parent, rel);
    if (t == HT_ATTRIBUTE) {
        hsds__check_attribute(c, obj, parent);
        if (!json_object_get(obj, "taxonomy_term") &&
            !hsds_term_by_id(str_member(obj, "taxonomy_term_id"))) {
            note_foreign_term(c, str_member(obj, "taxonomy_term_id"), false);
        } else if (!hsds_term_by_id(str_member(obj, "taxonomy_term_id"))) {
            note_foreign_term(c, str_member(obj, "taxonomy_term_id"), true);
        }
    }
    check_members(c, obj, t);
    check_id(c, obj, t);
    check_nesting(c, obj, t);
    if (t == HT_LOCATION) {
        check_location(c, obj);
    }
    if (hsds__field(t, "attributes")) {
        hsds__check_attr_set(c, obj, t);
    }
    if (t == HT_SERVICE) {
        hsds__check_service_profile(c, obj);
    }
    sort_arrays(obj, t);
}

/* ---- entry points -------------------------------------------------------------------------- */

static void hck_init(struct hck *c, struct verr *errs, const char *prefix)
{
    memset(c, 0, sizeof(*c));
    c->errs = errs;
    c->ids = json_object();
    c->shared = json_object();
    c->fterms = json_object();
    snprintf(c->ptr, sizeof(c->ptr), "%s", prefix ? prefix : "");
    c->plen = strlen(c->ptr);
    if (!c->ids || !c->shared || !c->fterms) {
        BUG("out of memory");
    }
}

static void hck_release(struct hck *c)
{
    json_decref(c->ids);
    json_decref(c->shared);
    json_decref(c->fterms);
}

static void check_one(struct hck *c, json_t *s)
{
    if (!json_is_object(s)) {
        hsds__err(c, NULL, "expected an HSDS service object");
        return;
    }
    walk_object(c, s, HT_SERVICE, NULL, NULL);
}

enum err hsds_check_package(json_t *pkg, struct verr *errs)
{
    struct hck c;
    size_t i, n = json_array_size(pkg);

    if (!json_is_array(pkg)) {
        verr_add(errs, "", "expected a JSON array of HSDS service objects (a service_package)");
        return ERR_INVALID;
    }
    if (n > HSDS_MAX_SERVICES) {
        verr_add(errs, "", "too many services: %zu, at most %d", n, HSDS_MAX_SERVICES);
        return ERR_INVALID;
    }
    hck_init(&c, errs, "");
    for (i = 0; i < n && !hsds__full(&c); i++) {
        size_t old = ptr_push_index(&c, i);
        check_one(&c, json_array_get(pkg, i));
        ptr_pop(&c, old);
    }
    hsds__sort_array(pkg);
    hck_release(&c);
    return errs->n ? ERR_INVALID : ERR_OK;
}

enum err hsds_check_service(json_t *service, const char *prefix, struct verr *errs)
{
    struct hck c;
    hck_init(&c, errs, prefix);
    check_one(&c, service);
    hck_release(&c);
    return errs->n ? ERR_INVALID : ERR_OK;
}
