/* gpx.h - GPX 1.0/1.1: the decoder (bytes in, struct activity_file out) and
 * the writer (struct activity in, a GPX file out).
 *
 * Decoding: each <trk> with at least one timed point is one activity (its
 * segments are joined; a gap between them counts as a pause). A file with
 * only routes, waypoints or tracks without timestamps is a success with no
 * activity and a note saying why ("no timestamps, not an activity").
 * Samples: position, <ele>, <time>, and from <extensions> (any prefix or
 * namespace, first value wins): heart rate (Garmin TrackPointExtension v1/v2
 * hr, Strava heartrate, gpxdata:hr), cadence (cad, cadence), temperature
 * (atemp, temp, Temperature), power (power, PowerInWatts), speed (speed, also
 * GPX 1.0's <speed>) and distance from the start (distance). Sport from the
 * track's <type> (Garmin "running", Strava's numbers, ...). Totals are
 * computed by activity_fill_totals. */
#ifndef RC_GPX_H
#define RC_GPX_H

#include "base/base.h"
#include "base/buf.h"
#include "base/err.h"
#include "activity/activity.h"

/* Elements of a GPX file as the decoder counted them. */
struct gpx_counts {
    long trk, trkseg, trkpt; /* trkpt: every one, kept or not */
    long rte, rtept, wpt;
};

/* Decode a whole GPX file with the contract of every decoder
 * (activity/activity.h; flags: enum activity_decode_flags): 0 and *out
 * filled, or -1 with err set (a line and column) and *out untouched. */
int gpx_decode(const unsigned char *p, size_t n, unsigned flags,
               struct activity_file *out, struct rc_err *err);

/* As gpx_decode; on success also fills counts (a struct gpx_counts) when
 * not NULL. */
int gpx_decode_info(const unsigned char *p, size_t n, unsigned flags,
                    struct activity_file *out, void *counts,
                    struct rc_err *err);

/* Is the root element <gpx> (any prefix)? Cheap: nothing is parsed. */
bool gpx_sniff(const unsigned char *p, size_t n);

/* Append a GPX 1.1 file holding the activity as one track to out, the way
 * Garmin Connect and Strava export: creator = the device's product name (or
 * "runcare"), metadata time, track name and type, one segment, and for each
 * sample with a position a trkpt with ele, time (milliseconds when not whole)
 * and a Garmin TrackPointExtension v1 (atemp, hr, cad) plus Strava's
 * <power>. Samples without a position cannot be GPX points and are left out;
 * speed and per-point distance are not written (GPX readers compute them).
 * Precision: 7 decimals of a degree (1 cm), 0.1 m, 0.1 degC, whole bpm, rpm
 * and watts. Returns 0, or -1 with err set (out may then hold part of the
 * file: the caller discards it). */
int gpx_write_activity(const struct activity *a, struct rc_buf *out,
                       struct rc_err *err);

/* The same with several activities, one <trk> each, in one file. */
int gpx_write_activities(const struct activity *acts, size_t n,
                         struct rc_buf *out, struct rc_err *err);

#endif
