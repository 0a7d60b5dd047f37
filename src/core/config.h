/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Server configuration: defaults, a `key = value` file (--config) and command-line flags, which
 * all go through config_set() so that a setting is validated in exactly one place. Command-line
 * flags use the same names with '-' for '_' (`--session-idle 900` is `session_idle = 900`).
 */
#ifndef VK_CONFIG_H
#define VK_CONFIG_H

#include "core/compat.h"
#include "core/err.h"

#define CONFIG_PATH_MAX 1024

struct config {
    char listen_host[64];
    int listen_port;
    char db_path[CONFIG_PATH_MAX];
    char web_root[CONFIG_PATH_MAX]; /* empty: serve the embedded assets */
    char key_file[CONFIG_PATH_MAX]; /* master key file; empty: <db_path>.key */
    char public_origin[256];        /* empty: derive from the Host header */
    bool secure_cookies;            /* set behind a TLS-terminating proxy */
    size_t max_body;
    int threads;
    int64_t session_idle_s;
    int64_t session_max_s;
    int64_t login_throttle_after;
    int64_t login_delay_ms;
    int64_t login_lock_after;
    int64_t login_lock_s;
    int64_t ip_lock_after;
    bool demo;
    bool debug;
    bool map_public; /* the social map can be read without logging in */
    /* route-map rule file (docs/routing.md); empty: the compiled-in default */
    char routing_rules[CONFIG_PATH_MAX];
};

void config_defaults(struct config *cfg);

/*
 * Sets one key. On failure returns ERR_INVALID (unknown key or bad value) and writes a message
 * naming the key into err (size errlen).
 */
enum err config_set(struct config *cfg, const char *key, const char *value, char *err,
                    size_t errlen);

/*
 * Parses a whole config file held in text[0..len). Blank lines and lines starting with '#' are
 * skipped. On failure the message names the line number.
 */
enum err config_parse(struct config *cfg, const char *text, size_t len, char *err, size_t errlen);

/* Reads and parses path. */
enum err config_load(struct config *cfg, const char *path, char *err, size_t errlen);

#endif
