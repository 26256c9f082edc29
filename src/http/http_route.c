/* http_route.c - the route table, the request checks and the static page.
 *
 * A route is one line of routes[]: method, path pattern (# a number), the
 * kind of body it takes and its handler in http_api.c (the
 * questionnaires' in http_check.c). A new route is one line here and one
 * handler there.
 * Everything outside /api/ is a file of web/ built into the binary: the
 * path is looked up in that table, never on disk, so no path reaches the
 * file system. */
#include <ctype.h>
#include <strings.h>

#include "base/base.h"
#include "base/embedded.h"
#include "http/http_int.h"

static const struct http_route routes[] = {
    { "GET", "/api/token", HTTP_BODY_NONE, http_api_token, false },
    { "GET", "/api/activities", HTTP_BODY_NONE, http_api_activities, false },
    { "POST", "/api/activities", HTTP_BODY_MEMORY, http_api_log, false },
    { "GET", "/api/activities/#", HTTP_BODY_NONE, http_api_activity, false },
    { "POST", "/api/activities/#/rpe", HTTP_BODY_MEMORY, http_api_rpe, false },
    { "POST", "/api/activities/#/edit", HTTP_BODY_MEMORY, http_api_edit,
      false },
    { "POST", "/api/activities/#/rm", HTTP_BODY_NONE, http_api_rm, false },
    { "POST", "/api/undo", HTTP_BODY_NONE, http_api_undo, false },
    { "GET", "/api/load", HTTP_BODY_NONE, http_api_load, true },
    { "GET", "/api/load/chart", HTTP_BODY_NONE, http_api_load_chart, true },
    { "GET", "/api/shoes", HTTP_BODY_NONE, http_api_shoes, false },
    { "POST", "/api/shoes", HTTP_BODY_MEMORY, http_api_shoe_add, false },
    { "POST", "/api/import", HTTP_BODY_UPLOAD, http_api_import, false },
    { "GET", "/api/import/progress", HTTP_BODY_NONE,
      http_api_import_progress, false },
    { "POST", "/api/check/next", HTTP_BODY_MEMORY, http_api_check_next, false },
    { "POST", "/api/check", HTTP_BODY_MEMORY, http_api_check, false },
    { "GET", "/api/plan", HTTP_BODY_NONE, http_api_plan, false },
    { "GET", "/api/diary", HTTP_BODY_NONE, http_api_diary, false },
    { "GET", "/api/diary/chart", HTTP_BODY_NONE, http_api_diary_chart, false },
    { "POST", "/api/diary", HTTP_BODY_MEMORY, http_api_diary_add, false },
    { "POST", "/api/diary/next", HTTP_BODY_MEMORY, http_api_diary_next,
      false },
    { "POST", "/api/diary/#/rm", HTTP_BODY_NONE, http_api_diary_rm, false },
};

/* The static files: GET only, no body. */
static const struct http_route static_route = { "GET", "", HTTP_BODY_NONE,
                                                NULL, false };

/* Does path match pattern? A '#' matches a number from 1 to 2^53. */
static bool match(const char *pattern, const char *path, int64_t *id)
{
    while (*pattern) {
        if (*pattern == '#') {
            int64_t v = 0;
            int digits = 0;
            if (*path == '0')
                return false;
            while (*path >= '0' && *path <= '9') {
                if (++digits > 15)
                    return false;
                v = v * 10 + (*path++ - '0');
            }
            if (!digits)
                return false;
            *id = v;
            pattern++;
            continue;
        }
        if (*pattern++ != *path++)
            return false;
    }
    return *path == '\0';
}

const struct http_route *http_route_find(const char *method,
                                         const char *path, int64_t *id,
                                         int *status)
{
    bool path_known = false;
    *id = 0;
    if (strncmp(path, "/api/", 5) && strcmp(path, "/api")) {
        if (!strcmp(method, "GET") || !strcmp(method, "HEAD"))
            return &static_route;
        *status = 405;
        return NULL;
    }
    for (size_t i = 0; i < RC_ARRAY_SIZE(routes); i++) {
        int64_t v = 0;
        if (!match(routes[i].pattern, path, &v))
            continue;
        path_known = true;
        if (!strcmp(routes[i].method, method) ||
            (!strcmp(method, "HEAD") && !strcmp(routes[i].method, "GET"))) {
            *id = v;
            return &routes[i];
        }
    }
    *status = path_known ? 405 : 404;
    return NULL;
}

/* ---- the checks ---- */

static bool is_ipv4_literal(const char *s, size_t n)
{
    int dots = 0, digits = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.') {
            if (!digits)
                return false;
            dots++;
            digits = 0;
        } else if (s[i] >= '0' && s[i] <= '9') {
            if (++digits > 3)
                return false;
        } else {
            return false;
        }
    }
    return dots == 3 && digits > 0;
}

/* Host: "localhost:P", "127.0.0.1:P", "[::1]:P" (any address literal),
 * with P the port bound; no DNS name but localhost. */
static bool host_ok(const char *host, int port)
{
    const char *colon;
    size_t hlen;
    char *end;
    long p;

    if (!host || !*host)
        return false;
    if (host[0] == '[') {
        const char *close = strchr(host, ']');
        if (!close || close[1] != ':')
            return false;
        for (const char *c = host + 1; c < close; c++)
            if (!strchr("0123456789abcdefABCDEF:.", *c))
                return false;
        colon = close + 1;
    } else {
        colon = strrchr(host, ':');
        if (!colon)
            return false;
        hlen = (size_t)(colon - host);
        if (!(hlen == 9 && !strncasecmp(host, "localhost", 9)) &&
            !is_ipv4_literal(host, hlen))
            return false;
    }
    if (colon[1] < '0' || colon[1] > '9')
        return false;
    errno = 0;
    p = strtol(colon + 1, &end, 10);
    return !*end && errno == 0 && p == port;
}

/* Compare without a timing that tells how much of the token matched. */
static bool same_secret(const char *a, const char *b)
{
    size_t n = strlen(b);
    unsigned char diff = 0;
    if (!a || strlen(a) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

int http_check_request(const struct http_server *srv,
                       const struct http_req *req, char *msg, size_t n)
{
    if (!host_ok(req->host, srv->port)) {
        snprintf(msg, n, "the Host header '%.100s' is not this server "
                         "(localhost or 127.0.0.1 with port %d)",
                 req->host ? req->host : "", srv->port);
        return 400;
    }
    if (!strcmp(req->method, "GET") || !strcmp(req->method, "HEAD"))
        return 0;
    if (req->origin) {
        if (strncmp(req->origin, "http://", 7) ||
            strcmp(req->origin + 7, req->host)) {
            snprintf(msg, n, "a request from another site (Origin "
                             "'%.100s') may not change anything",
                     req->origin);
            return 403;
        }
    } else if (req->fetch_site && strcmp(req->fetch_site, "same-origin") &&
               strcmp(req->fetch_site, "none")) {
        snprintf(msg, n, "a request from another site (Sec-Fetch-Site "
                         "'%.40s') may not change anything",
                 req->fetch_site);
        return 403;
    }
    if (!same_secret(req->token, srv->token)) {
        snprintf(msg, n, "%s: the X-Runcare-Token header must carry this "
                         "server's token (GET /api/token)",
                 req->token ? "wrong token" : "no token");
        return 403;
    }
    return 0;
}

/* ---- responses ---- */

void http_resp_json(struct http_resp *resp, int status, json_t *v)
{
    char *text = v ? json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(15))
                   : NULL;
    json_decref(v);
    resp->status = status;
    resp->type = "application/json";
    resp->is_api = true;
    if (!text) {
        static char oom[] = "{\"error\":{\"message\":\"out of memory\","
                            "\"kind\":\"environment\"}}";
        resp->status = 500;
        resp->body = oom;
        resp->len = sizeof(oom) - 1;
        resp->body_static = true;
        return;
    }
    resp->body = text;
    resp->len = strlen(text);
    resp->body_static = false;
}

void http_resp_error(struct http_resp *resp, int status,
                     const struct rc_err *err)
{
    static const char *const kinds[] = { "ok", "input", "usage",
                                         "environment" };
    char text[1024];
    json_t *o = json_object(), *e = json_object();
    struct rc_err plain = *err; /* the field goes in its own member */

    if (!status)
        status = err->status == RC_EENV ? 500 : 400;
    plain.field[0] = '\0';
    json_object_set_new(e, "message",
                        json_string(rc_err_format(&plain, text, sizeof(text))));
    if (err->field[0])
        json_object_set_new(e, "field", json_string(err->field));
    json_object_set_new(e, "kind",
                        json_string(kinds[(unsigned)err->status < 4
                                              ? err->status : 3]));
    json_object_set_new(o, "error", e);
    http_resp_json(resp, status, o);
}

/* ---- the page ---- */

static const char *mime(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot)
        return "application/octet-stream";
    if (!strcmp(dot, ".html"))
        return "text/html; charset=utf-8";
    if (!strcmp(dot, ".js"))
        return "text/javascript; charset=utf-8";
    if (!strcmp(dot, ".css"))
        return "text/css; charset=utf-8";
    if (!strcmp(dot, ".svg"))
        return "image/svg+xml";
    return "application/octet-stream";
}

/* "/" is index.html; "/app.js" is web/app.js. Only names of letters,
 * digits, '-', '_' and one '.', not first, are looked up. */
static void serve_static(const char *path, struct http_resp *resp)
{
    char name[128];
    const struct rc_embedded *e = NULL;
    size_t n = strlen(path);
    bool ok = n >= 1 && n < 64 && path[0] == '/';

    for (size_t i = 1; ok && i < n; i++)
        ok = isalnum((unsigned char)path[i]) || path[i] == '-' ||
             path[i] == '_' || (path[i] == '.' && i > 1);
    if (ok && strstr(path, ".."))
        ok = false;
    if (ok) {
        snprintf(name, sizeof(name), "web/%s",
                 n == 1 ? "index.html" : path + 1);
        e = rc_embedded_find(name);
    }
    if (!e) {
        struct rc_err err = RC_ERR_INIT;
        rc_fail(&err, RC_EINPUT, "no page at %.100s", path);
        http_resp_error(resp, 404, &err);
        return;
    }
    resp->status = 200;
    resp->type = mime(name);
    resp->body = (char *)e->data;
    resp->len = e->size;
    resp->body_static = true;
    resp->is_api = false;
}

void http_dispatch(struct http_server *srv, const struct http_req *req,
                   struct http_resp *resp)
{
    const struct http_route *r;
    struct rc_err err = RC_ERR_INIT;
    int64_t id;
    int status = 404;

    r = http_route_find(req->method, req->path, &id, &status);
    if (!r) {
        rc_fail(&err, RC_EINPUT, status == 405 ? "%s is not allowed on %.100s"
                                               : "no API route %s %.100s",
                req->method, req->path);
        http_resp_error(resp, status, &err);
        return;
    }
    if (!r->handler) {
        serve_static(req->path, resp);
        return;
    }
    struct http_req with_id = *req;
    struct http_stamp st;
    with_id.id = id;
    if (r->cache) {
        /* one request builds a missing answer while the others wait for
         * it, rather than all 64 building it at once */
        static pthread_mutex_t building = PTHREAD_MUTEX_INITIALIZER;
        if (http_cache_get(srv, req, resp, &st))
            return;
        pthread_mutex_lock(&building);
        if (!http_cache_get(srv, req, resp, &st)) {
            r->handler(srv, &with_id, resp);
            http_cache_put(srv, req, resp, &st);
        }
        pthread_mutex_unlock(&building);
        return;
    }
    r->handler(srv, &with_id, resp);
    if (strcmp(req->method, "GET") && strcmp(req->method, "HEAD"))
        __atomic_add_fetch(&srv->generation, 1, __ATOMIC_SEQ_CST);
}
