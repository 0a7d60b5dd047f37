/*
 * fsync-loop: REF-FSYNC, the durable-write reference for bench/run.
 *
 * Opens (creating) a SQLite database in WAL mode with the given synchronous
 * level, then commits 1-row INSERT transactions (BEGIN; INSERT; COMMIT) into
 * an audit-shaped table for a fixed time, and reports committed txn/s. With
 * synchronous=FULL each commit fsyncs the WAL, so the rate is the disk's
 * durable-commit ceiling: an endpoint that writes one durable row per request
 * (veerkracht's GET /api/v1/clients/{id} writes one audit row) cannot beat it
 * without group commit.
 *
 *   fsync-loop --db PATH [--sync FULL|NORMAL|OFF] [--seconds N]
 *
 * Output (stdout), one line: "fsync-loop: sync=FULL txns=N seconds=S
 * txn_per_s=R mean_us=U". The database file is left in place; the caller
 * deletes it.
 *
 * Build: cc -std=c11 -O2 -Wall -Wextra fsync-loop.c \
 *            $(pkg-config --cflags --libs sqlite3) -o fsync-loop
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "fsync-loop: %s: %s\n", sql, err ? err : "?");
        sqlite3_free(err);
        return -1;
    }
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: fsync-loop --db PATH [--sync FULL|NORMAL|OFF] "
               "[--seconds N]\n");
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    const char *sync = "FULL";
    double seconds = 3.0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = (i + 1 < argc) ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (v == NULL) {
            fprintf(stderr, "fsync-loop: %s needs a value\n", a);
            return 2;
        }
        if (strcmp(a, "--db") == 0) {
            path = v;
        } else if (strcmp(a, "--sync") == 0) {
            if (strcmp(v, "FULL") && strcmp(v, "NORMAL") && strcmp(v, "OFF")) {
                fprintf(stderr, "fsync-loop: --sync must be FULL, NORMAL or "
                                "OFF\n");
                return 2;
            }
            sync = v;
        } else if (strcmp(a, "--seconds") == 0) {
            char *end = NULL;
            errno = 0;
            seconds = strtod(v, &end);
            if (errno != 0 || *end != '\0' || !(seconds > 0.0) || seconds > 3600.0) {
                fprintf(stderr, "fsync-loop: bad --seconds\n");
                return 2;
            }
        } else {
            fprintf(stderr, "fsync-loop: unknown option %s\n", a);
            usage(stderr);
            return 2;
        }
        i++;
    }
    if (path == NULL) {
        usage(stderr);
        return 2;
    }

    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        fprintf(stderr, "fsync-loop: cannot open %s: %s\n", path,
                db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return 1;
    }

    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA synchronous=%s", sync);
    if (exec(db, "PRAGMA journal_mode=WAL") || exec(db, pragma) ||
        exec(db, "CREATE TABLE IF NOT EXISTS audit("
                 " id INTEGER PRIMARY KEY,"
                 " at INTEGER NOT NULL,"
                 " actor TEXT NOT NULL,"
                 " action TEXT NOT NULL,"
                 " subject TEXT NOT NULL,"
                 " request_id TEXT NOT NULL)")) {
        sqlite3_close(db);
        return 1;
    }

    sqlite3_stmt *begin = NULL, *ins = NULL, *commit = NULL;
    if (sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, NULL) ||
        sqlite3_prepare_v2(db,
                           "INSERT INTO audit(at, actor, action, subject,"
                           " request_id) VALUES(?1, ?2, 'client.read', ?3,"
                           " ?4)",
                           -1, &ins, NULL) ||
        sqlite3_prepare_v2(db, "COMMIT", -1, &commit, NULL)) {
        fprintf(stderr, "fsync-loop: prepare: %s\n", sqlite3_errmsg(db));
        sqlite3_finalize(begin);
        sqlite3_finalize(ins);
        sqlite3_finalize(commit);
        sqlite3_close(db);
        return 1;
    }

    static const char actor[] = "0f3c2a9e7b1d4c5a8e6f0a1b2c3d4e5f";
    static const char subject[] = "9a8b7c6d5e4f30211f2e3d4c5b6a7980";
    char rid[33];
    long txns = 0;
    int rc = 0;
    const double t0 = now_s();
    double t = t0;
    const double deadline = t0 + seconds;

    while (t < deadline) {
        snprintf(rid, sizeof rid, "%032lx", (unsigned long)txns);
        sqlite3_bind_int64(ins, 1, (sqlite3_int64)time(NULL));
        sqlite3_bind_text(ins, 2, actor, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, subject, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 4, rid, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(begin) != SQLITE_DONE || sqlite3_step(ins) != SQLITE_DONE ||
            sqlite3_step(commit) != SQLITE_DONE) {
            fprintf(stderr, "fsync-loop: write failed: %s\n", sqlite3_errmsg(db));
            rc = 1;
            break;
        }
        sqlite3_reset(begin);
        sqlite3_reset(ins);
        sqlite3_reset(commit);
        txns++;
        t = now_s();
    }
    const double elapsed = t - t0;

    sqlite3_finalize(begin);
    sqlite3_finalize(ins);
    sqlite3_finalize(commit);
    sqlite3_close(db);

    if (rc == 0) {
        printf("fsync-loop: sync=%s txns=%ld seconds=%.3f txn_per_s=%.0f "
               "mean_us=%.1f\n",
               sync, txns, elapsed, elapsed > 0 ? (double)txns / elapsed : 0.0,
               txns > 0 ? elapsed * 1e6 / (double)txns : 0.0);
    }
    return rc;
}
