/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The NEN 7513 access trail. Every read or write of client data, every login, failed login and
 * grant change calls audit_log() inside the same transaction as the action, so that the action
 * fails when its audit row cannot be written. Rows are chained: row_hash = BLAKE2b-256(prev_hash
 * || canonical(row)), and audit_verify() walks the chain to find the first changed, inserted or
 * deleted row. Rows hold identifiers and outcomes only, never content.
 */
#ifndef VK_AUDIT_H
#define VK_AUDIT_H

#include "core/compat.h"
#include "core/err.h"
#include "storage/store.h"

struct keyring;

/*
 * Who acts, from where; filled by the API layer per request. Strings are borrowed. It is the
 * per-request context every domain function receives, so it also carries the master key for
 * the request (opaque here; dossier/keys.c opens clients' data keys with it).
 */
struct audit_ctx {
    const char *user_uid; /* NULL before login */
    const char *role;
    const char *org_uid;
    const char *on_behalf_of;
    const char *source_addr;
    const char *request_id;
    const struct keyring *keys; /* NULL: sealed client data cannot be read or written */
    /* A refused access to client data, recorded by the domain and written by the API layer
     * after it has rolled back the request's transaction. */
    bool denial_pending;
    char denial_client[STORE_UID_LEN + 1];
    char denial_action[24];
    char denial_object[24];
    char denial_outcome[16]; /* "" for denied; "failure" after audit_note_failure() */
};

struct audit_event {
    const char *client_pid; /* NULL when the event is not about a client */
    const char *action;     /* create, read, update, delete, list, login, ... */
    const char *object_type;
    const char *object_id;
    const char *outcome; /* success, denied, failure */
};

/* Appends one row; the caller holds a write transaction. ERR_AUDIT when it cannot. */
enum err audit_log(struct store_conn *c, const struct audit_ctx *ctx, const struct audit_event *ev);

/* Records a denial in ctx to be written by audit_flush_denial(). */
void audit_note_denial(struct audit_ctx *ctx, const char *client_pid, const char *action,
                       const char *object_type);
/* The same for a failure that must be recorded although the request is rolled back (a sealed
 * value that does not open: action decrypt_failed), with outcome "failure". */
void audit_note_failure(struct audit_ctx *ctx, const char *client_pid, const char *action,
                        const char *object_type);
/* Writes a pending denial in its own transaction; a no-op when none is pending. */
enum err audit_flush_denial(struct store_conn *c, struct audit_ctx *ctx);

/* Computes the chain hash of a row from its fields and row->prev_hash. */
void audit_row_hash(const struct audit_row *row, unsigned char out[SEC_HASH_BYTES]);

struct audit_verify_result {
    int64_t rows;
    int64_t bad_id; /* 0 when the chain is intact */
    char reason[96];
};
/* Walks every row in order. ERR_OK with bad_id 0 when intact; ERR_CORRUPT with bad_id set. */
enum err audit_verify(struct store_conn *c, struct audit_verify_result *res);

#endif
