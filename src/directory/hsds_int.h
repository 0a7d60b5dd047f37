/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Shared by the hsds*.c files only: the HSDS 3.0 object tables (hsds_schema.c, transcribed
 * from openreferral/specification schema/ at commit 67e7b37a), the nesting relations the CSV
 * form flattens by foreign key, and the number formatting the canonical JSON and the CSV share.
 */
#ifndef VK_HSDS_INT_H
#define VK_HSDS_INT_H

#include "directory/hsds.h"

/* Object types, in the order their CSV files are listed in datapackage.json. */
enum hsds_type {
    HT_ORGANIZATION,
    HT_SERVICE,
    HT_LOCATION,
    HT_SERVICE_AT_LOCATION,
    HT_CONTACT,
    HT_PHONE,
    HT_SCHEDULE,
    HT_SERVICE_AREA,
    HT_LANGUAGE,
    HT_COST_OPTION,
    HT_REQUIRED_DOCUMENT,
    HT_ATTRIBUTE,
    HT_TAXONOMY,
    HT_TAXONOMY_TERM,
    HT_ADDRESS,
    HT_ACCESSIBILITY,
    HT_FUNDING,
    HT_PROGRAM,
    HT_METADATA,
    HT_ORGANIZATION_IDENTIFIER,
    HT_COUNT
};
#define HT_CORE_COUNT (HT_TAXONOMY_TERM + 1) /* tables written even when empty */

enum hsds_kind { HK_STRING, HK_NUMBER, HK_INTEGER, HK_OBJECT, HK_ARRAY };
enum hsds_fmt { HF_NONE, HF_EMAIL, HF_URI, HF_DATE, HF_TIME, HF_DATETIME };

enum hsds_field_flags {
    HSDS_F_REQ = 1 << 0,         /* schema "required" */
    HSDS_F_TAB = 1 << 1,         /* schema "tabular_required": needed to flatten */
    HSDS_F_UNSUPPORTED = 1 << 2, /* refused: the CSV form could not carry it losslessly */
    HSDS_F_KEEP_EMPTY = 1 << 3,  /* required text that may legitimately be "" */
};

struct hsds_field {
    const char *name;
    unsigned char kind;  /* enum hsds_kind; HSDS "number" fields that hold counts: HK_INTEGER */
    unsigned char fmt;   /* enum hsds_fmt */
    unsigned char flags; /* enum hsds_field_flags */
    unsigned char child; /* enum hsds_type, for HK_OBJECT and HK_ARRAY */
    const char *const *enums; /* NULL-terminated allowed values, or NULL */
};

struct hsds_type_desc {
    const char *name;                /* "service_at_location" */
    const char *path;                /* "service_at_location.csv" */
    const struct hsds_field *fields; /* schema order: the CSV header order */
    size_t nfields;
};
extern const struct hsds_type_desc hsds__types[HT_COUNT];

/* A child table joined to its parent by foreign key (attributes and metadata excepted). */
struct hsds_rel {
    unsigned char parent, child; /* enum hsds_type */
    const char *field;           /* the array member of the parent */
    const char *fk;              /* the child's column naming the parent */
};
extern const struct hsds_rel hsds__rels[];
extern const size_t hsds__nrels;

/* NULL when t has no such field. Borrowed, static. */
const struct hsds_field *hsds__field(enum hsds_type t, const char *name);
/* HT_COUNT when name is not a type name. */
enum hsds_type hsds__type_by_name(const char *name);
/* True for scalar fields: the columns of t's CSV table. */
bool hsds__is_column(const struct hsds_field *f);

/* Shortest text that strtod reads back to d, always with '.' or 'e' ("5.0", "1e300"). */
void hsds__fmt_real(double d, char out[32]);
/* Appends JSON's text of s (quotes and the escapes JSON requires). */
enum err hsds__dump_string(const char *s, size_t len, struct buf *out);
/* Appends the canonical text of a number or string scalar as CSV cell content (no quoting). */
enum err hsds__scalar_text(const json_t *v, struct buf *out);

/* jansson's iteration takes json_t *; it never writes through it. */
json_t *hsds__unconst(const json_t *v);

/* YYYY-MM-DD naming a day that exists. */
bool hsds__valid_date(const char *s, size_t len);
/* Sorts one array of objects by "id" (byte order, stable); other arrays are left alone. */
void hsds__sort_array(json_t *a);
/* The same for every array under v, recursively. */
void hsds__sort_ids(json_t *v);

/* ---- validation context (hsds_check.c), shared with the profile rules (hsds_profile.c) ---- */
#define HSDS_ARRAY_MAX 5000 /* items in any one array */
#define HSDS_ID_MAX    63   /* bytes; UUIDs have 36 */
#define HSDS__PTR_MAX  512

struct hck {
    struct verr *errs;
    json_t *ids;    /* "type\x1fid" -> pointer of its first use (non-shared objects) */
    json_t *shared; /* "type\x1fid" -> [pointer, object]: first organization, location, ... */
    json_t *fterms; /* foreign term id -> [pointer, nested?] */
    int repeat;     /* > 0 inside a repeat of a shared object: register no ids */
    size_t plen;
    char ptr[HSDS__PTR_MAX]; /* JSON pointer of the object being checked */
};

/* The object an attribute, metadata row or nested child sits in. */
struct hsds_parent {
    enum hsds_type type;
    const char *id; /* NULL when the parent has no string id */
    json_t *obj;
};

/* Adds an error at the current pointer + "/" + sub (sub may be NULL or "a/0/b"). */
void hsds__err(struct hck *c, const char *sub, const char *fmt, ...) VK_PRINTF(3, 4);
bool hsds__full(const struct hck *c);

/* Profile rules (hsds_profile.c). */
void hsds__check_attribute(struct hck *c, json_t *attr, const struct hsds_parent *p);
void hsds__check_attr_set(struct hck *c, json_t *obj, enum hsds_type t);
void hsds__check_service_profile(struct hck *c, json_t *s);

#endif
