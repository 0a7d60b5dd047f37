/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * SQLite connection pool, transactions, statement cache and migrations. Every connection runs
 * in WAL mode with synchronous=FULL, foreign keys on and a busy timeout.
 */
#include "core/compat.h"

#include <pthread.h>

#include "core/clock.h"
#include "core/embed.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/str.h"
#include "storage/store_int.h"

struct store {
    /*
     * Writers queue here before BEGIN IMMEDIATE: SQLite's busy handler would make them sleep
     * and poll (1, 2, 5, 10 … 100 ms), which turns contention into second-long tails.
     */
    pthread_mutex_t write_lock;
    pthread_mutex_t lock;
    pthread_cond_t freed;
    int n;
    struct store_conn *conns;
    bool *busy;
};

enum err store__err(struct store_conn *c, int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_DONE:
    case SQLITE_ROW:
        return ERR_OK;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return ERR_BUSY;
    case SQLITE_CONSTRAINT:
        return ERR_CONFLICT;
    case SQLITE_NOMEM:
        return ERR_NOMEM;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return ERR_CORRUPT;
    default:
        log_error("msg=\"sqlite error\" code=%d err=\"%s\"", rc, c ? sqlite3_errmsg(c->db) : "");
        return ERR_DB;
    }
}

/*
 * Fully associative cache: a linear scan of pointers is cheaper than a prepare. When full, the
 * next slot (round robin) whose statement is not mid-iteration is recycled, so a caller that
 * runs a query inside a row callback never loses the statement it is stepping.
 */
static struct store_stmt_slot *store_stmt_slot(struct store_conn *c, const char *sql)
{
    struct store_stmt_slot *free_slot = NULL;
    for (size_t i = 0; i < STORE_STMT_CACHE; i++) {
        if (c->cache[i].sql == sql) {
            return &c->cache[i];
        }
        if (!c->cache[i].sql && !free_slot) {
            free_slot = &c->cache[i];
        }
    }
    for (size_t n = 0; !free_slot && n < STORE_STMT_CACHE; n++) {
        struct store_stmt_slot *s = &c->cache[c->next_evict++ % STORE_STMT_CACHE];
        if (!sqlite3_stmt_busy(s->stmt)) {
            sqlite3_finalize(s->stmt);
            s->stmt = NULL;
            s->sql = NULL;
            free_slot = s;
        }
    }
    if (!free_slot) {
        BUG("statement cache exhausted");
    }
    return free_slot;
}

enum err store__stmt(struct store_conn *c, const char *sql, sqlite3_stmt **out)
{
    struct store_stmt_slot *s = store_stmt_slot(c, sql);
    int rc;

    if (!s->sql) {
        rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->stmt, NULL);
        if (rc != SQLITE_OK) {
            log_error("msg=\"prepare failed\" err=\"%s\"", sqlite3_errmsg(c->db));
            sqlite3_finalize(s->stmt);
            s->stmt = NULL;
            return ERR_DB;
        }
        s->sql = sql;
    }
    sqlite3_reset(s->stmt);
    sqlite3_clear_bindings(s->stmt);
    *out = s->stmt;
    return ERR_OK;
}

enum err store__exec_done(struct store_conn *c, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    enum err e = (rc == SQLITE_DONE) ? ERR_OK : store__err(c, rc);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && e == ERR_OK) {
        e = ERR_DB;
    }
    return e;
}

enum err store__exec_one(struct store_conn *c, sqlite3_stmt *st)
{
    enum err rc = store__exec_done(c, st);
    return (!rc && sqlite3_changes(c->db) == 0) ? ERR_NOT_FOUND : rc;
}

enum err store__step_row(struct store_conn *c, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        return ERR_OK;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? ERR_NOT_FOUND : store__err(c, rc);
}

enum err store__insert(struct store_conn *c, sqlite3_stmt *st, int64_t *id)
{
    enum err rc = store__exec_done(c, st);
    if (!rc) {
        *id = sqlite3_last_insert_rowid(c->db);
    }
    return rc;
}

static enum err store_get(struct store_conn *c, sqlite3_stmt *st, store__read_fn read, void *out)
{
    enum err rc = store__step_row(c, st);
    if (!rc) {
        read(st, out);
        sqlite3_reset(st);
    }
    return rc;
}

enum err store__get_text(struct store_conn *c, const char *sql, const char *key,
                         store__read_fn read, void *out)
{
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    return store_get(c, st, read, out);
}

enum err store__get_int(struct store_conn *c, const char *sql, int64_t key, store__read_fn read,
                        void *out)
{
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, key);
    return store_get(c, st, read, out);
}

enum err store__iterate(struct store_conn *c, sqlite3_stmt *st, store__row_fn row, void *ctx)
{
    enum err rc = ERR_OK;
    int step = SQLITE_DONE;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        rc = row(st, ctx);
    }
    if (!rc && step != SQLITE_DONE) {
        rc = store__err(c, step);
    }
    sqlite3_reset(st);
    return rc;
}

void store__col_text(sqlite3_stmt *st, int i, char *dst, size_t size)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    size_t n = t ? (size_t)sqlite3_column_bytes(st, i) : 0;
    if (n >= size) {
        n = size - 1;
    }
    if (n) {
        memcpy(dst, t, n);
    }
    dst[n] = '\0';
}

int store__bind_opt(sqlite3_stmt *st, int i, const char *s)
{
    if (!s || !*s) {
        return sqlite3_bind_null(st, i);
    }
    return sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

static enum err store_exec(struct store_conn *c, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        log_error("msg=\"sql failed\" err=\"%s\"", msg ? msg : "?");
        sqlite3_free(msg);
        return store__err(c, rc) ? store__err(c, rc) : ERR_DB;
    }
    return ERR_OK;
}

static enum err store_conn_open(const char *path, struct store_conn *c)
{
    static const char pragmas[] = "PRAGMA journal_mode=WAL;"
                                  "PRAGMA synchronous=FULL;"
                                  "PRAGMA foreign_keys=ON;"
                                  "PRAGMA secure_delete=ON;"
                                  "PRAGMA trusted_schema=OFF;";
    int rc = sqlite3_open_v2(
        path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        log_error("msg=\"cannot open database\" err=\"%s\"",
                  c->db ? sqlite3_errmsg(c->db) : "out of memory");
        return ERR_DB;
    }
    sqlite3_extended_result_codes(c->db, 1);
    sqlite3_busy_timeout(c->db, 5000);
    sqlite3_db_config(c->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    return store_exec(c, pragmas);
}

static void store_conn_close(struct store_conn *c)
{
    for (size_t i = 0; i < STORE_STMT_CACHE; i++) {
        sqlite3_finalize(c->cache[i].stmt);
        c->cache[i].stmt = NULL;
        c->cache[i].sql = NULL;
    }
    if (c->db) {
        int rc = sqlite3_close(c->db);
        if (rc != SQLITE_OK) {
            log_error("msg=\"database close failed\" code=%d", rc);
        }
        c->db = NULL;
    }
}

enum err store_open(const char *path, int nconns, struct store **out)
{
    struct store *st = xcalloc(1, sizeof(*st));
    enum err rc = ERR_OK;

    pthread_mutex_init(&st->lock, NULL);
    pthread_mutex_init(&st->write_lock, NULL);
    pthread_cond_init(&st->freed, NULL);
    st->n = nconns < 1 ? 1 : nconns;
    st->conns = xcalloc((size_t)st->n, sizeof(*st->conns));
    st->busy = xcalloc((size_t)st->n, sizeof(*st->busy));
    for (int i = 0; i < st->n && !rc; i++) {
        st->conns[i].owner = st;
        rc = store_conn_open(path, &st->conns[i]);
    }
    if (rc) {
        store_close(st);
        return rc;
    }
    *out = st;
    return ERR_OK;
}

void store_close(struct store *st)
{
    if (!st) {
        return;
    }
    for (int i = st->n - 1; i >= 0; i--) {
        if (i == 0 && st->conns[0].db) {
            /* the last connection out checkpoints the WAL into the main file */
            sqlite3_wal_checkpoint_v2(st->conns[0].db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL,
                                      NULL);
        }
        store_conn_close(&st->conns[i]);
    }
    pthread_mutex_destroy(&st->lock);
    pthread_mutex_destroy(&st->write_lock);
    pthread_cond_destroy(&st->freed);
    free(st->conns);
    free(st->busy);
    free(st);
}

struct store_conn *store_acquire(struct store *st)
{
    struct store_conn *c = NULL;
    pthread_mutex_lock(&st->lock);
    while (!c) {
        for (int i = 0; i < st->n; i++) {
            if (!st->busy[i]) {
                st->busy[i] = true;
                c = &st->conns[i];
                break;
            }
        }
        if (!c) {
            pthread_cond_wait(&st->freed, &st->lock);
        }
    }
    pthread_mutex_unlock(&st->lock);
    return c;
}

void store_release(struct store *st, struct store_conn *conn)
{
    if (conn->in_tx) {
        store_rollback(conn);
    }
    pthread_mutex_lock(&st->lock);
    st->busy[conn - st->conns] = false;
    pthread_cond_signal(&st->freed);
    pthread_mutex_unlock(&st->lock);
}

static void store_write_unlock(struct store_conn *c)
{
    if (c->holds_write_lock) {
        c->holds_write_lock = false;
        pthread_mutex_unlock(&c->owner->write_lock);
    }
}

enum err store_begin(struct store_conn *c, bool write)
{
    static const char begin_w[] = "BEGIN IMMEDIATE";
    static const char begin_r[] = "BEGIN";
    sqlite3_stmt *st;
    enum err rc;

    if (c->in_tx) {
        BUG("nested transaction");
    }
    if (write) {
        pthread_mutex_lock(&c->owner->write_lock);
        c->holds_write_lock = true;
    }
    rc = store__stmt(c, write ? begin_w : begin_r, &st);
    if (!rc) {
        rc = store__exec_done(c, st);
    }
    if (!rc) {
        c->in_tx = true;
    } else {
        store_write_unlock(c);
    }
    return rc;
}

enum err store_commit(struct store_conn *c)
{
    static const char sql[] = "COMMIT";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (!rc) {
        rc = store__exec_done(c, st);
    }
    if (rc) {
        store_rollback(c);
        return rc;
    }
    c->in_tx = false;
    store_write_unlock(c);
    return ERR_OK;
}

void store_rollback(struct store_conn *c)
{
    if (!sqlite3_get_autocommit(c->db)) {
        (void)store_exec(c, "ROLLBACK");
    }
    c->in_tx = false;
    store_write_unlock(c);
}

static enum err store_migration_version(const char *name, int *version)
{
    int64_t v;
    if (strlen(name) < 5 || name[4] != '_' || str_parse_i64(name, 4, 1, 9999, &v)) {
        return ERR_INVALID;
    }
    *version = (int)v;
    return ERR_OK;
}

static enum err store_apply_one(struct store_conn *c, const struct embed_file *m, int version)
{
    sqlite3_stmt *st;
    static const char rec[] =
        "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)";
    enum err rc = store_begin(c, true);
    if (rc) {
        return rc;
    }
    rc = store_exec(c, (const char *)m->data);
    if (!rc) {
        rc = store__stmt(c, rec, &st);
    }
    if (!rc) {
        sqlite3_bind_int(st, 1, version);
        sqlite3_bind_text(st, 2, m->path, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, clock_now_ms());
        rc = store__exec_done(c, st);
    }
    if (!rc) {
        rc = store_commit(c);
    }
    if (rc) {
        store_rollback(c);
        log_error("msg=\"migration failed\" migration=%s", m->path);
    }
    return rc;
}

static enum err store_current_version(struct store_conn *c, int *version)
{
    static const char sql[] = "SELECT coalesce(max(version), 0) FROM schema_migrations";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    if (sqlite3_step(st) != SQLITE_ROW) {
        return store__err(c, sqlite3_errcode(c->db));
    }
    *version = sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    return ERR_OK;
}

enum err store_migrate(struct store_conn *c, int *applied, int *version)
{
    enum err rc = store_exec(c, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                                "applied_at INTEGER NOT NULL)");
    int current = 0;

    *applied = 0;
    if (!rc) {
        rc = store_current_version(c, &current);
    }
    for (size_t i = 0; !rc && i < sql_migrations_count; i++) {
        int v;
        if (store_migration_version(sql_migrations[i].path, &v)) {
            log_error("msg=\"bad migration name\" migration=%s", sql_migrations[i].path);
            return ERR_INTERNAL;
        }
        if (v <= current) {
            continue;
        }
        rc = store_apply_one(c, &sql_migrations[i], v);
        if (!rc) {
            (*applied)++;
            current = v;
        }
    }
    *version = current;
    return rc;
}

enum err store_integrity_check(struct store_conn *c)
{
    static const char sql[] = "PRAGMA integrity_check";
    sqlite3_stmt *st;
    enum err rc = store__stmt(c, sql, &st);
    if (rc) {
        return rc;
    }
    if (sqlite3_step(st) != SQLITE_ROW) {
        return ERR_DB;
    }
    rc = strcmp((const char *)sqlite3_column_text(st, 0), "ok") ? ERR_CORRUPT : ERR_OK;
    sqlite3_reset(st);
    return rc;
}

enum err store_wipe(struct store_conn *c)
{
    return store_exec(c, "DROP TRIGGER IF EXISTS audit_no_delete;"
                         "DELETE FROM audit; DELETE FROM sessions; DELETE FROM login_failures;"
                         "DELETE FROM red_flag_actions; DELETE FROM red_flags;"
                         "DELETE FROM screenings;"
                         "DELETE FROM grants; DELETE FROM users; DELETE FROM client_keys;"
                         "DELETE FROM transfers_out; DELETE FROM transfers_in;"
                         "DELETE FROM clients;"
                         "DELETE FROM orgs;"
                         "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN "
                         "SELECT RAISE(ABORT, 'audit rows are append-only'); END;");
}
