/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * A client moves within the installation (docs/API.md "Moves", docs/dossier.md §5,
 * docs/referrals.md §6): the move itself (dossier module), then, in the same transaction, the
 * route advice recomputed for the new place (routing module), the client's open referrals with
 * whether their service serves the new place, and the proposal of new local partners; the
 * moves as a timeline; the new region's coordinator's "moved_referrals"; and several grant
 * requests or acceptances in one step.
 */
#include "core/compat.h"

#include "api/api_int.h"
#include "audit/audit.h"
#include "core/clock.h"
#include "core/mem.h"
#include "directory/directory.h"
#include "dossier/dossier.h"
#include "referral/referral.h"
#include "routing/routing.h"

#define MOVE_DEFAULT_DAYS 90

/* Copies the errors of one nested object into v under prefix ("/items/3"). */
static void verr_nest(struct verr *v, const char *prefix, const struct verr *one)
{
    char p[sizeof(one->items[0].pointer)];
    for (size_t i = 0; i < one->n; i++) {
        snprintf(p, sizeof(p), "%s%s", prefix, one->items[i].pointer);
        verr_add(v, p, "%s", one->items[i].detail);
    }
}

static json_t *org_json(struct api_req *r, int64_t id)
{
    struct org_row o;
    if (store_org_by_id(r->conn, id, &o)) {
        return json_null();
    }
    return json_pack("{s:s, s:s}", "id", o.uid, "name", o.name);
}

/* ---- map areas: which area a place is, and whether a service serves it ----------------- */

/* The uri of the area named `name` (case-insensitive, as the route map matches it) into uri
 * (size 256), "" when none; *areas keeps the list for serves(). */
static enum err area_find(struct api_req *r, const char *name, json_t **areas, char uri[256])
{
    json_t *a;
    size_t i;
    enum err rc = dir_areas(r->conn, areas);
    uri[0] = '\0';
    json_array_foreach(rc ? NULL : *areas, i, a)
    {
        const char *n = json_string_value(json_object_get(a, "name"));
        const char *u = json_string_value(json_object_get(a, "uri"));
        if (!uri[0] && n && u && name && !strcasecmp(n, name) && strlen(u) < 256) {
            snprintf(uri, 256, "%s", u);
        }
    }
    return rc;
}

static const json_t *area_get(const json_t *areas, const char *uri)
{
    json_t *a;
    size_t i;
    json_array_foreach(areas, i, a)
    {
        const char *u = json_string_value(json_object_get(a, "uri"));
        if (u && !strcmp(u, uri)) {
            return a;
        }
    }
    return NULL;
}

static const char *area_member(const json_t *areas, const char *uri, const char *key)
{
    const char *s = json_string_value(json_object_get(area_get(areas, uri), key));
    return s ? s : "";
}

/* Does a service area `su` reach area `area` the way the municipality filter reads it: the area
 * itself, a national area, a COA location in it, or (for a COA location) its municipality? */
static bool area_reaches(const json_t *areas, const char *su, const char *area)
{
    const char *kind = area_member(areas, su, "kind");
    return !strcmp(su, area) || !strcmp(kind, "national") ||
           (!strcmp(kind, "coa_location") && !strcmp(area_member(areas, su, "parent"), area)) ||
           !strcmp(area_member(areas, area, "parent"), su);
}

/* true / false, or JSON null when the new place is not a map area (nothing to compare with). */
static json_t *serves(struct api_req *r, const json_t *areas, const char *service_id,
                      const char *area)
{
    json_t *svc = NULL, *sa;
    size_t i;
    bool yes = false;
    if (!area || !area[0]) {
        return json_null();
    }
    if (dir_service_get(r->conn, service_id, &svc)) {
        return json_false(); /* gone from the map: it serves nowhere */
    }
    json_array_foreach(json_object_get(svc, "service_areas"), i, sa)
    {
        const char *u = json_string_value(json_object_get(sa, "uri"));
        yes |= u && area_reaches(areas, u, area);
    }
    json_decref(svc);
    return json_boolean(yes);
}

/* ---- POST /api/v1/clients/{id}/move -------------------------------------------------------- */

static json_t *move_json(struct api_req *r, const struct client_move_row *m)
{
    return json_pack("{s:s, s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s, s:o}, s:{s:s, s:o}, s:s}", "id",
                     m->uid, "from", "phase", m->from_phase, "location", m->from_location, "region",
                     m->from_region, "to", "phase", m->to_phase, "location", m->to_location,
                     "region", m->to_region, "area",
                     m->to_area[0] ? json_string(m->to_area) : json_null(), "by", "role",
                     m->by_role, "org", org_json(r, m->by_org), "at", api__iso(r, m->at));
}

/* The client's open referrals the caller is party to, without their transitions, each with
 * serves_new_area. */
static enum err open_referrals(struct api_req *r, const json_t *areas, const char *area,
                               json_t **out)
{
    json_t *list = NULL, *it;
    size_t i;
    enum err rc = ref_client_list(r->conn, &r->actx, &r->who, r->params[0], clock_now_ms(), &list);
    *out = json_array();
    json_array_foreach(rc ? NULL : json_object_get(list, "items"), i, it)
    {
        enum ref_state s;
        const char *state = json_string_value(json_object_get(it, "state"));
        const char *sid = json_string_value(json_object_get(json_object_get(it, "service"), "id"));
        if (!state || ref_state_parse(state, &s) || !ref_state_open(s) || !sid) {
            continue;
        }
        json_object_del(it, "transitions");
        json_object_set_new(it, "serves_new_area", serves(r, areas, sid, area));
        json_array_append(*out, it);
    }
    json_decref(list);
    return rc;
}

/* Adds one service to the proposal: grouped by account organisation, skipping those that already
 * hold an active grant or that the caller cannot ask anything for. */
static enum err propose_one(struct api_req *r, int64_t client_id, const char *sid, json_t *orgs)
{
    struct move_partner p;
    json_t *entry;
    uint32_t scopes;
    enum err rc = dossier_move_partner(r->conn, client_id, sid, &p);

    if (rc == ERR_NOT_FOUND) {
        return ERR_OK; /* not on the map any more, or no account organisation handles it */
    }
    scopes = rc ? 0 : dossier_move_scopes(p.org.kind, r->who.role);
    if (rc || p.granted || !scopes) {
        return rc;
    }
    entry = json_object_get(orgs, p.org.uid);
    if (!entry) {
        entry =
            json_pack("{s:{s:s, s:s, s:s}, s:[], s:o}", "org", "id", p.org.uid, "name", p.org.name,
                      "kind", p.org.kind, "services", "scopes", api__scopes_json(scopes));
        json_object_set_new(orgs, p.org.uid, entry);
    }
    json_array_append_new(
        json_object_get(entry, "services"),
        json_pack("{s:s, s:s, s:s}", "id", sid, "name", p.service_name, "level", p.level));
    return ERR_OK;
}

/* The proposal from the advice's recommended levels (not the stressor offers), in level order. */
static enum err proposal(struct api_req *r, int64_t client_id, const json_t *advice, json_t **out)
{
    json_t *orgs = json_object(), *lv, *mt, *v;
    size_t i, k;
    const char *key;
    enum err rc = ERR_OK;

    json_array_foreach(json_object_get(advice, "levels"), i,
                       lv){json_array_foreach(json_object_get(lv, "matches"), k, mt){
        const char *sid = json_string_value(json_object_get(mt, "service"));
    rc = (rc || !sid) ? rc : propose_one(r, client_id, sid, orgs);
}
}
*out = json_array();
json_object_foreach(orgs, key, v)
{
    json_array_append(*out, v);
}
json_decref(orgs);
return rc;
}

/* -1 when absent, else 0 or 1 ("/key" must be true or false). */
static int tri(struct api_req *r, json_t *body, const char *key)
{
    json_t *j = json_object_get(body, key);
    char p[40];
    if (!j) {
        return -1;
    }
    if (!json_is_boolean(j)) {
        snprintf(p, sizeof(p), "/%s", key);
        verr_add(&r->verr, p, "must be true or false");
        return -1;
    }
    return json_is_true(j) ? 1 : 0;
}

static enum err move_parse(struct api_req *r, json_t *body, struct move_input *in,
                           struct route_request *req)
{
    static const char *const allowed[] = {"phase",      "location",          "region",
                                          "persistent", "function_impaired", NULL};
    api__reject_unknown(body, allowed, &r->verr);
    in->phase = api__string(body, "phase", 16, true, &r->verr);
    in->location = api__string(body, "location", STORE_LOCATION_MAX, true, &r->verr);
    in->region = api__string(body, "region", STORE_REGION_MAX, false, &r->verr);
    memset(req, 0, sizeof(*req));
    req->persistent = tri(r, body, "persistent");
    req->function_impaired = tri(r, body, "function_impaired");
    return r->verr.n ? ERR_INVALID : ERR_OK;
}

/* The situation the latest advice was given for (wishes, complaints that persist, function
 * impaired) carries over to the new place unless the body says otherwise: the same person, a new
 * local map. A client without an advice gets the defaults. */
static enum err carry_over(struct api_req *r, struct route_request *req)
{
    json_t *prev = NULL, *in, *w;
    size_t i;
    enum err rc = route_latest(r->conn, &r->actx, &r->who, r->params[0], &prev);

    if (rc) {
        return rc == ERR_NOT_FOUND ? ERR_OK : rc;
    }
    in = json_object_get(prev, "input");
    if (req->persistent < 0) {
        req->persistent = json_is_true(json_object_get(in, "persistent"));
    }
    if (req->function_impaired < 0) {
        req->function_impaired = json_is_true(json_object_get(in, "function_impaired"));
    }
    json_array_foreach(json_object_get(in, "wishes"), i, w)
    {
        req->wishes |= json_is_string(w) ? route_wish_parse(json_string_value(w)) : 0;
    }
    json_decref(prev);
    return ERR_OK;
}

/* After the move: the advice (with scope signal only), open referrals, proposal. */
static enum err move_answer(struct api_req *r, const struct client_move_row *m, uint32_t eff,
                            const json_t *areas, struct route_request *req)
{
    json_t *advice = NULL, *refs = NULL, *partners = NULL;
    enum err rc = ERR_OK;

    if (eff & SCOPE_SIGNAL) { /* the area comes from the new location (route_advise) */
        rc = carry_over(r, req);
        rc = rc ? rc
                : route_advise(r->conn, &r->actx, &r->who, r->registry, route_active(),
                               r->params[0], req, &advice);
    }
    if (!rc && (eff & SCOPE_REFERRAL)) {
        rc = open_referrals(r, areas, m->to_area, &refs);
    }
    rc = rc ? rc : proposal(r, m->client_id, advice, &partners);
    if (!rc) {
        r->resp =
            json_pack("{s:{s:s, s:s, s:s, s:s}, s:o, s:o, s:o, s:o}", "client", "id", r->params[0],
                      "phase", m->to_phase, "location", m->to_location, "region", m->to_region,
                      "move", move_json(r, m), "advice", advice ? advice : json_null(),
                      "open_referrals", refs ? refs : json_array(), "proposed_partners", partners);
        return r->resp ? ERR_OK : ERR_NOMEM;
    }
    json_decref(advice);
    json_decref(refs);
    json_decref(partners);
    return rc;
}

enum err api_client_move(struct api_req *r)
{
    struct move_input in = {0};
    struct route_request req;
    struct client_move_row m;
    json_t *body = NULL, *areas = NULL;
    char area[256] = "";
    uint32_t eff = 0;
    enum err rc = api__body_object(r, &body);

    rc = rc ? rc : move_parse(r, body, &in, &req);
    rc = rc ? rc : area_find(r, in.location, &areas, area);
    in.area = area;
    rc =
        rc ? rc
           : dossier_client_move(r->conn, &r->actx, &r->who, r->params[0], &in, &r->verr, &m, &eff);
    rc = rc ? rc : move_answer(r, &m, eff, areas, &req);
    json_decref(areas);
    json_decref(body);
    return rc;
}

/* ---- GET /api/v1/clients/{id}/moves --------------------------------------------------------- */

struct moves_ctx {
    struct api_req *r;
    json_t *items;
};

static enum err move_item(const struct client_move_row *m, void *ctx)
{
    struct moves_ctx *mc = ctx;
    json_array_append_new(mc->items, move_json(mc->r, m));
    return ERR_OK;
}

enum err api_client_moves(struct api_req *r)
{
    struct moves_ctx mc = {r, json_array()};
    enum err rc = dossier_move_list(r->conn, &r->actx, &r->who, r->params[0], move_item, &mc);
    if (rc) {
        json_decref(mc.items);
        return rc;
    }
    r->resp = json_pack("{s:o}", "items", mc.items);
    return r->resp ? ERR_OK : ERR_NOMEM;
}

/* ---- the worklist: referrals of clients who moved into the coordinator's region ------------- */

struct moved_ctx {
    struct api_req *r;
    json_t *areas;
    json_t *items;
};

static enum err last_move(const struct client_move_row *m, void *ctx)
{
    *(struct client_move_row *)ctx = *m;
    return ERR_OK;
}

static enum err moved_item(const char *uid, void *ctx)
{
    struct moved_ctx *mc = ctx;
    struct api_req *r = mc->r;
    struct referral_row ref;
    struct client_move_row m;
    struct audit_event ev = {NULL, "list", "referral", uid, "success"};
    enum err rc = store_referral_by_uid(r->conn, uid, &ref);

    memset(&m, 0, sizeof(m));
    rc = rc ? rc : store_client_move_each(r->conn, ref.client_id, last_move, &m);
    ev.client_pid = ref.client_pid;
    rc = rc ? rc : audit_log(r->conn, &r->actx, &ev);
    if (rc) {
        return rc;
    }
    /* the worklist reaches beyond grants (the region's coordinator): facts, no notes */
    json_array_append_new(
        mc->items,
        json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:o, s:o, s:s, s:o, s:{s:s, s:s, s:s}}", "id",
                  ref.uid, "client_id", ref.client_pid, "state", ref.state, "level", ref.level,
                  "service", "id", ref.to_service, "name", ref.to_service_name, "from",
                  org_json(r, ref.from_org), "to", org_json(r, ref.to_org), "sent_at",
                  api__iso(r, ref.sent_at), "serves_new_area",
                  serves(r, mc->areas, ref.to_service, m.to_area), "moved", "at", api__iso(r, m.at),
                  "from_location", m.from_location, "to_location", m.to_location));
    return ERR_OK;
}

enum err api__moved_referrals_add(struct api_req *r)
{
    struct moved_ctx mc = {r, NULL, NULL};
    struct org_row org;
    enum err rc;

    if (r->who.role != ROLE_COORDINATOR || !r->resp) {
        return ERR_OK;
    }
    rc = store_org_by_id(r->conn, r->who.org_id, &org);
    rc = rc ? rc : dir_areas(r->conn, &mc.areas);
    if (!rc && org.region[0]) {
        mc.items = json_array();
        rc = store_moved_referral_each(r->conn, org.region, moved_item, &mc);
    }
    if (!rc) {
        json_object_set_new(r->resp, "moved_referrals", mc.items ? mc.items : json_array());
        mc.items = NULL;
    }
    json_decref(mc.items);
    json_decref(mc.areas);
    return rc;
}

/* ---- several grants in one step ------------------------------------------------------------- */

static void item_scopes(json_t *obj, uint32_t *scopes, struct verr *v)
{
    json_t *arr = json_object_get(obj, "scopes"), *s;
    size_t i;
    char p[32];
    if (!json_is_array(arr)) {
        verr_add(v, "/scopes", "must be a list of scopes");
        return;
    }
    json_array_foreach(arr, i, s)
    {
        uint32_t bit;
        if (!json_is_string(s) || consent_scope_parse(json_string_value(s), &bit)) {
            snprintf(p, sizeof(p), "/scopes/%zu", i);
            verr_add(v, p, "unknown scope");
        } else {
            *scopes |= bit;
        }
    }
}

static void item_parse(json_t *obj, struct grant_input *in, struct verr *v)
{
    static const char *const allowed[] = {"org_id", "scopes", "days", "purpose", NULL};
    memset(in, 0, sizeof(*in));
    in->basis = "request";
    in->days = MOVE_DEFAULT_DAYS;
    if (!json_is_object(obj)) {
        verr_add(v, "", "must be an object");
        return;
    }
    api__reject_unknown(obj, allowed, v);
    in->org_uid = api__string(obj, "org_id", 64, true, v);
    in->purpose = api__string(obj, "purpose", 32, false, v);
    if (json_object_get(obj, "days")) {
        api__integer(obj, "days", &in->days, v);
    }
    item_scopes(obj, &in->scopes, v);
}

/* The array member `key` of body with 1..DOSSIER_GRANT_BATCH_MAX elements, else NULL. */
static json_t *batch_array(json_t *body, const char *key, struct verr *v)
{
    json_t *arr = json_object_get(body, key);
    char p[16];
    snprintf(p, sizeof(p), "/%s", key);
    if (!json_is_array(arr) || json_array_size(arr) < 1 ||
        json_array_size(arr) > DOSSIER_GRANT_BATCH_MAX) {
        verr_add(v, p, "must be a list of 1 to %d", DOSSIER_GRANT_BATCH_MAX);
        return NULL;
    }
    return arr;
}

static enum err requests_run(struct api_req *r, json_t *arr)
{
    size_t n = json_array_size(arr);
    struct grant_input in[DOSSIER_GRANT_BATCH_MAX];
    struct grant_request_row *rows = xcalloc(n, sizeof(*rows));
    char prefix[32];
    json_t *it;
    size_t i;
    enum err rc;

    json_array_foreach(arr, i, it)
    {
        struct verr one = {0};
        item_parse(it, &in[i], &one);
        snprintf(prefix, sizeof(prefix), "/items/%zu", i);
        verr_nest(&r->verr, prefix, &one);
    }
    rc = r->verr.n ? ERR_INVALID
                   : dossier_grant_request_many(r->conn, &r->actx, &r->who, r->params[0], in, n,
                                                &r->verr, rows);
    if (!rc) {
        json_t *items = json_array();
        for (i = 0; i < n; i++) {
            json_array_append_new(items, api__request_json(r, &rows[i]));
        }
        r->resp = json_pack("{s:o}", "items", items);
        r->status = 201;
    }
    free(rows);
    return rc;
}

enum err api_grants_request_many(struct api_req *r)
{
    static const char *const allowed[] = {"items", NULL};
    json_t *body = NULL, *arr;
    enum err rc = api__body_object(r, &body);
    if (rc) {
        return rc;
    }
    api__reject_unknown(body, allowed, &r->verr);
    arr = batch_array(body, "items", &r->verr);
    rc = r->verr.n ? ERR_INVALID : requests_run(r, arr);
    json_decref(body);
    return rc;
}

static enum err accept_run(struct api_req *r, json_t *arr)
{
    size_t n = json_array_size(arr);
    const char *ids[DOSSIER_GRANT_BATCH_MAX];
    struct grant_row *rows = xcalloc(n, sizeof(*rows));
    char p[32];
    json_t *it;
    size_t i;
    enum err rc;

    json_array_foreach(arr, i, it)
    {
        ids[i] = json_string_value(it);
        if (!ids[i] || json_string_length(it) > STORE_UID_LEN) {
            snprintf(p, sizeof(p), "/ids/%zu", i);
            verr_add(&r->verr, p, "must be the id of a request");
        }
    }
    rc = r->verr.n ? ERR_INVALID
                   : dossier_grant_accept_many(r->conn, &r->actx, &r->who, r->params[0], ids, n,
                                               &r->verr, rows);
    if (!rc) {
        json_t *items = json_array();
        for (i = 0; i < n; i++) {
            json_array_append_new(items, api__grant_json(r, &rows[i]));
        }
        r->resp = json_pack("{s:o}", "items", items);
    }
    free(rows);
    return rc;
}

enum err api_grants_accept_many(struct api_req *r)
{
    static const char *const allowed[] = {"ids", NULL};
    json_t *body = NULL, *arr;
    enum err rc = api__body_object(r, &body);
    if (rc) {
        return rc;
    }
    api__reject_unknown(body, allowed, &r->verr);
    arr = batch_array(body, "ids", &r->verr);
    rc = r->verr.n ? ERR_INVALID : accept_run(r, arr);
    json_decref(body);
    return rc;
}
