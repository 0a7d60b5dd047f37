/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * `veerkracht dossier export-transfer` and `veerkracht dossier import-transfer`: transfer packages
 * between installations on the command line (docs/dossier.md §5). The dossier module does the
 * work; the export's FHIR Bundle comes from the API's builder with a request filled here, so the
 * package holds exactly what the client would get. This file parses flags, opens files and
 * reports.
 */
#include "core/compat.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/api.h"
#include "cli/cli_int.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/qr.h"
#include "core/sec.h"
#include "dossier/dossier.h"
#include "screening/screening.h"

#define CLI_SENDER_DEFAULT "Veerkracht"

static const char usage_dossier[] =
    "usage: veerkracht dossier export-transfer --db PATH [--key-file F] --client PID --out FILE\n"
    "                                          --user EMAIL [--sender NAME]\n"
    "       veerkracht dossier import-transfer --db PATH [--key-file F] --key KEY|- --user EMAIL\n"
    "                                          FILE\n"
    "\n"
    "export-transfer packs the client's dossier for another Veerkracht installation: the file\n"
    "FILE (mode 0600, must not exist) is sealed with a new one-time transfer key and signed with\n"
    "this installation's key. The transfer key is printed as text and as a QR code: give it to "
    "the\n"
    "client only, never with the file. EMAIL is the professional of this installation who hands\n"
    "the package over (recorded and audited). --sender names this installation in the package\n"
    "(default '" CLI_SENDER_DEFAULT "'). The dossier stays here as it is.\n"
    "\n"
    "import-transfer checks the signature, opens FILE with the client's key (KEY, or better '-'\n"
    "to read it from standard input: a key on the command line shows in the process list) and\n"
    "creates the dossier in one transaction, as the professional EMAIL of this installation:\n"
    "every grant becomes a request the client confirms after logging in with the login card\n"
    "printed here. A package is imported once; a second time, or a package made here, is\n"
    "refused (and audited).\n"
    "Exit status 1 when the package or the key is refused (nothing is written).\n";

struct cli_db {
    struct store *st;
    struct keyring *kr;
};

static int db_open(const char *db, const char *key_file, struct cli_db *d)
{
    struct sec_key *kek = NULL;

    if (cli__harden() || cli__open_store(db, 1, &d->st)) {
        return 1;
    }
    if (cli__master_key(key_file, db, false, &kek) || cli__keyring_open(d->st, kek, &d->kr)) {
        store_close(d->st);
        d->st = NULL;
        return 1;
    }
    return 0;
}

static void db_close(struct cli_db *d)
{
    keys_close(d->kr);
    store_close(d->st);
}

/* ---- export ---------------------------------------------------------------------------- */

/* The output file, created (0600, O_EXCL) before the transaction so that an existing file stops
 * the export before anything is recorded. -1 after a message. */
static int out_create(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

    if (fd < 0) {
        fprintf(stderr, "veerkracht: %s: %s\n", path,
                errno == EEXIST ? "exists already; choose a new file" : strerror(errno));
    }
    return fd;
}

/* Writes the package into fd and closes it; on any failure the file is removed. */
static int out_write(int fd, const char *path, const unsigned char *data, size_t len)
{
    size_t off = 0;

    while (off < len) {
        ssize_t n = write(fd, data + off, len - off);
        if (n <= 0) {
            break;
        }
        off += (size_t)n;
    }
    if (off < len || fsync(fd) != 0) {
        close(fd);
        unlink(path);
        fprintf(stderr, "veerkracht: %s: cannot write\n", path);
        return 1;
    }
    if (close(fd) != 0) {
        unlink(path);
        fprintf(stderr, "veerkracht: %s: cannot write\n", path);
        return 1;
    }
    return 0;
}

/* The professional EMAIL as a principal; ERR_NOT_FOUND for an unknown or disabled one. */
static enum err importer(struct store_conn *c, const char *email, struct principal *who,
                         struct org_row *org);

/* The request the export Bundle is built for: the client itself, acted on by the professional
 * `by` (whose user and role the audit rows carry). */
static void export_req(struct api_req *r, struct store_conn *c, const struct keyring *kr,
                       const struct client_row *client, const struct screen_registry *reg,
                       const struct principal *by)
{
    api_req_init(r);
    r->conn = c;
    r->keyring = kr;
    r->registry = reg;
    sec_random_hex(16, r->request_id);
    r->who.role = ROLE_CLIENT;
    r->who.client_id = client->id;
    r->who.self_client_id = client->id;
    r->actx.user_uid = by->user_uid;
    r->actx.role = acct_role_name(by->role);
    r->actx.org_uid = by->org_uid;
    r->actx.source_addr = "cli";
    r->actx.request_id = r->request_id;
    r->actx.keys = kr;
}

struct export_job {
    const char *pid;
    const char *email;
    const char *sender;
    const char *out; /* the file, open as fd */
    int fd;
    struct transfer_made m;
};

/* Packs, records and writes the file, then commits: a failed commit removes the file. */
static enum err export_tx(struct store_conn *c, const struct keyring *kr, struct export_job *j)
{
    struct screen_registry *reg = NULL;
    struct principal by = {0};
    struct org_row org;
    struct client_row client;
    struct api_req r;
    json_t *bundle = NULL;
    bool written = false;
    enum err rc = store_begin(c, true);

    rc = rc ? rc : screen_registry_load(c, &reg);
    rc = rc ? rc : importer(c, j->email, &by, &org);
    if (rc == ERR_NOT_FOUND) {
        fprintf(stderr, "veerkracht: no professional with the email '%s'\n", j->email);
        rc = ERR_FORBIDDEN;
    }
    if (!rc && by.role == ROLE_CLIENT) {
        fputs("veerkracht: a client account cannot hand over a package here\n", stderr);
        rc = ERR_FORBIDDEN;
    }
    rc = rc ? rc : store_client_by_pid(c, j->pid, &client);
    if (!rc) {
        export_req(&r, c, kr, &client, reg, &by);
        rc = api_export_bundle(&r, j->pid, &bundle);
        if (!rc) {
            struct transfer_export_in in = {&client,     j->sender, bundle, by.user_uid,
                                            r.actx.role, "cli",     0};
            rc = transfer_export(c, &r.actx, &in, &j->m);
        }
        api_req_release(&r);
    }
    if (!rc) {
        written = true;
        rc = out_write(j->fd, j->out, j->m.file, j->m.len) ? ERR_IO : ERR_OK;
        j->fd = -1;
    }
    rc = rc ? rc : store_commit(c);
    if (rc) {
        store_rollback(c);
        if (written) {
            unlink(j->out); /* not recorded here: the package must not exist */
        }
    }
    json_decref(bundle);
    screen_registry_free(reg);
    return rc;
}

static void print_key(const struct transfer_made *m)
{
    struct buf qr = BUF_INIT(64 * 1024);

    printf("package %s\nsender fingerprint %s\n\n", m->package_id, m->fingerprint);
    printf("transfer key (give it to the client only, never with the file):\n\n  %s\n\n",
           m->key_text);
    if (!qr_text(m->key_text, strlen(m->key_text), &qr)) {
        fputs(qr.ptr, stdout);
    }
    buf_release(&qr);
}

static int cmd_export(int argc, char **argv)
{
    const char *db = cli__flag_value(argc, argv, "--db");
    const char *sender = cli__flag_value(argc, argv, "--sender");
    struct export_job j;
    struct cli_db d = {0};
    struct store_conn *c;
    enum err rc;

    memset(&j, 0, sizeof(j));
    j.pid = cli__flag_value(argc, argv, "--client");
    j.email = cli__flag_value(argc, argv, "--user");
    j.sender = sender ? sender : CLI_SENDER_DEFAULT;
    j.out = cli__flag_value(argc, argv, "--out");
    j.fd = -1;
    if (!db || !j.pid || !j.out || !j.email) {
        return cli__usage_error(usage_dossier, "%s",
                                "export-transfer needs --db, --client, --out and --user");
    }
    if (db_open(db, cli__flag_value(argc, argv, "--key-file"), &d)) {
        return 1;
    }
    j.fd = out_create(j.out);
    if (j.fd < 0) {
        db_close(&d);
        return 1;
    }
    c = store_acquire(d.st);
    rc = export_tx(c, d.kr, &j);
    store_release(d.st, c);
    db_close(&d);
    if (j.fd >= 0) {
        close(j.fd); /* nothing was written into it */
        unlink(j.out);
    }
    if (rc && rc != ERR_FORBIDDEN && rc != ERR_IO) {
        fprintf(stderr, "veerkracht: export-transfer failed: %s\n",
                rc == ERR_NOT_FOUND ? "no client with this pid" : err_title(rc));
    }
    if (!rc) {
        print_key(&j.m);
    }
    transfer_made_release(&j.m);
    return rc ? 1 : 0;
}

/* ---- import ---------------------------------------------------------------------------- */

static bool instrument_known(const char *iid, const char *version,
                             const unsigned char hash[SEC_HASH_BYTES], const void *ctx)
{
    const struct screen_instrument *in = screen_registry_find(ctx, iid, version);
    return in && sec_memeq(in->hash, hash, SEC_HASH_BYTES);
}

/* The importing professional as a principal; ERR_NOT_FOUND for an unknown or disabled one. */
static enum err importer(struct store_conn *c, const char *email, struct principal *who,
                         struct org_row *org)
{
    struct user_row u;
    enum err rc = store_user_by_email(c, email, &u);

    rc = rc ? rc : (u.disabled ? ERR_NOT_FOUND : ERR_OK);
    rc = rc ? rc : acct_role_parse(u.role, &who->role);
    rc = rc ? rc : store_org_by_id(c, u.org_id, org);
    if (!rc) {
        who->user_id = u.id;
        memcpy(who->user_uid, u.uid, sizeof(who->user_uid));
        who->org_id = u.org_id;
        memcpy(who->org_uid, org->uid, sizeof(who->org_uid));
    }
    return rc;
}

struct import_job {
    const unsigned char *file;
    size_t len;
    const char *key;
    const char *email;
    struct verr v;
    struct transfer_import_out out;
};

/* A refused import is audited in its own transaction (the import's was rolled back): a denial
 * for a role that may not import, a failure for a package, key or replay refused. */
static void import_refusal_audit(struct store_conn *c, struct audit_ctx *actx, enum err rc,
                                 const struct import_job *j)
{
    if (rc == ERR_FORBIDDEN) {
        audit_note_denial(actx, NULL, "access_denied", "transfer");
    } else if (rc == ERR_INVALID || rc == ERR_TOO_LARGE || rc == ERR_CONFLICT) {
        audit_note_failure(actx, j->out.existing_pid[0] ? j->out.existing_pid : NULL, "transfer_in",
                           "dossier");
    }
    if (audit_flush_denial(c, actx)) {
        fputs("veerkracht: the refusal could not be audited\n", stderr);
    }
}

static enum err import_tx(struct store_conn *c, const struct keyring *kr, struct import_job *j)
{
    struct screen_registry *reg = NULL;
    struct principal who = {0};
    struct org_row org;
    struct audit_ctx actx = {0};
    char request_id[STORE_UID_LEN + 1];
    enum err rc = store_begin(c, true);

    sec_random_hex(16, request_id);
    actx.request_id = request_id;
    actx.role = "operator";
    actx.source_addr = "cli";
    actx.keys = kr;

    rc = rc ? rc : screen_registry_load(c, &reg);
    rc = rc ? rc : importer(c, j->email, &who, &org);
    if (rc == ERR_NOT_FOUND) {
        fprintf(stderr, "veerkracht: no professional with the email '%s'\n", j->email);
    }
    if (!rc) {
        actx.user_uid = who.user_uid;
        actx.role = acct_role_name(who.role);
        actx.org_uid = who.org_uid;
    }
    if (!rc && (consent_role_ceiling(who.role) & ~(uint32_t)SCOPE_CLINICAL) == 0) {
        fprintf(stderr, "veerkracht: role %s may not register clients\n", acct_role_name(who.role));
        rc = ERR_FORBIDDEN;
    }
    if (!rc) {
        struct transfer_import_in in = {j->file, j->len,           j->key, strlen(j->key),
                                        &who,    instrument_known, reg,    screen_transfer_score};
        rc = transfer_import(c, &actx, &in, &j->v, &j->out);
    }
    rc = rc ? rc : store_commit(c);
    if (rc) {
        store_rollback(c);
        import_refusal_audit(c, &actx, rc == ERR_NOT_FOUND ? ERR_FORBIDDEN : rc, j);
    }
    screen_registry_free(reg);
    return rc;
}

/* The key: the flag's value, or one line of standard input for "-". */
static int read_key(const char *flag, char *out, size_t size)
{
    size_t n;

    if (strcmp(flag, "-")) {
        snprintf(out, size, "%s", flag);
        return strlen(flag) < size ? 0 : 1;
    }
    if (!fgets(out, (int)size, stdin)) {
        return 1;
    }
    n = strlen(out);
    while (n && (out[n - 1] == '\n' || out[n - 1] == '\r')) {
        out[--n] = '\0';
    }
    return 0;
}

static void print_import(const struct transfer_import_out *o)
{
    char shown[ACCT_CARD_DISPLAY_CHARS + 1];
    const json_t *res = o->result, *x;
    size_t i;

    acct_card_code_display(o->card_code, shown);
    printf("client %s\n", o->client.pid);
    printf("from %s (fingerprint %s)\n",
           json_string_value(json_object_get(json_object_get(res, "sender"), "name")),
           json_string_value(json_object_get(json_object_get(res, "sender"), "fingerprint")));
    json_array_foreach(json_object_get(res, "grant_requests"), i, x)
    {
        printf("grant request %s for %s\n", json_string_value(json_object_get(x, "id")),
               json_string_value(json_object_get(json_object_get(x, "organization"), "name")));
    }
    json_array_foreach(json_object_get(res, "unknown_orgs"), i, x)
    {
        printf("unknown organisation %s\n", json_string_value(x));
    }
    printf("login card %s (give it to the client in person)\n", shown);
    sec_memzero(shown, sizeof(shown));
}

static int import_report(enum err rc, struct import_job *j)
{
    if (rc == ERR_INVALID) {
        for (size_t i = 0; i < j->v.n; i++) {
            fprintf(stderr, "veerkracht: %s: %s\n", j->v.items[i].pointer, j->v.items[i].detail);
        }
        return 1;
    }
    if (rc == ERR_CONFLICT) {
        char text[160];
        transfer_conflict_text(&j->out, text, sizeof(text));
        fprintf(stderr, "veerkracht: %s\n", text);
        return 1;
    }
    if (rc) {
        if (rc != ERR_NOT_FOUND && rc != ERR_FORBIDDEN) {
            fprintf(stderr, "veerkracht: import-transfer failed: %s\n",
                    rc == ERR_TOO_LARGE ? "the file is larger than a package can be"
                                        : err_title(rc));
        }
        return 1;
    }
    print_import(&j->out);
    return 0;
}

static int cmd_import(int argc, char **argv)
{
    const char *db = cli__flag_value(argc, argv, "--db");
    const char *keyflag = cli__flag_value(argc, argv, "--key");
    const char *email = cli__flag_value(argc, argv, "--user");
    const char *path = argc > 2 ? argv[argc - 1] : NULL;
    struct buf file = BUF_INIT(TRANSFER_MAX_BYTES + 1);
    struct import_job j = {0};
    char key[SEC_TKEY_INPUT_MAX + 1];
    struct cli_db d = {0};
    struct store_conn *c;
    enum err rc;

    if (!db || !keyflag || !email || !path || !strncmp(path, "--", 2)) {
        return cli__usage_error(usage_dossier, "%s",
                                "import-transfer needs --db, --key, --user and FILE");
    }
    if (read_key(keyflag, key, sizeof(key))) {
        fputs("veerkracht: the transfer key is missing or too long\n", stderr);
        return 1;
    }
    rc = buf_read_file(&file, path);
    if (rc) {
        fprintf(stderr, "veerkracht: %s: %s\n", path,
                rc == ERR_TOO_LARGE ? "larger than a package can be" : "cannot read");
        buf_release(&file);
        return 1;
    }
    if (db_open(db, cli__flag_value(argc, argv, "--key-file"), &d)) {
        buf_release(&file);
        return 1;
    }
    j.file = (const unsigned char *)file.ptr;
    j.len = file.len;
    j.key = key;
    j.email = email;
    c = store_acquire(d.st);
    rc = import_tx(c, d.kr, &j);
    store_release(d.st, c);
    db_close(&d);
    sec_memzero(key, sizeof(key));
    buf_release(&file);
    rc = import_report(rc, &j) ? ERR_INVALID : ERR_OK;
    transfer_import_release(&j.out);
    return rc ? 1 : 0;
}

int cli__dossier(int argc, char **argv)
{
    if (argc < 2 || cli__is_help(argv[1])) {
        fputs(usage_dossier, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (!strcmp(argv[1], "export-transfer")) {
        return cmd_export(argc, argv);
    }
    if (!strcmp(argv[1], "import-transfer")) {
        return cmd_import(argc, argv);
    }
    return cli__usage_error(usage_dossier, "unknown dossier command '%s'", argv[1]);
}
