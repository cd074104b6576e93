// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: L2TPv2 reliable delivery (ctrl.c) and the tunnel/session
 * state machines (tunnel.c, session.c): a LAC engine and an LNS engine
 * talk through an in-memory wire on a virtual clock.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "l2tp/engine.h"
#include "l2tp_fakes.h"

#define MAXPKT 4096

struct pkt {
	int		to;	/* 0: LAC, 1: LNS */
	uint32_t	peer_id;	/* the IPsec peer it came over */
	size_t		len;
	uint8_t		buf[L2TP_MAX_MSG];
};

struct side {
	struct l2tp_engine	*e;
	int			idx;
	unsigned int		tun_up, tun_down, sess_up, sess_down;
	enum end_reason		last_tun_reason, last_sess_reason;
	char			last_detail[256];
	int			session_up_ret;
	struct l2tp_session	*last_up;
	unsigned int		sent[L2TP_MSG_MAX + 1];
	unsigned int		zlbs;
};

struct world {
	struct loop	*loop;
	struct side	side[2];
	struct pkt	*q;
	size_t		nq;
	/* return true to drop */
	bool		(*drop)(struct world *w, int to, const uint8_t *m,
				size_t len);
	unsigned int	dropped;
	bool		blackhole[2];	/* drop everything sent to side i */
};

static struct world *W;

static uint16_t msg_type_of(const uint8_t *m, size_t len)
{
	if (len <= 12)
		return L2TP_ZLB;
	return (uint16_t)(m[12 + 6] << 8 | m[12 + 7]);
}

static void xmit(void *arg, uint32_t peer_id, uint16_t lport, uint16_t rport,
		 const uint8_t *msg, size_t len)
{
	struct side *s = arg;
	struct pkt *p;
	uint16_t t = msg_type_of(msg, len);

	(void)lport; (void)rport;
	if (t == L2TP_ZLB)
		s->zlbs++;
	else if (t <= L2TP_MSG_MAX)
		s->sent[t]++;
	W->q = realloc(W->q, (W->nq + 1) * sizeof(*W->q));
	p = &W->q[W->nq++];
	p->to = !s->idx;
	p->peer_id = peer_id;
	p->len = len;
	memcpy(p->buf, msg, len);
}

static const char *peer_name(void *arg, uint32_t peer_id)
{
	(void)arg; (void)peer_id;
	return "192.0.2.1";
}

static void tunnel_up(void *arg, struct l2tp_tunnel *t)
{
	struct side *s = arg;

	(void)t;
	s->tun_up++;
}

static void tunnel_down(void *arg, struct l2tp_tunnel *t, enum end_reason r,
			const char *detail)
{
	struct side *s = arg;

	(void)t;
	s->tun_down++;
	s->last_tun_reason = r;
	snprintf(s->last_detail, sizeof(s->last_detail), "%s", detail ? detail : "");
}

static int session_up(void *arg, struct l2tp_session *ls)
{
	struct side *s = arg;

	s->sess_up++;
	s->last_up = ls;
	return s->session_up_ret;
}

static void session_down(void *arg, struct l2tp_session *ls, enum end_reason r,
			 const char *detail)
{
	struct side *s = arg;

	if (s->last_up == ls)
		s->last_up = NULL;
	s->sess_down++;
	s->last_sess_reason = r;
	snprintf(s->last_detail, sizeof(s->last_detail), "%s", detail ? detail : "");
}

static const struct l2tp_engine_ops ops = {
	.xmit = xmit,
	.peer_name = peer_name,
	.tunnel_up = tunnel_up,
	.tunnel_down = tunnel_down,
	.session_up = session_up,
	.session_down = session_down,
};

/* Deliver queued packets (and what they cause) until the wire is empty. */
static void pump(struct world *w)
{
	while (w->nq) {
		struct pkt p = w->q[0];

		memmove(w->q, w->q + 1, (w->nq - 1) * sizeof(*w->q));
		w->nq--;
		if (w->blackhole[p.to] ||
		    (w->drop && w->drop(w, p.to, p.buf, p.len))) {
			w->dropped++;
			continue;
		}
		l2tp_engine_input(w->side[p.to].e, p.peer_id, 1701, 1701, p.buf,
				  p.len);
	}
	fake_loop_run_due(w->loop);
}

/* Advance time in steps, pumping the wire. */
static void run_for(struct world *w, uint64_t ms)
{
	uint64_t step = 50;

	pump(w);
	while (ms) {
		uint64_t d = ms < step ? ms : step;

		fake_loop_advance(w->loop, d);
		pump(w);
		ms -= d;
	}
}

static void setup_world(struct world *w, const char *lac_secret,
			const char *lns_secret)
{
	struct l2tp_engine_cfg cfg;
	int i;

	memset(w, 0, sizeof(*w));
	W = w;
	fake_log_reset();
	w->loop = fake_loop_new();
	for (i = 0; i < 2; i++) {
		const char *sec = i ? lns_secret : lac_secret;

		l2tp_engine_cfg_defaults(&cfg);
		snprintf(cfg.host_name, sizeof(cfg.host_name), i ? "lns" : "lac");
		if (sec) {
			cfg.secret_len = strlen(sec);
			memcpy(cfg.secret, sec, cfg.secret_len);
		}
		cfg.accept_incoming = i == 1;
		/* the LAC may place more calls than the LNS takes */
		if (!i)
			cfg.max_sessions = 0;
		w->side[i].idx = i;
		w->side[i].e = l2tp_engine_new(w->loop, &cfg, &ops, &w->side[i]);
		assert_non_null(w->side[i].e);
	}
}

static int teardown_world(void **state)
{
	struct world *w = *state;

	if (!w)
		return 0;
	l2tp_engine_free(w->side[0].e, END_SHUTDOWN);
	l2tp_engine_free(w->side[1].e, END_SHUTDOWN);
	loop_free(w->loop);
	free(w->q);
	free(w);
	return 0;
}

static struct world *new_world(void **state, const char *a, const char *b)
{
	struct world *w = calloc(1, sizeof(*w));

	setup_world(w, a, b);
	*state = w;
	return w;
}

static struct l2tp_tunnel *connect_call(struct world *w)
{
	struct l2tp_tunnel *t = l2tp_engine_connect(w->side[0].e, 1, 1701, 1701);

	assert_non_null(t);
	assert_non_null(l2tp_tunnel_call(t));
	run_for(w, 500);
	return t;
}

static void test_establish(void **state)
{
	struct world *w = new_world(state, NULL, NULL);
	struct l2tp_session_info a, b;

	connect_call(w);
	assert_int_equal(w->side[0].tun_up, 1);
	assert_int_equal(w->side[1].tun_up, 1);
	assert_int_equal(w->side[0].sess_up, 1);
	assert_int_equal(w->side[1].sess_up, 1);
	l2tp_session_get_info(w->side[0].last_up, &a);
	l2tp_session_get_info(w->side[1].last_up, &b);
	assert_int_equal(a.local_tunnel_id, b.remote_tunnel_id);
	assert_int_equal(a.remote_tunnel_id, b.local_tunnel_id);
	assert_int_equal(a.local_session_id, b.remote_session_id);
	assert_int_equal(a.remote_session_id, b.local_session_id);
	assert_true(a.lac);
	assert_false(b.lac);
	assert_string_equal(b.peer_host_name, "lac");
	assert_int_equal(w->side[0].sent[L2TP_SCCRQ], 1);
	assert_int_equal(w->side[1].sent[L2TP_SCCRP], 1);
	assert_int_equal(w->side[0].sent[L2TP_SCCCN], 1);
	assert_int_equal(w->side[0].sent[L2TP_ICRQ], 1);
	assert_int_equal(w->side[1].sent[L2TP_ICRP], 1);
	assert_int_equal(w->side[0].sent[L2TP_ICCN], 1);
	/* The last message (ICCN) is acknowledged by a delayed ZLB. */
	assert_true(w->side[1].zlbs >= 1);
	assert_int_equal(l2tp_engine_session_count(w->side[1].e), 1);
	assert_non_null(l2tp_engine_find_session(w->side[1].e, 1,
						 b.local_tunnel_id,
						 b.local_session_id));
}

static void test_tunnel_auth_ok(void **state)
{
	struct world *w = new_world(state, "s3cret", "s3cret");

	connect_call(w);
	assert_int_equal(w->side[0].sess_up, 1);
	assert_int_equal(w->side[1].sess_up, 1);
	assert_true(fake_log_contains("authenticated"));
}

static void test_tunnel_auth_mismatch(void **state)
{
	struct world *w = new_world(state, "one", "two");

	l2tp_engine_connect(w->side[0].e, 1, 1701, 1701);
	run_for(w, 500);
	/* LAC checks the LNS's response in SCCRP and refuses. */
	assert_int_equal(w->side[0].tun_up, 0);
	assert_int_equal(w->side[0].last_tun_reason, END_TUNNEL_AUTH_FAILED);
	assert_int_equal(w->side[0].sent[L2TP_STOPCCN], 1);
	assert_int_equal(w->side[1].tun_up, 0);
	assert_true(fake_log_contains("tunnel secrets differ"));
}

static void test_tunnel_auth_missing(void **state)
{
	/* The LNS wants authentication, the LAC has no secret. */
	struct world *w = new_world(state, NULL, "s3cret");

	l2tp_engine_connect(w->side[0].e, 1, 1701, 1701);
	run_for(w, 500);
	assert_int_equal(w->side[0].last_tun_reason, END_TUNNEL_AUTH_FAILED);
	assert_int_equal(w->side[0].tun_up, 0);
}

static bool drop_first_sccrp(struct world *w, int to, const uint8_t *m,
			     size_t len)
{
	static int n;

	(void)w; (void)to;
	if (msg_type_of(m, len) == L2TP_SCCRP && n++ == 0)
		return true;
	return false;
}

static void test_retransmit_lost_reply(void **state)
{
	struct world *w = new_world(state, NULL, NULL);

	w->drop = drop_first_sccrp;
	connect_call(w);
	/* SCCRP lost: the LAC retransmits SCCRQ after 1 s */
	assert_int_equal(w->side[0].sess_up, 0);
	run_for(w, 2000);
	assert_int_equal(w->side[0].sess_up, 1);
	assert_int_equal(w->side[1].sess_up, 1);
	assert_int_equal(w->side[1].tun_up, 1);
	assert_true(w->side[0].sent[L2TP_SCCRQ] == 2 ||
		    w->side[1].sent[L2TP_SCCRP] >= 2);
	/* One tunnel only: the retransmitted SCCRQ was seen as a duplicate. */
	assert_int_equal(l2tp_engine_tunnel_count(w->side[1].e), 1);
}

static void test_backoff_and_give_up(void **state)
{
	struct world *w = new_world(state, NULL, NULL);
	uint64_t t0;

	w->blackhole[1] = true;
	l2tp_engine_connect(w->side[0].e, 1, 1701, 1701);
	t0 = loop_now_ms(w->loop);
	/* sends at 0, 1, 3, 7, 15, 23 s; gives up at 31 s */
	run_for(w, 900);
	assert_int_equal(w->side[0].sent[L2TP_SCCRQ], 1);
	run_for(w, 200);
	assert_int_equal(w->side[0].sent[L2TP_SCCRQ], 2);
	run_for(w, 1950);
	assert_int_equal(w->side[0].sent[L2TP_SCCRQ], 3);
	run_for(w, 4000);
	assert_int_equal(w->side[0].sent[L2TP_SCCRQ], 4);
	run_for(w, 8000);
	assert_int_equal(w->side[0].sent[L2TP_SCCRQ], 5);
	run_for(w, 8000);
	assert_int_equal(w->side[0].sent[L2TP_SCCRQ], 6);
	assert_int_equal(w->side[0].tun_down, 0);
	run_for(w, 8000);
	assert_int_equal(w->side[0].sent[L2TP_SCCRQ], 6);
	assert_int_equal(w->side[0].tun_down, 1);
	assert_int_equal(w->side[0].last_tun_reason, END_PEER_NOT_RESPONDING);
	assert_true(loop_now_ms(w->loop) - t0 >= 31000);
	assert_int_equal(l2tp_engine_tunnel_count(w->side[0].e), 0);
}

static void test_hello_timeout(void **state)
{
	struct world *w = new_world(state, NULL, NULL);

	connect_call(w);
	assert_int_equal(w->side[1].sess_up, 1);
	/* Quiet link: HELLOs go both ways and are acknowledged. */
	run_for(w, 130000);
	assert_true(w->side[0].sent[L2TP_HELLO] + w->side[1].sent[L2TP_HELLO] >= 2);
	assert_int_equal(w->side[1].sess_down, 0);
	/* The LAC disappears. */
	w->blackhole[0] = true;
	w->blackhole[1] = true;
	run_for(w, 60000 + 31000 + 1000);
	assert_int_equal(w->side[1].sess_down, 1);
	assert_int_equal(w->side[1].last_sess_reason, END_HELLO_TIMEOUT);
	assert_int_equal(w->side[1].last_tun_reason, END_HELLO_TIMEOUT);
	assert_true(fake_log_contains("HELLO not acknowledged"));
	assert_int_equal(l2tp_engine_session_count(w->side[1].e), 0);
}

static void test_cdn(void **state)
{
	struct world *w = new_world(state, NULL, NULL);

	connect_call(w);
	l2tp_session_close(w->side[0].last_up, END_LOCAL_CLOSE, "user hung up");
	run_for(w, 500);
	assert_int_equal(w->side[0].sess_down, 1);
	assert_int_equal(w->side[0].last_sess_reason, END_LOCAL_CLOSE);
	assert_int_equal(w->side[1].sess_down, 1);
	assert_int_equal(w->side[1].last_sess_reason, END_LOGOUT);
	assert_non_null(strstr(w->side[1].last_detail, "CDN, result 3"));
	/* The tunnel stays. */
	assert_int_equal(l2tp_engine_tunnel_count(w->side[1].e), 1);
	assert_int_equal(l2tp_engine_session_count(w->side[1].e), 0);
}

static void test_stopccn(void **state)
{
	struct world *w = new_world(state, NULL, NULL);
	struct l2tp_tunnel *t;

	t = connect_call(w);
	l2tp_tunnel_close(t, END_ADMIN_KICK, "test");
	run_for(w, 1000);
	assert_int_equal(w->side[0].sess_down, 1);
	assert_int_equal(w->side[0].last_sess_reason, END_ADMIN_KICK);
	assert_int_equal(w->side[1].sess_down, 1);
	assert_int_equal(w->side[1].last_sess_reason, END_LOGOUT);
	assert_non_null(strstr(w->side[1].last_detail, "StopCCN"));
	/* The LAC forgot it once acknowledged; the LNS holds it a while. */
	assert_int_equal(l2tp_engine_tunnel_count(w->side[0].e), 0);
	run_for(w, 32000);
	assert_int_equal(l2tp_engine_tunnel_count(w->side[1].e), 0);
}

static void test_peer_down(void **state)
{
	struct world *w = new_world(state, NULL, NULL);

	connect_call(w);
	l2tp_engine_peer_down(w->side[1].e, 1, END_IKE_DELETE,
			      "IKE peer deleted the SA");
	assert_int_equal(w->side[1].sess_down, 1);
	assert_int_equal(w->side[1].last_sess_reason, END_IKE_DELETE);
	assert_int_equal(l2tp_engine_tunnel_count(w->side[1].e), 0);
	/* nothing was sent: the SA is gone */
	assert_int_equal(w->side[1].sent[L2TP_STOPCCN], 0);
}

static void test_session_up_refused(void **state)
{
	struct world *w = new_world(state, NULL, NULL);

	w->side[1].session_up_ret = -ENOMEM;
	connect_call(w);
	run_for(w, 500);
	assert_int_equal(w->side[1].sess_down, 1);
	assert_int_equal(w->side[1].last_sess_reason, END_KERNEL_ERROR);
	assert_int_equal(w->side[0].sess_down, 1);
	assert_int_equal(w->side[0].last_sess_reason, END_LOGOUT);
}

static void test_many_sessions(void **state)
{
	struct world *w = new_world(state, NULL, NULL);
	struct l2tp_tunnel *t[3];
	int i, j;

	for (i = 0; i < 3; i++)
		t[i] = l2tp_engine_connect(w->side[0].e, 1, 1701, 1701);
	run_for(w, 500);
	for (i = 0; i < 3; i++)
		for (j = 0; j < 40; j++)
			assert_non_null(l2tp_tunnel_call(t[i]));
	run_for(w, 3000);
	assert_int_equal(w->side[1].sess_up, 120);
	assert_int_equal(w->side[0].sess_up, 120);
	assert_int_equal(l2tp_engine_tunnel_count(w->side[1].e), 3);
	assert_int_equal(l2tp_engine_session_count(w->side[1].e), 120);
	/* window: never more than 8 (LNS's window) unacked from the LAC */
	for (i = 0; i < 3; i++)
		assert_int_equal(l2tp_tunnel_ctrl_stats(t[i])->retransmits, 0);
	l2tp_engine_peer_down(w->side[1].e, 1, END_SA_EXPIRY, "SA expired");
	assert_int_equal(w->side[1].sess_down, 120);
	assert_int_equal(l2tp_engine_session_count(w->side[1].e), 0);
}

/*
 * Limits a single peer cannot exceed, by default: 8 tunnels per IPsec
 * peer (another peer, e.g. a second client behind the same NAT with its
 * own SAs, is not affected), refused with a StopCCN and one line naming
 * the peer, the limit and the setting. One peer opened 2,000 tunnels.
 */
static void test_default_tunnels_per_peer(void **state)
{
	struct world *w = new_world(state, NULL, NULL);
	int i;

	for (i = 0; i < 12; i++)
		assert_non_null(l2tp_engine_connect(w->side[0].e, 1, 1701, 1701));
	run_for(w, 3000);
	assert_int_equal(w->side[1].tun_up, 8);
	assert_true(w->side[1].sent[L2TP_STOPCCN] >= 4);
	assert_int_equal(w->side[0].tun_down, 4);
	assert_int_equal(w->side[0].tun_up, 8);
	/* the refused ones are gone once their StopCCN is acknowledged */
	run_for(w, 35000);
	assert_int_equal(l2tp_engine_tunnel_count(w->side[1].e), 8);
	assert_true(fake_log_contains(
		"refusing a tunnel: 8 tunnels from this peer already (max-tunnels-per-peer in [l2tp])"));
	/* another IPsec peer still gets one */
	assert_non_null(l2tp_engine_connect(w->side[0].e, 2, 1701, 1701));
	run_for(w, 1000);
	assert_int_equal(w->side[1].tun_up, 9);
}

/* 256 sessions per tunnel by default: one peer opened 5,000 in one. */
static void test_default_sessions_per_tunnel(void **state)
{
	struct world *w = new_world(state, NULL, NULL);
	struct l2tp_tunnel *t;
	int j;

	t = l2tp_engine_connect(w->side[0].e, 1, 1701, 1701);
	run_for(w, 500);
	for (j = 0; j < 260; j++)
		assert_non_null(l2tp_tunnel_call(t));
	run_for(w, 20000);
	assert_int_equal(w->side[1].sess_up, 256);
	assert_int_equal(w->side[1].sent[L2TP_CDN], 4);
	assert_true(fake_log_contains(
		"refusing call: 256 sessions already (max-sessions in [l2tp])"));
}

static void test_unknown_mandatory_in_session(void **state)
{
	struct world *w = new_world(state, NULL, NULL);
	struct l2tp_session_info a;
	struct l2tp_mb m;
	uint8_t *p;

	connect_call(w);
	l2tp_session_get_info(w->side[1].last_up, &a);
	/* LAC side sends a WEN-like session message with an unknown M AVP */
	l2tp_mb_init(&m, L2TP_CDN, NULL, 0);
	p = m.buf + m.len;
	p[0] = 0x80; p[1] = 8; p[2] = 0; p[3] = 0; p[4] = 0; p[5] = 222;
	p[6] = 1; p[7] = 2;
	m.len += 8;
	l2tp_mb_finish(&m, a.local_tunnel_id, a.local_session_id);
	l2tp_set_ns_nr(m.buf, 4, 2);	/* next in sequence after ICCN */
	l2tp_engine_input(w->side[1].e, 1, 1701, 1701, m.buf, m.len);
	assert_int_equal(w->side[1].sess_down, 1);
	assert_int_equal(w->side[1].last_sess_reason, END_PROTOCOL_ERROR);
	assert_int_equal(w->side[1].sent[L2TP_CDN], 1);
	assert_int_equal(l2tp_engine_tunnel_count(w->side[1].e), 1);
}

static void test_unknown_mandatory_in_tunnel(void **state)
{
	struct world *w = new_world(state, NULL, NULL);
	struct l2tp_session_info a;
	struct l2tp_mb m;
	uint8_t *p;

	connect_call(w);
	l2tp_session_get_info(w->side[1].last_up, &a);
	l2tp_mb_init(&m, L2TP_HELLO, NULL, 0);
	p = m.buf + m.len;
	p[0] = 0x80; p[1] = 6; p[2] = 0; p[3] = 0; p[4] = 0; p[5] = 222;
	m.len += 6;
	l2tp_mb_finish(&m, a.local_tunnel_id, 0);
	l2tp_set_ns_nr(m.buf, 4, 2);
	l2tp_engine_input(w->side[1].e, 1, 1701, 1701, m.buf, m.len);
	assert_int_equal(w->side[1].last_sess_reason, END_PROTOCOL_ERROR);
	assert_int_equal(w->side[1].sent[L2TP_STOPCCN], 1);
	assert_true(fake_log_contains("unknown mandatory AVP"));
}

static void test_garbage_dropped(void **state)
{
	struct world *w = new_world(state, NULL, NULL);
	uint8_t junk[64];
	size_t i;

	connect_call(w);
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)(i * 37);
	for (i = 0; i <= sizeof(junk); i++)
		l2tp_engine_input(w->side[1].e, 1, 1701, 1701, junk, i);
	/* a message for an unknown tunnel */
	l2tp_zlb_build(junk, 0x7777, 0, 0);
	l2tp_engine_input(w->side[1].e, 1, 1701, 1701, junk, 12);
	assert_true(l2tp_engine_stats(w->side[1].e)->rx_malformed > 0);
	assert_int_equal(l2tp_engine_stats(w->side[1].e)->rx_no_tunnel, 1);
	assert_int_equal(w->side[1].sess_down, 0);
}

static bool drop_every_other(struct world *w, int to, const uint8_t *m,
			     size_t len)
{
	static uint32_t x = 12345;

	(void)w; (void)to; (void)m; (void)len;
	x = x * 1103515245u + 12345u;
	return ((x >> 16) % 4) == 0;	/* 25 % loss */
}

static void test_lossy_link(void **state)
{
	struct world *w = new_world(state, NULL, NULL);
	struct l2tp_tunnel *t;
	int j;

	w->drop = drop_every_other;
	t = l2tp_engine_connect(w->side[0].e, 1, 1701, 1701);
	for (j = 0; j < 10; j++)
		l2tp_tunnel_call(t);
	run_for(w, 30000);
	assert_int_equal(w->side[0].sess_up, 10);
	assert_int_equal(w->side[1].sess_up, 10);
	assert_true(l2tp_tunnel_ctrl_stats(t)->retransmits > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_establish, teardown_world),
		cmocka_unit_test_teardown(test_tunnel_auth_ok, teardown_world),
		cmocka_unit_test_teardown(test_tunnel_auth_mismatch, teardown_world),
		cmocka_unit_test_teardown(test_tunnel_auth_missing, teardown_world),
		cmocka_unit_test_teardown(test_retransmit_lost_reply, teardown_world),
		cmocka_unit_test_teardown(test_backoff_and_give_up, teardown_world),
		cmocka_unit_test_teardown(test_hello_timeout, teardown_world),
		cmocka_unit_test_teardown(test_cdn, teardown_world),
		cmocka_unit_test_teardown(test_stopccn, teardown_world),
		cmocka_unit_test_teardown(test_peer_down, teardown_world),
		cmocka_unit_test_teardown(test_session_up_refused, teardown_world),
		cmocka_unit_test_teardown(test_many_sessions, teardown_world),
		cmocka_unit_test_teardown(test_default_tunnels_per_peer, teardown_world),
		cmocka_unit_test_teardown(test_default_sessions_per_tunnel, teardown_world),
		cmocka_unit_test_teardown(test_unknown_mandatory_in_session, teardown_world),
		cmocka_unit_test_teardown(test_unknown_mandatory_in_tunnel, teardown_world),
		cmocka_unit_test_teardown(test_garbage_dropped, teardown_world),
		cmocka_unit_test_teardown(test_lossy_link, teardown_world),
	};

	return cmocka_run_group_tests_name("l2tp_engine", tests, NULL, NULL);
}
