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

/* ---- keys and authenticated encryption (XChaCha20-Poly1305 IETF) ------------------------- */
#define SEC_KEY_BYTES     32
#define SEC_NONCE_BYTES   24
#define SEC_MAC_BYTES     16
#define SEC_SEAL_OVERHEAD (SEC_NONCE_BYTES + SEC_MAC_BYTES)
/* A wrapped key: a key sealed under another key. */
#define SEC_WRAPPED_BYTES (SEC_KEY_BYTES + SEC_SEAL_OVERHEAD)

/*
 * A 256-bit key in libsodium guarded memory: its own pages with guard pages around them, locked
 * against swapping where the system allows, read-only after creation, zeroed when freed.
 * Owned by whoever created it; free with sec_key_free().
 */
struct sec_key;
enum err sec_key_random(struct sec_key **out);
/* Copies 32 bytes into a new guarded key; the caller should wipe its copy. */
enum err sec_key_from_bytes(const unsigned char in[SEC_KEY_BYTES], struct sec_key **out);
/* 64 hexadecimal digits (surrounding white space allowed); ERR_INVALID otherwise. */
enum err sec_key_from_hex(const char *hex, size_t len, struct sec_key **out);
void sec_key_free(struct sec_key *k); /* NULL is a no-op */
/* Writes the key as 64 lowercase hex digits + NUL into out (for key files only). */
void sec_key_hex(const struct sec_key *k, char out[2 * SEC_KEY_BYTES + 1]);

/*
 * Seals pt with a fresh random 192-bit nonce: out gets nonce || ciphertext || tag, ptlen +
 * SEC_SEAL_OVERHEAD bytes (outsize must be at least that). The associated data `ad` is
 * authenticated, not stored: the reader must present the same bytes.
 */
enum err sec_seal(const struct sec_key *k, const void *ad, size_t adlen, const void *pt,
                  size_t ptlen, unsigned char *out, size_t outsize);
/*
 * Opens what sec_seal() wrote. ERR_CORRUPT when the key, the associated data or any byte is
 * wrong (never partial or wrong plaintext); *ptlen gets inlen - SEC_SEAL_OVERHEAD. pt may be
 * NULL only when that length is 0.
 */
enum err sec_open(const struct sec_key *k, const void *ad, size_t adlen, const unsigned char *in,
                  size_t inlen, unsigned char *pt, size_t ptsize, size_t *ptlen);
/*
 * Wraps key under kek (out: SEC_WRAPPED_BYTES) / unwraps into a guarded key: the calling thread's
 * reusable slot when it is free (locked once, read-only while it holds the key, wiped by
 * sec_key_free()), else a new guarded key. An unwrapped key must be freed by the thread that
 * unwrapped it, and soon: the slot holds one key at a time.
 */
enum err sec_key_wrap(const struct sec_key *kek, const void *ad, size_t adlen,
                      const struct sec_key *key, unsigned char out[SEC_WRAPPED_BYTES]);
enum err sec_key_unwrap(const struct sec_key *kek, const void *ad, size_t adlen,
                        const unsigned char in[SEC_WRAPPED_BYTES], struct sec_key **out);

/*
 * The master key file: one line "vk-master-key-v1 <64 hex digits>". Refused (ERR_INVALID, *why
 * set) when group or others may read or write it, or when it is not a regular file. With
 * create, a missing file is made with mode 0600 (O_EXCL, so two starters cannot race).
 */
enum err sec_key_file_load(const char *path, bool create, struct sec_key **out, const char **why);

/* Turns core dumps off (RLIMIT_CORE 0, PR_SET_DUMPABLE 0): keys must not land in a dump file. */
enum err sec_harden_process(void);
/* True when both settings are in force (the start-up self-check). */
bool sec_process_hardened(void);

/* ---- signatures and transfer keys (dossier transfer packages, docs/dossier.md §5) ---------- */
#define SEC_SIGN_PK_BYTES  32 /* Ed25519 public key */
#define SEC_SIGN_BYTES     64 /* detached signature */
#define SEC_TKEY_GROUPS    13 /* a transfer key as text: 13 groups of 4 base32 characters */
#define SEC_TKEY_TEXT_LEN  (SEC_TKEY_GROUPS * 5 - 1)
#define SEC_TKEY_INPUT_MAX 256 /* bytes of typed key accepted before normalising */
#define SEC_FPR_TEXT_LEN   19  /* "XXXX-XXXX-XXXX-XXXX": 80 bits of BLAKE2b(public key) */

/*
 * An installation's Ed25519 signing key, derived from the master key (crypto_kdf, context
 * "vksign01", subkey 1, as the seed of crypto_sign_seed_keypair): the same master key always
 * gives the same key pair, a rotated master key a new one. The secret half lives in guarded
 * memory. Owned by the caller; free with sec_signer_free().
 */
struct sec_signer;
enum err sec_signer_derive(const struct sec_key *master, struct sec_signer **out);
void sec_signer_free(struct sec_signer *s); /* NULL is a no-op */
void sec_signer_public(const struct sec_signer *s, unsigned char pk[SEC_SIGN_PK_BYTES]);
void sec_sign(const struct sec_signer *s, const void *msg, size_t len,
              unsigned char sig[SEC_SIGN_BYTES]);
/* True only when sig is pk's signature over msg. */
bool sec_sign_verify(const unsigned char pk[SEC_SIGN_PK_BYTES], const void *msg, size_t len,
                     const unsigned char sig[SEC_SIGN_BYTES]);
/* The fingerprint people compare: BLAKE2b-256 of pk, first 80 bits, base32 in 4 groups. */
void sec_sign_fingerprint(const unsigned char pk[SEC_SIGN_PK_BYTES],
                          char out[SEC_FPR_TEXT_LEN + 1]);

/*
 * A key as text for people: RFC 4648 base32 (A-Z, 2-7) without padding, 52 characters in 13
 * groups of 4 joined by '-'. Reading ignores case, spaces and hyphens; ERR_INVALID for anything
 * else, a wrong length or non-zero padding bits.
 */
void sec_key_text(const struct sec_key *k, char out[SEC_TKEY_TEXT_LEN + 1]);
enum err sec_key_from_text(const char *text, size_t len, struct sec_key **out);

/* Standard base64 (RFC 4648 §4, with padding), for binary values inside JSON. encode: out gets
 * NUL-terminated text, outsize >= sec_base64_len(n). decode: strict (no white space, zero padding
 * bits); ERR_INVALID for bad text, ERR_TOO_LARGE when it does not fit outsize. */
size_t sec_base64_len(size_t n);
void sec_base64_encode(const unsigned char *in, size_t n, char *out, size_t outsize);
enum err sec_base64_decode(const char *text, size_t len, unsigned char *out, size_t outsize,
                           size_t *outlen);

#endif
