/*
 * cmd_trends.c - "is248 trends": the three trend views as aligned tables,
 * the way psql prints them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "msg.h"

static const struct trend_view {
    const char *title;
    const char *sql;
} trend_views[] = {
    { "Collaboration between health and care services and Nav on "
      "work-oriented rehabilitation (is248.trend_nav_collab)",
      "SELECT * FROM is248.trend_nav_collab" },
    { "How the municipality rates that collaboration "
      "(is248.trend_nav_rating)",
      "SELECT * FROM is248.trend_nav_rating" },
    { "IPS or SE in mental health work and in substance abuse work "
      "(is248.trend_ips_se)",
      "SELECT * FROM is248.trend_ips_se" },
};

/* Characters (not bytes) in a UTF-8 string. */
static size_t width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

static int numeric_type(Oid t)
{
    /* int8, int2, int4, float4, float8, numeric */
    return t == 20 || t == 21 || t == 23 || t == 700 || t == 701 || t == 1700;
}

static void pad(size_t n)
{
    while (n--)
        putchar(' ');
}

static void print_table(const PGresult *res)
{
    int rows = PQntuples(res), cols = PQnfields(res);
    size_t *w = calloc((size_t)cols, sizeof *w);
    if (!w)
        return;
    for (int j = 0; j < cols; j++) {
        w[j] = width(PQfname(res, j));
        for (int i = 0; i < rows; i++) {
            size_t x = width(PQgetvalue(res, i, j));
            if (x > w[j])
                w[j] = x;
        }
    }
    for (int j = 0; j < cols; j++) {
        const char *h = PQfname(res, j);
        size_t left = (w[j] - width(h)) / 2;
        printf("%s", j ? " | " : " ");
        pad(left);
        printf("%s", h);
        pad(w[j] - width(h) - left);
    }
    printf("\n");
    for (int j = 0; j < cols; j++) {
        printf("%s", j ? "-+-" : "-");
        for (size_t k = 0; k < w[j]; k++)
            putchar('-');
    }
    printf("-\n");
    for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
            const char *v = PQgetvalue(res, i, j);
            printf("%s", j ? " | " : " ");
            if (numeric_type(PQftype(res, j))) {
                pad(w[j] - width(v));
                printf("%s", v);
            } else {
                printf("%s", v);
                pad(w[j] - width(v));
            }
        }
        printf("\n");
    }
    printf("(%d row%s)\n", rows, rows == 1 ? "" : "s");
    free(w);
}

int cli_print_trends(PGconn *conn)
{
    int rc = cli_check_schema(conn);
    if (rc != EXIT_OK)
        return rc;
    for (size_t i = 0; i < sizeof trend_views / sizeof trend_views[0]; i++) {
        PGresult *res = PQexec(conn, trend_views[i].sql);
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
            msg_error("cannot read %s: %s", trend_views[i].sql,
                      PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)
                          ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)
                          : PQerrorMessage(conn));
            PQclear(res);
            return EXIT_DB;
        }
        printf("%s%s\n\n", i ? "\n" : "", trend_views[i].title);
        print_table(res);
        PQclear(res);
    }
    return EXIT_OK;
}

int cmd_trends(struct cli *c)
{
    PGconn *conn = cli_connect(c);
    if (!conn)
        return EXIT_DB;
    int rc = cli_print_trends(conn);
    cli_disconnect(conn);
    return rc;
}
