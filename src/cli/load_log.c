/* load_log.c - the stored runs and shoes as load/ reads them (see
 * load_log.h).
 *
 * NEEDSWORK: the store (issue: the training log) is not in main yet; until
 * it is, every log reads as empty. This function is the one seam to wire
 * to store_list_activities and store_shoe_list. */
#include <sys/stat.h>

#include "base/base.h"
#include "cli/load_log.h"

int cli_load_log_read(struct cli_ctx *ctx, struct cli_load_log *log,
                      struct rc_err *err)
{
    const char *path = cli_db_path(ctx, err);
    struct stat st;

    if (!path)
        return -1;
    memset(log, 0, sizeof(*log));
    log->exists = stat(path, &st) == 0;
    return 0;
}

void cli_load_log_release(struct cli_load_log *log)
{
    if (!log)
        return;
    free(log->runs);
    free(log->shoes);
    memset(log, 0, sizeof(*log));
}
