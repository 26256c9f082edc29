/* import.c - the import pipeline (see import.h): queues between the
 * walker (import_walk.c), the decoding workers and the writer
 * (import_write.c, which alone touches the store); the set of hashes
 * stored or claimed; what each worker does to a file (gunzip, hash,
 * decode); and the threads of one import. */
#include <unistd.h>
#include <zlib.h>

#include "base/base.h"
#include "base/time.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "decode/decode.h"
#include "import/import_int.h"

/* ---- items and queues ---- */

struct item *import_item_new(enum item_kind kind, const char *path)
{
    struct item *it = rc_calloc(1, sizeof(*it));
    if (!it)
        return NULL;
    it->kind = kind;
    it->path = rc_strdup(path);
    if (!it->path) {
        rc_free(it);
        return NULL;
    }
    activity_file_init(&it->file);
    rc_err_clear(&it->err);
    it->archive = -1;
    return it;
}

void import_item_drop_budget(struct import_ctx *ix, struct item *it)
{
    if (it->budget) {
        import_budget_give(ix, it->budget);
        it->budget = 0;
    }
}

void import_item_free(struct import_ctx *ix, struct item *it)
{
    if (!it)
        return;
    rc_free(it->data);
    if (it->budget)
        import_budget_give(ix, it->budget);
    if (it->blobs)
        for (size_t i = 0; i < it->file.nacts; i++)
            rc_free((void *)it->blobs[i].blob);
    rc_free(it->blobs);
    activity_file_release(&it->file);
    import_strava_csv_release(&it->csv);
    rc_free(it->prefix);
    rc_free(it->path);
    rc_free(it);
}

static void queue_init(struct queue *q, size_t max_count, int producers)
{
    memset(q, 0, sizeof(*q));
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->can_pop, NULL);
    pthread_cond_init(&q->can_push, NULL);
    q->max_count = max_count;
    q->producers = producers;
}

static void queue_destroy(struct queue *q)
{
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->can_pop);
    pthread_cond_destroy(&q->can_push);
}

/* Waking a thread costs a context switch or two (a paravirtualised VM
 * makes them dear), so the queues wake only a thread that waits, after
 * the lock is let go (a thread woken under it wakes only to wait for the
 * lock), and a full queue wakes its producers only once it is half empty:
 * the walker then reads files in bursts instead of one per pop. A first
 * import of 3,500 files went from 11,200-12,800 context switches to
 * 3,600-4,700. */
void import_queue_push(struct queue *q, struct item *it)
{
    bool wake;
    pthread_mutex_lock(&q->mu);
    while (q->count >= q->max_count) {
        q->push_waiters++;
        pthread_cond_wait(&q->can_push, &q->mu);
        q->push_waiters--;
    }
    it->next = NULL;
    if (q->tail)
        q->tail->next = it;
    else
        q->head = it;
    q->tail = it;
    q->count++;
    wake = q->pop_waiters > 0;
    pthread_mutex_unlock(&q->mu);
    if (wake)
        pthread_cond_signal(&q->can_pop);
}

static struct item *queue_take(struct queue *q, bool wait)
{
    struct item *it;
    bool wake = false;
    pthread_mutex_lock(&q->mu);
    while (wait && !q->head && q->producers > 0) {
        q->pop_waiters++;
        pthread_cond_wait(&q->can_pop, &q->mu);
        q->pop_waiters--;
    }
    it = q->head;
    if (it) {
        q->head = it->next;
        if (!q->head)
            q->tail = NULL;
        q->count--;
        wake = q->push_waiters > 0 && q->count <= q->max_count / 2;
    }
    pthread_mutex_unlock(&q->mu);
    if (wake)
        pthread_cond_broadcast(&q->can_push);
    return it;
}

struct item *import_queue_pop(struct queue *q)
{
    return queue_take(q, true);
}

struct item *import_queue_trypop(struct queue *q)
{
    return queue_take(q, false);
}

void import_queue_producer_done(struct queue *q)
{
    pthread_mutex_lock(&q->mu);
    q->producers--;
    pthread_cond_broadcast(&q->can_pop);
    pthread_mutex_unlock(&q->mu);
}

void import_budget_take(struct import_ctx *ix, size_t n)
{
    pthread_mutex_lock(&ix->budget_mu);
    /* one file larger than the whole budget still goes, alone */
    while (ix->budget_used > 0 && ix->budget_used + n > IMPORT_QUEUE_BYTES) {
        ix->budget_waiters++;
        pthread_cond_wait(&ix->budget_cv, &ix->budget_mu);
        ix->budget_waiters--;
    }
    ix->budget_used += n;
    pthread_mutex_unlock(&ix->budget_mu);
}

void import_budget_give(struct import_ctx *ix, size_t n)
{
    bool wake;
    pthread_mutex_lock(&ix->budget_mu);
    ix->budget_used -= n;
    wake = ix->budget_waiters > 0;
    pthread_mutex_unlock(&ix->budget_mu);
    if (wake)
        pthread_cond_broadcast(&ix->budget_cv);
}

/* ---- the set of hashes stored or claimed ---- */

static uint64_t key_hash(const unsigned char *k)
{
    uint64_t h;
    memcpy(&h, k, sizeof(h)); /* SHA-256 bytes are already uniform */
    return h;
}

static bool is_zero(const unsigned char *k)
{
    static const unsigned char zero[32];
    return !memcmp(k, zero, 32);
}

/* Insert without locking or growing; the table has room. */
static bool set_put(struct import_ctx *ix, const unsigned char *k)
{
    size_t mask = ix->set_cap - 1, i = key_hash(k) & mask;
    if (is_zero(k)) {
        bool had = ix->set_has_zero;
        ix->set_has_zero = true;
        return !had;
    }
    for (;; i = (i + 1) & mask) {
        unsigned char *slot = ix->set + 32 * i;
        if (is_zero(slot)) {
            memcpy(slot, k, 32);
            ix->set_len++;
            return true;
        }
        if (!memcmp(slot, k, 32))
            return false;
    }
}

static int set_reserve(struct import_ctx *ix, size_t want)
{
    size_t cap = ix->set_cap ? ix->set_cap : 1024;
    unsigned char *old = ix->set, *nu;
    size_t old_cap = ix->set_cap;
    while (cap < 2 * want)
        cap *= 2;
    if (cap == ix->set_cap)
        return 0;
    nu = rc_calloc(cap, 32);
    if (!nu)
        return -1;
    ix->set = nu;
    ix->set_cap = cap;
    ix->set_len = 0;
    for (size_t i = 0; i < old_cap; i++)
        if (!is_zero(old + 32 * i))
            set_put(ix, old + 32 * i);
    rc_free(old);
    return 0;
}

void import_disk_key(const char *kind, const char *path, int64_t size,
                     int64_t mtime_ns, unsigned char key[32])
{
    struct rc_sha256 c;
    char nums[64];
    int k = snprintf(nums, sizeof(nums), "%lld\n%lld", (long long)size,
                     (long long)mtime_ns);
    rc_sha256_init(&c);
    rc_sha256_update(&c, kind, strlen(kind) + 1);
    rc_sha256_update(&c, path, strlen(path) + 1);
    rc_sha256_update(&c, nums, (size_t)k);
    rc_sha256_final(&c, key);
}

bool import_set_has(struct import_ctx *ix, const unsigned char *k)
{
    size_t mask, i;
    bool found = false;
    pthread_mutex_lock(&ix->set_mu);
    if (is_zero(k)) {
        found = ix->set_has_zero;
    } else {
        mask = ix->set_cap - 1;
        for (i = key_hash(k) & mask;; i = (i + 1) & mask) {
            const unsigned char *slot = ix->set + 32 * i;
            if (is_zero(slot))
                break;
            if (!memcmp(slot, k, 32)) {
                found = true;
                break;
            }
        }
    }
    pthread_mutex_unlock(&ix->set_mu);
    return found;
}

/* Claim a hash for this run: true if nobody had it. */
static bool set_claim(struct import_ctx *ix, const unsigned char *k)
{
    bool fresh;
    pthread_mutex_lock(&ix->set_mu);
    if (ix->set_len + 1 > ix->set_cap / 2 &&
        set_reserve(ix, ix->set_len + 1) < 0) {
        pthread_mutex_unlock(&ix->set_mu);
        return true; /* no memory to remember it: the store will tell */
    }
    fresh = set_put(ix, k);
    pthread_mutex_unlock(&ix->set_mu);
    return fresh;
}

/* ---- workers ---- */

/* gunzip p[0..n) (every member of a multi-member file) into *out. */
static int gunzip(const unsigned char *p, size_t n, struct rc_buf *out,
                  struct rc_err *err)
{
    z_stream z;
    unsigned char chunk[64 << 10];
    int rc = Z_OK;

    memset(&z, 0, sizeof(z));
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
        return rc_fail(err, RC_EENV, "out of memory");
    z.next_in = (unsigned char *)p;
    z.avail_in = n > UINT_MAX ? UINT_MAX : (unsigned)n;
    for (;;) {
        z.next_out = chunk;
        z.avail_out = sizeof(chunk);
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
            long at = (long)(z.next_in - p);
            inflateEnd(&z);
            return rc_fail_at(err, at, "corrupt gzip data: %s",
                              z.msg ? z.msg : "inflate failed");
        }
        if (rc_buf_append(out, chunk, sizeof(chunk) - z.avail_out, err) < 0) {
            inflateEnd(&z);
            rc_err_clear(err);
            return rc_fail_at(err, 0, "expands past the %zu MiB an activity "
                                      "file may have (a gzip bomb?)",
                              IMPORT_MAX_FILE_BYTES >> 20);
        }
        if (rc == Z_STREAM_END) {
            size_t used = (size_t)(z.next_in - p);
            /* another member follows (concatenated .gz), else done */
            if (used + 2 <= n && p[used] == 0x1f && p[used + 1] == 0x8b) {
                inflateReset(&z);
                continue;
            }
            break;
        }
        if (rc == Z_BUF_ERROR && z.avail_in == 0) {
            inflateEnd(&z);
            return rc_fail_at(err, (long)n, "gzip data cut off");
        }
    }
    inflateEnd(&z);
    return 0;
}

/* Encode each activity's samples here, on a decoding thread (the decoders
 * have filled the totals), so that the one writer only writes; the samples
 * themselves are then freed (the blob holds them), which keeps what waits
 * for the writer small. */
static int encode_samples(struct item *it)
{
    struct activity_file *f = &it->file;
    it->blobs = rc_calloc(f->nacts ? f->nacts : 1, sizeof(*it->blobs));
    if (!it->blobs)
        return rc_fail(&it->err, RC_EENV, "out of memory");
    for (size_t i = 0; i < f->nacts; i++) {
        struct activity *a = &f->acts[i];
        struct rc_buf b;
        unsigned char *blob, *fit;
        size_t len;
        rc_buf_init(&b, (size_t)ACTIVITY_MAX_SAMPLES * 64);
        if (store_samples_encode(a, &b, &it->blobs[i].channels,
                                 &it->err) < 0) {
            rc_buf_release(&b);
            return -1;
        }
        it->blobs[i].count = it->blobs[i].channels ? a->nsamples : 0;
        /* the buffer grew ahead of the blob by up to a column's worst
         * case: give the slack back while the blob waits its turn */
        blob = rc_buf_detach(&b, &len);
        fit = rc_realloc(blob, len + 1);
        it->blobs[i].blob = fit ? fit : blob;
        it->blobs[i].len = len;
        rc_free(a->samples);
        a->samples = NULL;
        a->nsamples = a->samples_cap = 0;
    }
    return 0;
}

/* The first instant an activity may start at (1990-01-01T00:00:00Z: no
 * GPS watch logged a run before), and how far past now (a day: the time
 * zones) it may. */
#define IMPORT_FIRST_START_S 631152000.0
#define IMPORT_FUTURE_SLACK_S 86400.0

/* A file whose activity starts before 1990 or in the future has a clock
 * that was not set (a GPX of 1901-12-13, the 32-bit epoch's minimum): it
 * is refused, or with --salvage kept undated, with a warning. */
static int check_times(struct activity_file *f, bool salvage,
                       struct rc_err *err)
{
    double now = rc_now();
    for (size_t i = 0; i < f->nacts; i++) {
        struct activity *a = &f->acts[i];
        char t[32];
        const char *why;
        if (!activity_known(a->start_s))
            continue;
        why = a->start_s < IMPORT_FIRST_START_S ? "before 1990"
              : a->start_s > now + IMPORT_FUTURE_SLACK_S ? "in the future"
                                                         : NULL;
        if (!why)
            continue;
        if (!salvage)
            return rc_fail(err, RC_EINPUT,
                           "its timestamps are not real: it starts %s, %s "
                           "(the device's clock was not set); --salvage "
                           "keeps it undated",
                           rc_time_format(a->start_s, t), why);
        if (f->nwarnings < ACTIVITY_FILE_MAX_WARNINGS)
            snprintf(f->warnings[f->nwarnings++], sizeof(f->warnings[0]),
                     "its timestamps are not real (it starts %s, %s): kept "
                     "undated",
                     rc_time_format(a->start_s, t), why);
        a->start_s = NAN;
        for (size_t k = 0; k < a->nsamples; k++)
            a->samples[k].time_s = NAN;
        for (size_t k = 0; k < a->nlaps; k++)
            a->laps[k].start_s = NAN;
        a->salvaged = f->salvaged = true;
    }
    return 0;
}

/* Do the bytes read start as gzip does (1f 8b)? */
static bool is_gzip(const struct item *it)
{
    return it->len >= 2 && it->data[0] == 0x1f && it->data[1] == 0x8b;
}

static void work(struct import_ctx *ix, struct item *it)
{
    import_decode_fn decode = ix->opts->decode ? ix->opts->decode
                                               : decode_buffer;
    unsigned flags = ix->opts->flags & IMPORT_SALVAGE ? ACTIVITY_SALVAGE : 0;

    if (is_gzip(it)) {
        struct rc_buf b;
        /* the same .gz again (an export imported twice): known by the hash
         * of its compressed bytes, without unpacking it */
        rc_sha256(it->data, it->len, it->raw_sha);
        it->has_raw = true;
        if (import_set_has(ix, it->raw_sha)) {
            memcpy(it->sha, it->raw_sha, sizeof(it->sha));
            it->size = it->len;
            it->result = R_DUP_HASH;
            goto done;
        }
        rc_buf_init(&b, IMPORT_MAX_FILE_BYTES);
        if (gunzip(it->data, it->len, &b, &it->err) < 0) {
            rc_buf_release(&b);
            it->result = R_FAILED;
            return;
        }
        rc_free(it->data);
        it->data = rc_buf_detach(&b, &it->len);
    }
    it->size = it->len;
    if (!it->has_sha)
        rc_sha256(it->data, it->len, it->sha);
    if (!set_claim(ix, it->sha)) {
        it->result = R_DUP_HASH;
    } else if (decode(it->data, it->len, flags, &it->file, &it->err) < 0) {
        it->result = R_FAILED;
    } else if (check_times(&it->file, flags & ACTIVITY_SALVAGE, &it->err) <
               0) {
        activity_file_release(&it->file);
        it->result = R_FAILED;
    } else {
        it->result = R_DECODED;
        if (encode_samples(it) < 0)
            it->result = R_FAILED;
    }
done:
    /* The bytes are no longer needed. A decoded file keeps its budget
     * until the writer has stored it: its blobs and totals wait in the
     * queue to the writer instead, so the budget bounds them too. */
    rc_free(it->data);
    it->data = NULL;
    if (it->result != R_DECODED)
        import_item_drop_budget(ix, it);
}

/* A file this worker will hash as it is (not settled, not a .gz, which
 * is hashed once unpacked). */
static bool wants_hash(const struct item *it)
{
    return it->kind == ITEM_FILE && it->result == R_NONE && !it->has_sha &&
           !is_gzip(it);
}

/* Files are hashed two at a time where two wait, 1.4 times as fast as one
 * by one (rc_sha256_pair): a worker that takes a file takes the next too
 * if it is there, hashes both, and works on them in turn. A re-import of
 * touched files, which only hashes, keeps both workers hashing. */
static void *worker(void *arg)
{
    struct import_ctx *ix = arg;
    struct item *it, *next = NULL;
    while ((it = next ? next : import_queue_pop(&ix->in))) {
        next = NULL;
        if (wants_hash(it) && !atomic_load_bool(&ix->abort) &&
            (next = import_queue_trypop(&ix->in)) && wants_hash(next)) {
            rc_sha256_pair(it->data, it->len, next->data, next->len, it->sha,
                           next->sha);
            it->has_sha = next->has_sha = true;
        }
        /* a file known by its seen_key comes already settled */
        if (it->kind == ITEM_FILE && it->result == R_NONE &&
            !atomic_load_bool(&ix->abort))
            work(ix, it);
        import_queue_push(&ix->out, it);
    }
    import_queue_producer_done(&ix->out);
    return NULL;
}

/* ---- the pipeline ---- */

static int online_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

/* The totals before, this import's number in the log, and the hashes of
 * every file stored, claimed from the start. The threads may be running
 * already (a new log): the set is changed under its lock. */
static int load_log(struct import_ctx *ix, struct store *s,
                    struct import_summary *sum, struct store_totals *before,
                    struct rc_err *err)
{
    unsigned char *hashes = NULL;
    size_t nhashes = 0;
    int rc = 0;

    if (store_totals(s, before, err) < 0 ||
        store_import_run(s, &sum->run, err) < 0 ||
        store_source_hashes(s, &hashes, &nhashes, err) < 0)
        return -1;
    pthread_mutex_lock(&ix->set_mu);
    if (set_reserve(ix, ix->set_len + nhashes + 1024) < 0) {
        rc = rc_fail(err, RC_EENV, "out of memory");
    } else {
        for (size_t i = 0; i < nhashes; i++)
            set_put(ix, hashes + 32 * i);
    }
    pthread_mutex_unlock(&ix->set_mu);
    rc_free(hashes);
    return rc;
}

/* Start up to nworkers workers (*started of them; fewer than asked will
 * do), then the walker, which feeds both queues (settled files go straight
 * to the writer). -1 with err set when no worker or no walker could start;
 * every thread started is then joined. */
static int start_threads(struct import_ctx *ix, int nworkers,
                         pthread_t *walker, pthread_t *workers, int *started,
                         struct rc_err *err)
{
    *started = 0;
    for (; *started < nworkers; (*started)++)
        if (pthread_create(&workers[*started], NULL, worker, ix) != 0)
            break;
    pthread_mutex_lock(&ix->out.mu);
    ix->out.producers -= nworkers - *started;
    pthread_mutex_unlock(&ix->out.mu);
    if (*started > 0 && pthread_create(walker, NULL, import_walk, ix) == 0)
        return 0;
    /* nothing will be walked: the workers find their queue closed */
    import_queue_producer_done(&ix->in);
    for (int i = 0; i < *started; i++)
        pthread_join(workers[i], NULL);
    *started = 0;
    return rc_fail(err, RC_EENV, "cannot start a thread");
}

struct import_job {
    struct import_ctx ix;
    pthread_t walker, workers[64];
    int nworkers, started; /* started: 0 until the threads run */
};

static void job_free(struct import_job *j)
{
    queue_destroy(&j->ix.in);
    queue_destroy(&j->ix.out);
    pthread_mutex_destroy(&j->ix.budget_mu);
    pthread_cond_destroy(&j->ix.budget_cv);
    pthread_mutex_destroy(&j->ix.set_mu);
    rc_free(j->ix.set);
    rc_free(j);
}

static void job_join(struct import_job *j)
{
    if (!j->started)
        return;
    pthread_join(j->walker, NULL);
    for (int i = 0; i < j->started; i++)
        pthread_join(j->workers[i], NULL);
    j->started = 0;
}

/* Stop the threads and drop what they read: nothing is stored. */
static void job_stop(struct import_job *j)
{
    struct item *it;
    if (!j->started)
        return;
    __atomic_store_n(&j->ix.abort, true, __ATOMIC_RELAXED);
    while ((it = import_queue_pop(&j->ix.out)))
        import_item_free(&j->ix, it);
    job_join(j);
}

int import_begin(char *const *paths, size_t npaths,
                 const struct import_opts *opts, bool new_log,
                 struct import_job **out, struct rc_err *err)
{
    struct import_job *j = rc_calloc(1, sizeof(*j));
    int nworkers = opts->threads > 0 ? opts->threads : online_cpus();

    *out = NULL;
    if (!j)
        return rc_fail(err, RC_EENV, "out of memory");
    j->nworkers = nworkers > 64 ? 64 : nworkers;
    j->ix.opts = opts;
    j->ix.cur_archive = -1;
    j->ix.paths = paths;
    j->ix.npaths = npaths;
    queue_init(&j->ix.in, (size_t)j->nworkers * 2 + 4, 1);
    /* the workers and the walker (settled files) fill the writer's queue */
    queue_init(&j->ix.out, IMPORT_OUT_ITEMS, j->nworkers + 1);
    pthread_mutex_init(&j->ix.budget_mu, NULL);
    pthread_cond_init(&j->ix.budget_cv, NULL);
    pthread_mutex_init(&j->ix.set_mu, NULL);
    /* a new log holds no file: nothing to wait for before reading */
    if (new_log && set_reserve(&j->ix, 1024) < 0) {
        job_free(j);
        return rc_fail(err, RC_EENV, "out of memory");
    }
    if (new_log && start_threads(&j->ix, j->nworkers, &j->walker,
                                 j->workers, &j->started, err) < 0) {
        job_free(j);
        return -1;
    }
    *out = j;
    return 0;
}

int import_end(struct import_job *j, struct store *s,
               struct import_summary *sum, struct rc_err *err)
{
    struct store_totals before;
    int rc = -1;

    memset(sum, 0, sizeof(*sum));
    if (!j)
        return -1;
    if (!s) {
        job_stop(j);
        job_free(j);
        return 0;
    }
    if (load_log(&j->ix, s, sum, &before, err) < 0) {
        job_stop(j);
    } else if (j->started ||
               start_threads(&j->ix, j->nworkers, &j->walker, j->workers,
                             &j->started, err) == 0) {
        /* the writer runs here until every worker is done */
        rc = import_write(&j->ix, s, sum, &before, err);
        job_join(j);
    }
    job_free(j);
    return rc;
}

int import_paths(struct store *s, char *const *paths, size_t npaths,
                 const struct import_opts *opts, struct import_summary *sum,
                 struct rc_err *err)
{
    struct import_job *j;
    memset(sum, 0, sizeof(*sum));
    if (import_begin(paths, npaths, opts, false, &j, err) < 0)
        return -1;
    return import_end(j, s, sum, err);
}

void import_summary_release(struct import_summary *sum)
{
    rc_free(sum->failures);
    sum->failures = NULL;
    sum->nfailures = 0;
}
