/* units.h - the units a runner types and reads: distances, durations, paces.
 *
 * Parsers take the text as typed on the command line and return SI values
 * (metres, seconds); they fail with a message that says what was expected. */
#ifndef RC_UNITS_H
#define RC_UNITS_H

#include "base/base.h"
#include "base/err.h"

#define RC_M_PER_MILE 1609.344

/* "8km", "8 km", "8.5k", "5mi", "800m", "10000 m"; a bare number is km.
 * Must be > 0 and at most 1000 km. Sets *m. -1 with err (RC_EINPUT). */
int rc_parse_distance(const char *s, double *m, struct rc_err *err);

/* "45:00" (min:s), "1:02:03" (h:min:s), "45m", "1h30m", "90min", "2700s";
 * a bare number is minutes. Must be > 0 and under 100 hours. Sets *s. */
int rc_parse_duration(const char *text, double *s, struct rc_err *err);

/* "1:02:03" or "45:00" (under an hour). Returns out. */
char *rc_format_duration(double s, char out[24]);

/* Pace in min/km as "5:30"; "-" if distance or time is 0. Returns out. */
char *rc_format_pace(double s, double m, char out[16]);

#endif
