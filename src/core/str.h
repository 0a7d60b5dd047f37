/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Borrowed string slices and checked parsing. A struct str never owns its bytes; it is valid as
 * long as the memory it points into.
 */
#ifndef VK_STR_H
#define VK_STR_H

#include "core/compat.h"
#include "core/err.h"

struct str {
    const char *p;
    size_t len;
};

#define STR_LIT(s) ((struct str){(s), sizeof(s) - 1})

struct str str_from(const char *s);
bool str_eq(struct str a, const char *b);
bool str_eq_nocase(struct str a, const char *b);
bool str_starts_with(struct str a, const char *prefix);

/*
 * Parses a whole decimal integer in [min, max]; leading '+' and whitespace are refused.
 * ERR_INVALID for anything else, including overflow.
 */
enum err str_parse_i64(const char *s, size_t len, int64_t min, int64_t max, int64_t *out);

/* Splits off the part of *s before the first `sep` and advances *s past it. */
struct str str_split(struct str *s, char sep);

/* Writes 2*len hex digits plus NUL to out (size >= 2*len+1). */
void str_hex(const unsigned char *data, size_t len, char *out);

/* Decodes exactly 2*outlen lowercase hex digits; ERR_INVALID for anything else. */
enum err str_unhex(const char *s, size_t len, unsigned char *out, size_t outlen);

/* True if s is valid UTF-8 without control characters (tab excepted when allow_tab). */
bool str_is_clean_utf8(const char *s, size_t len, bool allow_newline);

/* ASCII lower-case copy into dst (size >= len+1). */
void str_lower_ascii(const char *s, size_t len, char *dst);

#endif
