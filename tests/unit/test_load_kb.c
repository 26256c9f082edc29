/* test_load_kb.c - kb/load_guard.jsonl: the embedded rules hold exactly the
 * thresholds of conditions.md section 5, cite only ids of its section 7,
 * and every kind of broken record is refused with its line and reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <unistd.h>

#include "base/base.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "base/embedded.h"
#include "load/load.h"
#include "load/load_int.h"
#include "testlib.h"

static const char *kb_text(void)
{
    const struct rc_embedded *e = rc_embedded_find(LOAD_KB_PATH);
    if (!e)
        fail_msg("%s is not embedded", LOAD_KB_PATH);
    return (const char *)e->data;
}

static void test_load_kb__rules_are_those_of_conditions_md(void **state)
{
    struct load_rules r;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(load_rules_default(&r, &err), 0);
    assert_true(r.spike_threshold_pct == 10);
    assert_int_equal(r.spike_reference_days, 30);
    assert_int_equal(r.nbands, 3);
    assert_true(r.bands[0].above_pct == 10 && r.bands[0].hazard_ratio == 1.64);
    assert_true(r.bands[1].above_pct == 30 && r.bands[1].hazard_ratio == 1.52);
    assert_true(r.bands[2].above_pct == 100 &&
                r.bands[2].hazard_ratio == 2.28);
    assert_true(r.weekly_threshold_pct == 30 && r.weekly_hr == 1.59);
    assert_true(r.weekly_ci_low == 0.96 && r.weekly_ci_high == 2.66);
    assert_int_equal(r.break_days, 14);
    assert_true(r.break_threshold_pct == 50);
    assert_true(r.acwr_threshold == 1.5);
    assert_true(r.novice_km == 6);
    assert_true(r.cap_factor == 1.1);
    assert_true(r.floor_min == 20);
    assert_string_equal(r.warn[LOAD_W_SINGLE_RUN_SPIKE].src.ids[0],
                        "frandsen2025");
    assert_string_equal(r.warn[LOAD_W_WEEKLY_VOLUME_JUMP].src.ids[0],
                        "nielsen2014");
    assert_string_equal(r.warn[LOAD_W_NOVICE_FAST_START].src.ids[0],
                        "nielsen_obese");
    assert_int_equal(r.warn[LOAD_W_ACWR_HIGH].src.n, 4);
    assert_string_equal(r.ten_percent.src.ids[0], "buist2008");
    assert_string_equal(r.ten_percent.src.ids[1], "fredette2022");
}

/* The built-in rules are read with jparse, a file's with Jansson: the
 * same text gives the same rules. */
static void test_load_kb__both_parsers_give_the_same_rules(void **state)
{
    const char *text = kb_text();
    struct load_rules *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(load_rules_default(a, &err), 0);
    assert_int_equal(load_rules_parse(text, strlen(text), LOAD_KB_PATH, b,
                                      &err),
                     0);
    assert_memory_equal(a, b, sizeof(*a));
    free(a);
    free(b);
}

/* The ids of the source registry table of conditions.md section 7, one
 * "|id|" each, into ids. */
static void registry_ids(const char *md, struct rc_buf *ids)
{
    const char *p = strstr(md, "## 7. Source registry");
    struct rc_err err = RC_ERR_INIT;
    rc_buf_init(ids, 1 << 20);
    assert_non_null(p);
    while ((p = strstr(p, "\n| ")) != NULL) {
        const char *id = p + 3, *end = strchr(id, ' ');
        p = id;
        if (!end || !strncmp(id, "id ", 3) || *id == '-')
            continue;
        assert_int_equal(rc_buf_appendf(ids, &err, "|%.*s|", (int)(end - id),
                                        id),
                         0);
    }
}

static void check_cited(const struct load_sources *src, const char *ids,
                        const char *where)
{
    for (size_t i = 0; i < src->n; i++) {
        char key[40];
        snprintf(key, sizeof(key), "|%s|", src->ids[i]);
        if (!strstr(ids, key))
            fail_msg("%s cites %s, not an id of %s", LOAD_KB_PATH,
                     src->ids[i], where);
    }
}

static void test_load_kb__sources_are_registry_ids(void **state)
{
    const char *shared = getenv("RUNCARE_SHARED");
    const struct rc_embedded *sources = rc_embedded_find("kb/sources.jsonl");
    const struct load_rule *rules[12];
    struct load_rules r;
    struct rc_err err = RC_ERR_INIT;
    struct rc_buf md, ids;
    char path[4096];
    (void)state;
    assert_int_equal(load_rules_default(&r, &err), 0);
    {
        const struct load_rule *all[] = {
            &r.warn[0],   &r.warn[1],    &r.warn[2],   &r.warn[3],
            &r.warn[4],   &r.cap_spike,  &r.cap_weekly, &r.cap_break,
            &r.cap_floor, &r.ten_percent, &r.long_run,  &r.hills,
        };
        memcpy(rules, all, sizeof(all));
    }
    if (sources) /* the triage engineer's registry, once it is merged */
        for (size_t i = 0; i < RC_ARRAY_SIZE(rules); i++)
            for (size_t k = 0; k < rules[i]->src.n; k++) {
                char key[48];
                snprintf(key, sizeof(key), "\"id\":\"%s\"",
                         rules[i]->src.ids[k]);
                if (!strstr((const char *)sources->data, key))
                    fail_msg("kb/sources.jsonl has no %s",
                             rules[i]->src.ids[k]);
            }
    snprintf(path, sizeof(path), "%s/domain/conditions.md",
             shared && *shared ? shared : "../shared");
    if (access(path, R_OK) != 0) {
        print_message("skipped: ../shared/data not found\n");
        skip();
    }
    test_read_file(&md, path);
    registry_ids((const char *)md.data, &ids);
    /* the table was read whole: its first and last rows */
    assert_non_null(strstr((const char *)ids.data, "|semigran2015|"));
    assert_non_null(strstr((const char *)ids.data, "|droracle_mtss_rtr|"));
    assert_null(strstr((const char *)ids.data, "|id|"));
    for (size_t i = 0; i < RC_ARRAY_SIZE(rules); i++)
        check_cited(&rules[i]->src, (const char *)ids.data,
                    "conditions.md section 7");
    rc_buf_release(&md);
    rc_buf_release(&ids);
}

/* ---- broken records ---- */

struct kb_case {
    const char *old_text; /* replaced in the embedded file ... */
    const char *new_text; /* ... by this ("" deletes it) */
    const char *message;  /* the whole formatted error, or its start */
    bool prefix;
};

static const struct kb_case cases[] = {
    { "\"id\":\"return_after_break\",", "\"id\":\"return_after_break\",,",
      "kb/load_guard.jsonl: line 3: invalid JSON at column ", true },
    { "\"break_days\":14,", "\"break_days\":14,\"brake\":1,",
      "kb/load_guard.jsonl: line 3: unknown field \"brake\" for id "
      "\"return_after_break\"", false },
    { "After {days} days", "After {dayz} days",
      "kb/load_guard.jsonl: line 3: field \"text\": unknown placeholder "
      "{dayz} (this record knows: km pct days ref_km threshold date "
      "ref_date)", false },
    { "of before (over {threshold:g}%)", "of before (over {date:g}%)",
      "kb/load_guard.jsonl: line 3: field \"figure\": {date:g}: a number's "
      "format is [+][.N]f or g, of one of: km pct days ref_km threshold",
      false },
    { "at {pct:.0f}% of before", "at {pct:.0d}% of before",
      "kb/load_guard.jsonl: line 3: field \"chart\": {pct:.0d}: a number's "
      "format is [+][.N]f or g, of one of: km pct days ref_km threshold",
      false },
    { ",\"chart\":\"back from", ",\"chat\":\"back from",
      "kb/load_guard.jsonl: line 3: unknown field \"chat\" for id "
      "\"return_after_break\"", false },
    { ",\"figure\":\"{pct:.0f}% of before (over {threshold:g}%)\"", "",
      "kb/load_guard.jsonl: line 3: missing field \"figure\"", false },
    { "against {prev_km} km", "against {prev7_km} km",
      "kb/load_guard.jsonl: line 14: field \"text\": unknown placeholder "
      "{prev7_km} (this record knows: km pct prev_km date)", false },
    { "\"id\":\"break_weeks\",",
      "\"id\":\"break_weeks\",\"one_day\":\"x\",",
      "kb/load_guard.jsonl: line 16: unknown field \"one_day\" for id "
      "\"break_weeks\"", false },
    { "\"id\":\"weekly_km\",", "\"id\":\"weekly_km\",\"figure\":\"x\",",
      "kb/load_guard.jsonl: line 13: unknown field \"figure\" for id "
      "\"weekly_km\"", false },
    { "\\nweeks before when", "\\n{weeks} before when",
      "kb/load_guard.jsonl: line 2: field \"week_legend\": unknown "
      "placeholder {weeks} (this record knows: km pct base_km threshold hr "
      "ci_low ci_high date base)", false },
    { "After {days} days", "After {days days",
      "kb/load_guard.jsonl: line 3: field \"text\": '{' without '}' at "
      "byte 6", false },
    { "\"threshold_pct\":30,", "\"threshold_pct\":-3,",
      "kb/load_guard.jsonl: line 2: field \"threshold_pct\": -3 is outside "
      "0-1000", false },
    { "\"break_days\":14,", "\"break_days\":14.5,",
      "kb/load_guard.jsonl: line 3: field \"break_days\": 14.5 is not a "
      "whole number", false },
    { "\"ci_low\":0.96,", "",
      "kb/load_guard.jsonl: line 2: missing field \"ci_low\"", false },
    { "\"threshold\":1.5,", "\"threshold\":\"1.5\",",
      "kb/load_guard.jsonl: line 4: field \"threshold\": not a number", false },
    { "{\"kind\":\"cap\",\"id\":\"cap_spike\"",
      "{\"kind\":\"warning\",\"id\":\"cap_spike\"",
      "kb/load_guard.jsonl: line 6: id \"cap_spike\" is of kind \"cap\", "
      "not \"warning\"", false },
    { "\"id\":\"long_run\"", "\"id\":\"longrun\"",
      "kb/load_guard.jsonl: line 11: unknown id \"longrun\"", false },
    { "{\"above_pct\":30,", "{\"above_pct\":5,",
      "kb/load_guard.jsonl: line 1: field \"bands\": item 1: above_pct 5 is "
      "not above the band before (10)", false },
    { "\"hazard_ratio\":2.28,", "\"hazard_ratio\":2.28,\"ci\":1,",
      "kb/load_guard.jsonl: line 1: field \"bands\": item 2: unknown field "
      "\"ci\"", false },
    { "\"range\":\"10-30%\"", "\"range\":\"\"",
      "kb/load_guard.jsonl: line 1: field \"bands\": item 0: field "
      "\"range\": empty", false },
    { "\"factor\":1.1,", "\"factor\":1.2,",
      "kb/load_guard.jsonl: cap_spike: factor 1.2 allows a single_run_spike "
      "(threshold 10%)", false },
    { "\"source_ids\":[\"frandsen2025\"]}", "\"source_ids\":[\"Frandsen "
                                            "2025\"]}",
      "kb/load_guard.jsonl: line 1: field \"source_ids\": item 0 is not a "
      "source id (a-z, 0-9, _; under 32 bytes)", false },
    { "\"source_ids\":[\"nielsen2014\"]}", "\"source_ids\":[]}",
      "kb/load_guard.jsonl: line 2: field \"source_ids\": not an array of "
      "1-6 ids", false },
    { "{\"kind\":\"session\",\"id\":\"downhill_or_trail\"", "[1,2]\n{\"x\":1",
      "kb/load_guard.jsonl: line 12: a record must be a JSON object", false },
    { "\"threshold_pct\":10,", "\"threshold_pct\":10,\"threshold_pct\":11,",
      "kb/load_guard.jsonl: line 1: invalid JSON at column ", true },
};

/* The embedded file with the first old_text replaced by new_text. */
static char *mutate(const char *old_text, const char *new_text)
{
    const char *text = kb_text(), *at = strstr(text, old_text);
    size_t n = strlen(text), lo = strlen(old_text), ln = strlen(new_text);
    char *out;
    if (!at)
        fail_msg("case text not in the kb: %s", old_text);
    out = malloc(n - lo + ln + 1);
    assert_non_null(out);
    memcpy(out, text, (size_t)(at - text));
    memcpy(out + (at - text), new_text, ln);
    memcpy(out + (at - text) + ln, at + lo, n - (size_t)(at - text) - lo + 1);
    return out;
}

static void test_load_kb__broken_records_name_line_and_reason(void **state)
{
    (void)state;
    for (size_t i = 0; i < RC_ARRAY_SIZE(cases); i++) {
        char *text = mutate(cases[i].old_text, cases[i].new_text);
        struct load_rules r;
        struct rc_err err = RC_ERR_INIT;
        char msg[600];
        assert_int_equal(load_rules_parse(text, strlen(text), LOAD_KB_PATH,
                                          &r, &err),
                         -1);
        assert_int_equal(err.status, RC_EINPUT);
        rc_err_format(&err, msg, sizeof(msg));
        if (cases[i].prefix
                ? strncmp(msg, cases[i].message, strlen(cases[i].message))
                : strcmp(msg, cases[i].message))
            fail_msg("case %zu:\n  got      %s\n  expected %s", i, msg,
                     cases[i].message);
        free(text);
    }
}

static void test_load_kb__every_record_is_required(void **state)
{
    const char *text = kb_text();
    (void)state;
    for (int skip_line = 1; skip_line <= 16; skip_line++) {
        struct rc_buf b;
        struct rc_err err = RC_ERR_INIT;
        struct load_rules r;
        const char *p = text;
        char msg[300];
        rc_buf_init(&b, 1 << 20);
        for (int line = 1; *p; line++) {
            const char *nl = strchr(p, '\n');
            size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);
            if (line != skip_line)
                assert_int_equal(rc_buf_append(&b, p, len, &err), 0);
            p += len;
        }
        assert_int_equal(load_rules_parse((const char *)b.data, b.len,
                                          LOAD_KB_PATH, &r, &err),
                         -1);
        rc_err_format(&err, msg, sizeof(msg));
        assert_non_null(strstr(msg, "kb/load_guard.jsonl: no record for id"));
        rc_buf_release(&b);
    }
}

static void test_load_kb__duplicate_record_is_refused(void **state)
{
    const char *text = kb_text();
    const char *nl = strchr(text, '\n');
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    struct load_rules r;
    char msg[300];
    (void)state;
    rc_buf_init(&b, 1 << 20);
    assert_int_equal(rc_buf_appendf(&b, &err, "%s%.*s", text,
                                    (int)(nl - text + 1), text),
                     0);
    assert_int_equal(load_rules_parse((const char *)b.data, b.len,
                                      LOAD_KB_PATH, &r, &err),
                     -1);
    assert_string_equal(rc_err_format(&err, msg, sizeof(msg)),
                        "kb/load_guard.jsonl: line 18: id "
                        "\"single_run_spike\" given twice");
    rc_buf_release(&b);
}

static void test_load_kb__blank_lines_are_skipped_but_counted(void **state)
{
    char *ok = mutate("\n{\"kind\":\"warning\",\"id\":\"weekly_volume_jump\"",
                      "\n\n  \n{\"kind\":\"warning\",\"id\":\"weekly_volume_"
                      "jump\"");
    char *bad = mutate("\n{\"kind\":\"warning\",\"id\":\"weekly_volume_jump\"",
                       "\n\n\n{\"kind\":\"warning\",\"id\":\"weekly_volume_"
                       "jump\",\"x\":0");
    struct load_rules r;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(load_rules_parse(ok, strlen(ok), LOAD_KB_PATH, &r, &err),
                     0);
    assert_int_equal(load_rules_parse(bad, strlen(bad), LOAD_KB_PATH, &r,
                                      &err),
                     -1);
    assert_int_equal(err.line, 4);
    free(ok);
    free(bad);
}

static void test_load_kb__empty_and_unterminated_input(void **state)
{
    struct load_rules r;
    struct rc_err err = RC_ERR_INIT;
    char msg[300];
    const char *text = kb_text();
    char *copy;
    size_t n = strlen(text);
    (void)state;
    assert_int_equal(load_rules_parse("", 0, LOAD_KB_PATH, &r, &err), -1);
    assert_string_equal(rc_err_format(&err, msg, sizeof(msg)),
                        "kb/load_guard.jsonl: no record for id "
                        "\"single_run_spike\"");
    /* the same file without its final newline, in a buffer not ended by a
     * NUL: still read whole, and not a byte past it */
    copy = malloc(n - 1);
    assert_non_null(copy);
    memcpy(copy, text, n - 1);
    rc_err_clear(&err);
    assert_int_equal(load_rules_parse(copy, n - 1, LOAD_KB_PATH, &r, &err),
                     0);
    free(copy);
}

static void test_load_kb__each_allocation_failure_is_clean(void **state)
{
    const char *text = kb_text();
    struct load_rules r;
    struct rc_err err = RC_ERR_INIT;
    long n;
    (void)state;
    load_alloc_fail_at(1);
    assert_int_equal(load_rules_parse(text, strlen(text), LOAD_KB_PATH, &r,
                                      &err),
                     -1);
    load_alloc_fail_at(0);
    assert_int_equal(err.status, RC_EENV);
    test_counted_jansson(true);
    for (n = 1; n < 100000; n++) {
        int rc;
        rc_err_clear(&err);
        rc_alloc_fail_after(n - 1); /* the nth allocation and all later fail */
        rc = load_rules_parse(text, strlen(text), LOAD_KB_PATH, &r, &err);
        rc_alloc_fail_after(-1);
        if (rc == 0)
            break;
        /* Jansson's lexer reports some failed allocations as a syntax
         * error: those are input errors; nothing else may happen */
        if (err.status != RC_EENV &&
            !(err.status == RC_EINPUT && strstr(err.msg, "invalid JSON")))
            fail_msg("allocation %ld: status %d: %s", n, err.status, err.msg);
    }
    test_counted_jansson(false);
    assert_true(n > 12 && n < 100000);
}

static void test_load_kb__expand_fills_placeholders(void **state)
{
    const char *names[] = { "km", "date" };
    const char *values[] = { "12.0", "2024-06-01" };
    char out[64], tiny[8];
    (void)state;
    assert_string_equal(load_expand("{km} km on {date}, {other} {", names,
                                    values, 2, out, sizeof(out)),
                        "12.0 km on 2024-06-01, {other} {");
    assert_string_equal(load_expand("{km} km on {date}", names, values, 2,
                                    tiny, sizeof(tiny)),
                        "12.0 km");
}

static void test_load_kb__fill_writes_numbers_as_the_template_says(void **state)
{
    struct load_vars v = { 0 };
    char out[160];
    (void)state;
    load_var(&v, "pct", LOAD_VAR_PCT, 56.25);
    load_var(&v, "threshold", LOAD_VAR_PCT, 10);
    load_var(&v, "ratio", LOAD_VAR_NUM, 1.5);
    load_var(&v, "date", LOAD_VAR_DAY, 19875); /* 2024-06-01 */
    load_var_words(&v, "base", "the 7 days before");
    assert_string_equal(load_fill("{pct} / {pct:+.1f}% (over {threshold:g}%)"
                                  ", {pct:.0f}, {ratio} {ratio:.2f}, {date},"
                                  " {base}, {nope:.1f}",
                                  &v, out, sizeof(out)),
                        "56.2 / +56.2% (over 10%), 56, 1.5 1.50, "
                        "2024-06-01, the 7 days before, {nope:.1f}");
}

/* Every warning says its figure and its chart line: text, JSON and SVG
 * print these, and hold no words of their own for any warning. */
static void test_load_kb__every_warning_has_its_words(void **state)
{
    struct load_rules r;
    struct rc_err err = RC_ERR_INIT;
    (void)state;
    assert_int_equal(load_rules_default(&r, &err), 0);
    for (int id = 0; id < LOAD_W_COUNT; id++) {
        assert_true(strlen(r.warn[id].text) > 40);
        assert_true(strlen(r.warn[id].figure) > 0);
        assert_true(strlen(r.warn[id].chart) > 0);
        assert_string_equal(load_warning_name((enum load_warning_id)id),
                            load_warning_specs[id].id);
    }
    assert_non_null(strstr(r.weekly_legend, "{threshold}"));
    for (int f = 0; f < LOAD_FACT_COUNT; f++) {
        assert_true(strlen(r.why[f].text) > 20);
        assert_int_equal(r.why[f].src.n, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_kb__rules_are_those_of_conditions_md),
        cmocka_unit_test(test_load_kb__both_parsers_give_the_same_rules),
        cmocka_unit_test(test_load_kb__sources_are_registry_ids),
        cmocka_unit_test(test_load_kb__broken_records_name_line_and_reason),
        cmocka_unit_test(test_load_kb__every_record_is_required),
        cmocka_unit_test(test_load_kb__duplicate_record_is_refused),
        cmocka_unit_test(test_load_kb__blank_lines_are_skipped_but_counted),
        cmocka_unit_test(test_load_kb__empty_and_unterminated_input),
        cmocka_unit_test(test_load_kb__each_allocation_failure_is_clean),
        cmocka_unit_test(test_load_kb__expand_fills_placeholders),
        cmocka_unit_test(test_load_kb__fill_writes_numbers_as_the_template_says),
        cmocka_unit_test(test_load_kb__every_warning_has_its_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
