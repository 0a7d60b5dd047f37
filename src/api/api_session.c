/* SPDX-License-Identifier: EUPL-1.2 */
/* POST/DELETE /api/v1/session and GET /api/v1/me (with the dossiers a client account holds). */
#include "core/compat.h"

#include "api/api_int.h"
#include "core/clock.h"
#include "core/sec.h"

json_t *api__user_json(struct api_req *r, const struct principal *who)
{
    struct org_row org;
    json_t *o;
    if (store_org_by_id(r->conn, who->org_id, &org)) {
        memset(&org, 0, sizeof(org));
    }
    o = json_pack("{s:s, s:s, s:s}", "id", who->user_uid, "email", who->email, "role",
                  acct_role_name(who->role));
    json_object_set_new(o, "org",
                        json_pack("{s:s, s:s, s:s, s:s}", "id", org.uid, "name", org.name, "kind",
                                  org.kind, "region", org.region));
    return o;
}

void api__set_session_cookie(struct api_req *r, const char *token)
{
    snprintf(r->set_cookie, sizeof(r->set_cookie),
             "vk_session=%s; Path=/; HttpOnly; SameSite=Strict%s%s", token,
             r->cfg->secure_cookies ? "; Secure" : "", *token ? "" : "; Max-Age=0");
}

enum err api_session_create(struct api_req *r)
{
    static const char *const allowed[] = {"email", "password", NULL};
    struct login_policy p;
    struct login_result res;
    json_t *body = NULL;
    const char *email, *password;
    enum err rc = api__body_object(r, &body);

    if (rc) {
        return rc;
    }
    api__reject_unknown(body, allowed, &r->verr);
    email = api__string(body, "email", 320, true, &r->verr);
    password = api__string(body, "password", 1024, true, &r->verr);
    if (r->verr.n) {
        rc = ERR_INVALID;
        goto out;
    }
    api__login_policy(r->cfg, &p);
    rc = acct_login(r->conn, &r->actx, &p, email, password, strlen(password), &res);
    if (rc == ERR_THROTTLED) {
        r->retry_after_s = res.retry_after_s;
        snprintf(r->detail, sizeof(r->detail),
                 "Too many failed attempts. Wait %lld seconds and try again.",
                 (long long)res.retry_after_s);
    }
    if (rc) {
        goto out;
    }
    r->who = res.who;
    api__set_session_cookie(r, res.token);
    sec_memzero(res.token, sizeof(res.token));
    r->resp =
        json_pack("{s:o, s:s}", "user", api__user_json(r, &r->who), "csrf_token", r->who.csrf);
out:
    json_decref(body);
    return rc;
}

enum err api_session_delete(struct api_req *r)
{
    struct audit_event ev = {NULL, "logout", "session", NULL, "success"};
    enum err rc = acct_session_end(r->conn, r->who.session_id, clock_now_ms());
    if (!rc) {
        rc = audit_log(r->conn, &r->actx, &ev);
    }
    if (!rc) {
        api__set_session_cookie(r, "");
        r->status = 204;
    }
    return rc;
}

enum err api_me(struct api_req *r)
{
    int64_t expires = r->who.session_created + r->cfg->session_max_s * 1000;
    r->resp = json_pack("{s:o, s:s, s:{s:I, s:s}}", "user", api__user_json(r, &r->who),
                        "csrf_token", r->who.csrf, "session", "idle_timeout",
                        (json_int_t)r->cfg->session_idle_s, "expires_at", api__iso(r, expires));
    if (!r->resp) {
        return ERR_NOMEM;
    }
    return r->who.role == ROLE_CLIENT ? api__dossiers_add(r, r->resp) : ERR_OK;
}
