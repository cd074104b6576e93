// SPDX-License-Identifier: GPL-2.0
/*
 * metrics [textfile PATH]: the module's and the daemon's figures in the
 * Prometheus text format (metrics.h), on stdout or written atomically to
 * PATH for node_exporter's textfile collector. The module's part needs
 * the netlink family (root or CAP_NET_ADMIN: the module's dumps are
 * admin-only), the daemon's part the control socket (root, or the
 * [daemon] control-group); what cannot be asked is 0 in
 * l2tpsec_module_up or l2tpsec_daemon_up, and the rest is still written.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "cli.h"
#include "ctlclient.h"
#include "metrics.h"
#include "show.h"

static const struct arg_spec metrics_args[] = {
	{ "textfile", ARG_STR, 0, 0, 0, NULL },
};

/*
 * The module's devices and the daemon's "status", each asked with our
 * error messages thrown away: a part that cannot be asked (module not
 * loaded, no CAP_NET_ADMIN, no daemon) is a 0 in its _up metric.
 */
struct quiet_ask {
	struct show_dev	*devs;
	size_t		n;
	struct answer	st;
};

static int ask_module(struct cli *c, struct quiet_ask *q)
{
	return show_fetch_all(c, NULL, &q->devs, &q->n);
}

static int ask_daemon(struct cli *c, struct quiet_ask *q)
{
	if (ctl_request(c, "status\n", &q->st))
		return -1;
	if (q->st.n && !strcmp(q->st.recs[0]->type, "error")) {
		answer_free(&q->st);
		return -1;
	}
	return 0;
}

static int quietly(struct cli *c, int (*ask)(struct cli *, struct quiet_ask *),
		   struct quiet_ask *q)
{
	FILE *err = c->err, *null = fopen("/dev/null", "we");
	int ret;

	if (null)
		c->err = null;
	ret = ask(c, q);
	c->err = err;
	if (null)
		fclose(null);
	return ret;
}

/* Write to PATH.tmp, then rename: the collector never reads half a file. */
static int write_textfile(struct cli *c, const char *path,
			  const struct show_dev *devs, size_t n,
			  const struct answer *st)
{
	char tmp[4096];
	FILE *f;

	if (snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid()) >=
	    (int)sizeof(tmp)) {
		cli_error(c, "textfile: path too long");
		return -1;
	}
	f = fopen(tmp, "we");
	if (!f) {
		cli_error(c, "textfile %s: %s", tmp, strerror(errno));
		return -1;
	}
	metrics_render(f, devs, n, st);
	if (fflush(f) || ferror(f) || fsync(fileno(f))) {
		cli_error(c, "textfile %s: %s", tmp, strerror(errno));
		fclose(f);
		unlink(tmp);
		return -1;
	}
	fclose(f);
	if (rename(tmp, path)) {
		cli_error(c, "textfile %s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int metrics_run(struct cli *c, const struct cli_cmd *cmd,
		       struct args *a)
{
	struct quiet_ask q = { 0 };
	bool have_module, have_daemon;
	int ret = 0;

	(void)cmd;
	have_module = !quietly(c, ask_module, &q);
	have_daemon = !quietly(c, ask_daemon, &q);
	if (args_has(a, "textfile"))
		ret = write_textfile(c, args_get(a, "textfile")->text,
				     have_module ? q.devs : NULL, q.n,
				     have_daemon ? &q.st : NULL);
	else
		metrics_render(c->out, have_module ? q.devs : NULL, q.n,
			       have_daemon ? &q.st : NULL);
	answer_free(&q.st);
	show_devs_free(q.devs, q.n);
	return ret;
}

const struct cli_cmd metrics_cmds[] = {
	{
		.object = "metrics", .usage = "[textfile PATH]",
		.args = metrics_args, .nargs = ARRAY_SIZE(metrics_args),
		.run = metrics_run,
	},
	{ .object = NULL }
};
