/* SPDX-License-Identifier: EUPL-1.2 */
/* Rows for transfer packages between installations (0011_transfers.sql, docs/dossier.md §5). */
#include "core/compat.h"

#include "core/mem.h"
#include "storage/store_int.h"

/* ---- transfers_out ------------------------------------------------------------------------ */

void store_transfer_out_release(struct transfer_out_row *row)
{
    free(row->package.p);
    memset(&row->package, 0, sizeof(row->package));
}

enum err store_transfer_out_insert(struct store_conn *c, struct transfer_out_row *row)
{
    static const char sql[] =
        "INSERT INTO transfers_out(package_id, client_id, by_user, by_role, via, session_id, "
        "package, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, row->package_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, row->client_id);
    store__bind_opt(st, 3, row->by_user);
    store__bind_opt(st, 4, row->by_role);
    sqlite3_bind_text(st, 5, row->via, -1, SQLITE_STATIC);
    if (row->session_id) {
        sqlite3_bind_int64(st, 6, row->session_id);
    }
    store__bind_sealed(st, 7, row->package.p, row->package.len);
    sqlite3_bind_int64(st, 8, row->created_at);
    return store__insert(c, st, &row->id);
}

static void transfer_out_read(sqlite3_stmt *st, void *out)
{
    struct transfer_out_row *r = out;
    r->id = sqlite3_column_int64(st, 0);
    store__col_text(st, 1, r->package_id, sizeof(r->package_id));
    r->client_id = sqlite3_column_int64(st, 2);
    store__col_text(st, 3, r->by_user, sizeof(r->by_user));
    store__col_text(st, 4, r->by_role, sizeof(r->by_role));
    store__col_text(st, 5, r->via, sizeof(r->via));
    r->session_id = sqlite3_column_int64(st, 6);
    store__col_blob(st, 7, &r->package);
    r->created_at = sqlite3_column_int64(st, 8);
    r->fetched_at = sqlite3_column_int64(st, 9);
}

enum err store_transfer_out_get(struct store_conn *c, const char *package_id,
                                struct transfer_out_row *out)
{
    static const char sql[] = "SELECT id, package_id, client_id, by_user, by_role, via, "
                              "coalesce(session_id, 0), package, created_at, "
                              "coalesce(fetched_at, 0) FROM transfers_out WHERE package_id = ?";
    memset(out, 0, sizeof(*out));
    return store__get_text(c, sql, package_id, transfer_out_read, out);
}

enum err store_transfer_out_fetched(struct store_conn *c, int64_t id, int64_t now)
{
    static const char sql[] = "UPDATE transfers_out SET package = NULL, fetched_at = ? "
                              "WHERE id = ? AND fetched_at IS NULL";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, id);
    return store__exec_one(c, st);
}

enum err store_transfer_out_expire(struct store_conn *c, int64_t before)
{
    static const char sql[] = "UPDATE transfers_out SET package = NULL "
                              "WHERE package IS NOT NULL AND fetched_at IS NULL AND created_at < ?";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, before);
    return store__exec_done(c, st);
}

/* ---- transfers_in ------------------------------------------------------------------------- */

enum err store_transfer_in_insert(struct store_conn *c, struct transfer_in_row *row)
{
    static const char sql[] =
        "INSERT INTO transfers_in(package_id, client_id, sender_name, sender_fingerprint, "
        "package_created_at, by_user, by_org, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, row->package_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, row->client_id);
    sqlite3_bind_text(st, 3, row->sender_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, row->sender_fingerprint, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, row->package_created_at);
    store__bind_opt(st, 6, row->by_user);
    if (row->by_org) {
        sqlite3_bind_int64(st, 7, row->by_org);
    }
    sqlite3_bind_int64(st, 8, row->at);
    return store__insert(c, st, &row->id);
}

static void transfer_in_read(sqlite3_stmt *st, void *out)
{
    struct transfer_in_row *r = out;
    r->id = sqlite3_column_int64(st, 0);
    store__col_text(st, 1, r->package_id, sizeof(r->package_id));
    r->client_id = sqlite3_column_int64(st, 2);
    store__col_text(st, 3, r->client_pid, sizeof(r->client_pid));
    store__col_text(st, 4, r->sender_name, sizeof(r->sender_name));
    store__col_text(st, 5, r->sender_fingerprint, sizeof(r->sender_fingerprint));
    r->package_created_at = sqlite3_column_int64(st, 6);
    store__col_text(st, 7, r->by_user, sizeof(r->by_user));
    r->by_org = sqlite3_column_int64(st, 8);
    r->at = sqlite3_column_int64(st, 9);
}

enum err store_transfer_in_get(struct store_conn *c, const char *fingerprint,
                               const char *package_id, struct transfer_in_row *out)
{
    static const char sql[] =
        "SELECT t.id, t.package_id, coalesce(t.client_id, 0), coalesce(c.pid, ''), "
        "t.sender_name, t.sender_fingerprint, t.package_created_at, t.by_user, "
        "coalesce(t.by_org, 0), t.at FROM transfers_in t LEFT JOIN clients c ON c.id = "
        "t.client_id WHERE t.sender_fingerprint = ? AND t.package_id = ?";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);

    memset(out, 0, sizeof(*out));
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, fingerprint, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, package_id, -1, SQLITE_STATIC);
    rc = store__step_row(c, st);
    if (!rc) {
        transfer_in_read(st, out);
        sqlite3_reset(st);
    }
    return rc;
}

/* ---- transfer_history --------------------------------------------------------------------- */

void store_transfer_history_release(struct transfer_history_row *row)
{
    free(row->body.p);
    memset(&row->body, 0, sizeof(row->body));
}

enum err store_transfer_history_insert(struct store_conn *c, struct transfer_history_row *row)
{
    static const char sql[] = "INSERT INTO transfer_history(uid, client_id, sender_name, "
                              "created_at, imported_at, body) VALUES (?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, row->uid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, row->client_id);
    sqlite3_bind_text(st, 3, row->sender_name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, row->created_at);
    sqlite3_bind_int64(st, 5, row->imported_at);
    store__bind_sealed(st, 6, row->body.p, row->body.len);
    return store__insert(c, st, &row->id);
}

struct history_iter {
    store_transfer_history_fn fn;
    void *ctx;
};

static enum err history_row(sqlite3_stmt *st, void *ctx)
{
    struct history_iter *it = ctx;
    struct transfer_history_row r;
    enum err rc;

    r.id = sqlite3_column_int64(st, 0);
    store__col_text(st, 1, r.uid, sizeof(r.uid));
    r.client_id = sqlite3_column_int64(st, 2);
    store__col_text(st, 3, r.sender_name, sizeof(r.sender_name));
    r.created_at = sqlite3_column_int64(st, 4);
    r.imported_at = sqlite3_column_int64(st, 5);
    store__col_blob(st, 6, &r.body);
    rc = it->fn(&r, it->ctx);
    store_transfer_history_release(&r);
    return rc;
}

enum err store_transfer_history_each(struct store_conn *c, int64_t client_id,
                                     store_transfer_history_fn fn, void *ctx)
{
    static const char sql[] = "SELECT id, uid, client_id, sender_name, created_at, imported_at, "
                              "body FROM transfer_history WHERE client_id = ? ORDER BY id";
    struct history_iter it = {fn, ctx};
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, client_id);
    return store__iterate(c, st, history_row, &it);
}
