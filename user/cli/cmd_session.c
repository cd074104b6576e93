// SPDX-License-Identifier: GPL-2.0
/*
 * session add | set | del | show
 */
#include <errno.h>

#include <linux/l2tpsec.h>

#include "cli.h"
#include "show.h"

#define SESSION_KEY_ARGS \
	{ "peer",    ARG_ID,  L2TPSEC_A_SESSION_PEER_ID, 0, ARG_REQUIRED, NULL }, \
	{ "tunnel",  ARG_U16, L2TPSEC_A_SESSION_LOCAL_TUNNEL_ID, 0, \
	  ARG_REQUIRED, NULL }, \
	{ "session", ARG_U16, L2TPSEC_A_SESSION_LOCAL_SESSION_ID, 0, \
	  ARG_REQUIRED, NULL }

#define SESSION_OPTION_ARGS \
	{ "ipv4",	 ARG_IPV4, L2TPSEC_A_SESSION_PEER_IPV4, 0, 0, NULL }, \
	{ "ipv6",	 ARG_IPV6_PREFIX, L2TPSEC_A_SESSION_PEER_IPV6, \
	  L2TPSEC_A_SESSION_PEER_IPV6_PREFIXLEN, 0, NULL }, \
	{ "l2tp-length", ARG_BOOL, L2TPSEC_A_SESSION_L2TP_LENGTH, 0, 0, NULL }, \
	{ "l2tp-seq",	 ARG_BOOL, L2TPSEC_A_SESSION_L2TP_SEQ, 0, 0, NULL }, \
	{ "acfc",	 ARG_BOOL, L2TPSEC_A_SESSION_PPP_ACFC, 0, 0, NULL }, \
	{ "pfc",	 ARG_BOOL, L2TPSEC_A_SESSION_PPP_PFC, 0, 0, NULL }

static const struct arg_spec session_add_args[] = {
	SESSION_KEY_ARGS,
	{ "peer-tunnel",  ARG_U16, L2TPSEC_A_SESSION_REMOTE_TUNNEL_ID, 0,
	  ARG_REQUIRED, NULL },
	{ "peer-session", ARG_U16, L2TPSEC_A_SESSION_REMOTE_SESSION_ID, 0,
	  ARG_REQUIRED, NULL },
	{ "lport", ARG_PORT, L2TPSEC_A_SESSION_LOCAL_PORT, 0, 0, NULL },
	{ "rport", ARG_PORT, L2TPSEC_A_SESSION_REMOTE_PORT, 0, 0, NULL },
	SESSION_OPTION_ARGS,
};

static const struct arg_spec session_set_args[] = {
	SESSION_KEY_ARGS,
	SESSION_OPTION_ARGS,
};

static int session_set_check(struct cli *c, struct args *a)
{
	static const char * const options[] = {
		"ipv4", "ipv6", "l2tp-length", "l2tp-seq", "acfc", "pfc",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(options); i++)
		if (args_has(a, options[i]))
			return 0;
	cli_error(c, "nothing to change: give ipv4, ipv6, l2tp-length, l2tp-seq, acfc or pfc");
	return -EINVAL;
}

static const struct arg_spec session_del_args[] = {
	SESSION_KEY_ARGS,
};

const struct cli_cmd session_cmds[] = {
	{
		.object = "session", .verb = "add",
		.usage = "DEV peer ID tunnel LTID session LSID peer-tunnel RTID peer-session RSID\n"
			 "\t[lport N] [rport N] [ipv4 A.B.C.D] [ipv6 PREFIX/LEN]\n"
			 "\t[l2tp-length on|off] [l2tp-seq on|off] [acfc on|off] [pfc on|off]",
		.genl_cmd = L2TPSEC_CMD_SESSION_NEW, .nest = L2TPSEC_A_SESSION,
		.flags = CMD_DEV,
		.args = session_add_args, .nargs = ARRAY_SIZE(session_add_args),
	}, {
		.object = "session", .verb = "set",
		.usage = "DEV peer ID tunnel LTID session LSID [ipv4 A.B.C.D] [ipv6 PREFIX/LEN]\n"
			 "\t[l2tp-length on|off] [l2tp-seq on|off] [acfc on|off] [pfc on|off]",
		.genl_cmd = L2TPSEC_CMD_SESSION_SET, .nest = L2TPSEC_A_SESSION,
		.flags = CMD_DEV,
		.args = session_set_args, .nargs = ARRAY_SIZE(session_set_args),
		.check = session_set_check,
	}, {
		.object = "session", .verb = "del",
		.usage = "DEV peer ID tunnel LTID session LSID",
		.genl_cmd = L2TPSEC_CMD_SESSION_DEL, .nest = L2TPSEC_A_SESSION,
		.flags = CMD_DEV,
		.args = session_del_args, .nargs = ARRAY_SIZE(session_del_args),
	}, {
		.object = "session", .verb = "show", .usage = "DEV",
		.genl_cmd = L2TPSEC_CMD_SESSION_GET, .flags = CMD_DEV,
		.run = show_sessions,
	},
	{ .object = NULL }
};
