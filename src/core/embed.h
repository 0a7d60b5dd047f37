/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Files compiled into the binary by tools/embed.c at build time: the web UI, the SQL
 * migrations and shipped data lists. Each table is sorted by path. Data is NUL-terminated
 * (len excludes the NUL) and lives for the whole run.
 */
#ifndef VK_EMBED_H
#define VK_EMBED_H

#include "core/compat.h"

struct embed_file {
    const char *path; /* "/index.html" for web assets, "0001_init.sql" for the others */
    const char *mime;
    const unsigned char *data;
    size_t len;
    const char *etag; /* quoted strong ETag */
};

extern const struct embed_file web_assets[];
extern const size_t web_assets_count;
extern const struct embed_file sql_migrations[];
extern const size_t sql_migrations_count;
extern const struct embed_file data_files[];
extern const size_t data_files_count;

/* Binary search in a table; NULL when absent. */
const struct embed_file *embed_find(const struct embed_file *table, size_t count, const char *path,
                                    size_t len);

#endif
