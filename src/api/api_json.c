/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Request-body JSON within hard caps: media type, nesting depth (checked on the raw bytes before
 * jansson builds anything), string length and array size (checked on the tree, with a JSON
 * pointer to the offending value), and typed member access that records field errors.
 */
#include "core/compat.h"

#include "api/api_int.h"
#include "core/clock.h"
#include "core/str.h"
#include "dossier/dossier.h"

#define API_JSON_DEPTH  32
#define API_JSON_STRING 4096
#define API_JSON_ITEMS  256

/* Nesting depth of raw JSON text, ignoring brackets inside strings. */
static bool depth_ok(const char *s, size_t len, size_t *at)
{
    int depth = 0;
    bool in_str = false;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (in_str) {
            if (ch == '\\') {
                i++;
            } else if (ch == '"') {
                in_str = false;
            }
        } else if (ch == '"') {
            in_str = true;
        } else if (ch == '{' || ch == '[') {
            if (++depth > API_JSON_DEPTH) {
                *at = i;
                return false;
            }
        } else if (ch == '}' || ch == ']') {
            depth--;
        }
    }
    return true;
}

/* Appends a pointer segment with RFC 6901 escaping. */
static void ptr_push(char *ptr, size_t size, const char *seg)
{
    size_t n = strlen(ptr);
    if (n + 1 < size) {
        ptr[n++] = '/';
        ptr[n] = '\0';
    }
    for (; *seg && n + 2 < size; seg++) {
        if (*seg == '~' || *seg == '/') {
            ptr[n++] = '~';
            ptr[n++] = *seg == '~' ? '0' : '1';
        } else {
            ptr[n++] = *seg;
        }
        ptr[n] = '\0';
    }
}

static bool caps_ok(json_t *v, size_t string_max, char *ptr, size_t size, const char **why)
{
    size_t base = strlen(ptr);
    bool ok = true;

    if (json_is_string(v) && json_string_length(v) > string_max) {
        *why = string_max == API_JSON_STRING ? "string longer than 4096 bytes"
                                             : "string longer than the limit for this field";
        return false;
    }
    if (json_is_array(v)) {
        size_t i;
        json_t *item;
        if (json_array_size(v) > API_JSON_ITEMS) {
            *why = "array with more than 256 items";
            return false;
        }
        json_array_foreach(v, i, item)
        {
            char idx[24];
            snprintf(idx, sizeof(idx), "%zu", i);
            ptr_push(ptr, size, idx);
            if (!(ok = caps_ok(item, string_max, ptr, size, why))) {
                return false;
            }
            ptr[base] = '\0';
        }
    } else if (json_is_object(v)) {
        const char *key;
        json_t *item;
        if (json_object_size(v) > API_JSON_ITEMS) {
            *why = "object with more than 256 members";
            return false;
        }
        json_object_foreach(v, key, item)
        {
            ptr_push(ptr, size, key);
            if (!(ok = caps_ok(item, string_max, ptr, size, why))) {
                return false;
            }
            ptr[base] = '\0';
        }
    }
    return ok;
}

static bool media_type_json(const char *ct)
{
    struct str s = str_from(ct);
    struct str type;
    if (!ct) {
        return false;
    }
    type = str_split(&s, ';');
    while (type.len && type.p[type.len - 1] == ' ') {
        type.len--;
    }
    return str_eq_nocase(type, "application/json");
}

enum err api__body_object(struct api_req *r, json_t **out)
{
    return api__body_object_cap(r, API_JSON_STRING, out);
}

enum err api__body_object_cap(struct api_req *r, size_t string_max, json_t **out)
{
    json_error_t jerr;
    json_t *root;
    char ptr[96] = "";
    const char *why = NULL;
    size_t at = 0;

    *out = NULL;
    if (!media_type_json(r->content_type)) {
        snprintf(r->detail, sizeof(r->detail), "send the body as application/json");
        return ERR_MEDIA_TYPE;
    }
    if (!depth_ok(r->body, r->body_len, &at)) {
        verr_add(&r->verr, "", "nested deeper than %d levels (at byte %zu)", API_JSON_DEPTH, at);
        return ERR_MALFORMED;
    }
    root = json_loadb(r->body ? r->body : "", r->body_len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        verr_add(&r->verr, "", "line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
        return ERR_MALFORMED;
    }
    if (!caps_ok(root, string_max, ptr, sizeof(ptr), &why)) {
        verr_add(&r->verr, ptr, "%s", why);
        json_decref(root);
        return ERR_MALFORMED;
    }
    if (!json_is_object(root)) {
        verr_add(&r->verr, "", "expected a JSON object");
        json_decref(root);
        return ERR_MALFORMED;
    }
    *out = root;
    return ERR_OK;
}

void api__reject_unknown(json_t *obj, const char *const *allowed, struct verr *v)
{
    const char *key;
    json_t *val;
    json_object_foreach(obj, key, val)
    {
        const char *const *a = allowed;
        char ptr[96] = "";
        while (*a && strcmp(*a, key)) {
            a++;
        }
        if (!*a) {
            ptr_push(ptr, sizeof(ptr), key);
            verr_add(v, ptr, "unknown field");
        }
    }
}

const char *api__string(json_t *obj, const char *key, size_t max, bool required, struct verr *v)
{
    json_t *val = json_object_get(obj, key);
    char ptr[96] = "";
    const char *s;

    ptr_push(ptr, sizeof(ptr), key);
    if (!val || json_is_null(val)) {
        if (required) {
            verr_add(v, ptr, "is required");
        }
        return NULL;
    }
    if (!json_is_string(val)) {
        verr_add(v, ptr, "must be a string");
        return NULL;
    }
    s = json_string_value(val);
    if (strlen(s) != json_string_length(val) || json_string_length(val) > max) {
        verr_add(v, ptr, "must be at most %zu bytes, without NUL characters", max);
        return NULL;
    }
    return s;
}

void api__integer(json_t *obj, const char *key, int64_t *out, struct verr *v)
{
    json_t *val = json_object_get(obj, key);
    char ptr[96] = "";
    ptr_push(ptr, sizeof(ptr), key);
    if (!val) {
        verr_add(v, ptr, "is required");
    } else if (!json_is_integer(val)) {
        verr_add(v, ptr, "must be a whole number");
    } else {
        *out = (int64_t)json_integer_value(val);
    }
}

void api__login_policy(const struct config *cfg, struct login_policy *p)
{
    p->throttle_after = cfg->login_throttle_after;
    p->delay_ms = cfg->login_delay_ms;
    p->lock_after = cfg->login_lock_after;
    p->lock_ms = cfg->login_lock_s * 1000;
    p->ip_lock_after = cfg->ip_lock_after;
    p->idle_ms = cfg->session_idle_s * 1000;
    p->max_ms = cfg->session_max_s * 1000;
}

const char *api__iso(struct api_req *r, int64_t ms)
{
    char buf[40];
    return arena_strdup(&r->arena, clock_fmt_iso(ms, buf, sizeof(buf)));
}

json_t *api__scopes_json(uint32_t scopes)
{
    json_t *a = json_array();
    for (int i = 0; i < SCOPE_COUNT; i++) {
        if (scopes & (1u << i)) {
            json_array_append_new(a, json_string(consent_scope_name(1u << i)));
        }
    }
    return a;
}
