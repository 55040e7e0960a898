/*
 * sigcore.c
 *		CMS signature verification, certificate and CRL parsing with OpenSSL
 *		(API §5), free of PostgreSQL headers: signature.c wraps it for SQL,
 *		test/fuzz/signature_fuzz.c and bench/signature feed it directly.
 *
 * Rules of this file: every OpenSSL object is freed before a routine
 * returns, on every path; no routine longjmps or aborts; the OpenSSL error
 * queue is cleared on entry and drained on exit, because the backend's own
 * TLS connection shares the thread and would otherwise read our errors.
 *
 * Order of the checks of one signer (the first failure is its problem):
 *   malformed          the bytes are no DER CMS SignedData, a detached
 *                      signature came without content, or `at` is unusable
 *   bad_signature      the signer's signature (over the signed attributes and
 *                      the content digest) does not verify, or the content
 *                      given differs from the embedded content
 *   untrusted          the signer's certificate is missing, or no chain from it
 *                      reaches a trust anchor (any other chain error too)
 *   expired            a certificate of the chain ended before `at`
 *   not_yet_valid      a certificate of the chain starts after `at`
 *   revoked            the issuer's current CRL lists the signer's certificate
 *   revocation_unknown no verified CRL of the issuer, or `at` is past its next update
 *   key_usage          the signer's keyUsage has neither digitalSignature nor
 *                      nonRepudiation
 * Integrity comes first (a broken signature says nothing about who signed),
 * then trust (the dates of an untrusted certificate mean nothing), then time,
 * revocation and the intended use.  Signers are checked in the order of the
 * SignerInfos; the first signer with a problem is reported, else the first.
 *
 * Speed: the store verifies each CRL's signature once, when it is added, and
 * checks revocation itself against those CRLs (OpenSSL's CRL_CHECK would
 * verify the CRL again on every call).  The certificates of verified
 * signatures are kept in the store, keyed by their DER: sig_verify lifts the
 * certificates out of the SignedData (a plain DER walk), decodes the rest,
 * and takes from the cache the decoded certificate with its fields and what
 * its chain gave without regard to time (anchor, validity window, CRL
 * verdict).  Each call still checks the signer's signature over the content
 * and compares `at` with the window.  Anything that is not plain DER of the
 * usual shape takes the plain path (whole CMS decoded, full
 * X509_verify_cert), as does a chain that needs the intermediates of that
 * one CMS.
 *
 * Memory (security issue #13): nothing of a CMS is kept before it is
 * verified.  A certificate the cache does not hold is decoded for this call
 * only, and kept when the call ends only if a signer's signature of that CMS
 * verified (with it, or with another certificate when it is an intermediate)
 * and it chains to a trust anchor by the store's certificates alone (so a
 * role cannot fill the cache with certificates of its own making).
 * The cache holds at most CACHE_MAX certificates and sig_cache_max_bytes
 * bytes (an estimate of the decoded certificate, its DER and its entry);
 * the oldest go first.
 */
#include "sigcore.h"
#include "sha256.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/ocsp.h>
#include <openssl/pkcs7.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

bool		sig_ascii_names = false;

/* The roles of a legal entity's certificate (1.2.398.3.3.4.1.2 and below). */
#define SIG_ROLES_LEGAL (SIG_ROLE_LEGAL_ENTITY | SIG_ROLE_FIRST_HEAD | SIG_ROLE_MAY_SIGN | \
						 SIG_ROLE_MAY_SIGN_FINANCIAL | SIG_ROLE_HR | SIG_ROLE_EMPLOYEE)

#define OCSP_CACHE_MAX		32	/* verified OCSP responses and tokens kept per store */
#define OCSP_CACHE_DER_MAX	16384	/* larger ones are verified every time */

struct SigStore
{
	X509_STORE *store;			/* anchors, PARTIAL_CHAIN; no CRLs (checked here) */
	X509_STORE *tsa_store;		/* anchors marked for time stamping, PARTIAL_CHAIN */
	int			ntsa;
	STACK_OF(X509) *anchors;	/* the same certificates, for signer and CRL lookup */
	X509_CRL  **best_crl;		/* per anchor: its CRL with the latest thisUpdate */
	int64_t    *best_next;		/* that CRL's nextUpdate, INT64_MAX when absent */
	int64_t    *best_this;		/* that CRL's thisUpdate */
	int			cap;
	STACK_OF(X509_CRL) *crls;	/* every kept CRL, for freeing */
	struct CertEntry **cache;	/* certificates of verified signatures, oldest first */
	int			ncache;
	int			capcache;
	size_t		cache_bytes;	/* sum of the entries' cost */
	/*
	 * OCSP responses (signature, responder's authority) and RFC 3161 tokens
	 * (signature, TSA chain at genTime) that verified: DER copies, the first
	 * byte of each the kind.  What depends on the call (freshness at `at`,
	 * the imprint) is checked every time.
	 */
	unsigned char *blob_der[OCSP_CACHE_MAX];
	size_t		blob_len[OCSP_CACHE_MAX];
	int			blob_next;		/* the slot to fill next (round robin) */
};

/*
 * Revocation of one certificate of a chain (issue #17: every link, the CA
 * certificates too, up through the anchors to a self-signed one or to the
 * last anchor whose issuer is not in the store), as its issuer's current
 * CRL says it, independent of `at`.
 */
#define CHAIN_LINKS_MAX 8

typedef struct LinkRev
{
	int			depth;			/* 0 the signer, 1 its issuer, ... */
	bool		has_crl;		/* the issuer is an anchor with a CRL */
	bool		listed;			/* that CRL lists the certificate */
	int64_t		rev_date;		/* its revocationDate when listed */
	int64_t		next;			/* the CRL's nextUpdate, INT64_MAX when absent */
	bool		by_ocsp;		/* an OCSP response decided, not the CRL */
} LinkRev;

typedef struct ChainRev
{
	int			n;
	bool		too_long;		/* more links than CHAIN_LINKS_MAX: revocation unknown */
	LinkRev		link[CHAIN_LINKS_MAX];
} ChainRev;

/* The OCSP responses of one call: decoded up front, verified when one is needed. */
typedef struct OcspSet
{
	int			n;
	OCSP_BASICRESP *bs[SIG_OCSP_MAX];
	const unsigned char *der[SIG_OCSP_MAX];	/* the caller's bytes of each */
	size_t		len[SIG_OCSP_MAX];
	signed char verified[SIG_OCSP_MAX];	/* 0 not yet, 1 good, -1 not usable */
	STACK_OF(X509) *untrusted;	/* the CMS's certificates, for responders' chains */
	int64_t		at;				/* the checking time (a token's time when trusted) */
	bool		used;			/* a response decided a link */
} OcspSet;

/*
 * A certificate met in a signature, with what its checks found that does
 * not depend on `at`.  Decoding a certificate is most of the cost of a
 * verification in OpenSSL 3.0.  An entry lives for one call (cached = false:
 * der points into the caller's signature) or, once kept, in the cache until
 * it is evicted or the store is dropped (der is its own copy).
 */
typedef struct CertEntry
{
	uint64_t	hash;			/* FNV-1a of the DER */
	const unsigned char *der;
	size_t		len;
	X509	   *x;
	bool		cached;			/* in s->cache, which owns it */
	bool		keep;			/* its CMS verified and it chains to an anchor */
	size_t		cost;			/* bytes charged to the cache */
	bool		info_done;
	SigCertInfo info;
	bool		chain_done;		/* the fields below are set */
	bool		chain_ok;		/* chains to an anchor by the store's certificates alone */
	int64_t		chain_nb;		/* latest notBefore of the chain */
	int64_t		chain_na;		/* earliest notAfter of the chain */
	ChainRev	rev;			/* revocation of each link of the chain */
} CertEntry;

#define CACHE_MAX	1024		/* certificates kept at most; then the oldest go */

/* What one kept certificate is charged: its entry, its DER and the decoded X509 (about twice the DER, plus ~6 kB). */
#define ENTRY_COST(len)	(sizeof(CertEntry) + 3 * (len) + 6144)

size_t		sig_cache_max_bytes = 8 * 1024 * 1024;
#define CMS_CERTS_MAX 32		/* more certificates in one CMS: the plain path */

/* Chain errors collected by the verify callback. */
#define CHAIN_UNTRUSTED		0x01
#define CHAIN_EXPIRED		0x02
#define CHAIN_NOT_YET_VALID 0x04

/* ---------------------------------------------------------------- helpers */

static void
copy_cut(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	if (srclen >= dstlen)
	{
		/* cut at a character boundary: drop the last, possibly partial, one */
		srclen = dstlen - 1;
		while (srclen > 0 && ((unsigned char) src[srclen] & 0xC0) == 0x80)
			srclen--;
	}
	memcpy(dst, src, srclen);
	dst[srclen] = '\0';
}

/* Strict UTF-8 (no overlongs, surrogates or code points above U+10FFFF, no NUL). */
static bool
utf8_valid(const unsigned char *s, size_t len)
{
	size_t		i = 0;

	while (i < len)
	{
		unsigned char c = s[i];
		size_t		n;
		uint32_t	cp;

		if (c == 0)
			return false;
		if (c < 0x80)
		{
			i++;
			continue;
		}
		else if ((c & 0xE0) == 0xC0)
			n = 1, cp = c & 0x1F;
		else if ((c & 0xF0) == 0xE0)
			n = 2, cp = c & 0x0F;
		else if ((c & 0xF8) == 0xF0)
			n = 3, cp = c & 0x07;
		else
			return false;
		if (i + n >= len)
			return false;
		for (size_t k = 1; k <= n; k++)
		{
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
			cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += n + 1;
	}
	return true;
}

/* A name in RFC 2253 form, UTF-8; with \\-escapes for bytes if not valid UTF-8. */
static void
name_to_str(const X509_NAME *name, char *buf, size_t buflen)
{
	unsigned long flags = sig_ascii_names ? XN_FLAG_RFC2253 : XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB;
	BIO		   *bio;
	char	   *data;
	long		len;

	buf[0] = '\0';
	if (name == NULL)
		return;
	for (int pass = 0; pass < 2; pass++)
	{
		bio = BIO_new(BIO_s_mem());
		if (bio == NULL)
			return;
		if (X509_NAME_print_ex(bio, name, 0, flags) < 0)
		{
			BIO_free(bio);
			return;
		}
		len = BIO_get_mem_data(bio, &data);
		if (len < 0)
			len = 0;
		if (utf8_valid((const unsigned char *) data, (size_t) len) || pass == 1)
		{
			if (pass == 1 && !utf8_valid((const unsigned char *) data, (size_t) len))
				len = 0;
			copy_cut(buf, buflen, data, (size_t) len);
			BIO_free(bio);
			return;
		}
		BIO_free(bio);
		flags = XN_FLAG_RFC2253;	/* escape every byte above 127 */
	}
}

static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t		era;
	unsigned	yoe,
				doy,
				doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned) (y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t) doe - 719468;
}

static bool
asn1_time_to_unix(const ASN1_TIME *t, int64_t *out)
{
	struct tm	tm;

	if (t == NULL || !ASN1_TIME_to_tm(t, &tm))
		return false;
	*out = days_from_civil((int64_t) tm.tm_year + 1900, (unsigned) tm.tm_mon + 1,
						   (unsigned) tm.tm_mday) * 86400
		+ tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
	return true;
}

static void
hex_lower(const unsigned char *md, unsigned n, char *out)
{
	static const char hex[] = "0123456789abcdef";

	for (unsigned i = 0; i < n; i++)
	{
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[2 * n] = '\0';
}

/*
 * The SHA-256 fingerprint of a DER encoding (a certificate's or a CRL's, as
 * i2d writes it) as lower-case hex into out; out is left as it was when the
 * encoding or the digest fails; der (NULL when i2d failed) is freed.  SHA-256
 * from sha256.c, the extension's one: the fingerprint X509_digest gives.
 */
static void
fingerprint_der(unsigned char *der, int len, char *out)
{
	unsigned char md[SHA256_LEN];

	if (der != NULL && len > 0 && sha256_two(der, (size_t) len, NULL, 0, md))
		hex_lower(md, SHA256_LEN, out);
	OPENSSL_free(der);
}

static void
fingerprint_x509(X509 *x, char *out)
{
	unsigned char *der = NULL;
	int			len = i2d_X509(x, &der);

	fingerprint_der(der, len, out);
}

/* "IIN"/"BIN" followed by exactly 12 characters: copies the 12 into out. */
static bool
prefixed12(const ASN1_STRING *s, const char *prefix, char out[13])
{
	const unsigned char *d;

	if (s == NULL || ASN1_STRING_length(s) != 15)
		return false;
	d = ASN1_STRING_get0_data(s);
	if (memcmp(d, prefix, 3) != 0)
		return false;
	memcpy(out, d + 3, 12);
	out[12] = '\0';
	return true;
}

/*
 * Extended key usage: the NCA RK role OIDs under 1.2.398.3.3.4.1 and the
 * purposes, and from them with keyUsage the key's purpose.  An extension
 * that does not decode counts as absent (never an error: other CAs' profiles
 * are reported, not refused).
 */
static void
fill_purpose(X509 *x, SigCertInfo *info)
{
	static const struct
	{
		const char *oid;
		uint32_t	bit;
	}			roles[] = {
		{"1.2.398.3.3.4.1.1", SIG_ROLE_INDIVIDUAL},
		{"1.2.398.3.3.4.1.2", SIG_ROLE_LEGAL_ENTITY},
		{"1.2.398.3.3.4.1.2.1", SIG_ROLE_FIRST_HEAD},
		{"1.2.398.3.3.4.1.2.2", SIG_ROLE_MAY_SIGN},
		{"1.2.398.3.3.4.1.2.3", SIG_ROLE_MAY_SIGN_FINANCIAL},
		{"1.2.398.3.3.4.1.2.4", SIG_ROLE_HR},
		{"1.2.398.3.3.4.1.2.5", SIG_ROLE_EMPLOYEE},
	};
	EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(x, NID_ext_key_usage, NULL, NULL);

	if (eku != NULL)
	{
		info->has_eku = true;
		for (int i = 0; i < sk_ASN1_OBJECT_num(eku); i++)
		{
			const ASN1_OBJECT *o = sk_ASN1_OBJECT_value(eku, i);
			char		txt[80];
			int			nid = OBJ_obj2nid(o);
			int			len;

			if (nid == NID_email_protect)
				info->eku_email = true;
			else if (nid == NID_client_auth)
				info->eku_client = true;
			else if (nid == NID_time_stamp)
				info->eku_timestamp = true;
			else if (nid == NID_OCSP_sign)
				info->eku_ocsp = true;
			else if ((len = OBJ_obj2txt(txt, sizeof(txt), o, 1)) > 0 && (size_t) len < sizeof(txt))
			{
				for (size_t k = 0; k < sizeof(roles) / sizeof(roles[0]); k++)
					if (strcmp(txt, roles[k].oid) == 0)
						info->roles |= roles[k].bit;
			}
		}
		EXTENDED_KEY_USAGE_free(eku);
	}
	ERR_clear_error();
	if ((info->has_key_usage && (info->key_usage & SIG_KU_NON_REPUDIATION)) || info->eku_email)
		info->key_purpose = SIG_PURPOSE_SIGN;
	else if (info->eku_client ||
			 (info->has_key_usage && (info->key_usage & SIG_KU_DIGITAL_SIGNATURE) &&
			  (info->key_usage & SIG_KU_KEY_ENCIPHERMENT)))
		info->key_purpose = SIG_PURPOSE_AUTH;
	else
		info->key_purpose = SIG_PURPOSE_NONE;
}

static void
fill_info(X509 *x, SigCertInfo *info, bool fingerprint)
{
	const X509_NAME *subj = X509_get_subject_name(x);
	const ASN1_INTEGER *sn = X509_get0_serialNumber(x);
	BIGNUM	   *bn;
	int			i;
	uint32_t	flags;

	memset(info, 0, sizeof(*info));
	info->present = true;
	name_to_str(subj, info->subject, sizeof(info->subject));
	name_to_str(X509_get_issuer_name(x), info->issuer, sizeof(info->issuer));

	bn = sn ? ASN1_INTEGER_to_BN(sn, NULL) : NULL;
	if (bn != NULL)
	{
		char	   *hex = BN_bn2hex(bn);

		if (hex != NULL)
		{
			copy_cut(info->serial, sizeof(info->serial), hex, strlen(hex));
			OPENSSL_free(hex);
		}
		BN_free(bn);
	}

	/* by OID: 2.5.4.5 serialNumber and 2.5.4.11 organizationalUnitName */
	for (i = 0; subj != NULL && i < X509_NAME_entry_count(subj); i++)
	{
		const X509_NAME_ENTRY *e = X509_NAME_get_entry(subj, i);
		int			nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));
		const ASN1_STRING *v = X509_NAME_ENTRY_get_data(e);

		if (nid == NID_serialNumber && !info->has_iin)
			info->has_iin = prefixed12(v, "IIN", info->iin);
		else if (nid == NID_organizationalUnitName && !info->has_bin)
			info->has_bin = prefixed12(v, "BIN", info->bin);
	}

	info->has_validity = asn1_time_to_unix(X509_get0_notBefore(x), &info->not_before)
		&& asn1_time_to_unix(X509_get0_notAfter(x), &info->not_after);

	flags = X509_get_extension_flags(x);
	info->has_key_usage = (flags & EXFLAG_KUSAGE) != 0;
	info->key_usage = info->has_key_usage ? X509_get_key_usage(x) : 0;
	info->is_ca = X509_check_ca(x) == 1;
	fill_purpose(x, info);

	if (fingerprint)
		fingerprint_x509(x, info->fingerprint);
}

static void
set_detail(char *buf, size_t len, const char *what)
{
	unsigned long e = ERR_peek_last_error();

	if (e != 0)
	{
		char		reason[160];

		ERR_error_string_n(e, reason, sizeof(reason));
		snprintf(buf, len, "%s (%s)", what, reason);
	}
	else
		snprintf(buf, len, "%s", what);
}

/* ------------------------------------------------------------ trust store */

static void
entry_free(CertEntry *e)
{
	if (e == NULL)
		return;
	X509_free(e->x);
	if (e->cached)
		free((void *) e->der);
	free(e);
}

static void
cache_clear(SigStore *s)
{
	for (int i = 0; i < s->ncache; i++)
		entry_free(s->cache[i]);
	s->ncache = 0;
	s->cache_bytes = 0;
}

/* Evicts the oldest entries until `need` more bytes and one more entry fit (need = 0: until within bounds). */
static void
cache_trim(SigStore *s, size_t need, bool one_more)
{
	int			drop = 0;

	while (drop < s->ncache &&
		   (s->cache_bytes + need > sig_cache_max_bytes ||
			s->ncache - drop + (one_more ? 1 : 0) > CACHE_MAX))
	{
		s->cache_bytes -= s->cache[drop]->cost;
		entry_free(s->cache[drop]);
		drop++;
	}
	if (drop > 0)
	{
		memmove(s->cache, s->cache + drop, sizeof(CertEntry *) * (s->ncache - drop));
		s->ncache -= drop;
	}
}

SigStore *
sig_store_new(void)
{
	SigStore   *s = calloc(1, sizeof(SigStore));

	ERR_clear_error();
	if (s == NULL)
		return NULL;
	s->store = X509_STORE_new();
	s->tsa_store = X509_STORE_new();
	s->anchors = sk_X509_new_null();
	s->crls = sk_X509_CRL_new_null();
	if (s->store == NULL || s->tsa_store == NULL || s->anchors == NULL || s->crls == NULL ||
		!X509_STORE_set_flags(s->store, X509_V_FLAG_PARTIAL_CHAIN) ||
		!X509_STORE_set_flags(s->tsa_store, X509_V_FLAG_PARTIAL_CHAIN))
	{
		sig_store_free(s);
		ERR_clear_error();
		return NULL;
	}
	return s;
}

void
sig_store_free(SigStore *s)
{
	if (s == NULL)
		return;
	X509_STORE_free(s->store);
	X509_STORE_free(s->tsa_store);
	sk_X509_pop_free(s->anchors, X509_free);
	sk_X509_CRL_pop_free(s->crls, X509_CRL_free);
	free(s->best_crl);
	free(s->best_next);
	free(s->best_this);
	cache_clear(s);
	free(s->cache);
	for (int i = 0; i < OCSP_CACHE_MAX; i++)
		free(s->blob_der[i]);
	free(s);
	ERR_clear_error();
}

int
sig_store_count(const SigStore *s, int *ncrls)
{
	if (ncrls)
		*ncrls = s ? sk_X509_CRL_num(s->crls) : 0;
	return s ? sk_X509_num(s->anchors) : 0;
}

SigStatus
sig_store_add_cert(SigStore *s, const unsigned char *der, size_t len)
{
	return sig_store_add_cert_ex(s, der, len, false);
}

SigStatus
sig_store_add_cert_ex(SigStore *s, const unsigned char *der, size_t len, bool time_stamping)
{
	const unsigned char *p = der;
	X509	   *x;
	int			n;
	SigStatus	st = SIGST_OK;

	ERR_clear_error();
	if (len > LONG_MAX)
		return SIGST_GARBAGE;
	x = d2i_X509(NULL, &p, (long) len);
	if (x == NULL || p != der + len)
		st = SIGST_GARBAGE;
	else if (X509_check_ca(x) != 1)
		st = SIGST_NOT_CA;
	else
	{
		n = sk_X509_num(s->anchors);
		if (n >= s->cap)
		{
			int			cap = s->cap ? s->cap * 2 : 16;
			X509_CRL  **c = realloc(s->best_crl, sizeof(X509_CRL *) * cap);
			int64_t    *t;

			if (c == NULL)
				st = SIGST_NO_MEMORY;
			else
			{
				s->best_crl = c;
				t = realloc(s->best_next, sizeof(int64_t) * cap);
				if (t != NULL)
					s->best_next = t;
				t = t ? realloc(s->best_this, sizeof(int64_t) * cap) : NULL;
				if (t == NULL)
					st = SIGST_NO_MEMORY;
				else
				{
					s->best_this = t;
					s->cap = cap;
				}
			}
		}
		if (st == SIGST_OK && time_stamping)
		{
			if (X509_STORE_add_cert(s->tsa_store, x))
				s->ntsa++;
			else
				st = SIGST_NO_MEMORY;
		}
		if (st == SIGST_OK && X509_STORE_add_cert(s->store, x) && sk_X509_push(s->anchors, x) > 0)
		{
			s->best_crl[n] = NULL;
			s->best_next[n] = INT64_MAX;
			s->best_this[n] = INT64_MIN;
			x = NULL;			/* owned by anchors now */
		}
		else if (st == SIGST_OK)
			st = SIGST_NO_MEMORY;
	}
	X509_free(x);
	ERR_clear_error();
	return st;
}

SigStatus
sig_store_add_crl(SigStore *s, const unsigned char *der, size_t len, bool add,
				  SigCrlInfo *info, char *why, size_t whylen)
{
	const unsigned char *p = der;
	X509_CRL   *crl;
	SigCrlInfo	local;
	SigStatus	st = SIGST_NO_ISSUER;
	int			signer = -1;

	ERR_clear_error();
	if (info == NULL)
		info = &local;
	memset(info, 0, sizeof(*info));
	if (why && whylen)
		why[0] = '\0';
	if (len > LONG_MAX)
		return SIGST_GARBAGE;
	crl = d2i_X509_CRL(NULL, &p, (long) len);
	if (crl == NULL || p != der + len ||
		!asn1_time_to_unix(X509_CRL_get0_lastUpdate(crl), &info->this_update))
	{
		if (why)
			set_detail(why, whylen, crl == NULL ? "the bytes are not a DER X.509 CRL"
					   : p != der + len ? "bytes follow the end of the CRL"
					   : "the CRL has no readable thisUpdate");
		X509_CRL_free(crl);
		ERR_clear_error();
		return SIGST_GARBAGE;
	}
	name_to_str(X509_CRL_get_issuer(crl), info->issuer, sizeof(info->issuer));
	info->has_next_update = asn1_time_to_unix(X509_CRL_get0_nextUpdate(crl), &info->next_update);
	info->revoked_count = X509_CRL_get_REVOKED(crl) ? sk_X509_REVOKED_num(X509_CRL_get_REVOKED(crl)) : 0;
	{
		unsigned char *der = NULL;
		int			len = i2d_X509_CRL(crl, &der);

		fingerprint_der(der, len, info->fingerprint);
	}

	for (int i = 0; s != NULL && i < sk_X509_num(s->anchors); i++)
	{
		X509	   *a = sk_X509_value(s->anchors, i);
		EVP_PKEY   *k;

		if (X509_NAME_cmp(X509_get_subject_name(a), X509_CRL_get_issuer(crl)) != 0)
			continue;
		st = SIGST_BAD_CRL_SIGNATURE;
		if ((X509_get_extension_flags(a) & EXFLAG_KUSAGE) &&
			!(X509_get_key_usage(a) & KU_CRL_SIGN))
			continue;
		k = X509_get0_pubkey(a);
		if (k != NULL && X509_CRL_verify(crl, k) == 1)
		{
			signer = i;
			st = SIGST_OK;
			break;
		}
	}
	if (st == SIGST_OK)
	{
		X509	   *a = sk_X509_value(s->anchors, signer);

		fingerprint_x509(a, info->issuer_fingerprint);
		if (add)
		{
			if (sk_X509_CRL_push(s->crls, crl) <= 0)
				st = SIGST_NO_MEMORY;
			else
			{
				int64_t		next = info->has_next_update ? info->next_update : INT64_MAX;

				/* the current CRL: latest thisUpdate, then latest nextUpdate */
				if (s->best_crl[signer] == NULL || info->this_update > s->best_this[signer] ||
					(info->this_update == s->best_this[signer] && next > s->best_next[signer]))
				{
					s->best_crl[signer] = crl;
					s->best_next[signer] = next;
					s->best_this[signer] = info->this_update;
				}
				crl = NULL;		/* owned by the store now */
			}
		}
	}
	else if (why)
		snprintf(why, whylen, st == SIGST_NO_ISSUER
				 ? "No trusted certificate has the subject %s."
				 : "No trusted certificate named %s has the key that signed this CRL.",
				 info->issuer);
	X509_CRL_free(crl);
	ERR_clear_error();
	return st;
}

SigStatus
sig_cert_info(const unsigned char *der, size_t len, SigCertInfo *info, char *why, size_t whylen)
{
	const unsigned char *p = der;
	X509	   *x;

	ERR_clear_error();
	memset(info, 0, sizeof(*info));
	if (why && whylen)
		why[0] = '\0';
	if (len > LONG_MAX)
		return SIGST_GARBAGE;
	x = d2i_X509(NULL, &p, (long) len);
	if (x == NULL || p != der + len)
	{
		if (why)
			set_detail(why, whylen, x == NULL ? "the bytes are not a DER X.509 certificate"
					   : "bytes follow the end of the certificate");
		X509_free(x);
		ERR_clear_error();
		return SIGST_GARBAGE;
	}
	fill_info(x, info, true);
	X509_free(x);
	ERR_clear_error();
	return SIGST_OK;
}

/* ------------------------------------------------------------ verification */

static int
verify_cb(int ok, X509_STORE_CTX *ctx)
{
	if (!ok)
	{
		unsigned   *bits = X509_STORE_CTX_get_app_data(ctx);

		switch (X509_STORE_CTX_get_error(ctx))
		{
			case X509_V_ERR_CERT_HAS_EXPIRED:
				*bits |= CHAIN_EXPIRED;
				break;
			case X509_V_ERR_CERT_NOT_YET_VALID:
				*bits |= CHAIN_NOT_YET_VALID;
				break;
			default:
				*bits |= CHAIN_UNTRUSTED;
				break;
		}
	}
	return 1;					/* go on: collect every error, rank them after */
}

/* Index of the anchor that is (or has the name and key of) cert, or -1. */
static int
anchor_of(SigStore *s, X509 *cert)
{
	int			n = sk_X509_num(s->anchors);

	for (int i = 0; i < n; i++)
		if (X509_cmp(sk_X509_value(s->anchors, i), cert) == 0)
			return i;
	for (int i = 0; i < n; i++)
	{
		X509	   *a = sk_X509_value(s->anchors, i);

		if (X509_NAME_cmp(X509_get_subject_name(a), X509_get_subject_name(cert)) == 0 &&
			EVP_PKEY_eq(X509_get0_pubkey(a), X509_get0_pubkey(cert)) == 1)
			return i;
	}
	return -1;
}

/* Seconds since 1970 of a GeneralizedTime, or fallback when absent or unreadable. */
static int64_t
gtime_or(const ASN1_GENERALIZEDTIME *t, int64_t fallback)
{
	int64_t		v;

	return t != NULL && asn1_time_to_unix(t, &v) ? v : fallback;
}

/* Whether these bytes of this kind verified before against the store. */
static bool
blob_known(SigStore *s, char kind, const unsigned char *der, size_t len)
{
	for (int k = 0; k < OCSP_CACHE_MAX; k++)
		if (s->blob_der[k] != NULL && s->blob_len[k] == len + 1 && s->blob_der[k][0] == (unsigned char) kind &&
			memcmp(s->blob_der[k] + 1, der, len) == 0)
			return true;
	return false;
}

/*
 * Remembers bytes that verified: only once they did, so no caller can fill
 * the store with bytes of its own making (at most OCSP_CACHE_MAX of
 * OCSP_CACHE_DER_MAX bytes; the oldest go first).
 */
static void
blob_keep(SigStore *s, char kind, const unsigned char *der, size_t len)
{
	unsigned char *copy;

	if (len > OCSP_CACHE_DER_MAX || blob_known(s, kind, der, len) || (copy = malloc(len + 1)) == NULL)
		return;
	copy[0] = (unsigned char) kind;
	memcpy(copy + 1, der, len);
	free(s->blob_der[s->blob_next]);
	s->blob_der[s->blob_next] = copy;
	s->blob_len[s->blob_next] = len + 1;
	s->blob_next = (s->blob_next + 1) % OCSP_CACHE_MAX;
}

/* Whether response i of the set verifies and its responder may speak for its CertIDs' issuer. */
static bool
ocsp_verified(SigStore *s, OcspSet *os, int i)
{
	if (os->verified[i] == 0)
	{
		X509_VERIFY_PARAM *pm = X509_STORE_get0_param(s->store);
		int64_t		produced = gtime_or(OCSP_resp_get0_produced_at(os->bs[i]), INT64_MIN);

		/* the same bytes verified before against this store (the store is rebuilt on any change) */
		if (blob_known(s, 'O', os->der[i], os->len[i]))
		{
			os->verified[i] = 1;
			return true;
		}
		os->verified[i] = -1;
		if (produced != INT64_MIN)
		{
			/* the responder's chain at producedAt; the store's own time is cleared after */
			X509_VERIFY_PARAM_set_time(pm, (time_t) produced);
			if (OCSP_basic_verify(os->bs[i], os->untrusted, s->store, 0) == 1)
				os->verified[i] = 1;
			X509_VERIFY_PARAM_clear_flags(pm, X509_V_FLAG_USE_CHECK_TIME);
		}
		ERR_clear_error();
		if (os->verified[i] == 1)
			blob_keep(s, 'O', os->der[i], os->len[i]);
	}
	return os->verified[i] == 1;
}

/*
 * What a verified, fresh OCSP response of the set says of cert (issued by
 * issuer): true and the link filled when one speaks of it with good or
 * revoked; false when none does (the CRL decides).
 */
static bool
ocsp_link(SigStore *s, OcspSet *os, X509 *cert, X509 *issuer, LinkRev *l)
{
	for (int i = 0; os != NULL && issuer != NULL && i < os->n; i++)
	{
		OCSP_BASICRESP *bs = os->bs[i];

		for (int k = 0; k < OCSP_resp_count(bs); k++)
		{
			OCSP_SINGLERESP *sr = OCSP_resp_get0(bs, k);
			const OCSP_CERTID *rid = sr ? OCSP_SINGLERESP_get0_id(sr) : NULL;
			ASN1_OBJECT *mdobj = NULL;
			const EVP_MD *md;
			OCSP_CERTID *id;
			int			status,
						reason;
			ASN1_GENERALIZEDTIME *revtime = NULL,
					   *thisupd = NULL,
					   *nextupd = NULL;
			bool		same;
			int64_t		thisu,
						next;

			if (rid == NULL || !OCSP_id_get0_info(NULL, &mdobj, NULL, NULL, (OCSP_CERTID *) rid) ||
				(md = EVP_get_digestbyobj(mdobj)) == NULL ||
				(id = OCSP_cert_to_id(md, cert, issuer)) == NULL)
				continue;
			same = OCSP_id_cmp(id, rid) == 0;
			OCSP_CERTID_free(id);
			if (!same)
				continue;
			status = OCSP_single_get0_status(sr, &reason, &revtime, &thisupd, &nextupd);
			if ((status != V_OCSP_CERTSTATUS_GOOD && status != V_OCSP_CERTSTATUS_REVOKED) ||
				!ocsp_verified(s, os, i))
				continue;
			thisu = gtime_or(thisupd, INT64_MIN);
			if (thisu == INT64_MIN)
				continue;
			next = gtime_or(nextupd, thisu > INT64_MAX - 86400 ? INT64_MAX : thisu + 86400);
			if (os->at > next)
				continue;		/* stale at the checking time */
			l->has_crl = true;
			l->by_ocsp = true;
			l->next = next;
			l->listed = status == V_OCSP_CERTSTATUS_REVOKED;
			l->rev_date = l->listed ? gtime_or(revtime, INT64_MIN) : 0;
			os->used = true;
			return true;
		}
	}
	return false;
}

/* One link: cert as the CRL of anchor a (or -1, not an anchor) says it, or an OCSP response of os. */
static void
link_rev(SigStore *s, ChainRev *cr, int depth, X509 *cert, int a, X509 *issuer, OcspSet *os)
{
	LinkRev    *l;

	if (cr->n >= CHAIN_LINKS_MAX)
	{
		cr->too_long = true;
		return;
	}
	l = &cr->link[cr->n++];
	memset(l, 0, sizeof(*l));
	l->depth = depth;
	l->next = INT64_MAX;
	if (os != NULL && ocsp_link(s, os, cert, issuer, l))
		return;
	if (a < 0 || s->best_crl[a] == NULL)
		return;
	l->has_crl = true;
	l->next = s->best_next[a];
	{
		X509_REVOKED *rev = NULL;

		if (X509_CRL_get0_by_cert(s->best_crl[a], &rev, cert) == 1)
		{
			l->listed = true;
			if (rev == NULL || !asn1_time_to_unix(X509_REVOKED_get0_revocationDate(rev), &l->rev_date))
				l->rev_date = INT64_MIN;
		}
	}
}

/* The anchor other than cert that issued cert (name and signature), or -1. */
static int
anchor_issuer(SigStore *s, X509 *cert)
{
	int			n = sk_X509_num(s->anchors);

	for (int i = 0; i < n; i++)
	{
		X509	   *a = sk_X509_value(s->anchors, i);
		EVP_PKEY   *k;

		if (X509_cmp(a, cert) == 0 || X509_check_issued(a, cert) != X509_V_OK)
			continue;
		k = X509_get0_pubkey(a);
		if (k != NULL && X509_verify(cert, k) == 1)
			return i;
	}
	ERR_clear_error();
	return -1;
}

/*
 * The revocation links of a verified chain (chain[0] the signer, the last an
 * anchor): each certificate against its issuer's CRL, then the anchor
 * against the CRL of the anchor that issued it, and so on up to a
 * self-issued anchor or one whose issuer the store does not hold.
 */
static void
chain_rev(SigStore *s, STACK_OF(X509) *chain, ChainRev *cr, OcspSet *os)
{
	int			n = chain ? sk_X509_num(chain) : 0;
	int			depth;
	X509	   *top;

	memset(cr, 0, sizeof(*cr));
	if (n == 0)
		return;
	for (depth = 0; depth + 1 < n; depth++)
		link_rev(s, cr, depth, sk_X509_value(chain, depth), anchor_of(s, sk_X509_value(chain, depth + 1)),
				 sk_X509_value(chain, depth + 1), os);
	top = sk_X509_value(chain, n - 1);
	while (!cr->too_long && X509_check_issued(top, top) != X509_V_OK)
	{
		int			a = anchor_issuer(s, top);

		if (a < 0)
			break;
		link_rev(s, cr, depth, top, a, sk_X509_value(s->anchors, a), os);
		top = sk_X509_value(s->anchors, a);
		depth++;
	}
	/* an anchor that signed itself: no CRL speaks of it */
	if (cr->n == 0)
		link_rev(s, cr, 0, top, -1, NULL, NULL);
	ERR_clear_error();
}

/*
 * The verdict of the links at `at`: revoked when a current CRL lists a
 * certificate of the chain (with a trusted time, only if revoked at or
 * before it: a certificate revoked later was good when it signed); else
 * revocation_unknown when a link has no CRL, or `at` is past its next
 * update; else OK.
 */
static SigProblem
chain_rev_verdict(const ChainRev *cr, int64_t at, bool trusted_time, SigRevSource *src,
				  char *detail, size_t dlen)
{
	const LinkRev *unknown = NULL;

	/* what decided: the revoked link's source, else the signer's */
	*src = cr->n > 0 && cr->link[0].by_ocsp ? SIG_REV_OCSP : SIG_REV_CRL;

	if (cr->too_long)
	{
		snprintf(detail, dlen, "the chain is longer than %d certificates", CHAIN_LINKS_MAX);
		*src = SIG_REV_NONE;
		return SIG_REVOCATION_UNKNOWN;
	}
	for (int i = 0; i < cr->n; i++)
	{
		const LinkRev *l = &cr->link[i];
		bool		stale = !l->has_crl || at > l->next;

		if (l->listed && !stale && (!trusted_time || l->rev_date <= at))
		{
			*src = l->by_ocsp ? SIG_REV_OCSP : SIG_REV_CRL;
			if (l->depth == 0)
				snprintf(detail, dlen, "the issuer's CRL lists the signer's certificate");
			else
				snprintf(detail, dlen, "a CA certificate of the chain (depth %d) is listed in its issuer's CRL", l->depth);
			return SIG_REVOKED;
		}
		if (stale && unknown == NULL)
			unknown = l;
	}
	if (unknown != NULL)
	{
		*src = SIG_REV_NONE;
		if (!unknown->has_crl)
			snprintf(detail, dlen, unknown->depth == 0 ? "no CRL of the signer's issuer is in the trust store"
					 : "no CRL of the issuer of a CA certificate of the chain (depth %d) is in the trust store",
					 unknown->depth);
		else
			snprintf(detail, dlen, unknown->depth == 0 ? "the issuer's latest CRL is past its next update"
					 : "the latest CRL of the issuer of a CA certificate of the chain (depth %d) is past its next update",
					 unknown->depth);
		return SIG_REVOCATION_UNKNOWN;
	}
	return SIG_OK;
}

static SigProblem
check_chain(SigStore *s, X509 *signer, STACK_OF(X509) *untrusted, int64_t at, bool trusted_time,
			OcspSet *os, SigRevSource *src, char *detail, size_t dlen)
{
	X509_STORE_CTX *ctx;
	unsigned	bits = 0;
	SigProblem	pr = SIG_OK;
	STACK_OF(X509) *chain;

	*src = SIG_REV_NONE;
	if (s == NULL || sk_X509_num(s->anchors) == 0)
	{
		snprintf(detail, dlen, "the trust store is empty");
		return SIG_UNTRUSTED;
	}
	ctx = X509_STORE_CTX_new();
	if (ctx == NULL || !X509_STORE_CTX_init(ctx, s->store, signer, untrusted))
	{
		X509_STORE_CTX_free(ctx);
		set_detail(detail, dlen, "the chain could not be checked");
		return SIG_UNTRUSTED;
	}
	X509_STORE_CTX_set_time(ctx, 0, (time_t) at);
	X509_STORE_CTX_set_verify_cb(ctx, verify_cb);
	X509_STORE_CTX_set_app_data(ctx, &bits);
	if (X509_verify_cert(ctx) <= 0)
		bits |= CHAIN_UNTRUSTED;

	if (bits & CHAIN_UNTRUSTED)
	{
		int			err = X509_STORE_CTX_get_error(ctx);

		snprintf(detail, dlen, "no chain to a trusted certificate (%s)",
				 err ? X509_verify_cert_error_string(err) : "verification failed");
		pr = SIG_UNTRUSTED;
	}
	else if (bits & CHAIN_EXPIRED)
	{
		snprintf(detail, dlen, "a certificate of the chain had expired at the given time");
		pr = SIG_EXPIRED;
	}
	else if (bits & CHAIN_NOT_YET_VALID)
	{
		snprintf(detail, dlen, "a certificate of the chain was not yet valid at the given time");
		pr = SIG_NOT_YET_VALID;
	}
	else
	{
		/* Revocation of every link; each CRL's signature was verified once. */
		ChainRev	cr;

		chain = X509_STORE_CTX_get0_chain(ctx);
		if (os != NULL)
			os->at = at;
		chain_rev(s, chain, &cr, os);
		pr = chain_rev_verdict(&cr, at, trusted_time, src, detail, dlen);
	}
	X509_STORE_CTX_free(ctx);
	return pr;
}

/* ------------------------------------------------------------ DER walking */

/*
 * Header of the DER element at p: single-byte tag, definite length.  Returns
 * the header's size and sets *tag and *len (of the contents), or 0 when the
 * element is not plain DER or does not fit before end.
 */
static size_t
der_hdr(const unsigned char *p, const unsigned char *end, unsigned *tag, size_t *len)
{
	size_t		h,
				n;

	if (end - p < 2 || (p[0] & 0x1F) == 0x1F)
		return 0;
	*tag = p[0];
	if (p[1] < 0x80)
	{
		n = p[1];
		h = 2;
	}
	else
	{
		unsigned	k = p[1] & 0x7F;

		if (k == 0 || k > 4 || (size_t) (end - p) < 2 + k)
			return 0;
		n = 0;
		for (unsigned i = 0; i < k; i++)
			n = (n << 8) | p[2 + i];
		h = 2 + k;
	}
	if ((size_t) (end - p) - h < n)
		return 0;
	*len = n;
	return h;
}

/* Writes a DER header for tag and len at out (NULL: only measures). */
static size_t
der_put_hdr(unsigned char *out, unsigned tag, size_t len)
{
	unsigned char b[6];
	size_t		n = 0;

	b[n++] = (unsigned char) tag;
	if (len < 0x80)
		b[n++] = (unsigned char) len;
	else
	{
		int			k = len > 0xFFFFFF ? 4 : len > 0xFFFF ? 3 : len > 0xFF ? 2 : 1;

		b[n++] = (unsigned char) (0x80 | k);
		for (int i = k - 1; i >= 0; i--)
			b[n++] = (unsigned char) (len >> (8 * i));
	}
	if (out)
		memcpy(out, b, n);
	return n;
}

static uint64_t
fnv1a(const unsigned char *p, size_t n)
{
	uint64_t	h = 1469598103934665603ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

/* The cached certificate with this DER, or NULL. */
static CertEntry *
cache_find(SigStore *s, const unsigned char *der, size_t len, uint64_t h)
{
	for (int i = 0; i < s->ncache; i++)
	{
		CertEntry  *e = s->cache[i];

		if (e->hash == h && e->len == len && memcmp(e->der, der, len) == 0)
			return e;
	}
	return NULL;
}

/*
 * The certificate with this DER: the cached entry, or a new entry for this
 * call only (der is not copied: it must outlive the entry); NULL if it does
 * not decode.
 */
static CertEntry *
cert_entry(SigStore *s, const unsigned char *der, size_t len)
{
	uint64_t	h = fnv1a(der, len);
	const unsigned char *p = der;
	CertEntry  *e = cache_find(s, der, len, h);
	X509	   *x;

	if (e != NULL)
		return e;
	x = d2i_X509(NULL, &p, (long) len);
	if (x == NULL || p != der + len || (e = calloc(1, sizeof(CertEntry))) == NULL)
	{
		X509_free(x);
		return NULL;
	}
	e->der = der;
	e->len = len;
	e->hash = h;
	e->x = x;
	return e;
}

/*
 * Ends a call's use of an entry: a new entry marked keep goes into the cache
 * (its DER copied, the oldest entries evicted to make room), any other new
 * entry is freed.  Cached entries stay.
 */
static void
cert_entry_done(SigStore *s, CertEntry *e)
{
	size_t		cost;
	unsigned char *copy;

	if (e == NULL || e->cached)
		return;
	cost = ENTRY_COST(e->len);
	if (!e->keep || cost > sig_cache_max_bytes || cache_find(s, e->der, e->len, e->hash) != NULL)
	{
		entry_free(e);
		return;
	}
	cache_trim(s, cost, true);
	if (s->ncache >= s->capcache)
	{
		int			cap = s->capcache ? s->capcache * 2 : 64;
		CertEntry **c = realloc(s->cache, sizeof(CertEntry *) * cap);

		if (c == NULL)
		{
			entry_free(e);
			return;
		}
		s->cache = c;
		s->capcache = cap;
	}
	if ((copy = malloc(e->len)) == NULL)
	{
		entry_free(e);
		return;
	}
	memcpy(copy, e->der, e->len);
	e->der = copy;
	e->cached = true;
	e->cost = cost;
	s->cache[s->ncache++] = e;
	s->cache_bytes += cost;
}

/*
 * Ends the call's use of its entries; *nents becomes 0.  Keeping one entry
 * may evict a cached entry that ents also names, so the flags of every entry
 * are read before anything is kept: first the new entries not kept are
 * freed, then the others are kept (each touched once, before a later one
 * could evict it).
 */
static void
entries_done(SigStore *s, CertEntry **ents, int *nents)
{
	CertEntry  *keep[CMS_CERTS_MAX];
	int			nkeep = 0;

	for (int i = 0; i < *nents; i++)
	{
		if (ents[i]->cached)
			continue;
		if (ents[i]->keep && nkeep < CMS_CERTS_MAX)
			keep[nkeep++] = ents[i];
		else
			entry_free(ents[i]);
	}
	for (int i = 0; i < nkeep; i++)
		cert_entry_done(s, keep[i]);
	*nents = 0;
}

/*
 * The certificates of a DER CMS SignedData, taken from the cache or decoded
 * for this call (cert_entry), and a copy of the CMS without them (so that
 * decoding it decodes no certificate).  Returns false, with nothing
 * allocated, when the bytes are not plain DER of that shape: the caller then
 * decodes the whole CMS as usual.
 */
static bool
strip_certs(SigStore *s, const unsigned char *sig, size_t sig_len,
			unsigned char **stripped, size_t *stripped_len, CertEntry **ents, int *nents)
{
	static const unsigned char oid_signed[] = {0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02};
	const unsigned char *end = sig + sig_len;
	const unsigned char *p,
			   *sd,
			   *sd_end,
			   *certs = NULL;
	size_t		h,
				len,
				certs_total = 0,
				sd_len,
				l3,
				l2,
				l1;
	unsigned	tag;
	unsigned char *out,
			   *q;

	*nents = 0;
	/* ContentInfo ::= SEQUENCE { contentType, [0] EXPLICIT SignedData } */
	if ((h = der_hdr(sig, end, &tag, &len)) == 0 || tag != 0x30 || h + len != sig_len)
		return false;
	p = sig + h;
	if ((size_t) (end - p) < sizeof(oid_signed) || memcmp(p, oid_signed, sizeof(oid_signed)) != 0)
		return false;
	p += sizeof(oid_signed);
	if ((h = der_hdr(p, end, &tag, &len)) == 0 || tag != 0xA0 || p + h + len != end)
		return false;
	p += h;
	if ((h = der_hdr(p, end, &tag, &sd_len)) == 0 || tag != 0x30 || p + h + sd_len != end)
		return false;
	sd = p + h;
	sd_end = sd + sd_len;
	/* SignedData: version, digestAlgorithms, encapContentInfo, [0] certificates, ... */
	for (p = sd; p < sd_end; p += h + len)
	{
		if ((h = der_hdr(p, sd_end, &tag, &len)) == 0)
			return false;
		if (tag == 0xA0)
		{
			certs = p;
			certs_total = h + len;
			break;
		}
	}
	if (certs == NULL)
		return false;
	for (p = certs + h; p < certs + certs_total; p += h + len)
	{
		if ((h = der_hdr(p, certs + certs_total, &tag, &len)) == 0 || tag != 0x30 ||
			*nents >= CMS_CERTS_MAX ||
			(ents[*nents] = cert_entry(s, p, h + len)) == NULL)
		{
			entries_done(s, ents, nents);
			return false;
		}
		(*nents)++;
	}
	l3 = sd_len - certs_total;
	l2 = der_put_hdr(NULL, 0x30, l3) + l3;
	l1 = sizeof(oid_signed) + der_put_hdr(NULL, 0xA0, l2) + l2;
	*stripped_len = der_put_hdr(NULL, 0x30, l1) + l1;
	out = q = malloc(*stripped_len);
	if (out == NULL)
	{
		entries_done(s, ents, nents);
		return false;
	}
	q += der_put_hdr(q, 0x30, l1);
	memcpy(q, oid_signed, sizeof(oid_signed));
	q += sizeof(oid_signed);
	q += der_put_hdr(q, 0xA0, l2);
	q += der_put_hdr(q, 0x30, l3);
	memcpy(q, sd, certs - sd);
	q += certs - sd;
	memcpy(q, certs + certs_total, sd_end - (certs + certs_total));
	*stripped = out;
	return true;
}

/* What of a cached certificate's chain does not depend on `at`: found once. */
static void
memo_chain(SigStore *s, CertEntry *e)
{
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	unsigned	bits = 0;

	e->chain_done = true;
	e->chain_ok = false;
	memset(&e->rev, 0, sizeof(e->rev));
	if (ctx == NULL || !X509_STORE_CTX_init(ctx, s->store, e->x, NULL))
	{
		X509_STORE_CTX_free(ctx);
		return;
	}
	X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_NO_CHECK_TIME);
	X509_STORE_CTX_set_verify_cb(ctx, verify_cb);
	X509_STORE_CTX_set_app_data(ctx, &bits);
	if (X509_verify_cert(ctx) > 0 && bits == 0)
	{
		STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(ctx);
		int			n = chain ? sk_X509_num(chain) : 0;

		e->chain_ok = n > 0;
		e->chain_nb = INT64_MIN;
		e->chain_na = INT64_MAX;
		for (int i = 0; i < n && e->chain_ok; i++)
		{
			X509	   *c = sk_X509_value(chain, i);
			int64_t		nb,
						na;

			if (!asn1_time_to_unix(X509_get0_notBefore(c), &nb) ||
				!asn1_time_to_unix(X509_get0_notAfter(c), &na))
				e->chain_ok = false;
			else
			{
				if (nb > e->chain_nb)
					e->chain_nb = nb;
				if (na < e->chain_na)
					e->chain_na = na;
			}
		}
		if (e->chain_ok)
			chain_rev(s, chain, &e->rev, NULL);
	}
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
}

/* check_chain from the memo of a cached certificate: no public-key operation. */
static SigProblem
check_chain_cached(SigStore *s, CertEntry *e, STACK_OF(X509) *untrusted, int64_t at,
				   bool trusted_time, SigRevSource *src, char *detail, size_t dlen)
{
	if (!e->chain_done)
		memo_chain(s, e);
	if (!e->chain_ok)
		return check_chain(s, e->x, untrusted, at, trusted_time, NULL, src, detail, dlen);	/* needs the CMS's certificates */
	if (at > e->chain_na)
	{
		snprintf(detail, dlen, "a certificate of the chain had expired at the given time");
		return SIG_EXPIRED;
	}
	if (at < e->chain_nb)
	{
		snprintf(detail, dlen, "a certificate of the chain was not yet valid at the given time");
		return SIG_NOT_YET_VALID;
	}
	return chain_rev_verdict(&e->rev, at, trusted_time, src, detail, dlen);
}

/*
 * The RFC 3161 token of a signer (unsigned attribute id-aa-signatureTimeStampToken,
 * 1.2.840.113549.1.9.16.2.14): 0 when there is none, 1 when it verifies (its
 * genTime in *gen), -1 when it does not (why in detail).  It verifies when:
 * it is one DER ContentInfo SignedData of a TSTInfo; its message imprint is
 * the hash, by the token's own algorithm, of the signer's signature value;
 * its signature verifies with the TSA certificate it names (ESS signing
 * certificate), whose chain reaches an anchor marked for time stamping and
 * whose extended key usage is timeStamping only, critical (OpenSSL's
 * timestamp purpose), all at genTime.
 */
static int
timestamp_check(SigStore *s, CMS_SignerInfo *si, int64_t *gen, char *detail, size_t dlen)
{
	int			idx = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -1);
	X509_ATTRIBUTE *attr;
	ASN1_TYPE  *t;
	const unsigned char *p;
	long		len;
	PKCS7	   *tok = NULL;
	TS_TST_INFO *tst = NULL;
	TS_VERIFY_CTX *vctx = NULL;
	int			rc = -1;

	if (idx < 0)
		return 0;
	if (CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, idx) >= 0)
	{
		snprintf(detail, dlen, "more than one timestamp token attribute");
		return -1;
	}
	attr = CMS_unsigned_get_attr(si, idx);
	t = attr != NULL && X509_ATTRIBUTE_count(attr) == 1 ? X509_ATTRIBUTE_get0_type(attr, 0) : NULL;
	if (t == NULL || t->type != V_ASN1_SEQUENCE || t->value.sequence == NULL)
	{
		snprintf(detail, dlen, "the timestamp token attribute does not hold one token");
		return -1;
	}
	p = ASN1_STRING_get0_data(t->value.sequence);
	len = ASN1_STRING_length(t->value.sequence);
	tok = d2i_PKCS7(NULL, &p, len);
	if (tok == NULL || p != ASN1_STRING_get0_data(t->value.sequence) + len ||
		(tst = PKCS7_to_TS_TST_INFO(tok)) == NULL)
	{
		set_detail(detail, dlen, "the timestamp token is not a DER TimeStampToken");
		goto done;
	}
	if (!asn1_time_to_unix(TS_TST_INFO_get_time(tst), gen))
	{
		snprintf(detail, dlen, "the timestamp token's genTime is unreadable");
		goto done;
	}
	{
		/* the imprint: the token's hash of the signature value */
		TS_MSG_IMPRINT *mi = TS_TST_INFO_get_msg_imprint(tst);
		X509_ALGOR *alg = mi ? TS_MSG_IMPRINT_get_algo(mi) : NULL;
		ASN1_OCTET_STRING *want = mi ? TS_MSG_IMPRINT_get_msg(mi) : NULL;
		const EVP_MD *md = alg ? EVP_get_digestbyobj(alg->algorithm) : NULL;
		ASN1_OCTET_STRING *sigv = CMS_SignerInfo_get0_signature(si);
		unsigned char dig[EVP_MAX_MD_SIZE];
		unsigned int dl = 0;

		if (md == NULL || want == NULL || sigv == NULL ||
			!EVP_Digest(ASN1_STRING_get0_data(sigv), (size_t) ASN1_STRING_length(sigv), dig, &dl, md, NULL) ||
			(int) dl != ASN1_STRING_length(want) || memcmp(dig, ASN1_STRING_get0_data(want), dl) != 0)
		{
			snprintf(detail, dlen, "the timestamp token's imprint is not the hash of this signature value");
			goto done;
		}
	}
	if (s == NULL || s->ntsa == 0)
	{
		snprintf(detail, dlen, "no trusted certificate is marked for time stamping");
		goto done;
	}
	/* the same token verified before against this store: its signature and TSA chain hold */
	if (blob_known(s, 'T', ASN1_STRING_get0_data(t->value.sequence), (size_t) len))
	{
		rc = 1;
		goto done;
	}
	if ((vctx = TS_VERIFY_CTX_new()) == NULL || !X509_STORE_up_ref(s->tsa_store))
	{
		snprintf(detail, dlen, "out of memory checking the timestamp token");
		goto done;
	}
	/* the TSA's chain at genTime; the context frees its reference to the store */
	X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(s->tsa_store), (time_t) *gen);
	TS_VERIFY_CTX_set_store(vctx, s->tsa_store);
	TS_VERIFY_CTX_set_flags(vctx, TS_VFY_VERSION | TS_VFY_SIGNATURE);
	if (TS_RESP_verify_token(vctx, tok) != 1)
	{
		set_detail(detail, dlen, "the timestamp token does not verify with a TSA trusted for time stamping");
		goto done;
	}
	blob_keep(s, 'T', ASN1_STRING_get0_data(t->value.sequence), (size_t) len);
	rc = 1;
done:
	TS_VERIFY_CTX_free(vctx);
	TS_TST_INFO_free(tst);
	PKCS7_free(tok);
	ERR_clear_error();
	return rc;
}

void
sig_verify(SigStore *s, const unsigned char *content, size_t content_len,
		   const unsigned char *sig, size_t sig_len, bool has_at, int64_t at,
		   SigResult *res)
{
	sig_verify_ex(s, content, content_len, sig, sig_len, has_at, at, NULL, NULL, 0, res);
}

void
sig_verify_ex(SigStore *s, const unsigned char *content, size_t content_len,
			  const unsigned char *sig, size_t sig_len, bool has_at, int64_t at,
			  const unsigned char *const *ocsp, const size_t *ocsp_len, int nocsp,
			  SigResult *res)
{
	OcspSet		os;
	const unsigned char *p = sig;
	CMS_ContentInfo *cms = NULL;
	STACK_OF(CMS_SignerInfo) *sinfos;
	STACK_OF(X509) *certs = NULL;
	STACK_OF(X509) *lookup = NULL;
	ASN1_OCTET_STRING **pos;
	BIO		   *dcont = NULL;
	BIO		   *cmsbio = NULL;
	bool		mismatch = false;
	bool		verified = false;	/* a signer's signature verified */
	int			n;
	CertEntry  *ents[CMS_CERTS_MAX];
	int			nents = 0;
	unsigned char *stripped = NULL;
	size_t		stripped_len = 0;

	ERR_clear_error();
	memset(res, 0, sizeof(*res));
	res->reported = -1;
	res->problem = SIG_MALFORMED;

	memset(&os, 0, sizeof(os));
	if (sig == NULL || sig_len == 0 || sig_len > INT_MAX || content_len > INT_MAX)
	{
		snprintf(res->detail, sizeof(res->detail), "no signature, or one too large");
		goto done;
	}
	/* OCSP responses: DER OCSPResponse each, or the whole answer is malformed */
	if (nocsp > SIG_OCSP_MAX)
	{
		snprintf(res->detail, sizeof(res->detail), "more than %d OCSP responses", SIG_OCSP_MAX);
		goto done;
	}
	for (int i = 0; i < nocsp; i++)
	{
		const unsigned char *q = ocsp[i];
		OCSP_RESPONSE *r = NULL;

		if (q == NULL)
			continue;
		if (ocsp_len[i] > INT_MAX ||
			(r = d2i_OCSP_RESPONSE(NULL, &q, (long) ocsp_len[i])) == NULL || q != ocsp[i] + ocsp_len[i])
		{
			OCSP_RESPONSE_free(r);
			set_detail(res->detail, sizeof(res->detail), "an OCSP response is not a DER OCSPResponse");
			goto done;
		}
		/* only a successful response has a basic response; others say nothing */
		if (OCSP_response_status(r) == OCSP_RESPONSE_STATUS_SUCCESSFUL &&
			(os.bs[os.n] = OCSP_response_get1_basic(r)) != NULL)
		{
			os.der[os.n] = ocsp[i];
			os.len[os.n] = ocsp_len[i];
			os.n++;
		}
		OCSP_RESPONSE_free(r);
	}
	ERR_clear_error();

	/* Fast path: certificates from the cache, the rest decoded without them. */
	if (s != NULL)
	{
		cache_trim(s, 0, false);	/* the bound may have been lowered */
		if (strip_certs(s, sig, sig_len, &stripped, &stripped_len, ents, &nents))
		{
			p = stripped;
			cms = d2i_CMS_ContentInfo(NULL, &p, (long) stripped_len);
			if (cms == NULL || p != stripped + stripped_len)
			{
				CMS_ContentInfo_free(cms);
				cms = NULL;
				entries_done(s, ents, &nents);
			}
		}
		else
			nents = 0;
		ERR_clear_error();
	}
	if (cms == NULL)
	{
		p = sig;
		cms = d2i_CMS_ContentInfo(NULL, &p, (long) sig_len);
		if (cms == NULL || p != sig + sig_len)
		{
			set_detail(res->detail, sizeof(res->detail),
					   cms == NULL ? "the signature is not DER CMS" : "bytes follow the end of the CMS structure");
			goto done;
		}
	}
	if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed ||
		(sinfos = CMS_get0_SignerInfos(cms)) == NULL ||
		(n = sk_CMS_SignerInfo_num(sinfos)) <= 0)
	{
		snprintf(res->detail, sizeof(res->detail), "the CMS structure is not SignedData with a signer");
		goto done;
	}
	res->nsigners = n;

	/* The certificates offered by the signer, and where the signers' are looked for. */
	os.untrusted = NULL;
	if (nents > 0)
	{
		certs = sk_X509_new_null();
		lookup = sk_X509_new_null();
		for (int i = 0; certs && lookup && i < nents; i++)
			if (!sk_X509_push(certs, ents[i]->x) || !sk_X509_push(lookup, ents[i]->x))
				break;
		for (int i = 0; lookup && i < sk_X509_num(s->anchors); i++)
			sk_X509_push(lookup, sk_X509_value(s->anchors, i));
		CMS_set1_signers_certs(cms, lookup, 0);
	}
	else
	{
		CMS_set1_signers_certs(cms, s ? s->anchors : NULL, 0);
		certs = CMS_get1_certs(cms);	/* may be NULL */
	}
	ERR_clear_error();
	os.untrusted = certs;		/* responders' chains may use the CMS's certificates */

	pos = CMS_get0_content(cms);
	if (pos != NULL && *pos != NULL)
	{
		/* embedded: a content given too must be the same bytes */
		if (content != NULL &&
			((size_t) ASN1_STRING_length(*pos) != content_len ||
			 (content_len > 0 && memcmp(ASN1_STRING_get0_data(*pos), content, content_len) != 0)))
			mismatch = true;
	}
	else
	{
		if (content == NULL)
		{
			snprintf(res->detail, sizeof(res->detail), "a detached signature needs the content");
			goto first_signer_only;
		}
		dcont = BIO_new_mem_buf(content_len ? content : (const unsigned char *) "", (int) content_len);
		if (dcont == NULL)
			goto done;
	}
	cmsbio = CMS_dataInit(cms, dcont);
	if (cmsbio == NULL)
	{
		set_detail(res->detail, sizeof(res->detail), "the signed content could not be read");
		goto first_signer_only;
	}
	{
		/* the digests of the content are computed as it passes through */
		char		buf[8192];

		while (BIO_read(cmsbio, buf, sizeof(buf)) > 0)
			;
	}

	for (int i = 0; i < n; i++)
	{
		CMS_SignerInfo *si = sk_CMS_SignerInfo_value(sinfos, i);
		X509	   *signer = NULL;
		CertEntry  *e = NULL;
		SigProblem	pr = SIG_OK;
		SigCertInfo *info;
		SigCertInfo local;
		bool		has_signed_at = false;
		int64_t		signed_at = 0;
		SigRevSource src = SIG_REV_NONE;
		bool		has_stamp = false;
		int64_t		stamped_at = 0;
		int			ts;
		int			idx;
		char		detail[200] = "";

		CMS_SignerInfo_get0_algs(si, NULL, &signer, NULL, NULL);
		for (int k = 0; signer != NULL && k < nents; k++)
			if (ents[k]->x == signer)
				e = ents[k];
		if (e != NULL)
		{
			if (!e->info_done)
			{
				fill_info(e->x, &e->info, false);
				e->info_done = true;
			}
			info = &e->info;
		}
		else
		{
			info = &local;
			if (signer != NULL)
				fill_info(signer, info, false);
			else
				memset(info, 0, sizeof(*info));
		}

		idx = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
		if (idx >= 0)
		{
			ASN1_TYPE  *t = X509_ATTRIBUTE_get0_type(CMS_signed_get_attr(si, idx), 0);

			if (t != NULL && (t->type == V_ASN1_UTCTIME || t->type == V_ASN1_GENERALIZEDTIME))
				has_signed_at = asn1_time_to_unix((const ASN1_TIME *) t->value.asn1_string, &signed_at);
		}

		if (!has_at)
		{
			pr = SIG_MALFORMED;
			snprintf(detail, sizeof(detail), "the time to verify at is not a finite timestamp");
		}
		else if (signer == NULL)
		{
			pr = SIG_UNTRUSTED;
			snprintf(detail, sizeof(detail), "the signer's certificate is neither in the CMS nor trusted");
		}
		else if (mismatch)
		{
			pr = SIG_BAD_SIGNATURE;
			snprintf(detail, sizeof(detail), "the content given differs from the embedded content");
		}
		else if ((CMS_signed_get_attr_count(si) >= 0 && CMS_SignerInfo_verify(si) <= 0) ||
				 CMS_SignerInfo_verify_content(si, cmsbio) <= 0)
		{
			pr = SIG_BAD_SIGNATURE;
			set_detail(detail, sizeof(detail), "the signature does not verify over the content");
		}
		else
		{
			/* the signature verified with this certificate: keep it if it chains to an anchor */
			verified = true;
			ts = timestamp_check(s, si, &stamped_at, detail, sizeof(detail));
			if (ts < 0)
				pr = SIG_BAD_TIMESTAMP;
			else
			{
				/* a valid token: validity and revocation at its time, not at `at` */
				has_stamp = ts > 0;
				/* with OCSP responses, the chain of this call decides (no memo) */
				pr = e != NULL && os.n == 0
					? check_chain_cached(s, e, certs, has_stamp ? stamped_at : at, has_stamp,
										 &src, detail, sizeof(detail))
					: check_chain(s, signer, certs, has_stamp ? stamped_at : at, has_stamp,
								  os.n > 0 ? &os : NULL, &src, detail, sizeof(detail));
				if (pr != SIG_OK && pr != SIG_REVOKED && pr != SIG_REVOCATION_UNKNOWN)
					src = SIG_REV_NONE;
			}
			if (e != NULL && e->chain_ok)
				e->keep = true;
			if (pr == SIG_OK && info->has_key_usage &&
				!(info->key_usage & (SIG_KU_DIGITAL_SIGNATURE | SIG_KU_NON_REPUDIATION)))
			{
				pr = SIG_KEY_USAGE;
				snprintf(detail, sizeof(detail), "the key usage allows neither digitalSignature nor nonRepudiation");
			}
			else if (pr == SIG_OK && info->key_purpose == SIG_PURPOSE_AUTH)
			{
				pr = SIG_NOT_FOR_SIGNING;
				snprintf(detail, sizeof(detail), "an authentication key (clientAuth, or digitalSignature with keyEncipherment) does not sign");
			}
			else if (pr == SIG_OK && (info->roles & SIG_ROLES_LEGAL) &&
					 !(info->roles & (SIG_ROLE_FIRST_HEAD | SIG_ROLE_MAY_SIGN)))
			{
				pr = SIG_NO_SIGNING_RIGHT;
				snprintf(detail, sizeof(detail), "a legal entity's certificate without the first head's role or the right to sign");
			}
		}
		ERR_clear_error();

		if (i == 0 || pr != SIG_OK)
		{
			res->problem = pr;
			res->reported = i;
			res->signer = *info;
			res->has_signed_at = has_signed_at;
			res->signed_at = signed_at;
			res->revocation_source = src;
			res->has_timestamp = has_stamp;
			res->timestamped_at = stamped_at;
			snprintf(res->detail, sizeof(res->detail), "signer %d of %d: %s", i + 1, n,
					 pr == SIG_OK ? "valid" : detail);
		}
		if (pr != SIG_OK)
			break;
	}
	/* the other certificates of a verified CMS (its intermediates): kept if they chain to an anchor */
	for (int k = 0; verified && k < nents; k++)
		if (!ents[k]->cached && !ents[k]->keep)
		{
			if (!ents[k]->chain_done)
				memo_chain(s, ents[k]);
			ents[k]->keep = ents[k]->chain_ok;
		}
	goto done;

first_signer_only:
	/* malformed, but the signer's fields are filled when its certificate is there */
	{
		X509	   *signer = NULL;

		CMS_SignerInfo_get0_algs(sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0),
								 NULL, &signer, NULL, NULL);
		if (signer != NULL)
		{
			fill_info(signer, &res->signer, false);
			res->reported = 0;
		}
	}

done:
	/* CMS_dataInit chains digest BIOs in front of dcont: free the whole chain */
	BIO_free_all(cmsbio == NULL ? dcont : cmsbio);
	if (nents > 0)
		sk_X509_free(certs);	/* the entries own the certificates */
	else
		sk_X509_pop_free(certs, X509_free);
	sk_X509_free(lookup);
	CMS_ContentInfo_free(cms);
	for (int i = 0; i < os.n; i++)
		OCSP_BASICRESP_free(os.bs[i]);
	/* after every use of the entries: keeping one may evict another */
	entries_done(s, ents, &nents);
	free(stripped);
	ERR_clear_error();
}

/*
 * Whether a signer of a DER CMS SignedData, with the certificate the CMS
 * carries, signed its signed attributes: then the signature is the signer's,
 * made over some content whose digest those attributes name.  The workflow
 * asks this after sig_verify said bad_signature over the content it expected
 * (a changed draft, another application): a signature that verifies here was
 * made over other content, one that does not is broken.  Says nothing of
 * trust or time.  Never fails: false for anything it cannot read.
 */
bool
sig_signed_other_content(const unsigned char *sig, size_t sig_len)
{
	const unsigned char *p = sig;
	CMS_ContentInfo *cms = NULL;
	STACK_OF(CMS_SignerInfo) *sinfos;
	bool		ok = false;

	ERR_clear_error();
	if (sig == NULL || sig_len == 0 || sig_len > INT_MAX)
		return false;
	cms = d2i_CMS_ContentInfo(NULL, &p, (long) sig_len);
	if (cms == NULL || p != sig + sig_len ||
		OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed ||
		(sinfos = CMS_get0_SignerInfos(cms)) == NULL)
		goto done;
	CMS_set1_signers_certs(cms, NULL, 0);
	ERR_clear_error();
	for (int i = 0; !ok && i < sk_CMS_SignerInfo_num(sinfos); i++)
	{
		CMS_SignerInfo *si = sk_CMS_SignerInfo_value(sinfos, i);
		X509	   *signer = NULL;

		CMS_SignerInfo_get0_algs(si, NULL, &signer, NULL, NULL);
		ok = signer != NULL && CMS_signed_get_attr_count(si) > 0 && CMS_SignerInfo_verify(si) == 1;
	}
done:
	CMS_ContentInfo_free(cms);
	ERR_clear_error();
	return ok;
}

const char *
sig_problem_code(SigProblem problem)
{
	switch (problem)
	{
		case SIG_OK:
			return NULL;
		case SIG_MALFORMED:
			return "malformed";
		case SIG_BAD_SIGNATURE:
			return "bad_signature";
		case SIG_UNTRUSTED:
			return "untrusted";
		case SIG_EXPIRED:
			return "expired";
		case SIG_NOT_YET_VALID:
			return "not_yet_valid";
		case SIG_REVOKED:
			return "revoked";
		case SIG_REVOCATION_UNKNOWN:
			return "revocation_unknown";
		case SIG_KEY_USAGE:
			return "key_usage";
		case SIG_NOT_FOR_SIGNING:
			return "not_for_signing";
		case SIG_NO_SIGNING_RIGHT:
			return "no_signing_right";
		case SIG_BAD_TIMESTAMP:
			return "bad_timestamp";
	}
	return "malformed";
}

const char *
sig_purpose_code(SigKeyPurpose purpose)
{
	switch (purpose)
	{
		case SIG_PURPOSE_SIGN:
			return "sign";
		case SIG_PURPOSE_AUTH:
			return "auth";
		case SIG_PURPOSE_NONE:
			break;
	}
	return NULL;
}

const char *
sig_revsource_code(SigRevSource source)
{
	return source == SIG_REV_CRL ? "crl" : source == SIG_REV_OCSP ? "ocsp" : NULL;
}

int
sig_role_names(uint32_t roles, const char **names)
{
	int			n = 0;

	if (roles & SIG_ROLE_INDIVIDUAL)
		names[n++] = "individual";
	if (roles & (SIG_ROLE_LEGAL_ENTITY | SIG_ROLE_EMPLOYEE))
		names[n++] = "employee";
	if (roles & SIG_ROLE_FIRST_HEAD)
		names[n++] = "first_head";
	if (roles & SIG_ROLE_MAY_SIGN)
		names[n++] = "may_sign";
	if (roles & SIG_ROLE_MAY_SIGN_FINANCIAL)
		names[n++] = "may_sign_financial";
	if (roles & SIG_ROLE_HR)
		names[n++] = "hr";
	return n;
}
