/* store_vfs.c - the SQLite VFS every log is opened with (store_vfs.h):
 * SQLite's own, with the frames a transaction appends to the -wal file
 * gathered into one write.
 *
 * SQLite writes each frame of the -wal file in two calls, its 24-byte
 * header and then its page, so a first import of 3,500 runs made 52,000
 * pwrite calls to the -wal file alone, each paying the kernel's cost per
 * call (entry, file lookup, locks; dear on a paravirtual VM). Here
 * a frame appended right after the last one is copied into a buffer and
 * written with the frames around it: one call per commit, or per
 * VFS_BUF_BYTES (128 KiB).
 *
 * What SQLite sees is unchanged, because only what SQLite is certain to
 * follow with more writes is held, and the bytes reach the file before
 * anything could look for them. sqlite3WalFrames (wal.c) writes a commit
 * as: frames appended one after the other, each a header and its page;
 * pages of frames the transaction had already spilled, written over in
 * place; after the commit frame, the headers of the frames since the
 * first written over, their checksums rewritten in place, the commit
 * frame's last; then the commit is published in the -shm index. So:
 *   - only a frame is held: a 24-byte write right after the last byte
 *     written (its header), then the write right after it (its page);
 *     every other write (a page written over, a header rewritten, the
 *     file's own header) goes straight to the file, after what is held;
 *   - the commit frame (its header's "database size" field is not 0) is
 *     written before the xWrite of its page returns, so before SQLite
 *     rewrites a checksum or publishes the commit: no other connection,
 *     in this process or another, and no recovery after a kill can find
 *     a frame still in the buffer;
 *   - what is held is written before any other call on the same file (a
 *     read of a spilled page, a sync, a truncate, its size, a file
 *     control, a close);
 *   - frames are held only while the connection holds the -wal file's
 *     write lock as xShmLock shows it (in exclusive locking mode wal.c
 *     takes it without the call: nothing is held then);
 *   - frames still held when the connection lets go of the -wal file's
 *     write lock (a transaction that spilled pages, then rolled back)
 *     are dropped, never written: another writer, in this process or
 *     another, may already be writing its own frames at those offsets;
 *   - a write that fails when the buffer goes out fails the call that
 *     caused it, with SQLite's error for a write, and every later write
 *     until the write lock is let go, so no commit can follow the lost
 *     bytes.
 * The write lock is taken and let go on the database file (xShmLock), so
 * each -wal file is tied to its connection's database file: SQLite opens
 * the -wal file with a name whose sqlite3_filename_database() is the very
 * pointer the database file was opened with. A -wal file that cannot be
 * tied so, or whose database file has no power-safe overwrite (SQLite
 * then pads a commit to a sector with copies of its last frame and syncs
 * in the middle of one, writes this rule does not cover), is not
 * buffered at all. A kill loses only frames of a transaction that had not
 * committed, which SQLite ignores after a crash anyway
 * (tests/unit/test_store_vfs.c kills a process the moment its commit
 * returns). The database file and the rollback journal are not touched: a
 * checkpoint's copies go straight through. Everything else is SQLite's
 * "unix" VFS, called as it is. */
#include "base/base.h"
#include "base/alloc.h"
#include "store/store_vfs.h"

#include <pthread.h>
#include <sqlite3.h>

/* The most SQLite's unix VFS writes in one call (os_unix.c masks the
 * length with 0x1ffff; a longer write would write nothing and fail as a
 * full disk): 15 frames of 8 KiB pages, so an import's commit of about
 * 32 runs is some 13 writes where it was 400, a small commit (a diary
 * entry, an edit) one. */
#define VFS_BUF_BYTES 0x1ffffu
#define WAL_FRAME_HEADER 24
#define SQLITE_MIN_PAGE 512
/* The -wal file's write lock: lock 0 of the -shm file (wal.c) */
#define WAL_WRITE_LOCK 0

struct vfile {
    sqlite3_file base;  /* pMethods: ours */
    sqlite3_file *real; /* the unix VFS's file, after this struct */
    bool wal;           /* a -wal file, buffered */
    bool write_locked;  /* ... and its connection holds the write lock */
    bool page_next;     /* the buffer ends with a frame's header */
    bool commit_frame;  /* ... and that frame is a commit's */
    unsigned char *buf; /* frames not yet written (allocated on first use) */
    size_t len;
    sqlite3_int64 at;   /* the file offset of buf[0] */
    sqlite3_int64 next; /* just past the last byte written or held; -1 */
    int lost;    /* a flush failed: SQLite's error, until the lock is let go */
    long writes; /* write calls made to the real file (a test looks) */
    /* the database file and the -wal file of one connection, tied */
    const char *db_name;   /* a database file: the name SQLite opened it by */
    struct vfile *peer;    /* its -wal file, or the -wal file's database */
    struct vfile *next_db; /* the list of open database files */
};

/* The real file follows the struct, aligned for any type. */
#define VFILE_SIZE ((sizeof(struct vfile) + 15) & ~(size_t)15)

static sqlite3_vfs *real_vfs;

/* Open database files, to tie each -wal file to its own (v_open). */
static pthread_mutex_t dbs_mu = PTHREAD_MUTEX_INITIALIZER;
static struct vfile *dbs;

static int flush(struct vfile *f)
{
    int rc = SQLITE_OK;
    if (f->len) {
        rc = f->real->pMethods->xWrite(f->real, f->buf, (int)f->len, f->at);
        f->writes++;
        if (rc != SQLITE_OK && f->lost == SQLITE_OK)
            f->lost = rc;
        f->len = 0;
    }
    f->page_next = false;
    return rc;
}

/* Untie f from its peer, and a database file from the list. */
static void untie(struct vfile *f)
{
    pthread_mutex_lock(&dbs_mu);
    if (f->peer)
        f->peer->peer = NULL;
    f->peer = NULL;
    for (struct vfile **p = &dbs; *p; p = &(*p)->next_db)
        if (*p == f) {
            *p = f->next_db;
            break;
        }
    pthread_mutex_unlock(&dbs_mu);
}

static int v_close(sqlite3_file *file)
{
    struct vfile *f = (struct vfile *)file;
    int rc = flush(f), rc2;
    untie(f);
    rc_free(f->buf);
    f->buf = NULL;
    rc2 = f->real->pMethods->xClose(f->real);
    return rc != SQLITE_OK ? rc : rc2;
}

static int v_read(sqlite3_file *file, void *p, int n, sqlite3_int64 off)
{
    struct vfile *f = (struct vfile *)file;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xRead(f->real, p, n, off);
}

/* Hold a frame's header or page in the buffer; the commit frame goes out
 * whole before its page's xWrite returns. */
static int hold(struct vfile *f, const unsigned char *b, int n,
                sqlite3_int64 off)
{
    int rc;
    if (f->len + (size_t)n > VFS_BUF_BYTES) {
        bool page_next = f->page_next;
        if ((rc = flush(f)) != SQLITE_OK)
            return rc;
        f->page_next = page_next; /* the header went out alone */
    }
    if (!f->len)
        f->at = off;
    memcpy(f->buf + f->len, b, (size_t)n);
    f->len += (size_t)n;
    f->next = off + n;
    if (!f->page_next) {
        /* bytes 4-7: the database's size in pages after a commit, 0 in
         * every other frame */
        f->page_next = true;
        f->commit_frame = b[4] | b[5] | b[6] | b[7];
        return SQLITE_OK;
    }
    f->page_next = false;
    return f->commit_frame ? flush(f) : SQLITE_OK;
}

static int v_write(sqlite3_file *file, const void *p, int n, sqlite3_int64 off)
{
    struct vfile *f = (struct vfile *)file;
    bool frame;
    int rc;

    if (f->lost != SQLITE_OK)
        return f->lost; /* bytes this transaction wrote never got there */
    frame = f->wal && f->write_locked && n > 0 && off == f->next &&
            (f->page_next ? n >= SQLITE_MIN_PAGE &&
                                (size_t)n <= VFS_BUF_BYTES - WAL_FRAME_HEADER
                          : n == WAL_FRAME_HEADER);
    if (frame && (f->buf || (f->buf = rc_malloc(VFS_BUF_BYTES))))
        return hold(f, p, n, off);
    /* anything else goes to the file at once, after what is held */
    if ((rc = flush(f)) != SQLITE_OK)
        return rc;
    f->writes++;
    rc = f->real->pMethods->xWrite(f->real, p, n, off);
    f->next = rc == SQLITE_OK ? off + n : -1;
    return rc;
}

static int v_truncate(sqlite3_file *file, sqlite3_int64 size)
{
    struct vfile *f = (struct vfile *)file;
    int rc = flush(f);
    f->next = -1;
    return rc != SQLITE_OK ? rc : f->real->pMethods->xTruncate(f->real, size);
}

static int v_sync(sqlite3_file *file, int flags)
{
    struct vfile *f = (struct vfile *)file;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xSync(f->real, flags);
}

static int v_size(sqlite3_file *file, sqlite3_int64 *size)
{
    struct vfile *f = (struct vfile *)file;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xFileSize(f->real, size);
}

static int v_lock(sqlite3_file *file, int level)
{
    struct vfile *f = (struct vfile *)file;
    return f->real->pMethods->xLock(f->real, level);
}

static int v_unlock(sqlite3_file *file, int level)
{
    struct vfile *f = (struct vfile *)file;
    return f->real->pMethods->xUnlock(f->real, level);
}

static int v_reserved(sqlite3_file *file, int *out)
{
    struct vfile *f = (struct vfile *)file;
    return f->real->pMethods->xCheckReservedLock(f->real, out);
}

static int v_control(sqlite3_file *file, int op, void *arg)
{
    struct vfile *f = (struct vfile *)file;
    int rc = flush(f);
    if (rc != SQLITE_OK)
        return rc;
    if (op == SQLITE_FCNTL_VFSNAME && arg) {
        /* as SQLite's own shims do: this VFS's name before the next's */
        char *below = NULL;
        rc = f->real->pMethods->xFileControl(f->real, op, &below);
        *(char **)arg =
            sqlite3_mprintf("%s/%s", STORE_VFS_NAME, below ? below : "unix");
        sqlite3_free(below);
        return SQLITE_OK;
    }
    return f->real->pMethods->xFileControl(f->real, op, arg);
}

static int v_sector(sqlite3_file *file)
{
    struct vfile *f = (struct vfile *)file;
    return f->real->pMethods->xSectorSize(f->real);
}

static int v_device(sqlite3_file *file)
{
    struct vfile *f = (struct vfile *)file;
    return f->real->pMethods->xDeviceCharacteristics(f->real);
}

/* The shared memory and memory-mapped reads belong to the database file,
 * which is never buffered: passed on as they are. */
static int v_shm_map(sqlite3_file *file, int region, int size, int extend,
                     void volatile **p)
{
    struct vfile *f = (struct vfile *)file;
    return f->real->pMethods->xShmMap(f->real, region, size, extend, p);
}

/* The connection lets go of the -wal file's write lock: its transaction
 * committed (nothing is held: the commit frame went out whole) or ended
 * without (what is held belongs to no commit, and another writer may
 * write its own frames there next). Drop it, and start clean. */
static void write_lock_let_go(struct vfile *wal)
{
    if (wal->len) {
        wal->len = 0;
        wal->next = -1;
    }
    wal->page_next = false;
    wal->lost = SQLITE_OK;
    wal->write_locked = false;
}

static int v_shm_lock(sqlite3_file *file, int offset, int n, int flags)
{
    struct vfile *f = (struct vfile *)file;
    /* the peer is this connection's -wal file, used on this thread; the
     * tie changes only when one of the two opens or closes, on this
     * connection's thread too */
    bool write_lock = f->peer && (flags & SQLITE_SHM_EXCLUSIVE) &&
                      offset <= WAL_WRITE_LOCK && WAL_WRITE_LOCK < offset + n;
    int rc;
    if (write_lock && (flags & SQLITE_SHM_UNLOCK))
        write_lock_let_go(f->peer);
    rc = f->real->pMethods->xShmLock(f->real, offset, n, flags);
    /* frames are held only under the lock this call shows: in exclusive
     * locking mode wal.c takes it without a call, and nothing is held */
    if (write_lock && (flags & SQLITE_SHM_LOCK) && rc == SQLITE_OK)
        f->peer->write_locked = true;
    return rc;
}

static void v_shm_barrier(sqlite3_file *file)
{
    struct vfile *f = (struct vfile *)file;
    f->real->pMethods->xShmBarrier(f->real);
}

static int v_shm_unmap(sqlite3_file *file, int delete_flag)
{
    struct vfile *f = (struct vfile *)file;
    return f->real->pMethods->xShmUnmap(f->real, delete_flag);
}

static int v_fetch(sqlite3_file *file, sqlite3_int64 off, int n, void **pp)
{
    struct vfile *f = (struct vfile *)file;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc
                           : f->real->pMethods->xFetch(f->real, off, n, pp);
}

static int v_unfetch(sqlite3_file *file, sqlite3_int64 off, void *p)
{
    struct vfile *f = (struct vfile *)file;
    return f->real->pMethods->xUnfetch(f->real, off, p);
}

/* One table per version of the real file's methods: SQLite looks at
 * iVersion before it calls the shared-memory (2) or fetch (3) ones. */
#define METHODS(version)                                                       \
    {                                                                          \
        version, v_close, v_read, v_write, v_truncate, v_sync, v_size, v_lock, \
            v_unlock, v_reserved, v_control, v_sector, v_device, v_shm_map,    \
            v_shm_lock, v_shm_barrier, v_shm_unmap, v_fetch, v_unfetch         \
    }
static const sqlite3_io_methods methods[3] = {METHODS(1), METHODS(2),
                                              METHODS(3)};
#undef METHODS

/* Tie a -wal file to the database file of its connection, and buffer it
 * if SQLite writes it as this file expects: wal.c decides whether to pad
 * commits from the database file's characteristics. */
static void tie_wal(struct vfile *f, const char *name)
{
    const char *db_name = sqlite3_filename_database(name);
    pthread_mutex_lock(&dbs_mu);
    for (struct vfile *d = dbs; d; d = d->next_db)
        if (d->db_name == db_name && !d->peer) {
            d->peer = f;
            f->peer = d;
            f->wal = (d->real->pMethods->xDeviceCharacteristics(d->real) &
                      SQLITE_IOCAP_POWERSAFE_OVERWRITE) != 0;
            break;
        }
    pthread_mutex_unlock(&dbs_mu);
}

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file,
                  int flags, int *out_flags)
{
    struct vfile *f = (struct vfile *)file;
    int rc, version;

    (void)vfs;
    memset(f, 0, sizeof(*f));
    f->real = (sqlite3_file *)((char *)file + VFILE_SIZE);
    f->next = -1;
    rc = real_vfs->xOpen(real_vfs, name, f->real, flags, out_flags);
    /* SQLite calls xClose when pMethods is set, even after a failure */
    if (!f->real->pMethods) {
        f->base.pMethods = NULL;
        return rc;
    }
    if (rc == SQLITE_OK && (flags & SQLITE_OPEN_MAIN_DB) && name) {
        f->db_name = name;
        pthread_mutex_lock(&dbs_mu);
        f->next_db = dbs;
        dbs = f;
        pthread_mutex_unlock(&dbs_mu);
    } else if (rc == SQLITE_OK && (flags & SQLITE_OPEN_WAL) && name) {
        tie_wal(f, name);
    }
    version = f->real->pMethods->iVersion;
    f->base.pMethods = &methods[version < 1   ? 0
                                : version > 3 ? 2
                                              : version - 1];
    return rc;
}

/* The rest of the VFS: the real one's, called with the real one. */
static int v_delete(sqlite3_vfs *vfs, const char *name, int dir_sync)
{
    (void)vfs;
    return real_vfs->xDelete(real_vfs, name, dir_sync);
}

static int v_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    (void)vfs;
    return real_vfs->xAccess(real_vfs, name, flags, out);
}

static int v_full(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    (void)vfs;
    return real_vfs->xFullPathname(real_vfs, name, n, out);
}

static void *v_dlopen(sqlite3_vfs *vfs, const char *name)
{
    (void)vfs;
    return real_vfs->xDlOpen(real_vfs, name);
}

static void v_dlerror(sqlite3_vfs *vfs, int n, char *msg)
{
    (void)vfs;
    real_vfs->xDlError(real_vfs, n, msg);
}

static void (*v_dlsym(sqlite3_vfs *vfs, void *lib, const char *sym))(void)
{
    (void)vfs;
    return real_vfs->xDlSym(real_vfs, lib, sym);
}

static void v_dlclose(sqlite3_vfs *vfs, void *lib)
{
    (void)vfs;
    real_vfs->xDlClose(real_vfs, lib);
}

static int v_random(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return real_vfs->xRandomness(real_vfs, n, out);
}

static int v_sleep(sqlite3_vfs *vfs, int us)
{
    (void)vfs;
    return real_vfs->xSleep(real_vfs, us);
}

static int v_time(sqlite3_vfs *vfs, double *out)
{
    (void)vfs;
    return real_vfs->xCurrentTime(real_vfs, out);
}

static int v_last_error(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return real_vfs->xGetLastError(real_vfs, n, out);
}

static int v_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
    (void)vfs;
    if (real_vfs->iVersion >= 2 && real_vfs->xCurrentTimeInt64)
        return real_vfs->xCurrentTimeInt64(real_vfs, out);
    {
        double day = 0;
        int rc = real_vfs->xCurrentTime(real_vfs, &day);
        *out = (sqlite3_int64)(day * 86400000.0);
        return rc;
    }
}

static sqlite3_vfs vfs = {
    .iVersion = 2,
    .zName = STORE_VFS_NAME,
    .xOpen = v_open,
    .xDelete = v_delete,
    .xAccess = v_access,
    .xFullPathname = v_full,
    .xDlOpen = v_dlopen,
    .xDlError = v_dlerror,
    .xDlSym = v_dlsym,
    .xDlClose = v_dlclose,
    .xRandomness = v_random,
    .xSleep = v_sleep,
    .xCurrentTime = v_time,
    .xGetLastError = v_last_error,
    .xCurrentTimeInt64 = v_time64,
};

int store_vfs_register(void)
{
    if (real_vfs)
        return SQLITE_OK;
    real_vfs = sqlite3_vfs_find(NULL);
    if (!real_vfs)
        return SQLITE_ERROR;
    vfs.szOsFile = (int)VFILE_SIZE + real_vfs->szOsFile;
    vfs.mxPathname = real_vfs->mxPathname;
    return sqlite3_vfs_register(&vfs, 0);
}

long store_vfs_writes(sqlite3_file *file)
{
    if (!file || !file->pMethods || file->pMethods->xWrite != v_write ||
        !((struct vfile *)file)->wal)
        return -1;
    return ((struct vfile *)file)->writes;
}
