// SPDX-License-Identifier: GPL-2.0
/*
 * status: the IKE view (what `swanctl --list-sas` gives strongSwan users)
 * from l2tpsecd's control socket ("status" request, daemon/ctl/status.h):
 * ISAKMP SAs, established and half-open; IPsec SA pairs, with the
 * module's byte and packet counts of each SA joined in; L2TP tunnels and
 * sessions; each peer's last failures with their class, cause and fix.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/l2tpsec.h>

#include "cli.h"
#include "ctlclient.h"
#include "ctlproto.h"
#include "escape.h"
#include "json.h"
#include "show.h"
#include "status.h"

static const char *val(const struct l2_ctl_record *r, const char *key)
{
	const char *v = l2_ctl_get(r, key);

	return v ? v : "";
}

static uint64_t num(const struct l2_ctl_record *r, const char *key)
{
	uint64_t v = 0;

	l2_ctl_get_u64(r, key, &v);
	return v;
}

/* The module's SA with @spi (hex text) in @dir, or NULL. */
static const struct l2_sa *find_sa(const struct show_dev *d, const char *spi,
				   uint8_t dir)
{
	unsigned long v;
	char *end;
	size_t i;

	if (!d || !*spi)
		return NULL;
	v = strtoul(spi, &end, 16);
	if (*end)
		return NULL;
	for (i = 0; i < d->n_sas; i++)
		if (d->sas[i].spi == (uint32_t)v && d->sas[i].dir == dir)
			return &d->sas[i];
	return NULL;
}

static void fmt_time(char *buf, size_t len, uint64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!localtime_r(&tt, &tm) ||
	    !strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(buf, len, "%" PRIu64, t);
}

/* Peer-chosen text (IDs, host names, users, causes quoting them). */
#define ESC(buf, s)	l2_escape_str(buf, sizeof(buf), s)

void status_print_failure(struct cli *c, const struct l2_ctl_record *r)
{
	char when[32], ue[L2_ESC_SIZE(L2_CTL_MAX_USER)];
	char ce[L2_ESC_SIZE(600)], fe[L2_ESC_SIZE(300)];

	fmt_time(when, sizeof(when), num(r, "time"));
	fprintf(c->out, "  %s  %s%s%s  class %" PRIu64 " (%s), %s",
		when, val(r, "peer"), l2_ctl_get(r, "port") ? ":" : "",
		val(r, "port"), num(r, "class"), val(r, "class-name"),
		val(r, "layer"));
	if (l2_ctl_get(r, "user"))
		fprintf(c->out, ", user %s", ESC(ue, val(r, "user")));
	if (num(r, "count") > 1)
		fprintf(c->out, ", %" PRIu64 " times", num(r, "count"));
	fprintf(c->out, "\n    cause: %s\n    fix:   %s\n",
		ESC(ce, val(r, "cause")), ESC(fe, val(r, "fix")));
}

void status_json_failure(struct json *js, const struct l2_ctl_record *r)
{
	json_obj_open(js, NULL);
	json_u64(js, "time", num(r, "time"));
	json_u64(js, "first", num(r, "first"));
	json_str(js, "peer", val(r, "peer"));
	if (l2_ctl_get(r, "port"))
		json_u64(js, "port", num(r, "port"));
	json_u64(js, "class", num(r, "class"));
	json_str(js, "class_name", val(r, "class-name"));
	json_str(js, "layer", val(r, "layer"));
	if (l2_ctl_get(r, "user"))
		json_str(js, "user", val(r, "user"));
	json_u64(js, "count", num(r, "count"));
	json_str(js, "cause", val(r, "cause"));
	json_str(js, "fix", val(r, "fix"));
	json_obj_close(js);
}

static void sa_counts(const struct l2_sa *sa, uint64_t *bytes,
		      uint64_t *packets, bool in)
{
	*bytes = sa ? sa->stats.v[in ? L2TPSEC_A_STATS_RX_BYTES :
				       L2TPSEC_A_STATS_TX_BYTES] : 0;
	*packets = sa ? sa->stats.v[in ? L2TPSEC_A_STATS_RX_PACKETS :
					 L2TPSEC_A_STATS_TX_PACKETS] : 0;
}

static void status_text(struct cli *c, const struct l2_ctl_record *daemon,
			const struct answer *a, const struct show_dev *dev)
{
	char ide[L2_ESC_SIZE(256)], he[L2_ESC_SIZE(64)],
	     ue[L2_ESC_SIZE(L2_CTL_MAX_USER)];
	size_t i, half = 0;

	for (i = 0; i < a->n; i++)
		if (!strcmp(a->recs[i]->type, "isakmp") &&
		    !num(a->recs[i], "established"))
			half++;
	fprintf(c->out, "l2tpsecd %s on %s, pid %s, %s session%s\n",
		val(daemon, "version"), val(daemon, "device"),
		val(daemon, "pid"), val(daemon, "sessions"),
		num(daemon, "sessions") == 1 ? "" : "s");

	fprintf(c->out, "\nISAKMP SAs: %zu (%zu half-open)\n",
		answer_count(a, "isakmp"), half);
	for (i = 0; i < a->n; i++) {
		const struct l2_ctl_record *r = a->recs[i];

		if (strcmp(r->type, "isakmp"))
			continue;
		fprintf(c->out, "  %s:%s %s %s, %s mode, age %" PRIu64 " s",
			val(r, "remote"), val(r, "remote-port"),
			val(r, "role"),
			num(r, "established") ? "established" : "half-open",
			val(r, "mode"), num(r, "age"));
		if (!num(r, "established"))
			fprintf(c->out, " (%s)", val(r, "state"));
		if (l2_ctl_get(r, "lifetime"))
			fprintf(c->out, ", lifetime %s s", val(r, "lifetime"));
		fputc('\n', c->out);
		if (l2_ctl_get(r, "proposal"))
			fprintf(c->out, "    %s, %s", val(r, "proposal"),
				val(r, "auth"));
		else
			fputs("    no proposal chosen yet", c->out);
		if (l2_ctl_get(r, "id"))
			fprintf(c->out, ", id %s", ESC(ide, val(r, "id")));
		fprintf(c->out, "\n    NAT-T %s, NAT %s, DPD %s%s, idle %" PRIu64 " s",
			val(r, "nat-t"), val(r, "nat"),
			num(r, "dpd") ? "yes" : "no",
			num(r, "dpd-pending") ? " (R-U-THERE unanswered)" : "",
			num(r, "idle"));
		if (l2_ctl_get(r, "peer-id"))
			fprintf(c->out, ", module peer %s", val(r, "peer-id"));
		fputc('\n', c->out);
	}

	fprintf(c->out, "\nIPsec SA pairs: %zu\n", answer_count(a, "ipsec"));
	for (i = 0; i < a->n; i++) {
		const struct l2_ctl_record *r = a->recs[i];
		uint64_t ib, ip, ob, op;

		if (strcmp(r->type, "ipsec"))
			continue;
		sa_counts(find_sa(dev, val(r, "spi-in"), L2TPSEC_DIR_IN), &ib,
			  &ip, true);
		sa_counts(find_sa(dev, val(r, "spi-out"), L2TPSEC_DIR_OUT), &ob,
			  &op, false);
		fprintf(c->out, "  peer %s %s:%s (%s), %s%s, %s\n"
			"    in  %s: %" PRIu64 " bytes, %" PRIu64 " packets\n"
			"    out %s: %" PRIu64 " bytes, %" PRIu64 " packets\n"
			"    age %" PRIu64 " s, lifetime %" PRIu64 " s",
			val(r, "peer-id"), val(r, "remote"),
			val(r, "remote-port"), val(r, "encap"), val(r, "state"),
			num(r, "tx") ? ", sending" : "", val(r, "proposal"),
			val(r, "spi-in"), ib, ip, val(r, "spi-out"), ob, op,
			num(r, "age"), num(r, "life"));
		if (num(r, "life-bytes"))
			fprintf(c->out, " or %" PRIu64 " bytes",
				num(r, "life-bytes"));
		if (num(r, "rekeying"))
			fputs(", rekeying", c->out);
		fputc('\n', c->out);
	}

	fprintf(c->out, "\nL2TP tunnels: %zu\n", answer_count(a, "tunnel"));
	for (i = 0; i < a->n; i++) {
		const struct l2_ctl_record *r = a->recs[i];

		if (strcmp(r->type, "tunnel"))
			continue;
		fprintf(c->out, "  peer %s tunnel %s/%s %s %s, %" PRIu64 " session%s",
			val(r, "peer-id"), val(r, "tunnel"),
			val(r, "peer-tunnel"), val(r, "role"), val(r, "state"),
			num(r, "sessions"), num(r, "sessions") == 1 ? "" : "s");
		if (l2_ctl_get(r, "host"))
			fprintf(c->out, ", host %s", ESC(he, val(r, "host")));
		if (num(r, "retransmits"))
			fprintf(c->out, ", %" PRIu64 " retransmits",
				num(r, "retransmits"));
		fputc('\n', c->out);
	}

	fprintf(c->out, "\nL2TP sessions: %zu\n", answer_count(a, "session"));
	for (i = 0; i < a->n; i++) {
		const struct l2_ctl_record *r = a->recs[i];

		if (strcmp(r->type, "session"))
			continue;
		fprintf(c->out, "  %s %s, peer %s tunnel %s session %s, %s, %s, up %" PRIu64 " s\n",
			*val(r, "user") ? ESC(ue, val(r, "user")) : "-",
			*val(r, "address") ? val(r, "address") : "-",
			val(r, "peer-id"), val(r, "tunnel"),
			val(r, "session"), val(r, "phase"), val(r, "auth"),
			num(r, "uptime"));
	}

	fprintf(c->out, "\nLast failures: %zu\n", answer_count(a, "failure"));
	for (i = 0; i < a->n; i++)
		if (!strcmp(a->recs[i]->type, "failure"))
			status_print_failure(c, a->recs[i]);
}

static void json_rec_u64(struct json *js, const struct l2_ctl_record *r,
			 const char *key, const char *jkey)
{
	if (l2_ctl_get(r, key))
		json_u64(js, jkey, num(r, key));
}

static void json_rec_str(struct json *js, const struct l2_ctl_record *r,
			 const char *key, const char *jkey)
{
	if (l2_ctl_get(r, key))
		json_str(js, jkey, val(r, key));
}

static void status_json(struct cli *c, const struct l2_ctl_record *daemon,
			const struct answer *a, const struct show_dev *dev)
{
	struct json js;
	size_t i;

	json_init(&js, c->out);
	json_obj_open(&js, NULL);
	json_obj_open(&js, "daemon");
	json_str(&js, "version", val(daemon, "version"));
	json_str(&js, "device", val(daemon, "device"));
	json_u64(&js, "pid", num(daemon, "pid"));
	json_u64(&js, "sessions", num(daemon, "sessions"));
	json_obj_close(&js);

	json_arr_open(&js, "isakmp");
	for (i = 0; i < a->n; i++) {
		const struct l2_ctl_record *r = a->recs[i];

		if (strcmp(r->type, "isakmp"))
			continue;
		json_obj_open(&js, NULL);
		json_str(&js, "remote", val(r, "remote"));
		json_u64(&js, "remote_port", num(r, "remote-port"));
		json_rec_str(&js, r, "local", "local");
		json_str(&js, "role", val(r, "role"));
		json_bool(&js, "established", num(r, "established"));
		json_str(&js, "state", val(r, "state"));
		json_str(&js, "mode", val(r, "mode"));
		json_u64(&js, "age", num(r, "age"));
		json_rec_u64(&js, r, "lifetime", "lifetime");
		json_rec_str(&js, r, "proposal", "proposal");
		json_rec_str(&js, r, "auth", "auth");
		json_rec_str(&js, r, "id", "id");
		json_str(&js, "nat_t", val(r, "nat-t"));
		json_str(&js, "nat", val(r, "nat"));
		json_bool(&js, "dpd", num(r, "dpd"));
		json_bool(&js, "dpd_pending", num(r, "dpd-pending"));
		json_u64(&js, "idle", num(r, "idle"));
		json_rec_u64(&js, r, "peer-id", "peer_id");
		json_obj_close(&js);
	}
	json_arr_close(&js);

	json_arr_open(&js, "ipsec");
	for (i = 0; i < a->n; i++) {
		const struct l2_ctl_record *r = a->recs[i];
		uint64_t b, p;

		if (strcmp(r->type, "ipsec"))
			continue;
		json_obj_open(&js, NULL);
		json_u64(&js, "peer_id", num(r, "peer-id"));
		json_str(&js, "remote", val(r, "remote"));
		json_u64(&js, "remote_port", num(r, "remote-port"));
		json_str(&js, "encap", val(r, "encap"));
		json_str(&js, "state", val(r, "state"));
		json_str(&js, "role", val(r, "role"));
		json_bool(&js, "tx", num(r, "tx"));
		json_str(&js, "proposal", val(r, "proposal"));
		json_u64(&js, "age", num(r, "age"));
		json_u64(&js, "lifetime", num(r, "life"));
		json_u64(&js, "lifetime_bytes", num(r, "life-bytes"));
		json_bool(&js, "rekeying", num(r, "rekeying"));
		json_obj_open(&js, "in");
		json_str(&js, "spi", val(r, "spi-in"));
		sa_counts(find_sa(dev, val(r, "spi-in"), L2TPSEC_DIR_IN), &b,
			  &p, true);
		if (dev) {
			json_u64(&js, "bytes", b);
			json_u64(&js, "packets", p);
		}
		json_obj_close(&js);
		json_obj_open(&js, "out");
		json_str(&js, "spi", val(r, "spi-out"));
		sa_counts(find_sa(dev, val(r, "spi-out"), L2TPSEC_DIR_OUT), &b,
			  &p, false);
		if (dev) {
			json_u64(&js, "bytes", b);
			json_u64(&js, "packets", p);
		}
		json_obj_close(&js);
		json_obj_close(&js);
	}
	json_arr_close(&js);

	json_arr_open(&js, "tunnels");
	for (i = 0; i < a->n; i++) {
		const struct l2_ctl_record *r = a->recs[i];

		if (strcmp(r->type, "tunnel"))
			continue;
		json_obj_open(&js, NULL);
		json_u64(&js, "peer_id", num(r, "peer-id"));
		json_u64(&js, "tunnel", num(r, "tunnel"));
		json_u64(&js, "peer_tunnel", num(r, "peer-tunnel"));
		json_str(&js, "role", val(r, "role"));
		json_str(&js, "state", val(r, "state"));
		json_rec_str(&js, r, "host", "host");
		json_u64(&js, "sessions", num(r, "sessions"));
		json_u64(&js, "retransmits", num(r, "retransmits"));
		json_obj_close(&js);
	}
	json_arr_close(&js);

	json_arr_open(&js, "sessions");
	for (i = 0; i < a->n; i++) {
		const struct l2_ctl_record *r = a->recs[i];

		if (strcmp(r->type, "session"))
			continue;
		json_obj_open(&js, NULL);
		json_str(&js, "user", val(r, "user"));
		json_rec_str(&js, r, "address", "address");
		json_rec_str(&js, r, "outer", "outer");
		json_rec_u64(&js, r, "outer-port", "outer_port");
		json_u64(&js, "peer_id", num(r, "peer-id"));
		json_u64(&js, "tunnel", num(r, "tunnel"));
		json_u64(&js, "session", num(r, "session"));
		json_str(&js, "phase", val(r, "phase"));
		json_str(&js, "auth", val(r, "auth"));
		json_u64(&js, "uptime", num(r, "uptime"));
		json_obj_close(&js);
	}
	json_arr_close(&js);

	json_arr_open(&js, "failures");
	for (i = 0; i < a->n; i++)
		if (!strcmp(a->recs[i]->type, "failure"))
			status_json_failure(&js, a->recs[i]);
	json_arr_close(&js);
	json_obj_close(&js);
	fputc('\n', c->out);
}

int status_fetch(struct cli *c, struct answer *ans,
		 const struct l2_ctl_record **daemon)
{
	size_t i;

	if (ctl_request(c, "status\n", ans))
		return -1;
	if (answer_error(c, ans)) {
		answer_free(ans);
		return -1;
	}
	*daemon = NULL;
	for (i = 0; i < ans->n; i++)
		if (!strcmp(ans->recs[i]->type, "daemon"))
			*daemon = ans->recs[i];
	if (!*daemon) {
		cli_error(c, "l2tpsecd's answer names no device");
		answer_free(ans);
		return -1;
	}
	return 0;
}

static int status_run(struct cli *c, const struct cli_cmd *cmd,
		      struct args *a)
{
	const struct l2_ctl_record *daemon;
	struct show_dev dev;
	struct answer ans;
	bool have_dev = false;

	(void)cmd;
	(void)a;
	if (status_fetch(c, &ans, &daemon))
		return -1;
	/* The counters: without the module (not root) the rest still shows. */
	if (answer_count(&ans, "ipsec")) {
		if (!show_fetch_dev(c, val(daemon, "device"), &dev))
			have_dev = true;
		else
			cli_error(c, "the module's view of %s is missing: SA byte counts left out",
				  val(daemon, "device"));
	}
	if (c->json)
		status_json(c, daemon, &ans, have_dev ? &dev : NULL);
	else
		status_text(c, daemon, &ans, have_dev ? &dev : NULL);
	if (have_dev)
		show_dev_free(&dev);
	answer_free(&ans);
	return 0;
}

const struct cli_cmd status_cmds[] = {
	{
		.object = "status", .usage = "",
		.run = status_run,
	},
	{ .object = NULL }
};
