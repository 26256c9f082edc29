/* out.c - activities as JSON and as text (see out.h). */
#include <unistd.h>

#include "base/base.h"
#include "base/time.h"
#include "base/units.h"
#include "cli/out.h"

int out_json_line(FILE *f, json_t *v)
{
    if (json_dumpf(v, f, JSON_COMPACT | JSON_REAL_PRECISION(15)) < 0 ||
        fputc('\n', f) == EOF)
        return -1;
    return 0;
}

double out_pace_time(const struct activity *a, bool *moving)
{
    bool m = activity_known(a->moving_s) && a->moving_s > 0;
    if (moving)
        *moving = m;
    return m                           ? a->moving_s
           : activity_known(a->timer_s) ? a->timer_s
                                        : a->elapsed_s;
}

void out_pace_text(FILE *f, const struct activity *a, double shown_s)
{
    char pace[16], t[24];
    bool moving;
    double p = out_pace_time(a, &moving);
    if (!activity_known(a->distance_m) || a->distance_m <= 0 ||
        !activity_known(p) || p <= 0)
        return;
    fprintf(f, ", pace %s/km", rc_format_pace(p, a->distance_m, pace));
    if (moving && !(fabs(p - shown_s) < 1))
        fprintf(f, " (moving %s)", rc_format_duration(p, t));
}

void out_activity_text(FILE *f, const struct activity *a)
{
    char dur[24];
    struct rc_civil c;

    fprintf(f, "%s", activity_sport_label(a->sport));
    if (strcmp(a->sub_sport, "generic") && a->sub_sport[0])
        fprintf(f, " (%s)", a->sub_sport);
    if (activity_known(a->start_s)) {
        double local = a->start_s + (a->has_utc_offset ? a->utc_offset_s : 0);
        rc_civil_from_time(local, &c);
        fprintf(f, " %04d-%02d-%02d %02d:%02d", c.year, c.month, c.day,
                c.hour, c.minute);
        if (a->has_utc_offset) {
            int off = a->utc_offset_s, ab = off < 0 ? -off : off;
            fprintf(f, " (UTC%c%02d:%02d)", off < 0 ? '-' : '+', ab / 3600,
                    ab / 60 % 60);
        } else {
            fprintf(f, " UTC");
        }
    }
    if (activity_known(a->distance_m))
        fprintf(f, ", %.2f km", a->distance_m / 1000);
    if (activity_known(a->timer_s) || activity_known(a->elapsed_s)) {
        double t = activity_known(a->timer_s) ? a->timer_s : a->elapsed_s;
        fprintf(f, " in %s", rc_format_duration(t, dur));
        out_pace_text(f, a, t);
    }
    if (activity_known(a->ascent_m))
        fprintf(f, ", +%.0f m", a->ascent_m);
    if (activity_known(a->avg_hr_bpm))
        fprintf(f, ", HR %.0f", a->avg_hr_bpm);
    if (activity_known(a->max_hr_bpm))
        fprintf(f, "/%.0f", a->max_hr_bpm);
    fprintf(f, ", %zu laps, %zu samples", a->nlaps, a->nsamples);
    if (a->device.manufacturer[0] || a->device.product_name[0])
        fprintf(f, ", %s%s%s", a->device.manufacturer,
                a->device.manufacturer[0] && a->device.product_name[0] ? " "
                                                                       : "",
                a->device.product_name);
    if (a->salvaged)
        fprintf(f, " [salvaged]");
    fputc('\n', f);
}

int out_shoe_warnings(FILE *f, const struct store_shoe *v, size_t n)
{
    int k = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i].retired || v[i].used_km < v[i].limit_km)
            continue;
        fprintf(f,
                "runcare: warning: shoe \"%s\" has run %.0f km, past its "
                "%.0f km limit; retire it with 'runcare shoe retire \"%s\"'\n",
                v[i].name, v[i].used_km, v[i].limit_km, v[i].name);
        k++;
    }
    return k;
}

void out_stored_activity_text(FILE *f, const struct store_activity *sa)
{
    const struct activity *a = &sa->act;
    double time_s = activity_known(a->timer_s) ? a->timer_s : a->elapsed_s;
    char day[16], t[24];
    fprintf(f, "%s %s", activity_sport_label(a->sport),
            activity_known(a->start_s) ? rc_date_format(sa->local_day, day)
                                       : "undated");
    if (activity_known(a->distance_m))
        fprintf(f, ", %.2f km", a->distance_m / 1000);
    if (activity_known(time_s))
        fprintf(f, " in %s", rc_format_duration(time_s, t));
    if (!strcmp(a->sport, "running"))
        out_pace_text(f, a, time_s);
    if (!isnan(sa->rpe))
        fprintf(f, ", RPE %g", sa->rpe);
    if (sa->shoe[0])
        fprintf(f, ", shoe %s", sa->shoe);
    if (a->name[0])
        fprintf(f, ", \"%s\"", a->name);
}

static void print_value(FILE *f, const json_t *v)
{
    if (json_is_string(v))
        fprintf(f, "\"%.40s\"", json_string_value(v));
    else if (json_is_number(v))
        fprintf(f, "%g", json_number_value(v));
    else
        fprintf(f, "none");
}

/* Up to this many changes are shown one by one. */
#define OUT_BATCH_DETAIL 3

void out_batch_summary(FILE *f, const json_t *batch)
{
    const json_t *changes = json_object_get(batch, "changes");
    static const char *const actions[] = { "add", "edit", "rm" };
    static const char *const verbs[] = { "added", "edited", "removed" };
    size_t n = json_array_size(changes), i;
    json_t *c;
    bool first = true;

    if (n <= OUT_BATCH_DETAIL) {
        json_array_foreach(changes, i, c) {
            const char *key;
            json_t *v;
            bool any = false;
            fprintf(f, "%s%s %s %lld", i ? "; " : "",
                    json_string_value(json_object_get(c, "action")),
                    json_string_value(json_object_get(c, "kind")),
                    (long long)json_integer_value(json_object_get(c, "id")));
            if (!strcmp(json_string_value(json_object_get(c, "action")),
                        "edit"))
                json_object_foreach(json_object_get(c, "fields"), key, v) {
                    fprintf(f, "%s%s ", any ? ", " : " (", key);
                    print_value(f, json_array_get(v, 0));
                    fprintf(f, " -> ");
                    print_value(f, json_array_get(v, 1));
                    any = true;
                }
            if (any)
                fputc(')', f);
        }
        return;
    }
    /* many: counts by action and kind, in the order first seen */
    for (size_t k = 0; k < RC_ARRAY_SIZE(actions); k++) {
        const char *kinds[16];
        long counts[16];
        size_t nk = 0;
        json_array_foreach(changes, i, c) {
            const char *kind = json_string_value(json_object_get(c, "kind"));
            size_t j;
            if (strcmp(json_string_value(json_object_get(c, "action")),
                       actions[k]) ||
                !strcmp(kind, "import") || !strcmp(kind, "source") ||
                !strcmp(kind, "archive"))
                continue;
            for (j = 0; j < nk && strcmp(kinds[j], kind); j++)
                ;
            if (j == nk && nk < RC_ARRAY_SIZE(kinds)) {
                kinds[nk] = kind;
                counts[nk++] = 0;
            }
            if (j < nk)
                counts[j]++;
        }
        for (size_t j = 0; j < nk; j++) {
            size_t len = strlen(kinds[j]);
            bool y = len && kinds[j][len - 1] == 'y';
            fprintf(f, "%s%s%s%ld %.*s%s", first ? "" : ", ",
                    j == 0 ? verbs[k] : "", j == 0 ? " " : "", counts[j],
                    (int)(counts[j] != 1 && y ? len - 1 : len), kinds[j],
                    counts[j] == 1 ? "" : y ? "ies" : "s");
            first = false;
        }
    }
    if (first)
        fprintf(f, "%zu changes to the files an import saw", n);
}
