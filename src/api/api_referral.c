/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Referral endpoints (docs/API.md "Referrals"): create, transitions, the client's answer, the
 * inboxes and one referral, and a client's referral timeline. JSON in, referral module calls,
 * JSON out; the consent checks and the audit rows are in the module.
 */
#include "core/compat.h"

#include "api/api_int.h"
#include "core/clock.h"
#include "dossier/dossier.h"
#include "referral/referral.h"

static void ref_scopes(json_t *body, uint32_t *scopes, struct verr *v)
{
    json_t *arr = json_object_get(body, "scopes");
    json_t *item;
    size_t i;

    if (!arr) {
        return; /* referral alone */
    }
    if (!json_is_array(arr)) {
        verr_add(v, "/scopes", "must be a list of scopes");
        return;
    }
    json_array_foreach(arr, i, item)
    {
        uint32_t bit;
        if (!json_is_string(item) || consent_scope_parse(json_string_value(item), &bit)) {
            char ptr[40];
            snprintf(ptr, sizeof(ptr), "/scopes/%zu", i);
            verr_add(v, ptr, "unknown scope");
            continue;
        }
        *scopes |= bit;
    }
}

static bool ref_bool(json_t *obj, const char *key, bool dflt, const char *ptr, struct verr *v)
{
    json_t *val = json_object_get(obj, key);
    if (!val) {
        return dflt;
    }
    if (!json_is_boolean(val)) {
        verr_add(v, ptr, "must be true or false");
        return dflt;
    }
    return json_is_true(val);
}

/* {with, at, mode, interpreter} at `key` of body into ct; ptr is the member's pointer. */
static void ref_contact(json_t *body, const char *key, const char *ptr, struct ref_contact *ct,
                        struct verr *v)
{
    static const char *const allowed[] = {"with", "at", "mode", "interpreter", NULL};
    json_t *obj = json_object_get(body, key);
    const char *at;
    char p[48];

    memset(ct, 0, sizeof(*ct));
    if (!obj || json_is_null(obj)) {
        return;
    }
    if (!json_is_object(obj)) {
        verr_add(v, ptr, "must be an object {with, at, mode, interpreter}");
        return;
    }
    api__reject_unknown(obj, allowed, v);
    ct->set = true;
    ct->with = api__string(obj, "with", 200, false, v);
    ct->mode = api__string(obj, "mode", 16, true, v);
    snprintf(p, sizeof(p), "%s/interpreter", ptr);
    ct->interpreter = ref_bool(obj, "interpreter", false, p, v);
    at = api__string(obj, "at", 40, false, v);
    if (at && clock_parse_iso(at, &ct->at)) {
        snprintf(p, sizeof(p), "%s/at", ptr);
        verr_add(v, p, "must be an ISO date-time (2026-11-24T10:00:00Z)");
    }
}

/* {"basis": "verbal_consent", "days": 1..365} at /consent into *days (0 when absent). */
static void ref_consent(json_t *body, int64_t *days, struct verr *v)
{
    json_t *obj = json_object_get(body, "consent"), *basis, *d;

    *days = 0;
    if (!obj || json_is_null(obj)) {
        return;
    }
    if (!json_is_object(obj)) {
        verr_add(v, "/consent", "must be an object {basis, days}");
        return;
    }
    basis = json_object_get(obj, "basis");
    d = json_object_get(obj, "days");
    if (json_object_size(obj) != (size_t)(basis != NULL) + (d != NULL)) {
        verr_add(v, "/consent", "only basis and days are allowed");
    }
    if (!json_is_string(basis) || strcmp(json_string_value(basis), "verbal_consent")) {
        verr_add(v, "/consent/basis", "must be verbal_consent (the client agrees now)");
    }
    if (!json_is_integer(d) || json_integer_value(d) < 1 ||
        json_integer_value(d) > DOSSIER_GRANT_MAX_DAYS) {
        verr_add(v, "/consent/days", "must be a whole number from 1 to 365");
    } else {
        *days = json_integer_value(d);
    }
}

enum err api_referrals_create(struct api_req *r)
{
    static const char *const allowed[] = {"client_id",
                                          "service_id",
                                          "advice_id",
                                          "scopes",
                                          "handover_note",
                                          "interpreter",
                                          "interpreter_language",
                                          "joint_contact",
                                          "send",
                                          "replaces",
                                          "consent",
                                          NULL};
    struct ref_input in;
    json_t *body = NULL;
    enum err rc = api__body_object(r, &body);

    if (rc) {
        return rc;
    }
    memset(&in, 0, sizeof(in));
    api__reject_unknown(body, allowed, &r->verr);
    in.client_pid = api__string(body, "client_id", 64, true, &r->verr);
    in.service_id = api__string(body, "service_id", STORE_MAP_ID_MAX, true, &r->verr);
    in.advice_id = api__string(body, "advice_id", STORE_OBJECT_ID_MAX, false, &r->verr);
    in.handover_note = api__string(body, "handover_note", STORE_NOTE_MAX, false, &r->verr);
    in.interpreter_language = api__string(body, "interpreter_language", 35, false, &r->verr);
    in.interpreter = ref_bool(body, "interpreter", false, "/interpreter", &r->verr);
    in.send = ref_bool(body, "send", true, "/send", &r->verr);
    in.replaces = api__string(body, "replaces", STORE_UID_LEN, false, &r->verr);
    ref_scopes(body, &in.scopes, &r->verr);
    ref_contact(body, "joint_contact", "/joint_contact", &in.contact, &r->verr);
    ref_consent(body, &in.consent_days, &r->verr);
    rc = r->verr.n ? ERR_INVALID
                   : ref_create(r->conn, &r->actx, &r->who, &in, clock_now_ms(), &r->verr,
                                r->detail, sizeof(r->detail), &r->resp);
    if (!rc) {
        r->status = 201;
    }
    json_decref(body);
    return rc;
}

enum err api_referrals_transition(struct api_req *r)
{
    static const char *const allowed[] = {"to", "note", "reason", "weeks", "contact", NULL};
    struct ref_step st;
    json_t *body = NULL;
    enum err rc = api__body_object(r, &body);

    if (rc) {
        return rc;
    }
    memset(&st, 0, sizeof(st));
    api__reject_unknown(body, allowed, &r->verr);
    st.to = api__string(body, "to", 24, true, &r->verr);
    st.note = api__string(body, "note", STORE_NOTE_MAX, false, &r->verr);
    st.reason = api__string(body, "reason", 40, false, &r->verr);
    if (json_object_get(body, "weeks")) {
        api__integer(body, "weeks", &st.weeks, &r->verr);
    }
    ref_contact(body, "contact", "/contact", &st.contact, &r->verr);
    rc = r->verr.n ? ERR_INVALID
                   : ref_transition(r->conn, &r->actx, &r->who, r->params[0], &st, clock_now_ms(),
                                    &r->verr, r->detail, sizeof(r->detail), &r->resp);
    json_decref(body);
    return rc;
}

enum err api_referrals_answer(struct api_req *r)
{
    static const char *const allowed[] = {"went", "reason", NULL};
    json_t *body = NULL, *went;
    const char *reason;
    enum err rc = api__body_object(r, &body);

    if (rc) {
        return rc;
    }
    api__reject_unknown(body, allowed, &r->verr);
    went = json_object_get(body, "went");
    if (!json_is_boolean(went)) {
        verr_add(&r->verr, "/went", "must be true (I went) or false (I could not go)");
    }
    reason = api__string(body, "reason", STORE_NOTE_MAX, false, &r->verr);
    rc = r->verr.n ? ERR_INVALID
                   : ref_client_answer(r->conn, &r->actx, &r->who, r->params[0], json_is_true(went),
                                       reason, clock_now_ms(), &r->verr, r->detail,
                                       sizeof(r->detail), &r->resp);
    json_decref(body);
    return rc;
}

enum err api_referrals_list(struct api_req *r)
{
    const char *role = r->query ? r->query(r->query_ctx, "role") : NULL;
    const char *state = r->query ? r->query(r->query_ctx, "state") : NULL;

    if (!role || (strcmp(role, "sender") && strcmp(role, "receiver"))) {
        verr_add(&r->verr, "/query/role", "must be sender or receiver");
        return ERR_BAD_REQUEST;
    }
    if (state && !state[0]) {
        state = NULL;
    }
    return ref_list(r->conn, &r->actx, &r->who, !strcmp(role, "receiver"), state, clock_now_ms(),
                    &r->verr, &r->resp);
}

enum err api_referrals_get(struct api_req *r)
{
    return ref_get(r->conn, &r->actx, &r->who, r->params[0], clock_now_ms(), &r->resp);
}

enum err api_client_referrals(struct api_req *r)
{
    return ref_client_list(r->conn, &r->actx, &r->who, r->params[0], clock_now_ms(), &r->resp);
}
