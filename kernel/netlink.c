// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsec: the "l2tpsec" generic netlink family.
 *
 * Requests name a device (L2TPSEC_A_IFINDEX or L2TPSEC_A_IFNAME) and carry
 * one object nest (PEER, SA, SESSION or FRAME). Every operation needs
 * CAP_NET_ADMIN in the user namespace owning the device's network namespace.
 * Every configuration change runs under l2tpsec_dev::lock and bumps
 * l2tpsec_dev::generation, which the dumps report through NLM_F_DUMP_INTR.
 *
 * The contract is include/uapi/linux/l2tpsec.h, described by
 * Documentation/netlink/specs/l2tpsec.yaml; see Documentation/netlink.rst.
 */

#include <linux/in.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>
#include <net/inet_sock.h>
#include <net/sock.h>

#include "l2tpsec.h"

static struct genl_family l2tpsec_nl_family;

/* Index of L2TPSEC_MCGRP_EVENTS in l2tpsec_nl_mcgrps[]. */
#define L2TPSEC_NL_MCGRP_EVENTS	0

/* Longest frame payload the daemon may hand us. */
#define L2TPSEC_NL_PAYLOAD_MAX	4000
/* Shortest L2TP control message: flags, length, ids, Ns, Nr. */
#define L2TPSEC_NL_L2TP_CTRL_MIN	12
/* A PPP frame starts with its 2-byte protocol number. */
#define L2TPSEC_NL_PPP_MIN	2

#define L2TPSEC_NL_ENC_KEY_MAX	36	/* AES-256 key + 4-byte GCM salt */
#define L2TPSEC_NL_AUTH_KEY_MAX	64	/* HMAC-SHA512 */
#define L2TPSEC_NL_ICV_MAX	32

static_assert(L2TPSEC_STAT_ATTR(L2TPSEC_STAT_NUM) == __L2TPSEC_A_STATS_MAX);

/* ---- policies ---------------------------------------------------------- */

#define L2TPSEC_NLA_BOOL	NLA_POLICY_MAX(NLA_U8, 1)
#define L2TPSEC_NLA_READ_ONLY	{ .type = NLA_REJECT,			\
				  .reject_message = "read-only attribute" }
#define L2TPSEC_NLA_IPV4	NLA_POLICY_EXACT_LEN(sizeof(__be32))
#define L2TPSEC_NLA_IPV6	NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr))

static const struct nla_policy l2tpsec_peer_policy[L2TPSEC_A_PEER_MAX + 1] = {
	[L2TPSEC_A_PEER_ID]		= NLA_POLICY_MIN(NLA_U32, 1),
	[L2TPSEC_A_PEER_ENCAP]		= NLA_POLICY_MAX(NLA_U8,
							 L2TPSEC_ENCAP_UDP),
	[L2TPSEC_A_PEER_LOCAL_IPV4]	= L2TPSEC_NLA_IPV4,
	[L2TPSEC_A_PEER_REMOTE_IPV4]	= L2TPSEC_NLA_IPV4,
	[L2TPSEC_A_PEER_LOCAL_PORT]	= { .type = NLA_U16 },
	[L2TPSEC_A_PEER_REMOTE_PORT]	= NLA_POLICY_MIN(NLA_U16, 1),
	[L2TPSEC_A_PEER_TX_SPI]		= NLA_POLICY_MIN(NLA_U32, 1),
	[L2TPSEC_A_PEER_STATS]		= L2TPSEC_NLA_READ_ONLY,
};

static const struct nla_policy l2tpsec_sa_policy[L2TPSEC_A_SA_MAX + 1] = {
	/* L2TPSEC_A_SA_PAD has no entry: strict parsing rejects it. */
	[L2TPSEC_A_SA_SPI]		= NLA_POLICY_MIN(NLA_U32, 1),
	[L2TPSEC_A_SA_DIR]		= NLA_POLICY_RANGE(NLA_U8,
							   L2TPSEC_DIR_IN,
							   L2TPSEC_DIR_OUT),
	[L2TPSEC_A_SA_PEER_ID]		= NLA_POLICY_MIN(NLA_U32, 1),
	[L2TPSEC_A_SA_CIPHER]		= NLA_POLICY_RANGE(NLA_U8, 1,
							   L2TPSEC_CIPHER_MAX),
	[L2TPSEC_A_SA_INTEG]		= NLA_POLICY_MAX(NLA_U8,
							 L2TPSEC_INTEG_MAX),
	[L2TPSEC_A_SA_ENC_KEY]		= { .type = NLA_BINARY,
					    .len = L2TPSEC_NL_ENC_KEY_MAX },
	[L2TPSEC_A_SA_AUTH_KEY]		= { .type = NLA_BINARY,
					    .len = L2TPSEC_NL_AUTH_KEY_MAX },
	[L2TPSEC_A_SA_ICV_LEN]		= NLA_POLICY_MAX(NLA_U8,
							 L2TPSEC_NL_ICV_MAX),
	[L2TPSEC_A_SA_REPLAY_WINDOW]	=
		NLA_POLICY_RANGE(NLA_U32, L2TPSEC_REPLAY_WINDOW_DEFAULT,
				 L2TPSEC_REPLAY_WINDOW_MAX),
	[L2TPSEC_A_SA_SOFT_BYTES]	= { .type = NLA_U64 },
	[L2TPSEC_A_SA_HARD_BYTES]	= { .type = NLA_U64 },
	[L2TPSEC_A_SA_SOFT_PACKETS]	= { .type = NLA_U64 },
	[L2TPSEC_A_SA_HARD_PACKETS]	= { .type = NLA_U64 },
	[L2TPSEC_A_SA_SOFT_SECONDS]	= { .type = NLA_U64 },
	[L2TPSEC_A_SA_HARD_SECONDS]	= { .type = NLA_U64 },
	[L2TPSEC_A_SA_SEQ]		= L2TPSEC_NLA_READ_ONLY,
	[L2TPSEC_A_SA_AGE]		= L2TPSEC_NLA_READ_ONLY,
	[L2TPSEC_A_SA_STATS]		= L2TPSEC_NLA_READ_ONLY,
};

static const struct nla_policy
l2tpsec_session_policy[L2TPSEC_A_SESSION_MAX + 1] = {
	[L2TPSEC_A_SESSION_PEER_ID]		= NLA_POLICY_MIN(NLA_U32, 1),
	[L2TPSEC_A_SESSION_LOCAL_TUNNEL_ID]	= NLA_POLICY_MIN(NLA_U16, 1),
	[L2TPSEC_A_SESSION_LOCAL_SESSION_ID]	= NLA_POLICY_MIN(NLA_U16, 1),
	[L2TPSEC_A_SESSION_REMOTE_TUNNEL_ID]	= NLA_POLICY_MIN(NLA_U16, 1),
	[L2TPSEC_A_SESSION_REMOTE_SESSION_ID]	= NLA_POLICY_MIN(NLA_U16, 1),
	[L2TPSEC_A_SESSION_LOCAL_PORT]		= NLA_POLICY_MIN(NLA_U16, 1),
	[L2TPSEC_A_SESSION_REMOTE_PORT]		= NLA_POLICY_MIN(NLA_U16, 1),
	[L2TPSEC_A_SESSION_PEER_IPV4]		= L2TPSEC_NLA_IPV4,
	[L2TPSEC_A_SESSION_PEER_IPV6]		= L2TPSEC_NLA_IPV6,
	[L2TPSEC_A_SESSION_PEER_IPV6_PREFIXLEN]	= NLA_POLICY_RANGE(NLA_U8,
								   64, 128),
	[L2TPSEC_A_SESSION_L2TP_LENGTH]		= L2TPSEC_NLA_BOOL,
	[L2TPSEC_A_SESSION_L2TP_SEQ]		= L2TPSEC_NLA_BOOL,
	[L2TPSEC_A_SESSION_PPP_ACFC]		= L2TPSEC_NLA_BOOL,
	[L2TPSEC_A_SESSION_PPP_PFC]		= L2TPSEC_NLA_BOOL,
	[L2TPSEC_A_SESSION_STATS]		= L2TPSEC_NLA_READ_ONLY,
};

static const struct nla_policy l2tpsec_frame_policy[L2TPSEC_A_FRAME_MAX + 1] = {
	[L2TPSEC_A_FRAME_KIND]		= NLA_POLICY_RANGE(NLA_U8,
							   L2TPSEC_FRAME_L2TP_CTRL,
							   L2TPSEC_FRAME_PPP),
	[L2TPSEC_A_FRAME_PEER_ID]	= NLA_POLICY_MIN(NLA_U32, 1),
	[L2TPSEC_A_FRAME_LOCAL_PORT]	= NLA_POLICY_MIN(NLA_U16, 1),
	[L2TPSEC_A_FRAME_REMOTE_PORT]	= NLA_POLICY_MIN(NLA_U16, 1),
	[L2TPSEC_A_FRAME_LOCAL_TUNNEL_ID] = NLA_POLICY_MIN(NLA_U16, 1),
	[L2TPSEC_A_FRAME_LOCAL_SESSION_ID] = NLA_POLICY_MIN(NLA_U16, 1),
	[L2TPSEC_A_FRAME_PAYLOAD]	= { .type = NLA_BINARY,
					    .len = L2TPSEC_NL_PAYLOAD_MAX },
};

static const struct nla_policy l2tpsec_nl_policy[L2TPSEC_A_MAX + 1] = {
	[L2TPSEC_A_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[L2TPSEC_A_IFNAME]	= { .type = NLA_NUL_STRING,
				    .len = IFNAMSIZ - 1 },
	[L2TPSEC_A_SOCK_FD]	= NLA_POLICY_MIN(NLA_S32, -1),
	[L2TPSEC_A_MSS_CLAMP]	= L2TPSEC_NLA_BOOL,
	[L2TPSEC_A_FRAME_LISTEN] = L2TPSEC_NLA_BOOL,
	[L2TPSEC_A_SOCK_PORT]	= NLA_POLICY_MIN(NLA_U16, 1),
	[L2TPSEC_A_SOCK_ADDR]	= L2TPSEC_NLA_IPV4,
	[L2TPSEC_A_DEV_STATS]	= L2TPSEC_NLA_READ_ONLY,
	[L2TPSEC_A_PEER]	= NLA_POLICY_NESTED(l2tpsec_peer_policy),
	[L2TPSEC_A_SA]		= NLA_POLICY_NESTED(l2tpsec_sa_policy),
	[L2TPSEC_A_SESSION]	= NLA_POLICY_NESTED(l2tpsec_session_policy),
	[L2TPSEC_A_FRAME]	= NLA_POLICY_NESTED(l2tpsec_frame_policy),
	[L2TPSEC_A_EVENT]	= L2TPSEC_NLA_READ_ONLY,
	[L2TPSEC_A_SINGLE_SESSION_FALLBACK] = L2TPSEC_NLA_BOOL,
};

/* ---- request helpers ------------------------------------------------------ */

/*
 * True (and extack names the attribute) when @attr is missing from @tb,
 * the attributes of @nest (NULL: top level).
 */
#define L2TPSEC_NL_REQ(extack, nest, tb, attr) ({			\
	struct netlink_ext_ack *__ext = (extack);			\
	bool __missing = NL_REQ_ATTR_CHECK(__ext, nest, tb, attr);	\
									\
	if (__missing)							\
		NL_SET_ERR_MSG_MOD(__ext, "missing attribute " #attr);	\
	__missing;							\
})

static u64 l2tpsec_nla_u64(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u64(tb[type]) : 0;
}

static u16 l2tpsec_nla_port(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u16(tb[type]) : L2TPSEC_L2TP_PORT;
}

/*
 * Parse the required object nest @attr of a request into @tb. Nests were
 * validated with the top-level policy already; this parses them strictly
 * again, which also reports the offending attribute.
 */
static int l2tpsec_nl_parse_nest(struct genl_info *info, int attr,
				 struct nlattr **tb, int maxtype,
				 const struct nla_policy *policy)
{
	if (!info->attrs[attr]) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, attr);
		switch (attr) {
		case L2TPSEC_A_PEER:
			NL_SET_ERR_MSG_MOD(info->extack,
					   "missing attribute L2TPSEC_A_PEER");
			break;
		case L2TPSEC_A_SA:
			NL_SET_ERR_MSG_MOD(info->extack,
					   "missing attribute L2TPSEC_A_SA");
			break;
		case L2TPSEC_A_SESSION:
			NL_SET_ERR_MSG_MOD(info->extack,
					   "missing attribute L2TPSEC_A_SESSION");
			break;
		default:
			NL_SET_ERR_MSG_MOD(info->extack,
					   "missing attribute L2TPSEC_A_FRAME");
			break;
		}
		return -EINVAL;
	}
	return nla_parse_nested(tb, maxtype, info->attrs[attr], policy,
				info->extack);
}

/*
 * Resolve the device named by IFINDEX or IFNAME in @net. Returns a held
 * reference (release with l2tpsec_dev_put()) or an ERR_PTR.
 */
static struct l2tpsec_dev *l2tpsec_nl_dev_get(struct net *net,
					      struct nlattr **attrs,
					      struct netlink_ext_ack *extack)
{
	struct nlattr *ifindex = attrs[L2TPSEC_A_IFINDEX];
	struct nlattr *ifname = attrs[L2TPSEC_A_IFNAME];
	struct l2tpsec_dev *ldev;

	if (ifindex) {
		ldev = l2tpsec_dev_get_by_index(net, nla_get_u32(ifindex));
		if (!ldev) {
			NL_SET_ERR_MSG_ATTR(extack, ifindex,
					    "no l2tpsec device has this IFINDEX");
			return ERR_PTR(-ENODEV);
		}
		if (ifname && nla_strcmp(ifname, ldev->dev->name)) {
			l2tpsec_dev_put(ldev);
			NL_SET_ERR_MSG_ATTR(extack, ifname,
					    "IFINDEX and IFNAME name different devices");
			return ERR_PTR(-EINVAL);
		}
		return ldev;
	}
	if (ifname) {
		char name[IFNAMSIZ];

		nla_strscpy(name, ifname, sizeof(name));
		ldev = l2tpsec_dev_get_by_name(net, name);
		if (!ldev) {
			NL_SET_ERR_MSG_ATTR(extack, ifname,
					    "no l2tpsec device has this IFNAME");
			return ERR_PTR(-ENODEV);
		}
		return ldev;
	}
	NL_SET_ERR_MSG_MOD(extack, "missing attribute L2TPSEC_A_IFINDEX or L2TPSEC_A_IFNAME");
	NL_SET_ERR_ATTR_MISS(extack, NULL, L2TPSEC_A_IFINDEX);
	return ERR_PTR(-EINVAL);
}

static struct l2tpsec_dev *l2tpsec_nl_info_dev(struct genl_info *info)
{
	return l2tpsec_nl_dev_get(genl_info_net(info), info->attrs,
				  info->extack);
}

/* Never 0, which nl_dump_check_consistent() treats as "not set". */
static unsigned int l2tpsec_nl_dump_seq(const struct l2tpsec_dev *ldev)
{
	return (ldev->generation << 1) | 1;
}

/* ---- replies ------------------------------------------------------------ */

static int l2tpsec_nla_put_stats(struct sk_buff *msg, int attrtype,
				 const struct l2tpsec_counters *c)
{
	u64 val[L2TPSEC_STAT_NUM];
	struct nlattr *nest;
	int i;

	l2tpsec_counters_read(c, val);
	nest = nla_nest_start(msg, attrtype);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < L2TPSEC_STAT_NUM; i++) {
		if (nla_put_u64_64bit(msg, L2TPSEC_STAT_ATTR(i), val[i],
				      L2TPSEC_A_STATS_PAD)) {
			nla_nest_cancel(msg, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(msg, nest);
	return 0;
}

/*
 * Start a message about an object of @ldev: genetlink header and IFINDEX.
 * @cb is set for dumps, to flag a dump interrupted by a change.
 */
static void *l2tpsec_nl_msg_start(struct sk_buff *msg,
				  const struct l2tpsec_dev *ldev, u32 portid,
				  u32 seq, int flags, u8 cmd,
				  struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &l2tpsec_nl_family, flags, cmd);
	if (!hdr)
		return NULL;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (nla_put_u32(msg, L2TPSEC_A_IFINDEX, ldev->dev->ifindex)) {
		genlmsg_cancel(msg, hdr);
		return NULL;
	}
	return hdr;
}

static int l2tpsec_nl_fill_dev(struct sk_buff *msg, struct l2tpsec_dev *ldev,
			       u32 portid, u32 seq, int flags,
			       struct netlink_callback *cb)
{
	struct sock *sk;
	u16 port = 0;
	void *hdr;

	rcu_read_lock();
	sk = rcu_dereference(ldev->sk);
	if (sk)
		port = ntohs(inet_sk(sk)->inet_sport);
	rcu_read_unlock();

	hdr = l2tpsec_nl_msg_start(msg, ldev, portid, seq, flags,
				   L2TPSEC_CMD_DEV_GET, cb);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(msg, L2TPSEC_A_IFNAME, ldev->dev->name) ||
	    (port && nla_put_u16(msg, L2TPSEC_A_SOCK_PORT, port)) ||
	    nla_put_u8(msg, L2TPSEC_A_MSS_CLAMP, READ_ONCE(ldev->mss_clamp)) ||
	    nla_put_u8(msg, L2TPSEC_A_FRAME_LISTEN,
		       !!READ_ONCE(ldev->frame_portid)) ||
	    nla_put_u8(msg, L2TPSEC_A_SINGLE_SESSION_FALLBACK,
		       READ_ONCE(ldev->fallback)) ||
	    l2tpsec_nla_put_stats(msg, L2TPSEC_A_DEV_STATS, &ldev->stats))
		goto cancel;
	genlmsg_end(msg, hdr);
	return 0;

cancel:
	genlmsg_cancel(msg, hdr);
	return -EMSGSIZE;
}

/* ldev->lock held. */
static int l2tpsec_nl_fill_peer(struct sk_buff *msg, struct l2tpsec_dev *ldev,
				struct l2tpsec_peer *peer, u32 portid, u32 seq,
				int flags, struct netlink_callback *cb)
{
	__be32 local = 0, remote = 0;
	__be16 lport = 0, rport = 0;
	struct l2tpsec_endpoint *ep;
	struct l2tpsec_sa *tx_sa;
	struct nlattr *nest;
	u32 tx_spi = 0;
	void *hdr;

	lockdep_assert_held(&ldev->lock);

	/* The endpoint floats from the RX path, under ep_lock: read it
	 * under RCU even though we hold the configuration lock.
	 */
	rcu_read_lock();
	ep = rcu_dereference(peer->ep);
	if (ep) {
		local = ep->local;
		remote = ep->remote;
		lport = ep->local_port;
		rport = ep->remote_port;
	}
	tx_sa = rcu_dereference(peer->tx_sa);
	if (tx_sa)
		tx_spi = tx_sa->spi;
	rcu_read_unlock();

	hdr = l2tpsec_nl_msg_start(msg, ldev, portid, seq, flags,
				   L2TPSEC_CMD_PEER_GET, cb);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(msg, L2TPSEC_A_PEER);
	if (!nest)
		goto cancel;
	if (nla_put_u32(msg, L2TPSEC_A_PEER_ID, peer->id) ||
	    nla_put_u8(msg, L2TPSEC_A_PEER_ENCAP, peer->encap) ||
	    nla_put_in_addr(msg, L2TPSEC_A_PEER_LOCAL_IPV4, local) ||
	    nla_put_in_addr(msg, L2TPSEC_A_PEER_REMOTE_IPV4, remote))
		goto cancel;
	if (peer->encap == L2TPSEC_ENCAP_UDP &&
	    (nla_put_u16(msg, L2TPSEC_A_PEER_LOCAL_PORT, ntohs(lport)) ||
	     nla_put_u16(msg, L2TPSEC_A_PEER_REMOTE_PORT, ntohs(rport))))
		goto cancel;
	if (tx_spi && nla_put_u32(msg, L2TPSEC_A_PEER_TX_SPI, tx_spi))
		goto cancel;
	if (l2tpsec_nla_put_stats(msg, L2TPSEC_A_PEER_STATS, &peer->stats))
		goto cancel;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return 0;

cancel:
	genlmsg_cancel(msg, hdr);
	return -EMSGSIZE;
}

static int l2tpsec_nla_put_sa_u64(struct sk_buff *msg, int attr, u64 val)
{
	return nla_put_u64_64bit(msg, attr, val, L2TPSEC_A_SA_PAD);
}

/* ldev->lock held. Keys are write-only: never put them here. */
static int l2tpsec_nl_fill_sa(struct sk_buff *msg, struct l2tpsec_dev *ldev,
			      struct l2tpsec_sa *sa, u32 portid, u32 seq,
			      int flags, struct netlink_callback *cb)
{
	const struct l2tpsec_sa_lifetime *life = &sa->life;
	time64_t age = ktime_get_seconds() - sa->added;
	struct nlattr *nest;
	void *hdr;

	lockdep_assert_held(&ldev->lock);

	hdr = l2tpsec_nl_msg_start(msg, ldev, portid, seq, flags,
				   L2TPSEC_CMD_SA_GET, cb);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(msg, L2TPSEC_A_SA);
	if (!nest)
		goto cancel;
	if (nla_put_u32(msg, L2TPSEC_A_SA_SPI, sa->spi) ||
	    nla_put_u8(msg, L2TPSEC_A_SA_DIR, sa->dir) ||
	    nla_put_u32(msg, L2TPSEC_A_SA_PEER_ID, sa->peer->id) ||
	    nla_put_u8(msg, L2TPSEC_A_SA_CIPHER, sa->cipher) ||
	    nla_put_u8(msg, L2TPSEC_A_SA_INTEG, sa->integ) ||
	    nla_put_u8(msg, L2TPSEC_A_SA_ICV_LEN, sa->icv_len))
		goto cancel;
	if (sa->dir == L2TPSEC_DIR_IN &&
	    nla_put_u32(msg, L2TPSEC_A_SA_REPLAY_WINDOW, sa->replay.size))
		goto cancel;
	if (l2tpsec_nla_put_sa_u64(msg, L2TPSEC_A_SA_SOFT_BYTES,
				   life->soft_bytes) ||
	    l2tpsec_nla_put_sa_u64(msg, L2TPSEC_A_SA_HARD_BYTES,
				   life->hard_bytes) ||
	    l2tpsec_nla_put_sa_u64(msg, L2TPSEC_A_SA_SOFT_PACKETS,
				   life->soft_packets) ||
	    l2tpsec_nla_put_sa_u64(msg, L2TPSEC_A_SA_HARD_PACKETS,
				   life->hard_packets) ||
	    l2tpsec_nla_put_sa_u64(msg, L2TPSEC_A_SA_SOFT_SECONDS,
				   life->soft_seconds) ||
	    l2tpsec_nla_put_sa_u64(msg, L2TPSEC_A_SA_HARD_SECONDS,
				   life->hard_seconds) ||
	    l2tpsec_nla_put_sa_u64(msg, L2TPSEC_A_SA_SEQ,
				   l2tpsec_sa_last_seq(sa)) ||
	    l2tpsec_nla_put_sa_u64(msg, L2TPSEC_A_SA_AGE, max_t(time64_t, age, 0)) ||
	    l2tpsec_nla_put_stats(msg, L2TPSEC_A_SA_STATS, &sa->stats))
		goto cancel;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return 0;

cancel:
	genlmsg_cancel(msg, hdr);
	return -EMSGSIZE;
}

/* ldev->lock held. */
static int l2tpsec_nl_fill_session(struct sk_buff *msg,
				   struct l2tpsec_dev *ldev,
				   struct l2tpsec_session *s, u32 portid,
				   u32 seq, int flags,
				   struct netlink_callback *cb)
{
	struct nlattr *nest;
	void *hdr;

	lockdep_assert_held(&ldev->lock);

	hdr = l2tpsec_nl_msg_start(msg, ldev, portid, seq, flags,
				   L2TPSEC_CMD_SESSION_GET, cb);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(msg, L2TPSEC_A_SESSION);
	if (!nest)
		goto cancel;
	if (nla_put_u32(msg, L2TPSEC_A_SESSION_PEER_ID, s->peer->id) ||
	    nla_put_u16(msg, L2TPSEC_A_SESSION_LOCAL_TUNNEL_ID,
			s->local_tunnel_id) ||
	    nla_put_u16(msg, L2TPSEC_A_SESSION_LOCAL_SESSION_ID,
			s->local_session_id) ||
	    nla_put_u16(msg, L2TPSEC_A_SESSION_REMOTE_TUNNEL_ID,
			s->remote_tunnel_id) ||
	    nla_put_u16(msg, L2TPSEC_A_SESSION_REMOTE_SESSION_ID,
			s->remote_session_id) ||
	    nla_put_u16(msg, L2TPSEC_A_SESSION_LOCAL_PORT,
			ntohs(s->local_port)) ||
	    nla_put_u16(msg, L2TPSEC_A_SESSION_REMOTE_PORT,
			ntohs(s->remote_port)))
		goto cancel;
	if (s->has_ipv4 &&
	    nla_put_in_addr(msg, L2TPSEC_A_SESSION_PEER_IPV4, s->peer_ipv4))
		goto cancel;
	if (s->has_ipv6 &&
	    (nla_put_in6_addr(msg, L2TPSEC_A_SESSION_PEER_IPV6,
			      &s->peer_ipv6) ||
	     nla_put_u8(msg, L2TPSEC_A_SESSION_PEER_IPV6_PREFIXLEN,
			s->peer_ipv6_plen)))
		goto cancel;
	if (nla_put_u8(msg, L2TPSEC_A_SESSION_L2TP_LENGTH,
		       !!READ_ONCE(s->l2tp_length)) ||
	    nla_put_u8(msg, L2TPSEC_A_SESSION_L2TP_SEQ,
		       !!READ_ONCE(s->l2tp_seq)) ||
	    nla_put_u8(msg, L2TPSEC_A_SESSION_PPP_ACFC,
		       !!READ_ONCE(s->ppp_acfc)) ||
	    nla_put_u8(msg, L2TPSEC_A_SESSION_PPP_PFC,
		       !!READ_ONCE(s->ppp_pfc)) ||
	    l2tpsec_nla_put_stats(msg, L2TPSEC_A_SESSION_STATS, &s->stats))
		goto cancel;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return 0;

cancel:
	genlmsg_cancel(msg, hdr);
	return -EMSGSIZE;
}

/* ---- dumps -------------------------------------------------------------- */

/* Dump state, kept in netlink_callback::ctx between the parts of a dump. */
struct l2tpsec_nl_dump_ctx {
	int		ifindex;	/* the device being dumped */
	u32		peer_id;	/* SA and session dumps: 0 = every peer */
	unsigned long	pos;		/* objects already dumped */
};

static_assert(sizeof(struct l2tpsec_nl_dump_ctx) <=
	      sizeof_field(struct netlink_callback, ctx));

static struct l2tpsec_nl_dump_ctx *l2tpsec_nl_dump_ctx(struct netlink_callback *cb)
{
	return (struct l2tpsec_nl_dump_ctx *)cb->ctx;
}

/*
 * .start of the per-device dumps: resolve the device once, so that a bad
 * request fails with an error instead of an empty dump, and remember its
 * ifindex. Each part looks the device up again: an open dump does not pin
 * the device, and a device deleted meanwhile ends the dump with -ENODEV.
 */
static int l2tpsec_nl_dump_start(struct netlink_callback *cb)
{
	struct l2tpsec_nl_dump_ctx *ctx = l2tpsec_nl_dump_ctx(cb);
	const struct genlmsghdr *ghdr = nlmsg_data(cb->nlh);
	struct nlattr *attrs[L2TPSEC_A_MAX + 1];
	struct nlattr *tb[L2TPSEC_A_SESSION_MAX + 1];
	struct l2tpsec_dev *ldev;
	int err;

	/* Strictly validated by genetlink already; parse again here so the
	 * same code works whatever genl_dumpit_info looks like.
	 */
	err = genlmsg_parse(cb->nlh, &l2tpsec_nl_family, attrs, L2TPSEC_A_MAX,
			    l2tpsec_nl_policy, cb->extack);
	if (err)
		return err;

	ldev = l2tpsec_nl_dev_get(sock_net(cb->skb->sk), attrs, cb->extack);
	if (IS_ERR(ldev))
		return PTR_ERR(ldev);
	memset(ctx, 0, sizeof(*ctx));
	ctx->ifindex = ldev->dev->ifindex;
	l2tpsec_dev_put(ldev);

	/* Optional filter: only the SAs or sessions of one peer. */
	if (ghdr->cmd == L2TPSEC_CMD_SA_GET && attrs[L2TPSEC_A_SA]) {
		err = nla_parse_nested(tb, L2TPSEC_A_SA_MAX,
				       attrs[L2TPSEC_A_SA], l2tpsec_sa_policy,
				       cb->extack);
		if (err)
			return err;
		if (tb[L2TPSEC_A_SA_PEER_ID])
			ctx->peer_id = nla_get_u32(tb[L2TPSEC_A_SA_PEER_ID]);
	} else if (ghdr->cmd == L2TPSEC_CMD_SESSION_GET &&
		   attrs[L2TPSEC_A_SESSION]) {
		err = nla_parse_nested(tb, L2TPSEC_A_SESSION_MAX,
				       attrs[L2TPSEC_A_SESSION],
				       l2tpsec_session_policy, cb->extack);
		if (err)
			return err;
		if (tb[L2TPSEC_A_SESSION_PEER_ID])
			ctx->peer_id =
				nla_get_u32(tb[L2TPSEC_A_SESSION_PEER_ID]);
	}
	return 0;
}

/* Look the dumped device up again and lock it; NULL if it is gone. */
static struct l2tpsec_dev *l2tpsec_nl_dump_lock(struct sk_buff *skb,
						struct netlink_callback *cb)
{
	struct l2tpsec_nl_dump_ctx *ctx = l2tpsec_nl_dump_ctx(cb);
	struct l2tpsec_dev *ldev;

	ldev = l2tpsec_dev_get_by_index(sock_net(skb->sk), ctx->ifindex);
	if (!ldev)
		return NULL;
	mutex_lock(&ldev->lock);
	cb->seq = l2tpsec_nl_dump_seq(ldev);
	return ldev;
}

static int l2tpsec_nl_dump_unlock(struct sk_buff *skb,
				  struct l2tpsec_dev *ldev, int err)
{
	mutex_unlock(&ldev->lock);
	l2tpsec_dev_put(ldev);
	/* An object that does not fit an empty message cannot be dumped. */
	if (err && !skb->len)
		return err;
	return skb->len;
}

static int l2tpsec_nl_peer_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	struct l2tpsec_nl_dump_ctx *ctx = l2tpsec_nl_dump_ctx(cb);
	struct l2tpsec_peer *peer;
	struct l2tpsec_dev *ldev;
	unsigned long idx = 0;
	int err = 0;

	ldev = l2tpsec_nl_dump_lock(skb, cb);
	if (!ldev)
		return -ENODEV;
	list_for_each_entry(peer, &ldev->peers, node) {
		if (idx++ < ctx->pos)
			continue;
		err = l2tpsec_nl_fill_peer(skb, ldev, peer,
					   NETLINK_CB(cb->skb).portid,
					   cb->nlh->nlmsg_seq, NLM_F_MULTI, cb);
		if (err)
			break;
		ctx->pos = idx;
	}
	return l2tpsec_nl_dump_unlock(skb, ldev, err);
}

static int l2tpsec_nl_sa_dumpit(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	struct l2tpsec_nl_dump_ctx *ctx = l2tpsec_nl_dump_ctx(cb);
	struct l2tpsec_peer *peer;
	struct l2tpsec_dev *ldev;
	struct l2tpsec_sa *sa;
	unsigned long idx = 0;
	int err = 0;

	ldev = l2tpsec_nl_dump_lock(skb, cb);
	if (!ldev)
		return -ENODEV;
	list_for_each_entry(peer, &ldev->peers, node) {
		if (ctx->peer_id && peer->id != ctx->peer_id)
			continue;
		list_for_each_entry(sa, &peer->sas, node) {
			if (idx++ < ctx->pos)
				continue;
			err = l2tpsec_nl_fill_sa(skb, ldev, sa,
						 NETLINK_CB(cb->skb).portid,
						 cb->nlh->nlmsg_seq,
						 NLM_F_MULTI, cb);
			if (err)
				goto out;
			ctx->pos = idx;
		}
	}
out:
	return l2tpsec_nl_dump_unlock(skb, ldev, err);
}

static int l2tpsec_nl_session_dumpit(struct sk_buff *skb,
				     struct netlink_callback *cb)
{
	struct l2tpsec_nl_dump_ctx *ctx = l2tpsec_nl_dump_ctx(cb);
	struct l2tpsec_session *s;
	struct l2tpsec_dev *ldev;
	unsigned long idx = 0;
	int err = 0;

	ldev = l2tpsec_nl_dump_lock(skb, cb);
	if (!ldev)
		return -ENODEV;
	list_for_each_entry(s, &ldev->sessions, node) {
		if (ctx->peer_id && s->peer->id != ctx->peer_id)
			continue;
		if (idx++ < ctx->pos)
			continue;
		err = l2tpsec_nl_fill_session(skb, ldev, s,
					      NETLINK_CB(cb->skb).portid,
					      cb->nlh->nlmsg_seq, NLM_F_MULTI,
					      cb);
		if (err)
			break;
		ctx->pos = idx;
	}
	return l2tpsec_nl_dump_unlock(skb, ldev, err);
}

/* The ifindex of the @n-th l2tpsec device of @net, 0 past the last one. */
static int l2tpsec_nl_nth_dev(struct net *net, unsigned long n)
{
	struct net_device *dev;
	unsigned long i = 0;
	int ifindex = 0;

	rcu_read_lock();
	for_each_netdev_rcu(net, dev) {
		if (!l2tpsec_is_dev(dev))
			continue;
		if (i++ == n) {
			ifindex = dev->ifindex;
			break;
		}
	}
	rcu_read_unlock();
	return ifindex;
}

/*
 * Every l2tpsec device of the netns. No lock is held across the walk; the
 * position is counted in the netns' device list, and a device added or
 * removed between two parts changes dev_base_seq and flags the dump.
 */
static int l2tpsec_nl_dev_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct l2tpsec_nl_dump_ctx *ctx = l2tpsec_nl_dump_ctx(cb);
	struct net *net = sock_net(skb->sk);
	struct l2tpsec_dev *ldev;
	int ifindex, err = 0;

	cb->seq = READ_ONCE(net->dev_base_seq);
	while ((ifindex = l2tpsec_nl_nth_dev(net, ctx->pos))) {
		ldev = l2tpsec_dev_get_by_index(net, ifindex);
		if (ldev) {
			err = l2tpsec_nl_fill_dev(skb, ldev,
						  NETLINK_CB(cb->skb).portid,
						  cb->nlh->nlmsg_seq,
						  NLM_F_MULTI, cb);
			l2tpsec_dev_put(ldev);
			if (err)
				break;
		}
		ctx->pos++;
	}
	if (err && !skb->len)
		return err;
	return skb->len;
}

/* ---- the device of a request ---------------------------------------------- */

/*
 * The device a request names, with its configuration lock held: every
 * doit that reads or changes peers, SAs or sessions runs between this and
 * l2tpsec_nl_unlock_dev(). An error pointer when the request names no
 * l2tpsec device.
 */
static struct l2tpsec_dev *l2tpsec_nl_lock_dev(struct genl_info *info)
{
	struct l2tpsec_dev *ldev = l2tpsec_nl_info_dev(info);

	if (!IS_ERR(ldev))
		mutex_lock(&ldev->lock);
	return ldev;
}

/*
 * Undoes l2tpsec_nl_lock_dev() and passes @err on. A request that
 * succeeded and @changed something is announced (generation, event).
 */
static int l2tpsec_nl_unlock_dev(struct l2tpsec_dev *ldev, int err,
				 bool changed)
{
	lockdep_assert_held(&ldev->lock);
	if (!err && changed)
		l2tpsec_dev_changed(ldev);
	mutex_unlock(&ldev->lock);
	l2tpsec_dev_put(ldev);
	return err;
}

/*
 * Puts the one object a GET names into @msg, ldev->lock held; an error
 * (-ENOENT with the extack set) sends no reply.
 */
typedef int (*l2tpsec_nl_fill_one_t)(struct sk_buff *msg,
				     struct l2tpsec_dev *ldev,
				     struct genl_info *info,
				     struct nlattr **tb);

/* The reply to a GET: one object, filled by @fill under the lock. */
static int l2tpsec_nl_reply_one(struct genl_info *info, struct nlattr **tb,
				l2tpsec_nl_fill_one_t fill)
{
	struct l2tpsec_dev *ldev;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	ldev = l2tpsec_nl_lock_dev(info);
	if (IS_ERR(ldev)) {
		err = PTR_ERR(ldev);
		goto free_msg;
	}
	err = l2tpsec_nl_unlock_dev(ldev, fill(msg, ldev, info, tb), false);
	if (err)
		goto free_msg;
	return genlmsg_reply(msg, info);

free_msg:
	nlmsg_free(msg);
	return err;
}

/* ---- device ------------------------------------------------------------- */

static int l2tpsec_nl_dev_fill_one(struct sk_buff *msg,
				   struct l2tpsec_dev *ldev,
				   struct genl_info *info, struct nlattr **tb)
{
	return l2tpsec_nl_fill_dev(msg, ldev, info->snd_portid, info->snd_seq,
				   0, NULL);
}

static int l2tpsec_nl_dev_get_doit(struct sk_buff *skb,
				   struct genl_info *info)
{
	return l2tpsec_nl_reply_one(info, NULL, l2tpsec_nl_dev_fill_one);
}

static int l2tpsec_nl_dev_set_doit(struct sk_buff *skb,
				   struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	struct l2tpsec_dev *ldev;
	bool changed = false;
	int err = 0;

	if (attrs[L2TPSEC_A_FRAME_LISTEN] &&
	    nla_get_u8(attrs[L2TPSEC_A_FRAME_LISTEN]) && !info->snd_portid) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[L2TPSEC_A_FRAME_LISTEN],
				    "FRAME_LISTEN needs a bound netlink socket");
		return -EINVAL;
	}

	if (attrs[L2TPSEC_A_SOCK_FD] && attrs[L2TPSEC_A_SOCK_PORT]) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[L2TPSEC_A_SOCK_PORT],
				    "SOCK_FD and SOCK_PORT exclude each other");
		return -EINVAL;
	}
	if (attrs[L2TPSEC_A_SOCK_ADDR] && !attrs[L2TPSEC_A_SOCK_PORT]) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[L2TPSEC_A_SOCK_ADDR],
				    "SOCK_ADDR needs SOCK_PORT");
		return -EINVAL;
	}

	ldev = l2tpsec_nl_lock_dev(info);
	if (IS_ERR(ldev))
		return PTR_ERR(ldev);
	/*
	 * Frames carry passwords and CHAP exchanges: they belong to one
	 * socket. The holder's port is cleared when its socket is released
	 * (l2tpsec_nl_urelease()), so a port still set is a live listener.
	 */
	if (attrs[L2TPSEC_A_FRAME_LISTEN] &&
	    nla_get_u8(attrs[L2TPSEC_A_FRAME_LISTEN])) {
		u32 holder = READ_ONCE(ldev->frame_portid);

		if (holder && holder != info->snd_portid) {
			NL_SET_ERR_MSG_FMT_MOD(info->extack,
					       "FRAME_LISTEN: netlink port %u listens; stop it first",
					       holder);
			err = -EBUSY;
			goto unlock;
		}
	}
	/* The only other step that can fail goes first: all or nothing. */
	if (attrs[L2TPSEC_A_SOCK_FD]) {
		err = l2tpsec_sock_attach(ldev,
					  nla_get_s32(attrs[L2TPSEC_A_SOCK_FD]),
					  info->extack);
		if (err)
			goto unlock;
		changed = true;
	} else if (attrs[L2TPSEC_A_SOCK_PORT]) {
		__be32 addr = attrs[L2TPSEC_A_SOCK_ADDR] ?
			      nla_get_in_addr(attrs[L2TPSEC_A_SOCK_ADDR]) :
			      htonl(INADDR_ANY);

		err = l2tpsec_sock_open(ldev, addr,
					nla_get_u16(attrs[L2TPSEC_A_SOCK_PORT]),
					info->extack);
		if (err)
			goto unlock;
		changed = true;
	}
	if (attrs[L2TPSEC_A_MSS_CLAMP]) {
		WRITE_ONCE(ldev->mss_clamp,
			   !!nla_get_u8(attrs[L2TPSEC_A_MSS_CLAMP]));
		changed = true;
	}
	if (attrs[L2TPSEC_A_FRAME_LISTEN]) {
		WRITE_ONCE(ldev->frame_portid,
			   nla_get_u8(attrs[L2TPSEC_A_FRAME_LISTEN]) ?
			   info->snd_portid : 0);
		changed = true;
	}
	if (attrs[L2TPSEC_A_SINGLE_SESSION_FALLBACK]) {
		WRITE_ONCE(ldev->fallback,
			   !!nla_get_u8(attrs[L2TPSEC_A_SINGLE_SESSION_FALLBACK]));
		changed = true;
	}
unlock:
	return l2tpsec_nl_unlock_dev(ldev, err, changed);
}

/* ---- peers -------------------------------------------------------------- */

static bool l2tpsec_nl_bad_remote(__be32 addr)
{
	return ipv4_is_zeronet(addr) || ipv4_is_multicast(addr) ||
	       ipv4_is_lbcast(addr);
}

/* PEER_NEW, PEER_SET, PEER_DEL and PEER_GET: the nest, with PEER_ID. */
static int l2tpsec_nl_peer_key(struct genl_info *info, struct nlattr **tb)
{
	int err;

	err = l2tpsec_nl_parse_nest(info, L2TPSEC_A_PEER, tb,
				    L2TPSEC_A_PEER_MAX, l2tpsec_peer_policy);
	if (err)
		return err;
	if (L2TPSEC_NL_REQ(info->extack, info->attrs[L2TPSEC_A_PEER], tb,
			   L2TPSEC_A_PEER_ID))
		return -EINVAL;
	return 0;
}

static int l2tpsec_nl_peer_new_doit(struct sk_buff *skb,
				    struct genl_info *info)
{
	struct nlattr *tb[L2TPSEC_A_PEER_MAX + 1];
	struct nlattr *nest = info->attrs[L2TPSEC_A_PEER];
	struct netlink_ext_ack *extack = info->extack;
	struct l2tpsec_peer_config cfg = {};
	struct l2tpsec_dev *ldev;
	int err;

	err = l2tpsec_nl_peer_key(info, tb);
	if (err)
		return err;
	if (L2TPSEC_NL_REQ(extack, nest, tb, L2TPSEC_A_PEER_REMOTE_IPV4))
		return -EINVAL;
	if (tb[L2TPSEC_A_PEER_TX_SPI]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[L2TPSEC_A_PEER_TX_SPI],
				    "set TX_SPI with PEER_SET once the outbound SA exists");
		return -EINVAL;
	}

	cfg.id = nla_get_u32(tb[L2TPSEC_A_PEER_ID]);
	cfg.encap = tb[L2TPSEC_A_PEER_ENCAP] ?
		    nla_get_u8(tb[L2TPSEC_A_PEER_ENCAP]) : L2TPSEC_ENCAP_NONE;
	cfg.remote = nla_get_in_addr(tb[L2TPSEC_A_PEER_REMOTE_IPV4]);
	if (l2tpsec_nl_bad_remote(cfg.remote)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[L2TPSEC_A_PEER_REMOTE_IPV4],
				    "REMOTE_IPV4 must be a unicast address");
		return -EINVAL;
	}
	if (tb[L2TPSEC_A_PEER_LOCAL_IPV4])
		cfg.local = nla_get_in_addr(tb[L2TPSEC_A_PEER_LOCAL_IPV4]);
	if (cfg.encap == L2TPSEC_ENCAP_UDP) {
		if (L2TPSEC_NL_REQ(extack, nest, tb,
				   L2TPSEC_A_PEER_REMOTE_PORT))
			return -EINVAL;
		cfg.remote_port = nla_get_u16(tb[L2TPSEC_A_PEER_REMOTE_PORT]);
		if (tb[L2TPSEC_A_PEER_LOCAL_PORT])
			cfg.local_port =
				nla_get_u16(tb[L2TPSEC_A_PEER_LOCAL_PORT]);
	} else if (tb[L2TPSEC_A_PEER_LOCAL_PORT] ||
		   tb[L2TPSEC_A_PEER_REMOTE_PORT]) {
		NL_SET_ERR_MSG_MOD(extack,
				   "ports are for ESP-in-UDP peers only (ENCAP 1)");
		return -EINVAL;
	}

	ldev = l2tpsec_nl_lock_dev(info);
	if (IS_ERR(ldev))
		return PTR_ERR(ldev);
	err = l2tpsec_peer_create(ldev, &cfg, extack);
	return l2tpsec_nl_unlock_dev(ldev, err, true);
}

/* ldev->lock held. */
static struct l2tpsec_peer *l2tpsec_nl_peer_find(struct l2tpsec_dev *ldev,
						 struct nlattr *id,
						 struct netlink_ext_ack *extack)
{
	struct l2tpsec_peer *peer;

	peer = l2tpsec_peer_find(ldev, nla_get_u32(id));
	if (!peer)
		NL_SET_ERR_MSG_ATTR(extack, id, "no peer has this id");
	return peer;
}

static int l2tpsec_nl_peer_set_doit(struct sk_buff *skb,
				    struct genl_info *info)
{
	struct nlattr *tb[L2TPSEC_A_PEER_MAX + 1];
	struct netlink_ext_ack *extack = info->extack;
	struct l2tpsec_endpoint *ep;
	struct l2tpsec_peer *peer;
	struct l2tpsec_dev *ldev;
	bool changed = false;
	__be32 addr = 0;
	__be16 port = 0;
	int err;

	err = l2tpsec_nl_peer_key(info, tb);
	if (err)
		return err;
	if (tb[L2TPSEC_A_PEER_ENCAP] || tb[L2TPSEC_A_PEER_LOCAL_IPV4] ||
	    tb[L2TPSEC_A_PEER_LOCAL_PORT]) {
		NL_SET_ERR_MSG_MOD(extack,
				   "ENCAP, LOCAL_IPV4 and LOCAL_PORT cannot be changed: delete and re-create the peer");
		return -EINVAL;
	}
	if (tb[L2TPSEC_A_PEER_REMOTE_IPV4] &&
	    l2tpsec_nl_bad_remote(nla_get_in_addr(tb[L2TPSEC_A_PEER_REMOTE_IPV4]))) {
		NL_SET_ERR_MSG_ATTR(extack, tb[L2TPSEC_A_PEER_REMOTE_IPV4],
				    "REMOTE_IPV4 must be a unicast address");
		return -EINVAL;
	}

	ldev = l2tpsec_nl_lock_dev(info);
	if (IS_ERR(ldev))
		return PTR_ERR(ldev);
	peer = l2tpsec_nl_peer_find(ldev, tb[L2TPSEC_A_PEER_ID], extack);
	if (!peer) {
		err = -ENOENT;
		goto unlock;
	}
	if (tb[L2TPSEC_A_PEER_REMOTE_PORT] &&
	    peer->encap != L2TPSEC_ENCAP_UDP) {
		NL_SET_ERR_MSG_ATTR(extack, tb[L2TPSEC_A_PEER_REMOTE_PORT],
				    "REMOTE_PORT is for ESP-in-UDP peers only");
		err = -EINVAL;
		goto unlock;
	}
	/* The only step that can fail goes first. */
	if (tb[L2TPSEC_A_PEER_TX_SPI]) {
		err = l2tpsec_peer_set_tx_sa(peer,
					     nla_get_u32(tb[L2TPSEC_A_PEER_TX_SPI]),
					     extack);
		if (err)
			goto unlock;
		changed = true;
	}
	if (tb[L2TPSEC_A_PEER_REMOTE_IPV4] || tb[L2TPSEC_A_PEER_REMOTE_PORT]) {
		/* Keep whichever half of the endpoint was not given. */
		rcu_read_lock();
		ep = rcu_dereference(peer->ep);
		if (ep) {
			addr = ep->remote;
			port = ep->remote_port;
		}
		rcu_read_unlock();
		if (tb[L2TPSEC_A_PEER_REMOTE_IPV4])
			addr = nla_get_in_addr(tb[L2TPSEC_A_PEER_REMOTE_IPV4]);
		if (tb[L2TPSEC_A_PEER_REMOTE_PORT])
			port = htons(nla_get_u16(tb[L2TPSEC_A_PEER_REMOTE_PORT]));
		l2tpsec_peer_set_remote(peer, addr, port);
		changed = true;
	}
unlock:
	return l2tpsec_nl_unlock_dev(ldev, err, changed);
}

static int l2tpsec_nl_peer_del_doit(struct sk_buff *skb,
				    struct genl_info *info)
{
	struct nlattr *tb[L2TPSEC_A_PEER_MAX + 1];
	struct l2tpsec_peer *peer;
	struct l2tpsec_dev *ldev;
	int err;

	err = l2tpsec_nl_peer_key(info, tb);
	if (err)
		return err;

	ldev = l2tpsec_nl_lock_dev(info);
	if (IS_ERR(ldev))
		return PTR_ERR(ldev);
	peer = l2tpsec_nl_peer_find(ldev, tb[L2TPSEC_A_PEER_ID], info->extack);
	if (peer)
		l2tpsec_peer_delete(peer);
	return l2tpsec_nl_unlock_dev(ldev, peer ? 0 : -ENOENT, true);
}

static int l2tpsec_nl_peer_fill_one(struct sk_buff *msg,
				    struct l2tpsec_dev *ldev,
				    struct genl_info *info, struct nlattr **tb)
{
	struct l2tpsec_peer *peer;

	peer = l2tpsec_nl_peer_find(ldev, tb[L2TPSEC_A_PEER_ID], info->extack);
	if (!peer)
		return -ENOENT;
	return l2tpsec_nl_fill_peer(msg, ldev, peer, info->snd_portid,
				    info->snd_seq, 0, NULL);
}

static int l2tpsec_nl_peer_get_doit(struct sk_buff *skb,
				    struct genl_info *info)
{
	struct nlattr *tb[L2TPSEC_A_PEER_MAX + 1];
	int err;

	err = l2tpsec_nl_peer_key(info, tb);
	if (err)
		return err;
	return l2tpsec_nl_reply_one(info, tb, l2tpsec_nl_peer_fill_one);
}

/* ---- SAs ------------------------------------------------------------------ */

static int l2tpsec_nl_sa_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[L2TPSEC_A_SA_MAX + 1];
	struct nlattr *nest = info->attrs[L2TPSEC_A_SA];
	struct netlink_ext_ack *extack = info->extack;
	struct l2tpsec_sa_config cfg = {};
	struct l2tpsec_dev *ldev;
	int err;

	err = l2tpsec_nl_parse_nest(info, L2TPSEC_A_SA, tb, L2TPSEC_A_SA_MAX,
				    l2tpsec_sa_policy);
	if (err)
		return err;
	if (L2TPSEC_NL_REQ(extack, nest, tb, L2TPSEC_A_SA_SPI) ||
	    L2TPSEC_NL_REQ(extack, nest, tb, L2TPSEC_A_SA_DIR) ||
	    L2TPSEC_NL_REQ(extack, nest, tb, L2TPSEC_A_SA_PEER_ID) ||
	    L2TPSEC_NL_REQ(extack, nest, tb, L2TPSEC_A_SA_CIPHER) ||
	    L2TPSEC_NL_REQ(extack, nest, tb, L2TPSEC_A_SA_ENC_KEY))
		return -EINVAL;

	cfg.spi = nla_get_u32(tb[L2TPSEC_A_SA_SPI]);
	cfg.dir = nla_get_u8(tb[L2TPSEC_A_SA_DIR]);
	cfg.peer_id = nla_get_u32(tb[L2TPSEC_A_SA_PEER_ID]);
	cfg.cipher = nla_get_u8(tb[L2TPSEC_A_SA_CIPHER]);
	cfg.integ = tb[L2TPSEC_A_SA_INTEG] ?
		    nla_get_u8(tb[L2TPSEC_A_SA_INTEG]) : L2TPSEC_INTEG_NONE;
	if (tb[L2TPSEC_A_SA_ICV_LEN])
		cfg.icv_len = nla_get_u8(tb[L2TPSEC_A_SA_ICV_LEN]);
	/* Keys stay in the request; sa.c copies them into the tfm. */
	cfg.enc_key = nla_data(tb[L2TPSEC_A_SA_ENC_KEY]);
	cfg.enc_key_len = nla_len(tb[L2TPSEC_A_SA_ENC_KEY]);
	if (tb[L2TPSEC_A_SA_AUTH_KEY]) {
		cfg.auth_key = nla_data(tb[L2TPSEC_A_SA_AUTH_KEY]);
		cfg.auth_key_len = nla_len(tb[L2TPSEC_A_SA_AUTH_KEY]);
	}
	if (tb[L2TPSEC_A_SA_REPLAY_WINDOW]) {
		if (cfg.dir != L2TPSEC_DIR_IN) {
			NL_SET_ERR_MSG_ATTR(extack,
					    tb[L2TPSEC_A_SA_REPLAY_WINDOW],
					    "REPLAY_WINDOW is for inbound SAs only");
			return -EINVAL;
		}
		cfg.replay_window =
			nla_get_u32(tb[L2TPSEC_A_SA_REPLAY_WINDOW]);
	}
	cfg.life.soft_bytes = l2tpsec_nla_u64(tb, L2TPSEC_A_SA_SOFT_BYTES);
	cfg.life.hard_bytes = l2tpsec_nla_u64(tb, L2TPSEC_A_SA_HARD_BYTES);
	cfg.life.soft_packets = l2tpsec_nla_u64(tb, L2TPSEC_A_SA_SOFT_PACKETS);
	cfg.life.hard_packets = l2tpsec_nla_u64(tb, L2TPSEC_A_SA_HARD_PACKETS);
	cfg.life.soft_seconds = l2tpsec_nla_u64(tb, L2TPSEC_A_SA_SOFT_SECONDS);
	cfg.life.hard_seconds = l2tpsec_nla_u64(tb, L2TPSEC_A_SA_HARD_SECONDS);

	ldev = l2tpsec_nl_lock_dev(info);
	if (IS_ERR(ldev))
		return PTR_ERR(ldev);
	err = l2tpsec_sa_create(ldev, &cfg, extack);
	return l2tpsec_nl_unlock_dev(ldev, err, true);
}

/*
 * The SA key of SA_DEL and SA_GET: SPI and DIR, plus PEER_ID for outbound
 * SAs (outbound SPIs are unique per peer only). 0 = any peer.
 */
static int l2tpsec_nl_sa_key(struct genl_info *info, struct nlattr **tb)
{
	struct nlattr *nest = info->attrs[L2TPSEC_A_SA];
	struct netlink_ext_ack *extack = info->extack;
	int err;

	err = l2tpsec_nl_parse_nest(info, L2TPSEC_A_SA, tb, L2TPSEC_A_SA_MAX,
				    l2tpsec_sa_policy);
	if (err)
		return err;
	if (L2TPSEC_NL_REQ(extack, nest, tb, L2TPSEC_A_SA_SPI) ||
	    L2TPSEC_NL_REQ(extack, nest, tb, L2TPSEC_A_SA_DIR))
		return -EINVAL;
	if (!tb[L2TPSEC_A_SA_PEER_ID] &&
	    nla_get_u8(tb[L2TPSEC_A_SA_DIR]) == L2TPSEC_DIR_OUT) {
		NL_SET_ERR_MSG_MOD(extack, "PEER_ID required for outbound SA");
		NL_SET_ERR_ATTR_MISS(extack, nest, L2TPSEC_A_SA_PEER_ID);
		return -EINVAL;
	}
	return 0;
}

/* ldev->lock held; @tb passed l2tpsec_nl_sa_key(). */
static struct l2tpsec_sa *l2tpsec_nl_sa_find(struct l2tpsec_dev *ldev,
					     struct nlattr **tb,
					     struct netlink_ext_ack *extack)
{
	struct l2tpsec_sa *sa;

	sa = l2tpsec_sa_find(ldev, nla_get_u32(tb[L2TPSEC_A_SA_SPI]),
			     nla_get_u8(tb[L2TPSEC_A_SA_DIR]),
			     tb[L2TPSEC_A_SA_PEER_ID] ?
			     nla_get_u32(tb[L2TPSEC_A_SA_PEER_ID]) : 0);
	if (!sa)
		NL_SET_ERR_MSG_ATTR(extack, tb[L2TPSEC_A_SA_SPI],
				    "no SA has this SPI, direction and peer");
	return sa;
}

static int l2tpsec_nl_sa_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[L2TPSEC_A_SA_MAX + 1];
	struct l2tpsec_dev *ldev;
	struct l2tpsec_sa *sa;
	int err;

	err = l2tpsec_nl_sa_key(info, tb);
	if (err)
		return err;

	ldev = l2tpsec_nl_lock_dev(info);
	if (IS_ERR(ldev))
		return PTR_ERR(ldev);
	sa = l2tpsec_nl_sa_find(ldev, tb, info->extack);
	if (sa)
		l2tpsec_sa_delete(sa);
	return l2tpsec_nl_unlock_dev(ldev, sa ? 0 : -ENOENT, true);
}

static int l2tpsec_nl_sa_fill_one(struct sk_buff *msg,
				  struct l2tpsec_dev *ldev,
				  struct genl_info *info, struct nlattr **tb)
{
	struct l2tpsec_sa *sa = l2tpsec_nl_sa_find(ldev, tb, info->extack);

	if (!sa)
		return -ENOENT;
	return l2tpsec_nl_fill_sa(msg, ldev, sa, info->snd_portid,
				  info->snd_seq, 0, NULL);
}

static int l2tpsec_nl_sa_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[L2TPSEC_A_SA_MAX + 1];
	int err;

	err = l2tpsec_nl_sa_key(info, tb);
	if (err)
		return err;
	return l2tpsec_nl_reply_one(info, tb, l2tpsec_nl_sa_fill_one);
}

/* ---- sessions ------------------------------------------------------------- */

/* The session key: PEER_ID, LOCAL_TUNNEL_ID and LOCAL_SESSION_ID. */
static int l2tpsec_nl_session_key(struct genl_info *info, struct nlattr **tb)
{
	struct nlattr *nest = info->attrs[L2TPSEC_A_SESSION];
	struct netlink_ext_ack *extack = info->extack;
	int err;

	err = l2tpsec_nl_parse_nest(info, L2TPSEC_A_SESSION, tb,
				    L2TPSEC_A_SESSION_MAX,
				    l2tpsec_session_policy);
	if (err)
		return err;
	if (L2TPSEC_NL_REQ(extack, nest, tb, L2TPSEC_A_SESSION_PEER_ID) ||
	    L2TPSEC_NL_REQ(extack, nest, tb,
			   L2TPSEC_A_SESSION_LOCAL_TUNNEL_ID) ||
	    L2TPSEC_NL_REQ(extack, nest, tb,
			   L2TPSEC_A_SESSION_LOCAL_SESSION_ID))
		return -EINVAL;
	return 0;
}

/* ldev->lock held. */
static struct l2tpsec_session *
l2tpsec_nl_session_find(struct l2tpsec_dev *ldev, struct nlattr **tb,
			struct netlink_ext_ack *extack)
{
	struct l2tpsec_session *s;

	s = l2tpsec_session_find(ldev,
				 nla_get_u32(tb[L2TPSEC_A_SESSION_PEER_ID]),
				 nla_get_u16(tb[L2TPSEC_A_SESSION_LOCAL_TUNNEL_ID]),
				 nla_get_u16(tb[L2TPSEC_A_SESSION_LOCAL_SESSION_ID]));
	if (!s)
		NL_SET_ERR_MSG_ATTR(extack,
				    tb[L2TPSEC_A_SESSION_LOCAL_SESSION_ID],
				    "no session has this peer, tunnel and session id");
	return s;
}

/*
 * Addresses and options of SESSION_NEW and SESSION_SET, applied over
 * @cfg (zeroed for NEW, the current values for SET).
 */
static int l2tpsec_nl_session_opts(struct genl_info *info, struct nlattr **tb,
				   struct l2tpsec_session_config *cfg)
{
	struct netlink_ext_ack *extack = info->extack;

	if (tb[L2TPSEC_A_SESSION_PEER_IPV4]) {
		cfg->has_ipv4 = true;
		cfg->peer_ipv4 = nla_get_in_addr(tb[L2TPSEC_A_SESSION_PEER_IPV4]);
	}
	if (tb[L2TPSEC_A_SESSION_PEER_IPV6]) {
		cfg->peer_ipv6 = nla_get_in6_addr(tb[L2TPSEC_A_SESSION_PEER_IPV6]);
		if (!tb[L2TPSEC_A_SESSION_PEER_IPV6_PREFIXLEN] &&
		    !cfg->has_ipv6) {
			NL_SET_ERR_MSG_MOD(extack,
					   "PEER_IPV6 needs PEER_IPV6_PREFIXLEN");
			NL_SET_ERR_ATTR_MISS(extack,
					     info->attrs[L2TPSEC_A_SESSION],
					     L2TPSEC_A_SESSION_PEER_IPV6_PREFIXLEN);
			return -EINVAL;
		}
		cfg->has_ipv6 = true;
	}
	if (tb[L2TPSEC_A_SESSION_PEER_IPV6_PREFIXLEN]) {
		if (!cfg->has_ipv6) {
			NL_SET_ERR_MSG_ATTR(extack,
					    tb[L2TPSEC_A_SESSION_PEER_IPV6_PREFIXLEN],
					    "PEER_IPV6_PREFIXLEN needs PEER_IPV6");
			return -EINVAL;
		}
		cfg->peer_ipv6_plen =
			nla_get_u8(tb[L2TPSEC_A_SESSION_PEER_IPV6_PREFIXLEN]);
	}
	if (tb[L2TPSEC_A_SESSION_L2TP_LENGTH])
		cfg->l2tp_length = nla_get_u8(tb[L2TPSEC_A_SESSION_L2TP_LENGTH]);
	if (tb[L2TPSEC_A_SESSION_L2TP_SEQ])
		cfg->l2tp_seq = nla_get_u8(tb[L2TPSEC_A_SESSION_L2TP_SEQ]);
	if (tb[L2TPSEC_A_SESSION_PPP_ACFC])
		cfg->ppp_acfc = nla_get_u8(tb[L2TPSEC_A_SESSION_PPP_ACFC]);
	if (tb[L2TPSEC_A_SESSION_PPP_PFC])
		cfg->ppp_pfc = nla_get_u8(tb[L2TPSEC_A_SESSION_PPP_PFC]);
	return 0;
}

static int l2tpsec_nl_session_new_doit(struct sk_buff *skb,
				       struct genl_info *info)
{
	struct nlattr *tb[L2TPSEC_A_SESSION_MAX + 1];
	struct nlattr *nest = info->attrs[L2TPSEC_A_SESSION];
	struct netlink_ext_ack *extack = info->extack;
	struct l2tpsec_session_config cfg = {};
	struct l2tpsec_dev *ldev;
	int err;

	err = l2tpsec_nl_session_key(info, tb);
	if (err)
		return err;
	if (L2TPSEC_NL_REQ(extack, nest, tb,
			   L2TPSEC_A_SESSION_REMOTE_TUNNEL_ID) ||
	    L2TPSEC_NL_REQ(extack, nest, tb,
			   L2TPSEC_A_SESSION_REMOTE_SESSION_ID))
		return -EINVAL;

	cfg.peer_id = nla_get_u32(tb[L2TPSEC_A_SESSION_PEER_ID]);
	cfg.local_tunnel_id = nla_get_u16(tb[L2TPSEC_A_SESSION_LOCAL_TUNNEL_ID]);
	cfg.local_session_id =
		nla_get_u16(tb[L2TPSEC_A_SESSION_LOCAL_SESSION_ID]);
	cfg.remote_tunnel_id =
		nla_get_u16(tb[L2TPSEC_A_SESSION_REMOTE_TUNNEL_ID]);
	cfg.remote_session_id =
		nla_get_u16(tb[L2TPSEC_A_SESSION_REMOTE_SESSION_ID]);
	cfg.local_port = l2tpsec_nla_port(tb, L2TPSEC_A_SESSION_LOCAL_PORT);
	cfg.remote_port = l2tpsec_nla_port(tb, L2TPSEC_A_SESSION_REMOTE_PORT);
	err = l2tpsec_nl_session_opts(info, tb, &cfg);
	if (err)
		return err;

	ldev = l2tpsec_nl_lock_dev(info);
	if (IS_ERR(ldev))
		return PTR_ERR(ldev);
	err = l2tpsec_session_create(ldev, &cfg, extack);
	return l2tpsec_nl_unlock_dev(ldev, err, true);
}

/* SESSION_SET may repeat, but not change, the ids and ports. */
static int l2tpsec_nl_session_fixed(struct netlink_ext_ack *extack,
				    struct nlattr **tb,
				    const struct l2tpsec_session *s)
{
	struct nlattr *a;

	a = tb[L2TPSEC_A_SESSION_REMOTE_TUNNEL_ID];
	if (a && nla_get_u16(a) != s->remote_tunnel_id)
		goto fixed;
	a = tb[L2TPSEC_A_SESSION_REMOTE_SESSION_ID];
	if (a && nla_get_u16(a) != s->remote_session_id)
		goto fixed;
	a = tb[L2TPSEC_A_SESSION_LOCAL_PORT];
	if (a && nla_get_u16(a) != ntohs(s->local_port))
		goto fixed;
	a = tb[L2TPSEC_A_SESSION_REMOTE_PORT];
	if (a && nla_get_u16(a) != ntohs(s->remote_port))
		goto fixed;
	return 0;

fixed:
	NL_SET_ERR_MSG_ATTR(extack, a,
			    "ids and ports cannot be changed: delete and re-create the session");
	return -EINVAL;
}

static int l2tpsec_nl_session_set_doit(struct sk_buff *skb,
				       struct genl_info *info)
{
	struct nlattr *tb[L2TPSEC_A_SESSION_MAX + 1];
	struct netlink_ext_ack *extack = info->extack;
	struct l2tpsec_session_config cfg = {};
	struct l2tpsec_session *s;
	struct l2tpsec_dev *ldev;
	int err;

	err = l2tpsec_nl_session_key(info, tb);
	if (err)
		return err;

	ldev = l2tpsec_nl_lock_dev(info);
	if (IS_ERR(ldev))
		return PTR_ERR(ldev);
	s = l2tpsec_nl_session_find(ldev, tb, extack);
	if (!s) {
		err = -ENOENT;
		goto unlock;
	}
	err = l2tpsec_nl_session_fixed(extack, tb, s);
	if (err)
		goto unlock;

	/* Start from the current values: absent attributes keep theirs. */
	cfg.peer_id = s->peer->id;
	cfg.local_tunnel_id = s->local_tunnel_id;
	cfg.local_session_id = s->local_session_id;
	cfg.remote_tunnel_id = s->remote_tunnel_id;
	cfg.remote_session_id = s->remote_session_id;
	cfg.local_port = ntohs(s->local_port);
	cfg.remote_port = ntohs(s->remote_port);
	cfg.has_ipv4 = s->has_ipv4;
	cfg.peer_ipv4 = s->peer_ipv4;
	cfg.has_ipv6 = s->has_ipv6;
	cfg.peer_ipv6 = s->peer_ipv6;
	cfg.peer_ipv6_plen = s->peer_ipv6_plen;
	cfg.l2tp_length = READ_ONCE(s->l2tp_length);
	cfg.l2tp_seq = READ_ONCE(s->l2tp_seq);
	cfg.ppp_acfc = READ_ONCE(s->ppp_acfc);
	cfg.ppp_pfc = READ_ONCE(s->ppp_pfc);
	err = l2tpsec_nl_session_opts(info, tb, &cfg);
	if (err)
		goto unlock;

	err = l2tpsec_session_update(s, &cfg, extack);
unlock:
	return l2tpsec_nl_unlock_dev(ldev, err, true);
}

static int l2tpsec_nl_session_del_doit(struct sk_buff *skb,
				       struct genl_info *info)
{
	struct nlattr *tb[L2TPSEC_A_SESSION_MAX + 1];
	struct l2tpsec_session *s;
	struct l2tpsec_dev *ldev;
	int err;

	err = l2tpsec_nl_session_key(info, tb);
	if (err)
		return err;

	ldev = l2tpsec_nl_lock_dev(info);
	if (IS_ERR(ldev))
		return PTR_ERR(ldev);
	s = l2tpsec_nl_session_find(ldev, tb, info->extack);
	if (s)
		l2tpsec_session_delete(s);
	return l2tpsec_nl_unlock_dev(ldev, s ? 0 : -ENOENT, true);
}

static int l2tpsec_nl_session_fill_one(struct sk_buff *msg,
				       struct l2tpsec_dev *ldev,
				       struct genl_info *info,
				       struct nlattr **tb)
{
	struct l2tpsec_session *s;

	s = l2tpsec_nl_session_find(ldev, tb, info->extack);
	if (!s)
		return -ENOENT;
	return l2tpsec_nl_fill_session(msg, ldev, s, info->snd_portid,
				       info->snd_seq, 0, NULL);
}

static int l2tpsec_nl_session_get_doit(struct sk_buff *skb,
				       struct genl_info *info)
{
	struct nlattr *tb[L2TPSEC_A_SESSION_MAX + 1];
	int err;

	err = l2tpsec_nl_session_key(info, tb);
	if (err)
		return err;
	return l2tpsec_nl_reply_one(info, tb, l2tpsec_nl_session_fill_one);
}

/* ---- frames: daemon -> module ---------------------------------------------- */

static int l2tpsec_nl_frame_doit(struct sk_buff *skb, struct genl_info *info)
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
				    L2TPSEC_A_FRAME_MAX, l2tpsec_frame_policy);
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

	ldev = l2tpsec_nl_lock_dev(info);
	if (IS_ERR(ldev))
		return PTR_ERR(ldev);
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
	return l2tpsec_nl_unlock_dev(ldev, err, false);
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
				L2TPSEC_NL_MCGRP_EVENTS))
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
				L2TPSEC_NL_MCGRP_EVENTS, GFP_ATOMIC);
	return;

free:
	nlmsg_free(msg);
fail:
	net_dbg_ratelimited("%s: event %u not sent\n", ldev->dev->name,
			    ev->kind);
}

void l2tpsec_nl_frame_rx(struct l2tpsec_dev *ldev, u8 kind, u32 peer_id,
			 u16 local_port, u16 remote_port, u16 tunnel_id,
			 u16 session_id, const u8 *payload, unsigned int len)
{
	u32 portid = READ_ONCE(ldev->frame_portid);
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

void l2tpsec_nl_session_event(struct l2tpsec_session *s, u8 kind, int error)
{
	struct l2tpsec_nl_event ev = {
		.kind = kind,
		.peer_id = s->peer->id,
		.has_session = true,
		.tunnel_id = s->local_tunnel_id,
		.session_id = s->local_session_id,
		.error = abs(error),
	};

	l2tpsec_nl_event_send(s->peer->ldev, &ev);
}

/* ---- family ---------------------------------------------------------------- */

/*
 * Every operation needs CAP_NET_ADMIN in the user namespace of the netns.
 * The family policy applies to every operation; resv_start_op is left at
 * 0 so that every operation is validated strictly.
 */
static const struct genl_ops l2tpsec_nl_ops[] = {
	{
		.cmd	= L2TPSEC_CMD_DEV_GET,
		.doit	= l2tpsec_nl_dev_get_doit,
		.dumpit	= l2tpsec_nl_dev_dumpit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= L2TPSEC_CMD_DEV_SET,
		.doit	= l2tpsec_nl_dev_set_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= L2TPSEC_CMD_PEER_NEW,
		.doit	= l2tpsec_nl_peer_new_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= L2TPSEC_CMD_PEER_SET,
		.doit	= l2tpsec_nl_peer_set_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= L2TPSEC_CMD_PEER_DEL,
		.doit	= l2tpsec_nl_peer_del_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= L2TPSEC_CMD_PEER_GET,
		.doit	= l2tpsec_nl_peer_get_doit,
		.start	= l2tpsec_nl_dump_start,
		.dumpit	= l2tpsec_nl_peer_dumpit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= L2TPSEC_CMD_SA_NEW,
		.doit	= l2tpsec_nl_sa_new_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= L2TPSEC_CMD_SA_DEL,
		.doit	= l2tpsec_nl_sa_del_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= L2TPSEC_CMD_SA_GET,
		.doit	= l2tpsec_nl_sa_get_doit,
		.start	= l2tpsec_nl_dump_start,
		.dumpit	= l2tpsec_nl_sa_dumpit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= L2TPSEC_CMD_SESSION_NEW,
		.doit	= l2tpsec_nl_session_new_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= L2TPSEC_CMD_SESSION_SET,
		.doit	= l2tpsec_nl_session_set_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= L2TPSEC_CMD_SESSION_DEL,
		.doit	= l2tpsec_nl_session_del_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= L2TPSEC_CMD_SESSION_GET,
		.doit	= l2tpsec_nl_session_get_doit,
		.start	= l2tpsec_nl_dump_start,
		.dumpit	= l2tpsec_nl_session_dumpit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= L2TPSEC_CMD_FRAME,
		.doit	= l2tpsec_nl_frame_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group l2tpsec_nl_mcgrps[] = {
	[L2TPSEC_NL_MCGRP_EVENTS] = {
		.name	= L2TPSEC_MCGRP_EVENTS,
		/* Events name peers, addresses and SPIs: admins only. */
		.flags	= GENL_MCAST_CAP_NET_ADMIN,
	},
};

static struct genl_family l2tpsec_nl_family __ro_after_init = {
	.name		= L2TPSEC_FAMILY_NAME,
	.version	= L2TPSEC_FAMILY_VERSION,
	.maxattr	= L2TPSEC_A_MAX,
	.policy		= l2tpsec_nl_policy,
	.netnsok	= true,
	.parallel_ops	= false,
	.module		= THIS_MODULE,
	.ops		= l2tpsec_nl_ops,
	.n_ops		= ARRAY_SIZE(l2tpsec_nl_ops),
	.mcgrps		= l2tpsec_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(l2tpsec_nl_mcgrps),
};

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

int __init l2tpsec_nl_init(void)
{
	int err;

	err = netlink_register_notifier(&l2tpsec_nl_notifier);
	if (err)
		return err;
	err = genl_register_family(&l2tpsec_nl_family);
	if (err)
		goto unregister_notifier;
	return 0;

unregister_notifier:
	netlink_unregister_notifier(&l2tpsec_nl_notifier);
	return err;
}

void l2tpsec_nl_exit(void)
{
	genl_unregister_family(&l2tpsec_nl_family);
	netlink_unregister_notifier(&l2tpsec_nl_notifier);
}
