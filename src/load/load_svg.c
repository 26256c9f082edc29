/* load_svg.c - the weekly load chart as a standalone SVG (see load.h):
 * weekly km bars (jump weeks in orange), the fitness and fatigue lines in
 * km per week, and a numbered red mark on every warned run (its sentence
 * as a tooltip), listed in short under the plot. Built into a buffer for `runcare load --svg` and the web page;
 * nothing is printed or written here.
 *
 * Drawn for a phone: a viewBox 360 wide that scales to the width it is
 * given, text at 10-14 px, no fonts, scripts or images from elsewhere. */
#include "base/base.h"
#include "base/time.h"
#include "load/load.h"

#define W 360.0
#define H_BASE 272.0 /* without the list of warnings under the plot */
#define LIST_LINE 15.0
#define LIST_MAX 8   /* warnings listed under the plot; the rest counted */
#define PLOT_L 36.0
#define PLOT_R 352.0
#define PLOT_T 70.0
#define PLOT_B 240.0
#define MAX_X_LABELS 6
#define WEEK_LINES 2 /* the week ahead, above the warnings */
#define MARK_STEP 16.0 /* a mark's diameter and a gap */

#define C_BAR "#5b8fd1"
#define C_JUMP "#e8833a"
#define C_FIT "#2e7d32"
#define C_FAT "#b71c1c"
#define C_WARN "#d32f2f"
#define C_GRID "#d9dde3"
#define C_TEXT "#333"

struct svg {
    struct rc_buf *b;
    struct rc_err *err;
    bool failed;
};

static void put(struct svg *s, const char *fmt, ...) RC_PRINTF(2, 3);

static void put(struct svg *s, const char *fmt, ...)
{
    va_list ap;
    int k;

    if (s->failed)
        return;
    va_start(ap, fmt);
    k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (k < 0) {
        s->failed = true;
        rc_fail(s->err, RC_EENV, "cannot format the chart");
        return;
    }
    if (rc_buf_grow(s->b, (size_t)k, s->err) < 0) {
        s->failed = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf((char *)s->b->data + s->b->len, (size_t)k + 1, fmt, ap);
    va_end(ap);
    s->b->len += (size_t)k;
}

/* Text for an XML attribute or element, escaped. */
static void put_text(struct svg *s, const char *t)
{
    for (const char *p = t; *p && !s->failed; p++) {
        switch (*p) {
        case '&':
            put(s, "&amp;");
            break;
        case '<':
            put(s, "&lt;");
            break;
        case '>':
            put(s, "&gt;");
            break;
        case '"':
            put(s, "&quot;");
            break;
        default:
            if ((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t')
                break; /* not allowed in XML 1.0 */
            if (rc_buf_append(s->b, p, 1, s->err) < 0)
                s->failed = true;
        }
    }
}

/* "3 Jun" */
static char *short_date(long day, char out[16])
{
    static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
                                          "May", "Jun", "Jul", "Aug",
                                          "Sep", "Oct", "Nov", "Dec" };
    int y, m, d;
    rc_civil_from_days(day, &y, &m, &d);
    snprintf(out, 16, "%d %s", d, months[(m - 1) % 12]);
    return out;
}

/* A round step for about 4 grid lines up to top. */
static double grid_step(double top)
{
    double raw = top / 4.0, mag = pow(10, floor(log10(raw))), f = raw / mag;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

struct frame {
    long day0;
    double ndays, ymax;
};

static double fx(const struct frame *f, double day)
{
    return PLOT_L + (day - (double)f->day0) / f->ndays * (PLOT_R - PLOT_L);
}

static double fy(const struct frame *f, double km)
{
    return PLOT_B - km / f->ymax * (PLOT_B - PLOT_T);
}

static double series(const struct load_report *r, const double *s, long d)
{
    if (r->ndays == 0 || d < r->first_day)
        return 0;
    if (d - r->first_day >= r->ndays)
        return s[r->ndays - 1];
    return s[d - r->first_day];
}

static void legend(struct svg *s)
{
    put(s, "<g font-size=\"11\" fill=\"" C_TEXT "\">"
           "<rect x=\"8\" y=\"29\" width=\"12\" height=\"10\" fill=\"" C_BAR
           "\"/><text x=\"24\" y=\"38\">km per week</text>"
           "<rect x=\"110\" y=\"29\" width=\"12\" height=\"10\" fill=\"" C_JUMP
           "\"/><text x=\"126\" y=\"38\">jump week</text>"
           "<circle cx=\"218\" cy=\"34\" r=\"6\" fill=\"" C_WARN "\"/>"
           "<text x=\"218\" y=\"38\" fill=\"#fff\" font-weight=\"bold\" "
           "text-anchor=\"middle\" font-size=\"10\">1</text>"
           "<text x=\"228\" y=\"38\">warned run</text>"
           "<line x1=\"8\" y1=\"52\" x2=\"20\" y2=\"52\" stroke=\"" C_FIT
           "\" stroke-width=\"2.5\"/>"
           "<text x=\"24\" y=\"56\">fitness (42 days)</text>"
           "<line x1=\"130\" y1=\"52\" x2=\"142\" y2=\"52\" stroke=\"" C_FAT
           "\" stroke-width=\"2\" stroke-dasharray=\"4 2\"/>"
           "<text x=\"146\" y=\"56\">fatigue (7 days), km/week</text></g>\n");
}

static void axes(struct svg *s, const struct frame *f,
                 const struct load_report *r)
{
    double step = grid_step(f->ymax);
    size_t every = (r->nweeks + MAX_X_LABELS - 1) / MAX_X_LABELS;
    char b[16];

    put(s, "<g font-size=\"10\" fill=\"" C_TEXT "\">\n");
    for (int i = 0; i <= 12 && i * step <= f->ymax * (1 + 1e-9); i++) {
        double v = i * step, y = fy(f, v);
        put(s, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
               "stroke=\"" C_GRID "\"/>"
               "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n",
            PLOT_L, y, PLOT_R, y, PLOT_L - 4, y + 3.5, v);
    }
    put(s, "<text x=\"8\" y=\"%.1f\" transform=\"rotate(-90 8 %.1f)\" "
           "text-anchor=\"middle\">km</text>\n",
        (PLOT_T + PLOT_B) / 2, (PLOT_T + PLOT_B) / 2);
    if (every == 0)
        every = 1;
    for (size_t w = 0; w < r->nweeks; w += every) {
        long day = r->weeks[w].start_day;
        if (fx(f, (double)day) + 30 > W)
            break; /* it would be cut at the edge */
        put(s, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", fx(f, (double)day),
            PLOT_B + 14, short_date(day, b));
    }
    put(s, "</g>\n");
}

static void bars(struct svg *s, const struct frame *f,
                 const struct load_report *r)
{
    double slot = 7.0 / f->ndays * (PLOT_R - PLOT_L);
    double gap = slot * 0.15;
    char b[16];

    put(s, "<g class=\"weeks\">\n");
    for (size_t w = 0; w < r->nweeks; w++) {
        const struct load_week *wk = &r->weeks[w];
        double x = fx(f, (double)wk->start_day) + gap;
        double y = fy(f, wk->km);
        put(s, "<rect class=\"week%s\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
               "height=\"%.2f\" fill=\"%s\"%s><title>week of %s: %.1f km, "
               "%d run%s%s</title></rect>\n",
            wk->jump ? " jump" : "", x, y, slot - 2 * gap, PLOT_B - y,
            wk->jump ? C_JUMP : C_BAR,
            wk->partial ? " fill-opacity=\"0.5\"" : "",
            short_date(wk->start_day, b), wk->km, wk->runs,
            wk->runs == 1 ? "" : "s", wk->partial ? " so far" : "");
    }
    put(s, "</g>\n");
}

static void line(struct svg *s, const struct frame *f,
                 const struct load_report *r, const double *v,
                 const char *cls, const char *attrs)
{
    long first = r->first_day > f->day0 ? r->first_day : f->day0;
    put(s, "<polyline class=\"%s\" fill=\"none\" %s points=\"", cls, attrs);
    for (long d = first; d <= r->as_of_day; d++)
        put(s, "%s%.1f,%.1f", d == first ? "" : " ",
            fx(f, (double)d + 0.5), fy(f, 7.0 * series(r, v, d)));
    put(s, "\"/>\n");
}

/* One short line per warning under the plot: "1  2 Jun: run 45% ...". */
static void warning_list(struct svg *s, const struct load_report *r)
{
    size_t n = r->nwarnings < LIST_MAX ? r->nwarnings : LIST_MAX;
    char b[16];

    put(s, "<g font-size=\"11\" fill=\"" C_TEXT "\">\n");
    for (size_t i = 0; i < n; i++) {
        const struct load_warning *w = &r->warnings[i];
        double y = H_BASE - 6 + LIST_LINE * (double)(i + WEEK_LINES);
        put(s, "<circle cx=\"15\" cy=\"%.1f\" r=\"6\" fill=\"" C_WARN
               "\"/><text x=\"15\" y=\"%.1f\" fill=\"#fff\" "
               "font-size=\"9\" font-weight=\"bold\" "
               "text-anchor=\"middle\">%zu</text><text x=\"26\" "
               "y=\"%.1f\">%s: ",
            y - 4, y - 0.8, i + 1, y, short_date(w->day, b));
        put_text(s, w->chart);
        put(s, "</text>\n");
    }
    if (r->nwarnings > n)
        put(s, "<text x=\"26\" y=\"%.1f\">and %zu more (runcare load)</text>\n",
            H_BASE - 6 + LIST_LINE * (double)(n + WEEK_LINES),
            r->nwarnings - n);
    put(s, "</g>\n");
}

/* Where mark i goes: above its week's bar, moved up (or, at the top of
 * the plot, down into the bar) until it touches no mark placed before
 * it: warnings on nearby days never hide each other. */
static double mark_y(const struct frame *f, const struct load_report *r,
                     const double *xs, const double *ys, size_t i)
{
    const struct load_warning *w = &r->warnings[i];
    size_t week = (size_t)((w->day - r->window_day) / 7);
    double base = fy(f, week < r->nweeks ? r->weeks[week].km : 0) - 9;
    for (int k = 0;; k++) {
        /* candidates: base, base-16, ... to the top, then base+16, ... */
        double up = base - MARK_STEP * k;
        int down = (int)((base - (PLOT_T - 12)) / MARK_STEP);
        double y = up >= PLOT_T - 12 ? up
                                     : base + MARK_STEP * (double)(k - down);
        bool clear = true;
        for (size_t j = 0; j < i && clear; j++)
            clear = fabs(xs[j] - xs[i]) >= MARK_STEP ||
                    fabs(ys[j] - y) >= MARK_STEP;
        if (clear || y > PLOT_B + 400)
            return y;
    }
}

static void marks(struct svg *s, const struct frame *f,
                  const struct load_report *r)
{
    double *xs = calloc(r->nwarnings + 1, sizeof(*xs)),
           *ys = calloc(r->nwarnings + 1, sizeof(*ys));

    if (!xs || !ys) {
        free(xs);
        free(ys);
        s->failed = true;
        rc_fail(s->err, RC_EENV, "out of memory");
        return;
    }
    put(s, "<g class=\"warnings\">\n");
    for (size_t i = 0; i < r->nwarnings; i++) {
        const struct load_warning *w = &r->warnings[i];
        double x = fx(f, (double)w->day + 0.5), y;
        xs[i] = x;
        y = ys[i] = mark_y(f, r, xs, ys, i);
        put(s, "<g class=\"warning\" data-id=\"%s\"><title>",
            load_warning_name(w->id));
        put_text(s, w->text);
        put(s, "</title><circle cx=\"%.1f\" cy=\"%.1f\" r=\"7\" fill=\""
               C_WARN "\" stroke=\"#fff\"/><text x=\"%.1f\" y=\"%.1f\" "
               "fill=\"#fff\" font-size=\"10\" font-weight=\"bold\" "
               "text-anchor=\"middle\">%zu</text></g>\n",
            x, y, x, y + 3.5, i + 1);
    }
    put(s, "</g>\n");
    free(xs);
    free(ys);
}

/* The 7 days ahead in two lines under the plot (WEEK_LINES). */
static void week_ahead(struct svg *s, const struct load_report *r)
{
    const struct load_cap *c = &r->cap;
    char b1[16], b2[16];

    put(s, "<g class=\"week-ahead\" font-size=\"11\" fill=\"" C_TEXT "\">"
           "<text x=\"8\" y=\"%.1f\" font-weight=\"bold\">Next 7 days, "
           "%s to %s</text><text x=\"8\" y=\"%.1f\">at most: today %.1f "
           "km, one run %.1f km",
        H_BASE - 6, short_date(c->week_from, b1), short_date(c->week_to, b2),
        H_BASE - 6 + LIST_LINE, c->km, c->longest_km);
    if (isfinite(c->week_km))
        put(s, ", 7 days %.1f km", c->week_km);
    put(s, "</text></g>\n");
}

int load_svg(const struct load_report *r, struct rc_buf *out,
             struct rc_err *err)
{
    struct svg s = { out, err, false };
    size_t start = out->len;
    struct frame f;
    size_t listed = r->nwarnings <= LIST_MAX ? r->nwarnings
                                            : LIST_MAX + 1;
    double top = 0, h = H_BASE + LIST_LINE * (double)(listed + (r->nruns > 0
                                                                 ? WEEK_LINES
                                                                 : 0));
    char b1[16], b2[16];

    f.day0 = r->window_day;
    f.ndays = 7.0 * (double)(r->nweeks ? r->nweeks : 1);
    for (size_t w = 0; w < r->nweeks; w++)
        if (r->weeks[w].km > top)
            top = r->weeks[w].km;
    for (long d = f.day0; d <= r->as_of_day; d++) {
        double a = 7.0 * series(r, r->fitness, d);
        double b = 7.0 * series(r, r->fatigue, d);
        top = a > top ? a : top;
        top = b > top ? b : top;
    }
    /* headroom for the marks above the tallest bar */
    f.ymax = top <= 0 ? 10 : top * 1.15 > 1 ? top * 1.15 : 1; /* >= 1 km */
    f.ymax = ceil(f.ymax / grid_step(f.ymax)) * grid_step(f.ymax);

    put(&s, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f "
            "%.0f\" width=\"100%%\" role=\"img\" aria-labelledby=\"t d\" "
            "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, "
            "sans-serif\">\n",
        W, h);
    put(&s, "<title id=\"t\">Weekly running load, %zu weeks to %s</title>\n",
        r->nweeks, rc_date_format(r->as_of_day, b1));
    put(&s, "<desc id=\"d\">Bars: km per calendar week (Monday first); "
            "orange bars are weekly jumps. Lines: fitness and fatigue "
            "(exponentially weighted km, 42 and 7 days) in km per week. Red "
            "marks: %zu warned run%s.</desc>\n",
        r->nwarnings, r->nwarnings == 1 ? "" : "s");
    put(&s, "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n");
    put(&s, "<text x=\"8\" y=\"18\" font-size=\"14\" font-weight=\"bold\" "
            "fill=\"" C_TEXT "\">Weekly km, %s to %s</text>\n",
        short_date(r->window_day, b1), short_date(r->as_of_day, b2));
    legend(&s);
    axes(&s, &f, r);
    if (r->nruns == 0) {
        put(&s, "<text x=\"%.0f\" y=\"%.0f\" font-size=\"12\" "
                "text-anchor=\"middle\" fill=\"" C_TEXT "\">No runs yet: "
                "add them with runcare import or runcare log</text>\n",
            (PLOT_L + PLOT_R) / 2, (PLOT_T + PLOT_B) / 2);
    } else {
        bars(&s, &f, r);
        line(&s, &f, r, r->fitness, "fitness",
             "stroke=\"" C_FIT "\" stroke-width=\"2.5\"");
        line(&s, &f, r, r->fatigue, "fatigue",
             "stroke=\"" C_FAT "\" stroke-width=\"2\" "
             "stroke-dasharray=\"4 2\"");
        marks(&s, &f, r);
        week_ahead(&s, r);
        warning_list(&s, r);
    }
    put(&s, "<text x=\"8\" y=\"%.0f\" font-size=\"10\" fill=\"#666\">"
            "runcare informs; it does not replace a clinician.</text>\n",
        h - 6);
    put(&s, "</svg>\n");
    if (s.failed) {
        out->len = start; /* nothing half-written stays */
        if (out->data)
            out->data[start] = '\0';
        return -1;
    }
    return 0;
}
