/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Command line: `veerkracht serve|migrate|user add|audit verify|instrument|map`, each with
 * --help. Parses flags, opens the store, and hands over to the modules; no domain logic lives
 * here. The map subcommands are in cli_map.c.
 */
#include "core/compat.h"

#include <pthread.h>
#include <signal.h>
#include <stdarg.h>

#include "accounts/accounts.h"
#include "audit/audit.h"
#include "cli/cli.h"
#include "cli/cli_int.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/log.h"
#include "core/sec.h"
#include "demo/demo.h"
#include "dossier/dossier.h"
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
    "  route         check route-map rule files (stepped-care advice)\n"
    "  key rotate    re-wrap every client's data key under a new master key\n"
    "  backup        write a consistent copy of the database (sealed, without the key)\n"
    "  dossier       export-transfer / import-transfer: a dossier to another installation\n"
    "\n"
    "Run 'veerkracht <command> --help' for the options of a command.\n";

static const char usage_serve[] =
    "usage: veerkracht serve [--listen ADDR:PORT] [--db PATH] [--key-file PATH] [--demo]\n"
    "                        [--web-root DIR] [--config FILE] [--SETTING VALUE ...]\n"
    "\n"
    "  --listen ADDR:PORT   address to listen on (default 127.0.0.1:8080; port 0 picks one)\n"
    "  --db PATH            SQLite database (default ./veerkracht.db); created and migrated\n"
    "  --key-file PATH      master key file (default: the database path + .key), created with\n"
    "                       mode 0600 when missing; $VEERKRACHT_MASTER_KEY (64 hex digits)\n"
    "                       wins over it. Keep it on another disk than the backups.\n"
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
    "  routing-rules FILE              route-map rules (docs/routing.md); default: built in\n"
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

bool cli__is_help(const char *a)
{
    return !strcmp(a, "--help") || !strcmp(a, "-h") || !strcmp(a, "help");
}

int cli__usage_error(const char *usage, const char *fmt, ...)
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

const char *cli__flag_value(int argc, char **argv, const char *name)
{
    for (int i = 0; i + 1 < argc; i++) {
        if (!strcmp(argv[i], name)) {
            return argv[i + 1];
        }
    }
    return NULL;
}

int cli__open_store(const char *path, int nconns, struct store **st)
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
    const char *db = cli__flag_value(argc, argv, "--db");
    struct store *st = NULL;
    struct store_conn *c;
    int applied = 0, version = 0;
    enum err rc;

    if (argc > 1 && cli__is_help(argv[1])) {
        fputs(usage_migrate, stdout);
        return 0;
    }
    if (!db) {
        return cli__usage_error(usage_migrate, "%s", "migrate needs --db PATH");
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
    const char *role = cli__flag_value(argc, argv, "--role");
    const char *db = cli__flag_value(argc, argv, "--db");
    const char *why = NULL;
    char pw[1100];
    struct store *st = NULL;
    struct store_conn *c;
    enum err rc;

    if (argc < 2 || cli__is_help(argv[1])) {
        fputs(usage_user, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "add")) {
        return cli__usage_error(usage_user, "unknown user command '%s'", argv[1]);
    }
    if (argc > 2 && cli__is_help(argv[2])) {
        fputs(usage_user, stdout);
        return 0;
    }
    nu.org_name = cli__flag_value(argc, argv, "--org");
    nu.email = cli__flag_value(argc, argv, "--email");
    nu.org_kind = cli__flag_value(argc, argv, "--org-kind");
    nu.region = cli__flag_value(argc, argv, "--region");
    if (!db || !nu.org_name || !role || !nu.email) {
        return cli__usage_error(usage_user, "%s", "user add needs --db, --org, --role and --email");
    }
    if (acct_role_parse(role, &nu.role)) {
        return cli__usage_error(usage_user, "unknown role '%s'", role);
    }
    if (read_password(pw, sizeof(pw), &nu.password_len)) {
        fputs("veerkracht: no password on standard input\n", stderr);
        return 1;
    }
    nu.password = pw;
    if (cli__open_store(db, 1, &st)) {
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
    const char *db = cli__flag_value(argc, argv, "--db");
    struct audit_verify_result res;
    struct store *st = NULL;
    struct store_conn *c;
    enum err rc;

    if (argc < 2 || cli__is_help(argv[1])) {
        fputs(usage_audit, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "verify")) {
        return cli__usage_error(usage_audit, "unknown audit command '%s'", argv[1]);
    }
    if (argc > 2 && cli__is_help(argv[2])) {
        fputs(usage_audit, stdout);
        return 0;
    }
    if (!db) {
        return cli__usage_error(usage_audit, "%s", "audit verify needs --db PATH");
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
    const char *db = cli__flag_value(argc, argv, "--db");
    struct store *st = NULL;
    struct store_conn *c;
    int bad = 0;

    if (!db) {
        return cli__usage_error(usage_instrument, "%s", "instrument import needs --db PATH");
    }
    if (cli__open_store(db, 1, &st)) {
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
    enum err rc = buf_read_file(out, path);
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

    if (cli__open_store(db, 1, &st)) {
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
    const char *db = cli__flag_value(argc, argv, "--db"),
               *id = cli__flag_value(argc, argv, "--instrument");
    const char *lang = cli__flag_value(argc, argv, "--lang"),
               *key = cli__flag_value(argc, argv, "--key");
    const char *file = argc > 3 ? argv[argc - 1] : NULL;
    struct screen_registry *reg = NULL;
    const struct screen_instrument *inst;
    struct buf wav = BUF_INIT(5 * 1024 * 1024);
    int ret = 1;

    if (argc < 3 || strcmp(argv[2], "add") || !db || !id || !lang || !key || !file) {
        return cli__usage_error(usage_instrument, "%s",
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
    if (argc < 2 || cli__is_help(argv[1])) {
        fputs(usage_instrument, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (!strcmp(argv[1], "audio")) {
        return (argc > 2 && cli__is_help(argv[2])) ? (fputs(usage_instrument, stdout), 0)
                                                   : cmd_instrument_audio(argc, argv);
    }
    if (!strcmp(argv[1], "import")) {
        return (argc > 2 && cli__is_help(argv[2])) ? (fputs(usage_instrument, stdout), 0)
                                                   : cmd_instrument_import(argc, argv);
    }
    if (strcmp(argv[1], "check")) {
        return cli__usage_error(usage_instrument, "unknown instrument command '%s'", argv[1]);
    }
    if (argc < 3) {
        return cli__usage_error(usage_instrument, "%s", "instrument check needs at least one FILE");
    }
    if (cli__is_help(argv[2])) {
        fputs(usage_instrument, stdout);
        return 0;
    }
    for (int i = 2; i < argc; i++) {
        bad |= instrument_check_one(argv[i]);
    }
    return bad;
}

/* --- serve ---------------------------------------------------------------------------- */

static int serve_flags(int argc, char **argv, struct config *cfg)
{
    char err[300];
    const char *cfgfile = cli__flag_value(argc, argv, "--config");

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
            return cli__usage_error(usage_serve, "unexpected argument '%s'", argv[i]);
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
            return cli__usage_error(usage_serve, "%s needs a value", argv[i]);
        }
        val = argv[++i];
        if (config_set(cfg, key, val, err, sizeof(err))) {
            return cli__usage_error(usage_serve, "%s", err);
        }
    }
    return 0;
}

static int serve_run(struct config *cfg, sigset_t *sigs)
{
    struct store *st = NULL;
    struct http_server *srv = NULL;
    struct screen_registry *reg = NULL;
    struct keyring *keys = NULL;
    struct store_conn *c;
    int port = 0, sig = 0;
    enum err rc;

    if (cli__open_store(cfg->db_path, cfg->threads + 1, &st)) {
        return 1;
    }
    if (cli__serve_keys(cfg->key_file, cfg->db_path, st, &keys)) {
        store_close(st);
        return 1;
    }
    c = store_acquire(st);
    rc = screen_registry_load(c, &reg);
    store_release(st, c);
    if (rc) {
        fprintf(stderr, "veerkracht: an instrument definition is invalid (see the log)\n");
        keys_close(keys);
        store_close(st);
        return 1;
    }
    if (cli__route_rules(cfg->routing_rules, reg)) {
        screen_registry_free(reg);
        keys_close(keys);
        store_close(st);
        return 1;
    }
    if (cfg->demo) {
        c = store_acquire(st);
        rc = demo_seed(c, reg, keys);
        store_release(st, c);
        if (rc) {
            fprintf(stderr, "veerkracht: seeding the demo failed (%s)\n", err_name(rc));
            screen_registry_free(reg);
            keys_close(keys);
            store_close(st);
            return 1;
        }
        demo_print_logins(stdout);
    }
    /* start espeak-ng now: it sets the process locale, which must not change under threads */
    (void)speech_has_voice("nl");
    if (http_start(cfg, st, reg, keys, &srv, &port)) {
        speech_shutdown();
        screen_registry_free(reg);
        keys_close(keys);
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
    keys_close(keys);
    store_close(st);
    log_info("event=stopped");
    return 0;
}

static int cmd_serve(int argc, char **argv)
{
    struct config cfg;
    sigset_t sigs;
    int rc;

    if (argc > 1 && cli__is_help(argv[1])) {
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
    /* no core dumps: they would hold keys, decrypted client data and session secrets */
    if (cli__harden()) {
        return 1;
    }
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
    if (cli__is_help(argv[1])) {
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
        return cli__map(argc - 1, argv + 1);
    }
    if (!strcmp(argv[1], "route")) {
        return cli__route(argc - 1, argv + 1);
    }
    if (!strcmp(argv[1], "key")) {
        return cli__key(argc - 1, argv + 1);
    }
    if (!strcmp(argv[1], "backup")) {
        return cli__backup(argc - 1, argv + 1);
    }
    if (!strcmp(argv[1], "dossier")) {
        return cli__dossier(argc - 1, argv + 1);
    }
    return cli__usage_error(usage_main, "unknown command '%s'", argv[1]);
}
