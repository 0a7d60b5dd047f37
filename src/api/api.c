/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Route table and dispatch: match the path, check the session and the CSRF rules, run the
 * handler inside one transaction, commit only on success, and record refused accesses after
 * the rollback. Handlers see an authenticated principal and an open transaction.
 */
#include "core/compat.h"

#include "api/api_int.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/sec.h"

struct api_route {
    enum api_method method;
    const char *pattern;
    enum api_auth auth;
    enum api_tx tx;
    api_handler fn;
};

static const struct api_route api_routes[] = {
    {API_POST, "/api/v1/session", AUTH_NONE, TX_NONE, api_session_create},
    {API_DELETE, "/api/v1/session", AUTH_SESSION, TX_WRITE, api_session_delete},
    {API_GET, "/api/v1/me", AUTH_SESSION, TX_WRITE, api_me},
    {API_POST, "/api/v1/session/card", AUTH_NONE, TX_NONE, api_card_login},
    {API_POST, "/api/v1/session/dossier", AUTH_SESSION, TX_WRITE, api_session_dossier},
    {API_GET, "/api/v1/orgs", AUTH_SESSION, TX_WRITE, api_orgs_list},
    {API_POST, "/api/v1/clients", AUTH_SESSION, TX_WRITE, api_clients_create},
    {API_GET, "/api/v1/clients", AUTH_SESSION, TX_WRITE, api_clients_list},
    {API_GET, "/api/v1/clients/{id}", AUTH_SESSION, TX_WRITE, api_clients_get},
    {API_GET, "/api/v1/clients/{id}/grants", AUTH_SESSION, TX_WRITE, api_grants_list},
    {API_POST, "/api/v1/clients/{id}/grants", AUTH_SESSION, TX_WRITE, api_grants_create},
    {API_DELETE, "/api/v1/clients/{id}/grants/{gid}", AUTH_SESSION, TX_WRITE, api_grants_delete},
    {API_PATCH, "/api/v1/clients/{id}/grants/{gid}", AUTH_SESSION, TX_WRITE, api_grants_change},
    {API_POST, "/api/v1/clients/{id}/grants/{gid}/accept", AUTH_SESSION, TX_WRITE,
     api_grants_accept},
    {API_POST, "/api/v1/clients/{id}/grants/requests", AUTH_SESSION, TX_WRITE,
     api_grants_request_many},
    {API_POST, "/api/v1/clients/{id}/grants/accept", AUTH_SESSION, TX_WRITE,
     api_grants_accept_many},
    {API_POST, "/api/v1/clients/{id}/move", AUTH_SESSION, TX_WRITE, api_client_move},
    {API_GET, "/api/v1/clients/{id}/moves", AUTH_SESSION, TX_WRITE, api_client_moves},
    {API_GET, "/api/v1/clients/{id}/access-log", AUTH_SESSION, TX_WRITE, api_access_log},
    {API_GET, "/api/v1/clients/{id}/export", AUTH_SESSION, TX_WRITE, api_client_export},
    {API_POST, "/api/v1/clients/{id}/transfer", AUTH_SESSION, TX_WRITE, api_transfer_create},
    {API_GET, "/api/v1/clients/{id}/transfer-history", AUTH_SESSION, TX_WRITE,
     api_transfer_history},
    {API_GET, "/api/v1/transfers/{id}/file", AUTH_SESSION, TX_WRITE, api_transfer_file},
    {API_POST, "/api/v1/transfers", AUTH_SESSION, TX_WRITE, api_transfer_import},
    {API_POST, "/api/v1/clients/{id}/erasure", AUTH_SESSION, TX_WRITE, api_erasure_create},
    {API_DELETE, "/api/v1/clients/{id}/erasure", AUTH_SESSION, TX_WRITE, api_erasure_delete},
    {API_GET, "/api/v1/clients/{id}/erasure", AUTH_SESSION, TX_WRITE, api_erasure_get},
    {API_POST, "/api/v1/clients/{id}/erasure/confirm", AUTH_SESSION, TX_NONE, api_erasure_confirm},
    {API_POST, "/api/v1/clients/{id}/card", AUTH_SESSION, TX_WRITE, api_card_create},
    {API_GET, "/api/v1/clients/{id}/card", AUTH_SESSION, TX_WRITE, api_card_get},
    {API_POST, "/api/v1/clients/{id}/holders", AUTH_SESSION, TX_WRITE, api_holders_create},
    {API_GET, "/api/v1/instruments", AUTH_SESSION, TX_WRITE, api_instruments_list},
    {API_GET, "/api/v1/instruments/{id}", AUTH_SESSION, TX_WRITE, api_instruments_get},
    {API_GET, "/api/v1/instruments/{id}/fhir", AUTH_SESSION, TX_WRITE, api_instruments_fhir},
    {API_GET, "/api/v1/instruments/{id}/audio/{lang}/{key}", AUTH_SESSION, TX_NONE,
     api_instruments_audio},
    {API_POST, "/api/v1/clients/{id}/screenings", AUTH_SESSION, TX_WRITE, api_screenings_create},
    {API_GET, "/api/v1/clients/{id}/screenings", AUTH_SESSION, TX_WRITE, api_screenings_list},
    {API_GET, "/api/v1/clients/{id}/screenings/{sid}", AUTH_SESSION, TX_WRITE, api_screenings_get},
    {API_GET, "/api/v1/clients/{id}/screenings/{sid}/fhir", AUTH_SESSION, TX_WRITE,
     api_screenings_fhir},
    {API_POST, "/api/v1/clients/{id}/red-flags", AUTH_SESSION, TX_WRITE, api_flags_create},
    {API_GET, "/api/v1/clients/{id}/red-flags", AUTH_SESSION, TX_WRITE, api_flags_list},
    {API_POST, "/api/v1/red-flags/{fid}/actions", AUTH_SESSION, TX_WRITE, api_flags_action},
    {API_POST, "/api/v1/red-flags/{fid}/close", AUTH_SESSION, TX_WRITE, api_flags_close},
    {API_GET, "/api/v1/worklist", AUTH_SESSION, TX_WRITE, api_worklist},
    {API_POST, "/api/v1/clients/{id}/route", AUTH_SESSION, TX_WRITE, api_route_create},
    {API_GET, "/api/v1/clients/{id}/route", AUTH_SESSION, TX_WRITE, api_route_get},
    {API_GET, "/api/v1/routing/rules", AUTH_SESSION, TX_WRITE, api_routing_rules},
    {API_POST, "/api/v1/speech", AUTH_SESSION, TX_NONE, api_speech},
    {API_GET, "/api/v1/speech/voices", AUTH_SESSION, TX_NONE, api_speech_voices},
    {API_POST, "/api/v1/referrals", AUTH_SESSION, TX_WRITE, api_referrals_create},
    {API_GET, "/api/v1/referrals", AUTH_SESSION, TX_WRITE, api_referrals_list},
    {API_GET, "/api/v1/referrals/{id}", AUTH_SESSION, TX_WRITE, api_referrals_get},
    {API_POST, "/api/v1/referrals/{id}/transitions", AUTH_SESSION, TX_WRITE,
     api_referrals_transition},
    {API_POST, "/api/v1/referrals/{id}/client-answer", AUTH_SESSION, TX_WRITE,
     api_referrals_answer},
    {API_GET, "/api/v1/clients/{id}/referrals", AUTH_SESSION, TX_WRITE, api_client_referrals},
    {API_POST, "/api/v1/services", AUTH_SESSION, TX_WRITE, api_map_service_create},
    {API_PUT, "/api/v1/services/{id}", AUTH_SESSION, TX_WRITE, api_map_service_update},
    {API_GET, "/api/v1/services/{id}/edit", AUTH_SESSION, TX_WRITE, api_map_service_edit},
    {API_GET, "/api/v1/map/organizations", AUTH_SESSION, TX_WRITE, api_map_orgs},
    {API_GET, "/api/v1/services", AUTH_PUBLIC_MAP, TX_READ, api_map_search},
    {API_GET, "/api/v1/services/{id}", AUTH_PUBLIC_MAP, TX_READ, api_map_service},
    {API_GET, "/api/v1/services/{id}/hsds", AUTH_PUBLIC_MAP, TX_READ, api_map_service_hsds},
    {API_GET, "/api/v1/services/{id}/fhir", AUTH_PUBLIC_MAP, TX_READ, api_map_service_fhir},
    {API_GET, "/api/v1/map/areas", AUTH_PUBLIC_MAP, TX_READ, api_map_areas},
    {API_GET, "/api/v1/map/chain", AUTH_PUBLIC_MAP, TX_READ, api_map_chain},
    {API_GET, "/api/v1/map/taxonomy", AUTH_PUBLIC_MAP, TX_READ, api_map_taxonomy},
};

static bool state_changing(enum api_method m);

void api_routes_check(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(api_routes); i++) {
        const struct api_route *rt = &api_routes[i];
        if (!rt->fn ||
            (rt->auth != AUTH_NONE && rt->auth != AUTH_SESSION && rt->auth != AUTH_PUBLIC_MAP) ||
            (rt->tx != TX_NONE && rt->tx != TX_WRITE && rt->tx != TX_READ) ||
            (rt->tx == TX_READ && state_changing(rt->method))) {
            BUG("route %s has no complete policy", rt->pattern);
        }
    }
}

/*
 * Request ids must be unique, not secret: a random per-thread prefix (one getrandom per thread)
 * and a counter, instead of a system call on every request.
 */
static void request_id(char out[33])
{
    static _Thread_local char prefix[17];
    static _Thread_local uint64_t counter;
    if (!prefix[0]) {
        sec_random_hex(8, prefix);
    }
    snprintf(out, 33, "%s%016llx", prefix, (unsigned long long)++counter);
}

void api_req_init(struct api_req *r)
{
    memset(r, 0, sizeof(*r));
    r->status = 200;
    request_id(r->request_id);
}

void api_req_release(struct api_req *r)
{
    json_decref(r->resp);
    r->resp = NULL;
    free(r->raw);
    r->raw = NULL;
    arena_clear(&r->arena);
}

/* Matches one path against a pattern, copying {param} segments. */
static bool route_match(const char *pattern, const char *path, struct api_req *r)
{
    int np = 0;
    while (*pattern && *path) {
        if (*pattern == '{') {
            size_t n = strcspn(path, "/");
            if (n == 0 || n >= API_PARAM_MAX || np >= API_MAX_PARAMS) {
                return false;
            }
            memcpy(r->params[np], path, n);
            r->params[np++][n] = '\0';
            path += n;
            pattern = strchr(pattern, '}') + 1;
        } else if (*pattern++ != *path++) {
            return false;
        }
    }
    return *pattern == '\0' && *path == '\0';
}

static const struct api_route *route_find(struct api_req *r, enum err *rc)
{
    bool path_known = false;
    for (size_t i = 0; i < ARRAY_SIZE(api_routes); i++) {
        if (route_match(api_routes[i].pattern, r->path, r)) {
            path_known = true;
            if (api_routes[i].method == r->method ||
                (r->method == API_HEAD && api_routes[i].method == API_GET)) {
                r->route_template = api_routes[i].pattern;
                return &api_routes[i];
            }
        }
    }
    *rc = path_known ? ERR_METHOD : ERR_NOT_FOUND;
    return NULL;
}

static bool origin_ok(const struct api_req *r, bool required)
{
    char expect[300];
    if (!r->origin) {
        return !required;
    }
    if (r->cfg->public_origin[0]) {
        snprintf(expect, sizeof(expect), "%s", r->cfg->public_origin);
    } else if (r->host) {
        snprintf(expect, sizeof(expect), "%s://%s", r->cfg->secure_cookies ? "https" : "http",
                 r->host);
    } else {
        return false;
    }
    return !strcmp(expect, r->origin);
}

static bool state_changing(enum api_method m)
{
    return m != API_GET && m != API_HEAD;
}

static enum err authenticate(struct api_req *r)
{
    struct login_policy p;
    enum err rc;

    api__login_policy(r->cfg, &p);
    rc = acct_session_resolve(r->conn, r->session_cookie, &p, clock_now_ms(), &r->who);
    if (rc) {
        return rc;
    }
    r->authed = true;
    r->actx.user_uid = r->who.user_uid;
    r->actx.role = acct_role_name(r->who.role);
    r->actx.org_uid = r->who.org_uid;
    r->actx.on_behalf_of = r->who.acting_for[0] ? r->who.acting_for : NULL; /* a held dossier */
    if (r->who.role == ROLE_CLIENT) {
        /* a client's own requests keep no network address in the trail: it is personal data
         * about the client that would outlive an erasure (docs/dossier.md §6); the card login
         * itself keeps it, for the throttle and to trace attacks */
        r->actx.source_addr = NULL;
    }
    if (state_changing(r->method)) {
        size_t n = r->csrf_header ? strlen(r->csrf_header) : 0;
        if (n != strlen(r->who.csrf) || !sec_memeq(r->csrf_header, r->who.csrf, n)) {
            return ERR_CSRF;
        }
    }
    return ERR_OK;
}

/* Whether the route needs a session now: AUTH_PUBLIC_MAP does unless map_public is on. */
static bool needs_session(const struct api_req *r, const struct api_route *rt)
{
    return rt->auth == AUTH_SESSION || (rt->auth == AUTH_PUBLIC_MAP && !r->cfg->map_public);
}

static enum err run_in_tx(struct api_req *r, const struct api_route *rt)
{
    enum err rc = store_begin(r->conn, true);
    if (rc) {
        return rc;
    }
    if (needs_session(r, rt)) {
        rc = authenticate(r);
        if (rc == ERR_UNAUTHENTICATED) {
            /* keep the session ending that resolve may have recorded */
            enum err crc = store_commit(r->conn);
            return crc ? crc : rc;
        }
    }
    if (!rc) {
        rc = rt->fn(r);
    }
    if (!rc) {
        rc = store_commit(r->conn);
    } else {
        store_rollback(r->conn);
    }
    return rc;
}

/* Authenticates in a short write transaction of its own (a session touch is a write). */
static enum err authenticate_short(struct api_req *r)
{
    enum err rc = store_begin(r->conn, true);

    rc = rc ? rc : authenticate(r);
    if (rc == ERR_OK || rc == ERR_UNAUTHENTICATED) {
        enum err crc = store_commit(r->conn);
        rc = rc ? rc : crc;
    } else {
        store_rollback(r->conn);
    }
    return rc;
}

/* TX_READ: the handler inside one deferred (read) transaction, which it must not write in. */
static enum err run_read(struct api_req *r, const struct api_route *rt)
{
    enum err rc = store_begin(r->conn, false);

    if (rc) {
        return rc;
    }
    rc = rt->fn(r);
    store_rollback(r->conn); /* nothing to keep: ends the read snapshot */
    return rc;
}

/*
 * Every refusal is audited. Domain functions note theirs with the client and the object; a
 * handler refused on the caller's role alone (an admin asking for the worklist) has neither, so
 * the resource of the route ("worklist", "clients", "referrals") stands for the object.
 */
static void note_role_denial(struct api_req *r, const struct api_route *rt)
{
    static const char prefix[] = "/api/v1/";
    const char *res = rt->pattern + (sizeof(prefix) - 1);
    char object[24];
    size_t n = strcspn(res, "/");

    if (strncmp(rt->pattern, prefix, sizeof(prefix) - 1) != 0) {
        res = rt->pattern;
        n = strlen(res);
    }
    snprintf(object, sizeof(object), "%.*s", (int)(n < sizeof(object) ? n : sizeof(object) - 1),
             res);
    audit_note_denial(&r->actx, NULL, "access_denied", object);
}

enum err api_dispatch(struct api_req *r)
{
    const struct api_route *rt;
    enum err rc = ERR_OK;

    r->actx.source_addr = r->remote_addr;
    r->actx.request_id = r->request_id;
    r->actx.keys = r->keyring; /* domain functions open clients' data keys with it */
    rt = route_find(r, &rc);
    if (!rt) {
        return rc;
    }
    if (state_changing(r->method) && !origin_ok(r, rt->auth == AUTH_SESSION)) {
        return ERR_CSRF;
    }
    r->conn = store_acquire(r->store);
    if (rt->tx == TX_WRITE) {
        rc = run_in_tx(r, rt);
    } else if (needs_session(r, rt)) {
        /* authenticate in a short transaction, then let the handler run (slow work such as
         * speech synthesis must not hold the write lock) with its own transactions */
        rc = authenticate_short(r);
        rc = rc ? rc : rt->tx == TX_READ ? run_read(r, rt) : rt->fn(r);
    } else {
        rc = rt->tx == TX_READ ? run_read(r, rt) : rt->fn(r);
    }
    if (rc == ERR_FORBIDDEN && r->authed && !r->actx.denial_pending) {
        note_role_denial(r, rt); /* a refusal by role alone, before any client was named */
    }
    if (r->actx.denial_pending) {
        enum err arc = audit_flush_denial(r->conn, &r->actx);
        if (arc) {
            rc = arc;
        }
    }
    store_release(r->store, r->conn);
    r->conn = NULL;
    return rc;
}

json_t *api_problem(const struct api_req *r, enum err rc)
{
    char type[128];
    json_t *p, *errors;
    const char *detail = r->detail[0]        ? r->detail
                         : rc == ERR_INVALID ? "One or more fields are invalid."
                                             : err_title(rc);

    snprintf(type, sizeof(type), "https://veerkracht.example/problems/%s", err_slug(rc));
    p = json_pack("{s:s, s:s, s:i, s:s, s:s}", "type", type, "title", err_title(rc), "status",
                  err_http_status(rc), "detail", detail, "request_id", r->request_id);
    if (p && r->verr.n) {
        errors = json_array();
        for (size_t i = 0; i < r->verr.n; i++) {
            json_array_append_new(errors,
                                  json_pack("{s:s, s:s}", "pointer", r->verr.items[i].pointer,
                                            "detail", r->verr.items[i].detail));
        }
        json_object_set_new(p, "errors", errors);
    }
    return p;
}
