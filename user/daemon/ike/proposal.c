// SPDX-License-Identifier: GPL-2.0
/*
 * Proposals: configuration lists, a peer's offers, the choice, and the
 * explanation of a mismatch. See proposal.h.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "proposal_int.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- decoding offers --------------------------------------------------- */

int p1_offers_parse(const uint8_t *sa_body, size_t len,
		    struct p1_xform *out, size_t max, size_t *n,
		    const char **why)
{
	struct ike_iter pit, tit, ait;
	struct ike_prop p;
	struct ike_trans t;
	struct ike_attr a;
	uint32_t doi, sit;
	int ret;

	*n = 0;
	if (ike_sa_parse(sa_body, len, &doi, &sit, &pit, why))
		return -EBADMSG;
	while ((ret = ike_prop_next(&pit, &p)) > 0) {
		if (p.proto != PROTO_ISAKMP) {
			*why = "phase 1 proposal for a protocol other than ISAKMP";
			return -EBADMSG;
		}
		ike_trans_iter(&p, &tit);
		while ((ret = ike_trans_next(&tit, &t)) > 0) {
			struct p1_xform *x;
			uint16_t life_type = 0;

			if (*n == max)
				break;	/* more than we look at */
			x = &out[(*n)++];
			memset(x, 0, sizeof(*x));
			x->pnum = p.num;
			x->tnum = t.num;
			x->raw = t.raw;
			x->raw_len = t.raw_len;
			if (t.id != 1)	/* KEY_IKE */
				x->unsupported = "transform ID is not KEY_IKE";
			ike_attr_iter(&t, &ait);
			while ((ret = ike_attr_next(&ait, &a)) > 0) {
				if (!a.val_ok) {
					x->unsupported = "attribute value too long";
					continue;
				}
				switch (a.type) {
				case P1_ATTR_ENC:
					x->alg.enc = (uint16_t)a.val;
					break;
				case P1_ATTR_HASH:
					x->alg.hash = (uint16_t)a.val;
					break;
				case P1_ATTR_AUTH:
					x->auth = (uint16_t)a.val;
					break;
				case P1_ATTR_GROUP:
					x->alg.group = (uint16_t)a.val;
					break;
				case P1_ATTR_GROUP_TYPE:
					if (a.val != 1)
						x->unsupported = "elliptic-curve group type attribute";
					break;
				case P1_ATTR_LIFE_TYPE:
					life_type = (uint16_t)a.val;
					if (life_type != LIFE_SECONDS &&
					    life_type != LIFE_KILOBYTES)
						x->unsupported = "unknown life type";
					break;
				case P1_ATTR_LIFE_DURATION:
					if (life_type == LIFE_SECONDS)
						x->life_s = a.val;
					else if (life_type == LIFE_KILOBYTES)
						x->life_kb = a.val;
					else
						x->unsupported = "life duration without life type";
					break;
				case P1_ATTR_KEY_LENGTH:
					x->alg.keylen = (uint16_t)a.val;
					break;
				case P1_ATTR_PRF:
					x->unsupported = "PRF attribute";
					break;
				default:
					x->unsupported = "private DH group or unknown attribute";
					break;
				}
			}
			if (ret < 0) {
				*why = ait.err;
				return -EBADMSG;
			}
			if (x->alg.enc == IKE_ENC_AES_CBC && !x->alg.keylen)
				x->alg.keylen = 128;
			if (x->alg.enc == IKE_ENC_3DES && x->alg.keylen == 192)
				x->alg.keylen = 0;
			if (!x->alg.enc || !x->alg.hash || !x->auth ||
			    !x->alg.group)
				x->unsupported = "cipher, hash, authentication or group missing";
		}
		if (ret < 0) {
			*why = tit.err;
			return -EBADMSG;
		}
	}
	if (ret < 0) {
		*why = pit.err;
		return -EBADMSG;
	}
	if (!*n) {
		*why = "SA payload without transforms";
		return -EBADMSG;
	}
	return 0;
}

int p2_offers_parse(const uint8_t *sa_body, size_t len,
		    struct p2_xform *out, size_t max, size_t *n,
		    unsigned int *skipped, const char **why)
{
	struct ike_iter pit, tit, ait, pit2;
	struct ike_prop p, q;
	struct ike_trans t;
	struct ike_attr a;
	uint32_t doi, sit;
	int ret;

	*n = 0;
	*skipped = 0;
	if (ike_sa_parse(sa_body, len, &doi, &sit, &pit, why))
		return -EBADMSG;
	while ((ret = ike_prop_next(&pit, &p)) > 0) {
		unsigned int same = 0;

		/* Proposals with the same number are a bundle (AND). */
		pit2 = (struct ike_iter){ sa_body + 8, len - 8, ISAKMP_NP_P,
					  NULL };
		while (ike_prop_next(&pit2, &q) > 0)
			same += q.num == p.num;
		if (same > 1 || p.proto != PROTO_IPSEC_ESP) {
			(*skipped)++;
			continue;
		}
		if (p.spi_size != 4) {
			*why = "ESP proposal SPI is not 4 bytes";
			return -EBADMSG;
		}
		ike_trans_iter(&p, &tit);
		while ((ret = ike_trans_next(&tit, &t)) > 0) {
			struct p2_xform *x;
			uint16_t life_type = 0;
			bool has_auth = false;

			if (*n == max)
				break;
			x = &out[(*n)++];
			memset(x, 0, sizeof(*x));
			x->pnum = p.num;
			x->tnum = t.num;
			x->spi = ike_get_be32(p.spi);
			x->raw = t.raw;
			x->raw_len = t.raw_len;
			x->alg.esp = t.id;
			ike_attr_iter(&t, &ait);
			while ((ret = ike_attr_next(&ait, &a)) > 0) {
				if (!a.val_ok) {
					x->unsupported = "attribute value too long";
					continue;
				}
				switch (a.type) {
				case P2_ATTR_LIFE_TYPE:
					life_type = (uint16_t)a.val;
					if (life_type != LIFE_SECONDS &&
					    life_type != LIFE_KILOBYTES)
						x->unsupported = "unknown life type";
					break;
				case P2_ATTR_LIFE_DURATION:
					if (life_type == LIFE_SECONDS)
						x->life_s = a.val;
					else if (life_type == LIFE_KILOBYTES)
						x->life_kb = a.val;
					else
						x->unsupported = "life duration without life type";
					break;
				case P2_ATTR_GROUP:
					x->alg.group = (uint16_t)a.val;
					break;
				case P2_ATTR_ENCAP:
					x->encap = (uint16_t)a.val;
					break;
				case P2_ATTR_AUTH:
					x->alg.auth = (uint16_t)a.val;
					has_auth = true;
					break;
				case P2_ATTR_KEY_LENGTH:
					x->alg.keylen = (uint16_t)a.val;
					break;
				default:
					x->unsupported = "unknown ESP attribute";
					break;
				}
			}
			if (ret < 0) {
				*why = ait.err;
				return -EBADMSG;
			}
			if ((x->alg.esp == ESP_AES_CBC || p2_is_aead(x->alg.esp)) &&
			    !x->alg.keylen)
				x->alg.keylen = 128;
			if (x->alg.esp == ESP_3DES && x->alg.keylen == 192)
				x->alg.keylen = 0;
			if (!x->encap)
				x->encap = ENCAP_TUNNEL;	/* RFC 2407 default */
			if (!has_auth && !p2_is_aead(x->alg.esp))
				x->unsupported = "ESP without an integrity algorithm";
		}
		if (ret < 0) {
			*why = tit.err;
			return -EBADMSG;
		}
	}
	if (ret < 0) {
		*why = pit.err;
		return -EBADMSG;
	}
	return 0;
}

/* ---- choosing ---------------------------------------------------------- */

enum {
	D_CIPHER	= 1 << 0,
	D_KEYLEN	= 1 << 1,
	D_HASH		= 1 << 2,
	D_GROUP		= 1 << 3,
	D_AUTH		= 1 << 4,
	D_LIFE		= 1 << 5,
	D_ENCAP		= 1 << 6,
	D_PFS		= 1 << 7,
	D_UNSUP		= 1 << 8,
	D_LEGACY	= 1 << 9,
	D_NAT		= 1 << 10,	/* transport mode through a NAT */
};

static unsigned int popcount(unsigned int v)
{
	return (unsigned int)__builtin_popcount(v);
}

bool p1_xform_equal_alg(const struct p1_xform *x, const struct p1_alg *a)
{
	return x->alg.enc == a->enc && x->alg.keylen == a->keylen &&
	       x->alg.hash == a->hash && x->alg.group == a->group;
}

static unsigned int p1_diff(const struct p1_policy *pol,
			    const struct p1_xform *x, const struct p1_alg *a)
{
	unsigned int d = 0;

	if (x->unsupported)
		d |= D_UNSUP;
	if (x->alg.enc != a->enc)
		d |= D_CIPHER;
	else if (x->alg.keylen != a->keylen)
		d |= D_KEYLEN;
	if (x->alg.hash != a->hash)
		d |= D_HASH;
	if (x->alg.group != a->group)
		d |= D_GROUP;
	if (x->auth >= 32 || !(pol->auth_mask & AUTH_MASK(x->auth)))
		d |= D_AUTH;
	if (x->life_s && x->life_s < pol->min_life)
		d |= D_LIFE;
	if (!d && !pol->legacy && p1_alg_legacy(&x->alg))
		d |= D_LEGACY;	/* an entry of ours, configured with legacy */
	return d;
}

static void p1_offer_str(const struct p1_xform *x, char *buf, size_t len)
{
	char a[64];

	p1_alg_str(&x->alg, a, sizeof(a));
	if (x->auth != AUTH_PSK)
		snprintf(buf, len, "%s/%s", a, ike_auth_name(x->auth));
	else
		snprintf(buf, len, "%s", a);
}

static void legacy_note(bool is3des, bool md5, bool modp1024, char *buf,
			size_t len)
{
	char parts[64] = "";
	int n = 0;

	if (modp1024)
		n += snprintf(parts + n, sizeof(parts) - (size_t)n,
			      "DH group modp1024");
	if (is3des)
		n += snprintf(parts + n, sizeof(parts) - (size_t)n, "%s3des",
			      n ? ", " : "");
	if (md5)
		snprintf(parts + n, sizeof(parts) - (size_t)n, "%smd5",
			 n ? ", " : "");
	if (parts[0])
		snprintf(buf, len, " (%s needs legacy = yes)", parts);
	else if (len)
		buf[0] = '\0';
}

/* "DH group (peer modp1024, we modp2048), hash (...)" */
static void diff_str(unsigned int d, const char *const *peer,
		     const char *const *ours, bool p2, char *buf, size_t len)
{
	static const struct { unsigned int bit; const char *what; } f[] = {
		{ D_UNSUP, "unsupported attribute" },
		{ D_CIPHER, "cipher" },
		{ D_KEYLEN, "key length" },
		{ D_HASH, "hash" },
		{ D_GROUP, "DH group" },
		{ D_AUTH, "authentication method" },
		{ D_LIFE, "lifetime" },
		{ D_ENCAP, "encapsulation" },
		{ D_PFS, "PFS" },
	};
	size_t i, o = 0;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(f); i++) {
		int n;

		if (!(d & f[i].bit))
			continue;
		n = snprintf(buf + o, len - o, "%s%s (peer %s, we %s)",
			     o ? ", " : "",
			     p2 && f[i].bit == D_HASH ? "integrity" : f[i].what,
			     peer[i], ours[i]);
		if (n < 0 || (size_t)n >= len - o)
			break;
		o += (size_t)n;
	}
}

static void compose(char *why, size_t whylen, const char *offers,
		    const char *ours, const char *closest)
{
	snprintf(why, whylen, "peer offers %s; we accept %s; closest: %s",
		 offers, ours, closest);
}

int p1_select(const struct p1_policy *pol, const struct p1_xform *offers,
	      size_t n, char *why, size_t whylen)
{
	unsigned int best = ~0u, bd = 0;
	size_t i, j, bi = 0, bj = 0;
	char offers_s[400], ours_s[300], closest[320], tmp[96], note[64];
	struct strlist sl = { offers_s, sizeof(offers_s), 0, false };

	for (i = 0; i < n; i++) {
		for (j = 0; j < pol->n; j++) {
			unsigned int d = p1_diff(pol, &offers[i], &pol->algs[j]);

			if (!d)
				return (int)i;
			if (popcount(d) < best) {
				best = popcount(d);
				bd = d;
				bi = i;
				bj = j;
			}
		}
	}
	if (!why || !whylen)
		return -ENOENT;
	/* The peer's offers, each with a legacy note when one applies. */
	offers_s[0] = '\0';
	for (i = 0; i < n; i++) {
		const struct p1_alg *a = &offers[i].alg;

		p1_offer_str(&offers[i], tmp, sizeof(tmp));
		if (!pol->legacy)
			legacy_note(a->enc == IKE_ENC_3DES,
				    a->hash == IKE_HASH_MD5,
				    a->group == IKE_GROUP_MODP1024, note,
				    sizeof(note));
		else
			note[0] = '\0';
		strncat(tmp, note, sizeof(tmp) - strlen(tmp) - 1);
		strlist_add(&sl, tmp);
	}
	p1_list_str(pol->algs, pol->n, ours_s, sizeof(ours_s));
	if (n && pol->n) {
		const struct p1_xform *x = &offers[bi];
		const struct p1_alg *a = &pol->algs[bj];
		char pe[24], we[24], ph[16], wh[16], pk[16], wk[16];
		char pl[24], wl[24], pa[24], wa[64];
		const char *peer[9], *ours[9];

		snprintf(pe, sizeof(pe), "%s",
			 p1_enc_name(x->alg.enc, x->alg.keylen) ?: "?");
		snprintf(we, sizeof(we), "%s",
			 p1_enc_name(a->enc, a->keylen) ?: "?");
		snprintf(pk, sizeof(pk), "%u", x->alg.keylen);
		snprintf(wk, sizeof(wk), "%u", a->keylen);
		snprintf(ph, sizeof(ph), "%s", hash_name(x->alg.hash) ?: "?");
		snprintf(wh, sizeof(wh), "%s", hash_name(a->hash) ?: "?");
		snprintf(pl, sizeof(pl), "%u s", x->life_s);
		snprintf(wl, sizeof(wl), "at least %u s", pol->min_life);
		snprintf(pa, sizeof(pa), "%s", ike_auth_name(x->auth));
		wa[0] = '\0';
		for (i = 1; i < 32; i++)
			if (pol->auth_mask & AUTH_MASK(i))
				snprintf(wa + strlen(wa), sizeof(wa) - strlen(wa),
					 "%s%s", wa[0] ? " or " : "",
					 ike_auth_name((uint16_t)i));
		if (!wa[0])
			snprintf(wa, sizeof(wa), "none configured");
		peer[0] = x->unsupported ?: "";
		ours[0] = "support none";
		peer[1] = pe; ours[1] = we;
		peer[2] = pk; ours[2] = wk;
		peer[3] = ph; ours[3] = wh;
		peer[4] = ike_group_name(x->alg.group);
		ours[4] = ike_group_name(a->group);
		peer[5] = pa; ours[5] = wa;
		peer[6] = pl; ours[6] = wl;
		peer[7] = peer[8] = ours[7] = ours[8] = "";
		p1_offer_str(x, tmp, sizeof(tmp));
		{
			char ds[220], oa[64];

			p1_alg_str(a, oa, sizeof(oa));
			if (bd & D_LEGACY) {
				snprintf(closest, sizeof(closest),
					 "%s is configured but needs legacy = yes",
					 tmp);
			} else {
				diff_str(bd, peer, ours, false, ds,
					 sizeof(ds));
				snprintf(closest, sizeof(closest),
					 "%s vs our %s: %s differs", tmp, oa,
					 ds);
			}
		}
	} else {
		snprintf(closest, sizeof(closest), "nothing to compare");
	}
	compose(why, whylen, offers_s, ours_s, closest);
	return -ENOENT;
}

static bool encap_is_udp(uint16_t e)
{
	return e == ENCAP_UDP_TRANSPORT || e == ENCAP_UDP_TRANSPORT_DRAFT ||
	       e == ENCAP_UDP_TUNNEL || e == ENCAP_UDP_TUNNEL_DRAFT;
}

static bool encap_is_transport(uint16_t e)
{
	return e == ENCAP_TRANSPORT || e == ENCAP_UDP_TRANSPORT ||
	       e == ENCAP_UDP_TRANSPORT_DRAFT;
}

static unsigned int p2_diff(const struct p2_policy *pol,
			    const struct p2_xform *x, const struct p2_alg *a)
{
	unsigned int d = 0;

	if (x->unsupported)
		d |= D_UNSUP;
	if (x->alg.esp != a->esp)
		d |= D_CIPHER;
	else if (x->alg.keylen != a->keylen)
		d |= D_KEYLEN;
	if (x->alg.auth != a->auth)
		d |= D_HASH;
	if (a->group) {
		if (x->alg.group != a->group)
			d |= D_PFS;
	} else if (x->alg.group) {
		/* PFS we did not ask for: fine with a group we know. */
		if (!ike_group_known(x->alg.group) ||
		    (x->alg.group == IKE_GROUP_MODP1024 && !pol->legacy))
			d |= D_PFS;
	}
	if (x->life_s && x->life_s < pol->min_life)
		d |= D_LIFE;
	if (!encap_is_transport(x->encap))
		d |= D_ENCAP;
	else if (pol->nat && !encap_is_udp(x->encap))
		d |= D_NAT;
	else if (!pol->nat && encap_is_udp(x->encap))
		d |= D_ENCAP;
	if (!d && !pol->legacy && p2_alg_legacy(&x->alg))
		d |= D_LEGACY;
	return d;
}

int p2_select(const struct p2_policy *pol, const struct p2_xform *offers,
	      size_t n, char *why, size_t whylen)
{
	unsigned int best = ~0u, bd = 0;
	size_t i, j, bi = 0, bj = 0;
	char offers_s[400], ours_s[300], closest[320], tmp[96], note[64];
	struct strlist sl = { offers_s, sizeof(offers_s), 0, false };

	for (i = 0; i < n; i++) {
		for (j = 0; j < pol->n; j++) {
			unsigned int d = p2_diff(pol, &offers[i], &pol->algs[j]);

			if (!d)
				return (int)i;
			if (popcount(d) < best) {
				best = popcount(d);
				bd = d;
				bi = i;
				bj = j;
			}
		}
	}
	if (!why || !whylen)
		return -ENOENT;
	if (n && pol->n && bd == D_NAT) {
		snprintf(why, whylen,
			 "NAT detected but the peer proposes %s mode (raw ESP), not UDP-encapsulated transport: it does not float to NAT-T",
			 ike_encap_name(offers[bi].encap));
		return -EPROTO;
	}
	offers_s[0] = '\0';
	for (i = 0; i < n; i++) {
		const struct p2_alg *a = &offers[i].alg;
		int k;

		p2_alg_str(a, tmp, sizeof(tmp));
		k = (int)strlen(tmp);
		if (!encap_is_transport(offers[i].encap))
			snprintf(tmp + k, sizeof(tmp) - (size_t)k, "/%s",
				 ike_encap_name(offers[i].encap));
		if (!pol->legacy)
			legacy_note(a->esp == ESP_3DES,
				    a->auth == AALG_HMAC_MD5,
				    a->group == IKE_GROUP_MODP1024, note,
				    sizeof(note));
		else
			note[0] = '\0';
		strncat(tmp, note, sizeof(tmp) - strlen(tmp) - 1);
		strlist_add(&sl, tmp);
	}
	if (!n)
		snprintf(offers_s, sizeof(offers_s), "no ESP proposal");
	p2_list_str(pol->algs, pol->n, ours_s, sizeof(ours_s));
	if (n && pol->n) {
		const struct p2_xform *x = &offers[bi];
		const struct p2_alg *a = &pol->algs[bj];
		struct p2_alg ea = *a, pa = x->alg;
		char pe[24], we[24], pk[16], wk[16], pl[24], wl[24];
		char penc[40], wenc[64], ppfs[24], wpfs[48];
		const char *peer[9], *ours[9];
		char oa[64], ds[220];

		ea.auth = pa.auth = 0;
		ea.group = pa.group = 0;
		p2_enc_str(&pa, pe, sizeof(pe));
		p2_enc_str(&ea, we, sizeof(we));
		snprintf(pk, sizeof(pk), "%u", x->alg.keylen);
		snprintf(wk, sizeof(wk), "%u", a->keylen);
		snprintf(pl, sizeof(pl), "%u s", x->life_s);
		snprintf(wl, sizeof(wl), "at least %u s", pol->min_life);
		snprintf(penc, sizeof(penc), "%s", ike_encap_name(x->encap));
		snprintf(wenc, sizeof(wenc), "%s",
			 pol->nat ? "udp-transport (NAT detected)" :
				    "transport (no NAT detected)");
		snprintf(ppfs, sizeof(ppfs), "%s",
			 x->alg.group ? ike_group_name(x->alg.group) : "none");
		if (a->group)
			snprintf(wpfs, sizeof(wpfs), "require %s",
				 ike_group_name(a->group));
		else
			snprintf(wpfs, sizeof(wpfs), "accept none or a non-legacy group");
		peer[0] = x->unsupported ?: "";
		ours[0] = "support none";
		peer[1] = pe; ours[1] = we;
		peer[2] = pk; ours[2] = wk;
		peer[3] = aalg_name(x->alg.auth) ?: "?";
		ours[3] = aalg_name(a->auth) ?: "?";
		peer[4] = ours[4] = "";
		peer[5] = ours[5] = "";
		peer[6] = pl; ours[6] = wl;
		peer[7] = penc; ours[7] = wenc;
		peer[8] = ppfs; ours[8] = wpfs;
		p2_alg_str(&x->alg, tmp, sizeof(tmp));
		p2_alg_str(a, oa, sizeof(oa));
		if (bd & D_LEGACY) {
			snprintf(closest, sizeof(closest),
				 "%s is configured but needs legacy = yes", tmp);
		} else {
			diff_str(bd & ~D_NAT, peer, ours, true, ds,
				 sizeof(ds));
			snprintf(closest, sizeof(closest),
				 "%s vs our %s: %s differs", tmp, oa, ds);
		}
	} else {
		snprintf(closest, sizeof(closest), "nothing to compare");
	}
	compose(why, whylen, offers_s, ours_s, closest);
	return -ENOENT;
}
