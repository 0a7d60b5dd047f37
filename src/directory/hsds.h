/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * HSDS 3.0 as Veerkracht reads and writes it (docs/social-map.md): the PSH taxonomy compiled in,
 * validation of a service_package (HSDS 3.0 structure + the Veerkracht profile), the canonical
 * JSON form, and the HSDS CSV datapackage. Pure: jansson and core only, no storage, no HTTP.
 *
 * A "package" is what the JSON exchange file holds: a JSON array of fully nested HSDS `service`
 * objects (schema/compiled/service_package.json), each with its `organization`, its
 * `service_at_locations[].location` and its `attributes[].taxonomy_term`.
 */
#ifndef VK_HSDS_H
#define VK_HSDS_H

#include <jansson.h>

#include "core/buf.h"
#include "core/compat.h"
#include "core/err.h"
#include "core/verr.h"

#define HSDS_TAXONOMY_ID  "6911176f-531b-54f5-a7e6-94db60dba18c"
#define HSDS_TAXONOMY_URI "https://veerkracht.example/taxonomy/psh/1"

#define HSDS_MAX_SERVICES 200000 /* per package */
#define HSDS_TEXT_MAX     8192   /* bytes, any one string */
#define HSDS_FILE_MAX     (512u * 1024u * 1024u) /* bytes, any one input file */

/* ---- the taxonomy (docs/social-map.md §2.9; ids are UUID v5 of the term URI) ------------- */
struct hsds_term {
    const char *id;     /* UUID */
    const char *code;   /* "care_level.L1", "translation.description.ar", root: "care_level" */
    const char *name;   /* English */
    const char *parent; /* code of the root, NULL for a root */
    const char *lang;   /* "en", or the language of a translation(_status) term */
    const char *description;
};
size_t hsds_term_count(void);
const struct hsds_term *hsds_term_at(size_t i);
/* NULL when the id or code is not ours. */
const struct hsds_term *hsds_term_by_id(const char *id);
const struct hsds_term *hsds_term_by_code(const char *code);
/* New references: the HSDS taxonomy_term object of a term / the taxonomy object. */
json_t *hsds_term_json(const struct hsds_term *t);
json_t *hsds_taxonomy_json(void);

/* ---- validation -------------------------------------------------------------------------- */
/*
 * Checks a package and normalises it in place: drops null members and empty strings (the CSV
 * form cannot tell them from absent), sorts every array of objects by "id". Structure (known
 * HSDS 3.0 fields only, types, required fields, enums, dates, caps), identity (nested ids agree
 * with their foreign keys; an organization or location that appears under several services is
 * identical each time; no duplicate ids), and the profile (every rule in docs/social-map.md §1–§3).
 * Each problem is added to errs under its JSON pointer ("/12/cost_options/0/attributes"); the
 * first VERR_MAX are kept. ERR_INVALID when errs is not empty afterwards.
 */
enum err hsds_check_package(json_t *pkg, struct verr *errs);
/* The same checks for one nested service; pointers are prefixed with `prefix` ("" for none). */
enum err hsds_check_service(json_t *service, const char *prefix, struct verr *errs);

/* ---- canonical JSON ---------------------------------------------------------------------- */
/*
 * Appends the canonical text of v to out: object keys sorted by byte order, no insignificant
 * white space, strings as UTF-8 with only the escapes JSON requires, integers as integers and
 * reals in the shortest form that reads back to the same double. Equal data gives equal bytes.
 */
enum err hsds_dump_canonical(const json_t *v, struct buf *out);
/* Same, with a newline after each top-level array element, for files people diff. */
enum err hsds_dump_package(const json_t *pkg, struct buf *out);

/* ---- CSV datapackage (docs/social-map.md §4) --------------------------------------------- */
/*
 * Reads a Tabular Data Package directory (datapackage.json + one CSV per HSDS table) into a
 * nested package (*out, a new reference), not yet checked: call hsds_check_package() next.
 * Errors go to errs with the pointer "file.csv:line:field" (line of the record's first field).
 */
enum err hsds_csv_read(const char *dir, json_t **out, struct verr *errs);
/* Writes pkg (checked) as a datapackage into dir (created if missing; files replaced). */
enum err hsds_csv_write(const json_t *pkg, const char *dir);

#endif
