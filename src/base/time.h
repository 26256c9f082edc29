/* time.h - calendar arithmetic in UTC without the C library's time zone.
 *
 * runcare keeps instants as Unix seconds (double, UTC) and calendar days as
 * "day numbers": days since 1970-01-01 (negative before). The runner's local
 * day of a run is rc_day_of(start_s + utc_offset_s). No function here reads
 * the machine's time zone (gmtime and localtime are banned, see banned.h). */
#ifndef RC_TIME_H
#define RC_TIME_H

#include "base/base.h"

/* Seconds between the FIT epoch (1989-12-31T00:00:00Z) and the Unix epoch. */
#define RC_FIT_EPOCH_UNIX 631065600L

struct rc_civil {
    int year, month, day;         /* month 1-12, day 1-31 */
    int hour, minute, second;     /* 0-23, 0-59, 0-60 */
};

/* Day number of a proleptic Gregorian date (no range check). */
long rc_days_from_civil(int year, int month, int day);

/* The date of a day number. */
void rc_civil_from_days(long days, int *year, int *month, int *day);

/* Day number of the UTC day that contains Unix time t. */
long rc_day_of(double t);

/* 0 = Monday ... 6 = Sunday (ISO weekday - 1). */
int rc_weekday(long day);

/* Split Unix time t (UTC) into its calendar parts (seconds truncated). */
void rc_civil_from_time(double t, struct rc_civil *c);

/* "2019-02-17T06:26:44Z" (fractions dropped). Returns out. */
char *rc_time_format(double t, char out[32]);

/* "2019-02-17". Returns out. */
char *rc_date_format(long day, char out[16]);

/* Parse an ISO 8601 / RFC 3339 instant: YYYY-MM-DDTHH:MM:SS[.frac][Z|+hh:mm
 * |-hh:mm|+hhmm]; a space may replace the T; no zone means UTC. Leading and
 * trailing blanks are allowed. Sets *t (Unix seconds) and, when the string
 * names a zone offset, *offset_s and *has_offset (either may be NULL).
 * Returns 0, or -1 if the text is not such a time or a field is out of range. */
int rc_time_parse(const char *s, double *t, int *offset_s, bool *has_offset);

/* Parse "YYYY-MM-DD" into a day number. 0 or -1 (bad text or date). */
int rc_date_parse(const char *s, long *day);

/* The current time, Unix seconds. A test build (-DRC_TEST) honours
 * RUNCARE_NOW, an ISO time, so that tests can fix "now"; a release build
 * reads no environment here. */
double rc_now(void);

#endif
