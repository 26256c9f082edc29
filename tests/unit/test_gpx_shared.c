/* test_gpx_shared.c - the GPX decoder on the real files of
 * ../shared/data/activities: every file in gpx/ with the trkpt, rtept and
 * wpt counts of its MANIFEST.tsv note, the cut-off file failing at the line
 * its note gives (and salvaged), and Strava's exports with an undeclared
 * prefix importing with their warning. Skipped without the shared data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "gpx/gpx.h"
#include "testlib.h"
#include "manifest.h"

/* Decode a file; -1 (err set) or 0. */
static int decode_file(const struct manifest_row *row, unsigned flags,
                       struct activity_file *f, struct gpx_counts *c,
                       struct rc_err *err)
{
    struct rc_buf b;
    int rc;
    test_read_file(&b, row->path);
    if (!gpx_sniff(b.data, b.len))
        rc = rc_fail(err, RC_EINPUT, "not recognised as GPX");
    else
        rc = gpx_decode_info(b.data, b.len, flags, f, c, err);
    rc_buf_release(&b);
    return rc;
}

static void check_counts(const struct manifest_row *row, void *ud)
{
    struct manifest_tally *t = ud;
    struct activity_file f;
    struct gpx_counts c;
    struct rc_err err = RC_ERR_INIT;
    long trkpt = test_note_count(row->notes, " trkpt"),
         rtept = test_note_count(row->notes, " rtept"),
         wpt = test_note_count(row->notes, " wpt");

    t->files++;
    if (trkpt < 0 || rtept < 0 || wpt < 0) {
        test_complain(t, row->file, "no counts in the note");
        return;
    }
    if (decode_file(row, 0, &f, &c, &err) < 0) {
        test_complain(t, row->file, "line %ld: %s", err.line, err.msg);
        return;
    }
    if (c.trkpt != trkpt || c.rtept != rtept || c.wpt != wpt ||
        f.records != trkpt)
        test_complain(t, row->file,
                 "%ld trkpt, %ld rtept, %ld wpt, %ld records; the note "
                 "says %ld, %ld, %ld",
                 c.trkpt, c.rtept, c.wpt, f.records, trkpt, rtept, wpt);
    else if (f.nacts == 0 && (!f.note[0] || strstr(f.note, "activity") == NULL))
        test_complain(t, row->file, "no activity and no note saying why");
    activity_file_release(&f);
}

static void test_gpx_shared__every_file_has_its_manifest_counts(void **state)
{
    struct manifest_tally t = { 0 };
    TEST_SHARED_DATA_OR_SKIP(data);
    (void)state;
    test_manifest_each(data, "gpx/", ".gpx", check_counts, &t);
    print_message("%d GPX files decoded\n", t.files);
    assert_true(t.files >= 60);
    if (t.failed)
        fail_msg("%d of %d files:%s", t.failed, t.files, t.why);
}

static void check_cut(const struct manifest_row *row, void *ud)
{
    test_check_cut_off(row, ud, " complete <trkpt>");
}

static void test_gpx_shared__cut_off_file_fails_at_its_line(void **state)
{
    struct manifest_tally t = { 0 };
    TEST_SHARED_DATA_OR_SKIP(data);
    (void)state;
    test_manifest_each(data, "invalid/", ".gpx", check_cut, &t);
    assert_true(t.files >= 1);
    if (t.failed)
        fail_msg("%d of %d files:%s", t.failed, t.files, t.why);
}

static void check_prefix(const struct manifest_row *row, void *ud)
{
    struct manifest_tally *t = ud;
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    long line, col, tags = test_note_count(row->notes, " <trkpt> tags");
    char want[128];

    if (!strstr(row->notes, "unbound prefix") ||
        test_note_pair(row->notes, "INVALID XML: line ", &line, &col) < 0)
        return;
    t->files++;
    if (decode_file(row, 0, &f, NULL, &err) < 0) {
        test_complain(t, row->file, "line %ld: %s", err.line, err.msg);
        return;
    }
    snprintf(want, sizeof(want), "undeclared prefix 'gpxdata' at line %ld: "
                                 "read without namespaces",
             line);
    if (f.nwarnings < 1 || strcmp(f.warnings[0], want))
        test_complain(t, row->file, "warning \"%s\", not \"%s\"",
                 f.nwarnings ? f.warnings[0] : "", want);
    if (f.nacts != 1 || f.records != tags ||
        (long)f.acts[0].nsamples != tags || f.salvaged)
        test_complain(t, row->file, "%zu activities, %ld records; the note says "
                               "%ld points",
                 f.nacts, f.records, tags);
    activity_file_release(&f);
}

static void test_gpx_shared__strava_undeclared_prefix_imports(void **state)
{
    struct manifest_tally t = { 0 };
    TEST_SHARED_DATA_OR_SKIP(data);
    (void)state;
    test_manifest_each(data, "invalid/", ".gpx", check_prefix, &t);
    assert_int_equal(t.files, 2);
    if (t.failed)
        fail_msg("%d of %d files:%s", t.failed, t.files, t.why);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gpx_shared__every_file_has_its_manifest_counts),
        cmocka_unit_test(test_gpx_shared__cut_off_file_fails_at_its_line),
        cmocka_unit_test(test_gpx_shared__strava_undeclared_prefix_imports),
    };
    return cmocka_run_group_tests_name("gpx_shared", tests, NULL, NULL);
}
