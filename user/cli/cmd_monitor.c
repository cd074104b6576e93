// SPDX-License-Identifier: GPL-2.0
/*
 * monitor: the module's events (SA expiry, first use, peer float, lost
 * frames) and the daemon's (login, logout, authentication and IKE
 * failures, rekeys, peer floats, the other failure classes) one per line
 * with a timestamp, until interrupted (monitor.h).
 *
 *   l2tpsec [-j] monitor [all|daemon|module]
 *
 * "all" (the default) shows what it can get: without the module (or
 * without the right to its events) the daemon's, without a daemon the
 * module's, each said once on stderr; asked for one source, its absence
 * is an error.
 */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <linux/l2tpsec.h>

#include "cli.h"
#include "ctlclient.h"
#include "ctlproto.h"
#include "escape.h"
#include "json.h"
#include "monitor.h"
#include "objects.h"
#include "print.h"

/* ---- formatting ------------------------------------------------------------ */

uint64_t monitor_now_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (uint64_t)tv.tv_sec * 1000 + (uint64_t)tv.tv_usec / 1000;
}

const char *monitor_time(char *buf, size_t len, uint64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	char date[32], zone[8];
	struct tm tm;

	if (!localtime_r(&t, &tm) ||
	    !strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm) ||
	    !strftime(zone, sizeof(zone), "%z", &tm)) {
		snprintf(buf, len, "%llu.%03u", (unsigned long long)(ms / 1000),
			 (unsigned int)(ms % 1000));
		return buf;
	}
	snprintf(buf, len, "%s.%03u%s", date, (unsigned int)(ms % 1000), zone);
	return buf;
}

static const char *get(const struct l2_ctl_record *r, const char *key)
{
	return l2_ctl_get(r, key);
}

static uint64_t get_num(const struct l2_ctl_record *r, const char *key,
			bool *ok)
{
	uint64_t v = 0;

	*ok = !l2_ctl_get_u64(r, key, &v);
	return v;
}

/* " KEY VALUE" in text, the value escaped, when present. */
static void text_kv(FILE *f, const char *key, const char *v)
{
	char e[L2_ESC_SIZE(512)];

	if (v && *v)
		fprintf(f, " %s %s", key, l2_escape_str(e, sizeof(e), v));
}

static void daemon_text(FILE *f, const struct l2_ctl_record *r,
			const char *kind, const char *when)
{
	char e[L2_ESC_SIZE(1024)], pe[L2_ESC_SIZE(64)];
	const char *peer = get(r, "peer"), *port = get(r, "port");

	fprintf(f, "%s daemon %s", when, l2_escape_str(e, 64, kind));
	if (peer && *peer) {
		fprintf(f, " peer %s", l2_escape_str(pe, sizeof(pe), peer));
		if (port && *port)
			fprintf(f, ":%s", l2_escape_str(pe, sizeof(pe), port));
	}
	text_kv(f, "user", get(r, "user"));
	text_kv(f, "address", get(r, "address"));
	text_kv(f, "class", get(r, "class-name"));
	text_kv(f, "layer", get(r, "layer"));
	if (get(r, "detail") && *get(r, "detail"))
		fprintf(f, ": %s", l2_escape_str(e, sizeof(e), get(r, "detail")));
	fputc('\n', f);
}

static void daemon_json(FILE *f, const struct l2_ctl_record *r,
			const char *kind, const char *when, uint64_t ms)
{
	static const char *const strs[][2] = {
		{ "peer", "peer" }, { "user", "user" },
		{ "address", "address" }, { "class-name", "class_name" },
		{ "layer", "layer" }, { "detail", "detail" },
	};
	struct json j;
	uint64_t v;
	size_t i;
	bool ok;

	json_init(&j, f);
	json_obj_open(&j, NULL);
	json_str(&j, "time", when);
	json_u64(&j, "time_ms", ms);
	json_str(&j, "source", "daemon");
	json_str(&j, "event", kind);
	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		if (get(r, strs[i][0]))
			json_str(&j, strs[i][1], get(r, strs[i][0]));
	v = get_num(r, "port", &ok);
	if (ok)
		json_u64(&j, "port", v);
	v = get_num(r, "class", &ok);
	if (ok)
		json_u64(&j, "class", v);
	v = get_num(r, "count", &ok);
	if (ok)
		json_u64(&j, "count", v);
	/* (the top level's close ends the line) */
	json_obj_close(&j);
}

int monitor_daemon_record(FILE *f, bool json, const struct l2_ctl_record *r)
{
	char when[48];
	const char *kind;
	uint64_t ms, lost;
	bool ok;

	if (!strcmp(r->type, "lost")) {
		/* said by the daemon, stamped when we read it */
		ms = monitor_now_ms();
		monitor_time(when, sizeof(when), ms);
		lost = get_num(r, "count", &ok);
		if (json)
			daemon_json(f, r, "lost", when, ms);
		else
			fprintf(f, "%s daemon lost %llu event%s: this monitor read too slowly and the daemon does not wait (event-queue in [daemon])\n",
				when, (unsigned long long)lost,
				lost == 1 ? "" : "s");
		return 1;
	}
	if (strcmp(r->type, "event"))
		return 0;
	kind = get(r, "kind");
	if (!kind || !*kind)
		kind = "?";
	ms = get_num(r, "time-ms", &ok);
	if (!ok)
		ms = monitor_now_ms();
	monitor_time(when, sizeof(when), ms);
	if (json)
		daemon_json(f, r, kind, when, ms);
	else
		daemon_text(f, r, kind, when);
	return 1;
}

void monitor_module_event(FILE *f, bool json, uint64_t ms,
			  const struct l2_event *e, const char *ifname)
{
	char when[48];
	struct json j;

	monitor_time(when, sizeof(when), ms);
	if (json) {
		json_init(&j, f);
		json_event_at(&j, e, ifname, when, ms);
	} else {
		fprintf(f, "%s module ", when);
		print_event(f, e, ifname);
	}
}

/* ---- the command ------------------------------------------------------------- */

struct monitor {
	struct cli	*c;
	int		fd;		/* the daemon's stream, -1: none */
	bool		only_daemon;
	bool		have_module;
	char		buf[L2_CTL_MAX_LINE * 2];
	size_t		have;
	struct l2_ctl_record rec;
};

static int event_rx(const struct nlmsghdr *nlh, void *arg)
{
	struct cli *c = arg;
	char ifname[IF_NAMESIZE];
	const char *name = NULL;
	struct l2_event event;

	if (l2nl_genl_cmd(nlh) != L2TPSEC_CMD_EVENT)
		return 0;
	if (l2_decode_event(nlh, &event) < 0) {
		cli_error(c, "malformed event from the kernel, skipped");
		return 0;
	}
	if (event.ifindex && if_indextoname(event.ifindex, ifname))
		name = ifname;
	monitor_module_event(c->out, c->json, monitor_now_ms(), &event, name);
	fflush(c->out);
	return 0;
}

/* One line of the daemon's stream: 0, or -1 to stop (said why). */
static int daemon_line(struct monitor *m, const char *line, size_t len)
{
	struct cli *c = m->c;
	int err = l2_ctl_parse(line, len, &m->rec);

	if (err) {
		cli_error(c, "malformed line from l2tpsecd (%s), skipped",
			  strerror(-err));
		return 0;
	}
	if (!strcmp(m->rec.type, "error")) {
		cli_error(c, "l2tpsecd: %s", l2_ctl_get(&m->rec, "message") ?:
			  "error");
		return -1;
	}
	if (monitor_daemon_record(c->out, c->json, &m->rec))
		fflush(c->out);
	return 0;
}

static int daemon_rx(void *arg)
{
	struct monitor *m = arg;
	char *nl;
	ssize_t n;

	n = recv(m->fd, m->buf + m->have, sizeof(m->buf) - m->have,
		 MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0) {
		cli_error(m->c, "l2tpsecd closed the event stream%s%s",
			  n < 0 ? ": " : " (stopped?)",
			  n < 0 ? strerror(errno) : "");
		return -1;
	}
	m->have += (size_t)n;
	while ((nl = memchr(m->buf, '\n', m->have))) {
		size_t l = (size_t)(nl - m->buf) + 1;

		if (daemon_line(m, m->buf, l))
			return -1;
		memmove(m->buf, m->buf + l, m->have - l);
		m->have -= l;
	}
	if (m->have == sizeof(m->buf)) {
		cli_error(m->c, "a line from l2tpsecd is too long");
		return -1;
	}
	return 0;
}

static const struct arg_spec monitor_args[] = {
	{ "source", ARG_STR, 0, 0, ARG_POSITIONAL, NULL },
};

static int monitor_run(struct cli *c, const struct cli_cmd *cmd,
		       struct args *a)
{
	const char *src = args_has(a, "source") ?
			  args_get(a, "source")->text : "all";
	bool want_module = strcmp(src, "daemon"),
	     want_daemon = strcmp(src, "module");
	struct l2nl_error err;
	struct monitor *m;
	struct cli_fd fd;
	int ret;

	(void)cmd;
	if (strcmp(src, "all") && strcmp(src, "daemon") &&
	    strcmp(src, "module")) {
		cli_error(c, "expected all, daemon or module, not \"%s\"", src);
		return -1;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		cli_error(c, "out of memory");
		return -1;
	}
	m->c = c;
	m->fd = -1;
	if (want_module) {
		/* with both wanted, a missing module is a note, not an error */
		if (cli_netlink(c) == 0 &&
		    l2nl_join(&c->nl, L2TPSEC_MCGRP_EVENTS, &err) < 0)
			cli_report(c, &err, NULL);
		else if (c->nl_open)
			m->have_module = true;
		if (!m->have_module && !want_daemon)
			goto fail;
		if (!m->have_module)
			cli_error(c, "the module's events are not shown (above), the daemon's are");
	}
	if (want_daemon) {
		m->fd = ctl_connect_send(c, "events\n");
		if (m->fd < 0 && !m->have_module)
			goto fail;
		if (m->fd < 0)
			cli_error(c, "the daemon's events are not shown (above), the module's are");
	}
	if (m->have_module) {
		c->nl.notify = event_rx;
		c->nl.notify_arg = c;
	}
	fd = (struct cli_fd){ .fd = m->fd, .cb = daemon_rx, .arg = m };
	ret = cli_listen_fds(c, m->have_module, &fd, m->fd >= 0 ? 1 : 0,
			     NULL, NULL);
	if (m->fd >= 0)
		close(m->fd);
	free(m);
	return ret;
fail:
	free(m);
	return -1;
}

const struct cli_cmd monitor_cmds[] = {
	{
		.object = "monitor", .usage = "[all|daemon|module]",
		.args = monitor_args, .nargs = ARRAY_SIZE(monitor_args),
		.run = monitor_run,
	},
	{ .object = NULL }
};
