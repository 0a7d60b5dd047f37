/* SPDX-License-Identifier: EUPL-1.2 */
/* Password policy, email normalisation, throttling arithmetic, session expiry and login. */
#include "core/compat.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "accounts/accounts.h"
#include "core/clock.h"
#include "unit_db.h"

struct pw_case {
    const char *pw;
    enum acct_pw_problem want;
};

static void password_policy(void **state)
{
    static char long128[129], long129[130];
    static const struct pw_case cases[] = {
        {"abcdefghijk", PW_TOO_SHORT}, /* 11 */
        {"1qaz2wsx3edc", PW_COMMON},   /* 12, on the list */
        {"abcdefghijkl", PW_OK},       /* 12, not on it */
        {"vlinder-kade-42", PW_OK},    /* 15 */
        {"password1234", PW_COMMON},   /* common, case-insensitive */
        {"PassWord1234", PW_COMMON},
        {"\xf0\x9f\x8c\xbb\xf0\x9f\x8c\xbb\xf0\x9f\x8c\xbb\xf0\x9f\x8c\xbb\xf0\x9f\x8c\xbb"
         "\xf0\x9f\x8c\xbb",
         PW_TOO_SHORT}, /* 6 emoji = 6 characters, 24 bytes */
        {"\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85 \xd8\xb9\xd9\x84\xd9\x8a\xd9\x83\xd9\x85 1",
         PW_OK}, /* Arabic, 14 characters */
        {"tab\there-and-there", PW_BAD_CHARS},
    };
    memset(long128, 'q', 128);
    memset(long129, 'q', 129);
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        enum acct_pw_problem got = acct_password_check(cases[i].pw, strlen(cases[i].pw));
        if (got != cases[i].want) {
            fail_msg("case %zu: got %d want %d", i, got, cases[i].want);
        }
    }
    assert_int_equal(acct_password_check(long128, 128), PW_OK);
    assert_int_equal(acct_password_check(long129, 129), PW_TOO_LONG);
}

static void email_normalise(void **state)
{
    char out[STORE_EMAIL_MAX + 1];
    assert_int_equal(acct_email_normalise("  Anna@Example.NL ", out, sizeof(out)), ERR_OK);
    assert_string_equal(out, "anna@example.nl");
    assert_int_equal(acct_email_normalise("anna", out, sizeof(out)), ERR_INVALID);
    assert_int_equal(acct_email_normalise("a@b", out, sizeof(out)), ERR_INVALID);
    assert_int_equal(acct_email_normalise("a@@b.nl", out, sizeof(out)), ERR_INVALID);
    assert_int_equal(acct_email_normalise("a b@c.nl", out, sizeof(out)), ERR_INVALID);
    assert_int_equal(acct_email_normalise("a@b.nl\n", out, sizeof(out)), ERR_INVALID);
}

static const struct login_policy policy = {3, 200, 5, 60000, 100, 900000, 43200000};

static void throttle_arithmetic(void **state)
{
    struct failure_row f = {0};
    int64_t t = 1000000;
    for (int i = 0; i < 3; i++) {
        assert_true(acct_throttle_wait(&f, &policy, false, t) == 0);
        acct_throttle_fail(&f, &policy, false, t);
    }
    /* after 3 failures: 200 ms, then 400 ms */
    assert_true(acct_throttle_wait(&f, &policy, false, t) == 200);
    assert_true(acct_throttle_wait(&f, &policy, false, t + 200) == 0);
    acct_throttle_fail(&f, &policy, false, t + 200);
    assert_true(acct_throttle_wait(&f, &policy, false, t + 200) == 400);
    acct_throttle_fail(&f, &policy, false, t + 600);
    /* 5th failure locks for a minute */
    assert_true(f.locked_until == t + 600 + 60000);
    assert_true(acct_throttle_wait(&f, &policy, false, t + 700) == 59900);
    /* after the lock, a fresh start */
    assert_true(acct_throttle_wait(&f, &policy, false, t + 600 + 60000) == 0);
    acct_throttle_fail(&f, &policy, false, t + 600 + 60001);
    assert_true(f.failures == 1 && f.locked_until == 0);
    /* addresses are never delayed below their own, higher, lock limit */
    memset(&f, 0, sizeof(f));
    for (int i = 0; i < 50; i++) {
        acct_throttle_fail(&f, &policy, true, t);
    }
    assert_true(acct_throttle_wait(&f, &policy, true, t) == 0);
}

static void session_limits(void **state)
{
    const int64_t idle = 15 * 60000, max = 12 * 3600000LL, t0 = 1000000;
    assert_true(acct_session_live(t0, t0, t0 + idle - 1, idle, max));
    assert_false(acct_session_live(t0, t0, t0 + idle, idle, max));
    /* kept busy, it still ends after 12 hours */
    assert_true(acct_session_live(t0, t0 + max - 1000, t0 + max - 1, idle, max));
    assert_false(acct_session_live(t0, t0 + max - 1000, t0 + max, idle, max));
    /* a clock that went backwards ends it too */
    assert_false(acct_session_live(t0, t0, t0 - 1, idle, max));
}

static void login_flow(void **state)
{
    struct unit_db u;
    struct user_row row;
    struct login_result res;
    struct audit_ctx actx = {0};
    struct principal who;
    const char *why = NULL;
    struct acct_new_user nu = {"Org", "test", "R", ROLE_GP, "GP@Example.nl", "vlinder-kade-42",
                               15,    0};

    unit_db_open(&u);
    actx.source_addr = "127.0.0.1";
    assert_int_equal(store_begin(u.c, true), ERR_OK);
    assert_int_equal(acct_user_add(u.c, &nu, &row, &why), ERR_OK);
    assert_int_equal(strncmp(row.pw_hash, "$argon2id$v=19$m=65536,t=2,p=1$", 31), 0);
    assert_int_equal(acct_user_add(u.c, &nu, &row, &why), ERR_CONFLICT);
    assert_int_equal(store_commit(u.c), ERR_OK);

    assert_int_equal(acct_login(u.c, &actx, &policy, "gp@example.nl", "wrong-password-1", 16, &res),
                     ERR_BAD_CREDENTIALS);
    assert_int_equal(acct_login(u.c, &actx, &policy, "nobody@example.nl", "x", 1, &res),
                     ERR_BAD_CREDENTIALS);
    assert_int_equal(acct_login(u.c, &actx, &policy, "gp@example.nl", "vlinder-kade-42", 15, &res),
                     ERR_OK);
    assert_int_equal(strlen(res.token), 64);

    assert_int_equal(store_begin(u.c, true), ERR_OK);
    assert_int_equal(acct_session_resolve(u.c, res.token, &policy, clock_now_ms(), &who), ERR_OK);
    assert_int_equal(who.role, ROLE_GP);
    assert_int_equal(acct_session_resolve(u.c, "00", &policy, clock_now_ms(), &who),
                     ERR_UNAUTHENTICATED);
    assert_int_equal(acct_session_resolve(u.c, res.token, &policy, clock_now_ms() + 900001, &who),
                     ERR_UNAUTHENTICATED);
    /* once expired it stays ended */
    assert_int_equal(acct_session_resolve(u.c, res.token, &policy, clock_now_ms(), &who),
                     ERR_UNAUTHENTICATED);
    assert_int_equal(store_commit(u.c), ERR_OK);
    unit_db_close(&u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(password_policy),     cmocka_unit_test(email_normalise),
        cmocka_unit_test(throttle_arithmetic), cmocka_unit_test(session_limits),
        cmocka_unit_test(login_flow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
