/* SPDX-License-Identifier: EUPL-1.2 */
/* Real-time clock with a fake for tests; ISO 8601 formatting and parsing in UTC. */
#include "core/compat.h"

#include <stdatomic.h>
#include <time.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/str.h"

static _Atomic int64_t clock_fake;

int64_t clock_now_ms(void)
{
    struct timespec ts;
    int64_t fake = atomic_load(&clock_fake);
    if (fake) {
        return fake;
    }
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void clock_set_fake(int64_t ms)
{
    atomic_store(&clock_fake, ms);
}

char *clock_fmt_iso(int64_t ms, char *out, size_t size)
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    if (!gmtime_r(&secs, &tm)) {
        snprintf(out, size, "invalid");
        return out;
    }
    snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
    return out;
}

static int clock_field(const char *s, size_t off, size_t len, int64_t min, int64_t max,
                       int64_t *out)
{
    return str_parse_i64(s + off, len, min, max, out);
}

/* Days from 1970-01-01 to y-m-d (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    int64_t era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int clock_parse_iso(const char *s, int64_t *ms_out)
{
    size_t len = strlen(s);
    int64_t y, mo, d, h = 0, mi = 0, se = 0, ms = 0;

    if (len < 10 || s[4] != '-' || s[7] != '-' || clock_field(s, 0, 4, 1900, 9999, &y) ||
        clock_field(s, 5, 2, 1, 12, &mo) || clock_field(s, 8, 2, 1, 31, &d)) {
        return ERR_INVALID;
    }
    if (len > 10) {
        if (len < 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[len - 1] != 'Z' ||
            clock_field(s, 11, 2, 0, 23, &h) || clock_field(s, 14, 2, 0, 59, &mi) ||
            clock_field(s, 17, 2, 0, 60, &se)) {
            return ERR_INVALID;
        }
        if (len == 24 && s[19] == '.') {
            if (clock_field(s, 20, 3, 0, 999, &ms)) {
                return ERR_INVALID;
            }
        } else if (len != 20) {
            return ERR_INVALID;
        }
    }
    *ms_out = ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000 + se * 1000 + ms;
    return ERR_OK;
}

/* The last Sunday of month m (1-12) of year y, as days since the epoch. */
static int64_t last_sunday(int64_t y, int64_t m)
{
    int64_t next = m == 12 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, m + 1, 1);
    int64_t last = next - 1;
    int64_t wday = ((last % 7) + 11) % 7; /* 1970-01-01 was a Thursday (4); Sunday = 0 */
    return last - wday;
}

int64_t clock_nl_offset_ms(int64_t ms)
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    int64_t y, start, end;

    if (!gmtime_r(&secs, &tm)) {
        return 3600000;
    }
    y = tm.tm_year + 1900;
    /* EU summer time: from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last
     * Sunday of October. */
    start = (last_sunday(y, 3) * 24 + 1) * 3600000;
    end = (last_sunday(y, 10) * 24 + 1) * 3600000;
    return ms >= start && ms < end ? 7200000 : 3600000;
}

char *clock_nl_date(int64_t ms, char out[11])
{
    char iso[32];
    clock_fmt_iso(ms + clock_nl_offset_ms(ms), iso, sizeof(iso));
    snprintf(out, 11, "%.10s", iso);
    return out;
}
