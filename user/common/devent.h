/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's events for `l2tpsec monitor` (issue 13 item 4): a login,
 * a logout, an authentication failure, an IKE failure, a rekey, a peer
 * that moved (NAT float), and every other named failure.
 *
 * The layers call l2_devent_emit() next to the log line that says the
 * same; the control socket (daemon/ctl/) is the sink main sets, and
 * queues each event for its subscribers as one "event" record:
 *
 *   event kind=KIND time-ms=MS [peer=A.B.C.D] [port=N] [user=NAME]
 *         [address=A.B.C.D] [class=N class-name=NAME] [layer=L]
 *         [detail=TEXT]
 *
 * With no sink set (unit tests of one layer, --check-config) an event
 * goes nowhere.
 */
#ifndef L2TPSEC_COMMON_DEVENT_H
#define L2TPSEC_COMMON_DEVENT_H

#include <netinet/in.h>
#include <stdint.h>

#include "failrec.h"

enum l2_devent_kind {
	L2_DEV_LOGIN,		/* a session has its address */
	L2_DEV_LOGOUT,		/* ... and ended (detail: why) */
	L2_DEV_AUTH_FAIL,	/* failure classes 8, 9 */
	L2_DEV_IKE_FAIL,	/* failure classes 1-6, 15 and IKE's others */
	L2_DEV_REKEY,		/* an SA pair or ISAKMP SA was replaced */
	L2_DEV_PEER_FLOAT,	/* the peer's outer address or port changed */
	L2_DEV_FAILURE,		/* any other failure class (7, 10-14) */
	L2_DEV_MAX,
};

/* "login", "logout", "auth-failure", ... (stable: JSON uses them) */
const char *l2_devent_kind_name(enum l2_devent_kind k);

struct l2_devent {
	enum l2_devent_kind	kind;
	const struct sockaddr_in *peer;		/* NULL: none */
	const char		*user;		/* NULL or "": none */
	struct in_addr		address;	/* the client's; 0: none */
	int			cls;		/* enum l2_fail_class, -1: none */
	const char		*layer;		/* NULL: none */
	const char		*detail;	/* NULL: none */
	uint64_t		time_ms;	/* 0: now (wall clock) */
};

typedef void (*l2_devent_sink_fn)(void *arg, const struct l2_devent *e);
void l2_devent_set_sink(l2_devent_sink_fn fn, void *arg);
/* Hand @e to the sink (time_ms filled in when 0). */
void l2_devent_emit(const struct l2_devent *e);
/* The event a failure of class @c noted by @layer is. */
enum l2_devent_kind l2_devent_of_failure(enum l2_fail_class c,
					 const char *layer);

#endif /* L2TPSEC_COMMON_DEVENT_H */
