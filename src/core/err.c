/* SPDX-License-Identifier: EUPL-1.2 */
/* Tables behind enum err, generated from ERR_MAP. */
#include "core/compat.h"

#include "core/err.h"

struct err_info {
    const char *name;
    int status;
    const char *slug;
    const char *title;
};

static const struct err_info err_table[] = {
#define ERR_ROW(code, status, slug, title) {#code, status, slug, title},
    ERR_MAP(ERR_ROW)
#undef ERR_ROW
};

static const struct err_info *err_info(enum err e)
{
    if ((size_t)e >= ARRAY_SIZE(err_table)) {
        return &err_table[ERR_INTERNAL];
    }
    return &err_table[e];
}

const char *err_name(enum err e)
{
    return err_info(e)->name;
}

const char *err_slug(enum err e)
{
    return err_info(e)->slug;
}

const char *err_title(enum err e)
{
    return err_info(e)->title;
}

int err_http_status(enum err e)
{
    return err_info(e)->status;
}
