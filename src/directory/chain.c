/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The local chain overview (issue 4, "the filled-in format the seeds ask for"): for one
 * municipality or COA location, per care level, each service that serves it with its
 * organisation, phases, chain roles and responsible contact, in Dutch for print. Also the list
 * of areas the map knows, which the search page and the overview's picker offer.
 */
#include "core/compat.h"

#include "core/mem.h"
#include "directory/directory_int.h"

#define CHAIN_MAX 2000 /* services in one overview */

static const char *const chain_levels[] = {"crisis", "L0", "L1", "L2", "L3"};

static json_t *area_json(const struct store_map_area *a)
{
    return json_pack("{s:s, s:s, s:s, s:s?}", "uri", a->uri, "name", a->name, "kind", a->kind,
                     "parent", a->parent_uri[0] ? a->parent_uri : NULL);
}

enum err dir_areas(struct store_conn *c, json_t **out)
{
    struct dir__areas as = {0};
    enum err rc = dir__areas_load(c, &as);

    *out = NULL;
    if (!rc) {
        *out = json_array();
        for (size_t i = 0; i < as.n; i++) {
            json_array_append_new(*out, area_json(&as.a[i]));
        }
    }
    dir__areas_release(&as);
    return rc;
}

struct chain_walk {
    const struct dir__ids *in;
    int64_t *ids;
    size_t n;
    bool truncated;
};

static bool chain_cb(int64_t id, void *ctx)
{
    struct chain_walk *w = ctx;

    if (!dir__ids_has(w->in, id)) {
        return true;
    }
    if (w->n >= CHAIN_MAX) {
        w->truncated = true;
        return false;
    }
    w->ids[w->n++] = id;
    return true;
}

/* [{level, services: []}] for every level, in the overview's order. */
static json_t *empty_levels(void)
{
    json_t *levels = json_array();

    for (size_t i = 0; i < ARRAY_SIZE(chain_levels); i++) {
        json_array_append_new(levels,
                              json_pack("{s:s, s:[]}", "level", chain_levels[i], "services"));
    }
    return levels;
}

static void add_entry(json_t *levels, json_t *entry)
{
    const char *level = json_string_value(json_object_get(entry, "level"));

    for (size_t i = 0; level && i < ARRAY_SIZE(chain_levels); i++) {
        if (!strcmp(level, chain_levels[i])) {
            json_array_append(json_object_get(json_array_get(levels, i), "services"), entry);
        }
    }
    json_decref(entry);
}

static enum err chain_services(struct store_conn *c, const struct dir__ids *in, json_t *out)
{
    struct chain_walk w = {in, xcalloc(CHAIN_MAX, sizeof(int64_t)), 0, false};
    json_t *levels = empty_levels();
    enum err rc = store_map_ordered_each(c, chain_cb, &w);

    for (size_t i = 0; !rc && i < w.n; i++) {
        json_t *s = NULL, *org = NULL;

        rc = dir__docs_by_id(c, w.ids[i], &s, &org);
        if (!rc) {
            add_entry(levels, dir__chain_entry(s, org));
        }
        json_decref(s);
        json_decref(org);
    }
    json_object_set_new(out, "levels", levels);
    json_object_set_new(out, "truncated", json_boolean(w.truncated));
    free(w.ids);
    return rc;
}

static json_t *coa_locations(const struct dir__areas *as, const char *uri)
{
    json_t *list = json_array();

    for (size_t i = 0; i < as->n; i++) {
        if (!strcmp(as->a[i].kind, "coa_location") && !strcmp(as->a[i].parent_uri, uri)) {
            json_array_append_new(list, area_json(&as->a[i]));
        }
    }
    return list;
}

enum err dir_chain(struct store_conn *c, const char *area_uri, json_t **out)
{
    struct dir__areas as = {0};
    struct dir__ids in = {0};
    struct dir__cache *k = NULL;
    const struct store_map_area *self = NULL;
    enum err rc = dir__areas_load(c, &as);

    *out = NULL;
    if (!rc) {
        self = dir__area_find(&as, area_uri);
        rc = self ? dir__cache_get(c, &k) : ERR_NOT_FOUND;
    }
    if (!rc) {
        rc = dir__area_services(c, k, &as, area_uri, true, &in);
    }
    if (!rc) {
        *out = json_pack("{s:o, s:o}", "area", area_json(self), "coa_locations",
                         coa_locations(&as, area_uri));
        rc = chain_services(c, &in, *out);
    }
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    dir__cache_put(k);
    dir__ids_release(&in);
    dir__areas_release(&as);
    return rc;
}
