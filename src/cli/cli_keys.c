/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The master key on the command line: where `serve` and `key rotate` find it (the environment
 * variable VEERKRACHT_MASTER_KEY, else the key file), `veerkracht key rotate` and
 * `veerkracht backup`. The dossier module does the cryptography; this file parses flags,
 * opens files and reports.
 */
#include "core/compat.h"

#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli_int.h"
#include "core/sec.h"
#include "dossier/dossier.h"
#include "storage/store.h"

#define MASTER_KEY_ENV "VEERKRACHT_MASTER_KEY"

static const char usage_key[] =
    "usage: veerkracht key rotate --db PATH [--key-file OLD] --new-key-file NEW\n"
    "\n"
    "Creates a new master key in NEW (mode 0600; NEW must not exist) and re-wraps every\n"
    "client's data key under it, in one transaction. Afterwards the old key (OLD, or\n"
    "$" MASTER_KEY_ENV ", or PATH.key) no longer opens the database: start the server with\n"
    "--key-file NEW. Stop the server before rotating. Keep NEW on another disk than the\n"
    "database and its backups.\n";

static const char usage_backup[] =
    "usage: veerkracht backup --db PATH OUT\n"
    "\n"
    "Writes a consistent copy of the database to the new file OUT (mode 0600) with SQLite's\n"
    "online backup API, also while the server runs. Client names, contact details, answers and\n"
    "notes stay sealed in it; the master key is not in it. Keep the key file elsewhere (another\n"
    "disk or vault than the backups): a backup without its key opens nothing.\n";

void cli__key_file_path(const char *key_file, const char *db_path, char *out, size_t size)
{
    if (key_file && key_file[0]) {
        snprintf(out, size, "%s", key_file);
    } else {
        snprintf(out, size, "%s.key", db_path);
    }
}

int cli__master_key(const char *key_file, const char *db_path, bool create, struct sec_key **out)
{
    const char *env = getenv(MASTER_KEY_ENV);
    const char *why = "";
    char path[1100];
    enum err rc;

    *out = NULL;
    if (env && env[0]) {
        if (sec_key_from_hex(env, strlen(env), out)) {
            fputs("veerkracht: " MASTER_KEY_ENV " must be 64 hexadecimal digits\n", stderr);
            return 1;
        }
        return 0;
    }
    cli__key_file_path(key_file, db_path, path, sizeof(path));
    rc = sec_key_file_load(path, create, out, &why);
    if (rc) {
        fprintf(stderr, "veerkracht: master key file '%s': %s\n", path,
                why[0] ? why : err_title(rc));
        return 1;
    }
    return 0;
}

int cli__keyring_open(struct store *st, struct sec_key *kek, struct keyring **out)
{
    struct store_conn *c = store_acquire(st);
    const char *why = "";
    enum err rc = keys_open(c, kek, out, &why);

    store_release(st, c);
    if (rc) {
        fprintf(stderr, "veerkracht: %s (%s)\n", why[0] ? why : "cannot read the keyring",
                err_name(rc));
        return 1;
    }
    return 0;
}

int cli__harden(void)
{
    if (sec_harden_process() || !sec_process_hardened()) {
        fputs("veerkracht: cannot turn core dumps off (RLIMIT_CORE, PR_SET_DUMPABLE); refusing "
              "to hold keys\n",
              stderr);
        return 1;
    }
    return 0;
}

/* --- key rotate ------------------------------------------------------------------------- */

static int rotate_run(struct store *st, const struct keyring *kr, const char *new_path)
{
    struct sec_key *new_kek = NULL;
    struct store_conn *c;
    int64_t n = 0, version = 0;
    const char *why = "";
    enum err rc = sec_key_file_load(new_path, true, &new_kek, &why);

    if (rc) {
        fprintf(stderr, "veerkracht: new key file '%s': %s\n", new_path, why);
        return 1;
    }
    c = store_acquire(st);
    rc = keys_rotate(c, kr, new_kek, &n, &version);
    store_release(st, c);
    sec_key_free(new_kek);
    if (rc) {
        unlink(new_path); /* ours, and it wraps nothing */
        fprintf(stderr, "veerkracht: key rotation failed, nothing changed (%s)\n",
                rc == ERR_CONFLICT ? "the keyring changed meanwhile" : err_name(rc));
        return 1;
    }
    printf("key rotate: re-wrapped %lld client key(s) under master key version %lld in '%s'.\n"
           "Start the server with --key-file %s; the old key no longer opens this database.\n",
           (long long)n, (long long)version, new_path, new_path);
    return 0;
}

static int cmd_key_rotate(int argc, char **argv)
{
    const char *db = cli__flag_value(argc, argv, "--db");
    const char *old = cli__flag_value(argc, argv, "--key-file");
    const char *new_path = cli__flag_value(argc, argv, "--new-key-file");
    struct sec_key *kek = NULL;
    struct keyring *kr = NULL;
    struct store *st = NULL;
    struct stat sb;
    int ret;

    if (!db || !new_path) {
        return cli__usage_error(usage_key, "%s",
                                "key rotate needs --db PATH and --new-key-file NEW");
    }
    if (lstat(new_path, &sb) == 0) {
        fprintf(stderr, "veerkracht: '%s' exists; the new key file must be a new file\n", new_path);
        return 1;
    }
    if (access(db, R_OK | W_OK) != 0) {
        fprintf(stderr, "veerkracht: cannot open database '%s'\n", db);
        return 1;
    }
    if (cli__harden() || cli__master_key(old, db, false, &kek) || cli__open_store(db, 1, &st)) {
        sec_key_free(kek);
        return 1;
    }
    ret = cli__keyring_open(st, kek, &kr); /* takes kek */
    ret = ret ? ret : rotate_run(st, kr, new_path);
    keys_close(kr);
    store_close(st);
    return ret;
}

int cli__key(int argc, char **argv)
{
    if (argc < 2 || cli__is_help(argv[1])) {
        fputs(usage_key, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "rotate")) {
        return cli__usage_error(usage_key, "unknown key command '%s'", argv[1]);
    }
    if (argc > 2 && cli__is_help(argv[2])) {
        fputs(usage_key, stdout);
        return 0;
    }
    return cmd_key_rotate(argc, argv);
}

/* --- backup ----------------------------------------------------------------------------- */

/* The one argument that is neither --db nor its value. */
static const char *backup_out(int argc, char **argv)
{
    const char *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--db")) {
            i++;
        } else if (out || argv[i][0] == '-') {
            return NULL;
        } else {
            out = argv[i];
        }
    }
    return out;
}

int cli__backup(int argc, char **argv)
{
    const char *db = cli__flag_value(argc, argv, "--db");
    const char *out = backup_out(argc, argv);
    struct store *st = NULL;
    struct store_conn *c;
    enum err rc;

    if (argc > 1 && cli__is_help(argv[1])) {
        fputs(usage_backup, stdout);
        return 0;
    }
    if (!db || !out) {
        return cli__usage_error(usage_backup, "%s", "backup needs --db PATH and one OUT file");
    }
    if (access(db, R_OK) != 0 || store_open(db, 1, &st)) {
        fprintf(stderr, "veerkracht: cannot open database '%s'\n", db);
        return 1;
    }
    c = store_acquire(st);
    rc = store_backup(c, out);
    store_release(st, c);
    store_close(st);
    if (rc) {
        fprintf(stderr, "veerkracht: backup to '%s' failed: %s\n", out,
                rc == ERR_CONFLICT ? "the file exists" : err_title(rc));
        return 1;
    }
    printf("backup: wrote '%s' (sealed columns stay sealed; the master key is not in it)\n", out);
    return 0;
}

/* --- serve ------------------------------------------------------------------------------ */

int cli__serve_keys(const char *key_file, const char *db_path, struct store *st,
                    struct keyring **out)
{
    struct sec_key *kek = NULL;
    struct store_conn *c;
    int64_t sealed = 0;
    enum err rc;

    *out = NULL;
    if (cli__master_key(key_file, db_path, true, &kek) || cli__keyring_open(st, kek, out)) {
        return 1;
    }
    c = store_acquire(st);
    rc = keys_seal_legacy(*out, c, &sealed);
    store_release(st, c);
    if (rc) {
        fprintf(stderr, "veerkracht: sealing the plain text left by an older version failed (%s)\n",
                err_name(rc));
        keys_close(*out);
        *out = NULL;
        return 1;
    }
    if (sealed) {
        printf("veerkracht: sealed %lld value(s) stored by an older version\n", (long long)sealed);
    }
    return 0;
}
