/* bench_check.c - the check without the process: loading and checking the
 * built-in knowledge base, then the engine on one report, repeated.
 *
 *     bench_check [ITERATIONS]     (default 200)
 *
 * Prints the mean microseconds of kb load, of one triage_run, and of both
 * together (the figure the issue asks to stay under 2 ms). */
#include "base/base.h"
#include "triage/triage.h"

static const char report[] =
    "{\"schema_version\":\"1.0\",\"age_years\":34,\"location\":{\"regions\":"
    "[\"calf\",\"thigh_front\"],\"side\":\"both\"},\"screen\":{"
    "\"chest_pain_or_breathless\":false,\"urine\":\"normal\","
    "\"vomiting_or_confusion\":false,\"fever\":false,\"can_walk\":"
    "\"normally\",\"numbness_tingling\":false,\"weakness\":\"none\"},"
    "\"signs\":{\"swelling\":\"none\",\"redness\":false,\"warmth\":false},"
    "\"pain\":{\"onset\":\"next_day\",\"hours_since_run\":30,"
    "\"days_with_symptoms\":1,\"score\":4,\"trend\":\"same\",\"character\":"
    "[\"ache\",\"stiffness\"],\"at_rest\":false},\"checks\":{\"tenderness\":"
    "\"in_muscle\"},\"training\":{\"longest_run_spike_pct\":150,"
    "\"break_weeks\":12}}";

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 200;
    double load_us = 0, run_us = 0;
    struct triage_context ctx = { 1700000000.0, NULL };

    if (n < 1)
        n = 1;
    for (long i = 0; i < n; i++) {
        struct rc_err err = RC_ERR_INIT;
        struct jschema_errors errs = { .max = 0 };
        json_t *rep = NULL, *res;
        double t0 = now_us(), t1, t2;
        struct kb *kb = kb_load_embedded(&err);
        t1 = now_us();
        jschema_errors_init(&errs);
        if (!kb || triage_parse_report(kb, report, sizeof(report) - 1, &rep,
                                       &errs, &err) < 0 ||
            !(res = triage_run(kb, rep, &ctx, &err))) {
            fprintf(stderr, "bench_check: %s\n", err.msg);
            return 1;
        }
        t2 = now_us();
        load_us += t1 - t0;
        run_us += t2 - t1;
        json_decref(res);
        json_decref(rep);
        jschema_errors_release(&errs);
        kb_free(kb);
    }
    printf("kb load      %8.1f us\n", load_us / (double)n);
    printf("engine       %8.1f us (parse, validate, triage_run)\n",
           run_us / (double)n);
    printf("load+engine  %8.1f us (mean of %ld)\n", (load_us + run_us) / (double)n,
           n);
    return 0;
}
