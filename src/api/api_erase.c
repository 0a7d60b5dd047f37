/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * /api/v1/clients/{id}/erasure: the client asks for erasure or withdraws; a professional reads
 * the state and confirms (docs/API.md "Erasure"). Confirming runs its own write transaction so
 * that the WAL can be checkpointed after the commit: the pages that held the client's rows are
 * then overwritten at once (secure_delete is on), not at the next automatic checkpoint.
 */
#include "core/compat.h"

#include "api/api_int.h"
#include "core/log.h"
#include "dossier/dossier.h"

static json_t *erasure_json(struct api_req *r, const struct erasure_row *e, bool found)
{
    bool may = r->who.role != ROLE_CLIENT && dossier_erasure_role(r->who.role);
    if (!found) {
        return json_pack("{s:n, s:s, s:n, s:n, s:b}", "id", "state", "none", "requested_at",
                         "withdrawn_at", "may_confirm", may);
    }
    return json_pack("{s:s, s:s, s:s, s:o, s:b}", "id", e->uid, "state", e->state, "requested_at",
                     api__iso(r, e->requested_at), "withdrawn_at",
                     e->withdrawn_at ? json_string(api__iso(r, e->withdrawn_at)) : json_null(),
                     "may_confirm", may && !strcmp(e->state, "requested"));
}

enum err api_erasure_create(struct api_req *r)
{
    struct erasure_row e;
    enum err rc = dossier_erasure_request(r->conn, &r->actx, &r->who, r->params[0], &e);
    if (rc == ERR_CONFLICT) {
        snprintf(r->detail, sizeof(r->detail), "An erasure request is open already.");
    }
    if (!rc) {
        r->resp = erasure_json(r, &e, true);
        r->status = 201;
    }
    return rc;
}

enum err api_erasure_delete(struct api_req *r)
{
    enum err rc = dossier_erasure_withdraw(r->conn, &r->actx, &r->who, r->params[0]);
    if (rc == ERR_CONFLICT) {
        snprintf(r->detail, sizeof(r->detail), "There is no open erasure request to withdraw.");
    }
    if (!rc) {
        r->status = 204;
    }
    return rc;
}

enum err api_erasure_get(struct api_req *r)
{
    struct erasure_row e;
    bool found;
    enum err rc = dossier_erasure_get(r->conn, &r->actx, &r->who, r->params[0], &e, &found);
    if (!rc) {
        r->resp = erasure_json(r, &e, found);
    }
    return rc;
}

/* The body: {"confirm_pid": "..."}; the string is copied so the body can be freed. */
static enum err confirm_body(struct api_req *r, char *pid, size_t size)
{
    static const char *const allowed[] = {"confirm_pid", NULL};
    json_t *body = NULL;
    const char *s;
    enum err rc = api__body_object(r, &body);

    if (rc) {
        return rc;
    }
    api__reject_unknown(body, allowed, &r->verr);
    s = api__string(body, "confirm_pid", STORE_UID_LEN * 2, true, &r->verr);
    snprintf(pid, size, "%s", s ? s : "");
    json_decref(body);
    return r->verr.n ? ERR_INVALID : ERR_OK;
}

/* Route policy TX_NONE: authenticated already; opens, commits and checkpoints here. */
enum err api_erasure_confirm(struct api_req *r)
{
    char pid[STORE_UID_LEN * 2 + 1];
    int64_t rows = 0;
    enum err rc = confirm_body(r, pid, sizeof(pid));

    rc = rc ? rc : store_begin(r->conn, true);
    if (rc) {
        return rc;
    }
    rc = dossier_erasure_confirm(r->conn, &r->actx, &r->who, r->params[0], pid, &r->verr, &rows);
    if (rc == ERR_CONFLICT) {
        snprintf(r->detail, sizeof(r->detail), "The client has no open erasure request.");
    }
    if (rc) {
        store_rollback(r->conn);
        return rc;
    }
    rc = store_commit(r->conn);
    if (rc) {
        return rc;
    }
    /* no pseudonym: the log outlives the erasure (the audit row under the pid is the record) */
    log_info("msg=\"dossier erased\" request=%s rows=%lld", r->request_id, (long long)rows);
    if (store_checkpoint(r->conn)) {
        /* the erasure stands (the data key is gone); the next checkpoint overwrites the pages */
        log_warn("msg=\"checkpoint after erasure failed\" request=%s", r->request_id);
    }
    r->resp = json_pack("{s:b, s:s}", "erased", 1, "pid", r->params[0]);
    return r->resp ? ERR_OK : ERR_NOMEM;
}

struct worklist_ctx {
    struct api_req *r;
    json_t *items;
};

static enum err worklist_item(const struct erasure_row *e, void *ctx)
{
    struct worklist_ctx *w = ctx;
    return json_array_append_new(w->items, json_pack("{s:s, s:s, s:s}", "id", e->uid, "client_id",
                                                     e->client_pid, "requested_at",
                                                     api__iso(w->r, e->requested_at)))
               ? ERR_NOMEM
               : ERR_OK;
}

enum err api__erasure_worklist_add(struct api_req *r)
{
    struct worklist_ctx w = {r, NULL};
    enum err rc;

    if (!r->resp || !dossier_erasure_role(r->who.role)) {
        return ERR_OK; /* the member is there only for roles that may confirm */
    }
    w.items = json_array();
    if (!w.items) {
        return ERR_NOMEM;
    }
    rc = dossier_erasure_open_list(r->conn, &r->actx, &r->who, worklist_item, &w);
    if (rc) {
        json_decref(w.items);
        return rc;
    }
    return json_object_set_new(r->resp, "erasure_requests", w.items) ? ERR_NOMEM : ERR_OK;
}
