/* SPDX-License-Identifier: EUPL-1.2 */
/* The subcommands of the veerkracht binary. Each returns the process exit status. */
#ifndef VK_CLI_H
#define VK_CLI_H

int cli_main(int argc, char **argv);

#endif
