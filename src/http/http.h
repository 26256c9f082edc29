/* http.h - `runcare serve`: the local web page (web/, embedded in the
 * binary) and its JSON API under /api/, served with GNU libmicrohttpd.
 *
 * Data flow: a request -> http_server.c (libmicrohttpd: the security
 * checks, the body streamed into a capped buffer or, for an upload, to a
 * file) -> http_route.c (the route table) -> http_api.c (one handler per
 * route: the same app_* call as the CLI command) -> JSON. http/ includes
 * app/ and the core's headers for their JSON builders; never cli/.
 *
 * Ownership: arguments are borrowed. */
#ifndef RC_HTTP_H
#define RC_HTTP_H

#include "base/base.h"
#include "base/err.h"
#include "app/app.h"

#define HTTP_LISTEN_DEFAULT "127.0.0.1:8080"
/* An upload (one file or export zip) is streamed to a temporary file and
 * refused past this many bytes: a Strava export of ten years is about
 * 1 GB with its photos. */
#define HTTP_UPLOAD_MAX ((long long)2 << 30)
/* Every other request body (JSON, a form) is read into memory up to this. */
#define HTTP_BODY_MAX ((size_t)1 << 20)
/* JSON bodies nest at most this deep (a report nests 3 levels). */
#define HTTP_JSON_DEPTH_MAX 16

struct http_opts {
    struct app app;      /* the log; app.rules the load guard's rules */
    const struct kb *kb; /* the check's kb */
    const char *listen;  /* "ADDR:PORT"; NULL: HTTP_LISTEN_DEFAULT */
    bool open;           /* open the page in the runner's browser */
    long long upload_max; /* 0: HTTP_UPLOAD_MAX */
};

/* Serve until SIGINT or SIGTERM: prints the page's address on stdout
 * once listening (a port 0 shows the one picked), a warning on stderr
 * when not bound to loopback. At the signal, requests in flight finish
 * and the server stops. RC_EUSAGE for a bad --listen, RC_EENV when the
 * address cannot be bound (in use: naming it). */
int http_serve(const struct http_opts *o, struct rc_err *err);

/* Parse "ADDR:PORT" ("127.0.0.1:8080", "[::1]:0", "localhost:8080"):
 * the address (brackets removed, "localhost" as 127.0.0.1) into addr and
 * the port. -1 with err (RC_EUSAGE) when it is not one. */
int http_parse_listen(const char *text, char *addr, size_t n, int *port,
                      struct rc_err *err);

#endif
