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

struct cli_load_log {
    bool exists; /* false: there is no database yet (nothing stored) */
    struct load_run *runs;
    size_t nruns;
    struct load_shoe *shoes;
    size_t nshoes;
};

/* Read every activity (totals only, no samples) and every shoe from the
 * database at cli_db_path. A database that does not exist is an empty log
 * (exists false), not an error, and is not created. -1 with err (RC_EENV)
 * when it cannot be read. *log is written only on success. */
int cli_load_log_read(struct cli_ctx *ctx, struct cli_load_log *log,
                      struct rc_err *err);

void cli_load_log_release(struct cli_load_log *log);

#endif
