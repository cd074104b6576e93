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

static int __net_init l2tpsec_net_init(struct net *net)
{
	struct l2tpsec_net *ln = l2tpsec_pernet(net);

	ln->net = net;
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
