/* load_gen.h - the generated 10-year training log of the load
 * benchmarks (bench_load.c, bench_load_db.c), and their clock: one
 * definition, so both measure the same log the same way. Included by one
 * bench program each. */
#ifndef RC_BENCH_LOAD_GEN_H
#define RC_BENCH_LOAD_GEN_H

#include "base/base.h"
#include "load/load.h"

#define DAY0 16071L /* 2014-01-01 */

/* A monotonic clock in milliseconds. */
static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* For qsort of times. */
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* About 3,500 runs over ten years: 6-7 runs a week with breaks, a long
 * run on Sundays, RPE on half the runs, heart rate on most. */
static size_t bench_load_generate(struct load_run *runs, size_t want)
{
    uint32_t seed = 42;
    size_t n = 0;
    for (long d = 0; n < want; d++) {
        seed = seed * 1664525u + 1013904223u;
        if ((seed >> 24) % 100 < 4 && d % 365 > 300)
            d += 20; /* a break now and then */
        if ((seed >> 16) % 100 >= 96)
            continue; /* a rest day */
        struct load_run *r = &runs[n++];
        double km = 6 + (double)((seed >> 8) % 80) / 10.0;
        memset(r, 0, sizeof(*r));
        if ((DAY0 + d + 3) % 7 == 6)
            km *= 2.2; /* Sunday long run */
        r->id = (int64_t)n;
        r->start_s = (double)(DAY0 + d) * 86400.0 + 6.5 * 3600.0;
        r->utc_offset_s = 3600;
        r->distance_m = km * 1000.0;
        r->duration_s = km * 330.0;
        r->ascent_m = km * 12.0;
        r->rpe = n % 2 ? 5.0f : NAN;
        r->avg_hr_bpm = n % 5 ? 148.0f : NAN;
        r->max_hr_bpm = n % 5 ? 176.0f : NAN;
        r->shoe_id = (int64_t)(n / 400 + 1);
        r->is_run = true;
    }
    return n;
}

#endif
