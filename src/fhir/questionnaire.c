/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * fhir_questionnaire(): an instrument definition as a FHIR R4 Questionnaire. One group item per
 * section (empty sections are left out: a group must have items), holding its questions in
 * definition order. Coded sets (yes_no, likert, choice) become choice items whose answerOptions
 * carry a Coding per value; scale sets become integer items with minValue/maxValue. A show_if on
 * a coded item becomes one "=" enableWhen per option value that satisfies it, so ">=" keeps its
 * meaning on codes; on an integer item the operator maps as is. Help is a nested display item
 * with itemControl "help". Dutch is the base language, the others ride along as translations.
 * The static builders return an owned json_t, or NULL on out-of-memory.
 */
#include "core/compat.h"

#include "core/buf.h"
#include "fhir/fhir_int.h"

#define EXT_MIN          "http://hl7.org/fhir/StructureDefinition/minValue"
#define EXT_MAX          "http://hl7.org/fhir/StructureDefinition/maxValue"
#define EXT_ITEM_CONTROL "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
#define CS_ITEM_CONTROL  "http://hl7.org/fhir/questionnaire-item-control"
#define DESCRIPTION_MAX  (64 * 1024)

/* ---- enableWhen --------------------------------------------------------------------------- */

/* One condition; takes ownership of answer. Returns owned, NULL on out-of-memory. */
static json_t *when(const char *question, const char *op, const char *answer_key, json_t *answer)
{
    return json_pack("{s:s, s:s, s:o}", "question", question, "operator", op, answer_key, answer);
}

/*
 * A coded item: "=" for every option value that satisfies the condition, any of them. When none
 * does, the item is never asked: "answered and not answered".
 */
static enum err when_coded(const struct screen_instrument *in, const struct screen_cond *c,
                           json_t *conds, const char **behavior)
{
    const struct screen_item *ref = &in->items[c->idx];
    const struct screen_set *s = &in->sets[ref->set];
    enum err rc = ERR_OK;

    for (int k = 0; k < s->n && !rc; k++) {
        if (fhir__holds(s->opt[k].value, c->op, c->value)) {
            json_t *code = fhir__coding(in, ref->set, s->opt[k].value, false, NULL);
            rc = fhir__push(conds, when(ref->id, "=", "answerCoding", code));
        }
    }
    *behavior = json_array_size(conds) > 1 ? "any" : NULL;
    if (!rc && json_array_size(conds) == 0) {
        *behavior = "all";
        rc = fhir__push(conds, when(ref->id, "exists", "answerBoolean", json_true()));
        if (!rc) {
            rc = fhir__push(conds, when(ref->id, "exists", "answerBoolean", json_false()));
        }
    }
    return rc;
}

/*
 * An integer item: the operator as is. FHIR's "!=" also holds for an unanswered item, where our
 * engine hides the question, so "!=" also asks for an answer.
 */
static enum err when_integer(const struct screen_instrument *in, const struct screen_cond *c,
                             json_t *conds, const char **behavior)
{
    static const char *const ops[] = {"=", "!=", ">=", ">", "<=", "<"};
    const char *ref = in->items[c->idx].id;
    enum err rc;

    *behavior = NULL;
    rc = fhir__push(conds, when(ref, ops[c->op], "answerInteger", json_integer(c->value)));
    if (!rc && c->op == SOP_NE) {
        *behavior = "all";
        rc = fhir__push(conds, when(ref, "exists", "answerBoolean", json_true()));
    }
    return rc;
}

static enum err set_enable_when(const struct screen_instrument *in, const struct screen_item *it,
                                json_t *q)
{
    const struct screen_cond *c = &it->show_if;
    json_t *conds = json_array(); /* owned until fhir__put() */
    const char *behavior = NULL;
    enum err rc;

    if (!conds) {
        return ERR_NOMEM;
    }
    if (in->sets[in->items[c->idx].set].type == SSET_SCALE) {
        rc = when_integer(in, c, conds, &behavior);
    } else {
        rc = when_coded(in, c, conds, &behavior);
    }
    if (rc) {
        json_decref(conds);
        return rc;
    }
    rc = fhir__put(q, "enableWhen", conds);
    if (!rc && behavior) {
        rc = fhir__put(q, "enableBehavior", json_string(behavior));
    }
    return rc;
}

/* ---- questions ---------------------------------------------------------------------------- */

static json_t *answer_options(const struct screen_instrument *in, int set)
{
    const struct screen_set *s = &in->sets[set];
    json_t *opts = json_array();

    for (int k = 0; k < s->n; k++) {
        json_t *c = fhir__coding(in, set, s->opt[k].value, true, NULL);
        if (fhir__push(opts, json_pack("{s:o}", "valueCoding", c))) {
            json_decref(opts);
            return NULL;
        }
    }
    return opts;
}

static json_t *range_extensions(const struct screen_set *s)
{
    return json_pack("[{s:s, s:I}, {s:s, s:I}]", "url", EXT_MIN, "valueInteger", (json_int_t)s->min,
                     "url", EXT_MAX, "valueInteger", (json_int_t)s->max);
}

/* The help text as a display item under the question, rendered as a help button. */
static json_t *help_item(const char *item_id, json_t *help)
{
    char link[SCREEN_ID_MAX + 8];
    json_t *d;

    snprintf(link, sizeof(link), "%s.help", item_id);
    d = json_pack("{s:[{s:s, s:{s:[{s:s, s:s, s:s}], s:s}}], s:s}", "extension", "url",
                  EXT_ITEM_CONTROL, "valueCodeableConcept", "coding", "system", CS_ITEM_CONTROL,
                  "code", "help", "display", "Help-Button", "text", "Help-Button", "linkId", link);
    if (d &&
        (fhir__set_text(d, "text", help, NULL) || fhir__put(d, "type", json_string("display")))) {
        json_decref(d);
        return NULL;
    }
    return json_pack("[o]", d);
}

static enum err set_answers(const struct screen_instrument *in, int i, json_t *q)
{
    const struct screen_item *it = &in->items[i];
    json_t *help = json_object_get(fhir__doc_at(in, "items", i), "help");
    enum err rc;

    if (in->sets[it->set].type == SSET_SCALE) {
        rc = fhir__put(q, "extension", range_extensions(&in->sets[it->set]));
    } else {
        rc = fhir__put(q, "answerOption", answer_options(in, it->set));
    }
    if (!rc && help) {
        rc = fhir__put(q, "item", help_item(it->id, help));
    }
    return rc;
}

static json_t *question(const struct screen_instrument *in, int i)
{
    const struct screen_item *it = &in->items[i];
    bool integer = in->sets[it->set].type == SSET_SCALE;
    json_t *q = json_pack("{s:s}", "linkId", it->id);
    enum err rc = q ? ERR_OK : ERR_NOMEM;

    if (rc) {
        goto fail;
    }
    rc = fhir__set_text(q, "text", json_object_get(fhir__doc_at(in, "items", i), "text"), NULL);
    if (rc) {
        goto fail;
    }
    rc = fhir__put(q, "type", json_string(integer ? "integer" : "choice"));
    if (rc) {
        goto fail;
    }
    if (it->has_show_if) {
        rc = set_enable_when(in, it, q);
        if (rc) {
            goto fail;
        }
    }
    rc = fhir__put(q, "required", json_boolean(it->required));
    if (rc) {
        goto fail;
    }
    rc = set_answers(in, i, q);
    if (rc) {
        goto fail;
    }
    return q;
fail:
    json_decref(q);
    return NULL;
}

/* ---- groups and the resource -------------------------------------------------------------- */

static json_t *group(const struct screen_instrument *in, int s)
{
    json_t *title = json_object_get(fhir__doc_at(in, "sections", s), "title");
    json_t *items = json_array();
    char link[FHIR_URL_MAX];
    json_t *g;

    for (int i = 0; i < in->n_items; i++) {
        if (in->items[i].section == s && fhir__push(items, question(in, i))) {
            json_decref(items);
            return NULL;
        }
    }
    fhir__section_link(in, s, link, sizeof(link));
    g = json_pack("{s:s}", "linkId", link);
    if (!g || fhir__set_text(g, "text", title, NULL) ||
        fhir__put(g, "type", json_string("group"))) {
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

static json_t *groups(const struct screen_instrument *in)
{
    json_t *arr = json_array();

    for (int s = 0; s < in->n_sections; s++) {
        bool used = false;
        for (int i = 0; i < in->n_items; i++) {
            used = used || in->items[i].section == s;
        }
        if (used && fhir__push(arr, group(in, s))) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

/* "vk-signal-adult" -> "VkSignalAdult"; an id starting with a digit gets "Instrument" first. */
static void pascal_name(const char *id, char *out, size_t size)
{
    size_t n = 0;
    bool up = true;

    if (id[0] >= '0' && id[0] <= '9') {
        n = (size_t)snprintf(out, size, "Instrument");
    }
    for (const char *p = id; *p && n + 1 < size; p++) {
        if (*p == '-') {
            up = true;
            continue;
        }
        out[n++] = (char)(up && *p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
        up = false;
    }
    out[n] = '\0';
}

static const char *doc_string(json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

/* source, whether it is validated, and what it follows. */
static enum err set_description(const struct screen_instrument *in, json_t *q)
{
    struct buf b = BUF_INIT(DESCRIPTION_MAX);
    json_t *follows = json_object_get(in->doc, "follows"), *f;
    enum err rc;
    size_t i;

    rc = buf_addf(&b, "%s\n\n%s", doc_string(in->doc, "source"),
                  in->validated ? "Validated as a whole in this form."
                                : "Not validated as a whole in this form.");
    json_array_foreach(follows, i, f)
    {
        if (!rc && json_is_string(f)) {
            rc = buf_addf(&b, "%s%s", i ? "; " : " Follows: ", json_string_value(f));
        }
    }
    if (!rc && json_array_size(follows)) {
        rc = buf_addch(&b, '.');
    }
    if (!rc) {
        rc = fhir__put(q, "description", json_stringn(b.ptr, b.len));
    }
    buf_release(&b);
    return rc;
}

static enum err set_copyright(const struct screen_instrument *in, json_t *q)
{
    json_t *lic = json_object_get(in->doc, "licence");
    struct buf b = BUF_INIT(DESCRIPTION_MAX);
    enum err rc;

    rc = buf_addf(&b, "%s\n\nLicence: %s", doc_string(lic, "attribution"), doc_string(lic, "name"));
    if (!rc) {
        rc = fhir__put(q, "copyright", json_stringn(b.ptr, b.len));
    }
    buf_release(&b);
    return rc;
}

static json_t *header(const struct screen_instrument *in)
{
    char url[FHIR_URL_MAX], name[2 * SCREEN_ID_MAX];

    snprintf(url, sizeof(url), "%s%s", FHIR_URN_PREFIX, in->id);
    pascal_name(in->id, name, sizeof(name));
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "resourceType", "Questionnaire", "id",
                     in->id, "language", "nl", "url", url, "version", in->version, "name", name);
}

enum err fhir_questionnaire(const struct screen_instrument *inst, json_t **out)
{
    json_t *q = header(inst);
    enum err rc = q ? ERR_OK : ERR_NOMEM;

    *out = NULL;
    if (rc) {
        goto fail;
    }
    rc = fhir__set_text(q, "title", json_object_get(inst->doc, "title"), NULL);
    if (rc) {
        goto fail;
    }
    rc = fhir__put(q, "status", json_string("active"));
    if (rc) {
        goto fail;
    }
    rc = fhir__put(q, "subjectType", json_pack("[s]", "Patient"));
    if (rc) {
        goto fail;
    }
    rc = set_description(inst, q);
    if (rc) {
        goto fail;
    }
    rc = set_copyright(inst, q);
    if (rc) {
        goto fail;
    }
    rc = fhir__put(q, "item", groups(inst));
    if (rc) {
        goto fail;
    }
    *out = q;
    return ERR_OK;
fail:
    json_decref(q);
    return rc;
}
