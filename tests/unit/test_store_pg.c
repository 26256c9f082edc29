/* test_store_pg.c - the store on PostgreSQL: its migrations from an empty
 * database and from every earlier version, as test_store.c does for
 * SQLite. Needs a server: tests/cli/t_pg_store.sh starts a throwaway one,
 * makes the databases v0, v1 ... and runs this with RUNCARE_TEST_PG_URL,
 * a URL with %s for the database's name. Without it the test says why and
 * skips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libpq-fe.h>

#include "base/base.h"
#include "store/store.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_store_pg__migrates_from_every_earlier_version),
    };
    return cmocka_run_group_tests_name("store_pg", tests, NULL, NULL);
}
