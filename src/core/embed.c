/* SPDX-License-Identifier: EUPL-1.2 */
/* Lookup in the generated, path-sorted tables. */
#include "core/compat.h"

#include "core/embed.h"

const struct embed_file *embed_find(const struct embed_file *table, size_t count, const char *path,
                                    size_t len)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *p = table[mid].path;
        size_t plen = strlen(p);
        int cmp = memcmp(p, path, plen < len ? plen : len);
        if (cmp == 0) {
            cmp = plen < len ? -1 : (plen > len ? 1 : 0);
        }
        if (cmp == 0) {
            return &table[mid];
        }
        if (cmp < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}
