/* SPDX-License-Identifier: EUPL-1.2 */
/*
 * Wall-clock time in milliseconds since the epoch (UTC), with a test hook to pin it. All
 * timestamps stored or compared by Veerkracht come from here.
 */
#ifndef VK_CLOCK_H
#define VK_CLOCK_H

#include "core/compat.h"

int64_t clock_now_ms(void);
/* Tests only: pin the clock to ms (0 returns to the real clock). */
void clock_set_fake(int64_t ms);
/* Formats ms as "2026-11-22T20:03:07.123Z" into out (size >= 25); returns out. */
char *clock_fmt_iso(int64_t ms, char *out, size_t size);
/* Parses "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS[.mmm]Z"; ERR_INVALID otherwise. */
int clock_parse_iso(const char *s, int64_t *ms_out);

/* The offset of Dutch civil time (Europe/Amsterdam: CET, CEST under the EU rule) from UTC at ms. */
int64_t clock_nl_offset_ms(int64_t ms);
/* The date in the Netherlands at ms as "YYYY-MM-DD" (what "today" means to a Dutch user). */
char *clock_nl_date(int64_t ms, char out[11]);

#endif
