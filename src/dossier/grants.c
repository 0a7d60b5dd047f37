/* SPDX-License-Identifier: EUPL-1.2 */
/* Consent grants on a client: list, add, revoke; and the client's access log. */
#include "core/compat.h"

#include "core/clock.h"
#include "core/sec.h"
#include "dossier/dossier.h"

#define DAY_MS (24LL * 3600 * 1000)

enum err dossier_grant_list(struct store_conn *c, struct audit_ctx *actx,
                            const struct principal *who, const char *pid, store_grant_fn fn,
                            void *ctx)
{
    struct client_row client;
    uint32_t eff;
    enum err rc =
        dossier_client_open(c, actx, who, pid, SCOPE_ANY, "read", "grants", &client, &eff);
    return rc ? rc : store_grant_each_for_client(c, client.id, fn, ctx);
}

static void grant_validate(const struct principal *who, const struct grant_input *in,
                           struct verr *v)
{
    if (!in->org_uid || !*in->org_uid) {
        verr_add(v, "/org_id", "is required");
    }
    if (in->scopes == 0 || (in->scopes & ~SCOPE_ALL)) {
        verr_add(v, "/scopes", "must list at least one scope");
    }
    if (!in->basis ||
        (strcmp(in->basis, "client_consent") && strcmp(in->basis, "verbal_consent"))) {
        verr_add(v, "/basis", "must be client_consent or verbal_consent");
    } else if (!strcmp(in->basis, "client_consent") && who->role != ROLE_CLIENT) {
        verr_add(v, "/basis", "client_consent can only be given from the client's own account");
    } else if (!strcmp(in->basis, "verbal_consent") && who->role == ROLE_CLIENT) {
        verr_add(v, "/basis", "use client_consent from the client's own account");
    }
    if (in->days < 1 || in->days > 365) {
        verr_add(v, "/days", "must be from 1 to 365");
    }
}

enum err dossier_grant_add(struct store_conn *c, struct audit_ctx *actx,
                           const struct principal *who, const char *pid,
                           const struct grant_input *in, struct verr *v, struct grant_row *out)
{
    struct audit_event ev = {pid, "grant_add", "grant", NULL, "success"};
    struct client_row client;
    struct org_row org;
    int64_t now = clock_now_ms();
    uint32_t eff;
    enum err rc = dossier_client_check(c, actx, who, pid, SCOPE_ANY, "grant", &client, &eff);
    if (rc) {
        return rc;
    }
    grant_validate(who, in, v);
    if (!v->n && who->role != ROLE_CLIENT && (in->scopes & ~consent_role_ceiling(who->role))) {
        /* a professional records consent only for scopes their own role could ever hold:
         * a volunteer cannot pass on clinical access, a GP can (to a GGZ, say) */
        verr_add(v, "/scopes", "you can only record consent for scopes your role works with");
    }
    if (!v->n) {
        rc = store_org_by_uid(c, in->org_uid, &org);
        if (rc == ERR_NOT_FOUND) {
            verr_add(v, "/org_id", "no such organisation");
        } else if (rc) {
            return rc;
        } else if (!strcmp(org.kind, "platform") || !strcmp(org.kind, "client_accounts")) {
            verr_add(v, "/org_id", "this organisation gives no care and cannot be granted access");
        }
    }
    if (v->n) {
        return ERR_INVALID;
    }
    memset(out, 0, sizeof(*out));
    sec_random_hex(16, out->uid);
    out->client_id = client.id;
    out->org_id = org.id;
    out->scopes = in->scopes;
    snprintf(out->basis, sizeof(out->basis), "%s", in->basis);
    memcpy(out->granted_by_user, who->user_uid, sizeof(out->granted_by_user));
    snprintf(out->granted_by_role, sizeof(out->granted_by_role), "%s", acct_role_name(who->role));
    out->granted_by_org = who->org_id;
    out->created_at = now;
    out->expires_at = now + in->days * DAY_MS;
    rc = store_grant_insert(c, out);
    if (!rc) {
        ev.object_id = out->uid;
        rc = audit_log(c, actx, &ev);
    }
    return rc;
}

enum err dossier_grant_revoke(struct store_conn *c, struct audit_ctx *actx,
                              const struct principal *who, const char *pid, const char *grant_uid)
{
    struct audit_event ev = {pid, "grant_revoke", "grant", grant_uid, "success"};
    struct client_row client;
    struct grant_row g;
    uint32_t eff;
    enum err rc = dossier_client_check(c, actx, who, pid, SCOPE_ANY, "grant", &client, &eff);
    if (rc) {
        return rc;
    }
    rc = store_grant_by_uid(c, grant_uid, &g);
    if (rc == ERR_NOT_FOUND || (!rc && (g.client_id != client.id || g.revoked_at))) {
        return ERR_NOT_FOUND;
    }
    if (!rc) {
        rc = store_grant_revoke(c, g.id, who->user_uid, clock_now_ms());
    }
    if (!rc) {
        rc = audit_log(c, actx, &ev);
    }
    return rc;
}

enum err dossier_access_log(struct store_conn *c, struct audit_ctx *actx,
                            const struct principal *who, const char *pid, int64_t from, int64_t to,
                            store_audit_fn fn, void *ctx)
{
    struct client_row client;
    uint32_t eff;
    enum err rc =
        dossier_client_open(c, actx, who, pid, SCOPE_ANY, "read", "access_log", &client, &eff);
    return rc ? rc : store_audit_each_for_client(c, client.pid, from, to, 500, fn, ctx);
}
