/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The instrument loader and scoring engine, table-driven: every scale method, reverse items,
 * option scores, multiply, min_answered, show_if, rules (any/all), red flags, band edges; and
 * malformed definitions, each rejected with the JSON pointer of the problem.
 */
#include "core/compat.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "screening/screening.h"

/* A small valid definition; tests patch it with json_object_set / json_array_append. */
static const char base_def[] =
    "{\"format\":\"veerkracht-instrument/1\",\"id\":\"t-one\",\"version\":\"1.0.0\","
    "\"validated\":false,\"source\":\"unit test\","
    "\"licence\":{\"name\":\"EUPL-1.2\",\"attribution\":\"x\",\"item_text_policy\":\"bundle\"},"
    "\"respondent\":\"self\",\"age\":{\"min\":18,\"max\":120},"
    "\"languages\":{\"nl\":{\"review_status\":\"reviewed\",\"voice\":true}},"
    "\"title\":{\"nl\":\"T\"},\"intro\":{\"nl\":\"I\"},"
    "\"response_sets\":["
    " {\"id\":\"yn\",\"type\":\"yes_no\",\"options\":[{\"value\":1,\"label\":{\"nl\":\"Ja\"}},"
    "  {\"value\":0,\"label\":{\"nl\":\"Nee\"}}]},"
    " {\"id\":\"l4\",\"type\":\"likert\",\"options\":[{\"value\":0,\"label\":{\"nl\":\"0\"}},"
    "  {\"value\":1,\"label\":{\"nl\":\"1\"}},{\"value\":2,\"score\":3,\"label\":{\"nl\":\"2\"}},"
    "  {\"value\":3,\"score\":5,\"label\":{\"nl\":\"3\"}}]},"
    " {\"id\":\"t10\",\"type\":\"scale\",\"min\":0,\"max\":10}],"
    "\"sections\":[{\"id\":\"s\",\"kind\":\"symptoms\",\"title\":{\"nl\":\"S\"}},"
    " {\"id\":\"g\",\"kind\":\"strengths\",\"title\":{\"nl\":\"G\"}},"
    " {\"id\":\"x\",\"kind\":\"stressors\",\"title\":{\"nl\":\"X\"}},"
    " {\"id\":\"z\",\"kind\":\"safety\",\"title\":{\"nl\":\"Z\"}}],"
    "\"items\":["
    " {\"id\":\"a\",\"section\":\"s\",\"response_set\":\"yn\",\"required\":true,\"text\":{\"nl\":"
    "\"a\"}},"
    " {\"id\":\"b\",\"section\":\"s\",\"response_set\":\"yn\",\"required\":true,\"text\":{\"nl\":"
    "\"b\"}},"
    " {\"id\":\"c\",\"section\":\"s\",\"response_set\":\"l4\",\"required\":true,\"text\":{\"nl\":"
    "\"c\"}},"
    " {\"id\":\"d\",\"section\":\"s\",\"response_set\":\"l4\",\"required\":true,\"reverse\":true,"
    "  \"text\":{\"nl\":\"d\"}},"
    " {\"id\":\"e\",\"section\":\"s\",\"response_set\":\"t10\",\"required\":false,\"text\":{\"nl\":"
    "\"e\"}},"
    " {\"id\":\"f\",\"section\":\"s\",\"response_set\":\"yn\",\"required\":true,"
    "  \"show_if\":{\"ref\":\"item:a\",\"op\":\"==\",\"value\":1},\"text\":{\"nl\":\"f\"}},"
    " {\"id\":\"g1\",\"section\":\"g\",\"response_set\":\"yn\",\"text\":{\"nl\":\"g\"}},"
    " {\"id\":\"x1\",\"section\":\"x\",\"response_set\":\"yn\",\"text\":{\"nl\":\"x\"}},"
    " {\"id\":\"z1\",\"section\":\"z\",\"response_set\":\"yn\",\"required\":true,\"text\":{\"nl\":"
    "\"z\"}}],"
    "\"scales\":["
    " {\"id\":\"count\",\"method\":\"count_ge\",\"threshold\":1,\"items\":[\"a\",\"b\",\"f\"],"
    "  \"min_answered\":2},"
    " {\"id\":\"sum\",\"method\":\"sum\",\"items\":[\"c\",\"d\"]},"
    " {\"id\":\"w\",\"method\":\"weighted_sum\",\"items\":[\"a\",\"b\"],\"weights\":{\"a\":2,\"b\":"
    "3}},"
    " {\"id\":\"mean\",\"method\":\"mean_x100\",\"items\":[\"c\",\"d\"]},"
    " {\"id\":\"mx\",\"method\":\"max\",\"items\":[\"c\",\"d\"]},"
    " {\"id\":\"pct\",\"method\":\"sum\",\"items\":[\"a\",\"b\"],\"multiply\":4}],"
    "\"bands\":["
    " {\"scale\":\"count\",\"min\":0,\"max\":1,\"id\":\"low\",\"level\":\"L0\",\"advice\":\"low\","
    "  \"label\":{\"nl\":\"laag\"}},"
    " {\"scale\":\"count\",\"min\":2,\"max\":3,\"id\":\"high\",\"level\":\"L1\",\"advice\":"
    "\"high\","
    "  \"label\":{\"nl\":\"hoog\"}}],"
    "\"rules\":[{\"id\":\"pos\",\"any\":[{\"ref\":\"scale:sum\",\"op\":\">=\",\"value\":8},"
    "  {\"ref\":\"item:e\",\"op\":\">=\",\"value\":5}]},"
    " {\"id\":\"both\",\"all\":[{\"ref\":\"rule:pos\",\"op\":\"==\",\"value\":1},"
    "  {\"ref\":\"item:a\",\"op\":\"==\",\"value\":1}]}],"
    "\"red_flags\":[{\"id\":\"rf\",\"when\":{\"ref\":\"item:z1\",\"op\":\"==\",\"value\":1},"
    " \"severity\":\"red\",\"protocol\":\"suicide\"}],"
    "\"advice\":{\"low\":{\"volunteer\":{\"nl\":\"v\"},\"client\":{\"nl\":\"c\"}},"
    " \"high\":{\"volunteer\":{\"nl\":\"v\"},\"client\":{\"nl\":\"c\"}}}}";

static json_t *base_doc(void)
{
    json_error_t e;
    json_t *d = json_loads(base_def, 0, &e);
    if (!d) {
        fail_msg("base definition: %s at %d:%d", e.text, e.line, e.column);
    }
    return d;
}

/* Returns an owned instrument (screen_free) that holds its own reference to doc. */
static struct screen_instrument *load(json_t *doc)
{
    struct screen_instrument *in = calloc(1, sizeof(*in));
    struct verr v = {0};
    if (screen_parse(doc, in, &v)) {
        fail_msg("definition rejected: %s: %s", v.items[0].pointer, v.items[0].detail);
    }
    return in;
}

static void answer(const struct screen_instrument *in, struct screen_answers *a, const char *id,
                   int64_t value)
{
    int i = screen_item_index(in, id);
    assert_true(i >= 0);
    a->given[i] = true;
    a->value[i] = value;
}

static int scale_of(const struct screen_instrument *in, const char *id)
{
    for (int i = 0; i < in->n_scales; i++) {
        if (!strcmp(in->scales[i].id, id)) {
            return i;
        }
    }
    fail_msg("no scale %s", id);
    return -1;
}

static void loads_and_computes_ranges(void **state)
{
    json_t *doc = base_doc();
    struct screen_instrument *in = load(doc);
    assert_string_equal(in->id, "t-one");
    assert_int_equal(in->n_items, 9);
    assert_true(in->scales[scale_of(in, "sum")].hi == 10); /* 5 + 5 (option scores) */
    assert_true(in->scales[scale_of(in, "mean")].hi == 500);
    assert_true(in->scales[scale_of(in, "pct")].hi == 8);
    assert_true(in->scales[scale_of(in, "w")].hi == 5);
    screen_free(in);
    json_decref(doc);
}

struct score_case {
    const char *name;
    int64_t a, b, c, d, e, f, z1; /* -1: not answered */
    int64_t count, sum, w, mean, mx, pct;
    const char *band;
    bool pos, both, flag;
};

static void scoring_table(void **state)
{
    /* d is reversed: its score is (0 + 5) - score(value); value 3 → score 5 → 0 */
    static const struct score_case cases[] = {
        {"all low", 0, 0, 0, 3, -1, -1, 0, 0, 0, 0, 0, 0, 0, "low", false, false, false},
        {"band edge 1", 1, 0, 0, 3, -1, 0, 0, 1, 0, 2, 0, 0, 4, "low", false, false, false},
        {"band edge 2", 1, 1, 0, 3, -1, 0, 0, 2, 0, 5, 0, 0, 8, "high", false, false, false},
        {"option scores", 0, 0, 3, 0, -1, -1, 0, 0, 10, 0, 500, 5, 0, "low", true, false, false},
        {"mean half up", 0, 0, 1, 2, -1, -1, 0, 0, 3, 0, 150, 2, 0, "low", false, false, false},
        {"thermometer", 1, 0, 0, 3, 5, 1, 0, 2, 0, 2, 0, 0, 4, "high", true, true, false},
        {"thermometer 4", 1, 0, 0, 3, 4, 1, 0, 2, 0, 2, 0, 0, 4, "high", false, false, false},
        {"red flag", 0, 0, 0, 3, -1, -1, 1, 0, 0, 0, 0, 0, 0, "low", false, false, true},
    };
    json_t *doc = base_doc();
    struct screen_instrument *in = load(doc);

    for (size_t k = 0; k < ARRAY_SIZE(cases); k++) {
        const struct score_case *t = &cases[k];
        struct screen_answers a;
        struct screen_result r;
        struct verr v = {0};
        const int64_t *vals = &t->a;
        static const char *const ids[] = {"a", "b", "c", "d", "e", "f", "z1"};

        memset(&a, 0, sizeof(a));
        for (int i = 0; i < 7; i++) {
            if (vals[i] >= 0) {
                answer(in, &a, ids[i], vals[i]);
            }
        }
        screen_answers_check(in, &a, &v);
        if (v.n) {
            fail_msg("%s: %s %s", t->name, v.items[0].pointer, v.items[0].detail);
        }
        screen_score(in, &a, &r);
        if (r.scale[0] != t->count || r.scale[1] != t->sum || r.scale[2] != t->w ||
            r.scale[3] != t->mean || r.scale[4] != t->mx || r.scale[5] != t->pct) {
            fail_msg("%s: scales %lld %lld %lld %lld %lld %lld", t->name, (long long)r.scale[0],
                     (long long)r.scale[1], (long long)r.scale[2], (long long)r.scale[3],
                     (long long)r.scale[4], (long long)r.scale[5]);
        }
        assert_true(r.primary_band >= 0);
        assert_string_equal(in->bands[r.primary_band].id, t->band);
        assert_int_equal(r.rule[0], t->pos);
        assert_int_equal(r.rule[1], t->both);
        assert_int_equal(r.n_flags, t->flag ? 1 : 0);
        assert_string_equal(r.level, t->flag ? "crisis" : in->bands[r.primary_band].level);
    }
    screen_free(in);
    json_decref(doc);
}

static void answers_are_checked(void **state)
{
    json_t *doc = base_doc();
    struct screen_instrument *in = load(doc);
    struct screen_answers a;
    struct verr v = {0};

    memset(&a, 0, sizeof(a));
    answer(in, &a, "a", 0);
    answer(in, &a, "b", 2);  /* not a yes/no value */
    answer(in, &a, "e", 11); /* out of the 0-10 scale */
    answer(in, &a, "f", 1);  /* hidden: a is 0 */
    screen_answers_check(in, &a, &v);
    assert_string_equal(v.items[0].pointer, "/answers/b");
    assert_string_equal(v.items[1].pointer, "/answers/c"); /* required, missing */
    assert_string_equal(v.items[2].pointer, "/answers/d");
    assert_string_equal(v.items[3].pointer, "/answers/e");
    assert_string_equal(v.items[4].pointer, "/answers/f");
    assert_string_equal(v.items[5].pointer, "/answers/z1");
    assert_int_equal(v.n, 6);
    screen_free(in);
    json_decref(doc);
}

static void incomplete_scale_gets_no_band(void **state)
{
    json_t *doc = base_doc();
    struct screen_instrument *in = load(doc);
    struct screen_answers a;
    struct screen_result r;
    memset(&a, 0, sizeof(a));
    answer(in, &a, "a", 1); /* count needs 2 answered */
    screen_score(in, &a, &r);
    assert_false(r.complete[0]);
    assert_int_equal(r.band[0], -1);
    screen_free(in);
    json_decref(doc);
}

static void red_flag_fires_on_the_answer(void **state)
{
    json_t *doc = base_doc();
    struct screen_instrument *in = load(doc);
    int z1 = screen_item_index(in, "z1");
    assert_true(screen_flag_fires(in, 0, z1, 1));
    assert_false(screen_flag_fires(in, 0, z1, 0));
    assert_false(screen_flag_fires(in, 0, screen_item_index(in, "a"), 1));
    screen_free(in);
    json_decref(doc);
}

static void a_rule_can_raise_the_level(void **state)
{
    json_t *doc = base_doc();
    json_t *rule = json_array_get(json_object_get(doc, "rules"), 0); /* pos: sum >= 8 or e >= 5 */
    struct screen_instrument *in;
    struct screen_answers a;
    struct screen_result r;

    json_object_set_new(rule, "level", json_string("L2"));
    json_object_set_new(rule, "advice", json_string("high"));
    in = load(doc);
    memset(&a, 0, sizeof(a));
    answer(in, &a, "a", 0);
    answer(in, &a, "b", 0);
    answer(in, &a, "c", 0);
    answer(in, &a, "d", 3);
    answer(in, &a, "z1", 0);
    screen_score(in, &a, &r);
    assert_string_equal(r.level, "L0"); /* band low, rule does not hold */
    assert_int_equal(r.level_rule, -1);
    answer(in, &a, "e", 5);
    screen_score(in, &a, &r);
    assert_string_equal(in->bands[r.primary_band].id, "low");
    assert_string_equal(r.level, "L2"); /* the rule holds and outranks the band */
    assert_int_equal(r.level_rule, 0);
    answer(in, &a, "z1", 1);
    screen_score(in, &a, &r);
    assert_string_equal(r.level, "crisis"); /* and a red flag outranks everything */
    screen_free(in);
    json_decref(doc);
}

static void strengths_and_stressors(void **state)
{
    json_t *doc = base_doc();
    struct screen_instrument *in = load(doc);
    struct screen_answers a;
    struct screen_result r;
    memset(&a, 0, sizeof(a));
    answer(in, &a, "g1", 1);
    answer(in, &a, "x1", 0);
    screen_score(in, &a, &r);
    assert_true(r.strengths == (1ULL << screen_item_index(in, "g1")));
    assert_true(r.stressors == 0);
    screen_free(in);
    json_decref(doc);
}

struct bad_def {
    const char *patch; /* JSON merged into the base at top level */
    const char *pointer;
};

static void malformed_definitions_are_located(void **state)
{
    static const struct bad_def cases[] = {
        {"{\"format\":\"other\"}", "/format"},
        {"{\"id\":\"Bad Id\"}", "/id"},
        {"{\"version\":\"one\"}", "/version"},
        {"{\"respondent\":\"robot\"}", "/respondent"},
        {"{\"age\":{\"min\":30,\"max\":20}}", "/age"},
        {"{\"languages\":{\"en\":{\"review_status\":\"draft\"}}}", "/languages"},
        {"{\"title\":{\"en\":\"no dutch\"}}", "/title/nl"},
        {"{\"items\":[]}", "/items"},
        {"{\"items\":[{\"id\":\"a\",\"section\":\"nope\",\"response_set\":\"yn\","
         "\"text\":{\"nl\":\"a\"}}]}",
         "/items/0/section"},
        {"{\"response_sets\":[{\"id\":\"yn\",\"type\":\"yes_no\",\"options\":["
         "{\"value\":1,\"label\":{\"nl\":\"J\"}},{\"value\":2,\"label\":{\"nl\":\"N\"}}]}]}",
         "/response_sets/0"},
        {"{\"bands\":[{\"scale\":\"count\",\"min\":0,\"max\":1,\"id\":\"low\",\"level\":\"L0\","
         "\"advice\":\"low\",\"label\":{\"nl\":\"l\"}}]}",
         "/scales/0"}, /* 2..3 not covered */
        {"{\"bands\":[{\"scale\":\"count\",\"min\":0,\"max\":2,\"id\":\"low\",\"level\":\"L0\","
         "\"advice\":\"low\",\"label\":{\"nl\":\"l\"}},{\"scale\":\"count\",\"min\":2,\"max\":3,"
         "\"id\":\"hi\",\"level\":\"L1\",\"advice\":\"high\",\"label\":{\"nl\":\"h\"}}]}",
         "/scales/0"}, /* overlap at 2 */
        {"{\"bands\":[{\"scale\":\"count\",\"min\":0,\"max\":3,\"id\":\"all\",\"level\":\"L9\","
         "\"advice\":\"low\",\"label\":{\"nl\":\"l\"}}]}",
         "/bands/0/level"},
        {"{\"bands\":[{\"scale\":\"count\",\"min\":0,\"max\":3,\"id\":\"all\",\"level\":\"L0\","
         "\"advice\":\"nope\",\"label\":{\"nl\":\"l\"}}]}",
         "/bands/0/advice"},
        {"{\"red_flags\":[{\"id\":\"rf\",\"when\":{\"ref\":\"scale:sum\",\"op\":\">=\","
         "\"value\":1},\"severity\":\"red\",\"protocol\":\"suicide\"}]}",
         "/red_flags/0/when"},
        {"{\"red_flags\":[{\"id\":\"rf\",\"when\":{\"ref\":\"item:zz\",\"op\":\">=\","
         "\"value\":1},\"severity\":\"red\",\"protocol\":\"suicide\"}]}",
         "/red_flags/0/when/ref"},
        {"{\"rules\":[{\"id\":\"r\",\"any\":[{\"ref\":\"item:a\",\"op\":\"~\",\"value\":1}]}]}",
         "/rules/0/any/0/op"},
        {"{\"scales\":[{\"id\":\"s\",\"method\":\"median\",\"items\":[\"a\"]}]}",
         "/scales/0/method"},
        {"{\"items\":[{\"id\":\"a\",\"section\":\"s\",\"response_set\":\"yn\","
         "\"requried\":true,\"text\":{\"nl\":\"a\"}}]}",
         "/items/0/requried"},
        {"{\"colour\":\"blue\"}", "/colour"},
        {"{\"rules\":[{\"id\":\"r\",\"level\":\"L7\",\"any\":[{\"ref\":\"item:a\","
         "\"op\":\"==\",\"value\":1}]}]}",
         "/rules/0/level"},
        {"{\"rules\":[{\"id\":\"r\",\"advice\":\"none\",\"any\":[{\"ref\":\"item:a\","
         "\"op\":\"==\",\"value\":1}]}]}",
         "/rules/0/advice"},
    };
    for (size_t k = 0; k < ARRAY_SIZE(cases); k++) {
        json_t *doc = base_doc();
        json_t *patch = json_loads(cases[k].patch, 0, NULL);
        struct screen_instrument in;
        struct verr v = {0};
        bool found = false;

        assert_non_null(patch);
        json_object_update(doc, patch);
        assert_int_equal(screen_parse(doc, &in, &v), ERR_INVALID);
        for (size_t i = 0; i < v.n; i++) {
            found |= !strcmp(v.items[i].pointer, cases[k].pointer);
        }
        if (!found) {
            fail_msg("case %zu: no error at %s (first: %s: %s)", k, cases[k].pointer,
                     v.n ? v.items[0].pointer : "-", v.n ? v.items[0].detail : "-");
        }
        json_decref(patch);
        json_decref(doc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loads_and_computes_ranges),
        cmocka_unit_test(scoring_table),
        cmocka_unit_test(answers_are_checked),
        cmocka_unit_test(incomplete_scale_gets_no_band),
        cmocka_unit_test(red_flag_fires_on_the_answer),
        cmocka_unit_test(strengths_and_stressors),
        cmocka_unit_test(a_rule_can_raise_the_level),
        cmocka_unit_test(malformed_definitions_are_located),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
