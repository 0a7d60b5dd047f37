/* SPDX-License-Identifier: EUPL-1.2 */
/* SCAFFOLD: replaced by the real implementation during issue 4. */
#include "directory/directory.h"

enum err dir_service_view(struct store_conn *c, const char *id, const char *lang, json_t **out) { (void)c; (void)id; (void)lang; *out = NULL; return ERR_INTERNAL; }
