/* cmd_demo.c - `runcare demo`: the main job on a demo athlete, end to end,
 * on data runcare makes itself. Each capability adds its step here, so the
 * demo always shows the whole product working.
 *
 * Step 1, the training log: the demo athlete's watch files (14 weeks of
 * runs, about 30 km a week, then a week that jumps to about 50 km with a
 * long run far past any before) are written with runcare's FIT encoder into
 * DIR/watch/, plus the phone's GPX of one of those runs, and imported
 * through the real import path: the phone's copy is recognised as the same
 * run, and the shoe (300 km before the log began) passes its limit.
 *
 * Step 2, the load guard: `runcare load` finds the last week's spike and
 * weekly jump and gives the next-run cap; the chart goes to DIR/load.svg.
 *
 * Step 3, the leg-pain check: the athlete's answers the morning after the
 * long run (both calves and thighs ache) go to `runcare check` as
 * DIR/pain-report.json; the training context comes from the log, and the
 * result is kept in the diary. Step 4 shows a red flag winning: the same
 * answers with cola-coloured urine are an emergency, whatever the scores. */
#include <sys/stat.h>

#include "base/base.h"
#include "base/buf.h"
#include "base/time.h"
#include "cli/cli.h"
#include "fit/fit.h"
#include "gpx/gpx.h"
#include "import/import.h"
#include "store/store.h"
#include "triage/triage.h"

#define DEMO_WEEKS 14

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

/* Write the watch files into dir/watch (and the phone's GPX of the last
 * long run). The weeks end with the long run yesterday, whatever the day
 * of the week, so that the pain report of step 3 is "the morning after".
 * Sets *long_run_end_s to when that run ended. */
static int demo_files(const char dir[3000], double *long_run_end_s,
                      struct rc_err *err)
{
    static const double week_km[4] = { 6, 8, 6, 10 };
    static const int days_before_long[4] = { 5, 3, 1, 0 };
    char path[4096];
    long yesterday = rc_day_of(rc_now()) - 1;
    struct rc_buf b;
    int rc = 0;

    snprintf(path, sizeof(path), "%s/watch", dir);
    if (mkdir(dir, 0755) < 0 && errno != EEXIST)
        return rc_fail(err, RC_EENV, "cannot create %s: %s", dir,
                       strerror(errno));
    if (mkdir(path, 0755) < 0 && errno != EEXIST)
        return rc_fail(err, RC_EENV, "cannot create %s: %s", path,
                       strerror(errno));
    rc_buf_init(&b, (size_t)64 << 20);
    for (int w = 0; w < DEMO_WEEKS && rc == 0; w++) {
        /* the last week jumps: longer easy runs and a 21 km long run */
        bool spike = w == DEMO_WEEKS - 1;
        long long_day = yesterday - 7L * (DEMO_WEEKS - 1 - w);
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

/* Run one of runcare's own commands as the runner would type it. */
static int demo_command(struct cli_ctx *ctx, const struct cli_command *c,
                        char **argv)
{
    int argc = 0;
    printf("   $ runcare");
    for (; argv[argc]; argc++)
        printf(" %s", argv[argc]);
    printf("\n\n");
    fflush(stdout);
    return c->run(ctx, argc, argv);
}

static int demo_import(struct cli_ctx *ctx, const char dir[3000],
                       double *long_run_end_s)
{
    extern const struct cli_command cli_cmd_inspect;
    struct rc_err err = RC_ERR_INIT;
    struct import_opts opts = { 0 };
    struct import_summary sum;
    struct store *s;
    struct store_shoe *shoes;
    char watch[4096], phone[4096], a[16], b[16];
    char *paths[2] = { watch, phone };
    size_t nshoes;
    int64_t shoe;
    struct store_shoe trainer;
    struct rc_err ignore = RC_ERR_INIT;

    snprintf(watch, sizeof(watch), "%s/watch", dir);
    snprintf(phone, sizeof(phone), "%s/phone-long-run.gpx", dir);
    printf("1. The training log\n\n");
    if (demo_files(dir, long_run_end_s, &err) < 0)
        return cli_fail(&err);
    {
        char fit[4096], date[16], name[] = "inspect";
        char *argv[] = { name, fit, NULL };
        int rc;
        snprintf(fit, sizeof(fit), "%s/watch/%s.fit", dir,
                 rc_date_format(rc_day_of(*long_run_end_s), date));
        printf("   The watch's file of yesterday's long run, decoded:\n");
        if ((rc = demo_command(ctx, &cli_cmd_inspect, argv)) != RC_OK)
            return rc;
        printf("\n");
    }
    s = cli_store_open(ctx, &err);
    if (!s)
        return cli_fail(&err);
    printf("   %s holds the watch's FIT files; the phone recorded the last "
           "long run too.\n   $ runcare import %s %s\n", watch, watch,
           phone);
    /* the shoes had run 300 km before the log began */
    if (store_shoe_get(s, "Demo Trainer", &trainer, &ignore) == 0)
        shoe = trainer.id;
    else if (store_shoe_add(s, "Demo Trainer", 300, NAN, &shoe, &err) < 0)
        shoe = 0;
    if (!shoe || store_shoe_set_default(s, shoe, &err) < 0 ||
        import_paths(s, paths, 2, &opts, &sum, &err) < 0) {
        store_close(s);
        return cli_fail(&err);
    }
    printf("   imported %ld files (%ld new activities), %ld duplicate "
           "(the phone's copy of a run the watch recorded more richly), "
           "%ld failed\n",
           sum.imported, sum.activities, sum.duplicates, sum.failed);
    printf("   the log holds %ld activities from %s to %s, %.1f km of "
           "running\n\n",
           sum.totals.activities, rc_date_format(sum.totals.first_day, a),
           rc_date_format(sum.totals.last_day, b), sum.totals.running_km);
    import_summary_release(&sum);
    if (store_shoe_list(s, &shoes, &nshoes, &err) < 0) {
        store_close(s);
        return cli_fail(&err);
    }
    for (size_t i = 0; i < nshoes; i++)
        printf("   shoe \"%s\": %.0f km of its %.0f km limit%s\n",
               shoes[i].name, shoes[i].used_km, shoes[i].limit_km,
               shoes[i].used_km >= shoes[i].limit_km
                   ? ": time for a new pair" : "");
    free(shoes);
    store_close(s);
    printf("\n   See them with: runcare list\n\n");
    return RC_OK;
}

/* Step 2: `runcare load` on that log, and its chart in DIR/load.svg. */
static int demo_load(struct cli_ctx *ctx, const char dir[3000])
{
    extern const struct cli_command cli_cmd_load;
    char name[] = "load", weeks[] = "--weeks", six[] = "6", svg[] = "--svg";
    char path[4096];
    char *argv[] = { name, weeks, six, svg, path, NULL };

    snprintf(path, sizeof(path), "%s/load.svg", dir);
    printf("2. The load guard: the jump in the last week, and how far is "
           "safe next\n\n");
    return demo_command(ctx, &cli_cmd_load, argv);
}

/* The athlete's answers the morning after the long run: both calves and
 * the front of both thighs ache, no red flag. urine: "normal", or the
 * cola-coloured urine of step 4. */
static json_t *demo_report(double hours, const char *urine)
{
    double days = floor(hours / 24);
    json_t *r = json_pack(
        "{s:s, s:i, s:s,"
        " s:{s:[s,s], s:s},"
        " s:{s:b, s:s, s:b, s:b, s:s, s:b, s:s},"
        " s:{s:s, s:b, s:b, s:b, s:s},"
        " s:{s:s, s:f, s:f, s:i, s:s, s:[s,s], s:b, s:b, s:s},"
        " s:{s:s, s:s},"
        " s:{s:[]}}",
        "schema_version", "1.0", "age_years", 38, "sex", "female",
        "location", "regions", "calf", "thigh_front", "side", "both",
        "screen", "chest_pain_or_breathless", 0, "urine", urine,
        "vomiting_or_confusion", 0, "fever", 0, "can_walk", "normally",
        "numbness_tingling", 0, "weakness", "none",
        "signs", "swelling", "none", "redness", 0, "warmth", 0, "bruising",
        0, "lump", "none",
        "pain", "onset", "next_day", "hours_since_run", round(hours),
        "days_with_symptoms", days, "score", 4, "trend", "same",
        "character", "ache", "stiffness", "at_rest", 0, "at_night", 0,
        "relieved_by_stretching", "yes",
        "checks", "tenderness", "in_muscle", "can_hop", "pain_free",
        "history", "clot_risks");
    return r;
}

/* Step 3: the leg-pain check on the athlete's answers, kept in the diary.
 * Step 4: the same answers with cola-coloured urine. */
static int demo_check(struct cli_ctx *ctx, const char dir[3000],
                      double long_run_end_s)
{
    extern const struct cli_command cli_cmd_check;
    char name[] = "check", path[4096];
    char *argv[] = { name, path, NULL };
    double hours = (rc_now() - long_run_end_s) / 3600;
    struct rc_err err = RC_ERR_INIT;
    json_t *report, *result = NULL, *flags;
    struct kb *kb;
    struct triage_context tctx = { rc_now(), NULL };
    size_t i;
    json_t *flag;
    int rc;

    if (hours < 1)
        hours = 1;
    snprintf(path, sizeof(path), "%s/pain-report.json", dir);
    report = demo_report(hours, "normal");
    if (!report || json_dump_file(report, path, JSON_INDENT(1)) < 0) {
        json_decref(report);
        rc_fail(&err, RC_EENV, "cannot write %s", path);
        return cli_fail(&err);
    }
    json_decref(report);
    printf("\n3. The leg-pain check, the morning after the long run\n\n"
           "   Both calves and the front of both thighs ache. The answers "
           "are in\n   %s (on a terminal, 'runcare check' asks "
           "them). The\n   training questions are answered by the log.\n\n",
           path);
    if ((rc = demo_command(ctx, &cli_cmd_check, argv)) != RC_OK)
        return rc;

    printf("\n4. A red flag always wins\n\n   The same answers, but the "
           "urine is cola-coloured:\n\n");
    report = demo_report(hours, "dark_cola");
    if (!report || !(kb = kb_load_embedded(&err))) {
        json_decref(report);
        return cli_fail(&err);
    }
    result = triage_check_json(kb, report, &tctx, &err);
    if (!result) {
        kb_free(kb);
        json_decref(report);
        return cli_fail(&err);
    }
    printf("   %s: %s\n",
           triage_level_name(triage_result_level(result)),
           json_string_value(json_object_get(result, "headline")));
    flags = json_object_get(result, "red_flags");
    json_array_foreach(flags, i, flag) {
        json_t *because = json_object_get(flag, "because");
        printf("   red flag %s, raised by %s\n",
               json_string_value(json_object_get(flag, "id")),
               json_string_value(json_array_get(because, 0)));
    }
    printf("   Most likely now: %s. Whatever the scores, no ranking can "
           "lower the\n   level a red flag sets.\n",
           json_string_value(json_object_get(
               json_array_get(json_object_get(result, "conditions"), 0),
               "name")));
    json_decref(result);
    json_decref(report);
    kb_free(kb);
    return RC_OK;
}

static int run_demo(struct cli_ctx *ctx, int argc, char **argv)
{
    char dir[3000]; /* room for the file names below it */
    double long_run_end_s = NAN;
    int rc;
    if (argc > 2)
        return cli_usage(argv[0], "too many arguments");
    if (argc == 2) {
        if (strlen(argv[1]) >= sizeof(dir))
            return cli_usage(argv[0], "the folder name is too long");
        snprintf(dir, sizeof(dir), "%s", argv[1]);
    } else {
        const char *tmp = getenv("TMPDIR");
        snprintf(dir, sizeof(dir), "%s/runcare-demo.XXXXXX",
                 tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(dir)) {
            struct rc_err err = RC_ERR_INIT;
            rc_fail(&err, RC_EENV, "cannot create %s: %s", dir,
                    strerror(errno));
            return cli_fail(&err);
        }
    }
    printf("runcare %s demo, in %s\n\n"
           "The demo athlete ran about 30 km a week for 13 weeks; last week "
           "jumped\nto over 50 km, with a 21 km long run yesterday. This "
           "morning her legs ache.\n\n",
           RC_VERSION, dir);
    rc = demo_import(ctx, dir, &long_run_end_s);
    if (rc == RC_OK)
        rc = demo_load(ctx, dir);
    if (rc == RC_OK)
        rc = demo_check(ctx, dir, long_run_end_s);
    if (rc != RC_OK)
        return rc;
    printf("\nNext: 'runcare list' (the log), 'runcare load --json', "
           "'runcare check' on a\nterminal (the questionnaire), "
           "'runcare help'. Everything is in %s.\n", dir);
    return RC_OK;
}

const struct cli_command cli_cmd_demo = {
    "demo",
    "[DIR]",
    "build a demo athlete (12+ weeks with a volume spike and a pain report) "
    "and show what runcare does",
    "Writes the demo athlete's files into DIR (default: a new folder under\n"
    "/tmp) and runs the main job on them, step by step.\n",
    run_demo,
};
