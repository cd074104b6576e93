// SPDX-License-Identifier: GPL-2.0
/*
 * Building requests from parsed arguments, sending them, and reporting the
 * kernel's answer.
 */
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <string.h>

#include <netlink/errno.h>

#include <linux/l2tpsec.h>

#include "cli.h"
#include "names.h"

void cli_error(struct cli *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(c->err, CLI_NAME ": ");
	if (c->cmd)
		fprintf(c->err, "%s: ", c->cmd);
	va_start(ap, fmt);
	vfprintf(c->err, fmt, ap);
	va_end(ap);
	fputc('\n', c->err);
}

int cli_netlink(struct cli *c)
{
	struct l2nl_error err;

	if (c->nl_open)
		return 0;
	if (l2nl_open(&c->nl, &err) < 0) {
		cli_report(c, &err, NULL);
		return -1;
	}
	c->nl_open = true;
	return 0;
}

void cli_report(struct cli *c, const struct l2nl_error *err,
		struct nl_msg *req)
{
	const struct nlmsghdr *nlh = req ? nlmsg_hdr(req) : NULL;
	const char *sep = "";
	char attr[128];

	fprintf(c->err, CLI_NAME ": %s: ", c->cmd ? c->cmd : "netlink");
	if (err->error) {
		fputs(strerror(err->error), c->err);
		sep = ": ";
	}
	if (err->lib) {
		fprintf(c->err, "%snetlink: %s", sep, nl_geterror(err->lib));
		sep = ": ";
	}
	if (err->msg[0]) {
		fprintf(c->err, "%s%s", sep, err->msg);
		sep = ": ";
	}
	if (!*sep)
		fputs("unknown error", c->err);
	if (nlh && err->has_miss_type &&
	    !l2_attr_missing(nlh, err->has_miss_nest, err->miss_nest,
			     err->miss_type, attr, sizeof(attr)))
		fprintf(c->err, " (missing attribute %s)", attr);
	else if (nlh && err->has_offs &&
		 !l2_attr_at(nlh, err->offs, attr, sizeof(attr)))
		fprintf(c->err, " (attribute %s)", attr);
	fputc('\n', c->err);
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

int cli_put_dev(struct nl_msg *msg, const char *dev)
{
	uint64_t ifindex;

	if (all_digits(dev) && !if_nametoindex(dev) &&
	    !parse_uint(dev, 31, &ifindex) && ifindex)
		return nla_put_u32(msg, L2TPSEC_A_IFINDEX, (uint32_t)ifindex);
	return nla_put_string(msg, L2TPSEC_A_IFNAME, dev);
}

struct nl_msg *cli_msg(struct cli *c, uint8_t genl_cmd, int flags,
		       size_t payload)
{
	struct nl_msg *msg;

	msg = l2nl_msg_new(c->nl_open ? c->nl.family : 0, genl_cmd, flags,
			   payload);
	if (!msg)
		cli_error(c, "out of memory");
	return msg;
}

struct nl_msg *cli_build(struct cli *c, const struct cli_cmd *cmd,
			 const struct args *a)
{
	struct nlattr *nest = NULL;
	struct nl_msg *msg;
	size_t payload = 0;
	unsigned int i;

	for (i = 0; i < a->n; i++)
		payload += a->val[i].len;
	msg = cli_msg(c, cmd->genl_cmd, 0, payload);
	if (!msg)
		return NULL;
	if (a->dev && cli_put_dev(msg, a->dev) < 0)
		goto err_free;
	if (args_encode(a, msg, true) < 0)
		goto err_free;
	if (cmd->nest) {
		nest = nla_nest_start(msg, cmd->nest);
		if (!nest)
			goto err_free;
	}
	/* Without a nest, every argument is a top-level attribute. */
	if (args_encode(a, msg, false) < 0)
		goto err_free;
	if (cmd->encode && cmd->encode(a, msg) < 0)
		goto err_free;
	if (nest)
		nla_nest_end(msg, nest);
	return msg;

err_free:
	cli_error(c, "request too large");
	nlmsg_free(msg);
	return NULL;
}

int cli_send(struct cli *c, struct nl_msg *msg, l2nl_msg_fn fn, void *arg)
{
	struct l2nl_error err;
	int ret;

	ret = l2nl_do(&c->nl, msg, fn, arg, &err);
	if (ret < 0)
		cli_report(c, &err, msg);
	nlmsg_free(msg);
	return ret < 0 ? -1 : 0;
}

int cli_run_do(struct cli *c, const struct cli_cmd *cmd, struct args *a)
{
	struct nl_msg *msg;

	if (cli_netlink(c))
		return -1;
	msg = cli_build(c, cmd, a);
	if (!msg)
		return -1;
	return cli_send(c, msg, NULL, NULL);
}
