/* SPDX-License-Identifier: EUPL-1.2 */
/* SCAFFOLD: replaced by the real implementation during issue 4. */
#include "directory/directory.h"

enum err dir_query_parse(struct dir_query *q, const char *(*get)(void *ctx, const char *name), void *ctx, struct verr *errs) { (void)q; (void)get; (void)ctx; (void)errs; return ERR_INTERNAL; }
enum err dir_search(struct store_conn *c, const struct dir_query *q, json_t **out) { (void)c; (void)q; *out = NULL; return ERR_INTERNAL; }
