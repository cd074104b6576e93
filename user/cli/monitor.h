/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsec monitor: the module's netlink events and the daemon's events
 * (its control socket's "events" stream, daemon/ctl/events.h) one per
 * line, each with a timestamp (ISO 8601, local time, milliseconds), as
 * text or as JSON lines (-j):
 *
 *   2026-12-08T01:40:27.123+0000 daemon login peer 192.0.2.2:4500 user alice address 10.99.0.10: as server, authentication mschapv2
 *   2026-12-08T01:40:31.020+0000 module peer-float dev l2tpsec0 peer 1 remote 192.0.2.2 rport 4501
 *
 *   {"time":"2026-12-08T01:40:27.123+0000","time_ms":...,"source":"daemon","event":"login",...}
 *
 * The daemon's values are its peers' bytes: escaped in text, valid JSON
 * strings in JSON.
 */
#ifndef L2TPSEC_CLI_MONITOR_H
#define L2TPSEC_CLI_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct l2_ctl_record;
struct l2_event;

/* @ms since 1970 as "YYYY-MM-DDTHH:MM:SS.mmm+ZZZZ" (local time). */
const char *monitor_time(char *buf, size_t len, uint64_t ms);
/* Now, in ms since 1970. */
uint64_t monitor_now_ms(void);

/*
 * One record of the daemon's stream ("event", "lost"; others are left
 * out and 0 returned): a line on @f, text or JSON. 1 when written.
 */
int monitor_daemon_record(FILE *f, bool json,
			  const struct l2_ctl_record *r);
/* One module event, received at @ms, with its device's name (or NULL). */
void monitor_module_event(FILE *f, bool json, uint64_t ms,
			  const struct l2_event *e, const char *ifname);

#endif
