/* SPDX-License-Identifier: EUPL-1.2 */
/* SCAFFOLD: replaced by the real implementation during issue 4. */
#include "directory/directory.h"

size_t hsds_term_count(void) { return 0; }
const struct hsds_term *hsds_term_at(size_t i) { (void)i; return NULL; }
const struct hsds_term *hsds_term_by_id(const char *id) { (void)id; return NULL; }
const struct hsds_term *hsds_term_by_code(const char *code) { (void)code; return NULL; }
json_t *hsds_term_json(const struct hsds_term *t) { (void)t; return NULL; }
json_t *hsds_taxonomy_json(void) { return NULL; }
enum err hsds_check_package(json_t *pkg, struct verr *errs) { (void)pkg; (void)errs; return ERR_INTERNAL; }
enum err hsds_check_service(json_t *s, const char *p, struct verr *errs) { (void)s; (void)p; (void)errs; return ERR_INTERNAL; }
enum err hsds_dump_canonical(const json_t *v, struct buf *out) { (void)v; (void)out; return ERR_INTERNAL; }
enum err hsds_dump_package(const json_t *v, struct buf *out) { (void)v; (void)out; return ERR_INTERNAL; }
enum err hsds_csv_read(const char *dir, json_t **out, struct verr *errs) { (void)dir; (void)out; (void)errs; return ERR_INTERNAL; }
enum err hsds_csv_write(const json_t *pkg, const char *dir) { (void)pkg; (void)dir; return ERR_INTERNAL; }
