// SPDX-License-Identifier: GPL-2.0
/*
 * history [user NAME] [since SECONDS]: the ended sessions l2tpsecd kept
 * (daemon/diag/history.h), from its control socket: user, peer, address,
 * start, duration, bytes and packets both ways, why it ended.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "args.h"
#include "cli.h"
#include "ctlclient.h"
#include "ctlproto.h"
#include "escape.h"
#include "json.h"

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

static const struct arg_spec history_args[] = {
	{ "user",  ARG_STR, 0, 0, 0, NULL },
	{ "since", ARG_U32, 0, 0, 0, NULL },
};

static int history_run(struct cli *c, const struct cli_cmd *cmd,
		       struct args *a)
{
	char req[L2_CTL_MAX_LINE + 1], when[32], ue[L2_ESC_SIZE(L2_CTL_MAX_USER)],
	     de[L2_ESC_SIZE(200)];
	struct l2_ctl_line line;
	struct answer ans;
	struct json js;
	size_t i;

	(void)cmd;
	l2_ctl_begin(&line, "history");
	if (args_has(a, "user")) {
		const char *u = args_get(a, "user")->text;

		if (strlen(u) > L2_CTL_MAX_USER) {
			cli_error(c, "user: at most %u characters", L2_CTL_MAX_USER);
			return -1;
		}
		l2_ctl_put(&line, "user", u);
	}
	/* since N: the sessions that ended in the last N seconds */
	if (args_has(a, "since"))
		l2_ctl_put_u64(&line, "since",
			       (uint64_t)time(NULL) - args_u64(a, "since"));
	if (l2_ctl_end(&line)) {
		cli_error(c, "request too long");
		return -1;
	}
	memcpy(req, line.buf, line.len);
	req[line.len] = '\0';
	if (ctl_request(c, req, &ans))
		return -1;
	if (answer_error(c, &ans)) {
		answer_free(&ans);
		return -1;
	}
	if (c->json) {
		json_init(&js, c->out);
		json_arr_open(&js, NULL);
	} else {
		fprintf(c->out, "%-19s %-16s %-21s %-15s %9s %21s %21s  %s\n",
			"START", "USER", "PEER", "ADDRESS", "DURATION",
			"RX BYTES/PACKETS", "TX BYTES/PACKETS", "END");
	}
	for (i = 0; i < ans.n; i++) {
		const struct l2_ctl_record *r = ans.recs[i];
		time_t t;
		struct tm tm;
		char peer[32], rx[32], tx[32];

		if (strcmp(r->type, "session"))
			continue;
		if (c->json) {
			json_obj_open(&js, NULL);
			json_str(&js, "user", val(r, "user"));
			json_str(&js, "peer", val(r, "peer"));
			json_u64(&js, "port", num(r, "port"));
			json_str(&js, "address", val(r, "address"));
			json_u64(&js, "start", num(r, "start"));
			json_u64(&js, "duration", num(r, "duration"));
			json_u64(&js, "rx_bytes", num(r, "rx-bytes"));
			json_u64(&js, "rx_packets", num(r, "rx-packets"));
			json_u64(&js, "tx_bytes", num(r, "tx-bytes"));
			json_u64(&js, "tx_packets", num(r, "tx-packets"));
			json_str(&js, "reason", val(r, "reason"));
			if (l2_ctl_get(r, "detail"))
				json_str(&js, "detail", val(r, "detail"));
			json_obj_close(&js);
			continue;
		}
		t = (time_t)num(r, "start");
		if (!localtime_r(&t, &tm) ||
		    !strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm))
			snprintf(when, sizeof(when), "%" PRIu64, num(r, "start"));
		snprintf(peer, sizeof(peer), "%s:%" PRIu64, val(r, "peer"),
			 num(r, "port"));
		snprintf(rx, sizeof(rx), "%" PRIu64 "/%" PRIu64,
			 num(r, "rx-bytes"), num(r, "rx-packets"));
		snprintf(tx, sizeof(tx), "%" PRIu64 "/%" PRIu64,
			 num(r, "tx-bytes"), num(r, "tx-packets"));
		fprintf(c->out, "%-19s %-16s %-21s %-15s %8" PRIu64 "s %21s %21s  %s%s%s\n",
			when, l2_escape_str(ue, sizeof(ue), val(r, "user")),
			peer, *val(r, "address") ? val(r, "address") : "-",
			num(r, "duration"), rx, tx, val(r, "reason"),
			l2_ctl_get(r, "detail") ? ": " : "",
			l2_escape_str(de, sizeof(de), val(r, "detail")));
	}
	if (c->json) {
		json_arr_close(&js);
		fputc('\n', c->out);
	}
	answer_free(&ans);
	return 0;
}

const struct cli_cmd history_cmds[] = {
	{
		.object = "history", .usage = "[user NAME] [since SECONDS]",
		.args = history_args, .nargs = ARRAY_SIZE(history_args),
		.run = history_run,
	},
	{ .object = NULL }
};
