/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Encryption at rest on a real SQLite file: the keyring refuses a wrong master key, every sealed
 * column round-trips, a sealed value moved to another row, column or client does not open (and
 * the failure is noted for the audit trail), nothing of the plain text reaches the database file,
 * and rotation keeps everything readable while the old key stops working.
 */
#include "core/compat.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "core/clock.h"
#include "core/mem.h"
#include "dossier/dossier.h"
#include "unit_db.h"

#define MARK "Canary-7f3e"

struct fixture {
    struct unit_db db;
    struct keyring *kr;
    unsigned char kek_raw[SEC_KEY_BYTES];
    struct org_row org;
    struct principal who;
};

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

static struct sec_key *key_of(const unsigned char raw[SEC_KEY_BYTES])
{
    struct sec_key *k = NULL;
    assert_int_equal(sec_key_from_bytes(raw, &k), ERR_OK);
    return k;
}

static void org_add(struct fixture *f)
{
    memset(&f->org, 0, sizeof(f->org));
    sec_random_hex(16, f->org.uid);
    snprintf(f->org.name, sizeof(f->org.name), "Org");
    snprintf(f->org.kind, sizeof(f->org.kind), "test");
    assert_int_equal(store_org_insert(f->db.c, &f->org), ERR_OK);
    memset(&f->who, 0, sizeof(f->who));
    sec_random_hex(16, f->who.user_uid);
    f->who.role = ROLE_VOLUNTEER;
    f->who.org_id = f->org.id;
    memcpy(f->who.org_uid, f->org.uid, sizeof(f->who.org_uid));
}

static int setup(void **state)
{
    struct fixture *f = xcalloc(1, sizeof(*f));
    const char *why = "";
    unit_db_open(&f->db);
    sec_random(f->kek_raw, sizeof(f->kek_raw));
    assert_int_equal(keys_open(f->db.c, key_of(f->kek_raw), &f->kr, &why), ERR_OK);
    assert_int_equal(keys_kek_version(f->kr), 1);
    assert_int_equal(store_begin(f->db.c, true), ERR_OK);
    org_add(f);
    assert_int_equal(store_commit(f->db.c), ERR_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    keys_close(f->kr);
    unit_db_close(&f->db);
    free(f);
    return 0;
}

/* Registers a client through the dossier (DEK created in the same transaction). */
static void client_add(struct fixture *f, const char *name, const char *phone, const char *place,
                       struct client_row *out)
{
    struct client_input in = {1990, "female", "SY", "ar", "coa", place, 0, name, phone};
    struct audit_ctx actx = {0};
    struct verr v = {0};

    actx.keys = f->kr;
    assert_int_equal(store_begin(f->db.c, true), ERR_OK);
    assert_int_equal(dossier_client_create(f->db.c, &actx, &f->who, &in, &v, out), ERR_OK);
    assert_int_equal(store_commit(f->db.c), ERR_OK);
    /* what storage got is sealed: format byte, DEK version 1, nonce, ciphertext, tag */
    assert_int_equal(out->name.len, STORE_SEALED_HEAD + SEC_SEAL_OVERHEAD + strlen(name));
    assert_int_equal(out->name.b[0], 0x01);
    assert_int_equal(out->name.b[4], 1);
}

static enum err reveal(struct fixture *f, const struct client_row *row, struct client_plain *p,
                       struct audit_ctx *actx)
{
    enum err rc;
    actx->keys = f->kr;
    assert_int_equal(store_begin(f->db.c, false), ERR_OK);
    rc = dossier_client_reveal(f->db.c, actx, row, p);
    store_rollback(f->db.c);
    return rc;
}

static void client_fields_round_trip(void **state)
{
    struct fixture *f = *state;
    struct client_row row, back;
    struct client_plain p;
    struct audit_ctx actx = {0};

    client_add(f, MARK "-name", MARK "-phone", MARK "-place", &row);
    assert_int_equal(store_client_by_pid(f->db.c, row.pid, &back), ERR_OK);
    assert_int_equal(reveal(f, &back, &p, &actx), ERR_OK);
    assert_string_equal(p.name, MARK "-name");
    assert_string_equal(p.phone, MARK "-phone");
    assert_false(actx.denial_pending);
    /* a client without name and phone: NULL columns, opened as "" */
    client_add(f, "x", "", "AZC", &row);
    assert_int_equal(row.phone.len, 0);
    assert_int_equal(store_client_by_pid(f->db.c, row.pid, &back), ERR_OK);
    assert_int_equal(reveal(f, &back, &p, &actx), ERR_OK);
    assert_string_equal(p.phone, "");
}

/* Seal and open one value of every sealed column with the client's DEK. */
static void every_column_round_trips(void **state)
{
    struct fixture *f = *state;
    struct client_row row;
    struct keys_dek d;
    char uid[STORE_UID_LEN + 1];

    client_add(f, "n", "p", "l", &row);
    sec_random_hex(16, uid);
    assert_int_equal(store_begin(f->db.c, false), ERR_OK);
    assert_int_equal(keys_dek_load(f->kr, f->db.c, NULL, row.id, row.pid, &d), ERR_OK);
    store_rollback(f->db.c);
    for (int col = 0; col < STORE_COL_COUNT; col++) {
        STORE_SEALED(STORE_NOTE_MAX) s;
        struct store_blob blob = {NULL, 0};
        char text[STORE_NOTE_MAX + 1], *dup = NULL;
        const char *pt = "{\"sleep\":1,\"note\":\"" MARK "\"}";

        assert_int_equal(KEYS_SEAL_TEXT(&d, (enum store_sealed_col)col, uid, pt, s), ERR_OK);
        assert_false(contains(s.b, s.len, MARK));
        assert_int_equal(KEYS_OPEN_TEXT(&d, NULL, (enum store_sealed_col)col, uid, s, text),
                         ERR_OK);
        assert_string_equal(text, pt);
        assert_int_equal(keys_seal_blob(&d, (enum store_sealed_col)col, uid, pt, strlen(pt), &blob),
                         ERR_OK);
        assert_int_equal(keys_open_dup(&d, NULL, (enum store_sealed_col)col, uid, &blob, &dup),
                         ERR_OK);
        assert_string_equal(dup, pt);
        free(dup);
        free(blob.p);
    }
    keys_dek_release(&d);
}

static void assert_failure_noted(const struct audit_ctx *actx, const char *pid)
{
    assert_true(actx->denial_pending);
    assert_string_equal(actx->denial_action, "decrypt_failed");
    assert_string_equal(actx->denial_outcome, "failure");
    assert_string_equal(actx->denial_client, pid);
}

/* Ciphertexts moved between clients, columns or rows do not open: ERR_CORRUPT, never data. */
static void swapped_ciphertexts_fail(void **state)
{
    struct fixture *f = *state;
    struct client_row a, b, moved;
    struct client_plain p;
    struct audit_ctx actx = {0};
    struct keys_dek d;
    STORE_SEALED(STORE_NOTE_MAX) s;
    char text[STORE_NOTE_MAX + 1];

    client_add(f, "Amina A", "0612", "AZC A", &a);
    client_add(f, "Bashir B", "0634", "AZC B", &b);
    /* b's name in a's row: another client (pid in the AD, and another DEK) */
    moved = a;
    moved.name = b.name;
    assert_int_equal(reveal(f, &moved, &p, &actx), ERR_CORRUPT);
    assert_failure_noted(&actx, a.pid);
    assert_string_equal(p.name, "");
    /* a's phone in a's name: another column */
    memset(&actx, 0, sizeof(actx));
    moved = a;
    memcpy(moved.name.b, a.phone.b, a.phone.len);
    moved.name.len = a.phone.len;
    assert_int_equal(reveal(f, &moved, &p, &actx), ERR_CORRUPT);
    assert_failure_noted(&actx, a.pid);
    /* one flipped bit, a truncated value, a wrong format byte */
    moved = a;
    moved.phone.b[STORE_SEALED_HEAD + 3] ^= 1;
    assert_int_equal(reveal(f, &moved, &p, &actx), ERR_CORRUPT);
    moved = a;
    moved.phone.len -= 1;
    assert_int_equal(reveal(f, &moved, &p, &actx), ERR_CORRUPT);
    moved = a;
    moved.phone.b[0] = 0x02;
    assert_int_equal(reveal(f, &moved, &p, &actx), ERR_CORRUPT);
    /* another row of the same table and column: the row uid is in the AD */
    assert_int_equal(store_begin(f->db.c, false), ERR_OK);
    assert_int_equal(keys_dek_load(f->kr, f->db.c, NULL, a.id, a.pid, &d), ERR_OK);
    store_rollback(f->db.c);
    assert_int_equal(KEYS_SEAL_TEXT(&d, STORE_COL_FLAG_NOTE, "row-one", "note", s), ERR_OK);
    assert_int_equal(KEYS_OPEN_TEXT(&d, NULL, STORE_COL_FLAG_NOTE, "row-two", s, text),
                     ERR_CORRUPT);
    assert_int_equal(KEYS_OPEN_TEXT(&d, NULL, STORE_COL_ACTION_NOTE, "row-one", s, text),
                     ERR_CORRUPT);
    assert_int_equal(KEYS_OPEN_TEXT(&d, NULL, STORE_COL_FLAG_NOTE, "row-one", s, text), ERR_OK);
    keys_dek_release(&d);
    /* the untouched rows still open */
    assert_int_equal(reveal(f, &b, &p, &actx), ERR_OK);
    assert_string_equal(p.name, "Bashir B");
}

static void dek_load(struct fixture *f, const struct client_row *row, struct keys_dek *d)
{
    assert_int_equal(store_begin(f->db.c, false), ERR_OK);
    assert_int_equal(keys_dek_load(f->kr, f->db.c, NULL, row->id, row->pid, d), ERR_OK);
    store_rollback(f->db.c);
}

/*
 * Unwrapped DEKs live in the thread's reusable guarded slot: two held at once (the second in a
 * fresh guarded key), released in either order, a failed unwrap in between, and many in a row
 * each open exactly what they sealed. The referral columns are bound to their row and column.
 */
static void data_keys_reuse_the_slot(void **state)
{
    struct fixture *f = *state;
    struct client_row a, b;
    struct keys_dek da, db, bad;
    STORE_SEALED(STORE_NOTE_MAX) sa, sb;
    char text[STORE_NOTE_MAX + 1];

    client_add(f, "Amina A", "", "AZC A", &a);
    client_add(f, "Bashir B", "", "AZC B", &b);
    dek_load(f, &a, &da); /* the slot */
    dek_load(f, &b, &db); /* held together: a fresh guarded key */
    assert_int_equal(KEYS_SEAL_TEXT(&da, STORE_COL_REFERRAL_HANDOVER_NOTE, "ref-1", MARK, sa),
                     ERR_OK);
    assert_int_equal(KEYS_SEAL_TEXT(&db, STORE_COL_REFERRAL_HANDOVER_NOTE, "ref-1", MARK, sb),
                     ERR_OK);
    keys_dek_release(&da); /* wipes the slot; b's key is untouched */
    assert_int_equal(KEYS_OPEN_TEXT(&db, NULL, STORE_COL_REFERRAL_HANDOVER_NOTE, "ref-1", sb, text),
                     ERR_OK);
    assert_string_equal(text, MARK);
    assert_int_equal(KEYS_OPEN_TEXT(&db, NULL, STORE_COL_REFERRAL_HANDOVER_NOTE, "ref-1", sa, text),
                     ERR_CORRUPT);
    /* a failed unwrap (the wrong pid in the AD) leaves the slot free for the next one */
    assert_int_equal(store_begin(f->db.c, false), ERR_OK);
    assert_int_equal(keys_dek_load(f->kr, f->db.c, NULL, a.id, b.pid, &bad), ERR_CORRUPT);
    store_rollback(f->db.c);
    keys_dek_release(&bad);
    keys_dek_release(&db);
    for (int i = 0; i < 200; i++) {
        struct keys_dek d;
        dek_load(f, (i & 1) ? &b : &a, &d);
        assert_int_equal(KEYS_OPEN_TEXT(&d, NULL, STORE_COL_REFERRAL_HANDOVER_NOTE, "ref-1",
                                        (i & 1) ? sb : sa, text),
                         ERR_OK);
        assert_string_equal(text, MARK);
        keys_dek_release(&d);
    }
    /* another referral, another column of the same row, an event's note: none open */
    dek_load(f, &a, &da);
    assert_int_equal(KEYS_OPEN_TEXT(&da, NULL, STORE_COL_REFERRAL_HANDOVER_NOTE, "ref-2", sa, text),
                     ERR_CORRUPT);
    assert_int_equal(KEYS_OPEN_TEXT(&da, NULL, STORE_COL_REFERRAL_CONTACT_WITH, "ref-1", sa, text),
                     ERR_CORRUPT);
    assert_int_equal(KEYS_OPEN_TEXT(&da, NULL, STORE_COL_REFERRAL_EVENT_NOTE, "ref-1", sa, text),
                     ERR_CORRUPT);
    keys_dek_release(&da);
}

static void wrong_key_is_refused(void **state)
{
    struct fixture *f = *state;
    struct keyring *other = NULL;
    struct sec_key *k = NULL;
    const char *why = "";

    assert_int_equal(sec_key_random(&k), ERR_OK);
    assert_int_equal(keys_open(f->db.c, k, &other, &why), ERR_CORRUPT);
    assert_null(other);
    assert_non_null(strstr(why, "does not open"));
    /* the right key still opens */
    assert_int_equal(keys_open(f->db.c, key_of(f->kek_raw), &other, &why), ERR_OK);
    keys_close(other);
}

static bool file_has(const char *path, const char *needle)
{
    struct stat sb;
    unsigned char *buf;
    bool found = false;
    int fd = open(path, O_RDONLY);

    if (fd < 0) {
        return false;
    }
    if (fstat(fd, &sb) == 0 && sb.st_size > 0) {
        buf = xmalloc((size_t)sb.st_size);
        if (read(fd, buf, (size_t)sb.st_size) == sb.st_size) {
            found = contains(buf, (size_t)sb.st_size, needle);
        }
        free(buf);
    }
    close(fd);
    return found;
}

static void database_file_holds_no_plain_text(void **state)
{
    struct fixture *f = *state;
    struct client_row row;
    char wal[128];

    client_add(f, MARK "-file-name", MARK "-file-phone", "AZC", &row);
    snprintf(wal, sizeof(wal), "%s-wal", f->db.path);
    assert_false(file_has(f->db.path, MARK "-file"));
    assert_false(file_has(wal, MARK "-file"));
    /* the search itself works: the pid is stored in the clear */
    assert_true(file_has(f->db.path, row.pid) || file_has(wal, row.pid));
}

static void rotation_keeps_data_and_retires_the_old_key(void **state)
{
    struct fixture *f = *state;
    struct client_row a, b, back;
    struct client_plain p;
    struct audit_ctx actx = {0};
    struct keyring *old = NULL, *nkr = NULL;
    struct sec_key *nk = NULL;
    unsigned char new_raw[SEC_KEY_BYTES];
    int64_t n = 0, version = 0;
    const char *why = "";

    client_add(f, "Rotated One", "1", "AZC", &a);
    client_add(f, "Rotated Two", "2", "AZC", &b);
    sec_random(new_raw, sizeof(new_raw));
    nk = key_of(new_raw);
    assert_int_equal(keys_rotate(f->db.c, f->kr, nk, &n, &version), ERR_OK);
    sec_key_free(nk);
    assert_int_equal(n, 2);
    assert_int_equal(version, 2);
    /* the old key is refused at start-up, and the keyring it came with opens nothing */
    assert_int_equal(keys_open(f->db.c, key_of(f->kek_raw), &old, &why), ERR_CORRUPT);
    assert_int_equal(store_client_by_pid(f->db.c, a.pid, &back), ERR_OK);
    assert_int_equal(reveal(f, &back, &p, &actx), ERR_CORRUPT);
    /* the new one opens everything */
    assert_int_equal(keys_open(f->db.c, key_of(new_raw), &nkr, &why), ERR_OK);
    assert_int_equal(keys_kek_version(nkr), 2);
    keys_close(f->kr);
    f->kr = nkr;
    assert_int_equal(reveal(f, &back, &p, &actx), ERR_OK);
    assert_string_equal(p.name, "Rotated One");
    assert_int_equal(store_client_by_pid(f->db.c, b.pid, &back), ERR_OK);
    assert_int_equal(reveal(f, &back, &p, &actx), ERR_OK);
    assert_string_equal(p.name, "Rotated Two");
    /* rotating with a keyring that is no longer current is refused */
    assert_int_equal(keys_open(f->db.c, key_of(new_raw), &old, &why), ERR_OK);
    nk = key_of(f->kek_raw);
    assert_int_equal(keys_rotate(f->db.c, old, nk, &n, &version), ERR_OK);
    assert_int_equal(keys_rotate(f->db.c, old, nk, &n, &version), ERR_CONFLICT);
    sec_key_free(nk);
    keys_close(old);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(client_fields_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(every_column_round_trips, setup, teardown),
        cmocka_unit_test_setup_teardown(swapped_ciphertexts_fail, setup, teardown),
        cmocka_unit_test_setup_teardown(data_keys_reuse_the_slot, setup, teardown),
        cmocka_unit_test_setup_teardown(wrong_key_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(database_file_holds_no_plain_text, setup, teardown),
        cmocka_unit_test_setup_teardown(rotation_keeps_data_and_retires_the_old_key, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
