/*
 * sha256.c
 *		SHA-256 for the whole extension, from one place (sha256.h).
 *
 * OpenSSL's, with the digest fetched once per process and one context
 * reused: an implicit fetch at every init cost more than hashing an event's
 * few hundred bytes.  Both live for the process's life (a backend, or a
 * standalone test), and are freed by nothing: OpenSSL's exit handlers do.
 */
#include <openssl/evp.h>

#include "sha256.h"

bool
sha256_two(const void *a, size_t alen, const void *b, size_t blen, unsigned char out[SHA256_LEN])
{
	static EVP_MD *md = NULL;
	static EVP_MD_CTX *ctx = NULL;
	unsigned int len = 0;

	if (md == NULL && (md = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL)
		return false;
	if (ctx == NULL && (ctx = EVP_MD_CTX_new()) == NULL)
		return false;
	if (EVP_DigestInit_ex(ctx, md, NULL) != 1
		|| (alen > 0 && EVP_DigestUpdate(ctx, a, alen) != 1)
		|| (blen > 0 && EVP_DigestUpdate(ctx, b, blen) != 1)
		|| EVP_DigestFinal_ex(ctx, out, &len) != 1 || len != SHA256_LEN)
		return false;
	return true;
}
