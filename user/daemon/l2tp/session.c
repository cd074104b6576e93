// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: L2TPv2 sessions: incoming calls (ICRQ/ICRP/ICCN) as LNS and
 * as LAC, and Call-Disconnect-Notify (RFC 2661 5.4, 7.4).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "log.h"
#include "loop.h"

#define slog(s, lvl, fmt, ...) \
	log_msg(lvl, LOG_L2TP, "%s tunnel %u session %u: " fmt, \
		l2tp_peer((s)->t), (s)->t->local_id, (s)->local_id, \
		##__VA_ARGS__)

#define L2TP_FRAMING_SYNC	1
#define L2TP_CONNECT_SPEED	100000000u

static struct l2tp_session *find_local(struct l2tp_tunnel *t, uint16_t id)
{
	struct l2tp_session *s;

	for (s = t->sessions; s; s = s->next)
		if (s->local_id == id)
			return s;
	return NULL;
}

static struct l2tp_session *find_remote(struct l2tp_tunnel *t, uint16_t id)
{
	struct l2tp_session *s;

	for (s = t->sessions; s; s = s->next)
		if (s->remote_id == id)
			return s;
	return NULL;
}

static uint16_t alloc_session_id(struct l2tp_tunnel *t)
{
	uint16_t id;
	int i;

	for (i = 0; i < 1000; i++) {
		l2tp_random(&id, sizeof(id));
		if (id && !find_local(t, id))
			return id;
	}
	return 0;
}

static struct l2tp_session *session_new(struct l2tp_tunnel *t, bool lac)
{
	struct l2tp_engine *e = t->e;
	struct l2tp_session *s;

	if (e->cfg.max_sessions && t->n_sessions >= e->cfg.max_sessions)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->t = t;
	s->lac = lac;
	s->local_id = alloc_session_id(t);
	if (!s->local_id) {
		free(s);
		return NULL;
	}
	s->next = t->sessions;
	t->sessions = s;
	t->n_sessions++;
	e->n_sessions++;
	e->stats.sessions_created++;
	return s;
}

static void unlink_session(struct l2tp_session *s)
{
	struct l2tp_session **pp;

	for (pp = &s->t->sessions; *pp; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			s->t->n_sessions--;
			s->t->e->n_sessions--;
			return;
		}
	}
}

static void send_cdn(struct l2tp_tunnel *t, uint16_t local_id,
		     uint16_t remote_id, uint16_t result, uint16_t error,
		     const char *msg)
{
	struct l2tp_mb m;

	l2tp_mb_init(&m, L2TP_CDN, t->e->cfg.secret, t->e->cfg.secret_len);
	l2tp_mb_result(&m, result, error, msg);
	l2tp_mb_u16(&m, L2TP_AVP_ASSIGNED_SESSION_ID, true, local_id);
	l2tp_tunnel_send(t, &m, remote_id, L2TP_CDN);
}

static uint16_t cdn_result(enum end_reason r)
{
	switch (r) {
	case END_LCP_ECHO_TIMEOUT:
		return L2TP_CDN_LOST_CARRIER;
	case END_LOGOUT:
	case END_ADMIN_KICK:
	case END_SHUTDOWN:
	case END_LOCAL_CLOSE:
	case END_IKE_DELETE:
	case END_SA_EXPIRY:
	case END_REKEY_FAILED:
	case END_DPD_TIMEOUT:
		return L2TP_CDN_ADMIN;
	case END_NO_ADDRESS:
	case END_KERNEL_ERROR:
		return L2TP_CDN_NO_RESOURCES;
	default:
		return L2TP_CDN_GENERAL_ERROR;
	}
}

void l2tp_session_end(struct l2tp_session *s, enum end_reason r,
		      const char *detail, bool send)
{
	struct l2tp_tunnel *t = s->t;
	struct l2tp_engine *e = t->e;

	if (s->state == S_DEAD)
		return;
	if (send && s->remote_id && t->state == T_ESTABLISHED && !e->freeing)
		send_cdn(t, s->local_id, s->remote_id, cdn_result(r),
			 L2TP_ERR_NONE, end_reason_str(r));
	s->state = S_DEAD;
	unlink_session(s);
	if (s->up) {
		s->up = false;
		if (e->ops->session_down)
			e->ops->session_down(e->arg, s, r, detail);
	} else {
		slog(s, LOG_LVL_INFO, "call ended before it was up: %s%s%s",
		     end_reason_str(r), detail && *detail ? ": " : "",
		     detail ? detail : "");
	}
	s->next = e->dead_sessions;
	e->dead_sessions = s;
	l2tp_reap_later(e);
}

void l2tp_session_close(struct l2tp_session *s, enum end_reason reason,
			const char *detail)
{
	l2tp_session_end(s, reason, detail, true);
}

static void session_established(struct l2tp_session *s)
{
	struct l2tp_engine *e = s->t->e;
	int err;

	s->state = S_ESTABLISHED;
	s->up = true;
	slog(s, LOG_LVL_INFO, "session established (their session %u%s)",
	     s->remote_id, s->seq_required ? ", sequencing required" : "");
	err = e->ops->session_up ? e->ops->session_up(e->arg, s) : 0;
	if (err && s->state == S_ESTABLISHED) {
		char d[96];

		snprintf(d, sizeof(d), "cannot create the session in the module (error %d)",
			 err);
		l2tp_session_end(s, END_KERNEL_ERROR, d, true);
	}
}

/* LAC: send ICRQ. */
void l2tp_session_start_call(struct l2tp_session *s)
{
	struct l2tp_tunnel *t = s->t;
	struct l2tp_mb m;

	s->state = S_WAIT_ICRP;
	s->call_serial = t->e->next_serial++;
	l2tp_mb_init(&m, L2TP_ICRQ, t->e->cfg.secret, t->e->cfg.secret_len);
	if (t->e->cfg.hide_avps)
		l2tp_mb_hidden(&m, L2TP_AVP_ASSIGNED_SESSION_ID, true,
			       (uint8_t[]){ s->local_id >> 8, s->local_id & 0xff },
			       2);
	else
		l2tp_mb_u16(&m, L2TP_AVP_ASSIGNED_SESSION_ID, true, s->local_id);
	l2tp_mb_u32(&m, L2TP_AVP_CALL_SERIAL, true, s->call_serial);
	l2tp_mb_u32(&m, L2TP_AVP_BEARER_TYPE, false, 0);
	slog(s, LOG_LVL_DEBUG, "ICRQ sent");
	l2tp_tunnel_send(t, &m, 0, L2TP_ICRQ);
}

struct l2tp_session *l2tp_tunnel_call(struct l2tp_tunnel *t)
{
	struct l2tp_session *s;

	if (t->state != T_ESTABLISHED && t->state != T_WAIT_CTL_REPLY)
		return NULL;
	s = session_new(t, true);
	if (!s)
		return NULL;
	if (t->state == T_ESTABLISHED)
		l2tp_session_start_call(s);
	else
		s->state = S_WAIT_TUNNEL;
	return s;
}

static void rx_icrq(struct l2tp_tunnel *t, const struct l2tp_avps *a)
{
	struct l2tp_session *s;
	struct l2tp_mb m;

	if (!l2tp_avp_has(a, L2TP_AVP_ASSIGNED_SESSION_ID) ||
	    !a->assigned_session_id) {
		log_msg(LOG_LVL_WARN, LOG_L2TP,
			"%s tunnel %u: ICRQ without Assigned Session ID ignored",
			l2tp_peer(t), t->local_id);
		t->e->stats.rx_malformed++;
		return;
	}
	if (find_remote(t, a->assigned_session_id)) {
		t->e->stats.rx_bad_state++;
		return;	/* a second ICRQ for the same call */
	}
	s = session_new(t, false);
	if (!s) {
		log_msg(LOG_LVL_WARN, LOG_L2TP,
			"%s tunnel %u: refusing call: %u sessions already (max-sessions in [l2tp])",
			l2tp_peer(t), t->local_id, t->n_sessions);
		send_cdn(t, 0, a->assigned_session_id, L2TP_CDN_NO_RESOURCES,
			 L2TP_ERR_RESOURCES, "too many sessions");
		return;
	}
	s->remote_id = a->assigned_session_id;
	s->call_serial = a->call_serial;
	s->state = S_WAIT_ICCN;
	l2tp_mb_init(&m, L2TP_ICRP, t->e->cfg.secret, t->e->cfg.secret_len);
	if (t->e->cfg.hide_avps)
		l2tp_mb_hidden(&m, L2TP_AVP_ASSIGNED_SESSION_ID, true,
			       (uint8_t[]){ s->local_id >> 8, s->local_id & 0xff },
			       2);
	else
		l2tp_mb_u16(&m, L2TP_AVP_ASSIGNED_SESSION_ID, true, s->local_id);
	slog(s, LOG_LVL_DEBUG, "ICRQ (their session %u, serial %u): ICRP sent",
	     s->remote_id, s->call_serial);
	l2tp_tunnel_send(t, &m, s->remote_id, L2TP_ICRP);
}

static void rx_icrp(struct l2tp_session *s, const struct l2tp_avps *a)
{
	struct l2tp_tunnel *t = s->t;
	struct l2tp_mb m;

	if (!l2tp_avp_has(a, L2TP_AVP_ASSIGNED_SESSION_ID) ||
	    !a->assigned_session_id) {
		l2tp_session_end(s, END_PROTOCOL_ERROR,
				 "ICRP without Assigned Session ID", false);
		return;
	}
	s->remote_id = a->assigned_session_id;
	l2tp_mb_init(&m, L2TP_ICCN, t->e->cfg.secret, t->e->cfg.secret_len);
	l2tp_mb_u32(&m, L2TP_AVP_TX_CONNECT_SPEED, true, L2TP_CONNECT_SPEED);
	l2tp_mb_u32(&m, L2TP_AVP_FRAMING_TYPE, true, L2TP_FRAMING_SYNC);
	l2tp_tunnel_send(t, &m, s->remote_id, L2TP_ICCN);
	session_established(s);
}

static void rx_iccn(struct l2tp_session *s, const struct l2tp_avps *a)
{
	s->seq_required = l2tp_avp_has(a, L2TP_AVP_SEQUENCING_REQUIRED);
	session_established(s);
}

static void rx_cdn(struct l2tp_session *s, const struct l2tp_avps *a)
{
	char detail[200];

	snprintf(detail, sizeof(detail), "peer sent CDN, result %u error %u%s%s",
		 a->result_code, a->error_code, a->error_msg[0] ? ": " : "",
		 a->error_msg);
	l2tp_session_end(s, END_LOGOUT, detail, false);
}

void l2tp_session_rx(struct l2tp_tunnel *t, const struct l2tp_hdr *h,
		     const struct l2tp_avps *a)
{
	struct l2tp_session *s = NULL;

	switch (a->msg_type) {
	case L2TP_ICRQ:
		rx_icrq(t, a);
		return;
	case L2TP_OCRQ:
		/* Outgoing calls are not offered: refuse permanently. */
		if (l2tp_avp_has(a, L2TP_AVP_ASSIGNED_SESSION_ID))
			send_cdn(t, 0, a->assigned_session_id,
				 L2TP_CDN_NOT_AVAILABLE, L2TP_ERR_NONE,
				 "outgoing calls are not supported");
		return;
	default:
		break;
	}
	if (h->session_id)
		s = find_local(t, h->session_id);
	else if (a->msg_type == L2TP_CDN &&
		 l2tp_avp_has(a, L2TP_AVP_ASSIGNED_SESSION_ID))
		s = find_remote(t, a->assigned_session_id);
	if (!s || s->state == S_DEAD) {
		t->e->stats.rx_no_session++;
		log_msg(LOG_LVL_DEBUG, LOG_L2TP,
			"%s tunnel %u: %s for unknown session %u ignored",
			l2tp_peer(t), t->local_id, l2tp_msg_name(a->msg_type),
			h->session_id);
		return;
	}
	switch (a->msg_type) {
	case L2TP_ICRP:
		if (s->state == S_WAIT_ICRP) {
			rx_icrp(s, a);
			return;
		}
		break;
	case L2TP_ICCN:
		if (s->state == S_WAIT_ICCN) {
			rx_iccn(s, a);
			return;
		}
		break;
	case L2TP_CDN:
		rx_cdn(s, a);
		return;
	default:
		break;
	}
	t->e->stats.rx_bad_state++;
	slog(s, LOG_LVL_DEBUG, "%s ignored in session state %d",
	     l2tp_msg_name(a->msg_type), s->state);
}

/* A session message whose AVPs failed to parse: end that session (4.1). */
void l2tp_session_protocol_error(struct l2tp_tunnel *t,
				 const struct l2tp_hdr *h,
				 const struct l2tp_perr *err)
{
	struct l2tp_session *s = find_local(t, h->session_id);

	if (!s) {
		t->e->stats.rx_no_session++;
		return;
	}
	slog(s, LOG_LVL_WARN, "protocol error: %s; disconnecting the call",
	     err->msg);
	if (s->remote_id && t->state == T_ESTABLISHED)
		send_cdn(t, s->local_id, s->remote_id, L2TP_CDN_GENERAL_ERROR,
			 err->error_code, err->msg);
	l2tp_session_end(s, END_PROTOCOL_ERROR, err->msg, false);
}

void l2tp_session_get_info(const struct l2tp_session *s,
			   struct l2tp_session_info *info)
{
	memset(info, 0, sizeof(*info));
	info->peer_id = s->t->peer_id;
	info->local_tunnel_id = s->t->local_id;
	info->remote_tunnel_id = s->t->remote_id;
	info->local_session_id = s->local_id;
	info->remote_session_id = s->remote_id;
	info->local_port = s->t->local_port;
	info->remote_port = s->t->remote_port;
	info->lac = s->lac;
	info->seq_required = s->seq_required;
	info->peer_host_name = s->t->peer_host;
	info->call_serial = s->call_serial;
}

void l2tp_session_set_priv(struct l2tp_session *s, void *priv)
{
	s->priv = priv;
}

void *l2tp_session_priv(const struct l2tp_session *s)
{
	return s->priv;
}

struct l2tp_tunnel *l2tp_session_tunnel(const struct l2tp_session *s)
{
	return s->t;
}
