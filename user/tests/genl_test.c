// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the netlink layer against a real kernel family: the
 * generic netlink controller ("nlctrl") is in every kernel, so requests,
 * dumps, ACKs, kernel errors and extack messages can be exercised natively
 * without the l2tpsec module.
 */
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/genetlink.h>

#include "helpers.h"
#include "objects.h"

struct seen {
	int	msgs;
	int	resets;
	bool	found_nlctrl;
	int	fail_after;	/* return -EIO after this many, 0: never */
};

static int on_family(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct seen *s = arg;

	assert_int_equal(l2nl_parse(nlh, tb, CTRL_ATTR_MAX, NULL), 0);
	assert_int_equal(l2nl_genl_cmd(nlh), CTRL_CMD_NEWFAMILY);
	s->msgs++;
	if (tb[CTRL_ATTR_FAMILY_NAME] &&
	    !strcmp(nla_get_string(tb[CTRL_ATTR_FAMILY_NAME]), "nlctrl"))
		s->found_nlctrl = true;
	if (s->fail_after && s->msgs >= s->fail_after)
		return -EIO;
	return 0;
}

static void on_reset(void *arg)
{
	struct seen *s = arg;

	s->resets++;
	s->msgs = 0;
}

static int setup(void **state)
{
	struct l2nl_error err;
	struct l2nl *nl = calloc(1, sizeof(*nl));

	assert_non_null(nl);
	/* No generic netlink here (a restricted sandbox): skip, not fail. */
	if (l2nl_open_family(nl, "nlctrl", &err) < 0) {
		print_message("no generic netlink: %s\n", err.msg);
		free(nl);
		nl = NULL;
	}
	*state = nl;
	return 0;
}

static int teardown(void **state)
{
	if (*state)
		l2nl_close(*state);
	free(*state);
	return 0;
}

#define NEED_NETLINK(state) do { if (!*(state)) skip(); } while (0)

static void test_open(void **state)
{
	struct l2nl *nl = *state;

	NEED_NETLINK(state);
	assert_int_equal(nl->family, GENL_ID_CTRL);
	assert_true(l2nl_fd(nl) >= 0);
}

static void test_open_missing_family(void **state)
{
	struct l2nl_error err;
	struct l2nl nl;

	(void)state;
	assert_int_equal(l2nl_open_family(&nl, "no-such-family-l2", &err),
			 -ENOENT);
	assert_string_equal(err.msg,
		"generic netlink family \"no-such-family-l2\" not found "
		"(is the no-such-family-l2 module loaded?)");
	assert_null(nl.sk);
}

static void test_do(void **state)
{
	struct l2nl *nl = *state;
	struct seen s = { 0 };
	struct l2nl_error err;
	struct nl_msg *msg;
	int i;

	NEED_NETLINK(state);
	/* Twice on one socket: sequence numbers must keep matching. */
	for (i = 0; i < 2; i++) {
		memset(&s, 0, sizeof(s));
		msg = l2nl_msg_new(nl->family, CTRL_CMD_GETFAMILY, 0, 0);
		assert_non_null(msg);
		nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, "nlctrl");
		assert_int_equal(l2nl_do(nl, msg, on_family, &s, &err), 0);
		assert_int_equal(err.error, 0);
		assert_int_equal(s.msgs, 1);
		assert_true(s.found_nlctrl);
		nlmsg_free(msg);
	}
}

static void test_do_kernel_error(void **state)
{
	struct l2nl *nl = *state;
	struct seen s = { 0 };
	struct l2nl_error err;
	struct nl_msg *msg;
	int ret;

	NEED_NETLINK(state);
	msg = l2nl_msg_new(nl->family, CTRL_CMD_GETFAMILY, 0, 0);
	nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, "no-such-family-l2");
	/* ENOENT or EINVAL depending on the kernel. */
	ret = l2nl_do(nl, msg, on_family, &s, &err);
	assert_true(ret == -ENOENT || ret == -EINVAL);
	assert_int_equal(err.error, -ret);
	assert_int_equal(err.lib, 0);
	assert_int_equal(s.msgs, 0);
	nlmsg_free(msg);

	/* The socket is still in step afterwards. */
	test_do(state);
}

/* A policy violation: the kernel points at the attribute. */
static void test_do_extack(void **state)
{
	struct l2nl *nl = *state;
	struct l2nl_error err;
	struct nl_msg *msg;
	struct nlattr *bad;
	uint8_t one = 1;
	int ret;

	NEED_NETLINK(state);
	msg = l2nl_msg_new(nl->family, CTRL_CMD_GETFAMILY, 0, 0);
	nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, "nlctrl");
	bad = (struct nlattr *)((char *)nlmsg_hdr(msg) +
				nlmsg_hdr(msg)->nlmsg_len);
	/* CTRL_ATTR_FAMILY_ID is a u16: one byte is refused. */
	nla_put(msg, CTRL_ATTR_FAMILY_ID, sizeof(one), &one);
	/* ERANGE on recent kernels, EINVAL on older ones. */
	ret = l2nl_do(nl, msg, NULL, NULL, &err);
	assert_true(ret == -ERANGE || ret == -EINVAL);
	assert_int_equal(err.error, -ret);
	print_message("kernel said: %s\n", err.msg);
	assert_true(err.msg[0] != '\0');
	assert_true(err.has_offs);
	assert_int_equal(err.offs,
			 (uint32_t)((char *)bad - (char *)nlmsg_hdr(msg)));
	nlmsg_free(msg);
}

static void test_dump(void **state)
{
	struct l2nl *nl = *state;
	struct seen s = { 0 };
	struct l2nl_error err;
	struct nl_msg *msg;
	int i;

	NEED_NETLINK(state);
	for (i = 0; i < 2; i++) {
		memset(&s, 0, sizeof(s));
		msg = l2nl_msg_new(nl->family, CTRL_CMD_GETFAMILY,
				   NLM_F_DUMP, 0);
		assert_int_equal(l2nl_dump(nl, msg, on_family, on_reset, &s,
					   &err), 0);
		assert_true(s.msgs >= 1);
		assert_true(s.found_nlctrl);
		assert_int_equal(s.resets, 0);
		nlmsg_free(msg);
	}
}

/* A callback error stops the request but the dump is still drained. */
static void test_dump_callback_error(void **state)
{
	struct l2nl *nl = *state;
	struct seen s = { .fail_after = 1 };
	struct l2nl_error err;
	struct nl_msg *msg;

	NEED_NETLINK(state);
	msg = l2nl_msg_new(nl->family, CTRL_CMD_GETFAMILY, NLM_F_DUMP, 0);
	assert_int_equal(l2nl_dump(nl, msg, on_family, on_reset, &s, &err),
			 -EIO);
	assert_int_equal(err.error, EIO);
	assert_int_equal(s.msgs, 1);
	nlmsg_free(msg);

	/* Nothing of that dump is left to confuse the next request. */
	test_do(state);
}

struct frames {
	int		n;
	uint32_t	last_peer;
};

static int on_frame(const struct nlmsghdr *nlh, void *arg)
{
	struct frames *f = arg;
	struct l2_frame frame;

	assert_int_equal(l2nl_genl_cmd(nlh), L2TPSEC_CMD_FRAME);
	assert_int_equal(l2_decode_frame(nlh, &frame), 0);
	assert_int_equal(frame.kind, L2TPSEC_FRAME_L2TP_CTRL);
	f->last_peer = frame.peer_id;
	f->n++;
	return 0;
}

/*
 * Play the module: unicast an unsolicited frame (sequence number 0) from
 * another netlink socket to ours.
 */
static void send_frame(int raw, const struct l2nl *nl, uint32_t peer)
{
	struct sockaddr_nl to = {
		.nl_family = AF_NETLINK,
		.nl_pid = nl_socket_get_local_port(nl->sk),
	};
	struct nl_msg *msg = l2nl_msg_new(nl->family, L2TPSEC_CMD_FRAME, 0, 0);
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *nest;

	nla_put_u32(msg, L2TPSEC_A_IFINDEX, 1);
	nest = nla_nest_start(msg, L2TPSEC_A_FRAME);
	nla_put_u8(msg, L2TPSEC_A_FRAME_KIND, L2TPSEC_FRAME_L2TP_CTRL);
	nla_put_u32(msg, L2TPSEC_A_FRAME_PEER_ID, peer);
	nla_put(msg, L2TPSEC_A_FRAME_PAYLOAD, 2, "\xc8\x02");
	nla_nest_end(msg, nest);
	nlh->nlmsg_seq = 0;
	nlh->nlmsg_pid = 0;
	assert_int_equal(sendto(raw, nlh, nlh->nlmsg_len, 0,
				(struct sockaddr *)&to, sizeof(to)),
			 (ssize_t)nlh->nlmsg_len);
	nlmsg_free(msg);
}

/*
 * Another local process plays the module: it unicasts frames (sequence
 * number 0) to our port id. Only the kernel (source port 0) may send us
 * frames and events: these are dropped and counted, with and without a
 * request in flight, and nothing reaches the notify callback.
 */
static void test_notify_foreign(void **state)
{
	struct l2nl *nl = *state;
	struct sockaddr_nl self = { .nl_family = AF_NETLINK };
	socklen_t len = sizeof(self);
	struct frames f = { 0 };
	struct l2nl_error err;
	struct pollfd pfd;
	int raw;

	NEED_NETLINK(state);
	raw = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	assert_true(raw >= 0);
	assert_int_equal(bind(raw, (struct sockaddr *)&self, sizeof(self)), 0);
	assert_int_equal(getsockname(raw, (struct sockaddr *)&self, &len), 0);
	nl->notify = on_frame;
	nl->notify_arg = &f;
	nl->foreign_drops = 0;

	/* Queued before a request's answer: dropped on the way. */
	send_frame(raw, nl, 11);
	test_do(state);
	assert_int_equal(f.n, 0);
	assert_int_equal(nl->foreign_drops, 1);
	assert_int_equal(nl->foreign_port, self.nl_pid);

	/* On its own, as frame listen and the daemon read them. */
	send_frame(raw, nl, 12);
	pfd.fd = l2nl_fd(nl);
	pfd.events = POLLIN;
	assert_int_equal(poll(&pfd, 1, 5000), 1);
	assert_int_equal(l2nl_recv_notify(nl, &err), 0);
	assert_int_equal(f.n, 0);
	assert_int_equal(nl->foreign_drops, 2);

	/* Requests still get their answers. */
	test_do(state);

	nl->notify = NULL;
	nl->notify_arg = NULL;
	close(raw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open),
		cmocka_unit_test(test_open_missing_family),
		cmocka_unit_test(test_do),
		cmocka_unit_test(test_do_kernel_error),
		cmocka_unit_test(test_do_extack),
		cmocka_unit_test(test_dump),
		cmocka_unit_test(test_dump_callback_error),
		cmocka_unit_test(test_notify_foreign),
	};

	return cmocka_run_group_tests_name("genl", tests, setup, teardown);
}
