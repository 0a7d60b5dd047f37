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
