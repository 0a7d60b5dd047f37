/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Client login without DigiD: a professional issues a client's login card (code + QR code,
 * answered once), the client logs in with code and PIN, a parent's account is recorded as holding
 * a child's dossier, and a client session switches between the dossiers it holds. Access to the
 * client goes through the dossier's consent check; the card itself lives in accounts.
 */
#include "core/compat.h"

#include "api/api_int.h"
#include "core/buf.h"
#include "core/qr.h"
#include "core/sec.h"
#include "dossier/dossier.h"

/* Which grant lets a professional issue a card or record a holder: enrolment needs contact
 * with the client (contact) or the signalling conversation (signal). */
#define CARD_SCOPES   (SCOPE_CONTACT | SCOPE_SIGNAL)
#define CARD_QR_MAX   (64 * 1024)
#define CARD_PIN_JSON 512 /* bytes of a PIN or passphrase as sent */

/* Roles that may register clients may enrol them; the others get 403 like registering. */
static bool card_role_ok(const struct principal *who)
{
    return (consent_role_ceiling(who->role) & ~(uint32_t)SCOPE_CLINICAL) != 0;
}

/* The access check for card and holder actions: ERR_NOT_FOUND (noted) unless CARD_SCOPES. */
static enum err card_access(struct api_req *r, const char *pid, struct client_row *out)
{
    uint32_t eff = 0;
    enum err rc =
        dossier_client_check(r->conn, &r->actx, &r->who, pid, SCOPE_ANY, "card", out, &eff);
    if (!rc && !(eff & CARD_SCOPES)) {
        audit_note_denial(&r->actx, pid, "access_denied", "card");
        rc = ERR_NOT_FOUND;
    }
    return rc;
}

enum err api__origin(const struct api_req *r, char *out, size_t size)
{
    const char *host = r->host ? r->host : "";
    size_t n = strlen(host);

    if (r->cfg->public_origin[0]) {
        snprintf(out, size, "%s", r->cfg->public_origin);
        return ERR_OK;
    }
    if (n == 0 || n > 255 ||
        strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                     "0123456789.-:[]") != n) {
        return ERR_BAD_REQUEST;
    }
    snprintf(out, size, "%s://%s", r->cfg->secure_cookies ? "https" : "http", host);
    return ERR_OK;
}

static enum err card_answer(struct api_req *r, const struct client_row *client, const char *code)
{
    char shown[ACCT_CARD_DISPLAY_CHARS + 1], origin[300], url[400];
    struct buf svg = BUF_INIT(CARD_QR_MAX);
    enum err rc = api__origin(r, origin, sizeof(origin));

    acct_card_code_display(code, shown);
    snprintf(url, sizeof(url), "%s/#/card/%s", origin, shown);
    rc = rc ? rc : qr_svg(url, strlen(url), &svg);
    if (!rc) {
        r->resp = json_pack("{s:s, s:s, s:s, s:s, s:s}", "code", shown, "login_url", url, "qr_svg",
                            svg.ptr, "language", client->language, "client", client->pid);
        rc = r->resp ? ERR_OK : ERR_NOMEM;
        r->status = 201;
    }
    sec_memzero(shown, sizeof(shown));
    sec_memzero(url, sizeof(url));
    buf_release(&svg);
    return rc;
}

enum err api_card_create(struct api_req *r)
{
    char code[ACCT_CARD_CODE_CHARS + 1] = "";
    struct client_row client;
    enum err rc;

    if (!card_role_ok(&r->who)) {
        return ERR_FORBIDDEN;
    }
    rc = card_access(r, r->params[0], &client);
    rc = rc ? rc : acct_card_issue(r->conn, &r->actx, &r->who, client.id, client.pid, code);
    rc = rc ? rc : card_answer(r, &client, code);
    sec_memzero(code, sizeof(code));
    return rc;
}

enum err api_card_get(struct api_req *r)
{
    struct audit_event ev = {r->params[0], "read", "card", r->params[0], "success"};
    struct client_row client;
    struct card_row card;
    enum err rc;

    if (!card_role_ok(&r->who)) {
        return ERR_FORBIDDEN;
    }
    rc = card_access(r, r->params[0], &client);
    rc = rc ? rc : audit_log(r->conn, &r->actx, &ev);
    if (rc) {
        return rc;
    }
    rc = store_card_by_client(r->conn, client.id, &card);
    if (rc == ERR_NOT_FOUND) {
        r->resp = json_pack("{s:b}", "issued", 0);
        return r->resp ? ERR_OK : ERR_NOMEM;
    }
    if (rc) {
        return rc;
    }
    r->resp =
        json_pack("{s:b, s:s, s:b, s:b, s:I}", "issued", 1, "issued_at",
                  api__iso(r, card.issued_at), "pin_chosen", card.pin_hash[0] != '\0', "locked",
                  card.failures >= ACCT_CARD_LOCK_AFTER, "failures", (json_int_t)card.failures);
    return r->resp ? ERR_OK : ERR_NOMEM;
}

enum err api_holders_create(struct api_req *r)
{
    static const char *const allowed[] = {"holder_client", "relation", NULL};
    struct client_row child, holder;
    const char *holder_pid, *relation;
    bool created = false;
    json_t *body = NULL;
    enum err rc;

    if (!card_role_ok(&r->who)) {
        return ERR_FORBIDDEN;
    }
    rc = api__body_object(r, &body);
    if (rc) {
        return rc;
    }
    api__reject_unknown(body, allowed, &r->verr);
    holder_pid = api__string(body, "holder_client", 64, true, &r->verr);
    relation = api__string(body, "relation", 32, true, &r->verr);
    rc = r->verr.n ? ERR_INVALID : card_access(r, r->params[0], &child);
    rc = rc ? rc : card_access(r, holder_pid, &holder);
    rc = rc ? rc
            : acct_holder_add(r->conn, &r->actx, &r->who, holder.id, child.id, child.pid, relation,
                              &r->verr, &created);
    if (!rc) {
        r->status = created ? 201 : 200;
        r->resp = json_pack("{s:s, s:s, s:s}", "client", child.pid, "holder_client", holder.pid,
                            "relation", relation);
        rc = r->resp ? ERR_OK : ERR_NOMEM;
    }
    json_decref(body);
    return rc;
}

/* ---- the client's side -------------------------------------------------------------------- */

static void card_login_detail(struct api_req *r, enum err rc, int64_t retry_after_s)
{
    if (rc == ERR_THROTTLED) {
        r->retry_after_s = retry_after_s;
        snprintf(r->detail, sizeof(r->detail),
                 "Too many wrong attempts. Wait %lld seconds and try again.",
                 (long long)retry_after_s);
    } else if (rc == ERR_CARD_LOCKED) {
        snprintf(r->detail, sizeof(r->detail),
                 "This login card is locked after too many wrong PINs. Ask your contact person "
                 "for a new card.");
    } else if (rc == ERR_BAD_CREDENTIALS) {
        snprintf(r->detail, sizeof(r->detail), "Wrong login code or PIN.");
    }
}

static enum err card_login_answer(struct api_req *r, enum acct_card_step step,
                                  struct login_result *res)
{
    if (step == CARD_CHOOSE_PIN) {
        r->resp = json_pack("{s:b}", "needs_pin_choice", 1);
    } else if (step == CARD_ENTER_PIN) {
        r->resp = json_pack("{s:b}", "needs_pin", 1);
    } else {
        r->who = res->who;
        r->actx.user_uid = r->who.user_uid; /* res goes out of scope; r->who does not */
        r->actx.role = acct_role_name(r->who.role);
        r->actx.org_uid = r->who.org_uid;
        api__set_session_cookie(r, res->token);
        r->resp =
            json_pack("{s:o, s:s}", "user", api__user_json(r, &r->who), "csrf_token", r->who.csrf);
        if (r->resp && api__dossiers_add(r, r->resp)) {
            json_decref(r->resp);
            r->resp = NULL;
            return ERR_INTERNAL;
        }
    }
    return r->resp ? ERR_OK : ERR_NOMEM;
}

enum err api_card_login(struct api_req *r)
{
    static const char *const allowed[] = {"code", "pin", "new_pin", NULL};
    struct acct_card_input in = {0};
    enum acct_card_step step = CARD_ENTER_PIN;
    struct login_policy p;
    struct login_result res;
    json_t *body = NULL;
    enum err rc = api__body_object(r, &body);

    if (rc) {
        return rc;
    }
    api__reject_unknown(body, allowed, &r->verr);
    in.code = api__string(body, "code", ACCT_CARD_INPUT_MAX, true, &r->verr);
    in.pin = api__string(body, "pin", CARD_PIN_JSON, false, &r->verr);
    in.new_pin = api__string(body, "new_pin", CARD_PIN_JSON, false, &r->verr);
    in.pin_len = in.pin ? strlen(in.pin) : 0;
    in.new_pin_len = in.new_pin ? strlen(in.new_pin) : 0;
    memset(&res, 0, sizeof(res));
    if (r->verr.n) {
        rc = ERR_INVALID;
    } else {
        api__login_policy(r->cfg, &p);
        rc = acct_card_login(r->conn, &r->actx, &p, &in, &r->verr, &step, &res);
    }
    card_login_detail(r, rc, res.retry_after_s);
    if (!rc) {
        rc = card_login_answer(r, step, &res);
    }
    sec_memzero(res.token, sizeof(res.token));
    json_decref(body);
    return rc;
}

struct dossier_list {
    const struct principal *who;
    json_t *items;
};

static enum err dossier_item(const struct holder_row *h, void *ctx)
{
    struct dossier_list *dl = ctx;
    json_t *o =
        json_pack("{s:s, s:s, s:I, s:b}", "id", h->pid, "relation", h->relation, "year_of_birth",
                  (json_int_t)h->year_of_birth, "active", h->client_id == dl->who->client_id);
    return o && !json_array_append_new(dl->items, o) ? ERR_OK : ERR_NOMEM;
}

enum err api__dossiers_add(struct api_req *r, json_t *obj)
{
    struct dossier_list dl = {&r->who, json_array()};
    enum err rc =
        store_holder_each(r->conn, r->who.user_id, r->who.self_client_id, dossier_item, &dl);
    json_t *active = json_null(), *item;
    size_t i;

    if (rc) {
        json_decref(dl.items);
        json_decref(active);
        return rc;
    }
    json_array_foreach(dl.items, i, item)
    {
        if (json_is_true(json_object_get(item, "active"))) {
            json_decref(active);
            active = json_incref(json_object_get(item, "id"));
        }
    }
    json_object_set_new(obj, "dossiers", dl.items);
    json_object_set_new(obj, "active_dossier", active);
    return ERR_OK;
}

enum err api_session_dossier(struct api_req *r)
{
    static const char *const allowed[] = {"pid", NULL};
    json_t *body = NULL;
    const char *pid;
    enum err rc;

    if (r->who.role != ROLE_CLIENT) {
        return ERR_FORBIDDEN;
    }
    rc = api__body_object(r, &body);
    if (rc) {
        return rc;
    }
    api__reject_unknown(body, allowed, &r->verr);
    pid = api__string(body, "pid", 64, true, &r->verr);
    rc = r->verr.n ? ERR_INVALID : acct_dossier_switch(r->conn, &r->actx, &r->who, pid);
    if (!rc) {
        r->resp = json_object();
        rc = r->resp ? api__dossiers_add(r, r->resp) : ERR_NOMEM;
    }
    json_decref(body);
    return rc;
}
