/* diary.h - the parts of `runcare diary` in other files of cli/:
 * cmd_diary_add.c (add, edit, rm) and the note that `runcare` with no
 * command prints (cmd_diary.c). */
#ifndef RC_CLI_DIARY_H
#define RC_CLI_DIARY_H

#include "cli/cli.h"

/* `runcare diary add [FILE|-]`; argv[0] is "add". */
int cli_diary_add(struct cli_ctx *ctx, int argc, char **argv);

/* `runcare diary edit ID FILE` and `runcare diary rm ID`; argv[0] is the
 * verb. */
int cli_diary_change(struct cli_ctx *ctx, int argc, char **argv);

/* When the diary has a check-in due or overdue, say so (stdout). Nothing
 * when there is no diary or it cannot be read: this is only a note. */
void cli_check_in_note(const struct cli_ctx *ctx);

#endif
