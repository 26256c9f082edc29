/* cmd_shoe.c - `runcare shoe`: the runner's shoes, the km each has run
 * (its starting km plus every run counted to it), its retire limit, and
 * which one new runs get by default. */
#include "base/base.h"
#include "base/time.h"
#include "base/units.h"
#include "cli/cli.h"
#include "cli/out.h"

/* "700", "700km", "450mi": a distance of 0 or more, in km. */
static int parse_km(const char *opt, const char *text, double *km,
                    struct rc_err *err)
{
    char *end;
    double v = strtod(text, &end);
    const char *unit = end;
    while (*unit == ' ')
        unit++;
    if (!strcmp(unit, "mi"))
        v *= RC_M_PER_MILE / 1000;
    else if (*unit && strcmp(unit, "km"))
        v = NAN;
    if (end == text || !isfinite(v) || v < 0)
        return rc_fail(err, RC_EINPUT, "%s '%s' is not a distance in km or "
                                       "mi (e.g. 700, 700km, 450mi)",
                       opt, text);
    *km = v;
    return 0;
}

static int shoe_add(const struct app *app, int argc, char **argv,
                    struct rc_err *err)
{
    static const struct option longopts[] = {
        { "start-km", required_argument, NULL, 's' },
        { "limit-km", required_argument, NULL, 'l' },
        { "default", no_argument, NULL, 'd' },
        { "since", required_argument, NULL, 'S' },
        { NULL, 0, NULL, 0 },
    };
    double start_km = 0, limit_km = NAN;
    long since = LONG_MIN;
    bool make_default = false;
    int c;
    while ((c = cli_getopt(argc, argv, "", longopts)) != -1) {
        if (c == CLI_OPT_ERROR)
            return RC_EUSAGE;
        if (c == 's' && parse_km("--start-km", optarg, &start_km, err) < 0)
            return -1;
        if (c == 'l' && parse_km("--limit-km", optarg, &limit_km, err) < 0)
            return -1;
        if (c == 'd')
            make_default = true;
        if (c == 'S' && cli_parse_date("shoe add", "--since", optarg,
                                       &since) < 0)
            return RC_EINPUT;
    }
    if (argc - optind != 1)
        return cli_usage("shoe add", "give one shoe NAME (quote it if it has "
                                     "spaces)");
    if (app_shoe_add(app, argv[optind], start_km, limit_km, make_default,
                     since, err) < 0) {
        cli_err_option(err, "date", "--since");
        return -1;
    }
    printf("added shoe \"%s\": %.0f km so far, retire at %.0f km%s\n",
           argv[optind], start_km,
           isnan(limit_km) ? STORE_SHOE_LIMIT_KM : limit_km,
           make_default ? "; new runs count to it" : "");
    return 0;
}

static int shoe_list(const struct app *app, int argc, char **argv,
                     struct rc_err *err)
{
    static const struct option longopts[] = {
        { "json", no_argument, NULL, 'j' },
        { NULL, 0, NULL, 0 },
    };
    struct store_shoe *v;
    bool json = false;
    size_t n;
    int c;
    while ((c = cli_getopt(argc, argv, "", longopts)) != -1) {
        if (c == CLI_OPT_ERROR)
            return RC_EUSAGE;
        json = true;
    }
    if (optind < argc)
        return cli_usage("shoe list", "unexpected argument '%s'",
                         argv[optind]);
    if (app_shoe_list(app, &v, &n, err) < 0)
        return -1;
    if (json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, app_shoe_json(&v[i]));
        out_json_line(stdout, arr);
        json_decref(arr);
    } else if (n == 0) {
        printf("no shoes yet; add one with 'runcare shoe add NAME'\n");
    } else {
        printf("%-24s %8s %8s %5s  %s\n", "shoe", "km", "limit", "runs",
               "status");
        for (size_t i = 0; i < n; i++)
            printf("%-24s %8.1f %8.0f %5ld  %s\n", v[i].name, v[i].used_km,
                   v[i].limit_km, v[i].runs,
                   v[i].retired ? "retired"
                   : v[i].used_km >= v[i].limit_km
                       ? (v[i].is_default ? "default, past its limit"
                                          : "past its limit")
                   : v[i].is_default ? "default" : "");
    }
    fflush(stdout);
    out_shoe_warnings(stderr, v, n);
    free(v);
    return 0;
}

/* retire NAME / default NAME (default --none: no default shoe) */
static int shoe_one(const struct app *app, const char *verb, int argc,
                    char **argv, struct rc_err *err)
{
    static const struct option longopts[] = {
        { "none", no_argument, NULL, 'n' },
        { "undo", no_argument, NULL, 'u' },
        { "on", required_argument, NULL, 'o' },
        { NULL, 0, NULL, 0 },
    };
    bool none = false, undo = false;
    long day = LONG_MIN;
    struct store_shoe sh;
    char cmd[32];
    int c;
    snprintf(cmd, sizeof(cmd), "shoe %s", verb);
    while ((c = cli_getopt(argc, argv, "", longopts)) != -1) {
        if (c == CLI_OPT_ERROR)
            return RC_EUSAGE;
        if (c == 'n')
            none = true;
        if (c == 'u')
            undo = true;
        if (c == 'o' && cli_parse_date(argv[0], "--on", optarg, &day) < 0)
            return RC_EINPUT;
    }
    if (!strcmp(verb, "default") && none && optind == argc) {
        if (app_shoe_default(app, NULL, &sh, err) < 0)
            return -1;
        printf("no default shoe: new runs count to no shoe\n");
        return 0;
    }
    if (argc - optind != 1)
        return cli_usage(cmd, "give one shoe NAME");
    if (!strcmp(verb, "retire")) {
        if (app_shoe_retire(app, argv[optind], !undo, day, &sh, err) < 0) {
            cli_err_option(err, "date", "--on");
            return -1;
        }
        printf("%s shoe \"%s\" after %.0f km\n",
               undo ? "brought back" : "retired", sh.name, sh.used_km);
    } else {
        if (app_shoe_default(app, argv[optind], &sh, err) < 0)
            return -1;
        printf("new runs count to \"%s\" (%.0f km so far)\n", sh.name,
               sh.used_km);
    }
    return 0;
}

static int run_shoe(struct cli_ctx *ctx, int argc, char **argv)
{
    struct rc_err err = RC_ERR_INIT;
    const char *verb;
    char name[16];
    int rc;

    if (argc < 2 || argv[1][0] == '-')
        return cli_usage(argv[0], "give add, list, retire or default");
    verb = argv[1];
    if (strcmp(verb, "add") && strcmp(verb, "list") &&
        strcmp(verb, "retire") && strcmp(verb, "default"))
        return cli_usage(argv[0], "unknown action '%s' (add, list, retire, "
                                  "default)", verb);
    /* errors of the action name it: "runcare: shoe add: ..." */
    snprintf(name, sizeof(name), "shoe %s", verb);
    argv[1] = name;
    if (!strcmp(verb, "add"))
        rc = shoe_add(&ctx->app, argc - 1, argv + 1, &err);
    else if (!strcmp(verb, "list"))
        rc = shoe_list(&ctx->app, argc - 1, argv + 1, &err);
    else
        rc = shoe_one(&ctx->app, verb, argc - 1, argv + 1, &err);
    if (rc > 0)
        return rc;
    return rc < 0 ? cli_bad(name, &err) : RC_OK;
}

const struct cli_command cli_cmd_shoe = {
    "shoe",
    "add|list|retire|default",
    "shoes, their km and their limit",
    "Every run counts its km to a shoe: the one given with 'runcare log\n"
    "--shoe', the gear of a Strava export, else the shoe in use on its\n"
    "day: the default shoe from its first day of use (--since), or a shoe\n"
    "with dates that was in use then (until it was retired). Adding a shoe\n"
    "gives it the runs of its days that count to no shoe. 'list' and\n"
    "'runcare list' warn when a shoe passes its limit.\n"
    "\n"
    "  shoe add NAME [--start-km N] [--limit-km N] [--default] [--since D]\n"
    "                   a new shoe; --start-km: km it had run before\n"
    "                   (default 0); --limit-km: retire at (default 700);\n"
    "                   --since: its first day of use (default today)\n"
    "  shoe list [--json]   each shoe's km, limit, runs and status\n"
    "  shoe retire NAME [--on D] [--undo]   stop counting runs to it after\n"
    "                   day D (default today); --undo: bring it back\n"
    "  shoe default NAME | --none  the shoe new runs count to\n"
    "\n"
    "examples:\n"
    "  runcare shoe add \"Pegasus 40\" --start-km 120 --default\n"
    "  runcare shoe retire \"Pegasus 39\"\n",
    run_shoe,
};
