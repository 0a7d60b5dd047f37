/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Views of an instrument for the conversation UI: a summary, and the definition localised to
 * one language with Dutch alongside (interviewer mode) and read-aloud links where audio exists.
 */
#include "core/compat.h"

#include "screening/screening_int.h"

const char *screen_text(json_t *text, const char *lang)
{
    const char *s = json_string_value(json_object_get(text, lang ? lang : "nl"));
    if (!s) {
        s = json_string_value(json_object_get(text, "nl"));
    }
    return s ? s : "";
}

bool screen_offers_language(const struct screen_instrument *in, const char *lang)
{
    return lang && json_is_object(json_object_get(json_object_get(in->doc, "languages"), lang));
}

static bool rtl(const char *lang)
{
    return !strcmp(lang, "ar") || !strcmp(lang, "fa") || !strcmp(lang, "prs") ||
           !strcmp(lang, "ps") || !strcmp(lang, "ckb") || !strcmp(lang, "he");
}

/* {"text": in lang, "nl": Dutch}, or JSON null when the text is absent. */
static json_t *pair(json_t *text, const char *lang)
{
    if (!json_is_object(text)) {
        return json_null();
    }
    return json_pack("{s:s, s:s}", "text", screen_text(text, lang), "nl", screen_text(text, "nl"));
}

json_t *screen_view_summary(const struct screen_instrument *in, const char *lang)
{
    json_t *doc = in->doc;
    json_t *follows = json_object_get(doc, "follows");
    return json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:{s:I, s:I}, s:b, s:o, s:O}", "id", in->id, "version",
        in->version, "title", screen_text(json_object_get(doc, "title"), lang), "title_nl",
        screen_text(json_object_get(doc, "title"), "nl"), "respondent", in->respondent, "age",
        "min", (json_int_t)in->age_min, "max", (json_int_t)in->age_max, "validated", in->validated,
        "follows", follows ? json_incref(follows) : json_array(), "languages",
        json_object_get(doc, "languages"));
}

static const char *const type_names[] = {"yes_no", "likert", "scale", "choice"};
static const char *const op_names[] = {"==", "!=", ">=", ">", "<=", "<"};

static json_t *audio_link(const struct screen_instrument *in, const char *lang, const char *key,
                          screen_audio_fn has_audio, void *ctx)
{
    char url[256];
    if (!has_audio || !has_audio(ctx, key)) {
        return json_null();
    }
    snprintf(url, sizeof(url), "/api/v1/instruments/%s/audio/%s/%s", in->id, lang, key);
    return json_string(url);
}

static json_t *item_options(const struct screen_instrument *in, int i, const char *lang,
                            json_t *jset, json_t *audio_opts, screen_audio_fn has_audio, void *ctx)
{
    const struct screen_set *s = &in->sets[in->items[i].set];
    json_t *opts = json_array(), *o;
    size_t k;

    json_array_foreach(json_object_get(jset, "options"), k, o)
    {
        char key[96], val[24];
        json_int_t value = json_integer_value(json_object_get(o, "value"));
        json_t *icon = json_object_get(o, "icon");
        snprintf(val, sizeof(val), "%lld", (long long)value);
        snprintf(key, sizeof(key), "option.%s.%s", s->id, val);
        json_array_append_new(opts, json_pack("{s:I, s:O, s:o}", "value", value, "icon",
                                              icon ? icon : json_null(), "label",
                                              pair(json_object_get(o, "label"), lang)));
        if (audio_opts) {
            json_t *link = audio_link(in, lang, key, has_audio, ctx);
            if (!json_is_null(link)) {
                json_object_set_new(audio_opts, val, link);
            } else {
                json_decref(link);
            }
        }
    }
    return opts;
}

static json_t *item_audio(const struct screen_instrument *in, int i, const char *lang,
                          screen_audio_fn has_audio, void *ctx, json_t **opts_out)
{
    char key[64];
    json_t *text;
    snprintf(key, sizeof(key), "item.%s", in->items[i].id);
    text = audio_link(in, lang, key, has_audio, ctx);
    if (json_is_null(text)) {
        *opts_out = NULL;
        return text;
    }
    *opts_out = json_object();
    return json_pack("{s:o, s:o}", "text", text, "options", json_incref(*opts_out));
}

static json_t *item_view(const struct screen_instrument *in, int i, json_t *ji, const char *lang,
                         screen_audio_fn has_audio, void *ctx)
{
    const struct screen_item *it = &in->items[i];
    const struct screen_set *s = &in->sets[it->set];
    json_t *jset = json_array_get(json_object_get(in->doc, "response_sets"), (size_t)it->set);
    json_t *audio_opts = NULL, *audio = item_audio(in, i, lang, has_audio, ctx, &audio_opts);
    json_t *show = json_null(), *v;

    if (it->has_show_if) {
        json_decref(show);
        show = json_pack("{s:s, s:s, s:I}", "item", in->items[it->show_if.idx].id, "op",
                         op_names[it->show_if.op], "value", (json_int_t)it->show_if.value);
    }
    v = json_pack("{s:s, s:s, s:b, s:s, s:o, s:o, s:I, s:I, s:o, s:o, s:o}", "id", it->id,
                  "section", in->sections[it->section].id, "required", it->required, "type",
                  type_names[s->type], "text", pair(json_object_get(ji, "text"), lang), "help",
                  pair(json_object_get(ji, "help"), lang), "min", (json_int_t)s->min, "max",
                  (json_int_t)s->max, "options",
                  item_options(in, i, lang, jset, audio_opts, has_audio, ctx), "show_if", show,
                  "audio", audio);
    json_decref(audio_opts);
    return v;
}

static json_t *flags_view(const struct screen_instrument *in)
{
    json_t *a = json_array();
    for (int f = 0; f < in->n_flags; f++) {
        const struct screen_flag *fl = &in->flags[f];
        json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:I, s:s, s:s}", "id", fl->id, "item",
                                           in->items[fl->when.idx].id, "op", op_names[fl->when.op],
                                           "value", (json_int_t)fl->when.value, "severity",
                                           fl->severity, "protocol", fl->protocol));
    }
    return a;
}

static json_t *sections_view(const struct screen_instrument *in, const char *lang)
{
    static const char *const kinds[] = {"symptoms", "strengths", "stressors", "safety", "other"};
    json_t *a = json_array(), *js;
    size_t i;
    json_array_foreach(json_object_get(in->doc, "sections"), i, js)
    {
        json_array_append_new(a, json_pack("{s:s, s:s, s:o}", "id", in->sections[i].id, "kind",
                                           kinds[in->sections[i].kind], "title",
                                           pair(json_object_get(js, "title"), lang)));
    }
    return a;
}

json_t *screen_view_localised(const struct screen_instrument *in, const char *lang,
                              screen_audio_fn has_audio, void *ctx)
{
    json_t *doc = in->doc, *items = json_array(), *ji, *meta;
    size_t i;

    json_array_foreach(json_object_get(doc, "items"), i, ji)
    {
        json_array_append_new(items, item_view(in, (int)i, ji, lang, has_audio, ctx));
    }
    meta = json_object_get(json_object_get(doc, "languages"), lang);
    return json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:{s:I, s:I}, s:b, s:O, s:b, s:o, s:o, s:o, s:o, s:o, s:o, "
        "s:o}",
        "id", in->id, "version", in->version, "lang", lang, "dir", rtl(lang) ? "rtl" : "ltr",
        "respondent", in->respondent, "age", "min", (json_int_t)in->age_min, "max",
        (json_int_t)in->age_max, "validated", in->validated, "review_status",
        json_object_get(meta, "review_status") ? json_object_get(meta, "review_status")
                                               : json_null(),
        "voice", json_is_true(json_object_get(meta, "voice")), "title",
        pair(json_object_get(doc, "title"), lang), "intro",
        pair(json_object_get(doc, "intro"), lang), "outro",
        pair(json_object_get(doc, "outro"), lang), "sections", sections_view(in, lang), "items",
        items, "red_flags", flags_view(in), "audio", audio_link(in, lang, "intro", has_audio, ctx));
}

const char *screen_text_for_key(const struct screen_instrument *in, const char *lang,
                                const char *key)
{
    json_t *doc = in->doc;
    if (!strcmp(key, "title") || !strcmp(key, "intro") || !strcmp(key, "outro")) {
        json_t *t = json_object_get(doc, key);
        return t ? json_string_value(json_object_get(t, lang)) : NULL;
    }
    if (!strncmp(key, "item.", 5) || !strncmp(key, "help.", 5)) {
        int i = screen_item_index(in, key + 5);
        json_t *ji = i < 0 ? NULL : json_array_get(json_object_get(doc, "items"), (size_t)i);
        return ji ? json_string_value(
                        json_object_get(json_object_get(ji, key[0] == 'i' ? "text" : "help"), lang))
                  : NULL;
    }
    if (!strncmp(key, "option.", 7)) {
        for (int s = 0; s < in->n_sets; s++) {
            size_t n = strlen(in->sets[s].id), k;
            json_t *o;
            if (strncmp(key + 7, in->sets[s].id, n) || key[7 + n] != '.') {
                continue;
            }
            json_array_foreach(
                json_object_get(json_array_get(json_object_get(doc, "response_sets"), (size_t)s),
                                "options"),
                k, o)
            {
                char val[24];
                snprintf(val, sizeof(val), "%lld",
                         (long long)json_integer_value(json_object_get(o, "value")));
                if (!strcmp(val, key + 8 + n)) {
                    return json_string_value(json_object_get(json_object_get(o, "label"), lang));
                }
            }
        }
    }
    return NULL;
}
