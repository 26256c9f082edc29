/* app_kb.c - the knowledge base a front end runs on: the one built into
 * the binary, or the files of a folder a clinician edits (--kb DIR), for
 * the check and the load guard alike (see app.h).
 *
 * Data flow: the .jsonl and .json files of DIR -> kb_load_texts (each checked)
 * and DIR/load_guard.jsonl -> load_rules_parse -> struct app_kb. */
#include <dirent.h>

#include "base/base.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "app/app_int.h"

struct kb_files {
    struct kb_text files[APP_KB_FILES_MAX];
    char names[APP_KB_FILES_MAX][APP_PATH_MAX];
    struct rc_buf bufs[APP_KB_FILES_MAX];
    size_t n;
};

static void kb_files_release(struct kb_files *d)
{
    for (size_t i = 0; i < d->n; i++)
        rc_buf_release(&d->bufs[i]);
    d->n = 0;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && !strcmp(s + a - b, tail);
}

/* Read every kb file of dir, in name order (so messages and the first
 * failure do not depend on the file system's order). */
static int read_dir(const char *dir, struct kb_files *d, struct rc_err *err)
{
    struct dirent **list = NULL;
    int n = scandir(dir, &list, NULL, alphasort), rc = 0;

    if (n < 0) {
        rc_fail(err, RC_EINPUT, "cannot open the knowledge base folder: %s",
                strerror(errno));
        return rc_err_file(err, dir), -1;
    }
    for (int i = 0; i < n; i++) {
        const char *name = list[i]->d_name;
        if (rc == 0 && name[0] != '.' &&
            (ends_with(name, ".jsonl") || ends_with(name, ".json"))) {
            if (d->n == APP_KB_FILES_MAX) {
                rc = rc_fail(err, RC_EINPUT, "more than %d files in the "
                             "knowledge base", APP_KB_FILES_MAX);
                rc_err_file(err, dir);
            } else if ((size_t)snprintf(d->names[d->n], APP_PATH_MAX, "%s/%s",
                                        dir, name) >= APP_PATH_MAX) {
                rc = rc_fail(err, RC_EINPUT, "file name too long");
                rc_err_file(err, dir);
            } else {
                rc_buf_init(&d->bufs[d->n], APP_KB_FILE_MAX);
                rc = rc_buf_read_file(&d->bufs[d->n], d->names[d->n], err);
                d->files[d->n].name = d->names[d->n];
                d->files[d->n].data = (const char *)d->bufs[d->n].data;
                d->files[d->n].len = d->bufs[d->n].len;
                d->n++;
            }
        }
        free(list[i]);
    }
    free(list);
    return rc < 0 ? -1 : 0;
}

int app_kb_open(const char *dir, struct app_kb *out, struct rc_err *err)
{
    struct kb_files *d;
    struct app_kb kb;
    int rc = -1;

    memset(&kb, 0, sizeof(kb));
    if (!dir) {
        if (load_rules_default(&kb.load, err) < 0 ||
            !(kb.triage = kb_load_embedded(err)))
            return -1;
        *out = kb;
        return 0;
    }
    if (!(d = rc_calloc(1, sizeof(*d))))
        return rc_fail(err, RC_EENV, "out of memory");
    if (read_dir(dir, d, err) == 0 &&
        (kb.triage = kb_load_texts(d->files, d->n, err)) != NULL) {
        size_t i = 0;
        while (i < d->n && !ends_with(d->names[i], "/load_guard.jsonl"))
            i++;
        rc = i < d->n ? load_rules_parse(d->files[i].data, d->files[i].len,
                                         d->names[i], &kb.load, err)
                      : load_rules_default(&kb.load, err);
    }
    kb_files_release(d);
    free(d);
    if (rc < 0) {
        kb_free(kb.triage);
        return -1;
    }
    *out = kb;
    return 0;
}

void app_kb_release(struct app_kb *kb)
{
    if (!kb)
        return;
    kb_free(kb->triage);
    kb->triage = NULL;
}

int app_load_rules(const struct app *app, struct load_rules *out,
                   struct rc_err *err)
{
    if (app->rules) {
        *out = *app->rules;
        return 0;
    }
    return load_rules_default(out, err);
}
