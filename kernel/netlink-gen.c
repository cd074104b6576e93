// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/l2tpsec.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <uapi/linux/l2tpsec.h>

/* Common nested types */
const struct nla_policy l2tpsec_frame_nl_policy[L2TPSEC_A_FRAME_PAYLOAD + 1] = {
	[L2TPSEC_A_FRAME_KIND] = NLA_POLICY_RANGE(NLA_U8, 1, 2),
	[L2TPSEC_A_FRAME_PEER_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[L2TPSEC_A_FRAME_LOCAL_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[L2TPSEC_A_FRAME_REMOTE_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[L2TPSEC_A_FRAME_LOCAL_TUNNEL_ID] = NLA_POLICY_MIN(NLA_U16, 1),
	[L2TPSEC_A_FRAME_LOCAL_SESSION_ID] = NLA_POLICY_MIN(NLA_U16, 1),
	[L2TPSEC_A_FRAME_PAYLOAD] = NLA_POLICY_MAX_LEN(4000),
};

const struct nla_policy l2tpsec_peer_nl_policy[L2TPSEC_A_PEER_STATS + 1] = {
	[L2TPSEC_A_PEER_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[L2TPSEC_A_PEER_ENCAP] = NLA_POLICY_MAX(NLA_U8, 1),
	[L2TPSEC_A_PEER_LOCAL_IPV4] = NLA_POLICY_EXACT_LEN(4),
	[L2TPSEC_A_PEER_REMOTE_IPV4] = NLA_POLICY_EXACT_LEN(4),
	[L2TPSEC_A_PEER_LOCAL_PORT] = { .type = NLA_U16, },
	[L2TPSEC_A_PEER_REMOTE_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[L2TPSEC_A_PEER_TX_SPI] = NLA_POLICY_MIN(NLA_U32, 1),
	[L2TPSEC_A_PEER_STATS] = NLA_POLICY_NESTED(l2tpsec_stats_nl_policy),
};

const struct nla_policy l2tpsec_sa_nl_policy[L2TPSEC_A_SA_STATS + 1] = {
	[L2TPSEC_A_SA_SPI] = NLA_POLICY_MIN(NLA_U32, 1),
	[L2TPSEC_A_SA_DIR] = NLA_POLICY_RANGE(NLA_U8, 1, 2),
	[L2TPSEC_A_SA_PEER_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[L2TPSEC_A_SA_CIPHER] = NLA_POLICY_RANGE(NLA_U8, 1, 3),
	[L2TPSEC_A_SA_INTEG] = NLA_POLICY_MAX(NLA_U8, 5),
	[L2TPSEC_A_SA_ENC_KEY] = NLA_POLICY_MAX_LEN(36),
	[L2TPSEC_A_SA_AUTH_KEY] = NLA_POLICY_MAX_LEN(64),
	[L2TPSEC_A_SA_ICV_LEN] = NLA_POLICY_MAX(NLA_U8, 32),
	[L2TPSEC_A_SA_REPLAY_WINDOW] = NLA_POLICY_RANGE(NLA_U32, 1024, 4096),
	[L2TPSEC_A_SA_SOFT_BYTES] = { .type = NLA_U64, },
	[L2TPSEC_A_SA_HARD_BYTES] = { .type = NLA_U64, },
	[L2TPSEC_A_SA_SOFT_PACKETS] = { .type = NLA_U64, },
	[L2TPSEC_A_SA_HARD_PACKETS] = { .type = NLA_U64, },
	[L2TPSEC_A_SA_SOFT_SECONDS] = { .type = NLA_U64, },
	[L2TPSEC_A_SA_HARD_SECONDS] = { .type = NLA_U64, },
	[L2TPSEC_A_SA_SEQ] = { .type = NLA_U64, },
	[L2TPSEC_A_SA_AGE] = { .type = NLA_U64, },
	[L2TPSEC_A_SA_STATS] = NLA_POLICY_NESTED(l2tpsec_stats_nl_policy),
};

const struct nla_policy l2tpsec_session_nl_policy[L2TPSEC_A_SESSION_STATS + 1] = {
	[L2TPSEC_A_SESSION_PEER_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[L2TPSEC_A_SESSION_LOCAL_TUNNEL_ID] = NLA_POLICY_MIN(NLA_U16, 1),
	[L2TPSEC_A_SESSION_LOCAL_SESSION_ID] = NLA_POLICY_MIN(NLA_U16, 1),
	[L2TPSEC_A_SESSION_REMOTE_TUNNEL_ID] = NLA_POLICY_MIN(NLA_U16, 1),
	[L2TPSEC_A_SESSION_REMOTE_SESSION_ID] = NLA_POLICY_MIN(NLA_U16, 1),
	[L2TPSEC_A_SESSION_LOCAL_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[L2TPSEC_A_SESSION_REMOTE_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[L2TPSEC_A_SESSION_PEER_IPV4] = NLA_POLICY_EXACT_LEN(4),
	[L2TPSEC_A_SESSION_PEER_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[L2TPSEC_A_SESSION_PEER_IPV6_PREFIXLEN] = NLA_POLICY_RANGE(NLA_U8, 64, 128),
	[L2TPSEC_A_SESSION_L2TP_LENGTH] = NLA_POLICY_MAX(NLA_U8, 1),
	[L2TPSEC_A_SESSION_L2TP_SEQ] = NLA_POLICY_MAX(NLA_U8, 1),
	[L2TPSEC_A_SESSION_PPP_ACFC] = NLA_POLICY_MAX(NLA_U8, 1),
	[L2TPSEC_A_SESSION_PPP_PFC] = NLA_POLICY_MAX(NLA_U8, 1),
	[L2TPSEC_A_SESSION_STATS] = NLA_POLICY_NESTED(l2tpsec_stats_nl_policy),
};

const struct nla_policy l2tpsec_stats_nl_policy[L2TPSEC_A_STATS_FRAME_RATE_DROPS + 1] = {
	[L2TPSEC_A_STATS_RX_PACKETS] = { .type = NLA_U64, },
	[L2TPSEC_A_STATS_RX_BYTES] = { .type = NLA_U64, },
	[L2TPSEC_A_STATS_TX_PACKETS] = { .type = NLA_U64, },
	[L2TPSEC_A_STATS_TX_BYTES] = { .type = NLA_U64, },
	[L2TPSEC_A_STATS_REPLAY_DROPS] = { .type = NLA_U64, },
	[L2TPSEC_A_STATS_ICV_FAILS] = { .type = NLA_U64, },
	[L2TPSEC_A_STATS_MALFORMED_DROPS] = { .type = NLA_U64, },
	[L2TPSEC_A_STATS_NO_SESSION_DROPS] = { .type = NLA_U64, },
	[L2TPSEC_A_STATS_NO_SA_DROPS] = { .type = NLA_U64, },
	[L2TPSEC_A_STATS_TX_ERRORS] = { .type = NLA_U64, },
	[L2TPSEC_A_STATS_EXPIRED_DROPS] = { .type = NLA_U64, },
	[L2TPSEC_A_STATS_NO_ROUTE_DROPS] = { .type = NLA_U64, },
	[L2TPSEC_A_STATS_FRAMES_LOST] = { .type = NLA_U64, },
	[L2TPSEC_A_STATS_INNER_SOURCE_DROPS] = { .type = NLA_U64, },
	[L2TPSEC_A_STATS_CRYPTO_BACKLOG_DROPS] = { .type = NLA_U64, },
	[L2TPSEC_A_STATS_NOMEM_DROPS] = { .type = NLA_U64, },
	[L2TPSEC_A_STATS_FRAME_RATE_DROPS] = { .type = NLA_U64, },
};

/* Global operation policy for l2tpsec */
const struct nla_policy l2tpsec_nl_policy[L2TPSEC_A_SOCK_ADDR + 1] = {
	[L2TPSEC_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[L2TPSEC_A_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[L2TPSEC_A_SOCK_FD] = NLA_POLICY_MIN(NLA_S32, L2TPSEC_SOCK_FD_DETACH),
	[L2TPSEC_A_MSS_CLAMP] = NLA_POLICY_MAX(NLA_U8, 1),
	[L2TPSEC_A_FRAME_LISTEN] = NLA_POLICY_MAX(NLA_U8, 1),
	[L2TPSEC_A_SOCK_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[L2TPSEC_A_PEER] = NLA_POLICY_NESTED(l2tpsec_peer_nl_policy),
	[L2TPSEC_A_SA] = NLA_POLICY_NESTED(l2tpsec_sa_nl_policy),
	[L2TPSEC_A_SESSION] = NLA_POLICY_NESTED(l2tpsec_session_nl_policy),
	[L2TPSEC_A_FRAME] = NLA_POLICY_NESTED(l2tpsec_frame_nl_policy),
	[L2TPSEC_A_SINGLE_SESSION_FALLBACK] = NLA_POLICY_MAX(NLA_U8, 1),
	[L2TPSEC_A_SOCK_ADDR] = { .type = NLA_U32, },
};

/* Ops table for l2tpsec */
const struct genl_small_ops l2tpsec_nl_ops[14] = {
	{
		.cmd	= L2TPSEC_CMD_DEV_GET,
		.doit	= l2tpsec_nl_dev_get_doit,
		.dumpit	= l2tpsec_nl_dev_get_dumpit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= L2TPSEC_CMD_DEV_SET,
		.doit	= l2tpsec_nl_dev_set_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= L2TPSEC_CMD_PEER_NEW,
		.doit	= l2tpsec_nl_peer_new_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= L2TPSEC_CMD_PEER_SET,
		.doit	= l2tpsec_nl_peer_set_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= L2TPSEC_CMD_PEER_DEL,
		.doit	= l2tpsec_nl_peer_del_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= L2TPSEC_CMD_PEER_GET,
		.doit	= l2tpsec_nl_peer_get_doit,
		.dumpit	= l2tpsec_nl_peer_get_dumpit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= L2TPSEC_CMD_SA_NEW,
		.doit	= l2tpsec_nl_sa_new_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= L2TPSEC_CMD_SA_DEL,
		.doit	= l2tpsec_nl_sa_del_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= L2TPSEC_CMD_SA_GET,
		.doit	= l2tpsec_nl_sa_get_doit,
		.dumpit	= l2tpsec_nl_sa_get_dumpit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= L2TPSEC_CMD_SESSION_NEW,
		.doit	= l2tpsec_nl_session_new_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= L2TPSEC_CMD_SESSION_SET,
		.doit	= l2tpsec_nl_session_set_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= L2TPSEC_CMD_SESSION_DEL,
		.doit	= l2tpsec_nl_session_del_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= L2TPSEC_CMD_SESSION_GET,
		.doit	= l2tpsec_nl_session_get_doit,
		.dumpit	= l2tpsec_nl_session_get_dumpit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd	= L2TPSEC_CMD_FRAME,
		.doit	= l2tpsec_nl_frame_doit,
		.flags	= GENL_UNS_ADMIN_PERM,
	},
};

const struct genl_multicast_group l2tpsec_nl_mcgrps[] = {
	[L2TPSEC_NLGRP_EVENTS] = { "events", .flags = GENL_MCAST_CAP_NET_ADMIN, },
};
