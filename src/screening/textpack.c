/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Item-text packs (docs/instruments.md): the texts of one language for an instrument, added to
 * its definition without changing the definition file. A pack is merged into a copy of the
 * definition, which then goes through the same validation as any definition, so a pack that
 * misses a text is refused with the pointer of that text.
 */
#include "core/compat.h"

#include "screening/screening_int.h"

static void put_text(json_t *target, const char *lang, json_t *text)
{
    if (json_is_object(target) && json_is_string(text)) {
        json_object_set(target, lang, text);
    }
}

static void merge_items(json_t *merged, json_t *texts, const char *lang)
{
    json_t *items = json_object_get(texts, "items"), *ji;
    size_t i;
    json_array_foreach(json_object_get(merged, "items"), i, ji)
    {
        json_t *t = json_object_get(items, json_string_value(json_object_get(ji, "id")));
        put_text(json_object_get(ji, "text"), lang, json_object_get(t, "text"));
        put_text(json_object_get(ji, "help"), lang, json_object_get(t, "help"));
    }
}

static void merge_options(json_t *merged, json_t *texts, const char *lang)
{
    json_t *opts = json_object_get(texts, "options"), *js, *o;
    size_t i, k;
    json_array_foreach(json_object_get(merged, "response_sets"), i, js)
    {
        json_t *labels = json_object_get(opts, json_string_value(json_object_get(js, "id")));
        json_array_foreach(json_object_get(js, "options"), k, o)
        {
            char val[24];
            snprintf(val, sizeof(val), "%lld",
                     (long long)json_integer_value(json_object_get(o, "value")));
            put_text(json_object_get(o, "label"), lang, json_object_get(labels, val));
        }
    }
}

static void merge_by_id(json_t *list, json_t *texts, const char *lang, const char *member)
{
    json_t *j;
    size_t i;
    json_array_foreach(list, i, j)
    {
        put_text(json_object_get(j, member), lang,
                 json_object_get(texts, json_string_value(json_object_get(j, "id"))));
    }
}

static void merge_advice(json_t *merged, json_t *texts, const char *lang)
{
    json_t *adv = json_object_get(merged, "advice"), *val;
    const char *key;
    json_object_foreach(adv, key, val)
    {
        json_t *t = json_object_get(json_object_get(texts, "advice"), key);
        put_text(json_object_get(val, "volunteer"), lang, json_object_get(t, "volunteer"));
        put_text(json_object_get(val, "client"), lang, json_object_get(t, "client"));
    }
}

enum err screen_text_pack_check(json_t *pack, struct verr *v)
{
    const char *fmt = json_string_value(json_object_get(pack, "format"));
    const char *lang = json_string_value(json_object_get(pack, "language"));
    const char *rs = json_string_value(json_object_get(pack, "review_status"));

    if (!fmt || strcmp(fmt, "veerkracht-textpack/1")) {
        verr_add(v, "/format", "must be \"veerkracht-textpack/1\"");
    }
    if (!json_is_string(json_object_get(pack, "instrument"))) {
        verr_add(v, "/instrument", "must name the instrument");
    }
    if (!json_is_string(json_object_get(pack, "version"))) {
        verr_add(v, "/version", "must name the instrument's version");
    }
    if (!lang || strlen(lang) < 2 || strlen(lang) > 12) {
        verr_add(v, "/language", "must be a language code");
    }
    if (!rs || (strcmp(rs, "draft") && strcmp(rs, "reviewed"))) {
        verr_add(v, "/review_status", "must be draft or reviewed");
    }
    if (!json_is_object(json_object_get(pack, "texts"))) {
        verr_add(v, "/texts", "must be an object of texts");
    }
    return v->n ? ERR_INVALID : ERR_OK;
}

enum err screen_text_pack_apply(json_t *doc, json_t *pack, json_t **merged_out, struct verr *v)
{
    json_t *texts = json_object_get(pack, "texts"), *merged, *langs;
    const char *lang = json_string_value(json_object_get(pack, "language"));
    enum err rc = screen_text_pack_check(pack, v);

    *merged_out = NULL;
    if (rc) {
        return rc;
    }
    merged = json_deep_copy(doc);
    langs = json_object_get(merged, "languages");
    json_object_set_new(langs, lang,
                        json_pack("{s:O, s:b}", "review_status",
                                  json_object_get(pack, "review_status"), "voice",
                                  json_is_true(json_object_get(pack, "voice"))));
    put_text(json_object_get(merged, "title"), lang, json_object_get(texts, "title"));
    put_text(json_object_get(merged, "intro"), lang, json_object_get(texts, "intro"));
    put_text(json_object_get(merged, "outro"), lang, json_object_get(texts, "outro"));
    merge_by_id(json_object_get(merged, "sections"), json_object_get(texts, "sections"), lang,
                "title");
    merge_by_id(json_object_get(merged, "bands"), json_object_get(texts, "bands"), lang, "label");
    merge_items(merged, texts, lang);
    merge_options(merged, texts, lang);
    merge_advice(merged, texts, lang);
    *merged_out = merged;
    return ERR_OK;
}
