/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The instruments a server offers: those compiled in from data/instruments/ plus those imported
 * into the database. Loaded once at start-up and read-only afterwards, so request threads share
 * it without locks. An import takes effect at the next start.
 */
#include "core/compat.h"

#include "core/embed.h"
#include "core/log.h"
#include "core/mem.h"
#include "screening/screening.h"
#include "storage/store.h"

struct screen_registry {
    int n;
    struct screen_instrument *items[SCREEN_REGISTRY_MAX];
};

static enum err registry_add(struct screen_registry *r, const char *origin, const char *data,
                             size_t len)
{
    struct screen_instrument *in = NULL;
    struct verr v = {0};
    enum err rc = screen_load_bytes(data, len, &in, &v);

    if (rc) {
        log_error("msg=\"instrument rejected\" origin=%s pointer=\"%s\" problem=\"%s\"", origin,
                  v.n ? v.items[0].pointer : "", v.n ? v.items[0].detail : "");
        return rc;
    }
    if (screen_registry_find(r, in->id, in->version)) {
        screen_free(in); /* the same id and version compiled in and imported: keep the first */
        return ERR_OK;
    }
    if (r->n == SCREEN_REGISTRY_MAX) {
        screen_free(in);
        return ERR_TOO_LARGE;
    }
    r->items[r->n++] = in;
    return ERR_OK;
}

static enum err imported_one(const char *iid, const char *version, const char *def, size_t len,
                             void *ctx)
{
    (void)iid;
    (void)version;
    return registry_add(ctx, "database", def, len);
}

/* Replaces the matching instrument by its definition merged with the pack. */
static enum err pack_one(const char *iid, const char *version, const char *lang, const char *pack,
                         size_t len, void *ctx)
{
    struct screen_registry *r = ctx;
    json_t *jp = json_loadb(pack, len, 0, NULL), *merged = NULL;
    struct screen_instrument *in = xmalloc(sizeof(*in));
    struct verr v = {0};
    enum err rc = ERR_NOT_FOUND;

    for (int i = 0; jp && i < r->n; i++) {
        if (strcmp(r->items[i]->id, iid) || strcmp(r->items[i]->version, version)) {
            continue;
        }
        rc = screen_text_pack_apply(r->items[i]->doc, jp, &merged, &v);
        rc = rc ? rc : screen_parse(merged, in, &v);
        if (!rc) {
            screen_free(r->items[i]);
            r->items[i] = in;
            in = NULL;
        }
        break;
    }
    if (rc) {
        log_error("msg=\"text pack not applied\" instrument=%s version=%s lang=%s problem=\"%s\"",
                  iid, version, lang, v.n ? v.items[0].detail : err_name(rc));
    }
    json_decref(merged);
    json_decref(jp);
    free(in);
    return ERR_OK; /* a pack that no longer fits must not stop the server */
}

enum err screen_registry_load(struct store_conn *c, struct screen_registry **out)
{
    struct screen_registry *r = xcalloc(1, sizeof(*r));
    enum err rc = ERR_OK;

    for (size_t i = 0; !rc && i < data_files_count; i++) {
        const struct embed_file *f = &data_files[i];
        if (!strncmp(f->path, "instruments/", 12) && strstr(f->path, ".json")) {
            rc = registry_add(r, f->path, (const char *)f->data, f->len);
        }
    }
    if (!rc && c) {
        rc = store_instrument_each(c, imported_one, r);
    }
    if (!rc && c) {
        rc = store_text_pack_each(c, pack_one, r);
    }
    if (rc) {
        screen_registry_free(r);
        return rc;
    }
    *out = r;
    return ERR_OK;
}

void screen_registry_free(struct screen_registry *r)
{
    if (!r) {
        return;
    }
    for (int i = 0; i < r->n; i++) {
        screen_free(r->items[i]);
    }
    free(r);
}

static long take_number(const char **p)
{
    long v = 0;
    while (**p >= '0' && **p <= '9' && v < 100000000) {
        v = v * 10 + (**p - '0');
        (*p)++;
    }
    return v;
}

/* Compares dotted versions numerically ("1.10.0" > "1.9.2"). */
static int version_cmp(const char *a, const char *b)
{
    while (*a || *b) {
        long x = take_number(&a), y = take_number(&b);
        if (x != y) {
            return x < y ? -1 : 1;
        }
        a += *a == '.';
        b += *b == '.';
        if (!*a || !*b) {
            return (*a ? 1 : 0) - (*b ? 1 : 0);
        }
    }
    return 0;
}

const struct screen_instrument *screen_registry_find(const struct screen_registry *r,
                                                     const char *id, const char *version)
{
    const struct screen_instrument *best = NULL;
    for (int i = 0; r && id && i < r->n; i++) {
        const struct screen_instrument *in = r->items[i];
        if (strcmp(in->id, id)) {
            continue;
        }
        if (version && !strcmp(in->version, version)) {
            return in;
        }
        if (!version && (!best || version_cmp(in->version, best->version) > 0)) {
            best = in;
        }
    }
    return best;
}

int screen_registry_count(const struct screen_registry *r)
{
    return r ? r->n : 0;
}

const struct screen_instrument *screen_registry_at(const struct screen_registry *r, int i)
{
    return (r && i >= 0 && i < r->n) ? r->items[i] : NULL;
}
