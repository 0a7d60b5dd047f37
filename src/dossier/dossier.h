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
 * Registers a client and grants the registering organisation its role's ceiling minus clinical,
 * basis registered_in_person, for 30 days. ERR_FORBIDDEN for roles with no ceiling; ERR_INVALID
 * with v filled for bad input.
 */
enum err dossier_client_create(struct store_conn *c, struct audit_ctx *actx,
                               const struct principal *who, const struct client_input *in,
                               struct verr *v, struct client_row *out);

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

/* Grants on a client, all states; needs access to the client. */
enum err dossier_grant_list(struct store_conn *c, struct audit_ctx *actx,
                            const struct principal *who, const char *pid, store_grant_fn fn,
                            void *ctx);

struct grant_input {
    const char *org_uid;
    uint32_t scopes;
    const char *basis; /* client_consent | verbal_consent */
    int64_t days;
};
enum err dossier_grant_add(struct store_conn *c, struct audit_ctx *actx,
                           const struct principal *who, const char *pid,
                           const struct grant_input *in, struct verr *v, struct grant_row *out);
enum err dossier_grant_revoke(struct store_conn *c, struct audit_ctx *actx,
                              const struct principal *who, const char *pid, const char *grant_uid);

/* Access-log rows for the client in [from, to), newest first, at most 500. */
enum err dossier_access_log(struct store_conn *c, struct audit_ctx *actx,
                            const struct principal *who, const char *pid, int64_t from, int64_t to,
                            store_audit_fn fn, void *ctx);

#endif
