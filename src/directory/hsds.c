/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The Veerkracht PSH taxonomy compiled in (hsds_taxonomy.inc, generated from
 * tools/social-map/tax.py because the ids are UUID v5 and C has no SHA-1 here), its lookups,
 * its HSDS JSON form, and small helpers the other hsds*.c files share.
 */
#include "core/compat.h"

#include "core/mem.h"
#include "directory/hsds_int.h"

#include "directory/hsds_taxonomy.inc"

size_t hsds_term_count(void)
{
    return HSDS__TERM_COUNT;
}

const struct hsds_term *hsds_term_at(size_t i)
{
    return i < HSDS__TERM_COUNT ? &hsds__terms[i] : NULL;
}

static const struct hsds_term *term_search(const char *key, const unsigned short *index, bool id)
{
    size_t lo = 0, hi = HSDS__TERM_COUNT;
    if (!key) {
        return NULL;
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct hsds_term *t = &hsds__terms[index[mid]];
        int c = strcmp(key, id ? t->id : t->code);
        if (c == 0) {
            return t;
        }
        if (c < 0) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    return NULL;
}

const struct hsds_term *hsds_term_by_id(const char *id)
{
    return term_search(id, hsds__terms_by_id, true);
}

const struct hsds_term *hsds_term_by_code(const char *code)
{
    return term_search(code, hsds__terms_by_code, false);
}

static int set_str(json_t *o, const char *key, const char *value)
{
    return json_object_set_new(o, key, json_string(value));
}

json_t *hsds_term_json(const struct hsds_term *t)
{
    json_t *o = NULL;
    struct buf uri = BUF_INIT(512);
    int bad = 0;

    if (!t) {
        return NULL;
    }
    o = json_object();
    if (!o || buf_addf(&uri, "%s#%s", HSDS_TAXONOMY_URI, t->code)) {
        goto fail;
    }
    bad |= set_str(o, "id", t->id);
    bad |= set_str(o, "code", t->code);
    bad |= set_str(o, "name", t->name);
    bad |= set_str(o, "description", t->description);
    if (t->parent) {
        const struct hsds_term *p = hsds_term_by_code(t->parent);
        if (!p) {
            BUG("term %s: parent %s not in the taxonomy", t->code, t->parent);
        }
        bad |= set_str(o, "parent_id", p->id);
    }
    bad |= set_str(o, "taxonomy_id", HSDS_TAXONOMY_ID);
    bad |= set_str(o, "term_uri", uri.ptr);
    bad |= set_str(o, "language", t->lang);
    if (bad) {
        goto fail;
    }
    buf_release(&uri);
    return o;
fail:
    buf_release(&uri);
    json_decref(o);
    return NULL;
}

json_t *hsds_taxonomy_json(void)
{
    return json_pack("{s:s, s:s, s:s, s:s}", "id", HSDS_TAXONOMY_ID, "name", HSDS__TAX_NAME,
                     "description", HSDS__TAX_DESCRIPTION, "uri", HSDS_TAXONOMY_URI);
}

/* ---- shared helpers ------------------------------------------------------------------------ */

json_t *hsds__unconst(const json_t *v)
{
    union {
        const json_t *c;
        json_t *m;
    } u = {v};
    return u.m;
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
    }
    return true;
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool hsds__valid_date(const char *s, size_t len)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, m, d, max;

    if (len != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4) || !digits(s + 5, 2) ||
        !digits(s + 8, 2)) {
        return false;
    }
    y = num(s, 4);
    m = num(s + 5, 2);
    d = num(s + 8, 2);
    if (y < 1 || m < 1 || m > 12 || d < 1) {
        return false;
    }
    max = mdays[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) {
        max = 29;
    }
    return d <= max;
}

static const char *id_of(json_t *v)
{
    return json_string_value(json_object_get(v, "id"));
}

/* Items without a string id sort after those with one and keep their order. */
static int id_cmp(json_t *a, json_t *b)
{
    const char *x = id_of(a), *y = id_of(b);
    if (!x || !y) {
        return (x ? 0 : 1) - (y ? 0 : 1);
    }
    return strcmp(x, y);
}

static void merge_sort(json_t **v, json_t **tmp, size_t n)
{
    size_t mid = n / 2, i = 0, j, k = 0;
    if (n < 2) {
        return;
    }
    merge_sort(v, tmp, mid);
    merge_sort(v + mid, tmp, n - mid);
    j = mid;
    while (i < mid && j < n) {
        tmp[k++] = id_cmp(v[j], v[i]) < 0 ? v[j++] : v[i++];
    }
    while (i < mid) {
        tmp[k++] = v[i++];
    }
    while (j < n) {
        tmp[k++] = v[j++];
    }
    memcpy(v, tmp, n * sizeof(*v));
}

void hsds__sort_array(json_t *a)
{
    size_t n = json_array_size(a), i;
    json_t **v, **tmp;
    bool sorted = true;

    for (i = 0; i < n; i++) {
        if (!json_is_object(json_array_get(a, i))) {
            return;
        }
        if (i > 0 && id_cmp(json_array_get(a, i - 1), json_array_get(a, i)) > 0) {
            sorted = false;
        }
    }
    if (sorted) {
        return;
    }
    v = xcalloc(n, sizeof(*v));
    tmp = xcalloc(n, sizeof(*tmp));
    for (i = 0; i < n; i++) {
        v[i] = json_incref(json_array_get(a, i));
    }
    merge_sort(v, tmp, n);
    json_array_clear(a);
    for (i = 0; i < n; i++) {
        json_array_append_new(a, v[i]);
    }
    free(tmp);
    free(v);
}

void hsds__sort_ids(json_t *v)
{
    const char *key;
    json_t *m;
    size_t i;

    if (json_is_object(v)) {
        json_object_foreach(v, key, m)
        {
            hsds__sort_ids(m);
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, m)
        {
            hsds__sort_ids(m);
        }
        hsds__sort_array(v);
    }
}
