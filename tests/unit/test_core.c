/* SPDX-License-Identifier: EUPL-1.2 */
/* Unit tests of core helpers: buffers, string parsing, hex, UTF-8, clock, error table. */
#include "core/compat.h"

#include <stdlib.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/str.h"
#include "core/verr.h"

static void buf_caps_and_grows(void **state)
{
    struct buf b = BUF_INIT(10);
    assert_int_equal(buf_addstr(&b, "hello"), ERR_OK);
    assert_int_equal(buf_addf(&b, "%d", 1234), ERR_OK);
    assert_string_equal(b.ptr, "hello1234");
    /* 9 + 2 > 10: refused, buffer unchanged */
    assert_int_equal(buf_addstr(&b, "ab"), ERR_TOO_LARGE);
    assert_string_equal(b.ptr, "hello1234");
    assert_int_equal(buf_addch(&b, '!'), ERR_OK);
    assert_int_equal(b.len, 10);
    buf_release(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.ptr, "");
}

static void buf_read_file_caps(void **state)
{
    char path[256];
    struct buf b = BUF_INIT(16);
    FILE *f;
    snprintf(path, sizeof(path), "%s/vk-core-%d.txt", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
             (int)getpid());
    f = fopen(path, "wb");
    assert_non_null(f);
    fputs("0123456789", f);
    fclose(f);
    assert_int_equal(buf_read_file(&b, path), ERR_OK);
    assert_string_equal(b.ptr, "0123456789");
    /* 10 + 10 > 16 */
    assert_int_equal(buf_read_file(&b, path), ERR_TOO_LARGE);
    buf_release(&b);
    unlink(path);
    assert_int_equal(buf_read_file(&b, path), ERR_IO);
    assert_int_equal(b.len, 0);
}

static void buf_detach_owns(void **state)
{
    struct buf b = BUF_INIT(1 << 20);
    size_t len;
    char *s;
    for (int i = 0; i < 1000; i++) {
        assert_int_equal(buf_addstr(&b, "0123456789"), ERR_OK);
    }
    s = buf_detach(&b, &len);
    assert_int_equal(len, 10000);
    assert_int_equal(strlen(s), 10000);
    assert_int_equal(b.len, 0);
    free(s);
}

struct i64_case {
    const char *in;
    int64_t min, max;
    enum err rc;
    int64_t out;
};

static void str_parse_i64_table(void **state)
{
    static const struct i64_case cases[] = {
        {"0", 0, 10, ERR_OK, 0},
        {"10", 0, 10, ERR_OK, 10},
        {"11", 0, 10, ERR_INVALID, 0},
        {"-5", -10, 10, ERR_OK, -5},
        {"", 0, 10, ERR_INVALID, 0},
        {"-", -10, 10, ERR_INVALID, 0},
        {"+1", 0, 10, ERR_INVALID, 0},
        {" 1", 0, 10, ERR_INVALID, 0},
        {"1x", 0, 10, ERR_INVALID, 0},
        {"9223372036854775807", 0, INT64_MAX, ERR_OK, INT64_MAX},
        {"9223372036854775808", 0, INT64_MAX, ERR_INVALID, 0},
        {"-9223372036854775808", INT64_MIN, 0, ERR_OK, INT64_MIN},
        {"99999999999999999999999", 0, INT64_MAX, ERR_INVALID, 0},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        int64_t out = -1;
        enum err rc =
            str_parse_i64(cases[i].in, strlen(cases[i].in), cases[i].min, cases[i].max, &out);
        assert_int_equal(rc, cases[i].rc);
        if (rc == ERR_OK) {
            assert_true(out == cases[i].out);
        }
    }
}

static void str_split_and_hex(void **state)
{
    struct str s = str_from("a=b=c");
    struct str head = str_split(&s, '=');
    unsigned char raw[4] = {0xde, 0xad, 0xbe, 0xef}, back[4];
    char hex[9];

    assert_true(head.len == 1 && head.p[0] == 'a');
    assert_true(s.len == 3);
    str_hex(raw, 4, hex);
    assert_string_equal(hex, "deadbeef");
    assert_int_equal(str_unhex(hex, 8, back, 4), ERR_OK);
    assert_memory_equal(raw, back, 4);
    assert_int_equal(str_unhex("DEADBEEF", 8, back, 4), ERR_INVALID);
    assert_int_equal(str_unhex("deadbee", 7, back, 4), ERR_INVALID);
    assert_int_equal(str_unhex("deadbeeg", 8, back, 4), ERR_INVALID);
}

static void str_utf8_checks(void **state)
{
    assert_true(str_is_clean_utf8("hallo", 5, false));
    assert_true(str_is_clean_utf8("\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85", 8, false)); /* salam */
    assert_false(str_is_clean_utf8("a\nb", 3, false));
    assert_true(str_is_clean_utf8("a\nb", 3, true));
    assert_false(str_is_clean_utf8("\xff", 1, true));
    assert_false(str_is_clean_utf8("\xc3", 1, true));     /* truncated */
    assert_false(str_is_clean_utf8("a\x7f", 2, true));    /* DEL */
    assert_false(str_is_clean_utf8("\xc0\xaf", 2, true)); /* overlong */
}

static int64_t at(const char *iso)
{
    int64_t ms = 0;
    assert_int_equal(clock_parse_iso(iso, &ms), 0);
    return ms;
}

/* Dutch civil date: CET (+1) in winter, CEST (+2) from the last Sunday of March 01:00 UTC to
 * the last Sunday of October 01:00 UTC. */
static void clock_dutch_date(void **state)
{
    char d[11];
    assert_string_equal(clock_nl_date(at("2026-11-22T22:59:59Z"), d), "2026-11-22");
    assert_string_equal(clock_nl_date(at("2026-11-22T23:00:00Z"), d), "2026-11-23");
    assert_string_equal(clock_nl_date(at("2026-07-01T21:59:00Z"), d), "2026-07-01");
    assert_string_equal(clock_nl_date(at("2026-07-01T22:00:00Z"), d), "2026-07-02");
    /* 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC */
    assert_int_equal(clock_nl_offset_ms(at("2026-03-29T00:59:59Z")), 3600000);
    assert_int_equal(clock_nl_offset_ms(at("2026-03-29T01:00:00Z")), 7200000);
    assert_int_equal(clock_nl_offset_ms(at("2026-10-25T00:59:59Z")), 7200000);
    assert_int_equal(clock_nl_offset_ms(at("2026-10-25T01:00:00Z")), 3600000);
    /* 2027: 28 March and 31 October */
    assert_int_equal(clock_nl_offset_ms(at("2027-03-28T01:00:00Z")), 7200000);
    assert_int_equal(clock_nl_offset_ms(at("2027-10-31T00:30:00Z")), 7200000);
    assert_int_equal(clock_nl_offset_ms(at("2027-10-31T01:30:00Z")), 3600000);
}

static void clock_iso_round_trip(void **state)
{
    char out[40];
    int64_t ms = 0;
    clock_set_fake(1795380000123LL);
    assert_true(clock_now_ms() == 1795380000123LL);
    clock_fmt_iso(clock_now_ms(), out, sizeof(out));
    assert_int_equal(clock_parse_iso(out, &ms), ERR_OK);
    assert_true(ms == 1795380000123LL);
    clock_set_fake(0);
    assert_int_equal(clock_parse_iso("2026-11-22", &ms), ERR_OK);
    clock_fmt_iso(ms, out, sizeof(out));
    assert_string_equal(out, "2026-11-22T00:00:00.000Z");
    assert_int_equal(clock_parse_iso("2026-13-01", &ms), ERR_INVALID);
    assert_int_equal(clock_parse_iso("2026-11-22T25:00:00Z", &ms), ERR_INVALID);
    assert_int_equal(clock_parse_iso("yesterday", &ms), ERR_INVALID);
}

static void err_table_is_complete(void **state)
{
    assert_int_equal(err_http_status(ERR_NOT_FOUND), 404);
    assert_int_equal(err_http_status(ERR_TOO_LARGE), 413);
    assert_int_equal(err_http_status(ERR_INVALID), 422);
    assert_int_equal(err_http_status(ERR_MALFORMED), 400);
    assert_int_equal(err_http_status(ERR_THROTTLED), 429);
    assert_string_equal(err_slug(ERR_CSRF), "csrf");
    assert_string_equal(err_name(ERR_AUDIT), "AUDIT");
    /* out of range maps to internal, never crashes */
    assert_int_equal(err_http_status((enum err)9999), 500);
}

static void verr_keeps_first_per_pointer(void **state)
{
    struct verr v = {0};
    verr_add(&v, "/a", "first");
    verr_add(&v, "/a", "second");
    verr_add(&v, "/b", "x%d", 1);
    assert_int_equal(v.n, 2);
    assert_string_equal(v.items[0].detail, "first");
    assert_string_equal(v.items[1].detail, "x1");
    for (int i = 0; i < 100; i++) {
        char p[16];
        snprintf(p, sizeof(p), "/f%d", i);
        verr_add(&v, p, "e");
    }
    assert_int_equal(v.n, VERR_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buf_caps_and_grows),    cmocka_unit_test(buf_read_file_caps),
        cmocka_unit_test(buf_detach_owns),       cmocka_unit_test(str_parse_i64_table),
        cmocka_unit_test(str_split_and_hex),     cmocka_unit_test(str_utf8_checks),
        cmocka_unit_test(clock_iso_round_trip),  cmocka_unit_test(clock_dutch_date),
        cmocka_unit_test(err_table_is_complete), cmocka_unit_test(verr_keeps_first_per_pointer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
