// SPDX-License-Identifier: GPL-2.0
/*
 * Log lines: "LAYER PEER: TEXT", "LAYER: TEXT", one line whatever the
 * text holds, levels.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "log.h"

static char last[1100];
static int lines;

static void sink(void *arg, enum log_level lvl, const char *line)
{
	(void)arg;
	(void)lvl;
	snprintf(last, sizeof(last), "%s", line);
	lines++;
}

static void test_format(void **state)
{
	struct sockaddr_in p = { .sin_family = AF_INET,
				 .sin_port = htons(4500) };

	(void)state;
	inet_pton(AF_INET, "203.0.113.7", &p.sin_addr);
	log_set_sink(sink, NULL);
	log_set_level(LOG_LVL_INFO);
	log_peer(LOG_LVL_ERR, LOG_IKE, &p,
		 "phase 1: pre-shared key mismatch: %s", "x");
	assert_string_equal(last,
		"ike 203.0.113.7:4500: phase 1: pre-shared key mismatch: x");
	p.sin_port = 0;
	log_peer(LOG_LVL_WARN, LOG_L2TP, &p, "no port");
	assert_string_equal(last, "l2tp 203.0.113.7: no port");
	log_msg(LOG_LVL_INFO, LOG_CONFIG, "two\nlines\r");
	assert_string_equal(last, "config: two\\x0alines\\x0d");
	log_peer(LOG_LVL_INFO, LOG_KERNEL, NULL, "no peer");
	assert_string_equal(last, "kernel: no peer");
	lines = 0;
	log_msg(LOG_LVL_DEBUG, LOG_CORE, "hidden");
	assert_int_equal(lines, 0);
	log_set_level(LOG_LVL_DEBUG);
	log_msg(LOG_LVL_DEBUG, LOG_AUTH, "shown");
	assert_int_equal(lines, 1);
	assert_string_equal(last, "auth: shown");
	log_set_sink(NULL, NULL);
}

/*
 * A peer that sends 10,000 bad packets gets a bounded number of lines,
 * not 10,000.
 */
static void test_flood(void **state)
{
	struct sockaddr_in p = { .sin_family = AF_INET };
	int i;

	(void)state;
	inet_pton(AF_INET, "203.0.113.9", &p.sin_addr);
	log_set_sink(sink, NULL);
	log_set_level(LOG_LVL_INFO);
	lines = 0;
	for (i = 0; i < 10000; i++)
		log_peer(LOG_LVL_WARN, LOG_IKE, &p,
			 "dropped message 1 at the limit (%d)", i);
	assert_true(lines > 0);
	assert_true(lines <= 20);
	log_set_sink(NULL, NULL);
}

static uint64_t fake_now;

static uint64_t fake_clock(void)
{
	return fake_now;
}

/*
 * The limit's numbers: 10 lines of a kind, then one a second; the flood's
 * end reported as one summary line naming the count and the setting;
 * other kinds unaffected; 0 lifts the limit.
 */
static void test_flood_summary(void **state)
{
	int i;

	(void)state;
	fake_now = 1000;
	log_set_clock(fake_clock);
	log_set_burst(10);
	log_set_sink(sink, NULL);
	log_set_level(LOG_LVL_INFO);
	lines = 0;
	for (i = 0; i < 10000; i++)
		log_msg(LOG_LVL_WARN, LOG_PPP, "Mode-Config packet %d", i);
	assert_int_equal(lines, 10);
	/* another kind still gets through */
	log_msg(LOG_LVL_ERR, LOG_AUTH, "other kind");
	assert_int_equal(lines, 11);
	assert_string_equal(last, "auth: other kind");
	/* nothing yet to flush: no token */
	log_flush_suppressed();
	assert_int_equal(lines, 11);
	fake_now += 1000;
	log_flush_suppressed();
	assert_int_equal(lines, 12);
	assert_string_equal(last,
		"ppp: 9990 similar lines suppressed (rate limit: [daemon] log-burst 10, then 1/s), the last: ppp: Mode-Config packet 9999");
	log_flush_suppressed();
	assert_int_equal(lines, 12);
	/* one a second after the burst, and the count comes first */
	fake_now += 5000;
	log_msg(LOG_LVL_WARN, LOG_PPP, "Mode-Config packet %d", 1);
	assert_int_equal(lines, 13);
	log_msg(LOG_LVL_WARN, LOG_PPP, "Mode-Config packet %d", 2);
	log_msg(LOG_LVL_WARN, LOG_PPP, "Mode-Config packet %d", 3);
	assert_int_equal(lines, 15);
	/* the global limit: 50 a second over all kinds */
	fake_now += 60000;
	lines = 0;
	log_set_clock(fake_clock);
	for (i = 0; i < 60; i++) {
		static char fmts[60][16];

		/* distinct kinds: distinct format strings */
		snprintf(fmts[i], sizeof(fmts[i]), "kind %d", i);
		log_msg(LOG_LVL_WARN, LOG_CORE, fmts[i], 0);
	}
	assert_int_equal(lines, 50);
	log_set_burst(0);
	lines = 0;
	for (i = 0; i < 1000; i++)
		log_msg(LOG_LVL_WARN, LOG_PPP, "unlimited %d", i);
	assert_int_equal(lines, 1000);
	log_set_burst(10);
	log_set_clock(NULL);
	log_set_sink(NULL, NULL);
}

/*
 * Bytes from a peer cannot forge lines or drive the terminal: C0
 * controls, DEL, C1 controls (0x80..0x9f) and the rest of 0x80..0xff are
 * escaped, whatever the format string passed through.
 */
static void test_escape(void **state)
{
	const char evil[] = "a\x01\x1b[31mred\x7f\x85\x9b" "2J\xc3\xa9\nike 1.2.3.4: forged";

	(void)state;
	log_set_sink(sink, NULL);
	log_set_level(LOG_LVL_INFO);
	log_msg(LOG_LVL_INFO, LOG_AUTH, "user '%s'", evil);
	assert_string_equal(last,
		"auth: user 'a\\x01\\x1b[31mred\\x7f\\x85\\x9b2J\\xc3\\xa9\\x0aike 1.2.3.4: forged'");
	log_set_sink(NULL, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_flood),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_flood_summary),
	};

	return cmocka_run_group_tests_name("core_log", tests, NULL, NULL);
}
