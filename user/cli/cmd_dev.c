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

static const struct arg_spec dev_attach_args[] = {
	{ "port",	ARG_PORT, 0, 0, ARG_REQUIRED, NULL },
	{ "addr",	ARG_IPV4, 0, 0, 0, NULL },
};

/* SOCK_FD: the socket dev attach opened, -1 (detach) otherwise. */
static int put_sock_fd(const struct args *a, struct nl_msg *msg)
{
	return nla_put_s32(msg, L2TPSEC_A_SOCK_FD, a->sock_fd);
}

int dev_attach_socket(struct cli *c, const struct args *a, int *fdp)
{
	const struct arg_val *addr = args_get(a, "addr");
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons((uint16_t)args_u64(a, "port")),
		.sin_addr.s_addr = addr ? addr->v4.s_addr : htonl(INADDR_ANY),
	};
	char buf[INET_ADDRSTRLEN];
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd < 0) {
		cli_error(c, "UDP socket: %s", strerror(errno));
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		cli_error(c, "bind UDP %s:%u: %s",
			  inet_ntop(AF_INET, &sin.sin_addr, buf, sizeof(buf)),
			  ntohs(sin.sin_port), strerror(errno));
		close(fd);
		return -1;
	}
	*fdp = fd;
	return 0;
}

/*
 * The module takes its own reference to the socket's file, so ours is
 * closed whatever the answer.
 */
static int dev_attach_run(struct cli *c, const struct cli_cmd *cmd,
			  struct args *a)
{
	struct nl_msg *msg;
	int fd, ret;

	if (cli_netlink(c) || dev_attach_socket(c, a, &fd))
		return -1;
	a->sock_fd = fd;
	msg = cli_build(c, cmd, a);
	ret = msg ? cli_send(c, msg, NULL, NULL) : -1;
	a->sock_fd = -1;
	close(fd);
	return ret;
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
		.encode = put_sock_fd, .run = dev_attach_run,
	}, {
		.object = "dev", .verb = "detach", .usage = "DEV",
		.genl_cmd = L2TPSEC_CMD_DEV_SET, .flags = CMD_DEV,
		.encode = put_sock_fd,
	},
	{ .object = NULL }
};
