/* out.h - how activities look on the command line: one-line text
 * summaries; the JSON objects are app/app_json.h's, shared with the web
 * page. */
#ifndef RC_CLI_OUT_H
#define RC_CLI_OUT_H

#include <jansson.h>

#include "base/base.h"
#include "base/buf.h"
#include "activity/activity.h"
#include "store/store.h"
#include "app/app_json.h"

/* Print a JSON value on one line followed by a newline. 0, or -1 when
 * stdout fails. */
int out_json_line(FILE *f, json_t *v);

/* The time a pace is computed from: the moving time when known (*moving
 * true), else the timer, else the elapsed time. */
double out_pace_time(const struct activity *a, bool *moving);

/* ", pace 6:10/km", and " (moving 58:12)" when the pace is from a moving
 * time other than shown_s, the time the line shows: a pace always comes
 * with the time it is computed from. Nothing without a distance. */
void out_pace_text(FILE *f, const struct activity *a, double shown_s);

/* "Run 2019-02-17 07:26 (UTC+01:00), 10.01 km in 1:01:40, pace 6:10/km" */
void out_activity_text(FILE *f, const struct activity *a);

/* One warning line per shoe past its limit that is not retired:
 * "runcare: warning: shoe "X" has run 712 km, past its 700 km limit ...".
 * Returns how many. */
int out_shoe_warnings(FILE *f, const struct store_shoe *v, size_t n);

/* "Run 2024-05-01, 8.00 km in 45:00, pace 5:37/km, RPE 6, shoe X" (no
 * newline). */
void out_stored_activity_text(FILE *f, const struct store_activity *sa);

/* What a batch of the history (app_batch_json) changed, on one line (no
 * newline): each change with its fields before -> after when there are a
 * few, else how many of each kind were added, edited, removed. */
void out_batch_summary(FILE *f, const json_t *batch);

#endif
