/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * libFuzzer target: what a client types at the card login — the login code (normalised and
 * checked) and a PIN or passphrase (normalised from Arabic-Indic digits, then the PIN rules),
 * and the QR encoder on the same bytes. A normalised code must read back to itself.
 */
#include "core/compat.h"

#include "accounts/accounts.h"
#include "core/buf.h"
#include "core/qr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *)data;
    char code[ACCT_CARD_CODE_CHARS + 1], again[ACCT_CARD_CODE_CHARS + 1];
    char shown[ACCT_CARD_DISPLAY_CHARS + 1], pin[600];
    struct buf svg = BUF_INIT(64 * 1024);
    size_t n;
    bool is_pin;

    if (acct_card_code_normalise(in, size, code) == ERR_OK) {
        acct_card_code_display(code, shown);
        if (acct_card_code_normalise(shown, strlen(shown), again) || strcmp(code, again)) {
            abort();
        }
    }
    if (acct_pin_normalise(in, size, pin, sizeof(pin), &n, &is_pin) == ERR_OK) {
        (void)acct_pin_problem_text(acct_pin_check(pin, n, is_pin, 1990));
    }
    (void)qr_svg(in, size, &svg);
    buf_release(&svg);
    return 0;
}
