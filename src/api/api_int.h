/* SPDX-License-Identifier: EUPL-1.2 */
/* Declarations shared by the files of the api module: handlers and JSON helpers. */
#ifndef VK_API_INT_H
#define VK_API_INT_H

#include "api/api.h"

typedef enum err (*api_handler)(struct api_req *r);

/* AUTH_PUBLIC_MAP: no session needed while the setting map_public is on, else AUTH_SESSION. */
enum api_auth { AUTH_NONE = 1, AUTH_SESSION, AUTH_PUBLIC_MAP };
/* TX_READ: one read transaction (BEGIN DEFERRED), so reads never queue for the write lock. */
enum api_tx { TX_NONE = 1, TX_WRITE, TX_READ };

/* Parses the request body as a JSON object within the caps (415, 400 with pointer). */
enum err api__body_object(struct api_req *r, json_t **out);
/* The same with another cap on string length (the default is 4096 bytes). */
enum err api__body_object_cap(struct api_req *r, size_t string_max, json_t **out);
/* Adds an error for every member of obj not in the NULL-terminated list. */
void api__reject_unknown(json_t *obj, const char *const *allowed, struct verr *v);
/* Optional/required string member, 1..max bytes when present; NULL when absent. Borrowed. */
const char *api__string(json_t *obj, const char *key, size_t max, bool required, struct verr *v);
/* Required integer member; *out untouched when absent or not an integer. */
void api__integer(json_t *obj, const char *key, int64_t *out, struct verr *v);
/* Login policy derived from the configuration. */
void api__login_policy(const struct config *cfg, struct login_policy *p);
/* ISO string for ms, into the request arena. */
const char *api__iso(struct api_req *r, int64_t ms);
/* A JSON array of scope names for a scope bit set. */
json_t *api__scopes_json(uint32_t scopes);

/* USER of docs/API.md for who (owned). */
json_t *api__user_json(struct api_req *r, const struct principal *who);
/* The session cookie with this token; "" clears it. */
void api__set_session_cookie(struct api_req *r, const char *token);
/* Adds "dossiers" (own and held: {id, relation, year_of_birth, active}) and "active_dossier"
 * to obj, for a client account. */
enum err api__dossiers_add(struct api_req *r, json_t *obj);

/* handlers */
enum err api_session_create(struct api_req *r);
enum err api_session_delete(struct api_req *r);
enum err api_me(struct api_req *r);
enum err api_clients_create(struct api_req *r);
enum err api_clients_list(struct api_req *r);
enum err api_clients_get(struct api_req *r);
enum err api_grants_list(struct api_req *r);
enum err api_grants_create(struct api_req *r);
enum err api_grants_delete(struct api_req *r);
enum err api_grants_accept(struct api_req *r);
enum err api_grants_change(struct api_req *r);
enum err api_access_log(struct api_req *r);
enum err api_orgs_list(struct api_req *r);
enum err api_instruments_list(struct api_req *r);
enum err api_instruments_get(struct api_req *r);
enum err api_screenings_create(struct api_req *r);
enum err api_screenings_list(struct api_req *r);
enum err api_screenings_get(struct api_req *r);
enum err api_flags_create(struct api_req *r);
enum err api_flags_list(struct api_req *r);
enum err api_flags_action(struct api_req *r);
enum err api_flags_close(struct api_req *r);
enum err api_worklist(struct api_req *r);
enum err api_instruments_fhir(struct api_req *r);
enum err api_instruments_audio(struct api_req *r);
struct screen_instrument;
/* The localised instrument with read-aloud links where audio exists or can be made. Owned. */
json_t *api__instrument_view(struct api_req *r, const struct screen_instrument *in,
                             const char *lang);
enum err api_screenings_fhir(struct api_req *r);
/* One stored screening of client pid as a QuestionnaireResponse into *out (owned), read through
 * screen_get() (access check and audit there). */
enum err api__screening_fhir(struct api_req *r, const char *pid, const char *sid, json_t **out);
/* the client's dossier as a FHIR Bundle (api_export.c) */
enum err api_client_export(struct api_req *r);
/* transfer packages between installations (api_transfer.c) */
enum err api_transfer_create(struct api_req *r);
enum err api_transfer_file(struct api_req *r);
enum err api_transfer_import(struct api_req *r);
enum err api_transfer_history(struct api_req *r);
/* social map, coordinator editing (api_map_edit.c) */
enum err api_map_service_edit(struct api_req *r);
enum err api_map_service_update(struct api_req *r);
enum err api_map_service_create(struct api_req *r);
enum err api_map_orgs(struct api_req *r);
/* the social map, read side (api_map.c) */
enum err api_map_search(struct api_req *r);
enum err api_map_service(struct api_req *r);
enum err api_map_service_hsds(struct api_req *r);
enum err api_map_service_fhir(struct api_req *r);
enum err api_map_areas(struct api_req *r);
enum err api_map_chain(struct api_req *r);
enum err api_map_taxonomy(struct api_req *r);
/* client login cards and held dossiers (api_card.c) */
enum err api_card_login(struct api_req *r);
enum err api_session_dossier(struct api_req *r);
enum err api_card_create(struct api_req *r);
enum err api_card_get(struct api_req *r);
enum err api_holders_create(struct api_req *r);
/* referrals (api_referral.c) */
enum err api_referrals_create(struct api_req *r);
enum err api_referrals_list(struct api_req *r);
enum err api_referrals_get(struct api_req *r);
enum err api_referrals_transition(struct api_req *r);
enum err api_referrals_answer(struct api_req *r);
enum err api_client_referrals(struct api_req *r);
/* the route map (api_route.c) */
enum err api_route_create(struct api_req *r);
enum err api_route_get(struct api_req *r);
enum err api_routing_rules(struct api_req *r);
/* read aloud (api_speech.c) */
enum err api_speech(struct api_req *r);
enum err api_speech_voices(struct api_req *r);

/* erasure (api_erase.c) */
enum err api_erasure_create(struct api_req *r);
enum err api_erasure_delete(struct api_req *r);
enum err api_erasure_get(struct api_req *r);
enum err api_erasure_confirm(struct api_req *r);
/* Adds "erasure_requests" to the worklist response for roles that may confirm an erasure. */
enum err api__erasure_worklist_add(struct api_req *r);
/* a client moves; several grants in one step (api_move.c) */
enum err api_client_move(struct api_req *r);
enum err api_client_moves(struct api_req *r);
enum err api_grants_request_many(struct api_req *r);
enum err api_grants_accept_many(struct api_req *r);
/* Adds "moved_referrals" to the worklist in r->resp (coordinator only). */
enum err api__moved_referrals_add(struct api_req *r);
/* GRANT and REQUEST of docs/API.md (api_clients.c). Owned. */
struct grant_row;
struct grant_request_row;
/*
 * This installation's origin as a phone or another installation should see it: the
 * public_origin setting, else scheme and Host of the request (ERR_BAD_REQUEST for a Host that is
 * not a plain host[:port]). Used for the login card's URL and a transfer package's sender.
 */
enum err api__origin(const struct api_req *r, char *out, size_t size);
json_t *api__grant_json(struct api_req *r, const struct grant_row *g);
json_t *api__request_json(struct api_req *r, const struct grant_request_row *q);

#endif
