/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * MIME types by file extension, for the web assets: shared by the build-time embedder and by the
 * server when it serves files from --web-root.
 */
#ifndef VK_MIME_H
#define VK_MIME_H

/* The MIME type for a path's extension; "application/octet-stream" when unknown. Static. */
const char *mime_for_path(const char *path);

#endif
