/* SPDX-License-Identifier: EUPL-1.2 */
/* libFuzzer target: the request-body parser with its caps (depth, strings, items, pointers). */
#include "core/compat.h"

#include "api/api_int.h"
#include "core/sec.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return sec_init() == ERR_OK ? 0 : 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct api_req r;
    json_t *obj = NULL;

    api_req_init(&r);
    r.content_type = "application/json; charset=utf-8";
    r.body = (const char *)data;
    r.body_len = size;
    if (api__body_object(&r, &obj) == ERR_OK) {
        static const char *const allowed[] = {"email", "password", NULL};
        api__reject_unknown(obj, allowed, &r.verr);
        (void)api__string(obj, "email", 320, true, &r.verr);
        json_decref(obj);
    }
    api_req_release(&r);
    return 0;
}
