/* SPDX-License-Identifier: EUPL-1.2 */
/* Slices, checked number parsing and small text predicates used by every parser. */
#include "core/compat.h"

#include "core/str.h"

struct str str_from(const char *s)
{
    struct str r = {s, s ? strlen(s) : 0};
    return r;
}

bool str_eq(struct str a, const char *b)
{
    size_t n = strlen(b);
    return a.len == n && memcmp(a.p, b, n) == 0;
}

static char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

bool str_eq_nocase(struct str a, const char *b)
{
    size_t n = strlen(b);
    if (a.len != n) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (ascii_lower(a.p[i]) != ascii_lower(b[i])) {
            return false;
        }
    }
    return true;
}

bool str_starts_with(struct str a, const char *prefix)
{
    size_t n = strlen(prefix);
    return a.len >= n && memcmp(a.p, prefix, n) == 0;
}

enum err str_parse_i64(const char *s, size_t len, int64_t min, int64_t max, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    uint64_t v = 0;
    uint64_t limit;

    if (!s || len == 0) {
        return ERR_INVALID;
    }
    if (s[0] == '-') {
        neg = true;
        i = 1;
    }
    if (i == len) {
        return ERR_INVALID;
    }
    limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < len; i++) {
        unsigned d;
        if (s[i] < '0' || s[i] > '9') {
            return ERR_INVALID;
        }
        d = (unsigned)(s[i] - '0');
        if (v > (limit - d) / 10) {
            return ERR_INVALID;
        }
        v = v * 10 + d;
    }
    {
        int64_t r = neg ? (v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v) : (int64_t)v;
        if (r < min || r > max) {
            return ERR_INVALID;
        }
        *out = r;
    }
    return ERR_OK;
}

struct str str_split(struct str *s, char sep)
{
    struct str head = *s;
    const char *hit = memchr(s->p, sep, s->len);
    if (!hit) {
        s->p += s->len;
        s->len = 0;
        return head;
    }
    head.len = (size_t)(hit - s->p);
    s->len -= head.len + 1;
    s->p = hit + 1;
    return head;
}

void str_hex(const unsigned char *data, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[data[i] >> 4];
        out[2 * i + 1] = digits[data[i] & 15];
    }
    out[2 * len] = '\0';
}

static int hex_val(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

enum err str_unhex(const char *s, size_t len, unsigned char *out, size_t outlen)
{
    if (len != 2 * outlen) {
        return ERR_INVALID;
    }
    for (size_t i = 0; i < outlen; i++) {
        int hi = hex_val(s[2 * i]), lo = hex_val(s[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            return ERR_INVALID;
        }
        out[i] = (unsigned char)(hi * 16 + lo);
    }
    return ERR_OK;
}

static size_t utf8_seq_len(unsigned char c)
{
    if (c < 0x80) {
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        return 2;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        return 4;
    }
    return 0;
}

bool str_is_clean_utf8(const char *s, size_t len, bool allow_newline)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        size_t n = utf8_seq_len(u[i]);
        if (n == 0 || i + n > len) {
            return false;
        }
        if (n == 1) {
            bool nl = (u[i] == '\n' || u[i] == '\r' || u[i] == '\t');
            if ((u[i] < 0x20 && !(allow_newline && nl)) || u[i] == 0x7F) {
                return false;
            }
        }
        for (size_t k = 1; k < n; k++) {
            if ((u[i + k] & 0xC0) != 0x80) {
                return false;
            }
        }
        i += n;
    }
    return true;
}

void str_lower_ascii(const char *s, size_t len, char *dst)
{
    for (size_t i = 0; i < len; i++) {
        dst[i] = ascii_lower(s[i]);
    }
    dst[len] = '\0';
}
