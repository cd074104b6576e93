// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: X.509 for RSA-signature authentication (Windows' default):
 * our certificate, key and trusted CAs from PEM files, and the checks of
 * a peer's certificate, each failure named for what it is (untrusted,
 * expired, not yet valid: clock skew).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "ike_int.h"
#include "log.h"
#include "secretfile.h"

/* "C=CH, O=Example, CN=vpn": in the certificate's order, as configured. */
#define DN_FLAGS	(XN_FLAG_SEP_CPLUS_SPC | XN_FLAG_FN_SN | \
			 ASN1_STRFLGS_ESC_2253 | ASN1_STRFLGS_ESC_CTRL | \
			 ASN1_STRFLGS_UTF8_CONVERT)

static void ossl_err(char *buf, size_t len)
{
	unsigned long e = ERR_get_error();

	if (e)
		ERR_error_string_n(e, buf, len);
	else
		snprintf(buf, len, "no details");
	ERR_clear_error();
}

int cert_load(struct ike *ike)
{
	struct ike_conf *c = &ike->conf;
	char err[256];
	FILE *f;
	X509 *x;

	if (c->cert_file) {
		f = fopen(c->cert_file, "re");
		if (!f) {
			log_msg(LOG_LVL_ERR, LOG_IKE, "cert %s: %s",
				c->cert_file, strerror(errno));
			return -errno;
		}
		ike->cert = PEM_read_X509(f, NULL, NULL, NULL);
		if (!ike->cert) {
			ossl_err(err, sizeof(err));
			fclose(f);
			log_msg(LOG_LVL_ERR, LOG_IKE,
				"cert %s: no PEM certificate: %s",
				c->cert_file, err);
			return -EINVAL;
		}
		/* Intermediates may follow in the same file. */
		ike->chain = sk_X509_new_null();
		while ((x = PEM_read_X509(f, NULL, NULL, NULL)))
			sk_X509_push(ike->chain, x);
		ERR_clear_error();
		fclose(f);
	}
	if (c->key_file) {
		/* a file of secrets: no symlink, owner and mode checked */
		char why[512];
		int fd = l2_open_secret(c->key_file, why, sizeof(why));

		if (fd < 0) {
			log_msg(LOG_LVL_ERR, LOG_IKE, "key %s", why);
			return fd;
		}
		f = fdopen(fd, "r");
		if (!f) {
			int e = -errno;

			close(fd);
			log_msg(LOG_LVL_ERR, LOG_IKE, "key %s: %s",
				c->key_file, strerror(-e));
			return e;
		}
		/* unbuffered: no stdio buffer left holding the key's text */
		setvbuf(f, NULL, _IONBF, 0);
		ike->key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
		fclose(f);
		if (!ike->key) {
			ossl_err(err, sizeof(err));
			log_msg(LOG_LVL_ERR, LOG_IKE,
				"key %s: no PEM private key: %s", c->key_file,
				err);
			return -EINVAL;
		}
		if (EVP_PKEY_get_base_id(ike->key) != EVP_PKEY_RSA) {
			log_msg(LOG_LVL_ERR, LOG_IKE,
				"key %s: not an RSA key (IKEv1 signatures here are RSA)",
				c->key_file);
			return -EINVAL;
		}
		if (ike->cert && X509_check_private_key(ike->cert, ike->key) != 1) {
			log_msg(LOG_LVL_ERR, LOG_IKE,
				"key %s does not belong to the certificate %s",
				c->key_file, c->cert_file);
			return -EINVAL;
		}
	}
	if (c->ca_file) {
		ike->ca = X509_STORE_new();
		if (!ike->ca ||
		    X509_STORE_load_file(ike->ca, c->ca_file) != 1) {
			ossl_err(err, sizeof(err));
			log_msg(LOG_LVL_ERR, LOG_IKE, "ca %s: %s", c->ca_file,
				err);
			return -EINVAL;
		}
		f = fopen(c->ca_file, "re");
		if (f) {
			x = PEM_read_X509(f, NULL, NULL, NULL);
			if (x) {
				ike->ca_name = X509_NAME_dup(X509_get_subject_name(x));
				X509_free(x);
			}
			fclose(f);
		}
		ERR_clear_error();
	}
	if (c->crl_file) {
		X509_LOOKUP *lk;
		int n;

		if (!ike->ca) {
			log_msg(LOG_LVL_ERR, LOG_CONFIG,
				"[ike] crl %s needs ca: a revocation list is checked along the chain to our ca",
				c->crl_file);
			return -EINVAL;
		}
		lk = X509_STORE_add_lookup(ike->ca, X509_LOOKUP_file());
		n = lk ? X509_load_crl_file(lk, c->crl_file, X509_FILETYPE_PEM) : 0;
		if (n <= 0) {
			ossl_err(err, sizeof(err));
			log_msg(LOG_LVL_ERR, LOG_IKE,
				"crl %s: no PEM revocation list: %s", c->crl_file,
				err);
			return -EINVAL;
		}
		/*
		 * Enforced: a peer certificate whose issuer has no CRL
		 * here is refused, not waved through.
		 */
		X509_STORE_set_flags(ike->ca, X509_V_FLAG_CRL_CHECK);
		log_msg(LOG_LVL_INFO, LOG_IKE,
			"crl %s: %d revocation list(s), checked for every peer certificate",
			c->crl_file, n);
	}
	return 0;
}

void cert_free(struct ike *ike)
{
	X509_free(ike->cert);
	sk_X509_pop_free(ike->chain, X509_free);
	EVP_PKEY_free(ike->key);
	X509_STORE_free(ike->ca);
	X509_NAME_free(ike->ca_name);
	ike->cert = NULL;
	ike->chain = NULL;
	ike->key = NULL;
	ike->ca = NULL;
	ike->ca_name = NULL;
}

void cert_dn_str(const uint8_t *der, size_t len, char *buf, size_t blen)
{
	const unsigned char *p = der;
	X509_NAME *n = d2i_X509_NAME(NULL, &p, (long)len);
	BIO *b;

	if (!n) {
		snprintf(buf, blen, "(bad DN)");
		return;
	}
	b = BIO_new(BIO_s_mem());
	if (b && X509_NAME_print_ex(b, n, 0, DN_FLAGS) >= 0) {
		int k = BIO_read(b, buf, (int)blen - 1);

		buf[k > 0 ? k : 0] = '\0';
	} else {
		snprintf(buf, blen, "(DN)");
	}
	BIO_free(b);
	X509_NAME_free(n);
}

void cert_name_str(const X509_NAME *n, char *buf, size_t len)
{
	BIO *b = BIO_new(BIO_s_mem());
	int k;

	buf[0] = '\0';
	if (!b)
		return;
	if (X509_NAME_print_ex(b, n, 0, DN_FLAGS) >= 0) {
		k = BIO_read(b, buf, (int)len - 1);
		buf[k > 0 ? k : 0] = '\0';
	}
	BIO_free(b);
}

static void time_str(const ASN1_TIME *t, char *buf, size_t len)
{
	struct tm tm;

	if (t && ASN1_TIME_to_tm(t, &tm) == 1)
		strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm);
	else
		snprintf(buf, len, "?");
}

/* A certificate whose key usage, when it has one, allows signatures. */
static bool ku_signs(X509 *x)
{
	uint32_t ku = X509_get_key_usage(x);

	return ku == UINT32_MAX ||
	       (ku & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION));
}

int cert_verify_peer(struct ike_sa *sa, const uint8_t *der, size_t len,
		     STACK_OF(X509) *untrusted)
{
	struct ike *ike = sa->ike;
	const unsigned char *p = der;
	X509_STORE_CTX *ctx;
	char subj[256], iss[256], t1[48], now_s[48];
	time_t now = time(NULL);
	struct tm tm;
	X509 *x;
	int ok, err;

	x = d2i_X509(NULL, &p, (long)len);
	if (!x) {
		ike_fail(ike, &sa->remote, IKE_FAIL_CERT,
			 "phase 1: certificate: the peer's certificate does not parse (DER)");
		return -EINVAL;
	}
	X509_free(sa->peer_cert);
	sa->peer_cert = x;
	cert_name_str(X509_get_subject_name(x), subj, sizeof(subj));
	cert_name_str(X509_get_issuer_name(x), iss, sizeof(iss));
	gmtime_r(&now, &tm);
	strftime(now_s, sizeof(now_s), "%Y-%m-%d %H:%M:%S UTC", &tm);
	if (!ike->ca) {
		ike_fail(ike, &sa->remote, IKE_FAIL_CERT,
			 "phase 1: certificate untrusted: %s (issuer %s): no ca configured to check it against",
			 subj, iss);
		return -EACCES;
	}
	ctx = X509_STORE_CTX_new();
	if (!ctx || X509_STORE_CTX_init(ctx, ike->ca, x, untrusted) != 1) {
		X509_STORE_CTX_free(ctx);
		return -ENOMEM;
	}
	ok = X509_verify_cert(ctx);
	err = X509_STORE_CTX_get_error(ctx);
	X509_STORE_CTX_free(ctx);
	if (ok == 1) {
		if (ku_signs(x))
			return 0;
		ike_fail(ike, &sa->remote, IKE_FAIL_CERT,
			 "phase 1: certificate rejected: %s: its key usage does not allow signatures (digitalSignature or nonRepudiation), which IKE authentication needs",
			 subj);
		return -EACCES;
	}
	switch (err) {
	case X509_V_ERR_CERT_REVOKED:
		ike_fail(ike, &sa->remote, IKE_FAIL_CERT,
			 "phase 1: certificate revoked: %s (issuer %s) is on the revocation list (crl %s)",
			 subj, iss, ike->conf.crl_file ? ike->conf.crl_file : "?");
		break;
	case X509_V_ERR_UNABLE_TO_GET_CRL:
		ike_fail(ike, &sa->remote, IKE_FAIL_CERT,
			 "phase 1: certificate rejected: %s: crl %s has no revocation list of its issuer %s (with crl set every issuer needs one; add it to the file)",
			 subj, ike->conf.crl_file ? ike->conf.crl_file : "?", iss);
		break;
	case X509_V_ERR_CRL_HAS_EXPIRED:
		ike_fail(ike, &sa->remote, IKE_FAIL_CERT,
			 "phase 1: certificate rejected: %s: the revocation list of %s in crl %s has expired; fetch a current one",
			 subj, iss, ike->conf.crl_file ? ike->conf.crl_file : "?");
		break;
	case X509_V_ERR_CERT_HAS_EXPIRED:
		time_str(X509_get0_notAfter(x), t1, sizeof(t1));
		ike_fail(ike, &sa->remote, IKE_FAIL_CERT,
			 "phase 1: certificate expired: %s was valid until %s; our clock says %s",
			 subj, t1, now_s);
		break;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		time_str(X509_get0_notBefore(x), t1, sizeof(t1));
		ike_fail(ike, &sa->remote, IKE_FAIL_CERT,
			 "phase 1: certificate not yet valid: %s is valid from %s, our clock says %s: clock skew? check the time on both ends",
			 subj, t1, now_s);
		break;
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
	case X509_V_ERR_CERT_UNTRUSTED:
	case X509_V_ERR_CERT_SIGNATURE_FAILURE:
		ike_fail(ike, &sa->remote, IKE_FAIL_CERT,
			 "phase 1: certificate untrusted: %s is issued by %s, which our ca (%s) does not vouch for",
			 subj, iss, ike->conf.ca_file);
		break;
	default:
		ike_fail(ike, &sa->remote, IKE_FAIL_CERT,
			 "phase 1: certificate rejected: %s: %s", subj,
			 X509_verify_cert_error_string(err));
		break;
	}
	return -EACCES;
}

bool cert_matches_id(X509 *cert, const struct ike_id *id)
{
	const unsigned char *p = id->data;
	X509_NAME *n;
	char buf[IKE_ID_MAX];
	bool ok = false;

	switch (id->type) {
	case ID_DER_ASN1_DN:
		n = d2i_X509_NAME(NULL, &p, (long)id->len);
		if (n) {
			ok = !X509_NAME_cmp(n, X509_get_subject_name(cert));
			X509_NAME_free(n);
		}
		return ok;
	case ID_FQDN:
		if (id->len >= sizeof(buf))
			return false;
		memcpy(buf, id->data, id->len);
		buf[id->len] = '\0';
		return X509_check_host(cert, buf, id->len, 0, NULL) == 1;
	case ID_USER_FQDN:
		if (id->len >= sizeof(buf))
			return false;
		memcpy(buf, id->data, id->len);
		buf[id->len] = '\0';
		return X509_check_email(cert, buf, id->len, 0) == 1;
	case ID_IPV4_ADDR:
		return X509_check_ip(cert, id->data, 4, 0) == 1;
	default:
		return false;
	}
}

/* Extended key usage, when present, naming a server or IKE. */
static bool eku_server(X509 *x)
{
	EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(x, NID_ext_key_usage,
						   NULL, NULL);
	bool ok = false;
	int i;

	if (!eku)
		return true;	/* no EKU: any use */
	for (i = 0; i < sk_ASN1_OBJECT_num(eku); i++) {
		switch (OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, i))) {
		case NID_server_auth:
		case NID_ipsec_IKE:
		case NID_ipsecEndSystem:
		case NID_ipsecTunnel:
		case NID_anyExtendedKeyUsage:
			ok = true;
			break;
		default:
			break;
		}
	}
	EXTENDED_KEY_USAGE_free(eku);
	return ok;
}

int cert_check_server(struct ike_sa *sa)
{
	const struct ike_peer_conf *pc = sa->pc;
	X509 *x = sa->peer_cert;
	char subj[256], addr[INET_ADDRSTRLEN];

	if (!x)
		return -EACCES;
	cert_name_str(X509_get_subject_name(x), subj, sizeof(subj));
	if (!eku_server(x)) {
		ike_fail(sa->ike, &sa->remote, IKE_FAIL_CERT,
			 "phase 1: certificate rejected: %s is not a server's: its extended key usage names neither serverAuth nor ipsecIKE (a client's certificate posing as the server?)",
			 subj);
		return -EACCES;
	}
	if (pc && pc->peer_id.set && !pc->peer_id.any)
		return 0;	/* the configured id is checked against it */
	inet_ntop(AF_INET, &sa->remote.sin_addr, addr, sizeof(addr));
	if (X509_check_ip(x, (const unsigned char *)&sa->remote.sin_addr, 4,
			  0) == 1)
		return 0;
	ike_fail(sa->ike, &sa->remote, IKE_FAIL_ID,
		 "phase 1: certificate rejected: %s is vouched for by our ca but is not this server's: [peer %s] has no id, and its subjectAltName does not name %s; set id in [peer %s] to the server's certificate name (id = \"CN=...\" or its FQDN)",
		 subj, pc ? pc->name : "?", addr, pc ? pc->name : "?");
	return -EACCES;
}
