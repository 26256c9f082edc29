/* fitgen.h - synthetic activities for the FIT tests (lib_fitgen.c): a run
 * with every sample channel, laps and session totals, ready for
 * fit_write_activity; and damage to FIT files. Include after testlib.h. */
#ifndef RC_TEST_FITGEN_H
#define RC_TEST_FITGEN_H

#include "base/base.h"
#include "base/buf.h"
#include "activity/activity.h"
#include "fit/fit.h"

/* 2019-02-17T06:26:44Z, the start of every generated run. */
#define FITGEN_START 1550384804.0

/* A run of n samples one second apart from start_s: position heading
 * north-east, altitude rising and falling, distance, speed, heart rate,
 * cadence and power on every sample; two laps; session totals set; device
 * garmin 2697 serial 3912345678 "Forerunner 945"; UTC offset +3600. */
void fitgen_run(struct activity *a, size_t n, double start_s);

/* Encode a with the given flags and parts into b (cap 64 MiB); fails the
 * test on error. */
void fitgen_encode(const struct activity *a, unsigned flags, unsigned parts,
                   struct rc_buf *b);

/* Decode b; fails the test unless it succeeds. */
void fitgen_decode_ok(const struct rc_buf *b, unsigned flags,
                      struct activity_file *f, struct fit_info *info);

/* Damage: cut a file to its first len bytes (nothing if it is shorter). */
void fitgen_truncate(struct rc_buf *b, size_t len);

/* Damage: flip the lowest bit of the file's last-but-one byte (in the file
 * CRC of its last part), so the CRC no longer matches. */
void fitgen_flip_crc(struct rc_buf *b);

/* Assert that two samples hold the same values within what FIT keeps
 * (whole seconds, 1e-6 degrees, 0.2 m altitude, 1 cm, 1 mm/s, whole bpm,
 * rpm and W). */
void fitgen_assert_same_sample(const struct activity_sample *want,
                               const struct activity_sample *got);

#endif
