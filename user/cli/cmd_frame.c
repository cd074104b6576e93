// SPDX-License-Identifier: GPL-2.0
/*
 * frame send | listen: L2TP control messages and PPP control packets
 * between the command line and the module.
 */
#include <errno.h>
#include <net/if.h>

#include <linux/l2tpsec.h>

#include "cli.h"
#include "objects.h"
#include "print.h"

static const struct arg_spec frame_send_args[] = {
	{ "peer",      ARG_ID,   L2TPSEC_A_FRAME_PEER_ID, 0, ARG_REQUIRED,
	  NULL },
	{ "l2tp-ctrl", ARG_FLAG, 0, 0, 0, NULL },
	{ "ppp",       ARG_FLAG, 0, 0, 0, NULL },
	{ "tunnel",    ARG_U16,  L2TPSEC_A_FRAME_LOCAL_TUNNEL_ID, 0, 0, NULL },
	{ "session",   ARG_U16,  L2TPSEC_A_FRAME_LOCAL_SESSION_ID, 0, 0, NULL },
	{ "lport",     ARG_PORT, L2TPSEC_A_FRAME_LOCAL_PORT, 0, 0, NULL },
	{ "rport",     ARG_PORT, L2TPSEC_A_FRAME_REMOTE_PORT, 0, 0, NULL },
	{ "payload",   ARG_HEX,  L2TPSEC_A_FRAME_PAYLOAD, 0,
	  ARG_REQUIRED | ARG_POSITIONAL, NULL },
};

static int frame_send_check(struct cli *c, struct args *a)
{
	bool ctrl = args_has(a, "l2tp-ctrl"), ppp = args_has(a, "ppp");

	if (ctrl == ppp) {
		cli_error(c, "give either \"l2tp-ctrl\" or \"ppp\"");
		return -EINVAL;
	}
	if (ppp && !args_has(a, "tunnel")) {
		cli_error(c, "missing \"tunnel\" for a ppp frame");
		return -EINVAL;
	}
	if (ppp && !args_has(a, "session")) {
		cli_error(c, "missing \"session\" for a ppp frame");
		return -EINVAL;
	}
	if (ppp && (args_has(a, "lport") || args_has(a, "rport"))) {
		cli_error(c, "\"lport\" and \"rport\" apply to l2tp-ctrl frames");
		return -EINVAL;
	}
	if (ctrl && (args_has(a, "tunnel") || args_has(a, "session"))) {
		cli_error(c, "\"tunnel\" and \"session\" apply to ppp frames");
		return -EINVAL;
	}
	return 0;
}

static int frame_send_encode(const struct args *a, struct nl_msg *msg)
{
	return nla_put_u8(msg, L2TPSEC_A_FRAME_KIND,
			  args_has(a, "ppp") ? L2TPSEC_FRAME_PPP :
					       L2TPSEC_FRAME_L2TP_CTRL);
}

static const struct arg_spec frame_listen_args[] = {
	{ "count", ARG_U64, 0, 0, 0, NULL },
};

struct frame_listen {
	struct cli	*c;
	const char	*dev;
	uint64_t	count;		/* 0: until a signal */
	uint64_t	seen;
	bool		stop;
};

static bool frame_listen_done(void *arg)
{
	struct frame_listen *fl = arg;

	return fl->stop || (fl->count && fl->seen >= fl->count);
}

static int frame_rx(const struct nlmsghdr *nlh, void *arg)
{
	struct frame_listen *fl = arg;
	char ifname[IF_NAMESIZE];
	struct l2_frame frame;
	struct json j;

	if (l2nl_genl_cmd(nlh) != L2TPSEC_CMD_FRAME || frame_listen_done(fl))
		return 0;
	if (l2_decode_frame(nlh, &frame) < 0) {
		cli_error(fl->c, "malformed frame from the kernel, skipped");
		return 0;
	}
	if (fl->c->json) {
		json_init(&j, fl->c->out);
		json_frame(&j, &frame,
			   frame.ifindex && if_indextoname(frame.ifindex, ifname) ?
			   ifname : fl->dev);
	} else {
		print_frame(fl->c->out, &frame);
	}
	fflush(fl->c->out);
	fl->seen++;
	return 0;
}

/* Become the device's frame listener, print frames, then step down. */
static int frame_listen_run(struct cli *c, const struct cli_cmd *cmd,
			    struct args *a)
{
	struct frame_listen fl = {
		.c = c, .dev = a->dev, .count = args_u64(a, "count"),
	};
	struct nl_msg *msg;
	int ret;

	(void)cmd;
	if (cli_netlink(c))
		return -1;
	c->nl.notify = frame_rx;
	c->nl.notify_arg = &fl;

	msg = cli_msg(c, L2TPSEC_CMD_DEV_SET, 0, 0);
	if (!msg)
		return -1;
	if (cli_put_dev(msg, a->dev) < 0 ||
	    nla_put_u8(msg, L2TPSEC_A_FRAME_LISTEN, 1) < 0) {
		nlmsg_free(msg);
		return -1;
	}
	if (cli_send(c, msg, NULL, NULL))
		return -1;

	ret = cli_listen(c, frame_listen_done, &fl);

	/* Best effort: the kernel also forgets a listener that closes. */
	fl.stop = true;
	msg = cli_msg(c, L2TPSEC_CMD_DEV_SET, 0, 0);
	if (msg) {
		struct l2nl_error err;

		if (!cli_put_dev(msg, a->dev) &&
		    !nla_put_u8(msg, L2TPSEC_A_FRAME_LISTEN, 0))
			l2nl_do(&c->nl, msg, NULL, NULL, &err);
		nlmsg_free(msg);
	}
	return ret;
}

const struct cli_cmd frame_cmds[] = {
	{
		.object = "frame", .verb = "send",
		.usage = "DEV peer ID l2tp-ctrl HEX [lport N] [rport N]\n"
			 "frame send DEV peer ID ppp tunnel T session S HEX",
		.genl_cmd = L2TPSEC_CMD_FRAME, .nest = L2TPSEC_A_FRAME,
		.flags = CMD_DEV,
		.args = frame_send_args, .nargs = ARRAY_SIZE(frame_send_args),
		.check = frame_send_check, .encode = frame_send_encode,
	}, {
		.object = "frame", .verb = "listen", .usage = "DEV [count N]",
		.genl_cmd = L2TPSEC_CMD_DEV_SET, .flags = CMD_DEV,
		.args = frame_listen_args,
		.nargs = ARRAY_SIZE(frame_listen_args),
		.run = frame_listen_run,
	},
	{ .object = NULL }
};
