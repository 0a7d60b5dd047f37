/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The social map's search index (src/directory/index.c): text folding for Arabic and Persian,
 * and dir_index_service() on the demo map. The expected codes are computed from the terms the
 * demo file embeds in its attributes (written by tools/social-map/gen.py, independently of the
 * compiled-in taxonomy), so a wrong lookup, a missed object or a wrong derived code fails.
 */
#include "core/compat.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "directory/directory_int.h"

#define DEMO_MAP VK_SOURCE_DIR "/data/social-map/demo-veerhaven.json"

static void check_fold(const char *in, const char *want)
{
    struct buf out = BUF_INIT(1024);

    assert_int_equal(dir_text_fold(in, strlen(in), &out), ERR_OK);
    assert_string_equal(out.ptr, want);
    buf_release(&out);
}

static void fold_arabic_and_persian(void **state)
{
    (void)state;
    check_fold("Taalcafé", "Taalcafé"); /* Latin is left to FTS5 remove_diacritics */
    check_fold("", "");
    /* tashkeel and tatweel go: مُسَاعَدَة → مساعده (ة → ه) */
    check_fold("\xd9\x85\xd9\x8f\xd8\xb3\xd9\x8e\xd8\xa7\xd8\xb9\xd9\x8e\xd8\xaf\xd9\x8e\xd8\xa9",
               "\xd9\x85\xd8\xb3\xd8\xa7\xd8\xb9\xd8\xaf\xd9\x87");
    check_fold("\xd9\x80x\xd9\x92", "x");
    /* أ إ آ → ا */
    check_fold("\xd8\xa3\xd8\xa5\xd8\xa2", "\xd8\xa7\xd8\xa7\xd8\xa7");
    /* ى and ي → ی, ك → ک; Persian ی and ک stay */
    check_fold("\xd9\x89\xd9\x8a\xdb\x8c", "\xdb\x8c\xdb\x8c\xdb\x8c");
    check_fold("\xd9\x83\xda\xa9", "\xda\xa9\xda\xa9");
    /* bytes that are not a folded letter pass through, even a truncated sequence */
    check_fold("a\xd9", "a\xd9");
    check_fold("\xd9\x8b\xd9", "\xd9");
}

static void fold_respects_the_cap(void **state)
{
    struct buf out = BUF_INIT(4);

    (void)state;
    assert_int_equal(dir_text_fold("abcdef", 6, &out), ERR_TOO_LARGE);
    buf_release(&out);
}

static void check_fts(const char *q, const char *want)
{
    struct buf m = BUF_INIT(4096);

    assert_int_equal(dir__fts_expression(q, &m), ERR_OK);
    assert_string_equal(m.ptr, want);
    buf_release(&m);
}

/* User text never becomes FTS5 syntax: every word is a quoted string, a trailing * a prefix. */
static void query_terms_are_quoted(void **state)
{
    (void)state;
    check_fts("taalcafe", "\"taalcafe\"");
    check_fts("  taal   cafe ", "\"taal\" \"cafe\"");
    check_fts("trauma*", "\"trauma\"*");
    check_fts("a\"b", "\"a\"\"b\"");
    check_fts("NEAR(a b) OR c", "\"NEAR(a\" \"b)\" \"OR\" \"c\"");
    check_fts("name:x", "\"name:x\"");
    check_fts("* - \" ()", ""); /* nothing to find: no expression at all */
    check_fts("**", "");
    check_fts("x**", "\"x*\"*");
    /* folded like the index: أ → ا, tashkeel dropped */
    check_fts("\xd8\xa3\xd9\x8e", "\"\xd8\xa7\"");
}

static json_t *load_demo(void)
{
    json_error_t je;
    json_t *pkg = json_load_file(DEMO_MAP, 0, &je);

    assert_non_null(pkg);
    assert_true(json_array_size(pkg) >= 60);
    return pkg;
}

static bool ix_has(const struct dir_index *ix, const char *code)
{
    size_t i;

    for (i = 0; i < ix->ncodes; i++) {
        if (strcmp(ix->codes[i], code) == 0) {
            return true;
        }
    }
    return false;
}

/* Counts the distinct non-text embedded codes of obj.attributes missing from ix; adds to *n. */
static void expect_embedded(const struct dir_index *ix, const json_t *obj, size_t *n)
{
    const json_t *a;
    size_t i;

    json_array_foreach(json_object_get(obj, "attributes"), i, a)
    {
        const char *code =
            json_string_value(json_object_get(json_object_get(a, "taxonomy_term"), "code"));

        assert_non_null(code);
        if (strncmp(code, "translation", 11) == 0) {
            continue;
        }
        if (!ix_has(ix, code)) {
            fail_msg("code %s missing", code);
        }
        (*n)++;
    }
}

static const char *embedded(const json_t *obj, const char *prefix)
{
    const json_t *a;
    size_t i;

    json_array_foreach(json_object_get(obj, "attributes"), i, a)
    {
        const char *code =
            json_string_value(json_object_get(json_object_get(a, "taxonomy_term"), "code"));

        if (code && strncmp(code, prefix, strlen(prefix)) == 0) {
            return code;
        }
    }
    return NULL;
}

/* Every code the file embeds is indexed, and the derived ones agree with the file. */
static void check_service_codes(const json_t *s, const struct dir_index *ix)
{
    const json_t *v;
    size_t i, n = 0;
    bool free_coa = false;
    char want[256];

    expect_embedded(ix, s, &n);
    json_array_foreach(json_object_get(s, "cost_options"), i, v)
    {
        const char *phase = embedded(v, "phase."), *cost = embedded(v, "cost.");

        expect_embedded(ix, v, &n);
        if (strcmp(phase, "phase.coa") == 0 && strcmp(cost, "cost.free") == 0) {
            free_coa = true;
        }
    }
    json_array_foreach(json_object_get(s, "contacts"), i, v)
    {
        expect_embedded(ix, v, &n);
    }
    json_array_foreach(json_object_get(s, "languages"), i, v)
    {
        snprintf(want, sizeof(want), "lang.%s", json_string_value(json_object_get(v, "code")));
        assert_true(ix_has(ix, want));
    }
    json_array_foreach(json_object_get(s, "service_areas"), i, v)
    {
        snprintf(want, sizeof(want), "area.%s", json_string_value(json_object_get(v, "uri")));
        assert_true(ix_has(ix, want));
    }
    assert_int_equal(ix_has(ix, "free.coa"), free_coa);
    assert_int_equal(ix_has(ix, "open"),
                     ix_has(ix, "capacity.open") &&
                         strcmp(json_string_value(json_object_get(s, "status")), "active") == 0);
    assert_int_equal(ix_has(ix, "no_referral"), ix_has(ix, "entry_route.no_referral") ||
                                                    ix_has(ix, "entry_route.self_registration"));
    assert_true(n > 0 && ix->ncodes >= 3);
    for (i = 0; i < ix->ncodes; i++) {
        assert_true(strncmp(ix->codes[i], "translation", 11) != 0);
    }
}

static void index_every_demo_service(void **state)
{
    json_t *pkg = load_demo();
    const json_t *s;
    size_t i, opened = 0;

    (void)state;
    json_array_foreach(pkg, i, s)
    {
        struct dir_index ix;
        const char *level = embedded(s, "care_level.");

        assert_int_equal(dir_index_service(s, &ix), ERR_OK);
        check_service_codes(s, &ix);
        assert_string_equal(ix.level, level + strlen("care_level."));
        assert_string_equal(ix.name, json_string_value(json_object_get(s, "name")));
        assert_int_equal(ix.nlocations,
                         json_array_size(json_object_get(s, "service_at_locations")));
        opened += ix_has(&ix, "open");
        dir_index_release(&ix);
    }
    assert_true(opened > 0 && opened < json_array_size(pkg));
    json_decref(pkg);
}

static const json_t *find_service(const json_t *pkg, const char *name)
{
    const json_t *s;
    size_t i;

    json_array_foreach(pkg, i, s)
    {
        if (strcmp(json_string_value(json_object_get(s, "name")), name) == 0) {
            return s;
        }
    }
    fail_msg("no demo service %s", name);
    return NULL;
}

/* One service in detail: the language café. */
static void index_language_cafe(void **state)
{
    json_t *pkg = load_demo();
    const json_t *s = find_service(pkg, "Taalcafé Veerhaven");
    struct dir_index ix;

    (void)state;
    assert_int_equal(dir_index_service(s, &ix), ERR_OK);
    assert_string_equal(ix.level, "L0");
    assert_int_equal(ix.level_rank, 1);
    assert_int_equal(ix.min_age, 16);
    assert_int_equal(ix.max_age, -1);
    assert_string_equal(ix.status, "active");
    assert_string_equal(ix.assured_date, "2026-09-14");
    assert_true(ix_has(&ix, "care_level.L0"));
    assert_true(ix_has(&ix, "phase.coa"));
    assert_true(ix_has(&ix, "phase.municipality"));
    assert_true(ix_has(&ix, "free.coa"));
    assert_true(ix_has(&ix, "free.municipality"));
    assert_true(ix_has(&ix, "cost.free"));
    assert_true(ix_has(&ix, "chain_role.signals"));
    assert_true(ix_has(&ix, "chain_role.informs"));
    assert_true(ix_has(&ix, "lang.nl"));
    assert_true(ix_has(&ix, "area.urn:veerkracht:demo:gemeente:veerhaven"));
    assert_false(ix_has(&ix, "lang.ar"));
    assert_int_equal(ix.nlocations, 1);
    assert_string_equal(ix.location_ids[0], "ec0f4929-3859-584b-9b69-f060319d95ae");
    /* every language of the name, one line each; org and location names in their columns */
    assert_non_null(strstr(ix.fts[0].ptr, "Taalcafé Veerhaven\n"));
    assert_true(strchr(ix.fts[0].ptr, '\n') != strrchr(ix.fts[0].ptr, '\n'));
    assert_non_null(strstr(ix.fts[3].ptr, "Bibliotheek Veerhaven-Lindedal (fictief)"));
    assert_non_null(strstr(ix.fts[4].ptr, "Bibliotheek Veerhaven"));
    assert_non_null(strstr(ix.fts[2].ptr, "Kom langs"));
    dir_index_release(&ix);
    json_decref(pkg);
}

/* Arabic translations are indexed folded: no tashkeel, no hamza forms, no ة left. */
static void index_folds_translations(void **state)
{
    json_t *pkg = load_demo();
    const json_t *s;
    size_t i, c;

    (void)state;
    json_array_foreach(pkg, i, s)
    {
        struct dir_index ix;

        assert_int_equal(dir_index_service(s, &ix), ERR_OK);
        for (c = 0; c < DIR_FTS_COLS; c++) {
            assert_null(strstr(ix.fts[c].ptr, "\xd8\xa3")); /* أ */
            assert_null(strstr(ix.fts[c].ptr, "\xd8\xa9")); /* ة */
            assert_null(strstr(ix.fts[c].ptr, "\xd9\x8e")); /* fatha */
        }
        dir_index_release(&ix);
    }
    json_decref(pkg);
}

static void index_refuses_garbage(void **state)
{
    struct dir_index ix;
    json_t *s = json_pack("{s:s}", "name", "x");

    (void)state;
    assert_int_equal(dir_index_service(s, &ix), ERR_INVALID); /* no level, layer, capacity */
    dir_index_release(&ix);
    assert_int_equal(dir_index_service(json_null(), &ix), ERR_INVALID);
    dir_index_release(&ix);
    json_decref(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fold_arabic_and_persian), cmocka_unit_test(fold_respects_the_cap),
        cmocka_unit_test(query_terms_are_quoted),  cmocka_unit_test(index_every_demo_service),
        cmocka_unit_test(index_language_cafe),     cmocka_unit_test(index_folds_translations),
        cmocka_unit_test(index_refuses_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
