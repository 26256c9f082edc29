/* store_athletes.c - whose log it is (store.h, "athletes"): a SQLite file
 * names its one athlete in the athletes table; a PostgreSQL database keeps
 * many, each with a role, and coaches granted to read them
 * (migrations/009_athletes.pg.sql). Adding an athlete or a coach makes
 * its role when there is none: the connecting role needs CREATEROLE. */
#include <ctype.h>

#include "base/base.h"
#include "base/alloc.h"
#include "base/time.h"
#include "store/store_int.h"
#include "store/pq.h"

int store_athlete_name_check(const char *name, struct rc_err *err)
{
    size_t n = strlen(name);
    if (n == 0 || n > 63 || !isalpha((unsigned char)name[0]))
        return rc_fail(err, RC_EINPUT, "athlete name \"%s\" must be 1-63 "
                                       "bytes starting with a letter",
                       name);
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)name[i]) && !strchr("_-.", name[i]))
            return rc_fail(err, RC_EINPUT,
                           "athlete name \"%s\" has '%c' at byte %zu: use "
                           "letters, digits, '_', '-' and '.'",
                           name, name[i], i + 1);
    return 0;
}

const char *store_athlete(const struct store *s)
{
    return s->athlete;
}

/* The SQLite file's athlete into name ("" when not named): 0, or -1. */
static int sqlite_athlete(struct store *s, char name[64], struct rc_err *err)
{
    struct db_stmt *st =
        db_prepare(s, "SELECT name FROM athletes LIMIT 1", false, err);
    int rc;
    if (!st)
        return -1;
    rc = db_step(st);
    name[0] = '\0';
    if (rc == DB_ROW)
        snprintf(name, 64, "%s", db_col_text(st, 0));
    db_finalize(st);
    return rc == DB_ERROR ? store_sql_fail(s, err, "read the athlete") : 0;
}

int store_use_athlete(struct store *s, const char *name, struct rc_err *err)
{
    char have[64];
    if (store_athlete_name_check(name, err) < 0)
        return -1;
    if (s->pg)
        return store_pg_use_athlete(s, name, err);
    if (sqlite_athlete(s, have, err) < 0)
        return -1;
    if (have[0] && strcmp(have, name))
        return rc_fail(err, RC_EINPUT,
                       "database %s is athlete %s's log, not %s's", s->path,
                       have, name);
    snprintf(s->athlete, sizeof(s->athlete), "%s", name);
    return 0;
}

/* "name" as an SQL identifier, quoted; NULL with err. PQfreemem it. */
static char *ident(struct store *s, const char *name, struct rc_err *err)
{
    char *q = PQescapeIdentifier(s->pg, name, strlen(name));
    if (!q)
        rc_fail(err, RC_EENV, "database %s: %s", s->path,
                PQerrorMessage(s->pg));
    return q;
}

/* Make role (LOGIN) when missing and put it in runcare_member. */
static int ensure_role(struct store *s, const char *role, struct rc_err *err)
{
    char *q = ident(s, role, err);
    char sql[256];
    struct db_stmt *st;
    int found, rc = -1;
    if (!q)
        return -1;
    st = db_prepare(s, "SELECT 1 FROM pg_roles WHERE rolname = ?", false,
                    err);
    if (!st)
        goto out;
    db_bind_text(st, 1, role);
    found = db_step(st);
    db_finalize(st);
    if (found == DB_ERROR) {
        store_sql_fail(s, err, "read the roles");
        goto out;
    }
    if (found == DB_DONE) {
        snprintf(sql, sizeof(sql), "CREATE ROLE %s LOGIN", q);
        if (store_sql_exec(s, sql, err) < 0)
            goto out;
    }
    snprintf(sql, sizeof(sql), "GRANT runcare_member TO %s", q);
    rc = store_sql_exec(s, sql, err);
out:
    PQfreemem(q);
    return rc;
}

/* Run sql with text arguments a (and b, may be NULL); rows changed, -1. */
static int run2(struct store *s, const char *sql, const char *a,
                const char *b, struct rc_err *err)
{
    return b ? store_sql_run(s, err, sql, "tt", a, b)
             : store_sql_run(s, err, sql, "t", a);
}

int store_athlete_add(struct store *s, const char *name, struct rc_err *err)
{
    char have[64];
    bool own;
    int rc;
    if (store_athlete_name_check(name, err) < 0)
        return -1;
    if (!s->pg) {
        if (sqlite_athlete(s, have, err) < 0)
            return -1;
        if (have[0] && strcmp(have, name))
            return rc_fail(err, RC_EINPUT,
                           "database %s is athlete %s's log; a SQLite log "
                           "holds one athlete (a club's log is on "
                           "PostgreSQL: --db postgresql://...)",
                           s->path, have);
        if (have[0])
            return rc_fail(err, RC_EINPUT, "there is already an athlete "
                                           "named \"%s\"", name);
        if (store_sql_run(s, err, "INSERT INTO athletes (name, added_s) "
                                  "VALUES (?, ?)",
                          "tr", name, rc_now()) < 0)
            return -1;
        snprintf(s->athlete, sizeof(s->athlete), "%s", name);
        return 0;
    }
    if (store_tx_enter(s, &own, err) < 0)
        return -1;
    rc = run2(s, "INSERT INTO athletes (name, role, added_s) SELECT ?1, ?1, "
                 "extract(epoch FROM now()) WHERE NOT EXISTS (SELECT 1 FROM "
                 "athletes WHERE name = ?1 OR role = ?1)",
              name, NULL, err);
    if (rc == 0)
        rc = rc_fail(err, RC_EINPUT, "there is already an athlete (or a "
                                     "role of one) named \"%s\"", name);
    if (rc > 0)
        rc = ensure_role(s, name, err);
    return store_tx_leave(s, own, rc < 0 ? -1 : 0, err);
}

int store_athlete_list(struct store *s, struct store_athlete **out,
                       size_t *n, struct rc_err *err)
{
    struct db_stmt *st = db_prepare(
        s,
        s->pg ? "SELECT name, CAST(own AS int), CAST(coach AS int) FROM "
                "runcare_athletes_of(current_user) ORDER BY name "
                "COLLATE \"C\""
              : "SELECT name, 1, 0 FROM athletes ORDER BY name",
        false, err);
    struct store_athlete *v = NULL;
    size_t len = 0, cap = 0;
    int rc;
    if (!st)
        return -1;
    while ((rc = db_step(st)) == DB_ROW) {
        struct store_athlete *a;
        if (len == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            struct store_athlete *nv = rc_realloc(v, ncap * sizeof(*nv));
            if (!nv) {
                db_finalize(st);
                rc_free(v);
                return rc_fail(err, RC_EENV, "out of memory");
            }
            v = nv;
            cap = ncap;
        }
        a = &v[len++];
        memset(a, 0, sizeof(*a));
        snprintf(a->name, sizeof(a->name), "%s", db_col_text(st, 0));
        if (s->pg)
            snprintf(a->role, sizeof(a->role), "%s", a->name);
        a->own = db_col_int(st, 1) != 0;
        a->coach = db_col_int(st, 2) != 0;
    }
    db_finalize(st);
    if (rc == DB_ERROR) {
        rc_free(v);
        return store_sql_fail(s, err, "read the athletes");
    }
    *out = v;
    *n = len;
    return 0;
}

/* The log's tables, children first (the order to empty them in). */
static const char *const log_tables[] = {
    "history", "history_batches", "laps", "samples", "import_log",
    "activities", "sources", "archives", "shoes", "reports",
};

int store_athlete_rm(struct store *s, const char *name, bool with_log,
                     struct rc_err *err)
{
    char was[64], count[32];
    struct db_stmt *st;
    bool own;
    int rc = -1;
    if (!s->pg)
        return rc_fail(err, RC_EINPUT, "a SQLite log is one athlete's: "
                                       "remove the file instead");
    if (store_athlete_name_check(name, err) < 0)
        return -1;
    snprintf(was, sizeof(was), "%s", s->athlete);
    if (store_tx_enter(s, &own, err) < 0)
        return -1;
    if (store_pg_use_athlete(s, name, err) < 0)
        goto leave;
    st = db_prepare(s, "SELECT COUNT(*) FROM activities", false, err);
    if (!st)
        goto leave;
    if (db_step(st) != DB_ROW) {
        db_finalize(st);
        store_sql_fail(s, err, "count the activities");
        goto leave;
    }
    snprintf(count, sizeof(count), "%s", db_col_text(st, 0));
    db_finalize(st);
    if (strcmp(count, "0") && !with_log) {
        rc_fail(err, RC_EINPUT, "athlete %s has %s activities; 'runcare "
                                "athlete rm --with-log %s' removes them too",
                name, count, name);
        goto leave;
    }
    /* the batch of this command would be one of the rows removed */
    for (size_t i = 0; i < sizeof(log_tables) / sizeof(log_tables[0]); i++) {
        char sql[64];
        snprintf(sql, sizeof(sql), "DELETE FROM %s", log_tables[i]);
        if (store_sql_exec(s, sql, err) < 0)
            goto leave;
    }
    {
        char *q = ident(s, name, err);
        char sql[256];
        if (!q)
            goto leave;
        snprintf(sql, sizeof(sql), "REVOKE runcare_member FROM %s", q);
        PQfreemem(q);
        if (run2(s, "DELETE FROM athletes WHERE name = ?", name, NULL,
                 err) < 0 ||
            store_sql_exec(s, sql, err) < 0)
            goto leave;
    }
    rc = 0;
leave:
    rc = store_tx_leave(s, own, rc, err);
    if (strcmp(was, name))
        snprintf(s->athlete, sizeof(s->athlete), "%s", was);
    else
        s->athlete[0] = '\0';
    if (s->athlete[0]) {
        struct rc_err ignore = RC_ERR_INIT;
        store_pg_use_athlete(s, s->athlete, &ignore);
    }
    return rc;
}

int store_athlete_grant(struct store *s, const char *coach,
                        const char *athlete, struct rc_err *err)
{
    bool own;
    int rc;
    if (!s->pg)
        return rc_fail(err, RC_EINPUT, "coaches read a club's log on "
                                       "PostgreSQL (--db postgresql://...)");
    if (store_athlete_name_check(coach, err) < 0 ||
        store_athlete_name_check(athlete, err) < 0)
        return -1;
    if (store_tx_enter(s, &own, err) < 0)
        return -1;
    rc = run2(s, "INSERT INTO coach_grants (coach, athlete) SELECT ?1, ?2 "
                 "WHERE EXISTS (SELECT 1 FROM athletes WHERE name = ?2) ON "
                 "CONFLICT DO NOTHING",
              coach, athlete, err);
    if (rc == 0) {
        /* granted already, or no such athlete */
        struct db_stmt *st = db_prepare(
            s, "SELECT 1 FROM athletes WHERE name = ?", false, err);
        int found = st ? (db_bind_text(st, 1, athlete), db_step(st))
                       : DB_ERROR;
        db_finalize(st);
        if (found == DB_DONE)
            rc = rc_fail(err, RC_EINPUT, "no athlete \"%s\"; add one with "
                                         "'runcare athlete add'",
                         athlete);
        else if (found == DB_ERROR)
            rc = st ? store_sql_fail(s, err, "read the athletes") : -1;
    }
    if (rc >= 0)
        rc = ensure_role(s, coach, err);
    return store_tx_leave(s, own, rc < 0 ? -1 : 0, err);
}
