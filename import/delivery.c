/*
 * delivery.c - the digest of a delivery and its pieces (see delivery.h).
 */
#include "delivery.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "../load/db.h"

#define PIECES_PER_CALL 8      /* pieces sent per is248.delivery_pieces() */

/* Read up to len bytes (fewer only at the end of the file).  -1 on error. */
static ssize_t read_full(int fd, unsigned char *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, buf + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

static int sha256(const unsigned char *p, size_t n, unsigned char md[32])
{
    unsigned int len = 0;
    return EVP_Digest(p, n, md, &len, EVP_sha256(), NULL) == 1 && len == 32
               ? 0 : -1;
}

int delivery_digest(const char *path, unsigned char digest[32],
                    uint64_t *bytes)
{
    struct stat st;
    if (strcmp(path, "-") == 0)     /* standard input is read once */
        return 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return 0;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
        close(fd);
        return 0;
    }
    unsigned char *buf = malloc(DB_DELIVERY_PIECE);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int rc = buf && ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1
                 ? 1 : -1;
    uint64_t total = 0;
    while (rc == 1) {
        ssize_t n = read_full(fd, buf, DB_DELIVERY_PIECE);
        if (n < 0) {
            rc = 0;
            break;
        }
        if (n == 0)
            break;
        unsigned char md[32];
        if (sha256(buf, (size_t)n, md) != 0 ||
            EVP_DigestUpdate(ctx, md, sizeof md) != 1)
            rc = -1;
        total += (uint64_t)n;
    }
    unsigned int len = 0;
    if (rc == 1 && (EVP_DigestFinal_ex(ctx, digest, &len) != 1 || len != 32))
        rc = -1;
    EVP_MD_CTX_free(ctx);
    free(buf);
    close(fd);
    if (rc == 1 && total == 0)
        rc = 0;
    *bytes = total;
    return rc;
}

int delivery_send(PGconn *conn, int64_t id, const char *path, uint64_t bytes,
                  char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        snprintf(err, errlen, "cannot read '%s' again: %s", path,
                 strerror(errno));
        return -1;
    }
    size_t cap = (size_t)DB_DELIVERY_PIECE * PIECES_PER_CALL;
    unsigned char *buf = malloc(cap);
    if (!buf) {
        close(fd);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = 0, piece = 0;
    uint64_t sent = 0;
    for (;;) {
        ssize_t n = read_full(fd, buf, cap);
        if (n < 0) {
            snprintf(err, errlen, "cannot read '%s' again: %s", path,
                     strerror(errno));
            rc = -1;
            break;
        }
        if (n == 0)
            break;
        if (db_delivery_pieces(conn, id, piece, buf, (size_t)n, err,
                               errlen) != 0) {
            rc = -1;
            break;
        }
        piece += (int)(((size_t)n + DB_DELIVERY_PIECE - 1) / DB_DELIVERY_PIECE);
        sent += (uint64_t)n;
    }
    if (rc == 0 && sent != bytes) {
        snprintf(err, errlen, "'%s' changed while it was read", path);
        rc = -1;
    }
    free(buf);
    close(fd);
    return rc;
}
