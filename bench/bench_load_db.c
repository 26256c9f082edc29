/* bench_load_db.c - the load guard from a database: writes the 10-year
 * log of load_gen.h (about 3,500 runs, totals only) into a runcare
 * database, or times, in process, what `runcare load` does with one:
 * open the database alone, then read the log (open, list activities and
 * shoes, convert), then the report with its JSON and SVG; reading the
 * whole log, and only from LOAD_HISTORY_DAYS before the weeks shown (what
 * runcare load reads). The two must give the same report.
 *
 *   bench_load_db make PATH [RUNS]     (default 3500)
 *   bench_load_db time PATH [REPEAT]   (default 100)
 *
 * Speed is never asserted: compare with the 10 ms budget of issue 6. */
#include "base/base.h"
#include "base/buf.h"
#include "base/time.h"
#include "app/app.h"
#include "load/load.h"
#include "store/store.h"
#include "load_gen.h"

static int fail(const struct rc_err *err)
{
    fprintf(stderr, "bench_load_db: %s%s%s\n", err->file,
            err->file[0] ? ": " : "", err->msg);
    return 1;
}

static int make(const char *path, size_t want)
{
    struct load_run *runs = calloc(want ? want : 1, sizeof(*runs));
    struct rc_err err = RC_ERR_INIT;
    struct store *s;
    int64_t shoes[10];
    size_t n;

    if (!runs)
        return 1;
    n = bench_load_generate(runs, want);
    remove(path);
    if (!(s = store_open(path, STORE_CREATE, &err)))
        return fail(&err);
    for (int i = 0; i < 10; i++) {
        char name[32];
        snprintf(name, sizeof(name), "shoe %d", i + 1);
        if (store_shoe_add(s, name, 0, NAN, &shoes[i], &err) < 0)
            return fail(&err);
    }
    if (store_begin(s, &err) < 0)
        return fail(&err);
    for (size_t i = 0; i < n; i++) {
        struct activity a;
        int64_t id;
        activity_init(&a);
        snprintf(a.sport, sizeof(a.sport), "running");
        snprintf(a.sub_sport, sizeof(a.sub_sport), "generic");
        a.start_s = runs[i].start_s;
        a.utc_offset_s = runs[i].utc_offset_s;
        a.has_utc_offset = true;
        a.distance_m = runs[i].distance_m;
        a.elapsed_s = a.timer_s = a.moving_s = runs[i].duration_s;
        a.ascent_m = runs[i].ascent_m;
        a.avg_hr_bpm = runs[i].avg_hr_bpm;
        a.max_hr_bpm = runs[i].max_hr_bpm;
        if (store_add_activity(s, &a, 0, &id, &err) < 0 ||
            (!isnan(runs[i].rpe) &&
             store_set_rpe(s, id, runs[i].rpe, &err) < 0) ||
            store_set_shoe(s, id, shoes[(size_t)runs[i].shoe_id % 10],
                           &err) < 0)
            return fail(&err);
        activity_release(&a);
    }
    if (store_commit(s, &err) < 0)
        return fail(&err);
    store_close(s);
    printf("wrote %zu runs into %s\n", n, path);
    free(runs);
    return 0;
}

/* The day of the log's last run (the report's day), from a whole read. */
static int last_day(const char *path, long *day)
{
    struct app app = { .db = path };
    struct app_runs log;
    struct rc_err err = RC_ERR_INIT;
    if (app_runs_read(&app, LONG_MIN, 0, &log, &err) < 0)
        return fail(&err);
    if (log.nruns == 0) {
        fprintf(stderr, "bench_load_db: %s holds no runs\n", path);
        return 1;
    }
    *day = (long)floor((log.runs[log.nruns - 1].start_s +
                        log.runs[log.nruns - 1].utc_offset_s) / 86400.0);
    app_runs_release(&log);
    return 0;
}

/* One timed pass: open alone; read the log (whole, or from
 * LOAD_HISTORY_DAYS before the 12 weeks shown); rules, report, JSON and
 * SVG. t gets the three times, ms. */
static int pass(const char *path, long as_of, bool whole, double t[3],
                size_t *nruns, char **json)
{
    struct app app = { .db = path };
    struct app_runs log;
    struct load_rules rules;
    struct load_report r;
    struct load_opts o;
    struct rc_err err = RC_ERR_INIT;
    struct rc_buf svg;
    struct store *s;
    json_t *j;
    char *text;
    long first_day = as_of - rc_weekday(as_of) - 7 * 11;
    double t0 = now_ms(), t1, t2;

    if (!(s = store_open(path, 0, &err)))
        return fail(&err);
    store_close(s);
    t1 = now_ms();
    if (load_rules_default(&rules, &err) < 0 ||
        app_runs_read(&app, whole ? LONG_MIN : first_day,
                      load_rules_lookback_days(&rules), &log, &err) < 0)
        return fail(&err);
    load_opts_init(&o, as_of, 12);
    t2 = now_ms();
    if (load_report_build(log.runs, log.nruns, log.shoes, log.nshoes, &rules,
                          &o, &r, &err) < 0)
        return fail(&err);
    j = load_report_json(&r);
    text = json_dumps(j, JSON_COMPACT);
    rc_buf_init(&svg, (size_t)16 << 20);
    if (load_svg(&r, &svg, &err) < 0)
        return fail(&err);
    t[0] = t1 - t0;
    t[1] = t2 - t1;
    t[2] = now_ms() - t2;
    *nruns = log.nruns;
    free(*json);
    *json = text;
    json_decref(j);
    rc_buf_release(&svg);
    load_report_release(&r);
    app_runs_release(&log);
    return 0;
}

static int time_steps(const char *path, int repeat)
{
    double *t = calloc((size_t)repeat * 6, sizeof(double));
    double med[2][3];
    size_t nruns[2] = { 0 };
    char *json[2] = { NULL, NULL };
    long as_of = 0;

    if (!t || repeat < 1 || last_day(path, &as_of) != 0)
        return 1;
    for (int k = 0; k < repeat; k++)
        for (int w = 0; w < 2; w++) {
            double one[3];
            if (pass(path, as_of, w == 0, one, &nruns[w], &json[w]) != 0)
                return 1;
            for (int i = 0; i < 3; i++)
                t[(size_t)(w * 3 + i) * (size_t)repeat + (size_t)k] = one[i];
        }
    for (int w = 0; w < 2; w++)
        for (int i = 0; i < 3; i++) {
            double *v = t + (size_t)(w * 3 + i) * (size_t)repeat;
            qsort(v, (size_t)repeat, sizeof(double), cmp_double);
            med[w][i] = v[repeat / 2];
        }
    {
        char d[16];
        printf("as of %s (the last run's day), 12 weeks, %d repeats; "
               "medians in ms\n",
               rc_date_format(as_of, d), repeat);
    }
    printf("%-24s %6s %8s %9s %9s %9s\n", "read", "runs", "open",
           "read log", "report", "beyond");
    for (int w = 0; w < 2; w++)
        printf("%-24s %6zu %8.3f %9.3f %9.3f %9.3f\n",
               w == 0 ? "the whole log" : "from 400 days before",
               nruns[w], med[w][0], med[w][1], med[w][2],
               med[w][1] + med[w][2]);
    printf("beyond = read log + report JSON and SVG: what load costs beyond "
           "opening the database\nthe two reports are %s\n",
           strcmp(json[0], json[1]) ? "DIFFERENT" : "the same, byte for byte");
    free(json[0]);
    free(json[1]);
    free(t);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "make"))
        return make(argv[2], argc > 3 ? (size_t)strtoul(argv[3], NULL, 10)
                                      : 3500);
    if (argc >= 3 && !strcmp(argv[1], "time"))
        return time_steps(argv[2], argc > 3 ? (int)strtol(argv[3], NULL, 10)
                                            : 100);
    fprintf(stderr, "usage: bench_load_db make PATH [RUNS] | time PATH "
                    "[REPEAT]\n");
    return 2;
}
