// SPDX-License-Identifier: GPL-2.0
/*
 * peer add | set | del | show
 */
#include <errno.h>

#include <linux/l2tpsec.h>

#include "cli.h"
#include "show.h"

/* Default outer UDP port of ESP-in-UDP (RFC 3948). */
#define NATT_PORT	4500

static const struct arg_spec peer_add_args[] = {
	{ "id",	    ARG_ID,   L2TPSEC_A_PEER_ID, 0, ARG_REQUIRED, NULL },
	{ "encap",  ARG_ENUM, L2TPSEC_A_PEER_ENCAP, 0, ARG_REQUIRED,
	  l2_encap_names },
	{ "local",  ARG_IPV4, L2TPSEC_A_PEER_LOCAL_IPV4, 0, ARG_REQUIRED,
	  NULL },
	{ "remote", ARG_IPV4, L2TPSEC_A_PEER_REMOTE_IPV4, 0, ARG_REQUIRED,
	  NULL },
	{ "lport",  ARG_PORT, L2TPSEC_A_PEER_LOCAL_PORT, 0, 0, NULL },
	{ "rport",  ARG_PORT, L2TPSEC_A_PEER_REMOTE_PORT, 0, 0, NULL },
};

static int peer_add_check(struct cli *c, struct args *a)
{
	if (args_u64(a, "encap") != L2TPSEC_ENCAP_UDP) {
		if (args_has(a, "lport") || args_has(a, "rport")) {
			cli_error(c, "\"lport\" and \"rport\" need \"encap udp\"");
			return -EINVAL;
		}
		return 0;
	}
	if (!args_has(a, "lport"))
		args_set_u64(a, "lport", NATT_PORT);
	if (!args_has(a, "rport"))
		args_set_u64(a, "rport", NATT_PORT);
	return 0;
}

static const struct arg_spec peer_set_args[] = {
	{ "id",	    ARG_ID,   L2TPSEC_A_PEER_ID, 0, ARG_REQUIRED, NULL },
	{ "tx-spi", ARG_ID,   L2TPSEC_A_PEER_TX_SPI, 0, 0, NULL },
	{ "remote", ARG_IPV4, L2TPSEC_A_PEER_REMOTE_IPV4, 0, 0, NULL },
	{ "rport",  ARG_PORT, L2TPSEC_A_PEER_REMOTE_PORT, 0, 0, NULL },
};

static int peer_set_check(struct cli *c, struct args *a)
{
	if (!args_has(a, "tx-spi") && !args_has(a, "remote") &&
	    !args_has(a, "rport")) {
		cli_error(c, "nothing to change: give \"tx-spi\", \"remote\" or \"rport\"");
		return -EINVAL;
	}
	return 0;
}

static const struct arg_spec peer_del_args[] = {
	{ "id",	ARG_ID, L2TPSEC_A_PEER_ID, 0, ARG_REQUIRED, NULL },
};

const struct cli_cmd peer_cmds[] = {
	{
		.object = "peer", .verb = "add",
		.usage = "DEV id ID encap none|udp local A.B.C.D remote A.B.C.D [lport N] [rport N]",
		.genl_cmd = L2TPSEC_CMD_PEER_NEW, .nest = L2TPSEC_A_PEER,
		.flags = CMD_DEV,
		.args = peer_add_args, .nargs = ARRAY_SIZE(peer_add_args),
		.check = peer_add_check,
	}, {
		.object = "peer", .verb = "set",
		.usage = "DEV id ID [tx-spi SPI] [remote A.B.C.D] [rport N]",
		.genl_cmd = L2TPSEC_CMD_PEER_SET, .nest = L2TPSEC_A_PEER,
		.flags = CMD_DEV,
		.args = peer_set_args, .nargs = ARRAY_SIZE(peer_set_args),
		.check = peer_set_check,
	}, {
		.object = "peer", .verb = "del", .usage = "DEV id ID",
		.genl_cmd = L2TPSEC_CMD_PEER_DEL, .nest = L2TPSEC_A_PEER,
		.flags = CMD_DEV,
		.args = peer_del_args, .nargs = ARRAY_SIZE(peer_del_args),
	}, {
		.object = "peer", .verb = "show", .usage = "DEV",
		.genl_cmd = L2TPSEC_CMD_PEER_GET, .flags = CMD_DEV,
		.run = show_peers,
	},
	{ .object = NULL }
};
