/*
 * json.h - the one JSON string writer of the program (trends, export, the
 * import's summary): UTF-8 passes through, quotes, backslashes and control
 * characters are escaped, and a byte that is not UTF-8 (a file name given
 * on the command line can hold any) becomes U+FFFD, so that what is
 * written is always JSON.
 */
#ifndef IS248_CLI_JSON_H
#define IS248_CLI_JSON_H

#include <stdio.h>

/* s as a JSON string to out: '"' and '\\' escaped, \n and \t by name,
 * other control characters (and DEL) as \u00XX, a byte that begins no
 * UTF-8 character as U+FFFD.  Errors are left in ferror(out). */
void json_string(FILE *out, const char *s);

#endif
