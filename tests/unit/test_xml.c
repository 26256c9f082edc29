/* test_xml.c - the Expat plumbing of the GPX and TCX decoders: local names,
 * kept text, the lenient repairs, the limits (entities, text, attributes,
 * depth), line/column errors, and the number, time and text helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "base/alloc.h"
#include "xml/xml.h"
#include "testlib.h"

/* What the handlers saw, as "<name>" and "</name=text>" in order. */
struct trace {
    char log[4096];
    const char *capture; /* keep the text of elements with this name */
    const char *fail_at; /* make the start handler fail here */
};

static void trace_add(struct trace *t, const char *s)
{
    size_t n = strlen(t->log);
    snprintf(t->log + n, sizeof(t->log) - n, "%s", s);
}

static int t_start(struct xml_reader *r, void *ud, const char *name,
                   const char **attrs)
{
    struct trace *t = ud;
    char buf[128];
    const char *id = xml_attr(attrs, "id");
    snprintf(buf, sizeof(buf), "<%s%s%s>", name, id ? " id=" : "",
             id ? id : "");
    trace_add(t, buf);
    if (t->fail_at && !strcmp(name, t->fail_at))
        return xml_fail(r, "stop at %s", name);
    if (t->capture && !strcmp(name, t->capture))
        xml_capture(r);
    return 0;
}

static int t_end(struct xml_reader *r, void *ud, const char *name,
                 const char *text, size_t len)
{
    struct trace *t = ud;
    char buf[128];
    (void)r;
    if (text) {
        assert_int_equal(strlen(text), len);
        snprintf(buf, sizeof(buf), "</%s=%.60s>", name, text);
    } else {
        snprintf(buf, sizeof(buf), "</%s>", name);
    }
    trace_add(t, buf);
    return 0;
}

static const struct xml_handlers trace_handlers = { t_start, t_end };

/* Run the reader over a string; the warnings land in *f. */
static int read_str(const char *s, struct trace *t, struct activity_file *f,
                    bool *damaged, struct rc_err *err)
{
    activity_file_init(f);
    return xml_read((const unsigned char *)s, strlen(s), &trace_handlers, t,
                    f, damaged, err);
}

static void test_xml__names_lose_their_prefix(void **state)
{
    struct trace t = { .capture = "hr" };
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    bool damaged;
    (void)state;
    assert_int_equal(
        read_str("<gpx xmlns:g=\"urn:x\"><g:hr g:id=\"7\">150</g:hr></gpx>",
                 &t, &f, &damaged, &err),
        0);
    assert_string_equal(t.log, "<gpx><hr id=7></hr=150></gpx>");
    assert_int_equal(f.nwarnings, 0);
}

static void test_xml__text_is_kept_only_when_asked(void **state)
{
    struct trace t = { .capture = "b" };
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    bool damaged;
    (void)state;
    assert_int_equal(read_str("<a>x<b>1 &amp; <c>2</c></b>y</a>", &t, &f,
                              &damaged, &err),
                     0);
    assert_string_equal(t.log, "<a><b><c></c></b=1 & 2></a>");
}

static void test_xml__undeclared_prefix_warns_once_with_its_line(void **state)
{
    struct trace t = { 0 };
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    bool damaged;
    (void)state;
    assert_int_equal(read_str("<gpx>\n<p>\n<gpxdata:cadence>1</gpxdata:cadence>"
                              "<gpxdata:hr>2</gpxdata:hr></p></gpx>",
                              &t, &f, &damaged, &err),
                     0);
    assert_int_equal(f.nwarnings, 1);
    assert_string_equal(f.warnings[0], "undeclared prefix 'gpxdata' at line 3: "
                                       "read without namespaces");
    assert_string_equal(t.log, "<gpx><p><cadence></cadence><hr></hr></p></gpx>");
}

static void test_xml__declared_prefix_goes_out_of_scope(void **state)
{
    struct trace t = { 0 };
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    bool damaged;
    (void)state;
    assert_int_equal(read_str("<a><b xmlns:p=\"urn:p\"><p:c/></b><p:d/></a>",
                              &t, &f, &damaged, &err),
                     0);
    assert_int_equal(f.nwarnings, 1);
    assert_string_equal(f.warnings[0], "undeclared prefix 'p' at line 1: "
                                       "read without namespaces");
}

static void test_xml__blanks_before_declaration_are_skipped(void **state)
{
    struct trace t = { 0 };
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    bool damaged;
    (void)state;
    assert_int_equal(read_str("          <?xml version=\"1.0\"?><a/>", &t, &f,
                              &damaged, &err),
                     0);
    assert_int_equal(f.nwarnings, 1);
    assert_string_equal(f.warnings[0], "10 blanks before the XML declaration "
                                       "at line 1: skipped");
}

static void test_xml__error_after_skipped_blanks_keeps_its_place(void **state)
{
    struct trace t = { 0 };
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    bool damaged;
    (void)state;
    /* Expat puts a mismatched tag at the name in "</a>": column 40 of the
     * file as it is, 30 (0-based 29) of what Expat was given */
    assert_int_equal(read_str("          <?xml version=\"1.0\"?><a><b></a>",
                              &t, &f, &damaged, &err),
                     -1);
    assert_true(damaged);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 40);
    assert_string_equal(err.msg, "not well-formed XML: mismatched tag");
    rc_err_clear(&err);
    assert_int_equal(read_str("\n \n  <?xml version=\"1.0\"?>\n<a><b></a>", &t,
                              &f, &damaged, &err),
                     -1);
    assert_int_equal(err.line, 4);
    assert_int_equal(err.column, 9);
}

static void test_xml__byte_order_mark_alone_is_no_repair(void **state)
{
    struct trace t = { 0 };
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    bool damaged;
    (void)state;
    assert_int_equal(read_str("\xEF\xBB\xBF<?xml version=\"1.0\"?><a/>", &t,
                              &f, &damaged, &err),
                     0);
    assert_int_equal(f.nwarnings, 0);
    assert_int_equal(read_str("\xEF\xBB\xBF  <?xml version=\"1.0\"?><a/>", &t,
                              &f, &damaged, &err),
                     0);
    assert_int_equal(f.nwarnings, 1);
    assert_string_equal(f.warnings[0], "2 blanks and 1 byte-order mark before "
                                       "the XML declaration at line 1: "
                                       "skipped");
}

static void test_xml__cut_off_document_is_damaged(void **state)
{
    struct trace t = { 0 };
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    bool damaged;
    (void)state;
    assert_int_equal(read_str("<a>\n <b>1</b>\n <c", &t, &f, &damaged, &err),
                     -1);
    assert_true(damaged);
    assert_int_equal(err.status, RC_EINPUT);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 2);
    assert_string_equal(err.msg, "not well-formed XML: unclosed token (the "
                                 "file ends early: cut off?)");
    rc_err_clear(&err);
    assert_int_equal(read_str("<a>\n <b>1</b>\n", &t, &f, &damaged, &err), -1);
    assert_string_equal(err.msg, "not well-formed XML: no element found (the "
                                 "file ends early: cut off?)");
}

static void test_xml__handler_error_stops_and_is_not_damage(void **state)
{
    struct trace t = { .fail_at = "b" };
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    bool damaged;
    (void)state;
    assert_int_equal(read_str("<a>\n<b/><c/></a>", &t, &f, &damaged, &err),
                     -1);
    assert_false(damaged);
    assert_string_equal(err.msg, "stop at b");
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 1);
    assert_null(strstr(t.log, "<c>"));
}

static void test_xml__billion_laughs_is_refused(void **state)
{
    static const char doc[] =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE gpx [\n"
        " <!ENTITY lol \"lol\">\n"
        " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
        " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
        "]>\n<gpx>&lol2;</gpx>";
    struct trace t = { 0 };
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    bool damaged;
    (void)state;
    assert_int_equal(read_str(doc, &t, &f, &damaged, &err), -1);
    assert_false(damaged);
    assert_int_equal(err.line, 3);
    assert_string_equal(err.msg, "entity 'lol' declared: refused (entities "
                                 "can expand without bound)");
    assert_string_equal(t.log, "");
}

static void test_xml__external_entity_is_refused(void **state)
{
    static const char doc[] =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE gpx [ <!ENTITY xxe SYSTEM \"file:///etc/passwd\"> ]>\n"
        "<gpx>&xxe;</gpx>";
    static const char param[] =
        "<!DOCTYPE gpx [ <!ENTITY % p SYSTEM \"http://example.com/x\"> %p; ]>"
        "<gpx/>";
    struct trace t = { 0 };
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    bool damaged;
    (void)state;
    assert_int_equal(read_str(doc, &t, &f, &damaged, &err), -1);
    assert_string_equal(err.msg, "entity 'xxe' declared: refused (an external "
                                 "entity could read other files)");
    rc_err_clear(&err);
    assert_int_equal(read_str(param, &t, &f, &damaged, &err), -1);
    assert_string_equal(err.msg, "parameter entity 'p' declared: refused (an "
                                 "external entity could read other files)");
}

static void test_xml__undeclared_entity_with_external_dtd_is_refused(
    void **state)
{
    static const char doc[] =
        "<!DOCTYPE gpx SYSTEM \"http://example.com/gpx.dtd\">\n"
        "<gpx>&unknown;</gpx>";
    struct trace t = { 0 };
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    bool damaged;
    (void)state;
    assert_int_equal(read_str(doc, &t, &f, &damaged, &err), -1);
    assert_string_equal(err.msg, "reference to the undeclared entity "
                                 "'unknown': refused");
}

/* "<a>" + n bytes of text, or "<a v='...'/>" with an n-byte value. */
static char *big_doc(size_t n, bool attribute)
{
    char *s = malloc(n + 32), *p = s;
    assert_non_null(s);
    if (attribute) {
        memcpy(p, "<a v='", 6);
        p += 6;
    } else {
        memcpy(p, "<a>", 3);
        p += 3;
    }
    memset(p, 'x', n);
    p += n;
    memcpy(p, attribute ? "'/>" : "</a>", attribute ? 4 : 5);
    return s;
}

static int read_big(size_t n, bool attribute, const char *capture,
                    struct rc_err *err)
{
    struct trace t = { .capture = capture };
    struct activity_file f;
    bool damaged;
    char *doc = big_doc(n, attribute);
    int rc = read_str(doc, &t, &f, &damaged, err);
    free(doc);
    return rc;
}

static void test_xml__text_at_the_cap_is_read(void **state)
{
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(read_big(RC_XML_TEXT_MAX, false, "a", &err), 0);
    assert_int_equal(read_big(RC_XML_TEXT_MAX, false, NULL, &err), 0);
}

static void test_xml__text_over_the_cap_is_an_error(void **state)
{
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(read_big(RC_XML_TEXT_MAX + 1, false, "a", &err), -1);
    assert_int_equal(err.status, RC_EINPUT);
    assert_string_equal(err.msg, "text longer than 1048576 bytes (the limit)");
    rc_err_clear(&err);
    /* text nobody keeps is capped too */
    assert_int_equal(read_big(RC_XML_TEXT_MAX + 1, false, NULL, &err), -1);
    assert_string_equal(err.msg, "text longer than 1048576 bytes (the limit)");
}

static void test_xml__attribute_at_the_cap_is_read(void **state)
{
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(read_big(RC_XML_TEXT_MAX, true, NULL, &err), 0);
}

static void test_xml__attribute_over_the_cap_is_an_error(void **state)
{
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(read_big(RC_XML_TEXT_MAX + 1, true, NULL, &err), -1);
    assert_int_equal(err.status, RC_EINPUT);
    assert_string_equal(err.msg, "attribute 'v' of <a> is longer than 1048576 "
                                 "bytes (the limit)");
}

/* n nested <e> elements. */
static int read_nested(int n, struct rc_err *err)
{
    struct trace t = { 0 };
    struct activity_file f;
    bool damaged;
    char *doc = malloc((size_t)n * 7 + 1), *p = doc;
    int rc;
    assert_non_null(doc);
    for (int i = 0; i < n; i++, p += 3)
        memcpy(p, "<e>", 3);
    for (int i = 0; i < n; i++, p += 4)
        memcpy(p, "</e>", 4);
    *p = '\0';
    rc = read_str(doc, &t, &f, &damaged, err);
    free(doc);
    return rc;
}

static void test_xml__nesting_at_the_cap_is_read(void **state)
{
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(read_nested(RC_XML_MAX_DEPTH, &err), 0);
}

static void test_xml__nesting_over_the_cap_is_an_error(void **state)
{
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(read_nested(RC_XML_MAX_DEPTH + 1, &err), -1);
    assert_string_equal(err.msg, "elements nested deeper than 256");
    assert_int_equal(err.column, 3 * RC_XML_MAX_DEPTH + 1);
}

/* "<r><a0/><a1/>...</r>": n distinct element names. Expat keeps a table
 * entry for every name it has seen (about 12 times the bytes of "<aN/>"),
 * so its memory outgrows twice the input plus the slack. */
static int read_names(long n, struct rc_err *err)
{
    struct trace t = { 0 };
    struct activity_file f;
    bool damaged;
    size_t cap = (size_t)n * 12 + 16, k;
    char *doc = malloc(cap);
    int rc;
    assert_non_null(doc);
    memcpy(doc, "<r>", 3);
    k = 3;
    for (long i = 0; i < n; i++)
        k += (size_t)snprintf(doc + k, cap - k, "<a%lx/>", (unsigned long)i);
    memcpy(doc + k, "</r>", 5);
    t.fail_at = "never";
    rc = read_str(doc, &t, &f, &damaged, err);
    free(doc);
    return rc;
}

static void test_xml__expat_memory_over_the_cap_is_an_error(void **state)
{
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(read_names(1000000, &err), -1);
    assert_int_equal(err.status, RC_EINPUT);
    assert_non_null(strstr(err.msg, "the XML parser needs more than"));
    assert_true(err.line == 1 && err.column > 1);
}

static void test_xml__each_failed_allocation_fails_cleanly(void **state)
{
    static const char doc[] = "<a xmlns:p=\"urn:p\"><p:b id=\"1\">text</p:b>"
                              "<c>more text that is kept</c></a>";
    struct trace t = { .capture = "c" };
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    bool damaged;
    long n;
    (void)state;
    rc_alloc_fail_after(-1);
    assert_int_equal(read_str(doc, &t, &f, &damaged, &err), 0);
    n = rc_alloc_count();
    assert_true(n > 3);
    for (long k = 0; k < n; k++) {
        rc_err_clear(&err);
        t.log[0] = '\0';
        rc_alloc_fail_after(k);
        assert_int_equal(read_str(doc, &t, &f, &damaged, &err), -1);
        rc_alloc_fail_after(-1);
        assert_int_equal(err.status, RC_EENV);
        assert_false(damaged);
    }
}

static void test_xml__number_reads_decimals(void **state)
{
    double v;
    (void)state;
    assert_int_equal(xml_number("41.16303957067430019378662109375", &v), 1);
    assert_true(fabs(v - 41.1630395706743) < 1e-13);
    assert_int_equal(xml_number(" -74.17961918748915 ", &v), 1);
    assert_true(v == -74.17961918748915);
    assert_int_equal(xml_number("147.1999969482421875", &v), 1);
    assert_true(fabs(v - 147.2) < 1e-5);
    assert_int_equal(xml_number("+12", &v), 1);
    assert_true(v == 12);
    assert_int_equal(xml_number(".5", &v), 1);
    assert_true(v == 0.5);
    assert_int_equal(xml_number("7.", &v), 1);
    assert_true(v == 7);
    assert_int_equal(xml_number("1.5e3", &v), 1);
    assert_true(v == 1500);
    assert_int_equal(xml_number("2E-2", &v), 1);
    assert_true(v == 0.02);
    assert_int_equal(xml_number("0.000000000000000000000000001", &v), 1);
    assert_true(fabs(v - 1e-27) < 1e-40);
    assert_int_equal(xml_number("12345678901234567890123", &v), 1);
    assert_true(fabs(v / 1.2345678901234567e22 - 1) < 1e-15);
}

static void test_xml__number_blank_is_not_recorded(void **state)
{
    double v = 1;
    (void)state;
    assert_int_equal(xml_number("", &v), 0);
    assert_true(isnan(v));
    assert_int_equal(xml_number(" \n\t", &v), 0);
    assert_true(isnan(v));
}

static void test_xml__number_rejects_what_is_not_one(void **state)
{
    static const char *bad[] = { "null", "nan", "inf", "0x10", "1,5", "-",
                                 ".", "1e", "1e+", "12abc", "1 2", "1e400",
                                 "--1" };
    double v;
    (void)state;
    for (size_t i = 0; i < RC_ARRAY_SIZE(bad); i++) {
        if (xml_number(bad[i], &v) != -1)
            fail_msg("\"%s\" read as a number", bad[i]);
        assert_true(isnan(v));
    }
}

static void test_xml__time_offset_only_when_numeric(void **state)
{
    double t;
    int off;
    bool has;
    (void)state;
    assert_int_equal(xml_time("2019-06-15T09:42:23.000Z", &t, &off, &has), 1);
    assert_true(t == 1560591743.0);
    assert_false(has);
    assert_int_equal(xml_time("2015-12-11T15:43:13.994+01:00", &t, &off, &has),
                     1);
    assert_true(fabs(t - 1449844993.994) < 1e-6);
    assert_true(has);
    assert_int_equal(off, 3600);
    assert_int_equal(xml_time("  ", &t, &off, &has), 0);
    assert_true(isnan(t));
    assert_int_equal(xml_time("May 20 2008, 16:58:11", &t, &off, &has), -1);
    assert_true(isnan(t));
}

static void test_xml__copy_text_trims_and_cuts_whole_characters(void **state)
{
    char out[6];
    (void)state;
    xml_copy_text(out, sizeof(out), "  ab  ", 6);
    assert_string_equal(out, "ab");
    /* "f\xC4\x93nix": cutting after 5 bytes would split nothing */
    xml_copy_text(out, sizeof(out), "f\xC4\x93nix", 6);
    assert_string_equal(out, "f\xC4\x93ni");
    /* "abcd\xC4\x93": the 2-byte character does not fit whole */
    xml_copy_text(out, sizeof(out), "abcd\xC4\x93", 6);
    assert_string_equal(out, "abcd");
}

static void test_xml__put_text_escapes(void **state)
{
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    rc_buf_init(&b, 1024);
    assert_int_equal(xml_put_text(&b, "a<b>&\"c'\x01", &err), 0);
    assert_string_equal((char *)b.data, "a&lt;b&gt;&amp;&quot;c&apos; ");
    rc_buf_release(&b);
}

static void test_xml__put_time_writes_milliseconds_when_not_whole(void **state)
{
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    rc_buf_init(&b, 1024);
    assert_int_equal(xml_put_time(&b, 1560591743.0, &err), 0);
    assert_int_equal(xml_put_time(&b, 1560591743.25, &err), 0);
    assert_int_equal(xml_put_time(&b, 1560591743.9996, &err), 0);
    assert_string_equal((char *)b.data, "2019-06-15T09:42:23Z"
                                        "2019-06-15T09:42:23.250Z"
                                        "2019-06-15T09:42:24Z");
    rc_buf_release(&b);
}

static void test_xml__sport_names(void **state)
{
    static const struct {
        const char *name, *sport, *sub;
    } cases[] = {
        { "running", "running", "generic" },
        { " Running ", "running", "generic" },
        { "9", "running", "generic" },
        { "trail_running", "running", "trail" },
        { "Biking", "cycling", "generic" },
        { "1", "cycling", "generic" },
        { "16", "swimming", "generic" },
        { "Other", "generic", "generic" },
        { "99", "generic", "generic" },
    };
    (void)state;
    for (size_t i = 0; i < RC_ARRAY_SIZE(cases); i++) {
        struct activity a;
        activity_init(&a);
        xml_set_sport(&a, cases[i].name, strlen(cases[i].name));
        assert_string_equal(a.sport, cases[i].sport);
        assert_string_equal(a.sub_sport, cases[i].sub);
    }
}

static void test_xml__heart_rate_sentinels(void **state)
{
    (void)state;
    assert_true(isnan(xml_hr_bpm(0)));
    assert_true(xml_hr_bpm(1) == 1);
    assert_true(xml_hr_bpm(254) == 254);
    assert_true(isnan(xml_hr_bpm(255)));
    assert_true(isnan(xml_hr_bpm(NAN)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xml__names_lose_their_prefix),
        cmocka_unit_test(test_xml__text_is_kept_only_when_asked),
        cmocka_unit_test(test_xml__undeclared_prefix_warns_once_with_its_line),
        cmocka_unit_test(test_xml__declared_prefix_goes_out_of_scope),
        cmocka_unit_test(test_xml__blanks_before_declaration_are_skipped),
        cmocka_unit_test(test_xml__error_after_skipped_blanks_keeps_its_place),
        cmocka_unit_test(test_xml__byte_order_mark_alone_is_no_repair),
        cmocka_unit_test(test_xml__cut_off_document_is_damaged),
        cmocka_unit_test(test_xml__handler_error_stops_and_is_not_damage),
        cmocka_unit_test(test_xml__billion_laughs_is_refused),
        cmocka_unit_test(test_xml__external_entity_is_refused),
        cmocka_unit_test(
            test_xml__undeclared_entity_with_external_dtd_is_refused),
        cmocka_unit_test(test_xml__text_at_the_cap_is_read),
        cmocka_unit_test(test_xml__text_over_the_cap_is_an_error),
        cmocka_unit_test(test_xml__attribute_at_the_cap_is_read),
        cmocka_unit_test(test_xml__attribute_over_the_cap_is_an_error),
        cmocka_unit_test(test_xml__nesting_at_the_cap_is_read),
        cmocka_unit_test(test_xml__nesting_over_the_cap_is_an_error),
        cmocka_unit_test(test_xml__expat_memory_over_the_cap_is_an_error),
        cmocka_unit_test(test_xml__each_failed_allocation_fails_cleanly),
        cmocka_unit_test(test_xml__number_reads_decimals),
        cmocka_unit_test(test_xml__number_blank_is_not_recorded),
        cmocka_unit_test(test_xml__number_rejects_what_is_not_one),
        cmocka_unit_test(test_xml__time_offset_only_when_numeric),
        cmocka_unit_test(test_xml__copy_text_trims_and_cuts_whole_characters),
        cmocka_unit_test(test_xml__put_text_escapes),
        cmocka_unit_test(test_xml__put_time_writes_milliseconds_when_not_whole),
        cmocka_unit_test(test_xml__sport_names),
        cmocka_unit_test(test_xml__heart_rate_sentinels),
    };
    return cmocka_run_group_tests_name("xml", tests, NULL, NULL);
}
