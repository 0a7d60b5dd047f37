/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Unit tests of the primitives behind transfer packages (docs/dossier.md §5): the signing key
 * derived from the master key (stable, different per master key), detached signatures that fail
 * on any changed byte or another key, the transfer key as RFC 4648 base32 text (a known vector,
 * case, spaces and hyphens ignored, wrong length, letters and padding bits refused), the
 * fingerprint, and strict base64. On real stores: a replay check whose lookup fails (here: the
 * table is gone) returns that error and writes nothing — it once freed an uninitialised pointer
 * on that path (review finding 2; the ASan build shows such a free).
 */
#include "core/compat.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <jansson.h>
#include <sqlite3.h>

#include "core/sec.h"
#include "dossier/dossier.h"
#include "unit_db.h"

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

/* ---- on real stores: two installations ------------------------------------------------ */

struct inst {
    struct unit_db db;
    struct keyring *kr;
    struct org_row org;
    struct principal who;
    struct audit_ctx actx;
};

static void inst_open(struct inst *i)
{
    struct sec_key *kek = NULL;
    const char *why = "";

    memset(i, 0, sizeof(*i));
    unit_db_open(&i->db);
    assert_int_equal(sec_key_random(&kek), ERR_OK);
    assert_int_equal(keys_open(i->db.c, kek, &i->kr, &why), ERR_OK);
    assert_int_equal(store_begin(i->db.c, true), ERR_OK);
    sec_random_hex(16, i->org.uid);
    snprintf(i->org.name, sizeof(i->org.name), "Praktijk");
    snprintf(i->org.kind, sizeof(i->org.kind), "test");
    snprintf(i->org.region, sizeof(i->org.region), "Regio Test");
    assert_int_equal(store_org_insert(i->db.c, &i->org), ERR_OK);
    assert_int_equal(store_commit(i->db.c), ERR_OK);
    sec_random_hex(16, i->who.user_uid);
    i->who.role = ROLE_GP;
    i->who.org_id = i->org.id;
    memcpy(i->who.org_uid, i->org.uid, sizeof(i->who.org_uid));
    i->actx.role = "test";
    i->actx.source_addr = "unit";
    i->actx.keys = i->kr;
}

static void inst_close(struct inst *i)
{
    keys_close(i->kr);
    unit_db_close(&i->db);
}

/* A client with a data key, name and phone, packed on i: the package and its key in *m. */
static void inst_package(struct inst *i, struct transfer_made *m)
{
    struct client_row cl;
    struct keys_dek d;
    json_t *bundle =
        json_pack("{s:s, s:s, s:[]}", "resourceType", "Bundle", "type", "collection", "entry");

    memset(&cl, 0, sizeof(cl));
    sec_random_hex(16, cl.pid);
    cl.year_of_birth = 1990;
    snprintf(cl.gender, sizeof(cl.gender), "female");
    snprintf(cl.country, sizeof(cl.country), "SY");
    snprintf(cl.language, sizeof(cl.language), "ar");
    snprintf(cl.phase, sizeof(cl.phase), "coa");
    snprintf(cl.location, sizeof(cl.location), "AZC");
    memcpy(cl.created_by_user, i->who.user_uid, sizeof(cl.created_by_user));
    cl.created_by_org = i->org.id;
    assert_int_equal(store_begin(i->db.c, true), ERR_OK);
    assert_int_equal(keys_dek_new(cl.pid, &d), ERR_OK);
    assert_int_equal(KEYS_SEAL_TEXT(&d, STORE_COL_CLIENT_NAME, cl.pid, "Naam", cl.name), ERR_OK);
    assert_int_equal(KEYS_SEAL_TEXT(&d, STORE_COL_CLIENT_PHONE, cl.pid, "", cl.phone), ERR_OK);
    assert_int_equal(store_client_insert(i->db.c, &cl), ERR_OK);
    assert_int_equal(keys_dek_store(i->kr, i->db.c, cl.id, &d), ERR_OK);
    keys_dek_release(&d);
    {
        struct transfer_export_in in = {&cl, "Veerkracht B", bundle, "", "gp", "cli", 0};
        assert_int_equal(transfer_export(i->db.c, &i->actx, &in, m), ERR_OK);
    }
    assert_int_equal(store_commit(i->db.c), ERR_OK);
    json_decref(bundle);
}

static bool never_known(const char *iid, const char *version,
                        const unsigned char hash[SEC_HASH_BYTES], const void *ctx)
{
    (void)iid;
    (void)version;
    (void)hash;
    (void)ctx;
    return false;
}

static enum err import_on(struct inst *i, const struct transfer_made *m, bool keep)
{
    struct transfer_import_in in = {m->file, m->len,      m->key_text, strlen(m->key_text),
                                    &i->who, never_known, NULL,        NULL};
    struct transfer_import_out out;
    struct verr v = {0};
    enum err rc;

    assert_int_equal(store_begin(i->db.c, true), ERR_OK);
    rc = transfer_import(i->db.c, &i->actx, &in, &v, &out);
    if (keep && !rc) {
        assert_int_equal(store_commit(i->db.c), ERR_OK);
    } else {
        store_rollback(i->db.c);
    }
    if (rc != ERR_CONFLICT) {
        transfer_import_release(&out);
    }
    return rc;
}

static int64_t clients_in(const char *path)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    int64_t n = -1;

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM clients", -1, &st, NULL),
                     SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW) {
        n = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static void replay_lookup_failure_is_an_error(void **state)
{
    struct inst a, b;
    struct transfer_made m;
    sqlite3 *db;

    (void)state;
    inst_open(&a);
    inst_open(&b);
    inst_package(&b, &m);
    /* the control: B's package imports on A (rolled back) */
    assert_int_equal(import_on(&a, &m, false), ERR_OK);
    assert_int_equal(clients_in(a.db.path), 0);
    /* the lookup of transfers_in fails: the error comes back, nothing is written */
    assert_int_equal(sqlite3_open(a.db.path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "DROP TABLE transfers_in", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    {
        enum err rc = import_on(&a, &m, true);
        assert_true(rc != ERR_OK && rc != ERR_CONFLICT && rc != ERR_INVALID);
    }
    assert_int_equal(clients_in(a.db.path), 0);
    transfer_made_release(&m);
    inst_close(&a);
    inst_close(&b);
}

/* The same package on A twice: once imported, then 409; B's own package on B: "made here". */
static void replay_per_signer(void **state)
{
    struct inst a, b;
    struct transfer_made m;

    (void)state;
    inst_open(&a);
    inst_open(&b);
    inst_package(&b, &m);
    assert_int_equal(import_on(&a, &m, true), ERR_OK);
    assert_int_equal(import_on(&a, &m, true), ERR_CONFLICT);
    assert_int_equal(import_on(&b, &m, true), ERR_CONFLICT);
    assert_int_equal(clients_in(a.db.path), 1);
    assert_int_equal(clients_in(b.db.path), 1);
    transfer_made_release(&m);
    inst_close(&a);
    inst_close(&b);
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
        cmocka_unit_test(replay_lookup_failure_is_an_error),
        cmocka_unit_test(replay_per_signer),
    };
    if (sec_init()) {
        return 1;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
