/* store_sqlite_bulk.c - checkpoints on a thread of their own while an
 * import writes (store_bulk_begin in store.h).
 *
 * In WAL mode every page is written twice: appended to the -wal file at
 * commit, then copied into the database by a checkpoint, which syncs both
 * files. SQLite checkpoints inside the commit that crosses 1,000 pages, so
 * the writer waits for the disk: on a first import of 3,500 runs it spent
 * 0.63 of 1.7 s in fdatasync, while the decoders waited for it.
 *
 * Here a second connection checkpoints (PASSIVE: it never blocks the
 * writer) after every commit, on its own thread, so the copy and the syncs
 * overlap the writer's next batch. One rule keeps the -wal file small: the
 * file restarts from its beginning only when a write transaction starts
 * with every frame already copied, so once it holds wal_bytes the writer
 * waits, after its commit, for one checkpoint that covers it (a
 * batch or two of copying and a sync of each file, not the whole file).
 * Without the wait the -wal file grows to the size of the import: disk
 * space held until the end, and its unlink at the end costs (0.12 s for
 * the 230 MB of 3,500 runs). With a disk slow to sync, each wait costs
 * two syncs while the decoders fill the queue to the writer: at 20 ms a
 * sync, 3,500 runs took 2.6 s with a 16 MiB bound and 2.0 s with 64 MiB
 * (1.6 s at no delay; bench/RESULTS.md).
 *
 * What SQLite promises is unchanged: a commit is durable as before
 * (synchronous=NORMAL: the checkpoint syncs the -wal file before it copies
 * and the database after), a kill -9 at any point leaves the last commit. */
#include "base/base.h"
#include "base/alloc.h"
#include "store/store_int.h"

#include <pthread.h>
#include <sqlite3.h>

struct store_bulk {
    sqlite3 *ck; /* the checkpointer's own connection */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    bool stop;
    long committed; /* commits of the writer so far */
    long covered;   /* the commits the last finished checkpoint saw */
    bool whole;     /* the last checkpoint copied every frame */
    int wal_pages;  /* the -wal file's frames after the last commit */
    int max_pages;  /* the bound of the -wal file, in pages */
    long waits;     /* times the writer waited (a test looks) */
};

static void *checkpointer(void *arg)
{
    struct store_bulk *b = arg;

    pthread_mutex_lock(&b->mu);
    for (;;) {
        long seen;
        int log = -1, copied = -1, rc;
        while (!b->stop && b->covered == b->committed)
            pthread_cond_wait(&b->work, &b->mu);
        if (b->stop)
            break;
        seen = b->committed;
        pthread_mutex_unlock(&b->mu);
        rc = sqlite3_wal_checkpoint_v2(b->ck, NULL, SQLITE_CHECKPOINT_PASSIVE,
                                       &log, &copied);
        pthread_mutex_lock(&b->mu);
        b->covered = seen;
        b->whole = rc == SQLITE_OK && log == copied;
        pthread_cond_broadcast(&b->done);
    }
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

/* The writer's commit hook: how full the -wal file is. Replaces SQLite's
 * own autocheckpoint (which is this hook's default) while bulk runs. */
static int wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
    struct store_bulk *b = arg;
    (void)db;
    (void)name;
    pthread_mutex_lock(&b->mu);
    b->wal_pages = pages;
    pthread_mutex_unlock(&b->mu);
    return SQLITE_OK;
}

/* The database's page size in bytes (4096 when it cannot be read). */
static int page_size(sqlite3 *db)
{
    sqlite3_stmt *st;
    int size = 4096;
    if (sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &st, NULL) != SQLITE_OK)
        return size;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) >= 512)
        size = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return size;
}

static void bulk_free(struct store_bulk *b)
{
    sqlite3_close(b->ck);
    pthread_mutex_destroy(&b->mu);
    pthread_cond_destroy(&b->work);
    pthread_cond_destroy(&b->done);
    rc_free(b);
}

int store_bulk_begin(struct store *s, size_t wal_bytes, struct rc_err *err)
{
    struct store_bulk *b;

    if (s->pg || s->bulk)
        return 0;
    b = rc_calloc(1, sizeof(*b));
    if (!b)
        return rc_fail(err, RC_EENV, "out of memory");
    pthread_mutex_init(&b->mu, NULL);
    pthread_cond_init(&b->work, NULL);
    pthread_cond_init(&b->done, NULL);
    /* the second connection reads the file's WAL mode from its header:
     * a statement opens the -wal file before the first checkpoint */
    if (sqlite3_open_v2(s->path, &b->ck,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                        store_sqlite_vfs()) != SQLITE_OK ||
        sqlite3_exec(b->ck,
                     "PRAGMA synchronous = NORMAL; "
                     "SELECT count(*) FROM sqlite_schema",
                     NULL, NULL, NULL) != SQLITE_OK) {
        /* not fatal: the import goes on with SQLite's own checkpoints */
        bulk_free(b);
        return 0;
    }
    if (!wal_bytes)
        wal_bytes = STORE_BULK_WAL_BYTES;
    b->max_pages = (int)(wal_bytes / (size_t)page_size(b->ck));
    if (pthread_create(&b->thread, NULL, checkpointer, b) != 0) {
        bulk_free(b);
        return 0;
    }
    sqlite3_wal_hook(s->db, wal_hook, b);
    s->bulk = b;
    return 0;
}

void store_bulk_committed(struct store *s)
{
    struct store_bulk *b = s->bulk;
    long mine;

    if (!b)
        return;
    pthread_mutex_lock(&b->mu);
    mine = ++b->committed;
    pthread_cond_signal(&b->work);
    if (b->wal_pages >= b->max_pages) {
        b->waits++;
        while (b->covered < mine)
            pthread_cond_wait(&b->done, &b->mu);
        /* copied whole: the next write starts the -wal file over. Not
         * whole (a reader in another process holds old frames): the file
         * grows, as it would with SQLite's own checkpoints. */
    }
    pthread_mutex_unlock(&b->mu);
}

long store_bulk_end(struct store *s)
{
    struct store_bulk *b = s->bulk;
    long waits;

    if (!b)
        return 0;
    pthread_mutex_lock(&b->mu);
    b->stop = true;
    pthread_cond_signal(&b->work);
    pthread_mutex_unlock(&b->mu);
    pthread_join(b->thread, NULL);
    waits = b->waits;
    /* back to SQLite's own checkpoints, every 1,000 pages */
    sqlite3_wal_autocheckpoint(s->db, 1000);
    s->bulk = NULL;
    bulk_free(b);
    return waits;
}
