/* app_int.h - shared inside src/app/ only. */
#ifndef RC_APP_INT_H
#define RC_APP_INT_H

#include "app/app.h"

/* app_runs_read on a log already open (log->store NULL: an empty log). */
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
