/* units.c - distances, durations and paces as runners write them. */
#include "base/base.h"
#include "base/units.h"

static void skip_blanks(const char **p)
{
    while (**p == ' ' || **p == '\t')
        (*p)++;
}

/* Read a non-negative decimal number; -1 if none. */
static int number(const char **p, double *v)
{
    char *end;
    if (!((**p >= '0' && **p <= '9') || **p == '.'))
        return -1;
    errno = 0;
    *v = strtod(*p, &end);
    if (end == *p || errno || !isfinite(*v))
        return -1;
    *p = end;
    return 0;
}

int rc_parse_distance(const char *s, double *m, struct rc_err *err)
{
    const char *p = s;
    double v, scale = 1000;

    skip_blanks(&p);
    if (*p == '-' && number(&(const char *){p + 1}, &v) == 0)
        return rc_fail(err, RC_EINPUT,
                       "distance '%s' is below zero: it must be above 0 km",
                       s);
    if (number(&p, &v) < 0)
        goto bad;
    skip_blanks(&p);
    if (!*p || !strcasecmp(p, "km") || !strcasecmp(p, "k"))
        scale = 1000;
    else if (!strcasecmp(p, "m"))
        scale = 1;
    else if (!strcasecmp(p, "mi") || !strcasecmp(p, "mile") ||
             !strcasecmp(p, "miles"))
        scale = RC_M_PER_MILE;
    else
        goto bad;
    v *= scale;
    if (v <= 0 || v > 1000000)
        return rc_fail(err, RC_EINPUT,
                       "distance '%s' is outside 0-1000 km", s);
    *m = v;
    return 0;
bad:
    return rc_fail(err, RC_EINPUT,
                   "distance '%s' is not a number with a unit (8km, 5mi, "
                   "800m)", s);
}

int rc_parse_duration(const char *text, double *s, struct rc_err *err)
{
    const char *p = text;
    double parts[3], total = 0, v;
    int n = 0;

    skip_blanks(&p);
    if (*p == '-' && number(&(const char *){p + 1}, &v) == 0)
        return rc_fail(err, RC_EINPUT,
                       "duration '%s' is below zero: it must be above 0",
                       text);
    if (strchr(p, ':')) {
        /* h:mm:ss or mm:ss; later parts must be under 60 */
        for (;;) {
            if (n == 3 || number(&p, &parts[n]) < 0)
                goto bad;
            n++;
            if (*p != ':')
                break;
            p++;
        }
        skip_blanks(&p);
        if (*p || n < 2)
            goto bad;
        for (int i = 1; i < n; i++)
            if (parts[i] >= 60)
                goto bad;
        total = n == 3 ? parts[0] * 3600 + parts[1] * 60 + parts[2]
                       : parts[0] * 60 + parts[1];
    } else {
        bool any = false;
        while (*p) {
            double unit;
            if (number(&p, &v) < 0)
                goto bad;
            skip_blanks(&p);
            if (*p == 'h' || *p == 'H') {
                unit = 3600;
                p++;
            } else if (!strncasecmp(p, "min", 3)) {
                unit = 60;
                p += 3;
            } else if (*p == 'm' || *p == 'M') {
                unit = 60;
                p++;
            } else if (*p == 's' || *p == 'S') {
                unit = 1;
                p++;
            } else if (!*p && !any) {
                unit = 60; /* a bare number is minutes */
            } else {
                goto bad;
            }
            total += v * unit;
            any = true;
            skip_blanks(&p);
        }
        if (!any)
            goto bad;
    }
    if (total <= 0 || total >= 100 * 3600)
        return rc_fail(err, RC_EINPUT,
                       "duration '%s' is outside 0-100 hours", text);
    *s = total;
    return 0;
bad:
    return rc_fail(err, RC_EINPUT,
                   "duration '%s' is not a time (45:00, 1:02:03, 90min)", text);
}

char *rc_format_duration(double s, char out[24])
{
    long t = s > 0 && s < 1e9 ? lround(s) : 0;
    if (t >= 3600)
        snprintf(out, 24, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(out, 24, "%ld:%02ld", t / 60, t % 60);
    return out;
}

char *rc_format_pace(double s, double m, char out[16])
{
    long t;
    if (!(s > 0) || !(m > 0) || !isfinite(s / m)) {
        snprintf(out, 16, "-");
        return out;
    }
    t = lround(s / (m / 1000.0));
    if (t <= 0 || t >= 6000) /* 100 min/km: not a pace worth showing */
        snprintf(out, 16, "-");
    else
        snprintf(out, 16, "%d:%02d", (int)(t / 60), (int)(t % 60));
    return out;
}
