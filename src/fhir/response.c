/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * fhir_questionnaire_response(): one completed screening as a FHIR R4 QuestionnaireResponse.
 * Items mirror the Questionnaire's groups and linkIds; only answered items appear, and a group
 * only when one of its items was answered. Texts and option displays are the Dutch ones of the
 * Questionnaire, with the language the client answered in as a translation. The subject is the
 * pseudonymous client id; nothing else about the client is exported.
 */
#include "core/compat.h"

#include "core/clock.h"
#include "fhir/fhir_int.h"

#define FHIR_ID_MAX 64

/* A FHIR id: [A-Za-z0-9.-]{1,64}. */
static bool fhir_id_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > FHIR_ID_MAX) {
        return false;
    }
    return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-") == n;
}

/* Every answer is a value of its set and answers a question that is asked. */
static bool answers_ok(const struct screen_instrument *in, const struct screen_answers *a)
{
    for (int i = 0; i < in->n_items; i++) {
        if (a->given[i] && (!screen_value_ok(in, i, a->value[i]) || !screen_item_shown(in, a, i))) {
            return false;
        }
    }
    return true;
}

static bool section_answered(const struct screen_instrument *in, const struct screen_answers *a,
                             int s)
{
    for (int i = 0; i < in->n_items; i++) {
        if (a->given[i] && in->items[i].section == s) {
            return true;
        }
    }
    return false;
}

static json_t *answer(const struct screen_instrument *in, int i, int64_t value, const char *lang)
{
    int set = in->items[i].set;

    if (in->sets[set].type == SSET_SCALE) {
        return json_pack("[{s:I}]", "valueInteger", (json_int_t)value);
    }
    return json_pack("[{s:o}]", "valueCoding", fhir__coding(in, set, value, true, lang));
}

static json_t *response_item(const struct screen_instrument *in, const struct screen_answers *a,
                             int i, const char *lang)
{
    json_t *text = json_object_get(fhir__doc_at(in, "items", i), "text");
    json_t *it = json_pack("{s:s}", "linkId", in->items[i].id);

    if (!it || fhir__set_text(it, "text", text, lang) ||
        fhir__put(it, "answer", answer(in, i, a->value[i], lang))) {
        json_decref(it);
        return NULL;
    }
    return it;
}

static json_t *response_group(const struct screen_instrument *in, const struct screen_answers *a,
                              int s, const char *lang)
{
    json_t *title = json_object_get(fhir__doc_at(in, "sections", s), "title");
    json_t *items = json_array();
    char link[FHIR_URL_MAX];
    json_t *g;

    for (int i = 0; i < in->n_items; i++) {
        if (a->given[i] && in->items[i].section == s &&
            fhir__push(items, response_item(in, a, i, lang))) {
            json_decref(items);
            return NULL;
        }
    }
    fhir__section_link(in, s, link, sizeof(link));
    g = json_pack("{s:s}", "linkId", link);
    if (!g || fhir__set_text(g, "text", title, lang)) {
        json_decref(items);
        json_decref(g);
        return NULL;
    }
    if (fhir__put(g, "item", items)) {
        json_decref(g);
        return NULL;
    }
    return g;
}

/* The answered groups; sets q["item"] only when there is one. */
static enum err set_items(const struct screen_instrument *in, const struct screen_answers *a,
                          const char *lang, json_t *q)
{
    json_t *arr = json_array();

    for (int s = 0; s < in->n_sections; s++) {
        if (section_answered(in, a, s) && fhir__push(arr, response_group(in, a, s, lang))) {
            json_decref(arr);
            return ERR_NOMEM;
        }
    }
    if (json_array_size(arr) == 0) {
        json_decref(arr);
        return arr ? ERR_OK : ERR_NOMEM;
    }
    return fhir__put(q, "item", arr);
}

static json_t *header(const struct screen_instrument *in, const char *screening_id,
                      const char *client_pid, const char *lang, int64_t authored_ms)
{
    char canonical[FHIR_URL_MAX], subject[FHIR_ID_MAX + 16], authored[32];

    snprintf(canonical, sizeof(canonical), "%s%s|%s", FHIR_URN_PREFIX, in->id, in->version);
    snprintf(subject, sizeof(subject), "Patient/%s", client_pid);
    clock_fmt_iso(authored_ms, authored, sizeof(authored));
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s}, s:s}", "resourceType",
                     "QuestionnaireResponse", "id", screening_id, "language", lang, "questionnaire",
                     canonical, "status", "completed", "subject", "reference", subject, "authored",
                     authored);
}

enum err fhir_questionnaire_response(const struct screen_instrument *inst,
                                     const struct screen_answers *a, const char *screening_id,
                                     const char *client_pid, const char *lang, int64_t authored_ms,
                                     json_t **out)
{
    json_t *langs = json_object_get(inst->doc, "languages");
    json_t *qr = NULL;
    enum err rc = ERR_INVALID;

    *out = NULL;
    if (!fhir_id_ok(screening_id) || !fhir_id_ok(client_pid) || !lang ||
        !json_object_get(langs, lang) || authored_ms < 0 || !answers_ok(inst, a)) {
        goto fail;
    }
    qr = header(inst, screening_id, client_pid, lang, authored_ms);
    rc = qr ? set_items(inst, a, lang, qr) : ERR_NOMEM;
    if (rc) {
        goto fail;
    }
    *out = qr;
    return ERR_OK;
fail:
    json_decref(qr);
    return rc;
}
