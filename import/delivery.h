/*
 * delivery.h - a path given to import that is a regular file (an archive,
 * or one XML file) is a delivery.  Its digest, the SHA-256 of the SHA-256 of
 * each of its DB_DELIVERY_PIECE pieces in order, names it: a run that read
 * it to its end records it (is248.delivery, sql/schema/03_merge.sql), and
 * a later run given the same bytes skips it.  The database computes the
 * digest again from the pieces it is sent, so no one records a delivery he
 * does not have.
 */
#ifndef IS248_IMPORT_DELIVERY_H
#define IS248_IMPORT_DELIVERY_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

/* The digest and size of the file at path.  1 when done; 0 when path is
 * not a regular file or cannot be read (then it is no delivery: the walk
 * says what is wrong with it); -1 when memory ran out. */
int delivery_digest(const char *path, unsigned char digest[32],
                    uint64_t *bytes);

/* Send the pieces of the file at path (bytes long) for delivery id.
 * Returns 0, or -1 with err set (a database error, or the file changed:
 * then it is read as any path, unrecorded). */
int delivery_send(PGconn *conn, int64_t id, const char *path, uint64_t bytes,
                  char *err, size_t errlen);

#endif
