// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the session history file (daemon/diag/history.c): records
 * read back with every field, filters by user and time, the file stays
 * within history-size however many sessions end (the oldest go, the
 * newest stay), a user name with a newline and '=' stays one record, a
 * damaged line (a crash mid-write) is skipped, and it survives a reopen
 * (a daemon restart).
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

#include "ctlproto.h"
#include "diag/history.h"
#include "log.h"

struct got {
	struct l2_ctl_record	r;
	unsigned int		n;
	char			first_user[80], last_user[80];
};

static void one(void *arg, const char *line, size_t len)
{
	struct got *g = arg;

	assert_int_equal(line[len - 1], '\n');
	assert_int_equal(l2_ctl_parse(line, len, &g->r), 0);
	if (!g->n)
		snprintf(g->first_user, sizeof(g->first_user), "%s",
			 l2_ctl_get(&g->r, "user"));
	snprintf(g->last_user, sizeof(g->last_user), "%s",
		 l2_ctl_get(&g->r, "user"));
	g->n++;
}

static void rec(struct diag_hist_rec *r, struct sockaddr_in *p,
		const char *user, time_t start)
{
	memset(r, 0, sizeof(*r));
	memset(p, 0, sizeof(*p));
	p->sin_family = AF_INET;
	inet_pton(AF_INET, "192.0.2.9", &p->sin_addr);
	p->sin_port = htons(4500);
	r->user = user;
	r->peer = p;
	inet_pton(AF_INET, "10.99.0.11", &r->address);
	r->start = start;
	r->duration_s = 60;
	r->rx_bytes = 1000;
	r->rx_packets = 10;
	r->tx_bytes = 2000;
	r->tx_packets = 20;
	r->reason = "LCP echo timeout";
	r->detail = "3 LCP Echo-Requests unanswered";
}

static void test_roundtrip_filters(void **state)
{
	char dir[] = "/tmp/l2tpsec-hist-XXXXXX", path[64];
	struct got *g = calloc(1, sizeof(*g));
	struct diag_hist_rec r;
	struct sockaddr_in p;
	struct diag_history *h;

	(void)state;
	assert_non_null(g);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/history", dir);
	h = diag_history_open(path, 65536, true);
	assert_non_null(h);
	rec(&r, &p, "alice", 1000);
	assert_int_equal(diag_history_add(h, &r), 0);
	rec(&r, &p, "bob\nx=1", 2000);
	assert_int_equal(diag_history_add(h, &r), 0);
	rec(&r, &p, "alice", 3000);
	r.reason = "logout";
	r.detail = NULL;
	assert_int_equal(diag_history_add(h, &r), 0);
	/* a restart: the same file again */
	diag_history_close(h);
	h = diag_history_open(path, 65536, true);
	assert_non_null(h);
	assert_int_equal(diag_history_each(h, NULL, 0, one, g), 3);
	assert_string_equal(g->first_user, "alice");
	memset(g, 0, sizeof(*g));
	assert_int_equal(diag_history_each(h, "bob\nx=1", 0, one, g), 1);
	assert_string_equal(l2_ctl_get(&g->r, "peer"), "192.0.2.9");
	assert_string_equal(l2_ctl_get(&g->r, "port"), "4500");
	assert_string_equal(l2_ctl_get(&g->r, "address"), "10.99.0.11");
	assert_string_equal(l2_ctl_get(&g->r, "start"), "2000");
	assert_string_equal(l2_ctl_get(&g->r, "duration"), "60");
	assert_string_equal(l2_ctl_get(&g->r, "rx-bytes"), "1000");
	assert_string_equal(l2_ctl_get(&g->r, "tx-packets"), "20");
	assert_string_equal(l2_ctl_get(&g->r, "reason"), "LCP echo timeout");
	assert_string_equal(l2_ctl_get(&g->r, "detail"), "3 LCP Echo-Requests unanswered");
	/* ended at or after 2050: the last two (2000 + 60 and 3000 + 60) */
	memset(g, 0, sizeof(*g));
	assert_int_equal(diag_history_each(h, NULL, 2050, one, g), 2);
	memset(g, 0, sizeof(*g));
	assert_int_equal(diag_history_each(h, "alice", 2050, one, g), 1);
	assert_string_equal(l2_ctl_get(&g->r, "reason"), "logout");
	assert_null(l2_ctl_get(&g->r, "detail"));
	diag_history_close(h);
	/* a damaged line is skipped */
	{
		FILE *f = fopen(path, "a");

		assert_non_null(f);
		fputs("session user=half start=%zz\nnot a record at all\n", f);
		fclose(f);
	}
	h = diag_history_open(path, 65536, true);
	memset(g, 0, sizeof(*g));
	assert_int_equal(diag_history_each(h, NULL, 0, one, g), 3);
	diag_history_close(h);
	unlink(path);
	rmdir(dir);
	free(g);
}

static void test_bounded(void **state)
{
	char dir[] = "/tmp/l2tpsec-hist-XXXXXX", path[64], user[32];
	struct got *g = calloc(1, sizeof(*g));
	struct diag_hist_rec r;
	struct sockaddr_in p;
	struct diag_history *h;
	struct stat st;
	int i;

	(void)state;
	assert_non_null(g);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/history", dir);
	h = diag_history_open(path, DIAG_HISTORY_MIN, true);
	assert_non_null(h);
	for (i = 0; i < 500; i++) {
		snprintf(user, sizeof(user), "user%d", i);
		rec(&r, &p, user, 1000 + i);
		assert_int_equal(diag_history_add(h, &r), 0);
		assert_int_equal(stat(path, &st), 0);
		assert_true(st.st_size <= (off_t)DIAG_HISTORY_MIN);
	}
	assert_true(diag_history_each(h, NULL, 0, one, g) > 5);
	/* whole lines only; the newest kept, the oldest gone */
	assert_string_equal(g->last_user, "user499");
	assert_string_not_equal(g->first_user, "user0");
	diag_history_close(h);
	unlink(path);
	rmdir(dir);
	free(g);
}

static void test_open_fails(void **state)
{
	(void)state;
	assert_null(diag_history_open("/nonexistent-dir/history", 65536, true));
	assert_null(diag_history_open("/nonexistent-dir/history", 65536, false));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_filters),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_open_fails),
	};

	log_init("diag_history_test", LOG_LVL_ERR, 0);
	return cmocka_run_group_tests_name("diag_history", tests, NULL, NULL);
}
