// SPDX-License-Identifier: GPL-2.0
/*
 * monitor: print the module's events (SA expiry, first use, peer float,
 * session errors, lost frames) one per line until interrupted.
 */
#include <net/if.h>

#include <linux/l2tpsec.h>

#include "cli.h"
#include "objects.h"
#include "print.h"

static int event_rx(const struct nlmsghdr *nlh, void *arg)
{
	struct cli *c = arg;
	char ifname[IF_NAMESIZE];
	const char *name = NULL;
	struct l2_event event;
	struct json j;

	if (l2nl_genl_cmd(nlh) != L2TPSEC_CMD_EVENT)
		return 0;
	if (l2_decode_event(nlh, &event) < 0) {
		cli_error(c, "malformed event from the kernel, skipped");
		return 0;
	}
	if (event.ifindex && if_indextoname(event.ifindex, ifname))
		name = ifname;
	if (c->json) {
		json_init(&j, c->out);
		json_event(&j, &event, name);
	} else {
		print_event(c->out, &event, name);
	}
	fflush(c->out);
	return 0;
}

static int monitor_run(struct cli *c, const struct cli_cmd *cmd,
		       struct args *a)
{
	struct l2nl_error err;

	(void)cmd;
	(void)a;
	if (cli_netlink(c))
		return -1;
	if (l2nl_join(&c->nl, L2TPSEC_MCGRP_EVENTS, &err) < 0) {
		cli_report(c, &err, NULL);
		return -1;
	}
	c->nl.notify = event_rx;
	c->nl.notify_arg = c;
	return cli_listen(c, NULL, NULL);
}

const struct cli_cmd monitor_cmds[] = {
	{
		.object = "monitor", .usage = "",
		.run = monitor_run,
	},
	{ .object = NULL }
};
