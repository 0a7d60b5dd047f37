/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Rows for encryption at rest: the keyring, the wrapped client data keys, the sealed-column
 * helpers, and the plain text that an older version (before 0005_keys.sql for the dossier, before
 * 0009 for the referrals) left in the sealed columns.
 */
#include "core/compat.h"

#include <limits.h>

#include "core/mem.h"
#include "storage/store_int.h"

/* ---- sealed column values ----------------------------------------------------------------- */

void store__col_sealed(sqlite3_stmt *st, int i, unsigned char *dst, size_t size, size_t *len)
{
    int type = sqlite3_column_type(st, i);
    const void *b = type == SQLITE_BLOB ? sqlite3_column_blob(st, i) : NULL;
    size_t n = b ? (size_t)sqlite3_column_bytes(st, i) : 0;

    *len = 0;
    if (type == SQLITE_NULL) {
        return;
    }
    if (!b || n == 0 || n > size) {
        dst[0] = 0; /* not a sealed value: the opener refuses it */
        *len = 1;
        return;
    }
    memcpy(dst, b, n);
    *len = n;
}

void store__col_blob(sqlite3_stmt *st, int i, struct store_blob *out)
{
    int type = sqlite3_column_type(st, i);
    const void *b = type == SQLITE_BLOB ? sqlite3_column_blob(st, i) : NULL;
    size_t n = b ? (size_t)sqlite3_column_bytes(st, i) : 0;

    out->p = NULL;
    out->len = 0;
    if (type == SQLITE_NULL) {
        return;
    }
    if (!b || n == 0) {
        out->p = xcalloc(1, 1); /* not a sealed value: the opener refuses it */
        out->len = 1;
        return;
    }
    out->p = xmalloc(n);
    memcpy(out->p, b, n);
    out->len = n;
}

int store__bind_sealed(sqlite3_stmt *st, int i, const unsigned char *b, size_t len)
{
    if (!b || len == 0 || len > INT_MAX) {
        return sqlite3_bind_null(st, i);
    }
    return sqlite3_bind_blob(st, i, b, (int)len, SQLITE_TRANSIENT);
}

enum err store_checkpoint(struct store_conn *c)
{
    int rc = sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    return rc == SQLITE_OK ? ERR_OK : store__err(c, rc);
}

/* ---- keyring ------------------------------------------------------------------------------ */

static void keyring_read(sqlite3_stmt *st, void *out)
{
    struct keyring_row *k = out;
    k->version = sqlite3_column_int64(st, 0);
    store__col_sealed(st, 1, k->check, sizeof(k->check), &k->check_len);
    k->created_at = sqlite3_column_int64(st, 2);
    k->retired_at = sqlite3_column_int64(st, 3);
}

enum err store_keyring_current(struct store_conn *c, struct keyring_row *out)
{
    static const char sql[] = "SELECT version, check_value, created_at, coalesce(retired_at, 0) "
                              "FROM keyring ORDER BY version DESC LIMIT 1";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);

    memset(out, 0, sizeof(*out));
    if (rc) {
        return rc;
    }
    rc = store__step_row(c, st);
    if (!rc) {
        keyring_read(st, out);
        sqlite3_reset(st);
    }
    return rc;
}

enum err store_keyring_add(struct store_conn *c, const struct keyring_row *row)
{
    static const char retire[] =
        "UPDATE keyring SET retired_at = ? WHERE retired_at IS NULL AND version < ?";
    static const char ins[] =
        "INSERT INTO keyring(version, check_value, created_at) VALUES (?, ?, ?)";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, retire, &st);

    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, row->created_at);
    sqlite3_bind_int64(st, 2, row->version);
    rc = store__exec_done(c, st);
    if (rc || (rc = store__stmt(c, ins, &st))) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, row->version);
    store__bind_sealed(st, 2, row->check, row->check_len);
    sqlite3_bind_int64(st, 3, row->created_at);
    return store__exec_done(c, st);
}

/* ---- client data keys --------------------------------------------------------------------- */

#define CLIENT_KEY_COLS "client_id, dek_version, kek_version, wrapped, created_at"

static void client_key_read(sqlite3_stmt *st, void *out)
{
    struct client_key_row *k = out;
    k->client_id = sqlite3_column_int64(st, 0);
    k->dek_version = sqlite3_column_int64(st, 1);
    k->kek_version = sqlite3_column_int64(st, 2);
    store__col_sealed(st, 3, k->wrapped, sizeof(k->wrapped), &k->wrapped_len);
    k->created_at = sqlite3_column_int64(st, 4);
}

enum err store_client_key_insert(struct store_conn *c, const struct client_key_row *row)
{
    static const char sql[] = "INSERT INTO client_keys(" CLIENT_KEY_COLS ") VALUES (?, ?, ?, ?, ?)";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);

    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, row->client_id);
    sqlite3_bind_int64(st, 2, row->dek_version);
    sqlite3_bind_int64(st, 3, row->kek_version);
    store__bind_sealed(st, 4, row->wrapped, row->wrapped_len);
    sqlite3_bind_int64(st, 5, row->created_at);
    return store__exec_done(c, st);
}

enum err store_client_key_get(struct store_conn *c, int64_t client_id, struct client_key_row *out)
{
    static const char sql[] = "SELECT " CLIENT_KEY_COLS " FROM client_keys WHERE client_id = ? "
                              "ORDER BY dek_version DESC LIMIT 1";
    return store__get_int(c, sql, client_id, client_key_read, out);
}

enum err store_client_key_batch(struct store_conn *c, int64_t kek_version, int64_t after_client,
                                int64_t after_version, struct client_key_row *out, size_t max,
                                size_t *n)
{
    static const char sql[] =
        "SELECT " CLIENT_KEY_COLS " FROM client_keys WHERE kek_version != ?1 AND "
        "(client_id > ?2 OR (client_id = ?2 AND dek_version > ?3)) "
        "ORDER BY client_id, dek_version LIMIT ?4";
    sqlite3_stmt *st;
    int step = SQLITE_DONE;
    enum err rc = store__stmt(c, sql, &st);

    *n = 0;
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, kek_version);
    sqlite3_bind_int64(st, 2, after_client);
    sqlite3_bind_int64(st, 3, after_version);
    sqlite3_bind_int64(st, 4, (int64_t)max);
    while (*n < max && (step = sqlite3_step(st)) == SQLITE_ROW) {
        client_key_read(st, &out[(*n)++]);
    }
    rc = (step == SQLITE_ROW || step == SQLITE_DONE) ? ERR_OK : store__err(c, step);
    sqlite3_reset(st);
    return rc;
}

enum err store_client_key_rewrap(struct store_conn *c, const struct client_key_row *row)
{
    static const char sql[] = "UPDATE client_keys SET kek_version = ?, wrapped = ? "
                              "WHERE client_id = ? AND dek_version = ?";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);

    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, row->kek_version);
    store__bind_sealed(st, 2, row->wrapped, row->wrapped_len);
    sqlite3_bind_int64(st, 3, row->client_id);
    sqlite3_bind_int64(st, 4, row->dek_version);
    return store__exec_one(c, st);
}

enum err store_clients_without_key(struct store_conn *c, int64_t *ids,
                                   char (*pids)[STORE_UID_LEN + 1], size_t max, size_t *n)
{
    static const char sql[] = "SELECT c.id, c.pid FROM clients c WHERE NOT EXISTS (SELECT 1 "
                              "FROM client_keys k WHERE k.client_id = c.id) ORDER BY c.id LIMIT ?";
    sqlite3_stmt *st;
    int step = SQLITE_DONE;
    enum err rc = store__stmt(c, sql, &st);

    *n = 0;
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, (int64_t)max);
    while (*n < max && (step = sqlite3_step(st)) == SQLITE_ROW) {
        ids[*n] = sqlite3_column_int64(st, 0);
        store__col_text(st, 1, pids[*n], sizeof(pids[*n]));
        (*n)++;
    }
    rc = (step == SQLITE_ROW || step == SQLITE_DONE) ? ERR_OK : store__err(c, step);
    sqlite3_reset(st);
    return rc;
}

/* ---- plain text left by older versions ---------------------------------------------------- */

/* Each query gives rowid, row uid, client id, client pid, value; ?1 = after, ?2 = limit. */
#define PLAIN_CLIENT(col)                                                                          \
    "SELECT c.id, c.pid, c.id, c.pid, c." col " FROM clients c WHERE c.id > ?1 AND "               \
    "typeof(c." col ") = 'text' ORDER BY c.id LIMIT ?2"
#define PLAIN_SCREENING(col)                                                                       \
    "SELECT s.id, s.uid, s.client_id, c.pid, s." col " FROM screenings s JOIN clients c ON "       \
    "c.id = s.client_id WHERE s.id > ?1 AND typeof(s." col ") = 'text' ORDER BY s.id LIMIT ?2"
#define PLAIN_FLAG(col)                                                                            \
    "SELECT f.id, f.uid, f.client_id, c.pid, f." col " FROM red_flags f JOIN clients c ON "        \
    "c.id = f.client_id WHERE f.id > ?1 AND typeof(f." col ") = 'text' ORDER BY f.id LIMIT ?2"
#define PLAIN_ACTION                                                                               \
    "SELECT a.id, a.uid, f.client_id, c.pid, a.note FROM red_flag_actions a JOIN red_flags f "     \
    "ON f.id = a.flag_id JOIN clients c ON c.id = f.client_id WHERE a.id > ?1 AND "                \
    "typeof(a.note) = 'text' ORDER BY a.id LIMIT ?2"
#define PLAIN_REFERRAL(col)                                                                        \
    "SELECT r.id, r.uid, r.client_id, c.pid, r." col " FROM referrals r JOIN clients c ON "        \
    "c.id = r.client_id WHERE r.id > ?1 AND typeof(r." col ") = 'text' ORDER BY r.id LIMIT ?2"
#define PLAIN_REFERRAL_EVENT                                                                       \
    "SELECT e.id, e.uid, r.client_id, c.pid, e.note FROM referral_events e JOIN referrals r ON "   \
    "r.id = e.referral_id JOIN clients c ON c.id = r.client_id WHERE e.id > ?1 AND "               \
    "typeof(e.note) = 'text' ORDER BY e.id LIMIT ?2"
#define PLAIN_TRANSFER_HISTORY                                                                     \
    "SELECT h.id, h.uid, h.client_id, c.pid, h.body FROM transfer_history h JOIN clients c ON "    \
    "c.id = h.client_id WHERE h.id > ?1 AND typeof(h.body) = 'text' ORDER BY h.id LIMIT ?2"

struct sealed_col_sql {
    const char *table;
    const char *column;
    const char *select_plain;
    const char *update;
};

/* Identifiers come from this table only (no SQL is built from input). */
static const struct sealed_col_sql sealed_cols[STORE_COL_COUNT] = {
    [STORE_COL_CLIENT_NAME] = {"clients", "name", PLAIN_CLIENT("name"),
                               "UPDATE clients SET name = ?1 WHERE id = ?2"},
    [STORE_COL_CLIENT_PHONE] = {"clients", "phone", PLAIN_CLIENT("phone"),
                                "UPDATE clients SET phone = ?1 WHERE id = ?2"},
    [STORE_COL_SCREENING_ANSWERS] = {"screenings", "answers", PLAIN_SCREENING("answers"),
                                     "UPDATE screenings SET answers = ?1 WHERE id = ?2"},
    [STORE_COL_SCREENING_RESULT] = {"screenings", "result", PLAIN_SCREENING("result"),
                                    "UPDATE screenings SET result = ?1 WHERE id = ?2"},
    [STORE_COL_FLAG_NOTE] = {"red_flags", "note", PLAIN_FLAG("note"),
                             "UPDATE red_flags SET note = ?1 WHERE id = ?2"},
    [STORE_COL_FLAG_CLOSE_REASON] = {"red_flags", "close_reason", PLAIN_FLAG("close_reason"),
                                     "UPDATE red_flags SET close_reason = ?1 WHERE id = ?2"},
    [STORE_COL_ACTION_NOTE] = {"red_flag_actions", "note", PLAIN_ACTION,
                               "UPDATE red_flag_actions SET note = ?1 WHERE id = ?2"},
    [STORE_COL_REFERRAL_HANDOVER_NOTE] = {"referrals", "handover_note",
                                          PLAIN_REFERRAL("handover_note"),
                                          "UPDATE referrals SET handover_note = ?1 WHERE id = ?2"},
    [STORE_COL_REFERRAL_CONTACT_WITH] = {"referrals", "contact_with",
                                         PLAIN_REFERRAL("contact_with"),
                                         "UPDATE referrals SET contact_with = ?1 WHERE id = ?2"},
    [STORE_COL_REFERRAL_EVENT_NOTE] = {"referral_events", "note", PLAIN_REFERRAL_EVENT,
                                       "UPDATE referral_events SET note = ?1 WHERE id = ?2"},
    [STORE_COL_TRANSFER_HISTORY] = {"transfer_history", "body", PLAIN_TRANSFER_HISTORY,
                                    "UPDATE transfer_history SET body = ?1 WHERE id = ?2"},
};

void store_sealed_col_name(enum store_sealed_col col, const char **table, const char **column)
{
    if ((unsigned)col >= STORE_COL_COUNT) {
        BUG("no sealed column %d", (int)col);
    }
    *table = sealed_cols[col].table;
    *column = sealed_cols[col].column;
}

static void plain_cell_read(sqlite3_stmt *st, struct store_plain_cell *cell)
{
    const char *t = (const char *)sqlite3_column_text(st, 4);
    cell->rowid = sqlite3_column_int64(st, 0);
    store__col_text(st, 1, cell->uid, sizeof(cell->uid));
    cell->client_id = sqlite3_column_int64(st, 2);
    store__col_text(st, 3, cell->pid, sizeof(cell->pid));
    cell->len = t ? (size_t)sqlite3_column_bytes(st, 4) : 0;
    cell->text = xstrndup(t ? t : "", cell->len);
}

enum err store_plain_cells(struct store_conn *c, enum store_sealed_col col, int64_t after,
                           struct store_plain_cell *out, size_t max, size_t *n)
{
    sqlite3_stmt *st;
    int step = SQLITE_DONE;
    enum err rc;

    *n = 0;
    if ((unsigned)col >= STORE_COL_COUNT) {
        return ERR_INTERNAL;
    }
    rc = store__stmt(c, sealed_cols[col].select_plain, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, after);
    sqlite3_bind_int64(st, 2, (int64_t)max);
    while (*n < max && (step = sqlite3_step(st)) == SQLITE_ROW) {
        plain_cell_read(st, &out[(*n)++]);
    }
    rc = (step == SQLITE_ROW || step == SQLITE_DONE) ? ERR_OK : store__err(c, step);
    sqlite3_reset(st);
    return rc;
}

enum err store_sealed_put(struct store_conn *c, enum store_sealed_col col, int64_t rowid,
                          const unsigned char *b, size_t len)
{
    sqlite3_stmt *st;
    enum err rc;

    if ((unsigned)col >= STORE_COL_COUNT) {
        return ERR_INTERNAL;
    }
    rc = store__stmt(c, sealed_cols[col].update, &st);
    if (rc) {
        return rc;
    }
    store__bind_sealed(st, 1, b, len);
    sqlite3_bind_int64(st, 2, rowid);
    return store__exec_one(c, st);
}
