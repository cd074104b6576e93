/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsec: what the files of the generic netlink family share.
 *
 * netlink-gen.c	policies and op table, generated from the YNL spec
 * netlink.c		the family, the device of a request and its lock,
 *			DEV_GET / DEV_SET
 * netlink-config.c	peers, SAs and sessions
 * netlink-dump.c	replies and dumps
 * channel.c		the data-plane channel: frames both ways, the frame
 *			listener, events
 */
#ifndef _L2TPSEC_NETLINK_PRIV_H
#define _L2TPSEC_NETLINK_PRIV_H

#include <net/genetlink.h>

#include "compat.h"
#include "netlink-gen.h"

struct l2tpsec_dev;
struct l2tpsec_peer;
struct l2tpsec_sa;
struct l2tpsec_session;

extern struct genl_family l2tpsec_nl_family;

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

/*
 * The device of a doit: looked up and locked by l2tpsec_nl_pre_doit(),
 * unlocked and released by l2tpsec_nl_post_doit(). Every doit of the
 * family runs with ldev->lock held.
 */
static inline struct l2tpsec_dev *l2tpsec_nl_req_dev(struct genl_info *info)
{
	return info->user_ptr[0];
}

int l2tpsec_nl_done(struct genl_info *info, int err, bool changed);

/*
 * Puts the one object a GET names into @msg, ldev->lock held; an error
 * (-ENOENT with the extack set) sends no reply.
 */
typedef int (*l2tpsec_nl_fill_one_t)(struct sk_buff *msg,
				     struct l2tpsec_dev *ldev,
				     struct genl_info *info,
				     struct nlattr **tb);
int l2tpsec_nl_reply_one(struct genl_info *info, struct nlattr **tb,
			 l2tpsec_nl_fill_one_t fill);

u16 l2tpsec_nla_port(struct nlattr **tb, int type);
int l2tpsec_nl_read_only(int nest, struct nlattr **tb,
			 struct netlink_ext_ack *extack);
int l2tpsec_nl_parse_nest(struct genl_info *info, int attr,
			  struct nlattr **tb, int maxtype,
			  const struct nla_policy *policy);
struct l2tpsec_dev *l2tpsec_nl_dev_get(struct net *net, struct nlattr **attrs,
				       struct netlink_ext_ack *extack);
unsigned int l2tpsec_nl_dump_seq(const struct l2tpsec_dev *ldev);
struct l2tpsec_peer *l2tpsec_nl_peer_find(struct l2tpsec_dev *ldev,
					  struct nlattr *id,
					  struct netlink_ext_ack *extack);

int l2tpsec_nl_fill_dev(struct sk_buff *msg, struct l2tpsec_dev *ldev,
			u32 portid, u32 seq, int flags,
			struct netlink_callback *cb);
int l2tpsec_nl_fill_peer(struct sk_buff *msg, struct l2tpsec_dev *ldev,
			 struct l2tpsec_peer *peer, u32 portid, u32 seq,
			 int flags, struct netlink_callback *cb);
int l2tpsec_nl_fill_sa(struct sk_buff *msg, struct l2tpsec_dev *ldev,
		       struct l2tpsec_sa *sa, u32 portid, u32 seq, int flags,
		       struct netlink_callback *cb);
int l2tpsec_nl_fill_session(struct sk_buff *msg, struct l2tpsec_dev *ldev,
			    struct l2tpsec_session *s, u32 portid, u32 seq,
			    int flags, struct netlink_callback *cb);
int l2tpsec_nl_dump_start(struct netlink_callback *cb);

int l2tpsec_channel_init(void);
void l2tpsec_channel_exit(void);

#endif /* _L2TPSEC_NETLINK_PRIV_H */
