/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Storing checked HSDS packages: each service's organization and locations once, the service
 * document without them, its search index, its service areas and any foreign taxonomy terms.
 * A re-import updates by HSDS id and writes only what changed; every created or changed service
 * gets a revision row, the whole import one audit row. When an organization or location document
 * changes, the stored services of it that the package left out get their index rebuilt too (their
 * documents and revisions stay as they are). The caller holds the write transaction, so an import
 * is all or nothing.
 */
#include "core/compat.h"

#include "core/clock.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/sec.h"
#include "directory/directory_int.h"

#define DOC_MAX ((size_t)HSDS_FILE_MAX)

/* ---- small helpers shared by the module's writers ----------------------------------------- */

void dir__uuid_v4(char out[DIR_UUID_LEN + 1])
{
    unsigned char b[16];
    sec_random(b, sizeof(b));
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, DIR_UUID_LEN + 1,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
             b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
             b[15]);
}

void dir__today(char out[11])
{
    clock_nl_date(clock_now_ms(), out);
}

void dir__put_release(struct dir__put *p)
{
    free(p->prev_doc);
    json_decref(p->fields);
    p->prev_doc = NULL;
    p->fields = NULL;
}

/* ---- organizations, locations ------------------------------------------------------------- */

/* Looks id up in seen[kind]: true with *row and *changed when this run stored it already. */
static bool seen_get(json_t *seen, const char *kind, const char *id, int64_t *row, bool *changed)
{
    json_t *e = json_object_get(json_object_get(seen, kind), id);
    if (!e) {
        return false;
    }
    *row = json_integer_value(json_array_get(e, 0));
    *changed = json_is_true(json_array_get(e, 1));
    return true;
}

static void seen_put(json_t *seen, const char *kind, const char *id, int64_t row, bool changed)
{
    json_t *m = json_object_get(seen, kind);
    if (!seen) {
        return;
    }
    if (!m) {
        m = json_object();
        json_object_set_new(seen, kind, m);
    }
    json_object_set_new(m, id, json_pack("[I, b]", (json_int_t)row, changed));
}

static enum err put_org(struct store_conn *c, json_t *service, int64_t now, json_t *seen,
                        int64_t *row, bool *changed)
{
    json_t *org = json_object_get(service, "organization");
    const char *id = json_string_value(json_object_get(org, "id"));
    struct buf doc = BUF_INIT(DOC_MAX);
    enum err rc;

    *changed = false;
    if (!org) {
        /* a service without its nested organization refers to a stored one */
        id = json_string_value(json_object_get(service, "organization_id"));
        rc = id ? store_map_org_get(c, id, row, NULL) : ERR_INVALID;
        return rc == ERR_NOT_FOUND ? ERR_INVALID : rc;
    }
    if (!id) {
        return ERR_INVALID;
    }
    if (seen_get(seen, "o", id, row, changed)) {
        return ERR_OK;
    }
    rc = hsds_dump_canonical(org, &doc);
    if (!rc) {
        const char *name = json_string_value(json_object_get(org, "name"));
        rc = store_map_org_put(c, id, name ? name : "", doc.ptr, doc.len, now, row, changed);
    }
    if (!rc) {
        seen_put(seen, "o", id, *row, *changed);
    }
    buf_release(&doc);
    return rc;
}

static struct store_map_point location_point(const json_t *loc)
{
    struct store_map_point p = {false, 0, 0};
    const json_t *lat = json_object_get(loc, "latitude");
    const json_t *lon = json_object_get(loc, "longitude");
    if (json_is_number(lat) && json_is_number(lon)) {
        p.set = true;
        p.lat = json_number_value(lat);
        p.lon = json_number_value(lon);
    }
    return p;
}

static enum err put_location(struct store_conn *c, json_t *loc, const char *id, int64_t now,
                             json_t *seen, int64_t *row, bool *changed)
{
    struct buf doc = BUF_INIT(DOC_MAX);
    enum err rc;

    *changed = false;
    if (!loc) {
        rc = store_map_location_get(c, id, row, NULL);
        return rc == ERR_NOT_FOUND ? ERR_INVALID : rc;
    }
    if (seen_get(seen, "l", id, row, changed)) {
        return ERR_OK;
    }
    rc = hsds_dump_canonical(loc, &doc);
    if (!rc) {
        rc = store_map_location_put(c, id, json_string_value(json_object_get(loc, "name")),
                                    location_point(loc), doc.ptr, doc.len, now, row, changed);
    }
    if (!rc) {
        seen_put(seen, "l", id, *row, *changed);
    }
    buf_release(&doc);
    return rc;
}

/* Stores every location of the service; rows maps HSDS id -> row id (JSON integers). */
static enum err put_locations(struct store_conn *c, json_t *service, int64_t now, json_t *seen,
                              json_t *rows, bool *changed)
{
    json_t *sal;
    size_t i;

    json_array_foreach(json_object_get(service, "service_at_locations"), i, sal)
    {
        json_t *loc = json_object_get(sal, "location");
        const char *id = json_string_value(json_object_get(sal, "location_id"));
        int64_t row = 0;
        bool ch = false;
        enum err rc;

        if (!id) {
            id = json_string_value(json_object_get(loc, "id"));
        }
        if (!id) {
            return ERR_INVALID;
        }
        rc = put_location(c, loc, id, now, seen, &row, &ch);
        if (rc) {
            return rc;
        }
        *changed |= ch;
        json_object_set_new(rows, id, json_integer(row));
    }
    return ERR_OK;
}

/* ---- the service document ----------------------------------------------------------------- */

/* A shallow copy of the service without `organization` and service_at_locations[].location. */
static json_t *service_stripped(json_t *service)
{
    json_t *copy = json_copy(service);
    json_t *sals = json_object_get(service, "service_at_locations");
    json_t *sal;
    size_t i;

    json_object_del(copy, "organization");
    if (json_is_array(sals)) {
        json_t *out = json_array();
        json_array_foreach(sals, i, sal)
        {
            json_t *s = json_copy(sal);
            json_object_del(s, "location");
            json_array_append_new(out, s);
        }
        json_object_set_new(copy, "service_at_locations", out);
    }
    return copy;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The sorted names of the members of `set` (an object used as a set), as a JSON array. */
static json_t *sorted_keys(json_t *set)
{
    size_t n = json_object_size(set), i = 0;
    const char **keys = xcalloc(n ? n : 1, sizeof(*keys));
    const char *k;
    json_t *v, *out = json_array();

    json_object_foreach(set, k, v)
    {
        keys[i++] = k;
    }
    qsort(keys, n, sizeof(*keys), cmp_str);
    for (i = 0; i < n; i++) {
        json_array_append_new(out, json_string(keys[i]));
    }
    free(keys);
    return out;
}

/* Top-level members that differ between prev (may be NULL) and next. */
static json_t *changed_members(json_t *prev, json_t *next)
{
    json_t *set = json_object(), *out, *v;
    const char *k;

    json_object_foreach(next, k, v)
    {
        if (!json_equal(v, json_object_get(prev, k))) {
            json_object_set(set, k, json_true());
        }
    }
    json_object_foreach(prev, k, v)
    {
        if (!json_object_get(next, k)) {
            json_object_set(set, k, json_true());
        }
    }
    out = sorted_keys(set);
    json_decref(set);
    return out;
}

static const char *area_kind(const char *uri)
{
    if (strstr(uri, ":gemeente:")) {
        return "municipality";
    }
    if (strstr(uri, ":coa-locatie:")) {
        return "coa_location";
    }
    return strcmp(uri, "urn:veerkracht:area:nl") ? "other" : "national";
}

static enum err put_areas(struct store_conn *c, const json_t *service)
{
    const json_t *sa;
    size_t i;

    json_array_foreach(json_object_get(service, "service_areas"), i, sa)
    {
        const char *uri = json_string_value(json_object_get(sa, "uri"));
        const char *name = json_string_value(json_object_get(sa, "name"));
        struct store_map_area a;
        enum err rc;

        memset(&a, 0, sizeof(a));
        if (!uri || strlen(uri) >= sizeof(a.uri)) {
            continue; /* an area without a usable uri cannot be filtered on */
        }
        snprintf(a.uri, sizeof(a.uri), "%s", uri);
        snprintf(a.name, sizeof(a.name), "%s", name ? name : uri);
        snprintf(a.kind, sizeof(a.kind), "%s", area_kind(uri));
        rc = store_map_area_add(c, &a);
        if (rc) {
            return rc;
        }
    }
    return ERR_OK;
}

static enum err put_canonical(struct store_conn *c, const json_t *v, const char *id, bool taxonomy)
{
    struct buf doc = BUF_INIT(DOC_MAX);
    enum err rc = hsds_dump_canonical(v, &doc);
    if (!rc) {
        rc = taxonomy ? store_map_taxonomy_put(c, id, doc.ptr, doc.len)
                      : store_map_term_put(c, id, doc.ptr, doc.len);
    }
    buf_release(&doc);
    return rc;
}

/* Keeps the terms of other taxonomies (and their taxonomy objects) found anywhere in v. */
static enum err put_foreign_terms(struct store_conn *c, json_t *v, int depth)
{
    const char *k;
    json_t *m;
    size_t i;
    enum err rc = ERR_OK;

    if (depth > 16) {
        return ERR_OK;
    }
    if (json_is_array(v)) {
        json_array_foreach(v, i, m)
        {
            rc = rc ? rc : put_foreign_terms(c, m, depth + 1);
        }
        return rc;
    }
    json_object_foreach(v, k, m)
    {
        const char *id = json_string_value(json_object_get(m, "id"));
        if (!strcmp(k, "taxonomy_term") && id && !hsds_term_by_id(id)) {
            const json_t *tax = json_object_get(m, "taxonomy_detail");
            const char *tid = json_string_value(json_object_get(tax, "id"));
            rc = rc ? rc : put_canonical(c, m, id, false);
            rc = (rc || !tid) ? rc : put_canonical(c, tax, tid, true);
        } else if (json_is_object(m) || json_is_array(m)) {
            rc = rc ? rc : put_foreign_terms(c, m, depth + 1);
        }
    }
    return rc;
}

/* ---- one service -------------------------------------------------------------------------- */

struct put_ctx {
    struct store_conn *c;
    json_t *service;
    const char *region;
    const char *by;
    int64_t now;
    int64_t org_row;
    json_t *loc_rows;
    char region_buf[STORE_MAP_REGION_MAX + 1];
    struct buf doc;
};

/* The map_locations row ids of ix's locations, from rows (HSDS id -> row id). *out owned. */
static enum err index_locations(const struct dir_index *ix, json_t *rows, int64_t **out)
{
    int64_t *locs = xcalloc(ix->nlocations ? ix->nlocations : 1, sizeof(*locs));

    for (size_t i = 0; i < ix->nlocations; i++) {
        locs[i] = json_integer_value(json_object_get(rows, ix->location_ids[i]));
        if (!locs[i]) {
            free(locs);
            *out = NULL;
            return ERR_INVALID;
        }
    }
    *out = locs;
    return ERR_OK;
}

/* The index values of s from ix (borrowed from ix); the caller sets the rest. */
static void index_fill(struct store_map_service *s, const struct dir_index *ix)
{
    s->name = ix->name ? ix->name : "";
    s->status = ix->status;
    s->level = ix->level;
    s->level_rank = ix->level_rank;
    s->iasc_layer = ix->iasc_layer;
    s->min_age = ix->min_age;
    s->max_age = ix->max_age;
    s->capacity = ix->capacity;
    s->waitlist_weeks = ix->waitlist_weeks;
    s->capacity_updated = ix->capacity_updated;
    s->assured_date = ix->assured_date;
    s->assurer_email = ix->assurer_email;
    s->codes = ix->codes;
    s->ncodes = ix->ncodes;
    s->nlocations = ix->nlocations;
    for (int i = 0; i < STORE_MAP_FTS_COLS && i < DIR_FTS_COLS; i++) {
        s->fts[i] = ix->fts[i].ptr;
        s->fts_len[i] = ix->fts[i].len;
    }
}

static enum err write_index(struct put_ctx *p, struct dir__put *out)
{
    struct dir_index ix;
    struct store_map_service s;
    int64_t *locs = NULL;
    enum err rc = dir_index_service(p->service, &ix);

    rc = rc ? rc : index_locations(&ix, p->loc_rows, &locs);
    if (!rc) {
        memset(&s, 0, sizeof(s));
        index_fill(&s, &ix);
        s.hsds_id = json_string_value(json_object_get(p->service, "id"));
        s.org_id = p->org_row;
        s.region = p->region ? p->region : "";
        s.doc = p->doc.ptr;
        s.doc_len = p->doc.len;
        s.updated_at = p->now;
        s.updated_by = p->by;
        s.location_ids = locs;
        rc = store_map_service_put(p->c, &s, &out->id);
    }
    free(locs);
    dir_index_release(&ix);
    return rc;
}

/* Compares the new document with the stored one; fills out's change flags and fields. */
static enum err compare_stored(struct put_ctx *p, json_t *stripped, struct dir__put *out,
                               bool *region_changed)
{
    struct store_map_stored st;
    json_t *prev = NULL;
    enum err rc =
        store_map_service_get(p->c, json_string_value(json_object_get(stripped, "id")), &st);

    *region_changed = false;
    if (rc == ERR_NOT_FOUND) {
        out->created = out->doc_changed = true;
        out->fields = changed_members(NULL, stripped);
        rc = ERR_OK;
        goto out;
    }
    if (rc) {
        goto out;
    }
    out->doc_changed = st.doc_len != p->doc.len || memcmp(st.doc, p->doc.ptr, p->doc.len);
    if (!p->region) {
        /* no region given: a re-import keeps the one the service has */
        snprintf(p->region_buf, sizeof(p->region_buf), "%s", st.region);
        p->region = p->region_buf;
    }
    *region_changed = strcmp(st.region, p->region) != 0;
    out->prev_doc = st.doc;
    st.doc = NULL;
    if (out->doc_changed) {
        rc = dir__parse(out->prev_doc, strlen(out->prev_doc), &prev);
        out->fields = rc ? NULL : changed_members(prev, stripped);
    } else {
        out->fields = json_array();
    }
out:
    json_decref(prev);
    store_map_stored_release(&st);
    return rc;
}

static void note_outer(struct dir__put *out, bool org_changed, bool loc_changed)
{
    if (out->region_changed) {
        json_array_append_new(out->fields, json_string("region"));
    }
    if (org_changed) {
        json_array_append_new(out->fields, json_string("organization"));
    }
    if (loc_changed) {
        json_array_append_new(out->fields, json_string("service_at_locations.location"));
    }
}

enum err dir__put_service(struct store_conn *c, json_t *service, const char *region, const char *by,
                          int64_t now, json_t *seen, struct dir__put *out)
{
    struct put_ctx p = {c, service, region, by, now, 0, json_object(), "", BUF_INIT(DOC_MAX)};
    json_t *stripped = NULL;
    bool org_changed = false, loc_changed = false;
    enum err rc;

    memset(out, 0, sizeof(*out));
    if (!json_is_string(json_object_get(service, "id"))) {
        rc = ERR_INVALID;
        goto out;
    }
    rc = put_org(c, service, now, seen, &p.org_row, &org_changed);
    rc = rc ? rc : put_locations(c, service, now, seen, p.loc_rows, &loc_changed);
    if (rc) {
        goto out;
    }
    stripped = service_stripped(service);
    rc = hsds_dump_canonical(stripped, &p.doc);
    rc = rc ? rc : compare_stored(&p, stripped, out, &out->region_changed);
    if (rc) {
        goto out;
    }
    out->outer_changed = org_changed || loc_changed;
    if (!out->doc_changed && !out->outer_changed && !out->region_changed) {
        goto out; /* nothing to write */
    }
    if (!out->created) {
        note_outer(out, org_changed, loc_changed);
    }
    rc = write_index(&p, out);
    rc = rc ? rc : put_areas(c, service);
    rc = rc ? rc : put_foreign_terms(c, service, 0);
out:
    json_decref(stripped);
    json_decref(p.loc_rows);
    buf_release(&p.doc);
    return rc;
}

/* ---- services whose organization or location changed ------------------------------------- */
/*
 * The map_fts columns org and extra hold the names of a service's organization and locations.
 * When a run changes such a document, the stored services of that organization or at that
 * location which the run did not write itself get their index rebuilt from their stored
 * documents, so that a search finds them by the new names and no longer by the old ones.
 * Coordinates need nothing here: the search reads them from map_locations.
 */

static void mark_written(json_t *seen, int64_t id)
{
    json_t *w = json_object_get(seen, "s");
    char key[24];

    if (!w) {
        w = json_object();
        json_object_set_new(seen, "s", w);
    }
    snprintf(key, sizeof(key), "%lld", (long long)id);
    json_object_set_new(w, key, json_true());
}

/* Row ids of the locations the stored service names: HSDS id -> row id in rows. */
static enum err stored_location_rows(struct store_conn *c, const struct dir_index *ix, json_t *rows)
{
    for (size_t i = 0; i < ix->nlocations; i++) {
        int64_t row = 0;
        enum err rc = store_map_location_get(c, ix->location_ids[i], &row, NULL);

        if (rc) {
            return rc == ERR_NOT_FOUND ? ERR_CORRUPT : rc;
        }
        json_object_set_new(rows, ix->location_ids[i], json_integer(row));
    }
    return ERR_OK;
}

/* Rebuilds the index of the stored service with row id `id` from its stored documents. */
static enum err reindex_one(struct store_conn *c, int64_t id)
{
    struct store_map_stored st;
    struct store_map_service s;
    struct dir_index ix;
    json_t *service = NULL, *rows = json_object();
    int64_t *locs = NULL;
    enum err rc = store_map_stored_by_id(c, id, &st);

    memset(&ix, 0, sizeof(ix));
    rc = rc ? rc : dir__assemble(c, &st, NULL, &service);
    rc = rc ? rc : dir_index_service(service, &ix);
    rc = rc ? rc : stored_location_rows(c, &ix, rows);
    rc = rc ? rc : index_locations(&ix, rows, &locs);
    if (!rc) {
        memset(&s, 0, sizeof(s));
        index_fill(&s, &ix);
        s.location_ids = locs;
        rc = store_map_service_index_put(c, id, &s);
    }
    if (rc) {
        log_error("msg=\"map reindex failed\" service=%s err=%s", st.hsds_id, err_name(rc));
    }
    free(locs);
    dir_index_release(&ix);
    json_decref(service);
    json_decref(rows);
    store_map_stored_release(&st);
    return rc;
}

struct reindex {
    struct store_conn *c;
    json_t *written; /* seen["s"]: row ids (decimal) of the services this run wrote */
    json_t *todo;    /* row id (decimal) -> row id */
};

static enum err todo_add(int64_t id, void *ctx)
{
    struct reindex *r = ctx;
    char key[24];

    snprintf(key, sizeof(key), "%lld", (long long)id);
    if (!json_object_get(r->written, key)) {
        json_object_set_new(r->todo, key, json_integer(id));
    }
    return ERR_OK;
}

/* Collects the services of each organization ("o") or location ("l") the run changed. */
static enum err collect_changed(struct reindex *r, json_t *seen, const char *kind)
{
    const char *id;
    json_t *e;
    enum err rc = ERR_OK;

    json_object_foreach(json_object_get(seen, kind), id, e)
    {
        int64_t row = json_integer_value(json_array_get(e, 0));

        if (rc || !json_is_true(json_array_get(e, 1))) {
            continue;
        }
        rc = kind[0] == 'o' ? store_map_org_services(r->c, row, todo_add, r)
                            : store_map_location_services(r->c, row, todo_add, r);
    }
    return rc;
}

static enum err reindex_changed(struct store_conn *c, json_t *seen)
{
    struct reindex r = {c, json_object_get(seen, "s"), json_object()};
    const char *k;
    json_t *v;
    enum err rc = collect_changed(&r, seen, "o");

    rc = rc ? rc : collect_changed(&r, seen, "l");
    json_object_foreach(r.todo, k, v)
    {
        rc = rc ? rc : reindex_one(c, json_integer_value(v));
    }
    if (!rc && json_object_size(r.todo)) {
        log_info("msg=\"map import reindexed\" services=%zu", json_object_size(r.todo));
    }
    json_decref(r.todo);
    return rc;
}

/* ---- the import --------------------------------------------------------------------------- */

static enum err import_revision(struct store_conn *c, const json_t *service,
                                const struct dir__put *put, int64_t now)
{
    struct store_map_revision rev;
    char *fields = json_dumps(put->fields, JSON_COMPACT);
    enum err rc;

    memset(&rev, 0, sizeof(rev));
    snprintf(rev.service_id, sizeof(rev.service_id), "%s",
             json_string_value(json_object_get(service, "id")));
    rev.at = now;
    snprintf(rev.by_user, sizeof(rev.by_user), "import");
    snprintf(rev.source, sizeof(rev.source), "import");
    rev.fields = fields;
    rev.prev_doc = put->prev_doc;
    rc = store_map_revision_add(c, &rev);
    free(fields);
    return rc;
}

static void count(struct dir_import_stats *stats, const struct dir__put *put)
{
    if (put->created) {
        stats->created++;
    } else if (put->doc_changed || put->outer_changed || put->region_changed) {
        stats->updated++;
    } else {
        stats->unchanged++;
    }
}

static enum err import_audit(struct store_conn *c, const struct audit_ctx *actx, size_t n)
{
    char num[24];
    struct audit_event ev = {NULL, "import", "map", num, "success"};
    snprintf(num, sizeof(num), "%zu", n);
    return audit_log(c, actx, &ev);
}

enum err dir_import(struct store_conn *c, const struct audit_ctx *actx, json_t *pkg,
                    const char *region, dir_progress_fn progress, void *pctx,
                    struct dir_import_stats *stats)
{
    size_t total = json_array_size(pkg);
    size_t step = total / 100 < 500 ? total / 100 : 500;
    json_t *seen = json_object();
    int64_t now = clock_now_ms();
    enum err rc = json_is_array(pkg) ? ERR_OK : ERR_INVALID;

    memset(stats, 0, sizeof(*stats));
    step = step ? step : 1;
    for (size_t i = 0; !rc && i < total; i++) {
        json_t *service = json_array_get(pkg, i);
        struct dir__put put;

        rc = dir__put_service(c, service, region, "import", now, seen, &put);
        if (!rc && (put.doc_changed || put.outer_changed || put.region_changed)) {
            rc = import_revision(c, service, &put, now);
        }
        if (!rc) {
            count(stats, &put);
            stats->services++;
            if (put.id) {
                mark_written(seen, put.id);
            }
        } else {
            log_error("msg=\"map import failed\" index=%zu err=%s", i, err_name(rc));
        }
        dir__put_release(&put);
        if (!rc && progress && ((i + 1) % step == 0 || i + 1 == total)) {
            progress(i + 1, total, pctx);
        }
    }
    stats->orgs = json_object_size(json_object_get(seen, "o"));
    stats->locations = json_object_size(json_object_get(seen, "l"));
    rc = rc ? rc : reindex_changed(c, seen);
    rc = rc ? rc : import_audit(c, actx, total);
    json_decref(seen);
    return rc;
}

/* ---- service areas ------------------------------------------------------------------------ */

static bool area_kind_ok(const char *kind)
{
    static const char *const kinds[] = {"national", "municipality", "coa_location", "other"};
    for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
        if (!strcmp(kind, kinds[i])) {
            return true;
        }
    }
    return false;
}

/* Checks the given fields and copies them over a. */
static enum err area_apply(struct store_conn *c, struct store_map_area *a, const char *name,
                           const char *kind, const char *parent, const char **why)
{
    struct store_map_area p;
    enum err rc;

    if (name && (!*name || strlen(name) >= sizeof(a->name))) {
        *why = "the name must be 1 to 200 bytes";
        return ERR_INVALID;
    }
    if (kind && !area_kind_ok(kind)) {
        *why = "the kind must be national, municipality, coa_location or other";
        return ERR_INVALID;
    }
    if (parent && *parent) {
        if (!strcmp(parent, a->uri)) {
            *why = "an area cannot lie in itself";
            return ERR_INVALID;
        }
        rc = strlen(parent) < sizeof(p.uri) ? store_map_area_get(c, parent, &p) : ERR_NOT_FOUND;
        if (rc) {
            *why = "the parent is not a known area (import services for it, or add it first)";
            return rc == ERR_NOT_FOUND ? ERR_INVALID : rc;
        }
    }
    if (name) {
        snprintf(a->name, sizeof(a->name), "%s", name);
    }
    if (kind) {
        snprintf(a->kind, sizeof(a->kind), "%s", kind);
    }
    if (parent) {
        snprintf(a->parent_uri, sizeof(a->parent_uri), "%s", parent);
    }
    return ERR_OK;
}

enum err dir_area_set(struct store_conn *c, const struct audit_ctx *actx, const char *uri,
                      const char *name, const char *kind, const char *parent, const char **why)
{
    struct audit_event ev = {NULL, "update", "map_area", NULL, "success"};
    struct store_map_area a;
    enum err rc;

    *why = NULL;
    if (!uri || !*uri || strlen(uri) >= sizeof(a.uri) || strchr(uri, ' ')) {
        *why = "the area must be a uri of 1 to 255 bytes without spaces";
        return ERR_INVALID;
    }
    rc = store_map_area_get(c, uri, &a);
    if (rc == ERR_NOT_FOUND) {
        snprintf(a.uri, sizeof(a.uri), "%s", uri);
        snprintf(a.name, sizeof(a.name), "%s", uri);
        snprintf(a.kind, sizeof(a.kind), "%s", area_kind(uri));
        rc = ERR_OK;
    }
    rc = rc ? rc : area_apply(c, &a, name, kind, parent, why);
    rc = rc ? rc : store_map_area_set(c, &a);
    return rc ? rc : audit_log(c, actx, &ev);
}
