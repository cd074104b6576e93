// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsec: the transmit pipeline.
 *
 *   IP packet -> session by destination -> PPP -> L2TPv2 -> UDP 1701
 *   -> ESP (async encrypt) -> [UDP 4500] -> IPv4 to the peer
 *
 * The device is lockless (LLTX): sessions and SAs are found under RCU, the
 * outbound sequence number is an atomic counter, and the route to the peer
 * is cached per peer.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ppp_defs.h>
#include <linux/udp.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip_tunnels.h>
#include <net/route.h>
#include <net/udp_tunnel.h>

#include "l2tpsec.h"

/* Outer IPv4 + UDP (NAT-T) + room for the link layer. */
#define L2TPSEC_OUTER_HEADROOM	(sizeof(struct iphdr) + \
				 sizeof(struct udphdr) + LL_MAX_HEADER)

static void tx_count_drop(struct l2tpsec_dev *ldev, struct l2tpsec_session *s,
			  enum l2tpsec_stat stat)
{
	l2tpsec_count(&ldev->stats, stat, 1);
	if (s)
		l2tpsec_count(&s->stats, stat, 1);
	DEV_STATS_INC(ldev->dev, tx_dropped);
}

/*
 * Make @skb linear, private, and roomy enough for every header and the ESP
 * trailer. The device advertises the same room (needed_headroom and
 * needed_tailroom), so the stack usually allocated it already.
 */
static int tx_make_room(struct sk_buff *skb, unsigned int head,
			unsigned int tail)
{
	int dh, dt;

	if (skb_linearize(skb))
		return -ENOMEM;
	dh = max_t(int, head - skb_headroom(skb), 0);
	dt = max_t(int, tail - skb_tailroom(skb), 0);
	if (dh || dt || skb_cloned(skb))
		return pskb_expand_head(skb, dh, dt, GFP_ATOMIC);
	return 0;
}

/*
 * Push L2TP and UDP in front of @skb (data at the L2TP payload) and hand
 * it to ESP. Consumes @skb.
 */
static void tx_l2tp(struct l2tpsec_peer *peer, struct l2tpsec_session *s,
		    struct sk_buff *skb, unsigned int l2tp_len, bool with_len,
		    bool with_seq, __be16 sport, __be16 dport)
{
	struct l2tpsec_dev *ldev = peer->ldev;
	struct l2tpsec_sa *sa;
	struct udphdr *uh;
	u16 ns = 0;

	sa = rcu_dereference_bh(peer->tx_sa);
	if (unlikely(!sa || !l2tpsec_sa_get(sa))) {
		net_dbg_ratelimited("%s: peer %u has no outbound SA\n",
				    ldev->dev->name, peer->id);
		tx_count_drop(ldev, s, L2TPSEC_STAT_NO_SA_DROPS);
		kfree_skb(skb);
		return;
	}

	if (unlikely(tx_make_room(skb, L2TPSEC_OUTER_HEADROOM +
					    l2tpsec_esp_hdr_len(sa) +
					    sizeof(*uh) + l2tp_len,
				  l2tpsec_esp_tail_len(sa, skb->len + l2tp_len +
							   sizeof(*uh))))) {
		tx_count_drop(ldev, s, L2TPSEC_STAT_NOMEM_DROPS);
		kfree_skb(skb);
		l2tpsec_sa_put(sa);
		return;
	}

	if (s && with_seq)
		ns = (u16)atomic_inc_return(&s->tx_ns) - 1;
	if (s) {
		u8 *l2tph = skb_push(skb, l2tp_len);

		l2tpsec_l2tp_build(l2tph, s->remote_tunnel_id,
				   s->remote_session_id, with_len, skb->len,
				   with_seq, ns);
		l2tpsec_count(&s->stats, L2TPSEC_STAT_TX_PACKETS, 1);
		l2tpsec_count(&s->stats, L2TPSEC_STAT_TX_BYTES, skb->len);
	}

	uh = skb_push(skb, sizeof(*uh));
	uh->source = sport;
	uh->dest = dport;
	uh->len = htons(skb->len);
	/* Zero is legal for IPv4 and ESP authenticates the datagram. */
	uh->check = 0;
	skb_reset_transport_header(skb);

	l2tpsec_esp_output(sa, skb);
}

void l2tpsec_tx_session(struct l2tpsec_session *s, struct sk_buff *skb,
			u16 proto)
{
	bool acfc = READ_ONCE(s->ppp_acfc), pfc = READ_ONCE(s->ppp_pfc);
	bool with_len = READ_ONCE(s->l2tp_length);
	bool with_seq = READ_ONCE(s->l2tp_seq);
	unsigned int ppp_len = l2tpsec_ppp_hdr_len(proto, acfc, pfc);
	unsigned int l2tp_len = l2tpsec_l2tp_hdr_len(with_len, with_seq);

	if (unlikely(skb_cow_head(skb, ppp_len))) {
		tx_count_drop(s->peer->ldev, s, L2TPSEC_STAT_NOMEM_DROPS);
		kfree_skb(skb);
		return;
	}
	l2tpsec_ppp_build(skb_push(skb, ppp_len), proto, acfc, pfc);
	tx_l2tp(s->peer, s, skb, l2tp_len, with_len, with_seq, s->local_port,
		s->remote_port);
}

static struct sk_buff *tx_alloc_frame(const u8 *data, unsigned int len)
{
	unsigned int head = L2TPSEC_OUTER_HEADROOM + 64 + sizeof(struct udphdr) +
			    L2TP_HDR_MAX_TX + PPP_HDR_MAX;
	struct sk_buff *skb;

	/* 64 covers the largest ESP header + IV; tail: pad, trailer, ICV. */
	skb = alloc_skb(head + len + 64, GFP_KERNEL);
	if (!skb)
		return NULL;
	skb_reserve(skb, head);
	skb_put_data(skb, data, len);
	return skb;
}

int l2tpsec_tx_l2tp_ctrl(struct l2tpsec_peer *peer, const u8 *msg,
			 unsigned int len, u16 local_port, u16 remote_port)
{
	struct l2tp_hdr_info info;
	struct sk_buff *skb;

	/* The daemon owns control messages, but they must still be L2TP. */
	if (l2tpsec_l2tp_parse(msg, len, &info) || !(info.flags & L2TP_HDR_T))
		return -EINVAL;
	if (!rcu_access_pointer(peer->tx_sa))
		return -ENOLINK;
	skb = tx_alloc_frame(msg, len);
	if (!skb)
		return -ENOMEM;

	rcu_read_lock();
	local_bh_disable();
	tx_l2tp(peer, NULL, skb, 0, false, false,
		htons(local_port ?: L2TPSEC_L2TP_PORT),
		htons(remote_port ?: L2TPSEC_L2TP_PORT));
	local_bh_enable();
	rcu_read_unlock();
	return 0;
}

int l2tpsec_tx_ppp_ctrl(struct l2tpsec_session *s, const u8 *pkt,
			unsigned int len)
{
	struct sk_buff *skb;
	u16 proto;

	if (len < 2)
		return -EINVAL;
	proto = get_unaligned_be16(pkt);
	/* Data protocols go through the device, not the control channel. */
	if (proto == PPP_IP || proto == PPP_IPV6 || !(proto & 1))
		return -EINVAL;
	if (!rcu_access_pointer(s->peer->tx_sa))
		return -ENOLINK;
	skb = tx_alloc_frame(pkt + 2, len - 2);
	if (!skb)
		return -ENOMEM;

	rcu_read_lock();
	local_bh_disable();
	l2tpsec_tx_session(s, skb, proto);
	local_bh_enable();
	rcu_read_unlock();
	return 0;
}

static struct rtable *tx_route(struct l2tpsec_peer *peer,
			       struct l2tpsec_endpoint *ep, __be32 *saddr)
{
	struct net *net = peer->ldev->net;
	struct flowi4 fl4 = {
		.daddr = ep->remote,
		.saddr = ep->local,
		.flowi4_proto = peer->encap == L2TPSEC_ENCAP_UDP ?
				IPPROTO_UDP : IPPROTO_ESP,
	};
	struct rtable *rt;

	rt = dst_cache_get_ip4(&ep->dst_cache, saddr);
	if (rt)
		return rt;

	if (peer->encap == L2TPSEC_ENCAP_UDP) {
		fl4.fl4_sport = ep->local_port;
		fl4.fl4_dport = ep->remote_port;
	}
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return rt;
	if (unlikely(rt->dst.dev == peer->ldev->dev)) {
		/* The route to the peer points into the tunnel itself. */
		ip_rt_put(rt);
		return ERR_PTR(-ELOOP);
	}
	dst_cache_set_ip4(&ep->dst_cache, &rt->dst, fl4.saddr);
	*saddr = fl4.saddr;
	return rt;
}

void l2tpsec_tx_encrypted(struct l2tpsec_sa *sa, struct sk_buff *skb)
{
	struct l2tpsec_peer *peer = sa->peer;
	struct l2tpsec_dev *ldev = peer->ldev;
	struct l2tpsec_endpoint *ep;
	unsigned int len = skb->len;
	struct rtable *rt;
	struct sock *sk;
	__be32 saddr;
	u8 ttl;

	ep = rcu_dereference(peer->ep);
	rt = tx_route(peer, ep, &saddr);
	if (IS_ERR(rt)) {
		net_dbg_ratelimited("%s: peer %u: no route to %pI4 (%ld)\n",
				    ldev->dev->name, peer->id, &ep->remote,
				    PTR_ERR(rt));
		goto tx_error;
	}
	ttl = ip4_dst_hoplimit(&rt->dst);
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
	/*
	 * The device counted the inner packet already; iptunnel_xmit() would
	 * count the outer one again on skb->dev.
	 */
	skb->dev = NULL;

	if (peer->encap == L2TPSEC_ENCAP_UDP) {
		sk = rcu_dereference(ldev->sk);
		if (unlikely(!sk)) {
			net_dbg_ratelimited("%s: peer %u: no UDP socket attached for ESP-in-UDP\n",
					    ldev->dev->name, peer->id);
			ip_rt_put(rt);
			goto tx_error;
		}
		/* RFC 3948 2.1: the UDP checksum SHOULD be zero. */
		udp_tunnel_xmit_skb(rt, sk, skb, saddr, ep->remote, 0, ttl,
				    0, ep->local_port, ep->remote_port, false,
				    true);
	} else {
		skb_reset_transport_header(skb);
		iptunnel_xmit(NULL, rt, skb, saddr, ep->remote, IPPROTO_ESP, 0,
			      ttl, 0, false);
	}
	l2tpsec_count(&sa->stats, L2TPSEC_STAT_TX_PACKETS, 1);
	l2tpsec_count(&sa->stats, L2TPSEC_STAT_TX_BYTES, len);
	l2tpsec_count(&peer->stats, L2TPSEC_STAT_TX_PACKETS, 1);
	l2tpsec_count(&peer->stats, L2TPSEC_STAT_TX_BYTES, len);
	return;

tx_error:
	l2tpsec_count(&sa->stats, L2TPSEC_STAT_TX_ERRORS, 1);
	tx_count_drop(ldev, NULL, L2TPSEC_STAT_TX_ERRORS);
	kfree_skb(skb);
}

netdev_tx_t l2tpsec_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct l2tpsec_dev *ldev = netdev_priv(dev);
	struct l2tpsec_session *s;
	unsigned int len = skb->len;
	u16 proto;

	switch (skb->protocol) {
	case htons(ETH_P_IP):
		proto = PPP_IP;
		break;
	case htons(ETH_P_IPV6):
		proto = PPP_IPV6;
		break;
	default:
		goto drop;
	}

	/* The core holds rcu_read_lock_bh(); the lookups want plain RCU. */
	rcu_read_lock();
	s = l2tpsec_route_lookup_rcu(ldev, skb);
	if (unlikely(!s)) {
		rcu_read_unlock();
		net_dbg_ratelimited("%s: no session for this destination\n",
				    dev->name);
		if (proto == PPP_IP)
			icmp_ndo_send(skb, ICMP_DEST_UNREACH,
				      ICMP_HOST_UNREACH, 0);
		else
			icmpv6_ndo_send(skb, ICMPV6_DEST_UNREACH,
					ICMPV6_ADDR_UNREACH, 0);
		tx_count_drop(ldev, NULL, L2TPSEC_STAT_NO_ROUTE_DROPS);
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}

	if (READ_ONCE(ldev->mss_clamp))
		l2tpsec_mss_clamp(skb, READ_ONCE(dev->mtu));

	skb_scrub_packet(skb, !net_eq(ldev->net, dev_net(dev)));
	skb_dst_drop(skb);
	nf_reset_ct(skb);
	l2tpsec_count(&ldev->stats, L2TPSEC_STAT_TX_PACKETS, 1);
	l2tpsec_count(&ldev->stats, L2TPSEC_STAT_TX_BYTES, len);
	dev_sw_netstats_tx_add(dev, 1, len);
	l2tpsec_tx_session(s, skb, proto);
	rcu_read_unlock();
	return NETDEV_TX_OK;

drop:
	tx_count_drop(ldev, NULL, L2TPSEC_STAT_TX_ERRORS);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}
