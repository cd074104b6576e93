/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsec admin CLI: the context every command runs in, and the command
 * table.
 */
#ifndef L2TPSEC_CLI_H
#define L2TPSEC_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <netlink/msg.h>

#include "args.h"
#include "genl.h"

#define CLI_NAME	"l2tpsec"

/* Everything a command needs; there is no other mutable state. */
struct cli {
	const char	*cmd;		/* "sa add": prefixes messages */
	char		cmdbuf[32];
	bool		json;		/* -j */
	FILE		*out;
	FILE		*err;
	struct l2nl	nl;
	bool		nl_open;
	const char	*socket_path;	/* -s: l2tpsecd's control socket */
};

#define CMD_DEV		0x1	/* DEV is required */
#define CMD_DEV_OPT	0x2	/* DEV may be given */

struct cli_cmd {
	const char		*object;	/* first word */
	const char		*verb;		/* second word; NULL: none */
	const char		*usage;		/* what follows the words */
	uint8_t			genl_cmd;
	uint16_t		nest;		/* attribute nest, 0: none */
	const struct arg_spec	*args;
	unsigned int		nargs;
	unsigned int		flags;		/* CMD_DEV* */
	/* Cross-argument checks and defaults, after parsing. */
	int (*check)(struct cli *c, struct args *a);
	/* Attributes that are not plain arguments, put inside the nest. */
	int (*encode)(const struct args *a, struct nl_msg *msg);
	/* NULL: build the request, send it, wait for the ACK. */
	int (*run)(struct cli *c, const struct cli_cmd *cmd, struct args *a);
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Per-object command tables, each ending with an empty entry. */
extern const struct cli_cmd dev_cmds[];
extern const struct cli_cmd peer_cmds[];
extern const struct cli_cmd sa_cmds[];
extern const struct cli_cmd session_cmds[];
extern const struct cli_cmd frame_cmds[];
extern const struct cli_cmd show_cmds[];
extern const struct cli_cmd monitor_cmds[];
extern const struct cli_cmd daemon_cmds[];	/* who, kick */
extern const struct cli_cmd status_cmds[];	/* status (cmd_status.c) */
extern const struct cli_cmd diagnose_cmds[];	/* diagnose (cmd_diagnose.c) */
extern const struct cli_cmd history_cmds[];	/* history (cmd_history.c) */
extern const struct cli_cmd metrics_cmds[];	/* metrics (cmd_metrics.c) */

/* dispatch.c */
void cli_init(struct cli *c, FILE *out, FILE *err);
void cli_fini(struct cli *c);
/* Run one command line (argv[0] is the program); returns the exit status. */
int cli_main(struct cli *c, int argc, char **argv);
/*
 * Parse a command line (argv[0] is the first word, e.g. "sa") and build
 * its request without a socket: for tests. Returns 0 and *msg, or -EINVAL
 * after printing why.
 */
int cli_request(struct cli *c, int argc, char **argv, struct nl_msg **msg);
void cli_usage(FILE *f, const char *object);

/* request.c */
void cli_error(struct cli *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Open the netlink socket on first use; prints the error. */
int cli_netlink(struct cli *c);
/* Print a failed request: "l2tpsec: CMD: strerror: extack (attribute)". */
void cli_report(struct cli *c, const struct l2nl_error *err,
		struct nl_msg *req);
/* Put DEV: IFINDEX for a number that names no interface, else IFNAME. */
int cli_put_dev(struct nl_msg *msg, const char *dev);
/* A new request for @genl_cmd (family from the socket, 0 if none). */
struct nl_msg *cli_msg(struct cli *c, uint8_t genl_cmd, int flags,
		       size_t payload);
/* The request of a table command: DEV, arguments, encode hook. */
struct nl_msg *cli_build(struct cli *c, const struct cli_cmd *cmd,
			 const struct args *a);
/* Send @msg (consumed) and wait for its ACK; report errors. */
int cli_send(struct cli *c, struct nl_msg *msg, l2nl_msg_fn fn, void *arg);
/* Default run: build, send, wait. */
int cli_run_do(struct cli *c, const struct cli_cmd *cmd, struct args *a);

/* listen.c */
/*
 * Hand unsolicited messages to c->nl.notify until @done(@arg) says so or
 * SIGINT/SIGTERM arrives (both return 0). Returns -1 on a socket error.
 */
int cli_listen(struct cli *c, bool (*done)(void *arg), void *arg);
/*
 * The same with more descriptors beside the netlink socket (@netlink
 * false: those alone): @cb runs when one is readable and returns 0 to go
 * on, 1 to end (0 returned) or -1 to end with an error.
 */
struct cli_fd {
	int	fd;
	int	(*cb)(void *arg);
	void	*arg;
};
int cli_listen_fds(struct cli *c, bool netlink, const struct cli_fd *fds,
		   unsigned int nfds, bool (*done)(void *arg), void *arg);

#endif /* L2TPSEC_CLI_H */
