/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Validation errors: a bounded list of (JSON pointer, message) pairs that any layer can fill
 * and the HTTP layer turns into the `errors` member of a problem+json body.
 */
#ifndef VK_VERR_H
#define VK_VERR_H

#include "core/compat.h"

#define VERR_MAX 32

struct verr_item {
    char pointer[96];
    char detail[160];
};

struct verr {
    size_t n;
    struct verr_item items[VERR_MAX];
};

/* Appends one error unless the pointer already has one; keeps the first VERR_MAX. */
void verr_add(struct verr *v, const char *pointer, const char *fmt, ...) VK_PRINTF(3, 4);

#endif
