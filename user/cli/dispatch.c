// SPDX-License-Identifier: GPL-2.0
/*
 * Command line dispatch: global options, "OBJECT VERB DEV ARGS..." lookup
 * in the per-object tables, argument parsing, then the command's run.
 */
#include <errno.h>
#include <net/if.h>
#include <string.h>

#include "cli.h"
#include "ctlproto.h"

#ifndef L2TPSEC_VERSION
#define L2TPSEC_VERSION	"0.1"
#endif

static const struct cli_cmd *const cmd_tables[] = {
	show_cmds, daemon_cmds, dev_cmds, peer_cmds, sa_cmds, session_cmds,
	frame_cmds, monitor_cmds, status_cmds, diagnose_cmds, history_cmds,
	metrics_cmds,
};

#define for_each_cmd(t, cmd) \
	for (t = 0; t < ARRAY_SIZE(cmd_tables); t++) \
		for (cmd = cmd_tables[t]; cmd->object; cmd++)

void cli_init(struct cli *c, FILE *out, FILE *err)
{
	memset(c, 0, sizeof(*c));
	c->out = out;
	c->err = err;
}

void cli_fini(struct cli *c)
{
	if (c->nl_open)
		l2nl_close(&c->nl);
	c->nl_open = false;
}

/* One usage entry; continuation lines of @cmd->usage start with a tab. */
static void usage_cmd(FILE *f, const struct cli_cmd *cmd)
{
	const char *p = cmd->usage;

	fprintf(f, "  " CLI_NAME " %s%s%s%s", cmd->object,
		cmd->verb ? " " : "", cmd->verb ? cmd->verb : "",
		*p ? " " : "");
	for (; *p; p++) {
		if (*p != '\n') {
			fputc(*p, f);
			continue;
		}
		if (p[1] == '\t') {
			fputs("\n        ", f);
			p++;
		} else {
			fputs("\n  " CLI_NAME " ", f);
		}
	}
	fputc('\n', f);
}

void cli_usage(FILE *f, const char *object)
{
	const struct cli_cmd *cmd;
	size_t t;

	if (!object)
		fputs("Usage: " CLI_NAME " [-j] [-s SOCKET] COMMAND\n"
		      "  -j, --json     JSON output (show, who, status, diagnose, history, monitor,\n"
		      "                 frame listen)\n"
		      "  -s, --socket SOCKET\n"
		      "                 l2tpsecd's control socket (who, kick, unblock; default\n"
		      "                 $L2TPSEC_SOCKET, else " L2_CTL_DEFAULT_PATH ")\n"
		      "  -V, --version  print the version\n"
		      "Commands:\n", f);
	for_each_cmd(t, cmd)
		if (!object || !strcmp(cmd->object, object))
			usage_cmd(f, cmd);
}

static bool object_known(const char *object)
{
	const struct cli_cmd *cmd;
	size_t t;

	for_each_cmd(t, cmd)
		if (!strcmp(cmd->object, object))
			return true;
	return false;
}

static const struct cli_cmd *find_cmd(const char *object, const char *verb)
{
	const struct cli_cmd *cmd;
	size_t t;

	for_each_cmd(t, cmd) {
		if (strcmp(cmd->object, object))
			continue;
		if (!verb ? !cmd->verb : cmd->verb && !strcmp(cmd->verb, verb))
			return cmd;
	}
	return NULL;
}

static void verbs_of(const char *object, char *buf, size_t len)
{
	const struct cli_cmd *cmd;
	size_t t, used = 0;

	buf[0] = '\0';
	for_each_cmd(t, cmd) {
		if (strcmp(cmd->object, object) || !cmd->verb || used >= len)
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 used ? "|" : "", cmd->verb);
	}
}

/*
 * Find the command named by the first words of @argv and parse the rest
 * into @a. Returns the command, or NULL: *help set for "OBJECT help",
 * otherwise after printing why.
 */
static const struct cli_cmd *cli_parse(struct cli *c, int argc, char **argv,
				       struct args *a, bool *help)
{
	const char *object = argv[0], *verb = NULL;
	const struct cli_cmd *cmd;
	char verbs[128];
	int words = 1;

	*help = false;
	cmd = find_cmd(object, NULL);
	if (!cmd) {
		if (!object_known(object)) {
			cli_error(c, "unknown command \"%s\" (try \"" CLI_NAME
				  " help\")", object);
			return NULL;
		}
		c->cmd = object;
		verbs_of(object, verbs, sizeof(verbs));
		if (argc < 2) {
			cli_error(c, "missing command (%s)", verbs);
			return NULL;
		}
		verb = argv[1];
		if (!strcmp(verb, "help")) {
			*help = true;
			return NULL;
		}
		cmd = find_cmd(object, verb);
		if (!cmd) {
			cli_error(c, "unknown command \"%s\" (expected %s)",
				  verb, verbs);
			return NULL;
		}
		words = 2;
	}
	snprintf(c->cmdbuf, sizeof(c->cmdbuf), "%s%s%s", object,
		 verb ? " " : "", verb ? verb : "");
	c->cmd = c->cmdbuf;
	argc -= words;
	argv += words;

	args_init(a, cmd->args, cmd->nargs);
	if ((cmd->flags & (CMD_DEV | CMD_DEV_OPT)) && argc) {
		if (args_is_keyword(a, argv[0])) {
			cli_error(c, "missing DEV before \"%s\"", argv[0]);
			return NULL;
		}
		a->dev = argv[0];
		argc--;
		argv++;
	} else if (cmd->flags & CMD_DEV) {
		cli_error(c, "missing DEV (an interface name)");
		return NULL;
	}
	if (a->dev && (!*a->dev || strlen(a->dev) >= IF_NAMESIZE)) {
		cli_error(c, "\"DEV\": expected an interface name, got \"%s\"",
			  a->dev);
		return NULL;
	}
	if (args_parse(c, a, argc, argv) ||
	    (cmd->check && cmd->check(c, a))) {
		args_free(a);
		return NULL;
	}
	return cmd;
}

int cli_request(struct cli *c, int argc, char **argv, struct nl_msg **msgp)
{
	const struct cli_cmd *cmd;
	struct args a;
	bool help;

	*msgp = NULL;
	if (argc < 1)
		return -EINVAL;
	cmd = cli_parse(c, argc, argv, &a, &help);
	if (!cmd)
		return -EINVAL;
	*msgp = cli_build(c, cmd, &a);
	args_free(&a);
	return *msgp ? 0 : -EINVAL;
}

int cli_main(struct cli *c, int argc, char **argv)
{
	const struct cli_cmd *cmd;
	struct args a;
	bool help;
	int i, ret;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json")) {
			c->json = true;
		} else if (!strcmp(argv[i], "-s") ||
			   !strcmp(argv[i], "--socket")) {
			if (i + 1 >= argc || !argv[i + 1][0]) {
				cli_error(c, "%s needs the path of l2tpsecd's control socket",
					  argv[i]);
				return 1;
			}
			c->socket_path = argv[++i];
		} else if (!strcmp(argv[i], "-h") ||
			   !strcmp(argv[i], "--help")) {
			cli_usage(c->out, NULL);
			return 0;
		} else if (!strcmp(argv[i], "-V") ||
			   !strcmp(argv[i], "--version")) {
			fprintf(c->out, CLI_NAME " " L2TPSEC_VERSION "\n");
			return 0;
		} else if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else {
			cli_error(c, "unknown option \"%s\"", argv[i]);
			return 1;
		}
	}
	if (i >= argc) {
		cli_usage(c->err, NULL);
		return 1;
	}
	if (!strcmp(argv[i], "help")) {
		if (i + 1 < argc && !object_known(argv[i + 1])) {
			cli_error(c, "unknown command \"%s\"", argv[i + 1]);
			return 1;
		}
		cli_usage(c->out, i + 1 < argc ? argv[i + 1] : NULL);
		return 0;
	}

	cmd = cli_parse(c, argc - i, argv + i, &a, &help);
	if (!cmd) {
		if (!help)
			return 1;
		cli_usage(c->out, argv[i]);
		return 0;
	}
	ret = cmd->run ? cmd->run(c, cmd, &a) : cli_run_do(c, cmd, &a);
	args_free(&a);
	return ret ? 1 : 0;
}
