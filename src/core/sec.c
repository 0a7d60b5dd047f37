/* SPDX-License-Identifier: EUPL-1.2 */
/* Thin, checked wrappers over libsodium. */
#include "core/compat.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* ---- keys and authenticated encryption ------------------------------------------------------ */
_Static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == SEC_KEY_BYTES, "key size");
_Static_assert(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES == SEC_NONCE_BYTES, "nonce size");
_Static_assert(crypto_aead_xchacha20poly1305_ietf_ABYTES == SEC_MAC_BYTES, "tag size");

#define SEC_KEY_FILE_TAG "vk-master-key-v1"

struct sec_key {
    unsigned char *bytes; /* sodium_malloc'd, read-only after creation */
    bool slot;            /* the thread's reusable slot: sec_key_free() wipes, keeps the pages */
};

/*
 * Each thread's reusable guarded slot for unwrapped keys. A fresh guarded key costs about ten
 * system calls (mmap, guard-page mprotects, mlock, then munlock, munmap on free); the slot is
 * allocated once, stays mapped and locked, and a key in it costs two: mprotect read-only once
 * the key is in, mprotect read-write to wipe it on release. Idle, the slot holds zeros. One key
 * at a time: a second unwrap while the slot is held gets a fresh guarded key.
 */
struct sec_slot {
    struct sec_key key;
    bool busy;
};
static _Thread_local struct sec_slot sec_slot;
static pthread_key_t sec_slot_tls;
static pthread_once_t sec_slot_once = PTHREAD_ONCE_INIT;
static bool sec_slot_tls_ok;

static void sec_slot_destroy(void *p)
{
    struct sec_slot *s = p;
    sodium_free(s->key.bytes); /* zeroes before unmapping */
    s->key.bytes = NULL;
    s->busy = false;
}

static void sec_slot_tls_init(void)
{
    sec_slot_tls_ok = pthread_key_create(&sec_slot_tls, sec_slot_destroy) == 0;
}

/* The thread's slot, writable and zeroed, marked busy; NULL when it is held or cannot be made. */
static struct sec_key *sec_slot_take(void)
{
    struct sec_slot *s = &sec_slot;

    if (s->busy) {
        return NULL;
    }
    if (!s->key.bytes) {
        pthread_once(&sec_slot_once, sec_slot_tls_init);
        if (!sec_slot_tls_ok) {
            return NULL;
        }
        s->key.bytes = sodium_malloc(SEC_KEY_BYTES);
        if (!s->key.bytes) {
            return NULL;
        }
        s->key.slot = true;
        (void)pthread_setspecific(sec_slot_tls, s); /* freed when the thread ends */
    }
    s->busy = true;
    return &s->key;
}

/* Wipes the slot. Freed by another thread than its own (a misuse), that slot stays marked busy
 * and is never reused: its thread falls back to fresh guarded keys. */
static void sec_slot_release(struct sec_key *k)
{
    sodium_mprotect_readwrite(k->bytes);
    sodium_memzero(k->bytes, SEC_KEY_BYTES);
    if (k == &sec_slot.key) {
        sec_slot.busy = false;
    }
}

static enum err sec_key_alloc(struct sec_key **out)
{
    struct sec_key *k = calloc(1, sizeof(*k));
    if (!k) {
        return ERR_NOMEM;
    }
    k->bytes = sodium_malloc(SEC_KEY_BYTES);
    if (!k->bytes) {
        free(k);
        return ERR_NOMEM;
    }
    *out = k;
    return ERR_OK;
}

static void sec_key_seal_memory(struct sec_key *k)
{
    sodium_mprotect_readonly(k->bytes);
}

enum err sec_key_random(struct sec_key **out)
{
    enum err rc = sec_key_alloc(out);
    if (rc == ERR_OK) {
        randombytes_buf((*out)->bytes, SEC_KEY_BYTES);
        sec_key_seal_memory(*out);
    }
    return rc;
}

enum err sec_key_from_bytes(const unsigned char in[SEC_KEY_BYTES], struct sec_key **out)
{
    enum err rc = sec_key_alloc(out);
    if (rc == ERR_OK) {
        memcpy((*out)->bytes, in, SEC_KEY_BYTES);
        sec_key_seal_memory(*out);
    }
    return rc;
}

enum err sec_key_from_hex(const char *hex, size_t len, struct sec_key **out)
{
    unsigned char raw[SEC_KEY_BYTES];
    size_t got = 0;
    const char *end = NULL;
    enum err rc = ERR_INVALID;

    *out = NULL;
    while (len && (hex[len - 1] == '\n' || hex[len - 1] == '\r' || hex[len - 1] == ' ')) {
        len--;
    }
    while (len && (*hex == ' ' || *hex == '\t')) {
        hex++;
        len--;
    }
    if (len == 2 * SEC_KEY_BYTES &&
        sodium_hex2bin(raw, sizeof(raw), hex, len, NULL, &got, &end) == 0 && got == SEC_KEY_BYTES &&
        end == hex + len) {
        rc = sec_key_from_bytes(raw, out);
    }
    sodium_memzero(raw, sizeof(raw));
    return rc;
}

void sec_key_free(struct sec_key *k)
{
    if (!k) {
        return;
    }
    if (k->slot) {
        sec_slot_release(k);
        return;
    }
    sodium_free(k->bytes); /* zeroes before unmapping */
    free(k);
}

void sec_key_hex(const struct sec_key *k, char out[2 * SEC_KEY_BYTES + 1])
{
    sodium_bin2hex(out, 2 * SEC_KEY_BYTES + 1, k->bytes, SEC_KEY_BYTES);
}

enum err sec_seal(const struct sec_key *k, const void *ad, size_t adlen, const void *pt,
                  size_t ptlen, unsigned char *out, size_t outsize)
{
    unsigned long long clen = 0;
    if (ptlen > SIZE_MAX - SEC_SEAL_OVERHEAD || outsize < ptlen + SEC_SEAL_OVERHEAD) {
        return ERR_INTERNAL;
    }
    randombytes_buf(out, SEC_NONCE_BYTES);
    if (crypto_aead_xchacha20poly1305_ietf_encrypt(out + SEC_NONCE_BYTES, &clen, pt, ptlen, ad,
                                                   adlen, NULL, out, k->bytes) != 0) {
        return ERR_INTERNAL;
    }
    return ERR_OK;
}

enum err sec_open(const struct sec_key *k, const void *ad, size_t adlen, const unsigned char *in,
                  size_t inlen, unsigned char *pt, size_t ptsize, size_t *ptlen)
{
    unsigned long long mlen = 0;
    if (inlen < SEC_SEAL_OVERHEAD) {
        return ERR_CORRUPT;
    }
    if (ptsize < inlen - SEC_SEAL_OVERHEAD) {
        return ERR_INTERNAL;
    }
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(pt, &mlen, NULL, in + SEC_NONCE_BYTES,
                                                   inlen - SEC_NONCE_BYTES, ad, adlen, in,
                                                   k->bytes) != 0) {
        return ERR_CORRUPT;
    }
    *ptlen = (size_t)mlen;
    return ERR_OK;
}

enum err sec_key_wrap(const struct sec_key *kek, const void *ad, size_t adlen,
                      const struct sec_key *key, unsigned char out[SEC_WRAPPED_BYTES])
{
    return sec_seal(kek, ad, adlen, key->bytes, SEC_KEY_BYTES, out, SEC_WRAPPED_BYTES);
}

enum err sec_key_unwrap(const struct sec_key *kek, const void *ad, size_t adlen,
                        const unsigned char in[SEC_WRAPPED_BYTES], struct sec_key **out)
{
    struct sec_key *k = sec_slot_take();
    size_t n = 0;
    enum err rc = k ? ERR_OK : sec_key_alloc(&k);
    if (rc) {
        return rc;
    }
    rc = sec_open(kek, ad, adlen, in, SEC_WRAPPED_BYTES, k->bytes, SEC_KEY_BYTES, &n);
    if (rc == ERR_OK && n != SEC_KEY_BYTES) {
        rc = ERR_CORRUPT;
    }
    if (rc) {
        sec_key_free(k);
        return rc;
    }
    sec_key_seal_memory(k);
    *out = k;
    return ERR_OK;
}

/* Creates the key file with a fresh key; EEXIST means another starter won the race. */
static enum err sec_key_file_create(const char *path, const char **why)
{
    char line[sizeof(SEC_KEY_FILE_TAG) + 2 * SEC_KEY_BYTES + 2];
    char hex[2 * SEC_KEY_BYTES + 1];
    struct sec_key *k = NULL;
    enum err rc = sec_key_random(&k);
    int fd = -1;
    int n;

    if (rc) {
        return rc;
    }
    sec_key_hex(k, hex);
    n = snprintf(line, sizeof(line), "%s %s\n", SEC_KEY_FILE_TAG, hex);
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        rc = errno == EEXIST ? ERR_OK : ERR_IO;
        *why = "cannot create the key file";
    } else if (write(fd, line, (size_t)n) != n || fsync(fd) != 0) {
        rc = ERR_IO;
        *why = "cannot write the key file";
    }
    if (fd >= 0 && close(fd) != 0 && rc == ERR_OK) {
        rc = ERR_IO;
    }
    sodium_memzero(hex, sizeof(hex));
    sodium_memzero(line, sizeof(line));
    sec_key_free(k);
    return rc;
}

static enum err sec_key_file_read(int fd, struct sec_key **out, const char **why)
{
    char line[sizeof(SEC_KEY_FILE_TAG) + 2 * SEC_KEY_BYTES + 8];
    size_t taglen = sizeof(SEC_KEY_FILE_TAG) - 1;
    ssize_t n = read(fd, line, sizeof(line) - 1);
    enum err rc = ERR_INVALID;

    *why = "the key file is not a Veerkracht master key";
    if (n > 0) {
        line[n] = '\0';
        if ((size_t)n > taglen + 1 && memcmp(line, SEC_KEY_FILE_TAG, taglen) == 0 &&
            line[taglen] == ' ') {
            rc = sec_key_from_hex(line + taglen + 1, (size_t)n - taglen - 1, out);
        }
    }
    sodium_memzero(line, sizeof(line));
    return rc;
}

enum err sec_key_file_load(const char *path, bool create, struct sec_key **out, const char **why)
{
    struct stat sb;
    enum err rc;
    int fd;

    *out = NULL;
    *why = "";
    if (create) {
        rc = sec_key_file_create(path, why);
        if (rc) {
            return rc;
        }
    }
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        *why = errno == ENOENT ? "the key file does not exist" : "cannot open the key file";
        return ERR_IO;
    }
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        *why = "the key file is not a regular file";
        rc = ERR_INVALID;
    } else if (sb.st_mode & (S_IRWXG | S_IRWXO)) {
        *why = "the key file may be read by others: chmod 600 it";
        rc = ERR_INVALID;
    } else {
        rc = sec_key_file_read(fd, out, why);
    }
    close(fd);
    return rc;
}

enum err sec_harden_process(void)
{
    struct rlimit none = {0, 0};
    if (setrlimit(RLIMIT_CORE, &none) != 0 || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
        return ERR_INTERNAL;
    }
    return ERR_OK;
}

bool sec_process_hardened(void)
{
    struct rlimit rl;
    return getrlimit(RLIMIT_CORE, &rl) == 0 && rl.rlim_cur == 0 && rl.rlim_max == 0 &&
           prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0;
}

/* ---- signatures and transfer keys ---------------------------------------------------------- */
_Static_assert(crypto_sign_PUBLICKEYBYTES == SEC_SIGN_PK_BYTES, "public key size");
_Static_assert(crypto_sign_BYTES == SEC_SIGN_BYTES, "signature size");
_Static_assert(crypto_kdf_KEYBYTES == SEC_KEY_BYTES, "kdf key size");

#define SEC_SIGN_CONTEXT "vksign01"

struct sec_signer {
    unsigned char *sk; /* sodium_malloc'd crypto_sign_SECRETKEYBYTES, read-only */
    unsigned char pk[SEC_SIGN_PK_BYTES];
};

enum err sec_signer_derive(const struct sec_key *master, struct sec_signer **out)
{
    unsigned char seed[crypto_sign_SEEDBYTES];
    struct sec_signer *s = calloc(1, sizeof(*s));
    enum err rc = ERR_NOMEM;

    *out = NULL;
    if (s && (s->sk = sodium_malloc(crypto_sign_SECRETKEYBYTES)) != NULL) {
        rc = ERR_INTERNAL;
        if (crypto_kdf_derive_from_key(seed, sizeof(seed), 1, SEC_SIGN_CONTEXT, master->bytes) ==
                0 &&
            crypto_sign_seed_keypair(s->pk, s->sk, seed) == 0) {
            sodium_mprotect_readonly(s->sk);
            *out = s;
            s = NULL;
            rc = ERR_OK;
        }
    }
    sodium_memzero(seed, sizeof(seed));
    sec_signer_free(s);
    return rc;
}

void sec_signer_free(struct sec_signer *s)
{
    if (!s) {
        return;
    }
    sodium_free(s->sk); /* zeroes before unmapping; NULL is a no-op */
    free(s);
}

void sec_signer_public(const struct sec_signer *s, unsigned char pk[SEC_SIGN_PK_BYTES])
{
    memcpy(pk, s->pk, SEC_SIGN_PK_BYTES);
}

void sec_sign(const struct sec_signer *s, const void *msg, size_t len,
              unsigned char sig[SEC_SIGN_BYTES])
{
    (void)crypto_sign_detached(sig, NULL, msg, len, s->sk);
}

bool sec_sign_verify(const unsigned char pk[SEC_SIGN_PK_BYTES], const void *msg, size_t len,
                     const unsigned char sig[SEC_SIGN_BYTES])
{
    return crypto_sign_verify_detached(sig, msg, len, pk) == 0;
}

static const char sec_b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/* n bytes as base32 characters, in groups of 4 joined by '-'; out gets NUL-terminated text. */
static void sec_base32_groups(const unsigned char *in, size_t n, char *out, size_t chars)
{
    uint32_t acc = 0;
    int bits = 0;
    size_t o = 0, c = 0, i = 0;

    while (c < chars) {
        if (bits < 5) {
            acc = (acc << 8) | (i < n ? in[i] : 0);
            i++;
            bits += 8;
        }
        if (c && c % 4 == 0) {
            out[o++] = '-';
        }
        out[o++] = sec_b32[(acc >> (bits - 5)) & 31];
        bits -= 5;
        c++;
    }
    out[o] = '\0';
}

void sec_sign_fingerprint(const unsigned char pk[SEC_SIGN_PK_BYTES], char out[SEC_FPR_TEXT_LEN + 1])
{
    unsigned char h[SEC_HASH_BYTES];
    sec_hash(pk, SEC_SIGN_PK_BYTES, h);
    sec_base32_groups(h, 10, out, 16);
}

void sec_key_text(const struct sec_key *k, char out[SEC_TKEY_TEXT_LEN + 1])
{
    sec_base32_groups(k->bytes, SEC_KEY_BYTES, out, SEC_TKEY_GROUPS * 4);
}

static int sec_b32_value(char ch)
{
    if (ch >= 'a' && ch <= 'z') {
        ch = (char)(ch - 'a' + 'A');
    }
    if (ch >= 'A' && ch <= 'Z') {
        return ch - 'A';
    }
    return (ch >= '2' && ch <= '7') ? ch - '2' + 26 : -1;
}

/* Decodes the 52 significant characters into raw; false for bad characters or padding bits. */
static bool sec_base32_key(const char *text, size_t len, unsigned char raw[SEC_KEY_BYTES])
{
    uint32_t acc = 0;
    int bits = 0;
    size_t chars = 0, o = 0;

    for (size_t i = 0; i < len; i++) {
        int v = sec_b32_value(text[i]);
        if (text[i] == ' ' || text[i] == '-' || text[i] == '\t' || text[i] == '\n' ||
            text[i] == '\r') {
            continue;
        }
        if (v < 0 || ++chars > SEC_TKEY_GROUPS * 4) {
            return false;
        }
        acc = ((acc << 5) | (uint32_t)v) & 0xFFFu;
        bits += 5;
        if (bits >= 8) {
            raw[o++] = (unsigned char)(acc >> (bits - 8));
            bits -= 8;
        }
    }
    /* 52 characters = 260 bits: 32 bytes and 4 padding bits that must be zero */
    return chars == SEC_TKEY_GROUPS * 4 && o == SEC_KEY_BYTES && (acc & ((1u << bits) - 1)) == 0;
}

enum err sec_key_from_text(const char *text, size_t len, struct sec_key **out)
{
    unsigned char raw[SEC_KEY_BYTES];
    enum err rc = ERR_INVALID;

    *out = NULL;
    if (len <= SEC_TKEY_INPUT_MAX && sec_base32_key(text, len, raw)) {
        rc = sec_key_from_bytes(raw, out);
    }
    sodium_memzero(raw, sizeof(raw));
    return rc;
}

size_t sec_base64_len(size_t n)
{
    return sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
}

void sec_base64_encode(const unsigned char *in, size_t n, char *out, size_t outsize)
{
    (void)sodium_bin2base64(out, outsize, in, n, sodium_base64_VARIANT_ORIGINAL);
}

enum err sec_base64_decode(const char *text, size_t len, unsigned char *out, size_t outsize,
                           size_t *outlen)
{
    const char *end = NULL;

    if (len / 4 * 3 > outsize + 2) {
        return ERR_TOO_LARGE;
    }
    if (sodium_base642bin(out, outsize, text, len, NULL, outlen, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != text + len) {
        return ERR_INVALID;
    }
    return ERR_OK;
}
