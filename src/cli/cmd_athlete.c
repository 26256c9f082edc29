/* cmd_athlete.c - `runcare athlete`: the athletes of a club's log on
 * PostgreSQL (add makes a role that sees and changes only its own rows;
 * grant lets a coach's role read an athlete's), and the name of a SQLite
 * file's one athlete. */
#include "base/base.h"
#include "cli/cli.h"
#include "cli/out.h"

static int athlete_list(const struct app *app, int argc, char **argv,
                        struct rc_err *err)
{
    static const struct option longopts[] = {
        { "json", no_argument, NULL, 'j' },
        { NULL, 0, NULL, 0 },
    };
    struct store_athlete *v;
    bool json = false;
    size_t n;
    int c;
    while ((c = cli_getopt(argc, argv, "", longopts)) != -1) {
        if (c == CLI_OPT_ERROR)
            return RC_EUSAGE;
        if (c == 'j')
            json = true;
    }
    if (optind < argc)
        return cli_usage(argv[0], "unexpected argument '%s'", argv[optind]);
    if (app_athlete_list(app, &v, &n, err) < 0)
        return -1;
    if (json) {
        json_t *a = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(
                a, json_pack("{s:s, s:b, s:b}", "name", v[i].name, "own",
                             v[i].own, "coach", v[i].coach));
        out_json_line(stdout, a);
        json_decref(a);
    } else if (n == 0) {
        printf("no athletes yet: add one with 'runcare athlete add NAME'\n");
    } else {
        for (size_t i = 0; i < n; i++)
            printf("%s%s\n", v[i].name,
                   v[i].own ? "  (you)" : v[i].coach ? "  (coached)" : "");
    }
    free(v);
    return 0;
}

/* add NAME, rm [--with-log] NAME, grant COACH ATHLETE */
static int athlete_change(const struct app *app, const char *verb, int argc,
                          char **argv, struct rc_err *err)
{
    static const struct option longopts[] = {
        { "with-log", no_argument, NULL, 'w' },
        { NULL, 0, NULL, 0 },
    };
    int want = strcmp(verb, "grant") ? 1 : 2, c;
    bool with_log = false;
    while ((c = cli_getopt(argc, argv, "", longopts)) != -1) {
        if (c == CLI_OPT_ERROR)
            return RC_EUSAGE;
        if (c == 'w') {
            if (strcmp(verb, "rm"))
                return cli_usage(argv[0], "--with-log is for athlete rm");
            with_log = true;
        }
    }
    if (argc - optind < want)
        return cli_usage(argv[0], want == 2 ? "give COACH and ATHLETE"
                                            : "give the athlete's NAME");
    if (argc - optind > want)
        return cli_usage(argv[0], "unexpected argument '%s'",
                         argv[optind + want]);
    if (!strcmp(verb, "add")) {
        if (app_athlete_add(app, argv[optind], err) < 0)
            return -1;
        printf("added athlete %s\n", argv[optind]);
    } else if (!strcmp(verb, "rm")) {
        if (app_athlete_rm(app, argv[optind], with_log, err) < 0)
            return -1;
        printf("removed athlete %s%s\n", argv[optind],
               with_log ? " and their log" : "");
    } else {
        if (app_athlete_grant(app, argv[optind], argv[optind + 1], err) < 0)
            return -1;
        printf("%s now reads %s's log\n", argv[optind], argv[optind + 1]);
    }
    return 0;
}

static int run_athlete(struct cli_ctx *ctx, int argc, char **argv)
{
    struct rc_err err = RC_ERR_INIT;
    const char *verb;
    char name[16];
    int rc;

    if (argc < 2 || argv[1][0] == '-')
        return cli_usage(argv[0], "give add, list, rm or grant");
    verb = argv[1];
    if (strcmp(verb, "add") && strcmp(verb, "list") && strcmp(verb, "rm") &&
        strcmp(verb, "grant"))
        return cli_usage(argv[0], "unknown action '%s' (add, list, rm, "
                                  "grant)", verb);
    snprintf(name, sizeof(name), "athlete %s", verb);
    argv[1] = name;
    if (!strcmp(verb, "list"))
        rc = athlete_list(&ctx->app, argc - 1, argv + 1, &err);
    else
        rc = athlete_change(&ctx->app, verb, argc - 1, argv + 1, &err);
    if (rc > 0)
        return rc;
    return rc < 0 ? cli_bad(name, &err) : RC_OK;
}

const struct cli_command cli_cmd_athlete = {
    "athlete",
    "add|list|rm|grant",
    "the athletes of a club's log (PostgreSQL)",
    "A club's log on PostgreSQL (--db postgresql://...) keeps many athletes;\n"
    "every command works on one, chosen with --athlete NAME (or\n"
    "RUNCARE_ATHLETE), else the connecting role's own, else the only one.\n"
    "A SQLite file is one athlete's log: 'add' names it.\n"
    "\n"
    "  athlete add NAME   a new athlete, and a PostgreSQL role NAME (made\n"
    "                     when missing) that sees and changes only NAME's\n"
    "                     log; the connecting role needs CREATEROLE\n"
    "  athlete list [--json]   the athletes this role may see\n"
    "  athlete rm [--with-log] NAME   remove an athlete; one with\n"
    "                     activities only --with-log, which removes them\n"
    "  athlete grant COACH ATHLETE   role COACH (made when missing) reads\n"
    "                     ATHLETE's log, and sees ATHLETE in 'runcare club';\n"
    "                     it changes nothing of it\n"
    "\n"
    "examples:\n"
    "  runcare --db postgresql:///club athlete add ann\n"
    "  runcare --db postgresql:///club athlete grant coach ann\n"
    "  runcare --db postgresql:///club --athlete ann import ann-export.zip\n",
    run_athlete,
};
