/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Unit tests of the primitives behind transfer packages (docs/dossier.md §5): the signing key
 * derived from the master key (stable, different per master key), detached signatures that fail
 * on any changed byte or another key, the transfer key as RFC 4648 base32 text (a known vector,
 * case, spaces and hyphens ignored, wrong length, letters and padding bits refused), the
 * fingerprint, and strict base64.
 */
#include "core/compat.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "core/sec.h"

static struct sec_key *key_of(unsigned char fill)
{
    unsigned char raw[SEC_KEY_BYTES];
    struct sec_key *k = NULL;
    for (size_t i = 0; i < sizeof(raw); i++) {
        raw[i] = (unsigned char)(fill ? fill : i);
    }
    assert_int_equal(sec_key_from_bytes(raw, &k), ERR_OK);
    return k;
}

static void signer_is_derived_from_the_master_key(void **state)
{
    struct sec_key *m1 = key_of(1), *m2 = key_of(2);
    struct sec_signer *a = NULL, *b = NULL, *c = NULL;
    unsigned char pa[SEC_SIGN_PK_BYTES], pb[SEC_SIGN_PK_BYTES], pc[SEC_SIGN_PK_BYTES];

    assert_int_equal(sec_signer_derive(m1, &a), ERR_OK);
    assert_int_equal(sec_signer_derive(m1, &b), ERR_OK);
    assert_int_equal(sec_signer_derive(m2, &c), ERR_OK);
    sec_signer_public(a, pa);
    sec_signer_public(b, pb);
    sec_signer_public(c, pc);
    assert_memory_equal(pa, pb, SEC_SIGN_PK_BYTES);
    assert_memory_not_equal(pa, pc, SEC_SIGN_PK_BYTES);
    sec_signer_free(a);
    sec_signer_free(b);
    sec_signer_free(c);
    sec_signer_free(NULL);
    sec_key_free(m1);
    sec_key_free(m2);
}

static void signatures_fail_on_any_change(void **state)
{
    struct sec_key *m1 = key_of(1), *m2 = key_of(2);
    struct sec_signer *a = NULL, *c = NULL;
    unsigned char pa[SEC_SIGN_PK_BYTES], pc[SEC_SIGN_PK_BYTES], sig[SEC_SIGN_BYTES];
    unsigned char msg[] = "header and sealed body";

    assert_int_equal(sec_signer_derive(m1, &a), ERR_OK);
    assert_int_equal(sec_signer_derive(m2, &c), ERR_OK);
    sec_signer_public(a, pa);
    sec_signer_public(c, pc);
    sec_sign(a, msg, sizeof(msg), sig);
    assert_true(sec_sign_verify(pa, msg, sizeof(msg), sig));
    assert_false(sec_sign_verify(pc, msg, sizeof(msg), sig));
    for (size_t i = 0; i < sizeof(msg); i++) {
        msg[i] ^= 1;
        assert_false(sec_sign_verify(pa, msg, sizeof(msg), sig));
        msg[i] ^= 1;
    }
    for (size_t i = 0; i < SEC_SIGN_BYTES; i++) {
        sig[i] ^= 0x80;
        assert_false(sec_sign_verify(pa, msg, sizeof(msg), sig));
        sig[i] ^= 0x80;
    }
    assert_false(sec_sign_verify(pa, msg, sizeof(msg) - 1, sig));
    sec_signer_free(a);
    sec_signer_free(c);
    sec_key_free(m1);
    sec_key_free(m2);
}

/* bytes 0..31 in RFC 4648 base32, as Python's base64.b32encode gives them */
static const char VECTOR[] = "AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B4IB-CEQT-CQKR-MFYY-DENB-WHA5-DYPQ";

static void key_text_known_vector_and_round_trip(void **state)
{
    struct sec_key *k = key_of(0), *back = NULL, *r = NULL;
    char text[SEC_TKEY_TEXT_LEN + 1], again[SEC_TKEY_TEXT_LEN + 1];

    sec_key_text(k, text);
    assert_string_equal(text, VECTOR);
    assert_int_equal(strlen(text), SEC_TKEY_TEXT_LEN);
    assert_int_equal(sec_key_from_text(text, strlen(text), &back), ERR_OK);
    sec_key_text(back, again);
    assert_string_equal(again, VECTOR);
    for (int i = 0; i < 20; i++) {
        struct sec_key *x = NULL;
        assert_int_equal(sec_key_random(&r), ERR_OK);
        sec_key_text(r, text);
        assert_int_equal(sec_key_from_text(text, strlen(text), &x), ERR_OK);
        sec_key_text(x, again);
        assert_string_equal(again, text);
        sec_key_free(x);
        sec_key_free(r);
    }
    sec_key_free(back);
    sec_key_free(k);
}

static void key_text_reading_is_lenient_and_strict(void **state)
{
    static const char *const good[] = {
        "aaaq-eaye-auda-ocaj-bifq-ydio-b4ib-ceqt-cqkr-mfyy-denb-wha5-dypq",
        "AAAQ EAYE AUDA OCAJ BIFQ YDIO B4IB CEQT CQKR MFYY DENB WHA5 DYPQ\n",
        "AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQTCQKRMFYYDENBWHA5DYPQ",
    };
    static const char *const bad[] = {
        "",
        "AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B4IB-CEQT-CQKR-MFYY-DENB-WHA5-DYP",   /* one short */
        "AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B4IB-CEQT-CQKR-MFYY-DENB-WHA5-DYPQA", /* one long */
        "AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B4IB-CEQT-CQKR-MFYY-DENB-WHA5-DYP1",  /* 1 is no digit */
        "AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B4IB-CEQT-CQKR-MFYY-DENB-WHA5-DYPR",  /* padding bits */
        "AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B4IB-CEQT-CQKR-MFYY-DENB-WHA5-DYP=",
    };
    char text[SEC_TKEY_TEXT_LEN + 1];

    for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
        struct sec_key *k = NULL;
        assert_int_equal(sec_key_from_text(good[i], strlen(good[i]), &k), ERR_OK);
        sec_key_text(k, text);
        assert_string_equal(text, VECTOR);
        sec_key_free(k);
    }
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        struct sec_key *k = (struct sec_key *)1;
        assert_int_equal(sec_key_from_text(bad[i], strlen(bad[i]), &k), ERR_INVALID);
        assert_null(k);
    }
}

static void fingerprint_shape(void **state)
{
    unsigned char pk[SEC_SIGN_PK_BYTES] = {0};
    char a[SEC_FPR_TEXT_LEN + 1], b[SEC_FPR_TEXT_LEN + 1];

    sec_sign_fingerprint(pk, a);
    pk[31] = 1;
    sec_sign_fingerprint(pk, b);
    assert_int_equal(strlen(a), SEC_FPR_TEXT_LEN);
    assert_true(a[4] == '-' && a[9] == '-' && a[14] == '-');
    assert_string_not_equal(a, b);
}

static void base64_strict(void **state)
{
    unsigned char out[16];
    char text[64];
    size_t n = 0;

    sec_base64_encode((const unsigned char *)"foobar", 6, text, sizeof(text));
    assert_string_equal(text, "Zm9vYmFy");
    assert_int_equal(sec_base64_decode("Zm9vYg==", 8, out, sizeof(out), &n), ERR_OK);
    assert_int_equal(n, 4);
    assert_memory_equal(out, "foob", 4);
    assert_int_equal(sec_base64_decode("Zm9vYh==", 8, out, sizeof(out), &n), ERR_INVALID);
    assert_int_equal(sec_base64_decode("Zm9v Yg==", 9, out, sizeof(out), &n), ERR_INVALID);
    assert_int_equal(sec_base64_decode("Zm9v!g==", 8, out, sizeof(out), &n), ERR_INVALID);
    assert_int_equal(sec_base64_decode("Zm9vYmFyZm9vYmFyZm9vYmFyZm9v", 28, out, sizeof(out), &n),
                     ERR_TOO_LARGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(signer_is_derived_from_the_master_key),
        cmocka_unit_test(signatures_fail_on_any_change),
        cmocka_unit_test(key_text_known_vector_and_round_trip),
        cmocka_unit_test(key_text_reading_is_lenient_and_strict),
        cmocka_unit_test(fingerprint_shape),
        cmocka_unit_test(base64_strict),
    };
    if (sec_init()) {
        return 1;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
