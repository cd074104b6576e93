// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd IKEv1: sending: messages out of the right socket (500 or 4500,
 * with the non-ESP marker), the retransmission timer of phase 1 and its
 * end, plain notifications to peers without an SA.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "ike_int.h"
#include "kmod.h"
#include "log.h"
#include "loop.h"

/* ---- sending ----------------------------------------------------------- */

int ike_send_raw(struct ike *ike, const struct sockaddr_in *to,
		 const struct sockaddr_in *from, bool natt,
		 const uint8_t *pkt, size_t len)
{
	static const uint8_t marker[4];
	union {
		char buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov[2];
	struct msghdr mh = {
		.msg_name = (void *)to,
		.msg_namelen = sizeof(*to),
		.msg_iov = iov,
	};
	int fd = natt ? ike->fd_natt : ike->fd;
	ssize_t n;

	if (fd < 0)
		return -EBADF;
	if (natt) {
		iov[0].iov_base = (void *)marker;
		iov[0].iov_len = sizeof(marker);
		iov[1].iov_base = (void *)pkt;
		iov[1].iov_len = len;
		mh.msg_iovlen = 2;
	} else {
		iov[0].iov_base = (void *)pkt;
		iov[0].iov_len = len;
		mh.msg_iovlen = 1;
	}
	if (from && from->sin_addr.s_addr &&
	    ike->conf.listen.s_addr == INADDR_ANY) {
		struct cmsghdr *cm;
		struct in_pktinfo *pi;

		memset(&ctl, 0, sizeof(ctl));
		mh.msg_control = ctl.buf;
		mh.msg_controllen = sizeof(ctl.buf);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = IPPROTO_IP;
		cm->cmsg_type = IP_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(*pi));
		pi = (struct in_pktinfo *)CMSG_DATA(cm);
		pi->ipi_spec_dst = from->sin_addr;
	}
	n = sendmsg(fd, &mh, MSG_DONTWAIT);
	if (n < 0) {
		log_peer(LOG_LVL_DEBUG, LOG_IKE, to, "send: %s",
			 strerror(errno));
		return -errno;
	}
	ike->cnt.tx++;
	return 0;
}

/* Send a whole message, in fragments when it is too big and allowed. */
int ike_tx_emit(struct ike_sa *sa, const struct ike_tx *tx)
{
	struct ike *ike = sa->ike;
	size_t room, off, chunk;
	uint8_t num;
	int ret = 0;

	room = ike->conf.fragment_size;
	if (room < 576)
		room = 576;
	room -= 20 + 8 + (tx->natt ? 4 : 0);	/* IP, UDP, marker */
	if (ike->conf.fragmentation == FRAG_NO ||
	    !(sa->peer_frag || ike->conf.fragmentation == FRAG_FORCE) ||
	    tx->len <= room || tx->len < ISAKMP_HDR_LEN ||
	    tx->pkt[18] != ISAKMP_XCHG_IDPROT)
		return ike_send_raw(ike, &sa->remote, &sa->local, tx->natt,
				    tx->pkt, tx->len);

	/* IKEv1 fragments: each carries a slice of the whole message. */
	room -= IKE_FRAG_HDR;
	for (off = 0, num = 1; off < tx->len; off += chunk, num++) {
		uint8_t frag[IKE_FRAG_HDR + 1500];
		struct isakmp_hdr h;
		bool last;

		chunk = tx->len - off < room ? tx->len - off : room;
		if (chunk > 1500)
			chunk = 1500;
		last = off + chunk == tx->len;
		memcpy(h.icky, sa->icky, 8);
		memcpy(h.rcky, tx->pkt + 8, 8);
		h.np = ISAKMP_NP_FRAG;
		h.version = ISAKMP_VERSION;
		h.exch = ISAKMP_XCHG_IDPROT;
		h.flags = 0;
		h.msgid = 0;
		h.len = (uint32_t)(IKE_FRAG_HDR + chunk);
		ike_hdr_write(frag, &h);
		frag[28] = ISAKMP_NP_NONE;
		frag[29] = 0;
		ike_put_be16(frag + 30, (uint16_t)(ISAKMP_GEN_LEN + 4 + chunk));
		ike_put_be16(frag + 32, 1);
		frag[34] = num;
		frag[35] = last ? 1 : 0;
		memcpy(frag + IKE_FRAG_HDR, tx->pkt + off, chunk);
		ret = ike_send_raw(ike, &sa->remote, &sa->local, tx->natt,
				   frag, IKE_FRAG_HDR + chunk);
		if (ret)
			break;
	}
	return ret;
}

uint64_t ike_retransmit_total_ms(const struct ike *ike)
{
	uint64_t t = 0, d = ike->conf.retransmit_ms;
	unsigned int i;

	for (i = 0; i <= ike->conf.retransmit_tries; i++) {
		t += d;
		d = d * 18 / 10;
	}
	return t;
}

static uint64_t retransmit_delay(const struct ike *ike, unsigned int tries)
{
	uint64_t d = ike->conf.retransmit_ms;

	while (tries--)
		d = d * 18 / 10;
	return d;
}

int ike_sa_send(struct ike_sa *sa, struct ike_buf *b, bool request)
{
	uint8_t *copy;

	if (b->err)
		return -ENOMEM;
	ike_buf_finish(b);
	copy = malloc(b->len);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, b->data, b->len);
	ike_tx_clear(&sa->tx);
	sa->tx.pkt = copy;
	sa->tx.len = b->len;
	sa->tx.request = request;
	sa->tx.natt = sa->on_natt;
	if (request)
		loop_timer_arm(sa->timer, retransmit_delay(sa->ike, 0));
	return ike_tx_emit(sa, &sa->tx);
}

void ike_sa_seen(struct ike_sa *sa, const struct sockaddr_in *from,
		 bool natt)
{
	sa->last_rx = ike_now(sa->ike);
	if (sa->remote.sin_addr.s_addr == from->sin_addr.s_addr &&
	    sa->remote.sin_port == from->sin_port && sa->on_natt == natt)
		return;
	if (!natt && sa->on_natt)
		return;		/* never fall back from NAT-T to 500 */
	SA_LOG(sa, LOG_LVL_INFO, "peer moved to %s:%u%s",
	       inet_ntoa(from->sin_addr), ntohs(from->sin_port),
	       natt && !sa->on_natt ? " (NAT-T float)" : "");
	sa->remote = *from;
	sa->on_natt = natt;
}

void ike_sa_arm_timeout(struct ike_sa *sa, uint64_t ms)
{
	loop_timer_arm(sa->timer, ms);
}

void ike_sa_timer_cb(void *arg)
{
	struct ike_sa *sa = arg;
	struct ike *ike = sa->ike;

	if (sa->tx.request && sa->tx.tries < ike->conf.retransmit_tries) {
		sa->tx.tries++;
		ike->cnt.retransmits++;
		SA_LOG(sa, LOG_LVL_DEBUG, "retransmit %u", sa->tx.tries);
		sa->tx.natt = sa->on_natt;
		ike_tx_emit(sa, &sa->tx);
		loop_timer_arm(sa->timer, retransmit_delay(ike, sa->tx.tries));
		return;
	}
	ike_sa_phase1(sa)->timeout(sa);
}

void ike_send_notify_plain(struct ike *ike, const struct sockaddr_in *to,
			   const struct sockaddr_in *from, bool natt,
			   const uint8_t *icky, const uint8_t *rcky,
			   uint16_t type)
{
	struct isakmp_hdr h = {
		.version = ISAKMP_VERSION,
		.exch = ISAKMP_XCHG_INFO,
	};
	struct ike_buf b;
	size_t s;

	memcpy(h.icky, icky, 8);
	if (rcky)
		memcpy(h.rcky, rcky, 8);
	ike_buf_init(&b);
	ike_buf_hdr(&b, &h);
	s = ike_buf_begin(&b, ISAKMP_NP_N);
	ike_buf_u32(&b, IPSEC_DOI);
	ike_buf_u8(&b, PROTO_ISAKMP);
	ike_buf_u8(&b, 16);
	ike_buf_u16(&b, type);
	ike_buf_put(&b, icky, 8);
	if (rcky)
		ike_buf_put(&b, rcky, 8);
	else
		ike_buf_zero(&b, 8);
	ike_buf_end(&b, s);
	ike_buf_finish(&b);
	if (!b.err)
		ike_send_raw(ike, to, from, natt, b.data, b.len);
	ike_buf_free(&b);
}
