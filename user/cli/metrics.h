/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsec metrics: the module's and the daemon's figures in the
 * Prometheus text exposition format, for node_exporter's textfile
 * collector (l2tpsec metrics --textfile DIR/l2tpsec.prom, from a timer).
 */
#ifndef L2TPSEC_CLI_METRICS_H
#define L2TPSEC_CLI_METRICS_H

#include <stdio.h>

#include "ctlclient.h"
#include "show.h"

/*
 * Write the metrics of @devs (@n devices, with their objects; NULL: the
 * module could not be read) and of the daemon's "status" answer @status
 * (NULL: no daemon answered).
 */
void metrics_render(FILE *f, const struct show_dev *devs, size_t n,
		    const struct answer *status);

#endif
