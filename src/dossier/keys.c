/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Encryption at rest: the keyring check, per-client data keys wrapped by the master key, sealing
 * and opening of sensitive column values bound to their row, the start-up pass that seals what an
 * older version left in plain text, and master-key rotation. The formats are in dossier.h.
 */
#include "core/compat.h"

#include "core/clock.h"
#include "core/log.h"
#include "core/mem.h"
#include "dossier/dossier.h"

#define KEYS_FORMAT   0x01
#define KEYS_AD_MAX   192
#define KEYS_BATCH    64
#define KEYS_DEK_V1   1
#define KEYS_CHECK_PT "veerkracht keyring check value 1" /* 32 bytes */

struct keyring {
    struct sec_key *kek;
    int64_t version;
};

/* ---- the keyring -------------------------------------------------------------------------- */

static void check_ad(int64_t version, char *ad, size_t size)
{
    snprintf(ad, size, "vk-kek|%lld", (long long)version);
}

static enum err check_make(const struct sec_key *kek, int64_t version, struct keyring_row *row)
{
    char ad[KEYS_AD_MAX];
    check_ad(version, ad, sizeof(ad));
    memset(row, 0, sizeof(*row));
    row->version = version;
    row->created_at = clock_now_ms();
    row->check_len = sizeof(KEYS_CHECK_PT) - 1 + SEC_SEAL_OVERHEAD;
    return sec_seal(kek, ad, strlen(ad), KEYS_CHECK_PT, sizeof(KEYS_CHECK_PT) - 1, row->check,
                    sizeof(row->check));
}

static bool check_ok(const struct sec_key *kek, const struct keyring_row *row)
{
    char ad[KEYS_AD_MAX];
    unsigned char pt[sizeof(KEYS_CHECK_PT)];
    size_t n = 0;
    check_ad(row->version, ad, sizeof(ad));
    return row->check_len == sizeof(KEYS_CHECK_PT) - 1 + SEC_SEAL_OVERHEAD &&
           sec_open(kek, ad, strlen(ad), row->check, row->check_len, pt, sizeof(pt), &n) ==
               ERR_OK &&
           n == sizeof(KEYS_CHECK_PT) - 1 && memcmp(pt, KEYS_CHECK_PT, n) == 0;
}

/* The newest version must open with kek; an empty keyring gets version 1. */
static enum err keyring_check(struct store_conn *c, const struct sec_key *kek, int64_t *version,
                              const char **why)
{
    struct keyring_row row;
    enum err rc = store_keyring_current(c, &row);

    if (rc == ERR_NOT_FOUND) {
        rc = check_make(kek, 1, &row);
        rc = rc ? rc : store_keyring_add(c, &row);
    } else if (!rc && !check_ok(kek, &row)) {
        *why = row.retired_at ? "the keyring is damaged"
                              : "this master key does not open the database (a wrong key, or one "
                                "replaced by `veerkracht key rotate`)";
        rc = ERR_CORRUPT;
    }
    *version = row.version;
    return rc;
}

enum err keys_open(struct store_conn *c, struct sec_key *kek, struct keyring **out,
                   const char **why)
{
    int64_t version = 0;
    enum err rc = store_begin(c, true);

    *out = NULL;
    *why = "cannot read the keyring";
    rc = rc ? rc : keyring_check(c, kek, &version, why);
    rc = rc ? rc : store_commit(c);
    if (rc) {
        store_rollback(c);
        sec_key_free(kek);
        return rc;
    }
    *why = "";
    *out = xcalloc(1, sizeof(**out));
    (*out)->kek = kek;
    (*out)->version = version;
    return ERR_OK;
}

void keys_close(struct keyring *kr)
{
    if (kr) {
        sec_key_free(kr->kek);
        free(kr);
    }
}

int64_t keys_kek_version(const struct keyring *kr)
{
    return kr->version;
}

/* ---- data keys ---------------------------------------------------------------------------- */

static void dek_ad(const char *pid, int64_t dek_version, int64_t kek_version, char *ad, size_t size)
{
    snprintf(ad, size, "vk-dek|%s|%lld|%lld", pid, (long long)dek_version, (long long)kek_version);
}

/* pids are 32 hex digits (shape-checked before they get here); a longer string is cut. */
static void pid_copy(char dst[STORE_UID_LEN + 1], const char *pid)
{
    size_t n = strlen(pid);
    n = n > STORE_UID_LEN ? STORE_UID_LEN : n;
    memcpy(dst, pid, n);
    dst[n] = '\0';
}

enum err keys_dek_new(const char *pid, struct keys_dek *out)
{
    memset(out, 0, sizeof(*out));
    pid_copy(out->pid, pid);
    out->version = KEYS_DEK_V1;
    return sec_key_random(&out->key);
}

static enum err dek_wrap(const struct sec_key *kek, int64_t kek_version, const char *pid,
                         const struct sec_key *dek, struct client_key_row *row)
{
    char ad[KEYS_AD_MAX];
    dek_ad(pid, row->dek_version, kek_version, ad, sizeof(ad));
    row->kek_version = kek_version;
    row->wrapped_len = SEC_WRAPPED_BYTES;
    return sec_key_wrap(kek, ad, strlen(ad), dek, row->wrapped);
}

enum err keys_dek_store(const struct keyring *kr, struct store_conn *c, int64_t client_id,
                        const struct keys_dek *d)
{
    struct client_key_row row;
    enum err rc;

    if (!kr) {
        return ERR_INTERNAL;
    }
    memset(&row, 0, sizeof(row));
    row.client_id = client_id;
    row.dek_version = d->version;
    row.created_at = clock_now_ms();
    rc = dek_wrap(kr->kek, kr->version, d->pid, d->key, &row);
    return rc ? rc : store_client_key_insert(c, &row);
}

static enum err dek_unwrap(const struct sec_key *kek, const char *pid,
                           const struct client_key_row *row, struct sec_key **out)
{
    char ad[KEYS_AD_MAX];
    if (row->wrapped_len != SEC_WRAPPED_BYTES) {
        return ERR_CORRUPT;
    }
    dek_ad(pid, row->dek_version, row->kek_version, ad, sizeof(ad));
    return sec_key_unwrap(kek, ad, strlen(ad), row->wrapped, out);
}

enum err keys_dek_load(const struct keyring *kr, struct store_conn *c, struct audit_ctx *actx,
                       int64_t client_id, const char *pid, struct keys_dek *out)
{
    struct client_key_row row;
    const char *why = "it does not unwrap with this master key";
    enum err rc;

    memset(out, 0, sizeof(*out));
    if (!kr) {
        return ERR_INTERNAL;
    }
    rc = store_client_key_get(c, client_id, &row);
    if (rc == ERR_NOT_FOUND) {
        why = "the client has none"; /* every client has one after start-up */
        rc = ERR_CORRUPT;
    } else if (!rc && row.kek_version != kr->version) {
        why = "it is wrapped under another master-key version: restart with the current key";
        rc = ERR_CORRUPT;
    } else if (!rc && (row.dek_version < 1 || row.dek_version > UINT32_MAX)) {
        rc = ERR_CORRUPT;
    }
    rc = rc ? rc : dek_unwrap(kr->kek, pid, &row, &out->key);
    if (rc == ERR_CORRUPT) {
        log_error("event=decrypt_failed what=client_key reason=\"%s\"", why);
        if (actx) {
            audit_note_failure(actx, pid, "decrypt_failed", "client_key");
        }
    }
    if (!rc) {
        out->version = (uint32_t)row.dek_version;
        pid_copy(out->pid, pid);
    }
    return rc;
}

void keys_dek_release(struct keys_dek *d)
{
    sec_key_free(d->key);
    d->key = NULL;
}

/* ---- sealing and opening ------------------------------------------------------------------ */

static void field_ad(const struct keys_dek *d, enum store_sealed_col col, const char *row_uid,
                     uint32_t dek_version, char *ad, size_t size)
{
    const char *table, *column;
    store_sealed_col_name(col, &table, &column);
    snprintf(ad, size, "vk1|%s|%s|%s|%s|%lu", table, row_uid, column, d->pid,
             (unsigned long)dek_version);
}

enum err keys_seal(const struct keys_dek *d, enum store_sealed_col col, const char *row_uid,
                   const void *pt, size_t len, unsigned char *out, size_t outsize, size_t *outlen)
{
    char ad[KEYS_AD_MAX];
    enum err rc;

    *outlen = 0;
    if (!d || !d->key || len > SIZE_MAX - STORE_SEALED_HEAD - SEC_SEAL_OVERHEAD ||
        outsize < STORE_SEALED_HEAD + SEC_SEAL_OVERHEAD + len) {
        return ERR_INTERNAL;
    }
    field_ad(d, col, row_uid, d->version, ad, sizeof(ad));
    out[0] = KEYS_FORMAT;
    out[1] = (unsigned char)(d->version >> 24);
    out[2] = (unsigned char)(d->version >> 16);
    out[3] = (unsigned char)(d->version >> 8);
    out[4] = (unsigned char)d->version;
    rc = sec_seal(d->key, ad, strlen(ad), pt, len, out + STORE_SEALED_HEAD,
                  outsize - STORE_SEALED_HEAD);
    if (!rc) {
        *outlen = STORE_SEALED_HEAD + SEC_SEAL_OVERHEAD + len;
    }
    return rc;
}

enum err keys_seal_blob(const struct keys_dek *d, enum store_sealed_col col, const char *row_uid,
                        const void *pt, size_t len, struct store_blob *out)
{
    size_t size = st_add(len, STORE_SEALED_HEAD + SEC_SEAL_OVERHEAD);
    enum err rc;

    out->p = xmalloc(size);
    rc = keys_seal(d, col, row_uid, pt, len, out->p, size, &out->len);
    if (rc) {
        free(out->p);
        out->p = NULL;
        out->len = 0;
    }
    return rc;
}

enum err keys_seal_text(const struct keys_dek *d, enum store_sealed_col col, const char *row_uid,
                        const char *text, unsigned char *out, size_t outsize, size_t *outlen)
{
    *outlen = 0;
    if (!text || !*text) {
        return ERR_OK; /* stored as NULL */
    }
    return keys_seal(d, col, row_uid, text, strlen(text), out, outsize, outlen);
}

static const char *col_object(enum store_sealed_col col)
{
    const char *table, *column;
    store_sealed_col_name(col, &table, &column);
    if (!strcmp(table, "clients")) {
        return "client";
    }
    if (!strncmp(table, "referral", 8)) {
        return "referral"; /* referrals and referral_events */
    }
    return !strcmp(table, "screenings") ? "screening" : "red_flag";
}

static enum err open_fail(const struct keys_dek *d, struct audit_ctx *actx,
                          enum store_sealed_col col, const char *row_uid)
{
    const char *table, *column;
    store_sealed_col_name(col, &table, &column);
    /* ids only: never the value */
    log_error("event=decrypt_failed table=%s column=%s row=%s", table, column, row_uid);
    if (actx) {
        audit_note_failure(actx, d ? d->pid : NULL, "decrypt_failed", col_object(col));
    }
    return ERR_CORRUPT;
}

/* Opens into pt (ptsize >= inlen - head - overhead); *ptlen gets the plain length. */
static enum err open_raw(const struct keys_dek *d, enum store_sealed_col col, const char *row_uid,
                         const unsigned char *in, size_t inlen, unsigned char *pt, size_t ptsize,
                         size_t *ptlen)
{
    char ad[KEYS_AD_MAX];
    uint32_t version;

    if (!d || !d->key || inlen < STORE_SEALED_HEAD + SEC_SEAL_OVERHEAD || in[0] != KEYS_FORMAT) {
        return ERR_CORRUPT;
    }
    version = (uint32_t)in[1] << 24 | (uint32_t)in[2] << 16 | (uint32_t)in[3] << 8 | in[4];
    if (version != d->version) {
        return ERR_CORRUPT; /* one DEK version per client so far */
    }
    field_ad(d, col, row_uid, version, ad, sizeof(ad));
    return sec_open(d->key, ad, strlen(ad), in + STORE_SEALED_HEAD, inlen - STORE_SEALED_HEAD, pt,
                    ptsize, ptlen);
}

static size_t plain_len(size_t inlen)
{
    return inlen >= STORE_SEALED_HEAD + SEC_SEAL_OVERHEAD
               ? inlen - STORE_SEALED_HEAD - SEC_SEAL_OVERHEAD
               : 0;
}

enum err keys_open_text(const struct keys_dek *d, struct audit_ctx *actx, enum store_sealed_col col,
                        const char *row_uid, const unsigned char *in, size_t inlen, char *out,
                        size_t outsize)
{
    size_t n = 0;

    out[0] = '\0';
    if (inlen == 0) {
        return ERR_OK;
    }
    if (plain_len(inlen) >= outsize ||
        open_raw(d, col, row_uid, in, inlen, (unsigned char *)out, outsize - 1, &n)) {
        sec_memzero(out, outsize);
        return open_fail(d, actx, col, row_uid);
    }
    out[n] = '\0';
    return ERR_OK;
}

enum err keys_open_dup(const struct keys_dek *d, struct audit_ctx *actx, enum store_sealed_col col,
                       const char *row_uid, const struct store_blob *in, char **out)
{
    size_t size = plain_len(in->len) + 1, n = 0;
    char *pt = xmalloc(size);

    *out = NULL;
    pt[0] = '\0';
    if (in->len && open_raw(d, col, row_uid, in->p, in->len, (unsigned char *)pt, size, &n)) {
        free(pt);
        return open_fail(d, actx, col, row_uid);
    }
    pt[n] = '\0';
    *out = pt;
    return ERR_OK;
}

/* ---- start-up: what an older version left behind ------------------------------------------ */

static enum err legacy_deks(const struct keyring *kr, struct store_conn *c)
{
    int64_t ids[KEYS_BATCH];
    char pids[KEYS_BATCH][STORE_UID_LEN + 1];
    size_t n = 0;
    enum err rc;

    do {
        rc = store_clients_without_key(c, ids, pids, KEYS_BATCH, &n);
        for (size_t i = 0; !rc && i < n; i++) {
            struct keys_dek d;
            rc = keys_dek_new(pids[i], &d);
            rc = rc ? rc : keys_dek_store(kr, c, ids[i], &d);
            keys_dek_release(&d);
        }
    } while (!rc && n == KEYS_BATCH);
    return rc;
}

static enum err legacy_cell(const struct keyring *kr, struct store_conn *c,
                            enum store_sealed_col col, const struct store_plain_cell *cell)
{
    struct store_blob b = {NULL, 0};
    struct keys_dek d;
    enum err rc = keys_dek_load(kr, c, NULL, cell->client_id, cell->pid, &d);

    rc = rc ? rc : keys_seal_blob(&d, col, cell->uid, cell->text, cell->len, &b);
    rc = rc ? rc : store_sealed_put(c, col, cell->rowid, b.p, b.len);
    free(b.p);
    keys_dek_release(&d);
    return rc;
}

static enum err legacy_column(const struct keyring *kr, struct store_conn *c,
                              enum store_sealed_col col, int64_t *sealed)
{
    struct store_plain_cell cells[KEYS_BATCH];
    int64_t after = 0;
    size_t n = 0;
    enum err rc;

    do {
        rc = store_plain_cells(c, col, after, cells, KEYS_BATCH, &n);
        for (size_t i = 0; i < n; i++) {
            if (!rc) {
                rc = legacy_cell(kr, c, col, &cells[i]);
                (*sealed) += rc ? 0 : 1;
            }
            after = cells[i].rowid;
            sec_memzero(cells[i].text, cells[i].len);
            free(cells[i].text);
        }
    } while (!rc && n == KEYS_BATCH);
    return rc;
}

enum err keys_seal_legacy(const struct keyring *kr, struct store_conn *c, int64_t *sealed)
{
    int64_t count = 0;
    enum err rc = store_begin(c, true);

    rc = rc ? rc : legacy_deks(kr, c);
    rc = rc ? rc : store_flag_action_fill_uids(c);
    rc = rc ? rc : store_referral_event_fill_uids(c);
    for (int col = 0; !rc && col < STORE_COL_COUNT; col++) {
        rc = legacy_column(kr, c, (enum store_sealed_col)col, &count);
    }
    rc = rc ? rc : store_commit(c);
    if (rc) {
        store_rollback(c);
        count = 0;
    }
    if (!rc && count) {
        rc = store_checkpoint(c); /* overwrite the pages that held the plain text now */
    }
    if (sealed) {
        *sealed = count;
    }
    return rc;
}

/* ---- rotation ----------------------------------------------------------------------------- */

static enum err rewrap_one(const struct keyring *kr, struct store_conn *c,
                           const struct sec_key *new_kek, int64_t new_version,
                           struct client_key_row *row)
{
    struct client_row client;
    struct sec_key *dek = NULL;
    enum err rc = store_client_by_id(c, row->client_id, &client);

    rc = rc ? rc : dek_unwrap(kr->kek, client.pid, row, &dek);
    rc = rc ? rc : dek_wrap(new_kek, new_version, client.pid, dek, row);
    rc = rc ? rc : store_client_key_rewrap(c, row);
    sec_key_free(dek);
    if (rc == ERR_CORRUPT) {
        log_error("event=rotate_failed client=%s reason=\"its data key does not open with the "
                  "current master key\"",
                  client.pid);
    }
    return rc;
}

static enum err rotate_all(const struct keyring *kr, struct store_conn *c,
                           const struct sec_key *new_kek, int64_t new_version, int64_t *count)
{
    struct client_key_row rows[KEYS_BATCH];
    int64_t after_client = 0, after_version = 0;
    size_t n = 0;
    enum err rc;

    do {
        rc = store_client_key_batch(c, new_version, after_client, after_version, rows, KEYS_BATCH,
                                    &n);
        for (size_t i = 0; !rc && i < n; i++) {
            after_client = rows[i].client_id;
            after_version = rows[i].dek_version;
            rc = rewrap_one(kr, c, new_kek, new_version, &rows[i]);
            (*count) += rc ? 0 : 1;
        }
        sec_memzero(rows, sizeof(rows));
    } while (!rc && n == KEYS_BATCH);
    return rc;
}

enum err keys_rotate(struct store_conn *c, const struct keyring *kr, const struct sec_key *new_kek,
                     int64_t *rewrapped, int64_t *new_version)
{
    struct keyring_row cur, next;
    enum err rc = store_begin(c, true);

    *rewrapped = 0;
    *new_version = 0;
    rc = rc ? rc : store_keyring_current(c, &cur);
    if (!rc && (cur.version != kr->version || !check_ok(kr->kek, &cur))) {
        rc = ERR_CONFLICT; /* rotated by someone else since kr was opened */
    }
    /* the new version first: client_keys.kek_version refers to it */
    rc = rc ? rc : check_make(new_kek, kr->version + 1, &next);
    rc = rc ? rc : store_keyring_add(c, &next);
    rc = rc ? rc : rotate_all(kr, c, new_kek, kr->version + 1, rewrapped);
    rc = rc ? rc : store_commit(c);
    if (rc) {
        store_rollback(c);
        *rewrapped = 0;
        return rc;
    }
    *new_version = kr->version + 1;
    return ERR_OK;
}

/* The installation's signing key (docs/dossier.md §5), derived from the KEK in use. */
enum err keys_signer(const struct keyring *kr, struct sec_signer **out)
{
    return kr ? sec_signer_derive(kr->kek, out) : ERR_INTERNAL;
}
