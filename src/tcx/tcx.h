/* tcx.h - Garmin Training Center XML (TCX v2): the decoder (bytes in,
 * struct activity_file out) and the writer (struct activity in, a TCX file
 * out).
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
#include "base/buf.h"
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
