/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Operational log: one line per event on stderr, as key=value pairs. Identifiers only: never
 * names, answers, notes, emails, tokens or request bodies. The NEN 7513 access trail is the
 * audit table in storage, not this log.
 */
#ifndef VK_LOG_H
#define VK_LOG_H

#include "core/compat.h"

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level level);
void log_write(enum log_level level, const char *file, int line, const char *fmt, ...)
    VK_PRINTF(4, 5);

#define log_debug(...) log_write(LOG_DEBUG, __FILE__, __LINE__, __VA_ARGS__)
#define log_info(...)  log_write(LOG_INFO, __FILE__, __LINE__, __VA_ARGS__)
#define log_warn(...)  log_write(LOG_WARN, __FILE__, __LINE__, __VA_ARGS__)
#define log_error(...) log_write(LOG_ERROR, __FILE__, __LINE__, __VA_ARGS__)

/* Startup-only fatal error: prints "veerkracht: MESSAGE" and exits 1. */
VK_NORETURN void die(const char *fmt, ...) VK_PRINTF(1, 2);

#endif
