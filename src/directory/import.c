/* SPDX-License-Identifier: EUPL-1.2 */
/* SCAFFOLD: replaced by the real implementation during issue 4. */
#include "directory/directory.h"

enum err dir_import(struct store_conn *c, const struct audit_ctx *a, json_t *pkg, const char *region, dir_progress_fn p, void *pc, struct dir_import_stats *st) { (void)c; (void)a; (void)pkg; (void)region; (void)p; (void)pc; (void)st; return ERR_INTERNAL; }
