/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Unit tests of the encryption primitives: XChaCha20-Poly1305 sealing bound to associated data,
 * key wrapping, the master key file (creation mode, refused permissions, bad contents) and the
 * core-dump hardening.
 */
#include "core/compat.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "core/sec.h"

static bool contains(const unsigned char *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++) {
        if (memcmp(hay + i, needle, m) == 0) {
            return true;
        }
    }
    return false;
}

static const char AD1[] = "clients|17|name|c17|v1";
static const char AD2[] = "clients|18|name|c18|v1";

static void seal_open_round_trip(void **state)
{
    struct sec_key *k = NULL;
    unsigned char ct[64 + SEC_SEAL_OVERHEAD], pt[64];
    size_t n = 0;
    assert_int_equal(sec_key_random(&k), ERR_OK);
    assert_int_equal(sec_seal(k, AD1, strlen(AD1), "Amina", 5, ct, sizeof(ct)), ERR_OK);
    assert_int_equal(sec_open(k, AD1, strlen(AD1), ct, 5 + SEC_SEAL_OVERHEAD, pt, sizeof(pt), &n),
                     ERR_OK);
    assert_int_equal(n, 5);
    assert_memory_equal(pt, "Amina", 5);
    /* the plaintext does not appear in the sealed bytes */
    assert_false(contains(ct, 5 + SEC_SEAL_OVERHEAD, "Amina"));
    sec_key_free(k);
}

static void open_refuses_other_ad_key_or_bytes(void **state)
{
    struct sec_key *k = NULL, *k2 = NULL;
    unsigned char ct[16 + SEC_SEAL_OVERHEAD], pt[16];
    size_t n = 0, len = 16 + SEC_SEAL_OVERHEAD;
    assert_int_equal(sec_key_random(&k), ERR_OK);
    assert_int_equal(sec_key_random(&k2), ERR_OK);
    assert_int_equal(sec_seal(k, AD1, strlen(AD1), "0123456789abcdef", 16, ct, sizeof(ct)), ERR_OK);
    /* a ciphertext moved to another row/client: its associated data differs */
    assert_int_equal(sec_open(k, AD2, strlen(AD2), ct, len, pt, sizeof(pt), &n), ERR_CORRUPT);
    assert_int_equal(sec_open(k2, AD1, strlen(AD1), ct, len, pt, sizeof(pt), &n), ERR_CORRUPT);
    for (size_t i = 0; i < len; i += 7) {
        ct[i] ^= 1;
        assert_int_equal(sec_open(k, AD1, strlen(AD1), ct, len, pt, sizeof(pt), &n), ERR_CORRUPT);
        ct[i] ^= 1;
    }
    assert_int_equal(sec_open(k, AD1, strlen(AD1), ct, SEC_SEAL_OVERHEAD - 1, pt, sizeof(pt), &n),
                     ERR_CORRUPT);
    assert_int_equal(sec_open(k, AD1, strlen(AD1), ct, len, pt, sizeof(pt), &n), ERR_OK);
    sec_key_free(k);
    sec_key_free(k2);
}

static void nonces_differ(void **state)
{
    struct sec_key *k = NULL;
    unsigned char a[4 + SEC_SEAL_OVERHEAD], b[4 + SEC_SEAL_OVERHEAD];
    assert_int_equal(sec_key_random(&k), ERR_OK);
    assert_int_equal(sec_seal(k, "", 0, "same", 4, a, sizeof(a)), ERR_OK);
    assert_int_equal(sec_seal(k, "", 0, "same", 4, b, sizeof(b)), ERR_OK);
    assert_memory_not_equal(a, b, sizeof(a));
    sec_key_free(k);
}

static void wrap_unwrap(void **state)
{
    struct sec_key *kek = NULL, *kek2 = NULL, *dek = NULL, *back = NULL;
    unsigned char w[SEC_WRAPPED_BYTES];
    char h1[2 * SEC_KEY_BYTES + 1], h2[2 * SEC_KEY_BYTES + 1];
    assert_int_equal(sec_key_random(&kek), ERR_OK);
    assert_int_equal(sec_key_random(&kek2), ERR_OK);
    assert_int_equal(sec_key_random(&dek), ERR_OK);
    assert_int_equal(sec_key_wrap(kek, "c17", 3, dek, w), ERR_OK);
    assert_int_equal(sec_key_unwrap(kek, "c17", 3, w, &back), ERR_OK);
    sec_key_hex(dek, h1);
    sec_key_hex(back, h2);
    assert_string_equal(h1, h2);
    sec_key_free(back);
    back = NULL;
    assert_int_equal(sec_key_unwrap(kek2, "c17", 3, w, &back), ERR_CORRUPT);
    assert_null(back);
    assert_int_equal(sec_key_unwrap(kek, "c18", 3, w, &back), ERR_CORRUPT);
    sec_key_free(kek);
    sec_key_free(kek2);
    sec_key_free(dek);
}

static void key_from_hex(void **state)
{
    struct sec_key *k = NULL;
    char hex[2 * SEC_KEY_BYTES + 1];
    const char *good = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n";
    assert_int_equal(sec_key_from_hex(good, strlen(good), &k), ERR_OK);
    sec_key_hex(k, hex);
    assert_memory_equal(hex, good, 64);
    sec_key_free(k);
    assert_int_equal(sec_key_from_hex("00ff", 4, &k), ERR_INVALID);
    assert_null(k);
    assert_int_equal(
        sec_key_from_hex("zz0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", 64,
                         &k),
        ERR_INVALID);
}

static void tmp_path(char *out, size_t size, const char *name)
{
    const char *dir = getenv("TMPDIR");
    snprintf(out, size, "%s/vk-sec-%d-%s", dir ? dir : "/tmp", (int)getpid(), name);
    unlink(out);
}

static void key_file_created_0600_and_reloaded(void **state)
{
    char path[256], h1[2 * SEC_KEY_BYTES + 1], h2[2 * SEC_KEY_BYTES + 1];
    struct sec_key *a = NULL, *b = NULL;
    struct stat sb;
    const char *why = NULL;
    tmp_path(path, sizeof(path), "master.key");
    assert_int_equal(sec_key_file_load(path, false, &a, &why), ERR_IO);
    assert_int_equal(sec_key_file_load(path, true, &a, &why), ERR_OK);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    /* a second start reads the same key, it does not replace it */
    assert_int_equal(sec_key_file_load(path, true, &b, &why), ERR_OK);
    sec_key_hex(a, h1);
    sec_key_hex(b, h2);
    assert_string_equal(h1, h2);
    sec_key_free(a);
    sec_key_free(b);
    b = NULL;
    assert_int_equal(chmod(path, 0640), 0);
    assert_int_equal(sec_key_file_load(path, false, &b, &why), ERR_INVALID);
    assert_non_null(strstr(why, "chmod 600"));
    assert_null(b);
    unlink(path);
}

static void key_file_bad_contents(void **state)
{
    char path[256];
    struct sec_key *k = NULL;
    const char *why = NULL;
    int fd;
    tmp_path(path, sizeof(path), "bad.key");
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "not a key\n", 10), 10);
    close(fd);
    assert_int_equal(sec_key_file_load(path, true, &k, &why), ERR_INVALID);
    assert_null(k);
    unlink(path);
}

/* In a child, so that the test runner itself stays debuggable. */
static void harden_turns_dumps_off(void **state)
{
    int status = 0;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        bool before = sec_process_hardened();
        bool ok = sec_harden_process() == ERR_OK && sec_process_hardened();
        _exit(!before && ok ? 0 : 1);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(seal_open_round_trip),
        cmocka_unit_test(open_refuses_other_ad_key_or_bytes),
        cmocka_unit_test(nonces_differ),
        cmocka_unit_test(wrap_unwrap),
        cmocka_unit_test(key_from_hex),
        cmocka_unit_test(key_file_created_0600_and_reloaded),
        cmocka_unit_test(key_file_bad_contents),
        cmocka_unit_test(harden_turns_dumps_off),
    };
    if (sec_init()) {
        return 1;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
