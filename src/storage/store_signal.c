/* SPDX-License-Identifier: EUPL-1.2 */
/* Rows for imported instruments, screenings, red flags and their actions, and cached audio. */
#include "core/compat.h"

#include "core/clock.h"
#include "core/mem.h"
#include "storage/store_int.h"

static void blob32(sqlite3_stmt *st, int i, unsigned char out[SEC_HASH_BYTES])
{
    const void *b = sqlite3_column_blob(st, i);
    memset(out, 0, SEC_HASH_BYTES);
    if (b && sqlite3_column_bytes(st, i) == SEC_HASH_BYTES) {
        memcpy(out, b, SEC_HASH_BYTES);
    }
}

/* ---- instruments -------------------------------------------------------------------------- */

enum err store_instrument_put(struct store_conn *c, const char *iid, const char *version,
                              const char *def, size_t len, const unsigned char hash[SEC_HASH_BYTES])
{
    static const char find[] = "SELECT hash FROM instruments WHERE iid = ? AND version = ?";
    static const char ins[] = "INSERT INTO instruments(iid, version, definition, hash, "
                              "imported_at) VALUES (?, ?, ?, ?, ?)";
    sqlite3_stmt *st;
    unsigned char have[SEC_HASH_BYTES];
    enum err rc = store__stmt(c, find, &st);

    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, iid, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, version, -1, SQLITE_STATIC);
    rc = store__step_row(c, st);
    if (!rc) {
        blob32(st, 0, have);
        sqlite3_reset(st);
        return memcmp(have, hash, SEC_HASH_BYTES) ? ERR_CONFLICT : ERR_OK;
    }
    if (rc != ERR_NOT_FOUND || (rc = store__stmt(c, ins, &st))) {
        return rc;
    }
    sqlite3_bind_text(st, 1, iid, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, version, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, def, (int)len, SQLITE_STATIC);
    sqlite3_bind_blob(st, 4, hash, SEC_HASH_BYTES, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, clock_now_ms());
    return store__exec_done(c, st);
}

struct instr_iter {
    store_instrument_fn fn;
    void *ctx;
};

static enum err instr_row(sqlite3_stmt *st, void *ctx)
{
    struct instr_iter *it = ctx;
    return it->fn(
        (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
        (const char *)sqlite3_column_text(st, 2), (size_t)sqlite3_column_bytes(st, 2), it->ctx);
}

enum err store_instrument_each(struct store_conn *c, store_instrument_fn fn, void *ctx)
{
    static const char sql[] =
        "SELECT iid, version, definition FROM instruments ORDER BY iid, version";
    struct instr_iter it = {fn, ctx};
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    return rc ? rc : store__iterate(c, st, instr_row, &it);
}

/* ---- text packs --------------------------------------------------------------------------- */

enum err store_text_pack_put(struct store_conn *c, const char *iid, const char *version,
                             const char *lang, const char *pack, size_t len)
{
    static const char sql[] = "INSERT OR REPLACE INTO text_packs(iid, version, lang, pack, "
                              "imported_at) VALUES (?, ?, ?, ?, ?)";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, iid, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, version, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, lang, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, pack, (int)len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, clock_now_ms());
    return store__exec_done(c, st);
}

struct pack_iter {
    store_text_pack_fn fn;
    void *ctx;
};

static enum err pack_row(sqlite3_stmt *st, void *ctx)
{
    struct pack_iter *it = ctx;
    return it->fn(
        (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
        (const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3),
        (size_t)sqlite3_column_bytes(st, 3), it->ctx);
}

enum err store_text_pack_each(struct store_conn *c, store_text_pack_fn fn, void *ctx)
{
    static const char sql[] =
        "SELECT iid, version, lang, pack FROM text_packs ORDER BY iid, version, lang";
    struct pack_iter it = {fn, ctx};
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    return rc ? rc : store__iterate(c, st, pack_row, &it);
}

/* ---- screenings --------------------------------------------------------------------------- */

#define SCREENING_COLS                                                                             \
    "id, uid, client_id, instrument, version, def_hash, language, mode, answers, result, level, "  \
    "coalesce(band, ''), flag_count, created_by_user, created_by_role, created_by_org, created_at"

void store_screening_release(struct screening_row *row)
{
    free(row->answers.p);
    free(row->result.p);
    memset(&row->answers, 0, sizeof(row->answers));
    memset(&row->result, 0, sizeof(row->result));
}

static void screening_read(sqlite3_stmt *st, void *out)
{
    struct screening_row *r = out;
    r->id = sqlite3_column_int64(st, 0);
    store__col_text(st, 1, r->uid, sizeof(r->uid));
    r->client_id = sqlite3_column_int64(st, 2);
    store__col_text(st, 3, r->instrument, sizeof(r->instrument));
    store__col_text(st, 4, r->version, sizeof(r->version));
    blob32(st, 5, r->def_hash);
    store__col_text(st, 6, r->language, sizeof(r->language));
    store__col_text(st, 7, r->mode, sizeof(r->mode));
    store__col_blob(st, 8, &r->answers);
    store__col_blob(st, 9, &r->result);
    store__col_text(st, 10, r->level, sizeof(r->level));
    store__col_text(st, 11, r->band, sizeof(r->band));
    r->flag_count = sqlite3_column_int64(st, 12);
    store__col_text(st, 13, r->created_by_user, sizeof(r->created_by_user));
    store__col_text(st, 14, r->created_by_role, sizeof(r->created_by_role));
    r->created_by_org = sqlite3_column_int64(st, 15);
    r->created_at = sqlite3_column_int64(st, 16);
}

enum err store_screening_insert(struct store_conn *c, struct screening_row *r)
{
    static const char sql[] = "INSERT INTO screenings(uid, client_id, instrument, version, "
                              "def_hash, language, mode, answers, result, level, band, flag_count, "
                              "created_by_user, created_by_role, created_by_org, created_at) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, r->uid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, r->client_id);
    sqlite3_bind_text(st, 3, r->instrument, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, r->version, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 5, r->def_hash, SEC_HASH_BYTES, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, r->language, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, r->mode, -1, SQLITE_STATIC);
    store__bind_sealed(st, 8, r->answers.p, r->answers.len);
    store__bind_sealed(st, 9, r->result.p, r->result.len);
    sqlite3_bind_text(st, 10, r->level, -1, SQLITE_STATIC);
    store__bind_opt(st, 11, r->band);
    sqlite3_bind_int64(st, 12, r->flag_count);
    sqlite3_bind_text(st, 13, r->created_by_user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 14, r->created_by_role, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 15, r->created_by_org);
    sqlite3_bind_int64(st, 16, r->created_at);
    return store__insert(c, st, &r->id);
}

enum err store_screening_set_result(struct store_conn *c, int64_t id,
                                    const struct store_blob *result)
{
    static const char sql[] = "UPDATE screenings SET result = ? WHERE id = ?";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    store__bind_sealed(st, 1, result->p, result->len);
    sqlite3_bind_int64(st, 2, id);
    return store__exec_done(c, st);
}

enum err store_screening_by_uid(struct store_conn *c, const char *uid, struct screening_row *out)
{
    static const char sql[] = "SELECT " SCREENING_COLS " FROM screenings WHERE uid = ?";
    memset(out, 0, sizeof(*out)); /* release() is safe on a row that was not found */
    return store__get_text(c, sql, uid, screening_read, out);
}

struct screening_iter {
    store_screening_fn fn;
    void *ctx;
};

static enum err screening_row_cb(sqlite3_stmt *st, void *ctx)
{
    struct screening_iter *it = ctx;
    struct screening_row r;
    enum err rc;
    screening_read(st, &r);
    rc = it->fn(&r, it->ctx);
    store_screening_release(&r);
    return rc;
}

enum err store_screening_each_for_client(struct store_conn *c, int64_t client_id,
                                         store_screening_fn fn, void *ctx)
{
    static const char sql[] = "SELECT " SCREENING_COLS " FROM screenings WHERE client_id = ? "
                              "ORDER BY created_at DESC, id DESC LIMIT 200";
    struct screening_iter it = {fn, ctx};
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, client_id);
    return store__iterate(c, st, screening_row_cb, &it);
}

/* ---- red flags ---------------------------------------------------------------------------- */

#define FLAG_COLS                                                                                  \
    "f.id, f.uid, f.client_id, coalesce(f.screening_id, 0), f.flag, f.severity, f.protocol, "      \
    "f.note, f.raised_by_user, f.raised_by_role, f.raised_by_org, f.raised_at, f.due_at, "         \
    "coalesce(f.closed_at, 0), f.closed_by_role, f.close_reason, "                                 \
    "(SELECT s.uid FROM screenings s WHERE s.id = f.screening_id)"

static void flag_read(sqlite3_stmt *st, void *out)
{
    struct flag_row *f = out;
    f->id = sqlite3_column_int64(st, 0);
    store__col_text(st, 1, f->uid, sizeof(f->uid));
    f->client_id = sqlite3_column_int64(st, 2);
    f->screening_id = sqlite3_column_int64(st, 3);
    store__col_text(st, 4, f->flag, sizeof(f->flag));
    store__col_text(st, 5, f->severity, sizeof(f->severity));
    store__col_text(st, 6, f->protocol, sizeof(f->protocol));
    store__col_sealed(st, 7, f->note.b, sizeof(f->note.b), &f->note.len);
    store__col_text(st, 8, f->raised_by_user, sizeof(f->raised_by_user));
    store__col_text(st, 9, f->raised_by_role, sizeof(f->raised_by_role));
    f->raised_by_org = sqlite3_column_int64(st, 10);
    f->raised_at = sqlite3_column_int64(st, 11);
    f->due_at = sqlite3_column_int64(st, 12);
    f->closed_at = sqlite3_column_int64(st, 13);
    store__col_text(st, 14, f->closed_by_role, sizeof(f->closed_by_role));
    store__col_sealed(st, 15, f->close_reason.b, sizeof(f->close_reason.b), &f->close_reason.len);
    store__col_text(st, 16, f->screening_uid, sizeof(f->screening_uid));
}

enum err store_flag_insert(struct store_conn *c, struct flag_row *f)
{
    static const char sql[] =
        "INSERT INTO red_flags(uid, client_id, screening_id, flag, severity, protocol, note, "
        "raised_by_user, raised_by_role, raised_by_org, raised_at, due_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, f->uid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, f->client_id);
    if (f->screening_id) {
        sqlite3_bind_int64(st, 3, f->screening_id);
    } else {
        sqlite3_bind_null(st, 3);
    }
    sqlite3_bind_text(st, 4, f->flag, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, f->severity, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, f->protocol, -1, SQLITE_STATIC);
    store__bind_sealed(st, 7, f->note.b, f->note.len);
    sqlite3_bind_text(st, 8, f->raised_by_user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, f->raised_by_role, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 10, f->raised_by_org);
    sqlite3_bind_int64(st, 11, f->raised_at);
    sqlite3_bind_int64(st, 12, f->due_at);
    return store__insert(c, st, &f->id);
}

enum err store_flag_by_uid(struct store_conn *c, const char *uid, struct flag_row *out)
{
    static const char sql[] = "SELECT " FLAG_COLS " FROM red_flags f WHERE f.uid = ?";
    return store__get_text(c, sql, uid, flag_read, out);
}

enum err store_flag_find_unattached(struct store_conn *c, int64_t client_id, const char *flag,
                                    const char *user, struct flag_row *out)
{
    static const char sql[] = "SELECT " FLAG_COLS " FROM red_flags f WHERE f.client_id = ? AND "
                              "f.flag = ? AND f.raised_by_user = ? AND f.screening_id IS NULL "
                              "AND f.closed_at IS NULL ORDER BY f.raised_at DESC LIMIT 1";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, client_id);
    sqlite3_bind_text(st, 2, flag, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, user, -1, SQLITE_STATIC);
    rc = store__step_row(c, st);
    if (!rc) {
        flag_read(st, out);
        sqlite3_reset(st);
    }
    return rc;
}

enum err store_flag_attach(struct store_conn *c, int64_t id, int64_t screening_id)
{
    static const char sql[] = "UPDATE red_flags SET screening_id = ? WHERE id = ?";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, screening_id);
    sqlite3_bind_int64(st, 2, id);
    return store__exec_done(c, st);
}

enum err store_flag_close(struct store_conn *c, int64_t id, const char *by_user,
                          const char *by_role, const unsigned char *reason, size_t reason_len,
                          int64_t now)
{
    static const char sql[] = "UPDATE red_flags SET closed_at = ?, closed_by_user = ?, "
                              "closed_by_role = ?, close_reason = ? WHERE id = ? AND "
                              "closed_at IS NULL";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_text(st, 2, by_user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, by_role, -1, SQLITE_STATIC);
    store__bind_sealed(st, 4, reason, reason_len);
    sqlite3_bind_int64(st, 5, id);
    rc = store__exec_done(c, st);
    return (!rc && sqlite3_changes(c->db) == 0) ? ERR_CONFLICT : rc;
}

struct flag_iter {
    store_flag_fn fn;
    void *ctx;
};

static enum err flag_row_cb(sqlite3_stmt *st, void *ctx)
{
    struct flag_iter *it = ctx;
    struct flag_row f;
    flag_read(st, &f);
    return it->fn(&f, it->ctx);
}

enum err store_flag_each_for_client(struct store_conn *c, int64_t client_id, store_flag_fn fn,
                                    void *ctx)
{
    static const char sql[] = "SELECT " FLAG_COLS " FROM red_flags f WHERE f.client_id = ? "
                              "ORDER BY f.raised_at DESC, f.id DESC LIMIT 200";
    struct flag_iter it = {fn, ctx};
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, client_id);
    return store__iterate(c, st, flag_row_cb, &it);
}

enum err store_flag_each_open(struct store_conn *c, const char *region, int64_t org_id,
                              uint32_t scopes, int64_t now, store_flag_fn fn, void *ctx)
{
    static const char sql[] =
        "SELECT " FLAG_COLS " FROM red_flags f WHERE f.closed_at IS NULL AND ("
        " (?1 IS NOT NULL AND f.raised_by_org IN (SELECT id FROM orgs WHERE region = ?1))"
        " OR f.client_id IN (SELECT g.client_id FROM grants g WHERE g.org_id = ?2 AND"
        "  g.revoked_at IS NULL AND g.expires_at > ?3 AND (g.scopes & ?4) != 0))"
        " ORDER BY f.due_at, f.id LIMIT 500";
    struct flag_iter it = {fn, ctx};
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    store__bind_opt(st, 1, region);
    sqlite3_bind_int64(st, 2, org_id);
    sqlite3_bind_int64(st, 3, now);
    sqlite3_bind_int64(st, 4, scopes);
    return store__iterate(c, st, flag_row_cb, &it);
}

enum err store_flag_action_insert(struct store_conn *c, const struct flag_action_row *a)
{
    static const char sql[] = "INSERT INTO red_flag_actions(flag_id, action, note, by_user, "
                              "by_role, by_org, at, uid) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, a->flag_id);
    sqlite3_bind_text(st, 2, a->action, -1, SQLITE_STATIC);
    store__bind_sealed(st, 3, a->note.b, a->note.len);
    sqlite3_bind_text(st, 4, a->by_user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, a->by_role, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, a->by_org);
    sqlite3_bind_int64(st, 7, a->at);
    sqlite3_bind_text(st, 8, a->uid, -1, SQLITE_STATIC);
    return store__exec_done(c, st);
}

struct action_iter {
    store_flag_action_fn fn;
    void *ctx;
};

static enum err action_row_cb(sqlite3_stmt *st, void *ctx)
{
    struct action_iter *it = ctx;
    struct flag_action_row a;
    memset(&a, 0, sizeof(a));
    a.flag_id = sqlite3_column_int64(st, 0);
    store__col_text(st, 1, a.action, sizeof(a.action));
    store__col_sealed(st, 2, a.note.b, sizeof(a.note.b), &a.note.len);
    store__col_text(st, 3, a.by_user, sizeof(a.by_user));
    store__col_text(st, 4, a.by_role, sizeof(a.by_role));
    a.by_org = sqlite3_column_int64(st, 5);
    a.at = sqlite3_column_int64(st, 6);
    store__col_text(st, 7, a.uid, sizeof(a.uid));
    return it->fn(&a, it->ctx);
}

enum err store_flag_action_each(struct store_conn *c, int64_t flag_id, store_flag_action_fn fn,
                                void *ctx)
{
    static const char sql[] = "SELECT flag_id, action, note, by_user, by_role, by_org, at, uid "
                              "FROM red_flag_actions WHERE flag_id = ? ORDER BY at, id";
    struct action_iter it = {fn, ctx};
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, flag_id);
    return store__iterate(c, st, action_row_cb, &it);
}

enum err store_flag_action_fill_uids(struct store_conn *c)
{
    static const char find[] = "SELECT id FROM red_flag_actions WHERE uid IS NULL LIMIT 1";
    static const char set[] = "UPDATE red_flag_actions SET uid = ? WHERE id = ?";
    sqlite3_stmt *st;
    enum err rc;

    for (;;) {
        char uid[STORE_UID_LEN + 1];
        int64_t id;
        rc = store__stmt(c, find, &st);
        rc = rc ? rc : store__step_row(c, st);
        if (rc) {
            return rc == ERR_NOT_FOUND ? ERR_OK : rc;
        }
        id = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        sec_random_hex(16, uid);
        if ((rc = store__stmt(c, set, &st))) {
            return rc;
        }
        sqlite3_bind_text(st, 1, uid, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, id);
        if ((rc = store__exec_done(c, st))) {
            return rc;
        }
    }
}

/* ---- audio -------------------------------------------------------------------------------- */

enum err store_audio_get(struct store_conn *c, const char *instrument, const char *lang,
                         const char *key, const unsigned char text_hash[SEC_HASH_BYTES],
                         char *source, size_t source_size, unsigned char **wav, size_t *len)
{
    static const char sql[] = "SELECT source, wav, text_hash FROM audio WHERE instrument = ? AND "
                              "lang = ? AND key = ?";
    sqlite3_stmt *st;
    unsigned char have[SEC_HASH_BYTES];
    enum err rc = store__stmt(c, sql, &st);

    *wav = NULL;
    *len = 0;
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, instrument, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, lang, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
    rc = store__step_row(c, st);
    if (rc) {
        return rc;
    }
    store__col_text(st, 0, source, source_size);
    blob32(st, 2, have);
    if (strcmp(source, "recording") && memcmp(have, text_hash, SEC_HASH_BYTES)) {
        sqlite3_reset(st);
        return ERR_NOT_FOUND; /* synthesised from a text that has changed since */
    }
    *len = (size_t)sqlite3_column_bytes(st, 1);
    *wav = xmalloc(*len ? *len : 1);
    if (*len) {
        memcpy(*wav, sqlite3_column_blob(st, 1), *len);
    }
    sqlite3_reset(st);
    return ERR_OK;
}

bool store_audio_exists(struct store_conn *c, const char *instrument, const char *lang,
                        const char *key, const char *source)
{
    static const char sql[] = "SELECT 1 FROM audio WHERE instrument = ? AND lang = ? AND key = ? "
                              "AND source = ?";
    sqlite3_stmt *st;
    bool found;
    if (store__stmt(c, sql, &st)) {
        return false;
    }
    sqlite3_bind_text(st, 1, instrument, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, lang, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, source, -1, SQLITE_STATIC);
    found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return found;
}

enum err store_audio_put(struct store_conn *c, const char *instrument, const char *lang,
                         const char *key, const unsigned char text_hash[SEC_HASH_BYTES],
                         const char *source, const unsigned char *wav, size_t len)
{
    static const char sql[] = "INSERT OR REPLACE INTO audio(instrument, lang, key, text_hash, "
                              "source, wav, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, instrument, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, lang, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, key, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 4, text_hash, SEC_HASH_BYTES, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, source, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 6, wav, (int)len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, clock_now_ms());
    return store__exec_done(c, st);
}
