/* fuzz_load_kb.c - libFuzzer target: arbitrary bytes as
 * kb/load_guard.jsonl. The parser must refuse or accept, never crash,
 * read past the input or leak. An accepted rule set must be usable: a
 * small report is built with it and its wording expanded. */
#include "base/base.h"
#include "load/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct load_rules rules;
    struct rc_err err = RC_ERR_INIT;
    struct load_run runs[3];
    struct load_report r;
    struct load_opts o;

    if (load_rules_parse((const char *)data, size, "fuzz", &rules, &err) < 0)
        return 0;
    memset(runs, 0, sizeof(runs));
    for (int i = 0; i < 3; i++) {
        runs[i].start_s = 86400.0 * (20000 + 3 * i);
        runs[i].distance_m = 5000.0 * (i + 1);
        runs[i].duration_s = 1800.0 * (i + 1);
        runs[i].rpe = runs[i].avg_hr_bpm = runs[i].max_hr_bpm = NAN;
        runs[i].ascent_m = NAN;
        runs[i].is_run = true;
    }
    load_opts_init(&o, 20010, 4);
    o.new_to_running = LOAD_NOVICE_YES;
    if (load_report_build(runs, 3, NULL, 0, &rules, &o, &r, &err) == 0)
        load_report_release(&r);
    return 0;
}
