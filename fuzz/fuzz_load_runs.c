/* fuzz_load_runs.c - libFuzzer target: arbitrary bytes as a training log.
 * Each 40-byte record is one run:
 *   OFFSET  SIZE  WHAT
 *        0     4  start, minutes since 2020-01-01 (signed, little-endian)
 *        4     2  UTC offset, minutes (signed)
 *        6     4  distance, metres (float)
 *       10     4  duration, seconds (float)
 *       14     4  ascent, metres (float)
 *       18     4  RPE (float)
 *       22     4  average heart rate (float)
 *       26     4  maximum heart rate (float)
 *       30     8  shoe id
 *       38     1  bit 0: is a run, bit 1: is a race
 *       39     1  unused
 * The first 4 bytes are the options: as-of day offset (int16), weeks
 * (uint8), new to running (uint8). The report, its JSON, its SVG and the
 * training context must never crash, hang or leak, whatever the floats
 * (NaN, infinities, negatives). */
#include "base/base.h"
#include "base/buf.h"
#include "load/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define RECORD 40
#define MAX_RUNS 4000
#define DAY_2020 18262L

static float f32(const uint8_t *p)
{
    float f;
    memcpy(&f, p, 4);
    return f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct load_rules rules;
    static bool loaded;
    static struct load_run runs[MAX_RUNS];
    struct load_report r;
    struct load_opts o;
    struct rc_err err = RC_ERR_INIT;
    struct load_shoe shoe = { 1, "Shoe", 800, 700, false };
    size_t n = 0;
    int16_t as_of;
    int weeks;

    if (!loaded) {
        if (load_rules_default(&rules, &err) < 0)
            abort();
        loaded = true;
    }
    if (size < 4)
        return 0;
    memcpy(&as_of, data, 2);
    weeks = data[2] % 60 + 1;
    for (size_t off = 4; off + RECORD <= size && n < MAX_RUNS;
         off += RECORD, n++) {
        const uint8_t *p = data + off;
        int32_t start_min;
        int16_t offset_min;
        struct load_run *run = &runs[n];
        memcpy(&start_min, p, 4);
        memcpy(&offset_min, p + 4, 2);
        memset(run, 0, sizeof(*run));
        run->start_s = (double)DAY_2020 * 86400.0 + start_min * 60.0;
        run->utc_offset_s = offset_min * 60;
        run->distance_m = f32(p + 6);
        run->duration_s = f32(p + 10);
        run->ascent_m = f32(p + 14);
        run->rpe = f32(p + 18);
        run->avg_hr_bpm = f32(p + 22);
        run->max_hr_bpm = f32(p + 26);
        memcpy(&run->shoe_id, p + 30, 8);
        run->is_run = p[38] & 1;
        run->is_race = p[38] & 2;
    }
    load_opts_init(&o, DAY_2020 + as_of, weeks);
    o.new_to_running = data[3] & 1 ? LOAD_NOVICE_YES : LOAD_NOVICE_UNKNOWN;
    if (load_report_build(runs, n, &shoe, 1, &rules, &o, &r, &err) == 0) {
        struct rc_buf b;
        json_t *j = load_report_json(&r);
        char *text = json_dumps(j, JSON_COMPACT);
        free(text);
        json_decref(j);
        rc_buf_init(&b, (size_t)8 << 20);
        if (load_svg(&r, &b, &err) == 0 && b.len == 0)
            abort(); /* success writes a chart */
        rc_buf_release(&b);
        load_report_release(&r);
    }
    /* what a leg-pain check takes from the log */
    load_opts_init(&o, DAY_2020 + as_of, load_context_weeks(&rules));
    if (load_report_build(runs, n, NULL, 0, &rules, &o, &r, &err) == 0) {
        char why[200];
        double v;
        json_t *j = load_recent_warnings_json(&r, &rules);
        json_decref(j);
        for (int f = 0; f < LOAD_FACT_COUNT; f++)
            (void)load_fact(&r, &rules, (enum load_fact)f, &v, why,
                            sizeof(why));
        (void)load_last_session(&r, runs, &rules);
        load_report_release(&r);
    }
    return 0;
}
