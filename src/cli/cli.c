/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Command line: `veerkracht serve|migrate|user add|audit verify|instrument|map`, each with
 * --help. Parses flags, opens the store, and hands over to the modules; no domain logic lives
 * here.
 */
#include "core/compat.h"

#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accounts/accounts.h"
#include "audit/audit.h"
#include "cli/cli.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/sec.h"
#include "demo/demo.h"
#include "directory/directory.h"
#include "http/http.h"
#include "screening/screening.h"
#include "speech/speech.h"
#include "storage/store.h"

static const char usage_main[] =
    "usage: veerkracht <command> [options]\n"
    "\n"
    "commands:\n"
    "  serve         serve the API and web UI\n"
    "  migrate       bring a database to the current schema\n"
    "  user add      create an account (password on standard input)\n"
    "  audit verify  check the hash chain of the audit trail\n"
    "  instrument    check or import signalling-instrument definitions\n"
    "  map           import, export and set areas of the social map (HSDS 3.0)\n"
    "\n"
    "Run 'veerkracht <command> --help' for the options of a command.\n";

static const char usage_serve[] =
    "usage: veerkracht serve [--listen ADDR:PORT] [--db PATH] [--web-root DIR] [--demo]\n"
    "                        [--config FILE] [--SETTING VALUE ...]\n"
    "\n"
    "  --listen ADDR:PORT   address to listen on (default 127.0.0.1:8080; port 0 picks one)\n"
    "  --db PATH            SQLite database (default ./veerkracht.db); created and migrated\n"
    "  --web-root DIR       serve the web UI from DIR instead of the embedded copy (development)\n"
    "  --demo               reset the database to the fictional demo region and print the logins\n"
    "  --config FILE        read 'setting = value' lines from FILE; flags given later win\n"
    "\n"
    "settings (as --name value, or name = value in a config file, with _ for -):\n"
    "  max-body BYTES (1048576)        threads N (4)          public-origin URL\n"
    "  secure-cookies true|false       session-idle SECONDS (900)  session-max SECONDS (43200)\n"
    "  login-throttle-after N (5)      login-delay-ms MS (1000)    login-lock-after N (10)\n"
    "  login-lock-seconds S (900)      ip-lock-after N (100)       debug true|false\n"
    "  map-public true|false (true)    the social map can be read without logging in\n"
    "\n"
    "On SIGTERM or SIGINT the server stops accepting, finishes requests in flight, closes the\n"
    "database and exits 0.\n";

static const char usage_migrate[] = "usage: veerkracht migrate --db PATH\n"
                                    "\n"
                                    "Applies pending schema migrations, each in its own\n"
                                    "transaction. Running it again is a no-op.\n";

static const char usage_user[] =
    "usage: veerkracht user add --db PATH --org ORG --role ROLE --email EMAIL\n"
    "                           [--org-kind KIND] [--region REGION]\n"
    "\n"
    "Creates an account, reading the password (12-128 characters, not a common one) from\n"
    "standard input. The organisation is created when missing, with --org-kind and --region.\n"
    "roles: client volunteer keyperson coa_staff health_staff gp poh_ggz ggz klantmanager\n"
    "       wijkteam coordinator analyst admin\n";

static const char usage_audit[] = "usage: veerkracht audit verify --db PATH\n"
                                  "\n"
                                  "Walks the hash chain of the audit trail. Exits 0 when it is\n"
                                  "intact, 1 naming the first changed, inserted or removed row.\n";

static bool is_help(const char *a)
{
    return !strcmp(a, "--help") || !strcmp(a, "-h") || !strcmp(a, "help");
}

static int usage_error(const char *usage, const char *fmt, ...) VK_PRINTF(2, 3);
static int usage_error(const char *usage, const char *fmt, ...)
{
    va_list ap;
    fputs("veerkracht: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\n\n", stderr);
    fputs(usage, stderr);
    return 2;
}

/* Finds "--name VALUE"; NULL when absent. Sets *bad when the flag has no value. */
static const char *flag_value(int argc, char **argv, const char *name)
{
    for (int i = 0; i + 1 < argc; i++) {
        if (!strcmp(argv[i], name)) {
            return argv[i + 1];
        }
    }
    return NULL;
}

static int open_store(const char *path, int nconns, struct store **st)
{
    int applied = 0, version = 0;
    struct store_conn *c;
    enum err rc = store_open(path, nconns, st);
    if (rc) {
        fprintf(stderr, "veerkracht: cannot open database '%s'\n", path);
        return 1;
    }
    c = store_acquire(*st);
    rc = store_migrate(c, &applied, &version);
    store_release(*st, c);
    if (rc) {
        fprintf(stderr, "veerkracht: migrating '%s' failed (%s)\n", path, err_name(rc));
        store_close(*st);
        *st = NULL;
        return 1;
    }
    return 0;
}

/* --- migrate -------------------------------------------------------------------------- */

static int cmd_migrate(int argc, char **argv)
{
    const char *db = flag_value(argc, argv, "--db");
    struct store *st = NULL;
    struct store_conn *c;
    int applied = 0, version = 0;
    enum err rc;

    if (argc > 1 && is_help(argv[1])) {
        fputs(usage_migrate, stdout);
        return 0;
    }
    if (!db) {
        return usage_error(usage_migrate, "%s", "migrate needs --db PATH");
    }
    if (store_open(db, 1, &st)) {
        fprintf(stderr, "veerkracht: cannot open database '%s'\n", db);
        return 1;
    }
    c = store_acquire(st);
    rc = store_migrate(c, &applied, &version);
    store_release(st, c);
    store_close(st);
    if (rc) {
        fprintf(stderr, "veerkracht: migration failed (%s)\n", err_name(rc));
        return 1;
    }
    if (applied) {
        printf("migrate: applied %d migration(s); schema version %d\n", applied, version);
    } else {
        printf("migrate: nothing to apply; schema version %d\n", version);
    }
    return 0;
}

/* --- user add ------------------------------------------------------------------------- */

static int read_password(char *pw, size_t size, size_t *len)
{
    if (!fgets(pw, (int)size, stdin)) {
        return -1;
    }
    *len = strcspn(pw, "\r\n");
    pw[*len] = '\0';
    return 0;
}

static enum err user_add_tx(struct store_conn *c, const struct acct_new_user *nu, const char **why)
{
    struct user_row u;
    struct audit_ctx actx = {0};
    struct audit_event ev = {NULL, "user_add", "user", NULL, "success"};
    enum err rc = store_begin(c, true);

    actx.role = "cli";
    actx.source_addr = "cli";
    if (!rc) {
        rc = acct_user_add(c, nu, &u, why);
    }
    if (!rc) {
        ev.object_id = u.uid;
        rc = audit_log(c, &actx, &ev);
    }
    if (!rc) {
        rc = store_commit(c);
    }
    if (rc) {
        store_rollback(c);
    }
    return rc;
}

static int cmd_user(int argc, char **argv)
{
    struct acct_new_user nu = {0};
    const char *role = flag_value(argc, argv, "--role");
    const char *db = flag_value(argc, argv, "--db");
    const char *why = NULL;
    char pw[1100];
    struct store *st = NULL;
    struct store_conn *c;
    enum err rc;

    if (argc < 2 || is_help(argv[1])) {
        fputs(usage_user, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "add")) {
        return usage_error(usage_user, "unknown user command '%s'", argv[1]);
    }
    if (argc > 2 && is_help(argv[2])) {
        fputs(usage_user, stdout);
        return 0;
    }
    nu.org_name = flag_value(argc, argv, "--org");
    nu.email = flag_value(argc, argv, "--email");
    nu.org_kind = flag_value(argc, argv, "--org-kind");
    nu.region = flag_value(argc, argv, "--region");
    if (!db || !nu.org_name || !role || !nu.email) {
        return usage_error(usage_user, "%s", "user add needs --db, --org, --role and --email");
    }
    if (acct_role_parse(role, &nu.role)) {
        return usage_error(usage_user, "unknown role '%s'", role);
    }
    if (read_password(pw, sizeof(pw), &nu.password_len)) {
        fputs("veerkracht: no password on standard input\n", stderr);
        return 1;
    }
    nu.password = pw;
    if (open_store(db, 1, &st)) {
        return 1;
    }
    c = store_acquire(st);
    rc = user_add_tx(c, &nu, &why);
    store_release(st, c);
    store_close(st);
    sec_memzero(pw, sizeof(pw));
    if (rc) {
        fprintf(stderr, "veerkracht: cannot add user: %s\n", why ? why : err_title(rc));
        return 1;
    }
    printf("user add: created %s account %s in '%s'\n", role, nu.email, nu.org_name);
    return 0;
}

/* --- audit verify --------------------------------------------------------------------- */

static int cmd_audit(int argc, char **argv)
{
    const char *db = flag_value(argc, argv, "--db");
    struct audit_verify_result res;
    struct store *st = NULL;
    struct store_conn *c;
    enum err rc;

    if (argc < 2 || is_help(argv[1])) {
        fputs(usage_audit, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "verify")) {
        return usage_error(usage_audit, "unknown audit command '%s'", argv[1]);
    }
    if (argc > 2 && is_help(argv[2])) {
        fputs(usage_audit, stdout);
        return 0;
    }
    if (!db) {
        return usage_error(usage_audit, "%s", "audit verify needs --db PATH");
    }
    if (store_open(db, 1, &st)) {
        fprintf(stderr, "veerkracht: cannot open database '%s'\n", db);
        return 1;
    }
    c = store_acquire(st);
    rc = audit_verify(c, &res);
    store_release(st, c);
    store_close(st);
    if (rc == ERR_CORRUPT) {
        fprintf(stderr, "audit: chain broken at row %lld: %s\n", (long long)res.bad_id, res.reason);
        return 1;
    }
    if (rc) {
        fprintf(stderr, "audit: cannot read the audit trail (%s)\n", err_name(rc));
        return 1;
    }
    printf("audit: %lld rows ok\n", (long long)res.rows);
    return 0;
}

/* --- instrument check ------------------------------------------------------------------ */

static const char usage_instrument[] =
    "usage: veerkracht instrument check FILE...\n"
    "       veerkracht instrument import --db PATH FILE...   (definitions or text packs)\n"
    "       veerkracht instrument audio add --db PATH --instrument ID --lang LANG --key KEY "
    "FILE.wav\n"
    "\n"
    "check validates instrument definitions (docs/instruments.md), printing each problem as\n"
    "FILE:POINTER: message, and exits 1 when any file has one. import validates and adds them\n"
    "to a database (a licensed instrument, or a new version); the server offers them from its\n"
    "next start. The same id and version with different content is refused.\n"
    "audio add stores a recording (16-bit PCM WAV, at most 5 MiB) read aloud for one text, for\n"
    "languages without a synthetic voice (ti, so). KEY names the text: title, intro, outro,\n"
    "item.ID, help.ID or option.SET.VALUE.\n";

static int instrument_check_one(const char *path)
{
    struct screen_instrument *inst = NULL;
    struct verr v = {0};
    char msg[300] = "";
    enum err rc = screen_load_file(path, &inst, &v, msg, sizeof(msg));

    if (rc == ERR_IO || (rc && v.n == 0)) {
        fprintf(stderr, "%s\n", msg);
        return 1;
    }
    for (size_t i = 0; i < v.n; i++) {
        fprintf(stderr, "%s:%s: %s\n", path, v.items[i].pointer[0] ? v.items[i].pointer : "/",
                v.items[i].detail);
    }
    if (!rc) {
        printf("%s: ok (%s %s, %d items, %d scales, %d red flags)\n", path, inst->id, inst->version,
               inst->n_items, inst->n_scales, inst->n_flags);
    }
    screen_free(inst);
    return rc ? 1 : 0;
}

static void print_problems(const char *path, const struct verr *v)
{
    for (size_t i = 0; i < v->n; i++) {
        fprintf(stderr, "%s:%s: %s\n", path, v->items[i].pointer[0] ? v->items[i].pointer : "/",
                v->items[i].detail);
    }
}

/* Merges the pack into its instrument (as the database has it) to prove it complete, then stores
 * it; the server applies it at its next start. */
static int instrument_import_definition(struct store_conn *c, const char *path);

static int text_pack_import(struct store_conn *c, const char *path, json_t *pack)
{
    struct screen_registry *reg = NULL;
    const struct screen_instrument *base;
    struct screen_instrument merged_in = {0};
    struct verr v = {0};
    json_t *merged = NULL;
    char *text = NULL;
    enum err rc = screen_text_pack_check(pack, &v);

    rc = rc ? rc : screen_registry_load(c, &reg);
    base = rc ? NULL
              : screen_registry_find(reg, json_string_value(json_object_get(pack, "instrument")),
                                     json_string_value(json_object_get(pack, "version")));
    if (!rc && !base) {
        verr_add(&v, "/instrument", "no such instrument and version on this server");
        rc = ERR_INVALID;
    }
    rc = rc ? rc : screen_text_pack_apply(base->doc, pack, &merged, &v);
    rc = rc ? rc : screen_parse(merged, &merged_in, &v);
    if (!rc) {
        json_decref(merged_in.doc);
        text = json_dumps(pack, JSON_COMPACT | JSON_SORT_KEYS);
        rc = store_begin(c, true);
        rc = rc ? rc
                : store_text_pack_put(c, base->id, base->version,
                                      json_string_value(json_object_get(pack, "language")), text,
                                      strlen(text));
        rc = rc ? rc : store_commit(c);
        if (rc) {
            store_rollback(c);
        }
    }
    print_problems(path, &v);
    if (!rc) {
        printf("%s: imported the %s texts of %s %s\n", path,
               json_string_value(json_object_get(pack, "language")), base->id, base->version);
    }
    free(text);
    json_decref(merged);
    screen_registry_free(reg);
    return rc ? 1 : 0;
}

static int instrument_import_one(struct store_conn *c, const char *path)
{
    json_t *doc = json_load_file(path, 0, NULL);
    const char *fmt = json_string_value(json_object_get(doc, "format"));
    if (fmt && !strcmp(fmt, "veerkracht-textpack/1")) {
        int ret = text_pack_import(c, path, doc);
        json_decref(doc);
        return ret;
    }
    json_decref(doc);
    return instrument_import_definition(c, path);
}

static int instrument_import_definition(struct store_conn *c, const char *path)
{
    struct screen_instrument *inst = NULL;
    struct verr v = {0};
    char msg[300] = "";
    char *text;
    enum err rc;

    if (instrument_check_one(path)) {
        return 1;
    }
    rc = screen_load_file(path, &inst, &v, msg, sizeof(msg));
    if (rc) {
        return 1;
    }
    text = json_dumps(inst->doc, JSON_COMPACT | JSON_SORT_KEYS);
    rc = store_begin(c, true);
    if (!rc) {
        rc = store_instrument_put(c, inst->id, inst->version, text, strlen(text), inst->hash);
    }
    rc = rc ? rc : store_commit(c);
    if (rc) {
        store_rollback(c);
        fprintf(stderr, "%s: %s\n", path,
                rc == ERR_CONFLICT ? "this id and version exist with other content; raise the "
                                     "version"
                                   : err_title(rc));
    } else {
        printf("%s: imported %s %s\n", path, inst->id, inst->version);
    }
    free(text);
    screen_free(inst);
    return rc ? 1 : 0;
}

static int cmd_instrument_import(int argc, char **argv)
{
    const char *db = flag_value(argc, argv, "--db");
    struct store *st = NULL;
    struct store_conn *c;
    int bad = 0;

    if (!db) {
        return usage_error(usage_instrument, "%s", "instrument import needs --db PATH");
    }
    if (open_store(db, 1, &st)) {
        return 1;
    }
    c = store_acquire(st);
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--db")) {
            i++;
            continue;
        }
        bad |= instrument_import_one(c, argv[i]);
    }
    store_release(st, c);
    store_close(st);
    return bad;
}

/* A RIFF/WAVE file of at most 5 MiB. */
static enum err wav_read(const char *path, struct buf *out)
{
    char chunk[8192];
    size_t n;
    enum err rc = ERR_OK;
    FILE *f = fopen(path, "rb");

    if (!f) {
        return ERR_IO;
    }
    while (!rc && (n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        rc = buf_add(out, chunk, n);
    }
    fclose(f);
    if (!rc && (out->len < 44 || memcmp(out->ptr, "RIFF", 4) || memcmp(out->ptr + 8, "WAVE", 4))) {
        rc = ERR_INVALID;
    }
    return rc;
}

static int audio_store(const char *db, const struct screen_instrument *inst, const char *lang,
                       const char *key, const struct buf *wav)
{
    unsigned char hash[SEC_HASH_BYTES] = {0};
    struct store *st = NULL;
    struct store_conn *c;
    enum err rc;

    if (open_store(db, 1, &st)) {
        return 1;
    }
    c = store_acquire(st);
    rc = store_begin(c, true);
    rc = rc ? rc
            : store_audio_put(c, inst->id, lang, key, hash, "recording",
                              (const unsigned char *)wav->ptr, wav->len);
    rc = rc ? rc : store_commit(c);
    if (rc) {
        store_rollback(c);
    }
    store_release(st, c);
    store_close(st);
    return rc ? 1 : 0;
}

static int cmd_instrument_audio(int argc, char **argv)
{
    const char *db = flag_value(argc, argv, "--db"), *id = flag_value(argc, argv, "--instrument");
    const char *lang = flag_value(argc, argv, "--lang"), *key = flag_value(argc, argv, "--key");
    const char *file = argc > 3 ? argv[argc - 1] : NULL;
    struct screen_registry *reg = NULL;
    const struct screen_instrument *inst;
    struct buf wav = BUF_INIT(5 * 1024 * 1024);
    int ret = 1;

    if (argc < 3 || strcmp(argv[2], "add") || !db || !id || !lang || !key || !file) {
        return usage_error(usage_instrument, "%s",
                           "audio add needs --db, --instrument, --lang, --key and a FILE.wav");
    }
    if (screen_registry_load(NULL, &reg)) {
        return 1;
    }
    inst = screen_registry_find(reg, id, NULL);
    if (!inst || !screen_offers_language(inst, lang) || !screen_text_for_key(inst, lang, key)) {
        fprintf(stderr, "veerkracht: no text '%s' in '%s' for instrument '%s'\n", key, lang, id);
    } else if (wav_read(file, &wav)) {
        fprintf(stderr, "veerkracht: %s: not a WAV file of at most 5 MiB\n", file);
    } else if (!(ret = audio_store(db, inst, lang, key, &wav))) {
        printf("audio add: stored %zu bytes for %s %s %s\n", wav.len, id, lang, key);
    }
    buf_release(&wav);
    screen_registry_free(reg);
    return ret;
}

static int cmd_instrument(int argc, char **argv)
{
    int bad = 0;
    if (argc < 2 || is_help(argv[1])) {
        fputs(usage_instrument, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (!strcmp(argv[1], "audio")) {
        return (argc > 2 && is_help(argv[2])) ? (fputs(usage_instrument, stdout), 0)
                                              : cmd_instrument_audio(argc, argv);
    }
    if (!strcmp(argv[1], "import")) {
        return (argc > 2 && is_help(argv[2])) ? (fputs(usage_instrument, stdout), 0)
                                              : cmd_instrument_import(argc, argv);
    }
    if (strcmp(argv[1], "check")) {
        return usage_error(usage_instrument, "unknown instrument command '%s'", argv[1]);
    }
    if (argc < 3) {
        return usage_error(usage_instrument, "%s", "instrument check needs at least one FILE");
    }
    if (is_help(argv[2])) {
        fputs(usage_instrument, stdout);
        return 0;
    }
    for (int i = 2; i < argc; i++) {
        bad |= instrument_check_one(argv[i]);
    }
    return bad;
}

/* --- map -------------------------------------------------------------------------------- */

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

/* Reads a whole file of at most HSDS_FILE_MAX bytes. */
static enum err read_capped(const char *path, struct buf *out)
{
    char chunk[65536];
    size_t n;
    enum err rc = ERR_OK;
    FILE *f = fopen(path, "rb");

    if (!f) {
        return ERR_IO;
    }
    while (!rc && (n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        rc = buf_add(out, chunk, n);
    }
    if (!rc && ferror(f)) {
        rc = ERR_IO;
    }
    fclose(f);
    return rc;
}

static enum err map_load_json(const char *path, json_t **pkg)
{
    struct buf text = BUF_INIT(HSDS_FILE_MAX);
    json_error_t jerr;
    enum err rc = read_capped(path, &text);

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
        rc = hsds_csv_read(dir, pkg, &v);
        if (rc && v.n) {
            print_map_problems(NULL, &v);
        } else if (rc) {
            fprintf(stderr, "%s: cannot read the datapackage (%s)\n", path, err_title(rc));
        }
    } else {
        rc = map_load_json(path, pkg);
    }
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

static int cmd_map_import(int argc, char **argv)
{
    static const char *const flags[] = {"--db", "--region", NULL};
    const char *db = flag_value(argc, argv, "--db");
    const char *region = flag_value(argc, argv, "--region");
    const char *path = positional(argc, argv, 2, flags);
    struct dir_import_stats stats;
    struct store *st = NULL;
    struct store_conn *c;
    json_t *pkg = NULL;
    enum err rc;

    if (unknown_flag(argc, argv, 2, flags)) {
        return 2;
    }
    if (!db || !path) {
        return usage_error(usage_map, "%s", "map import needs --db PATH and a FILE or DIR");
    }
    if (region && strlen(region) > STORE_MAP_REGION_MAX) {
        return usage_error(usage_map, "%s", "--region is at most 120 bytes");
    }
    if (map_load(path, &pkg)) {
        fprintf(stderr, "map import: nothing imported\n");
        return 1;
    }
    if (open_store(db, 1, &st)) {
        json_decref(pkg);
        return 1;
    }
    c = store_acquire(st);
    rc = map_import_tx(c, pkg, region, &stats);
    store_release(st, c);
    store_close(st);
    json_decref(pkg);
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
    const char *db = flag_value(argc, argv, "--db");
    const char *format = flag_value(argc, argv, "--format");
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
        return usage_error(usage_map, "%s", "map export needs --db PATH, --format and OUT");
    }
    if (strcmp(format, "hsds-json") && strcmp(format, "hsds-csv")) {
        return usage_error(usage_map, "unknown format '%s'", format);
    }
    csv = !strcmp(format, "hsds-csv");
    if (open_store(db, 1, &st)) {
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

static int cmd_map_area(int argc, char **argv)
{
    static const char *const flags[] = {"--db", "--name", "--kind", "--parent", NULL};
    const char *db = flag_value(argc, argv, "--db");
    const char *uri = positional(argc, argv, 2, flags);
    const char *why = NULL;
    struct audit_ctx actx = {0};
    struct store *st = NULL;
    struct store_conn *c;
    enum err rc;

    if (unknown_flag(argc, argv, 2, flags)) {
        return 2;
    }
    if (!db || !uri) {
        return usage_error(usage_map, "%s", "map area needs --db PATH and a URI");
    }
    if (open_store(db, 1, &st)) {
        return 1;
    }
    actx.role = "cli";
    actx.source_addr = "cli";
    c = store_acquire(st);
    rc = store_begin(c, true);
    rc = rc ? rc
            : dir_area_set(c, &actx, uri, flag_value(argc, argv, "--name"),
                           flag_value(argc, argv, "--kind"), flag_value(argc, argv, "--parent"),
                           &why);
    rc = rc ? rc : store_commit(c);
    if (rc) {
        store_rollback(c);
    }
    store_release(st, c);
    store_close(st);
    if (rc) {
        fprintf(stderr, "map area: %s: %s\n", uri, why ? why : err_title(rc));
        return 1;
    }
    printf("map area: %s set\n", uri);
    return 0;
}

static int cmd_map(int argc, char **argv)
{
    static const char *const subs[] = {"import", "export", "area"};
    static int (*const fns[])(int, char **) = {cmd_map_import, cmd_map_export, cmd_map_area};

    if (argc < 2 || is_help(argv[1])) {
        fputs(usage_map, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    for (size_t i = 0; i < ARRAY_SIZE(subs); i++) {
        if (!strcmp(argv[1], subs[i])) {
            for (int a = 2; a < argc; a++) {
                if (is_help(argv[a])) {
                    fputs(usage_map, stdout);
                    return 0;
                }
            }
            return fns[i](argc, argv);
        }
    }
    return usage_error(usage_map, "unknown map command '%s'", argv[1]);
}

/* --- serve ---------------------------------------------------------------------------- */

static int serve_flags(int argc, char **argv, struct config *cfg)
{
    char err[300];
    const char *cfgfile = flag_value(argc, argv, "--config");

    if (cfgfile && config_load(cfg, cfgfile, err, sizeof(err))) {
        fprintf(stderr, "veerkracht: %s: %s\n", cfgfile, err);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        char key[64];
        const char *val;
        if (strncmp(argv[i], "--", 2) || !strcmp(argv[i], "--config")) {
            if (!strcmp(argv[i], "--config")) {
                i++;
                continue;
            }
            return usage_error(usage_serve, "unexpected argument '%s'", argv[i]);
        }
        snprintf(key, sizeof(key), "%s", argv[i] + 2);
        for (char *p = key; *p; p++) {
            *p = *p == '-' ? '_' : *p;
        }
        if (!strcmp(key, "demo")) {
            cfg->demo = true;
            continue;
        }
        if (i + 1 >= argc) {
            return usage_error(usage_serve, "%s needs a value", argv[i]);
        }
        val = argv[++i];
        if (config_set(cfg, key, val, err, sizeof(err))) {
            return usage_error(usage_serve, "%s", err);
        }
    }
    return 0;
}

static int serve_run(struct config *cfg, sigset_t *sigs)
{
    struct store *st = NULL;
    struct http_server *srv = NULL;
    struct screen_registry *reg = NULL;
    struct store_conn *c;
    int port = 0, sig = 0;
    enum err rc;

    if (open_store(cfg->db_path, cfg->threads + 1, &st)) {
        return 1;
    }
    c = store_acquire(st);
    rc = screen_registry_load(c, &reg);
    store_release(st, c);
    if (rc) {
        fprintf(stderr, "veerkracht: an instrument definition is invalid (see the log)\n");
        store_close(st);
        return 1;
    }
    if (cfg->demo) {
        c = store_acquire(st);
        rc = demo_seed(c, reg);
        store_release(st, c);
        if (rc) {
            fprintf(stderr, "veerkracht: seeding the demo failed (%s)\n", err_name(rc));
            screen_registry_free(reg);
            store_close(st);
            return 1;
        }
        demo_print_logins(stdout);
    }
    /* start espeak-ng now: it sets the process locale, which must not change under threads */
    (void)speech_has_voice("nl");
    if (http_start(cfg, st, reg, &srv, &port)) {
        speech_shutdown();
        screen_registry_free(reg);
        store_close(st);
        return 1;
    }
    printf("veerkracht: listening on http://%s:%d\n", cfg->listen_host, port);
    fflush(stdout);
    log_info("event=start port=%d threads=%d", port, cfg->threads);
    sigwait(sigs, &sig);
    log_info("event=stopping signal=%d", sig);
    http_stop(srv, 10000);
    speech_shutdown();
    screen_registry_free(reg);
    store_close(st);
    log_info("event=stopped");
    return 0;
}

static int cmd_serve(int argc, char **argv)
{
    struct config cfg;
    struct rlimit nocore = {0, 0};
    sigset_t sigs;
    int rc;

    if (argc > 1 && is_help(argv[1])) {
        fputs(usage_serve, stdout);
        return 0;
    }
    config_defaults(&cfg);
    rc = serve_flags(argc, argv, &cfg);
    if (rc) {
        return rc;
    }
    if (cfg.debug) {
        log_set_level(LOG_DEBUG);
    }
    /* no core dumps: they would hold decrypted client data and session secrets */
    setrlimit(RLIMIT_CORE, &nocore);
    signal(SIGPIPE, SIG_IGN);
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    return serve_run(&cfg, &sigs);
}

int cli_main(int argc, char **argv)
{
    if (sec_init()) {
        fputs("veerkracht: libsodium failed to initialise\n", stderr);
        return 1;
    }
    if (argc < 2) {
        fputs(usage_main, stderr);
        return 2;
    }
    if (is_help(argv[1])) {
        fputs(usage_main, stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        puts("veerkracht 0.1.0");
        return 0;
    }
    if (!strcmp(argv[1], "serve")) {
        return cmd_serve(argc - 1, argv + 1);
    }
    if (!strcmp(argv[1], "migrate")) {
        return cmd_migrate(argc - 1, argv + 1);
    }
    if (!strcmp(argv[1], "user")) {
        return cmd_user(argc - 1, argv + 1);
    }
    if (!strcmp(argv[1], "audit")) {
        return cmd_audit(argc - 1, argv + 1);
    }
    if (!strcmp(argv[1], "instrument")) {
        return cmd_instrument(argc - 1, argv + 1);
    }
    if (!strcmp(argv[1], "map")) {
        return cmd_map(argc - 1, argv + 1);
    }
    return usage_error(usage_main, "unknown command '%s'", argv[1]);
}
