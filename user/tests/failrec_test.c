// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the per-peer failure record (common/failrec.c): cause and
 * fix split from a log line, repeats counted, the per-peer ring and the
 * peer table bounded (a flood of sources replaces the oldest peers, never
 * grows), filters by peer and user, newest first.
 */
#include <arpa/inet.h>

#include "helpers.h"
#include "failrec.h"

static struct sockaddr_in sin4(const char *a, uint16_t port)
{
	struct sockaddr_in s = { .sin_family = AF_INET };

	inet_pton(AF_INET, a, &s.sin_addr);
	s.sin_port = htons(port);
	return s;
}

static void test_split(void **state)
{
	char cause[L2_FAIL_CAUSE], fix[L2_FAIL_FIX];

	(void)state;
	l2_fail_split("phase 1: pre-shared key mismatch: message 5 does not decrypt with our key; check the PSK configured for this peer",
		      L2_FC_PSK, cause, sizeof(cause), fix, sizeof(fix));
	assert_string_equal(cause, "phase 1: pre-shared key mismatch: message 5 does not decrypt with our key");
	assert_string_equal(fix, "check the PSK configured for this peer");
	/* no fix in the line: the class's */
	l2_fail_split("phase 2: selector mismatch; peer asks 10.0.0.1",
		      L2_FC_SELECTOR, cause, sizeof(cause), fix, sizeof(fix));
	assert_string_equal(cause, "phase 2: selector mismatch; peer asks 10.0.0.1");
	assert_string_equal(fix, l2_fail_class_fix(L2_FC_SELECTOR));
	/* too long for the buffers: cut, terminated */
	l2_fail_split("x; check aaaaaaaaaaaaaaaaaaaa", L2_FC_OTHER, cause, 1,
		      fix, 6);
	assert_string_equal(cause, "");
	assert_string_equal(fix, "check");
}

struct collect {
	const struct l2_fail	*f[L2_FAIL_PEERS * L2_FAIL_PER_PEER];
	size_t			n;
};

static void collect_one(void *arg, const struct l2_fail *f)
{
	struct collect *c = arg;

	c->f[c->n++] = f;
}

static void test_ring(void **state)
{
	struct l2_failures *fs = malloc(sizeof(*fs));
	struct sockaddr_in a = sin4("192.0.2.10", 4500);
	struct in_addr any = { 0 };
	struct collect c = { .n = 0 };
	char text[64];
	int i;

	(void)state;
	assert_non_null(fs);
	l2_fail_init(fs);
	l2_fail_add(fs, &a, NULL, L2_FC_PSK, "ike", "psk; check the PSK", 100);
	l2_fail_add(fs, &a, NULL, L2_FC_PSK, "ike", "psk; check the PSK", 105);
	assert_int_equal(l2_fail_each(fs, any, NULL, collect_one, &c), 1);
	assert_int_equal(c.f[0]->count, 2);
	assert_int_equal(c.f[0]->first, 100);
	assert_int_equal(c.f[0]->when, 105);
	assert_int_equal(ntohs(c.f[0]->peer.sin_port), 4500);
	/* more than the ring holds: the newest L2_FAIL_PER_PEER, newest first */
	for (i = 0; i < 10; i++) {
		snprintf(text, sizeof(text), "failure %d", i);
		l2_fail_add(fs, &a, "alice", L2_FC_PPP_AUTH, "ppp", text,
			    200 + i);
	}
	c.n = 0;
	assert_int_equal(l2_fail_each(fs, any, NULL, collect_one, &c),
			 L2_FAIL_PER_PEER);
	assert_string_equal(c.f[0]->cause, "failure 9");
	assert_string_equal(c.f[L2_FAIL_PER_PEER - 1]->cause, "failure 6");
	assert_string_equal(c.f[0]->user, "alice");
	assert_string_equal(c.f[0]->fix, l2_fail_class_fix(L2_FC_PPP_AUTH));
	assert_int_equal(fs->total[L2_FC_PPP_AUTH], 10);
	assert_int_equal(fs->total[L2_FC_PSK], 2);
	/* by user */
	c.n = 0;
	assert_int_equal(l2_fail_each(fs, any, "bob", collect_one, &c), 0);
	free(fs);
}

static void test_flood_bounded(void **state)
{
	struct l2_failures *fs = malloc(sizeof(*fs));
	struct sockaddr_in first = sin4("198.51.100.1", 500), a;
	struct in_addr any = { 0 };
	struct collect c = { .n = 0 };
	char addr[32];
	int i;

	(void)state;
	assert_non_null(fs);
	l2_fail_init(fs);
	l2_fail_add(fs, &first, NULL, L2_FC_CERT, "ike", "cert", 1);
	/* 1000 spoofed sources */
	for (i = 0; i < 1000; i++) {
		snprintf(addr, sizeof(addr), "10.%d.%d.1", i / 256, i % 256);
		a = sin4(addr, 500);
		l2_fail_add(fs, &a, NULL, L2_FC_NOTHING_ARRIVES, "ike",
			    "silent", 10 + i);
	}
	assert_int_equal(fs->npeers, L2_FAIL_PEERS);
	assert_int_equal(l2_fail_each(fs, any, NULL, collect_one, &c),
			 L2_FAIL_PEERS);
	/* newest peer first; the oldest (first) went */
	assert_int_equal(c.f[0]->when, 1009);
	c.n = 0;
	assert_int_equal(l2_fail_each(fs, first.sin_addr, NULL, collect_one,
				      &c), 0);
	free(fs);
}

static void test_note_default(void **state)
{
	struct l2_failures *fs = malloc(sizeof(*fs));
	struct sockaddr_in a = sin4("203.0.113.5", 500);
	struct collect c = { .n = 0 };

	(void)state;
	assert_non_null(fs);
	l2_fail_init(fs);
	/* none set: nothing happens */
	l2_fail_set_default(NULL);
	l2_fail_note(&a, NULL, L2_FC_PSK, "ike", "x %d", 1);
	l2_fail_set_default(fs);
	l2_fail_note(&a, "u", L2_FC_MAX + 3, "ike", "cause %d; set mtu", 7);
	assert_int_equal(l2_fail_each(fs, a.sin_addr, NULL, collect_one, &c), 1);
	/* an out-of-range class is "other" */
	assert_int_equal(c.f[0]->cls, L2_FC_OTHER);
	assert_string_equal(c.f[0]->cause, "cause 7");
	assert_string_equal(c.f[0]->fix, "set mtu");
	assert_string_equal(l2_fail_class_name(L2_FC_NO_L2TP),
			    "ipsec-without-l2tp");
	assert_string_equal(l2_fail_class_name(L2_FC_MAX), "?");
	l2_fail_set_default(NULL);
	free(fs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_ring),
		cmocka_unit_test(test_flood_bounded),
		cmocka_unit_test(test_note_default),
	};

	return cmocka_run_group_tests_name("failrec", tests, NULL, NULL);
}
