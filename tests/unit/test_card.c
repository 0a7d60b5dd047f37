/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Client login cards: the code's alphabet, check character and normalisation, the PIN rules,
 * the wrong-PIN throttle arithmetic, and issue / first login / re-issue / lock / held dossiers on
 * a real SQLite file.
 */
#include "core/compat.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "accounts/accounts.h"
#include "core/clock.h"
#include "unit_db.h"

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static bool code_ok(const char *s)
{
    char out[ACCT_CARD_CODE_CHARS + 1];
    return acct_card_code_normalise(s, strlen(s), out) == ERR_OK;
}

static void check_char_known_answers(void **state)
{
    /* Luhn mod 32 by hand: from the right, factors 2, 1, 2, ...; sum of base-32 digits */
    assert_int_equal(acct_card_check_char("000000000000", 12), '0');
    assert_int_equal(acct_card_check_char("000000000001", 12), 'Y'); /* 2 -> 30 */
    assert_int_equal(acct_card_check_char("000000000010", 12), 'Z'); /* 1 -> 31 */
    /* Z doubled is 62 = 1*32 + 30, digit sum 31 -> check 1 */
    assert_int_equal(acct_card_check_char("00000000000Z", 12), '1');
    assert_int_equal(acct_card_check_char("0000000000I0", 12), '\0'); /* not canonical */
    assert_int_equal(acct_card_check_char("0000000000U0", 12), '\0');
}

/* Every single wrong character and every swap of neighbours (except 0<->Z) is caught. */
static void check_char_catches_typos(void **state)
{
    for (int round = 0; round < 40; round++) {
        char code[ACCT_CARD_CODE_CHARS + 1], t[ACCT_CARD_CODE_CHARS + 1];
        acct_card_code_new(code);
        assert_true(code_ok(code));
        for (int i = 0; i < ACCT_CARD_CODE_CHARS; i++) {
            for (int a = 0; a < 32; a++) {
                memcpy(t, code, sizeof(t));
                if (alphabet[a] == code[i]) {
                    continue;
                }
                t[i] = alphabet[a];
                if (code_ok(t)) {
                    fail_msg("substitution %s -> %s accepted", code, t);
                }
            }
            if (i + 1 < ACCT_CARD_CODE_CHARS && code[i] != code[i + 1]) {
                bool zero_z = (code[i] == '0' && code[i + 1] == 'Z') ||
                              (code[i] == 'Z' && code[i + 1] == '0');
                memcpy(t, code, sizeof(t));
                t[i] = code[i + 1];
                t[i + 1] = code[i];
                if (code_ok(t) != zero_z) {
                    fail_msg("transposition %s -> %s: accepted=%d", code, t, code_ok(t));
                }
            }
        }
    }
}

static void code_new_and_display(void **state)
{
    char seen[300][ACCT_CARD_CODE_CHARS + 1];
    char shown[ACCT_CARD_DISPLAY_CHARS + 1], back[ACCT_CARD_CODE_CHARS + 1];
    int hist[32] = {0};

    for (int i = 0; i < 300; i++) {
        acct_card_code_new(seen[i]);
        assert_int_equal(strlen(seen[i]), ACCT_CARD_CODE_CHARS);
        assert_int_equal(strspn(seen[i], alphabet), ACCT_CARD_CODE_CHARS);
        for (int j = 0; j < ACCT_CARD_DATA_CHARS; j++) {
            hist[strchr(alphabet, seen[i][j]) - alphabet]++;
        }
        for (int j = 0; j < i; j++) {
            assert_string_not_equal(seen[i], seen[j]);
        }
        acct_card_code_display(seen[i], shown);
        assert_int_equal(strlen(shown), ACCT_CARD_DISPLAY_CHARS);
        assert_memory_equal(shown, "VK-", 3);
        assert_true(shown[7] == '-' && shown[12] == '-' && shown[17] == '-');
        assert_int_equal(acct_card_code_normalise(shown, strlen(shown), back), ERR_OK);
        assert_string_equal(back, seen[i]);
    }
    /* 3600 characters over 32 symbols: each about 112 times; none missing, none dominant */
    for (int k = 0; k < 32; k++) {
        if (hist[k] < 50 || hist[k] > 200) {
            fail_msg("symbol %c drawn %d times", alphabet[k], hist[k]);
        }
    }
}

static void code_normalise(void **state)
{
    char code[ACCT_CARD_CODE_CHARS + 1], out[ACCT_CARD_CODE_CHARS + 1];
    char shown[ACCT_CARD_DISPLAY_CHARS + 1], typed[64];

    memcpy(code, "1000000000000", sizeof(code));
    code[12] = acct_card_check_char(code, 12);
    acct_card_code_display(code, shown);
    /* case, dashes, spaces, O for zero, I and l for one, with or without the VK prefix */
    snprintf(typed, sizeof(typed), "vk looo-oooo oooo-%c",
             (char)(code[12] >= 'A' ? code[12] + 32 : code[12]));
    assert_int_equal(acct_card_code_normalise(typed, strlen(typed), out), ERR_OK);
    assert_string_equal(out, code);
    assert_int_equal(acct_card_code_normalise(shown + 3, strlen(shown + 3), out), ERR_OK);
    assert_string_equal(out, code);
    snprintf(typed, sizeof(typed), "I000.0000.0000.%c", code[12]);
    assert_int_equal(acct_card_code_normalise(typed, strlen(typed), out), ERR_OK);
    /* refused: wrong check, U, one character short or long, junk, over-long input */
    snprintf(typed, sizeof(typed), "%s", shown);
    typed[18] = typed[18] == '0' ? '1' : '0';
    assert_int_equal(acct_card_code_normalise(typed, strlen(typed), out), ERR_INVALID);
    assert_int_equal(acct_card_code_normalise("VK-U000-0000-0000-0", 19, out), ERR_INVALID);
    assert_int_equal(acct_card_code_normalise("VK-0000-0000-000-0", 18, out), ERR_INVALID);
    assert_int_equal(acct_card_code_normalise("VK-0000-0000-0000-00", 20, out), ERR_INVALID);
    assert_int_equal(acct_card_code_normalise("VK-0000-0000-0000-0\n", 20, out), ERR_INVALID);
    assert_int_equal(acct_card_code_normalise("", 0, out), ERR_INVALID);
    memset(typed, '-', sizeof(typed));
    assert_int_equal(acct_card_code_normalise(typed, sizeof(typed), out), ERR_INVALID);
    /* the all-zero code (check 0) is well-formed */
    assert_int_equal(acct_card_code_normalise("VK-OOOO-OOOO-OOOO-O", 19, out), ERR_OK);
}

struct pin_case {
    const char *pin;
    int64_t year;
    enum acct_pin_problem want;
};

static void pin_rules(void **state)
{
    static const struct pin_case cases[] = {
        {"583920", 0, PIN_OK},
        {"58392", 0, PIN_TOO_SHORT},
        {"111111", 0, PIN_ONE_DIGIT},
        {"00000000", 0, PIN_ONE_DIGIT},
        {"123456", 0, PIN_RUN},
        {"654321", 0, PIN_RUN},
        {"234567890", 0, PIN_RUN}, /* a run may pass 9 -> 0 */
        {"210987", 0, PIN_RUN},
        {"121212", 0, PIN_PATTERN},
        {"123123", 0, PIN_PATTERN},
        {"47114711", 0, PIN_PATTERN},
        {"1212121", 0, PIN_PATTERN}, /* a block and a part of it */
        {"199055", 1990, PIN_YEAR},
        {"551990", 1990, PIN_YEAR},
        {"519905", 1990, PIN_YEAR},
        {"199055", 1991, PIN_OK},
        {"583920", 1990, PIN_OK},
        {"short words", 0, PIN_PASS_SHORT},
        {"password1234", 0, PIN_PASS_COMMON},
        {"vlinder kade 42", 0, PIN_OK},
        {"tab\there-and-there", 0, PIN_BAD_CHARS},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        char out[600];
        size_t n;
        bool is_pin;
        enum acct_pin_problem got;
        assert_int_equal(
            acct_pin_normalise(cases[i].pin, strlen(cases[i].pin), out, sizeof(out), &n, &is_pin),
            ERR_OK);
        got = acct_pin_check(out, n, is_pin, cases[i].year);
        if (got != cases[i].want) {
            fail_msg("case %zu (%s): got %d want %d", i, cases[i].pin, got, cases[i].want);
        }
        assert_string_not_equal(acct_pin_problem_text(got), "");
    }
}

static void pin_normalise(void **state)
{
    char out[64];
    size_t n;
    bool is_pin;
    /* Arabic-Indic and Extended Arabic-Indic (Persian) digits are the same PIN as ASCII ones */
    static const char arabic[] = "\xd9\xa5\xd9\xa8\xd9\xa3\xd9\xa9\xd9\xa2\xd9\xa0";
    static const char persian[] = "\xdb\xb5\xdb\xb8\xdb\xb3\xdb\xb9\xdb\xb2\xdb\xb0";
    char digits33[34];

    assert_int_equal(acct_pin_normalise(arabic, strlen(arabic), out, sizeof(out), &n, &is_pin),
                     ERR_OK);
    assert_true(is_pin);
    assert_string_equal(out, "583920");
    assert_int_equal(acct_pin_normalise(persian, strlen(persian), out, sizeof(out), &n, &is_pin),
                     ERR_OK);
    assert_true(is_pin);
    assert_string_equal(out, "583920");
    assert_int_equal(acct_pin_normalise("58a920", 6, out, sizeof(out), &n, &is_pin), ERR_OK);
    assert_false(is_pin);
    assert_string_equal(out, "58a920");
    memset(digits33, '7', 33);
    digits33[33] = '\0';
    assert_int_equal(acct_pin_normalise(digits33, 33, out, sizeof(out), &n, &is_pin), ERR_OK);
    assert_false(is_pin); /* longer than 32 digits: a passphrase */
    assert_int_equal(acct_pin_normalise(digits33, 33, out, 20, &n, &is_pin), ERR_TOO_LARGE);
    assert_int_equal(acct_pin_normalise("x", 0, out, sizeof(out), &n, &is_pin), ERR_OK);
    assert_false(is_pin);
    assert_int_equal(n, 0);
}

static void throttle_arithmetic(void **state)
{
    const int64_t t = 5000000, d = 1000;
    for (int f = 0; f < ACCT_CARD_THROTTLE_AFTER; f++) {
        assert_true(acct_card_wait(f, t, d, t) == 0);
    }
    /* after 3 wrong PINs: 1 s, then doubling: 2, 4, 8, 16, 32, 64 s */
    for (int f = 3; f < ACCT_CARD_LOCK_AFTER; f++) {
        int64_t want = d << (f - 3);
        assert_true(acct_card_wait(f, t, d, t) == want);
        assert_true(acct_card_wait(f, t, d, t + want - 1) == 1);
        assert_true(acct_card_wait(f, t, d, t + want) == 0);
    }
    /* 10 locks for good: time does not help */
    assert_true(acct_card_wait(10, t, d, t) == -1);
    assert_true(acct_card_wait(10, t, d, t + 365LL * 86400000) == -1);
    assert_true(acct_card_wait(11, t, d, t) == -1);
}

/* ---- on a real database ------------------------------------------------------------------- */

static const struct login_policy policy = {5, 200, 10, 60000, 100, 900000, 43200000};

struct fixture {
    struct unit_db db;
    struct principal pro;
    struct audit_ctx actx;
    int64_t client[3];
    char pid[3][STORE_UID_LEN + 1];
};

static void fixture_open(struct fixture *f)
{
    struct acct_new_user nu = {
        "Org", "test", "R", ROLE_VOLUNTEER, "vol@example.nl", "vlinder-kade-42", 15, 0};
    struct user_row u;
    const char *why;

    memset(f, 0, sizeof(*f));
    unit_db_open(&f->db);
    f->actx.source_addr = "127.0.0.1";
    assert_int_equal(store_begin(f->db.c, true), ERR_OK);
    assert_int_equal(acct_user_add(f->db.c, &nu, &u, &why), ERR_OK);
    f->pro.user_id = u.id;
    memcpy(f->pro.user_uid, u.uid, sizeof(u.uid));
    f->pro.role = ROLE_VOLUNTEER;
    f->pro.org_id = u.org_id;
    for (int i = 0; i < 3; i++) {
        struct client_row c;
        memset(&c, 0, sizeof(c));
        sec_random_hex(16, c.pid);
        c.year_of_birth = 1990 + i;
        snprintf(c.gender, sizeof(c.gender), "female");
        snprintf(c.country, sizeof(c.country), "SY");
        snprintf(c.language, sizeof(c.language), "ar");
        snprintf(c.phase, sizeof(c.phase), "coa");
        snprintf(c.location, sizeof(c.location), "AZC");
        memcpy(c.created_by_user, u.uid, sizeof(u.uid));
        c.created_by_org = u.org_id;
        c.created_at = clock_now_ms();
        assert_int_equal(store_client_insert(f->db.c, &c), ERR_OK);
        f->client[i] = c.id;
        memcpy(f->pid[i], c.pid, sizeof(c.pid));
    }
    assert_int_equal(store_commit(f->db.c), ERR_OK);
}

static enum err issue(struct fixture *f, int i, char code[ACCT_CARD_CODE_CHARS + 1])
{
    enum err rc = store_begin(f->db.c, true);
    rc = rc ? rc : acct_card_issue(f->db.c, &f->actx, &f->pro, f->client[i], f->pid[i], code);
    rc = rc ? rc : store_commit(f->db.c);
    if (rc) {
        store_rollback(f->db.c);
    }
    return rc;
}

static enum err card_login(struct fixture *f, const char *code, const char *pin,
                           const char *new_pin, enum acct_card_step *step, struct login_result *res)
{
    struct acct_card_input in = {code, pin, pin ? strlen(pin) : 0, new_pin,
                                 new_pin ? strlen(new_pin) : 0};
    struct verr v = {0};
    struct audit_ctx a = f->actx;
    return acct_card_login(f->db.c, &a, &policy, &in, &v, step, res);
}

static enum err resolve(struct fixture *f, const char *token, struct principal *who)
{
    enum err rc = store_begin(f->db.c, true);
    rc = rc ? rc : acct_session_resolve(f->db.c, token, &policy, clock_now_ms(), who);
    if (store_commit(f->db.c)) {
        store_rollback(f->db.c);
    }
    return rc;
}

static void card_issue_login_reissue(void **state)
{
    struct fixture f;
    char code[ACCT_CARD_CODE_CHARS + 1], code2[ACCT_CARD_CODE_CHARS + 1];
    char first_token[2 * SEC_TOKEN_BYTES + 1];
    enum acct_card_step step;
    struct login_result res;
    struct principal who;

    fixture_open(&f);
    assert_int_equal(issue(&f, 0, code), ERR_OK);
    assert_int_equal(card_login(&f, code, NULL, NULL, &step, &res), ERR_OK);
    assert_int_equal(step, CARD_CHOOSE_PIN);
    /* the year of birth (1990) is refused only now that the card is known */
    assert_int_equal(card_login(&f, code, NULL, "199077", &step, &res), ERR_INVALID);
    assert_int_equal(card_login(&f, code, NULL, "583920", &step, &res), ERR_OK);
    assert_int_equal(step, CARD_LOGGED_IN);
    assert_int_equal(strlen(res.token), 64);
    memcpy(first_token, res.token, sizeof(first_token));
    assert_int_equal(resolve(&f, res.token, &who), ERR_OK);
    assert_int_equal(who.role, ROLE_CLIENT);
    assert_true(who.client_id == f.client[0] && who.self_client_id == f.client[0]);
    /* with a PIN: the code alone asks for it; a new PIN is refused like a wrong one */
    assert_int_equal(card_login(&f, code, NULL, NULL, &step, &res), ERR_OK);
    assert_int_equal(step, CARD_ENTER_PIN);
    assert_int_equal(card_login(&f, code, NULL, "777391", &step, &res), ERR_BAD_CREDENTIALS);
    assert_int_equal(card_login(&f, code, "583920", NULL, &step, &res), ERR_OK);
    assert_int_equal(step, CARD_LOGGED_IN);

    /* re-issue: the old code is unknown, the sessions end, the new card needs a new PIN */
    assert_int_equal(issue(&f, 0, code2), ERR_OK);
    assert_string_not_equal(code, code2);
    assert_int_equal(card_login(&f, code, "583920", NULL, &step, &res), ERR_BAD_CREDENTIALS);
    assert_int_equal(resolve(&f, first_token, &who), ERR_UNAUTHENTICATED);
    assert_int_equal(card_login(&f, code2, "583920", NULL, &step, &res), ERR_OK);
    assert_int_equal(step, CARD_CHOOSE_PIN);
    unit_db_close(&f.db);
}

static void card_throttle_and_lock(void **state)
{
    struct fixture f;
    char code[ACCT_CARD_CODE_CHARS + 1];
    enum acct_card_step step;
    struct login_result res;
    struct card_row card;

    fixture_open(&f);
    assert_int_equal(issue(&f, 1, code), ERR_OK);
    assert_int_equal(card_login(&f, code, NULL, "583920", &step, &res), ERR_OK);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(card_login(&f, code, "000001", NULL, &step, &res), ERR_BAD_CREDENTIALS);
    }
    /* the 4th try at once must wait 200 ms, even with the right PIN */
    assert_int_equal(card_login(&f, code, "583920", NULL, &step, &res), ERR_THROTTLED);
    assert_true(res.retry_after_s == 1);
    /* push it to the lock: 10 wrong PINs in all */
    assert_int_equal(store_begin(f.db.c, true), ERR_OK);
    assert_int_equal(store_card_by_client(f.db.c, f.client[1], &card), ERR_OK);
    for (int i = 3; i < ACCT_CARD_LOCK_AFTER; i++) {
        assert_int_equal(store_card_failed(f.db.c, card.user_id, 1), ERR_OK);
    }
    assert_int_equal(store_commit(f.db.c), ERR_OK);
    assert_int_equal(card_login(&f, code, "583920", NULL, &step, &res), ERR_CARD_LOCKED);
    /* a re-issue unlocks */
    assert_int_equal(issue(&f, 1, code), ERR_OK);
    assert_int_equal(card_login(&f, code, NULL, "583920", &step, &res), ERR_OK);
    assert_int_equal(step, CARD_LOGGED_IN);
    unit_db_close(&f.db);
}

static void card_holders(void **state)
{
    struct fixture f;
    char code[ACCT_CARD_CODE_CHARS + 1];
    enum acct_card_step step;
    struct login_result res;
    struct principal who;
    struct verr v = {0};
    bool created = false;
    struct audit_ctx a;

    fixture_open(&f);
    assert_int_equal(issue(&f, 0, code), ERR_OK);
    assert_int_equal(store_begin(f.db.c, true), ERR_OK);
    assert_int_equal(acct_holder_add(f.db.c, &f.actx, &f.pro, f.client[0], f.client[1], f.pid[1],
                                     "uncle", &v, &created),
                     ERR_INVALID);
    memset(&v, 0, sizeof(v));
    assert_int_equal(acct_holder_add(f.db.c, &f.actx, &f.pro, f.client[0], f.client[0], f.pid[0],
                                     "parent", &v, &created),
                     ERR_INVALID);
    memset(&v, 0, sizeof(v));
    assert_int_equal(acct_holder_add(f.db.c, &f.actx, &f.pro, f.client[0], f.client[1], f.pid[1],
                                     "parent", &v, &created),
                     ERR_OK);
    assert_true(created);
    assert_int_equal(store_commit(f.db.c), ERR_OK);

    assert_int_equal(card_login(&f, code, NULL, "583920", &step, &res), ERR_OK);
    assert_int_equal(resolve(&f, res.token, &who), ERR_OK);
    a = f.actx;
    assert_int_equal(store_begin(f.db.c, true), ERR_OK);
    /* a dossier not held is refused like one that does not exist, and noted */
    assert_int_equal(acct_dossier_switch(f.db.c, &a, &who, f.pid[2]), ERR_NOT_FOUND);
    assert_true(a.denial_pending);
    assert_int_equal(acct_dossier_switch(f.db.c, &a, &who, f.pid[1]), ERR_OK);
    assert_true(who.client_id == f.client[1]);
    assert_string_equal(who.acting_for, f.pid[1]);
    assert_string_equal(a.on_behalf_of, f.pid[1]);
    assert_int_equal(store_commit(f.db.c), ERR_OK);
    /* the next request of the session acts on the child's dossier */
    assert_int_equal(resolve(&f, res.token, &who), ERR_OK);
    assert_true(who.client_id == f.client[1] && who.self_client_id == f.client[0]);
    assert_string_equal(who.acting_for, f.pid[1]);
    /* and back */
    assert_int_equal(store_begin(f.db.c, true), ERR_OK);
    assert_int_equal(acct_dossier_switch(f.db.c, &a, &who, f.pid[0]), ERR_OK);
    assert_int_equal(store_commit(f.db.c), ERR_OK);
    assert_int_equal(resolve(&f, res.token, &who), ERR_OK);
    assert_true(who.client_id == f.client[0] && who.acting_for[0] == '\0');
    unit_db_close(&f.db);
}

/* A client account, even with a good password, cannot log in by email. */
static void password_login_refuses_clients(void **state)
{
    struct fixture f;
    struct user_row u;
    struct login_result res;
    struct audit_ctx a;
    const char *why;
    struct acct_new_user nu = {"Clients",      "client_accounts", "R", ROLE_CLIENT,
                               "c@example.nl", "vlinder-kade-42", 15,  0};

    fixture_open(&f);
    nu.client_id = f.client[0];
    assert_int_equal(store_begin(f.db.c, true), ERR_OK);
    assert_int_equal(acct_user_add(f.db.c, &nu, &u, &why), ERR_OK);
    assert_int_equal(store_commit(f.db.c), ERR_OK);
    a = f.actx;
    assert_int_equal(acct_login(f.db.c, &a, &policy, "c@example.nl", "vlinder-kade-42", 15, &res),
                     ERR_BAD_CREDENTIALS);
    a = f.actx;
    assert_int_equal(acct_login(f.db.c, &a, &policy, "vol@example.nl", "vlinder-kade-42", 15, &res),
                     ERR_OK);
    unit_db_close(&f.db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(check_char_known_answers),
        cmocka_unit_test(check_char_catches_typos),
        cmocka_unit_test(code_new_and_display),
        cmocka_unit_test(code_normalise),
        cmocka_unit_test(pin_rules),
        cmocka_unit_test(pin_normalise),
        cmocka_unit_test(throttle_arithmetic),
        cmocka_unit_test(card_issue_login_reissue),
        cmocka_unit_test(card_throttle_and_lock),
        cmocka_unit_test(card_holders),
        cmocka_unit_test(password_login_refuses_clients),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
