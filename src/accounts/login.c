/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Login with throttling and lockout, and sessions. Failures are counted per email (hashed, so
 * mistyped secrets never sit in the database) and per source address. The answer for an unknown
 * email is the same, in content and in time, as for a wrong password.
 */
#include "core/compat.h"

#include "accounts/accounts.h"
#include "accounts/accounts_int.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"

#define THROTTLE_CAP_MS (60 * 1000)

int64_t acct_throttle_wait(const struct failure_row *f, const struct login_policy *p, bool is_ip,
                           int64_t now)
{
    int64_t steps, delay;

    if (f->locked_until > now) {
        return f->locked_until - now;
    }
    if (f->locked_until || now - f->last_at > p->lock_ms) {
        return 0; /* a lock that ran out, or failures long ago, start afresh */
    }
    if (is_ip || f->failures < p->throttle_after) {
        return 0;
    }
    steps = f->failures - p->throttle_after;
    delay = p->delay_ms;
    while (steps-- > 0 && delay < THROTTLE_CAP_MS) {
        delay *= 2;
    }
    if (delay > THROTTLE_CAP_MS) {
        delay = THROTTLE_CAP_MS;
    }
    return f->last_at + delay > now ? f->last_at + delay - now : 0;
}

void acct_throttle_fail(struct failure_row *f, const struct login_policy *p, bool is_ip,
                        int64_t now)
{
    int64_t limit = is_ip ? p->ip_lock_after : p->lock_after;
    if (f->locked_until || now - f->last_at > p->lock_ms) {
        f->failures = 0;
        f->locked_until = 0;
    }
    f->failures++;
    f->last_at = now;
    if (f->failures >= limit) {
        f->locked_until = now + p->lock_ms;
    }
}

static void email_key(const char *email, char *out, size_t size)
{
    unsigned char h[SEC_HASH_BYTES];
    char hex[2 * SEC_HASH_BYTES + 1];
    sec_hash(email, strlen(email), h);
    str_hex(h, 16, hex);
    snprintf(out, size, "email:%s", hex);
}

struct login_keys {
    struct failure_row email;
    struct failure_row addr;
};

static enum err login_load(struct store_conn *c, const char *email, const char *addr,
                           struct login_keys *k, struct user_row *user, bool *found)
{
    char key[80];
    enum err rc;

    email_key(email, key, sizeof(key));
    rc = store_failure_get(c, key, &k->email);
    if (rc && rc != ERR_NOT_FOUND) {
        return rc;
    }
    snprintf(key, sizeof(key), "addr:%s", addr ? addr : "");
    rc = store_failure_get(c, key, &k->addr);
    if (rc && rc != ERR_NOT_FOUND) {
        return rc;
    }
    rc = store_user_by_email(c, email, user);
    /* client accounts log in with their card only (card.c) */
    *found = (rc == ERR_OK) && !user->disabled && strcmp(user->role, "client") != 0;
    return (rc == ERR_NOT_FOUND) ? ERR_OK : rc;
}

static int64_t login_wait(const struct login_keys *k, const struct login_policy *p, int64_t now)
{
    int64_t a = acct_throttle_wait(&k->email, p, false, now);
    int64_t b = acct_throttle_wait(&k->addr, p, true, now);
    return a > b ? a : b;
}

static enum err login_fail(struct store_conn *c, struct audit_ctx *actx,
                           const struct login_policy *p, struct login_keys *k, bool counted)
{
    struct audit_event ev = {NULL, "login_failed", "session", NULL, counted ? "failure" : "denied"};
    int64_t now = clock_now_ms();
    enum err rc = store_begin(c, true);

    if (!rc && counted) {
        /* re-read inside the write lock so concurrent failures all count */
        struct failure_row e = k->email, a = k->addr;
        (void)store_failure_get(c, e.key, &k->email);
        (void)store_failure_get(c, a.key, &k->addr);
        acct_throttle_fail(&k->email, p, false, now);
        acct_throttle_fail(&k->addr, p, true, now);
        rc = store_failure_put(c, &k->email);
        if (!rc) {
            rc = store_failure_put(c, &k->addr);
        }
    }
    if (!rc) {
        rc = audit_log(c, actx, &ev);
    }
    if (!rc) {
        rc = store_commit(c);
    }
    if (rc) {
        store_rollback(c);
    }
    return rc;
}

enum err acct__session_open(struct store_conn *c, const struct user_row *u,
                            struct login_result *out)
{
    unsigned char raw[SEC_TOKEN_BYTES], hash[SEC_HASH_BYTES];
    struct session_row s;
    struct org_row org;
    int64_t now = clock_now_ms();
    enum err rc = store_org_by_id(c, u->org_id, &org);

    if (rc) {
        return rc;
    }
    memset(&s, 0, sizeof(s));
    sec_random(raw, sizeof(raw));
    str_hex(raw, sizeof(raw), out->token);
    sec_hash(raw, sizeof(raw), hash);
    sec_memzero(raw, sizeof(raw));
    sec_random_hex(SEC_TOKEN_BYTES, s.csrf);
    s.user_id = u->id;
    s.created_at = now;
    s.last_seen = now;
    rc = store_session_insert(c, hash, &s);
    if (rc) {
        return rc;
    }
    memset(&out->who, 0, sizeof(out->who));
    out->who.user_id = u->id;
    memcpy(out->who.user_uid, u->uid, sizeof(u->uid));
    (void)acct_role_parse(u->role, &out->who.role);
    out->who.org_id = u->org_id;
    memcpy(out->who.org_uid, org.uid, sizeof(org.uid));
    out->who.client_id = u->client_id;
    out->who.self_client_id = u->client_id;
    memcpy(out->who.email, u->email, sizeof(u->email));
    out->who.session_id = s.id;
    out->who.session_created = now;
    memcpy(out->who.csrf, s.csrf, sizeof(s.csrf));
    return ERR_OK;
}

static enum err login_succeed(struct store_conn *c, struct audit_ctx *actx,
                              const struct login_keys *k, const struct user_row *u,
                              struct login_result *out)
{
    struct audit_event ev = {NULL, "login", "session", NULL, "success"};
    enum err rc = store_begin(c, true);
    if (!rc) {
        rc = store_failure_clear(c, k->email.key);
    }
    if (!rc) {
        rc = acct__session_open(c, u, out);
    }
    if (!rc) {
        actx->user_uid = out->who.user_uid;
        actx->role = acct_role_name(out->who.role);
        actx->org_uid = out->who.org_uid;
        rc = audit_log(c, actx, &ev);
    }
    if (!rc) {
        rc = store_commit(c);
    }
    if (rc) {
        store_rollback(c);
        actx->user_uid = actx->role = actx->org_uid = NULL;
    }
    return rc;
}

enum err acct_login(struct store_conn *c, struct audit_ctx *actx, const struct login_policy *p,
                    const char *email_in, const char *password, size_t pwlen,
                    struct login_result *out)
{
    char email[STORE_EMAIL_MAX + 1];
    struct login_keys keys;
    struct user_row user;
    bool found = false, ok;
    int64_t wait;
    enum err rc;

    memset(out, 0, sizeof(*out));
    if (acct_email_normalise(email_in, email, sizeof(email))) {
        snprintf(email, sizeof(email), "%s", "invalid@invalid.invalid");
    }
    rc = store_begin(c, false);
    if (!rc) {
        rc = login_load(c, email, actx->source_addr, &keys, &user, &found);
        store_rollback(c);
    }
    if (rc) {
        return rc;
    }
    wait = login_wait(&keys, p, clock_now_ms());
    if (wait > 0) {
        out->retry_after_s = (wait + 999) / 1000;
        rc = login_fail(c, actx, p, &keys, false);
        return rc ? rc : ERR_THROTTLED;
    }
    if (found) {
        ok = sec_pw_verify(user.pw_hash, password, pwlen);
    } else {
        sec_pw_dummy_verify(password, pwlen);
        ok = false;
    }
    if (!ok) {
        rc = login_fail(c, actx, p, &keys, true);
        return rc ? rc : ERR_BAD_CREDENTIALS;
    }
    return login_succeed(c, actx, &keys, &user, out);
}

bool acct_session_live(int64_t created, int64_t last_seen, int64_t now, int64_t idle_ms,
                       int64_t max_ms)
{
    return now - last_seen < idle_ms && now - created < max_ms && now >= created;
}

static enum err principal_fill(struct store_conn *c, const struct session_row *s,
                               struct principal *out)
{
    struct user_row u;
    struct org_row org;
    enum err rc = store_user_by_id(c, s->user_id, &u);
    if (rc == ERR_NOT_FOUND || (!rc && u.disabled)) {
        return ERR_UNAUTHENTICATED;
    }
    if (!rc) {
        rc = store_org_by_id(c, u.org_id, &org);
    }
    if (rc) {
        return rc;
    }
    memset(out, 0, sizeof(*out));
    out->user_id = u.id;
    memcpy(out->user_uid, u.uid, sizeof(u.uid));
    if (acct_role_parse(u.role, &out->role)) {
        return ERR_UNAUTHENTICATED;
    }
    out->org_id = u.org_id;
    memcpy(out->org_uid, org.uid, sizeof(org.uid));
    out->client_id = u.client_id;
    memcpy(out->email, u.email, sizeof(u.email));
    out->session_id = s->id;
    out->session_created = s->created_at;
    memcpy(out->csrf, s->csrf, sizeof(s->csrf));
    return acct__acting_apply(c, out);
}

enum err acct_session_resolve(struct store_conn *c, const char *token, const struct login_policy *p,
                              int64_t now, struct principal *out)
{
    unsigned char raw[SEC_TOKEN_BYTES], hash[SEC_HASH_BYTES];
    struct session_row s;
    int64_t touch_every;
    enum err rc;

    if (!token || str_unhex(token, strlen(token), raw, sizeof(raw))) {
        return ERR_UNAUTHENTICATED;
    }
    sec_hash(raw, sizeof(raw), hash);
    rc = store_session_by_hash(c, hash, &s);
    if (rc == ERR_NOT_FOUND) {
        return ERR_UNAUTHENTICATED;
    }
    if (rc) {
        return rc;
    }
    if (s.ended_at) {
        return ERR_UNAUTHENTICATED;
    }
    if (!acct_session_live(s.created_at, s.last_seen, now, p->idle_ms, p->max_ms)) {
        rc = store_session_end(c, s.id, now);
        return rc ? rc : ERR_UNAUTHENTICATED;
    }
    touch_every = p->idle_ms / 4 < 30000 ? p->idle_ms / 4 : 30000;
    if (now - s.last_seen >= touch_every) {
        rc = store_session_touch(c, s.id, now);
        if (rc) {
            return rc;
        }
    }
    return principal_fill(c, &s, out);
}

enum err acct_session_end(struct store_conn *c, int64_t session_id, int64_t now)
{
    return store_session_end(c, session_id, now);
}
