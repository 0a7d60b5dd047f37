/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Putting stored services back together: each service document gets its organization and the
 * locations of its service_at_locations again, so that the export of an imported package dumps
 * to the same bytes as the checked original. Services come out in HSDS id order.
 */
#include "core/compat.h"

#include "core/log.h"
#include "directory/directory_int.h"

enum err dir__parse(const char *text, size_t len, json_t **out)
{
    json_error_t jerr;
    *out = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!*out) {
        log_error("msg=\"stored map document is not json\" line=%d", jerr.line);
        return ERR_CORRUPT;
    }
    return ERR_OK;
}

/* The parsed organization for its document text, from the cache when there is one. */
static enum err org_json(const struct store_map_stored *s, json_t *cache, json_t **out)
{
    json_t *org = cache ? json_object_get(cache, s->org_doc) : NULL;
    enum err rc;

    if (org) {
        *out = json_incref(org);
        return ERR_OK;
    }
    rc = dir__parse(s->org_doc, s->org_doc_len, out);
    if (!rc && cache) {
        json_object_set(cache, s->org_doc, *out);
    }
    return rc;
}

static enum err add_location(const char *doc, size_t len, void *ctx)
{
    json_t *by_id = ctx, *loc;
    enum err rc = dir__parse(doc, len, &loc);
    const char *id;

    if (rc) {
        return rc;
    }
    id = json_string_value(json_object_get(loc, "id"));
    if (id) {
        json_object_set(by_id, id, loc);
    }
    json_decref(loc);
    return id ? ERR_OK : ERR_CORRUPT;
}

static void put_locations_back(json_t *service, json_t *by_id)
{
    json_t *sal;
    size_t i;

    json_array_foreach(json_object_get(service, "service_at_locations"), i, sal)
    {
        json_t *loc =
            json_object_get(by_id, json_string_value(json_object_get(sal, "location_id")));
        if (loc) {
            json_object_set(sal, "location", loc);
        }
    }
}

enum err dir__assemble(struct store_conn *c, const struct store_map_stored *s, json_t *org_cache,
                       json_t **out)
{
    json_t *service = NULL, *org = NULL, *locs = json_object();
    enum err rc = dir__parse(s->doc, s->doc_len, &service);

    *out = NULL;
    rc = rc ? rc : org_json(s, org_cache, &org);
    rc = rc ? rc : store_map_service_locations(c, s->id, add_location, locs);
    if (!rc && !json_is_object(service)) {
        rc = ERR_CORRUPT;
    }
    if (!rc) {
        json_object_set(service, "organization", org);
        put_locations_back(service, locs);
        *out = service;
        service = NULL;
    }
    json_decref(service);
    json_decref(org);
    json_decref(locs);
    return rc;
}

enum err dir__service_load(struct store_conn *c, const char *hsds_id, json_t **out,
                           char region[STORE_MAP_REGION_MAX + 1])
{
    struct store_map_stored s;
    enum err rc = store_map_service_get(c, hsds_id, &s);

    *out = NULL;
    if (!rc) {
        rc = dir__assemble(c, &s, NULL, out);
    }
    if (!rc && region) {
        snprintf(region, STORE_MAP_REGION_MAX + 1, "%s", s.region);
    }
    store_map_stored_release(&s);
    return rc;
}

struct export_ctx {
    struct store_conn *c;
    json_t *orgs;
    json_t *pkg;
};

static enum err export_one(const struct store_map_stored *s, void *ctx)
{
    struct export_ctx *x = ctx;
    json_t *service;
    enum err rc = dir__assemble(x->c, s, x->orgs, &service);
    if (!rc) {
        json_array_append_new(x->pkg, service);
    }
    return rc;
}

enum err dir_export(struct store_conn *c, json_t **out)
{
    struct export_ctx x = {c, json_object(), json_array()};
    enum err rc = store_map_service_each(c, export_one, &x);

    json_decref(x.orgs);
    if (rc) {
        json_decref(x.pkg);
        x.pkg = NULL;
    }
    *out = x.pkg;
    return rc;
}

enum err dir_service_get(struct store_conn *c, const char *hsds_id, json_t **out)
{
    return dir__service_load(c, hsds_id, out, NULL);
}
