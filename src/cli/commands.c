/* commands.c - the table of subcommands, in the order `runcare --help`
 * lists them (DESIGN.md's command line). Each command lives in its own
 * cmd_<name>.c with its usage, help and run function. */
#include "base/base.h"
#include "cli/cli.h"

extern const struct cli_command cli_cmd_demo;
extern const struct cli_command cli_cmd_inspect;
extern const struct cli_command cli_cmd_import;
extern const struct cli_command cli_cmd_log;
extern const struct cli_command cli_cmd_list;
extern const struct cli_command cli_cmd_rpe;
extern const struct cli_command cli_cmd_shoe;
extern const struct cli_command cli_cmd_load;
extern const struct cli_command cli_cmd_check;
extern const struct cli_command cli_cmd_plan;
extern const struct cli_command cli_cmd_diary;
extern const struct cli_command cli_cmd_serve;
extern const struct cli_command cli_cmd_edit;
extern const struct cli_command cli_cmd_rm;
extern const struct cli_command cli_cmd_undo;
extern const struct cli_command cli_cmd_history;
extern const struct cli_command cli_cmd_show;
extern const struct cli_command cli_cmd_athlete;
extern const struct cli_command cli_cmd_club;
extern const struct cli_command cli_cmd_migrate;

const struct cli_command *const cli_commands[] = {
    &cli_cmd_demo,
    &cli_cmd_inspect,
    &cli_cmd_import,
    &cli_cmd_log,
    &cli_cmd_list,
    &cli_cmd_rpe,
    &cli_cmd_edit,
    &cli_cmd_rm,
    &cli_cmd_undo,
    &cli_cmd_history,
    &cli_cmd_show,
    &cli_cmd_shoe,
    &cli_cmd_load,
    &cli_cmd_check,
    &cli_cmd_plan,
    &cli_cmd_diary,
    &cli_cmd_serve,
    &cli_cmd_athlete,
    &cli_cmd_club,
    &cli_cmd_migrate,
    NULL,
};
