// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: a session's end, for the admin view (diag.h).
 */
#include <stdio.h>
#include <string.h>

#include "devent.h"
#include "diag.h"
#include "internal.h"

enum l2_fail_class l2tp_end_class(enum end_reason r, const char *detail)
{
	switch (r) {
	case END_AUTH_FAILED:
	case END_AUTH_TIMEOUT:
		return L2_FC_PPP_AUTH;
	case END_NEGOTIATION_FAILED:
		/* LCP could not agree on an authentication protocol */
		if (detail && (strstr(detail, "authentication") ||
			       strstr(detail, "auth ")))
			return L2_FC_NO_AUTH_PROTO;
		return L2_FC_OTHER;
	case END_LCP_ECHO_TIMEOUT:
	case END_HELLO_TIMEOUT:
	case END_PEER_NOT_RESPONDING:
	case END_DPD_TIMEOUT:
		return L2_FC_DEAD_PEER;
	case END_REKEY_FAILED:
		/*
		 * IKE names it (which side, what it tried, where to look:
		 * ike/child.c) when the SA pair expires; the session's end
		 * is that failure's consequence, not a second one.
		 */
		return L2_FC_MAX;
	case END_TUNNEL_AUTH_FAILED:
	case END_NO_ADDRESS:
	case END_PROTOCOL_ERROR:
	case END_LOOPBACK:
	case END_KERNEL_ERROR:
	case END_LIMIT:
		return L2_FC_OTHER;
	default:
		/* logout, kick, shutdown, the peer's IKE delete, SA expiry */
		return L2_FC_MAX;
	}
}

static l2tp_session_end_fn session_end_fn;
static void *session_end_arg;

void l2tp_diag_set_session_end(l2tp_session_end_fn fn, void *arg)
{
	session_end_fn = fn;
	session_end_arg = arg;
}

void l2tp_diag_session_end(const struct l2tp_end_record *r)
{
	enum l2_fail_class c = l2tp_end_class(r->reason, r->detail);
	const char *layer;

	if (session_end_fn)
		session_end_fn(session_end_arg, r);
	/* a session that had logged in (it had its address) logs out */
	if (r->address.s_addr) {
		char what[320];

		snprintf(what, sizeof(what),
			 "%s%s%s; up %llu s, in %llu bytes, out %llu bytes",
			 end_reason_str(r->reason),
			 r->detail && *r->detail ? ": " : "",
			 r->detail ? r->detail : "",
			 (unsigned long long)(r->duration_ms / 1000),
			 (unsigned long long)r->rx_bytes,
			 (unsigned long long)r->tx_bytes);
		l2_devent_emit(&(struct l2_devent){
			.kind = L2_DEV_LOGOUT, .peer = r->peer, .user = r->user,
			.address = r->address, .cls = -1, .layer = "ppp",
			.detail = what,
		});
	}
	if (c == L2_FC_MAX)
		return;
	layer = r->reason == END_HELLO_TIMEOUT ||
		r->reason == END_PEER_NOT_RESPONDING ||
		r->reason == END_TUNNEL_AUTH_FAILED ? "l2tp" :
		r->reason == END_DPD_TIMEOUT || r->reason == END_REKEY_FAILED ?
		"ike" : "ppp";
	l2_fail_note(r->peer, r->user, c, layer, "session ended: %s%s%s",
		     end_reason_str(r->reason),
		     r->detail && *r->detail ? ": " : "",
		     r->detail ? r->detail : "");
}

static const char *tunnel_state_str(enum tunnel_state s)
{
	switch (s) {
	case T_WAIT_CTL_REPLY: return "wait-sccrp";
	case T_WAIT_CTL_CONN: return "wait-scccn";
	case T_ESTABLISHED: return "established";
	case T_CLOSING: return "closing";
	case T_HOLD: return "hold";
	case T_DEAD: return "dead";
	}
	return "?";
}

void l2tp_for_each_tunnel(struct l2tp *l,
			  void (*fn)(void *arg, const struct l2tp_tunnel_view *v),
			  void *arg)
{
	struct l2tp_engine *e = l2tp_engine_of(l);
	struct l2tp_tunnel_view v;
	struct l2tp_tunnel *t;

	if (!e)
		return;
	for (t = e->tunnels; t; t = t->next) {
		memset(&v, 0, sizeof(v));
		v.peer_id = t->peer_id;
		v.local_id = t->local_id;
		v.remote_id = t->remote_id;
		v.local_port = t->local_port;
		v.remote_port = t->remote_port;
		v.lac = t->lac;
		v.state = tunnel_state_str(t->state);
		v.peer_host = t->peer_host;
		v.sessions = t->n_sessions;
		v.retransmits = t->ctrl.stats.retransmits;
		fn(arg, &v);
	}
}

static l2tp_session_up_fn session_up_fn;
static void *session_up_arg;

void l2tp_diag_set_session_up(l2tp_session_up_fn fn, void *arg)
{
	session_up_fn = fn;
	session_up_arg = arg;
}

void l2tp_diag_session_up(const struct sockaddr_in *peer, const char *user)
{
	if (session_up_fn)
		session_up_fn(session_up_arg, peer, user);
}
