// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: failed logins per user and per peer address
 * (daemon/auth/lockout.c): the doubling delay and its cap, the lockout at
 * the limit and its end, the user's usual address spared a lockout
 * others caused, unknown names counted for the address only, a success
 * forgetting failures, and tables that stay bounded whatever names a
 * guesser sends.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "auth/lockout.h"

static uint32_t A(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

static int check(struct lockout *lo, const struct lockout_conf *c,
		 const char *user, const char *peer, uint64_t now, char *why)
{
	return lockout_check(lo, c, user, A(peer), peer, now, why, 512);
}

static void test_delay_doubles_capped(void **state)
{
	struct lockout_conf c = { .user_max = 0, .peer_max = 0, .delay_s = 1,
				  .lockout_s = 900 };
	struct lockout *lo = lockout_new();
	uint64_t t = 1000000;
	char why[512];
	unsigned int i;

	(void)state;
	assert_int_equal(check(lo, &c, "alice", "192.0.2.1", t, why), 0);
	assert_int_equal(lockout_failed(lo, &c, "alice", A("192.0.2.1"), t), 0);
	/* 1 s after the first failure, 2 s after the second ... */
	assert_int_equal(check(lo, &c, "alice", "192.0.2.1", t + 999, why), -EACCES);
	assert_non_null(strstr(why, "1 failed logins of user alice: next try allowed in 1 s (login-delay 1 s in [ppp], doubling per failure)"));
	assert_int_equal(check(lo, &c, "alice", "192.0.2.1", t + 1000, why), 0);
	lockout_failed(lo, &c, "alice", A("192.0.2.1"), t + 1000);
	assert_int_equal(check(lo, &c, "alice", "192.0.2.1", t + 2999, why), -EACCES);
	assert_int_equal(check(lo, &c, "alice", "192.0.2.1", t + 3000, why), 0);
	/* never more than a minute; never a lockout with the limits at 0 */
	for (i = 0; i < 40; i++)
		assert_int_equal(lockout_failed(lo, &c, "alice", A("192.0.2.1"),
						t + 4000), 0);
	assert_int_equal(check(lo, &c, "alice", "192.0.2.1", t + 4000 + 59999, why), -EACCES);
	assert_int_equal(check(lo, &c, "alice", "192.0.2.1", t + 4000 + 60000, why), 0);
	lockout_free(lo);
}

static void test_user_lockout_spares_usual_address(void **state)
{
	struct lockout_conf c;
	struct lockout *lo = lockout_new();
	uint64_t t = 1000000;
	char why[512];
	unsigned int i, began = 0;

	(void)state;
	lockout_conf_defaults(&c);
	assert_int_equal(c.user_max, 10);
	assert_int_equal(c.peer_max, 30);
	/* alice logged in from her office before */
	lockout_succeeded(lo, "alice", A("198.51.100.7"), t);
	for (i = 0; i < 10; i++) {
		t += 61000;
		assert_int_equal(check(lo, &c, "alice", "203.0.113.9", t, why), 0);
		began |= lockout_failed(lo, &c, "alice", A("203.0.113.9"), t);
	}
	assert_int_equal(began, LOCKOUT_BEGAN_USER);
	assert_int_equal(check(lo, &c, "alice", "203.0.113.9", t + 1000, why), -EACCES);
	assert_non_null(strstr(why, "user alice locked out for"));
	assert_non_null(strstr(why, "after 10 failed logins (login-failures-per-user 10 in [ppp]); to let the user in now: l2tpsec unblock user alice"));
	/* from another address too */
	assert_int_equal(check(lo, &c, "alice", "192.0.2.50", t + 1000, why), -EACCES);
	/* but not from where she logged in */
	assert_int_equal(check(lo, &c, "alice", "198.51.100.7", t + 1000, why), 0);
	/* the lockout ends by itself */
	assert_int_equal(check(lo, &c, "alice", "192.0.2.50", t + 900000, why), 0);
	/* and an admin lifts it */
	for (i = 0; i < 10; i++) {
		t += 1000;
		lockout_failed(lo, &c, "alice", A("203.0.113.9"), t);
	}
	assert_int_equal(check(lo, &c, "alice", "192.0.2.50", t + 1000, why), -EACCES);
	assert_int_equal(lockout_clear_user(lo, "alice"), 0);
	assert_int_equal(check(lo, &c, "alice", "192.0.2.50", t + 1000, why), 0);
	assert_int_equal(lockout_clear_user(lo, "alice"), -ENOENT);
	assert_int_equal(lockout_clear_user(lo, "bob"), -ENOENT);
	lockout_free(lo);
}

static void test_peer_lockout_unknown_names(void **state)
{
	struct lockout_conf c = { .user_max = 3, .peer_max = 5, .delay_s = 0,
				  .lockout_s = 60 };
	struct lockout *lo = lockout_new();
	uint64_t t = 1000000;
	char why[512], name[32];
	unsigned int i, began = 0;

	(void)state;
	for (i = 0; i < 5; i++)
		began |= lockout_failed(lo, &c, NULL, A("203.0.113.9"), t);
	assert_int_equal(began, LOCKOUT_BEGAN_PEER);
	assert_int_equal(check(lo, &c, "bob", "203.0.113.9", t, why), -EACCES);
	assert_non_null(strstr(why, "logins from 203.0.113.9 locked out for 60 more seconds after 5 failed logins (login-failures-per-peer 5 in [ppp])"));
	assert_int_equal(check(lo, &c, "bob", "203.0.113.10", t, why), 0);
	/* a success of a user forgets an address's failures, not its lockout */
	lockout_succeeded(lo, "bob", A("203.0.113.9"), t);
	assert_int_equal(check(lo, &c, "bob", "203.0.113.9", t, why), -EACCES);
	assert_int_equal(check(lo, &c, "bob", "203.0.113.9", t + 60000, why), 0);
	lockout_failed(lo, &c, NULL, A("203.0.113.10"), t);
	assert_int_equal(lockout_peer_failures(lo, A("203.0.113.10")), 1);
	lockout_succeeded(lo, "bob", A("203.0.113.10"), t);
	assert_int_equal(lockout_peer_failures(lo, A("203.0.113.10")), 0);
	/* failures older than login-lockout are forgotten */
	lockout_failed(lo, &c, "carol", A("203.0.113.11"), t);
	lockout_failed(lo, &c, "carol", A("203.0.113.11"), t);
	assert_int_equal(lockout_user_failures(lo, "carol"), 2);
	assert_int_equal(lockout_failed(lo, &c, "carol", A("203.0.113.11"),
					t + 60000), 0);
	assert_int_equal(lockout_user_failures(lo, "carol"), 1);
	/* many names (a wildcard chap-secrets client): bounded tables */
	for (i = 0; i < 3 * LOCKOUT_MAX_RECORDS; i++) {
		snprintf(name, sizeof(name), "u%u", i);
		lockout_failed(lo, &c, name, htonl(0x0a000000 + i), t + i);
	}
	assert_true(lockout_user_failures(lo, "u0") == 0);
	assert_int_equal(lockout_user_failures(lo, "u12287"), 1);
	lockout_free(lo);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delay_doubles_capped),
		cmocka_unit_test(test_user_lockout_spares_usual_address),
		cmocka_unit_test(test_peer_lockout_unknown_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
