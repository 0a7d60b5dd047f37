/* SPDX-License-Identifier: EUPL-1.2 */
/* Client records: validation, registration with its first grant, access-checked reads. */
#include "core/compat.h"

#include "core/clock.h"
#include "core/sec.h"
#include "core/str.h"
#include "dossier/dossier.h"

#define DAY_MS (24LL * 3600 * 1000)

static const char *const risk_names[RISK_COUNT] = {
    "ex_amv", "single_parent", "family_reunification", "violence_survivor", "low_literacy"};

const char *dossier_risk_name(uint32_t bit)
{
    for (int i = 0; i < RISK_COUNT; i++) {
        if (bit == (1u << i)) {
            return risk_names[i];
        }
    }
    return NULL;
}

enum err dossier_risk_parse(const char *name, uint32_t *bit)
{
    for (int i = 0; i < RISK_COUNT; i++) {
        if (!strcmp(risk_names[i], name)) {
            *bit = 1u << i;
            return ERR_OK;
        }
    }
    return ERR_INVALID;
}

static bool one_of(const char *s, const char *const *list)
{
    for (; *list; list++) {
        if (!strcmp(s, *list)) {
            return true;
        }
    }
    return false;
}

/* BCP 47 shape: 2-3 letter language, then up to three 2-8 alphanumeric subtags. */
static bool bcp47_ok(const char *s)
{
    size_t n = 0, parts = 0;
    for (const char *p = s;; p++) {
        if (*p == '-' || *p == '\0') {
            if (n < 2 || n > 8 || (parts == 0 && n > 3) || ++parts > 4) {
                return false;
            }
            n = 0;
            if (*p == '\0') {
                return true;
            }
        } else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                   (parts > 0 && *p >= '0' && *p <= '9')) {
            n++;
        } else {
            return false;
        }
    }
}

static bool text_ok(const char *s, size_t min, size_t max)
{
    size_t n = strlen(s);
    return n >= min && n <= max && str_is_clean_utf8(s, n, false);
}

static void validate_required(const struct client_input *in, int64_t now, struct verr *v)
{
    static const char *const genders[] = {"female", "male", "other", "unknown", NULL};
    static const char *const phases[] = {"coa", "municipality", NULL};
    char year[8];
    int64_t this_year;

    clock_fmt_iso(now, year, 5);
    (void)str_parse_i64(year, 4, 1970, 9999, &this_year);
    if (in->year_of_birth < 1900 || in->year_of_birth > this_year) {
        verr_add(v, "/year_of_birth", "must be a year from 1900 to %lld", (long long)this_year);
    }
    if (!in->gender || !one_of(in->gender, genders)) {
        /* NULL fields are reported "is required" by the API layer first (verr keeps one) */
        verr_add(v, "/gender", "must be one of female, male, other, unknown");
    }
    if (!in->country || strlen(in->country) != 2 || in->country[0] < 'A' || in->country[0] > 'Z' ||
        in->country[1] < 'A' || in->country[1] > 'Z') {
        verr_add(v, "/country_of_origin", "must be an ISO 3166-1 alpha-2 code such as SY");
    }
    if (!in->language || strlen(in->language) > 35 || !bcp47_ok(in->language)) {
        verr_add(v, "/language", "must be a BCP 47 language tag such as ar or fa-AF");
    }
    if (!in->phase || !one_of(in->phase, phases)) {
        verr_add(v, "/phase", "must be coa or municipality");
    }
    if (!in->location || !text_ok(in->location, 1, 120)) {
        verr_add(v, "/location", "must be 1 to 120 characters");
    }
}

void dossier_client_validate(const struct client_input *in, int64_t now, struct verr *v)
{
    validate_required(in, now, v);
    if (in->name && !text_ok(in->name, 0, 200)) {
        verr_add(v, "/name", "must be at most 200 characters");
    }
    if (in->phone && !text_ok(in->phone, 0, 40)) {
        verr_add(v, "/phone", "must be at most 40 characters");
    }
    if (in->risk_flags & ~((1u << RISK_COUNT) - 1)) {
        verr_add(v, "/risk_flags", "unknown risk flag");
    }
}

static void client_fill(struct client_row *r, const struct principal *who,
                        const struct client_input *in, int64_t now)
{
    memset(r, 0, sizeof(*r));
    sec_random_hex(16, r->pid);
    r->year_of_birth = in->year_of_birth;
    snprintf(r->gender, sizeof(r->gender), "%s", in->gender);
    snprintf(r->country, sizeof(r->country), "%s", in->country);
    snprintf(r->language, sizeof(r->language), "%s", in->language);
    snprintf(r->phase, sizeof(r->phase), "%s", in->phase);
    snprintf(r->location, sizeof(r->location), "%s", in->location);
    r->risk_flags = in->risk_flags;
    memcpy(r->created_by_user, who->user_uid, sizeof(r->created_by_user));
    r->created_by_org = who->org_id;
    r->created_at = now;
}

/* Seals the contact fields of a new client under its new data key (the AD names the pid). */
static enum err client_seal(const struct keys_dek *d, const struct client_input *in,
                            struct client_row *r)
{
    enum err rc = KEYS_SEAL_TEXT(d, STORE_COL_CLIENT_NAME, r->pid, in->name, r->name);
    return rc ? rc : KEYS_SEAL_TEXT(d, STORE_COL_CLIENT_PHONE, r->pid, in->phone, r->phone);
}

static enum err registration_grant(struct store_conn *c, const struct principal *who,
                                   const struct client_row *client, int64_t now)
{
    struct grant_row g;
    memset(&g, 0, sizeof(g));
    sec_random_hex(16, g.uid);
    g.client_id = client->id;
    g.org_id = who->org_id;
    g.scopes = consent_role_ceiling(who->role) & ~(uint32_t)SCOPE_CLINICAL;
    snprintf(g.basis, sizeof(g.basis), "registered_in_person");
    memcpy(g.granted_by_user, who->user_uid, sizeof(g.granted_by_user));
    snprintf(g.granted_by_role, sizeof(g.granted_by_role), "%s", acct_role_name(who->role));
    g.granted_by_org = who->org_id;
    g.created_at = now;
    g.expires_at = now + DOSSIER_REGISTRATION_DAYS * DAY_MS;
    return store_grant_insert(c, &g);
}

enum err dossier_client_create(struct store_conn *c, struct audit_ctx *actx,
                               const struct principal *who, const struct client_input *in,
                               struct verr *v, struct client_row *out)
{
    int64_t now = clock_now_ms();
    struct audit_event ev = {NULL, "create", "client", NULL, "success"};
    struct keys_dek dek = {0};
    enum err rc;

    if ((consent_role_ceiling(who->role) & ~(uint32_t)SCOPE_CLINICAL) == 0) {
        return ERR_FORBIDDEN;
    }
    dossier_client_validate(in, now, v);
    if (v->n) {
        return ERR_INVALID;
    }
    client_fill(out, who, in, now);
    rc = keys_dek_new(out->pid, &dek);
    rc = rc ? rc : client_seal(&dek, in, out);
    rc = rc ? rc : store_client_insert(c, out);
    rc = rc ? rc : store_client_region_from_org(c, out->id, who->org_id); /* move.c */
    rc = rc ? rc : keys_dek_store(actx->keys, c, out->id, &dek);
    rc = rc ? rc : registration_grant(c, who, out, now);
    if (!rc) {
        ev.client_pid = out->pid;
        ev.object_id = out->pid;
        rc = audit_log(c, actx, &ev);
    }
    keys_dek_release(&dek);
    return rc;
}

/* Opens the sealed fields with the client's data key d. */
static enum err client_open_fields(const struct keys_dek *d, struct audit_ctx *actx,
                                   const struct client_row *row, struct client_plain *out)
{
    enum err rc = KEYS_OPEN_TEXT(d, actx, STORE_COL_CLIENT_NAME, row->pid, row->name, out->name);
    rc =
        rc ? rc : KEYS_OPEN_TEXT(d, actx, STORE_COL_CLIENT_PHONE, row->pid, row->phone, out->phone);
    if (rc) {
        sec_memzero(out, sizeof(*out));
    }
    return rc;
}

enum err dossier_client_reveal(struct store_conn *c, struct audit_ctx *actx,
                               const struct client_row *row, struct client_plain *out)
{
    struct keys_dek dek;
    enum err rc = keys_dek_load(actx->keys, c, actx, row->id, row->pid, &dek);

    memset(out, 0, sizeof(*out));
    rc = rc ? rc : client_open_fields(&dek, actx, row, out);
    keys_dek_release(&dek);
    return rc;
}

static bool pid_shape_ok(const char *pid)
{
    unsigned char raw[16];
    return pid && str_unhex(pid, strlen(pid), raw, sizeof(raw)) == ERR_OK;
}

enum err dossier_client_check(struct store_conn *c, struct audit_ctx *actx,
                              const struct principal *who, const char *pid, uint32_t wanted,
                              const char *object, struct client_row *out, uint32_t *effective)
{
    uint32_t granted = 0;
    enum err rc = pid_shape_ok(pid) ? store_client_by_pid(c, pid, out) : ERR_NOT_FOUND;

    if (!rc) {
        rc = store_grant_active_scopes(c, out->id, who->org_id, clock_now_ms(), &granted);
        if (!rc &&
            !consent_decide(who->role, who->client_id == out->id, granted, wanted, effective)) {
            rc = ERR_NOT_FOUND;
        }
    }
    if (rc == ERR_NOT_FOUND) {
        audit_note_denial(actx, pid_shape_ok(pid) ? pid : NULL, "access_denied", object);
    }
    return rc;
}

enum err dossier_client_open(struct store_conn *c, struct audit_ctx *actx,
                             const struct principal *who, const char *pid, uint32_t wanted,
                             const char *action, const char *object, struct client_row *out,
                             uint32_t *effective)
{
    struct audit_event ev = {pid, action, object, pid, "success"};
    enum err rc = dossier_client_check(c, actx, who, pid, wanted, object, out, effective);
    return rc ? rc : audit_log(c, actx, &ev);
}

enum err dossier_client_list(struct store_conn *c, struct audit_ctx *actx,
                             const struct principal *who, store_client_fn fn, void *ctx)
{
    struct audit_event ev = {NULL, "list", "client", NULL, "success"};
    enum err rc;

    if (consent_role_ceiling(who->role) == 0) {
        return ERR_FORBIDDEN;
    }
    rc = store_client_each_for_org(c, who->org_id, clock_now_ms(), 500, fn, ctx);
    if (!rc) {
        rc = audit_log(c, actx, &ev);
    }
    return rc;
}
