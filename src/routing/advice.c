/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Advice on a client: the situation is read behind the consent check (scope signal) from the
 * client record, the latest screening and the open red flags; the engine decides the levels;
 * each level and each stressor offer is matched against the social map and ranked by fit; the
 * advice is stored as codes and ids with the rules id and version, and audited.
 */
#include "core/compat.h"

#include <stdarg.h>
#include <strings.h>

#include "core/clock.h"
#include "core/mem.h"
#include "core/sec.h"
#include "directory/directory.h"
#include "dossier/dossier.h"
#include "routing/routing.h"
#include "screening/screening.h"

#define CANDIDATES       50 /* services fetched per level before ranking */
#define OFFER_MATCHES    3
#define OFFER_CANDIDATES 8
#define FIT_CODE_MAX     48

/* ---- fit ---------------------------------------------------------------------------------- */

static bool array_has(const json_t *arr, const char *s)
{
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e)
    {
        if (json_is_string(e) && !strcmp(json_string_value(e), s)) {
            return true;
        }
    }
    return false;
}

static void code(json_t *codes, const char *fmt, ...) VK_PRINTF(2, 3);
static void code(json_t *codes, const char *fmt, ...)
{
    char c[FIT_CODE_MAX];
    va_list ap;
    if (!codes) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(c, sizeof(c), fmt, ap);
    va_end(ap);
    json_array_append_new(codes, json_string(c));
}

static int fit_language(const json_t *item, const char *language, uint32_t wishes, json_t *codes)
{
    if (language && *language && array_has(json_object_get(item, "languages"), language)) {
        code(codes, "lang:%s", language);
        return (wishes & RW_OWN_LANGUAGE) ? 50 : 40;
    }
    if (json_is_true(json_object_get(item, "interpreter"))) {
        code(codes, "interpreter");
        return 20;
    }
    return 0;
}

static int fit_cost(const json_t *item, int phase, json_t *codes)
{
    const char *ph = route_phase_name(phase);
    const char *cost =
        ph ? json_string_value(json_object_get(json_object_get(item, "cost"), ph)) : NULL;
    if (!cost) {
        return 0;
    }
    if (!strcmp(cost, "free")) {
        code(codes, "free:%s", ph);
        return 20;
    }
    code(codes, "cost:%.30s", cost);
    return 0;
}

static int fit_entry(const json_t *item, enum route_level level, json_t *codes)
{
    const json_t *routes = json_object_get(item, "entry_routes");
    if (array_has(routes, "no_referral") || array_has(routes, "self_registration")) {
        code(codes, "entry:no_referral");
        return 15;
    }
    if (array_has(routes, "gp_referral")) {
        code(codes, "entry:gp_referral");
        return level >= RL_L1 ? 10 : 0;
    }
    if (json_array_size(routes)) {
        code(codes, "entry:%.30s", json_string_value(json_array_get(routes, 0)));
    }
    return 0;
}

static int fit_capacity(const json_t *item, json_t *codes)
{
    const json_t *cap = json_object_get(item, "capacity");
    const char *state = json_string_value(json_object_get(cap, "state"));
    json_int_t weeks = json_integer_value(json_object_get(cap, "weeks"));
    if (state && !strcmp(state, "closed")) {
        code(codes, "closed");
        return -1000;
    }
    if (state && !strcmp(state, "waitlist")) {
        code(codes, "waitlist:%lld", (long long)weeks);
        return weeks >= 15 ? 0 : 15 - (int)weeks;
    }
    code(codes, "capacity:open");
    return 20;
}

bool route_tried(const struct route_input *in, const char *service_id)
{
    for (int i = 0; service_id && i < in->n_tried; i++) {
        if (!strcmp(in->tried[i], service_id)) {
            return true;
        }
    }
    return false;
}

int route_cand_cmp(const void *a, const void *b)
{
    const struct route_cand *x = a, *y = b;
    int n;
    if (x->tried != y->tried) {
        return x->tried ? 1 : -1;
    }
    if (x->fit != y->fit) {
        return y->fit > x->fit ? 1 : -1;
    }
    n = strcmp(x->name ? x->name : "", y->name ? y->name : "");
    return n ? n : strcmp(x->id ? x->id : "", y->id ? y->id : "");
}

int route_fit(const json_t *item, const struct route_input *in, const char *language,
              enum route_level level, uint32_t wish_hits, json_t *codes)
{
    int score = fit_language(item, language, in->wishes, codes);
    const json_t *km = json_object_get(item, "distance_km");
    if (route_tried(in, json_string_value(json_object_get(item, "id")))) {
        code(codes, "tried"); /* ranked last by route_cand_cmp, the score stays comparable */
    }
    score += fit_cost(item, in->phase, codes);
    score += fit_entry(item, level, codes);
    score += fit_capacity(item, codes);
    if (json_is_number(km)) {
        double d = json_number_value(km);
        code(codes, "distance:%d", (int)(d + 0.5));
        score += d < 20 ? (int)(10 - d / 2) : 0;
    }
    for (int w = 0; w < RW_COUNT; w++) {
        if (wish_hits & in->wishes & (1u << w)) {
            code(codes, "wish:%s", route_wish_name(1u << w));
            score += 10;
        }
    }
    return score;
}

static const char *const lang_nl[][2] = {
    {"nl", "Nederlands"}, {"en", "Engels"},   {"ar", "Arabisch"},  {"fa", "Perzisch"},
    {"prs", "Dari"},      {"ti", "Tigrinya"}, {"so", "Somalisch"}, {"tr", "Turks"},
    {"uk", "Oekraïens"},  {"ru", "Russisch"}, {"fr", "Frans"},     {"ku", "Koerdisch"},
    {"ps", "Pasjtoe"},    {"am", "Amhaars"},  {"de", "Duits"},     {"es", "Spaans"},
};

static const char *lang_name(const char *c)
{
    for (size_t i = 0; i < ARRAY_SIZE(lang_nl); i++) {
        if (!strcmp(lang_nl[i][0], c)) {
            return lang_nl[i][1];
        }
    }
    return c;
}

void route_fit_text(const char *c, char *out, size_t size)
{
    const char *arg = strchr(c, ':');
    size_t n = arg ? (size_t)(arg - c) : strlen(c);
    arg = arg ? arg + 1 : "";
#define IS(k) (n == sizeof(k) - 1 && !memcmp(c, k, n))
    if (IS("lang")) {
        snprintf(out, size, "spreekt %s", lang_name(arg));
    } else if (IS("interpreter")) {
        snprintf(out, size, "met tolk");
    } else if (IS("free")) {
        snprintf(out, size, "gratis %s", !strcmp(arg, "coa") ? "in de opvang" : "in de gemeente");
    } else if (IS("cost")) {
        snprintf(out, size, "kosten: %s", !strcmp(arg, "eigen_risico") ? "eigen risico" : arg);
    } else if (IS("entry")) {
        snprintf(out, size, "%s",
                 !strcmp(arg, "no_referral")   ? "zonder verwijzing"
                 : !strcmp(arg, "gp_referral") ? "via de huisarts"
                                               : "met verwijzing");
    } else if (IS("capacity")) {
        snprintf(out, size, "plek vrij");
    } else if (IS("waitlist")) {
        snprintf(out, size, "wachtlijst %s weken", arg);
    } else if (IS("tried")) {
        snprintf(out, size, "al eerder geprobeerd");
    } else if (IS("closed")) {
        snprintf(out, size, "vol: nu geen plek");
    } else if (IS("distance")) {
        snprintf(out, size, "%s km", arg);
    } else if (IS("wish")) {
        snprintf(out, size, "%s",
                 !strcmp(arg, "group")          ? "in een groep"
                 : !strcmp(arg, "women_only")   ? "alleen voor vrouwen"
                 : !strcmp(arg, "own_language") ? "in eigen taal"
                                                : "zoals gewenst");
    } else {
        snprintf(out, size, "%s", c);
    }
#undef IS
}

/* ---- the situation ------------------------------------------------------------------------ */

static int64_t year_now(void)
{
    char iso[32];
    int64_t y = 0;
    clock_fmt_iso(clock_now_ms(), iso, sizeof(iso));
    for (int i = 0; i < 4 && iso[i] >= '0' && iso[i] <= '9'; i++) {
        y = y * 10 + (iso[i] - '0');
    }
    return y;
}

static void take_ids(json_t *arr, char (*ids)[ROUTE_ID_MAX + 1], int *n)
{
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e)
    {
        const char *id = json_string_value(json_object_get(e, "id"));
        if (id && *n < ROUTE_MAX_LIST) {
            snprintf(ids[(*n)++], ROUTE_ID_MAX + 1, "%s", id);
        }
    }
}

/* The latest screening's band, stressors and strengths; *sid gets its id ("" when none). */
static enum err from_screening(struct store_conn *c, struct audit_ctx *actx,
                               const struct principal *who, const char *pid, struct route_input *in,
                               char sid[STORE_UID_LEN + 1])
{
    json_t *list = NULL, *one = NULL, *res;
    const char *id;
    int b;
    enum err rc = screen_list(c, actx, who, pid, &list);
    sid[0] = '\0';
    id = rc ? NULL
            : json_string_value(
                  json_object_get(json_array_get(json_object_get(list, "items"), 0), "id"));
    if (!rc && id) {
        snprintf(sid, STORE_UID_LEN + 1, "%s", id);
        rc = screen_get(c, actx, who, pid, sid, &one);
    }
    if (!rc && one) {
        res = json_object_get(one, "result");
        b = route_band_parse(
            json_string_value(json_object_get(json_object_get(res, "band"), "id")));
        in->band = b > 0 ? (enum route_band)b : RB_NONE;
        take_ids(json_object_get(res, "stressors"), in->stressors, &in->n_stressors);
        take_ids(json_object_get(res, "strengths"), in->strengths, &in->n_strengths);
    }
    json_decref(list);
    json_decref(one);
    return rc;
}

static enum err open_flags(struct store_conn *c, struct audit_ctx *actx,
                           const struct principal *who, const char *pid, bool *open)
{
    json_t *list = NULL, *f;
    size_t i;
    enum err rc = screen_flag_list(c, actx, who, pid, &list);
    *open = false;
    json_array_foreach(json_object_get(list, "items"), i, f)
    {
        const char *state = json_string_value(json_object_get(f, "state"));
        *open |= state && !strcmp(state, "open");
    }
    json_decref(list);
    return rc;
}

static void from_client(const struct client_row *cl, const struct route_request *req,
                        struct route_input *in, char lang[8])
{
    size_t n = strcspn(cl->language, "-_");
    in->age_group = route_age_group(cl->year_of_birth, year_now());
    in->phase = route_phase_parse(cl->phase);
    in->risks = cl->risk_flags;
    in->wishes = req->wishes;
    in->function_impaired = req->function_impaired > 0;
    in->persistent = req->persistent > 0;
    snprintf(lang, 8, "%.*s", (int)(n < 7 ? n : 7), cl->language);
    for (char *p = lang; *p; p++) {
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    }
}

bool route_referral_failed(const char *state, bool needs_new_offer, const char *client_answer)
{
    if (!state || !strcmp(state, "completed")) {
        return false;
    }
    return needs_new_offer || !strcmp(state, "declined") || !strcmp(state, "closed_unsuccessful") ||
           (client_answer && !strcmp(client_answer, "could_not_go"));
}

/* A referral without result (route_referral_failed) adds its service to in->tried once. */
static enum err tried_add(const struct referral_row *r, void *ctx)
{
    struct route_input *in = ctx;
    bool failed = route_referral_failed(r->state, r->needs_new_offer, r->client_answer);
    if (failed && !route_tried(in, r->to_service) && in->n_tried < ROUTE_MAX_LIST) {
        snprintf(in->tried[in->n_tried++], ROUTE_SERVICE_ID_MAX + 1, "%s", r->to_service);
    }
    return ERR_OK;
}

/* The services tried for this client in referrals the caller's organisation is party to (the
 * same ones GET /clients/{id}/referrals shows it); covered by the advice's audit row. */
static enum err tried_services(struct store_conn *c, const struct principal *who,
                               const struct client_row *cl, struct route_input *in)
{
    struct store_referral_filter f;
    memset(&f, 0, sizeof(f));
    f.client_id = cl->id;
    f.party_org_any = true;
    f.party_org = who->org_id;
    return store_referral_each(c, &f, tried_add, in);
}

/* The map area whose name is the client's location ("AZC Veerhaven", "Lindedal"); "" when none. */
static enum err client_area(struct store_conn *c, const char *location, char uri[256])
{
    json_t *areas = NULL, *a;
    size_t i;
    enum err rc = dir_areas(c, &areas);
    uri[0] = '\0';
    json_array_foreach(rc ? NULL : areas, i, a)
    {
        const char *name = json_string_value(json_object_get(a, "name"));
        const char *u = json_string_value(json_object_get(a, "uri"));
        if (!uri[0] && name && u && *location && !strcasecmp(name, location) && strlen(u) < 256) {
            snprintf(uri, 256, "%s", u);
        }
    }
    json_decref(areas);
    return rc;
}

/* ---- matching ----------------------------------------------------------------------------- */

struct match_ctx {
    struct store_conn *c;
    const struct route_input *in;
    const struct route_request *req;
    const char *lang;
    int age;
    const char *area; /* NULL: anywhere */
};

static void base_query(const struct match_ctx *m, struct dir_query *q, unsigned levels)
{
    memset(q, 0, sizeof(*q));
    q->levels = levels;
    q->phase = route_phase_name(m->in->phase);
    q->age = m->age;
    q->page = 1;
    q->per_page = CANDIDATES;
    q->view_lang = "nl";
    q->facets = false;
    q->municipality = m->area;
    q->near_set = m->req->near_set;
    q->lat = m->req->lat;
    q->lon = m->req->lon;
}

/*
 * The candidates of one level or offer: the services of several searches, by HSDS id, with the
 * wishes each is known to meet. Several searches so that the best-fitting services are in the
 * pool on a large map, where one search's first page is only the first names in display order.
 */
struct pool {
    json_t *items; /* id -> search item */
    json_t *hits;  /* id -> wish bits */
};

static enum err pool_search(const struct match_ctx *m, const struct dir_query *q, bool crisis,
                            uint32_t wish, struct pool *p)
{
    json_t *res = NULL, *items, *it;
    size_t i;
    enum err rc = dir_search(m->c, q, &res);
    if (rc) {
        return rc;
    }
    items = json_object_get(res, "items");
    if (crisis && json_array_size(items) == 0) {
        items = json_object_get(res, "crisis");
    }
    json_array_foreach(items, i, it)
    {
        const char *id = json_string_value(json_object_get(it, "id"));
        if (!id) {
            continue;
        }
        if (!json_object_get(p->items, id)) {
            json_object_set(p->items, id, it);
        }
        json_object_set_new(
            p->hits, id,
            json_integer(json_integer_value(json_object_get(p->hits, id)) | (json_int_t)wish));
    }
    json_decref(res);
    return ERR_OK;
}

struct cand {
    struct route_cand key; /* first: route_cand_cmp sorts an array of struct cand */
    json_t *item;          /* borrowed from the pool */
    json_t *codes;
};

static json_t *fit_texts(json_t *codes)
{
    json_t *texts = json_array(), *c;
    size_t i;
    json_array_foreach(codes, i, c)
    {
        char t[80];
        route_fit_text(json_string_value(c), t, sizeof(t));
        json_array_append_new(texts, json_string(t));
    }
    return texts;
}

static json_t *match_json(struct cand *cd)
{
    return json_pack("{s:O, s:O, s:O, s:i, s:O, s:o}", "service", json_object_get(cd->item, "id"),
                     "name", json_object_get(cd->item, "name"), "organization",
                     json_object_get(json_object_get(cd->item, "organization"), "name"), "fit",
                     cd->key.fit, "fit_codes", cd->codes, "fit_reasons", fit_texts(cd->codes));
}

/* Ranks the pool; top `max` (closed services only when nothing else is left). */
static json_t *rank(const struct match_ctx *m, const struct pool *p, enum route_level level,
                    int max)
{
    size_t n = json_object_size(p->items), i = 0;
    struct cand *cd = xcalloc(n ? n : 1, sizeof(*cd));
    json_t *out = json_array(), *it;
    const char *id;
    int open = 0;
    json_object_foreach(p->items, id, it)
    {
        uint32_t hits = (uint32_t)json_integer_value(json_object_get(p->hits, id));
        cd[i].item = it;
        cd[i].codes = json_array();
        cd[i].key.fit = route_fit(it, m->in, m->lang, level, hits, cd[i].codes);
        cd[i].key.id = json_string_value(json_object_get(it, "id"));
        cd[i].key.name = json_string_value(json_object_get(it, "name"));
        cd[i].key.tried = route_tried(m->in, cd[i].key.id);
        open += cd[i].key.fit >= 0;
        i++;
    }
    qsort(cd, n, sizeof(*cd), route_cand_cmp);
    for (i = 0; i < n; i++) {
        if ((int)json_array_size(out) < max && (cd[i].key.fit >= 0 || !open)) {
            json_array_append_new(out, match_json(&cd[i]));
        }
        json_decref(cd[i].codes);
    }
    free(cd);
    return out;
}

/* The searches of a level (q NULL) or an offer (q its text) into the pool. */
static enum err fill_pool(const struct match_ctx *m, unsigned levels, enum route_level level,
                          const char *q, struct pool *p)
{
    struct dir_query dq;
    enum err rc;
    base_query(m, &dq, levels);
    dq.q = q;
    if (q) {
        dq.per_page = OFFER_CANDIDATES; /* text search: the most relevant only, then fit */
    }
    rc = pool_search(m, &dq, level == RL_CRISIS, 0, p);
    if (!rc && !q && m->lang && m->lang[0]) {
        dq.lang = m->lang; /* staff who speak the client's language */
        rc = pool_search(m, &dq, false, 0, p);
        dq.lang = NULL;
    }
    if (!rc && !q) {
        dq.interpreter = true;
        rc = pool_search(m, &dq, false, 0, p);
        dq.interpreter = false;
    }
    if (!rc && (m->in->wishes & RW_WOMEN_ONLY)) {
        dq.target = "women";
        dq.target_only = true;
        rc = pool_search(m, &dq, false, RW_WOMEN_ONLY, p);
        dq.target = NULL;
        dq.target_only = false;
    }
    if (!rc && !q && (m->in->wishes & RW_GROUP)) {
        dq.q = "groep"; /* no delivery-format term in the taxonomy yet */
        rc = pool_search(m, &dq, false, RW_GROUP, p);
    }
    return rc;
}

static enum err match(const struct match_ctx *m, unsigned levels, enum route_level level,
                      const char *q, int max, json_t **out)
{
    struct pool p = {json_object(), json_object()};
    enum err rc = fill_pool(m, levels, level, q, &p);
    if (!rc && m->area && json_object_size(p.items) == 0) {
        struct match_ctx anywhere = *m; /* nothing in the client's area: the whole map */
        anywhere.area = NULL;
        rc = fill_pool(&anywhere, levels, level, q, &p);
    }
    if (!rc) {
        *out = rank(m, &p, level, max);
    }
    json_decref(p.items);
    json_decref(p.hits);
    return rc;
}

static enum err match_all(const struct match_ctx *m, json_t *advice)
{
    json_t *x, *matches;
    size_t i;
    enum err rc = ERR_OK;
    json_array_foreach(json_object_get(advice, "levels"), i, x)
    {
        int l = route_level_parse(json_string_value(json_object_get(x, "level")));
        if (!rc &&
            !(rc = match(m, 1u << l, (enum route_level)l, NULL, ROUTE_MATCHES_MAX, &matches))) {
            json_object_set_new(x, "matches", matches);
        }
    }
    json_array_foreach(json_object_get(advice, "stressor_offers"), i, x)
    {
        unsigned levels = 0;
        size_t k;
        json_t *lv;
        json_array_foreach(json_object_get(x, "levels"), k, lv)
        {
            levels |= 1u << route_level_parse(json_string_value(lv));
        }
        if (!rc && !(rc = match(m, levels, RL_L0, json_string_value(json_object_get(x, "q")),
                                OFFER_MATCHES, &matches))) {
            json_object_set_new(x, "matches", matches);
        }
    }
    return rc;
}

enum err route_compute(struct store_conn *c, const struct route_rules *rules,
                       const struct route_input *in, const struct route_request *req,
                       const char *lang, int age, json_t **out)
{
    struct route_result res;
    struct match_ctx m = {c, in, req, lang, age, req->area};
    enum err rc;
    route_decide(rules, in, &res);
    *out = route_result_json(rules, &res);
    rc = match_all(&m, *out);
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}

/* ---- storing and answering ---------------------------------------------------------------- */

/* Removes the display-only members (names, fit texts) before storing: codes and ids only. */
static json_t *codes_only(json_t *advice)
{
    json_t *copy = json_deep_copy(advice), *x, *mt;
    size_t i, k;
    static const char *const lists[] = {"levels", "stressor_offers"};
    for (size_t l = 0; l < ARRAY_SIZE(lists); l++) {
        json_array_foreach(json_object_get(copy, lists[l]), i, x)
        {
            json_array_foreach(json_object_get(x, "matches"), k, mt)
            {
                json_object_del(mt, "name");
                json_object_del(mt, "organization");
                json_object_del(mt, "fit_reasons");
            }
        }
    }
    return copy;
}

static enum err store_advice(struct store_conn *c, const struct principal *who,
                             const struct route_rules *rules, const struct client_row *cl,
                             const char *sid, json_t *input, json_t *advice, char uid[33])
{
    struct route_advice_row row;
    json_t *stored = codes_only(advice);
    enum err rc;
    memset(&row, 0, sizeof(row));
    sec_random_hex(16, row.uid);
    row.client_id = cl->id;
    snprintf(row.rules_id, sizeof(row.rules_id), "%s", rules->id);
    snprintf(row.rules_version, sizeof(row.rules_version), "%s", rules->version);
    memcpy(row.rules_hash, rules->hash, SEC_HASH_BYTES);
    snprintf(row.screening_uid, sizeof(row.screening_uid), "%s", sid);
    row.input = json_dumps(input, JSON_COMPACT | JSON_SORT_KEYS);
    row.output = json_dumps(stored, JSON_COMPACT | JSON_SORT_KEYS);
    snprintf(row.created_by_user, sizeof(row.created_by_user), "%s", who->user_uid);
    snprintf(row.created_by_role, sizeof(row.created_by_role), "%s", acct_role_name(who->role));
    row.created_by_org = who->org_id;
    row.created_at = clock_now_ms();
    rc = (row.input && row.output) ? store_route_advice_insert(c, &row) : ERR_NOMEM;
    snprintf(uid, 33, "%s", row.uid);
    store_route_advice_release(&row);
    json_decref(stored);
    return rc;
}

static void decorate(json_t *advice, const char *uid, const char *pid,
                     const struct route_rules *rules, const char *rules_id,
                     const char *rules_version, const char *sid, json_t *input, int64_t at,
                     const char *lang)
{
    char iso[40];
    bool same = !strcmp(rules->id, rules_id) && !strcmp(rules->version, rules_version);
    json_object_set_new(advice, "id", json_string(uid));
    json_object_set_new(advice, "client_id", json_string(pid));
    json_object_set_new(
        advice, "rules",
        json_pack("{s:s, s:s, s:b}", "id", rules_id, "version", rules_version, "active", same));
    json_object_set_new(advice, "screening_id", *sid ? json_string(sid) : json_null());
    json_object_set_new(advice, "input", input);
    json_object_set_new(advice, "lang", json_string(lang));
    json_object_set_new(advice, "created_at", json_string(clock_fmt_iso(at, iso, sizeof(iso))));
    if (same) {
        route_texts_add(rules, advice, lang);
    }
}

static void receivers_add(struct store_conn *c, json_t *advice);
static void tried_apply(json_t *advice, json_t *input, const struct route_input *tried);

/* Computes and stores the advice as any organisation may see it: without the services tried,
 * which `in` carries for the caller only and which are added to the answer afterwards. */
static enum err advise_tx(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                          const struct route_rules *rules, const struct client_row *cl,
                          const char *sid, struct route_input *in, const struct route_request *req,
                          const char *lang, json_t **out)
{
    json_t *advice = NULL, *input;
    char uid[33];
    enum err rc;
    int64_t age = year_now() - cl->year_of_birth;
    int n_tried = in->n_tried;
    struct audit_event ev = {cl->pid, "create", "route_advice", NULL, "success"};

    in->n_tried = 0; /* the stored advice is the same for every organisation */
    rc = route_compute(c, rules, in, req, lang,
                       cl->year_of_birth > 0 && age >= 0 && age < 150 ? (int)age : -1, &advice);
    in->n_tried = n_tried;
    if (rc) {
        return rc;
    }
    json_object_set_new(advice, "area", req->area ? json_string(req->area) : json_null());
    input = route_input_json(in);
    json_object_del(input, "tried");
    rc = store_advice(c, who, rules, cl, sid, input, advice, uid);
    ev.object_id = uid;
    rc = rc ? rc : audit_log(c, actx, &ev);
    if (rc) {
        json_decref(advice);
        json_decref(input);
        return rc;
    }
    decorate(advice, uid, cl->pid, rules, rules->id, rules->version, sid, input, clock_now_ms(),
             lang);
    tried_apply(advice, input, in);
    receivers_add(c, advice);
    *out = advice;
    return ERR_OK;
}

enum err route_advise(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                      const struct screen_registry *reg, const struct route_rules *rules,
                      const char *pid, const struct route_request *req, json_t **out)
{
    struct client_row cl;
    struct route_input in;
    char sid[STORE_UID_LEN + 1], lang[8], area[256];
    struct route_request local;
    uint32_t eff;
    enum err rc;
    (void)reg;
    memset(&in, 0, sizeof(in));
    rc = dossier_client_open(c, actx, who, pid, SCOPE_SIGNAL, "read", "route_advice", &cl, &eff);
    if (rc) {
        return rc;
    }
    from_client(&cl, req, &in, lang);
    rc = client_area(c, cl.location, area);
    if (!req->area && area[0]) {
        local = *req;
        local.area = area;
        req = &local;
    }
    rc = rc ? rc : tried_services(c, who, &cl, &in);
    rc = rc ? rc : from_screening(c, actx, who, pid, &in, sid);
    rc = rc ? rc : open_flags(c, actx, who, pid, &in.red_flag);
    return rc ? rc : advise_tx(c, actx, who, rules, &cl, sid, &in, req, lang, out);
}

/* Puts back what was not stored: service and organisation names, fit texts. */
static void names_add(struct store_conn *c, json_t *advice)
{
    static const char *const lists[] = {"levels", "stressor_offers"};
    json_t *x, *mt;
    size_t i, k;
    for (size_t l = 0; l < ARRAY_SIZE(lists); l++) {
        json_array_foreach(json_object_get(advice, lists[l]), i, x)
        {
            json_array_foreach(json_object_get(x, "matches"), k, mt)
            {
                json_t *view = NULL;
                const char *id = json_string_value(json_object_get(mt, "service"));
                if (id && !dir_service_view(c, id, "nl", &view)) {
                    json_object_set(mt, "name", json_object_get(view, "name"));
                    json_object_set(mt, "organization",
                                    json_object_get(json_object_get(view, "organization"), "name"));
                }
                json_decref(view);
                json_object_set_new(mt, "fit_reasons", fit_texts(json_object_get(mt, "fit_codes")));
            }
        }
    }
}

/* The account organisation that receives referrals to a service, or null (map data only). */
static json_t *receiver_json(struct store_conn *c, const char *service)
{
    char level[8], name[STORE_REF_SERVICE_NAME_MAX + 1], map_org[STORE_MAP_ID_MAX + 1];
    int64_t org_id;
    struct org_row o;
    if (!service || store_referral_service(c, service, level, name, map_org) ||
        store_map_org_account_find(c, map_org, &org_id) || store_org_by_id(c, org_id, &o)) {
        return json_null();
    }
    return json_pack("{s:s, s:s}", "id", o.uid, "name", o.name);
}

/* One match and its order key, for re-sorting a list stored before tried became per caller. */
struct match_key {
    struct route_cand key; /* first: route_cand_cmp() sorts these */
    json_t *mt;            /* borrowed */
};

/*
 * Puts a list back in route_cand_cmp() order: an advice stored before tried became per caller
 * ranked another organisation's tried services last, and that order alone would tell the reader
 * that somebody tried them. Lists are short (ROUTE_MATCHES_MAX per level); a longer one is left.
 */
static void matches_resort(json_t *list)
{
    struct match_key keys[4 * ROUTE_MATCHES_MAX];
    size_t n = json_array_size(list), k;
    json_t *mt;

    if (n < 2 || n > ARRAY_SIZE(keys)) {
        return;
    }
    json_array_foreach(list, k, mt)
    {
        keys[k].key.id = json_string_value(json_object_get(mt, "service"));
        keys[k].key.name = json_string_value(json_object_get(mt, "name"));
        keys[k].key.fit = (int)json_integer_value(json_object_get(mt, "fit"));
        keys[k].key.tried = false;
        keys[k].mt = json_incref(mt);
    }
    qsort(keys, n, sizeof(keys[0]), route_cand_cmp);
    json_array_clear(list);
    for (k = 0; k < n; k++) {
        json_array_append_new(list, keys[k].mt);
    }
}

/* Drops the fit code "tried" (and says whether there was one) from a match's codes. */
static bool tried_strip(json_t *codes)
{
    bool had = false;
    for (size_t j = json_array_size(codes); j > 0; j--) {
        json_t *c = json_array_get(codes, j - 1);
        if (json_is_string(c) && !strcmp(json_string_value(c), "tried")) {
            json_array_remove(codes, j - 1);
            had = true;
        }
    }
    return had;
}

/* Marks the matches of one list tried for the caller (fit code "tried" and its text, which an
 * advice stored before tried became per caller may also carry) and moves them after every match
 * not tried, keeping the stored order otherwise (route_cand_cmp on a list sorted by fit); a list
 * stored with somebody's tried codes is first put back in the order without them. */
static void tried_list(json_t *matches, const struct route_input *tried)
{
    json_t *first = json_array(), *last = json_array(), *mt, *codes;
    bool legacy = false;
    size_t k;
    json_array_foreach(matches, k, mt)
    {
        legacy |= tried_strip(json_object_get(mt, "fit_codes"));
    }
    if (legacy) {
        matches_resort(matches);
    }
    json_array_foreach(matches, k, mt)
    {
        bool is = route_tried(tried, json_string_value(json_object_get(mt, "service")));
        codes = json_object_get(mt, "fit_codes");
        if (is && json_is_array(codes)) {
            json_array_append_new(codes, json_string("tried"));
        }
        if (json_object_get(mt, "fit_reasons")) {
            json_object_set_new(mt, "fit_reasons", fit_texts(codes));
        }
        json_array_append(is ? last : first, mt);
    }
    json_array_extend(first, last);
    json_array_clear(matches);
    json_array_extend(matches, first);
    json_decref(first);
    json_decref(last);
}

/* The services tried for the caller into input.tried and into every list of matches. */
static void tried_apply(json_t *advice, json_t *input, const struct route_input *tried)
{
    static const char *const lists[] = {"levels", "stressor_offers"};
    json_t *x, *ids = json_array();
    size_t i;
    for (int t = 0; t < tried->n_tried; t++) {
        json_array_append_new(ids, json_string(tried->tried[t]));
    }
    json_object_set_new(input, "tried", ids);
    for (size_t l = 0; l < ARRAY_SIZE(lists); l++) {
        json_array_foreach(json_object_get(advice, lists[l]), i, x)
        {
            tried_list(json_object_get(x, "matches"), tried);
        }
    }
}

/* Adds to every match "receiver": the organisation a referral would go to (not stored). */
static void receivers_add(struct store_conn *c, json_t *advice)
{
    static const char *const lists[] = {"levels", "stressor_offers"};
    json_t *x, *mt;
    size_t i, k;
    for (size_t l = 0; l < ARRAY_SIZE(lists); l++) {
        json_array_foreach(json_object_get(advice, lists[l]), i, x)
        {
            json_array_foreach(json_object_get(x, "matches"), k, mt)
            {
                json_object_set_new(
                    mt, "receiver",
                    receiver_json(c, json_string_value(json_object_get(mt, "service"))));
            }
        }
    }
}

enum err route_latest(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                      const char *pid, json_t **out)
{
    struct client_row cl;
    struct route_advice_row row;
    uint32_t eff;
    json_t *advice, *input;
    char lang[8];
    struct route_request none = {0, -1, -1, false, 0, 0, NULL};
    struct route_input in;
    enum err rc =
        dossier_client_open(c, actx, who, pid, SCOPE_SIGNAL, "read", "route_advice", &cl, &eff);
    if (rc) {
        return rc;
    }
    rc = store_route_advice_latest(c, cl.id, &row);
    if (rc) {
        store_route_advice_release(&row);
        return rc;
    }
    memset(&in, 0, sizeof(in));
    from_client(&cl, &none, &in, lang);
    rc = tried_services(c, who, &cl, &in);
    advice = rc ? NULL : json_loads(row.output, 0, NULL);
    input = rc ? NULL : json_loads(row.input, 0, NULL);
    if (!advice || !input) {
        json_decref(advice);
        json_decref(input);
        store_route_advice_release(&row);
        return rc ? rc : ERR_CORRUPT;
    }
    names_add(c, advice);
    tried_apply(advice, input, &in);
    receivers_add(c, advice);
    decorate(advice, row.uid, cl.pid, route_active(), row.rules_id, row.rules_version,
             row.screening_uid, input, row.created_at, lang);
    store_route_advice_release(&row);
    *out = advice;
    return ERR_OK;
}
