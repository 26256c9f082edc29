/* cmd_show.c - `runcare show`: one run's page: its totals, splits per km
 * (or mile), heart-rate zones, elevation, and with --svg a chart of pace,
 * heart rate and elevation over distance (app_show). */
#include "base/base.h"
#include "base/time.h"
#include "base/units.h"
#include "cli/cli.h"
#include "cli/out.h"

#define SHOW_SVG_MAX ((size_t)64 << 20)

static json_t *show_json(const struct app_show *s)
{
    json_t *o = json_object(), *splits = json_array(), *zones = json_array();
    for (size_t i = 0; i < s->nsplits; i++) {
        const struct app_split *sp = &s->splits[i];
        json_array_append_new(
            splits,
            json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "distance_m",
                      app_json_num(sp->distance_m, 1), "time_s",
                      app_json_num(sp->time_s, 1), "pace_s_per_km",
                      app_json_num(sp->distance_m > 0
                                  ? sp->time_s / (sp->distance_m / 1000)
                                  : NAN,
                              1),
                      "avg_hr_bpm", app_json_num(sp->avg_hr_bpm, 0), "ascent_m",
                      app_json_num(sp->ascent_m, 0), "descent_m",
                      app_json_num(sp->descent_m, 0)));
    }
    for (int z = 0; z < APP_HR_ZONES && activity_known(s->max_hr_bpm); z++)
        json_array_append_new(
            zones, json_pack("{s:i, s:o, s:o}", "zone", z + 1, "from_bpm",
                             app_json_num(s->max_hr_bpm * (0.5 + 0.1 * z), 0),
                             "time_s", app_json_num(s->zone_s[z], 0)));
    json_object_set_new(o, "activity", app_stored_activity_json(&s->sa));
    json_object_set_new(o, "split_m", app_json_num(s->split_m, 3));
    json_object_set_new(o, "splits", splits);
    json_object_set_new(o, "max_hr_bpm", app_json_num(s->max_hr_bpm, 0));
    json_object_set_new(o, "hr_zones", zones);
    json_object_set_new(o, "min_altitude_m", app_json_num(s->min_alt_m, 0));
    json_object_set_new(o, "max_altitude_m", app_json_num(s->max_alt_m, 0));
    return o;
}

static void show_text(const struct app_show *s, bool miles)
{
    const struct activity *a = &s->full;
    char t[24], u[24], v[24], pace[16];
    double zone_total = 0;
    printf("activity %lld: ", (long long)s->sa.id);
    out_stored_activity_text(stdout, &s->sa);
    printf("\n  elapsed %s, timer %s, moving %s\n",
           activity_known(a->elapsed_s) ? rc_format_duration(a->elapsed_s, t)
                                        : "-",
           activity_known(a->timer_s) ? rc_format_duration(a->timer_s, u) : "-",
           activity_known(a->moving_s) ? rc_format_duration(a->moving_s, v)
                                       : "-");
    if (activity_known(a->ascent_m) || activity_known(s->min_alt_m))
        printf("  elevation +%.0f m / -%.0f m, from %.0f to %.0f m\n",
               activity_known(a->ascent_m) ? a->ascent_m : 0.0,
               activity_known(a->descent_m) ? a->descent_m : 0.0,
               s->min_alt_m, s->max_alt_m);
    if (activity_known(a->avg_hr_bpm))
        printf("  heart rate %.0f average, %.0f max\n", a->avg_hr_bpm,
               a->max_hr_bpm);
    if (s->nsplits) {
        printf("\n  %-5s %8s %9s %5s %6s %6s\n", miles ? "mile" : "km", "time",
               miles ? "pace/mi" : "pace/km", "HR", "up", "down");
        for (size_t i = 0; i < s->nsplits; i++) {
            const struct app_split *sp = &s->splits[i];
            char hr[8];
            snprintf(hr, sizeof(hr), "%.0f", sp->avg_hr_bpm);
            printf("  %-5.2f %8s %9s %5s %5.0fm %5.0fm\n",
                   (double)(i + 1) - (sp->distance_m < s->split_m - 0.5
                                          ? 1 - sp->distance_m / s->split_m
                                          : 0),
                   rc_format_duration(sp->time_s, t),
                   rc_format_pace(sp->time_s,
                                  sp->distance_m * 1000 / s->split_m, pace),
                   activity_known(sp->avg_hr_bpm) ? hr : "-", sp->ascent_m,
                   sp->descent_m);
        }
    } else {
        printf("\n  no splits: the activity has no distance samples\n");
    }
    for (int z = 0; z < APP_HR_ZONES; z++)
        zone_total += s->zone_s[z];
    if (zone_total > 0) {
        printf("\n  heart-rate zones (of %.0f bpm, the log's highest):\n",
               s->max_hr_bpm);
        for (int z = 0; z < APP_HR_ZONES; z++)
            printf("  Z%d %3.0f-%3.0f bpm  %8s  %3.0f%%\n", z + 1,
                   s->max_hr_bpm * (0.5 + 0.1 * z),
                   s->max_hr_bpm * (0.6 + 0.1 * z),
                   rc_format_duration(s->zone_s[z], t),
                   100 * s->zone_s[z] / zone_total);
    }
}

static int run_show(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "json", no_argument, NULL, 'j' },
        { "svg", required_argument, NULL, 's' },
        { "miles", no_argument, NULL, 'm' },
        { NULL, 0, NULL, 0 },
    };
    struct rc_err err = RC_ERR_INIT;
    struct app_show s;
    const char *svg_path = NULL;
    bool json = false, miles = false;
    int64_t id;
    int c, status = RC_OK;

    while ((c = cli_getopt(argc, argv, "", longopts)) != -1) {
        if (c == CLI_OPT_ERROR)
            return RC_EUSAGE;
        if (c == 'j')
            json = true;
        if (c == 's')
            svg_path = optarg;
        if (c == 'm')
            miles = true;
    }
    if (argc - optind != 1)
        return cli_usage(argv[0], "give one activity (its number from "
                                  "'runcare list', or 'last')");
    if (svg_path && !strcmp(svg_path, "-") && json)
        return cli_usage(argv[0], "--json and --svg - both want stdout");
    if (cli_parse_activity(argv[0], argv[optind], &id) < 0)
        return RC_EINPUT;
    if (app_show(&ctx->app, id, miles, &s, &err) < 0)
        return cli_bad(argv[0], &err);
    if (svg_path) {
        struct rc_buf b;
        rc_buf_init(&b, SHOW_SVG_MAX);
        if (app_show_svg(&s, &b, &err) < 0 ||
            cli_write_file(svg_path, &b, "the chart", &err) < 0)
            status = cli_fail(&err);
        rc_buf_release(&b);
    }
    if (status == RC_OK && json) {
        json_t *j = show_json(&s);
        out_json_line(stdout, j);
        json_decref(j);
    } else if (status == RC_OK && (!svg_path || strcmp(svg_path, "-"))) {
        show_text(&s, miles);
    }
    app_show_release(&s);
    return status;
}

const struct cli_command cli_cmd_show = {
    "show",
    "ACTIVITY [--json] [--svg FILE] [--miles]",
    "one run: totals, splits, heart-rate zones, elevation, charts",
    "ACTIVITY is the number 'runcare list' shows, or 'last'. Shows the\n"
    "activity's totals (elapsed, timer and moving time), elevation, its\n"
    "splits per km (per mile with --miles: time, pace, heart rate, metres\n"
    "up and down), and the time in each heart-rate zone (50-60-70-80-90%\n"
    "of the highest heart rate of the log) when it has heart rate.\n"
    "\n"
    "options:\n"
    "  --json       the same as one JSON object\n"
    "  --svg FILE   a chart of pace, heart rate and elevation over distance\n"
    "               (- for stdout)\n"
    "  --miles      splits per mile\n"
    "\n"
    "examples:\n"
    "  runcare show last\n"
    "  runcare show 17 --svg run17.svg\n",
    run_show,
};
