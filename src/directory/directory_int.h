/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Declarations shared by the writing files of the directory module (import.c, export.c,
 * edit.c): storing one nested service with its organization, locations and index, putting the
 * stored documents back together, and small helpers (ids, dates). Nothing outside
 * src/directory/ includes this header.
 */
#ifndef VK_DIRECTORY_INT_H
#define VK_DIRECTORY_INT_H

#include "directory/directory.h"

#define DIR_UUID_LEN 36

/* A random UUID version 4, lower-case, into out. */
void dir__uuid_v4(char out[DIR_UUID_LEN + 1]);
/* Today's date in the Netherlands as YYYY-MM-DD (the region's calendar day, not UTC's). */
void dir__today(char out[11]);

/* What dir__put_service() did. */
struct dir__put {
    int64_t id;          /* map_services row id */
    bool created;        /* no service with this id was stored */
    bool doc_changed;    /* the service document differs (always true when created) */
    bool outer_changed;  /* its organization or a location document changed */
    bool region_changed; /* it moved to another region */
    char *prev_doc;      /* owned: the stored document before, NULL when created */
    json_t *fields;      /* owned: the changed top-level members (array of names) */
};
void dir__put_release(struct dir__put *p);

/*
 * Stores one checked, nested service inside the caller's write transaction: upserts its
 * organization and locations, strips them from the service document (keeping the ids),
 * rebuilds the index, adds the service areas to map_areas (existing rows kept) and keeps
 * foreign taxonomy terms. Writes nothing for the service when neither it nor its organization,
 * locations or region changed. `seen` (may be NULL) is an object the caller owns that remembers
 * the organizations ("o") and locations ("l") already stored in this run, by HSDS id.
 * The service JSON is modified only temporarily. Release *out even on error.
 */
enum err dir__put_service(struct store_conn *c, json_t *service, const char *region, const char *by,
                          int64_t now, json_t *seen, struct dir__put *out);

/*
 * A stored service with its organization and locations put back (*out, new reference).
 * org_cache (may be NULL) is an object the caller owns that keeps parsed organizations by
 * document text, for exports.
 */
enum err dir__assemble(struct store_conn *c, const struct store_map_stored *s, json_t *org_cache,
                       json_t **out);
/* dir__assemble() for an HSDS id; region (may be NULL) gets the service's region. */
enum err dir__service_load(struct store_conn *c, const char *hsds_id, json_t **out,
                           char region[STORE_MAP_REGION_MAX + 1]);

/* ---- the coordinator's edit model (edit_model.c) ------------------------------------------ */
struct dir__edit {
    struct store_conn *c;
    bool create;
    json_t *old_model; /* the stored service's model; an empty object on create */
    const char *email; /* the coordinator's, for mark_checked */
    const char *today; /* YYYY-MM-DD */
};
/* Helpers edit_model.c shares with edit_apply.c and edit.c. */
#define DIR_TEXT_FIELDS 8
#define DIR_LIST_DIMS   5
/* The translatable text fields of a service, in model order. */
extern const char *const dir__text_fields[DIR_TEXT_FIELDS];
/* Model lists of attribute values: member ("phases"), dimension ("phase"), at least one. */
struct dir__list_dim {
    const char *member, *dim;
    bool required;
};
extern const struct dir__list_dim dir__list_dims[DIR_LIST_DIMS];
/* The code of our term on an attribute; NULL for a term of another taxonomy. Static string. */
const char *dir__attr_code(const json_t *attr);
/* The part of code after "prefix." ("phase.coa", "phase" -> "coa"), else NULL. Borrowed. */
const char *dir__after(const char *code, const char *prefix);
/* An attribute's value, NULL when it has none. Borrowed. */
const char *dir__attr_value(const json_t *attr);
/* Sorts an array of strings in place and returns it (the same reference). */
json_t *dir__sorted(json_t *arr);
/* The single value of dim on attrs ("care_level" -> "L1"), or NULL; *attr (may be NULL) gets
 * the attribute. Borrowed. */
const char *dir__dim_value(const json_t *attrs, const char *dim, const json_t **attr);
/* True when "dim.value" is a term of ours and value one segment. */
bool dir__is_term(const char *dim, const char *value);
/* True for NULL or JSON null. */
bool dir__absent(const json_t *v);
/* True when some text field of model m has a non-empty translation in lang. */
bool dir__has_translation(json_t *m, const char *lang);
/* Checks a list of distinct values of dim (any strings when dim is NULL) at pointer ptr. */
void dir__check_list(json_t *v, const char *dim, bool required, const char *ptr, struct verr *errs);

/* Checks every member of an edit model; errors under model pointers ("/costs/coa/cost"). */
void dir__model_check(json_t *m, const json_t *old_model, struct verr *errs);
/*
 * Applies a checked model to svc (the nested service to change, or a new one with only its "id"
 * on create), regenerating our attributes (keeping the ids of unchanged ones), the age bands, a
 * cost option per phase, the languages and the contacts. On create it also sets the
 * organization, service areas and locations from the store. ERR_INVALID with errs filled.
 */
enum err dir__model_apply(const struct dir__edit *x, json_t *m, json_t *svc, struct verr *errs);

/* Parses stored canonical text into *out (new reference); ERR_CORRUPT when it is not JSON. */
enum err dir__parse(const char *text, size_t len, json_t **out);

/* ---- reading the map (search.c, view.c, chain.c) ------------------------------------------ */
/* A set of map_services row ids, one bit each. */
struct dir__ids {
    uint64_t *w; /* owned */
    size_t nw;
};
/* An empty set for row ids 0..max_id. */
void dir__ids_init(struct dir__ids *s, int64_t max_id);
void dir__ids_release(struct dir__ids *s);
bool dir__ids_has(const struct dir__ids *s, int64_t id);
void dir__ids_add(struct dir__ids *s, int64_t id); /* ids outside the set are ignored */
void dir__ids_and(struct dir__ids *s, const struct dir__ids *t); /* same size */
void dir__ids_or(struct dir__ids *s, const struct dir__ids *t);  /* t may be NULL (empty) */
/* dst gets an owned copy of src. */
void dir__ids_copy(struct dir__ids *dst, const struct dir__ids *src);
size_t dir__ids_count(const struct dir__ids *s);
/* The smallest member >= from, or -1. */
int64_t dir__ids_next(const struct dir__ids *s, int64_t from);

#define DIR_Q_MAX 200 /* bytes of free text in a search */
/* The FTS5 expression for a free-text query: folded, each term quoted, all required, a
 * trailing * kept as a prefix. Appends nothing when no term holds a letter or digit. */
enum err dir__fts_expression(const char *q, struct buf *m);

/* The map_areas rows, loaded once per request (dir__areas_load is a no-op the second time). */
struct dir__areas {
    struct store_map_area *a; /* owned */
    size_t n;
    bool loaded;
};
enum err dir__areas_load(struct store_conn *c, struct dir__areas *as);
void dir__areas_release(struct dir__areas *as);
/* Borrowed from as; NULL when the uri is not a known area. */
const struct store_map_area *dir__area_find(const struct dir__areas *as, const char *uri);
/*
 * The shared in-memory search index (cache.c): per filter code the services carrying it, and
 * per service its level, ages and located sites. Read-only once built; take a reference with
 * dir__cache_get() (inside the request's read transaction) and drop it with dir__cache_put().
 */
struct dir__codeset {
    char *code; /* "lang.ar", "area.urn:…", … */
    struct dir__ids ids;
};
struct dir__point {
    int64_t id; /* map_services row id */
    double lat, lon;
};
struct dir__cache {
    int64_t generation; /* store_map_generation() when built */
    int refs;
    int64_t max_id;
    struct dir__ids all;        /* every service */
    unsigned char *level;       /* level_rank per row id */
    int16_t *min_age, *max_age; /* per row id; 32767: no upper limit */
    struct dir__codeset *codes; /* sorted by code */
    size_t ncodes;
    struct dir__point *points; /* located sites, sorted by latitude */
    size_t npoints;
};
enum err dir__cache_get(struct store_conn *c, struct dir__cache **out);
void dir__cache_put(struct dir__cache *k); /* NULL is a no-op */
/* The services with exactly this code; NULL when none. Borrowed from k. */
const struct dir__ids *dir__cache_code(const struct dir__cache *k, const char *code);
/* *out (new) = the services with any code starting with prefix. */
void dir__cache_prefix(const struct dir__cache *k, const char *prefix, struct dir__ids *out);
/*
 * Adds to *out (initialised for k->max_id when empty) the services serving an area: a service
 * area equal to uri, a COA location whose parent is uri, or a national area. With coa_parent,
 * a COA location's uri also brings its municipality's services that serve the COA phase.
 */
enum err dir__area_services(struct store_conn *c, const struct dir__cache *k, struct dir__areas *as,
                            const char *uri, bool coa_parent, struct dir__ids *out);

/* The parsed documents of a stored service (row id): *service and *org new references. */
enum err dir__docs_by_id(struct store_conn *c, int64_t id, json_t **service, json_t **org);
/* One row of the chain overview (Dutch) for a service and its organization. Owned. */
json_t *dir__chain_entry(const json_t *service, const json_t *org);
/* The card (docs/API.md) of a stored service in lang (NULL: nl); km < 0: no distance. */
enum err dir__card(struct store_conn *c, int64_t id, const char *lang, double km, int64_t now,
                   json_t **out);

#endif
