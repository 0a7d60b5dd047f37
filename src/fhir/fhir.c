/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Helpers shared by the Questionnaire and QuestionnaireResponse builders: Dutch texts with the
 * standard FHIR translation extension for the other languages, and the Coding of an answer value.
 * Every builder returns an owned json_t or NULL; jansson's json_pack drops its "o" arguments on
 * failure, so a NULL child fails its parent without a leak.
 */
#include "core/compat.h"

#include "fhir/fhir_int.h"

enum err fhir__put(json_t *obj, const char *key, json_t *val)
{
    return json_object_set_new(obj, key, val) ? ERR_NOMEM : ERR_OK;
}

enum err fhir__push(json_t *arr, json_t *val)
{
    return json_array_append_new(arr, val) ? ERR_NOMEM : ERR_OK;
}

json_t *fhir__doc_at(const struct screen_instrument *in, const char *key, int i)
{
    return json_array_get(json_object_get(in->doc, key), (size_t)i);
}

static json_t *translation(const char *lang, const char *content)
{
    return json_pack("{s:s, s:[{s:s, s:s}, {s:s, s:s}]}", "url", FHIR_EXT_TRANSLATION, "extension",
                     "url", "lang", "valueCode", lang, "url", "content", "valueString", content);
}

/* The translation extensions of text (see fhir__set_text). Returns owned; empty when none. */
static json_t *translations(json_t *text, const char *lang)
{
    json_t *exts = json_array();
    const char *code;
    json_t *val;

    json_object_foreach(text, code, val)
    {
        if (!strcmp(code, "nl") || (lang && strcmp(code, lang)) || !json_is_string(val)) {
            continue;
        }
        if (fhir__push(exts, translation(code, json_string_value(val)))) {
            json_decref(exts);
            return NULL;
        }
    }
    return exts;
}

enum err fhir__set_text(json_t *obj, const char *key, json_t *text, const char *lang)
{
    const char *nl = json_string_value(json_object_get(text, "nl"));
    json_t *exts;
    char ukey[40];

    if (!nl) {
        return ERR_INVALID;
    }
    if (fhir__put(obj, key, json_string(nl))) {
        return ERR_NOMEM;
    }
    exts = translations(text, lang);
    if (!exts) {
        return ERR_NOMEM;
    }
    if (json_array_size(exts) == 0) {
        json_decref(exts);
        return ERR_OK;
    }
    snprintf(ukey, sizeof(ukey), "_%s", key);
    return fhir__put(obj, ukey, json_pack("{s:o}", "extension", exts));
}

void fhir__system(const struct screen_instrument *in, int set, char *out, size_t size)
{
    snprintf(out, size, "%s%s:set:%s", FHIR_URN_PREFIX, in->id, in->sets[set].id);
}

/* The label text of the option with `value` in set `set`; borrowed from the document. */
static json_t *option_label(const struct screen_instrument *in, int set, int64_t value)
{
    json_t *opts = json_object_get(fhir__doc_at(in, "response_sets", set), "options");
    json_t *o;
    size_t i;

    json_array_foreach(opts, i, o)
    {
        if (json_integer_value(json_object_get(o, "value")) == value) {
            return json_object_get(o, "label");
        }
    }
    return NULL;
}

json_t *fhir__coding(const struct screen_instrument *in, int set, int64_t value, bool with_display,
                     const char *lang)
{
    json_t *label = option_label(in, set, value);
    char system[FHIR_URL_MAX], code[24];
    json_t *c;

    if (!label) {
        return NULL;
    }
    fhir__system(in, set, system, sizeof(system));
    snprintf(code, sizeof(code), "%lld", (long long)value);
    c = json_pack("{s:s, s:s}", "system", system, "code", code);
    if (c && with_display && fhir__set_text(c, "display", label, lang)) {
        json_decref(c);
        return NULL;
    }
    return c;
}

bool fhir__holds(int64_t value, enum screen_op op, int64_t ref)
{
    switch (op) {
    case SOP_EQ:
        return value == ref;
    case SOP_NE:
        return value != ref;
    case SOP_GE:
        return value >= ref;
    case SOP_GT:
        return value > ref;
    case SOP_LE:
        return value <= ref;
    case SOP_LT:
        return value < ref;
    }
    return false;
}

void fhir__section_link(const struct screen_instrument *in, int s, char *out, size_t size)
{
    const char *id = in->sections[s].id;
    snprintf(out, size, "%s%s", screen_item_index(in, id) >= 0 ? "section:" : "", id);
}
