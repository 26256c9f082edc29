/* http_server.c - libmicrohttpd under the router: the listening socket
 * (bound here, so that a port in use is said as such and port 0 shows the
 * one picked), the security checks and headers on every response, request
 * bodies read into a capped buffer or streamed to a temporary file, and a
 * clean stop at SIGINT or SIGTERM (requests in flight finish).
 *
 * One thread per connection: an import that runs for a minute holds its
 * own connection only, never the page's other requests. */
#include <arpa/inet.h>
#include <ctype.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/base.h"
#include "base/buf.h"
#include "http/http_int.h"
#include "http/mhd.h"

extern char **environ;

#define CSP                                                             \
    "default-src 'none'; script-src 'self'; style-src 'self'; "         \
    "img-src 'self' data:; connect-src 'self'; form-action 'self'; "    \
    "frame-ancestors 'none'; base-uri 'none'"

/* One request while libmicrohttpd calls us for it. */
struct conn {
    const struct http_route *route;
    int64_t id;
    int early_status;      /* refused before its body: 400, 403, 404 ... */
    char early_msg[300];
    struct rc_buf body;    /* HTTP_BODY_MEMORY */
    bool too_large;
    int fd;                /* HTTP_BODY_UPLOAD: the file, -1 none */
    char upload_path[4200];
    long long upload_bytes;
    bool write_failed;
};

int http_parse_listen(const char *text, char *addr, size_t n, int *port,
                      struct rc_err *err)
{
    const char *colon, *host = text;
    size_t hlen;
    char *end, buf[64];
    long p;
    struct in6_addr a6;
    struct in_addr a4;

    if (!text)
        text = host = HTTP_LISTEN_DEFAULT;
    if (text[0] == '[') {
        const char *close = strchr(text, ']');
        if (!close || close[1] != ':')
            goto bad;
        host = text + 1;
        hlen = (size_t)(close - host);
        colon = close + 1;
    } else {
        colon = strrchr(text, ':');
        if (!colon)
            goto bad;
        hlen = (size_t)(colon - text);
    }
    if (hlen == 0 || hlen >= sizeof(buf) || hlen >= n)
        goto bad;
    memcpy(buf, host, hlen);
    buf[hlen] = '\0';
    if (!strcmp(buf, "localhost"))
        snprintf(buf, sizeof(buf), "127.0.0.1");
    if (inet_pton(AF_INET, buf, &a4) != 1 &&
        inet_pton(AF_INET6, buf, &a6) != 1)
        goto bad;
    errno = 0;
    p = strtol(colon + 1, &end, 10);
    if (colon[1] < '0' || colon[1] > '9' || *end || errno || p > 65535)
        goto bad;
    snprintf(addr, n, "%s", buf);
    *port = (int)p;
    return 0;
bad:
    return rc_fail(err, RC_EUSAGE, "--listen '%s' is not ADDR:PORT (an "
                                   "address and a port 0-65535, e.g. "
                                   "127.0.0.1:8080 or [::1]:0)", text);
}

static bool is_loopback(const char *addr)
{
    return !strncmp(addr, "127.", 4) || !strcmp(addr, "::1");
}

/* Bind and listen on addr:port; the socket, or -1 with err (RC_EENV). */
static int bind_listen(const char *addr, int port, int *bound,
                       struct rc_err *err)
{
    struct sockaddr_storage ss;
    socklen_t len;
    int fd, one = 1;
    bool v6 = strchr(addr, ':') != NULL;

    memset(&ss, 0, sizeof(ss));
    if (v6) {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons((uint16_t)port);
        inet_pton(AF_INET6, addr, &s6->sin6_addr);
        len = sizeof(*s6);
    } else {
        struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
        s4->sin_family = AF_INET;
        s4->sin_port = htons((uint16_t)port);
        inet_pton(AF_INET, addr, &s4->sin_addr);
        len = sizeof(*s4);
    }
    fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return rc_fail(err, RC_EENV, "cannot make a socket: %s",
                       strerror(errno));
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, (struct sockaddr *)&ss, len) != 0 || listen(fd, 128) != 0) {
        int e = errno;
        close(fd);
        if (e == EADDRINUSE)
            return rc_fail(err, RC_EENV, "%s%s%s:%d is in use (is runcare "
                                         "serve already running? --listen "
                                         "%s:0 picks a free port)",
                           v6 ? "[" : "", addr, v6 ? "]" : "", port,
                           v6 ? "[::1]" : "127.0.0.1");
        return rc_fail(err, RC_EENV, "cannot listen on %s:%d: %s", addr,
                       port, strerror(e));
    }
    len = sizeof(ss);
    getsockname(fd, (struct sockaddr *)&ss, &len);
    *bound = ntohs(ss.ss_family == AF_INET6
                       ? ((struct sockaddr_in6 *)&ss)->sin6_port
                       : ((struct sockaddr_in *)&ss)->sin_port);
    return fd;
}

/* ---- responses ---- */

static enum MHD_Result send_resp(struct MHD_Connection *c,
                                 struct http_resp *r)
{
    struct MHD_Response *m;
    enum MHD_Result ok;

    m = MHD_create_response_from_buffer(
        r->len, r->body,
        r->body_static ? MHD_RESPMEM_PERSISTENT : MHD_RESPMEM_MUST_FREE);
    if (!m) {
        if (!r->body_static)
            free(r->body);
        return MHD_NO;
    }
    MHD_add_response_header(m, "Content-Type", r->type);
    MHD_add_response_header(m, "Content-Security-Policy", CSP);
    MHD_add_response_header(m, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(m, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(m, "X-Frame-Options", "DENY");
    MHD_add_response_header(m, "Cross-Origin-Resource-Policy", "same-origin");
    MHD_add_response_header(m, "Cache-Control",
                            r->is_api ? "no-store" : "no-cache");
    ok = MHD_queue_response(c, (unsigned)r->status, m);
    MHD_destroy_response(m);
    return ok;
}

static enum MHD_Result send_error(struct MHD_Connection *c, int status,
                                  const char *msg)
{
    struct http_resp r = { 0 };
    struct rc_err err = RC_ERR_INIT;
    rc_fail(&err, RC_EINPUT, "%s", msg);
    http_resp_error(&r, status, &err);
    return send_resp(c, &r);
}

/* ---- requests ---- */

static const char *header(struct MHD_Connection *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

struct query_acc {
    struct rc_buf b;
    bool bad;
};

static void put_encoded(struct rc_buf *b, const char *s, bool *bad)
{
    static const char hexd[] = "0123456789ABCDEF";
    for (; s && *s; s++) {
        unsigned char ch = (unsigned char)*s;
        char e[3] = { '%', hexd[ch >> 4], hexd[ch & 15] };
        struct rc_err err = RC_ERR_INIT;
        int rc = isalnum(ch) || strchr("-._~", ch)
                     ? rc_buf_append(b, s, 1, &err)
                     : rc_buf_append(b, e, 3, &err);
        if (rc < 0)
            *bad = true;
    }
}

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind,
                               const char *key, const char *value)
{
    struct query_acc *q = cls;
    struct rc_err err = RC_ERR_INIT;
    (void)kind;
    if (q->b.len && rc_buf_append(&q->b, "&", 1, &err) < 0)
        q->bad = true;
    put_encoded(&q->b, key, &q->bad);
    if (value) {
        if (rc_buf_append(&q->b, "=", 1, &err) < 0)
            q->bad = true;
        put_encoded(&q->b, value, &q->bad);
    }
    return q->bad ? MHD_NO : MHD_YES;
}

/* The first call for a request: route it, check it, prepare its body. */
static void start(struct http_server *srv, struct MHD_Connection *c,
                  const char *url, const char *method, struct conn *st)
{
    struct http_req req = { .method = method, .path = url };
    const char *len_text;

    st->fd = -1;
    st->route = http_route_find(method, url, &st->id, &st->early_status);
    if (!st->route) {
        snprintf(st->early_msg, sizeof(st->early_msg),
                 st->early_status == 405 ? "%s is not allowed on %.100s"
                                         : "no API route %s %.100s",
                 method, url);
        return;
    }
    req.host = header(c, "Host");
    req.origin = header(c, "Origin");
    req.fetch_site = header(c, "Sec-Fetch-Site");
    req.token = header(c, "X-Runcare-Token");
    st->early_status = http_check_request(srv, &req, st->early_msg,
                                          sizeof(st->early_msg));
    if (st->early_status)
        return;
    len_text = header(c, "Content-Length");
    if (st->route->body == HTTP_BODY_UPLOAD) {
        if (len_text && strtoll(len_text, NULL, 10) > srv->upload_max) {
            st->early_status = 413;
            snprintf(st->early_msg, sizeof(st->early_msg),
                     "the upload is %s bytes, over the limit of %lld",
                     len_text, srv->upload_max);
            return;
        }
        snprintf(st->upload_path, sizeof(st->upload_path),
                 "%s/upload.XXXXXX", srv->tmpdir);
        st->fd = mkostemp(st->upload_path, O_CLOEXEC);
        if (st->fd < 0) {
            st->early_status = 500;
            snprintf(st->early_msg, sizeof(st->early_msg),
                     "cannot store the upload: %s", strerror(errno));
        }
    } else if (st->route->body == HTTP_BODY_MEMORY) {
        rc_buf_init(&st->body, HTTP_BODY_MAX);
        if (len_text && strtoll(len_text, NULL, 10) > (long long)HTTP_BODY_MAX) {
            st->early_status = 413;
            snprintf(st->early_msg, sizeof(st->early_msg),
                     "the request body is over the limit of %zu bytes",
                     HTTP_BODY_MAX);
        }
    }
}

/* Take a chunk of the body. */
static void take(struct http_server *srv, struct conn *st, const char *data,
                 size_t n)
{
    struct rc_err err = RC_ERR_INIT;
    if (st->early_status || st->too_large)
        return;
    if (!st->route || st->route->body == HTTP_BODY_NONE) {
        st->too_large = true;
        return;
    }
    if (st->route->body == HTTP_BODY_MEMORY) {
        if (rc_buf_append(&st->body, data, n, &err) < 0)
            st->too_large = true;
        return;
    }
    if (st->upload_bytes + (long long)n > srv->upload_max) {
        st->too_large = true;
        return;
    }
    st->upload_bytes += (long long)n;
    while (n > 0 && !st->write_failed) {
        ssize_t k = write(st->fd, data, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            st->write_failed = true;
            break;
        }
        data += k;
        n -= (size_t)k;
    }
}

static enum MHD_Result finish(struct http_server *srv,
                              struct MHD_Connection *c, const char *url,
                              const char *method, struct conn *st)
{
    struct http_req req = { .method = method, .path = url, .query = "" };
    struct http_resp resp = { .status = 500, .type = "application/json" };
    struct query_acc q = { .bad = false };
    enum MHD_Result ok;

    if (st->too_large) {
        if (st->route && st->route->body == HTTP_BODY_NONE)
            return send_error(c, 413, "this request takes no body");
        snprintf(st->early_msg, sizeof(st->early_msg),
                 "the %s is over the limit of %lld bytes",
                 st->route->body == HTTP_BODY_UPLOAD ? "upload"
                                                     : "request body",
                 st->route->body == HTTP_BODY_UPLOAD
                     ? srv->upload_max : (long long)HTTP_BODY_MAX);
        return send_error(c, 413, st->early_msg);
    }
    if (st->write_failed)
        return send_error(c, 500, "cannot store the upload");
    rc_buf_init(&q.b, 8192);
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_arg, &q);
    if (q.bad) {
        rc_buf_release(&q.b);
        return send_error(c, 414, "the query is too long");
    }
    if (q.b.len)
        req.query = (const char *)q.b.data;
    req.host = header(c, "Host");
    req.content_type = header(c, "Content-Type");
    req.body = st->body.data ? (const char *)st->body.data : "";
    req.body_len = st->body.len;
    if (st->fd >= 0) {
        close(st->fd);
        st->fd = -1;
        req.upload_path = st->upload_path;
        req.upload_bytes = st->upload_bytes;
    }
    http_dispatch(srv, &req, &resp);
    rc_buf_release(&q.b);
    if (!strcmp(method, "HEAD") && !resp.body_static) {
        static char empty[] = "";
        free(resp.body);
        resp.body = empty;
        resp.len = 0;
        resp.body_static = true;
    }
    ok = send_resp(c, &resp);
    return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version,
                                  const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct http_server *srv = cls;
    struct conn *st = *con_cls;
    (void)version;

    if (!st) {
        st = calloc(1, sizeof(*st));
        if (!st)
            return MHD_NO;
        *con_cls = st;
        start(srv, c, url, method, st);
        if (st->early_status && st->early_status != 0)
            return send_error(c, st->early_status, st->early_msg);
        return MHD_YES;
    }
    if (*upload_data_size) {
        take(srv, st, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    return finish(srv, c, url, method, st);
}

static volatile long in_flight;

static void *on_begin(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls;
    (void)uri;
    (void)c;
    __atomic_add_fetch(&in_flight, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct conn *st = *con_cls;
    (void)cls;
    (void)c;
    (void)toe;
    if (st) {
        if (st->fd >= 0)
            close(st->fd);
        if (st->upload_path[0])
            unlink(st->upload_path); /* gone already when imported */
        rc_buf_release(&st->body);
        free(st);
        *con_cls = NULL;
    }
    __atomic_sub_fetch(&in_flight, 1, __ATOMIC_SEQ_CST);
}

static void quiet_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    (void)fmt;
    (void)ap;
}

static int make_token(char out[65], struct rc_err *err)
{
    unsigned char raw[16];
    size_t got = 0;
    while (got < sizeof(raw)) {
        ssize_t k = getrandom(raw + got, sizeof(raw) - got, 0);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return rc_fail(err, RC_EENV, "no random bytes for the token: %s",
                           strerror(errno));
        got += (size_t)k;
    }
    for (size_t i = 0; i < sizeof(raw); i++)
        snprintf(out + 2 * i, 3, "%02x", raw[i]);
    return 0;
}

static void open_browser(const char *url)
{
    char prog[] = "xdg-open", arg[128];
    char *argv[] = { prog, arg, NULL };
    snprintf(arg, sizeof(arg), "%s", url);
    pid_t pid;
    if (posix_spawnp(&pid, "xdg-open", NULL, NULL, argv, environ) != 0)
        fprintf(stderr, "runcare: warning: cannot open a browser (no "
                        "xdg-open); open %s yourself\n", url);
}

int http_serve(const struct http_opts *o, struct rc_err *err)
{
    struct http_server srv;
    struct MHD_Daemon *d;
    char addr[64], url[128], tmpl[4096];
    const char *tmp = getenv("TMPDIR");
    sigset_t set, old;
    int port, fd, sig = 0;
    bool v6;

    if (http_parse_listen(o->listen, addr, sizeof(addr), &port, err) < 0 ||
        rc_mhd_load(err) < 0)
        return -1;
    memset(&srv, 0, sizeof(srv));
    srv.app = o->app;
    srv.kb = o->kb;
    srv.upload_max = o->upload_max > 0 ? o->upload_max : HTTP_UPLOAD_MAX;
    if (make_token(srv.token, err) < 0)
        return -1;
    if (app_db_path(&srv.app, srv.db_path, NULL, err) < 0)
        srv.db_path[0] = '\0'; /* no cache; each route says why */
    snprintf(tmpl, sizeof(tmpl), "%s/runcare-serve.XXXXXX",
             tmp && tmp[0] == '/' ? tmp : "/tmp");
    if (!mkdtemp(tmpl))
        return rc_fail(err, RC_EENV, "cannot make a folder for uploads in "
                                     "%s: %s", tmp ? tmp : "/tmp",
                       strerror(errno));
    snprintf(srv.tmpdir, sizeof(srv.tmpdir), "%s", tmpl);
    fd = bind_listen(addr, port, &srv.port, err);
    if (fd < 0) {
        rmdir(srv.tmpdir);
        return -1;
    }
    pthread_mutex_init(&srv.check_lock, NULL);
    pthread_mutex_init(&srv.progress_lock, NULL);

    /* the signals wait for sigwait below, in this thread only */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, &old);
    v6 = strchr(addr, ':') != NULL;
    /* PostgreSQL: connections kept from request to request (a new one
     * costs 35-45 ms); NULL (no memory) opens one per request */
    srv.app.pool = app_pool_new();
    d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
            MHD_USE_ITC | (v6 ? MHD_USE_IPv6 : 0),
        0, NULL, NULL, on_request, &srv, MHD_OPTION_LISTEN_SOCKET, fd,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv,
        MHD_OPTION_URI_LOG_CALLBACK, on_begin, &srv,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)512,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120,
        MHD_OPTION_EXTERNAL_LOGGER, quiet_log, NULL, MHD_OPTION_END);
    if (!d) {
        app_pool_free(srv.app.pool);
        close(fd);
        rmdir(srv.tmpdir);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        return rc_fail(err, RC_EENV, "cannot start the web server on %s:%d",
                       addr, srv.port);
    }
    snprintf(url, sizeof(url), "http://%s%s%s:%d/", v6 ? "[" : "",
             strcmp(addr, "0.0.0.0") ? addr : "127.0.0.1", v6 ? "]" : "",
             srv.port);
    if (!is_loopback(addr))
        fprintf(stderr, "runcare: warning: serving on %s, not only on this "
                        "machine: anyone who can reach it on the network "
                        "can read your health data\n", addr);
    printf("runcare: serving %s (Ctrl-C stops)\n", url);
    fflush(stdout);
    if (o->open)
        open_browser(url);
    while (sigwait(&set, &sig) != 0)
        ;
    fprintf(stderr, "runcare: %s: stopping; requests in flight finish\n",
            sig == SIGINT ? "interrupted" : "terminated");
    fd = MHD_quiesce_daemon(d); /* no new connections */
    for (int i = 0; i < 300 && __atomic_load_n(&in_flight, __ATOMIC_SEQ_CST);
         i++)
        usleep(100 * 1000);
    MHD_stop_daemon(d);
    if (fd >= 0)
        close(fd);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_mutex_destroy(&srv.check_lock);
    pthread_mutex_destroy(&srv.progress_lock);
    rmdir(srv.tmpdir);
    http_cache_clear();
    app_pool_free(srv.app.pool);
    fprintf(stderr, "runcare: stopped\n");
    return 0;
}
