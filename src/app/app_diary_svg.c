/* app_diary_svg.c - the diary chart of the latest problem as a standalone
 * SVG (see app.h): pain score (0-10) over days since the run that caused
 * it, the expected band of its condition shaded (kb/courses.jsonl, scaled
 * to the first score), each report a point (escalated ones red), and the
 * runs of those days marked along the bottom with their km. Built into a
 * buffer for `runcare diary --svg` and the web page.
 *
 * Drawn for a phone like the load chart: a viewBox 360 wide, text at
 * 10-13 px, nothing loaded from elsewhere. */
#include "base/base.h"
#include "base/time.h"
#include "app/app_int.h"

#define W 360.0
#define H 300.0
#define PL 34.0
#define PR 350.0
#define PT 62.0
#define PB 236.0

struct svg {
    struct rc_buf *b;
    struct rc_err *err;
    bool failed;
};

static void put(struct svg *s, const char *fmt, ...) RC_PRINTF(2, 3);

static void put(struct svg *s, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    int k;
    if (s->failed)
        return;
    va_start(ap, fmt);
    k = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (k < 0 || (size_t)k >= sizeof(tmp) ||
        rc_buf_append(s->b, tmp, (size_t)k, s->err) < 0)
        s->failed = true;
}

/* Text with & < > " escaped. */
static void put_text(struct svg *s, const char *t)
{
    for (; t && *t; t++) {
        if (*t == '&')
            put(s, "&amp;");
        else if (*t == '<')
            put(s, "&lt;");
        else if (*t == '>')
            put(s, "&gt;");
        else if (*t == '"')
            put(s, "&quot;");
        else
            put(s, "%c", *t);
    }
}

static double xs(double day, double xmax)
{
    return PL + (PR - PL) * day / xmax;
}

static double ys(double score)
{
    return PB - (PB - PT) * score / 10.0;
}

static double day_of(const struct app_diary_problem *p, double t)
{
    return (t - p->run_end_s) / 86400.0;
}

static void band(struct svg *s, const struct app_diary_problem *p,
                 int first, double xmax)
{
    double lo, hi, step = xmax / 60.0;
    if (!triage_course_band(&p->course, first, 0, &lo, &hi))
        return;
    put(s, "<path fill=\"#c8e6c9\" stroke=\"none\" d=\"");
    for (int i = 0; i <= 60; i++) {
        triage_course_band(&p->course, first, i * step, &lo, &hi);
        put(s, "%s%.1f %.1f", i ? " L" : "M", xs(i * step, xmax), ys(hi));
    }
    for (int i = 60; i >= 0; i--) {
        triage_course_band(&p->course, first, i * step, &lo, &hi);
        put(s, " L%.1f %.1f", xs(i * step, xmax), ys(lo));
    }
    put(s, " Z\"><title>expected: ");
    put_text(s, triage_course_text(&p->course));
    put(s, "</title></path>\n");
}

int app_diary_svg(const struct app_diary *d, struct rc_buf *out,
                  struct rc_err *err)
{
    struct svg s = { out, err, false };
    const struct app_diary_problem *p;
    double xmax = 7, usual;
    int first;

    if (!d->nproblems)
        return rc_fail(err, RC_EINPUT, "the diary is empty: nothing to draw");
    p = &d->problems[d->nproblems - 1];
    first = d->entries[p->entries[0]].score;
    for (size_t k = 0; k < p->n; k++)
        xmax = fmax(xmax, day_of(p, d->entries[p->entries[k]].created_s) + 2);
    usual = triage_course_usual_days(&p->course);
    if (isfinite(usual))
        xmax = fmax(xmax, usual + 2);
    xmax = ceil(xmax);

    put(&s, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f "
            "%.0f\" width=\"100%%\" font-family=\"sans-serif\" "
            "font-size=\"11\" role=\"img\" aria-label=\"pain score over "
            "days since the run\">\n",
        W, H);
    put(&s, "<text x=\"%.0f\" y=\"18\" font-size=\"13\" "
            "font-weight=\"bold\">Pain over the days after the run</text>\n"
            "<text x=\"%.0f\" y=\"34\">",
        PL, PL);
    put_text(&s, p->course.condition_name ? p->course.condition_name
                                          : "no likely condition");
    /* from the left edge: the legend needs the whole 360 */
    put(&s, "</text>\n<text x=\"8\" y=\"50\" fill=\"#555\" "
            "font-size=\"10\">shaded: expected course; dots: your reports; "
            "bars: runs (km)</text>\n");
    band(&s, p, first, xmax);
    for (int v = 0; v <= 10; v += 2)
        put(&s, "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"#d9dde3\"/><text x=\"%.0f\" y=\"%.1f\" "
                "text-anchor=\"end\">%d</text>\n",
            PL, PR, ys(v), ys(v), PL - 4, ys(v) + 4, v);
    for (int day = 0; day <= (int)xmax; day += xmax > 21 ? 7 : xmax > 10 ? 2
                                                                          : 1)
        put(&s, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%d"
                "</text>\n",
            xs(day, xmax), PB + 38, day);
    put(&s, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">days since "
            "the run</text>\n",
        (PL + PR) / 2, PB + 56);
    /* runs of those days along the bottom */
    for (size_t i = 0; i < d->nruns; i++) {
        double day = day_of(p, d->runs[i].start_s);
        if (day < -0.5 || day > xmax)
            continue;
        day = fmax(0, day);
        put(&s, "<rect x=\"%.1f\" y=\"%.1f\" width=\"4\" height=\"10\" "
                "fill=\"%s\"><title>run of %.1f km</title></rect>"
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\" "
                "text-anchor=\"middle\">%.0f</text>\n",
            xs(day, xmax) - 2, PB + 4,
            isfinite(p->cap_km) && d->runs[i].km > p->cap_km &&
                    d->runs[i].start_s >= p->run_end_s
                ? "#d32f2f"
                : "#5b8fd1",
            d->runs[i].km, xs(day, xmax), PB + 22 - 0.5, d->runs[i].km);
    }
    /* the reports */
    put(&s, "<polyline fill=\"none\" stroke=\"#333\" stroke-width=\"1.5\" "
            "points=\"");
    for (size_t k = 0; k < p->n; k++) {
        const struct app_diary_entry *e = &d->entries[p->entries[k]];
        put(&s, "%s%.1f,%.1f", k ? " " : "",
            xs(fmax(0, day_of(p, e->created_s)), xmax), ys(e->score));
    }
    put(&s, "\"/>\n");
    for (size_t k = 0; k < p->n; k++) {
        const struct app_diary_entry *e = &d->entries[p->entries[k]];
        bool last = k + 1 == p->n;
        put(&s, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\">"
                "<title>%d/10, %s</title></circle>\n",
            xs(fmax(0, day_of(p, e->created_s)), xmax), ys(e->score),
            last && p->course.nesc ? "#d32f2f" : "#333", e->score,
            triage_level_name(e->level));
    }
    put(&s, "</svg>\n");
    return s.failed ? -1 : 0;
}
