/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * libFuzzer target: a transfer package as an importing installation receives it (docs/dossier.md
 * §5), and the transfer key as a person types it. Input: "<key text>\n<package bytes>" (no
 * newline in the first 300 bytes: all of it is the package, opened with a fixed key). Layout,
 * canonical header, signature and sealed body must refuse anything wrong without crashing; an
 * opened package must hold a JSON object, and a key that reads must print back to itself.
 */
#include "core/compat.h"

#include <jansson.h>

#include "core/sec.h"
#include "dossier/dossier.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char FIXED_KEY[] = "AAAQ-EAYE-AUDA-OCAJ-BIFQ-YDIO-B4IB-CEQT-CQKR-MFYY-DENB-WHA5-DYPQ";

static void key_round_trip(const char *text, size_t len)
{
    struct sec_key *k = NULL, *again = NULL;
    char shown[SEC_TKEY_TEXT_LEN + 1], back[SEC_TKEY_TEXT_LEN + 1];

    if (sec_key_from_text(text, len, &k)) {
        return;
    }
    sec_key_text(k, shown);
    if (sec_key_from_text(shown, strlen(shown), &again)) {
        abort();
    }
    sec_key_text(again, back);
    if (strcmp(shown, back)) {
        abort();
    }
    sec_key_free(again);
    sec_key_free(k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool ready;
    const uint8_t *nl = memchr(data, '\n', size < 300 ? size : 300);
    const char *key = nl ? (const char *)data : FIXED_KEY;
    size_t key_len = nl ? (size_t)(nl - data) : strlen(FIXED_KEY);
    const uint8_t *file = nl ? nl + 1 : data;
    size_t len = nl ? size - (size_t)(nl - data) - 1 : size;
    struct transfer_peek peek;
    struct verr v = {0};
    json_t *body = NULL;

    if (!ready) {
        ready = sec_init() == ERR_OK;
    }
    key_round_trip(key, key_len);
    if (transfer_package_open(file, len, key, key_len, &v, &peek, &body) == ERR_OK &&
        (!json_is_object(body) || !peek.package_id[0] || !peek.fingerprint[0])) {
        abort();
    }
    json_decref(body);
    return 0;
}
