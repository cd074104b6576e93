// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd IKEv1 Main Mode (RFC 2409 5), responder and initiator, with
 * pre-shared keys or RSA signatures:
 *
 *   I -> R  MM1  SA, VIDs                  P1_I_MM1 / (new SA)
 *   R -> I  MM2  SA (one transform), VIDs  P1_R_MM2
 *   I -> R  MM3  KE, Ni, [CR], NAT-D        P1_I_MM3
 *   R -> I  MM4  KE, Nr, [CR], NAT-D        P1_R_MM4
 *   I -> R  MM5* IDii, [CERT], HASH_I|SIG_I, [N(INITIAL-CONTACT)]
 *   R -> I  MM6* IDir, [CERT], HASH_R|SIG_R  P1_ESTABLISHED
 *
 * Each state handles the one message it waits for; a message that does
 * not fit is a counted drop with a debug line. A failure the admin must
 * act on is one ike_fail() line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <openssl/x509.h>

#include "ike_int.h"
#include "kmod.h"
#include "log.h"
#include "loop.h"

static void mm_hdr(struct ike_sa *sa, struct ike_buf *b)
{
	p1_hdr(sa, b, ISAKMP_XCHG_IDPROT);
}

void mm_responder_start(struct ike *ike, const struct isakmp_hdr *h,
			const uint8_t *pkt, size_t len,
			const struct sockaddr_in *from,
			const struct sockaddr_in *to, bool natt)
{
	struct ike_msg m;
	struct ike_sa *sa;
	struct ike_buf b;
	const char *why = NULL;

	if (ike_chain_parse(h->np, pkt + ISAKMP_HDR_LEN, len - ISAKMP_HDR_LEN,
			    false, &m, &why) ||
	    !ike_msg_find(&m, ISAKMP_NP_SA, 0)) {
		ike->cnt.drop_malformed++;
		log_peer(LOG_LVL_DEBUG, LOG_IKE, from, "MM1 dropped: %s",
			 why ? why : "no SA payload");
		return;
	}
	if (!p1_admit(ike, from))
		return;
	sa = p1_responder_new(ike, h, &m, NULL, ~0u, from, to, natt, &b);
	if (!sa)
		return;
	natt_add_vids(sa, &b, true);
	p1_note_rx(sa, pkt, len);
	sa->state = P1_R_MM2;
	ike_sa_send(sa, &b, false);
	ike_buf_free(&b);
	ike_sa_arm_timeout(sa, p1_responder_wait(ike));
}

static void r_mm3(struct ike_sa *sa, const struct isakmp_hdr *h,
		  const uint8_t *pkt, size_t len)
{
	struct ike_msg m;
	struct ike_buf b;
	const char *why = NULL;

	if (h->flags & ISAKMP_FLAG_E ||
	    ike_chain_parse(h->np, pkt + ISAKMP_HDR_LEN,
			    len - ISAKMP_HDR_LEN, false, &m, &why)) {
		MM_DROP(sa, "MM3 dropped: %s", why ? why : "encrypted");
		return;
	}
	if (p1_take_ke(sa, &m))
		return;
	/* Our public value needs the group: generated in take_ke(). */
	if (natt_check(sa, &m))
		return;
	p1_note_rx(sa, pkt, len);
	ike_buf_init(&b);
	mm_hdr(sa, &b);
	p1_add_ke_nonce(sa, &b);
	natt_add_natd(sa, &b);
	if (p1_derive(sa)) {
		ike_buf_free(&b);
		SA_LOG(sa, LOG_LVL_ERR, "phase 1: key derivation failed");
		ike_sa_delete(sa, false, "key derivation failed");
		return;
	}
	sa->state = P1_R_MM4;
	ike_sa_send(sa, &b, false);
	ike_buf_free(&b);
	ike_sa_arm_timeout(sa, p1_responder_wait(sa->ike));
}

static void r_mm5(struct ike_sa *sa, const struct isakmp_hdr *h,
		  const uint8_t *pkt, size_t len,
		  const struct sockaddr_in *from, bool natt)
{
	uint8_t *plain = malloc(len);
	struct ike_msg m;
	struct ike_buf b;
	int ret;

	if (!plain)
		return;
	ret = p1_decrypt(sa, h, pkt, len, plain, &m, 5,
			 ISAKMP_NP_ID);
	if (ret == -EACCES) {
		ike_send_notify_plain(sa->ike, &sa->remote, &sa->local,
				      sa->on_natt, sa->icky, sa->rcky,
				      N_INVALID_HASH_INFORMATION);
		ike_sa_delete(sa, false, "pre-shared key mismatch");
		goto out;
	}
	if (ret)
		goto out;
	ret = p1_verify_peer(sa, &m, NULL, 5);
	if (ret == -EACCES) {
		ike_send_notify_plain(sa->ike, &sa->remote, &sa->local,
				      sa->on_natt, sa->icky, sa->rcky,
				      N_AUTHENTICATION_FAILED);
		ike_sa_delete(sa, false, "authentication failed");
		goto out;
	}
	if (ret)
		goto out;
	if (natt_nat(sa) && !natt && natt_enabled(sa))
		SA_LOG(sa, LOG_LVL_WARN,
		       "phase 1: NAT detected, but the peer sends message 5 to UDP %u, not %u: it does not float to NAT-T",
		       sa->ike->conf.port, sa->ike->conf.natt_port);
	p1_note_notifies(sa, &m);
	ike_sa_seen(sa, from, natt);
	p1_note_rx(sa, pkt, len);

	ike_buf_init(&b);
	mm_hdr(sa, &b);
	if (p1_add_auth(sa, &b, true) || ike_encrypt(&sa->k, &b, sa->iv)) {
		ike_buf_free(&b);
		SA_LOG(sa, LOG_LVL_ERR, "phase 1: cannot build message 6");
		ike_sa_delete(sa, false, "internal error");
		goto out;
	}
	ike_sa_send(sa, &b, false);
	ike_buf_free(&b);
	p1_established(sa);
out:
	free(plain);
}

static void i_mm2(struct ike_sa *sa, const struct isakmp_hdr *h,
		  const uint8_t *pkt, size_t len)
{
	struct ike_msg m;
	struct ike_buf b;
	const char *why = NULL;
	int ret;

	if (h->flags & ISAKMP_FLAG_E ||
	    ike_chain_parse(h->np, pkt + ISAKMP_HDR_LEN,
			    len - ISAKMP_HDR_LEN, false, &m, &why)) {
		MM_DROP(sa, "MM2 dropped: %s", why ? why : "encrypted");
		return;
	}
	ret = p1_take_choice(sa, h, &m);
	if (ret == -EACCES) {
		ike_sa_delete(sa, false, "bad choice");
		return;
	}
	if (ret)
		return;
	p1_note_rx(sa, pkt, len);

	sa->dh = ike_dh_new(sa->xf.alg.group);
	if (!sa->dh || ike_dh_pub(sa->dh, sa->gxi,
				  ike_group_pub_len(sa->xf.alg.group))) {
		ike_sa_delete(sa, false, "DH failed");
		return;
	}
	sa->gx_len = ike_group_pub_len(sa->xf.alg.group);
	ike_buf_init(&b);
	mm_hdr(sa, &b);
	p1_add_ke_nonce(sa, &b);
	natt_add_natd(sa, &b);
	sa->state = P1_I_MM3;
	ike_sa_send(sa, &b, true);
	ike_buf_free(&b);
}

static void i_mm4(struct ike_sa *sa, const struct isakmp_hdr *h,
		  const uint8_t *pkt, size_t len)
{
	struct ike_msg m;
	struct ike_buf b;
	const char *why = NULL;

	if (h->flags & ISAKMP_FLAG_E ||
	    ike_chain_parse(h->np, pkt + ISAKMP_HDR_LEN,
			    len - ISAKMP_HDR_LEN, false, &m, &why)) {
		MM_DROP(sa, "MM4 dropped: %s", why ? why : "encrypted");
		return;
	}
	if (p1_take_ke(sa, &m) || natt_check(sa, &m))
		return;
	p1_note_rx(sa, pkt, len);
	if (p1_derive(sa)) {
		SA_LOG(sa, LOG_LVL_ERR, "phase 1: key derivation failed");
		ike_sa_delete(sa, false, "key derivation failed");
		return;
	}
	p1_float(sa);
	ike_buf_init(&b);
	mm_hdr(sa, &b);
	if (p1_add_auth(sa, &b, true)) {
		ike_buf_free(&b);
		ike_sa_delete(sa, false, "cannot sign");
		return;
	}
	p1_add_initial_contact(sa, &b);
	if (ike_encrypt(&sa->k, &b, sa->iv)) {
		ike_buf_free(&b);
		ike_sa_delete(sa, false, "encryption failed");
		return;
	}
	sa->state = P1_I_MM5;
	ike_sa_send(sa, &b, true);
	ike_buf_free(&b);
}

static void i_mm6(struct ike_sa *sa, const struct isakmp_hdr *h,
		  const uint8_t *pkt, size_t len,
		  const struct sockaddr_in *from, bool natt)
{
	uint8_t *plain = malloc(len);
	struct ike_msg m;
	int ret;

	if (!plain)
		return;
	ret = p1_decrypt(sa, h, pkt, len, plain, &m, 6,
			 ISAKMP_NP_ID);
	if (ret == -EACCES) {
		ike_sa_delete(sa, false, "pre-shared key mismatch");
		goto out;
	}
	if (ret)
		goto out;
	ret = p1_verify_peer(sa, &m, NULL, 6);
	if (ret == -EACCES) {
		ike_sa_delete(sa, false, "authentication failed");
		goto out;
	}
	if (ret)
		goto out;
	ike_sa_seen(sa, from, natt);
	p1_note_rx(sa, pkt, len);
	ike_tx_clear(&sa->tx);
	loop_timer_disarm(sa->timer);
	p1_established(sa);
out:
	free(plain);
}

int mm_initiate(struct ike *ike, const struct ike_peer_conf *pc,
		struct ike_sa **out)
{
	const struct p1_alg *algs;
	struct ike_sa *sa;
	struct ike_buf b;
	size_t n;

	if (!ike_auth_mask(ike, pc)) {
		struct sockaddr_in remote = {
			.sin_family = AF_INET,
			.sin_port = htons(ike->conf.port),
			.sin_addr.s_addr = pc->remote_net,
		};

		log_peer(LOG_LVL_ERR, LOG_IKE, &remote,
			 "[peer %s]: no psk and no cert: cannot initiate",
			 pc->name);
		return -ENOKEY;
	}
	if (pc->aggressive)
		return am_initiate(ike, pc, out);
	algs = ike_p1_algs(ike, pc, &n);
	sa = p1_initiator_new(ike, pc, ISAKMP_XCHG_IDPROT, algs, n, &b);
	if (!sa)
		return -ENOMEM;
	natt_add_vids(sa, &b, false);
	if (b.err) {
		ike_buf_free(&b);
		ike_sa_free(sa);
		return -ENOMEM;
	}
	sa->state = P1_I_MM1;
	SA_LOG(sa, LOG_LVL_INFO, "phase 1: initiating Main Mode ([peer %s], %s)",
	       pc->name, p1_auth_label(sa->xf.auth));
	ike_sa_send(sa, &b, true);
	ike_buf_free(&b);
	if (out)
		*out = sa;
	return 0;
}

void mm_input(struct ike_sa *sa, const struct isakmp_hdr *h,
	      const uint8_t *pkt, size_t len,
	      const struct sockaddr_in *from, bool natt)
{
	if (h->msgid) {
		MM_DROP(sa, "Main Mode message with a message ID: dropped");
		return;
	}
	switch (sa->state) {
	case P1_I_MM1:
		i_mm2(sa, h, pkt, len);
		break;
	case P1_I_MM3:
		i_mm4(sa, h, pkt, len);
		break;
	case P1_I_MM5:
		i_mm6(sa, h, pkt, len, from, natt);
		break;
	case P1_R_MM2:
		r_mm3(sa, h, pkt, len);
		break;
	case P1_R_MM4:
		r_mm5(sa, h, pkt, len, from, natt);
		break;
	case P1_I_AM1:
	case P1_R_AM2:
		sa->ike->cnt.drop_state++;
		SA_LOG(sa, LOG_LVL_DEBUG,
		       "Main Mode message on an Aggressive Mode SA: dropped");
		break;
	case P1_ESTABLISHED:
		sa->ike->cnt.drop_state++;
		SA_LOG(sa, LOG_LVL_DEBUG,
		       "Main Mode message on an established SA: dropped");
		break;
	}
}

static void mm_dispatch(struct ike *ike, struct ike_sa *sa,
			const struct isakmp_hdr *h, const uint8_t *pkt,
			size_t len, const struct sockaddr_in *from,
			const struct sockaddr_in *to, bool natt)
{
	static const uint8_t zero[8];

	if (!sa) {
		if (memcmp(h->rcky, zero, 8) || h->msgid) {
			ike->cnt.drop_unknown_sa++;
			log_peer(LOG_LVL_DEBUG, LOG_IKE, from,
				 "Main Mode message for an unknown SA: dropped");
			return;
		}
		mm_responder_start(ike, h, pkt, len, from, to, natt);
		return;
	}
	mm_input(sa, h, pkt, len, from, natt);
}

const struct ike_exchange_ops ike_main_mode = {
	.input = mm_dispatch,
	.timeout = p1_timeout,
};
