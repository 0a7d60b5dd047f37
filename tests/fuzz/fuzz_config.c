/* SPDX-License-Identifier: EUPL-1.2 */
/* libFuzzer target: the configuration file parser. */
#include "core/compat.h"

#include "core/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct config c;
    char err[256];
    config_defaults(&c);
    (void)config_parse(&c, (const char *)data, size, err, sizeof(err));
    return 0;
}
