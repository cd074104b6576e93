/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Talking to l2tpsecd's control socket (cmd_daemon.c): one request, its
 * whole answer as parsed records.
 */
#ifndef L2TPSEC_CLI_CTLCLIENT_H
#define L2TPSEC_CLI_CTLCLIENT_H

#include <stddef.h>

#include "cli.h"
#include "ctlproto.h"

/*
 * The daemon's answer: its records, in order. One allocation each: a
 * record's strings point into its own ->buf, so records never move.
 */
struct answer {
	struct l2_ctl_record	**recs;
	size_t			n;
};

void answer_free(struct answer *a);
/* Send @request (one line) and read the whole answer: 0, or -1 (said why). */
int ctl_request(struct cli *c, const char *request, struct answer *a);
/*
 * Connect and send @request without waiting for the answer (l2tpsec
 * monitor's "events"): the socket, or -1 (said why).
 */
int ctl_connect_send(struct cli *c, const char *request);
/* How many records of @type the answer holds. */
size_t answer_count(const struct answer *a, const char *type);
/* The daemon's "error message=..." as our error; 1 if it was one. */
int answer_error(struct cli *c, const struct answer *a);

#endif
