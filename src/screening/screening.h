/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Signalling instruments as data (docs/instruments.md): a validating loader that turns a JSON
 * definition into a checked struct, and a scoring engine that is pure and integer-only. The
 * instrument keeps its JSON document for texts and exports; all scoring uses the parsed struct.
 */
#ifndef VK_SCREENING_H
#define VK_SCREENING_H

#include <jansson.h>

#include "core/compat.h"
#include "core/err.h"
#include "core/sec.h"
#include "core/verr.h"

#define SCREEN_MAX_ITEMS    64
#define SCREEN_MAX_OPTIONS  12
#define SCREEN_MAX_SETS     8
#define SCREEN_MAX_SECTIONS 8
#define SCREEN_MAX_SCALES   16
#define SCREEN_MAX_BANDS    32
#define SCREEN_MAX_RULES    8
#define SCREEN_MAX_FLAGS    8
#define SCREEN_MAX_CONDS    8
#define SCREEN_ID_MAX       40

enum screen_op { SOP_EQ, SOP_NE, SOP_GE, SOP_GT, SOP_LE, SOP_LT };
enum screen_ref { SREF_ITEM, SREF_SCALE, SREF_RULE };
enum screen_set_type { SSET_YES_NO, SSET_LIKERT, SSET_SCALE, SSET_CHOICE };
enum screen_method { SM_SUM, SM_WEIGHTED_SUM, SM_MEAN_X100, SM_COUNT_GE, SM_MAX };
enum screen_section_kind { SSEC_SYMPTOMS, SSEC_STRENGTHS, SSEC_STRESSORS, SSEC_SAFETY, SSEC_OTHER };

struct screen_cond {
    enum screen_ref kind;
    int idx;
    enum screen_op op;
    int64_t value;
};

struct screen_option {
    int64_t value;
    int64_t score;
};

struct screen_set {
    char id[SCREEN_ID_MAX + 1];
    enum screen_set_type type;
    int64_t min, max; /* of the values */
    int n;
    struct screen_option opt[SCREEN_MAX_OPTIONS];
};

struct screen_section {
    char id[SCREEN_ID_MAX + 1];
    enum screen_section_kind kind;
};

struct screen_item {
    char id[SCREEN_ID_MAX + 1];
    int section;
    int set;
    bool required;
    bool reverse;
    bool has_show_if;
    struct screen_cond show_if;
};

struct screen_scale {
    char id[SCREEN_ID_MAX + 1];
    enum screen_method method;
    int n;
    int items[SCREEN_MAX_ITEMS];
    int64_t weights[SCREEN_MAX_ITEMS];
    int64_t threshold;
    int64_t multiply;
    int min_answered;
    int64_t lo, hi; /* the range the scale can take, computed at load */
};

struct screen_band {
    int scale;
    int64_t min, max;
    char id[SCREEN_ID_MAX + 1];
    char level[8];
    char advice[SCREEN_ID_MAX + 1];
};

struct screen_rule {
    char id[SCREEN_ID_MAX + 1];
    char level[8];                  /* "" or the care level when the rule holds */
    char advice[SCREEN_ID_MAX + 1]; /* "" or an advice key, used when no band gives one */
    bool any;
    int n;
    struct screen_cond c[SCREEN_MAX_CONDS];
};

struct screen_flag {
    char id[SCREEN_ID_MAX + 1];
    struct screen_cond when;
    char severity[16];
    char protocol[16];
};

struct screen_instrument {
    char id[SCREEN_ID_MAX + 1];
    char version[17];
    char respondent[16];
    bool validated;
    bool text_pack_required;
    int64_t age_min, age_max;
    int n_sets, n_sections, n_items, n_scales, n_bands, n_rules, n_flags;
    struct screen_set sets[SCREEN_MAX_SETS];
    struct screen_section sections[SCREEN_MAX_SECTIONS];
    struct screen_item items[SCREEN_MAX_ITEMS];
    struct screen_scale scales[SCREEN_MAX_SCALES];
    struct screen_band bands[SCREEN_MAX_BANDS];
    struct screen_rule rules[SCREEN_MAX_RULES];
    struct screen_flag flags[SCREEN_MAX_FLAGS];
    json_t *doc; /* owned: the definition, for texts and exports */
    unsigned char hash[SEC_HASH_BYTES];
};

/*
 * Validates a definition and fills *out (which takes a reference to doc). Every problem is
 * added to v with a JSON pointer; ERR_INVALID when there is any.
 */
enum err screen_parse(json_t *doc, struct screen_instrument *out, struct verr *v);
/* Reads, parses and validates a file; *out is owned (screen_free). msg names the file on error. */
enum err screen_load_file(const char *path, struct screen_instrument **out, struct verr *v,
                          char *msg, size_t msglen);
/* Loads from bytes (e.g. a stored definition). */
enum err screen_load_bytes(const char *data, size_t len, struct screen_instrument **out,
                           struct verr *v);
void screen_free(struct screen_instrument *inst);

int screen_item_index(const struct screen_instrument *inst, const char *id);

/* Answers by item index; given[i] false when not answered. */
struct screen_answers {
    bool given[SCREEN_MAX_ITEMS];
    int64_t value[SCREEN_MAX_ITEMS];
};

/* True when item i is asked under the answers so far (its show_if holds or it has none). */
bool screen_item_shown(const struct screen_instrument *inst, const struct screen_answers *a, int i);
/* Checks one answer value against the item's response set. */
bool screen_value_ok(const struct screen_instrument *inst, int item, int64_t value);
/*
 * Checks a whole set of answers: unknown values, hidden items answered, required shown items
 * missing. Pointers are "/answers/ITEM_ID".
 */
void screen_answers_check(const struct screen_instrument *inst, const struct screen_answers *a,
                          struct verr *v);

struct screen_result {
    int64_t scale[SCREEN_MAX_SCALES];
    bool complete[SCREEN_MAX_SCALES];
    int band[SCREEN_MAX_SCALES]; /* index into bands, -1 for none */
    bool rule[SCREEN_MAX_RULES];
    int n_flags;
    int flags[SCREEN_MAX_FLAGS]; /* indexes of the red flags raised */
    int primary_band;            /* -1 when none */
    char level[8];               /* "crisis" when a red flag was raised */
    int level_rule;              /* a rule that raised the level above the band's, or -1 */
    uint64_t strengths;          /* bit per item index */
    uint64_t stressors;
};

/* Scores answers that passed screen_answers_check(). Pure. */
void screen_score(const struct screen_instrument *inst, const struct screen_answers *a,
                  struct screen_result *res);
/* Does red flag f fire on this single answer? (evaluated the moment the item is answered) */
bool screen_flag_fires(const struct screen_instrument *inst, int f, int item, int64_t value);

/* ---- item-text packs (textpack.c) ------------------------------------------------------ */
/* Checks a pack's own fields (format, instrument, version, language, review_status, texts). */
enum err screen_text_pack_check(json_t *pack, struct verr *v);
/*
 * Merges a pack into a copy of a definition document (*merged owned). The result still has to
 * pass screen_parse(), which names any text the pack left out.
 */
enum err screen_text_pack_apply(json_t *doc, json_t *pack, json_t **merged, struct verr *v);

/* ---- the registry of offered instruments (registry.c) ---------------------------------- */
#define SCREEN_REGISTRY_MAX 64
struct screen_registry;
struct store_conn;
/* Compiled-in definitions plus those imported into the database (c may be NULL). Owned. */
enum err screen_registry_load(struct store_conn *c, struct screen_registry **out);
void screen_registry_free(struct screen_registry *r);
/* version NULL: the highest version. Borrowed, valid as long as the registry. */
const struct screen_instrument *screen_registry_find(const struct screen_registry *r,
                                                     const char *id, const char *version);
int screen_registry_count(const struct screen_registry *r);
const struct screen_instrument *screen_registry_at(const struct screen_registry *r, int i);

/* ---- screenings and red flags on a client (service.c) ----------------------------------
 * Every function checks the caller's access to the client (scope signal) through the dossier
 * module and writes its audit rows in the caller's write transaction. JSON out is owned.
 * Answers, results and notes are sealed with the client's data key, opened with actx->keys
 * (dossier.h); a value that does not open is ERR_CORRUPT, noted as decrypt_failed. */
struct principal;
struct audit_ctx;

struct screen_submission {
    const char *instrument;
    const char *version;
    const char *language;
    const char *mode; /* client | interviewer */
    json_t *answers;  /* borrowed: object item id -> integer */
};
/* Validates (422 pointers in v), scores and stores a screening and its red flags, whole. */
enum err screen_submit(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                       const struct screen_registry *reg, const char *pid,
                       const struct screen_submission *in, struct verr *v, json_t **out);
enum err screen_list(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                     const char *pid, json_t **out);
enum err screen_get(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                    const char *pid, const char *sid, json_t **out);

/*
 * flag: NULL for a flag raised by hand ("manual"), or the instrument's red-flag id when the UI
 * raises it the moment the answer is given; the screening submitted after it then takes this
 * flag over instead of raising a second one.
 */
enum err screen_flag_raise(struct store_conn *c, struct audit_ctx *actx,
                           const struct principal *who, const char *pid, const char *protocol,
                           const char *flag, const char *note, struct verr *v, json_t **out);
enum err screen_flag_action(struct store_conn *c, struct audit_ctx *actx,
                            const struct principal *who, const char *fid, const char *action,
                            const char *note, struct verr *v, json_t **out);
/* Professional roles only (ERR_FORBIDDEN otherwise); ERR_CONFLICT when already closed. */
enum err screen_flag_close(struct store_conn *c, struct audit_ctx *actx,
                           const struct principal *who, const char *fid, const char *reason,
                           struct verr *v, json_t **out);
enum err screen_flag_list(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                          const char *pid, json_t **out);
/* Open red flags for the coordinator (region) and professional roles (grants): facts only, no
 * notes (so no data key is opened). */
enum err screen_worklist(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                         json_t **out);

/* A transfer_score_fn (dossier.h) for transfer_import(): scores an imported screening's answers
 * with the definition in the registry ctx (the same checks as screen_submit(); red_flags empty,
 * no flag is raised). False when the instrument is not there or the answers do not fit it. */
struct transfer_score;
bool screen_transfer_score(const char *iid, const char *version, json_t *answers,
                           const char *language, struct transfer_score *out, const void *ctx);

/* ---- views for the UI (view.c) --------------------------------------------------------- */
/* Callback telling whether read-aloud audio exists (or can be made) for a text key. */
typedef bool (*screen_audio_fn)(void *ctx, const char *key);
/* Summary for the instrument list, texts in lang (else nl). Returns owned. */
json_t *screen_view_summary(const struct screen_instrument *in, const char *lang);
/* The definition localised for a conversation (docs/API.md). Returns owned. */
json_t *screen_view_localised(const struct screen_instrument *in, const char *lang,
                              screen_audio_fn has_audio, void *ctx);
/* The text behind an audio key ("item.sleep", "option.yesno.1", "intro"…) in lang, else NULL. */
const char *screen_text_for_key(const struct screen_instrument *in, const char *lang,
                                const char *key);
/* Text of a localisable value in lang, falling back to nl; "" when absent. Borrowed. */
const char *screen_text(json_t *text, const char *lang);
bool screen_offers_language(const struct screen_instrument *in, const char *lang);

#endif
