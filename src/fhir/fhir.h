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

#endif
