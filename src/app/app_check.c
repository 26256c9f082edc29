/* app_check.c - the leg-pain check on the runner's log: the training
 * context from the load guard, triage_run, and the diary (see app.h).
 *
 * Data flow: app_open (once, for reading) -> app_runs_read_open ->
 * app_training_fill -> [the front end asks its questions] -> triage_run
 * -> the result checked against result.schema.json -> store_add_report
 * in the same open log (made now if it was not there). */
#include "base/base.h"
#include "base/time.h"
#include "app/app_int.h"

/* The training context as of today in the runner's time zone, from the
 * log c->log (opened here). */
static int training_from_log(struct app_check *c, struct rc_err *err)
{
    struct load_rules rules;
    struct app_runs log;
    long guess = rc_day_of(rc_now());
    int rc;

    /* the context looks at the 30 days to today (a day either way when
     * today in the runner's time zone is not yet known) */
    if (app_load_rules(&c->app, &rules, err) < 0 ||
        app_open(&c->app, APP_READ, &c->log, err) < 0 ||
        app_runs_read_open(&c->log, guess - 1 - rules.spike_reference_days,
                           load_rules_lookback_days(&rules), &log, err) < 0)
        return -1;
    rc = app_training_fill(&log, &rules, app_runs_today(&log), &c->training,
                           err);
    app_runs_release(&log);
    if (rc == 0)
        app_training_temperature(c->log.store, &c->training);
    return rc;
}

void app_check_begin(const struct app *app, unsigned flags, double now_s,
                     struct app_check *c)
{
    memset(c, 0, sizeof(*c));
    c->app = *app;
    c->flags = flags;
    c->now_s = now_s;
    rc_err_clear(&c->log_err);
    triage_training_init(&c->training.t);
    if (!(flags & APP_CHECK_NO_LOG) && training_from_log(c, &c->log_err) < 0) {
        app_training_release(&c->training);
        memset(&c->training, 0, sizeof(c->training));
        triage_training_init(&c->training.t);
    }
}

void app_check_end(struct app_check *c)
{
    if (!c)
        return;
    app_training_release(&c->training);
    app_close(&c->log);
}

/* Keep the report and its result in the diary, in the log the check
 * read, or in one made now. */
static int save(struct app_check *c, const json_t *report,
                const json_t *result, int64_t *id, struct rc_err *err)
{
    char *rj = NULL, *sj = NULL;
    int rc = -1;

    if (!c->log.store && app_open(&c->app, APP_WRITE, &c->log, err) < 0)
        return -1;
    rj = json_dumps(report, JSON_COMPACT | JSON_PRESERVE_ORDER);
    sj = json_dumps(result, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!rj || !sj)
        rc_fail(err, RC_EENV, "out of memory writing the diary entry");
    else if (c->follows_id)
        rc = store_add_follow_up(c->log.store, rj, sj, c->now_s,
                                 c->follows_id, id, err);
    else
        rc = store_add_report(c->log.store, rj, sj, c->now_s, id, err);
    free(rj);
    free(sj);
    return rc;
}

int app_check_run(struct app_check *c, const struct kb *kb,
                  const json_t *report, struct app_check_result *out,
                  struct jschema_errors *verrs, struct rc_err *err)
{
    struct app_check_result r;
    struct triage_context tctx;

    memset(&r, 0, sizeof(r));
    rc_err_clear(&r.save_err);
    tctx.now_s = c->now_s;
    tctx.training = c->flags & APP_CHECK_NO_LOG ? NULL : &c->training.t;
    if (triage_run(kb, report, &tctx, &r.res, err) < 0) {
        triage_result_release(&r.res);
        return -1;
    }
    if (!(r.result = triage_result_json(kb, &r.res, err))) {
        triage_result_release(&r.res);
        return -1;
    }
    if (jschema_validate(kb_result_schema(kb), r.result, verrs) != 0) {
        app_check_result_release(&r);
        return rc_fail(err, RC_EENV, "internal error: the result breaks "
                                     "result.schema.json");
    }
    r.level = r.res.level;
    if (!(c->flags & APP_CHECK_NO_SAVE))
        save(c, report, r.result, &r.report_id, &r.save_err);
    *out = r;
    return 0;
}

void app_check_result_release(struct app_check_result *r)
{
    if (!r)
        return;
    triage_result_release(&r->res);
    json_decref(r->result);
    r->result = NULL;
}

int app_check(const struct app *app, const struct kb *kb,
              const json_t *report, unsigned flags, double now_s,
              struct app_check_result *out, struct jschema_errors *verrs,
              struct rc_err *err)
{
    struct app_check c;
    int rc;

    app_check_begin(app, flags, now_s, &c);
    rc = app_check_run(&c, kb, report, out, verrs, err);
    app_check_end(&c);
    return rc;
}
