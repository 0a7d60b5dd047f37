/* SPDX-License-Identifier: EUPL-1.2 */
/* Rows for a client's moves within the installation and the client's region (0013_moves.sql). */
#include "core/compat.h"

#include "storage/store_int.h"

#define MOVE_COLS                                                                                  \
    "id, uid, client_id, from_phase, from_location, from_region, to_phase, to_location, "          \
    "to_region, to_area, by_user, by_role, by_org, at"

static void move_read(sqlite3_stmt *st, void *out)
{
    struct client_move_row *r = out;
    r->id = sqlite3_column_int64(st, 0);
    store__col_text(st, 1, r->uid, sizeof(r->uid));
    r->client_id = sqlite3_column_int64(st, 2);
    store__col_text(st, 3, r->from_phase, sizeof(r->from_phase));
    store__col_text(st, 4, r->from_location, sizeof(r->from_location));
    store__col_text(st, 5, r->from_region, sizeof(r->from_region));
    store__col_text(st, 6, r->to_phase, sizeof(r->to_phase));
    store__col_text(st, 7, r->to_location, sizeof(r->to_location));
    store__col_text(st, 8, r->to_region, sizeof(r->to_region));
    store__col_text(st, 9, r->to_area, sizeof(r->to_area));
    store__col_text(st, 10, r->by_user, sizeof(r->by_user));
    store__col_text(st, 11, r->by_role, sizeof(r->by_role));
    r->by_org = sqlite3_column_int64(st, 12);
    r->at = sqlite3_column_int64(st, 13);
}

enum err store_client_region_from_org(struct store_conn *c, int64_t client_id, int64_t org_id)
{
    static const char sql[] =
        "UPDATE clients SET region = coalesce((SELECT region FROM orgs WHERE id = ?1), '') "
        "WHERE id = ?2";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, org_id);
    sqlite3_bind_int64(st, 2, client_id);
    return store__exec_one(c, st);
}

struct region_out {
    char *dst;
};

static void region_read(sqlite3_stmt *st, void *out)
{
    struct region_out *o = out;
    store__col_text(st, 0, o->dst, STORE_REGION_MAX + 1);
}

enum err store_client_region(struct store_conn *c, int64_t client_id,
                             char out[STORE_REGION_MAX + 1])
{
    static const char sql[] = "SELECT region FROM clients WHERE id = ?";
    struct region_out o = {out};
    out[0] = '\0';
    return store__get_int(c, sql, client_id, region_read, &o);
}

static void known_read(sqlite3_stmt *st, void *out)
{
    *(bool *)out = sqlite3_column_int(st, 0) != 0;
}

enum err store_region_known(struct store_conn *c, const char *region, bool *known)
{
    static const char sql[] = "SELECT EXISTS (SELECT 1 FROM orgs WHERE region = ?)";
    *known = false;
    return store__get_text(c, sql, region, known_read, known);
}

static enum err client_update(struct store_conn *c, const struct client_move_row *row)
{
    static const char sql[] =
        "UPDATE clients SET phase = ?, location = ?, region = ?, updated_at = ? WHERE id = ?";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, row->to_phase, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, row->to_location, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, row->to_region, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, row->at);
    sqlite3_bind_int64(st, 5, row->client_id);
    return store__exec_one(c, st);
}

enum err store_client_move(struct store_conn *c, struct client_move_row *row)
{
    static const char sql[] = "INSERT INTO client_moves(uid, client_id, from_phase, "
                              "from_location, from_region, to_phase, to_location, to_region, "
                              "to_area, by_user, by_role, by_org, at) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st;
    enum err rc = client_update(c, row);
    rc = rc ? rc : store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, row->uid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, row->client_id);
    sqlite3_bind_text(st, 3, row->from_phase, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, row->from_location, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, row->from_region, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, row->to_phase, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, row->to_location, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, row->to_region, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, row->to_area, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, row->by_user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 11, row->by_role, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 12, row->by_org);
    sqlite3_bind_int64(st, 13, row->at);
    return store__insert(c, st, &row->id);
}

struct move_iter {
    store_client_move_fn fn;
    void *ctx;
};

static enum err move_row_cb(sqlite3_stmt *st, void *ctx)
{
    struct move_iter *it = ctx;
    struct client_move_row r;
    move_read(st, &r);
    return it->fn(&r, it->ctx);
}

enum err store_client_move_each(struct store_conn *c, int64_t client_id, store_client_move_fn fn,
                                void *ctx)
{
    static const char sql[] = "SELECT " MOVE_COLS " FROM client_moves WHERE client_id = ? "
                              "ORDER BY at, id LIMIT 500";
    struct move_iter it = {fn, ctx};
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, client_id);
    return store__iterate(c, st, move_row_cb, &it);
}

struct uid_iter {
    store_move_uid_fn fn;
    void *ctx;
};

static enum err uid_row_cb(sqlite3_stmt *st, void *ctx)
{
    struct uid_iter *it = ctx;
    char uid[STORE_UID_LEN + 1];
    store__col_text(st, 0, uid, sizeof(uid));
    return it->fn(uid, it->ctx);
}

enum err store_moved_referral_each(struct store_conn *c, const char *region, store_move_uid_fn fn,
                                   void *ctx)
{
    static const char sql[] =
        "SELECT r.uid FROM referrals r JOIN clients c ON c.id = r.client_id "
        "WHERE c.region = ?1 AND r.state IN ('sent', 'received', 'accepted', 'waitlisted', "
        "'first_contact_planned', 'first_contact_done') "
        "AND EXISTS (SELECT 1 FROM client_moves m WHERE m.client_id = c.id "
        "AND m.to_region = ?1 AND m.from_region <> ?1) "
        "ORDER BY r.created_at, r.id LIMIT 500";
    struct uid_iter it = {fn, ctx};
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, region, -1, SQLITE_STATIC);
    return store__iterate(c, st, uid_row_cb, &it);
}
