/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The access decision, as a table: every role x every scope x every grant state, run through
 * dossier_client_open() on a real store, so the SQL that finds active grants is tested with the
 * decision. Expected: allowed exactly when the grant is active, for the caller's organisation,
 * covers the scope, and the scope is within the role's ceiling.
 */
#include "core/compat.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "core/clock.h"
#include "dossier/dossier.h"
#include "unit_db.h"

#define DAY (24LL * 3600 * 1000)

enum gstate { G_NONE, G_ACTIVE, G_EXPIRED, G_REVOKED, G_OTHER_ORG, G_PARTIAL, G_MISSING, G__N };
static const char *const gstate_names[G__N] = {"none",      "active",  "expired",       "revoked",
                                               "other-org", "partial", "missing-client"};

struct fixture {
    struct unit_db db;
    struct org_row mine, other;
    char pid[G__N][STORE_UID_LEN + 1];
};

static void org(struct store_conn *c, const char *name, struct org_row *o)
{
    memset(o, 0, sizeof(*o));
    sec_random_hex(16, o->uid);
    snprintf(o->name, sizeof(o->name), "%s", name);
    snprintf(o->kind, sizeof(o->kind), "test");
    assert_int_equal(store_org_insert(c, o), ERR_OK);
}

static void client(struct fixture *f, enum gstate s)
{
    struct client_row r;
    struct grant_row g;
    int64_t now = clock_now_ms();

    memset(&r, 0, sizeof(r));
    sec_random_hex(16, r.pid);
    r.year_of_birth = 1990;
    snprintf(r.gender, sizeof(r.gender), "female");
    snprintf(r.country, sizeof(r.country), "SY");
    snprintf(r.language, sizeof(r.language), "ar");
    snprintf(r.phase, sizeof(r.phase), "coa");
    snprintf(r.location, sizeof(r.location), "AZC");
    snprintf(r.created_by_user, sizeof(r.created_by_user), "u");
    r.created_by_org = f->mine.id;
    r.created_at = now;
    memcpy(f->pid[s], r.pid, sizeof(r.pid));
    if (s == G_MISSING) {
        return; /* never inserted */
    }
    assert_int_equal(store_client_insert(f->db.c, &r), ERR_OK);
    if (s == G_NONE) {
        return;
    }
    memset(&g, 0, sizeof(g));
    sec_random_hex(16, g.uid);
    g.client_id = r.id;
    g.org_id = s == G_OTHER_ORG ? f->other.id : f->mine.id;
    g.scopes = s == G_PARTIAL ? SCOPE_SIGNAL : SCOPE_ALL;
    snprintf(g.basis, sizeof(g.basis), "verbal_consent");
    snprintf(g.granted_by_user, sizeof(g.granted_by_user), "u");
    snprintf(g.granted_by_role, sizeof(g.granted_by_role), "volunteer");
    g.granted_by_org = f->mine.id;
    g.created_at = now - 10 * DAY;
    g.expires_at = s == G_EXPIRED ? now - DAY : now + 30 * DAY;
    assert_int_equal(store_grant_insert(f->db.c, &g), ERR_OK);
    if (s == G_REVOKED) {
        assert_int_equal(store_grant_revoke(f->db.c, g.id, "u", now - 1), ERR_OK);
    }
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    unit_db_open(&f->db);
    org(f->db.c, "Mine", &f->mine);
    org(f->db.c, "Other", &f->other);
    for (int s = 0; s < G__N; s++) {
        client(f, (enum gstate)s);
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    unit_db_close(&f->db);
    free(f);
    return 0;
}

static bool expected(enum role r, uint32_t scope, enum gstate s)
{
    uint32_t granted = s == G_ACTIVE ? SCOPE_ALL : (s == G_PARTIAL ? SCOPE_SIGNAL : 0);
    return (consent_role_ceiling(r) & granted & scope) == scope && r != ROLE_CLIENT;
}

static void decision_table(void **state)
{
    struct fixture *f = *state;
    int checked = 0;

    for (int r = 0; r < ROLE__COUNT; r++) {
        for (int si = 0; si < SCOPE_COUNT; si++) {
            for (int s = 0; s < G__N; s++) {
                struct principal who = {0};
                struct audit_ctx actx = {0};
                struct client_row row;
                uint32_t eff = 0, scope = 1u << si;
                enum err rc;
                bool want = expected((enum role)r, scope, (enum gstate)s);

                who.role = (enum role)r;
                who.org_id = f->mine.id;
                memcpy(who.org_uid, f->mine.uid, sizeof(who.org_uid));
                assert_int_equal(store_begin(f->db.c, true), ERR_OK);
                rc = dossier_client_open(f->db.c, &actx, &who, f->pid[s], scope, "read", "client",
                                         &row, &eff);
                store_rollback(f->db.c);
                if ((rc == ERR_OK) != want) {
                    fail_msg("role %s scope %s grant %s: got %s, want %s",
                             acct_role_name((enum role)r), consent_scope_name(scope),
                             gstate_names[s], err_name(rc), want ? "allow" : "deny");
                }
                if (!want) {
                    assert_int_equal(rc, ERR_NOT_FOUND); /* same answer as a missing client */
                    assert_true(actx.denial_pending);    /* and the refusal gets audited */
                } else {
                    assert_true((eff & scope) == scope);
                    assert_true((eff & ~consent_role_ceiling((enum role)r)) == 0);
                }
                checked++;
            }
        }
    }
    assert_int_equal(checked, ROLE__COUNT * SCOPE_COUNT * G__N);
}

static void volunteers_never_hold_clinical(void **state)
{
    uint32_t eff = 0;
    assert_false(consent_decide(ROLE_VOLUNTEER, false, SCOPE_ALL, SCOPE_CLINICAL, &eff));
    assert_false(consent_decide(ROLE_KEYPERSON, false, SCOPE_ALL, SCOPE_CLINICAL, &eff));
    assert_true(consent_decide(ROLE_VOLUNTEER, false, SCOPE_ALL, SCOPE_ANY, &eff));
    assert_int_equal(eff & SCOPE_CLINICAL, 0);
    assert_int_equal(consent_role_ceiling(ROLE_ADMIN), 0);
    assert_int_equal(consent_role_ceiling(ROLE_ANALYST), 0);
}

static void client_sees_only_own_record(void **state)
{
    uint32_t eff = 0;
    assert_true(consent_decide(ROLE_CLIENT, true, 0, SCOPE_CLINICAL, &eff));
    assert_int_equal(eff, SCOPE_ALL);
    assert_false(consent_decide(ROLE_CLIENT, false, SCOPE_ALL, SCOPE_ANY, &eff));
    assert_int_equal(eff, 0);
}

static void scope_names_round_trip(void **state)
{
    for (int i = 0; i < SCOPE_COUNT; i++) {
        uint32_t bit = 0;
        assert_int_equal(consent_scope_parse(consent_scope_name(1u << i), &bit), ERR_OK);
        assert_int_equal(bit, 1u << i);
    }
    assert_null(consent_scope_name(SCOPE_SIGNAL | SCOPE_PLAN));
    assert_int_equal(consent_scope_parse("everything", &(uint32_t){0}), ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(decision_table, setup, teardown),
        cmocka_unit_test(volunteers_never_hold_clinical),
        cmocka_unit_test(client_sees_only_own_record),
        cmocka_unit_test(scope_names_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
