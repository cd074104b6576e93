/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd: reliable delivery of L2TPv2 control messages (RFC 2661 5.8).
 *
 * One struct l2tp_ctrl per control connection: assigns Ns, carries our Nr
 * on every message, keeps sent messages until the peer's Nr acknowledges
 * them, sends at most the peer's receive window unacknowledged, retransmits
 * the unacknowledged ones with exponential backoff (initial, doubling,
 * capped) and gives up after max_retries, acknowledges received messages
 * by piggybacking or with a ZLB after ack_delay, and acknowledges
 * duplicates at once. Out-of-order messages ahead of Nr are dropped (the
 * peer retransmits them).
 */
#ifndef L2TPSECD_L2TP_CTRL_H
#define L2TPSECD_L2TP_CTRL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "avp.h"

struct loop;
struct loop_timer;

struct l2tp_ctrl_cfg {
	uint32_t	rto_initial_ms;		/* 1000 */
	uint32_t	rto_max_ms;		/* 8000 (the RFC's minimum cap) */
	unsigned int	max_retries;		/* 5 */
	uint32_t	ack_delay_ms;		/* 200 */
};

struct l2tp_ctrl_ops {
	/* Put one message on the wire. */
	void (*xmit)(void *arg, const uint8_t *msg, size_t len);
	/* Retransmissions exhausted for message @type; the tunnel is dead. */
	void (*failed)(void *arg, uint16_t type, unsigned int tries);
};

struct l2tp_ctrl_msg {
	struct l2tp_ctrl_msg	*next;
	uint16_t		ns;
	uint16_t		type;
	bool			sent;	/* inside the window, has an Ns */
	size_t			len;
	uint8_t			buf[];
};

struct l2tp_ctrl_stats {
	uint64_t	tx, rx, retransmits, zlb_tx, zlb_rx, duplicates,
			out_of_order, bad_nr;
};

struct l2tp_ctrl {
	const struct l2tp_ctrl_cfg	*cfg;
	const struct l2tp_ctrl_ops	*ops;
	void				*arg;
	struct loop_timer		*rtx_timer, *ack_timer;
	uint16_t			ns;	/* next Ns to assign */
	uint16_t			nr;	/* next Ns expected */
	uint16_t			peer_window;
	uint16_t			peer_tunnel_id;	/* for ZLBs */
	struct l2tp_ctrl_msg		*head, *tail;	/* oldest first */
	unsigned int			tries;	/* of the oldest message */
	uint32_t			rto_ms;
	bool				failed;
	struct l2tp_ctrl_stats		stats;
};

int l2tp_ctrl_init(struct l2tp_ctrl *c, struct loop *loop,
		   const struct l2tp_ctrl_cfg *cfg,
		   const struct l2tp_ctrl_ops *ops, void *arg);
void l2tp_ctrl_fini(struct l2tp_ctrl *c);

/* Peer's Receive Window Size (default 4 until it tells). */
void l2tp_ctrl_set_window(struct l2tp_ctrl *c, uint16_t window);

/*
 * Queue a finished message (see l2tp_mb_finish()); sent now if the window
 * allows. 0 or -ENOMEM.
 */
int l2tp_ctrl_send(struct l2tp_ctrl *c, const uint8_t *msg, size_t len,
		   uint16_t type);

/*
 * Feed a received message (header already parsed). Returns true when the
 * message is the next one in sequence and carries AVPs: the caller
 * processes it. ZLBs, duplicates and out-of-order messages return false.
 */
bool l2tp_ctrl_input(struct l2tp_ctrl *c, const struct l2tp_hdr *h,
		     size_t len);

/* Messages sent or queued and not yet acknowledged. */
unsigned int l2tp_ctrl_pending(const struct l2tp_ctrl *c);
/* Send a ZLB now (acknowledges everything received). */
void l2tp_ctrl_ack_now(struct l2tp_ctrl *c);

#endif
