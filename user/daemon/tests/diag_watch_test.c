// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: failure classes 7 and 10 (daemon/diag/watch.c) on the real
 * event loop: an SA pair with no L2TP tunnel request within l2tp-wait is
 * one line naming the peer, the cause, the fix and the setting, and a
 * class-7 failure record; a tunnel in time, our own initiation, a peer
 * gone first, or l2tp-wait = 0 say nothing. Forwarding off (globally or
 * on the device, read from a made-up /proc) is one line at startup and a
 * class-10 record at the first session; [diagnostics] refuses bad values.
 */
#include <arpa/inet.h>
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

#include "config.h"
#include "diag/watch.h"
#include "failrec.h"
#include "log.h"
#include "loop.h"

static char lines[8][2048];
static unsigned int nlines;

static void sink(void *arg, enum log_level lvl, const char *line)
{
	(void)arg;
	(void)lvl;
	if (nlines < 8)
		snprintf(lines[nlines], sizeof(lines[0]), "%s", line);
	nlines++;
}

static bool tunnel_there;

static bool has_tunnel(void *arg, uint32_t peer_id)
{
	(void)arg;
	assert_int_equal(peer_id, 7);
	return tunnel_there;
}

struct env {
	struct loop		*loop;
	struct diag_watch	*w;
	struct config_loader	*cfg;
	struct l2_failures	*fs;
	char			proc[64];
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	struct diag_watch_ops ops = { .has_tunnel = has_tunnel };

	assert_non_null(e);
	e->loop = loop_new();
	e->w = diag_watch_new(e->loop, &ops);
	e->cfg = config_loader_new();
	e->fs = calloc(1, sizeof(*e->fs));
	assert_non_null(e->fs);
	l2_fail_set_default(e->fs);
	diag_watch_register_config(e->w, e->cfg);
	snprintf(e->proc, sizeof(e->proc), "/tmp/l2tpsec-watch-XXXXXX");
	assert_non_null(mkdtemp(e->proc));
	nlines = 0;
	tunnel_there = false;
	log_set_sink(sink, NULL);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", e->proc);
	assert_int_equal(system(cmd), 0);
	log_set_sink(NULL, NULL);
	l2_fail_set_default(NULL);
	diag_watch_free(e->w);
	config_loader_free(e->cfg);
	loop_free(e->loop);
	free(e->fs);
	free(e);
	return 0;
}

static struct sockaddr_in peer(void)
{
	struct sockaddr_in s = { .sin_family = AF_INET };

	inet_pton(AF_INET, "192.0.2.7", &s.sin_addr);
	s.sin_port = htons(4500);
	return s;
}

/* Run the loop for @ms. */
static void run_for(struct env *e, unsigned int ms)
{
	uint64_t end = loop_now_ms(e->loop) + ms;

	while (loop_now_ms(e->loop) < end)
		assert_true(loop_run_once(e->loop, 50) >= 0);
}

struct collect {
	const struct l2_fail	*f[4];
	size_t			n;
};

static void collect_one(void *arg, const struct l2_fail *f)
{
	struct collect *c = arg;

	if (c->n < 4)
		c->f[c->n] = f;
	c->n++;
}

static void test_no_l2tp(void **state)
{
	struct env *e = *state;
	struct sockaddr_in p = peer();
	struct in_addr any = { 0 };
	struct collect c = { .n = 0 };

	assert_int_equal(config_load_string(e->cfg, "t", "[diagnostics]\nl2tp-wait = 1\n"), 0);
	diag_watch_peer_up(e->w, 7, &p, false);
	run_for(e, 600);
	assert_int_equal(nlines, 0);
	run_for(e, 700);
	assert_int_equal(nlines, 1);
	assert_non_null(strstr(lines[0], "192.0.2.7:4500: IPsec SA pair up for 1 s and no L2TP tunnel request (SCCRQ) arrived: the client's L2TP part did not start or sends elsewhere; check its L2TP service (xl2tpd, the system's L2TP client) and that it connects to this server's address (l2tp-wait in [diagnostics])"));
	assert_int_equal(l2_fail_each(e->fs, any, NULL, collect_one, &c), 1);
	assert_int_equal(c.f[0]->cls, L2_FC_NO_L2TP);
	assert_string_equal(c.f[0]->layer, "ipsec");
	assert_string_equal(c.f[0]->fix, "check the client's L2TP service (xl2tpd, the system's L2TP client) and that it connects to this server's address");
	/* once: the watch of that peer is over */
	run_for(e, 1200);
	assert_int_equal(nlines, 1);
}

static void test_quiet_cases(void **state)
{
	struct env *e = *state;
	struct sockaddr_in p = peer();

	assert_int_equal(config_load_string(e->cfg, "t", "[diagnostics]\nl2tp-wait = 1\n"), 0);
	/* a tunnel in time */
	tunnel_there = true;
	diag_watch_peer_up(e->w, 7, &p, false);
	run_for(e, 1300);
	assert_int_equal(nlines, 0);
	tunnel_there = false;
	/* we initiated: our L2TP starts by itself */
	diag_watch_peer_up(e->w, 7, &p, true);
	/* the peer went first */
	diag_watch_peer_up(e->w, 8, &p, false);
	diag_watch_peer_down(e->w, 8);
	run_for(e, 1300);
	assert_int_equal(nlines, 0);
	/* off */
	assert_int_equal(config_load_string(e->cfg, "t", "[diagnostics]\nl2tp-wait = 0\n"), 0);
	diag_watch_peer_up(e->w, 7, &p, false);
	run_for(e, 1300);
	assert_int_equal(nlines, 0);
}

static void put(const char *dir, const char *rel, const char *v)
{
	char path[256], *p;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(v, f);
	fclose(f);
}

static void test_forwarding(void **state)
{
	struct env *e = *state;
	struct sockaddr_in p = peer();
	struct in_addr any = { 0 };
	struct collect c = { .n = 0 };

	diag_watch_set_device(e->w, "vpn0", e->proc);
	put(e->proc, "sys/net/ipv4/ip_forward", "0\n");
	put(e->proc, "sys/net/ipv4/conf/vpn0/forwarding", "0\n");
	/* at startup */
	assert_true(diag_watch_check_forwarding(e->w, NULL, NULL));
	assert_int_equal(nlines, 1);
	assert_non_null(strstr(lines[0], "net.ipv4.ip_forward is 0: clients will reach this host only, nothing beyond it; set it to 1 (sysctl -w net.ipv4.ip_forward=1) and add NAT or a route back for the pool, or set forwarding-check = no in [diagnostics] when that is intended"));
	/* the first session, not the second */
	diag_watch_session_up(e->w, &p, "alice");
	diag_watch_session_up(e->w, &p, "bob");
	assert_int_equal(nlines, 2);
	assert_non_null(strstr(lines[1], "192.0.2.7:4500: user alice: net.ipv4.ip_forward is 0: the client reaches this host only"));
	assert_int_equal(l2_fail_each(e->fs, any, NULL, collect_one, &c), 1);
	assert_int_equal(c.f[0]->cls, L2_FC_NO_FORWARDING);
	assert_string_equal(c.f[0]->user, "alice");
	/* on globally, off on the device */
	put(e->proc, "sys/net/ipv4/ip_forward", "1\n");
	assert_true(diag_watch_check_forwarding(e->w, NULL, NULL));
	assert_non_null(strstr(lines[2], "net.ipv4.conf.vpn0.forwarding is 0"));
	/* on */
	put(e->proc, "sys/net/ipv4/conf/vpn0/forwarding", "1\n");
	assert_false(diag_watch_check_forwarding(e->w, NULL, NULL));
	assert_int_equal(nlines, 3);
	/* off, but not wanted */
	put(e->proc, "sys/net/ipv4/ip_forward", "0\n");
	assert_int_equal(config_load_string(e->cfg, "t", "[diagnostics]\nforwarding-check = no\n"), 0);
	assert_false(diag_watch_check_forwarding(e->w, NULL, NULL));
	assert_int_equal(nlines, 3);
}

static void test_config(void **state)
{
	struct env *e = *state;

	assert_int_equal(config_load_string(e->cfg, "t", "[diagnostics]\nl2tp-wait = 30s\n"), 0);
	assert_true(config_load_string(e->cfg, "t", "[diagnostics]\nl2tp-wait = 2h\n") < 0);
	assert_true(config_load_string(e->cfg, "t", "[diagnostics]\nl2tp-wait = soon\n") < 0);
	assert_true(config_load_string(e->cfg, "t", "[diagnostics]\nbogus = 1\n") < 0);
	assert_true(config_load_string(e->cfg, "t", "[diagnostics]\nforwarding-check = maybe\n") < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_l2tp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quiet_cases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forwarding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config, setup, teardown),
	};

	log_init("diag_watch_test", LOG_LVL_DEBUG, 0);
	return cmocka_run_group_tests_name("diag_watch", tests, NULL, NULL);
}
