/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Password policy (ASVS 4.0.3 2.1): 12 to 128 characters, any characters, no composition
 * rules, and not on the shipped list of common passwords (data/common-passwords.txt).
 */
#include "core/compat.h"

#include <pthread.h>

#include "accounts/accounts.h"
#include "core/embed.h"
#include "core/mem.h"
#include "core/str.h"

static struct str *pw_list;
static size_t pw_count;
static pthread_once_t pw_once = PTHREAD_ONCE_INIT;

static int pw_cmp(const void *a, const void *b)
{
    const struct str *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->p, y->p, n);
    return c ? c : (x->len < y->len ? -1 : (x->len > y->len ? 1 : 0));
}

static void pw_list_free(void)
{
    free(pw_list);
    pw_list = NULL;
}

static void pw_list_load(void)
{
    const struct embed_file *f =
        embed_find(data_files, data_files_count, "common-passwords.txt", 20);
    struct str all;
    size_t cap = 0;

    if (!f) {
        BUG("common-passwords.txt is not embedded");
    }
    all.p = (const char *)f->data;
    all.len = f->len;
    while (all.len) {
        struct str line = str_split(&all, '\n');
        if (line.len == 0 || line.p[0] == '#') {
            continue;
        }
        if (pw_count == cap) {
            cap = cap ? cap * 2 : 4096;
            pw_list = xrealloc(pw_list, st_mult(cap, sizeof(*pw_list)));
        }
        pw_list[pw_count++] = line;
    }
    qsort(pw_list, pw_count, sizeof(*pw_list), pw_cmp);
    atexit(pw_list_free);
}

static size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            n++;
        }
    }
    return n;
}

enum acct_pw_problem acct_password_check(const char *pw, size_t len)
{
    size_t chars;
    char lower[4 * ACCT_PW_MAX + 1];
    struct str key;

    if (!str_is_clean_utf8(pw, len, false)) {
        return PW_BAD_CHARS;
    }
    chars = utf8_chars(pw, len);
    if (chars < ACCT_PW_MIN) {
        return PW_TOO_SHORT;
    }
    if (chars > ACCT_PW_MAX || len >= sizeof(lower)) {
        return PW_TOO_LONG;
    }
    pthread_once(&pw_once, pw_list_load);
    str_lower_ascii(pw, len, lower);
    key.p = lower;
    key.len = len;
    if (bsearch(&key, pw_list, pw_count, sizeof(*pw_list), pw_cmp)) {
        return PW_COMMON;
    }
    return PW_OK;
}

const char *acct_pw_problem_text(enum acct_pw_problem p)
{
    switch (p) {
    case PW_OK:
        return "ok";
    case PW_TOO_SHORT:
        return "password must be at least 12 characters";
    case PW_TOO_LONG:
        return "password must be at most 128 characters";
    case PW_COMMON:
        return "password is too common; choose another";
    case PW_BAD_CHARS:
        return "password contains invalid characters";
    }
    return "invalid password";
}
