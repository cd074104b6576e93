// SPDX-License-Identifier: GPL-2.0
/*
 * The RADIUS client against a real FreeRADIUS (Debian's freeradius,
 * /usr/sbin/freeradius), started here with a configuration written to a
 * temporary directory, listening on free ports of 127.0.0.1 in this
 * test's own network namespace. Two virtual servers: "default" signs its
 * replies with a Message-Authenticator (the post-auth lines the admin
 * guide shows), "nomac" does not (FreeRADIUS 3.2.1's default).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <sched.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "l2tp_fakes.h"
#include "loop.h"
#include "ppp/mschapv2.h"
#include "ppp/ppp.h"
#include "radius/radius.h"
#include "radius_helpers.h"

#define SECRET		FREERADIUS_SECRET

static struct freeradius fr;
static uint16_t port_ok, port_nomac, port_closed, port_blackhole;
static int blackhole_fd = -1;

/* Under valgrind (make check-valgrind) every wait is this many times longer. */
static unsigned int scale(void)
{
	const char *v = getenv("L2TPSEC_TEST_TIME_SCALE");
	unsigned long n = v ? strtoul(v, NULL, 10) : 1;

	return n >= 1 && n <= 1000 ? (unsigned int)n : 1;
}

static int group_setup(void **state)
{
	(void)state;
	if (freeradius_start(&fr) < 0)
		return -1;
	port_ok = fr.port_ok;
	port_nomac = fr.port_nomac;
	port_closed = free_port();
	blackhole_fd = udp_bound(&port_blackhole);
	assert_true(port_closed && blackhole_fd >= 0);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (blackhole_fd >= 0)
		close(blackhole_fd);
	return freeradius_stop(&fr);
}

struct result {
	bool done;
	struct radius_auth_result r;
};

static void on_result(void *arg, const struct radius_auth_result *r)
{
	struct result *res = arg;

	res->done = true;
	res->r = *r;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void run_until(struct loop *loop, bool *done, unsigned int max_ms)
{
	uint64_t end = now_ms() + max_ms;

	while (!*done && now_ms() < end)
		loop_run_once(loop, 50);
}

static void server_at(struct radius_cfg *cfg, uint16_t port, const char *secret)
{
	char s[64];

	snprintf(s, sizeof(s), "127.0.0.1:%u", port);
	assert_int_equal(radius_parse_server(s, &cfg->servers[cfg->n_servers]), 0);
	snprintf(cfg->servers[cfg->n_servers].secret,
		 sizeof(cfg->servers[0].secret), "%s", secret);
	cfg->n_servers++;
}

static struct radius_client *client_for(struct loop *loop, uint16_t port,
					const char *secret)
{
	struct radius_cfg cfg;

	radius_cfg_defaults(&cfg);
	cfg.timeout_ms = 300 * scale();
	cfg.tries = 2;
	snprintf(cfg.nas_identifier, sizeof(cfg.nas_identifier), "l2tpsec-test");
	server_at(&cfg, port, secret);
	return radius_client_new(loop, &cfg);
}

static void pap(struct radius_client *c, struct loop *loop, const char *user,
		const char *pw, struct result *res)
{
	struct radius_auth_req q = {
		.method = RADIUS_PAP, .user = user,
		.password = (const uint8_t *)pw, .password_len = strlen(pw),
		.nas_port = 7, .calling_station = "198.51.100.7:4500",
		.called_station = "192.0.2.1",
	};

	inet_pton(AF_INET, "198.51.100.7", &q.tunnel_client);
	inet_pton(AF_INET, "192.0.2.1", &q.tunnel_server);
	memset(res, 0, sizeof(*res));
	assert_non_null(radius_auth_start(c, &q, on_result, res));
	assert_false(res->done);	/* never from inside the call */
	run_until(loop, &res->done, 5000 * scale());
	assert_true(res->done);
}

static void test_pap_accept_authorization(void **state)
{
	struct loop *loop = loop_new();
	struct radius_client *c = client_for(loop, port_ok, SECRET);
	struct result res;
	char ip[INET_ADDRSTRLEN];

	(void)state;
	pap(c, loop, "alice", "wonderland", &res);
	assert_int_equal(res.r.status, RADIUS_ACCEPTED);
	assert_true(res.r.has_framed_ip);
	assert_string_equal(inet_ntop(AF_INET, &res.r.framed_ip, ip, sizeof(ip)),
			    "10.99.0.77");
	assert_int_equal(res.r.session_timeout, 3600);
	assert_int_equal(res.r.idle_timeout, 600);
	assert_int_equal(res.r.framed_mtu, 1400);
	assert_int_equal(res.r.class_len, 5);
	assert_memory_equal(res.r.class_attr, "grp-a", 5);
	assert_string_equal(res.r.reply_message, "Hello alice");
	radius_client_free(c);
	loop_free(loop);
}

static void test_pap_reject(void **state)
{
	struct loop *loop = loop_new();
	struct radius_client *c = client_for(loop, port_ok, SECRET);
	struct result res;

	(void)state;
	pap(c, loop, "bob", "builder", &res);
	assert_int_equal(res.r.status, RADIUS_REJECTED);
	if (!strstr(res.r.detail,
		    "RADIUS rejected bob: Reply-Message \"Your account is locked\""))
		fail_msg("detail: %s", res.r.detail);
	pap(c, loop, "alice", "not her password", &res);
	assert_int_equal(res.r.status, RADIUS_REJECTED);
	assert_non_null(strstr(res.r.detail, "RADIUS rejected alice"));
	radius_client_free(c);
	loop_free(loop);
}

static void chap_run(struct radius_client *c, struct loop *loop,
		     enum radius_method m, const char *pw, struct result *res,
		     char success[43])
{
	uint8_t chal[16], resp[49] = { 0 };
	struct radius_auth_req q = {
		.method = m, .user = "alice", .chap_id = 42,
		.challenge = chal, .challenge_len = 16, .response = resp,
	};
	size_t i;

	for (i = 0; i < sizeof(chal); i++)
		chal[i] = (uint8_t)(i * 7 + 1);
	if (m == RADIUS_CHAP_MD5) {
		assert_int_equal(chap_md5_response(42, pw, chal, 16, resp), 0);
		q.response_len = 16;
	} else {
		for (i = 0; i < 16; i++)
			resp[i] = (uint8_t)(0xa0 + i);		/* peer challenge */
		assert_int_equal(mschapv2_nt_response(chal, resp, "alice", pw,
						      resp + 24), 0);
		/* what our PPP client expects in the Success message */
		assert_int_equal(mschapv2_authenticator_response(pw, resp + 24,
								 resp, chal,
								 "alice",
								 success), 0);
		q.response_len = 49;
	}
	memset(res, 0, sizeof(*res));
	assert_non_null(radius_auth_start(c, &q, on_result, res));
	run_until(loop, &res->done, 5000 * scale());
	assert_true(res->done);
}

static void test_chap_md5(void **state)
{
	struct loop *loop = loop_new();
	struct radius_client *c = client_for(loop, port_ok, SECRET);
	struct result res;

	(void)state;
	chap_run(c, loop, RADIUS_CHAP_MD5, "wonderland", &res, NULL);
	assert_int_equal(res.r.status, RADIUS_ACCEPTED);
	chap_run(c, loop, RADIUS_CHAP_MD5, "wrong", &res, NULL);
	assert_int_equal(res.r.status, RADIUS_REJECTED);
	radius_client_free(c);
	loop_free(loop);
}

static void test_mschapv2_authenticator(void **state)
{
	struct loop *loop = loop_new();
	struct radius_client *c = client_for(loop, port_ok, SECRET);
	struct result res;
	char want[43];

	(void)state;
	chap_run(c, loop, RADIUS_MSCHAPV2, "wonderland", &res, want);
	assert_int_equal(res.r.status, RADIUS_ACCEPTED);
	/* the client's check (chap.c, chap_client_result): the first 42 */
	assert_int_equal(strncasecmp(res.r.mschap2_success, want, 42), 0);
	chap_run(c, loop, RADIUS_MSCHAPV2, "wrong", &res, want);
	assert_int_equal(res.r.status, RADIUS_REJECTED);
	assert_non_null(strstr(res.r.mschap_error, "E=691"));
	radius_client_free(c);
	loop_free(loop);
}

/* FreeRADIUS drops a request signed with another secret: named. */
static void test_bad_secret_named(void **state)
{
	struct loop *loop = loop_new();
	struct radius_client *c = client_for(loop, port_ok, "not-the-secret");
	struct result res;
	char line[128];

	(void)state;
	fake_log_reset();
	pap(c, loop, "alice", "wonderland", &res);
	assert_int_equal(res.r.status, RADIUS_NO_ANSWER);
	snprintf(line, sizeof(line),
		 "RADIUS 127.0.0.1:%u did not answer after 2 tries", port_ok);
	assert_true(fake_log_contains(line));
	assert_true(fake_log_contains("shared secret drops requests silently"));
	assert_non_null(strstr(res.r.detail, "no RADIUS server answered for alice"));
	radius_client_free(c);
	loop_free(loop);
}

/* A reply without Message-Authenticator is dropped, by name. */
static void test_reply_without_message_authenticator(void **state)
{
	struct loop *loop = loop_new();
	struct radius_client *c = client_for(loop, port_nomac, SECRET);
	struct result res;

	(void)state;
	fake_log_reset();
	pap(c, loop, "alice", "wonderland", &res);
	assert_int_equal(res.r.status, RADIUS_NO_ANSWER);
	assert_true(fake_log_contains("has no Message-Authenticator"));
	assert_non_null(strstr(res.r.detail, "no Message-Authenticator"));
	radius_client_free(c);
	loop_free(loop);
}

/* A reply signed with another secret: "bad authenticator" named. */
struct forger {
	int fd;
	unsigned int answered;
};

static void forge_reply(void *arg, int fd, uint32_t ev)
{
	struct forger *f = arg;
	uint8_t q[RADIUS_MAX_PACKET], r[20];
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	unsigned int n = 16;
	EVP_MD_CTX *ctx;
	ssize_t len;

	(void)ev;
	len = recvfrom(fd, q, sizeof(q), 0, (struct sockaddr *)&from, &fl);
	if (len < 20)
		return;
	r[0] = RADIUS_ACCESS_ACCEPT;
	r[1] = q[1];
	r[2] = 0;
	r[3] = 20;
	memcpy(r + 4, q + 4, 16);
	ctx = EVP_MD_CTX_new();
	EVP_DigestInit_ex(ctx, EVP_md5(), NULL);
	EVP_DigestUpdate(ctx, r, 20);
	EVP_DigestUpdate(ctx, "other-secret", 12);
	EVP_DigestFinal_ex(ctx, r + 4, &n);
	EVP_MD_CTX_free(ctx);
	sendto(fd, r, sizeof(r), 0, (struct sockaddr *)&from, fl);
	f->answered++;
}

static void test_bad_authenticator_named(void **state)
{
	struct loop *loop = loop_new();
	struct forger f = { 0 };
	uint16_t port = 0;
	struct radius_client *c;
	struct result res;

	(void)state;
	f.fd = udp_bound(&port);
	assert_true(f.fd >= 0);
	assert_int_equal(loop_add_fd(loop, f.fd, EPOLLIN, forge_reply, &f), 0);
	c = client_for(loop, port, SECRET);
	fake_log_reset();
	pap(c, loop, "alice", "wonderland", &res);
	assert_int_equal(res.r.status, RADIUS_NO_ANSWER);
	assert_true(f.answered >= 2);
	assert_true(fake_log_contains("has a bad authenticator: shared secret mismatch?"));
	assert_non_null(strstr(res.r.detail, "bad authenticator: shared secret mismatch?"));
	radius_client_free(c);
	loop_del_fd(loop, f.fd);
	close(f.fd);
	loop_free(loop);
}

/* A silent first server: the second answers; then the first is skipped. */
static void test_failover_and_dead_skip(void **state)
{
	struct loop *loop = loop_new();
	struct radius_client *c;
	struct radius_cfg cfg;
	struct result res;
	char line[256];
	uint64_t t0;

	(void)state;
	radius_cfg_defaults(&cfg);
	cfg.timeout_ms = 200 * scale();
	cfg.tries = 2;
	server_at(&cfg, port_closed, SECRET);
	server_at(&cfg, port_ok, SECRET);
	c = radius_client_new(loop, &cfg);
	fake_log_reset();
	pap(c, loop, "alice", "wonderland", &res);
	assert_int_equal(res.r.status, RADIUS_ACCEPTED);
	snprintf(line, sizeof(line),
		 "RADIUS 127.0.0.1:%u did not answer after 2 tries (a server that does not know this client or its shared secret drops requests silently); trying 127.0.0.1:%u",
		 port_closed, port_ok);
	if (!fake_log_contains(line))
		fail_msg("no '%s' in:\n%s", line, fake_log_text());
	fake_log_reset();
	t0 = now_ms();
	pap(c, loop, "alice", "wonderland", &res);
	assert_int_equal(res.r.status, RADIUS_ACCEPTED);
	assert_true(now_ms() - t0 < 200 * scale());	/* the dead one was skipped */
	assert_false(fake_log_contains("did not answer"));
	radius_client_free(c);
	loop_free(loop);
}

/* A login waiting on a slow server does not hold up another one. */
static void test_slow_server_does_not_block(void **state)
{
	struct loop *loop = loop_new();
	struct radius_client *slow, *fast;
	struct radius_cfg cfg;
	struct result rs = { 0 }, rf;
	struct radius_auth_req q = {
		.method = RADIUS_PAP, .user = "carol",
		.password = (const uint8_t *)"x", .password_len = 1,
	};
	uint64_t t0;

	(void)state;
	radius_cfg_defaults(&cfg);
	cfg.timeout_ms = 3000 * scale();
	cfg.tries = 3;
	server_at(&cfg, port_blackhole, SECRET);
	slow = radius_client_new(loop, &cfg);
	fast = client_for(loop, port_ok, SECRET);
	t0 = now_ms();
	assert_non_null(radius_auth_start(slow, &q, on_result, &rs));
	pap(fast, loop, "alice", "wonderland", &rf);
	assert_int_equal(rf.r.status, RADIUS_ACCEPTED);
	assert_true(now_ms() - t0 < 2000 * scale());
	assert_false(rs.done);
	assert_int_equal(radius_pending(slow), 1);
	radius_client_free(slow);	/* cancels without the callback */
	assert_false(rs.done);
	radius_client_free(fast);
	loop_free(loop);
}

/* ---- PPP through FreeRADIUS: the server link's verify() asks RADIUS --- */

struct pq {
	int to;
	size_t len;
	uint8_t buf[1600];
};

struct pend {
	int idx;
	struct ppp_link *l;
	struct radius_client *rc;
	struct radius_request *req;
	struct in_addr framed_ip;
	bool has_ip;
	int ipcp_up, down;
	enum end_reason reason;
	char detail[512];
	struct ppp_ipcp_info ipcp;
};

static struct pend ends[2];
static struct pq q[64];
static unsigned int nq;

static void p_send(void *arg, const uint8_t *pkt, size_t len)
{
	struct pend *e = arg;

	if (nq < 64 && len <= sizeof(q[0].buf)) {
		q[nq].to = !e->idx;
		q[nq].len = len;
		memcpy(q[nq].buf, pkt, len);
		nq++;
	}
}

static void p_lcp_up(void *arg, const struct ppp_lcp_info *info)
{
	(void)arg; (void)info;
}

static int p_get_secret(void *arg, const char *user, char *secret, size_t size)
{
	(void)arg; (void)user; (void)secret; (void)size;
	fail_msg("the local secret was consulted with RADIUS in charge");
	return -ENOENT;
}

static void p_radius_done(void *arg, const struct radius_auth_result *r)
{
	struct pend *e = arg;
	struct ppp_verify_result v = {
		.accepted = r->status == RADIUS_ACCEPTED,
		.detail = r->detail,
		.mschap2_success = r->mschap2_success,
	};

	e->req = NULL;
	e->has_ip = r->has_framed_ip;
	e->framed_ip = r->framed_ip;
	ppp_link_verified(e->l, &v);
}

static int p_verify(void *arg, const struct ppp_verify_req *v, char *why,
		    size_t size)
{
	struct pend *e = arg;
	struct radius_auth_req r = {
		.user = v->user, .password = v->password,
		.password_len = v->password_len, .chap_id = v->id,
		.challenge = v->challenge, .challenge_len = v->challenge_len,
		.response = v->response, .response_len = v->response_len,
	};

	r.method = v->proto == PPP_AUTH_PAP ? RADIUS_PAP :
		   v->proto == PPP_AUTH_CHAP_MD5 ? RADIUS_CHAP_MD5 :
		   RADIUS_MSCHAPV2;
	e->req = radius_auth_start(e->rc, &r, p_radius_done, e);
	if (!e->req) {
		snprintf(why, size, "RADIUS: %s", strerror(errno));
		return -errno;
	}
	return 1;
}

static int p_authenticated(void *arg, const char *user, struct in_addr *peer,
			   const char **why)
{
	struct pend *e = arg;

	(void)user;
	if (!e->has_ip) {
		*why = "no Framed-IP-Address";
		return -EADDRNOTAVAIL;
	}
	*peer = e->framed_ip;
	return 0;
}

static int p_ipcp_up(void *arg, const struct ppp_ipcp_info *info)
{
	struct pend *e = arg;

	e->ipcp_up++;
	e->ipcp = *info;
	return 0;
}

static int p_ipv6cp_up(void *arg, const uint8_t l[8], const uint8_t p[8])
{
	(void)arg; (void)l; (void)p;
	return 0;
}

static void p_down(void *arg, enum end_reason r, const char *detail)
{
	struct pend *e = arg;

	e->down++;
	e->reason = r;
	snprintf(e->detail, sizeof(e->detail), "%s", detail ? detail : "");
}

static const struct ppp_ops p_ops = {
	.send = p_send, .lcp_up = p_lcp_up, .get_secret = p_get_secret,
	.verify = p_verify, .authenticated = p_authenticated,
	.ipcp_up = p_ipcp_up, .ipv6cp_up = p_ipv6cp_up, .down = p_down,
};

static void ppp_login(enum ppp_auth a, const char *user, const char *pw)
{
	struct loop *loop = loop_new();
	struct ppp_cfg s, c;
	uint64_t end;
	unsigned int i;

	memset(ends, 0, sizeof(ends));
	nq = 0;
	ends[1].idx = 1;
	ends[0].rc = client_for(loop, port_ok, SECRET);
	ppp_cfg_defaults(&s);
	s.server = true;
	s.auth[0] = a;
	s.auth[1] = PPP_AUTH_NONE;
	inet_pton(AF_INET, "10.99.0.1", &s.local_ipv4);
	ppp_cfg_defaults(&c);
	c.server = false;
	c.auth[0] = PPP_AUTH_MSCHAPV2;
	c.auth[1] = PPP_AUTH_CHAP_MD5;
	c.auth[2] = PPP_AUTH_PAP;
	snprintf(c.user, sizeof(c.user), "%s", user);
	snprintf(c.password, sizeof(c.password), "%s", pw);
	ends[0].l = ppp_link_new(loop, &s, &p_ops, &ends[0], "srv");
	ends[1].l = ppp_link_new(loop, &c, &p_ops, &ends[1], "cli");
	ppp_link_start(ends[0].l);
	ppp_link_start(ends[1].l);
	end = now_ms() + 5000 * scale();
	while (now_ms() < end && !(ends[0].ipcp_up && ends[1].ipcp_up) &&
	       !ends[0].down && !ends[1].down) {
		for (i = 0; i < nq; i++) {
			struct pq p = q[i];

			if (!ends[p.to].down)
				ppp_link_input(ends[p.to].l, p.buf, p.len);
		}
		/* packets queued while delivering go next round */
		if (i < nq)
			memmove(q, q + i, (nq - i) * sizeof(q[0]));
		nq -= i;
		loop_run_once(loop, nq ? 0 : 20);
	}
	radius_request_cancel(ends[0].req);
	ppp_link_free(ends[0].l);
	ppp_link_free(ends[1].l);
	radius_client_free(ends[0].rc);
	loop_free(loop);
}

static void test_ppp_logins_through_radius(void **state)
{
	static const enum ppp_auth methods[] = {
		PPP_AUTH_PAP, PPP_AUTH_CHAP_MD5, PPP_AUTH_MSCHAPV2,
	};
	char ip[INET_ADDRSTRLEN];
	unsigned int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		ppp_login(methods[i], "alice", "wonderland");
		if (!ends[0].ipcp_up || !ends[1].ipcp_up)
			fail_msg("%s: server down %d '%s', client down %d '%s'",
				 ppp_auth_name(methods[i]), ends[0].down,
				 ends[0].detail, ends[1].down, ends[1].detail);
		/* Framed-IP-Address is the client's address */
		assert_string_equal(inet_ntop(AF_INET, &ends[1].ipcp.local, ip,
					      sizeof(ip)), "10.99.0.77");
	}
	/* a reject: the Reply-Message in the server's failure line */
	ppp_login(PPP_AUTH_MSCHAPV2, "bob", "builder");
	assert_int_equal(ends[0].down, 1);
	assert_int_equal(ends[0].reason, END_AUTH_FAILED);
	if (!strstr(ends[0].detail, "RADIUS rejected bob: Reply-Message \"Your account is locked\""))
		fail_msg("detail: %s", ends[0].detail);
	assert_int_equal(ends[1].reason, END_AUTH_FAILED);
	/* a wrong password: refused, the client says the server refused */
	ppp_login(PPP_AUTH_PAP, "alice", "wrong");
	assert_int_equal(ends[0].reason, END_AUTH_FAILED);
	assert_non_null(strstr(ends[0].detail, "RADIUS rejected alice"));
}

static void test_parse_server(void **state)
{
	struct radius_server_cfg s;
	char b[64];

	(void)state;
	assert_int_equal(radius_parse_server("10.0.0.5", &s), 0);
	assert_string_equal(radius_addr_str(&s.addr, b, sizeof(b)), "10.0.0.5:1812");
	assert_int_equal(radius_parse_server("[::1]:1645", &s), 0);
	assert_string_equal(radius_addr_str(&s.addr, b, sizeof(b)), "[::1]:1645");
	assert_int_equal(radius_parse_server("10.0.0.5:0", &s), -EINVAL);
	assert_int_equal(radius_parse_server("10.0.0.5:70000", &s), -EINVAL);
	assert_int_equal(radius_parse_server("radius.example", &s), -EINVAL);
	assert_int_equal(radius_parse_server("[::1", &s), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest offline[] = {
		cmocka_unit_test(test_parse_server),
	};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pap_accept_authorization),
		cmocka_unit_test(test_pap_reject),
		cmocka_unit_test(test_chap_md5),
		cmocka_unit_test(test_mschapv2_authenticator),
		cmocka_unit_test(test_bad_secret_named),
		cmocka_unit_test(test_reply_without_message_authenticator),
		cmocka_unit_test(test_bad_authenticator_named),
		cmocka_unit_test(test_failover_and_dead_skip),
		cmocka_unit_test(test_slow_server_does_not_block),
		cmocka_unit_test(test_ppp_logins_through_radius),
	};
	int fails;

	fails = cmocka_run_group_tests_name("radius_offline", offline, NULL, NULL);
	return fails | cmocka_run_group_tests_name("radius_freeradius", tests,
						   group_setup, group_teardown);
}
