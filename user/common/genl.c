// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink plumbing for the l2tpsec family, over libnl-genl-3.
 *
 * libnl's own answer handling turns a kernel error into a libnl code and
 * drops the extended ACK, so one set of callbacks (bound to a struct
 * l2nl_call for the request in flight) routes each message: replies with
 * the request's sequence number go to the caller, others are unsolicited
 * (frames, events) and go to l2nl::notify; NLMSG_ERROR and NLMSG_DONE end
 * the request and their error and extack are kept in a struct l2nl_error.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include <linux/genetlink.h>
#include <linux/l2tpsec.h>

#include "genl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

/*
 * Room for a burst of PPP and L2TP control frames: 200 clients that each
 * retransmit an LCP Configure-Request at once are 200 messages of about
 * 1 KiB of socket memory. SO_RCVBUF is capped by net.core.rmem_max
 * (208 KiB on a stock kernel), so the daemon, which runs with
 * CAP_NET_ADMIN, asks with SO_RCVBUFFORCE first.
 */
#define L2NL_RCVBUF	(8 << 20)

/* The request in flight. */
struct l2nl_call {
	struct l2nl		*nl;
	uint32_t		seq;	/* 0: only unsolicited messages */
	l2nl_msg_fn		fn;
	void			*arg;
	struct l2nl_error	*err;
	int			ret;	/* first error from a callback */
	bool			done;	/* ACK, error or end of dump seen */
	bool			intr;	/* the dump was flagged inconsistent */
};

static void set_lib_error(struct l2nl_error *err, int nlerr)
{
	memset(err, 0, sizeof(*err));
	err->lib = nlerr < 0 ? -nlerr : nlerr;
}

static void set_sys_error(struct l2nl_error *err, int error, const char *msg)
{
	memset(err, 0, sizeof(*err));
	err->error = error;
	if (msg)
		snprintf(err->msg, sizeof(err->msg), "%s", msg);
}

int l2nl_parse_error(const struct nlmsghdr *nlh, struct l2nl_error *err)
{
	static struct nla_policy policy[NLMSGERR_ATTR_MAX + 1] = {
		[NLMSGERR_ATTR_MSG]	  = { .type = NLA_STRING },
		[NLMSGERR_ATTR_OFFS]	  = { .type = NLA_U32 },
		[NLMSGERR_ATTR_MISS_TYPE] = { .type = NLA_U32 },
		[NLMSGERR_ATTR_MISS_NEST] = { .type = NLA_U32 },
	};
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t hlen, off;
	int error;

	memset(err, 0, sizeof(*err));
	if (nlh->nlmsg_len < NLMSG_HDRLEN)
		return -EBADMSG;

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(nlh);

		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
			return -EBADMSG;
		error = e->error;
		hlen = sizeof(*e);
		/* Unless capped, the request follows, minus its header. */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
		    e->msg.nlmsg_len > NLMSG_HDRLEN)
			hlen += e->msg.nlmsg_len - NLMSG_HDRLEN;
	} else if (nlh->nlmsg_type == NLMSG_DONE) {
		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(int)))
			return 0;
		memcpy(&error, NLMSG_DATA(nlh), sizeof(error));
		hlen = sizeof(int);
	} else {
		return -EBADMSG;
	}
	/* An errno (the kernel's are negative); anything else, INT_MIN
	 * included, which cannot even be negated, is malformed. */
	if (error < -4095 || error > 4095) {
		/* a failure, not an ACK, for callers that only look here */
		err->error = EBADMSG;
		return -EBADMSG;
	}
	err->error = error < 0 ? -error : error;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return -err->error;
	off = NLMSG_HDRLEN + NLMSG_ALIGN(hlen);
	if (off >= nlh->nlmsg_len)
		return -err->error;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)nlh + off),
		      (int)(nlh->nlmsg_len - off), policy) < 0)
		return -err->error;	/* keep the error, drop bad TLVs */

	if (tb[NLMSGERR_ATTR_MSG])
		nla_strlcpy(err->msg, tb[NLMSGERR_ATTR_MSG], sizeof(err->msg));
	if (tb[NLMSGERR_ATTR_OFFS]) {
		err->has_offs = true;
		err->offs = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	}
	if (tb[NLMSGERR_ATTR_MISS_TYPE]) {
		err->has_miss_type = true;
		err->miss_type = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
	}
	if (tb[NLMSGERR_ATTR_MISS_NEST]) {
		err->has_miss_nest = true;
		err->miss_nest = nla_get_u32(tb[NLMSGERR_ATTR_MISS_NEST]);
	}
	return -err->error;
}

static bool is_answer(const struct l2nl_call *call, const struct nlmsghdr *nlh)
{
	return call->seq && nlh->nlmsg_seq == call->seq;
}

static int call_valid(struct nl_msg *msg, void *arg)
{
	struct l2nl_call *call = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	l2nl_msg_fn fn = call->nl->notify;
	void *fn_arg = call->nl->notify_arg;
	int ret;

	if (is_answer(call, nlh)) {
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			call->intr = true;
		fn = call->fn;
		fn_arg = call->arg;
	}
	/* Keep reading after a callback error, so that a dump drains. */
	if (fn && !call->ret) {
		ret = fn(nlh, fn_arg);
		if (ret < 0)
			call->ret = ret;
	}
	return NL_OK;
}

static int call_ack(struct nl_msg *msg, void *arg)
{
	struct l2nl_call *call = arg;

	if (!is_answer(call, nlmsg_hdr(msg)))
		return NL_SKIP;
	call->done = true;
	return NL_STOP;
}

static int call_finish(struct nl_msg *msg, void *arg)
{
	struct l2nl_call *call = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	if (!is_answer(call, nlh))
		return NL_SKIP;
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		call->intr = true;
	l2nl_parse_error(nlh, call->err);
	call->done = true;
	return NL_STOP;
}

static int call_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct l2nl_call *call = arg;
	/* libnl hands us the payload of the NLMSG_ERROR message. */
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);

	(void)who;
	if (!is_answer(call, nlh))
		return NL_SKIP;
	l2nl_parse_error(nlh, call->err);
	call->done = true;
	return NL_STOP;
}

static int call_dump_intr(struct nl_msg *msg, void *arg)
{
	struct l2nl_call *call = arg;

	if (is_answer(call, nlmsg_hdr(msg)))
		call->intr = true;
	return NL_OK;
}

/* Sequence numbers are checked by is_answer(); let everything through. */
static int call_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

/*
 * Any local process may send to our port id: frames and events, and the
 * answers to our requests, come only from the kernel (source port 0).
 * Everything else is dropped and counted (l2nl::foreign_drops).
 */
static int call_msg_in(struct nl_msg *msg, void *arg)
{
	struct l2nl_call *call = arg;
	struct sockaddr_nl *src = nlmsg_get_src(msg);

	if (src && src->nl_pid == 0)
		return NL_OK;
	call->nl->foreign_drops++;
	if (src)
		call->nl->foreign_port = src->nl_pid;
	return NL_SKIP;
}

static void call_bind(struct l2nl *nl, struct l2nl_call *call)
{
	nl_cb_set(nl->cb, NL_CB_MSG_IN, NL_CB_CUSTOM, call_msg_in, call);
	nl_cb_set(nl->cb, NL_CB_VALID, NL_CB_CUSTOM, call_valid, call);
	nl_cb_set(nl->cb, NL_CB_ACK, NL_CB_CUSTOM, call_ack, call);
	nl_cb_set(nl->cb, NL_CB_FINISH, NL_CB_CUSTOM, call_finish, call);
	nl_cb_set(nl->cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, call_dump_intr, call);
	nl_cb_set(nl->cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, call_seq_check, call);
	nl_cb_err(nl->cb, NL_CB_CUSTOM, call_error, call);
}

/* Read until @call is answered. */
static int call_wait(struct l2nl_call *call)
{
	struct l2nl *nl = call->nl;
	struct pollfd pfd = { .fd = nl_socket_get_fd(nl->sk), .events = POLLIN };
	int ret;

	while (!call->done) {
		ret = poll(&pfd, 1, L2NL_TIMEOUT_MS);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0) {
			set_sys_error(call->err, errno, NULL);
			return -call->err->error;
		}
		if (ret == 0) {
			set_sys_error(call->err, ETIMEDOUT,
				      "no answer from the kernel");
			return -ETIMEDOUT;
		}
		ret = nl_recvmsgs(nl->sk, nl->cb);
		if (call->done)
			break;
		if (ret == -NLE_DUMP_INTR) {
			call->intr = true;
			continue;
		}
		if (ret < 0) {
			set_lib_error(call->err, ret);
			return -EIO;
		}
	}
	if (call->err->error)
		return -call->err->error;
	if (call->ret) {
		set_sys_error(call->err, -call->ret, NULL);
		return call->ret;
	}
	return 0;
}

static int call_run(struct l2nl *nl, struct nl_msg *msg, l2nl_msg_fn fn,
		    void *arg, struct l2nl_error *err, bool *intr)
{
	struct l2nl_call call = {
		.nl = nl, .fn = fn, .arg = arg, .err = err,
	};
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int ret;

	memset(err, 0, sizeof(*err));
	call_bind(nl, &call);
	/* Let libnl number the request afresh, so it can be sent again. */
	nlh->nlmsg_seq = NL_AUTO_SEQ;
	nlh->nlmsg_pid = NL_AUTO_PORT;
	ret = nl_send_auto(nl->sk, msg);
	if (ret < 0) {
		set_lib_error(err, ret);
		return -EIO;
	}
	call.seq = nlh->nlmsg_seq;
	ret = call_wait(&call);
	if (intr)
		*intr = call.intr;
	return ret;
}

int l2nl_do(struct l2nl *nl, struct nl_msg *msg, l2nl_msg_fn fn, void *arg,
	    struct l2nl_error *err)
{
	return call_run(nl, msg, fn, arg, err, NULL);
}

int l2nl_dump(struct l2nl *nl, struct nl_msg *msg, l2nl_msg_fn fn,
	      l2nl_reset_fn reset, void *arg, struct l2nl_error *err)
{
	bool intr;
	int attempt, ret;

	for (attempt = 1; ; attempt++) {
		ret = call_run(nl, msg, fn, arg, err, &intr);
		if (ret < 0 || !intr)
			return ret;
		if (attempt == L2NL_DUMP_RETRIES)
			break;
		if (reset)
			reset(arg);
	}
	set_sys_error(err, EAGAIN, NULL);
	snprintf(err->msg, sizeof(err->msg),
		 "dump interrupted by concurrent changes %d times",
		 L2NL_DUMP_RETRIES);
	return -EAGAIN;
}

int l2nl_recv_notify(struct l2nl *nl, struct l2nl_error *err)
{
	struct l2nl_call call = { .nl = nl, .err = err };
	int ret;

	memset(err, 0, sizeof(*err));
	call_bind(nl, &call);
	ret = nl_recvmsgs(nl->sk, nl->cb);
	if (ret == -NLE_NOMEM) {
		/* recvmsg() said ENOBUFS: the kernel dropped messages. */
		set_sys_error(err, ENOBUFS, "messages lost");
		return -ENOBUFS;
	}
	if (ret < 0) {
		set_lib_error(err, ret);
		return -EIO;
	}
	if (call.ret) {
		set_sys_error(err, -call.ret, NULL);
		return call.ret;
	}
	return 0;
}

static void set_rcvbuf(struct l2nl *nl, int fd)
{
	int size = L2NL_RCVBUF;

	/* Best effort: without the capability, as much as rmem_max allows. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		nl_socket_set_buffer_size(nl->sk, L2NL_RCVBUF, 0);
}

int l2nl_open(struct l2nl *nl, struct l2nl_error *err)
{
	return l2nl_open_family(nl, L2TPSEC_FAMILY_NAME, err);
}

int l2nl_open_family(struct l2nl *nl, const char *family,
		     struct l2nl_error *err)
{
	int one = 1;
	int fd, ret;

	memset(nl, 0, sizeof(*nl));
	memset(err, 0, sizeof(*err));
	nl->sk = nl_socket_alloc();
	nl->cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!nl->sk || !nl->cb) {
		set_sys_error(err, ENOMEM, NULL);
		ret = -ENOMEM;
		goto err_close;
	}
	ret = genl_connect(nl->sk);
	if (ret < 0) {
		set_lib_error(err, ret);
		ret = -EIO;
		goto err_close;
	}
	/* Size each read to the message instead of truncating big dumps. */
	nl_socket_enable_msg_peek(nl->sk);
	fd = nl_socket_get_fd(nl->sk);
	/* Best effort: kernels without extack still answer. */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	set_rcvbuf(nl, fd);

	ret = genl_ctrl_resolve(nl->sk, family);
	if (ret < 0) {
		if (ret == -NLE_OBJ_NOTFOUND) {
			set_sys_error(err, 0, NULL);
			snprintf(err->msg, sizeof(err->msg),
				 "generic netlink family \"%s\" not found (is the %s module loaded?)",
				 family, family);
			ret = -ENOENT;
		} else {
			set_lib_error(err, ret);
			ret = -EIO;
		}
		goto err_close;
	}
	nl->family = ret;
	return 0;

err_close:
	l2nl_close(nl);
	return ret;
}

void l2nl_close(struct l2nl *nl)
{
	if (nl->cb)
		nl_cb_put(nl->cb);
	if (nl->sk)
		nl_socket_free(nl->sk);
	nl->cb = NULL;
	nl->sk = NULL;
}

int l2nl_join(struct l2nl *nl, const char *group, struct l2nl_error *err)
{
	int grp, ret;

	memset(err, 0, sizeof(*err));
	grp = genl_ctrl_resolve_grp(nl->sk, L2TPSEC_FAMILY_NAME, group);
	if (grp < 0) {
		set_lib_error(err, grp);
		return -EIO;
	}
	ret = nl_socket_add_membership(nl->sk, grp);
	if (ret < 0) {
		set_lib_error(err, ret);
		return -EIO;
	}
	return 0;
}

int l2nl_fd(const struct l2nl *nl)
{
	return nl_socket_get_fd(nl->sk);
}

struct nl_msg *l2nl_msg_new(int family, uint8_t cmd, int flags,
			    size_t payload)
{
	size_t size = NLMSG_SPACE(GENL_HDRLEN) + payload + 1024;
	struct nl_msg *msg;

	if (size < 4096)
		size = 4096;
	msg = nlmsg_alloc_size(size);
	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags,
			 cmd, L2TPSEC_FAMILY_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

uint8_t l2nl_genl_cmd(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *ghdr = NLMSG_DATA(nlh);

	if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		return 0;
	return ghdr->cmd;
}

int l2nl_parse(const struct nlmsghdr *nlh, struct nlattr **tb, int maxtype,
	       const struct nla_policy *policy)
{
	if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		return -EBADMSG;
	if (genlmsg_parse((struct nlmsghdr *)nlh, 0, tb, maxtype,
			  (struct nla_policy *)policy) < 0)
		return -EBADMSG;
	return 0;
}
