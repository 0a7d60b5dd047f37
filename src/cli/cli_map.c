/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * `veerkracht map import|export|area`: reading and checking an HSDS package (JSON file or CSV
 * datapackage) and storing it in one transaction, writing the whole map out, and setting a
 * service area. The directory module does the work; this file parses flags and reports.
 */
#include "core/compat.h"

#include <sys/stat.h>
#include <unistd.h>

#include "audit/audit.h"
#include "cli/cli_int.h"
#include "core/buf.h"
#include "core/mem.h"
#include "directory/directory.h"
#include "storage/store.h"

static const char usage_map[] =
    "usage: veerkracht map import --db PATH [--region NAME] FILE.json|DIR\n"
    "       veerkracht map export --db PATH --format hsds-json|hsds-csv OUT\n"
    "       veerkracht map area --db PATH URI [--name NAME] [--kind KIND] [--parent URI]\n"
    "\n"
    "import reads an HSDS 3.0 service package (a JSON array of nested services) or an HSDS\n"
    "CSV datapackage (a directory, or its datapackage.json), checks all of it against the\n"
    "Veerkracht profile (docs/social-map.md) and stores it in one transaction: all or nothing.\n"
    "Problems are printed one per line as FILE: /pointer: message (JSON) or\n"
    "file.csv:line:field: message (CSV), and nothing is written. Entries are matched by id, so\n"
    "importing again updates them. --region names the region whose coordinators may edit the\n"
    "imported services (orgs.region; default: keep, or none for new services).\n"
    "export writes the whole map: hsds-json to the file OUT, hsds-csv as a datapackage into the\n"
    "directory OUT (created when missing). Export then import is lossless.\n"
    "area sets a service area: its name, its kind (national, municipality, coa_location,\n"
    "other) and, for a COA location, the municipality it lies in (--parent), so that the\n"
    "municipality filter includes the reception location's offers.\n";

/* The last argument that is neither a flag nor a flag's value; NULL when none. */
static const char *positional(int argc, char **argv, int from, const char *const *flags)
{
    const char *found = NULL;
    for (int i = from; i < argc; i++) {
        bool is_flag = false;
        for (size_t f = 0; flags[f]; f++) {
            is_flag |= !strcmp(argv[i], flags[f]);
        }
        if (is_flag) {
            i++;
        } else {
            found = argv[i];
        }
    }
    return found;
}

static bool unknown_flag(int argc, char **argv, int from, const char *const *flags)
{
    for (int i = from; i < argc; i++) {
        bool known = false;
        for (size_t f = 0; flags[f]; f++) {
            known |= !strcmp(argv[i], flags[f]);
        }
        if (known) {
            i++;
        } else if (!strncmp(argv[i], "--", 2)) {
            fprintf(stderr, "veerkracht: unknown option '%s'\n\n%s", argv[i], usage_map);
            return true;
        }
    }
    return false;
}

static void print_map_problems(const char *prefix, const struct verr *v)
{
    for (size_t i = 0; i < v->n; i++) {
        const char *p = v->items[i].pointer;
        if (prefix) {
            fprintf(stderr, "%s: %s: %s\n", prefix, p[0] ? p : "/", v->items[i].detail);
        } else {
            fprintf(stderr, "%s: %s\n", p, v->items[i].detail);
        }
    }
    if (v->n >= VERR_MAX) {
        fprintf(stderr, "(only the first %d problems are shown)\n", VERR_MAX);
    }
}

static enum err map_load_json(const char *path, json_t **pkg)
{
    struct buf text = BUF_INIT(HSDS_FILE_MAX);
    json_error_t jerr;
    enum err rc = buf_read_file(&text, path);

    if (rc == ERR_TOO_LARGE) {
        fprintf(stderr, "%s: larger than %u bytes\n", path, HSDS_FILE_MAX);
    } else if (rc) {
        fprintf(stderr, "%s: cannot read the file\n", path);
    } else {
        *pkg = json_loadb(text.ptr, text.len, JSON_REJECT_DUPLICATES, &jerr);
        if (!*pkg) {
            fprintf(stderr, "%s: line %d column %d: %s\n", path, jerr.line, jerr.column, jerr.text);
            rc = ERR_INVALID;
        }
    }
    buf_release(&text);
    return rc;
}

/* The datapackage directory PATH names (a directory, or its datapackage.json); NULL if JSON. */
static char *map_csv_dir(const char *path)
{
    struct stat sb;
    size_t n = strlen(path);
    static const char dp[] = "datapackage.json";

    if (!stat(path, &sb) && S_ISDIR(sb.st_mode)) {
        return xstrdup(path);
    }
    if (n >= sizeof(dp) - 1 && !strcmp(path + n - (sizeof(dp) - 1), dp) &&
        (n == sizeof(dp) - 1 || path[n - sizeof(dp)] == '/')) {
        return n == sizeof(dp) - 1 ? xstrdup(".") : xstrndup(path, n - sizeof(dp));
    }
    return NULL;
}

/* Reads and checks PATH; prints every problem. *pkg is the checked package. */
static enum err map_load(const char *path, json_t **pkg)
{
    struct verr v = {0};
    char *dir = map_csv_dir(path);
    enum err rc;

    *pkg = NULL;
    if (dir) {
        /* read + check, with every problem located as file.csv:line:field */
        rc = hsds_csv_load(dir, pkg, &v);
        if (rc && v.n) {
            print_map_problems(NULL, &v);
        } else if (rc) {
            fprintf(stderr, "%s: cannot read the datapackage (%s)\n", path, err_title(rc));
        }
    } else {
        rc = map_load_json(path, pkg);
        if (!rc && !json_is_array(*pkg)) {
            fprintf(stderr, "%s: /: must be a JSON array of services (an HSDS service package)\n",
                    path);
            rc = ERR_INVALID;
        }
        if (!rc) {
            rc = hsds_check_package(*pkg, &v);
            if (rc) {
                print_map_problems(path, &v);
            }
        }
    }
    if (rc) {
        json_decref(*pkg);
        *pkg = NULL;
    }
    free(dir);
    return rc;
}

static void map_progress(size_t done, size_t total, void *ctx)
{
    (void)ctx;
    fprintf(stderr, "\rimport: %zu/%zu services (%zu%%)", done, total,
            total ? done * 100 / total : 100);
    if (done == total) {
        fputc('\n', stderr);
    }
}

static enum err map_import_tx(struct store_conn *c, json_t *pkg, const char *region,
                              struct dir_import_stats *stats)
{
    struct audit_ctx actx = {0};
    enum err rc = store_begin(c, true);

    actx.role = "cli";
    actx.source_addr = "cli";
    if (!rc) {
        rc = dir_import(c, &actx, pkg, region, isatty(STDERR_FILENO) ? map_progress : NULL, NULL,
                        stats);
    }
    if (!rc) {
        rc = store_commit(c);
    }
    if (rc) {
        store_rollback(c);
    }
    return rc;
}

/* Stores the checked package in the database at db and prints the summary; the exit status. */
static int map_import_run(const char *db, json_t *pkg, const char *region)
{
    struct dir_import_stats stats;
    struct store *st = NULL;
    struct store_conn *c;
    enum err rc;

    if (cli__open_store(db, 1, &st)) {
        return 1;
    }
    c = store_acquire(st);
    rc = map_import_tx(c, pkg, region, &stats);
    store_release(st, c);
    store_close(st);
    if (rc) {
        fprintf(stderr, "map import: failed (%s); nothing imported\n", err_title(rc));
        return 1;
    }
    printf("map import: %zu services (%zu new, %zu updated, %zu unchanged), %zu organisations, "
           "%zu locations\n",
           stats.services, stats.created, stats.updated, stats.unchanged, stats.orgs,
           stats.locations);
    return 0;
}

static int cmd_map_import(int argc, char **argv)
{
    static const char *const flags[] = {"--db", "--region", NULL};
    const char *db = cli__flag_value(argc, argv, "--db");
    const char *region = cli__flag_value(argc, argv, "--region");
    const char *path = positional(argc, argv, 2, flags);
    json_t *pkg = NULL;
    int ret;

    if (unknown_flag(argc, argv, 2, flags)) {
        return 2;
    }
    if (!db || !path) {
        return cli__usage_error(usage_map, "%s", "map import needs --db PATH and a FILE or DIR");
    }
    if (region && strlen(region) > STORE_MAP_REGION_MAX) {
        return cli__usage_error(usage_map, "%s", "--region is at most 120 bytes");
    }
    if (map_load(path, &pkg)) {
        fprintf(stderr, "map import: nothing imported\n");
        return 1;
    }
    ret = map_import_run(db, pkg, region);
    json_decref(pkg);
    return ret;
}

/* Writes text to path through a temporary file, so a failed export leaves no half file. */
static enum err write_file(const char *path, const struct buf *text)
{
    char tmp[4096];
    FILE *f;
    bool ok;

    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp)) {
        return ERR_IO;
    }
    f = fopen(tmp, "wb");
    if (!f) {
        return ERR_IO;
    }
    ok = fwrite(text->ptr, 1, text->len, f) == text->len;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path)) {
        remove(tmp);
        return ERR_IO;
    }
    return ERR_OK;
}

static enum err map_export_to(struct store_conn *c, bool csv, const char *out, size_t *n)
{
    struct buf text = BUF_INIT(SIZE_MAX / 2);
    json_t *pkg = NULL;
    enum err rc = store_begin(c, false);

    if (!rc) {
        rc = dir_export(c, &pkg);
        store_rollback(c); /* a read transaction: nothing to commit */
    }
    if (!rc) {
        *n = json_array_size(pkg);
        rc = csv ? hsds_csv_write(pkg, out) : hsds_dump_package(pkg, &text);
    }
    if (!rc && !csv) {
        rc = write_file(out, &text);
    }
    buf_release(&text);
    json_decref(pkg);
    return rc;
}

static int cmd_map_export(int argc, char **argv)
{
    static const char *const flags[] = {"--db", "--format", NULL};
    const char *db = cli__flag_value(argc, argv, "--db");
    const char *format = cli__flag_value(argc, argv, "--format");
    const char *out = positional(argc, argv, 2, flags);
    struct store *st = NULL;
    struct store_conn *c;
    size_t n = 0;
    bool csv;
    enum err rc;

    if (unknown_flag(argc, argv, 2, flags)) {
        return 2;
    }
    if (!db || !format || !out) {
        return cli__usage_error(usage_map, "%s", "map export needs --db PATH, --format and OUT");
    }
    if (strcmp(format, "hsds-json") && strcmp(format, "hsds-csv")) {
        return cli__usage_error(usage_map, "unknown format '%s'", format);
    }
    csv = !strcmp(format, "hsds-csv");
    if (cli__open_store(db, 1, &st)) {
        return 1;
    }
    c = store_acquire(st);
    rc = map_export_to(c, csv, out, &n);
    store_release(st, c);
    store_close(st);
    if (rc) {
        fprintf(stderr, "map export: %s: %s\n", out, err_title(rc));
        return 1;
    }
    printf("map export: %zu services to %s (%s)\n", n, out, format);
    return 0;
}

/* Sets the area uri from --name, --kind and --parent in one audited transaction. */
static enum err map_area_tx(struct store_conn *c, int argc, char **argv, const char *uri,
                            const char **why)
{
    struct audit_ctx actx = {0};
    enum err rc = store_begin(c, true);

    actx.role = "cli";
    actx.source_addr = "cli";
    rc = rc ? rc
            : dir_area_set(c, &actx, uri, cli__flag_value(argc, argv, "--name"),
                           cli__flag_value(argc, argv, "--kind"),
                           cli__flag_value(argc, argv, "--parent"), why);
    rc = rc ? rc : store_commit(c);
    if (rc) {
        store_rollback(c);
    }
    return rc;
}

static int cmd_map_area(int argc, char **argv)
{
    static const char *const flags[] = {"--db", "--name", "--kind", "--parent", NULL};
    const char *db = cli__flag_value(argc, argv, "--db");
    const char *uri = positional(argc, argv, 2, flags);
    const char *why = NULL;
    struct store *st = NULL;
    struct store_conn *c;
    enum err rc;

    if (unknown_flag(argc, argv, 2, flags)) {
        return 2;
    }
    if (!db || !uri) {
        return cli__usage_error(usage_map, "%s", "map area needs --db PATH and a URI");
    }
    if (cli__open_store(db, 1, &st)) {
        return 1;
    }
    c = store_acquire(st);
    rc = map_area_tx(c, argc, argv, uri, &why);
    store_release(st, c);
    store_close(st);
    if (rc) {
        fprintf(stderr, "map area: %s: %s\n", uri, why ? why : err_title(rc));
        return 1;
    }
    printf("map area: %s set\n", uri);
    return 0;
}

int cli__map(int argc, char **argv)
{
    static const char *const subs[] = {"import", "export", "area"};
    static int (*const fns[])(int, char **) = {cmd_map_import, cmd_map_export, cmd_map_area};

    if (argc < 2 || cli__is_help(argv[1])) {
        fputs(usage_map, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    for (size_t i = 0; i < ARRAY_SIZE(subs); i++) {
        if (!strcmp(argv[1], subs[i])) {
            for (int a = 2; a < argc; a++) {
                if (cli__is_help(argv[a])) {
                    fputs(usage_map, stdout);
                    return 0;
                }
            }
            return fns[i](argc, argv);
        }
    }
    return cli__usage_error(usage_map, "unknown map command '%s'", argv[1]);
}
