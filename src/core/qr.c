/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * QR codes as SVG through libqrencode (see qr.h). The library is thread-safe only when built with
 * pthread support; one mutex makes that no concern of ours (a card is made rarely).
 */
#include "core/compat.h"

#include <errno.h>
#include <pthread.h>
#include <qrencode.h>

#include "core/qr.h"

#define QR_QUIET 4 /* modules of white border the standard asks for */

static pthread_mutex_t qr_lock = PTHREAD_MUTEX_INITIALIZER;

/* One row of the symbol: each run of dark modules becomes a rectangle of height 1. */
static enum err qr_row(const QRcode *q, int y, struct buf *out)
{
    enum err rc = ERR_OK;
    int x = 0;

    while (!rc && x < q->width) {
        int start;
        if (!(q->data[y * q->width + x] & 1)) {
            x++;
            continue;
        }
        start = x;
        while (x < q->width && (q->data[y * q->width + x] & 1)) {
            x++;
        }
        rc =
            buf_addf(out, "M%d %dh%dv1h-%dz", start + QR_QUIET, y + QR_QUIET, x - start, x - start);
    }
    return rc;
}

static enum err qr_write(const QRcode *q, struct buf *out)
{
    int size = q->width + 2 * QR_QUIET;
    enum err rc = buf_addf(out,
                           "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                           "shape-rendering=\"crispEdges\"><path fill=\"#fff\" "
                           "d=\"M0 0h%dv%dh-%dz\"/><path fill=\"#000\" d=\"",
                           size, size, size, size, size);

    for (int y = 0; !rc && y < q->width; y++) {
        rc = qr_row(q, y, out);
    }
    return rc ? rc : buf_addstr(out, "\"/></svg>");
}

enum err qr_svg(const char *text, size_t len, struct buf *out)
{
    QRcode *q;
    size_t start = out->len;
    enum err rc;

    if (len == 0 || len > QR_TEXT_MAX) {
        return ERR_INVALID;
    }
    pthread_mutex_lock(&qr_lock);
    q = QRcode_encodeData((int)len, (const unsigned char *)text, 0, QR_ECLEVEL_M);
    pthread_mutex_unlock(&qr_lock);
    if (!q) {
        return errno == ENOMEM ? ERR_NOMEM : ERR_INVALID;
    }
    rc = qr_write(q, out);
    QRcode_free(q);
    if (rc) {
        out->len = start; /* no half-written document */
        out->ptr[start] = '\0';
    }
    return rc;
}

/* Dark module at (x, y) of the symbol with its quiet zone; outside is light. */
static bool qr_dark(const QRcode *q, int x, int y)
{
    x -= QR_QUIET;
    y -= QR_QUIET;
    return x >= 0 && y >= 0 && x < q->width && y < q->width && (q->data[y * q->width + x] & 1);
}

/* Light modules are printed as blocks (terminals are mostly dark on light text colour). */
static enum err qr_text_write(const QRcode *q, struct buf *out)
{
    static const char *const cells[4] = {"\xe2\x96\x88", "\xe2\x96\x80", "\xe2\x96\x84", " "};
    int size = q->width + 2 * QR_QUIET;
    enum err rc = ERR_OK;

    for (int y = 0; !rc && y < size; y += 2) {
        for (int x = 0; !rc && x < size; x++) {
            int top = qr_dark(q, x, y), bottom = y + 1 < size ? qr_dark(q, x, y + 1) : 0;
            rc = buf_addstr(out, cells[top * 2 + bottom]);
        }
        rc = rc ? rc : buf_addch(out, '\n');
    }
    return rc;
}

enum err qr_text(const char *text, size_t len, struct buf *out)
{
    QRcode *q;
    enum err rc;

    if (len == 0 || len > QR_TEXT_MAX) {
        return ERR_INVALID;
    }
    pthread_mutex_lock(&qr_lock);
    q = QRcode_encodeData((int)len, (const unsigned char *)text, 0, QR_ECLEVEL_M);
    pthread_mutex_unlock(&qr_lock);
    if (!q) {
        return errno == ENOMEM ? ERR_NOMEM : ERR_INVALID;
    }
    rc = qr_text_write(q, out);
    QRcode_free(q);
    return rc;
}
