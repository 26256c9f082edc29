/* lib_import.c - a stand-in decoder for the import tests (see testlib.h),
 * so that import's rules are tested apart from the real decoders, and
 * their database fixture. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "activity/activity.h"
#include "store/store.h"
#include "testlib.h"

int test_db_setup(void **state)
{
    struct test_db_fixture *f = calloc(1, sizeof(*f));
    struct rc_err err = RC_ERR_INIT;
    assert_non_null(f);
    test_tmpdir(f->dir, sizeof(f->dir));
    snprintf(f->db, sizeof(f->db), "%s/runcare.db", f->dir);
    f->s = store_open(f->db, STORE_CREATE, &err);
    assert_non_null(f->s);
    *state = f;
    return 0;
}

int test_db_teardown(void **state)
{
    struct test_db_fixture *f = *state;
    store_close(f->s);
    test_tmpdir_remove(f->dir);
    free(f);
    return 0;
}

int test_fake_decode(const unsigned char *p, size_t n, unsigned flags,
                     struct activity_file *out, struct rc_err *err)
{
    struct activity_file f;
    struct activity *a;
    char text[512], sport[24] = "running", ch[64] = "", format[8] = "fit";
    double start = 1.6e9, dur = 3600;
    long ns = 10;
    (void)flags;
    if (n >= sizeof(text))
        return rc_fail_at(err, 0, "test file too long");
    memcpy(text, p, n);
    text[n] = '\0';
    activity_file_init(&f);
    if (!strncmp(text, "RCTEST-NOTACT", 13)) {
        snprintf(f.format, sizeof(f.format), "fit");
        snprintf(f.file_type, sizeof(f.file_type), "settings");
        snprintf(f.note, sizeof(f.note), "a settings file, not an activity");
        *out = f;
        return 0;
    }
    if (strncmp(text, "RCTEST ", 7))
        return rc_fail_at(err, 0, "not a test activity");
    for (char *tok = text + 7; *tok;) {
        size_t k = strcspn(tok, " \n");
        char save = tok[k];
        tok[k] = '\0';
        if (!strncmp(tok, "sport=", 6))
            snprintf(sport, sizeof(sport), "%s", tok + 6);
        else if (!strncmp(tok, "start=", 6))
            start = strtod(tok + 6, NULL);
        else if (!strncmp(tok, "dur=", 4))
            dur = strtod(tok + 4, NULL);
        else if (!strncmp(tok, "n=", 2))
            ns = strtol(tok + 2, NULL, 10);
        else if (!strncmp(tok, "ch=", 3))
            snprintf(ch, sizeof(ch), "%s", tok + 3);
        else if (!strncmp(tok, "format=", 7))
            snprintf(format, sizeof(format), "%s", tok + 7);
        tok += k + (save != '\0');
    }
    snprintf(f.format, sizeof(f.format), "%s", format);
    snprintf(f.file_type, sizeof(f.file_type), "activity");
    a = activity_file_add(&f, err);
    if (!a || !activity_add_lap(a, err))
        goto fail;
    snprintf(a->sport, sizeof(a->sport), "%s", sport);
    a->start_s = start;
    a->elapsed_s = dur;
    a->distance_m = dur * 3;
    for (long i = 0; i < ns; i++) {
        struct activity_sample *s = activity_add_sample(a, err);
        if (!s)
            goto fail;
        s->time_s = start + dur * (double)i / (double)ns;
        if (strstr(ch, "hr"))
            s->hr_bpm = 150;
        if (strstr(ch, "pos")) {
            s->lat_deg = 50 + 1e-5 * (double)i;
            s->lon_deg = 5;
        }
        if (strstr(ch, "cad"))
            s->cadence_rpm = 88;
        if (strstr(ch, "alt"))
            s->alt_m = 12;
    }
    *out = f;
    return 0;
fail:
    activity_file_release(&f);
    return -1;
}

