/* SPDX-License-Identifier: EUPL-1.2 */
/* Extension → MIME type. Depends on nothing but the C library, so tools/embed.c can link it. */
#include <string.h>

#include "core/mime.h"

const char *mime_for_path(const char *path)
{
    static const struct {
        const char *ext, *mime;
    } map[] = {
        {".html", "text/html; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".json", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".webmanifest", "application/manifest+json"},
        {".txt", "text/plain; charset=utf-8"},
        {".sql", "text/plain; charset=utf-8"},
        {".woff2", "font/woff2"},
        {".mp3", "audio/mpeg"},
        {".ogg", "audio/ogg"},
        {".wav", "audio/wav"},
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof(map) / sizeof(map[0]); i++) {
        if (!strcmp(dot, map[i].ext)) {
            return map[i].mime;
        }
    }
    return "application/octet-stream";
}
