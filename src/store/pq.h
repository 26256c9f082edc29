/* pq.h - libpq, loaded when the first PostgreSQL log is opened.
 * Include this instead of the library's header: its functions are
 * called through a table that rc_pq_load fills once (base/dl.h). */
#ifndef RC_PQ_H
#define RC_PQ_H

#include <libpq-fe.h>

#include "base/err.h"

struct rc_pq {
    __typeof__(PQclear) *PQclear;
    __typeof__(PQcmdTuples) *PQcmdTuples;
    __typeof__(PQconnectdb) *PQconnectdb;
    __typeof__(PQconsumeInput) *PQconsumeInput;
    __typeof__(PQenterPipelineMode) *PQenterPipelineMode;
    __typeof__(PQerrorMessage) *PQerrorMessage;
    __typeof__(PQescapeIdentifier) *PQescapeIdentifier;
    __typeof__(PQexec) *PQexec;
    __typeof__(PQexecParams) *PQexecParams;
    __typeof__(PQexecPrepared) *PQexecPrepared;
    __typeof__(PQexitPipelineMode) *PQexitPipelineMode;
    __typeof__(PQfformat) *PQfformat;
    __typeof__(PQfinish) *PQfinish;
    __typeof__(PQfreemem) *PQfreemem;
    __typeof__(PQftype) *PQftype;
    __typeof__(PQgetResult) *PQgetResult;
    __typeof__(PQgetisnull) *PQgetisnull;
    __typeof__(PQgetlength) *PQgetlength;
    __typeof__(PQgetvalue) *PQgetvalue;
    __typeof__(PQisBusy) *PQisBusy;
    __typeof__(PQnfields) *PQnfields;
    __typeof__(PQntuples) *PQntuples;
    __typeof__(PQpipelineStatus) *PQpipelineStatus;
    __typeof__(PQpipelineSync) *PQpipelineSync;
    __typeof__(PQprepare) *PQprepare;
    __typeof__(PQresultErrorMessage) *PQresultErrorMessage;
    __typeof__(PQresultStatus) *PQresultStatus;
    __typeof__(PQsendQueryParams) *PQsendQueryParams;
    __typeof__(PQsendQueryPrepared) *PQsendQueryPrepared;
    __typeof__(PQsetNoticeReceiver) *PQsetNoticeReceiver;
    __typeof__(PQstatus) *PQstatus;
    __typeof__(PQtransactionStatus) *PQtransactionStatus;
    __typeof__(PQunescapeBytea) *PQunescapeBytea;
    __typeof__(PQuser) *PQuser;
};
extern struct rc_pq rc_pq;

/* Load the library once (thread-safe): 0, or -1 with err (RC_EENV)
 * naming the Debian package to install (libpq5, for PostgreSQL logs). */
int rc_pq_load(struct rc_err *err);

#ifndef RC_PQ_H_LOADER
#define PQclear (rc_pq.PQclear)
#define PQcmdTuples (rc_pq.PQcmdTuples)
#define PQconnectdb (rc_pq.PQconnectdb)
#define PQconsumeInput (rc_pq.PQconsumeInput)
#define PQenterPipelineMode (rc_pq.PQenterPipelineMode)
#define PQerrorMessage (rc_pq.PQerrorMessage)
#define PQescapeIdentifier (rc_pq.PQescapeIdentifier)
#define PQexec (rc_pq.PQexec)
#define PQexecParams (rc_pq.PQexecParams)
#define PQexecPrepared (rc_pq.PQexecPrepared)
#define PQexitPipelineMode (rc_pq.PQexitPipelineMode)
#define PQfformat (rc_pq.PQfformat)
#define PQfinish (rc_pq.PQfinish)
#define PQfreemem (rc_pq.PQfreemem)
#define PQftype (rc_pq.PQftype)
#define PQgetResult (rc_pq.PQgetResult)
#define PQgetisnull (rc_pq.PQgetisnull)
#define PQgetlength (rc_pq.PQgetlength)
#define PQgetvalue (rc_pq.PQgetvalue)
#define PQisBusy (rc_pq.PQisBusy)
#define PQnfields (rc_pq.PQnfields)
#define PQntuples (rc_pq.PQntuples)
#define PQpipelineStatus (rc_pq.PQpipelineStatus)
#define PQpipelineSync (rc_pq.PQpipelineSync)
#define PQprepare (rc_pq.PQprepare)
#define PQresultErrorMessage (rc_pq.PQresultErrorMessage)
#define PQresultStatus (rc_pq.PQresultStatus)
#define PQsendQueryParams (rc_pq.PQsendQueryParams)
#define PQsendQueryPrepared (rc_pq.PQsendQueryPrepared)
#define PQsetNoticeReceiver (rc_pq.PQsetNoticeReceiver)
#define PQstatus (rc_pq.PQstatus)
#define PQtransactionStatus (rc_pq.PQtransactionStatus)
#define PQunescapeBytea (rc_pq.PQunescapeBytea)
#define PQuser (rc_pq.PQuser)
#endif

#endif
