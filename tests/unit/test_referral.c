/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The referral state machine and the overdue computation (src/referral/machine.c), against an
 * expected table written out here independently of the code's table: every (from, to) pair of
 * states, legal or not, with the sides that may make it; reason codes; working days across
 * weekends; each level's first-contact target on an injected clock; the free text stored sealed.
 */
#include "core/compat.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "core/clock.h"
#include "dossier/dossier.h"
#include "referral/referral.h"
#include "routing/routing.h"
#include "unit_db.h"

#define DAY  (24LL * 3600 * 1000)
#define HOUR (3600LL * 1000)

/* Expected sides per (from, to): "" illegal, "S" sender, "R" receiver, "SR" both. Rows and
 * columns in enum order: draft sent received accepted waitlisted declined fc_planned fc_done
 * completed closed_unsuccessful cancelled. */
static const char *const expected[REF__COUNT][REF__COUNT] = {
    /* draft */ {"", "S", "", "", "", "", "", "", "", "", "S"},
    /* sent */ {"", "", "R", "", "", "", "", "", "", "", "S"},
    /* received */ {"", "", "", "R", "R", "R", "", "", "", "", "S"},
    /* accepted */ {"", "", "", "", "", "", "SR", "R", "", "SR", "S"},
    /* waitlisted */ {"", "", "", "R", "", "R", "R", "", "", "SR", "S"},
    /* declined */ {"", "", "", "", "", "", "", "", "", "", ""},
    /* fc_planned */ {"", "", "", "", "", "", "SR", "R", "", "SR", "S"},
    /* fc_done */ {"", "", "", "", "", "", "", "", "R", "R", ""},
    /* completed */ {"", "", "", "", "", "", "", "", "", "", ""},
    /* closed_unsuccessful */ {"", "", "", "", "", "", "", "", "", "", ""},
    /* cancelled */ {"", "", "", "", "", "", "", "", "", "", ""},
};

static unsigned sides_of(const char *s)
{
    return (strchr(s, 'S') ? REF_SIDE_SENDER : 0u) | (strchr(s, 'R') ? REF_SIDE_RECEIVER : 0u);
}

static void test_every_transition(void **state)
{
    int legal = 0, illegal = 0;
    (void)state;
    for (int f = 0; f < REF__COUNT; f++) {
        for (int t = 0; t < REF__COUNT; t++) {
            unsigned want = sides_of(expected[f][t]);
            unsigned got = ref_transition_sides((enum ref_state)f, (enum ref_state)t);
            if (got != want) {
                fail_msg("%s -> %s: sides %u, expected %u", ref_state_name((enum ref_state)f),
                         ref_state_name((enum ref_state)t), got, want);
            }
            want ? legal++ : illegal++;
        }
    }
    assert_int_equal(legal, 23);
    assert_int_equal(illegal, REF__COUNT * REF__COUNT - 23);
    /* out of range never passes */
    assert_int_equal(ref_transition_sides(REF__COUNT, REF_SENT), 0);
    assert_int_equal(ref_transition_sides(REF_DRAFT, REF__COUNT), 0);
}

static void test_end_states_and_names(void **state)
{
    char buf[200];
    (void)state;
    for (int s = 0; s < REF__COUNT; s++) {
        enum ref_state back;
        bool has_exit = false;
        assert_int_equal(ref_state_parse(ref_state_name((enum ref_state)s), &back), ERR_OK);
        assert_int_equal(back, s);
        for (int t = 0; t < REF__COUNT; t++) {
            has_exit |= expected[s][t][0] != '\0';
        }
        assert_int_equal(ref_state_open((enum ref_state)s), has_exit);
    }
    assert_int_equal(ref_state_parse("sent ", &(enum ref_state){0}), ERR_INVALID);
    assert_int_equal(ref_state_parse(NULL, &(enum ref_state){0}), ERR_INVALID);
    ref_allowed_text(REF_DRAFT, REF_SIDE_SENDER, buf, sizeof(buf));
    assert_string_equal(buf, "sent, cancelled");
    ref_allowed_text(REF_DRAFT, REF_SIDE_RECEIVER, buf, sizeof(buf));
    assert_string_equal(buf, "none");
    ref_allowed_text(REF_RECEIVED, REF_SIDE_RECEIVER, buf, sizeof(buf));
    assert_string_equal(buf, "accepted, waitlisted, declined");
    ref_allowed_text(REF_COMPLETED, REF_SIDE_SENDER | REF_SIDE_RECEIVER, buf, sizeof(buf));
    assert_string_equal(buf, "none");
}

static void test_reasons(void **state)
{
    static const char *const unsuccessful[] = {"could_not_reach",  "client_declined", "no_capacity",
                                               "no_longer_needed", "client_moved",    "other"};
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(unsuccessful); i++) {
        assert_true(ref_reason_ok(REF_CLOSED_UNSUCCESSFUL, unsuccessful[i]));
    }
    assert_false(ref_reason_ok(REF_CLOSED_UNSUCCESSFUL, "bored"));
    assert_false(ref_reason_ok(REF_CLOSED_UNSUCCESSFUL, NULL));
    assert_true(ref_reason_ok(REF_DECLINED, "not_suitable"));
    assert_false(ref_reason_ok(REF_DECLINED, "could_not_reach"));
    assert_true(ref_reason_ok(REF_COMPLETED, "care_finished"));
    assert_false(ref_reason_ok(REF_ACCEPTED, "other"));
    assert_true(ref_needs_reason(REF_DECLINED));
    assert_true(ref_needs_reason(REF_COMPLETED));
    assert_true(ref_needs_reason(REF_CLOSED_UNSUCCESSFUL));
    assert_false(ref_needs_reason(REF_CANCELLED));
    assert_false(ref_needs_reason(REF_WAITLISTED));
}

static int64_t at(const char *iso)
{
    int64_t ms = 0;
    assert_int_equal(clock_parse_iso(iso, &ms), ERR_OK);
    return ms;
}

static void test_working_days(void **state)
{
    (void)state;
    /* 2026-11-18 is a Wednesday, 11-20 a Friday, 11-21 a Saturday, 11-22 a Sunday */
    assert_int_equal(ref_add_working_days(at("2026-11-18T10:00:00Z"), 2),
                     at("2026-11-20T10:00:00Z"));
    assert_int_equal(ref_add_working_days(at("2026-11-20T15:00:00Z"), 2),
                     at("2026-11-24T15:00:00Z"));
    assert_int_equal(ref_add_working_days(at("2026-11-21T10:00:00Z"), 2),
                     at("2026-11-24T10:00:00Z"));
    assert_int_equal(ref_add_working_days(at("2026-11-22T23:00:00Z"), 2),
                     at("2026-11-24T23:00:00Z"));
    assert_int_equal(ref_add_working_days(at("2026-11-19T08:00:00Z"), 2),
                     at("2026-11-23T08:00:00Z"));
    assert_int_equal(ref_add_working_days(at("2026-11-19T08:00:00Z"), 0),
                     at("2026-11-19T08:00:00Z"));
}

static const int targets[REF_LEVEL_COUNT] = {14, 7, 42, 70, 0};

static enum ref_overdue_why why_at(enum ref_state s, enum ref_level l, int64_t sent, int64_t now)
{
    struct ref_overdue od;
    ref_overdue_compute(s, l, sent, targets, now, &od);
    return od.why;
}

static void test_not_received_across_weekend(void **state)
{
    int64_t sent = at("2026-11-20T15:00:00Z"); /* Friday */
    int64_t due = at("2026-11-24T15:00:00Z");  /* Tuesday */
    struct ref_overdue od;
    (void)state;
    assert_int_equal(why_at(REF_SENT, REF_L1, sent, at("2026-11-23T15:00:00Z")), REF_ON_TIME);
    assert_int_equal(why_at(REF_SENT, REF_L1, sent, due), REF_ON_TIME);
    assert_int_equal(why_at(REF_SENT, REF_L1, sent, due + 1), REF_NOT_RECEIVED);
    ref_overdue_compute(REF_SENT, REF_L1, sent, targets, sent, &od);
    assert_int_equal(od.due_at, due);
    /* once received, only the first-contact target counts */
    assert_int_equal(why_at(REF_RECEIVED, REF_L1, sent, due + 1), REF_ON_TIME);
    /* a draft is never overdue */
    assert_int_equal(why_at(REF_DRAFT, REF_L1, 0, due + 100 * DAY), REF_ON_TIME);
}

static void test_each_level_target(void **state)
{
    static const enum ref_state waiting[] = {REF_RECEIVED, REF_ACCEPTED, REF_WAITLISTED,
                                             REF_FC_PLANNED};
    int64_t sent = at("2026-11-16T09:00:00Z"); /* Monday */
    (void)state;
    for (int l = REF_L0; l <= REF_L3; l++) {
        int64_t due = sent + targets[l] * DAY;
        for (size_t k = 0; k < ARRAY_SIZE(waiting); k++) {
            struct ref_overdue od;
            ref_overdue_compute(waiting[k], (enum ref_level)l, sent, targets, due, &od);
            assert_int_equal(od.why, REF_ON_TIME);
            assert_int_equal(od.due_at, due);
            assert_int_equal(why_at(waiting[k], (enum ref_level)l, sent, due + 1),
                             REF_NO_FIRST_CONTACT);
        }
        /* first contact done, or closed: never overdue */
        assert_int_equal(why_at(REF_FC_DONE, (enum ref_level)l, sent, due + 365 * DAY),
                         REF_ON_TIME);
        assert_int_equal(why_at(REF_COMPLETED, (enum ref_level)l, sent, due + DAY), REF_ON_TIME);
        assert_int_equal(why_at(REF_CANCELLED, (enum ref_level)l, sent, due + DAY), REF_ON_TIME);
        assert_int_equal(why_at(REF_DECLINED, (enum ref_level)l, sent, due + DAY), REF_ON_TIME);
    }
}

static void test_crisis_same_day(void **state)
{
    int64_t sent = at("2026-11-20T09:00:00Z");
    int64_t end = at("2026-11-20T23:59:59.999Z");
    struct ref_overdue od;
    (void)state;
    /* in state sent, the same-day target comes before the 2 working days */
    ref_overdue_compute(REF_SENT, REF_CRISIS, sent, targets, sent + HOUR, &od);
    assert_int_equal(od.why, REF_ON_TIME);
    assert_int_equal(od.due_at, end);
    assert_int_equal(why_at(REF_SENT, REF_CRISIS, sent, end), REF_ON_TIME);
    assert_int_equal(why_at(REF_SENT, REF_CRISIS, sent, end + 1), REF_NO_FIRST_CONTACT);
    assert_int_equal(why_at(REF_ACCEPTED, REF_CRISIS, sent, end + 1), REF_NO_FIRST_CONTACT);
    assert_string_equal(ref_overdue_name(REF_NO_FIRST_CONTACT), "no_first_contact");
    assert_string_equal(ref_overdue_name(REF_NOT_RECEIVED), "not_received");
}

static void test_levels(void **state)
{
    enum ref_level l;
    (void)state;
    assert_int_equal(ref_level_parse("crisis", &l), ERR_OK);
    assert_int_equal(l, REF_CRISIS);
    assert_int_equal(ref_level_parse("L4", &l), ERR_INVALID);
    assert_string_equal(ref_level_name(REF_L2), "L2");
    assert_string_equal(ref_level_name(REF_LEVEL_COUNT), "");
}

/* ---- on a real store: create, the client's answers, overdue with an injected clock ---------- */

struct world {
    struct unit_db db;
    struct org_row sender, receiver, other;
    struct client_row client, stranger;
    struct principal vol, gp, me, other_client;
    struct audit_ctx actx;
    struct keyring *kr;
};

static void w_org(struct world *w, const char *name, struct org_row *o)
{
    memset(o, 0, sizeof(*o));
    sec_random_hex(16, o->uid);
    snprintf(o->name, sizeof(o->name), "%s", name);
    snprintf(o->kind, sizeof(o->kind), "test");
    snprintf(o->region, sizeof(o->region), "Regio Test");
    assert_int_equal(store_org_insert(w->db.c, o), ERR_OK);
}

static void w_client(struct world *w, struct client_row *cl)
{
    struct keys_dek d;
    memset(cl, 0, sizeof(*cl));
    sec_random_hex(16, cl->pid);
    cl->year_of_birth = 1990;
    snprintf(cl->gender, sizeof(cl->gender), "female");
    snprintf(cl->country, sizeof(cl->country), "SY");
    snprintf(cl->language, sizeof(cl->language), "ar");
    snprintf(cl->phase, sizeof(cl->phase), "coa");
    snprintf(cl->location, sizeof(cl->location), "AZC");
    sec_random_hex(16, cl->created_by_user);
    cl->created_by_org = w->sender.id;
    assert_int_equal(store_client_insert(w->db.c, cl), ERR_OK);
    assert_int_equal(keys_dek_new(cl->pid, &d), ERR_OK);
    assert_int_equal(keys_dek_store(w->kr, w->db.c, cl->id, &d), ERR_OK);
    keys_dek_release(&d);
}

static void w_grant(struct world *w, int64_t client_id, int64_t org_id, uint32_t scopes)
{
    struct grant_row g;
    memset(&g, 0, sizeof(g));
    sec_random_hex(16, g.uid);
    g.client_id = client_id;
    g.org_id = org_id;
    g.scopes = scopes;
    snprintf(g.basis, sizeof(g.basis), "verbal_consent");
    sec_random_hex(16, g.granted_by_user);
    snprintf(g.granted_by_role, sizeof(g.granted_by_role), "volunteer");
    g.granted_by_org = w->sender.id;
    g.expires_at = INT64_MAX / 2;
    assert_int_equal(store_grant_insert(w->db.c, &g), ERR_OK);
}

static void w_who(struct principal *p, enum role r, const struct org_row *o, int64_t client_id)
{
    memset(p, 0, sizeof(*p));
    sec_random_hex(16, p->user_uid);
    p->role = r;
    p->org_id = o->id;
    memcpy(p->org_uid, o->uid, sizeof(p->org_uid));
    p->client_id = client_id;
    p->self_client_id = client_id;
}

static void w_service(struct world *w)
{
    struct store_map_service s;
    int64_t org = 0, id = 0;
    assert_int_equal(store_map_org_put(w->db.c, "map-org-1", "Praktijk", "{}", 2, 1, &org, NULL),
                     ERR_OK);
    memset(&s, 0, sizeof(s));
    s.hsds_id = "svc-crisis";
    s.org_id = org;
    s.region = "Regio Test";
    s.name = "Spoedlijn";
    s.status = "active";
    s.level = "crisis";
    s.iasc_layer = 4;
    s.max_age = -1;
    s.capacity = "open";
    s.waitlist_weeks = -1;
    s.doc = "{}";
    s.doc_len = 2;
    s.updated_at = 1;
    s.updated_by = "test";
    assert_int_equal(store_map_service_put(w->db.c, &s, &id), ERR_OK);
    s.hsds_id = "svc-l1";
    s.name = "POH-GGZ";
    s.level = "L1";
    s.level_rank = 2;
    s.iasc_layer = 3;
    assert_int_equal(store_map_service_put(w->db.c, &s, &id), ERR_OK);
    assert_int_equal(store_map_org_account_put(w->db.c, "map-org-1", w->receiver.id), ERR_OK);
}

static int world_setup(void **state)
{
    struct world *w = calloc(1, sizeof(*w));
    struct sec_key *kek = NULL;
    const char *why = "";
    unit_db_open(&w->db);
    assert_int_equal(sec_key_random(&kek), ERR_OK);
    assert_int_equal(keys_open(w->db.c, kek, &w->kr, &why), ERR_OK);
    assert_int_equal(store_begin(w->db.c, true), ERR_OK);
    w_org(w, "Vrijwilligers", &w->sender);
    w_org(w, "Praktijk", &w->receiver);
    w_org(w, "Ander", &w->other);
    w_client(w, &w->client);
    w_client(w, &w->stranger);
    w_grant(w, w->client.id, w->sender.id, SCOPE_SIGNAL | SCOPE_REFERRAL);
    w_grant(w, w->client.id, w->receiver.id, SCOPE_SIGNAL | SCOPE_REFERRAL);
    w_service(w);
    w_who(&w->vol, ROLE_VOLUNTEER, &w->sender, 0);
    w_who(&w->gp, ROLE_GP, &w->receiver, 0);
    w_who(&w->me, ROLE_CLIENT, &w->other, w->client.id);
    w_who(&w->other_client, ROLE_CLIENT, &w->other, w->stranger.id);
    w->actx.role = "test";
    w->actx.source_addr = "unit";
    w->actx.keys = w->kr;
    *state = w;
    return 0;
}

static int world_teardown(void **state)
{
    struct world *w = *state;
    store_rollback(w->db.c);
    keys_close(w->kr);
    unit_db_close(&w->db);
    free(w);
    return 0;
}

static json_t *w_create_at(struct world *w, const char *service, int64_t now)
{
    struct ref_input in;
    struct verr v = {0};
    char why[200] = "";
    json_t *out = NULL;
    memset(&in, 0, sizeof(in));
    in.client_pid = w->client.pid;
    in.service_id = service;
    in.scopes = SCOPE_SIGNAL;
    in.handover_note = "overdracht";
    in.send = true;
    assert_int_equal(ref_create(w->db.c, &w->actx, &w->vol, &in, now, &v, why, sizeof(why), &out),
                     ERR_OK);
    assert_non_null(out);
    return out;
}

static json_t *w_create(struct world *w, int64_t now)
{
    return w_create_at(w, "svc-crisis", now);
}

static enum err answer(struct world *w, const struct principal *who, const char *id, bool went,
                       const char *reason, json_t **out)
{
    struct verr v = {0};
    char why[200] = "";
    *out = NULL;
    return ref_client_answer(w->db.c, &w->actx, who, id, went, reason, 1000, &v, why, sizeof(why),
                             out);
}

static void test_client_answers(void **state)
{
    struct world *w = *state;
    json_t *ref = w_create(w, at("2026-11-20T09:00:00Z")), *out = NULL;
    const char *id = json_string_value(json_object_get(ref, "id"));

    assert_string_equal(json_string_value(json_object_get(ref, "state")), "sent");
    /* could not go, without saying why: refused, nothing changes */
    assert_int_equal(answer(w, &w->me, id, false, NULL, &out), ERR_INVALID);
    assert_int_equal(answer(w, &w->me, id, false, "", &out), ERR_INVALID);
    /* only the client, and only on its own dossier */
    assert_int_equal(answer(w, &w->vol, id, true, NULL, &out), ERR_FORBIDDEN);
    assert_int_equal(answer(w, &w->other_client, id, true, NULL, &out), ERR_NOT_FOUND);
    assert_true(w->actx.denial_pending);
    w->actx.denial_pending = false;
    assert_int_equal(answer(w, &w->me, id, false, "geen vervoer", &out), ERR_OK);
    assert_string_equal(json_string_value(json_object_get(out, "client_answer")), "could_not_go");
    assert_true(json_is_true(json_object_get(out, "needs_new_offer")));
    assert_string_equal(json_string_value(json_object_get(out, "state")), "sent");
    json_decref(out);
    assert_int_equal(answer(w, &w->me, id, true, NULL, &out), ERR_OK);
    assert_string_equal(json_string_value(json_object_get(out, "client_answer")), "went");
    assert_true(json_is_false(json_object_get(out, "needs_new_offer")));
    /* creation + two answers = three events; the reason comes back from its sealed column */
    assert_int_equal(json_array_size(json_object_get(out, "transitions")), 3);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(out, "transitions"), 1), "note")),
                        "geen vervoer");
    json_decref(out);
    json_decref(ref);
}

static bool has_text(const unsigned char *b, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++) {
        if (!memcmp(b + i, needle, m)) {
            return true;
        }
    }
    return false;
}

struct note_seen {
    int sealed;
    int events;
};

static enum err note_check(const struct referral_event_row *e, void *ctx)
{
    struct note_seen *ns = ctx;
    ns->events++;
    assert_int_equal(strlen(e->uid), STORE_UID_LEN);
    if (e->note.len) {
        assert_int_equal(e->note.b[0], 0x01);
        assert_false(has_text(e->note.b, e->note.len, "vervoer"));
        ns->sealed++;
    }
    return ERR_OK;
}

/* What storage holds of a referral's free text is sealed; the API gives it back. */
static void test_notes_are_sealed(void **state)
{
    struct world *w = *state;
    json_t *ref = w_create(w, at("2026-11-20T09:00:00Z")), *out = NULL;
    const char *id = json_string_value(json_object_get(ref, "id"));
    struct note_seen ns = {0, 0};
    struct referral_row r;

    assert_string_equal(json_string_value(json_object_get(ref, "handover_note")), "overdracht");
    assert_int_equal(answer(w, &w->me, id, false, "geen vervoer", &out), ERR_OK);
    json_decref(out);
    assert_int_equal(store_referral_by_uid(w->db.c, id, &r), ERR_OK);
    assert_int_equal(r.handover_note.len, STORE_SEALED_HEAD + SEC_SEAL_OVERHEAD + 10);
    assert_int_equal(r.handover_note.b[0], 0x01);
    assert_false(has_text(r.handover_note.b, r.handover_note.len, "overdracht"));
    assert_int_equal(r.contact_with.len, 0); /* none planned: SQL NULL */
    assert_int_equal(store_referral_event_each(w->db.c, r.id, note_check, &ns), ERR_OK);
    assert_int_equal(ns.events, 2);
    assert_int_equal(ns.sealed, 1);
    /* without the keyring the answer is refused (the data key is loaded before any write) */
    w->actx.keys = NULL;
    assert_int_equal(answer(w, &w->me, id, true, NULL, &out), ERR_INTERNAL);
    w->actx.keys = w->kr;
    json_decref(ref);
}

static void test_stored_overdue_with_clock(void **state)
{
    struct world *w = *state;
    int64_t sent = at("2026-11-20T09:00:00Z");
    json_t *ref = w_create(w, sent), *out = NULL, *obj;
    const char *id = json_string_value(json_object_get(ref, "id"));

    assert_int_equal(ref_get(w->db.c, &w->actx, &w->gp, id, sent + HOUR, &out), ERR_OK);
    assert_true(json_is_false(json_object_get(out, "overdue")));
    assert_string_equal(json_string_value(json_object_get(out, "due_at")),
                        "2026-11-20T23:59:59.999Z");
    json_decref(out);
    assert_int_equal(ref_get(w->db.c, &w->actx, &w->gp, id, sent + DAY, &out), ERR_OK);
    assert_string_equal(json_string_value(json_object_get(out, "overdue_reason")),
                        "no_first_contact");
    json_decref(out);
    /* on the sender's worklist a day later, not an hour later */
    obj = json_object();
    assert_int_equal(ref_worklist_add(w->db.c, &w->actx, &w->vol, sent + HOUR, obj), ERR_OK);
    assert_int_equal(json_array_size(json_object_get(obj, "referrals")), 0);
    assert_int_equal(ref_worklist_add(w->db.c, &w->actx, &w->vol, sent + DAY, obj), ERR_OK);
    assert_int_equal(json_array_size(json_object_get(obj, "referrals")), 1);
    json_decref(obj);
    json_decref(ref);
}

/* The first-contact target comes from the active route-map rules: main() sets L1 to 3 days. */
static void test_targets_from_route_rules(void **state)
{
    struct world *w = *state;
    int64_t sent = at("2026-11-16T09:00:00Z"); /* Monday */
    json_t *ref = w_create_at(w, "svc-l1", sent), *out = NULL;
    const char *id = json_string_value(json_object_get(ref, "id"));
    struct ref_step st = {.to = "received"};
    struct verr v = {0};
    char why[200] = "";

    assert_string_equal(json_string_value(json_object_get(ref, "level")), "L1");
    assert_int_equal(
        ref_transition(w->db.c, &w->actx, &w->gp, id, &st, sent + HOUR, &v, why, sizeof(why), &out),
        ERR_OK);
    assert_string_equal(json_string_value(json_object_get(out, "due_at")),
                        "2026-11-19T09:00:00.000Z");
    json_decref(out);
    assert_int_equal(ref_get(w->db.c, &w->actx, &w->vol, id, sent + 3 * DAY + 1, &out), ERR_OK);
    assert_string_equal(json_string_value(json_object_get(out, "overdue_reason")),
                        "no_first_contact");
    json_decref(out);
    json_decref(ref);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_transition),
        cmocka_unit_test(test_end_states_and_names),
        cmocka_unit_test(test_reasons),
        cmocka_unit_test(test_working_days),
        cmocka_unit_test(test_not_received_across_weekend),
        cmocka_unit_test(test_each_level_target),
        cmocka_unit_test(test_crisis_same_day),
        cmocka_unit_test(test_levels),
        cmocka_unit_test_setup_teardown(test_client_answers, world_setup, world_teardown),
        cmocka_unit_test_setup_teardown(test_notes_are_sealed, world_setup, world_teardown),
        cmocka_unit_test_setup_teardown(test_stored_overdue_with_clock, world_setup,
                                        world_teardown),
        cmocka_unit_test_setup_teardown(test_targets_from_route_rules, world_setup, world_teardown),
    };
    struct route_rules *rules = NULL;
    struct verr v = {0};

    /* one source for the targets: the route map's rules, here with L1 at 3 days */
    if (route_load_default(&rules, &v)) {
        return 1;
    }
    rules->targets_days[RL_L1] = 3;
    if (route_set_active(rules)) {
        return 1;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
