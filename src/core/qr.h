/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * QR codes as SVG, for the client's login card: the only user of libqrencode, which does the
 * hard part (mode selection, Reed-Solomon, masking). The SVG is a plain document (no script, no
 * style element, no external reference) that the UI shows inline.
 */
#ifndef VK_QR_H
#define VK_QR_H

#include "core/buf.h"
#include "core/compat.h"
#include "core/err.h"

#define QR_TEXT_MAX 512 /* bytes encoded; a login URL is about 60 */

/*
 * Encodes text[0..len) in byte mode with error correction level M (15 % of the symbol may be
 * damaged) and appends an SVG document to out: a white square, a quiet zone of four modules and
 * one path of the dark modules, in module units (viewBox), so it scales without blur.
 * ERR_INVALID for empty or over-long text; ERR_TOO_LARGE when out's cap is reached.
 */
enum err qr_svg(const char *text, size_t len, struct buf *out);

/*
 * The same symbol as text for a terminal: two modules per character cell (upper and lower half
 * blocks, UTF-8), dark on a light background, with the quiet zone, one line per two rows.
 */
enum err qr_text(const char *text, size_t len, struct buf *out);

#endif
