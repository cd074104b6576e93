// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: L2TPv2 control message codec (RFC 2661 sections 3, 4).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <syslog.h>

#include <openssl/evp.h>

#include "avp.h"

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

void l2tp_random(void *buf, size_t len)
{
	unsigned int intr = 0;
	uint8_t *p = buf;

	while (len) {
		ssize_t n = getrandom(p, len, 0);

		/* a signal: again; the pool is initialised after boot */
		if (n < 0 && errno == EINTR && ++intr < 1000)
			continue;
		if (n <= 0) {
			/*
			 * Tunnel ids, challenges, nonces would be guessable:
			 * stop, named, rather than spin or go on without.
			 */
			const char *why = n < 0 ? strerror(errno) : "no bytes";

			/*
			 * avp.c stands alone (its fuzzer links nothing else):
			 * the line goes to both places log.c may write to.
			 */
			fprintf(stderr,
				"core: getrandom: %s: no random bytes from the kernel for L2TP; l2tpsecd stops\n",
				why);
			syslog(LOG_ERR,
			       "core: getrandom: %s: no random bytes from the kernel for L2TP; l2tpsecd stops",
			       why);
			exit(1);
		}
		p += n;
		len -= (size_t)n;
	}
}

int l2tp_hdr_parse(const uint8_t *buf, size_t len, struct l2tp_hdr *h,
		   const char **why)
{
	memset(h, 0, sizeof(*h));
	if (len < L2TP_CTRL_HDR_LEN) {
		*why = "shorter than a control header";
		return -EBADMSG;
	}
	h->flags = get16(buf);
	if ((h->flags & L2TP_VER_MASK) != L2TP_VERSION) {
		*why = "not L2TP version 2";
		return -EBADMSG;
	}
	if (!(h->flags & L2TP_F_T)) {
		*why = "data message (T bit clear)";
		return -EBADMSG;
	}
	if ((h->flags & (L2TP_F_L | L2TP_F_S)) != (L2TP_F_L | L2TP_F_S)) {
		*why = "control message without L or S bit";
		return -EBADMSG;
	}
	if (h->flags & L2TP_F_O) {
		*why = "control message with O bit";
		return -EBADMSG;
	}
	h->length = get16(buf + 2);
	if (h->length < L2TP_CTRL_HDR_LEN || h->length > len) {
		*why = "Length field beyond the datagram";
		return -EBADMSG;
	}
	h->tunnel_id = get16(buf + 4);
	h->session_id = get16(buf + 6);
	h->ns = get16(buf + 8);
	h->nr = get16(buf + 10);
	h->hdr_len = L2TP_CTRL_HDR_LEN;
	return 0;
}

static const char *const msg_names[] = {
	[L2TP_ZLB] = "ZLB",
	[L2TP_SCCRQ] = "SCCRQ",
	[L2TP_SCCRP] = "SCCRP",
	[L2TP_SCCCN] = "SCCCN",
	[L2TP_STOPCCN] = "StopCCN",
	[L2TP_HELLO] = "HELLO",
	[L2TP_OCRQ] = "OCRQ",
	[L2TP_OCRP] = "OCRP",
	[L2TP_OCCN] = "OCCN",
	[L2TP_ICRQ] = "ICRQ",
	[L2TP_ICRP] = "ICRP",
	[L2TP_ICCN] = "ICCN",
	[L2TP_CDN] = "CDN",
	[L2TP_WEN] = "WEN",
	[L2TP_SLI] = "SLI",
};

const char *l2tp_msg_name(unsigned int type)
{
	static __thread char buf[32];

	if (type < sizeof(msg_names) / sizeof(msg_names[0]) && msg_names[type])
		return msg_names[type];
	snprintf(buf, sizeof(buf), "message type %u", type);
	return buf;
}

static void md5_parts(uint8_t out[16], const void *a, size_t alen,
		      const void *b, size_t blen, const void *c, size_t clen)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int n = 16;

	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_md5(), NULL) ||
	    (alen && !EVP_DigestUpdate(ctx, a, alen)) ||
	    (blen && !EVP_DigestUpdate(ctx, b, blen)) ||
	    (clen && !EVP_DigestUpdate(ctx, c, clen)) ||
	    !EVP_DigestFinal_ex(ctx, out, &n))
		memset(out, 0, 16);	/* cannot happen with the default provider */
	EVP_MD_CTX_free(ctx);
}

void l2tp_challenge_response(uint8_t type, const uint8_t *secret,
			     size_t secret_len, const uint8_t *chal,
			     size_t chal_len, uint8_t out[16])
{
	md5_parts(out, &type, 1, secret, secret_len, chal, chal_len);
}

/*
 * The hiding stream: b1 = MD5(type | secret | RV), bi = MD5(secret | c(i-1)),
 * each XORed over 16 bytes of the subformat (original length, value, pad).
 * @dir_hide: the previous ciphertext block is the output (hide) or the
 * input (unhide).
 */
static void hide_xor(uint16_t type, const uint8_t *secret, size_t secret_len,
		     const uint8_t *rv, size_t rv_len, const uint8_t *in,
		     uint8_t *out, size_t len, bool dir_hide)
{
	uint8_t b[16], tb[2];
	size_t off, i;

	put16(tb, type);
	md5_parts(b, tb, 2, secret, secret_len, rv, rv_len);
	for (off = 0; off < len; off += 16) {
		size_t n = len - off < 16 ? len - off : 16;

		if (off)
			md5_parts(b, secret, secret_len,
				  dir_hide ? out + off - 16 : in + off - 16,
				  16, NULL, 0);
		for (i = 0; i < n; i++)
			out[off + i] = in[off + i] ^ b[i];
	}
}

int l2tp_hide(uint16_t type, const uint8_t *secret, size_t secret_len,
	      const uint8_t *rv, size_t rv_len, const uint8_t *val,
	      size_t len, uint8_t *out, size_t out_size, size_t pad)
{
	uint8_t plain[L2TP_MAX_MSG];
	size_t total = 2 + len + pad;

	if (total > out_size || total > sizeof(plain) || len > 0xffff)
		return -EMSGSIZE;
	put16(plain, (uint16_t)len);
	memcpy(plain + 2, val, len);
	if (pad)
		l2tp_random(plain + 2 + len, pad);
	hide_xor(type, secret, secret_len, rv, rv_len, plain, out, total, true);
	return (int)total;
}

int l2tp_unhide(uint16_t type, const uint8_t *secret, size_t secret_len,
		const uint8_t *rv, size_t rv_len, const uint8_t *in,
		size_t in_len, uint8_t *out, size_t *out_len)
{
	uint8_t plain[L2TP_MAX_MSG];
	size_t olen;

	if (in_len < 2 || in_len > sizeof(plain))
		return -EBADMSG;
	hide_xor(type, secret, secret_len, rv, rv_len, in, plain, in_len,
		 false);
	olen = get16(plain);
	if (olen > in_len - 2)
		return -EBADMSG;
	memcpy(out, plain + 2, olen);
	*out_len = olen;
	return 0;
}

/* ------------------------------------------------------------------ */
/* parser */

static int perr(struct l2tp_perr *e, uint16_t code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int perr(struct l2tp_perr *e, uint16_t code, const char *fmt, ...)
{
	va_list ap;

	e->error_code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -EBADMSG;
}

/* Copy a string AVP, truncating, non-printable bytes shown as '?'. */
static void get_str(char *dst, size_t size, const uint8_t *v, size_t len)
{
	size_t i;

	if (len > size - 1)
		len = size - 1;
	for (i = 0; i < len; i++)
		dst[i] = (v[i] >= 0x20 && v[i] < 0x7f) ? (char)v[i] : '?';
	dst[len] = '\0';
}

/* Fixed-size AVPs; -1: any length (checked by the decoder), -2: >= 1. */
static int avp_size(unsigned int type)
{
	switch (type) {
	case L2TP_AVP_MESSAGE_TYPE:
	case L2TP_AVP_PROTOCOL_VERSION:
	case L2TP_AVP_FIRMWARE_REV:
	case L2TP_AVP_ASSIGNED_TUNNEL_ID:
	case L2TP_AVP_RECEIVE_WINDOW:
	case L2TP_AVP_ASSIGNED_SESSION_ID:
	case L2TP_AVP_PROXY_AUTHEN_TYPE:
	case L2TP_AVP_PROXY_AUTHEN_ID:
		return 2;
	case L2TP_AVP_FRAMING_CAP:
	case L2TP_AVP_BEARER_CAP:
	case L2TP_AVP_CALL_SERIAL:
	case L2TP_AVP_MIN_BPS:
	case L2TP_AVP_MAX_BPS:
	case L2TP_AVP_BEARER_TYPE:
	case L2TP_AVP_FRAMING_TYPE:
	case L2TP_AVP_TX_CONNECT_SPEED:
	case L2TP_AVP_RX_CONNECT_SPEED:
	case L2TP_AVP_PHYSICAL_CHANNEL:
		return 4;
	case L2TP_AVP_TIE_BREAKER:
		return 8;
	case L2TP_AVP_ACCM:
		return 10;
	case L2TP_AVP_CHALLENGE_RESPONSE:
		return 16;
	case L2TP_AVP_CALL_ERRORS:
		return 26;
	case L2TP_AVP_SEQUENCING_REQUIRED:
		return 0;
	case L2TP_AVP_HOST_NAME:
	case L2TP_AVP_CHALLENGE:
	case L2TP_AVP_RANDOM_VECTOR:
		return -2;
	case L2TP_AVP_RESULT_CODE:
	case L2TP_AVP_VENDOR_NAME:
	case L2TP_AVP_Q931_CAUSE:
	case L2TP_AVP_CALLED_NUMBER:
	case L2TP_AVP_CALLING_NUMBER:
	case L2TP_AVP_SUB_ADDRESS:
	case L2TP_AVP_INITIAL_RCVD_CONFREQ:
	case L2TP_AVP_LAST_SENT_CONFREQ:
	case L2TP_AVP_LAST_RCVD_CONFREQ:
	case L2TP_AVP_PROXY_AUTHEN_NAME:
	case L2TP_AVP_PROXY_AUTHEN_CHALLENGE:
	case L2TP_AVP_PROXY_AUTHEN_RESPONSE:
	case L2TP_AVP_PRIVATE_GROUP_ID:
		return -1;
	default:
		return -3;	/* unknown */
	}
}

static int decode_one(struct l2tp_avps *a, unsigned int type,
		      const uint8_t *v, size_t len, struct l2tp_perr *e)
{
	int want = avp_size(type);

	if ((want >= 0 && len != (size_t)want) || (want == -2 && len < 1))
		return perr(e, L2TP_ERR_LENGTH,
			    "AVP %u has length %zu, expected %s%d", type, len,
			    want == -2 ? "at least " : "", want == -2 ? 1 : want);
	switch (type) {
	case L2TP_AVP_MESSAGE_TYPE:
		a->msg_type = get16(v);
		break;
	case L2TP_AVP_RESULT_CODE:
		if (len < 2 || len == 3)
			return perr(e, L2TP_ERR_LENGTH,
				    "Result Code AVP has length %zu", len);
		a->result_code = get16(v);
		if (len >= 4) {
			a->error_code = get16(v + 2);
			get_str(a->error_msg, sizeof(a->error_msg), v + 4,
				len - 4);
		}
		break;
	case L2TP_AVP_PROTOCOL_VERSION:
		a->protocol_version = get16(v);
		break;
	case L2TP_AVP_FRAMING_CAP:
		a->framing_cap = get32(v);
		break;
	case L2TP_AVP_BEARER_CAP:
		a->bearer_cap = get32(v);
		break;
	case L2TP_AVP_TIE_BREAKER:
		memcpy(a->tie_breaker, v, 8);
		break;
	case L2TP_AVP_FIRMWARE_REV:
		a->firmware_rev = get16(v);
		break;
	case L2TP_AVP_HOST_NAME:
		get_str(a->host_name, sizeof(a->host_name), v, len);
		break;
	case L2TP_AVP_VENDOR_NAME:
		get_str(a->vendor_name, sizeof(a->vendor_name), v, len);
		break;
	case L2TP_AVP_ASSIGNED_TUNNEL_ID:
		a->assigned_tunnel_id = get16(v);
		break;
	case L2TP_AVP_RECEIVE_WINDOW:
		a->receive_window = get16(v);
		break;
	case L2TP_AVP_CHALLENGE:
		if (len > L2TP_MAX_CHALLENGE)
			return perr(e, L2TP_ERR_LENGTH,
				    "Challenge AVP of %zu bytes (we take %d)",
				    len, L2TP_MAX_CHALLENGE);
		memcpy(a->challenge, v, len);
		a->challenge_len = (uint16_t)len;
		break;
	case L2TP_AVP_Q931_CAUSE:
		if (len < 3)
			return perr(e, L2TP_ERR_LENGTH,
				    "Q.931 Cause AVP has length %zu", len);
		a->q931_cause = get16(v);
		break;
	case L2TP_AVP_CHALLENGE_RESPONSE:
		memcpy(a->challenge_response, v, 16);
		break;
	case L2TP_AVP_ASSIGNED_SESSION_ID:
		a->assigned_session_id = get16(v);
		break;
	case L2TP_AVP_CALL_SERIAL:
		a->call_serial = get32(v);
		break;
	case L2TP_AVP_MIN_BPS:
		a->min_bps = get32(v);
		break;
	case L2TP_AVP_MAX_BPS:
		a->max_bps = get32(v);
		break;
	case L2TP_AVP_BEARER_TYPE:
		a->bearer_type = get32(v);
		break;
	case L2TP_AVP_FRAMING_TYPE:
		a->framing_type = get32(v);
		break;
	case L2TP_AVP_CALLED_NUMBER:
		get_str(a->called_number, sizeof(a->called_number), v, len);
		break;
	case L2TP_AVP_CALLING_NUMBER:
		get_str(a->calling_number, sizeof(a->calling_number), v, len);
		break;
	case L2TP_AVP_TX_CONNECT_SPEED:
		a->tx_connect_speed = get32(v);
		break;
	case L2TP_AVP_RX_CONNECT_SPEED:
		a->rx_connect_speed = get32(v);
		break;
	case L2TP_AVP_PHYSICAL_CHANNEL:
		a->physical_channel = get32(v);
		break;
	case L2TP_AVP_PROXY_AUTHEN_TYPE:
		a->proxy_authen_type = get16(v);
		break;
	default:
		break;	/* accepted, not used */
	}
	a->present |= 1ull << type;
	return 0;
}

int l2tp_avps_parse(const uint8_t *buf, size_t len, const uint8_t *secret,
		    size_t secret_len, struct l2tp_avps *a,
		    struct l2tp_perr *err)
{
	uint8_t rv[L2TP_MAX_MSG], plain[L2TP_MAX_MSG];
	size_t rv_len = 0, off = 0;
	bool first = true;

	memset(a, 0, sizeof(*a));
	memset(err, 0, sizeof(*err));
	if (len == 0) {
		a->msg_type = L2TP_ZLB;
		return 0;
	}
	while (off < len) {
		const uint8_t *p = buf + off, *v;
		uint16_t fl, alen, vendor, type;
		size_t vlen;
		bool mand, hidden;

		if (len - off < L2TP_AVP_HDR_LEN)
			return perr(err, L2TP_ERR_LENGTH,
				    "%zu trailing bytes after the last AVP",
				    len - off);
		fl = get16(p);
		alen = fl & L2TP_AVP_LEN_MASK;
		vendor = get16(p + 2);
		type = get16(p + 4);
		mand = fl & L2TP_AVP_M;
		hidden = fl & L2TP_AVP_H;
		if (alen < L2TP_AVP_HDR_LEN || alen > len - off)
			return perr(err, L2TP_ERR_LENGTH,
				    "AVP %u:%u Length %u outside the message",
				    vendor, type, alen);
		off += alen;
		v = p + L2TP_AVP_HDR_LEN;
		vlen = alen - L2TP_AVP_HDR_LEN;

		if (first) {
			first = false;
			if (vendor || type != L2TP_AVP_MESSAGE_TYPE || hidden)
				return perr(err, L2TP_ERR_RANGE,
					    "first AVP is %u:%u, not Message Type",
					    vendor, type);
			a->msg_type_mandatory = mand;
		}
		/* Reserved bits set, or a vendor's AVP: unrecognized. */
		if ((fl & L2TP_AVP_RSVD) || vendor ||
		    avp_size(type) == -3) {
			if (mand) {
				err->unknown_mandatory = true;
				return perr(err, L2TP_ERR_UNKNOWN_MANDATORY,
					    "unknown mandatory AVP %u:%u (flags %#x)",
					    vendor, type, fl & 0xfc00);
			}
			a->unknown_skipped++;
			continue;
		}
		if (type == L2TP_AVP_RANDOM_VECTOR) {
			if (hidden || vlen < 1)
				return perr(err, L2TP_ERR_LENGTH,
					    "malformed Random Vector AVP");
			memcpy(rv, v, vlen);
			rv_len = vlen;
			a->present |= 1ull << type;
			continue;
		}
		if (hidden) {
			if (type == L2TP_AVP_MESSAGE_TYPE)
				return perr(err, L2TP_ERR_RANGE,
					    "hidden Message Type AVP");
			if (!rv_len)
				return perr(err, L2TP_ERR_RANGE,
					    "hidden AVP %u without a Random Vector before it",
					    type);
			if (!secret || !secret_len) {
				if (!mand) {
					a->unknown_skipped++;
					continue;
				}
				return perr(err, L2TP_ERR_RANGE,
					    "hidden AVP %u but no tunnel secret is configured",
					    type);
			}
			if (l2tp_unhide(type, secret, secret_len, rv, rv_len, v,
					vlen, plain, &vlen))
				return perr(err, L2TP_ERR_LENGTH,
					    "hidden AVP %u does not decode (wrong secret?)",
					    type);
			v = plain;
			a->hidden++;
		}
		if (decode_one(a, type, v, vlen, err))
			return -EBADMSG;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* builder */

static uint8_t *mb_avp(struct l2tp_mb *m, uint16_t fl, uint16_t type,
		       size_t vlen)
{
	size_t alen = L2TP_AVP_HDR_LEN + vlen;
	uint8_t *p;

	if (m->overflow || alen > L2TP_AVP_LEN_MASK ||
	    m->len + alen > sizeof(m->buf)) {
		m->overflow = true;
		return NULL;
	}
	p = m->buf + m->len;
	put16(p, fl | (uint16_t)alen);
	put16(p + 2, 0);
	put16(p + 4, type);
	m->len += alen;
	return p + L2TP_AVP_HDR_LEN;
}

void l2tp_mb_init(struct l2tp_mb *m, uint16_t msg_type, const uint8_t *secret,
		  size_t secret_len)
{
	memset(m, 0, L2TP_CTRL_HDR_LEN);
	m->len = L2TP_CTRL_HDR_LEN;
	m->overflow = false;
	m->secret = secret;
	m->secret_len = secret_len;
	m->have_rv = false;
	l2tp_mb_u16(m, L2TP_AVP_MESSAGE_TYPE, true, msg_type);
}

void l2tp_mb_bytes(struct l2tp_mb *m, uint16_t type, bool mandatory,
		   const void *val, size_t len)
{
	uint8_t *p = mb_avp(m, mandatory ? L2TP_AVP_M : 0, type, len);

	if (p && len)
		memcpy(p, val, len);
}

void l2tp_mb_u16(struct l2tp_mb *m, uint16_t type, bool mandatory, uint16_t v)
{
	uint8_t b[2];

	put16(b, v);
	l2tp_mb_bytes(m, type, mandatory, b, 2);
}

void l2tp_mb_u32(struct l2tp_mb *m, uint16_t type, bool mandatory, uint32_t v)
{
	uint32_t be = htonl(v);

	l2tp_mb_bytes(m, type, mandatory, &be, 4);
}

void l2tp_mb_str(struct l2tp_mb *m, uint16_t type, bool mandatory,
		 const char *s)
{
	l2tp_mb_bytes(m, type, mandatory, s, strlen(s));
}

void l2tp_mb_result(struct l2tp_mb *m, uint16_t result, uint16_t error,
		    const char *msg)
{
	uint8_t b[4 + 128];
	size_t n = 4;

	put16(b, result);
	put16(b + 2, error);
	if (msg) {
		size_t l = strlen(msg);

		if (l > sizeof(b) - 4)
			l = sizeof(b) - 4;
		memcpy(b + 4, msg, l);
		n += l;
	}
	l2tp_mb_bytes(m, L2TP_AVP_RESULT_CODE, true, b, n);
}

void l2tp_mb_hidden(struct l2tp_mb *m, uint16_t type, bool mandatory,
		    const void *val, size_t len)
{
	uint8_t out[L2TP_MAX_MSG];
	uint8_t padb;
	int n;

	if (!m->secret || !m->secret_len) {
		l2tp_mb_bytes(m, type, mandatory, val, len);
		return;
	}
	if (!m->have_rv) {
		l2tp_random(m->rv, sizeof(m->rv));
		l2tp_mb_bytes(m, L2TP_AVP_RANDOM_VECTOR, true, m->rv,
			      sizeof(m->rv));
		m->have_rv = true;
	}
	/* A little random padding hides the value's length. */
	l2tp_random(&padb, 1);
	n = l2tp_hide(type, m->secret, m->secret_len, m->rv, sizeof(m->rv),
		      val, len, out, sizeof(out), padb % 16);
	if (n < 0) {
		m->overflow = true;
		return;
	}
	{
		uint8_t *p = mb_avp(m, (mandatory ? L2TP_AVP_M : 0) |
				       L2TP_AVP_H, type, (size_t)n);

		if (p)
			memcpy(p, out, (size_t)n);
	}
}

int l2tp_mb_finish(struct l2tp_mb *m, uint16_t tunnel_id, uint16_t session_id)
{
	if (m->overflow)
		return -EMSGSIZE;
	put16(m->buf, L2TP_CTRL_FLAGS);
	put16(m->buf + 2, (uint16_t)m->len);
	put16(m->buf + 4, tunnel_id);
	put16(m->buf + 6, session_id);
	return 0;
}

size_t l2tp_zlb_build(uint8_t *buf, uint16_t tunnel_id, uint16_t ns,
		      uint16_t nr)
{
	put16(buf, L2TP_CTRL_FLAGS);
	put16(buf + 2, L2TP_CTRL_HDR_LEN);
	put16(buf + 4, tunnel_id);
	put16(buf + 6, 0);
	put16(buf + 8, ns);
	put16(buf + 10, nr);
	return L2TP_CTRL_HDR_LEN;
}

void l2tp_set_ns_nr(uint8_t *msg, uint16_t ns, uint16_t nr)
{
	put16(msg + 8, ns);
	put16(msg + 10, nr);
}
