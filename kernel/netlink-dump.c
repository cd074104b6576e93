// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsec: replies and dumps of the generic netlink family. Objects are
 * read under l2tpsec_dev::lock; each part of a dump looks its device up
 * again and reports the device's generation through NLM_F_DUMP_INTR.
 */

#include <linux/in.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <net/genetlink.h>
#include <net/inet_sock.h>
#include <net/sock.h>

#include "l2tpsec.h"
#include "netlink-priv.h"

static_assert(L2TPSEC_STAT_ATTR(L2TPSEC_STAT_NUM) == __L2TPSEC_A_STATS_MAX);

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

int l2tpsec_nl_fill_dev(struct sk_buff *msg, struct l2tpsec_dev *ldev,
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
int l2tpsec_nl_fill_peer(struct sk_buff *msg, struct l2tpsec_dev *ldev,
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
int l2tpsec_nl_fill_sa(struct sk_buff *msg, struct l2tpsec_dev *ldev,
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
int l2tpsec_nl_fill_session(struct sk_buff *msg,
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
int l2tpsec_nl_dump_start(struct netlink_callback *cb)
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
				       attrs[L2TPSEC_A_SA], l2tpsec_sa_nl_policy,
				       cb->extack) ?:
		      l2tpsec_nl_read_only(L2TPSEC_A_SA, tb, cb->extack);
		if (err)
			return err;
		if (tb[L2TPSEC_A_SA_PEER_ID])
			ctx->peer_id = nla_get_u32(tb[L2TPSEC_A_SA_PEER_ID]);
	} else if (ghdr->cmd == L2TPSEC_CMD_SESSION_GET &&
		   attrs[L2TPSEC_A_SESSION]) {
		err = nla_parse_nested(tb, L2TPSEC_A_SESSION_MAX,
				       attrs[L2TPSEC_A_SESSION],
				       l2tpsec_session_nl_policy, cb->extack) ?:
		      l2tpsec_nl_read_only(L2TPSEC_A_SESSION, tb, cb->extack);
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

int l2tpsec_nl_peer_get_dumpit(struct sk_buff *skb,
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

int l2tpsec_nl_sa_get_dumpit(struct sk_buff *skb,
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

int l2tpsec_nl_session_get_dumpit(struct sk_buff *skb,
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
int l2tpsec_nl_dev_get_dumpit(struct sk_buff *skb,
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

