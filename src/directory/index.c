/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The search index of one service: what map_services' columns, map_service_codes,
 * map_service_locations and map_fts hold (src/storage/migrations/0004_directory.sql), derived
 * from the checked, nested HSDS JSON. Pure: no storage. The import and the coordinator save call
 * dir_index_service() for every service they write, so the index can always be rebuilt from the
 * documents. Also the text folding shared by indexing and querying.
 */
#include "core/compat.h"

#include "core/mem.h"
#include "core/str.h"
#include "directory/directory.h"

#define FTS_COL_MAX  (1024u * 1024u) /* bytes of folded text per FTS column */
#define CODES_MAX    4096            /* codes per service */
#define LOCATION_MAX 1024            /* locations per service */

enum fts_col { FTS_NAME, FTS_DESCRIPTION, FTS_ACCESS, FTS_ORG, FTS_EXTRA };

/* ---- folding ------------------------------------------------------------------------------ */

/*
 * The replacement for the two-byte UTF-8 sequence (b0, b1): NULL to keep it, "" to drop it, or
 * the bytes to write instead. Only Arabic-block letters change (U+0600–U+06FF).
 */
static const char *fold_pair(unsigned char b0, unsigned char b1)
{
    unsigned cp = ((unsigned)(b0 & 0x1f) << 6) | (b1 & 0x3f);

    if ((cp >= 0x064b && cp <= 0x0652) || cp == 0x0640) {
        return ""; /* tashkeel, tatweel */
    }
    switch (cp) {
    case 0x0622:           /* آ */
    case 0x0623:           /* أ */
    case 0x0625:           /* إ */
        return "\xd8\xa7"; /* ا */
    case 0x0629:           /* ة */
        return "\xd9\x87"; /* ه */
    case 0x0649:           /* ى */
    case 0x064a:           /* ي, Arabic yeh: Persian writes ی */
        return "\xdb\x8c"; /* ی */
    case 0x0643:           /* ك */
        return "\xda\xa9"; /* ک */
    default:
        return NULL;
    }
}

enum err dir_text_fold(const char *in, size_t len, struct buf *out)
{
    size_t i = 0, run = 0; /* run: start of the bytes copied unchanged */
    enum err rc = ERR_OK;

    while (i < len) {
        unsigned char b0 = (unsigned char)in[i];
        const char *rep = NULL;

        if (b0 >= 0xd8 && b0 <= 0xdb && i + 1 < len) {
            rep = fold_pair(b0, (unsigned char)in[i + 1]);
        }
        if (!rep) {
            i++;
            continue;
        }
        rc = buf_add(out, in + run, i - run);
        if (!rc) {
            rc = buf_addstr(out, rep);
        }
        if (rc) {
            return rc;
        }
        i += 2;
        run = i;
    }
    return buf_add(out, in + run, len - run);
}

/* ---- helpers ------------------------------------------------------------------------------ */

static const char *jstr(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/* Copies src into a fixed field; ERR_INVALID when it does not fit (the caps are the checker's). */
static enum err copy_field(char *dst, size_t size, const char *src)
{
    size_t n = src ? strlen(src) : 0;

    if (n >= size) {
        return ERR_INVALID;
    }
    if (n) {
        memcpy(dst, src, n);
    }
    dst[n] = '\0';
    return ERR_OK;
}

/* The code of an attribute's term when it is one of ours, else NULL. */
static const char *attr_code(const json_t *attr)
{
    const struct hsds_term *t = hsds_term_by_id(jstr(attr, "taxonomy_term_id"));

    return t ? t->code : NULL;
}

static bool is_text_code(const char *code)
{
    return strncmp(code, "translation", 11) == 0; /* translation.* and translation_status.* */
}

static bool has_code(const struct dir_index *ix, const char *code)
{
    size_t i;

    for (i = 0; i < ix->ncodes; i++) {
        if (strcmp(ix->codes[i], code) == 0) {
            return true;
        }
    }
    return false;
}

/* Adds a code (a copy) unless present; prefix and value are joined ("lang." + "ar"). */
static enum err add_code(struct dir_index *ix, const char *prefix, const char *value)
{
    struct buf b = BUF_INIT(HSDS_TEXT_MAX + 64);
    enum err rc;

    rc = buf_addstr(&b, prefix);
    if (!rc && value) {
        rc = buf_addstr(&b, value);
    }
    if (rc) {
        goto out;
    }
    if (has_code(ix, b.ptr)) {
        goto out;
    }
    if (ix->ncodes >= CODES_MAX) {
        rc = ERR_TOO_LARGE;
        goto out;
    }
    ix->codes = xrealloc(ix->codes, st_mult(ix->ncodes + 1, sizeof(*ix->codes)));
    ix->codes[ix->ncodes++] = buf_detach(&b, NULL);
out:
    buf_release(&b);
    return rc;
}

/* Adds the codes of our taxonomy found in obj.attributes (translations excepted). */
static enum err add_attr_codes(struct dir_index *ix, const json_t *obj)
{
    const json_t *attr;
    size_t i;
    enum err rc;

    json_array_foreach(json_object_get(obj, "attributes"), i, attr)
    {
        const char *code = attr_code(attr);

        if (!code || is_text_code(code)) {
            continue;
        }
        rc = add_code(ix, code, NULL);
        if (rc) {
            return rc;
        }
    }
    return ERR_OK;
}

/* Appends one folded value and a newline to an FTS column. */
static enum err fts_add(struct dir_index *ix, enum fts_col col, const char *text)
{
    enum err rc;

    if (!text || !*text) {
        return ERR_OK;
    }
    rc = dir_text_fold(text, strlen(text), &ix->fts[col]);
    if (!rc) {
        rc = buf_addch(&ix->fts[col], '\n');
    }
    return rc;
}

/*
 * Appends obj[field] and every translation of it on obj (attributes whose term is
 * translation.<field>.<lang>) to an FTS column.
 */
static enum err fts_add_field(struct dir_index *ix, enum fts_col col, const json_t *obj,
                              const char *field)
{
    size_t flen = strlen(field), i;
    const json_t *attr;
    enum err rc = fts_add(ix, col, jstr(obj, field));

    json_array_foreach(json_object_get(obj, "attributes"), i, attr)
    {
        const char *code = attr_code(attr);

        if (rc) {
            break;
        }
        if (code && strncmp(code, "translation.", 12) == 0 &&
            strncmp(code + 12, field, flen) == 0 && code[12 + flen] == '.') {
            rc = fts_add(ix, col, jstr(attr, "value"));
        }
    }
    return rc;
}

/* ---- the parts of a service --------------------------------------------------------------- */

static int level_rank(const char *level)
{
    static const char *const ranks[] = {"crisis", "L0", "L1", "L2", "L3"};
    size_t i;

    for (i = 0; i < ARRAY_SIZE(ranks); i++) {
        if (strcmp(level, ranks[i]) == 0) {
            return (int)i;
        }
    }
    return -1;
}

/* Level, IASC layer and capacity from the service's own attributes. */
static enum err index_attributes(const json_t *s, struct dir_index *ix)
{
    const json_t *attr;
    size_t i;
    enum err rc = ERR_OK;

    json_array_foreach(json_object_get(s, "attributes"), i, attr)
    {
        const char *code = attr_code(attr), *value = jstr(attr, "value");
        int64_t n = 0;

        if (!code || rc) {
            continue;
        }
        if (strncmp(code, "care_level.", 11) == 0) {
            rc = copy_field(ix->level, sizeof(ix->level), code + 11);
            ix->level_rank = level_rank(ix->level);
        } else if (strncmp(code, "iasc_layer.", 11) == 0) {
            ix->iasc_layer = code[11] - '0';
        } else if (strcmp(code, "capacity.updated") == 0) {
            rc = copy_field(ix->capacity_updated, sizeof(ix->capacity_updated), value);
        } else if (strncmp(code, "capacity.", 9) == 0) {
            rc = copy_field(ix->capacity, sizeof(ix->capacity), code + 9);
            if (!rc && strcmp(code + 9, "waitlist") == 0 && value &&
                str_parse_i64(value, strlen(value), 0, 1000, &n) == ERR_OK) {
                ix->waitlist_weeks = (int)n;
            }
        }
    }
    if (!rc && (ix->level_rank < 0 || ix->iasc_layer < 1 || ix->iasc_layer > 4 || !*ix->capacity)) {
        rc = ERR_INVALID; /* the checker guarantees these; an unchecked document lacks them */
    }
    return rc;
}

/* The scalar columns of map_services. */
static enum err index_scalars(const json_t *s, struct dir_index *ix)
{
    const json_t *max = json_object_get(s, "maximum_age");
    enum err rc;

    ix->name = jstr(s, "name");
    if (!ix->name) {
        return ERR_INVALID;
    }
    ix->min_age = (int)json_integer_value(json_object_get(s, "minimum_age"));
    ix->max_age = json_is_integer(max) ? (int)json_integer_value(max) : -1;
    rc = copy_field(ix->status, sizeof(ix->status), jstr(s, "status"));
    if (!rc) {
        rc = copy_field(ix->assured_date, sizeof(ix->assured_date), jstr(s, "assured_date"));
    }
    if (!rc) {
        rc = copy_field(ix->assurer_email, sizeof(ix->assurer_email), jstr(s, "assurer_email"));
    }
    return rc;
}

/* Codes of each cost option, plus free.<phase> where the option is free. */
static enum err index_cost_options(const json_t *s, struct dir_index *ix)
{
    const json_t *co, *attr;
    size_t i, j;
    enum err rc = ERR_OK;

    json_array_foreach(json_object_get(s, "cost_options"), i, co)
    {
        const char *phase = NULL;
        bool free = false;

        rc = add_attr_codes(ix, co);
        if (rc) {
            return rc;
        }
        json_array_foreach(json_object_get(co, "attributes"), j, attr)
        {
            const char *code = attr_code(attr);

            if (code && strncmp(code, "phase.", 6) == 0) {
                phase = code + 6;
            } else if (code && strcmp(code, "cost.free") == 0) {
                free = true;
            }
        }
        if (phase && free) {
            rc = add_code(ix, "free.", phase);
            if (rc) {
                return rc;
            }
        }
    }
    return rc;
}

/* lang.<code>, area.<uri>, no_referral, open, and the codes of the contacts. */
static enum err index_derived(const json_t *s, struct dir_index *ix)
{
    const json_t *v;
    size_t i;
    enum err rc = ERR_OK;

    json_array_foreach(json_object_get(s, "languages"), i, v)
    {
        if (!rc && jstr(v, "code")) {
            rc = add_code(ix, "lang.", jstr(v, "code"));
        }
    }
    json_array_foreach(json_object_get(s, "service_areas"), i, v)
    {
        if (!rc && jstr(v, "uri")) {
            rc = add_code(ix, "area.", jstr(v, "uri"));
        }
    }
    json_array_foreach(json_object_get(s, "contacts"), i, v)
    {
        if (!rc) {
            rc = add_attr_codes(ix, v);
        }
    }
    if (!rc && (has_code(ix, "entry_route.no_referral") ||
                has_code(ix, "entry_route.self_registration"))) {
        rc = add_code(ix, "no_referral", NULL);
    }
    if (!rc && has_code(ix, "capacity.open") && strcmp(ix->status, "active") == 0) {
        rc = add_code(ix, "open", NULL);
    }
    return rc;
}

static enum err index_locations(const json_t *s, struct dir_index *ix)
{
    const json_t *sal;
    size_t i, j;

    json_array_foreach(json_object_get(s, "service_at_locations"), i, sal)
    {
        const char *id = jstr(sal, "location_id");
        bool dup = false;

        if (!id) {
            id = jstr(json_object_get(sal, "location"), "id");
        }
        if (!id) {
            continue;
        }
        for (j = 0; j < ix->nlocations && !dup; j++) {
            dup = strcmp(ix->location_ids[j], id) == 0;
        }
        if (dup) {
            continue;
        }
        if (ix->nlocations >= LOCATION_MAX) {
            return ERR_TOO_LARGE;
        }
        ix->location_ids =
            xrealloc(ix->location_ids, st_mult(ix->nlocations + 1, sizeof(*ix->location_ids)));
        ix->location_ids[ix->nlocations++] = xstrdup(id);
    }
    return ERR_OK;
}

/* extra: location names, English names of the target groups, interpretation_services. */
static enum err index_fts_extra(const json_t *s, struct dir_index *ix)
{
    const json_t *v;
    size_t i;
    enum err rc = ERR_OK;

    json_array_foreach(json_object_get(s, "service_at_locations"), i, v)
    {
        if (!rc) {
            rc = fts_add(ix, FTS_EXTRA, jstr(json_object_get(v, "location"), "name"));
        }
    }
    json_array_foreach(json_object_get(s, "attributes"), i, v)
    {
        const struct hsds_term *t = hsds_term_by_id(jstr(v, "taxonomy_term_id"));

        if (!rc && t && strncmp(t->code, "target_group.", 13) == 0) {
            rc = fts_add(ix, FTS_EXTRA, t->name);
        }
    }
    if (!rc) {
        rc = fts_add_field(ix, FTS_EXTRA, s, "interpretation_services");
    }
    return rc;
}

static enum err index_fts(const json_t *s, struct dir_index *ix)
{
    const json_t *org = json_object_get(s, "organization");
    enum err rc;

    rc = fts_add_field(ix, FTS_NAME, s, "name");
    if (!rc) {
        rc = fts_add_field(ix, FTS_NAME, s, "alternate_name");
    }
    if (!rc) {
        rc = fts_add_field(ix, FTS_DESCRIPTION, s, "description");
    }
    if (!rc) {
        rc = fts_add_field(ix, FTS_ACCESS, s, "application_process");
    }
    if (!rc) {
        rc = fts_add_field(ix, FTS_ACCESS, s, "eligibility_description");
    }
    if (!rc && org) {
        rc = fts_add_field(ix, FTS_ORG, org, "name");
    }
    if (!rc) {
        rc = index_fts_extra(s, ix);
    }
    return rc;
}

/* ---- the entry points --------------------------------------------------------------------- */

enum err dir_index_service(const json_t *service, struct dir_index *ix)
{
    size_t i;
    enum err rc;

    memset(ix, 0, sizeof(*ix));
    ix->level_rank = -1;
    ix->max_age = -1;
    ix->waitlist_weeks = -1;
    for (i = 0; i < DIR_FTS_COLS; i++) {
        buf_init(&ix->fts[i], FTS_COL_MAX);
    }
    if (!json_is_object(service)) {
        return ERR_INVALID;
    }
    rc = index_scalars(service, ix);
    if (!rc) {
        rc = index_attributes(service, ix);
    }
    if (!rc) {
        rc = add_attr_codes(ix, service);
    }
    if (!rc) {
        rc = index_cost_options(service, ix);
    }
    if (!rc) {
        rc = index_derived(service, ix);
    }
    if (!rc) {
        rc = index_locations(service, ix);
    }
    if (!rc) {
        rc = index_fts(service, ix);
    }
    return rc;
}

void dir_index_release(struct dir_index *ix)
{
    size_t i;

    for (i = 0; i < ix->ncodes; i++) {
        free(ix->codes[i]);
    }
    free(ix->codes);
    for (i = 0; i < ix->nlocations; i++) {
        free(ix->location_ids[i]);
    }
    free(ix->location_ids);
    for (i = 0; i < DIR_FTS_COLS; i++) {
        buf_release(&ix->fts[i]);
    }
    ix->codes = NULL;
    ix->ncodes = 0;
    ix->location_ids = NULL;
    ix->nlocations = 0;
}
