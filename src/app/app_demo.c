/* app_demo.c - the demo athlete (see app.h): her watch's FIT files and
 * her phone's GPX, written by runcare's own encoders, imported through
 * the real import path with her shoe, and her answers to the leg-pain
 * check the morning after the long run. `runcare demo` (cli/cmd_demo.c)
 * shows each step; a web page can build the same athlete.
 *
 * Data flow: activity -> fit_write_activity / gpx_write_activity -> files
 * in DIR -> app_import's path (import_paths) -> the log. */
#include <sys/stat.h>

#include "base/base.h"
#include "base/fs.h"
#include "base/buf.h"
#include "base/time.h"
#include "app/app_int.h"
#include "fit/fit.h"
#include "gpx/gpx.h"

#define DEMO_WEEKS 14
#define DEMO_DIR_MAX 3000

/* One demo run: km at pace_s per km, starting at local 07:00 (UTC+1),
 * recorded at 1 s along a loop near Utrecht. */
static int demo_run(struct activity *a, long day, double km, double pace_s,
                    struct rc_err *err)
{
    double dur = km * pace_s, speed = 1000 / pace_s;
    activity_init(a);
    snprintf(a->sport, sizeof(a->sport), "running");
    snprintf(a->sub_sport, sizeof(a->sub_sport), "generic");
    snprintf(a->device.manufacturer, sizeof(a->device.manufacturer),
             "garmin");
    a->utc_offset_s = 3600;
    a->has_utc_offset = true;
    a->start_s = (double)day * 86400 + 6 * 3600;
    a->elapsed_s = a->timer_s = floor(dur);
    a->distance_m = speed * floor(dur);
    for (long i = 0; i <= (long)dur; i++) {
        struct activity_sample *s = activity_add_sample(a, err);
        double angle = speed * (double)i / 2500.0;
        if (!s)
            return -1;
        s->time_s = a->start_s + (double)i;
        s->lat_deg = 52.09 + 0.0036 * sin(angle);
        s->lon_deg = 5.12 + 0.0058 * (1 - cos(angle));
        s->alt_m = (float)(4 + 2 * sin(angle * 3));
        s->dist_m = (float)(speed * (double)i);
        s->speed_mps = (float)speed;
        s->hr_bpm = (float)(128 + 20 * (double)i / dur + (i % 7));
        s->cadence_rpm = 84;
    }
    return 0;
}

static int write_file(const char *path, const struct rc_buf *b,
                      struct rc_err *err)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(b->data, 1, b->len, f) != b->len || fclose(f) != 0) {
        if (f)
            fclose(f);
        return rc_fail(err, RC_EENV, "cannot write %s: %s", path,
                       strerror(errno));
    }
    return 0;
}

/* The weeks end with the long run the day before the check, whatever the
 * day of the week, so that the pain report is "the morning after". */
int app_demo_files(const char *dir, double check_s, double *long_run_end_s,
                   struct rc_err *err)
{
    static const double week_km[4] = { 6, 8, 6, 10 };
    static const int days_before_long[4] = { 5, 3, 1, 0 };
    char path[4096];
    long day_before_check = rc_day_of(check_s) - 1;
    struct rc_buf b;
    int rc = 0;

    if (strlen(dir) >= DEMO_DIR_MAX) /* room for the file names below */
        return rc_fail(err, RC_EINPUT, "the folder name is too long");
    snprintf(path, sizeof(path), "%s/watch", dir);
    if (rc_make_parent(path, err) < 0)
        return -1;
    if (mkdir(path, 0755) < 0 && errno != EEXIST)
        return rc_fail(err, RC_EENV, "cannot create %s: %s", path,
                       strerror(errno));
    rc_buf_init(&b, (size_t)64 << 20);
    for (int w = 0; w < DEMO_WEEKS && rc == 0; w++) {
        /* the last week jumps: longer easy runs and a 21 km long run */
        bool spike = w == DEMO_WEEKS - 1;
        long long_day = day_before_check - 7L * (DEMO_WEEKS - 1 - w);
        for (int r = 0; r < 4 && rc == 0; r++) {
            long day = long_day - days_before_long[r];
            double km = spike ? (r == 3 ? 21 : week_km[r] + 4)
                              : week_km[r] + (w % 3) * 0.5 + (r == 3 ? w / 3.0 : 0);
            struct activity a;
            char date[16];
            rc_buf_release(&b);
            rc = demo_run(&a, day, km, r == 3 ? 345 : 320, err);
            if (rc == 0)
                rc = fit_write_activity(&a, NULL, &b, err);
            snprintf(path, sizeof(path), "%s/watch/%s.fit", dir,
                     rc_date_format(day, date));
            if (rc == 0)
                rc = write_file(path, &b, err);
            if (rc == 0 && spike && r == 3) {
                *long_run_end_s = a.start_s + a.elapsed_s;
                /* the phone recorded the long run too, starting 40 s later */
                a.start_s += 40;
                for (size_t i = 0; i < a.nsamples; i++)
                    a.samples[i].time_s += 40;
                rc_buf_release(&b);
                rc = gpx_write_activity(&a, &b, err);
                snprintf(path, sizeof(path), "%s/phone-long-run.gpx", dir);
                if (rc == 0)
                    rc = write_file(path, &b, err);
            }
            activity_release(&a);
        }
    }
    rc_buf_release(&b);
    return rc;
}

json_t *app_demo_report(double hours, const char *urine)
{
    double days = floor(hours / 24);
    json_t *r = json_pack(
        "{s:s, s:i, s:s,"
        " s:{s:[s,s], s:s},"
        " s:{s:b, s:s, s:b, s:b, s:s, s:b, s:s},"
        " s:{s:s, s:b, s:b, s:b, s:s, s:b},"
        " s:{s:s, s:f, s:f, s:i, s:s, s:[s,s], s:b, s:b, s:s},"
        " s:{s:s, s:s, s:b, s:b, s:b, s:b, s:b},"
        " s:{s:[], s:[], s:[], s:b, s:b, s:s}}",
        "schema_version", "1.1", "age_years", 38, "sex", "female",
        "location", "regions", "calf", "thigh_front", "side", "both",
        "screen", "chest_pain_or_breathless", 0, "urine", urine,
        "vomiting_or_confusion", 0, "fever", 0, "can_walk", "normally",
        "numbness_tingling", 0, "weakness", "none",
        "signs", "swelling", "none", "redness", 0, "warmth", 0, "bruising",
        0, "lump", "none", "calf_bigger_than_other", 0,
        "pain", "onset", "next_day", "hours_since_run", round(hours),
        "days_with_symptoms", days, "score", 4, "trend", "same",
        "character", "ache", "stiffness", "at_rest", 0, "at_night", 0,
        "relieved_by_stretching", "yes",
        "checks", "tenderness", "in_muscle", "can_hop", "pain_free",
        "radiates_from_back", 0, "saddle_or_bladder_change", 0,
        "muscle_rock_hard", 0, "foot_cold_or_pale", 0, "pop_or_kicked", 0,
        "history", "clot_risks", "medications", "conditions",
        "fall_or_blow", 0, "previous_same_problem", 0, "pregnancy",
        "not_pregnant");
    return r;
}

int app_demo_import(const struct app *app, const char *dir,
                    struct import_summary *sum, struct app_list *out,
                    struct rc_err *err)
{
    struct import_opts opts = { 0 };
    struct app_list l = { .acts = NULL };
    struct store_shoe trainer;
    struct rc_err ignore = RC_ERR_INIT;
    struct app_log log;
    char watch[4096], phone[4096];
    char *paths[2] = { watch, phone };
    int64_t shoe;
    int rc = -1;

    memset(sum, 0, sizeof(*sum));
    snprintf(watch, sizeof(watch), "%s/watch", dir);
    snprintf(phone, sizeof(phone), "%s/phone-long-run.gpx", dir);
    if (app_open(app, APP_CREATE, &log, err) < 0)
        return -1;
    /* the shoes had run 300 km before the log began */
    if (store_shoe_get(log.store, "Demo Trainer", &trainer, &ignore) == 0)
        shoe = trainer.id;
    else if (store_shoe_add(log.store, "Demo Trainer", 300, NAN, &shoe,
                            err) < 0)
        shoe = 0;
    if (shoe && store_shoe_set_default(log.store, shoe, err) == 0 &&
        import_paths(log.store, paths, 2, &opts, sum, err) == 0 &&
        store_shoe_list(log.store, &l.shoes, &l.nshoes, err) == 0) {
        *out = l;
        rc = 0;
    }
    app_close(&log);
    return rc;
}

json_t *app_demo_follow_up(const struct kb *kb, const json_t *report,
                           double check_s, double run_end_s, double days,
                           bool on_track)
{
    json_t *answers = json_pack(
        "{s:b, s:s, s:b, s:b, s:s, s:b, s:s, s:i, s:s, s:b, s:b, s:s, s:b, "
        "s:b, s:b}",
        "/screen/chest_pain_or_breathless", 0, "/screen/urine", "normal",
        "/screen/vomiting_or_confusion", 0, "/screen/fever", 0,
        "/screen/can_walk", "normally", "/screen/numbness_tingling", 0,
        "/screen/weakness", "none", "/pain/score", on_track ? 2 : 6,
        "/pain/trend", on_track ? "better" : "worse", "/pain/at_rest", 0,
        "/pain/at_night", 0, "/signs/swelling", "none", "/signs/redness", 0,
        "/signs/warmth", 0, "/signs/bruising", 0);
    json_t *r = answers ? app_follow_up_report(kb, report, check_s, answers,
                                               check_s + days * 86400.0,
                                               run_end_s)
                        : NULL;
    json_decref(answers);
    return r;
}
