/* runlib.h - a synthetic run for the decoder and writer tests
 * (tests/unit/lib_run.c): the same activity can be written as GPX, TCX (and
 * FIT) and read back, so the formats can be compared on one known run.
 *
 * Include after testlib.h. */
#ifndef RC_RUNLIB_H
#define RC_RUNLIB_H

#include "base/base.h"
#include "activity/activity.h"

/* The run test_run_make builds (all figures exact by construction):
 *   start TEST_RUN_START (2019-02-17T06:26:44Z), one sample a second;
 *   laps of a 400 m-radius circle around 45.0 N 7.0 E at 2.8-3.4 m/s;
 *   a stop of TEST_RUN_STAND_S seconds at the start of minute 10 during
 *   which the watch stands still but its fix wanders within 1 m, and a
 *   pause (no samples) of TEST_RUN_PAUSE_S seconds at minute 20;
 *   altitude 200 +- 15 m, whole-number heart rate 120-165, cadence 80-90,
 *   temperature 18-20 degC, power 220-260 W; speed and dist_m as the watch
 *   would record them (dist_m does not grow while standing);
 *   3 laps starting at 0, 10 and 20 minutes (of the clock), with totals
 *   from their samples. */
#define TEST_RUN_START 1550384804.0
#define TEST_RUN_STAND_S 30
#define TEST_RUN_PAUSE_S 45

/* Build the run with `seconds` of recording (>= 1500 for all three laps)
 * into a (initialised here; release it with activity_release). Totals are
 * left NAN, as a decoder would, except start, sport, name and device. */
void test_run_make(struct activity *a, int seconds);

/* Decode p[0..n) with decode (gpx_decode, tcx_decode, fit_decode...)
 * once, then again with each of its allocations failing in turn
 * (rc_alloc_fail_after): each run must fail with RC_EENV or give the
 * same records as the first; at least one must fail. Leaks show under
 * ASan. */
void test_decode_torture(int (*decode)(const unsigned char *p, size_t n,
                                       unsigned flags,
                                       struct activity_file *out,
                                       struct rc_err *err),
                         const unsigned char *p, size_t n, unsigned flags);

#endif
