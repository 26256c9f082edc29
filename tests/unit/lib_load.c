/* lib_load.c - training logs for the load-guard tests (load_fixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/base.h"
#include "base/time.h"
#include "testlib.h"
#include "load_fixture.h"

struct fix_log *fix_log_new(void)
{
    struct fix_log *log = calloc(1, sizeof(*log));
    if (!log)
        fail_msg("out of memory");
    return log;
}

long fix_day(int y, int m, int d)
{
    return rc_days_from_civil(y, m, d);
}

struct load_run *fix_run(struct fix_log *log, long day, double km)
{
    struct load_run *r;
    if (log->n == FIX_MAX_RUNS)
        fail_msg("fixture log is full (%d runs)", FIX_MAX_RUNS);
    r = &log->runs[log->n];
    memset(r, 0, sizeof(*r));
    r->id = (int64_t)log->n + 1;
    r->start_s = (double)day * 86400.0 + 7 * 3600.0;
    r->utc_offset_s = 0;
    r->distance_m = km * 1000.0;
    r->duration_s = km * 360.0;
    r->ascent_m = NAN;
    r->rpe = NAN;
    r->avg_hr_bpm = NAN;
    r->max_hr_bpm = NAN;
    r->is_run = true;
    log->n++;
    return r;
}

const struct load_rules *fix_rules(void)
{
    static struct load_rules rules;
    static bool loaded;
    struct rc_err err = RC_ERR_INIT;
    if (!loaded) {
        if (load_rules_default(&rules, &err) < 0)
            fail_msg("kb: %s", err.msg);
        loaded = true;
    }
    return &rules;
}

void fix_report(const struct fix_log *log, long as_of, int weeks,
                struct load_report *r)
{
    struct load_opts o;
    struct rc_err err = RC_ERR_INIT;
    load_opts_init(&o, as_of, weeks);
    if (load_report_build(log->runs, log->n, NULL, 0, fix_rules(), &o, r,
                          &err) < 0)
        fail_msg("load_report_build: %s", err.msg);
}

size_t fix_count(const struct load_report *r, enum load_warning_id id)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nwarnings; i++)
        n += r->warnings[i].id == id;
    return n;
}

const struct load_warning *fix_find(const struct load_report *r,
                                    enum load_warning_id id)
{
    for (size_t i = 0; i < r->nwarnings; i++)
        if (r->warnings[i].id == id)
            return &r->warnings[i];
    return NULL;
}
