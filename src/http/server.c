/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * libmicrohttpd glue. Each request gets a struct http_exchange at the first callback holding
 * its capped body buffer and its api_req; the completion callback logs one line and frees it.
 * Bodies over the cap are refused with 413 before they are read where Content-Length tells,
 * and discarded unread otherwise.
 */
#include "core/compat.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/embed.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/mime.h"
#include "core/str.h"
#include "http/http.h"

#define CSP                                                                                        \
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "              \
    "media-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "        \
    "form-action 'self'; object-src 'none'"

struct http_server {
    struct MHD_Daemon *daemon;
    const struct config *cfg;
    struct store *store;
    const struct screen_registry *registry;
    const struct keyring *keyring;
    atomic_int inflight;
};

struct http_exchange {
    struct http_server *srv;
    struct buf body;
    bool too_large;
    struct timespec start;
    struct api_req req;
    int status;
    const char *log_path;
    const char *method; /* MHD's string, valid until the completion callback */
};

/* MHD 0.9.75 takes persistent buffers as void *; it never writes to them. */
static void *mhd_unconst(const void *p)
{
    union {
        const void *c;
        void *m;
    } u = {p};
    return u.m;
}

static enum api_method method_of(const char *m)
{
    static const struct {
        const char *name;
        enum api_method m;
    } map[] = {{"GET", API_GET}, {"HEAD", API_HEAD},   {"POST", API_POST},
               {"PUT", API_PUT}, {"PATCH", API_PATCH}, {"DELETE", API_DELETE}};
    for (size_t i = 0; i < ARRAY_SIZE(map); i++) {
        if (!strcmp(map[i].name, m)) {
            return map[i].m;
        }
    }
    return API_OTHER;
}

static void add_common_headers(struct MHD_Response *resp, const char *request_id)
{
    MHD_add_response_header(resp, "Content-Security-Policy", CSP);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
    /* geolocation for the social map's "near me", asked only on the user's click */
    MHD_add_response_header(resp, "Permissions-Policy",
                            "camera=(), microphone=(), geolocation=(self)");
    MHD_add_response_header(resp, "X-Request-Id", request_id);
}

static enum MHD_Result queue(struct MHD_Connection *conn, struct http_exchange *x, int status,
                             struct MHD_Response *resp)
{
    enum MHD_Result ret;
    add_common_headers(resp, x->req.request_id);
    x->status = status;
    ret = MHD_queue_response(conn, (unsigned)status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result send_error(struct MHD_Connection *conn, struct http_exchange *x, enum err rc)
{
    json_t *p = api_problem(&x->req, rc);
    enum MHD_Result ret;
    char retry[24];
    struct MHD_Response *resp;
    char *text = p ? json_dumps(p, JSON_COMPACT) : NULL;

    json_decref(p);
    if (!text) {
        return MHD_NO;
    }
    resp = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", "application/problem+json");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    if ((rc == ERR_THROTTLED || rc == ERR_BUSY) && x->req.retry_after_s > 0) {
        snprintf(retry, sizeof(retry), "%lld", (long long)x->req.retry_after_s);
        MHD_add_response_header(resp, "Retry-After", retry);
    }
    if (rc == ERR_METHOD) {
        MHD_add_response_header(resp, "Allow", "GET, POST, DELETE");
    }
    if (x->req.set_cookie[0]) {
        MHD_add_response_header(resp, "Set-Cookie", x->req.set_cookie);
    }
    ret = queue(conn, x, err_http_status(rc), resp);
    return ret;
}

static enum MHD_Result send_success(struct MHD_Connection *conn, struct http_exchange *x)
{
    struct api_req *r = &x->req;
    struct MHD_Response *resp;
    char *text = r->resp ? json_dumps(r->resp, JSON_COMPACT) : NULL;

    if (r->raw) {
        free(text);
        resp = MHD_create_response_from_buffer(r->raw_len, r->raw, MHD_RESPMEM_MUST_FREE);
        if (!resp) {
            return MHD_NO;
        }
        r->raw = NULL; /* MHD frees it now */
        MHD_add_response_header(resp, "Content-Type", r->raw_type);
        MHD_add_response_header(resp, "Cache-Control",
                                r->raw_no_store ? "no-store" : "private, max-age=86400");
        return queue(conn, x, r->status, resp);
    }
    if (text) {
        resp = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
    } else {
        resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    }
    if (!resp) {
        free(text);
        return MHD_NO;
    }
    if (text) {
        MHD_add_response_header(resp, "Content-Type", "application/json");
    }
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (r->set_cookie[0]) {
        MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
    }
    if (r->location[0]) {
        MHD_add_response_header(resp, "Location", r->location);
    }
    if (r->disposition[0]) {
        MHD_add_response_header(resp, "Content-Disposition", r->disposition);
    }
    return queue(conn, x, r->status, resp);
}

static const char *lookup_query(void *ctx, const char *key)
{
    return MHD_lookup_connection_value(ctx, MHD_GET_ARGUMENT_KIND, key);
}

static void remote_addr(struct MHD_Connection *conn, char *out, size_t size)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;
    snprintf(out, size, "unknown");
    if (sa && sa->sa_family == AF_INET) {
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)size);
    } else if (sa && sa->sa_family == AF_INET6) {
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)size);
    }
}

static enum MHD_Result handle_api(struct MHD_Connection *conn, struct http_exchange *x,
                                  const char *url, const char *method)
{
    struct api_req *r = &x->req;
    char addr[INET6_ADDRSTRLEN + 1];
    enum err rc;

    remote_addr(conn, addr, sizeof(addr));
    r->method = method_of(method);
    r->path = url;
    r->session_cookie = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, "vk_session");
    r->origin = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Origin");
    r->csrf_header = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-CSRF-Token");
    r->content_type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
    r->host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host");
    r->accept_language = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept-Language");
    r->query = lookup_query;
    r->query_ctx = conn;
    r->body = x->body.ptr;
    r->body_len = x->body.len;
    r->remote_addr = addr;
    r->cfg = x->srv->cfg;
    r->store = x->srv->store;
    r->registry = x->srv->registry;
    r->keyring = x->srv->keyring;
    rc = api_dispatch(r);
    x->log_path = r->route_template ? r->route_template : "/api/(unmatched)";
    if (rc) {
        return send_error(conn, x, rc);
    }
    return send_success(conn, x);
}

/* --- static assets --------------------------------------------------------------------- */

/* Only plain relative paths reach the disk in --web-root mode: no "..", no odd bytes. */
static bool asset_path_ok(const char *path)
{
    if (path[0] != '/' || strstr(path, "..") || strstr(path, "//")) {
        return false;
    }
    for (const char *p = path; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '/' || *p == '.' || *p == '-' || *p == '_')) {
            return false;
        }
    }
    return true;
}

static struct MHD_Response *asset_from_disk(const char *root, const char *path, size_t *len)
{
    char full[CONFIG_PATH_MAX + 256];
    struct stat sb;
    int fd;

    snprintf(full, sizeof(full), "%s%s", root, path);
    fd = open(full, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return NULL;
    }
    if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
        close(fd);
        return NULL;
    }
    *len = (size_t)sb.st_size;
    return MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
}

static enum MHD_Result handle_asset(struct MHD_Connection *conn, struct http_exchange *x,
                                    const char *url, const char *method)
{
    const char *path = strcmp(url, "/") ? url : "/index.html";
    const struct embed_file *f = embed_find(web_assets, web_assets_count, path, strlen(path));
    const char *inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-None-Match");
    struct MHD_Response *resp = NULL;
    size_t len = 0;
    int status = 200;

    if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
        x->log_path = "(asset)";
        return send_error(conn, x, ERR_METHOD);
    }
    if (!asset_path_ok(path) || (!f && !x->srv->cfg->web_root[0])) {
        x->log_path = "(unmatched)";
        return send_error(conn, x, ERR_NOT_FOUND);
    }
    x->log_path = f ? f->path : "(web-root)";
    if (x->srv->cfg->web_root[0]) {
        resp = asset_from_disk(x->srv->cfg->web_root, path, &len);
        if (!resp) {
            return send_error(conn, x, ERR_NOT_FOUND);
        }
    } else if (inm && !strcmp(inm, f->etag)) {
        status = 304;
        resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    } else {
        resp =
            MHD_create_response_from_buffer(f->len, mhd_unconst(f->data), MHD_RESPMEM_PERSISTENT);
    }
    if (!resp) {
        return MHD_NO;
    }
    if (f && !x->srv->cfg->web_root[0]) {
        MHD_add_response_header(resp, "ETag", f->etag);
    }
    MHD_add_response_header(resp, "Content-Type", mime_for_path(path));
    MHD_add_response_header(resp, "Cache-Control", "no-cache");
    return queue(conn, x, status, resp);
}

/* --- request lifecycle ----------------------------------------------------------------- */

static struct http_exchange *exchange_new(struct http_server *srv)
{
    struct http_exchange *x = xcalloc(1, sizeof(*x));
    x->srv = srv;
    buf_init(&x->body, srv->cfg->max_body);
    api_req_init(&x->req);
    clock_gettime(CLOCK_MONOTONIC, &x->start);
    atomic_fetch_add(&srv->inflight, 1);
    return x;
}

static bool declared_too_large(struct MHD_Connection *conn, size_t max)
{
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    int64_t n;
    if (!cl) {
        return false;
    }
    return str_parse_i64(cl, strlen(cl), 0, INT64_MAX, &n) || (uint64_t)n > max;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **ptr)
{
    struct http_server *srv = cls;
    struct http_exchange *x = *ptr;

    if (!x) {
        x = exchange_new(srv);
        x->method = method;
        *ptr = x;
        if (declared_too_large(conn, srv->cfg->max_body)) {
            x->too_large = true;
            x->log_path = "(body)";
            return send_error(conn, x, ERR_TOO_LARGE);
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!x->too_large && buf_add(&x->body, upload_data, *upload_data_size)) {
            x->too_large = true;
            buf_release(&x->body);
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (x->too_large) {
        x->log_path = "(body)";
        return send_error(conn, x, ERR_TOO_LARGE);
    }
    if (!strcmp(url, "/healthz")) {
        static char ok[] = "{\"status\":\"ok\"}";
        struct MHD_Response *resp =
            MHD_create_response_from_buffer(sizeof(ok) - 1, ok, MHD_RESPMEM_PERSISTENT);
        x->log_path = "/healthz";
        if (!resp) {
            return MHD_NO;
        }
        MHD_add_response_header(resp, "Content-Type", "application/json");
        MHD_add_response_header(resp, "Cache-Control", "no-store");
        return queue(conn, x, 200, resp);
    }
    if (!strncmp(url, "/api/", 5)) {
        return handle_api(conn, x, url, method);
    }
    return handle_asset(conn, x, url, method);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **ptr,
                         enum MHD_RequestTerminationCode toe)
{
    struct http_server *srv = cls;
    struct http_exchange *x = *ptr;
    struct timespec end;
    double ms;

    if (!x) {
        return;
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    ms = (double)(end.tv_sec - x->start.tv_sec) * 1e3 +
         (double)(end.tv_nsec - x->start.tv_nsec) / 1e6;
    log_info("event=request method=%s path=%s status=%d dur_ms=%.2f req=%s%s",
             method_of(x->method) == API_OTHER ? "OTHER" : x->method,
             x->log_path ? x->log_path : "-", x->status, ms, x->req.request_id,
             toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted=1");
    buf_release(&x->body);
    api_req_release(&x->req);
    free(x);
    *ptr = NULL;
    atomic_fetch_sub(&srv->inflight, 1);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap) VK_PRINTF(2, 0);
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    char msg[256];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    msg[strcspn(msg, "\n")] = '\0';
    log_warn("event=mhd msg=\"%s\"", msg);
}

static enum err bind_addr(const struct config *cfg, struct sockaddr_storage *ss)
{
    struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

    memset(ss, 0, sizeof(*ss));
    if (inet_pton(AF_INET, cfg->listen_host, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)cfg->listen_port);
        return ERR_OK;
    }
    if (inet_pton(AF_INET6, cfg->listen_host, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)cfg->listen_port);
        return ERR_OK;
    }
    return ERR_INVALID;
}

enum err http_start(const struct config *cfg, struct store *st, const struct screen_registry *reg,
                    const struct keyring *keys, struct http_server **out, int *port_out)
{
    struct sockaddr_storage ss;
    struct http_server *srv;
    const union MHD_DaemonInfo *info;
    unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC;

    if (bind_addr(cfg, &ss)) {
        log_error("msg=\"listen address must be a numeric IPv4 or IPv6 address\"");
        return ERR_INVALID;
    }
    if (ss.ss_family == AF_INET6) {
        flags |= MHD_USE_IPv6;
    }
    api_routes_check();
    srv = xcalloc(1, sizeof(*srv));
    srv->cfg = cfg;
    srv->store = st;
    srv->registry = reg;
    srv->keyring = keys;
    srv->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)cfg->threads, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned)200, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_END);
    if (!srv->daemon) {
        log_error("msg=\"cannot listen\" host=%s port=%d errno=%d", cfg->listen_host,
                  cfg->listen_port, errno);
        free(srv);
        return ERR_IO;
    }
    info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    *port_out = info ? (int)info->port : cfg->listen_port;
    *out = srv;
    return ERR_OK;
}

void http_stop(struct http_server *srv, int grace_ms)
{
    MHD_socket s;
    int waited = 0;

    if (!srv) {
        return;
    }
    s = MHD_quiesce_daemon(srv->daemon);
    if (s != MHD_INVALID_SOCKET) {
        close(s);
    }
    while (atomic_load(&srv->inflight) > 0 && waited < grace_ms) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
        waited += 10;
    }
    MHD_stop_daemon(srv->daemon);
    free(srv);
}
