/* pq.c - the table of pq.h, filled by dlopen (base/dl.h). */
#define RC_PQ_H_LOADER
#include "base/base.h"
#include "base/dl.h"
#include "store/pq.h"

#ifndef RC_SONAME_PQ
#error "RC_SONAME_PQ (the library's soname) comes from tools/deps.sh"
#endif

struct rc_pq rc_pq;

/* each function by name, and where its pointer goes */
#define SYM(f) { #f, offsetof(struct rc_pq, f) }
static const struct rc_dl_sym syms[] = {
    SYM(PQclear),
    SYM(PQcmdTuples),
    SYM(PQconnectdb),
    SYM(PQconsumeInput),
    SYM(PQenterPipelineMode),
    SYM(PQerrorMessage),
    SYM(PQescapeIdentifier),
    SYM(PQexec),
    SYM(PQexecParams),
    SYM(PQexecPrepared),
    SYM(PQexitPipelineMode),
    SYM(PQfformat),
    SYM(PQfinish),
    SYM(PQfreemem),
    SYM(PQftype),
    SYM(PQgetResult),
    SYM(PQgetisnull),
    SYM(PQgetlength),
    SYM(PQgetvalue),
    SYM(PQisBusy),
    SYM(PQnfields),
    SYM(PQntuples),
    SYM(PQpipelineStatus),
    SYM(PQpipelineSync),
    SYM(PQprepare),
    SYM(PQresultErrorMessage),
    SYM(PQresultStatus),
    SYM(PQsendQueryParams),
    SYM(PQsendQueryPrepared),
    SYM(PQsetNoticeReceiver),
    SYM(PQstatus),
    SYM(PQtransactionStatus),
    SYM(PQunescapeBytea),
    SYM(PQuser),
};
#undef SYM

static struct rc_dl lib =
    RC_DL_INIT(RC_SONAME_PQ, "libpq5", "PostgreSQL logs", syms, &rc_pq);

int rc_pq_load(struct rc_err *err)
{
    return rc_dl_load(&lib, err);
}
