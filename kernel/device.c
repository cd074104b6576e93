// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsec: the "l2tpsec" rtnl link kind.
 *
 * One point-to-point device carries every session of a server; sessions
 * are routed by peer address, so firewall rules name one interface and
 * 10,000 sessions are table entries, not devices.
 */
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <net/rtnetlink.h>

#include "l2tpsec.h"

/* Until an SA exists, assume the largest overhead we support. */
static unsigned int l2tpsec_default_mtu(void)
{
	/* AES-CBC (16-byte IV and blocks) with HMAC-SHA512-256 in UDP. */
	return l2tpsec_mtu_for(ETH_DATA_LEN, 16, 16, 32, true);
}

bool l2tpsec_is_dev(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &l2tpsec_link_ops;
}

struct l2tpsec_dev *l2tpsec_dev_get_by_index(struct net *net, int ifindex)
{
	struct net_device *dev = dev_get_by_index(net, ifindex);

	if (!dev)
		return NULL;
	if (!l2tpsec_is_dev(dev)) {
		dev_put(dev);
		return NULL;
	}
	return netdev_priv(dev);
}

struct l2tpsec_dev *l2tpsec_dev_get_by_name(struct net *net, const char *name)
{
	struct net_device *dev = dev_get_by_name(net, name);

	if (!dev)
		return NULL;
	if (!l2tpsec_is_dev(dev)) {
		dev_put(dev);
		return NULL;
	}
	return netdev_priv(dev);
}

void l2tpsec_dev_put(struct l2tpsec_dev *ldev)
{
	dev_put(ldev->dev);
}

void l2tpsec_dev_changed(struct l2tpsec_dev *ldev)
{
	lockdep_assert_held(&ldev->lock);
	ldev->generation++;
}

/*
 * The worst overhead among the SAs decides the MTU. dev_set_mtu() needs
 * RTNL, which nests outside ldev->lock (dellink), so the change is applied
 * from a work item.
 */
static void dev_set_sa_overhead(struct l2tpsec_dev *ldev,
				unsigned int overhead)
{
	unsigned int mtu;

	ldev->sa_overhead = overhead;
	mtu = overhead ? ETH_DATA_LEN - overhead : l2tpsec_default_mtu();
	if (mtu == READ_ONCE(ldev->derived_mtu))
		return;
	WRITE_ONCE(ldev->derived_mtu, mtu);
	if (!ldev->dead)
		mod_delayed_work(l2tpsec_wq, &ldev->mtu_work, 0);
}

void l2tpsec_dev_update_mtu(struct l2tpsec_dev *ldev)
{
	unsigned int overhead = 0;
	struct l2tpsec_peer *peer;
	struct l2tpsec_sa *sa;

	lockdep_assert_held(&ldev->lock);

	/*
	 * A device being deleted has no MTU to keep, and a walk over every
	 * SA for each one deleted would make its teardown quadratic.
	 */
	if (ldev->dead)
		return;
	list_for_each_entry(peer, &ldev->peers, node)
		list_for_each_entry(sa, &peer->sas, node)
			overhead = max(overhead, l2tpsec_sa_max_overhead(sa));
	dev_set_sa_overhead(ldev, overhead);
}

/*
 * A new SA can only raise the worst overhead: no walk over the others,
 * which would make adding N clients quadratic.
 */
void l2tpsec_dev_sa_added(struct l2tpsec_dev *ldev, struct l2tpsec_sa *sa)
{
	unsigned int overhead = l2tpsec_sa_max_overhead(sa);

	lockdep_assert_held(&ldev->lock);

	if (overhead > ldev->sa_overhead)
		dev_set_sa_overhead(ldev, overhead);
}

static void l2tpsec_mtu_work(struct work_struct *work)
{
	struct l2tpsec_dev *ldev = container_of(to_delayed_work(work),
						struct l2tpsec_dev, mtu_work);
	unsigned int mtu = READ_ONCE(ldev->derived_mtu);

	/* dellink cancels us under RTNL: never block on it. */
	if (!rtnl_trylock()) {
		queue_delayed_work(l2tpsec_wq, &ldev->mtu_work, HZ / 10);
		return;
	}
	if (!ldev->mtu_locked && ldev->dev->mtu != mtu &&
	    ldev->dev->reg_state == NETREG_REGISTERED) {
		ldev->mtu_deriving = true;
		dev_set_mtu(ldev->dev, mtu);
		ldev->mtu_deriving = false;
	}
	rtnl_unlock();
}

static int l2tpsec_change_mtu(struct net_device *dev, int new_mtu)
{
	struct l2tpsec_dev *ldev = netdev_priv(dev);

	/* An admin's choice sticks; our own derivation keeps deriving. */
	if (!ldev->mtu_deriving)
		ldev->mtu_locked = true;
	WRITE_ONCE(dev->mtu, new_mtu);
	return 0;
}

static int l2tpsec_dev_init(struct net_device *dev)
{
	struct l2tpsec_dev *ldev = netdev_priv(dev);
	int err;

	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	if (!dev->tstats)
		return -ENOMEM;
	err = l2tpsec_counters_init(&ldev->stats, GFP_KERNEL, true);
	if (err)
		goto free_tstats;
	err = gro_cells_init(&ldev->gro_cells, dev);
	if (err)
		goto free_counters;
	return 0;

free_counters:
	l2tpsec_counters_free(&ldev->stats);
free_tstats:
	free_percpu(dev->tstats);
	return err;
}

static void l2tpsec_dev_uninit(struct net_device *dev)
{
	struct l2tpsec_dev *ldev = netdev_priv(dev);

	gro_cells_destroy(&ldev->gro_cells);
}

/* Runs when the last reference is gone, after every peer was freed. */
static void l2tpsec_dev_destruct(struct net_device *dev)
{
	struct l2tpsec_dev *ldev = netdev_priv(dev);

	l2tpsec_counters_free(&ldev->stats);
	free_percpu(dev->tstats);
}

static int l2tpsec_open(struct net_device *dev)
{
	return 0;
}

static int l2tpsec_stop(struct net_device *dev)
{
	return 0;
}

static const struct net_device_ops l2tpsec_netdev_ops = {
	.ndo_init		= l2tpsec_dev_init,
	.ndo_uninit		= l2tpsec_dev_uninit,
	.ndo_open		= l2tpsec_open,
	.ndo_stop		= l2tpsec_stop,
	.ndo_start_xmit		= l2tpsec_xmit,
	.ndo_get_stats64	= dev_get_tstats64,
	.ndo_change_mtu		= l2tpsec_change_mtu,
};

static void l2tpsec_setup(struct net_device *dev)
{
	struct l2tpsec_dev *ldev = netdev_priv(dev);

	dev->netdev_ops = &l2tpsec_netdev_ops;
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_POINTOPOINT | IFF_NOARP;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	/* Outer IPv4, UDP, ESP + IV, inner UDP, L2TP, PPP. */
	dev->needed_headroom = LL_MAX_HEADER + 20 + 8 + 8 + 16 + 8 +
			       L2TP_HDR_MAX_TX + PPP_HDR_MAX;
	/* Padding, pad length, next header, ICV. */
	dev->needed_tailroom = 16 + 2 + 32;
	dev->mtu = l2tpsec_default_mtu();
	dev->min_mtu = 576;	/* RFC 791 minimum datagram size */
	dev->max_mtu = ETH_MAX_MTU - dev->needed_headroom;
	dev->needs_free_netdev = true;
	dev->priv_destructor = l2tpsec_dev_destruct;
	l2tpsec_set_lltx(dev);
	l2tpsec_set_netns_local(dev);

	memset(ldev, 0, sizeof(*ldev));
	ldev->dev = dev;
}

static int l2tpsec_newlink(struct net *src_net, struct net_device *dev,
			   struct nlattr *tb[], struct nlattr *data[],
			   struct netlink_ext_ack *extack)
{
	struct l2tpsec_dev *ldev = netdev_priv(dev);
	struct l2tpsec_net *ln;
	int err;

	ldev->net = dev_net(dev);
	mutex_init(&ldev->lock);
	INIT_LIST_HEAD(&ldev->peers);
	INIT_LIST_HEAD(&ldev->sessions);
	hash_init(ldev->peer_hash);
	hash_init(ldev->session_hash);
	hash_init(ldev->route4_hash);
	hash_init(ldev->route6_hash);
	ldev->mss_clamp = true;
	ldev->derived_mtu = dev->mtu;
	ldev->mtu_locked = !!tb[IFLA_MTU];
	INIT_DELAYED_WORK(&ldev->expiry_work, l2tpsec_sa_expire_work);
	INIT_DELAYED_WORK(&ldev->mtu_work, l2tpsec_mtu_work);

	err = l2tpsec_net_charge(ldev->net, L2TPSEC_LIMIT_DEVICES, extack);
	if (err)
		return err;
	err = register_netdevice(dev);
	if (err)
		goto uncharge;

	ln = l2tpsec_pernet(ldev->net);
	list_add_rcu(&ldev->node, &ln->devs);
	queue_delayed_work(l2tpsec_wq, &ldev->expiry_work, HZ);
	return 0;

uncharge:
	l2tpsec_net_uncharge(ldev->net, L2TPSEC_LIMIT_DEVICES);
	return err;
}

static void l2tpsec_dellink(struct net_device *dev, struct list_head *head)
{
	struct l2tpsec_dev *ldev = netdev_priv(dev);
	struct l2tpsec_peer *peer, *tmp;

	ASSERT_RTNL();

	mutex_lock(&ldev->lock);
	ldev->dead = true;
	list_for_each_entry_safe(peer, tmp, &ldev->peers, node)
		l2tpsec_peer_delete(peer);
	l2tpsec_sock_detach(ldev);
	WRITE_ONCE(ldev->frame_portid, 0);
	l2tpsec_dev_changed(ldev);
	mutex_unlock(&ldev->lock);

	cancel_delayed_work_sync(&ldev->expiry_work);
	cancel_delayed_work_sync(&ldev->mtu_work);
	/* unregister_netdevice_many() waits for RCU readers of the list. */
	list_del_rcu(&ldev->node);
	l2tpsec_net_uncharge(ldev->net, L2TPSEC_LIMIT_DEVICES);
	unregister_netdevice_queue(dev, head);
}

struct rtnl_link_ops l2tpsec_link_ops __read_mostly = {
	.kind		= L2TPSEC_DRV_NAME,
	.priv_size	= sizeof(struct l2tpsec_dev),
	.setup		= l2tpsec_setup,
	.newlink	= l2tpsec_newlink,
	.dellink	= l2tpsec_dellink,
};

int l2tpsec_device_init(void)
{
	return rtnl_link_register(&l2tpsec_link_ops);
}

void l2tpsec_device_exit(void)
{
	rtnl_link_unregister(&l2tpsec_link_ops);
}
