// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd IKEv1 Quick Mode (RFC 2409 5.5): ESP in transport mode for
 * L2TP (UDP 1701), with NAT-T encapsulation modes and NAT-OA (RFC 3947),
 * optional PFS, RESPONDER-LIFETIME (RFC 2407 4.6.3.1).
 *
 *   I -> R  QM1* HASH(1), SA, Ni, [KE], [IDci, IDcr], [NAT-OAi, NAT-OAr]
 *   R -> I  QM2* HASH(2), SA, Nr, [KE], [IDci, IDcr], [NAT-OA..], [N]
 *   I -> R  QM3* HASH(3)
 *
 * HASH(1) = prf(SKEYID_a, M-ID | rest of QM1 after HASH)
 * HASH(2) = prf(SKEYID_a, M-ID | Ni_b | rest of QM2 after HASH)
 * HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b)
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

#define L2TP_PORT	1701

#define QM_DROP(sa, ...) do { \
	(sa)->ike->cnt.drop_malformed++; \
	SA_LOG((sa), LOG_LVL_DEBUG, __VA_ARGS__); \
} while (0)

static void qm_timer_cb(void *arg);

const struct p2_alg *ike_p2_algs(const struct ike *ike,
				 const struct ike_peer_conf *pc, size_t *n)
{
	if (pc && pc->p2_set) {
		*n = pc->n2;
		return pc->p2;
	}
	*n = ike->conf.n2;
	return ike->conf.p2;
}

static struct ike_qm *qm_new(struct ike_sa *sa, uint32_t msgid,
			     bool initiator)
{
	struct ike_qm *qm = calloc(1, sizeof(*qm));

	if (!qm)
		return NULL;
	qm->sa = sa;
	qm->msgid = msgid;
	qm->initiator = initiator;
	qm->timer = loop_timer_new(sa->ike->loop, qm_timer_cb, qm);
	if (!qm->timer ||
	    ike_iv_p2(sa->k.hash, sa->k.block, sa->p1_iv, msgid, qm->iv)) {
		loop_timer_free(qm->timer);
		free(qm);
		return NULL;
	}
	qm->next = sa->qms;
	sa->qms = qm;
	return qm;
}

void qm_free(struct ike_qm *qm)
{
	loop_timer_free(qm->timer);
	ike_dh_free(qm->dh);
	ike_tx_clear(&qm->tx);
	free(qm->xf_raw);
	ike_wipe(qm->gqm, sizeof(qm->gqm));
	free(qm);
}

static void qm_remove(struct ike_qm *qm)
{
	struct ike_qm **pp;

	for (pp = &qm->sa->qms; *pp; pp = &(*pp)->next) {
		if (*pp == qm) {
			*pp = qm->next;
			break;
		}
	}
	if (qm->rekey_of)
		qm->rekey_of->rekeying = false;
	qm_free(qm);
}

struct ike_qm *qm_find(struct ike_sa *sa, uint32_t msgid)
{
	struct ike_qm *qm;

	for (qm = sa->qms; qm; qm = qm->next)
		if (qm->msgid == msgid)
			return qm;
	return NULL;
}

static uint32_t new_msgid(struct ike_sa *sa)
{
	uint32_t id;

	do {
		ike_random(&id, sizeof(id));
	} while (!id || qm_find(sa, id));
	return id;
}

/* ---- initiator ----------------------------------------------------------- */

int qm_initiate(struct ike_sa *sa, struct ike_child *rekey_of)
{
	const struct p2_alg *algs;
	struct ike_qm *qm;
	struct ike_buf b;
	size_t n, hs, i;
	uint16_t group = 0;
	char list[300];

	if (sa->state != P1_ESTABLISHED || sa->deleting)
		return -EINVAL;
	algs = ike_p2_algs(sa->ike, sa->pc, &n);
	if (n > 255)
		n = 255;
	/* PFS: one group for every transform (one KE payload). */
	for (i = 0; i < n; i++)
		if (algs[i].group)
			group = algs[i].group;
	qm = qm_new(sa, new_msgid(sa), true);
	if (!qm)
		return -ENOMEM;
	qm->rekey_of = rekey_of;
	if (rekey_of)
		rekey_of->rekeying = true;
	qm->spi_in = qm_alloc_spi(sa->ike);
	qm->life_s = qm_ipsec_lifetime(sa);
	ike_random(qm->ni, IKE_NONCE_LEN);
	qm->ni_len = IKE_NONCE_LEN;

	ike_buf_init(&b);
	qm_hdr(qm, &b);
	hs = ike_buf_begin(&b, ISAKMP_NP_HASH);
	ike_buf_zero(&b, sa->k.prf_len);
	ike_buf_end(&b, hs);
	p2_sa_build(sa, &b, qm->spi_in, algs, n, qm->life_s);
	ike_buf_payload(&b, ISAKMP_NP_NONCE, qm->ni, qm->ni_len);
	if (group) {
		uint8_t pub[IKE_MAX_DH];
		size_t pl = ike_group_pub_len(group);

		qm->dh = ike_dh_new(group);
		if (!qm->dh || ike_dh_pub(qm->dh, pub, pl)) {
			ike_buf_free(&b);
			qm_remove(qm);
			return -EIO;
		}
		ike_buf_payload(&b, ISAKMP_NP_KE, pub, pl);
	}
	qm_add_id(&b, sa->local.sin_addr.s_addr, L2TP_PORT);
	qm_add_id(&b, sa->remote.sin_addr.s_addr, L2TP_PORT);
	qm->has_ids = true;
	if (qm_use_udp_encap(sa)) {
		qm_add_natoa(sa, &b, sa->local.sin_addr.s_addr);
		qm_add_natoa(sa, &b, sa->remote.sin_addr.s_addr);
	}
	if (qm_fill_hash(qm, &b, hs + ISAKMP_GEN_LEN, false)) {
		ike_buf_free(&b);
		qm_remove(qm);
		return -EIO;
	}
	p2_list_str(algs, n, list, sizeof(list));
	SA_LOG(sa, LOG_LVL_INFO, "phase 2: %s Quick Mode (%s), SPI in 0x%08x",
	       rekey_of ? "rekeying with" : "initiating", list, qm->spi_in);
	qm->state = QM_I1;
	qm_send(qm, &b, true);
	ike_buf_free(&b);
	return 0;
}

/* ---- receiving ----------------------------------------------------------- */

struct qm_rx {
	struct ike_msg		m;
	uint8_t			*plain;
	const struct ike_pl	*hash, *sa, *nonce, *ke, *idci, *idcr;
	const struct ike_pl	*natoa[2];
};

/*
 * Decrypt with the exchange's IV and check HASH(1) or HASH(2); the IV
 * moves on only when the hash verifies.
 */
static int qm_open(struct ike_qm *qm, const struct isakmp_hdr *h,
		   const uint8_t *pkt, size_t len, bool with_ni,
		   struct qm_rx *rx)
{
	struct ike_sa *sa = qm->sa;
	uint8_t iv[IKE_MAX_BLOCK], m[4], want[IKE_MAX_HASH];
	const char *why = NULL;
	struct ike_chunk p[3];
	size_t np = 0, i, after;
	unsigned int nids = 0, noa = 0;

	memset(rx, 0, sizeof(*rx));
	if (!(h->flags & ISAKMP_FLAG_E)) {
		QM_DROP(sa, "Quick Mode message not encrypted: dropped");
		return -EBADMSG;
	}
	rx->plain = malloc(len);
	if (!rx->plain)
		return -ENOMEM;
	memcpy(iv, qm->iv, sizeof(iv));
	if (ike_decrypt(&sa->k, pkt, len, iv, rx->plain) ||
	    ike_chain_parse(h->np, rx->plain, len - ISAKMP_HDR_LEN, true,
			    &rx->m, &why) ||
	    !rx->m.n || rx->m.pl[0].type != ISAKMP_NP_HASH ||
	    rx->m.pl[0].len != sa->k.prf_len) {
		sa->ike->cnt.drop_decrypt++;
		SA_LOG(sa, LOG_LVL_DEBUG,
		       "Quick Mode message does not decrypt to HASH first (%s): dropped",
		       why ? why : "bad HASH");
		return -EBADMSG;
	}
	rx->hash = &rx->m.pl[0];
	after = (size_t)(rx->hash->body + rx->hash->len - rx->plain);
	ike_put_be32(m, qm->msgid);
	p[np++] = (struct ike_chunk){ m, 4 };
	if (with_ni)
		p[np++] = (struct ike_chunk){ qm->ni, qm->ni_len };
	p[np++] = (struct ike_chunk){ rx->plain + after, rx->m.used - after };
	if (ike_prf_a(&sa->k, p, np, want) ||
	    CRYPTO_memcmp(want, rx->hash->body, sa->k.prf_len)) {
		sa->ike->cnt.drop_decrypt++;
		SA_LOG(sa, LOG_LVL_DEBUG,
		       "Quick Mode HASH(%d) does not verify: dropped",
		       with_ni ? 2 : 1);
		return -EBADMSG;
	}
	for (i = 1; i < rx->m.n; i++) {
		const struct ike_pl *pl = &rx->m.pl[i];

		switch (pl->type) {
		case ISAKMP_NP_SA: rx->sa = pl; break;
		case ISAKMP_NP_NONCE: rx->nonce = pl; break;
		case ISAKMP_NP_KE: rx->ke = pl; break;
		case ISAKMP_NP_ID:
			if (nids == 0)
				rx->idci = pl;
			else if (nids == 1)
				rx->idcr = pl;
			nids++;
			break;
		case ISAKMP_NP_NATOA:
		case ISAKMP_NP_NATOA_DRAFT:
			if (noa < 2)
				rx->natoa[noa++] = pl;
			break;
		default:
			break;
		}
	}
	if (nids != 0 && nids != 2) {
		QM_DROP(sa, "Quick Mode with %u ID payloads: dropped", nids);
		return -EBADMSG;
	}
	memcpy(qm->iv, iv, sizeof(iv));
	return 0;
}

static void rx_free(struct qm_rx *rx)
{
	free(rx->plain);
}

static void digest20(const uint8_t *pkt, size_t len, uint8_t *out)
{
	struct ike_chunk c = { pkt, len };
	uint8_t d[IKE_MAX_HASH];

	ike_digest(IKE_HASH_SHA1, &c, 1, d);
	memcpy(out, d, 20);
}

static const char *proto_name(uint8_t p, char *buf, size_t len)
{
	if (p == 0)
		return "any protocol";
	if (p == IPPROTO_UDP)
		return "udp";
	if (p == IPPROTO_TCP)
		return "tcp";
	snprintf(buf, len, "protocol %u", p);
	return buf;
}

/*
 * The selectors of an L2TP/IPsec client: UDP (or any protocol), its L2TP
 * port (1701, 0, or an ephemeral one when allowed) to our port 1701 (or 0).
 */
static int check_selectors(struct ike_qm *qm, const struct ike_id *ci,
			   const struct ike_id *cr)
{
	struct ike_sa *sa = qm->sa;
	struct ike *ike = sa->ike;
	char a[IKE_ID_MAX], b[IKE_ID_MAX], p1[24], p2[24];
	const char *what = NULL;

	ike_id_str(ci, a, sizeof(a));
	ike_id_str(cr, b, sizeof(b));
	if (ci->type != ID_IPV4_ADDR || cr->type != ID_IPV4_ADDR)
		what = ci->type == ID_IPV4_ADDR_SUBNET ||
		       cr->type == ID_IPV4_ADDR_SUBNET ?
		       "the peer asks for subnets (tunnel-style); L2TP/IPsec protects one host's UDP port 1701" :
		       "the peer's selectors are not single IPv4 addresses";
	else if ((ci->proto && ci->proto != IPPROTO_UDP) ||
		 (cr->proto && cr->proto != IPPROTO_UDP))
		what = "L2TP/IPsec protects UDP";
	else if (cr->port && cr->port != L2TP_PORT)
		what = "our side must be UDP port 1701 (L2TP)";
	else if (ci->port && ci->port != L2TP_PORT && !ike->conf.any_l2tp_port)
		what = "the peer's L2TP port must be 1701 (set any-l2tp-port = yes for clients with an ephemeral port)";
	else if (!sa->nat_local && sa->local.sin_addr.s_addr &&
		 memcmp(cr->data, &sa->local.sin_addr.s_addr, 4))
		what = "the peer names another address for our side";
	if (what) {
		ike_fail(ike, &sa->remote, IKE_FAIL_SELECTOR,
			 "phase 2: selector mismatch: peer asks %s %s/%u <-> %s %s/%u: %s",
			 a, proto_name(ci->proto, p1, sizeof(p1)), ci->port, b,
			 proto_name(cr->proto, p2, sizeof(p2)), cr->port, what);
		return -EINVAL;
	}
	/* No NAT-T, but its address is not where its packets come from. */
	if (!natt_enabled(sa) &&
	    memcmp(ci->data, &sa->remote.sin_addr.s_addr, 4)) {
		ike_fail(ike, &sa->remote, IKE_FAIL_NAT,
			 "phase 2: NAT between us, but the peer does not use NAT-T: it says its address is %s, its packets come from %s; %s",
			 a, inet_ntoa(sa->remote.sin_addr),
			 ike->conf.nat_t ? "enable NAT-T on the client" :
			 "nat-t = no here: set nat-t = yes");
		return -EPROTO;
	}
	qm->peer_port = ci->port;
	memcpy(&qm->peer_inner, ci->data, 4);
	return 0;
}

static void r_fail(struct ike_qm *qm, uint16_t type)
{
	uint8_t spi[4] = { 0 };

	info_send_notify(qm->sa, PROTO_IPSEC_ESP, spi, 4, type, NULL, 0);
	qm_remove(qm);
}

static void r_qm1(struct ike_sa *sa, const struct isakmp_hdr *h,
		  const uint8_t *pkt, size_t len)
{
	struct p2_xform offers[IKE_MAX_OFFERS];
	struct ike_qm *qm;
	struct qm_rx rx;
	struct p2_policy pol;
	struct ike_buf b;
	struct ike_id ci, cr;
	const char *why = NULL;
	char whybuf[900], alg[64];
	unsigned int skipped;
	size_t n, hs, s, pp;
	int idx;
	uint8_t spi[4];

	qm = qm_new(sa, h->msgid, false);
	if (!qm)
		return;
	if (qm_open(qm, h, pkt, len, false, &rx)) {
		rx_free(&rx);
		qm_remove(qm);
		return;
	}
	if (!rx.sa || !rx.nonce || rx.nonce->len < 8 ||
	    rx.nonce->len > IKE_MAX_NONCE) {
		QM_DROP(sa, "QM1 without SA or nonce: dropped");
		goto drop;
	}
	if (p2_offers_parse(rx.sa->body, rx.sa->len, offers, IKE_MAX_OFFERS,
			    &n, &skipped, &why)) {
		QM_DROP(sa, "QM1: SA payload: %s", why);
		r_fail(qm, N_BAD_PROPOSAL_SYNTAX);
		rx_free(&rx);
		return;
	}
	if (rx.idci) {
		if (ike_id_parse(rx.idci->body, rx.idci->len, &ci, &why) ||
		    ike_id_parse(rx.idcr->body, rx.idcr->len, &cr, &why) ||
		    rx.idci->len > sizeof(qm->idci) ||
		    rx.idcr->len > sizeof(qm->idcr)) {
			QM_DROP(sa, "QM1: ID: %s", why ? why : "too long");
			goto drop;
		}
		if (check_selectors(qm, &ci, &cr)) {
			r_fail(qm, N_INVALID_ID_INFORMATION);
			rx_free(&rx);
			return;
		}
		memcpy(qm->idci, rx.idci->body, rx.idci->len);
		qm->idci_len = rx.idci->len;
		memcpy(qm->idcr, rx.idcr->body, rx.idcr->len);
		qm->idcr_len = rx.idcr->len;
		qm->has_ids = true;
	} else {
		qm->peer_port = L2TP_PORT;
		qm->peer_inner = sa->remote.sin_addr.s_addr;
	}
	pol.algs = ike_p2_algs(sa->ike, sa->pc, &pol.n);
	pol.min_life = sa->ike->conf.min_lifetime;
	pol.legacy = sa->ike->conf.legacy;
	pol.nat = qm_use_udp_encap(sa);
	idx = p2_select(&pol, offers, n, whybuf, sizeof(whybuf));
	if (idx == -EPROTO) {
		ike_fail(sa->ike, &sa->remote, IKE_FAIL_NAT, "phase 2: %s",
			 whybuf);
		r_fail(qm, N_NO_PROPOSAL_CHOSEN);
		rx_free(&rx);
		return;
	}
	if (idx < 0) {
		ike_fail(sa->ike, &sa->remote, IKE_FAIL_NO_PROPOSAL,
			 "phase 2: no proposal chosen: %s%s", whybuf,
			 skipped ? " (AH or bundled proposals skipped)" : "");
		r_fail(qm, N_NO_PROPOSAL_CHOSEN);
		rx_free(&rx);
		return;
	}
	qm->xf = offers[idx];
	qm->spi_out = offers[idx].spi;
	qm->xf_raw = malloc(offers[idx].raw_len);
	if (!qm->xf_raw)
		goto drop;
	memcpy(qm->xf_raw, offers[idx].raw, offers[idx].raw_len);
	qm->xf.raw = qm->xf_raw;
	memcpy(qm->ni, rx.nonce->body, rx.nonce->len);
	qm->ni_len = rx.nonce->len;
	qm->natoa = rx.natoa[0] != NULL;
	qm->life_s = qm_ipsec_lifetime(sa);
	if (offers[idx].life_s && offers[idx].life_s < qm->life_s)
		qm->life_s = offers[idx].life_s;
	qm->life_kb = offers[idx].life_kb;

	/* PFS */
	if (qm->xf.alg.group) {
		size_t pl = ike_group_pub_len(qm->xf.alg.group);

		if (!rx.ke || rx.ke->len != pl) {
			QM_DROP(sa, "QM1 with PFS group %s but %s: dropped",
				ike_group_name(qm->xf.alg.group),
				rx.ke ? "a KE of the wrong size" : "no KE");
			goto drop;
		}
		qm->dh = ike_dh_new(qm->xf.alg.group);
		if (!qm->dh || ike_dh_shared(qm->dh, rx.ke->body, pl, qm->gqm,
					     &qm->gqm_len)) {
			QM_DROP(sa, "QM1: bad PFS public value: dropped");
			goto drop;
		}
	}
	qm->spi_in = qm_alloc_spi(sa->ike);
	ike_random(qm->nr, IKE_NONCE_LEN);
	qm->nr_len = IKE_NONCE_LEN;
	digest20(pkt, len, qm->rx_digest);
	qm->has_rx_digest = true;

	/* A rekey: the peer's new SA for an existing one of the same peer. */
	if (sa->rem && sa->rem->children)
		qm->rekey_of = sa->rem->tx;

	ike_buf_init(&b);
	qm_hdr(qm, &b);
	hs = ike_buf_begin(&b, ISAKMP_NP_HASH);
	ike_buf_zero(&b, sa->k.prf_len);
	ike_buf_end(&b, hs);
	s = ike_buf_begin(&b, ISAKMP_NP_SA);
	ike_buf_u32(&b, IPSEC_DOI);
	ike_buf_u32(&b, IPSEC_SIT_IDENTITY_ONLY);
	pp = ike_buf_sub_begin(&b, ISAKMP_NP_NONE);
	ike_buf_u8(&b, offers[idx].pnum);
	ike_buf_u8(&b, PROTO_IPSEC_ESP);
	ike_buf_u8(&b, 4);
	ike_buf_u8(&b, 1);
	ike_put_be32(spi, qm->spi_in);
	ike_buf_put(&b, spi, 4);
	{
		size_t t0 = b.len;

		ike_buf_put(&b, qm->xf_raw, offers[idx].raw_len);
		if (!b.err)
			b.data[t0] = ISAKMP_NP_NONE;
	}
	ike_buf_end(&b, pp);
	ike_buf_end(&b, s);
	ike_buf_payload(&b, ISAKMP_NP_NONCE, qm->nr, qm->nr_len);
	if (qm->dh) {
		uint8_t pub[IKE_MAX_DH];
		size_t pl = ike_group_pub_len(qm->xf.alg.group);

		if (ike_dh_pub(qm->dh, pub, pl))
			b.err = true;
		ike_buf_payload(&b, ISAKMP_NP_KE, pub, pl);
	}
	if (qm->has_ids) {
		ike_buf_payload(&b, ISAKMP_NP_ID, qm->idci, qm->idci_len);
		ike_buf_payload(&b, ISAKMP_NP_ID, qm->idcr, qm->idcr_len);
	}
	if (qm->natoa && qm_use_udp_encap(sa)) {
		qm_add_natoa(sa, &b, sa->remote.sin_addr.s_addr);
		qm_add_natoa(sa, &b, sa->local.sin_addr.s_addr);
	}
	if (offers[idx].life_s > qm->life_s) {
		/* RESPONDER-LIFETIME: our shorter lifetime, as attributes. */
		size_t ns = ike_buf_begin(&b, ISAKMP_NP_N);
		uint8_t ospi[4];

		ike_buf_u32(&b, IPSEC_DOI);
		ike_buf_u8(&b, PROTO_IPSEC_ESP);
		ike_buf_u8(&b, 4);
		ike_buf_u16(&b, N_RESPONDER_LIFETIME);
		ike_put_be32(ospi, qm->spi_out);
		ike_buf_put(&b, ospi, 4);
		ike_buf_attr_tv(&b, P2_ATTR_LIFE_TYPE, LIFE_SECONDS);
		ike_buf_attr_u32(&b, P2_ATTR_LIFE_DURATION, qm->life_s);
		ike_buf_end(&b, ns);
		SA_LOG(sa, LOG_LVL_INFO,
		       "phase 2: the peer proposes %u s; RESPONDER-LIFETIME %u s",
		       offers[idx].life_s, qm->life_s);
	}
	if (qm_fill_hash(qm, &b, hs + ISAKMP_GEN_LEN, true)) {
		ike_buf_free(&b);
		goto drop;
	}
	p2_alg_str(&qm->xf.alg, alg, sizeof(alg));
	SA_LOG(sa, LOG_LVL_DEBUG, "QM1: chose %s, %s", alg,
	       ike_encap_name(qm->xf.encap));
	/* The inbound SA first: the peer may send right after QM3. */
	if (child_install(sa, qm, true)) {
		ike_buf_free(&b);
		r_fail(qm, N_NO_PROPOSAL_CHOSEN);
		rx_free(&rx);
		return;
	}
	qm->state = QM_R2;
	qm_send(qm, &b, true);
	ike_buf_free(&b);
	rx_free(&rx);
	return;
drop:
	rx_free(&rx);
	qm_remove(qm);
}

static void r_qm3(struct ike_qm *qm, const struct isakmp_hdr *h,
		  const uint8_t *pkt, size_t len)
{
	struct ike_sa *sa = qm->sa;
	uint8_t iv[IKE_MAX_BLOCK], m[4], zero = 0, want[IKE_MAX_HASH];
	struct ike_msg msg;
	struct ike_child *c;
	uint8_t *plain;
	const char *why = NULL;

	if (!(h->flags & ISAKMP_FLAG_E)) {
		QM_DROP(sa, "QM3 not encrypted: dropped");
		return;
	}
	plain = malloc(len);
	if (!plain)
		return;
	memcpy(iv, qm->iv, sizeof(iv));
	ike_put_be32(m, qm->msgid);
	{
		struct ike_chunk p[] = {
			{ &zero, 1 }, { m, 4 }, { qm->ni, qm->ni_len },
			{ qm->nr, qm->nr_len },
		};

		if (ike_decrypt(&sa->k, pkt, len, iv, plain) ||
		    ike_chain_parse(h->np, plain, len - ISAKMP_HDR_LEN, true,
				    &msg, &why) ||
		    msg.n < 1 || msg.pl[0].type != ISAKMP_NP_HASH ||
		    msg.pl[0].len != sa->k.prf_len ||
		    ike_prf_a(&sa->k, p, 4, want) ||
		    CRYPTO_memcmp(want, msg.pl[0].body, sa->k.prf_len)) {
			sa->ike->cnt.drop_decrypt++;
			SA_LOG(sa, LOG_LVL_DEBUG,
			       "QM3: HASH(3) does not verify: dropped");
			free(plain);
			return;
		}
	}
	free(plain);
	memcpy(qm->iv, iv, sizeof(iv));
	ike_tx_clear(&qm->tx);
	qm->state = QM_DONE;
	digest20(pkt, len, qm->rx_digest);
	loop_timer_arm(qm->timer, QM_KEEP_MS);
	/* By SPI: a newer ISAKMP SA of the same peer may serve the remote. */
	c = child_find_spi(sa->ike, qm->spi_in, true, NULL);
	if (!c || c->state != CHILD_LARVAL || child_complete(sa, c))
		return;
	sa->ike->cnt.p2_established++;
}

static bool p2_offered(const struct ike_sa *sa, const struct p2_xform *x)
{
	const struct p2_alg *algs;
	size_t n, i;

	algs = ike_p2_algs(sa->ike, sa->pc, &n);
	for (i = 0; i < n; i++)
		if (algs[i].esp == x->alg.esp &&
		    algs[i].keylen == x->alg.keylen &&
		    algs[i].auth == x->alg.auth &&
		    algs[i].group == x->alg.group)
			return true;
	return false;
}

static void i_qm2(struct ike_qm *qm, const struct isakmp_hdr *h,
		  const uint8_t *pkt, size_t len)
{
	struct ike_sa *sa = qm->sa;
	struct p2_xform x[2];
	struct qm_rx rx;
	struct ike_buf b;
	unsigned int skipped, i;
	const struct ike_pl *np;
	const char *why = NULL;
	size_t n, hs;
	uint8_t m[4], zero = 0, hash[IKE_MAX_HASH];

	if (qm_open(qm, h, pkt, len, true, &rx))
		goto out;
	if (!rx.sa || !rx.nonce || rx.nonce->len < 8 ||
	    rx.nonce->len > IKE_MAX_NONCE ||
	    p2_offers_parse(rx.sa->body, rx.sa->len, x, 2, &n, &skipped,
			    &why) || n != 1) {
		QM_DROP(sa, "QM2: bad SA or nonce (%s): dropped",
			why ? why : "not one transform");
		goto out;
	}
	if (x[0].unsupported || !p2_offered(sa, &x[0])) {
		char a[64];

		p2_alg_str(&x[0].alg, a, sizeof(a));
		ike_fail(sa->ike, &sa->remote, IKE_FAIL_PROTOCOL,
			 "phase 2: the responder chose %s, which we did not offer",
			 a);
		qm_remove(qm);
		goto out;
	}
	qm->xf = x[0];
	qm->xf.raw = NULL;
	qm->spi_out = x[0].spi;
	memcpy(qm->nr, rx.nonce->body, rx.nonce->len);
	qm->nr_len = rx.nonce->len;
	if (x[0].life_s && x[0].life_s < qm->life_s)
		qm->life_s = x[0].life_s;
	qm->life_kb = x[0].life_kb;
	for (i = 0; (np = ike_msg_find(&rx.m, ISAKMP_NP_N, i)); i++) {
		struct ike_notify nt;
		struct ike_trans t = { 0 };
		struct ike_iter it;
		struct ike_attr a;
		uint16_t lt = 0;

		if (ike_notify_parse(np->body, np->len, &nt, &why) ||
		    nt.type != N_RESPONDER_LIFETIME)
			continue;
		t.attrs = nt.data;
		t.attrs_len = nt.data_len;
		ike_attr_iter(&t, &it);
		while (ike_attr_next(&it, &a) > 0) {
			if (a.type == P2_ATTR_LIFE_TYPE)
				lt = (uint16_t)a.val;
			else if (a.type == P2_ATTR_LIFE_DURATION && a.val_ok &&
				 lt == LIFE_SECONDS && a.val &&
				 a.val < qm->life_s)
				qm->life_s = a.val;
		}
		SA_LOG(sa, LOG_LVL_INFO, "phase 2: RESPONDER-LIFETIME: %u s",
		       qm->life_s);
	}
	if (qm->dh) {
		size_t pl = ike_group_pub_len(ike_dh_group(qm->dh));

		if (!rx.ke || rx.ke->len != pl ||
		    ike_dh_shared(qm->dh, rx.ke->body, pl, qm->gqm,
				  &qm->gqm_len)) {
			QM_DROP(sa, "QM2: missing or bad PFS KE: dropped");
			goto out;
		}
	}
	if (child_install(sa, qm, false)) {
		qm_remove(qm);
		goto out;
	}
	digest20(pkt, len, qm->rx_digest);
	qm->has_rx_digest = true;

	ike_buf_init(&b);
	qm_hdr(qm, &b);
	hs = ike_buf_begin(&b, ISAKMP_NP_HASH);
	ike_put_be32(m, qm->msgid);
	{
		struct ike_chunk p[] = {
			{ &zero, 1 }, { m, 4 }, { qm->ni, qm->ni_len },
			{ qm->nr, qm->nr_len },
		};

		ike_prf_a(&sa->k, p, 4, hash);
	}
	ike_buf_put(&b, hash, sa->k.prf_len);
	ike_buf_end(&b, hs);
	qm->state = QM_DONE;
	qm_send(qm, &b, false);
	ike_buf_free(&b);
	sa->ike->cnt.p2_established++;
out:
	rx_free(&rx);
}

static bool qm_id_seen(const struct ike_sa *sa, uint32_t msgid)
{
	unsigned int i;

	for (i = 0; i < sa->n_qm_ids; i++)
		if (sa->qm_ids[i] == msgid)
			return true;
	return false;
}

static void qm_id_remember(struct ike_sa *sa, uint32_t msgid)
{
	if (sa->n_qm_ids == sa->cap_qm_ids) {
		unsigned int cap = sa->cap_qm_ids ? sa->cap_qm_ids * 2 : 8;
		uint32_t *n = realloc(sa->qm_ids, cap * sizeof(*n));

		if (!n)
			return;
		sa->qm_ids = n;
		sa->cap_qm_ids = cap;
	}
	sa->qm_ids[sa->n_qm_ids++] = msgid;
}

/*
 * A peer's new Quick Mode (message 1 with an unknown exchange): not a
 * replay of one this ISAKMP SA saw before (the IDs are remembered for
 * its life, max-quick-modes-per-sa of them), not beyond
 * max-quick-modes-in-progress.
 */
static bool qm_admit(struct ike_sa *sa, uint32_t msgid,
		     const struct sockaddr_in *from)
{
	struct ike *ike = sa->ike;
	const struct ike_qm *q;
	unsigned int busy = 0;

	if (qm_id_seen(sa, msgid)) {
		ike->cnt.drop_limit++;
		ike_refuse(ike, REFUSE_QM_REPLAY, from,
			   "phase 2: replayed Quick Mode message 1 (message ID 0x%08x, already used on this ISAKMP SA): dropped",
			   msgid);
		return false;
	}
	if (sa->n_qm_ids >= ike->conf.max_qm_per_sa) {
		ike->cnt.drop_limit++;
		ike_refuse(ike, REFUSE_QM_TOTAL, from,
			   "phase 2: %u Quick Modes on this ISAKMP SA (max-quick-modes-per-sa %u): refused; the client must renew phase 1",
			   sa->n_qm_ids, ike->conf.max_qm_per_sa);
		return false;
	}
	for (q = sa->qms; q; q = q->next)
		busy += !q->initiator && q->state == QM_R2;
	if (busy >= ike->conf.max_qm_in_progress) {
		ike->cnt.drop_limit++;
		ike_refuse(ike, REFUSE_QM_IN_PROGRESS, from,
			   "phase 2: %u Quick Modes in progress on this ISAKMP SA (max-quick-modes-in-progress %u): message 1 dropped",
			   busy, ike->conf.max_qm_in_progress);
		return false;
	}
	return true;
}

void qm_input(struct ike_sa *sa, const struct isakmp_hdr *h,
	      const uint8_t *pkt, size_t len,
	      const struct sockaddr_in *from, bool natt)
{
	struct ike_qm *qm = qm_find(sa, h->msgid);
	uint8_t d[20];

	if (!h->msgid) {
		QM_DROP(sa, "Quick Mode with message ID 0: dropped");
		return;
	}
	if (!qm) {
		if (!qm_admit(sa, h->msgid, from))
			return;
		r_qm1(sa, h, pkt, len);
		qm = qm_find(sa, h->msgid);
		if (qm) {
			/* Authenticated: its ID is used for the SA's life. */
			qm_id_remember(sa, h->msgid);
			ike_sa_seen(sa, from, natt);
		}
		return;
	}
	digest20(pkt, len, d);
	if (qm->has_rx_digest && !memcmp(d, qm->rx_digest, 20)) {
		/* A retransmission: our answer again. */
		sa->ike->cnt.dup_rx++;
		if (qm->tx.pkt && (!qm->initiator || qm->state == QM_DONE))
			ike_send_raw(sa->ike, &sa->remote, &sa->local,
				     sa->on_natt, qm->tx.pkt, qm->tx.len);
		return;
	}
	if (qm->initiator && qm->state == QM_I1) {
		i_qm2(qm, h, pkt, len);
		ike_sa_seen(sa, from, natt);
	} else if (!qm->initiator && qm->state == QM_R2) {
		r_qm3(qm, h, pkt, len);
		ike_sa_seen(sa, from, natt);
	} else {
		sa->ike->cnt.drop_state++;
		SA_LOG(sa, LOG_LVL_DEBUG,
		       "Quick Mode message for a finished exchange: dropped");
	}
}

static void qm_timer_cb(void *arg)
{
	struct ike_qm *qm = arg;
	struct ike_sa *sa = qm->sa;
	struct ike *ike = sa->ike;

	if (qm->state == QM_DONE || qm->refused) {
		qm_remove(qm);
		return;
	}
	if (qm->tx.request && qm->tx.tries < ike->conf.retransmit_tries) {
		uint64_t d = ike->conf.retransmit_ms;
		unsigned int i;

		qm->tx.tries++;
		ike->cnt.retransmits++;
		for (i = 0; i < qm->tx.tries; i++)
			d = d * 18 / 10;
		ike_send_raw(ike, &sa->remote, &sa->local, sa->on_natt,
			     qm->tx.pkt, qm->tx.len);
		loop_timer_arm(qm->timer, d);
		return;
	}
	if (qm->initiator)
		ike_fail(ike, &sa->remote, IKE_FAIL_SILENT,
			 "phase 2: peer silent: no answer to Quick Mode after %u tries",
			 qm->tx.tries + 1);
	else
		ike_fail(ike, &sa->remote, IKE_FAIL_SILENT,
			 "phase 2: peer silent after our Quick Mode answer: it never confirmed (no QM3)");
	if (!qm->initiator) {
		struct ike_child *c = child_find_spi(ike, qm->spi_in, true, NULL);

		if (c && c->state == CHILD_LARVAL)
			child_delete(c, false, "Quick Mode not confirmed");
	}
	qm_remove(qm);
}

static void qm_dispatch(struct ike *ike, struct ike_sa *sa,
			const struct isakmp_hdr *h, const uint8_t *pkt,
			size_t len, const struct sockaddr_in *from,
			const struct sockaddr_in *to, bool natt)
{
	(void)to;
	if (!sa || sa->state != P1_ESTABLISHED) {
		ike->cnt.drop_unknown_sa++;
		log_peer(LOG_LVL_DEBUG, LOG_IKE, from,
			 "Quick Mode without an established ISAKMP SA: dropped");
		return;
	}
	qm_input(sa, h, pkt, len, from, natt);
}

/* The SA's Quick Modes go with it. */
static void qm_free_all(struct ike_sa *sa)
{
	while (sa->qms) {
		struct ike_qm *qm = sa->qms;

		sa->qms = qm->next;
		qm_free(qm);
	}
}

const struct ike_exchange_ops ike_quick_mode = {
	.input = qm_dispatch,
	.free = qm_free_all,
};
