/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Red flags: raised by a screening answer or by hand, actions recorded by whoever is with the
 * person, closed only by a professional role with a reason, and the worklist of open flags that
 * are due within 24 hours.
 */
#include "core/compat.h"

#include "audit/audit.h"
#include "core/clock.h"
#include "core/sec.h"
#include "core/str.h"
#include "dossier/dossier.h"
#include "screening/screening_int.h"
#include "storage/store.h"

#define FLAG_DUE_MS (24LL * 3600 * 1000)

static const char *iso(int64_t ms, char *buf, size_t size)
{
    return clock_fmt_iso(ms, buf, size);
}

/* ---- red flags as JSON -------------------------------------------------------------------- */

struct action_ctx {
    struct store_conn *c;
    struct audit_ctx *actx;
    const struct keys_dek *dek;
    json_t *items;
};

static enum err action_json(const struct flag_action_row *a, void *ctx)
{
    struct action_ctx *ac = ctx;
    char at[40], note[STORE_NOTE_MAX + 1];
    json_t *j;
    enum err rc = ERR_OK;

    j = json_pack("{s:s, s:s, s:o}", "action", a->action, "at", iso(a->at, at, sizeof(at)), "by",
                  screen__by_json(ac->c, a->by_role, a->by_org));
    if (ac->dek) {
        rc = KEYS_OPEN_TEXT(ac->dek, ac->actx, STORE_COL_ACTION_NOTE, a->uid, a->note, note);
        json_object_set_new(j, "note", json_string(rc ? "" : note));
        sec_memzero(note, sizeof(note));
    }
    json_array_append_new(ac->items, j);
    return rc;
}

/* The note and the close reason, opened with dek. */
static enum err flag_notes(const struct flag_row *f, struct audit_ctx *actx,
                           const struct keys_dek *dek, json_t *j)
{
    char text[STORE_NOTE_MAX + 1];
    enum err rc = KEYS_OPEN_TEXT(dek, actx, STORE_COL_FLAG_NOTE, f->uid, f->note, text);

    json_object_set_new(j, "note", json_string(rc ? "" : text));
    rc = rc ? rc
            : KEYS_OPEN_TEXT(dek, actx, STORE_COL_FLAG_CLOSE_REASON, f->uid, f->close_reason, text);
    json_object_set_new(j, "close_reason", !rc && f->closed_at ? json_string(text) : json_null());
    sec_memzero(text, sizeof(text));
    return rc;
}

enum err screen__flag_json(struct store_conn *c, struct audit_ctx *actx, const struct flag_row *f,
                           const char *pid, const struct keys_dek *dek, json_t **out)
{
    char raised[40], due[40], closed[40];
    struct action_ctx ac = {c, actx, dek, json_array()};
    json_t *j;
    enum err rc = store_flag_action_each(c, f->id, action_json, &ac);

    j = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:b, s:o, s:o}", "id", f->uid, "client_id",
        pid, "flag", f->flag, "severity", f->severity, "protocol", f->protocol, "state",
        f->closed_at ? "closed" : "open", "raised_at", iso(f->raised_at, raised, sizeof(raised)),
        "raised_by", screen__by_json(c, f->raised_by_role, f->raised_by_org), "due_at",
        iso(f->due_at, due, sizeof(due)), "overdue", !f->closed_at && clock_now_ms() > f->due_at,
        "actions", ac.items, "closed_at",
        f->closed_at ? json_string(iso(f->closed_at, closed, sizeof(closed))) : json_null());
    json_object_set_new(j, "screening_id",
                        f->screening_uid[0] ? json_string(f->screening_uid) : json_null());
    if (!rc && dek) {
        rc = flag_notes(f, actx, dek, j);
    } else if (!rc) {
        json_object_set_new(j, "close_reason", json_null());
    }
    if (rc) {
        json_decref(j);
        return rc;
    }
    *out = j;
    return ERR_OK;
}

enum err screen__flag_insert(struct store_conn *c, const struct principal *who,
                             const struct keys_dek *dek, int64_t client_id, int64_t screening_id,
                             const char *flag, const char *severity, const char *protocol,
                             const char *note, struct flag_row *out)
{
    enum err rc;

    memset(out, 0, sizeof(*out));
    sec_random_hex(16, out->uid);
    out->client_id = client_id;
    out->screening_id = screening_id;
    snprintf(out->flag, sizeof(out->flag), "%s", flag);
    snprintf(out->severity, sizeof(out->severity), "%s", severity);
    snprintf(out->protocol, sizeof(out->protocol), "%s", protocol);
    memcpy(out->raised_by_user, who->user_uid, sizeof(out->raised_by_user));
    snprintf(out->raised_by_role, sizeof(out->raised_by_role), "%s", acct_role_name(who->role));
    out->raised_by_org = who->org_id;
    out->raised_at = clock_now_ms();
    out->due_at = out->raised_at + FLAG_DUE_MS;
    rc = KEYS_SEAL_TEXT(dek, STORE_COL_FLAG_NOTE, out->uid, note, out->note);
    return rc ? rc : store_flag_insert(c, out);
}

static bool closing_role(enum role r)
{
    return r == ROLE_HEALTH_STAFF || r == ROLE_GP || r == ROLE_POH_GGZ || r == ROLE_GGZ;
}

static bool text_ok(const char *s, size_t min)
{
    size_t n = s ? strlen(s) : 0;
    return n >= min && n <= STORE_NOTE_MAX && str_is_clean_utf8(s, n, true);
}

static bool flag_name_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    return n >= 1 && n <= 40 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

/* Validation of a raised flag; ERR_INVALID with v filled. */
static enum err raise_check(const char *protocol, const char *flag, const char *note,
                            struct verr *v)
{
    if (!protocol || (strcmp(protocol, "suicide") && strcmp(protocol, "danger"))) {
        verr_add(v, "/protocol", "must be suicide or danger");
        return ERR_INVALID;
    }
    if (note && !text_ok(note, 0)) {
        verr_add(v, "/note", "must be at most 1000 characters");
    }
    if (flag && !flag_name_ok(flag)) {
        verr_add(v, "/flag", "must be the id of an instrument's red flag (a-z, 0-9, _)");
    }
    return v->n ? ERR_INVALID : ERR_OK;
}

enum err screen_flag_raise(struct store_conn *c, struct audit_ctx *actx,
                           const struct principal *who, const char *pid, const char *protocol,
                           const char *flag, const char *note, struct verr *v, json_t **out)
{
    struct audit_event ev = {pid, "create", "red_flag", NULL, "success"};
    struct client_row client;
    struct keys_dek dek = {0};
    struct flag_row f;
    uint32_t eff;
    enum err rc = dossier_client_check(c, actx, who, pid, SCOPE_SIGNAL, "red_flag", &client, &eff);

    rc = rc ? rc : raise_check(protocol, flag, note, v);
    rc = rc ? rc : keys_dek_load(actx->keys, c, actx, client.id, client.pid, &dek);
    /* protocol is "suicide" or "danger" here: anything else was refused above */
    rc = rc ? rc
            : screen__flag_insert(c, who, &dek, client.id, 0, flag ? flag : "manual",
                                  !strcmp(protocol, "danger") ? "red_imminent" : "red", protocol,
                                  note, &f);
    if (!rc) {
        ev.object_id = f.uid;
        rc = audit_log(c, actx, &ev);
    }
    rc = rc ? rc : screen__flag_json(c, actx, &f, client.pid, &dek, out);
    keys_dek_release(&dek);
    return rc;
}

/* Loads a flag, checks the caller's access to its client (refusals look like 404) and opens
 * the client's data key. */
static enum err flag_open(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                          const char *fid, struct flag_row *f, struct client_row *client,
                          struct keys_dek *dek)
{
    uint32_t eff;
    enum err rc = store_flag_by_uid(c, fid, f);

    memset(dek, 0, sizeof(*dek));
    rc = rc ? rc : store_client_by_id(c, f->client_id, client);
    rc = rc ? rc
            : dossier_client_check(c, actx, who, client->pid, SCOPE_SIGNAL, "red_flag", client,
                                   &eff);
    return rc ? rc : keys_dek_load(actx->keys, c, actx, client->id, client->pid, dek);
}

static enum err action_check(const char *action, const char *note, struct verr *v)
{
    static const char *const actions[] = {
        "stayed_with_person",    "called_112", "gp_same_day", "gp_out_of_hours",
        "reception_health_post", "called_113", "other",       NULL};
    int k;

    for (k = 0; action && actions[k] && strcmp(actions[k], action); k++) {
    }
    if (!action || !actions[k]) {
        verr_add(v, "/action", "must be one of the protocol's actions");
    }
    if (!text_ok(note ? note : "", !strcmp(action ? action : "", "other") ? 1 : 0)) {
        verr_add(v, "/note", "must be at most 1000 characters (and say what, for other)");
    }
    return v->n ? ERR_INVALID : ERR_OK;
}

static enum err action_insert(struct store_conn *c, const struct principal *who,
                              const struct keys_dek *dek, const struct flag_row *f,
                              const char *action, const char *note)
{
    struct flag_action_row a;
    enum err rc;

    memset(&a, 0, sizeof(a));
    a.flag_id = f->id;
    sec_random_hex(16, a.uid);
    snprintf(a.action, sizeof(a.action), "%s", action);
    memcpy(a.by_user, who->user_uid, sizeof(a.by_user));
    snprintf(a.by_role, sizeof(a.by_role), "%s", acct_role_name(who->role));
    a.by_org = who->org_id;
    a.at = clock_now_ms();
    rc = KEYS_SEAL_TEXT(dek, STORE_COL_ACTION_NOTE, a.uid, note, a.note);
    return rc ? rc : store_flag_action_insert(c, &a);
}

enum err screen_flag_action(struct store_conn *c, struct audit_ctx *actx,
                            const struct principal *who, const char *fid, const char *action,
                            const char *note, struct verr *v, json_t **out)
{
    struct audit_event ev = {NULL, "update", "red_flag", fid, "success"};
    struct client_row client;
    struct keys_dek dek;
    struct flag_row f;
    enum err rc = flag_open(c, actx, who, fid, &f, &client, &dek);

    rc = rc ? rc : action_check(action, note, v);
    rc = rc ? rc : action_insert(c, who, &dek, &f, action, note);
    ev.client_pid = client.pid;
    rc = rc ? rc : audit_log(c, actx, &ev);
    rc = rc ? rc : screen__flag_json(c, actx, &f, client.pid, &dek, out);
    keys_dek_release(&dek);
    return rc;
}

static enum err flag_close_store(struct store_conn *c, const struct principal *who,
                                 const struct keys_dek *dek, const struct flag_row *f,
                                 const char *reason)
{
    STORE_SEALED(STORE_NOTE_MAX) sealed;
    enum err rc = KEYS_SEAL_TEXT(dek, STORE_COL_FLAG_CLOSE_REASON, f->uid, reason, sealed);
    return rc ? rc
              : store_flag_close(c, f->id, who->user_uid, acct_role_name(who->role), sealed.b,
                                 sealed.len, clock_now_ms());
}

enum err screen_flag_close(struct store_conn *c, struct audit_ctx *actx,
                           const struct principal *who, const char *fid, const char *reason,
                           struct verr *v, json_t **out)
{
    struct audit_event ev = {NULL, "close", "red_flag", fid, "success"};
    struct client_row client;
    struct keys_dek dek;
    struct flag_row f;
    enum err rc = flag_open(c, actx, who, fid, &f, &client, &dek);

    if (!rc && !closing_role(who->role)) {
        rc = ERR_FORBIDDEN;
    }
    if (!rc && !text_ok(reason, 1)) {
        verr_add(v, "/reason", "a reason of 1 to 1000 characters is required");
        rc = ERR_INVALID;
    }
    rc = rc ? rc : flag_close_store(c, who, &dek, &f, reason);
    ev.client_pid = client.pid;
    rc = rc ? rc : audit_log(c, actx, &ev);
    rc = rc ? rc : store_flag_by_uid(c, fid, &f);
    rc = rc ? rc : screen__flag_json(c, actx, &f, client.pid, &dek, out);
    keys_dek_release(&dek);
    return rc;
}

struct flag_list_ctx {
    struct store_conn *c;
    struct audit_ctx *actx;
    json_t *items;
    const char *pid;
    const struct keys_dek *dek; /* NULL for the worklist: no notes */
};

static enum err flag_item(const struct flag_row *f, void *ctx)
{
    struct flag_list_ctx *fc = ctx;
    struct client_row client;
    const char *pid = fc->pid;
    json_t *j = NULL;
    enum err rc = ERR_OK;

    if (!pid) {
        rc = store_client_by_id(fc->c, f->client_id, &client);
        pid = client.pid;
    }
    rc = rc ? rc : screen__flag_json(fc->c, fc->actx, f, pid, fc->dek, &j);
    if (!rc) {
        /* the worklist reaches beyond grants (the region's coordinator): facts, no notes */
        json_array_append_new(fc->items,
                              fc->dek ? j : json_pack("{s:o, s:s}", "flag", j, "client_id", pid));
    }
    return rc;
}

enum err screen_flag_list(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                          const char *pid, json_t **out)
{
    struct client_row client;
    struct keys_dek dek = {0};
    struct flag_list_ctx fc = {c, actx, NULL, pid, &dek};
    uint32_t eff;
    enum err rc =
        dossier_client_open(c, actx, who, pid, SCOPE_SIGNAL, "list", "red_flag", &client, &eff);

    rc = rc ? rc : keys_dek_load(actx->keys, c, actx, client.id, client.pid, &dek);
    if (!rc) {
        fc.items = json_array();
        rc = store_flag_each_for_client(c, client.id, flag_item, &fc);
    }
    if (!rc) {
        *out = json_pack("{s:o}", "items", fc.items);
    } else {
        json_decref(fc.items);
    }
    keys_dek_release(&dek);
    return rc;
}

enum err screen_worklist(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                         json_t **out)
{
    struct audit_event ev = {NULL, "list", "worklist", NULL, "success"};
    struct flag_list_ctx fc = {c, actx, NULL, NULL, NULL};
    struct org_row org;
    enum err rc;

    if (who->role != ROLE_COORDINATOR && !closing_role(who->role)) {
        return ERR_FORBIDDEN;
    }
    rc = store_org_by_id(c, who->org_id, &org);
    if (rc) {
        return rc;
    }
    fc.items = json_array();
    rc = store_flag_each_open(c, who->role == ROLE_COORDINATOR ? org.region : NULL, who->org_id,
                              SCOPE_SIGNAL, clock_now_ms(), flag_item, &fc);
    if (!rc) {
        rc = audit_log(c, actx, &ev);
    }
    if (rc) {
        json_decref(fc.items);
        return rc;
    }
    *out = json_pack("{s:o}", "items", fc.items);
    return ERR_OK;
}
