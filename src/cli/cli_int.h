/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * What the command-line files share (cli.c, cli_map.c): argument helpers, opening the store,
 * and the subcommands that live outside cli.c. Nothing outside src/cli/ includes this header.
 */
#ifndef VK_CLI_INT_H
#define VK_CLI_INT_H

#include "core/compat.h"
#include "storage/store.h"

/* True for "--help", "-h" and "help". */
bool cli__is_help(const char *a);
/* Prints "veerkracht: <message>", a blank line and usage to stderr; returns exit status 2. */
int cli__usage_error(const char *usage, const char *fmt, ...) VK_PRINTF(2, 3);
/* The argument after the first "--name"; NULL when absent or when it is the last argument. */
const char *cli__flag_value(int argc, char **argv, const char *name);
/*
 * Opens the database at path with nconns connections and migrates it. 0 with *st set (close
 * with store_close()); 1 after printing why, with *st NULL.
 */
int cli__open_store(const char *path, int nconns, struct store **st);

/* `veerkracht map import|export|area` (cli_map.c); argv[0] is "map". Returns the exit status. */
int cli__map(int argc, char **argv);
/* `veerkracht route check` (cli_route.c); argv[0] is "route". Returns the exit status. */
int cli__route(int argc, char **argv);
/* Loads and activates the route-map rules of the routing_rules setting ("" for the built-in
 * ones), printing each problem; 0 on success, 1 when the server must not start. */
struct screen_registry;
int cli__route_rules(const char *path, const struct screen_registry *reg);

/* ---- keys (cli_keys.c) ---- */
struct sec_key;
struct keyring;
/* The key file in use: key_file when set, else "<db_path>.key". */
void cli__key_file_path(const char *key_file, const char *db_path, char *out, size_t size);
/* The master key: $VEERKRACHT_MASTER_KEY (64 hex digits) when set, else the key file (made with
 * mode 0600 when missing and create is true). 0 with *out owned, or 1 after printing why. */
int cli__master_key(const char *key_file, const char *db_path, bool create, struct sec_key **out);
/* keys_open() on a connection of st; takes kek. 0, or 1 after printing why. */
int cli__keyring_open(struct store *st, struct sec_key *kek, struct keyring **out);
/* Core dumps off and checked (sec_harden_process); 0, or 1 after printing why. */
int cli__harden(void);
/* `veerkracht key rotate` and `veerkracht backup`; argv[0] is "key" / "backup". */
int cli__key(int argc, char **argv);
int cli__backup(int argc, char **argv);
/* `veerkracht dossier export-transfer|import-transfer` (cli_transfer.c); argv[0] is "dossier". */
int cli__dossier(int argc, char **argv);
/* For serve: the master key, the keyring check, and sealing what an older version left in plain
 * text. 0 with *out owned (keys_close()), or 1 after printing why. */
int cli__serve_keys(const char *key_file, const char *db_path, struct store *st,
                    struct keyring **out);

#endif
