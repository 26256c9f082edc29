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
#include <endian.h>
#include <sqlite3.h>

#include "base/base.h"
#include "base/alloc.h"
#include "base/buf.h"
#include "store/store_int.h"
#include "store/pq.h"

#define DB_MAX_PARAMS 104 /* eight laps of 13 */
#define DB_MAX_COLUMNS 64

/* PostgreSQL's type ids for the parameters (catalog/pg_type_d.h) */
#define OID_BOOL 16
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_TEXT 25
#define OID_FLOAT4 700
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
    bool binary;       /* its rows in binary (db_binary_results) */
    int chunk;         /* rows a FETCH reads (db_chunked), 0: all at once */
    char cursor[24];   /* the open cursor of a chunked one, "" */
    bool own_tx;       /* its cursor's transaction is its own */
    Oid ftype[DB_MAX_COLUMNS]; /* binary: the result's column types */
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
    /* a chunked statement's cursor, and the transaction it began for it
     * (it only read: nothing to keep) */
    if (st->cursor[0] && st->s->pg && PQstatus(st->s->pg) == CONNECTION_OK) {
        char sql[48];
        snprintf(sql, sizeof(sql), "CLOSE %s", st->cursor);
        if (PQtransactionStatus(st->s->pg) == PQTRANS_INTRANS)
            PQclear(PQexec(st->s->pg, sql));
        if (st->own_tx)
            PQclear(PQexec(st->s->pg, "ROLLBACK"));
    }
    st->cursor[0] = '\0';
    st->own_tx = false;
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

/* Prepare a persistent statement on the server (once). */
static int pg_prepare_once(struct db_stmt *st)
{
    struct store *s = st->s;
    char name[24];
    PGresult *p;
    if (!st->persistent || st->prepared[0])
        return 0;
    snprintf(name, sizeof(name), "rc%u", ++s->pg_prepared);
    p = PQprepare(s->pg, name, st->sql, st->nparams, st->type);
    if (!p || PQresultStatus(p) != PGRES_COMMAND_OK) {
        pg_error(s, p);
        PQclear(p);
        return -1;
    }
    PQclear(p);
    snprintf(st->prepared, sizeof(st->prepared), "%s", name);
    return 0;
}

/* The deferred commands in one round trip of their own (a path that
 * cannot carry them: a cursor's BEGIN, a query by PQexec). */
static int pg_flush_deferred(struct store *s)
{
    char sql[256] = "";
    size_t n = 0;
    PGresult *r;
    bool ok;
    if (!s->ndeferred)
        return 0;
    for (int i = 0; i < s->ndeferred; i++)
        n += (size_t)snprintf(sql + n, sizeof(sql) - n, "%s;",
                              s->deferred[i]);
    s->ndeferred = 0;
    r = PQexec(s->pg, sql);
    ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok)
        pg_error(s, r);
    PQclear(r);
    return ok ? 0 : -1;
}

/* Run st with the deferred commands before it, in one pipeline: the
 * statement's result, or the first deferred command's error (the
 * statement then did not run). NULL with s->pg_msg set when libpq
 * cannot send. */
static PGresult *pg_exec_with_deferred(struct db_stmt *st)
{
    struct store *s = st->s;
    PGresult *keep = NULL;
    int n = s->ndeferred, left;
    bool sent = PQenterPipelineMode(s->pg);

    for (int i = 0; sent && i < n; i++)
        sent = PQsendQueryParams(s->pg, s->deferred[i], 0, NULL, NULL, NULL,
                                 NULL, 0);
    s->ndeferred = 0;
    if (sent)
        sent = st->prepared[0]
                   ? PQsendQueryPrepared(s->pg, st->prepared, st->nparams,
                                         st->val, st->len, st->fmt,
                                         st->binary)
                   : PQsendQueryParams(s->pg, st->sql, st->nparams, st->type,
                                       st->val, st->len, st->fmt, st->binary);
    if (sent)
        sent = PQpipelineSync(s->pg);
    if (!sent)
        pg_error(s, NULL);
    /* n + 1 results, each with a NULL after it, then the sync's; the
     * first error is kept (after it the rest say "aborted"), else the
     * statement's result */
    left = 2 * (n + 1) + 2;
    for (int k = 0; sent && left-- > 0;) {
        PGresult *r = PQgetResult(s->pg);
        if (!r) {
            if (PQstatus(s->pg) != CONNECTION_OK)
                break;
            continue;
        }
        if (PQresultStatus(r) == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            break;
        }
        if (!keep && (k == n || PQresultStatus(r) != PGRES_COMMAND_OK))
            keep = r; /* the statement's result, or a deferred error */
        else
            PQclear(r);
        k++;
    }
    if (PQpipelineStatus(s->pg) != PQ_PIPELINE_OFF &&
        !PQexitPipelineMode(s->pg) && !keep)
        pg_error(s, NULL);
    return keep;
}

int store_sql_defer(struct store *s, const char *sql, struct rc_err *err)
{
    if (!s->pg)
        return store_sql_exec(s, sql, err);
    if (s->ndeferred == (int)RC_ARRAY_SIZE(s->deferred) &&
        pg_flush_deferred(s) < 0)
        return store_sql_fail(s, err, sql);
    s->deferred[s->ndeferred++] = sql;
    return 0;
}

bool store_sql_undefer(struct store *s, const char *sql)
{
    if (!s->pg || !s->ndeferred || strcmp(s->deferred[s->ndeferred - 1], sql))
        return false;
    s->ndeferred--;
    return true;
}

/* db_step inside db_batch_begin/_end: the statement queued in the
 * pipeline (entered at the first one: a statement is prepared before). */
static int pg_queue(struct db_stmt *st)
{
    struct store *s = st->s;
    int ok;
    if (PQpipelineStatus(s->pg) == PQ_PIPELINE_OFF) {
        if (pg_prepare_once(st) < 0)
            return DB_ERROR;
        if (!PQenterPipelineMode(s->pg)) {
            pg_error(s, NULL);
            return DB_ERROR;
        }
    } else if (st->persistent && !st->prepared[0]) {
        /* prepared on the server before the statements queued so far
         * ran would need an answer now: run it unprepared */
        st->persistent = false;
    }
    /* the deferred commands go first, in the same pipeline */
    for (int i = 0; i < s->ndeferred; i++) {
        if (!PQsendQueryParams(s->pg, s->deferred[i], 0, NULL, NULL, NULL,
                               NULL, 0)) {
            pg_error(s, NULL);
            return DB_ERROR;
        }
        s->pipe_sent++;
    }
    s->ndeferred = 0;
    ok = st->prepared[0]
             ? PQsendQueryPrepared(s->pg, st->prepared, st->nparams, st->val,
                                   st->len, st->fmt, 0)
             : PQsendQueryParams(s->pg, st->sql, st->nparams, st->type,
                                 st->val, st->len, st->fmt, 0);
    if (!ok) {
        pg_error(s, NULL);
        return DB_ERROR;
    }
    s->pipe_sent++;
    return DB_DONE;
}

void db_batch_begin(struct store *s)
{
    s->piping = s->pg != NULL;
    s->pipe_sent = 0;
}

int db_batch_end(struct store *s, struct rc_err *err)
{
    bool failed = false;
    int left;

    if (!s->piping)
        return 0;
    s->piping = false;
    if (PQpipelineStatus(s->pg) == PQ_PIPELINE_OFF)
        return 0; /* nothing was queued */
    if (!PQpipelineSync(s->pg)) {
        pg_error(s, NULL);
        failed = true;
    }
    /* Each statement's answer, a NULL after it, and the sync's answer at
     * the end; after an error the rest are PGRES_PIPELINE_ABORTED. The
     * first error is kept. Bounded: a broken connection answers NULL. */
    left = 2 * s->pipe_sent + 2;
    while (left-- > 0) {
        PGresult *r = PQgetResult(s->pg);
        ExecStatusType est;
        if (!r) {
            if (PQstatus(s->pg) != CONNECTION_OK) {
                if (!failed)
                    pg_error(s, NULL);
                failed = true;
                break;
            }
            continue;
        }
        est = PQresultStatus(r);
        if (est == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            break;
        }
        if (!failed && est != PGRES_COMMAND_OK && est != PGRES_TUPLES_OK) {
            pg_error(s, r);
            failed = true;
        }
        PQclear(r);
    }
    if (!PQexitPipelineMode(s->pg) && !failed) {
        pg_error(s, NULL);
        failed = true;
    }
    s->pipe_sent = 0;
    return failed ? store_sql_fail(s, err, "write") : 0;
}

/* The column types of a binary result, once. */
static void keep_types(struct db_stmt *st)
{
    for (int k = 0; st->binary && k < DB_MAX_COLUMNS; k++)
        st->ftype[k] = k < PQnfields(st->res) && PQfformat(st->res, k) == 1
                           ? PQftype(st->res, k)
                           : 0;
}

/* A chunked statement's cursor, in the caller's transaction or one of
 * its own (a cursor lives in a transaction). */
static int pg_declare(struct db_stmt *st)
{
    struct store *s = st->s;
    PGresult *r;
    char *sql;
    size_t n = strlen(st->sql) + 64;
    bool ok;

    if (pg_flush_deferred(s) < 0)
        return -1;
    if (PQtransactionStatus(s->pg) == PQTRANS_IDLE) {
        r = PQexec(s->pg, "BEGIN READ ONLY");
        ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
        if (!ok) {
            pg_error(s, r);
            PQclear(r);
            return -1;
        }
        PQclear(r);
        st->own_tx = true;
    }
    snprintf(st->cursor, sizeof(st->cursor), "rcc%u", ++s->pg_prepared);
    sql = rc_malloc(n);
    if (!sql) {
        snprintf(s->pg_msg, sizeof(s->pg_msg), "out of memory");
        return -1;
    }
    snprintf(sql, n, "DECLARE %s NO SCROLL CURSOR FOR %s", st->cursor,
             st->sql);
    r = PQexecParams(s->pg, sql, st->nparams, st->type, st->val, st->len,
                     st->fmt, 0);
    rc_free(sql);
    ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok)
        pg_error(s, r);
    PQclear(r);
    return ok ? 0 : -1;
}

/* The next chunk of rows into st->res. */
static int pg_fetch(struct db_stmt *st)
{
    char sql[64];
    if (st->res)
        PQclear(st->res);
    snprintf(sql, sizeof(sql), "FETCH FORWARD %d FROM %s", st->chunk,
             st->cursor);
    st->res = PQexecParams(st->s->pg, sql, 0, NULL, NULL, NULL, NULL,
                           st->binary);
    if (!st->res || PQresultStatus(st->res) != PGRES_TUPLES_OK) {
        pg_error(st->s, st->res);
        PQclear(st->res);
        st->res = NULL;
        st->nrows = 0;
        return -1;
    }
    st->nrows = PQntuples(st->res);
    keep_types(st);
    return 0;
}

int db_step(struct db_stmt *st)
{
    struct store *s = st->s;
    if (st->lite) {
        int rc = sqlite3_step(st->lite);
        return rc == SQLITE_ROW ? DB_ROW : rc == SQLITE_DONE ? DB_DONE
                                                             : DB_ERROR;
    }
    if (st->row < 0 && s->piping)
        return pg_queue(st);
    if (st->row < 0 && st->chunk) {
        if (pg_declare(st) < 0 || pg_fetch(st) < 0)
            return DB_ERROR;
        st->row = 0;
    } else if (st->row < 0) {
        ExecStatusType est;
        /* a statement run again and again (import's) is prepared on the
         * server once, typed by its first parameters: planned once */
        if (pg_prepare_once(st) < 0)
            return DB_ERROR;
        st->res = s->ndeferred ? pg_exec_with_deferred(st)
                  : st->prepared[0]
                      ? PQexecPrepared(s->pg, st->prepared, st->nparams,
                                       st->val, st->len, st->fmt, st->binary)
                      : PQexecParams(s->pg, st->sql, st->nparams, st->type,
                                     st->val, st->len, st->fmt, st->binary);
        est = st->res ? PQresultStatus(st->res) : PGRES_FATAL_ERROR;
        if (est == PGRES_COMMAND_OK) {
            const char *t = PQcmdTuples(st->res);
            s->pg_changes = t && *t ? (int)strtol(t, NULL, 10) : 0;
            st->nrows = 0;
        } else if (est == PGRES_TUPLES_OK) {
            const char *t = PQcmdTuples(st->res);
            s->pg_changes = t && *t ? (int)strtol(t, NULL, 10) : 0;
            st->nrows = PQntuples(st->res);
            keep_types(st); /* binary: each column's type once */
        } else {
            pg_error(s, st->res);
            PQclear(st->res);
            st->res = NULL;
            return DB_ERROR;
        }
        st->row = 0;
    } else if (st->row < st->nrows) {
        st->row++;
        /* a chunked statement: the next rows when these are done */
        if (st->chunk && st->row == st->nrows && st->nrows == st->chunk) {
            if (pg_fetch(st) < 0)
                return DB_ERROR;
            st->row = 0;
        }
    }
    if (st->blob) {
        PQfreemem(st->blob);
        st->blob = NULL;
    }
    return st->row < st->nrows ? DB_ROW : DB_DONE;
}

void db_binary_results(struct db_stmt *st)
{
    if (!st->lite)
        st->binary = true;
}

void db_chunked(struct db_stmt *st, int rows)
{
    if (!st->lite && rows > 0)
        st->chunk = rows;
}

/* ---- columns ---- */

bool db_col_null(struct db_stmt *st, int i)
{
    if (st->lite)
        return sqlite3_column_type(st->lite, i) == SQLITE_NULL;
    return !st->res || st->row >= st->nrows ||
           PQgetisnull(st->res, st->row, i);
}

/* A binary column's bytes as the server sends them (big-endian). */
static uint64_t be64(const char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof(v));
    return be64toh(v);
}

static uint32_t be32(const char *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof(v));
    return be32toh(v);
}

/* The type of column i when it came in binary, else 0 (text). */
static Oid bin_type(const struct db_stmt *st, int i)
{
    return st->binary && i >= 0 && i < DB_MAX_COLUMNS ? st->ftype[i] : 0;
}

/* Did column i come as a binary number (else text, or SQLite)? */
static bool bin_is_number(const struct db_stmt *st, int i)
{
    Oid t = bin_type(st, i);
    return t == OID_INT8 || t == OID_INT4 || t == OID_INT2 ||
           t == OID_BOOL || t == OID_FLOAT8 || t == OID_FLOAT4;
}

/* A binary number column: true and *v for an integer type, false and *d
 * for a real one (NULL or a length that does not fit: 0 either way). */
static bool bin_number(struct db_stmt *st, int i, double *d, int64_t *v)
{
    const char *p;
    int n;
    Oid t = bin_type(st, i);
    bool is_int = t != OID_FLOAT8 && t != OID_FLOAT4;
    *d = 0;
    *v = 0;
    if (db_col_null(st, i))
        return is_int;
    p = PQgetvalue(st->res, st->row, i);
    n = PQgetlength(st->res, st->row, i);
    if (t == OID_INT8 && n == 8) {
        *v = (int64_t)be64(p);
    } else if (t == OID_INT4 && n == 4) {
        *v = (int32_t)be32(p);
    } else if (t == OID_INT2 && n == 2) {
        *v = (int16_t)(uint16_t)((unsigned char)p[0] << 8 |
                                 (unsigned char)p[1]);
    } else if (t == OID_BOOL && n == 1) {
        *v = p[0] != 0;
    } else if (t == OID_FLOAT8 && n == 8) {
        uint64_t bits = be64(p);
        memcpy(d, &bits, sizeof(*d));
    } else if (t == OID_FLOAT4 && n == 4) {
        uint32_t bits = be32(p);
        float f;
        memcpy(&f, &bits, sizeof(f));
        *d = f;
    }
    return is_int;
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
    /* binary text is the text itself (libpq ends every value with a
     * NUL); a binary number is not text */
    if (bin_is_number(st, i))
        return "";
    return PQgetvalue(st->res, st->row, i);
}

/* A real read as an integer, cut toward zero; out of range (or NAN):
 * the nearest end (0), never undefined behaviour. */
static int64_t to_int64(double d)
{
    if (!(d > -9.2e18))
        return d < 0 ? INT64_MIN : 0;
    if (d >= 9.2e18)
        return INT64_MAX;
    return (int64_t)d;
}

int64_t db_col_int64(struct db_stmt *st, int i)
{
    const char *t;
    if (st->lite)
        return sqlite3_column_int64(st->lite, i);
    if (bin_is_number(st, i)) {
        double d = 0;
        int64_t v = 0;
        bool is_int = bin_number(st, i, &d, &v);
        return is_int ? v : to_int64(d);
    }
    t = db_col_text(st, i);
    if (!strcmp(t, "t"))
        return 1;
    /* a numeric (SUM of integers) or a float read as an integer */
    if (strpbrk(t, ".eE"))
        return to_int64(strtod(t, NULL));
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
    if (bin_is_number(st, i)) {
        double d = 0;
        int64_t v = 0;
        return bin_number(st, i, &d, &v) ? (double)v : d;
    }
    return strtod(db_col_text(st, i), NULL);
}

const void *db_col_blob(struct db_stmt *st, int i)
{
    if (st->lite)
        return sqlite3_column_blob(st->lite, i);
    if (db_col_null(st, i))
        return NULL;
    if (bin_type(st, i)) {
        st->blob_len = (size_t)PQgetlength(st->res, st->row, i);
        return PQgetvalue(st->res, st->row, i);
    }
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
    if (s->ndeferred) {
        /* the deferred commands ride along: "RELEASE unit;COMMIT" */
        struct rc_buf b;
        int rc;
        rc_buf_init(&b, (size_t)1 << 20);
        for (int i = 0; i < s->ndeferred; i++)
            rc_buf_appendf(&b, NULL, "%s;", s->deferred[i]);
        if (rc_buf_appendf(&b, NULL, "%s", sql) < 0) {
            rc_buf_release(&b);
            return rc_fail(err, RC_EENV, "out of memory");
        }
        s->ndeferred = 0;
        rc = store_sql_exec(s, (const char *)b.data, err);
        rc_buf_release(&b);
        return rc;
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
    if (pg_flush_deferred(s) < 0)
        return 0;
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
