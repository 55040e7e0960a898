/*
 * sha256.h
 *		The one SHA-256 of the extension's C code (sha256.c): the two hash
 *		chains (history.c) and the certificate and CRL fingerprints
 *		(sigcore.c).  Plain C over OpenSSL, no PostgreSQL headers, so the
 *		standalone builds of sigcore.c (fuzzers, memory tests) link it too.
 */
#ifndef LICENSING_SHA256_H
#define LICENSING_SHA256_H

#include <stdbool.h>
#include <stddef.h>

#define SHA256_LEN 32

/*
 * SHA-256 of a (alen bytes) followed by b (blen bytes; b may be NULL when
 * blen is 0) into out.  False when OpenSSL fails (out of memory, no provider).
 */
extern bool sha256_two(const void *a, size_t alen, const void *b, size_t blen,
					   unsigned char out[SHA256_LEN]);

#endif
