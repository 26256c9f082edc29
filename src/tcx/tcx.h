/* tcx.h - Garmin Training Center XML (TCX v2): the decoder (bytes in,
 * struct activity_file out). Its writer, which only tests use, is in
 * tests/unit/tcx_write.h.
 *
 * Decoding: each <Activity> (also inside a MultiSportSession) is one
 * activity; its laps keep their totals, its trackpoints become samples
 * (time, position, altitude, distance, heart rate, cadence, and from the
 * ActivityExtension TPX: speed, run cadence, watts). Activity totals are the
 * sums of its laps (timer, distance, calories; heart rate and cadence
 * averaged over the laps' timer time) when every lap gives them, the rest is
 * computed by activity_fill_totals. <Courses> are planned routes: counted,
 * not activities. The device comes from the activity's <Creator>. */
#ifndef RC_TCX_H
#define RC_TCX_H

#include "base/base.h"
#include "base/err.h"
#include "activity/activity.h"

/* Elements of a TCX file as the decoder counted them. */
struct tcx_counts {
    long activity, lap, trackpoint, course; /* every one, kept or not */
};

/* Decode a whole TCX file with the contract of every decoder
 * (activity/activity.h; flags: enum activity_decode_flags): 0 and *out
 * filled, or -1 with err set (a line and column) and *out untouched. */
int tcx_decode(const unsigned char *p, size_t n, unsigned flags,
               struct activity_file *out, struct rc_err *err);

/* As tcx_decode; on success also fills counts (a struct tcx_counts) when
 * not NULL. */
int tcx_decode_info(const unsigned char *p, size_t n, unsigned flags,
                    struct activity_file *out, void *counts,
                    struct rc_err *err);

/* Is the root element <TrainingCenterDatabase> (any prefix)? Cheap:
 * nothing is parsed. */
bool tcx_sniff(const unsigned char *p, size_t n);

#endif
