/* tcx_write.h - the TCX writer (lib_tcx_write.c): struct activity in, a
 * TCX file out. Only tests and the TCX fuzz target write TCX (round trips,
 * the same run as FIT, GPX and TCX); runcare itself never does, so the
 * writer lives here, not in src/tcx/. */
#ifndef RC_TEST_TCX_WRITE_H
#define RC_TEST_TCX_WRITE_H

#include "base/base.h"
#include "base/buf.h"
#include "base/err.h"
#include "activity/activity.h"

/* Append a TCX file holding the activity to out, the way Garmin Connect
 * exports one: Activity Sport= (Running, Biking or Other), Id = the start,
 * one Lap per lap of the activity (or one lap of the whole activity when it
 * has none) with StartTime, TotalTimeSeconds, DistanceMeters, Calories,
 * average and maximum heart rate and cadence, and a Track of the samples
 * from that lap's start to the next one's: Time, Position, AltitudeMeters,
 * DistanceMeters, HeartRateBpm, Cadence (cycling) and an ActivityExtension
 * TPX with Speed, RunCadence (running) and Watts; then Creator (the device:
 * product name, serial, product number) and Author (runcare). Samples
 * without a time cannot be TCX trackpoints and are left out. Precision: as
 * gpx_write_activity, plus 0.01 m of distance and 0.001 m/s of speed.
 * Returns 0, or -1 with err set (out may then hold part of the file: the
 * caller discards it). */
int tcx_write_activity(const struct activity *a, struct rc_buf *out,
                       struct rc_err *err);

/* The same with several activities, one <Activity> each, in one file. */
int tcx_write_activities(const struct activity *acts, size_t n,
                         struct rc_buf *out, struct rc_err *err);

#endif
