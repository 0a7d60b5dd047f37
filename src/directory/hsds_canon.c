/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Canonical JSON: sorted keys, no white space, the escapes JSON requires and nothing else, and
 * reals in the shortest text that reads back to the same double. jansson's dump is not used
 * because it writes 52.1011 as 52.101100000000002, so equal data would not give equal bytes.
 */
#include "core/compat.h"

#include "core/mem.h"
#include "directory/hsds_int.h"

#define CANON_DEPTH_MAX 4096

/* "-1.2345e+02" (from %.*e) into sign, digits and decimal exponent. */
static void split_sci(const char *s, bool *neg, char *digs, size_t *ndig, int *exp10)
{
    long e = 0;
    bool eneg = false;
    *neg = (*s == '-');
    s += *neg;
    *ndig = 0;
    for (; *s && *s != 'e'; s++) {
        if (*s >= '0' && *s <= '9' && *ndig < 20) {
            digs[(*ndig)++] = *s;
        }
    }
    if (*s == 'e') {
        s++;
        eneg = (*s == '-');
        s += (*s == '-' || *s == '+');
        for (; *s >= '0' && *s <= '9'; s++) {
            e = e * 10 + (*s - '0');
        }
    }
    if (*ndig == 0) {
        digs[(*ndig)++] = '0';
    }
    while (*ndig > 1 && digs[*ndig - 1] == '0') {
        (*ndig)--;
    }
    *exp10 = (int)(eneg ? -e : e);
}

static void put_fixed(char *o, const char *digs, size_t n, int e)
{
    size_t k = 0;
    if (e < 0) {
        o[k++] = '0';
        o[k++] = '.';
        for (int z = 0; z < -e - 1; z++) {
            o[k++] = '0';
        }
        memcpy(o + k, digs, n);
        k += n;
    } else {
        size_t ilen = (size_t)e + 1;
        for (size_t i = 0; i < ilen; i++) {
            o[k++] = i < n ? digs[i] : '0';
        }
        o[k++] = '.';
        if (n > ilen) {
            memcpy(o + k, digs + ilen, n - ilen);
            k += n - ilen;
        } else {
            o[k++] = '0';
        }
    }
    o[k] = '\0';
}

void hsds__fmt_real(double d, char out[32])
{
    char tmp[40], digs[24] = {0};
    size_t n, k = 0;
    int p, e;
    bool neg;

    for (p = 1; p <= 17; p++) {
        snprintf(tmp, sizeof(tmp), "%.*e", p - 1, d);
        if (strtod(tmp, NULL) == d) {
            break;
        }
    }
    split_sci(tmp, &neg, digs, &n, &e);
    if (neg) {
        out[k++] = '-';
    }
    if (e >= -5 && e < 17) {
        put_fixed(out + k, digs, n, e);
        return;
    }
    out[k++] = digs[0];
    if (n > 1) {
        out[k++] = '.';
        memcpy(out + k, digs + 1, n - 1);
        k += n - 1;
    }
    snprintf(out + k, 32 - k, "e%d", e);
}

enum err hsds__dump_string(const char *s, size_t len, struct buf *out)
{
    static const char hex[] = "0123456789abcdef";
    enum err rc = buf_addch(out, '"');
    size_t run = 0;

    for (size_t i = 0; i < len && !rc; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[7] = {'\\', 0, 0, 0, 0, 0, 0};
        size_t elen = 2;
        if (c >= 0x20 && c != '"' && c != '\\') {
            continue;
        }
        rc = buf_add(out, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"':
            esc[1] = '"';
            break;
        case '\\':
            esc[1] = '\\';
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            elen = 6;
        }
        if (!rc) {
            rc = buf_add(out, esc, elen);
        }
    }
    if (!rc) {
        rc = buf_add(out, s + run, len - run);
    }
    return rc ? rc : buf_addch(out, '"');
}

enum err hsds__scalar_text(const json_t *v, struct buf *out)
{
    char num[32];
    switch (json_typeof(v)) {
    case JSON_STRING:
        return buf_add(out, json_string_value(v), json_string_length(v));
    case JSON_INTEGER:
        return buf_addf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    case JSON_REAL:
        hsds__fmt_real(json_real_value(v), num);
        return buf_addstr(out, num);
    case JSON_TRUE:
        return buf_addstr(out, "true");
    case JSON_FALSE:
        return buf_addstr(out, "false");
    default:
        return ERR_OK;
    }
}

static int key_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static enum err dump(const json_t *v, struct buf *out, int depth);

static enum err dump_object(const json_t *v, struct buf *out, int depth)
{
    size_t n = json_object_size(v), i = 0;
    const char **keys = xcalloc(n ? n : 1, sizeof(*keys));
    const char *key;
    json_t *m;
    enum err rc = buf_addch(out, '{');

    json_object_foreach(hsds__unconst(v), key, m)
    {
        keys[i++] = key;
    }
    qsort(keys, n, sizeof(*keys), key_cmp);
    for (i = 0; i < n && !rc; i++) {
        if (i) {
            rc = buf_addch(out, ',');
        }
        if (!rc) {
            rc = hsds__dump_string(keys[i], strlen(keys[i]), out);
        }
        if (!rc) {
            rc = buf_addch(out, ':');
        }
        if (!rc) {
            rc = dump(json_object_get(v, keys[i]), out, depth + 1);
        }
    }
    free(keys);
    return rc ? rc : buf_addch(out, '}');
}

static enum err dump(const json_t *v, struct buf *out, int depth)
{
    enum err rc = ERR_OK;
    size_t i;

    if (depth > CANON_DEPTH_MAX) {
        return ERR_INVALID;
    }
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return dump_object(v, out, depth);
    case JSON_ARRAY:
        rc = buf_addch(out, '[');
        for (i = 0; i < json_array_size(v) && !rc; i++) {
            rc = i ? buf_addch(out, ',') : ERR_OK;
            if (!rc) {
                rc = dump(json_array_get(v, i), out, depth + 1);
            }
        }
        return rc ? rc : buf_addch(out, ']');
    case JSON_STRING:
        return hsds__dump_string(json_string_value(v), json_string_length(v), out);
    case JSON_NULL:
        return buf_addstr(out, "null");
    default:
        return hsds__scalar_text(v, out);
    }
}

enum err hsds_dump_canonical(const json_t *v, struct buf *out)
{
    if (!v) {
        return ERR_INVALID;
    }
    return dump(v, out, 0);
}

enum err hsds_dump_package(const json_t *pkg, struct buf *out)
{
    enum err rc;
    size_t i, n = json_array_size(pkg);

    if (!json_is_array(pkg)) {
        return hsds_dump_canonical(pkg, out);
    }
    rc = buf_addstr(out, n ? "[\n" : "[]\n");
    for (i = 0; i < n && !rc; i++) {
        rc = dump(json_array_get(pkg, i), out, 1);
        if (!rc) {
            rc = buf_addstr(out, i + 1 < n ? ",\n" : "\n]\n");
        }
    }
    return rc;
}
