/* SPDX-License-Identifier: EUPL-1.2 */
/* Rows for clients and consent grants. */
#include "core/compat.h"

#include "storage/store_int.h"

/* ---- clients ---------------------------------------------------------------------------- */

#define CLIENT_COLS                                                                                \
    "c.id, c.pid, c.year_of_birth, c.gender, c.country_of_origin, c.language, c.phase, "           \
    "c.location, c.risk_flags, c.name, c.phone, c.created_by_user, c.created_by_org, "             \
    "c.created_at"

static void client_read(sqlite3_stmt *st, void *out)
{
    struct client_row *r = out;
    r->id = sqlite3_column_int64(st, 0);
    store__col_text(st, 1, r->pid, sizeof(r->pid));
    r->year_of_birth = sqlite3_column_int64(st, 2);
    store__col_text(st, 3, r->gender, sizeof(r->gender));
    store__col_text(st, 4, r->country, sizeof(r->country));
    store__col_text(st, 5, r->language, sizeof(r->language));
    store__col_text(st, 6, r->phase, sizeof(r->phase));
    store__col_text(st, 7, r->location, sizeof(r->location));
    r->risk_flags = (uint32_t)sqlite3_column_int64(st, 8);
    store__col_sealed(st, 9, r->name.b, sizeof(r->name.b), &r->name.len);
    store__col_sealed(st, 10, r->phone.b, sizeof(r->phone.b), &r->phone.len);
    store__col_text(st, 11, r->created_by_user, sizeof(r->created_by_user));
    r->created_by_org = sqlite3_column_int64(st, 12);
    r->created_at = sqlite3_column_int64(st, 13);
}

enum err store_client_insert(struct store_conn *c, struct client_row *row)
{
    static const char sql[] =
        "INSERT INTO clients(pid, year_of_birth, gender, country_of_origin, language, phase, "
        "location, risk_flags, name, phone, created_by_user, created_by_org, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, row->pid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, row->year_of_birth);
    sqlite3_bind_text(st, 3, row->gender, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, row->country, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, row->language, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, row->phase, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, row->location, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, row->risk_flags);
    store__bind_sealed(st, 9, row->name.b, row->name.len);
    store__bind_sealed(st, 10, row->phone.b, row->phone.len);
    sqlite3_bind_text(st, 11, row->created_by_user, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 12, row->created_by_org);
    sqlite3_bind_int64(st, 13, row->created_at);
    sqlite3_bind_int64(st, 14, row->created_at);
    return store__insert(c, st, &row->id);
}

enum err store_client_by_pid(struct store_conn *c, const char *pid, struct client_row *out)
{
    static const char sql[] = "SELECT " CLIENT_COLS " FROM clients c WHERE c.pid = ?";
    return store__get_text(c, sql, pid, client_read, out);
}

enum err store_client_by_id(struct store_conn *c, int64_t id, struct client_row *out)
{
    static const char sql[] = "SELECT " CLIENT_COLS " FROM clients c WHERE c.id = ?";
    return store__get_int(c, sql, id, client_read, out);
}

struct client_iter {
    store_client_fn fn;
    void *ctx;
};

static enum err client_row_cb(sqlite3_stmt *st, void *ctx)
{
    struct client_iter *it = ctx;
    struct client_row r;
    client_read(st, &r);
    return it->fn(&r, it->ctx);
}

enum err store_client_each_for_org(struct store_conn *c, int64_t org_id, int64_t now, int limit,
                                   store_client_fn fn, void *ctx)
{
    static const char sql[] =
        "SELECT " CLIENT_COLS " FROM clients c WHERE c.id IN (SELECT g.client_id FROM grants g "
        "WHERE g.org_id = ?1 AND g.revoked_at IS NULL AND g.expires_at > ?2) "
        "ORDER BY c.created_at DESC, c.id DESC LIMIT ?3";
    struct client_iter it = {fn, ctx};
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);

    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, org_id);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_int(st, 3, limit);
    return store__iterate(c, st, client_row_cb, &it);
}

/* ---- grants ----------------------------------------------------------------------------- */

#define GRANT_COLS                                                                                 \
    "id, uid, client_id, org_id, scopes, basis, granted_by_user, granted_by_role, "                \
    "granted_by_org, created_at, expires_at, coalesce(revoked_at, 0), purpose, "                   \
    "coalesce(confirmed_at, 0), coalesce(changed_at, 0)"

static void grant_read(sqlite3_stmt *st, void *out)
{
    struct grant_row *g = out;
    g->id = sqlite3_column_int64(st, 0);
    store__col_text(st, 1, g->uid, sizeof(g->uid));
    g->client_id = sqlite3_column_int64(st, 2);
    g->org_id = sqlite3_column_int64(st, 3);
    g->scopes = (uint32_t)sqlite3_column_int64(st, 4);
    store__col_text(st, 5, g->basis, sizeof(g->basis));
    store__col_text(st, 6, g->granted_by_user, sizeof(g->granted_by_user));
    store__col_text(st, 7, g->granted_by_role, sizeof(g->granted_by_role));
    g->granted_by_org = sqlite3_column_int64(st, 8);
    g->created_at = sqlite3_column_int64(st, 9);
    g->expires_at = sqlite3_column_int64(st, 10);
    g->revoked_at = sqlite3_column_int64(st, 11);
    store__col_text(st, 12, g->purpose, sizeof(g->purpose));
    g->confirmed_at = sqlite3_column_int64(st, 13);
    g->changed_at = sqlite3_column_int64(st, 14);
}

enum err store_grant_insert(struct store_conn *c, struct grant_row *row)
{
    static const char sql[] =
        "INSERT INTO grants(uid, client_id, org_id, scopes, basis, granted_by_user, "
        "granted_by_role, granted_by_org, created_at, expires_at, purpose, confirmed_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, nullif(?, 0))";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, row->uid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, row->client_id);
    sqlite3_bind_int64(st, 3, row->org_id);
    sqlite3_bind_int64(st, 4, row->scopes);
    sqlite3_bind_text(st, 5, row->basis, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, row->granted_by_user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, row->granted_by_role, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, row->granted_by_org);
    sqlite3_bind_int64(st, 9, row->created_at);
    sqlite3_bind_int64(st, 10, row->expires_at);
    sqlite3_bind_text(st, 11, row->purpose[0] ? row->purpose : "care", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 12, row->confirmed_at);
    return store__insert(c, st, &row->id);
}

/* Runs a prepared UPDATE and maps "no row changed" to ERR_NOT_FOUND. */
enum err store_grant_update(struct store_conn *c, int64_t id, uint32_t scopes, int64_t expires_at,
                            int64_t now)
{
    static const char sql[] = "UPDATE grants SET scopes = ?, expires_at = ?, changed_at = ? "
                              "WHERE id = ? AND revoked_at IS NULL";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, scopes);
    sqlite3_bind_int64(st, 2, expires_at);
    sqlite3_bind_int64(st, 3, now);
    sqlite3_bind_int64(st, 4, id);
    return store__exec_one(c, st);
}

enum err store_grant_confirm(struct store_conn *c, int64_t id, int64_t now)
{
    static const char sql[] = "UPDATE grants SET confirmed_at = ? "
                              "WHERE id = ? AND revoked_at IS NULL AND confirmed_at IS NULL";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, id);
    return store__exec_one(c, st);
}

enum err store_grant_by_uid(struct store_conn *c, const char *uid, struct grant_row *out)
{
    static const char sql[] = "SELECT " GRANT_COLS " FROM grants WHERE uid = ?";
    return store__get_text(c, sql, uid, grant_read, out);
}

enum err store_grant_revoke(struct store_conn *c, int64_t id, const char *by_user, int64_t now)
{
    static const char sql[] = "UPDATE grants SET revoked_at = ?, revoked_by_user = ? "
                              "WHERE id = ? AND revoked_at IS NULL";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_text(st, 2, by_user, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, id);
    return store__exec_one(c, st);
}

struct grant_iter {
    store_grant_fn fn;
    void *ctx;
};

static enum err grant_row_cb(sqlite3_stmt *st, void *ctx)
{
    struct grant_iter *it = ctx;
    struct grant_row g;
    grant_read(st, &g);
    return it->fn(&g, it->ctx);
}

enum err store_grant_each_for_client(struct store_conn *c, int64_t client_id, store_grant_fn fn,
                                     void *ctx)
{
    static const char sql[] =
        "SELECT " GRANT_COLS " FROM grants WHERE client_id = ? ORDER BY created_at DESC, id DESC";
    struct grant_iter it = {fn, ctx};
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);

    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, client_id);
    return store__iterate(c, st, grant_row_cb, &it);
}

enum err store_grant_active_scopes(struct store_conn *c, int64_t client_id, int64_t org_id,
                                   int64_t now, uint32_t *scopes)
{
    static const char sql[] = "SELECT scopes FROM grants WHERE client_id = ? AND org_id = ? "
                              "AND revoked_at IS NULL AND expires_at > ?";
    sqlite3_stmt *st;
    int step = SQLITE_DONE;
    enum err rc = store__stmt(c, sql, &st);

    *scopes = 0;
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, client_id);
    sqlite3_bind_int64(st, 2, org_id);
    sqlite3_bind_int64(st, 3, now);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        *scopes |= (uint32_t)sqlite3_column_int64(st, 0);
    }
    rc = step == SQLITE_DONE ? ERR_OK : store__err(c, step);
    sqlite3_reset(st);
    return rc;
}

/* ---- grant requests --------------------------------------------------------------------- */

#define REQUEST_COLS                                                                               \
    "id, uid, client_id, org_id, scopes, purpose, days, requested_by_user, requested_by_role, "    \
    "requested_by_org, created_at, state, coalesce(decided_at, 0)"

static void request_read(sqlite3_stmt *st, void *out)
{
    struct grant_request_row *q = out;
    q->id = sqlite3_column_int64(st, 0);
    store__col_text(st, 1, q->uid, sizeof(q->uid));
    q->client_id = sqlite3_column_int64(st, 2);
    q->org_id = sqlite3_column_int64(st, 3);
    q->scopes = (uint32_t)sqlite3_column_int64(st, 4);
    store__col_text(st, 5, q->purpose, sizeof(q->purpose));
    q->days = sqlite3_column_int64(st, 6);
    store__col_text(st, 7, q->requested_by_user, sizeof(q->requested_by_user));
    store__col_text(st, 8, q->requested_by_role, sizeof(q->requested_by_role));
    q->requested_by_org = sqlite3_column_int64(st, 9);
    q->created_at = sqlite3_column_int64(st, 10);
    store__col_text(st, 11, q->state, sizeof(q->state));
    q->decided_at = sqlite3_column_int64(st, 12);
}

enum err store_grant_request_insert(struct store_conn *c, struct grant_request_row *row)
{
    static const char sql[] =
        "INSERT INTO grant_requests(uid, client_id, org_id, scopes, purpose, days, "
        "requested_by_user, requested_by_role, requested_by_org, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, row->uid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, row->client_id);
    sqlite3_bind_int64(st, 3, row->org_id);
    sqlite3_bind_int64(st, 4, row->scopes);
    sqlite3_bind_text(st, 5, row->purpose, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, row->days);
    sqlite3_bind_text(st, 7, row->requested_by_user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, row->requested_by_role, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 9, row->requested_by_org);
    sqlite3_bind_int64(st, 10, row->created_at);
    return store__insert(c, st, &row->id);
}

enum err store_grant_request_by_uid(struct store_conn *c, const char *uid,
                                    struct grant_request_row *out)
{
    static const char sql[] = "SELECT " REQUEST_COLS " FROM grant_requests WHERE uid = ?";
    return store__get_text(c, sql, uid, request_read, out);
}

enum err store_grant_request_decide(struct store_conn *c, int64_t id, const char *state,
                                    const char *by_user, int64_t now)
{
    static const char sql[] = "UPDATE grant_requests SET state = ?, decided_at = ?, "
                              "decided_by_user = ? WHERE id = ? AND state = 'open'";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_text(st, 3, by_user, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, id);
    return store__exec_one(c, st);
}

struct request_iter {
    store_grant_request_fn fn;
    void *ctx;
};

static enum err request_row_cb(sqlite3_stmt *st, void *ctx)
{
    struct request_iter *it = ctx;
    struct grant_request_row q;
    request_read(st, &q);
    return it->fn(&q, it->ctx);
}

enum err store_grant_request_each_for_client(struct store_conn *c, int64_t client_id,
                                             store_grant_request_fn fn, void *ctx)
{
    static const char sql[] = "SELECT " REQUEST_COLS " FROM grant_requests WHERE client_id = ? "
                              "AND state <> 'accepted' ORDER BY created_at DESC, id DESC";
    struct request_iter it = {fn, ctx};
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);

    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, client_id);
    return store__iterate(c, st, request_row_cb, &it);
}
