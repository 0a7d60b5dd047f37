/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Coordinator editing of the social map: who may edit (a coordinator of the service's region),
 * saving an edit model through the same checks as an import (hsds_check_service), mapping the
 * checker's pointers back to the model, and the record of each save: a revision row with the
 * changed model fields and the document before, and an audit row (object map_service).
 */
#include "core/compat.h"

#include "core/clock.h"
#include "core/mem.h"
#include "core/str.h"
#include "directory/directory_int.h"

#define REVISIONS_SHOWN 50
#define PTR_MAX         96

/* ---- permission --------------------------------------------------------------------------- */

/* The region `who` may edit: region if given, else their organisation's. */
static enum err editor_region(struct store_conn *c, const struct principal *who, const char *region,
                              char out[STORE_MAP_REGION_MAX + 1])
{
    struct org_row org;
    enum err rc;

    out[0] = '\0';
    if (who->role != ROLE_COORDINATOR) {
        return ERR_FORBIDDEN;
    }
    if (region) {
        snprintf(out, STORE_MAP_REGION_MAX + 1, "%s", region);
    } else {
        rc = store_org_by_id(c, who->org_id, &org);
        if (rc) {
            return rc == ERR_NOT_FOUND ? ERR_FORBIDDEN : rc;
        }
        snprintf(out, STORE_MAP_REGION_MAX + 1, "%s", org.region);
    }
    return out[0] ? ERR_OK : ERR_FORBIDDEN;
}

/* Loads a service the editor may change: ERR_NOT_FOUND, or ERR_FORBIDDEN for another region. */
static enum err load_editable(struct store_conn *c, const char *hsds_id, const char *region,
                              json_t **out)
{
    char have[STORE_MAP_REGION_MAX + 1];
    enum err rc;

    *out = NULL;
    if (!hsds_id || strlen(hsds_id) > STORE_MAP_ID_MAX) {
        return ERR_NOT_FOUND;
    }
    rc = dir__service_load(c, hsds_id, out, have);
    if (!rc && strcmp(have, region)) {
        rc = ERR_FORBIDDEN;
    }
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

/* ---- the checker's pointers in edit-model terms ------------------------------------------- */

struct ptr_parts {
    char first[48];
    long index;       /* -1 when the second segment is not an index */
    const char *rest; /* after the index, "" or "/…" */
};

static void ptr_split(const char *p, struct ptr_parts *out)
{
    size_t n = strcspn(p + (*p == '/'), "/");
    const char *q = p + (*p == '/') + n;
    int64_t idx;

    snprintf(out->first, sizeof(out->first), "%.*s", (int)n, p + (*p == '/'));
    out->index = -1;
    out->rest = q;
    if (*q == '/') {
        size_t m = strcspn(q + 1, "/");
        if (m && !str_parse_i64(q + 1, m, 0, 1000000, &idx)) {
            out->index = (long)idx;
            out->rest = q + 1 + m;
        }
    }
}

static const char *dim_member(const char *dim)
{
    static const char *const map[][2] = {
        {"care_level", "/level"},
        {"iasc_layer", "/iasc_layer"},
        {"phase", "/phases"},
        {"age_group", "/minimum_age"},
        {"target_group", "/target_groups"},
        {"legal_status", "/legal_statuses"},
        {"entry_route", "/entry_routes"},
        {"interpreter", "/interpreter"},
        {"culture", "/culture"},
        {"capacity", "/capacity"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(map); i++) {
        if (!strcmp(dim, map[i][0])) {
            return map[i][1];
        }
    }
    return NULL;
}

/* "/attributes/N/…" of the service: the model member the attribute stands for. */
static bool map_attribute(json_t *svc, long index, char *out, size_t size)
{
    json_t *a = json_array_get(json_object_get(svc, "attributes"), (size_t)index);
    const struct hsds_term *t =
        hsds_term_by_id(json_string_value(json_object_get(a, "taxonomy_term_id")));
    char dim[48];
    const char *dot;

    if (!t) {
        return false;
    }
    snprintf(dim, sizeof(dim), "%.*s", (int)strcspn(t->code, "."), t->code);
    dot = strrchr(t->code, '.');
    if (!strcmp(dim, "translation") && dot) {
        const char *field = t->code + strlen("translation.");
        snprintf(out, size, "/%.*s/%s", (int)(dot - field), field, dot + 1);
    } else if (!strcmp(dim, "translation_status") && dot) {
        snprintf(out, size, "/translation_status/%s", dot + 1);
    } else if (dim_member(dim)) {
        snprintf(out, size, "%s", dim_member(dim));
    } else {
        return false;
    }
    return true;
}

static void map_cost_option(json_t *svc, long index, char *out, size_t size)
{
    json_t *co = json_array_get(json_object_get(svc, "cost_options"), (size_t)index), *a;
    size_t i;

    snprintf(out, size, "/costs");
    json_array_foreach(json_object_get(co, "attributes"), i, a)
    {
        const struct hsds_term *t =
            hsds_term_by_id(json_string_value(json_object_get(a, "taxonomy_term_id")));
        if (t && !strncmp(t->code, "phase.", 6)) {
            snprintf(out, size, "/costs/%s", t->code + 6);
        }
    }
}

static void map_contact(json_t *svc, json_t *order, const struct ptr_parts *pp, char *out,
                        size_t size)
{
    json_t *ct = json_array_get(json_object_get(svc, "contacts"), (size_t)pp->index);
    json_t *at = json_object_get(order, json_string_value(json_object_get(ct, "id")));
    const char *sub = "";

    if (!json_is_integer(at)) {
        snprintf(out, size, "/contacts");
        return;
    }
    if (!strncmp(pp->rest, "/phones", 7)) {
        sub = "/phone";
    } else if (!strncmp(pp->rest, "/attributes", 11)) {
        sub = "/roles";
    } else if (!strcmp(pp->rest, "/name") || !strcmp(pp->rest, "/title") ||
               !strcmp(pp->rest, "/email")) {
        sub = pp->rest;
    }
    snprintf(out, size, "/contacts/%lld%s", (long long)json_integer_value(at), sub);
}

static const char *simple_member(const char *first)
{
    static const char *const same[] = {"status", "url", "email", "minimum_age", "maximum_age"};
    static const char *const map[][2] = {
        {"assured_date", "/mark_checked"},
        {"assurer_email", "/mark_checked"},
        {"languages", "/languages"},
        {"service_areas", "/service_areas"},
        {"service_at_locations", "/location_ids"},
        {"organization", "/organization_id"},
        {"organization_id", "/organization_id"},
        {"cost_options", "/costs"},
        {"contacts", "/contacts"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(same); i++) {
        if (!strcmp(first, same[i])) {
            return first;
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(map); i++) {
        if (!strcmp(first, map[i][0])) {
            return map[i][1];
        }
    }
    return NULL;
}

/* The edit-model pointer for a pointer into the service; the original when there is none. */
static void map_pointer(json_t *svc, json_t *order, const char *p, char *out, size_t size)
{
    struct ptr_parts pp = {"", -1, ""};
    const char *simple;

    ptr_split(p, &pp);
    for (size_t i = 0; i < DIR_TEXT_FIELDS; i++) {
        if (!strcmp(pp.first, dir__text_fields[i])) {
            snprintf(out, size, "/%s/nl", pp.first);
            return;
        }
    }
    if (!strcmp(pp.first, "attributes") && pp.index >= 0 &&
        map_attribute(svc, pp.index, out, size)) {
        return;
    }
    if (!strcmp(pp.first, "cost_options") && pp.index >= 0) {
        map_cost_option(svc, pp.index, out, size);
    } else if (!strcmp(pp.first, "contacts") && pp.index >= 0) {
        map_contact(svc, order, &pp, out, size);
    } else if ((simple = simple_member(pp.first)) != NULL) {
        if (simple == pp.first) {
            snprintf(out, size, "/%s", simple);
        } else {
            snprintf(out, size, "%s", simple);
        }
    } else {
        snprintf(out, size, "%s", p);
    }
}

/* contact id -> index in the model, taken before the checker sorts the contacts by id. */
static json_t *contact_order(json_t *svc)
{
    json_t *o = json_object(), *ct;
    size_t i;
    json_array_foreach(json_object_get(svc, "contacts"), i, ct)
    {
        const char *id = json_string_value(json_object_get(ct, "id"));
        if (id) {
            json_object_set_new(o, id, json_integer((json_int_t)i));
        }
    }
    return o;
}

static int cmp_id(const void *a, const void *b)
{
    const char *x = json_string_value(json_object_get(*(json_t *const *)a, "id"));
    const char *y = json_string_value(json_object_get(*(json_t *const *)b, "id"));
    return strcmp(x ? x : "", y ? y : "");
}

/* Sorts svc[key] by id as the checker will, so that its indices mean the same before and after. */
static void sort_by_id(json_t *svc, const char *key)
{
    json_t *arr = json_object_get(svc, key);
    size_t n = json_array_size(arr);
    json_t **v;

    if (n < 2) {
        return;
    }
    v = xcalloc(n, sizeof(*v));
    for (size_t i = 0; i < n; i++) {
        v[i] = json_incref(json_array_get(arr, i));
    }
    qsort(v, n, sizeof(*v), cmp_id);
    json_array_clear(arr);
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(arr, v[i]);
    }
    free(v);
}

static enum err check_service(json_t *svc, struct verr *errs)
{
    struct verr found = {0};
    json_t *order = contact_order(svc);
    enum err rc;
    char ptr[PTR_MAX];

    sort_by_id(svc, "attributes");
    sort_by_id(svc, "cost_options");
    sort_by_id(svc, "contacts");
    rc = hsds_check_service(svc, "", &found);

    for (size_t i = 0; i < found.n; i++) {
        map_pointer(svc, order, found.items[i].pointer, ptr, sizeof(ptr));
        verr_add(errs, ptr, "%s", found.items[i].detail);
    }
    json_decref(order);
    return rc;
}

/* ---- saving ------------------------------------------------------------------------------- */

/* Model members whose value differs (mark_checked excepted), as a sorted JSON array text. */
static char *changed_fields(json_t *before, json_t *after)
{
    json_t *names = json_array();
    const char *k;
    json_t *v;
    char *text;

    json_object_foreach(after, k, v)
    {
        if (strcmp(k, "mark_checked") && !json_equal(v, json_object_get(before, k))) {
            json_array_append_new(names, json_string(k));
        }
    }
    text = json_dumps(names, JSON_COMPACT);
    json_decref(names);
    return text;
}

struct save {
    struct store_conn *c;
    const struct audit_ctx *actx;
    const struct principal *who;
    char region[STORE_MAP_REGION_MAX + 1];
    json_t *old;       /* the stored nested service; NULL on create */
    json_t *old_model; /* its model; {} on create */
    json_t *svc;       /* the service being written */
};

static enum err record(struct save *s, const struct dir__put *put)
{
    const char *id = json_string_value(json_object_get(s->svc, "id"));
    struct audit_event ev = {NULL, s->old ? "update" : "create", "map_service", id, "success"};
    struct store_map_revision rev;
    json_t *model = dir_edit_model(s->svc);
    char *fields = changed_fields(s->old_model, model);
    enum err rc = ERR_OK;

    memset(&rev, 0, sizeof(rev));
    snprintf(rev.service_id, sizeof(rev.service_id), "%s", id);
    rev.at = clock_now_ms();
    snprintf(rev.by_user, sizeof(rev.by_user), "%s", s->who->user_uid);
    snprintf(rev.source, sizeof(rev.source), "%s", s->old ? "edit" : "create");
    rev.fields = fields;
    rev.prev_doc = put->prev_doc;
    if (put->doc_changed) {
        rc = store_map_revision_add(s->c, &rev);
    }
    rc = rc ? rc : audit_log(s->c, s->actx, &ev);
    free(fields);
    json_decref(model);
    return rc;
}

static enum err save_model(struct save *s, const json_t *edit, struct verr *errs)
{
    struct dir__edit x = {s->c, s->old == NULL, s->old_model, s->who->email, ""};
    struct dir__put put = {0};
    char today[11];
    json_t *m = json_deep_copy(edit);
    enum err rc;

    dir__today(today);
    x.today = today;
    dir__model_check(m, s->old_model, errs);
    rc = errs->n ? ERR_INVALID : dir__model_apply(&x, m, s->svc, errs);
    if (!rc) {
        rc = check_service(s->svc, errs);
        rc = (rc || errs->n) ? (rc ? rc : ERR_INVALID) : ERR_OK;
    }
    rc = rc ? rc
            : dir__put_service(s->c, s->svc, s->region, s->who->user_uid, clock_now_ms(), NULL,
                               &put);
    rc = rc ? rc : record(s, &put);
    dir__put_release(&put);
    json_decref(m);
    return rc;
}

enum err dir_service_save(struct store_conn *c, const struct audit_ctx *actx,
                          const struct principal *who, const char *region, const char *hsds_id,
                          const json_t *edit, struct verr *errs, char id_out[64])
{
    struct save s = {c, actx, who, "", NULL, NULL, NULL};
    char id[DIR_UUID_LEN + 1];
    enum err rc = editor_region(c, who, region, s.region);

    if (!rc && hsds_id) {
        rc = load_editable(c, hsds_id, s.region, &s.old);
        s.old_model = rc ? NULL : dir_edit_model(s.old);
        s.svc = rc ? NULL : json_deep_copy(s.old);
    } else if (!rc) {
        dir__uuid_v4(id);
        s.old_model = json_object();
        s.svc = json_pack("{s:s}", "id", id);
    }
    rc = rc ? rc : save_model(&s, edit, errs);
    if (!rc && id_out) {
        snprintf(id_out, 64, "%s", json_string_value(json_object_get(s.svc, "id")));
    }
    json_decref(s.old);
    json_decref(s.old_model);
    json_decref(s.svc);
    return rc;
}

/* ---- reading for the editor --------------------------------------------------------------- */

static enum err revision_json(const struct store_map_revision *r, void *ctx)
{
    char at[32];
    json_t *fields = json_loads(r->fields ? r->fields : "[]", 0, NULL);
    json_array_append_new(ctx,
                          json_pack("{s:s, s:s, s:s, s:o}", "at",
                                    clock_fmt_iso(r->at, at, sizeof(at)), "by_user", r->by_user,
                                    "source", r->source, "fields", fields ? fields : json_array()));
    return ERR_OK;
}

enum err dir_service_edit_view(struct store_conn *c, const struct principal *who,
                               const char *hsds_id, json_t **out)
{
    char region[STORE_MAP_REGION_MAX + 1];
    json_t *svc = NULL, *revs = json_array();
    enum err rc = editor_region(c, who, NULL, region);

    *out = NULL;
    rc = rc ? rc : load_editable(c, hsds_id, region, &svc);
    rc = rc ? rc : store_map_revision_each(c, hsds_id, REVISIONS_SHOWN, revision_json, revs);
    if (!rc) {
        *out = json_pack("{s:o, s:s, s:O}", "model", dir_edit_model(svc), "region", region,
                         "revisions", revs);
    }
    json_decref(svc);
    json_decref(revs);
    return rc;
}

static enum err org_json(const char *hsds_id, const char *name, void *ctx)
{
    json_array_append_new(ctx, json_pack("{s:s, s:s}", "id", hsds_id, "name", name));
    return ERR_OK;
}

enum err dir_map_orgs(struct store_conn *c, json_t **out)
{
    json_t *items = json_array();
    enum err rc = store_map_org_each(c, org_json, items);
    *out = rc ? NULL : json_pack("{s:o}", "items", items);
    if (rc) {
        json_decref(items);
    }
    return rc;
}
