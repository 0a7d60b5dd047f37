/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * libFuzzer target: the HSDS format layer. The input is tried as a JSON service_package (parse,
 * check, canonical dump) and as a CSV datapackage whose tables are separated by "\n%%\n" in the
 * order of `tables` below (read, check, dump). Oracles beyond the sanitizers: a package that
 * passes the check passes it again unchanged, and its canonical dump parses back to equal data.
 */
#include "core/compat.h"

#include "core/buf.h"
#include "directory/hsds.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const tables[] = {
    "services.csv",
    "organizations.csv",
    "locations.csv",
    "service_at_location.csv",
    "contacts.csv",
    "phones.csv",
    "attributes.csv",
    "taxonomy_terms.csv",
    "cost_options.csv",
    "schedules.csv",
    "languages.csv",
    "service_areas.csv",
    "required_documents.csv",
    "taxonomies.csv",
    "metadata.csv",
    "programs.csv",
    "funding.csv",
    "addresss.csv",
};

static void check_and_dump(json_t *pkg)
{
    struct verr v = {0};
    struct buf a = BUF_INIT(64u << 20), b = BUF_INIT(64u << 20);
    json_t *back;

    if (hsds_check_package(pkg, &v) != ERR_OK) {
        hsds_dump_package(pkg, &a); /* must not crash on what failed the check either */
        buf_release(&a);
        return;
    }
    if (hsds_dump_package(pkg, &a) == ERR_OK) {
        back = json_loadb(a.ptr, a.len, 0, NULL);
        if (!back || !json_equal(back, pkg)) {
            BUG("canonical dump does not read back to the same package");
        }
        if (hsds_check_package(back, &v) != ERR_OK || hsds_dump_package(back, &b) != ERR_OK ||
            a.len != b.len || memcmp(a.ptr, b.ptr, a.len) != 0) {
            BUG("check is not idempotent on a valid package");
        }
        json_decref(back);
    }
    buf_release(&a);
    buf_release(&b);
}

static void try_csv(const char *p, size_t size)
{
    static const char mark[] = "\n%%\n";
    struct hsds_csv_file files[ARRAY_SIZE(tables)];
    struct verr v = {0};
    json_t *pkg = NULL;
    size_t n = 0, start = 0;

    for (size_t i = 0; i + 4 <= size && n + 1 < ARRAY_SIZE(tables); i++) {
        if (memcmp(p + i, mark, 4) == 0) {
            files[n] = (struct hsds_csv_file){tables[n], p + start, i + 1 - start};
            n++;
            start = i + 4;
            i += 3;
        }
    }
    files[n] = (struct hsds_csv_file){tables[n], p + start, size - start};
    n++;
    if (hsds_csv_load_files(files, n, &pkg, &v) == ERR_OK) {
        check_and_dump(pkg);
    }
    json_decref(pkg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *pkg = json_loadb((const char *)data, size, 0, NULL);
    if (pkg) {
        check_and_dump(pkg);
        json_decref(pkg);
    }
    try_csv((const char *)data, size);
    return 0;
}
