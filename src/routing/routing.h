/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The route map (docs/routing.md): stepped-care advice from a client's latest screening and
 * situation. Three layers:
 *   rules.c   parses and validates a rule file ("veerkracht-routing/1") into a checked struct,
 *             naming every problem by JSON pointer; nothing is half-loaded.
 *   engine.c  the pure, integer-only decision: input situation -> care levels in order, with the
 *             rules that chose them, urgency and the practical offers for stressors. It re-checks
 *             the invariants (red flag -> crisis first; never L2/L3 without L1 before it).
 *   advice.c  reads the client behind the consent check (scope signal), matches services on the
 *             social map per level and ranks them by fit, stores the advice and audits it.
 * Layering: core, storage, audit, accounts, dossier, screening, directory. Never sees HTTP.
 */
#ifndef VK_ROUTING_H
#define VK_ROUTING_H

#include <jansson.h>

#include "core/compat.h"
#include "core/err.h"
#include "core/sec.h"
#include "core/verr.h"

#define ROUTE_FORMAT         "veerkracht-routing/1"
#define ROUTE_ID_MAX         40
#define ROUTE_MAX_RULES      48
#define ROUTE_MAX_LIST       16 /* values in one condition list, stressors in an input */
#define ROUTE_MAX_OFFERS     32
#define ROUTE_FILE_MAX       (256u * 1024u)
#define ROUTE_MATCHES_MAX    5 /* matching services per level */
#define ROUTE_TEXT_MAX       1000
#define ROUTE_SERVICE_ID_MAX 63 /* bytes of an HSDS service id (STORE_MAP_ID_MAX) */

/* Care levels; the value is the social map's level_rank (crisis 0, L0 1, ..., L3 4). */
enum route_level { RL_CRISIS, RL_L0, RL_L1, RL_L2, RL_L3, RL_COUNT };
/* Most urgent first. */
enum route_urgency { RU_NOW, RU_TODAY, RU_THIS_WEEK, RU_SOON, RU_WHEN_READY, RU_COUNT };
enum route_band { RB_NONE, RB_LOW, RB_MEDIUM, RB_HIGH, RB_COUNT };
enum route_age { RA_CHILD, RA_YOUTH, RA_ADULT, RA_COUNT };
enum route_phase { RP_COA, RP_MUNICIPALITY, RP_COUNT };
enum route_wish {
    RW_GROUP = 1u << 0,
    RW_INDIVIDUAL = 1u << 1,
    RW_OWN_LANGUAGE = 1u << 2,
    RW_WOMEN_ONLY = 1u << 3,
    RW_NEAR_HOME = 1u << 4,
};
#define RW_COUNT 5

/* Names ("L1", "this_week", "medium", "youth", "coa", "women_only"); NULL when out of range. */
const char *route_level_name(int l);
const char *route_urgency_name(int u);
const char *route_band_name(int b);
const char *route_age_name(int a);
const char *route_phase_name(int p);
const char *route_wish_name(uint32_t bit);
/* -1 when unknown. */
int route_level_parse(const char *s);
int route_band_parse(const char *s);
int route_phase_parse(const char *s);
/* 0 when unknown. */
uint32_t route_wish_parse(const char *s);
/* Age group in a year: child 4-12, youth 13-17, adult 18+; -1 under 4 or unknown. */
int route_age_group(int64_t year_of_birth, int64_t year_now);

/* A tri-state condition: absent, must be true, must be false. */
enum route_tri { RT_ANY, RT_TRUE, RT_FALSE };

struct route_when {
    enum route_tri red_flag, function_impaired, persistent;
    unsigned bands;    /* bit per enum route_band; 0 = any */
    unsigned ages;     /* bit per enum route_age */
    unsigned phases;   /* bit per enum route_phase */
    uint32_t risks;    /* dossier risk bits: any of them; 0 = any */
    uint32_t wishes;   /* any of them; 0 = any */
    int stressors_min; /* 0 = any */
    int n_stressor;    /* any of these stressor ids; 0 = any */
    char stressor[ROUTE_MAX_LIST][ROUTE_ID_MAX + 1];
};

struct route_rule {
    char id[ROUTE_ID_MAX + 1];
    struct route_when when;
    int n_levels;
    enum route_level levels[RL_COUNT];
    enum route_urgency urgency;
    bool stop;
    int index; /* position in the document's "rules" (texts are read from there) */
};

struct route_offer {
    char stressor[ROUTE_ID_MAX + 1];
    char q[121];
    unsigned levels; /* bit per enum route_level; 0 = any */
};

struct route_rules {
    char id[ROUTE_ID_MAX + 1];
    char version[17];
    int targets_days[RL_COUNT]; /* per level; -1 when not given */
    int n_rules;
    struct route_rule rules[ROUTE_MAX_RULES];
    int n_offers;
    struct route_offer offers[ROUTE_MAX_OFFERS];
    json_t *doc; /* owned: texts (reason, steps, title) are read from it */
    unsigned char hash[SEC_HASH_BYTES];
};

/*
 * Validates a rule file and fills *out (which takes a reference to doc). Every problem is added
 * to v under its JSON pointer ("/rules/3/when/band"); ERR_INVALID when there is any. Checks the
 * invariants too: the first rule is {"red_flag": true} -> crisis first, urgency now; no rule
 * lists L2 or L3 unless L1 comes before it in the same list. known_stressors (NULL-terminated,
 * may be NULL to skip) are the stressor item ids of the instruments offered.
 */
enum err route_parse(json_t *doc, struct route_rules *out, const char *const *known_stressors,
                     struct verr *v);
/* From bytes (at most ROUTE_FILE_MAX). *out owned (route_rules_free). */
enum err route_load_bytes(const char *data, size_t len, const char *const *known_stressors,
                          struct route_rules **out, struct verr *v);
/* From a file; msg gets "PATH: why" for a file that cannot be read or is not JSON. */
enum err route_load_file(const char *path, const char *const *known_stressors,
                         struct route_rules **out, struct verr *v, char *msg, size_t msglen);
/*
 * The stressor item ids of the instruments in reg, deduplicated, as a NULL-terminated list for
 * route_parse() (*out owned: free(); the strings are borrowed from the registry).
 */
struct screen_registry;
enum err route_stressor_ids(const struct screen_registry *reg, const char ***out);
/* The rules compiled in (data/routing/default.json). */
enum err route_load_default(struct route_rules **out, struct verr *v);
void route_rules_free(struct route_rules *r);

/*
 * The active rules of this process: set once at start-up (the `routing_rules` setting, else the
 * default). route_active() loads the default on first use when none was set. Borrowed; lives
 * until exit.
 */
enum err route_set_active(struct route_rules *r); /* takes ownership; ERR_CONFLICT when set */
const struct route_rules *route_active(void);

/* Localised text of a rule member ("reason") or of step i, lang falling back to nl. Borrowed. */
const char *route_rule_text(const struct route_rules *r, int rule, const char *member,
                            const char *lang);
const char *route_rule_step(const struct route_rules *r, int rule, int step, const char *lang);
int route_rule_steps(const struct route_rules *r, int rule);

/* ---- the engine (engine.c), pure ------------------------------------------------------ */
struct route_input {
    enum route_band band;
    bool red_flag;
    int age_group; /* enum route_age, -1 unknown */
    int phase;     /* enum route_phase, -1 unknown */
    uint32_t risks;
    uint32_t wishes;
    bool function_impaired, persistent;
    int n_stressors;
    char stressors[ROUTE_MAX_LIST][ROUTE_ID_MAX + 1];
    int n_strengths;
    char strengths[ROUTE_MAX_LIST][ROUTE_ID_MAX + 1];
    /* services this client was already referred to without result (declined, closed
     * unsuccessful, or the client could not go): matched last, with fit code "tried" */
    int n_tried;
    char tried[ROUTE_MAX_LIST][ROUTE_SERVICE_ID_MAX + 1];
};

struct route_level_out {
    enum route_level level;
    enum route_urgency urgency;
    int n_rules;
    int rules[ROUTE_MAX_RULES]; /* rule indexes that chose this level, in rule order */
};

/* What the engine corrected in a rule set that broke an invariant (should not happen). */
#define ROUTE_FIX_CRISIS 1u /* crisis was put first for a red flag */
#define ROUTE_FIX_GP     2u /* L1 was put before L2/L3 */

struct route_result {
    int n_levels;
    struct route_level_out levels[RL_COUNT]; /* in recommended order */
    enum route_urgency urgency;              /* the most urgent of all levels */
    int n_fired;
    int fired[ROUTE_MAX_RULES];
    int n_offers;
    int offers[ROUTE_MAX_OFFERS]; /* indexes into rules->offers, in input stressor order */
    bool with_parent;             /* child or youth: the parent is part of every step */
    unsigned fixes;
};

void route_decide(const struct route_rules *r, const struct route_input *in,
                  struct route_result *out);
/* Does one rule's condition hold? */
bool route_when_holds(const struct route_when *w, const struct route_input *in);

/* The result as codes and ids only (what is stored): {urgency, with_parent, fixes, levels:
 * [{level, urgency, target_days, rules: [ids]}], stressor_offers: [{stressor, q, levels}]}.
 * Owned. */
json_t *route_result_json(const struct route_rules *r, const struct route_result *res);
/*
 * Adds the texts to such a result in place: per level "reasons" and "steps", per offer
 * "reason", each {nl, en, lang} as far as the rule file has them. false when a rule id is not
 * in r (advice made with another rule file): those texts are left out.
 */
bool route_texts_add(const struct route_rules *r, json_t *advice, const char *lang);
/* The input as JSON (codes and ids only). Owned. */
json_t *route_input_json(const struct route_input *in);

/* ---- advice on a client (advice.c) ---------------------------------------------------- */
struct store_conn;
struct audit_ctx;
struct principal;
struct screen_registry;

struct route_request {
    uint32_t wishes;
    int function_impaired; /* -1 not given */
    int persistent;
    bool near_set;
    double lat, lon;
    const char *area; /* map area URI to search in (falls back to anywhere); NULL: anywhere */
};

/*
 * The advice without a client record or storage: decides, then matches every level (top
 * ROUTE_MATCHES_MAX by fit) and every stressor offer on the map. lang: the client's language
 * code; age in years or -1. *out owned (codes, ids, names and fit reasons; no rule texts).
 */
enum err route_compute(struct store_conn *c, const struct route_rules *rules,
                       const struct route_input *in, const struct route_request *req,
                       const char *lang, int age, json_t **out);
/*
 * Computes the advice for client pid from their latest screening and open red flags (scope
 * signal, through dossier_client_open: refused is ERR_NOT_FOUND, noted in actx), matches
 * services on the map, stores it with the rules id and version and audits it. *out owned.
 * The services tried without result are not stored: they come from the referrals the caller's
 * organisation is party to and are added when the advice is answered (input.tried, fit code
 * "tried", ranked last), here and in route_latest(), so another organisation never learns them.
 */
enum err route_advise(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                      const struct screen_registry *reg, const struct route_rules *rules,
                      const char *pid, const struct route_request *req, json_t **out);
/* The client's latest stored advice; ERR_NOT_FOUND when none. */
enum err route_latest(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                      const char *pid, json_t **out);

/* Fit of one map search item for a client (pure, for tests and the bench): higher is better,
 * the reasons appended as codes to `codes` (may be NULL): "lang:ar", "interpreter", "free:coa",
 * "cost:eigen_risico", "entry:no_referral", "capacity:open", "waitlist:6", "closed",
 * "distance:3", "wish:women_only". wish_hits: the wishes this item is known to meet. A closed
 * service scores below every open one. */
int route_fit(const json_t *item, const struct route_input *in, const char *language,
              enum route_level level, uint32_t wish_hits, json_t *codes);
/* Whether service_id is one of in->tried. Pure. */
bool route_tried(const struct route_input *in, const char *service_id);
/* Whether a referral counts as tried without result: declined, closed unsuccessful, waiting for a
 * new offer, or the client said they could not go (also after a follow-up cleared
 * needs_new_offer; not once the referral is completed). Pure. */
bool route_referral_failed(const char *state, bool needs_new_offer, const char *client_answer);
/* A scored candidate for ranking. */
struct route_cand {
    const char *id, *name; /* borrowed */
    int fit;
    bool tried; /* route_tried(): ranked after every service not tried yet */
};
/* qsort order of struct route_cand (or of a struct that starts with one): services not tried
 * first, then the higher fit, then name, then id. Pure. */
int route_cand_cmp(const void *a, const void *b);
/* Dutch text of a fit code ("lang:ar" -> "spreekt Arabisch"); into out. */
void route_fit_text(const char *code, char *out, size_t size);

#endif
