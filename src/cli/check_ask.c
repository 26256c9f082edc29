/* check_ask.c - the leg-pain questionnaire on a terminal. It asks what
 * triage_next_question says, in its order (the safety screen first, every
 * time), reads each answer with triage_parse_answer (y/n, words or
 * numbers; "?" for not sure), stops at once when an answer raises an
 * emergency red flag, and stops asking when no remaining answer could
 * change the level or the top conditions. */
#include <signal.h>

#include "base/base.h"
#include "base/time.h"
#include "cli/check_text.h"

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

/* One line from stdin without its newline; false at EOF or Ctrl-C. */
static bool read_answer(char *line, size_t n)
{
    fflush(stdout);
    if (interrupted || !fgets(line, (int)n, stdin) || interrupted)
        return false;
    line[strcspn(line, "\r\n")] = '\0';
    return true;
}

static void show_question(const struct kb_question *q, size_t number)
{
    printf("\n%zu. %s\n", number, q->text);
    switch (q->kind) {
    case KB_Q_BOOL:
        printf("   y = yes, n = no%s\n", q->required ? "" : ", ? = not sure");
        return;
    case KB_Q_LOCATION:
        printf("   places:");
        for (size_t i = 0; i < q->nchoices; i++)
            printf("%s %s", i ? "," : "", q->choices[i].text);
        printf("\n");
        return;
    case KB_Q_CHOICE:
    case KB_Q_MULTI:
    case KB_Q_CHECKLIST:
        for (size_t i = 0; i < q->nchoices; i++)
            printf("   %zu) %s\n", i + 1, q->choices[i].text);
        if (q->group)
            printf("   (the numbers or words of those you have; n = none; "
                   "y or ? = ask me one by one)\n");
        else if (q->kind != KB_Q_CHOICE)
            printf("   (one or more, by number or words, separated by "
                   "commas; n = none)\n");
        else
            printf("   (a number or a word of the choice)\n");
        break;
    case KB_Q_NUMBER:
    case KB_Q_INTEGER:
        printf("   (%s from %g to %g)\n",
               q->kind == KB_Q_INTEGER ? "a whole number" : "a number",
               q->min, q->max > 1e6 ? 1e6 : q->max);
        break;
    }
    if (!q->required && q->kind != KB_Q_BOOL)
        printf("   (? = not sure)\n");
}

static void print_emergency(const struct kb *kb, const char *label)
{
    printf("\n== EMERGENCY ==\n%s\nWhy: %s\n\n%s\n",
           kb_level_headline(kb, TRIAGE_EMERGENCY), label,
           triage_emergency_stop_text);
}

/* Read answers to question i until one is read (or, must, one that is
 * not "not sure") and set into rep: 0, -1 at EOF or Ctrl-C, -2 when
 * memory runs out. */
static int ask_one(const struct kb *kb, size_t i, bool must, json_t *rep)
{
    char line[512], msg[256];
    enum triage_answer a;
    for (;;) {
        printf("> ");
        if (!read_answer(line, sizeof(line)))
            return -1;
        if (triage_apply_answer(kb, rep, i, line, &a, msg, sizeof(msg)) < 0)
            return -2;
        if (a == TRIAGE_ANSWER_DONT_KNOW && must) { /* nothing was set */
            printf("   this one needs an answer\n");
            continue;
        }
        if (a != TRIAGE_ANSWER_BAD)
            return 0;
        printf("   %s\n", msg[0] ? msg : "please answer again");
    }
}

/* Show question i, read its answer into rep and stop at an emergency:
 * 0, 1 after an emergency, -1 at EOF or Ctrl-C, -2 out of memory. */
static int ask_question(const struct kb *kb, size_t i, bool must, json_t *rep,
                        size_t *number)
{
    const char *label = NULL;
    int rc;

    show_question(kb_question_at(kb, i), ++*number);
    if ((rc = ask_one(kb, i, must, rep)) < 0)
        return rc;
    if (triage_emergency_now(kb, rep, &label)) {
        print_emergency(kb, label);
        return 1;
    }
    return 0;
}

static int ask_loop(const struct kb *kb, const struct triage_training *t,
                    json_t *rep, bool *asked, size_t *number)
{
    struct rc_err err = RC_ERR_INIT;
    long i;
    int rc;

    while ((i = triage_next_question(kb, rep, t, asked, &err)) >= 0) {
        asked[i] = true;
        if ((rc = ask_question(kb, (size_t)i, false, rep, number)) != 0)
            return rc;
    }
    return i == -1 ? 0 : -2;
}

int check_questionnaire(const struct kb *kb, const struct triage_training *t,
                        double now_s, json_t **out, size_t *nasked)
{
    json_t *rep = json_object();
    bool *asked = calloc(kb_count_questions(kb) + 1, sizeof(*asked));
    struct sigaction sa, old;
    int status;

    *nasked = 0;
    if (!rep || !asked) {
        json_decref(rep);
        free(asked);
        return -2;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_sigint; /* no SA_RESTART: fgets returns at Ctrl-C */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old);
    interrupted = 0;
    printf("runcare leg-pain check: about two minutes. Answer in words "
           "(y, n, \"left calf\")\nor with the number of a choice; ? = not "
           "sure. Ctrl-C or Ctrl-D stops at any time;\nnothing is saved "
           "until the end.\n");
    if (triage_report_begin(rep, t, now_s) < 0)
        status = -2;
    else
        status = ask_loop(kb, t, rep, asked, nasked);
    sigaction(SIGINT, &old, NULL);
    free(asked);
    if (status == 0 && triage_report_stamp(rep, now_s) < 0)
        status = -2;
    if (status != 0) {
        json_decref(rep);
        return status;
    }
    printf("\n");
    *out = rep;
    return 0;
}

int check_follow_up_questionnaire(const struct kb *kb, json_t *rep)
{
    struct sigaction sa, old;
    bool *asked = calloc(kb_count_questions(kb) + 1, sizeof(*asked));
    size_t number = 0;
    long q;
    int status = 0;

    if (!asked)
        return -2;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old);
    interrupted = 0;
    printf("runcare follow-up: how is the pain now? The safety questions "
           "come first,\nevery time. ? = not sure; Ctrl-C or Ctrl-D stops; "
           "nothing is saved until the end.\n");
    while ((q = triage_next_follow_up(kb, rep, asked)) >= 0) {
        asked[q] = true;
        status = ask_question(kb, (size_t)q,
                              kb_question_at(kb, (size_t)q)->required, rep,
                              &number);
        if (status != 0)
            goto done;
    }
    printf("\n");
done:
    sigaction(SIGINT, &old, NULL);
    free(asked);
    return status;
}
