/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The audit chain: rows appended by audit_log() verify; the table refuses UPDATE and DELETE;
 * and once those triggers are removed behind the application's back, audit_verify() names the
 * first changed row, or the row after a deleted one.
 */
#include "core/compat.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <sqlite3.h>

#include "audit/audit.h"
#include "unit_db.h"

static void append_rows(struct unit_db *u, int n)
{
    struct audit_ctx ctx = {0};
    ctx.user_uid = "user1";
    ctx.role = "volunteer";
    ctx.org_uid = "org1";
    ctx.source_addr = "127.0.0.1";
    ctx.request_id = "req1";
    assert_int_equal(store_begin(u->c, true), ERR_OK);
    for (int i = 0; i < n; i++) {
        struct audit_event ev = {"client1", "read", "client", "client1", "success"};
        assert_int_equal(audit_log(u->c, &ctx, &ev), ERR_OK);
    }
    assert_int_equal(store_commit(u->c), ERR_OK);
}

static int raw_exec(const char *path, const char *sql)
{
    sqlite3 *db;
    int rc;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

static void chain_verifies(void **state)
{
    struct unit_db u;
    struct audit_verify_result res;
    unit_db_open(&u);
    assert_int_equal(audit_verify(u.c, &res), ERR_OK); /* empty trail is intact */
    assert_true(res.rows == 0);
    append_rows(&u, 5);
    assert_int_equal(audit_verify(u.c, &res), ERR_OK);
    assert_true(res.rows == 5);
    assert_true(res.bad_id == 0);
    unit_db_close(&u);
}

static void table_is_append_only(void **state)
{
    struct unit_db u;
    unit_db_open(&u);
    append_rows(&u, 2);
    assert_int_equal(raw_exec(u.path, "UPDATE audit SET outcome = 'denied' WHERE id = 1") & 0xff,
                     SQLITE_CONSTRAINT);
    assert_int_equal(raw_exec(u.path, "DELETE FROM audit WHERE id = 1") & 0xff, SQLITE_CONSTRAINT);
    unit_db_close(&u);
}

static void changed_row_is_named(void **state)
{
    struct unit_db u;
    struct audit_verify_result res;
    unit_db_open(&u);
    append_rows(&u, 5);
    assert_int_equal(raw_exec(u.path, "DROP TRIGGER audit_no_update;"
                                      "UPDATE audit SET outcome = 'denied' WHERE id = 3"),
                     SQLITE_OK);
    assert_int_equal(audit_verify(u.c, &res), ERR_CORRUPT);
    assert_true(res.bad_id == 3);
    assert_non_null(strstr(res.reason, "changed"));
    unit_db_close(&u);
}

static void deleted_row_is_found(void **state)
{
    struct unit_db u;
    struct audit_verify_result res;
    unit_db_open(&u);
    append_rows(&u, 5);
    assert_int_equal(
        raw_exec(u.path, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 2"),
        SQLITE_OK);
    assert_int_equal(audit_verify(u.c, &res), ERR_CORRUPT);
    assert_true(res.bad_id == 3);
    unit_db_close(&u);
}

static void rehashed_row_breaks_the_link(void **state)
{
    /* An attacker who rewrites a row and its own hash still breaks the next row's link. */
    struct unit_db u;
    struct audit_verify_result res;
    struct audit_row r;
    unit_db_open(&u);
    append_rows(&u, 3);
    memset(&r, 0, sizeof(r));
    r.id = 4;
    snprintf(r.action, sizeof(r.action), "read");
    snprintf(r.object_type, sizeof(r.object_type), "client");
    snprintf(r.outcome, sizeof(r.outcome), "success");
    /* prev_hash left zero: a forged row appended without knowing the head */
    audit_row_hash(&r, r.row_hash);
    assert_int_equal(store_begin(u.c, true), ERR_OK);
    assert_int_equal(store_audit_insert(u.c, &r), ERR_OK);
    assert_int_equal(store_commit(u.c), ERR_OK);
    assert_int_equal(audit_verify(u.c, &res), ERR_CORRUPT);
    assert_true(res.bad_id == 4);
    unit_db_close(&u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chain_verifies),
        cmocka_unit_test(table_is_append_only),
        cmocka_unit_test(changed_row_is_named),
        cmocka_unit_test(deleted_row_is_found),
        cmocka_unit_test(rehashed_row_breaks_the_link),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
