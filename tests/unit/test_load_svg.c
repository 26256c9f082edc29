/* test_load_svg.c - the weekly load chart: well-formed XML (read back with
 * Expat), one mark per warning, no external assets, text sized for a
 * phone, escaping, and nothing half-written when the buffer is full. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <expat.h>

#include "base/base.h"
#include "base/buf.h"
#include "base/embedded.h"
#include "base/time.h"
#include "load/load.h"
#include "testlib.h"
#include "load_fixture.h"

#define D0 fix_day(2024, 1, 1) /* a Monday */

struct seen {
    int elements, svg_roots, warnings, week_bars, polylines;
    double min_font_px;
    char viewbox[64];
    bool external; /* href, xlink, image, script, foreignObject */
};

static void on_start(void *data, const XML_Char *name, const XML_Char **at)
{
    struct seen *s = data;
    s->elements++;
    if (!strcmp(name, "svg") && s->elements == 1)
        s->svg_roots++;
    if (!strcmp(name, "image") || !strcmp(name, "script") ||
        !strcmp(name, "foreignObject") || !strcmp(name, "use") ||
        !strcmp(name, "style"))
        s->external = true;
    if (!strcmp(name, "polyline"))
        s->polylines++;
    for (size_t i = 0; at[i]; i += 2) {
        const char *k = at[i], *v = at[i + 1];
        if (strstr(k, "href") || strstr(v, "url(") ||
            ((strstr(v, "http:") || strstr(v, "https:")) &&
             strcmp(k, "xmlns")))
            s->external = true;
        if (!strcmp(k, "class") && !strcmp(v, "warning"))
            s->warnings++;
        if (!strcmp(k, "class") && (!strcmp(v, "week") ||
                                    !strcmp(v, "week jump")))
            s->week_bars++;
        if (!strcmp(k, "font-size") && atof(v) < s->min_font_px)
            s->min_font_px = atof(v);
        if (!strcmp(k, "viewBox") && !strcmp(name, "svg"))
            snprintf(s->viewbox, sizeof(s->viewbox), "%s", v);
    }
}

static void on_end(void *data, const XML_Char *name)
{
    (void)data;
    (void)name;
}

/* Parse the SVG with Expat; fails the test when it is not well-formed. */
static void parse_svg(const struct rc_buf *b, struct seen *s)
{
    XML_Parser p = XML_ParserCreate("UTF-8");
    memset(s, 0, sizeof(*s));
    s->min_font_px = 1000;
    XML_SetUserData(p, s);
    XML_SetElementHandler(p, on_start, on_end);
    if (XML_Parse(p, (const char *)b->data, (int)b->len, 1) !=
        XML_STATUS_OK)
        fail_msg("SVG not well-formed: line %lu: %s",
                 (unsigned long)XML_GetCurrentLineNumber(p),
                 XML_ErrorString(XML_GetErrorCode(p)));
    XML_ParserFree(p);
}

static struct fix_log *log_with_warnings(void)
{
    struct fix_log *log = fix_log_new();
    for (long w = 0; w < 4; w++) {
        fix_run(log, D0 + 7 * w, 10);
        fix_run(log, D0 + 7 * w + 2, 10);
        fix_run(log, D0 + 7 * w + 5, 10);
    }
    fix_run(log, D0 + 28, 14); /* a spike; then a weekly jump */
    fix_run(log, D0 + 30, 14);
    fix_run(log, D0 + 33, 18);
    fix_run(log, D0 + 50, 16); /* back after 16 days: too far */
    return log;
}

static void test_load_svg__well_formed_with_a_mark_per_warning(void **state)
{
    struct fix_log *log = log_with_warnings();
    struct load_report r;
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    struct seen s;
    (void)state;
    fix_report(log, D0 + 52, 8, &r);
    assert_true(r.nwarnings >= 4);
    assert_int_equal(fix_count(&r, LOAD_W_RETURN_AFTER_BREAK), 1);
    rc_buf_init(&b, 1 << 20);
    assert_int_equal(load_svg(&r, &b, &err), 0);
    parse_svg(&b, &s);
    assert_int_equal(s.svg_roots, 1);
    assert_int_equal(s.warnings, (int)r.nwarnings);
    assert_int_equal(s.week_bars, 8);
    assert_int_equal(s.polylines, 2); /* fitness and fatigue */
    assert_false(s.external);
    assert_true(s.min_font_px >= 9); /* readable on a phone */
    assert_int_equal(strncmp(s.viewbox, "0 0 360 ", 8), 0);
    assert_non_null(strstr((const char *)b.data, "width=\"100%\""));
    rc_buf_release(&b);
    load_report_release(&r);
    free(log);
}

static void test_load_svg__mark_sits_on_its_run(void **state)
{
    struct fix_log *log = log_with_warnings();
    struct load_report r;
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    const char *mark;
    double cx, expected;
    (void)state;
    fix_report(log, D0 + 52, 8, &r);
    rc_buf_init(&b, 1 << 20);
    assert_int_equal(load_svg(&r, &b, &err), 0);
    /* the first mark is the spike of D0+28: the middle of that day, on a
     * plot from x 36 to 352 over the 56 days of the 8 weeks */
    assert_int_equal(r.warnings[0].day, D0 + 28);
    mark = strstr((const char *)b.data, "<g class=\"warning\"");
    assert_non_null(mark);
    mark = strstr(mark, "<circle cx=\"");
    assert_non_null(mark);
    cx = atof(mark + strlen("<circle cx=\""));
    expected = 36.0 + ((double)(D0 + 28 - r.window_day) + 0.5) / 56.0 * 316.0;
    assert_true(fabs(cx - expected) < 0.06);
    rc_buf_release(&b);
    load_report_release(&r);
    free(log);
}

static void test_load_svg__no_runs_says_how_to_add_them(void **state)
{
    struct fix_log *log = fix_log_new();
    struct load_report r;
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    struct seen s;
    (void)state;
    fix_report(log, D0, 12, &r);
    rc_buf_init(&b, 1 << 20);
    assert_int_equal(load_svg(&r, &b, &err), 0);
    parse_svg(&b, &s);
    assert_int_equal(s.warnings, 0);
    assert_non_null(strstr((const char *)b.data, "runcare import"));
    rc_buf_release(&b);
    load_report_release(&r);
    free(log);
}

static void test_load_svg__text_is_escaped(void **state)
{
    const struct rc_embedded *k = rc_embedded_find(LOAD_KB_PATH);
    const char *t = (const char *)k->data;
    const char *at = strstr(t, "Your {km} km run");
    struct fix_log *log = log_with_warnings();
    struct load_rules rules;
    struct load_report r;
    struct load_opts o;
    struct rc_buf kb, b;
    struct rc_err err = RC_ERR_INIT;
    struct seen s;
    (void)state;
    /* the spike's wording, starting with XML's special characters */
    assert_non_null(at);
    rc_buf_init(&kb, 1 << 20);
    assert_int_equal(rc_buf_append(&kb, t, (size_t)(at - t), &err), 0);
    assert_int_equal(rc_buf_appendf(&kb, &err, "<b>&\\\"'</b> %s", at), 0);
    assert_int_equal(load_rules_parse((const char *)kb.data, kb.len,
                                      LOAD_KB_PATH, &rules, &err),
                     0);
    load_opts_init(&o, D0 + 52, 8);
    assert_int_equal(load_report_build(log->runs, log->n, NULL, 0, &rules, &o,
                                       &r, &err),
                     0);
    rc_buf_init(&b, 1 << 20);
    assert_int_equal(load_svg(&r, &b, &err), 0);
    parse_svg(&b, &s);
    assert_int_equal(s.warnings, (int)r.nwarnings);
    assert_non_null(strstr((const char *)b.data, "&lt;b&gt;&amp;&quot;'"));
    rc_buf_release(&kb);
    rc_buf_release(&b);
    load_report_release(&r);
    free(log);
}

static void test_load_svg__many_warnings_are_all_marked(void **state)
{
    struct fix_log *log = fix_log_new();
    struct load_report r;
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    struct seen s;
    double km = 2;
    (void)state;
    for (long d = 0; d < 60; d += 3) { /* every run 15% longer */
        fix_run(log, D0 + d, km);
        km *= 1.15;
    }
    fix_report(log, D0 + 60, 9, &r);
    assert_true(r.nwarnings > 12);
    rc_buf_init(&b, 1 << 20);
    assert_int_equal(load_svg(&r, &b, &err), 0);
    parse_svg(&b, &s);
    assert_int_equal(s.warnings, (int)r.nwarnings);
    assert_non_null(strstr((const char *)b.data, "more (runcare load)"));
    rc_buf_release(&b);
    load_report_release(&r);
    free(log);
}

/* Warnings on nearby days (the many-warnings log puts one every 3 days,
 * 17 px apart at most) never hide each other: no two marks closer than a
 * mark's width; and the week ahead is a line under the plot. */
static void test_load_svg__marks_never_overlap(void **state)
{
    struct fix_log *log = fix_log_new();
    struct load_report r;
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    double x[64], y[64], km = 2;
    size_t n = 0;
    const char *p;
    (void)state;
    for (long d = 0; d < 60; d += 3) {
        fix_run(log, D0 + d, km);
        fix_run(log, D0 + d + 1, km * 1.2); /* a spike on the next day */
        km *= 1.15;
    }
    fix_report(log, D0 + 61, 9, &r);
    assert_true(r.nwarnings > 12);
    rc_buf_init(&b, 1 << 20);
    assert_int_equal(load_svg(&r, &b, &err), 0);
    for (p = (const char *)b.data; (p = strstr(p, "<g class=\"warning\""));
         p++) {
        p = strstr(p, "<circle cx=\"");
        assert_non_null(p);
        assert_true(n < 64);
        x[n] = atof(p + strlen("<circle cx=\""));
        y[n] = atof(strstr(p, "cy=\"") + 4);
        n++;
    }
    assert_int_equal(n, r.nwarnings);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            assert_true(fabs(x[i] - x[j]) >= 14 || fabs(y[i] - y[j]) >= 14);
    assert_non_null(strstr((const char *)b.data, "class=\"week-ahead\""));
    assert_non_null(strstr((const char *)b.data, "at most: today "));
    rc_buf_release(&b);
    load_report_release(&r);
    free(log);
}

static void test_load_svg__full_buffer_leaves_it_unchanged(void **state)
{
    struct fix_log *log = log_with_warnings();
    struct load_report r;
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    fix_report(log, D0 + 52, 8, &r);
    rc_buf_init(&b, 2000);
    assert_int_equal(rc_buf_append(&b, "keep", 4, &err), 0);
    assert_int_equal(load_svg(&r, &b, &err), -1);
    assert_int_equal(err.status, RC_EINPUT);
    assert_int_equal(b.len, 4);
    assert_string_equal((const char *)b.data, "keep");
    rc_buf_release(&b);
    load_report_release(&r);
    free(log);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_svg__well_formed_with_a_mark_per_warning),
        cmocka_unit_test(test_load_svg__mark_sits_on_its_run),
        cmocka_unit_test(test_load_svg__no_runs_says_how_to_add_them),
        cmocka_unit_test(test_load_svg__text_is_escaped),
        cmocka_unit_test(test_load_svg__many_warnings_are_all_marked),
        cmocka_unit_test(test_load_svg__marks_never_overlap),
        cmocka_unit_test(test_load_svg__full_buffer_leaves_it_unchanged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
