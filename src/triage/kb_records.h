/* kb_records.h - the record loaders of kb_records.c and kb_questions.c, one
 * per kb file; kb.c calls them for each line of their file. Each takes a
 * parsed record (kept alive by the kb) and returns 0, or -1 with the
 * loader's error set. */
#ifndef RC_TRIAGE_KB_RECORDS_H
#define RC_TRIAGE_KB_RECORDS_H

#include "triage/kb_int.h"

int kb_rec_meta(struct loader *L, json_t *rec);
int kb_rec_source(struct loader *L, json_t *rec);
int kb_rec_set(struct loader *L, json_t *rec);
int kb_rec_text(struct loader *L, json_t *rec);
int kb_rec_term(struct loader *L, json_t *rec);
int kb_rec_level(struct loader *L, json_t *rec);
int kb_rec_flag(struct loader *L, json_t *rec);
int kb_rec_class(struct loader *L, json_t *rec);
int kb_rec_block(struct loader *L, json_t *rec);
int kb_rec_condition(struct loader *L, json_t *rec);
int kb_rec_correction(struct loader *L, json_t *rec);
int kb_rec_question(struct loader *L, json_t *rec);
int kb_rec_course(struct loader *L, json_t *rec);
int kb_rec_escalation(struct loader *L, json_t *rec);

/* Once the questions are indexed: every field a follow-up asks has a
 * question, and a course record names each condition once. */
int kb_course_final(struct loader *L);
void kb_courses_free(struct kb *kb);

/* After every file: the red flags' conditions and plan blocks by name. */
int kb_resolve_flags(struct loader *L);
long kb_block_index(const struct kb *kb, const char *id);
/* The index of kb_question_of, once every question is read. -1 when
 * memory runs out. */
int kb_index_questions(struct kb *kb);
/* Every "group" question's fields have one question of their own, after
 * it (kb_questions.c). */
int kb_check_groups(struct loader *L);
/* Sort the sources by id for kb_source's binary search. */
void kb_sort_sources(struct kb *kb);
/* Free what the records compiled (not the kb itself). */
void kb_records_free(struct kb *kb);
void kb_questions_free(struct kb *kb);

#endif
