// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsec: PEER_*, SA_* and SESSION_* requests. Each runs with its
 * device's configuration lock held (l2tpsec_nl_pre_doit()) and reports
 * through l2tpsec_nl_done() whether it changed the device.
 */

#include <linux/in.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <net/xfrm.h>

#include "l2tpsec.h"
#include "netlink-priv.h"

static u64 l2tpsec_nla_u64(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u64(tb[type]) : 0;
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
				    L2TPSEC_A_PEER_MAX, l2tpsec_peer_nl_policy);
	if (err)
		return err;
	if (L2TPSEC_NL_REQ(info->extack, info->attrs[L2TPSEC_A_PEER], tb,
			   L2TPSEC_A_PEER_ID))
		return -EINVAL;
	return 0;
}

int l2tpsec_nl_peer_new_doit(struct sk_buff *skb,
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

	ldev = l2tpsec_nl_req_dev(info);
	err = l2tpsec_peer_create(ldev, &cfg, extack);
	return l2tpsec_nl_done(info, err, true);
}

/* ldev->lock held. */
struct l2tpsec_peer *l2tpsec_nl_peer_find(struct l2tpsec_dev *ldev,
					  struct nlattr *id,
					  struct netlink_ext_ack *extack)
{
	struct l2tpsec_peer *peer;

	peer = l2tpsec_peer_find(ldev, nla_get_u32(id));
	if (!peer)
		NL_SET_ERR_MSG_ATTR(extack, id, "no peer has this id");
	return peer;
}

int l2tpsec_nl_peer_set_doit(struct sk_buff *skb,
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

	ldev = l2tpsec_nl_req_dev(info);
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
	return l2tpsec_nl_done(info, err, changed);
}

int l2tpsec_nl_peer_del_doit(struct sk_buff *skb,
			     struct genl_info *info)
{
	struct nlattr *tb[L2TPSEC_A_PEER_MAX + 1];
	struct l2tpsec_peer *peer;
	struct l2tpsec_dev *ldev;
	int err;

	err = l2tpsec_nl_peer_key(info, tb);
	if (err)
		return err;

	ldev = l2tpsec_nl_req_dev(info);
	peer = l2tpsec_nl_peer_find(ldev, tb[L2TPSEC_A_PEER_ID], info->extack);
	if (peer)
		l2tpsec_peer_delete(peer);
	return l2tpsec_nl_done(info, peer ? 0 : -ENOENT, true);
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

int l2tpsec_nl_peer_get_doit(struct sk_buff *skb,
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

/*
 * True (and extack says so) when an IPv4 ESP state of the host's xfrm, in
 * the request's netns, has the inbound SPI @spi: the xfrm input path and
 * this module would both claim its packets, and which one wins depends on
 * the encapsulation. The daemon must choose another SPI.
 */
static bool l2tpsec_nl_xfrm_has_spi(struct genl_info *info,
				    struct nlattr *spi)
{
	struct xfrm_state *x;
	bool esp;

	x = xfrm_state_lookup_byspi(genl_info_net(info),
				    htonl(nla_get_u32(spi)), AF_INET);
	if (!x)
		return false;
	esp = x->id.proto == IPPROTO_ESP;
	xfrm_state_put(x);
	if (esp)
		NL_SET_ERR_MSG_FMT_MOD(info->extack,
				       "SA_SPI 0x%08x: an xfrm ESP state has it (ip xfrm state)",
				       nla_get_u32(spi));
	return esp;
}

int l2tpsec_nl_sa_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[L2TPSEC_A_SA_MAX + 1];
	struct nlattr *nest = info->attrs[L2TPSEC_A_SA];
	struct netlink_ext_ack *extack = info->extack;
	struct l2tpsec_sa_config cfg = {};
	struct l2tpsec_dev *ldev;
	int err;

	err = l2tpsec_nl_parse_nest(info, L2TPSEC_A_SA, tb, L2TPSEC_A_SA_MAX,
				    l2tpsec_sa_nl_policy);
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

	if (cfg.dir == L2TPSEC_DIR_IN &&
	    l2tpsec_nl_xfrm_has_spi(info, tb[L2TPSEC_A_SA_SPI]))
		return -EEXIST;

	ldev = l2tpsec_nl_req_dev(info);
	err = l2tpsec_sa_create(ldev, &cfg, extack);
	return l2tpsec_nl_done(info, err, true);
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
				    l2tpsec_sa_nl_policy);
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

int l2tpsec_nl_sa_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[L2TPSEC_A_SA_MAX + 1];
	struct l2tpsec_dev *ldev;
	struct l2tpsec_sa *sa;
	int err;

	err = l2tpsec_nl_sa_key(info, tb);
	if (err)
		return err;

	ldev = l2tpsec_nl_req_dev(info);
	sa = l2tpsec_nl_sa_find(ldev, tb, info->extack);
	if (sa)
		l2tpsec_sa_delete(sa);
	return l2tpsec_nl_done(info, sa ? 0 : -ENOENT, true);
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

int l2tpsec_nl_sa_get_doit(struct sk_buff *skb, struct genl_info *info)
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
				    l2tpsec_session_nl_policy);
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

int l2tpsec_nl_session_new_doit(struct sk_buff *skb,
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

	ldev = l2tpsec_nl_req_dev(info);
	err = l2tpsec_session_create(ldev, &cfg, extack);
	return l2tpsec_nl_done(info, err, true);
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

int l2tpsec_nl_session_set_doit(struct sk_buff *skb,
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

	ldev = l2tpsec_nl_req_dev(info);
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
	return l2tpsec_nl_done(info, err, true);
}

int l2tpsec_nl_session_del_doit(struct sk_buff *skb,
				struct genl_info *info)
{
	struct nlattr *tb[L2TPSEC_A_SESSION_MAX + 1];
	struct l2tpsec_session *s;
	struct l2tpsec_dev *ldev;
	int err;

	err = l2tpsec_nl_session_key(info, tb);
	if (err)
		return err;

	ldev = l2tpsec_nl_req_dev(info);
	s = l2tpsec_nl_session_find(ldev, tb, info->extack);
	if (s)
		l2tpsec_session_delete(s);
	return l2tpsec_nl_done(info, s ? 0 : -ENOENT, true);
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

int l2tpsec_nl_session_get_doit(struct sk_buff *skb,
				struct genl_info *info)
{
	struct nlattr *tb[L2TPSEC_A_SESSION_MAX + 1];
	int err;

	err = l2tpsec_nl_session_key(info, tb);
	if (err)
		return err;
	return l2tpsec_nl_reply_one(info, tb, l2tpsec_nl_session_fill_one);
}

