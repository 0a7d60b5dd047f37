/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Internals shared by the SQLite implementation files of the storage module. Nothing outside
 * src/storage/ includes this header.
 */
#ifndef VK_STORE_INT_H
#define VK_STORE_INT_H

#include <sqlite3.h>

#include "storage/store.h"

#define STORE_STMT_CACHE 96

struct store_stmt_slot {
    const char *sql; /* static string; its address is the cache key */
    sqlite3_stmt *stmt;
};

struct store_conn {
    sqlite3 *db;
    struct store *owner;
    bool in_tx;
    bool holds_write_lock;
    size_t next_evict;
    struct store_stmt_slot cache[STORE_STMT_CACHE];
};

/*
 * Returns a reset, cleared prepared statement for a static SQL string, cached per connection.
 * Borrowed: valid until the next store__stmt() with the same SQL on this connection.
 */
enum err store__stmt(struct store_conn *c, const char *sql, sqlite3_stmt **out);
/* Maps an SQLite result code to enum err (BUSY, CONFLICT for constraint errors, DB). */
enum err store__err(struct store_conn *c, int rc);
/* Runs a statement that returns no rows; ERR_OK on SQLITE_DONE. */
enum err store__exec_done(struct store_conn *c, sqlite3_stmt *st);
/* Runs an UPDATE or DELETE meant to change a row: ERR_NOT_FOUND when it changed none. */
enum err store__exec_one(struct store_conn *c, sqlite3_stmt *st);
/* Steps once: ERR_OK on a row (caller resets), ERR_NOT_FOUND when there is none. */
enum err store__step_row(struct store_conn *c, sqlite3_stmt *st);
/* Runs an INSERT; *id gets the new row's id. */
enum err store__insert(struct store_conn *c, sqlite3_stmt *st, int64_t *id);
/* Fills out from a row; out is the row struct the caller passes. */
typedef void (*store__read_fn)(sqlite3_stmt *st, void *out);
/* The one row that `sql` (a static string with one ? parameter) finds for key, read into out;
 * ERR_NOT_FOUND when there is none. */
enum err store__get_text(struct store_conn *c, const char *sql, const char *key,
                         store__read_fn read, void *out);
enum err store__get_int(struct store_conn *c, const char *sql, int64_t key, store__read_fn read,
                        void *out);
/* Steps st to the end, calling row for each row; resets st. Stops at the first error. */
typedef enum err (*store__row_fn)(sqlite3_stmt *st, void *ctx);
enum err store__iterate(struct store_conn *c, sqlite3_stmt *st, store__row_fn row, void *ctx);
/* Copies column i as text into dst (size bytes, truncating safely); NULL becomes "". */
void store__col_text(sqlite3_stmt *st, int i, char *dst, size_t size);
/* Binds text, or NULL when s is NULL or empty. */
int store__bind_opt(sqlite3_stmt *st, int i, const char *s);
/*
 * Sealed columns (store_keys.c). col_sealed copies a BLOB column into dst (size bytes) and sets
 * *len; NULL gives length 0. Anything else (text, or a BLOB too long for dst) gives the one byte
 * 0x00, which no opener accepts: the caller sees a corrupt value, never a truncated one.
 */
void store__col_sealed(sqlite3_stmt *st, int i, unsigned char *dst, size_t size, size_t *len);
/* The same into an owned heap blob (an empty value is {NULL, 0}). */
void store__col_blob(sqlite3_stmt *st, int i, struct store_blob *out);
/* Binds a sealed value as a BLOB, or NULL when len is 0. */
int store__bind_sealed(sqlite3_stmt *st, int i, const unsigned char *b, size_t len);

#endif
