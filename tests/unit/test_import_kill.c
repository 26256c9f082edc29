/* test_import_kill.c - kill -9 an import at every write it makes, and
 * check that the database is consistent each time and that importing
 * again finishes the job.
 *
 * A child process imports a folder with RUNCARE_CRASH_AFTER=k set, so the
 * store raises SIGKILL just before its k-th write statement or commit (see
 * store_sqlite.c); k runs from 1 until an import finishes untouched. After
 * each kill the parent opens the database, runs store_check (SQLite's
 * integrity and foreign keys, every activity whole with its laps and
 * samples, every logged file with its source) and imports again in full. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/base.h"
#include "import/import.h"
#include "store/store.h"
#include "testlib.h"

#define NFILES 8

static int import_once(const char *db, const char *dir,
                       struct import_summary *sum)
{
    struct rc_err err = RC_ERR_INIT;
    struct import_opts o = { .decode = test_fake_decode, .threads = 2 };
    char *paths[1] = { (char *)dir };
    struct store *s = store_open(db, STORE_CREATE, &err);
    int rc;
    if (!s)
        return -1;
    rc = import_paths(s, paths, 1, &o, sum, &err);
    store_close(s);
    return rc;
}

static void test_import_kill__every_write_point(void **state)
{
    char tmp[512], dir[600], db[600];
    int kills = 0;
    (void)state;
    test_tmpdir(tmp, sizeof(tmp));
    snprintf(dir, sizeof(dir), "%s/in", tmp);
    assert_int_equal(mkdir(dir, 0755), 0);
    for (int i = 0; i < NFILES; i++) {
        char path[700], text[100];
        snprintf(path, sizeof(path), "%s/run%d.fit", dir, i);
        snprintf(text, sizeof(text), "RCTEST start=%d n=%d ch=hr,pos",
                 1600000000 + i * 86400, 300 + i);
        test_write_file(path, text, strlen(text));
    }
    for (int k = 1; k < 1000; k++) {
        struct import_summary sum;
        struct rc_err err = RC_ERR_INIT;
        struct store *s;
        struct store_totals t;
        int status;
        pid_t pid;
        char env[32];

        snprintf(db, sizeof(db), "%s/k%d.db", tmp, k);
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            snprintf(env, sizeof(env), "%d", k);
            setenv("RUNCARE_CRASH_AFTER", env, 1);
            _exit(import_once(db, dir, &sum) < 0 ? 3 : 0);
        }
        assert_int_equal(waitpid(pid, &status, 0), pid);
        if (WIFEXITED(status)) {
            /* no write left to kill at: the import ran to its end */
            assert_int_equal(WEXITSTATUS(status), 0);
            break;
        }
        assert_true(WIFSIGNALED(status));
        assert_int_equal(WTERMSIG(status), SIGKILL);
        kills++;
        /* consistent after the kill (the database may not exist yet) */
        s = store_open(db, STORE_CREATE, &err);
        assert_non_null(s);
        if (store_check(s, &err) < 0)
            fail_msg("after a kill at write %d: %s", k, err.msg);
        store_close(s);
        /* and importing again finishes the job */
        assert_int_equal(import_once(db, dir, &sum), 0);
        assert_int_equal(sum.failed, 0);
        assert_int_equal(sum.totals.activities, NFILES);
        import_summary_release(&sum);
        s = store_open(db, STORE_CREATE, &err);
        assert_non_null(s);
        assert_int_equal(store_check(s, &err), 0);
        assert_int_equal(store_totals(s, &t, &err), 0);
        assert_int_equal(t.activities, NFILES);
        store_close(s);
        unlink(db);
    }
    /* every file costs several writes: there were many points to kill */
    assert_true(kills > NFILES * 4);
    print_message("killed the import at %d points\n", kills);
    test_tmpdir_remove(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_kill__every_write_point),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
