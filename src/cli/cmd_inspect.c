/* cmd_inspect.c - `runcare inspect`: decode activity files without storing
 * them, one summary (or one JSON line) per file. Exit 1 if any file fails. */
#include "base/base.h"
#include "base/buf.h"
#include "cli/cli.h"
#include "cli/out.h"
#include "decode/decode.h"

/* Largest single file inspect reads; a FIT file of a 24 h ultra at 1 s is
 * about 5 MB, a GPX of it under 40 MB. */
#define INSPECT_MAX_BYTES ((size_t)512 << 20)

static json_t *file_json(const char *path, const struct activity_file *f)
{
    json_t *o = json_object(), *acts = json_array();
    json_object_set_new(o, "file", json_string(path));
    json_object_set_new(o, "ok", json_true());
    json_object_set_new(o, "format", json_string(f->format));
    json_object_set_new(o, "file_type", json_string(f->file_type));
    json_object_set_new(o, "records", json_integer(f->records));
    if (f->note[0])
        json_object_set_new(o, "note", json_string(f->note));
    for (size_t i = 0; i < f->nacts; i++)
        json_array_append_new(acts, out_activity_json(&f->acts[i]));
    json_object_set_new(o, "activities", acts);
    json_object_set_new(o, "salvaged", json_boolean(f->salvaged));
    if (f->nwarnings) {
        json_t *w = json_array();
        for (unsigned i = 0; i < f->nwarnings; i++)
            json_array_append_new(w, json_string(f->warnings[i]));
        json_object_set_new(o, "warnings", w);
    }
    return o;
}

static json_t *error_json(const char *path, const struct rc_err *err)
{
    json_t *o = json_object(), *e = json_object();
    json_object_set_new(o, "file", json_string(path));
    json_object_set_new(o, "ok", json_false());
    if (err->offset >= 0)
        json_object_set_new(e, "offset", json_integer(err->offset));
    if (err->line > 0)
        json_object_set_new(e, "line", json_integer(err->line));
    if (err->column > 0)
        json_object_set_new(e, "column", json_integer(err->column));
    json_object_set_new(e, "message", json_string(err->msg));
    json_object_set_new(o, "error", e);
    return o;
}

static void file_text(const char *path, const struct activity_file *f)
{
    printf("%s: %s %s, %ld records", path, f->format, f->file_type,
           f->records);
    if (f->note[0])
        printf(" (%s)", f->note);
    if (f->salvaged)
        printf(", salvaged");
    putchar('\n');
    for (unsigned i = 0; i < f->nwarnings; i++)
        printf("  warning: %s\n", f->warnings[i]);
    for (size_t i = 0; i < f->nacts; i++) {
        printf("  ");
        out_activity_text(stdout, &f->acts[i]);
    }
}

static int run_inspect(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "json", no_argument, NULL, 'j' },
        { "salvage", no_argument, NULL, 's' },
        { NULL, 0, NULL, 0 },
    };
    bool json = false;
    unsigned flags = 0;
    int c, status = RC_OK;
    struct rc_buf buf;

    (void)ctx;
    while ((c = cli_getopt(argc, argv, "", longopts)) != -1) {
        if (c == CLI_OPT_ERROR)
            return RC_EUSAGE;
        if (c == 'j')
            json = true;
        else if (c == 's')
            flags |= DECODE_SALVAGE;
    }
    if (optind >= argc)
        return cli_usage(argv[0], "no file given");

    rc_buf_init(&buf, INSPECT_MAX_BYTES);
    for (int i = optind; i < argc; i++) {
        const char *path = argv[i];
        struct rc_err err = RC_ERR_INIT;
        struct activity_file f;

        if (rc_buf_read_file(&buf, path, &err) < 0 ||
            decode_buffer(buf.data, buf.len, flags, &f, &err) < 0) {
            rc_err_file(&err, path);
            if (json) {
                json_t *o = error_json(path, &err);
                out_json_line(stdout, o);
                json_decref(o);
            } else {
                cli_fail(&err);
            }
            if ((int)err.status > status)
                status = (int)err.status;
            continue;
        }
        if (json) {
            json_t *o = file_json(path, &f);
            out_json_line(stdout, o);
            json_decref(o);
        } else {
            file_text(path, &f);
        }
        activity_file_release(&f);
    }
    rc_buf_release(&buf);
    if (fflush(stdout) != 0) {
        struct rc_err err = RC_ERR_INIT;
        rc_fail(&err, RC_EENV, "cannot write the output: %s",
                strerror(errno));
        return cli_fail(&err);
    }
    return status;
}

const struct cli_command cli_cmd_inspect = {
    "inspect",
    "[--json] [--salvage] FILE...",
    "decode activity files without storing them; exit 1 if any file is "
    "invalid",
    "Reads FIT, GPX and TCX files (recognised by content, not by name) and\n"
    "prints what runcare sees in each: format, file type, activities with\n"
    "their totals, laps, samples and device. Nothing is stored.\n"
    "\n"
    "options:\n"
    "  --json      one JSON object per file, one per line\n"
    "  --salvage   keep the complete records of a damaged file (cut off, bad\n"
    "              CRC) up to the damage, and mark the activity salvaged\n"
    "\n"
    "examples:\n"
    "  runcare inspect run.fit\n"
    "  runcare inspect --json activities/*.fit > summary.jsonl\n",
    run_inspect,
};
