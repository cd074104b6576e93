// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsec metrics: see metrics.h. Counters the module keeps per device
 * are counters (_total); what the daemon holds now (SAs, tunnels, its
 * bounded failure record) are gauges.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "metrics.h"
#include "print.h"

static void help(FILE *f, const char *name, const char *type,
		 const char *text)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, text, name, type);
}

/* A label value: backslash, quote and newline escaped, as the format says. */
static void label(FILE *f, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			fprintf(f, "\\%c", *v);
		else if (*v == '\n')
			fputs("\\n", f);
		else
			fputc(*v, f);
	}
}

static void dev_value(FILE *f, const char *name, const char *dev,
		      uint64_t v)
{
	fprintf(f, "%s{device=\"", name);
	label(f, dev);
	fprintf(f, "\"} %" PRIu64 "\n", v);
}

static void module_metrics(FILE *f, const struct show_dev *devs, size_t n)
{
	static const struct {
		int		attr;
		const char	*name, *text;
	} traffic[] = {
		{ L2TPSEC_A_STATS_RX_PACKETS, "l2tpsec_rx_packets_total",
		  "Inner packets received from clients" },
		{ L2TPSEC_A_STATS_RX_BYTES, "l2tpsec_rx_bytes_total",
		  "Inner bytes received from clients" },
		{ L2TPSEC_A_STATS_TX_PACKETS, "l2tpsec_tx_packets_total",
		  "Inner packets sent to clients" },
		{ L2TPSEC_A_STATS_TX_BYTES, "l2tpsec_tx_bytes_total",
		  "Inner bytes sent to clients" },
	};
	const char *reason;
	size_t i, k;
	int attr;

	help(f, "l2tpsec_module_up", "gauge",
	     "1 when the module's devices could be read (loaded, and we may ask)");
	fprintf(f, "l2tpsec_module_up %d\n", devs ? 1 : 0);
	help(f, "l2tpsec_device_up", "gauge",
	     "1 for each l2tpsec device of the module");
	for (i = 0; i < n; i++)
		dev_value(f, "l2tpsec_device_up", devs[i].dev.ifname, 1);
	for (k = 0; k < sizeof(traffic) / sizeof(traffic[0]); k++) {
		help(f, traffic[k].name, "counter", traffic[k].text);
		for (i = 0; i < n; i++)
			dev_value(f, traffic[k].name, devs[i].dev.ifname,
				  devs[i].dev.stats.v[traffic[k].attr]);
	}
	help(f, "l2tpsec_drops_total", "counter",
	     "Packets dropped or failed by the module, by reason");
	for (i = 0; i < n; i++)
		for (k = 0; print_drop_stat(k, &attr, &reason); k++) {
			fputs("l2tpsec_drops_total{device=\"", f);
			label(f, devs[i].dev.ifname);
			fprintf(f, "\",reason=\"%s\"} %" PRIu64 "\n", reason,
				devs[i].dev.stats.v[attr]);
		}
	help(f, "l2tpsec_peers", "gauge", "Module peers (one per client outer address and port)");
	for (i = 0; i < n; i++)
		dev_value(f, "l2tpsec_peers", devs[i].dev.ifname,
			  devs[i].n_peers);
	help(f, "l2tpsec_sas", "gauge", "ESP SAs in the module");
	for (i = 0; i < n; i++)
		dev_value(f, "l2tpsec_sas", devs[i].dev.ifname, devs[i].n_sas);
	help(f, "l2tpsec_sessions", "gauge", "L2TP sessions in the module");
	for (i = 0; i < n; i++)
		dev_value(f, "l2tpsec_sessions", devs[i].dev.ifname,
			  devs[i].n_sessions);
}

static void daemon_metrics(FILE *f, const struct answer *st)
{
	uint64_t established = 0, half_open = 0, v;
	const char *classes[32];
	uint64_t counts[32];
	size_t i, k, nclass = 0;

	help(f, "l2tpsec_daemon_up", "gauge",
	     "1 when l2tpsecd answered on its control socket");
	fprintf(f, "l2tpsec_daemon_up %d\n", st ? 1 : 0);
	if (!st)
		return;
	for (i = 0; i < st->n; i++) {
		const struct l2_ctl_record *r = st->recs[i];
		const char *cls;

		if (!strcmp(r->type, "isakmp")) {
			if (!l2_ctl_get_u64(r, "established", &v) && v)
				established++;
			else
				half_open++;
		} else if (!strcmp(r->type, "failure")) {
			cls = l2_ctl_get(r, "class-name");
			if (!cls || l2_ctl_get_u64(r, "count", &v))
				continue;
			for (k = 0; k < nclass && strcmp(classes[k], cls); k++)
				;
			if (k == nclass) {
				if (nclass == sizeof(classes) / sizeof(classes[0]))
					continue;
				classes[nclass] = cls;
				counts[nclass++] = 0;
			}
			counts[k] += v;
		}
	}
	help(f, "l2tpsec_isakmp_sas", "gauge", "ISAKMP SAs by state");
	fprintf(f, "l2tpsec_isakmp_sas{state=\"established\"} %" PRIu64 "\n",
		established);
	fprintf(f, "l2tpsec_isakmp_sas{state=\"half_open\"} %" PRIu64 "\n",
		half_open);
	help(f, "l2tpsec_ipsec_sa_pairs", "gauge", "IPsec SA pairs");
	fprintf(f, "l2tpsec_ipsec_sa_pairs %zu\n", answer_count(st, "ipsec"));
	help(f, "l2tpsec_l2tp_tunnels", "gauge", "L2TP tunnels");
	fprintf(f, "l2tpsec_l2tp_tunnels %zu\n", answer_count(st, "tunnel"));
	help(f, "l2tpsec_l2tp_sessions", "gauge", "L2TP sessions (PPP links)");
	fprintf(f, "l2tpsec_l2tp_sessions %zu\n", answer_count(st, "session"));
	help(f, "l2tpsec_recent_failures", "gauge",
	     "Failures in the daemon's bounded record (64 peers, 4 newest each), by class");
	for (k = 0; k < nclass; k++) {
		fputs("l2tpsec_recent_failures{class=\"", f);
		label(f, classes[k]);
		fprintf(f, "\"} %" PRIu64 "\n", counts[k]);
	}
}

void metrics_render(FILE *f, const struct show_dev *devs, size_t n,
		    const struct answer *status)
{
	module_metrics(f, devs, n);
	daemon_metrics(f, status);
}
