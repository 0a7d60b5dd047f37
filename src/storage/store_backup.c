/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Online backup: SQLite's backup API copies the database page by page into a new file while the
 * server goes on writing (a plain file copy could miss what is still in the -wal file).
 */
#include "core/compat.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "storage/store_int.h"

#define BACKUP_PAGES_PER_STEP 256
#define BACKUP_BUSY_SLEEP_MS  20

/* Creates the empty target with mode 0600; ERR_CONFLICT when something is there already. */
static enum err backup_create(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        return errno == EEXIST ? ERR_CONFLICT : ERR_IO;
    }
    return close(fd) == 0 ? ERR_OK : ERR_IO;
}

static enum err backup_copy(struct store_conn *c, sqlite3 *dst)
{
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", c->db, "main");
    int rc;

    if (!b) {
        log_error("msg=\"backup init failed\" err=\"%s\"", sqlite3_errmsg(dst));
        return ERR_DB;
    }
    do {
        rc = sqlite3_backup_step(b, BACKUP_PAGES_PER_STEP);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
            sqlite3_sleep(BACKUP_BUSY_SLEEP_MS);
        }
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        log_error("msg=\"backup failed\" code=%d", rc);
        return ERR_DB;
    }
    return ERR_OK;
}

enum err store_backup(struct store_conn *c, const char *path)
{
    sqlite3 *dst = NULL;
    enum err rc = backup_create(path);

    if (rc) {
        return rc;
    }
    if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        rc = ERR_IO;
    } else {
        rc = backup_copy(c, dst);
    }
    /* a backup is one self-contained file: no -wal beside it */
    if (!rc && sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK) {
        rc = ERR_DB;
    }
    if (dst && sqlite3_close(dst) != SQLITE_OK && !rc) {
        rc = ERR_IO;
    }
    if (rc) {
        unlink(path);
    }
    return rc;
}
