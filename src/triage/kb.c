/* kb.c - loading and checking the knowledge base: kb/ (JSON Lines, read by
 * json/jsonl.c) and the two schemas. Every record is checked as it loads
 * (kb_records.c, kb_questions.c, rules in kb_rule.c); the first problem
 * stops the load with "FILE: line N: what":
 *     kb/conditions.jsonl: line 14: unknown report field "/pain/scor"
 * Checks: JSON syntax, known keys and their types, every report field
 * named exists in report.schema.json and every value compared with it is
 * one the schema allows, every source id is in sources.jsonl and every
 * source's host is on meta's list of primary or authoritative hosts, every
 * condition and red-flag id is one of result.schema.json's (and each of
 * those has a record), rules refer only to flags and terms defined above
 * them, plan blocks and classes named exist, every action has a class,
 * heat and cold actions keep to their limits, every question's choices
 * cover its field's values, every field a red flag reads can be asked, and
 * every `?` field a red flag reads is a priority question.
 *
 * Two ways in. kb_load_texts (`runcare check --kb DIR`) parses with
 * Jansson and runs every check above. kb_load_embedded (the kb built into
 * runcare) parses with jparse and skips the checks (L->check false): the
 * build ran them all on the very same bytes (kb_check_build, from
 * tools/kbcheck.c, before runcare is linked), so at run time only what the
 * engine needs is done, which keeps the kb load and the engine of a check
 * near 1 ms (bench/RESULTS.md).
 *
 * Files, read in this order (one JSON object per line; blank lines and
 * lines starting with '#' are skipped):
 *   meta.jsonl          {version, disclaimer, bands{likely, possible},
 *                        hide_below, temperature, max_conditions,
 *                        unknown_values[], from_log{}, source_hosts[],
 *                        source_ids}
 *   sources.jsonl       {id, kind, title, url}
 *   sets.jsonl          {id, field, values[]}              e.g. LOWER_LEG
 *   texts.jsonl         {id, text}   what the engine says in its own voice
 *   terms.jsonl         {id, when}   derived terms, e.g. INJURY_EVENT
 *   levels.jsonl        {id, rank, semigran, title, headline,
 *                        recheck_hours, actions[]}
 *   red_flags.jsonl     {id, triage, label, when | forms[{triage, label,
 *                        when}], points_to?{lead[{id, when?}], best?,
 *                        second[]}, plan_blocks?[], source_ids}
 *   plan_classes.jsonl  {id, levels[], never_if?}  the level filter
 *   plans.jsonl         {id, from_hours, to_hours|null, label, actions[],
 *                        always?}; action {kind, class, text, why?,
 *                        source_ids, unless?, modality? heat|cold,
 *                        max_temp_c?, max_minutes?}
 *   conditions.jsonl    {id, name, triage, prior?, applies_if?, features[
 *                        {when, weight | factor, reason, source_ids?}],
 *                        grades?[{when, triage, reason}], escalations?[...],
 *                        plan_blocks[], recheck{after_hours,
 *                        expected_course, escalate_if[]}, return?{...},
 *                        source_ids}
 *   corrections.jsonl   {id, common_advice, correction, source_ids,
 *                        shown_with[], topics[], supports_urgent?, when?}
 *   questions.jsonl     (kb_questions.c)
 *   courses.jsonl, escalations.jsonl and course.schema.json: a recovery's
 *                       expected course and the rules of the diary
 *                       (kb_course.c)
 *   any other *.jsonl (load_guard.jsonl): JSON objects whose source_ids,
 *                        wherever they appear, must exist. */
#include "base/base.h"
#include "base/alloc.h"
#include "base/embedded.h"
#include "json/jalloc.h"
#include "json/jparse.h"
#include "json/jsonl.h"
#include "triage/kb_int.h"
#include "triage/kb_records.h"

typedef int (*record_fn)(struct loader *L, json_t *rec);

struct each_ctx {
    struct loader *L;
    record_fn fn;
};

static int each_one(void *ctx, json_t *rec, long line, struct rc_err *err)
{
    struct each_ctx *c = ctx;
    (void)err; /* the loader's own, c->L->err */
    c->L->line = line;
    /* on failure Jansson has already released rec */
    if (json_array_append_new(c->L->kb->keep, rec) < 0)
        return kb_oom(c->L);
    return c->fn(c->L, rec);
}

static int each_record(struct loader *L, const struct kb_text *f,
                       record_fn fn)
{
    struct each_ctx c = { L, fn };
    L->file = f->name;
    L->line = 0;
    return jsonl_each_shared(f->name, f->data, f->len,
                             L->check ? JSONL_JANSSON : JSONL_JPARSE,
                             L->shared, each_one, &c, L->err);
}

/* every "source_ids" list anywhere inside v */
static int check_sources_deep(struct loader *L, const json_t *v)
{
    const char *key;
    json_t *x;
    size_t i;
    if (json_is_object(v)) {
        json_object_foreach((json_t *)v, key, x) {
            if (!strcmp(key, "source_ids")) {
                if (kb_check_sources(L, x, false) < 0)
                    return -1;
            } else if (check_sources_deep(L, x) < 0) {
                return -1;
            }
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, x) {
            if (check_sources_deep(L, x) < 0)
                return -1;
        }
    }
    return 0;
}

static int rec_other(struct loader *L, json_t *rec)
{
    return check_sources_deep(L, rec);
}

static const struct {
    const char *name;
    record_fn fn;
    enum kb_stage stage;
} kb_files[] = {
    { "meta.jsonl", kb_rec_meta, KB_STAGE_PLAIN },
    { "sources.jsonl", kb_rec_source, KB_STAGE_PLAIN },
    { "sets.jsonl", kb_rec_set, KB_STAGE_PLAIN },
    { "texts.jsonl", kb_rec_text, KB_STAGE_PLAIN },
    { "terms.jsonl", kb_rec_term, KB_STAGE_PLAIN },
    { "levels.jsonl", kb_rec_level, KB_STAGE_PLAIN },
    { "red_flags.jsonl", kb_rec_flag, KB_STAGE_FLAGS },
    { "plan_classes.jsonl", kb_rec_class, KB_STAGE_CONDS },
    { "plans.jsonl", kb_rec_block, KB_STAGE_PLANS },
    { "conditions.jsonl", kb_rec_condition, KB_STAGE_CONDS },
    { "corrections.jsonl", kb_rec_correction, KB_STAGE_PLANS },
    { "questions.jsonl", kb_rec_question, KB_STAGE_CONDS },
    { "courses.jsonl", kb_rec_course, KB_STAGE_CONDS },
    { "escalations.jsonl", kb_rec_escalation, KB_STAGE_CONDS },
};

static const struct kb_text *find_text(const struct kb_text *files, size_t n,
                                       const char *base)
{
    for (size_t i = 0; i < n; i++) {
        const char *slash = strrchr(files[i].name, '/');
        const char *b = slash ? slash + 1 : files[i].name;
        if (!strcmp(b, base))
            return &files[i];
    }
    return NULL;
}

/* ---- checks only the whole kb allows ---- */

static int has_record(const struct loader *L, const char *kind,
                      const char *id)
{
    if (!strcmp(kind, "red_flag_id"))
        return kb_flag_index(L->kb, L->kb->nflags, id) >= 0;
    return kb_condition_index(L->kb, id) >= 0;
}

/* `?` leaves (or_unknown) of a rule, into out. */
static void unknown_fields(const struct rule *r, struct ptrset *out)
{
    if (r->or_unknown)
        ptrset_add(out, r->field);
    if (r->op == RULE_TERM)
        unknown_fields(r->term, out);
    for (size_t i = 0; i < r->nkids; i++)
        unknown_fields(r->kids[i], out);
}

/* An object field (/injury) is asked when a question asks a field in it. */
static bool object_asked(const struct kb *kb, const char *field)
{
    size_t n = strlen(field);
    for (size_t i = 0; i < kb->nquestions; i++)
        if (!strncmp(kb->questions[i].pub.field, field, n) &&
            kb->questions[i].pub.field[n] == '/')
            return true;
    return false;
}

static int flag_fields_asked(struct loader *L, const struct kb_flag *f,
                             const char *questions_name)
{
    for (size_t m = 0; m < f->nforms; m++) {
        struct ptrset fields = { { 0 }, 0 }, unk = { { 0 }, 0 };
        rule_fields(f->forms[m].when, &fields);
        unknown_fields(f->forms[m].when, &unk);
        for (size_t k = 0; k < fields.n; k++) {
            const struct kb_q *q = kb_question_of(L->kb, fields.v[k]);
            L->file = questions_name;
            if (!q && !object_asked(L->kb, fields.v[k]) &&
                strcmp(fields.v[k], "/age_years") &&
                strcmp(fields.v[k], "/sex"))
                return kb_failf(L, "red flag \"%s\" reads %s, which no "
                                   "question asks",
                                f->id, fields.v[k]);
            if (q && ptrset_has(&unk, fields.v[k]) && !q->priority &&
                q->pub.required == false &&
                strncmp(fields.v[k], "/screen/", 8))
                return kb_failf(L, "red flag \"%s\" counts %s when "
                                   "unanswered: its question must be "
                                   "\"priority\"",
                                f->id, fields.v[k]);
        }
    }
    return 0;
}

static int whole_kb_checks(struct loader *L, const struct kb_text *files,
                           size_t nfiles)
{
    static const char *const kinds[] = { "red_flag_id", "condition_id" };
    static const char *const homes[] = { "red_flags.jsonl",
                                         "conditions.jsonl" };
    struct kb *kb = L->kb;
    size_t i;
    json_t *e;

    L->line = 0;
    for (size_t k = 0; k < 2; k++)
        json_array_foreach(kb_schema_enum(kb->result_schema, kinds[k]), i, e) {
            if (!has_record(L, kinds[k], json_string_value(e))) {
                L->file = find_text(files, nfiles, homes[k])->name;
                return kb_failf(L, "%s \"%s\" of result.schema.json has no "
                                   "record",
                                k ? "condition" : "red flag",
                                json_string_value(e));
            }
        }
    for (i = 0; i < kb->nflags; i++)
        if (flag_fields_asked(L, &kb->flags[i],
                              find_text(files, nfiles, "questions.jsonl")
                                  ->name) < 0)
            return -1;
    return 0;
}

/* Every rule's leaves learn which question asks their field (the
 * questions are read last): three-valued evaluation asks whether that
 * question applies, for each unanswered leaf. */
static void link_questions(struct kb *kb)
{
    for (size_t i = 0; i < kb->nterms; i++)
        rule_link_questions(kb, kb->terms[i].when);
    for (size_t i = 0; i < kb->nflags; i++) {
        const struct kb_flag *f = &kb->flags[i];
        for (size_t m = 0; m < f->nforms; m++)
            rule_link_questions(kb, f->forms[m].when);
    }
    for (size_t i = 0; i < kb->nconds; i++) {
        const struct kb_condition *c = &kb->conds[i];
        rule_link_questions(kb, c->applies);
        for (size_t k = 0; k < c->nfeatures; k++)
            rule_link_questions(kb, c->features[k].when);
        for (size_t k = 0; k < c->ngrades; k++)
            rule_link_questions(kb, c->grades[k].when);
        for (size_t k = 0; k < c->nescalations; k++)
            rule_link_questions(kb, c->escalations[k].when);
    }
    for (size_t i = 0; i < kb->nquestions; i++)
        rule_link_questions(kb, kb->questions[i].ask_if);
}

/* Once every file is read: each level has its record (the engine indexes
 * them), the texts the engine needs exist, the flags' names resolve, then
 * the whole-kb checks when checking. */
static int final_checks(struct loader *L, const struct kb_text *files,
                        size_t nfiles)
{
    static const char *const needed[] = {
        "headline_benign", "headline_flag", "headline_plain", "reason_flags",
        "reason_no_flag", "reason_top", "reason_escalated", "unknown_note",
        "unknown_fired", "fired_unknown_suffix", "band_likely",
        "band_possible", "band_less_likely", "plan_now", "plan_summary",
        "escalate_default", "return_cap",
    };
    struct kb *kb = L->kb;
    L->line = 0;
    kb_sort_sources(kb);
    for (size_t i = 0; i < 4; i++)
        if (!kb->levels[i].id) {
            L->file = find_text(files, nfiles, "levels.jsonl")->name;
            return kb_failf(L, "no record for level \"%s\"",
                            triage_level_name((enum triage_level)i));
        }
    for (size_t i = 0; i < RC_ARRAY_SIZE(needed); i++)
        if (!json_object_get(kb->texts, needed[i])) {
            L->file = find_text(files, nfiles, "texts.jsonl")->name;
            return kb_failf(L, "no text \"%s\"", needed[i]);
        }
    L->file = find_text(files, nfiles, "red_flags.jsonl")->name;
    if (kb_resolve_flags(L) < 0)
        return -1;
    L->file = find_text(files, nfiles, "questions.jsonl")->name;
    if (L->check && kb_check_groups(L) < 0)
        return -1;
    if (kb_index_questions(kb) < 0)
        return kb_oom(L);
    link_questions(kb);
    L->file = find_text(files, nfiles, "courses.jsonl")->name;
    if (kb_course_final(L) < 0)
        return -1;
    return L->check ? whole_kb_checks(L, files, nfiles) : 0;
}

void kb_free(struct kb *kb)
{
    if (!kb)
        return;
    kb_records_free(kb);
    kb_questions_free(kb);
    kb_courses_free(kb);
    json_decref(kb->keep);
    rc_free(kb->sources);
    json_decref(kb->sets);
    json_decref(kb->texts);
    json_decref(kb->report_schema);
    json_decref(kb->result_schema);
    free(kb);
}

static json_t *load_schema(const struct kb_text *t, bool check,
                           struct rc_err *err)
{
    json_error_t je;
    struct jparse_error pe;
    json_t *s;
    if (!check) {
        if (!(s = jparse_load(t->data, t->len, &pe))) {
            if (pe.oom)
                rc_fail(err, RC_EENV, "out of memory");
            else
                rc_fail_at(err, (long)pe.offset, "invalid JSON: %s", pe.msg);
            rc_err_file(err, t->name);
            return NULL;
        }
    } else if (!(s = json_loadb(t->data, t->len, JSON_REJECT_DUPLICATES,
                                &je))) {
        rc_fail_line(err, je.line, je.column, "invalid JSON: %s", je.text);
        rc_err_file(err, t->name);
        return NULL;
    }
    if (check && jschema_check(s, err) < 0) {
        rc_err_file(err, t->name);
        json_decref(s);
        return NULL;
    }
    return s;
}

static int load_files(struct loader *L, const struct kb_text *files,
                      size_t n)
{
    const struct kb_text *t;
    for (size_t i = 0; i < RC_ARRAY_SIZE(kb_files); i++) {
        if (!(t = find_text(files, n, kb_files[i].name)))
            return rc_fail(L->err, RC_EINPUT, "the knowledge base has no %s",
                           kb_files[i].name);
        L->stage = kb_files[i].stage;
        L->nflags_defined = L->stage == KB_STAGE_FLAGS ? 0 : L->kb->nflags;
        if (each_record(L, t, kb_files[i].fn) < 0)
            return -1;
        if (!strcmp(kb_files[i].name, "meta.jsonl") && !L->kb->meta) {
            L->line = 0;
            return kb_failf(L, "no record");
        }
    }
    /* the other files (load_guard.jsonl) are only checked: their source ids */
    for (size_t i = 0; L->check && i < n; i++) {
        const char *slash = strrchr(files[i].name, '/');
        const char *b = slash ? slash + 1 : files[i].name;
        size_t len = strlen(b);
        bool known = false;
        for (size_t k = 0; k < RC_ARRAY_SIZE(kb_files); k++)
            if (!strcmp(b, kb_files[k].name))
                known = true;
        if (known || len < 6 || strcmp(b + len - 6, ".jsonl"))
            continue;
        if (each_record(L, &files[i], rec_other) < 0)
            return -1;
    }
    return 0;
}

static struct kb *kb_load_values(const struct kb_text *files, size_t n,
                                 bool check, struct rc_err *err);

/* The kb's values are made once and kept: they are carved out of an
 * arena rather than malloc'd one by one (json/jalloc.h). */
static struct kb *kb_load(const struct kb_text *files, size_t n, bool check,
                          struct rc_err *err)
{
    struct kb *kb;
    jalloc_arena_begin();
    kb = kb_load_values(files, n, check, err);
    jalloc_arena_end();
    return kb;
}

static struct kb *kb_load_values(const struct kb_text *files, size_t n,
                                 bool check, struct rc_err *err)
{
    struct kb *kb = kb_zalloc(1, sizeof(*kb));
    struct jparse_strings *shared = check ? NULL : kb_zalloc(1, sizeof(*shared));
    struct loader L = { kb, shared, "", 0, err, KB_STAGE_PLAIN, 0, check, NULL };
    const struct kb_text *t;
    struct kb *ok = NULL;

    if (!kb || (!check && !shared) || !(kb->keep = json_array()) ||
        !(kb->sets = json_object()) || !(kb->texts = json_object())) {
        rc_fail(err, RC_EENV, "out of memory");
        goto done;
    }
    if (!(t = find_text(files, n, "report.schema.json")) ||
        !(kb->report_schema = load_schema(t, check, err)) ||
        !(t = find_text(files, n, "result.schema.json")) ||
        !(kb->result_schema = load_schema(t, check, err)) ||
        !(t = find_text(files, n, "course.schema.json")) ||
        !(kb->course_schema = load_schema(t, check, err))) {
        if (err->status == RC_OK)
            rc_fail(err, RC_EINPUT, "the knowledge base has no %s",
                    !kb->report_schema   ? "report.schema.json"
                    : !kb->result_schema ? "result.schema.json"
                                         : "course.schema.json");
        goto done;
    }
    if (load_files(&L, files, n) == 0 && final_checks(&L, files, n) == 0) {
        ok = kb;
        kb = NULL;
    }
done:
    if (shared)
        jparse_strings_release(shared);
    rc_free(shared);
    kb_free(kb);
    return ok;
}

size_t kb_embedded_texts(struct kb_text *files, size_t cap)
{
    size_t n = 0;
    for (const struct rc_embedded *e = rc_embedded_files; e->path; e++) {
        if (strncmp(e->path, "kb/", 3))
            continue;
        if (n < cap) {
            files[n].name = e->path;
            files[n].data = (const char *)e->data;
            files[n].len = e->size;
        }
        n++;
    }
    return n;
}

struct kb *kb_load_embedded(struct rc_err *err)
{
    struct kb_text files[KB_FILES_MAX];
    size_t n = kb_embedded_texts(files, RC_ARRAY_SIZE(files));
    if (n > RC_ARRAY_SIZE(files)) {
        rc_fail(err, RC_EENV, "the built-in kb has %zu files, more than %zu",
                n, RC_ARRAY_SIZE(files));
        return NULL;
    }
    return kb_load(files, n, false, err);
}

/* Jansson and jparse read the same value from text[0..n): 0, or -1 with
 * err saying what differs. */
static int same_both_ways(const char *name, long line, const char *text,
                          size_t n, struct rc_err *err)
{
    struct jparse_error pe;
    json_error_t je;
    json_t *a = json_loadb(text, n, JSON_REJECT_DUPLICATES, &je);
    json_t *b = jparse_load(text, n, &pe);
    int rc = 0;
    if (!b)
        rc = rc_fail_line(err, line, 0,
                          "jparse cannot read what Jansson reads (at byte "
                          "%zu: %s)",
                          pe.offset, pe.msg);
    else if (!a || !jparse_same(a, b))
        rc = rc_fail_line(err, line, 0, "jparse and Jansson read different "
                                        "values");
    if (rc < 0)
        rc_err_file(err, name);
    json_decref(a);
    json_decref(b);
    return rc;
}

int kb_check_build(const struct kb_text *files, size_t n, struct rc_err *err)
{
    struct kb *kb = kb_load_texts(files, n, err);
    if (!kb)
        return -1;
    kb_free(kb);
    for (size_t i = 0; i < n; i++) {
        const char *p = files[i].data, *end = p + files[i].len;
        size_t len = strlen(files[i].name);
        long line = 0;
        if (len > 5 && !strcmp(files[i].name + len - 5, ".json")) {
            if (same_both_ways(files[i].name, 0, p, files[i].len, err) < 0)
                return -1;
            continue;
        }
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t k = nl ? (size_t)(nl - p) : (size_t)(end - p);
            line++;
            if (!jsonl_blank(p, k) &&
                same_both_ways(files[i].name, line, p, k, err) < 0)
                return -1;
            p += k + (nl ? 1 : 0);
        }
    }
    if (!(kb = kb_load(files, n, false, err)))
        return -1;
    kb_free(kb);
    return 0;
}

struct kb *kb_load_texts(const struct kb_text *files, size_t n,
                         struct rc_err *err)
{
    return kb_load(files, n, true, err);
}

/* ---- what the rest of runcare reads ---- */

const char *kb_version(const struct kb *kb) { return kb->version; }
const json_t *kb_report_schema(const struct kb *kb)
{
    return kb->report_schema;
}
const json_t *kb_result_schema(const struct kb *kb)
{
    return kb->result_schema;
}
size_t kb_count_red_flags(const struct kb *kb) { return kb->nflags; }
size_t kb_count_conditions(const struct kb *kb) { return kb->nconds; }
const char *kb_level_headline(const struct kb *kb, enum triage_level level)
{
    return kb->levels[(unsigned)level < 4 ? level : 0].headline;
}
const char *kb_text(const struct kb *kb, const char *id)
{
    const char *s = json_string_value(json_object_get(kb->texts, id));
    return s ? s : "";
}
int kb_condition_index(const struct kb *kb, const char *id)
{
    for (size_t i = 0; id && i < kb->nconds; i++)
        if (!strcmp(kb->conds[i].id, id))
            return (int)i;
    return -1;
}
