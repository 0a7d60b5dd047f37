/* SPDX-License-Identifier: EUPL-1.2 */
/* SCAFFOLD: replaced by the real implementation during issue 4. */
#include "directory/directory.h"

json_t *dir_edit_model(const json_t *s) { (void)s; return NULL; }
enum err dir_service_save(struct store_conn *c, const struct audit_ctx *a, const struct principal *w, const char *r, const char *id, const json_t *e, struct verr *errs, char id_out[64]) { (void)c; (void)a; (void)w; (void)r; (void)id; (void)e; (void)errs; (void)id_out; return ERR_INTERNAL; }
