/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The search's query string (docs/API.md, "Social map: search and read"): every parameter within
 * its cap, each problem under its own pointer, and the free text turned into an FTS5 expression
 * of quoted terms, so that nothing a user types is FTS syntax except a trailing * for a prefix.
 */
#include "core/compat.h"

#include <math.h>

#include "core/str.h"
#include "directory/directory_int.h"

#define Q_MAX         DIR_Q_MAX
#define Q_TERMS_MAX   16
#define PARAM_MAX     256 /* bytes of any other parameter */
#define PAGE_MAX      10000
#define PER_PAGE_DEF  20
#define WITHIN_KM_MAX 1000.0

static const char *const level_names[] = {"crisis", "L0", "L1", "L2", "L3"};

/* ---- parsing ------------------------------------------------------------------------------ */

struct parse {
    const char *(*get)(void *ctx, const char *name);
    void *ctx;
    struct verr *errs;
};

/* The parameter, or NULL when absent or empty; an error when too long or not clean UTF-8. */
static const char *param(struct parse *p, const char *name, size_t max)
{
    const char *v = p->get(p->ctx, name);
    size_t n = v ? strlen(v) : 0;
    char ptr[40];

    if (!n) {
        return NULL;
    }
    snprintf(ptr, sizeof(ptr), "/%s", name);
    if (n > max) {
        verr_add(p->errs, ptr, "at most %zu bytes", max);
        return NULL;
    }
    if (!str_is_clean_utf8(v, n, false)) {
        verr_add(p->errs, ptr, "must be text without control characters");
        return NULL;
    }
    return v;
}

static bool param_bool(struct parse *p, const char *name)
{
    const char *v = param(p, name, 8);
    char ptr[40];

    if (!v || !strcmp(v, "0") || !strcmp(v, "false")) {
        return false;
    }
    if (!strcmp(v, "1") || !strcmp(v, "true")) {
        return true;
    }
    snprintf(ptr, sizeof(ptr), "/%s", name);
    verr_add(p->errs, ptr, "must be 1, 0, true or false");
    return false;
}

static int param_int(struct parse *p, const char *name, int min, int max, int dflt)
{
    const char *v = param(p, name, 12);
    int64_t n;
    char ptr[40];

    if (!v) {
        return dflt;
    }
    if (str_parse_i64(v, strlen(v), min, max, &n)) {
        snprintf(ptr, sizeof(ptr), "/%s", name);
        verr_add(p->errs, ptr, "must be a whole number from %d to %d", min, max);
        return dflt;
    }
    return (int)n;
}

/* A whole decimal number (no hex, inf or nan) in [min, max]. */
static bool parse_double(const char *s, size_t len, double min, double max, double *out)
{
    char tmp[40], *end = NULL;

    if (len == 0 || len >= sizeof(tmp) || strspn(s, "+-.0123456789") < len) {
        return false;
    }
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    *out = strtod(tmp, &end);
    return end == tmp + len && isfinite(*out) && *out >= min && *out <= max;
}

/* A value of our taxonomy: "<dim>.<value>" must be a term. Returns value or NULL. */
static const char *param_term(struct parse *p, const char *name, const char *dim)
{
    const char *v = param(p, name, 64);
    char code[96], ptr[40];

    if (!v) {
        return NULL;
    }
    snprintf(code, sizeof(code), "%s.%s", dim, v);
    if (!hsds_term_by_code(code) || strchr(v, '.')) {
        snprintf(ptr, sizeof(ptr), "/%s", name);
        verr_add(p->errs, ptr, "unknown value '%s'", v);
        return NULL;
    }
    return v;
}

/* The level_rank of a name, or -1. */
static int level_rank(struct str name)
{
    for (size_t i = 0; i < ARRAY_SIZE(level_names); i++) {
        if (str_eq(name, level_names[i])) {
            return (int)i;
        }
    }
    return -1;
}

/* "L0,L1" → a bit per level_rank; an empty or unknown member is an error. */
static unsigned parse_levels(struct parse *p)
{
    const char *v = param(p, "level", 64);
    struct str s;
    unsigned bits = 0;
    bool more = v != NULL;

    s = str_from(v ? v : "");
    while (more) {
        int rank;

        more = memchr(s.p, ',', s.len) != NULL;
        rank = level_rank(str_split(&s, ','));
        if (rank < 0) {
            verr_add(p->errs, "/level", "a comma-separated list of crisis, L0, L1, L2, L3");
            return 0;
        }
        bits |= 1u << rank;
    }
    return bits;
}

static void parse_near(struct parse *p, struct dir_query *q)
{
    const char *near = param(p, "near", 64), *within = param(p, "within_km", 16);
    const char *comma = near ? strchr(near, ',') : NULL;

    if (near && (!comma || !parse_double(near, (size_t)(comma - near), -90, 90, &q->lat) ||
                 !parse_double(comma + 1, strlen(comma + 1), -180, 180, &q->lon))) {
        verr_add(p->errs, "/near", "must be latitude,longitude in decimal degrees");
        near = NULL;
    }
    q->near_set = near != NULL;
    if (within && !near) {
        verr_add(p->errs, "/within_km", "needs near");
    } else if (within && (!parse_double(within, strlen(within), 0, WITHIN_KM_MAX, &q->within_km) ||
                          q->within_km <= 0)) {
        verr_add(p->errs, "/within_km", "must be a number of kilometres above 0, at most %g",
                 WITHIN_KM_MAX);
    }
}

/* Free text: clean UTF-8 within caps, at most Q_TERMS_MAX terms. */
static void parse_text(struct parse *p, struct dir_query *q)
{
    size_t terms = 0;
    const char *s;

    q->q = param(p, "q", Q_MAX);
    for (s = q->q; s && *s;) {
        s += strspn(s, " \t");
        if (*s) {
            terms++;
            s += strcspn(s, " \t");
        }
    }
    if (terms > Q_TERMS_MAX) {
        verr_add(p->errs, "/q", "at most %d words", Q_TERMS_MAX);
    }
}

static const char *parse_view_lang(struct parse *p)
{
    const char *v = param(p, "view_lang", 8), *lang = v ? dir_lang_for(v, strlen(v)) : NULL;

    if (v && !lang) {
        verr_add(p->errs, "/view_lang", "not a language of the map");
    }
    return lang;
}

static void parse_filters(struct parse *p, struct dir_query *q)
{
    const char *lang;

    q->levels = parse_levels(p);
    q->phase = param_term(p, "phase", "phase");
    q->age = param_int(p, "age", 0, 150, -1);
    q->target = param_term(p, "target", "target_group");
    q->target_only = param_bool(p, "target_only");
    lang = param(p, "lang", 3);
    if (lang && (strlen(lang) < 2 || strspn(lang, "abcdefghijklmnopqrstuvwxyz") != strlen(lang))) {
        verr_add(p->errs, "/lang", "must be an ISO 639 language code (two or three letters)");
        lang = NULL;
    }
    q->lang = lang;
    q->interpreter = param_bool(p, "interpreter");
    q->interpreter_mode = param_term(p, "interpreter_mode", "interpreter.mode");
    q->free = param_bool(p, "free");
    if (q->free && !q->phase) {
        verr_add(p->errs, "/free", "needs phase: free for the client in which phase");
    }
    q->no_referral = param_bool(p, "no_referral");
    q->open = param_bool(p, "open");
    q->municipality = param(p, "municipality", 255); /* map_areas.uri */
}

enum err dir_query_parse(struct dir_query *q, const char *(*get)(void *ctx, const char *name),
                         void *ctx, struct verr *errs)
{
    struct parse p = {get, ctx, errs};
    size_t before = errs->n;

    memset(q, 0, sizeof(*q));
    q->facets = true;
    parse_text(&p, q);
    parse_filters(&p, q);
    parse_near(&p, q);
    q->page = param_int(&p, "page", 1, PAGE_MAX, 1);
    q->per_page = param_int(&p, "per_page", 1, DIR_PER_PAGE_MAX, PER_PAGE_DEF);
    q->facets = param(&p, "facets", 8) ? param_bool(&p, "facets") : true;
    q->view_lang = parse_view_lang(&p);
    return errs->n > before ? ERR_INVALID : ERR_OK;
}

/* ---- free text ---------------------------------------------------------------------------- */

/* True when the term holds something FTS5 would index (a letter, digit or non-ASCII byte). */
static bool term_has_token(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 0x80 || (ch >= '0' && ch <= '9') || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z')) {
            return true;
        }
    }
    return false;
}

/* Appends one term as an FTS5 string ("..." with " doubled), keeping a trailing * as prefix. */
static enum err fts_term(struct buf *m, const char *s, size_t n)
{
    bool prefix = n > 1 && s[n - 1] == '*';
    enum err rc = ERR_OK;

    if (prefix) {
        n--;
    }
    if (!term_has_token(s, n)) {
        return ERR_OK;
    }
    rc = buf_addstr(m, m->len ? " \"" : "\"");
    for (size_t i = 0; i < n && !rc; i++) {
        rc = s[i] == '"' ? buf_add(m, "\"\"", 2) : buf_addch(m, s[i]);
    }
    if (!rc) {
        rc = buf_addstr(m, prefix ? "\"*" : "\"");
    }
    return rc;
}

/* The FTS5 expression for the folded query: every term quoted, all required. "" for none. */
enum err dir__fts_expression(const char *q, struct buf *m)
{
    struct buf folded = BUF_INIT(4 * Q_MAX + 1); /* folding never grows text */
    const char *s;
    enum err rc = dir_text_fold(q, strlen(q), &folded);

    for (s = folded.ptr; !rc && *s;) {
        size_t n;

        s += strspn(s, " \t");
        n = strcspn(s, " \t");
        if (n) {
            rc = fts_term(m, s, n);
        }
        s += n;
    }
    buf_release(&folded);
    return rc;
}
