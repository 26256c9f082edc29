/* app_int.h - shared inside src/app/ only. */
#ifndef RC_APP_INT_H
#define RC_APP_INT_H

#include "app/app.h"

/* app_runs_read on a log already open (log->store NULL: an empty log). */
/* One stored activity as the load guard reads it. */
void app_load_run_of(const struct store_activity *sa, struct load_run *r);

/* Does a part of the log read from since show running from since +
 * lookback to before first? When not, the whole log is read (a break, or
 * the log's first days, may reach back further). */
bool app_runs_cover(const struct app_runs *l, long since, int lookback,
                    long first);

/* The first week's Monday of a report of weeks to as_of_day (LONG_MIN:
 * today, a day early: the runner's time zone is not known yet). */
long app_load_first_day(long as_of_day, int weeks);

/* The load report from runs already read (app_load_open's second half). */
int app_load_build(const struct load_rules *rules, const struct app_runs *log,
                   const struct app_load_opts *o, struct app_load *out,
                   struct rc_err *err);

/* The load report of a log already open (app_load, app_club). */
int app_load_open(struct app_log *open, const struct load_rules *rules,
                  const struct app_load_opts *o, struct app_load *out,
                  struct rc_err *err);

int app_runs_read_open(struct app_log *log, long first_day,
                       int lookback_days, struct app_runs *out,
                       struct rc_err *err);

/* The checks of a new or edited activity id (0: new) of sport, with its
 * totals and local day, on the log s: app_check_day in the runner's time
 * zone; unless force, app_check_plausible with the day's other runs
 * and a running pace within APP_RUN_PACE_*. s NULL: an empty log. */
int app_check_activity(struct store *s, int64_t id, const char *sport,
                       double distance_m, double duration_s, long day,
                       bool force, struct rc_err *err);

/* The id of the newest activity that is not a duplicate; 0 if none. */
int app_last_activity(struct store *s, int64_t *id, struct rc_err *err);

#endif
