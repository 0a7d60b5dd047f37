/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Reading the HSDS CSV datapackage (docs/social-map.md §4): RFC 4180 tables whose header names
 * HSDS 3.0 columns in any order, typed strictly by the schema tables, then joined back into the
 * nested service_package by their foreign keys. Every problem is located "file.csv:LINE:field",
 * LINE being the physical line where the record starts. hsds_csv_read() leaves the check to the
 * caller; hsds_csv_load() runs it and locates its errors the same way, by remembering which row
 * every object of the rebuilt package came from and where it was joined.
 */
#include "core/compat.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <sys/stat.h>

#include "core/mem.h"
#include "core/str.h"
#include "directory/hsds_int.h"

#define CSV_COLS_MAX      64
#define DATAPACKAGE_MAX   (1u << 20)
#define DATAPACKAGE_FILE  "datapackage.json"
#define CSV_PARENT_FK_MAX 8

struct crow {
    json_t *obj;
    size_t line;
    bool used;
    unsigned char ptype; /* enum hsds_type of the row it was joined to; HT_COUNT: none */
    size_t prow;         /* that row's index in its table */
    const char *pfield;  /* the parent's array member it went into (static) */
};

struct ctable {
    const char *path; /* NULL when the package has no such file */
    struct crow *rows;
    size_t n, alloc;
    json_t *index; /* id -> row number */
};

struct csvr {
    struct ctable tab[HT_COUNT];
    struct verr *errs;
};

static void cerr(struct verr *e, const char *path, size_t line, const char *field, const char *fmt,
                 ...) VK_PRINTF(5, 6);

static void cerr(struct verr *e, const char *path, size_t line, const char *field, const char *fmt,
                 ...)
{
    char where[sizeof(e->items[0].pointer)], msg[sizeof(e->items[0].detail)];
    va_list ap;

    if (line && field) {
        snprintf(where, sizeof(where), "%s:%zu:%s", path, line, field);
    } else if (line) {
        snprintf(where, sizeof(where), "%s:%zu", path, line);
    } else {
        snprintf(where, sizeof(where), "%s", path);
    }
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    verr_add(e, where, "%s", msg);
}

/* ---- RFC 4180 ------------------------------------------------------------------------------ */

struct cparse {
    const char *p, *path;
    size_t len, pos, line;
    struct verr *errs;
};

static enum err add_span(struct cparse *cp, struct buf *cell, size_t from, size_t rec_line,
                         const char *col)
{
    if (buf_add(cell, cp->p + from, cp->pos - from)) {
        cerr(cp->errs, cp->path, rec_line, col, "field longer than %d bytes", HSDS_TEXT_MAX);
        return ERR_INVALID;
    }
    return ERR_OK;
}

static enum err quoted(struct cparse *cp, struct buf *cell, size_t rec_line, const char *col)
{
    size_t from = ++cp->pos;
    for (;;) {
        if (cp->pos >= cp->len) {
            cerr(cp->errs, cp->path, rec_line, col, "unterminated quoted field");
            return ERR_INVALID;
        }
        if (cp->p[cp->pos] == '"') {
            if (add_span(cp, cell, from, rec_line, col)) {
                return ERR_INVALID;
            }
            cp->pos++;
            if (cp->pos < cp->len && cp->p[cp->pos] == '"') {
                from = cp->pos++; /* "" is one quote: keep the second */
                continue;
            }
            return ERR_OK;
        }
        cp->line += (cp->p[cp->pos] == '\n');
        cp->pos++;
    }
}

static bool at_crlf(const struct cparse *cp)
{
    return cp->p[cp->pos] == '\r' && cp->pos + 1 < cp->len && cp->p[cp->pos + 1] == '\n';
}

static enum err unquoted(struct cparse *cp, struct buf *cell, size_t rec_line, const char *col)
{
    size_t from = cp->pos;
    while (cp->pos < cp->len && cp->p[cp->pos] != ',' && cp->p[cp->pos] != '\n' && !at_crlf(cp)) {
        if (cp->p[cp->pos] == '"') {
            cerr(cp->errs, cp->path, rec_line, col,
                 "a quote inside an unquoted field: quote the whole field and double the quote");
            return ERR_INVALID;
        }
        cp->pos++;
    }
    return add_span(cp, cell, from, rec_line, col);
}

/* One field into cell; *end says whether it closed the record. */
static enum err next_field(struct cparse *cp, struct buf *cell, size_t rec_line, const char *col,
                           bool *end)
{
    enum err rc;
    buf_reset(cell);
    rc = (cp->pos < cp->len && cp->p[cp->pos] == '"') ? quoted(cp, cell, rec_line, col)
                                                      : unquoted(cp, cell, rec_line, col);
    if (rc) {
        return rc;
    }
    *end = true;
    if (cp->pos >= cp->len) {
        return ERR_OK;
    }
    if (cp->p[cp->pos] == ',') {
        cp->pos++;
        *end = false;
    } else if (cp->p[cp->pos] == '\n' || at_crlf(cp)) {
        cp->pos += at_crlf(cp) ? 2 : 1;
        cp->line++;
    } else {
        cerr(cp->errs, cp->path, rec_line, col, "text after the closing quote of a field");
        return ERR_INVALID;
    }
    return ERR_OK;
}

/* ---- typed cells --------------------------------------------------------------------------- */

static bool int_syntax(const char *s, size_t n)
{
    size_t i = (n && s[0] == '-');
    if (i == n || (s[i] == '0' && n > i + 1)) {
        return false;
    }
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
    }
    return true;
}

static size_t skip_digits(const char *s, size_t n, size_t *i)
{
    size_t from = *i;
    while (*i < n && s[*i] >= '0' && s[*i] <= '9') {
        (*i)++;
    }
    return *i - from;
}

/* JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool real_syntax(const char *s, size_t n)
{
    size_t i = (n && s[0] == '-');
    if (i < n && s[i] == '0') {
        i++;
    } else if (i == n || s[i] == '0' || skip_digits(s, n, &i) == 0) {
        return false;
    }
    if (i < n && s[i] == '.') {
        i++;
        if (skip_digits(s, n, &i) == 0) {
            return false;
        }
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        i += (i < n && (s[i] == '+' || s[i] == '-'));
        if (skip_digits(s, n, &i) == 0) {
            return false;
        }
    }
    return i == n;
}

static json_t *number_of(const char *s, size_t n, bool integer_only)
{
    int64_t iv;
    double d;
    if (int_syntax(s, n)) {
        return str_parse_i64(s, n, INT64_MIN, INT64_MAX, &iv) ? NULL : json_integer(iv);
    }
    if (integer_only || !real_syntax(s, n)) {
        return NULL;
    }
    d = strtod(s, NULL); /* s is NUL-terminated: it is a struct buf */
    return isfinite(d) ? json_real(d) : NULL;
}

static void set_cell(struct cparse *cp, json_t *row, const struct hsds_field *f,
                     const struct buf *cell, size_t line)
{
    json_t *v = NULL;
    if (cell->len == 0) {
        if (f->flags & HSDS_F_KEEP_EMPTY) {
            json_object_set_new(row, f->name, json_string(""));
        }
        return;
    }
    if (f->kind == HK_STRING) {
        if (!str_is_clean_utf8(cell->ptr, cell->len, true)) {
            cerr(cp->errs, cp->path, line, f->name,
                 "not UTF-8 text, or contains control characters other than tab and line breaks");
            return;
        }
        v = json_stringn(cell->ptr, cell->len);
    } else {
        v = number_of(cell->ptr, cell->len, f->kind == HK_INTEGER);
        if (!v) {
            cerr(cp->errs, cp->path, line, f->name, "%s",
                 f->kind == HK_INTEGER ? "not an integer" : "not a number");
            return;
        }
    }
    json_object_set_new(row, f->name, v);
}

/* ---- one table ----------------------------------------------------------------------------- */

static enum err read_header(struct cparse *cp, enum hsds_type t, const struct hsds_field **cols,
                            size_t *ncols, struct buf *cell)
{
    bool end = false;
    *ncols = 0;
    if (cp->len == 0) {
        cerr(cp->errs, cp->path, 1, NULL, "empty file: expected a header row");
        return ERR_INVALID;
    }
    while (!end) {
        const struct hsds_field *f;
        if (next_field(cp, cell, 1, "header", &end)) {
            return ERR_INVALID;
        }
        f = hsds__field(t, cell->ptr);
        if (!f || !hsds__is_column(f) || strlen(cell->ptr) != cell->len) {
            cerr(cp->errs, cp->path, 1, cell->len < 40 ? cell->ptr : "header",
                 "unknown column: an HSDS 3.0 %s has no such field", hsds__types[t].name);
            return ERR_INVALID;
        }
        for (size_t i = 0; i < *ncols; i++) {
            if (cols[i] == f) {
                cerr(cp->errs, cp->path, 1, f->name, "column given twice");
                return ERR_INVALID;
            }
        }
        if (*ncols == CSV_COLS_MAX) {
            cerr(cp->errs, cp->path, 1, NULL, "too many columns");
            return ERR_INVALID;
        }
        cols[(*ncols)++] = f;
    }
    return ERR_OK;
}

static void add_row(struct csvr *r, struct ctable *tb, enum hsds_type t, json_t *row, size_t line)
{
    const char *id = json_string_value(json_object_get(row, "id"));
    json_t *prev = id ? json_object_get(tb->index, id) : NULL;

    if (!id) {
        cerr(r->errs, tb->path, line, "id", "required: every %s has an id", hsds__types[t].name);
    } else if (prev) {
        cerr(r->errs, tb->path, line, "id", "duplicate id: line %zu has it too",
             tb->rows[json_integer_value(prev)].line);
    } else {
        json_object_set_new(tb->index, id, json_integer((json_int_t)tb->n));
    }
    if (tb->n == tb->alloc) {
        tb->alloc = tb->alloc ? st_mult(tb->alloc, 2) : 64;
        tb->rows = xrealloc(tb->rows, st_mult(tb->alloc, sizeof(*tb->rows)));
    }
    tb->rows[tb->n++] = (struct crow){row, line, false, HT_COUNT, 0, NULL};
}

static enum err read_record(struct csvr *r, struct cparse *cp, struct ctable *tb, enum hsds_type t,
                            const struct hsds_field *const *cols, size_t ncols, struct buf *cell)
{
    size_t line = cp->line, k = 0;
    json_t *row = json_object();
    bool end = false;

    while (!end) {
        char col[24] = "";
        if (k >= ncols) {
            snprintf(col, sizeof(col), "column %zu", k + 1);
        }
        if (next_field(cp, cell, line, k < ncols ? cols[k]->name : col, &end)) {
            json_decref(row);
            return ERR_INVALID;
        }
        if (k < ncols) {
            set_cell(cp, row, cols[k], cell, line);
        }
        k++;
    }
    if (k != ncols) {
        cerr(r->errs, tb->path, line, k < ncols ? cols[k]->name : NULL,
             "expected %zu fields as in the header, found %zu", ncols, k);
        json_decref(row);
        return ERR_OK;
    }
    add_row(r, tb, t, row, line);
    return ERR_OK;
}

static void read_table(struct csvr *r, enum hsds_type t, const struct hsds_csv_file *f)
{
    struct cparse cp = {f->data, f->path, f->len, 0, 1, r->errs};
    const struct hsds_field *cols[CSV_COLS_MAX];
    struct buf cell = BUF_INIT(HSDS_TEXT_MAX);
    struct ctable *tb = &r->tab[t];
    size_t ncols;

    tb->path = hsds__types[t].path;
    if (cp.len >= 3 && memcmp(cp.p, "\xEF\xBB\xBF", 3) == 0) {
        cp.pos = 3; /* tolerate the byte-order mark spreadsheets add */
    }
    if (read_header(&cp, t, cols, &ncols, &cell)) {
        goto out;
    }
    while (cp.pos < cp.len && r->errs->n < VERR_MAX) {
        if (read_record(r, &cp, tb, t, cols, ncols, &cell)) {
            break;
        }
    }
out:
    buf_release(&cell);
}

/* ---- joining the rows back into nested services -------------------------------------------- */

static struct crow *find_row(struct csvr *r, enum hsds_type t, const char *id)
{
    json_t *i = id ? json_object_get(r->tab[t].index, id) : NULL;
    return i ? &r->tab[t].rows[json_integer_value(i)] : NULL;
}

/* Appends child's object to parent's array `field` and remembers where it went. */
static void append_to(struct csvr *r, enum hsds_type pt, struct crow *parent, const char *field,
                      struct crow *child)
{
    json_t *a = json_object_get(parent->obj, field);
    if (!a) {
        a = json_array();
        json_object_set_new(parent->obj, field, a);
    }
    json_array_append(a, child->obj);
    child->ptype = (unsigned char)pt;
    child->prow = (size_t)(parent - r->tab[pt].rows);
    child->pfield = field;
}

static void fk_list(enum hsds_type c, char *out, size_t size)
{
    size_t k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < hsds__nrels && k < size; i++) {
        if (hsds__rels[i].child == c) {
            k += (size_t)snprintf(out + k, size - k, "%s%s", k ? ", " : "", hsds__rels[i].fk);
        }
    }
}

static void attach_row(struct csvr *r, enum hsds_type c, struct crow *row)
{
    const struct hsds_rel *chosen = NULL;
    const char *path = r->tab[c].path, *pid = NULL;
    struct crow *parent;
    char list[120];

    for (size_t i = 0; i < hsds__nrels; i++) {
        const struct hsds_rel *rel = &hsds__rels[i];
        const char *v = json_string_value(json_object_get(row->obj, rel->fk));
        if (rel->child != c || !v) {
            continue;
        }
        if (chosen) {
            cerr(r->errs, path, row->line, rel->fk,
                 "must be empty: this %s already belongs to "
                 "the %s named by %s",
                 hsds__types[c].name, hsds__types[chosen->parent].name, chosen->fk);
            return;
        }
        chosen = rel;
        pid = v;
    }
    if (!chosen) {
        fk_list(c, list, sizeof(list));
        cerr(r->errs, path, row->line, NULL, "names no object it belongs to: give one of %s", list);
        return;
    }
    parent = find_row(r, (enum hsds_type)chosen->parent, pid);
    if (!parent) {
        cerr(r->errs, path, row->line, chosen->fk, "no %s with this id in %s",
             hsds__types[chosen->parent].name, hsds__types[chosen->parent].path);
        return;
    }
    append_to(r, (enum hsds_type)chosen->parent, parent, chosen->field, row);
}

/* Attributes (link_entity, link_id) and metadata (resource_type, resource_id). */
static void attach_link(struct csvr *r, enum hsds_type c, struct crow *row)
{
    bool attr = (c == HT_ATTRIBUTE);
    const char *kf = attr ? "link_entity" : "resource_type",
               *idf = attr ? "link_id" : "resource_id";
    const char *kind = json_string_value(json_object_get(row->obj, kf));
    const char *id = json_string_value(json_object_get(row->obj, idf));
    const char *field = attr ? "attributes" : "metadata";
    enum hsds_type pt = kind ? hsds__type_by_name(kind) : HT_COUNT;
    struct crow *parent;

    if (!kind || !id) {
        cerr(r->errs, r->tab[c].path, row->line, kind ? idf : kf,
             "required: it says which "
             "object the %s belongs to",
             hsds__types[c].name);
        return;
    }
    if (pt == HT_COUNT || !hsds__field(pt, field)) {
        cerr(r->errs, r->tab[c].path, row->line, kf, "not an HSDS object type that has %s", field);
        return;
    }
    parent = find_row(r, pt, id);
    if (!parent) {
        cerr(r->errs, r->tab[c].path, row->line, idf, "no %s with this id in %s", kind,
             hsds__types[pt].path);
        return;
    }
    append_to(r, pt, parent, field, row);
}

static bool is_entity(enum hsds_type t)
{
    return t == HT_SERVICE || t == HT_ORGANIZATION || t == HT_LOCATION || t == HT_PROGRAM ||
           t == HT_TAXONOMY || t == HT_TAXONOMY_TERM;
}

static void attach_all(struct csvr *r)
{
    for (int t = 0; t < HT_COUNT; t++) {
        for (size_t i = 0; i < r->tab[t].n && r->errs->n < VERR_MAX; i++) {
            if (t == HT_ATTRIBUTE || t == HT_METADATA) {
                attach_link(r, (enum hsds_type)t, &r->tab[t].rows[i]);
            } else if (!is_entity((enum hsds_type)t)) {
                attach_row(r, (enum hsds_type)t, &r->tab[t].rows[i]);
            }
        }
    }
}

static void embed_terms(struct csvr *r)
{
    struct ctable *a = &r->tab[HT_ATTRIBUTE];
    for (size_t i = 0; i < a->n; i++) {
        const char *tid = json_string_value(json_object_get(a->rows[i].obj, "taxonomy_term_id"));
        struct crow *term = find_row(r, HT_TAXONOMY_TERM, tid);
        if (term) {
            json_object_set_new(a->rows[i].obj, "taxonomy_term", json_deep_copy(term->obj));
        }
    }
}

/* Nests a copy of the organization / program / location that obj[field_id] names. */
static void embed_entity(struct csvr *r, enum hsds_type owner, struct crow *row, enum hsds_type t,
                         const char *field)
{
    char fk[48];
    const char *id;
    struct crow *e;

    snprintf(fk, sizeof(fk), "%s_id", field);
    id = json_string_value(json_object_get(row->obj, fk));
    if (!id) {
        return; /* the check reports what is missing */
    }
    e = find_row(r, t, id);
    if (!e) {
        cerr(r->errs, r->tab[owner].path, row->line, fk, "no %s with this id in %s",
             hsds__types[t].name, hsds__types[t].path);
        return;
    }
    e->used = true;
    json_object_set_new(row->obj, field, json_deep_copy(e->obj));
}

static void embed_entities(struct csvr *r)
{
    static const enum hsds_type kept[] = {HT_ORGANIZATION, HT_LOCATION, HT_PROGRAM};
    struct ctable *sal = &r->tab[HT_SERVICE_AT_LOCATION], *svc = &r->tab[HT_SERVICE];

    for (size_t i = 0; i < sal->n; i++) {
        embed_entity(r, HT_SERVICE_AT_LOCATION, &sal->rows[i], HT_LOCATION, "location");
    }
    for (size_t i = 0; i < svc->n; i++) {
        embed_entity(r, HT_SERVICE, &svc->rows[i], HT_ORGANIZATION, "organization");
        embed_entity(r, HT_SERVICE, &svc->rows[i], HT_PROGRAM, "program");
    }
    for (size_t k = 0; k < ARRAY_SIZE(kept); k++) {
        struct ctable *tb = &r->tab[kept[k]];
        for (size_t i = 0; i < tb->n; i++) {
            if (!tb->rows[i].used) {
                cerr(r->errs, tb->path, tb->rows[i].line, NULL,
                     "not used by any service: a "
                     "package carries only what its services use");
            }
        }
    }
}

static void csvr_release(struct csvr *r)
{
    for (int t = 0; t < HT_COUNT; t++) {
        for (size_t i = 0; i < r->tab[t].n; i++) {
            json_decref(r->tab[t].rows[i].obj);
        }
        free(r->tab[t].rows);
        json_decref(r->tab[t].index);
    }
}

static enum hsds_type type_of_path(const char *path)
{
    for (int t = 0; t < HT_COUNT; t++) {
        if (strcmp(hsds__types[t].path, path) == 0) {
            return (enum hsds_type)t;
        }
    }
    return HT_COUNT;
}

static void read_all(struct csvr *r, const struct hsds_csv_file *files, size_t n)
{
    for (size_t i = 0; i < n && r->errs->n < VERR_MAX; i++) {
        enum hsds_type t = type_of_path(files[i].path);
        if (t == HT_COUNT) {
            cerr(r->errs, files[i].path, 0, NULL, "not an HSDS 3.0 table name");
        } else if (r->tab[t].path) {
            cerr(r->errs, files[i].path, 0, NULL, "given twice");
        } else if (files[i].len > HSDS_FILE_MAX) {
            cerr(r->errs, files[i].path, 0, NULL, "larger than %u bytes", HSDS_FILE_MAX);
        } else {
            read_table(r, t, &files[i]);
        }
    }
    if (!r->tab[HT_SERVICE].path || !r->tab[HT_ORGANIZATION].path) {
        cerr(r->errs, r->tab[HT_SERVICE].path ? "organizations.csv" : "services.csv", 0, NULL,
             "missing: a datapackage needs services.csv and organizations.csv");
    }
    if (r->tab[HT_SERVICE].n > HSDS_MAX_SERVICES) {
        cerr(r->errs, "services.csv", 0, NULL, "too many services: at most %d", HSDS_MAX_SERVICES);
    }
}

static void csvr_init(struct csvr *r, struct verr *errs)
{
    memset(r, 0, sizeof(*r));
    r->errs = errs;
    for (int t = 0; t < HT_COUNT; t++) {
        r->tab[t].index = json_object();
    }
}

/* Reads and joins the tables into r (kept for locating errors); *out as hsds_csv_read_files. */
static void build(struct csvr *r, const struct hsds_csv_file *files, size_t n, json_t **out)
{
    json_t *pkg;

    *out = NULL;
    read_all(r, files, n);
    if (r->errs->n) {
        return;
    }
    attach_all(r);
    embed_terms(r);
    embed_entities(r);
    if (r->errs->n) {
        return;
    }
    pkg = json_array();
    for (size_t i = 0; i < r->tab[HT_SERVICE].n; i++) {
        json_array_append(pkg, r->tab[HT_SERVICE].rows[i].obj);
    }
    *out = pkg;
}

enum err hsds_csv_read_files(const struct hsds_csv_file *files, size_t n, json_t **out,
                             struct verr *errs)
{
    struct csvr r;

    csvr_init(&r, errs);
    build(&r, files, n, out);
    csvr_release(&r);
    return errs->n ? ERR_INVALID : ERR_OK;
}

/* ---- the check's errors, located in the files ---------------------------------------------- */

/* The token after the '/' at *p (into tok), *p moved to the next '/' or the end. */
static bool next_token(const char **p, char *tok, size_t size)
{
    size_t n;

    if (**p != '/') {
        return false;
    }
    n = strcspn(*p + 1, "/");
    if (n >= size) {
        return false;
    }
    memcpy(tok, *p + 1, n);
    tok[n] = '\0';
    *p += n + 1;
    return true;
}

static bool index_token(const char *tok, size_t *out)
{
    int64_t v;

    if (str_parse_i64(tok, strlen(tok), 0, INT32_MAX, &v)) {
        return false;
    }
    *out = (size_t)v;
    return true;
}

/* The k-th row of table c that went into the array `field` of row pr of table pt. */
static struct crow *nth_child(struct csvr *r, enum hsds_type c, enum hsds_type pt, size_t pr,
                              const char *field, size_t k)
{
    struct ctable *tb = &r->tab[c];

    for (size_t i = 0; i < tb->n; i++) {
        struct crow *w = &tb->rows[i];
        if (w->ptype == pt && w->prow == pr && w->pfield && strcmp(w->pfield, field) == 0 &&
            k-- == 0) {
            return w;
        }
    }
    return NULL;
}

/* Where a pointer of the check leads: the deepest row on it and the pointer past that row. */
struct where {
    enum hsds_type t;
    struct crow *row; /* NULL when not even the service is known */
    const char *rest; /* "" or "/member..." */
};

/*
 * Follows a pointer into the package as the check saw it (arrays in the order the rows were
 * joined: the check sorts them only after reporting). A nested object is the row its "<member>_id"
 * names; an array item the k-th row joined under that member.
 */
static struct where locate(struct csvr *r, const char *ptr)
{
    struct where w = {HT_SERVICE, NULL, ptr};
    const char *p = ptr;
    char tok[sizeof(r->errs->items[0].pointer)];
    size_t k;

    if (!next_token(&p, tok, sizeof(tok)) || !index_token(tok, &k) || k >= r->tab[HT_SERVICE].n) {
        return w;
    }
    w = (struct where){HT_SERVICE, &r->tab[HT_SERVICE].rows[k], p};
    for (;;) {
        const struct hsds_field *f;
        struct crow *next = NULL;
        char fk[80];

        if (!next_token(&p, tok, sizeof(tok)) || (f = hsds__field(w.t, tok)) == NULL) {
            break;
        }
        if (f->kind == HK_OBJECT) {
            snprintf(fk, sizeof(fk), "%s_id", f->name);
            next = find_row(r, (enum hsds_type)f->child,
                            json_string_value(json_object_get(w.row->obj, fk)));
        } else if (f->kind == HK_ARRAY && next_token(&p, tok, sizeof(tok)) &&
                   index_token(tok, &k)) {
            next = nth_child(r, (enum hsds_type)f->child, w.t, (size_t)(w.row - r->tab[w.t].rows),
                             f->name, k);
        }
        if (!next) {
            break;
        }
        w = (struct where){(enum hsds_type)f->child, next, p};
    }
    return w;
}

/*
 * One error of the check as "file.csv:LINE:field": the row w leads to, field the first member
 * past it. The pointer stays in the message when it goes deeper than that member, or when no
 * row was found.
 */
static void relocate(struct csvr *r, const struct verr_item *it, struct verr *errs)
{
    struct where w = locate(r, it->pointer);
    const char *rest = w.rest;
    size_t n = rest[0] == '/' ? strcspn(rest + 1, "/") : 0;
    bool deeper = !w.row || (n && rest[1 + n] != '\0');
    char field[64];

    snprintf(field, sizeof(field), "%.*s", (int)n, n ? rest + 1 : "");
    if (deeper && strlen(it->detail) + strlen(it->pointer) + 7 < sizeof(it->detail)) {
        cerr(errs, hsds__types[w.t].path, w.row ? w.row->line : 0, n ? field : NULL, "%s (at %s)",
             it->detail, it->pointer[0] ? it->pointer : "/");
    } else {
        cerr(errs, hsds__types[w.t].path, w.row ? w.row->line : 0, n ? field : NULL, "%s",
             it->detail);
    }
}

enum err hsds_csv_load_files(const struct hsds_csv_file *files, size_t n, json_t **out,
                             struct verr *errs)
{
    struct verr checked = {0};
    struct csvr r;
    json_t *pkg = NULL;

    *out = NULL;
    csvr_init(&r, errs);
    build(&r, files, n, &pkg);
    if (pkg && hsds_check_package(pkg, &checked) != ERR_OK) {
        for (size_t i = 0; i < checked.n; i++) {
            relocate(&r, &checked.items[i], errs);
        }
    }
    csvr_release(&r);
    if (errs->n) {
        json_decref(pkg);
        return ERR_INVALID;
    }
    *out = pkg;
    return ERR_OK;
}

/* ---- the directory ------------------------------------------------------------------------- */

/* Reads dir/name whole; a located error (and ERR_INVALID) when missing or too large. */
static enum err slurp(const char *dir, const char *name, size_t max, struct buf *out,
                      struct verr *errs)
{
    struct buf path = BUF_INIT(4096);
    enum err rc;

    if (buf_addf(&path, "%s/%s", dir, name)) {
        cerr(errs, name, 0, NULL, "path too long");
        buf_release(&path);
        return ERR_INVALID;
    }
    out->max = max;
    rc = buf_read_file(out, path.ptr);
    if (rc == ERR_TOO_LARGE) {
        cerr(errs, name, 0, NULL, "larger than %zu bytes", max);
    } else if (rc) {
        cerr(errs, name, 0, NULL, "%s", errno == ENOENT ? "missing" : strerror(errno));
    }
    buf_release(&path);
    return rc ? ERR_INVALID : ERR_OK;
}

/* The resource paths datapackage.json lists, each an HSDS table name (borrowed from doc). */
static enum err list_resources(json_t *doc, const char **paths, size_t *n, struct verr *errs)
{
    json_t *res = json_object_get(doc, "resources"), *item;
    size_t i;

    if (!json_is_array(res)) {
        cerr(errs, DATAPACKAGE_FILE, 0, NULL,
             "not a data package: expected an object with a \"resources\" array");
        return ERR_INVALID;
    }
    *n = 0;
    json_array_foreach(res, i, item)
    {
        const char *p = json_string_value(json_object_get(item, "path"));
        if (!p || type_of_path(p) == HT_COUNT) {
            cerr(errs, DATAPACKAGE_FILE, 0, NULL,
                 "resource %zu: path must name an HSDS 3.0 table, such as services.csv", i);
            return ERR_INVALID;
        }
        if (*n == HT_COUNT) {
            cerr(errs, DATAPACKAGE_FILE, 0, NULL, "more resources than HSDS has tables");
            return ERR_INVALID;
        }
        paths[(*n)++] = p;
    }
    return ERR_OK;
}

/* Reads datapackage.json and the tables it lists from dir, then hands them to load. */
static enum err read_dir(const char *dir,
                         enum err (*load)(const struct hsds_csv_file *files, size_t n, json_t **out,
                                          struct verr *errs),
                         json_t **out, struct verr *errs)
{
    struct buf dp = BUF_INIT(DATAPACKAGE_MAX), data[HT_COUNT];
    struct hsds_csv_file files[HT_COUNT];
    const char *paths[HT_COUNT];
    json_t *doc = NULL;
    json_error_t je;
    size_t n = 0, i;
    enum err rc;

    *out = NULL;
    for (i = 0; i < HT_COUNT; i++) {
        buf_init(&data[i], HSDS_FILE_MAX);
    }
    rc = slurp(dir, DATAPACKAGE_FILE, DATAPACKAGE_MAX, &dp, errs);
    if (rc) {
        goto out;
    }
    doc = json_loadb(dp.ptr, dp.len, 0, &je);
    if (!doc) {
        cerr(errs, DATAPACKAGE_FILE, (size_t)(je.line > 0 ? je.line : 0), NULL,
             "not valid JSON: %s", je.text);
        rc = ERR_INVALID;
        goto out;
    }
    rc = list_resources(doc, paths, &n, errs);
    for (i = 0; i < n && !rc; i++) {
        if (slurp(dir, paths[i], HSDS_FILE_MAX, &data[i], errs) == ERR_OK) {
            files[i] = (struct hsds_csv_file){paths[i], data[i].ptr, data[i].len};
        }
    }
    if (rc || errs->n) {
        rc = ERR_INVALID;
        goto out;
    }
    rc = load(files, n, out, errs);
out:
    for (i = 0; i < HT_COUNT; i++) {
        buf_release(&data[i]);
    }
    buf_release(&dp);
    json_decref(doc);
    return rc;
}

enum err hsds_csv_read(const char *dir, json_t **out, struct verr *errs)
{
    return read_dir(dir, hsds_csv_read_files, out, errs);
}

enum err hsds_csv_load(const char *dir, json_t **out, struct verr *errs)
{
    return read_dir(dir, hsds_csv_load_files, out, errs);
}
