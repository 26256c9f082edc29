/* time.c - UTC calendar arithmetic (see time.h).
 *
 * The day-number conversions use the era-based algorithm for the proleptic
 * Gregorian calendar described by Howard Hinnant ("chrono-compatible
 * low-level date algorithms"), written here from its description. */
#include "base/base.h"
#include "base/time.h"

long rc_days_from_civil(int year, int month, int day)
{
    long y = (long)year - (month <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;                                   /* 0..399 */
    long mp = (month + 9) % 12;                                 /* Mar = 0 */
    long doy = (153 * mp + 2) / 5 + day - 1;                    /* 0..365 */
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* 0..146096 */
    return era * 146097 + doe - 719468;
}

void rc_civil_from_days(long days, int *year, int *month, int *day)
{
    long z = days + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    *year = (int)(yoe + era * 400 + (m <= 2));
    *month = (int)m;
    *day = (int)d;
}

long rc_day_of(double t)
{
    return (long)floor(t / 86400.0);
}

int rc_weekday(long day)
{
    /* 1970-01-01 was a Thursday (3 with Monday = 0) */
    long w = (day + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

void rc_civil_from_time(double t, struct rc_civil *c)
{
    double ft = floor(t);
    long day = rc_day_of(ft);
    long sec = (long)(ft - (double)day * 86400.0);
    rc_civil_from_days(day, &c->year, &c->month, &c->day);
    c->hour = (int)(sec / 3600);
    c->minute = (int)(sec / 60 % 60);
    c->second = (int)(sec % 60);
}

char *rc_time_format(double t, char out[32])
{
    struct rc_civil c;
    rc_civil_from_time(t, &c);
    snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month,
             c.day, c.hour, c.minute, c.second);
    return out;
}

char *rc_date_format(long day, char out[16])
{
    int y, m, d;
    rc_civil_from_days(day, &y, &m, &d);
    snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
    return out;
}

/* Read exactly n digits at *p into *v. */
static int digits(const char **p, int n, int *v)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        if ((*p)[i] < '0' || (*p)[i] > '9')
            return -1;
        x = x * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *v = x;
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dm[m - 1];
}

static int parse_date_part(const char **p, int *y, int *m, int *d)
{
    if (digits(p, 4, y) < 0 || **p != '-')
        return -1;
    (*p)++;
    if (digits(p, 2, m) < 0 || **p != '-')
        return -1;
    (*p)++;
    if (digits(p, 2, d) < 0)
        return -1;
    if (*m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m))
        return -1;
    return 0;
}

int rc_date_parse(const char *s, long *day)
{
    int y, m, d;
    const char *p = s;
    if (parse_date_part(&p, &y, &m, &d) < 0 || *p)
        return -1;
    *day = rc_days_from_civil(y, m, d);
    return 0;
}

int rc_time_parse(const char *s, double *t, int *offset_s, bool *has_offset)
{
    int y, mo, d, h = 0, mi = 0, se = 0, oh, om, off = 0;
    double frac = 0;
    bool zoned = false;
    const char *p = s;

    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    if (parse_date_part(&p, &y, &mo, &d) < 0)
        return -1;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (digits(&p, 2, &h) < 0 || *p++ != ':' || digits(&p, 2, &mi) < 0)
            return -1;
        if (*p == ':') {
            p++;
            if (digits(&p, 2, &se) < 0)
                return -1;
            if (*p == '.' || *p == ',') {
                double scale = 0.1;
                p++;
                if (*p < '0' || *p > '9')
                    return -1;
                while (*p >= '0' && *p <= '9') {
                    frac += (*p - '0') * scale;
                    scale /= 10;
                    p++;
                }
            }
        }
        if (h > 23 || mi > 59 || se > 60)
            return -1;
        if (*p == 'Z' || *p == 'z') {
            p++;
            zoned = true;
        } else if (*p == '+' || *p == '-') {
            int sign = *p++ == '-' ? -1 : 1;
            if (digits(&p, 2, &oh) < 0)
                return -1;
            if (*p == ':')
                p++;
            if (digits(&p, 2, &om) < 0 || oh > 23 || om > 59)
                return -1;
            off = sign * (oh * 3600 + om * 60);
            zoned = true;
        }
    }
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    if (*p)
        return -1;
    *t = (double)rc_days_from_civil(y, mo, d) * 86400.0 + h * 3600.0 +
         mi * 60.0 + se + frac - off;
    if (offset_s)
        *offset_s = off;
    if (has_offset)
        *has_offset = zoned;
    return 0;
}

double rc_now(void)
{
    struct timespec ts;
#ifdef RC_TEST
    const char *fixed = getenv("RUNCARE_NOW");
    double t;

    if (fixed && *fixed && rc_time_parse(fixed, &t, NULL, NULL) == 0)
        return t;
#endif
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}
