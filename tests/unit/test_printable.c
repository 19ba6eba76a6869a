/*
 * test_printable.c - the escaper of untrusted text: a table of inputs and
 * what each prints as (one case a line: the bytes, how many of them, the
 * characters and buffer allowed, the escaped text), printable_dup() on the
 * same, and every code point of Unicode escaped to printable UTF-8.
 */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "ingest/printable.h"
#include "ingest/utf8.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define ALL ((size_t)-1)   /* n: strlen of the input */
#define BIG 256            /* size: room for everything */

static const struct {
    const char *in;
    size_t n;           /* bytes of in, or ALL */
    size_t max_chars;   /* 0: no limit */
    size_t size;        /* of the buffer */
    const char *want;
} cases[] = {
    /* as they stand */
    { "", ALL, 0, BIG, "" },
    { "plain ASCII: <&>\"'%s%n", ALL, 0, BIG, "plain ASCII: <&>\"'%s%n" },
    { "Troms\xc3\xb8 \xc3\x85s Bod\xc3\xb8", ALL, 0, BIG, "Troms\xc3\xb8 \xc3\x85s Bod\xc3\xb8" },
    { "\xc2\xa0 no-break space", ALL, 0, BIG, "\xc2\xa0 no-break space" },
    { "\xe2\x80\x8a hair space U+200A", ALL, 0, BIG, "\xe2\x80\x8a hair space U+200A" },
    { "\xe2\x80\x90 hyphen U+2010", ALL, 0, BIG, "\xe2\x80\x90 hyphen U+2010" },
    { "\xc2\xae U+00AE", ALL, 0, BIG, "\xc2\xae U+00AE" },
    { "\xf0\x9f\x98\x80 U+1F600", ALL, 0, BIG, "\xf0\x9f\x98\x80 U+1F600" },
    { "\xf3\xa1\x80\x80 U+E1000", ALL, 0, BIG, "\xf3\xa1\x80\x80 U+E1000" },
    { "\xf4\x8f\xbf\xbf U+10FFFF", ALL, 0, BIG, "\xf4\x8f\xbf\xbf U+10FFFF" },
    /* backslash, and the controls with a name */
    { "back\\slash \\x41 \\u200B", ALL, 0, BIG, "back\\\\slash \\\\x41 \\\\u200B" },
    { "tab\there", ALL, 0, BIG, "tab\\there" },
    { "line\nbreak", ALL, 0, BIG, "line\\nbreak" },
    { "crlf\r\n", ALL, 0, BIG, "crlf\\r\\n" },
    /* C0 controls and DEL: the byte */
    { "esc\x1b[2J", ALL, 0, BIG, "esc\\x1B[2J" },
    { "\x01\x07\x08\x0b\x0c\x1f", ALL, 0, BIG, "\\x01\\x07\\x08\\x0B\\x0C\\x1F" },
    { "a\0b", 3, 0, BIG, "a\\x00b" },
    { "del\x7f", ALL, 0, BIG, "del\\x7F" },
    /* C1 controls: the code point */
    { "nel\xc2\x85", ALL, 0, BIG, "nel\\u0085" },
    { "csi\xc2\x9b" "2J", ALL, 0, BIG, "csi\\u009B2J" },
    { "\xc2\x80\xc2\x9f", ALL, 0, BIG, "\\u0080\\u009F" },
    /* not UTF-8: every byte */
    { "bad\xff\xfe", ALL, 0, BIG, "bad\\xFF\\xFE" },
    { "latin1 Troms\xf8", ALL, 0, BIG, "latin1 Troms\\xF8" },
    { "overlong \xc0\xaf", ALL, 0, BIG, "overlong \\xC0\\xAF" },
    { "overlong \xe0\x80\xaf", ALL, 0, BIG, "overlong \\xE0\\x80\\xAF" },
    { "surrogate \xed\xa0\x80", ALL, 0, BIG, "surrogate \\xED\\xA0\\x80" },
    { "beyond \xf4\x90\x80\x80", ALL, 0, BIG, "beyond \\xF4\\x90\\x80\\x80" },
    { "cut \xe2\x82", ALL, 0, BIG, "cut \\xE2\\x82" },
    { "\xc3\xb8", 1, 0, BIG, "\\xC3" },
    { "lone \x80 continuation", ALL, 0, BIG, "lone \\x80 continuation" },
    /* invisible characters that make a reason lie */
    { "J\xe2\x80\x8b" "a", ALL, 0, BIG, "J\\u200Ba" },
    { "J\xe2\x80\x8c" "a", ALL, 0, BIG, "J\\u200Ca" },
    { "J\xe2\x80\x8d" "a", ALL, 0, BIG, "J\\u200Da" },
    { "J\xe2\x81\xa0" "a", ALL, 0, BIG, "J\\u2060a" },
    { "J\xe2\x81\xa4" "a", ALL, 0, BIG, "J\\u2064a" },
    { "\xef\xbb\xbf" "Ja", ALL, 0, BIG, "\\uFEFFJa" },
    { "J\xc2\xad" "a", ALL, 0, BIG, "J\\u00ADa" },
    { "J\xd8\x9c" "a", ALL, 0, BIG, "J\\u061Ca" },
    { "J\xcd\x8f" "a", ALL, 0, BIG, "J\\u034Fa" },
    { "J\xe1\xa0\x8e" "a", ALL, 0, BIG, "J\\u180Ea" },
    { "J\xe3\x85\xa4" "a", ALL, 0, BIG, "J\\u3164a" },
    { "J\xef\xbe\xa0" "a", ALL, 0, BIG, "J\\uFFA0a" },
    { "\xe2\x9d\xa4\xef\xb8\x8f", ALL, 0, BIG, "\xe2\x9d\xa4\\uFE0F" },
    /* tag characters: above U+FFFF */
    { "J\xf3\xa0\x80\x81" "a", ALL, 0, BIG, "J\\U000E0001a" },
    { "J\xf3\xa0\x81\x81\xf3\xa0\x81\xbf" "a", ALL, 0, BIG, "J\\U000E0041\\U000E007Fa" },
    { "J\xf3\xa0\x84\x80" "a", ALL, 0, BIG, "J\\U000E0100a" },
    { "\xf0\x9b\xb2\xa0 \xf0\x9d\x85\xb3", ALL, 0, BIG, "\\U0001BCA0 \\U0001D173" },
    /* bidirectional controls and separators (kept from before) */
    { "bidi\xe2\x80\xaelmx.xml", ALL, 0, BIG, "bidi\\u202Elmx.xml" },
    { "\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", ALL, 0, BIG, "\\u202A\\u202B\\u202C\\u202D" },
    { "\xe2\x80\x8e\xe2\x80\x8f", ALL, 0, BIG, "\\u200E\\u200F" },
    { "\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9", ALL, 0, BIG, "\\u2066\\u2067\\u2068\\u2069" },
    { "ls\xe2\x80\xa8ps\xe2\x80\xa9", ALL, 0, BIG, "ls\\u2028ps\\u2029" },
    /* n bytes of a longer string; NULL */
    { "abcdef", 3, 0, BIG, "abc" },
    { NULL, 0, 0, BIG, "" },
    /* at most max_chars characters, then "…" */
    { "abcdef", ALL, 3, BIG, "abc\xe2\x80\xa6" },
    { "abc", ALL, 3, BIG, "abc" },
    { "a\x1b" "b", ALL, 2, BIG, "a\\x1B\xe2\x80\xa6" },
    { "\xc3\xb8\xc3\xb8x", ALL, 2, BIG, "\xc3\xb8\xc3\xb8\xe2\x80\xa6" },
    { "\xff\xfe\xfd", ALL, 2, BIG, "\\xFF\\xFE\xe2\x80\xa6" },
    /* the buffer: cut between characters, "…" where it fits */
    { "abcdefg", ALL, 0, 8, "abcdefg" },
    { "abcdefgh", ALL, 0, 8, "abcd\xe2\x80\xa6" },
    { "\x1b\x1b", ALL, 0, 8, "\\x1B\xe2\x80\xa6" },
    { "\x1b\x1b", ALL, 0, 9, "\\x1B\\x1B" },
    { "ab\xc3\xb8" "cdef", ALL, 0, 7, "ab\xe2\x80\xa6" },
    { "J\xf3\xa0\x81\x81" "a", ALL, 0, 11, "J\xe2\x80\xa6" },
    { "abcdef", ALL, 0, 4, "\xe2\x80\xa6" },
    { "abcdef", ALL, 0, 3, "ab" },
    { "abcdef", ALL, 0, 1, "" },
};

static void test_table(void)
{
    for (size_t i = 0; i < COUNT(cases); i++) {
        char buf[BIG];
        size_t n = cases[i].n == ALL ? strlen(cases[i].in) : cases[i].n;
        memset(buf, 'Z', sizeof buf);
        printable_copy(buf, cases[i].size, cases[i].in, n,
                       cases[i].max_chars);
        CHECK_STR(buf, cases[i].want);
        if (strcmp(buf, cases[i].want) != 0)
            fprintf(stderr, "    case %zu\n", i);
        /* nothing written beyond size */
        for (size_t k = cases[i].size; k < sizeof buf; k++)
            if (buf[k] != 'Z') {
                CHECK(!"written beyond size");
                break;
            }
        /* the whole string, uncut: printable_dup gives the same */
        if (cases[i].in && cases[i].n == ALL && cases[i].max_chars == 0 &&
            cases[i].size == BIG) {
            char *d = printable_dup(cases[i].in);
            CHECK_STR(d, cases[i].want);
            free(d);
        }
    }
}

static void test_edges(void)
{
    char buf[4] = "xyz";
    CHECK(printable_copy(buf, 0, "abc", 3, 0) == buf);
    CHECK_STR(buf, "xyz"); /* size 0: nothing written */
    char *d = printable_dup(NULL);
    CHECK_STR(d, "");
    free(d);
    /* a long name: dup is unbounded */
    size_t n = 100000;
    char *s = malloc(n + 1);
    CHECK(s != NULL);
    if (!s)
        return;
    memset(s, '\x1b', n);
    s[n] = '\0';
    d = printable_dup(s);
    CHECK(d && strlen(d) == 4 * n);
    CHECK(d && strncmp(d, "\\x1B\\x1B", 8) == 0);
    free(d);
    free(s);
}

/* Is the escaped text printable UTF-8: valid, and no control or
 * invisible character left?  (What the escaper promises, checked against
 * a list of its own, not its table.) */
static int printable_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = utf8_next(p + i, n - i, &cp);
        if (len == 0)
            return 0;
        if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xAD ||
            cp == 0x61C || (cp >= 0x200B && cp <= 0x200F) ||
            (cp >= 0x2028 && cp <= 0x202E) ||
            (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF ||
            (cp >= 0xFE00 && cp <= 0xFE0F) ||
            (cp >= 0xE0000 && cp <= 0xE0FFF))
            return 0;
        i += len;
    }
    return 1;
}

/* Every code point (as UTF-8, between two letters) and every byte alone. */
static void test_every_code_point(void)
{
    size_t bad = 0;
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        unsigned char s[8];
        size_t k = 0;
        s[k++] = 'a';
        if (cp < 0x80) {
            s[k++] = (unsigned char)cp;
        } else if (cp < 0x800) {
            s[k++] = (unsigned char)(0xC0 | cp >> 6);
            s[k++] = (unsigned char)(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            s[k++] = (unsigned char)(0xE0 | cp >> 12);
            s[k++] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
            s[k++] = (unsigned char)(0x80 | (cp & 0x3F));
        } else {
            s[k++] = (unsigned char)(0xF0 | cp >> 18);
            s[k++] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
            s[k++] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
            s[k++] = (unsigned char)(0x80 | (cp & 0x3F));
        }
        s[k++] = 'b';
        char buf[32];
        printable_copy(buf, sizeof buf, (const char *)s, k, 0);
        size_t len = strlen(buf);
        if (!printable_utf8(buf) || buf[0] != 'a' || buf[len - 1] != 'b' ||
            len > 2 + PRINTABLE_MAX_ESCAPE) {
            if (bad++ < 5)
                fprintf(stderr, "    U+%04X gives '%s'\n", (unsigned)cp,
                        buf);
        }
    }
    for (unsigned b = 0; b < 256; b++) {
        char s[2] = { (char)b, 0 }, buf[16];
        printable_copy(buf, sizeof buf, s, 1, 0);
        if (!printable_utf8(buf))
            bad++;
    }
    CHECK_INT(bad, 0);
}

/* printable_undo() gives back what printable_dup() escaped, for every
 * code point and every byte; printable_is_escaped() knows its forms. */
static void test_undo(void)
{
    size_t bad = 0;
    for (uint32_t cp = 1; cp <= 0x10FFFF + 256; cp++) {
        unsigned char s[8];
        size_t k = 0;
        s[k++] = '\\';
        if (cp > 0x10FFFF) {        /* every byte alone, after the last */
            s[k++] = (unsigned char)(cp - 0x10FFFF - 1);
            if (!s[k - 1])
                continue;
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            continue;
        } else if (cp < 0x80) {
            s[k++] = (unsigned char)cp;
        } else if (cp < 0x800) {
            s[k++] = (unsigned char)(0xC0 | cp >> 6);
            s[k++] = (unsigned char)(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            s[k++] = (unsigned char)(0xE0 | cp >> 12);
            s[k++] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
            s[k++] = (unsigned char)(0x80 | (cp & 0x3F));
        } else {
            s[k++] = (unsigned char)(0xF0 | cp >> 18);
            s[k++] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
            s[k++] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
            s[k++] = (unsigned char)(0x80 | (cp & 0x3F));
        }
        s[k++] = 'x';
        s[k] = '\0';
        char *e = printable_dup((const char *)s);
        size_t len = 0;
        char *back = e ? printable_undo(e, &len) : NULL;
        if (!back || len != k || memcmp(back, s, k) != 0 ||
            !printable_is_escaped(e)) {
            if (bad++ < 5)
                fprintf(stderr, "    %u: '%s' does not give its bytes back\n",
                        (unsigned)cp, e ? e : "(null)");
        }
        free(back);
        free(e);
    }
    CHECK_INT(bad, 0);

    /* not the escaped form: no text, or not as printable_dup() writes it */
    static const struct {
        const char *in;
        const char *raw;    /* printable_undo(); NULL: none */
        int escaped;        /* printable_is_escaped() */
    } forms[] = {
        { "", "", 1 },
        { "plain", "plain", 1 },
        { "a\\\\b", "a\\b", 1 },
        { "1106.xml\\n", "1106.xml\n", 1 },
        { "\\t\\n\\r", "\t\n\r", 1 },
        { "\\x1B[31m", "\x1b[31m", 1 },
        { "\\x1b", "\x1b", 0 },            /* lower-case hex */
        { "\\u0041", "A", 0 },              /* A is never escaped */
        { "\\U0000200B", "\xe2\x80\x8b", 0 }, /* \u200B is the form */
        { "\\u200B", "\xe2\x80\x8b", 1 },
        { "\x1b raw", "\x1b raw", 0 },     /* a control as it stands */
        { "\xe2\x80\xae raw RLO", "\xe2\x80\xae raw RLO", 0 },
        { "\xff", "\xff", 0 },             /* not UTF-8 */
        { "\\", NULL, 0 },                  /* a backslash at the end */
        { "\\q", NULL, 0 },
        { "\\x4", NULL, 0 },
        { "\\xG1", NULL, 0 },
        { "\\u20", NULL, 0 },
        { "\\uD800", NULL, 0 },             /* a surrogate */
        { "\\U00110000", NULL, 0 },         /* beyond Unicode */
    };
    for (size_t i = 0; i < COUNT(forms); i++) {
        size_t len = 0;
        char *raw = printable_undo(forms[i].in, &len);
        if (forms[i].raw) {
            CHECK_STR(raw, forms[i].raw);
            CHECK_INT(len, raw ? strlen(forms[i].raw) : 0);
        } else {
            CHECK_STR(raw, NULL);
        }
        free(raw);
        CHECK_INT(printable_is_escaped(forms[i].in), forms[i].escaped);
    }
    size_t len = 0;
    char *nul = printable_undo("a\\x00b", &len);
    CHECK(nul && len == 3 && nul[1] == '\0' && nul[2] == 'b');
    free(nul);
    CHECK_INT(printable_is_escaped("a\\x00b"), 0); /* a NUL: no text */
}

int main(void)
{
    test_table();
    test_edges();
    test_every_code_point();
    test_undo();
    return check_done();
}
