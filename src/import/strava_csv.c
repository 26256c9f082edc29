/* strava_csv.c - the activities.csv of a Strava bulk export: for each
 * activity file (column Filename, "activities/123.fit.gz") the runner's
 * title, type, description and gear, which the files themselves lack.
 *
 * The file is RFC 4180 CSV written by Strava: a header line, then one
 * record per activity; descriptions hold commas, quotes ("") and line
 * breaks inside quoted fields. Some header names repeat (two "Distance"
 * columns in newer exports): the first one wins. */
#include "base/base.h"
#include "base/alloc.h"
#include "import/import.h"

enum { COL_FILE, COL_NAME, COL_TYPE, COL_DESC, COL_GEAR, NCOLS };

static const char *const col_names[NCOLS] = {
    "Filename", "Activity Name", "Activity Type", "Activity Description",
    "Activity Gear",
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
    }
    rc_free(c->rows);
    c->rows = NULL;
    c->nrows = 0;
}

#define CSV_MAX_FIELDS 256

int import_strava_csv_parse(const char *p, size_t n, struct strava_csv *out,
                            struct rc_err *err)
{
    struct field *fields = rc_malloc(CSV_MAX_FIELDS * sizeof(*fields));
    struct strava_csv c = { NULL, 0 };
    size_t pos = 0, cap = 0;
    long line = 1, col[NCOLS], k;

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
        for (int j = 0; j < NCOLS; j++) {
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
