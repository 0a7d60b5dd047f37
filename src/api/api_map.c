/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The social map's public read endpoints: search, one service (resolved view, nested HSDS, FHIR
 * HealthcareService), the areas, the chain overview and the taxonomy. The map holds no client
 * data, so these need no grant and write no audit rows; the route policy AUTH_PUBLIC_MAP makes
 * them public unless the setting map_public is off. They run in a read transaction (TX_READ).
 */
#include "core/compat.h"

#include "api/api_int.h"
#include "core/str.h"
#include "directory/directory.h"
#include "fhir/fhir.h"

#define ACCEPT_LANGUAGE_MAX 256

/*
 * The first language in Accept-Language the map has texts in ("ar-SY,ar;q=0.9" → "ar"), or NULL.
 * Entries with q=0 are refused by the client, so they are skipped.
 */
static const char *accept_language(const char *h)
{
    struct str s, item, tag;

    if (!h || strlen(h) > ACCEPT_LANGUAGE_MAX) {
        return NULL;
    }
    s = str_from(h);
    while (s.len) {
        const char *lang;

        item = str_split(&s, ',');
        tag = str_split(&item, ';');
        while (tag.len && tag.p[0] == ' ') {
            tag.p++;
            tag.len--;
        }
        while (item.len && item.p[0] == ' ') {
            item.p++;
            item.len--;
        }
        if (str_starts_with(item, "q=0") && !strspn(item.p + 3, ".123456789")) {
            continue; /* q=0, q=0.0, q=0.00 */
        }
        lang = dir_lang_for(tag.p, tag.len);
        if (lang) {
            return lang;
        }
    }
    return NULL;
}

/* ?lang= when it names a language of the map, else Accept-Language, else NULL (Dutch). */
static enum err view_lang(struct api_req *r, const char *param, const char **out)
{
    const char *v = r->query ? r->query(r->query_ctx, param) : NULL;
    char ptr[40];

    *out = NULL;
    if (v && *v) {
        *out = dir_lang_for(v, strlen(v));
        if (!*out) {
            snprintf(ptr, sizeof(ptr), "/%s", param);
            verr_add(&r->verr, ptr, "not a language of the map");
            return ERR_INVALID;
        }
        return ERR_OK;
    }
    *out = accept_language(r->accept_language);
    return ERR_OK;
}

enum err api_map_search(struct api_req *r)
{
    struct dir_query q;
    enum err rc;

    if (!r->query) {
        return ERR_INTERNAL;
    }
    rc = dir_query_parse(&q, r->query, r->query_ctx, &r->verr);
    if (rc) {
        return rc;
    }
    if (!q.view_lang) {
        q.view_lang = accept_language(r->accept_language);
    }
    return dir_search(r->conn, &q, &r->resp);
}

enum err api_map_service(struct api_req *r)
{
    const char *lang;
    enum err rc = view_lang(r, "lang", &lang);

    return rc ? rc : dir_service_view(r->conn, r->params[0], lang, &r->resp);
}

enum err api_map_service_hsds(struct api_req *r)
{
    return dir_service_get(r->conn, r->params[0], &r->resp);
}

enum err api_map_service_fhir(struct api_req *r)
{
    json_t *s = NULL;
    enum err rc = dir_service_get(r->conn, r->params[0], &s);

    if (!rc) {
        rc = fhir_healthcare_service(s, &r->resp);
    }
    json_decref(s);
    /* the request was fine; what was stored does not convert */
    return rc == ERR_INVALID ? ERR_CORRUPT : rc;
}

enum err api_map_areas(struct api_req *r)
{
    json_t *items = NULL;
    enum err rc = dir_areas(r->conn, &items);

    if (!rc) {
        r->resp = json_pack("{s:o}", "items", items);
    }
    return rc;
}

enum err api_map_chain(struct api_req *r)
{
    const char *area = r->query ? r->query(r->query_ctx, "area") : NULL;

    if (!area || !*area || strlen(area) > 255) {
        verr_add(&r->verr, "/area", "the URI of a municipality or COA location (map/areas)");
        return ERR_INVALID;
    }
    return dir_chain(r->conn, area, &r->resp);
}

/* Our taxonomy for UIs: code, name and parent of every term, translation terms left out. */
enum err api_map_taxonomy(struct api_req *r)
{
    json_t *items = json_array();

    for (size_t i = 0; i < hsds_term_count(); i++) {
        const struct hsds_term *t = hsds_term_at(i);

        if (!strncmp(t->code, "translation", 11)) {
            continue;
        }
        json_array_append_new(items, json_pack("{s:s, s:s, s:s*, s:s}", "code", t->code, "name",
                                               t->name, "parent", t->parent, "id", t->id));
    }
    r->resp = json_pack("{s:s, s:s, s:o}", "id", HSDS_TAXONOMY_ID, "uri", HSDS_TAXONOMY_URI,
                        "items", items);
    return ERR_OK;
}
