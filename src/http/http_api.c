/* http_api.c - one handler per API route (http_route.c's table): read
 * the request's values, call the same app_* function as the CLI command,
 * answer with the same JSON (app/app_json.h, load_report_json, the
 * check's result) or with the CLI's message as a JSON error and a 4xx.
 * A value is checked before app/ is called, so a bad request changes
 * nothing stored. */
#include <ctype.h>
#include <unistd.h>

#include "base/base.h"
#include "base/buf.h"
#include "base/time.h"
#include "base/units.h"
#include "app/app_json.h"
#include "http/http_int.h"
#include "triage/triage.h"

#define ACTIVITIES_PAGE_DEFAULT 50
#define ACTIVITIES_PAGE_MAX 1000
#define SAMPLES_POINTS 400
#define LOAD_WEEKS_DEFAULT 12
#define SVG_MAX_BYTES ((size_t)16 << 20)

static int fail(struct http_resp *resp, int status, const char *fmt, ...)
    RC_PRINTF(3, 4);
static int fail(struct http_resp *resp, int status, const char *fmt, ...)
{
    struct rc_err err = RC_ERR_INIT;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err.msg, sizeof(err.msg), fmt, ap);
    va_end(ap);
    err.status = RC_EINPUT;
    http_resp_error(resp, status, &err);
    return -1;
}

/* A query value: 1 found, 0 not there; -1 after a 400 for a bad one. */
static int query(const struct http_req *req, struct http_resp *resp,
                 const char *key, char *out, size_t n)
{
    int k = http_form_get(req->query, req->query ? strlen(req->query) : 0,
                          key, out, n);
    if (k < 0)
        return fail(resp, 400, "%s: not a valid query value", key);
    return k;
}

static int query_long(const struct http_req *req, struct http_resp *resp,
                      const char *key, long min, long max, long *out)
{
    char text[32], *end;
    long v;
    int k = query(req, resp, key, text, sizeof(text));
    if (k <= 0)
        return k;
    errno = 0;
    v = strtol(text, &end, 10);
    if (end == text || *end || errno || v < min || v > max)
        return fail(resp, 400, "%s '%s' is not a whole number from %ld to "
                               "%ld", key, text, min, max);
    *out = v;
    return 1;
}

static int query_day(const struct http_req *req, struct http_resp *resp,
                     const char *key, long *day)
{
    char text[32];
    int k = query(req, resp, key, text, sizeof(text));
    if (k <= 0)
        return k;
    if (rc_date_parse(text, day) < 0)
        return fail(resp, 400, "%s '%s' is not a date (YYYY-MM-DD)", key,
                    text);
    return 1;
}

/* The body as JSON (a JSON content type or a body that starts with '{'),
 * else NULL for a form; *bad after a 400. */
static json_t *body_json(const struct http_req *req, struct http_resp *resp,
                         bool *bad)
{
    struct rc_err err = RC_ERR_INIT;
    json_t *v;
    bool is_json = (req->content_type &&
                    !strncmp(req->content_type, "application/json", 16)) ||
                   (req->body_len && req->body[0] == '{');
    *bad = false;
    if (!is_json)
        return NULL;
    v = http_json_parse(req->body, req->body_len, &err);
    if (v && !json_is_object(v)) {
        json_decref(v);
        v = NULL;
        rc_fail(&err, RC_EINPUT, "request body: a JSON object is needed");
    }
    if (!v) {
        http_resp_error(resp, 400, &err);
        *bad = true;
    }
    return v;
}

/* "no activity N in the log" is a 404, any other refusal a 400/500. */
static int app_failed(struct http_resp *resp, const struct rc_err *err)
{
    http_resp_error(resp,
                    err->status == RC_EINPUT &&
                            !strncmp(err->msg, "no activity ", 12)
                        ? 404 : 0,
                    err);
    return -1;
}

/* A run refused by app_log_run or app_edit, in the CLI's words without
 * its option dashes: "date 2030-01-01 is in the future ...". */
static int refused(struct http_resp *resp, struct rc_err *err)
{
    if (!strcmp(err->field, "date")) {
        char msg[sizeof(err->msg)];
        memcpy(msg, err->msg, sizeof(msg));
        snprintf(err->msg, sizeof(err->msg), "date %.240s", msg);
    }
    return app_failed(resp, err);
}

/* resp = the SVG in svg (taken over) */
static void svg_resp(struct http_resp *resp, struct rc_buf *svg)
{
    resp->status = 200;
    resp->type = "image/svg+xml";
    resp->is_api = true;
    resp->body = (char *)rc_buf_detach(svg, &resp->len);
    resp->body_static = false;
}

int http_api_token(struct http_server *srv, const struct http_req *req,
                   struct http_resp *resp)
{
    (void)req;
    http_resp_json(resp, 200, json_pack("{s:s}", "token", srv->token));
    return 0;
}

/* ---- activities ---- */

int http_api_activities(struct http_server *srv, const struct http_req *req,
                        struct http_resp *resp)
{
    struct rc_err err = RC_ERR_INIT;
    struct store_filter f;
    struct app_list l;
    char sport[32], all[8];
    long offset = 0, limit = ACTIVITIES_PAGE_DEFAULT;
    json_t *o, *arr, *shoes;
    int k;

    store_filter_init(&f);
    if (query_day(req, resp, "since", &f.since_day) < 0 ||
        query_day(req, resp, "until", &f.until_day) < 0 ||
        query_long(req, resp, "offset", 0, LONG_MAX / 2, &offset) < 0 ||
        query_long(req, resp, "limit", 1, ACTIVITIES_PAGE_MAX, &limit) < 0 ||
        (k = query(req, resp, "sport", sport, sizeof(sport))) < 0)
        return -1;
    if (k && sport[0])
        f.sport = sport;
    if ((k = query(req, resp, "all", all, sizeof(all))) < 0)
        return -1;
    f.duplicates = k && !strcmp(all, "1");
    if (f.since_day > f.until_day)
        return fail(resp, 400, "since is after until");
    if (app_list(&srv->app, &f, &l, &err) < 0)
        return app_failed(resp, &err);
    o = json_object();
    arr = json_array();
    shoes = json_array();
    /* newest first: the page shows the latest runs on its first page */
    for (long i = (long)l.n - 1 - offset, k2 = 0; i >= 0 && k2 < limit;
         i--, k2++)
        json_array_append_new(arr, app_stored_activity_json(&l.acts[i]));
    for (size_t i = 0; i < l.nshoes; i++)
        json_array_append_new(shoes, app_shoe_json(&l.shoes[i]));
    json_object_set_new(o, "total", json_integer((json_int_t)l.n));
    json_object_set_new(o, "offset", json_integer(offset));
    json_object_set_new(o, "limit", json_integer(limit));
    json_object_set_new(o, "activities", arr);
    json_object_set_new(o, "shoes", shoes);
    app_list_release(&l);
    http_resp_json(resp, 200, o);
    return 0;
}

int http_api_activity(struct http_server *srv, const struct http_req *req,
                      struct http_resp *resp)
{
    struct rc_err err = RC_ERR_INIT;
    struct store_activity sa;
    struct activity full;
    json_t *o;

    if (app_activity_get(&srv->app, req->id, &sa, &full, &err) < 0)
        return app_failed(resp, &err);
    o = app_stored_activity_json(&sa);
    json_object_set_new(o, "series", app_samples_json(&full,
                                                      SAMPLES_POINTS));
    activity_release(&full);
    http_resp_json(resp, 200, o);
    return 0;
}

int http_api_rpe(struct http_server *srv, const struct http_req *req,
                 struct http_resp *resp)
{
    struct rc_err err = RC_ERR_INIT;
    struct store_activity sa;
    char text[32], *end;
    double rpe;
    bool bad;
    json_t *body = body_json(req, resp, &bad);
    int k;

    if (bad)
        return -1;
    k = http_body_value(req, body, "rpe", text, sizeof(text), &err);
    json_decref(body);
    if (k < 0)
        return app_failed(resp, &err);
    if (k == 0)
        return fail(resp, 400, "give an effort 0-10 as rpe");
    rpe = strtod(text, &end);
    if (end == text || *end || !(rpe >= 0 && rpe <= 10))
        return fail(resp, 400, "effort '%s' is not a number from 0 to 10 "
                               "(CR-10)", text);
    if (app_rpe(&srv->app, req->id, rpe, &sa, &err) < 0)
        return app_failed(resp, &err);
    http_resp_json(resp, 200, app_stored_activity_json(&sa));
    return 0;
}

struct body_field {
    const char *key;
    char *out;
    size_t n;
    int found; /* http_body_value's */
};

/* Every field of f from the body (JSON or a form): 0, or -1 after a 400
 * for a bad body or the first bad field. */
static int body_fields(const struct http_req *req, struct http_resp *resp,
                       struct body_field *f, size_t n)
{
    struct rc_err err = RC_ERR_INIT;
    bool bad;
    json_t *body = body_json(req, resp, &bad);
    int rc = 0;

    if (bad)
        return -1;
    for (size_t i = 0; i < n && rc == 0; i++)
        if ((f[i].found = http_body_value(req, body, f[i].key, f[i].out,
                                          f[i].n, &err)) < 0)
            rc = app_failed(resp, &err);
    json_decref(body);
    return rc;
}

/* POST /api/activities: `runcare log`. */
int http_api_log(struct http_server *srv, const struct http_req *req,
                 struct http_resp *resp)
{
    struct rc_err err = RC_ERR_INIT;
    struct app_run run = { .rpe = NAN, .sport = "running", .name = "" };
    char date[32], dist[32], dur[32], rpe[32], shoe[64], sport[24],
        name[128];
    struct body_field f[] = {
        { "date", date, sizeof(date), 0 },
        { "distance", dist, sizeof(dist), 0 },
        { "duration", dur, sizeof(dur), 0 },
        { "rpe", rpe, sizeof(rpe), 0 },
        { "shoe", shoe, sizeof(shoe), 0 },
        { "sport", sport, sizeof(sport), 0 },
        { "name", name, sizeof(name), 0 },
    };
    struct app_list l;
    json_t *o, *shoes;

    if (body_fields(req, resp, f, RC_ARRAY_SIZE(f)) < 0)
        return -1;
    if (!f[0].found || !f[1].found || !f[2].found)
        return fail(resp, 400, "date, distance and duration are needed");
    if (rc_date_parse(date, &run.day) < 0)
        return fail(resp, 400, "date '%s' is not a date (YYYY-MM-DD)", date);
    if (rc_parse_distance(dist, &run.distance_m, &err) < 0 ||
        rc_parse_duration(dur, &run.duration_s, &err) < 0)
        return app_failed(resp, &err);
    if (f[3].found && rpe[0]) {
        char *end;
        run.rpe = strtod(rpe, &end);
        if (end == rpe || *end || !(run.rpe >= 0 && run.rpe <= 10))
            return fail(resp, 400, "rpe '%s' is not an effort from 0 to 10 "
                                   "(CR-10)", rpe);
    }
    if (f[4].found && shoe[0])
        run.shoe = shoe;
    if (f[5].found) {
        if (!sport[0])
            return fail(resp, 400, "sport '' is not a sport");
        run.sport = sport;
    }
    if (f[6].found)
        run.name = name;
    if (app_log_run(&srv->app, &run, &l, &err) < 0)
        return refused(resp, &err);
    o = json_object();
    shoes = json_array();
    json_object_set_new(o, "activity", app_stored_activity_json(&l.acts[0]));
    for (size_t i = 0; i < l.nshoes; i++)
        json_array_append_new(shoes, app_shoe_json(&l.shoes[i]));
    json_object_set_new(o, "shoes", shoes);
    app_list_release(&l);
    http_resp_json(resp, 201, o);
    return 0;
}

/* ---- corrections: runcare edit, rm and undo ---- */

/* POST /api/activities/#/edit: `runcare edit ID --name ... --shoe ...`;
 * "shoe": "" counts it to no shoe (--no-shoe). */
int http_api_edit(struct http_server *srv, const struct http_req *req,
                  struct http_resp *resp)
{
    struct rc_err err = RC_ERR_INIT;
    struct app_edit e = { NAN, NAN, LONG_MIN, NULL, NULL, NULL, NAN, false };
    char name[128], shoe[64], dist[32], dur[32], date[32], sport[24],
        command[64];
    struct body_field f[] = {
        { "name", name, sizeof(name), 0 },
        { "shoe", shoe, sizeof(shoe), 0 },
        { "distance", dist, sizeof(dist), 0 },
        { "duration", dur, sizeof(dur), 0 },
        { "date", date, sizeof(date), 0 },
        { "sport", sport, sizeof(sport), 0 },
    };
    struct store_activity sa;
    struct app app = srv->app;
    bool any = false;

    if (body_fields(req, resp, f, RC_ARRAY_SIZE(f)) < 0)
        return -1;
    for (size_t i = 0; i < RC_ARRAY_SIZE(f); i++)
        any |= f[i].found > 0;
    if (!any)
        return fail(resp, 400, "say what to change (name, shoe, distance, "
                               "duration, date, sport)");
    if (f[0].found)
        e.name = name;
    if (f[1].found)
        e.shoe = shoe;
    if ((f[2].found && rc_parse_distance(dist, &e.distance_m, &err) < 0) ||
        (f[3].found && rc_parse_duration(dur, &e.duration_s, &err) < 0))
        return app_failed(resp, &err);
    if (f[4].found && rc_date_parse(date, &e.day) < 0)
        return fail(resp, 400, "date '%s' is not a date (YYYY-MM-DD)", date);
    if (f[5].found)
        e.sport = sport;
    snprintf(command, sizeof(command), "edit %lld", (long long)req->id);
    app.command = command;
    if (app_edit(&app, req->id, &e, &sa, &err) < 0)
        return refused(resp, &err);
    http_resp_json(resp, 200, app_stored_activity_json(&sa));
    return 0;
}

/* POST /api/activities/#/rm: `runcare rm ID`. */
int http_api_rm(struct http_server *srv, const struct http_req *req,
                struct http_resp *resp)
{
    struct rc_err err = RC_ERR_INIT;
    struct app app = srv->app;
    char command[64];

    snprintf(command, sizeof(command), "rm %lld", (long long)req->id);
    app.command = command;
    if (app_rm(&app, &req->id, 1, &err) < 0)
        return app_failed(resp, &err);
    http_resp_json(resp, 200,
                   json_pack("{s:[I]}", "removed", (json_int_t)req->id));
    return 0;
}

/* POST /api/undo: `runcare undo`; "undone" is the batch taken back
 * (history --json's), null when there was nothing to undo. */
int http_api_undo(struct http_server *srv, const struct http_req *req,
                  struct http_resp *resp)
{
    struct rc_err err = RC_ERR_INIT;
    struct app app = srv->app;
    struct store_batch b;
    int rc;

    (void)req;
    app.command = "undo";
    if ((rc = app_undo(&app, &b, &err)) < 0)
        return app_failed(resp, &err);
    if (rc == 0) {
        http_resp_json(resp, 200, json_pack("{s:n}", "undone"));
        return 0;
    }
    http_resp_json(resp, 200, json_pack("{s:o}", "undone", app_batch_json(&b)));
    store_batch_release(&b);
    return 0;
}

/* ---- the load guard ---- */

static int load_for(struct http_server *srv, const struct http_req *req,
                    struct http_resp *resp, struct app_load *l)
{
    struct rc_err err = RC_ERR_INIT;
    struct app_load_opts o = { LONG_MIN, LOAD_WEEKS_DEFAULT, false };
    long weeks = LOAD_WEEKS_DEFAULT;
    char nr[8];
    int k;

    if (query_day(req, resp, "as_of", &o.as_of_day) < 0 ||
        query_long(req, resp, "weeks", 1, LOAD_WEEKS_MAX, &weeks) < 0 ||
        (k = query(req, resp, "new_runner", nr, sizeof(nr))) < 0)
        return -1;
    o.weeks = (int)weeks;
    o.new_runner = k && !strcmp(nr, "1");
    if (app_load(&srv->app, &o, l, &err) < 0)
        return app_failed(resp, &err);
    return 0;
}

int http_api_load(struct http_server *srv, const struct http_req *req,
                  struct http_resp *resp)
{
    struct app_load l;
    json_t *o;

    if (load_for(srv, req, resp, &l) < 0)
        return -1;
    o = load_report_json(&l.report);
    json_object_set_new(o, "activities",
                        json_integer((json_int_t)l.nactivities));
    app_load_release(&l);
    http_resp_json(resp, 200, o);
    return 0;
}

int http_api_load_chart(struct http_server *srv, const struct http_req *req,
                        struct http_resp *resp)
{
    struct rc_err err = RC_ERR_INIT;
    struct app_load l;
    struct rc_buf svg;

    if (load_for(srv, req, resp, &l) < 0)
        return -1;
    rc_buf_init(&svg, SVG_MAX_BYTES);
    if (load_svg(&l.report, &svg, &err) < 0) {
        app_load_release(&l);
        rc_buf_release(&svg);
        return app_failed(resp, &err);
    }
    app_load_release(&l);
    svg_resp(resp, &svg);
    return 0;
}

/* ---- shoes ---- */

int http_api_shoes(struct http_server *srv, const struct http_req *req,
                   struct http_resp *resp)
{
    struct rc_err err = RC_ERR_INIT;
    struct store_shoe *v;
    size_t n;
    json_t *arr;

    (void)req;
    if (app_shoe_list(&srv->app, &v, &n, &err) < 0)
        return app_failed(resp, &err);
    arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, app_shoe_json(&v[i]));
    free(v);
    http_resp_json(resp, 200, arr);
    return 0;
}

static int km_value(struct http_resp *resp, const char *key,
                    const char *text, double *out)
{
    char *end;
    double v = strtod(text, &end);
    if (end == text || *end || !(v >= 0 && v <= 100000))
        return fail(resp, 400, "%s '%s' is not a number of km from 0 to "
                               "100000", key, text);
    *out = v;
    return 0;
}

int http_api_shoe_add(struct http_server *srv, const struct http_req *req,
                      struct http_resp *resp)
{
    struct rc_err err = RC_ERR_INIT;
    char name[64], start[32], limit[32], def[8], since[32];
    struct body_field f[] = {
        { "name", name, sizeof(name), 0 },
        { "start_km", start, sizeof(start), 0 },
        { "limit_km", limit, sizeof(limit), 0 },
        { "default", def, sizeof(def), 0 },
        { "since", since, sizeof(since), 0 },
    };
    double start_km = 0, limit_km = NAN;
    long since_day = LONG_MIN;

    if (body_fields(req, resp, f, RC_ARRAY_SIZE(f)) < 0)
        return -1;
    if (!f[0].found || !name[0])
        return fail(resp, 400, "give the shoe a name");
    if (f[4].found && since[0] && rc_date_parse(since, &since_day) < 0)
        return fail(resp, 400, "since '%s' is not a date (YYYY-MM-DD)",
                    since);
    if ((f[1].found && km_value(resp, "start_km", start, &start_km) < 0) ||
        (f[2].found && km_value(resp, "limit_km", limit, &limit_km) < 0))
        return -1;
    if (app_shoe_add(&srv->app, name, start_km, limit_km,
                     f[3].found && (!strcmp(def, "true") || !strcmp(def, "1")),
                     since_day, &err) < 0)
        return app_failed(resp, &err);
    if (http_api_shoes(srv, req, resp) < 0)
        return -1;
    resp->status = 201;
    return 0;
}

/* ---- import ---- */

static void on_progress(const struct import_progress *p, void *ctx)
{
    struct http_server *srv = ctx;
    pthread_mutex_lock(&srv->progress_lock);
    srv->progress = *p;
    pthread_mutex_unlock(&srv->progress_lock);
}

/* A file name for the upload: its base name with only letters, digits and
 * ". - _" kept; "upload" when nothing is left. */
static void safe_name(const char *in, char *out, size_t n)
{
    const char *base = strrchr(in, '/');
    size_t k = 0;
    base = base ? base + 1 : in;
    for (; *base && k + 1 < n; base++)
        if (isalnum((unsigned char)*base) || strchr("._-", *base))
            out[k++] = *base;
    out[k] = '\0';
    if (!k || out[0] == '.')
        snprintf(out, n, "upload");
}

int http_api_import(struct http_server *srv, const struct http_req *req,
                    struct http_resp *resp)
{
    struct rc_err err = RC_ERR_INIT;
    struct import_opts opts = { 0 };
    struct import_summary sum;
    char raw[256], name[128], dir[4200], path[4400], *paths[1];
    json_t *o;
    long failed;
    int k, rc;

    if ((k = query(req, resp, "name", raw, sizeof(raw))) < 0)
        return -1;
    if (!req->upload_path || req->upload_bytes == 0)
        return fail(resp, 400, "no file in the request body");
    safe_name(k ? raw : "upload", name, sizeof(name));
    snprintf(dir, sizeof(dir), "%s/import.XXXXXX", srv->tmpdir);
    if (!mkdtemp(dir))
        return fail(resp, 500, "cannot make a folder for the upload: %s",
                    strerror(errno));
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if (rename(req->upload_path, path) != 0) {
        rmdir(dir);
        return fail(resp, 500, "cannot keep the upload: %s", strerror(errno));
    }
    pthread_mutex_lock(&srv->progress_lock);
    if (srv->importing) {
        pthread_mutex_unlock(&srv->progress_lock);
        remove(path);
        rmdir(dir);
        return fail(resp, 409, "an import is under way; try again when it "
                               "has finished");
    }
    srv->importing = true;
    memset(&srv->progress, 0, sizeof(srv->progress));
    pthread_mutex_unlock(&srv->progress_lock);

    opts.progress = on_progress;
    opts.ctx = srv;
    paths[0] = path;
    rc = app_import(&srv->app, paths, 1, &opts, &sum, &err);
    remove(path);
    rmdir(dir);
    pthread_mutex_lock(&srv->progress_lock);
    srv->importing = false;
    pthread_mutex_unlock(&srv->progress_lock);
    if (rc < 0) {
        import_summary_release(&sum);
        return app_failed(resp, &err);
    }
    snprintf(path, sizeof(path), "%s/", dir);
    o = json_object();
    json_object_set_new(o, "summary", app_import_summary_json(&sum, path));
    if (sum.failed) {
        /* the file is refused as `runcare import` refuses it */
        char msg[2048];
        const char *p = sum.nfailures ? sum.failures[0].path : name;
        if (!strncmp(p, path, strlen(path)))
            p += strlen(path);
        snprintf(msg, sizeof(msg), "%s: %s", p,
                 sum.nfailures ? sum.failures[0].reason : "failed");
        json_object_set_new(o, "error",
                            json_pack("{s:s,s:s}", "message", msg, "kind",
                                      "input"));
    }
    failed = sum.failed;
    import_summary_release(&sum);
    http_resp_json(resp, failed ? 400 : 200, o);
    return 0;
}

int http_api_import_progress(struct http_server *srv,
                             const struct http_req *req,
                             struct http_resp *resp)
{
    struct import_progress p;
    bool on;
    (void)req;
    pthread_mutex_lock(&srv->progress_lock);
    p = srv->progress;
    on = srv->importing;
    pthread_mutex_unlock(&srv->progress_lock);
    http_resp_json(resp, 200,
                   json_pack("{s:b,s:I,s:I,s:I,s:f}", "importing", on,
                             "files", (json_int_t)p.files, "bytes_done",
                             (json_int_t)p.bytes_done, "bytes_total",
                             (json_int_t)p.bytes_total, "elapsed_s",
                             p.elapsed_s));
    return 0;
}

/* ---- the recovery plan and the pain diary ---- */

/* GET /api/plan[?at=TIME]: `runcare plan --json [--at TIME]`; a date
 * alone is its midnight UTC. */
int http_api_plan(struct http_server *srv, const struct http_req *req,
                  struct http_resp *resp)
{
    struct rc_err err = RC_ERR_INIT;
    struct app_plan p;
    char text[40];
    double at_s = rc_now();
    long day;
    int k, rc;

    if ((k = query(req, resp, "at", text, sizeof(text))) < 0)
        return -1;
    if (k && rc_time_parse(text, &at_s, NULL, NULL) < 0) {
        if (rc_date_parse(text, &day) < 0)
            return fail(resp, 400, "at '%s' is not a time "
                                   "(YYYY-MM-DDTHH:MM[:SS]Z)", text);
        at_s = (double)day * 86400.0;
    }
    pthread_mutex_lock(&srv->check_lock);
    rc = app_plan(&srv->app, srv->kb, at_s, &p, &err);
    pthread_mutex_unlock(&srv->check_lock);
    if (rc < 0)
        return app_failed(resp, &err);
    http_resp_json(resp, 200, app_plan_json(&p));
    app_plan_release(&p);
    return 0;
}

static int diary_read(struct http_server *srv, struct http_resp *resp,
                      struct app_diary *d)
{
    struct rc_err err = RC_ERR_INIT;
    int rc;
    pthread_mutex_lock(&srv->check_lock);
    rc = app_diary_read(&srv->app, srv->kb, rc_now(), d, &err);
    pthread_mutex_unlock(&srv->check_lock);
    return rc < 0 ? app_failed(resp, &err) : 0;
}

/* GET /api/diary: `runcare diary --json`. */
int http_api_diary(struct http_server *srv, const struct http_req *req,
                   struct http_resp *resp)
{
    struct app_diary d;
    (void)req;
    if (diary_read(srv, resp, &d) < 0)
        return -1;
    http_resp_json(resp, 200, app_diary_json(&d));
    app_diary_release(&d);
    return 0;
}

/* GET /api/diary/chart: `runcare diary --svg -`. */
int http_api_diary_chart(struct http_server *srv, const struct http_req *req,
                         struct http_resp *resp)
{
    struct rc_err err = RC_ERR_INIT;
    struct app_diary d;
    struct rc_buf svg;
    int rc;

    (void)req;
    if (diary_read(srv, resp, &d) < 0)
        return -1;
    rc_buf_init(&svg, SVG_MAX_BYTES);
    rc = app_diary_svg(&d, &svg, &err);
    app_diary_release(&d);
    if (rc < 0) {
        rc_buf_release(&svg);
        return app_failed(resp, &err);
    }
    svg_resp(resp, &svg);
    return 0;
}

/* POST /api/diary/#/rm: `runcare diary rm ID`. */
int http_api_diary_rm(struct http_server *srv, const struct http_req *req,
                      struct http_resp *resp)
{
    struct rc_err err = RC_ERR_INIT;
    if (app_diary_rm(&srv->app, req->id, rc_now(), &err) < 0)
        return app_failed(resp, &err);
    http_resp_json(resp, 200,
                   json_pack("{s:I}", "removed", (json_int_t)req->id));
    return 0;
}
