/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * FHIR R4 exports: an instrument as a Questionnaire, a stored screening as a
 * QuestionnaireResponse. The screening is read through the screening module (consent check and
 * audit there); this file only converts.
 */
#include "core/compat.h"

#include "api/api_int.h"
#include "core/clock.h"
#include "fhir/fhir.h"
#include "screening/screening.h"

enum err api_instruments_fhir(struct api_req *r)
{
    const struct screen_instrument *in = screen_registry_find(r->registry, r->params[0], NULL);
    if (!in) {
        return ERR_NOT_FOUND;
    }
    return fhir_questionnaire(in, &r->resp);
}

/* The stored answers (item id -> value) as scoring input. */
static enum err answers_of(const struct screen_instrument *in, json_t *stored,
                           struct screen_answers *a)
{
    const char *key;
    json_t *val;
    memset(a, 0, sizeof(*a));
    json_object_foreach(stored, key, val)
    {
        int i = screen_item_index(in, key);
        if (i < 0 || !json_is_integer(val)) {
            return ERR_CORRUPT;
        }
        a->given[i] = true;
        a->value[i] = json_integer_value(val);
    }
    return ERR_OK;
}

enum err api_screenings_fhir(struct api_req *r)
{
    return api__screening_fhir(r, r->params[0], r->params[1], &r->resp);
}

enum err api__screening_fhir(struct api_req *r, const char *pid, const char *sid, json_t **out)
{
    const struct screen_instrument *in;
    struct screen_answers a;
    json_t *s = NULL;
    int64_t authored = 0;
    enum err rc = screen_get(r->conn, &r->actx, &r->who, pid, sid, &s);

    if (rc) {
        return rc;
    }
    in = screen_registry_find(r->registry, json_string_value(json_object_get(s, "instrument")),
                              json_string_value(json_object_get(s, "version")));
    if (!in) {
        rc = ERR_NOT_FOUND; /* scored with a definition this server no longer offers */
    }
    rc = rc ? rc : answers_of(in, json_object_get(s, "answers"), &a);
    if (!rc) {
        const char *created = json_string_value(json_object_get(s, "created_at"));
        rc = (!created || clock_parse_iso(created, &authored)) ? ERR_CORRUPT : ERR_OK;
    }
    rc = rc ? rc
            : fhir_questionnaire_response(in, &a, sid, pid,
                                          json_string_value(json_object_get(s, "language")),
                                          authored, out);
    json_decref(s);
    /* the request was fine; what was stored does not convert */
    return rc == ERR_INVALID ? ERR_CORRUPT : rc;
}
