/*
 * xlsx.c - rtables as a workbook through libxlsxwriter (see xlsx.h).
 *
 * The workbook is closed (written) by libxlsxwriter into a directory made
 * with mkdtemp() under $TMPDIR (or /tmp), read back into the outfile's
 * stream and removed at once; the outfile then puts it in place as every
 * file is248 writes.
 */
#include "xlsx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "cli.h"
#include "msg.h"

struct formats {
    lxw_format *header, *title, *integer, *pct, *wrap;
};

/* A sheet's name: at most 31 characters, none of []:*?/\ (Excel's rule). */
static void sheet_name(char out[32], const char *s)
{
    size_t k = 0;
    for (; *s && k < 31; s++)
        out[k++] = strchr("[]:*?/\\", *s) ? '_' : *s;
    out[k] = '\0';
}

/* Characters (not bytes) of a UTF-8 string, for column widths. */
static size_t width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

/* Table t from row 'row' of ws: its title (when given), the header of
 * labels, the rows; returns the row after it, or -1 when the library
 * failed. */
static int write_table(lxw_worksheet *ws, const struct rtable *t, int row,
                       const struct formats *f, double *widths, int title)
{
    if (title && t->title) {
        if (worksheet_write_string(ws, (lxw_row_t)row, 0, t->title, f->title))
            return -1;
        row++;
    }
    for (int c = 0; c < t->ncols; c++) {
        const char *h = t->cols[c].label ? t->cols[c].label : t->cols[c].name;
        if (worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)c, h, f->header))
            return -1;
        double w = (double)width(h) + 2;
        if (widths && w > widths[c])
            widths[c] = w > 40 ? 40 : w;
    }
    row++;
    for (int r = 0; r < t->nrows; r++, row++)
        for (int c = 0; c < t->ncols; c++) {
            const char *v = rtable_cell(t, r, c);
            lxw_error e = LXW_NO_ERROR;
            if (!v)
                continue;
            switch (t->cols[c].type) {
            case COL_INT:
                e = worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)c,
                                           strtod(v, NULL), f->integer);
                break;
            case COL_PCT:
                e = worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)c,
                                           strtod(v, NULL) / 100.0, f->pct);
                break;
            case COL_BOOL:
                e = worksheet_write_boolean(ws, (lxw_row_t)row, (lxw_col_t)c,
                                            strcmp(v, "t") == 0, NULL);
                break;
            default:
                e = worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)c,
                                           v, NULL);
                if (widths) {
                    double w = (double)width(v) + 2;
                    if (w > widths[c])
                        widths[c] = w > 60 ? 60 : w;
                }
            }
            if (e != LXW_NO_ERROR)
                return -1;
        }
    return row;
}

/* The file's bytes into out; 0, or -1 with errno. */
static int copy_into(FILE *out, const char *path)
{
    FILE *in = fopen(path, "rb");
    if (!in)
        return -1;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n) {
            fclose(in);
            return -1;
        }
    int bad = ferror(in);
    fclose(in);
    return bad ? -1 : 0;
}

/* The workbook's cell formats. */
static void make_formats(lxw_workbook *wb, struct formats *f)
{
    *f = (struct formats){
        workbook_add_format(wb), workbook_add_format(wb),
        workbook_add_format(wb), workbook_add_format(wb),
        workbook_add_format(wb)
    };
    format_set_bold(f->header);
    format_set_text_wrap(f->header);
    format_set_align(f->header, LXW_ALIGN_VERTICAL_TOP);
    format_set_bottom(f->header, LXW_BORDER_THIN);
    format_set_bold(f->title);
    format_set_font_size(f->title, 12);
    format_set_num_format(f->integer, "0");
    format_set_num_format(f->pct, "0.0%");
    format_set_text_wrap(f->wrap);
}

/* A sheet per table: a header row, typed cells, columns as wide as their
 * text, the panes frozen.  0, or -1 when libxlsxwriter fails. */
static int write_sheets(lxw_workbook *wb, const struct rtable *sheets, int n,
                        const struct formats *f)
{
    for (int i = 0; i < n; i++) {
        char name[32];
        sheet_name(name, sheets[i].name);
        lxw_worksheet *ws = workbook_add_worksheet(wb, name);
        double *widths = calloc((size_t)(sheets[i].ncols ? sheets[i].ncols : 1),
                                sizeof *widths);
        if (!ws || !widths) {
            free(widths);
            return -1;
        }
        int end = write_table(ws, &sheets[i], 0, f, widths, 0);
        for (int c = 0; end >= 0 && c < sheets[i].ncols; c++)
            worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
                                 widths[c] < 8 ? 8 : widths[c], NULL);
        free(widths);
        if (end < 0)
            return -1;
        worksheet_freeze_panes(ws, 1, (lxw_col_t)sheets[i].freeze_cols);
    }
    return 0;
}

/* The about sheet: its blocks one under the other. 0, or -1. */
static int write_about(lxw_workbook *wb, const struct about *about,
                       const struct formats *f)
{
    char name[32];
    sheet_name(name, about->title);
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    if (!ws)
        return -1;
    double widths[8] = { 0 };
    int row = 0;
    for (int b = 0; b < about->nblock && row >= 0; b++) {
        row = write_table(ws, &about->block[b], row, f, widths, 1);
        row++;  /* a blank row between */
    }
    if (row < 0)
        return -1;
    for (int c = 0; c < 8; c++)
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
                             widths[c] < 10 ? 10 : widths[c],
                             c == 3 ? f->wrap : NULL);
    return 0;
}

int xlsx_write(struct outfile *of, const struct rtable *sheets, int n,
               const struct about *about)
{
    const char *tmp = getenv("TMPDIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/is248-xlsx-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        msg_error("cannot make a temporary directory for the workbook in "
                  "'%s': %s", tmp && *tmp ? tmp : "/tmp", strerror(errno));
        return EXIT_USAGE;
    }
    char path[4200];
    snprintf(path, sizeof path, "%s/workbook.xlsx", dir);
    lxw_workbook_options opt = { .constant_memory = LXW_FALSE, .tmpdir = dir,
                                 .use_zip64 = LXW_FALSE };
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    int rc = EXIT_INTERNAL;
    const char *why = "cannot create the workbook";
    if (!wb)
        goto out;
    struct formats f;
    make_formats(wb, &f);
    why = "cannot write the workbook";

    if (write_sheets(wb, sheets, n, &f) != 0)
        goto out;
    if (about && write_about(wb, about, &f) != 0)
        goto out;
    lxw_error e = workbook_close(wb);
    wb = NULL;
    if (e != LXW_NO_ERROR) {
        msg_error("cannot write the workbook: %s", lxw_strerror(e));
        rc = EXIT_INTERNAL;
        why = NULL;
        goto out;
    }
    if (copy_into(of->f, path) != 0) {
        msg_error("cannot read the workbook back from '%s': %s", path,
                  strerror(errno));
        why = NULL;
        goto out;
    }
    rc = EXIT_OK;
    why = NULL;
out:
    if (wb)
        workbook_close(wb); /* frees it; the file is removed below */
    if (why)
        msg_error("%s (libxlsxwriter)", why);
    unlink(path);
    rmdir(dir);
    return rc;
}
