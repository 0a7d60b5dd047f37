/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Growable byte buffer with git strbuf's invariants (ptr never NULL, always NUL-terminated)
 * and curl dynbuf's mandatory cap: an append past `max` fails with ERR_TOO_LARGE and leaves the
 * buffer as it was.
 */
#ifndef VK_BUF_H
#define VK_BUF_H

#include "core/compat.h"
#include "core/err.h"

struct buf {
    char *ptr;
    size_t len;
    size_t alloc;
    size_t max;
};

extern char buf_empty[];
#define BUF_INIT(maxlen)                                                                           \
    {                                                                                              \
        buf_empty, 0, 0, (maxlen)                                                                  \
    }

void buf_init(struct buf *b, size_t max);
/* Frees the storage and returns b to its empty state; max is kept. */
void buf_release(struct buf *b);
void buf_reset(struct buf *b);
/* Returns the contents as an owned NUL-terminated string and resets b. */
char *buf_detach(struct buf *b, size_t *len_out);

enum err buf_add(struct buf *b, const void *data, size_t len);
enum err buf_addstr(struct buf *b, const char *s);
enum err buf_addch(struct buf *b, char c);
enum err buf_addf(struct buf *b, const char *fmt, ...) VK_PRINTF(2, 3);
/*
 * Appends the whole file at path. ERR_IO when it cannot be opened or read (errno tells why),
 * ERR_TOO_LARGE when it does not fit under b's cap; b may then hold part of the file.
 */
enum err buf_read_file(struct buf *b, const char *path);

#endif
