/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ISAKMP (RFC 2408) message codec for IKEv1: the header, the generic
 * payload chain, the SA/proposal/transform/attribute nesting, and the
 * typed bodies (KE, ID, nonce, hash, notification, delete, NAT-D, NAT-OA,
 * fragment). Pure functions over byte buffers: no state, no crypto, no
 * sockets. Every length is checked; a parse function returns 0, or
 * -EBADMSG with *why set to a static string naming what is wrong.
 */
#ifndef L2TPSECD_IKE_PAYLOAD_H
#define L2TPSECD_IKE_PAYLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ISAKMP_HDR_LEN		28
#define ISAKMP_GEN_LEN		4
#define ISAKMP_VERSION		0x10	/* major 1, minor 0 */
#define IKE_MAX_PAYLOADS	48
#define IKE_MAX_MSG		65535

/* Exchange types. */
enum {
	ISAKMP_XCHG_BASE	= 1,
	ISAKMP_XCHG_IDPROT	= 2,	/* Main Mode */
	ISAKMP_XCHG_AUTH_ONLY	= 3,
	ISAKMP_XCHG_AGGRESSIVE	= 4,
	ISAKMP_XCHG_INFO	= 5,
	ISAKMP_XCHG_TRANSACTION	= 6,	/* Mode Config, XAUTH */
	ISAKMP_XCHG_QUICK	= 32,
};

/* Header flags. */
#define ISAKMP_FLAG_E		0x01
#define ISAKMP_FLAG_C		0x02
#define ISAKMP_FLAG_A		0x04

/* Payload types. */
enum {
	ISAKMP_NP_NONE		= 0,
	ISAKMP_NP_SA		= 1,
	ISAKMP_NP_P		= 2,
	ISAKMP_NP_T		= 3,
	ISAKMP_NP_KE		= 4,
	ISAKMP_NP_ID		= 5,
	ISAKMP_NP_CERT		= 6,
	ISAKMP_NP_CR		= 7,
	ISAKMP_NP_HASH		= 8,
	ISAKMP_NP_SIG		= 9,
	ISAKMP_NP_NONCE		= 10,
	ISAKMP_NP_N		= 11,
	ISAKMP_NP_D		= 12,
	ISAKMP_NP_VID		= 13,
	ISAKMP_NP_ATTR		= 14,
	ISAKMP_NP_NATD		= 20,	/* RFC 3947 */
	ISAKMP_NP_NATOA		= 21,
	ISAKMP_NP_NATD_DRAFT	= 130,	/* draft-ietf-ipsec-nat-t-ike-02/03 */
	ISAKMP_NP_NATOA_DRAFT	= 131,
	ISAKMP_NP_FRAG		= 132,	/* Cisco/strongSwan IKEv1 fragments */
};

/* DOI, protocols. */
#define IPSEC_DOI		1
#define IPSEC_SIT_IDENTITY_ONLY	1
enum {
	PROTO_ISAKMP		= 1,
	PROTO_IPSEC_AH		= 2,
	PROTO_IPSEC_ESP		= 3,
};

/* ID types (RFC 2407 4.6.2.1). */
enum {
	ID_IPV4_ADDR		= 1,
	ID_FQDN			= 2,
	ID_USER_FQDN		= 3,
	ID_IPV4_ADDR_SUBNET	= 4,
	ID_IPV6_ADDR		= 5,
	ID_IPV6_ADDR_SUBNET	= 6,
	ID_IPV4_ADDR_RANGE	= 7,
	ID_IPV6_ADDR_RANGE	= 8,
	ID_DER_ASN1_DN		= 9,
	ID_DER_ASN1_GN		= 10,
	ID_KEY_ID		= 11,
};

/* Certificate encodings. */
#define CERT_X509_SIGNATURE	4

/* Notify message types. */
enum {
	N_INVALID_PAYLOAD_TYPE		= 1,
	N_DOI_NOT_SUPPORTED		= 2,
	N_SITUATION_NOT_SUPPORTED	= 3,
	N_INVALID_COOKIE		= 4,
	N_INVALID_MAJOR_VERSION		= 5,
	N_INVALID_MINOR_VERSION		= 6,
	N_INVALID_EXCHANGE_TYPE		= 7,
	N_INVALID_FLAGS			= 8,
	N_INVALID_MESSAGE_ID		= 9,
	N_INVALID_PROTOCOL_ID		= 10,
	N_INVALID_SPI			= 11,
	N_INVALID_TRANSFORM_ID		= 12,
	N_ATTRIBUTES_NOT_SUPPORTED	= 13,
	N_NO_PROPOSAL_CHOSEN		= 14,
	N_BAD_PROPOSAL_SYNTAX		= 15,
	N_PAYLOAD_MALFORMED		= 16,
	N_INVALID_KEY_INFORMATION	= 17,
	N_INVALID_ID_INFORMATION	= 18,
	N_INVALID_CERT_ENCODING		= 19,
	N_INVALID_CERTIFICATE		= 20,
	N_CERT_TYPE_UNSUPPORTED		= 21,
	N_INVALID_CERT_AUTHORITY	= 22,
	N_INVALID_HASH_INFORMATION	= 23,
	N_AUTHENTICATION_FAILED		= 24,
	N_INVALID_SIGNATURE		= 25,
	N_ADDRESS_NOTIFICATION		= 26,
	N_NOTIFY_SA_LIFETIME		= 27,
	N_CERTIFICATE_UNAVAILABLE	= 28,
	N_UNSUPPORTED_EXCHANGE_TYPE	= 29,
	N_UNEQUAL_PAYLOAD_LENGTHS	= 30,
	N_RESPONDER_LIFETIME		= 24576,
	N_REPLAY_STATUS			= 24577,
	N_INITIAL_CONTACT		= 24578,
	N_DPD_R_U_THERE			= 36136,
	N_DPD_R_U_THERE_ACK		= 36137,
};

/* The fixed header, fields in host order. */
struct isakmp_hdr {
	uint8_t		icky[8], rcky[8];
	uint8_t		np;
	uint8_t		version;
	uint8_t		exch;
	uint8_t		flags;
	uint32_t	msgid;
	uint32_t	len;
};

/* One payload of a chain: @body is after the 4-byte generic header. */
struct ike_pl {
	uint8_t		type;
	const uint8_t	*raw;		/* the generic header */
	const uint8_t	*body;
	size_t		len;		/* of the body */
};

struct ike_msg {
	struct ike_pl	pl[IKE_MAX_PAYLOADS];
	unsigned int	n;
	size_t		used;		/* bytes the chain covered */
};

const char *ike_payload_name(uint8_t type);
const char *ike_exch_name(uint8_t exch);
const char *ike_notify_name(uint16_t type);

/* The header of a datagram; the length field must match @len exactly. */
int ike_hdr_parse(const uint8_t *buf, size_t len, struct isakmp_hdr *h,
		  const char **why);
void ike_hdr_write(uint8_t *buf, const struct isakmp_hdr *h);

/*
 * Walk a payload chain that starts with type @first in @buf. Bytes after
 * the last payload (encryption padding) are allowed when @pad is set.
 */
int ike_chain_parse(uint8_t first, const uint8_t *buf, size_t len, bool pad,
		    struct ike_msg *m, const char **why);
const struct ike_pl *ike_msg_find(const struct ike_msg *m, uint8_t type,
				  unsigned int nth);
unsigned int ike_msg_count(const struct ike_msg *m, uint8_t type);

/* ---- SA payload -------------------------------------------------------- */

struct ike_attr {
	uint16_t	type;		/* without the AF bit */
	bool		tv;		/* basic (type/value) form */
	uint32_t	val;		/* TV value, or a variable value of <= 4 bytes */
	bool		val_ok;		/* @val holds the whole value */
	const uint8_t	*data;
	size_t		len;
};

struct ike_trans {
	uint8_t		num, id;
	const uint8_t	*raw;		/* generic header of the T payload */
	size_t		raw_len;
	const uint8_t	*attrs;
	size_t		attrs_len;
};

struct ike_prop {
	uint8_t		num, proto, spi_size, ntrans;
	const uint8_t	*spi;
	const uint8_t	*trans;		/* the transform payloads */
	size_t		trans_len;
};

/* An iterator over a byte range; @err says why it stopped early. */
struct ike_iter {
	const uint8_t	*p;
	size_t		left;
	uint8_t		next;		/* expected next payload type */
	const char	*err;
};

/* SA body: DOI and situation, then the proposals. */
int ike_sa_parse(const uint8_t *body, size_t len, uint32_t *doi,
		 uint32_t *sit, struct ike_iter *props, const char **why);
/* 1: *p filled; 0: end; -EBADMSG: it->err says why. */
int ike_prop_next(struct ike_iter *it, struct ike_prop *p);
void ike_trans_iter(const struct ike_prop *p, struct ike_iter *it);
int ike_trans_next(struct ike_iter *it, struct ike_trans *t);
void ike_attr_iter(const struct ike_trans *t, struct ike_iter *it);
int ike_attr_next(struct ike_iter *it, struct ike_attr *a);

/* ---- typed bodies ------------------------------------------------------ */

struct ike_id {
	uint8_t		type, proto;
	uint16_t	port;
	const uint8_t	*data;
	size_t		len;
};
int ike_id_parse(const uint8_t *body, size_t len, struct ike_id *id,
		 const char **why);
/* "192.0.2.1", "vpn.example.com", "CN=...", ... for messages. */
void ike_id_str(const struct ike_id *id, char *buf, size_t len);

struct ike_notify {
	uint32_t	doi;
	uint8_t		proto, spi_size;
	uint16_t	type;
	const uint8_t	*spi;
	const uint8_t	*data;
	size_t		data_len;
};
int ike_notify_parse(const uint8_t *body, size_t len, struct ike_notify *n,
		     const char **why);

struct ike_delete {
	uint32_t	doi;
	uint8_t		proto, spi_size;
	uint16_t	nspi;
	const uint8_t	*spis;
};
int ike_delete_parse(const uint8_t *body, size_t len, struct ike_delete *d,
		     const char **why);

struct ike_cert {
	uint8_t		enc;
	const uint8_t	*data;
	size_t		len;
};
int ike_cert_parse(const uint8_t *body, size_t len, struct ike_cert *c,
		   const char **why);

struct ike_natoa {
	uint8_t		id_type;
	uint32_t	addr;		/* network order */
};
int ike_natoa_parse(const uint8_t *body, size_t len, struct ike_natoa *o,
		    const char **why);

struct ike_frag {
	uint16_t	id;
	uint8_t		num;
	bool		last;
	const uint8_t	*data;
	size_t		len;
};
int ike_frag_parse(const uint8_t *body, size_t len, struct ike_frag *f,
		   const char **why);

/* ---- building ---------------------------------------------------------- */

/*
 * A growing message. Payloads are opened with ike_buf_begin(), which links
 * them into the chain (it patches the previous "next payload" byte), and
 * closed with ike_buf_end(), which writes their length. A failed
 * allocation sets @err; the message is then dropped by its sender.
 */
struct ike_buf {
	uint8_t		*data;
	size_t		len, cap;
	size_t		np_off;		/* where the next "next payload" goes */
	bool		err;
};

void ike_buf_init(struct ike_buf *b);
void ike_buf_free(struct ike_buf *b);
void ike_buf_put(struct ike_buf *b, const void *p, size_t n);
void ike_buf_zero(struct ike_buf *b, size_t n);
void ike_buf_u8(struct ike_buf *b, uint8_t v);
void ike_buf_u16(struct ike_buf *b, uint16_t v);
void ike_buf_u32(struct ike_buf *b, uint32_t v);
/* The header; its next-payload and length are filled in as we go. */
void ike_buf_hdr(struct ike_buf *b, const struct isakmp_hdr *h);
size_t ike_buf_begin(struct ike_buf *b, uint8_t type);
void ike_buf_end(struct ike_buf *b, size_t start);
/*
 * An item nested in a payload (a proposal in an SA, a transform in a
 * proposal): its own "next" byte is @next, the chain is not touched.
 */
size_t ike_buf_sub_begin(struct ike_buf *b, uint8_t next);
/* A whole payload with @body. */
void ike_buf_payload(struct ike_buf *b, uint8_t type, const void *body,
		     size_t len);
/* Set the header length field to the current length. */
void ike_buf_finish(struct ike_buf *b);

/* TV and TLV attributes. */
void ike_buf_attr_tv(struct ike_buf *b, uint16_t type, uint16_t val);
void ike_buf_attr_tlv(struct ike_buf *b, uint16_t type, const void *val,
		      size_t len);
/* A variable-length number (a lifetime): TV when it fits 16 bits, else a
 * 4-byte TLV, as the other implementations send it. */
void ike_buf_attr_u32(struct ike_buf *b, uint16_t type, uint32_t val);

void ike_put_be16(uint8_t *p, uint16_t v);
void ike_put_be32(uint8_t *p, uint32_t v);
uint16_t ike_get_be16(const uint8_t *p);
uint32_t ike_get_be32(const uint8_t *p);

#endif
