/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd: L2TPv2 control message codec (RFC 2661 sections 3, 4).
 *
 * Parsing is strict and never trusts a length: l2tp_hdr_parse() checks the
 * header, l2tp_avps_parse() walks the AVPs into struct l2tp_avps, decoding
 * hidden AVPs (section 4.3) with the tunnel secret. Unknown AVPs without
 * the M bit are skipped; an unknown AVP with the M bit set, a known one of
 * the wrong length, or a malformed list fails with the Result/Error codes
 * the RFC wants in the StopCCN or CDN that follows.
 *
 * The builder (struct l2tp_mb) writes a control message with its Message
 * Type AVP first; l2tp_mb_hidden() hides a value, emitting the Random
 * Vector AVP it needs first.
 */
#ifndef L2TPSECD_L2TP_AVP_H
#define L2TPSECD_L2TP_AVP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Header flags/version word. */
#define L2TP_F_T		0x8000
#define L2TP_F_L		0x4000
#define L2TP_F_S		0x0800
#define L2TP_F_O		0x0200
#define L2TP_F_P		0x0100
#define L2TP_VER_MASK		0x000f
#define L2TP_VERSION		2
#define L2TP_CTRL_FLAGS		(L2TP_F_T | L2TP_F_L | L2TP_F_S | L2TP_VERSION)
#define L2TP_CTRL_HDR_LEN	12

#define L2TP_AVP_M		0x8000
#define L2TP_AVP_H		0x4000
#define L2TP_AVP_RSVD		0x3c00
#define L2TP_AVP_LEN_MASK	0x03ff
#define L2TP_AVP_HDR_LEN	6

#define L2TP_MAX_MSG		1500
#define L2TP_MAX_NAME		64
#define L2TP_MAX_CHALLENGE	64
#define L2TP_MAX_SECRET		128

enum l2tp_msg_type {
	L2TP_ZLB	= 0,	/* not a type on the wire: no AVPs */
	L2TP_SCCRQ	= 1,
	L2TP_SCCRP	= 2,
	L2TP_SCCCN	= 3,
	L2TP_STOPCCN	= 4,
	L2TP_HELLO	= 6,
	L2TP_OCRQ	= 7,
	L2TP_OCRP	= 8,
	L2TP_OCCN	= 9,
	L2TP_ICRQ	= 10,
	L2TP_ICRP	= 11,
	L2TP_ICCN	= 12,
	L2TP_CDN	= 14,
	L2TP_WEN	= 15,
	L2TP_SLI	= 16,
	L2TP_MSG_MAX	= 16,
};

enum l2tp_avp_type {
	L2TP_AVP_MESSAGE_TYPE		= 0,
	L2TP_AVP_RESULT_CODE		= 1,
	L2TP_AVP_PROTOCOL_VERSION	= 2,
	L2TP_AVP_FRAMING_CAP		= 3,
	L2TP_AVP_BEARER_CAP		= 4,
	L2TP_AVP_TIE_BREAKER		= 5,
	L2TP_AVP_FIRMWARE_REV		= 6,
	L2TP_AVP_HOST_NAME		= 7,
	L2TP_AVP_VENDOR_NAME		= 8,
	L2TP_AVP_ASSIGNED_TUNNEL_ID	= 9,
	L2TP_AVP_RECEIVE_WINDOW		= 10,
	L2TP_AVP_CHALLENGE		= 11,
	L2TP_AVP_Q931_CAUSE		= 12,
	L2TP_AVP_CHALLENGE_RESPONSE	= 13,
	L2TP_AVP_ASSIGNED_SESSION_ID	= 14,
	L2TP_AVP_CALL_SERIAL		= 15,
	L2TP_AVP_MIN_BPS		= 16,
	L2TP_AVP_MAX_BPS		= 17,
	L2TP_AVP_BEARER_TYPE		= 18,
	L2TP_AVP_FRAMING_TYPE		= 19,
	L2TP_AVP_CALLED_NUMBER		= 21,
	L2TP_AVP_CALLING_NUMBER		= 22,
	L2TP_AVP_SUB_ADDRESS		= 23,
	L2TP_AVP_TX_CONNECT_SPEED	= 24,
	L2TP_AVP_PHYSICAL_CHANNEL	= 25,
	L2TP_AVP_INITIAL_RCVD_CONFREQ	= 26,
	L2TP_AVP_LAST_SENT_CONFREQ	= 27,
	L2TP_AVP_LAST_RCVD_CONFREQ	= 28,
	L2TP_AVP_PROXY_AUTHEN_TYPE	= 29,
	L2TP_AVP_PROXY_AUTHEN_NAME	= 30,
	L2TP_AVP_PROXY_AUTHEN_CHALLENGE	= 31,
	L2TP_AVP_PROXY_AUTHEN_ID	= 32,
	L2TP_AVP_PROXY_AUTHEN_RESPONSE	= 33,
	L2TP_AVP_CALL_ERRORS		= 34,
	L2TP_AVP_ACCM			= 35,
	L2TP_AVP_RANDOM_VECTOR		= 36,
	L2TP_AVP_PRIVATE_GROUP_ID	= 37,
	L2TP_AVP_RX_CONNECT_SPEED	= 38,
	L2TP_AVP_SEQUENCING_REQUIRED	= 39,
	L2TP_AVP_MAX			= 39,
};

/* StopCCN Result Codes (RFC 2661 4.4.2). */
enum {
	L2TP_STOPCCN_GENERAL_REQUEST	= 1,	/* general request to clear */
	L2TP_STOPCCN_GENERAL_ERROR	= 2,	/* see error code */
	L2TP_STOPCCN_ALREADY_EXISTS	= 3,
	L2TP_STOPCCN_NOT_AUTHORIZED	= 4,
	L2TP_STOPCCN_BAD_VERSION	= 5,
	L2TP_STOPCCN_SHUTTING_DOWN	= 6,
	L2TP_STOPCCN_FSM_ERROR		= 7,
};

/* CDN Result Codes. */
enum {
	L2TP_CDN_LOST_CARRIER		= 1,
	L2TP_CDN_GENERAL_ERROR		= 2,	/* see error code */
	L2TP_CDN_ADMIN			= 3,
	L2TP_CDN_NO_RESOURCES		= 4,
	L2TP_CDN_NOT_AVAILABLE		= 5,
	L2TP_CDN_INVALID_DEST		= 6,
	L2TP_CDN_NO_CARRIER		= 7,
	L2TP_CDN_BUSY			= 8,
	L2TP_CDN_NO_DIAL_TONE		= 9,
	L2TP_CDN_TIMEOUT		= 10,
	L2TP_CDN_BAD_FRAMING		= 11,
};

/* General Error Codes. */
enum {
	L2TP_ERR_NONE			= 0,
	L2TP_ERR_NO_CONTROL		= 1,
	L2TP_ERR_LENGTH			= 2,
	L2TP_ERR_RANGE			= 3,
	L2TP_ERR_RESOURCES		= 4,
	L2TP_ERR_SESSION_ID		= 5,
	L2TP_ERR_VENDOR			= 6,
	L2TP_ERR_TRY_ANOTHER		= 7,
	L2TP_ERR_UNKNOWN_MANDATORY	= 8,
};

struct l2tp_hdr {
	uint16_t	flags;		/* the whole flags/version word */
	uint16_t	length;		/* total, when L is set; else buffer */
	uint16_t	tunnel_id, session_id;
	uint16_t	ns, nr;		/* when S is set */
	uint16_t	hdr_len;	/* where the payload/AVPs start */
};

/*
 * Parse and check a control message header (T, L, S set, O clear, version
 * 2, Length within @len). 0 or -EBADMSG with *why set.
 */
int l2tp_hdr_parse(const uint8_t *buf, size_t len, struct l2tp_hdr *h,
		   const char **why);

struct l2tp_avps {
	uint64_t	present;	/* bit (1 << type) for standard AVPs */
	uint16_t	msg_type;
	bool		msg_type_mandatory;
	uint16_t	result_code, error_code;
	char		error_msg[128];
	uint16_t	protocol_version;
	uint32_t	framing_cap, bearer_cap;
	uint8_t		tie_breaker[8];
	uint16_t	firmware_rev;
	char		host_name[L2TP_MAX_NAME + 1];
	char		vendor_name[L2TP_MAX_NAME + 1];
	uint16_t	assigned_tunnel_id;
	uint16_t	receive_window;
	uint8_t		challenge[L2TP_MAX_CHALLENGE];
	uint16_t	challenge_len;
	uint8_t		challenge_response[16];
	uint16_t	q931_cause;
	uint16_t	assigned_session_id;
	uint32_t	call_serial;
	uint32_t	min_bps, max_bps;
	uint32_t	bearer_type, framing_type;
	char		called_number[L2TP_MAX_NAME + 1];
	char		calling_number[L2TP_MAX_NAME + 1];
	uint32_t	tx_connect_speed, rx_connect_speed;
	uint32_t	physical_channel;
	uint16_t	proxy_authen_type;
	/* Counters for the caller's debug line. */
	unsigned int	unknown_skipped;
	unsigned int	hidden;
};

static inline bool l2tp_avp_has(const struct l2tp_avps *a, unsigned int type)
{
	return type < 64 && (a->present & (1ull << type));
}

/* Why parsing failed, as Result and Error codes and a log text. */
struct l2tp_perr {
	uint16_t	error_code;	/* L2TP_ERR_* */
	bool		unknown_mandatory;
	char		msg[128];
};

/*
 * Parse the AVPs of a control message (@buf/@len: the AVPs only). @secret
 * (may be NULL) decodes hidden AVPs. 0, or -EBADMSG with @err filled.
 * A message with no AVPs is a ZLB: msg_type L2TP_ZLB.
 */
int l2tp_avps_parse(const uint8_t *buf, size_t len, const uint8_t *secret,
		    size_t secret_len, struct l2tp_avps *a,
		    struct l2tp_perr *err);

/* Name of a message type, "message type 99" style for unknown ones. */
const char *l2tp_msg_name(unsigned int type);

/* Message builder. */
struct l2tp_mb {
	uint8_t		buf[L2TP_MAX_MSG];
	size_t		len;
	bool		overflow;
	const uint8_t	*secret;	/* for hidden AVPs */
	size_t		secret_len;
	uint8_t		rv[16];
	bool		have_rv;
};

/* Header (ids and Ns/Nr filled later) and the Message Type AVP. */
void l2tp_mb_init(struct l2tp_mb *m, uint16_t msg_type, const uint8_t *secret,
		  size_t secret_len);
void l2tp_mb_bytes(struct l2tp_mb *m, uint16_t type, bool mandatory,
		   const void *val, size_t len);
void l2tp_mb_u16(struct l2tp_mb *m, uint16_t type, bool mandatory,
		 uint16_t v);
void l2tp_mb_u32(struct l2tp_mb *m, uint16_t type, bool mandatory,
		 uint32_t v);
void l2tp_mb_str(struct l2tp_mb *m, uint16_t type, bool mandatory,
		 const char *s);
/* Result Code AVP: result, error, optional message. */
void l2tp_mb_result(struct l2tp_mb *m, uint16_t result, uint16_t error,
		    const char *msg);
/* A hidden AVP (4.3); falls back to a plain one without a secret. */
void l2tp_mb_hidden(struct l2tp_mb *m, uint16_t type, bool mandatory,
		    const void *val, size_t len);
/* Fill in the length and ids; Ns/Nr are the sender's. 0 or -EMSGSIZE. */
int l2tp_mb_finish(struct l2tp_mb *m, uint16_t tunnel_id, uint16_t session_id);

/* Build a ZLB (12 bytes) into @buf. */
size_t l2tp_zlb_build(uint8_t *buf, uint16_t tunnel_id, uint16_t ns,
		      uint16_t nr);
/* Patch Ns and Nr into a built control message. */
void l2tp_set_ns_nr(uint8_t *msg, uint16_t ns, uint16_t nr);

/*
 * Tunnel authentication (4.4.2 Challenge Response): MD5 of the 1-byte
 * message type the response is carried in, the secret and the challenge.
 */
void l2tp_challenge_response(uint8_t type, const uint8_t *secret,
			     size_t secret_len, const uint8_t *chal,
			     size_t chal_len, uint8_t out[16]);

/* Hide/unhide one AVP value (4.3). Exposed for the tests. */
int l2tp_hide(uint16_t type, const uint8_t *secret, size_t secret_len,
	      const uint8_t *rv, size_t rv_len, const uint8_t *val,
	      size_t len, uint8_t *out, size_t out_size, size_t pad);
int l2tp_unhide(uint16_t type, const uint8_t *secret, size_t secret_len,
		const uint8_t *rv, size_t rv_len, const uint8_t *in,
		size_t in_len, uint8_t *out, size_t *out_len);

void l2tp_random(void *buf, size_t len);

#endif
