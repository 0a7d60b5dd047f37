/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Sets of services for the search and the chain overview: a bitmap over map_services row ids
 * (ids are dense, so 100,000 services take 12.5 KiB), and the areas of the region with the
 * municipality rule of docs/social-map.md §6 (a service area equal to the municipality, a COA
 * location in it, or the national area).
 */
#include "core/compat.h"

#include "core/mem.h"
#include "directory/directory_int.h"

#define AREA_URI_MAX 255

/* ---- id sets ------------------------------------------------------------------------------ */

void dir__ids_init(struct dir__ids *s, int64_t max_id)
{
    s->nw = (size_t)max_id / 64 + 1;
    s->w = xcalloc(s->nw, sizeof(*s->w));
}

void dir__ids_release(struct dir__ids *s)
{
    free(s->w);
    s->w = NULL;
    s->nw = 0;
}

bool dir__ids_has(const struct dir__ids *s, int64_t id)
{
    size_t i = (size_t)id / 64;

    return id >= 0 && i < s->nw && (s->w[i] >> ((size_t)id % 64) & 1u);
}

void dir__ids_add(struct dir__ids *s, int64_t id)
{
    size_t i = (size_t)id / 64;

    if (id >= 0 && i < s->nw) {
        s->w[i] |= (uint64_t)1 << ((size_t)id % 64);
    }
}

void dir__ids_and(struct dir__ids *s, const struct dir__ids *t)
{
    for (size_t i = 0; i < s->nw; i++) {
        s->w[i] &= t->w[i];
    }
}

void dir__ids_or(struct dir__ids *s, const struct dir__ids *t)
{
    for (size_t i = 0; t && i < s->nw && i < t->nw; i++) {
        s->w[i] |= t->w[i];
    }
}

void dir__ids_copy(struct dir__ids *dst, const struct dir__ids *src)
{
    dst->nw = src->nw;
    dst->w = xmalloc(st_mult(src->nw, sizeof(*src->w)));
    memcpy(dst->w, src->w, src->nw * sizeof(*src->w));
}

size_t dir__ids_count(const struct dir__ids *s)
{
    size_t n = 0;

    for (size_t i = 0; i < s->nw; i++) {
        n += (size_t)__builtin_popcountll(s->w[i]);
    }
    return n;
}

/* The next member >= from, or -1. */
int64_t dir__ids_next(const struct dir__ids *s, int64_t from)
{
    size_t i = (size_t)from / 64;
    uint64_t word;

    if (from < 0 || i >= s->nw) {
        return -1;
    }
    word = s->w[i] & (~(uint64_t)0 << ((size_t)from % 64));
    while (!word) {
        if (++i >= s->nw) {
            return -1;
        }
        word = s->w[i];
    }
    return (int64_t)(i * 64 + (size_t)__builtin_ctzll(word));
}

/* ---- areas -------------------------------------------------------------------------------- */

#define AREAS_MAX 2000

static enum err area_cb(const struct store_map_area *a, void *ctx)
{
    struct dir__areas *as = ctx;

    if (as->n >= AREAS_MAX) {
        return ERR_TOO_LARGE;
    }
    if (as->n % 32 == 0) {
        as->a = xrealloc(as->a, st_mult(as->n + 32, sizeof(*as->a)));
    }
    as->a[as->n++] = *a;
    return ERR_OK;
}

enum err dir__areas_load(struct store_conn *c, struct dir__areas *as)
{
    if (as->loaded) {
        return ERR_OK;
    }
    as->loaded = true;
    return store_map_area_each(c, area_cb, as);
}

void dir__areas_release(struct dir__areas *as)
{
    free(as->a);
    memset(as, 0, sizeof(*as));
}

const struct store_map_area *dir__area_find(const struct dir__areas *as, const char *uri)
{
    for (size_t i = 0; i < as->n; i++) {
        if (!strcmp(as->a[i].uri, uri)) {
            return &as->a[i];
        }
    }
    return NULL;
}

/* Adds the services with service area uri. */
static enum err area_code_add(const struct dir__cache *k, const char *uri, struct dir__ids *out)
{
    struct buf code = BUF_INIT(AREA_URI_MAX + 8);
    enum err rc = buf_addf(&code, "area.%s", uri);

    if (!rc) {
        dir__ids_or(out, dir__cache_code(k, code.ptr));
    }
    buf_release(&code);
    return rc;
}

/* For a COA location: its municipality's services that serve the COA phase. */
static enum err area_coa_parent(const struct dir__cache *k, const char *parent,
                                struct dir__ids *out)
{
    const struct dir__ids *coa = dir__cache_code(k, "phase.coa");
    struct dir__ids muni = {0};
    enum err rc;

    dir__ids_init(&muni, k->max_id);
    rc = area_code_add(k, parent, &muni);
    if (!rc && coa) {
        dir__ids_and(&muni, coa);
        dir__ids_or(out, &muni);
    }
    dir__ids_release(&muni);
    return rc;
}

enum err dir__area_services(struct store_conn *c, const struct dir__cache *k, struct dir__areas *as,
                            const char *uri, bool coa_parent, struct dir__ids *out)
{
    const struct store_map_area *self;
    enum err rc = dir__areas_load(c, as);

    if (!out->w) {
        dir__ids_init(out, k->max_id);
    }
    rc = rc ? rc : area_code_add(k, uri, out);
    for (size_t i = 0; !rc && i < as->n; i++) {
        const struct store_map_area *a = &as->a[i];

        if (!strcmp(a->kind, "national") ||
            (!strcmp(a->kind, "coa_location") && !strcmp(a->parent_uri, uri))) {
            rc = area_code_add(k, a->uri, out);
        }
    }
    self = dir__area_find(as, uri);
    if (!rc && coa_parent && self && !strcmp(self->kind, "coa_location") && self->parent_uri[0]) {
        rc = area_coa_parent(k, self->parent_uri, out);
    }
    return rc;
}

void dir__cache_prefix(const struct dir__cache *k, const char *prefix, struct dir__ids *out)
{
    size_t n = strlen(prefix);

    dir__ids_init(out, k->max_id);
    for (size_t i = 0; i < k->ncodes; i++) {
        if (!strncmp(k->codes[i].code, prefix, n)) {
            dir__ids_or(out, &k->codes[i].ids);
        }
    }
}
