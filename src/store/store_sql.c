/* store_sql.c - the SQL driver of the store (store_int.h): one statement
 * API over SQLite (thin wrappers of sqlite3_*) and PostgreSQL (libpq), so
 * that the store's queries are written once for both backends.
 *
 * Under PostgreSQL a statement keeps its parameters as text (numbers
 * printed exactly: %lld, %.17g) or binary (bytea), typed so that the
 * server needs no guess; the first db_step runs it with PQexecParams and
 * the next ones walk the rows of its result, in text format (bytea comes
 * back as \x hex and is decoded here). SQLite's ?N placeholders become
 * $N; a bare ? is the next number, as SQLite counts. */
#include <libpq-fe.h>
#include <sqlite3.h>

#include "base/base.h"
#include "base/alloc.h"
#include "store/store_int.h"

#define DB_MAX_PARAMS 40

/* PostgreSQL's type ids for the parameters (catalog/pg_type_d.h) */
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_TEXT 25
#define OID_FLOAT8 701

struct db_stmt {
    struct store *s;
    sqlite3_stmt *lite;
    bool persistent;
    /* PostgreSQL */
    char *sql; /* with $N placeholders */
    int nparams;
    const char *val[DB_MAX_PARAMS];
    int len[DB_MAX_PARAMS], fmt[DB_MAX_PARAMS];
    Oid type[DB_MAX_PARAMS];
    char num[DB_MAX_PARAMS][32];
    PGresult *res;
    int row, nrows; /* the row db_step is on; -1 before the first */
    char prepared[24]; /* a persistent one's name on the server, "" */
    unsigned char *blob; /* the last bytea read, decoded */
    size_t blob_len;
};

bool store_is_pg(const struct store *s)
{
    return s->pg != NULL;
}

/* SQLite's ? and ?N as $N, outside quotes; the highest number in *n. */
static char *translate(const char *sql, int *n)
{
    size_t len = strlen(sql);
    char *out = rc_malloc(len * 3 + 1), *o = out;
    int next = 0, max = 0;
    char quote = 0;
    if (!out)
        return NULL;
    for (const char *p = sql; *p; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
            *o++ = *p;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
            *o++ = *p;
        } else if (*p == '?') {
            int k;
            if (p[1] >= '0' && p[1] <= '9') {
                char *end;
                k = (int)strtol(p + 1, &end, 10);
                p = end - 1;
            } else {
                k = next + 1;
            }
            if (k > next)
                next = k;
            if (k > max)
                max = k;
            o += snprintf(o, 8, "$%d", k);
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    *n = max;
    return out;
}

struct db_stmt *db_prepare(struct store *s, const char *sql, bool persistent,
                           struct rc_err *err)
{
    struct db_stmt *st = rc_calloc(1, sizeof(*st));
    if (!st) {
        rc_fail(err, RC_EENV, "out of memory");
        return NULL;
    }
    st->s = s;
    st->persistent = persistent;
    st->row = -1;
    if (!s->pg) {
        if (sqlite3_prepare_v3(s->db, sql, -1,
                               persistent ? SQLITE_PREPARE_PERSISTENT : 0,
                               &st->lite, NULL) != SQLITE_OK) {
            store_sql_fail(s, err, "prepare");
            rc_free(st);
            return NULL;
        }
        return st;
    }
    st->sql = translate(sql, &st->nparams);
    if (!st->sql || st->nparams > DB_MAX_PARAMS) {
        rc_fail(err, RC_EENV, st->sql ? "a statement has over %d parameters"
                                      : "out of memory",
                DB_MAX_PARAMS);
        rc_free(st->sql);
        rc_free(st);
        return NULL;
    }
    return st;
}

static void pg_clear_result(struct db_stmt *st)
{
    if (st->res)
        PQclear(st->res);
    st->res = NULL;
    st->row = -1;
    st->nrows = 0;
    if (st->blob)
        PQfreemem(st->blob);
    st->blob = NULL;
}

void db_finalize(struct db_stmt *st)
{
    if (!st)
        return;
    if (st->lite)
        sqlite3_finalize(st->lite);
    pg_clear_result(st);
    if (st->prepared[0] && st->s->pg &&
        PQstatus(st->s->pg) == CONNECTION_OK) {
        char sql[48];
        snprintf(sql, sizeof(sql), "DEALLOCATE %s", st->prepared);
        PQclear(PQexec(st->s->pg, sql));
    }
    rc_free(st->sql);
    rc_free(st);
}

void db_reset(struct db_stmt *st)
{
    if (st->lite)
        sqlite3_reset(st->lite);
    else
        pg_clear_result(st);
}

void db_clear_bindings(struct db_stmt *st)
{
    if (st->lite) {
        sqlite3_clear_bindings(st->lite);
        return;
    }
    for (int i = 0; i < DB_MAX_PARAMS; i++) {
        st->val[i] = NULL;
        st->len[i] = 0;
        st->fmt[i] = 0;
        st->type[i] = 0;
    }
}

/* ---- parameters ---- */

static bool pg_param(struct db_stmt *st, int i)
{
    return !st->lite && i >= 1 && i <= DB_MAX_PARAMS;
}

void db_bind_int64(struct db_stmt *st, int i, int64_t v)
{
    if (st->lite) {
        sqlite3_bind_int64(st->lite, i, v);
    } else if (pg_param(st, i)) {
        snprintf(st->num[i - 1], sizeof(st->num[0]), "%lld", (long long)v);
        st->val[i - 1] = st->num[i - 1];
        st->fmt[i - 1] = 0;
        st->type[i - 1] = OID_INT8;
    }
}

void db_bind_double(struct db_stmt *st, int i, double v)
{
    if (st->lite) {
        sqlite3_bind_double(st->lite, i, v);
    } else if (pg_param(st, i)) {
        snprintf(st->num[i - 1], sizeof(st->num[0]), "%.17g", v);
        st->val[i - 1] = st->num[i - 1];
        st->fmt[i - 1] = 0;
        st->type[i - 1] = OID_FLOAT8;
    }
}

void db_bind_null(struct db_stmt *st, int i)
{
    if (st->lite) {
        sqlite3_bind_null(st->lite, i);
    } else if (pg_param(st, i)) {
        st->val[i - 1] = NULL;
        st->type[i - 1] = 0;
    }
}

void db_bind_text(struct db_stmt *st, int i, const char *t)
{
    if (!t) {
        db_bind_null(st, i);
    } else if (st->lite) {
        sqlite3_bind_text(st->lite, i, t, -1, SQLITE_STATIC);
    } else if (pg_param(st, i)) {
        st->val[i - 1] = t;
        st->fmt[i - 1] = 0;
        st->type[i - 1] = OID_TEXT;
    }
}

void db_bind_blob(struct db_stmt *st, int i, const void *p, size_t n)
{
    if (st->lite) {
        sqlite3_bind_blob64(st->lite, i, p, n, SQLITE_STATIC);
    } else if (pg_param(st, i)) {
        st->val[i - 1] = n ? p : "";
        st->len[i - 1] = (int)n;
        st->fmt[i - 1] = 1;
        st->type[i - 1] = OID_BYTEA;
    }
}

/* ---- running ---- */

static void pg_error(struct store *s, const PGresult *res)
{
    const char *m = res ? PQresultErrorMessage(res) : PQerrorMessage(s->pg);
    size_t n;
    snprintf(s->pg_msg, sizeof(s->pg_msg), "%s",
             m && *m ? m : "the server did not answer");
    n = strlen(s->pg_msg);
    while (n && (s->pg_msg[n - 1] == '\n' || s->pg_msg[n - 1] == ' '))
        s->pg_msg[--n] = '\0';
}

int db_step(struct db_stmt *st)
{
    struct store *s = st->s;
    if (st->lite) {
        int rc = sqlite3_step(st->lite);
        return rc == SQLITE_ROW ? DB_ROW : rc == SQLITE_DONE ? DB_DONE
                                                             : DB_ERROR;
    }
    if (st->row < 0) {
        ExecStatusType est;
        /* a statement run again and again (import's) is prepared on the
         * server once, typed by its first parameters: planned once */
        if (st->persistent && !st->prepared[0]) {
            char name[24];
            PGresult *p;
            snprintf(name, sizeof(name), "rc%u", ++s->pg_prepared);
            p = PQprepare(s->pg, name, st->sql, st->nparams, st->type);
            if (!p || PQresultStatus(p) != PGRES_COMMAND_OK) {
                pg_error(s, p);
                PQclear(p);
                return DB_ERROR;
            }
            PQclear(p);
            snprintf(st->prepared, sizeof(st->prepared), "%s", name);
        }
        st->res = st->prepared[0]
                      ? PQexecPrepared(s->pg, st->prepared, st->nparams,
                                       st->val, st->len, st->fmt, 0)
                      : PQexecParams(s->pg, st->sql, st->nparams, st->type,
                                     st->val, st->len, st->fmt, 0);
        est = st->res ? PQresultStatus(st->res) : PGRES_FATAL_ERROR;
        if (est == PGRES_COMMAND_OK) {
            const char *t = PQcmdTuples(st->res);
            s->pg_changes = t && *t ? (int)strtol(t, NULL, 10) : 0;
            st->nrows = 0;
        } else if (est == PGRES_TUPLES_OK) {
            const char *t = PQcmdTuples(st->res);
            s->pg_changes = t && *t ? (int)strtol(t, NULL, 10) : 0;
            st->nrows = PQntuples(st->res);
        } else {
            pg_error(s, st->res);
            PQclear(st->res);
            st->res = NULL;
            return DB_ERROR;
        }
        st->row = 0;
    } else if (st->row < st->nrows) {
        st->row++;
    }
    if (st->blob) {
        PQfreemem(st->blob);
        st->blob = NULL;
    }
    return st->row < st->nrows ? DB_ROW : DB_DONE;
}

/* ---- columns ---- */

bool db_col_null(struct db_stmt *st, int i)
{
    if (st->lite)
        return sqlite3_column_type(st->lite, i) == SQLITE_NULL;
    return !st->res || st->row >= st->nrows ||
           PQgetisnull(st->res, st->row, i);
}

const char *db_col_text(struct db_stmt *st, int i)
{
    const char *t;
    if (st->lite) {
        t = (const char *)sqlite3_column_text(st->lite, i);
        return t ? t : "";
    }
    if (db_col_null(st, i))
        return "";
    return PQgetvalue(st->res, st->row, i);
}

int64_t db_col_int64(struct db_stmt *st, int i)
{
    const char *t;
    if (st->lite)
        return sqlite3_column_int64(st->lite, i);
    t = db_col_text(st, i);
    if (!strcmp(t, "t"))
        return 1;
    /* a numeric (SUM of integers) or a float read as an integer */
    if (strpbrk(t, ".eE"))
        return (int64_t)strtod(t, NULL);
    return strtoll(t, NULL, 10);
}

int db_col_int(struct db_stmt *st, int i)
{
    return (int)db_col_int64(st, i);
}

double db_col_double(struct db_stmt *st, int i)
{
    if (st->lite)
        return sqlite3_column_double(st->lite, i);
    return strtod(db_col_text(st, i), NULL);
}

const void *db_col_blob(struct db_stmt *st, int i)
{
    if (st->lite)
        return sqlite3_column_blob(st->lite, i);
    if (db_col_null(st, i))
        return NULL;
    if (!st->blob)
        st->blob = PQunescapeBytea(
            (const unsigned char *)PQgetvalue(st->res, st->row, i),
            &st->blob_len);
    return st->blob;
}

size_t db_col_bytes(struct db_stmt *st, int i)
{
    if (st->lite)
        return (size_t)sqlite3_column_bytes(st->lite, i);
    return db_col_blob(st, i) ? st->blob_len : 0;
}

/* ---- whole statements ---- */

int store_sql_exec(struct store *s, const char *sql, struct rc_err *err)
{
    PGresult *res;
    if (!s->pg) {
        if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
            return store_sql_fail(s, err, sql);
        return 0;
    }
    res = PQexec(s->pg, sql);
    if (!res || (PQresultStatus(res) != PGRES_COMMAND_OK &&
                 PQresultStatus(res) != PGRES_TUPLES_OK)) {
        pg_error(s, res);
        PQclear(res);
        return store_sql_fail(s, err, strlen(sql) < 60 ? sql : "run SQL");
    }
    PQclear(res);
    return 0;
}

int64_t store_sql_last_id(struct store *s)
{
    PGresult *res;
    int64_t id = 0;
    if (!s->pg)
        return sqlite3_last_insert_rowid(s->db);
    res = PQexec(s->pg, "SELECT lastval()");
    if (res && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
        id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return id;
}

int store_sql_changes(struct store *s)
{
    return s->pg ? s->pg_changes : sqlite3_changes(s->db);
}
