/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The search's in-memory index: for every filter and facet code (care level, phase, target
 * group, language, interpreter, free per phase, no referral, open, area) the set of services
 * that carry it, plus ages and located sites per service. Built from map_service_codes,
 * map_services and map_locations once, shared read-only by every request (reference-counted),
 * and rebuilt when the map's generation changes (a counter the database bumps by trigger on
 * every write of the tables it reads, whoever writes). With it a search costs bitmap operations
 * instead of scanning code ranges for every facet (bench/map/README.md has the numbers).
 */
#include "core/compat.h"

#include <math.h>
#include <pthread.h>

#include "core/log.h"
#include "core/mem.h"
#include "directory/directory_int.h"

#define CACHE_CODES_MAX 65536 /* distinct filter codes */

/* The prefixes of the codes the search filters and counts on. */
static const char *const cached_prefixes[] = {"care_level.", "phase.",       "target_group.",
                                              "lang.",       "interpreter.", "free.",
                                              "no_referral", "open",         "area."};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct dir__cache *current; /* guarded by cache_lock; holds one reference */

static void cache_free(struct dir__cache *k)
{
    for (size_t i = 0; i < k->ncodes; i++) {
        free(k->codes[i].code);
        dir__ids_release(&k->codes[i].ids);
    }
    free(k->codes);
    dir__ids_release(&k->all);
    free(k->level);
    free(k->min_age);
    free(k->max_age);
    free(k->points);
    free(k);
}

void dir__cache_put(struct dir__cache *k)
{
    bool last;

    if (!k) {
        return;
    }
    pthread_mutex_lock(&cache_lock);
    last = --k->refs == 0;
    pthread_mutex_unlock(&cache_lock);
    if (last) {
        cache_free(k);
    }
}

/* ---- building ----------------------------------------------------------------------------- */

static int level_rank_of(const char *value)
{
    static const char *const levels[] = {"crisis", "L0", "L1", "L2", "L3"};

    for (size_t i = 0; i < ARRAY_SIZE(levels); i++) {
        if (!strcmp(value, levels[i])) {
            return (int)i;
        }
    }
    return -1;
}

/* Rows come in code order, so a new code starts a new set at the end of the list. */
static enum err code_cb(const char *code, int64_t id, void *ctx)
{
    struct dir__cache *k = ctx;
    struct dir__codeset *last = k->ncodes ? &k->codes[k->ncodes - 1] : NULL;

    if (id < 0 || id > k->max_id) {
        return ERR_OK; /* written after the largest id was read */
    }
    if (!last || strcmp(last->code, code)) {
        if (k->ncodes >= CACHE_CODES_MAX) {
            return ERR_TOO_LARGE;
        }
        if (k->ncodes % 64 == 0) {
            k->codes = xrealloc(k->codes, st_mult(k->ncodes + 64, sizeof(*k->codes)));
        }
        last = &k->codes[k->ncodes++];
        last->code = xstrdup(code);
        dir__ids_init(&last->ids, k->max_id);
    }
    dir__ids_add(&last->ids, id);
    if (!strncmp(code, "care_level.", 11) && level_rank_of(code + 11) >= 0) {
        dir__ids_add(&k->all, id);
        k->level[id] = (unsigned char)level_rank_of(code + 11);
    }
    return ERR_OK;
}

static enum err age_cb(int64_t id, int min_age, int max_age, void *ctx)
{
    struct dir__cache *k = ctx;

    if (id >= 0 && id <= k->max_id) {
        k->min_age[id] = (int16_t)(min_age < 0 ? 0 : min_age > 32767 ? 32767 : min_age);
        k->max_age[id] = (int16_t)(max_age < 0 || max_age > 32767 ? 32767 : max_age);
    }
    return ERR_OK;
}

static enum err point_cb(int64_t id, double lat, double lon, void *ctx)
{
    struct dir__cache *k = ctx;

    if (id < 0 || id > k->max_id || !isfinite(lat) || !isfinite(lon)) {
        return ERR_OK;
    }
    if (k->npoints % 1024 == 0) {
        k->points = xrealloc(k->points, st_mult(k->npoints + 1024, sizeof(*k->points)));
    }
    k->points[k->npoints++] = (struct dir__point){id, lat, lon};
    return ERR_OK;
}

static int codeset_cmp(const void *a, const void *b)
{
    return strcmp(((const struct dir__codeset *)a)->code, ((const struct dir__codeset *)b)->code);
}

static int point_cmp(const void *a, const void *b)
{
    const struct dir__point *x = a, *y = b;

    return (x->lat > y->lat) - (x->lat < y->lat);
}

static enum err cache_build(struct store_conn *c, int64_t gen, int64_t max_id,
                            struct dir__cache **out)
{
    struct dir__cache *k = xcalloc(1, sizeof(*k));
    enum err rc = ERR_OK;

    k->generation = gen;
    k->refs = 1;
    k->max_id = max_id;
    dir__ids_init(&k->all, k->max_id);
    k->level = xcalloc((size_t)k->max_id + 1, 1);
    k->min_age = xcalloc((size_t)k->max_id + 1, sizeof(*k->min_age));
    k->max_age = xcalloc((size_t)k->max_id + 1, sizeof(*k->max_age));
    for (size_t i = 0; !rc && i < ARRAY_SIZE(cached_prefixes); i++) {
        rc = store_map_prefix_each(c, cached_prefixes[i], code_cb, k);
    }
    rc = rc ? rc : store_map_age_all(c, age_cb, k);
    rc = rc ? rc : store_map_points_in_box(c, -90, 90, -180, 180, point_cb, k);
    if (rc) {
        cache_free(k);
        return rc;
    }
    qsort(k->codes, k->ncodes, sizeof(*k->codes), codeset_cmp);
    qsort(k->points, k->npoints, sizeof(*k->points), point_cmp);
    *out = k;
    return ERR_OK;
}

enum err dir__cache_get(struct store_conn *c, struct dir__cache **out)
{
    int64_t gen = 0, max_id = 0;
    struct dir__cache *k = NULL;
    enum err rc = store_map_generation(c, &gen, &max_id);

    *out = NULL;
    if (rc) {
        return rc;
    }
    pthread_mutex_lock(&cache_lock);
    if (current && current->generation == gen && current->max_id == max_id) {
        current->refs++;
        *out = current;
    }
    pthread_mutex_unlock(&cache_lock);
    if (*out) {
        return ERR_OK;
    }
    rc = cache_build(c, gen, max_id, &k); /* outside the lock: readers of the old one go on */
    if (rc) {
        return rc;
    }
    log_debug("msg=\"map search cache built\" services=%zu codes=%zu", dir__ids_count(&k->all),
              k->ncodes);
    pthread_mutex_lock(&cache_lock);
    if (current && !--current->refs) {
        cache_free(current);
    }
    current = k;
    k->refs++; /* one for current, one for the caller */
    pthread_mutex_unlock(&cache_lock);
    *out = k;
    return ERR_OK;
}

const struct dir__ids *dir__cache_code(const struct dir__cache *k, const char *code)
{
    size_t lo = 0, hi = k->ncodes;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = strcmp(k->codes[mid].code, code);

        if (!cmp) {
            return &k->codes[mid].ids;
        }
        if (cmp < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}
