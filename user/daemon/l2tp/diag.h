/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd: what the L2TP/PPP half tells the admin view when a session
 * ends: the failure record (a failure class for the ends that are
 * failures) and the session history.
 */
#ifndef L2TPSECD_L2TP_DIAG_H
#define L2TPSECD_L2TP_DIAG_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "failrec.h"
#include "end_reason.h"

struct l2tp_end_record {
	const struct sockaddr_in *peer;		/* outer; NULL: unknown */
	const char		*user;		/* "" before authentication */
	struct in_addr		address;	/* the client's, 0: none */
	uint64_t		duration_ms;
	enum end_reason		reason;
	const char		*detail;	/* may be NULL */
	uint64_t		rx_packets, rx_bytes, tx_packets, tx_bytes;
};

/* The failure class of a session's end; L2_FC_MAX: not a failure. */
enum l2_fail_class l2tp_end_class(enum end_reason r, const char *detail);

/* A session ended (called once, after its log line). */
void l2tp_diag_session_end(const struct l2tp_end_record *r);
/* ... and then the hook main sets (the session history). */
typedef void (*l2tp_session_end_fn)(void *arg, const struct l2tp_end_record *r);
void l2tp_diag_set_session_end(l2tp_session_end_fn fn, void *arg);

/*
 * A client's session has its address (server role): the hook main sets
 * (failure class 10 is checked at the first one).
 */
typedef void (*l2tp_session_up_fn)(void *arg, const struct sockaddr_in *peer,
				   const char *user);
void l2tp_diag_set_session_up(l2tp_session_up_fn fn, void *arg);
void l2tp_diag_session_up(const struct sockaddr_in *peer, const char *user);

/* ---- the view of `l2tpsec status` -------------------------------------- */

struct l2tp;
struct l2tp_engine;

struct l2tp_tunnel_view {
	uint32_t		peer_id;
	uint16_t		local_id, remote_id;
	uint16_t		local_port, remote_port;
	bool			lac;		/* we placed the calls */
	const char		*state;		/* "wait-sccrp", "established" */
	const char		*peer_host;
	unsigned int		sessions;
	uint64_t		retransmits;
};

/* The engine of @l (l2tpd.c). */
struct l2tp_engine *l2tp_engine_of(const struct l2tp *l);
void l2tp_for_each_tunnel(struct l2tp *l,
			  void (*fn)(void *arg, const struct l2tp_tunnel_view *v),
			  void *arg);

#endif
