/* test_store_vfs.c - the VFS the store opens SQLite logs with
 * (store/store_vfs.c): a transaction's -wal frames go out in a few
 * writes, and nothing another connection or a later read can see is
 * changed by the buffering: commits, pages spilled and read back in the
 * same transaction, savepoints undone, and a write that fails. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/base.h"
#include "store/store_vfs.h"
#include "testlib.h"

struct fixture {
    char dir[512];
    char db[600];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    test_tmpdir(f->dir, sizeof(f->dir));
    snprintf(f->db, sizeof(f->db), "%s/log.db", f->dir);
    assert_int_equal(store_vfs_register(), SQLITE_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    test_tmpdir_remove(f->dir);
    free(f);
    return 0;
}

static void exec_ok(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : "?");
}

/* A log as the store opens it: 8 KiB pages, WAL, synchronous NORMAL;
 * vfs NULL is SQLite's own (the other connection of a test). */
static sqlite3 *open_db(const char *path, const char *vfs)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        vfs) != SQLITE_OK)
        fail_msg("open %s: %s", path, db ? sqlite3_errmsg(db) : "?");
    exec_ok(db, "PRAGMA page_size = 8192; PRAGMA journal_mode = WAL; "
                "PRAGMA synchronous = NORMAL");
    return db;
}

static long long query_ll(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    long long v;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* The file passes SQLite's integrity check. */
static void assert_intact(sqlite3 *db)
{
    assert_int_equal(query_ll(db, "SELECT count(*) FROM "
                                  "pragma_integrity_check WHERE "
                                  "integrity_check <> 'ok'"),
                     0);
}

/* Run fn(path) in a child process and expect it to exit 0. */
static void run_child(int (*fn)(const char *), const char *path)
{
    int status = 0;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(fn(path));
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* The write calls the connection's -wal file has made so far. */
static long wal_writes(sqlite3 *db)
{
    sqlite3_file *wal = NULL;
    assert_int_equal(
        sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal),
        SQLITE_OK);
    assert_non_null(wal);
    return store_vfs_writes(wal);
}

static void test_store_vfs__commit_goes_out_in_a_few_writes(void **state)
{
    struct fixture *f = *state;
    sqlite3 *db = open_db(f->db, STORE_VFS_NAME), *other;
    long before, frames;

    exec_ok(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB)");
    before = wal_writes(db);
    assert_true(before >= 0);
    /* 64 rows of 6,000 bytes: about 50 pages, each a frame of 24 + 8,192
     * bytes, which SQLite writes in two calls apiece */
    exec_ok(db, "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                "SELECT i + 1 FROM n WHERE i < 64) "
                "INSERT INTO t(b) SELECT randomblob(6000) FROM n; COMMIT");
    frames = (long)query_ll(db, "PRAGMA page_count");
    assert_true(frames >= 40);
    /* at most 15 frames a write (128 KiB), at least one */
    assert_true(wal_writes(db) - before >= 1);
    assert_true(wal_writes(db) - before <= frames / 15 + 2);

    /* what was committed is there for another connection at once */
    other = open_db(f->db, NULL);
    assert_int_equal(query_ll(other, "SELECT count(*) FROM t"), 64);
    assert_int_equal(query_ll(other, "SELECT sum(length(b)) FROM t"),
                     64 * 6000);
    sqlite3_close(other);
    sqlite3_close(db);
}

static void test_store_vfs__pages_spilled_and_rewritten_read_back(void **state)
{
    struct fixture *f = *state;
    sqlite3 *db = open_db(f->db, STORE_VFS_NAME), *other;

    exec_ok(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB)");
    /* a cache of 8 pages: the transaction spills pages to the -wal file
     * before its commit, changes them again (the frame is written over
     * in place) and reads them back from the file */
    exec_ok(db, "PRAGMA cache_size = 8");
    exec_ok(db, "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                "SELECT i + 1 FROM n WHERE i < 300) "
                "INSERT INTO t(b) SELECT zeroblob(3000) FROM n");
    exec_ok(db, "UPDATE t SET b = randomblob(2000 + id) WHERE id % 3 = 0");
    assert_int_equal(query_ll(db, "SELECT count(*) FROM t WHERE "
                                  "length(b) = 2000 + id"),
                     100);
    exec_ok(db, "COMMIT");
    assert_int_equal(query_ll(db, "SELECT sum(length(b)) FROM t"),
                     200 * 3000 + 100 * 2000 + (3 + 300) * 100 / 2);

    other = open_db(f->db, NULL);
    assert_int_equal(query_ll(other, "SELECT sum(length(b)) FROM t"),
                     200 * 3000 + 100 * 2000 + (3 + 300) * 100 / 2);
    assert_intact(other);
    sqlite3_close(other);
    sqlite3_close(db);
}

/* For a child process, which must not fail through cmocka: the first
 * row's first column of sql into *v; false on any error. */
static bool child_ll(sqlite3 *db, const char *sql, long long *v)
{
    sqlite3_stmt *st;
    bool ok;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return false;
    ok = sqlite3_step(st) == SQLITE_ROW;
    if (ok)
        *v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return ok;
}

#define SPILLED_SUM (200 * 3000 + 100 * 2000 + (3 + 300) * 100 / 2)

/* In a child: open path (a URI when uri) with the VFS, with the given
 * synchronous setting and a cache of 8 pages, and commit a transaction
 * that spills pages to the -wal file and changes them again (SQLite then
 * writes the frame over in place and, after the commit frame, rewrites
 * the checksums of the frames since, the commit frame's last). Then,
 * before any other call on the file, another connection reads what was
 * committed. Returns 0 when it reads it whole, else the step that failed. */
static int commit_spilled(const char *path, bool uri, const char *sync)
{
    sqlite3 *db = NULL, *other = NULL;
    char sql[128];
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                (uri ? SQLITE_OPEN_URI : 0);
    long long v = -1;

    if (sqlite3_open_v2(path, &db, flags, STORE_VFS_NAME) != SQLITE_OK)
        return 10;
    snprintf(sql, sizeof(sql),
             "PRAGMA page_size = 8192; PRAGMA journal_mode = WAL; "
             "PRAGMA synchronous = %s",
             sync);
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(db,
                     "CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB); "
                     "PRAGMA cache_size = 8; BEGIN; "
                     "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                     "SELECT i + 1 FROM n WHERE i < 300) "
                     "INSERT INTO t(b) SELECT zeroblob(3000) FROM n; "
                     "UPDATE t SET b = randomblob(2000 + id) "
                     "WHERE id % 3 = 0; COMMIT",
                     NULL, NULL, NULL) != SQLITE_OK)
        return 11;
    if (sqlite3_open_v2(path, &other, flags, NULL) != SQLITE_OK)
        return 12;
    if (!child_ll(other, "SELECT sum(length(b)) FROM t", &v) ||
        v != SPILLED_SUM)
        return 13;
    if (!child_ll(other,
                  "SELECT count(*) FROM pragma_integrity_check "
                  "WHERE integrity_check <> 'ok'",
                  &v) ||
        v != 0)
        return 14;
    return 0;
}

/* A child commits as above and is killed (_exit: no close, nothing
 * flushed) the moment the commit returns; the parent opens the log after
 * it and finds the commit whole. */
static void commit_then_killed(const char *db, bool uri, const char *sync,
                               const char *plain_path)
{
    sqlite3 *after;
    int status = 0;
    pid_t pid = fork();

    assert_true(pid >= 0);
    if (pid == 0)
        _exit(commit_spilled(db, uri, sync));
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);

    after = open_db(plain_path, NULL);
    assert_int_equal(query_ll(after, "SELECT count(*) FROM t"), 300);
    assert_int_equal(query_ll(after, "SELECT sum(length(b)) FROM t"),
                     SPILLED_SUM);
    assert_intact(after);
    sqlite3_close(after);
}

static void test_store_vfs__commit_whole_after_a_kill(void **state)
{
    struct fixture *f = *state;
    commit_then_killed(f->db, false, "NORMAL", f->db);
}

/* synchronous FULL on a disk without power-safe overwrite: SQLite pads
 * the commit to a sector with copies of its last frame, and syncs in the
 * middle of one of them */
static void test_store_vfs__padded_commit_whole_after_a_kill(void **state)
{
    struct fixture *f = *state;
    char uri[700];
    snprintf(uri, sizeof(uri), "file:%s?psow=0", f->db);
    commit_then_killed(uri, true, "FULL", f->db);
}

/* A transaction spills a few frames (held by the VFS) and rolls back;
 * another connection then commits frames at the same offsets. Nothing of
 * the first may reach the file afterwards, whatever it does next (here a
 * read, which sends out what is held, then its close). */
static void test_store_vfs__rolled_back_frames_never_overwrite(void **state)
{
    struct fixture *f = *state;
    sqlite3 *a = open_db(f->db, STORE_VFS_NAME), *b, *after;

    exec_ok(a, "CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB); "
               "INSERT INTO t(b) VALUES (randomblob(100))");
    b = open_db(f->db, STORE_VFS_NAME);
    /* an empty -wal file: the rollback then reads nothing from it (a read
     * would send out what is held while the lock is still held) */
    exec_ok(a, "PRAGMA wal_checkpoint(TRUNCATE)");
    exec_ok(a, "PRAGMA cache_size = 4; BEGIN; "
               "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
               "SELECT i + 1 FROM n WHERE i < 8) "
               "INSERT INTO t(b) SELECT randomblob(7000) FROM n; ROLLBACK");
    exec_ok(b, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
               "SELECT i + 1 FROM n WHERE i < 8) "
               "INSERT INTO t(b) SELECT zeroblob(5000) FROM n");
    assert_int_equal(query_ll(a, "SELECT sum(length(b)) FROM t"),
                     100 + 8 * 5000);
    sqlite3_close(a);
    assert_int_equal(query_ll(b, "SELECT sum(length(b)) FROM t"),
                     100 + 8 * 5000);
    sqlite3_close(b);

    after = open_db(f->db, NULL);
    assert_int_equal(query_ll(after, "SELECT count(*) FROM t"), 9);
    assert_int_equal(query_ll(after, "SELECT sum(length(b)) FROM t"),
                     100 + 8 * 5000);
    assert_intact(after);
    sqlite3_close(after);
}

/* The same in exclusive locking mode, where wal.c takes the write lock
 * without telling the VFS: the rollback's frames must not be held past
 * the connection's return to normal mode. */
static void
test_store_vfs__exclusive_mode_rollback_never_overwrites(void **state)
{
    struct fixture *f = *state;
    sqlite3 *a = open_db(f->db, STORE_VFS_NAME), *b, *after;

    exec_ok(a, "CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB); "
               "INSERT INTO t(b) VALUES (randomblob(100)); "
               "PRAGMA wal_checkpoint(TRUNCATE)");
    exec_ok(a, "PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = 4; "
               "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
               "SELECT i + 1 FROM n WHERE i < 8) "
               "INSERT INTO t(b) SELECT randomblob(7000) FROM n; ROLLBACK");
    exec_ok(a, "PRAGMA locking_mode = NORMAL");
    assert_int_equal(query_ll(a, "SELECT count(*) FROM t"), 1);
    b = open_db(f->db, STORE_VFS_NAME);
    exec_ok(b, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
               "SELECT i + 1 FROM n WHERE i < 8) "
               "INSERT INTO t(b) SELECT zeroblob(5000) FROM n");
    assert_int_equal(query_ll(a, "SELECT sum(length(b)) FROM t"),
                     100 + 8 * 5000);
    sqlite3_close(a);
    sqlite3_close(b);

    after = open_db(f->db, NULL);
    assert_int_equal(query_ll(after, "SELECT sum(length(b)) FROM t"),
                     100 + 8 * 5000);
    assert_intact(after);
    sqlite3_close(after);
}

static void test_store_vfs__savepoint_undone_leaves_no_frame(void **state)
{
    struct fixture *f = *state;
    sqlite3 *db = open_db(f->db, STORE_VFS_NAME), *other;

    exec_ok(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB)");
    exec_ok(db, "PRAGMA cache_size = 8");
    exec_ok(db, "BEGIN; INSERT INTO t(b) VALUES (randomblob(100))");
    exec_ok(db, "SAVEPOINT one; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                "SELECT i + 1 FROM n WHERE i < 100) "
                "INSERT INTO t(b) SELECT randomblob(5000) FROM n");
    exec_ok(db, "ROLLBACK TO one; RELEASE one");
    exec_ok(db, "INSERT INTO t(b) VALUES (randomblob(200)); COMMIT");

    other = open_db(f->db, NULL);
    assert_int_equal(query_ll(other, "SELECT count(*) FROM t"), 2);
    assert_int_equal(query_ll(other, "SELECT sum(length(b)) FROM t"), 300);
    sqlite3_close(other);
    sqlite3_close(db);

    /* and after the -wal file is checkpointed away */
    other = open_db(f->db, NULL);
    assert_int_equal(query_ll(other, "SELECT sum(length(b)) FROM t"), 300);
    sqlite3_close(other);
}

/* In a child: commit 1 row, then a transaction that cannot be written
 * (the file size limit stops the buffered frames). Exit 0 when the first
 * commit worked and the second failed as an error. A child calls SQLite
 * alone: a cmocka failure there would go on running the tests. */
static int child_commit_past_the_limit(const char *path)
{
    sqlite3 *db = NULL;
    struct rlimit lim = {256 * 1024, 256 * 1024};
    int rc;

    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        STORE_VFS_NAME) != SQLITE_OK ||
        sqlite3_exec(db,
                     "PRAGMA page_size = 8192; PRAGMA journal_mode = WAL; "
                     "PRAGMA synchronous = NORMAL; "
                     "CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB); "
                     "INSERT INTO t(b) VALUES (randomblob(100))",
                     NULL, NULL, NULL) != SQLITE_OK)
        return 10;
    signal(SIGXFSZ, SIG_IGN);
    if (setrlimit(RLIMIT_FSIZE, &lim) != 0)
        return 2;
    rc = sqlite3_exec(db,
                      "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION "
                      "ALL SELECT i + 1 FROM n WHERE i < 200) "
                      "INSERT INTO t(b) SELECT randomblob(5000) FROM n; "
                      "COMMIT",
                      NULL, NULL, NULL);
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(db);
    return rc == SQLITE_OK ? 3 : 0;
}

static void test_store_vfs__failed_write_fails_the_commit(void **state)
{
    struct fixture *f = *state;
    sqlite3 *db;

    run_child(child_commit_past_the_limit, f->db);

    /* the first commit is whole, the failed one absent, the file sound */
    db = open_db(f->db, STORE_VFS_NAME);
    assert_int_equal(query_ll(db, "SELECT count(*) FROM t"), 1);
    assert_intact(db);
    exec_ok(db, "INSERT INTO t(b) VALUES (randomblob(10))");
    assert_int_equal(query_ll(db, "SELECT count(*) FROM t"), 2);
    sqlite3_close(db);
}

/* In a child: a transaction spills a few frames, held in the buffer; the
 * file size limit stops them when a read of a spilled page sends them
 * out. Whatever SQLite makes of that error (3.40 rolls the transaction
 * back; the VFS would refuse every later write past the lost frames if it
 * went on), no commit may hold the lost frames. Exit 0 when none did, 3
 * when the transaction committed. */
static int child_read_loses_held_frames(const char *path)
{
    sqlite3 *db = NULL;
    sqlite3_int64 size = 0;
    sqlite3_file *wal = NULL;
    struct rlimit lim;
    int rc;

    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        STORE_VFS_NAME) != SQLITE_OK ||
        sqlite3_exec(db,
                     "PRAGMA page_size = 8192; PRAGMA journal_mode = WAL; "
                     "PRAGMA synchronous = NORMAL; "
                     "CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB); "
                     "INSERT INTO t(b) VALUES (randomblob(100)); "
                     "PRAGMA cache_size = 4",
                     NULL, NULL, NULL) != SQLITE_OK)
        return 10;
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal) !=
            SQLITE_OK ||
        !wal || wal->pMethods->xFileSize(wal, &size) != SQLITE_OK)
        return 11;
    /* room for one more frame past what is committed */
    lim.rlim_cur = lim.rlim_max = (rlim_t)size + 8192 + 24;
    signal(SIGXFSZ, SIG_IGN);
    if (sqlite3_exec(db,
                     "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION "
                     "ALL SELECT i + 1 FROM n WHERE i < 8) "
                     "INSERT INTO t(b) SELECT randomblob(7000) FROM n",
                     NULL, NULL, NULL) != SQLITE_OK)
        return 12;
    if (setrlimit(RLIMIT_FSIZE, &lim) != 0)
        return 13;
    /* the pages spilled are read back: the held frames go out and fail */
    if (sqlite3_exec(db, "SELECT sum(length(b)) FROM t", NULL, NULL, NULL) ==
        SQLITE_OK)
        return 14; /* nothing was held, or nothing failed: no test */
    /* a caller that goes on regardless */
    lim.rlim_cur = lim.rlim_max = RLIM_INFINITY;
    setrlimit(RLIMIT_FSIZE, &lim);
    if (sqlite3_get_autocommit(db)) {
        sqlite3_close(db); /* rolled back: nothing can follow the loss */
        return 0;
    }
    sqlite3_exec(db, "INSERT INTO t(b) VALUES (randomblob(10))", NULL, NULL,
                 NULL);
    rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(db);
    return rc == SQLITE_OK ? 3 : 0;
}

static void test_store_vfs__no_commit_after_frames_lost(void **state)
{
    struct fixture *f = *state;
    sqlite3 *db;

    run_child(child_read_loses_held_frames, f->db);

    db = open_db(f->db, NULL);
    assert_int_equal(query_ll(db, "SELECT count(*) FROM t"), 1);
    assert_intact(db);
    sqlite3_close(db);
}

static void test_store_vfs__other_files_are_not_counted(void **state)
{
    struct fixture *f = *state;
    sqlite3 *db = open_db(f->db, STORE_VFS_NAME);
    sqlite3_file *main_file = NULL;
    char *name = NULL;

    assert_int_equal(
        sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &main_file),
        SQLITE_OK);
    assert_int_equal(store_vfs_writes(main_file), -1);
    assert_int_equal(store_vfs_writes(NULL), -1);
    assert_int_equal(
        sqlite3_file_control(db, "main", SQLITE_FCNTL_VFSNAME, &name),
        SQLITE_OK);
    assert_non_null(name);
    assert_non_null(strstr(name, STORE_VFS_NAME "/"));
    sqlite3_free(name);
    sqlite3_close(db);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_store_vfs__commit_goes_out_in_a_few_writes),
        T(test_store_vfs__pages_spilled_and_rewritten_read_back),
        T(test_store_vfs__commit_whole_after_a_kill),
        T(test_store_vfs__padded_commit_whole_after_a_kill),
        T(test_store_vfs__rolled_back_frames_never_overwrite),
        T(test_store_vfs__exclusive_mode_rollback_never_overwrites),
        T(test_store_vfs__savepoint_undone_leaves_no_frame),
        T(test_store_vfs__failed_write_fails_the_commit),
        T(test_store_vfs__no_commit_after_frames_lost),
        T(test_store_vfs__other_files_are_not_counted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
