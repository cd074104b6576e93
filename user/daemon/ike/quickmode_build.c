// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd IKEv1 Quick Mode: building its messages (header, HASH(1..3),
 * SA with the proposals of the policy, IDci/IDcr, NAT-OA) and sending
 * them; the SPI and lifetime we offer. quickmode.c runs the exchange.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "ike_int.h"
#include "kmod.h"
#include "log.h"
#include "loop.h"

/* ---- sending ----------------------------------------------------------- */

void qm_hdr(struct ike_qm *qm, struct ike_buf *b)
{
	struct isakmp_hdr h = {
		.version = ISAKMP_VERSION,
		.exch = ISAKMP_XCHG_QUICK,
		.msgid = qm->msgid,
	};

	memcpy(h.icky, qm->sa->icky, 8);
	memcpy(h.rcky, qm->sa->rcky, 8);
	ike_buf_hdr(b, &h);
}

/* Fill the HASH payload at @hash_off (its body) with prf(SKEYID_a, ...). */
int qm_fill_hash(struct ike_qm *qm, struct ike_buf *b, size_t hash_off,
		 bool with_ni)
{
	struct ike_sa *sa = qm->sa;
	size_t hash_end = hash_off + sa->k.prf_len;
	uint8_t m[4], out[IKE_MAX_HASH];
	struct ike_chunk p[3];
	size_t np = 0;

	if (b->err)
		return -ENOMEM;
	ike_put_be32(m, qm->msgid);
	p[np++] = (struct ike_chunk){ m, 4 };
	if (with_ni)
		p[np++] = (struct ike_chunk){ qm->ni, qm->ni_len };
	p[np++] = (struct ike_chunk){ b->data + hash_end, b->len - hash_end };
	if (ike_prf_a(&sa->k, p, np, out))
		return -EIO;
	memcpy(b->data + hash_off, out, sa->k.prf_len);
	return 0;
}

int qm_send(struct ike_qm *qm, struct ike_buf *b, bool request)
{
	struct ike_sa *sa = qm->sa;
	uint8_t *copy;

	if (ike_encrypt(&sa->k, b, qm->iv))
		return -EIO;
	copy = malloc(b->len);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, b->data, b->len);
	ike_tx_clear(&qm->tx);
	qm->tx.pkt = copy;
	qm->tx.len = b->len;
	qm->tx.request = request;
	if (request)
		loop_timer_arm(qm->timer, sa->ike->conf.retransmit_ms);
	else
		loop_timer_arm(qm->timer, QM_KEEP_MS);
	return ike_send_raw(sa->ike, &sa->remote, &sa->local, sa->on_natt,
			    copy, b->len);
}

void qm_add_id(struct ike_buf *b, uint32_t addr, uint16_t port)
{
	size_t s = ike_buf_begin(b, ISAKMP_NP_ID);

	ike_buf_u8(b, ID_IPV4_ADDR);
	ike_buf_u8(b, IPPROTO_UDP);
	ike_buf_u16(b, port);
	ike_buf_put(b, &addr, 4);
	ike_buf_end(b, s);
}

void qm_add_natoa(struct ike_sa *sa, struct ike_buf *b, uint32_t addr)
{
	size_t s = ike_buf_begin(b, sa->natoa_type);

	ike_buf_u8(b, ID_IPV4_ADDR);
	ike_buf_zero(b, 3);
	ike_buf_put(b, &addr, 4);
	ike_buf_end(b, s);
}

bool qm_use_udp_encap(const struct ike_sa *sa)
{
	return natt_enabled(sa) && natt_nat(sa);
}

void p2_sa_build(struct ike_sa *sa, struct ike_buf *b,
		 uint32_t spi, const struct p2_alg *algs, size_t n,
		 uint32_t life)
{
	uint16_t encap = qm_use_udp_encap(sa) ? sa->encap_udp : ENCAP_TRANSPORT;
	size_t sp, pp, i;
	uint8_t s[4];

	sp = ike_buf_begin(b, ISAKMP_NP_SA);
	ike_buf_u32(b, IPSEC_DOI);
	ike_buf_u32(b, IPSEC_SIT_IDENTITY_ONLY);
	pp = ike_buf_sub_begin(b, ISAKMP_NP_NONE);
	ike_buf_u8(b, 1);
	ike_buf_u8(b, PROTO_IPSEC_ESP);
	ike_buf_u8(b, 4);
	ike_buf_u8(b, (uint8_t)n);
	ike_put_be32(s, spi);
	ike_buf_put(b, s, 4);
	for (i = 0; i < n; i++) {
		size_t tp = ike_buf_sub_begin(b, i + 1 < n ? ISAKMP_NP_T :
						   ISAKMP_NP_NONE);

		ike_buf_u8(b, (uint8_t)(i + 1));
		ike_buf_u8(b, algs[i].esp);
		ike_buf_u16(b, 0);
		ike_buf_attr_tv(b, P2_ATTR_LIFE_TYPE, LIFE_SECONDS);
		ike_buf_attr_u32(b, P2_ATTR_LIFE_DURATION, life);
		if (algs[i].group)
			ike_buf_attr_tv(b, P2_ATTR_GROUP, algs[i].group);
		ike_buf_attr_tv(b, P2_ATTR_ENCAP, encap);
		if (algs[i].auth)
			ike_buf_attr_tv(b, P2_ATTR_AUTH, algs[i].auth);
		if (algs[i].keylen)
			ike_buf_attr_tv(b, P2_ATTR_KEY_LENGTH, algs[i].keylen);
		ike_buf_end(b, tp);
	}
	ike_buf_end(b, pp);
	ike_buf_end(b, sp);
}

uint32_t qm_alloc_spi(struct ike *ike)
{
	uint32_t spi;

	do {
		ike_random(&spi, sizeof(spi));
	} while (spi < 256 || child_find_spi(ike, spi, true, NULL));
	return spi;
}

uint32_t qm_ipsec_lifetime(const struct ike_sa *sa)
{
	if (sa->pc && sa->pc->ipsec_lifetime)
		return sa->pc->ipsec_lifetime;
	return sa->ike->conf.ipsec_lifetime;
}
