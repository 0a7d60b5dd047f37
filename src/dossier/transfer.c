/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Transfer packages between installations (docs/dossier.md §5): the export side packs a client's
 * dossier for another Veerkracht installation, sealed with a one-time transfer key K that only the
 * client gets, and signs it; the import side checks the signature, opens the body with K and
 * rebuilds the dossier in one transaction. Consent does not travel as access: every grant
 * becomes a request the client confirms at the new installation.
 */
#include "core/compat.h"

#include <jansson.h>

#include "core/clock.h"
#include "core/mem.h"
#include "core/sec.h"
#include "core/str.h"
#include "dossier/dossier.h"

#define DAY_MS               (24LL * 3600 * 1000)
#define TRANSFER_MAGIC       "VKTP\x01"
#define MAGIC_LEN            5
#define BODY_FORMAT          "veerkracht-transfer-body/1"
#define TRANSFER_NO_ORGS     200      /* unknown organisations listed at most */
#define TRANSFER_ANSWERS_MAX 500      /* items in one screening */
#define TRANSFER_IMPORT_ROLE "import" /* screenings.created_by_role of an imported screening */

static void put_u32(unsigned char *p, size_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static size_t get_u32(const unsigned char *p)
{
    return ((size_t)p[0] << 24) | ((size_t)p[1] << 16) | ((size_t)p[2] << 8) | (size_t)p[3];
}

static void uuid_new(char out[STORE_TRANSFER_ID_LEN + 1])
{
    unsigned char b[16];
    sec_random(b, sizeof(b));
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
    snprintf(out, STORE_TRANSFER_ID_LEN + 1,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
             b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
             b[15]);
}

static bool uuid_ok(const char *s)
{
    if (!s || strlen(s) != STORE_TRANSFER_ID_LEN) {
        return false;
    }
    for (size_t i = 0; i < STORE_TRANSFER_ID_LEN; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !strchr("0123456789abcdef", s[i])) {
            return false;
        }
    }
    return true;
}

/* A name from a package that may reach a terminal or a page: valid UTF-8, no C0 or C1 control
 * characters (an escape sequence could rewrite what the operator sees). */
static bool text_clean(const char *s)
{
    size_t len = strlen(s);

    if (!str_is_clean_utf8(s, len, false)) {
        return false;
    }
    for (size_t i = 0; i + 1 < len; i++) {
        if ((unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] < 0xA0) {
            return false; /* U+0080..U+009F */
        }
    }
    return true;
}

static json_t *scope_names(uint32_t scopes)
{
    json_t *a = json_array();
    for (int i = 0; a && i < SCOPE_COUNT; i++) {
        if (scopes & (1u << i)) {
            json_array_append_new(a, json_string(consent_scope_name(1u << i)));
        }
    }
    return a;
}

static json_t *risk_names(uint32_t flags)
{
    json_t *a = json_array();
    for (int i = 0; a && i < RISK_COUNT; i++) {
        if (flags & (1u << i)) {
            json_array_append_new(a, json_string(dossier_risk_name(1u << i)));
        }
    }
    return a;
}

void transfer_made_release(struct transfer_made *m)
{
    sec_memzero(m->key_text, sizeof(m->key_text));
    free(m->file);
    m->file = NULL;
    m->len = 0;
}

/* ---- export: the body ---------------------------------------------------------------------- */

static enum err body_client(struct store_conn *c, struct audit_ctx *actx,
                            const struct client_row *row, json_t *body)
{
    struct client_plain plain;
    enum err rc = dossier_client_reveal(c, actx, row, &plain);
    json_t *o = NULL;

    if (!rc) {
        o = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:I}", "pid", row->pid,
                      "year_of_birth", (json_int_t)row->year_of_birth, "gender", row->gender,
                      "country", row->country, "language", row->language, "phase", row->phase,
                      "location", row->location, "risk_flags", risk_names(row->risk_flags), "name",
                      plain.name, "phone", plain.phone, "created_at", (json_int_t)row->created_at);
        rc = (o && !json_object_set_new(body, "client", o)) ? ERR_OK : ERR_NOMEM;
    }
    sec_memzero(&plain, sizeof(plain));
    return rc;
}

struct screen_pack {
    struct store_conn *c;
    struct audit_ctx *actx;
    const struct keys_dek *dek;
    json_t *list;
};

static enum err pack_screening(const struct screening_row *s, void *ctx)
{
    struct screen_pack *p = ctx;
    char *answers = NULL, *result = NULL, hash[2 * SEC_HASH_BYTES + 1];
    enum err rc =
        keys_open_dup(p->dek, p->actx, STORE_COL_SCREENING_ANSWERS, s->uid, &s->answers, &answers);
    json_t *a = NULL, *r = NULL, *o;

    rc = rc ? rc
            : keys_open_dup(p->dek, p->actx, STORE_COL_SCREENING_RESULT, s->uid, &s->result,
                            &result);
    if (!rc) {
        a = json_loads(answers, 0, NULL);
        r = result[0] ? json_loads(result, 0, NULL) : json_null();
        rc = (a && r) ? ERR_OK : ERR_CORRUPT;
    }
    for (size_t i = 0; i < SEC_HASH_BYTES; i++) {
        snprintf(hash + 2 * i, 3, "%02x", s->def_hash[i]);
    }
    if (!rc) {
        o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:O, s:O, s:s, s:s, s:I, s:s, s:I}", "id",
                      s->uid, "instrument", s->instrument, "version", s->version, "def_hash", hash,
                      "language", s->language, "mode", s->mode, "answers", a, "result", r, "level",
                      s->level, "band", s->band, "flag_count", (json_int_t)s->flag_count,
                      "created_by_role", s->created_by_role, "created_at",
                      (json_int_t)s->created_at);
        rc = (o && !json_array_append_new(p->list, o)) ? ERR_OK : ERR_NOMEM;
    }
    json_decref(a);
    json_decref(r);
    if (answers) {
        sec_memzero(answers, strlen(answers));
    }
    if (result) {
        sec_memzero(result, strlen(result));
    }
    free(answers);
    free(result);
    return rc;
}

static enum err body_screenings(struct store_conn *c, struct audit_ctx *actx,
                                const struct client_row *row, json_t *body)
{
    struct keys_dek dek = {0};
    struct screen_pack p = {c, actx, &dek, json_array()};
    enum err rc = p.list ? keys_dek_load(actx->keys, c, actx, row->id, row->pid, &dek) : ERR_NOMEM;

    rc = rc ? rc : store_screening_each_for_client(c, row->id, pack_screening, &p);
    keys_dek_release(&dek);
    if (!rc && json_object_set(body, "screenings", p.list)) {
        rc = ERR_NOMEM;
    }
    json_decref(p.list);
    return rc;
}

struct grant_pack {
    struct store_conn *c;
    int64_t now;
    json_t *list;
};

/* Grants in force travel as organisation name + kind, scopes, purpose and end. */
static enum err pack_grant(const struct grant_row *g, void *ctx)
{
    struct grant_pack *p = ctx;
    struct org_row org;
    enum err rc;
    json_t *o;

    if (g->revoked_at || g->expires_at <= p->now) {
        return ERR_OK;
    }
    rc = store_org_by_id(p->c, g->org_id, &org);
    if (rc) {
        return rc;
    }
    o = json_pack("{s:{s:s, s:s}, s:o, s:s, s:s, s:I, s:b}", "organization", "name", org.name,
                  "kind", org.kind, "scopes", scope_names(g->scopes), "purpose",
                  g->purpose[0] ? g->purpose : "care", "basis", g->basis, "expires_at",
                  (json_int_t)g->expires_at, "confirmed", g->confirmed_at != 0);
    return (o && !json_array_append_new(p->list, o)) ? ERR_OK : ERR_NOMEM;
}

static enum err body_build(struct store_conn *c, struct audit_ctx *actx,
                           const struct transfer_export_in *in, json_t **out)
{
    struct grant_pack g = {c, clock_now_ms(), json_array()};
    json_t *body = json_pack("{s:s, s:O}", "format", BODY_FORMAT, "bundle", in->bundle);
    enum err rc = (body && g.list) ? ERR_OK : ERR_NOMEM;

    rc = rc ? rc : body_client(c, actx, in->client, body);
    rc = rc ? rc : body_screenings(c, actx, in->client, body);
    rc = rc ? rc : store_grant_each_for_client(c, in->client->id, pack_grant, &g);
    if (!rc && json_object_set(body, "grants", g.list)) {
        rc = ERR_NOMEM;
    }
    json_decref(g.list);
    if (rc) {
        json_decref(body);
        body = NULL;
    }
    *out = body;
    return rc;
}

/* ---- export: header, sealing, signing ------------------------------------------------------ */

static char *header_text(const struct transfer_export_in *in, const char *id,
                         const unsigned char pk[SEC_SIGN_PK_BYTES], int64_t now)
{
    char iso[32], pk64[64];
    json_t *h;
    char *text;

    clock_fmt_iso(now, iso, sizeof(iso));
    sec_base64_encode(pk, SEC_SIGN_PK_BYTES, pk64, sizeof(pk64));
    h = json_pack("{s:s, s:s, s:s, s:{s:s, s:s}}", "format", TRANSFER_FORMAT, "id", id, "created",
                  iso, "sender", "name", in->sender_name, "public_key", pk64);
    text = h ? json_dumps(h, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(h);
    return text;
}

/* magic || u32 hlen || header || u32 clen || sealed body || signature */
static enum err package_assemble(const struct sec_signer *signer, const char *header,
                                 const struct sec_key *k, const char *body, struct transfer_made *m)
{
    size_t hlen = strlen(header), blen = strlen(body);
    size_t clen = blen + SEC_SEAL_OVERHEAD;
    size_t total = MAGIC_LEN + 4 + hlen + 4 + clen + SEC_SIGN_BYTES;
    unsigned char *p;
    enum err rc;

    if (hlen > TRANSFER_HEADER_MAX || total > TRANSFER_MAX_BYTES) {
        return ERR_TOO_LARGE;
    }
    p = xmalloc(total);
    memcpy(p, TRANSFER_MAGIC, MAGIC_LEN);
    put_u32(p + MAGIC_LEN, hlen);
    memcpy(p + MAGIC_LEN + 4, header, hlen);
    put_u32(p + MAGIC_LEN + 4 + hlen, clen);
    rc = sec_seal(k, header, hlen, body, blen, p + MAGIC_LEN + 8 + hlen, clen);
    if (rc) {
        free(p);
        return rc;
    }
    sec_sign(signer, p, total - SEC_SIGN_BYTES, p + total - SEC_SIGN_BYTES);
    m->file = p;
    m->len = total;
    return ERR_OK;
}

static enum err export_record(struct store_conn *c, struct audit_ctx *actx,
                              const struct transfer_export_in *in, const struct transfer_made *m,
                              int64_t now)
{
    struct transfer_out_row row;
    struct audit_event ev = {in->client->pid, "transfer_out", "dossier", m->package_id, "success"};
    bool keep = !strcmp(in->via, "api");
    enum err rc;

    memset(&row, 0, sizeof(row));
    snprintf(row.package_id, sizeof(row.package_id), "%s", m->package_id);
    row.client_id = in->client->id;
    snprintf(row.by_user, sizeof(row.by_user), "%s", in->by_user ? in->by_user : "");
    snprintf(row.by_role, sizeof(row.by_role), "%s", in->by_role ? in->by_role : "");
    snprintf(row.via, sizeof(row.via), "%s", keep ? "api" : "cli");
    row.session_id = in->session_id;
    row.package.p = keep ? m->file : NULL; /* borrowed for the insert */
    row.package.len = keep ? m->len : 0;
    row.created_at = now;
    rc = store_transfer_out_insert(c, &row);
    return rc ? rc : audit_log(c, actx, &ev);
}

enum err transfer_export(struct store_conn *c, struct audit_ctx *actx,
                         const struct transfer_export_in *in, struct transfer_made *out)
{
    unsigned char pk[SEC_SIGN_PK_BYTES];
    struct sec_signer *signer = NULL;
    struct sec_key *k = NULL;
    json_t *body = NULL;
    char *header = NULL, *body_text = NULL;
    int64_t now = clock_now_ms();
    enum err rc;

    memset(out, 0, sizeof(*out));
    if (!in->sender_name || !*in->sender_name || strlen(in->sender_name) > TRANSFER_SENDER_MAX) {
        return ERR_INVALID;
    }
    uuid_new(out->package_id);
    rc = keys_signer(actx->keys, &signer);
    rc = rc ? rc : sec_key_random(&k);
    rc = rc ? rc : body_build(c, actx, in, &body);
    if (rc) {
        goto out;
    }
    sec_signer_public(signer, pk);
    sec_sign_fingerprint(pk, out->fingerprint);
    header = header_text(in, out->package_id, pk, now);
    body_text = json_dumps(body, JSON_COMPACT);
    rc = (header && body_text) ? package_assemble(signer, header, k, body_text, out) : ERR_NOMEM;
    rc = rc ? rc : export_record(c, actx, in, out, now);
    if (!rc) {
        sec_key_text(k, out->key_text);
    }
out:
    if (body_text) {
        sec_memzero(body_text, strlen(body_text));
    }
    free(body_text);
    free(header);
    json_decref(body);
    sec_key_free(k);
    sec_signer_free(signer);
    if (rc) {
        transfer_made_release(out);
    }
    return rc;
}

/* ---- import: reading and checking the package ---------------------------------------------- */

struct package_view {
    const unsigned char *header; /* borrowed from the file */
    size_t hlen;
    const unsigned char *sealed;
    size_t slen;
    json_t *hdr; /* owned */
    const char *id, *sender;
    int64_t created;
    unsigned char pk[SEC_SIGN_PK_BYTES];
    char fingerprint[SEC_FPR_TEXT_LEN + 1];
};

/* Layout and lengths: every byte of the file must belong to exactly one part. */
static bool package_split(const unsigned char *f, size_t len, struct package_view *pv)
{
    size_t rest;

    if (len < MAGIC_LEN + 8 + SEC_SIGN_BYTES || memcmp(f, TRANSFER_MAGIC, MAGIC_LEN)) {
        return false;
    }
    rest = len - MAGIC_LEN - 8 - SEC_SIGN_BYTES;
    pv->hlen = get_u32(f + MAGIC_LEN);
    if (pv->hlen == 0 || pv->hlen > TRANSFER_HEADER_MAX || pv->hlen > rest) {
        return false;
    }
    pv->header = f + MAGIC_LEN + 4;
    pv->slen = get_u32(pv->header + pv->hlen);
    pv->sealed = pv->header + pv->hlen + 4;
    return pv->slen == rest - pv->hlen && pv->slen >= SEC_SEAL_OVERHEAD;
}

/* The header: exactly the members we write, in canonical form; the key it names. */
static bool header_parse(struct package_view *pv)
{
    json_t *s, *h = json_loadb((const char *)pv->header, pv->hlen, JSON_REJECT_DUPLICATES, NULL);
    const char *pk64, *created;
    char *canon = NULL;
    size_t n = 0;
    bool ok;

    pv->hdr = h;
    s = json_object_get(h, "sender");
    pk64 = json_string_value(json_object_get(s, "public_key"));
    created = json_string_value(json_object_get(h, "created"));
    pv->id = json_string_value(json_object_get(h, "id"));
    pv->sender = json_string_value(json_object_get(s, "name"));
    ok = json_object_size(h) == 4 && json_object_size(s) == 2 && pv->sender && *pv->sender &&
         strlen(pv->sender) <= TRANSFER_SENDER_MAX && text_clean(pv->sender) && uuid_ok(pv->id) &&
         created && !clock_parse_iso(created, &pv->created) && pk64 &&
         !strcmp(json_string_value(json_object_get(h, "format"))
                     ? json_string_value(json_object_get(h, "format"))
                     : "",
                 TRANSFER_FORMAT);
    ok = ok && !sec_base64_decode(pk64, strlen(pk64), pv->pk, sizeof(pv->pk), &n) &&
         n == SEC_SIGN_PK_BYTES;
    canon = ok ? json_dumps(h, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    ok = ok && canon && strlen(canon) == pv->hlen && !memcmp(canon, pv->header, pv->hlen);
    free(canon);
    if (ok) {
        sec_sign_fingerprint(pv->pk, pv->fingerprint);
    }
    return ok;
}

/* Format, signature, then K: on success *body is the opened dossier (owned). */
static enum err package_open(const struct transfer_import_in *in, struct package_view *pv,
                             struct verr *v, json_t **body)
{
    struct sec_key *k = NULL;
    unsigned char *pt = NULL;
    size_t ptlen = 0;
    enum err rc;

    *body = NULL;
    if (!package_split(in->file, in->len, pv) || !header_parse(pv)) {
        verr_add(v, "/package", "not a Veerkracht transfer package (" TRANSFER_FORMAT ")");
        return ERR_INVALID;
    }
    if (!sec_sign_verify(pv->pk, in->file, in->len - SEC_SIGN_BYTES,
                         in->file + in->len - SEC_SIGN_BYTES)) {
        verr_add(v, "/package", "the signature does not match: the package was changed");
        return ERR_INVALID;
    }
    if (!in->key_text || sec_key_from_text(in->key_text, in->key_len, &k)) {
        verr_add(v, "/key", "not a transfer key: 13 groups of 4 letters and digits");
        return ERR_INVALID;
    }
    pt = xmalloc(pv->slen);
    rc = sec_open(k, pv->header, pv->hlen, pv->sealed, pv->slen, pt, pv->slen, &ptlen);
    sec_key_free(k);
    if (rc) {
        verr_add(v, "/key", "this key does not open this package");
        rc = ERR_INVALID;
    } else {
        *body = json_loadb((const char *)pt, ptlen, JSON_REJECT_DUPLICATES, NULL);
        if (!*body) {
            verr_add(v, "/package", "the dossier in the package is not readable");
            rc = ERR_INVALID;
        }
    }
    sec_memzero(pt, pv->slen);
    free(pt);
    return rc;
}

enum err transfer_package_open(const unsigned char *file, size_t len, const char *key,
                               size_t key_len, struct verr *v, struct transfer_peek *peek,
                               json_t **body)
{
    struct transfer_import_in in = {.file = file, .len = len, .key_text = key, .key_len = key_len};
    struct package_view pv = {0};
    enum err rc = len > TRANSFER_MAX_BYTES ? ERR_TOO_LARGE : package_open(&in, &pv, v, body);

    memset(peek, 0, sizeof(*peek));
    if (!rc) {
        snprintf(peek->package_id, sizeof(peek->package_id), "%s", pv.id);
        snprintf(peek->sender, sizeof(peek->sender), "%s", pv.sender);
        memcpy(peek->fingerprint, pv.fingerprint, sizeof(peek->fingerprint));
        peek->created = pv.created;
    }
    json_decref(pv.hdr);
    return rc;
}

/* ---- import: rebuilding the dossier ------------------------------------------------------- */

struct import_run {
    struct store_conn *c;
    struct audit_ctx *actx;
    const struct transfer_import_in *in;
    struct package_view pv;
    json_t *body; /* owned */
    struct keys_dek dek;
    int64_t now;
    struct transfer_import_out *out;
    json_t *requests, *unknown, *kept; /* owned */
    int64_t recreated;
};

static const char *jstr(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static enum err client_from_body(struct import_run *ir, struct verr *v)
{
    const json_t *cl = json_object_get(ir->body, "client"), *f;
    struct client_input ci = {0};
    struct client_row *r = &ir->out->client;
    uint32_t bit;
    size_t i;

    ci.year_of_birth = json_integer_value(json_object_get(cl, "year_of_birth"));
    ci.gender = jstr(cl, "gender");
    ci.country = jstr(cl, "country");
    ci.language = jstr(cl, "language");
    ci.phase = jstr(cl, "phase");
    ci.location = jstr(cl, "location");
    ci.name = jstr(cl, "name");
    ci.phone = jstr(cl, "phone");
    json_array_foreach(json_object_get(cl, "risk_flags"), i, f)
    {
        if (dossier_risk_parse(json_string_value(f) ? json_string_value(f) : "", &bit)) {
            verr_add(v, "/package", "the dossier in the package names an unknown risk flag");
            return ERR_INVALID;
        }
        ci.risk_flags |= bit;
    }
    dossier_client_validate(&ci, ir->now, v);
    if (v->n) {
        verr_add(v, "/package", "the dossier in the package is not valid here");
        return ERR_INVALID;
    }
    memset(r, 0, sizeof(*r));
    sec_random_hex(16, r->pid);
    r->year_of_birth = ci.year_of_birth;
    snprintf(r->gender, sizeof(r->gender), "%s", ci.gender);
    snprintf(r->country, sizeof(r->country), "%s", ci.country);
    snprintf(r->language, sizeof(r->language), "%s", ci.language);
    snprintf(r->phase, sizeof(r->phase), "%s", ci.phase);
    snprintf(r->location, sizeof(r->location), "%s", ci.location);
    r->risk_flags = ci.risk_flags;
    memcpy(r->created_by_user, ir->in->by->user_uid, sizeof(r->created_by_user));
    r->created_by_org = ir->in->by->org_id;
    r->created_at = ir->now;
    return ERR_OK;
}

static enum err client_create(struct import_run *ir)
{
    const json_t *cl = json_object_get(ir->body, "client");
    struct client_row *r = &ir->out->client;
    enum err rc = keys_dek_new(r->pid, &ir->dek);

    rc = rc ? rc
            : KEYS_SEAL_TEXT(&ir->dek, STORE_COL_CLIENT_NAME, r->pid, jstr(cl, "name"), r->name);
    rc = rc ? rc
            : KEYS_SEAL_TEXT(&ir->dek, STORE_COL_CLIENT_PHONE, r->pid, jstr(cl, "phone"), r->phone);
    rc = rc ? rc : store_client_insert(ir->c, r);
    rc = rc ? rc : store_client_region_from_org(ir->c, r->id, ir->in->by->org_id);
    return rc ? rc : keys_dek_store(ir->actx->keys, ir->c, r->id, &ir->dek);
}

static bool hash_parse(const char *hex, unsigned char out[SEC_HASH_BYTES])
{
    return strlen(hex) == 2 * SEC_HASH_BYTES &&
           str_unhex(hex, strlen(hex), out, SEC_HASH_BYTES) == ERR_OK;
}

static enum err seal_json(const struct keys_dek *d, enum store_sealed_col col, const char *uid,
                          const json_t *j, struct store_blob *out)
{
    char *text = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
    enum err rc = text ? keys_seal_blob(d, col, uid, text, strlen(text), out) : ERR_NOMEM;
    if (text) {
        sec_memzero(text, strlen(text));
    }
    free(text);
    return rc;
}

/* The shape a stored screening has: answers item -> integer, a result object, known mode. */
static bool screening_shape_ok(json_t *s)
{
    json_t *answers = json_object_get(s, "answers"), *val;
    const char *key, *mode = jstr(s, "mode");
    size_t level = strlen(jstr(s, "level"));

    if (!json_is_object(answers) || json_object_size(answers) > TRANSFER_ANSWERS_MAX ||
        !json_is_object(json_object_get(s, "result")) || level == 0 || level > 7 ||
        (strcmp(mode, "client") && strcmp(mode, "interviewer")) ||
        json_integer_value(json_object_get(s, "created_at")) <= 0) {
        return false;
    }
    json_object_foreach(answers, key, val)
    {
        if (!json_is_integer(val) || strlen(key) > 64) {
            return false;
        }
    }
    return true;
}

/* A screening whose instrument (id, version, definition) is offered here and whose answers fit
 * it becomes a row again, scored here: the package's result, level, band and flag count are not
 * used. The row's created_by_role is "import" (by the importing professional and organisation).
 * Any other screening (or one that does not look like ours) is kept in the history as it came. */
static enum err screening_one(struct import_run *ir, json_t *s)
{
    struct screening_row row;
    struct transfer_score sc = {0};
    enum err rc;

    memset(&row, 0, sizeof(row));
    snprintf(row.instrument, sizeof(row.instrument), "%s", jstr(s, "instrument"));
    snprintf(row.version, sizeof(row.version), "%s", jstr(s, "version"));
    snprintf(row.language, sizeof(row.language), "%s", jstr(s, "language"));
    if (!hash_parse(jstr(s, "def_hash"), row.def_hash) || !screening_shape_ok(s) ||
        !ir->in->known(row.instrument, row.version, row.def_hash, ir->in->known_ctx) ||
        !ir->in->score ||
        !ir->in->score(row.instrument, row.version, json_object_get(s, "answers"), row.language,
                       &sc, ir->in->known_ctx)) {
        return json_array_append_new(ir->kept, json_deep_copy(s)) ? ERR_NOMEM : ERR_OK;
    }
    sec_random_hex(16, row.uid);
    row.client_id = ir->out->client.id;
    snprintf(row.mode, sizeof(row.mode), "%s", jstr(s, "mode"));
    memcpy(row.level, sc.level, sizeof(row.level));
    memcpy(row.band, sc.band, sizeof(row.band));
    row.flag_count = sc.flag_count;
    memcpy(row.created_by_user, ir->in->by->user_uid, sizeof(row.created_by_user));
    snprintf(row.created_by_role, sizeof(row.created_by_role), "%s", TRANSFER_IMPORT_ROLE);
    row.created_by_org = ir->in->by->org_id;
    /* a screening cannot be newer than its package or than now: a date in the future would make
     * it the client's latest and steer every route advice here */
    row.created_at = json_integer_value(json_object_get(s, "created_at"));
    row.created_at = row.created_at < ir->pv.created ? row.created_at : ir->pv.created;
    row.created_at = row.created_at < ir->now ? row.created_at : ir->now;
    rc = seal_json(&ir->dek, STORE_COL_SCREENING_ANSWERS, row.uid, json_object_get(s, "answers"),
                   &row.answers);
    rc = rc ? rc : seal_json(&ir->dek, STORE_COL_SCREENING_RESULT, row.uid, sc.result, &row.result);
    rc = rc ? rc : store_screening_insert(ir->c, &row);
    store_screening_release(&row);
    json_decref(sc.result);
    ir->recreated += rc ? 0 : 1;
    return rc;
}

static enum err screenings_import(struct import_run *ir)
{
    json_t *s;
    size_t i;
    enum err rc = ERR_OK;

    json_array_foreach(json_object_get(ir->body, "screenings"), i, s)
    {
        rc = rc ? rc : screening_one(ir, s);
    }
    return rc;
}

/* One grant request for org: the asker is the importing professional. */
static enum err request_add(struct import_run *ir, const struct org_row *org, uint32_t scopes,
                            const char *purpose, int64_t days)
{
    const struct principal *by = ir->in->by;
    struct grant_request_row q;
    struct audit_event ev = {ir->out->client.pid, "grant_request", "grant", NULL, "success"};
    enum err rc;
    json_t *o;

    memset(&q, 0, sizeof(q));
    sec_random_hex(16, q.uid);
    q.client_id = ir->out->client.id;
    q.org_id = org->id;
    q.scopes = scopes;
    snprintf(q.purpose, sizeof(q.purpose), "%s", purpose);
    q.days = days < 1 ? 1 : days > DOSSIER_GRANT_MAX_DAYS ? DOSSIER_GRANT_MAX_DAYS : days;
    memcpy(q.requested_by_user, by->user_uid, sizeof(q.requested_by_user));
    snprintf(q.requested_by_role, sizeof(q.requested_by_role), "%s", acct_role_name(by->role));
    q.requested_by_org = by->org_id;
    q.created_at = ir->now;
    rc = store_grant_request_insert(ir->c, &q);
    ev.object_id = q.uid;
    rc = rc ? rc : audit_log(ir->c, ir->actx, &ev);
    o = rc ? NULL
           : json_pack("{s:s, s:{s:s, s:s}, s:o, s:s, s:I}", "id", q.uid, "organization", "id",
                       org->uid, "name", org->name, "scopes", scope_names(scopes), "purpose",
                       q.purpose, "days", (json_int_t)q.days);
    return rc ? rc : (o && !json_array_append_new(ir->requests, o)) ? ERR_OK : ERR_NOMEM;
}

/* Grants in force, merged per organisation name: {name: {scopes, end, purpose}}. */
static enum err grant_merge(const json_t *g, int64_t now, json_t *merged)
{
    const char *name = jstr(json_object_get(g, "organization"), "name");
    int64_t end = json_integer_value(json_object_get(g, "expires_at"));
    json_t *m = json_object_get(merged, name);
    uint32_t scopes = 0, bit;
    const json_t *s;
    size_t i;

    json_array_foreach(json_object_get(g, "scopes"), i, s)
    {
        scopes |=
            consent_scope_parse(json_string_value(s) ? json_string_value(s) : "", &bit) ? 0 : bit;
    }
    /* a name with control characters is not an organisation (it would reach a terminal) */
    if (!*name || !text_clean(name) || !scopes || end <= now) {
        return ERR_OK;
    }
    if (m) {
        int64_t had = json_integer_value(json_object_get(m, "end"));
        scopes |= (uint32_t)json_integer_value(json_object_get(m, "scopes"));
        end = end > had ? end : had;
        return (json_object_set_new(m, "scopes", json_integer(scopes)) ||
                json_object_set_new(m, "end", json_integer(end)))
                   ? ERR_NOMEM
                   : ERR_OK;
    }
    m = json_pack("{s:I, s:I, s:s}", "scopes", (json_int_t)scopes, "end", (json_int_t)end,
                  "purpose", *jstr(g, "purpose") ? jstr(g, "purpose") : "care");
    return (m && !json_object_set_new(merged, name, m)) ? ERR_OK : ERR_NOMEM;
}

/* One request per organisation known here by name; the others are listed as unknown. */
static enum err grant_one(struct import_run *ir, const char *name, const json_t *m, bool *covers_by)
{
    struct org_row org;
    enum err rc = store_org_by_name(ir->c, name, &org);
    int64_t end = json_integer_value(json_object_get(m, "end"));

    if (rc == ERR_NOT_FOUND) {
        bool add = json_array_size(ir->unknown) < TRANSFER_NO_ORGS;
        return (add && json_array_append_new(ir->unknown, json_string(name))) ? ERR_NOMEM : ERR_OK;
    }
    if (rc) {
        return rc;
    }
    *covers_by = *covers_by || org.id == ir->in->by->org_id;
    return request_add(ir, &org, (uint32_t)json_integer_value(json_object_get(m, "scopes")),
                       jstr(m, "purpose"), (end - ir->now + DAY_MS - 1) / DAY_MS);
}

/* Every grant becomes a request; the importing organisation asks too (for its enrolment). */
static enum err grants_import(struct import_run *ir)
{
    json_t *merged = json_object(), *m;
    const json_t *g;
    const char *name;
    bool covers_by = false;
    size_t i;
    enum err rc = merged ? ERR_OK : ERR_NOMEM;
    struct org_row own;
    uint32_t ceiling = consent_role_ceiling(ir->in->by->role) & ~(uint32_t)SCOPE_CLINICAL;

    json_array_foreach(json_object_get(ir->body, "grants"), i, g)
    {
        rc = rc ? rc : grant_merge(g, ir->now, merged);
    }
    json_object_foreach(merged, name, m)
    {
        rc = rc ? rc : grant_one(ir, name, m, &covers_by);
    }
    json_decref(merged);
    if (!rc && !covers_by && ceiling) {
        rc = store_org_by_id(ir->c, ir->in->by->org_id, &own);
        rc = rc ? rc : request_add(ir, &own, ceiling, "care", DOSSIER_REGISTRATION_DAYS);
    }
    return rc;
}

/* What is not rebuilt as rows is kept, sealed, as "history from <sender>". */
static enum err history_store(struct import_run *ir)
{
    struct transfer_history_row h;
    json_t *refs = json_array(), *log = json_array(), *orgs = json_array(), *e, *res;
    json_t *doc = NULL;
    size_t i;
    enum err rc;

    json_array_foreach(json_object_get(json_object_get(ir->body, "bundle"), "entry"), i, e)
    {
        const char *type = jstr((res = json_object_get(e, "resource")), "resourceType");
        json_t *to = !strcmp(type, "Task") || !strcmp(type, "ServiceRequest") ? refs
                     : !strcmp(type, "AuditEvent")                            ? log
                     : !strcmp(type, "Organization")                          ? orgs
                                                                              : NULL;
        if (to) {
            json_array_append(to, res);
        }
    }
    doc = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:O}", "sender", ir->pv.sender, "fingerprint",
                    ir->pv.fingerprint, "package_id", ir->pv.id, "referrals", refs, "access_log",
                    log, "organizations", orgs, "screenings", ir->kept);
    memset(&h, 0, sizeof(h));
    sec_random_hex(16, h.uid);
    h.client_id = ir->out->client.id;
    snprintf(h.sender_name, sizeof(h.sender_name), "%s", ir->pv.sender);
    h.created_at = ir->pv.created;
    h.imported_at = ir->now;
    rc = doc ? seal_json(&ir->dek, STORE_COL_TRANSFER_HISTORY, h.uid, doc, &h.body) : ERR_NOMEM;
    rc = rc ? rc : store_transfer_history_insert(ir->c, &h);
    store_transfer_history_release(&h);
    json_decref(doc);
    return rc;
}

static enum err record_in(struct import_run *ir)
{
    struct transfer_in_row t;
    struct audit_event ev = {ir->out->client.pid, "transfer_in", "dossier", ir->pv.id, "success"};
    enum err rc;

    memset(&t, 0, sizeof(t));
    snprintf(t.package_id, sizeof(t.package_id), "%s", ir->pv.id);
    t.client_id = ir->out->client.id;
    snprintf(t.sender_name, sizeof(t.sender_name), "%s", ir->pv.sender);
    snprintf(t.sender_fingerprint, sizeof(t.sender_fingerprint), "%s", ir->pv.fingerprint);
    t.package_created_at = ir->pv.created;
    snprintf(t.by_user, sizeof(t.by_user), "%s", ir->in->by->user_uid);
    t.by_org = ir->in->by->org_id;
    t.at = ir->now;
    rc = store_transfer_in_insert(ir->c, &t);
    return rc ? rc : audit_log(ir->c, ir->actx, &ev);
}

static enum err import_rows(struct import_run *ir, struct verr *v)
{
    enum err rc = client_from_body(ir, v);

    rc = rc ? rc : client_create(ir);
    rc = rc ? rc : screenings_import(ir);
    rc = rc ? rc : history_store(ir);
    rc = rc ? rc : grants_import(ir);
    rc = rc ? rc
            : acct_card_issue(ir->c, ir->actx, ir->in->by, ir->out->client.id, ir->out->client.pid,
                              ir->out->card_code);
    return rc ? rc : record_in(ir);
}

static enum err import_result(struct import_run *ir)
{
    json_t *o = json_pack("{s:s, s:s, s:{s:s, s:s}, s:O, s:O, s:{s:I, s:I}}", "client_id",
                          ir->out->client.pid, "package_id", ir->pv.id, "sender", "name",
                          ir->pv.sender, "fingerprint", ir->pv.fingerprint, "grant_requests",
                          ir->requests, "unknown_orgs", ir->unknown, "screenings", "recreated",
                          (json_int_t)ir->recreated, "kept", (json_int_t)json_array_size(ir->kept));
    ir->out->result = o;
    return o ? ERR_OK : ERR_NOMEM;
}

/* Was the package signed with this installation's own key? */
static enum err signed_here(const struct audit_ctx *actx, const unsigned char pk[SEC_SIGN_PK_BYTES],
                            bool *own)
{
    unsigned char mine[SEC_SIGN_PK_BYTES];
    struct sec_signer *signer = NULL;
    enum err rc = keys_signer(actx->keys, &signer);

    *own = false;
    if (!rc) {
        sec_signer_public(signer, mine);
        *own = sec_memeq(mine, pk, SEC_SIGN_PK_BYTES);
    }
    sec_signer_free(signer);
    return rc;
}

/*
 * A replay: ERR_CONFLICT naming the dossier (out->existing_pid, "" when erased). "Made here" only
 * for a package signed with this installation's key whose id is in transfers_out (kept, without
 * the client, after an erasure); "imported before" only for the same sender key and id, so a
 * package of another signer that copies a real package's id is no replay of it (§5).
 */
static enum err replay_check(struct store_conn *c, const struct audit_ctx *actx,
                             const struct package_view *pv, struct transfer_import_out *out)
{
    struct transfer_in_row seen;
    struct transfer_out_row made = {0};
    struct client_row client;
    bool own = false;
    enum err rc = signed_here(actx, pv->pk, &own);

    rc = (rc || !own) ? rc : store_transfer_out_get(c, pv->id, &made);
    store_transfer_out_release(&made);
    if (!rc && own) {
        out->made_here = true;
        rc = made.client_id ? store_client_by_id(c, made.client_id, &client) : ERR_OK;
        if (!rc && made.client_id) {
            snprintf(out->existing_pid, sizeof(out->existing_pid), "%s", client.pid);
        }
        return rc ? rc : ERR_CONFLICT;
    }
    if (rc != ERR_OK && rc != ERR_NOT_FOUND) {
        return rc;
    }
    rc = store_transfer_in_get(c, pv->fingerprint, pv->id, &seen);
    if (!rc) {
        snprintf(out->existing_pid, sizeof(out->existing_pid), "%s", seen.client_pid);
        return ERR_CONFLICT;
    }
    return rc == ERR_NOT_FOUND ? ERR_OK : rc;
}

enum err transfer_import(struct store_conn *c, struct audit_ctx *actx,
                         const struct transfer_import_in *in, struct verr *v,
                         struct transfer_import_out *out)
{
    struct import_run ir = {.c = c, .actx = actx, .in = in, .now = clock_now_ms(), .out = out};
    enum err rc;

    memset(out, 0, sizeof(*out));
    ir.requests = json_array();
    ir.unknown = json_array();
    ir.kept = json_array();
    rc = (ir.requests && ir.unknown && ir.kept) ? ERR_OK : ERR_NOMEM;
    if (!rc && in->len > TRANSFER_MAX_BYTES) {
        rc = ERR_TOO_LARGE;
    }
    rc = rc ? rc : package_open(in, &ir.pv, v, &ir.body);
    if (!rc && !json_is_object(json_object_get(ir.body, "client"))) {
        verr_add(v, "/package", "the package holds no dossier");
        rc = ERR_INVALID;
    }
    if (!rc && strcmp(jstr(ir.body, "format"), BODY_FORMAT)) {
        verr_add(v, "/package", "the dossier in the package has an unknown format");
        rc = ERR_INVALID;
    }
    rc = rc ? rc : replay_check(c, actx, &ir.pv, out);
    rc = rc ? rc : import_rows(&ir, v);
    rc = rc ? rc : import_result(&ir);
    keys_dek_release(&ir.dek);
    json_decref(ir.body);
    json_decref(ir.pv.hdr);
    json_decref(ir.requests);
    json_decref(ir.unknown);
    json_decref(ir.kept);
    if (rc && rc != ERR_CONFLICT) {
        transfer_import_release(out);
    }
    return rc;
}

void transfer_import_release(struct transfer_import_out *out)
{
    sec_memzero(out->card_code, sizeof(out->card_code));
    json_decref(out->result);
    out->result = NULL;
}

void transfer_conflict_text(const struct transfer_import_out *out, char *buf, size_t size)
{
    bool gone = !out->existing_pid[0];

    if (out->made_here) {
        snprintf(buf, size, "%s%s",
                 gone ? "this package was made here, and that dossier was erased here"
                      : "this package was made here; the dossier is here: dossier ",
                 gone ? "" : out->existing_pid);
        return;
    }
    snprintf(buf, size, "this package was imported before: %s%s",
             gone ? "that dossier was erased" : "dossier ", gone ? "" : out->existing_pid);
}

/* ---- the history, read back ---------------------------------------------------------------- */

struct history_read {
    struct audit_ctx *actx;
    const struct keys_dek *dek;
    uint32_t eff;
    bool own;
    json_t *list;
};

/* The handover notes of the earlier referrals are for the receiving provider of each referral
 * at the time, not for every holder of scope referral here: only the client reads them. */
static void history_drop_notes(json_t *refs)
{
    json_t *res;
    size_t i;

    json_array_foreach(refs, i, res)
    {
        if (!strcmp(jstr(res, "resourceType"), "ServiceRequest")) {
            json_object_del(res, "note");
        }
    }
}

/* What a reader other than the client sees of one record (docs/dossier.md §5): screenings with
 * scope signal, referrals without notes and the organisations they name with scope referral, the
 * earlier access log never (it shows which providers the client dealt with). */
static void history_scope(json_t *doc, uint32_t eff)
{
    json_object_del(doc, "access_log");
    if (!(eff & SCOPE_SIGNAL)) {
        json_object_del(doc, "screenings");
    }
    if (!(eff & SCOPE_REFERRAL)) {
        json_object_del(doc, "referrals");
        json_object_del(doc, "organizations");
    } else {
        history_drop_notes(json_object_get(doc, "referrals"));
    }
}

static enum err history_item(const struct transfer_history_row *h, void *ctx)
{
    struct history_read *hr = ctx;
    char *text = NULL, iso_c[32], iso_i[32];
    enum err rc =
        keys_open_dup(hr->dek, hr->actx, STORE_COL_TRANSFER_HISTORY, h->uid, &h->body, &text);
    json_t *doc = rc ? NULL : json_loads(text, 0, NULL), *o;

    if (text) {
        sec_memzero(text, strlen(text));
    }
    free(text);
    if (rc || !doc) {
        json_decref(doc);
        return rc ? rc : ERR_CORRUPT;
    }
    if (!hr->own) {
        history_scope(doc, hr->eff);
    }
    o = json_pack("{s:s, s:s, s:s, s:s}", "id", h->uid, "sender", h->sender_name, "created_at",
                  clock_fmt_iso(h->created_at, iso_c, sizeof(iso_c)), "imported_at",
                  clock_fmt_iso(h->imported_at, iso_i, sizeof(iso_i)));
    rc = (o && !json_object_update(o, doc) && !json_array_append_new(hr->list, o)) ? ERR_OK
                                                                                   : ERR_NOMEM;
    json_decref(doc);
    return rc;
}

enum err transfer_history_list(struct store_conn *c, struct audit_ctx *actx,
                               const struct principal *who, const char *pid, json_t **out)
{
    struct client_row client;
    struct keys_dek dek = {0};
    struct history_read hr = {actx, &dek, 0, who->role == ROLE_CLIENT, json_array()};
    enum err rc = hr.list ? ERR_OK : ERR_NOMEM;

    *out = NULL;
    rc = rc ? rc
            : dossier_client_open(c, actx, who, pid, SCOPE_ANY, "read", "transfer_history", &client,
                                  &hr.eff);
    rc = rc ? rc : keys_dek_load(actx->keys, c, actx, client.id, client.pid, &dek);
    rc = rc ? rc : store_transfer_history_each(c, client.id, history_item, &hr);
    keys_dek_release(&dek);
    if (rc) {
        json_decref(hr.list);
        return rc;
    }
    *out = hr.list;
    return ERR_OK;
}
