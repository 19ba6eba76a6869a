/*
 * test_suggest.c - "did you mean": the edit distance (a case a line: two
 * words and their distance) and the names suggested for a mistyped
 * command or option among is248's own (a case a line: the word and what
 * is suggested, "" for nothing).
 */
#include "check.h"
#include "cli/suggest.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
    const char *a, *b;
    int want;
} distances[] = {
    { "", "", 0 },
    { "import", "import", 0 },
    { "imprt", "import", 1 },       /* a letter left out */
    { "improt", "import", 1 },      /* two neighbours swapped */
    { "imporrt", "import", 1 },     /* a letter doubled */
    { "IMPORT", "import", 0 },      /* case is ignored */
    { "inport", "import", 1 },      /* one replaced */
    { "ipmrot", "import", 2 },
    { "status", "trends", 5 },   /* only the last letter stays */
    { "", "demo", 4 },
    { "abc", "", 3 },
};

static const char *const commands[] = {
    "migrate", "import", "validate", "trends", "report", "demo", "status",
    "help", "version"
};
static const char *const options[] = {
    "db", "wait", "lock-timeout", "statement-timeout", "max-entry-bytes",
    "max-total-bytes", "max-entries", "runs", "years", "size-class",
    "county", "format", "indicator", "chart", "chart-dir", "json-summary",
    "batch", "quiet", "verbose", "help", "version"
};

static const struct {
    const char *word;
    int options;            /* among options, else among commands */
    const char *want;       /* the suggestions, comma-separated */
} cases[] = {
    { "imprt", 0, "import" },
    { "improt", 0, "import" },
    { "stauts", 0, "status" },
    { "trend", 0, "trends" },
    { "reprot", 0, "report" },
    { "hlep", 0, "help" },
    { "verison", 0, "version" },
    { "Import", 0, "import" },
    { "frobnicate", 0, "" },
    { "x", 0, "" },
    { "im", 0, "" },            /* too short to be a guess */
    { "josn-summary", 1, "json-summary" },
    { "chrat", 1, "chart" },
    { "max-entrys", 1, "max-entries" },
    { "max-entry-byte", 1, "max-entry-bytes" },
    { "yaers", 1, "years" },
    { "verbos", 1, "verbose" },
    { "dd", 1, "" },            /* one letter of two is no suggestion */
    { "bogus", 1, "" },
    /* ties: the closest, in the order of the table */
    { "max-total-byte", 1, "max-total-bytes" },
    { "max-xxxxx-bytes", 1, "" },
    { "chartdir", 1, "chart-dir" },
};

int main(void)
{
    for (size_t i = 0; i < COUNT(distances); i++) {
        CHECK_INT(suggest_distance(distances[i].a, distances[i].b),
                  distances[i].want);
        CHECK_INT(suggest_distance(distances[i].b, distances[i].a),
                  distances[i].want);
    }
    char longword[100];
    memset(longword, 'a', sizeof longword - 1);
    longword[sizeof longword - 1] = '\0';
    CHECK_INT(suggest_distance(longword, "import"), 1000);

    for (size_t i = 0; i < COUNT(cases); i++) {
        const char *out[4];
        size_t n = cases[i].options
                       ? suggest(cases[i].word, options, COUNT(options), out, 4)
                       : suggest(cases[i].word, commands, COUNT(commands), out,
                                 4);
        char got[256] = "";
        for (size_t k = 0; k < n; k++) {
            if (k)
                strcat(got, ",");
            strcat(got, out[k]);
        }
        CHECK_STR(got, cases[i].want);
    }
    /* two as close: both, when there is room for both */
    const char *const names[] = { "chart", "charm", "chord" };
    const char *out[2];
    CHECK_INT(suggest("chars", names, 3, out, 2), 2);
    CHECK_STR(out[0], "chart");
    CHECK_STR(out[1], "charm");
    CHECK_INT(suggest("chars", names, 3, out, 1), 1);
    CHECK_STR(out[0], "chart");
    return check_done();
}
