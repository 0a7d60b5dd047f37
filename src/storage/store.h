/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The storage interface. Everything above this layer sees rows as plain C structs and
 * connections as opaque handles; only files in src/storage/ include sqlite3.h, so that a
 * PostgreSQL backend can later implement this same header.
 *
 * Concurrency: a struct store is a fixed pool of connections, one per server thread. A
 * connection is used by one thread at a time (store_acquire/store_release). Writes happen inside
 * store_begin(conn, true) ... store_commit(), which takes SQLite's write lock up front.
 *
 * Strings in rows are fixed-size arrays copied out of the database: a row owns its data and
 * stays valid after the statement has moved on.
 */
#ifndef VK_STORE_H
#define VK_STORE_H

#include "core/compat.h"
#include "core/err.h"
#include "core/sec.h"

#define STORE_UID_LEN       32 /* 128-bit random ids as hex */
#define STORE_EMAIL_MAX     254
#define STORE_OBJECT_ID_MAX 64 /* audit object ids: our 32-hex uids, HSDS ids (≤ 63 bytes) */

struct store;
struct store_conn;

/* Opens (creating if needed) the database with `nconns` connections; applies pragmas. */
enum err store_open(const char *path, int nconns, struct store **out);
/* Closes every connection (checkpointing the WAL) and frees the pool. NULL is a no-op. */
void store_close(struct store *st);
/* Blocks until a connection is free. Borrowed until store_release(). */
struct store_conn *store_acquire(struct store *st);
void store_release(struct store *st, struct store_conn *conn);

/* write=true takes the write lock now (BEGIN IMMEDIATE); ERR_BUSY after the busy timeout. */
enum err store_begin(struct store_conn *conn, bool write);
enum err store_commit(struct store_conn *conn);
void store_rollback(struct store_conn *conn);

/* Applies pending migrations, each in its own transaction. *applied gets how many ran. */
enum err store_migrate(struct store_conn *conn, int *applied, int *version);
/* Runs PRAGMA integrity_check; ERR_CORRUPT unless it says ok. */
enum err store_integrity_check(struct store_conn *conn);
/* Deletes every row of every table (demo reset), in one transaction the caller holds. */
enum err store_wipe(struct store_conn *conn);

/* ---- organisations ---------------------------------------------------------------------- */
struct org_row {
    int64_t id;
    char uid[STORE_UID_LEN + 1];
    char name[201];
    char kind[41];
    char region[121];
};
enum err store_org_insert(struct store_conn *c, struct org_row *row); /* sets id */
enum err store_org_by_name(struct store_conn *c, const char *name, struct org_row *out);
enum err store_org_by_uid(struct store_conn *c, const char *uid, struct org_row *out);
enum err store_org_by_id(struct store_conn *c, int64_t id, struct org_row *out);
typedef enum err (*store_org_fn)(const struct org_row *row, void *ctx);
enum err store_org_each(struct store_conn *c, store_org_fn fn, void *ctx);

/* ---- users ------------------------------------------------------------------------------ */
struct user_row {
    int64_t id;
    char uid[STORE_UID_LEN + 1];
    int64_t org_id;
    char role[24];
    char email[STORE_EMAIL_MAX + 1];
    char pw_hash[SEC_PWHASH_MAX];
    int64_t client_id; /* 0 when none */
    bool disabled;
};
enum err store_user_insert(struct store_conn *c, struct user_row *row); /* ERR_CONFLICT on email */
enum err store_user_by_email(struct store_conn *c, const char *email, struct user_row *out);
enum err store_user_by_id(struct store_conn *c, int64_t id, struct user_row *out);

/* ---- sessions --------------------------------------------------------------------------- */
struct session_row {
    int64_t id;
    int64_t user_id;
    char csrf[2 * SEC_TOKEN_BYTES + 1];
    int64_t created_at;
    int64_t last_seen;
    int64_t ended_at; /* 0 while open */
};
enum err store_session_insert(struct store_conn *c, const unsigned char hash[SEC_HASH_BYTES],
                              struct session_row *row);
enum err store_session_by_hash(struct store_conn *c, const unsigned char hash[SEC_HASH_BYTES],
                               struct session_row *out);
enum err store_session_touch(struct store_conn *c, int64_t id, int64_t now);
enum err store_session_end(struct store_conn *c, int64_t id, int64_t now);

/* ---- login throttling ------------------------------------------------------------------- */
struct failure_row {
    char key[80];
    int64_t failures;
    int64_t last_at;
    int64_t locked_until;
};
/* ERR_NOT_FOUND leaves *out zeroed except key. */
enum err store_failure_get(struct store_conn *c, const char *key, struct failure_row *out);
enum err store_failure_put(struct store_conn *c, const struct failure_row *row);
enum err store_failure_clear(struct store_conn *c, const char *key);

/* ---- sealed columns --------------------------------------------------------------------- */
/*
 * Sensitive columns are sealed by the dossier module (dossier/keys.c) before they reach storage:
 * 0x01 (format) || dek_version (4 bytes, big-endian) || nonce || ciphertext || tag. Storage keeps
 * such a value as an opaque BLOB and never sees its plain text. A length of 0 is SQL NULL.
 */
#define STORE_SEALED_HEAD         5
#define STORE_SEALED_SIZE(pt_max) ((pt_max) + STORE_SEALED_HEAD + SEC_SEAL_OVERHEAD)
/* A sealed value of at most pt_max bytes of plain text, held in the row. */
#define STORE_SEALED(pt_max)                                                                       \
    struct {                                                                                       \
        size_t len;                                                                                \
        unsigned char b[STORE_SEALED_SIZE(pt_max)];                                                \
    }
/* A sealed value on the heap (owned by the row that holds it). */
struct store_blob {
    unsigned char *p;
    size_t len;
};
#define STORE_CLIENT_NAME_MAX  200
#define STORE_CLIENT_PHONE_MAX 40

/* ---- clients ---------------------------------------------------------------------------- */
struct client_row {
    int64_t id;
    char pid[STORE_UID_LEN + 1];
    int64_t year_of_birth;
    char gender[16];
    char country[3];
    char language[36];
    char phase[16];
    char location[121];
    uint32_t risk_flags;
    STORE_SEALED(STORE_CLIENT_NAME_MAX) name; /* sealed; len 0 when not given */
    STORE_SEALED(STORE_CLIENT_PHONE_MAX) phone;
    char created_by_user[STORE_UID_LEN + 1];
    int64_t created_by_org;
    int64_t created_at;
};
enum err store_client_insert(struct store_conn *c, struct client_row *row); /* sets id */
enum err store_client_by_pid(struct store_conn *c, const char *pid, struct client_row *out);
enum err store_client_by_id(struct store_conn *c, int64_t id, struct client_row *out);
typedef enum err (*store_client_fn)(const struct client_row *row, void *ctx);
/* Clients on which org holds a grant active at `now`, newest first, at most `limit`. */
enum err store_client_each_for_org(struct store_conn *c, int64_t org_id, int64_t now, int limit,
                                   store_client_fn fn, void *ctx);

/* ---- grants ----------------------------------------------------------------------------- */
struct grant_row {
    int64_t id;
    char uid[STORE_UID_LEN + 1];
    int64_t client_id;
    int64_t org_id;
    uint32_t scopes;
    char basis[32];
    char granted_by_user[STORE_UID_LEN + 1];
    char granted_by_role[24];
    int64_t granted_by_org;
    int64_t created_at;
    int64_t expires_at;
    int64_t revoked_at;   /* 0 while not revoked */
    char purpose[24];     /* empty on insert = "care" */
    int64_t confirmed_at; /* 0 while recorded by a professional and not confirmed by the client */
    int64_t changed_at;   /* 0 until the client narrows or extends it */
};
enum err store_grant_insert(struct store_conn *c, struct grant_row *row); /* sets id */
/* Sets scopes and expiry (narrow, extend) of a grant that is not revoked; ERR_NOT_FOUND else. */
enum err store_grant_update(struct store_conn *c, int64_t id, uint32_t scopes, int64_t expires_at,
                            int64_t now);
/* Marks an unconfirmed, not revoked grant confirmed; ERR_NOT_FOUND else. */
enum err store_grant_confirm(struct store_conn *c, int64_t id, int64_t now);

/* A professional's request for a grant; no access until the client accepts it. */
struct grant_request_row {
    int64_t id;
    char uid[STORE_UID_LEN + 1];
    int64_t client_id;
    int64_t org_id;
    uint32_t scopes;
    char purpose[24];
    int64_t days;
    char requested_by_user[STORE_UID_LEN + 1];
    char requested_by_role[24];
    int64_t requested_by_org;
    int64_t created_at;
    char state[12]; /* open | accepted | declined */
    int64_t decided_at;
};
enum err store_grant_request_insert(struct store_conn *c, struct grant_request_row *row);
enum err store_grant_request_by_uid(struct store_conn *c, const char *uid,
                                    struct grant_request_row *out);
/* open -> accepted | declined; ERR_NOT_FOUND when the request is no longer open. */
enum err store_grant_request_decide(struct store_conn *c, int64_t id, const char *state,
                                    const char *by_user, int64_t now);
typedef enum err (*store_grant_request_fn)(const struct grant_request_row *row, void *ctx);
/* Open and declined requests on a client, newest first (accepted ones live on as grants). */
enum err store_grant_request_each_for_client(struct store_conn *c, int64_t client_id,
                                             store_grant_request_fn fn, void *ctx);
enum err store_grant_by_uid(struct store_conn *c, const char *uid, struct grant_row *out);
enum err store_grant_revoke(struct store_conn *c, int64_t id, const char *by_user, int64_t now);
typedef enum err (*store_grant_fn)(const struct grant_row *row, void *ctx);
enum err store_grant_each_for_client(struct store_conn *c, int64_t client_id, store_grant_fn fn,
                                     void *ctx);
/* OR of the scopes of org's grants on client that are active at `now` (0 when none). */
enum err store_grant_active_scopes(struct store_conn *c, int64_t client_id, int64_t org_id,
                                   int64_t now, uint32_t *scopes);

/* ---- audit ------------------------------------------------------------------------------ */
struct audit_row {
    int64_t id;
    int64_t at;
    char user_id[STORE_UID_LEN + 1]; /* empty = NULL */
    char role[24];
    char org_id[STORE_UID_LEN + 1];
    char on_behalf_of[STORE_UID_LEN + 1];
    char client_pid[STORE_UID_LEN + 1];
    char action[24];
    char object_type[24];
    char object_id[STORE_OBJECT_ID_MAX + 1]; /* our uids, HSDS UUIDs (36) */
    char outcome[16];
    char source_addr[48];
    char request_id[STORE_UID_LEN + 1];
    unsigned char prev_hash[SEC_HASH_BYTES];
    unsigned char row_hash[SEC_HASH_BYTES];
};
/* The newest row's id and hash; id 0 and a zero hash for an empty trail. */
enum err store_audit_head(struct store_conn *c, int64_t *id, unsigned char hash[SEC_HASH_BYTES]);
enum err store_audit_insert(struct store_conn *c, const struct audit_row *row);
typedef enum err (*store_audit_fn)(const struct audit_row *row, void *ctx);
/* Every row in id order (for verification). */
enum err store_audit_each(struct store_conn *c, store_audit_fn fn, void *ctx);
/* Rows about one client in [from, to), newest first, at most limit. */
enum err store_audit_each_for_client(struct store_conn *c, const char *pid, int64_t from,
                                     int64_t to, int limit, store_audit_fn fn, void *ctx);

/* ---- signalling ------------------------------------------------------------------------- */
#define STORE_NOTE_MAX 1000

/* Imported instrument definitions. ERR_CONFLICT when (iid, version) exists with another hash. */
enum err store_instrument_put(struct store_conn *c, const char *iid, const char *version,
                              const char *def, size_t len,
                              const unsigned char hash[SEC_HASH_BYTES]);
typedef enum err (*store_instrument_fn)(const char *iid, const char *version, const char *def,
                                        size_t len, void *ctx);
enum err store_instrument_each(struct store_conn *c, store_instrument_fn fn, void *ctx);

/* Text packs: one per (instrument, version, language); a re-import replaces it. */
enum err store_text_pack_put(struct store_conn *c, const char *iid, const char *version,
                             const char *lang, const char *pack, size_t len);
typedef enum err (*store_text_pack_fn)(const char *iid, const char *version, const char *lang,
                                       const char *pack, size_t len, void *ctx);
enum err store_text_pack_each(struct store_conn *c, store_text_pack_fn fn, void *ctx);

struct screening_row {
    int64_t id;
    char uid[STORE_UID_LEN + 1];
    int64_t client_id;
    char instrument[41];
    char version[17];
    unsigned char def_hash[SEC_HASH_BYTES];
    char language[36];
    char mode[16];
    struct store_blob answers; /* sealed JSON; owned, store_screening_release() */
    struct store_blob result;
    char level[8];
    char band[41];
    int64_t flag_count;
    char created_by_user[STORE_UID_LEN + 1];
    char created_by_role[24];
    int64_t created_by_org;
    int64_t created_at;
};
void store_screening_release(struct screening_row *row);
enum err store_screening_insert(struct store_conn *c, struct screening_row *row); /* sets id */
enum err store_screening_set_result(struct store_conn *c, int64_t id,
                                    const struct store_blob *result);
enum err store_screening_by_uid(struct store_conn *c, const char *uid, struct screening_row *out);
/* The callback's row is borrowed for the call only. Newest first. */
typedef enum err (*store_screening_fn)(const struct screening_row *row, void *ctx);
enum err store_screening_each_for_client(struct store_conn *c, int64_t client_id,
                                         store_screening_fn fn, void *ctx);

struct flag_row {
    int64_t id;
    char uid[STORE_UID_LEN + 1];
    int64_t client_id;
    int64_t screening_id;                  /* 0 for a flag raised by hand */
    char screening_uid[STORE_UID_LEN + 1]; /* read only: "" when none */
    char flag[41];
    char severity[16];
    char protocol[16];
    STORE_SEALED(STORE_NOTE_MAX) note; /* sealed; len 0 when none */
    char raised_by_user[STORE_UID_LEN + 1];
    char raised_by_role[24];
    int64_t raised_by_org;
    int64_t raised_at;
    int64_t due_at;
    int64_t closed_at; /* 0 while open */
    char closed_by_role[24];
    STORE_SEALED(STORE_NOTE_MAX) close_reason; /* sealed; len 0 while open */
};
enum err store_flag_insert(struct store_conn *c, struct flag_row *row); /* sets id */
enum err store_flag_by_uid(struct store_conn *c, const char *uid, struct flag_row *out);
/* An open flag named `flag` on the client, raised by `user` and not yet part of a screening. */
enum err store_flag_find_unattached(struct store_conn *c, int64_t client_id, const char *flag,
                                    const char *user, struct flag_row *out);
enum err store_flag_attach(struct store_conn *c, int64_t id, int64_t screening_id);
/* reason: sealed, reason_len bytes. */
enum err store_flag_close(struct store_conn *c, int64_t id, const char *by_user,
                          const char *by_role, const unsigned char *reason, size_t reason_len,
                          int64_t now);
typedef enum err (*store_flag_fn)(const struct flag_row *row, void *ctx);
enum err store_flag_each_for_client(struct store_conn *c, int64_t client_id, store_flag_fn fn,
                                    void *ctx);
/* Open flags, oldest first, raised by an organisation of `region` (or any, when NULL) or on
 * clients where org_id holds an active grant with any of `scopes`. */
enum err store_flag_each_open(struct store_conn *c, const char *region, int64_t org_id,
                              uint32_t scopes, int64_t now, store_flag_fn fn, void *ctx);

struct flag_action_row {
    int64_t flag_id;
    char uid[STORE_UID_LEN + 1];
    char action[32];
    STORE_SEALED(STORE_NOTE_MAX) note; /* sealed; len 0 when none */
    char by_user[STORE_UID_LEN + 1];
    char by_role[24];
    int64_t by_org;
    int64_t at;
};
enum err store_flag_action_insert(struct store_conn *c, const struct flag_action_row *row);
typedef enum err (*store_flag_action_fn)(const struct flag_action_row *row, void *ctx);
enum err store_flag_action_each(struct store_conn *c, int64_t flag_id, store_flag_action_fn fn,
                                void *ctx);

/* Cached read-aloud audio. *wav is owned (free()); ERR_NOT_FOUND when absent or stale. */
enum err store_audio_get(struct store_conn *c, const char *instrument, const char *lang,
                         const char *key, const unsigned char text_hash[SEC_HASH_BYTES],
                         char *source, size_t source_size, unsigned char **wav, size_t *len);
/* True when audio of `source` ("recording" or "tts") is stored for the text (any hash). */
bool store_audio_exists(struct store_conn *c, const char *instrument, const char *lang,
                        const char *key, const char *source);
/* A recording (source "recording") is kept whatever the text hash says. */
enum err store_audio_put(struct store_conn *c, const char *instrument, const char *lang,
                         const char *key, const unsigned char text_hash[SEC_HASH_BYTES],
                         const char *source, const unsigned char *wav, size_t len);

/* ---- social map: writing (store_map.c) ---------------------------------------------------- */
/*
 * HSDS documents are stored as canonical JSON text next to a search index derived from them
 * (0004_directory.sql). These functions run inside the caller's write transaction; none of
 * them knows JSON: documents are opaque text here.
 */
#define STORE_MAP_ID_MAX     63 /* bytes of an HSDS id */
#define STORE_MAP_FTS_COLS   5  /* name, description, access, org, extra */
#define STORE_MAP_REGION_MAX 120

/* Upserts an organization / a location by HSDS id. *id gets the row id; *changed (may be NULL)
 * is true when the row was created or its document differs from the stored one. */
enum err store_map_org_put(struct store_conn *c, const char *hsds_id, const char *name,
                           const char *doc, size_t len, int64_t now, int64_t *id, bool *changed);
struct store_map_point {
    bool set; /* false: no coordinates (a virtual location) */
    double lat, lon;
};
enum err store_map_location_put(struct store_conn *c, const char *hsds_id, const char *name,
                                struct store_map_point at, const char *doc, size_t len, int64_t now,
                                int64_t *id, bool *changed);
/* Row id and document (owned, free()) of an organization / location; ERR_NOT_FOUND. */
enum err store_map_org_get(struct store_conn *c, const char *hsds_id, int64_t *id, char **doc);
enum err store_map_location_get(struct store_conn *c, const char *hsds_id, int64_t *id, char **doc);
/* Every organization, by name: HSDS id and name, borrowed for the call. */
typedef enum err (*store_map_org_fn)(const char *hsds_id, const char *name, void *ctx);
enum err store_map_org_each(struct store_conn *c, store_map_org_fn fn, void *ctx);

/* One service as written: the document and its index. All pointers are borrowed. */
struct store_map_service {
    const char *hsds_id;
    int64_t org_id;
    const char *region;
    const char *name;
    const char *status;
    const char *level;
    int level_rank;
    int iasc_layer;
    int min_age;
    int max_age; /* -1: NULL (no upper limit) */
    const char *capacity;
    int waitlist_weeks;           /* -1: NULL */
    const char *capacity_updated; /* NULL or "": NULL */
    const char *assured_date;
    const char *assurer_email;
    const char *doc;
    size_t doc_len;
    int64_t updated_at;
    const char *updated_by;
    char *const *codes; /* map_service_codes; duplicates are ignored */
    size_t ncodes;
    const int64_t *location_ids; /* row ids in map_locations */
    size_t nlocations;
    const char *fts[STORE_MAP_FTS_COLS]; /* map_fts columns (rowid = service id) */
    size_t fts_len[STORE_MAP_FTS_COLS];
};
/* Inserts or updates by HSDS id and replaces its rows in map_service_codes,
 * map_service_locations and map_fts. *id gets the row id. */
enum err store_map_service_put(struct store_conn *c, const struct store_map_service *s,
                               int64_t *id);
/*
 * Replaces only the side tables of the index of the stored service with row id `id`
 * (map_service_codes, map_service_locations, map_fts) from s; its map_services row (document,
 * organization, region, updated_at) is left as it is. For a service whose organization or
 * location document changed while its own document did not: the columns of map_services derive
 * from the service document alone, the map_fts columns org and extra also from those documents.
 */
enum err store_map_service_index_put(struct store_conn *c, int64_t id,
                                     const struct store_map_service *s);
/* Row ids of the services of an organization / at a location (row ids), in id order. The callback
 * must not write map_services, map_service_locations or their index (collect, then write). */
typedef enum err (*store_map_id_fn)(int64_t service_id, void *ctx);
enum err store_map_org_services(struct store_conn *c, int64_t org_id, store_map_id_fn fn,
                                void *ctx);
enum err store_map_location_services(struct store_conn *c, int64_t location_id, store_map_id_fn fn,
                                     void *ctx);

/* A stored service: row id, region, its document and its organization's document. */
struct store_map_stored {
    int64_t id;
    char hsds_id[STORE_MAP_ID_MAX + 1];
    char region[STORE_MAP_REGION_MAX + 1];
    char *doc; /* owned */
    size_t doc_len;
    char *org_doc; /* owned */
    size_t org_doc_len;
};
void store_map_stored_release(struct store_map_stored *s);
/* ERR_NOT_FOUND when unknown. Release *out even on error. */
enum err store_map_service_get(struct store_conn *c, const char *hsds_id,
                               struct store_map_stored *out);
/* The documents of the service's locations (row id service_id), by HSDS id; borrowed. */
typedef enum err (*store_map_doc_fn)(const char *doc, size_t len, void *ctx);
enum err store_map_service_locations(struct store_conn *c, int64_t service_id, store_map_doc_fn fn,
                                     void *ctx);
/* Every service in HSDS id order (export); the row is borrowed for the call. */
typedef enum err (*store_map_stored_fn)(const struct store_map_stored *s, void *ctx);
enum err store_map_service_each(struct store_conn *c, store_map_stored_fn fn, void *ctx);

/* Terms of other taxonomies and taxonomies, kept verbatim (insert or replace). */
enum err store_map_term_put(struct store_conn *c, const char *hsds_id, const char *doc, size_t len);
enum err store_map_taxonomy_put(struct store_conn *c, const char *hsds_id, const char *doc,
                                size_t len);

struct store_map_area {
    char uri[256];
    char name[201];
    char kind[16];        /* national | municipality | coa_location | other */
    char parent_uri[256]; /* "" for none */
};
/* Adds the area unless its uri is known (an existing row is kept). */
enum err store_map_area_add(struct store_conn *c, const struct store_map_area *a);
/* Inserts or replaces the area. */
enum err store_map_area_set(struct store_conn *c, const struct store_map_area *a);
enum err store_map_area_get(struct store_conn *c, const char *uri, struct store_map_area *out);

struct store_map_revision {
    char service_id[STORE_MAP_ID_MAX + 1]; /* HSDS id */
    int64_t at;
    char by_user[STORE_UID_LEN + 1]; /* user uid or "import" */
    char source[8];                  /* create | edit | import | delete */
    const char *fields;              /* JSON array text; borrowed */
    const char *prev_doc;            /* NULL on create; borrowed */
};
enum err store_map_revision_add(struct store_conn *c, const struct store_map_revision *r);
/* The revisions of one service, newest first, at most limit; prev_doc is not read (NULL). */
typedef enum err (*store_map_revision_fn)(const struct store_map_revision *r, void *ctx);
enum err store_map_revision_each(struct store_conn *c, const char *service_id, int limit,
                                 store_map_revision_fn fn, void *ctx);
/* Deletes the whole social map (demo reset), in the caller's write transaction. */
enum err store_map_wipe(struct store_conn *c);

/* ---- social map: search (store_map_search.c) ---------------------------------------------- */
/*
 * Read-only primitives for the directory module's search, views and chain overview, which
 * builds its in-memory index from them (src/directory/cache.c). Callbacks get borrowed values,
 * valid for the call only, and may run other store_map_* queries (not the one iterating).
 */
typedef enum err (*store_map_code_fn)(const char *code, int64_t service_id, void *ctx);
/* Every (code, service) whose code starts with prefix (non-empty), in code order. */
enum err store_map_prefix_each(struct store_conn *c, const char *prefix, store_map_code_fn fn,
                               void *ctx);
typedef enum err (*store_map_age_fn)(int64_t service_id, int min_age, int max_age, void *ctx);
/* Every service's ages; max_age -1 when it has no upper limit. */
enum err store_map_age_all(struct store_conn *c, store_map_age_fn fn, void *ctx);
/*
 * The map's generation: a counter that triggers bump on every write of map_services,
 * map_locations, map_orgs and map_areas, by any path or process. For caches of the index.
 * *max_id gets the largest map_services id (0 when empty).
 */
enum err store_map_generation(struct store_conn *c, int64_t *gen, int64_t *max_id);
/* score: bm25 with the given column weights; lower is a better match (SQLite's sign). */
typedef enum err (*store_map_rank_fn)(int64_t service_id, double score, void *ctx);
/* Services whose map_fts row matches the FTS5 expression `match` (built by the caller from
 * quoted terms only; a syntax error is ERR_INTERNAL). */
enum err store_map_fts_each(struct store_conn *c, const char *match,
                            const double weights[STORE_MAP_FTS_COLS], store_map_rank_fn fn,
                            void *ctx);
typedef enum err (*store_map_point_fn)(int64_t service_id, double lat, double lon, void *ctx);
/* (service, latitude, longitude) of every located service location inside the box. */
enum err store_map_points_in_box(struct store_conn *c, double lat_min, double lat_max,
                                 double lon_min, double lon_max, store_map_point_fn fn, void *ctx);
/* false stops the iteration (not an error). */
typedef bool (*store_map_visit_fn)(int64_t service_id, void *ctx);
/* Every service in display order: level_rank, then Dutch name, then id. */
enum err store_map_ordered_each(struct store_conn *c, store_map_visit_fn fn, void *ctx);
typedef enum err (*store_map_area_fn)(const struct store_map_area *a, void *ctx);
/* Every map_areas row: national, municipalities, COA locations, others; each by name. */
enum err store_map_area_each(struct store_conn *c, store_map_area_fn fn, void *ctx);
/* store_map_service_get() by row id. Release *out even on error; ERR_NOT_FOUND. */
enum err store_map_stored_by_id(struct store_conn *c, int64_t id, struct store_map_stored *out);

/* ---- cards: client login cards, held dossiers (store_cards.c) ----------------------------- */
/*
 * The login card of a client account (0006_client_login.sql). Only the BLAKE2b hash of the code
 * is stored, and the PIN as argon2id. Functions run in the caller's transaction.
 */
struct card_row {
    int64_t user_id;
    char user_uid[STORE_UID_LEN + 1];
    bool user_disabled;
    int64_t client_id;             /* users.client_id: the account's own dossier (0 when none) */
    int64_t year_of_birth;         /* of that client (0 when none): the PIN must not contain it */
    char pin_hash[SEC_PWHASH_MAX]; /* "" while no PIN is chosen */
    int64_t failures;
    int64_t last_failure_at;
    int64_t issued_at;
    int64_t pin_set_at; /* 0 while no PIN is chosen */
};
/* The card whose code hashes to `hash`; ERR_NOT_FOUND when none. */
enum err store_card_by_hash(struct store_conn *c, const unsigned char hash[SEC_HASH_BYTES],
                            struct card_row *out);
/* The card of the client account of client `client_id`; ERR_NOT_FOUND when none. */
enum err store_card_by_client(struct store_conn *c, int64_t client_id, struct card_row *out);
/* Creates the card of user_id or replaces its code, clearing PIN and counters (re-issue). */
enum err store_card_issue(struct store_conn *c, int64_t user_id,
                          const unsigned char hash[SEC_HASH_BYTES], const char *issued_by_user,
                          int64_t now);
/* Sets the PIN of the card with this code hash if it has none yet; ERR_NOT_FOUND otherwise (a
 * concurrent re-issue or first login won). */
enum err store_card_set_pin(struct store_conn *c, const unsigned char hash[SEC_HASH_BYTES],
                            const char *pin_hash, int64_t now);
/* Records one wrong PIN (failures + 1, last_failure_at = now) / a success (failures 0). */
enum err store_card_failed(struct store_conn *c, int64_t user_id, int64_t now);
enum err store_card_succeeded(struct store_conn *c, int64_t user_id);
/* The client account (role client) whose own dossier is client_id; ERR_NOT_FOUND when none. */
enum err store_user_by_client(struct store_conn *c, int64_t client_id, struct user_row *out);
/* Ends every open session of the user (a re-issued card logs the old one out everywhere). */
enum err store_session_end_user(struct store_conn *c, int64_t user_id, int64_t now);
/* Row id of the client with this pid; ERR_NOT_FOUND. Reads no other column. */
enum err store_client_id_by_pid(struct store_conn *c, const char *pid, int64_t *id);

struct holder_row {
    int64_t client_id;
    char pid[STORE_UID_LEN + 1];
    char relation[16]; /* self | parent | guardian | representative */
    int64_t year_of_birth;
    int64_t created_at;
};
/* Records (or updates the relation of) a held dossier; *created tells which. */
enum err store_holder_put(struct store_conn *c, int64_t user_id, int64_t client_id,
                          const char *relation, const char *recorded_by_user, int64_t now,
                          bool *created);
/* ERR_NOT_FOUND unless user_id holds client_id. */
enum err store_holder_get(struct store_conn *c, int64_t user_id, int64_t client_id,
                          struct holder_row *out);
typedef enum err (*store_holder_fn)(const struct holder_row *row, void *ctx);
/* The own dossier self_client_id (relation "self", skipped when 0), then the held ones by pid. */
enum err store_holder_each(struct store_conn *c, int64_t user_id, int64_t self_client_id,
                           store_holder_fn fn, void *ctx);
/* The held dossier a session acts on: *client_id 0 for its own. set with 0 clears it. */
enum err store_session_dossier_get(struct store_conn *c, int64_t session_id, int64_t *client_id);
enum err store_session_dossier_set(struct store_conn *c, int64_t session_id, int64_t client_id);

/* ---- referrals (store_referral.c) ----------------------------------------------------------- */
/* 0008_referrals.sql. Functions run in the caller's transaction. */
#define STORE_REF_SERVICE_NAME_MAX 200
#define STORE_REF_CONTACT_WITH_MAX 200
/* Another referral linked by re-referral (0014), with its two parties; uid "" when none. */
struct referral_link {
    char uid[STORE_UID_LEN + 1];
    int64_t from_org;
    int64_t to_org;
};
struct referral_row {
    int64_t id;
    char uid[STORE_UID_LEN + 1];
    int64_t client_id;
    char client_pid[STORE_UID_LEN + 1]; /* read only */
    char from_user[STORE_UID_LEN + 1];
    int64_t from_org;
    char to_service[STORE_MAP_ID_MAX + 1];
    char to_service_name[STORE_REF_SERVICE_NAME_MAX + 1];
    int64_t to_org;
    char level[8];
    char advice_id[STORE_OBJECT_ID_MAX + 1]; /* "" when none */
    uint32_t scopes;
    STORE_SEALED(STORE_NOTE_MAX) handover_note; /* sealed; len 0 when none */
    bool interpreter;
    char interpreter_lang[36];
    /* sealed (who takes part may name people); len 0 when no joint first contact is planned */
    STORE_SEALED(STORE_REF_CONTACT_WITH_MAX) contact_with;
    int64_t contact_at;
    char contact_mode[16];
    bool contact_interpreter;
    char state[24];
    char reason[41];
    int64_t waitlist_weeks;
    bool needs_new_offer;
    char client_answer[16];
    int64_t created_at;
    int64_t sent_at; /* 0 while a draft */
    int64_t updated_at;
    int64_t replaces_id;              /* the referral this one follows up; 0 when none (0014) */
    struct referral_link replaces;    /* read only: that referral */
    struct referral_link replaced_by; /* read only: the referral that follows this one up */
};
enum err store_referral_insert(struct store_conn *c, struct referral_row *row); /* sets id */
enum err store_referral_by_uid(struct store_conn *c, const char *uid, struct referral_row *out);
/* Writes the mutable columns (state, reason, waitlist_weeks, contact_* with the sealed
 * contact_with, needs_new_offer, client_answer, sent_at, updated_at) of row->id. */
enum err store_referral_update(struct store_conn *c, const struct referral_row *row);
/* The callback's row is borrowed for the call only. */
typedef enum err (*store_referral_fn)(const struct referral_row *row, void *ctx);
struct store_referral_filter {
    int64_t client_id;  /* 0: any */
    int64_t from_org;   /* 0: any */
    int64_t to_org;     /* 0: any */
    const char *state;  /* NULL: any */
    bool party_org_any; /* true: from_org OR to_org = party_org */
    int64_t party_org;
};
/* Referrals matching every set field, newest first, at most 500. */
enum err store_referral_each(struct store_conn *c, const struct store_referral_filter *f,
                             store_referral_fn fn, void *ctx);
/* Referrals not yet at first contact (sent .. first_contact_planned) sent by org_id, or sent or
 * received by an organisation of `region` (when not NULL): candidates for overdue. */
enum err store_referral_each_pending(struct store_conn *c, int64_t org_id, const char *region,
                                     store_referral_fn fn, void *ctx);

struct referral_event_row {
    int64_t referral_id;
    char uid[STORE_UID_LEN + 1]; /* binds the sealed note to its row (0009) */
    char kind[16];               /* transition | client_answer */
    char from_state[24];
    char to_state[24];
    char reason[41];
    STORE_SEALED(STORE_NOTE_MAX) note; /* sealed; len 0 when none */
    char by_user[STORE_UID_LEN + 1];
    char by_role[24];
    int64_t by_org;
    int64_t at;
};
enum err store_referral_event_insert(struct store_conn *c, const struct referral_event_row *row);
typedef enum err (*store_referral_event_fn)(const struct referral_event_row *row, void *ctx);
/* Gives every referral_events row that has no uid yet (made before 0009) a fresh random one. */
enum err store_referral_event_fill_uids(struct store_conn *c);
/* Oldest first. */
enum err store_referral_event_each(struct store_conn *c, int64_t referral_id,
                                   store_referral_event_fn fn, void *ctx);
/* A service of the map: its level, Dutch name and organisation's HSDS id; ERR_NOT_FOUND. */
enum err store_referral_service(struct store_conn *c, const char *service_hsds_id, char level[8],
                                char name[STORE_REF_SERVICE_NAME_MAX + 1],
                                char map_org[STORE_MAP_ID_MAX + 1]);
/* The account organisation (lowest id) handling a map organisation's services; ERR_NOT_FOUND. */
enum err store_map_org_account_find(struct store_conn *c, const char *map_org_hsds_id,
                                    int64_t *org_id);
enum err store_map_org_account_put(struct store_conn *c, const char *map_org_hsds_id,
                                   int64_t org_id);

/* ---- routing: route-map advice (store_routing.c) ------------------------------------------ */
struct route_advice_row {
    int64_t id;
    char uid[STORE_UID_LEN + 1];
    int64_t client_id;
    char rules_id[41];
    char rules_version[17];
    unsigned char rules_hash[SEC_HASH_BYTES];
    char screening_uid[STORE_UID_LEN + 1]; /* "" when none */
    char *input;                           /* owned JSON text; store_route_advice_release() */
    char *output;
    char created_by_user[STORE_UID_LEN + 1];
    char created_by_role[24];
    int64_t created_by_org;
    int64_t created_at;
};
void store_route_advice_release(struct route_advice_row *row);
/* Sets row->id. */
enum err store_route_advice_insert(struct store_conn *c, struct route_advice_row *row);
/* The client's newest advice; ERR_NOT_FOUND when none. Release *out. */
enum err store_route_advice_latest(struct store_conn *c, int64_t client_id,
                                   struct route_advice_row *out);

/* ---- keys: encryption at rest (store_keys.c) ---------------------------------------------- */
/*
 * The keyring records which master-key (KEK) version wraps the data keys, with a check value (a
 * constant sealed under that KEK) so that a wrong key is refused at start-up; the KEK itself is
 * never stored. client_keys holds each client's data key (DEK) wrapped by the KEK. What the
 * values mean is dossier/keys.c's business; storage keeps bytes.
 */
struct keyring_row {
    int64_t version;
    unsigned char check[SEC_WRAPPED_BYTES];
    size_t check_len;
    int64_t created_at;
    int64_t retired_at; /* 0 while in use */
};
/* The newest version; ERR_NOT_FOUND on a database that has none yet. */
enum err store_keyring_current(struct store_conn *c, struct keyring_row *out);
/* Adds a version and marks every older one retired at row->created_at. */
enum err store_keyring_add(struct store_conn *c, const struct keyring_row *row);

struct client_key_row {
    int64_t client_id;
    int64_t dek_version;
    int64_t kek_version;
    unsigned char wrapped[SEC_WRAPPED_BYTES];
    size_t wrapped_len;
    int64_t created_at;
};
enum err store_client_key_insert(struct store_conn *c, const struct client_key_row *row);
/* The client's newest DEK; ERR_NOT_FOUND when it has none. */
enum err store_client_key_get(struct store_conn *c, int64_t client_id, struct client_key_row *out);
/* Up to max keys wrapped under a KEK version other than kek_version, in (client, version) order
 * after (after_client, after_version); *n gets how many. For rotation, in batches. */
enum err store_client_key_batch(struct store_conn *c, int64_t kek_version, int64_t after_client,
                                int64_t after_version, struct client_key_row *out, size_t max,
                                size_t *n);
/* Replaces the wrapped key and its KEK version of one DEK. ERR_NOT_FOUND when there is none. */
enum err store_client_key_rewrap(struct store_conn *c, const struct client_key_row *row);
/* Up to max clients that have no DEK (made before 0005_keys.sql), by id: ids and pids. */
enum err store_clients_without_key(struct store_conn *c, int64_t *ids,
                                   char (*pids)[STORE_UID_LEN + 1], size_t max, size_t *n);

/* The sealed columns, for sealing the plain text that an older version left behind. */
enum store_sealed_col {
    STORE_COL_CLIENT_NAME,
    STORE_COL_CLIENT_PHONE,
    STORE_COL_SCREENING_ANSWERS,
    STORE_COL_SCREENING_RESULT,
    STORE_COL_FLAG_NOTE,
    STORE_COL_FLAG_CLOSE_REASON,
    STORE_COL_ACTION_NOTE,
    STORE_COL_REFERRAL_HANDOVER_NOTE,
    STORE_COL_REFERRAL_CONTACT_WITH,
    STORE_COL_REFERRAL_EVENT_NOTE,
    STORE_COL_TRANSFER_HISTORY, /* transfer_history.body (0011) */
    STORE_COL_COUNT
};
/* The SQL table and column names of a sealed column (static strings). */
void store_sealed_col_name(enum store_sealed_col col, const char **table, const char **column);
struct store_plain_cell {
    int64_t rowid;
    char uid[STORE_UID_LEN + 1]; /* the row's uid; the pid for clients */
    int64_t client_id;
    char pid[STORE_UID_LEN + 1]; /* the client's */
    char *text;                  /* owned (free()); not NUL-terminated inside len */
    size_t len;
};
/* Up to max cells of col that still hold plain text, rowid > after, in rowid order. Every
 * cell's text is owned by out[i] (free() it) even when an error ends the batch. */
enum err store_plain_cells(struct store_conn *c, enum store_sealed_col col, int64_t after,
                           struct store_plain_cell *out, size_t max, size_t *n);
/* Writes a sealed value into col of row rowid (ERR_NOT_FOUND when the row is gone). */
enum err store_sealed_put(struct store_conn *c, enum store_sealed_col col, int64_t rowid,
                          const unsigned char *b, size_t len);
/* Gives every red_flag_actions row that has no uid yet a fresh random one. */
enum err store_flag_action_fill_uids(struct store_conn *c);
/* Copies the WAL into the database file and truncates it (outside a transaction), so that pages
 * that held plain text are overwritten now rather than at the next automatic checkpoint. */
enum err store_checkpoint(struct store_conn *c);

/*
 * A consistent copy of the whole database into a new file at path (SQLite's online backup API),
 * made while the server may be writing. The file must not exist (ERR_CONFLICT); it is created
 * with mode 0600. Sealed columns stay sealed; no key is in the database.
 */
enum err store_backup(struct store_conn *c, const char *path);

/* ---- moves: a client moves within the installation (store_move.c) ------------------------- */
/* 0013_moves.sql. Functions run in the caller's transaction. */
#define STORE_REGION_MAX   120
#define STORE_LOCATION_MAX 120
struct client_move_row {
    int64_t id;
    char uid[STORE_UID_LEN + 1];
    int64_t client_id;
    char from_phase[16];
    char from_location[STORE_LOCATION_MAX + 1];
    char from_region[STORE_REGION_MAX + 1];
    char to_phase[16];
    char to_location[STORE_LOCATION_MAX + 1];
    char to_region[STORE_REGION_MAX + 1];
    char to_area[256]; /* map_areas.uri the new location matched; "" when none */
    char by_user[STORE_UID_LEN + 1];
    char by_role[24];
    int64_t by_org;
    int64_t at;
};
/* Sets a new client's region to the region of organisation org_id (at registration). */
enum err store_client_region_from_org(struct store_conn *c, int64_t client_id, int64_t org_id);
/* The client's region ("" when none); ERR_NOT_FOUND for an unknown client. */
enum err store_client_region(struct store_conn *c, int64_t client_id,
                             char out[STORE_REGION_MAX + 1]);
/* Whether any organisation works in `region`. */
enum err store_region_known(struct store_conn *c, const char *region, bool *known);
/* Moves the client (phase, location, region) and records row (sets row->id). */
enum err store_client_move(struct store_conn *c, struct client_move_row *row);
typedef enum err (*store_client_move_fn)(const struct client_move_row *row, void *ctx);
/* The client's moves, oldest first (at most 500). */
enum err store_client_move_each(struct store_conn *c, int64_t client_id, store_client_move_fn fn,
                                void *ctx);
typedef enum err (*store_move_uid_fn)(const char *uid, void *ctx);
/* Uids of the open referrals (sent .. first_contact_done) of clients who now live in `region`
 * and moved into it from another region, oldest first (at most 500). */
enum err store_moved_referral_each(struct store_conn *c, const char *region, store_move_uid_fn fn,
                                   void *ctx);

/* ---- transfer packages between installations (store_transfer.c) --------------------------- */
/* 0011_transfers.sql. Functions run in the caller's transaction. */
#define STORE_TRANSFER_ID_LEN 36 /* a UUID */
struct transfer_out_row {
    int64_t id;
    char package_id[STORE_TRANSFER_ID_LEN + 1];
    int64_t client_id;               /* 0 once the dossier was erased (0015) */
    char by_user[STORE_UID_LEN + 1]; /* "" once erased (the CLI names a user since 0015) */
    char by_role[24];
    char via[8];               /* api | cli */
    int64_t session_id;        /* api: the only session that may download the package */
    struct store_blob package; /* api: owned until fetched (store_transfer_out_release()) */
    int64_t created_at;
    int64_t fetched_at; /* 0 until fetched */
};
void store_transfer_out_release(struct transfer_out_row *row);
enum err store_transfer_out_insert(struct store_conn *c, struct transfer_out_row *row);
/* With the package when it is still held. ERR_NOT_FOUND. Release *out. */
enum err store_transfer_out_get(struct store_conn *c, const char *package_id,
                                struct transfer_out_row *out);
/* Drops the held package and sets fetched_at (ERR_NOT_FOUND when it was fetched already). */
enum err store_transfer_out_fetched(struct store_conn *c, int64_t id, int64_t now);
/* Drops every held package made before `before` that was never fetched. */
enum err store_transfer_out_expire(struct store_conn *c, int64_t before);

struct transfer_in_row {
    int64_t id;
    char package_id[STORE_TRANSFER_ID_LEN + 1];
    int64_t client_id;                  /* 0 once the dossier was erased */
    char client_pid[STORE_UID_LEN + 1]; /* read only: "" when erased */
    char sender_name[201];
    char sender_fingerprint[24];
    int64_t package_created_at;
    char by_user[STORE_UID_LEN + 1]; /* "" for the CLI */
    int64_t by_org;                  /* 0 for the CLI */
    int64_t at;
};
enum err store_transfer_in_insert(struct store_conn *c, struct transfer_in_row *row);
/* By (sender key fingerprint, package id), 0015. ERR_NOT_FOUND when never imported here. */
enum err store_transfer_in_get(struct store_conn *c, const char *fingerprint,
                               const char *package_id, struct transfer_in_row *out);

struct transfer_history_row {
    int64_t id;
    char uid[STORE_UID_LEN + 1];
    int64_t client_id;
    char sender_name[201];
    int64_t created_at;
    int64_t imported_at;
    struct store_blob body; /* sealed JSON; owned (store_transfer_history_release()) */
};
void store_transfer_history_release(struct transfer_history_row *row);
enum err store_transfer_history_insert(struct store_conn *c, struct transfer_history_row *row);
/* The callback's row is borrowed for the call only. Oldest first. */
typedef enum err (*store_transfer_history_fn)(const struct transfer_history_row *row, void *ctx);
enum err store_transfer_history_each(struct store_conn *c, int64_t client_id,
                                     store_transfer_history_fn fn, void *ctx);

/* ---- erasure (store_erase.c) -------------------------------------------------------------- */
/* 0012_erasure.sql. Functions run in the caller's transaction. */
struct erasure_row {
    int64_t id;
    char uid[STORE_UID_LEN + 1];
    int64_t client_id;
    char client_pid[STORE_UID_LEN + 1]; /* read only */
    char requested_by_user[STORE_UID_LEN + 1];
    int64_t requested_at;
    char state[12];       /* requested | withdrawn | confirmed */
    int64_t withdrawn_at; /* 0 when not withdrawn */
    char confirmed_by_user[STORE_UID_LEN + 1];
    int64_t confirmed_at; /* 0 when not confirmed */
};
/* Sets row->id and state; ERR_CONFLICT when the client has an open request already. */
enum err store_erasure_insert(struct store_conn *c, struct erasure_row *row);
/* The client's newest request, any state; ERR_NOT_FOUND when none. */
enum err store_erasure_latest(struct store_conn *c, int64_t client_id, struct erasure_row *out);
/* requested -> state ("withdrawn" or "confirmed", by_user recorded for confirmed); ERR_NOT_FOUND
 * when the request is no longer open. */
enum err store_erasure_decide(struct store_conn *c, int64_t id, const char *state,
                              const char *by_user, int64_t now);
typedef enum err (*store_erasure_fn)(const struct erasure_row *row, void *ctx);
/* Open requests on clients where org_id holds a grant active at now, oldest first, at most 500. */
enum err store_erasure_each_open(struct store_conn *c, int64_t org_id, int64_t now,
                                 store_erasure_fn fn, void *ctx);
/*
 * Deletes every row of the client in every table of the erase list (store_erase.c), the client
 * row, its wrapped data key and its own user accounts with their sessions and cards included;
 * audit rows stay. *rows gets the number of rows deleted or detached. Checkpoint the WAL after
 * the commit (store_checkpoint()) so that the freed pages are overwritten now.
 */
enum err store_erase_client(struct store_conn *c, int64_t client_id, int64_t *rows);
/* The erase list, entry i (NULL past the end); *kept (may be NULL) is true for a table kept on
 * purpose (audit). */
size_t store_erase_table_count(void);
const char *store_erase_table(size_t i, bool *kept);
/* missing: true for a listed table that the schema does not have; false for a table of the
 * schema that holds client rows (see store_erase.c) but is not in the list. */
typedef enum err (*store_erase_table_fn)(const char *table, bool missing, void *ctx);
/* Compares the erase list with the schema: calls fn for each table the list misses or names
 * wrongly; none when the list covers the schema. */
enum err store_erase_uncovered(struct store_conn *c, store_erase_table_fn fn, void *ctx);

#endif
