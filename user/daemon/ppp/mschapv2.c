// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: MS-CHAPv2 (RFC 2759 section 8) and CHAP-MD5 (RFC 1994).
 *
 * OpenSSL 3 moved MD4 and single DES to the legacy provider. We load it,
 * with the default provider, into a library context of our own, once, the
 * first time it is needed; after that the context is only read.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/provider.h>

#include "mschapv2.h"

static OSSL_LIB_CTX *ctx;
static OSSL_PROVIDER *prov_legacy, *prov_default;

static void legacy_free(void)
{
	if (prov_legacy)
		OSSL_PROVIDER_unload(prov_legacy);
	if (prov_default)
		OSSL_PROVIDER_unload(prov_default);
	prov_legacy = prov_default = NULL;
	OSSL_LIB_CTX_free(ctx);
	ctx = NULL;
}

static OSSL_LIB_CTX *legacy_ctx(void)
{
	static int failed;

	if (ctx || failed)
		return ctx;
	OPENSSL_atexit(legacy_free);
	ctx = OSSL_LIB_CTX_new();
	if (ctx) {
		prov_legacy = OSSL_PROVIDER_load(ctx, "legacy");
		prov_default = OSSL_PROVIDER_load(ctx, "default");
	}
	if (!ctx || !prov_legacy || !prov_default) {
		legacy_free();
		failed = 1;
	}
	return ctx;
}

static int digest(const char *name, uint8_t *out, const void *a, size_t alen,
		  const void *b, size_t blen, const void *c, size_t clen)
{
	OSSL_LIB_CTX *lctx = legacy_ctx();
	EVP_MD *md = lctx ? EVP_MD_fetch(lctx, name, NULL) : NULL;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int n;
	int ret = -EIO;

	if (md && ctx && EVP_DigestInit_ex(ctx, md, NULL) &&
	    (!alen || EVP_DigestUpdate(ctx, a, alen)) &&
	    (!blen || EVP_DigestUpdate(ctx, b, blen)) &&
	    (!clen || EVP_DigestUpdate(ctx, c, clen)) &&
	    EVP_DigestFinal_ex(ctx, out, &n))
		ret = 0;
	EVP_MD_CTX_free(ctx);
	EVP_MD_free(md);
	return ret;
}

int chap_md5_response(uint8_t id, const char *secret, const uint8_t *chal,
		      size_t chal_len, uint8_t out[16])
{
	return digest("MD5", out, &id, 1, secret, strlen(secret), chal,
		      chal_len);
}

/* UTF-8 to UTF-16LE; invalid bytes are taken as Latin-1. */
static size_t utf16le(const char *s, uint8_t *out, size_t size)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t n = 0;

	while (*p && n + 4 <= size) {
		uint32_t c = *p++;

		if (c >= 0xc0 && c < 0xe0 && (p[0] & 0xc0) == 0x80) {
			c = (c & 0x1f) << 6 | (p[0] & 0x3f);
			p += 1;
		} else if (c >= 0xe0 && c < 0xf0 && (p[0] & 0xc0) == 0x80 &&
			   (p[1] & 0xc0) == 0x80) {
			c = (c & 0x0f) << 12 | (uint32_t)(p[0] & 0x3f) << 6 |
			    (p[1] & 0x3f);
			p += 2;
		} else if (c >= 0xf0 && c < 0xf8 && (p[0] & 0xc0) == 0x80 &&
			   (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80) {
			c = (c & 0x07) << 18 | (uint32_t)(p[0] & 0x3f) << 12 |
			    (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
			p += 3;
		}
		if (c >= 0x10000) {
			c -= 0x10000;
			out[n++] = (uint8_t)(0xd800 | c >> 10);
			out[n++] = (uint8_t)((0xd800 | c >> 10) >> 8);
			out[n++] = (uint8_t)(0xdc00 | (c & 0x3ff));
			out[n++] = (uint8_t)((0xdc00 | (c & 0x3ff)) >> 8);
		} else {
			out[n++] = (uint8_t)c;
			out[n++] = (uint8_t)(c >> 8);
		}
	}
	return n;
}

int mschap_nt_password_hash(const char *password, uint8_t out[16])
{
	uint8_t u[1024];
	size_t n = utf16le(password, u, sizeof(u));
	int ret = digest("MD4", out, u, n, NULL, 0, NULL, 0);

	OPENSSL_cleanse(u, sizeof(u));
	return ret;
}

const char *mschapv2_strip_domain(const char *user)
{
	const char *p = strrchr(user, '\\');

	return p ? p + 1 : user;
}

int mschapv2_challenge_hash(const uint8_t peer_chal[16],
			    const uint8_t auth_chal[16], const char *user,
			    uint8_t out[8])
{
	uint8_t d[20];
	const char *u = mschapv2_strip_domain(user);

	if (digest("SHA1", d, peer_chal, 16, auth_chal, 16, u, strlen(u)))
		return -EIO;
	memcpy(out, d, 8);
	return 0;
}

/* 7 key bytes to a DES key (parity bits left clear: DES ignores them). */
static void des_key(const uint8_t in[7], uint8_t k[8])
{
	int i;

	k[0] = in[0] >> 1;
	k[1] = (uint8_t)((in[0] & 0x01) << 6 | in[1] >> 2);
	k[2] = (uint8_t)((in[1] & 0x03) << 5 | in[2] >> 3);
	k[3] = (uint8_t)((in[2] & 0x07) << 4 | in[3] >> 4);
	k[4] = (uint8_t)((in[3] & 0x0f) << 3 | in[4] >> 5);
	k[5] = (uint8_t)((in[4] & 0x1f) << 2 | in[5] >> 6);
	k[6] = (uint8_t)((in[5] & 0x3f) << 1 | in[6] >> 7);
	k[7] = in[6] & 0x7f;
	for (i = 0; i < 8; i++)
		k[i] = (uint8_t)(k[i] << 1);
}

static int des_encrypt(const uint8_t key7[7], const uint8_t in[8],
		       uint8_t out[8])
{
	OSSL_LIB_CTX *lctx = legacy_ctx();
	EVP_CIPHER *c = lctx ? EVP_CIPHER_fetch(lctx, "DES-ECB", NULL) : NULL;
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	uint8_t k[8];
	int n = 0, ret = -EIO;

	des_key(key7, k);
	if (c && ctx && EVP_EncryptInit_ex(ctx, c, NULL, k, NULL) &&
	    EVP_CIPHER_CTX_set_padding(ctx, 0) &&
	    EVP_EncryptUpdate(ctx, out, &n, in, 8) && n == 8)
		ret = 0;
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(c);
	OPENSSL_cleanse(k, sizeof(k));
	return ret;
}

static int challenge_response(const uint8_t chal[8], const uint8_t hash[16],
			      uint8_t out[24])
{
	uint8_t z[21] = { 0 };
	int ret;

	memcpy(z, hash, 16);
	ret = des_encrypt(z, chal, out) || des_encrypt(z + 7, chal, out + 8) ||
	      des_encrypt(z + 14, chal, out + 16) ? -EIO : 0;
	OPENSSL_cleanse(z, sizeof(z));
	return ret;
}

int mschapv2_nt_response(const uint8_t auth_chal[16],
			 const uint8_t peer_chal[16], const char *user,
			 const char *password, uint8_t out[24])
{
	uint8_t ch[8], h[16];
	int ret;

	ret = mschapv2_challenge_hash(peer_chal, auth_chal, user, ch) ||
	      mschap_nt_password_hash(password, h) ||
	      challenge_response(ch, h, out) ? -EIO : 0;
	OPENSSL_cleanse(h, sizeof(h));
	return ret;
}

int mschapv2_authenticator_response(const char *password,
				    const uint8_t nt_response[24],
				    const uint8_t peer_chal[16],
				    const uint8_t auth_chal[16],
				    const char *user, char out[43])
{
	static const char magic1[] = "Magic server to client signing constant";
	static const char magic2[] = "Pad to make it do more than one iteration";
	uint8_t h[16], hh[16], d[20], ch[8];
	int i;

	if (mschap_nt_password_hash(password, h) ||
	    digest("MD4", hh, h, 16, NULL, 0, NULL, 0) ||
	    digest("SHA1", d, hh, 16, nt_response, 24, magic1,
		   sizeof(magic1) - 1) ||
	    mschapv2_challenge_hash(peer_chal, auth_chal, user, ch) ||
	    digest("SHA1", d, d, 20, ch, 8, magic2, sizeof(magic2) - 1)) {
		OPENSSL_cleanse(h, sizeof(h));
		return -EIO;
	}
	OPENSSL_cleanse(h, sizeof(h));
	OPENSSL_cleanse(hh, sizeof(hh));
	out[0] = 'S';
	out[1] = '=';
	for (i = 0; i < 20; i++)
		snprintf(out + 2 + 2 * i, 3, "%02X", d[i]);
	return 0;
}
