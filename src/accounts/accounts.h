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
#include "core/verr.h"
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
    int64_t client_id;      /* role client: the dossier the session acts on (own or held) */
    int64_t self_client_id; /* role client: the account's own dossier (users.client_id) */
    char acting_for[STORE_UID_LEN + 1]; /* pid of the held dossier acted on; "" for the own */
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

/* ---- client login cards (card.c) ------------------------------------------------------------
 *
 * A client enrolled in person logs in with a card: a 60-bit code in Crockford base32 (no I, L, O,
 * U) plus a check character, printed as VK-XXXX-XXXX-XXXX-C, and a PIN (or passphrase) chosen
 * at the first login. Only BLAKE2b(code) is stored; the PIN as argon2id.
 */
#define ACCT_CARD_DATA_CHARS     12 /* 12 x 5 bits = 60 bits from sec_random */
#define ACCT_CARD_CODE_CHARS     13 /* data + check character: the canonical form */
#define ACCT_CARD_DISPLAY_CHARS  19 /* "VK-XXXX-XXXX-XXXX-C" */
#define ACCT_CARD_INPUT_MAX      64 /* bytes of typed code accepted before normalising */
#define ACCT_CARD_THROTTLE_AFTER 3  /* wrong PINs before each attempt must wait */
#define ACCT_CARD_LOCK_AFTER     10 /* wrong PINs that lock the card until it is re-issued */
#define ACCT_PIN_MIN             6
#define ACCT_PIN_MAX             32 /* digits; longer input counts as a passphrase */
#define ACCT_CLIENT_ORG_NAME     "Cliëntaccounts"
#define ACCT_CLIENT_ORG_KIND     "client_accounts"

/* The check character (Luhn mod 32 over the alphabet) of n canonical data characters; '\0' when
 * one of them is not in the alphabet. */
char acct_card_check_char(const char *data, size_t n);
/* A fresh random code in canonical form (13 characters + NUL). */
void acct_card_code_new(char out[ACCT_CARD_CODE_CHARS + 1]);
/* "VK-XXXX-XXXX-XXXX-C" for a canonical code. */
void acct_card_code_display(const char *code, char out[ACCT_CARD_DISPLAY_CHARS + 1]);
/*
 * Typed input to canonical form: case, dashes, spaces and dots are ignored, an optional "VK"
 * prefix is dropped, and the look-alikes O->0, I and L->1 are mapped. ERR_INVALID when the result
 * is not 13 alphabet characters with a matching check character (a typo, found without a lookup).
 */
enum err acct_card_code_normalise(const char *in, size_t len, char out[ACCT_CARD_CODE_CHARS + 1]);

enum acct_pin_problem {
    PIN_OK,
    PIN_TOO_SHORT,  /* fewer than 6 digits */
    PIN_ONE_DIGIT,  /* 111111 */
    PIN_RUN,        /* 123456, 987654 */
    PIN_PATTERN,    /* 121212, 123123 */
    PIN_YEAR,       /* holds the year of birth */
    PIN_PASS_SHORT, /* a passphrase under the password policy */
    PIN_PASS_LONG,
    PIN_PASS_COMMON,
    PIN_BAD_CHARS,
};
/*
 * Canonical form of a PIN or passphrase as typed: when every character is a digit (ASCII,
 * Arabic-Indic or Extended Arabic-Indic), the ASCII digits; otherwise the bytes unchanged.
 * ERR_TOO_LARGE when it does not fit in size. *is_pin tells which it is.
 */
enum err acct_pin_normalise(const char *in, size_t len, char *out, size_t size, size_t *outlen,
                            bool *is_pin);
/* Checks a canonical new PIN (digits, 6 to 32) or passphrase (password policy). year_of_birth 0
 * skips the year rule. Pure. */
enum acct_pin_problem acct_pin_check(const char *pin, size_t len, bool is_pin,
                                     int64_t year_of_birth);
const char *acct_pin_problem_text(enum acct_pin_problem p);
/* Milliseconds the next attempt on a card must wait after `failures` wrong PINs, the last at
 * last_at: 0 below 3, then delay_ms doubling per failure; -1 from 10 on (locked). Pure. */
int64_t acct_card_wait(int64_t failures, int64_t last_at, int64_t delay_ms, int64_t now);

/*
 * Issues the login card of a client inside the caller's write transaction: creates the client
 * account (role client, in the organisation ACCT_CLIENT_ORG_NAME, an email under card.invalid
 * that no password login accepts) when the client has none, or replaces the code of an existing
 * card, which clears the PIN and the counters and ends the account's open sessions. Audits
 * card_issue. `code` gets the only copy of the canonical code.
 */
enum err acct_card_issue(struct store_conn *c, struct audit_ctx *actx, const struct principal *by,
                         int64_t client_id, const char *client_pid,
                         char code[ACCT_CARD_CODE_CHARS + 1]);

struct acct_card_input {
    const char *code; /* as typed */
    const char *pin;  /* NULL when not given */
    size_t pin_len;
    const char *new_pin; /* NULL when not given */
    size_t new_pin_len;
};
enum acct_card_step {
    CARD_LOGGED_IN,  /* out->token and out->who are set */
    CARD_CHOOSE_PIN, /* no PIN yet: send new_pin */
    CARD_ENTER_PIN,  /* send pin (also the answer for an unknown code) */
};
/*
 * Logs in with a card. Runs its own transactions on c (none may be open). ERR_INVALID with v
 * filled (/code, /new_pin) for a malformed code or a PIN the rules refuse; ERR_BAD_CREDENTIALS
 * for an unknown code or a wrong PIN, alike in answer and time; ERR_THROTTLED (with
 * out->retry_after_s) while the card or the address must wait; ERR_CARD_LOCKED after 10 wrong
 * PINs. Audits login and login_failed (with the card's user id, never the code).
 */
enum err acct_card_login(struct store_conn *c, struct audit_ctx *actx, const struct login_policy *p,
                         const struct acct_card_input *in, struct verr *v,
                         enum acct_card_step *step, struct login_result *out);

/*
 * Records that the client account of holder_client_id (created when missing) holds the dossier
 * of client_id, inside the caller's write transaction; relation is parent, guardian or
 * representative. The caller has checked access to both clients. ERR_INVALID with v filled for a
 * bad relation or a client holding itself. *created is false when it only changed the relation.
 * Audits holder_add on the held client.
 */
enum err acct_holder_add(struct store_conn *c, struct audit_ctx *actx, const struct principal *by,
                         int64_t holder_client_id, int64_t client_id, const char *client_pid,
                         const char *relation, struct verr *v, bool *created);
/*
 * Switches the dossier a client session acts on to `pid`: its own or one it holds. ERR_FORBIDDEN
 * for other roles; ERR_NOT_FOUND (noted as a denial) for any other pid. Audits switch_dossier
 * with on_behalf_of = the held pid. Updates who.
 */
enum err acct_dossier_switch(struct store_conn *c, struct audit_ctx *actx, struct principal *who,
                             const char *pid);

#endif
