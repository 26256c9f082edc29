/* bench_load.c - the load guard's computation on a 10-year log: about
 * 3,500 generated runs (totals only, as the store lists them), as
 * `runcare load` computes them after opening the database: the rules
 * from kb, the report as of the last day, its JSON and its SVG chart.
 *
 *   bench_load [RUNS] [REPEAT]     (default 3500 runs, 200 repeats)
 *
 * Prints the median and the fastest time of each step, in milliseconds.
 * Speed is never asserted: compare with the 10 ms budget of issue 6. */
#include "base/base.h"
#include "base/buf.h"
#include "load/load.h"
#include "load_gen.h"

int main(int argc, char **argv)
{
    size_t want = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 3500;
    int repeat = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 200;
    struct load_run *runs = calloc(want ? want : 1, sizeof(*runs));
    double *t_kb = calloc((size_t)repeat, sizeof(double));
    double *t_report = calloc((size_t)repeat, sizeof(double));
    double *t_out = calloc((size_t)repeat, sizeof(double));
    struct load_shoe shoes[10];
    struct rc_err err = RC_ERR_INIT;
    size_t n, warnings = 0, bytes = 0;
    long as_of;

    if (!runs || !t_kb || !t_report || !t_out || repeat < 1)
        return 1;
    n = bench_load_generate(runs, want);
    as_of = (long)floor(runs[n - 1].start_s / 86400.0);
    for (int i = 0; i < 10; i++)
        shoes[i] = (struct load_shoe){ i + 1, "shoe", 400.0 * i, 700, false };
    for (int k = 0; k < repeat; k++) {
        struct load_rules rules;
        struct load_report r;
        struct load_opts o;
        struct rc_buf svg;
        json_t *j;
        char *text;
        double t0 = now_ms(), t1, t2;

        if (load_rules_default(&rules, &err) < 0)
            return 1;
        t1 = now_ms();
        load_opts_init(&o, as_of, 12);
        if (load_report_build(runs, n, shoes, 10, &rules, &o, &r, &err) < 0)
            return 1;
        t2 = now_ms();
        j = load_report_json(&r);
        text = json_dumps(j, JSON_COMPACT);
        rc_buf_init(&svg, (size_t)16 << 20);
        if (load_svg(&r, &svg, &err) < 0)
            return 1;
        bytes = strlen(text) + svg.len;
        warnings = r.nwarnings;
        t_kb[k] = t1 - t0;
        t_report[k] = t2 - t1;
        t_out[k] = now_ms() - t2;
        free(text);
        json_decref(j);
        rc_buf_release(&svg);
        load_report_release(&r);
    }
    qsort(t_kb, (size_t)repeat, sizeof(double), cmp_double);
    qsort(t_report, (size_t)repeat, sizeof(double), cmp_double);
    qsort(t_out, (size_t)repeat, sizeof(double), cmp_double);
    printf("runs %zu over %ld days, %zu warnings in 12 weeks, %zu bytes of "
           "JSON + SVG, %d repeats\n",
           n, as_of - DAY0 + 1, warnings, bytes, repeat);
    printf("%-28s %10s %10s\n", "step", "median ms", "min ms");
    printf("%-28s %10.3f %10.3f\n", "rules (kb/load_guard.jsonl)",
           t_kb[repeat / 2], t_kb[0]);
    printf("%-28s %10.3f %10.3f\n", "report (series, warnings)",
           t_report[repeat / 2], t_report[0]);
    printf("%-28s %10.3f %10.3f\n", "JSON + SVG", t_out[repeat / 2],
           t_out[0]);
    printf("%-28s %10.3f %10s\n", "total (medians)",
           t_kb[repeat / 2] + t_report[repeat / 2] + t_out[repeat / 2], "");
    free(runs);
    free(t_kb);
    free(t_report);
    free(t_out);
    return 0;
}
