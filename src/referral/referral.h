/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Referrals that close the loop (docs/referrals.md). A referral links a client, the sending user
 * and organisation, a service of the social map and the account organisation that handles it,
 * the advice it came from, the scopes shared and a handover note. Its life cycle is a pure,
 * table-driven state machine (machine.c) with an overdue computation on an injected clock;
 * referral.c stores it behind the dossier's consent check and audits every step in the
 * caller's write transaction.
 *
 * Ownership: every json_t returned through an `out` parameter is a new reference owned by the
 * caller; strings in inputs are borrowed for the call.
 */
#ifndef VK_REFERRAL_H
#define VK_REFERRAL_H

#include <jansson.h>

#include "accounts/accounts.h"
#include "audit/audit.h"
#include "core/compat.h"
#include "core/verr.h"
#include "storage/store.h"

/* ---- the state machine (machine.c, pure) ---------------------------------------------------- */
enum ref_state {
    REF_DRAFT,
    REF_SENT,
    REF_RECEIVED,
    REF_ACCEPTED,
    REF_WAITLISTED,
    REF_DECLINED,
    REF_FC_PLANNED, /* first_contact_planned */
    REF_FC_DONE,    /* first_contact_done */
    REF_COMPLETED,
    REF_CLOSED_UNSUCCESSFUL,
    REF_CANCELLED,
    REF__COUNT
};

/* Who may make a transition: bits of the caller's side of the referral. */
enum ref_side {
    REF_SIDE_SENDER = 1u << 0,   /* a user of the sending organisation */
    REF_SIDE_RECEIVER = 1u << 1, /* a user of the receiving organisation */
};

enum ref_level { REF_L0, REF_L1, REF_L2, REF_L3, REF_CRISIS, REF_LEVEL_COUNT };

/* Static name ("first_contact_planned"); "" for an out-of-range value. */
const char *ref_state_name(enum ref_state s);
/* ERR_INVALID for an unknown name. */
enum err ref_state_parse(const char *name, enum ref_state *out);
const char *ref_level_name(enum ref_level l);
enum err ref_level_parse(const char *name, enum ref_level *out);
/* False for the end states (declined, completed, closed_unsuccessful, cancelled). */
bool ref_state_open(enum ref_state s);

/* The sides that may move a referral from `from` to `to`; 0 when the transition is illegal. */
unsigned ref_transition_sides(enum ref_state from, enum ref_state to);
/* The states `sides` may move to from `from`, as "a, b, c" ("none" when there are none). */
void ref_allowed_text(enum ref_state from, unsigned sides, char *out, size_t size);
/* Whether `to` needs a reason code (declined, closed_unsuccessful) or an outcome (completed). */
bool ref_needs_reason(enum ref_state to);
/* Whether `code` is a valid reason / outcome for a transition to `to`. */
bool ref_reason_ok(enum ref_state to, const char *code);
/* The valid codes for `to` as "a, b, c" ("" when `to` takes none). */
void ref_reasons_text(enum ref_state to, char *out, size_t size);

/* t plus n working days (Monday to Friday, weekdays in UTC, no holidays); same time of day. */
int64_t ref_add_working_days(int64_t t, int n);

#define REF_RECEIVE_WORKING_DAYS 2

enum ref_overdue_why { REF_ON_TIME, REF_NOT_RECEIVED, REF_NO_FIRST_CONTACT };
struct ref_overdue {
    enum ref_overdue_why why; /* REF_ON_TIME when not overdue */
    int64_t due_at;           /* next deadline (0 when none applies: draft or closed) */
};
/*
 * Overdue at `now` for a referral in state s of level l sent at sent_at: not received within 2
 * working days, or no first contact within target_days[l] calendar days (0 days: the end of the
 * sending day, UTC). Pure.
 */
void ref_overdue_compute(enum ref_state s, enum ref_level l, int64_t sent_at,
                         const int target_days[REF_LEVEL_COUNT], int64_t now,
                         struct ref_overdue *out);
const char *ref_overdue_name(enum ref_overdue_why w);

/* ---- storage-backed operations (referral.c) ------------------------------------------------ */
#define REF_WEEKS_MAX 104

struct ref_contact {
    bool set;
    const char *with; /* who takes part, e.g. "verwijzer, cliënt, POH-GGZ" (≤ 200) */
    int64_t at;       /* planned moment, ms; 0 when not yet known */
    const char *mode; /* in_person | phone */
    bool interpreter;
};

struct ref_input {
    const char *client_pid;
    const char *service_id; /* HSDS id of the receiving service */
    const char *advice_id;  /* optional */
    uint32_t scopes;        /* shared; referral is always added */
    const char *handover_note;
    bool interpreter;
    const char *interpreter_language; /* optional */
    struct ref_contact contact;
    bool send; /* true: created as sent, else as draft */
    /* optional: the id of a referral of the same client this one follows up (re-referral) */
    const char *replaces;
    /* optional: the client's verbal consent, given now, for this many days (1..365; 0: none).
     * Recorded as a grant to the receiving organisation for exactly the shared scopes, in the
     * same transaction as the referral, so a refused referral leaves no grant behind. */
    int64_t consent_days;
};

struct ref_step {
    const char *to;
    const char *note;           /* optional, ≤ 1000 */
    const char *reason;         /* declined / closed_unsuccessful reason, completed outcome */
    int64_t weeks;              /* waitlisted: expected weeks (1..104) */
    struct ref_contact contact; /* first_contact_planned */
};

/*
 * Creates a referral. Needs the sender's access with scope referral, a service whose
 * organisation is mapped to an account organisation (map_org_accounts), and an active grant of
 * the client for that organisation covering the shared scopes: else ERR_CONFLICT with `why`
 * saying what is missing, and nothing written. ERR_INVALID with v filled for bad input.
 * With in->replaces, the old referral (same client, the caller's organisation party to it,
 * declined / closed_unsuccessful / cancelled or needs_new_offer, not yet followed up; else
 * ERR_INVALID at /replaces) is linked, its needs_new_offer cleared and a followed_up event added.
 * With in->consent_days, the verbal-consent grant is recorded (dossier_grant_add: same checks and
 * audit row as POST .../grants; its errors at /consent/...) before the consent check.
 */
enum err ref_create(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                    const struct ref_input *in, int64_t now, struct verr *v, char *why,
                    size_t why_size, json_t **out);
/* Moves a referral; ERR_CONFLICT with the allowed states in `why` for an illegal step. */
enum err ref_transition(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                        const char *uid, const struct ref_step *step, int64_t now, struct verr *v,
                        char *why, size_t why_size, json_t **out);
/* The client's own answer: went, or could not go with a reason (sets needs_new_offer). */
enum err ref_client_answer(struct store_conn *c, struct audit_ctx *actx,
                           const struct principal *who, const char *uid, bool went,
                           const char *reason, int64_t now, struct verr *v, char *why,
                           size_t why_size, json_t **out);
enum err ref_get(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                 const char *uid, int64_t now, json_t **out);
/* The inbox: referrals sent by (receiver false) or addressed to the caller's organisation,
 * optionally in one state, newest first (at most 500). {"items": [...]} */
enum err ref_list(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                  bool receiver, const char *state, int64_t now, struct verr *v, json_t **out);
/* A client's referrals with their transitions (the timeline), those the caller is party to. */
enum err ref_client_list(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                         const char *pid, int64_t now, json_t **out);
/* Adds "referrals": overdue referrals sent by the caller's organisation or, for a coordinator,
 * sent or received in their region, to the worklist object `obj` (facts only, no notes). */
enum err ref_worklist_add(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                          int64_t now, json_t *obj);
/* Whether a role has a referral worklist at all. */
bool ref_worklist_role(enum role r);

#endif
