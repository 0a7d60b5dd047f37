/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The FHIR R4 exports: a shipped instrument and a licensed fixture as Questionnaires (items,
 * options, translations, help), show_if as enableWhen for each operator and set type, and a
 * QuestionnaireResponse (only answered items, codes, subject, authored, refusals). Validity
 * against the official FHIR JSON schema is checked in tests/api/fhir_schema.test.mjs.
 */
#include "core/compat.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "fhir/fhir.h"
#include "screening/screening.h"

#define PID "fedcba9876543210fedcba9876543210"
#define SID "0123456789abcdef0123456789abcdef"

/*
 * A small valid definition with a show_if of each kind: f on a yes/no item (==), h on a likert
 * item (>=), i on a 0-10 scale (!=), n on a likert value no option reaches. Section "g" shares
 * its id with an item, so its group needs another linkId.
 */
static const char cond_def[] =
    "{\"format\":\"veerkracht-instrument/1\",\"id\":\"t-cond\",\"version\":\"1.2.3\","
    "\"validated\":true,\"source\":\"unit test\","
    "\"licence\":{\"name\":\"EUPL-1.2\",\"attribution\":\"x\",\"item_text_policy\":\"bundle\"},"
    "\"respondent\":\"self\",\"age\":{\"min\":18,\"max\":120},"
    "\"languages\":{\"nl\":{\"review_status\":\"reviewed\",\"voice\":true}},"
    "\"title\":{\"nl\":\"T\"},\"intro\":{\"nl\":\"I\"},"
    "\"response_sets\":["
    " {\"id\":\"yn\",\"type\":\"yes_no\",\"options\":[{\"value\":1,\"label\":{\"nl\":\"Ja\"}},"
    "  {\"value\":0,\"label\":{\"nl\":\"Nee\"}}]},"
    " {\"id\":\"l4\",\"type\":\"likert\",\"options\":[{\"value\":0,\"label\":{\"nl\":\"0\"}},"
    "  {\"value\":1,\"label\":{\"nl\":\"1\"}},{\"value\":2,\"label\":{\"nl\":\"2\"}},"
    "  {\"value\":3,\"label\":{\"nl\":\"3\"}}]},"
    " {\"id\":\"t10\",\"type\":\"scale\",\"min\":0,\"max\":10}],"
    "\"sections\":[{\"id\":\"s\",\"kind\":\"symptoms\",\"title\":{\"nl\":\"S\"}},"
    " {\"id\":\"g\",\"kind\":\"strengths\",\"title\":{\"nl\":\"G\"}},"
    " {\"id\":\"x\",\"kind\":\"other\",\"title\":{\"nl\":\"X\"}}],"
    "\"items\":["
    " {\"id\":\"a\",\"section\":\"s\",\"response_set\":\"yn\",\"required\":true,"
    "  \"text\":{\"nl\":\"a\"}},"
    " {\"id\":\"c\",\"section\":\"s\",\"response_set\":\"l4\",\"required\":true,"
    "  \"text\":{\"nl\":\"c\"}},"
    " {\"id\":\"e\",\"section\":\"s\",\"response_set\":\"t10\",\"text\":{\"nl\":\"e\"}},"
    " {\"id\":\"f\",\"section\":\"s\",\"response_set\":\"yn\",\"required\":true,"
    "  \"show_if\":{\"ref\":\"item:a\",\"op\":\"==\",\"value\":1},\"text\":{\"nl\":\"f\"}},"
    " {\"id\":\"h\",\"section\":\"s\",\"response_set\":\"yn\","
    "  \"show_if\":{\"ref\":\"item:c\",\"op\":\">=\",\"value\":2},\"text\":{\"nl\":\"h\"}},"
    " {\"id\":\"i\",\"section\":\"s\",\"response_set\":\"yn\","
    "  \"show_if\":{\"ref\":\"item:e\",\"op\":\"!=\",\"value\":5},\"text\":{\"nl\":\"i\"}},"
    " {\"id\":\"n\",\"section\":\"s\",\"response_set\":\"yn\","
    "  \"show_if\":{\"ref\":\"item:c\",\"op\":\">\",\"value\":3},\"text\":{\"nl\":\"n\"}},"
    " {\"id\":\"g\",\"section\":\"g\",\"response_set\":\"yn\",\"text\":{\"nl\":\"g\"}}],"
    "\"scales\":[{\"id\":\"count\",\"method\":\"count_ge\",\"threshold\":1,\"items\":[\"a\"]}],"
    "\"bands\":[{\"scale\":\"count\",\"min\":0,\"max\":1,\"id\":\"all\",\"level\":\"L0\","
    " \"advice\":\"all\",\"label\":{\"nl\":\"alle\"}}],"
    "\"advice\":{\"all\":{\"volunteer\":{\"nl\":\"v\"},\"client\":{\"nl\":\"c\"}}}}";

static struct screen_instrument *load_file(const char *rel)
{
    struct screen_instrument *in = NULL;
    struct verr v = {0};
    char path[512], msg[300] = "";

    snprintf(path, sizeof(path), "%s/%s", VK_SOURCE_DIR, rel);
    if (screen_load_file(path, &in, &v, msg, sizeof(msg))) {
        fail_msg("%s: %s %s", msg, v.n ? v.items[0].pointer : "", v.n ? v.items[0].detail : "");
    }
    return in;
}

static struct screen_instrument *load_cond(void)
{
    struct screen_instrument *in = NULL;
    struct verr v = {0};

    if (screen_load_bytes(cond_def, sizeof(cond_def) - 1, &in, &v)) {
        fail_msg("definition rejected: %s: %s", v.n ? v.items[0].pointer : "",
                 v.n ? v.items[0].detail : "");
    }
    return in;
}

static json_t *questionnaire(const struct screen_instrument *in)
{
    json_t *q = NULL;
    assert_int_equal(fhir_questionnaire(in, &q), ERR_OK);
    assert_non_null(q);
    return q;
}

/* The item with linkId `link` anywhere under items. Borrowed. */
static json_t *find_link(json_t *items, const char *link)
{
    json_t *it, *found;
    size_t i;

    json_array_foreach(items, i, it)
    {
        if (!strcmp(json_string_value(json_object_get(it, "linkId")), link)) {
            return it;
        }
        found = find_link(json_object_get(it, "item"), link);
        if (found) {
            return found;
        }
    }
    return NULL;
}

static const char *str_at(json_t *obj, const char *path)
{
    char key[64];
    const char *dot;

    while ((dot = strchr(path, '.'))) {
        snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
        obj = json_object_get(obj, key);
        path = dot + 1;
    }
    return json_string_value(json_object_get(obj, path));
}

/* The translation content for lang in obj["_" key], or NULL. */
static const char *translation(json_t *obj, const char *key, const char *lang)
{
    char ukey[40];
    json_t *ext;
    size_t i;

    snprintf(ukey, sizeof(ukey), "_%s", key);
    json_array_foreach(json_object_get(json_object_get(obj, ukey), "extension"), i, ext)
    {
        json_t *parts = json_object_get(ext, "extension");
        assert_string_equal(str_at(ext, "url"),
                            "http://hl7.org/fhir/StructureDefinition/translation");
        if (!strcmp(str_at(json_array_get(parts, 0), "valueCode"), lang)) {
            assert_string_equal(str_at(json_array_get(parts, 1), "url"), "content");
            return str_at(json_array_get(parts, 1), "valueString");
        }
    }
    return NULL;
}

/* Counts the question items (not groups, not display) under each group. */
static int count_questions(json_t *q)
{
    json_t *g, *it;
    size_t i, k;
    int n = 0;

    json_array_foreach(json_object_get(q, "item"), i, g)
    {
        assert_string_equal(str_at(g, "type"), "group");
        json_array_foreach(json_object_get(g, "item"), k, it)
        {
            const char *type = str_at(it, "type");
            assert_true(!strcmp(type, "choice") || !strcmp(type, "integer"));
            n++;
        }
    }
    return n;
}

static void shipped_instrument_as_questionnaire(void **state)
{
    struct screen_instrument *in = load_file("data/instruments/vk-signal-adult.json");
    json_t *q = questionnaire(in);

    assert_string_equal(str_at(q, "resourceType"), "Questionnaire");
    assert_string_equal(str_at(q, "id"), "vk-signal-adult");
    assert_string_equal(str_at(q, "url"), "urn:veerkracht:instrument:vk-signal-adult");
    assert_string_equal(str_at(q, "version"), "1.0.0");
    assert_string_equal(str_at(q, "name"), "VkSignalAdult");
    assert_string_equal(str_at(q, "status"), "active");
    assert_string_equal(str_at(q, "language"), "nl");
    assert_string_equal(str_at(q, "title"), "Hoe gaat het met u?");
    assert_string_equal(translation(q, "title", "ar"), "كيف حالك؟");
    assert_string_equal(json_string_value(json_array_get(json_object_get(q, "subjectType"), 0)),
                        "Patient");
    assert_non_null(strstr(str_at(q, "description"), "Not validated as a whole"));
    assert_non_null(strstr(str_at(q, "copyright"), "PROTECT"));
    assert_int_equal(json_array_size(json_object_get(q, "item")), in->n_sections);
    assert_int_equal(count_questions(q), in->n_items);
    json_decref(q);
    screen_free(in);
}

static void shipped_item_with_options_and_help(void **state)
{
    struct screen_instrument *in = load_file("data/instruments/vk-signal-adult.json");
    json_t *q = questionnaire(in), *sleep, *opts, *help;

    sleep = find_link(json_object_get(q, "item"), "sleep");
    assert_non_null(sleep);
    assert_string_equal(str_at(sleep, "type"), "choice");
    assert_true(json_is_true(json_object_get(sleep, "required")));
    assert_string_equal(str_at(sleep, "text"), "Heeft u moeite om in slaap te vallen?");
    assert_string_equal(translation(sleep, "text", "ar"), "هل لديك صعوبة في بدء النوم؟");
    opts = json_object_get(sleep, "answerOption");
    assert_int_equal(json_array_size(opts), 2);
    assert_string_equal(str_at(json_array_get(opts, 0), "valueCoding.system"),
                        "urn:veerkracht:instrument:vk-signal-adult:set:yesno");
    assert_string_equal(str_at(json_array_get(opts, 0), "valueCoding.code"), "1");
    assert_string_equal(str_at(json_array_get(opts, 0), "valueCoding.display"), "Ja");
    assert_string_equal(str_at(json_array_get(opts, 1), "valueCoding.code"), "0");
    assert_string_equal(
        translation(json_object_get(json_array_get(opts, 1), "valueCoding"), "display", "ar"),
        "لا");

    help = find_link(json_object_get(sleep, "item"), "sleep.help");
    assert_non_null(help);
    assert_string_equal(str_at(help, "type"), "display");
    assert_string_equal(
        str_at(json_array_get(json_object_get(help, "extension"), 0), "valueCodeableConcept.text"),
        "Help-Button");
    assert_null(find_link(json_object_get(q, "item"), "headache.help"));
    json_decref(q);
    screen_free(in);
}

static void licensed_fixture_as_questionnaire(void **state)
{
    struct screen_instrument *in = load_file("tests/fixtures/instruments/phq9.json");
    json_t *q = questionnaire(in), *q9, *opts;

    assert_string_equal(str_at(q, "name"), "Phq9");
    assert_non_null(strstr(str_at(q, "description"), "Validated as a whole"));
    assert_int_equal(count_questions(q), in->n_items);
    q9 = find_link(json_object_get(q, "item"), "q9");
    assert_non_null(q9);
    opts = json_object_get(q9, "answerOption");
    assert_int_equal(json_array_size(opts), 4);
    for (size_t k = 0; k < 4; k++) {
        char code[4];
        snprintf(code, sizeof(code), "%zu", k);
        assert_string_equal(str_at(json_array_get(opts, k), "valueCoding.code"), code);
        assert_string_equal(str_at(json_array_get(opts, k), "valueCoding.system"),
                            "urn:veerkracht:instrument:phq9:set:freq4");
    }
    assert_null(translation(q9, "text", "ar"));
    assert_string_equal(translation(q9, "text", "en"), "PHQ-9 item 9 (text under licence)");
    assert_null(json_object_get(q9, "enableWhen"));
    json_decref(q);
    screen_free(in);
}

/* enableWhen[k] of item `link`: question, operator, and the answer's code or integer. */
static void expect_when(json_t *q, const char *link, size_t k, const char *question, const char *op,
                        const char *code, json_int_t integer)
{
    json_t *w = json_array_get(
        json_object_get(find_link(json_object_get(q, "item"), link), "enableWhen"), k);
    assert_non_null(w);
    assert_string_equal(str_at(w, "question"), question);
    assert_string_equal(str_at(w, "operator"), op);
    if (code) {
        assert_string_equal(str_at(w, "answerCoding.code"), code);
        assert_string_equal(str_at(w, "answerCoding.system"),
                            !strcmp(question, "a") ? "urn:veerkracht:instrument:t-cond:set:yn"
                                                   : "urn:veerkracht:instrument:t-cond:set:l4");
    } else if (!strcmp(op, "exists")) {
        assert_int_equal(json_is_true(json_object_get(w, "answerBoolean")), integer);
    } else {
        assert_int_equal(json_integer_value(json_object_get(w, "answerInteger")), integer);
    }
}

static const char *behavior(json_t *q, const char *link)
{
    return str_at(find_link(json_object_get(q, "item"), link), "enableBehavior");
}

static size_t n_when(json_t *q, const char *link)
{
    return json_array_size(
        json_object_get(find_link(json_object_get(q, "item"), link), "enableWhen"));
}

static void show_if_becomes_enable_when(void **state)
{
    struct screen_instrument *in = load_cond();
    json_t *q = questionnaire(in), *e;

    /* == on yes/no: one coded condition */
    assert_int_equal(n_when(q, "f"), 1);
    expect_when(q, "f", 0, "a", "=", "1", 0);
    assert_null(behavior(q, "f"));
    /* >= on likert: each satisfying code, any of them */
    assert_int_equal(n_when(q, "h"), 2);
    expect_when(q, "h", 0, "c", "=", "2", 0);
    expect_when(q, "h", 1, "c", "=", "3", 0);
    assert_string_equal(behavior(q, "h"), "any");
    /* != on a scale: the integer, and answered */
    assert_int_equal(n_when(q, "i"), 2);
    expect_when(q, "i", 0, "e", "!=", NULL, 5);
    expect_when(q, "i", 1, "e", "exists", NULL, 1);
    assert_string_equal(behavior(q, "i"), "all");
    /* no option satisfies it: never asked */
    assert_int_equal(n_when(q, "n"), 2);
    expect_when(q, "n", 0, "c", "exists", NULL, 1);
    expect_when(q, "n", 1, "c", "exists", NULL, 0);
    assert_string_equal(behavior(q, "n"), "all");
    assert_int_equal(n_when(q, "a"), 0);

    e = find_link(json_object_get(q, "item"), "e");
    assert_string_equal(str_at(e, "type"), "integer");
    assert_false(json_is_true(json_object_get(e, "required")));
    assert_null(json_object_get(e, "answerOption"));
    assert_string_equal(str_at(json_array_get(json_object_get(e, "extension"), 0), "url"),
                        "http://hl7.org/fhir/StructureDefinition/minValue");
    assert_int_equal(json_integer_value(json_object_get(
                         json_array_get(json_object_get(e, "extension"), 1), "valueInteger")),
                     10);
    /* section "g" clashes with item "g"; the empty section "x" is left out */
    assert_int_equal(json_array_size(json_object_get(q, "item")), 2);
    assert_string_equal(str_at(json_array_get(json_object_get(q, "item"), 1), "linkId"),
                        "section:g");
    assert_null(json_object_get(q, "_title"));
    json_decref(q);
    screen_free(in);
}

static void answer(const struct screen_instrument *in, struct screen_answers *a, const char *id,
                   int64_t value)
{
    int i = screen_item_index(in, id);
    assert_true(i >= 0);
    a->given[i] = true;
    a->value[i] = value;
}

static void expect_answer(json_t *qr, const char *link, const char *code)
{
    json_t *it = find_link(json_object_get(qr, "item"), link);
    json_t *ans = json_object_get(it, "answer");

    assert_non_null(it);
    assert_int_equal(json_array_size(ans), 1);
    assert_string_equal(str_at(json_array_get(ans, 0), "valueCoding.code"), code);
    assert_string_equal(str_at(json_array_get(ans, 0), "valueCoding.system"),
                        "urn:veerkracht:instrument:vk-signal-adult:set:yesno");
}

/* The top level holds these members and nothing else: no client data beyond the id. */
static void expect_top_level(json_t *qr)
{
    static const char *const keys[] = {"resourceType", "id",      "language", "questionnaire",
                                       "status",       "subject", "authored", "item"};
    assert_int_equal(json_object_size(qr), ARRAY_SIZE(keys));
    for (size_t k = 0; k < ARRAY_SIZE(keys); k++) {
        assert_non_null(json_object_get(qr, keys[k]));
    }
    assert_int_equal(json_object_size(json_object_get(qr, "subject")), 1);
}

static void response_has_only_answered_items(void **state)
{
    struct screen_instrument *in = load_file("data/instruments/vk-signal-adult.json");
    struct screen_answers a;
    json_t *qr = NULL, *groups, *sleep;

    memset(&a, 0, sizeof(a));
    answer(in, &a, "sleep", 1);
    answer(in, &a, "nightmares", 0);
    answer(in, &a, "safety_life", 0);
    assert_int_equal(fhir_questionnaire_response(in, &a, SID, PID, "ar", 1767225600123, &qr),
                     ERR_OK);
    assert_string_equal(str_at(qr, "resourceType"), "QuestionnaireResponse");
    assert_string_equal(str_at(qr, "id"), SID);
    assert_string_equal(str_at(qr, "questionnaire"),
                        "urn:veerkracht:instrument:vk-signal-adult|1.0.0");
    assert_string_equal(str_at(qr, "status"), "completed");
    assert_string_equal(str_at(qr, "language"), "ar");
    assert_string_equal(str_at(qr, "subject.reference"), "Patient/" PID);
    assert_string_equal(str_at(qr, "authored"), "2026-01-01T00:00:00.123Z");
    expect_top_level(qr);
    groups = json_object_get(qr, "item");
    assert_int_equal(json_array_size(groups), 2);
    assert_string_equal(str_at(json_array_get(groups, 0), "linkId"), "symptoms");
    assert_int_equal(json_array_size(json_object_get(json_array_get(groups, 0), "item")), 2);
    assert_string_equal(str_at(json_array_get(groups, 1), "linkId"), "safety");
    assert_int_equal(json_array_size(json_object_get(json_array_get(groups, 1), "item")), 1);
    expect_answer(qr, "sleep", "1");
    expect_answer(qr, "nightmares", "0");
    expect_answer(qr, "safety_life", "0");
    assert_null(find_link(groups, "headache"));
    sleep = find_link(groups, "sleep");
    assert_string_equal(translation(sleep, "text", "ar"), "هل لديك صعوبة في بدء النوم؟");
    assert_null(translation(sleep, "text", "en"));
    assert_string_equal(
        str_at(json_array_get(json_object_get(sleep, "answer"), 0), "valueCoding.display"), "Ja");
    json_decref(qr);
    screen_free(in);
}

static void response_with_integer_and_no_answers(void **state)
{
    struct screen_instrument *in = load_cond();
    struct screen_answers a;
    json_t *qr = NULL, *e;

    memset(&a, 0, sizeof(a));
    assert_int_equal(fhir_questionnaire_response(in, &a, SID, PID, "nl", 0, &qr), ERR_OK);
    assert_null(json_object_get(qr, "item"));
    assert_string_equal(str_at(qr, "authored"), "1970-01-01T00:00:00.000Z");
    json_decref(qr);

    answer(in, &a, "a", 0);
    answer(in, &a, "c", 1);
    answer(in, &a, "e", 7);
    assert_int_equal(fhir_questionnaire_response(in, &a, SID, PID, "nl", 0, &qr), ERR_OK);
    e = find_link(json_object_get(qr, "item"), "e");
    assert_null(find_link(json_object_get(qr, "item"), "f"));
    assert_int_equal(json_integer_value(json_object_get(
                         json_array_get(json_object_get(e, "answer"), 0), "valueInteger")),
                     7);
    assert_null(json_object_get(e, "_text"));
    json_decref(qr);
    /* f is asked only after a == 1: no answer to a disabled item */
    answer(in, &a, "f", 1);
    assert_int_equal(fhir_questionnaire_response(in, &a, SID, PID, "nl", 0, &qr), ERR_INVALID);
    screen_free(in);
}

static void response_refuses_bad_input(void **state)
{
    struct screen_instrument *in = load_file("data/instruments/vk-signal-adult.json");
    struct screen_answers a;
    json_t sentinel = {0};
    json_t *qr = &sentinel; /* must be reset to NULL on failure */

    memset(&a, 0, sizeof(a));
    answer(in, &a, "sleep", 1);
    assert_int_equal(fhir_questionnaire_response(in, &a, "", PID, "ar", 1, &qr), ERR_INVALID);
    assert_null(qr);
    assert_int_equal(fhir_questionnaire_response(in, &a, SID, "has space", "ar", 1, &qr),
                     ERR_INVALID);
    assert_int_equal(fhir_questionnaire_response(in, &a, SID, "a_b", "ar", 1, &qr), ERR_INVALID);
    assert_int_equal(fhir_questionnaire_response(in, &a, SID, PID, "de", 1, &qr), ERR_INVALID);
    assert_int_equal(fhir_questionnaire_response(in, &a, SID, PID, NULL, 1, &qr), ERR_INVALID);
    assert_int_equal(fhir_questionnaire_response(in, &a, SID, PID, "ar", -1, &qr), ERR_INVALID);
    answer(in, &a, "nightmares", 2);
    assert_int_equal(fhir_questionnaire_response(in, &a, SID, PID, "ar", 1, &qr), ERR_INVALID);
    assert_null(qr);
    screen_free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shipped_instrument_as_questionnaire),
        cmocka_unit_test(shipped_item_with_options_and_help),
        cmocka_unit_test(licensed_fixture_as_questionnaire),
        cmocka_unit_test(show_if_becomes_enable_when),
        cmocka_unit_test(response_has_only_answered_items),
        cmocka_unit_test(response_with_integer_and_no_answers),
        cmocka_unit_test(response_refuses_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
