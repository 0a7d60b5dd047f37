/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The social map (sociale kaart): storing, importing, exporting, editing, searching and showing
 * HSDS 3.0 services with the Veerkracht PSH extensions (docs/social-map.md). Holds no client
 * data, so reading needs no consent grant; writing needs the coordinator role of the service's
 * region and is audited (object type "map_service").
 *
 * Layering: depends on core, storage, audit, accounts (the principal) and hsds.h (the pure
 * format layer in this module). Never sees HTTP.
 */
#ifndef VK_DIRECTORY_H
#define VK_DIRECTORY_H

#include <jansson.h>

#include "accounts/accounts.h"
#include "audit/audit.h"
#include "core/buf.h"
#include "core/compat.h"
#include "core/err.h"
#include "core/verr.h"
#include "directory/hsds.h"
#include "storage/store.h"

/* ---- index (pure; index.c) --------------------------------------------------------------- */
#define DIR_FTS_COLS 5 /* name, description, access, org, extra: see 0004_directory.sql */

/* What the search needs from one service; derived from its checked, nested HSDS JSON. */
struct dir_index {
    char level[8];      /* "L0".."L3", "crisis" */
    int level_rank;     /* crisis 0, L0 1, L1 2, L2 3, L3 4 */
    int iasc_layer;     /* 1..4 */
    int min_age;        /* 0 when absent */
    int max_age;        /* -1: no upper limit */
    char capacity[12];  /* open | waitlist | closed */
    int waitlist_weeks; /* -1 unless waitlist */
    char capacity_updated[11];
    char assured_date[11];
    char assurer_email[255];
    char status[24];
    const char *name; /* borrowed from the service JSON */
    char **codes;     /* owned; see map_service_codes in 0004_directory.sql */
    size_t ncodes;
    char **location_ids; /* owned; HSDS ids of service_at_locations[].location */
    size_t nlocations;
    struct buf fts[DIR_FTS_COLS]; /* folded text, every language, one line per value */
};
/* Fills ix from a checked nested service. Release with dir_index_release() even on error. */
enum err dir_index_service(const json_t *service, struct dir_index *ix);
void dir_index_release(struct dir_index *ix);
/*
 * Folds text for indexing and querying: strips Arabic tashkeel (U+064B–U+0652) and tatweel
 * (U+0640), folds أ إ آ → ا, ى → ي, ة → ه, and Persian ي → ی, ك → ک. Latin diacritics are left to
 * FTS5's remove_diacritics. Appends to out.
 */
enum err dir_text_fold(const char *in, size_t len, struct buf *out);

/* ---- import and export (import.c, export.c) ---------------------------------------------- */
struct dir_import_stats {
    size_t services, created, updated, unchanged, orgs, locations;
};
typedef void (*dir_progress_fn)(size_t done, size_t total, void *ctx);
/*
 * Stores a package already checked by hsds_check_package(), inside the caller's write
 * transaction: upserts organizations, locations and services by HSDS id (a re-import updates,
 * never duplicates), rebuilds their index rows, writes a map_revisions row per created or
 * changed service, and one audit row for the import. `region` is the region whose coordinators
 * may edit the services ("" for none; NULL keeps a stored service's region, "" for a new one).
 * progress (may be NULL) is called every 1% or 500 services, whichever comes first.
 */
enum err dir_import(struct store_conn *c, const struct audit_ctx *actx, json_t *pkg,
                    const char *region, dir_progress_fn progress, void *pctx,
                    struct dir_import_stats *stats);
/*
 * Sets a service area of the region (map_areas): creates it, or changes only the fields given
 * (NULL keeps one). A new area without a name is named by its uri, without a kind gets the kind
 * the uri implies (":gemeente:" municipality, ":coa-locatie:" coa_location,
 * "urn:veerkracht:area:nl" national, else other). parent ("" clears it) must be a known area:
 * the municipality a COA location lies in. ERR_INVALID with *why (static) for a bad value.
 * Audited (action update, object map_area) in the caller's write transaction.
 */
enum err dir_area_set(struct store_conn *c, const struct audit_ctx *actx, const char *uri,
                      const char *name, const char *kind, const char *parent, const char **why);
/* The whole map as a checked, canonical package (*out, a new reference). */
enum err dir_export(struct store_conn *c, json_t **out);
/* One service as nested HSDS JSON (*out, new reference); ERR_NOT_FOUND when unknown. */
enum err dir_service_get(struct store_conn *c, const char *hsds_id, json_t **out);

/* ---- coordinator editing (edit.c); docs/API.md "Social map" has the edit model ------------ */
/* The flat edit model of a nested service (*out, new reference). */
json_t *dir_edit_model(const json_t *service);
/*
 * Creates (hsds_id NULL) or updates a service from an edit model, after checking that `who` is a
 * coordinator whose organisation's region is the service's region (ERR_FORBIDDEN otherwise;
 * `region` names the editor's region, NULL to look it up from who's organisation; a new service
 * gets it).
 * Field errors go to errs under edit-model pointers ("/name/nl", "/costs/coa/cost"). Writes the
 * revision and the audit row. *id_out (may be NULL) gets the service's HSDS id.
 */
enum err dir_service_save(struct store_conn *c, const struct audit_ctx *actx,
                          const struct principal *who, const char *region, const char *hsds_id,
                          const json_t *edit, struct verr *errs, char id_out[64]);
/*
 * What the coordinator's form needs (*out, new reference): {"model", "region", "revisions":
 * [{at, by_user, source, fields}]} (newest first, at most 50). ERR_FORBIDDEN unless `who` is a
 * coordinator of the service's region; ERR_NOT_FOUND for an unknown id.
 */
enum err dir_service_edit_view(struct store_conn *c, const struct principal *who,
                               const char *hsds_id, json_t **out);
/* The map's organisations as {"items": [{id, name}]} by name (*out, new reference). */
enum err dir_map_orgs(struct store_conn *c, json_t **out);

/* ---- search and views (search.c, view.c) ------------------------------------------------- */
#define DIR_PER_PAGE_MAX 50

struct dir_query {
    const char *q;      /* free text, NULL or "" for all */
    unsigned levels;    /* bit per level_rank; 0 = any */
    const char *phase;  /* "coa", "municipality", NULL */
    int age;            /* -1 = any */
    const char *target; /* target_group value, NULL = any */
    bool target_only;
    const char *lang; /* spoken language code */
    bool interpreter;
    const char *interpreter_mode;
    bool free; /* needs phase */
    bool no_referral;
    bool open;
    const char *municipality; /* area URI */
    bool near_set;
    double lat, lon, within_km; /* within_km 0 = no limit */
    int page;                   /* 1-based */
    int per_page;
    const char *view_lang; /* language to resolve texts in; falls back to nl */
    bool facets;           /* count facets (default true; facets=0 skips them) */
};
/* Parses the query string parameters (docs/API.md); field errors under "/<param>". */
enum err dir_query_parse(struct dir_query *q, const char *(*get)(void *ctx, const char *name),
                         void *ctx, struct verr *errs);
/* Runs a search; *out gets {items, total, page, per_page, facets, crisis} (new reference). */
enum err dir_search(struct store_conn *c, const struct dir_query *q, json_t **out);
/* The resolved view of one service in lang (texts fall back to Dutch field by field). */
enum err dir_service_view(struct store_conn *c, const char *hsds_id, const char *lang,
                          json_t **out);
/*
 * The language the map resolves texts in for a BCP 47 tag ("ar-SY" → "ar"): nl or a language of
 * the taxonomy's translation terms. A static string; NULL when the map has no texts in it.
 */
const char *dir_lang_for(const char *tag, size_t len);
/* Every map_areas row as [{uri, name, kind, parent}] (*out, new reference). */
enum err dir_areas(struct store_conn *c, json_t **out);
/*
 * The chain overview of a municipality or COA location, in Dutch: per care level (crisis, L0..L3)
 * the services serving it with organisation, phases, chain roles, responsible contact and
 * capacity (*out, new reference; docs/API.md). ERR_NOT_FOUND when the area is not in map_areas.
 */
enum err dir_chain(struct store_conn *c, const char *area_uri, json_t **out);

#endif
