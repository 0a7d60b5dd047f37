/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Transfer packages between installations (docs/API.md "Transfer", docs/dossier.md §5): the
 * client takes its dossier along (POST /clients/{id}/transfer, then one download of the file by
 * the same session), a professional of the receiving installation imports it with the client's
 * transfer key (POST /transfers), and the dossier's imported history is read back
 * (GET /clients/{id}/transfer-history). The work is in src/dossier/transfer.c.
 */
#include "core/compat.h"

#include "api/api_int.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/qr.h"
#include "core/sec.h"
#include "dossier/dossier.h"
#include "screening/screening.h"

#define TRANSFER_QR_MAX     (64 * 1024)
#define TRANSFER_FETCH_MS   (60LL * 60 * 1000) /* the package waits an hour for its download */
#define TRANSFER_KEY_JSON   SEC_TKEY_INPUT_MAX
#define TRANSFER_BASE64_MAX ((TRANSFER_MAX_BYTES + 2) / 3 * 4)

static enum err made_answer(struct api_req *r, const struct transfer_made *m)
{
    struct buf svg = BUF_INIT(TRANSFER_QR_MAX);
    char download[128];
    enum err rc = qr_svg(m->key_text, strlen(m->key_text), &svg);

    snprintf(download, sizeof(download), "/api/v1/transfers/%s/file", m->package_id);
    if (!rc) {
        r->resp = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "package_id", m->package_id,
                            "download", download, "key", m->key_text, "key_qr_svg", svg.ptr,
                            "fingerprint", m->fingerprint, "expires_at",
                            api__iso(r, clock_now_ms() + TRANSFER_FETCH_MS));
        rc = r->resp ? ERR_OK : ERR_NOMEM;
        r->status = 201;
    }
    buf_release(&svg);
    return rc;
}

/* POST /api/v1/clients/{id}/transfer: the client (own or held dossier) only. */
enum err api_transfer_create(struct api_req *r)
{
    struct transfer_made m = {0};
    struct client_row client;
    char sender[300];
    uint32_t eff = 0;
    json_t *bundle = NULL;
    enum err rc = dossier_client_check(r->conn, &r->actx, &r->who, r->params[0], SCOPE_ANY,
                                       "dossier", &client, &eff);

    if (!rc && r->who.role != ROLE_CLIENT) {
        audit_note_denial(&r->actx, client.pid, "access_denied", "transfer");
        return ERR_FORBIDDEN; /* taking the dossier along is the client's own act */
    }
    rc = rc ? rc : store_transfer_out_expire(r->conn, clock_now_ms() - TRANSFER_FETCH_MS);
    rc = rc ? rc : api__origin(r, sender, sizeof(sender));
    rc = rc ? rc : api_export_bundle(r, client.pid, &bundle);
    if (!rc) {
        struct transfer_export_in in = {
            &client, sender,           bundle, r->who.user_uid, acct_role_name(r->who.role),
            "api",   r->who.session_id};
        rc = transfer_export(r->conn, &r->actx, &in, &m);
    }
    rc = rc ? rc : made_answer(r, &m);
    transfer_made_release(&m);
    json_decref(bundle);
    return rc;
}

/* Another session's package is refused as unknown (and audited as a denial); the same session's
 * package that was fetched already or waited too long is gone (audited as a failure). */
static enum err file_refusal(struct api_req *r, const struct transfer_out_row *row, int64_t now)
{
    struct client_row client;
    const char *pid;

    if (row->session_id == r->who.session_id && row->package.len &&
        row->created_at + TRANSFER_FETCH_MS >= now) {
        return ERR_OK;
    }
    pid =
        row->client_id && !store_client_by_id(r->conn, row->client_id, &client) ? client.pid : NULL;
    if (row->session_id != r->who.session_id) {
        audit_note_denial(&r->actx, pid, "access_denied", "transfer");
    } else {
        audit_note_failure(&r->actx, pid, "download", "transfer");
    }
    return ERR_NOT_FOUND;
}

/*
 * GET /api/v1/transfers/{pkg}/file: once, by the session that made it, within the hour. HEAD
 * (routed to this handler) answers the same headers but neither uses up the one download nor
 * audits one: no byte of the package leaves.
 */
enum err api_transfer_file(struct api_req *r)
{
    struct transfer_out_row row;
    struct client_row client;
    int64_t now = clock_now_ms();
    bool head = r->method == API_HEAD;
    enum err rc = store_transfer_out_get(r->conn, r->params[0], &row);
    struct audit_event ev = {NULL, "download", "transfer", r->params[0], "success"};

    rc = rc ? rc : file_refusal(r, &row, now);
    rc = rc ? rc : store_client_by_id(r->conn, row.client_id, &client);
    if (!rc && !head) {
        ev.client_pid = client.pid;
        rc = audit_log(r->conn, &r->actx, &ev);
    }
    rc = (rc || head) ? rc : store_transfer_out_fetched(r->conn, row.id, now);
    if (!rc) {
        r->raw = row.package.p;
        r->raw_len = row.package.len;
        r->raw_type = "application/octet-stream";
        row.package.p = NULL;
        snprintf(r->disposition, sizeof(r->disposition),
                 "attachment; filename=\"veerkracht-transfer-%s.vktp\"", row.package_id);
    }
    store_transfer_out_release(&row);
    return rc;
}

static bool instrument_known(const char *iid, const char *version,
                             const unsigned char hash[SEC_HASH_BYTES], const void *ctx)
{
    const struct screen_instrument *in = screen_registry_find(ctx, iid, version);
    return in && sec_memeq(in->hash, hash, SEC_HASH_BYTES);
}

static enum err import_input(struct api_req *r, json_t *body, unsigned char **file, size_t *len,
                             const char **key)
{
    static const char *const allowed[] = {"package", "key", NULL};
    const char *pkg;
    size_t cap;
    enum err rc;

    api__reject_unknown(body, allowed, &r->verr);
    pkg = api__string(body, "package", TRANSFER_BASE64_MAX, true, &r->verr);
    *key = api__string(body, "key", TRANSFER_KEY_JSON, true, &r->verr);
    if (r->verr.n) {
        return ERR_INVALID;
    }
    cap = strlen(pkg) / 4 * 3 + 3;
    *file = xmalloc(cap);
    rc = sec_base64_decode(pkg, strlen(pkg), *file, cap, len);
    if (rc == ERR_INVALID) {
        verr_add(&r->verr, "/package", "must be the package file in base64");
    }
    return (!rc && *len > TRANSFER_MAX_BYTES) ? ERR_TOO_LARGE : rc;
}

static enum err card_add(struct api_req *r, const struct transfer_import_out *out)
{
    char shown[ACCT_CARD_DISPLAY_CHARS + 1], origin[300], url[400];
    struct buf svg = BUF_INIT(TRANSFER_QR_MAX);
    enum err rc = api__origin(r, origin, sizeof(origin));
    json_t *card;

    acct_card_code_display(out->card_code, shown);
    snprintf(url, sizeof(url), "%s/#/card/%s", origin, shown);
    rc = rc ? rc : qr_svg(url, strlen(url), &svg);
    card = rc ? NULL
              : json_pack("{s:s, s:s, s:s, s:s}", "code", shown, "login_url", url, "qr_svg",
                          svg.ptr, "language", out->client.language);
    rc = rc ? rc : (card && !json_object_set_new(out->result, "card", card)) ? ERR_OK : ERR_NOMEM;
    sec_memzero(shown, sizeof(shown));
    sec_memzero(url, sizeof(url));
    buf_release(&svg);
    return rc;
}

/* POST /api/v1/transfers: a professional of a role that may register clients. */
enum err api_transfer_import(struct api_req *r)
{
    struct transfer_import_out out = {0};
    json_t *body = NULL;
    unsigned char *file = NULL;
    size_t len = 0;
    const char *key = NULL;
    enum err rc;

    if ((consent_role_ceiling(r->who.role) & ~(uint32_t)SCOPE_CLINICAL) == 0) {
        audit_note_denial(&r->actx, NULL, "access_denied", "transfer");
        return ERR_FORBIDDEN;
    }
    rc = api__body_object_cap(r, TRANSFER_BASE64_MAX, &body);
    rc = rc ? rc : import_input(r, body, &file, &len, &key);
    if (!rc) {
        struct transfer_import_in in = {file,        len,
                                        key,         strlen(key),
                                        &r->who,     instrument_known,
                                        r->registry, screen_transfer_score};
        rc = transfer_import(r->conn, &r->actx, &in, &r->verr, &out);
    }
    if (rc == ERR_CONFLICT) {
        transfer_conflict_text(&out, r->detail, sizeof(r->detail));
        audit_note_failure(&r->actx, out.existing_pid, "transfer_in", "dossier");
    } else if (rc == ERR_INVALID || rc == ERR_TOO_LARGE) {
        audit_note_failure(&r->actx, NULL, "transfer_in", "dossier");
    }
    rc = rc ? rc : card_add(r, &out);
    if (!rc) {
        r->resp = json_incref(out.result);
        r->status = 201;
    }
    transfer_import_release(&out);
    free(file);
    json_decref(body);
    return rc;
}

/* GET /api/v1/clients/{id}/transfer-history */
enum err api_transfer_history(struct api_req *r)
{
    json_t *items = NULL;
    enum err rc = transfer_history_list(r->conn, &r->actx, &r->who, r->params[0], &items);

    if (!rc) {
        r->resp = json_pack("{s:o}", "items", items);
        rc = r->resp ? ERR_OK : ERR_NOMEM;
    }
    return rc;
}
