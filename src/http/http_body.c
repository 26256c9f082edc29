/* http_body.c - request bodies: JSON with a nesting cap, form-urlencoded
 * text (bodies and query strings), and one value of either. Input is
 * hostile: every length is checked, nothing is read past len. */
#include "base/base.h"
#include "http/http_int.h"

/* The deepest nesting of [ and { outside strings, stopping past max. */
static int json_depth(const char *s, size_t len, int max)
{
    int depth = 0, deepest = 0;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > deepest)
                deepest = depth;
            if (deepest > max)
                return deepest;
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    return deepest;
}

json_t *http_json_parse(const char *body, size_t len, struct rc_err *err)
{
    json_error_t je;
    json_t *v;

    if (len == 0) {
        rc_fail(err, RC_EINPUT, "request body: empty; a JSON object is "
                                "needed");
        return NULL;
    }
    if (json_depth(body, len, HTTP_JSON_DEPTH_MAX) > HTTP_JSON_DEPTH_MAX) {
        rc_fail(err, RC_EINPUT, "request body: JSON nested deeper than %d "
                                "levels", HTTP_JSON_DEPTH_MAX);
        return NULL;
    }
    v = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    if (!v) {
        rc_fail(err, RC_EINPUT, "request body: line %d column %d: %s",
                je.line, je.column, je.text);
        return NULL;
    }
    return v;
}

static int hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decode s[0..len) ('+' a space, %XX a byte) into out (n bytes with the
 * NUL). -1 on a bad escape, a NUL byte or no room. */
static int form_decode(const char *s, size_t len, char *out, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        int c = (unsigned char)s[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            int hi, lo;
            if (i + 2 >= len)
                return -1;
            hi = hex(s[i + 1]);
            lo = hex(s[i + 2]);
            if (hi < 0 || lo < 0)
                return -1;
            c = hi * 16 + lo;
            i += 2;
        }
        if (c == 0 || k + 1 >= n)
            return -1;
        out[k++] = (char)c;
    }
    out[k] = '\0';
    return 0;
}

int http_form_get(const char *form, size_t len, const char *key, char *out,
                  size_t n)
{
    size_t klen = strlen(key), i = 0;
    if (!form || n == 0)
        return 0;
    while (i < len) {
        size_t end = i, eq;
        while (end < len && form[end] != '&')
            end++;
        eq = i;
        while (eq < end && form[eq] != '=')
            eq++;
        if (eq - i == klen && !memcmp(form + i, key, klen)) {
            if (eq == end)
                return form_decode("", 0, out, n) < 0 ? -1 : 1;
            return form_decode(form + eq + 1, end - eq - 1, out, n) < 0 ? -1
                                                                        : 1;
        }
        i = end + 1;
    }
    return 0;
}

int http_body_value(const struct http_req *req, const json_t *json,
                    const char *key, char *out, size_t n, struct rc_err *err)
{
    const json_t *v;
    int k;

    if (!json) {
        k = http_form_get(req->body, req->body_len, key, out, n);
        if (k < 0)
            return rc_fail(err, RC_EINPUT, "%s: not a valid form value",
                           key);
        return k;
    }
    v = json_object_get(json, key);
    if (!v || json_is_null(v))
        return 0;
    if (json_is_string(v)) {
        if (json_string_length(v) >= n ||
            strlen(json_string_value(v)) != json_string_length(v))
            return rc_fail(err, RC_EINPUT, "%s: too long (at most %zu bytes)",
                           key, n - 1);
        memcpy(out, json_string_value(v), json_string_length(v) + 1);
        return 1;
    }
    if (json_is_number(v)) {
        snprintf(out, n, "%.17g", json_number_value(v));
        return 1;
    }
    if (json_is_boolean(v)) {
        snprintf(out, n, "%s", json_is_true(v) ? "true" : "false");
        return 1;
    }
    return rc_fail(err, RC_EINPUT, "%s: a string or a number is needed", key);
}
