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
	assert_string_equal(last, "config: two lines ");
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests_name("core_log", tests, NULL, NULL);
}
