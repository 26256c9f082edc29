/* xml_write.c - the small pieces the GPX and TCX writers share: escaped
 * text and instants (see xml.h). */
#include "base/base.h"
#include "base/time.h"
#include "xml/xml.h"

int xml_put_text(struct rc_buf *out, const char *text, struct rc_err *err)
{
    const char *run = text;

    for (const char *p = text;; p++) {
        unsigned char c = (unsigned char)*p;
        const char *esc = NULL;
        switch (c) {
        case '&':
            esc = "&amp;";
            break;
        case '<':
            esc = "&lt;";
            break;
        case '>':
            esc = "&gt;";
            break;
        case '"':
            esc = "&quot;";
            break;
        case '\'':
            esc = "&apos;";
            break;
        default:
            if (c && c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                esc = " ";
            break;
        }
        if (!esc && c)
            continue;
        if (rc_buf_append(out, run, (size_t)(p - run), err) < 0)
            return -1;
        if (!c)
            return 0;
        if (rc_buf_append(out, esc, strlen(esc), err) < 0)
            return -1;
        run = p + 1;
    }
}

int xml_put_time(struct rc_buf *out, double t, struct rc_err *err)
{
    double whole = floor(t);
    long ms = lround((t - whole) * 1000);
    char s[32];

    if (ms >= 1000) {
        whole += 1;
        ms = 0;
    }
    rc_time_format(whole, s);
    if (!ms)
        return rc_buf_append(out, s, strlen(s), err);
    s[strlen(s) - 1] = '\0'; /* the Z */
    return rc_buf_appendf(out, err, "%s.%03ldZ", s, ms);
}
