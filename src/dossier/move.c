/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * A client moves within the installation (docs/dossier.md §5, docs/referrals.md §6): the dossier
 * stays, the client's phase, location and region change, and the move is kept for the timeline.
 * Also the pieces of the new partners' proposal that need the dossier: which account
 * organisation handles a map service, whether it already has access, and what to ask for it.
 */
#include "core/compat.h"

#include "core/clock.h"
#include "core/sec.h"
#include "core/str.h"
#include "dossier/dossier.h"

bool dossier_move_role(enum role r)
{
    switch (r) {
    case ROLE_COA_STAFF:
    case ROLE_KLANTMANAGER:
    case ROLE_WIJKTEAM:
    case ROLE_COORDINATOR:
    case ROLE_HEALTH_STAFF:
    case ROLE_GP:
    case ROLE_POH_GGZ:
    case ROLE_GGZ:
        return true;
    default: /* volunteers and keypersons tell the professionals; clients, analysts, admins */
        return false;
    }
}

static bool text_ok(const char *s, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    return n >= 1 && n <= max && str_is_clean_utf8(s, n, false);
}

static void move_validate(struct store_conn *c, const struct client_row *cl, const char *region,
                          const struct move_input *in, struct verr *v)
{
    bool known = false;

    if (!in->phase || (strcmp(in->phase, "coa") && strcmp(in->phase, "municipality"))) {
        verr_add(v, "/phase", "must be coa or municipality");
    }
    if (!text_ok(in->location, STORE_LOCATION_MAX)) {
        verr_add(v, "/location", "must be 1 to 120 characters: a place, not an address");
    }
    if (in->region && (!text_ok(in->region, STORE_REGION_MAX) ||
                       store_region_known(c, in->region, &known) || !known)) {
        verr_add(v, "/region", "must be a region where an organisation works");
    }
    if (!v->n && !strcmp(in->phase, cl->phase) && !strcasecmp(in->location, cl->location) &&
        (!in->region || !strcmp(in->region, region))) {
        verr_add(v, "/location", "is where the client lives now");
    }
}

static void move_fill(struct client_move_row *m, const struct principal *who,
                      const struct client_row *cl, const char *region, const struct move_input *in)
{
    memset(m, 0, sizeof(*m));
    sec_random_hex(16, m->uid);
    m->client_id = cl->id;
    snprintf(m->from_phase, sizeof(m->from_phase), "%s", cl->phase);
    snprintf(m->from_location, sizeof(m->from_location), "%s", cl->location);
    snprintf(m->from_region, sizeof(m->from_region), "%s", region);
    snprintf(m->to_phase, sizeof(m->to_phase), "%s", in->phase);
    snprintf(m->to_location, sizeof(m->to_location), "%s", in->location);
    snprintf(m->to_region, sizeof(m->to_region), "%s", in->region ? in->region : region);
    snprintf(m->to_area, sizeof(m->to_area), "%s", in->area ? in->area : "");
    memcpy(m->by_user, who->user_uid, sizeof(m->by_user));
    snprintf(m->by_role, sizeof(m->by_role), "%s", acct_role_name(who->role));
    m->by_org = who->org_id;
    m->at = clock_now_ms();
}

enum err dossier_client_move(struct store_conn *c, struct audit_ctx *actx,
                             const struct principal *who, const char *pid,
                             const struct move_input *in, struct verr *v,
                             struct client_move_row *out, uint32_t *effective)
{
    struct client_row cl;
    struct audit_event ev = {pid, "update", "client_move", NULL, "success"};
    char region[STORE_REGION_MAX + 1];
    enum err rc = dossier_client_check(c, actx, who, pid, SCOPE_ANY, "client_move", &cl, effective);

    if (!rc && !(*effective & (SCOPE_SIGNAL | SCOPE_REFERRAL))) {
        audit_note_denial(actx, pid, "access_denied", "client_move");
        rc = ERR_NOT_FOUND;
    }
    if (!rc && !dossier_move_role(who->role)) {
        audit_note_denial(actx, pid, "access_denied", "client_move");
        rc = ERR_FORBIDDEN;
    }
    rc = rc ? rc : store_client_region(c, cl.id, region);
    if (rc) {
        return rc;
    }
    move_validate(c, &cl, region, in, v);
    if (v->n) {
        return ERR_INVALID;
    }
    move_fill(out, who, &cl, region, in);
    rc = store_client_move(c, out);
    ev.object_id = out->uid;
    return rc ? rc : audit_log(c, actx, &ev);
}

enum err dossier_move_list(struct store_conn *c, struct audit_ctx *actx,
                           const struct principal *who, const char *pid, store_client_move_fn fn,
                           void *ctx)
{
    struct client_row cl;
    uint32_t eff;
    enum err rc =
        dossier_client_open(c, actx, who, pid, SCOPE_ANY, "read", "client_move", &cl, &eff);
    return rc ? rc : store_client_move_each(c, cl.id, fn, ctx);
}

uint32_t dossier_move_scopes(const char *kind, enum role asker)
{
    static const char *const plan_kinds[] = {"municipality", "district_team"};
    static const char *const no_care[] = {"platform", "client_accounts", "coordination"};
    uint32_t s = SCOPE_REFERRAL | SCOPE_SIGNAL;

    for (size_t i = 0; i < ARRAY_SIZE(no_care); i++) {
        if (!strcmp(kind, no_care[i])) {
            return 0;
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(plan_kinds); i++) {
        if (!strcmp(kind, plan_kinds[i])) {
            s |= SCOPE_PLAN;
        }
    }
    s &= consent_role_ceiling(asker);
    return (s & SCOPE_REFERRAL) ? s : 0; /* without referral the partner cannot be referred to */
}

enum err dossier_move_partner(struct store_conn *c, int64_t client_id, const char *service_id,
                              struct move_partner *out)
{
    char map_org[STORE_MAP_ID_MAX + 1];
    int64_t org_id = 0;
    uint32_t granted = 0;
    enum err rc;

    memset(out, 0, sizeof(*out));
    rc = store_referral_service(c, service_id, out->level, out->service_name, map_org);
    rc = rc ? rc : store_map_org_account_find(c, map_org, &org_id);
    rc = rc ? rc : store_org_by_id(c, org_id, &out->org);
    rc = rc ? rc : store_grant_active_scopes(c, client_id, org_id, clock_now_ms(), &granted);
    out->granted = granted != 0;
    return rc;
}
