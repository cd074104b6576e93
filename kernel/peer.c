// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsec: peers, the remote IPsec endpoints.
 *
 * Every SA and every session hangs off a peer, which is what keeps two
 * clients behind one NAT apart: both may use UDP 1701 and the same L2TP
 * tunnel id inside, but they never share a peer, because each has its own
 * SAs and its own outer port.
 */
#include <linux/slab.h>
#include <net/ip.h>

#include "l2tpsec.h"

struct l2tpsec_peer *l2tpsec_peer_lookup_rcu(struct l2tpsec_dev *ldev, u32 id)
{
	struct l2tpsec_peer *peer;

	hash_for_each_possible_rcu(ldev->peer_hash, peer, hnode, id)
		if (peer->id == id)
			return peer;
	return NULL;
}

struct l2tpsec_peer *l2tpsec_peer_find(struct l2tpsec_dev *ldev, u32 id)
{
	struct l2tpsec_peer *peer;

	lockdep_assert_held(&ldev->lock);

	hash_for_each_possible(ldev->peer_hash, peer, hnode, id)
		if (peer->id == id)
			return peer;
	return NULL;
}

struct l2tpsec_peer *l2tpsec_peer_get(struct l2tpsec_peer *peer)
{
	refcount_inc(&peer->refcnt);
	return peer;
}

static void peer_ep_free(struct l2tpsec_endpoint *ep)
{
	dst_cache_destroy(&ep->dst_cache);
	kfree(ep);
}

static void peer_ep_free_rcu(struct rcu_head *rcu)
{
	peer_ep_free(container_of(rcu, struct l2tpsec_endpoint, rcu));
}

static void peer_free_work(struct work_struct *work)
{
	struct l2tpsec_peer *peer = container_of(to_rcu_work(work),
						 struct l2tpsec_peer,
						 free_rwork);

	l2tpsec_counters_free(&peer->stats);
	peer_ep_free(rcu_dereference_protected(peer->ep, true));
	netdev_put(peer->ldev->dev, &peer->dev_tracker);
	kfree(peer);
}

void l2tpsec_peer_put(struct l2tpsec_peer *peer)
{
	if (refcount_dec_and_test(&peer->refcnt))
		queue_rcu_work(l2tpsec_wq, &peer->free_rwork);
}

int l2tpsec_peer_create(struct l2tpsec_dev *ldev,
			const struct l2tpsec_peer_config *cfg,
			struct netlink_ext_ack *extack)
{
	struct l2tpsec_endpoint *ep;
	struct l2tpsec_peer *peer;
	int err;

	lockdep_assert_held(&ldev->lock);

	if (ldev->dead)
		return -ENODEV;
	if (!cfg->id) {
		NL_SET_ERR_MSG_MOD(extack, "PEER_ID: zero is reserved");
		return -EINVAL;
	}
	if (l2tpsec_peer_find(ldev, cfg->id)) {
		NL_SET_ERR_MSG_FMT_MOD(extack, "PEER_ID: peer %u already exists",
				       cfg->id);
		return -EEXIST;
	}
	if (cfg->encap != L2TPSEC_ENCAP_NONE && cfg->encap != L2TPSEC_ENCAP_UDP) {
		NL_SET_ERR_MSG_MOD(extack, "PEER_ENCAP: must be none or udp");
		return -EINVAL;
	}
	if (!cfg->remote || ipv4_is_multicast(cfg->remote) ||
	    ipv4_is_lbcast(cfg->remote)) {
		NL_SET_ERR_MSG_MOD(extack, "PEER_REMOTE_IPV4: must be a unicast address");
		return -EINVAL;
	}
	if (cfg->encap == L2TPSEC_ENCAP_UDP &&
	    (!cfg->local_port || !cfg->remote_port)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "PEER_LOCAL_PORT/PEER_REMOTE_PORT: ESP-in-UDP needs both ports");
		return -EINVAL;
	}

	err = l2tpsec_net_charge(ldev->net, L2TPSEC_LIMIT_PEERS, extack);
	if (err)
		return err;
	peer = kzalloc(sizeof(*peer), GFP_KERNEL_ACCOUNT);
	if (!peer) {
		err = -ENOMEM;
		goto uncharge;
	}
	ep = kzalloc(sizeof(*ep), GFP_KERNEL_ACCOUNT);
	if (!ep) {
		err = -ENOMEM;
		goto free_peer;
	}
	ep->local = cfg->local;
	ep->remote = cfg->remote;
	ep->local_port = htons(cfg->local_port);
	ep->remote_port = htons(cfg->remote_port);

	err = dst_cache_init(&ep->dst_cache, GFP_KERNEL_ACCOUNT);
	if (err)
		goto free_ep;
	err = l2tpsec_counters_init(&peer->stats, GFP_KERNEL_ACCOUNT,
				    false);
	if (err)
		goto destroy_dst_cache;

	peer->id = cfg->id;
	peer->encap = cfg->encap;
	peer->ldev = ldev;
	refcount_set(&peer->refcnt, 1);
	INIT_RCU_WORK(&peer->free_rwork, peer_free_work);
	INIT_LIST_HEAD(&peer->sas);
	INIT_LIST_HEAD(&peer->sessions);
	spin_lock_init(&peer->ep_lock);
	spin_lock_init(&peer->frame_lock);
	RCU_INIT_POINTER(peer->ep, ep);
	netdev_hold(ldev->dev, &peer->dev_tracker, GFP_KERNEL);

	list_add_tail(&peer->node, &ldev->peers);
	hash_add_rcu(ldev->peer_hash, &peer->hnode, peer->id);
	return 0;

destroy_dst_cache:
	dst_cache_destroy(&ep->dst_cache);
free_ep:
	kfree(ep);
free_peer:
	kfree(peer);
uncharge:
	l2tpsec_net_uncharge(ldev->net, L2TPSEC_LIMIT_PEERS);
	return err;
}

int l2tpsec_peer_set_tx_sa(struct l2tpsec_peer *peer, u32 spi,
			   struct netlink_ext_ack *extack)
{
	struct l2tpsec_sa *sa;

	lockdep_assert_held(&peer->ldev->lock);

	list_for_each_entry(sa, &peer->sas, node) {
		if (sa->dir == L2TPSEC_DIR_OUT && sa->spi == spi) {
			/* The old SA stays usable for RX until deleted. */
			rcu_assign_pointer(peer->tx_sa, sa);
			return 0;
		}
	}
	NL_SET_ERR_MSG_FMT_MOD(extack,
			       "PEER_TX_SPI: peer %u has no outbound SA 0x%08x",
			       peer->id, spi);
	return -ENOENT;
}

/*
 * Replace the endpoint; caller holds ep_lock. The new endpoint comes with
 * an empty route cache: address, port and route change in one pointer
 * swap, and a sender still holding the old endpoint caches its route in
 * the old one, which goes after a grace period.
 */
static bool peer_move(struct l2tpsec_peer *peer, __be32 addr, __be16 port)
{
	struct l2tpsec_endpoint *old, *ep;

	old = rcu_dereference_protected(peer->ep,
					lockdep_is_held(&peer->ep_lock));
	if (old->remote == addr && old->remote_port == port)
		return false;
	ep = kzalloc(sizeof(*ep), GFP_ATOMIC);
	if (!ep)
		return false;
	if (dst_cache_init(&ep->dst_cache, GFP_ATOMIC)) {
		kfree(ep);
		return false;
	}
	ep->local = old->local;
	ep->local_port = old->local_port;
	ep->remote = addr;
	ep->remote_port = port;
	rcu_assign_pointer(peer->ep, ep);
	call_rcu(&old->rcu, peer_ep_free_rcu);
	return true;
}

void l2tpsec_peer_set_remote(struct l2tpsec_peer *peer, __be32 addr,
			     __be16 port)
{
	spin_lock_bh(&peer->ep_lock);
	peer_move(peer, addr, port);
	spin_unlock_bh(&peer->ep_lock);
}

void l2tpsec_peer_seen(struct l2tpsec_peer *peer, __be32 addr, __be16 port)
{
	const struct l2tpsec_endpoint *ep = rcu_dereference(peer->ep);
	bool moved;

	/* Only ESP-in-UDP peers float: NAT rebinding changes their port. */
	if (likely(ep->remote == addr && ep->remote_port == port) ||
	    peer->encap != L2TPSEC_ENCAP_UDP)
		return;

	spin_lock_bh(&peer->ep_lock);
	moved = peer_move(peer, addr, port);
	spin_unlock_bh(&peer->ep_lock);
	if (moved) {
		net_info_ratelimited("%s: peer %u moved to %pI4:%u (NAT rebinding)\n",
				     peer->ldev->dev->name, peer->id, &addr,
				     ntohs(port));
		l2tpsec_nl_float_event(peer, addr, port);
	}
}

void l2tpsec_peer_delete(struct l2tpsec_peer *peer)
{
	struct l2tpsec_dev *ldev = peer->ldev;
	struct l2tpsec_sa *sa, *tmp;

	lockdep_assert_held(&ldev->lock);

	l2tpsec_peer_delete_sessions(peer);
	/* One MTU update for all of them, none when the device goes. */
	list_for_each_entry_safe(sa, tmp, &peer->sas, node)
		__l2tpsec_sa_delete(sa);
	peer->dead = true;
	hash_del_rcu(&peer->hnode);
	list_del(&peer->node);
	l2tpsec_net_uncharge(ldev->net, L2TPSEC_LIMIT_PEERS);
	l2tpsec_peer_put(peer);
	l2tpsec_dev_update_mtu(ldev);
}
