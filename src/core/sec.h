/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Security primitives: the only user of libsodium. Random tokens, BLAKE2b hashing, argon2id
 * password hashing and constant-time comparison. sec_init() must succeed before anything else.
 */
#ifndef VK_SEC_H
#define VK_SEC_H

#include "core/compat.h"
#include "core/err.h"

#define SEC_HASH_BYTES  32
#define SEC_TOKEN_BYTES 32
/* Room for crypto_pwhash_STRBYTES (128). */
#define SEC_PWHASH_MAX 128

enum err sec_init(void);
void sec_random(void *out, size_t len);
/* 0 <= result < upper, uniform. */
uint32_t sec_uniform(uint32_t upper);
/* A random id of `bytes` bytes as lowercase hex into out (size >= 2*bytes+1). */
void sec_random_hex(size_t bytes, char *out);
/* BLAKE2b-256 of data into out[SEC_HASH_BYTES]. */
void sec_hash(const void *data, size_t len, unsigned char out[SEC_HASH_BYTES]);

/* Incremental BLAKE2b-256; the state is opaque storage large enough for libsodium's. */
struct sec_hasher {
    _Alignas(64) unsigned char state[384];
};
void sec_hasher_init(struct sec_hasher *h);
void sec_hasher_update(struct sec_hasher *h, const void *data, size_t len);
void sec_hasher_final(struct sec_hasher *h, unsigned char out[SEC_HASH_BYTES]);

/* argon2id with libsodium's interactive limits. out gets a NUL-terminated encoded string. */
enum err sec_pw_hash(const char *pw, size_t len, char out[SEC_PWHASH_MAX]);
bool sec_pw_verify(const char *encoded, const char *pw, size_t len);
/* Spends the time of a verify against a fixed hash, for unknown accounts. */
void sec_pw_dummy_verify(const char *pw, size_t len);
bool sec_memeq(const void *a, const void *b, size_t len);
void sec_memzero(void *p, size_t len);

#endif
