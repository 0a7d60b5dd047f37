/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * /api/v1/clients, their grants and access log, and /api/v1/orgs: JSON in and out of the
 * dossier module. The consent check happens in dossier; these functions never bypass it.
 */
#include "core/compat.h"

#include "api/api_int.h"
#include "core/clock.h"
#include "core/sec.h"
#include "dossier/dossier.h"

static json_t *risk_json(uint32_t flags)
{
    json_t *a = json_array();
    for (int i = 0; i < RISK_COUNT; i++) {
        if (flags & (1u << i)) {
            json_array_append_new(a, json_string(dossier_risk_name(1u << i)));
        }
    }
    return a;
}

/* p: the row's sealed fields, opened (dossier_client_reveal()). */
static json_t *client_json(struct api_req *r, const struct client_row *c,
                           const struct client_plain *p, uint32_t eff)
{
    json_t *o =
        json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:o}", "id", c->pid,
                  "year_of_birth", (json_int_t)c->year_of_birth, "gender", c->gender,
                  "country_of_origin", c->country, "language", c->language, "phase", c->phase,
                  "location", c->location, "risk_flags", risk_json(c->risk_flags), "created_at",
                  api__iso(r, c->created_at), "scopes", api__scopes_json(eff));
    if (o && (eff & SCOPE_CONTACT)) {
        json_object_set_new(o, "name", p->name[0] ? json_string(p->name) : json_null());
        json_object_set_new(o, "phone", p->phone[0] ? json_string(p->phone) : json_null());
    }
    return o;
}

static void parse_risk_flags(json_t *body, uint32_t *flags, struct verr *v)
{
    json_t *arr = json_object_get(body, "risk_flags");
    json_t *item;
    size_t i;

    if (!arr || json_is_null(arr)) {
        return;
    }
    if (!json_is_array(arr)) {
        verr_add(v, "/risk_flags", "must be a list");
        return;
    }
    json_array_foreach(arr, i, item)
    {
        uint32_t bit;
        if (!json_is_string(item) || dossier_risk_parse(json_string_value(item), &bit)) {
            char ptr[40];
            snprintf(ptr, sizeof(ptr), "/risk_flags/%zu", i);
            verr_add(v, ptr, "unknown risk flag");
            continue;
        }
        *flags |= bit;
    }
}

static void parse_client(json_t *body, struct client_input *in, struct verr *v)
{
    static const char *const allowed[] = {
        "year_of_birth", "gender",   "country_of_origin", "language",
        "phase",         "location", "risk_flags",        "name",
        "phone",         NULL};
    memset(in, 0, sizeof(*in));
    api__reject_unknown(body, allowed, v);
    api__integer(body, "year_of_birth", &in->year_of_birth, v);
    in->gender = api__string(body, "gender", 16, true, v);
    in->country = api__string(body, "country_of_origin", 16, true, v);
    in->language = api__string(body, "language", 35, true, v);
    in->phase = api__string(body, "phase", 16, true, v);
    in->location = api__string(body, "location", 120, true, v);
    in->name = api__string(body, "name", 200, false, v);
    in->phone = api__string(body, "phone", 40, false, v);
    parse_risk_flags(body, &in->risk_flags, v);
}

enum err api_clients_create(struct api_req *r)
{
    struct client_input in;
    struct client_row row;
    struct client_plain plain;
    json_t *body = NULL;
    enum err rc;

    if ((consent_role_ceiling(r->who.role) & ~(uint32_t)SCOPE_CLINICAL) == 0) {
        return ERR_FORBIDDEN;
    }
    rc = api__body_object(r, &body);
    if (rc) {
        return rc;
    }
    parse_client(body, &in, &r->verr);
    if (r->verr.n) {
        /* report value errors of the fields that did parse, too */
        dossier_client_validate(&in, clock_now_ms(), &r->verr);
        rc = ERR_INVALID;
    } else {
        rc = dossier_client_create(r->conn, &r->actx, &r->who, &in, &r->verr, &row);
    }
    /* the answer shows what was sealed, opened again */
    rc = rc ? rc : dossier_client_reveal(r->conn, &r->actx, &row, &plain);
    if (!rc) {
        r->status = 201;
        snprintf(r->location, sizeof(r->location), "/api/v1/clients/%s", row.pid);
        r->resp = client_json(r, &row, &plain, consent_role_ceiling(r->who.role) & ~SCOPE_CLINICAL);
        sec_memzero(&plain, sizeof(plain));
    }
    json_decref(body);
    return rc;
}

static enum err list_item(const struct client_row *c, void *ctx)
{
    json_t *items = ctx;
    json_array_append_new(items,
                          json_pack("{s:s, s:I, s:s, s:s, s:s}", "id", c->pid, "year_of_birth",
                                    (json_int_t)c->year_of_birth, "phase", c->phase, "location",
                                    c->location, "language", c->language));
    return ERR_OK;
}

enum err api_clients_list(struct api_req *r)
{
    json_t *items = json_array();
    enum err rc = dossier_client_list(r->conn, &r->actx, &r->who, list_item, items);
    if (rc) {
        json_decref(items);
        return rc;
    }
    r->resp = json_pack("{s:o}", "items", items);
    return ERR_OK;
}

enum err api_clients_get(struct api_req *r)
{
    struct client_row c;
    struct client_plain plain;
    uint32_t eff = 0;
    enum err rc = dossier_client_open(r->conn, &r->actx, &r->who, r->params[0], SCOPE_ANY, "read",
                                      "client", &c, &eff);

    rc = rc ? rc : dossier_client_reveal(r->conn, &r->actx, &c, &plain);
    if (!rc) {
        r->resp = client_json(r, &c, &plain, eff);
        sec_memzero(&plain, sizeof(plain));
    }
    return rc;
}

struct grant_ctx {
    struct api_req *r;
    json_t *items;
};

static void org_or_blank(struct api_req *r, int64_t id, struct org_row *org)
{
    if (store_org_by_id(r->conn, id, org)) {
        memset(org, 0, sizeof(*org));
    }
}

/* client (the client's own), verbal (a professional recorded it), registration. */
static const char *grant_source(const struct grant_row *g)
{
    if (!strcmp(g->basis, "client_consent")) {
        return "client";
    }
    return !strcmp(g->basis, "verbal_consent") ? "verbal" : "registration";
}

static const char *grant_state(const struct grant_row *g, int64_t now)
{
    if (g->revoked_at) {
        return "revoked";
    }
    return g->expires_at > now ? "active" : "expired";
}

static json_t *grant_json(struct api_req *r, const struct grant_row *g)
{
    struct org_row org, by;
    int64_t now = clock_now_ms();
    bool active = !g->revoked_at && g->expires_at > now;
    json_t *j;

    org_or_blank(r, g->org_id, &org);
    org_or_blank(r, g->granted_by_org, &by);
    j = json_pack(
        "{s:s, s:{s:s, s:s, s:s}, s:o, s:s, s:{s:s, s:s}, s:s, s:s, s:o, s:b}", "id", g->uid, "org",
        "id", org.uid, "name", org.name, "kind", org.kind, "scopes", api__scopes_json(g->scopes),
        "basis", g->basis, "granted_by", "role", g->granted_by_role, "org", by.name, "created_at",
        api__iso(r, g->created_at), "expires_at", api__iso(r, g->expires_at), "revoked_at",
        g->revoked_at ? json_string(api__iso(r, g->revoked_at)) : json_null(), "active", active);
    json_object_set_new(j, "state", json_string(grant_state(g, now)));
    json_object_set_new(j, "source", json_string(grant_source(g)));
    json_object_set_new(j, "purpose", json_string(g->purpose));
    json_object_set_new(j, "confirmed", json_boolean(g->confirmed_at != 0));
    json_object_set_new(j, "changed_at",
                        g->changed_at ? json_string(api__iso(r, g->changed_at)) : json_null());
    return j;
}

static json_t *request_json(struct api_req *r, const struct grant_request_row *q)
{
    struct org_row org, by;
    bool open = !strcmp(q->state, "open");

    org_or_blank(r, q->org_id, &org);
    org_or_blank(r, q->requested_by_org, &by);
    return json_pack("{s:s, s:{s:s, s:s, s:s}, s:o, s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:I, "
                     "s:n, s:n, s:b, s:b}",
                     "id", q->uid, "org", "id", org.uid, "name", org.name, "kind", org.kind,
                     "scopes", api__scopes_json(q->scopes), "basis", "request", "source", "request",
                     "state", open ? "requested" : "declined", "purpose", q->purpose,
                     "requested_by", "role", q->requested_by_role, "org", by.name, "created_at",
                     api__iso(r, q->created_at), "days", (json_int_t)q->days, "expires_at",
                     "revoked_at", "active", false, "confirmed", false);
}

static enum err grant_item(const struct grant_row *g, void *ctx)
{
    struct grant_ctx *gc = ctx;
    json_array_append_new(gc->items, grant_json(gc->r, g));
    return ERR_OK;
}

static enum err request_item(const struct grant_request_row *q, void *ctx)
{
    struct grant_ctx *gc = ctx;
    json_array_append_new(gc->items, request_json(gc->r, q));
    return ERR_OK;
}

enum err api_grants_list(struct api_req *r)
{
    struct grant_ctx gc = {r, json_array()};
    enum err rc = dossier_grant_list_all(r->conn, &r->actx, &r->who, r->params[0], grant_item,
                                         request_item, &gc);
    if (rc) {
        json_decref(gc.items);
        return rc;
    }
    r->resp = json_pack("{s:o}", "items", gc.items);
    return ERR_OK;
}

static void parse_scopes(json_t *body, uint32_t *scopes, struct verr *v)
{
    json_t *arr = json_object_get(body, "scopes");
    json_t *item;
    size_t i;

    if (!json_is_array(arr)) {
        verr_add(v, "/scopes", "must be a list of scopes");
        return;
    }
    json_array_foreach(arr, i, item)
    {
        uint32_t bit;
        if (!json_is_string(item) || consent_scope_parse(json_string_value(item), &bit)) {
            char ptr[40];
            snprintf(ptr, sizeof(ptr), "/scopes/%zu", i);
            verr_add(v, ptr, "unknown scope");
            continue;
        }
        *scopes |= bit;
    }
}

static enum err grants_create_in(struct api_req *r, const struct grant_input *in)
{
    struct grant_row g;
    struct grant_request_row q;
    enum err rc;

    if (!strcmp(in->basis, "request")) {
        rc = dossier_grant_request(r->conn, &r->actx, &r->who, r->params[0], in, &r->verr, &q);
        r->resp = rc ? NULL : request_json(r, &q);
    } else {
        rc = dossier_grant_add(r->conn, &r->actx, &r->who, r->params[0], in, &r->verr, &g);
        r->resp = rc ? NULL : grant_json(r, &g);
    }
    if (!rc) {
        r->status = 201;
    }
    return rc;
}

enum err api_grants_create(struct api_req *r)
{
    static const char *const allowed[] = {"org_id", "scopes", "basis", "days", "purpose", NULL};
    struct grant_input in = {0};
    json_t *body = NULL;
    enum err rc = api__body_object(r, &body);

    if (rc) {
        return rc;
    }
    api__reject_unknown(body, allowed, &r->verr);
    in.org_uid = api__string(body, "org_id", 64, true, &r->verr);
    in.basis = api__string(body, "basis", 32, true, &r->verr);
    in.purpose = api__string(body, "purpose", 32, false, &r->verr);
    api__integer(body, "days", &in.days, &r->verr);
    parse_scopes(body, &in.scopes, &r->verr);
    rc = r->verr.n ? ERR_INVALID : grants_create_in(r, &in);
    json_decref(body);
    return rc;
}

enum err api_grants_accept(struct api_req *r)
{
    struct grant_row g;
    enum err rc = dossier_grant_accept(r->conn, &r->actx, &r->who, r->params[0], r->params[1], &g);
    if (!rc) {
        r->resp = grant_json(r, &g);
    }
    return rc;
}

enum err api_grants_change(struct api_req *r)
{
    static const char *const allowed[] = {"scopes", "days", NULL};
    struct grant_change ch = {0};
    struct grant_row g;
    json_t *body = NULL;
    enum err rc = api__body_object(r, &body);

    if (rc) {
        return rc;
    }
    api__reject_unknown(body, allowed, &r->verr);
    if (json_object_get(body, "scopes")) {
        parse_scopes(body, &ch.scopes, &r->verr);
        if (!r->verr.n && !ch.scopes) {
            verr_add(&r->verr, "/scopes", "must keep at least one scope; revoke to end the grant");
        }
    }
    if (json_object_get(body, "days")) {
        api__integer(body, "days", &ch.days, &r->verr);
        if (!r->verr.n && ch.days == 0) {
            verr_add(&r->verr, "/days", "must be from 1 to 365");
        }
    }
    rc = r->verr.n ? ERR_INVALID
                   : dossier_grant_change(r->conn, &r->actx, &r->who, r->params[0], r->params[1],
                                          &ch, &r->verr, &g);
    if (!rc) {
        r->resp = grant_json(r, &g);
    }
    json_decref(body);
    return rc;
}

enum err api_grants_delete(struct api_req *r)
{
    enum err rc = dossier_grant_revoke(r->conn, &r->actx, &r->who, r->params[0], r->params[1]);
    if (!rc) {
        r->status = 204;
    }
    return rc;
}

struct log_ctx {
    struct api_req *r;
    json_t *items;
};

static enum err log_item(const struct audit_row *a, void *ctx)
{
    struct log_ctx *lc = ctx;
    struct org_row org;
    if (!a->org_id[0] || store_org_by_uid(lc->r->conn, a->org_id, &org)) {
        memset(&org, 0, sizeof(org));
    }
    json_array_append_new(lc->items,
                          json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "at", api__iso(lc->r, a->at),
                                    "org", org.name, "role", a->role, "action", a->action,
                                    "object_type", a->object_type, "outcome", a->outcome));
    return ERR_OK;
}

static enum err period_param(struct api_req *r, const char *key, int64_t *out)
{
    const char *v = r->query ? r->query(r->query_ctx, key) : NULL;
    char ptr[32];
    if (!v) {
        return ERR_OK;
    }
    if (clock_parse_iso(v, out)) {
        snprintf(ptr, sizeof(ptr), "/query/%s", key);
        verr_add(&r->verr, ptr, "must be a date (YYYY-MM-DD) or UTC time (YYYY-MM-DDTHH:MM:SSZ)");
        return ERR_BAD_REQUEST;
    }
    return ERR_OK;
}

enum err api_access_log(struct api_req *r)
{
    struct log_ctx lc = {r, NULL};
    int64_t from = 0, to = INT64_MAX;
    enum err rc = period_param(r, "from", &from);

    if (!rc) {
        rc = period_param(r, "to", &to);
    }
    if (rc) {
        return rc;
    }
    lc.items = json_array();
    rc = dossier_access_log(r->conn, &r->actx, &r->who, r->params[0], from, to, log_item, &lc);
    if (rc) {
        json_decref(lc.items);
        return rc;
    }
    r->resp = json_pack("{s:o}", "items", lc.items);
    return ERR_OK;
}

static enum err org_item(const struct org_row *o, void *ctx)
{
    json_array_append_new(ctx, json_pack("{s:s, s:s, s:s, s:s}", "id", o->uid, "name", o->name,
                                         "kind", o->kind, "region", o->region));
    return ERR_OK;
}

enum err api_orgs_list(struct api_req *r)
{
    json_t *items = json_array();
    enum err rc = store_org_each(r->conn, org_item, items);
    if (rc) {
        json_decref(items);
        return rc;
    }
    r->resp = json_pack("{s:o}", "items", items);
    return ERR_OK;
}

/* For the batch endpoints of api_move.c. */
json_t *api__grant_json(struct api_req *r, const struct grant_row *g)
{
    return grant_json(r, g);
}

json_t *api__request_json(struct api_req *r, const struct grant_request_row *q)
{
    return request_json(r, q);
}
