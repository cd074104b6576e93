// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsec: L2TP sessions and routing by peer address.
 *
 * RX finds a session by (peer, our tunnel id, our session id): the peer
 * comes from the SA the packet arrived on, never from the inner UDP port.
 * TX finds it by destination address, the way WireGuard routes by allowed
 * IPs: the peer's /32 and its IPv6 prefix. RX delivers only packets whose
 * inner source is one of those same addresses (rx.c). A device in the
 * client role (L2TPSEC_A_SINGLE_SESSION_FALLBACK) with a single session
 * sends that session everything else too; a server never does, so that
 * traffic for a client who left is not encrypted to whoever remains.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/jhash.h>
#include <linux/slab.h>
#include <net/ipv6.h>

#include "l2tpsec.h"

static u32 session_hash(u32 peer_id, u16 tunnel_id, u16 session_id)
{
	return jhash_3words(peer_id, tunnel_id, session_id, 0);
}

static u32 route4_hash(__be32 addr)
{
	return (__force u32)addr;
}

/* IPv6 routes are keyed by their /64; longer prefixes share its bucket. */
static u32 route6_hash(const struct in6_addr *addr)
{
	return jhash_2words((__force u32)addr->s6_addr32[0],
			    (__force u32)addr->s6_addr32[1], 0);
}

struct l2tpsec_session *l2tpsec_session_lookup_rcu(struct l2tpsec_dev *ldev,
						   u32 peer_id, u16 tunnel_id,
						   u16 session_id)
{
	u32 h = session_hash(peer_id, tunnel_id, session_id);
	struct l2tpsec_session *s;

	hash_for_each_possible_rcu(ldev->session_hash, s, hnode, h)
		if (s->peer->id == peer_id && s->local_tunnel_id == tunnel_id &&
		    s->local_session_id == session_id)
			return s;
	return NULL;
}

struct l2tpsec_session *l2tpsec_session_find(struct l2tpsec_dev *ldev,
					     u32 peer_id, u16 tunnel_id,
					     u16 session_id)
{
	struct l2tpsec_session *s;

	lockdep_assert_held(&ldev->lock);

	list_for_each_entry(s, &ldev->sessions, node)
		if (s->peer->id == peer_id && s->local_tunnel_id == tunnel_id &&
		    s->local_session_id == session_id)
			return s;
	return NULL;
}

static struct l2tpsec_session *route4_find(struct l2tpsec_dev *ldev,
					   __be32 addr)
{
	struct l2tpsec_session *s;

	hash_for_each_possible_rcu(ldev->route4_hash, s, route4,
				   route4_hash(addr))
		if (s->has_ipv4 && s->peer_ipv4 == addr)
			return s;
	return NULL;
}

static struct l2tpsec_session *route6_find(struct l2tpsec_dev *ldev,
					   const struct in6_addr *addr)
{
	struct l2tpsec_session *s, *best = NULL;

	hash_for_each_possible_rcu(ldev->route6_hash, s, route6,
				   route6_hash(addr))
		if (s->has_ipv6 &&
		    ipv6_prefix_equal(&s->peer_ipv6, addr, s->peer_ipv6_plen) &&
		    (!best || s->peer_ipv6_plen > best->peer_ipv6_plen))
			best = s;
	return best;
}

struct l2tpsec_session *l2tpsec_route_lookup_rcu(struct l2tpsec_dev *ldev,
						 struct sk_buff *skb)
{
	struct l2tpsec_session *s = NULL;

	switch (skb->protocol) {
	case htons(ETH_P_IP):
		if (pskb_network_may_pull(skb, sizeof(struct iphdr)))
			s = route4_find(ldev, ip_hdr(skb)->daddr);
		break;
	case htons(ETH_P_IPV6):
		if (pskb_network_may_pull(skb, sizeof(struct ipv6hdr)))
			s = route6_find(ldev, &ipv6_hdr(skb)->daddr);
		break;
	}
	if (!s && READ_ONCE(ldev->fallback))
		s = rcu_dereference(ldev->only_session);
	return s;
}

bool l2tpsec_ipv6_src_allowed(const struct in6_addr *src,
			      const struct in6_addr *dst,
			      const struct in6_addr *pfx, u8 plen)
{
	/*
	 * Before a host has its link-local address it sends DAD probes and
	 * MLD reports from :: to a multicast group (RFC 4862 5.4.2, RFC 3810
	 * 5.2.13); :: names nobody, so it cannot be used to speak as
	 * another client. Anything else from :: is bogus (RFC 4291 2.5.2).
	 */
	if (ipv6_addr_any(src))
		return ipv6_addr_is_multicast(dst);
	if (ipv6_prefix_equal(src, pfx, plen))
		return true;
	/*
	 * A /128 carries the interface identifier IPV6CP negotiated: the
	 * link-local address made of it is the session's too (RS, NS, MLD).
	 * A shorter prefix names no identifier, so no link-local address.
	 */
	return plen == 128 && src->s6_addr32[0] == htonl(0xfe800000) &&
	       !src->s6_addr32[1] &&
	       src->s6_addr32[2] == pfx->s6_addr32[2] &&
	       src->s6_addr32[3] == pfx->s6_addr32[3];
}

static void session_update_only(struct l2tpsec_dev *ldev)
{
	struct l2tpsec_session *only = NULL;

	if (ldev->nr_sessions == 1)
		only = list_first_entry(&ldev->sessions,
					struct l2tpsec_session, node);
	rcu_assign_pointer(ldev->only_session, only);
}

static int session_check_routes(struct l2tpsec_dev *ldev,
				struct l2tpsec_session *self,
				const struct l2tpsec_session_config *cfg,
				struct netlink_ext_ack *extack)
{
	struct l2tpsec_session *s;

	list_for_each_entry(s, &ldev->sessions, node) {
		if (s == self)
			continue;
		if (cfg->has_ipv4 && s->has_ipv4 &&
		    s->peer_ipv4 == cfg->peer_ipv4) {
			NL_SET_ERR_MSG_FMT_MOD(extack,
					       "SESSION_PEER_IPV4: %pI4 is already routed to peer %u session %u",
					       &cfg->peer_ipv4, s->peer->id,
					       s->local_session_id);
			return -EEXIST;
		}
		if (cfg->has_ipv6 && s->has_ipv6 &&
		    s->peer_ipv6_plen == cfg->peer_ipv6_plen &&
		    ipv6_prefix_equal(&s->peer_ipv6, &cfg->peer_ipv6,
				      cfg->peer_ipv6_plen)) {
			NL_SET_ERR_MSG_FMT_MOD(extack,
					       "SESSION_PEER_IPV6: %pI6c/%u is already routed to peer %u session %u",
					       &cfg->peer_ipv6,
					       cfg->peer_ipv6_plen, s->peer->id,
					       s->local_session_id);
			return -EEXIST;
		}
	}
	if (cfg->has_ipv6 &&
	    (cfg->peer_ipv6_plen < 64 || cfg->peer_ipv6_plen > 128)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "SESSION_PEER_IPV6_PREFIXLEN: must be 64 to 128");
		return -EINVAL;
	}
	return 0;
}

static void session_hash_routes(struct l2tpsec_dev *ldev,
				struct l2tpsec_session *s)
{
	if (s->has_ipv4)
		hash_add_rcu(ldev->route4_hash, &s->route4,
			     route4_hash(s->peer_ipv4));
	if (s->has_ipv6)
		hash_add_rcu(ldev->route6_hash, &s->route6,
			     route6_hash(&s->peer_ipv6));
}

static void session_unhash_routes(struct l2tpsec_session *s)
{
	if (s->has_ipv4)
		hash_del_rcu(&s->route4);
	if (s->has_ipv6)
		hash_del_rcu(&s->route6);
}

static void session_set_options(struct l2tpsec_session *s,
				const struct l2tpsec_session_config *cfg)
{
	WRITE_ONCE(s->l2tp_length, cfg->l2tp_length);
	WRITE_ONCE(s->l2tp_seq, cfg->l2tp_seq);
	WRITE_ONCE(s->ppp_acfc, cfg->ppp_acfc);
	WRITE_ONCE(s->ppp_pfc, cfg->ppp_pfc);
}

/* RX reads these locklessly to check inner sources (rx.c). */
static void session_set_routes(struct l2tpsec_session *s,
			       const struct l2tpsec_session_config *cfg)
{
	WRITE_ONCE(s->has_ipv4, cfg->has_ipv4);
	WRITE_ONCE(s->peer_ipv4, cfg->peer_ipv4);
	WRITE_ONCE(s->has_ipv6, cfg->has_ipv6);
	if (cfg->has_ipv6) {
		ipv6_addr_prefix(&s->peer_ipv6, &cfg->peer_ipv6,
				 cfg->peer_ipv6_plen);
		WRITE_ONCE(s->peer_ipv6_plen, cfg->peer_ipv6_plen);
	}
}

int l2tpsec_session_create(struct l2tpsec_dev *ldev,
			   const struct l2tpsec_session_config *cfg,
			   struct netlink_ext_ack *extack)
{
	struct l2tpsec_session *s;
	struct l2tpsec_peer *peer;
	int err;

	lockdep_assert_held(&ldev->lock);

	peer = l2tpsec_peer_find(ldev, cfg->peer_id);
	if (!peer) {
		NL_SET_ERR_MSG_FMT_MOD(extack, "SESSION_PEER_ID: no peer %u on %s",
				       cfg->peer_id, ldev->dev->name);
		return -ENOENT;
	}
	if (!cfg->local_tunnel_id || !cfg->local_session_id ||
	    !cfg->remote_tunnel_id || !cfg->remote_session_id) {
		NL_SET_ERR_MSG_MOD(extack,
				   "SESSION_*_TUNNEL_ID/SESSION_ID: zero is reserved for control (RFC 2661)");
		return -EINVAL;
	}
	if (l2tpsec_session_find(ldev, cfg->peer_id, cfg->local_tunnel_id,
				 cfg->local_session_id)) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
				       "SESSION: peer %u already has tunnel %u session %u",
				       cfg->peer_id, cfg->local_tunnel_id,
				       cfg->local_session_id);
		return -EEXIST;
	}
	err = session_check_routes(ldev, NULL, cfg, extack);
	if (err)
		return err;

	err = l2tpsec_net_charge(ldev->net, L2TPSEC_LIMIT_SESSIONS, extack);
	if (err)
		return err;
	s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	if (!s) {
		err = -ENOMEM;
		goto uncharge;
	}
	err = l2tpsec_counters_init(&s->stats, GFP_KERNEL_ACCOUNT, false);
	if (err)
		goto free_session;
	s->peer = l2tpsec_peer_get(peer);
	s->local_tunnel_id = cfg->local_tunnel_id;
	s->local_session_id = cfg->local_session_id;
	s->remote_tunnel_id = cfg->remote_tunnel_id;
	s->remote_session_id = cfg->remote_session_id;
	s->local_port = htons(cfg->local_port ?: L2TPSEC_L2TP_PORT);
	s->remote_port = htons(cfg->remote_port ?: L2TPSEC_L2TP_PORT);
	session_set_options(s, cfg);
	session_set_routes(s, cfg);

	list_add_tail(&s->node, &ldev->sessions);
	list_add_tail(&s->peer_node, &peer->sessions);
	ldev->nr_sessions++;
	hash_add_rcu(ldev->session_hash, &s->hnode,
		     session_hash(peer->id, s->local_tunnel_id,
				  s->local_session_id));
	session_hash_routes(ldev, s);
	session_update_only(ldev);
	return 0;

free_session:
	kfree(s);
uncharge:
	l2tpsec_net_uncharge(ldev->net, L2TPSEC_LIMIT_SESSIONS);
	return err;
}

int l2tpsec_session_update(struct l2tpsec_session *s,
			   const struct l2tpsec_session_config *cfg,
			   struct netlink_ext_ack *extack)
{
	struct l2tpsec_dev *ldev = s->peer->ldev;
	int err;

	lockdep_assert_held(&ldev->lock);

	err = session_check_routes(ldev, s, cfg, extack);
	if (err)
		return err;

	session_set_options(s, cfg);
	if (cfg->has_ipv4 != s->has_ipv4 || cfg->peer_ipv4 != s->peer_ipv4 ||
	    cfg->has_ipv6 != s->has_ipv6 ||
	    cfg->peer_ipv6_plen != s->peer_ipv6_plen ||
	    !ipv6_addr_equal(&cfg->peer_ipv6, &s->peer_ipv6)) {
		/*
		 * Readers may walk the old chain while we rehash; they miss
		 * the session for a moment, which costs a packet at most.
		 */
		session_unhash_routes(s);
		synchronize_net();
		session_set_routes(s, cfg);
		session_hash_routes(ldev, s);
	}
	return 0;
}

static void session_free_rcu(struct rcu_head *rcu)
{
	struct l2tpsec_session *s = container_of(rcu, struct l2tpsec_session,
						 rcu);

	l2tpsec_counters_free(&s->stats);
	l2tpsec_peer_put(s->peer);
	kfree(s);
}

void l2tpsec_session_delete(struct l2tpsec_session *s)
{
	struct l2tpsec_dev *ldev = s->peer->ldev;

	lockdep_assert_held(&ldev->lock);

	hash_del_rcu(&s->hnode);
	session_unhash_routes(s);
	list_del(&s->node);
	list_del(&s->peer_node);
	ldev->nr_sessions--;
	l2tpsec_net_uncharge(ldev->net, L2TPSEC_LIMIT_SESSIONS);
	session_update_only(ldev);
	call_rcu(&s->rcu, session_free_rcu);
}

/*
 * The peer's own list, not the device's: deleting a device deletes every
 * peer, and a walk over all sessions for each would be quadratic (under
 * RTNL, with thousands of clients).
 */
void l2tpsec_peer_delete_sessions(struct l2tpsec_peer *peer)
{
	struct l2tpsec_session *s, *tmp;

	lockdep_assert_held(&peer->ldev->lock);

	list_for_each_entry_safe(s, tmp, &peer->sessions, peer_node)
		l2tpsec_session_delete(s);
}
