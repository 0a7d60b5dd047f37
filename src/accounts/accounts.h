/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Accounts: roles, the password policy, creating users, logging in with throttling and lockout,
 * and sessions. Works on a storage connection; manages its own transactions where the slow
 * argon2id check must run outside the write lock (login).
 */
#ifndef VK_ACCOUNTS_H
#define VK_ACCOUNTS_H

#include "audit/audit.h"
#include "core/compat.h"
#include "core/err.h"
#include "core/sec.h"
#include "storage/store.h"

enum role {
    ROLE_CLIENT,
    ROLE_VOLUNTEER,
    ROLE_KEYPERSON,
    ROLE_COA_STAFF,
    ROLE_HEALTH_STAFF,
    ROLE_GP,
    ROLE_POH_GGZ,
    ROLE_GGZ,
    ROLE_KLANTMANAGER,
    ROLE_WIJKTEAM,
    ROLE_COORDINATOR,
    ROLE_ANALYST,
    ROLE_ADMIN,
    ROLE__COUNT
};

/* Static name ("gp"); "" for an out-of-range value. */
const char *acct_role_name(enum role r);
/* ERR_INVALID for an unknown name. */
enum err acct_role_parse(const char *name, enum role *out);

#define ACCT_PW_MIN 12
#define ACCT_PW_MAX 128

enum acct_pw_problem { PW_OK, PW_TOO_SHORT, PW_TOO_LONG, PW_COMMON, PW_BAD_CHARS };
/* Length in characters (UTF-8 code points), not bytes; checks the shipped common list. */
enum acct_pw_problem acct_password_check(const char *pw, size_t len);
const char *acct_pw_problem_text(enum acct_pw_problem p);

/* Normalises an email (trim, lower-case ASCII) into out; ERR_INVALID when it is not one. */
enum err acct_email_normalise(const char *in, char *out, size_t size);

/* The logged-in user as the rest of the server sees it. */
struct principal {
    int64_t user_id;
    char user_uid[STORE_UID_LEN + 1];
    enum role role;
    int64_t org_id;
    char org_uid[STORE_UID_LEN + 1];
    int64_t client_id; /* own record, for role client */
    char email[STORE_EMAIL_MAX + 1];
    int64_t session_id;
    int64_t session_created;
    char csrf[2 * SEC_TOKEN_BYTES + 1];
};

struct acct_new_user {
    const char *org_name;
    const char *org_kind; /* used when the organisation is created */
    const char *region;
    enum role role;
    const char *email;
    const char *password;
    size_t password_len;
    int64_t client_id;
};
/*
 * Creates the user (and the organisation when missing) inside the caller's write transaction.
 * ERR_INVALID with *why set for a bad email or password; ERR_CONFLICT for a taken email.
 */
enum err acct_user_add(struct store_conn *c, const struct acct_new_user *in, struct user_row *out,
                       const char **why);

struct login_policy {
    int64_t throttle_after;
    int64_t delay_ms;
    int64_t lock_after;
    int64_t lock_ms;
    int64_t ip_lock_after;
    int64_t idle_ms;
    int64_t max_ms;
};

/* Milliseconds the next attempt must wait under row f (0: may try now). Pure. */
int64_t acct_throttle_wait(const struct failure_row *f, const struct login_policy *p, bool is_ip,
                           int64_t now);
/* Records one failure in f. Pure. */
void acct_throttle_fail(struct failure_row *f, const struct login_policy *p, bool is_ip,
                        int64_t now);

struct login_result {
    struct principal who;
    char token[2 * SEC_TOKEN_BYTES + 1]; /* the cookie value; only here, never stored */
    int64_t retry_after_s;               /* with ERR_THROTTLED */
};
/*
 * Checks email and password and opens a session. Runs its own transactions on c (none may be
 * open). ERR_BAD_CREDENTIALS for a wrong password or unknown email, ERR_THROTTLED while
 * throttled or locked. Audits login and login_failed.
 */
enum err acct_login(struct store_conn *c, struct audit_ctx *actx, const struct login_policy *p,
                    const char *email, const char *password, size_t pwlen,
                    struct login_result *out);

/* True while a session is inside both its idle and absolute limits. Pure. */
bool acct_session_live(int64_t created, int64_t last_seen, int64_t now, int64_t idle_ms,
                       int64_t max_ms);
/*
 * Looks up the session for a cookie token inside the caller's transaction (write, since it may
 * touch last_seen or end an expired session). ERR_UNAUTHENTICATED when absent, ended, expired,
 * or the user is disabled.
 */
enum err acct_session_resolve(struct store_conn *c, const char *token, const struct login_policy *p,
                              int64_t now, struct principal *out);
enum err acct_session_end(struct store_conn *c, int64_t session_id, int64_t now);

#endif
