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
 * The module's devices, quietly: 0, or -1 when it cannot be asked (not
 * loaded, or no CAP_NET_ADMIN: its dumps are admin-only).
 */
static int module_devs(struct cli *c, struct show_dev **devs, size_t *n)
{
	FILE *err = c->err, *null = fopen("/dev/null", "we");
	int ret;

	if (null)
		c->err = null;
	ret = show_fetch_all(c, NULL, devs, n);
	c->err = err;
	if (null)
		fclose(null);
	return ret;
}

/* "status" from the daemon, quietly: 0 with @a, or -1 (no daemon). */
static int daemon_status(struct cli *c, struct answer *a)
{
	FILE *err = c->err, *null = fopen("/dev/null", "we");
	int ret;

	if (null)
		c->err = null;
	ret = ctl_request(c, "status\n", a);
	c->err = err;
	if (null)
		fclose(null);
	if (ret)
		return -1;
	if (a->n && !strcmp(a->recs[0]->type, "error")) {
		answer_free(a);
		return -1;
	}
	return 0;
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
	struct answer st = { 0 };
	struct show_dev *devs = NULL;
	bool have_module, have_daemon;
	size_t n = 0;
	int ret = 0;

	(void)cmd;
	have_module = !module_devs(c, &devs, &n);
	have_daemon = !daemon_status(c, &st);
	if (args_has(a, "textfile"))
		ret = write_textfile(c, args_get(a, "textfile")->text,
				     have_module ? devs : NULL, n,
				     have_daemon ? &st : NULL);
	else
		metrics_render(c->out, have_module ? devs : NULL, n,
			       have_daemon ? &st : NULL);
	answer_free(&st);
	show_devs_free(devs, n);
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
