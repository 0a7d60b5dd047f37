/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Seeds the fictional demo region "Veerhaven" with organisations, accounts, two clients and the
 * social map (data/social-map/demo-veerhaven.json, embedded), and one referral in flight: the
 * volunteer referred the second client to POH-GGZ De Linde with the client's verbal consent, sent
 * three working days before today and not yet received, so the GP practice's inbox holds it and it
 * is overdue on the volunteer's and the coordinator's worklists (demo_referral()).
 */
#include "core/compat.h"

#include "accounts/accounts.h"
#include "audit/audit.h"
#include "core/clock.h"
#include "core/embed.h"
#include "core/log.h"
#include "demo/demo.h"
#include "directory/directory.h"
#include "dossier/dossier.h"
#include "referral/referral.h"
#include "screening/screening.h"

#define REGION "Regio Veerhaven"

struct demo_org {
    const char *name;
    const char *kind;
};

static const struct demo_org demo_orgs[] = {
    {"Vluchtelingenwerk Veerhaven (fictief)", "volunteer_org"},
    {"AZC Veerhaven (COA, fictief)", "reception_centre"},
    {"Gezondheidspost AZC Veerhaven (fictief)", "reception_health"},
    {"Huisartsenpraktijk De Linde (fictief)", "gp_practice"},
    {"Basis-GGZ Veerhaven (fictief)", "basic_ggz"},
    {"GGZ Specialistisch Lindedal (fictief)", "specialist_ggz"},
    {"Gemeente Veerhaven, Werk en Inkomen (fictief)", "municipality"},
    {"Gemeente Lindedal, Werk en Inkomen (fictief)", "municipality"},
    {"Wijkteam Lindedal (fictief)", "district_team"},
    {"JGZ Veerhaven (fictief)", "youth_health"},
    {"Regiocoördinatie Veerhaven (fictief)", "coordination"},
    {"Veerkracht beheer (fictief)", "platform"},
    {"Cliëntaccounts Veerhaven", "client_accounts"},
};

struct demo_user {
    enum role role;
    int org; /* index in demo_orgs */
};

static const struct demo_user demo_users[] = {
    {ROLE_VOLUNTEER, 0}, {ROLE_KEYPERSON, 0},    {ROLE_COA_STAFF, 1}, {ROLE_HEALTH_STAFF, 2},
    {ROLE_GP, 3},        {ROLE_POH_GGZ, 3},      {ROLE_GGZ, 4},       {ROLE_KLANTMANAGER, 6},
    {ROLE_WIJKTEAM, 8},  {ROLE_COORDINATOR, 10}, {ROLE_ANALYST, 10},  {ROLE_ADMIN, 11},
    {ROLE_CLIENT, 12},
};

static enum err demo_add_orgs(struct store_conn *c)
{
    for (size_t i = 0; i < ARRAY_SIZE(demo_orgs); i++) {
        struct org_row o;
        enum err rc;
        memset(&o, 0, sizeof(o));
        sec_random_hex(16, o.uid);
        snprintf(o.name, sizeof(o.name), "%s", demo_orgs[i].name);
        snprintf(o.kind, sizeof(o.kind), "%s", demo_orgs[i].kind);
        snprintf(o.region, sizeof(o.region), "%s", REGION);
        rc = store_org_insert(c, &o);
        if (rc) {
            return rc;
        }
    }
    return ERR_OK;
}

static enum err demo_add_user(struct store_conn *c, const struct demo_user *du, int64_t client_id,
                              struct user_row *out)
{
    char email[80];
    const char *why;
    struct acct_new_user nu = {
        demo_orgs[du->org].name, demo_orgs[du->org].kind, REGION,   du->role, email,
        DEMO_PASSWORD,           strlen(DEMO_PASSWORD),   client_id};
    enum err rc;

    snprintf(email, sizeof(email), "%s@demo.example", acct_role_name(du->role));
    rc = acct_user_add(c, &nu, out, &why);
    if (rc) {
        log_error("msg=\"demo user failed\" role=%s why=\"%s\"", acct_role_name(du->role),
                  why ? why : err_name(rc));
    }
    return rc;
}

/* A medium adult signal for the first client: five complaints, some strengths and stressors. */
static enum err demo_screening(struct store_conn *c, struct audit_ctx *actx,
                               const struct principal *who, const struct screen_registry *reg,
                               const char *pid)
{
    static const char *const yes[] = {"sleep",    "nightmares",    "headache",
                                      "memories", "concentration", "trust",
                                      "hope",     "housing",       "family"};
    const struct screen_instrument *in = screen_registry_find(reg, "vk-signal-adult", NULL);
    struct screen_submission sub = {"vk-signal-adult", NULL, "ar", "client", NULL};
    struct verr v = {0};
    json_t *out = NULL;
    enum err rc;

    if (!in) {
        return ERR_OK; /* a registry without the shipped adult signal: nothing to show */
    }
    sub.version = in->version;
    sub.answers = json_object();
    for (int i = 0; i < in->n_items; i++) {
        json_object_set_new(sub.answers, in->items[i].id, json_integer(0));
    }
    for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
        json_object_set_new(sub.answers, yes[i], json_integer(1));
    }
    rc = screen_submit(c, actx, who, reg, pid, &sub, &v, &out);
    json_decref(out);
    json_decref(sub.answers);
    return rc;
}

/* An open red flag with one recorded action, so that the coordinator's worklist shows one. */
static enum err demo_flag(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                          const char *pid)
{
    struct verr v = {0};
    json_t *flag = NULL, *after = NULL;
    enum err rc = screen_flag_raise(c, actx, who, pid, "suicide", NULL,
                                    "Demo: zorgen over de veiligheid (fictief)", &v, &flag);
    if (!rc) {
        rc = screen_flag_action(c, actx, who, json_string_value(json_object_get(flag, "id")),
                                "stayed_with_person", "Demo: gebleven, huisarts gebeld (fictief)",
                                &v, &after);
    }
    json_decref(flag);
    json_decref(after);
    return rc;
}

/* The demo volunteer as the acting principal, with an audit context that points into *who
 * (so *who must outlive *actx's use) and unwraps client keys with keys. */
static enum err demo_volunteer(struct store_conn *c, const struct user_row *vol,
                               const struct keyring *keys, struct principal *who,
                               struct audit_ctx *actx)
{
    struct org_row org;
    enum err rc = store_org_by_id(c, vol->org_id, &org);

    memset(who, 0, sizeof(*who));
    memset(actx, 0, sizeof(*actx));
    if (rc) {
        return rc;
    }
    memcpy(who->user_uid, vol->uid, sizeof(vol->uid));
    who->user_id = vol->id;
    who->role = ROLE_VOLUNTEER;
    who->org_id = vol->org_id;
    memcpy(who->org_uid, org.uid, sizeof(org.uid));
    actx->user_uid = who->user_uid;
    actx->role = "volunteer";
    actx->org_uid = who->org_uid;
    actx->source_addr = "demo-seed";
    actx->keys = keys; /* the clients' data keys are wrapped by it */
    return ERR_OK;
}

/* Two clients registered by the demo volunteer, so that the caseload is not empty, with a
 * screening and an open red flag. Their pseudonyms go to pids[0] and pids[1]. */
static enum err demo_add_clients(struct store_conn *c, const struct screen_registry *reg,
                                 const struct keyring *keys, const struct user_row *vol,
                                 int64_t *first_id, char pids[2][STORE_UID_LEN + 1])
{
    static const struct client_input clients[] = {
        {1994, "female", "SY", "ar", "coa", "AZC Veerhaven", RISK_SINGLE_PARENT, NULL, NULL},
        {2006, "male", "ER", "ti", "municipality", "Lindedal", RISK_EX_AMV, NULL, NULL},
    };
    struct principal who;
    struct audit_ctx actx;
    enum err rc = demo_volunteer(c, vol, keys, &who, &actx);

    for (size_t i = 0; !rc && i < ARRAY_SIZE(clients); i++) {
        struct verr v = {0};
        struct client_row row;
        rc = dossier_client_create(c, &actx, &who, &clients[i], &v, &row);
        if (!rc) {
            memcpy(pids[i], row.pid, sizeof(row.pid));
        }
        if (!rc && i == 0) {
            *first_id = row.id;
            rc = demo_screening(c, &actx, &who, reg, row.pid);
        } else if (!rc) {
            rc = demo_flag(c, &actx, &who, row.pid);
        }
    }
    return rc;
}

/* ---- the social map ------------------------------------------------------------------------ */

#define DEMO_MAP_FILE "social-map/demo-veerhaven.json"
#define DEMO_MAP_DAY  "2026-11-22" /* the file's dates are relative to this day */
#define DAY_MS        86400000LL

/* Moves a YYYY-MM-DD string member of obj by `days`; other values are left alone. */
static void shift_date(json_t *obj, const char *key, int64_t days)
{
    const char *s = json_string_value(json_object_get(obj, key));
    char iso[32];
    int64_t ms;

    if (!s || strlen(s) != 10 || clock_parse_iso(s, &ms)) {
        return;
    }
    clock_fmt_iso(ms + days * DAY_MS, iso, sizeof(iso));
    iso[10] = '\0';
    json_object_set_new(obj, key, json_string(iso));
}

/*
 * Keeps the demo realistic over time: every assured_date and capacity.updated value moves by
 * the days since DEMO_MAP_DAY, so the entries older than six months stay the same ones.
 */
static void demo_map_shift(json_t *pkg)
{
    int64_t day0 = 0, days;
    json_t *service, *attr;
    size_t i, j;

    clock_parse_iso(DEMO_MAP_DAY, &day0);
    days = clock_now_ms() / DAY_MS - day0 / DAY_MS;
    json_array_foreach(pkg, i, service)
    {
        shift_date(service, "assured_date", days);
        json_array_foreach(json_object_get(service, "attributes"), j, attr)
        {
            const char *type = json_string_value(json_object_get(attr, "link_type"));
            if (type && !strcmp(type, "capacity")) {
                shift_date(attr, "value", days); /* only capacity.updated holds a date */
            }
        }
    }
}

static enum err demo_map_areas(struct store_conn *c, const struct audit_ctx *actx)
{
    static const char *const areas[][4] = {
        {"urn:veerkracht:area:nl", "Nederland", "national", NULL},
        {"urn:veerkracht:demo:gemeente:veerhaven", "Veerhaven", "municipality", NULL},
        {"urn:veerkracht:demo:gemeente:lindedal", "Lindedal", "municipality", NULL},
        {"urn:veerkracht:demo:coa-locatie:azc-veerhaven", "AZC Veerhaven", "coa_location",
         "urn:veerkracht:demo:gemeente:veerhaven"},
    };
    enum err rc = ERR_OK;
    for (size_t i = 0; !rc && i < ARRAY_SIZE(areas); i++) {
        const char *why = NULL;
        rc = dir_area_set(c, actx, areas[i][0], areas[i][1], areas[i][2], areas[i][3], &why);
        if (rc) {
            log_error("msg=\"demo area failed\" uri=%s why=\"%s\"", areas[i][0],
                      why ? why : err_name(rc));
        }
    }
    return rc;
}

/* Loads the embedded demo map for REGION, so that the demo coordinator can edit it. */
static enum err demo_map(struct store_conn *c)
{
    const struct embed_file *f =
        embed_find(data_files, data_files_count, DEMO_MAP_FILE, strlen(DEMO_MAP_FILE));
    struct audit_ctx actx = {0};
    struct dir_import_stats stats;
    struct verr v = {0};
    json_t *pkg;
    enum err rc;

    if (!f) {
        return ERR_OK; /* a build without the demo map: nothing to show */
    }
    pkg = json_loadb((const char *)f->data, f->len, JSON_REJECT_DUPLICATES, NULL);
    if (!pkg) {
        return ERR_INTERNAL;
    }
    actx.role = "demo";
    actx.source_addr = "demo-seed";
    demo_map_shift(pkg);
    rc = hsds_check_package(pkg, &v);
    if (rc) {
        log_error("msg=\"demo map invalid\" problems=%zu first=\"%s: %s\"", v.n,
                  v.n ? v.items[0].pointer : "", v.n ? v.items[0].detail : err_name(rc));
    }
    rc = rc ? rc : dir_import(c, &actx, pkg, REGION, NULL, NULL, &stats);
    rc = rc ? rc : demo_map_areas(c, &actx);
    json_decref(pkg);
    return rc;
}

/* Which account organisation receives referrals to the services of a map organisation
 * (docs/referrals.md): the demo's own organisations, by the HSDS ids of the demo map. */
static enum err demo_map_accounts(struct store_conn *c)
{
    static const struct {
        const char *hsds_id;
        const char *org;
    } links[] = {
        {"3447754c-beff-5634-97be-77efb6df96a2", "Huisartsenpraktijk De Linde (fictief)"},
        {"298e99be-5f78-5c4d-a044-69272167afbb", "Basis-GGZ Veerhaven (fictief)"},
        {"2d64eee8-ee9b-5a6d-9893-79e21e1a0516", "GGZ Specialistisch Lindedal (fictief)"},
        {"0cb599a4-e7a1-5ba4-9fe1-ac3159cd2036", "Gezondheidspost AZC Veerhaven (fictief)"},
        {"7c77129a-fa56-59d3-b576-72b0751a748c", "Vluchtelingenwerk Veerhaven (fictief)"},
        {"5e8f00e9-194b-5bbc-aa8c-958c4ca24a60", "Wijkteam Lindedal (fictief)"},
        {"39271e33-3138-5f87-9007-421b7f05f9ea", "JGZ Veerhaven (fictief)"},
    };
    enum err rc = ERR_OK;
    for (size_t i = 0; !rc && i < ARRAY_SIZE(links); i++) {
        struct org_row o;
        rc = store_org_by_name(c, links[i].org, &o);
        rc = rc ? rc : store_map_org_account_put(c, links[i].hsds_id, o.id);
    }
    return rc;
}

/* ---- a referral in flight ------------------------------------------------------------------ */

#define DEMO_REF_SERVICE      "302b670b-0e4f-5c1f-a377-a0a9e3208ab9" /* POH-GGZ De Linde (L1) */
#define DEMO_REF_CONSENT_DAYS 90 /* as the route map's refer button (web/js/views/route.js) */

/* Whether demo_seed() made the referral (for demo_print_logins()). */
static bool demo_ref_made;

/*
 * The latest moment a whole day before now from which the referral module's own calendar counts
 * more than REF_RECEIVE_WORKING_DAYS working days to now: a referral sent then is overdue as
 * "not received" today (3 to 5 calendar days back, under the L1 first-contact target of 7).
 */
static int64_t demo_sent_at(int64_t now)
{
    int64_t t = now - DAY_MS;
    for (int i = 0; i < 7 && ref_add_working_days(t, REF_RECEIVE_WORKING_DAYS + 1) > now; i++) {
        t -= DAY_MS;
    }
    return t;
}

/*
 * The second client (Tigrinya, Lindedal, open red flag) referred by the volunteer to POH-GGZ De
 * Linde, as the route map's refer button does it: signal shared, the client's verbal consent for
 * the practice recorded with the referral, sent. ref_create() takes the moment as a parameter, so
 * the referral is created and sent at demo_sent_at() (its grant and audit rows carry the seeding
 * time). No advice is linked: for a red flag without a screening the route map advises crisis
 * only (docs/routing.md), and the POH-GGZ is the follow-up the volunteer arranged after it.
 */
static enum err demo_referral(struct store_conn *c, const struct user_row *vol,
                              const struct keyring *keys, const char *pid)
{
    struct ref_input in = {0};
    struct principal who;
    struct audit_ctx actx;
    struct verr v = {0};
    char why[300] = "";
    json_t *out = NULL;
    enum err rc = demo_volunteer(c, vol, keys, &who, &actx);

    in.client_pid = pid;
    in.service_id = DEMO_REF_SERVICE;
    in.scopes = SCOPE_SIGNAL;
    in.handover_note = "Demo (fictief): jonge man, sinds kort in Lindedal. Slaapt slecht en "
                       "maakt zich veel zorgen om zijn familie. Na een zorgelijk gesprek is de "
                       "huisarts gebeld. Hij wil graag praten met de POH-GGZ. Hij weet wat we "
                       "delen. Tolk Tigrinya nodig.";
    in.interpreter = true;
    in.interpreter_language = "ti";
    in.send = true;
    in.consent_days = DEMO_REF_CONSENT_DAYS;
    rc = rc ? rc
            : ref_create(c, &actx, &who, &in, demo_sent_at(clock_now_ms()), &v, why, sizeof(why),
                         &out);
    if (rc) {
        log_error("msg=\"demo referral failed\" rc=%s why=\"%s\" first=\"%s: %s\"", err_name(rc),
                  why, v.n ? v.items[0].pointer : "", v.n ? v.items[0].detail : "");
    }
    demo_ref_made = !rc;
    json_decref(out);
    return rc;
}

static enum err demo_fill(struct store_conn *c, const struct screen_registry *reg,
                          const struct keyring *keys)
{
    struct user_row vol = {0}, u;
    char pids[2][STORE_UID_LEN + 1] = {"", ""};
    int64_t client_id = 0;
    enum err rc = store_wipe(c);

    if (!rc) {
        rc = store_map_wipe(c);
    }
    if (!rc) {
        rc = demo_add_orgs(c);
    }
    for (size_t i = 0; !rc && i < ARRAY_SIZE(demo_users); i++) {
        if (demo_users[i].role == ROLE_CLIENT) {
            if (!vol.id) {
                BUG("demo_users lists the client before the volunteer who registers it");
            }
            rc = demo_add_clients(c, reg, keys, &vol, &client_id, pids);
            if (rc) {
                break;
            }
        }
        rc = demo_add_user(c, &demo_users[i], demo_users[i].role == ROLE_CLIENT ? client_id : 0,
                           demo_users[i].role == ROLE_VOLUNTEER ? &vol : &u);
    }
    rc = rc ? rc : demo_map(c);
    rc = rc ? rc : demo_map_accounts(c);
    return rc ? rc : demo_referral(c, &vol, keys, pids[1]); /* needs the map and its accounts */
}

/* The demo client's login card, shown once by demo_print_logins(). */
static char demo_card[ACCT_CARD_DISPLAY_CHARS + 1];

/* Client accounts log in with a card only: the volunteer who registered the demo client issues
 * one; the PIN is chosen at the first login. */
static enum err demo_client_card(struct store_conn *c)
{
    struct audit_ctx actx = {0};
    struct principal by = {0};
    struct user_row vol, cu;
    struct client_row client;
    char code[ACCT_CARD_CODE_CHARS + 1];
    enum err rc = store_user_by_email(c, "volunteer@demo.example", &vol);

    rc = rc ? rc : store_user_by_email(c, "client@demo.example", &cu);
    rc = rc ? rc : store_client_by_id(c, cu.client_id, &client);
    if (rc) {
        return rc;
    }
    memcpy(by.user_uid, vol.uid, sizeof(by.user_uid));
    actx.user_uid = vol.uid;
    actx.role = "demo";
    actx.source_addr = "demo-seed";
    rc = acct_card_issue(c, &actx, &by, client.id, client.pid, code);
    if (!rc) {
        acct_card_code_display(code, demo_card);
    }
    return rc;
}

enum err demo_seed(struct store_conn *c, const struct screen_registry *reg,
                   const struct keyring *keys)
{
    enum err rc = store_begin(c, true);
    if (rc) {
        return rc;
    }
    rc = demo_fill(c, reg, keys);
    rc = rc ? rc : demo_client_card(c);
    if (!rc) {
        rc = store_commit(c);
    }
    if (rc) {
        store_rollback(c);
        demo_ref_made = false;
    }
    return rc;
}

void demo_print_logins(FILE *f)
{
    fprintf(f, "Demo logins (password for all: %s):\n", DEMO_PASSWORD);
    for (size_t i = 0; i < ARRAY_SIZE(demo_users); i++) {
        if (demo_users[i].role == ROLE_CLIENT && demo_card[0]) {
            fprintf(f, "  %-13s login card %s, PIN chosen at the first login  (%s)\n",
                    acct_role_name(ROLE_CLIENT), demo_card, demo_orgs[demo_users[i].org].name);
            continue;
        }
        fprintf(f, "  %-13s %s@demo.example  (%s)\n", acct_role_name(demo_users[i].role),
                acct_role_name(demo_users[i].role), demo_orgs[demo_users[i].org].name);
    }
    if (demo_ref_made) {
        fprintf(f, "POH-GGZ inbox: 1 referral from the volunteer, not received yet (overdue)\n");
    }
}
