/* SPDX-License-Identifier: GPL-2.0 */
/*
 * status (cmd_status.c), shared with diagnose: the daemon's "status"
 * answer and how a failure record prints.
 */
#ifndef L2TPSEC_CLI_STATUS_H
#define L2TPSEC_CLI_STATUS_H

#include "cli.h"
#include "ctlclient.h"
#include "json.h"

/* Ask for "status": 0 and the answer with its "daemon" record, or -1. */
int status_fetch(struct cli *c, struct answer *ans,
		 const struct l2_ctl_record **daemon);
void status_print_failure(struct cli *c, const struct l2_ctl_record *r);
void status_json_failure(struct json *js, const struct l2_ctl_record *r);

#endif
