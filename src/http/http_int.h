/* http_int.h - shared inside src/http/ only: a request and a response
 * without libmicrohttpd (so that the router and the body parsers run, and
 * are fuzzed, on their own), the route table and the server's state. */
#ifndef RC_HTTP_INT_H
#define RC_HTTP_INT_H

#include <jansson.h>
#include <pthread.h>

#include "http/http.h"
#include "import/import.h"

/* What the server knows for the whole run. */
struct http_server {
    struct app app;
    const struct kb *kb;
    char token[65];      /* per start: state-changing requests carry it */
    int port;            /* the port bound */
    char tmpdir[4096];   /* uploads land here; removed at the end */
    long long upload_max;
    pthread_mutex_t check_lock; /* the check's engine, one at a time */
    pthread_mutex_t progress_lock;
    struct import_progress progress; /* the import under way, if any */
    bool importing;
    char db_path[APP_PATH_MAX]; /* the log's file, for the cache; "" none */
    long generation; /* changes made through this server (atomic) */
};

enum http_body_kind {
    HTTP_BODY_NONE,   /* a body is refused (413) */
    HTTP_BODY_MEMORY, /* JSON or a form, up to HTTP_BODY_MAX */
    HTTP_BODY_UPLOAD, /* a file, streamed to disk up to upload_max */
};

struct http_req {
    const char *method, *path;
    const char *query;   /* "a=1&b=x%20y" (no '?'), "" none */
    const char *host, *origin, *fetch_site, *token; /* headers; NULL none */
    const char *content_type;
    const char *body;    /* NUL-terminated (HTTP_BODY_MEMORY) */
    size_t body_len;
    const char *upload_path; /* the streamed body (HTTP_BODY_UPLOAD) */
    long long upload_bytes;
    int64_t id;          /* the number in the path, 0 none */
};

struct http_resp {
    int status;
    const char *type;  /* Content-Type */
    char *body;        /* malloc'd, or static when body_static */
    size_t len;
    bool body_static;
    bool is_api;       /* no caching */
};

typedef int (*http_handler)(struct http_server *srv,
                            const struct http_req *req,
                            struct http_resp *resp);

struct http_route {
    const char *method;
    const char *pattern; /* "/api/activities/#/rpe": # a number > 0 */
    enum http_body_kind body;
    http_handler handler;
    bool cache; /* answers kept while the log is unchanged (http_cache.c) */
};

/* The route for method and path; *id the path's number. NULL with
 * *status 404 (no such path) or 405 (no such method for it). */
const struct http_route *http_route_find(const char *method,
                                         const char *path, int64_t *id,
                                         int *status);

/* Whether a request may be served at all, and a state-changing one
 * (anything but GET and HEAD) acted on: the Host header names this
 * server (localhost or an address literal, with the port bound: no DNS
 * name, against DNS rebinding), the Origin (or Sec-Fetch-Site) is this
 * very server, and the token is the start's. 0, or the HTTP status (400,
 * 403) with the message in msg. */
int http_check_request(const struct http_server *srv,
                       const struct http_req *req, char *msg, size_t n);

/* Serve req (its route found, its body read) into resp: the route's
 * handler, or a static file of web/ for a GET outside /api/. */
void http_dispatch(struct http_server *srv, const struct http_req *req,
                   struct http_resp *resp);

/* ---- the cache of read-only answers (http_cache.c) ---- */

#define HTTP_CACHE_ENTRIES 16

struct http_file_stamp {
    long long size, ino, mtime_ns;
};

/* How the log looked: its files, the server's changes, the hour. */
struct http_stamp {
    struct http_file_stamp db, wal;
    long generation, hour;
    double made_s;
};

/* The kept answer to req into resp (a copy, yours), true; else false.
 * *now is the log's stamp, for http_cache_put after the handler ran. */
bool http_cache_get(const struct http_server *srv, const struct http_req *req,
                    struct http_resp *resp, struct http_stamp *now);
/* Keep a 200 answer to req under stamp st (http_cache_get's). */
void http_cache_put(const struct http_server *srv, const struct http_req *req,
                    const struct http_resp *resp, const struct http_stamp *st);
void http_cache_clear(void);

/* ---- bodies (http_body.c) ---- */

/* Parse a JSON body nested at most HTTP_JSON_DEPTH_MAX deep. NULL with
 * err (RC_EINPUT, "request body: line L column C: what"). */
json_t *http_json_parse(const char *body, size_t len, struct rc_err *err);

/* The value of key in a form-urlencoded text ("a=1&b=x+y%21") decoded
 * into out: 1 found, 0 not there, -1 bad (a bad % escape, a NUL, too
 * long for n). The first of several wins. */
int http_form_get(const char *form, size_t len, const char *key, char *out,
                  size_t n);

/* A string value of a JSON body's key or of a form body's, as text: a
 * JSON number is formatted, a JSON string copied. 1 found, 0 not there,
 * -1 with err when it is neither or too long. */
int http_body_value(const struct http_req *req, const json_t *json,
                    const char *key, char *out, size_t n,
                    struct rc_err *err);

/* ---- responses (http_route.c) ---- */

/* resp = v as JSON with status (steals v). */
void http_resp_json(struct http_resp *resp, int status, json_t *v);

/* resp = {"error":{"message":..., "field":..., "kind":...}}: the
 * message as the CLI prints it after "runcare: ". status 0: from
 * err->status (400 bad input or usage, 500 the environment). */
void http_resp_error(struct http_resp *resp, int status,
                     const struct rc_err *err);

/* The API handlers, for the route table (http_api.c). */
int http_api_token(struct http_server *, const struct http_req *,
                   struct http_resp *);
int http_api_activities(struct http_server *, const struct http_req *,
                        struct http_resp *);
int http_api_activity(struct http_server *, const struct http_req *,
                      struct http_resp *);
int http_api_rpe(struct http_server *, const struct http_req *,
                 struct http_resp *);
int http_api_log(struct http_server *, const struct http_req *,
                 struct http_resp *);
int http_api_edit(struct http_server *, const struct http_req *,
                  struct http_resp *);
int http_api_rm(struct http_server *, const struct http_req *,
                struct http_resp *);
int http_api_undo(struct http_server *, const struct http_req *,
                  struct http_resp *);
int http_api_load(struct http_server *, const struct http_req *,
                  struct http_resp *);
int http_api_load_chart(struct http_server *, const struct http_req *,
                        struct http_resp *);
int http_api_shoes(struct http_server *, const struct http_req *,
                   struct http_resp *);
int http_api_shoe_add(struct http_server *, const struct http_req *,
                      struct http_resp *);
int http_api_import(struct http_server *, const struct http_req *,
                    struct http_resp *);
int http_api_import_progress(struct http_server *, const struct http_req *,
                             struct http_resp *);
int http_api_check_next(struct http_server *, const struct http_req *,
                        struct http_resp *);
int http_api_check(struct http_server *, const struct http_req *,
                   struct http_resp *);

int http_api_plan(struct http_server *, const struct http_req *,
                  struct http_resp *);
int http_api_diary(struct http_server *, const struct http_req *,
                   struct http_resp *);
int http_api_diary_chart(struct http_server *, const struct http_req *,
                         struct http_resp *);
int http_api_diary_rm(struct http_server *, const struct http_req *,
                      struct http_resp *);
/* http_check.c: the follow-up one question at a time, and kept */
int http_api_diary_next(struct http_server *, const struct http_req *,
                        struct http_resp *);
int http_api_diary_add(struct http_server *, const struct http_req *,
                       struct http_resp *);

#endif
