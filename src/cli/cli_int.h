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

#endif
