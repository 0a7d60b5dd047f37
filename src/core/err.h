/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The one error enum of the project. Each code carries a name, the HTTP status the http layer
 * answers with, a problem-type slug (docs/API.md) and a human title, all from one X-macro table.
 */
#ifndef VK_ERR_H
#define VK_ERR_H

/* X(code, http status, problem slug, title) */
#define ERR_MAP(X)                                                                                 \
    X(OK, 200, "ok", "OK")                                                                         \
    X(NOMEM, 500, "internal", "Out of memory")                                                     \
    X(INTERNAL, 500, "internal", "Internal error")                                                 \
    X(MALFORMED, 400, "malformed-json", "Malformed request body")                                  \
    X(BAD_REQUEST, 400, "bad-request", "Bad request")                                              \
    X(INVALID, 422, "invalid-input", "Invalid input")                                              \
    X(UNAUTHENTICATED, 401, "unauthenticated", "Not logged in")                                    \
    X(BAD_CREDENTIALS, 401, "bad-credentials", "Wrong email or password")                          \
    X(CSRF, 403, "csrf", "Cross-site request refused")                                             \
    X(FORBIDDEN, 403, "forbidden", "Not allowed for your role")                                    \
    X(NOT_FOUND, 404, "not-found", "Not found")                                                    \
    X(METHOD, 405, "method-not-allowed", "Method not allowed")                                     \
    X(CONFLICT, 409, "conflict", "Conflict")                                                       \
    X(TOO_LARGE, 413, "too-large", "Request body too large")                                       \
    X(MEDIA_TYPE, 415, "unsupported-media-type", "Unsupported media type")                         \
    X(THROTTLED, 429, "login-throttled", "Too many attempts")                                      \
    X(CARD_LOCKED, 429, "card-locked", "Login card locked")                                        \
    X(BUSY, 503, "unavailable", "Service busy, try again")                                         \
    X(DB, 503, "unavailable", "Storage error")                                                     \
    X(AUDIT, 503, "unavailable", "Audit trail unavailable")                                        \
    X(IO, 500, "internal", "Input/output error")                                                   \
    X(CORRUPT, 500, "internal", "Data integrity check failed")                                     \
    X(USAGE, 400, "bad-request", "Usage error")

enum err {
#define ERR_ENUM(code, status, slug, title) ERR_##code,
    ERR_MAP(ERR_ENUM)
#undef ERR_ENUM
};

/* Static strings; never NULL (an unknown code maps to "INTERNAL"). */
const char *err_name(enum err e);
const char *err_slug(enum err e);
const char *err_title(enum err e);
int err_http_status(enum err e);

#endif
