/* SPDX-License-Identifier: EUPL-1.2 */
/* Rows of route-map advice (0007_routing.sql): codes and ids only, no free text. */
#include "core/compat.h"

#include "core/mem.h"
#include "storage/store_int.h"

#define ADVICE_COLS                                                                                \
    "id, uid, client_id, rules_id, rules_version, rules_hash, screening_uid, input, output, "      \
    "created_by_user, created_by_role, created_by_org, created_at"

void store_route_advice_release(struct route_advice_row *row)
{
    free(row->input);
    free(row->output);
    row->input = row->output = NULL;
}

static char *col_dup(sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    return xstrndup(t ? t : "", t ? (size_t)sqlite3_column_bytes(st, i) : 0);
}

static void advice_read(sqlite3_stmt *st, void *out)
{
    struct route_advice_row *r = out;
    const void *h = sqlite3_column_blob(st, 5);
    r->id = sqlite3_column_int64(st, 0);
    store__col_text(st, 1, r->uid, sizeof(r->uid));
    r->client_id = sqlite3_column_int64(st, 2);
    store__col_text(st, 3, r->rules_id, sizeof(r->rules_id));
    store__col_text(st, 4, r->rules_version, sizeof(r->rules_version));
    memset(r->rules_hash, 0, SEC_HASH_BYTES);
    if (h && sqlite3_column_bytes(st, 5) == SEC_HASH_BYTES) {
        memcpy(r->rules_hash, h, SEC_HASH_BYTES);
    }
    store__col_text(st, 6, r->screening_uid, sizeof(r->screening_uid));
    r->input = col_dup(st, 7);
    r->output = col_dup(st, 8);
    store__col_text(st, 9, r->created_by_user, sizeof(r->created_by_user));
    store__col_text(st, 10, r->created_by_role, sizeof(r->created_by_role));
    r->created_by_org = sqlite3_column_int64(st, 11);
    r->created_at = sqlite3_column_int64(st, 12);
}

enum err store_route_advice_insert(struct store_conn *c, struct route_advice_row *r)
{
    static const char sql[] = "INSERT INTO route_advice(uid, client_id, rules_id, rules_version, "
                              "rules_hash, screening_uid, input, output, created_by_user, "
                              "created_by_role, created_by_org, created_at) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, r->uid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, r->client_id);
    sqlite3_bind_text(st, 3, r->rules_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, r->rules_version, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 5, r->rules_hash, SEC_HASH_BYTES, SQLITE_STATIC);
    store__bind_opt(st, 6, r->screening_uid);
    sqlite3_bind_text(st, 7, r->input, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, r->output, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, r->created_by_user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, r->created_by_role, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 11, r->created_by_org);
    sqlite3_bind_int64(st, 12, r->created_at);
    return store__insert(c, st, &r->id);
}

enum err store_route_advice_latest(struct store_conn *c, int64_t client_id,
                                   struct route_advice_row *out)
{
    static const char sql[] = "SELECT " ADVICE_COLS " FROM route_advice WHERE client_id = ? "
                              "ORDER BY created_at DESC, id DESC LIMIT 1";
    memset(out, 0, sizeof(*out));
    return store__get_int(c, sql, client_id, advice_read, out);
}
