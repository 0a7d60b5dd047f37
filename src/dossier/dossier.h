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

#endif
