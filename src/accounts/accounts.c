/* SPDX-License-Identifier: EUPL-1.2 */
/* Roles, email normalisation and user creation. */
#include "core/compat.h"

#include "accounts/accounts.h"
#include "core/sec.h"
#include "core/str.h"

static const char *const role_names[ROLE__COUNT] = {
    [ROLE_CLIENT] = "client",
    [ROLE_VOLUNTEER] = "volunteer",
    [ROLE_KEYPERSON] = "keyperson",
    [ROLE_COA_STAFF] = "coa_staff",
    [ROLE_HEALTH_STAFF] = "health_staff",
    [ROLE_GP] = "gp",
    [ROLE_POH_GGZ] = "poh_ggz",
    [ROLE_GGZ] = "ggz",
    [ROLE_KLANTMANAGER] = "klantmanager",
    [ROLE_WIJKTEAM] = "wijkteam",
    [ROLE_COORDINATOR] = "coordinator",
    [ROLE_ANALYST] = "analyst",
    [ROLE_ADMIN] = "admin",
};

const char *acct_role_name(enum role r)
{
    return ((unsigned)r < ROLE__COUNT) ? role_names[r] : "";
}

enum err acct_role_parse(const char *name, enum role *out)
{
    for (int i = 0; i < ROLE__COUNT; i++) {
        if (!strcmp(role_names[i], name)) {
            *out = (enum role)i;
            return ERR_OK;
        }
    }
    return ERR_INVALID;
}

enum err acct_email_normalise(const char *in, char *out, size_t size)
{
    struct str s = str_from(in);
    const char *at;
    size_t at_pos;

    while (s.len && s.p[0] == ' ') {
        s.p++;
        s.len--;
    }
    while (s.len && s.p[s.len - 1] == ' ') {
        s.len--;
    }
    if (s.len < 3 || s.len > STORE_EMAIL_MAX || s.len >= size ||
        !str_is_clean_utf8(s.p, s.len, false) || memchr(s.p, ' ', s.len)) {
        return ERR_INVALID;
    }
    at = memchr(s.p, '@', s.len);
    if (!at || memchr(at + 1, '@', s.len - (size_t)(at - s.p) - 1)) {
        return ERR_INVALID;
    }
    at_pos = (size_t)(at - s.p);
    if (at_pos == 0 || at_pos == s.len - 1 || !memchr(at + 1, '.', s.len - at_pos - 1)) {
        return ERR_INVALID;
    }
    str_lower_ascii(s.p, s.len, out);
    return ERR_OK;
}

static enum err org_find_or_create(struct store_conn *c, const struct acct_new_user *in,
                                   struct org_row *org)
{
    enum err rc = store_org_by_name(c, in->org_name, org);
    if (rc != ERR_NOT_FOUND) {
        return rc;
    }
    memset(org, 0, sizeof(*org));
    sec_random_hex(16, org->uid);
    snprintf(org->name, sizeof(org->name), "%s", in->org_name);
    snprintf(org->kind, sizeof(org->kind), "%s", in->org_kind ? in->org_kind : "other");
    snprintf(org->region, sizeof(org->region), "%s", in->region ? in->region : "");
    return store_org_insert(c, org);
}

enum err acct_user_add(struct store_conn *c, const struct acct_new_user *in, struct user_row *out,
                       const char **why)
{
    struct org_row org;
    enum acct_pw_problem pw;
    enum err rc;

    memset(out, 0, sizeof(*out));
    *why = NULL;
    if (acct_email_normalise(in->email, out->email, sizeof(out->email))) {
        *why = "not a valid email address";
        return ERR_INVALID;
    }
    if (!in->org_name || !*in->org_name || strlen(in->org_name) > 200) {
        *why = "organisation name must be 1-200 characters";
        return ERR_INVALID;
    }
    pw = acct_password_check(in->password, in->password_len);
    if (pw != PW_OK) {
        *why = acct_pw_problem_text(pw);
        return ERR_INVALID;
    }
    rc = org_find_or_create(c, in, &org);
    if (rc) {
        return rc;
    }
    rc = sec_pw_hash(in->password, in->password_len, out->pw_hash);
    if (rc) {
        return rc;
    }
    sec_random_hex(16, out->uid);
    out->org_id = org.id;
    snprintf(out->role, sizeof(out->role), "%s", acct_role_name(in->role));
    out->client_id = in->client_id;
    rc = store_user_insert(c, out);
    if (rc == ERR_CONFLICT) {
        *why = "an account with this email already exists";
    }
    return rc;
}
