/*
 * json.h - the one JSON string writer of the program (trends, export, the
 * import's summary): UTF-8 passes through, quotes, backslashes and control
 * characters are escaped.
 */
#ifndef IS248_CLI_JSON_H
#define IS248_CLI_JSON_H

#include <stdio.h>

/* s as a JSON string to out: '"' and '\\' escaped, \n and \t by name,
 * other control characters (and DEL) as \u00XX.  Errors are left in
 * ferror(out). */
void json_string(FILE *out, const char *s);

#endif
