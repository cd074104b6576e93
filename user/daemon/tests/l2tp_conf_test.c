// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the [l2tp], [ppp], [pool] and [lac NAME] sections
 * (daemon/l2tp/conf.c), through a small fake loader.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "l2tp/l2tp.h"
#include "l2tp_fakes.h"

static int load(struct l2tp_conf *c, const char *text)
{
	struct config_loader *ld = config_loader_new();
	int ret;

	fake_log_reset();	/* fake_config_last_error(): this load's */
	l2tp_conf_init(c);
	l2tp_conf_register(ld, c);
	ret = config_load_string(ld, "test.conf", text);
	config_loader_free(ld);
	return ret;
}

static void test_full(void **state)
{
	struct l2tp_conf c;
	const struct l2tp_lac_conf *lac;

	(void)state;
	assert_int_equal(load(&c,
		"[l2tp]\n"
		"hostname = vpn.example\n"
		"hello-interval = 30s\n"
		"retransmit-initial = 2\n"
		"retransmit-max = 16\n"
		"max-retries = 7\n"
		"receive-window = 16\n"
		"tunnel-secret-file = /etc/l2tpsec/tunnel\n"
		"hide-avps = yes\n"
		"[ppp]\n"
		"auth = pap, chap\n"
		"dns = 10.0.0.53 10.0.0.54\n"
		"nbns = 10.0.0.137\n"
		"lcp-echo-interval = 10\n"
		"lcp-echo-failure = 6\n"
		"mru = 1280\n"
		"ipv6 = no\n"
		"chap-secrets = /tmp/cs\n"
		"[pool]\n"
		"local = 10.99.0.1\n"
		"range = 10.99.0.10-10.99.0.20 10.99.1.0/24\n"
		"exclude = 10.99.0.15\n"
		"[lac office]\n"
		"user = alice\n"
		"password-file = /etc/l2tpsec/alice\n"
		"routes = 10.20.0.0/16 default\n"
		"reconnect-min = 10\n"
		"auth = mschapv2\n"), 0);
	assert_string_equal(c.engine.host_name, "vpn.example");
	assert_int_equal(c.engine.hello_interval_ms, 30000);
	assert_int_equal(c.engine.ctrl.rto_initial_ms, 2000);
	assert_int_equal(c.engine.ctrl.rto_max_ms, 16000);
	assert_int_equal(c.engine.ctrl.max_retries, 7);
	assert_int_equal(c.engine.receive_window, 16);
	assert_true(c.engine.hide_avps);
	assert_int_equal(c.ppp.auth[0], PPP_AUTH_PAP);
	assert_int_equal(c.ppp.auth[1], PPP_AUTH_CHAP_MD5);
	assert_int_equal(c.ppp.auth[2], 0);
	assert_string_equal(inet_ntoa(c.ppp.dns[1]), "10.0.0.54");
	assert_string_equal(inet_ntoa(c.ppp.nbns[0]), "10.0.0.137");
	assert_int_equal(c.ppp.echo_interval_s, 10);
	assert_int_equal(c.ppp.echo_failures, 6);
	assert_int_equal(c.ppp.mru, 1280);
	assert_false(c.ppp.ipv6);
	assert_string_equal(c.chap_secrets, "/tmp/cs");
	assert_int_equal(c.nranges, 2);
	assert_int_equal(c.nexcludes, 1);
	lac = l2tp_conf_lac(&c, "office");
	assert_non_null(lac);
	assert_string_equal(lac->ppp.user, "alice");
	assert_false(lac->ppp.server);
	assert_int_equal(lac->nroutes, 2);
	assert_int_equal(lac->routes[1].plen, 0);
	assert_int_equal(lac->reconnect_min_s, 10);
	assert_int_equal(lac->ppp.auth[0], PPP_AUTH_MSCHAPV2);
	assert_int_equal(lac->ppp.auth[1], 0);
	assert_null(l2tp_conf_lac(&c, "home"));
	l2tp_conf_fini(&c);
}

static void expect_error(const char *text, const char *msg)
{
	struct l2tp_conf c;

	assert_int_equal(load(&c, text), -EINVAL);
	if (!strstr(fake_config_last_error(), msg))
		fail_msg("error '%s' lacks '%s'", fake_config_last_error(), msg);
	l2tp_conf_fini(&c);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("[ppp]\nauth = mschap\n",
		     "test.conf:2: [ppp] auth: expected mschapv2, chap, pap or none, got 'mschap'");
	expect_error("[ppp]\nauth = none pap\n", "'none' cannot be combined");
	expect_error("[l2tp]\nbogus = 1\n", "test.conf:2: [l2tp] bogus: unknown key");
	expect_error("[pool]\nlocal = 10.99.0.1\nrange = 10.99.0.300\n",
		     "test.conf:3: [pool] range: expected A.B.C.D");
	expect_error("[pool]\nrange = 10.99.0.10-10.99.0.20\n",
		     "[pool] needs 'local'");
	expect_error("[pool]\nlocal = 10.99.0.1\n", "needs at least one 'range'");
	expect_error("[l2tp]\nlisten = no\n[lac x]\nuser = a\n",
		     "[lac x] needs 'user' and 'password-file'");
	expect_error("[l2tp]\nlisten = no\n[lac x]\npassword-file = relative\n",
		     "expected an absolute path");
	expect_error("[l2tp]\nlisten = no\nhide-avps = yes\n",
		     "hide-avps needs tunnel-secret-file");
	expect_error("[ppp]\nmru = 70000\n", "mru: 70000 is out of range 576..1500");
	expect_error("[ppp]\ndns = 1.1.1.1 2.2.2.2 3.3.3.3\n", "at most 2 addresses");
}

static void test_client_only(void **state)
{
	struct l2tp_conf c;

	(void)state;
	assert_int_equal(load(&c, "[l2tp]\nlisten = no\n[lac x]\nuser = a\n"
			       "password-file = /p\n"), 0);
	assert_false(c.engine.accept_incoming);
	l2tp_conf_fini(&c);
}

/*
 * A client accepts only MS-CHAPv2 unless told otherwise (it proves the
 * server knows the password; PAP hands it to whoever holds the group
 * PSK); PAP, CHAP and no authentication only when configured, with a
 * startup warning naming the [lac] and the risk.
 */
static void test_lac_auth_default(void **state)
{
	struct l2tp_conf c;
	const struct l2tp_lac_conf *lac;

	(void)state;
	fake_log_reset();
	assert_int_equal(load(&c, "[l2tp]\nlisten = no\n[lac x]\nuser = a\n"
			       "password-file = /p\n"), 0);
	lac = l2tp_conf_lac(&c, "x");
	assert_non_null(lac);
	assert_int_equal(lac->ppp.auth[0], PPP_AUTH_MSCHAPV2);
	assert_int_equal(lac->ppp.auth[1], 0);
	assert_false(fake_log_contains("[lac x]"));
	l2tp_conf_fini(&c);

	fake_log_reset();
	assert_int_equal(load(&c, "[l2tp]\nlisten = no\n[lac x]\nuser = a\n"
			       "password-file = /p\nauth = mschapv2 pap\n"), 0);
	lac = l2tp_conf_lac(&c, "x");
	assert_int_equal(lac->ppp.auth[1], PPP_AUTH_PAP);
	assert_true(fake_log_contains("[lac x] auth allows PAP"));
	l2tp_conf_fini(&c);
}

/* "none" in [lac] auth: a server asking for none is accepted, warned. */
static void test_lac_auth_none(void **state)
{
	struct l2tp_conf c;
	const struct l2tp_lac_conf *lac;

	(void)state;
	fake_log_reset();
	assert_int_equal(load(&c, "[l2tp]\nlisten = no\n[lac x]\nuser = a\n"
			       "password-file = /p\nauth = mschapv2 none\n"), 0);
	lac = l2tp_conf_lac(&c, "x");
	assert_int_equal(lac->ppp.auth[0], PPP_AUTH_MSCHAPV2);
	assert_int_equal(lac->ppp.auth[1], 0);
	assert_true(lac->ppp.auth_none);
	assert_true(fake_log_contains("[lac x] auth allows a server that asks for no authentication"));
	l2tp_conf_fini(&c);
	/* the server side keeps 'none' alone */
	expect_error("[ppp]\nauth = none mschapv2\n", "'none' cannot be combined");
}

/* Without "listen": a [pool] makes a server, none a client or IKE alone. */
static void test_listen_auto(void **state)
{
	struct l2tp_conf c;

	(void)state;
	assert_int_equal(load(&c, ""), 0);
	assert_false(c.engine.accept_incoming);
	l2tp_conf_fini(&c);
	assert_int_equal(load(&c, "[lac x]\nuser = a\npassword-file = /p\n"), 0);
	assert_false(c.engine.accept_incoming);
	assert_int_equal(c.nlacs, 1);
	l2tp_conf_fini(&c);
	assert_int_equal(load(&c, "[pool]\nlocal = 10.99.0.1\nrange = 10.99.0.10-10.99.0.20\n"), 0);
	assert_true(c.engine.accept_incoming);
	l2tp_conf_fini(&c);
	/* listen = no wins over a [pool] */
	assert_int_equal(load(&c, "[l2tp]\nlisten = no\n[pool]\nlocal = 10.99.0.1\n"), 0);
	assert_false(c.engine.accept_incoming);
	l2tp_conf_fini(&c);
	/* a [ppp] section (the server's) without a [pool]: a server too,
	 * for users with fixed addresses */
	assert_int_equal(load(&c, "[ppp]\nauth = chap\n"), 0);
	assert_true(c.engine.accept_incoming);
	assert_false(c.have_pool_section);
	l2tp_conf_fini(&c);
	assert_int_equal(load(&c, "[l2tp]\nlisten = yes\n"), 0);
	assert_true(c.engine.accept_incoming);
	l2tp_conf_fini(&c);
	assert_int_equal(load(&c, "[l2tp]\nlisten = no\n[ppp]\nauth = chap\n"), 0);
	assert_false(c.engine.accept_incoming);
	l2tp_conf_fini(&c);
	/* a [pool] still needs what makes it one */
	expect_error("[pool]\nrange = 10.99.0.10-10.99.0.20\n",
		     "[pool] needs 'local'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_client_only),
		cmocka_unit_test(test_lac_auth_default),
		cmocka_unit_test(test_lac_auth_none),
		cmocka_unit_test(test_listen_auto),
	};

	return cmocka_run_group_tests_name("l2tp_conf", tests, NULL, NULL);
}
