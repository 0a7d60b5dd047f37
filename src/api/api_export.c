/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * GET /api/v1/clients/{id}/export: the client's dossier as a FHIR R4 Bundle (docs/dossier.md
 * §4). The access check and the `export` audit row come from dossier_client_open(); each part is
 * then read through its own domain function (which checks and audits again) and only when the
 * caller's effective scopes allow it: screenings need signal, referrals need referral, and a
 * referral's handover note rides along only for the client or a caller holding every scope the
 * referral shared. Grants and the access log go to everyone who may open the dossier, as in the
 * client view. This file only gathers and converts (src/fhir/bundle.c).
 */
#include "core/compat.h"

#include "api/api_int.h"
#include "core/clock.h"
#include "dossier/dossier.h"
#include "fhir/fhir.h"
#include "referral/referral.h"
#include "screening/screening.h"

struct export_ctx {
    struct api_req *r;
    const char *pid;
    uint32_t eff; /* the caller's effective scopes on the client */
    bool own;     /* the client (or its holder) exports its own dossier */
    int64_t now;
    json_t *bundle;
    json_t *orgs; /* organisation uid -> true, added as Organization resources at the end */
};

/* Converted stored data that does not convert is corrupt, not bad input. */
static enum err stored(enum err rc)
{
    return rc == ERR_INVALID ? ERR_CORRUPT : rc;
}

static enum err add(struct export_ctx *x, enum err rc, json_t *resource)
{
    if (rc) {
        json_decref(resource);
        return stored(rc);
    }
    return stored(fhir_bundle_add(x->bundle, resource));
}

static enum err note_org(struct export_ctx *x, const char *uid)
{
    if (!uid || !*uid) {
        return ERR_OK;
    }
    return json_object_set_new(x->orgs, uid, json_true()) ? ERR_NOMEM : ERR_OK;
}

static enum err export_patient(struct export_ctx *x, const struct client_row *c)
{
    struct fhir_patient_in in = {c->pid, c->gender, c->year_of_birth, c->language};
    json_t *p = NULL;
    enum err rc = fhir_bundle_new(x->r->request_id, x->now, &x->bundle);

    if (rc) {
        return rc;
    }
    rc = fhir_patient(&in, &p);
    return add(x, rc, p);
}

static enum err export_screenings(struct export_ctx *x)
{
    json_t *list = NULL, *item;
    size_t i;
    enum err rc = screen_list(x->r->conn, &x->r->actx, &x->r->who, x->pid, &list);

    json_array_foreach(json_object_get(list, "items"), i, item)
    {
        json_t *qr = NULL;
        if (rc) {
            break;
        }
        rc = api__screening_fhir(x->r, x->pid, json_string_value(json_object_get(item, "id")), &qr);
        rc = add(x, rc, qr);
    }
    json_decref(list);
    return rc;
}

/* The scope bits of an array of scope names; unknown names count as every scope. */
static uint32_t scope_bits(const json_t *names)
{
    uint32_t bits = 0, bit;
    json_t *n;
    size_t i;

    json_array_foreach(names, i, n)
    {
        const char *s = json_string_value(n);
        bits |= (s && !consent_scope_parse(s, &bit)) ? bit : SCOPE_ALL;
    }
    return bits;
}

static enum err export_referral(struct export_ctx *x, const json_t *ref)
{
    bool note = x->own || (scope_bits(json_object_get(ref, "scopes")) & ~x->eff) == 0;
    json_t *task = NULL, *request = NULL;
    enum err rc = fhir_referral(ref, note, &task, &request);

    rc = add(x, rc, task);
    rc = add(x, rc, request);
    rc = rc ? rc
            : note_org(x, json_string_value(json_object_get(json_object_get(ref, "from"), "id")));
    return rc ? rc
              : note_org(x, json_string_value(json_object_get(json_object_get(ref, "to"), "id")));
}

static bool listed(const json_t *items, const char *id)
{
    size_t i;
    json_t *item;

    json_array_foreach(items, i, item)
    {
        const char *u = json_string_value(json_object_get(item, "id"));
        if (u && !strcmp(u, id)) {
            return true;
        }
    }
    return false;
}

/* A re-referral names the one it follows up (ServiceRequest.replaces) only when that one is in
 * the Bundle too: every reference resolves inside it. */
static enum err keep_links_inside(json_t *items)
{
    size_t i;
    json_t *item;

    json_array_foreach(items, i, item)
    {
        const char *old = json_string_value(json_object_get(item, "replaces"));
        if (old && !listed(items, old) && json_object_set_new(item, "replaces", json_null())) {
            return ERR_NOMEM;
        }
    }
    return ERR_OK;
}

static enum err export_referrals(struct export_ctx *x)
{
    json_t *list = NULL, *item;
    size_t i;
    enum err rc = ref_client_list(x->r->conn, &x->r->actx, &x->r->who, x->pid, x->now, &list);

    rc = rc ? rc : keep_links_inside(json_object_get(list, "items"));
    json_array_foreach(json_object_get(list, "items"), i, item)
    {
        if (rc) {
            break;
        }
        rc = export_referral(x, item);
    }
    json_decref(list);
    return rc;
}

/* One Consent: the organisation's uid is looked up, the scopes become provision codes. */
static enum err add_consent(struct export_ctx *x, struct fhir_consent_in *in, int64_t org_id,
                            uint32_t scopes)
{
    struct org_row org;
    json_t *consent = NULL, *names = api__scopes_json(scopes);
    enum err rc = names ? store_org_by_id(x->r->conn, org_id, &org) : ERR_NOMEM;

    if (!rc) {
        in->pid = x->pid;
        in->org_uid = org.uid;
        in->scopes = names;
        rc = fhir_consent(in, &consent);
        rc = add(x, rc, consent);
        rc = rc ? rc : note_org(x, org.uid);
    }
    json_decref(names);
    return rc;
}

static enum err grant_item(const struct grant_row *g, void *ctx)
{
    struct export_ctx *x = ctx;
    bool revoked_early = g->revoked_at && g->revoked_at < g->expires_at;
    struct fhir_consent_in in = {
        .id = g->uid,
        .status = (g->revoked_at || g->expires_at <= x->now) ? "inactive" : "active",
        .basis = g->basis,
        .created_ms = g->created_at,
        .end_ms = revoked_early ? g->revoked_at : g->expires_at,
    };
    return add_consent(x, &in, g->org_id, g->scopes);
}

/* A professional's request: proposed while open, rejected when the client declined it. */
static enum err request_item(const struct grant_request_row *q, void *ctx)
{
    struct export_ctx *x = ctx;
    struct fhir_consent_in in = {
        .id = q->uid,
        .status = !strcmp(q->state, "open") ? "proposed" : "rejected",
        .basis = "request",
        .created_ms = q->created_at,
        .end_ms = q->created_at + q->days * 86400000LL,
    };
    return add_consent(x, &in, q->org_id, q->scopes);
}

static enum err log_item(const struct audit_row *a, void *ctx)
{
    struct export_ctx *x = ctx;
    struct fhir_audit_in in = {a->id,   a->at,     a->client_pid,  a->org_id,
                               a->role, a->action, a->object_type, a->outcome};
    json_t *ev = NULL;
    enum err rc = fhir_audit_event(&in, &ev);

    rc = add(x, rc, ev);
    return rc ? rc : note_org(x, a->org_id);
}

static enum err export_orgs(struct export_ctx *x)
{
    const char *uid;
    json_t *val;

    json_object_foreach(x->orgs, uid, val)
    {
        struct org_row org;
        json_t *o = NULL;
        enum err rc = store_org_by_uid(x->r->conn, uid, &org);

        if (rc == ERR_NOT_FOUND) {
            continue; /* a log row of an organisation since removed: the uid stays */
        }
        rc = rc ? rc : fhir_organization(org.uid, org.name, &o);
        rc = add(x, rc, o);
        if (rc) {
            return rc;
        }
    }
    return ERR_OK;
}

static enum err export_parts(struct export_ctx *x, const struct client_row *client)
{
    struct api_req *r = x->r;
    enum err rc = export_patient(x, client);

    if (!rc && (x->eff & SCOPE_SIGNAL)) {
        rc = export_screenings(x);
    }
    if (!rc && (x->eff & SCOPE_REFERRAL)) {
        rc = export_referrals(x);
    }
    rc = rc ? rc
            : dossier_grant_list_all(r->conn, &r->actx, &r->who, x->pid, grant_item, request_item,
                                     x);
    rc =
        rc ? rc : dossier_access_log(r->conn, &r->actx, &r->who, x->pid, 0, INT64_MAX, log_item, x);
    return rc ? rc : export_orgs(x);
}

enum err api_export_bundle(struct api_req *r, const char *pid, json_t **out)
{
    struct export_ctx x = {r, pid, 0, false, clock_now_ms(), NULL, json_object()};
    struct client_row client;
    enum err rc = x.orgs ? ERR_OK : ERR_NOMEM;

    *out = NULL;
    rc = rc ? rc
            : dossier_client_open(r->conn, &r->actx, &r->who, x.pid, SCOPE_ANY, "export", "dossier",
                                  &client, &x.eff);
    if (!rc) {
        x.own = r->who.role == ROLE_CLIENT;
        rc = export_parts(&x, &client);
    }
    if (!rc) {
        *out = x.bundle;
        x.bundle = NULL;
    }
    json_decref(x.bundle);
    json_decref(x.orgs);
    return rc;
}

enum err api_client_export(struct api_req *r)
{
    enum err rc = api_export_bundle(r, r->params[0], &r->resp);

    if (!rc) {
        snprintf(r->disposition, sizeof(r->disposition),
                 "attachment; filename=\"veerkracht-%s.json\"", r->params[0]);
    }
    return rc;
}
