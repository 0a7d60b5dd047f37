/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Erasure (docs/dossier.md §6): the client asks or withdraws, a professional with the right role
 * confirms, and the client's rows, data key and own accounts go in one transaction. Audit rows
 * stay: they hold identifiers only, and the erase row records the fact under the pseudonym.
 */
#include "core/compat.h"

#include "core/clock.h"
#include "core/sec.h"
#include "dossier/dossier.h"

bool dossier_erasure_role(enum role r)
{
    switch (r) {
    case ROLE_COORDINATOR:
    case ROLE_HEALTH_STAFF:
    case ROLE_GP:
    case ROLE_POH_GGZ:
    case ROLE_GGZ:
        return true;
    default:
        return false;
    }
}

static enum err erasure_audit(struct store_conn *c, struct audit_ctx *actx, const char *pid,
                              const char *action, const char *object, const char *id)
{
    struct audit_event ev = {pid, action, object, id, "success"};
    return audit_log(c, actx, &ev);
}

/* Access check, then: the caller must be the client (or holder) acting on this dossier. */
static enum err client_side(struct store_conn *c, struct audit_ctx *actx,
                            const struct principal *who, const char *pid, struct client_row *client)
{
    uint32_t eff;
    enum err rc = dossier_client_check(c, actx, who, pid, SCOPE_ANY, "erasure", client, &eff);
    if (!rc && (who->role != ROLE_CLIENT || who->client_id != client->id)) {
        audit_note_denial(actx, pid, "access_denied", "erasure");
        rc = ERR_FORBIDDEN; /* only the client asks for the erasure of their own dossier */
    }
    return rc;
}

enum err dossier_erasure_request(struct store_conn *c, struct audit_ctx *actx,
                                 const struct principal *who, const char *pid,
                                 struct erasure_row *out)
{
    struct client_row client;
    enum err rc = client_side(c, actx, who, pid, &client);

    if (rc) {
        return rc;
    }
    memset(out, 0, sizeof(*out));
    sec_random_hex(16, out->uid);
    out->client_id = client.id;
    memcpy(out->client_pid, client.pid, sizeof(out->client_pid));
    memcpy(out->requested_by_user, who->user_uid, sizeof(out->requested_by_user));
    out->requested_at = clock_now_ms();
    rc = store_erasure_insert(c, out);
    return rc ? rc : erasure_audit(c, actx, pid, "erase_request", "erasure", out->uid);
}

enum err dossier_erasure_withdraw(struct store_conn *c, struct audit_ctx *actx,
                                  const struct principal *who, const char *pid)
{
    struct client_row client;
    struct erasure_row e;
    enum err rc = client_side(c, actx, who, pid, &client);

    if (rc) {
        return rc;
    }
    rc = store_erasure_latest(c, client.id, &e);
    if (rc == ERR_NOT_FOUND || (!rc && strcmp(e.state, "requested"))) {
        return ERR_CONFLICT; /* nothing open to withdraw */
    }
    rc = rc ? rc : store_erasure_decide(c, e.id, "withdrawn", who->user_uid, clock_now_ms());
    return rc ? rc : erasure_audit(c, actx, pid, "erase_withdraw", "erasure", e.uid);
}

enum err dossier_erasure_get(struct store_conn *c, struct audit_ctx *actx,
                             const struct principal *who, const char *pid, struct erasure_row *out,
                             bool *found)
{
    struct client_row client;
    uint32_t eff;
    enum err rc =
        dossier_client_open(c, actx, who, pid, SCOPE_ANY, "read", "erasure", &client, &eff);

    *found = false;
    if (rc) {
        return rc;
    }
    rc = store_erasure_latest(c, client.id, out);
    if (rc == ERR_NOT_FOUND) {
        return ERR_OK; /* the client exists (checked above) and has never asked */
    }
    *found = !rc;
    return rc;
}

/* The professional side: access, then a role that may confirm. */
static enum err confirmer(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                          const char *pid, struct client_row *client)
{
    uint32_t eff;
    enum err rc = dossier_client_check(c, actx, who, pid, SCOPE_ANY, "erasure", client, &eff);
    if (!rc && (who->role == ROLE_CLIENT || !dossier_erasure_role(who->role))) {
        audit_note_denial(actx, pid, "access_denied", "erasure");
        rc = ERR_FORBIDDEN;
    }
    return rc;
}

enum err dossier_erasure_confirm(struct store_conn *c, struct audit_ctx *actx,
                                 const struct principal *who, const char *pid,
                                 const char *confirm_pid, struct verr *v, int64_t *rows)
{
    struct client_row client;
    struct erasure_row e;
    enum err rc = confirmer(c, actx, who, pid, &client);

    *rows = 0;
    if (rc) {
        return rc;
    }
    rc = store_erasure_latest(c, client.id, &e);
    if (rc == ERR_NOT_FOUND || (!rc && strcmp(e.state, "requested"))) {
        return ERR_CONFLICT; /* the client has not asked, or withdrew */
    }
    if (!rc && (!confirm_pid || strcmp(confirm_pid, client.pid))) {
        verr_add(v, "/confirm_pid", "must be the client's id, typed again");
        return ERR_INVALID;
    }
    rc = rc ? rc : store_erasure_decide(c, e.id, "confirmed", who->user_uid, clock_now_ms());
    rc = rc ? rc : store_erase_client(c, client.id, rows);
    sec_memzero(&client, sizeof(client)); /* the sealed name and phone it held */
    return rc ? rc : erasure_audit(c, actx, pid, "erase", "dossier", pid);
}

struct open_ctx {
    store_erasure_fn fn;
    void *ctx;
    size_t n;
};

static enum err open_item(const struct erasure_row *row, void *ctx)
{
    struct open_ctx *o = ctx;
    o->n++;
    return o->fn(row, o->ctx);
}

enum err dossier_erasure_open_list(struct store_conn *c, struct audit_ctx *actx,
                                   const struct principal *who, store_erasure_fn fn, void *ctx)
{
    struct open_ctx o = {fn, ctx, 0};
    struct audit_event ev = {NULL, "list", "erasure", NULL, "success"};
    enum err rc;

    if (!dossier_erasure_role(who->role)) {
        return ERR_OK;
    }
    rc = store_erasure_each_open(c, who->org_id, clock_now_ms(), open_item, &o);
    return rc || o.n == 0 ? rc : audit_log(c, actx, &ev);
}
