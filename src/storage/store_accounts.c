/* SPDX-License-Identifier: EUPL-1.2 */
/* Rows for organisations, users, sessions and login throttling. */
#include "core/compat.h"

#include "core/clock.h"
#include "storage/store_int.h"

/* ---- organisations ---------------------------------------------------------------------- */

#define ORG_COLS "id, uid, name, kind, region"

static void org_read(sqlite3_stmt *st, void *out)
{
    struct org_row *o = out;
    o->id = sqlite3_column_int64(st, 0);
    store__col_text(st, 1, o->uid, sizeof(o->uid));
    store__col_text(st, 2, o->name, sizeof(o->name));
    store__col_text(st, 3, o->kind, sizeof(o->kind));
    store__col_text(st, 4, o->region, sizeof(o->region));
}

enum err store_org_insert(struct store_conn *c, struct org_row *row)
{
    static const char sql[] =
        "INSERT INTO orgs(uid, name, kind, region, created_at) VALUES (?, ?, ?, ?, ?)";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, row->uid, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, row->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, row->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, row->region, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, clock_now_ms());
    return store__insert(c, st, &row->id);
}

enum err store_org_by_name(struct store_conn *c, const char *name, struct org_row *out)
{
    static const char sql[] = "SELECT " ORG_COLS " FROM orgs WHERE name = ?";
    return store__get_text(c, sql, name, org_read, out);
}

enum err store_org_by_uid(struct store_conn *c, const char *uid, struct org_row *out)
{
    static const char sql[] = "SELECT " ORG_COLS " FROM orgs WHERE uid = ?";
    return store__get_text(c, sql, uid, org_read, out);
}

enum err store_org_by_id(struct store_conn *c, int64_t id, struct org_row *out)
{
    static const char sql[] = "SELECT " ORG_COLS " FROM orgs WHERE id = ?";
    return store__get_int(c, sql, id, org_read, out);
}

struct org_iter {
    store_org_fn fn;
    void *ctx;
};

static enum err org_row_cb(sqlite3_stmt *st, void *ctx)
{
    struct org_iter *it = ctx;
    struct org_row o;
    org_read(st, &o);
    return it->fn(&o, it->ctx);
}

enum err store_org_each(struct store_conn *c, store_org_fn fn, void *ctx)
{
    static const char sql[] = "SELECT " ORG_COLS " FROM orgs ORDER BY name LIMIT 1000";
    struct org_iter it = {fn, ctx};
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    return rc ? rc : store__iterate(c, st, org_row_cb, &it);
}

/* ---- users ------------------------------------------------------------------------------ */

#define USER_COLS "id, uid, org_id, role, email, pw_hash, coalesce(client_id, 0), disabled"

static void user_read(sqlite3_stmt *st, void *out)
{
    struct user_row *u = out;
    u->id = sqlite3_column_int64(st, 0);
    store__col_text(st, 1, u->uid, sizeof(u->uid));
    u->org_id = sqlite3_column_int64(st, 2);
    store__col_text(st, 3, u->role, sizeof(u->role));
    store__col_text(st, 4, u->email, sizeof(u->email));
    store__col_text(st, 5, u->pw_hash, sizeof(u->pw_hash));
    u->client_id = sqlite3_column_int64(st, 6);
    u->disabled = sqlite3_column_int(st, 7) != 0;
}

enum err store_user_insert(struct store_conn *c, struct user_row *row)
{
    static const char sql[] = "INSERT INTO users(uid, org_id, role, email, pw_hash, client_id, "
                              "disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, row->uid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, row->org_id);
    sqlite3_bind_text(st, 3, row->role, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, row->email, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, row->pw_hash, -1, SQLITE_STATIC);
    if (row->client_id) {
        sqlite3_bind_int64(st, 6, row->client_id);
    } else {
        sqlite3_bind_null(st, 6);
    }
    sqlite3_bind_int(st, 7, row->disabled);
    sqlite3_bind_int64(st, 8, clock_now_ms());
    return store__insert(c, st, &row->id);
}

enum err store_user_by_email(struct store_conn *c, const char *email, struct user_row *out)
{
    static const char sql[] = "SELECT " USER_COLS " FROM users WHERE email = ?";
    return store__get_text(c, sql, email, user_read, out);
}

enum err store_user_by_id(struct store_conn *c, int64_t id, struct user_row *out)
{
    static const char sql[] = "SELECT " USER_COLS " FROM users WHERE id = ?";
    return store__get_int(c, sql, id, user_read, out);
}

/* ---- sessions --------------------------------------------------------------------------- */

enum err store_session_insert(struct store_conn *c, const unsigned char hash[SEC_HASH_BYTES],
                              struct session_row *row)
{
    static const char sql[] = "INSERT INTO sessions(token_hash, user_id, csrf, created_at, "
                              "last_seen) VALUES (?, ?, ?, ?, ?)";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_blob(st, 1, hash, SEC_HASH_BYTES, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, row->user_id);
    sqlite3_bind_text(st, 3, row->csrf, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, row->created_at);
    sqlite3_bind_int64(st, 5, row->last_seen);
    return store__insert(c, st, &row->id);
}

enum err store_session_by_hash(struct store_conn *c, const unsigned char hash[SEC_HASH_BYTES],
                               struct session_row *out)
{
    static const char sql[] = "SELECT id, user_id, csrf, created_at, last_seen, "
                              "coalesce(ended_at, 0) FROM sessions WHERE token_hash = ?";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_blob(st, 1, hash, SEC_HASH_BYTES, SQLITE_STATIC);
    rc = store__step_row(c, st);
    if (!rc) {
        out->id = sqlite3_column_int64(st, 0);
        out->user_id = sqlite3_column_int64(st, 1);
        store__col_text(st, 2, out->csrf, sizeof(out->csrf));
        out->created_at = sqlite3_column_int64(st, 3);
        out->last_seen = sqlite3_column_int64(st, 4);
        out->ended_at = sqlite3_column_int64(st, 5);
        sqlite3_reset(st);
    }
    return rc;
}

static enum err session_set(struct store_conn *c, const char *sql, int64_t id, int64_t now)
{
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, id);
    return store__exec_done(c, st);
}

enum err store_session_touch(struct store_conn *c, int64_t id, int64_t now)
{
    static const char sql[] = "UPDATE sessions SET last_seen = ? WHERE id = ?";
    return session_set(c, sql, id, now);
}

enum err store_session_end(struct store_conn *c, int64_t id, int64_t now)
{
    static const char sql[] = "UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL";
    return session_set(c, sql, id, now);
}

/* ---- login throttling ------------------------------------------------------------------- */

enum err store_failure_get(struct store_conn *c, const char *key, struct failure_row *out)
{
    static const char sql[] =
        "SELECT failures, last_at, locked_until FROM login_failures WHERE key = ?";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);

    memset(out, 0, sizeof(*out));
    snprintf(out->key, sizeof(out->key), "%s", key);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    rc = store__step_row(c, st);
    if (!rc) {
        out->failures = sqlite3_column_int64(st, 0);
        out->last_at = sqlite3_column_int64(st, 1);
        out->locked_until = sqlite3_column_int64(st, 2);
        sqlite3_reset(st);
    }
    return rc;
}

enum err store_failure_put(struct store_conn *c, const struct failure_row *row)
{
    static const char sql[] = "INSERT OR REPLACE INTO login_failures(key, failures, last_at, "
                              "locked_until) VALUES (?, ?, ?, ?)";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, row->key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, row->failures);
    sqlite3_bind_int64(st, 3, row->last_at);
    sqlite3_bind_int64(st, 4, row->locked_until);
    return store__exec_done(c, st);
}

enum err store_failure_clear(struct store_conn *c, const char *key)
{
    static const char sql[] = "DELETE FROM login_failures WHERE key = ?";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    return store__exec_done(c, st);
}
