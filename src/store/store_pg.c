/* store_pg.c - the PostgreSQL side of the store: connecting with libpq,
 * its errors, and the athlete a connection reads and writes.
 *
 * The queries are the SQLite backend's (store_sql.c translates them);
 * what differs is here. Every table has an athlete column whose default
 * is the session setting runcare.athlete, and row-level security
 * (migrations/009_athletes.pg.sql) shows a connection only the rows of
 * that athlete, and only when its role may see them: the SQL of the other
 * files never names the athlete. A superuser (or a role with BYPASSRLS)
 * would see every athlete's rows at once, so runcare refuses to work as
 * one.
 *
 * The athlete of a connection: the one given (store_use_athlete), else
 * the one whose role is the connecting role, else the only one there is;
 * in an empty database, an athlete named after the connecting role (a
 * runner alone on PostgreSQL needs no `athlete add`). */

#include "base/base.h"
#include "base/alloc.h"
#include "store/store_int.h"
#include "store/pq.h"

/* A URL with its password hidden, for messages. */
static void redact(const char *url, char *out, size_t n)
{
    const char *scheme = strstr(url, "://");
    const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
    const char *colon = scheme ? strchr(scheme + 3, ':') : NULL;
    if (at && colon && colon < at)
        snprintf(out, n, "%.*s:***%s", (int)(colon - url), url, at);
    else
        snprintf(out, n, "%s", url);
}

int store_pg_fail(struct store *s, struct rc_err *err, const char *what)
{
    if (strstr(s->pg_msg, "row-level security"))
        return rc_fail(err, RC_EENV, "database %s: role %s may not change "
                                     "athlete %s's log (%s)",
                       s->path, PQuser(s->pg), s->athlete, s->pg_msg);
    if (strstr(s->pg_msg, "could not extend") ||
        strstr(s->pg_msg, "No space left"))
        return rc_fail(err, RC_EENV, "database %s: %s: the disk is full",
                       s->path, what);
    return rc_fail(err, RC_EENV, "database %s: %s: %s", s->path, what,
                   s->pg_msg[0] ? s->pg_msg : "error");
}

/* libpq prints the server's notices on stderr; runcare says what it
 * means itself */
static void quiet(void *arg, const PGresult *res)
{
    (void)arg;
    (void)res;
}

/* One text value from a query with up to one text parameter: 1 and out,
 * 0 for no row, -1. */
static int query_text(struct store *s, const char *sql, const char *arg,
                      char *out, size_t n, struct rc_err *err)
{
    struct db_stmt *st = db_prepare(s, sql, false, err);
    int rc;
    if (!st)
        return -1;
    if (arg)
        db_bind_text(st, 1, arg);
    rc = db_step(st);
    if (rc == DB_ROW)
        snprintf(out, n, "%s", db_col_text(st, 0));
    db_finalize(st);
    if (rc == DB_ERROR)
        return store_sql_fail(s, err, "read");
    return rc == DB_ROW;
}

int store_pg_connect(struct store *s, const char *url, struct rc_err *err)
{
    char bypass[8];
    redact(url, s->path, sizeof(s->path));
    if (rc_pq_load(err) < 0) /* libpq is loaded by the first connection */
        return -1;
    s->pg = PQconnectdb(url);
    if (!s->pg)
        return rc_fail(err, RC_EENV, "database %s: out of memory", s->path);
    if (PQstatus(s->pg) != CONNECTION_OK) {
        char msg[512];
        size_t n;
        snprintf(msg, sizeof(msg), "%s", PQerrorMessage(s->pg));
        n = strlen(msg);
        while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
            msg[--n] = '\0';
        return rc_fail(err, RC_EENV, "database %s: cannot connect: %s",
                       s->path, msg);
    }
    PQsetNoticeReceiver(s->pg, quiet, NULL);
    if (store_sql_exec(s, "SET client_min_messages = warning", err) < 0)
        return -1;
    if (query_text(s, "SELECT (rolsuper OR rolbypassrls)::int FROM pg_roles "
                      "WHERE rolname = current_user",
                   NULL, bypass, sizeof(bypass), err) < 0)
        return -1;
    if (!strcmp(bypass, "1"))
        return rc_fail(err, RC_EENV,
                       "database %s: role %s bypasses row-level security "
                       "(a superuser, or BYPASSRLS), so it would see every "
                       "athlete's rows as one log; connect as the club's "
                       "owner or an athlete's role",
                       s->path, PQuser(s->pg));
    return 0;
}

/* Make name the connection's athlete (runcare.athlete). */
static int set_athlete(struct store *s, const char *name, struct rc_err *err)
{
    char got[64];
    if (query_text(s, "SELECT set_config('runcare.athlete', ?, false)", name,
                   got, sizeof(got), err) < 0)
        return -1;
    snprintf(s->athlete, sizeof(s->athlete), "%s", name);
    return 0;
}

int store_pg_default_athlete(struct store *s, bool may_add,
                             struct rc_err *err)
{
    char name[64] = "";
    struct db_stmt *st;
    int rows = 0, step;
    bool own = false;
    /* the role's own athlete first; two rows are enough to know */
    st = db_prepare(s, "SELECT name, CAST(own AS int) FROM "
                       "runcare_athletes_of(current_user) ORDER BY own "
                       "DESC, name LIMIT 2",
                    false, err);
    if (!st)
        return -1;
    while ((step = db_step(st)) == DB_ROW) {
        if (rows++ == 0) {
            snprintf(name, sizeof(name), "%s", db_col_text(st, 0));
            own = db_col_int(st, 1) != 0;
        }
    }
    db_finalize(st);
    if (step == DB_ERROR)
        return store_sql_fail(s, err, "read the athletes");
    if (rows == 0 && may_add) {
        /* nobody yet: the connecting role is the athlete (the owner may
         * add it; any other role then has no athlete) */
        snprintf(name, sizeof(name), "%s", PQuser(s->pg));
        if (store_sql_exec(s, "INSERT INTO athletes (name, role, added_s) "
                              "VALUES (current_user, current_user, "
                              "extract(epoch FROM now())) ON CONFLICT DO "
                              "NOTHING",
                           NULL) < 0)
            name[0] = '\0';
    } else if (!own && rows != 1) {
        /* none, or several: commands on one athlete need --athlete; the
         * club and the athlete list do not */
        name[0] = '\0';
    }
    s->athlete[0] = '\0';
    return name[0] ? set_athlete(s, name, err) : 0;
}

int store_pg_use_athlete(struct store *s, const char *name,
                         struct rc_err *err)
{
    char got[64];
    int rc = query_text(s, "SELECT CAST(runcare_athlete_visible(?, "
                           "current_user) AS int)",
                        name, got, sizeof(got), err);
    if (rc < 0)
        return -1;
    if (rc == 0 || strcmp(got, "1"))
        return rc_fail(err, RC_EINPUT,
                       "no athlete \"%s\" that role %s may see in %s; add "
                       "one with 'runcare athlete add'",
                       name, PQuser(s->pg), s->path);
    return set_athlete(s, name, err);
}

const char *store_pg_role(struct store *s)
{
    return s->pg ? PQuser(s->pg) : "";
}
