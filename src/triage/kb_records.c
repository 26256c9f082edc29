/* kb_records.c - one loader per kind of kb record (the file layout is in
 * kb.c). Each checks its record as it compiles it; the first problem stops
 * the load with "FILE: line N: what". On the built-in kb (L->check false)
 * the checks were run at build time and only what the engine needs is
 * done. */
#include "base/base.h"
#include "base/alloc.h"
#include "triage/kb_int.h"
#include "triage/kb_records.h"

static const char *const level_names[] = { "self_care", "see_clinician",
                                           "urgent", "emergency" };

int triage_level_parse(const char *name)
{
    for (int i = 0; i < 4; i++)
        if (name && !strcmp(name, level_names[i]))
            return i;
    return -1;
}

const char *triage_level_name(enum triage_level level)
{
    return (unsigned)level < 4 ? level_names[level] : "self_care";
}

/* Append one zeroed element to *v (n elements of size). */
int kb_grow(struct loader *L, void **v, size_t *n, size_t size)
{
    void *p = rc_realloc(*v, (*n + 1) * size);
    if (!p)
        return kb_oom(L);
    memset((char *)p + *n * size, 0, size);
    *v = p;
    (*n)++;
    return 0;
}

/* ---- meta, sources, sets, texts, terms ---- */

int kb_rec_meta(struct loader *L, json_t *rec)
{
    static const char *const keys[] = {
        "version", "disclaimer", "bands", "hide_below", "max_conditions",
        "temperature", "unknown_values", "from_log", "source_hosts",
        "source_ids", NULL
    };
    struct kb *kb = L->kb;
    const json_t *bands = json_object_get(rec, "bands");
    const char *v;
    double maxc = 0;
    if (kb->meta)
        return kb_failf(L, "meta.jsonl holds one record");
    if (kb_check_keys(L, rec, keys) < 0 ||
        !(v = kb_need_str(L, rec, "version")) ||
        !kb_need_str(L, rec, "disclaimer") ||
        kb_need_num(L, rec, "temperature", &kb->temperature) < 0 ||
        kb_need_num(L, bands, "likely", &kb->band_likely) < 0 ||
        kb_need_num(L, bands, "possible", &kb->band_possible) < 0 ||
        kb_need_num(L, rec, "hide_below", &kb->hide_below) < 0 ||
        kb_need_num(L, rec, "max_conditions", &maxc) < 0)
        return -1;
    if (strlen(json_string_value(json_object_get(rec, "disclaimer"))) < 20)
        return kb_failf(L, "the disclaimer is too short");
    if (kb->temperature <= 0)
        return kb_failf(L, "\"temperature\" must be above 0");
    if (maxc < 1 || maxc > 8 || maxc != floor(maxc))
        return kb_failf(L, "\"max_conditions\" must be 1-8");
    if (!(kb->band_likely > kb->band_possible &&
          kb->band_possible > kb->hide_below && kb->hide_below >= 0))
        return kb_failf(L, "bands must fall: likely > possible > hide_below "
                           ">= 0");
    kb->unknown_values = json_object_get(rec, "unknown_values");
    kb->from_log = json_object_get(rec, "from_log");
    if (!json_is_array(kb->unknown_values) ||
        !json_is_object(kb->from_log) ||
        !json_is_array(json_object_get(rec, "source_hosts")))
        return kb_failf(L, "\"unknown_values\" and \"source_hosts\" must be "
                           "lists, \"from_log\" an object");
    kb->max_conditions = (size_t)maxc;
    snprintf(kb->version, sizeof(kb->version), "%s", v);
    kb->meta = rec;
    return 0;
}

/* The host of an http(s) URL into out ("www.nhs.uk"); false if none. */
static bool url_host(const char *url, char *out, size_t n)
{
    const char *p = strstr(url, "://"), *end;
    size_t len;
    if (!p || (strncmp(url, "https://", 8) && strncmp(url, "http://", 7)))
        return false;
    p += 3;
    end = p + strcspn(p, "/?#:");
    len = (size_t)(end - p);
    if (!len || len >= n)
        return false;
    memcpy(out, p, len);
    out[len] = '\0';
    return true;
}

/* A host is allowed when meta's list names it or a domain it ends in
 * (".nhs.uk" allows "www.nhs.uk"). One list: meta.jsonl "source_hosts". */
static bool host_allowed(const json_t *hosts, const char *host)
{
    size_t i, hl = strlen(host);
    json_t *e;
    json_array_foreach(hosts, i, e) {
        const char *h = json_string_value(e);
        size_t n = h ? strlen(h) : 0;
        if (!n)
            continue;
        if (h[0] == '.' ? (hl > n && !strcmp(host + hl - n, h)) ||
                              !strcmp(host, h + 1)
                        : !strcmp(host, h))
            return true;
    }
    return false;
}

static int add_source(struct loader *L, const char *id, const json_t *rec)
{
    struct kb *kb = L->kb;
    struct kb_source *p = rc_realloc(kb->sources,
                                     (kb->nsources + 1) * sizeof(*p));
    if (!p)
        return kb_oom(L);
    kb->sources = p;
    p[kb->nsources].id = id;
    p[kb->nsources].rec = rec;
    kb->nsources++;
    return 0;
}

static int cmp_source(const void *a, const void *b)
{
    return strcmp(((const struct kb_source *)a)->id,
                  ((const struct kb_source *)b)->id);
}

void kb_sort_sources(struct kb *kb)
{
    qsort(kb->sources, kb->nsources, sizeof(*kb->sources), cmp_source);
    kb->sources_sorted = true;
}

/* By id: a binary search once sorted, a scan while loading. */
const json_t *kb_source(const struct kb *kb, const char *id)
{
    size_t lo = 0, hi = kb->nsources;
    if (!id)
        return NULL;
    if (!kb->sources_sorted) {
        for (size_t i = 0; i < kb->nsources; i++)
            if (!strcmp(kb->sources[i].id, id))
                return kb->sources[i].rec;
        return NULL;
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(kb->sources[mid].id, id);
        if (!c)
            return kb->sources[mid].rec;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

int kb_rec_source(struct loader *L, json_t *rec)
{
    static const char *const keys[] = { "id", "kind", "title", "url", NULL };
    const char *id, *url;
    const json_t *kinds;
    char host[128];
    if (kb_check_keys(L, rec, keys) < 0 || !(id = kb_need_str(L, rec, "id")) ||
        !kb_need_str(L, rec, "title") || !(url = kb_need_str(L, rec, "url")) ||
        !kb_need_str(L, rec, "kind"))
        return -1;
    if (!L->check)
        return add_source(L, id, rec);
    for (const char *c = id; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
              *c == '_'))
            return kb_failf(L, "source id \"%s\" may only use a-z, 0-9 and _",
                            id);
    if (!url_host(url, host, sizeof(host)))
        return kb_failf(L, "source \"%s\": \"%s\" is not an http(s) URL", id,
                        url);
    if (!host_allowed(json_object_get(L->kb->meta, "source_hosts"), host))
        return kb_failf(L, "source \"%s\": %s is not a primary or "
                           "authoritative host (meta.jsonl source_hosts)",
                        id, host);
    kinds = json_object_get(
        json_object_get(
            json_object_get(
                json_object_get(
                    json_object_get(json_object_get(L->kb->result_schema,
                                                    "properties"),
                                    "advice_sources"),
                    "items"),
                "properties"),
            "kind"),
        "enum");
    if (!kb_array_has_string(kinds,
                             json_string_value(json_object_get(rec, "kind"))))
        return kb_failf(L, "source kind \"%s\" is not one of the result "
                           "schema's",
                        json_string_value(json_object_get(rec, "kind")));
    if (kb_source(L->kb, id))
        return kb_failf(L, "duplicate source \"%s\"", id);
    return add_source(L, id, rec);
}

int kb_rec_set(struct loader *L, json_t *rec)
{
    static const char *const keys[] = { "id", "field", "values", "note",
                                        NULL };
    const char *id, *field;
    struct finfo fi;
    size_t i;
    json_t *e;
    if (kb_check_keys(L, rec, keys) < 0 || !(id = kb_need_str(L, rec, "id")) ||
        !(field = kb_need_str(L, rec, "field")))
        return -1;
    if (!json_is_array(json_object_get(rec, "values")) ||
        !json_array_size(json_object_get(rec, "values")))
        return kb_failf(L, "\"values\" must be a non-empty list");
    if (L->check) {
        if (kb_field_info(L->kb->report_schema, field, &fi) < 0)
            return kb_failf(L, "unknown report field \"%s\"", field);
        json_array_foreach(json_object_get(rec, "values"), i, e) {
            if (kb_value_ok(L, field, &fi, e) < 0)
                return -1;
        }
        if (json_object_get(L->kb->sets, id))
            return kb_failf(L, "duplicate set \"%s\"", id);
    }
    return json_object_set(L->kb->sets, id, rec) < 0 ? kb_oom(L) : 0;
}

int kb_rec_text(struct loader *L, json_t *rec)
{
    static const char *const keys[] = { "id", "text", "note", NULL };
    const char *id, *text;
    if (kb_check_keys(L, rec, keys) < 0 || !(id = kb_need_str(L, rec, "id")) ||
        !(text = kb_need_str(L, rec, "text")))
        return -1;
    if (L->check && json_object_get(L->kb->texts, id))
        return kb_failf(L, "duplicate text \"%s\"", id);
    return json_object_set(L->kb->texts, id, json_object_get(rec, "text")) < 0
               ? kb_oom(L)
               : 0;
}

int kb_rec_term(struct loader *L, json_t *rec)
{
    static const char *const keys[] = { "id", "when", "note", "source_ids",
                                        NULL };
    struct kb_term t = { NULL, NULL };
    if (kb_check_keys(L, rec, keys) < 0 || !(t.id = kb_need_str(L, rec, "id")) ||
        kb_check_sources(L, json_object_get(rec, "source_ids"), false) < 0)
        return -1;
    for (size_t i = 0; L->check && i < L->kb->nterms; i++)
        if (!strcmp(L->kb->terms[i].id, t.id))
            return kb_failf(L, "duplicate term \"%s\"", t.id);
    if (!(t.when = kb_compile_key(L, rec, "when")))
        return -1;
    if (kb_grow(L, (void **)&L->kb->terms, &L->kb->nterms, sizeof(t)) < 0) {
        rule_free(t.when);
        return -1;
    }
    L->kb->terms[L->kb->nterms - 1] = t;
    return 0;
}

/* ---- levels ---- */

int kb_check_actions(struct loader *L, const json_t *acts, bool classed);

int kb_rec_level(struct loader *L, json_t *rec)
{
    static const char *const keys[] = { "id", "rank", "semigran", "title",
                                        "headline", "recheck_hours",
                                        "actions", NULL };
    int lv;
    struct kb_level *l;
    const json_t *sg = json_object_get(
        json_object_get(json_object_get(L->kb->result_schema, "properties"),
                        "semigran_level"),
        "enum");
    if (kb_check_keys(L, rec, keys) < 0 || kb_need_level(L, rec, "id", &lv) < 0)
        return -1;
    l = &L->kb->levels[lv];
    if (l->id)
        return kb_failf(L, "duplicate level \"%s\"", level_names[lv]);
    if (json_integer_value(json_object_get(rec, "rank")) != lv ||
        !json_is_integer(json_object_get(rec, "rank")))
        return kb_failf(L, "\"rank\" of %s must be %d", level_names[lv], lv);
    if (!(l->semigran = kb_need_str(L, rec, "semigran")) ||
        !(l->title = kb_need_str(L, rec, "title")) ||
        !(l->headline = kb_need_str(L, rec, "headline")) ||
        kb_need_num(L, rec, "recheck_hours", &l->recheck_h) < 0 ||
        kb_check_actions(L, json_object_get(rec, "actions"), false) < 0)
        return -1;
    if (!kb_array_has_string(sg, l->semigran))
        return kb_failf(L, "\"%s\" is not a Semigran level", l->semigran);
    l->id = level_names[lv];
    l->actions = json_object_get(rec, "actions");
    return 0;
}

/* ---- red flags ---- */

static void flag_release(struct kb_flag *f)
{
    for (size_t i = 0; i < f->nforms; i++)
        rule_free(f->forms[i].when);
    for (size_t i = 0; i < f->nlead; i++)
        rule_free(f->lead[i].when);
    for (size_t i = 0; i < f->nsecond; i++)
        rule_free(f->second[i].when);
    for (size_t i = 0; i < f->nbest; i++)
        rule_free(f->best[i].when);
    free(f->forms);
    free(f->lead);
    free(f->best);
    free(f->second);
    free(f->blocks);
}

static int flag_form(struct loader *L, const json_t *rec, bool item,
                     struct kb_form *form)
{
    static const char *const keys[] = { "triage", "label", "when", "note",
                                        NULL };
    if ((item && kb_check_keys(L, rec, keys) < 0) ||
        !(form->label = kb_need_str(L, rec, "label")) ||
        kb_need_level(L, rec, "triage", &form->level) < 0 ||
        !(form->when = kb_compile_key(L, rec, "when")))
        return -1;
    return 0;
}

/* "lead"/"best"/"second": [{"id": condition, "when"?: rule}...]. The condition
 * ids are resolved once conditions.jsonl is read (kb_resolve_flags). */
static int flag_points(struct loader *L, const json_t *list,
                       struct kb_point **out, size_t *n)
{
    static const char *const keys[] = { "id", "when", NULL };
    size_t i;
    json_t *e;
    if (!list)
        return 0;
    if (!json_is_array(list))
        return kb_failf(L, "\"points_to\" lists must be lists");
    if (!json_array_size(list))
        return 0;
    if (!(*out = kb_zalloc(json_array_size(list), sizeof(**out))))
        return kb_oom(L);
    json_array_foreach(list, i, e) {
        if (!json_is_object(e) || kb_check_keys(L, e, keys) < 0 ||
            !kb_need_str(L, e, "id"))
            return L->err->status ? -1 : kb_failf(L, "a point must be an "
                                                     "object");
        (*out)[i].cond = -1;
        if (json_object_get(e, "when") &&
            !((*out)[i].when = kb_compile_key(L, e, "when")))
            return -1;
        *n = i + 1;
    }
    return 0;
}

static int cmp_forms(const void *a, const void *b)
{
    const struct kb_form *x = a, *y = b;
    return y->level - x->level;
}

int kb_rec_flag(struct loader *L, json_t *rec)
{
    static const char *const keys[] = { "id", "label", "triage", "when",
                                        "forms", "points_to", "plan_blocks",
                                        "source_ids", "note", NULL };
    static const char *const pkeys[] = { "lead", "best", "second", NULL };
    struct kb_flag f = { 0 };
    const json_t *forms = json_object_get(rec, "forms");
    const json_t *pt = json_object_get(rec, "points_to");
    size_t i;
    json_t *e;

    if (kb_check_keys(L, rec, keys) < 0 || !(f.id = kb_need_str(L, rec, "id")) ||
        kb_check_sources(L, json_object_get(rec, "source_ids"), true) < 0)
        return -1;
    if (L->check &&
        !kb_array_has_string(kb_schema_enum(L->kb->result_schema,
                                            "red_flag_id"),
                             f.id))
        return kb_failf(L, "red flag id \"%s\" is not one of "
                           "result.schema.json's",
                        f.id);
    if (L->check && kb_flag_index(L->kb, L->kb->nflags, f.id) >= 0)
        return kb_failf(L, "duplicate red flag \"%s\"", f.id);
    if (L->check && forms &&
        (json_object_get(rec, "when") || json_object_get(rec, "triage") ||
         json_object_get(rec, "label")))
        return kb_failf(L, "a flag has \"forms\" or one triage, label and "
                           "when, not both");
    if (forms && (!json_is_array(forms) || !json_array_size(forms)))
        return kb_failf(L, "\"forms\" must be a non-empty list");
    f.nforms = forms ? json_array_size(forms) : 1;
    if (!(f.forms = kb_zalloc(f.nforms, sizeof(*f.forms))))
        return kb_oom(L);
    for (i = 0; i < f.nforms; i++)
        if (flag_form(L, forms ? json_array_get(forms, i) : rec,
                      forms != NULL, &f.forms[i]) < 0)
            goto fail;
    qsort(f.forms, f.nforms, sizeof(*f.forms), cmp_forms);
    for (i = 1; L->check && i < f.nforms; i++)
        if (f.forms[i].level == f.forms[i - 1].level) {
            kb_failf(L, "two forms of \"%s\" at one level", f.id);
            goto fail;
        }
    if (pt && (!json_is_object(pt) || kb_check_keys(L, pt, pkeys) < 0)) {
        if (!L->err->status)
            kb_failf(L, "\"points_to\" must be an object");
        goto fail;
    }
    if (flag_points(L, json_object_get(pt, "lead"), &f.lead, &f.nlead) < 0 ||
        flag_points(L, json_object_get(pt, "best"), &f.best, &f.nbest) < 0 ||
        flag_points(L, json_object_get(pt, "second"), &f.second,
                    &f.nsecond) < 0)
        goto fail;
    if (json_object_get(rec, "plan_blocks") &&
        !json_is_array(json_object_get(rec, "plan_blocks"))) {
        kb_failf(L, "\"plan_blocks\" must be a list of plan block ids");
        goto fail;
    }
    json_array_foreach(json_object_get(rec, "plan_blocks"), i, e) {
        if (!json_is_string(e)) {
            kb_failf(L, "\"plan_blocks\" must be a list of plan block ids");
            goto fail;
        }
    }
    f.source_ids = json_object_get(rec, "source_ids");
    f.rec = rec;
    if (kb_grow(L, (void **)&L->kb->flags, &L->kb->nflags, sizeof(f)) < 0)
        goto fail;
    L->kb->flags[L->kb->nflags - 1] = f;
    L->nflags_defined = L->kb->nflags;
    return 0;
fail:
    flag_release(&f);
    return -1;
}

/* ---- plan classes and plan blocks ---- */

int kb_rec_class(struct loader *L, json_t *rec)
{
    static const char *const keys[] = { "id", "levels", "never_if", "note",
                                        "source_ids", NULL };
    struct kb_class c = { 0 };
    size_t i;
    json_t *e;
    if (kb_check_keys(L, rec, keys) < 0 || !(c.id = kb_need_str(L, rec, "id")) ||
        kb_check_sources(L, json_object_get(rec, "source_ids"), false) < 0)
        return -1;
    if (!json_is_array(json_object_get(rec, "levels")) ||
        !json_array_size(json_object_get(rec, "levels")))
        return kb_failf(L, "\"levels\" must be a non-empty list of levels");
    json_array_foreach(json_object_get(rec, "levels"), i, e) {
        int lv = triage_level_parse(json_string_value(e));
        if (lv < 0)
            return kb_failf(L, "\"levels\": not a triage level");
        c.levels |= 1u << lv;
    }
    for (i = 0; L->check && i < L->kb->nclasses; i++)
        if (!strcmp(L->kb->classes[i].id, c.id))
            return kb_failf(L, "duplicate plan class \"%s\"", c.id);
    if (json_object_get(rec, "never_if") &&
        !(c.never_if = kb_compile_key(L, rec, "never_if")))
        return -1;
    if (kb_grow(L, (void **)&L->kb->classes, &L->kb->nclasses, sizeof(c)) < 0) {
        rule_free(c.never_if);
        return -1;
    }
    L->kb->classes[L->kb->nclasses - 1] = c;
    return 0;
}

static long class_index(const struct kb *kb, const char *id)
{
    for (size_t i = 0; id && i < kb->nclasses; i++)
        if (!strcmp(kb->classes[i].id, id))
            return (long)i;
    return -1;
}

/* Actions of a level (classed false) or of a plan block (each names its
 * class). Heat and cold state their limits, in the text too. */
int kb_check_actions(struct loader *L, const json_t *acts, bool classed)
{
    size_t i;
    json_t *a;
    static const char *const keys[] = { "kind", "class", "text", "why",
                                        "source_ids", "unless", "modality",
                                        "max_temp_c", "max_minutes", NULL };
    static const char *const kinds[] = { "seek_care", "do", "avoid",
                                         "monitor" };
    if (!json_is_array(acts))
        return kb_failf(L, "\"actions\" must be a list");
    if (!L->check)
        return 0;
    json_array_foreach(acts, i, a) {
        const char *mod, *kind;
        bool kind_ok = false;
        if (!json_is_object(a))
            return kb_failf(L, "an action must be an object");
        if (kb_check_keys(L, a, keys) < 0 || !kb_need_str(L, a, "text") ||
            kb_check_sources(L, json_object_get(a, "source_ids"), true) < 0)
            return -1;
        kind = json_string_value(json_object_get(a, "kind"));
        for (size_t k = 0; kind && k < RC_ARRAY_SIZE(kinds); k++)
            if (!strcmp(kind, kinds[k]))
                kind_ok = true;
        if (!kind_ok)
            return kb_failf(L, "action kind must be one of seek_care, do, "
                               "avoid, monitor");
        if (classed &&
            class_index(L->kb, json_string_value(json_object_get(a, "class"))) <
                0)
            return kb_failf(L, "an action needs a \"class\" of "
                               "plan_classes.jsonl");
        if (json_object_get(a, "why") && !kb_need_str(L, a, "why"))
            return -1;
        mod = json_string_value(json_object_get(a, "modality"));
        if (json_object_get(a, "modality") && !mod)
            return kb_failf(L, "\"modality\" must be heat or cold");
        if (mod && !strcmp(mod, "heat")) {
            double t = 0;
            char want[32];
            if (kb_need_num(L, a, "max_temp_c", &t) < 0)
                return -1;
            if (t > 40)
                return kb_failf(L, "heat above 40 °C (%g °C) can burn", t);
            snprintf(want, sizeof(want), "%g °C", t);
            if (!strstr(json_string_value(json_object_get(a, "text")), want))
                return kb_failf(L, "a heat action must state its limit \"%s\" "
                                   "in its text",
                                want);
        } else if (mod && !strcmp(mod, "cold")) {
            double m = 0;
            char want[32];
            if (kb_need_num(L, a, "max_minutes", &m) < 0)
                return -1;
            if (m > 20 || m < 10)
                return kb_failf(L, "cold for %g minutes: keep to 10-15, never "
                                   "over 20",
                                m);
            snprintf(want, sizeof(want), "%g minutes", m);
            if (!strstr(json_string_value(json_object_get(a, "text")), want))
                return kb_failf(L, "a cold action must state its limit \"%s\" "
                                   "in its text",
                                want);
        } else if (mod) {
            return kb_failf(L, "\"modality\" must be heat or cold, not \"%s\"",
                            mod);
        }
    }
    return 0;
}

static void block_release(struct kb_block *b)
{
    for (size_t k = 0; k < b->nactions; k++)
        rule_free(b->actions[k].unless);
    free(b->actions);
}

int kb_rec_block(struct loader *L, json_t *rec)
{
    static const char *const keys[] = { "id", "from_hours", "to_hours",
                                        "label", "actions", "always", "note",
                                        NULL };
    struct kb_block b = { 0 };
    const json_t *acts = json_object_get(rec, "actions"), *to, *a;
    size_t i;
    if (kb_check_keys(L, rec, keys) < 0 || !(b.id = kb_need_str(L, rec, "id")) ||
        !(b.label = kb_need_str(L, rec, "label")) ||
        kb_need_num(L, rec, "from_hours", &b.from_h) < 0 ||
        kb_check_actions(L, acts, true) < 0)
        return -1;
    if (!json_array_size(acts))
        return kb_failf(L, "a plan block needs at least one action");
    to = json_object_get(rec, "to_hours");
    if (json_is_null(to))
        b.to_h = NAN;
    else if (kb_need_num(L, rec, "to_hours", &b.to_h) < 0)
        return -1;
    if (b.from_h < 0 || (!isnan(b.to_h) && b.to_h <= b.from_h))
        return kb_failf(L, "the window %g-%g hours is empty", b.from_h, b.to_h);
    for (i = 0; L->check && i < L->kb->nblocks; i++)
        if (!strcmp(L->kb->blocks[i].id, b.id))
            return kb_failf(L, "duplicate plan block \"%s\"", b.id);
    b.always = json_is_true(json_object_get(rec, "always"));
    if (!(b.actions = kb_zalloc(json_array_size(acts), sizeof(*b.actions))))
        return kb_oom(L);
    json_array_foreach(acts, i, a) {
        long c = class_index(L->kb,
                             json_string_value(json_object_get(a, "class")));
        b.nactions = i + 1;
        b.actions[i].rec = a;
        if (c < 0) {
            block_release(&b);
            return kb_failf(L, "an action needs a \"class\" of "
                               "plan_classes.jsonl");
        }
        b.actions[i].cls = (size_t)c;
        if (json_object_get(a, "unless") &&
            !(b.actions[i].unless =
                  kb_compile(L, json_object_get(a, "unless")))) {
            block_release(&b);
            return -1;
        }
    }
    if (kb_grow(L, (void **)&L->kb->blocks, &L->kb->nblocks, sizeof(b)) < 0) {
        block_release(&b);
        return -1;
    }
    L->kb->blocks[L->kb->nblocks - 1] = b;
    return 0;
}

long kb_block_index(const struct kb *kb, const char *id)
{
    for (size_t k = 0; id && k < kb->nblocks; k++)
        if (!strcmp(kb->blocks[k].id, id))
            return (long)k;
    return -1;
}

/* ---- conditions ---- */

static void condition_release(struct kb_condition *c)
{
    rule_free(c->applies);
    for (size_t i = 0; i < c->nfeatures; i++)
        rule_free(c->features[i].when);
    for (size_t i = 0; i < c->ngrades; i++)
        rule_free(c->grades[i].when);
    for (size_t i = 0; i < c->nescalations; i++)
        rule_free(c->escalations[i].when);
    free(c->features);
    free(c->grades);
    free(c->escalations);
    free(c->blocks);
}

static int cond_features(struct loader *L, const json_t *feats,
                         struct kb_condition *c)
{
    static const char *const keys[] = { "when", "weight", "factor", "reason",
                                        "source_ids", NULL };
    size_t i;
    json_t *e;
    if (!json_is_array(feats) || !json_array_size(feats))
        return kb_failf(L, "\"features\" must be a non-empty list");
    if (!(c->features = kb_zalloc(json_array_size(feats),
                                  sizeof(*c->features))))
        return kb_oom(L);
    json_array_foreach(feats, i, e) {
        struct kb_feature *f = &c->features[i];
        const json_t *fac;
        if (!json_is_object(e))
            return kb_failf(L, "a feature must be an object");
        if (kb_check_keys(L, e, keys) < 0 ||
            !(f->reason = kb_need_str(L, e, "reason")) ||
            kb_check_sources(L, json_object_get(e, "source_ids"), false) < 0 ||
            !(f->when = kb_compile_key(L, e, "when")))
            return -1;
        c->nfeatures = i + 1;
        f->source_ids = json_object_get(e, "source_ids");
        if ((fac = json_object_get(e, "factor"))) {
            /* a factor on the share is T*ln(f) on the softmax score */
            if (!json_is_number(fac) || json_number_value(fac) <= 0 ||
                json_object_get(e, "weight"))
                return kb_failf(L, "a feature has a weight or a factor above "
                                   "0, not both");
            f->factor = true;
            f->weight = L->kb->temperature * log(json_number_value(fac));
        } else if (kb_need_num(L, e, "weight", &f->weight) < 0) {
            return -1;
        }
    }
    return 0;
}

static int cond_grades(struct loader *L, const json_t *list,
                       struct kb_grade **out, size_t *n)
{
    static const char *const keys[] = { "when", "triage", "reason", NULL };
    size_t i;
    json_t *e;
    if (!list)
        return 0;
    if (!json_is_array(list))
        return kb_failf(L, "\"grades\" and \"escalations\" must be lists");
    if (!(*out = kb_zalloc(json_array_size(list) + 1, sizeof(**out))))
        return kb_oom(L);
    json_array_foreach(list, i, e) {
        struct kb_grade *g = &(*out)[i];
        if (!json_is_object(e))
            return kb_failf(L, "a grade must be an object");
        if (kb_check_keys(L, e, keys) < 0 ||
            !(g->reason = kb_need_str(L, e, "reason")) ||
            kb_need_level(L, e, "triage", &g->level) < 0 ||
            !(g->when = kb_compile_key(L, e, "when")))
            return -1;
        *n = i + 1;
    }
    return 0;
}

static int cond_blocks(struct loader *L, const json_t *blocks,
                       struct kb_condition *c)
{
    size_t i;
    json_t *e;
    if (!json_is_array(blocks))
        return kb_failf(L, "\"plan_blocks\" must be a list of plan block ids");
    if (!(c->blocks = kb_zalloc(json_array_size(blocks) + 1,
                                sizeof(*c->blocks))))
        return kb_oom(L);
    json_array_foreach(blocks, i, e) {
        long k = kb_block_index(L->kb, json_string_value(e));
        if (k < 0)
            return kb_failf(L, "unknown plan block \"%s\"",
                            json_string_value(e) ? json_string_value(e) : "?");
        c->blocks[c->nblocks++] = (size_t)k;
    }
    return 0;
}

static int cond_recheck(struct loader *L, const json_t *rec,
                        struct kb_condition *c)
{
    static const char *const rkeys[] = { "after_hours", "expected_course",
                                         "escalate_if", NULL };
    static const char *const retkeys[] = { "not_before_days", "first_session",
                                           "progression_rule", "source_ids",
                                           NULL };
    double h = 0;
    c->recheck = json_object_get(rec, "recheck");
    if (!json_is_object(c->recheck) ||
        kb_check_keys(L, c->recheck, rkeys) < 0 ||
        kb_need_num(L, c->recheck, "after_hours", &h) < 0 || h < 0 ||
        !kb_need_str(L, c->recheck, "expected_course") ||
        !json_is_array(json_object_get(c->recheck, "escalate_if")) ||
        !json_array_size(json_object_get(c->recheck, "escalate_if")))
        return L->err->status ? -1
                              : kb_failf(L, "\"recheck\" needs after_hours, "
                                            "expected_course and escalate_if");
    c->ret = json_object_get(rec, "return");
    if (c->ret &&
        (!json_is_object(c->ret) || kb_check_keys(L, c->ret, retkeys) < 0 ||
         kb_check_sources(L, json_object_get(c->ret, "source_ids"), true) < 0))
        return L->err->status ? -1
                              : kb_failf(L, "\"return\" must be an object");
    return 0;
}

int kb_rec_condition(struct loader *L, json_t *rec)
{
    static const char *const keys[] = {
        "id", "name", "triage", "prior", "applies_if", "features", "grades",
        "escalations", "plan_blocks", "recheck", "return", "source_ids",
        "note", NULL
    };
    struct kb_condition c = { 0 };
    const json_t *prior = json_object_get(rec, "prior");
    if (kb_check_keys(L, rec, keys) < 0 || !(c.id = kb_need_str(L, rec, "id")) ||
        !(c.name = kb_need_str(L, rec, "name")) ||
        kb_need_level(L, rec, "triage", &c.level) < 0 ||
        kb_check_sources(L, json_object_get(rec, "source_ids"), true) < 0)
        return -1;
    if (L->check &&
        !kb_array_has_string(kb_schema_enum(L->kb->result_schema,
                                            "condition_id"),
                             c.id))
        return kb_failf(L, "condition id \"%s\" is not one of "
                           "result.schema.json's",
                        c.id);
    for (size_t i = 0; L->check && i < L->kb->nconds; i++)
        if (!strcmp(L->kb->conds[i].id, c.id))
            return kb_failf(L, "duplicate condition \"%s\"", c.id);
    if (prior && !json_is_number(prior))
        return kb_failf(L, "\"prior\" must be a number");
    c.prior = prior ? json_number_value(prior) : 0;
    c.source_ids = json_object_get(rec, "source_ids");
    if ((json_object_get(rec, "applies_if") &&
         !(c.applies = kb_compile_key(L, rec, "applies_if"))) ||
        cond_features(L, json_object_get(rec, "features"), &c) < 0 ||
        cond_grades(L, json_object_get(rec, "grades"), &c.grades,
                    &c.ngrades) < 0 ||
        cond_grades(L, json_object_get(rec, "escalations"), &c.escalations,
                    &c.nescalations) < 0 ||
        cond_blocks(L, json_object_get(rec, "plan_blocks"), &c) < 0 ||
        cond_recheck(L, rec, &c) < 0 ||
        kb_grow(L, (void **)&L->kb->conds, &L->kb->nconds, sizeof(c)) < 0) {
        condition_release(&c);
        return -1;
    }
    L->kb->conds[L->kb->nconds - 1] = c;
    return 0;
}

/* ---- corrections ---- */

int kb_rec_correction(struct loader *L, json_t *rec)
{
    static const char *const keys[] = {
        "id", "common_advice", "correction", "source_ids", "shown_with",
        "topics", "supports_urgent", "when", "note", NULL
    };
    struct kb_correction c = { rec, NULL, NULL, NULL, false };
    size_t i;
    json_t *e;
    if (kb_check_keys(L, rec, keys) < 0 || !kb_need_str(L, rec, "id") ||
        !kb_need_str(L, rec, "common_advice") ||
        !kb_need_str(L, rec, "correction") ||
        kb_check_sources(L, json_object_get(rec, "source_ids"), true) < 0)
        return -1;
    c.shown_with = json_object_get(rec, "shown_with");
    c.topics = json_object_get(rec, "topics");
    if (!json_is_array(c.shown_with) || !json_is_array(c.topics) ||
        (!json_array_size(c.shown_with) && !json_array_size(c.topics)))
        return kb_failf(L, "\"shown_with\" and \"topics\" must be lists, not "
                           "both empty");
    json_array_foreach(c.shown_with, i, e) {
        if (L->check && kb_condition_index(L->kb, json_string_value(e)) < 0)
            return kb_failf(L, "unknown condition \"%s\"",
                            json_string_value(e) ? json_string_value(e) : "?");
    }
    json_array_foreach(c.topics, i, e) {
        const char *t = json_string_value(e);
        if (L->check && (!t || (class_index(L->kb, t) < 0 &&
                                kb_block_index(L->kb, t) < 0 &&
                                strcmp(t, "load_warnings"))))
            return kb_failf(L, "topic \"%s\" is neither a plan class, a plan "
                               "block nor load_warnings",
                            t ? t : "?");
    }
    c.supports_urgent = json_is_true(json_object_get(rec, "supports_urgent"));
    if (json_object_get(rec, "when") &&
        !(c.when = kb_compile_key(L, rec, "when")))
        return -1;
    if (kb_grow(L, (void **)&L->kb->corrs, &L->kb->ncorrs, sizeof(c)) < 0) {
        rule_free(c.when);
        return -1;
    }
    L->kb->corrs[L->kb->ncorrs - 1] = c;
    return 0;
}

/* ---- once everything is read ---- */

/* The condition and plan-block names of the red flags, which load before
 * them. */
int kb_resolve_flags(struct loader *L)
{
    struct kb *kb = L->kb;
    for (size_t i = 0; i < kb->nflags; i++) {
        struct kb_flag *f = &kb->flags[i];
        const json_t *rec = f->rec, *pt, *blocks, *e;
        size_t k;
        pt = json_object_get(rec, "points_to");
        for (int pass = 0; pass < 3; pass++) {
            static const char *const keys[] = { "lead", "best", "second" };
            struct kb_point *pts = pass == 0   ? f->lead
                                   : pass == 1 ? f->best
                                               : f->second;
            size_t n = pass == 0 ? f->nlead : pass == 1 ? f->nbest : f->nsecond;
            const json_t *list = json_object_get(pt, keys[pass]);
            for (k = 0; k < n; k++) {
                const char *id =
                    json_string_value(json_object_get(json_array_get(list, k),
                                                      "id"));
                pts[k].cond = kb_condition_index(kb, id);
                if (pts[k].cond < 0)
                    return kb_failf(L, "red flag \"%s\" points to unknown "
                                       "condition \"%s\"",
                                    f->id, id ? id : "?");
            }
        }
        blocks = json_object_get(rec, "plan_blocks");
        if (json_array_size(blocks) &&
            !(f->blocks = kb_zalloc(json_array_size(blocks),
                                    sizeof(*f->blocks))))
            return kb_oom(L);
        json_array_foreach(blocks, k, e) {
            long b = kb_block_index(kb, json_string_value(e));
            if (b < 0)
                return kb_failf(L, "red flag \"%s\": unknown plan block "
                                   "\"%s\"",
                                f->id, json_string_value(e));
            f->blocks[f->nblocks++] = (size_t)b;
        }
    }
    return 0;
}

void kb_records_free(struct kb *kb)
{
    for (size_t i = 0; i < kb->nterms; i++)
        rule_free(kb->terms[i].when);
    for (size_t i = 0; i < kb->nflags; i++)
        flag_release(&kb->flags[i]);
    for (size_t i = 0; i < kb->nclasses; i++)
        rule_free(kb->classes[i].never_if);
    for (size_t i = 0; i < kb->nblocks; i++)
        block_release(&kb->blocks[i]);
    for (size_t i = 0; i < kb->nconds; i++)
        condition_release(&kb->conds[i]);
    for (size_t i = 0; i < kb->ncorrs; i++)
        rule_free(kb->corrs[i].when);
    free(kb->terms);
    free(kb->flags);
    free(kb->classes);
    free(kb->blocks);
    free(kb->conds);
    free(kb->corrs);
}
