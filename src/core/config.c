/* SPDX-License-Identifier: EUPL-1.2 */
/* Configuration table: each key names its field, type and allowed range. */
#include "core/compat.h"

#include "core/config.h"
#include "core/str.h"

enum config_type { CT_INT, CT_SIZE, CT_BOOL, CT_TEXT, CT_LISTEN };

struct config_key {
    const char *name;
    enum config_type type;
    size_t offset;
    size_t size; /* text fields */
    int64_t min;
    int64_t max;
};

#define CK_INT(n, f, lo, hi)                                                                       \
    {                                                                                              \
        n, CT_INT, offsetof(struct config, f), 0, lo, hi                                           \
    }
#define CK_TEXT(n, f)                                                                              \
    {                                                                                              \
        n, CT_TEXT, offsetof(struct config, f), sizeof(((struct config *)0)->f), 0, 0              \
    }
#define CK_BOOL(n, f)                                                                              \
    {                                                                                              \
        n, CT_BOOL, offsetof(struct config, f), 0, 0, 1                                            \
    }

static const struct config_key config_keys[] = {
    {"listen", CT_LISTEN, 0, 0, 0, 0},
    CK_TEXT("db", db_path),
    CK_TEXT("web_root", web_root),
    CK_TEXT("key_file", key_file),
    CK_TEXT("public_origin", public_origin),
    CK_BOOL("secure_cookies", secure_cookies),
    {"max_body", CT_SIZE, offsetof(struct config, max_body), 0, 1024, 64 * 1024 * 1024},
    {"threads", CT_INT, offsetof(struct config, threads), 0, 1, 64},
    CK_INT("session_idle", session_idle_s, 1, 86400),
    CK_INT("session_max", session_max_s, 1, 7 * 86400),
    CK_INT("login_throttle_after", login_throttle_after, 1, 1000),
    CK_INT("login_delay_ms", login_delay_ms, 0, 3600000),
    CK_INT("login_lock_after", login_lock_after, 1, 1000),
    CK_INT("login_lock_seconds", login_lock_s, 1, 86400),
    CK_INT("ip_lock_after", ip_lock_after, 1, 100000),
    CK_BOOL("demo", demo),
    CK_BOOL("debug", debug),
    CK_BOOL("map_public", map_public),
    CK_TEXT("routing_rules", routing_rules),
};

void config_defaults(struct config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    snprintf(cfg->listen_host, sizeof(cfg->listen_host), "127.0.0.1");
    cfg->listen_port = 8080;
    snprintf(cfg->db_path, sizeof(cfg->db_path), "veerkracht.db");
    cfg->max_body = 1024 * 1024;
    cfg->threads = 4;
    cfg->session_idle_s = 15 * 60;
    cfg->session_max_s = 12 * 3600;
    cfg->login_throttle_after = 5;
    cfg->login_delay_ms = 1000;
    cfg->login_lock_after = 10;
    cfg->login_lock_s = 15 * 60;
    cfg->ip_lock_after = 100;
    cfg->map_public = true;
}

static enum err config_set_listen(struct config *cfg, const char *v, char *err, size_t errlen)
{
    const char *colon = strrchr(v, ':');
    int64_t port;
    size_t hostlen;

    if (!colon || colon == v) {
        snprintf(err, errlen, "listen: expected ADDR:PORT, got '%s'", v);
        return ERR_INVALID;
    }
    hostlen = (size_t)(colon - v);
    if (hostlen >= sizeof(cfg->listen_host) ||
        str_parse_i64(colon + 1, strlen(colon + 1), 0, 65535, &port)) {
        snprintf(err, errlen, "listen: bad address or port in '%s'", v);
        return ERR_INVALID;
    }
    memcpy(cfg->listen_host, v, hostlen);
    cfg->listen_host[hostlen] = '\0';
    cfg->listen_port = (int)port;
    return ERR_OK;
}

static enum err config_set_bool(bool *field, const char *name, const char *v, char *err,
                                size_t errlen)
{
    if (!strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "yes") || !strcmp(v, "on")) {
        *field = true;
    } else if (!strcmp(v, "false") || !strcmp(v, "0") || !strcmp(v, "no") || !strcmp(v, "off")) {
        *field = false;
    } else {
        snprintf(err, errlen, "%s: expected true or false, got '%s'", name, v);
        return ERR_INVALID;
    }
    return ERR_OK;
}

static enum err config_set_key(struct config *cfg, const struct config_key *k, const char *v,
                               char *err, size_t errlen)
{
    char *base = (char *)cfg;
    int64_t n;

    switch (k->type) {
    case CT_LISTEN:
        return config_set_listen(cfg, v, err, errlen);
    case CT_BOOL:
        return config_set_bool((bool *)(base + k->offset), k->name, v, err, errlen);
    case CT_TEXT:
        if (strlen(v) >= k->size) {
            snprintf(err, errlen, "%s: value too long", k->name);
            return ERR_INVALID;
        }
        memcpy(base + k->offset, v, strlen(v) + 1);
        return ERR_OK;
    case CT_INT:
    case CT_SIZE:
        if (str_parse_i64(v, strlen(v), k->min, k->max, &n)) {
            snprintf(err, errlen, "%s: expected a whole number from %lld to %lld, got '%s'",
                     k->name, (long long)k->min, (long long)k->max, v);
            return ERR_INVALID;
        }
        if (k->type == CT_SIZE) {
            *(size_t *)(base + k->offset) = (size_t)n;
        } else if (k->offset == offsetof(struct config, threads)) {
            cfg->threads = (int)n;
        } else {
            *(int64_t *)(base + k->offset) = n;
        }
        return ERR_OK;
    }
    return ERR_INTERNAL;
}

enum err config_set(struct config *cfg, const char *key, const char *value, char *err,
                    size_t errlen)
{
    for (size_t i = 0; i < ARRAY_SIZE(config_keys); i++) {
        if (!strcmp(config_keys[i].name, key)) {
            return config_set_key(cfg, &config_keys[i], value, err, errlen);
        }
    }
    snprintf(err, errlen, "unknown setting '%s'", key);
    return ERR_INVALID;
}

static struct str config_trim(struct str s)
{
    while (s.len && (s.p[0] == ' ' || s.p[0] == '\t')) {
        s.p++;
        s.len--;
    }
    while (s.len && (s.p[s.len - 1] == ' ' || s.p[s.len - 1] == '\t' || s.p[s.len - 1] == '\r')) {
        s.len--;
    }
    return s;
}

static enum err config_parse_line(struct config *cfg, struct str line, char *err, size_t errlen)
{
    struct str key, rest;
    char k[64], v[CONFIG_PATH_MAX];

    line = config_trim(line);
    if (line.len == 0 || line.p[0] == '#') {
        return ERR_OK;
    }
    if (!memchr(line.p, '=', line.len)) {
        snprintf(err, errlen, "expected 'key = value'");
        return ERR_INVALID;
    }
    rest = line;
    key = config_trim(str_split(&rest, '='));
    rest = config_trim(rest);
    if (key.len == 0 || key.len >= sizeof(k) || rest.len >= sizeof(v)) {
        snprintf(err, errlen, "bad key or value too long");
        return ERR_INVALID;
    }
    memcpy(k, key.p, key.len);
    k[key.len] = '\0';
    memcpy(v, rest.p, rest.len);
    v[rest.len] = '\0';
    return config_set(cfg, k, v, err, errlen);
}

enum err config_parse(struct config *cfg, const char *text, size_t len, char *err, size_t errlen)
{
    struct str all = {text, len};
    int lineno = 0;

    while (all.len) {
        char msg[256];
        struct str line = str_split(&all, '\n');
        lineno++;
        if (config_parse_line(cfg, line, msg, sizeof(msg))) {
            snprintf(err, errlen, "line %d: %s", lineno, msg);
            return ERR_INVALID;
        }
    }
    return ERR_OK;
}

enum err config_load(struct config *cfg, const char *path, char *err, size_t errlen)
{
    char text[64 * 1024];
    size_t n;
    FILE *f = fopen(path, "r");
    enum err rc;

    if (!f) {
        snprintf(err, errlen, "cannot open config file '%s'", path);
        return ERR_IO;
    }
    n = fread(text, 1, sizeof(text), f);
    if (n == sizeof(text)) {
        fclose(f);
        snprintf(err, errlen, "config file '%s' is larger than 64 KiB", path);
        return ERR_INVALID;
    }
    fclose(f);
    rc = config_parse(cfg, text, n, err, errlen);
    return rc;
}
