// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: RADIUS packets: building requests (attributes, hidden
 * User-Password, Message-Authenticator) and checking replies (Response
 * Authenticator, Message-Authenticator) with OpenSSL's MD5 and HMAC.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "radius.h"

#define HDR	20
#define MA_OFF	HDR		/* our requests carry it first */

static void put16(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void radius_pkt_init(struct radius_pkt *p, uint8_t code, uint8_t id,
		     const uint8_t auth[16])
{
	memset(p->buf, 0, HDR + 18);
	p->buf[0] = code;
	p->buf[1] = id;
	memcpy(p->buf + 4, auth, 16);
	/* Message-Authenticator first (the BlastRADIUS advice), signed last */
	p->buf[MA_OFF] = RA_MESSAGE_AUTHENTICATOR;
	p->buf[MA_OFF + 1] = 18;
	p->len = HDR + 18;
	p->overflow = false;
}

void radius_pkt_add(struct radius_pkt *p, uint8_t type, const void *v,
		    size_t len)
{
	if (len > 253 || p->len + 2 + len > sizeof(p->buf)) {
		p->overflow = true;
		return;
	}
	p->buf[p->len] = type;
	p->buf[p->len + 1] = (uint8_t)(len + 2);
	if (len)
		memcpy(p->buf + p->len + 2, v, len);
	p->len += 2 + len;
}

void radius_pkt_add_u32(struct radius_pkt *p, uint8_t type, uint32_t v)
{
	uint8_t b[4] = { v >> 24, v >> 16, v >> 8, v };

	radius_pkt_add(p, type, b, 4);
}

void radius_pkt_add_str(struct radius_pkt *p, uint8_t type, const char *s)
{
	if (s && s[0])
		radius_pkt_add(p, type, s, strlen(s));
}

void radius_pkt_add_vsa(struct radius_pkt *p, uint32_t vendor, uint8_t type,
			const void *v, size_t len)
{
	uint8_t b[253];

	if (len > sizeof(b) - 6) {
		p->overflow = true;
		return;
	}
	b[0] = (uint8_t)(vendor >> 24);
	b[1] = (uint8_t)(vendor >> 16);
	b[2] = (uint8_t)(vendor >> 8);
	b[3] = (uint8_t)vendor;
	b[4] = type;
	b[5] = (uint8_t)(len + 2);
	memcpy(b + 6, v, len);
	radius_pkt_add(p, RA_VENDOR_SPECIFIC, b, len + 6);
}

static int md5(uint8_t out[16], const void *a, size_t al, const void *b,
	       size_t bl, const void *c, size_t cl)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int n = 0;
	int ok;

	if (!ctx)
		return -ENOMEM;
	ok = EVP_DigestInit_ex(ctx, EVP_md5(), NULL) &&
	     EVP_DigestUpdate(ctx, a, al) &&
	     (!bl || EVP_DigestUpdate(ctx, b, bl)) &&
	     (!cl || EVP_DigestUpdate(ctx, c, cl)) &&
	     EVP_DigestFinal_ex(ctx, out, &n);
	EVP_MD_CTX_free(ctx);
	return ok && n == 16 ? 0 : -EIO;
}

/* RFC 2865 5.2 */
int radius_pkt_add_password(struct radius_pkt *p, const uint8_t *pw,
			    size_t len, const char *secret)
{
	uint8_t out[128], b[16];
	const uint8_t *prev = p->buf + 4;
	size_t n = len ? (len + 15) / 16 * 16 : 16, i, j;

	if (len > sizeof(out))
		return -EINVAL;
	memset(out, 0, n);
	memcpy(out, pw, len);
	for (i = 0; i < n; i += 16) {
		if (md5(b, secret, strlen(secret), prev, 16, NULL, 0)) {
			OPENSSL_cleanse(out, sizeof(out));
			return -EIO;
		}
		for (j = 0; j < 16; j++)
			out[i + j] ^= b[j];
		prev = out + i;
	}
	radius_pkt_add(p, RA_USER_PASSWORD, out, n);
	OPENSSL_cleanse(out, sizeof(out));
	OPENSSL_cleanse(b, sizeof(b));
	return p->overflow ? -EMSGSIZE : 0;
}

static int hmac_md5(uint8_t out[16], const char *secret, const uint8_t *d,
		    size_t len)
{
	unsigned int n = 0;

	if (!HMAC(EVP_md5(), secret, (int)strlen(secret), d, len, out, &n) ||
	    n != 16)
		return -EIO;
	return 0;
}

int radius_pkt_finish_request(struct radius_pkt *p, const char *secret)
{
	if (p->overflow)
		return -EMSGSIZE;
	put16(p->buf + 2, p->len);
	memset(p->buf + MA_OFF + 2, 0, 16);
	return hmac_md5(p->buf + MA_OFF + 2, secret, p->buf, p->len);
}

int radius_reply_check(const uint8_t *buf, size_t len,
		       const struct radius_pkt *req, const char *secret)
{
	uint8_t tmp[RADIUS_MAX_PACKET], want[16];
	const uint8_t *a;
	size_t plen, ma = 0, seen = HDR;

	if (len < HDR || len > sizeof(tmp))
		return -EBADMSG;
	plen = (size_t)buf[2] << 8 | buf[3];
	if (plen < HDR || plen > len)
		return -EBADMSG;
	len = plen;	/* octets past Length are padding (RFC 2865 3) */
	radius_for_each_attr(a, buf, len) {
		if (a[0] == RA_MESSAGE_AUTHENTICATOR) {
			if (a[1] != 18 || ma)
				return -EBADMSG;
			ma = (size_t)(a - buf);
		}
		seen = (size_t)(a - buf) + a[1];
	}
	if (seen != len)
		return -EBADMSG;
	if (buf[1] != req->buf[1])
		return -ESRCH;
	/* Response Authenticator: MD5(Code+ID+Length+RequestAuth+Attrs+Secret) */
	memcpy(tmp, buf, len);
	memcpy(tmp + 4, req->buf + 4, 16);
	if (md5(want, tmp, len, secret, strlen(secret), NULL, 0))
		return -EIO;
	if (CRYPTO_memcmp(want, buf + 4, 16))
		return -EPERM;
	if (!ma)
		return -ENOKEY;
	/* RFC 3579 3.2: over the reply with the request's authenticator */
	memset(tmp + ma + 2, 0, 16);
	if (hmac_md5(want, secret, tmp, len))
		return -EIO;
	if (CRYPTO_memcmp(want, buf + ma + 2, 16))
		return -EKEYREJECTED;
	return 0;
}
