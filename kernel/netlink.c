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
 * The policies and the op table are generated from the spec
 * (tools/ynl-gen.sh, netlink-gen.c); netlink-priv.h says where the rest is.
 */

#include <linux/in.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "l2tpsec.h"
#include "netlink-priv.h"

/* ---- request helpers ------------------------------------------------------ */

u16 l2tpsec_nla_port(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u16(tb[type]) : L2TPSEC_L2TP_PORT;
}

/*
 * The attributes replies carry that a request must not: stats, SA
 * sequence number and age. The spec cannot mark an attribute read-only
 * (ynl-gen-c validates a stats nest like any other), so the module
 * refuses them here, after the policy.
 */
static const struct {
	u16 nest;
	u16 attr;
} l2tpsec_nl_read_only_attrs[] = {
	{ L2TPSEC_A_PEER,	L2TPSEC_A_PEER_STATS },
	{ L2TPSEC_A_SA,		L2TPSEC_A_SA_SEQ },
	{ L2TPSEC_A_SA,		L2TPSEC_A_SA_AGE },
	{ L2TPSEC_A_SA,		L2TPSEC_A_SA_STATS },
	{ L2TPSEC_A_SESSION,	L2TPSEC_A_SESSION_STATS },
};

/* -EINVAL (extack names it) when @tb, parsed from @nest, has one. */
int l2tpsec_nl_read_only(int nest, struct nlattr **tb,
			 struct netlink_ext_ack *extack)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(l2tpsec_nl_read_only_attrs); i++) {
		if (l2tpsec_nl_read_only_attrs[i].nest != nest ||
		    !tb[l2tpsec_nl_read_only_attrs[i].attr])
			continue;
		NL_SET_ERR_MSG_ATTR(extack,
				    tb[l2tpsec_nl_read_only_attrs[i].attr],
				    "read-only attribute");
		return -EINVAL;
	}
	return 0;
}

/*
 * Parse the required object nest @attr of a request into @tb. Nests were
 * validated with the top-level policy already; this parses them strictly
 * again, which also reports the offending attribute.
 */
int l2tpsec_nl_parse_nest(struct genl_info *info, int attr,
			  struct nlattr **tb, int maxtype,
			  const struct nla_policy *policy)
{
	int err;

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
	err = nla_parse_nested(tb, maxtype, info->attrs[attr], policy,
			       info->extack);
	if (err)
		return err;
	return l2tpsec_nl_read_only(attr, tb, info->extack);
}

/*
 * Resolve the device named by IFINDEX or IFNAME in @net. Returns a held
 * reference (release with l2tpsec_dev_put()) or an ERR_PTR.
 */
struct l2tpsec_dev *l2tpsec_nl_dev_get(struct net *net, struct nlattr **attrs,
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

/* Never 0, which nl_dump_check_consistent() treats as "not set". */
unsigned int l2tpsec_nl_dump_seq(const struct l2tpsec_dev *ldev)
{
	return (ldev->generation << 1) | 1;
}

/* ---- the device of a request ---------------------------------------------- */

static struct l2tpsec_dev *l2tpsec_nl_info_dev(struct genl_info *info)
{
	return l2tpsec_nl_dev_get(genl_info_net(info), info->attrs,
				  info->extack);
}

/*
 * Before every doit: the device the request names, with its configuration
 * lock held, in info->user_ptr[0] (l2tpsec_nl_req_dev()). An error when
 * the request names no l2tpsec device; the doit does not run then.
 */
static int l2tpsec_nl_pre_doit(const struct L2TPSEC_GENL_OPS *ops,
			       struct sk_buff *skb, struct genl_info *info)
{
	struct l2tpsec_dev *ldev = l2tpsec_nl_info_dev(info);

	if (IS_ERR(ldev))
		return PTR_ERR(ldev);
	mutex_lock(&ldev->lock);
	info->user_ptr[0] = ldev;
	info->user_ptr[1] = NULL;
	return 0;
}

/*
 * A doit's result: passes @err on and remembers, when the request
 * succeeded and @changed something, to announce it in post_doit.
 */
int l2tpsec_nl_done(struct genl_info *info, int err, bool changed)
{
	lockdep_assert_held(&l2tpsec_nl_req_dev(info)->lock);
	if (!err && changed)
		info->user_ptr[1] = info->user_ptr[0];
	return err;
}

/*
 * After every doit that pre_doit let run: announce a change (generation,
 * event), unlock and release the device.
 */
static void l2tpsec_nl_post_doit(const struct L2TPSEC_GENL_OPS *ops,
				 struct sk_buff *skb, struct genl_info *info)
{
	struct l2tpsec_dev *ldev = l2tpsec_nl_req_dev(info);

	if (info->user_ptr[1])
		l2tpsec_dev_changed(ldev);
	mutex_unlock(&ldev->lock);
	l2tpsec_dev_put(ldev);
}

/* The reply to a GET: one object, filled by @fill under the lock. */
int l2tpsec_nl_reply_one(struct genl_info *info, struct nlattr **tb,
			 l2tpsec_nl_fill_one_t fill)
{
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = fill(msg, l2tpsec_nl_req_dev(info), info, tb);
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

int l2tpsec_nl_dev_get_doit(struct sk_buff *skb,
			    struct genl_info *info)
{
	return l2tpsec_nl_reply_one(info, NULL, l2tpsec_nl_dev_fill_one);
}

int l2tpsec_nl_dev_set_doit(struct sk_buff *skb,
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

	ldev = l2tpsec_nl_req_dev(info);
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
	return l2tpsec_nl_done(info, err, changed);
}

/* ---- family ---------------------------------------------------------------- */

/*
 * The op table ynl-gen-c writes for a family-wide policy is one of
 * genl_small_ops, which have no .start; the per-device dumps resolve their
 * device in .start, so that a bad request fails with an error instead of
 * an empty dump. The full ops are made from the generated table at init.
 */
static struct genl_ops l2tpsec_nl_full_ops[ARRAY_SIZE(l2tpsec_nl_ops)] __ro_after_init;

/*
 * Every operation needs CAP_NET_ADMIN in the user namespace of the netns.
 * The family policy applies to every operation; resv_start_op is left at
 * 0 so that every operation is validated strictly.
 */
struct genl_family l2tpsec_nl_family __ro_after_init = {
	.name		= L2TPSEC_FAMILY_NAME,
	.version	= L2TPSEC_FAMILY_VERSION,
	.maxattr	= L2TPSEC_A_MAX,
	.policy		= l2tpsec_nl_policy,
	.netnsok	= true,
	.parallel_ops	= false,
	.module		= THIS_MODULE,
	.pre_doit	= l2tpsec_nl_pre_doit,
	.post_doit	= l2tpsec_nl_post_doit,
	.ops		= l2tpsec_nl_full_ops,
	.n_ops		= ARRAY_SIZE(l2tpsec_nl_full_ops),
	.mcgrps		= l2tpsec_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(l2tpsec_nl_mcgrps),
};

static_assert(ARRAY_SIZE(l2tpsec_nl_policy) == L2TPSEC_A_MAX + 1);

static void __init l2tpsec_nl_build_ops(void)
{
	const struct genl_small_ops *small;
	struct genl_ops *ops;
	int i;

	for (i = 0; i < ARRAY_SIZE(l2tpsec_nl_ops); i++) {
		small = &l2tpsec_nl_ops[i];
		ops = &l2tpsec_nl_full_ops[i];
		ops->cmd = small->cmd;
		ops->flags = small->flags;
		ops->validate = small->validate;
		ops->doit = small->doit;
		ops->dumpit = small->dumpit;
		/* Every dump but the device dump is of one device. */
		if (small->dumpit && small->cmd != L2TPSEC_CMD_DEV_GET)
			ops->start = l2tpsec_nl_dump_start;
	}
}

int __init l2tpsec_nl_init(void)
{
	int err;

	l2tpsec_nl_build_ops();
	err = l2tpsec_channel_init();
	if (err)
		return err;
	err = genl_register_family(&l2tpsec_nl_family);
	if (err)
		goto channel_exit;
	return 0;

channel_exit:
	l2tpsec_channel_exit();
	return err;
}

void l2tpsec_nl_exit(void)
{
	genl_unregister_family(&l2tpsec_nl_family);
	l2tpsec_channel_exit();
}
