/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Reading the social map's search index (0004_directory.sql) for the directory module's search,
 * views and chain overview. The queries are small and fixed: each yields the service row ids of
 * one code, one code prefix, an age, a text match, or a bounding box, and the directory module
 * combines them (bitmaps per filter, so that each facet can leave out its own filter). Every
 * value is bound; nothing from a request is pasted into SQL.
 */
#include "core/compat.h"

#include "core/mem.h"
#include "storage/store_int.h"

struct code_iter {
    store_map_code_fn fn;
    void *ctx;
};

static enum err code_row(sqlite3_stmt *st, void *ctx)
{
    struct code_iter *it = ctx;
    return it->fn((const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1), it->ctx);
}

enum err store_map_prefix_each(struct store_conn *c, const char *prefix, store_map_code_fn fn,
                               void *ctx)
{
    /* a range on the primary key: prefix <= code < prefix with its last byte incremented */
    static const char sql[] = "SELECT code, service_id FROM map_service_codes "
                              "WHERE code >= ?1 AND code < ?2 ORDER BY code";
    struct code_iter it = {fn, ctx};
    size_t n = strlen(prefix);
    char *hi;
    sqlite3_stmt *st;
    enum err rc;

    if (n == 0 || (unsigned char)prefix[n - 1] == 0xff) {
        return ERR_INVALID;
    }
    rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    hi = xstrdup(prefix);
    hi[n - 1]++;
    sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, hi, -1, SQLITE_TRANSIENT);
    free(hi);
    return store__iterate(c, st, code_row, &it);
}

struct rank_iter {
    store_map_rank_fn fn;
    void *ctx;
};

static enum err rank_row(sqlite3_stmt *st, void *ctx)
{
    struct rank_iter *it = ctx;
    return it->fn(sqlite3_column_int64(st, 0), sqlite3_column_double(st, 1), it->ctx);
}

enum err store_map_fts_each(struct store_conn *c, const char *match,
                            const double weights[STORE_MAP_FTS_COLS], store_map_rank_fn fn,
                            void *ctx)
{
    static const char sql[] = "SELECT rowid, bm25(map_fts, ?2, ?3, ?4, ?5, ?6) FROM map_fts "
                              "WHERE map_fts MATCH ?1";
    struct rank_iter it = {fn, ctx};
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);

    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    for (int i = 0; i < STORE_MAP_FTS_COLS; i++) {
        sqlite3_bind_double(st, i + 2, weights[i]);
    }
    rc = store__iterate(c, st, rank_row, &it);
    /* the expression is built from quoted terms, so a syntax error is ours, not the user's */
    return rc == ERR_DB ? ERR_INTERNAL : rc;
}

struct point_iter {
    store_map_point_fn fn;
    void *ctx;
};

static enum err point_row(sqlite3_stmt *st, void *ctx)
{
    struct point_iter *it = ctx;
    return it->fn(sqlite3_column_int64(st, 0), sqlite3_column_double(st, 1),
                  sqlite3_column_double(st, 2), it->ctx);
}

enum err store_map_points_in_box(struct store_conn *c, double lat_min, double lat_max,
                                 double lon_min, double lon_max, store_map_point_fn fn, void *ctx)
{
    static const char sql[] = "SELECT sl.service_id, l.latitude, l.longitude FROM map_locations l "
                              "JOIN map_service_locations sl ON sl.location_id = l.id "
                              "WHERE l.latitude IS NOT NULL AND l.latitude BETWEEN ?1 AND ?2 "
                              "AND l.longitude BETWEEN ?3 AND ?4";
    struct point_iter it = {fn, ctx};
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);

    if (rc) {
        return rc;
    }
    sqlite3_bind_double(st, 1, lat_min);
    sqlite3_bind_double(st, 2, lat_max);
    sqlite3_bind_double(st, 3, lon_min);
    sqlite3_bind_double(st, 4, lon_max);
    return store__iterate(c, st, point_row, &it);
}

enum err store_map_ordered_each(struct store_conn *c, store_map_visit_fn fn, void *ctx)
{
    static const char sql[] = "SELECT id FROM map_services ORDER BY level_rank, name, id";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    int step = SQLITE_DONE;

    if (rc) {
        return rc;
    }
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (!fn(sqlite3_column_int64(st, 0), ctx)) {
            step = SQLITE_DONE;
            break;
        }
    }
    rc = step == SQLITE_DONE ? ERR_OK : store__err(c, step);
    sqlite3_reset(st);
    return rc;
}

static void area_read(sqlite3_stmt *st, struct store_map_area *a)
{
    store__col_text(st, 0, a->uri, sizeof(a->uri));
    store__col_text(st, 1, a->name, sizeof(a->name));
    store__col_text(st, 2, a->kind, sizeof(a->kind));
    store__col_text(st, 3, a->parent_uri, sizeof(a->parent_uri));
}

struct area_iter {
    store_map_area_fn fn;
    void *ctx;
};

static enum err area_row(sqlite3_stmt *st, void *ctx)
{
    struct area_iter *it = ctx;
    struct store_map_area a;

    area_read(st, &a);
    return it->fn(&a, it->ctx);
}

enum err store_map_area_each(struct store_conn *c, store_map_area_fn fn, void *ctx)
{
    static const char sql[] = "SELECT uri, name, kind, coalesce(parent_uri, '') FROM map_areas "
                              "ORDER BY CASE kind WHEN 'national' THEN 0 WHEN 'municipality' "
                              "THEN 1 WHEN 'coa_location' THEN 2 ELSE 3 END, name, uri";
    struct area_iter it = {fn, ctx};
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);

    return rc ? rc : store__iterate(c, st, area_row, &it);
}

static char *col_dup(sqlite3_stmt *st, int i, size_t *len)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    size_t n = t ? (size_t)sqlite3_column_bytes(st, i) : 0;

    *len = n;
    return xstrndup(t ? t : "", n);
}

enum err store_map_stored_by_id(struct store_conn *c, int64_t id, struct store_map_stored *out)
{
    static const char sql[] = "SELECT s.id, s.hsds_id, s.region, s.doc, o.doc FROM map_services s "
                              "JOIN map_orgs o ON o.id = s.org_id WHERE s.id = ?";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);

    memset(out, 0, sizeof(*out));
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, id);
    rc = store__step_row(c, st);
    if (rc) {
        return rc;
    }
    out->id = sqlite3_column_int64(st, 0);
    store__col_text(st, 1, out->hsds_id, sizeof(out->hsds_id));
    store__col_text(st, 2, out->region, sizeof(out->region));
    out->doc = col_dup(st, 3, &out->doc_len);
    out->org_doc = col_dup(st, 4, &out->org_doc_len);
    sqlite3_reset(st);
    return ERR_OK;
}

enum err store_map_generation(struct store_conn *c, int64_t *gen, int64_t *max_id)
{
    static const char sql[] = "SELECT generation, (SELECT coalesce(max(id), 0) FROM map_services) "
                              "FROM map_state WHERE id = 1";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);

    *gen = *max_id = 0;
    if (!rc) {
        rc = store__step_row(c, st);
    }
    if (!rc) {
        *gen = sqlite3_column_int64(st, 0);
        *max_id = sqlite3_column_int64(st, 1);
        sqlite3_reset(st);
    }
    return rc;
}

struct age_iter {
    store_map_age_fn fn;
    void *ctx;
};

static enum err age_row(sqlite3_stmt *st, void *ctx)
{
    struct age_iter *it = ctx;
    int max = sqlite3_column_type(st, 2) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 2);

    return it->fn(sqlite3_column_int64(st, 0), sqlite3_column_int(st, 1), max, it->ctx);
}

enum err store_map_age_all(struct store_conn *c, store_map_age_fn fn, void *ctx)
{
    static const char sql[] = "SELECT id, min_age, max_age FROM map_services";
    struct age_iter it = {fn, ctx};
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);

    return rc ? rc : store__iterate(c, st, age_row, &it);
}
