/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Erasure (0012_erasure.sql, docs/dossier.md §6): the requests, and the one list of every table
 * that holds rows of a client, with how each is erased. store_erase_client() runs the list in the
 * caller's transaction; store_erase_uncovered() compares it with the schema, so that a table
 * added by a later migration without a line here is found by a test, not by a client.
 */
#include "core/compat.h"

#include "storage/store_int.h"

/* ---- the erase list ------------------------------------------------------------------------ */

/*
 * In order (children before parents: foreign keys are on). ?1 is the client's row id. A NULL
 * statement marks a table that is kept on purpose, with the reason in the comment.
 */
#define CLIENT_USERS "(SELECT id FROM users WHERE client_id = ?1)"
static const struct {
    const char *table;
    const char *sql;
} erase_list[] = {
    {"referral_events", "DELETE FROM referral_events WHERE referral_id IN "
                        "(SELECT id FROM referrals WHERE client_id = ?1)"},
    {"referrals", "DELETE FROM referrals WHERE client_id = ?1"},
    {"route_advice", "DELETE FROM route_advice WHERE client_id = ?1"},
    {"red_flag_actions", "DELETE FROM red_flag_actions WHERE flag_id IN "
                         "(SELECT id FROM red_flags WHERE client_id = ?1)"},
    {"red_flags", "DELETE FROM red_flags WHERE client_id = ?1"},
    {"screenings", "DELETE FROM screenings WHERE client_id = ?1"},
    {"grant_requests", "DELETE FROM grant_requests WHERE client_id = ?1"},
    {"grants", "DELETE FROM grants WHERE client_id = ?1"},
    {"erasure_requests", "DELETE FROM erasure_requests WHERE client_id = ?1"},
    {"client_moves", "DELETE FROM client_moves WHERE client_id = ?1"},
    {"transfer_history", "DELETE FROM transfer_history WHERE client_id = ?1"},
    /* kept without the client: the package id stays so the same package cannot bring the
     * dossier back (made here: 409 "made here, erased"; imported: 409, 0015_transfer_ids.sql).
     * The held file and the links to the client's session and user go. */
    {"transfers_out", "UPDATE transfers_out SET client_id = NULL, by_user = NULL, "
                      "session_id = NULL, package = NULL WHERE client_id = ?1"},
    {"transfers_in", "UPDATE transfers_in SET client_id = NULL WHERE client_id = ?1"},
    /* the client's own account(s): held dossiers, sessions, the login card */
    {"session_dossier", "DELETE FROM session_dossier WHERE client_id = ?1 OR session_id IN "
                        "(SELECT id FROM sessions WHERE user_id IN " CLIENT_USERS ")"},
    {"client_holders",
     "DELETE FROM client_holders WHERE client_id = ?1 OR user_id IN " CLIENT_USERS},
    {"client_cards", "DELETE FROM client_cards WHERE user_id IN " CLIENT_USERS},
    {"sessions", "DELETE FROM sessions WHERE user_id IN " CLIENT_USERS},
    {"users", "DELETE FROM users WHERE client_id = ?1"},
    /* the wrapped data key: crypto-shredding */
    {"client_keys", "DELETE FROM client_keys WHERE client_id = ?1"},
    {"clients", "DELETE FROM clients WHERE id = ?1"},
    /* kept: append-only and hash-chained; identifiers only (the pseudonym, random uids) */
    {"audit", NULL},
};

enum err store_erase_client(struct store_conn *c, int64_t client_id, int64_t *rows)
{
    enum err rc = ERR_OK;

    *rows = 0;
    for (size_t i = 0; !rc && i < ARRAY_SIZE(erase_list); i++) {
        sqlite3_stmt *st;
        if (!erase_list[i].sql) {
            continue;
        }
        rc = store__stmt(c, erase_list[i].sql, &st);
        if (!rc) {
            sqlite3_bind_int64(st, 1, client_id);
            rc = store__exec_done(c, st);
        }
        if (!rc) {
            *rows += sqlite3_changes(c->db);
        }
    }
    return rc;
}

static bool erase_listed(const char *table)
{
    for (size_t i = 0; i < ARRAY_SIZE(erase_list); i++) {
        if (!strcmp(erase_list[i].table, table)) {
            return true;
        }
    }
    return false;
}

/*
 * Tables that hold rows of a client: clients, every table with a foreign key to one of them
 * (transitively: sessions through users, events through referrals), and every table with a
 * column named client_id, client_pid or pid (a link without a foreign key, such as audit).
 */
static const char linked_sql[] =
    "WITH RECURSIVE tabs(name) AS (SELECT name FROM sqlite_schema WHERE type = 'table' "
    "AND name NOT LIKE 'sqlite_%'), "
    "linked(name) AS (SELECT 'clients' UNION SELECT t.name FROM linked l "
    "JOIN tabs t JOIN pragma_foreign_key_list(t.name) f WHERE f.\"table\" = l.name) "
    "SELECT name FROM linked UNION SELECT t.name FROM tabs t JOIN pragma_table_info(t.name) col "
    "WHERE col.name IN ('client_id', 'client_pid', 'pid') ORDER BY 1";

struct uncovered_ctx {
    store_erase_table_fn fn;
    void *ctx;
    size_t seen; /* listed tables found in the schema */
};

static enum err uncovered_row(sqlite3_stmt *st, void *ctx)
{
    struct uncovered_ctx *u = ctx;
    char table[128];

    store__col_text(st, 0, table, sizeof(table));
    if (erase_listed(table)) {
        u->seen++;
        return ERR_OK;
    }
    return u->fn(table, false, u->ctx);
}

/* Listed tables that the schema does not have (a renamed table, a typo). */
static enum err missing_tables(struct store_conn *c, store_erase_table_fn fn, void *ctx)
{
    static const char sql[] =
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?";
    enum err rc = ERR_OK;

    for (size_t i = 0; !rc && i < ARRAY_SIZE(erase_list); i++) {
        sqlite3_stmt *st;
        rc = store__stmt(c, sql, &st);
        if (rc) {
            break;
        }
        sqlite3_bind_text(st, 1, erase_list[i].table, -1, SQLITE_STATIC);
        rc = store__step_row(c, st);
        if (!rc) {
            bool there = sqlite3_column_int64(st, 0) > 0;
            sqlite3_reset(st);
            rc = there ? ERR_OK : fn(erase_list[i].table, true, ctx);
        }
    }
    return rc;
}

enum err store_erase_uncovered(struct store_conn *c, store_erase_table_fn fn, void *ctx)
{
    struct uncovered_ctx u = {fn, ctx, 0};
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, linked_sql, &st);

    rc = rc ? rc : store__iterate(c, st, uncovered_row, &u);
    return rc ? rc : missing_tables(c, fn, ctx);
}

size_t store_erase_table_count(void)
{
    return ARRAY_SIZE(erase_list);
}

const char *store_erase_table(size_t i, bool *kept)
{
    if (i >= ARRAY_SIZE(erase_list)) {
        return NULL;
    }
    if (kept) {
        *kept = erase_list[i].sql == NULL;
    }
    return erase_list[i].table;
}

/* ---- requests ------------------------------------------------------------------------------ */

#define ERASURE_COLS                                                                               \
    "e.id, e.uid, e.client_id, c.pid, e.requested_by_user, e.requested_at, e.state, "              \
    "coalesce(e.withdrawn_at, 0), coalesce(e.confirmed_by_user, ''), coalesce(e.confirmed_at, 0) " \
    "FROM erasure_requests e JOIN clients c ON c.id = e.client_id "

static void erasure_read(sqlite3_stmt *st, void *out)
{
    struct erasure_row *e = out;
    memset(e, 0, sizeof(*e));
    e->id = sqlite3_column_int64(st, 0);
    store__col_text(st, 1, e->uid, sizeof(e->uid));
    e->client_id = sqlite3_column_int64(st, 2);
    store__col_text(st, 3, e->client_pid, sizeof(e->client_pid));
    store__col_text(st, 4, e->requested_by_user, sizeof(e->requested_by_user));
    e->requested_at = sqlite3_column_int64(st, 5);
    store__col_text(st, 6, e->state, sizeof(e->state));
    e->withdrawn_at = sqlite3_column_int64(st, 7);
    store__col_text(st, 8, e->confirmed_by_user, sizeof(e->confirmed_by_user));
    e->confirmed_at = sqlite3_column_int64(st, 9);
}

enum err store_erasure_insert(struct store_conn *c, struct erasure_row *row)
{
    static const char sql[] = "INSERT INTO erasure_requests(uid, client_id, requested_by_user, "
                              "requested_at, state) VALUES (?, ?, ?, ?, 'requested')";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);

    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, row->uid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, row->client_id);
    sqlite3_bind_text(st, 3, row->requested_by_user, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, row->requested_at);
    rc = store__insert(c, st, &row->id); /* ERR_CONFLICT: an open request exists */
    if (!rc) {
        snprintf(row->state, sizeof(row->state), "requested");
    }
    return rc;
}

enum err store_erasure_latest(struct store_conn *c, int64_t client_id, struct erasure_row *out)
{
    static const char sql[] =
        "SELECT " ERASURE_COLS "WHERE e.client_id = ? ORDER BY e.id DESC LIMIT 1";
    return store__get_int(c, sql, client_id, erasure_read, out);
}

enum err store_erasure_decide(struct store_conn *c, int64_t id, const char *state,
                              const char *by_user, int64_t now)
{
    static const char withdraw[] = "UPDATE erasure_requests SET state = 'withdrawn', "
                                   "withdrawn_at = ?3 WHERE id = ?1 AND state = 'requested'";
    static const char confirm[] =
        "UPDATE erasure_requests SET state = 'confirmed', confirmed_by_user = ?2, "
        "confirmed_at = ?3 WHERE id = ?1 AND state = 'requested'";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, !strcmp(state, "withdrawn") ? withdraw : confirm, &st);

    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, by_user, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now);
    return store__exec_one(c, st);
}

struct erasure_iter {
    store_erasure_fn fn;
    void *ctx;
};

static enum err erasure_row_cb(sqlite3_stmt *st, void *ctx)
{
    struct erasure_iter *it = ctx;
    struct erasure_row e;
    erasure_read(st, &e);
    return it->fn(&e, it->ctx);
}

enum err store_erasure_each_open(struct store_conn *c, int64_t org_id, int64_t now,
                                 store_erasure_fn fn, void *ctx)
{
    static const char sql[] =
        "SELECT " ERASURE_COLS "WHERE e.state = 'requested' AND e.client_id IN (SELECT g.client_id "
        "FROM grants g WHERE g.org_id = ?1 AND g.revoked_at IS NULL AND "
        "g.expires_at > ?2) ORDER BY e.requested_at, e.id LIMIT 500";
    struct erasure_iter it = {fn, ctx};
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);

    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, org_id);
    sqlite3_bind_int64(st, 2, now);
    return store__iterate(c, st, erasure_row_cb, &it);
}
