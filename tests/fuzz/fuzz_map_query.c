/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * libFuzzer target: the social-map search's query string. The input is read as a URL query
 * string ("q=angst&level=L1,L2&near=52.1,4.3"): split at '&', each pair at its first '=', '+'
 * and %XX decoded as the HTTP layer does (a decoded NUL ends the value, as in a C string), then
 * dir_query_parse() runs on the pairs and, for a query it accepts, the FTS5 expression builder
 * on its free text. Oracles beyond the sanitizers: an accepted query keeps every value within
 * its documented range, and the expression is only quoted FTS5 strings (each optionally
 * followed by the prefix *) separated by single spaces, so nothing typed is FTS syntax.
 */
#include "core/compat.h"

#include "core/buf.h"
#include "core/mem.h"
#include "directory/directory_int.h"

#define PAIRS_MAX 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct pairs {
    char *name[PAIRS_MAX];
    char *value[PAIRS_MAX];
    size_t n;
};

static int hex(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') {
        return (c | 0x20) - 'a' + 10;
    }
    return -1;
}

/* A new NUL-terminated string: s[0..n) with '+' and %XX decoded, cut at a decoded NUL. */
static char *decode(const char *s, size_t n)
{
    char *out = xmalloc(n + 1);
    size_t k = 0;

    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
            out[k++] = (char)(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else {
            out[k++] = s[i] == '+' ? ' ' : s[i];
        }
    }
    out[k] = '\0';
    return out;
}

static void split(const char *p, size_t size, struct pairs *ps)
{
    size_t start = 0;

    ps->n = 0;
    for (size_t i = 0; i <= size && ps->n < PAIRS_MAX; i++) {
        if (i == size || p[i] == '&') {
            const char *eq = memchr(p + start, '=', i - start);
            size_t nlen = eq ? (size_t)(eq - (p + start)) : i - start;
            ps->name[ps->n] = decode(p + start, nlen);
            ps->value[ps->n] = eq ? decode(eq + 1, i - start - nlen - 1) : decode("", 0);
            ps->n++;
            start = i + 1;
        }
    }
}

static void pairs_release(struct pairs *ps)
{
    for (size_t i = 0; i < ps->n; i++) {
        free(ps->name[i]);
        free(ps->value[i]);
    }
}

/* The first value given for name, as the HTTP layer's lookup returns it. */
static const char *get(void *ctx, const char *name)
{
    const struct pairs *ps = ctx;
    for (size_t i = 0; i < ps->n; i++) {
        if (strcmp(ps->name[i], name) == 0) {
            return ps->value[i];
        }
    }
    return NULL;
}

static void check_ranges(const struct dir_query *q)
{
    if (q->page < 1 || q->page > 10000 || q->per_page < 1 || q->per_page > DIR_PER_PAGE_MAX) {
        BUG("page or per_page out of range");
    }
    if (q->age < -1 || q->age > 150 || (q->levels >> 5) != 0) {
        BUG("age or levels out of range");
    }
    if (q->q && (strlen(q->q) == 0 || strlen(q->q) > DIR_Q_MAX)) {
        BUG("q accepted outside 1..DIR_Q_MAX bytes");
    }
    if (q->near_set && (q->lat < -90 || q->lat > 90 || q->lon < -180 || q->lon > 180)) {
        BUG("near accepted out of range");
    }
    if (q->within_km < 0 || q->within_km > 1000 || (q->within_km > 0 && !q->near_set)) {
        BUG("within_km accepted out of range or without near");
    }
    if (q->free && !q->phase) {
        BUG("free accepted without phase");
    }
}

/* "t1" "t2"* ...: quoted strings with inner quotes doubled, optional *, one space between. */
static void check_expression(const char *m, size_t len)
{
    size_t i = 0;

    while (i < len) {
        if (m[i++] != '"') {
            BUG("FTS expression term does not start with a quote");
        }
        for (;;) {
            if (i >= len) {
                BUG("FTS expression has an unterminated string");
            }
            if (m[i] == '"' && i + 1 < len && m[i + 1] == '"') {
                i += 2;
            } else if (m[i] == '"') {
                i++;
                break;
            } else {
                i++;
            }
        }
        i += (i < len && m[i] == '*');
        if (i < len && (m[i] != ' ' || i + 1 == len)) {
            BUG("FTS expression: something other than one space between terms");
        }
        i += (i < len);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pairs ps;
    struct dir_query q;
    struct verr errs = {0};

    split((const char *)data, size, &ps);
    if (dir_query_parse(&q, get, &ps, &errs) == ERR_OK) {
        if (errs.n) {
            BUG("accepted with errors");
        }
        check_ranges(&q);
        if (q.q) {
            struct buf m = BUF_INIT(16 * DIR_Q_MAX); /* the search's cap (search.c) */
            if (dir__fts_expression(q.q, &m) != ERR_OK) {
                BUG("an accepted query does not fit the search's expression buffer");
            }
            check_expression(m.ptr, m.len);
            buf_release(&m);
        }
    } else if (errs.n == 0) {
        BUG("refused without saying why");
    }
    pairs_release(&ps);
    return 0;
}
