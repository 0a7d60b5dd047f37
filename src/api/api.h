/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The JSON API, independent of the HTTP library: the http layer fills a struct api_req from the
 * wire, calls api_dispatch(), and writes back what the request holds. The route table gives each
 * endpoint its authentication and transaction policy; handlers translate between JSON and the
 * domain modules and never write error bodies themselves (api_problem() does, from enum err).
 */
#ifndef VK_API_H
#define VK_API_H

#include <jansson.h>

#include "accounts/accounts.h"
#include "audit/audit.h"
#include "core/compat.h"
#include "core/config.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/verr.h"
#include "storage/store.h"

enum api_method { API_GET, API_HEAD, API_POST, API_PUT, API_PATCH, API_DELETE, API_OTHER };

#define API_MAX_PARAMS 3
#define API_PARAM_MAX  64

typedef const char *(*api_lookup_fn)(void *ctx, const char *key);

struct screen_registry;
struct keyring;

struct api_req {
    /* in, from the http layer; strings borrowed for the request's lifetime */
    enum api_method method;
    const char *path;
    const char *session_cookie; /* value of vk_session, or NULL */
    const char *origin;
    const char *csrf_header;
    const char *content_type;
    const char *host;
    const char *accept_language; /* Accept-Language header, or NULL */
    api_lookup_fn query;
    void *query_ctx;
    const char *body;
    size_t body_len;
    const char *remote_addr;
    char request_id[33];
    const struct config *cfg;
    struct store *store;
    const struct screen_registry *registry;
    const struct keyring *keyring; /* the master key: opens clients' data keys (dossier.h) */

    /* set while dispatching */
    const char *route_template; /* for the access log line: no ids */
    char params[API_MAX_PARAMS][API_PARAM_MAX];
    struct store_conn *conn;
    bool authed;
    struct principal who;
    struct audit_ctx actx;
    struct arena arena;

    /* out */
    int status;         /* for a success; errors take theirs from enum err */
    json_t *resp;       /* owned; NULL for an empty body */
    unsigned char *raw; /* owned (free()); a non-JSON body, e.g. audio, sent instead of resp */
    size_t raw_len;
    const char *raw_type; /* static string */
    bool raw_no_store;    /* the raw body must not be cached (speech of a text) */
    char set_cookie[160];
    char location[160];
    char disposition[160]; /* Content-Disposition of a success, "" for none */
    int64_t retry_after_s;
    struct verr verr;
    char detail[200];
};

void api_req_init(struct api_req *r);
/* Frees what the request owns (response JSON, arena). */
void api_req_release(struct api_req *r);

/* Routes, checks, runs the handler in its transaction. Returns the outcome. */
enum err api_dispatch(struct api_req *r);

/* The problem+json body for an error (owned). */
json_t *api_problem(const struct api_req *r, enum err rc);

/* Checks at startup that every route has a policy; BUG() otherwise. */
void api_routes_check(void);

/* The client's dossier as a FHIR Bundle (api_export.c), as GET /clients/{pid}/export answers it
 * to r->who: access check, parts by scope and audit rows through r->conn and r->actx. For the
 * transfer package, also from the command line with a request filled by the caller. Owned. */
enum err api_export_bundle(struct api_req *r, const char *pid, json_t **out);

#endif
