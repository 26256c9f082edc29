/* import_int.h - what import.c (queues, workers, threads), import_walk.c
 * (folders, archives) and import_write.c (the writer) share; not for other
 * modules. */
#ifndef RC_IMPORT_INT_H
#define RC_IMPORT_INT_H

#include <pthread.h>

#include "base/base.h"
#include "base/sha256.h"
#include "import/import.h"

enum item_kind {
    ITEM_FILE, /* bytes to decode */
    ITEM_FAIL, /* could not be read: reason says why */
    ITEM_SKIP, /* not an activity file by its name */
    ITEM_CSV,  /* a Strava activities.csv, applied at the end */
    ITEM_ARCHIVE_END, /* a zip was read to its end */
    ITEM_ARCHIVE_DUP, /* a zip imported in full before: not read */
};

enum item_result {
    R_NONE,
    R_DECODED,  /* file is filled */
    R_FAILED,   /* err says why */
    R_DUP_HASH, /* the same bytes are stored or claimed in this run */
};

struct item {
    enum item_kind kind;
    char *path;          /* as shown: "export.zip:activities/1.fit.gz" */
    unsigned char *data; /* the file, until decoded */
    size_t len;
    size_t budget; /* bytes counted against IMPORT_QUEUE_BYTES */
    char reason[512];
    /* filled by a worker */
    enum item_result result;
    unsigned char sha[SHA256_DIGEST_LEN];     /* of the content */
    bool has_sha; /* sha already computed (hashed in a pair) */
    unsigned char raw_sha[SHA256_DIGEST_LEN]; /* of a .gz as read */
    bool has_raw;
    bool sha_is_key; /* sha holds a seen_key, not a content hash */
    unsigned char key[SHA256_DIGEST_LEN]; /* seen_key, or a zip's key */
    bool has_key;
    int archive; /* the top-level zip it came from (an index), -1 none */
    size_t size; /* after gunzip */
    struct activity_file file; /* its activities' samples moved to blobs */
    struct store_samples *blobs; /* one per activity, blobs owned */
    struct rc_err err;
    /* ITEM_CSV */
    struct strava_csv csv;
    char *prefix; /* what Filename is relative to: "export.zip:" */
    struct item *next;
};

struct queue {
    pthread_mutex_t mu;
    pthread_cond_t can_pop, can_push;
    struct item *head, *tail;
    size_t count, max_count;
    int producers; /* still pushing; pop returns NULL at 0 and empty */
    int push_waiters, pop_waiters; /* threads waiting for room, for items */
};

struct import_ctx {
    const struct import_opts *opts;
    struct queue in, out;
    /* bytes of file contents alive between walker and workers */
    pthread_mutex_t budget_mu;
    pthread_cond_t budget_cv;
    size_t budget_used;
    int budget_waiters;
    /* hashes stored or claimed in this run */
    pthread_mutex_t set_mu;
    unsigned char *set; /* open addressing, 32-byte keys, all-zero = empty */
    size_t set_cap, set_len;
    bool set_has_zero;
    /* progress (written by the walker, read by the writer) */
    uint64_t bytes_done, bytes_total;
    bool abort; /* the writer hit a fatal error: stop walking */
    int cur_archive; /* walker: the zip being read, -1 none */
    int narchives;
    char *const *paths;
    size_t npaths;
};

void import_queue_push(struct queue *q, struct item *it);

/* The next item, or NULL once every producer is done and q is empty. */
struct item *import_queue_pop(struct queue *q);

/* The next item if one waits, else NULL at once. */
struct item *import_queue_trypop(struct queue *q);

/* One producer of q has pushed its last item. */
void import_queue_producer_done(struct queue *q);

/* Is this key (a hash, seen_key or zip key) stored or claimed? */
bool import_set_has(struct import_ctx *ix, const unsigned char *k);

/* The key of a file on disk: SHA-256 of kind ("file" or "zip"), its path,
 * size and modification time in nanoseconds. */
void import_disk_key(const char *kind, const char *path, int64_t size,
                     int64_t mtime_ns, unsigned char key[32]);
struct item *import_item_new(enum item_kind kind, const char *path);
void import_item_free(struct import_ctx *ix, struct item *it);
/* Give back the budget an item holds (it is kept, but its bytes are gone). */
void import_item_drop_budget(struct import_ctx *ix, struct item *it);

/* Wait until n more bytes may be held, then count them. */
void import_budget_take(struct import_ctx *ix, size_t n);
void import_budget_give(struct import_ctx *ix, size_t n);

/* The walker thread: every path, then closes ix->in. */
void *import_walk(void *arg);

/* The writer (import_write.c), on the calling thread: every item from
 * ix->out until the workers are done (the store, the import log, the
 * summary, the progress), then what waits for the end (deferred files,
 * Strava's indexes, whole zips, the totals; activities counted against
 * before). 0, or -1 with err set when the store failed (the workers are
 * told to stop, and the rest of the queue is drained). */
int import_write(struct import_ctx *ix, struct store *s,
                 struct import_summary *sum,
                 const struct store_totals *before, struct rc_err *err);

static inline uint64_t atomic_load_u64(const uint64_t *p)
{
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static inline void atomic_add_u64(uint64_t *p, uint64_t v)
{
    __atomic_fetch_add(p, v, __ATOMIC_RELAXED);
}

static inline bool atomic_load_bool(const bool *p)
{
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}

#endif
