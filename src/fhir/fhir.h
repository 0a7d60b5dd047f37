/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * HL7 FHIR R4 exports of signalling instruments: a definition as a Questionnaire, one completed
 * screening as a QuestionnaireResponse. Pure JSON building from the parsed instrument and its
 * document (texts); no storage, no HTTP. Only the pseudonymous client id ever appears, never a
 * name. The mapping choices are described at the top of questionnaire.c and response.c.
 */
#ifndef VK_FHIR_H
#define VK_FHIR_H

#include <jansson.h>

#include "core/compat.h"
#include "core/err.h"
#include "screening/screening.h"

/*
 * The canonical URL of an instrument is FHIR_URN_PREFIX + id; the code system of one of its
 * response sets adds ":set:" + the set id.
 */
#define FHIR_URN_PREFIX "urn:veerkracht:instrument:"

/*
 * The instrument as a FHIR R4 Questionnaire. *out is owned by the caller (json_decref) on ERR_OK
 * and NULL otherwise. inst and its document are borrowed for the call. ERR_INVALID when the
 * document lacks a text the export needs (a definition that passed screen_parse never does),
 * ERR_NOMEM when jansson cannot allocate, ERR_TOO_LARGE for a description over 64 KiB.
 */
enum err fhir_questionnaire(const struct screen_instrument *inst, json_t **out);

/*
 * One completed screening as a FHIR R4 QuestionnaireResponse: items mirror the Questionnaire's
 * groups, and only answered items appear. lang is the language the client answered in (its texts
 * ride along as translations of the Dutch ones); authored_ms is the completion time. *out is owned
 * by the caller on ERR_OK and NULL otherwise; every argument is borrowed. ERR_INVALID when
 * screening_id or client_pid is not a FHIR id ([A-Za-z0-9.-]{1,64}), lang is not offered by the
 * instrument, authored_ms is negative, or an answer is not a value of its item's response set or
 * answers a question its show_if hides; ERR_NOMEM as above.
 */
enum err fhir_questionnaire_response(const struct screen_instrument *inst,
                                     const struct screen_answers *a, const char *screening_id,
                                     const char *client_pid, const char *lang, int64_t authored_ms,
                                     json_t **out);

/*
 * A social-map service (nested HSDS 3.0 JSON as dir_service_get() gives it, with its
 * organization and locations) as a FHIR R4 HealthcareService (docs/social-map.md §5). Codes of
 * the Veerkracht PSH taxonomy use its URI as system; locations and service areas are contained
 * Location resources. *out is owned by the caller on ERR_OK and NULL otherwise. ERR_INVALID when
 * the service has no name or its id is not a FHIR id; ERR_NOMEM. Looks terms up in
 * directory/hsds.h.
 */
enum err fhir_healthcare_service(const json_t *service, json_t **out);

/* ---- the client's dossier as a Bundle (bundle.c) ------------------------------------------- */
/*
 * Builders for GET /api/v1/clients/{id}/export (docs/dossier.md §4). Each returns an owned
 * resource in *out (NULL on failure); every argument is borrowed. They only convert: access
 * checks, filtering by scope and auditing are the caller's. Ids must be FHIR ids
 * ([A-Za-z0-9.-]{1,64}), times are ms since the epoch: ERR_INVALID otherwise, ERR_NOMEM.
 */
#define FHIR_SYSTEM_ORG    "urn:veerkracht:organization"
#define FHIR_SYSTEM_CLIENT "urn:veerkracht:client"
#define FHIR_SYSTEM_SCOPE  "urn:veerkracht:scope"

/* An empty Bundle of type collection, with id and timestamp. */
enum err fhir_bundle_new(const char *id, int64_t now_ms, json_t **out);
/*
 * Appends resource (stolen, also on failure) as an entry with fullUrl
 * "urn:veerkracht:<resourceType>/<id>". A resource whose type and id are already in the bundle
 * is dropped (ERR_OK), so an organisation met twice appears once.
 */
enum err fhir_bundle_add(json_t *bundle, json_t *resource);

/* The client as a pseudonymous Patient: the pid as id and identifier, gender, the birth year
 * as birthDate "YYYY", language as preferred communication. Nothing else. */
struct fhir_patient_in {
    const char *pid;
    const char *gender; /* female | male | other | unknown */
    int64_t year_of_birth;
    const char *language; /* BCP 47 */
};
enum err fhir_patient(const struct fhir_patient_in *in, json_t **out);

/* An organisation: our uid as id and identifier (FHIR_SYSTEM_ORG), its name. */
enum err fhir_organization(const char *uid, const char *name, json_t **out);

/* A consent grant as a Consent (scope patient-privacy, provision permit for the organisation). */
struct fhir_consent_in {
    const char *id;       /* grant uid */
    const char *pid;      /* the client */
    const char *status;   /* active | inactive | rejected | proposed */
    const char *org_uid;  /* the organisation the grant is for */
    const json_t *scopes; /* array of scope names: provision.code */
    const char *basis;    /* client_consent, verbal_consent, registered_in_person, … */
    int64_t created_ms;
    int64_t end_ms; /* expiry, or the revocation when earlier */
};
enum err fhir_consent(const struct fhir_consent_in *in, json_t **out);

/*
 * A referral (the JSON object of docs/referrals.md as ref_get() gives it) as a Task that tracks
 * it (status mapped from our state, which is also the businessStatus) and the ServiceRequest
 * it is about (performer the receiving organisation, reasonCode the care level).
 * with_note: the handover note goes into ServiceRequest.note when the object holds one.
 */
enum err fhir_referral(const json_t *referral, bool with_note, json_t **task, json_t **request);

/* One access-log row as an AuditEvent: agent the organisation with the role, entity the
 * client, action C/R/U/D (E for other actions), outcome 0 or 4. */
struct fhir_audit_in {
    int64_t id; /* the audit row id; the resource id is "audit-<id>" */
    int64_t at_ms;
    const char *pid;
    const char *org_uid; /* "" when none (a seed or a system step) */
    const char *role;
    const char *action;      /* our action: read, list, create, export, grant_add, … */
    const char *object_type; /* screening, grant, referral, … */
    const char *outcome;     /* success | failure | denied */
};
enum err fhir_audit_event(const struct fhir_audit_in *in, json_t **out);

#endif
