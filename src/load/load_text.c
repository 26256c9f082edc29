/* load_text.c - the load guard's words: kb/load_guard.jsonl's templates
 * filled with a warning's or a cap's numbers (see load_int.h). The
 * templates are checked when the file is read (load_check_template), so
 * filling one never fails: a name it does not know stays as it is.
 *
 *   {name}         the value of name, written the way its kind is
 *   {name:+.1f}    a number written with printf's %+.1f (flags "+",
 *                  an optional precision, then f or g) */
#include <ctype.h>

#include "base/base.h"
#include "base/time.h"
#include "load/load_int.h"

void load_var_words(struct load_vars *v, const char *name, const char *words)
{
    if (v->n == LOAD_VARS_MAX)
        return;
    v->v[v->n].name = name;
    v->v[v->n].kind = LOAD_VAR_WORDS;
    snprintf(v->v[v->n].words, sizeof(v->v[0].words), "%s", words);
    v->n++;
}

void load_var(struct load_vars *v, const char *name, enum load_var_kind kind,
              double x)
{
    if (v->n == LOAD_VARS_MAX)
        return;
    v->v[v->n].name = name;
    v->v[v->n].kind = kind;
    v->v[v->n].x = x;
    v->n++;
}

/* A number's spec after the ':' of a placeholder: "+"? ("." digit)?
 * then "f" or "g". Its length, or 0 when spec is not one. */
static size_t spec_len(const char *spec, size_t n)
{
    size_t i = 0;
    if (i < n && spec[i] == '+')
        i++;
    if (i + 1 < n && spec[i] == '.' && isdigit((unsigned char)spec[i + 1]))
        i += 2;
    if (i < n && (spec[i] == 'f' || spec[i] == 'g'))
        i++;
    else
        return 0;
    return i == n ? i : 0;
}

/* The value of one variable, written with spec (len bytes; 0: its kind's
 * way), into out. */
static const char *format(const struct load_var *v, const char *spec,
                          size_t len, char out[64])
{
    size_t k;
    if (len) {
        char fmt[8];
        snprintf(fmt, sizeof(fmt), "%%%.*s", (int)len, spec);
        snprintf(out, 64, fmt, v->x);
        return out;
    }
    switch (v->kind) {
    case LOAD_VAR_WORDS:
        return v->words;
    case LOAD_VAR_KM:
        snprintf(out, 64, "%.1f", v->x);
        break;
    case LOAD_VAR_PCT:
        snprintf(out, 64, fabs(v->x) < 99.95 ? "%.1f" : "%.0f", v->x);
        k = strlen(out);
        if (k > 2 && !strcmp(out + k - 2, ".0"))
            out[k - 2] = '\0';
        break;
    case LOAD_VAR_NUM:
        snprintf(out, 64, "%.2f", v->x);
        k = strlen(out);
        while (k > 0 && out[k - 1] == '0')
            out[--k] = '\0';
        if (k > 0 && out[k - 1] == '.')
            out[--k] = '\0';
        break;
    case LOAD_VAR_INT:
        snprintf(out, 64, "%ld", (long)v->x);
        break;
    case LOAD_VAR_DAY:
        rc_date_format((long)v->x, out);
        break;
    }
    return out;
}

char *load_fill(const char *tmpl, const struct load_vars *v, char *out,
                size_t n)
{
    size_t used = 0;

    if (!n)
        return out;
    for (const char *p = tmpl; *p && used < n - 1;) {
        const char *close = *p == '{' ? strchr(p + 1, '}') : NULL;
        const char *text = NULL;
        char buf[64];
        size_t len = 1;
        if (close) {
            size_t name = strcspn(p + 1, ":}");
            const char *spec = p + 1 + name + 1;
            size_t slen = p[1 + name] == ':' ? (size_t)(close - spec) : 0;
            for (size_t i = 0; i < v->n; i++)
                if (strlen(v->v[i].name) == name &&
                    !strncmp(v->v[i].name, p + 1, name)) {
                    text = format(&v->v[i], spec, spec_len(spec, slen), buf);
                    break;
                }
        }
        if (text) {
            len = strlen(text);
            p = close + 1;
        } else {
            text = p++;
        }
        if (len > n - 1 - used)
            len = n - 1 - used;
        memcpy(out + used, text, len);
        used += len;
    }
    out[used] = '\0';
    return out;
}

void load_fill_warning(struct load_warning *w, const struct load_rule *rule,
                       const struct load_vars *v)
{
    load_fill(rule->text, v, w->text, sizeof(w->text));
    load_fill(rule->figure, v, w->figure, sizeof(w->figure));
    load_fill(rule->chart, v, w->chart, sizeof(w->chart));
}

char *load_expand(const char *tmpl, const char *const *names,
                  const char *const *values, size_t nvars, char *out,
                  size_t n)
{
    struct load_vars v = { 0 };
    for (size_t i = 0; i < nvars; i++)
        load_var_words(&v, names[i], values[i]);
    return load_fill(tmpl, &v, out, n);
}

void load_cite(char *out, size_t n, const struct load_sources *src)
{
    size_t used = strlen(out);
    for (size_t i = 0; i < src->n && used + 1 < n; i++) {
        int k = snprintf(out + used, n - used, "%s%s%s", i ? ", " : " [",
                         src->ids[i], i + 1 == src->n ? "]" : "");
        if (k < 0)
            break;
        used += (size_t)k < n - used ? (size_t)k : n - used - 1;
    }
}

/* Does the space-separated list hold the name of length n? */
static bool list_has(const char *list, const char *name, size_t n)
{
    const char *p = list;
    while (*p) {
        size_t k = strcspn(p, " ");
        if (k == n && !strncmp(p, name, n))
            return true;
        p += k;
        while (*p == ' ')
            p++;
    }
    return false;
}

int load_check_template(const char *t, const char *field, const char *vars,
                        const char *words, long line, struct rc_err *err)
{
    for (const char *p = t; *p; p++) {
        const char *close;
        size_t name;
        if (*p == '}')
            return rc_fail_line(err, line, 0,
                                "field \"%s\": '}' without '{' at byte %ld",
                                field, (long)(p - t));
        if (*p != '{')
            continue;
        close = strchr(p + 1, '}');
        if (!close || memchr(p + 1, '{', (size_t)(close - p - 1)))
            return rc_fail_line(err, line, 0,
                                "field \"%s\": '{' without '}' at byte %ld",
                                field, (long)(p - t));
        name = strcspn(p + 1, ":}");
        if (p[1 + name] == ':') {
            const char *spec = p + 2 + name;
            if (!list_has(vars, p + 1, name) ||
                !spec_len(spec, (size_t)(close - spec)))
                return rc_fail_line(err, line, 0,
                                    "field \"%s\": {%.*s}: a number's "
                                    "format is [+][.N]f or g, of one of: %s",
                                    field, (int)(close - p - 1), p + 1,
                                    *vars ? vars : "none");
        } else if (!list_has(vars, p + 1, name) &&
                   !list_has(words, p + 1, name)) {
            return rc_fail_line(err, line, 0,
                                "field \"%s\": unknown placeholder {%.*s}"
                                " (this record knows: %s%s%s)",
                                field, (int)name, p + 1,
                                *vars || *words ? vars : "none",
                                *vars && *words ? " " : "", words);
        }
        p = close;
    }
    return 0;
}
