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
		f = fopen(c->key_file, "re");
		if (!f) {
			log_msg(LOG_LVL_ERR, LOG_IKE, "key %s: %s",
				c->key_file, strerror(errno));
			return -errno;
		}
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

int cert_verify_peer(struct ike_sa *sa, const uint8_t *der, size_t len)
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
	if (!ctx || X509_STORE_CTX_init(ctx, ike->ca, x, NULL) != 1) {
		X509_STORE_CTX_free(ctx);
		return -ENOMEM;
	}
	ok = X509_verify_cert(ctx);
	err = X509_STORE_CTX_get_error(ctx);
	X509_STORE_CTX_free(ctx);
	if (ok == 1)
		return 0;
	switch (err) {
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
