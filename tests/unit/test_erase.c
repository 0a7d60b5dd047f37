/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The erase list (src/storage/store_erase.c) against the schema: every table that holds rows of
 * a client (a foreign key to clients, directly or through users, sessions, referrals, …, or a
 * column client_id, client_pid or pid) must be in the list; a table added without a line there
 * is found. And store_erase_client() removes one client's rows and leaves another's.
 */
#include "core/compat.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <sqlite3.h>

#include "unit_db.h"

static void raw_exec(const char *path, const char *sql)
{
    sqlite3 *db;
    char *msg = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    if (sqlite3_exec(db, "PRAGMA foreign_keys=ON;", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        print_error("sqlite3: %s\n", msg ? msg : "?");
        fail();
    }
    sqlite3_close(db);
}

static int64_t raw_count(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int64_t n = -1;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW) {
        n = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

struct found {
    char names[512];
    int n;
};

static enum err collect(const char *table, bool missing, void *ctx)
{
    struct found *f = ctx;
    size_t used = strlen(f->names);
    snprintf(f->names + used, sizeof(f->names) - used, "%s%s%s", f->n ? ", " : "",
             missing ? "missing:" : "", table);
    f->n++;
    return ERR_OK;
}

static void list_covers_schema(void **state)
{
    struct unit_db u = {0};
    struct found f = {{0}, 0};
    (void)state;
    unit_db_open(&u);
    assert_int_equal(store_erase_uncovered(u.c, collect, &f), ERR_OK);
    if (f.n) {
        print_error("tables with client rows that the erase list does not cover: %s\n", f.names);
    }
    assert_int_equal(f.n, 0);
    unit_db_close(&u);
}

static void new_tables_are_found(void **state)
{
    struct unit_db u = {0};
    struct found f = {{0}, 0};
    (void)state;
    unit_db_open(&u);
    raw_exec(u.path, "CREATE TABLE notes_x (id INTEGER PRIMARY KEY, client_id INTEGER);"
                     "CREATE TABLE prefs_x (user_id INTEGER REFERENCES users(id));"
                     "CREATE TABLE steps_x (rid INTEGER REFERENCES referral_events(id));"
                     "CREATE TABLE trail_x (client_pid TEXT);"
                     "CREATE TABLE orgs_x (org_id INTEGER REFERENCES orgs(id));");
    assert_int_equal(store_erase_uncovered(u.c, collect, &f), ERR_OK);
    assert_string_equal(f.names, "notes_x, prefs_x, steps_x, trail_x");
    unit_db_close(&u);
}

static void kept_and_deleted_tables(void **state)
{
    bool kept = false;
    size_t n = store_erase_table_count();
    bool saw_keys = false, saw_audit = false;
    (void)state;
    for (size_t i = 0; i < n; i++) {
        const char *t = store_erase_table(i, &kept);
        assert_non_null(t);
        if (!strcmp(t, "audit")) {
            saw_audit = kept;
        } else {
            assert_false(kept); /* only the audit trail is kept */
        }
        saw_keys |= !strcmp(t, "client_keys") && !kept;
    }
    assert_null(store_erase_table(n, NULL));
    assert_true(saw_keys && saw_audit);
}

/* One row of client # (1 or 2) in every table: account, session, card, key, grant, screening,
 * flag, action, referral, event and request. '#' is replaced by the client's number. */
static const char seed_sql[] =
    "INSERT INTO clients(id, pid, year_of_birth, gender, country_of_origin, language, phase, "
    "location, name, created_by_user, created_by_org, created_at, updated_at) VALUES "
    "(#, 'pid#', 1990, 'female', 'SY', 'ar', 'coa', 'X', x'01', 'u', 1, 0, 0);"
    "INSERT INTO users(id, uid, org_id, role, email, pw_hash, client_id, created_at) VALUES "
    "(#, 'user#', 1, 'client', 'c#@x', '-', #, 0);"
    "INSERT INTO sessions(id, token_hash, user_id, csrf, created_at, last_seen) VALUES "
    "(#, x'0#', #, 'c', 0, 0);"
    "INSERT INTO client_cards(user_id, code_hash, issued_at, issued_by_user) VALUES "
    "(#, x'0#', 0, 'u');"
    "INSERT INTO client_keys VALUES (#, 1, 1, x'02', 0);"
    "INSERT INTO grants(uid, client_id, org_id, scopes, basis, granted_by_user, granted_by_role, "
    "granted_by_org, created_at, expires_at) VALUES ('g#', #, 1, 1, 'b', 'u', 'gp', 1, 0, 1);"
    "INSERT INTO screenings(id, uid, client_id, instrument, version, def_hash, language, mode, "
    "answers, result, level, flag_count, created_by_user, created_by_role, created_by_org, "
    "created_at) VALUES (#, 's#', #, 'i', '1', x'00', 'ar', 'client', x'01', x'01', 'low', 0, "
    "'u', 'gp', 1, 0);"
    "INSERT INTO red_flags(id, uid, client_id, screening_id, flag, severity, protocol, "
    "raised_by_user, raised_by_role, raised_by_org, raised_at, due_at) VALUES "
    "(#, 'f#', #, #, 'm', 'red', 'suicide', 'u', 'gp', 1, 0, 0);"
    "INSERT INTO red_flag_actions(flag_id, action, by_user, by_role, by_org, at) VALUES "
    "(#, 'a', 'u', 'gp', 1, 0);"
    "INSERT INTO referrals(id, uid, client_id, from_user, from_org, to_service, to_service_name, "
    "to_org, level, scopes, state, created_at, updated_at) VALUES "
    "(#, 'r#', #, 'u', 1, 's', 'S', 1, 'L1', 0, 'sent', 0, 0);"
    "INSERT INTO referral_events(referral_id, kind, to_state, by_user, by_role, by_org, at) "
    "VALUES (#, 'transition', 'sent', 'u', 'gp', 1, 0);"
    "INSERT INTO erasure_requests(uid, client_id, requested_by_user, requested_at) VALUES "
    "('e#', #, 'user#', 0);";

static void seed(const char *path)
{
    char sql[sizeof(seed_sql)];
    raw_exec(path, "INSERT INTO orgs(id, uid, name, kind, created_at) VALUES "
                   "(1, 'o1', 'Org', 'gp_practice', 0);"
                   "INSERT INTO keyring(version, check_value, created_at) VALUES (1, x'00', 0);");
    for (char i = '1'; i <= '2'; i++) {
        memcpy(sql, seed_sql, sizeof(sql));
        for (char *p = sql; (p = strchr(p, '#')) != NULL;) {
            *p = i;
        }
        raw_exec(path, sql);
    }
}

static void erase_one_client(void **state)
{
    struct unit_db u = {0};
    int64_t rows = 0;
    (void)state;
    unit_db_open(&u);
    seed(u.path);
    assert_int_equal(store_begin(u.c, true), ERR_OK);
    assert_int_equal(store_erase_client(u.c, 1, &rows), ERR_OK);
    assert_int_equal(store_commit(u.c), ERR_OK);
    assert_int_equal(store_checkpoint(u.c), ERR_OK);
    assert_int_equal(rows, 12); /* one row in each of the 12 tables seeded above */
    for (size_t i = 0; i < store_erase_table_count(); i++) {
        bool kept;
        const char *t = store_erase_table(i, &kept);
        char q[160];
        int64_t left;
        if (kept) {
            continue;
        }
        snprintf(q, sizeof(q), "SELECT count(*) FROM %s", t);
        left = raw_count(u.path, q);
        /* the second client's row is left where the first one's was seeded */
        if (left != 0 && left != 1) {
            fail_msg("%s has %lld rows", t, (long long)left);
        }
    }
    assert_int_equal(raw_count(u.path, "SELECT count(*) FROM clients WHERE id = 1"), 0);
    assert_int_equal(raw_count(u.path, "SELECT count(*) FROM clients WHERE id = 2"), 1);
    assert_int_equal(raw_count(u.path, "SELECT count(*) FROM users WHERE client_id = 2"), 1);
    assert_int_equal(raw_count(u.path, "SELECT count(*) FROM sessions"), 1);
    assert_int_equal(raw_count(u.path, "SELECT count(*) FROM referral_events"), 1);
    assert_int_equal(raw_count(u.path, "SELECT count(*) FROM red_flag_actions"), 1);
    assert_int_equal(raw_count(u.path, "SELECT count(*) FROM client_keys WHERE client_id = 2"), 1);
    assert_int_equal(raw_count(u.path, "SELECT count(*) FROM erasure_requests"), 1);
    unit_db_close(&u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(list_covers_schema),
        cmocka_unit_test(new_tables_are_found),
        cmocka_unit_test(kept_and_deleted_tables),
        cmocka_unit_test(erase_one_client),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
