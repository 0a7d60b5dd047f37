/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Consent grants on a client: list; a professional records verbal consent or requests a grant;
 * the client creates, accepts, confirms, narrows, extends and revokes; and the access log.
 */
#include "core/compat.h"

#include "core/clock.h"
#include "core/mem.h"
#include "core/sec.h"
#include "dossier/dossier.h"

#define DAY_MS (24LL * 3600 * 1000)

static const char *const purposes[] = {"care", "referral", "screening", "coordination", NULL};

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

enum err dossier_grant_list_all(struct store_conn *c, struct audit_ctx *actx,
                                const struct principal *who, const char *pid, store_grant_fn gfn,
                                store_grant_request_fn rfn, void *ctx)
{
    struct client_row client;
    uint32_t eff;
    enum err rc =
        dossier_client_open(c, actx, who, pid, SCOPE_ANY, "read", "grants", &client, &eff);
    rc = rc ? rc : store_grant_each_for_client(c, client.id, gfn, ctx);
    return rc ? rc : store_grant_request_each_for_client(c, client.id, rfn, ctx);
}

static bool purpose_ok(const char *p)
{
    for (int i = 0; purposes[i]; i++) {
        if (!strcmp(purposes[i], p)) {
            return true;
        }
    }
    return false;
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
    if (!in->basis || (strcmp(in->basis, "client_consent") && strcmp(in->basis, "verbal_consent") &&
                       strcmp(in->basis, "request"))) {
        verr_add(v, "/basis", "must be client_consent, verbal_consent or request");
    } else if (strcmp(in->basis, "client_consent") && who->role == ROLE_CLIENT) {
        verr_add(v, "/basis", "use client_consent from the client's own account");
    }
    if (in->days < 1 || in->days > DOSSIER_GRANT_MAX_DAYS) {
        verr_add(v, "/days", "must be from 1 to 365");
    }
    if (in->purpose && !purpose_ok(in->purpose)) {
        verr_add(v, "/purpose", "must be care, referral, screening or coordination");
    }
}

/* Checks access and input and finds the organisation; ERR_INVALID with v filled. */
static enum err grant_prepare(struct store_conn *c, struct audit_ctx *actx,
                              const struct principal *who, const char *pid,
                              const struct grant_input *in, struct verr *v,
                              struct client_row *client, struct org_row *org)
{
    uint32_t eff;
    enum err rc = dossier_client_check(c, actx, who, pid, SCOPE_ANY, "grant", client, &eff);
    if (rc) {
        return rc;
    }
    if (in->basis && !strcmp(in->basis, "client_consent") && who->role != ROLE_CLIENT) {
        audit_note_denial(actx, pid, "access_denied", "grant");
        return ERR_FORBIDDEN; /* only the client gives consent in their own name */
    }
    grant_validate(who, in, v);
    if (!v->n && who->role != ROLE_CLIENT && (in->scopes & ~consent_role_ceiling(who->role))) {
        /* a professional records consent only for scopes their own role could ever hold:
         * a volunteer cannot pass on clinical access, a GP can (to a GGZ, say) */
        verr_add(v, "/scopes", "you can only record consent for scopes your role works with");
    }
    if (!v->n) {
        rc = store_org_by_uid(c, in->org_uid, org);
        if (rc == ERR_NOT_FOUND) {
            verr_add(v, "/org_id", "no such organisation");
        } else if (rc) {
            return rc;
        } else if (!strcmp(org->kind, "platform") || !strcmp(org->kind, "client_accounts")) {
            verr_add(v, "/org_id", "this organisation gives no care and cannot be granted access");
        }
    }
    return v->n ? ERR_INVALID : ERR_OK;
}

static enum err grant_audit(struct store_conn *c, struct audit_ctx *actx, const char *pid,
                            const char *action, const char *uid)
{
    struct audit_event ev = {pid, action, "grant", uid, "success"};
    return audit_log(c, actx, &ev);
}

enum err dossier_grant_add(struct store_conn *c, struct audit_ctx *actx,
                           const struct principal *who, const char *pid,
                           const struct grant_input *in, struct verr *v, struct grant_row *out)
{
    struct client_row client;
    struct org_row org;
    int64_t now = clock_now_ms();
    enum err rc = grant_prepare(c, actx, who, pid, in, v, &client, &org);

    if (!rc && !strcmp(in->basis, "request")) {
        verr_add(v, "/basis", "a request is made with dossier_grant_request");
        rc = ERR_INVALID;
    }
    if (rc) {
        return rc;
    }
    memset(out, 0, sizeof(*out));
    sec_random_hex(16, out->uid);
    out->client_id = client.id;
    out->org_id = org.id;
    out->scopes = in->scopes;
    snprintf(out->basis, sizeof(out->basis), "%s", in->basis);
    snprintf(out->purpose, sizeof(out->purpose), "%s", in->purpose ? in->purpose : "care");
    memcpy(out->granted_by_user, who->user_uid, sizeof(out->granted_by_user));
    snprintf(out->granted_by_role, sizeof(out->granted_by_role), "%s", acct_role_name(who->role));
    out->granted_by_org = who->org_id;
    out->created_at = now;
    out->expires_at = now + in->days * DAY_MS;
    out->confirmed_at = who->role == ROLE_CLIENT ? now : 0;
    rc = store_grant_insert(c, out);
    return rc ? rc : grant_audit(c, actx, pid, "grant_add", out->uid);
}

enum err dossier_grant_request(struct store_conn *c, struct audit_ctx *actx,
                               const struct principal *who, const char *pid,
                               const struct grant_input *in, struct verr *v,
                               struct grant_request_row *out)
{
    struct client_row client;
    struct org_row org;
    enum err rc = grant_prepare(c, actx, who, pid, in, v, &client, &org);

    if (rc) {
        return rc;
    }
    memset(out, 0, sizeof(*out));
    sec_random_hex(16, out->uid);
    out->client_id = client.id;
    out->org_id = org.id;
    out->scopes = in->scopes;
    snprintf(out->purpose, sizeof(out->purpose), "%s", in->purpose ? in->purpose : "care");
    out->days = in->days;
    memcpy(out->requested_by_user, who->user_uid, sizeof(out->requested_by_user));
    snprintf(out->requested_by_role, sizeof(out->requested_by_role), "%s",
             acct_role_name(who->role));
    out->requested_by_org = who->org_id;
    out->created_at = clock_now_ms();
    snprintf(out->state, sizeof(out->state), "open");
    rc = store_grant_request_insert(c, out);
    return rc ? rc : grant_audit(c, actx, pid, "grant_request", out->uid);
}

/* Access check, then: the caller must be the client on their own (or a held) record. */
static enum err client_only(struct store_conn *c, struct audit_ctx *actx,
                            const struct principal *who, const char *pid, struct client_row *client)
{
    uint32_t eff;
    enum err rc = dossier_client_check(c, actx, who, pid, SCOPE_ANY, "grant", client, &eff);
    if (!rc && (who->role != ROLE_CLIENT || who->client_id != client->id)) {
        audit_note_denial(actx, pid, "access_denied", "grant");
        rc = ERR_FORBIDDEN;
    }
    return rc;
}

/* The client's grant `uid` that is not revoked; ERR_NOT_FOUND otherwise. */
static enum err own_grant(struct store_conn *c, const struct client_row *client, const char *uid,
                          struct grant_row *g)
{
    enum err rc = store_grant_by_uid(c, uid, g);
    if (!rc && (g->client_id != client->id || g->revoked_at)) {
        rc = ERR_NOT_FOUND;
    }
    return rc;
}

/* Turns an open request into a confirmed grant with the same uid. */
static enum err request_accept(struct store_conn *c, const struct principal *who,
                               const struct grant_request_row *q, int64_t now,
                               struct grant_row *out)
{
    enum err rc = store_grant_request_decide(c, q->id, "accepted", who->user_uid, now);
    if (rc) {
        return rc;
    }
    memset(out, 0, sizeof(*out));
    memcpy(out->uid, q->uid, sizeof(out->uid));
    out->client_id = q->client_id;
    out->org_id = q->org_id;
    out->scopes = q->scopes;
    snprintf(out->basis, sizeof(out->basis), "client_consent");
    snprintf(out->purpose, sizeof(out->purpose), "%s", q->purpose);
    memcpy(out->granted_by_user, who->user_uid, sizeof(out->granted_by_user));
    snprintf(out->granted_by_role, sizeof(out->granted_by_role), "%s", acct_role_name(who->role));
    out->granted_by_org = who->org_id;
    out->created_at = now;
    out->expires_at = now + q->days * DAY_MS;
    out->confirmed_at = now;
    return store_grant_insert(c, out);
}

enum err dossier_grant_accept(struct store_conn *c, struct audit_ctx *actx,
                              const struct principal *who, const char *pid, const char *uid,
                              struct grant_row *out)
{
    struct client_row client;
    struct grant_request_row q;
    int64_t now = clock_now_ms();
    enum err rc = client_only(c, actx, who, pid, &client);

    if (rc) {
        return rc;
    }
    rc = store_grant_request_by_uid(c, uid, &q);
    if (!rc && q.client_id == client.id && !strcmp(q.state, "open")) {
        rc = request_accept(c, who, &q, now, out);
        return rc ? rc : grant_audit(c, actx, pid, "grant_accept", uid);
    }
    if (rc && rc != ERR_NOT_FOUND) {
        return rc;
    }
    rc = own_grant(c, &client, uid, out);
    if (!rc && (out->confirmed_at || out->expires_at <= now)) {
        return ERR_CONFLICT; /* already confirmed, or ended */
    }
    rc = rc ? rc : store_grant_confirm(c, out->id, now);
    if (!rc) {
        out->confirmed_at = now;
        rc = grant_audit(c, actx, pid, "grant_confirm", uid);
    }
    return rc;
}

static void change_validate(const struct grant_row *g, const struct grant_change *ch, int64_t now,
                            struct verr *v)
{
    if (!ch->scopes && !ch->days) {
        verr_add(v, "", "give scopes (to narrow) or days (to extend)");
    }
    if (ch->scopes && ((ch->scopes & ~g->scopes) || ch->scopes == g->scopes)) {
        verr_add(v, "/scopes", "must be fewer of the scopes the grant has now");
    }
    if (ch->days && (ch->days < 1 || ch->days > DOSSIER_GRANT_MAX_DAYS)) {
        verr_add(v, "/days", "must be from 1 to 365");
    } else if (ch->days && now + ch->days * DAY_MS <= g->expires_at) {
        verr_add(v, "/days", "must end later than the grant ends now");
    }
}

enum err dossier_grant_change(struct store_conn *c, struct audit_ctx *actx,
                              const struct principal *who, const char *pid, const char *uid,
                              const struct grant_change *ch, struct verr *v, struct grant_row *out)
{
    struct client_row client;
    int64_t now = clock_now_ms();
    enum err rc = client_only(c, actx, who, pid, &client);

    rc = rc ? rc : own_grant(c, &client, uid, out);
    if (!rc && out->expires_at <= now) {
        rc = ERR_CONFLICT; /* ended: the client makes a new one */
    }
    if (rc) {
        return rc;
    }
    change_validate(out, ch, now, v);
    if (v->n) {
        return ERR_INVALID;
    }
    if (ch->scopes) {
        out->scopes = ch->scopes;
    }
    if (ch->days) {
        out->expires_at = now + ch->days * DAY_MS;
    }
    out->changed_at = now;
    rc = store_grant_update(c, out->id, out->scopes, out->expires_at, now);
    if (!rc && ch->scopes) {
        rc = grant_audit(c, actx, pid, "grant_narrow", uid);
    }
    if (!rc && ch->days) {
        rc = grant_audit(c, actx, pid, "grant_extend", uid);
    }
    return rc;
}

enum err dossier_grant_revoke(struct store_conn *c, struct audit_ctx *actx,
                              const struct principal *who, const char *pid, const char *grant_uid)
{
    struct client_row client;
    struct grant_request_row q;
    struct grant_row g;
    int64_t now = clock_now_ms();
    enum err rc = client_only(c, actx, who, pid, &client);

    if (rc) {
        return rc;
    }
    rc = store_grant_request_by_uid(c, grant_uid, &q);
    if (!rc && q.client_id == client.id && !strcmp(q.state, "open")) {
        rc = store_grant_request_decide(c, q.id, "declined", who->user_uid, now);
        return rc ? rc : grant_audit(c, actx, pid, "grant_decline", grant_uid);
    }
    if (rc && rc != ERR_NOT_FOUND) {
        return rc;
    }
    rc = own_grant(c, &client, grant_uid, &g);
    rc = rc ? rc : store_grant_revoke(c, g.id, who->user_uid, now);
    return rc ? rc : grant_audit(c, actx, pid, "grant_revoke", grant_uid);
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

/* ---- several grants in one step ----------------------------------------------------------- */

/* Copies the errors of one item into v under prefix ("/items/3"). */
static void verr_nest(struct verr *v, const char *prefix, const struct verr *one)
{
    char p[sizeof(one->items[0].pointer)];
    for (size_t i = 0; i < one->n; i++) {
        snprintf(p, sizeof(p), "%s%s", prefix, one->items[i].pointer);
        verr_add(v, p, "%s", one->items[i].detail);
    }
}

static bool org_listed_before(const struct grant_input *items, size_t i)
{
    for (size_t k = 0; k < i; k++) {
        if (items[k].org_uid && items[i].org_uid && !strcmp(items[k].org_uid, items[i].org_uid)) {
            return true;
        }
    }
    return false;
}

enum err dossier_grant_request_many(struct store_conn *c, struct audit_ctx *actx,
                                    const struct principal *who, const char *pid,
                                    const struct grant_input *items, size_t n, struct verr *v,
                                    struct grant_request_row *out)
{
    enum err rc = ERR_OK;
    char prefix[32];

    for (size_t i = 0; i < n && (!rc || rc == ERR_INVALID); i++) {
        struct grant_input in = items[i];
        struct verr one = {0};
        enum err r1;

        in.basis = "request";
        snprintf(prefix, sizeof(prefix), "/items/%zu", i);
        if (org_listed_before(items, i)) {
            verr_add(&one, "/org_id", "this organisation is already asked in this list");
            r1 = ERR_INVALID;
        } else {
            r1 = dossier_grant_request(c, actx, who, pid, &in, &one, &out[i]);
        }
        verr_nest(v, prefix, &one);
        rc = r1 ? r1 : rc;
    }
    return rc;
}

/* "/ids/N" for every id that is not an open request of client_id or is listed twice. */
static enum err accept_check(struct store_conn *c, int64_t client_id, const char *const *ids,
                             size_t n, struct verr *v, struct grant_request_row *rows)
{
    char p[32];
    for (size_t i = 0; i < n; i++) {
        enum err rc = store_grant_request_by_uid(c, ids[i], &rows[i]);
        snprintf(p, sizeof(p), "/ids/%zu", i);
        if (rc && rc != ERR_NOT_FOUND) {
            return rc;
        }
        if (rc || rows[i].client_id != client_id || strcmp(rows[i].state, "open")) {
            verr_add(v, p, "is not an open request of this client");
        }
        for (size_t k = 0; k < i; k++) {
            if (!strcmp(ids[k], ids[i])) {
                verr_add(v, p, "is listed twice");
            }
        }
    }
    return v->n ? ERR_INVALID : ERR_OK;
}

enum err dossier_grant_accept_many(struct store_conn *c, struct audit_ctx *actx,
                                   const struct principal *who, const char *pid,
                                   const char *const *ids, size_t n, struct verr *v,
                                   struct grant_row *out)
{
    struct client_row client;
    struct grant_request_row *rows = NULL;
    int64_t now = clock_now_ms();
    enum err rc = client_only(c, actx, who, pid, &client);

    if (!rc && n) {
        rows = xcalloc(n, sizeof(*rows));
        rc = accept_check(c, client.id, ids, n, v, rows);
    }
    for (size_t i = 0; !rc && i < n; i++) {
        rc = request_accept(c, who, &rows[i], now, &out[i]);
        rc = rc ? rc : grant_audit(c, actx, pid, "grant_accept", rows[i].uid);
    }
    free(rows);
    return rc;
}
