/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Running a search of the social map (docs/social-map.md §6): one set of service ids per active
 * filter (ids.c), so that the result is their intersection and each facet is counted over the
 * intersection of all the other filters. The sets, ages and sites come from the shared
 * in-memory index (cache.c); free text is an FTS5 match over folded, quoted terms (query.c)
 * ranked by bm25; distance is haversine after a bounding box on the sites sorted by latitude.
 * Cards come from view.c.
 */
#include "core/compat.h"

#include <math.h>

#include "core/clock.h"
#include "core/mem.h"
#include "core/str.h"
#include "directory/directory_int.h"

#define CODE_MAX       320 /* bytes of a filter code: prefix + value */
#define EARTH_KM       6371.0088
#define LEVEL_ALL_BITS 0x1fu

/* bm25 weights of map_fts's columns: name, description, access, org, extra */
static const double fts_weights[STORE_MAP_FTS_COLS] = {10.0, 4.0, 2.0, 3.0, 1.0};
static const char *const level_names[] = {"crisis", "L0", "L1", "L2", "L3"};

/* ---- one search --------------------------------------------------------------------------- */

enum dim { D_LEVEL, D_PHASE, D_TARGET, D_LANG, D_INTERP, D_FREE, D_NOREF, D_OPEN, D_MUNI, D_N };

struct hit {
    int64_t id;
    double score; /* bm25, lower is better; 0 without text */
    double km;    /* INFINITY when unknown */
    int level;
};

struct run {
    struct store_conn *c;
    const struct dir_query *q;
    struct dir__cache *k; /* a reference */
    int64_t max_id;
    int64_t now;
    const struct dir__ids *all; /* every service; borrowed from k */
    const unsigned char *level; /* level_rank per row id; borrowed from k */
    struct dir__ids base;       /* all, text, age and distance */
    struct dir__ids dim[D_N];
    bool active[D_N];
    struct dir__ids result;
    double *km;       /* nearest location per row id; NULL without near */
    struct hit *hits; /* text matches */
    size_t nhits;
    struct dir__areas areas;
};

static void run_release(struct run *r)
{
    dir__cache_put(r->k);
    dir__ids_release(&r->base);
    dir__ids_release(&r->result);
    for (size_t d = 0; d < D_N; d++) {
        dir__ids_release(&r->dim[d]);
    }
    free(r->km);
    free(r->hits);
    dir__areas_release(&r->areas);
}

/* Every service and its level, from the shared index. */
static enum err load_all(struct run *r)
{
    enum err rc = dir__cache_get(r->c, &r->k);

    if (!rc) {
        r->max_id = r->k->max_id;
        r->all = &r->k->all;
        r->level = r->k->level;
    }
    return rc;
}

static enum err hit_cb(int64_t id, double score, void *ctx)
{
    struct run *r = ctx;

    if (!dir__ids_has(r->all, id)) {
        return ERR_OK; /* stored after the index was built */
    }
    if (r->nhits % 256 == 0) {
        r->hits = xrealloc(r->hits, st_mult(r->nhits + 256, sizeof(*r->hits)));
    }
    r->hits[r->nhits++] = (struct hit){id, score, INFINITY, r->level[id]};
    return ERR_OK;
}

/* Restricts base to the text matches; no match expression (only punctuation) matches all. */
static enum err filter_text(struct run *r)
{
    struct buf m = BUF_INIT(16 * DIR_Q_MAX);
    struct dir__ids t = {0};
    enum err rc = dir__fts_expression(r->q->q, &m);

    if (rc || !m.len) {
        goto out;
    }
    rc = store_map_fts_each(r->c, m.ptr, fts_weights, hit_cb, r);
    if (rc) {
        goto out;
    }
    dir__ids_init(&t, r->max_id);
    for (size_t i = 0; i < r->nhits; i++) {
        dir__ids_add(&t, r->hits[i].id);
    }
    dir__ids_and(&r->base, &t);
out:
    dir__ids_release(&t);
    buf_release(&m);
    return rc;
}

static double haversine_km(double lat1, double lon1, double lat2, double lon2)
{
    const double rad = M_PI / 180.0;
    double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
    double a = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);

    return 2 * EARTH_KM * asin(sqrt(a > 1 ? 1 : a));
}

/* The first site at or north of lat (sites are sorted by latitude). */
static size_t first_point(const struct dir__cache *k, double lat)
{
    size_t lo = 0, hi = k->npoints;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (k->points[mid].lat < lat) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* The nearest site of every service inside the box around q into r->km. */
static void nearest_sites(struct run *r, double dlat, double dlon)
{
    const struct dir__cache *k = r->k;
    const struct dir_query *q = r->q;

    for (size_t i = first_point(k, q->lat - dlat); i < k->npoints; i++) {
        const struct dir__point *p = &k->points[i];
        double km;

        if (p->lat > q->lat + dlat) {
            break;
        }
        if (p->lon < q->lon - dlon || p->lon > q->lon + dlon) {
            continue;
        }
        km = haversine_km(q->lat, q->lon, p->lat, p->lon);
        if (km < r->km[p->id]) {
            r->km[p->id] = km;
        }
    }
}

/* Nearest location per service; with within_km, base keeps only those close enough. */
static enum err filter_distance(struct run *r)
{
    const struct dir_query *q = r->q;
    double dlat = 90, dlon = 180;
    struct dir__ids near = {0};

    r->km = xmalloc(st_mult((size_t)r->max_id + 1, sizeof(*r->km)));
    for (int64_t i = 0; i <= r->max_id; i++) {
        r->km[i] = INFINITY;
    }
    if (q->within_km > 0) {
        double coslat = cos(q->lat * M_PI / 180.0);
        dlat = q->within_km / 111.0 + 0.01;
        dlon = coslat > 0.01 ? dlat / coslat : 180;
    }
    nearest_sites(r, dlat, dlon);
    if (q->within_km <= 0) {
        return ERR_OK;
    }
    dir__ids_init(&near, r->max_id);
    for (int64_t i = 0; i <= r->max_id; i++) {
        if (r->km[i] <= q->within_km) {
            dir__ids_add(&near, i);
        }
    }
    dir__ids_and(&r->base, &near);
    dir__ids_release(&near);
    return ERR_OK;
}

/* Keeps in base the services whose age range holds age. */
static void filter_age(struct run *r, int age)
{
    for (int64_t id = dir__ids_next(&r->base, 0); id >= 0; id = dir__ids_next(&r->base, id + 1)) {
        if (r->k->min_age[id] > age || r->k->max_age[id] < age) {
            r->base.w[id / 64] &= ~((uint64_t)1 << (id % 64));
        }
    }
}

static enum err filter_base(struct run *r)
{
    enum err rc = ERR_OK;

    dir__ids_copy(&r->base, r->all);
    if (r->q->q) {
        rc = filter_text(r);
    }
    if (!rc && r->q->age >= 0) {
        filter_age(r, r->q->age);
    }
    if (!rc && r->q->near_set) {
        rc = filter_distance(r);
    }
    return rc;
}

/* The services with code prefix + value. */
static enum err code_set(struct run *r, const char *prefix, const char *value, struct dir__ids *out)
{
    struct buf code = BUF_INIT(CODE_MAX);
    enum err rc = buf_addstr(&code, prefix);

    if (!out->w) {
        dir__ids_init(out, r->max_id);
    }
    if (!rc && value) {
        rc = buf_addstr(&code, value);
    }
    if (!rc) {
        dir__ids_or(out, dir__cache_code(r->k, code.ptr));
    }
    buf_release(&code);
    return rc;
}

/* target: tagged with it, or (unless target_only) tagged with no target group at all. */
static enum err target_set(struct run *r, struct dir__ids *out)
{
    struct dir__ids any = {0};
    enum err rc = code_set(r, "target_group.", r->q->target, out);

    if (rc || r->q->target_only) {
        return rc;
    }
    dir__cache_prefix(r->k, "target_group.", &any);
    for (size_t i = 0; i < out->nw; i++) {
        out->w[i] |= r->all->w[i] & ~any.w[i];
    }
    dir__ids_release(&any);
    return rc;
}

static enum err interpreter_set(struct run *r, struct dir__ids *out)
{
    struct dir__ids mode = {0};
    enum err rc = ERR_OK;

    if (r->q->interpreter) {
        rc = code_set(r, "interpreter.provided", NULL, out);
    }
    if (!rc && r->q->interpreter_mode) {
        rc = code_set(r, "interpreter.mode.", r->q->interpreter_mode, &mode);
        if (!rc && r->q->interpreter) {
            dir__ids_and(out, &mode);
        } else if (!rc) {
            dir__ids_copy(out, &mode);
        }
    }
    dir__ids_release(&mode);
    return rc;
}

static enum err level_set(struct run *r, struct dir__ids *out)
{
    dir__ids_init(out, r->max_id);
    for (int64_t id = dir__ids_next(r->all, 0); id >= 0; id = dir__ids_next(r->all, id + 1)) {
        if (r->q->levels >> r->level[id] & 1u) {
            dir__ids_add(out, id);
        }
    }
    return ERR_OK;
}

static enum err dim_set(struct run *r, enum dim d)
{
    const struct dir_query *q = r->q;
    struct dir__ids *out = &r->dim[d];

    switch (d) {
    case D_LEVEL:
        return level_set(r, out);
    case D_PHASE:
        return code_set(r, "phase.", q->phase, out);
    case D_TARGET:
        return target_set(r, out);
    case D_LANG:
        return code_set(r, "lang.", q->lang, out);
    case D_INTERP:
        return interpreter_set(r, out);
    case D_FREE:
        return code_set(r, "free.", q->phase, out);
    case D_NOREF:
        return code_set(r, "no_referral", NULL, out);
    case D_OPEN:
        return code_set(r, "open", NULL, out);
    default:
        return dir__area_services(r->c, r->k, &r->areas, q->municipality, false, out);
    }
}

/* Builds the set of every active filter, and the result (their intersection with base). */
static enum err filter_dims(struct run *r)
{
    const struct dir_query *q = r->q;
    enum err rc = ERR_OK;

    r->active[D_LEVEL] = q->levels & LEVEL_ALL_BITS;
    r->active[D_PHASE] = q->phase != NULL;
    r->active[D_TARGET] = q->target != NULL;
    r->active[D_LANG] = q->lang != NULL;
    r->active[D_INTERP] = q->interpreter || q->interpreter_mode;
    r->active[D_FREE] = q->free && q->phase;
    r->active[D_NOREF] = q->no_referral;
    r->active[D_OPEN] = q->open;
    r->active[D_MUNI] = q->municipality != NULL;
    dir__ids_copy(&r->result, &r->base);
    for (size_t d = 0; d < D_N && !rc; d++) {
        if (r->active[d]) {
            rc = dim_set(r, (enum dim)d);
            if (!rc) {
                dir__ids_and(&r->result, &r->dim[d]);
            }
        }
    }
    return rc;
}

/* ---- facets ------------------------------------------------------------------------------- */

static json_int_t count_in(const struct dir__ids *a, const struct dir__ids *b)
{
    json_int_t n = 0;

    for (size_t i = 0; i < a->nw && i < b->nw; i++) {
        n += __builtin_popcountll(a->w[i] & b->w[i]);
    }
    return n;
}

/* out[value] = how many members of m carry prefix + value, for every value with one or more. */
static enum err tally(struct run *r, const char *prefix, const struct dir__ids *m, json_t *out)
{
    size_t n = strlen(prefix);

    for (size_t i = 0; i < r->k->ncodes; i++) {
        const struct dir__codeset *cs = &r->k->codes[i];
        json_int_t hits;

        if (strncmp(cs->code, prefix, n) || strchr(cs->code + n, '.')) {
            continue;
        }
        hits = count_in(&cs->ids, m);
        if (hits) {
            json_object_set_new(out, cs->code + n, json_integer(hits));
        }
    }
    return ERR_OK;
}

static void facet_level(struct run *r, const struct dir__ids *m, json_t *o)
{
    json_int_t n[ARRAY_SIZE(level_names)] = {0};

    for (int64_t id = dir__ids_next(m, 0); id >= 0; id = dir__ids_next(m, id + 1)) {
        n[r->level[id]]++;
    }
    for (size_t i = 0; i < ARRAY_SIZE(level_names); i++) {
        json_object_set_new(o, level_names[i], json_integer(n[i]));
    }
}

/* target: per value, tagged with it, plus (unless target_only) those with no target group. */
static enum err facet_target(struct run *r, const struct dir__ids *m, json_t *o)
{
    struct dir__ids any = {0}, untagged = {0};
    const char *key;
    json_t *v;
    enum err rc;

    rc = tally(r, "target_group.", m, o);
    if (rc || r->q->target_only) {
        return rc;
    }
    dir__cache_prefix(r->k, "target_group.", &any);
    dir__ids_copy(&untagged, m);
    for (size_t i = 0; i < untagged.nw; i++) {
        untagged.w[i] &= ~any.w[i];
    }
    json_object_foreach(o, key, v)
    {
        json_integer_set(v, json_integer_value(v) + (json_int_t)dir__ids_count(&untagged));
    }
    dir__ids_release(&any);
    dir__ids_release(&untagged);
    return rc;
}

/* interpreter: {"1": provided}; the modes go in their own facet, interpreter_mode. */
static enum err facet_interpreter(struct run *r, const struct dir__ids *m, json_t *o,
                                  json_t *facets)
{
    json_t *all = json_object(), *modes = json_object();
    enum err rc = tally(r, "interpreter.", m, all);
    json_t *n = json_object_get(all, "provided");

    if (!rc) {
        rc = tally(r, "interpreter.mode.", m, modes);
    }
    json_object_set_new(o, "1", n ? json_incref(n) : json_integer(0));
    json_object_set_new(facets, "interpreter_mode", modes);
    json_decref(all);
    return rc;
}

/* A yes/no filter: {"1": how many carry the code}. */
static enum err facet_flag(struct run *r, const char *code, const struct dir__ids *m, json_t *o)
{
    struct dir__ids s = {0};
    enum err rc = code_set(r, code, NULL, &s);

    json_object_set_new(o, "1", json_integer(rc ? 0 : count_in(&s, m)));
    dir__ids_release(&s);
    return rc;
}

/* municipality: per known municipality, the services the filter would find. */
static enum err facet_municipality(struct run *r, const struct dir__ids *m, json_t *o)
{
    enum err rc = dir__areas_load(r->c, &r->areas);

    for (size_t i = 0; !rc && i < r->areas.n; i++) {
        struct dir__ids s = {0};

        if (strcmp(r->areas.a[i].kind, "municipality")) {
            continue;
        }
        rc = dir__area_services(r->c, r->k, &r->areas, r->areas.a[i].uri, false, &s);
        if (!rc) {
            json_object_set_new(o, r->areas.a[i].uri, json_integer(count_in(&s, m)));
        }
        dir__ids_release(&s);
    }
    return rc;
}

static enum err facet_one(struct run *r, enum dim d, const struct dir__ids *m, json_t *o,
                          json_t *facets)
{
    switch (d) {
    case D_LEVEL:
        facet_level(r, m, o);
        return ERR_OK;
    case D_PHASE:
        return tally(r, "phase.", m, o);
    case D_TARGET:
        return facet_target(r, m, o);
    case D_LANG:
        return tally(r, "lang.", m, o);
    case D_INTERP:
        return facet_interpreter(r, m, o, facets);
    case D_FREE:
        return tally(r, "free.", m, o);
    case D_NOREF:
        return facet_flag(r, "no_referral", m, o);
    case D_OPEN:
        return facet_flag(r, "open", m, o);
    default:
        return facet_municipality(r, m, o);
    }
}

static const char *const dim_names[D_N] = {"level",       "phase",       "target",
                                           "lang",        "interpreter", "free",
                                           "no_referral", "open",        "municipality"};

/* Each facet over base and every active filter but its own. */
static enum err facets(struct run *r, json_t *out)
{
    enum err rc = ERR_OK;

    for (size_t d = 0; d < D_N && !rc; d++) {
        struct dir__ids m = {0};
        json_t *f = json_object();

        dir__ids_copy(&m, &r->base);
        for (size_t e = 0; e < D_N; e++) {
            if (e != d && r->active[e]) {
                dir__ids_and(&m, &r->dim[e]);
            }
        }
        rc = facet_one(r, (enum dim)d, &m, f, out);
        json_object_set_new(out, dim_names[d], f);
        dir__ids_release(&m);
    }
    return rc;
}

/* ---- ordering and output ------------------------------------------------------------------ */

#define CRISIS_MAX 20

static int hit_cmp(const void *a, const void *b)
{
    const struct hit *x = a, *y = b;

    if (x->score != y->score) {
        return x->score < y->score ? -1 : 1;
    }
    if (x->km != y->km) {
        return x->km < y->km ? -1 : 1; /* INFINITY (no location) last */
    }
    if (x->level != y->level) {
        return x->level < y->level ? -1 : 1;
    }
    return (x->id > y->id) - (x->id < y->id);
}

/* The result as hits to sort: the text matches, or every member (scores 0) when near. */
static void collect_hits(struct run *r)
{
    size_t n = 0;

    if (!r->q->q || !r->nhits) {
        free(r->hits);
        r->hits = xmalloc(st_mult(dir__ids_count(&r->result) + 1, sizeof(*r->hits)));
        for (int64_t id = dir__ids_next(&r->result, 0); id >= 0;
             id = dir__ids_next(&r->result, id + 1)) {
            r->hits[n++] = (struct hit){id, 0, INFINITY, r->level[id]};
        }
    } else {
        for (size_t i = 0; i < r->nhits; i++) {
            if (dir__ids_has(&r->result, r->hits[i].id)) {
                r->hits[n++] = r->hits[i];
            }
        }
    }
    r->nhits = n;
    for (size_t i = 0; r->km && i < n; i++) {
        r->hits[i].km = r->km[r->hits[i].id];
    }
    qsort(r->hits, n, sizeof(*r->hits), hit_cmp);
}

struct page_walk {
    struct run *r;
    const struct dir__ids *in;
    size_t skip, want; /* skip members, then take want */
    bool crisis_only;
    int64_t *ids;
    size_t n;
};

static bool page_cb(int64_t id, void *ctx)
{
    struct page_walk *w = ctx;

    if (w->crisis_only && w->r->level[id] != 0) {
        return false; /* display order puts crisis first */
    }
    if (!dir__ids_has(w->in, id)) {
        return true;
    }
    if (w->skip) {
        w->skip--;
        return true;
    }
    w->ids[w->n++] = id;
    return w->n < w->want;
}

static enum err add_card(struct run *r, int64_t id, json_t *items)
{
    json_t *card = NULL;
    double km = r->km && isfinite(r->km[id]) ? r->km[id] : -1;
    enum err rc = dir__card(r->c, id, r->q->view_lang, km, r->now, &card);

    if (!rc) {
        json_array_append_new(items, card);
    }
    return rc;
}

static enum err items(struct run *r, json_t *out)
{
    const struct dir_query *q = r->q;
    size_t skip = (size_t)(q->page - 1) * (size_t)q->per_page, want = (size_t)q->per_page;
    struct page_walk w = {r, &r->result, skip, want, false, NULL, 0};
    enum err rc = ERR_OK;

    w.ids = xcalloc(want, sizeof(*w.ids));
    if (q->q || q->near_set) {
        collect_hits(r);
        for (size_t i = skip; i < r->nhits && w.n < want; i++) {
            w.ids[w.n++] = r->hits[i].id;
        }
    } else {
        rc = store_map_ordered_each(r->c, page_cb, &w);
    }
    for (size_t i = 0; !rc && i < w.n; i++) {
        rc = add_card(r, w.ids[i], out);
    }
    free(w.ids);
    return rc;
}

/* The crisis services, whatever the filters. */
static enum err crisis(struct run *r, json_t *out)
{
    struct page_walk w = {r, r->all, 0, CRISIS_MAX, true, NULL, 0};
    enum err rc;

    w.ids = xcalloc(CRISIS_MAX, sizeof(*w.ids));
    rc = store_map_ordered_each(r->c, page_cb, &w);
    for (size_t i = 0; !rc && i < w.n; i++) {
        rc = add_card(r, w.ids[i], out);
    }
    free(w.ids);
    return rc;
}

static enum err run_search(struct run *r, json_t *out)
{
    json_t *list = json_array(), *cr = json_array(), *fac = json_object();
    enum err rc = load_all(r);

    rc = rc ? rc : filter_base(r);
    rc = rc ? rc : filter_dims(r);
    json_object_set_new(out, "total",
                        json_integer(rc ? 0 : (json_int_t)dir__ids_count(&r->result)));
    json_object_set_new(out, "page", json_integer(r->q->page));
    json_object_set_new(out, "per_page", json_integer(r->q->per_page));
    rc = rc ? rc : items(r, list);
    if (!rc && r->q->facets) {
        rc = facets(r, fac);
    }
    rc = rc ? rc : crisis(r, cr);
    json_object_set_new(out, "items", list);
    json_object_set_new(out, "facets", r->q->facets ? fac : json_null());
    if (!r->q->facets) {
        json_decref(fac);
    }
    json_object_set_new(out, "crisis", cr);
    json_object_set_new(out, "lang", json_string(r->q->view_lang ? r->q->view_lang : "nl"));
    return rc;
}

enum err dir_search(struct store_conn *c, const struct dir_query *q, json_t **out)
{
    struct run r;
    enum err rc;

    memset(&r, 0, sizeof(r));
    r.c = c;
    r.q = q;
    r.now = clock_now_ms();
    *out = json_object();
    rc = run_search(&r, *out);
    run_release(&r);
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}
