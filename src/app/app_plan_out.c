/* app_plan_out.c - the plan and the diary as JSON, and the plan as an
 * iCalendar file (see app.h). JSON is made here, below the front ends, so
 * that the CLI and the web page give the same answer.
 *
 * An iCalendar file (RFC 5545), as written here:
 *     BEGIN:VCALENDAR / VERSION:2.0 / PRODID / CALSCALE:GREGORIAN
 *     one VEVENT per plan step (its window) and one for the check-in,
 *       UID:runcare-<check id>-<report id>-<what>@runcare  (the same on
 *       every export, so a calendar updates the event, never doubles it)
 *       DTSTAMP: when the report was made (an export is reproducible)
 *       DTSTART/DTEND: UTC ("...Z"); SUMMARY, DESCRIPTION (escaped: \\ \; \, \n)
 *     END:VCALENDAR
 * Lines end in CRLF and are folded before 75 octets (a CRLF and a space),
 * never inside a UTF-8 sequence. */
#include "base/base.h"
#include "base/time.h"
#include "app/app_int.h"

static json_t *iso(double t)
{
    char b[32];
    return isfinite(t) ? json_string(rc_time_format(t, b)) : json_null();
}

static json_t *num_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static const char *state_of(const struct app_plan_step *s)
{
    return s->past ? "past" : s->now ? "now" : "later";
}

static json_t *escalations_json(const struct triage_course *c)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < c->nesc; i++)
        json_array_append_new(
            a, json_pack("{s:s, s:s, s:s, s:O}", "id", c->esc[i].id, "level",
                         triage_level_name(c->esc[i].level), "reason",
                         c->esc[i].reason, "source_ids",
                         c->esc[i].source_ids));
    return a;
}

static json_t *due_json(enum app_due due, double due_s)
{
    if (due == APP_DUE_NONE)
        return json_null();
    return json_pack("{s:o, s:s}", "due_at", iso(due_s), "state",
                     due == APP_DUE_OVERDUE ? "overdue" : "due");
}

json_t *app_plan_json(const struct app_plan *p)
{
    const struct app_diary_problem *pr = &p->diary.problems[p->problem];
    json_t *o, *steps = json_array(), *now = json_array(), *runs =
                                                             json_array();
    json_t *ret;
    for (size_t i = 0; steps && now && i < p->nsteps; i++) {
        const struct app_plan_step *s = &p->steps[i];
        json_t *x = json_deep_copy(s->step);
        if (!x)
            continue;
        json_object_set_new(x, "label", json_string(s->label));
        json_object_set_new(x, "starts_at", iso(s->from_s));
        json_object_set_new(x, "ends_at", iso(s->to_s));
        json_object_set_new(x, "state", json_string(state_of(s)));
        if (s->now)
            json_array_append(now, x);
        json_array_append_new(steps, x);
    }
    for (size_t i = 0; runs && i < p->nruns; i++) {
        const struct app_plan_run *r = &p->runs[i];
        char day[16];
        json_t *x = json_pack(
            "{s:s, s:o, s:f, s:o, s:o, s:b, s:b}", "date",
            rc_date_format(r->day, day), "start", iso(r->start_s), "km",
            r->km, "pace_s_per_km", num_or_null(r->pace_s_per_km),
            "usual_pace_s_per_km", num_or_null(r->usual_pace_s_per_km),
            "over_cap", r->over_cap, "too_soon", r->too_soon);
        if (x && r->pain_before >= 0)
            json_object_set_new(x, "pain_before", json_integer(r->pain_before));
        if (x && r->pain_after >= 0)
            json_object_set_new(x, "pain_after", json_integer(r->pain_after));
        json_array_append_new(runs, x);
    }
    ret = json_deep_copy(triage_get_field(p->result,
                                          "/plan/return_to_running"));
    if (!ret)
        ret = json_object();
    if (ret) {
        json_object_set_new(ret, "max_single_run_km",
                            num_or_null(p->cap_km));
        json_object_set_new(ret, "from", iso(p->return_from_s));
    }
    o = json_pack("{s:o, s:o, s:f, s:I, s:I, s:s, s:s, s:O*, s:o, s:o, "
                  "s:o, s:o, s:o, s:b, s:o, s:o, s:O*, s:O*}",
                  "at", iso(p->at_s), "run_ended_at", iso(p->run_end_s),
                  "hours_since_run", p->hours, "check_id",
                  (json_int_t)p->check_id, "report_id",
                  (json_int_t)p->report_id, "triage",
                  triage_level_name(pr->course.level), "checked_triage",
                  triage_level_name(triage_result_level(p->result)),
                  "summary", triage_get_field(p->result, "/plan/summary"),
                  "now", now, "next",
                  p->next >= 0 ? json_incref(json_array_get(steps, p->next))
                               : json_null(),
                  "steps", steps, "return_to_running", ret, "runs_since",
                  runs, "within_plan", p->within, "escalations",
                  escalations_json(&pr->course), "check_in",
                  due_json(p->diary.due, p->diary.due_s), "advice_sources",
                  triage_get_field(p->result, "/advice_sources"),
                  "disclaimer", triage_get_field(p->result, "/disclaimer"));
    return o;
}

json_t *app_diary_json(const struct app_diary *d)
{
    json_t *entries = json_array(), *problems = json_array(),
           *runs = json_array();
    for (size_t i = 0; entries && i < d->n; i++) {
        const struct app_diary_entry *e = &d->entries[i];
        json_array_append_new(
            entries,
            json_pack("{s:I, s:o, s:o, s:I, s:s, s:i, s:O, s:O}", "id",
                      (json_int_t)e->id, "created_at", iso(e->created_s),
                      "follows",
                      e->follows_id ? json_integer((json_int_t)e->follows_id)
                                    : json_null(),
                      "problem", (json_int_t)e->problem, "triage",
                      triage_level_name(e->level), "score", e->score,
                      "report", e->report, "result", e->result));
    }
    for (size_t i = 0; problems && i < d->nproblems; i++) {
        const struct app_diary_problem *p = &d->problems[i];
        const struct triage_course *c = &p->course;
        json_t *ids = json_array();
        for (size_t k = 0; ids && k < p->n; k++)
            json_array_append_new(
                ids, json_integer((json_int_t)d->entries[p->entries[k]].id));
        json_array_append_new(
            problems,
            json_pack("{s:o, s:s?, s:o, s:o, s:O, s:s?, s:o, s:s, s:o}",
                      "entries", ids, "condition", c->condition_id,
                      "run_ended_at", iso(p->run_end_s), "cap_km",
                      num_or_null(p->cap_km), "course", c->course,
                      "expected_course", triage_course_text(c),
                      "usual_days", num_or_null(triage_course_usual_days(c)),
                      "triage", triage_level_name(c->level), "escalations",
                      escalations_json(c)));
    }
    for (size_t i = 0; runs && i < d->nruns; i++) {
        char day[16];
        json_array_append_new(runs,
                              json_pack("{s:s, s:o, s:f}", "date",
                                        rc_date_format(d->runs[i].day, day),
                                        "start", iso(d->runs[i].start_s),
                                        "km", d->runs[i].km));
    }
    return json_pack("{s:o, s:o, s:o, s:o, s:o}", "at", iso(d->now_s),
                     "entries", entries, "problems", problems, "runs", runs,
                     "check_in", due_json(d->due, d->due_s));
}

/* ---- iCalendar ---- */

/* One content line, escaped as TEXT when text is set, folded. */
static int ics_line(struct rc_buf *b, const char *name, const char *value,
                    bool text, struct rc_err *err)
{
    char line[16384];
    size_t n = (size_t)snprintf(line, sizeof(line), "%s:", name), col = 0;
    for (const char *p = value; *p && n + 3 < sizeof(line); p++) {
        if (text && (*p == '\\' || *p == ';' || *p == ',')) {
            line[n++] = '\\';
            line[n++] = *p;
        } else if (text && *p == '\n') {
            line[n++] = '\\';
            line[n++] = 'n';
        } else if ((unsigned char)*p >= 0x20 || *p == '\t') {
            line[n++] = *p;
        }
    }
    line[n] = '\0';
    for (size_t i = 0; i < n;) {
        /* 75 octets on the first line, 74 after the leading space */
        size_t room = col == 0 ? 75 : 74, k = n - i < room ? n - i : room;
        /* never cut a UTF-8 sequence */
        while (k > 0 && i + k < n &&
               ((unsigned char)line[i + k] & 0xC0) == 0x80)
            k--;
        if ((col > 0 && rc_buf_append(b, " ", 1, err) < 0) ||
            rc_buf_append(b, line + i, k, err) < 0 ||
            rc_buf_append(b, "\r\n", 2, err) < 0)
            return -1;
        i += k;
        col++;
    }
    return 0;
}

static void ics_time(double t, char out[32])
{
    struct rc_civil c;
    rc_civil_from_time(t, &c);
    snprintf(out, 32, "%04d%02d%02dT%02d%02d%02dZ", c.year, c.month, c.day,
             c.hour, c.minute, c.second);
}

static int ics_event(struct rc_buf *b, const struct app_plan *p,
                     const char *what, double from_s, double to_s,
                     const char *summary, const char *desc,
                     struct rc_err *err)
{
    char uid[128], stamp[32], start[32], end[32];
    snprintf(uid, sizeof(uid), "runcare-%lld-%lld-%s@runcare",
             (long long)p->check_id, (long long)p->report_id, what);
    ics_time(p->diary.entries[p->diary.problems[p->problem]
                                  .entries[p->diary.problems[p->problem].n -
                                           1]]
                 .created_s,
             stamp);
    ics_time(from_s, start);
    ics_time(to_s, end);
    return ics_line(b, "BEGIN", "VEVENT", false, err) < 0 ||
                   ics_line(b, "UID", uid, false, err) < 0 ||
                   ics_line(b, "DTSTAMP", stamp, false, err) < 0 ||
                   ics_line(b, "DTSTART", start, false, err) < 0 ||
                   ics_line(b, "DTEND", end, false, err) < 0 ||
                   ics_line(b, "SUMMARY", summary, true, err) < 0 ||
                   ics_line(b, "DESCRIPTION", desc, true, err) < 0 ||
                   ics_line(b, "END", "VEVENT", false, err) < 0
               ? -1
               : 0;
}

/* A step's actions as text, with their sources. */
static void step_text(const json_t *step, char *out, size_t n)
{
    const json_t *a;
    size_t i, o = 0;
    out[0] = '\0';
    json_array_foreach(json_object_get(step, "actions"), i, a) {
        const char *why = json_string_value(json_object_get(a, "why"));
        char *ids = json_dumps(json_object_get(a, "source_ids"),
                               JSON_COMPACT);
        int k = snprintf(out + o, n - o, "%s%s%s%s [%s]\n",
                         json_string_value(json_object_get(a, "text")),
                         why ? " (why: " : "", why ? why : "",
                         why ? ")" : "", ids ? ids : "");
        free(ids);
        if (k < 0 || (size_t)k >= n - o)
            break;
        o += (size_t)k;
    }
}

int app_plan_ics(const struct app_plan *p, struct rc_buf *out,
                 struct rc_err *err)
{
    const char *disc = json_string_value(
        triage_get_field(p->result, "/disclaimer"));
    char what[32], text[8192], summary[256];
    if (ics_line(out, "BEGIN", "VCALENDAR", false, err) < 0 ||
        ics_line(out, "VERSION", "2.0", false, err) < 0 ||
        ics_line(out, "PRODID", "-//runcare//recovery plan//EN", false,
                 err) < 0 ||
        ics_line(out, "CALSCALE", "GREGORIAN", false, err) < 0)
        return -1;
    for (size_t i = 0; i < p->nsteps; i++) {
        const struct app_plan_step *s = &p->steps[i];
        /* an open-ended step shows as its first day */
        double to = isfinite(s->to_s) ? s->to_s : s->from_s + 86400.0;
        size_t len;
        snprintf(what, sizeof(what), "step%zu", i + 1);
        snprintf(summary, sizeof(summary), "runcare plan: %s", s->label);
        step_text(s->step, text, sizeof(text));
        len = strlen(text);
        snprintf(text + len, sizeof(text) - len, "%s", disc ? disc : "");
        if (ics_event(out, p, what, s->from_s, to, summary, text, err) < 0)
            return -1;
    }
    if (p->diary.due != APP_DUE_NONE) {
        snprintf(text, sizeof(text),
                 "Check in on how the pain is going: runcare diary add. "
                 "Sooner if it gets worse. %s",
                 disc ? disc : "");
        if (ics_event(out, p, "checkin", p->diary.due_s,
                      p->diary.due_s + 1800.0, "runcare: check in", text,
                      err) < 0)
            return -1;
    }
    return ics_line(out, "END", "VCALENDAR", false, err);
}
