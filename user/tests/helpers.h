/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared helpers of the CLI unit tests: a CLI context whose output and
 * errors go to memory, and accessors for the request it builds.
 */
#ifndef L2TPSEC_TESTS_HELPERS_H
#define L2TPSEC_TESTS_HELPERS_H

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <linux/genetlink.h>
#include <linux/l2tpsec.h>
#include <netlink/genl/genl.h>

#include "cli.h"

struct capture {
	struct cli	c;
	char		*out, *err;
	size_t		out_len, err_len;
	FILE		*out_f, *err_f;
};

static inline void capture_start(struct capture *cap)
{
	memset(cap, 0, sizeof(*cap));
	cap->out_f = open_memstream(&cap->out, &cap->out_len);
	cap->err_f = open_memstream(&cap->err, &cap->err_len);
	assert_non_null(cap->out_f);
	assert_non_null(cap->err_f);
	cli_init(&cap->c, cap->out_f, cap->err_f);
}

/* Flush, so that cap->out and cap->err hold what was written. */
static inline void capture_sync(struct capture *cap)
{
	fflush(cap->out_f);
	fflush(cap->err_f);
}

static inline void capture_end(struct capture *cap)
{
	cli_fini(&cap->c);
	fclose(cap->out_f);
	fclose(cap->err_f);
	free(cap->out);
	free(cap->err);
}

/* Run a whole command line ("l2tpsec" is prepended); returns its status. */
static inline int run_cli(struct capture *cap, int argc,
			  const char *const *argv)
{
	char *args[64];
	int i;

	assert_true(argc < 63);
	args[0] = (char *)"l2tpsec";
	for (i = 0; i < argc; i++)
		args[i + 1] = (char *)argv[i];
	args[argc + 1] = NULL;
	i = cli_main(&cap->c, argc + 1, args);
	capture_sync(cap);
	return i;
}

#define RUN(cap, ...) ({ \
	const char *_argv[] = { __VA_ARGS__ }; \
	run_cli(cap, (int)(sizeof(_argv) / sizeof(_argv[0])), _argv); \
})

/* Build the request of a command line (first word: the object). */
static inline int build(struct capture *cap, struct nl_msg **msg, int argc,
			const char **argv)
{
	int ret = cli_request(&cap->c, argc, (char **)argv, msg);

	capture_sync(cap);
	return ret;
}

#define BUILD(cap, msg, ...) ({ \
	const char *_argv[] = { __VA_ARGS__ }; \
	build(cap, msg, (int)(sizeof(_argv) / sizeof(_argv[0])), _argv); \
})

/* Top-level attributes of @msg. */
static inline void parse_top(struct nl_msg *msg, struct nlattr **tb)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	assert_int_equal(genlmsg_parse(nlh, 0, tb, L2TPSEC_A_MAX, NULL), 0);
}

static inline void parse_nest(struct nlattr *nest, struct nlattr **tb,
			      int max)
{
	assert_non_null(nest);
	assert_int_equal(nla_parse_nested(tb, max, nest, NULL), 0);
}

static inline uint8_t msg_cmd(struct nl_msg *msg)
{
	return genlmsg_hdr(nlmsg_hdr(msg))->cmd;
}

static inline uint8_t msg_version(struct nl_msg *msg)
{
	return genlmsg_hdr(nlmsg_hdr(msg))->version;
}

#endif /* L2TPSEC_TESTS_HELPERS_H */
