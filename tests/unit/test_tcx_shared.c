/* test_tcx_shared.c - the TCX decoder on the real files of
 * ../shared/data/activities: every file in tcx/ with the Trackpoint, Lap,
 * Activity and Course counts of its MANIFEST.tsv note, the cut-off file
 * failing at the line its note gives (and salvaged), and Polar's export
 * with blanks before <?xml importing with its warning. Skipped without the
 * shared data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "tcx/tcx.h"
#include "testlib.h"
#include "manifest.h"

/* Decode a file; -1 (err set) or 0. */
static int decode_file(const struct manifest_row *row, unsigned flags,
                       struct activity_file *f, struct tcx_counts *c,
                       struct rc_err *err)
{
    struct rc_buf b;
    int rc;
    test_read_file(&b, row->path);
    if (!tcx_sniff(b.data, b.len))
        rc = rc_fail(err, RC_EINPUT, "not recognised as TCX");
    else
        rc = tcx_decode_info(b.data, b.len, flags, f, c, err);
    rc_buf_release(&b);
    return rc;
}

static void check_counts(const struct manifest_row *row, void *ud)
{
    struct manifest_tally *t = ud;
    struct activity_file f;
    struct tcx_counts c;
    struct rc_err err = RC_ERR_INIT;
    long tp = test_note_count(row->notes, " Trackpoint"),
         lap = test_note_count(row->notes, " Lap"),
         act = test_note_count(row->notes, " Activity"),
         course = test_note_count(row->notes, " Course");

    t->files++;
    if (tp < 0 || lap < 0 || act < 0 || course < 0) {
        test_complain(t, row->file, "no counts in the note");
        return;
    }
    if (decode_file(row, 0, &f, &c, &err) < 0) {
        test_complain(t, row->file, "line %ld: %s", err.line, err.msg);
        return;
    }
    if (c.trackpoint != tp || c.lap != lap || c.activity != act ||
        c.course != course || f.records != tp || (long)f.nacts != act)
        test_complain(t, row->file,
                 "%ld Trackpoint, %ld Lap, %ld Activity, %ld Course, %zu "
                 "activities; the note says %ld, %ld, %ld, %ld",
                 c.trackpoint, c.lap, c.activity, c.course, f.nacts, tp, lap,
                 act, course);
    else if (f.nacts == 0 && !strstr(f.note, "not an activity"))
        test_complain(t, row->file, "no activity and no note saying why");
    activity_file_release(&f);
}

static void test_tcx_shared__every_file_has_its_manifest_counts(void **state)
{
    struct manifest_tally t = { 0 };
    TEST_SHARED_DATA_OR_SKIP(data);
    (void)state;
    test_manifest_each(data, "tcx/", ".tcx", check_counts, &t);
    print_message("%d TCX files decoded\n", t.files);
    assert_true(t.files >= 20);
    if (t.failed)
        fail_msg("%d of %d files:%s", t.failed, t.files, t.why);
}

static void check_cut(const struct manifest_row *row, void *ud)
{
    test_check_cut_off(row, ud, " complete <Trackpoint>");
}

static void test_tcx_shared__cut_off_file_fails_at_its_line(void **state)
{
    struct manifest_tally t = { 0 };
    TEST_SHARED_DATA_OR_SKIP(data);
    (void)state;
    test_manifest_each(data, "invalid/", ".tcx", check_cut, &t);
    assert_true(t.files >= 1);
    if (t.failed)
        fail_msg("%d of %d files:%s", t.failed, t.files, t.why);
}

static void check_blanks(const struct manifest_row *row, void *ud)
{
    struct manifest_tally *t = ud;
    struct activity_file f;
    struct rc_err err = RC_ERR_INIT;
    long tags = test_note_count(row->notes, " <Trackpoint> tags"),
         blanks = test_note_count(row->notes, " spaces before the XML");
    char want[128];

    if (blanks < 0)
        return;
    t->files++;
    if (decode_file(row, 0, &f, NULL, &err) < 0) {
        test_complain(t, row->file, "line %ld: %s", err.line, err.msg);
        return;
    }
    snprintf(want, sizeof(want), "%ld blanks before the XML declaration at "
                                 "line 1: skipped",
             blanks);
    if (f.nwarnings != 1 || strcmp(f.warnings[0], want))
        test_complain(t, row->file, "warning \"%s\", not \"%s\"",
                 f.nwarnings ? f.warnings[0] : "", want);
    if (f.nacts != 1 || f.records != tags ||
        (long)f.acts[0].nsamples != tags || f.salvaged)
        test_complain(t, row->file, "%zu activities, %ld records; the note says "
                               "%ld trackpoints",
                 f.nacts, f.records, tags);
    activity_file_release(&f);
}

static void test_tcx_shared__polar_blanks_before_declaration_import(
    void **state)
{
    struct manifest_tally t = { 0 };
    TEST_SHARED_DATA_OR_SKIP(data);
    (void)state;
    test_manifest_each(data, "invalid/", ".tcx", check_blanks, &t);
    assert_int_equal(t.files, 1);
    if (t.failed)
        fail_msg("%d of %d files:%s", t.failed, t.files, t.why);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tcx_shared__every_file_has_its_manifest_counts),
        cmocka_unit_test(test_tcx_shared__cut_off_file_fails_at_its_line),
        cmocka_unit_test(
            test_tcx_shared__polar_blanks_before_declaration_import),
    };
    return cmocka_run_group_tests_name("tcx_shared", tests, NULL, NULL);
}
