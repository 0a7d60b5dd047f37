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
    json_t *items;
};

static enum err action_json(const struct flag_action_row *a, void *ctx)
{
    struct action_ctx *ac = ctx;
    char at[40];
    json_array_append_new(ac->items, json_pack("{s:s, s:s, s:s, s:o}", "action", a->action, "note",
                                               a->note, "at", iso(a->at, at, sizeof(at)), "by",
                                               screen__by_json(ac->c, a->by_role, a->by_org)));
    return ERR_OK;
}

json_t *screen__flag_json(struct store_conn *c, const struct flag_row *f, const char *pid)
{
    char raised[40], due[40], closed[40];
    struct action_ctx ac = {c, json_array()};
    json_t *j;

    if (store_flag_action_each(c, f->id, action_json, &ac)) {
        json_array_clear(ac.items);
    }
    j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:b, s:o, s:o, s:o}", "id",
                  f->uid, "client_id", pid, "flag", f->flag, "severity", f->severity, "protocol",
                  f->protocol, "note", f->note, "state", f->closed_at ? "closed" : "open",
                  "raised_at", iso(f->raised_at, raised, sizeof(raised)), "raised_by",
                  screen__by_json(c, f->raised_by_role, f->raised_by_org), "due_at",
                  iso(f->due_at, due, sizeof(due)), "overdue",
                  !f->closed_at && clock_now_ms() > f->due_at, "actions", ac.items, "closed_at",
                  f->closed_at ? json_string(iso(f->closed_at, closed, sizeof(closed)))
                               : json_null(),
                  "close_reason", f->closed_at ? json_string(f->close_reason) : json_null());
    if (j) {
        json_object_set_new(j, "screening_id",
                            f->screening_uid[0] ? json_string(f->screening_uid) : json_null());
    }
    return j;
}

enum err screen__flag_insert(struct store_conn *c, const struct principal *who, int64_t client_id,
                             int64_t screening_id, const char *flag, const char *severity,
                             const char *protocol, const char *note, struct flag_row *out)
{
    memset(out, 0, sizeof(*out));
    sec_random_hex(16, out->uid);
    out->client_id = client_id;
    out->screening_id = screening_id;
    snprintf(out->flag, sizeof(out->flag), "%s", flag);
    snprintf(out->severity, sizeof(out->severity), "%s", severity);
    snprintf(out->protocol, sizeof(out->protocol), "%s", protocol);
    snprintf(out->note, sizeof(out->note), "%s", note ? note : "");
    memcpy(out->raised_by_user, who->user_uid, sizeof(out->raised_by_user));
    snprintf(out->raised_by_role, sizeof(out->raised_by_role), "%s", acct_role_name(who->role));
    out->raised_by_org = who->org_id;
    out->raised_at = clock_now_ms();
    out->due_at = out->raised_at + FLAG_DUE_MS;
    return store_flag_insert(c, out);
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

enum err screen_flag_raise(struct store_conn *c, struct audit_ctx *actx,
                           const struct principal *who, const char *pid, const char *protocol,
                           const char *flag, const char *note, struct verr *v, json_t **out)
{
    struct audit_event ev = {pid, "create", "red_flag", NULL, "success"};
    struct client_row client;
    struct flag_row f;
    uint32_t eff;
    enum err rc = dossier_client_check(c, actx, who, pid, SCOPE_SIGNAL, "red_flag", &client, &eff);

    if (rc) {
        return rc;
    }
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
    if (v->n) {
        return ERR_INVALID;
    }
    /* protocol is "suicide" or "danger" here: anything else was refused above */
    rc = screen__flag_insert(c, who, client.id, 0, flag ? flag : "manual",
                             !strcmp(protocol, "danger") ? "red_imminent" : "red", protocol, note,
                             &f);
    if (!rc) {
        ev.object_id = f.uid;
        rc = audit_log(c, actx, &ev);
    }
    if (!rc) {
        *out = screen__flag_json(c, &f, client.pid);
    }
    return rc;
}

/* Loads a flag and checks the caller's access to its client (refusals look like 404). */
static enum err flag_open(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                          const char *fid, struct flag_row *f, struct client_row *client)
{
    uint32_t eff;
    enum err rc = store_flag_by_uid(c, fid, f);
    if (!rc) {
        rc = store_client_by_id(c, f->client_id, client);
    }
    if (rc) {
        return rc;
    }
    return dossier_client_check(c, actx, who, client->pid, SCOPE_SIGNAL, "red_flag", client, &eff);
}

enum err screen_flag_action(struct store_conn *c, struct audit_ctx *actx,
                            const struct principal *who, const char *fid, const char *action,
                            const char *note, struct verr *v, json_t **out)
{
    static const char *const actions[] = {
        "stayed_with_person",    "called_112", "gp_same_day", "gp_out_of_hours",
        "reception_health_post", "called_113", "other",       NULL};
    struct audit_event ev = {NULL, "update", "red_flag", fid, "success"};
    struct flag_action_row a;
    struct client_row client;
    struct flag_row f;
    int k;
    enum err rc = flag_open(c, actx, who, fid, &f, &client);

    if (rc) {
        return rc;
    }
    for (k = 0; action && actions[k] && strcmp(actions[k], action); k++) {
    }
    if (!action || !actions[k]) {
        verr_add(v, "/action", "must be one of the protocol's actions");
    }
    if (!text_ok(note ? note : "", !strcmp(action ? action : "", "other") ? 1 : 0)) {
        verr_add(v, "/note", "must be at most 1000 characters (and say what, for other)");
    }
    if (v->n) {
        return ERR_INVALID;
    }
    memset(&a, 0, sizeof(a));
    a.flag_id = f.id;
    snprintf(a.action, sizeof(a.action), "%s", action);
    snprintf(a.note, sizeof(a.note), "%s", note ? note : "");
    memcpy(a.by_user, who->user_uid, sizeof(a.by_user));
    snprintf(a.by_role, sizeof(a.by_role), "%s", acct_role_name(who->role));
    a.by_org = who->org_id;
    a.at = clock_now_ms();
    rc = store_flag_action_insert(c, &a);
    ev.client_pid = client.pid;
    if (!rc) {
        rc = audit_log(c, actx, &ev);
    }
    if (!rc) {
        *out = screen__flag_json(c, &f, client.pid);
    }
    return rc;
}

enum err screen_flag_close(struct store_conn *c, struct audit_ctx *actx,
                           const struct principal *who, const char *fid, const char *reason,
                           struct verr *v, json_t **out)
{
    struct audit_event ev = {NULL, "close", "red_flag", fid, "success"};
    struct client_row client;
    struct flag_row f;
    enum err rc = flag_open(c, actx, who, fid, &f, &client);

    if (rc) {
        return rc;
    }
    if (!closing_role(who->role)) {
        return ERR_FORBIDDEN;
    }
    if (!text_ok(reason, 1)) {
        verr_add(v, "/reason", "a reason of 1 to 1000 characters is required");
        return ERR_INVALID;
    }
    rc =
        store_flag_close(c, f.id, who->user_uid, acct_role_name(who->role), reason, clock_now_ms());
    ev.client_pid = client.pid;
    if (!rc) {
        rc = audit_log(c, actx, &ev);
    }
    if (!rc) {
        rc = store_flag_by_uid(c, fid, &f);
    }
    if (!rc) {
        *out = screen__flag_json(c, &f, client.pid);
    }
    return rc;
}

struct flag_list_ctx {
    struct store_conn *c;
    json_t *items;
    const char *pid;
    bool worklist;
};

static enum err flag_item(const struct flag_row *f, void *ctx)
{
    struct flag_list_ctx *fc = ctx;
    struct client_row client;
    const char *pid = fc->pid;
    if (!pid) {
        enum err rc = store_client_by_id(fc->c, f->client_id, &client);
        if (rc) {
            return rc;
        }
        pid = client.pid;
    }
    {
        json_t *j = screen__flag_json(fc->c, f, pid), *a;
        size_t i;
        if (fc->worklist) {
            /* the worklist reaches beyond grants (the region's coordinator): facts, no notes */
            json_object_del(j, "note");
            json_array_foreach(json_object_get(j, "actions"), i, a)
            {
                json_object_del(a, "note");
            }
        }
        json_array_append_new(
            fc->items, fc->worklist ? json_pack("{s:o, s:s}", "flag", j, "client_id", pid) : j);
    }
    return ERR_OK;
}

enum err screen_flag_list(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                          const char *pid, json_t **out)
{
    struct client_row client;
    struct flag_list_ctx fc = {c, NULL, pid, false};
    uint32_t eff;
    enum err rc =
        dossier_client_open(c, actx, who, pid, SCOPE_SIGNAL, "list", "red_flag", &client, &eff);
    if (rc) {
        return rc;
    }
    fc.items = json_array();
    rc = store_flag_each_for_client(c, client.id, flag_item, &fc);
    if (rc) {
        json_decref(fc.items);
        return rc;
    }
    *out = json_pack("{s:o}", "items", fc.items);
    return ERR_OK;
}

enum err screen_worklist(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                         json_t **out)
{
    struct audit_event ev = {NULL, "list", "worklist", NULL, "success"};
    struct flag_list_ctx fc = {c, NULL, NULL, true};
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
