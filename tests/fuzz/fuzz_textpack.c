/* SPDX-License-Identifier: EUPL-1.2 */
/* libFuzzer target: item-text packs merged into the shipped adult instrument, then re-validated. */
#include "core/compat.h"

#include "core/embed.h"
#include "core/sec.h"
#include "screening/screening.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct screen_instrument *base;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static const char path[] = "instruments/vk-signal-adult.json";
    const struct embed_file *f = embed_find(data_files, data_files_count, path, sizeof(path) - 1);
    struct verr v = {0};
    (void)argc;
    (void)argv;
    if (sec_init() || !f || screen_load_bytes((const char *)f->data, f->len, &base, &v)) {
        return 1;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *pack = json_loadb((const char *)data, size, 0, NULL), *merged = NULL;
    struct screen_instrument in;
    struct verr v = {0};

    if (pack && screen_text_pack_apply(base->doc, pack, &merged, &v) == ERR_OK &&
        screen_parse(merged, &in, &v) == ERR_OK) {
        json_decref(in.doc);
    }
    json_decref(merged);
    json_decref(pack);
    return 0;
}
