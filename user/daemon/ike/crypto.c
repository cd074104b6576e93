// SPDX-License-Identifier: GPL-2.0
/*
 * IKE cryptography over OpenSSL 3 EVP. See crypto.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/dh.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include "crypto.h"
#include "log.h"

void ike_wipe(void *p, size_t n)
{
	if (p && n)
		OPENSSL_cleanse(p, n);
}

static const char *md_name(unsigned int hash)
{
	switch (hash) {
	case IKE_HASH_MD5: return "MD5";
	case IKE_HASH_SHA1: return "SHA1";
	case IKE_HASH_SHA256: return "SHA2-256";
	case IKE_HASH_SHA384: return "SHA2-384";
	case IKE_HASH_SHA512: return "SHA2-512";
	default: return NULL;
	}
}

size_t ike_hash_size(unsigned int hash)
{
	switch (hash) {
	case IKE_HASH_MD5: return 16;
	case IKE_HASH_SHA1: return 20;
	case IKE_HASH_SHA256: return 32;
	case IKE_HASH_SHA384: return 48;
	case IKE_HASH_SHA512: return 64;
	default: return 0;
	}
}

const char *ike_hash_name(unsigned int hash)
{
	switch (hash) {
	case IKE_HASH_MD5: return "md5";
	case IKE_HASH_SHA1: return "sha1";
	case IKE_HASH_SHA256: return "sha256";
	case IKE_HASH_SHA384: return "sha384";
	case IKE_HASH_SHA512: return "sha512";
	default: return "?";
	}
}

int ike_hmac(unsigned int hash, const void *key, size_t klen,
	     const struct ike_chunk *parts, size_t nparts, uint8_t *out)
{
	const char *md = md_name(hash);
	OSSL_PARAM params[2];
	EVP_MAC_CTX *ctx = NULL;
	EVP_MAC *mac;
	size_t i, outlen = 0;
	int ret = -EINVAL;

	if (!md)
		return -EINVAL;
	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (!mac)
		return -ENOSYS;
	ctx = EVP_MAC_CTX_new(mac);
	if (!ctx)
		goto out;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						     (char *)md, 0);
	params[1] = OSSL_PARAM_construct_end();
	/* An empty key is legal HMAC; OpenSSL wants a non-NULL pointer. */
	if (!EVP_MAC_init(ctx, klen ? key : (const void *)"", klen, params))
		goto out;
	for (i = 0; i < nparts; i++)
		if (parts[i].len &&
		    !EVP_MAC_update(ctx, parts[i].p, parts[i].len))
			goto out;
	if (!EVP_MAC_final(ctx, out, &outlen, IKE_MAX_HASH))
		goto out;
	ret = outlen == ike_hash_size(hash) ? 0 : -EINVAL;
out:
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return ret;
}

int ike_digest(unsigned int hash, const struct ike_chunk *parts,
	       size_t nparts, uint8_t *out)
{
	const char *name = md_name(hash);
	EVP_MD_CTX *ctx;
	EVP_MD *md;
	unsigned int n = 0;
	size_t i;
	int ret = -EINVAL;

	if (!name)
		return -EINVAL;
	md = EVP_MD_fetch(NULL, name, NULL);
	if (!md)
		return -ENOSYS;
	ctx = EVP_MD_CTX_new();
	if (!ctx || !EVP_DigestInit_ex(ctx, md, NULL))
		goto out;
	for (i = 0; i < nparts; i++)
		if (parts[i].len &&
		    !EVP_DigestUpdate(ctx, parts[i].p, parts[i].len))
			goto out;
	if (!EVP_DigestFinal_ex(ctx, out, &n))
		goto out;
	ret = 0;
out:
	EVP_MD_CTX_free(ctx);
	EVP_MD_free(md);
	return ret;
}

int ike_cipher_sizes(unsigned int enc, unsigned int keybits, size_t *keylen,
		     size_t *blocklen)
{
	switch (enc) {
	case IKE_ENC_3DES:
		if (keybits && keybits != 192)
			return -EINVAL;
		*keylen = 24;
		*blocklen = 8;
		return 0;
	case IKE_ENC_AES_CBC:
		if (!keybits)
			keybits = 128;
		if (keybits != 128 && keybits != 192 && keybits != 256)
			return -EINVAL;
		*keylen = keybits / 8;
		*blocklen = 16;
		return 0;
	default:
		return -EINVAL;
	}
}

static const char *cipher_name(unsigned int enc, size_t keylen)
{
	if (enc == IKE_ENC_3DES)
		return "DES-EDE3-CBC";
	if (enc != IKE_ENC_AES_CBC)
		return NULL;
	switch (keylen) {
	case 16: return "AES-128-CBC";
	case 24: return "AES-192-CBC";
	case 32: return "AES-256-CBC";
	default: return NULL;
	}
}

int ike_cbc(unsigned int enc, const uint8_t *key, size_t keylen,
	    const uint8_t *iv, const uint8_t *in, size_t len, uint8_t *out,
	    bool encrypt)
{
	const char *name = cipher_name(enc, keylen);
	EVP_CIPHER_CTX *ctx;
	EVP_CIPHER *c;
	int n1 = 0, n2 = 0, ret = -EINVAL;

	if (!name)
		return -EINVAL;
	c = EVP_CIPHER_fetch(NULL, name, NULL);
	if (!c)
		return -ENOSYS;
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		goto out;
	if ((size_t)EVP_CIPHER_get_block_size(c) == 0 ||
	    len % (size_t)EVP_CIPHER_get_block_size(c))
		goto out;
	if (!EVP_CipherInit_ex2(ctx, c, key, iv, encrypt ? 1 : 0, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(ctx, 0) ||
	    !EVP_CipherUpdate(ctx, out, &n1, in, (int)len) ||
	    !EVP_CipherFinal_ex(ctx, out + n1, &n2))
		goto out;
	ret = (size_t)(n1 + n2) == len ? 0 : -EINVAL;
out:
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(c);
	return ret;
}

/*
 * Cookies, nonces, SPIs and message IDs: a failed RAND_bytes() left the
 * buffer as it was (zeros, guessable) and no caller looked. A failure is
 * retried (OpenSSL reseeds); one that does not go away stops the daemon,
 * named, rather than let it negotiate with predictable values.
 */
int ike_random(void *p, size_t n)
{
	unsigned long e = 0;
	char reason[128];
	int tries;

	for (tries = 0; tries < 3; tries++) {
		if (RAND_bytes(p, (int)n) == 1)
			return 0;
		e = ERR_get_error();
		ERR_clear_error();
	}
	OPENSSL_cleanse(p, n);
	if (e)
		ERR_error_string_n(e, reason, sizeof(reason));
	else
		snprintf(reason, sizeof(reason), "failed");
	log_msg(LOG_LVL_ERR, LOG_CORE,
		"RAND_bytes: %s: no random bytes from OpenSSL for IKE (cookies, nonces and SPIs would be guessable); l2tpsecd stops",
		reason);
	exit(1);
}

/* ---- Diffie-Hellman ---------------------------------------------------- */

struct ike_dh {
	unsigned int	group;
	EVP_PKEY	*key;
};

bool ike_group_known(unsigned int group)
{
	return ike_group_pub_len(group) != 0;
}

const char *ike_group_name(unsigned int group)
{
	switch (group) {
	case IKE_GROUP_NONE: return "none";
	case IKE_GROUP_MODP768: return "modp768";
	case IKE_GROUP_MODP1024: return "modp1024";
	case IKE_GROUP_MODP1536: return "modp1536";
	case IKE_GROUP_MODP2048: return "modp2048";
	case IKE_GROUP_MODP3072: return "modp3072";
	case IKE_GROUP_MODP4096: return "modp4096";
	case IKE_GROUP_ECP256: return "ecp256";
	case IKE_GROUP_ECP384: return "ecp384";
	default: return "unknown-group";
	}
}

size_t ike_group_pub_len(unsigned int group)
{
	switch (group) {
	case IKE_GROUP_MODP1024: return 128;
	case IKE_GROUP_MODP1536: return 192;
	case IKE_GROUP_MODP2048: return 256;
	case IKE_GROUP_MODP3072: return 384;
	case IKE_GROUP_MODP4096: return 512;
	case IKE_GROUP_ECP256: return 64;
	case IKE_GROUP_ECP384: return 96;
	default: return 0;
	}
}

static bool group_is_ecp(unsigned int group)
{
	return group == IKE_GROUP_ECP256 || group == IKE_GROUP_ECP384;
}

/* Named groups OpenSSL knows (RFC 3526 primes, NIST curves). */
static const char *group_ossl_name(unsigned int group)
{
	switch (group) {
	case IKE_GROUP_MODP1536: return "modp_1536";
	case IKE_GROUP_MODP2048: return "modp_2048";
	case IKE_GROUP_MODP3072: return "modp_3072";
	case IKE_GROUP_MODP4096: return "modp_4096";
	case IKE_GROUP_ECP256: return "P-256";
	case IKE_GROUP_ECP384: return "P-384";
	default: return NULL;
	}
}

/* MODP 1024 (RFC 2409 6.2) is not a named group in OpenSSL 3. */
static EVP_PKEY *modp1024_params(void)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	BIGNUM *p = BN_get_rfc2409_prime_1024(NULL);
	BIGNUM *g = BN_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;

	if (!bld || !p || !g || !BN_set_word(g, 2) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_P, p) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_G, g) ||
	    !OSSL_PARAM_BLD_push_int(bld, OSSL_PKEY_PARAM_DH_PRIV_LEN, 256))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_KEY_PARAMETERS,
			      params) <= 0)
		pkey = NULL;
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(p);
	BN_free(g);
	return pkey;
}

struct ike_dh *ike_dh_new(unsigned int group)
{
	struct ike_dh *dh;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *params = NULL;
	const char *name;

	if (!ike_group_known(group))
		return NULL;
	dh = calloc(1, sizeof(*dh));
	if (!dh)
		return NULL;
	dh->group = group;
	name = group_ossl_name(group);
	if (name) {
		OSSL_PARAM p[2];

		ctx = EVP_PKEY_CTX_new_from_name(NULL, group_is_ecp(group) ?
						 "EC" : "DH", NULL);
		p[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
							(char *)name, 0);
		p[1] = OSSL_PARAM_construct_end();
		if (!ctx || EVP_PKEY_keygen_init(ctx) <= 0 ||
		    EVP_PKEY_CTX_set_params(ctx, p) <= 0 ||
		    EVP_PKEY_generate(ctx, &dh->key) <= 0)
			goto fail;
	} else {
		params = modp1024_params();
		if (!params)
			goto fail;
		ctx = EVP_PKEY_CTX_new_from_pkey(NULL, params, NULL);
		if (!ctx || EVP_PKEY_keygen_init(ctx) <= 0 ||
		    EVP_PKEY_generate(ctx, &dh->key) <= 0)
			goto fail;
	}
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(params);
	return dh;
fail:
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(params);
	ike_dh_free(dh);
	return NULL;
}

void ike_dh_free(struct ike_dh *dh)
{
	if (!dh)
		return;
	EVP_PKEY_free(dh->key);
	free(dh);
}

unsigned int ike_dh_group(const struct ike_dh *dh)
{
	return dh->group;
}

int ike_dh_pub(const struct ike_dh *dh, uint8_t *out, size_t len)
{
	size_t want = ike_group_pub_len(dh->group);
	unsigned char *enc = NULL;
	size_t n;

	if (len < want)
		return -EINVAL;
	n = EVP_PKEY_get1_encoded_public_key(dh->key, &enc);
	if (!n || !enc)
		return -EIO;
	if (group_is_ecp(dh->group)) {
		/* 0x04 || x || y -> x || y */
		if (n != want + 1 || enc[0] != 0x04) {
			OPENSSL_free(enc);
			return -EIO;
		}
		memcpy(out, enc + 1, want);
	} else {
		/* Big-endian, left-padded to the prime's size. */
		if (n > want) {
			OPENSSL_free(enc);
			return -EIO;
		}
		memset(out, 0, want - n);
		memcpy(out + want - n, enc, n);
	}
	OPENSSL_free(enc);
	return 0;
}

/* 1 < y < p - 1 (RFC 2631 2.1.5's cheap part; the rest is the prime's). */
static bool modp_pub_ok(const EVP_PKEY *ours, const uint8_t *y, size_t len)
{
	BIGNUM *p = NULL, *v = BN_bin2bn(y, (int)len, NULL);
	bool ok = false;

	if (!v || !EVP_PKEY_get_bn_param(ours, OSSL_PKEY_PARAM_FFC_P, &p))
		goto out;
	if (BN_is_zero(v) || BN_is_one(v))
		goto out;
	if (!BN_sub_word(p, 1))
		goto out;
	ok = BN_cmp(v, p) < 0;
out:
	BN_free(v);
	BN_free(p);
	return ok;
}

int ike_dh_shared(struct ike_dh *dh, const uint8_t *peer, size_t len,
		  uint8_t *out, size_t *outlen)
{
	size_t want = ike_group_pub_len(dh->group);
	uint8_t enc[IKE_MAX_DH + 1];
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pk = NULL;
	size_t n, elen;
	int ret = -EINVAL;

	if (len != want)
		return -EINVAL;
	if (group_is_ecp(dh->group)) {
		enc[0] = 0x04;
		memcpy(enc + 1, peer, len);
		elen = len + 1;
	} else {
		if (!modp_pub_ok(dh->key, peer, len))
			return -EINVAL;
		memcpy(enc, peer, len);
		elen = len;
	}
	pk = EVP_PKEY_new();
	if (!pk || EVP_PKEY_copy_parameters(pk, dh->key) <= 0)
		goto out;
	/* For EC this checks that the point is on the curve. */
	if (EVP_PKEY_set1_encoded_public_key(pk, enc, elen) <= 0)
		goto out;
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, dh->key, NULL);
	if (!ctx || EVP_PKEY_derive_init(ctx) <= 0)
		goto out;
	if (!group_is_ecp(dh->group) && EVP_PKEY_CTX_set_dh_pad(ctx, 1) <= 0)
		goto out;
	if (EVP_PKEY_derive_set_peer_ex(ctx, pk, 0) <= 0)
		goto out;
	n = IKE_MAX_DH;
	if (EVP_PKEY_derive(ctx, out, &n) <= 0)
		goto out;
	*outlen = n;
	ret = 0;
out:
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pk);
	return ret;
}

/* ---- RSA --------------------------------------------------------------- */

int ike_rsa_sign(EVP_PKEY *key, const uint8_t *data, size_t len,
		 uint8_t *sig, size_t *siglen)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
	int ret = -EIO;

	if (!ctx || EVP_PKEY_sign_init(ctx) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) <= 0 ||
	    EVP_PKEY_sign(ctx, sig, siglen, data, len) <= 0)
		goto out;
	ret = 0;
out:
	EVP_PKEY_CTX_free(ctx);
	return ret;
}

int ike_rsa_verify(EVP_PKEY *key, const uint8_t *data, size_t len,
		   const uint8_t *sig, size_t siglen)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
	uint8_t rec[1024];
	size_t rlen = sizeof(rec);
	int ret = -EBADMSG;

	if (!ctx || EVP_PKEY_verify_recover_init(ctx) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) <= 0)
		goto out;
	if (siglen > sizeof(rec) ||
	    EVP_PKEY_verify_recover(ctx, rec, &rlen, sig, siglen) <= 0)
		goto out;
	if (rlen == len && !CRYPTO_memcmp(rec, data, len))
		ret = 0;
out:
	EVP_PKEY_CTX_free(ctx);
	return ret;
}
