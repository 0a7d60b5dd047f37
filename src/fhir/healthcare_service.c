/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * A social-map service (nested HSDS 3.0 JSON with the Veerkracht PSH taxonomy) as a FHIR R4
 * HealthcareService, following docs/social-map.md §5. Codes of our taxonomy keep their code and
 * use the taxonomy URI as system. Locations and service areas travel as contained Location
 * resources (the service's own data has no Location endpoint to point at). Dutch texts are the
 * values; the other languages ride along in the standard translation extension, as in the
 * Questionnaire export. Cost per phase and chain roles have no place in R4 and stay HSDS-only.
 */
#include "core/compat.h"

#include "directory/hsds.h"
#include "fhir/fhir_int.h"

#define EXT_ASSURED "https://veerkracht.example/fhir/StructureDefinition/assured-date"

static const char *jstr(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static const struct hsds_term *attr_term(const json_t *attr)
{
    return hsds_term_by_id(jstr(attr, "taxonomy_term_id"));
}

/* {nl: obj[field], <lang>: translation, ...} as fhir__set_text wants it; NULL without Dutch. */
static json_t *texts(const json_t *obj, const char *field)
{
    size_t n = strlen(field), i;
    const json_t *a;
    json_t *t;

    if (!jstr(obj, field)) {
        return NULL;
    }
    t = json_pack("{s:s}", "nl", jstr(obj, field));
    json_array_foreach(json_object_get(obj, "attributes"), i, a)
    {
        const struct hsds_term *term = attr_term(a);
        const char *c = term ? term->code : "";

        if (!strncmp(c, "translation.", 12) && !strncmp(c + 12, field, n) && c[12 + n] == '.' &&
            jstr(a, "value")) {
            json_object_set_new(t, c + 13 + n, json_string(jstr(a, "value")));
        }
    }
    return t;
}

static enum err set_text(json_t *obj, const char *key, const json_t *src, const char *field)
{
    json_t *t = texts(src, field);
    enum err rc = t ? fhir__set_text(obj, key, t, NULL) : ERR_OK;

    json_decref(t);
    return rc;
}

static json_t *coding(const struct hsds_term *t)
{
    return json_pack("{s:s, s:s, s:s}", "system", HSDS_TAXONOMY_URI, "code", t->code, "display",
                     t->name);
}

static json_t *concept(const struct hsds_term *t, const char *display)
{
    json_t *c = coding(t);

    if (display) {
        json_object_set_new(c, "display", json_string(display));
    }
    return json_pack("{s:[o]}", "coding", c);
}

/* One CodeableConcept per attribute of obj whose code starts with one of the prefixes. */
static json_t *concepts(const json_t *obj, const char *const *prefixes, size_t np)
{
    json_t *out = json_array();
    const json_t *a;
    size_t i;

    json_array_foreach(json_object_get(obj, "attributes"), i, a)
    {
        const struct hsds_term *t = attr_term(a);

        for (size_t p = 0; t && p < np; p++) {
            if (!strncmp(t->code, prefixes[p], strlen(prefixes[p]))) {
                json_array_append_new(out, concept(t, NULL));
                break;
            }
        }
    }
    return out;
}

static bool has_code(const json_t *obj, const char *code)
{
    const json_t *a;
    size_t i;

    json_array_foreach(json_object_get(obj, "attributes"), i, a)
    {
        const struct hsds_term *t = attr_term(a);

        if (t && !strcmp(t->code, code)) {
            return true;
        }
    }
    return false;
}

/* Moves arr into obj[key] when it has members; drops it otherwise (FHIR forbids empty arrays). */
static enum err put_list(json_t *obj, const char *key, json_t *arr)
{
    if (!json_array_size(arr)) {
        json_decref(arr);
        return ERR_OK;
    }
    return fhir__put(obj, key, arr);
}

static const char *telecom_system(const char *hsds_type)
{
    if (hsds_type && !strcmp(hsds_type, "fax")) {
        return "fax";
    }
    if (hsds_type && !strcmp(hsds_type, "text")) {
        return "sms";
    }
    if (hsds_type && !strcmp(hsds_type, "pager")) {
        return "pager";
    }
    return "phone";
}

static json_t *telecom(const json_t *s)
{
    json_t *out = json_array();
    const json_t *p;
    size_t i;

    json_array_foreach(json_object_get(s, "phones"), i, p)
    {
        if (jstr(p, "number")) {
            json_array_append_new(out, json_pack("{s:s, s:s, s:s}", "system",
                                                 telecom_system(jstr(p, "type")), "value",
                                                 jstr(p, "number"), "use", "work"));
        }
    }
    if (jstr(s, "email")) {
        json_array_append_new(
            out, json_pack("{s:s, s:s}", "system", "email", "value", jstr(s, "email")));
    }
    if (jstr(s, "url")) {
        json_array_append_new(out,
                              json_pack("{s:s, s:s}", "system", "url", "value", jstr(s, "url")));
    }
    return out;
}

static json_t *communication(const json_t *s)
{
    json_t *out = json_array();
    const json_t *l;
    size_t i;

    json_array_foreach(json_object_get(s, "languages"), i, l)
    {
        if (jstr(l, "code")) {
            json_array_append_new(out, json_pack("{s:[{s:s, s:s}]}", "coding", "system",
                                                 "urn:ietf:bcp:47", "code", jstr(l, "code")));
        }
    }
    return out;
}

/* ---- contained locations ------------------------------------------------------------------ */

/* A contained Location for a service location (with position when it has coordinates). */
static json_t *location(const json_t *l, const char *id)
{
    json_t *loc = json_pack("{s:s, s:s, s:s, s:s}", "resourceType", "Location", "id", id, "status",
                            "active", "mode", "instance");
    const json_t *lat = json_object_get(l, "latitude"), *lon = json_object_get(l, "longitude");

    if (jstr(l, "name")) {
        json_object_set_new(loc, "name", json_string(jstr(l, "name")));
    }
    if (json_is_number(lat) && json_is_number(lon)) {
        json_object_set_new(loc, "position",
                            json_pack("{s:f, s:f}", "latitude", json_number_value(lat), "longitude",
                                      json_number_value(lon)));
    }
    if (jstr(l, "url")) {
        json_object_set_new(loc, "telecom",
                            json_pack("[{s:s, s:s}]", "system", "url", "value", jstr(l, "url")));
    }
    if (jstr(l, "description")) {
        json_object_set_new(loc, "description", json_string(jstr(l, "description")));
    }
    return loc;
}

/* A contained Location for a service area, identified by its URI. */
static json_t *area(const json_t *a, const char *id)
{
    json_t *loc = json_pack("{s:s, s:s, s:s, s:s}", "resourceType", "Location", "id", id, "status",
                            "active", "mode", "kind");

    if (jstr(a, "uri")) {
        json_object_set_new(
            loc, "identifier",
            json_pack("[{s:s, s:s}]", "system", "urn:ietf:rfc:3986", "value", jstr(a, "uri")));
    }
    if (jstr(a, "name")) {
        json_object_set_new(loc, "name", json_string(jstr(a, "name")));
    }
    return loc;
}

static json_t *reference(const char *id, const char *display)
{
    json_t *r = json_object();

    json_object_set_new(r, "reference", json_sprintf("#%s", id));
    if (display) {
        json_object_set_new(r, "display", json_string(display));
    }
    return r;
}

/* contained + location + coverageArea. */
static enum err places(const json_t *s, json_t *hs)
{
    json_t *contained = json_array(), *locs = json_array(), *areas = json_array();
    const json_t *v;
    size_t i;
    char id[32];
    enum err rc;

    json_array_foreach(json_object_get(s, "service_at_locations"), i, v)
    {
        const json_t *l = json_object_get(v, "location");

        if (l) {
            snprintf(id, sizeof(id), "loc%zu", i + 1);
            json_array_append_new(contained, location(l, id));
            json_array_append_new(locs, reference(id, jstr(l, "name")));
        }
    }
    json_array_foreach(json_object_get(s, "service_areas"), i, v)
    {
        snprintf(id, sizeof(id), "area%zu", i + 1);
        json_array_append_new(contained, area(v, id));
        json_array_append_new(areas, reference(id, jstr(v, "name")));
    }
    rc = put_list(hs, "contained", contained);
    if (!rc) {
        rc = put_list(hs, "location", locs);
    }
    if (!rc) {
        rc = put_list(hs, "coverageArea", areas);
    }
    return rc;
}

/* ---- eligibility, characteristics, times -------------------------------------------------- */

/* The Dutch eligibility text with ages and legal statuses, as markdown. */
static json_t *eligibility_comment(const json_t *s)
{
    const json_t *max = json_object_get(s, "maximum_age"), *a;
    long long min = (long long)json_integer_value(json_object_get(s, "minimum_age"));
    struct buf b = BUF_INIT(4 * HSDS_TEXT_MAX);
    const char *sep = "\n\nVerblijfsstatus: ";
    enum err rc = buf_addstr(
        &b, jstr(s, "eligibility_description") ? jstr(s, "eligibility_description") : "");
    size_t i;
    json_t *out;

    if (!rc && json_is_integer(max)) {
        rc = buf_addf(&b, "\n\nLeeftijd: %lld tot en met %lld jaar.", min,
                      (long long)json_integer_value(max));
    } else if (!rc) {
        rc = buf_addf(&b, "\n\nLeeftijd: vanaf %lld jaar.", min);
    }
    json_array_foreach(json_object_get(s, "attributes"), i, a)
    {
        const struct hsds_term *t = attr_term(a);

        if (!rc && t && !strncmp(t->code, "legal_status.", 13)) {
            rc = buf_addf(&b, "%s%s", sep, t->name);
            sep = ", ";
        }
    }
    out = rc ? NULL : json_stringn(b.ptr, b.len);
    buf_release(&b);
    return out;
}

static json_t *eligibility(const json_t *s)
{
    json_t *out = json_array();
    const json_t *a;
    size_t i;

    json_array_foreach(json_object_get(s, "attributes"), i, a)
    {
        const struct hsds_term *t = attr_term(a);

        if (t && !strncmp(t->code, "phase.", 6)) {
            json_array_append_new(out, json_pack("{s:o, s:o}", "code", concept(t, NULL), "comment",
                                                 eligibility_comment(s)));
        }
    }
    return out;
}

/* The codes that become a characteristic: interpreter, culture, capacity state. */
static bool is_characteristic(const char *code)
{
    return !strncmp(code, "interpreter.", 12) || !strncmp(code, "culture.", 8) ||
           (!strncmp(code, "capacity.", 9) && strcmp(code, "capacity.updated"));
}

/* "Waiting list (…): 6; updated 2026-10-01": the capacity state with its weeks and date. */
static json_t *capacity_display(const struct hsds_term *t, const json_t *a, const char *updated)
{
    const char *v = jstr(a, "value");

    return json_sprintf("%s%s%s%s%s", t->name, v ? ": " : "", v ? v : "",
                        updated ? "; updated " : "", updated ? updated : "");
}

/* interpreter.*, culture.*, capacity.* (weeks and date in the display). */
static json_t *characteristics(const json_t *s)
{
    json_t *out = json_array();
    const char *updated = NULL;
    const json_t *a;
    size_t i;

    json_array_foreach(json_object_get(s, "attributes"), i, a)
    {
        const struct hsds_term *t = attr_term(a);

        if (t && !strcmp(t->code, "capacity.updated")) {
            updated = jstr(a, "value");
        }
    }
    json_array_foreach(json_object_get(s, "attributes"), i, a)
    {
        const struct hsds_term *t = attr_term(a);
        json_t *display;

        if (!t || !is_characteristic(t->code)) {
            continue;
        }
        display = strncmp(t->code, "capacity.", 9) ? NULL : capacity_display(t, a, updated);
        json_array_append_new(out, concept(t, json_string_value(display)));
        json_decref(display);
    }
    return out;
}

/* "MO,WE" → ["mon", "wed"]; unknown days are left out. */
static json_t *days(const char *byday)
{
    static const char *const ical[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
    static const char *const fhir[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    json_t *out = json_array();

    for (const char *p = byday; p && *p;) {
        size_t n = strcspn(p, ",");

        for (size_t i = 0; i < ARRAY_SIZE(ical); i++) {
            if (n == 2 && !strncmp(p, ical[i], 2)) {
                json_array_append_new(out, json_string(fhir[i]));
            }
        }
        p += n + (p[n] == ',');
    }
    return out;
}

/* "14:00" → "14:00:00"; NULL unless HH:MM or HH:MM:SS. */
static json_t *fhir_time(const char *t)
{
    size_t n = t ? strlen(t) : 0;

    if (n == 5 && strspn(t, "0123456789:") == 5 && t[2] == ':') {
        return json_sprintf("%s:00", t);
    }
    if (n == 8 && strspn(t, "0123456789:") == 8 && t[2] == ':' && t[5] == ':') {
        return json_string(t);
    }
    return NULL;
}

static json_t *available_times(const json_t *s)
{
    json_t *out = json_array();
    const json_t *sc;
    size_t i;

    json_array_foreach(json_object_get(s, "schedules"), i, sc)
    {
        json_t *at = json_object(), *d = days(jstr(sc, "byday"));
        json_t *from = fhir_time(jstr(sc, "opens_at")), *to = fhir_time(jstr(sc, "closes_at"));

        put_list(at, "daysOfWeek", d);
        if (from && to) {
            json_object_set_new(at, "availableStartTime", from);
            json_object_set_new(at, "availableEndTime", to);
        } else {
            json_decref(from);
            json_decref(to);
        }
        if (json_object_size(at)) {
            json_array_append_new(out, at);
        } else {
            json_decref(at);
        }
    }
    return out;
}

/* alert and "temporarily closed": notAvailable and availabilityExceptions. */
static enum err not_available(const json_t *s, json_t *hs)
{
    const char *status = jstr(s, "status"), *alert = jstr(s, "alert");
    bool closed = status && !strcmp(status, "temporarily closed");
    enum err rc = ERR_OK;

    if (alert || closed) {
        json_t *na = json_object();

        rc = alert ? set_text(na, "description", s, "alert")
                   : fhir__put(na, "description", json_string("Tijdelijk gesloten"));
        rc = rc ? rc : fhir__put(hs, "notAvailable", json_pack("[o]", na));
    }
    if (!rc && closed) {
        rc = fhir__put(hs, "availabilityExceptions", json_string("Tijdelijk gesloten"));
    }
    return rc;
}

/* ---- the resource ------------------------------------------------------------------------- */

static enum err header(const json_t *s, json_t *hs)
{
    const json_t *org = json_object_get(s, "organization");
    const char *status = jstr(s, "status"), *assured = jstr(s, "assured_date");
    const char *org_id = jstr(s, "organization_id") ? jstr(s, "organization_id") : jstr(org, "id");
    enum err rc = ERR_OK;

    if (assured) {
        rc = fhir__put(hs, "extension",
                       json_pack("[{s:s, s:s}]", "url", EXT_ASSURED, "valueDate", assured));
    }
    if (!rc) {
        rc = fhir__put(hs, "active",
                       json_boolean(status && (!strcmp(status, "active") ||
                                               !strcmp(status, "temporarily closed"))));
    }
    if (!rc && org_id) {
        json_t *ref = json_pack("{s:s}", "reference", "");
        json_object_set_new(ref, "reference", json_sprintf("Organization/%s", org_id));
        if (jstr(org, "name")) {
            json_object_set_new(ref, "display", json_string(jstr(org, "name")));
        }
        rc = fhir__put(hs, "providedBy", ref);
    }
    return rc;
}

/* name, comment (alternate_name), extraDetails (description and how to apply). */
static enum err hs_texts(const json_t *s, json_t *hs)
{
    json_t *details = texts(s, "description"), *apply = texts(s, "application_process");
    const char *lang;
    json_t *v;
    enum err rc = set_text(hs, "name", s, "name");

    rc = rc ? rc : set_text(hs, "comment", s, "alternate_name");
    if (!rc && details) {
        json_object_foreach(details, lang, v)
        {
            const char *a = json_string_value(json_object_get(apply, lang));

            if (!a) {
                a = json_string_value(json_object_get(apply, "nl"));
            }
            if (a) {
                json_object_set_new(details, lang,
                                    json_sprintf("%s\n\n%s", json_string_value(v), a));
            }
        }
        rc = fhir__set_text(hs, "extraDetails", details, NULL);
    }
    json_decref(details);
    json_decref(apply);
    return rc;
}

static enum err codes(const json_t *s, json_t *hs)
{
    static const char *const category[] = {"care_level.", "iasc_layer."};
    static const char *const type[] = {"target_group."};
    static const char *const referral[] = {"entry_route."};
    enum err rc = put_list(hs, "category", concepts(s, category, ARRAY_SIZE(category)));

    rc = rc ? rc : put_list(hs, "type", concepts(s, type, ARRAY_SIZE(type)));
    rc = rc ? rc : put_list(hs, "telecom", telecom(s));
    rc = rc ? rc : put_list(hs, "communication", communication(s));
    rc = rc ? rc : put_list(hs, "eligibility", eligibility(s));
    rc = rc ? rc : put_list(hs, "referralMethod", concepts(s, referral, ARRAY_SIZE(referral)));
    if (!rc) {
        rc = fhir__put(hs, "appointmentRequired",
                       json_boolean(!has_code(s, "entry_route.no_referral")));
    }
    rc = rc ? rc : put_list(hs, "characteristic", characteristics(s));
    rc = rc ? rc : put_list(hs, "availableTime", available_times(s));
    return rc;
}

enum err fhir_healthcare_service(const json_t *service, json_t **out)
{
    const char *id = jstr(service, "id");
    json_t *hs = NULL;
    enum err rc;

    *out = NULL;
    if (!id || !*id || strlen(id) > 64 ||
        strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-.") !=
            strlen(id) ||
        !jstr(service, "name")) {
        return ERR_INVALID;
    }
    hs = json_pack("{s:s, s:s}", "resourceType", "HealthcareService", "id", id);
    rc = hs ? header(service, hs) : ERR_NOMEM;
    rc = rc ? rc : places(service, hs);
    rc = rc ? rc : hs_texts(service, hs);
    rc = rc ? rc : codes(service, hs);
    rc = rc ? rc : not_available(service, hs);
    if (rc) {
        json_decref(hs);
        return rc;
    }
    *out = hs;
    return ERR_OK;
}
