/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The route map (docs/routing.md, docs/API.md "Route map"): compute a client's advice, read the
 * latest one, and name the active rules. The routing module does the work behind the consent
 * check; this file translates JSON.
 */
#include "core/compat.h"

#include "api/api_int.h"
#include "routing/routing.h"

static void parse_wishes(json_t *arr, uint32_t *out, struct verr *v)
{
    size_t i;
    json_t *e;
    if (!json_is_array(arr) || json_array_size(arr) > RW_COUNT) {
        verr_add(v, "/wishes", "must be a list of at most %d wishes", RW_COUNT);
        return;
    }
    json_array_foreach(arr, i, e)
    {
        uint32_t w = route_wish_parse(json_string_value(e));
        if (!w) {
            verr_add(v, "/wishes",
                     "unknown wish: use group, individual, own_language, women_only, near_home");
            return;
        }
        *out |= w;
    }
}

static int parse_tri(json_t *body, const char *key, struct verr *v)
{
    json_t *j = json_object_get(body, key);
    char p[40];
    if (!j) {
        return -1;
    }
    if (!json_is_boolean(j)) {
        snprintf(p, sizeof(p), "/%s", key);
        verr_add(v, p, "must be true or false");
        return -1;
    }
    return json_is_true(j) ? 1 : 0;
}

static void parse_near(json_t *near, struct route_request *req, struct verr *v)
{
    json_t *lat = json_object_get(near, "lat"), *lon = json_object_get(near, "lon");
    if (!json_is_object(near) || json_object_size(near) != 2 || !json_is_number(lat) ||
        !json_is_number(lon) || json_number_value(lat) < -90 || json_number_value(lat) > 90 ||
        json_number_value(lon) < -180 || json_number_value(lon) > 180) {
        verr_add(v, "/near", "must be {\"lat\": degrees, \"lon\": degrees}");
        return;
    }
    req->near_set = true;
    req->lat = json_number_value(lat);
    req->lon = json_number_value(lon);
}

static enum err parse_request(struct api_req *r, struct route_request *req)
{
    static const char *const allowed[] = {"wishes", "function_impaired", "persistent", "near",
                                          NULL};
    json_t *body = NULL, *x;
    enum err rc;
    memset(req, 0, sizeof(*req));
    req->function_impaired = req->persistent = -1;
    if (r->body_len == 0) {
        return ERR_OK;
    }
    if ((rc = api__body_object(r, &body))) {
        return rc;
    }
    api__reject_unknown(body, allowed, &r->verr);
    if ((x = json_object_get(body, "wishes"))) {
        parse_wishes(x, &req->wishes, &r->verr);
    }
    req->function_impaired = parse_tri(body, "function_impaired", &r->verr);
    req->persistent = parse_tri(body, "persistent", &r->verr);
    if ((x = json_object_get(body, "near"))) {
        parse_near(x, req, &r->verr);
    }
    json_decref(body);
    return r->verr.n ? ERR_INVALID : ERR_OK;
}

enum err api_route_create(struct api_req *r)
{
    struct route_request req;
    enum err rc = parse_request(r, &req);
    if (!rc) {
        rc = route_advise(r->conn, &r->actx, &r->who, r->registry, route_active(), r->params[0],
                          &req, &r->resp);
    }
    if (!rc) {
        r->status = 201;
    }
    return rc;
}

enum err api_route_get(struct api_req *r)
{
    return route_latest(r->conn, &r->actx, &r->who, r->params[0], &r->resp);
}

enum err api_routing_rules(struct api_req *r)
{
    const struct route_rules *rules = route_active();
    char hash[2 * SEC_HASH_BYTES + 1];
    for (size_t i = 0; i < SEC_HASH_BYTES; i++) {
        snprintf(hash + 2 * i, 3, "%02x", rules->hash[i]);
    }
    r->resp = json_pack("{s:s, s:s, s:O, s:s, s:i, s:i}", "id", rules->id, "version",
                        rules->version, "title", json_object_get(rules->doc, "title"), "hash", hash,
                        "rules", rules->n_rules, "stressor_offers", rules->n_offers);
    return r->resp ? ERR_OK : ERR_NOMEM;
}
