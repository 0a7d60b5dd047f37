/* SPDX-License-Identifier: EUPL-1.2 */
/* Entry point: everything happens in cli_main(), so that tests can link the same code. */
#include "core/compat.h"

#include "cli/cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
