/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The HSDS format layer: taxonomy ids against docs/social-map.md §2.9 and the demo's embedded
 * terms, every profile rule as one mutation of a minimal valid service (tests/fixtures/hsds/),
 * structural and identity errors, the canonical dump, CSV quoting and located errors, the
 * round trip package -> CSV -> package of the demo map, byte for byte, and profile errors of an
 * exported demo map broken in its CSV text, located by hsds_csv_load() as file:line:field.
 */
#include "core/compat.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/buf.h"
#include "directory/hsds.h"

#define FIXTURES VK_SOURCE_DIR "/tests/fixtures/hsds/"
#define DEMO     VK_SOURCE_DIR "/data/social-map/demo-veerhaven.json"

static json_t *load(const char *path)
{
    json_error_t je;
    json_t *v = json_load_file(path, 0, &je);
    if (!v) {
        fail_msg("%s: %s (line %d)", path, je.text, je.line);
    }
    return v;
}

static bool has_error(const struct verr *v, const char *pointer)
{
    for (size_t i = 0; i < v->n; i++) {
        if (strcmp(v->items[i].pointer, pointer) == 0) {
            return true;
        }
    }
    return false;
}

static void print_errors(const struct verr *v)
{
    for (size_t i = 0; i < v->n; i++) {
        print_message("    %s: %s\n", v->items[i].pointer, v->items[i].detail);
    }
}

static char *canon(const json_t *v)
{
    struct buf b = BUF_INIT(64u << 20);
    assert_int_equal(hsds_dump_package(v, &b), ERR_OK);
    return buf_detach(&b, NULL);
}

/* ---- taxonomy ------------------------------------------------------------------------------ */

static void taxonomy_ids(void **state)
{
    /* copied from the table in docs/social-map.md §2.9 */
    static const char *const known[][2] = {
        {"care_level", "41d43784-e68e-5fe8-847d-6495f83e0c51"},
        {"phase.coa", "bcc5479e-7882-5d1a-b1e7-2ede2f6d4862"},
        {"iasc_layer.4", "f8e1b5a0-5b54-5e73-a8ab-58e74ce1219a"},
        {"capacity.updated", "fbd3948a-1d7f-587d-afd7-d5879bb69740"},
    };
    const struct hsds_term *t;
    (void)state;

    /* 14 dimensions, 66 values, 15 fields x 12 languages, 12 statuses */
    assert_int_equal(hsds_term_count(), 14 + 66 + 180 + 12);
    for (size_t i = 0; i < ARRAY_SIZE(known); i++) {
        t = hsds_term_by_code(known[i][0]);
        assert_non_null(t);
        assert_string_equal(t->id, known[i][1]);
        assert_ptr_equal(hsds_term_by_id(known[i][1]), t);
    }
    t = hsds_term_by_code("translation.description.ar");
    assert_non_null(t);
    assert_string_equal(t->lang, "ar");
    assert_string_equal(t->parent, "translation");
    assert_non_null(hsds_term_by_code("translation_status.prs"));
    assert_null(hsds_term_by_code("translation.description.nl"));
    assert_null(hsds_term_by_code("care_level.L4"));
    assert_null(hsds_term_by_id("41d43784-e68e-5fe8-847d-6495f83e0c52"));
    assert_null(hsds_term_by_id(NULL));
    for (size_t i = 0; i < hsds_term_count(); i++) {
        t = hsds_term_at(i);
        assert_ptr_equal(hsds_term_by_id(t->id), t);
        assert_ptr_equal(hsds_term_by_code(t->code), t);
        if (t->parent) {
            assert_non_null(hsds_term_by_code(t->parent));
            assert_null(hsds_term_by_code(t->parent)->parent);
        }
    }
    assert_null(hsds_term_at(hsds_term_count()));
}

static size_t compare_terms(json_t *attrs)
{
    size_t n = 0, i;
    json_t *a;
    json_array_foreach(attrs, i, a)
    {
        const struct hsds_term *t =
            hsds_term_by_id(json_string_value(json_object_get(a, "taxonomy_term_id")));
        json_t *want = hsds_term_json(t);
        assert_non_null(t);
        assert_true(json_equal(json_object_get(a, "taxonomy_term"), want));
        json_decref(want);
        n++;
    }
    return n;
}

static void term_json_matches_demo(void **state)
{
    json_t *demo = load(DEMO), *s, *o, *tax = hsds_taxonomy_json();
    size_t i, k, n = 0;
    (void)state;

    json_array_foreach(demo, i, s)
    {
        n += compare_terms(json_object_get(s, "attributes"));
        json_array_foreach(json_object_get(s, "cost_options"), k, o)
        {
            n += compare_terms(json_object_get(o, "attributes"));
        }
        json_array_foreach(json_object_get(s, "contacts"), k, o)
        {
            n += compare_terms(json_object_get(o, "attributes"));
        }
        json_array_foreach(json_object_get(s, "required_documents"), k, o)
        {
            n += compare_terms(json_object_get(o, "attributes"));
        }
    }
    assert_int_equal(n, 2959); /* docs/social-map.md §7 */
    assert_string_equal(json_string_value(json_object_get(tax, "id")), HSDS_TAXONOMY_ID);
    assert_string_equal(json_string_value(json_object_get(tax, "uri")), HSDS_TAXONOMY_URI);
    json_decref(tax);
    json_decref(demo);
}

/* ---- validation ---------------------------------------------------------------------------- */

/* Resolves all but the last token of a JSON pointer; *last gets the last token. */
static json_t *parent_of(json_t *root, const char *ptr, char *last, size_t lastsz)
{
    char tok[128];
    const char *p = ptr + 1, *slash;
    json_t *v = root;

    while ((slash = strchr(p, '/')) != NULL) {
        snprintf(tok, sizeof(tok), "%.*s", (int)(slash - p), p);
        v = json_is_array(v) ? json_array_get(v, strtoul(tok, NULL, 10)) : json_object_get(v, tok);
        assert_non_null(v);
        p = slash + 1;
    }
    snprintf(last, lastsz, "%s", p);
    return v;
}

static void apply(json_t *root, json_t *m)
{
    const char *op = json_string_value(json_object_get(m, "op"));
    json_t *value = json_object_get(m, "value");
    char last[128];
    json_t *parent =
        parent_of(root, json_string_value(json_object_get(m, "path")), last, sizeof(last));

    if (json_is_array(parent)) {
        size_t i = strtoul(last, NULL, 10);
        if (strcmp(op, "remove") == 0) {
            assert_int_equal(json_array_remove(parent, i), 0);
        } else if (strcmp(last, "-") == 0) {
            json_array_append(parent, value);
        } else {
            assert_int_equal(json_array_set(parent, i, value), 0);
        }
    } else if (strcmp(op, "remove") == 0) {
        assert_int_equal(json_object_del(parent, last), 0);
    } else {
        json_object_set(parent, last, value);
    }
}

static void minimal_service_is_valid(void **state)
{
    json_t *pkg = load(FIXTURES "minimal-service.json"), *a;
    struct verr v = {0};
    (void)state;

    if (hsds_check_package(pkg, &v) != ERR_OK) {
        print_errors(&v);
        fail();
    }
    /* our terms are embedded when absent */
    a = json_array_get(json_object_get(json_array_get(pkg, 0), "attributes"), 0);
    assert_non_null(json_object_get(a, "taxonomy_term"));
    json_decref(pkg);
}

static void profile_mutations(void **state)
{
    json_t *muts = load(FIXTURES "mutations.json"), *m;
    size_t i, failed = 0;
    (void)state;

    assert_true(json_array_size(muts) > 60);
    json_array_foreach(muts, i, m)
    {
        json_t *pkg = load(FIXTURES "minimal-service.json");
        const char *want = json_string_value(json_object_get(m, "expect"));
        struct verr v = {0};
        enum err rc;

        apply(pkg, m);
        rc = hsds_check_package(pkg, &v);
        if (rc != ERR_INVALID || !has_error(&v, want)) {
            print_message("mutation \"%s\": expected an error at %s, got:\n",
                          json_string_value(json_object_get(m, "why")), want);
            print_errors(&v);
            failed++;
        }
        json_decref(pkg);
    }
    json_decref(muts);
    assert_int_equal(failed, 0);
}

static void organizations_must_agree(void **state)
{
    json_t *pkg = load(FIXTURES "minimal-service.json");
    json_t *copy = json_deep_copy(json_array_get(pkg, 0));
    struct verr v = {0};
    (void)state;

    json_object_set_new(copy, "id", json_string("second-service"));
    json_array_append_new(pkg, copy);
    hsds_check_package(pkg, &v);
    assert_false(has_error(&v, "/1/organization"));
    assert_false(has_error(&v, "/1/service_at_locations/0/location"));
    assert_true(has_error(&v, "/1/contacts/0/id")); /* the copy's contact: a duplicate id */
    json_decref(pkg);

    pkg = load(FIXTURES "minimal-service.json");
    copy = json_deep_copy(json_array_get(pkg, 0));
    json_object_set_new(copy, "id", json_string("second-service"));
    json_object_set_new(json_object_get(copy, "organization"), "name", json_string("Other"));
    json_array_append_new(pkg, copy);
    memset(&v, 0, sizeof(v));
    assert_int_equal(hsds_check_package(pkg, &v), ERR_INVALID);
    assert_true(has_error(&v, "/1/organization"));
    json_decref(pkg);
}

static void normalises(void **state)
{
    json_t *pkg = load(FIXTURES "minimal-service.json"), *s = json_array_get(pkg, 0), *areas;
    struct verr v = {0};
    (void)state;

    json_object_set_new(s, "alternate_name", json_null());
    json_object_set_new(s, "url", json_string(""));
    json_object_set_new(s, "phones", json_array());
    json_object_del(json_array_get(json_object_get(s, "contacts"), 0), "service_id");
    areas = json_object_get(s, "service_areas");
    json_array_insert_new(areas, 0, json_pack("{s:s, s:s}", "id", "ffff-last", "name", "Lindedal"));
    assert_int_equal(hsds_check_package(pkg, &v), ERR_OK);
    assert_null(json_object_get(s, "alternate_name"));
    assert_null(json_object_get(s, "url"));
    assert_null(json_object_get(s, "phones"));
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(s, "contacts"), 0), "service_id")),
                        json_string_value(json_object_get(s, "id")));
    assert_string_equal(json_string_value(json_object_get(json_array_get(areas, 1), "id")),
                        "ffff-last");
    assert_string_equal(json_string_value(json_object_get(json_array_get(areas, 1), "service_id")),
                        json_string_value(json_object_get(s, "id")));
    json_decref(pkg);
}

static void caps(void **state)
{
    json_t *pkg = load(FIXTURES "minimal-service.json"), *s = json_array_get(pkg, 0);
    json_t *phones = json_array();
    char *big = malloc(HSDS_TEXT_MAX + 2);
    struct verr v = {0};
    (void)state;

    memset(big, 'a', HSDS_TEXT_MAX + 1);
    big[HSDS_TEXT_MAX + 1] = '\0';
    json_object_set_new(s, "description", json_string(big));
    for (int i = 0; i < 5001; i++) {
        json_array_append_new(phones, json_pack("{s:i, s:s}", "id", i, "number", "1"));
    }
    json_object_set_new(s, "phones", phones);
    assert_int_equal(hsds_check_package(pkg, &v), ERR_INVALID);
    assert_true(has_error(&v, "/0/description"));
    assert_true(has_error(&v, "/0/phones"));
    free(big);
    json_decref(pkg);

    pkg = json_pack("{s:i}", "not", 1);
    memset(&v, 0, sizeof(v));
    assert_int_equal(hsds_check_package(pkg, &v), ERR_INVALID);
    assert_true(has_error(&v, ""));
    json_decref(pkg);
}

/* ---- canonical JSON ------------------------------------------------------------------------ */

static void canonical_dump(void **state)
{
    static const char in[] =
        "{\"b\":1,\"a\":[true,false,null,{}],\"c\":52.1011,\"d\":5.0,\"e\":1e300,"
        "\"f\":\"q\\\"\\\\\\n\\u0001\\u001f\xc3\xa9/\\u2028\",\"g\":-0.0,\"h\":1e-7,"
        "\"i\":123456789012345678,\"j\":100.0,\"k\":0.1,\"l\":1e21,\"m\":-1.5e-300,"
        "\"\xc3\xa9\":[],\"Z\":2}";
    static const char want[] =
        "{\"Z\":2,\"a\":[true,false,null,{}],\"b\":1,\"c\":52.1011,\"d\":5.0,\"e\":1e300,"
        "\"f\":\"q\\\"\\\\\\n\\u0001\\u001f\xc3\xa9/\xe2\x80\xa8\",\"g\":-0.0,\"h\":1e-7,"
        "\"i\":123456789012345678,\"j\":100.0,\"k\":0.1,\"l\":1e21,\"m\":-1.5e-300,"
        "\"\xc3\xa9\":[]}";
    static const double samples[] = {52.1011,
                                     5.12,
                                     0.1 + 0.2,
                                     1.0 / 3,
                                     2.2250738585072014e-308,
                                     4.9e-324,
                                     1.7976931348623157e308,
                                     123456.789e3,
                                     1e16,
                                     1e17};
    json_t *v = json_loads(in, 0, NULL), *back;
    struct buf b = BUF_INIT(1 << 20);
    (void)state;

    assert_non_null(v);
    assert_int_equal(hsds_dump_canonical(v, &b), ERR_OK);
    assert_string_equal(b.ptr, want);
    back = json_loads(b.ptr, 0, NULL);
    assert_true(json_equal(back, v)); /* same values, same types */
    json_decref(back);
    json_decref(v);
    for (size_t i = 0; i < ARRAY_SIZE(samples); i++) {
        json_t *r = json_real(samples[i]);
        buf_reset(&b);
        assert_int_equal(hsds_dump_canonical(r, &b), ERR_OK);
        assert_true(strtod(b.ptr, NULL) == samples[i]);
        assert_true(strchr(b.ptr, '.') || strchr(b.ptr, 'e'));
        json_decref(r);
    }
    v = json_loads("[{\"a\":1},{\"b\":[2]}]", 0, NULL);
    buf_reset(&b);
    assert_int_equal(hsds_dump_package(v, &b), ERR_OK);
    assert_string_equal(b.ptr, "[\n{\"a\":1},\n{\"b\":[2]}\n]\n");
    json_decref(v);
    buf_release(&b);

    b = (struct buf)BUF_INIT(8); /* the cap holds */
    v = json_loads("{\"a\":\"0123456789\"}", 0, NULL);
    assert_int_equal(hsds_dump_canonical(v, &b), ERR_TOO_LARGE);
    json_decref(v);
    buf_release(&b);
}

/* ---- CSV ----------------------------------------------------------------------------------- */

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[512];
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.') {
            snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
            unlink(path);
        }
    }
    if (d) {
        closedir(d);
    }
    rmdir(dir);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    struct buf b = BUF_INIT(64u << 20);
    char chunk[4096];
    size_t n;
    assert_non_null(f);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        assert_int_equal(buf_add(&b, chunk, n), ERR_OK);
    }
    fclose(f);
    return buf_detach(&b, NULL);
}

/* pkg -> check -> dump must equal pkg -> check -> csv -> read -> check -> dump. */
static void round_trip(json_t *pkg, const char *dir)
{
    struct verr v = {0};
    json_t *back = NULL;
    char *a, *b;

    if (hsds_check_package(pkg, &v) != ERR_OK) {
        print_errors(&v);
        fail();
    }
    a = canon(pkg);
    assert_int_equal(hsds_csv_write(pkg, dir), ERR_OK);
    if (hsds_csv_read(dir, &back, &v) != ERR_OK) {
        print_errors(&v);
        fail();
    }
    if (hsds_check_package(back, &v) != ERR_OK) {
        print_errors(&v);
        fail();
    }
    b = canon(back);
    assert_string_equal(a, b);
    free(a);
    free(b);
    json_decref(back);
}

static void csv_quoting(void **state)
{
    char dir[] = "/tmp/vk-hsds-XXXXXX", path[64];
    json_t *pkg = load(FIXTURES "minimal-service.json"), *s = json_array_get(pkg, 0);
    char *text;
    (void)state;

    assert_non_null(mkdtemp(dir));
    json_object_set_new(s, "description", json_string("a, \"b\"\nc\r\nd \xd9\x85"));
    json_object_set_new(s, "alternate_name", json_string(" leading and trailing "));
    round_trip(pkg, dir);
    snprintf(path, sizeof(path), "%s/services.csv", dir);
    text = slurp(path);
    assert_non_null(strstr(text, ",\"a, \"\"b\"\"\nc\r\nd \xd9\x85\","));
    assert_non_null(strstr(text, ", leading and trailing ,"));
    assert_null(strstr(text, "\xef\xbb\xbf"));
    free(text);
    remove_dir(dir);
    json_decref(pkg);
}

static void demo_round_trip(void **state)
{
    char dir[] = "/tmp/vk-hsds-XXXXXX", path[64];
    json_t *pkg = load(DEMO), *back = NULL;
    struct verr v = {0};
    (void)state;

    assert_non_null(mkdtemp(dir));
    round_trip(pkg, dir);
    /* a re-export replaces the files and removes nothing the package still needs */
    round_trip(pkg, dir);
    /* a typed column: "16" is the integer 16 */
    assert_int_equal(hsds_csv_read(dir, &back, &v), ERR_OK);
    assert_true(json_is_integer(json_object_get(json_array_get(back, 0), "minimum_age")));
    json_decref(back);
    snprintf(path, sizeof(path), "%s/organizations.csv", dir);
    unlink(path);
    memset(&v, 0, sizeof(v));
    assert_int_equal(hsds_csv_read(dir, &back, &v), ERR_INVALID);
    assert_null(back);
    assert_true(has_error(&v, "organizations.csv"));
    remove_dir(dir);
    memset(&v, 0, sizeof(v));
    assert_int_equal(hsds_csv_read(dir, &back, &v), ERR_INVALID);
    assert_true(has_error(&v, "datapackage.json"));
    json_decref(pkg);
}

/*
 * Objects the demo leaves out (address, accessibility, funding, program, metadata, identifiers,
 * other taxonomies) round-trip too; a smaller export into the same directory drops their files.
 */
static void full_round_trip(void **state)
{
    char dir[] = "/tmp/vk-hsds-XXXXXX", path[64];
    json_t *full = load(FIXTURES "full-service.json");
    json_t *min = load(FIXTURES "minimal-service.json");
    (void)state;

    assert_non_null(mkdtemp(dir));
    round_trip(full, dir);
    snprintf(path, sizeof(path), "%s/programs.csv", dir);
    assert_int_equal(access(path, F_OK), 0);
    round_trip(min, dir);
    assert_int_not_equal(access(path, F_OK), 0);
    remove_dir(dir);
    json_decref(full);
    json_decref(min);
}

#define ORGS     "id,name,description\no1,Org,Beschrijving\n"
#define SVC_HEAD "id,organization_id,name,status,description,minimum_age\n"

struct bad_csv {
    const char *why, *services, *organizations, *phones, *attributes, *want;
};

static const struct bad_csv bad_csvs[] = {
    {"not an integer, after a multi-line field",
     SVC_HEAD "s1,o1,A,active,x,16\ns2,o1,B,active,\"two\nmore\nlines\",16\ns3,o1,C,active,y,1x\n",
     ORGS, NULL, NULL, "services.csv:6:minimum_age"},
    {"not a number", SVC_HEAD "s1,o1,A,active,x,1.5\n", ORGS, NULL, NULL,
     "services.csv:2:minimum_age"},
    {"unterminated quote", SVC_HEAD "s1,o1,A,active,x,16\ns2,o1,B,active,\"open\n\n", ORGS, NULL,
     NULL, "services.csv:3:description"},
    {"ragged row", SVC_HEAD "s1,o1,A,active\n", ORGS, NULL, NULL, "services.csv:2:description"},
    {"too many fields", SVC_HEAD "s1,o1,A,active,x,16,extra\n", ORGS, NULL, NULL, "services.csv:2"},
    {"quote inside a field", SVC_HEAD "s1,o1,A \"B\",active,x,16\n", ORGS, NULL, NULL,
     "services.csv:2:name"},
    {"text after a closing quote", SVC_HEAD "s1,o1,\"A\"B,active,x,16\n", ORGS, NULL, NULL,
     "services.csv:2:name"},
    {"unknown column", "id,organization_id,colour\ns1,o1,red\n", ORGS, NULL, NULL,
     "services.csv:1:colour"},
    {"column twice", "id,name,name\ns1,a,b\n", ORGS, NULL, NULL, "services.csv:1:name"},
    {"duplicate id", SVC_HEAD "s1,o1,A,active,x,16\ns1,o1,B,active,x,16\n", ORGS, NULL, NULL,
     "services.csv:3:id"},
    {"missing file", SVC_HEAD "s1,o1,A,active,x,16\n", NULL, NULL, NULL, "organizations.csv"},
    {"empty file", "", ORGS, NULL, NULL, "services.csv:1"},
    {"phone of no service", SVC_HEAD "s1,o1,A,active,x,16\n", ORGS,
     "id,service_id,number\np1,s9,010\n", NULL, "phones.csv:2:service_id"},
    {"phone of two owners", SVC_HEAD "s1,o1,A,active,x,16\n", ORGS,
     "id,service_id,organization_id,number\np1,s1,o1,010\n", NULL, "phones.csv:2:organization_id"},
    {"phone of nobody", SVC_HEAD "s1,o1,A,active,x,16\n", ORGS, "id,number\np1,010\n", NULL,
     "phones.csv:2"},
    {"attribute on an unknown type", SVC_HEAD "s1,o1,A,active,x,16\n", ORGS, NULL,
     "id,link_id,link_type,link_entity,taxonomy_term_id\na1,s1,x,servise,t\n",
     "attributes.csv:2:link_entity"},
    {"attribute of no service", SVC_HEAD "s1,o1,A,active,x,16\n", ORGS, NULL,
     "id,link_id,link_type,link_entity,taxonomy_term_id\na1,s9,x,service,t\n",
     "attributes.csv:2:link_id"},
    {"organization of no service", SVC_HEAD "s1,o1,A,active,x,16\n", ORGS "o2,Other,Unused\n", NULL,
     NULL, "organizations.csv:3"},
    {"service names no organization", SVC_HEAD "s1,o9,A,active,x,16\n", ORGS, NULL, NULL,
     "services.csv:2:organization_id"},
    {"control character", SVC_HEAD "s1,o1,A\x01,active,x,16\n", ORGS, NULL, NULL,
     "services.csv:2:name"},
    {"invalid UTF-8", SVC_HEAD "s1,o1,A\xc3,active,x,16\n", ORGS, NULL, NULL,
     "services.csv:2:name"},
};

static void csv_located_errors(void **state)
{
    size_t failed = 0;
    (void)state;

    for (size_t i = 0; i < ARRAY_SIZE(bad_csvs); i++) {
        const struct bad_csv *b = &bad_csvs[i];
        struct hsds_csv_file files[4];
        struct verr v = {0};
        json_t *out = NULL;
        size_t n = 0;

        files[n++] = (struct hsds_csv_file){"services.csv", b->services, strlen(b->services)};
        if (b->organizations) {
            files[n++] = (struct hsds_csv_file){"organizations.csv", b->organizations,
                                                strlen(b->organizations)};
        }
        if (b->phones) {
            files[n++] = (struct hsds_csv_file){"phones.csv", b->phones, strlen(b->phones)};
        }
        if (b->attributes) {
            files[n++] =
                (struct hsds_csv_file){"attributes.csv", b->attributes, strlen(b->attributes)};
        }
        if (hsds_csv_read_files(files, n, &out, &v) != ERR_INVALID || out ||
            !has_error(&v, b->want)) {
            print_message("csv \"%s\": expected an error at %s, got:\n", b->why, b->want);
            print_errors(&v);
            failed++;
        }
        json_decref(out);
    }
    assert_int_equal(failed, 0);
}

static void csv_field_cap(void **state)
{
    struct buf svc = BUF_INIT(1 << 20);
    struct hsds_csv_file files[2];
    struct verr v = {0};
    json_t *out = NULL;
    (void)state;

    assert_int_equal(buf_addstr(&svc, SVC_HEAD "s1,o1,A,active,"), ERR_OK);
    for (int i = 0; i <= HSDS_TEXT_MAX; i++) {
        assert_int_equal(buf_addch(&svc, 'x'), ERR_OK);
    }
    assert_int_equal(buf_addstr(&svc, ",16\n"), ERR_OK);
    files[0] = (struct hsds_csv_file){"services.csv", svc.ptr, svc.len};
    files[1] = (struct hsds_csv_file){"organizations.csv", ORGS, strlen(ORGS)};
    assert_int_equal(hsds_csv_read_files(files, 2, &out, &v), ERR_INVALID);
    assert_true(has_error(&v, "services.csv:2:description"));
    buf_release(&svc);

    /* the good case of the same tables: typed, nested, crlf line ends */
    files[0] = (struct hsds_csv_file){"services.csv", SVC_HEAD "s1,o1,A,active,\"x\r\ny\",16\r\n",
                                      strlen(SVC_HEAD "s1,o1,A,active,\"x\r\ny\",16\r\n")};
    memset(&v, 0, sizeof(v));
    assert_int_equal(hsds_csv_read_files(files, 2, &out, &v), ERR_OK);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(out, 0), "minimum_age")),
                     16);
    assert_string_equal(json_string_value(json_object_get(json_array_get(out, 0), "description")),
                        "x\r\ny");
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(json_array_get(out, 0), "organization"), "name")),
                        "Org");
    json_decref(out);
}

/* ---- profile errors located in the CSV files (hsds_csv_load) ------------------------------- */

struct csv_case {
    char dir[32];
    json_t *demo;          /* checked */
    const char *svc, *coa; /* a service with two cost options; its first cost option */
    const char *care, *care_code, *iasc, *iasc_code; /* the service's attributes, their codes */
    const char *cost, *cost_code, *phase;            /* the cost option's, and its phase */
};

static char *table(const char *dir, const char *name)
{
    char path[96];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return slurp(path);
}

static void put_table(const char *dir, const char *name, const char *text)
{
    char path[96];
    FILE *f;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

/* The record of a table that starts with id (every table's first column), *len with its end. */
static char *record(char *text, const char *id, size_t *len)
{
    char needle[80];
    char *at;
    bool quoted = false;

    snprintf(needle, sizeof(needle), "\n%s,", id);
    at = strstr(text, needle);
    if (!at) {
        fail_msg("no row %s", id);
    }
    at++;
    for (*len = 0; at[*len] && (quoted || at[*len] != '\n'); (*len)++) {
        quoted ^= (at[*len] == '"');
    }
    *len += (at[*len] == '\n');
    return at;
}

/* The line where the row with this id starts, counted the way an editor counts. */
static size_t line_of(const char *dir, const char *name, const char *id)
{
    char *text = table(dir, name), *at;
    size_t len, line = 1;

    at = record(text, id, &len);
    for (const char *p = text; p < at; p++) {
        line += (*p == '\n');
    }
    free(text);
    return line;
}

static void drop_row(const char *dir, const char *name, const char *id)
{
    char *text = table(dir, name), *at;
    size_t len;

    at = record(text, id, &len);
    memmove(at, at + len, strlen(at + len) + 1);
    put_table(dir, name, text);
    free(text);
}

/* Replaces the first `from` inside the row with this id by `to`. */
static void edit_row(const char *dir, const char *name, const char *id, const char *from,
                     const char *to)
{
    char *text = table(dir, name), *at, *hit;
    struct buf out = BUF_INIT(64u << 20);
    size_t len;

    at = record(text, id, &len);
    hit = strstr(at, from);
    assert_true(hit && hit + strlen(from) <= at + len);
    assert_int_equal(buf_add(&out, text, (size_t)(hit - text)), ERR_OK);
    assert_int_equal(buf_addstr(&out, to), ERR_OK);
    assert_int_equal(buf_addstr(&out, hit + strlen(from)), ERR_OK);
    put_table(dir, name, out.ptr);
    buf_release(&out);
    free(text);
}

static const char *code_of(json_t *attr)
{
    const struct hsds_term *t =
        hsds_term_by_id(json_string_value(json_object_get(attr, "taxonomy_term_id")));
    return t ? t->code : "";
}

/* The id of obj's attribute whose code starts with prefix, *code its code. */
static const char *attr_with(json_t *obj, const char *prefix, const char **code)
{
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(obj, "attributes"), i, a)
    {
        if (strncmp(code_of(a), prefix, strlen(prefix)) == 0) {
            if (code) {
                *code = code_of(a);
            }
            return json_string_value(json_object_get(a, "id"));
        }
    }
    fail_msg("no %s attribute", prefix);
    return NULL;
}

/* A fresh export of the demo; picks the service and rows the cases break. */
static void csv_case_setup(struct csv_case *c)
{
    struct verr v = {0};
    size_t i;
    json_t *s, *co;

    memset(c, 0, sizeof(*c));
    snprintf(c->dir, sizeof(c->dir), "/tmp/vk-hsds-XXXXXX");
    assert_non_null(mkdtemp(c->dir));
    c->demo = load(DEMO);
    assert_int_equal(hsds_check_package(c->demo, &v), ERR_OK);
    assert_int_equal(hsds_csv_write(c->demo, c->dir), ERR_OK);
    json_array_foreach(c->demo, i, s)
    {
        if (json_array_size(json_object_get(s, "cost_options")) == 2) {
            break;
        }
    }
    assert_true(i < json_array_size(c->demo));
    co = json_array_get(json_object_get(s, "cost_options"), 0);
    c->svc = json_string_value(json_object_get(s, "id"));
    c->coa = json_string_value(json_object_get(co, "id"));
    c->care = attr_with(s, "care_level.", &c->care_code);
    c->iasc = attr_with(s, "iasc_layer.", &c->iasc_code);
    c->cost = attr_with(co, "cost.", &c->cost_code);
    attr_with(co, "phase.", &c->phase);
}

static void csv_case_release(struct csv_case *c)
{
    remove_dir(c->dir);
    json_decref(c->demo);
}

/* hsds_csv_load() refuses dir with exactly these located errors; each detail holds its word. */
static void expect_located(const char *dir, const char *const (*want)[2], size_t n)
{
    struct verr v = {0};
    json_t *out = NULL;
    size_t missing = 0;

    assert_int_equal(hsds_csv_load(dir, &out, &v), ERR_INVALID);
    assert_null(out);
    for (size_t i = 0; i < n; i++) {
        bool found = false;
        for (size_t k = 0; k < v.n && !found; k++) {
            found =
                !strcmp(v.items[k].pointer, want[i][0]) && strstr(v.items[k].detail, want[i][1]);
        }
        if (!found) {
            print_message("expected %s: ...%s...\n", want[i][0], want[i][1]);
            missing++;
        }
    }
    if (missing || v.n != n) {
        print_message("got %zu error(s):\n", v.n);
        print_errors(&v);
        fail();
    }
}

static void csv_load_clean(void **state)
{
    struct csv_case c;
    struct verr v = {0};
    json_t *out = NULL;
    char *a, *b;
    (void)state;

    csv_case_setup(&c);
    assert_int_equal(hsds_csv_load(c.dir, &out, &v), ERR_OK);
    assert_int_equal(v.n, 0);
    a = canon(c.demo);
    b = canon(out);
    assert_string_equal(a, b); /* checked and normalised: the same bytes as the JSON's check */
    free(a);
    free(b);
    json_decref(out);
    csv_case_release(&c);
}

/* The service lacks its care level: its services.csv row, the member the attribute belongs in. */
static void csv_load_missing_care_level(void **state)
{
    struct csv_case c;
    char where[96];
    const char *want[1][2];
    (void)state;

    csv_case_setup(&c);
    snprintf(where, sizeof(where), "services.csv:%zu:attributes",
             line_of(c.dir, "services.csv", c.svc));
    drop_row(c.dir, "attributes.csv", c.care);
    want[0][0] = where;
    want[0][1] = "care_level";
    expect_located(c.dir, want, 1);
    csv_case_release(&c);
}

/* A cost option row deleted: first its attributes are orphans (a reading error, per row), then,
 * with them gone too, the service lacks a cost option for that phase. */
static void csv_load_missing_cost_option(void **state)
{
    struct csv_case c;
    char where[12][96];
    const char *want[12][2];
    size_t n = 0, i;
    json_t *co = NULL, *s, *a;
    (void)state;

    csv_case_setup(&c);
    json_array_foreach(c.demo, i, s)
    {
        if (!strcmp(json_string_value(json_object_get(s, "id")), c.svc)) {
            co = json_array_get(json_object_get(s, "cost_options"), 0);
        }
    }
    assert_non_null(co);
    assert_true(json_array_size(json_object_get(co, "attributes")) <= ARRAY_SIZE(where));
    json_array_foreach(json_object_get(co, "attributes"), i, a)
    {
        snprintf(where[n], sizeof(where[n]), "attributes.csv:%zu:link_id",
                 line_of(c.dir, "attributes.csv", json_string_value(json_object_get(a, "id"))));
        want[n][0] = where[n];
        want[n][1] = "no cost_option with this id";
        n++;
    }
    drop_row(c.dir, "cost_options.csv", c.coa);
    expect_located(c.dir, want, n);

    snprintf(where[0], sizeof(where[0]), "services.csv:%zu:cost_options",
             line_of(c.dir, "services.csv", c.svc));
    want[0][0] = where[0];
    want[0][1] = c.phase;
    json_array_foreach(json_object_get(co, "attributes"), i, a)
    {
        drop_row(c.dir, "attributes.csv", json_string_value(json_object_get(a, "id")));
    }
    expect_located(c.dir, want, 1);
    csv_case_release(&c);
}

/* A care level on a cost option: the attribute's row (two columns), and the cost option's row,
 * which now lacks its cost attribute. */
static void csv_load_wrong_dimension(void **state)
{
    struct csv_case c;
    char where[3][96];
    const char *want[3][2];
    size_t attr_line;
    (void)state;

    csv_case_setup(&c);
    attr_line = line_of(c.dir, "attributes.csv", c.cost);
    snprintf(where[0], sizeof(where[0]), "attributes.csv:%zu:taxonomy_term_id", attr_line);
    snprintf(where[1], sizeof(where[1]), "attributes.csv:%zu:link_type", attr_line);
    snprintf(where[2], sizeof(where[2]), "cost_options.csv:%zu:attributes",
             line_of(c.dir, "cost_options.csv", c.coa));
    want[0][0] = where[0];
    want[0][1] = "care_level.L1 belongs on a service, not on a cost_option";
    want[1][0] = where[1];
    want[1][1] = "care_level";
    want[2][0] = where[2];
    want[2][1] = "exactly one cost attribute";
    edit_row(c.dir, "attributes.csv", c.cost, hsds_term_by_code(c.cost_code)->id,
             hsds_term_by_code("care_level.L1")->id);
    expect_located(c.dir, want, 3);
    csv_case_release(&c);
}

/* The IASC layer turned into a second care level: the later of the two attribute rows as a
 * whole (no field), and the service row for the IASC layer it now lacks. */
static void csv_load_second_care_level(void **state)
{
    struct csv_case c;
    char where[2][96];
    const char *want[2][2], *other;
    size_t a, b;
    (void)state;

    csv_case_setup(&c);
    a = line_of(c.dir, "attributes.csv", c.care);
    b = line_of(c.dir, "attributes.csv", c.iasc);
    other = strcmp(c.care_code, "care_level.L2") ? "care_level.L2" : "care_level.L3";
    edit_row(c.dir, "attributes.csv", c.iasc, hsds_term_by_code(c.iasc_code)->id,
             hsds_term_by_code(other)->id);
    edit_row(c.dir, "attributes.csv", c.iasc, ",iasc_layer,", ",care_level,");
    snprintf(where[0], sizeof(where[0]), "attributes.csv:%zu", a > b ? a : b);
    snprintf(where[1], sizeof(where[1]), "services.csv:%zu:attributes",
             line_of(c.dir, "services.csv", c.svc));
    want[0][0] = where[0];
    want[0][1] = "a second care_level";
    want[1][0] = where[1];
    want[1][1] = "iasc_layer";
    expect_located(c.dir, want, 2);
    csv_case_release(&c);
}

/* A term edited in taxonomy_terms.csv: one error on its row, not one per attribute using it. */
static void csv_load_changed_term(void **state)
{
    struct csv_case c;
    char where[96], from[128], to[128];
    const char *want[1][2];
    const struct hsds_term *t = hsds_term_by_code("phase.coa");
    (void)state;

    csv_case_setup(&c);
    snprintf(where, sizeof(where), "taxonomy_terms.csv:%zu",
             line_of(c.dir, "taxonomy_terms.csv", t->id));
    snprintf(from, sizeof(from), ",%s,", t->name);
    snprintf(to, sizeof(to), ",%s (edited),", t->name);
    edit_row(c.dir, "taxonomy_terms.csv", t->id, from, to);
    want[0][0] = where;
    want[0][1] = "does not match the Veerkracht term phase.coa";
    expect_located(c.dir, want, 1);
    csv_case_release(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(taxonomy_ids),
        cmocka_unit_test(term_json_matches_demo),
        cmocka_unit_test(minimal_service_is_valid),
        cmocka_unit_test(profile_mutations),
        cmocka_unit_test(organizations_must_agree),
        cmocka_unit_test(normalises),
        cmocka_unit_test(caps),
        cmocka_unit_test(canonical_dump),
        cmocka_unit_test(csv_quoting),
        cmocka_unit_test(csv_located_errors),
        cmocka_unit_test(csv_field_cap),
        cmocka_unit_test(full_round_trip),
        cmocka_unit_test(demo_round_trip),
        cmocka_unit_test(csv_load_clean),
        cmocka_unit_test(csv_load_missing_care_level),
        cmocka_unit_test(csv_load_missing_cost_option),
        cmocka_unit_test(csv_load_wrong_dimension),
        cmocka_unit_test(csv_load_second_care_level),
        cmocka_unit_test(csv_load_changed_term),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
