/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The single allocator entry point. x-allocations abort on out-of-memory (Redis, git), so callers
 * never check for NULL. Size arithmetic goes through st_add/st_mult, which abort on overflow.
 * The arena gives a request one owner for all its small allocations.
 */
#ifndef VK_MEM_H
#define VK_MEM_H

#include "core/compat.h"

void *xmalloc(size_t size);                /* returns owned */
void *xcalloc(size_t n, size_t size);      /* returns owned, zeroed */
void *xrealloc(void *p, size_t size);      /* takes ownership of p, returns owned */
char *xstrdup(const char *s);              /* returns owned */
char *xstrndup(const char *s, size_t len); /* returns owned, NUL-terminated */
size_t st_add(size_t a, size_t b);
size_t st_mult(size_t a, size_t b);

struct arena_block;
struct arena {
    struct arena_block *head;
};
#define ARENA_INIT                                                                                 \
    {                                                                                              \
        NULL                                                                                       \
    }

/* Memory from the arena lives until arena_clear(); never free() it. */
void *arena_alloc(struct arena *a, size_t size);
char *arena_strndup(struct arena *a, const char *s, size_t len);
char *arena_strdup(struct arena *a, const char *s);
void arena_clear(struct arena *a);

#endif
