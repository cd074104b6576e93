/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Proposals: the algorithm lists of the configuration ("aes256-sha256-
 * modp2048" for phase 1, "aes256-sha1" or "aes128gcm16-modp2048" for ESP),
 * decoding a peer's SA payload into transforms, choosing one, and when
 * none fits, saying which attribute differs. No state.
 */
#ifndef L2TPSECD_IKE_PROPOSAL_H
#define L2TPSECD_IKE_PROPOSAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "payload.h"

#define IKE_MAX_ALGS	64	/* per list */
#define IKE_MAX_OFFERS	64	/* transforms in a peer's SA */

/* Phase 1 attribute types (RFC 2409 appendix A). */
enum {
	P1_ATTR_ENC		= 1,
	P1_ATTR_HASH		= 2,
	P1_ATTR_AUTH		= 3,
	P1_ATTR_GROUP		= 4,
	P1_ATTR_GROUP_TYPE	= 5,
	P1_ATTR_LIFE_TYPE	= 11,
	P1_ATTR_LIFE_DURATION	= 12,
	P1_ATTR_PRF		= 13,
	P1_ATTR_KEY_LENGTH	= 14,
};

/* Phase 1 authentication methods. */
enum {
	AUTH_PSK		= 1,
	AUTH_DSS		= 2,
	AUTH_RSA_SIG		= 3,
	AUTH_RSA_ENC		= 4,
	AUTH_RSA_REV_ENC	= 5,
	AUTH_ECDSA_256		= 9,
	AUTH_ECDSA_384		= 10,
	AUTH_XAUTH_INIT_PSK	= 65001,
	AUTH_XAUTH_RESP_PSK	= 65002,
	AUTH_XAUTH_INIT_RSA	= 65005,
	AUTH_XAUTH_RESP_RSA	= 65006,
};
#define AUTH_MASK(m)	(1u << (m))	/* for m < 32 */

enum { LIFE_SECONDS = 1, LIFE_KILOBYTES = 2 };

/* Phase 2 (IPsec DOI) attribute types, RFC 2407 4.5. */
enum {
	P2_ATTR_LIFE_TYPE	= 1,
	P2_ATTR_LIFE_DURATION	= 2,
	P2_ATTR_GROUP		= 3,
	P2_ATTR_ENCAP		= 4,
	P2_ATTR_AUTH		= 5,
	P2_ATTR_KEY_LENGTH	= 6,
	P2_ATTR_KEY_ROUNDS	= 7,
};

/* Encapsulation modes (RFC 2407, RFC 3947, and the drafts' values). */
enum {
	ENCAP_TUNNEL		= 1,
	ENCAP_TRANSPORT		= 2,
	ENCAP_UDP_TUNNEL	= 3,
	ENCAP_UDP_TRANSPORT	= 4,
	ENCAP_UDP_TUNNEL_DRAFT	= 61443,
	ENCAP_UDP_TRANSPORT_DRAFT = 61444,
};

/* ESP transform IDs. */
enum {
	ESP_DES			= 2,
	ESP_3DES		= 3,
	ESP_NULL		= 11,
	ESP_AES_CBC		= 12,
	ESP_AES_GCM_8		= 18,
	ESP_AES_GCM_12		= 19,
	ESP_AES_GCM_16		= 20,
};

/* Phase 2 authentication algorithms. */
enum {
	AALG_NONE		= 0,
	AALG_HMAC_MD5		= 1,
	AALG_HMAC_SHA1		= 2,
	AALG_HMAC_SHA256	= 5,
	AALG_HMAC_SHA384	= 6,
	AALG_HMAC_SHA512	= 7,
};

/* One phase 1 algorithm set of ours. */
struct p1_alg {
	uint16_t	enc;		/* IKE_ENC_* */
	uint16_t	keylen;		/* bits, 0 for 3DES */
	uint16_t	hash;		/* IKE_HASH_* */
	uint16_t	group;		/* IKE_GROUP_* */
};

/* One ESP algorithm set of ours; group 0: no PFS required. */
struct p2_alg {
	uint8_t		esp;		/* ESP_* */
	uint16_t	keylen;		/* bits */
	uint16_t	auth;		/* AALG_*, 0 with GCM */
	uint16_t	group;		/* PFS */
};

/* A transform a peer offers (or a responder chose), decoded. */
struct p1_xform {
	struct p1_alg	alg;
	uint16_t	auth;		/* AUTH_* */
	uint32_t	life_s, life_kb;
	uint8_t		pnum, tnum;
	const uint8_t	*raw;		/* the T payload, for the answer */
	size_t		raw_len;
	const char	*unsupported;	/* an attribute we cannot honour */
};

struct p2_xform {
	struct p2_alg	alg;
	uint16_t	encap;
	uint32_t	life_s, life_kb;
	uint8_t		pnum, tnum;
	uint32_t	spi;		/* the proposal's SPI (the sender's) */
	const uint8_t	*raw;
	size_t		raw_len;
	const char	*unsupported;
};

/* ---- configuration ----------------------------------------------------- */

/*
 * Parse a comma- or blank-separated list; "default" expands to the
 * defaults (which include the legacy algorithms when @legacy). An entry
 * with modp1024, 3DES or MD5 needs @legacy. 0, or -EINVAL with @err set.
 */
int p1_list_parse(const char *s, bool legacy, struct p1_alg *out,
		  size_t max, size_t *n, char *err, size_t errlen);
int p2_list_parse(const char *s, bool legacy, struct p2_alg *out,
		  size_t max, size_t *n, char *err, size_t errlen);
void p1_defaults(bool legacy, struct p1_alg *out, size_t max, size_t *n);
void p2_defaults(bool legacy, struct p2_alg *out, size_t max, size_t *n);

void p1_alg_str(const struct p1_alg *a, char *buf, size_t len);
void p2_alg_str(const struct p2_alg *a, char *buf, size_t len);
/* "a, b, c" for messages, cut (with ", ...") to fit @len. */
void p1_list_str(const struct p1_alg *a, size_t n, char *buf, size_t len);
void p2_list_str(const struct p2_alg *a, size_t n, char *buf, size_t len);
const char *ike_auth_name(uint16_t auth);
const char *ike_encap_name(uint16_t encap);
bool p1_alg_legacy(const struct p1_alg *a);
bool p2_alg_legacy(const struct p2_alg *a);

/* ---- decoding a peer's SA payload ---------------------------------------- */

int p1_offers_parse(const uint8_t *sa_body, size_t len,
		    struct p1_xform *out, size_t max, size_t *n,
		    const char **why);
/* ESP proposals only; AH or bundles are skipped (counted in *skipped). */
int p2_offers_parse(const uint8_t *sa_body, size_t len,
		    struct p2_xform *out, size_t max, size_t *n,
		    unsigned int *skipped, const char **why);

/* ---- choosing ------------------------------------------------------------ */

struct p1_policy {
	const struct p1_alg	*algs;
	size_t			n;
	uint32_t		auth_mask;	/* AUTH_MASK(AUTH_PSK) | ... */
	uint32_t		min_life;	/* seconds */
	bool			legacy;
};

struct p2_policy {
	const struct p2_alg	*algs;
	size_t			n;
	uint32_t		min_life;
	bool			legacy;
	bool			nat;		/* NAT-T in use (NAT detected) */
};

/*
 * The first offer (in the peer's order) that one of ours accepts: its
 * index. -ENOENT when none: @why then reads
 *   "peer offers X, Y (...); we accept A, B, ...; closest: X differs in
 *    DH group (peer modp1024, we modp2048)".
 */
int p1_select(const struct p1_policy *pol, const struct p1_xform *offers,
	      size_t n, char *why, size_t whylen);
/*
 * As p1_select; -EPROTO (with @why) when the peer proposes plain transport
 * mode although a NAT was detected: it did not float to NAT-T.
 */
int p2_select(const struct p2_policy *pol, const struct p2_xform *offers,
	      size_t n, char *why, size_t whylen);

bool p1_xform_equal_alg(const struct p1_xform *x, const struct p1_alg *a);

#endif
