/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Signalling endpoints: instruments for the conversation UI, screenings, red flags and the
 * worklist. JSON in, screening module calls, JSON out; the consent check is in the module.
 */
#include "core/compat.h"

#include "api/api_int.h"
#include "core/clock.h"
#include "referral/referral.h"
#include "screening/screening.h"

static const char *lang_param(struct api_req *r)
{
    const char *lang = r->query ? r->query(r->query_ctx, "lang") : NULL;
    return (lang && strlen(lang) >= 2 && strlen(lang) <= 12) ? lang : "nl";
}

enum err api_instruments_list(struct api_req *r)
{
    const char *lang = lang_param(r);
    json_t *items = json_array();
    for (int i = 0; i < screen_registry_count(r->registry); i++) {
        json_array_append_new(items, screen_view_summary(screen_registry_at(r->registry, i), lang));
    }
    r->resp = json_pack("{s:o}", "items", items);
    return ERR_OK;
}

enum err api_instruments_get(struct api_req *r)
{
    const struct screen_instrument *in = screen_registry_find(r->registry, r->params[0], NULL);
    const char *lang = lang_param(r);
    if (!in) {
        return ERR_NOT_FOUND;
    }
    if (!screen_offers_language(in, lang)) {
        verr_add(&r->verr, "/query/lang", "the instrument is not available in this language");
        return ERR_BAD_REQUEST;
    }
    r->resp = api__instrument_view(r, in, lang);
    return ERR_OK;
}

enum err api_screenings_create(struct api_req *r)
{
    static const char *const allowed[] = {"instrument", "version", "language",
                                          "mode",       "answers", NULL};
    struct screen_submission sub;
    json_t *body = NULL;
    enum err rc = api__body_object(r, &body);

    if (rc) {
        return rc;
    }
    api__reject_unknown(body, allowed, &r->verr);
    sub.instrument = api__string(body, "instrument", 40, true, &r->verr);
    sub.version = api__string(body, "version", 16, true, &r->verr);
    sub.language = api__string(body, "language", 35, true, &r->verr);
    sub.mode = api__string(body, "mode", 16, true, &r->verr);
    sub.answers = json_object_get(body, "answers");
    if (!json_is_object(sub.answers)) {
        verr_add(&r->verr, "/answers", "must be an object of question id: answer");
    }
    rc = r->verr.n ? ERR_INVALID
                   : screen_submit(r->conn, &r->actx, &r->who, r->registry, r->params[0], &sub,
                                   &r->verr, &r->resp);
    if (!rc) {
        r->status = 201;
    }
    json_decref(body);
    return rc;
}

enum err api_screenings_list(struct api_req *r)
{
    return screen_list(r->conn, &r->actx, &r->who, r->params[0], &r->resp);
}

enum err api_screenings_get(struct api_req *r)
{
    return screen_get(r->conn, &r->actx, &r->who, r->params[0], r->params[1], &r->resp);
}

enum err api_flags_create(struct api_req *r)
{
    static const char *const allowed[] = {"protocol", "flag", "note", NULL};
    json_t *body = NULL;
    const char *protocol, *note, *flag;
    enum err rc = api__body_object(r, &body);

    if (rc) {
        return rc;
    }
    api__reject_unknown(body, allowed, &r->verr);
    protocol = api__string(body, "protocol", 16, true, &r->verr);
    flag = api__string(body, "flag", 40, false, &r->verr);
    note = api__string(body, "note", 1000, false, &r->verr);
    rc = r->verr.n ? ERR_INVALID
                   : screen_flag_raise(r->conn, &r->actx, &r->who, r->params[0], protocol, flag,
                                       note, &r->verr, &r->resp);
    if (!rc) {
        r->status = 201;
    }
    json_decref(body);
    return rc;
}

enum err api_flags_list(struct api_req *r)
{
    return screen_flag_list(r->conn, &r->actx, &r->who, r->params[0], &r->resp);
}

enum err api_flags_action(struct api_req *r)
{
    static const char *const allowed[] = {"action", "note", NULL};
    json_t *body = NULL;
    const char *action, *note;
    enum err rc = api__body_object(r, &body);

    if (rc) {
        return rc;
    }
    api__reject_unknown(body, allowed, &r->verr);
    action = api__string(body, "action", 32, true, &r->verr);
    note = api__string(body, "note", 1000, false, &r->verr);
    rc = r->verr.n ? ERR_INVALID
                   : screen_flag_action(r->conn, &r->actx, &r->who, r->params[0], action, note,
                                        &r->verr, &r->resp);
    if (!rc) {
        r->status = 201;
    }
    json_decref(body);
    return rc;
}

enum err api_flags_close(struct api_req *r)
{
    static const char *const allowed[] = {"reason", NULL};
    json_t *body = NULL;
    const char *reason;
    enum err rc = api__body_object(r, &body);

    if (rc) {
        return rc;
    }
    api__reject_unknown(body, allowed, &r->verr);
    reason = api__string(body, "reason", 1000, true, &r->verr);
    rc = r->verr.n ? ERR_INVALID
                   : screen_flag_close(r->conn, &r->actx, &r->who, r->params[0], reason, &r->verr,
                                       &r->resp);
    json_decref(body);
    return rc;
}

enum err api_worklist(struct api_req *r)
{
    enum err rc = screen_worklist(r->conn, &r->actx, &r->who, &r->resp);
    if (rc == ERR_FORBIDDEN && ref_worklist_role(r->who.role)) {
        r->resp = json_pack("{s:[]}", "items"); /* no red flags for this role: referrals only */
        rc = r->resp ? ERR_OK : ERR_NOMEM;
    }
    rc = rc ? rc : ref_worklist_add(r->conn, &r->actx, &r->who, clock_now_ms(), r->resp);
    rc = rc ? rc : api__moved_referrals_add(r); /* api_move.c */
    return rc ? rc : api__erasure_worklist_add(r);
}
