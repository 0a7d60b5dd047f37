/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The dossier export builders (src/fhir/bundle.c): every referral state maps to a Task and a
 * ServiceRequest status, a Patient carries the pseudonym only, the bundle drops a second copy
 * of a resource, and bad input is refused without output. Schema validity of the whole export
 * is checked over HTTP in tests/api/export.test.mjs.
 */
#include "core/compat.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "fhir/fhir.h"

#define PID "fedcba9876543210fedcba9876543210"
#define RID "0123456789abcdef0123456789abcdef"
#define OA  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define OB  "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static json_t *referral(const char *state)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:{s:s}, s:{s:s}, s:s, s:s}", "id", RID,
                     "client_id", PID, "state", state, "level", "L2", "service", "id", "svc-1",
                     "name", "Basis-GGZ", "from", "id", OA, "to", "id", OB, "created_at",
                     "2026-11-22T10:00:00.000Z", "handover_note", "NOTE");
}

static const char *str_at(json_t *o, const char *path)
{
    return json_string_value(json_object_get(o, path));
}

static void every_state_maps(void **state)
{
    static const char *const map[][3] = {
        {"draft", "draft", "draft"},
        {"sent", "requested", "active"},
        {"received", "received", "active"},
        {"accepted", "accepted", "active"},
        {"waitlisted", "on-hold", "on-hold"},
        {"declined", "rejected", "revoked"},
        {"first_contact_planned", "in-progress", "active"},
        {"first_contact_done", "in-progress", "active"},
        {"completed", "completed", "completed"},
        {"closed_unsuccessful", "failed", "revoked"},
        {"cancelled", "cancelled", "revoked"},
    };
    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(map); i++) {
        json_t *ref = referral(map[i][0]), *task, *sr;
        assert_int_equal(fhir_referral(ref, false, &task, &sr), ERR_OK);
        assert_string_equal(str_at(task, "status"), map[i][1]);
        assert_string_equal(str_at(sr, "status"), map[i][2]);
        assert_string_equal(str_at(json_object_get(task, "focus"), "reference"),
                            "ServiceRequest/" RID);
        assert_null(json_object_get(sr, "note"));
        json_decref(task);
        json_decref(sr);
        json_decref(ref);
    }
}

static void note_only_when_asked_and_bad_state_refused(void **state)
{
    json_t *ref = referral("sent"), *task, *sr;
    (void)state;
    assert_int_equal(fhir_referral(ref, true, &task, &sr), ERR_OK);
    assert_string_equal(str_at(json_array_get(json_object_get(sr, "note"), 0), "text"), "NOTE");
    assert_string_equal(
        str_at(
            json_array_get(
                json_object_get(json_array_get(json_object_get(sr, "reasonCode"), 0), "coding"), 0),
            "code"),
        "care_level.L2");
    json_decref(task);
    json_decref(sr);
    json_object_set_new(ref, "state", json_string("lost"));
    assert_int_equal(fhir_referral(ref, true, &task, &sr), ERR_INVALID);
    assert_null(task);
    assert_null(sr);
    json_decref(ref);
}

static void patient_is_pseudonymous(void **state)
{
    struct fhir_patient_in in = {PID, "female", 1994, "ar"};
    json_t *p;
    (void)state;
    assert_int_equal(fhir_patient(&in, &p), ERR_OK);
    assert_string_equal(str_at(p, "birthDate"), "1994");
    assert_string_equal(str_at(p, "id"), PID);
    assert_null(json_object_get(p, "name"));
    assert_null(json_object_get(p, "telecom"));
    assert_int_equal(json_object_size(p),
                     6); /* resourceType id identifier gender birthDate comm. */
    json_decref(p);
    in.gender = "f";
    assert_int_equal(fhir_patient(&in, &p), ERR_INVALID);
    assert_null(p);
    in.gender = "male";
    in.pid = "not a fhir id!";
    assert_int_equal(fhir_patient(&in, &p), ERR_INVALID);
}

static void bundle_drops_duplicates(void **state)
{
    json_t *b, *o;
    (void)state;
    assert_int_equal(fhir_bundle_new(RID, 0, &b), ERR_OK);
    assert_int_equal(fhir_organization(OA, "A", &o), ERR_OK);
    assert_int_equal(fhir_bundle_add(b, o), ERR_OK);
    assert_int_equal(fhir_organization(OA, "A", &o), ERR_OK);
    assert_int_equal(fhir_bundle_add(b, o), ERR_OK);
    assert_int_equal(fhir_organization(OB, "", &o), ERR_OK);
    assert_int_equal(fhir_bundle_add(b, o), ERR_OK);
    assert_int_equal(json_array_size(json_object_get(b, "entry")), 2);
    assert_string_equal(str_at(json_array_get(json_object_get(b, "entry"), 0), "fullUrl"),
                        "urn:veerkracht:Organization/" OA);
    assert_int_equal(fhir_bundle_add(b, json_pack("{s:s}", "resourceType", "Patient")),
                     ERR_INVALID);
    json_decref(b);
}

static void audit_and_consent(void **state)
{
    struct fhir_audit_in a = {7, 0, PID, OA, "gp", "grant_revoke", "grant", "success"};
    json_t *scopes = json_pack("[s, s]", "signal", "referral"), *ev, *c;
    struct fhir_consent_in ci = {RID, PID, "active", OB, scopes, "client_consent", 0, 1000};
    (void)state;
    assert_int_equal(fhir_audit_event(&a, &ev), ERR_OK);
    assert_string_equal(str_at(ev, "id"), "audit-7");
    assert_string_equal(str_at(ev, "action"), "U");
    assert_string_equal(str_at(ev, "outcome"), "0");
    json_decref(ev);
    a.org_uid = "";
    a.action = "login";
    a.outcome = "denied";
    assert_int_equal(fhir_audit_event(&a, &ev), ERR_OK);
    assert_string_equal(str_at(ev, "action"), "E");
    assert_string_equal(str_at(ev, "outcome"), "4");
    assert_null(json_object_get(json_array_get(json_object_get(ev, "agent"), 0), "who"));
    json_decref(ev);
    assert_int_equal(fhir_consent(&ci, &c), ERR_OK);
    assert_int_equal(json_array_size(json_object_get(json_object_get(c, "provision"), "code")), 2);
    json_decref(c);
    ci.status = "granted";
    assert_int_equal(fhir_consent(&ci, &c), ERR_INVALID);
    assert_null(c);
    json_decref(scopes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_state_maps),
        cmocka_unit_test(note_only_when_asked_and_bad_state_refused),
        cmocka_unit_test(patient_is_pseudonymous),
        cmocka_unit_test(bundle_drops_duplicates),
        cmocka_unit_test(audit_and_consent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
