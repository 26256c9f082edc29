/* test_decode.c - the format registry (decode/decode.h): every entry
 * complete, sniffing by content, names import reads, the ranks of the
 * same-run rule, and the errors for bytes no format claims. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "decode/decode.h"

static void test_decode__every_entry_is_complete(void **state)
{
    size_t n = 0;
    (void)state;
    for (const struct decode_format *f = decode_formats; f->name; f++) {
        assert_non_null(f->sniff);
        assert_non_null(f->decode);
        assert_non_null(f->extensions[0]);
        assert_int_equal(f->extensions[0][0], '.');
        assert_true(f->rank > 0);
        assert_true(strlen(f->name) < sizeof(((struct activity_file *)0)
                                                 ->format));
        assert_ptr_equal(decode_find(f->name), f);
        for (const struct decode_format *g = decode_formats; g < f; g++)
            assert_int_not_equal(g->rank, f->rank);
        n++;
    }
    assert_int_equal(n, 3);
    assert_null(decode_find("manual"));
}

static void test_decode__ranks_fit_over_tcx_over_gpx(void **state)
{
    (void)state;
    assert_true(decode_find("fit")->rank > decode_find("tcx")->rank);
    assert_true(decode_find("tcx")->rank > decode_find("gpx")->rank);
}

static void test_decode__sniffs_by_content(void **state)
{
    static const unsigned char fit[14] = { 14, 0x20, 0, 0, 0, 0, 0, 0,
                                           '.', 'F', 'I', 'T', 0, 0 };
    static const char gpx[] = "\xEF\xBB\xBF  <?xml version=\"1.0\"?>\n"
                              "<!-- a comment -->\n<gpx version=\"1.1\">";
    static const char tcx[] = "          <?xml version=\"1.0\"?>"
                              "<TrainingCenterDatabase xmlns=\"x\">";
    static const char ns_gpx[] = "<g:gpx xmlns:g=\"x\"/>";
    static const char other[] = "<gpxdata/>";
    (void)state;
    assert_ptr_equal(decode_sniff(fit, sizeof(fit)), decode_find("fit"));
    assert_ptr_equal(decode_sniff((const unsigned char *)gpx, strlen(gpx)),
                     decode_find("gpx"));
    assert_ptr_equal(decode_sniff((const unsigned char *)tcx, strlen(tcx)),
                     decode_find("tcx"));
    assert_ptr_equal(decode_sniff((const unsigned char *)ns_gpx,
                                  strlen(ns_gpx)),
                     decode_find("gpx"));
    assert_null(decode_sniff((const unsigned char *)other, strlen(other)));
    assert_null(decode_sniff(fit, 5));
    assert_null(decode_sniff(fit, 0));
}

static void test_decode__names_import_reads(void **state)
{
    (void)state;
    assert_true(decode_name_matches("run.fit"));
    assert_true(decode_name_matches("RUN.FIT"));
    assert_true(decode_name_matches("a/b.gpx"));
    assert_true(decode_name_matches("x.TcX"));
    assert_false(decode_name_matches("fit"));
    assert_false(decode_name_matches("run.fit.gz")); /* import's own rule */
    assert_false(decode_name_matches("activities.json"));
    assert_false(decode_name_matches(""));
}

static void test_decode__empty_input_is_offset_0(void **state)
{
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(decode_buffer((const unsigned char *)"", 0, 0, &f, &err),
                     -1);
    assert_int_equal(err.status, RC_EINPUT);
    assert_int_equal(err.offset, 0);
    assert_string_equal(err.msg, "empty file");
}

static void test_decode__unclaimed_bytes_say_what_they_are(void **state)
{
    static const char kml[] = "<?xml version=\"1.0\"?>\n<kml xmlns=\"x\">";
    static const unsigned char header[16] = { 14, 0x20, 0, 0, 0, 0, 0, 0,
                                              '.', 'f', 'i', 't' };
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(decode_as(NULL, (const unsigned char *)kml, strlen(kml),
                               0, &f, NULL, &err),
                     -1);
    assert_int_equal(err.offset, 22);
    assert_string_equal(err.msg, "XML, but neither GPX nor TCX: the root "
                                 "element is <kml>");
    rc_err_clear(&err);
    assert_int_equal(decode_buffer(header, sizeof(header), 0, &f, &err), -1);
    assert_int_equal(err.offset, 8);
    assert_string_equal(err.msg, "not a FIT file: no \".FIT\" signature at "
                                 "byte 8");
    rc_err_clear(&err);
    assert_int_equal(decode_buffer((const unsigned char *)"hello", 5, 0, &f,
                                   &err),
                     -1);
    assert_int_equal(err.offset, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode__every_entry_is_complete),
        cmocka_unit_test(test_decode__ranks_fit_over_tcx_over_gpx),
        cmocka_unit_test(test_decode__sniffs_by_content),
        cmocka_unit_test(test_decode__names_import_reads),
        cmocka_unit_test(test_decode__empty_input_is_offset_0),
        cmocka_unit_test(test_decode__unclaimed_bytes_say_what_they_are),
    };
    return cmocka_run_group_tests_name("decode", tests, NULL, NULL);
}
