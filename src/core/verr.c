/* SPDX-License-Identifier: EUPL-1.2 */
/* Bounded list of field errors. */
#include "core/compat.h"

#include <stdarg.h>

#include "core/verr.h"

void verr_add(struct verr *v, const char *pointer, const char *fmt, ...)
{
    va_list ap;
    struct verr_item *it;
    if (v->n >= VERR_MAX) {
        return;
    }
    for (size_t i = 0; i < v->n; i++) {
        if (!strcmp(v->items[i].pointer, pointer)) {
            return; /* one message per field: the first, most specific one */
        }
    }
    it = &v->items[v->n++];
    snprintf(it->pointer, sizeof(it->pointer), "%s", pointer);
    va_start(ap, fmt);
    vsnprintf(it->detail, sizeof(it->detail), fmt, ap);
    va_end(ap);
}
