/* app_json.c - the JSON every front end shows (see app_json.h). */
#include "base/base.h"
#include "base/buf.h"
#include "base/time.h"
#include "app/app_json.h"

json_t *app_json_num(double v, int decimals)
{
    double scale;
    if (!isfinite(v))
        return json_null();
    if (decimals <= 0)
        return json_integer((json_int_t)llround(v));
    scale = pow(10, decimals);
    return json_real(round(v * scale) / scale);
}

static const struct {
    unsigned bit;
    const char *name;
} computed_names[] = {
    { ACTIVITY_C_START, "start" },       { ACTIVITY_C_ELAPSED, "elapsed" },
    { ACTIVITY_C_TIMER, "timer" },       { ACTIVITY_C_MOVING, "moving" },
    { ACTIVITY_C_DISTANCE, "distance" }, { ACTIVITY_C_ASCENT, "ascent" },
    { ACTIVITY_C_DESCENT, "descent" },   { ACTIVITY_C_HR, "heart_rate" },
    { ACTIVITY_C_CADENCE, "cadence" },
};

json_t *app_activity_json(const struct activity *a)
{
    json_t *o = json_object(), *dev = json_object(), *computed = json_array();
    char when[32];

    json_object_set_new(o, "sport", json_string(a->sport));
    json_object_set_new(o, "sub_sport", json_string(a->sub_sport));
    if (a->name[0])
        json_object_set_new(o, "name", json_string(a->name));
    json_object_set_new(o, "start_utc",
                        activity_known(a->start_s)
                            ? json_string(rc_time_format(a->start_s, when))
                            : json_null());
    json_object_set_new(o, "utc_offset_s",
                        a->has_utc_offset ? json_integer(a->utc_offset_s)
                                          : json_null());
    json_object_set_new(o, "distance_m", app_json_num(a->distance_m, 1));
    json_object_set_new(o, "elapsed_s", app_json_num(a->elapsed_s, 1));
    json_object_set_new(o, "timer_s", app_json_num(a->timer_s, 1));
    json_object_set_new(o, "moving_s", app_json_num(a->moving_s, 1));
    json_object_set_new(o, "ascent_m", app_json_num(a->ascent_m, 0));
    json_object_set_new(o, "descent_m", app_json_num(a->descent_m, 0));
    json_object_set_new(o, "avg_hr_bpm", app_json_num(a->avg_hr_bpm, 0));
    json_object_set_new(o, "max_hr_bpm", app_json_num(a->max_hr_bpm, 0));
    json_object_set_new(o, "avg_cadence_rpm", app_json_num(a->avg_cadence_rpm, 0));
    json_object_set_new(o, "max_cadence_rpm", app_json_num(a->max_cadence_rpm, 0));
    json_object_set_new(o, "avg_power_w", app_json_num(a->avg_power_w, 0));
    json_object_set_new(o, "calories_kcal", app_json_num(a->calories_kcal, 0));
    json_object_set_new(o, "laps", json_integer((json_int_t)a->nlaps));
    json_object_set_new(o, "samples", json_integer((json_int_t)a->nsamples));
    json_object_set_new(dev, "manufacturer",
                        a->device.manufacturer[0]
                            ? json_string(a->device.manufacturer)
                            : json_null());
    json_object_set_new(dev, "product",
                        a->device.product ? json_integer(a->device.product)
                                          : json_null());
    json_object_set_new(dev, "serial",
                        a->device.serial ? json_integer(a->device.serial)
                                         : json_null());
    if (a->device.product_name[0])
        json_object_set_new(dev, "product_name",
                            json_string(a->device.product_name));
    json_object_set_new(o, "device", dev);
    for (size_t i = 0; i < RC_ARRAY_SIZE(computed_names); i++)
        if (a->computed & computed_names[i].bit)
            json_array_append_new(computed,
                                  json_string(computed_names[i].name));
    json_object_set_new(o, "computed", computed);
    json_object_set_new(o, "salvaged", json_boolean(a->salvaged));
    return o;
}

json_t *app_stored_activity_json(const struct store_activity *sa)
{
    json_t *o = app_activity_json(&sa->act);
    char day[16];
    json_object_set_new(o, "id", json_integer(sa->id));
    json_object_set_new(o, "local_date",
                        activity_known(sa->act.start_s)
                            ? json_string(rc_date_format(sa->local_day, day))
                            : json_null());
    json_object_set_new(o, "format", json_string(sa->format));
    json_object_set_new(o, "samples", json_integer(sa->nsamples));
    json_object_set_new(o, "rpe", app_json_num(sa->rpe, 1));
    json_object_set_new(o, "shoe",
                        sa->shoe[0] ? json_string(sa->shoe) : json_null());
    if (sa->duplicate_of)
        json_object_set_new(o, "duplicate_of",
                            json_integer(sa->duplicate_of));
    return o;
}

json_t *app_json_day(long day)
{
    char text[16];
    return day == LONG_MIN ? json_null()
                           : json_string(rc_date_format(day, text));
}

json_t *app_shoe_json(const struct store_shoe *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(s->name));
    json_object_set_new(o, "km", app_json_num(s->used_km, 1));
    json_object_set_new(o, "start_km", app_json_num(s->start_km, 1));
    json_object_set_new(o, "limit_km", app_json_num(s->limit_km, 1));
    json_object_set_new(o, "runs", json_integer(s->runs));
    json_object_set_new(o, "retired", json_boolean(s->retired));
    json_object_set_new(o, "default", json_boolean(s->is_default));
    json_object_set_new(o, "since", app_json_day(s->since_day));
    json_object_set_new(o, "retired_on", app_json_day(s->retired_day));
    json_object_set_new(o, "past_limit",
                        json_boolean(s->used_km >= s->limit_km));
    return o;
}

void app_import_summary_text(const struct import_summary *s, char *out,
                             size_t n)
{
    char a[16], b[16];
    size_t used = 0;

    if (n == 0)
        return;
    out[0] = '\0';
    rc_snappend(out, n, &used,
        "imported %ld file%s (%ld new activit%s), %ld duplicate%s, %ld not "
        "activit%s, %ld salvaged, %ld failed",
        s->imported, s->imported == 1 ? "" : "s", s->activities,
        s->activities == 1 ? "y" : "ies", s->duplicates,
        s->duplicates == 1 ? "" : "s", s->not_activities,
        s->not_activities == 1 ? "y" : "ies", s->salvaged, s->failed);
    if (s->skipped)
        rc_snappend(out, n, &used, ", %ld other file%s skipped", s->skipped,
            s->skipped == 1 ? "" : "s");
    rc_snappend(out, n, &used, "\n");
    if (s->strava_rows - s->strava_manual > 0)
        rc_snappend(out, n, &used, "named %ld activit%s from Strava's "
                           "activities.csv\n",
            s->strava_rows - s->strava_manual,
            s->strava_rows - s->strava_manual == 1 ? "y" : "ies");
    if (s->strava_manual)
        rc_snappend(out, n, &used, "added %ld activit%s entered by hand on Strava "
                           "(no file)\n",
            s->strava_manual, s->strava_manual == 1 ? "y" : "ies");
    if (s->restored)
        rc_snappend(out, n, &used, "brought back %ld removed activit%s "
                           "(--restore)\n",
            s->restored, s->restored == 1 ? "y" : "ies");
    else if (s->removed)
        rc_snappend(out, n, &used, "%ld file%s of removed activities left out; "
                           "'runcare import --restore' brings them back\n",
            s->removed, s->removed == 1 ? "" : "s");
    if (s->imported == 0 && s->duplicates > 0 && s->failed == 0)
        rc_snappend(out, n, &used, "nothing new: every activity was already in the "
                           "log\n");
    if (s->totals.activities == 0)
        rc_snappend(out, n, &used, "the log holds no activities\n");
    else
        rc_snappend(out, n, &used,
            "the log now holds %ld activit%s from %s to %s, %.1f km of "
            "running\n",
            s->totals.activities, s->totals.activities == 1 ? "y" : "ies",
            rc_date_format(s->totals.first_day, a),
            rc_date_format(s->totals.last_day, b), s->totals.running_km);
}

json_t *app_import_summary_json(const struct import_summary *s,
                                const char *prefix)
{
    json_t *o = json_object(), *fails = json_array();
    size_t plen = prefix ? strlen(prefix) : 0;
    char text[1024], a[16], b[16];

    json_object_set_new(o, "files", json_integer(s->files));
    json_object_set_new(o, "imported", json_integer(s->imported));
    json_object_set_new(o, "activities", json_integer(s->activities));
    json_object_set_new(o, "duplicates", json_integer(s->duplicates));
    json_object_set_new(o, "not_activities", json_integer(s->not_activities));
    json_object_set_new(o, "salvaged", json_integer(s->salvaged));
    json_object_set_new(o, "skipped", json_integer(s->skipped));
    json_object_set_new(o, "failed", json_integer(s->failed));
    for (size_t i = 0; i < s->nfailures; i++) {
        const char *p = s->failures[i].path;
        json_t *f = json_object();
        if (plen && !strncmp(p, prefix, plen))
            p += plen;
        json_object_set_new(f, "path", json_string(p));
        json_object_set_new(f, "reason", json_string(s->failures[i].reason));
        json_array_append_new(fails, f);
    }
    json_object_set_new(o, "failures", fails);
    json_object_set_new(o, "log_activities",
                        json_integer(s->totals.activities));
    json_object_set_new(o, "log_first_date",
                        s->totals.activities
                            ? json_string(rc_date_format(s->totals.first_day, a))
                            : json_null());
    json_object_set_new(o, "log_last_date",
                        s->totals.activities
                            ? json_string(rc_date_format(s->totals.last_day, b))
                            : json_null());
    json_object_set_new(o, "log_running_km",
                        app_json_num(s->totals.running_km, 1));
    app_import_summary_text(s, text, sizeof(text));
    json_object_set_new(o, "text", json_string(text));
    return o;
}

/* Metres east and north of (lat0, lon0): an equirectangular projection,
 * good to a metre or so over the few km of a run. */
static void project(double lat0, double lon0, double lat, double lon,
                    double *x, double *y)
{
    const double r = 6371000.0, rad = M_PI / 180.0;
    *x = (lon - lon0) * rad * r * cos(lat0 * rad);
    *y = (lat - lat0) * rad * r;
}

json_t *app_samples_json(const struct activity *full, size_t max_points)
{
    json_t *o = json_object(), *dist = json_array(), *pace = json_array(),
           *hr = json_array(), *alt = json_array(), *track = json_array();
    size_t n = full->nsamples, step = 1, first_pos = n;
    double lat0 = 0, lon0 = 0;

    if (max_points == 0)
        max_points = 1;
    if (n > max_points)
        step = (n + max_points - 1) / max_points;
    for (size_t i = 0; i < n; i++)
        if (isfinite(full->samples[i].lat_deg) &&
            isfinite(full->samples[i].lon_deg)) {
            first_pos = i;
            lat0 = full->samples[i].lat_deg;
            lon0 = full->samples[i].lon_deg;
            break;
        }
    for (size_t i = 0; i < n; i += step) {
        const struct activity_sample *s = &full->samples[i];
        double sp = s->speed_mps;
        if (!isfinite(s->dist_m))
            continue;
        json_array_append_new(dist, app_json_num(s->dist_m / 1000.0, 3));
        json_array_append_new(pace, app_json_num(isfinite(sp) && sp > 0.5
                                                     ? 1000.0 / sp : NAN, 0));
        json_array_append_new(hr, app_json_num(s->hr_bpm, 0));
        json_array_append_new(alt, app_json_num(s->alt_m, 1));
        if (first_pos < n && isfinite(s->lat_deg) && isfinite(s->lon_deg)) {
            double x, y;
            project(lat0, lon0, s->lat_deg, s->lon_deg, &x, &y);
            json_array_append_new(track, json_pack("[f,f]", round(x),
                                                   round(y)));
        }
    }
    json_object_set_new(o, "distance_km", dist);
    json_object_set_new(o, "pace_s_per_km", pace);
    json_object_set_new(o, "hr_bpm", hr);
    json_object_set_new(o, "alt_m", alt);
    json_object_set_new(o, "track", track);
    return o;
}
