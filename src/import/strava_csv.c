/* strava_csv.c - the activities.csv of a Strava bulk export: for each
 * activity file (column Filename, "activities/123.fit.gz") the runner's
 * title, type, description and gear, which the files themselves lack.
 *
 * The file is RFC 4180 CSV written by Strava: a header line, then one
 * record per activity; descriptions hold commas, quotes ("") and line
 * breaks inside quoted fields. Some header names repeat (two "Distance"
 * columns in newer exports): the first one wins, but for Distance, whose
 * first column is in the runner's unit (km or mi) and whose second one
 * (newer exports) in metres: the metres are taken when they are there, and
 * a lone Distance column is read as km.
 *
 * A row without a Filename is an activity entered by hand on Strava: its
 * Activity ID, Activity Date ("Dec 3, 2023, 5:30:12 PM", UTC), Elapsed
 * Time and Moving Time (seconds) and Distance make it a logged run. */
#include "base/base.h"
#include "base/alloc.h"
#include "base/time.h"
#include "import/import.h"

enum {
    COL_FILE, COL_NAME, COL_TYPE, COL_DESC, COL_GEAR, COL_ID, COL_DATE,
    COL_ELAPSED, COL_MOVING, COL_DIST, NCOLS
};
#define NTEXT COL_ELAPSED /* the columns kept as text */

static const char *const col_names[NCOLS] = {
    "Filename", "Activity Name", "Activity Type", "Activity Description",
    "Activity Gear", "Activity ID", "Activity Date", "Elapsed Time",
    "Moving Time", "Distance",
};

/* One field: where it starts, how long, and whether it has "" escapes. */
struct field {
    const char *p;
    size_t n;
    bool quoted;
};

/* Read one record starting at *pos into fields (up to max; extra fields
 * are counted but not kept). Advances *pos past the line end and *line by
 * the lines consumed. Returns the field count, or -1 on a broken quote. */
static long read_record(const char *p, size_t n, size_t *pos, long *line,
                        struct field *fields, long max, struct rc_err *err)
{
    size_t i = *pos;
    long k = 0, start_line = *line;
    for (;;) {
        struct field f = { p + i, 0, false };
        if (i < n && p[i] == '"') {
            f.quoted = true;
            f.p = p + ++i;
            for (;;) {
                if (i >= n)
                    return rc_fail_line(err, start_line, 0,
                                        "quoted field is never closed");
                if (p[i] == '"') {
                    if (i + 1 < n && p[i + 1] == '"') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                if (p[i] == '\n')
                    (*line)++;
                i++;
            }
            f.n = (size_t)(p + i - f.p);
            i++; /* the closing quote */
            if (i < n && p[i] != ',' && p[i] != '\n' && p[i] != '\r')
                return rc_fail_line(err, *line, 0,
                                    "text after a closing quote");
        } else {
            while (i < n && p[i] != ',' && p[i] != '\n' && p[i] != '\r')
                i++;
            f.n = (size_t)(p + i - f.p);
        }
        if (k < max)
            fields[k] = f;
        k++;
        if (i < n && p[i] == ',') {
            i++;
            continue;
        }
        if (i < n && p[i] == '\r')
            i++;
        if (i < n && p[i] == '\n')
            i++;
        (*line)++;
        *pos = i;
        return k;
    }
}

static char *field_dup(const struct field *f)
{
    char *s = rc_malloc(f->n + 1), *o = s;
    if (!s)
        return NULL;
    for (size_t i = 0; i < f->n; i++) {
        *o++ = f->p[i];
        if (f->quoted && f->p[i] == '"')
            i++; /* "" -> " */
    }
    *o = '\0';
    return s;
}

static bool field_is(const struct field *f, const char *name)
{
    const char *p = f->p;
    size_t n = f->n;
    if (n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) { /* a BOM before it */
        p += 3;
        n -= 3;
    }
    return n == strlen(name) && !memcmp(p, name, n);
}

void import_strava_csv_release(struct strava_csv *c)
{
    for (size_t i = 0; i < c->nrows; i++) {
        rc_free(c->rows[i].filename);
        rc_free(c->rows[i].name);
        rc_free(c->rows[i].type);
        rc_free(c->rows[i].description);
        rc_free(c->rows[i].gear);
        rc_free(c->rows[i].id);
        rc_free(c->rows[i].date);
    }
    rc_free(c->rows);
    c->rows = NULL;
    c->nrows = 0;
}

#define CSV_MAX_FIELDS 256

/* Field i (of k) as a number times scale; NAN when it is not there or is
 * not a plain number ("1,234.5" is read without its commas). */
static double field_number(const struct field *fields, long k, long i,
                           double scale)
{
    char text[64], *end;
    size_t n = 0;
    double v;
    if (i < 0 || i >= k || i >= CSV_MAX_FIELDS)
        return NAN;
    for (size_t j = 0; j < fields[i].n && n < sizeof(text) - 1; j++)
        if (fields[i].p[j] != ',')
            text[n++] = fields[i].p[j];
    text[n] = '\0';
    if (!n)
        return NAN;
    v = strtod(text, &end);
    if (end == text || *end || !isfinite(v) || v < 0)
        return NAN;
    return v * scale;
}

/* "Dec 3, 2023, 5:30:12 PM" (Strava's, UTC) or an ISO time: Unix
 * seconds, NAN when it is neither. */
double import_strava_date(const char *text)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    char mon[4], ampm[3];
    int day, year, h, m, sec, k = 0;
    double t;
    const char *where;
    if (rc_time_parse(text, &t, NULL, NULL) == 0)
        return t;
    if (sscanf(text, "%3s %d, %d, %d:%d:%d %2s%n", mon, &day, &year, &h, &m,
               &sec, ampm, &k) != 7 ||
        text[k] != '\0')
        return NAN;
    where = strlen(mon) == 3 ? strstr(months, mon) : NULL;
    if (!where || (where - months) % 3 || day < 1 || day > 31 || h < 1 ||
        h > 12 || m > 59 || sec > 60 || m < 0 || sec < 0 ||
        (strcmp(ampm, "AM") && strcmp(ampm, "PM")))
        return NAN;
    h = h % 12 + (strcmp(ampm, "PM") ? 0 : 12);
    return (double)rc_days_from_civil(year, (int)(where - months) / 3 + 1,
                                      day) *
               86400 +
           h * 3600 + m * 60 + sec;
}

int import_strava_csv_parse(const char *p, size_t n, struct strava_csv *out,
                            struct rc_err *err)
{
    struct field *fields = rc_malloc(CSV_MAX_FIELDS * sizeof(*fields));
    struct strava_csv c = { NULL, 0 };
    size_t pos = 0, cap = 0;
    long line = 1, col[NCOLS], k, dist_m;

    if (!fields)
        return rc_fail(err, RC_EENV, "out of memory");
    k = read_record(p, n, &pos, &line, fields, CSV_MAX_FIELDS, err);
    if (k < 0)
        goto fail;
    for (int j = 0; j < NCOLS; j++) {
        col[j] = -1;
        for (long i = 0; i < k && i < CSV_MAX_FIELDS && col[j] < 0; i++)
            if (field_is(&fields[i], col_names[j]))
                col[j] = i;
    }
    /* a second Distance column is in metres */
    dist_m = -1;
    for (long i = col[COL_DIST] + 1; col[COL_DIST] >= 0 && i < k &&
                                     i < CSV_MAX_FIELDS;
         i++)
        if (field_is(&fields[i], "Distance"))
            dist_m = i;
    if (col[COL_FILE] < 0) {
        rc_fail_line(err, 1, 0, "no \"Filename\" column: not a Strava "
                                "activities.csv");
        goto fail;
    }
    while (pos < n) {
        long rec_line = line;
        struct strava_row *r;
        char **dst[NCOLS];
        k = read_record(p, n, &pos, &line, fields, CSV_MAX_FIELDS, err);
        if (k < 0)
            goto fail;
        if (k == 1 && fields[0].n == 0)
            continue; /* a blank line */
        if (k <= col[COL_FILE]) {
            rc_fail_line(err, rec_line, 0, "%ld fields, the header has more",
                         k);
            goto fail;
        }
        if (c.nrows == cap) {
            size_t ncap = cap ? cap * 2 : 256;
            struct strava_row *nr = rc_realloc(c.rows, ncap * sizeof(*nr));
            if (!nr) {
                rc_fail(err, RC_EENV, "out of memory");
                goto fail;
            }
            c.rows = nr;
            cap = ncap;
        }
        r = &c.rows[c.nrows++];
        memset(r, 0, sizeof(*r));
        dst[COL_FILE] = &r->filename;
        dst[COL_NAME] = &r->name;
        dst[COL_TYPE] = &r->type;
        dst[COL_DESC] = &r->description;
        dst[COL_GEAR] = &r->gear;
        dst[COL_ID] = &r->id;
        dst[COL_DATE] = &r->date;
        r->elapsed_s = field_number(fields, k, col[COL_ELAPSED], 1);
        r->moving_s = field_number(fields, k, col[COL_MOVING], 1);
        r->distance_m = dist_m >= 0
                            ? field_number(fields, k, dist_m, 1)
                            : field_number(fields, k, col[COL_DIST], 1000);
        for (int j = 0; j < NTEXT; j++) {
            static const struct field empty = { "", 0, false };
            const struct field *f =
                col[j] >= 0 && col[j] < k && col[j] < CSV_MAX_FIELDS
                    ? &fields[col[j]] : &empty;
            *dst[j] = field_dup(f);
            if (!*dst[j]) {
                rc_fail(err, RC_EENV, "out of memory");
                goto fail;
            }
        }
    }
    rc_free(fields);
    *out = c;
    return 0;
fail:
    rc_free(fields);
    import_strava_csv_release(&c);
    return -1;
}

const char *import_strava_sport(const char *type, const char **sub_sport)
{
    static const struct {
        const char *type, *sport, *sub;
    } map[] = {
        { "Run", "running", "generic" },
        { "Trail Run", "running", "trail" },
        { "Virtual Run", "running", "virtual_activity" },
        { "Ride", "cycling", "generic" },
        { "Mountain Bike Ride", "cycling", "mountain" },
        { "Gravel Ride", "cycling", "gravel_cycling" },
        { "Virtual Ride", "cycling", "virtual_activity" },
        { "E-Bike Ride", "e_biking", "generic" },
        { "Walk", "walking", "generic" },
        { "Hike", "hiking", "generic" },
        { "Swim", "swimming", "generic" },
        { "Rowing", "rowing", "generic" },
        { "Workout", "training", "generic" },
        { "Weight Training", "training", "strength_training" },
        { "Yoga", "training", "yoga" },
        { "Nordic Ski", "cross_country_skiing", "generic" },
        { "Alpine Ski", "alpine_skiing", "generic" },
        { "Elliptical", "fitness_equipment", "elliptical" },
    };
    for (size_t i = 0; i < RC_ARRAY_SIZE(map); i++)
        if (!strcmp(type, map[i].type)) {
            if (sub_sport)
                *sub_sport = map[i].sub;
            return map[i].sport;
        }
    return NULL;
}
