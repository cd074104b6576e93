// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsec: L2TPv2/PPP sessions over ESP, with a generic-netlink control
 * interface for the l2tpsecd daemon. See Documentation/ in the source tree.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <net/netns/generic.h>
#include <net/rtnetlink.h>

#include "l2tpsec.h"

unsigned int l2tpsec_net_id __read_mostly;
struct workqueue_struct *l2tpsec_wq;

#ifdef L2TPSEC_NEED_EXTACK_BUF
char l2tpsec_extack_buf[L2TPSEC_EXTACK_BUF_LEN];
#endif

/*
 * Per network namespace limits. Anyone with CAP_NET_ADMIN in a user
 * namespace of their own can create objects; these bound what one such
 * namespace can pin in kernel memory (which is also charged to the
 * creator's memory cgroup).
 */
static unsigned int max_devices __read_mostly = 16;
module_param(max_devices, uint, 0644);
MODULE_PARM_DESC(max_devices, "l2tpsec devices per network namespace (default 16)");
static unsigned int max_peers __read_mostly = 65536;
module_param(max_peers, uint, 0644);
MODULE_PARM_DESC(max_peers, "peers per network namespace, all devices (default 65536)");
static unsigned int max_sas __read_mostly = 131072;
module_param(max_sas, uint, 0644);
MODULE_PARM_DESC(max_sas, "SAs per network namespace, all devices (default 131072)");
static unsigned int max_sessions __read_mostly = 65536;
module_param(max_sessions, uint, 0644);
MODULE_PARM_DESC(max_sessions, "sessions per network namespace, all devices (default 65536)");

static const struct {
	unsigned int	*max;
	const char	*name;
} l2tpsec_limits[L2TPSEC_LIMIT_NUM] = {
	[L2TPSEC_LIMIT_DEVICES]		= { &max_devices, "devices" },
	[L2TPSEC_LIMIT_PEERS]		= { &max_peers, "peers" },
	[L2TPSEC_LIMIT_SAS]		= { &max_sas, "sas" },
	[L2TPSEC_LIMIT_SESSIONS]	= { &max_sessions, "sessions" },
};

int l2tpsec_net_charge(struct net *net, enum l2tpsec_limit limit,
		       struct netlink_ext_ack *extack)
{
	atomic_t *nr = &l2tpsec_pernet(net)->nr[limit];
	unsigned int max = READ_ONCE(*l2tpsec_limits[limit].max);

	if ((unsigned int)atomic_inc_return(nr) <= max)
		return 0;
	atomic_dec(nr);
	/* Short: 6.1's formatted extack messages end at 79 bytes. */
	NL_SET_ERR_MSG_FMT_MOD(extack, "max_%s: limit of %u per netns reached",
			       l2tpsec_limits[limit].name, max);
	net_info_ratelimited("%s: limit of %u %s per network namespace reached; raise the module parameter max_%s\n",
			     KBUILD_MODNAME, max, l2tpsec_limits[limit].name,
			     l2tpsec_limits[limit].name);
	return -ENOSPC;
}

void l2tpsec_net_uncharge(struct net *net, enum l2tpsec_limit limit)
{
	atomic_dec(&l2tpsec_pernet(net)->nr[limit]);
}

static int __net_init l2tpsec_net_init(struct net *net)
{
	struct l2tpsec_net *ln = l2tpsec_pernet(net);
	int i;

	ln->net = net;
	for (i = 0; i < L2TPSEC_LIMIT_NUM; i++)
		atomic_set(&ln->nr[i], 0);
	INIT_LIST_HEAD(&ln->devs);
	spin_lock_init(&ln->sa_lock);
	hash_init(ln->sa_in);
	return 0;
}

static void __net_exit l2tpsec_net_exit_batch(struct list_head *net_list)
{
	struct l2tpsec_dev *ldev, *tmp;
	LIST_HEAD(kill_list);
	struct net *net;

	rtnl_lock();
	list_for_each_entry(net, net_list, exit_list) {
		struct l2tpsec_net *ln = l2tpsec_pernet(net);

		list_for_each_entry_safe(ldev, tmp, &ln->devs, node)
			l2tpsec_link_ops.dellink(ldev->dev, &kill_list);
	}
	unregister_netdevice_many(&kill_list);
	rtnl_unlock();
}

static struct pernet_operations l2tpsec_net_ops = {
	.init		= l2tpsec_net_init,
	.exit_batch	= l2tpsec_net_exit_batch,
	.id		= &l2tpsec_net_id,
	.size		= sizeof(struct l2tpsec_net),
};

static int __init l2tpsec_init(void)
{
	int err;

	l2tpsec_wq = alloc_workqueue("l2tpsec", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	if (!l2tpsec_wq)
		return -ENOMEM;

	err = register_pernet_device(&l2tpsec_net_ops);
	if (err)
		goto destroy_wq;
	err = l2tpsec_device_init();
	if (err)
		goto unregister_pernet;
	err = l2tpsec_xfrm_init();
	if (err)
		goto unregister_device;
	err = l2tpsec_nl_init();
	if (err)
		goto unregister_xfrm;

	pr_info("L2TPv2 over ESP data path, version %s\n", L2TPSEC_VERSION);
	return 0;

unregister_xfrm:
	l2tpsec_xfrm_exit();
unregister_device:
	l2tpsec_device_exit();
unregister_pernet:
	unregister_pernet_device(&l2tpsec_net_ops);
destroy_wq:
	destroy_workqueue(l2tpsec_wq);
	return err;
}

static void __exit l2tpsec_exit(void)
{
	l2tpsec_xfrm_exit();
	/* Deletes every device; waits for in-flight packets' references. */
	l2tpsec_device_exit();
	/*
	 * Only now that nothing receives any more: the data path sends
	 * frames and events through the family.
	 */
	l2tpsec_nl_exit();
	unregister_pernet_device(&l2tpsec_net_ops);
	/* Sessions are freed by call_rcu, SAs and peers by rcu_work. */
	rcu_barrier();
	destroy_workqueue(l2tpsec_wq);
}

module_init(l2tpsec_init);
module_exit(l2tpsec_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The l2tpsec authors");
MODULE_DESCRIPTION("L2TPv2/PPP over ESP (L2TP/IPsec) data path");
MODULE_VERSION(L2TPSEC_VERSION);
MODULE_ALIAS_RTNL_LINK(L2TPSEC_DRV_NAME);
MODULE_ALIAS_GENL_FAMILY(L2TPSEC_FAMILY_NAME);
