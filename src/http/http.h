/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The HTTP server: libmicrohttpd with a thread pool, body caps, security headers, one access
 * log line per request, the JSON API (api/) and the embedded web UI. The only includer of
 * microhttpd.h.
 */
#ifndef VK_HTTP_H
#define VK_HTTP_H

#include "core/compat.h"
#include "core/config.h"
#include "core/err.h"
#include "storage/store.h"

struct http_server;

struct screen_registry;
struct keyring;

/*
 * Starts listening; *port_out gets the bound port (useful with port 0). Borrows cfg, st, reg and
 * keys (the master key, dossier.h), which must outlive the server.
 */
enum err http_start(const struct config *cfg, struct store *st, const struct screen_registry *reg,
                    const struct keyring *keys, struct http_server **out, int *port_out);
/*
 * Orderly stop: stop accepting, wait up to `grace_ms` for requests in flight, then close every
 * connection and free the server. NULL is a no-op.
 */
void http_stop(struct http_server *srv, int grace_ms);

#endif
