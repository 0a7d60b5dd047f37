/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Screenings and red flags on a client: the consent check (scope signal), validation, scoring,
 * storage of a screening with its red flags in the caller's one transaction, and the JSON the
 * API returns. A red flag overrides every band and stays open until a professional closes it.
 */
#include "core/compat.h"

#include "audit/audit.h"
#include "core/clock.h"
#include "core/sec.h"
#include "core/str.h"
#include "dossier/dossier.h"
#include "screening/screening_int.h"
#include "storage/store.h"

static const char *iso(int64_t ms, char *buf, size_t size)
{
    return clock_fmt_iso(ms, buf, size);
}

json_t *screen__by_json(struct store_conn *c, const char *role, int64_t org_id)
{
    struct org_row org;
    if (store_org_by_id(c, org_id, &org)) {
        memset(&org, 0, sizeof(org));
    }
    return json_pack("{s:s, s:s}", "role", role, "org", org.name);
}

/* ---- submission --------------------------------------------------------------------------- */

static void parse_answers(const struct screen_instrument *in, json_t *answers,
                          struct screen_answers *a, struct verr *v)
{
    const char *key;
    json_t *val;

    memset(a, 0, sizeof(*a));
    if (!json_is_object(answers)) {
        verr_add(v, "/answers", "must be an object of question id: answer");
        return;
    }
    json_object_foreach(answers, key, val)
    {
        int i = screen_item_index(in, key);
        char p[SCREEN_PTR_MAX];
        screen__ptr(p, sizeof(p), "/answers/%s", key);
        if (i < 0) {
            verr_add(v, p, "no such question in this instrument");
        } else if (!json_is_integer(val)) {
            verr_add(v, p, "must be a whole number");
        } else {
            a->given[i] = true;
            a->value[i] = json_integer_value(val);
        }
    }
}

/* Only the year of birth is known: the client is this year's age or one less. */
static bool age_fits(const struct screen_instrument *in, const struct client_row *client)
{
    char year[8];
    int64_t now_year = 0, age;
    clock_fmt_iso(clock_now_ms(), year, 5);
    (void)str_parse_i64(year, 4, 1970, 9999, &now_year);
    age = now_year - client->year_of_birth;
    return age >= in->age_min && age - 1 <= in->age_max;
}

static const struct screen_instrument *pick_instrument(const struct screen_registry *reg,
                                                       const struct screen_submission *in,
                                                       const struct client_row *client,
                                                       struct verr *v)
{
    const struct screen_instrument *inst = screen_registry_find(reg, in->instrument, NULL);
    if (!inst) {
        verr_add(v, "/instrument", "no such instrument");
        return NULL;
    }
    if (!age_fits(inst, client)) {
        verr_add(v, "/instrument", "this instrument is for ages %lld to %lld",
                 (long long)inst->age_min, (long long)inst->age_max);
        return NULL;
    }
    inst = screen_registry_find(reg, in->instrument, in->version);
    if (!inst) {
        verr_add(v, "/version", "this version of the instrument is not offered");
        return NULL;
    }
    if (!screen_offers_language(inst, in->language)) {
        verr_add(v, "/language", "the instrument is not available in this language");
    }
    if (!in->mode || (strcmp(in->mode, "client") && strcmp(in->mode, "interviewer"))) {
        verr_add(v, "/mode", "must be client or interviewer");
    }
    return inst;
}

static json_t *labelled(const struct screen_instrument *in, uint64_t bits)
{
    json_t *a = json_array(), *items = json_object_get(in->doc, "items");
    for (int i = 0; i < in->n_items && i < 64; i++) {
        if (bits & (1ULL << i)) {
            json_t *ji = json_array_get(items, (size_t)i);
            json_array_append_new(a, json_pack("{s:s, s:s}", "id", in->items[i].id, "label",
                                               screen_text(json_object_get(ji, "text"), "nl")));
        }
    }
    return a;
}

static json_t *scales_json(const struct screen_instrument *in, const struct screen_result *r)
{
    json_t *o = json_object();
    for (int s = 0; s < in->n_scales; s++) {
        json_object_set_new(
            o, in->scales[s].id,
            json_pack("{s:I, s:b, s:o}", "value", (json_int_t)r->scale[s], "complete",
                      r->complete[s], "band",
                      r->band[s] >= 0 ? json_string(in->bands[r->band[s]].id) : json_null()));
    }
    return o;
}

static json_t *advice_json(const struct screen_instrument *in, const struct screen_result *r,
                           const char *lang)
{
    json_t *adv, *band;
    const char *key = NULL;
    if (r->level_rule >= 0 && in->rules[r->level_rule].advice[0]) {
        key = in->rules[r->level_rule].advice;
    } else if (r->primary_band >= 0) {
        key = in->bands[r->primary_band].advice;
    }
    if (!key) {
        return json_null();
    }
    adv = json_object_get(json_object_get(in->doc, "advice"), key);
    band = json_object_get(adv, "client");
    return json_pack("{s:s, s:s, s:s}", "volunteer",
                     screen_text(json_object_get(adv, "volunteer"), "nl"), "client",
                     screen_text(band, lang), "client_nl", screen_text(band, "nl"));
}

static json_t *result_json(const struct screen_instrument *in, const struct screen_result *r,
                           const char *lang)
{
    json_t *rules = json_object(), *band = json_null();
    for (int k = 0; k < in->n_rules; k++) {
        json_object_set_new(rules, in->rules[k].id, json_boolean(r->rule[k]));
    }
    if (r->primary_band >= 0) {
        const struct screen_band *b = &in->bands[r->primary_band];
        json_t *jb = json_array_get(json_object_get(in->doc, "bands"), (size_t)r->primary_band);
        json_decref(band);
        band = json_pack("{s:s, s:s, s:s}", "id", b->id, "label",
                         screen_text(json_object_get(jb, "label"), "nl"), "level", b->level);
    }
    return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:[], s:o}", "level", r->level, "band", band,
                     "scales", scales_json(in, r), "rules", rules, "strengths",
                     labelled(in, r->strengths), "stressors", labelled(in, r->stressors),
                     "red_flags", "advice", advice_json(in, r, lang));
}

/* answers_text and result_text: the row's sealed columns, opened. */
static json_t *screening_json(struct store_conn *c, const struct screening_row *row,
                              const char *pid, const char *answers_text, const char *result_text)
{
    char at[40];
    json_t *answers = json_loads(answers_text, 0, NULL);
    json_t *result = json_loads(result_text, 0, NULL);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "id", row->uid,
                     "client_id", pid, "instrument", row->instrument, "version", row->version,
                     "language", row->language, "mode", row->mode, "created_at",
                     iso(row->created_at, at, sizeof(at)), "created_by",
                     screen__by_json(c, row->created_by_role, row->created_by_org), "answers",
                     answers ? answers : json_object(), "result", result ? result : json_object());
}

/* Stores the flags the result raised and puts their JSON into result.red_flags. */
static enum err store_flags(struct store_conn *c, const struct principal *who,
                            const struct keys_dek *dek, const struct screen_instrument *in,
                            const struct screen_result *r, const struct client_row *client,
                            int64_t screening_id, json_t *result)
{
    json_t *list = json_object_get(result, "red_flags");
    for (int k = 0; k < r->n_flags; k++) {
        const struct screen_flag *fl = &in->flags[r->flags[k]];
        struct flag_row row;
        /* raised on the answer already, during this conversation: make it this screening's */
        enum err rc = store_flag_find_unattached(c, client->id, fl->id, who->user_uid, &row);
        if (rc == ERR_OK) {
            rc = store_flag_attach(c, row.id, screening_id);
        } else if (rc == ERR_NOT_FOUND) {
            rc = screen__flag_insert(c, who, dek, client->id, screening_id, fl->id, fl->severity,
                                     fl->protocol, NULL, &row);
        }
        if (rc) {
            return rc;
        }
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", row.uid, "flag",
                                              fl->id, "severity", fl->severity, "protocol",
                                              fl->protocol, "state", "open"));
    }
    return ERR_OK;
}

static void row_fill(struct screening_row *row, const struct principal *who,
                     const struct screen_instrument *in, const struct screen_submission *sub,
                     const struct screen_result *r, const struct client_row *client)
{
    memset(row, 0, sizeof(*row));
    sec_random_hex(16, row->uid);
    row->client_id = client->id;
    snprintf(row->instrument, sizeof(row->instrument), "%s", in->id);
    snprintf(row->version, sizeof(row->version), "%s", in->version);
    memcpy(row->def_hash, in->hash, SEC_HASH_BYTES);
    snprintf(row->language, sizeof(row->language), "%s", sub->language);
    snprintf(row->mode, sizeof(row->mode), "%s", sub->mode);
    snprintf(row->level, sizeof(row->level), "%s", r->level);
    snprintf(row->band, sizeof(row->band), "%s",
             r->primary_band >= 0 ? in->bands[r->primary_band].id : "");
    row->flag_count = r->n_flags;
    memcpy(row->created_by_user, who->user_uid, sizeof(row->created_by_user));
    snprintf(row->created_by_role, sizeof(row->created_by_role), "%s", acct_role_name(who->role));
    row->created_by_org = who->org_id;
    row->created_at = clock_now_ms();
}

/* Seals JSON text into a screening column (the old value, if any, is freed first). */
static enum err seal_json(const struct keys_dek *dek, enum store_sealed_col col, const char *uid,
                          const char *text, struct store_blob *out)
{
    free(out->p);
    out->p = NULL;
    return keys_seal_blob(dek, col, uid, text, strlen(text), out);
}

static enum err submit_rows(struct store_conn *c, const struct principal *who,
                            const struct keys_dek *dek, const struct screen_instrument *in,
                            const struct screen_result *r, const struct client_row *client,
                            struct screening_row *row, const char *answers, json_t *result)
{
    char *text = json_dumps(result, JSON_COMPACT);
    enum err rc = seal_json(dek, STORE_COL_SCREENING_ANSWERS, row->uid, answers, &row->answers);

    rc = rc ? rc : seal_json(dek, STORE_COL_SCREENING_RESULT, row->uid, text, &row->result);
    rc = rc ? rc : store_screening_insert(c, row);
    rc = rc ? rc : store_flags(c, who, dek, in, r, client, row->id, result);
    free(text);
    if (!rc && r->n_flags) {
        text = json_dumps(result, JSON_COMPACT); /* now with the flag ids */
        rc = seal_json(dek, STORE_COL_SCREENING_RESULT, row->uid, text, &row->result);
        rc = rc ? rc : store_screening_set_result(c, row->id, &row->result);
        free(text);
    }
    return rc;
}

static enum err submit_store(struct store_conn *c, struct audit_ctx *actx,
                             const struct principal *who, const struct screen_instrument *in,
                             const struct screen_submission *sub, const struct screen_result *r,
                             const struct client_row *client, json_t **out)
{
    struct audit_event ev = {client->pid, "create", "screening", NULL, "success"};
    json_t *result = result_json(in, r, sub->language);
    char *answers = json_dumps(sub->answers, JSON_COMPACT | JSON_SORT_KEYS);
    struct screening_row row;
    struct keys_dek dek;
    enum err rc = keys_dek_load(actx->keys, c, actx, client->id, client->pid, &dek);

    row_fill(&row, who, in, sub, r, client);
    rc = rc ? rc : submit_rows(c, who, &dek, in, r, client, &row, answers, result);
    if (!rc) {
        ev.object_id = row.uid;
        rc = audit_log(c, actx, &ev);
    }
    if (!rc) {
        *out = screening_json(c, &row, client->pid, answers, "{}");
        json_object_set(*out, "result", result);
    }
    keys_dek_release(&dek);
    json_decref(result);
    free(answers);
    store_screening_release(&row);
    return rc;
}

enum err screen_submit(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                       const struct screen_registry *reg, const char *pid,
                       const struct screen_submission *sub, struct verr *v, json_t **out)
{
    struct client_row client;
    struct screen_answers a;
    struct screen_result r;
    const struct screen_instrument *in;
    uint32_t eff;
    enum err rc = dossier_client_check(c, actx, who, pid, SCOPE_SIGNAL, "screening", &client, &eff);

    if (rc) {
        return rc;
    }
    in = pick_instrument(reg, sub, &client, v);
    if (in) {
        parse_answers(in, sub->answers, &a, v);
    }
    if (in && !v->n) {
        screen_answers_check(in, &a, v);
    }
    if (v->n) {
        return ERR_INVALID;
    }
    screen_score(in, &a, &r);
    return submit_store(c, actx, who, in, sub, &r, &client, out);
}

bool screen_transfer_score(const char *iid, const char *version, json_t *answers,
                           const char *language, struct transfer_score *out, const void *ctx)
{
    const struct screen_instrument *in = screen_registry_find(ctx, iid, version);
    struct screen_answers a;
    struct screen_result r;
    struct verr v = {0};

    memset(out, 0, sizeof(*out));
    if (!in) {
        return false;
    }
    parse_answers(in, answers, &a, &v);
    if (!v.n) {
        screen_answers_check(in, &a, &v);
    }
    if (v.n) {
        return false;
    }
    screen_score(in, &a, &r);
    out->result = result_json(in, &r, language);
    snprintf(out->level, sizeof(out->level), "%s", r.level);
    snprintf(out->band, sizeof(out->band), "%s",
             r.primary_band >= 0 ? in->bands[r.primary_band].id : "");
    out->flag_count = r.n_flags;
    return out->result != NULL;
}

/* ---- reading screenings ------------------------------------------------------------------- */

struct list_ctx {
    struct store_conn *c;
    json_t *items;
    const char *pid;
};

static enum err screening_item(const struct screening_row *row, void *ctx)
{
    struct list_ctx *lc = ctx;
    char at[40];
    json_array_append_new(
        lc->items, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "id", row->uid, "instrument",
                             row->instrument, "version", row->version, "created_at",
                             iso(row->created_at, at, sizeof(at)), "level", row->level, "band",
                             row->band, "red_flags", (json_int_t)row->flag_count));
    return ERR_OK;
}

enum err screen_list(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                     const char *pid, json_t **out)
{
    struct client_row client;
    struct list_ctx lc = {c, NULL, pid};
    uint32_t eff;
    enum err rc =
        dossier_client_open(c, actx, who, pid, SCOPE_SIGNAL, "list", "screening", &client, &eff);
    if (rc) {
        return rc;
    }
    lc.items = json_array();
    rc = store_screening_each_for_client(c, client.id, screening_item, &lc);
    if (rc) {
        json_decref(lc.items);
        return rc;
    }
    *out = json_pack("{s:o}", "items", lc.items);
    return ERR_OK;
}

/* The screening's answers and result, opened with the client's data key. */
static enum err screening_open(struct store_conn *c, struct audit_ctx *actx,
                               const struct client_row *client, const struct screening_row *row,
                               json_t **out)
{
    char *answers = NULL, *result = NULL;
    struct keys_dek dek;
    enum err rc = keys_dek_load(actx->keys, c, actx, client->id, client->pid, &dek);

    rc = rc ? rc
            : keys_open_dup(&dek, actx, STORE_COL_SCREENING_ANSWERS, row->uid, &row->answers,
                            &answers);
    rc =
        rc ? rc
           : keys_open_dup(&dek, actx, STORE_COL_SCREENING_RESULT, row->uid, &row->result, &result);
    if (!rc) {
        *out = screening_json(c, row, client->pid, answers, result);
    }
    keys_dek_release(&dek);
    free(answers);
    free(result);
    return rc;
}

enum err screen_get(struct store_conn *c, struct audit_ctx *actx, const struct principal *who,
                    const char *pid, const char *sid, json_t **out)
{
    struct client_row client;
    struct screening_row row;
    uint32_t eff;
    enum err rc =
        dossier_client_open(c, actx, who, pid, SCOPE_SIGNAL, "read", "screening", &client, &eff);
    if (rc) {
        return rc;
    }
    rc = store_screening_by_uid(c, sid, &row);
    if (!rc && row.client_id != client.id) {
        rc = ERR_NOT_FOUND;
    }
    rc = rc ? rc : screening_open(c, actx, &client, &row, out);
    store_screening_release(&row);
    return rc;
}
