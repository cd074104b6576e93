// SPDX-License-Identifier: GPL-2.0
/*
 * Decoding of the l2tpsec objects from netlink attributes. Every attribute
 * is length-checked by a libnl policy; unknown attributes are skipped so
 * that an older tool reads a newer kernel.
 */
#include <errno.h>
#include <string.h>

#include <linux/genetlink.h>
#include <netlink/genl/genl.h>

#include "genl.h"
#include "objects.h"

static struct nla_policy top_policy[L2TPSEC_A_MAX + 1] = {
	[L2TPSEC_A_IFINDEX]	 = { .type = NLA_U32 },
	[L2TPSEC_A_IFNAME]	 = { .type = NLA_STRING },
	[L2TPSEC_A_SOCK_FD]	 = { .type = NLA_U32 },
	[L2TPSEC_A_MSS_CLAMP]	 = { .type = NLA_U8 },
	[L2TPSEC_A_FRAME_LISTEN] = { .type = NLA_U8 },
	[L2TPSEC_A_SINGLE_SESSION_FALLBACK] = { .type = NLA_U8 },
	[L2TPSEC_A_SOCK_PORT]	 = { .type = NLA_U16 },
	[L2TPSEC_A_DEV_STATS]	 = { .type = NLA_NESTED },
	[L2TPSEC_A_PEER]	 = { .type = NLA_NESTED },
	[L2TPSEC_A_SA]		 = { .type = NLA_NESTED },
	[L2TPSEC_A_SESSION]	 = { .type = NLA_NESTED },
	[L2TPSEC_A_FRAME]	 = { .type = NLA_NESTED },
	[L2TPSEC_A_EVENT]	 = { .type = NLA_NESTED },
};

static struct nla_policy stats_policy[L2TPSEC_A_STATS_MAX + 1] = {
	[L2TPSEC_A_STATS_RX_PACKETS ... L2TPSEC_A_STATS_MAX] = {
		.type = NLA_U64
	},
};

static struct nla_policy peer_policy[L2TPSEC_A_PEER_MAX + 1] = {
	[L2TPSEC_A_PEER_ID]		= { .type = NLA_U32 },
	[L2TPSEC_A_PEER_ENCAP]		= { .type = NLA_U8 },
	[L2TPSEC_A_PEER_LOCAL_IPV4]	= { .type = NLA_U32 },
	[L2TPSEC_A_PEER_REMOTE_IPV4]	= { .type = NLA_U32 },
	[L2TPSEC_A_PEER_LOCAL_PORT]	= { .type = NLA_U16 },
	[L2TPSEC_A_PEER_REMOTE_PORT]	= { .type = NLA_U16 },
	[L2TPSEC_A_PEER_TX_SPI]		= { .type = NLA_U32 },
	[L2TPSEC_A_PEER_STATS]		= { .type = NLA_NESTED },
};

static struct nla_policy sa_policy[L2TPSEC_A_SA_MAX + 1] = {
	[L2TPSEC_A_SA_SPI]		= { .type = NLA_U32 },
	[L2TPSEC_A_SA_DIR]		= { .type = NLA_U8 },
	[L2TPSEC_A_SA_PEER_ID]		= { .type = NLA_U32 },
	[L2TPSEC_A_SA_CIPHER]		= { .type = NLA_U8 },
	[L2TPSEC_A_SA_INTEG]		= { .type = NLA_U8 },
	[L2TPSEC_A_SA_ICV_LEN]		= { .type = NLA_U8 },
	[L2TPSEC_A_SA_REPLAY_WINDOW]	= { .type = NLA_U32 },
	[L2TPSEC_A_SA_SOFT_BYTES]	= { .type = NLA_U64 },
	[L2TPSEC_A_SA_HARD_BYTES]	= { .type = NLA_U64 },
	[L2TPSEC_A_SA_SOFT_PACKETS]	= { .type = NLA_U64 },
	[L2TPSEC_A_SA_HARD_PACKETS]	= { .type = NLA_U64 },
	[L2TPSEC_A_SA_SOFT_SECONDS]	= { .type = NLA_U64 },
	[L2TPSEC_A_SA_HARD_SECONDS]	= { .type = NLA_U64 },
	[L2TPSEC_A_SA_SEQ]		= { .type = NLA_U64 },
	[L2TPSEC_A_SA_AGE]		= { .type = NLA_U64 },
	[L2TPSEC_A_SA_STATS]		= { .type = NLA_NESTED },
};

static struct nla_policy session_policy[L2TPSEC_A_SESSION_MAX + 1] = {
	[L2TPSEC_A_SESSION_PEER_ID]		= { .type = NLA_U32 },
	[L2TPSEC_A_SESSION_LOCAL_TUNNEL_ID]	= { .type = NLA_U16 },
	[L2TPSEC_A_SESSION_LOCAL_SESSION_ID]	= { .type = NLA_U16 },
	[L2TPSEC_A_SESSION_REMOTE_TUNNEL_ID]	= { .type = NLA_U16 },
	[L2TPSEC_A_SESSION_REMOTE_SESSION_ID]	= { .type = NLA_U16 },
	[L2TPSEC_A_SESSION_LOCAL_PORT]		= { .type = NLA_U16 },
	[L2TPSEC_A_SESSION_REMOTE_PORT]		= { .type = NLA_U16 },
	[L2TPSEC_A_SESSION_PEER_IPV4]		= { .type = NLA_U32 },
	[L2TPSEC_A_SESSION_PEER_IPV6]		= { .minlen = 16 },
	[L2TPSEC_A_SESSION_PEER_IPV6_PREFIXLEN]	= { .type = NLA_U8 },
	[L2TPSEC_A_SESSION_L2TP_LENGTH]		= { .type = NLA_U8 },
	[L2TPSEC_A_SESSION_L2TP_SEQ]		= { .type = NLA_U8 },
	[L2TPSEC_A_SESSION_PPP_ACFC]		= { .type = NLA_U8 },
	[L2TPSEC_A_SESSION_PPP_PFC]		= { .type = NLA_U8 },
	[L2TPSEC_A_SESSION_STATS]		= { .type = NLA_NESTED },
};

static struct nla_policy frame_policy[L2TPSEC_A_FRAME_MAX + 1] = {
	[L2TPSEC_A_FRAME_KIND]			= { .type = NLA_U8 },
	[L2TPSEC_A_FRAME_PEER_ID]		= { .type = NLA_U32 },
	[L2TPSEC_A_FRAME_LOCAL_PORT]		= { .type = NLA_U16 },
	[L2TPSEC_A_FRAME_REMOTE_PORT]		= { .type = NLA_U16 },
	[L2TPSEC_A_FRAME_LOCAL_TUNNEL_ID]	= { .type = NLA_U16 },
	[L2TPSEC_A_FRAME_LOCAL_SESSION_ID]	= { .type = NLA_U16 },
	[L2TPSEC_A_FRAME_PAYLOAD]		= { .type = NLA_UNSPEC },
};

static struct nla_policy event_policy[L2TPSEC_A_EVENT_MAX + 1] = {
	[L2TPSEC_A_EVENT_KIND]			= { .type = NLA_U8 },
	[L2TPSEC_A_EVENT_PEER_ID]		= { .type = NLA_U32 },
	[L2TPSEC_A_EVENT_SPI]			= { .type = NLA_U32 },
	[L2TPSEC_A_EVENT_DIR]			= { .type = NLA_U8 },
	[L2TPSEC_A_EVENT_REASON]		= { .type = NLA_U8 },
	[L2TPSEC_A_EVENT_REMOTE_IPV4]		= { .type = NLA_U32 },
	[L2TPSEC_A_EVENT_REMOTE_PORT]		= { .type = NLA_U16 },
	[L2TPSEC_A_EVENT_LOCAL_TUNNEL_ID]	= { .type = NLA_U16 },
	[L2TPSEC_A_EVENT_LOCAL_SESSION_ID]	= { .type = NLA_U16 },
	[L2TPSEC_A_EVENT_ERROR]			= { .type = NLA_U32 },
};

static int parse_nested(struct nlattr **tb, int max, const struct nlattr *nest,
			struct nla_policy *policy)
{
	if (nla_parse_nested(tb, max, (struct nlattr *)nest, policy) < 0)
		return -EBADMSG;
	return 0;
}

static struct in_addr get_in_addr(const struct nlattr *nla)
{
	struct in_addr a;

	memcpy(&a.s_addr, nla_data(nla), sizeof(a.s_addr));
	return a;
}

static uint64_t get_u64(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u64(tb[type]) : 0;
}

static uint32_t get_u32(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u32(tb[type]) : 0;
}

static uint16_t get_u16(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u16(tb[type]) : 0;
}

static uint8_t get_u8(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u8(tb[type]) : 0;
}

int l2_decode_stats(const struct nlattr *nest, struct l2_stats *stats)
{
	struct nlattr *tb[L2TPSEC_A_STATS_MAX + 1];
	int i;

	memset(stats, 0, sizeof(*stats));
	if (!nest)
		return 0;
	if (parse_nested(tb, L2TPSEC_A_STATS_MAX, nest, stats_policy))
		return -EBADMSG;
	for (i = L2TPSEC_A_STATS_RX_PACKETS; i <= L2TPSEC_A_STATS_MAX; i++)
		stats->v[i] = get_u64(tb, i);
	return 0;
}

int l2_decode_dev(const struct nlmsghdr *nlh, struct l2_dev *dev)
{
	struct nlattr *tb[L2TPSEC_A_MAX + 1];

	memset(dev, 0, sizeof(*dev));
	if (l2nl_parse(nlh, tb, L2TPSEC_A_MAX, top_policy))
		return -EBADMSG;
	if (!tb[L2TPSEC_A_IFINDEX])
		return -EBADMSG;
	dev->ifindex = nla_get_u32(tb[L2TPSEC_A_IFINDEX]);
	if (tb[L2TPSEC_A_IFNAME])
		nla_strlcpy(dev->ifname, tb[L2TPSEC_A_IFNAME],
			    sizeof(dev->ifname));
	else if (!if_indextoname(dev->ifindex, dev->ifname))
		dev->ifname[0] = '\0';
	dev->sock_port = get_u16(tb, L2TPSEC_A_SOCK_PORT);
	dev->mss_clamp = get_u8(tb, L2TPSEC_A_MSS_CLAMP);
	if (tb[L2TPSEC_A_FRAME_LISTEN]) {
		dev->has_frame_listen = true;
		dev->frame_listen = nla_get_u8(tb[L2TPSEC_A_FRAME_LISTEN]);
	}
	if (tb[L2TPSEC_A_SINGLE_SESSION_FALLBACK]) {
		dev->has_fallback = true;
		dev->fallback =
			nla_get_u8(tb[L2TPSEC_A_SINGLE_SESSION_FALLBACK]);
	}
	return l2_decode_stats(tb[L2TPSEC_A_DEV_STATS], &dev->stats);
}

int l2_decode_peer(const struct nlattr *nest, struct l2_peer *peer)
{
	struct nlattr *tb[L2TPSEC_A_PEER_MAX + 1];

	memset(peer, 0, sizeof(*peer));
	if (parse_nested(tb, L2TPSEC_A_PEER_MAX, nest, peer_policy))
		return -EBADMSG;
	if (!tb[L2TPSEC_A_PEER_ID])
		return -EBADMSG;
	peer->id = nla_get_u32(tb[L2TPSEC_A_PEER_ID]);
	peer->encap = get_u8(tb, L2TPSEC_A_PEER_ENCAP);
	if (tb[L2TPSEC_A_PEER_LOCAL_IPV4])
		peer->local = get_in_addr(tb[L2TPSEC_A_PEER_LOCAL_IPV4]);
	if (tb[L2TPSEC_A_PEER_REMOTE_IPV4])
		peer->remote = get_in_addr(tb[L2TPSEC_A_PEER_REMOTE_IPV4]);
	peer->local_port = get_u16(tb, L2TPSEC_A_PEER_LOCAL_PORT);
	peer->remote_port = get_u16(tb, L2TPSEC_A_PEER_REMOTE_PORT);
	peer->tx_spi = get_u32(tb, L2TPSEC_A_PEER_TX_SPI);
	return l2_decode_stats(tb[L2TPSEC_A_PEER_STATS], &peer->stats);
}

int l2_decode_sa(const struct nlattr *nest, struct l2_sa *sa)
{
	struct nlattr *tb[L2TPSEC_A_SA_MAX + 1];

	memset(sa, 0, sizeof(*sa));
	if (parse_nested(tb, L2TPSEC_A_SA_MAX, nest, sa_policy))
		return -EBADMSG;
	if (!tb[L2TPSEC_A_SA_SPI])
		return -EBADMSG;
	sa->spi = nla_get_u32(tb[L2TPSEC_A_SA_SPI]);
	sa->dir = get_u8(tb, L2TPSEC_A_SA_DIR);
	sa->peer_id = get_u32(tb, L2TPSEC_A_SA_PEER_ID);
	sa->cipher = get_u8(tb, L2TPSEC_A_SA_CIPHER);
	sa->integ = get_u8(tb, L2TPSEC_A_SA_INTEG);
	sa->icv_len = get_u8(tb, L2TPSEC_A_SA_ICV_LEN);
	sa->replay_window = get_u32(tb, L2TPSEC_A_SA_REPLAY_WINDOW);
	sa->soft_bytes = get_u64(tb, L2TPSEC_A_SA_SOFT_BYTES);
	sa->hard_bytes = get_u64(tb, L2TPSEC_A_SA_HARD_BYTES);
	sa->soft_packets = get_u64(tb, L2TPSEC_A_SA_SOFT_PACKETS);
	sa->hard_packets = get_u64(tb, L2TPSEC_A_SA_HARD_PACKETS);
	sa->soft_seconds = get_u64(tb, L2TPSEC_A_SA_SOFT_SECONDS);
	sa->hard_seconds = get_u64(tb, L2TPSEC_A_SA_HARD_SECONDS);
	sa->seq = get_u64(tb, L2TPSEC_A_SA_SEQ);
	sa->age = get_u64(tb, L2TPSEC_A_SA_AGE);
	return l2_decode_stats(tb[L2TPSEC_A_SA_STATS], &sa->stats);
}

int l2_decode_session(const struct nlattr *nest, struct l2_session *s)
{
	struct nlattr *tb[L2TPSEC_A_SESSION_MAX + 1];

	memset(s, 0, sizeof(*s));
	if (parse_nested(tb, L2TPSEC_A_SESSION_MAX, nest, session_policy))
		return -EBADMSG;
	s->peer_id = get_u32(tb, L2TPSEC_A_SESSION_PEER_ID);
	s->local_tunnel_id = get_u16(tb, L2TPSEC_A_SESSION_LOCAL_TUNNEL_ID);
	s->local_session_id = get_u16(tb, L2TPSEC_A_SESSION_LOCAL_SESSION_ID);
	s->remote_tunnel_id = get_u16(tb, L2TPSEC_A_SESSION_REMOTE_TUNNEL_ID);
	s->remote_session_id =
		get_u16(tb, L2TPSEC_A_SESSION_REMOTE_SESSION_ID);
	s->local_port = get_u16(tb, L2TPSEC_A_SESSION_LOCAL_PORT);
	s->remote_port = get_u16(tb, L2TPSEC_A_SESSION_REMOTE_PORT);
	if (tb[L2TPSEC_A_SESSION_PEER_IPV4]) {
		s->has_ipv4 = true;
		s->peer_ipv4 = get_in_addr(tb[L2TPSEC_A_SESSION_PEER_IPV4]);
	}
	if (tb[L2TPSEC_A_SESSION_PEER_IPV6]) {
		s->has_ipv6 = true;
		memcpy(&s->peer_ipv6, nla_data(tb[L2TPSEC_A_SESSION_PEER_IPV6]),
		       sizeof(s->peer_ipv6));
		s->peer_ipv6_plen =
			tb[L2TPSEC_A_SESSION_PEER_IPV6_PREFIXLEN] ?
			get_u8(tb, L2TPSEC_A_SESSION_PEER_IPV6_PREFIXLEN) :
			128;
	}
	s->l2tp_length = get_u8(tb, L2TPSEC_A_SESSION_L2TP_LENGTH);
	s->l2tp_seq = get_u8(tb, L2TPSEC_A_SESSION_L2TP_SEQ);
	s->ppp_acfc = get_u8(tb, L2TPSEC_A_SESSION_PPP_ACFC);
	s->ppp_pfc = get_u8(tb, L2TPSEC_A_SESSION_PPP_PFC);
	return l2_decode_stats(tb[L2TPSEC_A_SESSION_STATS], &s->stats);
}

static uint32_t has_mask(struct nlattr **tb, int max)
{
	uint32_t has = 0;
	int i;

	for (i = 1; i <= max && i < 32; i++)
		if (tb[i])
			has |= L2_HAS(i);
	return has;
}

int l2_decode_frame(const struct nlmsghdr *nlh, struct l2_frame *f)
{
	struct nlattr *top[L2TPSEC_A_MAX + 1];
	struct nlattr *tb[L2TPSEC_A_FRAME_MAX + 1];

	memset(f, 0, sizeof(*f));
	if (l2nl_parse(nlh, top, L2TPSEC_A_MAX, top_policy) ||
	    !top[L2TPSEC_A_FRAME] ||
	    parse_nested(tb, L2TPSEC_A_FRAME_MAX, top[L2TPSEC_A_FRAME],
			 frame_policy))
		return -EBADMSG;
	f->ifindex = get_u32(top, L2TPSEC_A_IFINDEX);
	f->has = has_mask(tb, L2TPSEC_A_FRAME_MAX);
	f->kind = get_u8(tb, L2TPSEC_A_FRAME_KIND);
	f->peer_id = get_u32(tb, L2TPSEC_A_FRAME_PEER_ID);
	f->local_port = get_u16(tb, L2TPSEC_A_FRAME_LOCAL_PORT);
	f->remote_port = get_u16(tb, L2TPSEC_A_FRAME_REMOTE_PORT);
	f->tunnel_id = get_u16(tb, L2TPSEC_A_FRAME_LOCAL_TUNNEL_ID);
	f->session_id = get_u16(tb, L2TPSEC_A_FRAME_LOCAL_SESSION_ID);
	if (tb[L2TPSEC_A_FRAME_PAYLOAD]) {
		f->payload = nla_data(tb[L2TPSEC_A_FRAME_PAYLOAD]);
		f->len = (size_t)nla_len(tb[L2TPSEC_A_FRAME_PAYLOAD]);
	}
	return 0;
}

int l2_decode_event(const struct nlmsghdr *nlh, struct l2_event *e)
{
	struct nlattr *top[L2TPSEC_A_MAX + 1];
	struct nlattr *tb[L2TPSEC_A_EVENT_MAX + 1];

	memset(e, 0, sizeof(*e));
	if (l2nl_parse(nlh, top, L2TPSEC_A_MAX, top_policy) ||
	    !top[L2TPSEC_A_EVENT] ||
	    parse_nested(tb, L2TPSEC_A_EVENT_MAX, top[L2TPSEC_A_EVENT],
			 event_policy))
		return -EBADMSG;
	e->ifindex = get_u32(top, L2TPSEC_A_IFINDEX);
	e->has = has_mask(tb, L2TPSEC_A_EVENT_MAX);
	e->kind = get_u8(tb, L2TPSEC_A_EVENT_KIND);
	e->peer_id = get_u32(tb, L2TPSEC_A_EVENT_PEER_ID);
	e->spi = get_u32(tb, L2TPSEC_A_EVENT_SPI);
	e->dir = get_u8(tb, L2TPSEC_A_EVENT_DIR);
	e->reason = get_u8(tb, L2TPSEC_A_EVENT_REASON);
	if (tb[L2TPSEC_A_EVENT_REMOTE_IPV4])
		e->remote = get_in_addr(tb[L2TPSEC_A_EVENT_REMOTE_IPV4]);
	e->remote_port = get_u16(tb, L2TPSEC_A_EVENT_REMOTE_PORT);
	e->tunnel_id = get_u16(tb, L2TPSEC_A_EVENT_LOCAL_TUNNEL_ID);
	e->session_id = get_u16(tb, L2TPSEC_A_EVENT_LOCAL_SESSION_ID);
	e->error = get_u32(tb, L2TPSEC_A_EVENT_ERROR);
	return 0;
}

int l2_for_each_nest(const struct nlmsghdr *nlh, int type,
		     int (*fn)(const struct nlattr *nest, void *arg),
		     void *arg)
{
	const struct genlmsghdr *ghdr = NLMSG_DATA(nlh);
	struct nlattr *nla;
	int rem, ret;

	if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		return -EBADMSG;
	nla_for_each_attr(nla, genlmsg_attrdata(ghdr, 0),
			  genlmsg_attrlen(ghdr, 0), rem) {
		if (nla_type(nla) != type)
			continue;
		ret = fn(nla, arg);
		if (ret < 0)
			return ret;
	}
	return 0;
}
