/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Rows for client login: the login card of a client account (code hash, PIN hash, wrong-PIN
 * counter), the dossiers a client account holds for someone else, and the held dossier a client
 * session acts on (0006_client_login.sql). Reads no sealed client column: only ids, pids and the
 * year of birth.
 */
#include "core/compat.h"

#include "storage/store_int.h"

/* ---- cards ------------------------------------------------------------------------------ */

#define CARD_COLS                                                                                  \
    "k.user_id, u.uid, u.disabled, coalesce(u.client_id, 0), coalesce(c.year_of_birth, 0), "       \
    "coalesce(k.pin_hash, ''), k.failures, k.last_failure_at, k.issued_at, "                       \
    "coalesce(k.pin_set_at, 0) FROM client_cards k JOIN users u ON u.id = k.user_id "              \
    "LEFT JOIN clients c ON c.id = u.client_id "

static void card_read(sqlite3_stmt *st, void *out)
{
    struct card_row *k = out;
    memset(k, 0, sizeof(*k));
    k->user_id = sqlite3_column_int64(st, 0);
    store__col_text(st, 1, k->user_uid, sizeof(k->user_uid));
    k->user_disabled = sqlite3_column_int(st, 2) != 0;
    k->client_id = sqlite3_column_int64(st, 3);
    k->year_of_birth = sqlite3_column_int64(st, 4);
    store__col_text(st, 5, k->pin_hash, sizeof(k->pin_hash));
    k->failures = sqlite3_column_int64(st, 6);
    k->last_failure_at = sqlite3_column_int64(st, 7);
    k->issued_at = sqlite3_column_int64(st, 8);
    k->pin_set_at = sqlite3_column_int64(st, 9);
}

enum err store_card_by_hash(struct store_conn *c, const unsigned char hash[SEC_HASH_BYTES],
                            struct card_row *out)
{
    static const char sql[] = "SELECT " CARD_COLS "WHERE k.code_hash = ?";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_blob(st, 1, hash, SEC_HASH_BYTES, SQLITE_STATIC);
    rc = store__step_row(c, st);
    if (!rc) {
        card_read(st, out);
        sqlite3_reset(st);
    }
    return rc;
}

enum err store_card_by_client(struct store_conn *c, int64_t client_id, struct card_row *out)
{
    static const char sql[] =
        "SELECT " CARD_COLS
        "WHERE u.client_id = ? AND u.role = 'client' ORDER BY k.user_id LIMIT 1";
    return store__get_int(c, sql, client_id, card_read, out);
}

enum err store_card_issue(struct store_conn *c, int64_t user_id,
                          const unsigned char hash[SEC_HASH_BYTES], const char *issued_by_user,
                          int64_t now)
{
    static const char sql[] =
        "INSERT INTO client_cards(user_id, code_hash, issued_at, issued_by_user) "
        "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(user_id) DO UPDATE SET code_hash = "
        "excluded.code_hash, "
        "pin_hash = NULL, pin_set_at = NULL, failures = 0, last_failure_at = 0, "
        "issued_at = excluded.issued_at, issued_by_user = excluded.issued_by_user";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_blob(st, 2, hash, SEC_HASH_BYTES, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now);
    sqlite3_bind_text(st, 4, issued_by_user, -1, SQLITE_STATIC);
    return store__exec_done(c, st);
}

enum err store_card_set_pin(struct store_conn *c, const unsigned char hash[SEC_HASH_BYTES],
                            const char *pin_hash, int64_t now)
{
    static const char sql[] = "UPDATE client_cards SET pin_hash = ?, pin_set_at = ?, failures = 0, "
                              "last_failure_at = 0 WHERE code_hash = ? AND pin_hash IS NULL";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, pin_hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_blob(st, 3, hash, SEC_HASH_BYTES, SQLITE_STATIC);
    return store__exec_one(c, st);
}

static enum err card_update(struct store_conn *c, const char *sql, int64_t user_id, int64_t now)
{
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, user_id);
    if (now) {
        sqlite3_bind_int64(st, 2, now);
    }
    return store__exec_done(c, st);
}

enum err store_card_failed(struct store_conn *c, int64_t user_id, int64_t now)
{
    static const char sql[] = "UPDATE client_cards SET failures = failures + 1, "
                              "last_failure_at = ?2 WHERE user_id = ?1";
    return card_update(c, sql, user_id, now);
}

enum err store_card_succeeded(struct store_conn *c, int64_t user_id)
{
    static const char sql[] =
        "UPDATE client_cards SET failures = 0, last_failure_at = 0 WHERE user_id = ?1";
    return card_update(c, sql, user_id, 0);
}

static void user_read(sqlite3_stmt *st, void *out)
{
    struct user_row *u = out;
    memset(u, 0, sizeof(*u));
    u->id = sqlite3_column_int64(st, 0);
    store__col_text(st, 1, u->uid, sizeof(u->uid));
    u->org_id = sqlite3_column_int64(st, 2);
    store__col_text(st, 3, u->role, sizeof(u->role));
    store__col_text(st, 4, u->email, sizeof(u->email));
    store__col_text(st, 5, u->pw_hash, sizeof(u->pw_hash));
    u->client_id = sqlite3_column_int64(st, 6);
    u->disabled = sqlite3_column_int(st, 7) != 0;
}

enum err store_user_by_client(struct store_conn *c, int64_t client_id, struct user_row *out)
{
    static const char sql[] = "SELECT id, uid, org_id, role, email, pw_hash, client_id, disabled "
                              "FROM users WHERE client_id = ? AND role = 'client' ORDER BY id "
                              "LIMIT 1";
    return store__get_int(c, sql, client_id, user_read, out);
}

enum err store_session_end_user(struct store_conn *c, int64_t user_id, int64_t now)
{
    static const char sql[] =
        "UPDATE sessions SET ended_at = ?2 WHERE user_id = ?1 AND ended_at IS NULL";
    return card_update(c, sql, user_id, now);
}

enum err store_client_id_by_pid(struct store_conn *c, const char *pid, int64_t *id)
{
    static const char sql[] = "SELECT id FROM clients WHERE pid = ?";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, pid, -1, SQLITE_STATIC);
    rc = store__step_row(c, st);
    if (!rc) {
        *id = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    }
    return rc;
}

/* ---- held dossiers ---------------------------------------------------------------------- */

enum err store_holder_put(struct store_conn *c, int64_t user_id, int64_t client_id,
                          const char *relation, const char *recorded_by_user, int64_t now,
                          bool *created)
{
    static const char sql[] =
        "INSERT INTO client_holders(user_id, client_id, relation, recorded_by_user, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(user_id, client_id) DO UPDATE SET "
        "relation = excluded.relation, recorded_by_user = excluded.recorded_by_user";
    struct holder_row old;
    sqlite3_stmt *st;
    enum err rc = store_holder_get(c, user_id, client_id, &old);

    if (rc && rc != ERR_NOT_FOUND) {
        return rc;
    }
    *created = rc == ERR_NOT_FOUND;
    rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int64(st, 2, client_id);
    sqlite3_bind_text(st, 3, relation, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, recorded_by_user, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, now);
    return store__exec_done(c, st);
}

static void holder_read(sqlite3_stmt *st, struct holder_row *h)
{
    memset(h, 0, sizeof(*h));
    h->client_id = sqlite3_column_int64(st, 0);
    store__col_text(st, 1, h->pid, sizeof(h->pid));
    store__col_text(st, 2, h->relation, sizeof(h->relation));
    h->created_at = sqlite3_column_int64(st, 3);
    h->year_of_birth = sqlite3_column_int64(st, 4);
}

enum err store_holder_get(struct store_conn *c, int64_t user_id, int64_t client_id,
                          struct holder_row *out)
{
    static const char sql[] =
        "SELECT h.client_id, c.pid, h.relation, h.created_at, c.year_of_birth FROM "
        "client_holders h JOIN clients c ON c.id = h.client_id "
        "WHERE h.user_id = ? AND h.client_id = ?";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int64(st, 2, client_id);
    rc = store__step_row(c, st);
    if (!rc) {
        holder_read(st, out);
        sqlite3_reset(st);
    }
    return rc;
}

struct holder_iter {
    store_holder_fn fn;
    void *ctx;
};

static enum err holder_row_cb(sqlite3_stmt *st, void *ctx)
{
    struct holder_iter *it = ctx;
    struct holder_row h;
    holder_read(st, &h);
    return it->fn(&h, it->ctx);
}

enum err store_holder_each(struct store_conn *c, int64_t user_id, int64_t self_client_id,
                           store_holder_fn fn, void *ctx)
{
    static const char sql[] =
        "SELECT id, pid, 'self', created_at, year_of_birth, 0 AS k FROM clients WHERE id = ?2 "
        "UNION ALL SELECT h.client_id, c.pid, h.relation, h.created_at, c.year_of_birth, 1 AS k "
        "FROM "
        "client_holders h JOIN clients c ON c.id = h.client_id WHERE h.user_id = ?1 "
        "ORDER BY k, 2 LIMIT 100";
    struct holder_iter it = {fn, ctx};
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int64(st, 2, self_client_id);
    return store__iterate(c, st, holder_row_cb, &it);
}

/* ---- the dossier a client session acts on ----------------------------------------------- */

enum err store_session_dossier_get(struct store_conn *c, int64_t session_id, int64_t *client_id)
{
    static const char sql[] = "SELECT client_id FROM session_dossier WHERE session_id = ?";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    *client_id = 0;
    sqlite3_bind_int64(st, 1, session_id);
    rc = store__step_row(c, st);
    if (!rc) {
        *client_id = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    }
    return rc == ERR_NOT_FOUND ? ERR_OK : rc;
}

enum err store_session_dossier_set(struct store_conn *c, int64_t session_id, int64_t client_id)
{
    static const char put[] =
        "INSERT OR REPLACE INTO session_dossier(session_id, client_id) VALUES (?1, ?2)";
    static const char clear[] = "DELETE FROM session_dossier WHERE session_id = ?1";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, client_id ? put : clear, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, session_id);
    if (client_id) {
        sqlite3_bind_int64(st, 2, client_id);
    }
    return store__exec_done(c, st);
}
