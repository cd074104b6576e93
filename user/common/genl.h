/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small generic-netlink layer over libnl-genl-3 for the l2tpsec family,
 * shared by the CLI and the daemon: resolve the family and its multicast
 * group, send a request and wait for its answer (with the kernel's extended
 * ACK message), run a dump (retried when the kernel flags it inconsistent),
 * and deliver unsolicited messages (frames, events) to a callback.
 */
#ifndef L2TPSEC_COMMON_GENL_H
#define L2TPSEC_COMMON_GENL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

/* How often a dump flagged NLM_F_DUMP_INTR is restarted before giving up. */
#define L2NL_DUMP_RETRIES	5
/* How long to wait for the kernel's answer to a request, in milliseconds. */
#define L2NL_TIMEOUT_MS		30000

/* Why a request failed. */
struct l2nl_error {
	int	error;		/* positive errno; 0 when only @lib is set */
	int	lib;		/* libnl error code (positive), 0 if none */
	char	msg[256];	/* kernel extack message, "" if none */
	bool	has_offs;	/* NLMSGERR_ATTR_OFFS: offending attribute */
	uint32_t offs;		/* offset in the request, from its nlmsghdr */
	bool	has_miss_type;	/* NLMSGERR_ATTR_MISS_TYPE */
	uint32_t miss_type;
	bool	has_miss_nest;	/* NLMSGERR_ATTR_MISS_NEST */
	uint32_t miss_nest;
};

/*
 * Called for every message that answers the current request, and (as
 * @notify) for unsolicited ones. Returns 0 or a negative errno to stop.
 */
typedef int (*l2nl_msg_fn)(const struct nlmsghdr *nlh, void *arg);
/* Called before a dump is restarted: drop what was collected. */
typedef void (*l2nl_reset_fn)(void *arg);

struct l2nl {
	struct nl_sock	*sk;
	struct nl_cb	*cb;
	int		family;		/* generic netlink family id */
	l2nl_msg_fn	notify;		/* unsolicited messages, or NULL */
	void		*notify_arg;
	/* Messages from a source other than the kernel, dropped. */
	unsigned long	foreign_drops;
	uint32_t	foreign_port;	/* the last one's source port id */
};

/* Connect and resolve the "l2tpsec" family. */
int l2nl_open(struct l2nl *nl, struct l2nl_error *err);
/* The same for any generic netlink family (tests use "nlctrl"). */
int l2nl_open_family(struct l2nl *nl, const char *family,
		     struct l2nl_error *err);
void l2nl_close(struct l2nl *nl);

/*
 * A new request for @cmd with the genl header filled in, with room for at
 * least @payload bytes of attributes; NULL on ENOMEM.
 */
struct nl_msg *l2nl_msg_new(int family, uint8_t cmd, int flags,
			    size_t payload);

/* Send @msg and wait for its ACK; @fn (may be NULL) sees each reply. */
int l2nl_do(struct l2nl *nl, struct nl_msg *msg, l2nl_msg_fn fn, void *arg,
	    struct l2nl_error *err);
/* @msg must carry NLM_F_DUMP. */
int l2nl_dump(struct l2nl *nl, struct nl_msg *msg, l2nl_msg_fn fn,
	      l2nl_reset_fn reset, void *arg, struct l2nl_error *err);

/* Join the family's multicast group @group. */
int l2nl_join(struct l2nl *nl, const char *group, struct l2nl_error *err);
int l2nl_fd(const struct l2nl *nl);
/* Read what is queued on the socket and hand it to nl->notify. */
int l2nl_recv_notify(struct l2nl *nl, struct l2nl_error *err);

/*
 * Fill @err from an NLMSG_ERROR or NLMSG_DONE message: the error code and
 * the extended ACK attributes. Returns the (negative) error it carries, 0
 * for a plain ACK, -EBADMSG if @nlh is not such a message or is truncated.
 */
int l2nl_parse_error(const struct nlmsghdr *nlh, struct l2nl_error *err);

/* Genl payload helpers. */
uint8_t l2nl_genl_cmd(const struct nlmsghdr *nlh);
/* Parse the top-level attributes of a reply into @tb[0..maxtype]. */
int l2nl_parse(const struct nlmsghdr *nlh, struct nlattr **tb, int maxtype,
	       const struct nla_policy *policy);

#endif /* L2TPSEC_COMMON_GENL_H */
