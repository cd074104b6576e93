// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd Dead Peer Detection (RFC 3706), when the peer announced it
 * (Windows does not). Every dpd-delay seconds without a sign of life (an
 * IKE message, or inbound ESP packets on the peer's SAs) we send
 * R-U-THERE; no R-U-THERE-ACK for dpd-timeout seconds and the peer is
 * dead: its SAs go, and L2TP hears about it. R-U-THERE from the peer is
 * always answered.
 */
#include <errno.h>
#include <string.h>

#include "ike_int.h"
#include "kmod.h"
#include "log.h"
#include "loop.h"

static bool esp_alive(struct ike_sa *sa)
{
	struct ike_remote *rem = sa->rem;
	struct ike_child *c;
	uint64_t rx = 0;
	bool alive;

	if (!rem || !sa->ike->kmod)
		return false;
	for (c = rem->children; c; c = c->next) {
		struct l2_sa s;

		if (!kmod_sa_get(sa->ike->kmod, c->spi_in, L2TPSEC_DIR_IN, 0,
				 &s))
			rx += s.stats.v[L2TPSEC_A_STATS_RX_PACKETS];
	}
	alive = rx != rem->last_rx_packets;
	rem->last_rx_packets = rx;
	return alive;
}

static void send_dpd(struct ike_sa *sa, uint16_t type, uint32_t seq)
{
	uint8_t spi[16], data[4];

	memcpy(spi, sa->icky, 8);
	memcpy(spi + 8, sa->rcky, 8);
	ike_put_be32(data, seq);
	info_send_notify(sa, PROTO_ISAKMP, spi, 16, type, data, 4);
}

static void dpd_timer_cb(void *arg)
{
	struct ike_sa *sa = arg;
	struct ike *ike = sa->ike;
	uint64_t now = ike_now(ike), delay = (uint64_t)ike->conf.dpd_delay * 1000;

	if (sa->dpd_sent_at) {
		if (now - sa->dpd_sent_at >= (uint64_t)ike->conf.dpd_timeout * 1000) {
			struct ike_remote *rem = sa->rem;

			ike_fail(ike, &sa->remote, IKE_FAIL_DPD,
				 "DPD: peer dead: no R-U-THERE-ACK for %u s; deleting its SAs",
				 ike->conf.dpd_timeout);
			if (rem)
				remote_end(rem, IKE_DOWN_DPD, "dead peer (DPD)");
			ike_sa_delete(sa, false, "dead peer (DPD)");
			return;
		}
		send_dpd(sa, N_DPD_R_U_THERE, sa->dpd_seq);
		loop_timer_arm(sa->dpd_timer, delay);
		return;
	}
	if (now - sa->last_rx < delay || esp_alive(sa)) {
		loop_timer_arm(sa->dpd_timer, delay);
		return;
	}
	sa->dpd_seq++;
	sa->dpd_sent_at = now;
	SA_LOG(sa, LOG_LVL_DEBUG, "DPD: R-U-THERE %u", sa->dpd_seq);
	send_dpd(sa, N_DPD_R_U_THERE, sa->dpd_seq);
	loop_timer_arm(sa->dpd_timer, delay);
}

void dpd_start(struct ike_sa *sa)
{
	struct ike *ike = sa->ike;

	sa->last_rx = ike_now(ike);
	if (!sa->peer_dpd || !ike->conf.dpd || !ike->conf.dpd_delay)
		return;
	ike_random(&sa->dpd_seq, sizeof(sa->dpd_seq));
	sa->dpd_seq &= 0x7fffffff;
	sa->dpd_timer = loop_timer_new(ike->loop, dpd_timer_cb, sa);
	if (sa->dpd_timer)
		loop_timer_arm(sa->dpd_timer,
			       (uint64_t)ike->conf.dpd_delay * 1000);
}

void dpd_stop(struct ike_sa *sa)
{
	loop_timer_free(sa->dpd_timer);
	sa->dpd_timer = NULL;
}

void dpd_notify(struct ike_sa *sa, const struct ike_notify *n)
{
	uint32_t seq;

	if (n->data_len != 4)
		return;
	seq = ike_get_be32(n->data);
	if (n->type == N_DPD_R_U_THERE) {
		SA_LOG(sa, LOG_LVL_DEBUG, "DPD: R-U-THERE %u: answering", seq);
		send_dpd(sa, N_DPD_R_U_THERE_ACK, seq);
		sa->dpd_peer_seq = seq;
	} else if (sa->dpd_sent_at && seq == sa->dpd_seq) {
		sa->dpd_sent_at = 0;
	}
}
