/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The client's dossier as a FHIR R4 Bundle (type collection): a pseudonymous Patient,
 * Organizations named by our uid, Consents for grants, Task + ServiceRequest per referral and
 * AuditEvents for the access log (QuestionnaireResponses come from response.c). Pure JSON
 * building; mapping choices are in docs/dossier.md §4. References name the target by type and
 * id ("Patient/<pid>"), which a reader resolves inside the bundle.
 */
#include "core/compat.h"

#include "core/clock.h"
#include "directory/hsds.h"
#include "fhir/fhir_int.h"

#define BUNDLE_ID_MAX  64
#define BUNDLE_REF_MAX 100

#define SYS_CONSENT_SCOPE "http://terminology.hl7.org/CodeSystem/consentscope"
#define SYS_LOINC         "http://loinc.org"
#define SYS_ACT_CODE      "http://terminology.hl7.org/CodeSystem/v3-ActCode"
#define SYS_PART_TYPE     "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
#define SYS_AUDIT_TYPE    "http://terminology.hl7.org/CodeSystem/audit-event-type"
#define SYS_BCP47         "urn:ietf:bcp:47"
#define SYS_ACTION        "urn:veerkracht:audit-action"
#define SYS_ROLE          "urn:veerkracht:role"
#define SYS_REF_STATE     "urn:veerkracht:referral-state"
#define SYS_SERVICE       "urn:veerkracht:service"
#define SYS_ENTITY_TYPE   "http://terminology.hl7.org/CodeSystem/audit-entity-type"
#define SOURCE_OBSERVER   "Veerkracht"

/* A FHIR id: [A-Za-z0-9.-]{1,64}. */
static bool id_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > BUNDLE_ID_MAX) {
        return false;
    }
    return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-") == n;
}

static json_t *ref_to(const char *type, const char *id)
{
    char ref[BUNDLE_REF_MAX];
    snprintf(ref, sizeof(ref), "%s/%s", type, id);
    return json_pack("{s:s}", "reference", ref);
}

static const char *iso(int64_t ms, char *out, size_t size)
{
    return clock_fmt_iso(ms, out, size);
}

/* Steals r into *out, or fails with ERR_NOMEM when r is NULL. */
static enum err give(json_t *r, json_t **out)
{
    *out = r;
    return r ? ERR_OK : ERR_NOMEM;
}

enum err fhir_bundle_new(const char *id, int64_t now_ms, json_t **out)
{
    char ts[32];

    *out = NULL;
    if (!id_ok(id) || now_ms < 0) {
        return ERR_INVALID;
    }
    return give(json_pack("{s:s, s:s, s:s, s:s, s:[]}", "resourceType", "Bundle", "id", id, "type",
                          "collection", "timestamp", iso(now_ms, ts, sizeof(ts)), "entry"),
                out);
}

static bool bundle_has(json_t *entries, const char *full_url)
{
    size_t i;
    json_t *e;

    json_array_foreach(entries, i, e)
    {
        const char *u = json_string_value(json_object_get(e, "fullUrl"));
        if (u && !strcmp(u, full_url)) {
            return true;
        }
    }
    return false;
}

enum err fhir_bundle_add(json_t *bundle, json_t *resource)
{
    json_t *entries = json_object_get(bundle, "entry");
    const char *type = json_string_value(json_object_get(resource, "resourceType"));
    const char *id = json_string_value(json_object_get(resource, "id"));
    char url[BUNDLE_REF_MAX + 32];

    if (!json_is_array(entries) || !type || !id_ok(id)) {
        json_decref(resource);
        return resource ? ERR_INVALID : ERR_NOMEM;
    }
    snprintf(url, sizeof(url), "urn:veerkracht:%s/%s", type, id);
    if (bundle_has(entries, url)) {
        json_decref(resource);
        return ERR_OK;
    }
    return fhir__push(entries, json_pack("{s:s, s:o}", "fullUrl", url, "resource", resource));
}

enum err fhir_patient(const struct fhir_patient_in *in, json_t **out)
{
    static const char *const genders[] = {"female", "male", "other", "unknown"};
    char year[8];
    bool gender_ok = false;

    *out = NULL;
    for (size_t i = 0; in->gender && i < ARRAY_SIZE(genders); i++) {
        gender_ok = gender_ok || !strcmp(in->gender, genders[i]);
    }
    if (!id_ok(in->pid) || !gender_ok || in->year_of_birth < 1000 || in->year_of_birth > 9999 ||
        !in->language || !*in->language) {
        return ERR_INVALID;
    }
    snprintf(year, sizeof(year), "%04lld", (long long)in->year_of_birth);
    return give(json_pack("{s:s, s:s, s:[{s:s, s:s}], s:s, s:s, s:[{s:{s:[{s:s, s:s}]}, s:b}]}",
                          "resourceType", "Patient", "id", in->pid, "identifier", "system",
                          FHIR_SYSTEM_CLIENT, "value", in->pid, "gender", in->gender, "birthDate",
                          year, "communication", "language", "coding", "system", SYS_BCP47, "code",
                          in->language, "preferred", 1),
                out);
}

enum err fhir_organization(const char *uid, const char *name, json_t **out)
{
    *out = NULL;
    if (!id_ok(uid) || !name) {
        return ERR_INVALID;
    }
    return give(json_pack("{s:s, s:s, s:[{s:s, s:s}], s:s}", "resourceType", "Organization", "id",
                          uid, "identifier", "system", FHIR_SYSTEM_ORG, "value", uid, "name",
                          *name ? name : uid),
                out);
}

/* ---- Consent ---------------------------------------------------------------------------- */

static bool consent_status_ok(const char *s)
{
    return s && (!strcmp(s, "active") || !strcmp(s, "inactive") || !strcmp(s, "rejected") ||
                 !strcmp(s, "proposed"));
}

/* provision.code: one CodeableConcept per scope name. */
static json_t *scope_codes(const json_t *scopes)
{
    json_t *arr = json_array();
    json_t *s;
    size_t i;

    json_array_foreach(scopes, i, s)
    {
        if (!json_is_string(s) ||
            fhir__push(arr, json_pack("{s:[{s:s, s:s}]}", "coding", "system", FHIR_SYSTEM_SCOPE,
                                      "code", json_string_value(s)))) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

static json_t *provision(const struct fhir_consent_in *in)
{
    char start[32], end[32];
    json_t *codes = scope_codes(in->scopes);

    if (!codes) {
        return NULL;
    }
    return json_pack("{s:s, s:{s:s, s:s}, s:[{s:[{s:[{s:s, s:s}]}], s:o}], s:o}", "type", "permit",
                     "period", "start", iso(in->created_ms, start, sizeof(start)), "end",
                     iso(in->end_ms, end, sizeof(end)), "actor", "role", "coding", "system",
                     SYS_PART_TYPE, "code", "PRCP", "reference",
                     ref_to("Organization", in->org_uid), "code", codes);
}

enum err fhir_consent(const struct fhir_consent_in *in, json_t **out)
{
    char dt[32];

    *out = NULL;
    if (!id_ok(in->id) || !id_ok(in->pid) || !id_ok(in->org_uid) ||
        !consent_status_ok(in->status) || !json_is_array(in->scopes) || !in->basis ||
        in->created_ms < 0 || in->end_ms < 0) {
        return ERR_INVALID;
    }
    return give(
        json_pack("{s:s, s:s, s:s, s:{s:[{s:s, s:s}]}, s:[{s:[{s:s, s:s}]}], s:o, s:s, "
                  "s:{s:[{s:s, s:s}], s:s}, s:o}",
                  "resourceType", "Consent", "id", in->id, "status", in->status, "scope", "coding",
                  "system", SYS_CONSENT_SCOPE, "code", "patient-privacy", "category", "coding",
                  "system", SYS_LOINC, "code", "59284-0", "patient", ref_to("Patient", in->pid),
                  "dateTime", iso(in->created_ms, dt, sizeof(dt)), "policyRule", "coding", "system",
                  SYS_ACT_CODE, "code", "OPTIN", "text", in->basis, "provision", provision(in)),
        out);
}

/* ---- Task + ServiceRequest -------------------------------------------------------------- */

struct state_map {
    const char *ours;
    const char *task;
    const char *request;
};

/* Our referral states (docs/referrals.md) as Task.status and ServiceRequest.status. */
static const struct state_map state_maps[] = {
    {"draft", "draft", "draft"},
    {"sent", "requested", "active"},
    {"received", "received", "active"},
    {"accepted", "accepted", "active"},
    {"waitlisted", "on-hold", "on-hold"},
    {"declined", "rejected", "revoked"},
    {"first_contact_planned", "in-progress", "active"},
    {"first_contact_done", "in-progress", "active"},
    {"completed", "completed", "completed"},
    {"closed_unsuccessful", "failed", "revoked"},
    {"cancelled", "cancelled", "revoked"},
};

static const struct state_map *state_map_of(const char *state)
{
    for (size_t i = 0; state && i < ARRAY_SIZE(state_maps); i++) {
        if (!strcmp(state_maps[i].ours, state)) {
            return &state_maps[i];
        }
    }
    return NULL;
}

static const char *jstr(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/* Our ISO time string member as it is (it is already an R4 dateTime), or NULL. */
static const char *jtime(const json_t *obj, const char *key)
{
    int64_t ms;
    const char *s = jstr(obj, key);
    return s && !clock_parse_iso(s, &ms) ? s : NULL;
}

struct ref_parts {
    const char *id, *pid, *state, *level, *from, *to, *service_id, *service_name, *created;
    const char *replaces; /* the referral this one follows up, or NULL */
    const struct state_map *map;
};

static bool ref_parts_of(const json_t *ref, struct ref_parts *p)
{
    const json_t *svc = json_object_get(ref, "service");
    p->id = jstr(ref, "id");
    p->pid = jstr(ref, "client_id");
    p->state = jstr(ref, "state");
    p->level = jstr(ref, "level");
    p->from = jstr(json_object_get(ref, "from"), "id");
    p->to = jstr(json_object_get(ref, "to"), "id");
    p->service_id = jstr(svc, "id");
    p->service_name = jstr(svc, "name");
    p->created = jtime(ref, "created_at");
    p->replaces = jstr(ref, "replaces");
    p->map = state_map_of(p->state);
    return id_ok(p->id) && id_ok(p->pid) && p->map && p->level && id_ok(p->from) && id_ok(p->to) &&
           p->service_id && p->created;
}

static json_t *task_of(const struct ref_parts *p)
{
    return json_pack("{s:s, s:s, s:s, s:{s:[{s:s, s:s}], s:s}, s:s, s:o, s:o, s:s, s:s, s:o, s:o}",
                     "resourceType", "Task", "id", p->id, "status", p->map->task, "businessStatus",
                     "coding", "system", SYS_REF_STATE, "code", p->state, "text", p->state,
                     "intent", "order", "focus", ref_to("ServiceRequest", p->id), "for",
                     ref_to("Patient", p->pid), "authoredOn", p->created, "lastModified",
                     p->created, "requester", ref_to("Organization", p->from), "owner",
                     ref_to("Organization", p->to));
}

static json_t *request_of(const struct ref_parts *p, const char *note)
{
    char level[48];
    json_t *sr;

    snprintf(level, sizeof(level), "care_level.%s", p->level);
    sr = json_pack("{s:s, s:s, s:s, s:s, s:{s:[{s:s, s:s}], s:s}, s:o, s:s, s:o, s:[o], "
                   "s:[{s:[{s:s, s:s}]}]}",
                   "resourceType", "ServiceRequest", "id", p->id, "status", p->map->request,
                   "intent", "order", "code", "coding", "system", SYS_SERVICE, "code",
                   p->service_id, "text", p->service_name ? p->service_name : p->service_id,
                   "subject", ref_to("Patient", p->pid), "authoredOn", p->created, "requester",
                   ref_to("Organization", p->from), "performer", ref_to("Organization", p->to),
                   "reasonCode", "coding", "system", HSDS_TAXONOMY_URI, "code", level);
    if (sr && note && *note &&
        fhir__put(sr, "note", json_pack("[{s:s}]", "text", note)) != ERR_OK) {
        json_decref(sr);
        return NULL;
    }
    /* a re-referral (docs/referrals.md §6): the ServiceRequest it follows up */
    if (sr && id_ok(p->replaces) &&
        fhir__put(sr, "replaces", json_pack("[o]", ref_to("ServiceRequest", p->replaces))) !=
            ERR_OK) {
        json_decref(sr);
        return NULL;
    }
    return sr;
}

enum err fhir_referral(const json_t *referral, bool with_note, json_t **task, json_t **request)
{
    struct ref_parts p;

    *task = NULL;
    *request = NULL;
    if (!ref_parts_of(referral, &p)) {
        return ERR_INVALID;
    }
    *task = task_of(&p);
    *request = request_of(&p, with_note ? jstr(referral, "handover_note") : NULL);
    if (!*task || !*request) {
        json_decref(*task);
        json_decref(*request);
        *task = NULL;
        *request = NULL;
        return ERR_NOMEM;
    }
    return ERR_OK;
}

/* ---- AuditEvent ------------------------------------------------------------------------- */

/* FHIR AuditEvent.action for one of our audit actions. */
static const char *audit_action(const char *a)
{
    static const struct {
        const char *ours, *fhir;
    } map[] = {
        {"read", "R"},         {"list", "R"},          {"export", "R"}, {"create", "C"},
        {"grant_add", "C"},    {"card_issue", "C"},    {"update", "U"}, {"transition", "U"},
        {"grant_revoke", "U"}, {"client_answer", "U"}, {"delete", "D"}, {"erase", "D"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(map); i++) {
        if (!strcmp(map[i].ours, a)) {
            return map[i].fhir;
        }
    }
    return "E";
}

static json_t *audit_agent(const struct fhir_audit_in *in)
{
    json_t *agent = json_pack("{s:[{s:[{s:s, s:s}], s:s}], s:b}", "role", "coding", "system",
                              SYS_ROLE, "code", in->role[0] ? in->role : "system", "text",
                              in->role[0] ? in->role : "system", "requestor", 1);
    if (agent && in->org_uid[0] && fhir__put(agent, "who", ref_to("Organization", in->org_uid))) {
        json_decref(agent);
        return NULL;
    }
    return agent;
}

enum err fhir_audit_event(const struct fhir_audit_in *in, json_t **out)
{
    char id[40], at[32];

    *out = NULL;
    if (in->id <= 0 || in->at_ms < 0 || !id_ok(in->pid) || !in->role || !in->org_uid ||
        (in->org_uid[0] && !id_ok(in->org_uid)) || !in->action || !in->object_type ||
        !in->outcome) {
        return ERR_INVALID;
    }
    snprintf(id, sizeof(id), "audit-%lld", (long long)in->id);
    return give(json_pack("{s:s, s:s, s:{s:s, s:s}, s:[{s:s, s:s}], s:s, s:s, s:s, s:[o], "
                          "s:{s:{s:s}}, s:[{s:o, s:{s:s, s:s}, s:s}]}",
                          "resourceType", "AuditEvent", "id", id, "type", "system", SYS_AUDIT_TYPE,
                          "code", "rest", "subtype", "system", SYS_ACTION, "code", in->action,
                          "action", audit_action(in->action), "recorded",
                          iso(in->at_ms, at, sizeof(at)), "outcome",
                          !strcmp(in->outcome, "success") ? "0" : "4", "agent", audit_agent(in),
                          "source", "observer", "display", SOURCE_OBSERVER, "entity", "what",
                          ref_to("Patient", in->pid), "type", "system", SYS_ENTITY_TYPE, "code",
                          "1", "description", in->object_type),
                out);
}
