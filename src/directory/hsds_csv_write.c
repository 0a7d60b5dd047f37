/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Writing the HSDS CSV datapackage (docs/social-map.md §4): the nested package flattened into
 * one RFC 4180 table per HSDS object type, joined by the foreign keys the check filled in, rows
 * sorted by id, each organization, location, program and term once; plus datapackage.json (a
 * Frictionless Tabular Data Package). Our whole taxonomy is written, so every parent_id
 * resolves. Each file is written beside its final name and renamed into place.
 */
#include "core/compat.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/mem.h"
#include "directory/hsds_int.h"

struct wrow {
    const char *id; /* borrowed from the package or the taxonomy */
    char *text;     /* owned: the CSV record with its newline */
    size_t len;
};

struct wtable {
    struct wrow *rows;
    size_t n, alloc;
};

struct csvw {
    struct wtable tab[HT_COUNT];
    json_t *seen; /* "type\x1fid" of the organizations, locations, programs, terms written */
};

static bool needs_quotes(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r') {
            return true;
        }
    }
    return false;
}

static enum err add_cell(struct buf *line, const json_t *v)
{
    struct buf text = BUF_INIT(HSDS_FILE_MAX);
    enum err rc;
    size_t from = 0;

    if (!v) {
        return ERR_OK;
    }
    rc = hsds__scalar_text(v, &text);
    if (rc || !needs_quotes(text.ptr, text.len)) {
        rc = rc ? rc : buf_add(line, text.ptr, text.len);
        goto out;
    }
    rc = buf_addch(line, '"');
    for (size_t i = 0; i < text.len && !rc; i++) {
        if (text.ptr[i] == '"') {
            rc = buf_add(line, text.ptr + from, i + 1 - from); /* through the quote, then again */
            from = i;
        }
    }
    rc = rc ? rc : buf_add(line, text.ptr + from, text.len - from);
    rc = rc ? rc : buf_addch(line, '"');
out:
    buf_release(&text);
    return rc;
}

static enum err emit_row(struct csvw *w, enum hsds_type t, const json_t *obj)
{
    const struct hsds_type_desc *d = &hsds__types[t];
    struct wtable *tb = &w->tab[t];
    struct buf line = BUF_INIT(HSDS_FILE_MAX);
    const char *id = json_string_value(json_object_get(obj, "id"));
    enum err rc = ERR_OK;
    bool first = true;

    for (size_t i = 0; i < d->nfields && !rc; i++) {
        if (!hsds__is_column(&d->fields[i])) {
            continue;
        }
        rc = first ? ERR_OK : buf_addch(&line, ',');
        first = false;
        rc = rc ? rc : add_cell(&line, json_object_get(obj, d->fields[i].name));
    }
    rc = rc ? rc : buf_addch(&line, '\n');
    if (rc) {
        buf_release(&line);
        return rc;
    }
    if (tb->n == tb->alloc) {
        tb->alloc = tb->alloc ? st_mult(tb->alloc, 2) : 64;
        tb->rows = xrealloc(tb->rows, st_mult(tb->alloc, sizeof(*tb->rows)));
    }
    tb->rows[tb->n].id = id ? id : "";
    tb->rows[tb->n].text = buf_detach(&line, &tb->rows[tb->n].len);
    tb->n++;
    return ERR_OK;
}

/* True when obj was written before (organizations, locations, programs and terms recur). */
static bool seen_before(struct csvw *w, enum hsds_type t, const json_t *obj)
{
    const char *id = json_string_value(json_object_get(obj, "id"));
    char key[HSDS_ID_MAX + 40];

    if (t != HT_ORGANIZATION && t != HT_LOCATION && t != HT_PROGRAM && t != HT_TAXONOMY_TERM) {
        return false;
    }
    if (!id || strlen(id) > HSDS_ID_MAX) {
        return false;
    }
    snprintf(key, sizeof(key), "%s\x1f%s", hsds__types[t].name, id);
    if (json_object_get(w->seen, key)) {
        return true;
    }
    json_object_set_new(w->seen, key, json_true());
    return false;
}

static enum err emit(struct csvw *w, const json_t *obj, enum hsds_type t)
{
    const struct hsds_type_desc *d = &hsds__types[t];
    enum err rc;

    if (!json_is_object(obj) || t == HT_TAXONOMY ||
        (t == HT_TAXONOMY_TERM && hsds_term_by_id(json_string_value(json_object_get(obj, "id"))))) {
        return ERR_OK; /* our taxonomy and its terms are written whole, from the table */
    }
    if (seen_before(w, t, obj)) {
        return ERR_OK;
    }
    rc = emit_row(w, t, obj);
    for (size_t i = 0; i < d->nfields && !rc; i++) {
        const struct hsds_field *f = &d->fields[i];
        const json_t *v = json_object_get(obj, f->name);
        if (f->kind == HK_OBJECT) {
            rc = emit(w, v, (enum hsds_type)f->child);
        } else if (f->kind == HK_ARRAY) {
            for (size_t k = 0; k < json_array_size(v) && !rc; k++) {
                rc = emit(w, json_array_get(v, k), (enum hsds_type)f->child);
            }
        }
    }
    return rc;
}

static enum err emit_taxonomy(struct csvw *w)
{
    json_t *tax = hsds_taxonomy_json();
    enum err rc = emit_row(w, HT_TAXONOMY, tax);

    if (!rc) {
        w->tab[HT_TAXONOMY].rows[w->tab[HT_TAXONOMY].n - 1].id = HSDS_TAXONOMY_ID;
    }
    json_decref(tax);
    for (size_t i = 0; i < hsds_term_count() && !rc; i++) {
        json_t *t = hsds_term_json(hsds_term_at(i));
        rc = emit_row(w, HT_TAXONOMY_TERM, t);
        if (!rc) {
            w->tab[HT_TAXONOMY_TERM].rows[w->tab[HT_TAXONOMY_TERM].n - 1].id = hsds_term_at(i)->id;
        }
        json_decref(t);
    }
    return rc;
}

static int row_cmp(const void *a, const void *b)
{
    const struct wrow *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : strcmp(x->text, y->text);
}

/* ---- files --------------------------------------------------------------------------------- */

static enum err header(const struct hsds_type_desc *d, struct buf *out)
{
    enum err rc = ERR_OK;
    bool first = true;
    for (size_t i = 0; i < d->nfields && !rc; i++) {
        if (hsds__is_column(&d->fields[i])) {
            rc = first ? ERR_OK : buf_addch(out, ',');
            rc = rc ? rc : buf_addstr(out, d->fields[i].name);
            first = false;
        }
    }
    return rc ? rc : buf_addch(out, '\n');
}

/* Writes dir/name from head + rows through dir/name.tmp and a rename. */
static enum err write_file(const char *dir, const char *name, const struct buf *head,
                           const struct wtable *tb)
{
    struct buf path = BUF_INIT(4096), tmp = BUF_INIT(4096);
    enum err rc = ERR_IO;
    size_t total = head->len;
    FILE *f = NULL;
    bool ok;

    if (buf_addf(&path, "%s/%s", dir, name) || buf_addf(&tmp, "%s.tmp", path.ptr)) {
        goto out;
    }
    f = fopen(tmp.ptr, "wb");
    if (!f) {
        goto out;
    }
    ok = fwrite(head->ptr, 1, head->len, f) == head->len;
    for (size_t i = 0; tb && i < tb->n && ok; i++) {
        total += tb->rows[i].len;
        ok = total <= HSDS_FILE_MAX &&
             fwrite(tb->rows[i].text, 1, tb->rows[i].len, f) == tb->rows[i].len;
    }
    ok = (fclose(f) == 0) && ok;
    f = NULL;
    if (!ok || rename(tmp.ptr, path.ptr) != 0) {
        rc = total > HSDS_FILE_MAX ? ERR_TOO_LARGE : ERR_IO;
        unlink(tmp.ptr);
        goto out;
    }
    rc = ERR_OK;
out:
    buf_release(&path);
    buf_release(&tmp);
    return rc;
}

static json_t *field_schema(const struct hsds_field *f)
{
    static const char *const types[] = {
        [HK_STRING] = "string", [HK_NUMBER] = "number", [HK_INTEGER] = "integer"};
    static const char *const fmts[] = {
        [HF_DATE] = "date", [HF_TIME] = "time", [HF_DATETIME] = "datetime"};
    json_t *o = json_pack("{s:s, s:s}", "name", f->name, "type", types[f->kind]);

    if (f->kind == HK_STRING && (f->fmt == HF_DATE || f->fmt == HF_TIME || f->fmt == HF_DATETIME)) {
        json_object_set_new(o, "type", json_string(fmts[f->fmt]));
    } else if (f->fmt == HF_EMAIL || f->fmt == HF_URI) {
        json_object_set_new(o, "format", json_string(f->fmt == HF_EMAIL ? "email" : "uri"));
    }
    if ((f->flags & (HSDS_F_REQ | HSDS_F_TAB)) && !(f->flags & HSDS_F_KEEP_EMPTY)) {
        json_object_set_new(o, "constraints", json_pack("{s:b}", "required", 1));
    }
    return o;
}

static json_t *resource(enum hsds_type t)
{
    const struct hsds_type_desc *d = &hsds__types[t];
    json_t *fields = json_array();
    char name[64];

    for (size_t i = 0; i < d->nfields; i++) {
        if (hsds__is_column(&d->fields[i])) {
            json_array_append_new(fields, field_schema(&d->fields[i]));
        }
    }
    snprintf(name, sizeof(name), "%.*s", (int)(strlen(d->path) - 4), d->path);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:{s:o, s:s}}", "name", name, "path", d->path,
                     "profile", "tabular-data-resource", "format", "csv", "mediatype", "text/csv",
                     "encoding", "utf-8", "schema", "fields", fields, "primaryKey", "id");
}

static enum err write_datapackage(const char *dir, const bool *written)
{
    json_t *res = json_array(), *dp;
    struct buf text = BUF_INIT(HSDS_FILE_MAX);
    char *s;
    enum err rc;

    for (int t = 0; t < HT_COUNT; t++) {
        if (written[t]) {
            json_array_append_new(res, resource((enum hsds_type)t));
        }
    }
    dp = json_pack("{s:s, s:s, s:s, s:o}", "name", "veerkracht-social-map", "title",
                   "Veerkracht social map (HSDS 3.0)", "profile", "tabular-data-package",
                   "resources", res);
    s = dp ? json_dumps(dp, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    rc = s ? buf_addstr(&text, s) : ERR_NOMEM;
    rc = rc ? rc : buf_addch(&text, '\n');
    rc = rc ? rc : write_file(dir, "datapackage.json", &text, NULL);
    free(s);
    json_decref(dp);
    buf_release(&text);
    return rc;
}

static enum err write_tables(struct csvw *w, const char *dir)
{
    bool written[HT_COUNT] = {false};
    enum err rc = ERR_OK;

    for (int t = 0; t < HT_COUNT && !rc; t++) {
        struct buf head = BUF_INIT(4096);
        struct buf path = BUF_INIT(4096);
        struct wtable *tb = &w->tab[t];
        if (t < HT_CORE_COUNT || tb->n > 0) {
            if (tb->n) {
                qsort(tb->rows, tb->n, sizeof(*tb->rows), row_cmp);
            }
            rc = header(&hsds__types[t], &head);
            rc = rc ? rc : write_file(dir, hsds__types[t].path, &head, tb);
            written[t] = true;
        } else if (!buf_addf(&path, "%s/%s", dir, hsds__types[t].path)) {
            unlink(path.ptr); /* a table this package has no rows for must not linger */
        }
        buf_release(&head);
        buf_release(&path);
    }
    return rc ? rc : write_datapackage(dir, written);
}

enum err hsds_csv_write(const json_t *pkg, const char *dir)
{
    struct csvw w;
    enum err rc = ERR_OK;

    if (!json_is_array(pkg)) {
        return ERR_INVALID;
    }
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        return ERR_IO;
    }
    memset(&w, 0, sizeof(w));
    w.seen = json_object();
    for (size_t i = 0; i < json_array_size(pkg) && !rc; i++) {
        rc = emit(&w, json_array_get(pkg, i), HT_SERVICE);
    }
    rc = rc ? rc : emit_taxonomy(&w);
    rc = rc ? rc : write_tables(&w, dir);
    for (int t = 0; t < HT_COUNT; t++) {
        for (size_t i = 0; i < w.tab[t].n; i++) {
            free(w.tab[t].rows[i].text);
        }
        free(w.tab[t].rows);
    }
    json_decref(w.seen);
    return rc;
}
