/* load_fixture.h - building training logs for the load-guard tests
 * (tests/unit/lib_load.c). Include after testlib.h. */
#ifndef RC_LOAD_FIXTURE_H
#define RC_LOAD_FIXTURE_H

#include "base/base.h"
#include "load/load.h"

#define FIX_MAX_RUNS 4096

/* A log under construction: runs in the order added. */
struct fix_log {
    size_t n;
    struct load_run runs[FIX_MAX_RUNS];
};

/* A new empty log (free() it). */
struct fix_log *fix_log_new(void);

/* Day number of a date. */
long fix_day(int y, int m, int d);

/* Add a run of km on local day `day` at 07:00 local, UTC offset 0, at
 * 6:00 min/km, no RPE or heart rate; returns it for further fields. */
struct load_run *fix_run(struct fix_log *log, long day, double km);

/* The embedded rules; fails the test if they do not parse. */
const struct load_rules *fix_rules(void);

/* Build a report as of as_of over weeks weeks; fails the test on error. */
void fix_report(const struct fix_log *log, long as_of, int weeks,
                struct load_report *r);

/* How many warnings with this id the report holds. */
size_t fix_count(const struct load_report *r, enum load_warning_id id);

/* The first warning with this id, or NULL. */
const struct load_warning *fix_find(const struct load_report *r,
                                    enum load_warning_id id);

#endif
