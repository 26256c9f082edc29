/* check_text.h - the front-end half of `runcare check` on a terminal: the
 * questionnaire loop (check_ask.c) and the result in words
 * (check_text.c). Both read the kb through triage.h; neither holds a
 * clinical rule. Its words for a level and its wrapping are shared with
 * `runcare plan`, so both answers read alike. */
#ifndef RC_CLI_CHECK_TEXT_H
#define RC_CLI_CHECK_TEXT_H

#include <stdio.h>

#include "triage/triage.h"

/* The width the text answers wrap at (check, plan). */
#define CHECK_TEXT_WIDTH 80

/* text after a first-line prefix on f, wrapped at CHECK_TEXT_WIDTH
 * columns, continuation lines indented to the prefix's width; a word
 * longer than the line stays whole. Ends with a newline. */
void check_wrap(FILE *f, const char *prefix, const char *text);

/* A level in a runner's words ("see a clinician"), never its id. */
const char *check_level_words(enum triage_level level);

/* Print a result for people on f: about a screen, or everything with full;
 * the full list of sources with sources. */
void check_print_text(FILE *f, const struct kb *kb,
                      const struct triage_result *r, bool full,
                      bool sources);

/* Ask the questions on stdin/stdout (the order and the choice of questions
 * are triage_next_question's). *out is the report when all were answered.
 * Returns 0 (report made), 1 (stopped for an emergency: advice shown),
 * -1 (EOF or Ctrl-C: nothing made), -2 (memory ran out). *asked counts
 * the questions asked. */
int check_questionnaire(const struct kb *kb, const struct triage_training *t,
                        double now_s, json_t **out, size_t *asked);

/* The follow-up questions (triage_next_follow_up: the kb's follow-up
 * list in order, each question once) asked on stdin/stdout, each answer
 * set into rep (the follow-up report being made, without those fields).
 * A safety answer the schema requires is asked again on "not sure"; an
 * answer that raises an emergency red flag stops it at once with the
 * emergency advice. Returns 0, 1 (emergency), -1 (EOF or Ctrl-C: nothing
 * made), -2 (memory ran out). */
int check_follow_up_questionnaire(const struct kb *kb, json_t *rep);

#endif
