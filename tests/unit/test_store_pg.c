/* test_store_pg.c - the store on PostgreSQL: its migrations from an empty
 * database and from every earlier version, as test_store.c does for
 * SQLite. Needs a server: tests/cli/t_pg_store.sh starts a throwaway one,
 * makes the databases v0, v1 ... and runs this with RUNCARE_TEST_PG_URL,
 * a URL with %s for the database's name. Without it the test says why and
 * skips. Also: rows read in binary (db_binary_results) read as the same
 * rows in text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libpq-fe.h>

#include "base/base.h"
#include "store/store.h"
#include "store/store_int.h"

static void url_of(char *out, size_t n, int v)
{
    char name[16];
    const char *tmpl = getenv("RUNCARE_TEST_PG_URL");
    const char *at = strstr(tmpl, "%s");
    snprintf(name, sizeof(name), "v%d", v);
    snprintf(out, n, "%.*s%s%s", (int)(at - tmpl), tmpl, name, at + 2);
}

/* rows of the oldest schema, written as SQL (this runcare's writes need
 * the latest one), as the athlete the store will choose */
static void add_old_rows(const char *url)
{
    PGconn *c = PQconnectdb(url);
    PGresult *r;
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    r = PQexec(c, "SET runcare.athlete = 'runcare'; INSERT INTO activities "
                  "(format, sport, start_s, local_day, distance_m) VALUES "
                  "('manual', 'running', 1.5e9, 17361, 30); INSERT INTO "
                  "shoes (name, start_km) VALUES ('Pegasus', 12)");
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        fail_msg("%s", PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
}

static void test_store_pg__migrates_from_every_earlier_version(void **state)
{
    int latest = store_schema_latest();
    (void)state;
    if (!getenv("RUNCARE_TEST_PG_URL")) {
        print_message("skipped: RUNCARE_TEST_PG_URL not set (a PostgreSQL "
                      "server: tests/cli/t_pg_store.sh runs this test)\n");
        skip();
    }
    for (int v = 0; v < latest; v++) {
        char url[1024];
        struct rc_err err = RC_ERR_INIT;
        struct store *s;
        struct store_totals t;
        struct store_shoe sh;
        int64_t rid;

        url_of(url, sizeof(url), v);
        s = store_open_at(url, STORE_CREATE, v, &err);
        if (!s)
            fail_msg("v%d: %s", v, err.msg);
        assert_int_equal(store_schema_version(s), v);
        store_close(s);
        if (v >= 1)
            add_old_rows(url);
        s = store_open(url, STORE_CREATE, &err);
        if (!s)
            fail_msg("v%d to %d: %s", v, latest, err.msg);
        assert_int_equal(store_schema_version(s), latest);
        assert_string_equal(store_athlete(s), "runcare");
        assert_int_equal(store_totals(s, &t, &err), 0);
        assert_int_equal(t.activities, v >= 1 ? 1 : 0);
        if (v >= 1) {
            assert_int_equal(store_shoe_get(s, "pegasus", &sh, &err), 0);
            assert_true(sh.start_km == 12);
        }
        /* the newest tables work */
        assert_int_equal(store_add_report(s, "{}", NULL, 1.6e9, &rid, &err),
                         0);
        assert_int_equal(store_check(s, &err), 0);
        store_close(s);
    }
}

/* A store on the scratch database (v15, which no migration test uses),
 * or the test skipped, saying why, without a server. */
static struct store *scratch_store(void)
{
    char url[1024];
    struct rc_err err = RC_ERR_INIT;
    struct store *s;
    if (!getenv("RUNCARE_TEST_PG_URL")) {
        print_message("skipped: RUNCARE_TEST_PG_URL not set (a PostgreSQL "
                      "server: tests/cli/t_pg_store.sh runs this test)\n");
        skip();
    }
    url_of(url, sizeof(url), 15);
    s = store_open(url, STORE_CREATE, &err);
    if (!s)
        fail_msg("%s", err.msg);
    return s;
}

/* Each type a binary statement may return, NULLs and negative numbers
 * among them, reads the same through db_col_* as in text. */
static void test_store_pg__binary_rows_read_as_text_rows(void **state)
{
    static const char sql[] =
        "SELECT CAST(-5 AS smallint), CAST(-70000 AS integer), "
        "CAST(-5000000000 AS bigint), CAST(1.5 AS real), "
        "CAST(-2.25e300 AS double precision), true, false, "
        "'Pegasus 40, \u00fc', CAST('\\x00ff10' AS bytea), "
        "CAST(NULL AS double precision), CAST(NULL AS text), "
        "CAST(NULL AS bigint), CAST(0.1 AS double precision)";
    struct rc_err err = RC_ERR_INIT;
    struct store *s = scratch_store();
    struct db_stmt *st[2];
    (void)state;
    for (int k = 0; k < 2; k++) {
        st[k] = db_prepare(s, sql, false, &err);
        assert_non_null(st[k]);
        if (k)
            db_binary_results(st[k]);
        assert_int_equal(db_step(st[k]), DB_ROW);
    }
    for (int i = 0; i < 13; i++) {
        if (db_col_null(st[1], i) != db_col_null(st[0], i) ||
            db_col_int64(st[1], i) != db_col_int64(st[0], i) ||
            /* a bool is read as an integer only */
            (i != 5 && i != 6 &&
             db_col_double(st[1], i) != db_col_double(st[0], i)))
            fail_msg("column %d: binary %lld %.17g, text %lld %.17g", i,
                     (long long)db_col_int64(st[1], i),
                     db_col_double(st[1], i),
                     (long long)db_col_int64(st[0], i),
                     db_col_double(st[0], i));
    }
    assert_true(db_col_int64(st[1], 2) == -5000000000LL);
    assert_true(db_col_double(st[1], 4) == -2.25e300);
    assert_true(db_col_double(st[1], 12) == 0.1);
    assert_int_equal(db_col_int(st[1], 5), 1);
    assert_int_equal(db_col_int(st[1], 6), 0);
    assert_string_equal(db_col_text(st[1], 7), db_col_text(st[0], 7));
    assert_string_equal(db_col_text(st[1], 7), "Pegasus 40, \xc3\xbc");
    assert_string_equal(db_col_text(st[1], 10), "");
    assert_int_equal(db_col_bytes(st[1], 8), 3);
    assert_memory_equal(db_col_blob(st[1], 8), "\x00\xff\x10", 3);
    assert_int_equal(db_col_bytes(st[0], 8), 3);
    assert_memory_equal(db_col_blob(st[0], 8), "\x00\xff\x10", 3);
    for (int k = 0; k < 2; k++) {
        assert_int_equal(db_step(st[k]), DB_DONE);
        db_finalize(st[k]);
    }
    store_close(s);
}

/* A chunked statement (db_chunked) gives every row once, in order,
 * across its chunks, in a transaction of its own or in the caller's, and
 * can be stepped again after a reset. */
static void test_store_pg__chunked_rows_come_whole(void **state)
{
    struct rc_err err = RC_ERR_INIT;
    struct store *s = scratch_store();
    (void)state;
    for (int round = 0; round < 3; round++) {
        struct db_stmt *st = db_prepare(
            s, "SELECT g, CAST(g AS double precision) / 4 FROM "
               "generate_series(1, ?1) g ORDER BY g", false, &err);
        int64_t next = 1;
        assert_non_null(st);
        db_chunked(st, 3);
        db_binary_results(st);
        db_bind_int64(st, 1, round == 1 ? 9 : 10); /* a last chunk full */
        if (round == 2)
            assert_int_equal(store_begin(s, &err), 0);
        while (db_step(st) == DB_ROW) {
            assert_true(db_col_int64(st, 0) == next);
            assert_true(db_col_double(st, 1) == (double)next / 4);
            next++;
        }
        assert_true(next == (round == 1 ? 10 : 11));
        db_reset(st);
        assert_int_equal(db_step(st), DB_ROW); /* again from the start */
        assert_true(db_col_int64(st, 0) == 1);
        db_finalize(st);
        if (round == 2)
            assert_int_equal(store_commit(s, &err), 0);
    }
    store_close(s);
}

/* Writes sent together (db_batch): all run, in order, in one round trip;
 * when one fails, db_batch_end says why, the ones after it did not run,
 * and the connection works on. */
static void test_store_pg__batched_writes_fail_as_one(void **state)
{
    struct rc_err err = RC_ERR_INIT;
    struct store *s = scratch_store();
    struct db_stmt *ins, *sum;
    (void)state;
    assert_int_equal(store_sql_exec(s, "CREATE TEMP TABLE t (v bigint "
                                       "CHECK (v <> 13))", &err), 0);
    ins = db_prepare(s, "INSERT INTO t VALUES (?1)", true, &err);
    sum = db_prepare(s, "SELECT COALESCE(CAST(SUM(v) AS bigint), 0), "
                        "COUNT(*) FROM t", false, &err);
    assert_non_null(ins);
    assert_non_null(sum);
    db_batch_begin(s);
    for (int v = 1; v <= 5; v++) {
        db_bind_int64(ins, 1, v);
        assert_int_equal(db_step(ins), DB_DONE);
        db_reset(ins);
    }
    assert_int_equal(db_batch_end(s, &err), 0);
    assert_int_equal(db_step(sum), DB_ROW);
    assert_true(db_col_int64(sum, 0) == 15 && db_col_int64(sum, 1) == 5);
    db_reset(sum);

    assert_int_equal(store_begin(s, &err), 0);
    db_batch_begin(s);
    for (int v = 12; v <= 14; v++) { /* 13 breaks the check */
        db_bind_int64(ins, 1, v);
        assert_int_equal(db_step(ins), DB_DONE);
        db_reset(ins);
    }
    assert_int_equal(db_batch_end(s, &err), -1);
    assert_non_null(strstr(err.msg, "t_v_check"));
    store_rollback(s);
    rc_err_clear(&err);
    assert_int_equal(db_step(sum), DB_ROW); /* the connection works on */
    assert_true(db_col_int64(sum, 0) == 15 && db_col_int64(sum, 1) == 5);
    db_finalize(sum);
    db_finalize(ins);
    store_close(s);
}

/* Units (savepoints) whose SAVEPOINT and RELEASE ride with the next
 * statement (store_sql_defer): a failing unit is undone alone, one that
 * wrote nothing is undone without a word to the server, the rest commit. */
static void test_store_pg__units_undo_alone(void **state)
{
    struct rc_err err = RC_ERR_INIT;
    struct store *s = scratch_store();
    struct db_stmt *ins, *sum;
    (void)state;
    assert_int_equal(store_sql_exec(s, "CREATE TEMP TABLE u (v bigint "
                                       "CHECK (v <> 13))", &err), 0);
    ins = db_prepare(s, "INSERT INTO u VALUES (?1)", true, &err);
    sum = db_prepare(s, "SELECT COALESCE(CAST(SUM(v) AS bigint), 0), "
                        "COUNT(*) FROM u", false, &err);
    assert_int_equal(store_begin(s, &err), 0);
    for (int v = 1; v <= 4; v++) {
        assert_int_equal(store_unit_begin(s, &err), 0);
        if (v == 2) { /* a unit that writes nothing */
            store_unit_undo(s);
            continue;
        }
        db_bind_int64(ins, 1, v == 3 ? 13 : v);
        if (v == 3) {
            assert_int_equal(db_step(ins), DB_ERROR);
            db_reset(ins);
            store_unit_undo(s);
            continue;
        }
        assert_int_equal(db_step(ins), DB_DONE);
        db_reset(ins);
        assert_int_equal(store_unit_end(s, &err), 0);
    }
    assert_int_equal(store_commit(s, &err), 0);
    assert_int_equal(db_step(sum), DB_ROW);
    assert_true(db_col_int64(sum, 0) == 5 && db_col_int64(sum, 1) == 2);
    db_finalize(sum);
    db_finalize(ins);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_store_pg__migrates_from_every_earlier_version),
        cmocka_unit_test(test_store_pg__binary_rows_read_as_text_rows),
        cmocka_unit_test(test_store_pg__chunked_rows_come_whole),
        cmocka_unit_test(test_store_pg__batched_writes_fail_as_one),
        cmocka_unit_test(test_store_pg__units_undo_alone),
    };
    return cmocka_run_group_tests_name("store_pg", tests, NULL, NULL);
}
