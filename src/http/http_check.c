/* http_check.c - the leg-pain check in the browser: the questionnaire one
 * question at a time (POST /api/check/next) and the result (POST
 * /api/check); a follow-up the same way (POST /api/diary/next, kept in
 * the diary by POST /api/diary). The questions, their order, which
 * follow-ups apply and the emergency stop are the engine's
 * (triage_next_question, triage_next_follow_up, triage_parse_answer,
 * triage_emergency_now), as on the terminal; the server keeps no state
 * between questions: the page sends back the report so far and the
 * questions asked. */
#include "base/base.h"
#include "base/time.h"
#include "http/http_int.h"
#include "triage/triage.h"

static const char *const kind_names[] = {
    [KB_Q_BOOL] = "bool",           [KB_Q_CHOICE] = "choice",
    [KB_Q_MULTI] = "multi",         [KB_Q_NUMBER] = "number",
    [KB_Q_INTEGER] = "integer",     [KB_Q_LOCATION] = "location",
    [KB_Q_CHECKLIST] = "checklist",
};

static json_t *question_json(const struct kb_question *q, size_t number)
{
    json_t *o = json_object(), *ch = json_array();
    json_object_set_new(o, "id", json_string(q->id));
    json_object_set_new(o, "number", json_integer((json_int_t)number));
    json_object_set_new(o, "kind", json_string(kind_names[q->kind]));
    json_object_set_new(o, "text", json_string(q->text));
    json_object_set_new(o, "required", json_boolean(q->required));
    for (size_t i = 0; i < q->nchoices; i++)
        json_array_append_new(ch, json_pack("{s:s,s:s}", "value",
                                            q->choices[i].value, "text",
                                            q->choices[i].text));
    json_object_set_new(o, "choices", ch);
    if (q->kind == KB_Q_NUMBER || q->kind == KB_Q_INTEGER) {
        json_object_set_new(o, "min", json_real(q->min));
        json_object_set_new(o, "max", json_real(q->max > 1e6 ? 1e6 : q->max));
    }
    return o;
}

static long question_index(const struct kb *kb, const char *id)
{
    for (size_t i = 0; i < kb_count_questions(kb); i++)
        if (!strcmp(kb_question_at(kb, i)->id, id))
            return (long)i;
    return -1;
}

static int bad(struct http_resp *resp, const char *field, const char *msg)
{
    struct rc_err err = RC_ERR_INIT;
    rc_fail_field(&err, field, "%s", msg);
    http_resp_error(resp, 400, &err);
    return -1;
}

/* Read {"report":{}, "asked":[ids], "answer":{"question":id,"text":s}}.
 * *report a new reference, asked[] marked. */
static int read_step(const struct kb *kb, const json_t *body, json_t **report,
                     bool *asked, const char **qid, const char **text,
                     struct http_resp *resp)
{
    const json_t *r = json_object_get(body, "report"),
                 *a = json_object_get(body, "asked"),
                 *ans = json_object_get(body, "answer");
    size_t i;
    const json_t *v;

    *qid = *text = NULL;
    if (r && !json_is_object(r))
        return bad(resp, "report", "report: an object is needed");
    if (a && !json_is_array(a))
        return bad(resp, "asked", "asked: a list of question ids is needed");
    json_array_foreach(a, i, v) {
        long q = json_is_string(v) ? question_index(kb, json_string_value(v))
                                   : -1;
        if (q < 0)
            return bad(resp, "asked", "asked: not a question of the check");
        asked[q] = true;
    }
    if (ans) {
        const json_t *q = json_object_get(ans, "question"),
                     *t = json_object_get(ans, "text");
        if (!json_is_object(ans) || !json_is_string(q) || !json_is_string(t) ||
            json_string_length(t) > 500)
            return bad(resp, "answer",
                       "answer: {\"question\": id, \"text\": "
                       "the answer} is needed");
        *qid = json_string_value(q);
        *text = json_string_value(t);
        if (question_index(kb, *qid) < 0)
            return bad(resp, "answer", "answer: not a question of the check");
    }
    *report = r ? json_deep_copy(r) : json_object();
    return 0;
}

static json_t *asked_json(const struct kb *kb, const bool *asked, size_t *count)
{
    json_t *a = json_array();
    *count = 0;
    for (size_t i = 0; i < kb_count_questions(kb); i++)
        if (asked[i]) {
            json_array_append_new(a, json_string(kb_question_at(kb, i)->id));
            ++*count;
        }
    return a;
}

/* The answer to a step: the emergency that stops it (label set), else
 * question next (-1: none left), with the questions asked and the report
 * so far, which the page sends back with the next answer. */
static void reply(const struct kb *kb, json_t *report, const bool *asked,
                  const char *label, long next, struct http_resp *resp)
{
    json_t *out = json_object();
    size_t nasked;

    json_object_set_new(out, "asked", asked_json(kb, asked, &nasked));
    if (label)
        json_object_set_new(out, "emergency",
                            json_pack("{s:s,s:s,s:s}", "headline",
                                      kb_level_headline(kb, TRIAGE_EMERGENCY),
                                      "why", label, "text",
                                      triage_emergency_stop_text));
    else
        json_object_set_new(out, "emergency", json_null());
    json_object_set_new(out, "question",
                        next >= 0 ? question_json(kb_question_at(kb,
                                                                 (size_t)next),
                                                  nasked + 1)
                                  : json_null());
    json_object_set_new(out, "report", json_incref(report));
    http_resp_json(resp, 200, out);
}

/* Apply the answer to question qid: -1 after a 400 for one that cannot be
 * read, or "not sure" where an answer is needed (must); -2 out of
 * memory. */
static int answer(const struct kb *kb, json_t *report, bool *asked,
                  const char *qid, const char *text, bool must,
                  struct http_resp *resp)
{
    long i = question_index(kb, qid);
    enum triage_answer a;
    char msg[256] = "";

    if (triage_apply_answer(kb, report, (size_t)i, text, &a, msg,
                            sizeof(msg)) < 0)
        return -2;
    if (a == TRIAGE_ANSWER_BAD)
        return bad(resp, "answer", msg[0] ? msg : "please answer again");
    if (a == TRIAGE_ANSWER_DONT_KNOW && must &&
        kb_question_at(kb, (size_t)i)->required)
        return bad(resp, "answer", "this one needs an answer");
    asked[i] = true;
    return 0;
}

/* One step under the lock: the answer applied, the emergency checked, the
 * next question chosen. */
static void step(struct http_server *srv, json_t *body, bool *asked,
                 struct http_resp *resp)
{
    const struct kb *kb = srv->kb;
    struct rc_err err = RC_ERR_INIT;
    struct app_check chk;
    const char *qid, *text, *label = NULL;
    json_t *report = NULL;
    double now_s = rc_now();
    long next;
    int rc;

    if (read_step(kb, body, &report, asked, &qid, &text, resp) < 0)
        return;
    app_check_begin(&srv->app, APP_CHECK_NO_SAVE, now_s, &chk);
    if (!qid && json_object_size(report) == 0 &&
        triage_report_begin(report, &chk.training.t, now_s) < 0)
        goto nomem;
    if (qid && (rc = answer(kb, report, asked, qid, text, false, resp)) < 0) {
        if (rc == -2)
            goto nomem;
        goto done;
    }
    if (triage_emergency_now(kb, report, &label)) {
        reply(kb, report, asked, label, -1, resp);
        goto done;
    }
    next = triage_next_question(kb, report, &chk.training.t, asked, &err);
    if (next == -2) {
        http_resp_error(resp, 500, &err);
        goto done;
    }
    if (next == -1 && triage_report_stamp(report, now_s) < 0)
        goto nomem;
    reply(kb, report, asked, NULL, next, resp);
    goto done;
nomem:
    rc_fail(&err, RC_EENV, "out of memory");
    http_resp_error(resp, 500, &err);
done:
    json_decref(report);
    app_check_end(&chk);
}

/* A follow-up step under the lock: as step(), in the kb's follow-up order
 * (triage_next_follow_up), from the latest report in the diary when no
 * report is sent (app_follow_up_begin); the safety answers the schema
 * requires are asked again on "not sure", as on the terminal. */
static void follow_up_step(struct http_server *srv, json_t *body, bool *asked,
                           struct http_resp *resp)
{
    const struct kb *kb = srv->kb;
    struct rc_err err = RC_ERR_INIT;
    const char *qid, *text, *label = NULL;
    json_t *report = NULL;
    int rc;

    if (read_step(kb, body, &report, asked, &qid, &text, resp) < 0)
        return;
    if (!json_object_size(report)) {
        json_decref(report);
        report = NULL;
        if (app_follow_up_begin(&srv->app, kb, rc_now(), &report, &err) < 0) {
            http_resp_error(resp, 0, &err);
            return;
        }
    }
    if (qid && (rc = answer(kb, report, asked, qid, text, true, resp)) < 0) {
        if (rc == -2) {
            rc_fail(&err, RC_EENV, "out of memory");
            http_resp_error(resp, 500, &err);
        }
    } else if (triage_emergency_now(kb, report, &label)) {
        reply(kb, report, asked, label, -1, resp);
    } else {
        reply(kb, report, asked, NULL, triage_next_follow_up(kb, report, asked),
              resp);
    }
    json_decref(report);
}

/* The body as a JSON object and a fresh asked[] for fn, run under the
 * check's lock. */
static int questionnaire(struct http_server *srv, const struct http_req *req,
                         struct http_resp *resp,
                         void (*fn)(struct http_server *, json_t *, bool *,
                                    struct http_resp *))
{
    struct rc_err err = RC_ERR_INIT;
    json_t *body = req->body_len
                       ? http_json_parse(req->body, req->body_len, &err)
                       : json_object();
    bool *asked;

    if (!body || !json_is_object(body)) {
        if (body)
            rc_fail(&err, RC_EINPUT, "request body: a JSON object is needed");
        json_decref(body);
        http_resp_error(resp, 400, &err);
        return -1;
    }
    asked = calloc(kb_count_questions(srv->kb) + 1, sizeof(*asked));
    if (!asked) {
        json_decref(body);
        rc_fail(&err, RC_EENV, "out of memory");
        http_resp_error(resp, 500, &err);
        return -1;
    }
    pthread_mutex_lock(&srv->check_lock);
    fn(srv, body, asked, resp);
    pthread_mutex_unlock(&srv->check_lock);
    free(asked);
    json_decref(body);
    return resp->status < 400 ? 0 : -1;
}

int http_api_check_next(struct http_server *srv, const struct http_req *req,
                        struct http_resp *resp)
{
    return questionnaire(srv, req, resp, step);
}

int http_api_diary_next(struct http_server *srv, const struct http_req *req,
                        struct http_resp *resp)
{
    return questionnaire(srv, req, resp, follow_up_step);
}

/* The violations as the CLI prints them: "report: /pointer: what". */
static int violations(struct http_resp *resp, const struct jschema_errors *e)
{
    struct rc_err err = RC_ERR_INIT;
    json_t *o, *list = json_array();
    for (size_t i = 0; i < e->n; i++) {
        char line[1200];
        snprintf(line, sizeof(line), "report: %s: %s",
                 e->v[i].pointer[0] ? e->v[i].pointer : "/", e->v[i].msg);
        json_array_append_new(list, json_string(line));
    }
    rc_fail(&err, RC_EINPUT, "%s",
            e->n ? json_string_value(json_array_get(list, 0))
                 : "report: not valid");
    http_resp_error(resp, 400, &err);
    o = json_loadb(resp->body, resp->len, 0, NULL);
    if (!resp->body_static)
        free(resp->body);
    if (!o)
        o = json_object();
    json_object_set_new(json_object_get(o, "error"), "violations", list);
    http_resp_json(resp, 400, o);
    return -1;
}

/* The body as a report valid against report.schema.json: NULL after a
 * 400 (with every violation, as the CLI lists them). */
static json_t *read_report(const struct http_server *srv,
                           const struct http_req *req, struct http_resp *resp)
{
    struct rc_err err = RC_ERR_INIT;
    struct jschema_errors verrs;
    json_t *report = http_json_parse(req->body, req->body_len, &err);

    if (!report) {
        http_resp_error(resp, 400, &err);
        return NULL;
    }
    jschema_errors_init(&verrs);
    if (jschema_validate(kb_report_schema(srv->kb), report, &verrs) != 0) {
        json_decref(report);
        report = NULL;
        violations(resp, &verrs);
    }
    jschema_errors_release(&verrs);
    return report;
}

int http_api_check(struct http_server *srv, const struct http_req *req,
                   struct http_resp *resp)
{
    struct rc_err err = RC_ERR_INIT;
    struct jschema_errors verrs;
    struct app_check_result res;
    char save[8];
    unsigned flags = 0;
    json_t *report, *o;
    int k, rc;

    k = http_form_get(req->query, req->query ? strlen(req->query) : 0, "save",
                      save, sizeof(save));
    if (k > 0 && !strcmp(save, "0"))
        flags |= APP_CHECK_NO_SAVE;
    if (!(report = read_report(srv, req, resp)))
        return -1;
    memset(&res, 0, sizeof(res));
    jschema_errors_init(&verrs);
    pthread_mutex_lock(&srv->check_lock);
    rc = app_check(&srv->app, srv->kb, report, flags, rc_now(), &res, &verrs,
                   &err);
    pthread_mutex_unlock(&srv->check_lock);
    json_decref(report);
    jschema_errors_release(&verrs);
    if (rc < 0) {
        http_resp_error(resp, 500, &err);
        return -1;
    }
    o = json_object();
    json_object_set_new(o, "result", json_incref(res.result));
    json_object_set_new(o, "report_id",
                        res.report_id ? json_integer(res.report_id)
                                      : json_null());
    if (res.save_err.status != RC_OK) {
        char text[512];
        json_object_set_new(
            o, "save_error",
            json_string(rc_err_format(&res.save_err, text, sizeof(text))));
    }
    app_check_result_release(&res);
    http_resp_json(resp, 200, o);
    return 0;
}

/* POST /api/diary: `runcare diary add --json` with the report in the
 * body (a follow-up made with /api/diary/next, or written by hand). */
int http_api_diary_add(struct http_server *srv, const struct http_req *req,
                       struct http_resp *resp)
{
    struct rc_err err = RC_ERR_INIT;
    struct jschema_errors verrs;
    struct app_diary_add a;
    struct app app = srv->app;
    json_t *report;
    int rc;

    if (!(report = read_report(srv, req, resp)))
        return -1;
    app.command = "diary add";
    jschema_errors_init(&verrs);
    pthread_mutex_lock(&srv->check_lock);
    rc = app_diary_add(&app, srv->kb, report, rc_now(), &a, &verrs, &err);
    pthread_mutex_unlock(&srv->check_lock);
    json_decref(report);
    jschema_errors_release(&verrs);
    if (rc < 0) {
        http_resp_error(resp, 0, &err);
        return -1;
    }
    http_resp_json(resp, 201,
                   json_pack("{s:I, s:I, s:O, s:o}", "report_id",
                             (json_int_t)a.check.report_id, "follows",
                             (json_int_t)a.follows_id, "result",
                             a.check.result, "diary",
                             app_diary_json(&a.diary)));
    app_diary_add_release(&a);
    return 0;
}
