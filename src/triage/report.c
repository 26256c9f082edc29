/* report.c - the steps every questionnaire takes on a report being built,
 * whoever asks (the terminal, the web page, a follow-up): the hours since
 * the run filled in from the log, an answer read and set, the emergency
 * stop, the schema version and time stamped at the end. One place, so
 * that the terminal and the page cannot drift apart. */
#include "base/base.h"
#include "base/time.h"
#include "triage/triage_int.h"

const char triage_emergency_stop_text[] =
    "The questions stop here: get help first. Nothing was saved. runcare "
    "gives information, not a diagnosis. In an emergency call your local "
    "emergency number.";

double triage_hours_since(double run_end_s, double now_s)
{
    double h = (now_s - run_end_s) / 3600.0;
    /* tenths of an hour, within the schema's 0..2160 (90 days) */
    return fmin(2160, fmax(0, round(h * 10) / 10));
}

int triage_report_begin(json_t *rep, const struct triage_training *t,
                        double now_s)
{
    if (!t || !isfinite(t->run_end_s) || now_s < t->run_end_s ||
        triage_get_field(rep, "/pain/hours_since_run"))
        return 0;
    return triage_set_field(rep, "/pain/hours_since_run",
                            json_real(triage_hours_since(t->run_end_s, now_s)));
}

int triage_apply_answer(const struct kb *kb, json_t *rep, size_t i,
                        const char *text, enum triage_answer *a, char *msg,
                        size_t msgn)
{
    json_t *set = NULL;
    int rc = 0;

    *a = triage_parse_answer(kb, i, text, &set, msg, msgn);
    if (*a == TRIAGE_ANSWER_OK)
        rc = triage_set_fields(rep, set);
    json_decref(set);
    return rc;
}

int triage_report_stamp(json_t *rep, double now_s)
{
    char when[32];
    if (json_object_set_new(rep, "schema_version", json_string("1.1")) < 0 ||
        json_object_set_new(rep, "created_at",
                            json_string(rc_time_format(now_s, when))) < 0)
        return -1;
    return 0;
}

long triage_next_follow_up(const struct kb *kb, const json_t *rep,
                           const bool *asked)
{
    const json_t *f;
    size_t i;
    json_array_foreach(triage_course_follow_up(kb), i, f) {
        long q = triage_question_for(kb, json_string_value(f));
        /* a checklist asked earlier may have answered this field too */
        if (q >= 0 && !asked[q] && !triage_get_field(rep, json_string_value(f)))
            return q;
    }
    return -1;
}
