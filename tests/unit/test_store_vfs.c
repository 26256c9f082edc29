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
    assert_int_equal(query_ll(other, "SELECT count(*) FROM "
                                     "pragma_integrity_check WHERE "
                                     "integrity_check <> 'ok'"),
                     0);
    sqlite3_close(other);
    sqlite3_close(db);
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
 * commit worked and the second failed as an error. */
static int child_commit_past_the_limit(const char *path)
{
    sqlite3 *db = open_db(path, STORE_VFS_NAME);
    struct rlimit lim = {256 * 1024, 256 * 1024};
    int rc;

    exec_ok(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB); "
                "INSERT INTO t(b) VALUES (randomblob(100))");
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
    int status = 0;
    pid_t pid = fork();

    assert_true(pid >= 0);
    if (pid == 0)
        _exit(child_commit_past_the_limit(f->db));
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);

    /* the first commit is whole, the failed one absent, the file sound */
    db = open_db(f->db, STORE_VFS_NAME);
    assert_int_equal(query_ll(db, "SELECT count(*) FROM t"), 1);
    assert_int_equal(query_ll(db, "SELECT count(*) FROM "
                                  "pragma_integrity_check WHERE "
                                  "integrity_check <> 'ok'"),
                     0);
    exec_ok(db, "INSERT INTO t(b) VALUES (randomblob(10))");
    assert_int_equal(query_ll(db, "SELECT count(*) FROM t"), 2);
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
        T(test_store_vfs__savepoint_undone_leaves_no_frame),
        T(test_store_vfs__failed_write_fails_the_commit),
        T(test_store_vfs__other_files_are_not_counted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
