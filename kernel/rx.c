// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsec: the receive pipeline.
 *
 *   ESP (raw or in UDP) -> SPI lookup -> replay check -> decrypt
 *   -> inner UDP -> L2TPv2 header -> session (peer, tunnel, session)
 *   -> PPP protocol -> IPv4/IPv6 up the device, anything else to the daemon
 *
 * The session is found from the SA the packet was authenticated on, so two
 * clients behind one NAT with identical inner ports and tunnel ids never
 * meet. The only lock taken is the SA's replay lock.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/ppp_defs.h>
#include <linux/udp.h>
#include <net/ip.h>

#include "l2tpsec.h"

static void rx_drop(struct l2tpsec_dev *ldev, struct l2tpsec_sa *sa,
		    struct l2tpsec_session *s, struct sk_buff *skb,
		    enum l2tpsec_stat stat)
{
	l2tpsec_count(&ldev->stats, stat, 1);
	if (sa)
		l2tpsec_count(&sa->stats, stat, 1);
	if (s)
		l2tpsec_count(&s->stats, stat, 1);
	DEV_STATS_INC(ldev->dev, rx_dropped);
	kfree_skb(skb);
}

int l2tpsec_rx_esp(struct net *net, struct sk_buff *skb, __be16 sport)
{
	struct l2tpsec_skb_cb *cb;
	struct l2tpsec_sa *sa;
	bool udp = sport != 0;
	bool sa_is_udp;
	u32 spi;

	if (!pskb_may_pull(skb, sizeof(struct ip_esp_hdr)))
		return -EINVAL;
	spi = ntohl(((struct ip_esp_hdr *)skb->data)->spi);
	sa = l2tpsec_sa_lookup_in_rcu(net, spi);
	if (!sa || !l2tpsec_sa_get(sa))
		return -ENOENT;

	if (unlikely(test_bit(L2TPSEC_SA_F_DEAD, &sa->flags))) {
		rx_drop(sa->peer->ldev, sa, NULL, skb,
			L2TPSEC_STAT_EXPIRED_DROPS);
		goto put_sa;
	}
	/* An SA is bound to its encapsulation as it was negotiated. */
	sa_is_udp = sa->peer->encap == L2TPSEC_ENCAP_UDP;
	if (unlikely(udp != sa_is_udp)) {
		net_dbg_ratelimited("%s: peer %u: SA 0x%08x got %s ESP, negotiated %s\n",
				    sa->peer->ldev->dev->name, sa->peer->id,
				    spi, udp ? "UDP-encapsulated" : "raw",
				    udp ? "raw" : "ESP-in-UDP");
		rx_drop(sa->peer->ldev, sa, NULL, skb,
			L2TPSEC_STAT_NO_SA_DROPS);
		goto put_sa;
	}
	/* Decryption is in place: make the packet linear and ours. */
	if (unlikely(skb_ensure_writable(skb, skb->len))) {
		rx_drop(sa->peer->ldev, sa, NULL, skb,
			L2TPSEC_STAT_NOMEM_DROPS);
		goto put_sa;
	}

	cb = L2TPSEC_SKB_CB(skb);
	cb->saddr = ip_hdr(skb)->saddr;
	cb->sport = sport;
	/* Consumes the skb and our SA reference. */
	l2tpsec_esp_input(sa, skb);
	return 0;

put_sa:
	l2tpsec_sa_put(sa);
	return 0;
}

/*
 * Is the inner source one the session owns (allowed addresses, as
 * WireGuard checks them)? Its IPv4 address, its IPv6 address or prefix
 * (see l2tpsec_ipv6_src_allowed()); the only session of a client-role
 * device owns everything, as it is that device's default route. IPv4
 * 0.0.0.0 is not accepted: PPP hands out addresses with IPCP, so a PPP
 * peer has no DHCP discovery to make, and its DHCPINFORM comes from the
 * address it was given. The addresses change under ldev->lock while
 * packets arrive; a packet racing with a change is judged by the old or
 * the new address.
 */
static bool rx_source_allowed(struct l2tpsec_dev *ldev,
			      struct l2tpsec_session *s, struct sk_buff *skb)
{
	if (READ_ONCE(ldev->fallback) &&
	    rcu_access_pointer(ldev->only_session) == s)
		return true;
	if (skb->protocol == htons(ETH_P_IP))
		return READ_ONCE(s->has_ipv4) &&
		       ip_hdr(skb)->saddr == READ_ONCE(s->peer_ipv4);
	return READ_ONCE(s->has_ipv6) &&
	       l2tpsec_ipv6_src_allowed(&ipv6_hdr(skb)->saddr,
					&ipv6_hdr(skb)->daddr, &s->peer_ipv6,
					READ_ONCE(s->peer_ipv6_plen));
}

static void rx_drop_source(struct l2tpsec_dev *ldev, struct l2tpsec_sa *sa,
			   struct l2tpsec_session *s, struct sk_buff *skb)
{
	if (skb->protocol == htons(ETH_P_IP))
		net_dbg_ratelimited("%s: peer %u tunnel %u session %u: inner source %pI4 is not the session's, dropped\n",
				    ldev->dev->name, s->peer->id,
				    s->local_tunnel_id, s->local_session_id,
				    &ip_hdr(skb)->saddr);
	else
		net_dbg_ratelimited("%s: peer %u tunnel %u session %u: inner source %pI6c is not the session's, dropped\n",
				    ldev->dev->name, s->peer->id,
				    s->local_tunnel_id, s->local_session_id,
				    &ipv6_hdr(skb)->saddr);
	l2tpsec_count(&s->peer->stats, L2TPSEC_STAT_INNER_SOURCE_DROPS, 1);
	rx_drop(ldev, sa, s, skb, L2TPSEC_STAT_INNER_SOURCE_DROPS);
}

static void rx_deliver_ip(struct l2tpsec_dev *ldev, struct l2tpsec_sa *sa,
			  struct l2tpsec_session *s, struct sk_buff *skb,
			  __be16 protocol)
{
	struct net_device *dev = ldev->dev;
	unsigned int len;

	skb->protocol = protocol;
	skb_reset_network_header(skb);
	if (protocol == htons(ETH_P_IP)) {
		if (!pskb_may_pull(skb, sizeof(struct iphdr)) ||
		    ip_hdr(skb)->version != 4)
			goto malformed;
	} else {
		if (!pskb_may_pull(skb, sizeof(struct ipv6hdr)) ||
		    ipv6_hdr(skb)->version != 6)
			goto malformed;
	}
	if (unlikely(!rx_source_allowed(ldev, s, skb))) {
		rx_drop_source(ldev, sa, s, skb);
		return;
	}

	skb_scrub_packet(skb, !net_eq(ldev->net, dev_net(dev)));
	skb->dev = dev;
	skb->pkt_type = PACKET_HOST;
	skb->ip_summed = CHECKSUM_NONE;
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	skb_probe_transport_header(skb);

	if (READ_ONCE(ldev->mss_clamp))
		l2tpsec_mss_clamp(skb, READ_ONCE(dev->mtu));

	len = skb->len;
	l2tpsec_count(&s->stats, L2TPSEC_STAT_RX_PACKETS, 1);
	l2tpsec_count(&s->stats, L2TPSEC_STAT_RX_BYTES, len);
	l2tpsec_count(&ldev->stats, L2TPSEC_STAT_RX_PACKETS, 1);
	l2tpsec_count(&ldev->stats, L2TPSEC_STAT_RX_BYTES, len);
	if (likely(gro_cells_receive(&ldev->gro_cells, skb) == NET_RX_SUCCESS))
		dev_sw_netstats_rx_add(dev, len);
	return;

malformed:
	rx_drop(ldev, NULL, s, skb, L2TPSEC_STAT_MALFORMED_DROPS);
}

static void rx_session(struct l2tpsec_dev *ldev, struct l2tpsec_sa *sa,
		       struct l2tpsec_session *s, struct sk_buff *skb)
{
	unsigned int hdr_len;
	u16 proto;

	if (l2tpsec_ppp_parse(skb->data, skb_headlen(skb), &proto,
			      &hdr_len)) {
		rx_drop(ldev, sa, s, skb, L2TPSEC_STAT_MALFORMED_DROPS);
		return;
	}
	__skb_pull(skb, hdr_len);

	switch (proto) {
	case PPP_IP:
		rx_deliver_ip(ldev, sa, s, skb, htons(ETH_P_IP));
		return;
	case PPP_IPV6:
		rx_deliver_ip(ldev, sa, s, skb, htons(ETH_P_IPV6));
		return;
	}

	/*
	 * LCP, authentication, NCPs and anything we do not know: the daemon
	 * negotiates (and answers unknown protocols with Protocol-Reject).
	 * It gets the protocol uncompressed, in front of the information.
	 */
	__skb_push(skb, 2);
	put_unaligned_be16(proto, skb->data);
	l2tpsec_nl_frame_rx(s->peer, L2TPSEC_FRAME_PPP, 0, 0,
			    s->local_tunnel_id, s->local_session_id,
			    skb->data, skb->len);
	l2tpsec_count(&s->stats, L2TPSEC_STAT_RX_PACKETS, 1);
	l2tpsec_count(&s->stats, L2TPSEC_STAT_RX_BYTES, skb->len);
	consume_skb(skb);
}

/*
 * LCP for a session the module does not know yet. The daemon adds the
 * session when it reads the ICCN, and the peer's first Configure-Request,
 * sent right behind its ICCN, can overtake that; dropped, it would cost
 * every call the client's restart timer (3 s). Handed to the daemon
 * instead, it queues behind the ICCN on the same socket, and the daemon
 * knows the call when it reads it (and drops it when it does not).
 * Consumes the skb when it returns true.
 */
static bool rx_early_lcp(struct l2tpsec_dev *ldev, struct l2tpsec_peer *peer,
			 const struct l2tp_hdr_info *info, struct sk_buff *skb)
{
	unsigned int hdr_len;
	u16 proto;

	if (l2tpsec_ppp_parse(skb->data + info->hdr_len,
			      skb_headlen(skb) - info->hdr_len, &proto,
			      &hdr_len) || proto != PPP_LCP)
		return false;
	/* The daemon gets the protocol uncompressed, as from rx_session(). */
	__skb_pull(skb, info->hdr_len + hdr_len);
	__skb_push(skb, 2);
	put_unaligned_be16(proto, skb->data);
	l2tpsec_nl_frame_rx(peer, L2TPSEC_FRAME_PPP, 0, 0,
			    info->tunnel_id, info->session_id, skb->data,
			    skb->len);
	consume_skb(skb);
	return true;
}

void l2tpsec_rx_decrypted(struct l2tpsec_sa *sa, struct sk_buff *skb)
{
	struct l2tpsec_skb_cb *cb = L2TPSEC_SKB_CB(skb);
	struct l2tpsec_peer *peer = sa->peer;
	struct l2tpsec_dev *ldev = peer->ldev;
	struct l2tpsec_session *s;
	struct l2tp_hdr_info info;
	struct udphdr *uh;
	int err;

	/*
	 * Float only on the newest packet, as xfrm updates a NAT-T mapping:
	 * a reordered or late one, authentic as it is, would flip the peer
	 * back to an address or port it has left.
	 */
	if (cb->sport && cb->top_advanced)
		l2tpsec_peer_seen(peer, cb->saddr, cb->sport);

	/* Transport mode over UDP/1701: the inner UDP header comes first. */
	if (unlikely(skb->len < sizeof(*uh))) {
		rx_drop(ldev, sa, NULL, skb, L2TPSEC_STAT_MALFORMED_DROPS);
		return;
	}
	uh = (struct udphdr *)skb->data;
	/*
	 * Its checksum is not checked: behind NAT it covers addresses that
	 * changed (RFC 3948 3.1.2), and ESP already authenticated it.
	 */
	__skb_pull(skb, sizeof(*uh));

	err = l2tpsec_l2tp_parse(skb->data, skb->len, &info);
	if (unlikely(err)) {
		net_dbg_ratelimited("%s: peer %u: bad L2TP header (%s)\n",
				    ldev->dev->name, peer->id,
				    err == -EPROTONOSUPPORT ? "L2TPv3" :
							      "malformed");
		rx_drop(ldev, sa, NULL, skb, L2TPSEC_STAT_MALFORMED_DROPS);
		return;
	}
	if (info.flags & L2TP_HDR_L)
		skb_trim(skb, info.length);

	if (info.flags & L2TP_HDR_T) {
		/* Control messages go whole to the daemon, which owns Ns/Nr. */
		l2tpsec_nl_frame_rx(peer, L2TPSEC_FRAME_L2TP_CTRL,
				    ntohs(uh->dest), ntohs(uh->source), 0, 0,
				    skb->data, skb->len);
		consume_skb(skb);
		return;
	}

	s = l2tpsec_session_lookup_rcu(ldev, peer->id, info.tunnel_id,
				       info.session_id);
	if (unlikely(!s)) {
		if (rx_early_lcp(ldev, peer, &info, skb))
			return;
		net_dbg_ratelimited("%s: peer %u: data for unknown tunnel %u session %u\n",
				    ldev->dev->name, peer->id, info.tunnel_id,
				    info.session_id);
		rx_drop(ldev, sa, NULL, skb, L2TPSEC_STAT_NO_SESSION_DROPS);
		return;
	}
	__skb_pull(skb, info.hdr_len);
	rx_session(ldev, sa, s, skb);
}
