/* load_log.h - the training log as the load guard reads it: every stored
 * run and shoe, converted from the store's records into load/'s structs.
 *
 * Data flow: store/ -> here -> load_report_build (`runcare load`, the web
 * page) or load_context_build (the leg-pain check fills its training
 * context from the log). The one place that knows both sides. */
#ifndef RC_CLI_LOAD_LOG_H
#define RC_CLI_LOAD_LOG_H

#include "base/base.h"
#include "base/err.h"
#include "cli/cli.h"
#include "load/load.h"
#include "triage/triage.h"

struct cli_load_log {
    bool exists; /* false: there is no database yet (nothing stored) */
    struct load_run *runs;
    size_t nruns;
    struct load_shoe *shoes;
    size_t nshoes;
};

/* Read the activities (totals only, no samples) and every shoe from the
 * database at cli_db_path: those from LOAD_HISTORY_DAYS before first_day
 * on, which give every figure of a report whose first week starts on
 * first_day; the whole log when first_day is LONG_MIN, or when that part
 * does not show the runner running between lookback_days after its start
 * and first_day (then a break, or the log's first days, may reach back
 * further). A database that does not exist is an empty log (exists
 * false), not an error, and is not created. -1 with err (RC_EENV) when it
 * cannot be read. *log is written only on success. */
int cli_load_log_read(struct cli_ctx *ctx, long first_day, int lookback_days,
                      struct cli_load_log *log, struct rc_err *err);

void cli_load_log_release(struct cli_load_log *log);

/* Today in the runner's time zone: now plus the UTC offset of the log's
 * latest run (UTC when the log is empty). */
long cli_load_log_today(const struct cli_load_log *log);

/* The leg-pain check's training context from the log: weekly km, the
 * week's change, the last run's spike, break weeks, the session hints,
 * the next-run cap and the load warnings of the last 30 days, each known
 * field with its `why` sentence (struct triage_training, triage.h).
 * warnings owns the JSON that t.load_warnings borrows. */
struct cli_load_training {
    struct triage_training t;
    json_t *warnings; /* NULL when the log has no runs */
};

/* From a log already read, as of as_of_day. With no runs on or before it,
 * t stays as triage_training_init leaves it. -1 with err (RC_EENV) when
 * memory runs out. */
int cli_load_training_fill(const struct cli_load_log *log,
                           const struct load_rules *rules, long as_of_day,
                           struct cli_load_training *out, struct rc_err *err);

/* Read the log at cli_db_path (a missing database is an empty log) and
 * fill out as of as_of_day (LONG_MIN: today in the runner's time zone).
 * Release with cli_load_training_release. */
int cli_load_training(struct cli_ctx *ctx, long as_of_day,
                      struct cli_load_training *out, struct rc_err *err);

void cli_load_training_release(struct cli_load_training *t);

#endif
