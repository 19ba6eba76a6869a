/*
 * printable.h - the one escaper of is248 for text that comes from outside:
 * names of files and archive entries, values of a report, and the messages
 * of the libraries that read them.  What it gives is safe to print on one
 * line of a terminal and to store, and shows every character that is there:
 * nothing can move the cursor, clear the screen, reorder the line or hide
 * inside a quoted value ("unknown label 'J\u200Ba'" instead of what reads
 * as 'Ja').
 *
 * The form, the same everywhere (hex digits upper case):
 *   backslash                                      \\
 *   tab, line feed, carriage return                \t \n \r
 *   the other C0 controls and DEL                  \xHH      (\x1B)
 *   a byte that is not part of valid UTF-8
 *     (RFC 3629: no overlong forms, no surrogates)  \xHH      (\xFF)
 *   C1 controls (U+0080-U+009F), the line and      \uHHHH    (\u200B)
 *     paragraph separators (U+2028, U+2029), and   \UHHHHHHHH above U+FFFF
 *     every default-ignorable code point: soft       (\U000E0041)
 *     hyphen U+00AD, U+061C, zero width U+200B-D,
 *     the bidirectional controls U+200E/F,
 *     U+202A-E, U+2066-9, word joiner U+2060-4,
 *     U+FEFF, variation selectors, fillers,
 *     tag characters U+E0000-E0FFF
 * Everything else (printable UTF-8) is copied as it stands.  The escaped
 * text is printable UTF-8, and reads back unambiguously: a backslash in it
 * always begins one of the forms above.
 *
 * Values stored in the database are never passed through here: they are
 * stored byte for byte as given.  Labels (names) and reasons are.
 */
#ifndef IS248_INGEST_PRINTABLE_H
#define IS248_INGEST_PRINTABLE_H

#include <stddef.h>

/* The most bytes one character (or byte) of s may become: "\U000E0041". */
#define PRINTABLE_MAX_ESCAPE 10

/*
 * The n bytes at s, escaped, into buf of size bytes, always terminated
 * (nothing is written when size is 0).  At most max_chars characters of s
 * are shown (0: no limit; a byte that is not UTF-8 counts as one); when s
 * has more, or the escaped text does not fit in buf, it is cut between two
 * characters and "…" (U+2026, 3 bytes) follows where there is room for it.
 * s NULL is taken as "".  Returns buf.  Can't fail.
 */
char *printable_copy(char *buf, size_t size, const char *s, size_t n,
                     size_t max_chars);

/*
 * The NUL-terminated s, escaped whole, in a new string the caller frees
 * with free().  s NULL is taken as "".  Returns NULL when out of memory.
 */
char *printable_dup(const char *s);

/*
 * The inverse of printable_dup(): the bytes whose escaped form the
 * NUL-terminated s is, in a new string the caller frees with free(), with
 * their number in *len (it may hold a NUL byte, escaped as \x00; a
 * terminating NUL follows).  Used where a label stored by is248 must be
 * opened again as a path (is248 extract).  Returns NULL when s is not in
 * the escaped form (a backslash that begins none of the forms above, a
 * \u or \U of no character), or when out of memory.
 */
char *printable_undo(const char *s, size_t *len);

/*
 * 1 when s is exactly what printable_dup() makes of some text, so that it
 * can be shown as it stands (a label that is248 escaped and stored), 0
 * otherwise (it holds what printable_dup() would escape, or a backslash
 * that begins no form): such text is shown through printable_dup() again.
 * 0 when memory runs out, which only makes the caller escape it again.
 */
int printable_is_escaped(const char *s);

#endif
