/* SPDX-License-Identifier: EUPL-1.2 */
/* Shared by the files of the screening module. */
#ifndef VK_SCREENING_INT_H
#define VK_SCREENING_INT_H

#include "core/buf.h"
#include "screening/screening.h"

#define SCREEN_PTR_MAX 96

struct screen_parse {
    struct screen_instrument *in;
    struct verr *v;
    json_t *doc;   /* borrowed: the definition being parsed */
    json_t *langs; /* borrowed from the document (or owned when own_langs) */
    bool own_langs;
};

void screen__ptr(char *out, size_t size, const char *fmt, ...) VK_PRINTF(3, 4);
/* Adds an error for each member of obj not in the NULL-terminated list: a typo such as
 * "requried" must not silently change what a definition means. */
void screen__keys(struct screen_parse *ps, json_t *obj, const char *const *allowed,
                  const char *ptr);
/* Rank of a care level on L0 < L1 < L2 < L3 < crisis; -1 for anything else. */
int screen__level_rank(const char *level);
/* Integer member in [lo, hi]; false (and an error when required or malformed) otherwise. */
bool screen__int(json_t *obj, const char *key, int64_t lo, int64_t hi, int64_t *out, bool required,
                 const char *ptr, struct verr *v);
void screen__check_text(const struct screen_parse *ps, json_t *t, const char *ptr, bool required);
/*
 * Parses a condition. `before` limits item refs to items before that index (show_if), and
 * rule refs to rules already parsed; pass SCREEN_MAX_ITEMS for no limit.
 */
enum err screen__parse_cond(struct screen_parse *ps, json_t *jc, const char *ptr, int before,
                            struct screen_cond *out);
/* Scales, bands, rules, red flags and advice (scoring.c). */
void screen__parse_scoring(struct screen_parse *ps, json_t *doc);
/* Score range of one item (after reverse). */
void screen__item_range(const struct screen_instrument *in, int item, int64_t *lo, int64_t *hi);

/* service.c / flags.c */
struct store_conn;
struct principal;
struct flag_row;
struct keys_dek;
struct audit_ctx;
json_t *screen__by_json(struct store_conn *c, const char *role, int64_t org_id);
/* The flag with its actions. dek: the client's data key, to open the notes and the close
 * reason; NULL leaves them out (the worklist). *out is owned; ERR_CORRUPT when a note does not
 * open (noted in actx). */
enum err screen__flag_json(struct store_conn *c, struct audit_ctx *actx, const struct flag_row *f,
                           const char *pid, const struct keys_dek *dek, json_t **out);
/* note (may be NULL) is sealed under dek. */
enum err screen__flag_insert(struct store_conn *c, const struct principal *who,
                             const struct keys_dek *dek, int64_t client_id, int64_t screening_id,
                             const char *flag, const char *severity, const char *protocol,
                             const char *note, struct flag_row *out);

#endif
