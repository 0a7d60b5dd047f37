/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * The pure side of client login cards: making, printing and reading back login codes (Crockford
 * base32 with a Luhn mod 32 check character, so a typo is caught before any lookup), the PIN
 * rules, and the wrong-PIN throttle arithmetic. The stateful side (issuing, logging in, held
 * dossiers) is card_login.c.
 */
#include "core/compat.h"

#include "accounts/accounts.h"
#include "core/sec.h"

static const char card_alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
#define CARD_BASE 32

/* Value of a canonical (upper-case) alphabet character; -1 for anything else. */
static int card_value(char ch)
{
    const char *p = ch ? strchr(card_alphabet, ch) : NULL;
    return p ? (int)(p - card_alphabet) : -1;
}

/*
 * Luhn mod N (N = 32): from the right, every second value is doubled and its base-32 digits
 * summed. It catches every single wrong character and every swap of neighbours except 0<->Z.
 */
char acct_card_check_char(const char *data, size_t n)
{
    int factor = 2, sum = 0;
    for (size_t i = n; i-- > 0;) {
        int v = card_value(data[i]);
        int addend;
        if (v < 0) {
            return '\0';
        }
        addend = factor * v;
        factor = factor == 2 ? 1 : 2;
        sum += addend / CARD_BASE + addend % CARD_BASE;
    }
    return card_alphabet[(CARD_BASE - sum % CARD_BASE) % CARD_BASE];
}

void acct_card_code_new(char out[ACCT_CARD_CODE_CHARS + 1])
{
    unsigned char raw[8];
    uint64_t bits = 0;

    sec_random(raw, sizeof(raw));
    for (size_t i = 0; i < sizeof(raw); i++) {
        bits = bits << 8 | raw[i];
    }
    sec_memzero(raw, sizeof(raw));
    for (int i = 0; i < ACCT_CARD_DATA_CHARS; i++) {
        out[i] = card_alphabet[bits & 31u];
        bits >>= 5;
    }
    out[ACCT_CARD_DATA_CHARS] = acct_card_check_char(out, ACCT_CARD_DATA_CHARS);
    out[ACCT_CARD_CODE_CHARS] = '\0';
}

void acct_card_code_display(const char *code, char out[ACCT_CARD_DISPLAY_CHARS + 1])
{
    snprintf(out, ACCT_CARD_DISPLAY_CHARS + 1, "VK-%.4s-%.4s-%.4s-%c", code, code + 4, code + 8,
             code[12]);
}

/* One typed character to the alphabet: upper case and the look-alikes; '\0' when none. */
static char card_fold(char ch)
{
    if (ch >= 'a' && ch <= 'z') {
        ch = (char)(ch - 'a' + 'A');
    }
    if (ch == 'O') {
        return '0';
    }
    if (ch == 'I' || ch == 'L') {
        return '1';
    }
    return card_value(ch) >= 0 ? ch : '\0';
}

enum err acct_card_code_normalise(const char *in, size_t len, char out[ACCT_CARD_CODE_CHARS + 1])
{
    char buf[ACCT_CARD_CODE_CHARS + 3]; /* room for the "VK" prefix */
    const char *data = buf;
    size_t n = 0;

    if (len > ACCT_CARD_INPUT_MAX) {
        return ERR_INVALID;
    }
    for (size_t i = 0; i < len; i++) {
        char ch = in[i];
        if (ch == '-' || ch == ' ' || ch == '.' || ch == '_') {
            continue;
        }
        if (n == sizeof(buf) || !(ch = card_fold(ch))) {
            return ERR_INVALID;
        }
        buf[n++] = ch;
    }
    if (n == ACCT_CARD_CODE_CHARS + 2 && buf[0] == 'V' && buf[1] == 'K') {
        data += 2;
        n -= 2;
    }
    if (n != ACCT_CARD_CODE_CHARS ||
        acct_card_check_char(data, ACCT_CARD_DATA_CHARS) != data[ACCT_CARD_DATA_CHARS]) {
        return ERR_INVALID;
    }
    memcpy(out, data, ACCT_CARD_CODE_CHARS);
    out[ACCT_CARD_CODE_CHARS] = '\0';
    return ERR_OK;
}

/* ---- PINs --------------------------------------------------------------------------------- */

/* The digit 0-9 at s (ASCII, U+0660-0669 or U+06F0-06F9) and its byte length; -1 for none. */
static int pin_digit(const unsigned char *s, size_t left, size_t *used)
{
    if (s[0] >= '0' && s[0] <= '9') {
        *used = 1;
        return s[0] - '0';
    }
    if (left >= 2 && s[0] == 0xD9 && s[1] >= 0xA0 && s[1] <= 0xA9) {
        *used = 2;
        return s[1] - 0xA0;
    }
    if (left >= 2 && s[0] == 0xDB && s[1] >= 0xB0 && s[1] <= 0xB9) {
        *used = 2;
        return s[1] - 0xB0;
    }
    return -1;
}

enum err acct_pin_normalise(const char *in, size_t len, char *out, size_t size, size_t *outlen,
                            bool *is_pin)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t n = 0, used = 0;
    bool digits = len > 0;

    for (size_t i = 0; digits && i < len; i += used) {
        int d = pin_digit(s + i, len - i, &used);
        if (d < 0) {
            digits = false;
            break;
        }
        if (n + 1 >= size) {
            return ERR_TOO_LARGE;
        }
        out[n++] = (char)('0' + d);
    }
    if (!digits) {
        if (len >= size) {
            return ERR_TOO_LARGE;
        }
        memcpy(out, in, len);
        n = len;
    }
    out[n] = '\0';
    *outlen = n;
    *is_pin = digits && n <= ACCT_PIN_MAX;
    return ERR_OK;
}

/* True when every step between neighbours is the same `step` (mod 10). */
static bool pin_steps_all(const char *pin, size_t len, int step)
{
    for (size_t i = 1; i < len; i++) {
        if ((pin[i] - pin[i - 1] + 10) % 10 != step) {
            return false;
        }
    }
    return true;
}

/* True when the PIN repeats a block of 2 to len/2 digits (121212, 123123, 12341234). */
static bool pin_repeats_block(const char *pin, size_t len)
{
    for (size_t period = 2; period <= len / 2; period++) {
        size_t i = period;
        while (i < len && pin[i] == pin[i - period]) {
            i++;
        }
        if (i == len) {
            return true;
        }
    }
    return false;
}

static enum acct_pin_problem pin_check_digits(const char *pin, size_t len, int64_t year)
{
    char y[24];

    if (len < ACCT_PIN_MIN) {
        return PIN_TOO_SHORT;
    }
    if (pin_steps_all(pin, len, 0)) {
        return PIN_ONE_DIGIT;
    }
    if (pin_steps_all(pin, len, 1) || pin_steps_all(pin, len, 9)) {
        return PIN_RUN;
    }
    if (pin_repeats_block(pin, len)) {
        return PIN_PATTERN;
    }
    if (year > 0) {
        snprintf(y, sizeof(y), "%04lld", (long long)year);
        if (strstr(pin, y)) {
            return PIN_YEAR;
        }
    }
    return PIN_OK;
}

enum acct_pin_problem acct_pin_check(const char *pin, size_t len, bool is_pin,
                                     int64_t year_of_birth)
{
    if (is_pin) {
        return pin_check_digits(pin, len, year_of_birth);
    }
    switch (acct_password_check(pin, len)) {
    case PW_OK:
        return PIN_OK;
    case PW_TOO_SHORT:
        return PIN_PASS_SHORT;
    case PW_TOO_LONG:
        return PIN_PASS_LONG;
    case PW_COMMON:
        return PIN_PASS_COMMON;
    case PW_BAD_CHARS:
        break;
    }
    return PIN_BAD_CHARS;
}

const char *acct_pin_problem_text(enum acct_pin_problem p)
{
    switch (p) {
    case PIN_OK:
        return "ok";
    case PIN_TOO_SHORT:
        return "a PIN must have at least 6 digits";
    case PIN_ONE_DIGIT:
        return "a PIN of one repeated digit is too easy to guess";
    case PIN_RUN:
        return "a PIN of digits in a row (such as 123456) is too easy to guess";
    case PIN_PATTERN:
        return "a PIN that repeats a short group of digits is too easy to guess";
    case PIN_YEAR:
        return "a PIN must not contain the year of birth";
    case PIN_PASS_SHORT:
        return "a passphrase must be at least 12 characters (or use a PIN of digits only)";
    case PIN_PASS_LONG:
        return "a passphrase must be at most 128 characters";
    case PIN_PASS_COMMON:
        return "this passphrase is too common; choose another";
    case PIN_BAD_CHARS:
        break;
    }
    return "the PIN contains characters that cannot be used";
}

int64_t acct_card_wait(int64_t failures, int64_t last_at, int64_t delay_ms, int64_t now)
{
    int64_t delay = delay_ms;

    if (failures >= ACCT_CARD_LOCK_AFTER) {
        return -1;
    }
    if (failures < ACCT_CARD_THROTTLE_AFTER) {
        return 0;
    }
    for (int64_t i = ACCT_CARD_THROTTLE_AFTER; i < failures; i++) {
        delay *= 2;
    }
    return last_at + delay > now ? last_at + delay - now : 0;
}
