/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Client records and the consent check. consent_decide() is the single access decision: a
 * user reaches a client's data only through an active grant to their organisation covering the
 * scope, cut down to the ceiling of their role. Every dossier_* function that touches client
 * data checks it, and writes its audit row in the caller's write transaction; a refusal is
 * answered ERR_NOT_FOUND, exactly like a client that does not exist, and noted in the audit
 * context for the API layer to record after rolling back.
 */
#ifndef VK_DOSSIER_H
#define VK_DOSSIER_H

#include "accounts/accounts.h"
#include "audit/audit.h"
#include "core/compat.h"
#include "core/verr.h"
#include "storage/store.h"

enum scope {
    SCOPE_SIGNAL = 1u << 0,
    SCOPE_REFERRAL = 1u << 1,
    SCOPE_CLINICAL = 1u << 2,
    SCOPE_NETWORK = 1u << 3,
    SCOPE_PLAN = 1u << 4,
    SCOPE_CONTACT = 1u << 5,
};
#define SCOPE_ALL   0x3Fu
#define SCOPE_COUNT 6
#define SCOPE_ANY   0u /* as `wanted`: any one scope will do */

/* Name of the single scope bit s ("signal"); NULL for anything else. */
const char *consent_scope_name(uint32_t s);
/* ERR_INVALID for an unknown name. */
enum err consent_scope_parse(const char *name, uint32_t *bit);
/* The scopes a role may ever use, whatever a grant says. */
uint32_t consent_role_ceiling(enum role r);

/*
 * The access decision, pure. `granted` is the OR of the organisation's active grants on the
 * client; `own_record` is true when a client account looks at its own record. On allow, returns
 * true and sets *effective to the scopes the caller may use.
 */
bool consent_decide(enum role r, bool own_record, uint32_t granted, uint32_t wanted,
                    uint32_t *effective);

enum risk_flag {
    RISK_EX_AMV = 1u << 0,
    RISK_SINGLE_PARENT = 1u << 1,
    RISK_FAMILY_REUNIFICATION = 1u << 2,
    RISK_VIOLENCE_SURVIVOR = 1u << 3,
    RISK_LOW_LITERACY = 1u << 4,
};
#define RISK_COUNT 5
const char *dossier_risk_name(uint32_t bit);
enum err dossier_risk_parse(const char *name, uint32_t *bit);

#define DOSSIER_REGISTRATION_DAYS 30

/* ---- encryption at rest (keys.c) ---------------------------------------------------------- */
/*
 * The master key (KEK, never stored) wraps one data key (DEK) per client; the DEK seals the
 * client's sensitive columns (store.h: STORE_COL_*). A sealed value is 0x01 || dek_version
 * (4 bytes, big-endian) || nonce || ciphertext || tag, XChaCha20-Poly1305 with the associated
 * data "vk1|<table>|<row uid>|<column>|<client pid>|<dek_version>", so a value copied to another
 * row, column or client does not open. Wrapped DEKs carry "vk-dek|<pid>|<dek_version>|
 * <kek_version>". A failure to open is ERR_CORRUPT, never wrong data, and is noted in the audit
 * context as decrypt_failed (outcome failure), which the API layer writes after its rollback.
 */
struct keyring;

/*
 * Checks kek against the newest keyring version (ERR_CORRUPT and *why when it is not the key of
 * this database); a database without a keyring gets version 1 for kek. Runs its own write
 * transaction. Takes ownership of kek, also on failure. Free the keyring with keys_close().
 */
enum err keys_open(struct store_conn *c, struct sec_key *kek, struct keyring **out,
                   const char **why);
void keys_close(struct keyring *kr); /* NULL is a no-op */
int64_t keys_kek_version(const struct keyring *kr);
/* The installation's Ed25519 signing key, derived from the KEK (transfer packages). Owned. */
enum err keys_signer(const struct keyring *kr, struct sec_signer **out);

/*
 * Start-up, in one write transaction of its own: gives every client without a DEK one, every
 * red-flag action and referral event without a uid one, and seals the plain text that an older
 * version left in the sealed columns. *sealed (may be NULL) gets the number of values sealed.
 */
enum err keys_seal_legacy(const struct keyring *kr, struct store_conn *c, int64_t *sealed);

/*
 * Re-wraps every DEK under new_kek (borrowed) as KEK version current + 1 and records that
 * version with its check value, in one write transaction of its own. Afterwards only new_kek
 * opens the database. *rewrapped gets the number of DEKs.
 */
enum err keys_rotate(struct store_conn *c, const struct keyring *kr, const struct sec_key *new_kek,
                     int64_t *rewrapped, int64_t *new_version);

/* A client's DEK, unwrapped into guarded memory for one call; keys_dek_release() wipes it. */
struct keys_dek {
    struct sec_key *key;
    uint32_t version;
    char pid[STORE_UID_LEN + 1];
};
/* In the functions below, kr is the keyring of the request (actx->keys) or of the command. */
/* A fresh DEK for a client that is being created (version 1); not stored yet. */
enum err keys_dek_new(const char *pid, struct keys_dek *out);
/* Wraps d under the KEK and stores it for client_id, in the caller's transaction. */
enum err keys_dek_store(const struct keyring *kr, struct store_conn *c, int64_t client_id,
                        const struct keys_dek *d);
/* Loads and unwraps the client's DEK. ERR_CORRUPT (noted in actx, which may be NULL) when the
 * wrapped key does not open; ERR_INTERNAL when kr is NULL. */
enum err keys_dek_load(const struct keyring *kr, struct store_conn *c, struct audit_ctx *actx,
                       int64_t client_id, const char *pid, struct keys_dek *out);
void keys_dek_release(struct keys_dek *d); /* a zeroed or released d is a no-op */

/* Seals len bytes of pt for column col of the row with uid row_uid into out (size outsize);
 * *outlen gets STORE_SEALED_HEAD + SEC_SEAL_OVERHEAD + len. ERR_INTERNAL when it does not fit. */
enum err keys_seal(const struct keys_dek *d, enum store_sealed_col col, const char *row_uid,
                   const void *pt, size_t len, unsigned char *out, size_t outsize, size_t *outlen);
/* The same into an owned heap blob (free out->p). */
enum err keys_seal_blob(const struct keys_dek *d, enum store_sealed_col col, const char *row_uid,
                        const void *pt, size_t len, struct store_blob *out);
/* Seals text (NULL or "" gives an empty value, SQL NULL) into a row's fixed-size field. */
#define KEYS_SEAL_TEXT(d, col, uid, text, field)                                                   \
    keys_seal_text((d), (col), (uid), (text), (field).b, sizeof((field).b), &(field).len)
enum err keys_seal_text(const struct keys_dek *d, enum store_sealed_col col, const char *row_uid,
                        const char *text, unsigned char *out, size_t outsize, size_t *outlen);
/*
 * Opens a sealed value as NUL-terminated text into out (size outsize); an empty value (SQL NULL)
 * gives "". ERR_CORRUPT (noted in actx when not NULL) when it does not open or does not fit.
 */
enum err keys_open_text(const struct keys_dek *d, struct audit_ctx *actx, enum store_sealed_col col,
                        const char *row_uid, const unsigned char *in, size_t inlen, char *out,
                        size_t outsize);
#define KEYS_OPEN_TEXT(d, actx, col, uid, field, out)                                              \
    keys_open_text((d), (actx), (col), (uid), (field).b, (field).len, (out), sizeof(out))
/* The same into an owned NUL-terminated heap string (free()); *out is NULL on failure. */
enum err keys_open_dup(const struct keys_dek *d, struct audit_ctx *actx, enum store_sealed_col col,
                       const char *row_uid, const struct store_blob *in, char **out);

/* A client's sealed fields, opened. */
struct client_plain {
    char name[STORE_CLIENT_NAME_MAX + 1]; /* "" when not given */
    char phone[STORE_CLIENT_PHONE_MAX + 1];
};

struct client_input {
    int64_t year_of_birth;
    const char *gender;
    const char *country;
    const char *language;
    const char *phase;
    const char *location;
    uint32_t risk_flags;
    const char *name; /* optional */
    const char *phone;
};

/* Field checks for a new client; adds to v with JSON pointers ("/year_of_birth"). */
void dossier_client_validate(const struct client_input *in, int64_t now, struct verr *v);

/*
 * Registers a client with a new data key, wrapped by actx->keys (its name and phone sealed),
 * and grants the registering organisation its role's ceiling minus clinical, basis
 * registered_in_person, for 30 days. ERR_FORBIDDEN for roles with no ceiling; ERR_INVALID with
 * v filled for bad input.
 */
enum err dossier_client_create(struct store_conn *c, struct audit_ctx *actx,
                               const struct principal *who, const struct client_input *in,
                               struct verr *v, struct client_row *out);

/* Opens the sealed fields of a client row that dossier_client_create(), _open() or _list() gave
 * (access is checked there) with actx->keys. ERR_CORRUPT, noted as decrypt_failed, when any does
 * not open; *out is then all empty. */
enum err dossier_client_reveal(struct store_conn *c, struct audit_ctx *actx,
                               const struct client_row *row, struct client_plain *out);

/*
 * The access check + load, without an audit row of its own: for operations that write their own
 * row (grant_add, grant_revoke). A refusal is noted as access_denied on `object`.
 */
enum err dossier_client_check(struct store_conn *c, struct audit_ctx *actx,
                              const struct principal *who, const char *pid, uint32_t wanted,
                              const char *object, struct client_row *out, uint32_t *effective);

/* Access check + load. On allow, fills *out and *effective; audits `action` on `object`. */
enum err dossier_client_open(struct store_conn *c, struct audit_ctx *actx,
                             const struct principal *who, const char *pid, uint32_t wanted,
                             const char *action, const char *object, struct client_row *out,
                             uint32_t *effective);

/* The caller's caseload (clients with an active grant to their organisation). */
enum err dossier_client_list(struct store_conn *c, struct audit_ctx *actx,
                             const struct principal *who, store_client_fn fn, void *ctx);

/*
 * Consent in the client's hands (docs/dossier.md §2). A professional with access may record
 * verbal consent (an active grant, unconfirmed until the client confirms it) or request a grant
 * (no access until the client accepts). Only the client's own account (or a holder switched to
 * the dossier) creates, accepts, confirms, narrows, extends or revokes; a professional who tries
 * gets ERR_FORBIDDEN after the access check (which answers ERR_NOT_FOUND first). Every change
 * writes one audit row per kind of change in the caller's transaction.
 */
#define DOSSIER_GRANT_MAX_DAYS 365

/* Grants on a client, all states; needs access to the client. */
enum err dossier_grant_list(struct store_conn *c, struct audit_ctx *actx,
                            const struct principal *who, const char *pid, store_grant_fn fn,
                            void *ctx);
/* Grants (via gfn) and then open or declined requests (via rfn); one audit row (read grants). */
enum err dossier_grant_list_all(struct store_conn *c, struct audit_ctx *actx,
                                const struct principal *who, const char *pid, store_grant_fn gfn,
                                store_grant_request_fn rfn, void *ctx);

struct grant_input {
    const char *org_uid;
    uint32_t scopes;
    const char *basis;   /* client_consent | verbal_consent | request */
    int64_t days;        /* 1..DOSSIER_GRANT_MAX_DAYS */
    const char *purpose; /* care | referral | screening | coordination; NULL = care */
};
/* basis client_consent (client) or verbal_consent (professional); not request. */
enum err dossier_grant_add(struct store_conn *c, struct audit_ctx *actx,
                           const struct principal *who, const char *pid,
                           const struct grant_input *in, struct verr *v, struct grant_row *out);
/* basis request (professional only): a request the client may accept. */
enum err dossier_grant_request(struct store_conn *c, struct audit_ctx *actx,
                               const struct principal *who, const char *pid,
                               const struct grant_input *in, struct verr *v,
                               struct grant_request_row *out);
/* Client only: accepts an open request (a grant with the request's uid, confirmed) or confirms
 * an unconfirmed grant. *out is the grant afterwards. */
enum err dossier_grant_accept(struct store_conn *c, struct audit_ctx *actx,
                              const struct principal *who, const char *pid, const char *uid,
                              struct grant_row *out);

struct grant_change {
    uint32_t scopes; /* 0 = keep; else a non-empty subset of the current scopes (narrow) */
    int64_t days;    /* 0 = keep; else expiry = now + days, later than now (extend), capped */
};
/* Client only: narrows and/or extends an active grant; ERR_INVALID with v filled. */
enum err dossier_grant_change(struct store_conn *c, struct audit_ctx *actx,
                              const struct principal *who, const char *pid, const char *uid,
                              const struct grant_change *ch, struct verr *v, struct grant_row *out);
/* Client only: revokes a grant or declines an open request. */
enum err dossier_grant_revoke(struct store_conn *c, struct audit_ctx *actx,
                              const struct principal *who, const char *pid, const char *grant_uid);

/* Access-log rows for the client in [from, to), newest first, at most 500. */
enum err dossier_access_log(struct store_conn *c, struct audit_ctx *actx,
                            const struct principal *who, const char *pid, int64_t from, int64_t to,
                            store_audit_fn fn, void *ctx);

/* ---- a client moves within the installation (move.c; docs/dossier.md §5) ----------------- */
/*
 * A move keeps the dossier: the client's phase, location and region change and the move is kept
 * as a row for the timeline. Recording it needs access to the client with scope signal or
 * referral (ERR_NOT_FOUND otherwise, noted as access_denied on client_move) and a role that
 * arranges where a client lives or is cared for (dossier_move_role(): not volunteers, keypersons,
 * the client; ERR_FORBIDDEN after the access check, noted). Recomputing the route advice and the
 * proposal of new partners are the caller's (api) steps after this one, in the same transaction.
 */
struct move_input {
    const char *phase;    /* coa | municipality */
    const char *location; /* 1..120: a map area name or a place, never an address */
    const char *region;   /* NULL: unchanged; else a region some organisation works in */
    const char *area;     /* the map area URI the location matched; NULL or "" when none */
};
bool dossier_move_role(enum role r);
/* Moves the client and records it (one audit row: update client_move). *effective gets the
 * caller's scopes on the client. ERR_INVALID with v filled for bad input. */
enum err dossier_client_move(struct store_conn *c, struct audit_ctx *actx,
                             const struct principal *who, const char *pid,
                             const struct move_input *in, struct verr *v,
                             struct client_move_row *out, uint32_t *effective);
/* The client's moves, oldest first; needs any access; one audit row (read client_move). */
enum err dossier_move_list(struct store_conn *c, struct audit_ctx *actx,
                           const struct principal *who, const char *pid, store_client_move_fn fn,
                           void *ctx);
/*
 * The scopes to propose to a new partner of organisation kind `kind`, asked for by a
 * professional of role `asker`: referral and signal for every care partner (to receive a
 * referral and see the signal that led to it), plan for the municipality and district team; never
 * clinical (the client grants that to a care provider on its own); cut to the asker's ceiling,
 * since a professional may only request scopes their role works with. 0: nothing to propose.
 */
uint32_t dossier_move_scopes(const char *kind, enum role asker);
/* The account organisation handling a map service, with the service's Dutch name and level, and
 * whether it already holds an active grant on client_id. ERR_NOT_FOUND when the service or its
 * account organisation (map_org_accounts) is unknown. */
struct move_partner {
    struct org_row org;
    char service_name[STORE_REF_SERVICE_NAME_MAX + 1];
    char level[8];
    bool granted;
};
enum err dossier_move_partner(struct store_conn *c, int64_t client_id, const char *service_id,
                              struct move_partner *out);

/* ---- several grants in one step (grants.c; docs/API.md "Grants") -------------------------- */
#define DOSSIER_GRANT_BATCH_MAX 20
/*
 * A professional asks several organisations at once: each item is checked like
 * dossier_grant_request() (basis is set to request), errors go to v under "/items/N/...", and an
 * organisation listed twice is "/items/N/org_id". ERR_INVALID when any item is bad; the caller
 * then rolls back, so nothing is written. out has room for n rows.
 */
enum err dossier_grant_request_many(struct store_conn *c, struct audit_ctx *actx,
                                    const struct principal *who, const char *pid,
                                    const struct grant_input *items, size_t n, struct verr *v,
                                    struct grant_request_row *out);
/*
 * Client only: accepts several open requests of this client at once. Every id is checked first
 * ("/ids/N": not an open request of this client, or listed twice; ERR_INVALID, nothing
 * accepted); then each becomes a confirmed grant (out has room for n rows), one audit row each.
 */
enum err dossier_grant_accept_many(struct store_conn *c, struct audit_ctx *actx,
                                   const struct principal *who, const char *pid,
                                   const char *const *ids, size_t n, struct verr *v,
                                   struct grant_row *out);

/* ---- erasure (erase.c; docs/dossier.md §6) ------------------------------------------------ */
/*
 * The client (on its own dossier, or a holder on a held one) asks for erasure and may withdraw
 * the request; a professional whose role may confirm (dossier_erasure_role(): coordinator,
 * health_staff, gp, poh_ggz, ggz) and whose organisation has an active grant on the client
 * confirms, typing the pseudonym again. Confirming deletes every row of the client
 * (store_erase_client(): the wrapped data key too, so a sealed copy that survives anywhere
 * cannot be opened with this database) in the caller's transaction, with one audit row erase
 * on dossier. The caller commits and then checkpoints the WAL (store_checkpoint()). Without
 * access: ERR_NOT_FOUND (noted as access_denied on erasure); with access but the wrong role:
 * ERR_FORBIDDEN (noted likewise).
 */
bool dossier_erasure_role(enum role r);
/* Client or holder only: a new open request; ERR_CONFLICT when one is open already. */
enum err dossier_erasure_request(struct store_conn *c, struct audit_ctx *actx,
                                 const struct principal *who, const char *pid,
                                 struct erasure_row *out);
/* Client or holder only: withdraws the open request; ERR_CONFLICT when none is open. */
enum err dossier_erasure_withdraw(struct store_conn *c, struct audit_ctx *actx,
                                  const struct principal *who, const char *pid);
/* The client's newest request (any state) with any access; *found false when there is none.
 * One audit row (read erasure). */
enum err dossier_erasure_get(struct store_conn *c, struct audit_ctx *actx,
                             const struct principal *who, const char *pid, struct erasure_row *out,
                             bool *found);
/* Confirms the open request and erases the client. confirm_pid must equal pid (ERR_INVALID,
 * "/confirm_pid" in v); ERR_CONFLICT without an open request. *rows: rows deleted. */
enum err dossier_erasure_confirm(struct store_conn *c, struct audit_ctx *actx,
                                 const struct principal *who, const char *pid,
                                 const char *confirm_pid, struct verr *v, int64_t *rows);
/* Open requests on the caseload of who's organisation, for roles that may confirm (none for
 * others); one audit row (list erasure) when there are any. */
enum err dossier_erasure_open_list(struct store_conn *c, struct audit_ctx *actx,
                                   const struct principal *who, store_erasure_fn fn, void *ctx);

/* ---- transfer packages between installations (transfer.c, docs/dossier.md §5) -------------
 *
 * A package is "VKTP" 0x01 || header length (4 bytes, big-endian) || header || body length ||
 * body || Ed25519 signature (64 bytes) over everything before it. The header is canonical JSON
 * {format, id, created, sender {name, public_key}}; the body is the dossier as JSON (the client's
 * FHIR export Bundle plus what a dossier needs to be rebuilt) sealed with a fresh random transfer
 * key K (XChaCha20-Poly1305, associated data = the header bytes). K is never stored: it is given
 * to the client as text (sec_key_text()) and as a QR code.
 */
#define TRANSFER_FORMAT     "veerkracht-transfer/1"
#define TRANSFER_MAX_BYTES  (8u * 1024u * 1024u)
#define TRANSFER_HEADER_MAX 4096u
#define TRANSFER_SENDER_MAX 200
struct json_t;
struct sec_signer;

struct transfer_made {
    char package_id[STORE_TRANSFER_ID_LEN + 1];
    char key_text[SEC_TKEY_TEXT_LEN + 1]; /* wiped by transfer_made_release() */
    char fingerprint[SEC_FPR_TEXT_LEN + 1];
    unsigned char *file; /* owned */
    size_t len;
};
void transfer_made_release(struct transfer_made *m);

struct transfer_export_in {
    const struct client_row *client; /* access already checked by the caller */
    const char *sender_name;         /* this installation, as the receiver will see it */
    const struct json_t *bundle;     /* the client's FHIR export Bundle (borrowed) */
    const char *by_user;             /* users.uid (the CLI's --user) */
    const char *by_role;
    const char *via;    /* api | cli */
    int64_t session_id; /* api: the package is kept for one download by this session */
};
/*
 * Builds the package of in->client in the caller's write transaction: reads its demographics,
 * name and phone, screenings and active grants, seals them with a new K, signs with the
 * installation's key (actx->keys), records transfers_out (with the file when via api) and audits
 * transfer_out on dossier. The dossier itself is left as it is (it is not marked as moved).
 */
enum err transfer_export(struct store_conn *c, struct audit_ctx *actx,
                         const struct transfer_export_in *in, struct transfer_made *out);

/* Is instrument iid at version, with this definition hash, offered here? */
typedef bool (*transfer_instrument_fn)(const char *iid, const char *version,
                                       const unsigned char hash[SEC_HASH_BYTES], const void *ctx);
/* An imported screening scored again here: the package's result, band, level and flag count
 * are not trusted (any signer could write them). */
struct transfer_score {
    struct json_t *result; /* owned by the caller when the function returned true */
    char level[8];
    char band[41];
    int64_t flag_count;
};
/* Scores answers with the definition known() accepted; false when they do not fit it. The
 * screening module supplies it (screen_transfer_score()): dossier does not call screening. */
typedef bool (*transfer_score_fn)(const char *iid, const char *version, struct json_t *answers,
                                  const char *language, struct transfer_score *out,
                                  const void *ctx);
struct transfer_import_in {
    const unsigned char *file;
    size_t len;
    const char *key_text; /* as typed */
    size_t key_len;
    const struct principal *by; /* the importing professional (its org must exist) */
    transfer_instrument_fn known;
    const void *known_ctx;   /* also score's */
    transfer_score_fn score; /* NULL: every screening is kept in the history */
};
struct transfer_import_out {
    struct client_row client;             /* the new dossier */
    char card_code[32];                   /* the client's login card, canonical (wipe after use) */
    char existing_pid[STORE_UID_LEN + 1]; /* with ERR_CONFLICT: "" when that dossier was erased */
    bool made_here;                       /* with ERR_CONFLICT: the package was made here */
    struct json_t *result; /* owned: {client_id, package_id, sender{name, fingerprint},
                              grant_requests[], unknown_orgs[], screenings{recreated, kept}} */
};
/*
 * Checks and imports a package in the caller's write transaction. ERR_TOO_LARGE over the cap;
 * ERR_INVALID with v filled (/package: not a package, signature or format; /key: not a key, or
 * not the key of this package) and nothing written; ERR_CONFLICT when the same sender key's
 * package id was imported before, or the package was signed with this installation's key and
 * made here (out->existing_pid, "" when erased; out->made_here). Else creates the client (new
 * pid, new data key), its screenings whose instrument is known here, a sealed history record with
 * the rest, a grant request for every grant whose organisation exists here by name and one for by's
 * organisation, a login card, transfers_in, and audits transfer_in. Release out with
 * transfer_import_release().
 */
enum err transfer_import(struct store_conn *c, struct audit_ctx *actx,
                         const struct transfer_import_in *in, struct verr *v,
                         struct transfer_import_out *out);
void transfer_import_release(struct transfer_import_out *out);
/* The sentence for an ERR_CONFLICT of transfer_import() (made here / imported before, the dossier
 * or that it was erased), for the API's detail and the command line. */
void transfer_conflict_text(const struct transfer_import_out *out, char *buf, size_t size);

/* The checks of transfer_import() that need no database (size, layout, header, signature, key),
 * for tools and the fuzzer: on success *body is the opened dossier (owned) and peek is filled. */
struct transfer_peek {
    char package_id[STORE_TRANSFER_ID_LEN + 1];
    char sender[TRANSFER_SENDER_MAX + 1];
    char fingerprint[SEC_FPR_TEXT_LEN + 1];
    int64_t created;
};
enum err transfer_package_open(const unsigned char *file, size_t len, const char *key,
                               size_t key_len, struct verr *v, struct transfer_peek *peek,
                               struct json_t **body);

/* The imported history records of a client ("history from <sender>"), opened: a JSON array
 * (owned) of {id, sender, fingerprint, package_id, created_at, imported_at, referrals?,
 * organizations?, access_log?, screenings?}. Needs access to the client. The client reads all;
 * others: screenings with scope signal, referrals (without handover notes) and organizations
 * with scope referral, the earlier access log never (docs/dossier.md §5). Audits read. */
enum err transfer_history_list(struct store_conn *c, struct audit_ctx *actx,
                               const struct principal *who, const char *pid, struct json_t **out);

#endif
