// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the L2TP/PPP half as main.c drives it (daemon/l2tp/l2tpd.c:
 * l2tp_new ... l2tp_peer_up/down, kick, the session views), a server and
 * a client in one process on the fake loop, joined by a stand-in for the
 * module (kmod.h) that hands each side's frames to the other, and one
 * for the device's addresses and routes (netcfg.h) that records them.
 *
 * Each test brings a whole connection up (L2TP tunnel and call, LCP,
 * MS-CHAPv2 against a chap-secrets file, IPCP from the pool) and then
 * ends it one way, checking the reason recorded and what is left.
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
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "kmod.h"
#include "l2tp/l2tp.h"
#include "netcfg.h"
#include "l2tp_fakes.h"
#include "loop.h"
#include "radius/conf.h"
#include "radius_helpers.h"

#define MAX_SESS	8
#define MAX_ROUTES	16
#define QUEUE_MAX	256

struct fsess {
	bool		used;
	struct kmod_session s;
};

struct froute {
	bool		used;
	struct in_addr	dst;
	uint8_t		plen;
};

struct side {
	const char	*name;
	struct l2tp	*l;
	struct side	*other;
	uint32_t	peer_id;	/* our module's id of the other side */
	struct sockaddr_in outer;	/* the other side's outer address */
	struct fsess	sess[MAX_SESS];
	struct froute	routes[MAX_ROUTES];
	struct in_addr	addr[MAX_ROUTES];	/* device addresses */
	bool		drop_ctrl, drop_ppp;	/* frozen peer, in part */
	bool		link_up;
	bool		fallback;	/* single-session fallback set */
};

/* struct kmod and struct netcfg are ours here: a side each. */
struct kmod {
	struct side	*side;
};

struct netcfg {
	struct side	*side;
};

struct msg {
	struct side	*to;
	bool		ppp;
	uint32_t	peer_id;
	uint16_t	a, b;		/* ports, or tunnel and session */
	uint8_t		data[1600];
	size_t		len;
};

static struct {
	struct loop	*loop;
	struct side	srv, cli;
	struct kmod	ksrv, kcli;
	struct side	*starting;	/* netcfg_open() belongs to it */
	const char	*srv_extra;	/* more server config, or NULL */
	struct radius_conf *radius;	/* the server's [radius], or NULL */
	struct msg	q[QUEUE_MAX];
	unsigned int	qhead, qtail;
	char		dir[64];
} T;

/* ---- the module ---------------------------------------------------------- */

const char *kmod_last_error(const struct kmod *k)
{
	(void)k;
	return "fake";
}

int kmod_ifindex(const struct kmod *k)
{
	(void)k;
	return 7;
}

int kmod_set_fallback(struct kmod *k, bool on)
{
	k->side->fallback = on;
	return 0;
}

static struct fsess *sess_find(struct side *s, uint16_t tid, uint16_t sid)
{
	unsigned int i;

	for (i = 0; i < MAX_SESS; i++)
		if (s->sess[i].used && s->sess[i].s.local_tunnel_id == tid &&
		    s->sess[i].s.local_session_id == sid)
			return &s->sess[i];
	return NULL;
}

static unsigned int sess_count(const struct side *s)
{
	unsigned int i, n = 0;

	for (i = 0; i < MAX_SESS; i++)
		n += s->sess[i].used;
	return n;
}

int kmod_session_add(struct kmod *k, const struct kmod_session *ks)
{
	unsigned int i;

	assert_int_equal(ks->peer_id, k->side->peer_id);
	if (sess_find(k->side, ks->local_tunnel_id, ks->local_session_id))
		return -EEXIST;
	for (i = 0; i < MAX_SESS; i++) {
		if (!k->side->sess[i].used) {
			k->side->sess[i].used = true;
			k->side->sess[i].s = *ks;
			return 0;
		}
	}
	return -ENOSPC;
}

int kmod_session_set(struct kmod *k, const struct kmod_session *ks)
{
	struct fsess *f = sess_find(k->side, ks->local_tunnel_id,
				    ks->local_session_id);

	if (!f)
		return -ENOENT;
	f->s = *ks;
	return 0;
}

int kmod_session_del(struct kmod *k, uint32_t peer_id, uint16_t tid,
		     uint16_t sid)
{
	struct fsess *f = sess_find(k->side, tid, sid);

	(void)peer_id;
	if (!f)
		return -ENOENT;
	f->used = false;
	return 0;
}

int kmod_session_get(struct kmod *k, uint32_t peer_id, uint16_t tid,
		     uint16_t sid, struct l2_session *out)
{
	(void)peer_id;
	memset(out, 0, sizeof(*out));
	if (!sess_find(k->side, tid, sid))
		return -ENOENT;
	out->stats.v[L2TPSEC_A_STATS_RX_PACKETS] = 3;
	return 0;
}

static void enqueue(struct side *to, bool ppp, uint32_t peer_id, uint16_t a,
		    uint16_t b, const uint8_t *data, size_t len)
{
	struct msg *m;

	assert_true(T.qtail - T.qhead < QUEUE_MAX);
	assert_true(len <= sizeof(m->data));
	m = &T.q[T.qtail++ % QUEUE_MAX];
	m->to = to;
	m->ppp = ppp;
	m->peer_id = peer_id;
	m->a = a;
	m->b = b;
	memcpy(m->data, data, len);
	m->len = len;
}

int kmod_send_l2tp(struct kmod *k, uint32_t peer_id, uint16_t lport,
		   uint16_t rport, const uint8_t *msg, size_t len)
{
	struct side *s = k->side;

	assert_int_equal(peer_id, s->peer_id);
	if (!s->drop_ctrl)
		enqueue(s->other, false, s->other->peer_id, rport, lport, msg,
			len);
	return 0;
}

int kmod_send_ppp(struct kmod *k, uint32_t peer_id, uint16_t tid,
		  uint16_t sid, const uint8_t *pkt, size_t len)
{
	struct side *s = k->side;
	struct fsess *f = sess_find(s, tid, sid);

	assert_int_equal(peer_id, s->peer_id);
	if (!f)
		return -ENOENT;	/* as the module: no such session */
	if (!s->drop_ppp)
		enqueue(s->other, true, s->other->peer_id,
			f->s.remote_tunnel_id, f->s.remote_session_id, pkt,
			len);
	return 0;
}

/* ---- the device's addresses and routes ----------------------------------------- */

struct netcfg *netcfg_open(void)
{
	struct netcfg *n = calloc(1, sizeof(*n));

	if (n)
		n->side = T.starting;
	return n;
}

void netcfg_close(struct netcfg *n)
{
	free(n);
}

int netcfg_link_up(struct netcfg *n, int ifindex)
{
	assert_int_equal(ifindex, 7);
	n->side->link_up = true;
	return 0;
}

int netcfg_addr4(struct netcfg *n, int ifindex, bool add,
		 struct in_addr local, struct in_addr peer, uint8_t plen)
{
	struct side *s = n->side;
	unsigned int i;

	(void)peer;
	(void)plen;
	assert_int_equal(ifindex, 7);
	for (i = 0; i < MAX_ROUTES; i++) {
		if (add && !s->addr[i].s_addr) {
			s->addr[i] = local;
			return 0;
		}
		if (!add && s->addr[i].s_addr == local.s_addr) {
			s->addr[i].s_addr = 0;
			return 0;
		}
	}
	return add ? -ENOSPC : 0;
}

int netcfg_addr4_new(struct netcfg *n, int ifindex, struct in_addr local,
		     uint8_t plen)
{
	struct side *s = n->side;
	unsigned int i;

	for (i = 0; i < MAX_ROUTES; i++)
		if (s->addr[i].s_addr == local.s_addr)
			return -EEXIST;
	return netcfg_addr4(n, ifindex, true, local, (struct in_addr){ 0 },
			    plen);
}

int netcfg_addr6(struct netcfg *n, int ifindex, bool add,
		 const struct in6_addr *a, uint8_t plen)
{
	(void)n; (void)ifindex; (void)add; (void)a; (void)plen;
	return 0;
}

int netcfg_route4(struct netcfg *n, int ifindex, bool add,
		  struct in_addr dst, uint8_t plen, struct in_addr src)
{
	struct side *s = n->side;
	unsigned int i;

	(void)src;
	assert_int_equal(ifindex, 7);
	for (i = 0; i < MAX_ROUTES; i++) {
		struct froute *r = &s->routes[i];

		if (!add && r->used && r->dst.s_addr == dst.s_addr &&
		    r->plen == plen) {
			r->used = false;
			return 0;
		}
		if (add && !r->used) {
			r->used = true;
			r->dst = dst;
			r->plen = plen;
			return 0;
		}
	}
	return add ? -ENOSPC : 0;
}

int netcfg_route6(struct netcfg *n, int ifindex, bool add,
		  const struct in6_addr *dst, uint8_t plen)
{
	(void)n; (void)ifindex; (void)add; (void)dst; (void)plen;
	return 0;
}

static bool has_route(const struct side *s, const char *dst, uint8_t plen)
{
	struct in_addr a;
	unsigned int i;

	inet_pton(AF_INET, dst, &a);
	for (i = 0; i < MAX_ROUTES; i++)
		if (s->routes[i].used && s->routes[i].dst.s_addr == a.s_addr &&
		    s->routes[i].plen == plen)
			return true;
	return false;
}

static unsigned int route_count(const struct side *s)
{
	unsigned int i, n = 0;

	for (i = 0; i < MAX_ROUTES; i++)
		n += s->routes[i].used;
	return n;
}

static bool has_addr(const struct side *s, const char *addr)
{
	struct in_addr a;
	unsigned int i;

	inet_pton(AF_INET, addr, &a);
	for (i = 0; i < MAX_ROUTES; i++)
		if (s->addr[i].s_addr == a.s_addr)
			return true;
	return false;
}

/* ---- running ----------------------------------------------------------------- */

static void deliver(void)
{
	while (T.qhead != T.qtail) {
		struct msg m = T.q[T.qhead++ % QUEUE_MAX];

		if (!m.to->l)
			continue;	/* that side is gone */
		if (m.ppp)
			l2tp_on_ppp(m.to->l, m.peer_id, m.a, m.b, m.data, m.len);
		else
			l2tp_on_ctrl(m.to->l, m.peer_id, m.a, m.b, m.data,
				     m.len);
		fake_loop_run_due(T.loop);
	}
}

/* Let @ms of virtual time pass, in 10 ms steps, delivering as we go. */
static void run_ms(unsigned int ms)
{
	unsigned int t;

	fake_loop_run_due(T.loop);
	deliver();
	for (t = 0; t < ms; t += 10) {
		fake_loop_advance(T.loop, 10);
		deliver();
	}
}

static char *write_file(const char *name, const char *text)
{
	static char path[4][128];
	static unsigned int i;
	char *p = path[i++ % 4];
	FILE *f;

	snprintf(p, 128, "%s/%s", T.dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(p, 0600), 0);
	return p;
}

static void side_start(struct side *s, struct kmod *k, const char *conf)
{
	struct config_loader *ld = config_loader_new();

	k->side = s;
	s->l = l2tp_new(T.loop);
	assert_non_null(s->l);
	l2tp_register_config(s->l, ld);
	if (s == &T.srv && T.radius) {
		radius_conf_init(T.radius);
		radius_conf_register(ld, T.radius);
	}
	if (config_load_string(ld, s->name, conf))
		fail_msg("%s: %s", s->name, fake_config_last_error());
	config_loader_free(ld);
	if (s == &T.srv && T.radius) {
		/* as main.c does after the load */
		assert_int_equal(radius_conf_load_secret(T.radius), 0);
		assert_int_equal(l2tp_set_radius(s->l, T.radius), 0);
	}
	T.starting = s;
	assert_int_equal(l2tp_start(s->l, k), 0);
	T.starting = NULL;
}

/* The server's configuration, with @pool (a [pool] section or ""). */
static void server_conf(char *conf, size_t size, const char *cs,
			const char *pool)
{
	snprintf(conf, size,
		 "[l2tp]\nhostname = lns\nhello-interval = 10\n"
		 "retransmit-initial = 1\nretransmit-max = 2\nmax-retries = 3\n"
		 "[ppp]\nauth = mschapv2\nchap-secrets = %s\n"
		 "lcp-echo-interval = 5\nlcp-echo-failure = 3\nipv6 = no\n"
		 "%s%s", cs, T.srv_extra ? T.srv_extra : "", pool);
}

/*
 * Server and client; the IPsec peer comes up on both (IKE's peer_up).
 * The client logs in as @user; the server has a [pool] when @pool.
 */
static void start_as(const char *user, const char *client_password,
		     bool pool)
{
	char conf[2048];
	const char *cs, *pw;
	unsigned int i;
	size_t n;

	memset(&T.srv, 0, sizeof(T.srv));
	memset(&T.cli, 0, sizeof(T.cli));
	T.qhead = T.qtail = 0;
	T.srv.name = "server.conf";
	T.cli.name = "client.conf";
	T.srv.other = &T.cli;
	T.cli.other = &T.srv;
	T.srv.peer_id = 11;
	T.cli.peer_id = 3;
	T.srv.outer.sin_family = T.cli.outer.sin_family = AF_INET;
	inet_pton(AF_INET, "192.0.2.2", &T.srv.outer.sin_addr);
	T.srv.outer.sin_port = htons(4500);
	inet_pton(AF_INET, "192.0.2.1", &T.cli.outer.sin_addr);
	T.cli.outer.sin_port = htons(500);

	cs = write_file("chap-secrets",
			"alice * \"correct horse\" *\nbob * builder 10.99.0.50\n");
	server_conf(conf, sizeof(conf), cs,
		    pool ? "[pool]\nlocal = 10.99.0.1\n"
		    "range = 10.99.0.10-10.99.0.20\n" : "");
	side_start(&T.srv, &T.ksrv, conf);
	pw = write_file("alice.password", client_password);
	snprintf(conf, sizeof(conf),
		 "[l2tp]\nhostname = lac\n"
		 "[lac office]\nuser = %s\npassword-file = %s\n"
		 "routes = 10.99.0.0/24 10.20.0.0/16\nreconnect-min = 2\n"
		 "reconnect-max = 8\nipv6 = no\nlcp-echo-interval = 0\n",
		 user, pw);
	/* more connections of the same user, for l2tp_connect() (lac2...) */
	for (i = 2; i <= 5; i++) {
		n = strlen(conf);
		snprintf(conf + n, sizeof(conf) - n,
			 "[lac lac%u]\nuser = %s\npassword-file = %s\n"
			 "reconnect-min = 2\nreconnect-max = 8\nipv6 = no\n"
			 "lcp-echo-interval = 0\n", i, user, pw);
	}
	side_start(&T.cli, &T.kcli, conf);

	l2tp_peer_up(T.srv.l, T.srv.peer_id, &T.srv.outer, 0, false, "default");
	l2tp_peer_up(T.cli.l, T.cli.peer_id, &T.cli.outer, 1701, true, "office");
}

static void start(const char *client_password)
{
	start_as("alice", client_password, true);
}

static void stop(void)
{
	l2tp_free(T.cli.l);
	l2tp_free(T.srv.l);
	T.cli.l = T.srv.l = NULL;
	deliver();
}

struct views {
	unsigned int			n;
	struct l2tp_session_view	v[4];
	char				user[4][64], lac[4][64];
	char				sent[4][64];
};

static void view_cb(void *arg, const struct l2tp_session_view *v)
{
	struct views *vs = arg;

	if (vs->n >= 4)
		return;
	vs->v[vs->n] = *v;
	snprintf(vs->user[vs->n], 64, "%s", v->user);
	snprintf(vs->sent[vs->n], 64, "%s", v->user_sent ? v->user_sent : "");
	snprintf(vs->lac[vs->n], 64, "%s", v->lac ? v->lac : "");
	vs->n++;
}

static void views_of(struct side *s, struct views *vs)
{
	memset(vs, 0, sizeof(*vs));
	l2tp_for_each_session(s->l, view_cb, vs);
}

static unsigned int log_count(const char *needle)
{
	const char *p = fake_log_text();
	unsigned int n = 0;

	while ((p = strstr(p, needle))) {
		n++;
		p++;
	}
	return n;
}

static void assert_log(const char *needle)
{
	if (!fake_log_contains(needle))
		fail_msg("log lacks \"%s\":\n%s", needle, fake_log_text());
}

/* Both ends up: the session in both modules, addresses and routes. */
static void assert_connected_as(const char *addr)
{
	struct views vs;

	assert_int_equal(l2tp_session_count(T.srv.l), 1);
	assert_int_equal(l2tp_session_count(T.cli.l), 1);
	assert_int_equal(sess_count(&T.srv), 1);
	assert_int_equal(sess_count(&T.cli), 1);
	assert_true(has_route(&T.srv, addr, 32));
	assert_true(has_addr(&T.srv, "10.99.0.1"));
	assert_true(has_addr(&T.cli, addr));
	assert_true(has_route(&T.cli, "10.99.0.0", 24));
	assert_true(has_route(&T.cli, "10.20.0.0", 16));
	assert_true(T.srv.link_up && T.cli.link_up);

	views_of(&T.srv, &vs);
	assert_int_equal(vs.n, 1);
	assert_string_equal(vs.user[0], "alice");
	assert_false(vs.v[0].client);
	assert_string_equal(inet_ntoa(vs.v[0].address), addr);
	assert_string_equal(inet_ntoa(vs.v[0].peer_address), "10.99.0.1");
	assert_string_equal(inet_ntoa(vs.v[0].outer.sin_addr), "192.0.2.2");
	assert_int_equal(ntohs(vs.v[0].outer.sin_port), 4500);
	assert_int_equal(vs.v[0].peer_id, T.srv.peer_id);
	assert_int_equal(vs.v[0].auth, PPP_AUTH_MSCHAPV2);
	assert_string_equal(vs.v[0].peer_host, "lac");
	assert_false(vs.v[0].ending);

	views_of(&T.cli, &vs);
	assert_int_equal(vs.n, 1);
	assert_true(vs.v[0].client);
	assert_string_equal(vs.lac[0], "office");
	assert_string_equal(inet_ntoa(vs.v[0].address), addr);
	assert_string_equal(vs.v[0].peer_host, "lns");
}

static void assert_connected(void)
{
	assert_connected_as("10.99.0.10");
}

static int setup(void **state)
{
	(void)state;
	snprintf(T.dir, sizeof(T.dir), "/tmp/l2tp_glue.XXXXXX");
	assert_non_null(mkdtemp(T.dir));
	T.loop = fake_loop_new();
	T.srv_extra = NULL;
	T.radius = NULL;
	fake_log_reset();
	return 0;
}

static int teardown(void **state)
{
	char p[128];

	(void)state;
	stop();
	loop_free(T.loop);
	snprintf(p, sizeof(p), "%s/chap-secrets", T.dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/alice.password", T.dir);
	unlink(p);
	rmdir(T.dir);
	return 0;
}

/* ---- tests ----------------------------------------------------------------------- */

static void test_connect_and_views(void **state)
{
	(void)state;
	start("correct horse\n");
	run_ms(3000);
	assert_log("user alice: connected: address 10.99.0.10, peer 10.99.0.1, authentication MS-CHAPv2");
	assert_log("user alice: connected: our address 10.99.0.10, peer 10.99.0.1");
	assert_connected();
	/* the client's session is its default route; never the server's */
	assert_true(T.cli.fallback);
	assert_false(T.srv.fallback);
	/* the uptime moves with the clock */
	{
		struct views vs;

		run_ms(2000);
		views_of(&T.srv, &vs);
		assert_true(vs.v[0].uptime_ms >= 2000);
	}
}

static void test_kick_then_reconnect(void **state)
{
	struct l2tp_kick k = { .by = L2TP_KICK_ADDRESS };
	struct views vs;

	(void)state;
	start("correct horse\n");
	run_ms(3000);
	assert_connected();
	inet_pton(AF_INET, "10.99.0.99", &k.address);
	assert_int_equal(l2tp_kick(T.srv.l, &k, "(test)"), 0);
	inet_pton(AF_INET, "10.99.0.10", &k.address);
	assert_int_equal(l2tp_kick(T.srv.l, &k, "(test)"), 1);
	views_of(&T.srv, &vs);
	assert_true(vs.v[0].ending);
	/* a second kick of a session already ending counts nothing */
	assert_int_equal(l2tp_kick_user(T.srv.l, "alice"), 0);
	run_ms(1000);
	assert_log("user alice: session ended: admin kick: ended by an administrator (test); peer 192.0.2.2:4500, address 10.99.0.10, duration 00:00:03");
	assert_log("user alice: session ended: logout");
	assert_log("[lac office]: reconnecting in 2 s");
	assert_int_equal(l2tp_session_count(T.srv.l), 0);
	assert_int_equal(sess_count(&T.srv), 0);
	assert_int_equal(sess_count(&T.cli), 0);
	assert_false(has_route(&T.cli, "10.99.0.0", 24));
	assert_false(has_route(&T.srv, "10.99.0.10", 32));
	/* the backoff, then the next pool address */
	run_ms(4000);
	assert_int_equal(log_count("user alice: connected: our address"), 2);
	assert_connected_as("10.99.0.11");
}

/* kick --block: logins refused (named, with the fix) until unblocked. */
static void test_kick_block(void **state)
{
	struct l2tp_kick k = { .by = L2TP_KICK_USER, .block_s = 600 };
	unsigned int blocked = 0;

	(void)state;
	start("correct horse\n");
	run_ms(3000);
	assert_connected();
	snprintf(k.user, sizeof(k.user), "alice");
	assert_int_equal(l2tp_kick_block(T.srv.l, &k, "(test)", &blocked), 1);
	assert_int_equal(blocked, 1);
	assert_log("user alice: logins refused for 600 s (test); to let the user in sooner: l2tpsec unblock user alice");
	run_ms(1000);
	assert_log("user alice: session ended: admin kick: ended by an administrator (test), logins refused for 600 s;");
	/* the client comes back after its backoff and is refused, named */
	run_ms(4000);
	assert_log("user alice: authentication failure: MS-CHAPv2: blocked by admin kick for 59");
	assert_log(" more seconds; to let the user in now: l2tpsec unblock user alice");
	assert_log("user alice: session ended: authentication failure: MS-CHAPv2: blocked by admin kick for");
	assert_int_equal(log_count("user alice: connected: our address"), 1);
	assert_int_equal(l2tp_for_each_block(T.srv.l, NULL, NULL), 1);
	/* unblock: the next attempt gets in */
	assert_int_equal(l2tp_unblock(T.srv.l, "alice", "(test)"), 0);
	assert_int_equal(l2tp_unblock(T.srv.l, "alice", "(test)"), -ENOENT);
	assert_log("user alice: block lifted (test)");
	assert_int_equal(l2tp_for_each_block(T.srv.l, NULL, NULL), 0);
	run_ms(20000);
	assert_int_equal(log_count("user alice: connected: our address"), 2);
}

/*
 * One user, one name: "CORP\\alice" logs in with alice's secret and is
 * alice from then on: who, kick, block and the log lines say alice, with
 * the name the client sent beside it.
 */
static void test_domain_user_is_one_user(void **state)
{
	struct l2tp_kick k = { .by = L2TP_KICK_USER, .block_s = 600 };
	unsigned int blocked = 0;
	struct views vs;

	(void)state;
	start_as("CORP\\alice", "correct horse\n", true);
	run_ms(3000);
	assert_int_equal(l2tp_session_count(T.srv.l), 1);
	views_of(&T.srv, &vs);
	assert_int_equal(vs.n, 1);
	assert_string_equal(vs.user[0], "alice");
	assert_string_equal(vs.sent[0], "CORP\\alice");
	assert_log("user alice (sent CORP\\\\alice): connected: address 10.99.0.10");
	/* kick --block user alice finds the session */
	snprintf(k.user, sizeof(k.user), "alice");
	assert_int_equal(l2tp_kick_block(T.srv.l, &k, "(test)", &blocked), 1);
	assert_int_equal(blocked, 1);
	run_ms(1000);
	assert_log("user alice (sent CORP\\\\alice): session ended: admin kick");
	/* the client comes back as CORP\\alice and alice's block holds */
	run_ms(4000);
	assert_log("blocked by admin kick for");
	assert_int_equal(log_count("): connected:"), 1);
}

/* A block on "CORP\\alice" is a block on alice: OTHER\\alice stays out. */
static void test_block_domain_name(void **state)
{
	struct l2tp_kick k = { .by = L2TP_KICK_USER, .block_s = 600 };
	unsigned int blocked = 0;

	(void)state;
	start_as("OTHER\\alice", "correct horse\n", true);
	snprintf(k.user, sizeof(k.user), "CORP\\alice");
	assert_int_equal(l2tp_kick_block(T.srv.l, &k, "(test)", &blocked), 0);
	assert_int_equal(blocked, 1);
	assert_log("user alice: logins refused for 600 s (test)");
	run_ms(3000);
	assert_int_equal(l2tp_session_count(T.srv.l), 0);
	assert_log("user alice (sent OTHER\\\\alice): authentication failure: MS-CHAPv2: blocked by admin kick");
	assert_int_equal(log_count("connected: address"), 0);
	assert_int_equal(l2tp_unblock(T.srv.l, "OTHER\\alice", "(test)"), 0);
}

/* A block runs out by itself. */
static void test_block_expires(void **state)
{
	struct l2tp_kick k = { .by = L2TP_KICK_ADDRESS, .block_s = 3 };
	unsigned int blocked = 0;

	(void)state;
	start("correct horse\n");
	run_ms(3000);
	assert_connected();
	inet_pton(AF_INET, "10.99.0.10", &k.address);
	/* by address: the user of the session is blocked */
	assert_int_equal(l2tp_kick_block(T.srv.l, &k, NULL, &blocked), 1);
	assert_int_equal(blocked, 1);
	assert_int_equal(l2tp_for_each_block(T.srv.l, NULL, NULL), 1);
	run_ms(3500);
	assert_int_equal(l2tp_for_each_block(T.srv.l, NULL, NULL), 0);
	run_ms(20000);
	assert_int_equal(log_count("user alice: connected: our address"), 2);
}

/* No [pool]: a user with a fixed address is served (the tunnel answered). */
static void test_no_pool_fixed_address(void **state)
{
	struct views vs;

	(void)state;
	start_as("bob", "builder\n", false);
	run_ms(3000);
	assert_log("accepting tunnels as lns: 2 users, no [pool]: only users with a fixed address in chap-secrets get one");
	assert_log("user bob: connected: address 10.99.0.50, peer 0.0.0.0, authentication MS-CHAPv2");
	assert_log("user bob: connected: our address 10.99.0.50");
	assert_true(has_route(&T.srv, "10.99.0.50", 32));
	views_of(&T.srv, &vs);
	assert_int_equal(vs.n, 1);
	assert_string_equal(vs.user[0], "bob");
}

/* No [pool]: a '*' user is refused at IPCP, named, with the fix; CDN. */
static void test_no_pool_star_user(void **state)
{
	(void)state;
	start_as("alice", "correct horse\n", false);
	run_ms(3000);
	assert_log("ppp: 192.0.2.2:4500 tunnel ");
	assert_log("user alice: no address: IPCP: no address pool configured and user alice has no fixed address in chap-secrets; add a [pool] section or give the user a fixed address in chap-secrets");
	assert_log("user alice: session ended: no address: IPCP: no address pool configured");
	assert_int_equal(sess_count(&T.srv), 0);
	assert_false(fake_log_contains("user alice: connected"));
	/* the client was told: CDN, result 4 (no resources) */
	assert_log("user alice: session ended: logout: peer sent CDN, result 4 error 0: no address");
}

/* A Configure-Request after IPCP opened: renegotiated, not reconnected. */
static void test_ipcp_renegotiation(void **state)
{
	static const uint8_t req[] = {
		0x80, 0x21, 1, 0x77, 0, 10, 3, 6, 10, 99, 0, 10,
	};
	struct views vs;

	(void)state;
	start("correct horse\n");
	run_ms(3000);
	assert_connected();
	views_of(&T.srv, &vs);
	enqueue(&T.srv, true, T.srv.peer_id, vs.v[0].local_tunnel_id,
		vs.v[0].local_session_id, req, sizeof(req));
	run_ms(3000);
	assert_log("IPCP renegotiated with the same addresses; routes kept");
	assert_int_equal(log_count("user alice: connected: address"), 1);
	assert_connected();
}

static void test_kick_by_session(void **state)
{
	struct l2tp_kick k = { .by = L2TP_KICK_SESSION };
	struct views vs;

	(void)state;
	start("correct horse\n");
	run_ms(3000);
	views_of(&T.srv, &vs);
	k.peer_id = vs.v[0].peer_id;
	k.tunnel_id = vs.v[0].local_tunnel_id;
	k.session_id = (uint16_t)(vs.v[0].local_session_id + 1);
	assert_int_equal(l2tp_kick(T.srv.l, &k, NULL), 0);
	k.session_id = vs.v[0].local_session_id;
	assert_int_equal(l2tp_kick(T.srv.l, &k, NULL), 1);
	run_ms(500);
	assert_log("session ended: admin kick: ended by an administrator;");
}

static void test_ike_delete(void **state)
{
	(void)state;
	start("correct horse\n");
	run_ms(3000);
	assert_connected();
	/* IKE: the SAs are gone on both ends; nothing is sent any more */
	l2tp_peer_down(T.srv.l, T.srv.peer_id, END_IKE_DELETE,
		       "IPsec SA pair gone: deleted by the peer");
	l2tp_peer_down(T.cli.l, T.cli.peer_id, END_IKE_DELETE, NULL);
	assert_int_equal(T.qtail - T.qhead, 0);
	assert_log("192.0.2.2:4500 tunnel");
	assert_log("user alice: session ended: IKE delete: IPsec SA pair gone: deleted by the peer; peer 192.0.2.2:4500, address 10.99.0.10");
	assert_log("user alice: session ended: IKE delete: the IKE peer deleted the IPsec SA; peer 192.0.2.1");
	assert_int_equal(sess_count(&T.srv), 0);
	assert_int_equal(sess_count(&T.cli), 0);
	assert_int_equal(route_count(&T.cli), 0);
	assert_false(has_addr(&T.cli, "10.99.0.10"));
	assert_int_equal(route_count(&T.srv), 0);
	/* no L2TP reconnect without IPsec: IKE brings the peer back */
	run_ms(20000);
	assert_false(fake_log_contains("reconnecting"));
	assert_int_equal(l2tp_session_count(T.cli.l), 0);
	T.cli.peer_id = 4;
	T.srv.peer_id = 12;
	l2tp_peer_up(T.srv.l, T.srv.peer_id, &T.srv.outer, 0, false, "default");
	l2tp_peer_up(T.cli.l, T.cli.peer_id, &T.cli.outer, 1701, true, "office");
	run_ms(3000);
	assert_connected_as("10.99.0.11");
}

/* IKE's typed reasons for a peer going away, and the end each gives. */
static void test_reason_of_ike(void **state)
{
	static const struct {
		enum ike_down_reason	ike;
		enum end_reason		end;
		const char		*name;
	} map[] = {
		{ IKE_DOWN_PEER_DELETE,	 END_IKE_DELETE,   "IKE delete" },
		{ IKE_DOWN_EXPIRED,	 END_SA_EXPIRY,	   "SA expiry" },
		{ IKE_DOWN_REKEY_FAILED, END_REKEY_FAILED, "rekey failure" },
		{ IKE_DOWN_DPD,		 END_DPD_TIMEOUT,  "DPD timeout" },
		{ IKE_DOWN_ADMIN,	 END_ADMIN_KICK,   "admin kick" },
		{ IKE_DOWN_SHUTDOWN,	 END_SHUTDOWN,	   "daemon shutdown" },
		{ IKE_DOWN_LOCAL_ERROR,	 END_KERNEL_ERROR, "kernel error" },
	};
	unsigned int i;

	(void)state;
	assert_int_equal(sizeof(map) / sizeof(map[0]), IKE_DOWN_MAX);
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		assert_int_equal(l2tp_reason_of_ike(map[i].ike), map[i].end);
		assert_string_equal(end_reason_str(map[i].end), map[i].name);
		assert_string_not_equal(ike_down_reason_name(map[i].ike), "?");
	}
	/* out of range: the old default */
	assert_int_equal(l2tp_reason_of_ike(IKE_DOWN_MAX), END_IKE_DELETE);

	start("correct horse\n");
	run_ms(3000);
	l2tp_peer_down_ike(T.srv.l, T.srv.peer_id, IKE_DOWN_EXPIRED,
			   "lifetime expired: the peer did not rekey");
	assert_log("user alice: session ended: SA expiry: IPsec SA pair gone: lifetime expired: the peer did not rekey; peer 192.0.2.2:4500");
	l2tp_peer_down_ike(T.cli.l, T.cli.peer_id, IKE_DOWN_DPD,
			   "dead peer (DPD)");
	assert_log("user alice: session ended: DPD timeout: IPsec SA pair gone: dead peer (DPD); peer 192.0.2.1");
	/* no L2TP reconnect on its own: IKE brings the peer back */
	run_ms(20000);
	assert_false(fake_log_contains("reconnecting"));
}

static void test_ike_delete_typed(void **state)
{
	(void)state;
	start("correct horse\n");
	run_ms(3000);
	l2tp_peer_down_ike(T.srv.l, T.srv.peer_id, IKE_DOWN_PEER_DELETE,
			   "deleted by the peer");
	assert_log("user alice: session ended: IKE delete: IPsec SA pair gone: deleted by the peer; peer 192.0.2.2:4500");
	l2tp_peer_down_ike(T.cli.l, T.cli.peer_id, IKE_DOWN_REKEY_FAILED,
			   NULL);
	assert_log("user alice: session ended: rekey failure: IPsec SA pair gone: rekey failed; peer 192.0.2.1");
}

static void test_lcp_echo_timeout(void **state)
{
	(void)state;
	start("correct horse\n");
	run_ms(3000);
	T.cli.drop_ppp = true;		/* PPP frozen, L2TP still answers */
	run_ms(30000);
	/* the first cause, not the CDN the client sent after our Terminate */
	assert_log("user alice: session ended: LCP echo timeout: 3 LCP Echo-Requests unanswered");
	assert_false(has_route(&T.srv, "10.99.0.10", 32));
	/* the client tried again; its PPP still says nothing */
	assert_log("[lac office]: reconnecting in 2 s");
	assert_false(fake_log_contains("connected: address 10.99.0.11"));
}

static void test_hello_timeout(void **state)
{
	(void)state;
	start("correct horse\n");
	run_ms(3000);
	T.cli.drop_ctrl = true;		/* L2TP frozen, PPP still answers */
	run_ms(40000);
	assert_log("user alice: session ended: HELLO timeout");
	assert_false(fake_log_contains("LCP echo timeout"));
	assert_int_equal(l2tp_session_count(T.srv.l), 0);
}

static void test_auth_failure(void **state)
{
	(void)state;
	start("not the password\n");
	run_ms(3000);
	assert_log("session ended: authentication failure");
	assert_int_equal(sess_count(&T.srv), 0);
	assert_int_equal(route_count(&T.srv), 0);
	/* the client tries again, with backoff */
	assert_log("[lac office]: reconnecting in 2 s");
	run_ms(3000);
	assert_true(log_count("session ended: authentication failure") >= 4);
	assert_log("[lac office]: reconnecting in 4 s");
}

/* ---- RADIUS: the server's logins through a real FreeRADIUS ------------- */

static struct freeradius fr;
static struct radius_conf rconf;
static char rextra[512];

/* The server asks FreeRADIUS (radius-only); chap-secrets is not asked. */
static void radius_start(const char *user, const char *password)
{
	char *secret;

	assert_int_equal(freeradius_start(&fr), 0);
	secret = write_file("radius-secret", FREERADIUS_SECRET "\n");
	snprintf(rextra, sizeof(rextra),
		 "[radius]\nservers = 127.0.0.1:%u\nsecret-file = %s\n"
		 "nas-identifier = glue-test\norder = radius-only\n",
		 fr.port_ok, secret);
	T.srv_extra = rextra;
	T.radius = &rconf;
	start_as(user, password, true);
}

/*
 * Virtual time in 10 ms steps while the loop also waits (real time) for
 * FreeRADIUS's answer, until @needle is logged.
 */
static void run_until_log(const char *needle)
{
	unsigned int i;

	for (i = 0; i < 1000 && !fake_log_contains(needle); i++) {
		loop_run_once(T.loop, 5);
		fake_loop_advance(T.loop, 10);
		deliver();
	}
}

static void radius_stop(void)
{
	char p[128];

	stop();
	snprintf(p, sizeof(p), "%s/radius-secret", T.dir);
	unlink(p);
	assert_int_equal(freeradius_stop(&fr), 0);
}

/*
 * alice logs in by MS-CHAPv2; FreeRADIUS accepts her and gives her
 * Framed-IP-Address 10.99.0.77 (not the pool's first, 10.99.0.10),
 * which the session gets; her chap-secrets password ("correct horse")
 * is not the one used.
 */
static void test_radius_accept_framed_ip(void **state)
{
	(void)state;
	radius_start("alice", "wonderland\n");
	run_until_log("connected:");
	run_ms(500);
	assert_connected_as("10.99.0.77");
	radius_stop();
}

/* bob is rejected by FreeRADIUS: the session ends naming its Reply-Message. */
static void test_radius_reject_named(void **state)
{
	(void)state;
	radius_start("bob", "builder\n");
	run_until_log("session ended: authentication failure");
	assert_log("RADIUS rejected bob: Reply-Message \"Your account is locked\"");
	assert_int_equal(sess_count(&T.srv), 0);
	radius_stop();
}

/*
 * The session ends (IKE delete) while its Access-Request is in flight:
 * the request goes with it, so FreeRADIUS's answer finds nothing (before
 * the cancel in eng_session_down() it stayed pending, its callback
 * holding the freed session).
 */
static void test_radius_request_cancelled_with_session(void **state)
{
	unsigned int i;

	(void)state;
	radius_start("alice", "wonderland\n");
	/* virtual time only: the answer is not read */
	for (i = 0; i < 300 && !l2tp_radius_pending(T.srv.l); i++)
		run_ms(10);
	assert_int_equal(l2tp_radius_pending(T.srv.l), 1);
	l2tp_peer_down(T.srv.l, T.srv.peer_id, END_IKE_DELETE, NULL);
	assert_int_equal(sess_count(&T.srv), 0);
	assert_int_equal(l2tp_radius_pending(T.srv.l), 0);
	/* the answer arrives and is dropped */
	for (i = 0; i < 40; i++)
		loop_run_once(T.loop, 5);
	assert_false(fake_log_contains("connected:"));
	radius_stop();
}

static void test_shutdown(void **state)
{
	(void)state;
	start("correct horse\n");
	run_ms(3000);
	l2tp_free(T.cli.l);
	T.cli.l = NULL;
	assert_log("user alice: session ended: daemon shutdown");
	assert_int_equal(sess_count(&T.cli), 0);
	assert_int_equal(route_count(&T.cli), 0);
	/* the StopCCN it sent reaches the server */
	deliver();
	assert_log("user alice: session ended: logout: peer sent CDN, result 3 error 0: daemon shutdown");
	assert_int_equal(sess_count(&T.srv), 0);
}

/* ---- limits one user or peer cannot exceed (issue 11, item 6) ------------ */

/* Sessions of one user: the default (4) refuses a fifth, named. */
static void test_max_sessions_per_user_default(void **state)
{
	unsigned int i;
	char name[8];

	(void)state;
	start("correct horse\n");
	run_ms(3000);
	assert_int_equal(l2tp_session_count(T.srv.l), 1);
	for (i = 2; i <= 5; i++) {
		snprintf(name, sizeof(name), "lac%u", i);
		assert_int_equal(l2tp_connect(T.cli.l, T.cli.peer_id, name), 0);
		run_ms(3000);
	}
	assert_int_equal(l2tp_session_count(T.srv.l), 4);
	assert_int_equal(log_count("user alice: connected: address"), 4);
	assert_log("user alice: session ended: limit reached: user alice has 4 sessions already (max-sessions-per-user 4 in [ppp]); refused; end one (l2tpsec kick) or set max-sessions-per-user-action = replace");
	assert_true(log_count("max-sessions-per-user 4 in [ppp]); refused") >= 1);
}

/* max-sessions-per-user-action = replace: the new login ends the old one. */
static void test_max_sessions_per_user_replace(void **state)
{
	struct views vs;

	(void)state;
	T.srv_extra = "max-sessions-per-user = 1\nmax-sessions-per-user-action = replace\n";
	start_as("bob", "builder\n", true);
	run_ms(3000);
	assert_int_equal(l2tp_session_count(T.srv.l), 1);
	assert_log("user bob: connected: address 10.99.0.50");
	assert_int_equal(l2tp_connect(T.cli.l, T.cli.peer_id, "lac2"), 0);
	run_ms(1500);
	/* the old one ended at once, its pinned address went to the new one */
	assert_log("user bob: session ended: limit reached: replaced by a new login of user bob from 192.0.2.2:4500 (max-sessions-per-user 1 in [ppp], max-sessions-per-user-action replace)");
	assert_int_equal(log_count("user bob: connected: address 10.99.0.50"), 2);
	views_of(&T.srv, &vs);
	assert_int_equal(vs.n, 1);
	assert_string_equal(inet_ntoa(vs.v[0].address), "10.99.0.50");
	assert_int_equal(sess_count(&T.srv), 1);
	assert_true(has_route(&T.srv, "10.99.0.50", 32));
}

/*
 * Password guessing against one user: each failure doubles the wait
 * before the next try (login-delay, 1 s), the tenth locks the user out
 * (login-failures-per-user 10) with one named line; then even the right
 * password is refused until `l2tpsec unblock user` lifts it.
 */
static void test_login_failures_per_user(void **state)
{
	unsigned int i;

	(void)state;
	start("not the password\n");
	for (i = 0; i < 60; i++)
		run_ms(10000);
	assert_log("5 failed logins of user alice: next try allowed in ");
	assert_log("(login-delay 1 s in [ppp], doubling per failure)");
	/* two lines each: the PPP failure and the session end */
	assert_int_equal(log_count("response does not match"), 2 * 10);
	assert_int_equal(log_count("locked out for 900 s after 10 failed logins"), 1);
	assert_log("user alice: logins locked out for 900 s after 10 failed logins, the last from 192.0.2.2 (login-failures-per-user 10 in [ppp]); to let the user in now: l2tpsec unblock user alice");
	assert_log("user alice locked out for ");
	/* the right password now: still refused */
	l2tp_disconnect(T.cli.l, T.cli.peer_id);
	write_file("alice.password", "correct horse\n");
	assert_int_equal(l2tp_connect(T.cli.l, T.cli.peer_id, "office"), 0);
	run_ms(3000);
	assert_int_equal(log_count("connected: address"), 0);
	assert_int_equal(log_count("response does not match"), 2 * 10);
	/* unblock lifts the lockout */
	assert_int_equal(l2tp_unblock(T.srv.l, "alice", "(test)"), 0);
	run_ms(10000);
	assert_int_equal(log_count("user alice: connected: address"), 1);
}

/* Guessing user names from one peer: login-failures-per-peer locks it out. */
static void test_login_failures_per_peer(void **state)
{
	unsigned int i;

	(void)state;
	T.srv_extra = "login-failures-per-peer = 3\n";
	start_as("mallory", "x\n", true);
	for (i = 0; i < 10; i++)
		run_ms(10000);
	assert_int_equal(log_count("unknown user 'mallory'"), 2 * 3);
	assert_log("peer 192.0.2.2: logins from this address locked out for 900 s after 3 failed logins (login-failures-per-peer 3 in [ppp])");
	assert_log("logins from 192.0.2.2 locked out for ");
	assert_int_equal(log_count("logins from this address locked out"), 1);
}

/* ---- reload (issue 14 item 4) --------------------------------------------- */

/*
 * SIGHUP's L2TP half: the new file parsed into a configuration of its
 * own, then prepared (checked, users and pool built) and committed. -1
 * when the file or the prepare step refuses it.
 */
static int reload_server(const char *pool, const char *secrets)
{
	struct config_loader *ld = config_loader_new();
	struct l2tp_reload *r;
	struct l2tp_conf nc;
	char conf[2048], p[128];
	int ret = -1;

	snprintf(p, sizeof(p), "%s/chap-secrets", T.dir);
	if (secrets)
		write_file("chap-secrets", secrets);
	server_conf(conf, sizeof(conf), p, pool);
	l2tp_conf_init(&nc);
	l2tp_conf_register(ld, &nc);
	if (!config_load_string(ld, "server.conf", conf)) {
		r = l2tp_reload_prepare(T.srv.l, &nc);
		if (r) {
			l2tp_reload_commit(T.srv.l, r);
			ret = 0;
		}
	}
	config_loader_free(ld);
	l2tp_conf_fini(&nc);
	return ret;
}

static bool has_session_at(struct side *s, const char *addr)
{
	struct views vs;
	unsigned int i;

	views_of(s, &vs);
	for (i = 0; i < vs.n; i++)
		if (!strcmp(inet_ntoa(vs.v[i].address), addr) &&
		    !vs.v[i].ending)
			return true;
	return false;
}

/*
 * A reload that changes the pool (10.99.0.10-20 replaced by .30-.40), the
 * users (carol added, bob's address moved) and the timers keeps the live
 * session with its address; new logins get addresses of the new range
 * only, and the removed range's address is not handed out again after
 * its session ends. Before reload.c, SIGHUP re-read chap-secrets alone:
 * the second login got 10.99.0.11 of the old range (failed here).
 */
static void test_reload_keeps_session(void **state)
{
	(void)state;
	start("correct horse\n");
	run_ms(3000);
	assert_connected();
	assert_int_equal(reload_server("[pool]\nlocal = 10.99.0.1\n"
				       "range = 10.99.0.30-10.99.0.40\n",
				       "alice * \"correct horse\" *\n"
				       "bob * builder 10.99.0.51\n"
				       "carol * c4r0l *\n"), 0);
	assert_log("reload: [pool] range 10.99.0.10-10.99.0.20 removed: addresses its sessions hold stay theirs and are not handed out again");
	assert_log("users; pool of 11 addresses, 1 in use");
	assert_log(": 3 users;");
	/* nothing was torn down */
	assert_int_equal(l2tp_session_count(T.srv.l), 1);
	assert_int_equal(sess_count(&T.srv), 1);
	assert_true(has_route(&T.srv, "10.99.0.10", 32));
	assert_true(has_session_at(&T.srv, "10.99.0.10"));
	assert_int_equal(log_count("session ended"), 0);
	/* it still runs: LCP echoes and L2TP hellos answered for a minute */
	run_ms(60000);
	assert_int_equal(log_count("session ended"), 0);
	assert_true(has_session_at(&T.srv, "10.99.0.10"));
	/* a new login: the new range */
	assert_int_equal(l2tp_connect(T.cli.l, T.cli.peer_id, "lac2"), 0);
	run_ms(3000);
	assert_true(has_session_at(&T.srv, "10.99.0.30"));
	assert_true(has_session_at(&T.srv, "10.99.0.10"));
	/* the old session ends; its address is not reused */
	{
		struct l2tp_kick k = { .by = L2TP_KICK_ADDRESS };

		inet_pton(AF_INET, "10.99.0.10", &k.address);
		assert_int_equal(l2tp_kick(T.srv.l, &k, "(test)"), 1);
	}
	run_ms(1000);
	assert_false(has_session_at(&T.srv, "10.99.0.10"));
	assert_int_equal(l2tp_connect(T.cli.l, T.cli.peer_id, "lac3"), 0);
	run_ms(3000);
	assert_true(has_session_at(&T.srv, "10.99.0.31"));
	assert_false(has_session_at(&T.srv, "10.99.0.10"));
}

/*
 * A range that stays keeps its live address taken: after a reload that
 * adds a range, the next login does not get the live session's address.
 */
static void test_reload_added_range(void **state)
{
	(void)state;
	start("correct horse\n");
	run_ms(3000);
	assert_int_equal(reload_server("[pool]\nlocal = 10.99.0.1\n"
				       "range = 10.99.0.10-10.99.0.10 10.99.0.60-10.99.0.61\n",
				       NULL), 0);
	assert_log("pool of 3 addresses, 1 in use");
	assert_int_equal(l2tp_connect(T.cli.l, T.cli.peer_id, "lac2"), 0);
	run_ms(3000);
	assert_true(has_session_at(&T.srv, "10.99.0.10"));
	assert_true(has_session_at(&T.srv, "10.99.0.60"));
}

/*
 * A broken reload changes nothing: a chap-secrets with an open quote, or
 * overlapping ranges, are refused with the reason, and the next login
 * still gets the old pool's next address. A changed [pool] local is named
 * as needing a restart, and the pool keeps running as it was.
 */
static void test_reload_broken_changes_nothing(void **state)
{
	(void)state;
	start("correct horse\n");
	run_ms(3000);
	assert_int_equal(reload_server("[pool]\nlocal = 10.99.0.1\n"
				       "range = 10.99.0.30-10.99.0.40\n",
				       "alice * \"correct horse *\n"), -1);
	assert_log("chap-secrets:1: a quote opened here is not closed before the end of the file");
	write_file("chap-secrets",
		   "alice * \"correct horse\" *\nbob * builder 10.99.0.50\n");
	assert_int_equal(reload_server("[pool]\nlocal = 10.99.0.1\n"
				       "range = 10.99.0.30-10.99.0.40 10.99.0.35-10.99.0.50\n",
				       NULL), -1);
	assert_log("[pool] range 10.99.0.35-10.99.0.50 overlaps range 10.99.0.30-10.99.0.40");
	assert_int_equal(reload_server("[pool]\nlocal = 10.99.0.1\nrange = nonsense\n",
				       NULL), -1);
	assert_int_equal(log_count("reload: "), 0);
	assert_int_equal(l2tp_connect(T.cli.l, T.cli.peer_id, "lac2"), 0);
	run_ms(3000);
	assert_true(has_session_at(&T.srv, "10.99.0.11"));
	/* the device's address needs a restart: named, the pool unchanged */
	assert_int_equal(reload_server("[pool]\nlocal = 10.99.0.2\n"
				       "range = 10.99.0.30-10.99.0.40\n",
				       NULL), 0);
	assert_log("reload: [pool] local changed; needs a restart (systemctl restart l2tpsecd)");
	assert_int_equal(l2tp_connect(T.cli.l, T.cli.peer_id, "lac3"), 0);
	run_ms(3000);
	assert_true(has_session_at(&T.srv, "10.99.0.12"));
	assert_int_equal(l2tp_session_count(T.srv.l), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_connect_and_views, setup, teardown),
		cmocka_unit_test_setup_teardown(test_radius_accept_framed_ip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_radius_reject_named, setup, teardown),
		cmocka_unit_test_setup_teardown(test_radius_request_cancelled_with_session, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kick_then_reconnect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kick_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_block_expires, setup, teardown),
		cmocka_unit_test_setup_teardown(test_domain_user_is_one_user, setup, teardown),
		cmocka_unit_test_setup_teardown(test_block_domain_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_pool_fixed_address, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_pool_star_user, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipcp_renegotiation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kick_by_session, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ike_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reason_of_ike, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ike_delete_typed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lcp_echo_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hello_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_auth_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shutdown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_max_sessions_per_user_default, setup, teardown),
		cmocka_unit_test_setup_teardown(test_max_sessions_per_user_replace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_login_failures_per_user, setup, teardown),
		cmocka_unit_test_setup_teardown(test_login_failures_per_peer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_keeps_session, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_added_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_broken_changes_nothing, setup, teardown),
	};

	return cmocka_run_group_tests_name("l2tp_glue", tests, NULL, NULL);
}
