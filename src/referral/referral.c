/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Referrals on storage: creating one behind the consent check of both sides, moving it through
 * the state machine, the client's answer, the inboxes, the client's timeline and the overdue
 * part of the worklist. Every step writes one audit row in the caller's transaction.
 */
#include "core/compat.h"

#include "core/clock.h"
#include "core/sec.h"
#include "core/str.h"
#include "dossier/dossier.h"
#include "referral/referral.h"
#include "routing/routing.h"

#define WHY(...) snprintf(why, why_size, __VA_ARGS__)

/* ---- small helpers ----------------------------------------------------------------------------
 */

static bool text_ok(const char *s, size_t min, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    return n >= min && n <= max && (!n || str_is_clean_utf8(s, n, true));
}

static bool mode_ok(const char *m)
{
    return m && (!strcmp(m, "in_person") || !strcmp(m, "phone"));
}

static json_t *iso_or_null(int64_t ms)
{
    char buf[40];
    return ms ? json_string(clock_fmt_iso(ms, buf, sizeof(buf))) : json_null();
}

static json_t *str_or_null(const char *s)
{
    return s && s[0] ? json_string(s) : json_null();
}

static json_t *org_json(struct store_conn *c, int64_t id)
{
    struct org_row o;
    if (store_org_by_id(c, id, &o)) {
        return json_null();
    }
    return json_pack("{s:s, s:s}", "id", o.uid, "name", o.name);
}

static json_t *scopes_json(uint32_t scopes)
{
    json_t *a = json_array();
    for (int i = 0; i < SCOPE_COUNT; i++) {
        if (scopes & (1u << i)) {
            json_array_append_new(a, json_string(consent_scope_name(1u << i)));
        }
    }
    return a;
}

static void scopes_text(uint32_t scopes, char *out, size_t size)
{
    out[0] = '\0';
    for (int i = 0; i < SCOPE_COUNT; i++) {
        if (scopes & (1u << i)) {
            size_t n = strlen(out);
            snprintf(out + n, size - n, "%s%s", n ? ", " : "", consent_scope_name(1u << i));
        }
    }
}

static const char *age_group(int64_t year_of_birth, int64_t now)
{
    static const struct {
        int64_t max;
        const char *name;
    } bands[] = {{3, "0_3"}, {11, "4_11"}, {17, "12_17"}, {26, "18_26"}, {64, "27_64"}};
    char iso[40];
    int64_t year = 0, age;
    clock_fmt_iso(now, iso, sizeof(iso));
    if (str_parse_i64(iso, 4, 1900, 9999, &year)) {
        return "unknown";
    }
    age = year - year_of_birth;
    for (size_t i = 0; i < ARRAY_SIZE(bands); i++) {
        if (age <= bands[i].max) {
            return bands[i].name;
        }
    }
    return "65_plus";
}

static unsigned side_of(const struct principal *who, const struct referral_row *r)
{
    unsigned s = 0;
    if (who->role == ROLE_CLIENT) {
        return 0;
    }
    if (who->org_id == r->from_org) {
        s |= REF_SIDE_SENDER;
    }
    if (who->org_id == r->to_org) {
        s |= REF_SIDE_RECEIVER;
    }
    return s;
}

/*
 * First-contact targets per level: one source, the active route-map rules (`targets_days` of
 * data/routing/); a level the rule file leaves out keeps the default.
 */
static void targets_load(int days[REF_LEVEL_COUNT])
{
    static const int defaults[REF_LEVEL_COUNT] = {14, 7, 42, 70, 0};
    const struct route_rules *rules = route_active();
    for (int l = 0; l < REF_LEVEL_COUNT; l++) {
        int rl = route_level_parse(ref_level_name((enum ref_level)l));
        days[l] = defaults[l];
        if (rules && rl >= 0 && rl < RL_COUNT && rules->targets_days[rl] >= 0) {
            days[l] = rules->targets_days[rl];
        }
    }
}

static void overdue_of(const struct referral_row *r, const int days[REF_LEVEL_COUNT], int64_t now,
                       struct ref_overdue *od)
{
    enum ref_state s = REF_DRAFT;
    enum ref_level l = REF_L0;
    (void)ref_state_parse(r->state, &s);
    (void)ref_level_parse(r->level, &l);
    ref_overdue_compute(s, l, r->sent_at, days, now, od);
}

/* ---- JSON -------------------------------------------------------------------------------------
 */

/* The referral's sealed free text, opened. */
struct ref_plain {
    char handover_note[STORE_NOTE_MAX + 1];
    char contact_with[STORE_REF_CONTACT_WITH_MAX + 1];
};

struct ev_ctx {
    struct store_conn *c;
    struct audit_ctx *actx;
    const struct keys_dek *dek; /* NULL when notes are not shown */
    json_t *items;
    bool notes;
};

static enum err event_json(const struct referral_event_row *e, void *ctx)
{
    struct ev_ctx *ec = ctx;
    char note[STORE_NOTE_MAX + 1] = "";
    json_t *j;
    enum err rc = ec->notes ? KEYS_OPEN_TEXT(ec->dek, ec->actx, STORE_COL_REFERRAL_EVENT_NOTE,
                                             e->uid, e->note, note)
                            : ERR_OK;

    if (rc) {
        return rc;
    }
    j = json_pack("{s:s, s:o, s:s, s:o, s:o, s:o, s:o}", "kind", e->kind, "from",
                  str_or_null(e->from_state), "to", e->to_state, "reason", str_or_null(e->reason),
                  "at", iso_or_null(e->at), "by",
                  json_pack("{s:s, s:o}", "role", e->by_role, "org", org_json(ec->c, e->by_org)),
                  "note", ec->notes ? str_or_null(note) : json_null());
    sec_memzero(note, sizeof(note));
    json_array_append_new(ec->items, j);
    return ERR_OK;
}

static json_t *contact_json(const struct referral_row *r, const struct ref_plain *p)
{
    if (!r->contact_mode[0]) {
        return json_null();
    }
    return json_pack("{s:s, s:o, s:s, s:b}", "with", p->contact_with, "at",
                     iso_or_null(r->contact_at), "mode", r->contact_mode, "interpreter",
                     r->contact_interpreter);
}

static json_t *allowed_json(const struct referral_row *r, unsigned sides)
{
    json_t *a = json_array();
    enum ref_state from;
    if (ref_state_parse(r->state, &from)) {
        return a;
    }
    for (int to = 0; to < REF__COUNT; to++) {
        if (ref_transition_sides(from, (enum ref_state)to) & sides) {
            json_array_append_new(a, json_string(ref_state_name((enum ref_state)to)));
        }
    }
    return a;
}

struct view {
    unsigned sides;
    bool notes;  /* free text (handover note, event notes) may be shown */
    bool events; /* include the transitions */
    const struct client_row *client;
    int64_t org; /* the caller's organisation; 0 for a client, who sees every link */
};

static int64_t view_org(const struct principal *who)
{
    return who->role == ROLE_CLIENT ? 0 : who->org_id;
}

/* Whether the caller (org; 0 for the client) is party to the linked referral and may see it. */
static bool link_visible(const struct referral_link *l, int64_t org)
{
    return l->uid[0] && (!org || org == l->from_org || org == l->to_org);
}

/* A re-referral link: its id, when the caller (org) is party to that referral too. */
static json_t *link_json(const struct referral_link *l, int64_t org)
{
    return link_visible(l, org) ? json_string(l->uid) : json_null();
}

/* The JSON of a referral whose sealed text p holds, opened (the notes only when vw->notes). */
static json_t *ref_json_build(struct store_conn *c, const struct referral_row *r,
                              const struct view *vw, const struct ref_plain *p, int64_t now)
{
    int days[REF_LEVEL_COUNT];
    struct ref_overdue od;
    json_t *j;

    targets_load(days);
    overdue_of(r, days, now, &od);
    j = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:o, s:o, s:o, s:o, s:b, s:o, s:o, s:o}",
                  "id", r->uid, "client_id", r->client_pid, "state", r->state, "level", r->level,
                  "service", "id", r->to_service, "name", r->to_service_name, "from",
                  org_json(c, r->from_org), "to", org_json(c, r->to_org), "advice_id",
                  str_or_null(r->advice_id), "scopes", scopes_json(r->scopes), "interpreter",
                  r->interpreter, "interpreter_language", str_or_null(r->interpreter_lang),
                  "joint_contact", contact_json(r, p), "reason", str_or_null(r->reason));
    if (!j) {
        return NULL;
    }
    json_object_set_new(j, "waitlist_weeks",
                        r->waitlist_weeks ? json_integer(r->waitlist_weeks) : json_null());
    json_object_set_new(j, "needs_new_offer", json_boolean(r->needs_new_offer));
    json_object_set_new(j, "client_answer", str_or_null(r->client_answer));
    json_object_set_new(j, "created_at", iso_or_null(r->created_at));
    json_object_set_new(j, "sent_at", iso_or_null(r->sent_at));
    json_object_set_new(j, "due_at", iso_or_null(od.due_at));
    json_object_set_new(j, "overdue", json_boolean(od.why != REF_ON_TIME));
    json_object_set_new(j, "overdue_reason",
                        od.why != REF_ON_TIME ? json_string(ref_overdue_name(od.why))
                                              : json_null());
    json_object_set_new(j, "handover_note",
                        vw->notes ? str_or_null(p->handover_note) : json_null());
    json_object_set_new(j, "allowed_transitions", allowed_json(r, vw->sides));
    json_object_set_new(j, "replaces", link_json(&r->replaces, vw->org));
    json_object_set_new(j, "replaced_by", link_json(&r->replaced_by, vw->org));
    if (vw->client) {
        json_object_set_new(j, "client",
                            json_pack("{s:s, s:s, s:s}", "pseudonym", vw->client->pid, "age_group",
                                      age_group(vw->client->year_of_birth, now), "language",
                                      vw->client->language));
    }
    return j;
}

static enum err plain_open(const struct keys_dek *dek, struct audit_ctx *actx,
                           const struct referral_row *r, bool notes, struct ref_plain *p)
{
    enum err rc = KEYS_OPEN_TEXT(dek, actx, STORE_COL_REFERRAL_CONTACT_WITH, r->uid,
                                 r->contact_with, p->contact_with);
    p->handover_note[0] = '\0';
    if (!rc && notes) {
        rc = KEYS_OPEN_TEXT(dek, actx, STORE_COL_REFERRAL_HANDOVER_NOTE, r->uid, r->handover_note,
                            p->handover_note);
    }
    return rc;
}

/*
 * The JSON of a referral as vw allows. Sealed text is opened with dek, the client's data key,
 * when the caller holds it (borrowed), else with one unwrapped here when anything sealed is shown.
 * ERR_CORRUPT (noted as decrypt_failed) when a sealed value does not open; *out is then NULL.
 */
static enum err ref_json(struct store_conn *c, struct audit_ctx *actx, const struct referral_row *r,
                         const struct view *vw, const struct keys_dek *dek, int64_t now,
                         json_t **out)
{
    struct keys_dek own = {0};
    struct ref_plain p;
    enum err rc = ERR_OK;

    *out = NULL;
    if (!dek && (vw->notes || r->contact_with.len)) {
        rc = keys_dek_load(actx->keys, c, actx, r->client_id, r->client_pid, &own);
        dek = &own;
    }
    rc = rc ? rc : plain_open(dek, actx, r, vw->notes, &p);
    if (!rc) {
        *out = ref_json_build(c, r, vw, &p, now);
        rc = *out ? ERR_OK : ERR_NOMEM;
    }
    if (!rc && vw->events) {
        struct ev_ctx ec = {c, actx, dek, json_array(), vw->notes};
        rc = store_referral_event_each(c, r->id, event_json, &ec);
        json_object_set_new(*out, "transitions", ec.items);
    }
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    sec_memzero(&p, sizeof(p));
    keys_dek_release(&own);
    return rc;
}

/* Free text is shown to the client, the sender, and a receiver whose access covers every scope
 * shared (the note may speak of any of them). */
static bool notes_visible(const struct principal *who, unsigned sides, uint32_t eff,
                          uint32_t scopes)
{
    if (who->role == ROLE_CLIENT || (sides & REF_SIDE_SENDER)) {
        return true;
    }
    return (sides & REF_SIDE_RECEIVER) && (scopes & ~eff) == 0;
}

/* ---- access -----------------------------------------------------------------------------------
 */

/*
 * Loads a referral and checks the caller: a party organisation with scope referral on the
 * client, or the client on its own record. Refusals look like 404 and are noted for the audit.
 */
static enum err ref_open(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                         const char *uid, struct referral_row *r, struct client_row *client,
                         uint32_t *eff, unsigned *sides)
{
    enum err rc = text_ok(uid, 1, STORE_UID_LEN) ? store_referral_by_uid(c, uid, r) : ERR_NOT_FOUND;
    if (rc) {
        return rc;
    }
    *sides = side_of(who, r);
    if (who->role != ROLE_CLIENT && !*sides) {
        audit_note_denial(actx, r->client_pid, "access_denied", "referral");
        return ERR_NOT_FOUND;
    }
    return dossier_client_check(c, actx, who, r->client_pid, SCOPE_REFERRAL, "referral", client,
                                eff);
}

static enum err audit_step(struct store_conn *c, struct audit_ctx *actx, const char *action,
                           const char *object, const struct referral_row *r)
{
    struct audit_event ev = {r->client_pid, action, object, r->uid, "success"};
    return audit_log(c, actx, &ev);
}

/* Adds an event with its note sealed under dek, the client's data key. */
static enum err event_add(struct store_conn *c, const struct principal *who,
                          const struct keys_dek *dek, const struct referral_row *r,
                          const char *kind, const char *from, const char *reason, const char *note,
                          int64_t now)
{
    struct referral_event_row e;
    enum err rc;

    memset(&e, 0, sizeof(e));
    e.referral_id = r->id;
    sec_random_hex(16, e.uid);
    snprintf(e.kind, sizeof(e.kind), "%s", kind);
    snprintf(e.from_state, sizeof(e.from_state), "%s", from ? from : "");
    snprintf(e.to_state, sizeof(e.to_state), "%s", r->state);
    snprintf(e.reason, sizeof(e.reason), "%s", reason ? reason : "");
    memcpy(e.by_user, who->user_uid, sizeof(e.by_user));
    snprintf(e.by_role, sizeof(e.by_role), "%s", acct_role_name(who->role));
    e.by_org = who->org_id;
    e.at = now;
    rc = KEYS_SEAL_TEXT(dek, STORE_COL_REFERRAL_EVENT_NOTE, e.uid, note, e.note);
    return rc ? rc : store_referral_event_insert(c, &e);
}

/* ERR_CONFLICT with why unless the receiving organisation's active grants cover `scopes`. */
static enum err receiver_consent(struct store_conn *c, int64_t client_id, int64_t to_org,
                                 uint32_t scopes, int64_t now, char *why, size_t why_size)
{
    uint32_t granted = 0, missing;
    char names[96];
    struct org_row o;
    enum err rc = store_grant_active_scopes(c, client_id, to_org, now, &granted);

    if (rc) {
        return rc;
    }
    missing = (scopes | SCOPE_REFERRAL) & ~granted;
    if (!missing) {
        return ERR_OK;
    }
    scopes_text(missing, names, sizeof(names));
    if (store_org_by_id(c, to_org, &o)) {
        snprintf(o.name, sizeof(o.name), "the receiving organisation");
    }
    WHY("no consent: the client has not granted %s access for %s; record the client's consent "
        "(a grant) first",
        o.name, names);
    return ERR_CONFLICT;
}

/* Sets the joint first contact; who takes part is sealed under dek (r->uid must be set). */
static enum err contact_set(struct referral_row *r, const struct keys_dek *dek,
                            const struct ref_contact *ct)
{
    snprintf(r->contact_mode, sizeof(r->contact_mode), "%s", ct->mode ? ct->mode : "");
    r->contact_at = ct->at;
    r->contact_interpreter = ct->interpreter;
    return KEYS_SEAL_TEXT(dek, STORE_COL_REFERRAL_CONTACT_WITH, r->uid, ct->with, r->contact_with);
}

static void contact_check(const struct ref_contact *ct, const char *ptr, struct verr *v)
{
    char p[48];
    if (!ct->set) {
        return;
    }
    if (!mode_ok(ct->mode)) {
        snprintf(p, sizeof(p), "%s/mode", ptr);
        verr_add(v, p, "must be in_person or phone");
    }
    if (!text_ok(ct->with, 0, STORE_REF_CONTACT_WITH_MAX)) {
        snprintf(p, sizeof(p), "%s/with", ptr);
        verr_add(v, p, "must be at most 200 characters");
    }
}

/* ---- create -----------------------------------------------------------------------------------
 */

static void create_check(const struct ref_input *in, uint32_t eff, struct verr *v)
{
    if (!text_ok(in->service_id, 1, STORE_MAP_ID_MAX)) {
        verr_add(v, "/service_id", "must be the id of a service on the social map");
    }
    if (!text_ok(in->advice_id, 0, STORE_OBJECT_ID_MAX)) {
        verr_add(v, "/advice_id", "must be at most 64 characters");
    }
    if (!text_ok(in->handover_note, 0, STORE_NOTE_MAX)) {
        verr_add(v, "/handover_note",
                 "must be at most 1000 bytes of UTF-8 (an Arabic or Persian letter counts 2)");
    }
    if (!text_ok(in->interpreter_language, 0, 35)) {
        verr_add(v, "/interpreter_language", "must be a language tag");
    }
    if (in->scopes & ~eff & SCOPE_ALL) {
        verr_add(v, "/scopes", "you can only share scopes you have access to yourself");
    }
    contact_check(&in->contact, "/joint_contact", v);
    if (in->consent_days && !in->send) {
        /* the consent is for this referral: a draft may never be sent, and its grant would stay */
        verr_add(v, "/consent", "can only be recorded with a referral that is sent (send: true)");
    }
}

/* Fills a new row; the handover note and who takes part are sealed under dek. */
static enum err row_fill(struct referral_row *r, const struct principal *who,
                         const struct client_row *client, const struct keys_dek *dek,
                         const struct ref_input *in, int64_t now)
{
    enum err rc;

    memset(r, 0, sizeof(*r));
    sec_random_hex(16, r->uid);
    r->client_id = client->id;
    memcpy(r->client_pid, client->pid, sizeof(r->client_pid));
    memcpy(r->from_user, who->user_uid, sizeof(r->from_user));
    r->from_org = who->org_id;
    snprintf(r->to_service, sizeof(r->to_service), "%s", in->service_id);
    snprintf(r->advice_id, sizeof(r->advice_id), "%s", in->advice_id ? in->advice_id : "");
    r->scopes = (in->scopes | SCOPE_REFERRAL) & SCOPE_ALL;
    r->interpreter = in->interpreter;
    snprintf(r->interpreter_lang, sizeof(r->interpreter_lang), "%s",
             in->interpreter_language ? in->interpreter_language : "");
    snprintf(r->state, sizeof(r->state), "%s", ref_state_name(in->send ? REF_SENT : REF_DRAFT));
    r->created_at = now;
    r->updated_at = now;
    r->sent_at = in->send ? now : 0;
    rc = KEYS_SEAL_TEXT(dek, STORE_COL_REFERRAL_HANDOVER_NOTE, r->uid, in->handover_note,
                        r->handover_note);
    if (!rc && in->contact.set) {
        rc = contact_set(r, dek, &in->contact);
    }
    return rc;
}

/* Finds the service and the account organisation that receives it. */
static enum err service_target(struct store_conn *c, struct referral_row *r, struct verr *v,
                               char *why, size_t why_size)
{
    char map_org[STORE_MAP_ID_MAX + 1];
    enum err rc = store_referral_service(c, r->to_service, r->level, r->to_service_name, map_org);
    if (rc == ERR_NOT_FOUND) {
        verr_add(v, "/service_id", "no service with this id on the social map");
        return ERR_INVALID;
    }
    if (!rc) {
        rc = store_map_org_account_find(c, map_org, &r->to_org);
        if (rc == ERR_NOT_FOUND) {
            WHY("the organisation of this service does not receive referrals in Veerkracht yet "
                "(no account organisation is linked to it)");
            rc = ERR_CONFLICT;
        }
    }
    return rc;
}

/* The referral `uid` that a new referral of `client` follows up, into old; ERR_INVALID at
 * /replaces when it is unknown, not the caller's organisation's, of another client, still going
 * well, or already followed up. */
static enum err replaces_find(struct store_conn *c, const struct principal *who,
                              const struct client_row *client, const char *uid,
                              struct referral_row *old, struct verr *v)
{
    enum err rc =
        text_ok(uid, 1, STORE_UID_LEN) ? store_referral_by_uid(c, uid, old) : ERR_NOT_FOUND;
    if (rc == ERR_NOT_FOUND || (!rc && !side_of(who, old))) {
        /* the same answer for both: no hint about other organisations' referrals */
        verr_add(v, "/replaces",
                 "no referral with this id that your organisation sent or received");
        return ERR_INVALID;
    }
    if (rc) {
        return rc;
    }
    if (old->client_id != client->id) {
        verr_add(v, "/replaces", "this referral is for another client");
    } else if (old->replaced_by.uid[0]) {
        /* the follow-up's id only when the caller may see it (docs/referrals.md §7) */
        if (link_visible(&old->replaced_by, view_org(who))) {
            verr_add(v, "/replaces", "this referral was already followed up by referral %s",
                     old->replaced_by.uid);
        } else {
            verr_add(v, "/replaces", "this referral was already followed up");
        }
    } else if (strcmp(old->state, "cancelled") &&
               !route_referral_failed(old->state, old->needs_new_offer, old->client_answer)) {
        verr_add(v, "/replaces",
                 "only a declined, unsuccessful or cancelled referral, or one the client could "
                 "not go to, can be followed up; this one is %s",
                 old->state);
    }
    return v->n ? ERR_INVALID : ERR_OK;
}

/* Marks old as followed up by a new referral: needs_new_offer cleared, an event, an audit row. */
static enum err replaces_mark(struct store_conn *c, struct audit_ctx *actx,
                              const struct principal *who, const struct keys_dek *dek,
                              struct referral_row *old, int64_t now)
{
    enum err rc;
    old->needs_new_offer = false;
    old->updated_at = now;
    rc = store_referral_update(c, old);
    rc = rc ? rc : event_add(c, who, dek, old, "followed_up", old->state, NULL, NULL, now);
    return rc ? rc : audit_step(c, actx, "update", "referral", old);
}

/* Records the client's verbal consent for the receiving organisation of r: exactly the shared
 * scopes, purpose referral; errors go to v under /consent (the scopes' stay at /scopes). */
static enum err consent_record(struct store_conn *c, struct audit_ctx *actx,
                               const struct principal *who, const struct referral_row *r,
                               int64_t days, struct verr *v)
{
    struct grant_input gi = {NULL, r->scopes, "verbal_consent", days, "referral"};
    struct verr gv = {0};
    struct grant_row g;
    struct org_row o;
    enum err rc = store_org_by_id(c, r->to_org, &o);

    if (rc) {
        return rc;
    }
    gi.org_uid = o.uid;
    rc = dossier_grant_add(c, actx, who, r->client_pid, &gi, &gv, &g);
    for (size_t i = 0; i < gv.n; i++) {
        char ptr[sizeof(gv.items[i].pointer) + 8];
        snprintf(ptr, sizeof(ptr), "%s%s", strcmp(gv.items[i].pointer, "/scopes") ? "/consent" : "",
                 gv.items[i].pointer);
        verr_add(v, ptr, "%s", gv.items[i].detail);
    }
    return rc;
}

enum err ref_create(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                    const struct ref_input *in, int64_t now, struct verr *v, char *why,
                    size_t why_size, json_t **out)
{
    struct referral_row old = {0};
    struct view vw = {REF_SIDE_SENDER, true, true, NULL, view_org(who)};
    struct keys_dek dek = {0};
    struct client_row client;
    struct referral_row r;
    uint32_t eff = 0;
    enum err rc;

    rc = dossier_client_check(c, actx, who, in->client_pid, SCOPE_REFERRAL, "referral", &client,
                              &eff);
    if (rc) {
        return rc;
    }
    if (who->role == ROLE_CLIENT) {
        /* a referral is a professional's act; refused after the access check (like a grant by a
         * professional) and audited like every other refusal */
        audit_note_denial(actx, client.pid, "access_denied", "referral");
        return ERR_FORBIDDEN;
    }
    create_check(in, eff, v);
    if (v->n) {
        return ERR_INVALID;
    }
    if (in->replaces && (rc = replaces_find(c, who, &client, in->replaces, &old, v)) != ERR_OK) {
        return rc;
    }
    rc = keys_dek_load(actx->keys, c, actx, client.id, client.pid, &dek);
    rc = rc ? rc : row_fill(&r, who, &client, &dek, in, now);
    r.replaces_id = in->replaces ? old.id : 0;
    rc = rc ? rc : service_target(c, &r, v, why, why_size);
    if (!rc && in->consent_days) {
        rc = consent_record(c, actx, who, &r, in->consent_days, v);
    }
    if (!rc) {
        rc = receiver_consent(c, client.id, r.to_org, r.scopes, now, why, why_size);
    }
    if (!rc) {
        rc = store_referral_insert(c, &r);
    }
    if (!rc) {
        rc = event_add(c, who, &dek, &r, "transition", NULL, NULL, NULL, now);
    }
    if (!rc) {
        rc = audit_step(c, actx, "create", "referral", &r);
    }
    if (!rc && in->replaces) {
        rc = replaces_mark(c, actx, who, &dek, &old, now);
        snprintf(r.replaces.uid, sizeof(r.replaces.uid), "%s", old.uid);
        r.replaces.from_org = old.from_org;
        r.replaces.to_org = old.to_org;
    }
    if (!rc) {
        vw.sides = side_of(who, &r);
        rc = ref_json(c, actx, &r, &vw, &dek, now, out);
    }
    keys_dek_release(&dek);
    return rc;
}

/* ---- transitions ------------------------------------------------------------------------------
 */

static void step_check(enum ref_state to, const struct ref_step *st, struct verr *v)
{
    if (!text_ok(st->note, 0, STORE_NOTE_MAX)) {
        verr_add(v, "/note", "must be at most 1000 characters");
    }
    if (ref_needs_reason(to) && !ref_reason_ok(to, st->reason)) {
        char codes[160];
        ref_reasons_text(to, codes, sizeof(codes));
        verr_add(v, "/reason", "must be one of: %s", codes);
    } else if (!ref_needs_reason(to) && st->reason) {
        verr_add(v, "/reason", "only declined, closed_unsuccessful and completed take a reason");
    }
    if (st->reason && !strcmp(st->reason, "other") && !text_ok(st->note, 1, STORE_NOTE_MAX)) {
        verr_add(v, "/note", "say what, for reason other");
    }
    if (to == REF_WAITLISTED && (st->weeks < 1 || st->weeks > REF_WEEKS_MAX)) {
        verr_add(v, "/weeks", "expected weeks on the waitlist (1 to 104) are required");
    }
    if (to == REF_FC_PLANNED && !st->contact.set) {
        verr_add(v, "/contact", "the planned first contact is required (mode, and when known)");
    }
    contact_check(&st->contact, "/contact", v);
}

/* Checks that `sides` may take r from its state to `to`; ERR_CONFLICT / ERR_FORBIDDEN with why. */
static enum err step_allowed(const struct referral_row *r, enum ref_state to, unsigned sides,
                             char *why, size_t why_size)
{
    char allowed[200];
    enum ref_state from;
    unsigned may;

    if (ref_state_parse(r->state, &from)) {
        return ERR_INTERNAL;
    }
    may = ref_transition_sides(from, to);
    ref_allowed_text(from, sides, allowed, sizeof(allowed));
    if (!may) {
        WHY("a referral cannot go from %s to %s; allowed from %s: %s", r->state, ref_state_name(to),
            r->state, allowed);
        return ERR_CONFLICT;
    }
    if (!(may & sides)) {
        WHY("only the %s organisation may move a referral from %s to %s; allowed for you: %s",
            (may & REF_SIDE_RECEIVER) ? "receiving" : "sending", r->state, ref_state_name(to),
            allowed);
        return ERR_FORBIDDEN;
    }
    return ERR_OK;
}

static enum err step_apply(struct referral_row *r, const struct keys_dek *dek, enum ref_state to,
                           const struct ref_step *st, int64_t now)
{
    snprintf(r->state, sizeof(r->state), "%s", ref_state_name(to));
    if (st->reason) {
        snprintf(r->reason, sizeof(r->reason), "%s", st->reason);
    }
    if (to == REF_WAITLISTED) {
        r->waitlist_weeks = st->weeks;
    }
    if (to == REF_SENT) {
        r->sent_at = now;
    }
    r->updated_at = now;
    return st->contact.set ? contact_set(r, dek, &st->contact) : ERR_OK;
}

enum err ref_transition(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                        const char *uid, const struct ref_step *st, int64_t now, struct verr *v,
                        char *why, size_t why_size, json_t **out)
{
    struct keys_dek dek = {0};
    struct client_row client;
    struct referral_row r;
    char from[24];
    enum ref_state to;
    unsigned sides = 0;
    uint32_t eff = 0;
    enum err rc = ref_open(c, actx, who, uid, &r, &client, &eff, &sides);

    if (rc) {
        return rc;
    }
    if (!sides) {
        WHY("a client answers a referral with client-answer, not with transitions");
        return ERR_FORBIDDEN;
    }
    if (ref_state_parse(st->to, &to)) {
        verr_add(v, "/to", "must be a referral state");
        return ERR_INVALID;
    }
    rc = step_allowed(&r, to, sides, why, why_size);
    if (rc) {
        return rc;
    }
    step_check(to, st, v);
    if (v->n) {
        return ERR_INVALID;
    }
    if (to == REF_SENT) {
        rc = receiver_consent(c, r.client_id, r.to_org, r.scopes, now, why, why_size);
    }
    memcpy(from, r.state, sizeof(from));
    rc = rc ? rc : keys_dek_load(actx->keys, c, actx, r.client_id, r.client_pid, &dek);
    rc = rc ? rc : step_apply(&r, &dek, to, st, now);
    rc = rc ? rc : store_referral_update(c, &r);
    rc = rc ? rc : event_add(c, who, &dek, &r, "transition", from, st->reason, st->note, now);
    rc = rc ? rc : audit_step(c, actx, "update", "referral", &r);
    if (!rc) {
        struct view vw = {sides, notes_visible(who, sides, eff, r.scopes), true,
                          (sides & REF_SIDE_RECEIVER) ? &client : NULL, view_org(who)};
        rc = ref_json(c, actx, &r, &vw, &dek, now, out);
    }
    keys_dek_release(&dek);
    return rc;
}

/* ---- the client's answer ----------------------------------------------------------------------
 */

enum err ref_client_answer(struct store_conn *c, struct audit_ctx *actx,
                           const struct principal *who, const char *uid, bool went,
                           const char *reason, int64_t now, struct verr *v, char *why,
                           size_t why_size, json_t **out)
{
    struct view vw = {0, true, true, NULL, 0};
    struct keys_dek dek = {0};
    struct client_row client;
    struct referral_row r;
    unsigned sides = 0;
    uint32_t eff = 0;
    enum err rc;

    if (who->role != ROLE_CLIENT) {
        return ERR_FORBIDDEN;
    }
    rc = ref_open(c, actx, who, uid, &r, &client, &eff, &sides);
    if (rc) {
        return rc;
    }
    if (!strcmp(r.state, "draft") || !strcmp(r.state, "cancelled")) {
        WHY("this referral was %s: there is nothing to answer",
            !strcmp(r.state, "draft") ? "not sent" : "cancelled");
        return ERR_CONFLICT;
    }
    if (!went && !text_ok(reason, 1, STORE_NOTE_MAX)) {
        verr_add(v, "/reason", "say why you could not go (1 to 1000 characters)");
    } else if (went && reason && !text_ok(reason, 0, STORE_NOTE_MAX)) {
        verr_add(v, "/reason", "must be at most 1000 characters");
    }
    if (v->n) {
        return ERR_INVALID;
    }
    snprintf(r.client_answer, sizeof(r.client_answer), "%s", went ? "went" : "could_not_go");
    r.needs_new_offer = !went;
    r.updated_at = now;
    rc = keys_dek_load(actx->keys, c, actx, r.client_id, r.client_pid, &dek);
    rc = rc ? rc : store_referral_update(c, &r);
    rc = rc ? rc
            : event_add(c, who, &dek, &r, "client_answer", r.state, r.client_answer, reason, now);
    rc = rc ? rc : audit_step(c, actx, "update", "referral", &r);
    if (!rc) {
        rc = ref_json(c, actx, &r, &vw, &dek, now, out);
    }
    keys_dek_release(&dek);
    return rc;
}

/* ---- reading ----------------------------------------------------------------------------------
 */

enum err ref_get(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                 const char *uid, int64_t now, json_t **out)
{
    struct client_row client;
    struct referral_row r;
    unsigned sides = 0;
    uint32_t eff = 0;
    enum err rc = ref_open(c, actx, who, uid, &r, &client, &eff, &sides);

    if (!rc) {
        rc = audit_step(c, actx, "read", "referral", &r);
    }
    if (!rc) {
        struct view vw = {sides, notes_visible(who, sides, eff, r.scopes), true,
                          (sides & REF_SIDE_RECEIVER) ? &client : NULL, view_org(who)};
        rc = ref_json(c, actx, &r, &vw, NULL, now, out);
    }
    return rc;
}

struct list_ctx {
    struct store_conn *c;
    struct audit_ctx *actx;
    const struct principal *who;
    int64_t now;
    json_t *items;
    bool events;
    const struct keys_dek *dek; /* the client's, for a timeline; NULL: each item unwraps its own */
};

/* One row of an inbox or timeline: skipped silently when the caller's access has lapsed. */
static enum err list_item(const struct referral_row *r, void *ctx)
{
    struct list_ctx *lc = ctx;
    struct client_row client;
    uint32_t granted = 0, eff = 0;
    unsigned sides = side_of(lc->who, r);
    struct view vw = {sides, false, lc->events, NULL, view_org(lc->who)};
    json_t *j = NULL;
    enum err rc = store_client_by_id(lc->c, r->client_id, &client);

    if (!rc && lc->who->role != ROLE_CLIENT) {
        rc = store_grant_active_scopes(lc->c, r->client_id, lc->who->org_id, lc->now, &granted);
    }
    if (rc) {
        return rc;
    }
    if (!consent_decide(lc->who->role, lc->who->client_id == r->client_id, granted, SCOPE_REFERRAL,
                        &eff)) {
        return ERR_OK;
    }
    vw.notes = notes_visible(lc->who, sides, eff, r->scopes);
    vw.client = (sides & REF_SIDE_RECEIVER) ? &client : NULL;
    rc = audit_step(lc->c, lc->actx, "list", "referral", r);
    rc = rc ? rc : ref_json(lc->c, lc->actx, r, &vw, lc->dek, lc->now, &j);
    if (!rc) {
        json_array_append_new(lc->items, j);
    }
    return rc;
}

enum err ref_list(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                  bool receiver, const char *state, int64_t now, struct verr *v, json_t **out)
{
    struct list_ctx lc = {c, actx, who, now, NULL, false, NULL};
    struct store_referral_filter f;
    enum ref_state s;
    enum err rc;

    if (who->role == ROLE_CLIENT || !(consent_role_ceiling(who->role) & SCOPE_REFERRAL)) {
        return ERR_FORBIDDEN;
    }
    if (state && ref_state_parse(state, &s)) {
        verr_add(v, "/query/state", "must be a referral state");
        return ERR_BAD_REQUEST;
    }
    memset(&f, 0, sizeof(f));
    f.from_org = receiver ? 0 : who->org_id;
    f.to_org = receiver ? who->org_id : 0;
    f.state = state;
    lc.items = json_array();
    rc = store_referral_each(c, &f, list_item, &lc);
    if (rc) {
        json_decref(lc.items);
        return rc;
    }
    *out = json_pack("{s:o}", "items", lc.items);
    return ERR_OK;
}

enum err ref_client_list(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                         const char *pid, int64_t now, json_t **out)
{
    struct list_ctx lc = {c, actx, who, now, NULL, true, NULL};
    struct store_referral_filter f;
    struct keys_dek dek = {0};
    struct client_row client;
    uint32_t eff;
    enum err rc =
        dossier_client_open(c, actx, who, pid, SCOPE_REFERRAL, "list", "referral", &client, &eff);

    /* one unwrap for the whole timeline: every referral here is this client's */
    rc = rc ? rc : keys_dek_load(actx->keys, c, actx, client.id, client.pid, &dek);
    if (rc) {
        return rc;
    }
    memset(&f, 0, sizeof(f));
    f.client_id = client.id;
    f.party_org_any = who->role != ROLE_CLIENT;
    f.party_org = who->org_id;
    lc.items = json_array();
    lc.dek = &dek;
    rc = store_referral_each(c, &f, list_item, &lc);
    keys_dek_release(&dek);
    if (rc) {
        json_decref(lc.items);
        return rc;
    }
    *out = json_pack("{s:o}", "items", lc.items);
    return ERR_OK;
}

/* ---- worklist ---------------------------------------------------------------------------------
 */

bool ref_worklist_role(enum role r)
{
    return r == ROLE_COORDINATOR ||
           (r != ROLE_CLIENT && (consent_role_ceiling(r) & SCOPE_REFERRAL));
}

struct work_ctx {
    struct store_conn *c;
    struct audit_ctx *actx;
    int64_t now;
    int days[REF_LEVEL_COUNT];
    json_t *items;
};

static enum err work_item(const struct referral_row *r, void *ctx)
{
    struct work_ctx *wc = ctx;
    struct ref_overdue od;
    enum err rc;

    overdue_of(r, wc->days, wc->now, &od);
    if (od.why == REF_ON_TIME) {
        return ERR_OK;
    }
    rc = audit_step(wc->c, wc->actx, "list", "referral", r);
    if (!rc) {
        /* the worklist reaches beyond grants (the region's coordinator): facts, no notes */
        json_array_append_new(
            wc->items,
            json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:o, s:o, s:o, s:o, s:s}", "id", r->uid,
                      "client_id", r->client_pid, "state", r->state, "level", r->level, "service",
                      "id", r->to_service, "name", r->to_service_name, "from",
                      org_json(wc->c, r->from_org), "to", org_json(wc->c, r->to_org), "sent_at",
                      iso_or_null(r->sent_at), "due_at", iso_or_null(od.due_at), "overdue_reason",
                      ref_overdue_name(od.why)));
    }
    return rc;
}

enum err ref_worklist_add(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                          int64_t now, json_t *obj)
{
    struct work_ctx wc = {c, actx, now, {0}, NULL};
    struct org_row org;
    enum err rc;

    if (!ref_worklist_role(who->role)) {
        return ERR_OK;
    }
    rc = store_org_by_id(c, who->org_id, &org);
    if (rc) {
        return rc;
    }
    targets_load(wc.days);
    wc.items = json_array();
    rc = store_referral_each_pending(
        c, who->org_id, who->role == ROLE_COORDINATOR ? org.region : NULL, work_item, &wc);
    if (rc) {
        json_decref(wc.items);
        return rc;
    }
    json_object_set_new(obj, "referrals", wc.items);
    return ERR_OK;
}
