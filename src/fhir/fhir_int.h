/* SPDX-License-Identifier: EUPL-1.2 */
/* Shared by the files of the fhir module: texts with translations, codings, ids. */
#ifndef VK_FHIR_INT_H
#define VK_FHIR_INT_H

#include "fhir/fhir.h"

/* Room for the prefix, an id (40), ":set:" and a set id (40), or "|" and a version (16). */
#define FHIR_URL_MAX         128
#define FHIR_EXT_TRANSLATION "http://hl7.org/fhir/StructureDefinition/translation"

/* Steals val into obj[key]; ERR_NOMEM when obj or val is NULL or jansson cannot allocate. */
enum err fhir__put(json_t *obj, const char *key, json_t *val);
/* Steals val onto the end of arr; ERR_NOMEM as for fhir__put. */
enum err fhir__push(json_t *arr, json_t *val);

/* Member i of the document's array `key` ("items", "sections", …). Borrowed from inst->doc. */
json_t *fhir__doc_at(const struct screen_instrument *in, const char *key, int i);

/*
 * Sets obj[key] to the Dutch string of text (an object of language: string) and obj["_key"] to
 * the standard translation extension for the other languages: all of them when lang is NULL,
 * only lang otherwise (none for "nl" or a language the text lacks). text is borrowed.
 * ERR_INVALID when text has no Dutch string, ERR_NOMEM.
 */
enum err fhir__set_text(json_t *obj, const char *key, json_t *text, const char *lang);

/* The code system of response set `set`: FHIR_URN_PREFIX id ":set:" set id, into out. */
void fhir__system(const struct screen_instrument *in, int set, char *out, size_t size);

/*
 * The Coding of `value` in response set `set`: {system, code} and, when with_display, the option
 * label in Dutch as display with translations as for fhir__set_text(lang). Returns owned; NULL
 * when value is no option of the set or on out-of-memory.
 */
json_t *fhir__coding(const struct screen_instrument *in, int set, int64_t value, bool with_display,
                     const char *lang);

/* Does `value op ref` hold? The same comparison the scoring engine makes. */
bool fhir__holds(int64_t value, enum screen_op op, int64_t ref);

/* The linkId of section s: its id, or "section:" + id when an item has the same id. */
void fhir__section_link(const struct screen_instrument *in, int s, char *out, size_t size);

#endif
