/* fuzz_http.c - libFuzzer target for the web server's request handling
 * without the network: the router, the request checks (Host, Origin,
 * token), the form and JSON body parsers, and each route's handler on a
 * log in a folder that is not there (so nothing is ever written).
 *
 * Input: "METHOD PATH[?QUERY]\n", header lines "Name: value\n" (Host,
 * Origin, Sec-Fetch-Site, X-Runcare-Token, Content-Type), an empty line,
 * then the body. Invariants, each an abort() when broken: a GET or HEAD
 * is never refused for its origin or token; anything else without the
 * token is refused; a parsed JSON body is never nested deeper than the
 * cap; every answer is a status 200-599 and, from /api/ (the chart
 * aside), valid JSON. */
#include "base/base.h"
#include "http/http_int.h"
#include "triage/triage.h"

#define TOKEN "0123456789abcdef0123456789abcdef"

static struct http_server srv;
static struct kb *kb;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t depth(const json_t *v)
{
    size_t d = 0, k;
    const char *key;
    json_t *x;
    if (json_is_array(v))
        json_array_foreach(v, k, x) d = d > depth(x) ? d : depth(x);
    else if (json_is_object(v))
        json_object_foreach((json_t *)v, key, x) d = d > depth(x) ? d
                                                                  : depth(x);
    else
        return 0;
    return d + 1;
}

/* The next line of p (at most n - 1 bytes kept), NUL-terminated. */
static const char *line(const char *p, const char *end, char *out, size_t n)
{
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
    size_t keep = len < n - 1 ? len : n - 1;
    memcpy(out, p, keep);
    out[keep] = '\0'; /* a NUL inside ends the line early: fine */
    return nl ? nl + 1 : end;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;
    char first[512], hdr[5][256] = { "", "", "", "", "" }, method[16] = "",
                                                             path[512] = "";
    static const char *const names[] = { "Host: ", "Origin: ",
                                         "Sec-Fetch-Site: ",
                                         "X-Runcare-Token: ",
                                         "Content-Type: " };
    struct http_req req = { .query = "" };
    struct http_resp resp = { 0 };
    struct rc_err err = RC_ERR_INIT;
    char *body, *q, msg[300], value[64];
    const struct http_route *r;
    json_t *j;
    int status = 0, check;

    if (!kb) {
        if (!(kb = kb_load_embedded(&err)))
            abort();
        srv.app.db = "/nonexistent-runcare-fuzz/none/runcare.db";
        srv.kb = kb;
        srv.port = 8080;
        snprintf(srv.token, sizeof(srv.token), "%s", TOKEN);
        snprintf(srv.tmpdir, sizeof(srv.tmpdir), "/nonexistent-runcare-fuzz");
        srv.upload_max = 1 << 20;
        pthread_mutex_init(&srv.check_lock, NULL);
        pthread_mutex_init(&srv.progress_lock, NULL);
    }
    p = line(p, end, first, sizeof(first));
    if (sscanf(first, "%15s %511s", method, path) != 2)
        return 0;
    for (;;) {
        char h[256];
        if (p >= end)
            break;
        p = line(p, end, h, sizeof(h));
        if (!h[0])
            break;
        for (size_t i = 0; i < RC_ARRAY_SIZE(names); i++)
            if (!strncmp(h, names[i], strlen(names[i])))
                snprintf(hdr[i], sizeof(hdr[i]), "%s", h + strlen(names[i]));
    }
    if ((q = strchr(path, '?'))) {
        *q = '\0';
        req.query = q + 1;
    }
    req.method = method;
    req.path = path;
    req.host = hdr[0][0] ? hdr[0] : NULL;
    req.origin = hdr[1][0] ? hdr[1] : NULL;
    req.fetch_site = hdr[2][0] ? hdr[2] : NULL;
    req.token = hdr[3][0] ? hdr[3] : NULL;
    req.content_type = hdr[4][0] ? hdr[4] : NULL;
    body = malloc((size_t)(end - p) + 1);
    if (!body)
        return 0;
    memcpy(body, p, (size_t)(end - p));
    body[end - p] = '\0';
    req.body = body;
    req.body_len = (size_t)(end - p);

    check = http_check_request(&srv, &req, msg, sizeof(msg));
    if ((!strcmp(method, "GET") || !strcmp(method, "HEAD")) && check == 403)
        abort();
    if (strcmp(method, "GET") && strcmp(method, "HEAD") && check == 0 &&
        (!req.token || strcmp(req.token, TOKEN)))
        abort();
    if (http_form_get(req.query, strlen(req.query), "name", value,
                      sizeof(value)) > 0 &&
        strlen(value) >= sizeof(value))
        abort();
    http_form_get(body, req.body_len, "rpe", value, sizeof(value));
    j = http_json_parse(body, req.body_len, &err);
    if (j && depth(j) > HTTP_JSON_DEPTH_MAX)
        abort();
    if (j && json_is_object(j))
        http_body_value(&req, j, "rpe", value, sizeof(value), &err);
    json_decref(j);

    r = http_route_find(method, path, &req.id, &status);
    if (!r && status != 404 && status != 405)
        abort();
    /* the handlers of the routes that take no upload, when the checks
     * pass as a browser's would */
    req.host = "127.0.0.1:8080";
    req.origin = NULL;
    req.token = TOKEN;
    if (!(r && r->body == HTTP_BODY_UPLOAD) &&
        http_check_request(&srv, &req, msg, sizeof(msg)) == 0) {
        http_dispatch(&srv, &req, &resp);
        if (resp.status < 200 || resp.status > 599)
            abort();
        if (!strncmp(path, "/api/", 5) && strcmp(resp.type, "image/svg+xml")) {
            json_t *out = json_loadb(resp.body, resp.len, 0, NULL);
            if (!out)
                abort();
            json_decref(out);
        }
        if (!resp.body_static)
            free(resp.body);
    }
    free(body);
    return 0;
}
