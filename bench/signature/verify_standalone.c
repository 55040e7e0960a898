/*
 * verify_standalone.c
 *		Baseline of benchmark P4: the same CMS verification as
 *		licensing.verify_signature, done by a plain C program with OpenSSL.
 *		Its trust store (the anchors and their CRLs) is built once; each call
 *		decodes the CMS and runs CMS_verify with X509_V_FLAG_CRL_CHECK and
 *		X509_V_FLAG_PARTIAL_CHAIN at a fixed time, as a careful application
 *		would (the signer's CRL only: verify_signature checks the
 *		intermediate against the root's CRL too since issue #17, so the
 *		baseline does a little less than it).  MODE adds what verify_signature does besides:
 *		  ts    the signer's RFC 3161 token (unsigned attribute): decoded and
 *		        verified (version, imprint over the signature value, signature,
 *		        TSA chain to the root, which anchors TSAs)
 *		  ocsp  the OCSP response FILE decoded, its signature and responder
 *		        verified (OCSP_basic_verify), the signer's status found and
 *		        its validity checked
 *
 *	usage: verify_standalone PKI_DIR SIGNATURE CONTENT SECONDS [ts | ocsp FILE]
 *	prints: calls/s
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/ts.h>
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

/* The first signer's RFC 3161 token verifies: 1. */
static int
check_ts(CMS_ContentInfo *cms, X509_STORE *tsa_store)
{
	CMS_SignerInfo *si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
	int			idx = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -1);
	ASN1_TYPE  *t = idx >= 0 ? X509_ATTRIBUTE_get0_type(CMS_unsigned_get_attr(si, idx), 0) : NULL;
	const unsigned char *p;
	PKCS7	   *tok;
	TS_VERIFY_CTX *ctx;
	ASN1_OCTET_STRING *sigv = CMS_SignerInfo_get0_signature(si);
	unsigned char md[32];
	int			ok;

	if (t == NULL || t->type != V_ASN1_SEQUENCE)
		return 0;
	p = t->value.sequence->data;
	if ((tok = d2i_PKCS7(NULL, &p, t->value.sequence->length)) == NULL)
		return 0;
	SHA256(sigv->data, sigv->length, md);
	ctx = TS_VERIFY_CTX_new();
	X509_STORE_up_ref(tsa_store);
	TS_VERIFY_CTX_set_store(ctx, tsa_store);
	TS_VERIFY_CTX_set_imprint(ctx, OPENSSL_memdup(md, 32), 32);
	TS_VERIFY_CTX_set_flags(ctx, TS_VFY_VERSION | TS_VFY_SIGNATURE | TS_VFY_IMPRINT);
	ok = TS_RESP_verify_token(ctx, tok);
	TS_VERIFY_CTX_free(ctx);
	PKCS7_free(tok);
	return ok;
}

/* The OCSP response verifies and says the first signer's certificate is good: 1. */
static int
check_ocsp(CMS_ContentInfo *cms, X509_STORE *store, X509 *issuer, const unsigned char *der, long len)
{
	const unsigned char *p = der;
	OCSP_RESPONSE *r = d2i_OCSP_RESPONSE(NULL, &p, len);
	OCSP_BASICRESP *bs = r ? OCSP_response_get1_basic(r) : NULL;
	STACK_OF(X509) *signers = CMS_get0_signers(cms);
	OCSP_CERTID *id = signers ? OCSP_cert_to_id(NULL, sk_X509_value(signers, 0), issuer) : NULL;
	int			status = -1,
				reason;
	ASN1_GENERALIZEDTIME *rev,
			   *thisu,
			   *nextu;
	int			ok = bs != NULL && id != NULL &&
		OCSP_basic_verify(bs, NULL, store, 0) == 1 &&
		OCSP_resp_find_status(bs, id, &status, &reason, &rev, &thisu, &nextu) == 1 &&
		status == V_OCSP_CERTSTATUS_GOOD && OCSP_check_validity(thisu, nextu, 300, -1) == 1;

	sk_X509_free(signers);
	OCSP_CERTID_free(id);
	OCSP_BASICRESP_free(bs);
	OCSP_RESPONSE_free(r);
	return ok;
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
	const char *mode = argc > 5 ? argv[5] : "plain";
	X509_STORE *tsa_store = X509_STORE_new();
	X509_STORE *ostore = X509_STORE_new();	/* responders' chains: the anchors, no CRL */
	unsigned char *resp = NULL;
	long		resplen = 0;
	X509	   *inter = NULL;

	if (argc < 5 || argc > 7 || (argc == 7 && strcmp(mode, "ocsp") != 0) || (argc == 6 && strcmp(mode, "ts") != 0))
	{
		fprintf(stderr, "usage: %s PKI_DIR SIGNATURE CONTENT SECONDS [ts | ocsp FILE]\n", argv[0]);
		return 2;
	}
	if (argc == 7)
		resp = slurp(NULL, argv[6], &resplen);
	seconds = atof(argv[4]);
	for (int i = 0; i < 2; i++)
	{
		long		len;
		const char *names[] = {"root.crt.der", "inter.crt.der"};
		unsigned char *der = slurp(dir, names[i], &len);
		const unsigned char *p = der;
		X509	   *x = d2i_X509(NULL, &p, len);

		X509_STORE_add_cert(store, x);
		X509_STORE_add_cert(ostore, x);
		if (i == 0)
			X509_STORE_add_cert(tsa_store, x);
		else
			inter = X509_dup(x);
		X509_free(x);
		free(der);
	}
	X509_STORE_set_flags(tsa_store, X509_V_FLAG_PARTIAL_CHAIN);
	X509_STORE_set_flags(ostore, X509_V_FLAG_PARTIAL_CHAIN);
	X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(ostore), (time_t) 1780272000);
	X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(tsa_store), (time_t) 1780272000);
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
			if (strcmp(mode, "ts") == 0 && check_ts(cms, tsa_store) != 1)
			{
				ERR_print_errors_fp(stderr);
				return 1;
			}
			if (strcmp(mode, "ocsp") == 0 && check_ocsp(cms, ostore, inter, resp, resplen) != 1)
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
