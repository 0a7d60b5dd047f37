/* SPDX-License-Identifier: EUPL-1.2 */
/* Referrals, their events, first-contact targets and the map-organisation accounts (0008), the
 * re-referral links (0014). */
#include "core/compat.h"

#include "storage/store_int.h"

#define REF_COLS                                                                                   \
    "r.id, r.uid, r.client_id, c.pid, r.from_user, r.from_org, r.to_service, r.to_service_name, "  \
    "r.to_org, r.level, r.advice_id, r.scopes, r.handover_note, r.interpreter, "                   \
    "r.interpreter_lang, r.contact_with, r.contact_at, r.contact_mode, r.contact_interpreter, "    \
    "r.state, r.reason, r.waitlist_weeks, r.needs_new_offer, r.client_answer, r.created_at, "      \
    "r.sent_at, r.updated_at, r.replaces_id, p.uid, p.from_org, p.to_org, n.uid, n.from_org, "     \
    "n.to_org FROM referrals r JOIN clients c ON c.id = r.client_id "                              \
    "LEFT JOIN referrals p ON p.id = r.replaces_id LEFT JOIN referrals n ON n.replaces_id = r.id"

static void link_read(sqlite3_stmt *st, int col, struct referral_link *l)
{
    store__col_text(st, col, l->uid, sizeof(l->uid));
    l->from_org = sqlite3_column_int64(st, col + 1);
    l->to_org = sqlite3_column_int64(st, col + 2);
}

static void ref_read(sqlite3_stmt *st, void *out)
{
    struct referral_row *r = out;
    memset(r, 0, sizeof(*r));
    r->id = sqlite3_column_int64(st, 0);
    store__col_text(st, 1, r->uid, sizeof(r->uid));
    r->client_id = sqlite3_column_int64(st, 2);
    store__col_text(st, 3, r->client_pid, sizeof(r->client_pid));
    store__col_text(st, 4, r->from_user, sizeof(r->from_user));
    r->from_org = sqlite3_column_int64(st, 5);
    store__col_text(st, 6, r->to_service, sizeof(r->to_service));
    store__col_text(st, 7, r->to_service_name, sizeof(r->to_service_name));
    r->to_org = sqlite3_column_int64(st, 8);
    store__col_text(st, 9, r->level, sizeof(r->level));
    store__col_text(st, 10, r->advice_id, sizeof(r->advice_id));
    r->scopes = (uint32_t)sqlite3_column_int64(st, 11);
    store__col_sealed(st, 12, r->handover_note.b, sizeof(r->handover_note.b),
                      &r->handover_note.len);
    r->interpreter = sqlite3_column_int(st, 13) != 0;
    store__col_text(st, 14, r->interpreter_lang, sizeof(r->interpreter_lang));
    store__col_sealed(st, 15, r->contact_with.b, sizeof(r->contact_with.b), &r->contact_with.len);
    r->contact_at = sqlite3_column_int64(st, 16);
    store__col_text(st, 17, r->contact_mode, sizeof(r->contact_mode));
    r->contact_interpreter = sqlite3_column_int(st, 18) != 0;
    store__col_text(st, 19, r->state, sizeof(r->state));
    store__col_text(st, 20, r->reason, sizeof(r->reason));
    r->waitlist_weeks = sqlite3_column_int64(st, 21);
    r->needs_new_offer = sqlite3_column_int(st, 22) != 0;
    store__col_text(st, 23, r->client_answer, sizeof(r->client_answer));
    r->created_at = sqlite3_column_int64(st, 24);
    r->sent_at = sqlite3_column_int64(st, 25);
    r->updated_at = sqlite3_column_int64(st, 26);
    r->replaces_id = sqlite3_column_int64(st, 27);
    link_read(st, 28, &r->replaces);
    link_read(st, 31, &r->replaced_by);
}

static void bind_int_opt(sqlite3_stmt *st, int i, int64_t v)
{
    if (v) {
        sqlite3_bind_int64(st, i, v);
    } else {
        sqlite3_bind_null(st, i);
    }
}

enum err store_referral_insert(struct store_conn *c, struct referral_row *r)
{
    static const char sql[] =
        "INSERT INTO referrals(uid, client_id, from_user, from_org, to_service, to_service_name, "
        "to_org, level, advice_id, scopes, handover_note, interpreter, interpreter_lang, "
        "contact_with, contact_at, contact_mode, contact_interpreter, state, created_at, sent_at, "
        "updated_at, replaces_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?)";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, r->uid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, r->client_id);
    sqlite3_bind_text(st, 3, r->from_user, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, r->from_org);
    sqlite3_bind_text(st, 5, r->to_service, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, r->to_service_name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, r->to_org);
    sqlite3_bind_text(st, 8, r->level, -1, SQLITE_STATIC);
    store__bind_opt(st, 9, r->advice_id);
    sqlite3_bind_int64(st, 10, r->scopes);
    store__bind_sealed(st, 11, r->handover_note.b, r->handover_note.len);
    sqlite3_bind_int(st, 12, r->interpreter);
    store__bind_opt(st, 13, r->interpreter_lang);
    store__bind_sealed(st, 14, r->contact_with.b, r->contact_with.len);
    bind_int_opt(st, 15, r->contact_at);
    store__bind_opt(st, 16, r->contact_mode);
    sqlite3_bind_int(st, 17, r->contact_interpreter);
    sqlite3_bind_text(st, 18, r->state, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 19, r->created_at);
    bind_int_opt(st, 20, r->sent_at);
    sqlite3_bind_int64(st, 21, r->updated_at);
    bind_int_opt(st, 22, r->replaces_id);
    return store__insert(c, st, &r->id);
}

enum err store_referral_by_uid(struct store_conn *c, const char *uid, struct referral_row *out)
{
    static const char sql[] = "SELECT " REF_COLS " WHERE r.uid = ?";
    return store__get_text(c, sql, uid, ref_read, out);
}

enum err store_referral_update(struct store_conn *c, const struct referral_row *r)
{
    static const char sql[] =
        "UPDATE referrals SET state = ?, reason = ?, waitlist_weeks = ?, contact_with = ?, "
        "contact_at = ?, contact_mode = ?, contact_interpreter = ?, needs_new_offer = ?, "
        "client_answer = ?, sent_at = ?, updated_at = ? WHERE id = ?";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, r->state, -1, SQLITE_STATIC);
    store__bind_opt(st, 2, r->reason);
    bind_int_opt(st, 3, r->waitlist_weeks);
    store__bind_sealed(st, 4, r->contact_with.b, r->contact_with.len);
    bind_int_opt(st, 5, r->contact_at);
    store__bind_opt(st, 6, r->contact_mode);
    sqlite3_bind_int(st, 7, r->contact_interpreter);
    sqlite3_bind_int(st, 8, r->needs_new_offer);
    store__bind_opt(st, 9, r->client_answer);
    bind_int_opt(st, 10, r->sent_at);
    sqlite3_bind_int64(st, 11, r->updated_at);
    sqlite3_bind_int64(st, 12, r->id);
    rc = store__exec_done(c, st);
    if (!rc && sqlite3_changes(c->db) != 1) {
        rc = ERR_NOT_FOUND;
    }
    return rc;
}

struct ref_iter {
    store_referral_fn fn;
    void *ctx;
};

static enum err ref_row_cb(sqlite3_stmt *st, void *ctx)
{
    struct ref_iter *it = ctx;
    struct referral_row r;
    ref_read(st, &r);
    return it->fn(&r, it->ctx);
}

enum err store_referral_each(struct store_conn *c, const struct store_referral_filter *f,
                             store_referral_fn fn, void *ctx)
{
    static const char sql[] = "SELECT " REF_COLS " WHERE (?1 = 0 OR r.client_id = ?1)"
                              " AND (?2 = 0 OR r.from_org = ?2) AND (?3 = 0 OR r.to_org = ?3)"
                              " AND (?4 IS NULL OR r.state = ?4)"
                              " AND (?5 = 0 OR r.from_org = ?6 OR r.to_org = ?6)"
                              " ORDER BY r.created_at DESC, r.id DESC LIMIT 500";
    struct ref_iter it = {fn, ctx};
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, f->client_id);
    sqlite3_bind_int64(st, 2, f->from_org);
    sqlite3_bind_int64(st, 3, f->to_org);
    store__bind_opt(st, 4, f->state);
    sqlite3_bind_int(st, 5, f->party_org_any);
    sqlite3_bind_int64(st, 6, f->party_org);
    return store__iterate(c, st, ref_row_cb, &it);
}

enum err store_referral_each_pending(struct store_conn *c, int64_t org_id, const char *region,
                                     store_referral_fn fn, void *ctx)
{
    static const char sql[] =
        "SELECT " REF_COLS " WHERE r.state IN ('sent', 'received', 'accepted', 'waitlisted',"
        " 'first_contact_planned') AND (r.from_org = ?1 OR (?2 IS NOT NULL AND"
        " (r.from_org IN (SELECT id FROM orgs WHERE region = ?2) OR"
        "  r.to_org IN (SELECT id FROM orgs WHERE region = ?2))))"
        " ORDER BY r.sent_at, r.id LIMIT 500";
    struct ref_iter it = {fn, ctx};
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, org_id);
    store__bind_opt(st, 2, region);
    return store__iterate(c, st, ref_row_cb, &it);
}

enum err store_referral_event_insert(struct store_conn *c, const struct referral_event_row *e)
{
    static const char sql[] =
        "INSERT INTO referral_events(referral_id, kind, from_state, to_state, reason, note, "
        "by_user, by_role, by_org, at, uid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, e->referral_id);
    sqlite3_bind_text(st, 2, e->kind, -1, SQLITE_STATIC);
    store__bind_opt(st, 3, e->from_state);
    sqlite3_bind_text(st, 4, e->to_state, -1, SQLITE_STATIC);
    store__bind_opt(st, 5, e->reason);
    store__bind_sealed(st, 6, e->note.b, e->note.len);
    sqlite3_bind_text(st, 7, e->by_user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, e->by_role, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 9, e->by_org);
    sqlite3_bind_int64(st, 10, e->at);
    sqlite3_bind_text(st, 11, e->uid, -1, SQLITE_STATIC);
    return store__exec_done(c, st);
}

struct event_iter {
    store_referral_event_fn fn;
    void *ctx;
};

static enum err event_row_cb(sqlite3_stmt *st, void *ctx)
{
    struct event_iter *it = ctx;
    struct referral_event_row e;
    memset(&e, 0, sizeof(e));
    e.referral_id = sqlite3_column_int64(st, 0);
    store__col_text(st, 1, e.kind, sizeof(e.kind));
    store__col_text(st, 2, e.from_state, sizeof(e.from_state));
    store__col_text(st, 3, e.to_state, sizeof(e.to_state));
    store__col_text(st, 4, e.reason, sizeof(e.reason));
    store__col_sealed(st, 5, e.note.b, sizeof(e.note.b), &e.note.len);
    store__col_text(st, 6, e.by_user, sizeof(e.by_user));
    store__col_text(st, 7, e.by_role, sizeof(e.by_role));
    e.by_org = sqlite3_column_int64(st, 8);
    e.at = sqlite3_column_int64(st, 9);
    store__col_text(st, 10, e.uid, sizeof(e.uid));
    return it->fn(&e, it->ctx);
}

enum err store_referral_event_fill_uids(struct store_conn *c)
{
    static const char find[] = "SELECT id FROM referral_events WHERE uid IS NULL LIMIT 1";
    static const char set[] = "UPDATE referral_events SET uid = ? WHERE id = ?";
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
        if ((rc = store__stmt(c, set, &st)) != ERR_OK) {
            return rc;
        }
        sqlite3_bind_text(st, 1, uid, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, id);
        if ((rc = store__exec_done(c, st)) != ERR_OK) {
            return rc;
        }
    }
}

enum err store_referral_event_each(struct store_conn *c, int64_t referral_id,
                                   store_referral_event_fn fn, void *ctx)
{
    static const char sql[] =
        "SELECT referral_id, kind, from_state, to_state, reason, note, by_user, by_role, by_org, "
        "at, coalesce(uid, '') FROM referral_events WHERE referral_id = ? ORDER BY id";
    struct event_iter it = {fn, ctx};
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, referral_id);
    return store__iterate(c, st, event_row_cb, &it);
}

enum err store_referral_service(struct store_conn *c, const char *service_hsds_id, char level[8],
                                char name[STORE_REF_SERVICE_NAME_MAX + 1],
                                char map_org[STORE_MAP_ID_MAX + 1])
{
    static const char sql[] = "SELECT s.level, s.name, o.hsds_id FROM map_services s "
                              "JOIN map_orgs o ON o.id = s.org_id WHERE s.hsds_id = ?";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, service_hsds_id, -1, SQLITE_STATIC);
    rc = store__step_row(c, st);
    if (!rc) {
        store__col_text(st, 0, level, 8);
        store__col_text(st, 1, name, STORE_REF_SERVICE_NAME_MAX + 1);
        store__col_text(st, 2, map_org, STORE_MAP_ID_MAX + 1);
    }
    sqlite3_reset(st);
    return rc;
}

enum err store_map_org_account_find(struct store_conn *c, const char *map_org_hsds_id,
                                    int64_t *org_id)
{
    static const char sql[] =
        "SELECT min(org_id) FROM map_org_accounts WHERE map_org_hsds_id = ? HAVING count(*) > 0";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, map_org_hsds_id, -1, SQLITE_STATIC);
    rc = store__step_row(c, st);
    if (!rc) {
        *org_id = sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    return rc;
}

enum err store_map_org_account_put(struct store_conn *c, const char *map_org_hsds_id,
                                   int64_t org_id)
{
    static const char sql[] =
        "INSERT OR IGNORE INTO map_org_accounts(map_org_hsds_id, org_id) VALUES (?, ?)";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, map_org_hsds_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, org_id);
    return store__exec_done(c, st);
}
