/* SPDX-License-Identifier: EUPL-1.2 */
/* Thin, checked wrappers over libsodium. */
#include "core/compat.h"

#include <pthread.h>
#include <sodium.h>

#include "core/sec.h"
#include "core/str.h"

_Static_assert(sizeof(crypto_generichash_state) <= sizeof(((struct sec_hasher *)0)->state),
               "sec_hasher too small");
_Static_assert(crypto_pwhash_STRBYTES <= SEC_PWHASH_MAX, "SEC_PWHASH_MAX too small");

static char sec_dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t sec_dummy_once = PTHREAD_ONCE_INIT;

enum err sec_init(void)
{
    return sodium_init() < 0 ? ERR_INTERNAL : ERR_OK;
}

void sec_random(void *out, size_t len)
{
    randombytes_buf(out, len);
}

uint32_t sec_uniform(uint32_t upper)
{
    return randombytes_uniform(upper);
}

void sec_random_hex(size_t bytes, char *out)
{
    unsigned char raw[64];
    if (bytes > sizeof(raw)) {
        BUG("sec_random_hex: %zu bytes", bytes);
    }
    randombytes_buf(raw, bytes);
    str_hex(raw, bytes, out);
}

void sec_hash(const void *data, size_t len, unsigned char out[SEC_HASH_BYTES])
{
    crypto_generichash(out, SEC_HASH_BYTES, data, len, NULL, 0);
}

void sec_hasher_init(struct sec_hasher *h)
{
    crypto_generichash_init((crypto_generichash_state *)h->state, NULL, 0, SEC_HASH_BYTES);
}

void sec_hasher_update(struct sec_hasher *h, const void *data, size_t len)
{
    crypto_generichash_update((crypto_generichash_state *)h->state, data, len);
}

void sec_hasher_final(struct sec_hasher *h, unsigned char out[SEC_HASH_BYTES])
{
    crypto_generichash_final((crypto_generichash_state *)h->state, out, SEC_HASH_BYTES);
}

enum err sec_pw_hash(const char *pw, size_t len, char out[SEC_PWHASH_MAX])
{
    if (crypto_pwhash_str(out, pw, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        return ERR_NOMEM;
    }
    return ERR_OK;
}

bool sec_pw_verify(const char *encoded, const char *pw, size_t len)
{
    return crypto_pwhash_str_verify(encoded, pw, len) == 0;
}

static void sec_dummy_init(void)
{
    static const char pw[] = "veerkracht dummy password for timing";
    if (crypto_pwhash_str(sec_dummy_hash, pw, sizeof(pw) - 1, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        sec_dummy_hash[0] = '\0';
    }
}

void sec_pw_dummy_verify(const char *pw, size_t len)
{
    pthread_once(&sec_dummy_once, sec_dummy_init);
    if (sec_dummy_hash[0] && crypto_pwhash_str_verify(sec_dummy_hash, pw, len) == 0) {
        /* only the time spent matters; a match with the dummy grants nothing */
        return;
    }
}

bool sec_memeq(const void *a, const void *b, size_t len)
{
    return sodium_memcmp(a, b, len) == 0;
}

void sec_memzero(void *p, size_t len)
{
    sodium_memzero(p, len);
}
