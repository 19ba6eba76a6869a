/*
 * test_copybuf.c - COPY text-format rows: escaping, NULL, numbers, bytea,
 * refusal of values COPY cannot carry, marks, and chunked flushing.  Needs
 * no database: flushing goes to a sender that collects what it is given.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "load/copybuf.h"

/* The unsent bytes of cb as a string (static buffer). */
static const char *contents(const struct copybuf *cb)
{
    static char out[4096];
    size_t n = cb->len < sizeof out - 1 ? cb->len : sizeof out - 1;
    memcpy(out, cb->data ? cb->data : "", n);
    out[n] = '\0';
    return out;
}

/* One text field, one row: what COPY receives. */
static const char *row_of(const char *value)
{
    static char out[4096];
    struct copybuf cb = COPYBUF_INIT;
    if (copybuf_text(&cb, value) != COPYBUF_OK ||
        copybuf_end_row(&cb) != COPYBUF_OK)
        snprintf(out, sizeof out, "<failed>");
    else
        snprintf(out, sizeof out, "%s", contents(&cb));
    copybuf_free(&cb);
    return out;
}

static void test_escaping(void)
{
    /* table-driven: value, row as sent */
    static const struct { const char *in, *want; } cases[] = {
        { "plain", "plain\n" },
        { "", "\n" },
        { "tab\there", "tab\\there\n" },
        { "new\nline", "new\\nline\n" },
        { "cr\rlf\r\n", "cr\\rlf\\r\\n\n" },
        { "back\\slash", "back\\\\slash\n" },
        { "\\", "\\\\\n" },
        { "\\.", "\\\\.\n" },            /* end-of-data marker as a value */
        { "\\N", "\\\\N\n" },            /* the text \N, not NULL */
        { "\t\n\r\\", "\\t\\n\\r\\\\\n" },
        { "Tromsø – Årsverk", "Tromsø – Årsverk\n" },
        { "a\x01\x7f" "b", "a\x01\x7f" "b\n" },  /* other controls as they are */
        { "\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80\n" },  /* 4-byte UTF-8 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CHECK_STR(row_of(cases[i].in), cases[i].want);
}

static void test_fields(void)
{
    struct copybuf cb = COPYBUF_INIT;
    CHECK_INT(copybuf_text(&cb, NULL), COPYBUF_OK);
    CHECK_INT(copybuf_null(&cb), COPYBUF_OK);
    CHECK_INT(copybuf_int(&cb, 0), COPYBUF_OK);
    CHECK_INT(copybuf_int(&cb, -42), COPYBUF_OK);
    CHECK_INT(copybuf_int(&cb, 9223372036854775807LL), COPYBUF_OK);
    CHECK_INT(copybuf_int(&cb, -9223372036854775807LL - 1), COPYBUF_OK);
    CHECK_INT(copybuf_bool(&cb, 1), COPYBUF_OK);
    CHECK_INT(copybuf_bool(&cb, 0), COPYBUF_OK);
    CHECK_INT(copybuf_nulls(&cb, 0), COPYBUF_OK);
    CHECK_INT(copybuf_nulls(&cb, 2), COPYBUF_OK);
    CHECK_INT(copybuf_end_row(&cb), COPYBUF_OK);
    CHECK_STR(contents(&cb), "\\N\t\\N\t0\t-42\t9223372036854775807\t"
                             "-9223372036854775808\tt\tf\t\\N\t\\N\n");
    CHECK_INT(copybuf_nulls(&cb, 3), COPYBUF_OK);  /* a row of NULLs alone */
    CHECK_INT(copybuf_end_row(&cb), COPYBUF_OK);
    CHECK(strstr(contents(&cb), "\n\\N\t\\N\t\\N\n") != NULL);
    CHECK_INT(copybuf_pending(&cb), cb.len);

    copybuf_reset(&cb);
    static const unsigned char digest[] = { 0x00, 0x0a, 0xff, 0x5c };
    CHECK_INT(copybuf_bytea(&cb, digest, sizeof digest), COPYBUF_OK);
    CHECK_INT(copybuf_bytea(&cb, NULL, 0), COPYBUF_OK);
    CHECK_INT(copybuf_bytea(&cb, digest, 0), COPYBUF_OK);
    CHECK_INT(copybuf_textn(&cb, "abc", 2), COPYBUF_OK);
    CHECK_INT(copybuf_end_row(&cb), COPYBUF_OK);
    CHECK_STR(contents(&cb), "\\\\x000aff5c\t\\N\t\\\\x\tab\n");
    copybuf_free(&cb);
    CHECK(cb.data == NULL && cb.len == 0);
}

static void test_invalid(void)
{
    /* table-driven: values COPY cannot carry as UTF-8 text */
    static const struct { const char *s; size_t n; } bad[] = {
        { "a\0b", 3 },                  /* NUL inside */
        { "\xC3", 1 },                  /* cut-off sequence */
        { "Troms\xF8", 6 },             /* ISO-8859-1 ø */
        { "\xC0\xAF", 2 },              /* overlong / */
        { "\xE0\x80\xAF", 3 },          /* overlong, 3 bytes */
        { "\xED\xA0\x80", 3 },          /* surrogate U+D800 */
        { "\xF4\x90\x80\x80", 4 },      /* above U+10FFFF */
        { "\xF5\x80\x80\x80", 4 },
        { "\x80", 1 },                  /* lone continuation byte */
        { "\xE2\x82", 2 },              /* 3-byte sequence cut at 2 */
        { "ok \xE2\x28\xA1", 6 },       /* bad continuation */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct copybuf cb = COPYBUF_INIT;
        CHECK_INT(copybuf_text(&cb, "before"), COPYBUF_OK);
        size_t len = cb.len;
        CHECK_INT(copybuf_textn(&cb, bad[i].s, bad[i].n), COPYBUF_INVALID);
        CHECK_INT(cb.len, len);         /* nothing appended */
        CHECK_INT(cb.fields, 1);
        CHECK(copybuf_utf8_valid(bad[i].s, bad[i].n) < bad[i].n);
        copybuf_free(&cb);
    }
    CHECK_INT(copybuf_utf8_valid("Tromsø", strlen("Tromsø")), strlen("Tromsø"));
    CHECK_INT(copybuf_utf8_valid("ab\xFF" "cd", 5), 2);

    /* an empty row cannot be sent */
    struct copybuf cb = COPYBUF_INIT;
    CHECK_INT(copybuf_end_row(&cb), COPYBUF_INVALID);
    CHECK_INT(cb.len, 0);

    /* lossy text for labels: bad bytes become U+FFFD, escaping still done */
    CHECK_INT(copybuf_text_lossy(&cb, "Troms\xF8\t\x80" "x\\"), COPYBUF_OK);
    CHECK_INT(copybuf_text_lossy(&cb, "fine\n"), COPYBUF_OK);
    CHECK_INT(copybuf_text_lossy(&cb, NULL), COPYBUF_OK);
    CHECK_INT(copybuf_textn_lossy(&cb, "a\0b", 3), COPYBUF_OK);
    CHECK_INT(copybuf_end_row(&cb), COPYBUF_OK);
    CHECK_STR(contents(&cb), "Troms\xEF\xBF\xBD\\t\xEF\xBF\xBDx\\\\\t"
                             "fine\\n\t\\N\ta\xEF\xBF\xBD" "b\n");
    copybuf_free(&cb);
}

static void test_marks(void)
{
    struct copybuf cb = COPYBUF_INIT;
    copybuf_text(&cb, "kept");
    copybuf_end_row(&cb);
    uint64_t mark = copybuf_mark(&cb);
    copybuf_text(&cb, "dropped");
    copybuf_end_row(&cb);
    copybuf_text(&cb, "half");
    CHECK_INT(copybuf_rewind(&cb, mark), COPYBUF_OK);
    CHECK_STR(contents(&cb), "kept\n");
    CHECK_INT(cb.fields, 0);

    copybuf_text(&cb, "x");
    copybuf_cancel_row(&cb);
    CHECK_STR(contents(&cb), "kept\n");
    CHECK_INT(copybuf_rewind(&cb, mark + 100), COPYBUF_INVALID);
    copybuf_free(&cb);
}

struct sink {
    char *data;
    size_t len;
    int calls, fail_at;
    size_t biggest;
};

static int collect(void *ctx, const char *p, size_t n)
{
    struct sink *s = ctx;
    if (++s->calls == s->fail_at)
        return -1;
    char *d = realloc(s->data, s->len + n);
    if (!d)
        return -1;
    memcpy(d + s->len, p, n);
    s->data = d;
    s->len += n;
    if (n > s->biggest)
        s->biggest = n;
    return 1;
}

static void test_flush(void)
{
    struct copybuf cb = COPYBUF_INIT;
    struct sink s = { NULL, 0, 0, 0, 0 };
    const int rows = 20000;
    size_t total = 0;
    int flush_ok = 1;
    for (int i = 0; i < rows; i++) {
        copybuf_int(&cb, i);
        copybuf_text(&cb, "some text\twith a tab");
        copybuf_end_row(&cb);
        total = cb.len + (size_t)cb.sent;
        if (copybuf_flush_to(&cb, collect, &s, 0) != COPYBUF_OK ||
            cb.len >= COPYBUF_CHUNK)
            flush_ok = 0;
    }
    CHECK(flush_ok);
    CHECK(s.calls > 0);
    CHECK(s.biggest <= COPYBUF_CHUNK);
    copybuf_text(&cb, "unfinished");        /* stays behind */
    uint64_t before = cb.sent;
    CHECK_INT(copybuf_flush_to(&cb, collect, &s, 1), COPYBUF_OK);
    CHECK_INT(s.len, total);
    CHECK_INT(cb.sent, total);
    CHECK(cb.sent >= before);
    CHECK_STR(contents(&cb), "unfinished");
    /* the rows arrived whole and in order */
    int n = 0, ok = 1;
    const char *p = s.data, *end = s.data + s.len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) {
            ok = 0;
            break;
        }
        char want[64];
        snprintf(want, sizeof want, "%d\tsome text\\twith a tab", n);
        if ((size_t)(nl - p) != strlen(want) || memcmp(p, want, strlen(want)))
            ok = 0;
        n++;
        p = nl + 1;
    }
    CHECK(ok);
    CHECK_INT(n, rows);
    /* a mark before sent bytes cannot be rewound to */
    CHECK_INT(copybuf_rewind(&cb, 0), COPYBUF_INVALID);

    /* a failing sender: COPYBUF_SEND, unsent rows kept */
    copybuf_cancel_row(&cb);
    for (int i = 0; i < 10000; i++) {
        copybuf_text(&cb, "0123456789abcdef0123456789abcdef");
        copybuf_end_row(&cb);
    }
    size_t waiting = cb.len;
    s.calls = 0;
    s.fail_at = 2;
    CHECK_INT(copybuf_flush_to(&cb, collect, &s, 1), COPYBUF_SEND);
    CHECK_INT(cb.len, waiting - COPYBUF_CHUNK);
    CHECK_INT(copybuf_pending(&cb), cb.len);

    /* nothing to send: the sender is not called */
    copybuf_reset(&cb);
    s.calls = 0;
    s.fail_at = 1;
    CHECK_INT(copybuf_flush_to(&cb, collect, &s, 1), COPYBUF_OK);
    CHECK_INT(s.calls, 0);
    /* libpq refuses PQputCopyData on a connection not in COPY */
    copybuf_text(&cb, "x");
    copybuf_end_row(&cb);
    CHECK_INT(copybuf_flush(&cb, NULL, 1), COPYBUF_SEND);

    free(s.data);
    copybuf_free(&cb);
    CHECK_STR(copybuf_strerror(COPYBUF_INVALID),
              "a value is not valid UTF-8 or holds a NUL byte");
}

int main(void)
{
    test_escaping();
    test_fields();
    test_invalid();
    test_marks();
    test_flush();
    return check_done();
}
