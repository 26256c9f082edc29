/* ask_parse.c - what a typed answer means (triage_parse_answer): the words
 * a runner types at a prompt, read the same way for every question.
 *   yes/no      y, yes / n, no (never numbers: "1" and "2" meant different
 *               things in different questions before)
 *   don't know  an empty line, "?", "not sure", "don't know", "skip"; a
 *               question whose field has its own don't-know value (urine:
 *               "not noticed") takes that value
 *   a choice    its number, or words: a word of its text or value, or the
 *               first letters of one ("dark", "calf", "lim" for "with a
 *               limp"); "n"/"no"/"none" mean the choice marked "no"
 *   a list      choices separated by commas or "and"; "none"
 *   a location  "left calf", "both shins, right knee front": a side word
 *               (left, right, both) and region words in each part
 *   a checklist the items ticked, by number or words; "none" */
#include <ctype.h>

#include "base/base.h"
#include "triage/triage_int.h"

#define WORDS_MAX 16

struct words {
    char v[WORDS_MAX][32];
    size_t n;
};

static const char *const filler[] = { "the", "of", "my", "a", "an", "in",
                                      "on", "leg", "legs", "side", "at" };

/* Lower-case words of s (letters and digits), fillers dropped. */
static void split_words(const char *s, struct words *w)
{
    w->n = 0;
    while (*s) {
        char word[32];
        size_t n = 0;
        bool fill = false;
        while (*s && !isalnum((unsigned char)*s))
            s++;
        while (*s && isalnum((unsigned char)*s)) {
            if (n + 1 < sizeof(word))
                word[n++] = (char)tolower((unsigned char)*s);
            s++;
        }
        word[n] = '\0';
        if (!n)
            continue;
        for (size_t k = 0; k < RC_ARRAY_SIZE(filler); k++)
            if (!strcmp(word, filler[k]))
                fill = true;
        if (!fill && w->n < WORDS_MAX)
            memcpy(w->v[w->n++], word, n + 1);
    }
}

static bool is_one_of(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(s, list[i]))
            return true;
    return false;
}

static const char *const yes_words[] = { "y", "yes", "yeah", "yep" };
static const char *const no_words[] = { "n", "no", "nope", "none",
                                        "nothing", "neither" };

/* The whole answer as one don't-know phrase? */
static bool dont_know(const char *text)
{
    static const char *const phrases[] = { "", "?", "not sure", "dont know",
                                           "don't know", "do not know",
                                           "skip", "unsure", "idk", "dk" };
    char t[64];
    size_t n = 0;
    while (*text == ' ' || *text == '\t')
        text++;
    while (*text && n + 1 < sizeof(t))
        t[n++] = (char)tolower((unsigned char)*text++);
    while (n && (t[n - 1] == ' ' || t[n - 1] == '\t'))
        n--;
    t[n] = '\0';
    return is_one_of(t, phrases, RC_ARRAY_SIZE(phrases));
}

/* The words a choice answers to: its value (underscores as spaces) and
 * its text; the kb's "words" of the choice are added by the caller. */
static void choice_words(const struct kb_question *q, size_t c,
                         struct words *out)
{
    char buf[512];
    snprintf(buf, sizeof(buf), "%s %s", q->choices[c].value,
             q->choices[c].text);
    for (char *p = buf; *p; p++)
        if (*p == '_')
            *p = ' ';
    split_words(buf, out);
}

/* Does the answer word a name this choice word b: equal, or a prefix of at
 * least 3 letters (1 for a single-letter answer that is unique)? */
static bool word_hits(const char *a, const char *b)
{
    size_t n = strlen(a);
    if (!strcmp(a, b))
        return true;
    if (n >= 3 && !strncmp(a, b, n))
        return true;
    /* plurals: "calves", "shins", "knees" */
    if (n >= 4 && a[n - 1] == 's' && !strncmp(a, b, n - 1) && !b[n - 1])
        return true;
    return n >= 5 && !strcmp(a, "calves") && !strcmp(b, "calf");
}

/* How well the answer words name choice c: the number of answer words it
 * takes, 0 when any answer word is not one of its words. */
static size_t choice_fit(const struct kb_question *q, size_t c,
                         const struct words *ans, const json_t *synonyms)
{
    struct words cw;
    size_t hits = 0;
    choice_words(q, c, &cw);
    for (size_t i = 0; i < ans->n; i++) {
        bool hit = false;
        size_t k;
        json_t *e;
        for (k = 0; k < cw.n && !hit; k++)
            hit = word_hits(ans->v[i], cw.v[k]);
        json_array_foreach(synonyms, k, e) {
            struct words sw;
            split_words(json_string_value(e), &sw);
            for (size_t m = 0; m < sw.n && !hit; m++)
                hit = word_hits(ans->v[i], sw.v[m]);
        }
        if (!hit)
            return 0;
        hits++;
    }
    return hits;
}

static const json_t *choice_rec(const json_t *qrec, size_t c)
{
    const json_t *list = json_object_get(qrec, "choices");
    if (!list)
        list = json_object_get(qrec, "items");
    return json_array_get(list, c);
}

/* One choice from a part of an answer: its index, or -1 (none) or -2
 * (several fit: msg names them). */
static long pick_choice(const struct kb *kb, size_t qi, const char *part,
                        char *msg, size_t msgn)
{
    const struct kb_question *q = &kb->questions[qi].pub;
    const json_t *qrec = kb->questions[qi].rec;
    struct words ans;
    char *end;
    long num = strtol(part, &end, 10);
    size_t best = 0, nbest = 0;
    long pick = -1;

    while (*end == ' ')
        end++;
    if (end != part && !*end)
        return num >= 1 && (size_t)num <= q->nchoices ? num - 1 : -1;
    split_words(part, &ans);
    if (!ans.n)
        return -1;
    if (ans.n == 1 && is_one_of(ans.v[0], no_words, RC_ARRAY_SIZE(no_words)))
        for (size_t c = 0; c < q->nchoices; c++)
            if (json_is_true(json_object_get(choice_rec(qrec, c), "no")))
                return (long)c;
    /* a phrase of a choice's "words", said exactly, picks it ("shins":
     * the inner edge, where shin pain in runners is) */
    for (size_t c = 0; c < q->nchoices; c++) {
        size_t k;
        json_t *e;
        json_array_foreach(json_object_get(choice_rec(qrec, c), "words"), k,
                           e) {
            struct words sw;
            bool same;
            split_words(json_string_value(e), &sw);
            same = sw.n == ans.n;
            for (size_t m = 0; same && m < sw.n; m++)
                same = !strcmp(sw.v[m], ans.v[m]);
            if (same)
                return (long)c;
        }
    }
    for (size_t c = 0; c < q->nchoices; c++) {
        size_t fit = choice_fit(q, c, &ans,
                                json_object_get(choice_rec(qrec, c), "words"));
        if (fit > best) {
            best = fit;
            nbest = 1;
            pick = (long)c;
        } else if (fit && fit == best) {
            nbest++;
        }
    }
    if (nbest > 1) {
        size_t o = (size_t)snprintf(msg, msgn, "\"%s\" could be", part);
        for (size_t c = 0, said = 0; c < q->nchoices && o < msgn; c++)
            if (choice_fit(q, c, &ans,
                           json_object_get(choice_rec(qrec, c), "words")) ==
                best)
                o += (size_t)snprintf(msg + o, msgn - o, "%s %s",
                                      said++ ? "," : "", q->choices[c].text);
        return -2;
    }
    return pick;
}

/* Split an answer into parts at commas, semicolons and " and ". */
static size_t split_parts(const char *text, char parts[][128], size_t cap)
{
    size_t n = 0, o = 0;
    for (const char *p = text;; p++) {
        bool cut = !*p || *p == ',' || *p == ';' ||
                   (!strncasecmp(p, " and ", 5));
        if (cut) {
            if (o && n < cap) {
                parts[n][o] = '\0';
                n++;
            }
            o = 0;
            if (!*p)
                break;
            if (*p == ' ')
                p += 3;
            continue;
        }
        if (o + 1 < 128 && n < cap)
            parts[n][o++] = *p;
    }
    return n;
}

static enum triage_answer bad(char *msg, size_t msgn, const char *what)
{
    if (!msg[0])
        snprintf(msg, msgn, "%s", what);
    return TRIAGE_ANSWER_BAD;
}

static enum triage_answer set_one(json_t **set, const char *field,
                                  json_t *value)
{
    if (!*set)
        *set = json_object();
    if (!*set || !value || json_object_set_new(*set, field, value) < 0) {
        json_decref(*set);
        *set = NULL;
        return TRIAGE_ANSWER_BAD;
    }
    return TRIAGE_ANSWER_OK;
}

static enum triage_answer parse_bool(const struct kb_question *q,
                                     const char *text, json_t **set,
                                     char *msg, size_t msgn)
{
    struct words w;
    split_words(text, &w);
    if (w.n == 1 && is_one_of(w.v[0], yes_words, RC_ARRAY_SIZE(yes_words)))
        return set_one(set, q->field, json_true());
    if (w.n == 1 && is_one_of(w.v[0], no_words, RC_ARRAY_SIZE(no_words)))
        return set_one(set, q->field, json_false());
    return bad(msg, msgn, "please answer y (yes), n (no) or ? (not sure)");
}

static enum triage_answer parse_list(const struct kb *kb, size_t qi,
                                     const char *text, json_t **set,
                                     char *msg, size_t msgn)
{
    const struct kb_question *q = &kb->questions[qi].pub;
    char parts[12][128];
    size_t n = split_parts(text, parts, RC_ARRAY_SIZE(parts));
    json_t *arr = json_array();
    struct words w;

    split_words(text, &w);
    if (w.n == 1 && is_one_of(w.v[0], no_words, RC_ARRAY_SIZE(no_words)) &&
        pick_choice(kb, qi, text, msg, msgn) < 0) {
        msg[0] = '\0';
        if (q->min_one) {
            json_decref(arr);
            return bad(msg, msgn, "name at least one");
        }
        return set_one(set, q->field, arr);
    }
    for (size_t i = 0; i < n && arr; i++) {
        char sub[12][128];
        size_t ns = 1;
        /* "1 3 5": numbers separated by spaces */
        if (strspn(parts[i], "0123456789 ") == strlen(parts[i])) {
            char *p = parts[i];
            ns = 0;
            while (*p && ns < RC_ARRAY_SIZE(sub)) {
                size_t k = 0;
                while (*p == ' ')
                    p++;
                while (*p && *p != ' ' && k + 1 < 128)
                    sub[ns][k++] = *p++;
                sub[ns][k] = '\0';
                if (k)
                    ns++;
            }
        } else {
            memcpy(sub[0], parts[i], sizeof(sub[0]));
        }
        for (size_t s = 0; s < ns; s++) {
            long c = pick_choice(kb, qi, sub[s], msg, msgn);
            json_t *v;
            if (c < 0) {
                json_decref(arr);
                if (c == -1)
                    snprintf(msg, msgn, "\"%s\" is not one of the choices",
                             sub[s]);
                return TRIAGE_ANSWER_BAD;
            }
            v = json_string(q->choices[c].value);
            if (!v || json_array_append_new(arr, v) < 0) {
                json_decref(arr);
                arr = NULL;
                break;
            }
        }
    }
    if (!arr)
        return TRIAGE_ANSWER_BAD;
    if (!json_array_size(arr)) {
        json_decref(arr);
        return bad(msg, msgn, "name one or more of the choices, or none");
    }
    /* the same choice twice counts once (the schema wants unique items) */
    for (size_t i = 0; i < json_array_size(arr); i++)
        for (size_t k = i + 1; k < json_array_size(arr);)
            if (json_equal(json_array_get(arr, i), json_array_get(arr, k)))
                json_array_remove(arr, k);
            else
                k++;
    return set_one(set, q->field, arr);
}

static enum triage_answer parse_location(const struct kb *kb, size_t qi,
                                         const char *text, json_t **set,
                                         char *msg, size_t msgn)
{
    static const char *const sides[][2] = {
        { "left", "left" }, { "l", "left" },   { "right", "right" },
        { "r", "right" },   { "both", "both" }, { "two", "both" },
    };
    const struct kb_question *q = &kb->questions[qi].pub;
    char parts[12][128];
    size_t n = split_parts(text, parts, RC_ARRAY_SIZE(parts));
    json_t *regions = json_array(), *by = json_object();
    const char *first_side = NULL, *last_side = NULL;
    bool differ = false;

    for (size_t i = 0; i < n && regions && by; i++) {
        struct words w;
        char rest[128] = "";
        size_t ro = 0;
        const char *side = NULL;
        long c;
        split_words(parts[i], &w);
        for (size_t k = 0; k < w.n; k++) {
            bool s = false;
            for (size_t m = 0; m < RC_ARRAY_SIZE(sides); m++)
                if (!strcmp(w.v[k], sides[m][0])) {
                    side = sides[m][1];
                    s = true;
                }
            if (!s)
                ro += (size_t)snprintf(rest + ro, sizeof(rest) - ro, "%s ",
                                       w.v[k]);
            if (ro >= sizeof(rest))
                ro = sizeof(rest) - 1;
        }
        if (!side)
            side = last_side; /* "left calf and shin" */
        if (!rest[0] || (c = pick_choice(kb, qi, rest, msg, msgn)) < 0) {
            json_decref(regions);
            json_decref(by);
            if (!msg[0])
                snprintf(msg, msgn, "\"%s\" is not a place runcare knows: "
                                    "say e.g. \"left calf\" or \"both shins\"",
                         parts[i]);
            return TRIAGE_ANSWER_BAD;
        }
        if (!side) {
            json_decref(regions);
            json_decref(by);
            return bad(msg, msgn, "say which side: left, right or both "
                                  "(e.g. \"left calf\")");
        }
        if (first_side && strcmp(first_side, side))
            differ = true;
        if (!first_side)
            first_side = side;
        last_side = side;
        if (json_array_append_new(regions, json_string(q->choices[c].value)) <
                0 ||
            json_object_set_new(by, q->choices[c].value, json_string(side)) <
                0) {
            json_decref(regions);
            json_decref(by);
            return TRIAGE_ANSWER_BAD;
        }
    }
    if (!regions || !by || !json_array_size(regions)) {
        json_decref(regions);
        json_decref(by);
        return bad(msg, msgn, "say where and which side, e.g. \"left calf\"");
    }
    if (set_one(set, "/location/regions", regions) != TRIAGE_ANSWER_OK ||
        set_one(set, "/location/side", json_string(first_side)) !=
            TRIAGE_ANSWER_OK) {
        json_decref(by);
        return TRIAGE_ANSWER_BAD;
    }
    if (differ)
        return set_one(set, "/location/side_by_region", by);
    json_decref(by);
    return TRIAGE_ANSWER_OK;
}

static enum triage_answer parse_checklist(const struct kb *kb, size_t qi,
                                          const char *text, json_t **set,
                                          char *msg, size_t msgn)
{
    const struct kb_q *kq = &kb->questions[qi];
    char parts[16][128];
    size_t n = split_parts(text, parts, RC_ARRAY_SIZE(parts));
    bool ticked[32] = { false };
    struct words w;

    split_words(text, &w);
    /* "yes" to a group says one of them, not which: each is asked alone */
    if (kq->group && w.n == 1 &&
        is_one_of(w.v[0], yes_words, RC_ARRAY_SIZE(yes_words)))
        return TRIAGE_ANSWER_DONT_KNOW;
    if (!(w.n == 1 && is_one_of(w.v[0], no_words, RC_ARRAY_SIZE(no_words))))
        for (size_t i = 0; i < n; i++) {
            long c = pick_choice(kb, qi, parts[i], msg, msgn);
            if (c < 0 || (size_t)c >= RC_ARRAY_SIZE(ticked)) {
                if (c == -1)
                    snprintf(msg, msgn, "\"%s\" is not one of the items "
                                        "(or say none)",
                             parts[i]);
                return TRIAGE_ANSWER_BAD;
            }
            ticked[c] = true;
        }
    /* every item's field gets an answer: false, the list of ticks, or the
     * choice ticked (the last one ticked; else the default) */
    for (size_t i = 0; i < kq->nitems && i < RC_ARRAY_SIZE(ticked); i++) {
        const struct kb_item *it = &kq->items[i];
        if (it->choice) {
            const json_t *def = json_object_get(
                json_object_get(kq->rec, "defaults"), it->field);
            if ((ticked[i] || !json_object_get(*set ? *set : NULL,
                                               it->field)) &&
                set_one(set, it->field,
                        json_deep_copy(ticked[i] ? it->value : def)) !=
                    TRIAGE_ANSWER_OK)
                return TRIAGE_ANSWER_BAD;
        } else if (json_is_true(it->value)) {
            if (set_one(set, it->field, json_boolean(ticked[i])) !=
                TRIAGE_ANSWER_OK)
                return TRIAGE_ANSWER_BAD;
        } else {
            json_t *list = *set ? json_object_get(*set, it->field) : NULL;
            if (!list) {
                if (set_one(set, it->field, json_array()) != TRIAGE_ANSWER_OK)
                    return TRIAGE_ANSWER_BAD;
                list = json_object_get(*set, it->field);
            }
            if (ticked[i] && json_array_append(list, (json_t *)it->value) < 0)
                return TRIAGE_ANSWER_BAD;
        }
    }
    return TRIAGE_ANSWER_OK;
}

enum triage_answer triage_parse_answer(const struct kb *kb, size_t i,
                                       const char *text, json_t **set,
                                       char *msg, size_t msgn)
{
    const struct kb_question *q;
    enum triage_answer a;
    *set = NULL;
    msg[0] = '\0';
    if (i >= kb->nquestions)
        return bad(msg, msgn, "no such question");
    q = &kb->questions[i].pub;
    if (dont_know(text)) {
        if (q->dont_know)
            return set_one(set, q->field, json_string(q->dont_know));
        if (q->required)
            return bad(msg, msgn, "this one needs an answer");
        return TRIAGE_ANSWER_DONT_KNOW;
    }
    switch (q->kind) {
    case KB_Q_BOOL:
        a = parse_bool(q, text, set, msg, msgn);
        break;
    case KB_Q_CHOICE: {
        long c = pick_choice(kb, i, text, msg, msgn);
        if (c < 0)
            a = bad(msg, msgn, "please give the number or a word of a choice");
        else
            a = set_one(set, q->field, json_string(q->choices[c].value));
        break;
    }
    case KB_Q_MULTI:
        a = parse_list(kb, i, text, set, msg, msgn);
        break;
    case KB_Q_LOCATION:
        a = parse_location(kb, i, text, set, msg, msgn);
        break;
    case KB_Q_CHECKLIST:
        a = parse_checklist(kb, i, text, set, msg, msgn);
        break;
    default: {
        char *end;
        double v = strtod(text, &end);
        while (*end == ' ' || *end == 'h' || *end == '/')
            end++;
        if (end == text || *end || !isfinite(v) || v < q->min ||
            v > q->max || (q->kind == KB_Q_INTEGER && v != floor(v))) {
            snprintf(msg, msgn, "please give %s from %g to %g",
                     q->kind == KB_Q_INTEGER ? "a whole number"
                                             : "a number",
                     q->min, q->max > 1e6 ? 1e6 : q->max);
            a = TRIAGE_ANSWER_BAD;
        } else {
            a = set_one(set, q->field,
                        q->kind == KB_Q_INTEGER ? json_integer((json_int_t)v)
                                                : json_real(v));
        }
    }
    }
    if (a != TRIAGE_ANSWER_OK) {
        json_decref(*set);
        *set = NULL;
    }
    return a;
}
