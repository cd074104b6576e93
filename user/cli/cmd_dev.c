// SPDX-License-Identifier: GPL-2.0
/*
 * dev set | attach | detach | show
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/l2tpsec.h>

#include "cli.h"
#include "show.h"

static const struct arg_spec dev_set_args[] = {
	{ "mss-clamp",	ARG_BOOL, L2TPSEC_A_MSS_CLAMP,	  0, ARG_TOP, NULL },
	{ "listen",	ARG_BOOL, L2TPSEC_A_FRAME_LISTEN, 0, ARG_TOP, NULL },
	{ "fallback",	ARG_BOOL, L2TPSEC_A_SINGLE_SESSION_FALLBACK, 0, ARG_TOP,
	  NULL },
};

static int dev_set_check(struct cli *c, struct args *a)
{
	if (!args_has(a, "mss-clamp") && !args_has(a, "listen") &&
	    !args_has(a, "fallback")) {
		cli_error(c, "nothing to change: give \"mss-clamp\", \"listen\" or \"fallback\"");
		return -EINVAL;
	}
	return 0;
}

/*
 * The module opens and binds the socket itself: a kernel socket, which
 * stays after we exit without keeping the network namespace alive (a
 * socket of ours would close with us, and the module lets go of a closed
 * socket).
 */
static const struct arg_spec dev_attach_args[] = {
	{ "port",	ARG_PORT, L2TPSEC_A_SOCK_PORT, 0, ARG_REQUIRED | ARG_TOP,
	  NULL },
	{ "addr",	ARG_IPV4, L2TPSEC_A_SOCK_ADDR, 0, ARG_TOP, NULL },
};

/* dev detach: SOCK_FD -1. */
static int put_sock_fd(const struct args *a, struct nl_msg *msg)
{
	return nla_put_s32(msg, L2TPSEC_A_SOCK_FD, a->sock_fd);
}

const struct cli_cmd dev_cmds[] = {
	{
		.object = "dev", .verb = "show", .usage = "[DEV]",
		.genl_cmd = L2TPSEC_CMD_DEV_GET, .flags = CMD_DEV_OPT,
		.run = show_devs,
	}, {
		.object = "dev", .verb = "set",
		.usage = "DEV [mss-clamp on|off] [listen on|off] [fallback on|off]",
		.genl_cmd = L2TPSEC_CMD_DEV_SET, .flags = CMD_DEV,
		.args = dev_set_args, .nargs = ARRAY_SIZE(dev_set_args),
		.check = dev_set_check,
	}, {
		.object = "dev", .verb = "attach",
		.usage = "DEV port PORT [addr A.B.C.D]",
		.genl_cmd = L2TPSEC_CMD_DEV_SET, .flags = CMD_DEV,
		.args = dev_attach_args, .nargs = ARRAY_SIZE(dev_attach_args),
	}, {
		.object = "dev", .verb = "detach", .usage = "DEV",
		.genl_cmd = L2TPSEC_CMD_DEV_SET, .flags = CMD_DEV,
		.encode = put_sock_fd,
	},
	{ .object = NULL }
};
