/* SPDX-License-Identifier: EUPL-1.2 */
/* Hash-chained append and verification of the audit trail. */
#include "core/compat.h"

#include "audit/audit.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/sec.h"

static void copy_field(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

/* Length-prefixed fields, so that no two different rows share an encoding. */
static void hash_field(struct sec_hasher *h, const char *s)
{
    size_t n = strlen(s);
    unsigned char len[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16),
                            (unsigned char)(n >> 8), (unsigned char)n};
    sec_hasher_update(h, len, sizeof(len));
    sec_hasher_update(h, s, n);
}

static void hash_int(struct sec_hasher *h, int64_t v)
{
    char num[24];
    snprintf(num, sizeof(num), "%lld", (long long)v);
    hash_field(h, num);
}

void audit_row_hash(const struct audit_row *r, unsigned char out[SEC_HASH_BYTES])
{
    struct sec_hasher h;
    sec_hasher_init(&h);
    sec_hasher_update(&h, r->prev_hash, SEC_HASH_BYTES);
    hash_int(&h, r->id);
    hash_int(&h, r->at);
    hash_field(&h, r->user_id);
    hash_field(&h, r->role);
    hash_field(&h, r->org_id);
    hash_field(&h, r->on_behalf_of);
    hash_field(&h, r->client_pid);
    hash_field(&h, r->action);
    hash_field(&h, r->object_type);
    hash_field(&h, r->object_id);
    hash_field(&h, r->outcome);
    hash_field(&h, r->source_addr);
    hash_field(&h, r->request_id);
    sec_hasher_final(&h, out);
}

enum err audit_log(struct store_conn *c, const struct audit_ctx *ctx, const struct audit_event *ev)
{
    struct audit_row r;
    enum err rc;

    memset(&r, 0, sizeof(r));
    rc = store_audit_head(c, &r.id, r.prev_hash);
    if (rc) {
        goto fail;
    }
    r.id++;
    r.at = clock_now_ms();
    copy_field(r.user_id, sizeof(r.user_id), ctx->user_uid);
    copy_field(r.role, sizeof(r.role), ctx->role);
    copy_field(r.org_id, sizeof(r.org_id), ctx->org_uid);
    copy_field(r.on_behalf_of, sizeof(r.on_behalf_of), ctx->on_behalf_of);
    copy_field(r.client_pid, sizeof(r.client_pid), ev->client_pid);
    copy_field(r.action, sizeof(r.action), ev->action);
    copy_field(r.object_type, sizeof(r.object_type), ev->object_type);
    copy_field(r.object_id, sizeof(r.object_id), ev->object_id);
    copy_field(r.outcome, sizeof(r.outcome), ev->outcome);
    copy_field(r.source_addr, sizeof(r.source_addr), ctx->source_addr);
    copy_field(r.request_id, sizeof(r.request_id), ctx->request_id);
    audit_row_hash(&r, r.row_hash);
    rc = store_audit_insert(c, &r);
    if (rc) {
        goto fail;
    }
    return ERR_OK;
fail:
    log_error("msg=\"audit write failed\" err=%s action=%s", err_name(rc), ev->action);
    return rc == ERR_BUSY ? ERR_BUSY : ERR_AUDIT;
}

void audit_note_denial(struct audit_ctx *ctx, const char *client_pid, const char *action,
                       const char *object_type)
{
    ctx->denial_pending = true;
    copy_field(ctx->denial_client, sizeof(ctx->denial_client), client_pid);
    copy_field(ctx->denial_action, sizeof(ctx->denial_action), action);
    copy_field(ctx->denial_object, sizeof(ctx->denial_object), object_type);
    ctx->denial_outcome[0] = '\0';
}

void audit_note_failure(struct audit_ctx *ctx, const char *client_pid, const char *action,
                        const char *object_type)
{
    audit_note_denial(ctx, client_pid, action, object_type);
    copy_field(ctx->denial_outcome, sizeof(ctx->denial_outcome), "failure");
}

enum err audit_flush_denial(struct store_conn *c, struct audit_ctx *ctx)
{
    struct audit_event ev = {ctx->denial_client, ctx->denial_action, ctx->denial_object, NULL,
                             ctx->denial_outcome[0] ? ctx->denial_outcome : "denied"};
    enum err rc;

    if (!ctx->denial_pending) {
        return ERR_OK;
    }
    ctx->denial_pending = false;
    rc = store_begin(c, true);
    if (!rc) {
        rc = audit_log(c, ctx, &ev);
    }
    if (!rc) {
        rc = store_commit(c);
    }
    if (rc) {
        store_rollback(c);
    }
    return rc;
}

struct verify_state {
    struct audit_verify_result *res;
    int64_t expect_id;
    unsigned char prev[SEC_HASH_BYTES];
};

static enum err verify_row(const struct audit_row *r, void *ctx)
{
    struct verify_state *vs = ctx;
    unsigned char h[SEC_HASH_BYTES];
    const char *why = NULL;

    if (r->id != vs->expect_id) {
        why = "row missing before this one (id gap)";
    } else if (!sec_memeq(r->prev_hash, vs->prev, SEC_HASH_BYTES)) {
        why = "previous-hash link does not match (row before it changed or removed)";
    } else {
        audit_row_hash(r, h);
        if (!sec_memeq(h, r->row_hash, SEC_HASH_BYTES)) {
            why = "row content does not match its hash (row changed)";
        }
    }
    if (why) {
        vs->res->bad_id = r->id;
        snprintf(vs->res->reason, sizeof(vs->res->reason), "%s", why);
        return ERR_CORRUPT;
    }
    memcpy(vs->prev, r->row_hash, SEC_HASH_BYTES);
    vs->expect_id++;
    vs->res->rows++;
    return ERR_OK;
}

enum err audit_verify(struct store_conn *c, struct audit_verify_result *res)
{
    struct verify_state vs;
    memset(res, 0, sizeof(*res));
    memset(&vs, 0, sizeof(vs));
    vs.res = res;
    vs.expect_id = 1;
    return store_audit_each(c, verify_row, &vs);
}
