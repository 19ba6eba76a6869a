/*
 * json.c - JSON strings (see json.h).
 */
#include "json.h"

#include <stdint.h>
#include <string.h>

#include "ingest/utf8.h"

void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    const unsigned char *c = (const unsigned char *)s;
    size_t left = strlen(s);
    while (left > 0) {
        if (*c >= 0x80) {
            /* a character of UTF-8 as it is; a byte that begins none as
             * U+FFFD, so that the document stays JSON */
            uint32_t cp;
            size_t k = utf8_next(c, left, &cp);
            if (k == 0) {
                fputs("\xEF\xBF\xBD", out);
                k = 1;
            } else
                fwrite(c, 1, k, out);
            c += k;
            left -= k;
            continue;
        }
        if (*c == '"' || *c == '\\')
            fprintf(out, "\\%c", *c);
        else if (*c == '\n')
            fputs("\\n", out);
        else if (*c == '\t')
            fputs("\\t", out);
        else if (*c < 0x20 || *c == 0x7f)
            fprintf(out, "\\u%04x", *c);
        else
            fputc(*c, out);
        c++;
        left--;
    }
    fputc('"', out);
}
