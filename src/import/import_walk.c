/* import_walk.c - the walker thread of import: turns the paths on the
 * command line into work items, one per activity file.
 *
 * Folders are walked recursively in name order; a folder reached twice
 * (a symlink loop) and a symlink that loops on itself are failures, not
 * hangs. Zip archives are streamed with libarchive member by member, and a
 * zip inside a zip (Garmin's DI_CONNECT/.../UploadedFiles_*.zip) is read
 * straight from its parent's stream: no export is ever unpacked to memory
 * or disk as a whole. Each member is read into memory only up to
 * IMPORT_MAX_FILE_BYTES.
 *
 * Which names are activity files: those with a format's extension (*.fit,
 * *.gpx, *.tcx: the registry, decode/decode.h), each optionally .gz, and
 * *.gz; *.zip is opened; activities.csv is Strava's index. Inside
 * folders and archives every other name is skipped (logged, not decoded:
 * a Garmin export holds thousands of JSON files); a file named on the
 * command line is always decoded, whatever its name. */
#include <dirent.h>
#include <sys/stat.h>

#include "base/base.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "decode/decode.h"
#include "import/import_int.h"
#include "import/arch.h"

#define CSV_MAX_BYTES ((size_t)64 << 20)

enum name_kind { NAME_OTHER, NAME_ACTIVITY, NAME_ZIP, NAME_CSV, NAME_HIDDEN };

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcasecmp(s + n - k, suffix);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static enum name_kind classify(const char *path)
{
    const char *base = base_name(path);
    if (base[0] == '.' || strstr(path, "__MACOSX/"))
        return NAME_HIDDEN;
    if (ends_with(base, ".zip"))
        return NAME_ZIP;
    if (!strcasecmp(base, "activities.csv"))
        return NAME_CSV;
    if (decode_name_matches(base) || ends_with(base, ".gz"))
        return NAME_ACTIVITY;
    return NAME_OTHER;
}

/* ---- emitting items ---- */

/* A new item from the walker, tagged with the zip being read. */
static struct item *walker_item(struct import_ctx *ix, enum item_kind kind,
                                const char *path)
{
    struct item *it = import_item_new(kind, path);
    if (it)
        it->archive = ix->cur_archive;
    return it;
}

static void emit_fail(struct import_ctx *ix, const char *path,
                      const char *fmt, ...) RC_PRINTF(3, 4);

static void emit_fail(struct import_ctx *ix, const char *path,
                      const char *fmt, ...)
{
    struct item *it = walker_item(ix, ITEM_FAIL, path);
    va_list ap;
    if (!it)
        return;
    va_start(ap, fmt);
    vsnprintf(it->reason, sizeof(it->reason), fmt, ap);
    va_end(ap);
    import_queue_push(&ix->in, it);
}

static void emit_skip(struct import_ctx *ix, const char *path,
                      const char *why)
{
    struct item *it = walker_item(ix, ITEM_SKIP, path);
    if (!it)
        return;
    snprintf(it->reason, sizeof(it->reason), "%s", why);
    import_queue_push(&ix->in, it);
}

/* Hand over a file's bytes (data is taken; its budget already counted),
 * with the key it was read under (NULL for an archive member). */
static void emit_file(struct import_ctx *ix, const char *path,
                      unsigned char *data, size_t len, size_t budget,
                      const unsigned char *key)
{
    struct item *it = walker_item(ix, ITEM_FILE, path);
    if (!it) {
        rc_free(data);
        import_budget_give(ix, budget);
        return;
    }
    it->data = data;
    it->len = len;
    it->budget = budget;
    if (key) {
        memcpy(it->key, key, sizeof(it->key));
        it->has_key = true;
    }
    import_queue_push(&ix->in, it);
}

/* A file recognised by its key, unread: settled as a duplicate, and sent
 * straight to the writer (the workers would only pass it on: two queues
 * and their wake-ups a file, most of a re-import's time). */
static void emit_known(struct import_ctx *ix, const char *path,
                       const unsigned char *key, int64_t size)
{
    struct item *it = walker_item(ix, ITEM_FILE, path);
    if (!it)
        return;
    memcpy(it->sha, key, sizeof(it->sha));
    it->sha_is_key = true;
    it->size = (size_t)size;
    it->result = R_DUP_HASH;
    import_queue_push(&ix->out, it);
}

/* A zip marker (its end, or a zip known whole) with its key. */
static void emit_archive(struct import_ctx *ix, enum item_kind kind,
                         const char *path, const unsigned char *key)
{
    struct item *it = walker_item(ix, kind, path);
    if (!it)
        return;
    memcpy(it->key, key, sizeof(it->key));
    it->has_key = true;
    import_queue_push(&ix->in, it);
}

static void emit_csv(struct import_ctx *ix, const char *path,
                     const unsigned char *p, size_t n, const char *prefix)
{
    struct item *it;
    struct strava_csv csv;
    struct rc_err err = RC_ERR_INIT;
    char text[600];
    if (import_strava_csv_parse((const char *)p, n, &csv, &err) < 0) {
        emit_fail(ix, path, "%s", rc_err_format(&err, text, sizeof(text)));
        return;
    }
    it = walker_item(ix, ITEM_CSV, path);
    if (!it || !(it->prefix = rc_strdup(prefix))) {
        import_strava_csv_release(&csv);
        if (it)
            import_item_free(ix, it);
        return;
    }
    it->csv = csv;
    import_queue_push(&ix->in, it);
}

/* ---- files and folders ---- */

struct visited {
    dev_t *dev;
    ino_t *ino;
    size_t n, cap;
};

static bool visit(struct visited *v, const struct stat *st)
{
    for (size_t i = 0; i < v->n; i++)
        if (v->dev[i] == st->st_dev && v->ino[i] == st->st_ino)
            return false;
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 64;
        dev_t *d = rc_realloc(v->dev, cap * sizeof(*d));
        ino_t *i;
        if (!d)
            return true;
        v->dev = d;
        i = rc_realloc(v->ino, cap * sizeof(*i));
        if (!i)
            return true;
        v->ino = i;
        v->cap = cap;
    }
    v->dev[v->n] = st->st_dev;
    v->ino[v->n++] = st->st_ino;
    return true;
}

static void visited_release(struct visited *v)
{
    rc_free(v->dev);
    rc_free(v->ino);
    memset(v, 0, sizeof(*v));
}

static void walk_zip_file(struct import_ctx *ix, const char *path,
                          const struct stat *st);

static int64_t mtime_ns(const struct stat *st)
{
    return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

static void read_regular(struct import_ctx *ix, const char *path,
                         const struct stat *st)
{
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    size_t budget = (size_t)st->st_size;
    unsigned char key[32];

    /* the same file, untouched since it was stored: not read again */
    import_disk_key("file", path, (int64_t)st->st_size, mtime_ns(st), key);
    if (import_set_has(ix, key)) {
        emit_known(ix, path, key, (int64_t)st->st_size);
        atomic_add_u64(&ix->bytes_done, (uint64_t)st->st_size);
        return;
    }
    if ((uint64_t)st->st_size > IMPORT_MAX_FILE_BYTES) {
        emit_fail(ix, path, "%lld bytes is larger than the %zu MiB an "
                            "activity file may have",
                  (long long)st->st_size, IMPORT_MAX_FILE_BYTES >> 20);
        atomic_add_u64(&ix->bytes_done, (uint64_t)st->st_size);
        return;
    }
    import_budget_take(ix, budget);
    rc_buf_init(&b, IMPORT_MAX_FILE_BYTES);
    if (rc_buf_read_file(&b, path, &err) < 0) {
        import_budget_give(ix, budget);
        emit_fail(ix, path, "%s", err.msg);
    } else {
        size_t len;
        unsigned char *data = rc_buf_detach(&b, &len);
        emit_file(ix, path, data, len, budget, key);
    }
    atomic_add_u64(&ix->bytes_done, (uint64_t)st->st_size);
}

static void read_csv_file(struct import_ctx *ix, const char *path,
                          const char *prefix)
{
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    rc_buf_init(&b, CSV_MAX_BYTES);
    if (rc_buf_read_file(&b, path, &err) < 0)
        emit_fail(ix, path, "%s", err.msg);
    else
        emit_csv(ix, path, b.data, b.len, prefix);
    rc_buf_release(&b);
}

static int dir_select(const struct dirent *e)
{
    return strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
}

static void walk_path(struct import_ctx *ix, struct visited *v,
                      const char *path, bool top)
{
    struct stat st;

    if (atomic_load_bool(&ix->abort))
        return;
    if (stat(path, &st) < 0) {
        if (errno == ELOOP)
            emit_fail(ix, path, "symlink loop: too many levels of symbolic "
                                "links");
        else
            emit_fail(ix, path, "cannot open: %s", strerror(errno));
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        struct dirent **names;
        int n;
        if (!visit(v, &st)) {
            emit_fail(ix, path, "symlink loop: this folder was already "
                                "walked");
            return;
        }
        n = scandir(path, &names, dir_select, alphasort);
        if (n < 0) {
            emit_fail(ix, path, "cannot read folder: %s", strerror(errno));
            return;
        }
        for (int i = 0; i < n; i++) {
            char sub[4096];
            int k = snprintf(sub, sizeof(sub), "%s%s%s", path,
                             ends_with(path, "/") ? "" : "/",
                             names[i]->d_name);
            if (k < 0 || (size_t)k >= sizeof(sub))
                emit_fail(ix, path, "path too long: %s", names[i]->d_name);
            else
                walk_path(ix, v, sub, false);
            rc_free(names[i]);
        }
        rc_free(names);
        return;
    }
    if (!S_ISREG(st.st_mode)) {
        emit_fail(ix, path, "not a regular file or folder");
        return;
    }
    switch (classify(path)) {
    case NAME_ZIP:
        walk_zip_file(ix, path, &st);
        break;
    case NAME_CSV: {
        char prefix[4096];
        size_t dir = (size_t)(base_name(path) - path);
        snprintf(prefix, sizeof(prefix), "%.*s", (int)dir, path);
        read_csv_file(ix, path, prefix);
        atomic_add_u64(&ix->bytes_done, (uint64_t)st.st_size);
        break;
    }
    case NAME_ACTIVITY:
        read_regular(ix, path, &st);
        break;
    case NAME_HIDDEN:
    case NAME_OTHER:
        if (top) {
            read_regular(ix, path, &st);
        } else {
            emit_skip(ix, path, "not an activity file by its name");
            atomic_add_u64(&ix->bytes_done, (uint64_t)st.st_size);
        }
        break;
    }
}

/* ---- archives ---- */

/* A member's name must stay inside the archive: no absolute path, no ".."
 * component (we never write members to disk, but such a name is a sign of
 * a hostile archive and would mislead the import log). */
static bool safe_member_name(const char *name)
{
    const char *p = name;
    if (name[0] == '/' || name[0] == '\\' ||
        (((name[0] | 0x20) >= 'a' && (name[0] | 0x20) <= 'z') &&
         name[1] == ':'))
        return false; /* absolute, or a Windows drive */
    while (*p) {
        size_t n = strcspn(p, "/\\");
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return false;
        p += n;
        if (*p)
            p++;
    }
    return true;
}

/* Read the current member, at most max bytes. 0, or -1 with reason set;
 * *fatal when the archive cannot be read past it. */
static int read_member(struct archive *a, struct archive_entry *e,
                       size_t max, unsigned char **out, size_t *len,
                       char *reason, size_t rn, bool *fatal)
{
    struct rc_buf b;
    struct rc_err err = RC_ERR_INIT;
    unsigned char chunk[64 << 10];
    la_ssize_t k;

    *fatal = false;
    if (archive_entry_size_is_set(e) &&
        archive_entry_size(e) > (la_int64_t)max) {
        snprintf(reason, rn, "expands to %lld bytes, more than the %zu MiB "
                             "an activity file may have (a zip bomb?)",
                 (long long)archive_entry_size(e), max >> 20);
        return -1;
    }
    rc_buf_init(&b, max);
    if (archive_entry_size_is_set(e) && archive_entry_size(e) > 0 &&
        rc_buf_grow(&b, (size_t)archive_entry_size(e), &err) < 0) {
        snprintf(reason, rn, "%s", err.msg);
        return -1;
    }
    while ((k = archive_read_data(a, chunk, sizeof(chunk))) > 0) {
        if (rc_buf_append(&b, chunk, (size_t)k, &err) < 0) {
            rc_buf_release(&b);
            snprintf(reason, rn, "expands past the %zu MiB an activity file "
                                 "may have (a zip bomb?)", max >> 20);
            return -1;
        }
    }
    if (k < 0) {
        rc_buf_release(&b);
        snprintf(reason, rn, "corrupt archive member: %s",
                 archive_error_string(a) ? archive_error_string(a)
                                         : "read error");
        *fatal = k == ARCHIVE_FATAL;
        return -1;
    }
    *out = rc_buf_detach(&b, len);
    return 0;
}

/* A zip inside a zip is read from its parent's data stream. */
struct nest {
    struct archive *parent;
    unsigned char buf[64 << 10];
};

static la_ssize_t nest_read(struct archive *a, void *ud, const void **buf)
{
    struct nest *n = ud;
    la_ssize_t k = archive_read_data(n->parent, n->buf, sizeof(n->buf));
    *buf = n->buf;
    if (k < 0)
        archive_set_error(a, EIO, "%s",
                          archive_error_string(n->parent)
                              ? archive_error_string(n->parent)
                              : "read error in the outer zip");
    return k;
}

static struct archive *archive_for_zip(void)
{
    struct archive *a = archive_read_new();
    if (a)
        archive_read_support_format_zip(a);
    return a;
}

/* Walk every member of an open archive; display is its shown path. top
 * marks the outermost archive, whose read position is the progress. */
static void walk_archive(struct import_ctx *ix, struct archive *a,
                         const char *display, int depth, bool top);

/* A zip member that is a zip itself: walked from its parent's stream. */
static void walk_nested(struct import_ctx *ix, struct archive *a,
                        const char *member, int depth)
{
    struct nest *n;
    struct archive *inner;

    if (depth + 1 > IMPORT_MAX_NESTING) {
        emit_fail(ix, member, "zip nested more than %d deep",
                  IMPORT_MAX_NESTING);
        archive_read_data_skip(a);
        return;
    }
    n = rc_malloc(sizeof(*n));
    inner = archive_for_zip();
    if (!n || !inner) {
        rc_free(n);
        if (inner)
            archive_read_free(inner);
        emit_fail(ix, member, "out of memory");
        return;
    }
    n->parent = a;
    if (archive_read_open(inner, n, NULL, nest_read, NULL) != ARCHIVE_OK)
        emit_fail(ix, member, "not a readable zip: %s",
                  archive_error_string(inner));
    else
        walk_archive(ix, inner, member, depth + 1, false);
    archive_read_free(inner);
    rc_free(n);
    archive_read_data_skip(a);
}

/* A member that is an activity file or Strava's activities.csv: read it
 * (counted against the queue's budget) and hand it on. -1 when the
 * archive cannot be read past it (reported). */
static int take_member(struct import_ctx *ix, struct archive *a,
                       struct archive_entry *e, enum name_kind kind,
                       const char *name, const char *member,
                       const char *display)
{
    unsigned char *data = NULL;
    size_t len = 0, max = kind == NAME_CSV ? CSV_MAX_BYTES
                                           : IMPORT_MAX_FILE_BYTES;
    char reason[512];
    bool fatal;
    size_t budget = archive_entry_size_is_set(e) &&
                            archive_entry_size(e) > 0 &&
                            archive_entry_size(e) <= (la_int64_t)max
                        ? (size_t)archive_entry_size(e)
                        : 0;

    import_budget_take(ix, budget);
    if (read_member(a, e, max, &data, &len, reason, sizeof(reason),
                    &fatal) < 0) {
        import_budget_give(ix, budget);
        emit_fail(ix, member, "%s", reason);
        if (fatal) {
            emit_fail(ix, display, "cannot read the archive past %s", name);
            return -1;
        }
        return 0;
    }
    if (kind == NAME_CSV) {
        char prefix[4096];
        size_t dir = (size_t)(base_name(name) - name);
        import_budget_give(ix, budget);
        snprintf(prefix, sizeof(prefix), "%s:%.*s", display, (int)dir, name);
        emit_csv(ix, member, data, len, prefix);
        rc_free(data);
        return 0;
    }
    if (!budget && len) {
        /* a streamed member that did not say its size: count it now that
         * it is read (this may wait for room) */
        budget = len;
        import_budget_take(ix, budget);
    }
    emit_file(ix, member, data, len, budget, NULL);
    return 0;
}

static void walk_archive(struct import_ctx *ix, struct archive *a,
                         const char *display, int depth, bool top)
{
    struct archive_entry *e;
    int r;
    uint64_t reported = 0;

    while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK ||
           r == ARCHIVE_WARN) {
        const char *name = archive_entry_pathname(e);
        char member[4096];
        enum name_kind kind;

        if (atomic_load_bool(&ix->abort))
            return;
        if (top) {
            uint64_t pos = (uint64_t)archive_filter_bytes(a, -1);
            if (pos > reported) {
                atomic_add_u64(&ix->bytes_done, pos - reported);
                reported = pos;
            }
        }
        if (!name)
            name = "";
        snprintf(member, sizeof(member), "%s:%s", display, name);
        if (archive_entry_filetype(e) == AE_IFDIR)
            continue;
        if (!safe_member_name(name) || !name[0]) {
            emit_fail(ix, member, "member name \"%s\" leaves the archive "
                                  "(absolute or with ..): not imported",
                      name);
            archive_read_data_skip(a);
            continue;
        }
        kind = classify(name);
        if (kind == NAME_ZIP) {
            walk_nested(ix, a, member, depth);
            continue;
        }
        if (kind == NAME_CSV || kind == NAME_ACTIVITY) {
            if (take_member(ix, a, e, kind, name, member, display) < 0)
                return;
            continue;
        }
        emit_skip(ix, member, kind == NAME_HIDDEN
                                  ? "hidden file"
                                  : "not an activity file by its name");
        archive_read_data_skip(a);
    }
    if (r != ARCHIVE_EOF)
        emit_fail(ix, display, "corrupt zip: %s",
                  archive_error_string(a) ? archive_error_string(a)
                                          : "cannot read the next member");
    if (top) {
        uint64_t pos = (uint64_t)archive_filter_bytes(a, -1);
        if (pos > reported)
            atomic_add_u64(&ix->bytes_done, pos - reported);
    }
}

static void walk_zip_file(struct import_ctx *ix, const char *path,
                          const struct stat *st)
{
    struct archive *a;
    unsigned char key[32];

    /* a zip imported in full before, untouched since: not read again */
    import_disk_key("zip", path, (int64_t)st->st_size, mtime_ns(st), key);
    if (import_set_has(ix, key) && !(ix->opts->flags & IMPORT_RESTORE)) {
        emit_archive(ix, ITEM_ARCHIVE_DUP, path, key);
        atomic_add_u64(&ix->bytes_done, (uint64_t)st->st_size);
        return;
    }
    {
        struct rc_err err = RC_ERR_INIT;
        if (rc_arch_load(&err) < 0) { /* libarchive is not installed */
            emit_fail(ix, path, "%s", err.msg);
            return;
        }
    }
    a = archive_for_zip();
    if (!a) {
        emit_fail(ix, path, "out of memory");
        return;
    }
    ix->cur_archive = ix->narchives++;
    if (archive_read_open_filename(a, path, 64 << 10) != ARCHIVE_OK)
        emit_fail(ix, path, "not a readable zip: %s",
                  archive_error_string(a) ? archive_error_string(a) : "");
    else
        walk_archive(ix, a, path, 1, true);
    archive_read_free(a);
    emit_archive(ix, ITEM_ARCHIVE_END, path, key);
    ix->cur_archive = -1;
}

/* ---- the thread ---- */

/* The bytes the walk will read, for the progress bar's ETA (a quick
 * stat-only walk; loops and errors are left to the real walk). */
static uint64_t total_bytes(const char *path, struct visited *v, int depth)
{
    struct stat st;
    uint64_t sum = 0;
    if (depth > 64 || stat(path, &st) < 0)
        return 0;
    if (S_ISREG(st.st_mode))
        return (uint64_t)st.st_size;
    if (S_ISDIR(st.st_mode) && visit(v, &st)) {
        DIR *d = opendir(path);
        struct dirent *e;
        if (!d)
            return 0;
        while ((e = readdir(d))) {
            char sub[4096];
            int k;
            if (!dir_select(e))
                continue;
            k = snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
            if (k > 0 && (size_t)k < sizeof(sub))
                sum += total_bytes(sub, v, depth + 1);
        }
        closedir(d);
    }
    return sum;
}

static void *count_bytes(void *arg)
{
    struct import_ctx *ix = arg;
    struct visited v = { 0 };
    uint64_t total = 0;

    for (size_t i = 0; i < ix->npaths; i++)
        total += total_bytes(ix->paths[i], &v, 0);
    __atomic_store_n(&ix->bytes_total, total, __ATOMIC_RELAXED);
    visited_release(&v);
    return NULL;
}

/* The total is counted on a thread of its own while the walk starts: a
 * stat of every file (40 ms for 3,500) before the first one is read kept
 * the workers idle. Until it is known, the progress shows no ETA. */
void *import_walk(void *arg)
{
    struct import_ctx *ix = arg;
    struct visited v = { 0 };
    pthread_t counter;
    bool counting = pthread_create(&counter, NULL, count_bytes, ix) == 0;

    if (!counting)
        count_bytes(ix);
    for (size_t i = 0; i < ix->npaths; i++)
        walk_path(ix, &v, ix->paths[i], true);
    visited_release(&v);
    if (counting)
        pthread_join(counter, NULL);
    import_queue_producer_done(&ix->in);
    import_queue_producer_done(&ix->out);
    return NULL;
}
