// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the MTU arithmetic and TCP MSS clamping (kernel/mss.c).
 *
 * l2tpsec_mtu_for() against the table of Documentation/datapath.rst (MTU
 * section) for ESP-in-UDP, the same algorithms over raw ESP (computed by
 * hand from the formula there), and the property that the result is the
 * largest inner MTU whose outer packet fits the link.
 *
 * l2tpsec_mss_clamp() on hand-made IPv4 and IPv6 TCP segments: MSS above,
 * equal to and below the limit, no MSS option, non-SYN, NOP/EOL before
 * the option, truncated and malformed options, IP options, fragments.
 * After a rewrite the TCP checksum is recomputed from scratch here and
 * must verify; when nothing should change, not one byte may change.
 */
#include <kunit/test.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/kernel.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>

#include "l2tpsec.h"

/* ---- MTU ------------------------------------------------------------------ */

struct mtu_case {
	const char *what;
	unsigned int iv, block, icv;
	bool udp;
	unsigned int want;
};

static const struct mtu_case mtu_cases[] = {
	/* Documentation/datapath.rst, "Examples on a 1500-byte link" */
	{ "AES-GCM-128, UDP",			8, 4, 16, true, 1414 },
	{ "AES-CBC + HMAC-SHA1-96, UDP",	16, 16, 12, true, 1398 },
	{ "AES-CBC + HMAC-SHA256-128, UDP",	16, 16, 16, true, 1398 },
	{ "AES-CBC + HMAC-SHA512-256, UDP",	16, 16, 32, true, 1382 },
	{ "3DES-CBC + HMAC-SHA1-96, UDP",	8, 8, 12, true, 1414 },
	/* the other rows of the algorithm table */
	{ "AES-CBC + HMAC-MD5-96, UDP",		16, 16, 12, true, 1398 },
	{ "AES-CBC + HMAC-SHA256-96, UDP",	16, 16, 12, true, 1398 },
	{ "AES-CBC + HMAC-SHA384-192, UDP",	16, 16, 24, true, 1398 },
	{ "3DES-CBC + HMAC-SHA512-256, UDP",	8, 8, 32, true, 1398 },
	/* raw ESP: 8 bytes more room before the rounding */
	{ "AES-GCM-128, raw",			8, 4, 16, false, 1422 },
	{ "AES-CBC + HMAC-SHA1-96, raw",	16, 16, 12, false, 1414 },
	{ "AES-CBC + HMAC-SHA256-128, raw",	16, 16, 16, false, 1414 },
	{ "AES-CBC + HMAC-SHA512-256, raw",	16, 16, 32, false, 1398 },
	{ "3DES-CBC + HMAC-SHA1-96, raw",	8, 8, 12, false, 1422 },
	{ "AES-CBC + HMAC-SHA384-192, raw",	16, 16, 24, false, 1398 },
};

/* Outer IPv4 packet length for an inner MTU-sized packet. */
static unsigned int outer_len(unsigned int mtu, const struct mtu_case *c)
{
	unsigned int payload = 8 + L2TP_HDR_MAX_TX + PPP_HDR_MAX + mtu;

	return 20 + (c->udp ? 8 : 0) + 8 + c->iv +
	       roundup(payload + 2, c->block) + c->icv;
}

static void mtu_table(struct kunit *test)
{
	unsigned int i;

	KUNIT_ASSERT_EQ(test, L2TP_HDR_MAX_TX, 12);
	KUNIT_ASSERT_EQ(test, PPP_HDR_MAX, 4);
	for (i = 0; i < ARRAY_SIZE(mtu_cases); i++) {
		const struct mtu_case *c = &mtu_cases[i];
		unsigned int mtu = l2tpsec_mtu_for(1500, c->iv, c->block,
						   c->icv, c->udp);

		KUNIT_EXPECT_EQ_MSG(test, mtu, c->want, "%s", c->what);
		/* it fits, and one byte more would not */
		KUNIT_EXPECT_LE_MSG(test, outer_len(mtu, c), 1500U, "%s",
				    c->what);
		KUNIT_EXPECT_GT_MSG(test, outer_len(mtu + 1, c), 1500U, "%s",
				    c->what);
	}
}

/* Other link MTUs: the same maximality, and never below 1280 (IPv6). */
static void mtu_other_links(struct kunit *test)
{
	static const unsigned int links[] = { 1280, 1400, 1420, 1454, 1460,
					      1492, 1500, 4000, 9000 };
	unsigned int i, l;

	for (i = 0; i < ARRAY_SIZE(mtu_cases); i++) {
		const struct mtu_case *c = &mtu_cases[i];

		for (l = 0; l < ARRAY_SIZE(links); l++) {
			unsigned int mtu = l2tpsec_mtu_for(links[l], c->iv,
							   c->block, c->icv,
							   c->udp);

			KUNIT_EXPECT_GE(test, mtu, 1280U);
			if (outer_len(1280, c) > links[l]) {
				/* the link is too small: 1280 regardless */
				KUNIT_EXPECT_EQ_MSG(test, mtu, 1280U,
						    "%s link %u", c->what,
						    links[l]);
				continue;
			}
			KUNIT_EXPECT_LE_MSG(test, outer_len(mtu, c), links[l],
					    "%s link %u", c->what, links[l]);
			KUNIT_EXPECT_GT_MSG(test, outer_len(mtu + 1, c),
					    links[l], "%s link %u", c->what,
					    links[l]);
		}
	}
	/* fixed points */
	KUNIT_EXPECT_EQ(test, l2tpsec_mtu_for(1280, 8, 4, 16, true), 1280U);
	KUNIT_EXPECT_EQ(test, l2tpsec_mtu_for(576, 16, 16, 32, true), 1280U);
	KUNIT_EXPECT_EQ(test, l2tpsec_mtu_for(0, 16, 16, 32, true), 1280U);
	KUNIT_EXPECT_EQ(test, l2tpsec_mtu_for(9000, 8, 4, 16, true), 8914U);
	KUNIT_EXPECT_EQ(test, l2tpsec_mtu_for(1492, 16, 16, 12, true), 1398U);
	KUNIT_EXPECT_EQ(test, l2tpsec_mtu_for(1487, 16, 16, 12, true), 1382U);
}

/* ---- MSS clamping ------------------------------------------------------------ */

#define SYN	0x02
#define ACK	0x10

struct tcp_pkt {
	struct sk_buff	*skb;
	u8		*orig;		/* copy of the packet before clamping */
	unsigned int	len, nhlen;
	bool		v6;
};

static const __be32 v4_src = cpu_to_be32(0xc0000201);	/* 192.0.2.1 */
static const __be32 v4_dst = cpu_to_be32(0xc6336402);	/* 198.51.100.2 */
static const struct in6_addr v6_src = { { { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
					    0, 0, 0, 0, 0, 0, 0, 1 } } };
static const struct in6_addr v6_dst = { { { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0,
					    0, 0, 0, 0, 0, 0, 0, 2 } } };

/* Checksum of the TCP segment at @th of @len bytes, including @th->check. */
static __sum16 tcp_verify(const struct tcp_pkt *p, const u8 *th,
			  unsigned int len)
{
	__wsum sum = csum_partial(th, len, 0);

	if (p->v6)
		return csum_ipv6_magic(&v6_src, &v6_dst, len, IPPROTO_TCP, sum);
	return csum_tcpudp_magic(v4_src, v4_dst, len, IPPROTO_TCP, sum);
}

/*
 * A TCP segment with @flags and @optlen bytes of options (a multiple of 4)
 * and 3 payload bytes, IPv4 with @ip_opts bytes of IP options or IPv6 with
 * next header @nexthdr. A valid TCP checksum, CHECKSUM_NONE.
 */
static void mk_tcp(struct kunit *test, struct tcp_pkt *p, bool v6, u8 flags,
		   const u8 *opts, unsigned int optlen, unsigned int ip_opts,
		   u8 nexthdr, __be16 frag_off)
{
	unsigned int tcplen = sizeof(struct tcphdr) + optlen + 3;
	struct tcphdr *th;
	struct sk_buff *skb;
	u8 *nh;

	KUNIT_ASSERT_EQ(test, optlen % 4, 0);
	p->v6 = v6;
	p->nhlen = v6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr) + ip_opts;
	p->len = p->nhlen + tcplen;
	skb = alloc_skb(LL_MAX_HEADER + p->len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	p->skb = skb;
	skb_reserve(skb, LL_MAX_HEADER);
	nh = skb_put_zero(skb, p->len);
	skb_reset_network_header(skb);

	th = (struct tcphdr *)(nh + p->nhlen);
	th->source = htons(40000);
	th->dest = htons(80);
	th->seq = htonl(0x01020304);
	th->ack_seq = htonl(flags & ACK ? 0x0a0b0c0d : 0);
	th->doff = (sizeof(*th) + optlen) / 4;
	((u8 *)th)[13] = flags;
	th->window = htons(64240);
	memcpy(th + 1, opts, optlen);
	memcpy((u8 *)(th + 1) + optlen, "abc", 3);

	if (v6) {
		struct ipv6hdr *ip6 = (struct ipv6hdr *)nh;

		ip6->version = 6;
		ip6->payload_len = htons(tcplen);
		ip6->nexthdr = nexthdr;
		ip6->hop_limit = 64;
		ip6->saddr = v6_src;
		ip6->daddr = v6_dst;
		skb->protocol = htons(ETH_P_IPV6);
	} else {
		struct iphdr *iph = (struct iphdr *)nh;

		iph->version = 4;
		iph->ihl = (sizeof(*iph) + ip_opts) / 4;
		iph->tot_len = htons(p->len);
		iph->frag_off = frag_off;
		iph->ttl = 64;
		iph->protocol = nexthdr;
		iph->saddr = v4_src;
		iph->daddr = v4_dst;
		memset(iph + 1, IPOPT_NOOP, ip_opts);
		iph->check = ip_fast_csum(iph, iph->ihl);
		skb->protocol = htons(ETH_P_IP);
	}
	th->check = 0;
	th->check = tcp_verify(p, (u8 *)th, tcplen);
	skb->ip_summed = CHECKSUM_NONE;
	KUNIT_ASSERT_EQ(test, (__force u16)tcp_verify(p, (u8 *)th, tcplen), 0);

	p->orig = kunit_kmalloc(test, p->len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p->orig);
	memcpy(p->orig, nh, p->len);
}

/* Offset of the MSS value in the packet, for @mss_opt_off into options. */
static unsigned int mss_off(const struct tcp_pkt *p, unsigned int opt_off)
{
	return p->nhlen + sizeof(struct tcphdr) + opt_off + 2;
}

/*
 * Clamp with @mtu, then check: with @mss_at >= 0, the MSS there is @want
 * and the checksum verifies, and every other byte but the checksum is
 * unchanged; with @mss_at < 0, nothing changed at all.
 */
static void clamp_and_check(struct kunit *test, struct tcp_pkt *p,
			    unsigned int mtu, int mss_at, u16 want,
			    const char *what)
{
	struct sk_buff *skb = p->skb;
	unsigned int i, check_off = p->nhlen + 16;
	const u8 *now;

	l2tpsec_mss_clamp(skb, mtu);
	KUNIT_ASSERT_EQ_MSG(test, skb->len, p->len, "%s", what);
	now = skb_network_header(skb);

	if (mss_at < 0) {
		KUNIT_EXPECT_MEMEQ_MSG(test, now, p->orig, p->len,
				       "%s: must not change", what);
		goto out;
	}
	KUNIT_EXPECT_EQ_MSG(test, get_unaligned_be16(now + mss_off(p, mss_at)),
			    want, "%s: MSS", what);
	KUNIT_EXPECT_EQ_MSG(test,
			    (__force u16)tcp_verify(p, now + p->nhlen,
					    p->len - p->nhlen), 0,
			    "%s: TCP checksum no longer valid", what);
	for (i = 0; i < p->len; i++) {
		if (i == check_off || i == check_off + 1 ||
		    i == mss_off(p, mss_at) || i == mss_off(p, mss_at) + 1)
			continue;
		if (now[i] != p->orig[i]) {
			KUNIT_FAIL(test, "%s: byte %u changed (0x%02x -> 0x%02x)",
				   what, i, p->orig[i], now[i]);
			break;
		}
	}
out:
	kfree_skb(skb);
	p->skb = NULL;
}

struct mss_case {
	const char *what;
	bool v6;
	u8 flags;
	u8 opts[24];
	unsigned int optlen;
	int mss_at;		/* option offset of the MSS kind, -1: untouched */
	u16 want;
};

/* mtu 1400: IPv4 limit 1360 (0x0550), IPv6 limit 1340 (0x053c) */
static const struct mss_case mss_cases[] = {
	{ "v4 MSS 1460", false, SYN, { 2, 4, 0x05, 0xb4 }, 4, 0, 1360 },
	{ "v4 MSS 1361", false, SYN, { 2, 4, 0x05, 0x51 }, 4, 0, 1360 },
	{ "v4 MSS 1360 (equal)", false, SYN, { 2, 4, 0x05, 0x50 }, 4, -1 },
	{ "v4 MSS 1200 (below)", false, SYN, { 2, 4, 0x04, 0xb0 }, 4, -1 },
	{ "v4 MSS 65535", false, SYN, { 2, 4, 0xff, 0xff }, 4, 0, 1360 },
	{ "v4 SYN-ACK MSS 1460", false, SYN | ACK, { 2, 4, 0x05, 0xb4 }, 4, 0,
	  1360 },
	{ "v4 ACK (not SYN)", false, ACK, { 2, 4, 0x05, 0xb4 }, 4, -1 },
	{ "v4 no options", false, SYN, { }, 0, -1 },
	{ "v4 no MSS (NOP, wscale)", false, SYN, { 1, 3, 3, 7 }, 4, -1 },
	/* a Linux SYN: MSS, SACK-permitted, timestamps, NOP, wscale */
	{ "v4 Linux SYN", false, SYN,
	  { 2, 4, 0x05, 0xb4, 4, 2, 8, 10, 1, 2, 3, 4, 0, 0, 0, 0, 1, 3, 3, 7 },
	  20, 0, 1360 },
	/* a Windows SYN: MSS, NOP, wscale, NOP, NOP, SACK-permitted */
	{ "v4 Windows SYN", false, SYN,
	  { 2, 4, 0x05, 0xb4, 1, 3, 3, 8, 1, 1, 4, 2 }, 12, 0, 1360 },
	{ "v4 NOPs then MSS", false, SYN,
	  { 1, 1, 1, 1, 2, 4, 0x23, 0x28 }, 8, 4, 1360 },
	{ "v4 timestamps then MSS", false, SYN,
	  { 1, 1, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8, 2, 4, 0x05, 0xb4 }, 16, 12,
	  1360 },
	{ "v4 EOL before MSS", false, SYN,
	  { 0, 0, 0, 0, 2, 4, 0x05, 0xb4 }, 8, -1 },
	{ "v4 NOP, EOL, MSS", false, SYN,
	  { 1, 0, 1, 1, 2, 4, 0x05, 0xb4 }, 8, -1 },
	{ "v4 MSS truncated by the header end", false, SYN,
	  { 1, 1, 2, 4 }, 4, -1 },
	{ "v4 kind without length at the end", false, SYN,
	  { 1, 1, 1, 2 }, 4, -1 },
	{ "v4 option running past the end", false, SYN,
	  { 8, 10, 1, 2, 3, 4, 2, 4 }, 8, -1 },
	{ "v4 option length 1", false, SYN,
	  { 5, 1, 2, 4, 0x05, 0xb4, 1, 1 }, 8, -1 },
	{ "v4 option length 0", false, SYN,
	  { 5, 0, 2, 4, 0x05, 0xb4, 1, 1 }, 8, -1 },
	{ "v4 MSS kind with length 3", false, SYN,
	  { 2, 3, 0x05, 1, 1, 1, 1, 1 }, 8, -1 },
	{ "v4 MSS kind with length 6", false, SYN,
	  { 2, 6, 0x05, 0xb4, 0, 0, 1, 1 }, 8, -1 },
	{ "v6 MSS 1440", true, SYN, { 2, 4, 0x05, 0xa0 }, 4, 0, 1340 },
	{ "v6 MSS 1341", true, SYN, { 2, 4, 0x05, 0x3d }, 4, 0, 1340 },
	{ "v6 MSS 1340 (equal)", true, SYN, { 2, 4, 0x05, 0x3c }, 4, -1 },
	{ "v6 MSS 1220 (below)", true, SYN, { 2, 4, 0x04, 0xc4 }, 4, -1 },
	{ "v6 SYN-ACK", true, SYN | ACK, { 1, 1, 4, 2, 2, 4, 0x05, 0xa0 }, 8,
	  4, 1340 },
	{ "v6 ACK (not SYN)", true, ACK, { 2, 4, 0x05, 0xa0 }, 4, -1 },
	{ "v6 no MSS", true, SYN, { 1, 3, 3, 7 }, 4, -1 },
	{ "v6 EOL before MSS", true, SYN, { 0, 1, 1, 1, 2, 4, 5, 0xa0 }, 8,
	  -1 },
	{ "v6 truncated MSS", true, SYN, { 1, 1, 2, 4 }, 4, -1 },
};

static void mss_case_desc(const struct mss_case *c, char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mss, mss_cases, mss_case_desc);

static void mss_clamp_cases(struct kunit *test)
{
	const struct mss_case *c = test->param_value;
	struct tcp_pkt p;

	mk_tcp(test, &p, c->v6, c->flags, c->opts, c->optlen, 0, IPPROTO_TCP,
	       0);
	clamp_and_check(test, &p, 1400, c->mss_at, c->want, c->what);
}

static void mss_clamp_limits(struct kunit *test)
{
	static const u8 mss1460[] = { 2, 4, 0x05, 0xb4 };
	struct tcp_pkt p;

	/* the device default (worst case before any SA): 1382 */
	mk_tcp(test, &p, false, SYN, mss1460, 4, 0, IPPROTO_TCP, 0);
	clamp_and_check(test, &p, 1382, 0, 1342, "v4 mtu 1382");
	mk_tcp(test, &p, true, SYN, mss1460, 4, 0, IPPROTO_TCP, 0);
	clamp_and_check(test, &p, 1382, 0, 1322, "v6 mtu 1382");
	/* the IPv6 minimum */
	mk_tcp(test, &p, true, SYN, mss1460, 4, 0, IPPROTO_TCP, 0);
	clamp_and_check(test, &p, 1280, 0, 1220, "v6 mtu 1280");
	/* a big MTU leaves 1460 alone */
	mk_tcp(test, &p, false, SYN, mss1460, 4, 0, IPPROTO_TCP, 0);
	clamp_and_check(test, &p, 1500, -1, 0, "v4 mtu 1500");
}

static void mss_clamp_ip_variants(struct kunit *test)
{
	static const u8 mss1460[] = { 2, 4, 0x05, 0xb4 };
	struct tcp_pkt p;

	/* IPv4 options: the TCP header is found behind them */
	mk_tcp(test, &p, false, SYN, mss1460, 4, 8, IPPROTO_TCP, 0);
	KUNIT_ASSERT_EQ(test, p.nhlen, 28U);
	clamp_and_check(test, &p, 1400, 0, 1360, "v4 with IP options");
	/* fragments are left alone (first fragment with MF, and later ones) */
	mk_tcp(test, &p, false, SYN, mss1460, 4, 0, IPPROTO_TCP,
	       htons(IP_MF));
	clamp_and_check(test, &p, 1400, -1, 0, "v4 MF");
	mk_tcp(test, &p, false, SYN, mss1460, 4, 0, IPPROTO_TCP, htons(16));
	clamp_and_check(test, &p, 1400, -1, 0, "v4 fragment offset");
	/* DF is not a fragment */
	mk_tcp(test, &p, false, SYN, mss1460, 4, 0, IPPROTO_TCP,
	       htons(IP_DF));
	clamp_and_check(test, &p, 1400, 0, 1360, "v4 DF");
	/* not TCP */
	mk_tcp(test, &p, false, SYN, mss1460, 4, 0, IPPROTO_UDP, 0);
	clamp_and_check(test, &p, 1400, -1, 0, "v4 UDP");
	mk_tcp(test, &p, true, SYN, mss1460, 4, 0, IPPROTO_UDP, 0);
	clamp_and_check(test, &p, 1400, -1, 0, "v6 UDP");
	/* an extension header first: documented as skipped */
	mk_tcp(test, &p, true, SYN, mss1460, 4, 0, NEXTHDR_HOP, 0);
	clamp_and_check(test, &p, 1400, -1, 0, "v6 hop-by-hop");
	/* another protocol on the skb */
	mk_tcp(test, &p, false, SYN, mss1460, 4, 0, IPPROTO_TCP, 0);
	p.skb->protocol = htons(ETH_P_ARP);
	clamp_and_check(test, &p, 1400, -1, 0, "ETH_P_ARP");
}

/* A packet shorter than its headers claim must not be read past its end. */
static void mss_clamp_short_packets(struct kunit *test)
{
	static const u8 mss1460[] = { 2, 4, 0x05, 0xb4 };
	unsigned int cut;

	/* 20 (IPv4) + 20 (TCP) + 4 (MSS option) + 3 payload bytes = 47 */
	for (cut = 1; cut <= 47; cut++) {
		struct tcp_pkt p;

		mk_tcp(test, &p, false, SYN, mss1460, 4, 0, IPPROTO_TCP, 0);
		skb_trim(p.skb, p.len - cut);
		l2tpsec_mss_clamp(p.skb, 1400);
		KUNIT_EXPECT_EQ(test, p.skb->len, p.len - cut);
		if (cut <= 3)	/* only payload is missing: still clamped */
			KUNIT_EXPECT_EQ_MSG(test,
					    get_unaligned_be16(p.skb->data +
							       mss_off(&p, 0)),
					    1360, "cut %u", cut);
		else		/* headers incomplete: untouched */
			KUNIT_EXPECT_MEMEQ_MSG(test, p.skb->data, p.orig,
					       p.len - cut, "cut %u", cut);
		kfree_skb(p.skb);
	}
}

static struct kunit_case mtu_cases_list[] = {
	KUNIT_CASE(mtu_table),
	KUNIT_CASE(mtu_other_links),
	KUNIT_CASE_PARAM(mss_clamp_cases, mss_gen_params),
	KUNIT_CASE(mss_clamp_limits),
	KUNIT_CASE(mss_clamp_ip_variants),
	KUNIT_CASE(mss_clamp_short_packets),
	{}
};

static struct kunit_suite mtu_suite = {
	.name = "l2tpsec_mtu",
	.test_cases = mtu_cases_list,
};

kunit_test_suites(&mtu_suite);
