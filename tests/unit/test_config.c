/* SPDX-License-Identifier: EUPL-1.2 */
/* Unit tests of configuration parsing: defaults, file syntax, ranges, error messages. */
#include "core/compat.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "core/config.h"

static void defaults_are_safe(void **state)
{
    struct config c;
    config_defaults(&c);
    assert_string_equal(c.listen_host, "127.0.0.1");
    assert_int_equal(c.listen_port, 8080);
    assert_string_equal(c.db_path, "veerkracht.db");
    assert_int_equal(c.max_body, 1024 * 1024);
    assert_true(c.session_idle_s == 900);
    assert_true(c.session_max_s == 12 * 3600);
    assert_false(c.secure_cookies);
    assert_false(c.demo);
}

static void file_parses(void **state)
{
    static const char text[] = "# comment\n"
                               "\n"
                               "listen = 0.0.0.0:9000\n"
                               "  db=/var/lib/veerkracht/vk.db  \n"
                               "max_body = 2048\r\n"
                               "secure_cookies = yes\n"
                               "session_idle = 60\n";
    struct config c;
    char err[200] = "";
    config_defaults(&c);
    assert_int_equal(config_parse(&c, text, sizeof(text) - 1, err, sizeof(err)), ERR_OK);
    assert_string_equal(c.listen_host, "0.0.0.0");
    assert_int_equal(c.listen_port, 9000);
    assert_string_equal(c.db_path, "/var/lib/veerkracht/vk.db");
    assert_int_equal(c.max_body, 2048);
    assert_true(c.secure_cookies);
    assert_true(c.session_idle_s == 60);
}

struct bad_case {
    const char *text;
    const char *needle; /* must appear in the message */
};

static void bad_input_is_located(void **state)
{
    static const struct bad_case cases[] = {
        {"nonsense = 1\n", "line 1: unknown setting 'nonsense'"},
        {"\n\nmax_body = lots\n", "line 3: max_body"},
        {"max_body = 10\n", "max_body: expected a whole number from 1024"},
        {"listen = 127.0.0.1\n", "listen"},
        {"listen = 127.0.0.1:70000\n", "listen"},
        {"secure_cookies = maybe\n", "secure_cookies"},
        {"just words\n", "line 1: expected 'key = value'"},
        {"threads = 0\n", "threads"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct config c;
        char err[200] = "";
        config_defaults(&c);
        assert_int_equal(config_parse(&c, cases[i].text, strlen(cases[i].text), err, sizeof(err)),
                         ERR_INVALID);
        if (!strstr(err, cases[i].needle)) {
            fail_msg("case %zu: '%s' does not contain '%s'", i, err, cases[i].needle);
        }
    }
}

static void set_and_ipv6(void **state)
{
    struct config c;
    char err[200];
    config_defaults(&c);
    assert_int_equal(config_set(&c, "listen", "::1:0", err, sizeof(err)), ERR_OK);
    assert_string_equal(c.listen_host, "::1");
    assert_int_equal(c.listen_port, 0);
    assert_int_equal(config_set(&c, "login_lock_after", "3", err, sizeof(err)), ERR_OK);
    assert_true(c.login_lock_after == 3);
    assert_int_equal(config_load(&c, "/nonexistent/veerkracht.conf", err, sizeof(err)), ERR_IO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_are_safe),
        cmocka_unit_test(file_parses),
        cmocka_unit_test(bad_input_is_located),
        cmocka_unit_test(set_and_ipv6),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
