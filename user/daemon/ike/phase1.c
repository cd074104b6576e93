// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd IKEv1 phase 1, what Main Mode (mainmode.c) and Aggressive Mode
 * (aggressive.c) share: configuration lookups, building the SA, KE, nonce,
 * ID, certificate and HASH/SIG payloads, deriving SKEYID, checking the
 * peer's ID and authentication, decrypting, an SA's establishment and
 * lifetime, and the retransmission timeout of both exchanges (which names
 * the likely cause of a silent peer).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <openssl/x509.h>

#include "devent.h"
#include "ike_int.h"
#include "kmod.h"
#include "log.h"
#include "loop.h"

const char *p1_auth_label(uint16_t auth)
{
	return auth == AUTH_PSK ? "pre-shared key" : "RSA signature";
}

/* ---- configuration lookups --------------------------------------------- */

const struct ike_peer_conf *ike_peer_conf_for(struct ike *ike,
					      struct in_addr addr)
{
	const struct ike_peer_conf *pc, *best = NULL;

	for (pc = ike->conf.peers; pc; pc = pc->next) {
		if (!pc->remote_set)
			continue;
		if ((addr.s_addr & pc->remote_mask) != pc->remote_net)
			continue;
		if (!best || pc->prefix > best->prefix)
			best = pc;
	}
	if (!best && ike->conf.def_used)
		best = &ike->conf.defpeer;
	return best;
}

uint32_t ike_auth_mask(const struct ike *ike, const struct ike_peer_conf *pc)
{
	uint32_t m = 0;

	if (pc->psk || pc->psk_file)
		m |= AUTH_MASK(AUTH_PSK);
	if (pc->cert && ike->cert && ike->key)
		m |= AUTH_MASK(AUTH_RSA_SIG);
	return m;
}

/* ---- building ---------------------------------------------------------- */

void p1_sa_build(struct ike_buf *b, const struct p1_alg *algs, size_t n,
		 uint16_t auth, uint32_t life)
{
	size_t sp, pp, i;

	sp = ike_buf_begin(b, ISAKMP_NP_SA);
	ike_buf_u32(b, IPSEC_DOI);
	ike_buf_u32(b, IPSEC_SIT_IDENTITY_ONLY);
	pp = ike_buf_sub_begin(b, ISAKMP_NP_NONE);
	ike_buf_u8(b, 1);
	ike_buf_u8(b, PROTO_ISAKMP);
	ike_buf_u8(b, 0);
	ike_buf_u8(b, (uint8_t)n);
	for (i = 0; i < n; i++) {
		size_t tp = ike_buf_sub_begin(b, i + 1 < n ? ISAKMP_NP_T :
						   ISAKMP_NP_NONE);

		ike_buf_u8(b, (uint8_t)(i + 1));
		ike_buf_u8(b, 1);	/* KEY_IKE */
		ike_buf_u16(b, 0);
		ike_buf_attr_tv(b, P1_ATTR_ENC, algs[i].enc);
		if (algs[i].enc == IKE_ENC_AES_CBC)
			ike_buf_attr_tv(b, P1_ATTR_KEY_LENGTH, algs[i].keylen);
		ike_buf_attr_tv(b, P1_ATTR_HASH, algs[i].hash);
		ike_buf_attr_tv(b, P1_ATTR_AUTH, auth);
		ike_buf_attr_tv(b, P1_ATTR_GROUP, algs[i].group);
		ike_buf_attr_tv(b, P1_ATTR_LIFE_TYPE, LIFE_SECONDS);
		ike_buf_attr_u32(b, P1_ATTR_LIFE_DURATION, life);
		ike_buf_end(b, tp);
	}
	ike_buf_end(b, pp);
	ike_buf_end(b, sp);
}

void p1_hdr(struct ike_sa *sa, struct ike_buf *b, uint8_t exch)
{
	struct isakmp_hdr h = {
		.version = ISAKMP_VERSION,
		.exch = exch,
	};

	memcpy(h.icky, sa->icky, 8);
	memcpy(h.rcky, sa->rcky, 8);
	ike_buf_hdr(b, &h);
}

static void add_certreq(struct ike_sa *sa, struct ike_buf *b)
{
	struct ike *ike = sa->ike;
	unsigned char *der = NULL;
	size_t s;
	int n;

	s = ike_buf_begin(b, ISAKMP_NP_CR);
	ike_buf_u8(b, CERT_X509_SIGNATURE);
	if (ike->ca_name) {
		n = i2d_X509_NAME(ike->ca_name, &der);
		if (n > 0)
			ike_buf_put(b, der, (size_t)n);
		OPENSSL_free(der);
	}
	ike_buf_end(b, s);
}

static void add_certs(struct ike_sa *sa, struct ike_buf *b)
{
	struct ike *ike = sa->ike;
	unsigned char *der = NULL;
	size_t s;
	int n, i;

	n = i2d_X509(ike->cert, &der);
	if (n <= 0) {
		b->err = true;
		return;
	}
	s = ike_buf_begin(b, ISAKMP_NP_CERT);
	ike_buf_u8(b, CERT_X509_SIGNATURE);
	ike_buf_put(b, der, (size_t)n);
	ike_buf_end(b, s);
	OPENSSL_free(der);
	for (i = 0; ike->chain && i < sk_X509_num(ike->chain); i++) {
		der = NULL;
		n = i2d_X509(sk_X509_value(ike->chain, i), &der);
		if (n <= 0)
			continue;
		s = ike_buf_begin(b, ISAKMP_NP_CERT);
		ike_buf_u8(b, CERT_X509_SIGNATURE);
		ike_buf_put(b, der, (size_t)n);
		ike_buf_end(b, s);
		OPENSSL_free(der);
	}
}

int p1_derive(struct ike_sa *sa)
{
	struct ike_keys *k = &sa->k;
	const uint8_t *psk;
	size_t psk_len;
	int ret;

	memset(k, 0, sizeof(*k));
	k->hash = sa->xf.alg.hash;
	k->enc = sa->xf.alg.enc;
	ret = ike_cipher_sizes(k->enc, sa->xf.alg.keylen, &k->enc_len,
			       &k->block);
	if (ret)
		return ret;
	if (sa->xf.auth == AUTH_PSK) {
		psk = ike_psk(sa->pc, &psk_len);
		if (!psk)
			return -ENOKEY;
		ret = ike_skeyid_psk(k->hash, psk, psk_len, sa->ni, sa->ni_len,
				     sa->nr, sa->nr_len, k->skeyid);
	} else {
		ret = ike_skeyid_sig(k->hash, sa->ni, sa->ni_len, sa->nr,
				     sa->nr_len, sa->gxy, sa->gxy_len,
				     k->skeyid);
	}
	if (!ret)
		ret = ike_keys_derive(k, sa->gxy, sa->gxy_len, sa->icky,
				      sa->rcky);
	if (!ret)
		ret = ike_iv_p1(k->hash, k->block, sa->gxi, sa->gx_len,
				sa->gxr, sa->gx_len, sa->iv);
	sa->keys_ok = !ret;
	return ret;
}

/*
 * ID, [CERT], HASH or SIG for MM5/MM6 and Aggressive Mode's R1; without
 * the ID (@with_id false) for Aggressive Mode's I2, whose ID went in I1.
 */
int p1_add_auth(struct ike_sa *sa, struct ike_buf *b, bool with_id)
{
	uint8_t hash[IKE_MAX_HASH], sig[1024];
	struct ike_buf idb;
	size_t siglen = sizeof(sig);
	int ret;

	ike_buf_init(&idb);
	ike_local_id(sa, &idb);
	if (idb.err) {
		ike_buf_free(&idb);
		return -ENOMEM;
	}
	if (with_id)
		ike_buf_payload(b, ISAKMP_NP_ID, idb.data, idb.len);
	ret = ike_hash_auth(&sa->k, sa->initiator, sa->gxi, sa->gxr,
			    sa->gx_len, sa->icky, sa->rcky, sa->sai_b,
			    sa->sai_len, idb.data, idb.len, hash);
	ike_buf_free(&idb);
	if (ret)
		return ret;
	if (sa->xf.auth == AUTH_PSK) {
		ike_buf_payload(b, ISAKMP_NP_HASH, hash, sa->k.prf_len);
		return 0;
	}
	add_certs(sa, b);
	ret = ike_rsa_sign(sa->ike->key, hash, sa->k.prf_len, sig, &siglen);
	if (ret)
		return ret;
	ike_buf_payload(b, ISAKMP_NP_SIG, sig, siglen);
	return 0;
}

/* ---- established -------------------------------------------------------- */

static void life_timer_cb(void *arg);

/* INITIAL-CONTACT: the peer lost its state; so does every older SA of ours
 * with it (same address and port: another client behind the same NAT has
 * another port). */
static void initial_contact(struct ike_sa *sa)
{
	struct ike *ike = sa->ike;
	struct ike_remote *rem, *rnext;
	struct ike_sa *o, *onext;

	for (rem = ike->remotes; rem; rem = rnext) {
		rnext = rem->next;
		if (rem->addr.sin_addr.s_addr != sa->remote.sin_addr.s_addr ||
		    (rem->udp_encap &&
		     rem->addr.sin_port != sa->remote.sin_port))
			continue;
		SA_LOG(sa, LOG_LVL_INFO,
		       "INITIAL-CONTACT: removing the SAs of the peer's previous session");
		remote_free(rem, "peer sent INITIAL-CONTACT");
	}
	for (o = ike->sas; o; o = onext) {
		onext = o->lnext;
		if (o == sa || o->initiator ||
		    o->remote.sin_addr.s_addr != sa->remote.sin_addr.s_addr ||
		    o->remote.sin_port != sa->remote.sin_port)
			continue;
		ike_sa_delete(o, false, "peer sent INITIAL-CONTACT");
		onext = ike->sas;	/* the list changed */
	}
}

void p1_established(struct ike_sa *sa)
{
	struct ike *ike = sa->ike;
	struct ike_remote *rem;
	char alg[64];
	uint64_t first;

	sa->state = P1_ESTABLISHED;
	sa->established_at = ike_now(ike);
	if (ike->half_open)
		ike->half_open--;
	src_sa_established(sa);
	ike->cnt.p1_established++;
	if (!sa->tx.request)
		loop_timer_disarm(sa->timer);
	ike_dh_free(sa->dh);
	sa->dh = NULL;
	memcpy(sa->p1_iv, sa->iv, sizeof(sa->iv));

	p1_alg_str(&sa->xf.alg, alg, sizeof(alg));
	SA_LOG(sa, LOG_LVL_INFO,
	       "phase 1 established as %s: %s, %s, %u s; peer ID %s%s%s%s",
	       sa->initiator ? "initiator" : "responder", alg,
	       p1_auth_label(sa->xf.auth), sa->lifetime, sa->peer_id_str,
	       sa->nat_remote ? "; peer behind NAT" : "",
	       sa->nat_local ? "; we are behind NAT" : "",
	       sa->peer_dpd ? "; DPD" : "");

	if (sa->peer_ic && !sa->initiator)
		initial_contact(sa);

	/* Serve the peer's SAs in the module, if any. */
	for (rem = ike->remotes; rem; rem = rem->next) {
		if (rem->addr.sin_addr.s_addr == sa->remote.sin_addr.s_addr &&
		    (!rem->udp_encap ||
		     rem->addr.sin_port == sa->remote.sin_port)) {
			if (rem->sa && rem->sa != sa) {
				rem->sa->rem = NULL;
				l2_devent_emit(&(struct l2_devent){
					.kind = L2_DEV_REKEY,
					.peer = &sa->remote, .cls = -1,
					.layer = "ike",
					.detail = sa->initiator ?
						  "ISAKMP SA rekeyed by us" :
						  "ISAKMP SA rekeyed by the peer",
				});
			}
			rem->sa = sa;
			sa->rem = rem;
			break;
		}
	}

	sa->life_timer = loop_timer_new(ike->loop, life_timer_cb, sa);
	if (sa->life_timer) {
		first = (uint64_t)sa->lifetime * 1000;
		if (sa->initiator)
			first = first * 9 / 10;
		loop_timer_arm(sa->life_timer, first);
	}
	dpd_start(sa);

	if (sa->initiator) {
		struct ike_child *c;

		if (!sa->rem || !sa->rem->children) {
			qm_initiate(sa, NULL);
			return;
		}
		/* A child waited for this SA to rekey. */
		for (c = sa->rem->children; c; c = c->next)
			if (c->rekeying && !c->replaced)
				qm_initiate(sa, c);
	}
}

static void life_timer_cb(void *arg)
{
	struct ike_sa *sa = arg;

	if (sa->initiator && !sa->rekeyed && sa->pc &&
	    (sa->pc->initiate || (sa->rem && sa->rem->children))) {
		/* Rekey phase 1 before it expires; the new SA takes over. */
		sa->rekeyed = true;
		SA_LOG(sa, LOG_LVL_INFO, "phase 1: rekeying before expiry");
		mm_initiate(sa->ike, sa->pc, NULL);
		loop_timer_arm(sa->life_timer, (uint64_t)sa->lifetime * 100);
		return;
	}
	ike_sa_delete(sa, true, "lifetime expired");
}

/* ---- responder ----------------------------------------------------------- */

/*
 * A responder's first message: the [peer] (@pc, or by address when NULL),
 * the proposal chosen among those @auth_mask allows, a new SA, and the
 * start of the answer in @b: header (@exch) and the chosen SA payload.
 * Names and answers the failures (unknown peer, no proposal chosen);
 * returns NULL on them.
 */
struct ike_sa *p1_responder_new(struct ike *ike, const struct isakmp_hdr *h,
				const struct ike_msg *m,
				const struct ike_peer_conf *pc,
				uint32_t auth_mask, const struct sockaddr_in *from,
				const struct sockaddr_in *to, bool natt,
				struct ike_buf *b)
{
	struct p1_xform offers[IKE_MAX_OFFERS];
	const struct ike_pl *sap = ike_msg_find(m, ISAKMP_NP_SA, 0);
	struct p1_policy pol;
	struct ike_sa *sa;
	const char *why = NULL;
	char whybuf[900];
	size_t n, s, pp, tstart;
	int idx;

	if (!pc)
		pc = ike_peer_conf_for(ike, from->sin_addr);
	if (!pc || !ike_auth_mask(ike, pc)) {
		ike_fail(ike, from, IKE_FAIL_ID,
			 "phase 1: unknown peer: no [peer] section matches %s and [ike] sets no psk or cert",
			 inet_ntoa(from->sin_addr));
		ike_send_notify_plain(ike, from, to, natt, h->icky, NULL,
				      N_NO_PROPOSAL_CHOSEN);
		return NULL;
	}
	if (p1_offers_parse(sap->body, sap->len, offers, IKE_MAX_OFFERS, &n,
			    &why)) {
		ike->cnt.drop_malformed++;
		log_peer(LOG_LVL_DEBUG, LOG_IKE, from,
			 "%s dropped: SA payload: %s",
			 h->exch == ISAKMP_XCHG_IDPROT ? "MM1" : "AM1", why);
		ike_send_notify_plain(ike, from, to, natt, h->icky, NULL,
				      N_BAD_PROPOSAL_SYNTAX);
		return NULL;
	}
	pol.algs = ike_p1_algs(ike, pc, &pol.n);
	pol.auth_mask = ike_auth_mask(ike, pc) & auth_mask;
	pol.min_life = ike->conf.min_lifetime;
	pol.legacy = ike->conf.legacy;
	idx = p1_select(&pol, offers, n, whybuf, sizeof(whybuf));
	if (idx < 0) {
		ike_fail(ike, from, IKE_FAIL_NO_PROPOSAL,
			 "phase 1: no proposal chosen: %s", whybuf);
		ike_send_notify_plain(ike, from, to, natt, h->icky, NULL,
				      N_NO_PROPOSAL_CHOSEN);
		return NULL;
	}

	sa = ike_sa_new(ike, false, from, to);
	if (!sa)
		return NULL;
	if (src_sa_opened(sa)) {
		ike_sa_free(sa);
		return NULL;
	}
	memcpy(sa->icky, h->icky, 8);
	ike_random(sa->rcky, 8);
	ike_sa_hash(sa);
	sa->pc = pc;
	sa->on_natt = natt;
	sa->xf = offers[idx];
	sa->xf.raw = NULL;
	sa->lifetime = ike->conf.ike_lifetime;
	if (pc->ike_lifetime)
		sa->lifetime = pc->ike_lifetime;
	if (offers[idx].life_s && offers[idx].life_s < sa->lifetime)
		sa->lifetime = offers[idx].life_s;
	sa->sai_b = malloc(sap->len);
	if (!sa->sai_b) {
		ike_sa_free(sa);
		return NULL;
	}
	memcpy(sa->sai_b, sap->body, sap->len);
	sa->sai_len = sap->len;
	natt_vids(sa, m);

	ike_buf_init(b);
	p1_hdr(sa, b, h->exch);
	s = ike_buf_begin(b, ISAKMP_NP_SA);
	ike_buf_u32(b, IPSEC_DOI);
	ike_buf_u32(b, IPSEC_SIT_IDENTITY_ONLY);
	pp = ike_buf_sub_begin(b, ISAKMP_NP_NONE);
	ike_buf_u8(b, offers[idx].pnum);
	ike_buf_u8(b, PROTO_ISAKMP);
	ike_buf_u8(b, 0);
	ike_buf_u8(b, 1);
	tstart = b->len;
	ike_buf_put(b, offers[idx].raw, offers[idx].raw_len);
	if (!b->err)
		b->data[tstart] = ISAKMP_NP_NONE;
	ike_buf_end(b, pp);
	ike_buf_end(b, s);
	{
		char alg[64];

		p1_alg_str(&sa->xf.alg, alg, sizeof(alg));
		SA_LOG(sa, LOG_LVL_DEBUG, "%s: chose %s, %s%s",
		       h->exch == ISAKMP_XCHG_IDPROT ? "MM1" : "AM1", alg,
		       p1_auth_label(sa->xf.auth),
		       natt_enabled(sa) ? ", NAT-T" : "");
	}
	return sa;
}

void p1_note_rx(struct ike_sa *sa, const uint8_t *pkt, size_t len)
{
	struct ike_chunk c = { pkt, len };
	uint8_t d[IKE_MAX_HASH];

	ike_digest(IKE_HASH_SHA1, &c, 1, d);
	memcpy(sa->rx_digest, d, 20);
	sa->has_rx_digest = true;
}

/* KE and nonce of the peer; our own DH and the shared secret. */
int p1_take_ke(struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_pl *ke = ike_msg_find(m, ISAKMP_NP_KE, 0);
	const struct ike_pl *no = ike_msg_find(m, ISAKMP_NP_NONCE, 0);
	size_t want = ike_group_pub_len(sa->xf.alg.group);
	uint8_t *peer_gx = sa->initiator ? sa->gxr : sa->gxi;
	uint8_t *own_gx = sa->initiator ? sa->gxi : sa->gxr;

	if (!ke || !no) {
		MM_DROP(sa, "key exchange message without KE or nonce: dropped");
		return -EBADMSG;
	}
	if (ke->len != want) {
		MM_DROP(sa, "KE of %zu bytes for %s (%zu expected): dropped",
			ke->len, ike_group_name(sa->xf.alg.group), want);
		return -EBADMSG;
	}
	if (no->len < 8 || no->len > IKE_MAX_NONCE) {
		MM_DROP(sa, "nonce of %zu bytes: dropped", no->len);
		return -EBADMSG;
	}
	if (!sa->dh) {
		if (!p1_dh_allowed(sa))
			return -EAGAIN;
		sa->dh = ike_dh_new(sa->xf.alg.group);
		if (!sa->dh)
			return -ENOMEM;
		if (ike_dh_pub(sa->dh, own_gx, want))
			return -EIO;
	}
	memcpy(peer_gx, ke->body, want);
	sa->gx_len = want;
	if (sa->initiator) {
		memcpy(sa->nr, no->body, no->len);
		sa->nr_len = no->len;
	} else {
		memcpy(sa->ni, no->body, no->len);
		sa->ni_len = no->len;
	}
	if (ike_dh_shared(sa->dh, peer_gx, want, sa->gxy, &sa->gxy_len)) {
		MM_DROP(sa, "peer's public DH value is invalid: dropped");
		return -EBADMSG;
	}
	if (ike_msg_find(m, ISAKMP_NP_CR, 0))
		sa->cert_req_seen = true;
	return 0;
}

void p1_add_ke_nonce(struct ike_sa *sa, struct ike_buf *b)
{
	uint8_t *own_gx = sa->initiator ? sa->gxi : sa->gxr;
	uint8_t *nonce = sa->initiator ? sa->ni : sa->nr;
	size_t *nlen = sa->initiator ? &sa->ni_len : &sa->nr_len;

	ike_buf_payload(b, ISAKMP_NP_KE, own_gx, sa->gx_len);
	ike_random(nonce, IKE_NONCE_LEN);
	*nlen = IKE_NONCE_LEN;
	ike_buf_payload(b, ISAKMP_NP_NONCE, nonce, IKE_NONCE_LEN);
	if (sa->xf.auth == AUTH_RSA_SIG)
		add_certreq(sa, b);
}

/*
 * Decrypt a phase 1 message that must hold a payload of type @need; on
 * garbage, a PSK mismatch when PSK.
 */
int p1_decrypt(struct ike_sa *sa, const struct isakmp_hdr *h,
	       const uint8_t *pkt, size_t len, uint8_t *plain,
	       struct ike_msg *m, unsigned int msgno, uint8_t need)
{
	const char *lack = need == ISAKMP_NP_ID ? "no ID payload" :
						  "no HASH payload";
	uint8_t iv[IKE_MAX_BLOCK];
	const char *why = NULL;

	if (!(h->flags & ISAKMP_FLAG_E)) {
		MM_DROP(sa, "message %u not encrypted: dropped", msgno);
		return -EBADMSG;
	}
	memcpy(iv, sa->iv, sizeof(iv));
	if (ike_decrypt(&sa->k, pkt, len, iv, plain)) {
		MM_DROP(sa, "message %u: ciphertext is not a whole number of blocks: dropped",
			msgno);
		return -EBADMSG;
	}
	if (ike_chain_parse(h->np, plain, len - ISAKMP_HDR_LEN, true, m,
			    &why) ||
	    !ike_msg_find(m, need, 0)) {
		sa->ike->cnt.drop_decrypt++;
		if (sa->xf.auth == AUTH_PSK) {
			ike_fail(sa->ike, &sa->remote, IKE_FAIL_PSK,
				 "phase 1: pre-shared key mismatch: message %u does not decrypt with our key (%s); check the PSK configured for this peer",
				 msgno, why ? why : lack);
			return -EACCES;
		}
		MM_DROP(sa, "message %u does not decrypt to valid payloads (%s): dropped",
			msgno, why ? why : lack);
		return -EBADMSG;
	}
	memcpy(sa->iv, iv, sizeof(iv));
	return 0;
}

/* The notifications of the peer's authenticated message: INITIAL-CONTACT. */
void p1_note_notifies(struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_pl *np;
	unsigned int i;

	for (i = 0; (np = ike_msg_find(m, ISAKMP_NP_N, i)); i++) {
		struct ike_notify n;
		const char *why;

		if (!ike_notify_parse(np->body, np->len, &n, &why) &&
		    n.type == N_INITIAL_CONTACT)
			sa->peer_ic = true;
	}
}

/* ---- initiator ----------------------------------------------------------- */

static bool offered(const struct ike_sa *sa, const struct p1_xform *x)
{
	const struct p1_alg *algs;
	size_t n, i;

	algs = ike_p1_algs(sa->ike, sa->pc, &n);
	for (i = 0; i < n; i++)
		if (p1_xform_equal_alg(x, &algs[i]))
			return true;
	return false;
}

/*
 * The responder's choice in its first answer (@m, unencrypted): one
 * transform we offered. -EBADMSG: malformed (dropped); -EACCES: named,
 * the caller deletes the SA.
 */
int p1_take_choice(struct ike_sa *sa, const struct isakmp_hdr *h,
		   const struct ike_msg *m)
{
	struct p1_xform x[2];
	const struct ike_pl *sap;
	const char *why = NULL;
	size_t n;
	uint16_t auth = sa->xf.auth;

	sap = ike_msg_find(m, ISAKMP_NP_SA, 0);
	if (!sap || p1_offers_parse(sap->body, sap->len, x, 2, &n, &why)) {
		MM_DROP(sa, "%s dropped: %s",
			h->exch == ISAKMP_XCHG_IDPROT ? "MM2" : "AM2",
			why ? why : "no SA payload");
		return -EBADMSG;
	}
	if (n != 1 || x[0].unsupported || !offered(sa, &x[0]) ||
	    x[0].auth != auth) {
		char a[64];

		p1_alg_str(&x[0].alg, a, sizeof(a));
		ike_fail(sa->ike, &sa->remote, IKE_FAIL_PROTOCOL,
			 "phase 1: the responder chose %s/%s, which we did not offer",
			 a, ike_auth_name(x[0].auth));
		return -EACCES;
	}
	memcpy(sa->rcky, h->rcky, 8);
	sa->xf = x[0];
	sa->xf.raw = NULL;
	if (x[0].life_s && x[0].life_s < sa->lifetime)
		sa->lifetime = x[0].life_s;
	natt_vids(sa, m);
	return 0;
}

/* INITIAL-CONTACT, when configured and we hold nothing with this peer. */
void p1_add_initial_contact(struct ike_sa *sa, struct ike_buf *b)
{
	struct ike_remote *rem;
	size_t s;

	if (!sa->ike->conf.initial_contact)
		return;
	for (rem = sa->ike->remotes; rem; rem = rem->next)
		if (rem->addr.sin_addr.s_addr == sa->remote.sin_addr.s_addr)
			return;
	s = ike_buf_begin(b, ISAKMP_NP_N);
	ike_buf_u32(b, IPSEC_DOI);
	ike_buf_u8(b, PROTO_ISAKMP);
	ike_buf_u8(b, 16);
	ike_buf_u16(b, N_INITIAL_CONTACT);
	ike_buf_put(b, sa->icky, 8);
	ike_buf_put(b, sa->rcky, 8);
	ike_buf_end(b, s);
}

/* RFC 3947: with a NAT, the initiator continues on UDP 4500. */
void p1_float(struct ike_sa *sa)
{
	if (natt_nat(sa) && natt_enabled(sa) && !sa->on_natt) {
		sa->on_natt = true;
		sa->remote.sin_port = htons(sa->ike->conf.natt_port);
		SA_LOG(sa, LOG_LVL_DEBUG, "NAT detected: moving to UDP %u",
		       sa->ike->conf.natt_port);
	}
}

/*
 * A new initiator SA for [peer] @pc, and the start of its first message in
 * @b: header (@exch) and our SA payload with @n of @algs.
 */
struct ike_sa *p1_initiator_new(struct ike *ike, const struct ike_peer_conf *pc,
				uint8_t exch, const struct p1_alg *algs,
				size_t n, struct ike_buf *b)
{
	struct sockaddr_in remote = {
		.sin_family = AF_INET,
		.sin_port = htons(ike->conf.port),
		.sin_addr.s_addr = pc->remote_net,
	};
	struct sockaddr_in local = { .sin_family = AF_INET };
	socklen_t sl = sizeof(local);
	struct ike_sa *sa;
	size_t s0;
	int fd;

	/* The source address the kernel would use, for NAT-D and IDs. */
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		if (!connect(fd, (struct sockaddr *)&remote, sizeof(remote)))
			getsockname(fd, (struct sockaddr *)&local, &sl);
		close(fd);
	}
	if (ike->conf.listen.s_addr)
		local.sin_addr = ike->conf.listen;
	local.sin_port = htons(ike->conf.port);

	sa = ike_sa_new(ike, true, &remote, &local);
	if (!sa)
		return NULL;
	sa->pc = pc;
	sa->lifetime = pc->ike_lifetime ? pc->ike_lifetime :
					  ike->conf.ike_lifetime;
	sa->xf.auth = (ike_auth_mask(ike, pc) & AUTH_MASK(AUTH_RSA_SIG)) &&
		      pc->cert ? AUTH_RSA_SIG : AUTH_PSK;
	if (n > 255)
		n = 255;
	ike_buf_init(b);
	p1_hdr(sa, b, exch);
	s0 = b->len;
	p1_sa_build(b, algs, n, sa->xf.auth, sa->lifetime);
	if (!b->err) {
		sa->sai_len = b->len - s0 - ISAKMP_GEN_LEN;
		sa->sai_b = malloc(sa->sai_len);
		if (sa->sai_b)
			memcpy(sa->sai_b, b->data + s0 + ISAKMP_GEN_LEN,
			       sa->sai_len);
	}
	if (b->err || !sa->sai_b) {
		ike_buf_free(b);
		ike_sa_free(sa);
		return NULL;
	}
	return sa;
}

/* ---- dispatch and timeouts ------------------------------------------------ */

void p1_timeout(struct ike_sa *sa)
{
	struct ike *ike = sa->ike;
	unsigned int tries = sa->tx.tries + 1;
	bool nat = natt_nat(sa) && natt_enabled(sa);

	/* Aggressive Mode: the peer got HASH_R and went quiet. */
	if (sa->state == P1_R_AM2 && !sa->dup_first) {
		ike_fail(ike, &sa->remote, IKE_FAIL_PSK,
			 "phase 1: no Aggressive Mode message 3 after our answer: most likely a pre-shared key mismatch (the peer cannot verify our HASH_R)%s; check the PSK configured for this peer%s%s%s",
			 nat ? ", or UDP 4500 from the peer to us is blocked (NAT detected)" : "",
			 sa->pc->is_default ? "" : " ([peer ",
			 sa->pc->is_default ? "" : sa->pc->name,
			 sa->pc->is_default ? "" : "])");
		ike_sa_delete(sa, false, "timeout");
		return;
	}
	switch (sa->state) {
	case P1_I_MM1:
	case P1_I_AM1:
		ike_fail(ike, &sa->remote, IKE_FAIL_SILENT,
			 "phase 1: peer silent: no answer to our first message after %u tries: is UDP %u blocked, or is nothing listening there?",
			 tries, ntohs(sa->remote.sin_port));
		break;
	case P1_I_MM3:
		ike_fail(ike, &sa->remote, IKE_FAIL_SILENT,
			 "phase 1: peer silent after message 2: no answer to our key exchange (message 3) after %u tries",
			 tries);
		break;
	case P1_I_MM5:
		if (sa->xf.auth == AUTH_PSK)
			ike_fail(ike, &sa->remote, IKE_FAIL_PSK,
				 "phase 1: no answer to message 5 (our ID and HASH_I) after %u tries: most likely a pre-shared key mismatch (the peer cannot decrypt it)%s",
				 tries, sa->on_natt ?
				 ", or UDP 4500 is blocked (we moved to it because of a NAT)" : "");
		else
			ike_fail(ike, &sa->remote, IKE_FAIL_SILENT,
				 "phase 1: no answer to message 5 (our ID, certificate and signature) after %u tries: the peer rejects our certificate or ID%s",
				 tries, sa->on_natt ?
				 ", or UDP 4500 is blocked (we moved to it because of a NAT)" : "");
		break;
	case P1_R_AM2:
	case P1_R_MM2:
		if (sa->dup_first)
			ike_fail(ike, &sa->remote, IKE_FAIL_SILENT,
				 "phase 1: peer silent after our first reply: it sent its first message %u more times, so our answers do not reach it: is UDP %u from us to the peer blocked?",
				 sa->dup_first, ntohs(sa->remote.sin_port));
		else
			ike_fail(ike, &sa->remote, IKE_FAIL_SILENT,
				 "phase 1: peer silent after our first reply: is UDP 500/4500 blocked, or did the client give up on our proposal choice?");
		break;
	case P1_R_MM4:
		if (natt_nat(sa) && natt_enabled(sa) && !sa->on_natt)
			ike_fail(ike, &sa->remote, IKE_FAIL_NAT,
				 "phase 1: NAT detected but the peer does not float to NAT-T: nothing came on UDP %u after our message 4: is UDP %u from the peer to us blocked?",
				 ike->conf.natt_port, ike->conf.natt_port);
		else if (natt_nat(sa))
			ike_fail(ike, &sa->remote, IKE_FAIL_SILENT,
				 "phase 1: peer silent after message 4: a NAT was detected and the peer should continue on UDP %u: is UDP %u blocked?",
				 ike->conf.natt_port, ike->conf.natt_port);
		else
			ike_fail(ike, &sa->remote, IKE_FAIL_SILENT,
				 "phase 1: peer silent after message 4 (key exchange): the client gave up before authenticating");
		break;
	case P1_ESTABLISHED:
		return;
	}
	ike_sa_delete(sa, false, "timeout");
}
