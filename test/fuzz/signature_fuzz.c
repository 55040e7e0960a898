/*
 * signature_fuzz.c
 *		libFuzzer harness over the DER/CMS path of sigcore.c, the very code
 *		the extension runs (no PostgreSQL needed).  The first byte of an input
 *		picks the entry point:
 *		  0  sig_verify, detached, content "hello"
 *		  1  sig_verify, content embedded (content NULL)
 *		  2  sig_verify, the content is the next byte's count of bytes, the rest the signature
 *		  3  sig_cert_info and sig_store_add_cert into a scratch store
 *		  4  sig_store_add_crl against the trust store (not kept)
 *		  5  sig_verify_ex of company's signature over "hello" with the rest as
 *		     its one OCSP response (issue #17)
 *		The trust store holds the test PKI's root (marked for time stamping),
 *		intermediate and their CRLs (directory in $LICENSING_PKI), so valid
 *		chains reach the deep checks; signatures with RFC 3161 tokens (the
 *		*.ts.p7s seeds) reach the token's parser, as the token is not signed.
 *		Its certificate cache lives across inputs and is bounded to 64 kB (a
 *		handful of signers), so keeping, finding and evicting all run here.
 *		AddressSanitizer reports any overflow, use after free or leak.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sigcore.h"

static SigStore *store;
static unsigned char *company_sig;
static size_t company_len;

static unsigned char *
slurp(const char *dir, const char *name, size_t *len)
{
	char		path[4096];
	FILE	   *f;
	unsigned char *buf;
	long		n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (f == NULL)
	{
		fprintf(stderr, "cannot open %s\n", path);
		exit(1);
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? n : 1);
	if (buf == NULL || fread(buf, 1, n, f) != (size_t) n)
		exit(1);
	fclose(f);
	*len = (size_t) n;
	return buf;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("LICENSING_PKI");
	static const char *certs[] = {"root.crt.der", "inter.crt.der"};
	static const char *crls[] = {"root.crl.der", "inter.crl.der"};

	(void) argc;
	(void) argv;
	if (dir == NULL)
	{
		fprintf(stderr, "LICENSING_PKI is not set\n");
		exit(1);
	}
	sig_cache_max_bytes = 64 * 1024;
	store = sig_store_new();
	for (int i = 0; i < 2; i++)
	{
		size_t		len;
		unsigned char *der = slurp(dir, certs[i], &len);

		if (sig_store_add_cert_ex(store, der, len, i == 0) != SIGST_OK)
			exit(1);
		free(der);
	}
	for (int i = 0; i < 2; i++)
	{
		size_t		len;
		unsigned char *der = slurp(dir, crls[i], &len);

		if (sig_store_add_crl(store, der, len, true, NULL, NULL, 0) != SIGST_OK)
			exit(1);
		free(der);
	}
	company_sig = slurp(dir, "company.hello.p7s", &company_len);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char hello[] = "hello";
	SigResult	res;
	SigCertInfo info;
	SigCrlInfo	crl;
	char		why[256];
	const int64_t at = 1780272000;	/* 2026-06-01 */

	memset(&res, 0, sizeof(res));

	if (size < 1)
		return 0;
	switch (data[0] % 6)
	{
		case 0:
			sig_verify(store, hello, 5, data + 1, size - 1, true, at, &res);
			break;
		case 1:
			sig_verify(store, NULL, 0, data + 1, size - 1, true, at, &res);
			break;
		case 2:
			if (size >= 2 && (size_t) data[1] <= size - 2)
				sig_verify(store, data + 2, data[1], data + 2 + data[1], size - 2 - data[1],
						   true, at, &res);
			break;
		case 3:
			if (sig_cert_info(data + 1, size - 1, &info, why, sizeof(why)) == SIGST_OK)
			{
				SigStore   *scratch = sig_store_new();

				sig_store_add_cert(scratch, data + 1, size - 1);
				sig_store_free(scratch);
			}
			break;
		case 4:
			sig_store_add_crl(store, data + 1, size - 1, false, &crl, why, sizeof(why));
			break;
		case 5:
			{
				const unsigned char *resp = data + 1;
				size_t		resp_len = size - 1;

				sig_verify_ex(store, hello, 5, company_sig, company_len, true, 1906502400 /* 2030-06-01 */,
							  &resp, &resp_len, 1, &res);
			}
			break;
	}
	/* every answer is one of the documented codes */
	if ((data[0] % 6 <= 2 || data[0] % 6 == 5) && res.problem != SIG_OK && sig_problem_code(res.problem) == NULL)
		abort();
	return 0;
}
