/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Client login with a card: issuing and re-issuing a card, logging in with code and PIN (first
 * login chooses the PIN), the wrong-PIN throttle per card and per address, and the dossiers a
 * client account holds for someone else (a parent for a child) with the session's switch between
 * them. An unknown code and a wrong PIN get the same answer after the same work (one argon2id
 * verification and one write), so the answer says nothing about which it was.
 */
#include "core/compat.h"

#include "accounts/accounts.h"
#include "accounts/accounts_int.h"
#include "core/clock.h"
#include "core/mem.h"
#include "core/str.h"

/* A PIN or passphrase after normalising: passphrases are at most 128 characters of UTF-8. */
#define PIN_BUF (4 * ACCT_PW_MAX + 1)

static bool is_client(const struct principal *who)
{
    return who->role == ROLE_CLIENT;
}

/* ---- client accounts ---------------------------------------------------------------------- */

static enum err client_org(struct store_conn *c, struct org_row *org)
{
    enum err rc = store_org_by_name(c, ACCT_CLIENT_ORG_NAME, org);
    if (rc != ERR_NOT_FOUND) {
        return rc;
    }
    memset(org, 0, sizeof(*org));
    sec_random_hex(16, org->uid);
    snprintf(org->name, sizeof(org->name), "%s", ACCT_CLIENT_ORG_NAME);
    snprintf(org->kind, sizeof(org->kind), "%s", ACCT_CLIENT_ORG_KIND);
    return store_org_insert(c, org);
}

/* The client account of client_id, created without any usable password when missing. */
static enum err client_user_ensure(struct store_conn *c, int64_t client_id, struct user_row *u)
{
    struct org_row org;
    enum err rc = store_user_by_client(c, client_id, u);

    if (rc != ERR_NOT_FOUND) {
        return rc;
    }
    rc = client_org(c, &org);
    if (rc) {
        return rc;
    }
    memset(u, 0, sizeof(*u));
    sec_random_hex(16, u->uid);
    u->org_id = org.id;
    snprintf(u->role, sizeof(u->role), "%s", acct_role_name(ROLE_CLIENT));
    /* .invalid is reserved (RFC 2606), and the password login refuses role client anyway */
    snprintf(u->email, sizeof(u->email), "card-%s@card.invalid", u->uid);
    snprintf(u->pw_hash, sizeof(u->pw_hash), "!card-login-only");
    u->client_id = client_id;
    return store_user_insert(c, u);
}

enum err acct_card_issue(struct store_conn *c, struct audit_ctx *actx, const struct principal *by,
                         int64_t client_id, const char *client_pid,
                         char code[ACCT_CARD_CODE_CHARS + 1])
{
    unsigned char hash[SEC_HASH_BYTES];
    struct user_row u;
    int64_t now = clock_now_ms();
    enum err rc = client_user_ensure(c, client_id, &u);

    /* a clash of two 60-bit codes is most unlikely, but must not fail the request */
    for (int tries = 0; !rc && tries < 3; tries++) {
        acct_card_code_new(code);
        sec_hash(code, ACCT_CARD_CODE_CHARS, hash);
        rc = store_card_issue(c, u.id, hash, by->user_uid, now);
        if (rc != ERR_CONFLICT) {
            break;
        }
        rc = tries < 2 ? ERR_OK : rc;
    }
    if (!rc) {
        rc = store_session_end_user(c, u.id, now);
    }
    if (!rc) {
        struct audit_event ev = {client_pid, "card_issue", "card", u.uid, "success"};
        rc = audit_log(c, actx, &ev);
    }
    if (rc) {
        sec_memzero(code, ACCT_CARD_CODE_CHARS + 1);
    }
    return rc;
}

/* ---- logging in --------------------------------------------------------------------------- */

struct card_try {
    unsigned char hash[SEC_HASH_BYTES];
    struct card_row card;
    bool found;
    struct failure_row addr;
    char pin[PIN_BUF];
    size_t pin_len;
    bool pin_is_digits;
    char new_pin[PIN_BUF];
    size_t new_pin_len;
    bool new_is_digits;
};

/* Everything that can be refused without a lookup: the code's shape and the new PIN's rules. */
static enum err card_parse(const struct acct_card_input *in, struct card_try *t, struct verr *v)
{
    char code[ACCT_CARD_CODE_CHARS + 1];
    enum acct_pin_problem pp = PIN_OK;

    if (!in->code || acct_card_code_normalise(in->code, strlen(in->code), code)) {
        verr_add(v, "/code", "not a complete login code: check it against the card");
    } else {
        sec_hash(code, ACCT_CARD_CODE_CHARS, t->hash);
        sec_memzero(code, sizeof(code));
    }
    if (in->pin && acct_pin_normalise(in->pin, in->pin_len, t->pin, sizeof(t->pin), &t->pin_len,
                                      &t->pin_is_digits)) {
        verr_add(v, "/pin", "is too long");
    }
    if (in->new_pin) {
        if (acct_pin_normalise(in->new_pin, in->new_pin_len, t->new_pin, sizeof(t->new_pin),
                               &t->new_pin_len, &t->new_is_digits)) {
            pp = PIN_PASS_LONG;
        } else {
            pp = acct_pin_check(t->new_pin, t->new_pin_len, t->new_is_digits, 0);
        }
        if (pp != PIN_OK) {
            verr_add(v, "/new_pin", "%s", acct_pin_problem_text(pp));
        }
    }
    return v->n ? ERR_INVALID : ERR_OK;
}

static void addr_key(const char *addr, char *out, size_t size)
{
    snprintf(out, size, "addr:%s", addr ? addr : "");
}

static enum err card_load(struct store_conn *c, const struct audit_ctx *actx, struct card_try *t)
{
    char key[80];
    enum err rc = store_begin(c, false);

    if (rc) {
        return rc;
    }
    addr_key(actx->source_addr, key, sizeof(key));
    rc = store_failure_get(c, key, &t->addr);
    rc = rc == ERR_NOT_FOUND ? ERR_OK : rc;
    if (!rc) {
        rc = store_card_by_hash(c, t->hash, &t->card);
        t->found = rc == ERR_OK && !t->card.user_disabled;
        rc = rc == ERR_NOT_FOUND ? ERR_OK : rc;
    }
    store_rollback(c);
    return rc;
}

/* Writes the login_failed row, with the card's account when the code was known. */
static enum err card_audit_failed(struct store_conn *c, const struct audit_ctx *actx,
                                  const struct card_try *t, const char *outcome)
{
    struct audit_ctx a = *actx;
    struct audit_event ev = {NULL, "login_failed", "session", NULL, outcome};
    if (t->found) {
        a.user_uid = t->card.user_uid;
        a.role = acct_role_name(ROLE_CLIENT);
        ev.object_id = t->card.user_uid;
    }
    return audit_log(c, &a, &ev);
}

/* One write transaction: count the failure (when `counted`) and audit it. */
static enum err card_fail(struct store_conn *c, const struct audit_ctx *actx,
                          const struct login_policy *p, struct card_try *t, bool counted)
{
    int64_t now = clock_now_ms();
    enum err rc = store_begin(c, true);

    if (!rc && counted) {
        char key[sizeof(t->addr.key)];
        memcpy(key, t->addr.key, sizeof(key));
        (void)store_failure_get(c, key, &t->addr); /* re-read under the write lock */
        acct_throttle_fail(&t->addr, p, true, now);
        rc = store_failure_put(c, &t->addr);
        if (!rc && t->found) {
            rc = store_card_failed(c, t->card.user_id, now);
        }
    }
    if (!rc) {
        rc = card_audit_failed(c, actx, t, counted ? "failure" : "denied");
    }
    rc = rc ? rc : store_commit(c);
    if (rc) {
        store_rollback(c);
    }
    return rc;
}

/* One write transaction: set the first PIN (when pin_hash), open the session, audit login. */
static enum err card_succeed(struct store_conn *c, struct audit_ctx *actx, struct card_try *t,
                             const char *pin_hash, struct login_result *out)
{
    struct audit_event ev = {NULL, "login", "session", NULL, "success"};
    struct user_row u;
    int64_t now = clock_now_ms();
    enum err rc = store_begin(c, true);

    if (!rc) {
        /* a re-issue or another first login since card_load() makes this ERR_NOT_FOUND */
        rc = pin_hash ? store_card_set_pin(c, t->hash, pin_hash, now)
                      : store_card_succeeded(c, t->card.user_id);
    }
    rc = rc ? rc : store_user_by_id(c, t->card.user_id, &u);
    rc = rc ? rc : acct__session_open(c, &u, out);
    if (!rc) {
        actx->user_uid = out->who.user_uid;
        actx->role = acct_role_name(out->who.role);
        actx->org_uid = out->who.org_uid;
        ev.object_id = out->who.user_uid;
        rc = audit_log(c, actx, &ev);
    }
    rc = rc ? rc : store_commit(c);
    if (rc) {
        store_rollback(c);
        actx->user_uid = actx->role = actx->org_uid = NULL;
        memset(out, 0, sizeof(*out));
    }
    return rc;
}

/* Refuses an attempt while the card or the address must wait; ERR_OK when it may go on. */
static enum err card_gate(struct store_conn *c, const struct audit_ctx *actx,
                          const struct login_policy *p, struct card_try *t,
                          struct login_result *out)
{
    int64_t now = clock_now_ms();
    int64_t wait = acct_throttle_wait(&t->addr, p, true, now);
    int64_t card_wait =
        t->found ? acct_card_wait(t->card.failures, t->card.last_failure_at, p->delay_ms, now) : 0;
    enum err rc;

    if (card_wait < 0) {
        rc = card_fail(c, actx, p, t, false);
        return rc ? rc : ERR_CARD_LOCKED;
    }
    wait = card_wait > wait ? card_wait : wait;
    if (wait > 0) {
        out->retry_after_s = (wait + 999) / 1000;
        rc = card_fail(c, actx, p, t, false);
        return rc ? rc : ERR_THROTTLED;
    }
    return ERR_OK;
}

/* A card without a PIN: asks for one, or checks the year rule and sets it at login. */
static enum err card_first_login(struct store_conn *c, struct audit_ctx *actx, struct card_try *t,
                                 struct verr *v, enum acct_card_step *step,
                                 struct login_result *out)
{
    char pin_hash[SEC_PWHASH_MAX];
    enum acct_pin_problem pp;
    enum err rc;

    if (!t->new_pin_len) {
        *step = CARD_CHOOSE_PIN;
        return ERR_OK;
    }
    pp = acct_pin_check(t->new_pin, t->new_pin_len, t->new_is_digits, t->card.year_of_birth);
    if (pp != PIN_OK) {
        verr_add(v, "/new_pin", "%s", acct_pin_problem_text(pp));
        return ERR_INVALID;
    }
    rc = sec_pw_hash(t->new_pin, t->new_pin_len, pin_hash);
    rc = rc ? rc : card_succeed(c, actx, t, pin_hash, out);
    if (rc == ERR_NOT_FOUND) {
        rc = ERR_BAD_CREDENTIALS;
    }
    *step = rc ? CARD_ENTER_PIN : CARD_LOGGED_IN;
    return rc;
}

static enum err card_try_pin(struct store_conn *c, struct audit_ctx *actx,
                             const struct login_policy *p, struct card_try *t,
                             enum acct_card_step *step, struct login_result *out)
{
    bool ok = false;
    enum err rc;

    /* a new PIN for a card that has one is refused like a wrong PIN, after the same work */
    if (t->found && t->card.pin_hash[0] && t->pin_len && !t->new_pin_len) {
        ok = sec_pw_verify(t->card.pin_hash, t->pin, t->pin_len);
    } else {
        sec_pw_dummy_verify(t->pin_len ? t->pin : t->new_pin,
                            t->pin_len ? t->pin_len : t->new_pin_len);
    }
    if (!ok) {
        rc = card_fail(c, actx, p, t, true);
        return rc ? rc : ERR_BAD_CREDENTIALS;
    }
    rc = card_succeed(c, actx, t, NULL, out);
    if (rc == ERR_NOT_FOUND) {
        rc = ERR_BAD_CREDENTIALS;
    }
    *step = rc ? CARD_ENTER_PIN : CARD_LOGGED_IN;
    return rc;
}

static enum err card_login_run(struct store_conn *c, struct audit_ctx *actx,
                               const struct login_policy *p, struct card_try *t, struct verr *v,
                               enum acct_card_step *step, struct login_result *out)
{
    enum err rc = card_load(c, actx, t);

    rc = rc ? rc : card_gate(c, actx, p, t, out);
    if (rc) {
        return rc;
    }
    if (!t->pin_len && !t->new_pin_len) {
        /* only the code: say what to send next (an unknown code, too, is asked for its PIN) */
        *step = t->found && !t->card.pin_hash[0] ? CARD_CHOOSE_PIN : CARD_ENTER_PIN;
        return ERR_OK;
    }
    if (t->found && !t->card.pin_hash[0]) {
        return card_first_login(c, actx, t, v, step, out);
    }
    return card_try_pin(c, actx, p, t, step, out);
}

enum err acct_card_login(struct store_conn *c, struct audit_ctx *actx, const struct login_policy *p,
                         const struct acct_card_input *in, struct verr *v,
                         enum acct_card_step *step, struct login_result *out)
{
    struct card_try *t = xcalloc(1, sizeof(*t));
    enum err rc;

    memset(out, 0, sizeof(*out));
    *step = CARD_ENTER_PIN;
    rc = card_parse(in, t, v);
    if (!rc) {
        rc = card_login_run(c, actx, p, t, v, step, out);
    }
    sec_memzero(t, sizeof(*t));
    free(t);
    return rc;
}

/* ---- held dossiers ------------------------------------------------------------------------ */

enum err acct_holder_add(struct store_conn *c, struct audit_ctx *actx, const struct principal *by,
                         int64_t holder_client_id, int64_t client_id, const char *client_pid,
                         const char *relation, struct verr *v, bool *created)
{
    static const char *const relations[] = {"parent", "guardian", "representative"};
    struct user_row u;
    bool known = false;
    enum err rc;

    for (size_t i = 0; relation && i < ARRAY_SIZE(relations); i++) {
        known = known || !strcmp(relation, relations[i]);
    }
    if (!known) {
        verr_add(v, "/relation", "must be parent, guardian or representative");
    }
    if (holder_client_id == client_id) {
        verr_add(v, "/holder_client", "a client cannot hold their own dossier");
    }
    if (v->n) {
        return ERR_INVALID;
    }
    rc = client_user_ensure(c, holder_client_id, &u);
    rc = rc ? rc
            : store_holder_put(c, u.id, client_id, relation, by->user_uid, clock_now_ms(), created);
    if (!rc) {
        struct audit_event ev = {client_pid, "holder_add", "holder", u.uid, "success"};
        rc = audit_log(c, actx, &ev);
    }
    return rc;
}

enum err acct__acting_apply(struct store_conn *c, struct principal *who)
{
    struct holder_row h;
    int64_t cid = 0;
    enum err rc;

    who->self_client_id = who->client_id;
    who->acting_for[0] = '\0';
    if (!is_client(who) || !who->session_id) {
        return ERR_OK;
    }
    rc = store_session_dossier_get(c, who->session_id, &cid);
    if (rc || !cid || cid == who->self_client_id) {
        return rc;
    }
    rc = store_holder_get(c, who->user_id, cid, &h);
    if (rc == ERR_NOT_FOUND) {
        return ERR_OK; /* no longer held: back to the own dossier */
    }
    if (!rc) {
        who->client_id = cid;
        memcpy(who->acting_for, h.pid, sizeof(who->acting_for));
    }
    return rc;
}

static bool pid_shape_ok(const char *pid)
{
    unsigned char raw[STORE_UID_LEN / 2];
    return strlen(pid) == STORE_UID_LEN &&
           str_unhex(pid, STORE_UID_LEN, raw, sizeof(raw)) == ERR_OK;
}

enum err acct_dossier_switch(struct store_conn *c, struct audit_ctx *actx, struct principal *who,
                             const char *pid)
{
    struct audit_event ev = {pid, "switch_dossier", "session", pid, "success"};
    struct holder_row h;
    int64_t cid = 0;
    bool own;
    enum err rc;

    if (!is_client(who)) {
        return ERR_FORBIDDEN;
    }
    rc = pid_shape_ok(pid) ? store_client_id_by_pid(c, pid, &cid) : ERR_NOT_FOUND;
    own = !rc && cid == who->self_client_id;
    if (!rc && !own) {
        rc = store_holder_get(c, who->user_id, cid, &h);
    }
    if (rc == ERR_NOT_FOUND) {
        audit_note_denial(actx, pid_shape_ok(pid) ? pid : NULL, "access_denied", "dossier");
    }
    rc = rc ? rc : store_session_dossier_set(c, who->session_id, own ? 0 : cid);
    if (rc) {
        return rc;
    }
    who->client_id = cid;
    snprintf(who->acting_for, sizeof(who->acting_for), "%s", own ? "" : pid);
    actx->on_behalf_of = own ? NULL : who->acting_for;
    return audit_log(c, actx, &ev);
}
