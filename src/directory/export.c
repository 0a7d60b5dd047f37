/* SPDX-License-Identifier: EUPL-1.2 */
/* SCAFFOLD: replaced by the real implementation during issue 4. */
#include "directory/directory.h"

enum err dir_export(struct store_conn *c, json_t **out) { (void)c; *out = NULL; return ERR_INTERNAL; }
enum err dir_service_get(struct store_conn *c, const char *id, json_t **out) { (void)c; (void)id; *out = NULL; return ERR_INTERNAL; }
