/*
 * verify_standalone.c
 *		Baseline of benchmark P4: the same CMS verification as
 *		licensing.verify_signature, done by a plain C program with OpenSSL.
 *		Its trust store (the anchors and their CRLs) is built once; each call
 *		decodes the CMS and runs CMS_verify with X509_V_FLAG_CRL_CHECK and
 *		X509_V_FLAG_PARTIAL_CHAIN at a fixed time, as a careful application
 *		would.
 *
 *	usage: verify_standalone PKI_DIR SIGNATURE CONTENT SECONDS
 *	prints: calls/s
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

static unsigned char *
slurp(const char *dir, const char *name, long *len)
{
	char		path[4096];
	FILE	   *f;
	unsigned char *buf;

	if (dir)
		snprintf(path, sizeof(path), "%s/%s", dir, name);
	else
		snprintf(path, sizeof(path), "%s", name);
	if ((f = fopen(path, "rb")) == NULL)
	{
		perror(path);
		exit(1);
	}
	fseek(f, 0, SEEK_END);
	*len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(*len + 1);
	if (fread(buf, 1, *len, f) != (size_t) *len)
		exit(1);
	fclose(f);
	return buf;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	const char *dir = argv[1];
	X509_STORE *store = X509_STORE_new();
	long		siglen,
				contlen;
	unsigned char *sig,
			   *content;
	double		seconds,
				t0,
				t;
	long		calls = 0;

	if (argc != 5)
	{
		fprintf(stderr, "usage: %s PKI_DIR SIGNATURE CONTENT SECONDS\n", argv[0]);
		return 2;
	}
	seconds = atof(argv[4]);
	for (int i = 0; i < 2; i++)
	{
		long		len;
		const char *names[] = {"root.crt.der", "inter.crt.der"};
		unsigned char *der = slurp(dir, names[i], &len);
		const unsigned char *p = der;
		X509	   *x = d2i_X509(NULL, &p, len);

		X509_STORE_add_cert(store, x);
		X509_free(x);
		free(der);
	}
	for (int i = 0; i < 2; i++)
	{
		long		len;
		const char *names[] = {"root.crl.der", "inter.crl.der"};
		unsigned char *der = slurp(dir, names[i], &len);
		const unsigned char *p = der;
		X509_CRL   *c = d2i_X509_CRL(NULL, &p, len);

		X509_STORE_add_crl(store, c);
		X509_CRL_free(c);
		free(der);
	}
	X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_PARTIAL_CHAIN);
	{
		X509_VERIFY_PARAM *param = X509_STORE_get0_param(store);

		X509_VERIFY_PARAM_set_time(param, (time_t) 1780272000);	/* 2026-06-01 */
	}
	sig = slurp(NULL, argv[2], &siglen);
	content = slurp(NULL, argv[3], &contlen);

	t0 = now();
	do
	{
		for (int k = 0; k < 50; k++)
		{
			const unsigned char *p = sig;
			CMS_ContentInfo *cms;
			BIO		   *in;

			ERR_clear_error();
			cms = d2i_CMS_ContentInfo(NULL, &p, siglen);
			in = BIO_new_mem_buf(content, (int) contlen);
			if (cms == NULL || CMS_verify(cms, NULL, store, in, NULL, CMS_BINARY) != 1)
			{
				ERR_print_errors_fp(stderr);
				return 1;
			}
			BIO_free(in);
			CMS_ContentInfo_free(cms);
			calls++;
		}
		t = now() - t0;
	} while (t < seconds);
	printf("%.0f\n", calls / t);
	X509_STORE_free(store);
	free(sig);
	free(content);
	return 0;
}
