/* SPDX-License-Identifier: EUPL-1.2 */
/* struct buf: capped, growable, always NUL-terminated. */
#include "core/compat.h"

#include <errno.h>
#include <stdarg.h>

#include "core/buf.h"
#include "core/mem.h"

char buf_empty[1];

void buf_init(struct buf *b, size_t max)
{
    b->ptr = buf_empty;
    b->len = 0;
    b->alloc = 0;
    b->max = max;
}

void buf_release(struct buf *b)
{
    if (b->alloc) {
        free(b->ptr);
    }
    buf_init(b, b->max);
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    b->ptr[0] = '\0';
    if (!b->alloc) {
        b->ptr = buf_empty;
    }
}

char *buf_detach(struct buf *b, size_t *len_out)
{
    char *p = b->alloc ? b->ptr : xstrdup("");
    if (len_out) {
        *len_out = b->len;
    }
    buf_init(b, b->max);
    return p;
}

static enum err buf_grow(struct buf *b, size_t extra)
{
    size_t need = st_add(st_add(b->len, extra), 1);
    size_t cap;

    if (need - 1 > b->max) {
        return ERR_TOO_LARGE;
    }
    if (need <= b->alloc) {
        return ERR_OK;
    }
    cap = b->alloc ? b->alloc : 64;
    while (cap < need) {
        cap = st_mult(cap, 2);
    }
    if (!b->alloc) {
        b->ptr = NULL;
    }
    b->ptr = xrealloc(b->ptr, cap);
    b->alloc = cap;
    return ERR_OK;
}

enum err buf_add(struct buf *b, const void *data, size_t len)
{
    enum err rc = buf_grow(b, len);
    if (rc) {
        return rc;
    }
    if (len) {
        memcpy(b->ptr + b->len, data, len);
    }
    b->len += len;
    b->ptr[b->len] = '\0';
    return ERR_OK;
}

enum err buf_addstr(struct buf *b, const char *s)
{
    return buf_add(b, s, strlen(s));
}

enum err buf_addch(struct buf *b, char c)
{
    return buf_add(b, &c, 1);
}

enum err buf_addf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    enum err rc;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return ERR_INTERNAL;
    }
    rc = buf_grow(b, (size_t)n);
    if (rc) {
        return rc;
    }
    va_start(ap, fmt);
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return ERR_OK;
}

enum err buf_read_file(struct buf *b, const char *path)
{
    char chunk[65536];
    size_t n;
    enum err rc = ERR_OK;
    int saved;
    FILE *f = fopen(path, "rb");

    if (!f) {
        return ERR_IO;
    }
    while (!rc && (n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        rc = buf_add(b, chunk, n);
    }
    if (!rc && ferror(f)) {
        rc = ERR_IO;
    }
    saved = errno;
    fclose(f);
    errno = saved;
    return rc;
}
