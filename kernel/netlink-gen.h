/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/l2tpsec.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_L2TPSEC_GEN_H
#define _LINUX_L2TPSEC_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/l2tpsec.h>

/* Common nested types */
extern const struct nla_policy l2tpsec_frame_nl_policy[L2TPSEC_A_FRAME_PAYLOAD + 1];
extern const struct nla_policy l2tpsec_peer_nl_policy[L2TPSEC_A_PEER_STATS + 1];
extern const struct nla_policy l2tpsec_sa_nl_policy[L2TPSEC_A_SA_STATS + 1];
extern const struct nla_policy l2tpsec_session_nl_policy[L2TPSEC_A_SESSION_STATS + 1];
extern const struct nla_policy l2tpsec_stats_nl_policy[L2TPSEC_A_STATS_FRAME_RATE_DROPS + 1];

/* Global operation policy for l2tpsec */
extern const struct nla_policy l2tpsec_nl_policy[L2TPSEC_A_SOCK_ADDR + 1];

/* Ops table for l2tpsec */
extern const struct genl_small_ops l2tpsec_nl_ops[14];

int l2tpsec_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info);
int l2tpsec_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int l2tpsec_nl_dev_set_doit(struct sk_buff *skb, struct genl_info *info);
int l2tpsec_nl_peer_new_doit(struct sk_buff *skb, struct genl_info *info);
int l2tpsec_nl_peer_set_doit(struct sk_buff *skb, struct genl_info *info);
int l2tpsec_nl_peer_del_doit(struct sk_buff *skb, struct genl_info *info);
int l2tpsec_nl_peer_get_doit(struct sk_buff *skb, struct genl_info *info);
int l2tpsec_nl_peer_get_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb);
int l2tpsec_nl_sa_new_doit(struct sk_buff *skb, struct genl_info *info);
int l2tpsec_nl_sa_del_doit(struct sk_buff *skb, struct genl_info *info);
int l2tpsec_nl_sa_get_doit(struct sk_buff *skb, struct genl_info *info);
int l2tpsec_nl_sa_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int l2tpsec_nl_session_new_doit(struct sk_buff *skb, struct genl_info *info);
int l2tpsec_nl_session_set_doit(struct sk_buff *skb, struct genl_info *info);
int l2tpsec_nl_session_del_doit(struct sk_buff *skb, struct genl_info *info);
int l2tpsec_nl_session_get_doit(struct sk_buff *skb, struct genl_info *info);
int l2tpsec_nl_session_get_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb);
int l2tpsec_nl_frame_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	L2TPSEC_NLGRP_EVENTS,
};

extern const struct genl_multicast_group l2tpsec_nl_mcgrps[1];

#endif /* _LINUX_L2TPSEC_GEN_H */
