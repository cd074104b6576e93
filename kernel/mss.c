// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsec: TCP MSS clamping and the MTU arithmetic.
 *
 * Tunnelled TCP must never rely on path MTU discovery through the tunnel:
 * ICMP "fragmentation needed" is filtered on too many paths (the classic
 * L2TP/IPsec black hole). Clamping the MSS of SYNs in both directions to
 * what fits in the device MTU avoids it for TCP.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/kernel.h>
#include <linux/tcp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/tcp.h>

#include "l2tpsec.h"

/*
 * Inner MTU for an outer link MTU:
 *
 *   outer = IPv4 (20) + [UDP (8) for ESP-in-UDP] + ESP header (8) + IV
 *           + roundup(payload + 2, block) + ICV
 *   payload = inner UDP (8) + L2TP (at most 12) + PPP (at most 4) + MTU
 *
 * so MTU = rounddown(link - 20 - [8] - 8 - IV - ICV, block) - 2 - 24.
 * For AES-CBC/HMAC-SHA1 over ESP-in-UDP on a 1500 link: 1398.
 */
unsigned int l2tpsec_mtu_for(unsigned int link_mtu, unsigned int iv_len,
			     unsigned int block_size, unsigned int icv_len,
			     bool udp_encap)
{
	unsigned int fixed = sizeof(struct iphdr) + 8 + iv_len + icv_len;
	unsigned int inner = 8 + L2TP_HDR_MAX_TX + PPP_HDR_MAX + 2;
	unsigned int avail;

	if (udp_encap)
		fixed += sizeof(struct udphdr);
	if (link_mtu <= fixed + inner + block_size)
		return IPV6_MIN_MTU;
	avail = rounddown(link_mtu - fixed, block_size);
	return max_t(unsigned int, avail - inner, IPV6_MIN_MTU);
}

/* Rewrite the MSS option of the TCP header at @th if it is above @mss. */
static void mss_clamp_tcp(struct sk_buff *skb, struct tcphdr *th,
			  unsigned int mss)
{
	unsigned int optlen = th->doff * 4 - sizeof(*th);
	u8 *opt = (u8 *)(th + 1);
	unsigned int i = 0;

	while (i < optlen) {
		u8 kind = opt[i];
		u8 len;

		if (kind == TCPOPT_EOL)
			return;
		if (kind == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= optlen)
			return;
		len = opt[i + 1];
		if (len < 2 || i + len > optlen)
			return;
		if (kind == TCPOPT_MSS && len == TCPOLEN_MSS) {
			__be16 *field = (__be16 *)(opt + i + 2);
			u16 old = get_unaligned_be16(field);

			if (old <= mss)
				return;
			put_unaligned_be16(mss, field);
			inet_proto_csum_replace2(&th->check, skb, htons(old),
						 htons(mss), false);
			return;
		}
		i += len;
	}
}

void l2tpsec_mss_clamp(struct sk_buff *skb, unsigned int mtu)
{
	unsigned int nhlen, thoff;
	struct tcphdr *th;
	unsigned int mss;

	switch (skb->protocol) {
	case htons(ETH_P_IP): {
		const struct iphdr *iph;

		if (!pskb_may_pull(skb, sizeof(*iph)))
			return;
		iph = ip_hdr(skb);
		if (iph->protocol != IPPROTO_TCP || ip_is_fragment(iph) ||
		    iph->ihl < 5)
			return;
		nhlen = iph->ihl * 4;
		mss = mtu - sizeof(struct iphdr) - sizeof(struct tcphdr);
		break;
	}
	case htons(ETH_P_IPV6):
		if (!pskb_may_pull(skb, sizeof(struct ipv6hdr)))
			return;
		/* Extension headers before TCP are rare on SYNs: skip those. */
		if (ipv6_hdr(skb)->nexthdr != IPPROTO_TCP)
			return;
		nhlen = sizeof(struct ipv6hdr);
		mss = mtu - sizeof(struct ipv6hdr) - sizeof(struct tcphdr);
		break;
	default:
		return;
	}

	thoff = skb_network_offset(skb) + nhlen;
	if (!pskb_may_pull(skb, thoff + sizeof(*th)))
		return;
	th = (struct tcphdr *)(skb->data + thoff);
	if (!th->syn || th->doff * 4 < sizeof(*th))
		return;
	if (skb_ensure_writable(skb, thoff + th->doff * 4))
		return;
	th = (struct tcphdr *)(skb->data + thoff);
	mss_clamp_tcp(skb, th, mss);
}
