// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd IKEv1 Informational exchanges (RFC 2409 5.7): notifications
 * and deletes, encrypted and authenticated with
 *   HASH(1) = prf(SKEYID_a, M-ID | N/D)
 * once phase 1 is up; before that, the peer's plain error notifications
 * are the only word we get on why it refuses us.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "ike_int.h"
#include "log.h"
#include "loop.h"

static int info_send(struct ike_sa *sa, uint8_t type, const uint8_t *body,
		     size_t len)
{
	struct isakmp_hdr h = {
		.version = ISAKMP_VERSION,
		.exch = ISAKMP_XCHG_INFO,
	};
	uint8_t iv[IKE_MAX_BLOCK], m[4], hash[IKE_MAX_HASH];
	struct ike_buf b;
	size_t hs, after;
	int ret;

	if (!sa->keys_ok || sa->state != P1_ESTABLISHED)
		return -ENOTCONN;
	do {
		ike_random(&h.msgid, sizeof(h.msgid));
	} while (!h.msgid);
	memcpy(h.icky, sa->icky, 8);
	memcpy(h.rcky, sa->rcky, 8);
	ike_buf_init(&b);
	ike_buf_hdr(&b, &h);
	hs = ike_buf_begin(&b, ISAKMP_NP_HASH);
	ike_buf_zero(&b, sa->k.prf_len);
	ike_buf_end(&b, hs);
	after = b.len;
	ike_buf_payload(&b, type, body, len);
	if (b.err) {
		ike_buf_free(&b);
		return -ENOMEM;
	}
	ike_put_be32(m, h.msgid);
	{
		struct ike_chunk p[] = {
			{ m, 4 }, { b.data + after, b.len - after },
		};

		ret = ike_prf_a(&sa->k, p, 2, hash);
	}
	if (!ret) {
		memcpy(b.data + hs + ISAKMP_GEN_LEN, hash, sa->k.prf_len);
		ret = ike_iv_p2(sa->k.hash, sa->k.block, sa->p1_iv, h.msgid,
				iv);
	}
	if (!ret)
		ret = ike_encrypt(&sa->k, &b, iv);
	if (!ret) {
		ike_buf_finish(&b);
		ret = ike_send_raw(sa->ike, &sa->remote, &sa->local,
				   sa->on_natt, b.data, b.len);
	}
	ike_buf_free(&b);
	return ret;
}

int info_send_notify(struct ike_sa *sa, uint8_t proto, const uint8_t *spi,
		     size_t spi_len, uint16_t type, const uint8_t *data,
		     size_t data_len)
{
	uint8_t body[8 + 16 + 64];

	if (spi_len > 16 || data_len > 64)
		return -EINVAL;
	ike_put_be32(body, IPSEC_DOI);
	body[4] = proto;
	body[5] = (uint8_t)spi_len;
	ike_put_be16(body + 6, type);
	memcpy(body + 8, spi, spi_len);
	if (data_len)
		memcpy(body + 8 + spi_len, data, data_len);
	return info_send(sa, ISAKMP_NP_N, body, 8 + spi_len + data_len);
}

int info_send_delete(struct ike_sa *sa, uint8_t proto, const uint8_t *spi,
		     size_t spi_len)
{
	uint8_t body[8 + 16];

	if (spi_len > 16)
		return -EINVAL;
	ike_put_be32(body, IPSEC_DOI);
	body[4] = proto;
	body[5] = (uint8_t)spi_len;
	ike_put_be16(body + 6, 1);
	memcpy(body + 8, spi, spi_len);
	return info_send(sa, ISAKMP_NP_D, body, 8 + spi_len);
}

/* The Quick Modes we started on @sa learn that the peer refuses them. */
static void qm_refused(struct ike_sa *sa, uint16_t type)
{
	struct ike_qm *qm, *next;
	const struct p2_alg *algs;
	char list[300];
	size_t n;

	for (qm = sa->qms; qm; qm = next) {
		next = qm->next;
		if (!qm->initiator || qm->state != QM_I1)
			continue;
		algs = ike_p2_algs(sa->ike, sa->pc, &n);
		p2_list_str(algs, n, list, sizeof(list));
		if (type == N_NO_PROPOSAL_CHOSEN)
			ike_fail(sa->ike, &sa->remote, IKE_FAIL_NO_PROPOSAL,
				 "phase 2: no proposal chosen: the peer accepts none of ours (we offer %s)",
				 list);
		else if (type == N_INVALID_ID_INFORMATION)
			ike_fail(sa->ike, &sa->remote, IKE_FAIL_SELECTOR,
				 "phase 2: selector mismatch: the peer refuses our selectors (UDP 1701 between %s and %s): INVALID-ID-INFORMATION",
				 inet_ntoa(sa->local.sin_addr),
				 inet_ntoa(sa->remote.sin_addr));
		else
			ike_fail(sa->ike, &sa->remote, IKE_FAIL_PEER,
				 "phase 2: the peer refuses our Quick Mode: %s",
				 ike_notify_name(type));
		/* qm_remove() is in quickmode.c: let the timer end it. */
		qm->refused = true;
		loop_timer_arm(qm->timer, 0);
	}
}

static void handle_delete(struct ike_sa *sa, const struct ike_delete *d)
{
	struct ike *ike = sa->ike;
	unsigned int i;

	if (d->proto == PROTO_ISAKMP && d->spi_size == 16) {
		for (i = 0; i < d->nspi; i++) {
			struct ike_sa *o = ike_sa_find(ike, d->spis + i * 16,
						       d->spis + i * 16 + 8);

			if (!o)
				continue;
			if (o->remote.sin_addr.s_addr !=
			    sa->remote.sin_addr.s_addr ||
			    o->remote.sin_port != sa->remote.sin_port) {
				ike->cnt.drop_other++;
				ike_refuse(ike, REFUSE_DELETE_OTHER, &sa->remote,
					   "DELETE for an ISAKMP SA of another peer (%s:%u): ignored",
					   inet_ntoa(o->remote.sin_addr),
					   ntohs(o->remote.sin_port));
				continue;
			}
			SA_LOG(o, LOG_LVL_INFO,
			       "the peer deletes its ISAKMP SA");
			ike_sa_delete(o, false, "deleted by the peer");
			if (o == sa)
				return;
		}
		return;
	}
	if ((d->proto == PROTO_IPSEC_ESP || d->proto == PROTO_IPSEC_AH) &&
	    d->spi_size == 4) {
		for (i = 0; i < d->nspi; i++) {
			uint32_t spi = ike_get_be32(d->spis + i * 4);
			struct ike_remote *rem = NULL;
			struct ike_child *c;

			/* Its inbound SPI is our outbound one. */
			c = child_find_spi(ike, spi, false, &rem);
			if (!c)
				c = child_find_spi(ike, spi, true, &rem);
			if (!c) {
				SA_LOG(sa, LOG_LVL_DEBUG,
				       "DELETE for unknown SPI 0x%08x", spi);
				continue;
			}
			/*
			 * Only the peer's own: behind a shared NAT the clients
			 * share the address, each its UDP-encapsulated port.
			 */
			if (rem != sa->rem &&
			    (rem->addr.sin_addr.s_addr !=
			     sa->remote.sin_addr.s_addr ||
			     (rem->udp_encap &&
			      rem->addr.sin_port != sa->remote.sin_port))) {
				ike->cnt.drop_other++;
				ike_refuse(ike, REFUSE_DELETE_OTHER, &sa->remote,
					   "DELETE for SA 0x%08x of another peer (%s:%u): ignored",
					   spi, inet_ntoa(rem->addr.sin_addr),
					   ntohs(rem->addr.sin_port));
				continue;
			}
			child_end(c, false, IKE_DOWN_PEER_DELETE,
				  "deleted by the peer");
		}
	}
}

void info_input(struct ike_sa *sa, const struct isakmp_hdr *h,
		const uint8_t *pkt, size_t len,
		const struct sockaddr_in *from, bool natt)
{
	uint8_t iv[IKE_MAX_BLOCK], m[4], want[IKE_MAX_HASH];
	const char *why = NULL;
	struct ike_msg msg;
	uint8_t *plain;
	size_t after, i;

	if (sa->state != P1_ESTABLISHED) {
		/* During Main Mode: with the phase 1 IV chain (rare). */
		sa->ike->cnt.drop_state++;
		SA_LOG(sa, LOG_LVL_DEBUG,
		       "encrypted Informational before phase 1 is up: dropped");
		return;
	}
	plain = malloc(len);
	if (!plain)
		return;
	if (ike_iv_p2(sa->k.hash, sa->k.block, sa->p1_iv, h->msgid, iv) ||
	    ike_decrypt(&sa->k, pkt, len, iv, plain) ||
	    ike_chain_parse(h->np, plain, len - ISAKMP_HDR_LEN, true, &msg,
			    &why) ||
	    msg.n < 2 || msg.pl[0].type != ISAKMP_NP_HASH ||
	    msg.pl[0].len != sa->k.prf_len) {
		sa->ike->cnt.drop_decrypt++;
		SA_LOG(sa, LOG_LVL_DEBUG,
		       "Informational does not decrypt to HASH, N/D (%s): dropped",
		       why ? why : "bad layout");
		free(plain);
		return;
	}
	after = (size_t)(msg.pl[0].body + msg.pl[0].len - plain);
	ike_put_be32(m, h->msgid);
	{
		struct ike_chunk p[] = {
			{ m, 4 }, { plain + after, msg.used - after },
		};

		if (ike_prf_a(&sa->k, p, 2, want) ||
		    CRYPTO_memcmp(want, msg.pl[0].body, sa->k.prf_len)) {
			sa->ike->cnt.drop_decrypt++;
			SA_LOG(sa, LOG_LVL_DEBUG,
			       "Informational HASH(1) does not verify: dropped");
			free(plain);
			return;
		}
	}
	ike_sa_seen(sa, from, natt);
	for (i = 1; i < msg.n && !sa->deleting; i++) {
		const struct ike_pl *p = &msg.pl[i];

		if (p->type == ISAKMP_NP_N) {
			struct ike_notify n;

			if (ike_notify_parse(p->body, p->len, &n, &why))
				continue;
			if (n.type == N_DPD_R_U_THERE ||
			    n.type == N_DPD_R_U_THERE_ACK) {
				dpd_notify(sa, &n);
			} else if (n.type < 16384) {
				SA_LOG(sa, LOG_LVL_DEBUG, "peer notifies %s",
				       ike_notify_name(n.type));
				qm_refused(sa, n.type);
			} else {
				SA_LOG(sa, LOG_LVL_DEBUG, "peer notifies %s",
				       ike_notify_name(n.type));
			}
		} else if (p->type == ISAKMP_NP_D) {
			struct ike_delete d;

			if (ike_delete_parse(p->body, p->len, &d, &why)) {
				SA_LOG(sa, LOG_LVL_DEBUG, "bad DELETE: %s", why);
				continue;
			}
			handle_delete(sa, &d);
			break;	/* @sa may be gone */
		}
	}
	free(plain);
}

void info_input_plain(struct ike *ike, struct ike_sa *sa,
		      const struct isakmp_hdr *h, const uint8_t *pkt,
		      size_t len, const struct sockaddr_in *from)
{
	const char *why = NULL;
	struct ike_notify n;
	struct ike_msg m;
	const struct ike_pl *np;

	if (ike_chain_parse(h->np, pkt + ISAKMP_HDR_LEN, len - ISAKMP_HDR_LEN,
			    false, &m, &why) ||
	    !(np = ike_msg_find(&m, ISAKMP_NP_N, 0)) ||
	    ike_notify_parse(np->body, np->len, &n, &why)) {
		ike->cnt.drop_malformed++;
		log_peer(LOG_LVL_DEBUG, LOG_IKE, from,
			 "plain Informational dropped: %s",
			 why ? why : "no notification");
		return;
	}
	/* Unauthenticated: it only counts while we negotiate with it. */
	if (!sa || (!sa->initiator && sa->state != P1_R_AM2) ||
	    sa->state == P1_ESTABLISHED ||
	    sa->remote.sin_addr.s_addr != from->sin_addr.s_addr ||
	    n.type >= 16384) {
		ike->cnt.drop_other++;
		log_peer(LOG_LVL_DEBUG, LOG_IKE, from,
			 "unauthenticated %s notification ignored",
			 ike_notify_name(n.type));
		return;
	}
	switch (sa->state) {
	case P1_R_AM2:
		/* The initiator could not verify our HASH_R. */
		if (n.type != N_INVALID_HASH_INFORMATION &&
		    n.type != N_AUTHENTICATION_FAILED) {
			ike->cnt.drop_other++;
			return;
		}
		ike_fail(ike, &sa->remote, IKE_FAIL_PSK,
			 "phase 1: pre-shared key mismatch: the peer answers our Aggressive Mode message 2 with %s (it cannot verify our HASH_R); check the PSK configured for this peer",
			 ike_notify_name(n.type));
		break;
	case P1_I_AM1:
		if (n.type == N_INVALID_ID_INFORMATION) {
			ike_fail(ike, &sa->remote, IKE_FAIL_ID,
				 "phase 1: mismatched ID: the peer refuses our ID (INVALID-ID-INFORMATION)");
			break;
		}
		/* fall through */
	case P1_I_MM1:
		if (n.type == N_NO_PROPOSAL_CHOSEN) {
			const struct p1_alg *algs;
			char list[300];
			size_t k;

			algs = ike_p1_algs(ike, sa->pc, &k);
			p1_list_str(algs, k, list, sizeof(list));
			ike_fail(ike, &sa->remote, IKE_FAIL_NO_PROPOSAL,
				 "phase 1: no proposal chosen: the peer accepts none of ours (we offer %s with %s)",
				 list, ike_auth_name(sa->xf.auth));
			break;
		}
		/* fall through */
	case P1_I_MM3:
		ike_fail(ike, &sa->remote, IKE_FAIL_PEER,
			 "phase 1: the peer refuses: %s",
			 ike_notify_name(n.type));
		break;
	case P1_I_MM5:
		if (n.type == N_INVALID_ID_INFORMATION)
			ike_fail(ike, &sa->remote, IKE_FAIL_ID,
				 "phase 1: mismatched ID: the peer refuses our ID (INVALID-ID-INFORMATION)");
		else if (sa->xf.auth == AUTH_PSK &&
			 (n.type == N_INVALID_HASH_INFORMATION ||
			  n.type == N_AUTHENTICATION_FAILED ||
			  n.type == N_PAYLOAD_MALFORMED ||
			  n.type == N_INVALID_PAYLOAD_TYPE))
			ike_fail(ike, &sa->remote, IKE_FAIL_PSK,
				 "phase 1: pre-shared key mismatch: the peer answers our message 5 with %s (it cannot decrypt or verify it); check the PSK configured for this peer",
				 ike_notify_name(n.type));
		else if (n.type == N_INVALID_CERTIFICATE ||
			 n.type == N_INVALID_CERT_AUTHORITY ||
			 n.type == N_INVALID_SIGNATURE ||
			 n.type == N_CERTIFICATE_UNAVAILABLE ||
			 n.type == N_AUTHENTICATION_FAILED)
			ike_fail(ike, &sa->remote, IKE_FAIL_CERT,
				 "phase 1: certificate: the peer refuses our certificate or signature: %s",
				 ike_notify_name(n.type));
		else
			ike_fail(ike, &sa->remote, IKE_FAIL_PEER,
				 "phase 1: the peer refuses: %s",
				 ike_notify_name(n.type));
		break;
	default:
		return;
	}
	ike_sa_delete(sa, false, "refused by the peer");
}

static void info_dispatch(struct ike *ike, struct ike_sa *sa,
			  const struct isakmp_hdr *h, const uint8_t *pkt,
			  size_t len, const struct sockaddr_in *from,
			  const struct sockaddr_in *to, bool natt)
{
	(void)to;
	if (h->flags & ISAKMP_FLAG_E) {
		if (!sa || !sa->keys_ok) {
			ike->cnt.drop_unknown_sa++;
			log_peer(LOG_LVL_DEBUG, LOG_IKE, from,
				 "encrypted Informational for an unknown SA: dropped");
			return;
		}
		info_input(sa, h, pkt, len, from, natt);
	} else {
		info_input_plain(ike, sa, h, pkt, len, from);
	}
}

const struct ike_exchange_ops ike_informational = {
	.input = info_dispatch,
};
