// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd IKEv1 Aggressive Mode (RFC 2409 5.4) with pre-shared keys, an
 * explicit opt-in ([ike] aggressive = yes as responder, [peer NAME]
 * aggressive = yes as initiator):
 *
 *   I -> R  AM1  SA, KE, Ni, IDii, VIDs          P1_I_AM1 / (new SA)
 *   R -> I  AM2  SA, KE, Nr, IDir, HASH_R,        P1_R_AM2
 *                NAT-D x2, VIDs
 *   I -> R  AM3  [*] HASH_I, NAT-D x2, [N(IC)]    P1_ESTABLISHED
 *
 * The peer names itself in AM1, before any key exists, so the responder
 * picks the [peer] (and its PSK) by that ID; and it answers with a hash of
 * the PSK to whoever asks: anyone can guess the PSK offline from AM2.
 * AM3 may come encrypted or not (both are seen); with a NAT it comes on
 * UDP 4500 (RFC 3947 3.1). Proposal choice, DH, keys, hashes, NAT-D, the
 * ID checks and the established SA are Main Mode's (mainmode.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "ike_int.h"
#include "log.h"
#include "loop.h"

#define AM_DROP(sa, ...) do { \
	(sa)->ike->cnt.drop_malformed++; \
	SA_LOG((sa), LOG_LVL_DEBUG, __VA_ARGS__); \
} while (0)

void am_warn_enabled(struct ike *ike)
{
	const struct ike_peer_conf *pc;

	if (ike->conf.aggressive)
		log_msg(LOG_LVL_WARN, LOG_IKE,
			"aggressive = yes: Aggressive Mode with pre-shared keys is accepted: it sends a hash of the pre-shared key to anyone who asks with a plausible ID (offline guessing of the PSK) and the IDs travel in clear; use it only for clients that cannot do Main Mode, with a long random PSK");
	for (pc = ike->conf.peers; pc; pc = pc->next)
		if (pc->aggressive)
			log_msg(LOG_LVL_WARN, LOG_IKE,
				"[peer %s] aggressive = yes: we initiate Aggressive Mode: our ID travels in clear and the responder's answer lets an eavesdropper guess the pre-shared key offline",
				pc->name);
}

void am_refuse(struct ike *ike, const struct isakmp_hdr *h,
	       const struct sockaddr_in *from, const struct sockaddr_in *to,
	       bool natt)
{
	ike_fail(ike, from, IKE_FAIL_AGGRESSIVE,
		 "phase 1: Aggressive Mode refused: it sends a hash of the pre-shared key to anyone who asks (offline guessing); configure the client for Main Mode or, accepting the risk, set aggressive = yes in [ike]");
	ike_send_notify_plain(ike, from, to, natt, h->icky, NULL,
			      N_NO_PROPOSAL_CHOSEN);
}

/*
 * The [peer] of an AM1: the most specific one whose remote matches @from
 * and whose id = names @id; else the one by address alone (whose ID check
 * then names the mismatch).
 */
static const struct ike_peer_conf *peer_by_id(struct ike *ike,
					      const struct sockaddr_in *from,
					      const struct ike_id *id)
{
	const struct ike_peer_conf *pc, *best = NULL;

	for (pc = ike->conf.peers; pc; pc = pc->next) {
		if (!pc->remote_set || !pc->peer_id.set || pc->peer_id.any)
			continue;
		if ((from->sin_addr.s_addr & pc->remote_mask) != pc->remote_net)
			continue;
		if (!ike_id_matches(&pc->peer_id, id))
			continue;
		if (!best || pc->prefix > best->prefix)
			best = pc;
	}
	return best ? best : ike_peer_conf_for(ike, from->sin_addr);
}

/* ---- responder ----------------------------------------------------------- */

void am_responder_start(struct ike *ike, const struct isakmp_hdr *h,
			const uint8_t *pkt, size_t len,
			const struct sockaddr_in *from,
			const struct sockaddr_in *to, bool natt)
{
	const struct ike_peer_conf *pc;
	const struct ike_pl *idp;
	struct ike_id id;
	struct ike_msg m;
	struct ike_sa *sa;
	struct ike_buf b;
	const char *why = NULL;

	idp = NULL;
	if (!(h->flags & ISAKMP_FLAG_E) &&
	    !ike_chain_parse(h->np, pkt + ISAKMP_HDR_LEN, len - ISAKMP_HDR_LEN,
			     false, &m, &why) &&
	    ike_msg_find(&m, ISAKMP_NP_SA, 0) &&
	    ike_msg_find(&m, ISAKMP_NP_KE, 0) &&
	    ike_msg_find(&m, ISAKMP_NP_NONCE, 0))
		idp = ike_msg_find(&m, ISAKMP_NP_ID, 0);
	if (!idp || ike_id_parse(idp->body, idp->len, &id, &why)) {
		ike->cnt.drop_malformed++;
		log_peer(LOG_LVL_DEBUG, LOG_IKE, from, "AM1 dropped: %s",
			 why ? why : "encrypted, or no SA, KE, nonce or ID");
		return;
	}
	if (!p1_admit(ike, from))
		return;
	pc = peer_by_id(ike, from, &id);
	sa = p1_responder_new(ike, h, &m, pc, AUTH_MASK(AUTH_PSK), from, to,
			      natt, &b);
	if (!sa)
		return;
	if (p1_take_id(sa, idp, &id)) {
		ike_buf_free(&b);
		ike_sa_free(sa);
		return;
	}
	if (p1_check_id(sa, &id)) {
		ike_send_notify_plain(ike, from, to, natt, h->icky, NULL,
				      N_INVALID_ID_INFORMATION);
		ike_buf_free(&b);
		ike_sa_free(sa);
		return;
	}
	if (p1_take_ke(sa, &m)) {
		ike_buf_free(&b);
		ike_sa_free(sa);
		return;
	}
	p1_add_ke_nonce(sa, &b);
	if (p1_derive(sa) || p1_add_auth(sa, &b, true)) {
		ike_buf_free(&b);
		SA_LOG(sa, LOG_LVL_ERR, "phase 1: cannot build Aggressive Mode message 2");
		ike_sa_free(sa);
		return;
	}
	natt_add_natd(sa, &b);
	natt_add_vids(sa, &b, true);
	p1_note_rx(sa, pkt, len);
	sa->state = P1_R_AM2;
	SA_LOG(sa, LOG_LVL_DEBUG, "AM1 from ID %s: [peer %s]",
	       sa->peer_id_str, sa->pc->name);
	ike_sa_send(sa, &b, false);
	ike_buf_free(&b);
	ike_sa_arm_timeout(sa, p1_responder_wait(ike));
}

static void r_am3(struct ike_sa *sa, const struct isakmp_hdr *h,
		  const uint8_t *pkt, size_t len,
		  const struct sockaddr_in *from, bool natt)
{
	uint8_t *plain = NULL;
	uint8_t idcopy[sizeof(sa->peer_id_raw)];
	struct ike_pl idpl = { .type = ISAKMP_NP_ID, .body = idcopy };
	const char *why = NULL;
	struct ike_msg m;
	int ret;

	if (h->flags & ISAKMP_FLAG_E) {
		plain = malloc(len);
		if (!plain)
			return;
		ret = p1_decrypt(sa, h, pkt, len, plain, &m, 3,
				 ISAKMP_NP_HASH);
		if (ret == -EACCES) {
			ike_send_notify_plain(sa->ike, &sa->remote, &sa->local,
					      sa->on_natt, sa->icky, sa->rcky,
					      N_INVALID_HASH_INFORMATION);
			ike_sa_delete(sa, false, "pre-shared key mismatch");
			goto out;
		}
		if (ret)
			goto out;
	} else if (ike_chain_parse(h->np, pkt + ISAKMP_HDR_LEN,
				   len - ISAKMP_HDR_LEN, false, &m, &why)) {
		AM_DROP(sa, "AM3 dropped: %s", why);
		return;
	}
	/* The ID came in AM1. */
	memcpy(idcopy, sa->peer_id_raw, sa->peer_id_len);
	idpl.len = sa->peer_id_len;
	ret = p1_verify_peer(sa, &m, &idpl, 3);
	if (ret == -EACCES) {
		ike_send_notify_plain(sa->ike, &sa->remote, &sa->local,
				      sa->on_natt, sa->icky, sa->rcky,
				      N_AUTHENTICATION_FAILED);
		ike_sa_delete(sa, false, "authentication failed");
		goto out;
	}
	if (ret)
		goto out;
	/* Authenticated: follow a float to UDP 4500 first, since the
	 * peer's NAT-D hash the addresses and ports of this message. */
	ike_sa_seen(sa, from, natt);
	if (natt_check(sa, &m))
		goto out;
	if (natt_nat(sa) && !natt && natt_enabled(sa))
		SA_LOG(sa, LOG_LVL_WARN,
		       "phase 1: NAT detected, but the peer sends Aggressive Mode message 3 to UDP %u, not %u: it does not float to NAT-T",
		       sa->ike->conf.port, sa->ike->conf.natt_port);
	p1_note_notifies(sa, &m);
	p1_note_rx(sa, pkt, len);
	/* Nothing answers AM3: a copy of it is only dropped. */
	ike_tx_clear(&sa->tx);
	loop_timer_disarm(sa->timer);
	p1_established(sa);
out:
	free(plain);
}

/* ---- initiator ----------------------------------------------------------- */

int am_initiate(struct ike *ike, const struct ike_peer_conf *pc,
		struct ike_sa **out)
{
	struct p1_alg algs[IKE_MAX_ALGS];
	const struct p1_alg *all;
	struct ike_sa *sa;
	struct ike_buf b, idb;
	size_t n, i, k = 0, publen, psk_len;

	/* One KE in AM1: every proposal has the first one's DH group. */
	all = ike_p1_algs(ike, pc, &n);
	for (i = 0; i < n && k < IKE_MAX_ALGS; i++)
		if (all[i].group == all[0].group)
			algs[k++] = all[i];
	if (!k || !ike_psk(pc, &psk_len) || pc->cert) {
		log_msg(LOG_LVL_ERR, LOG_IKE,
			"[peer %s]: Aggressive Mode needs a pre-shared key: cannot initiate",
			pc->name);
		return -ENOKEY;
	}
	sa = p1_initiator_new(ike, pc, ISAKMP_XCHG_AGGRESSIVE, algs, k, &b);
	if (!sa)
		return -ENOMEM;
	sa->xf.auth = AUTH_PSK;
	sa->xf.alg = algs[0];
	publen = ike_group_pub_len(algs[0].group);
	sa->dh = ike_dh_new(algs[0].group);
	if (!sa->dh || ike_dh_pub(sa->dh, sa->gxi, publen)) {
		ike_buf_free(&b);
		ike_sa_free(sa);
		return -EIO;
	}
	sa->gx_len = publen;
	p1_add_ke_nonce(sa, &b);
	ike_buf_init(&idb);
	ike_local_id(sa, &idb);
	ike_buf_payload(&b, ISAKMP_NP_ID, idb.data, idb.len);
	b.err |= idb.err;
	ike_buf_free(&idb);
	natt_add_vids(sa, &b, false);
	if (b.err) {
		ike_buf_free(&b);
		ike_sa_free(sa);
		return -ENOMEM;
	}
	sa->state = P1_I_AM1;
	SA_LOG(sa, LOG_LVL_INFO,
	       "phase 1: initiating Aggressive Mode ([peer %s], pre-shared key)",
	       pc->name);
	ike_sa_send(sa, &b, true);
	ike_buf_free(&b);
	if (out)
		*out = sa;
	return 0;
}

static void i_am2(struct ike_sa *sa, const struct isakmp_hdr *h,
		  const uint8_t *pkt, size_t len)
{
	struct ike_msg m;
	struct ike_buf b;
	const char *why = NULL;
	int ret;

	if ((h->flags & ISAKMP_FLAG_E) ||
	    ike_chain_parse(h->np, pkt + ISAKMP_HDR_LEN,
			    len - ISAKMP_HDR_LEN, false, &m, &why)) {
		AM_DROP(sa, "AM2 dropped: %s", why ? why : "encrypted");
		return;
	}
	ret = p1_take_choice(sa, h, &m);
	if (ret == -EACCES) {
		ike_sa_delete(sa, false, "bad choice");
		return;
	}
	if (ret || p1_take_ke(sa, &m))
		return;
	if (p1_derive(sa)) {
		SA_LOG(sa, LOG_LVL_ERR, "phase 1: key derivation failed");
		ike_sa_delete(sa, false, "key derivation failed");
		return;
	}
	ret = p1_verify_peer(sa, &m, NULL, 2);
	if (ret == -EACCES) {
		/* Tell the responder, which cannot know it otherwise. */
		ike_send_notify_plain(sa->ike, &sa->remote, &sa->local,
				      sa->on_natt, sa->icky, sa->rcky,
				      N_INVALID_HASH_INFORMATION);
		ike_sa_delete(sa, false, "authentication failed");
		return;
	}
	if (ret || natt_check(sa, &m))
		return;
	p1_note_rx(sa, pkt, len);
	p1_float(sa);

	ike_buf_init(&b);
	p1_hdr(sa, &b, ISAKMP_XCHG_AGGRESSIVE);
	if (p1_add_auth(sa, &b, false)) {
		ike_buf_free(&b);
		ike_sa_delete(sa, false, "internal error");
		return;
	}
	natt_add_natd(sa, &b);
	p1_add_initial_contact(sa, &b);
	if (b.err || ike_encrypt(&sa->k, &b, sa->iv)) {
		ike_buf_free(&b);
		ike_sa_delete(sa, false, "encryption failed");
		return;
	}
	/* The last message: nothing answers it; a repeated AM2 gets it again. */
	ike_sa_send(sa, &b, false);
	ike_buf_free(&b);
	p1_established(sa);
}

/* ---- dispatch ------------------------------------------------------------ */

void am_input(struct ike_sa *sa, const struct isakmp_hdr *h,
	      const uint8_t *pkt, size_t len,
	      const struct sockaddr_in *from, bool natt)
{
	if (h->msgid) {
		AM_DROP(sa, "Aggressive Mode message with a message ID: dropped");
		return;
	}
	switch (sa->state) {
	case P1_I_AM1:
		i_am2(sa, h, pkt, len);
		break;
	case P1_R_AM2:
		r_am3(sa, h, pkt, len, from, natt);
		break;
	default:
		sa->ike->cnt.drop_state++;
		SA_LOG(sa, LOG_LVL_DEBUG,
		       "Aggressive Mode message in state %d: dropped",
		       sa->state);
		break;
	}
}

static void am_dispatch(struct ike *ike, struct ike_sa *sa,
			const struct isakmp_hdr *h, const uint8_t *pkt,
			size_t len, const struct sockaddr_in *from,
			const struct sockaddr_in *to, bool natt)
{
	static const uint8_t zero[8];

	if (sa) {
		am_input(sa, h, pkt, len, from, natt);
		return;
	}
	if (memcmp(h->rcky, zero, 8) || h->msgid) {
		ike->cnt.drop_unknown_sa++;
		log_peer(LOG_LVL_DEBUG, LOG_IKE, from,
			 "Aggressive Mode message for an unknown SA: dropped");
		return;
	}
	if (!ike->conf.aggressive) {
		am_refuse(ike, h, from, to, natt);
		return;
	}
	am_responder_start(ike, h, pkt, len, from, to, natt);
}

const struct ike_exchange_ops ike_aggressive_mode = {
	.input = am_dispatch,
	.timeout = p1_timeout,
};
