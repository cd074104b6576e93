// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the daemon's control socket (daemon/ctl/ctl.c) on the real
 * event loop, with stand-ins for the L2TP half and IKE (the calls ctl.c
 * makes): who (with ESP key lengths and blocked users), kick by each
 * selector with and without a block, unblock, refusals, a large answer,
 * stale and live sockets; status (ISAKMP and IPsec SAs, tunnels,
 * sessions and the failure record, hostile text escaped); events: the
 * queue of one subscriber (bounded, losses counted and said), the
 * "events" stream (records as the layers publish them, several
 * subscribers, the subscriber limit, a subscriber that does not read
 * never holds up the daemon, one that goes is forgotten).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <grp.h>	/* setgroups */
#include <unistd.h>
#include <cmocka.h>

#include "ctl/access.h"
#include "ctl/ctl.h"
#include "ctl/events.h"
#include "ctl/status.h"
#include "diag/history.h"
#include "ctlproto.h"
#include "devent.h"
#include "failrec.h"
#include "ike/ike.h"
#include "ike/view.h"
#include "l2tp/diag.h"
#include "l2tp/l2tp.h"
#include "log.h"
#include "loop.h"

/* ---- the stand-in for l2tp/ ------------------------------------------------ */

struct fake_l2tp {
	unsigned int		nsessions;
	struct l2tp_kick	last_kick;
	char			last_who[128];
	int			kicks;
	int			kick_result;
	unsigned int		kick_blocked;
	char			blocked_user[64];
	uint32_t		blocked_left;
	char			last_unblock[64];
};

static struct fake_l2tp fake;

unsigned int l2tp_session_count(const struct l2tp *l)
{
	(void)l;
	return fake.nsessions;
}

void l2tp_for_each_session(struct l2tp *l,
			   void (*fn)(void *arg,
				      const struct l2tp_session_view *v),
			   void *arg)
{
	struct l2tp_session_view v;
	char user[32];
	unsigned int i;

	(void)l;
	for (i = 0; i < fake.nsessions; i++) {
		memset(&v, 0, sizeof(v));
		snprintf(user, sizeof(user), i ? "user%u" : "alice smith", i);
		v.user = user;
		v.phase = "network";
		v.auth = PPP_AUTH_MSCHAPV2;
		v.peer_id = i + 1;
		v.outer.sin_family = AF_INET;
		v.outer.sin_addr.s_addr = htonl(0xc0000202);	/* 192.0.2.2 */
		v.outer.sin_port = htons(4500);
		v.address.s_addr = htonl(0x0a630000 + 10 + i);
		v.peer_address.s_addr = htonl(0x0a630001);
		v.local_tunnel_id = 100;
		v.local_session_id = (uint16_t)(200 + i);
		v.remote_tunnel_id = 7;
		v.remote_session_id = 9;
		v.peer_host = "host=with space";
		v.uptime_ms = 61500;
		v.lcp_echo_tx = 3;
		v.lcp_echo_rx = 2;
		/* the first has answered an echo, 12.5 s ago, in 47 ms */
		v.has_lcp_rtt = !i;
		v.lcp_rtt_ms = 47;
		v.lcp_rtt_age_ms = 12500;
		fn(arg, &v);
	}
}

int l2tp_kick_block(struct l2tp *l, const struct l2tp_kick *k,
		    const char *who, unsigned int *blocked)
{
	(void)l;
	fake.last_kick = *k;
	snprintf(fake.last_who, sizeof(fake.last_who), "%s", who ? who : "");
	fake.kicks++;
	if (blocked)
		*blocked = k->block_s ? fake.kick_blocked : 0;
	return fake.kick_result;
}

int l2tp_unblock(struct l2tp *l, const char *user, const char *who)
{
	(void)l;
	(void)who;
	snprintf(fake.last_unblock, sizeof(fake.last_unblock), "%s", user);
	if (strcmp(user, fake.blocked_user))
		return -ENOENT;
	fake.blocked_user[0] = '\0';
	return 0;
}

unsigned int l2tp_for_each_block(struct l2tp *l,
				 void (*fn)(void *arg, const char *user,
					    uint32_t remaining_s),
				 void *arg)
{
	(void)l;
	if (!fake.blocked_user[0])
		return 0;
	fn(arg, fake.blocked_user, fake.blocked_left);
	return 1;
}

/* IKE: peer 1 is behind a NAT (ESP-in-UDP), we send no keepalives. */
int ike_peer_natt(const struct ike *ike, uint32_t peer_id,
		  struct ike_natt_info *out)
{
	assert_non_null(ike);
	if (peer_id != 1)
		return -ENOENT;
	memset(out, 0, sizeof(*out));
	out->udp_encap = true;
	out->nat_remote = true;
	return 0;
}

/* IKE: peer 1 has an AES-256 pair, the others none. */
int ike_peer_esp(const struct ike *ike, uint32_t peer_id,
		 struct ike_esp_info *out)
{
	assert_non_null(ike);
	if (peer_id != 1)
		return -ENOENT;
	memset(out, 0, sizeof(*out));
	out->key_bits = 256;
	return 0;
}

const char *ppp_auth_name(enum ppp_auth a)
{
	return a == PPP_AUTH_MSCHAPV2 ? "MS-CHAPv2" : "none";
}

/* IKE's and L2TP's views for status: one half-open SA, one established. */
void ike_for_each_sa(const struct ike *ike,
		     void (*fn)(void *arg, const struct ike_sa_view *v),
		     void *arg)
{
	struct ike_sa_view v;

	assert_non_null(ike);
	memset(&v, 0, sizeof(v));
	v.remote.sin_addr.s_addr = htonl(0xc0000202);
	v.remote.sin_port = htons(500);
	v.state = "MM2 sent";
	v.mode = "main";
	v.natt = "no";
	v.age_ms = 3000;
	fn(arg, &v);
	v.remote.sin_port = htons(4500);
	v.established = true;
	v.state = "established";
	v.lifetime_s = 28800;
	snprintf(v.proposal, sizeof(v.proposal), "aes256-sha256-modp2048");
	v.auth = "pre-shared key";
	v.peer_id = "client id\n";
	v.natt = "rfc3947";
	v.nat_remote = true;
	v.dpd = true;
	v.peer = 1;
	fn(arg, &v);
}

void ike_for_each_child(const struct ike *ike,
			void (*fn)(void *arg, const struct ike_child_view *v),
			void *arg)
{
	struct ike_child_view v;

	(void)ike;
	memset(&v, 0, sizeof(v));
	v.peer = 1;
	v.state = "installed";
	v.tx = true;
	v.spi_in = 0xc0ffee01;
	v.spi_out = 0x00000102;
	snprintf(v.proposal, sizeof(v.proposal), "aes128gcm16");
	v.life_s = 3600;
	v.age_ms = 125000;
	fn(arg, &v);
}

void l2tp_for_each_tunnel(struct l2tp *l,
			  void (*fn)(void *arg, const struct l2tp_tunnel_view *v),
			  void *arg)
{
	struct l2tp_tunnel_view v;

	(void)l;
	memset(&v, 0, sizeof(v));
	v.peer_id = 1;
	v.local_id = 100;
	v.remote_id = 7;
	v.state = "established";
	v.peer_host = "xl2tpd";
	v.sessions = fake.nsessions;
	fn(arg, &v);
}

/* ---- helpers ------------------------------------------------------------------- */

struct env {
	char		dir[64];
	char		path[128];
	struct loop	*loop;
	struct ctl	*ctl;
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	snprintf(e->dir, sizeof(e->dir), "/tmp/ctl_test.XXXXXX");
	assert_non_null(mkdtemp(e->dir));
	snprintf(e->path, sizeof(e->path), "%s/l2tpsecd.sock", e->dir);
	e->loop = loop_new();
	assert_non_null(e->loop);
	e->ctl = ctl_open(e->loop, e->path, (struct l2tp *)&fake,
			  (const struct ike *)&fake, "l2tpsec7");
	assert_non_null(e->ctl);
	memset(&fake, 0, sizeof(fake));
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	ctl_close(e->ctl);
	loop_free(e->loop);
	rmdir(e->dir);
	free(e);
	return 0;
}

static int connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Send @req (@len bytes), run the loop until the daemon closes the
 * connection, return the answer (malloc()ed, NUL-terminated).
 */
static char *ask_n(struct env *e, const char *req, size_t len)
{
	size_t have = 0, cap = 1 << 16, sent = 0;
	char *buf = malloc(cap);
	int fd = connect_to(e->path), rounds;
	ssize_t n;

	assert_non_null(buf);
	assert_true(fd >= 0);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	for (rounds = 0; rounds < 2000; rounds++) {
		if (sent < len) {
			n = send(fd, req + sent, len - sent, MSG_NOSIGNAL);
			if (n > 0)
				sent += (size_t)n;
		}
		assert_int_equal(loop_run_once(e->loop, 5), 0);
		n = recv(fd, buf + have, cap - have - 1, 0);
		if (n == 0 || (n < 0 && errno != EAGAIN))
			break;
		if (n > 0) {
			have += (size_t)n;
			if (have + 1 == cap) {
				cap *= 2;
				buf = realloc(buf, cap);
				assert_non_null(buf);
			}
		}
	}
	assert_true(rounds < 2000);
	close(fd);
	buf[have] = '\0';
	return buf;
}

static char *ask(struct env *e, const char *req)
{
	return ask_n(e, req, strlen(req));
}

/* The @i-th line of @text parsed into @r. */
static void line_at(const char *text, unsigned int i, struct l2_ctl_record *r)
{
	const char *p = text, *nl;

	while (i--) {
		p = strchr(p, '\n');
		assert_non_null(p);
		p++;
	}
	nl = strchr(p, '\n');
	assert_non_null(nl);
	assert_int_equal(l2_ctl_parse(p, (size_t)(nl - p) + 1, r), 0);
}

static unsigned int count_lines(const char *text)
{
	unsigned int n = 0;

	for (; *text; text++)
		n += *text == '\n';
	return n;
}

/* ---- tests --------------------------------------------------------------------- */

static void test_who(void **state)
{
	struct env *e = *state;
	struct l2_ctl_record *r = malloc(sizeof(*r));
	uint64_t v;
	char *a;

	assert_non_null(r);
	fake.nsessions = 2;
	a = ask(e, "who\n");
	assert_int_equal(count_lines(a), 4);
	line_at(a, 0, r);
	assert_string_equal(r->type, "daemon");
	assert_string_equal(l2_ctl_get(r, "device"), "l2tpsec7");
	assert_int_equal(l2_ctl_get_u64(r, "pid", &v), 0);
	assert_int_equal(v, (uint64_t)getpid());
	line_at(a, 1, r);
	assert_string_equal(r->type, "session");
	assert_string_equal(l2_ctl_get(r, "user"), "alice smith");
	assert_string_equal(l2_ctl_get(r, "address"), "10.99.0.10");
	assert_string_equal(l2_ctl_get(r, "peer-address"), "10.99.0.1");
	assert_string_equal(l2_ctl_get(r, "outer"), "192.0.2.2");
	assert_string_equal(l2_ctl_get(r, "outer-port"), "4500");
	assert_string_equal(l2_ctl_get(r, "role"), "server");
	assert_string_equal(l2_ctl_get(r, "host"), "host=with space");
	assert_string_equal(l2_ctl_get(r, "auth"), "MS-CHAPv2");
	assert_string_equal(l2_ctl_get(r, "uptime"), "61");
	assert_null(l2_ctl_get(r, "lac"));
	assert_string_equal(l2_ctl_get(r, "key-bits"), "256");
	line_at(a, 2, r);
	assert_string_equal(l2_ctl_get(r, "session"), "201");
	assert_null(l2_ctl_get(r, "key-bits"));
	line_at(a, 3, r);
	assert_string_equal(r->type, "ok");
	assert_string_equal(l2_ctl_get(r, "count"), "2");
	free(a);
	free(r);
}

static void test_who_many(void **state)
{
	struct env *e = *state;
	struct l2_ctl_record *r = malloc(sizeof(*r));
	char *a;

	/* much more than a socket buffer: partial writes from the loop */
	assert_non_null(r);
	fake.nsessions = 3000;
	a = ask(e, "who\n");
	assert_int_equal(count_lines(a), 3002);
	line_at(a, 3001, r);
	assert_string_equal(r->type, "ok");
	assert_string_equal(l2_ctl_get(r, "count"), "3000");
	free(a);
	free(r);
}

static void expect_answer(struct env *e, const char *req, const char *type,
			  const char *key, const char *want)
{
	struct l2_ctl_record *r = malloc(sizeof(*r));
	char *a = ask(e, req);

	assert_non_null(r);
	assert_int_equal(count_lines(a), 1);
	line_at(a, 0, r);
	assert_string_equal(r->type, type);
	if (!strstr(l2_ctl_get(r, key), want))
		fail_msg("%s: %s=\"%s\" lacks \"%s\"", req, key,
			 l2_ctl_get(r, key), want);
	free(a);
	free(r);
}

static void test_kick(void **state)
{
	struct env *e = *state;
	char want[64];

	fake.kick_result = 2;
	expect_answer(e, "kick user=alice%20smith\n", "ok", "count", "2");
	assert_int_equal(fake.last_kick.by, L2TP_KICK_USER);
	assert_string_equal(fake.last_kick.user, "alice smith");
	snprintf(want, sizeof(want), "(l2tpsec kick, pid %d uid %u)",
		 (int)getpid(), (unsigned int)getuid());
	assert_string_equal(fake.last_who, want);

	fake.kick_result = 1;
	expect_answer(e, "kick address=10.99.0.12\n", "ok", "count", "1");
	assert_int_equal(fake.last_kick.by, L2TP_KICK_ADDRESS);
	assert_int_equal(fake.last_kick.address.s_addr, htonl(0x0a63000c));

	expect_answer(e, "kick peer=3 tunnel=4 session=5\n", "ok", "count", "1");
	assert_int_equal(fake.last_kick.by, L2TP_KICK_SESSION);
	assert_int_equal(fake.last_kick.peer_id, 3);
	assert_int_equal(fake.last_kick.tunnel_id, 4);
	assert_int_equal(fake.last_kick.session_id, 5);

	fake.kick_result = 0;
	expect_answer(e, "kick user=nobody\n", "error", "message",
		      "no session of user nobody");
	assert_int_equal(fake.kicks, 4);
}

static void test_kick_block(void **state)
{
	struct env *e = *state;
	struct l2_ctl_record *r = malloc(sizeof(*r));
	char *a;

	assert_non_null(r);
	fake.kick_result = 1;
	fake.kick_blocked = 1;
	a = ask(e, "kick user=alice block=600\n");
	line_at(a, 0, r);
	assert_string_equal(r->type, "ok");
	assert_string_equal(l2_ctl_get(r, "count"), "1");
	assert_string_equal(l2_ctl_get(r, "blocked"), "1");
	assert_string_equal(l2_ctl_get(r, "block"), "600");
	free(a);
	assert_int_equal(fake.last_kick.by, L2TP_KICK_USER);
	assert_int_equal(fake.last_kick.block_s, 600);
	/* blocking a user who is not connected is no error */
	fake.kick_result = 0;
	expect_answer(e, "kick user=bob block=60\n", "ok", "blocked", "1");
	/* without a block, no session is one */
	expect_answer(e, "kick user=bob\n", "error", "message",
		      "no session of user bob");
	expect_answer(e, "kick user=bob block=0\n", "error", "message",
		      "block: expected a number of seconds");
	/* who lists the block */
	snprintf(fake.blocked_user, sizeof(fake.blocked_user), "alice");
	fake.blocked_left = 597;
	a = ask(e, "who\n");
	assert_int_equal(count_lines(a), 3);
	line_at(a, 1, r);
	assert_string_equal(r->type, "block");
	assert_string_equal(l2_ctl_get(r, "user"), "alice");
	assert_string_equal(l2_ctl_get(r, "remaining"), "597");
	free(a);
	/* unblock */
	expect_answer(e, "unblock user=alice\n", "ok", "count", "1");
	assert_string_equal(fake.last_unblock, "alice");
	expect_answer(e, "unblock user=alice\n", "error", "message",
		      "user alice is not blocked");
	expect_answer(e, "unblock\n", "error", "message",
		      "unblock: expected user=NAME");
	free(r);
}

static void test_refused(void **state)
{
	struct env *e = *state;
	char *big;

	expect_answer(e, "kick user=a address=10.0.0.1\n", "error", "message",
		      "expected user=NAME");
	expect_answer(e, "kick address=10.0.0.300\n", "error", "message",
		      "expected an IPv4 address");
	expect_answer(e, "kick peer=1 tunnel=0 session=5\n", "error",
		      "message", "expected user=NAME");
	expect_answer(e, "kick peer=4294967296 tunnel=1 session=5\n", "error",
		      "message", "expected user=NAME");
	expect_answer(e, "kick\n", "error", "message", "expected user=NAME");
	expect_answer(e, "who extra=1\n", "error", "message",
		      "unknown request \"who\"");
	expect_answer(e, "shutdown\n", "error", "message",
		      "unknown request \"shutdown\"");
	expect_answer(e, "who \n", "error", "message", "malformed request");
	assert_int_equal(fake.kicks, 0);

	big = malloc(L2_CTL_MAX_LINE + 100);
	assert_non_null(big);
	memset(big, 'a', L2_CTL_MAX_LINE + 100);
	{
		struct l2_ctl_record *r = malloc(sizeof(*r));
		char *a = ask_n(e, big, L2_CTL_MAX_LINE + 100);

		assert_non_null(r);
		line_at(a, 0, r);
		assert_string_equal(r->type, "error");
		assert_non_null(strstr(l2_ctl_get(r, "message"),
				       "request too long"));
		free(a);
		free(r);
	}
	free(big);
}

static void test_socket_file(void **state)
{
	struct env *e = *state;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char stale[96];
	struct ctl *c2;
	struct stat st;
	int fd;

	assert_int_equal(stat(e->path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0600);
	/* a live daemon's socket is not taken over */
	assert_null(ctl_open(e->loop, e->path, (struct l2tp *)&fake, NULL, "x"));
	assert_int_equal(stat(e->path, &st), 0);
	/* a stale one (its daemon died) is */
	snprintf(stale, sizeof(stale), "%s/stale.sock", e->dir);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", stale);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
	c2 = ctl_open(e->loop, stale, (struct l2tp *)&fake, NULL, "x");
	assert_non_null(c2);
	ctl_close(c2);
	assert_int_equal(stat(stale, &st), -1);
	/* a file that is not a socket is left alone */
	fd = open(stale, O_CREAT | O_WRONLY, 0600);
	close(fd);
	assert_null(ctl_open(e->loop, stale, (struct l2tp *)&fake, NULL, "x"));
	assert_int_equal(stat(stale, &st), 0);
	unlink(stale);
}

static void test_close_removes(void **state)
{
	struct env *e = *state;
	struct stat st;

	ctl_close(e->ctl);
	e->ctl = NULL;
	assert_int_equal(stat(e->path, &st), -1);
	assert_int_equal(connect_to(e->path), -1);
}

static void test_status(void **state)
{
	struct env *e = *state;
	struct l2_ctl_record *r = malloc(sizeof(*r));
	struct l2_failures *fs = malloc(sizeof(*fs));
	struct sockaddr_in peer = { .sin_family = AF_INET };
	char *a;

	assert_non_null(r);
	assert_non_null(fs);
	l2_fail_init(fs);
	peer.sin_addr.s_addr = htonl(0xc0000202);
	peer.sin_port = htons(500);
	l2_fail_set_default(fs);
	/* a peer-chosen ID in a cause: it must stay one record */
	l2_fail_note(&peer, NULL, L2_FC_PSK, "ike",
		     "phase 1: pre-shared key mismatch (ID evil\nok x=1); check the PSK configured for this peer");
	fake.nsessions = 1;
	a = ask(e, "status\n");
	/* daemon, 2 isakmp, 1 ipsec, 1 tunnel, 1 session, 1 failure, ok */
	assert_int_equal(count_lines(a), 8);
	line_at(a, 0, r);
	assert_string_equal(r->type, "daemon");
	line_at(a, 1, r);
	assert_string_equal(r->type, "isakmp");
	assert_string_equal(l2_ctl_get(r, "state"), "MM2 sent");
	assert_string_equal(l2_ctl_get(r, "established"), "0");
	assert_null(l2_ctl_get(r, "proposal"));
	line_at(a, 2, r);
	assert_string_equal(l2_ctl_get(r, "remote"), "192.0.2.2");
	assert_string_equal(l2_ctl_get(r, "remote-port"), "4500");
	assert_string_equal(l2_ctl_get(r, "proposal"), "aes256-sha256-modp2048");
	assert_string_equal(l2_ctl_get(r, "id"), "client id\n");
	assert_string_equal(l2_ctl_get(r, "nat"), "remote");
	assert_string_equal(l2_ctl_get(r, "nat-t"), "rfc3947");
	assert_string_equal(l2_ctl_get(r, "dpd"), "1");
	line_at(a, 3, r);
	assert_string_equal(r->type, "ipsec");
	assert_string_equal(l2_ctl_get(r, "spi-in"), "c0ffee01");
	assert_string_equal(l2_ctl_get(r, "spi-out"), "00000102");
	assert_string_equal(l2_ctl_get(r, "age"), "125");
	line_at(a, 4, r);
	assert_string_equal(r->type, "tunnel");
	assert_string_equal(l2_ctl_get(r, "host"), "xl2tpd");
	line_at(a, 5, r);
	assert_string_equal(r->type, "session");
	assert_string_equal(l2_ctl_get(r, "user"), "alice smith");
	/* its health: the last LCP echo round trip, NAT-T, keepalives */
	assert_string_equal(l2_ctl_get(r, "lcp-echo-tx"), "3");
	assert_string_equal(l2_ctl_get(r, "lcp-echo-rx"), "2");
	assert_string_equal(l2_ctl_get(r, "lcp-rtt-ms"), "47");
	assert_string_equal(l2_ctl_get(r, "lcp-rtt-age"), "12");
	assert_string_equal(l2_ctl_get(r, "nat-t"), "yes");
	assert_string_equal(l2_ctl_get(r, "nat"), "remote");
	assert_string_equal(l2_ctl_get(r, "keepalive"), "0");
	assert_string_equal(l2_ctl_get(r, "keepalives-sent"), "0");
	line_at(a, 6, r);
	assert_string_equal(r->type, "failure");
	assert_string_equal(l2_ctl_get(r, "class"), "3");
	assert_string_equal(l2_ctl_get(r, "class-name"), "psk-mismatch");
	assert_string_equal(l2_ctl_get(r, "cause"),
			    "phase 1: pre-shared key mismatch (ID evil\nok x=1)");
	assert_string_equal(l2_ctl_get(r, "fix"),
			    "check the PSK configured for this peer");
	assert_string_equal(l2_ctl_get(r, "peer"), "192.0.2.2");
	line_at(a, 7, r);
	assert_string_equal(r->type, "ok");
	assert_string_equal(l2_ctl_get(r, "count"), "6");
	free(a);
	/* status takes no arguments */
	a = ask(e, "status peer=1\n");
	line_at(a, 0, r);
	assert_string_equal(r->type, "error");
	free(a);
	l2_fail_set_default(NULL);
	free(fs);
	free(r);
}

static void test_history(void **state)
{
	struct env *e = *state;
	struct l2_ctl_record *r = malloc(sizeof(*r));
	char path[160];
	struct diag_history *h;
	struct diag_hist_rec hr = { .user = "alice", .reason = "logout",
				    .start = 1000, .duration_s = 5 };
	char *a;

	assert_non_null(r);
	/* none kept */
	a = ask(e, "history\n");
	line_at(a, 0, r);
	assert_string_equal(r->type, "error");
	assert_non_null(strstr(l2_ctl_get(r, "message"), "no history is kept"));
	free(a);
	snprintf(path, sizeof(path), "%s/history", e->dir);
	h = diag_history_open(path, 65536, true);
	assert_non_null(h);
	assert_int_equal(diag_history_add(h, &hr), 0);
	hr.user = "bob";
	hr.start = 5000;
	assert_int_equal(diag_history_add(h, &hr), 0);
	ctl_set_history(h);
	a = ask(e, "history\n");
	assert_int_equal(count_lines(a), 3);
	line_at(a, 0, r);
	assert_string_equal(r->type, "session");
	assert_string_equal(l2_ctl_get(r, "user"), "alice");
	line_at(a, 2, r);
	assert_string_equal(l2_ctl_get(r, "count"), "2");
	free(a);
	a = ask(e, "history user=bob since=4000\n");
	assert_int_equal(count_lines(a), 2);
	line_at(a, 0, r);
	assert_string_equal(l2_ctl_get(r, "user"), "bob");
	free(a);
	a = ask(e, "history user=alice since=4000\n");
	assert_int_equal(count_lines(a), 1);
	free(a);
	a = ask(e, "history path=/etc/shadow\n");
	line_at(a, 0, r);
	assert_string_equal(r->type, "error");
	free(a);
	a = ask(e, "history since=soon\n");
	line_at(a, 0, r);
	assert_string_equal(r->type, "error");
	free(a);
	ctl_set_history(NULL);
	diag_history_close(h);
	unlink(path);
	free(r);
}

/*
 * Who may ask what: root and the daemon's user anything; the read-only
 * group (primary or supplementary) who, status and history only; others
 * nothing; without a group configured only root and the daemon's user.
 */
/* ---- events ------------------------------------------------------------------- */

static void push_str(struct ctl_evq *q, const char *s, bool expect)
{
	assert_int_equal(ctl_evq_push(q, s, strlen(s)), expect);
}

/* Everything queued, as one string (and marked sent). */
static char *drain(struct ctl_evq *q)
{
	const char *p;
	size_t n = ctl_evq_peek(q, &p);
	char *s = malloc(n + 1);

	assert_non_null(s);
	memcpy(s, p, n);
	s[n] = '\0';
	ctl_evq_sent(q, n);
	return s;
}

static void test_evq(void **state)
{
	struct ctl_evq q;
	const char *p;
	char *s;
	int i;

	(void)state;
	ctl_evq_init(&q, 4);
	for (i = 0; i < 4; i++)
		push_str(&q, "event kind=login\n", true);
	/* full: dropped and counted */
	push_str(&q, "event kind=logout\n", false);
	push_str(&q, "event kind=logout\n", false);
	assert_int_equal(q.lost, 2);
	/* half a line sent: still four lines in the queue */
	assert_int_equal(ctl_evq_peek(&q, &p), 4 * 17);
	ctl_evq_sent(&q, 10);
	push_str(&q, "event kind=rekey\n", false);
	assert_int_equal(q.lines, 4);
	/* the rest sent: the loss is said at once */
	s = drain(&q);
	assert_int_equal(strlen(s), 4 * 17 - 10);
	free(s);
	s = drain(&q);
	assert_string_equal(s, "lost count=3\n");
	free(s);
	assert_int_equal(q.lost, 0);
	assert_int_equal(q.lost_total, 3);
	/* room again: events flow */
	push_str(&q, "event kind=rekey\n", true);
	s = drain(&q);
	assert_string_equal(s, "event kind=rekey\n");
	free(s);
	/* a loss pending and room for it and the next event: both go */
	for (i = 0; i < 5; i++)
		push_str(&q, "event kind=login\n", i < 4);
	ctl_evq_sent(&q, ctl_evq_peek(&q, &p) - 17);
	assert_int_equal(q.lines, 1);
	push_str(&q, "event kind=logout\n", true);
	s = drain(&q);
	assert_string_equal(s, "event kind=login\nlost count=1\nevent kind=logout\n");
	free(s);
	ctl_evq_free(&q);
}

/* Connect, ask for events, read the "daemon" record. */
static int subscribe(struct env *e)
{
	struct l2_ctl_record *r = malloc(sizeof(*r));
	int fd = connect_to(e->path), i;
	char buf[512];
	ssize_t n = -1;

	assert_non_null(r);
	assert_true(fd >= 0);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	assert_int_equal(send(fd, "events\n", 7, MSG_NOSIGNAL), 7);
	for (i = 0; i < 100 && n <= 0; i++) {
		assert_int_equal(loop_run_once(e->loop, 5), 0);
		n = recv(fd, buf, sizeof(buf) - 1, 0);
	}
	assert_true(n > 0);
	buf[n] = '\0';
	line_at(buf, 0, r);
	assert_string_equal(r->type, "daemon");
	assert_string_equal(l2_ctl_get(r, "device"), "l2tpsec7");
	free(r);
	return fd;
}

/* Run the loop and read what @fd has (up to @cap - 1 bytes). */
static size_t read_some(struct env *e, int fd, char *buf, size_t cap)
{
	size_t have = 0;
	ssize_t n;
	int i;

	for (i = 0; i < 50; i++) {
		assert_int_equal(loop_run_once(e->loop, 2), 0);
		n = recv(fd, buf + have, cap - 1 - have, 0);
		if (n > 0)
			have += (size_t)n;
		if (n == 0)
			break;
	}
	buf[have] = '\0';
	return have;
}

static void test_events(void **state)
{
	struct env *e = *state;
	struct l2_ctl_record *r = malloc(sizeof(*r));
	struct sockaddr_in peer = { .sin_family = AF_INET };
	int a = subscribe(e), b = subscribe(e);
	char buf[8192];
	uint64_t v;

	assert_non_null(r);
	peer.sin_addr.s_addr = htonl(0xc0000202);
	peer.sin_port = htons(4500);
	l2_devent_emit(&(struct l2_devent){
		.kind = L2_DEV_LOGIN, .peer = &peer, .user = "alice smith\n",
		.address.s_addr = htonl(0x0a63000a), .cls = -1,
		.layer = "ppp", .detail = "as server, authentication MS-CHAPv2",
	});
	/* a failure noted by a layer is an event too */
	l2_fail_note(&peer, "bob", L2_FC_PPP_AUTH, "ppp",
		     "authentication failed; check the password");
	read_some(e, a, buf, sizeof(buf));
	assert_int_equal(count_lines(buf), 2);
	line_at(buf, 0, r);
	assert_string_equal(r->type, "event");
	assert_string_equal(l2_ctl_get(r, "kind"), "login");
	assert_string_equal(l2_ctl_get(r, "peer"), "192.0.2.2");
	assert_string_equal(l2_ctl_get(r, "port"), "4500");
	assert_string_equal(l2_ctl_get(r, "user"), "alice smith\n");
	assert_string_equal(l2_ctl_get(r, "address"), "10.99.0.10");
	assert_string_equal(l2_ctl_get(r, "layer"), "ppp");
	assert_null(l2_ctl_get(r, "class"));
	assert_int_equal(l2_ctl_get_u64(r, "time-ms", &v), 0);
	assert_true(v > 1700000000000ull);
	line_at(buf, 1, r);
	assert_string_equal(l2_ctl_get(r, "kind"), "auth-failure");
	assert_string_equal(l2_ctl_get(r, "class"), "8");
	assert_string_equal(l2_ctl_get(r, "class-name"), "ppp-auth");
	assert_string_equal(l2_ctl_get(r, "detail"),
			    "authentication failed; check the password");
	/* the other subscriber got the same */
	read_some(e, b, buf, sizeof(buf));
	assert_int_equal(count_lines(buf), 2);
	/* one goes: the other still gets events */
	close(a);
	read_some(e, b, buf, sizeof(buf));
	l2_devent_emit(&(struct l2_devent){
		.kind = L2_DEV_REKEY, .peer = &peer, .cls = -1,
		.layer = "ike", .detail = "ISAKMP SA rekeyed by us",
	});
	read_some(e, b, buf, sizeof(buf));
	assert_int_equal(count_lines(buf), 1);
	line_at(buf, 0, r);
	assert_string_equal(l2_ctl_get(r, "kind"), "rekey");
	close(b);
	free(r);
}

/*
 * A subscriber that does not read: the daemon goes on (publishing only
 * queues), drops what does not fit in event-queue and says how many
 * were lost once there is room.
 */
static void test_events_slow(void **state)
{
	struct env *e = *state;
	struct l2_ctl_record *r = malloc(sizeof(*r));
	char buf[16384];
	int fd, i;
	uint64_t v;

	assert_non_null(r);
	ctl_set_event_queue(e->ctl, CTL_EVENT_QUEUE_MIN);
	fd = subscribe(e);
	for (i = 0; i < 1000; i++)
		l2_devent_emit(&(struct l2_devent){
			.kind = L2_DEV_LOGOUT, .user = "u", .cls = -1,
		});
	read_some(e, fd, buf, sizeof(buf));
	assert_int_equal(count_lines(buf), CTL_EVENT_QUEUE_MIN + 1);
	line_at(buf, CTL_EVENT_QUEUE_MIN - 1, r);
	assert_string_equal(r->type, "event");
	line_at(buf, CTL_EVENT_QUEUE_MIN, r);
	assert_string_equal(r->type, "lost");
	assert_int_equal(l2_ctl_get_u64(r, "count", &v), 0);
	assert_int_equal(v, 1000 - CTL_EVENT_QUEUE_MIN);
	/* and then events again */
	l2_devent_emit(&(struct l2_devent){ .kind = L2_DEV_LOGIN, .cls = -1 });
	read_some(e, fd, buf, sizeof(buf));
	line_at(buf, 0, r);
	assert_string_equal(l2_ctl_get(r, "kind"), "login");
	close(fd);
	free(r);
}

/* At most CTL_MAX_SUBSCRIBERS; one that leaves frees its place. */
static void test_events_limit(void **state)
{
	struct env *e = *state;
	struct l2_ctl_record *r = malloc(sizeof(*r));
	int fds[CTL_MAX_SUBSCRIBERS], i;
	char *out;

	assert_non_null(r);
	for (i = 0; i < CTL_MAX_SUBSCRIBERS; i++)
		fds[i] = subscribe(e);
	out = ask(e, "events\n");
	line_at(out, 0, r);
	assert_string_equal(r->type, "error");
	assert_non_null(strstr(l2_ctl_get(r, "message"), "already listening"));
	free(out);
	/* other requests still work */
	out = ask(e, "who\n");
	assert_non_null(strstr(out, "ok count=0"));
	free(out);
	close(fds[0]);
	for (i = 0; i < 20; i++)
		assert_int_equal(loop_run_once(e->loop, 2), 0);
	fds[0] = subscribe(e);
	for (i = 0; i < CTL_MAX_SUBSCRIBERS; i++)
		close(fds[i]);
	for (i = 0; i < 20; i++)
		assert_int_equal(loop_run_once(e->loop, 2), 0);
	/* "events" takes no arguments */
	out = ask(e, "events kind=login\n");
	assert_non_null(strstr(out, "error message=unknown%20request%20\"events\""));
	free(out);
	free(r);
}

static void test_access(void **state)
{
	static const gid_t sup[] = { 5, 1234, 77 };
	struct ctl_peer_cred root = { .uid = 0, .gid = 0 };
	struct ctl_peer_cred self = { .uid = 900, .gid = 900 };
	struct ctl_peer_cred primary = { .uid = 1000, .gid = 1234 };
	struct ctl_peer_cred member = { .uid = 1001, .gid = 1001, .groups = sup,
					.ngroups = 3 };
	struct ctl_peer_cred other = { .uid = 1002, .gid = 1002, .groups = sup,
				       .ngroups = 1 };
	static const char *const reads[] = { "who", "status", "history",
					     "events" };
	static const char *const writes[] = { "kick", "unblock", "reload",
					      "WHO", "" };
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++) {
		assert_int_equal(ctl_access(&root, 900, 1234, reads[i]), 0);
		assert_int_equal(ctl_access(&self, 900, 1234, reads[i]), 0);
		assert_int_equal(ctl_access(&primary, 900, 1234, reads[i]), 0);
		assert_int_equal(ctl_access(&member, 900, 1234, reads[i]), 0);
		assert_int_equal(ctl_access(&other, 900, 1234, reads[i]), -EACCES);
		/* no group configured */
		assert_int_equal(ctl_access(&member, 900, (gid_t)-1, reads[i]),
				 -EACCES);
		assert_int_equal(ctl_access(&self, 900, (gid_t)-1, reads[i]), 0);
	}
	for (i = 0; i < 5; i++) {
		assert_int_equal(ctl_access(&root, 900, 1234, writes[i]), 0);
		assert_int_equal(ctl_access(&self, 900, 1234, writes[i]), 0);
		assert_int_equal(ctl_access(&primary, 900, 1234, writes[i]), -EACCES);
		assert_int_equal(ctl_access(&member, 900, 1234, writes[i]), -EACCES);
		assert_int_equal(ctl_access(&other, 900, 1234, writes[i]), -EACCES);
	}
}

/*
 * Root of a user namespace that maps only itself (unshare -r) cannot
 * chown to another group: those cases run where every id is mapped.
 */
static bool full_id_map(void)
{
	unsigned long inside, outside, count = 0;
	FILE *f = fopen("/proc/self/gid_map", "re");

	if (!f)
		return false;
	if (fscanf(f, "%lu %lu %lu", &inside, &outside, &count) != 3)
		count = 0;
	fclose(f);
	return count == 4294967295UL;
}

/* The socket file takes the group and mode 0660; an unknown group fails. */
static void test_read_group(void **state)
{
	struct env *e = *state;
	struct stat st;

	/* (ctl_set_read_group resolves the name; NSS is left out here) */
	if (!full_id_map())
		skip();
	assert_int_equal(stat(e->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(ctl_set_read_gid(e->ctl, 100, "users"), 0);
	assert_int_equal(stat(e->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0660);
	assert_int_equal(st.st_gid, 100);
}

/*
 * The child ends by exec: under valgrind, an _exit would count the
 * parent's memory it inherited as its own leaks.
 */
static void __attribute__((noreturn)) child_exit(int status)
{
	char cmd[32];

	snprintf(cmd, sizeof(cmd), "exit %d", status);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(status);
}

/*
 * In a child as uid 1001 with supplementary group @gid: the answer, or
 * NULL when the socket file's mode kept it from connecting.
 */
static char *ask_as(struct env *e, gid_t gid, const char *req)
{
	int pfd[2], st;
	size_t have = 0, cap = 1 << 16;
	char *buf;
	pid_t pid;
	ssize_t n;

	assert_int_equal(pipe(pfd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		char ans[4096];
		int fd;

		close(pfd[0]);
		if (setgroups(1, &gid) || setgid(1001) || setuid(1001))
			child_exit(2);
		fd = connect_to(e->path);
		if (fd < 0)
			child_exit(100 + errno);
		if (write(fd, req, strlen(req)) < 0)
			child_exit(3);
		while ((n = read(fd, ans, sizeof(ans))) > 0)
			if (write(pfd[1], ans, (size_t)n) != n)
				child_exit(4);
		child_exit(0);
	}
	close(pfd[1]);
	buf = malloc(cap);
	assert_non_null(buf);
	fcntl(pfd[0], F_SETFL, O_NONBLOCK);
	for (;;) {
		assert_int_equal(loop_run_once(e->loop, 5), 0);
		n = read(pfd[0], buf + have, cap - have - 1);
		if (n == 0)
			break;
		if (n > 0)
			have += (size_t)n;
	}
	close(pfd[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 100 + EACCES) {
		free(buf);
		return NULL;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		fail_msg("child: status %#x", st);
	buf[have] = '\0';
	return buf;
}

/*
 * A real non-root client: in the group (a supplementary one, which only
 * SO_PEERGROUPS shows) it may ask status, not kick; outside it, nothing.
 */
static void test_group_member(void **state)
{
	struct env *e = *state;
	struct l2_ctl_record *r = malloc(sizeof(*r));
	const gid_t gid = 100;	/* any gid serves; not resolved by name */
	char *a;

	assert_non_null(r);
	if (geteuid() || !full_id_map()) {
		free(r);
		skip();
	}
	assert_int_equal(chmod(e->dir, 0711), 0);
	assert_int_equal(ctl_set_read_gid(e->ctl, gid, "users"), 0);
	fake.nsessions = 1;
	a = ask_as(e, gid, "status\n");
	line_at(a, 0, r);
	assert_string_equal(r->type, "daemon");
	free(a);
	fake.kicks = 0;
	a = ask_as(e, gid, "kick user=alice\n");
	line_at(a, 0, r);
	assert_string_equal(r->type, "error");
	assert_non_null(strstr(l2_ctl_get(r, "message"), "may ask who, status, history and events"));
	assert_int_equal(fake.kicks, 0);
	free(a);
	/* outside the group: the file's mode refuses the connection */
	assert_null(ask_as(e, gid + 1, "status\n"));
	/* and were the file opened up, the daemon's check still would */
	assert_int_equal(chmod(e->path, 0666), 0);
	a = ask_as(e, gid + 1, "status\n");
	assert_non_null(a);
	line_at(a, 0, r);
	assert_string_equal(r->type, "error");
	assert_non_null(strstr(l2_ctl_get(r, "message"), "permission denied"));
	free(a);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_who, setup, teardown),
		cmocka_unit_test_setup_teardown(test_who_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kick, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kick_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_socket_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_removes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_history, setup, teardown),
		cmocka_unit_test(test_access),
		cmocka_unit_test(test_evq),
		cmocka_unit_test_setup_teardown(test_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events_slow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_group, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_member, setup, teardown),
	};

	log_init("ctl_test", LOG_LVL_ERR, 0);
	return cmocka_run_group_tests_name("ctl", tests, NULL, NULL);
}
