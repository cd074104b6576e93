// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: PPP links (fsm.c, lcp.c, pap.c, chap.c, ipcp.c, ipv6cp.c,
 * link.c): a server link and a client link negotiate through an in-memory
 * wire on a virtual clock; raw packets probe the option parsers.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ppp/ppp.h"
#include "l2tp_fakes.h"

struct pkt {
	int	to;
	size_t	len;
	uint8_t	buf[1502];
};

struct end {
	struct ppp_link		*l;
	int			idx;
	unsigned int		lcp_up, auth_ok, ipcp_up, ipv6_up, down;
	struct ppp_lcp_info	lcp;
	struct ppp_ipcp_info	ipcp;
	enum end_reason		reason;
	char			detail[256];
	char			user[64];
	int			assign_err;
	uint8_t			last_sent[1502];
	size_t			last_len;
	unsigned int		sent_proto_rej;
	/* verify(): calls, what it returns, the request's user and id */
	unsigned int		verify_calls;
	int			verify_ret;
	char			verify_user[64];
	enum ppp_auth		verify_proto;
	size_t			verify_resp_len;
};

struct world {
	struct loop	*loop;
	struct end	end[2];		/* 0: server, 1: client */
	struct pkt	*q;
	size_t		nq;
	bool		blackhole[2];
	/* drop packets of this protocol to side i */
	uint16_t	drop_proto[2];
};

static struct world *W;

static void send_cb(void *arg, const uint8_t *pkt, size_t len)
{
	struct end *e = arg;
	struct pkt *p;

	memcpy(e->last_sent, pkt, len);
	e->last_len = len;
	if (len >= 3 && pkt[0] == 0xc0 && pkt[1] == 0x21 && pkt[2] == 8)
		e->sent_proto_rej++;
	W->q = realloc(W->q, (W->nq + 1) * sizeof(*W->q));
	p = &W->q[W->nq++];
	p->to = !e->idx;
	p->len = len;
	memcpy(p->buf, pkt, len);
}

static void lcp_up(void *arg, const struct ppp_lcp_info *info)
{
	struct end *e = arg;

	e->lcp_up++;
	e->lcp = *info;
}

static int get_secret(void *arg, const char *user, char *secret, size_t size)
{
	(void)arg;
	if (!strcmp(user, "alice")) {
		snprintf(secret, size, "wonderland");
		return 0;
	}
	if (!strcmp(user, "bob")) {
		snprintf(secret, size, "builder");
		return 0;
	}
	return -ENOENT;
}

static int authenticated(void *arg, const char *user, struct in_addr *peer,
			 const char **why)
{
	struct end *e = arg;

	e->auth_ok++;
	snprintf(e->user, sizeof(e->user), "%s", user);
	if (e->assign_err) {
		*why = "address pool exhausted";
		return e->assign_err;
	}
	inet_pton(AF_INET, "10.99.0.10", peer);
	return 0;
}

static int ipcp_up(void *arg, const struct ppp_ipcp_info *info)
{
	struct end *e = arg;

	e->ipcp_up++;
	e->ipcp = *info;
	return 0;
}

static int ipv6cp_up(void *arg, const uint8_t l[8], const uint8_t p[8])
{
	struct end *e = arg;

	(void)l; (void)p;
	e->ipv6_up++;
	return 0;
}

static void down(void *arg, enum end_reason r, const char *detail)
{
	struct end *e = arg;

	e->down++;
	e->reason = r;
	snprintf(e->detail, sizeof(e->detail), "%s", detail ? detail : "");
}

static const struct ppp_ops ops = {
	.send = send_cb,
	.lcp_up = lcp_up,
	.get_secret = get_secret,
	.authenticated = authenticated,
	.ipcp_up = ipcp_up,
	.ipv6cp_up = ipv6cp_up,
	.down = down,
};

static int verify(void *arg, const struct ppp_verify_req *q, char *why,
		  size_t size)
{
	struct end *e = arg;

	e->verify_calls++;
	snprintf(e->verify_user, sizeof(e->verify_user), "%s", q->user);
	e->verify_proto = q->proto;
	e->verify_resp_len = q->proto == PPP_AUTH_PAP ? q->password_len :
			     q->response_len;
	if (e->verify_ret < 0)
		snprintf(why, size, "RADIUS: no server could take the request");
	return e->verify_ret;
}

/* The server asks an outside verifier (RADIUS) through verify(). */
static const struct ppp_ops vops = {
	.send = send_cb,
	.lcp_up = lcp_up,
	.get_secret = get_secret,
	.verify = verify,
	.authenticated = authenticated,
	.ipcp_up = ipcp_up,
	.ipv6cp_up = ipv6cp_up,
	.down = down,
};

static void pump(struct world *w)
{
	while (w->nq) {
		struct pkt p = w->q[0];
		uint16_t proto = (uint16_t)(p.buf[0] << 8 | p.buf[1]);

		memmove(w->q, w->q + 1, (w->nq - 1) * sizeof(*w->q));
		w->nq--;
		if (w->blackhole[p.to] || (w->drop_proto[p.to] &&
					   w->drop_proto[p.to] == proto))
			continue;
		if (w->end[p.to].l && !w->end[p.to].down)
			ppp_link_input(w->end[p.to].l, p.buf, p.len);
	}
}

static void run_for(struct world *w, uint64_t ms)
{
	pump(w);
	while (ms) {
		uint64_t d = ms < 100 ? ms : 100;

		fake_loop_advance(w->loop, d);
		pump(w);
		ms -= d;
	}
}

static void cfgs(struct ppp_cfg *s, struct ppp_cfg *c)
{
	ppp_cfg_defaults(s);
	s->server = true;
	inet_pton(AF_INET, "10.99.0.1", &s->local_ipv4);
	inet_pton(AF_INET, "192.0.2.53", &s->dns[0]);
	inet_pton(AF_INET, "192.0.2.54", &s->dns[1]);
	inet_pton(AF_INET, "192.0.2.137", &s->nbns[0]);
	ppp_cfg_defaults(c);
	c->server = false;
	c->auth[0] = PPP_AUTH_MSCHAPV2;
	c->auth[1] = PPP_AUTH_CHAP_MD5;
	c->auth[2] = PPP_AUTH_PAP;
	snprintf(c->user, sizeof(c->user), "alice");
	snprintf(c->password, sizeof(c->password), "wonderland");
}

static struct world *new_world(void **state)
{
	struct world *w = calloc(1, sizeof(*w));

	W = w;
	fake_log_reset();
	w->loop = fake_loop_new();
	w->end[0].idx = 0;
	w->end[1].idx = 1;
	*state = w;
	return w;
}

static void start(struct world *w, const struct ppp_cfg *s,
		  const struct ppp_cfg *c)
{
	w->end[0].l = ppp_link_new(w->loop, s, &ops, &w->end[0], "srv");
	w->end[1].l = ppp_link_new(w->loop, c, &ops, &w->end[1], "cli");
	assert_non_null(w->end[0].l);
	assert_non_null(w->end[1].l);
	ppp_link_start(w->end[0].l);
	ppp_link_start(w->end[1].l);
	run_for(w, 1000);
}

static int teardown(void **state)
{
	struct world *w = *state;

	ppp_link_free(w->end[0].l);
	ppp_link_free(w->end[1].l);
	loop_free(w->loop);
	free(w->q);
	free(w);
	return 0;
}

static void check_up(struct world *w, enum ppp_auth auth)
{
	char a[INET_ADDRSTRLEN];

	assert_int_equal(w->end[0].down, 0);
	assert_int_equal(w->end[1].down, 0);
	assert_int_equal(w->end[0].lcp.auth, auth);
	assert_int_equal(w->end[1].lcp.auth, auth);
	assert_int_equal(w->end[0].ipcp_up, 1);
	assert_int_equal(w->end[1].ipcp_up, 1);
	assert_string_equal(w->end[0].user, "alice");
	assert_string_equal(ppp_link_user(w->end[0].l), "alice");
	inet_ntop(AF_INET, &w->end[1].ipcp.local, a, sizeof(a));
	assert_string_equal(a, "10.99.0.10");
	inet_ntop(AF_INET, &w->end[1].ipcp.peer, a, sizeof(a));
	assert_string_equal(a, "10.99.0.1");
	inet_ntop(AF_INET, &w->end[0].ipcp.peer, a, sizeof(a));
	assert_string_equal(a, "10.99.0.10");
	inet_ntop(AF_INET, &w->end[1].ipcp.dns[0], a, sizeof(a));
	assert_string_equal(a, "192.0.2.53");
	inet_ntop(AF_INET, &w->end[1].ipcp.dns[1], a, sizeof(a));
	assert_string_equal(a, "192.0.2.54");
	assert_int_equal(w->end[0].ipv6_up, 1);
	assert_int_equal(w->end[1].ipv6_up, 1);
	/* both offered and accepted compression */
	assert_true(w->end[0].lcp.peer_acfc);
	assert_true(w->end[0].lcp.peer_pfc);
	assert_int_equal(w->end[0].lcp.peer_mru, 1400);
	assert_true(ppp_link_is_up(w->end[0].l));
}

static void test_mschapv2(void **state)
{
	struct world *w = new_world(state);
	struct ppp_cfg s, c;

	cfgs(&s, &c);
	start(w, &s, &c);
	check_up(w, PPP_AUTH_MSCHAPV2);
	assert_true(fake_log_contains("authenticated with MS-CHAPv2"));
}

static void test_chap_md5(void **state)
{
	struct world *w = new_world(state);
	struct ppp_cfg s, c;

	cfgs(&s, &c);
	s.auth[0] = PPP_AUTH_CHAP_MD5;
	s.auth[1] = 0;
	start(w, &s, &c);
	check_up(w, PPP_AUTH_CHAP_MD5);
}

static void test_pap(void **state)
{
	struct world *w = new_world(state);
	struct ppp_cfg s, c;

	cfgs(&s, &c);
	s.auth[0] = PPP_AUTH_PAP;
	s.auth[1] = 0;
	start(w, &s, &c);
	check_up(w, PPP_AUTH_PAP);
}

static void test_auth_nak_fallback(void **state)
{
	/* Server prefers MS-CHAPv2, client only does PAP: Nak, then PAP. */
	struct world *w = new_world(state);
	struct ppp_cfg s, c;

	cfgs(&s, &c);
	s.auth[2] = PPP_AUTH_PAP;
	c.auth[0] = PPP_AUTH_PAP;
	c.auth[1] = 0;
	c.auth[2] = 0;
	start(w, &s, &c);
	check_up(w, PPP_AUTH_PAP);
}

static void test_no_common_auth(void **state)
{
	struct world *w = new_world(state);
	struct ppp_cfg s, c;

	cfgs(&s, &c);
	c.auth[0] = PPP_AUTH_PAP;	/* server refuses PAP by default */
	c.auth[1] = 0;
	c.auth[2] = 0;
	start(w, &s, &c);
	run_for(w, 10000);
	assert_int_equal(w->end[0].down, 1);
	assert_int_equal(w->end[0].reason, END_AUTH_FAILED);
	assert_non_null(strstr(w->end[0].detail, "none of the authentication"));
}

/*
 * A client that allows only MS-CHAPv2 (the [lac] default) and a server
 * that asks for no authentication: with a group PSK that server may be
 * anyone holding the PSK. Refused, naming the setting that would allow it.
 */
static void test_client_refuses_no_auth(void **state)
{
	struct world *w = new_world(state);
	struct ppp_cfg s, c;

	cfgs(&s, &c);
	memset(s.auth, 0, sizeof(s.auth));	/* server: no login */
	c.auth[1] = 0;
	c.auth[2] = 0;
	start(w, &s, &c);
	run_for(w, 5000);
	assert_int_equal(w->end[1].down, 1);
	assert_int_equal(w->end[1].reason, END_AUTH_FAILED);
	assert_non_null(strstr(w->end[1].detail,
			       "the server asks for no authentication"));
	assert_non_null(strstr(w->end[1].detail, "none"));
	assert_int_equal(w->end[1].ipcp_up, 0);
}

/* ... unless the [lac] says "none". */
static void test_client_accepts_no_auth_when_told(void **state)
{
	struct world *w = new_world(state);
	struct ppp_cfg s, c;

	cfgs(&s, &c);
	memset(s.auth, 0, sizeof(s.auth));
	c.auth[1] = 0;
	c.auth[2] = 0;
	c.auth_none = true;
	start(w, &s, &c);
	run_for(w, 5000);
	assert_int_equal(w->end[1].down, 0);
	assert_int_equal(w->end[1].ipcp_up, 1);
	assert_int_equal(w->end[1].lcp.auth, PPP_AUTH_NONE);
}

/* A server that asks for PAP while the client allows only MS-CHAPv2. */
static void test_client_refuses_pap(void **state)
{
	struct world *w = new_world(state);
	struct ppp_cfg s, c;

	cfgs(&s, &c);
	s.auth[0] = PPP_AUTH_PAP;
	s.auth[1] = 0;
	c.auth[1] = 0;
	c.auth[2] = 0;
	start(w, &s, &c);
	run_for(w, 10000);
	assert_int_equal(w->end[1].ipcp_up, 0);
	assert_true(fake_log_contains("the server asks for PAP"));
	assert_true(fake_log_contains("auth = mschapv2 pap"));
}

static void wrong_password(void **state, enum ppp_auth a)
{
	struct world *w = new_world(state);
	struct ppp_cfg s, c;

	cfgs(&s, &c);
	s.auth[0] = a;
	s.auth[1] = 0;
	s.auth[2] = PPP_AUTH_PAP;
	snprintf(c.password, sizeof(c.password), "wrong");
	start(w, &s, &c);
	run_for(w, 10000);
	assert_int_equal(w->end[0].down, 1);
	assert_int_equal(w->end[0].reason, END_AUTH_FAILED);
	assert_int_equal(w->end[1].down, 1);
	assert_int_equal(w->end[1].reason, END_AUTH_FAILED);
	assert_int_equal(w->end[0].ipcp_up, 0);
	assert_true(fake_log_contains("check the password"));
}

static void test_wrong_password_mschapv2(void **state)
{
	wrong_password(state, PPP_AUTH_MSCHAPV2);
	assert_true(fake_log_contains("MS-CHAPv2 response does not match"));
}

static void test_wrong_password_chap(void **state)
{
	wrong_password(state, PPP_AUTH_CHAP_MD5);
}

static void test_wrong_password_pap(void **state)
{
	wrong_password(state, PPP_AUTH_PAP);
}

static void test_unknown_user(void **state)
{
	struct world *w = new_world(state);
	struct ppp_cfg s, c;

	cfgs(&s, &c);
	snprintf(c.user, sizeof(c.user), "mallory");
	start(w, &s, &c);
	run_for(w, 10000);
	assert_int_equal(w->end[0].reason, END_AUTH_FAILED);
	assert_true(fake_log_contains("unknown user 'mallory'"));
}

static void test_no_address(void **state)
{
	struct world *w = new_world(state);
	struct ppp_cfg s, c;

	cfgs(&s, &c);
	w->end[0].assign_err = -ENOSPC;
	start(w, &s, &c);
	run_for(w, 10000);
	assert_int_equal(w->end[0].reason, END_NO_ADDRESS);
	assert_non_null(strstr(w->end[0].detail, "pool exhausted"));
}

static void test_echo_timeout(void **state)
{
	struct world *w = new_world(state);
	struct ppp_cfg s, c;

	cfgs(&s, &c);
	s.echo_interval_s = 10;
	s.echo_failures = 3;
	start(w, &s, &c);
	check_up(w, PPP_AUTH_MSCHAPV2);
	/* a live peer answers echoes */
	run_for(w, 60000);
	assert_int_equal(w->end[0].down, 0);
	assert_true(ppp_link_stats(w->end[0].l)->echo_rx >= 5);
	/* then the client vanishes */
	w->blackhole[1] = true;
	run_for(w, 45000);
	assert_int_equal(w->end[0].down, 1);
	assert_int_equal(w->end[0].reason, END_LCP_ECHO_TIMEOUT);
	assert_non_null(strstr(w->end[0].detail, "3 LCP Echo-Requests unanswered"));
}

/*
 * The last LCP echo round trip: the time from our newest Echo-Request to
 * its reply, none before the first reply; a reply to an older request
 * (it came late) is counted but not timed.
 */
/* Advance (without delivering) until the server sent echo request @n. */
static void until_echo(struct world *w, uint64_t n)
{
	int i;

	for (i = 0; i < 3000 && ppp_link_stats(w->end[0].l)->echo_tx < n; i++)
		fake_loop_advance(w->loop, 10);
	assert_int_equal(ppp_link_stats(w->end[0].l)->echo_tx, n);
}

static void test_echo_rtt(void **state)
{
	struct world *w = new_world(state);
	const struct ppp_stats *st;
	struct ppp_cfg s, c;
	struct pkt held;

	cfgs(&s, &c);
	s.echo_interval_s = 10;
	s.echo_failures = 3;
	start(w, &s, &c);
	check_up(w, PPP_AUTH_MSCHAPV2);
	st = ppp_link_stats(w->end[0].l);
	assert_int_equal(st->echo_rtt_at_ms, 0);
	/* the request waits 250 ms on the way */
	until_echo(w, 1);
	fake_loop_advance(w->loop, 250);
	pump(w);
	assert_int_equal(st->echo_rx, 1);
	assert_int_equal(st->echo_rtt_ms, 250);
	assert_true(st->echo_rtt_at_ms > 0);
	/* the next one is held back past the one after it */
	until_echo(w, 2);
	assert_int_equal(w->nq, 1);
	held = w->q[0];
	w->nq = 0;
	until_echo(w, 3);
	w->q = realloc(w->q, (w->nq + 1) * sizeof(*w->q));
	assert_non_null(w->q);
	memmove(w->q + 1, w->q, w->nq * sizeof(*w->q));
	w->q[0] = held;
	w->nq++;
	fake_loop_advance(w->loop, 40);
	pump(w);
	/* both answered; the newest one's round trip is the one kept */
	assert_int_equal(st->echo_rx, 3);
	assert_int_equal(st->echo_rtt_ms, 40);
	assert_int_equal(w->end[0].down, 0);
}

static void test_peer_terminate(void **state)
{
	struct world *w = new_world(state);
	struct ppp_cfg s, c;

	cfgs(&s, &c);
	start(w, &s, &c);
	check_up(w, PPP_AUTH_MSCHAPV2);
	ppp_link_close(w->end[1].l, END_LOCAL_CLOSE, "user disconnect");
	run_for(w, 10000);
	assert_int_equal(w->end[1].down, 1);
	assert_int_equal(w->end[1].reason, END_LOCAL_CLOSE);
	assert_int_equal(w->end[0].down, 1);
	assert_int_equal(w->end[0].reason, END_LOGOUT);
}

static void test_ccp_protocol_reject(void **state)
{
	struct world *w = new_world(state);
	struct ppp_cfg s, c;
	/* CCP Configure-Request with MPPE (option 18) */
	uint8_t ccp[] = { 0x80, 0xfd, 1, 1, 0, 10, 18, 6, 0, 0, 0, 0x40 };

	cfgs(&s, &c);
	start(w, &s, &c);
	ppp_link_input(w->end[0].l, ccp, sizeof(ccp));
	assert_int_equal(w->end[0].sent_proto_rej, 1);
	/* Protocol-Reject: c0 21 08 id len(2) 80 fd ... */
	assert_int_equal(w->end[0].last_sent[6], 0x80);
	assert_int_equal(w->end[0].last_sent[7], 0xfd);
	w->nq = 0;
	assert_int_equal(w->end[0].down, 0);
}

static void test_ipv6cp_rejected(void **state)
{
	/* The client has no IPv6: it Protocol-Rejects IPV6CP; IPv4 works. */
	struct world *w = new_world(state);
	struct ppp_cfg s, c;

	cfgs(&s, &c);
	c.ipv6 = false;
	start(w, &s, &c);
	run_for(w, 5000);
	assert_int_equal(w->end[0].ipcp_up, 1);
	assert_int_equal(w->end[0].ipv6_up, 0);
	assert_int_equal(w->end[0].down, 0);
	assert_int_equal(w->end[1].sent_proto_rej, 1);
}

static void test_auth_timeout(void **state)
{
	struct world *w = new_world(state);
	struct ppp_cfg s, c;

	cfgs(&s, &c);
	s.auth_timeout_s = 20;
	w->drop_proto[0] = 0xc223;	/* the server never hears a response */
	start(w, &s, &c);
	run_for(w, 30000);
	assert_int_equal(w->end[0].down, 1);
	assert_true(w->end[0].reason == END_AUTH_TIMEOUT);
}

static void test_lcp_no_answer(void **state)
{
	struct world *w = new_world(state);
	struct ppp_cfg s, c;

	cfgs(&s, &c);
	w->blackhole[1] = true;
	start(w, &s, &c);
	run_for(w, 40000);
	assert_int_equal(w->end[0].down, 1);
	assert_int_equal(w->end[0].reason, END_NEGOTIATION_FAILED);
	assert_non_null(strstr(w->end[0].detail, "no agreement after 10"));
}

static void start_verify(struct world *w, const struct ppp_cfg *s,
			 const struct ppp_cfg *c, enum ppp_auth a)
{
	struct ppp_cfg sv = *s;

	sv.auth[0] = a;
	sv.auth[1] = PPP_AUTH_NONE;
	w->end[0].verify_ret = 1;
	w->end[0].l = ppp_link_new(w->loop, &sv, &vops, &w->end[0], "srv");
	w->end[1].l = ppp_link_new(w->loop, c, &ops, &w->end[1], "cli");
	ppp_link_start(w->end[0].l);
	ppp_link_start(w->end[1].l);
	run_for(w, 1000);
}

/* The verdict comes later; retransmissions meanwhile are not re-asked. */
static void verify_accept(void **state, enum ppp_auth a, size_t resp_len)
{
	struct world *w = new_world(state);
	struct ppp_verify_result ok = { .accepted = true };
	struct ppp_cfg s, c;

	cfgs(&s, &c);
	start_verify(w, &s, &c, a);
	assert_int_equal(w->end[0].verify_calls, 1);
	assert_string_equal(w->end[0].verify_user, "alice");
	assert_int_equal(w->end[0].verify_proto, a);
	assert_int_equal(w->end[0].verify_resp_len, resp_len);
	run_for(w, 10000);	/* the client retransmits; still waiting */
	assert_int_equal(w->end[0].verify_calls, 1);
	assert_int_equal(w->end[0].down + w->end[1].down, 0);
	assert_int_equal(w->end[0].ipcp_up, 0);
	ppp_link_verified(w->end[0].l, &ok);
	run_for(w, 2000);
	assert_int_equal(w->end[0].ipcp_up, 1);
	assert_int_equal(w->end[1].ipcp_up, 1);
	/* a second verdict is ignored */
	ppp_link_verified(w->end[0].l, &ok);
	assert_int_equal(w->end[0].auth_ok, 1);
}

static void test_verify_pap(void **state)
{
	verify_accept(state, PPP_AUTH_PAP, strlen("wonderland"));
}

static void test_verify_chap_md5(void **state)
{
	verify_accept(state, PPP_AUTH_CHAP_MD5, 16);
}

static void test_verify_reject_named(void **state)
{
	struct world *w = new_world(state);
	struct ppp_verify_result no = {
		.detail = "RADIUS rejected alice: Reply-Message \"locked\" (server 127.0.0.1:1812)",
	};
	struct ppp_cfg s, c;

	cfgs(&s, &c);
	start_verify(w, &s, &c, PPP_AUTH_MSCHAPV2);
	assert_int_equal(w->end[0].verify_calls, 1);
	assert_int_equal(w->end[0].verify_resp_len, 49);
	ppp_link_verified(w->end[0].l, &no);
	run_for(w, 5000);
	assert_int_equal(w->end[0].down, 1);
	assert_int_equal(w->end[0].reason, END_AUTH_FAILED);
	if (!strstr(w->end[0].detail, "MS-CHAPv2: RADIUS rejected alice: Reply-Message \"locked\""))
		fail_msg("detail: %s", w->end[0].detail);
	assert_int_equal(w->end[1].reason, END_AUTH_FAILED);
}

/* Accepted, but nothing proves the server to the MS-CHAPv2 client. */
static void test_verify_mschapv2_without_success(void **state)
{
	struct world *w = new_world(state);
	struct ppp_verify_result ok = { .accepted = true };
	struct ppp_cfg s, c;

	cfgs(&s, &c);
	start_verify(w, &s, &c, PPP_AUTH_MSCHAPV2);
	ppp_link_verified(w->end[0].l, &ok);
	run_for(w, 5000);
	assert_int_equal(w->end[0].down, 1);
	assert_int_equal(w->end[0].auth_ok, 0);
	assert_non_null(strstr(w->end[0].detail, "without an authenticator response"));
}

/* A verdict after the phase timed out changes nothing. */
static void test_verify_late_verdict_ignored(void **state)
{
	struct world *w = new_world(state);
	struct ppp_verify_result ok = { .accepted = true };
	struct ppp_cfg s, c;

	cfgs(&s, &c);
	s.auth_timeout_s = 5;
	start_verify(w, &s, &c, PPP_AUTH_PAP);
	run_for(w, 10000);
	assert_int_equal(w->end[0].down, 1);
	assert_int_equal(w->end[0].reason, END_AUTH_TIMEOUT);
	ppp_link_verified(w->end[0].l, &ok);
	run_for(w, 2000);
	assert_int_equal(w->end[0].down, 1);
	assert_int_equal(w->end[0].auth_ok, 0);
	assert_int_equal(w->end[0].ipcp_up, 0);
}

/* verify() could not start: refused at once, with its reason. */
static void test_verify_error(void **state)
{
	struct world *w = new_world(state);
	struct ppp_cfg s, c;

	cfgs(&s, &c);
	s.auth[0] = PPP_AUTH_PAP;
	s.auth[1] = PPP_AUTH_NONE;
	w->end[0].verify_ret = -EIO;
	w->end[0].l = ppp_link_new(w->loop, &s, &vops, &w->end[0], "srv");
	w->end[1].l = ppp_link_new(w->loop, &c, &ops, &w->end[1], "cli");
	ppp_link_start(w->end[0].l);
	ppp_link_start(w->end[1].l);
	run_for(w, 3000);
	assert_int_equal(w->end[0].down, 1);
	assert_int_equal(w->end[0].reason, END_AUTH_FAILED);
	assert_non_null(strstr(w->end[0].detail, "PAP: RADIUS: no server could take the request"));
}

/* Raw LCP Configure-Requests against a server link. */
static void raw_lcp(struct world *w, const uint8_t *opts, size_t len)
{
	uint8_t b[300];

	b[0] = 0xc0;
	b[1] = 0x21;
	b[2] = 1;	/* ConfReq */
	b[3] = 0x42;
	b[4] = 0;
	b[5] = (uint8_t)(4 + len);
	memcpy(b + 6, opts, len);
	ppp_link_input(w->end[0].l, b, 6 + len);
}

static void test_lcp_options(void **state)
{
	struct world *w = new_world(state);
	struct ppp_cfg s;
	/* unknown option 99 and Quality: rejected, both echoed */
	static const uint8_t o1[] = { 99, 3, 0, 4, 4, 0xc0, 0x25 };
	/* MRU too small: Nak with 1500 */
	static const uint8_t o2[] = { 1, 4, 0, 20 };
	/* malformed: length beyond */
	static const uint8_t o3[] = { 1, 9, 0, 20 };
	/* our own magic: Nak */
	uint8_t o4[6] = { 5, 6 };
	/* good: MRU 1400, magic, PFC, ACFC, ACCM */
	static const uint8_t o5[] = { 1, 4, 0x05, 0x78, 5, 6, 1, 2, 3, 4,
				      7, 2, 8, 2, 2, 6, 0, 0, 0, 0 };

	ppp_cfg_defaults(&s);
	w->end[0].l = ppp_link_new(w->loop, &s, &ops, &w->end[0], "srv");
	ppp_link_start(w->end[0].l);
	w->nq = 0;

	raw_lcp(w, o1, sizeof(o1));
	assert_int_equal(w->end[0].last_sent[2], 4);	/* ConfRej */
	assert_int_equal(w->end[0].last_sent[3], 0x42);
	assert_int_equal(w->end[0].last_len, 6 + sizeof(o1));
	assert_memory_equal(w->end[0].last_sent + 6, o1, sizeof(o1));

	raw_lcp(w, o2, sizeof(o2));
	assert_int_equal(w->end[0].last_sent[2], 3);	/* ConfNak */
	assert_int_equal(w->end[0].last_sent[8], 0x05);
	assert_int_equal(w->end[0].last_sent[9], 0xdc);

	w->end[0].last_len = 0;
	raw_lcp(w, o3, sizeof(o3));
	assert_int_equal(w->end[0].last_len, 0);	/* dropped */
	assert_true(ppp_link_stats(w->end[0].l)->rx_malformed >= 1);

	/* the server's ConfReq carries its magic at a known place: find it */
	{
		struct pkt *p;
		size_t i;

		/* resend: make the server send a fresh ConfReq */
		fake_loop_advance(w->loop, 3000);
		p = &w->q[w->nq - 1];
		assert_int_equal(p->buf[2], 1);
		for (i = 6; i + 6 <= p->len; i += p->buf[i + 1])
			if (p->buf[i] == 5)
				memcpy(o4 + 2, p->buf + i + 2, 4);
	}
	raw_lcp(w, o4, sizeof(o4));
	assert_int_equal(w->end[0].last_sent[2], 3);	/* Nak: looped? */
	assert_memory_not_equal(w->end[0].last_sent + 8, o4 + 2, 4);

	raw_lcp(w, o5, sizeof(o5));
	assert_int_equal(w->end[0].last_sent[2], 2);	/* ConfAck */
	assert_memory_equal(w->end[0].last_sent + 6, o5, sizeof(o5));
	w->nq = 0;
}

static void test_garbage(void **state)
{
	struct world *w = new_world(state);
	struct ppp_cfg s, c;
	uint8_t junk[80];
	size_t i, j;

	cfgs(&s, &c);
	start(w, &s, &c);
	for (j = 0; j < 200; j++) {
		for (i = 0; i < sizeof(junk); i++)
			junk[i] = (uint8_t)(i * 31 + j * 7);
		junk[0] = 0xc0;
		junk[1] = (uint8_t[]){ 0x21, 0x23 }[j % 2];
		if (j % 3 == 0) {
			junk[0] = 0x80;
			junk[1] = 0x21;
		}
		ppp_link_input(w->end[0].l, junk, j % sizeof(junk));
	}
	w->nq = 0;
	/* still alive or cleanly failed, never crashed */
	assert_true(w->end[0].down <= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_mschapv2, teardown),
		cmocka_unit_test_teardown(test_chap_md5, teardown),
		cmocka_unit_test_teardown(test_pap, teardown),
		cmocka_unit_test_teardown(test_auth_nak_fallback, teardown),
		cmocka_unit_test_teardown(test_no_common_auth, teardown),
		cmocka_unit_test_teardown(test_client_refuses_no_auth, teardown),
		cmocka_unit_test_teardown(test_client_refuses_pap, teardown),
		cmocka_unit_test_teardown(test_client_accepts_no_auth_when_told,
					  teardown),
		cmocka_unit_test_teardown(test_wrong_password_mschapv2, teardown),
		cmocka_unit_test_teardown(test_wrong_password_chap, teardown),
		cmocka_unit_test_teardown(test_wrong_password_pap, teardown),
		cmocka_unit_test_teardown(test_unknown_user, teardown),
		cmocka_unit_test_teardown(test_no_address, teardown),
		cmocka_unit_test_teardown(test_echo_timeout, teardown),
		cmocka_unit_test_teardown(test_echo_rtt, teardown),
		cmocka_unit_test_teardown(test_peer_terminate, teardown),
		cmocka_unit_test_teardown(test_ccp_protocol_reject, teardown),
		cmocka_unit_test_teardown(test_ipv6cp_rejected, teardown),
		cmocka_unit_test_teardown(test_auth_timeout, teardown),
		cmocka_unit_test_teardown(test_lcp_no_answer, teardown),
		cmocka_unit_test_teardown(test_lcp_options, teardown),
		cmocka_unit_test_teardown(test_garbage, teardown),
		cmocka_unit_test_teardown(test_verify_pap, teardown),
		cmocka_unit_test_teardown(test_verify_chap_md5, teardown),
		cmocka_unit_test_teardown(test_verify_reject_named, teardown),
		cmocka_unit_test_teardown(test_verify_mschapv2_without_success, teardown),
		cmocka_unit_test_teardown(test_verify_late_verdict_ignored, teardown),
		cmocka_unit_test_teardown(test_verify_error, teardown),
	};

	return cmocka_run_group_tests_name("ppp_link", tests, NULL, NULL);
}
