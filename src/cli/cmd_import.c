/* cmd_import.c - `runcare import`: files, folders, .gz and .zip (Strava and
 * Garmin exports) into the log. Shows a progress bar on a terminal (stderr
 * only), lists every file that failed with its reason, and ends with a
 * summary; exit 1 if any file failed. */
#include "base/base.h"
#include "base/time.h"
#include "cli/cli.h"
#include "app/app_json.h"

static void show_progress(const struct import_progress *p, void *ctx)
{
    double mb = (double)p->bytes_done / 1e6, total = (double)p->bytes_total / 1e6;
    double rate = p->elapsed_s > 0 ? mb / p->elapsed_s : 0;
    char eta[24] = "-", of[32] = "";
    int width = 24, fill;
    (void)ctx;
    if (p->done) {
        fprintf(stderr, "\r\033[K");
        fflush(stderr);
        return;
    }
    if (rate > 0 && total > mb) {
        long s = (long)((total - mb) / rate);
        snprintf(eta, sizeof(eta), "%ld:%02ld", s / 60, s % 60);
    }
    fill = total > 0 ? (int)(width * fmin(1.0, mb / total)) : 0;
    /* the total is counted while the first files are read: 0 until then */
    if (total > 0)
        snprintf(of, sizeof(of), "/%.1f", total);
    fprintf(stderr, "\r[%.*s%*s] %ld files  %.1f%s MB  %.1f MB/s  ETA %s\033[K",
            fill, "########################", width - fill, "", p->files, mb,
            of, rate, eta);
    fflush(stderr);
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const struct import_failure *)a)->path,
                  ((const struct import_failure *)b)->path);
}

static void print_summary(struct import_summary *s)
{
    char text[1024];
    if (s->nfailures)
        qsort(s->failures, s->nfailures, sizeof(*s->failures), by_path);
    for (size_t i = 0; i < s->nfailures; i++)
        fprintf(stderr, "runcare: %s: %s\n", s->failures[i].path,
                s->failures[i].reason);
    if (s->failed > (long)s->nfailures)
        fprintf(stderr, "runcare: ... and %ld more failures (see the import "
                        "log)\n", s->failed - (long)s->nfailures);
    fflush(stderr);
    app_import_summary_text(s, text, sizeof(text));
    fputs(text, stdout);
}

static int run_import(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "salvage", no_argument, NULL, 's' },
        { "threads", required_argument, NULL, 't' },
        { "no-progress", no_argument, NULL, 'q' },
        { "restore", no_argument, NULL, 'r' },
        { NULL, 0, NULL, 0 },
    };
    struct import_opts opts = { 0 };
    struct import_summary sum;
    struct rc_err err = RC_ERR_INIT;
    bool bar = ctx->stderr_tty;
    long threads;
    int c, rc;

    while ((c = cli_getopt(argc, argv, "", longopts)) != -1) {
        switch (c) {
        case CLI_OPT_ERROR: return RC_EUSAGE;
        case 's': opts.flags |= IMPORT_SALVAGE; break;
        case 'r': opts.flags |= IMPORT_RESTORE; break;
        case 'q': bar = false; break;
        case 't':
            if (cli_parse_long(argv[0], "--threads", optarg, 1, 64,
                               &threads) < 0)
                return RC_EINPUT;
            opts.threads = (int)threads;
            break;
        default: break;
        }
    }
    if (optind >= argc)
        return cli_usage(argv[0], "no file or folder given");
    if (bar)
        opts.progress = show_progress;
    rc = app_import(&ctx->app, argv + optind, (size_t)(argc - optind), &opts,
                    &sum, &err);
    if (rc < 0) {
        import_summary_release(&sum);
        return cli_fail(&err);
    }
    print_summary(&sum);
    rc = sum.failed ? RC_EINPUT : RC_OK;
    import_summary_release(&sum);
    if (fflush(stdout) != 0) {
        rc_fail(&err, RC_EENV, "cannot write the output: %s",
                strerror(errno));
        return cli_fail(&err);
    }
    return rc;
}

const struct cli_command cli_cmd_import = {
    "import",
    "[--salvage] [--restore] PATH...",
    "import files, folders, .gz and .zip (Strava and Garmin exports) into "
    "the log",
    "Reads FIT, GPX and TCX files (also .gz), folders (recursively) and zip\n"
    "archives, including the bulk exports of Strava (activities/ with\n"
    "activities.csv: names, types, descriptions and gear become the\n"
    "activities' titles, sports and shoes) and Garmin Connect (zips inside\n"
    "the zip). A file already in the log (same bytes), or a run already\n"
    "recorded by another device, is not added twice: the richer recording\n"
    "stands for the run. Every file that fails is listed with its reason;\n"
    "the others are imported. Importing again finishes an import that was\n"
    "interrupted. 'runcare undo' takes back a whole import.\n"
    "\n"
    "options:\n"
    "  --salvage       keep what precedes the damage in a cut-off or corrupt\n"
    "                  file (counted as salvaged)\n"
    "  --threads N     decode with N threads (default: one per core)\n"
    "  --no-progress   no progress bar, even on a terminal\n"
    "  --restore       bring back the activities of these files that were\n"
    "                  removed ('runcare rm'); else they stay out\n"
    "\n"
    "exit status: 0 when every file was imported or skipped for a reason,\n"
    "1 when a file failed, 3 when the database failed.\n"
    "\n"
    "examples:\n"
    "  runcare import ~/Downloads/export_12345678.zip\n"
    "  runcare import watch/ phone/run.gpx.gz\n",
    run_import,
};
