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

#define HSDS_MAX_SERVICES 200000                 /* per package */
#define HSDS_TEXT_MAX     8192                   /* bytes, any one string */
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
 * Checks a package and normalises it in place: drops null members, empty strings and empty
 * arrays (the CSV form cannot tell them from absent), fills in the foreign keys nesting implies
 * (service_id, contact_id, link_id/link_entity, resource_id/resource_type, organization_id from
 * the nested organization, ...), embeds our taxonomy's term in each attribute that lacks it, and
 * sorts every array of objects (the package too) by "id". Structure (known HSDS 3.0 fields only,
 * types, required fields, enums, dates, caps: HSDS_TEXT_MAX per string, 5000 items per array,
 * ids of at most 63 bytes), identity (nested ids agree with their foreign keys; an organization,
 * location, program or foreign term that appears several times is identical each time; no
 * duplicate ids per object type), and the profile (every rule in docs/social-map.md §1–§3).
 * Ages and other HSDS "number" fields that count things must be integers. Refused as not
 * supported yet: organization.locations, organization.programs, and a nested taxonomy other
 * than ours. Each problem is added to errs under its JSON pointer, with array indexes as given
 * ("/12/cost_options/0/attributes"); the first VERR_MAX are kept. ERR_INVALID when errs is not
 * empty afterwards. Normalisation is only complete when the result is ERR_OK.
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
 * nested package (*out, a new reference, NULL on error), not yet checked: call
 * hsds_check_package() next. Reads the resources datapackage.json lists (each must be an HSDS
 * table name; services.csv and organizations.csv are required); header columns in any order,
 * numbers parsed strictly by the schema's type. Errors go to errs with the pointer
 * "file.csv:line:field" (line where the record starts), "file.csv:line" or "file.csv";
 * ERR_INVALID when there are any. hsds_csv_load() below also checks and locates the check's
 * errors the same way.
 */
enum err hsds_csv_read(const char *dir, json_t **out, struct verr *errs);
/*
 * Writes pkg (checked) as a datapackage into dir (created if missing; each file written beside
 * its name and renamed over it; tables this package has no rows for, other than the 14 core
 * ones, are removed). Rows sorted by id; our whole taxonomy goes into taxonomy_terms.csv.
 * ERR_IO when a file cannot be written, ERR_TOO_LARGE past HSDS_FILE_MAX, ERR_INVALID when pkg
 * is not an array.
 */
enum err hsds_csv_write(const json_t *pkg, const char *dir);

/* One CSV table in memory: path is its file name ("services.csv"); data borrowed. */
struct hsds_csv_file {
    const char *path;
    const char *data;
    size_t len;
};
/*
 * What hsds_csv_read() does once the files are in memory (also the fuzzing entry point): files
 * must include services.csv and organizations.csv; any other path must be an HSDS table name.
 * *out gets the nested package (new reference) or NULL; errors as for hsds_csv_read().
 */
enum err hsds_csv_read_files(const struct hsds_csv_file *files, size_t n, json_t **out,
                             struct verr *errs);

/*
 * hsds_csv_read() + hsds_check_package(), with the check's errors located in the files for
 * whoever edits them in a spreadsheet: each JSON pointer of the check ("/3/cost_options/1/
 * attributes") becomes "file.csv:LINE:field" of the deepest object on it that came from a row
 * (here the cost_options.csv row, field "attributes"); LINE is where that row starts, field the
 * member that follows on the pointer (a column, or the array a missing attribute, cost option or
 * contact belongs in); "file.csv:LINE" when the pointer ends at the row. The message keeps the
 * pointer, "(at /3/...)", when it goes deeper than that member. Reading errors are located as
 * for hsds_csv_read(). *out gets the checked, normalised package (new reference), NULL on
 * error; ERR_INVALID when errs is not empty afterwards.
 */
enum err hsds_csv_load(const char *dir, json_t **out, struct verr *errs);
/* The same for tables in memory, as hsds_csv_read_files() takes them. */
enum err hsds_csv_load_files(const struct hsds_csv_file *files, size_t n, json_t **out,
                             struct verr *errs);

#endif
