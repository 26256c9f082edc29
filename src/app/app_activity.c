/* app_activity.c - one activity with its samples (app_activity_get), for
 * the web page's run page. */
#include "base/base.h"
#include "app/app.h"

int app_activity_get(const struct app *app, int64_t id,
                     struct store_activity *out, struct activity *full,
                     struct rc_err *err)
{
    struct app_log log;
    struct store_activity sa;
    struct activity a;
    int rc;

    if (app_open(app, APP_READ, &log, err) < 0)
        return -1;
    if (!log.store) {
        app_close(&log);
        return rc_fail(err, RC_EINPUT, "no activity %lld in the log",
                       (long long)id);
    }
    activity_init(&a);
    rc = store_get_activity(log.store, id, &sa, &a, err);
    app_close(&log);
    if (rc < 0) {
        activity_release(&a);
        return -1;
    }
    *out = sa;
    *full = a;
    return 0;
}
