/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The Veerkracht profile on top of HSDS 3.0 (docs/social-map.md §1–§3): what each attribute of
 * our taxonomy may sit on and what value it takes, translations and their review status, and
 * the per-service rules (exactly one care level, one cost option per phase served, derived age
 * bands, interpreter, capacity, a contact with a chain role, ...). Attributes of other
 * taxonomies are kept and not interpreted.
 */
#include "core/compat.h"

#include <limits.h>
#include <stdarg.h>

#include "directory/hsds_int.h"

#define TERMS_MAX 512 /* >= hsds_term_count() */
#define AGE_MAX   150

static const char *str_member(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static const struct hsds_term *our_term(json_t *attr)
{
    return json_is_object(attr) ? hsds_term_by_id(str_member(attr, "taxonomy_term_id")) : NULL;
}

static size_t term_index(const struct hsds_term *t)
{
    size_t i = (size_t)(t - hsds_term_at(0));
    if (i >= TERMS_MAX) {
        BUG("taxonomy larger than TERMS_MAX");
    }
    return i;
}

static bool has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* ---- one attribute ------------------------------------------------------------------------- */

#define ON(t) (1u << (t))

static unsigned allowed_on(const struct hsds_term *t)
{
    static const struct {
        const char *dim;
        unsigned on;
    } dims[] = {
        {"care_level", ON(HT_SERVICE)},
        {"iasc_layer", ON(HT_SERVICE)},
        {"phase", ON(HT_SERVICE) | ON(HT_COST_OPTION)},
        {"age_group", ON(HT_SERVICE)},
        {"target_group", ON(HT_SERVICE)},
        {"legal_status", ON(HT_SERVICE)},
        {"entry_route", ON(HT_SERVICE)},
        {"cost", ON(HT_COST_OPTION)},
        {"culture", ON(HT_SERVICE)},
        {"capacity", ON(HT_SERVICE)},
        {"chain_role", ON(HT_CONTACT)},
    };
    if (has_prefix(t->code, "interpreter.paid_by.")) {
        return ON(HT_COST_OPTION);
    }
    if (has_prefix(t->code, "interpreter.")) {
        return ON(HT_SERVICE);
    }
    for (size_t i = 0; i < ARRAY_SIZE(dims); i++) {
        if (strcmp(dims[i].dim, t->parent) == 0) {
            return dims[i].on;
        }
    }
    return ~0u; /* translation, translation_status: any object with attributes */
}

static void check_placement(struct hck *c, const struct hsds_term *t, enum hsds_type on)
{
    unsigned ok = allowed_on(t);
    char field[64];
    const char *dot;
    const struct hsds_field *f;

    if (!(ok & ON(on))) {
        hsds__err(c, "taxonomy_term_id", "%s belongs on a %s, not on a %s", t->code,
                  ok & ON(HT_SERVICE)
                      ? (ok & ON(HT_COST_OPTION) ? "service or cost_option" : "service")
                  : ok & ON(HT_CONTACT) ? "contact"
                                        : "cost_option",
                  hsds__types[on].name);
        return;
    }
    if (!has_prefix(t->code, "translation.")) {
        return;
    }
    dot = strrchr(t->code, '.');
    snprintf(field, sizeof(field), "%.*s", (int)(dot - t->code - 12), t->code + 12);
    f = hsds__field(on, field);
    if (!f || f->kind != HK_STRING) {
        hsds__err(c, "taxonomy_term_id", "%s translates %s, but a %s has no such field", t->code,
                  field, hsds__types[on].name);
    }
}

static bool whole_weeks(const char *v)
{
    size_t n = strlen(v);
    if (n == 0 || n > 4 || (n > 1 && v[0] == '0')) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9') {
            return false;
        }
    }
    return true;
}

static void check_value(struct hck *c, const struct hsds_term *t, json_t *attr)
{
    json_t *jv = json_object_get(attr, "value");
    const char *v = json_string_value(jv);

    if (jv && !v) {
        return; /* a type error, reported by the structure check */
    }
    if (strcmp(t->parent, "translation") == 0) {
        if (!v) {
            hsds__err(c, "value", "required: a translation carries its (non-empty) text in value");
        }
    } else if (strcmp(t->parent, "translation_status") == 0) {
        if (!v || (strcmp(v, "draft") != 0 && strcmp(v, "reviewed") != 0)) {
            hsds__err(c, "value", "%s needs the value \"draft\" or \"reviewed\"", t->code);
        }
    } else if (strcmp(t->code, "capacity.waitlist") == 0) {
        if (!v || !whole_weeks(v)) {
            hsds__err(c, "value",
                      "capacity.waitlist needs the expected wait in whole weeks "
                      "(an integer >= 0 as a string, such as \"6\")");
        }
    } else if (strcmp(t->code, "capacity.updated") == 0) {
        if (!v || !hsds__valid_date(v, strlen(v))) {
            hsds__err(c, "value", "capacity.updated needs the date it was last set (YYYY-MM-DD)");
        }
    } else if (v) {
        hsds__err(c, "value", "%s takes no value", t->code);
    }
}

void hsds__check_attribute(struct hck *c, json_t *attr, const struct hsds_parent *p)
{
    const struct hsds_term *t = our_term(attr);
    const char *lt = str_member(attr, "link_type");

    if (!t) {
        return; /* another taxonomy: kept, not interpreted */
    }
    if (!json_object_get(attr, "taxonomy_term")) {
        json_object_set_new(attr, "taxonomy_term", hsds_term_json(t));
    }
    if (!t->parent) {
        hsds__err(c, "taxonomy_term_id", "%s is the root of a dimension; attach one of its values",
                  t->code);
        return;
    }
    if (lt && strcmp(lt, t->parent) != 0) {
        hsds__err(c, "link_type", "must be \"%s\", the dimension of %s", t->parent, t->code);
    }
    if (p) {
        check_placement(c, t, p->type);
    }
    check_value(c, t, attr);
}

/* ---- the attributes of one object ---------------------------------------------------------- */

static void translation_statuses(struct hck *c, const unsigned char *need,
                                 const unsigned char *have, const size_t *status_at)
{
    char sub[48];
    for (size_t i = 0; i < hsds_term_count(); i++) {
        const struct hsds_term *t = hsds_term_at(i);
        if (need[i] && !have[i]) {
            hsds__err(c, "attributes", "translations in %s need a %s attribute (draft or reviewed)",
                      t->lang, t->code);
        } else if (have[i] && !need[i]) {
            snprintf(sub, sizeof(sub), "attributes/%zu", status_at[i]);
            hsds__err(c, sub, "%s without any %s translation on this object", t->code, t->lang);
        }
    }
}

void hsds__check_attr_set(struct hck *c, json_t *obj, enum hsds_type t)
{
    json_t *attrs = json_object_get(obj, "attributes");
    unsigned char seen[TERMS_MAX] = {0}, need[TERMS_MAX] = {0}, have[TERMS_MAX] = {0};
    size_t status_at[TERMS_MAX] = {0};
    char sub[48], code[48];
    size_t i;

    (void)t;
    for (i = 0; i < json_array_size(attrs); i++) {
        const struct hsds_term *term = our_term(json_array_get(attrs, i));
        size_t k;
        if (!term || !term->parent) {
            continue;
        }
        k = term_index(term);
        if (seen[k]++) {
            snprintf(sub, sizeof(sub), "attributes/%zu", i);
            hsds__err(c, sub, "%s appears twice on this object", term->code);
        }
        if (strcmp(term->parent, "translation") == 0) {
            const struct hsds_term *st;
            snprintf(code, sizeof(code), "translation_status.%s", term->lang);
            st = hsds_term_by_code(code);
            if (st) {
                need[term_index(st)] = 1;
            }
        } else if (strcmp(term->parent, "translation_status") == 0) {
            have[k] = 1;
            status_at[k] = i;
        }
    }
    translation_statuses(c, need, have, status_at);
}

/* ---- the service profile ------------------------------------------------------------------- */

struct tally {
    size_t count, first, second;
    const struct hsds_term *term; /* of the first match */
};

/* Our attributes of obj whose code equals `code`, or starts with it when it ends in '.'. */
static struct tally tally(json_t *obj, const char *code, const char *except)
{
    json_t *attrs = json_object_get(obj, "attributes");
    struct tally r = {0, 0, 0, NULL};
    size_t n = strlen(code);

    for (size_t i = 0; i < json_array_size(attrs); i++) {
        const struct hsds_term *t = our_term(json_array_get(attrs, i));
        bool hit = t && (code[n - 1] == '.' ? has_prefix(t->code, code) : !strcmp(t->code, code));
        if (!hit || (except && strcmp(t->code, except) == 0)) {
            continue;
        }
        if (r.count == 0) {
            r.first = i;
            r.term = t;
        } else if (r.count == 1) {
            r.second = i;
        }
        r.count++;
    }
    return r;
}

static void at_attr(struct hck *c, size_t i, const char *fmt, ...) VK_PRINTF(3, 4);

static void at_attr(struct hck *c, size_t i, const char *fmt, ...)
{
    char sub[48], msg[sizeof(c->errs->items[0].detail)];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    snprintf(sub, sizeof(sub), "attributes/%zu", i);
    hsds__err(c, sub, "%s", msg);
}

static void exactly_one(struct hck *c, json_t *s, const char *prefix, const char *dim)
{
    struct tally r = tally(s, prefix, NULL);
    if (r.count == 0) {
        hsds__err(c, "attributes", "needs exactly one %s attribute; found none", dim);
    } else if (r.count > 1) {
        at_attr(c, r.second, "a second %s: a service has exactly one", dim);
    }
}

static void at_least_one(struct hck *c, json_t *s, const char *prefix, const char *dim)
{
    if (tally(s, prefix, NULL).count == 0) {
        hsds__err(c, "attributes", "needs at least one %s attribute", dim);
    }
}

static void profile_required(struct hck *c, json_t *s)
{
    static const char *const fields[] = {"description",  "application_process", "minimum_age",
                                         "assured_date", "assurer_email",       "service_areas"};
    const char *status = str_member(s, "status");
    for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
        if (!json_object_get(s, fields[i])) {
            hsds__err(c, fields[i], "required by the Veerkracht profile (docs/social-map.md §1)");
        }
    }
    if (status && strcmp(status, "temporarily closed") == 0 && !json_object_get(s, "alert")) {
        hsds__err(c, "alert",
                  "required when status is \"temporarily closed\": say why and until "
                  "when");
    }
}

static void profile_dims(struct hck *c, json_t *s)
{
    struct tally nl = tally(s, "legal_status.no_limit", NULL);
    exactly_one(c, s, "care_level.", "care_level");
    exactly_one(c, s, "iasc_layer.", "iasc_layer");
    at_least_one(c, s, "phase.", "phase");
    at_least_one(c, s, "legal_status.", "legal_status");
    at_least_one(c, s, "entry_route.", "entry_route");
    if (nl.count && tally(s, "legal_status.", NULL).count > 1) {
        at_attr(c, nl.first, "legal_status.no_limit stands alone: remove the other legal statuses");
    }
}

static bool profile_interpreter(struct hck *c, json_t *s)
{
    struct tally yes = tally(s, "interpreter.provided", NULL);
    struct tally no = tally(s, "interpreter.not_provided", NULL);
    struct tally mode = tally(s, "interpreter.mode.", NULL);

    if (!yes.count && !no.count) {
        hsds__err(c, "attributes", "needs interpreter.provided or interpreter.not_provided");
    } else if (yes.count && no.count) {
        at_attr(c, no.first,
                "interpreter.not_provided and interpreter.provided exclude each other");
    } else if (yes.count && !mode.count) {
        hsds__err(c, "attributes", "interpreter.provided needs at least one interpreter.mode.*");
    } else if (no.count && mode.count) {
        at_attr(c, mode.first, "%s needs interpreter.provided, not interpreter.not_provided",
                mode.term->code);
    }
    return yes.count > 0;
}

static void profile_capacity(struct hck *c, json_t *s)
{
    struct tally st = tally(s, "capacity.", "capacity.updated");
    if (st.count == 0) {
        hsds__err(c, "attributes",
                  "needs one of capacity.open, capacity.waitlist, "
                  "capacity.closed");
    } else if (st.count > 1) {
        at_attr(c, st.second, "a second capacity state: a service has one");
    }
    if (tally(s, "capacity.updated", NULL).count == 0) {
        hsds__err(c, "attributes", "needs capacity.updated with the date capacity was last set");
    }
}

static const struct {
    const char *code;
    int lo, hi;
} age_bands[] = {
    {"age_group.0_3", 0, 3},     {"age_group.4_11", 4, 11},   {"age_group.12_17", 12, 17},
    {"age_group.18_26", 18, 26}, {"age_group.27_64", 27, 64}, {"age_group.65_plus", 65, INT_MAX},
};

static bool age_ok(struct hck *c, json_t *s, const char *field, int *out)
{
    json_t *v = json_object_get(s, field);
    if (!json_is_integer(v)) {
        return false;
    }
    if (json_integer_value(v) < 0 || json_integer_value(v) > AGE_MAX) {
        hsds__err(c, field, "out of range: an age in years from 0 to %d", AGE_MAX);
        return false;
    }
    *out = (int)json_integer_value(v);
    return true;
}

static void profile_ages(struct hck *c, json_t *s)
{
    int lo = 0, hi = INT_MAX;
    char range[32];

    if (!age_ok(c, s, "minimum_age", &lo) ||
        (json_object_get(s, "maximum_age") && !age_ok(c, s, "maximum_age", &hi))) {
        return;
    }
    if (hi < lo) {
        hsds__err(c, "maximum_age", "must not be below minimum_age (%d)", lo);
        return;
    }
    snprintf(range, sizeof(range), hi == INT_MAX ? "%d and up" : "%d to %d", lo, hi);
    for (size_t i = 0; i < ARRAY_SIZE(age_bands); i++) {
        struct tally r = tally(s, age_bands[i].code, NULL);
        bool want = lo <= age_bands[i].hi && age_bands[i].lo <= hi;
        if (want && !r.count) {
            hsds__err(c, "attributes",
                      "%s missing: it overlaps the ages %s (bands are derived "
                      "from minimum_age and maximum_age)",
                      age_bands[i].code, range);
        } else if (!want && r.count) {
            at_attr(c, r.first, "%s does not overlap the ages %s", age_bands[i].code, range);
        }
    }
}

static void cost_option_rules(struct hck *c, json_t *co, size_t k, bool interp)
{
    struct tally ph = tally(co, "phase.", NULL), cost = tally(co, "cost.", NULL);
    struct tally pay = tally(co, "interpreter.paid_by.", NULL);
    json_t *amount = json_object_get(co, "amount");
    char sub[64];

    snprintf(sub, sizeof(sub), "cost_options/%zu/attributes", k);
    if (ph.count != 1) {
        hsds__err(c, sub, "a cost option needs exactly one phase attribute; found %zu", ph.count);
    }
    if (cost.count != 1) {
        hsds__err(c, sub, "a cost option needs exactly one cost attribute; found %zu", cost.count);
    }
    if (interp ? pay.count != 1 : pay.count > 1) {
        hsds__err(c, sub, "%s",
                  interp ? "interpreter.provided: each cost option needs exactly "
                           "one interpreter.paid_by.*"
                         : "at most one interpreter.paid_by.* per cost option");
    }
    snprintf(sub, sizeof(sub), "cost_options/%zu/amount", k);
    if (json_is_number(amount) && json_number_value(amount) < 0) {
        hsds__err(c, sub, "must not be negative");
    } else if (cost.count == 1 && strcmp(cost.term->code, "cost.free") == 0 &&
               json_is_number(amount) && json_number_value(amount) != 0) {
        hsds__err(c, sub, "cost.free means amount 0 or no amount");
    }
}

static void profile_costs(struct hck *c, json_t *s, bool interp)
{
    json_t *cos = json_object_get(s, "cost_options");
    struct tally coa = tally(s, "phase.coa", NULL), mun = tally(s, "phase.municipality", NULL);
    size_t covered_coa = 0, covered_mun = 0;
    char sub[64];

    for (size_t k = 0; k < json_array_size(cos); k++) {
        json_t *co = json_array_get(cos, k);
        struct tally ph;
        bool is_coa;
        if (!json_is_object(co)) {
            continue;
        }
        cost_option_rules(c, co, k, interp);
        ph = tally(co, "phase.", NULL);
        if (ph.count != 1) {
            continue;
        }
        is_coa = strcmp(ph.term->code, "phase.coa") == 0;
        snprintf(sub, sizeof(sub), "cost_options/%zu", k);
        if (!(is_coa ? coa.count : mun.count)) {
            hsds__err(c, sub, "%s is not one of the service's phases", ph.term->code);
        } else if ((is_coa ? covered_coa++ : covered_mun++) > 0) {
            hsds__err(c, sub, "a second cost option for %s: one per phase served", ph.term->code);
        }
    }
    if ((coa.count && !covered_coa) || (mun.count && !covered_mun)) {
        hsds__err(c, "cost_options", "no cost option for %s: one per phase the service serves",
                  coa.count && !covered_coa ? "phase.coa" : "phase.municipality");
    }
}

static void profile_contacts(struct hck *c, json_t *s)
{
    json_t *contacts = json_object_get(s, "contacts");
    for (size_t i = 0; i < json_array_size(contacts); i++) {
        if (tally(json_array_get(contacts, i), "chain_role.", NULL).count) {
            return;
        }
    }
    hsds__err(c, "contacts",
              "needs at least one contact with a chain_role attribute (who "
              "signals, refers, treats, ...)");
}

void hsds__check_service_profile(struct hck *c, json_t *s)
{
    bool interp;
    profile_required(c, s);
    profile_dims(c, s);
    interp = profile_interpreter(c, s);
    profile_capacity(c, s);
    profile_ages(c, s);
    profile_costs(c, s, interp);
    profile_contacts(c, s);
}
