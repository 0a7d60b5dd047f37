/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Writing the social map (0004_directory.sql): organizations, locations and services as
 * canonical HSDS documents, the search index rebuilt beside each service, foreign terms and
 * taxonomies, service areas and the revision history. Documents are opaque text here; the
 * directory module derives every index value from them.
 */
#include "core/compat.h"

#include "core/mem.h"
#include "storage/store_int.h"

static char *col_dup(sqlite3_stmt *st, int i, size_t *len)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    size_t n = t ? (size_t)sqlite3_column_bytes(st, i) : 0;
    if (len) {
        *len = n;
    }
    return xstrndup(t ? t : "", n);
}

/* True when column col of the current row holds exactly doc. */
static bool same_text(sqlite3_stmt *st, int col, const char *doc, size_t len)
{
    const void *t = sqlite3_column_text(st, col);
    size_t n = t ? (size_t)sqlite3_column_bytes(st, col) : 0;
    return t && n == len && !memcmp(t, doc, len);
}

/* ---- organizations and locations ---------------------------------------------------------- */

/* Looks up (id, doc) by HSDS id: *id 0 when absent, *same when the doc is unchanged. */
static enum err find_doc(struct store_conn *c, const char *sql, const char *hsds_id,
                         const char *doc, size_t len, int64_t *id, bool *same)
{
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);

    *id = 0;
    *same = false;
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, hsds_id, -1, SQLITE_STATIC);
    rc = store__step_row(c, st);
    if (rc == ERR_NOT_FOUND) {
        return ERR_OK;
    }
    if (!rc) {
        *id = sqlite3_column_int64(st, 0);
        *same = same_text(st, 1, doc, len);
        sqlite3_reset(st);
    }
    return rc;
}

enum err store_map_org_put(struct store_conn *c, const char *hsds_id, const char *name,
                           const char *doc, size_t len, int64_t now, int64_t *id, bool *changed)
{
    static const char find[] = "SELECT id, doc FROM map_orgs WHERE hsds_id = ?";
    static const char ins[] =
        "INSERT INTO map_orgs(hsds_id, name, doc, updated_at) VALUES (?, ?, ?, ?)";
    static const char upd[] = "UPDATE map_orgs SET name = ?, doc = ?, updated_at = ? WHERE id = ?";
    sqlite3_stmt *st;
    bool same;
    enum err rc = find_doc(c, find, hsds_id, doc, len, id, &same);

    if (changed) {
        *changed = !same;
    }
    if (rc || same) {
        return rc;
    }
    if (*id) {
        rc = store__stmt(c, upd, &st);
        if (rc) {
            return rc;
        }
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, doc, (int)len, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, now);
        sqlite3_bind_int64(st, 4, *id);
        return store__exec_done(c, st);
    }
    rc = store__stmt(c, ins, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, hsds_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, doc, (int)len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, now);
    return store__insert(c, st, id);
}

static void bind_point(sqlite3_stmt *st, int i, struct store_map_point at)
{
    if (at.set) {
        sqlite3_bind_double(st, i, at.lat);
        sqlite3_bind_double(st, i + 1, at.lon);
    } else {
        sqlite3_bind_null(st, i);
        sqlite3_bind_null(st, i + 1);
    }
}

enum err store_map_location_put(struct store_conn *c, const char *hsds_id, const char *name,
                                struct store_map_point at, const char *doc, size_t len, int64_t now,
                                int64_t *id, bool *changed)
{
    static const char find[] = "SELECT id, doc FROM map_locations WHERE hsds_id = ?";
    static const char ins[] = "INSERT INTO map_locations(name, latitude, longitude, doc, "
                              "updated_at, hsds_id) VALUES (?, ?, ?, ?, ?, ?)";
    static const char upd[] = "UPDATE map_locations SET name = ?, latitude = ?, longitude = ?, "
                              "doc = ?, updated_at = ? WHERE id = ?";
    sqlite3_stmt *st;
    bool same;
    enum err rc = find_doc(c, find, hsds_id, doc, len, id, &same);

    if (changed) {
        *changed = !same;
    }
    if (rc || same) {
        return rc;
    }
    rc = store__stmt(c, *id ? upd : ins, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, name ? name : "", -1, SQLITE_STATIC);
    bind_point(st, 2, at);
    sqlite3_bind_text(st, 4, doc, (int)len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, now);
    if (*id) {
        sqlite3_bind_int64(st, 6, *id);
        return store__exec_done(c, st);
    }
    sqlite3_bind_text(st, 6, hsds_id, -1, SQLITE_STATIC);
    return store__insert(c, st, id);
}

struct id_doc {
    int64_t id;
    char *doc;
};

static void id_doc_read(sqlite3_stmt *st, void *out)
{
    struct id_doc *d = out;
    d->id = sqlite3_column_int64(st, 0);
    d->doc = col_dup(st, 1, NULL);
}

static enum err get_doc(struct store_conn *c, const char *sql, const char *hsds_id, int64_t *id,
                        char **doc)
{
    struct id_doc d = {0, NULL};
    enum err rc = store__get_text(c, sql, hsds_id, id_doc_read, &d);
    if (id) {
        *id = d.id;
    }
    if (doc) {
        *doc = d.doc;
    } else {
        free(d.doc);
    }
    return rc;
}

enum err store_map_org_get(struct store_conn *c, const char *hsds_id, int64_t *id, char **doc)
{
    static const char sql[] = "SELECT id, doc FROM map_orgs WHERE hsds_id = ?";
    return get_doc(c, sql, hsds_id, id, doc);
}

enum err store_map_location_get(struct store_conn *c, const char *hsds_id, int64_t *id, char **doc)
{
    static const char sql[] = "SELECT id, doc FROM map_locations WHERE hsds_id = ?";
    return get_doc(c, sql, hsds_id, id, doc);
}

struct org_iter {
    store_map_org_fn fn;
    void *ctx;
};

static enum err org_row(sqlite3_stmt *st, void *ctx)
{
    struct org_iter *it = ctx;
    return it->fn((const char *)sqlite3_column_text(st, 0),
                  (const char *)sqlite3_column_text(st, 1), it->ctx);
}

enum err store_map_org_each(struct store_conn *c, store_map_org_fn fn, void *ctx)
{
    static const char sql[] = "SELECT hsds_id, name FROM map_orgs ORDER BY name, hsds_id";
    struct org_iter it = {fn, ctx};
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    return rc ? rc : store__iterate(c, st, org_row, &it);
}

/* ---- services ----------------------------------------------------------------------------- */

static enum err service_id_of(struct store_conn *c, const char *hsds_id, int64_t *id)
{
    static const char sql[] = "SELECT id FROM map_services WHERE hsds_id = ?";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);

    *id = 0;
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, hsds_id, -1, SQLITE_STATIC);
    rc = store__step_row(c, st);
    if (!rc) {
        *id = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    }
    return rc == ERR_NOT_FOUND ? ERR_OK : rc;
}

static void bind_int_or_null(sqlite3_stmt *st, int i, int v)
{
    if (v < 0) {
        sqlite3_bind_null(st, i);
    } else {
        sqlite3_bind_int(st, i, v);
    }
}

/* Binds the 18 value columns shared by the insert and the update, in this order. */
#define SERVICE_SET_COLS                                                                           \
    "org_id = ?1, region = ?2, name = ?3, status = ?4, level = ?5, level_rank = ?6, "              \
    "iasc_layer = ?7, min_age = ?8, max_age = ?9, capacity = ?10, waitlist_weeks = ?11, "          \
    "capacity_updated = ?12, assured_date = ?13, assurer_email = ?14, doc = ?15, "                 \
    "updated_at = ?16, updated_by = ?17"

static void bind_service(sqlite3_stmt *st, const struct store_map_service *s)
{
    sqlite3_bind_int64(st, 1, s->org_id);
    sqlite3_bind_text(st, 2, s->region ? s->region : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, s->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, s->status, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, s->level, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, s->level_rank);
    sqlite3_bind_int(st, 7, s->iasc_layer);
    sqlite3_bind_int(st, 8, s->min_age);
    bind_int_or_null(st, 9, s->max_age);
    sqlite3_bind_text(st, 10, s->capacity, -1, SQLITE_STATIC);
    bind_int_or_null(st, 11, s->waitlist_weeks);
    store__bind_opt(st, 12, s->capacity_updated);
    store__bind_opt(st, 13, s->assured_date);
    store__bind_opt(st, 14, s->assurer_email);
    sqlite3_bind_text(st, 15, s->doc, (int)s->doc_len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 16, s->updated_at);
    sqlite3_bind_text(st, 17, s->updated_by ? s->updated_by : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 18, s->hsds_id, -1, SQLITE_STATIC);
}

static enum err service_row_put(struct store_conn *c, const struct store_map_service *s,
                                int64_t *id)
{
    static const char ins[] =
        "INSERT INTO map_services(org_id, region, name, status, level, level_rank, iasc_layer, "
        "min_age, max_age, capacity, waitlist_weeks, capacity_updated, assured_date, "
        "assurer_email, doc, updated_at, updated_by, hsds_id) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)";
    static const char upd[] = "UPDATE map_services SET " SERVICE_SET_COLS " WHERE hsds_id = ?18";
    sqlite3_stmt *st;
    enum err rc = service_id_of(c, s->hsds_id, id);

    if (!rc) {
        rc = store__stmt(c, *id ? upd : ins, &st);
    }
    if (rc) {
        return rc;
    }
    bind_service(st, s);
    return *id ? store__exec_done(c, st) : store__insert(c, st, id);
}

/* Runs a static one-parameter DELETE for the service's row id. */
static enum err delete_for(struct store_conn *c, const char *sql, int64_t id)
{
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, id);
    return store__exec_done(c, st);
}

static enum err codes_put(struct store_conn *c, int64_t id, const struct store_map_service *s)
{
    static const char del[] = "DELETE FROM map_service_codes WHERE service_id = ?";
    static const char ins[] =
        "INSERT OR IGNORE INTO map_service_codes(code, service_id) VALUES (?, ?)";
    sqlite3_stmt *st;
    enum err rc = delete_for(c, del, id);

    for (size_t i = 0; !rc && i < s->ncodes; i++) {
        rc = store__stmt(c, ins, &st);
        if (!rc) {
            sqlite3_bind_text(st, 1, s->codes[i], -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, id);
            rc = store__exec_done(c, st);
        }
    }
    return rc;
}

static enum err locations_put(struct store_conn *c, int64_t id, const struct store_map_service *s)
{
    static const char del[] = "DELETE FROM map_service_locations WHERE service_id = ?";
    static const char ins[] =
        "INSERT OR IGNORE INTO map_service_locations(service_id, location_id) VALUES (?, ?)";
    sqlite3_stmt *st;
    enum err rc = delete_for(c, del, id);

    for (size_t i = 0; !rc && i < s->nlocations; i++) {
        rc = store__stmt(c, ins, &st);
        if (!rc) {
            sqlite3_bind_int64(st, 1, id);
            sqlite3_bind_int64(st, 2, s->location_ids[i]);
            rc = store__exec_done(c, st);
        }
    }
    return rc;
}

static enum err fts_put(struct store_conn *c, int64_t id, const struct store_map_service *s)
{
    static const char del[] = "DELETE FROM map_fts WHERE rowid = ?";
    static const char ins[] = "INSERT INTO map_fts(rowid, name, description, access, org, extra) "
                              "VALUES (?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st;
    enum err rc = delete_for(c, del, id);

    if (!rc) {
        rc = store__stmt(c, ins, &st);
    }
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, id);
    for (int i = 0; i < STORE_MAP_FTS_COLS; i++) {
        sqlite3_bind_text(st, i + 2, s->fts[i] ? s->fts[i] : "", s->fts[i] ? (int)s->fts_len[i] : 0,
                          SQLITE_STATIC);
    }
    return store__exec_done(c, st);
}

enum err store_map_service_index_put(struct store_conn *c, int64_t id,
                                     const struct store_map_service *s)
{
    enum err rc = codes_put(c, id, s);
    if (!rc) {
        rc = locations_put(c, id, s);
    }
    if (!rc) {
        rc = fts_put(c, id, s);
    }
    return rc;
}

enum err store_map_service_put(struct store_conn *c, const struct store_map_service *s, int64_t *id)
{
    enum err rc = service_row_put(c, s, id);
    return rc ? rc : store_map_service_index_put(c, *id, s);
}

struct id_iter {
    store_map_id_fn fn;
    void *ctx;
};

static enum err id_row(sqlite3_stmt *st, void *ctx)
{
    struct id_iter *it = ctx;
    return it->fn(sqlite3_column_int64(st, 0), it->ctx);
}

/* Runs a static query with one row-id parameter that yields service row ids. */
static enum err ids_for(struct store_conn *c, const char *sql, int64_t key, store_map_id_fn fn,
                        void *ctx)
{
    struct id_iter it = {fn, ctx};
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, key);
    return store__iterate(c, st, id_row, &it);
}

enum err store_map_org_services(struct store_conn *c, int64_t org_id, store_map_id_fn fn, void *ctx)
{
    static const char sql[] = "SELECT id FROM map_services WHERE org_id = ? ORDER BY id";
    return ids_for(c, sql, org_id, fn, ctx);
}

enum err store_map_location_services(struct store_conn *c, int64_t location_id, store_map_id_fn fn,
                                     void *ctx)
{
    static const char sql[] = "SELECT service_id FROM map_service_locations "
                              "WHERE location_id = ? ORDER BY service_id";
    return ids_for(c, sql, location_id, fn, ctx);
}

/* ---- reading services back ---------------------------------------------------------------- */

#define STORED_COLS "s.id, s.hsds_id, s.region, s.doc, o.doc"

void store_map_stored_release(struct store_map_stored *s)
{
    free(s->doc);
    free(s->org_doc);
    s->doc = s->org_doc = NULL;
}

static void stored_read(sqlite3_stmt *st, void *out)
{
    struct store_map_stored *s = out;
    s->id = sqlite3_column_int64(st, 0);
    store__col_text(st, 1, s->hsds_id, sizeof(s->hsds_id));
    store__col_text(st, 2, s->region, sizeof(s->region));
    s->doc = col_dup(st, 3, &s->doc_len);
    s->org_doc = col_dup(st, 4, &s->org_doc_len);
}

enum err store_map_service_get(struct store_conn *c, const char *hsds_id,
                               struct store_map_stored *out)
{
    static const char sql[] = "SELECT " STORED_COLS " FROM map_services s "
                              "JOIN map_orgs o ON o.id = s.org_id WHERE s.hsds_id = ?";
    memset(out, 0, sizeof(*out));
    return store__get_text(c, sql, hsds_id, stored_read, out);
}

struct doc_iter {
    store_map_doc_fn fn;
    void *ctx;
};

static enum err doc_row(sqlite3_stmt *st, void *ctx)
{
    struct doc_iter *it = ctx;
    return it->fn((const char *)sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0),
                  it->ctx);
}

enum err store_map_service_locations(struct store_conn *c, int64_t service_id, store_map_doc_fn fn,
                                     void *ctx)
{
    static const char sql[] = "SELECT l.doc FROM map_service_locations sl "
                              "JOIN map_locations l ON l.id = sl.location_id "
                              "WHERE sl.service_id = ? ORDER BY l.hsds_id";
    struct doc_iter it = {fn, ctx};
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, service_id);
    return store__iterate(c, st, doc_row, &it);
}

struct stored_iter {
    store_map_stored_fn fn;
    void *ctx;
};

static enum err stored_row(sqlite3_stmt *st, void *ctx)
{
    struct stored_iter *it = ctx;
    struct store_map_stored s;
    enum err rc;

    memset(&s, 0, sizeof(s));
    stored_read(st, &s);
    rc = it->fn(&s, it->ctx);
    store_map_stored_release(&s);
    return rc;
}

enum err store_map_service_each(struct store_conn *c, store_map_stored_fn fn, void *ctx)
{
    static const char sql[] = "SELECT " STORED_COLS " FROM map_services s "
                              "JOIN map_orgs o ON o.id = s.org_id ORDER BY s.hsds_id";
    struct stored_iter it = {fn, ctx};
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    return rc ? rc : store__iterate(c, st, stored_row, &it);
}

/* ---- terms, taxonomies, areas ------------------------------------------------------------- */

static enum err put_verbatim(struct store_conn *c, const char *sql, const char *hsds_id,
                             const char *doc, size_t len)
{
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, hsds_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, doc, (int)len, SQLITE_STATIC);
    return store__exec_done(c, st);
}

enum err store_map_term_put(struct store_conn *c, const char *hsds_id, const char *doc, size_t len)
{
    static const char sql[] = "INSERT OR REPLACE INTO map_terms(hsds_id, doc) VALUES (?, ?)";
    return put_verbatim(c, sql, hsds_id, doc, len);
}

enum err store_map_taxonomy_put(struct store_conn *c, const char *hsds_id, const char *doc,
                                size_t len)
{
    static const char sql[] = "INSERT OR REPLACE INTO map_taxonomies(hsds_id, doc) VALUES (?, ?)";
    return put_verbatim(c, sql, hsds_id, doc, len);
}

static enum err area_write(struct store_conn *c, const char *sql, const struct store_map_area *a)
{
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, a->uri, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, a->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, a->kind, -1, SQLITE_STATIC);
    store__bind_opt(st, 4, a->parent_uri);
    return store__exec_done(c, st);
}

enum err store_map_area_add(struct store_conn *c, const struct store_map_area *a)
{
    static const char sql[] =
        "INSERT OR IGNORE INTO map_areas(uri, name, kind, parent_uri) VALUES (?, ?, ?, ?)";
    return area_write(c, sql, a);
}

enum err store_map_area_set(struct store_conn *c, const struct store_map_area *a)
{
    static const char sql[] =
        "INSERT OR REPLACE INTO map_areas(uri, name, kind, parent_uri) VALUES (?, ?, ?, ?)";
    return area_write(c, sql, a);
}

static void area_read(sqlite3_stmt *st, void *out)
{
    struct store_map_area *a = out;
    store__col_text(st, 0, a->uri, sizeof(a->uri));
    store__col_text(st, 1, a->name, sizeof(a->name));
    store__col_text(st, 2, a->kind, sizeof(a->kind));
    store__col_text(st, 3, a->parent_uri, sizeof(a->parent_uri));
}

enum err store_map_area_get(struct store_conn *c, const char *uri, struct store_map_area *out)
{
    static const char sql[] = "SELECT uri, name, kind, parent_uri FROM map_areas WHERE uri = ?";
    memset(out, 0, sizeof(*out));
    return store__get_text(c, sql, uri, area_read, out);
}

/* ---- revisions ---------------------------------------------------------------------------- */

enum err store_map_revision_add(struct store_conn *c, const struct store_map_revision *r)
{
    static const char sql[] = "INSERT INTO map_revisions(service_id, at, by_user, source, "
                              "fields, prev_doc) VALUES (?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, r->service_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, r->at);
    sqlite3_bind_text(st, 3, r->by_user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, r->source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, r->fields ? r->fields : "[]", -1, SQLITE_STATIC);
    if (r->prev_doc) {
        sqlite3_bind_text(st, 6, r->prev_doc, -1, SQLITE_STATIC);
    } else {
        sqlite3_bind_null(st, 6);
    }
    return store__exec_done(c, st);
}

struct rev_iter {
    store_map_revision_fn fn;
    void *ctx;
};

static enum err rev_row(sqlite3_stmt *st, void *ctx)
{
    struct rev_iter *it = ctx;
    struct store_map_revision r;

    memset(&r, 0, sizeof(r));
    store__col_text(st, 0, r.service_id, sizeof(r.service_id));
    r.at = sqlite3_column_int64(st, 1);
    store__col_text(st, 2, r.by_user, sizeof(r.by_user));
    store__col_text(st, 3, r.source, sizeof(r.source));
    r.fields = (const char *)sqlite3_column_text(st, 4);
    return it->fn(&r, it->ctx);
}

enum err store_map_revision_each(struct store_conn *c, const char *service_id, int limit,
                                 store_map_revision_fn fn, void *ctx)
{
    static const char sql[] = "SELECT service_id, at, by_user, source, fields FROM map_revisions "
                              "WHERE service_id = ? ORDER BY at DESC, id DESC LIMIT ?";
    struct rev_iter it = {fn, ctx};
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, service_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, limit);
    return store__iterate(c, st, rev_row, &it);
}

/* ---- demo reset --------------------------------------------------------------------------- */

enum err store_map_wipe(struct store_conn *c)
{
    static const char *const sql[] = {
        "DELETE FROM map_fts",
        "DELETE FROM map_service_codes",
        "DELETE FROM map_service_locations",
        "DELETE FROM map_services",
        "DELETE FROM map_locations",
        "DELETE FROM map_orgs",
        "DELETE FROM map_terms",
        "DELETE FROM map_taxonomies",
        "DELETE FROM map_areas",
        "DELETE FROM map_revisions",
    };
    enum err rc = ERR_OK;
    for (size_t i = 0; !rc && i < ARRAY_SIZE(sql); i++) {
        sqlite3_stmt *st;
        rc = store__stmt(c, sql[i], &st);
        if (!rc) {
            rc = store__exec_done(c, st);
        }
    }
    return rc;
}
