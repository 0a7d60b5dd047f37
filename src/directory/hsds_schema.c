/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The HSDS 3.0 objects as tables: every field of openreferral/specification schema/ files at
 * commit 67e7b37a (docs/social-map.md "Which HSDS version"), in schema order, with its type,
 * format, enum and whether the schema requires it. Validation and the CSV datapackage are both
 * driven from here. Two deviations, both stricter: "number" fields that count things (ages,
 * interval, extension, ...) must be integers, and the nestings whose CSV form is ambiguous
 * (organization.locations, organization.programs) are refused as not supported yet.
 */
#include "core/compat.h"

#include "directory/hsds_int.h"

#define F(n, k, fm, fl, c, e)                                                                      \
    {                                                                                              \
        (n), (k), (fm), (fl), (c), (e)                                                             \
    }
#define STR(n)      F(n, HK_STRING, HF_NONE, 0, 0, NULL)
#define STRF(n, fm) F(n, HK_STRING, fm, 0, 0, NULL)
#define REQ(n)      F(n, HK_STRING, HF_NONE, HSDS_F_REQ, 0, NULL)
#define TAB(n)      F(n, HK_STRING, HF_NONE, HSDS_F_TAB, 0, NULL)
#define NUM(n)      F(n, HK_NUMBER, HF_NONE, 0, 0, NULL)
#define INT(n)      F(n, HK_INTEGER, HF_NONE, 0, 0, NULL)
#define ARR(n, c)   F(n, HK_ARRAY, HF_NONE, 0, c, NULL)
#define OBJ(n, c)   F(n, HK_OBJECT, HF_NONE, 0, c, NULL)
#define ATTRS       ARR("attributes", HT_ATTRIBUTE)
#define META        ARR("metadata", HT_METADATA)
#define ID          REQ("id")

static const char *const service_status[] = {"active", "inactive", "defunct", "temporarily closed",
                                             NULL};
static const char *const location_types[] = {"physical", "postal", "virtual", NULL};
static const char *const weekdays[] = {"MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN", NULL};
static const char *const freqs[] = {"WEEKLY", "MONTHLY", NULL};

static const struct hsds_field f_service[] = {
    ID,
    TAB("organization_id"),
    STR("program_id"),
    REQ("name"),
    STR("alternate_name"),
    STR("description"),
    STRF("url", HF_URI),
    STRF("email", HF_EMAIL),
    F("status", HK_STRING, HF_NONE, HSDS_F_REQ, 0, service_status),
    STR("interpretation_services"),
    STR("application_process"),
    STR("fees_description"),
    STR("accreditations"),
    STR("eligibility_description"),
    INT("minimum_age"),
    INT("maximum_age"),
    STRF("assured_date", HF_DATE),
    STRF("assurer_email", HF_EMAIL),
    STR("alert"),
    ARR("schedules", HT_SCHEDULE),
    ARR("languages", HT_LANGUAGE),
    OBJ("program", HT_PROGRAM),
    ARR("fundings", HT_FUNDING),
    ARR("required_documents", HT_REQUIRED_DOCUMENT),
    ARR("service_at_locations", HT_SERVICE_AT_LOCATION),
    ARR("phones", HT_PHONE),
    OBJ("organization", HT_ORGANIZATION),
    ARR("contacts", HT_CONTACT),
    ARR("cost_options", HT_COST_OPTION),
    ARR("service_areas", HT_SERVICE_AREA),
    ATTRS,
    META,
};

static const struct hsds_field f_organization[] = {
    ID,
    REQ("name"),
    STR("alternate_name"),
    REQ("description"),
    STRF("email", HF_EMAIL),
    STRF("website", HF_URI),
    INT("year_incorporated"),
    STR("legal_status"),
    STR("logo"),
    STRF("uri", HF_URI),
    STR("parent_organization_id"),
    ARR("organization_identifiers", HT_ORGANIZATION_IDENTIFIER),
    F("programs", HK_ARRAY, HF_NONE, HSDS_F_UNSUPPORTED, HT_PROGRAM, NULL),
    ARR("contacts", HT_CONTACT),
    F("locations", HK_ARRAY, HF_NONE, HSDS_F_UNSUPPORTED, HT_LOCATION, NULL),
    ARR("fundings", HT_FUNDING),
    ARR("phones", HT_PHONE),
    ATTRS,
    META,
};

static const struct hsds_field f_location[] = {
    ID,
    F("location_type", HK_STRING, HF_NONE, HSDS_F_REQ, 0, location_types),
    STRF("url", HF_URI),
    STR("organization_id"),
    STR("name"),
    STR("alternate_name"),
    STR("description"),
    STR("transportation"),
    NUM("latitude"),
    NUM("longitude"),
    STR("external_identifier"),
    STR("external_identifier_type"),
    ARR("phones", HT_PHONE),
    ARR("accessibilitys", HT_ACCESSIBILITY),
    ARR("contacts", HT_CONTACT),
    ARR("schedules", HT_SCHEDULE),
    ARR("languages", HT_LANGUAGE),
    ARR("addresss", HT_ADDRESS),
    ATTRS,
    META,
};

static const struct hsds_field f_sal[] = {
    ID,
    TAB("service_id"),
    TAB("location_id"),
    STR("description"),
    ARR("phones", HT_PHONE),
    OBJ("location", HT_LOCATION),
    ARR("contacts", HT_CONTACT),
    ARR("schedules", HT_SCHEDULE),
    ATTRS,
    META,
};

static const struct hsds_field f_contact[] = {
    ID,
    STR("organization_id"),
    STR("service_id"),
    STR("service_at_location_id"),
    STR("location_id"),
    STR("name"),
    STR("title"),
    STR("department"),
    STRF("email", HF_EMAIL),
    ARR("phones", HT_PHONE),
    ATTRS,
    META,
};

static const struct hsds_field f_phone[] = {
    ID,
    STR("location_id"),
    STR("service_id"),
    STR("organization_id"),
    STR("contact_id"),
    STR("service_at_location_id"),
    REQ("number"),
    INT("extension"),
    STR("type"),
    STR("description"),
    ARR("languages", HT_LANGUAGE),
    ATTRS,
    META,
};

static const struct hsds_field f_schedule[] = {
    ID,
    STR("service_id"),
    STR("location_id"),
    STR("service_at_location_id"),
    STRF("valid_from", HF_DATE),
    STRF("valid_to", HF_DATE),
    STRF("dtstart", HF_DATE),
    NUM("timezone"),
    STRF("until", HF_DATE),
    STR("count"),
    F("wkst", HK_STRING, HF_NONE, 0, 0, weekdays),
    F("freq", HK_STRING, HF_NONE, 0, 0, freqs),
    INT("interval"),
    STR("byday"),
    STR("byweekno"),
    INT("bymonthday"),
    INT("byyearday"),
    STR("description"),
    STRF("opens_at", HF_TIME),
    STRF("closes_at", HF_TIME),
    STRF("schedule_link", HF_URI),
    STR("attending_type"),
    STR("notes"),
    ATTRS,
    META,
};

static const struct hsds_field f_service_area[] = {
    ID,
    STR("service_id"),
    STR("name"),
    STR("description"),
    STR("extent"),
    STR("extent_type"),
    STR("uri"),
    ATTRS,
    META,
};

static const struct hsds_field f_language[] = {
    ID,          STR("service_id"), STR("location_id"), STR("phone_id"),
    STR("name"), STR("code"),       STR("note"),        ATTRS,
    META,
};

static const struct hsds_field f_cost_option[] = {
    ID,
    TAB("service_id"),
    STRF("valid_from", HF_DATE),
    STRF("valid_to", HF_DATE),
    STR("option"),
    STR("currency"),
    NUM("amount"),
    STR("amount_description"),
    ATTRS,
    META,
};

static const struct hsds_field f_required_document[] = {
    ID, STR("service_id"), STR("document"), ATTRS, META,
};

static const struct hsds_field f_attribute[] = {
    ID,
    TAB("link_id"),
    TAB("taxonomy_term_id"),
    REQ("link_type"),
    TAB("link_entity"),
    STR("value"),
    OBJ("taxonomy_term", HT_TAXONOMY_TERM),
    META,
};

static const struct hsds_field f_taxonomy[] = {
    ID, REQ("name"), REQ("description"), STRF("uri", HF_URI), META,
};

static const struct hsds_field f_taxonomy_term[] = {
    ID,
    STR("code"),
    REQ("name"),
    REQ("description"),
    STR("parent_id"),
    OBJ("taxonomy", HT_TAXONOMY),
    STR("language"),
    STR("taxonomy_id"),
    STRF("term_uri", HF_URI),
    META,
};

static const struct hsds_field f_address[] = {
    ID,
    STR("location_id"),
    STR("attention"),
    REQ("address_1"),
    STR("address_2"),
    REQ("city"),
    STR("region"),
    REQ("state_province"),
    REQ("postal_code"),
    REQ("country"),
    F("address_type", HK_STRING, HF_NONE, HSDS_F_REQ, 0, location_types),
    ATTRS,
    META,
};

static const struct hsds_field f_accessibility[] = {
    ID, STR("location_id"), STR("description"), STR("details"), STRF("url", HF_URI), ATTRS, META,
};

static const struct hsds_field f_funding[] = {
    ID, STR("organization_id"), STR("service_id"), STR("source"), ATTRS, META,
};

static const struct hsds_field f_program[] = {
    ID, TAB("organization_id"), REQ("name"), STR("alternate_name"), REQ("description"), ATTRS, META,
};

static const struct hsds_field f_metadata[] = {
    ID,
    TAB("resource_id"),
    TAB("resource_type"),
    F("last_action_date", HK_STRING, HF_DATETIME, HSDS_F_REQ, 0, NULL),
    REQ("last_action_type"),
    REQ("field_name"),
    F("previous_value", HK_STRING, HF_NONE, HSDS_F_REQ | HSDS_F_KEEP_EMPTY, 0, NULL),
    F("replacement_value", HK_STRING, HF_NONE, HSDS_F_REQ | HSDS_F_KEEP_EMPTY, 0, NULL),
    REQ("updated_by"),
};

static const struct hsds_field f_organization_identifier[] = {
    ID,
    TAB("organization_id"),
    STR("identifier_scheme"),
    REQ("identifier_type"),
    REQ("identifier"),
    ATTRS,
    META,
};

#define T(n, p, f)                                                                                 \
    {                                                                                              \
        (n), (p), (f), ARRAY_SIZE(f)                                                               \
    }
const struct hsds_type_desc hsds__types[HT_COUNT] = {
    [HT_ORGANIZATION] = T("organization", "organizations.csv", f_organization),
    [HT_SERVICE] = T("service", "services.csv", f_service),
    [HT_LOCATION] = T("location", "locations.csv", f_location),
    [HT_SERVICE_AT_LOCATION] = T("service_at_location", "service_at_location.csv", f_sal),
    [HT_CONTACT] = T("contact", "contacts.csv", f_contact),
    [HT_PHONE] = T("phone", "phones.csv", f_phone),
    [HT_SCHEDULE] = T("schedule", "schedules.csv", f_schedule),
    [HT_SERVICE_AREA] = T("service_area", "service_areas.csv", f_service_area),
    [HT_LANGUAGE] = T("language", "languages.csv", f_language),
    [HT_COST_OPTION] = T("cost_option", "cost_options.csv", f_cost_option),
    [HT_REQUIRED_DOCUMENT] = T("required_document", "required_documents.csv", f_required_document),
    [HT_ATTRIBUTE] = T("attribute", "attributes.csv", f_attribute),
    [HT_TAXONOMY] = T("taxonomy", "taxonomies.csv", f_taxonomy),
    [HT_TAXONOMY_TERM] = T("taxonomy_term", "taxonomy_terms.csv", f_taxonomy_term),
    [HT_ADDRESS] = T("address", "addresss.csv", f_address),
    [HT_ACCESSIBILITY] = T("accessibility", "accessibility.csv", f_accessibility),
    [HT_FUNDING] = T("funding", "funding.csv", f_funding),
    [HT_PROGRAM] = T("program", "programs.csv", f_program),
    [HT_METADATA] = T("metadata", "metadata.csv", f_metadata),
    [HT_ORGANIZATION_IDENTIFIER] =
        T("organization_identifier", "organization_identifiers.csv", f_organization_identifier),
};

#define R(p, f, c, k)                                                                              \
    {                                                                                              \
        (p), (c), (f), (k)                                                                         \
    }
const struct hsds_rel hsds__rels[] = {
    R(HT_SERVICE, "phones", HT_PHONE, "service_id"),
    R(HT_SERVICE, "schedules", HT_SCHEDULE, "service_id"),
    R(HT_SERVICE, "languages", HT_LANGUAGE, "service_id"),
    R(HT_SERVICE, "service_areas", HT_SERVICE_AREA, "service_id"),
    R(HT_SERVICE, "cost_options", HT_COST_OPTION, "service_id"),
    R(HT_SERVICE, "required_documents", HT_REQUIRED_DOCUMENT, "service_id"),
    R(HT_SERVICE, "contacts", HT_CONTACT, "service_id"),
    R(HT_SERVICE, "service_at_locations", HT_SERVICE_AT_LOCATION, "service_id"),
    R(HT_SERVICE, "fundings", HT_FUNDING, "service_id"),
    R(HT_ORGANIZATION, "phones", HT_PHONE, "organization_id"),
    R(HT_ORGANIZATION, "contacts", HT_CONTACT, "organization_id"),
    R(HT_ORGANIZATION, "fundings", HT_FUNDING, "organization_id"),
    R(HT_ORGANIZATION, "organization_identifiers", HT_ORGANIZATION_IDENTIFIER, "organization_id"),
    R(HT_LOCATION, "phones", HT_PHONE, "location_id"),
    R(HT_LOCATION, "accessibilitys", HT_ACCESSIBILITY, "location_id"),
    R(HT_LOCATION, "contacts", HT_CONTACT, "location_id"),
    R(HT_LOCATION, "schedules", HT_SCHEDULE, "location_id"),
    R(HT_LOCATION, "languages", HT_LANGUAGE, "location_id"),
    R(HT_LOCATION, "addresss", HT_ADDRESS, "location_id"),
    R(HT_SERVICE_AT_LOCATION, "phones", HT_PHONE, "service_at_location_id"),
    R(HT_SERVICE_AT_LOCATION, "contacts", HT_CONTACT, "service_at_location_id"),
    R(HT_SERVICE_AT_LOCATION, "schedules", HT_SCHEDULE, "service_at_location_id"),
    R(HT_CONTACT, "phones", HT_PHONE, "contact_id"),
    R(HT_PHONE, "languages", HT_LANGUAGE, "phone_id"),
};
const size_t hsds__nrels = ARRAY_SIZE(hsds__rels);

const struct hsds_field *hsds__field(enum hsds_type t, const char *name)
{
    const struct hsds_type_desc *d = &hsds__types[t];
    for (size_t i = 0; i < d->nfields; i++) {
        if (strcmp(d->fields[i].name, name) == 0) {
            return &d->fields[i];
        }
    }
    return NULL;
}

enum hsds_type hsds__type_by_name(const char *name)
{
    for (int t = 0; t < HT_COUNT; t++) {
        if (strcmp(hsds__types[t].name, name) == 0) {
            return (enum hsds_type)t;
        }
    }
    return HT_COUNT;
}

bool hsds__is_column(const struct hsds_field *f)
{
    return f->kind != HK_OBJECT && f->kind != HK_ARRAY;
}
