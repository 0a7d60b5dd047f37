/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Social-map search benchmark (issue 4): generates a large fictional map (default 100,000
 * services with a realistic mix of care levels, phases, languages, nl/en/ar texts and locations
 * in a ~50 km box), stores it through dir_import() - the same index (dir_index_service) and
 * storage code as `veerkracht map import`, only without hsds_check_package() - and then times
 * typical searches in-process (dir_query_parse + dir_search in a read transaction, as the API
 * runs them), printing median and p99 per query. See bench/map/README.md.
 */
#include "core/compat.h"

#include <time.h>

#include "core/sec.h"
#include "directory/directory.h"

#define BATCH     1000
#define N_ORGS    2000
#define N_MUNI    20
#define N_COA     10
#define LAT0      52.00 /* the box: 52.00-52.45 N, 4.90-5.60 E (about 50 x 48 km) */
#define LAT_SPAN  0.45
#define LON0      4.90
#define LON_SPAN  0.70
#define QUERY_MAX 16

/* ---- deterministic randomness (xorshift64*; no rand()) ------------------------------------ */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}

static unsigned pick(unsigned n)
{
    return (unsigned)(rnd() % n);
}

static bool chance(unsigned percent)
{
    return pick(1000) < percent * 10;
}

/* ---- words: the same concept in nl, en and ar, so translations line up -------------------- */

struct word {
    const char *nl, *en, *ar;
};

static const struct word kinds[] = {
    {"Taalcafé", "Language café", "مقهى اللغة"},
    {"Lotgenotengroep", "Peer support group", "مجموعة دعم الأقران"},
    {"Spreekuur", "Consultation hour", "ساعة الاستشارة"},
    {"Praktijkondersteuner GGZ", "Mental health nurse", "ممرضة الصحة النفسية"},
    {"Traumabehandeling", "Trauma treatment", "علاج الصدمات"},
    {"Opvoedondersteuning", "Parenting support", "دعم التربية"},
    {"Maatjesproject", "Buddy project", "مشروع الرفيق"},
    {"Wandelgroep", "Walking group", "مجموعة المشي"},
    {"Huisartsenpraktijk", "GP practice", "عيادة الطبيب العام"},
    {"Voedselbank", "Food bank", "بنك الطعام"},
    {"Psycho-educatie", "Psychoeducation", "التثقيف النفسي"},
    {"Crisisdienst", "Crisis service", "خدمة الأزمات"},
};
static const struct word topics[] = {
    {"stress", "stress", "التوتر"},
    {"slaap", "sleep", "النوم"},
    {"rouw", "grief", "الحزن"},
    {"opvoeden", "parenting", "التربية"},
    {"eenzaamheid", "loneliness", "الوحدة"},
    {"veerkracht", "resilience", "الصمود"},
    {"werk", "work", "العمل"},
    {"gezondheid", "health", "الصحة"},
    {"geweld", "violence", "العنف"},
    {"heimwee", "homesickness", "الحنين"},
};
static const struct word groups[] = {
    {"vrouwen", "women", "النساء"},           {"mannen", "men", "الرجال"},
    {"jongeren", "young people", "الشباب"},   {"ouders", "parents", "الآباء"},
    {"ouderen", "older adults", "كبار السن"}, {"iedereen", "everyone", "الجميع"},
};
static const char *const places[] = {"Veerhaven",  "Lindedal",  "Bosrijk",     "Zandvoort-Oost",
                                     "Heidestein", "Molenwijk", "Rivierzicht", "Overloon",
                                     "Kerkdijk",   "Waterland"};

/* ---- ids and attributes ------------------------------------------------------------------- */

static json_t *uuid(char kind, uint64_t n)
{
    return json_sprintf("%08x-0000-4000-8000-%012llx", (unsigned)kind, (unsigned long long)n);
}

static uint64_t next_id;

static void attr(json_t *obj, const char *entity, const char *code, const char *value)
{
    const struct hsds_term *t = hsds_term_by_code(code);
    json_t *a;

    if (!t) {
        fprintf(stderr, "vk_bench_map: no term %s\n", code);
        exit(1);
    }
    a = json_pack("{s:o, s:O, s:s, s:s%, s:s}", "id", uuid('a', ++next_id), "link_id",
                  json_object_get(obj, "id"), "link_entity", entity, "link_type", code,
                  strcspn(code, "."), "taxonomy_term_id", t->id);
    if (value) {
        json_object_set_new(a, "value", json_string(value));
    }
    if (!json_object_get(obj, "attributes")) {
        json_object_set_new(obj, "attributes", json_array());
    }
    json_array_append_new(json_object_get(obj, "attributes"), a);
}

/* obj[field] = Dutch; the English and Arabic texts as translation attributes (drafts). */
static void texts(json_t *obj, const char *entity, const char *field, const char *nl,
                  const char *en, const char *ar)
{
    char code[96];

    json_object_set_new(obj, field, json_string(nl));
    snprintf(code, sizeof(code), "translation.%s.en", field);
    attr(obj, entity, code, en);
    snprintf(code, sizeof(code), "translation.%s.ar", field);
    attr(obj, entity, code, ar);
}

/* ---- organisations, locations, areas ------------------------------------------------------ */

/* A fixed pseudo-random number for (kind, n), so that shared objects are identical each time. */
static double hashed(uint64_t kind, uint64_t n)
{
    uint64_t x = (kind * 0x100000001b3ull) ^ (n * 0x9e3779b97f4a7c15ull);

    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    return (double)(x >> 11) / 9007199254740992.0;
}

static json_t *organization(unsigned k)
{
    json_t *o = json_pack("{s:o}", "id", uuid('o', k));

    json_object_set_new(o, "name", json_sprintf("Stichting %s %u (fictief)", places[k % 10], k));
    json_object_set_new(o, "description", json_string("Fictieve organisatie voor de benchmark."));
    json_object_set_new(o, "email", json_sprintf("info@org%u.example", k));
    return o;
}

/* Location n (organisation locations first, then one per service): in the box, or virtual. */
static json_t *location(uint64_t n, const char *org_id)
{
    json_t *l = json_pack("{s:o, s:s, s:s}", "id", uuid('l', n), "organization_id", org_id,
                          "location_type", "physical");

    json_object_set_new(l, "name",
                        json_sprintf("Locatie %s %llu", places[n % 10], (unsigned long long)n));
    if (hashed(3, n) < 0.03) {
        json_object_set_new(l, "location_type", json_string("virtual"));
        json_object_set_new(l, "url",
                            json_sprintf("https://online%llu.example/", (unsigned long long)n));
        return l;
    }
    json_object_set_new(l, "latitude", json_real(LAT0 + LAT_SPAN * hashed(1, n)));
    json_object_set_new(l, "longitude", json_real(LON0 + LON_SPAN * hashed(2, n)));
    return l;
}

/* The municipality (0..N_MUNI-1) a point lies in: a 5 x 4 grid over the box. */
static unsigned municipality_of(const json_t *l)
{
    double lat = json_real_value(json_object_get(l, "latitude"));
    double lon = json_real_value(json_object_get(l, "longitude"));
    unsigned row, col;

    if (!json_object_get(l, "latitude")) {
        return pick(N_MUNI);
    }
    row = (unsigned)((lat - LAT0) / LAT_SPAN * 5);
    col = (unsigned)((lon - LON0) / LON_SPAN * 4);
    return (row > 4 ? 4 : row) * 4 + (col > 3 ? 3 : col);
}

static enum err store_areas(struct store_conn *c)
{
    struct store_map_area a;
    enum err rc = ERR_OK;

    memset(&a, 0, sizeof(a));
    snprintf(a.uri, sizeof(a.uri), "urn:veerkracht:area:nl");
    snprintf(a.name, sizeof(a.name), "Nederland");
    snprintf(a.kind, sizeof(a.kind), "national");
    rc = store_map_area_set(c, &a);
    for (unsigned m = 0; !rc && m < N_MUNI; m++) {
        snprintf(a.uri, sizeof(a.uri), "urn:bench:gemeente:%u", m);
        snprintf(a.name, sizeof(a.name), "Gemeente %s %u", places[m % 10], m);
        snprintf(a.kind, sizeof(a.kind), "municipality");
        rc = store_map_area_set(c, &a);
    }
    for (unsigned k = 0; !rc && k < N_COA; k++) {
        snprintf(a.uri, sizeof(a.uri), "urn:bench:coa-locatie:%u", k);
        snprintf(a.name, sizeof(a.name), "AZC %u", k);
        snprintf(a.kind, sizeof(a.kind), "coa_location");
        snprintf(a.parent_uri, sizeof(a.parent_uri), "urn:bench:gemeente:%u", 2 * k);
        rc = store_map_area_set(c, &a);
    }
    return rc;
}

static void area(json_t *s, const char *uri, const char *name)
{
    json_t *a = json_pack("{s:o, s:O, s:s, s:s}", "id", uuid('r', ++next_id), "service_id",
                          json_object_get(s, "id"), "uri", uri, "name", name);

    json_array_append_new(json_object_get(s, "service_areas"), a);
}

/* ---- one service -------------------------------------------------------------------------- */

struct gen {
    const char *level;
    bool coa, muni, interpreter;
    const struct word *kind, *topic, *group;
    const char *place;
};

static const char *pick_level(void)
{
    unsigned r = pick(10000);

    return r < 5 ? "crisis" : r < 4505 ? "L0" : r < 6705 ? "L1" : r < 8405 ? "L2" : "L3";
}

static void gen_texts(json_t *s, const struct gen *g)
{
    char nl[512], en[512], ar[512];

    snprintf(nl, sizeof(nl), "%s %s voor %s", g->kind->nl, g->place, g->group->nl);
    snprintf(en, sizeof(en), "%s %s for %s", g->kind->en, g->place, g->group->en);
    snprintf(ar, sizeof(ar), "%s في %s: %s", g->kind->ar, g->place, g->group->ar);
    texts(s, "service", "name", nl, en, ar);
    snprintf(nl, sizeof(nl),
             "Bijeenkomsten over %s en veerkracht voor %s in %s, met uitleg in "
             "eenvoudige taal en tijd voor vragen.",
             g->topic->nl, g->group->nl, g->place);
    snprintf(en, sizeof(en),
             "Meetings about %s and resilience for %s in %s, explained in plain "
             "language with time for questions.",
             g->topic->en, g->group->en, g->place);
    snprintf(ar, sizeof(ar), "لقاءات حول %s والصمود (%s) في %s، بلغة بسيطة مع وقت للأسئلة.",
             g->topic->ar, g->group->ar, g->place);
    texts(s, "service", "description", nl, en, ar);
    texts(s, "service", "application_process",
          "Aanmelden via de huisarts of kom langs op het spreekuur.",
          "Sign up through your GP or come to the consultation hour.",
          "سجّل عن طريق طبيبك العام أو تعال في ساعة الاستشارة.");
    texts(s, "service", "eligibility_description", "Voor bewoners van de regio.",
          "For residents of the region.", "لسكان المنطقة.");
    attr(s, "service", "translation_status.en", "draft");
    attr(s, "service", "translation_status.ar", "draft");
}

static void gen_languages(json_t *s)
{
    static const char *const codes[] = {"nl", "en", "ar", "ti", "fa", "prs", "so", "uk", "tr"};
    static const unsigned pct[] = {90, 40, 20, 8, 10, 5, 5, 5, 5};
    json_t *list = json_array();

    for (size_t i = 0; i < ARRAY_SIZE(codes); i++) {
        if (chance(pct[i])) {
            json_array_append_new(
                list, json_pack("{s:o, s:O, s:s, s:s}", "id", uuid('g', ++next_id), "service_id",
                                json_object_get(s, "id"), "name", codes[i], "code", codes[i]));
        }
    }
    json_object_set_new(s, "languages", list);
}

static void gen_codes(json_t *s, struct gen *g)
{
    static const char *const targets[] = {"women",       "men",    "parents",
                                          "children",    "ex_amv", "survivors_violence_torture",
                                          "low_literacy"};
    static const char *const routes[] = {"no_referral", "gp_referral", "other_referral",
                                         "self_registration"};
    static const char *const modes[] = {"in_person", "phone", "video"};
    char code[64];

    snprintf(code, sizeof(code), "care_level.%s", g->level);
    attr(s, "service", code, NULL);
    snprintf(code, sizeof(code), "iasc_layer.%u", 1 + pick(4));
    attr(s, "service", code, NULL);
    if (g->coa) {
        attr(s, "service", "phase.coa", NULL);
    }
    if (g->muni) {
        attr(s, "service", "phase.municipality", NULL);
    }
    if (chance(45)) { /* most offers are for everyone in the phase */
        snprintf(code, sizeof(code), "target_group.%s", targets[pick(ARRAY_SIZE(targets))]);
        attr(s, "service", code, NULL);
    }
    attr(s, "service", chance(15) ? "legal_status.asylum_seeker" : "legal_status.no_limit", NULL);
    snprintf(code, sizeof(code), "entry_route.%s", routes[pick(4)]);
    attr(s, "service", code, NULL);
    g->interpreter = chance(50);
    attr(s, "service", g->interpreter ? "interpreter.provided" : "interpreter.not_provided", NULL);
    for (size_t i = 0; g->interpreter && i < ARRAY_SIZE(modes); i++) {
        if (i == 0 || chance(40)) {
            snprintf(code, sizeof(code), "interpreter.mode.%s", modes[i]);
            attr(s, "service", code, NULL);
        }
    }
    if (chance(40)) {
        attr(s, "service", "culture.staff_trained", NULL);
    }
}

static void gen_capacity(json_t *s)
{
    unsigned r = pick(100);
    char weeks[8];

    if (r < 60) {
        attr(s, "service", "capacity.open", NULL);
    } else if (r < 95) {
        snprintf(weeks, sizeof(weeks), "%u", 1 + pick(20));
        attr(s, "service", "capacity.waitlist", weeks);
    } else {
        attr(s, "service", "capacity.closed", NULL);
    }
    attr(s, "service", "capacity.updated", "2026-10-01");
}

static void gen_cost(json_t *s, const struct gen *g, const char *phase)
{
    json_t *co = json_pack("{s:o, s:O, s:s}", "id", uuid('c', ++next_id), "service_id",
                           json_object_get(s, "id"), "option", phase);
    unsigned r = pick(10);
    char code[64];

    snprintf(code, sizeof(code), "phase.%s", phase);
    attr(co, "cost_option", code, NULL);
    attr(co, "cost_option", r < 7 ? "cost.free" : r < 9 ? "cost.eigen_risico" : "cost.other", NULL);
    if (g->interpreter) {
        attr(co, "cost_option", "interpreter.paid_by.provider", NULL);
    }
    json_array_append_new(json_object_get(s, "cost_options"), co);
}

static void gen_contact(json_t *s)
{
    static const char *const roles[] = {"signals",     "refers",     "treats",
                                        "coordinates", "follows_up", "informs"};
    json_t *ct = json_pack("{s:o, s:O, s:s, s:s}", "id", uuid('k', ++next_id), "service_id",
                           json_object_get(s, "id"), "name", "Aanspreekpunt keten", "email",
                           "keten@example.example");
    char code[64];

    snprintf(code, sizeof(code), "chain_role.%s", roles[pick(6)]);
    attr(ct, "contact", code, NULL);
    json_object_set_new(s, "contacts", json_pack("[o]", ct));
}

static void gen_place(json_t *s, const struct gen *g, uint64_t i)
{
    unsigned k = (unsigned)(i % N_ORGS);
    json_t *org = organization(k);
    uint64_t n = chance(30) ? k : N_ORGS + i; /* the organisation's own site, or the service's */
    json_t *loc = location(n, json_string_value(json_object_get(org, "id")));
    unsigned m = municipality_of(loc);
    char uri[64], name[64];

    json_object_set_new(s, "organization_id", json_copy(json_object_get(org, "id")));
    json_object_set_new(s, "organization", org);
    json_object_set_new(s, "service_at_locations",
                        json_pack("[{s:o, s:O, s:O, s:o}]", "id", uuid('x', ++next_id),
                                  "service_id", json_object_get(s, "id"), "location_id",
                                  json_object_get(loc, "id"), "location", loc));
    json_object_set_new(s, "service_areas", json_array());
    snprintf(uri, sizeof(uri), "urn:bench:gemeente:%u", m);
    snprintf(name, sizeof(name), "Gemeente %u", m);
    area(s, uri, name);
    if (g->coa && chance(40)) {
        snprintf(uri, sizeof(uri), "urn:bench:coa-locatie:%u", pick(N_COA));
        area(s, uri, "AZC");
    }
    if (chance(1)) {
        area(s, "urn:veerkracht:area:nl", "Nederland");
    }
}

static json_t *gen_service(uint64_t i)
{
    json_t *s = json_pack("{s:o, s:s, s:s, s:s}", "id", uuid('s', i), "status",
                          chance(1) ? "temporarily closed" : "active", "assured_date",
                          chance(25) ? "2025-12-01" : "2026-10-01", "assurer_email",
                          "kaart@example.example");
    struct gen g = {pick_level(),
                    false,
                    false,
                    false,
                    &kinds[pick(ARRAY_SIZE(kinds))],
                    &topics[pick(ARRAY_SIZE(topics))],
                    &groups[pick(ARRAY_SIZE(groups))],
                    places[pick(ARRAY_SIZE(places))]};
    unsigned ph = pick(100);

    g.coa = ph < 55;
    g.muni = ph >= 25;
    json_object_set_new(s, "minimum_age", json_integer(chance(20) ? pick(18) : 18));
    if (chance(30)) {
        json_object_set_new(s, "maximum_age", json_integer(chance(50) ? 17 : 64 + pick(40)));
    }
    gen_texts(s, &g);
    gen_languages(s);
    gen_codes(s, &g);
    gen_capacity(s);
    json_object_set_new(s, "cost_options", json_array());
    if (g.coa) {
        gen_cost(s, &g, "coa");
    }
    if (g.muni) {
        gen_cost(s, &g, "municipality");
    }
    gen_contact(s);
    gen_place(s, &g, i);
    return s;
}

/* ---- loading ------------------------------------------------------------------------------ */

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static enum err load(struct store_conn *c, uint64_t n)
{
    struct audit_ctx actx = {.user_uid = "bench",
                             .role = "admin",
                             .org_uid = "bench",
                             .source_addr = "127.0.0.1",
                             .request_id = "bench"};
    struct dir_import_stats stats;
    double t0 = now_s();
    enum err rc = store_begin(c, true);

    rc = rc ? rc : store_areas(c);
    rc = rc ? rc : store_commit(c);
    for (uint64_t i = 0; !rc && i < n; i += BATCH) {
        json_t *batch = json_array();

        for (uint64_t j = i; j < i + BATCH && j < n; j++) {
            json_array_append_new(batch, gen_service(j));
        }
        rc = store_begin(c, true);
        rc = rc ? rc : dir_import(c, &actx, batch, "bench", NULL, NULL, &stats);
        if (rc) {
            store_rollback(c);
        } else {
            rc = store_commit(c);
        }
        json_decref(batch);
        fprintf(stderr, "\rstored %llu / %llu services",
                (unsigned long long)(i + BATCH < n ? i + BATCH : n), (unsigned long long)n);
    }
    fprintf(stderr, "\n");
    if (!rc) {
        printf("generated and stored %llu services in %.1f s\n", (unsigned long long)n,
               now_s() - t0);
    }
    return rc;
}

/* ---- queries ------------------------------------------------------------------------------ */

struct qs {
    char buf[512];
    const char *key[QUERY_MAX], *val[QUERY_MAX];
    size_t n;
};

static void qs_parse(struct qs *q, const char *text)
{
    char *p;

    snprintf(q->buf, sizeof(q->buf), "%s", text);
    q->n = 0;
    for (p = q->buf; *p && q->n < QUERY_MAX;) {
        char *amp = strchr(p, '&'), *eq = strchr(p, '=');

        if (amp) {
            *amp = '\0';
        }
        if (eq) {
            *eq = '\0';
            q->key[q->n] = p;
            q->val[q->n++] = eq + 1;
        }
        p = amp ? amp + 1 : p + strlen(p);
    }
}

static const char *qs_get(void *ctx, const char *name)
{
    const struct qs *q = ctx;

    for (size_t i = 0; i < q->n; i++) {
        if (!strcmp(q->key[i], name)) {
            return q->val[i];
        }
    }
    return NULL;
}

/* One search as the API runs it: parse, search in a read transaction, serialise. */
static enum err one(struct store_conn *c, struct qs *q, json_int_t *total, size_t *bytes)
{
    struct dir_query dq;
    struct verr errs = {0};
    json_t *out = NULL;
    char *text;
    enum err rc = dir_query_parse(&dq, qs_get, q, &errs);

    if (rc) {
        fprintf(stderr, "bad query: %s %s\n", errs.items[0].pointer, errs.items[0].detail);
        return rc;
    }
    rc = store_begin(c, false);
    rc = rc ? rc : dir_search(c, &dq, &out);
    store_rollback(c);
    if (!rc) {
        *total = json_integer_value(json_object_get(out, "total"));
        text = json_dumps(out, JSON_COMPACT);
        *bytes = text ? strlen(text) : 0;
        free(text);
    }
    json_decref(out);
    return rc;
}

static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static enum err time_query(struct store_conn *c, const char *label, const char *query, int runs)
{
    double *t = calloc((size_t)runs, sizeof(double));
    json_int_t total = 0;
    size_t bytes = 0;
    struct qs q = {.n = 0};
    enum err rc = ERR_OK;

    qs_parse(&q, query);
    rc = one(c, &q, &total, &bytes); /* warm-up, not timed */
    for (int i = 0; !rc && i < runs; i++) {
        double t0 = now_s();

        rc = one(c, &q, &total, &bytes);
        t[i] = (now_s() - t0) * 1000.0;
    }
    if (!rc) {
        qsort(t, (size_t)runs, sizeof(double), dbl_cmp);
        printf("| %-38s | `%s` | %lld | %.1f | %.1f |\n", label, query, (long long)total,
               t[runs / 2], t[(size_t)((runs - 1) * 0.99)]);
    }
    free(t);
    return rc;
}

static const char *const queries[][2] = {
    {"text: common word", "q=stress"},
    {"text: rarer word", "q=heimwee"},
    {"text: two words", "q=taalcafe veerhaven"},
    {"text: prefix", "q=trauma*"},
    {"text + filters", "q=stress&phase=coa&lang=ar&open=1"},
    {"Arabic text", "q=التوتر"},
    {"Arabic text, hamza and tashkeel variant", "q=الاباء"},
    {"filters only: level + phase + free", "level=L1,L2&phase=municipality&free=1"},
    {"filters only: municipality + age", "municipality=urn:bench:gemeente:7&age=30"},
    {"filters only: language + interpreter", "lang=ti&interpreter=1"},
    {"near + within_km=5", "near=52.2,5.2&within_km=5"},
    {"near, everything by distance", "near=52.2,5.2"},
    {"no filter, first page", ""},
    {"no filter, page 100", "page=100"},
    {"text, without facets", "q=stress&facets=0"},
    {"filters only, without facets", "level=L1,L2&phase=municipality&free=1&facets=0"},
    {"no filter, without facets", "facets=0"},
};

static enum err run_queries(struct store_conn *c, int runs)
{
    json_int_t total = 0;
    size_t bytes = 0;
    struct qs q = {.n = 0};
    double t0 = now_s();
    enum err rc;

    qs_parse(&q, "facets=0");
    rc = one(c, &q, &total, &bytes); /* the first search builds the in-memory index */
    if (!rc) {
        printf("first search, building the in-memory index of %lld services: %.0f ms\n",
               (long long)total, (now_s() - t0) * 1000.0);
    }

    if (!rc) {
        printf("\n| query | parameters | total | median ms | p99 ms |\n|---|---|---|---|---|\n");
    }
    for (size_t i = 0; !rc && i < ARRAY_SIZE(queries); i++) {
        rc = time_query(c, queries[i][0], queries[i][1], runs);
        fflush(stdout);
    }
    return rc;
}

static bool parse_args(int argc, char **argv, const char **db, uint64_t *n, int *runs, bool *reuse)
{
    for (int i = 1; i < argc; i++) {
        char *end = NULL;

        if (!strcmp(argv[i], "--reuse")) {
            *reuse = true;
        } else if (i + 1 < argc && !strcmp(argv[i], "--db")) {
            *db = argv[++i];
        } else if (i + 1 < argc && !strcmp(argv[i], "--services")) {
            *n = strtoull(argv[++i], &end, 10);
        } else if (i + 1 < argc && !strcmp(argv[i], "--runs")) {
            *runs = (int)strtol(argv[++i], &end, 10);
        } else {
            return false;
        }
        if (end && (*end || (*n == 0 || *n > HSDS_MAX_SERVICES) || *runs < 1 || *runs > 100000)) {
            return false;
        }
    }
    return true;
}

/*
 * The frame both benchmarks share: arguments, a fresh (or --reuse'd) database at the default
 * path `db`, the generated map of --services services, then `run` timed --runs times. Also used
 * by bench/route, which compiles this file in. Returns the process exit code.
 */
static int bench_main(int argc, char **argv, const char *name, const char *db,
                      enum err (*run)(struct store_conn *c, int runs))
{
    uint64_t n = 100000;
    int runs = 50, applied = 0, version = 0;
    bool reuse = false;
    struct store *st = NULL;
    struct store_conn *c;
    enum err rc;

    if (!parse_args(argc, argv, &db, &n, &runs, &reuse)) {
        fprintf(stderr,
                "usage: %s [--db PATH] [--services N] [--runs N] [--reuse]\n"
                "  --db PATH       database file (default %s; replaced)\n"
                "  --services N    services to generate (default 100000)\n"
                "  --runs N        timed runs per measurement (default 50)\n"
                "  --reuse         keep an existing database and only time\n",
                name, db);
        return 2;
    }
    if (!reuse) {
        char wal[1100], shm[1100];
        snprintf(wal, sizeof(wal), "%s-wal", db);
        snprintf(shm, sizeof(shm), "%s-shm", db);
        remove(db);
        remove(wal);
        remove(shm);
    }
    if (sec_init() || store_open(db, 1, &st)) {
        fprintf(stderr, "%s: cannot open %s\n", name, db);
        return 1;
    }
    c = store_acquire(st);
    rc = store_migrate(c, &applied, &version);
    if (!rc && !reuse) {
        rc = load(c, n);
    }
    rc = rc ? rc : run(c, runs);
    store_release(st, c);
    store_close(st);
    if (rc) {
        fprintf(stderr, "%s: %s\n", name, err_name(rc));
    }
    return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
    return bench_main(argc, argv, "vk_bench_map", "/tmp/vk-bench-map.db", run_queries);
}
