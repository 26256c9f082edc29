/* app_diary_add.c - a follow-up in the diary, and corrections (see
 * app.h): a follow-up is a whole report, made from the problem's latest
 * one with only what can change asked again (the kb's follow-up list:
 * the safety screen first, score, trend, new signs), linked to the check
 * and triaged again; `diary edit` and `diary rm` change a report with
 * the old one kept in the store's history.
 *
 * Data flow: the front end's answers or report -> app_follow_up_report ->
 * app_check_run (follows_id set: store_add_follow_up) -> app_diary_read
 * for the course and its escalations. */
#include "base/base.h"
#include "base/time.h"
#include "app/app_int.h"

static double num_at(const json_t *j, const char *ptr, double dflt)
{
    const json_t *v = triage_get_field(j, ptr);
    return json_is_number(v) ? json_number_value(v) : dflt;
}

/* Remove the value at JSON pointer ptr ("/screen/urine"), if any. */
static void remove_field(json_t *obj, const char *ptr)
{
    const char *slash = strrchr(ptr, '/');
    char parent[128];
    json_t *o;
    if (!slash || (size_t)(slash - ptr) >= sizeof(parent))
        return;
    snprintf(parent, sizeof(parent), "%.*s", (int)(slash - ptr), ptr);
    o = parent[0] ? (json_t *)triage_get_field(obj, parent) : obj;
    if (json_is_object(o))
        json_object_del(o, slash + 1);
}

json_t *app_follow_up_report(const struct kb *kb, const json_t *last,
                             double last_s, const json_t *answers,
                             double now_s, double run_end_s)
{
    json_t *r = json_deep_copy(last), *v;
    const json_t *fields = triage_course_follow_up(kb), *f;
    double days = num_at(last, "/pain/days_with_symptoms", 0);
    const char *key;
    size_t i;
    int rc = 0;

    if (!r)
        return NULL;
    json_array_foreach(fields, i, f)
        remove_field(r, json_string_value(f));
    json_object_foreach((json_t *)answers, key, v) {
        if (triage_set_field(r, key, json_incref(v)) < 0) {
            json_decref(r);
            return NULL;
        }
    }
    if (now_s > last_s)
        days += (now_s - last_s) / 86400.0;
    /* the schema's bounds: 10 years of days */
    days = fmin(3650, fmax(0, round(days * 10) / 10));
    rc |= triage_set_field(r, "/pain/hours_since_run",
                           json_real(triage_hours_since(run_end_s, now_s)));
    rc |= triage_set_field(r, "/pain/days_with_symptoms", json_real(days));
    rc |= triage_report_stamp(r, now_s);
    json_object_del(r, "report_id");
    if (rc) {
        json_decref(r);
        return NULL;
    }
    return r;
}

static int no_check(struct rc_err *err)
{
    return rc_fail(err, RC_EINPUT, "no check in the diary to follow up: run "
                                   "'runcare check' first");
}

int app_follow_up_begin(const struct app *app, const struct kb *kb,
                        double now_s, json_t **out, struct rc_err *err)
{
    struct app_diary d;
    const struct app_diary_problem *p;
    const struct app_diary_entry *last;
    json_t *empty, *rep = NULL;

    if (app_diary_read(app, kb, now_s, &d, err) < 0)
        return -1;
    if (!d.nproblems) {
        app_diary_release(&d);
        return no_check(err);
    }
    p = &d.problems[d.nproblems - 1];
    last = &d.entries[p->entries[p->n - 1]];
    if ((empty = json_object()))
        rep = app_follow_up_report(kb, last->report, last->created_s, empty,
                                   now_s, p->run_end_s);
    json_decref(empty);
    app_diary_release(&d);
    if (!rep)
        return rc_fail(err, RC_EENV, "out of memory");
    *out = rep;
    return 0;
}

void app_diary_add_release(struct app_diary_add *a)
{
    if (!a)
        return;
    app_check_result_release(&a->check);
    app_diary_release(&a->diary);
}

int app_diary_add(const struct app *app, const struct kb *kb,
                  const json_t *report, double now_s,
                  struct app_diary_add *out, struct jschema_errors *verrs,
                  struct rc_err *err)
{
    struct app_diary_add a;
    struct app_check c;
    int rc;

    memset(&a, 0, sizeof(a));
    if (app_diary_read(app, kb, now_s, &a.diary, err) < 0)
        return -1;
    if (!a.diary.nproblems) {
        app_diary_release(&a.diary);
        return no_check(err);
    }
    a.follows_id = a.diary.entries[a.diary.problems[a.diary.nproblems - 1]
                                       .entries[0]]
                       .id;
    app_diary_release(&a.diary);
    app_check_begin(app, 0, now_s, &c);
    c.follows_id = a.follows_id;
    rc = app_check_run(&c, kb, report, &a.check, verrs, err);
    app_check_end(&c);
    if (rc < 0)
        return -1;
    if (a.check.save_err.status != RC_OK) {
        *err = a.check.save_err;
        app_check_result_release(&a.check);
        return -1;
    }
    if (app_diary_read(app, kb, now_s, &a.diary, err) < 0) {
        app_check_result_release(&a.check);
        return -1;
    }
    *out = a;
    return 0;
}

/* Run f on the log opened for writing, inside one history batch named
 * command. */
static int in_batch(const struct app *app, const char *command, double now_s,
                    int (*f)(struct store *s, void *ctx, struct rc_err *err),
                    void *ctx, struct rc_err *err)
{
    struct app_log log;
    int rc;
    if (app_open(app, APP_READ, &log, err) < 0)
        return -1;
    if (!log.store) {
        app_close(&log);
        return rc_fail(err, RC_EINPUT, "the diary is empty");
    }
    if (store_history_begin(log.store, command, now_s, err) < 0) {
        app_close(&log);
        return -1;
    }
    rc = f(log.store, ctx, err);
    store_history_end(log.store);
    app_close(&log);
    return rc;
}

struct edit_ctx {
    int64_t id;
    const char *report_json, *result_json;
};

static int do_edit(struct store *s, void *ctx, struct rc_err *err)
{
    const struct edit_ctx *e = ctx;
    return store_update_report(s, e->id, e->report_json, e->result_json,
                               err);
}

static int do_rm(struct store *s, void *ctx, struct rc_err *err)
{
    return store_rm_report(s, *(const int64_t *)ctx, err);
}

int app_diary_edit(const struct app *app, const struct kb *kb, int64_t id,
                   const json_t *report, double now_s,
                   struct jschema_errors *verrs, struct rc_err *err)
{
    struct app_check_result res;
    struct edit_ctx e = { id, NULL, NULL };
    char command[64];
    char *rj, *sj;
    int rc = -1;

    if (app_check(app, kb, report, APP_CHECK_NO_SAVE, now_s, &res, verrs,
                  err) < 0)
        return -1;
    rj = json_dumps(report, JSON_COMPACT | JSON_PRESERVE_ORDER);
    sj = json_dumps(res.result, JSON_COMPACT | JSON_PRESERVE_ORDER);
    e.report_json = rj;
    e.result_json = sj;
    snprintf(command, sizeof(command), "diary edit %lld", (long long)id);
    if (!rj || !sj)
        rc_fail(err, RC_EENV, "out of memory writing the diary entry");
    else
        rc = in_batch(app, command, now_s, do_edit, &e, err);
    free(rj);
    free(sj);
    app_check_result_release(&res);
    return rc;
}

int app_diary_rm(const struct app *app, int64_t id, double now_s,
                 struct rc_err *err)
{
    char command[64];
    snprintf(command, sizeof(command), "diary rm %lld", (long long)id);
    return in_batch(app, command, now_s, do_rm, &id, err);
}
