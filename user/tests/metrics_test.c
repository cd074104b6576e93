// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsec metrics: the exposition text for a device with counters and a
 * daemon's status answer (established and half-open ISAKMP SAs, failure
 * records summed by class), and for no daemon; label values escaped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "metrics.h"

static char *render(const struct show_dev *d, size_t n,
		    const struct answer *st)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	metrics_render(f, d, n, st);
	fclose(f);
	return buf;
}

static struct l2_ctl_record *rec(const char *line)
{
	struct l2_ctl_record *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	assert_int_equal(l2_ctl_parse(line, strlen(line), r), 0);
	return r;
}

static void test_device_and_daemon(void **state)
{
	struct show_dev d = { 0 };
	struct l2_ctl_record *recs[5];
	struct answer st = { .recs = recs, .n = 5 };
	char *out;
	size_t i;

	(void)state;
	snprintf(d.dev.ifname, sizeof(d.dev.ifname), "l2tpsec0");
	d.dev.stats.v[L2TPSEC_A_STATS_RX_BYTES] = 123456789012ULL;
	d.dev.stats.v[L2TPSEC_A_STATS_ICV_FAILS] = 7;
	d.dev.stats.v[L2TPSEC_A_STATS_INNER_SOURCE_DROPS] = 3;
	d.n_peers = 2;
	d.n_sas = 4;
	d.n_sessions = 2;
	recs[0] = rec("daemon version=x pid=1\n");
	recs[1] = rec("isakmp remote=192.0.2.2 established=1\n");
	recs[2] = rec("isakmp remote=192.0.2.3 established=0\n");
	recs[3] = rec("failure peer=192.0.2.9 count=3 class=3 class-name=psk\n");
	recs[4] = rec("failure peer=192.0.2.8 count=2 class=3 class-name=psk\n");
	out = render(&d, 1, &st);
	assert_non_null(strstr(out, "# TYPE l2tpsec_rx_bytes_total counter\n"));
	assert_non_null(strstr(out, "l2tpsec_rx_bytes_total{device=\"l2tpsec0\"} 123456789012\n"));
	assert_non_null(strstr(out, "l2tpsec_drops_total{device=\"l2tpsec0\",reason=\"icv\"} 7\n"));
	assert_non_null(strstr(out, "l2tpsec_drops_total{device=\"l2tpsec0\",reason=\"inner-source\"} 3\n"));
	assert_non_null(strstr(out, "l2tpsec_drops_total{device=\"l2tpsec0\",reason=\"replay\"} 0\n"));
	assert_non_null(strstr(out, "l2tpsec_sas{device=\"l2tpsec0\"} 4\n"));
	assert_non_null(strstr(out, "l2tpsec_daemon_up 1\n"));
	assert_non_null(strstr(out, "l2tpsec_isakmp_sas{state=\"established\"} 1\n"));
	assert_non_null(strstr(out, "l2tpsec_isakmp_sas{state=\"half_open\"} 1\n"));
	assert_non_null(strstr(out, "l2tpsec_recent_failures{class=\"psk\"} 5\n"));
	/* every sample line names a metric that has its TYPE line */
	for (char *l = out; *l; l = strchr(l, '\n') + 1) {
		char name[64];

		if (*l != '#') {
			char type[96];

			assert_int_equal(sscanf(l, "%63[a-z0-9_]", name), 1);
			snprintf(type, sizeof(type), "# TYPE %s ", name);
			assert_non_null(strstr(out, type));
		}
	}
	free(out);
	for (i = 0; i < st.n; i++)
		free(recs[i]);
}

static void test_no_daemon_and_escaping(void **state)
{
	struct show_dev d = { 0 };
	char *out;

	(void)state;
	snprintf(d.dev.ifname, sizeof(d.dev.ifname), "a\"b\\c");
	out = render(&d, 1, NULL);
	assert_non_null(strstr(out, "l2tpsec_daemon_up 0\n"));
	assert_null(strstr(out, "l2tpsec_isakmp_sas{"));
	assert_non_null(strstr(out, "l2tpsec_device_up{device=\"a\\\"b\\\\c\"} 1\n"));
	assert_non_null(strstr(out, "l2tpsec_module_up 1\n"));
	free(out);
	out = render(NULL, 0, NULL);
	assert_non_null(strstr(out, "l2tpsec_module_up 0\n"));
	assert_null(strstr(out, "l2tpsec_device_up{"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_device_and_daemon),
		cmocka_unit_test(test_no_daemon_and_escaping),
	};

	return cmocka_run_group_tests_name("metrics", tests, NULL, NULL);
}
