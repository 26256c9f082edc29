/* cmd_inspect.c - `runcare inspect`: decode activity files without storing
 * them, one summary (or one JSON line) per file. Exit 1 if any file fails.
 * Files are decoded through the format registry (decode/), as import does;
 * FIT files also show their framing (parts, versions, CRCs, byte orders,
 * compressed timestamps, developer fields) from the registry's info. */
#include "base/base.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "cli/cli.h"
#include "cli/out.h"
#include "decode/decode.h"
#include "fit/fit.h"

/* Largest single file inspect reads; a FIT file of a 24 h ultra at 1 s is
 * about 5 MB, a GPX of it under 40 MB. */
#define INSPECT_MAX_BYTES ((size_t)512 << 20)

static const char *header_crc_name(enum fit_header_crc c)
{
    switch (c) {
    case FIT_HEADER_CRC_ZERO:
        return "zero";
    case FIT_HEADER_CRC_OK:
        return "ok";
    case FIT_HEADER_CRC_BAD:
        return "bad";
    case FIT_HEADER_CRC_NONE:
        break;
    }
    return "none";
}

/* "record.power" for a developer field mirroring record field 7. */
static void native_name(const struct fit_dev_field_info *d, char *out,
                        size_t n)
{
    static const struct {
        int field;
        const char *name;
    } record[] = {
        { 2, "altitude" }, { 3, "heart_rate" }, { 4, "cadence" },
        { 5, "distance" }, { 6, "speed" },      { 7, "power" },
        { 13, "temperature" }, { 73, "enhanced_speed" },
        { 78, "enhanced_altitude" },
    };
    out[0] = '\0';
    if (d->native_mesg != 20 || d->native_field < 0)
        return;
    for (size_t i = 0; i < RC_ARRAY_SIZE(record); i++)
        if (record[i].field == d->native_field)
            snprintf(out, n, "record.%s", record[i].name);
}

static json_t *fit_json(const void *info)
{
    const struct fit_info *fi = info;
    json_t *o = json_object(), *parts = json_array(), *devs = json_array();
    for (unsigned i = 0; i < fi->nparts && i < FIT_INFO_MAX_PARTS; i++) {
        const struct fit_part_info *p = &fi->parts[i];
        json_t *j = json_object();
        char ver[16];
        snprintf(ver, sizeof(ver), "%u.%u", p->protocol >> 4,
                 p->protocol & 15);
        json_object_set_new(j, "offset", json_integer(p->offset));
        json_object_set_new(j, "header_size", json_integer(p->header_size));
        json_object_set_new(j, "protocol", json_string(ver));
        json_object_set_new(j, "profile", json_integer(p->profile));
        json_object_set_new(j, "header_crc",
                            json_string(header_crc_name(p->header_crc)));
        json_object_set_new(j, "crc_ok", json_boolean(p->crc_ok));
        json_array_append_new(parts, j);
    }
    json_object_set_new(o, "parts", json_integer(fi->nparts));
    json_object_set_new(o, "part", parts);
    json_object_set_new(o, "messages", json_integer(fi->messages));
    json_object_set_new(o, "definitions", json_integer(fi->definitions));
    json_object_set_new(o, "big_endian_definitions",
                        json_integer(fi->big_endian_definitions));
    json_object_set_new(o, "compressed_timestamps",
                        json_integer(fi->compressed_timestamps));
    json_object_set_new(o, "developer_field_messages",
                        json_integer(fi->dev_field_messages));
    json_object_set_new(o, "misaligned_fields",
                        json_integer(fi->misaligned_fields));
    for (unsigned i = 0; i < fi->ndev; i++) {
        const struct fit_dev_field_info *d = &fi->dev[i];
        json_t *j = json_object();
        char native[40];
        native_name(d, native, sizeof(native));
        json_object_set_new(j, "name", json_string(d->name));
        json_object_set_new(j, "units", json_string(d->units));
        json_object_set_new(j, "developer_data_index",
                            json_integer(d->dev_index));
        json_object_set_new(j, "field", json_integer(d->field_num));
        json_object_set_new(j, "native", native[0] ? json_string(native)
                                                   : json_null());
        json_object_set_new(j, "values", json_integer(d->values));
        json_object_set_new(j, "min", app_json_num(d->min, 3));
        json_object_set_new(j, "mean",
                            app_json_num(d->values ? d->sum / (double)d->values
                                              : NAN,
                                    3));
        json_object_set_new(j, "max", app_json_num(d->max, 3));
        json_array_append_new(devs, j);
    }
    json_object_set_new(o, "developer_fields", devs);
    return o;
}

static void fit_text(const void *info)
{
    const struct fit_info *fi = info;
    const struct fit_part_info *p = &fi->parts[0];
    printf("  fit: %u part%s, protocol %u.%u, profile %u.%02u, %u-byte "
           "header (CRC %s); %ld messages, %ld definitions (%ld "
           "big-endian), %ld compressed timestamps\n",
           fi->nparts, fi->nparts == 1 ? "" : "s", p->protocol >> 4,
           p->protocol & 15, p->profile / 100, p->profile % 100,
           p->header_size, header_crc_name(p->header_crc), fi->messages,
           fi->definitions, fi->big_endian_definitions,
           fi->compressed_timestamps);
    for (unsigned i = 0; i < fi->ndev; i++) {
        const struct fit_dev_field_info *d = &fi->dev[i];
        char native[40];
        native_name(d, native, sizeof(native));
        printf("  developer field %u/%u: %s%s%s%s, %ld values", d->dev_index,
               d->field_num, d->name[0] ? d->name : "(no name)",
               d->units[0] ? " (" : "", d->units, d->units[0] ? ")" : "",
               d->values);
        if (d->values)
            printf(", %.6g to %.6g, mean %.6g", d->min, d->max,
                   d->sum / (double)d->values);
        if (native[0])
            printf(", stands in for %s", native);
        putchar('\n');
    }
}

/* What inspect shows of a format's info (struct decode_format) beside the
 * activities, under the format's name; other formats show none. */
struct details {
    const char *format;
    json_t *(*json)(const void *info);
    void (*text)(const void *info);
};

static const struct details details_of[] = {
    { "fit", fit_json, fit_text },
};

static const struct details *find_details(const struct decode_format *fmt)
{
    for (size_t i = 0; fmt && i < RC_ARRAY_SIZE(details_of); i++)
        if (!strcmp(details_of[i].format, fmt->name))
            return &details_of[i];
    return NULL;
}

static json_t *file_json(const char *path, const struct activity_file *f,
                         const struct details *d, const void *info)
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
        json_array_append_new(acts, app_activity_json(&f->acts[i]));
    json_object_set_new(o, "activities", acts);
    json_object_set_new(o, "salvaged", json_boolean(f->salvaged));
    if (f->nwarnings) {
        json_t *w = json_array();
        for (unsigned i = 0; i < f->nwarnings; i++)
            json_array_append_new(w, json_string(f->warnings[i]));
        json_object_set_new(o, "warnings", w);
    }
    if (d)
        json_object_set_new(o, d->format, d->json(info));
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

static void file_text(const char *path, const struct activity_file *f,
                      const struct details *d, const void *info)
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
    if (d)
        d->text(info);
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
    size_t info_size = 0;
    void *info;

    (void)ctx;
    while ((c = cli_getopt(argc, argv, "", longopts)) != -1) {
        if (c == CLI_OPT_ERROR)
            return RC_EUSAGE;
        if (c == 'j')
            json = true;
        else if (c == 's')
            flags |= ACTIVITY_SALVAGE;
    }
    if (optind >= argc)
        return cli_usage(argv[0], "no file given");

    for (const struct decode_format *fmt = decode_formats; fmt->name; fmt++)
        if (fmt->info_size > info_size)
            info_size = fmt->info_size;
    info = rc_malloc(info_size ? info_size : 1);
    if (!info) {
        struct rc_err err = RC_ERR_INIT;
        rc_fail(&err, RC_EENV, "out of memory");
        return cli_fail(&err);
    }
    rc_buf_init(&buf, INSPECT_MAX_BYTES);
    for (int i = optind; i < argc; i++) {
        const char *path = argv[i];
        const struct decode_format *fmt = NULL;
        struct rc_err err = RC_ERR_INIT;
        struct activity_file f;
        int rc;

        rc = rc_buf_read_file(&buf, path, &err);
        if (rc == 0) {
            fmt = decode_sniff(buf.data, buf.len);
            rc = decode_as(fmt, buf.data, buf.len, flags, &f, info, &err);
        }
        if (rc < 0) {
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
            json_t *o = file_json(path, &f, find_details(fmt), info);
            out_json_line(stdout, o);
            json_decref(o);
        } else {
            file_text(path, &f, find_details(fmt), info);
        }
        activity_file_release(&f);
    }
    rc_buf_release(&buf);
    rc_free(info);
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
