// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: what the daemon and the CLI decode of the module's
 * generic-netlink messages (common/objects.c, common/genl.c), as kmod's
 * notify handler and its request replies see them: the input is a buffer
 * of netlink messages as recv() returns it; each one that the length
 * walk accepts is given to every decoder: device replies, the peer, SA,
 * session and stats nests (one by one as a dump answer carries them),
 * frames, events, and NLMSG_ERROR/DONE with extended ACK attributes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/msg.h>
#include <linux/l2tpsec.h>

#include "genl.h"
#include "objects.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_peer(const struct nlattr *nest, void *arg)
{
	struct l2_peer p;

	(void)arg;
	return l2_decode_peer(nest, &p) ? 0 : 0;
}

static int on_sa(const struct nlattr *nest, void *arg)
{
	struct l2_sa sa;

	(void)arg;
	(void)l2_decode_sa(nest, &sa);
	return 0;
}

static int on_session(const struct nlattr *nest, void *arg)
{
	struct l2_session s;

	(void)arg;
	(void)l2_decode_session(nest, &s);
	return 0;
}

static int on_stats(const struct nlattr *nest, void *arg)
{
	struct l2_stats st;

	(void)arg;
	(void)l2_decode_stats(nest, &st);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nlmsghdr *nlh;
	int len = (int)size;
	void *buf;

	if (size > 65536 || size < NLMSG_HDRLEN)
		return 0;
	/* aligned, and exactly as long as the input (ASan sees overreads) */
	buf = malloc(size);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	for (nlh = buf; nlmsg_ok(nlh, len); nlh = nlmsg_next(nlh, &len)) {
		struct l2nl_error err;
		struct l2_frame f;
		struct l2_event e;
		struct l2_dev *d;

		if (nlh->nlmsg_type == NLMSG_ERROR ||
		    nlh->nlmsg_type == NLMSG_DONE) {
			memset(&err, 0, sizeof(err));
			(void)l2nl_parse_error(nlh, &err);
			if (!memchr(err.msg, '\0', sizeof(err.msg)))
				__builtin_trap();
			continue;
		}
		(void)l2nl_genl_cmd(nlh);
		d = calloc(1, sizeof(*d));
		if (d) {
			(void)l2_decode_dev(nlh, d);
			free(d);
		}
		(void)l2_for_each_nest(nlh, L2TPSEC_A_PEER, on_peer, NULL);
		(void)l2_for_each_nest(nlh, L2TPSEC_A_SA, on_sa, NULL);
		(void)l2_for_each_nest(nlh, L2TPSEC_A_SESSION, on_session, NULL);
		(void)l2_for_each_nest(nlh, L2TPSEC_A_DEV_STATS, on_stats, NULL);
		if (l2_decode_frame(nlh, &f) == 0 && f.len && !f.payload)
			__builtin_trap();
		(void)l2_decode_event(nlh, &e);
	}
	free(buf);
	return 0;
}
