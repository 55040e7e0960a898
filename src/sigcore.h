/*
 * sigcore.h
 *		Verification of CMS signatures, certificates and CRLs with OpenSSL,
 *		free of PostgreSQL so that the fuzz harness and the benchmark build
 *		the very same code.  Nothing here longjmps: every routine returns a
 *		status and frees what it allocated, and leaves the OpenSSL error queue
 *		empty (it clears it on entry and drains it on exit).
 */
#ifndef LICENSING_SIGCORE_H
#define LICENSING_SIGCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The problems of API §5, in the order in which they are reported: for each
 * signer in turn, the first check that fails names the problem.
 */
typedef enum SigProblem
{
	SIG_OK = 0,
	SIG_MALFORMED,				/* not a DER CMS SignedData, or arguments unusable */
	SIG_BAD_SIGNATURE,			/* the signature does not verify over the content */
	SIG_UNTRUSTED,				/* no chain to a trusted certificate */
	SIG_EXPIRED,				/* a certificate of the chain ended before `at` */
	SIG_NOT_YET_VALID,			/* a certificate of the chain starts after `at` */
	SIG_REVOKED,				/* the issuer's current CRL lists the signer */
	SIG_REVOCATION_UNKNOWN,		/* no CRL of the issuer, or past its next update */
	SIG_KEY_USAGE,				/* neither digitalSignature nor nonRepudiation */
	SIG_NOT_FOR_SIGNING,		/* an authentication key (key_purpose auth) */
	SIG_NO_SIGNING_RIGHT,		/* an NCA legal-entity certificate without first head or right to sign */
	SIG_BAD_TIMESTAMP			/* an RFC 3161 token that does not verify */
} SigProblem;

/* What a key is for, by its keyUsage and extendedKeyUsage (NCA RK profiles). */
typedef enum SigKeyPurpose
{
	SIG_PURPOSE_NONE = 0,		/* neither profile */
	SIG_PURPOSE_SIGN,			/* nonRepudiation, or EKU emailProtection */
	SIG_PURPOSE_AUTH			/* EKU clientAuth or digitalSignature+keyEncipherment, not sign */
} SigKeyPurpose;

/* NCA RK role EKUs under 1.2.398.3.3.4.1 (bits of SigCertInfo.roles). */
#define SIG_ROLE_INDIVIDUAL			0x01	/* 1.2.398.3.3.4.1.1 */
#define SIG_ROLE_LEGAL_ENTITY		0x02	/* 1.2.398.3.3.4.1.2 (reported as employee) */
#define SIG_ROLE_FIRST_HEAD			0x04	/* 1.2.398.3.3.4.1.2.1 */
#define SIG_ROLE_MAY_SIGN			0x08	/* 1.2.398.3.3.4.1.2.2 */
#define SIG_ROLE_MAY_SIGN_FINANCIAL	0x10	/* 1.2.398.3.3.4.1.2.3 */
#define SIG_ROLE_HR					0x20	/* 1.2.398.3.3.4.1.2.4 */
#define SIG_ROLE_EMPLOYEE			0x40	/* 1.2.398.3.3.4.1.2.5 */

#define SIG_NAME_MAX	2048	/* RFC 2253 names longer than this are cut */
#define SIG_SERIAL_MAX	132		/* hex of a serial; longer ones are cut */
#define SIG_FPR_LEN		64		/* SHA-256 fingerprint in lower-case hex */

/* Key usage bits as OpenSSL reports them (X509_get_key_usage). */
#define SIG_KU_DIGITAL_SIGNATURE	0x0080
#define SIG_KU_NON_REPUDIATION		0x0040
#define SIG_KU_KEY_ENCIPHERMENT		0x0020
#define SIG_KU_DATA_ENCIPHERMENT	0x0010
#define SIG_KU_KEY_AGREEMENT		0x0008
#define SIG_KU_KEY_CERT_SIGN		0x0004
#define SIG_KU_CRL_SIGN				0x0002
#define SIG_KU_ENCIPHER_ONLY		0x0001
#define SIG_KU_DECIPHER_ONLY		0x8000

/* What a certificate says about its holder. */
typedef struct SigCertInfo
{
	bool		present;		/* false: no certificate could be read */
	char		subject[SIG_NAME_MAX];	/* RFC 2253, UTF-8 where the name allows */
	char		issuer[SIG_NAME_MAX];
	char		serial[SIG_SERIAL_MAX]; /* upper-case hex */
	bool		has_iin;		/* subject serialNumber (2.5.4.5) = "IIN" + 12 chars */
	char		iin[13];		/* the 12 characters, still to be checked */
	bool		has_bin;		/* subject OU (2.5.4.11) = "BIN" + 12 chars */
	char		bin[13];
	bool		has_validity;
	int64_t		not_before;		/* seconds since 1970-01-01 UTC */
	int64_t		not_after;
	bool		has_key_usage;	/* false: no keyUsage extension (any use) */
	uint32_t	key_usage;		/* SIG_KU_* bits */
	bool		is_ca;			/* basicConstraints CA:TRUE, keyCertSign if keyUsage */
	bool		has_eku;		/* an extendedKeyUsage extension could be read */
	bool		eku_email;		/* EKU emailProtection (1.3.6.1.5.5.7.3.4) */
	bool		eku_client;		/* EKU clientAuth (1.3.6.1.5.5.7.3.2) */
	bool		eku_timestamp;	/* EKU timeStamping (1.3.6.1.5.5.7.3.8) */
	bool		eku_ocsp;		/* EKU OCSPSigning (1.3.6.1.5.5.7.3.9) */
	uint32_t	roles;			/* SIG_ROLE_* bits */
	SigKeyPurpose key_purpose;
	char		fingerprint[SIG_FPR_LEN + 1];	/* SHA-256 of the DER */
} SigCertInfo;

/* What decided revocation (API §5 revocation_source). */
typedef enum SigRevSource
{
	SIG_REV_NONE = 0,
	SIG_REV_CRL,
	SIG_REV_OCSP
} SigRevSource;

typedef struct SigResult
{
	SigProblem	problem;
	int			nsigners;
	int			reported;		/* index of the signer reported (0-based), -1 none */
	SigCertInfo signer;			/* that signer's certificate */
	bool		has_signed_at;	/* the signer's signing-time attribute, not trusted */
	int64_t		signed_at;
	bool		has_timestamp;	/* a verified RFC 3161 token's time */
	int64_t		timestamped_at;
	SigRevSource revocation_source; /* what decided revocation, if it was reached */
	char		detail[256];	/* why, in one English sentence, for logs and tests */
} SigResult;

typedef struct SigCrlInfo
{
	char		issuer[SIG_NAME_MAX];
	char		issuer_fingerprint[SIG_FPR_LEN + 1];	/* the trusted certificate that signed it */
	int64_t		this_update;
	bool		has_next_update;
	int64_t		next_update;
	int			revoked_count;
	char		fingerprint[SIG_FPR_LEN + 1];
} SigCrlInfo;

/* Status of the parsing routines for trust-store rows. */
typedef enum SigStatus
{
	SIGST_OK = 0,
	SIGST_GARBAGE,				/* not DER of the expected structure */
	SIGST_NOT_CA,				/* a certificate, but not a CA certificate */
	SIGST_NO_ISSUER,			/* a CRL whose issuer is not a trusted certificate */
	SIGST_BAD_CRL_SIGNATURE,	/* a CRL not signed by the trusted certificate of its issuer */
	SIGST_NO_MEMORY
} SigStatus;

/* The trust store: anchors and their verified CRLs, built once, used often. */
typedef struct SigStore SigStore;

extern SigStore *sig_store_new(void);
extern void sig_store_free(SigStore *store);

/* Adds a trust anchor.  SIGST_OK, SIGST_GARBAGE or SIGST_NOT_CA (then not added). */
extern SigStatus sig_store_add_cert(SigStore *store, const unsigned char *der, size_t len);

/*
 * The same; with time_stamping = true the anchor also anchors the chains of
 * time-stamping authorities (RFC 3161 tokens, issue #17).
 */
extern SigStatus sig_store_add_cert_ex(SigStore *store, const unsigned char *der, size_t len,
									   bool time_stamping);

/*
 * Checks a CRL against the anchors of the store (its signature is verified
 * here, once) and, with add = true, keeps it for revocation checks.  Fills
 * *info when not NULL (as far as the CRL could be read).
 */
extern SigStatus sig_store_add_crl(SigStore *store, const unsigned char *der, size_t len,
								   bool add, SigCrlInfo *info, char *why, size_t whylen);

/* Number of anchors and of kept CRLs. */
extern int	sig_store_count(const SigStore *store, int *ncrls);

/* Reads one DER certificate.  SIGST_OK or SIGST_GARBAGE. */
extern SigStatus sig_cert_info(const unsigned char *der, size_t len, SigCertInfo *info,
							   char *why, size_t whylen);

/*
 * Verifies a DER CMS SignedData (API §5).  The store remembers the
 * certificates of verified signatures (decoded once, with their chain,
 * validity window, issuer CRL verdict and fields), so the same signer or
 * intermediate costs little the next time; it keeps only certificates of a
 * CMS a signer's signature verified in, that chain to an anchor, and at
 * most sig_cache_max_bytes of them (the oldest go first; 0 keeps none).
 * content may be NULL when the content is embedded; has_at = false makes the answer `malformed` (an
 * unusable `at`) after the signer has been read.  Never fails otherwise:
 * the verdict is in *result.
 */
extern void sig_verify(SigStore *store,
					   const unsigned char *content, size_t content_len,
					   const unsigned char *sig, size_t sig_len,
					   bool has_at, int64_t at, SigResult *result);

/*
 * The same with OCSP responses (DER OCSPResponse, as a CA's responder sent
 * them; NULL entries are skipped).  A response that is not DER of that
 * structure makes the answer `malformed`.  A successful one whose signature
 * verifies with a responder the issuer authorised (the issuer itself, or a
 * certificate it issued with extended key usage OCSPSigning, its chain valid
 * at producedAt), and that is fresh at the checking time (nextUpdate, or a day
 * after thisUpdate when it has none), decides the revocation of a certificate
 * of the chain in place of the issuer's CRL; any other is left aside (the CRL
 * decides).  At most SIG_OCSP_MAX responses; more are malformed.
 */
#define SIG_OCSP_MAX 16
extern void sig_verify_ex(SigStore *store,
						  const unsigned char *content, size_t content_len,
						  const unsigned char *sig, size_t sig_len,
						  bool has_at, int64_t at,
						  const unsigned char *const *ocsp, const size_t *ocsp_len, int nocsp,
						  SigResult *result);

/* Bytes the certificate cache of a store may hold (estimated); 8 MB unless set. */
extern size_t sig_cache_max_bytes;

/*
 * Names are printed in RFC 2253 form with UTF-8 characters; set this to true
 * when the caller cannot take UTF-8 (bytes above 127 are then \-escaped).
 */
extern bool sig_ascii_names;

/*
 * Whether a signer signed the signed attributes of the CMS with the
 * certificate it carries (the signature is genuine, over some content):
 * tells bad_signature over other content from a broken signature.
 */
extern bool sig_signed_other_content(const unsigned char *sig, size_t sig_len);

/* The code of a problem as API §5 spells it, NULL for SIG_OK. */
extern const char *sig_problem_code(SigProblem problem);

/* key_purpose as API §5 spells it (sign, auth), NULL for none. */
extern const char *sig_purpose_code(SigKeyPurpose purpose);

/*
 * The role names of API §5 (individual, employee, first_head, may_sign,
 * may_sign_financial, hr) of the bits in roles, in that order, each once:
 * fills names (at most SIG_ROLE_NAMES_MAX) and returns how many.
 */
#define SIG_ROLE_NAMES_MAX 6
extern int	sig_role_names(uint32_t roles, const char **names);

/* revocation_source as API §5 spells it (crl, ocsp), NULL for none. */
extern const char *sig_revsource_code(SigRevSource source);

#endif
