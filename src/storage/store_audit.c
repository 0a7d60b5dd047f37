/* SPDX-License-Identifier: EUPL-1.2 */
/* Rows of the append-only audit table. Hashing and verification live in dossier/audit.c. */
#include "core/compat.h"

#include "storage/store_int.h"

#define AUDIT_COLS                                                                                 \
    "id, at, user_id, role, org_id, on_behalf_of, client_pid, action, object_type, object_id, "    \
    "outcome, source_addr, request_id, prev_hash, row_hash"

static void blob_copy(sqlite3_stmt *st, int i, unsigned char out[SEC_HASH_BYTES])
{
    const void *b = sqlite3_column_blob(st, i);
    int n = sqlite3_column_bytes(st, i);
    memset(out, 0, SEC_HASH_BYTES);
    if (b && n > 0) {
        memcpy(out, b, n < SEC_HASH_BYTES ? (size_t)n : SEC_HASH_BYTES);
    }
}

static void audit_read(sqlite3_stmt *st, void *out)
{
    struct audit_row *a = out;
    a->id = sqlite3_column_int64(st, 0);
    a->at = sqlite3_column_int64(st, 1);
    store__col_text(st, 2, a->user_id, sizeof(a->user_id));
    store__col_text(st, 3, a->role, sizeof(a->role));
    store__col_text(st, 4, a->org_id, sizeof(a->org_id));
    store__col_text(st, 5, a->on_behalf_of, sizeof(a->on_behalf_of));
    store__col_text(st, 6, a->client_pid, sizeof(a->client_pid));
    store__col_text(st, 7, a->action, sizeof(a->action));
    store__col_text(st, 8, a->object_type, sizeof(a->object_type));
    store__col_text(st, 9, a->object_id, sizeof(a->object_id));
    store__col_text(st, 10, a->outcome, sizeof(a->outcome));
    store__col_text(st, 11, a->source_addr, sizeof(a->source_addr));
    store__col_text(st, 12, a->request_id, sizeof(a->request_id));
    blob_copy(st, 13, a->prev_hash);
    blob_copy(st, 14, a->row_hash);
}

enum err store_audit_head(struct store_conn *c, int64_t *id, unsigned char hash[SEC_HASH_BYTES])
{
    static const char sql[] = "SELECT id, row_hash FROM audit ORDER BY id DESC LIMIT 1";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);

    *id = 0;
    memset(hash, 0, SEC_HASH_BYTES);
    if (rc) {
        return rc;
    }
    rc = store__step_row(c, st);
    if (rc == ERR_NOT_FOUND) {
        return ERR_OK;
    }
    if (!rc) {
        *id = sqlite3_column_int64(st, 0);
        blob_copy(st, 1, hash);
        sqlite3_reset(st);
    }
    return rc;
}

enum err store_audit_insert(struct store_conn *c, const struct audit_row *a)
{
    static const char sql[] =
        "INSERT INTO audit(" AUDIT_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, a->id);
    sqlite3_bind_int64(st, 2, a->at);
    store__bind_opt(st, 3, a->user_id);
    store__bind_opt(st, 4, a->role);
    store__bind_opt(st, 5, a->org_id);
    store__bind_opt(st, 6, a->on_behalf_of);
    store__bind_opt(st, 7, a->client_pid);
    sqlite3_bind_text(st, 8, a->action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, a->object_type, -1, SQLITE_STATIC);
    store__bind_opt(st, 10, a->object_id);
    sqlite3_bind_text(st, 11, a->outcome, -1, SQLITE_STATIC);
    store__bind_opt(st, 12, a->source_addr);
    store__bind_opt(st, 13, a->request_id);
    sqlite3_bind_blob(st, 14, a->prev_hash, SEC_HASH_BYTES, SQLITE_STATIC);
    sqlite3_bind_blob(st, 15, a->row_hash, SEC_HASH_BYTES, SQLITE_STATIC);
    return store__exec_done(c, st);
}

struct audit_iter {
    store_audit_fn fn;
    void *ctx;
};

static enum err audit_row_cb(sqlite3_stmt *st, void *ctx)
{
    struct audit_iter *it = ctx;
    struct audit_row a;
    audit_read(st, &a);
    return it->fn(&a, it->ctx);
}

static enum err audit_iterate(struct store_conn *c, sqlite3_stmt *st, store_audit_fn fn, void *ctx)
{
    struct audit_iter it = {fn, ctx};
    return store__iterate(c, st, audit_row_cb, &it);
}

enum err store_audit_each(struct store_conn *c, store_audit_fn fn, void *ctx)
{
    static const char sql[] = "SELECT " AUDIT_COLS " FROM audit ORDER BY id";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    return rc ? rc : audit_iterate(c, st, fn, ctx);
}

enum err store_audit_each_for_client(struct store_conn *c, const char *pid, int64_t from,
                                     int64_t to, int limit, store_audit_fn fn, void *ctx)
{
    static const char sql[] = "SELECT " AUDIT_COLS " FROM audit WHERE client_pid = ? AND at >= ? "
                              "AND at < ? ORDER BY at DESC, id DESC LIMIT ?";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, pid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, from);
    sqlite3_bind_int64(st, 3, to);
    sqlite3_bind_int(st, 4, limit);
    return audit_iterate(c, st, fn, ctx);
}
