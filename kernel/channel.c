// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsec: the data-plane channel between the module and its daemon.
 *
 * Control frames (L2TP control messages, PPP control packets) go both
 * ways as FRAME messages: from the daemon with a FRAME request, to the
 * daemon unicast to the one socket that set FRAME_LISTEN (the frame
 * listener, forgotten when that socket is released). SA expiry, first
 * use, peer float and lost frames are multicast as EVENT messages on the
 * "events" group.
 */

#include <linux/in.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "l2tpsec.h"
#include "netlink-priv.h"

/* Shortest L2TP control message: flags, length, ids, Ns, Nr. */
#define L2TPSEC_NL_L2TP_CTRL_MIN	12
/* A PPP frame starts with its 2-byte protocol number. */
#define L2TPSEC_NL_PPP_MIN	2

/* ---- frames: daemon -> module ---------------------------------------------- */

int l2tpsec_nl_frame_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[L2TPSEC_A_FRAME_MAX + 1];
	struct nlattr *nest = info->attrs[L2TPSEC_A_FRAME];
	struct netlink_ext_ack *extack = info->extack;
	struct l2tpsec_session *s;
	struct l2tpsec_peer *peer;
	struct l2tpsec_dev *ldev;
	const u8 *payload;
	unsigned int len;
	u8 kind;
	int err;

	err = l2tpsec_nl_parse_nest(info, L2TPSEC_A_FRAME, tb,
				    L2TPSEC_A_FRAME_MAX, l2tpsec_frame_nl_policy);
	if (err)
		return err;
	if (L2TPSEC_NL_REQ(extack, nest, tb, L2TPSEC_A_FRAME_KIND) ||
	    L2TPSEC_NL_REQ(extack, nest, tb, L2TPSEC_A_FRAME_PEER_ID) ||
	    L2TPSEC_NL_REQ(extack, nest, tb, L2TPSEC_A_FRAME_PAYLOAD))
		return -EINVAL;
	kind = nla_get_u8(tb[L2TPSEC_A_FRAME_KIND]);
	payload = nla_data(tb[L2TPSEC_A_FRAME_PAYLOAD]);
	len = nla_len(tb[L2TPSEC_A_FRAME_PAYLOAD]);
	if (kind == L2TPSEC_FRAME_PPP) {
		if (L2TPSEC_NL_REQ(extack, nest, tb,
				   L2TPSEC_A_FRAME_LOCAL_TUNNEL_ID) ||
		    L2TPSEC_NL_REQ(extack, nest, tb,
				   L2TPSEC_A_FRAME_LOCAL_SESSION_ID))
			return -EINVAL;
		if (len < L2TPSEC_NL_PPP_MIN) {
			NL_SET_ERR_MSG_ATTR(extack, tb[L2TPSEC_A_FRAME_PAYLOAD],
					    "PPP frame shorter than its protocol field");
			return -EINVAL;
		}
	} else if (len < L2TPSEC_NL_L2TP_CTRL_MIN) {
		NL_SET_ERR_MSG_ATTR(extack, tb[L2TPSEC_A_FRAME_PAYLOAD],
				    "L2TP control message shorter than its header");
		return -EINVAL;
	}

	ldev = l2tpsec_nl_req_dev(info);
	peer = l2tpsec_nl_peer_find(ldev, tb[L2TPSEC_A_FRAME_PEER_ID], extack);
	if (!peer) {
		err = -ENOENT;
		goto unlock;
	}
	if (kind == L2TPSEC_FRAME_L2TP_CTRL) {
		err = l2tpsec_tx_l2tp_ctrl(peer, payload, len,
					   l2tpsec_nla_port(tb, L2TPSEC_A_FRAME_LOCAL_PORT),
					   l2tpsec_nla_port(tb, L2TPSEC_A_FRAME_REMOTE_PORT));
	} else {
		s = l2tpsec_session_find(ldev, peer->id,
					 nla_get_u16(tb[L2TPSEC_A_FRAME_LOCAL_TUNNEL_ID]),
					 nla_get_u16(tb[L2TPSEC_A_FRAME_LOCAL_SESSION_ID]));
		if (!s) {
			NL_SET_ERR_MSG_ATTR(extack,
					    tb[L2TPSEC_A_FRAME_LOCAL_SESSION_ID],
					    "no session has this peer, tunnel and session id");
			err = -ENOENT;
			goto unlock;
		}
		err = l2tpsec_tx_ppp_ctrl(s, payload, len);
	}
	if (err == -EINVAL && kind == L2TPSEC_FRAME_L2TP_CTRL)
		NL_SET_ERR_MSG_ATTR(extack, tb[L2TPSEC_A_FRAME_PAYLOAD],
				    "PAYLOAD is not an L2TP control message");
	else if (err == -EINVAL)
		NL_SET_ERR_MSG_ATTR(extack, tb[L2TPSEC_A_FRAME_PAYLOAD],
				    "PAYLOAD must start with a PPP control protocol (IP and IPv6 go through the device)");
	else if (err == -ENOLINK)
		NL_SET_ERR_MSG_MOD(extack,
				   "peer has no outbound SA: create one and set PEER_TX_SPI");
	else if (err < 0)
		NL_SET_ERR_MSG_MOD(extack, "frame not sent");
	else
		err = 0;
unlock:
	return l2tpsec_nl_done(info, err, false);
}

/* ---- frames: module -> daemon (atomic context) ----------------------------- */

struct l2tpsec_nl_event {
	u8		kind;
	u8		dir;
	u8		reason;
	bool		has_remote;
	bool		has_session;
	u32		peer_id;
	u32		spi;
	u32		error;		/* positive errno */
	__be32		remote;
	u16		remote_port;	/* host order */
	u16		tunnel_id;
	u16		session_id;
};

static size_t l2tpsec_nl_event_size(void)
{
	return nla_total_size(sizeof(u32)) +		/* IFINDEX */
	       nla_total_size(0) +			/* EVENT */
	       3 * nla_total_size(sizeof(u8)) +		/* KIND DIR REASON */
	       4 * nla_total_size(sizeof(u32)) +	/* PEER SPI IP ERROR */
	       3 * nla_total_size(sizeof(u16));		/* PORT TUNNEL SESSION */
}

static int l2tpsec_nl_put_event(struct sk_buff *msg,
				const struct l2tpsec_nl_event *ev)
{
	struct nlattr *nest;

	nest = nla_nest_start(msg, L2TPSEC_A_EVENT);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(msg, L2TPSEC_A_EVENT_KIND, ev->kind) ||
	    nla_put_u32(msg, L2TPSEC_A_EVENT_PEER_ID, ev->peer_id) ||
	    (ev->spi && nla_put_u32(msg, L2TPSEC_A_EVENT_SPI, ev->spi)) ||
	    (ev->dir && nla_put_u8(msg, L2TPSEC_A_EVENT_DIR, ev->dir)) ||
	    (ev->reason &&
	     nla_put_u8(msg, L2TPSEC_A_EVENT_REASON, ev->reason)) ||
	    (ev->has_remote &&
	     (nla_put_in_addr(msg, L2TPSEC_A_EVENT_REMOTE_IPV4, ev->remote) ||
	      nla_put_u16(msg, L2TPSEC_A_EVENT_REMOTE_PORT,
			  ev->remote_port))) ||
	    (ev->has_session &&
	     (nla_put_u16(msg, L2TPSEC_A_EVENT_LOCAL_TUNNEL_ID,
			  ev->tunnel_id) ||
	      nla_put_u16(msg, L2TPSEC_A_EVENT_LOCAL_SESSION_ID,
			  ev->session_id))) ||
	    (ev->error && nla_put_u32(msg, L2TPSEC_A_EVENT_ERROR, ev->error))) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

/* Multicast @ev on "events" in the device's netns; atomic context. */
static void l2tpsec_nl_event_send(struct l2tpsec_dev *ldev,
				  const struct l2tpsec_nl_event *ev)
{
	struct net *net = dev_net(ldev->dev);
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&l2tpsec_nl_family, net,
				L2TPSEC_NLGRP_EVENTS))
		return;
	msg = genlmsg_new(l2tpsec_nl_event_size(), GFP_ATOMIC);
	if (!msg)
		goto fail;
	hdr = genlmsg_put(msg, 0, 0, &l2tpsec_nl_family, 0, L2TPSEC_CMD_EVENT);
	if (!hdr)
		goto free;
	if (nla_put_u32(msg, L2TPSEC_A_IFINDEX, ldev->dev->ifindex) ||
	    l2tpsec_nl_put_event(msg, ev))
		goto free;
	genlmsg_end(msg, hdr);
	/* -ESRCH: every listener left meanwhile; not an error. */
	genlmsg_multicast_netns(&l2tpsec_nl_family, net, msg, 0,
				L2TPSEC_NLGRP_EVENTS, GFP_ATOMIC);
	return;

free:
	nlmsg_free(msg);
fail:
	net_dbg_ratelimited("%s: event %u not sent\n", ldev->dev->name,
			    ev->kind);
}

void l2tpsec_nl_frame_rx(struct l2tpsec_peer *peer, u8 kind,
			 u16 local_port, u16 remote_port, u16 tunnel_id,
			 u16 session_id, const u8 *payload, unsigned int len)
{
	struct l2tpsec_dev *ldev = peer->ldev;
	u32 portid = READ_ONCE(ldev->frame_portid);
	u32 peer_id = peer->id;
	struct l2tpsec_nl_event ev = {
		.kind = L2TPSEC_EVENT_FRAME_LOST,
		.peer_id = peer_id,
		.has_session = kind == L2TPSEC_FRAME_PPP,
		.tunnel_id = tunnel_id,
		.session_id = session_id,
	};
	struct sk_buff *msg;
	struct nlattr *nest;
	void *hdr;
	int err;

	/*
	 * Before anything else: a flood must cost neither the daemon's
	 * socket nor a FRAME_LOST event per frame.
	 */
	if (!l2tpsec_peer_frame_allowed(peer))
		return;
	if (!portid) {
		err = -ENOTCONN;
		goto lost;
	}
	msg = genlmsg_new(nla_total_size(sizeof(u32)) +	/* IFINDEX */
			  nla_total_size(0) +			/* FRAME */
			  nla_total_size(sizeof(u8)) +		/* KIND */
			  nla_total_size(sizeof(u32)) +		/* PEER_ID */
			  2 * nla_total_size(sizeof(u16)) +	/* ports or ids */
			  nla_total_size(len), GFP_ATOMIC);	/* PAYLOAD */
	if (!msg) {
		err = -ENOMEM;
		goto lost;
	}
	hdr = genlmsg_put(msg, 0, 0, &l2tpsec_nl_family, 0, L2TPSEC_CMD_FRAME);
	if (!hdr)
		goto too_big;
	if (nla_put_u32(msg, L2TPSEC_A_IFINDEX, ldev->dev->ifindex))
		goto too_big;
	nest = nla_nest_start(msg, L2TPSEC_A_FRAME);
	if (!nest ||
	    nla_put_u8(msg, L2TPSEC_A_FRAME_KIND, kind) ||
	    nla_put_u32(msg, L2TPSEC_A_FRAME_PEER_ID, peer_id))
		goto too_big;
	/* The same attributes as the daemon sends back: ports for L2TP
	 * control messages, our tunnel and session ids for PPP frames.
	 */
	if (kind == L2TPSEC_FRAME_PPP) {
		if (nla_put_u16(msg, L2TPSEC_A_FRAME_LOCAL_TUNNEL_ID,
				tunnel_id) ||
		    nla_put_u16(msg, L2TPSEC_A_FRAME_LOCAL_SESSION_ID,
				session_id))
			goto too_big;
	} else if (nla_put_u16(msg, L2TPSEC_A_FRAME_LOCAL_PORT, local_port) ||
		   nla_put_u16(msg, L2TPSEC_A_FRAME_REMOTE_PORT, remote_port)) {
		goto too_big;
	}
	if (nla_put(msg, L2TPSEC_A_FRAME_PAYLOAD, len, payload))
		goto too_big;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);

	/* Consumes msg whatever happens. */
	err = genlmsg_unicast(dev_net(ldev->dev), msg, portid);
	if (!err)
		return;
	/* The listener's socket is gone: stop trying it. */
	if (err == -ECONNREFUSED)
		cmpxchg(&ldev->frame_portid, portid, 0);
	goto lost;

too_big:
	nlmsg_free(msg);
	err = -EMSGSIZE;
lost:
	l2tpsec_count(&ldev->stats, L2TPSEC_STAT_FRAMES_LOST, 1);
	net_dbg_ratelimited("%s: control frame from peer %u lost: %d\n",
			    ldev->dev->name, peer_id, err);
	ev.error = -err;
	l2tpsec_nl_event_send(ldev, &ev);
}

/* ---- events ---------------------------------------------------------------- */

void l2tpsec_nl_sa_event(struct l2tpsec_sa *sa, u8 kind, u8 reason)
{
	struct l2tpsec_nl_event ev = {
		.kind = kind,
		.peer_id = sa->peer->id,
		.spi = sa->spi,
		.dir = sa->dir,
		.reason = reason,
	};

	l2tpsec_nl_event_send(sa->peer->ldev, &ev);
}

void l2tpsec_nl_float_event(struct l2tpsec_peer *peer, __be32 addr,
			    __be16 port)
{
	struct l2tpsec_nl_event ev = {
		.kind = L2TPSEC_EVENT_PEER_FLOAT,
		.peer_id = peer->id,
		.has_remote = true,
		.remote = addr,
		.remote_port = ntohs(port),
	};

	l2tpsec_nl_event_send(peer->ldev, &ev);
}

/*
 * A netlink socket was released: if it was a device's frame listener, stop
 * sending there at once. Otherwise any local user could bind a socket with
 * the same port id and receive the next frames (PAP passwords, CHAP).
 * Runs in process context, from the releasing socket's close().
 */
static int l2tpsec_nl_urelease(struct notifier_block *nb, unsigned long state,
			       void *ptr)
{
	struct netlink_notify *n = ptr;
	struct l2tpsec_dev *ldev;
	struct l2tpsec_net *ln;

	if (state != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !n->portid)
		return NOTIFY_DONE;

	ln = l2tpsec_pernet(n->net);
	rcu_read_lock();
	list_for_each_entry_rcu(ldev, &ln->devs, node) {
		if (cmpxchg(&ldev->frame_portid, n->portid, 0) == n->portid)
			netdev_dbg(ldev->dev,
				   "frame listener (netlink port %u) closed\n",
				   n->portid);
	}
	rcu_read_unlock();
	return NOTIFY_DONE;
}

static struct notifier_block l2tpsec_nl_notifier = {
	.notifier_call = l2tpsec_nl_urelease,
};

int __init l2tpsec_channel_init(void)
{
	return netlink_register_notifier(&l2tpsec_nl_notifier);
}

void l2tpsec_channel_exit(void)
{
	netlink_unregister_notifier(&l2tpsec_nl_notifier);
}
