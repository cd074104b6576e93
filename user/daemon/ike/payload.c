// SPDX-License-Identifier: GPL-2.0
/*
 * ISAKMP message codec (RFC 2408 3, RFC 2407 4, RFC 3947, IKEv1
 * fragmentation). See payload.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "payload.h"

#define FAIL(w)	do { if (why) *why = (w); return -EBADMSG; } while (0)

void ike_put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void ike_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

uint16_t ike_get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

uint32_t ike_get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

const char *ike_payload_name(uint8_t type)
{
	switch (type) {
	case ISAKMP_NP_NONE: return "NONE";
	case ISAKMP_NP_SA: return "SA";
	case ISAKMP_NP_P: return "PROPOSAL";
	case ISAKMP_NP_T: return "TRANSFORM";
	case ISAKMP_NP_KE: return "KE";
	case ISAKMP_NP_ID: return "ID";
	case ISAKMP_NP_CERT: return "CERT";
	case ISAKMP_NP_CR: return "CERTREQ";
	case ISAKMP_NP_HASH: return "HASH";
	case ISAKMP_NP_SIG: return "SIG";
	case ISAKMP_NP_NONCE: return "NONCE";
	case ISAKMP_NP_N: return "NOTIFY";
	case ISAKMP_NP_D: return "DELETE";
	case ISAKMP_NP_VID: return "VID";
	case ISAKMP_NP_ATTR: return "ATTR";
	case ISAKMP_NP_NATD: return "NAT-D";
	case ISAKMP_NP_NATOA: return "NAT-OA";
	case ISAKMP_NP_NATD_DRAFT: return "NAT-D(draft)";
	case ISAKMP_NP_NATOA_DRAFT: return "NAT-OA(draft)";
	case ISAKMP_NP_FRAG: return "FRAGMENT";
	default: return "unknown";
	}
}

const char *ike_exch_name(uint8_t exch)
{
	switch (exch) {
	case ISAKMP_XCHG_BASE: return "Base";
	case ISAKMP_XCHG_IDPROT: return "Main Mode";
	case ISAKMP_XCHG_AUTH_ONLY: return "Authentication Only";
	case ISAKMP_XCHG_AGGRESSIVE: return "Aggressive Mode";
	case ISAKMP_XCHG_INFO: return "Informational";
	case ISAKMP_XCHG_TRANSACTION: return "Transaction (Mode Config/XAUTH)";
	case ISAKMP_XCHG_QUICK: return "Quick Mode";
	default: return "unknown";
	}
}

const char *ike_notify_name(uint16_t type)
{
	static const char *const names[] = {
		[N_INVALID_PAYLOAD_TYPE] = "INVALID-PAYLOAD-TYPE",
		[N_DOI_NOT_SUPPORTED] = "DOI-NOT-SUPPORTED",
		[N_SITUATION_NOT_SUPPORTED] = "SITUATION-NOT-SUPPORTED",
		[N_INVALID_COOKIE] = "INVALID-COOKIE",
		[N_INVALID_MAJOR_VERSION] = "INVALID-MAJOR-VERSION",
		[N_INVALID_MINOR_VERSION] = "INVALID-MINOR-VERSION",
		[N_INVALID_EXCHANGE_TYPE] = "INVALID-EXCHANGE-TYPE",
		[N_INVALID_FLAGS] = "INVALID-FLAGS",
		[N_INVALID_MESSAGE_ID] = "INVALID-MESSAGE-ID",
		[N_INVALID_PROTOCOL_ID] = "INVALID-PROTOCOL-ID",
		[N_INVALID_SPI] = "INVALID-SPI",
		[N_INVALID_TRANSFORM_ID] = "INVALID-TRANSFORM-ID",
		[N_ATTRIBUTES_NOT_SUPPORTED] = "ATTRIBUTES-NOT-SUPPORTED",
		[N_NO_PROPOSAL_CHOSEN] = "NO-PROPOSAL-CHOSEN",
		[N_BAD_PROPOSAL_SYNTAX] = "BAD-PROPOSAL-SYNTAX",
		[N_PAYLOAD_MALFORMED] = "PAYLOAD-MALFORMED",
		[N_INVALID_KEY_INFORMATION] = "INVALID-KEY-INFORMATION",
		[N_INVALID_ID_INFORMATION] = "INVALID-ID-INFORMATION",
		[N_INVALID_CERT_ENCODING] = "INVALID-CERT-ENCODING",
		[N_INVALID_CERTIFICATE] = "INVALID-CERTIFICATE",
		[N_CERT_TYPE_UNSUPPORTED] = "CERT-TYPE-UNSUPPORTED",
		[N_INVALID_CERT_AUTHORITY] = "INVALID-CERT-AUTHORITY",
		[N_INVALID_HASH_INFORMATION] = "INVALID-HASH-INFORMATION",
		[N_AUTHENTICATION_FAILED] = "AUTHENTICATION-FAILED",
		[N_INVALID_SIGNATURE] = "INVALID-SIGNATURE",
		[N_ADDRESS_NOTIFICATION] = "ADDRESS-NOTIFICATION",
		[N_NOTIFY_SA_LIFETIME] = "NOTIFY-SA-LIFETIME",
		[N_CERTIFICATE_UNAVAILABLE] = "CERTIFICATE-UNAVAILABLE",
		[N_UNSUPPORTED_EXCHANGE_TYPE] = "UNSUPPORTED-EXCHANGE-TYPE",
		[N_UNEQUAL_PAYLOAD_LENGTHS] = "UNEQUAL-PAYLOAD-LENGTHS",
	};

	if (type < sizeof(names) / sizeof(names[0]) && names[type])
		return names[type];
	switch (type) {
	case N_RESPONDER_LIFETIME: return "RESPONDER-LIFETIME";
	case N_REPLAY_STATUS: return "REPLAY-STATUS";
	case N_INITIAL_CONTACT: return "INITIAL-CONTACT";
	case N_DPD_R_U_THERE: return "R-U-THERE";
	case N_DPD_R_U_THERE_ACK: return "R-U-THERE-ACK";
	default: return "unknown notify";
	}
}

int ike_hdr_parse(const uint8_t *buf, size_t len, struct isakmp_hdr *h,
		  const char **why)
{
	if (len < ISAKMP_HDR_LEN)
		FAIL("shorter than the ISAKMP header");
	memcpy(h->icky, buf, 8);
	memcpy(h->rcky, buf + 8, 8);
	h->np = buf[16];
	h->version = buf[17];
	h->exch = buf[18];
	h->flags = buf[19];
	h->msgid = ike_get_be32(buf + 20);
	h->len = ike_get_be32(buf + 24);
	if (h->len != len)
		FAIL("header length differs from the datagram's");
	return 0;
}

void ike_hdr_write(uint8_t *buf, const struct isakmp_hdr *h)
{
	memcpy(buf, h->icky, 8);
	memcpy(buf + 8, h->rcky, 8);
	buf[16] = h->np;
	buf[17] = h->version;
	buf[18] = h->exch;
	buf[19] = h->flags;
	ike_put_be32(buf + 20, h->msgid);
	ike_put_be32(buf + 24, h->len);
}

int ike_chain_parse(uint8_t first, const uint8_t *buf, size_t len, bool pad,
		    struct ike_msg *m, const char **why)
{
	uint8_t type = first;
	size_t off = 0;

	m->n = 0;
	m->used = 0;
	while (type != ISAKMP_NP_NONE) {
		size_t plen;

		if (len - off < ISAKMP_GEN_LEN)
			FAIL("payload header truncated");
		if (m->n == IKE_MAX_PAYLOADS)
			FAIL("too many payloads");
		plen = ike_get_be16(buf + off + 2);
		if (plen < ISAKMP_GEN_LEN)
			FAIL("payload length below 4");
		if (plen > len - off)
			FAIL("payload longer than the message");
		m->pl[m->n].type = type;
		m->pl[m->n].raw = buf + off;
		m->pl[m->n].body = buf + off + ISAKMP_GEN_LEN;
		m->pl[m->n].len = plen - ISAKMP_GEN_LEN;
		m->n++;
		type = buf[off];
		off += plen;
	}
	m->used = off;
	if (off != len && !pad)
		FAIL("bytes after the last payload");
	return 0;
}

const struct ike_pl *ike_msg_find(const struct ike_msg *m, uint8_t type,
				  unsigned int nth)
{
	unsigned int i;

	for (i = 0; i < m->n; i++)
		if (m->pl[i].type == type && nth-- == 0)
			return &m->pl[i];
	return NULL;
}

unsigned int ike_msg_count(const struct ike_msg *m, uint8_t type)
{
	unsigned int i, n = 0;

	for (i = 0; i < m->n; i++)
		n += m->pl[i].type == type;
	return n;
}

/* ---- SA ---------------------------------------------------------------- */

int ike_sa_parse(const uint8_t *body, size_t len, uint32_t *doi,
		 uint32_t *sit, struct ike_iter *props, const char **why)
{
	if (len < 8)
		FAIL("SA payload shorter than DOI and situation");
	*doi = ike_get_be32(body);
	*sit = ike_get_be32(body + 4);
	if (*doi != IPSEC_DOI)
		FAIL("SA payload DOI is not IPsec");
	/* SIT_IDENTITY_ONLY alone has no labeled data after it. */
	if (*sit != IPSEC_SIT_IDENTITY_ONLY)
		FAIL("SA payload situation is not identity-only");
	props->p = body + 8;
	props->left = len - 8;
	props->next = ISAKMP_NP_P;
	props->err = NULL;
	if (!props->left)
		FAIL("SA payload without proposals");
	return 0;
}

/*
 * The next generic-header-framed item of type @type (P in SA, T in P):
 * items carry their own "next payload" field, which must say @type while
 * more follow and 0 on the last.
 */
static int sub_next(struct ike_iter *it, uint8_t type, size_t min,
		    const uint8_t **p, size_t *plen)
{
	size_t n;

	if (it->err)
		return -EBADMSG;
	if (!it->left) {
		if (it->next != ISAKMP_NP_NONE) {
			it->err = "chain says more follow, but the payload ends";
			return -EBADMSG;
		}
		return 0;
	}
	if (it->next == ISAKMP_NP_NONE) {
		it->err = "bytes after the last item";
		return -EBADMSG;
	}
	if (it->left < min) {
		it->err = "item truncated";
		return -EBADMSG;
	}
	n = ike_get_be16(it->p + 2);
	if (n < min || n > it->left) {
		it->err = "item length out of bounds";
		return -EBADMSG;
	}
	if (it->p[0] != type && it->p[0] != ISAKMP_NP_NONE) {
		it->err = "wrong next-payload type inside SA";
		return -EBADMSG;
	}
	it->next = it->p[0];
	*p = it->p;
	*plen = n;
	it->p += n;
	it->left -= n;
	return 1;
}

int ike_prop_next(struct ike_iter *it, struct ike_prop *pr)
{
	const uint8_t *p;
	size_t n;
	int ret;

	ret = sub_next(it, ISAKMP_NP_P, 8, &p, &n);
	if (ret <= 0)
		return ret;
	pr->num = p[4];
	pr->proto = p[5];
	pr->spi_size = p[6];
	pr->ntrans = p[7];
	if ((size_t)8 + pr->spi_size > n) {
		it->err = "proposal SPI longer than the proposal";
		return -EBADMSG;
	}
	pr->spi = p + 8;
	pr->trans = p + 8 + pr->spi_size;
	pr->trans_len = n - 8 - pr->spi_size;
	if (!pr->ntrans || !pr->trans_len) {
		it->err = "proposal without transforms";
		return -EBADMSG;
	}
	return 1;
}

void ike_trans_iter(const struct ike_prop *p, struct ike_iter *it)
{
	it->p = p->trans;
	it->left = p->trans_len;
	it->next = ISAKMP_NP_T;
	it->err = NULL;
}

int ike_trans_next(struct ike_iter *it, struct ike_trans *t)
{
	const uint8_t *p;
	size_t n;
	int ret;

	ret = sub_next(it, ISAKMP_NP_T, 8, &p, &n);
	if (ret <= 0)
		return ret;
	t->num = p[4];
	t->id = p[5];
	t->raw = p;
	t->raw_len = n;
	t->attrs = p + 8;
	t->attrs_len = n - 8;
	return 1;
}

void ike_attr_iter(const struct ike_trans *t, struct ike_iter *it)
{
	it->p = t->attrs;
	it->left = t->attrs_len;
	it->next = 0xff;	/* unused */
	it->err = NULL;
}

int ike_attr_next(struct ike_iter *it, struct ike_attr *a)
{
	uint16_t t;
	size_t i;

	if (it->err)
		return -EBADMSG;
	if (!it->left)
		return 0;
	if (it->left < 4) {
		it->err = "attribute truncated";
		return -EBADMSG;
	}
	t = ike_get_be16(it->p);
	a->type = t & 0x7fff;
	a->tv = t & 0x8000;
	if (a->tv) {
		a->val = ike_get_be16(it->p + 2);
		a->val_ok = true;
		a->data = it->p + 2;
		a->len = 2;
		it->p += 4;
		it->left -= 4;
		return 1;
	}
	a->len = ike_get_be16(it->p + 2);
	if (a->len > it->left - 4) {
		it->err = "attribute value longer than the transform";
		return -EBADMSG;
	}
	a->data = it->p + 4;
	a->val = 0;
	a->val_ok = a->len > 0 && a->len <= 4;
	for (i = 0; i < a->len && a->val_ok; i++)
		a->val = a->val << 8 | a->data[i];
	/* Longer numbers are fine when their high bytes are zero. */
	if (!a->val_ok && a->len > 4) {
		a->val_ok = true;
		for (i = 0; i < a->len - 4; i++)
			if (a->data[i])
				a->val_ok = false;
		if (a->val_ok)
			a->val = ike_get_be32(a->data + a->len - 4);
	}
	it->p += 4 + a->len;
	it->left -= 4 + a->len;
	return 1;
}

/* ---- typed bodies ------------------------------------------------------ */

int ike_id_parse(const uint8_t *body, size_t len, struct ike_id *id,
		 const char **why)
{
	if (len < 4)
		FAIL("ID payload truncated");
	id->type = body[0];
	id->proto = body[1];
	id->port = ike_get_be16(body + 2);
	id->data = body + 4;
	id->len = len - 4;
	switch (id->type) {
	case ID_IPV4_ADDR:
		if (id->len != 4)
			FAIL("ID_IPV4_ADDR is not 4 bytes");
		break;
	case ID_IPV4_ADDR_SUBNET:
	case ID_IPV4_ADDR_RANGE:
		if (id->len != 8)
			FAIL("IPv4 subnet or range ID is not 8 bytes");
		break;
	case ID_IPV6_ADDR:
		if (id->len != 16)
			FAIL("ID_IPV6_ADDR is not 16 bytes");
		break;
	case ID_IPV6_ADDR_SUBNET:
	case ID_IPV6_ADDR_RANGE:
		if (id->len != 32)
			FAIL("IPv6 subnet or range ID is not 32 bytes");
		break;
	default:
		if (!id->len)
			FAIL("empty ID");
		break;
	}
	return 0;
}

static void hex(char *buf, size_t len, const uint8_t *p, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n && o + 3 <= len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%02x", p[i]);
	if (n == 0 && len)
		buf[0] = '\0';
}

static void printable(char *buf, size_t len, const uint8_t *p, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n && o + 1 < len; i++) {
		uint8_t c = p[i];

		buf[o++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	if (len)
		buf[o] = '\0';
}

void ike_id_str(const struct ike_id *id, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	switch (id->type) {
	case ID_IPV4_ADDR:
		inet_ntop(AF_INET, id->data, a, sizeof(a));
		snprintf(buf, len, "%s", a);
		break;
	case ID_IPV4_ADDR_SUBNET:
	case ID_IPV4_ADDR_RANGE:
		inet_ntop(AF_INET, id->data, a, sizeof(a));
		inet_ntop(AF_INET, id->data + 4, b, sizeof(b));
		snprintf(buf, len, "%s%c%s", a,
			 id->type == ID_IPV4_ADDR_SUBNET ? '/' : '-', b);
		break;
	case ID_IPV6_ADDR:
		inet_ntop(AF_INET6, id->data, a, sizeof(a));
		snprintf(buf, len, "%s", a);
		break;
	case ID_FQDN:
	case ID_USER_FQDN:
		printable(buf, len, id->data, id->len);
		break;
	case ID_KEY_ID: {
		char h[130];

		hex(h, sizeof(h), id->data, id->len < 64 ? id->len : 64);
		snprintf(buf, len, "keyid:%s", h);
		break;
	}
	case ID_DER_ASN1_DN:
		/* The caller renders DNs with OpenSSL; we only label them. */
		snprintf(buf, len, "(DN, %zu bytes)", id->len);
		break;
	default:
		snprintf(buf, len, "(ID type %u, %zu bytes)", id->type,
			 id->len);
		break;
	}
}

int ike_notify_parse(const uint8_t *body, size_t len, struct ike_notify *n,
		     const char **why)
{
	if (len < 8)
		FAIL("notification truncated");
	n->doi = ike_get_be32(body);
	n->proto = body[4];
	n->spi_size = body[5];
	n->type = ike_get_be16(body + 6);
	if ((size_t)8 + n->spi_size > len)
		FAIL("notification SPI longer than the payload");
	n->spi = body + 8;
	n->data = body + 8 + n->spi_size;
	n->data_len = len - 8 - n->spi_size;
	return 0;
}

int ike_delete_parse(const uint8_t *body, size_t len, struct ike_delete *d,
		     const char **why)
{
	if (len < 8)
		FAIL("delete payload truncated");
	d->doi = ike_get_be32(body);
	d->proto = body[4];
	d->spi_size = body[5];
	d->nspi = ike_get_be16(body + 6);
	d->spis = body + 8;
	if (!d->spi_size || !d->nspi)
		FAIL("delete payload without SPIs");
	if ((size_t)d->spi_size * d->nspi != len - 8)
		FAIL("delete payload SPI count and length disagree");
	return 0;
}

int ike_cert_parse(const uint8_t *body, size_t len, struct ike_cert *c,
		   const char **why)
{
	if (len < 1)
		FAIL("certificate payload truncated");
	c->enc = body[0];
	c->data = body + 1;
	c->len = len - 1;
	return 0;
}

int ike_natoa_parse(const uint8_t *body, size_t len, struct ike_natoa *o,
		    const char **why)
{
	if (len < 4)
		FAIL("NAT-OA truncated");
	o->id_type = body[0];
	o->addr = 0;
	if (o->id_type == ID_IPV4_ADDR) {
		if (len != 8)
			FAIL("NAT-OA IPv4 address is not 4 bytes");
		memcpy(&o->addr, body + 4, 4);
	} else if (o->id_type == ID_IPV6_ADDR) {
		if (len != 20)
			FAIL("NAT-OA IPv6 address is not 16 bytes");
	} else {
		FAIL("NAT-OA with an ID type other than an address");
	}
	return 0;
}

int ike_frag_parse(const uint8_t *body, size_t len, struct ike_frag *f,
		   const char **why)
{
	if (len < 4)
		FAIL("fragment payload truncated");
	f->id = ike_get_be16(body);
	f->num = body[2];
	f->last = body[3] & 0x01;
	f->data = body + 4;
	f->len = len - 4;
	if (!f->num)
		FAIL("fragment number 0");
	if (!f->len)
		FAIL("empty fragment");
	return 0;
}

/* ---- building ---------------------------------------------------------- */

void ike_buf_init(struct ike_buf *b)
{
	memset(b, 0, sizeof(*b));
}

void ike_buf_free(struct ike_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

static bool grow(struct ike_buf *b, size_t n)
{
	size_t cap;
	uint8_t *d;

	if (b->err)
		return false;
	if (b->len + n <= b->cap)
		return true;
	if (b->len + n > IKE_MAX_MSG) {
		b->err = true;
		return false;
	}
	cap = b->cap ? b->cap : 512;
	while (cap < b->len + n)
		cap *= 2;
	d = realloc(b->data, cap);
	if (!d) {
		b->err = true;
		return false;
	}
	b->data = d;
	b->cap = cap;
	return true;
}

void ike_buf_put(struct ike_buf *b, const void *p, size_t n)
{
	if (!n || !grow(b, n))
		return;
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

void ike_buf_zero(struct ike_buf *b, size_t n)
{
	if (!n || !grow(b, n))
		return;
	memset(b->data + b->len, 0, n);
	b->len += n;
}

void ike_buf_u8(struct ike_buf *b, uint8_t v)
{
	ike_buf_put(b, &v, 1);
}

void ike_buf_u16(struct ike_buf *b, uint16_t v)
{
	uint8_t p[2];

	ike_put_be16(p, v);
	ike_buf_put(b, p, 2);
}

void ike_buf_u32(struct ike_buf *b, uint32_t v)
{
	uint8_t p[4];

	ike_put_be32(p, v);
	ike_buf_put(b, p, 4);
}

void ike_buf_hdr(struct ike_buf *b, const struct isakmp_hdr *h)
{
	uint8_t p[ISAKMP_HDR_LEN];
	struct isakmp_hdr hh = *h;

	hh.np = ISAKMP_NP_NONE;
	hh.len = ISAKMP_HDR_LEN;
	ike_hdr_write(p, &hh);
	b->len = 0;
	ike_buf_put(b, p, sizeof(p));
	b->np_off = 16;
}

size_t ike_buf_begin(struct ike_buf *b, uint8_t type)
{
	size_t start = b->len;

	if (!grow(b, ISAKMP_GEN_LEN))
		return start;
	b->data[b->np_off] = type;
	b->np_off = start;
	b->data[start] = ISAKMP_NP_NONE;
	b->data[start + 1] = 0;
	b->data[start + 2] = 0;
	b->data[start + 3] = 0;
	b->len += ISAKMP_GEN_LEN;
	return start;
}

size_t ike_buf_sub_begin(struct ike_buf *b, uint8_t next)
{
	size_t start = b->len;
	uint8_t h[ISAKMP_GEN_LEN] = { next, 0, 0, 0 };

	ike_buf_put(b, h, sizeof(h));
	return start;
}

void ike_buf_end(struct ike_buf *b, size_t start)
{
	if (b->err)
		return;
	if (b->len - start > 0xffff) {
		b->err = true;
		return;
	}
	ike_put_be16(b->data + start + 2, (uint16_t)(b->len - start));
}

void ike_buf_payload(struct ike_buf *b, uint8_t type, const void *body,
		     size_t len)
{
	size_t s = ike_buf_begin(b, type);

	ike_buf_put(b, body, len);
	ike_buf_end(b, s);
}

void ike_buf_finish(struct ike_buf *b)
{
	if (b->err || b->len < ISAKMP_HDR_LEN)
		return;
	ike_put_be32(b->data + 24, (uint32_t)b->len);
}

void ike_buf_attr_tv(struct ike_buf *b, uint16_t type, uint16_t val)
{
	ike_buf_u16(b, type | 0x8000);
	ike_buf_u16(b, val);
}

void ike_buf_attr_tlv(struct ike_buf *b, uint16_t type, const void *val,
		      size_t len)
{
	ike_buf_u16(b, type & 0x7fff);
	ike_buf_u16(b, (uint16_t)len);
	ike_buf_put(b, val, len);
}

void ike_buf_attr_u32(struct ike_buf *b, uint16_t type, uint32_t val)
{
	uint8_t p[4];

	if (val <= 0xffff) {
		ike_buf_attr_tv(b, type, (uint16_t)val);
		return;
	}
	ike_put_be32(p, val);
	ike_buf_attr_tlv(b, type, p, 4);
}
