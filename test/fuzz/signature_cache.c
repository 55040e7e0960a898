/*
 * signature_cache.c
 *		Drives the certificate cache of sigcore.c under AddressSanitizer
 *		(test/scripts/signature_memory.sh builds it): the test PKI's signatures,
 *		200 rounds each, under cache bounds from 0 (nothing kept) to 60 kB (a
 *		few signers, evicted over and over).  Every verdict must stay what it
 *		is without a cache; ASan reports any use of an evicted certificate.
 *		Usage: signature_cache PKI_DIR; exit status 0 when every verdict held.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sigcore.h"

static unsigned char *
slurp(const char *dir, const char *name, size_t *len)
{
	char		path[4096];
	FILE	   *f;
	unsigned char *buf;
	long		n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "rb")) == NULL)
	{
		fprintf(stderr, "cannot open %s\n", path);
		exit(2);
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? n : 1);
	if (buf == NULL || fread(buf, 1, n, f) != (size_t) n)
		exit(2);
	fclose(f);
	*len = (size_t) n;
	return buf;
}

int
main(int argc, char **argv)
{
	static const char *certs[] = {"root.crt.der", "inter.crt.der"};
	static const char *crls[] = {"root.crl.der", "inter.crl.der"};
	static const char *sigs[] = {"company.hello.p7s", "person.hello.p7s", "ecdsa.hello.p7s",
	"revoked.hello.p7s", "expired.hello.p7s", "pss.hello.p7s"};
	static const char *want[] = {"valid", "valid", "valid", "revoked", "expired", "valid"};
	SigStore   *store = sig_store_new();
	int			bad = 0,
				calls = 0;
	size_t		len;
	unsigned char *der;

	if (argc != 2 || store == NULL)
		return 2;
	for (int i = 0; i < 2; i++)
	{
		der = slurp(argv[1], certs[i], &len);
		if (sig_store_add_cert(store, der, len) != SIGST_OK)
			return 2;
		free(der);
		der = slurp(argv[1], crls[i], &len);
		if (sig_store_add_crl(store, der, len, true, NULL, NULL, 0) != SIGST_OK)
			return 2;
		free(der);
	}
	for (size_t bound = 0; bound <= 60000; bound += 15000)
	{
		sig_cache_max_bytes = bound;
		for (int round = 0; round < 200; round++)
			for (int i = 0; i < 6; i++)
			{
				SigResult	res;
				const char *got;

				der = slurp(argv[1], sigs[i], &len);
				sig_verify(store, (const unsigned char *) "hello", 5, der, len, true,
						   1780272000, &res);	/* 2026-06-01 */
				free(der);
				calls++;
				got = res.problem == SIG_OK ? "valid" : sig_problem_code(res.problem);
				if (strcmp(got, want[i]) != 0 && bad++ < 5)
					printf("# cache bound %zu, %s: %s (%s)\n", bound, sigs[i], got, res.detail);
			}
	}
	sig_store_free(store);
	printf("# %d verifications, %d verdicts changed\n", calls, bad);
	return bad != 0;
}
