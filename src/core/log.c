/* SPDX-License-Identifier: EUPL-1.2 */
/* Line-at-a-time logging to stderr; each line is written with one call so threads never mix. */
#include "core/compat.h"

#include <stdarg.h>
#include <time.h>

#include "core/clock.h"
#include "core/log.h"

static enum log_level log_min = LOG_INFO;

void log_set_level(enum log_level level)
{
    log_min = level;
}

static const char *log_level_name(enum log_level level)
{
    static const char *names[] = {"debug", "info", "warn", "error"};
    return (size_t)level < ARRAY_SIZE(names) ? names[level] : "?";
}

void log_write(enum log_level level, const char *file, int line, const char *fmt, ...)
{
    char msg[1024];
    char ts[40];
    va_list ap;
    int n;

    if (level < log_min) {
        return;
    }
    clock_fmt_iso(clock_now_ms(), ts, sizeof(ts));
    n = snprintf(msg, sizeof(msg), "ts=%s level=%s ", ts, log_level_name(level));
    va_start(ap, fmt);
    if (n > 0 && (size_t)n < sizeof(msg)) {
        vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
    }
    va_end(ap);
    if (level >= LOG_WARN) {
        fprintf(stderr, "%s src=%s:%d\n", msg, file, line);
    } else {
        fprintf(stderr, "%s\n", msg);
    }
}

void die(const char *fmt, ...)
{
    va_list ap;
    fputs("veerkracht: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

void vk_bug(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "BUG: %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}
