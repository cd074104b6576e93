// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: reliable delivery of L2TPv2 control messages (RFC 2661 5.8).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctrl.h"
#include "loop.h"

#define DEFAULT_PEER_WINDOW	4

static bool seq_lt(uint16_t a, uint16_t b)
{
	return (int16_t)(uint16_t)(a - b) < 0;
}

static void rtx_cb(void *arg);
static void ack_cb(void *arg);

int l2tp_ctrl_init(struct l2tp_ctrl *c, struct loop *loop,
		   const struct l2tp_ctrl_cfg *cfg,
		   const struct l2tp_ctrl_ops *ops, void *arg)
{
	memset(c, 0, sizeof(*c));
	c->cfg = cfg;
	c->ops = ops;
	c->arg = arg;
	c->peer_window = DEFAULT_PEER_WINDOW;
	c->rto_ms = cfg->rto_initial_ms;
	c->rtx_timer = loop_timer_new(loop, rtx_cb, c);
	c->ack_timer = loop_timer_new(loop, ack_cb, c);
	if (!c->rtx_timer || !c->ack_timer) {
		l2tp_ctrl_fini(c);
		return -ENOMEM;
	}
	return 0;
}

void l2tp_ctrl_fini(struct l2tp_ctrl *c)
{
	struct l2tp_ctrl_msg *m, *n;

	for (m = c->head; m; m = n) {
		n = m->next;
		free(m);
	}
	c->head = c->tail = NULL;
	if (c->rtx_timer)
		loop_timer_free(c->rtx_timer);
	if (c->ack_timer)
		loop_timer_free(c->ack_timer);
	c->rtx_timer = c->ack_timer = NULL;
}

void l2tp_ctrl_set_window(struct l2tp_ctrl *c, uint16_t window)
{
	c->peer_window = window ? window : 1;
}

static void xmit(struct l2tp_ctrl *c, struct l2tp_ctrl_msg *m)
{
	l2tp_set_ns_nr(m->buf, m->ns, c->nr);
	c->ops->xmit(c->arg, m->buf, m->len);
	c->stats.tx++;
}

/* Send what the window allows; the oldest unacked message defines it. */
static void push(struct l2tp_ctrl *c)
{
	struct l2tp_ctrl_msg *m;
	unsigned int inflight = 0;
	bool any = false;

	if (c->failed)
		return;
	for (m = c->head; m; m = m->next) {
		if (m->sent) {
			inflight++;
			continue;
		}
		if (inflight >= c->peer_window)
			break;
		m->ns = c->ns++;
		m->sent = true;
		inflight++;
		xmit(c, m);
		any = true;
	}
	if (any) {
		loop_timer_disarm(c->ack_timer);	/* Nr went with it */
		if (!loop_timer_armed(c->rtx_timer))
			loop_timer_arm(c->rtx_timer, c->rto_ms);
	}
}

int l2tp_ctrl_send(struct l2tp_ctrl *c, const uint8_t *msg, size_t len,
		   uint16_t type)
{
	struct l2tp_ctrl_msg *m;

	if (len < L2TP_CTRL_HDR_LEN)
		return -EINVAL;
	m = malloc(sizeof(*m) + len);
	if (!m)
		return -ENOMEM;
	memset(m, 0, sizeof(*m));
	m->type = type;
	m->len = len;
	memcpy(m->buf, msg, len);
	if (c->tail)
		c->tail->next = m;
	else
		c->head = m;
	c->tail = m;
	push(c);
	return 0;
}

static void rtx_cb(void *arg)
{
	struct l2tp_ctrl *c = arg;
	struct l2tp_ctrl_msg *m;

	if (!c->head || !c->head->sent)
		return;
	if (++c->tries > c->cfg->max_retries) {
		c->failed = true;
		c->ops->failed(c->arg, c->head->type, c->tries);
		return;	/* @c may be gone */
	}
	c->rto_ms *= 2;
	if (c->rto_ms > c->cfg->rto_max_ms)
		c->rto_ms = c->cfg->rto_max_ms;
	for (m = c->head; m && m->sent; m = m->next) {
		xmit(c, m);
		c->stats.retransmits++;
	}
	loop_timer_disarm(c->ack_timer);
	loop_timer_arm(c->rtx_timer, c->rto_ms);
}

void l2tp_ctrl_ack_now(struct l2tp_ctrl *c)
{
	uint8_t zlb[L2TP_CTRL_HDR_LEN];

	loop_timer_disarm(c->ack_timer);
	c->ops->xmit(c->arg, zlb, l2tp_zlb_build(zlb, c->peer_tunnel_id,
						  c->ns, c->nr));
	c->stats.zlb_tx++;
}

static void ack_cb(void *arg)
{
	l2tp_ctrl_ack_now(arg);
}

/* The peer's Nr acknowledges every message with Ns < Nr. */
static void process_nr(struct l2tp_ctrl *c, uint16_t nr)
{
	struct l2tp_ctrl_msg *m;
	bool progress = false;

	/* Valid: between our oldest unacked Ns and our next Ns. */
	if (c->head && c->head->sent) {
		if (seq_lt(nr, c->head->ns) || seq_lt(c->ns, nr)) {
			c->stats.bad_nr++;
			return;
		}
	} else if (nr != c->ns) {
		if (seq_lt(c->ns, nr))
			c->stats.bad_nr++;
		return;
	}
	while ((m = c->head) && m->sent && seq_lt(m->ns, nr)) {
		c->head = m->next;
		if (!c->head)
			c->tail = NULL;
		free(m);
		progress = true;
	}
	if (progress) {
		c->tries = 0;
		c->rto_ms = c->cfg->rto_initial_ms;
		loop_timer_disarm(c->rtx_timer);
		push(c);
		if (c->head && c->head->sent && !loop_timer_armed(c->rtx_timer))
			loop_timer_arm(c->rtx_timer, c->rto_ms);
	}
}

bool l2tp_ctrl_input(struct l2tp_ctrl *c, const struct l2tp_hdr *h,
		     size_t len)
{
	bool zlb = h->length <= L2TP_CTRL_HDR_LEN;

	(void)len;
	if (c->failed)
		return false;
	process_nr(c, h->nr);
	if (zlb) {
		c->stats.zlb_rx++;
		return false;
	}
	if (h->ns != c->nr) {
		if (seq_lt(h->ns, c->nr)) {
			/* Our ack was lost: acknowledge again, at once. */
			c->stats.duplicates++;
			l2tp_ctrl_ack_now(c);
		} else {
			c->stats.out_of_order++;
			l2tp_ctrl_ack_now(c);
		}
		return false;
	}
	c->nr++;
	c->stats.rx++;
	if (!loop_timer_armed(c->ack_timer))
		loop_timer_arm(c->ack_timer, c->cfg->ack_delay_ms);
	return true;
}

unsigned int l2tp_ctrl_pending(const struct l2tp_ctrl *c)
{
	const struct l2tp_ctrl_msg *m;
	unsigned int n = 0;

	for (m = c->head; m; m = m->next)
		n++;
	return n;
}
