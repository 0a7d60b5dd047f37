/* SPDX-License-Identifier: EUPL-1.2 */
/* Test helper: a migrated SQLite store in a fresh temporary directory. Header-only. */
#ifndef VK_UNIT_DB_H
#define VK_UNIT_DB_H

#include "core/compat.h"

#include <unistd.h>

#include "core/sec.h"
#include "storage/store.h"

struct unit_db {
    char dir[64];
    char path[96];
    struct store *st;
    struct store_conn *c;
};

static inline void unit_db_open(struct unit_db *u)
{
    int applied = 0, version = 0;
    snprintf(u->dir, sizeof(u->dir), "/tmp/vk-unit-XXXXXX");
    if (!mkdtemp(u->dir) || sec_init()) {
        abort();
    }
    snprintf(u->path, sizeof(u->path), "%s/test.db", u->dir);
    if (store_open(u->path, 1, &u->st)) {
        abort();
    }
    u->c = store_acquire(u->st);
    if (store_migrate(u->c, &applied, &version)) {
        abort();
    }
}

static inline void unit_db_close(struct unit_db *u)
{
    char p[128];
    store_release(u->st, u->c);
    store_close(u->st);
    unlink(u->path);
    snprintf(p, sizeof(p), "%s-wal", u->path);
    unlink(p);
    snprintf(p, sizeof(p), "%s-shm", u->path);
    unlink(p);
    rmdir(u->dir);
}

#endif
