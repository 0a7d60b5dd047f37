/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The instruments we ship and the fixtures of licensed ones: each must load, and score every
 * case of its <id>.cases.json exactly (scales, primary band, rules, red flags). The cases encode
 * the published scoring rules at every band edge, so a change to the engine or a definition that
 * moves a cut-off fails here.
 */
#include "core/compat.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "screening/screening.h"

static const char *const files[] = {
    "data/instruments/vk-signal-adult", "data/instruments/vk-signal-youth",
    "data/instruments/vk-signal-child", "tests/fixtures/instruments/rhs15",
    "tests/fixtures/instruments/phq9",  "tests/fixtures/instruments/gad7",
    "tests/fixtures/instruments/k10",   "tests/fixtures/instruments/who5",
};

static const char *cases_path(const char *base, char *out, size_t size)
{
    const char *slash = strrchr(base, '/');
    snprintf(out, size, "%s/tests/fixtures/instruments/%s.cases.json", VK_SOURCE_DIR, slash + 1);
    return out;
}

static void check_expect(const struct screen_instrument *in, const struct screen_result *r,
                         json_t *expect, const char *name)
{
    json_t *scales = json_object_get(expect, "scales"), *rules = json_object_get(expect, "rules");
    json_t *flags = json_object_get(expect, "red_flags"), *val;
    const char *band = json_string_value(json_object_get(expect, "band")), *key;
    const char *level = json_string_value(json_object_get(expect, "level"));

    json_object_foreach(scales, key, val)
    {
        int s = -1;
        for (int i = 0; i < in->n_scales; i++) {
            s = strcmp(in->scales[i].id, key) ? s : i;
        }
        if (s < 0 || r->scale[s] != json_integer_value(val)) {
            fail_msg("%s: scale %s = %lld, want %lld", name, key,
                     s < 0 ? -1LL : (long long)r->scale[s], (long long)json_integer_value(val));
        }
    }
    if (band && (r->primary_band < 0 || strcmp(in->bands[r->primary_band].id, band))) {
        fail_msg("%s: band %s, want %s", name,
                 r->primary_band < 0 ? "(none)" : in->bands[r->primary_band].id, band);
    }
    if (level && strcmp(r->level, level)) {
        fail_msg("%s: level %s, want %s", name, r->level, level);
    }
    json_object_foreach(rules, key, val)
    {
        for (int i = 0; i < in->n_rules; i++) {
            if (!strcmp(in->rules[i].id, key) && r->rule[i] != json_is_true(val)) {
                fail_msg("%s: rule %s = %d", name, key, r->rule[i]);
            }
        }
    }
    if (flags && (size_t)r->n_flags != json_array_size(flags)) {
        fail_msg("%s: %d red flags, want %zu", name, r->n_flags, json_array_size(flags));
    }
    for (int i = 0; flags && i < r->n_flags; i++) {
        const char *want = json_string_value(json_array_get(flags, (size_t)i));
        if (!want || strcmp(in->flags[r->flags[i]].id, want)) {
            fail_msg("%s: red flag %s, want %s", name, in->flags[r->flags[i]].id, want);
        }
    }
}

static void run_case(const struct screen_instrument *in, json_t *c)
{
    const char *name = json_string_value(json_object_get(c, "name"));
    json_t *answers = json_object_get(c, "answers"), *val;
    struct screen_answers a;
    struct screen_result r;
    struct verr v = {0};
    const char *id;

    memset(&a, 0, sizeof(a));
    json_object_foreach(answers, id, val)
    {
        int i = screen_item_index(in, id);
        if (i < 0 || !json_is_integer(val)) {
            fail_msg("%s/%s: unknown item %s", in->id, name, id);
        }
        a.given[i] = true;
        a.value[i] = json_integer_value(val);
    }
    screen_answers_check(in, &a, &v);
    if (v.n) {
        fail_msg("%s/%s: answers refused: %s %s", in->id, name, v.items[0].pointer,
                 v.items[0].detail);
    }
    screen_score(in, &a, &r);
    check_expect(in, &r, json_object_get(c, "expect"), name ? name : "?");
}

static void every_file_loads_and_scores(void **state)
{
    for (size_t f = 0; f < ARRAY_SIZE(files); f++) {
        char path[512], cpath[512], msg[300] = "";
        struct screen_instrument *in = NULL;
        struct verr v = {0};
        json_error_t je;
        json_t *cases, *c;
        size_t i;

        snprintf(path, sizeof(path), "%s/%s.json", VK_SOURCE_DIR, files[f]);
        if (screen_load_file(path, &in, &v, msg, sizeof(msg))) {
            fail_msg("%s: %s %s", msg, v.n ? v.items[0].pointer : "", v.n ? v.items[0].detail : "");
        }
        cases = json_load_file(cases_path(files[f], cpath, sizeof(cpath)), 0, &je);
        if (!json_is_array(cases) || json_array_size(cases) < 4) {
            fail_msg("%s: need at least 4 cases (%s)", cpath, je.text);
        }
        json_array_foreach(cases, i, c)
        {
            run_case(in, c);
        }
        json_decref(cases);
        screen_free(in);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_file_loads_and_scores),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
