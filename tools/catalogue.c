/*
 * catalogue.c - the build's check of the form's catalogue (sql/catalogue/
 * question.csv, code_list.csv, answer_code.csv) as compiled in: the
 * checks transform/codes.c makes on first use, run once at build time, so
 * that an is248 whose catalogue does not hold together (a list named but
 * missing, two labels of one value, a follow-up of no question, ...) is
 * never built.  Prints why and exits 1; prints nothing and exits 0 when
 * the catalogue is sound.
 */
#include <stdio.h>

#include "transform/codes.h"

int main(void)
{
    const char *why = codes_error();
    if (why) {
        fprintf(stderr, "is248_catalogue: error: the catalogue of the form "
                        "(sql/catalogue/) cannot be read: %s\n", why);
        return 1;
    }
    return codes_count() > 0 ? 0 : 1;
}
