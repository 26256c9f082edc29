/* app_int.h - shared inside src/app/ only. */
#ifndef RC_APP_INT_H
#define RC_APP_INT_H

#include "app/app.h"

/* app_runs_read on a log already open (log->store NULL: an empty log). */
int app_runs_read_open(struct app_log *log, long first_day,
                       int lookback_days, struct app_runs *out,
                       struct rc_err *err);

#endif
