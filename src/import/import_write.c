/* import_write.c - the writer of the import pipeline (see import.h,
 * import.c), the one thread that touches the store: duplicates by hash
 * and by "same run", each file a unit (a savepoint) in a transaction
 * shared by about 32 files, the import log, Strava's names, types and
 * gear at the end, and the progress the caller sees. */
#include <time.h>

#include "base/base.h"
#include "base/alloc.h"
#include "base/time.h"
#include "base/sha256.h"
#include "decode/decode.h"
#include "import/import_int.h"

/* ---- the same run recorded twice ---- */

static double duration(const struct activity *a)
{
    if (activity_known(a->elapsed_s) && a->elapsed_s > 0)
        return a->elapsed_s;
    if (activity_known(a->timer_s) && a->timer_s > 0)
        return a->timer_s;
    return 0;
}

bool import_same_run(const struct activity *a, const struct activity *b)
{
    double da = duration(a), db = duration(b), lo, hi, inter, uni;
    if (!activity_known(a->start_s) || !activity_known(b->start_s) ||
        strcmp(a->sport, b->sport) ||
        fabs(a->start_s - b->start_s) > IMPORT_SAME_RUN_START_S ||
        da <= 0 || db <= 0)
        return false;
    lo = fmax(a->start_s, b->start_s);
    hi = fmin(a->start_s + da, b->start_s + db);
    inter = hi - lo;
    uni = fmax(a->start_s + da, b->start_s + db) -
          fmin(a->start_s, b->start_s);
    return inter > 0 && inter / uni > IMPORT_SAME_RUN_OVERLAP;
}

static int channel_score(unsigned ch)
{
    int n = 0;
    /* a position is one channel however it is stored */
    if (ch & (STORE_CH_LAT | STORE_CH_LON))
        n++;
    ch &= ~(unsigned)(STORE_CH_LAT | STORE_CH_LON | STORE_CH_TIME);
    for (; ch; ch &= ch - 1)
        n++;
    return n;
}

/* A format's rank in the registry; 0 for a run logged without a file. */
static int format_rank(const char *name)
{
    const struct decode_format *f = decode_find(name);
    return f ? f->rank : 0;
}

int import_richer(const char *format_a, unsigned channels_a, long samples_a,
                  const char *format_b, unsigned channels_b, long samples_b)
{
    int d = channel_score(channels_a) - channel_score(channels_b);
    if (d)
        return d;
    d = format_rank(format_a) - format_rank(format_b);
    if (d)
        return d;
    return (samples_a > samples_b) - (samples_a < samples_b);
}

/* ---- the writer ---- */

struct writer {
    struct import_ctx *ix;
    struct store *s;
    struct import_summary *sum;
    struct item *deferred; /* same bytes as a file not yet written */
    struct item *csvs;     /* Strava indexes, applied at the end */
    struct timespec t0;
    double last_progress;
    int64_t superseded; /* the last activity a richer recording replaced */
    long nsuperseded;   /* in the file being written */
    /* per top-level zip (item->archive): what became of its members */
    struct archive_tally {
        long files, skipped, failed;
    } *tally;
    int ntally;
    struct item *archive_ends; /* zips read to their end */
    long batch; /* weight of the open batch transaction + 1, 0: none open */
};

/* Files share transactions: one commit per file made a first import of
 * 3,500 runs write each table's and index's last pages 3,500 times, and a
 * re-import of unchanged files made 3,500 commits. Each file is a unit of
 * its own inside the batch (a savepoint: a file that cannot be stored is
 * undone alone), and the batch is committed when it holds BATCH_WEIGHT:
 * a file that stores activities weighs STORED_WEIGHT, a log line alone 1,
 * so a batch is about 32 new runs or 500 lines, and at the end. A kill
 * loses at most the batch, every activity in it whole or absent, and the
 * next run imports it again. */
#define BATCH_WEIGHT 500
#define STORED_WEIGHT 16

static int batch_open(struct writer *w, struct rc_err *err)
{
    if (w->batch)
        return 0;
    if (store_begin(w->s, err) < 0)
        return -1;
    w->batch = 1;
    return 0;
}

static int batch_close(struct writer *w, struct rc_err *err)
{
    if (!w->batch)
        return 0;
    w->batch = 0;
    return store_commit(w->s, err);
}

/* After one more file in the batch: commit when it is full. */
static int batch_count(struct writer *w, long weight, struct rc_err *err)
{
    if (w->batch && (w->batch += weight) > BATCH_WEIGHT)
        return batch_close(w, err);
    return 0;
}

/* The tally of the zip an item came from, or NULL. */
static struct archive_tally *tally_of(struct writer *w, const struct item *it)
{
    if (it->archive < 0)
        return NULL;
    if (it->archive >= w->ntally) {
        int n = it->archive + 16;
        struct archive_tally *t = rc_realloc(w->tally, (size_t)n * sizeof(*t));
        if (!t)
            return NULL;
        memset(t + w->ntally, 0, (size_t)(n - w->ntally) * sizeof(*t));
        w->tally = t;
        w->ntally = n;
    }
    return &w->tally[it->archive];
}

static void tally(struct writer *w, const struct item *it,
                  enum store_import_status st)
{
    struct archive_tally *t = tally_of(w, it);
    if (!t)
        return;
    if (st == STORE_FAILED)
        t->failed++;
    else if (st == STORE_SKIPPED)
        t->skipped++;
    else
        t->files++;
}

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) +
           (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void add_failure(struct import_summary *sum, const char *path,
                        const char *reason)
{
    struct import_failure *f;
    sum->failed++;
    if (sum->nfailures >= IMPORT_MAX_FAILURES)
        return;
    if (!sum->failures) {
        sum->failures = rc_calloc(IMPORT_MAX_FAILURES, sizeof(*f));
        if (!sum->failures)
            return;
    }
    f = &sum->failures[sum->nfailures++];
    snprintf(f->path, sizeof(f->path), "%s", path);
    snprintf(f->reason, sizeof(f->reason), "%s", reason);
}

static int log_line(struct writer *w, const struct item *it,
                    enum store_import_status st, const char *reason,
                    int64_t activity_id, struct rc_err *err)
{
    tally(w, it, st);
    struct store_import_entry e = {
        .run = w->sum->run,
        .path = it->path,
        .sha256 = it->kind == ITEM_FILE && it->result != R_NONE &&
                          it->result != R_FAILED && !it->sha_is_key
                      ? it->sha : NULL,
        .size = it->kind == ITEM_FILE ? (int64_t)it->size : -1,
        .status = st,
        .reason = reason,
        .activity_id = activity_id,
    };
    return store_log_import(w->s, &e, err);
}

/* A file that failed: its log line, and the summary. */
static int write_failure(struct writer *w, const struct item *it,
                         const char *reason, struct rc_err *err)
{
    add_failure(w->sum, it->path, reason);
    return log_line(w, it, STORE_FAILED, reason, 0, err);
}

/* Store one activity and settle "the same run recorded twice": *dup_of is
 * the activity that stands for it when it lost (0 when it stands). */
static int place_activity(struct writer *w, const struct activity *a,
                          const struct store_samples *smp,
                          const char *format, int64_t source_id, int64_t *id,
                          int64_t *dup_of, struct rc_err *err)
{
    struct store_activity *near = NULL;
    size_t n = 0;
    unsigned ch = smp->channels;

    *dup_of = 0;
    if (activity_known(a->start_s) &&
        store_find_near(w->s, a->sport, a->start_s, IMPORT_SAME_RUN_START_S,
                        &near, &n, err) < 0)
        return -1;
    if (store_add_activity_encoded(w->s, a, smp, source_id, id, err) < 0)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        if (!import_same_run(&near[i].act, a))
            continue;
        if (import_richer(format, ch, (long)smp->count, near[i].format,
                          near[i].channels, near[i].nsamples) > 0) {
            if (store_mark_duplicate(w->s, near[i].id, *id, err) < 0)
                goto fail;
            w->superseded = near[i].id;
            w->nsuperseded++;
        } else {
            if (store_mark_duplicate(w->s, *id, near[i].id, err) < 0)
                goto fail;
            *dup_of = near[i].id;
            break;
        }
    }
    rc_free(near);
    return 0;
fail:
    rc_free(near);
    return -1;
}

static void device_text(const struct activity_file *f, char *out, size_t n)
{
    const struct activity_device *d;
    out[0] = '\0';
    if (!f->nacts)
        return;
    d = &f->acts[0].device;
    snprintf(out, n, "%s%s%s", d->manufacturer,
             d->manufacturer[0] && d->product_name[0] ? " " : "",
             d->product_name);
}

/* One decoded file as one unit of the batch: source, activities, log
 * line. */
static int write_decoded(struct writer *w, struct item *it,
                         struct rc_err *err)
{
    struct store_source src;
    struct activity_file *f = &it->file;
    int64_t sid, first = 0, first_dup = 0;
    long added = 0;
    char reason[256] = "";
    enum store_import_status st;

    memset(&src, 0, sizeof(src));
    snprintf(src.path, sizeof(src.path), "%s", it->path);
    src.size = (int64_t)it->size;
    memcpy(src.sha256, it->sha, 32);
    memcpy(src.raw_sha256, it->raw_sha, 32);
    src.has_raw = it->has_raw;
    memcpy(src.seen_key, it->key, 32);
    src.has_seen = it->has_key;
    snprintf(src.format, sizeof(src.format), "%s", f->format);
    device_text(f, src.device, sizeof(src.device));
    snprintf(src.note, sizeof(src.note), "%s", f->note);
    src.imported_s = rc_now();

    w->superseded = 0;
    w->nsuperseded = 0;
    if (store_unit_begin(w->s, err) < 0)
        return -1;
    if (store_add_source(w->s, &src, &sid, err) < 0)
        goto fail;
    for (size_t i = 0; i < f->nacts; i++) {
        int64_t id, dup_of;
        if (place_activity(w, &f->acts[i], &it->blobs[i], f->format, sid,
                           &id, &dup_of, err) < 0)
            goto fail;
        if (!dup_of) {
            added++;
            if (!first)
                first = id;
        } else if (!first_dup) {
            first_dup = dup_of;
        }
    }
    if (f->nacts == 0) {
        st = STORE_NOT_ACTIVITY;
        snprintf(reason, sizeof(reason), "%s",
                 f->note[0] ? f->note : "no activity in it");
    } else if (added == 0) {
        st = STORE_DUPLICATE;
        snprintf(reason, sizeof(reason), "the same run as activity %lld, "
                                         "recorded more richly",
                 (long long)first_dup);
        first = first_dup;
    } else {
        st = f->salvaged ? STORE_SALVAGED : STORE_IMPORTED;
        if (f->salvaged && f->nwarnings)
            snprintf(reason, sizeof(reason), "%s", f->warnings[0]);
        else if (w->superseded)
            snprintf(reason, sizeof(reason), "a richer recording of the run "
                                             "in activity %lld, which it "
                                             "now stands for",
                     (long long)w->superseded);
    }
    if (log_line(w, it, st, reason, first, err) < 0 ||
        store_unit_end(w->s, err) < 0)
        goto fail;
    w->sum->duplicates += w->nsuperseded;
    switch (st) {
    case STORE_NOT_ACTIVITY: w->sum->not_activities++; break;
    case STORE_DUPLICATE: w->sum->duplicates++; break;
    case STORE_SALVAGED: w->sum->salvaged++; /* fall through */
    default: w->sum->imported++; break;
    }
    return 0;
fail:
    store_unit_undo(w->s);
    return -1;
}

/* A file whose bytes are already stored. 1 when settled, 0 when the first
 * copy is still on its way (deferred), -1 on error. */
static int write_dup_hash(struct writer *w, struct item *it,
                          struct rc_err *err)
{
    int64_t sid, act = 0;
    bool deleted = false;
    int found = store_source_find(w->s, it->sha, &sid, err);
    if (found <= 0)
        return found;
    if (store_source_activity(w->s, sid, &act, &deleted, err) < 0)
        return -1;
    if (act && deleted) {
        bool restore = w->ix->opts->flags & IMPORT_RESTORE;
        w->sum->removed++;
        if (restore && store_activity_set_deleted(w->s, act, false, err) < 0)
            return -1;
        w->sum->restored += restore;
        if (log_line(w, it, STORE_DUPLICATE,
                     restore ? "removed from the log before; brought "
                               "back (--restore)"
                             : "removed from the log before; "
                               "--restore brings it back",
                     act, err) < 0)
            return -1;
        w->sum->duplicates++;
        return 1;
    }
    if (log_line(w, it, STORE_DUPLICATE, "the same bytes are already in the "
                                         "log", act, err) < 0)
        return -1;
    w->sum->duplicates++;
    return 1;
}

static void progress(struct writer *w, bool done)
{
    struct import_progress p;
    double t = since(&w->t0);
    if (!w->ix->opts->progress || (!done && t - w->last_progress < 0.1))
        return;
    w->last_progress = t;
    p.files = w->sum->files;
    p.bytes_done = atomic_load_u64(&w->ix->bytes_done);
    p.bytes_total = atomic_load_u64(&w->ix->bytes_total);
    p.elapsed_s = t;
    p.done = done;
    w->ix->opts->progress(&p, w->ix->opts->ctx);
}

/* Handle one item from the workers. -1 only for errors that stop the
 * import (the database); a bad file is a failure line, not an error. */
static int write_item(struct writer *w, struct item *it, struct rc_err *err)
{
    char text[600];
    int rc = 0;
    bool stores = it->kind == ITEM_FILE && it->result == R_DECODED;

    if (it->kind != ITEM_CSV && it->kind != ITEM_ARCHIVE_END) {
        if (batch_open(w, err) < 0) {
            import_item_free(w->ix, it);
            return -1;
        }
    }
    switch (it->kind) {
    case ITEM_CSV:
        /* kept to the end: holds no budget */
        import_item_drop_budget(w->ix, it);
        it->next = w->csvs;
        w->csvs = it;
        return 0;
    case ITEM_ARCHIVE_END:
        import_item_drop_budget(w->ix, it);
        it->next = w->archive_ends;
        w->archive_ends = it;
        return 0;
    case ITEM_ARCHIVE_DUP: {
        long files = 0, skipped = 0;
        char reason[128];
        rc = store_archive_find(w->s, it->key, &files, &skipped, err);
        if (rc > 0) {
            w->sum->files += files + skipped;
            w->sum->duplicates += files;
            w->sum->skipped += skipped;
            snprintf(reason, sizeof(reason), "imported in full before: %ld "
                                             "activity files, %ld others",
                     files, skipped);
            rc = log_line(w, it, STORE_DUPLICATE, reason, 0, err);
        }
        break;
    }
    case ITEM_FAIL:
        w->sum->files++;
        rc = write_failure(w, it, it->reason, err);
        break;
    case ITEM_SKIP:
        w->sum->files++;
        w->sum->skipped++;
        rc = log_line(w, it, STORE_SKIPPED, it->reason, 0, err);
        break;
    case ITEM_FILE:
        w->sum->files++;
        /* another import of the same log may have stored these bytes
         * since this one read the log's hashes: two imports at once take
         * turns at the write lock, and the second finds the first's */
        if (it->result == R_DECODED) {
            int known = store_source_find(w->s, it->sha, NULL, err);
            if (known < 0) {
                rc = -1;
                break;
            }
            if (known)
                it->result = R_DUP_HASH;
        }
        if (it->result == R_FAILED) {
            struct rc_err shown = it->err;
            shown.file[0] = '\0';
            rc = write_failure(w, it, rc_err_format(&shown, text,
                                                    sizeof(text)), err);
        } else if (it->result == R_DUP_HASH) {
            rc = write_dup_hash(w, it, err);
            if (rc == 0) {
                w->sum->files--; /* counted when settled */
                import_item_drop_budget(w->ix, it);
                it->next = w->deferred;
                w->deferred = it;
                return batch_count(w, 1, err);
            }
            rc = rc < 0 ? -1 : 0;
        } else if (it->result == R_DECODED) {
            rc = write_decoded(w, it, err);
            if (rc < 0 && err && err->status == RC_EINPUT) {
                /* the file's content cannot be stored: a failure of it */
                struct rc_err bad = *err;
                rc_err_clear(err);
                rc = write_failure(w, it, rc_err_format(&bad, text,
                                                        sizeof(text)), err);
            }
        }
        break;
    }
    import_item_free(w->ix, it);
    if (rc == 0)
        rc = batch_count(w, stores ? STORED_WEIGHT : 1, err);
    return rc;
}

/* Files whose first copy in this run was written after them. */
static int write_deferred(struct writer *w, struct rc_err *err)
{
    while (w->deferred) {
        struct item *it = w->deferred;
        int rc;
        w->deferred = it->next;
        w->sum->files++;
        rc = write_dup_hash(w, it, err);
        if (rc == 0)
            rc = write_failure(w, it, "the same bytes as another file of this "
                                      "import, which failed", err);
        import_item_free(w->ix, it);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* The runner's words (title, description), sport and gear of a Strava
 * row on activity id. */
static int apply_row(struct writer *w, const struct strava_row *r, int64_t id,
                     struct rc_err *err)
{
    const char *sport, *sub = NULL;
    if (store_set_title(w->s, id, r->name[0] ? r->name : NULL,
                        r->description[0] ? r->description : NULL, err) < 0)
        return -1;
    sport = import_strava_sport(r->type, &sub);
    if (sport && store_set_sport(w->s, id, sport, sub, err) < 0)
        return -1;
    if (r->gear[0] && sport && !strcmp(sport, "running")) {
        int64_t shoe;
        if (store_shoe_ensure(w->s, r->gear, &shoe, err) < 0 ||
            store_set_shoe(w->s, id, shoe, err) < 0)
            return -1;
    }
    w->sum->strava_rows++;
    return 0;
}

/* A row entered by hand on Strava (no file): a logged run, recognised on
 * the next import by a source keyed on its Activity ID and date. A row
 * whose date cannot be read, or is before 1990 or in the future, is a
 * failure line; a known one a duplicate (brought back with --restore when
 * the runner removed it). */
static int add_manual(struct writer *w, const struct item *it,
                      const struct strava_row *r, size_t row,
                      struct rc_err *err)
{
    struct store_import_entry e = { .run = w->sum->run, .size = -1 };
    struct store_source src;
    struct activity a;
    struct rc_sha256 h;
    char path[1024], reason[256] = "", t[32];
    double start = import_strava_date(r->date);
    int64_t sid, id = 0;
    int found;

    if (r->id[0])
        snprintf(path, sizeof(path), "%sactivities.csv (Activity ID %s)",
                 it->prefix, r->id);
    else
        snprintf(path, sizeof(path), "%sactivities.csv (row %zu)",
                 it->prefix, row + 1);
    e.path = path;
    memset(&src, 0, sizeof(src));
    rc_sha256_init(&h);
    rc_sha256_update(&h, "strava manual", 14);
    rc_sha256_update(&h, r->id, strlen(r->id) + 1);
    rc_sha256_update(&h, r->date, strlen(r->date) + 1);
    rc_sha256_final(&h, src.sha256);
    e.sha256 = src.sha256;
    if (!activity_known(start))
        snprintf(reason, sizeof(reason), "Activity Date \"%s\" is not a "
                                         "date",
                 r->date);
    else if (start < 631152000.0 || start > rc_now() + 86400)
        snprintf(reason, sizeof(reason), "Activity Date %s is %s",
                 rc_time_format(start, t),
                 start < 631152000.0 ? "before 1990" : "in the future");
    if (reason[0]) {
        add_failure(w->sum, path, reason);
        w->sum->files++;
        e.status = STORE_FAILED;
        e.sha256 = NULL;
        e.reason = reason;
        return store_log_import(w->s, &e, err);
    }
    found = store_source_find(w->s, src.sha256, &sid, err);
    if (found < 0)
        return -1;
    w->sum->files++;
    if (found) {
        struct store_activity sa;
        bool restore = w->ix->opts->flags & IMPORT_RESTORE;
        if (store_source_activity(w->s, sid, &id, NULL, err) < 0 ||
            (id && store_get_activity(w->s, id, &sa, NULL, err) < 0))
            return -1;
        e.status = STORE_DUPLICATE;
        e.activity_id = id;
        e.reason = "entered by hand on Strava: already in the log";
        w->sum->duplicates++;
        if (id && sa.deleted) {
            w->sum->removed++;
            if (restore &&
                store_activity_set_deleted(w->s, id, false, err) < 0)
                return -1;
            w->sum->restored += restore;
        }
        return store_log_import(w->s, &e, err);
    }
    snprintf(src.path, sizeof(src.path), "%s", path);
    snprintf(src.format, sizeof(src.format), "manual");
    snprintf(src.note, sizeof(src.note), "entered by hand on Strava");
    src.imported_s = rc_now();
    activity_init(&a);
    snprintf(a.sport, sizeof(a.sport), "%s",
             import_strava_sport(r->type, NULL)
                 ? import_strava_sport(r->type, NULL)
                 : "generic");
    a.start_s = start;
    a.elapsed_s = r->elapsed_s;
    a.moving_s = a.timer_s = activity_known(r->moving_s) ? r->moving_s
                                                         : r->elapsed_s;
    a.distance_m = r->distance_m;
    if (store_add_source(w->s, &src, &sid, err) < 0 ||
        store_add_activity(w->s, &a, sid, &id, err) < 0 ||
        apply_row(w, r, id, err) < 0)
        return -1;
    e.status = STORE_IMPORTED;
    e.activity_id = id;
    e.reason = "entered by hand on Strava";
    w->sum->imported++;
    w->sum->strava_manual++;
    return store_log_import(w->s, &e, err);
}

/* Apply one Strava activities.csv to the activities its files gave. */
static int apply_csv(struct writer *w, struct item *it, struct rc_err *err)
{
    if (store_begin(w->s, err) < 0)
        return -1;
    for (size_t i = 0; i < it->csv.nrows; i++) {
        const struct strava_row *r = &it->csv.rows[i];
        char path[4096];
        int64_t id;
        if (!r->filename[0]) {
            if (add_manual(w, it, r, i, err) < 0)
                goto fail;
            continue;
        }
        snprintf(path, sizeof(path), "%s%s", it->prefix, r->filename);
        if (store_import_find(w->s, w->sum->run, path, &id, err) < 0)
            goto fail;
        if (id && apply_row(w, r, id, err) < 0)
            goto fail;
    }
    return store_commit(w->s, err);
fail:
    store_rollback(w->s);
    return -1;
}

/* ---- the writer's loop and its end ---- */

/* After the last item: commit the open batch, settle the files whose
 * first copy was written after them, apply Strava's indexes, remember the
 * zips read whole, and the totals. rc: the loop's result. */
static int finish(struct writer *w, int rc, const struct store_totals *before,
                  struct rc_err *err)
{
    if (rc == 0) {
        rc = batch_close(w, err);
    } else if (w->batch) {
        /* the database failed on one file, which was undone: keep the
         * files before it in the batch if it can still commit */
        struct rc_err again;
        rc_err_clear(&again);
        batch_close(w, &again);
    }
    w->batch = 0;
    if (rc == 0)
        rc = write_deferred(w, err);
    while (w->csvs) {
        struct item *c = w->csvs;
        w->csvs = c->next;
        if (rc == 0 && apply_csv(w, c, err) < 0)
            rc = -1;
        import_item_free(w->ix, c);
    }
    while (w->deferred) {
        struct item *d = w->deferred;
        w->deferred = d->next;
        import_item_free(w->ix, d);
    }
    /* zips whose every member is settled, none failed: next time they are
     * recognised whole */
    while (w->archive_ends) {
        struct item *a = w->archive_ends;
        struct archive_tally *t = tally_of(w, a);
        w->archive_ends = a->next;
        if (rc == 0 && t && t->failed == 0 &&
            store_archive_done(w->s, a->key, a->path, t->files, t->skipped,
                               err) < 0)
            rc = -1;
        import_item_free(w->ix, a);
    }
    rc_free(w->tally);
    store_bulk_end(w->s);
    if (rc == 0 && store_totals(w->s, &w->sum->totals, err) < 0)
        rc = -1;
    w->sum->activities = w->sum->totals.activities - before->activities;
    progress(w, true);
    return rc;
}

int import_write(struct import_ctx *ix, struct store *s,
                 struct import_summary *sum,
                 const struct store_totals *before, struct rc_err *err)
{
    struct writer w;
    struct item *it;
    int rc = 0;

    memset(&w, 0, sizeof(w));
    w.ix = ix;
    w.s = s;
    w.sum = sum;
    clock_gettime(CLOCK_MONOTONIC, &w.t0);
    w.last_progress = -1; /* the first item shows the bar at once */
    if (store_bulk_begin(s, 0, err) < 0)
        rc = -1;
    while ((it = import_queue_pop(&ix->out))) {
        if (rc < 0) {
            import_item_free(ix, it); /* draining after a fatal error */
            continue;
        }
        if (write_item(&w, it, err) < 0) {
            rc = -1;
            __atomic_store_n(&ix->abort, true, __ATOMIC_RELAXED);
        }
        progress(&w, false);
    }
    return finish(&w, rc, before, err);
}
