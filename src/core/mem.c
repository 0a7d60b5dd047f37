/* SPDX-License-Identifier: EUPL-1.2 */
/* Allocation wrappers that abort on exhaustion, and a bump-pointer arena. */
#include "core/compat.h"

#include "core/mem.h"

static VK_NORETURN void mem_oom(size_t size)
{
    fprintf(stderr, "veerkracht: out of memory allocating %zu bytes\n", size);
    abort();
}

void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p) {
        mem_oom(size);
    }
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) {
        mem_oom(st_mult(n, size));
    }
    return p;
}

void *xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);
    if (!q) {
        mem_oom(size);
    }
    return q;
}

char *xstrndup(const char *s, size_t len)
{
    char *p = xmalloc(st_add(len, 1));
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

size_t st_add(size_t a, size_t b)
{
    if (a > SIZE_MAX - b) {
        BUG("size overflow: %zu + %zu", a, b);
    }
    return a + b;
}

size_t st_mult(size_t a, size_t b)
{
    if (b && a > SIZE_MAX / b) {
        BUG("size overflow: %zu * %zu", a, b);
    }
    return a * b;
}

struct arena_block {
    struct arena_block *next;
    size_t used;
    size_t size;
    max_align_t data[];
};

enum { ARENA_BLOCK = 8192 };

void *arena_alloc(struct arena *a, size_t size)
{
    struct arena_block *b = a->head;
    size_t align = sizeof(max_align_t);
    size_t need = st_add(size, align - 1) / align * align;
    void *p;

    if (!b || b->size - b->used < need) {
        size_t cap = need > ARENA_BLOCK ? need : ARENA_BLOCK;
        b = xmalloc(st_add(sizeof(*b), cap));
        b->used = 0;
        b->size = cap;
        b->next = a->head;
        a->head = b;
    }
    p = (char *)b->data + b->used;
    b->used += need;
    return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
    char *p = arena_alloc(a, st_add(len, 1));
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

void arena_clear(struct arena *a)
{
    struct arena_block *b = a->head;
    while (b) {
        struct arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}
