// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: L2TPv2 tunnels (control connections, RFC 2661 5.1, 7.2) and
 * the engine that demultiplexes received control messages to them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "internal.h"
#include "log.h"
#include "loop.h"

#define L2TP_PROTOCOL_VERSION	0x0100
#define L2TP_FRAMING_SYNC	1
#define L2TP_FRAMING_ASYNC	2
#define L2TP_VENDOR		"l2tpsec"
#define L2TP_FIRMWARE		0x0100

void l2tp_engine_cfg_defaults(struct l2tp_engine_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->host_name, sizeof(cfg->host_name), "l2tpsec");
	cfg->accept_incoming = true;
	cfg->receive_window = 8;
	cfg->hello_interval_ms = 60000;
	cfg->hold_ms = 31000;
	cfg->ctrl.rto_initial_ms = 1000;
	cfg->ctrl.rto_max_ms = 8000;
	cfg->ctrl.max_retries = 5;
	cfg->ctrl.ack_delay_ms = 200;
	/*
	 * Safe without a setting: a Windows or strongSwan client opens one
	 * tunnel with one call; a LAC concentrator a few tunnels with many.
	 */
	cfg->max_tunnels_per_peer = 8;
	cfg->max_sessions = 256;
}

/* Tunnels (not ending) of @peer_id other than @self. */
static unsigned int peer_tunnels(const struct l2tp_engine *e, uint32_t peer_id,
				 const struct l2tp_tunnel *self)
{
	const struct l2tp_tunnel *t;
	unsigned int n = 0;

	for (t = e->tunnels; t; t = t->next)
		n += t != self && t->peer_id == peer_id &&
		     (t->state == T_WAIT_CTL_CONN ||
		      t->state == T_WAIT_CTL_REPLY ||
		      t->state == T_ESTABLISHED);
	return n;
}

const char *l2tp_peer(const struct l2tp_tunnel *t)
{
	const char *n = t->e->ops->peer_name ?
		t->e->ops->peer_name(t->e->arg, t->peer_id) : NULL;

	return n ? n : "?";
}

#define tlog(t, lvl, fmt, ...) \
	log_msg(lvl, LOG_L2TP, "%s tunnel %u: " fmt, l2tp_peer(t), \
		(t)->local_id, ##__VA_ARGS__)

static void reaper_cb(void *arg)
{
	struct l2tp_engine *e = arg;
	struct l2tp_tunnel *t;
	struct l2tp_session *s;

	while ((s = e->dead_sessions)) {
		e->dead_sessions = s->next;
		free(s);
	}
	while ((t = e->dead_tunnels)) {
		e->dead_tunnels = t->next;
		l2tp_ctrl_fini(&t->ctrl);
		loop_timer_free(t->hello_timer);
		loop_timer_free(t->hold_timer);
		free(t);
	}
}

void l2tp_reap_later(struct l2tp_engine *e)
{
	if (!e->freeing)
		loop_timer_arm(e->reaper, 0);
}

/* ------------------------------------------------------------------ */

struct l2tp_engine *l2tp_engine_new(struct loop *loop,
				    const struct l2tp_engine_cfg *cfg,
				    const struct l2tp_engine_ops *ops,
				    void *arg)
{
	struct l2tp_engine *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->loop = loop;
	e->cfg = *cfg;
	if (!e->cfg.secret_len)
		e->cfg.hide_avps = false;
	e->ops = ops;
	e->arg = arg;
	l2tp_random(&e->next_serial, sizeof(e->next_serial));
	e->reaper = loop_timer_new(loop, reaper_cb, e);
	if (!e->reaper) {
		free(e);
		return NULL;
	}
	return e;
}

void l2tp_engine_set_cfg(struct l2tp_engine *e,
			 const struct l2tp_engine_cfg *cfg)
{
	struct l2tp_engine_cfg n = *cfg;

	memcpy(n.secret, e->cfg.secret, sizeof(n.secret));
	n.secret_len = e->cfg.secret_len;
	n.hide_avps = e->cfg.hide_avps;
	n.accept_incoming = e->cfg.accept_incoming;
	e->cfg = n;
	OPENSSL_cleanse(n.secret, sizeof(n.secret));
}

static void tunnel_end(struct l2tp_tunnel *t, enum end_reason r,
		       const char *detail, bool send_stop);

void l2tp_engine_free(struct l2tp_engine *e, enum end_reason reason)
{
	if (!e)
		return;
	while (e->tunnels)
		tunnel_end(e->tunnels, reason, "daemon stopping", true);
	e->freeing = true;
	reaper_cb(e);
	loop_timer_free(e->reaper);
	OPENSSL_cleanse(e->cfg.secret, sizeof(e->cfg.secret));
	free(e);
}

const struct l2tp_engine_stats *l2tp_engine_stats(const struct l2tp_engine *e)
{
	return &e->stats;
}

unsigned int l2tp_engine_tunnel_count(const struct l2tp_engine *e)
{
	return e->n_tunnels;
}

unsigned int l2tp_engine_session_count(const struct l2tp_engine *e)
{
	return e->n_sessions;
}

static struct l2tp_tunnel *find_tunnel(struct l2tp_engine *e,
				       uint32_t peer_id, uint16_t id)
{
	struct l2tp_tunnel *t;

	for (t = e->tunnels; t; t = t->next)
		if (t->peer_id == peer_id && t->local_id == id)
			return t;
	return NULL;
}

static struct l2tp_tunnel *find_by_remote(struct l2tp_engine *e,
					  uint32_t peer_id, uint16_t rid,
					  uint16_t rport)
{
	struct l2tp_tunnel *t;

	for (t = e->tunnels; t; t = t->next)
		if (t->peer_id == peer_id && t->remote_id == rid &&
		    t->remote_port == rport && !t->lac)
			return t;
	return NULL;
}

struct l2tp_session *l2tp_engine_find_session(struct l2tp_engine *e,
					      uint32_t peer_id,
					      uint16_t tunnel_id,
					      uint16_t session_id)
{
	struct l2tp_tunnel *t = find_tunnel(e, peer_id, tunnel_id);
	struct l2tp_session *s;

	if (!t)
		return NULL;
	for (s = t->sessions; s; s = s->next)
		if (s->local_id == session_id)
			return s;
	return NULL;
}

void l2tp_engine_for_each_session(struct l2tp_engine *e,
				  void (*fn)(struct l2tp_session *s, void *arg),
				  void *arg)
{
	struct l2tp_tunnel *t, *tn;
	struct l2tp_session *s, *sn;

	for (t = e->tunnels; t; t = tn) {
		tn = t->next;
		for (s = t->sessions; s; s = sn) {
			sn = s->next;
			if (s->state == S_ESTABLISHED)
				fn(s, arg);
		}
	}
}

/* ------------------------------------------------------------------ */
/* tunnel */

static void tunnel_xmit(void *arg, const uint8_t *msg, size_t len)
{
	struct l2tp_tunnel *t = arg;

	t->e->ops->xmit(t->e->arg, t->peer_id, t->local_port, t->remote_port,
			msg, len);
}

static void tunnel_failed(void *arg, uint16_t type, unsigned int tries)
{
	struct l2tp_tunnel *t = arg;
	char detail[160];

	snprintf(detail, sizeof(detail),
		 "%s not acknowledged after %u transmissions",
		 l2tp_msg_name(type), tries);
	if (t->state == T_CLOSING) {
		tlog(t, LOG_LVL_DEBUG, "StopCCN never acknowledged; forgetting the tunnel");
		tunnel_end(t, t->reason, t->detail, false);
		return;
	}
	tunnel_end(t, type == L2TP_HELLO ? END_HELLO_TIMEOUT :
		   END_PEER_NOT_RESPONDING, detail, false);
}

static const struct l2tp_ctrl_ops tunnel_ctrl_ops = {
	.xmit = tunnel_xmit,
	.failed = tunnel_failed,
};

static void hello_cb(void *arg)
{
	struct l2tp_tunnel *t = arg;
	struct l2tp_mb m;

	if (t->state != T_ESTABLISHED)
		return;
	/* One HELLO outstanding at a time; anything pending tests liveness. */
	if (!l2tp_ctrl_pending(&t->ctrl)) {
		l2tp_mb_init(&m, L2TP_HELLO, NULL, 0);
		l2tp_tunnel_send(t, &m, 0, L2TP_HELLO);
	}
	loop_timer_arm(t->hello_timer, t->e->cfg.hello_interval_ms);
}

static void hold_cb(void *arg)
{
	struct l2tp_tunnel *t = arg;

	tunnel_end(t, t->reason, t->detail, false);
}

static uint16_t alloc_tunnel_id(struct l2tp_engine *e, uint32_t peer_id)
{
	uint16_t id;
	int i;

	for (i = 0; i < 1000; i++) {
		l2tp_random(&id, sizeof(id));
		if (id && !find_tunnel(e, peer_id, id))
			return id;
	}
	return 0;
}

static struct l2tp_tunnel *tunnel_new(struct l2tp_engine *e, uint32_t peer_id,
				      uint16_t lport, uint16_t rport, bool lac)
{
	struct l2tp_tunnel *t;

	if (e->cfg.max_tunnels && e->n_tunnels >= e->cfg.max_tunnels) {
		log_msg(LOG_LVL_WARN, LOG_L2TP,
			"%s: refusing a tunnel: %u tunnels already (max-tunnels in [l2tp])",
			e->ops->peer_name ? e->ops->peer_name(e->arg, peer_id) : "?",
			e->n_tunnels);
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->e = e;
	t->peer_id = peer_id;
	t->local_port = lport;
	t->remote_port = rport;
	t->lac = lac;
	t->local_id = alloc_tunnel_id(e, peer_id);
	if (!t->local_id ||
	    l2tp_ctrl_init(&t->ctrl, e->loop, &e->cfg.ctrl, &tunnel_ctrl_ops,
			   t)) {
		free(t);
		return NULL;
	}
	t->hello_timer = loop_timer_new(e->loop, hello_cb, t);
	t->hold_timer = loop_timer_new(e->loop, hold_cb, t);
	if (!t->hello_timer || !t->hold_timer) {
		l2tp_ctrl_fini(&t->ctrl);
		loop_timer_free(t->hello_timer);
		loop_timer_free(t->hold_timer);
		free(t);
		return NULL;
	}
	t->next = e->tunnels;
	e->tunnels = t;
	e->n_tunnels++;
	e->stats.tunnels_created++;
	return t;
}

void l2tp_tunnel_send(struct l2tp_tunnel *t, struct l2tp_mb *m,
		      uint16_t session_id, uint16_t type)
{
	if (l2tp_mb_finish(m, t->remote_id, session_id)) {
		tlog(t, LOG_LVL_ERR, "cannot build %s: message too long",
		     l2tp_msg_name(type));
		return;
	}
	if (l2tp_ctrl_send(&t->ctrl, m->buf, m->len, type))
		tlog(t, LOG_LVL_ERR, "cannot queue %s: out of memory",
		     l2tp_msg_name(type));
}

static void unlink_tunnel(struct l2tp_tunnel *t)
{
	struct l2tp_tunnel **pp;

	for (pp = &t->e->tunnels; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			t->e->n_tunnels--;
			break;
		}
	}
}

static uint16_t stop_result(enum end_reason r)
{
	switch (r) {
	case END_TUNNEL_AUTH_FAILED:
		return L2TP_STOPCCN_NOT_AUTHORIZED;
	case END_SHUTDOWN:
		return L2TP_STOPCCN_SHUTTING_DOWN;
	case END_PROTOCOL_ERROR:
		return L2TP_STOPCCN_GENERAL_ERROR;
	default:
		return L2TP_STOPCCN_GENERAL_REQUEST;
	}
}

static void send_stopccn(struct l2tp_tunnel *t, uint16_t result,
			 uint16_t error, const char *msg)
{
	struct l2tp_mb m;

	l2tp_mb_init(&m, L2TP_STOPCCN, NULL, 0);
	l2tp_mb_u16(&m, L2TP_AVP_ASSIGNED_TUNNEL_ID, true, t->local_id);
	l2tp_mb_result(&m, result, error, msg);
	l2tp_tunnel_send(t, &m, 0, L2TP_STOPCCN);
}

/*
 * End every session, then the tunnel: with @send_stop a StopCCN goes out
 * and the tunnel lingers until it is acknowledged (T_CLOSING).
 */
static void tunnel_end_ex(struct l2tp_tunnel *t, enum end_reason r,
			  const char *detail, bool send_stop, uint16_t result,
			  uint16_t error)
{
	struct l2tp_engine *e = t->e;
	bool was_up = t->state == T_ESTABLISHED;

	if (t->state == T_DEAD)
		return;
	if (t->state != T_CLOSING && t->state != T_HOLD) {
		t->reason = r;
		snprintf(t->detail, sizeof(t->detail), "%s", detail ? detail : "");
		while (t->sessions)
			l2tp_session_end(t->sessions, r, detail, false);
		if (was_up || t->lac || t->state == T_WAIT_CTL_CONN) {
			int lvl = r == END_SHUTDOWN || r == END_LOCAL_CLOSE ||
				  r == END_LOGOUT ? LOG_LVL_INFO : LOG_LVL_WARN;

			tlog(t, lvl, "tunnel to %s closed: %s%s%s",
			     t->peer_host[0] ? t->peer_host : "peer",
			     end_reason_str(r), detail && *detail ? ": " : "",
			     detail ? detail : "");
		}
		if (e->ops->tunnel_down)
			e->ops->tunnel_down(e->arg, t, r, detail);
		loop_timer_disarm(t->hello_timer);
		if (send_stop && !e->freeing) {
			if (!result)
				result = stop_result(r);
			send_stopccn(t, result, error, end_reason_str(r));
			t->state = T_CLOSING;
			loop_timer_arm(t->hold_timer, e->cfg.hold_ms);
			return;
		}
		if (t->hold_on_stop && !e->freeing) {
			t->state = T_HOLD;
			loop_timer_arm(t->hold_timer, e->cfg.hold_ms);
			return;
		}
		if (send_stop && e->freeing) {
			/* Best effort: one StopCCN, no retransmission. */
			send_stopccn(t, result ? result : stop_result(r), error,
				     end_reason_str(r));
		}
	}
	t->state = T_DEAD;
	loop_timer_disarm(t->hello_timer);
	loop_timer_disarm(t->hold_timer);
	loop_timer_disarm(t->ctrl.rtx_timer);
	loop_timer_disarm(t->ctrl.ack_timer);
	unlink_tunnel(t);
	t->next = e->dead_tunnels;
	e->dead_tunnels = t;
	l2tp_reap_later(e);
}

static void tunnel_end(struct l2tp_tunnel *t, enum end_reason r,
		       const char *detail, bool send_stop)
{
	tunnel_end_ex(t, r, detail, send_stop, 0, 0);
}

void l2tp_tunnel_close(struct l2tp_tunnel *t, enum end_reason reason,
		       const char *detail)
{
	tunnel_end(t, reason, detail, true);
}

void l2tp_engine_peer_down(struct l2tp_engine *e, uint32_t peer_id,
			   enum end_reason reason, const char *detail)
{
	struct l2tp_tunnel *t, *n;

	for (t = e->tunnels; t; t = n) {
		n = t->next;
		if (t->peer_id == peer_id)
			/* The SA is gone: nothing can be sent any more. */
			tunnel_end(t, reason, detail, false);
	}
}

/* Fatal protocol error: StopCCN with result 2 and @error. */
static void tunnel_error(struct l2tp_tunnel *t, uint16_t error,
			 const char *why)
{
	tlog(t, LOG_LVL_WARN, "protocol error: %s; closing the tunnel", why);
	tunnel_end_ex(t, END_PROTOCOL_ERROR, why, true,
		      L2TP_STOPCCN_GENERAL_ERROR, error);
}

static void tunnel_established(struct l2tp_tunnel *t)
{
	struct l2tp_engine *e = t->e;
	struct l2tp_session *s, *n;

	t->state = T_ESTABLISHED;
	tlog(t, LOG_LVL_INFO, "tunnel established with %s (their tunnel %u)%s",
	     t->peer_host[0] ? t->peer_host : "peer", t->remote_id,
	     t->challenged ? ", authenticated" : "");
	if (e->cfg.hello_interval_ms)
		loop_timer_arm(t->hello_timer, e->cfg.hello_interval_ms);
	if (e->ops->tunnel_up)
		e->ops->tunnel_up(e->arg, t);
	for (s = t->sessions; s; s = n) {
		n = s->next;
		if (s->state == S_WAIT_TUNNEL)
			l2tp_session_start_call(s);
	}
}

static void add_common_sccr(struct l2tp_tunnel *t, struct l2tp_mb *m)
{
	const struct l2tp_engine_cfg *cfg = &t->e->cfg;

	l2tp_mb_u16(m, L2TP_AVP_PROTOCOL_VERSION, true, L2TP_PROTOCOL_VERSION);
	l2tp_mb_u32(m, L2TP_AVP_FRAMING_CAP, true,
		    L2TP_FRAMING_SYNC | L2TP_FRAMING_ASYNC);
	l2tp_mb_u32(m, L2TP_AVP_BEARER_CAP, false, 0);
	l2tp_mb_u16(m, L2TP_AVP_FIRMWARE_REV, false, L2TP_FIRMWARE);
	l2tp_mb_str(m, L2TP_AVP_HOST_NAME, true, cfg->host_name);
	l2tp_mb_str(m, L2TP_AVP_VENDOR_NAME, false, L2TP_VENDOR);
	l2tp_mb_u16(m, L2TP_AVP_ASSIGNED_TUNNEL_ID, true, t->local_id);
	l2tp_mb_u16(m, L2TP_AVP_RECEIVE_WINDOW, true, cfg->receive_window);
	if (cfg->secret_len) {
		l2tp_random(t->challenge, sizeof(t->challenge));
		t->challenged = true;
		l2tp_mb_bytes(m, L2TP_AVP_CHALLENGE, true, t->challenge,
			      sizeof(t->challenge));
	}
}

/* Check the peer's response to our challenge, carried in @type. */
static bool response_ok(struct l2tp_tunnel *t, const struct l2tp_avps *a,
			uint8_t type, const char **why)
{
	const struct l2tp_engine_cfg *cfg = &t->e->cfg;
	uint8_t want[16];

	if (!t->challenged)
		return true;
	if (!l2tp_avp_has(a, L2TP_AVP_CHALLENGE_RESPONSE)) {
		*why = "the peer sent no Challenge Response: it has no tunnel secret; set the same tunnel secret on both ends or remove ours";
		return false;
	}
	l2tp_challenge_response(type, cfg->secret, cfg->secret_len,
				t->challenge, sizeof(t->challenge), want);
	if (CRYPTO_memcmp(want, a->challenge_response, 16)) {
		*why = "Challenge Response does not match: the tunnel secrets differ; check tunnel-secret-file on both ends";
		return false;
	}
	return true;
}

/* Answer the peer's challenge (if any) in a message of @type. */
static bool add_response(struct l2tp_tunnel *t, struct l2tp_mb *m,
			 const struct l2tp_avps *a, uint8_t type,
			 const char **why)
{
	const struct l2tp_engine_cfg *cfg = &t->e->cfg;
	uint8_t resp[16];

	if (!l2tp_avp_has(a, L2TP_AVP_CHALLENGE))
		return true;
	if (!cfg->secret_len) {
		*why = "the peer asks for tunnel authentication but we have no tunnel secret; set tunnel-secret-file in [l2tp]";
		return false;
	}
	l2tp_challenge_response(type, cfg->secret, cfg->secret_len,
				a->challenge, a->challenge_len, resp);
	l2tp_mb_bytes(m, L2TP_AVP_CHALLENGE_RESPONSE, true, resp, 16);
	return true;
}

static void copy_peer_params(struct l2tp_tunnel *t, const struct l2tp_avps *a)
{
	snprintf(t->peer_host, sizeof(t->peer_host), "%s", a->host_name);
	if (l2tp_avp_has(a, L2TP_AVP_RECEIVE_WINDOW))
		l2tp_ctrl_set_window(&t->ctrl, a->receive_window);
}

static const char *missing_sccr_avp(const struct l2tp_avps *a)
{
	if (!l2tp_avp_has(a, L2TP_AVP_ASSIGNED_TUNNEL_ID) ||
	    !a->assigned_tunnel_id)
		return "Assigned Tunnel ID";
	if (!l2tp_avp_has(a, L2TP_AVP_PROTOCOL_VERSION))
		return "Protocol Version";
	if (!l2tp_avp_has(a, L2TP_AVP_HOST_NAME))
		return "Host Name";
	if (!l2tp_avp_has(a, L2TP_AVP_FRAMING_CAP))
		return "Framing Capabilities";
	return NULL;
}

/* LNS: a new SCCRQ. */
static void rx_sccrq(struct l2tp_engine *e, uint32_t peer_id, uint16_t lport,
		     uint16_t rport, const struct l2tp_hdr *h,
		     const struct l2tp_avps *a)
{
	const char *pn = e->ops->peer_name ? e->ops->peer_name(e->arg, peer_id) : "?";
	struct l2tp_tunnel *t;
	const char *missing = missing_sccr_avp(a), *why = NULL;
	char buf[96];
	struct l2tp_mb m;

	if (!e->cfg.accept_incoming) {
		log_msg(LOG_LVL_INFO, LOG_L2TP,
			"%s: SCCRQ ignored: this daemon does not accept incoming tunnels",
			pn ? pn : "?");
		e->stats.rx_bad_state++;
		return;
	}
	if (!l2tp_avp_has(a, L2TP_AVP_ASSIGNED_TUNNEL_ID) ||
	    !a->assigned_tunnel_id) {
		log_msg(LOG_LVL_DEBUG, LOG_L2TP,
			"%s: SCCRQ without Assigned Tunnel ID dropped", pn);
		e->stats.rx_malformed++;
		return;
	}
	if (h->ns != 0) {
		log_msg(LOG_LVL_DEBUG, LOG_L2TP,
			"%s: SCCRQ with Ns %u for an unknown tunnel dropped",
			pn, h->ns);
		e->stats.rx_malformed++;
		return;
	}
	t = tunnel_new(e, peer_id, lport, rport, false);
	if (!t)
		return;	/* logged; the peer retries */
	t->remote_id = a->assigned_tunnel_id;
	t->ctrl.peer_tunnel_id = t->remote_id;
	t->state = T_WAIT_CTL_CONN;
	copy_peer_params(t, a);
	l2tp_ctrl_input(&t->ctrl, h, h->length);

	if (missing) {
		snprintf(buf, sizeof(buf), "SCCRQ lacks the %s AVP", missing);
		tunnel_error(t, L2TP_ERR_LENGTH, buf);
		return;
	}
	if (a->protocol_version != L2TP_PROTOCOL_VERSION) {
		snprintf(buf, sizeof(buf), "SCCRQ for protocol version %#x; we speak 1.0",
			 a->protocol_version);
		tlog(t, LOG_LVL_WARN, "%s", buf);
		tunnel_end_ex(t, END_PROTOCOL_ERROR, buf, true,
			      L2TP_STOPCCN_BAD_VERSION, L2TP_PROTOCOL_VERSION);
		return;
	}
	if (e->cfg.max_tunnels_per_peer && !t->lac &&
	    peer_tunnels(e, peer_id, t) >= e->cfg.max_tunnels_per_peer) {
		/* one line: tunnel_end_ex() names the peer and the cause */
		snprintf(buf, sizeof(buf),
			 "refusing a tunnel: %u tunnels from this peer already (max-tunnels-per-peer in [l2tp])",
			 e->cfg.max_tunnels_per_peer);
		tunnel_end_ex(t, END_LIMIT, buf, true,
			      L2TP_STOPCCN_GENERAL_ERROR, L2TP_ERR_RESOURCES);
		return;
	}
	tlog(t, LOG_LVL_INFO, "SCCRQ from host %s (their tunnel %u, window %u)",
	     t->peer_host, t->remote_id,
	     l2tp_avp_has(a, L2TP_AVP_RECEIVE_WINDOW) ? a->receive_window : 4);
	l2tp_mb_init(&m, L2TP_SCCRP, e->cfg.secret, e->cfg.secret_len);
	add_common_sccr(t, &m);
	if (!add_response(t, &m, a, L2TP_SCCRP, &why)) {
		tlog(t, LOG_LVL_WARN, "tunnel authentication: %s", why);
		tunnel_end_ex(t, END_TUNNEL_AUTH_FAILED, why, true,
			      L2TP_STOPCCN_NOT_AUTHORIZED, 0);
		return;
	}
	l2tp_tunnel_send(t, &m, 0, L2TP_SCCRP);
}

/* LAC: SCCRP. */
static void rx_sccrp(struct l2tp_tunnel *t, const struct l2tp_avps *a)
{
	const char *missing = missing_sccr_avp(a), *why = NULL;
	char buf[96];
	struct l2tp_mb m;

	if (missing) {
		snprintf(buf, sizeof(buf), "SCCRP lacks the %s AVP", missing);
		tunnel_error(t, L2TP_ERR_LENGTH, buf);
		return;
	}
	t->remote_id = a->assigned_tunnel_id;
	t->ctrl.peer_tunnel_id = t->remote_id;
	copy_peer_params(t, a);
	if (a->protocol_version != L2TP_PROTOCOL_VERSION) {
		snprintf(buf, sizeof(buf), "SCCRP for protocol version %#x",
			 a->protocol_version);
		tunnel_end_ex(t, END_PROTOCOL_ERROR, buf, true,
			      L2TP_STOPCCN_BAD_VERSION, L2TP_PROTOCOL_VERSION);
		return;
	}
	if (!response_ok(t, a, L2TP_SCCRP, &why)) {
		tlog(t, LOG_LVL_WARN, "tunnel authentication failed: %s", why);
		tunnel_end_ex(t, END_TUNNEL_AUTH_FAILED, why, true,
			      L2TP_STOPCCN_NOT_AUTHORIZED, 0);
		return;
	}
	l2tp_mb_init(&m, L2TP_SCCCN, NULL, 0);
	if (!add_response(t, &m, a, L2TP_SCCCN, &why)) {
		tlog(t, LOG_LVL_WARN, "tunnel authentication: %s", why);
		tunnel_end_ex(t, END_TUNNEL_AUTH_FAILED, why, true,
			      L2TP_STOPCCN_NOT_AUTHORIZED, 0);
		return;
	}
	l2tp_tunnel_send(t, &m, 0, L2TP_SCCCN);
	tunnel_established(t);
}

static void rx_scccn(struct l2tp_tunnel *t, const struct l2tp_avps *a)
{
	const char *why = NULL;

	if (!response_ok(t, a, L2TP_SCCCN, &why)) {
		tlog(t, LOG_LVL_WARN, "tunnel authentication failed: %s", why);
		tunnel_end_ex(t, END_TUNNEL_AUTH_FAILED, why, true,
			      L2TP_STOPCCN_NOT_AUTHORIZED, 0);
		return;
	}
	tunnel_established(t);
}

static void rx_stopccn(struct l2tp_tunnel *t, const struct l2tp_avps *a)
{
	char detail[200];

	snprintf(detail, sizeof(detail), "peer sent StopCCN, result %u error %u%s%s",
		 a->result_code, a->error_code, a->error_msg[0] ? ": " : "",
		 a->error_msg);
	l2tp_ctrl_ack_now(&t->ctrl);
	t->hold_on_stop = true;
	tunnel_end(t, END_LOGOUT, detail, false);
}

/* A message for the tunnel (and its sessions) in sequence. */
static void tunnel_rx(struct l2tp_tunnel *t, const struct l2tp_hdr *h,
		      const uint8_t *msg)
{
	struct l2tp_engine *e = t->e;
	struct l2tp_avps a;
	struct l2tp_perr err;

	if (l2tp_avps_parse(msg + h->hdr_len, h->length - h->hdr_len,
			    e->cfg.secret, e->cfg.secret_len, &a, &err)) {
		e->stats.rx_dropped_avps++;
		if (h->session_id) {
			l2tp_session_protocol_error(t, h, &err);
			return;
		}
		tunnel_error(t, err.error_code, err.msg);
		return;
	}
	if (a.unknown_skipped)
		tlog(t, LOG_LVL_DEBUG, "%s: skipped %u unknown optional AVPs",
		     l2tp_msg_name(a.msg_type), a.unknown_skipped);

	switch (a.msg_type) {
	case L2TP_SCCRQ:
		/* A second SCCRQ in sequence: nonsense. */
		tunnel_error(t, L2TP_ERR_NONE, "SCCRQ on an existing tunnel");
		return;
	case L2TP_SCCRP:
		if (t->state != T_WAIT_CTL_REPLY)
			break;
		rx_sccrp(t, &a);
		return;
	case L2TP_SCCCN:
		if (t->state != T_WAIT_CTL_CONN)
			break;
		rx_scccn(t, &a);
		return;
	case L2TP_STOPCCN:
		rx_stopccn(t, &a);
		return;
	case L2TP_HELLO:
	case L2TP_WEN:
	case L2TP_SLI:
		return;
	case L2TP_ICRQ:
	case L2TP_ICRP:
	case L2TP_ICCN:
	case L2TP_CDN:
	case L2TP_OCRQ:
	case L2TP_OCRP:
	case L2TP_OCCN:
		if (t->state != T_ESTABLISHED)
			break;
		l2tp_session_rx(t, h, &a);
		return;
	default:
		if (a.msg_type_mandatory) {
			char buf[64];

			snprintf(buf, sizeof(buf),
				 "unknown mandatory message type %u", a.msg_type);
			tunnel_error(t, L2TP_ERR_UNKNOWN_MANDATORY, buf);
			return;
		}
		tlog(t, LOG_LVL_DEBUG, "ignoring unknown message type %u",
		     a.msg_type);
		return;
	}
	e->stats.rx_bad_state++;
	tlog(t, LOG_LVL_DEBUG, "%s ignored in state %d",
	     l2tp_msg_name(a.msg_type), t->state);
}

void l2tp_engine_input(struct l2tp_engine *e, uint32_t peer_id,
		       uint16_t local_port, uint16_t remote_port,
		       const uint8_t *msg, size_t len)
{
	const char *why = NULL;
	struct l2tp_hdr h;
	struct l2tp_tunnel *t;

	if (l2tp_hdr_parse(msg, len, &h, &why)) {
		e->stats.rx_malformed++;
		log_msg(LOG_LVL_DEBUG, LOG_L2TP, "%s: dropped control message: %s",
			e->ops->peer_name ? e->ops->peer_name(e->arg, peer_id) : "?",
			why);
		return;
	}
	if (h.tunnel_id == 0) {
		struct l2tp_avps a;
		struct l2tp_perr err;

		if (l2tp_avps_parse(msg + h.hdr_len, h.length - h.hdr_len,
				    e->cfg.secret, e->cfg.secret_len, &a, &err) ||
		    a.msg_type != L2TP_SCCRQ) {
			e->stats.rx_malformed++;
			log_msg(LOG_LVL_DEBUG, LOG_L2TP,
				"%s: dropped message for tunnel 0: %s",
				e->ops->peer_name ? e->ops->peer_name(e->arg, peer_id) : "?",
				err.msg[0] ? err.msg : "not an SCCRQ");
			return;
		}
		t = find_by_remote(e, peer_id, a.assigned_tunnel_id,
				   remote_port);
		if (t) {
			/* Retransmitted SCCRQ: our SCCRP was lost or slow. */
			l2tp_ctrl_input(&t->ctrl, &h, len);
			return;
		}
		rx_sccrq(e, peer_id, local_port, remote_port, &h, &a);
		return;
	}
	t = find_tunnel(e, peer_id, h.tunnel_id);
	if (!t || t->state == T_DEAD) {
		e->stats.rx_no_tunnel++;
		log_msg(LOG_LVL_DEBUG, LOG_L2TP,
			"%s: dropped control message for unknown tunnel %u",
			e->ops->peer_name ? e->ops->peer_name(e->arg, peer_id) : "?",
			h.tunnel_id);
		return;
	}
	if (t->state == T_WAIT_CTL_REPLY)
		t->remote_port = remote_port;	/* the LNS may answer from another port */
	if (t->state == T_ESTABLISHED && t->e->cfg.hello_interval_ms)
		loop_timer_arm(t->hello_timer, t->e->cfg.hello_interval_ms);
	if (!l2tp_ctrl_input(&t->ctrl, &h, len)) {
		if (t->state == T_CLOSING && !l2tp_ctrl_pending(&t->ctrl))
			tunnel_end(t, t->reason, t->detail, false);
		return;
	}
	if (t->state == T_CLOSING || t->state == T_HOLD)
		return;	/* acknowledged, nothing more */
	tunnel_rx(t, &h, msg);
	if (t->state == T_CLOSING && !l2tp_ctrl_pending(&t->ctrl))
		tunnel_end(t, t->reason, t->detail, false);
}

/* LAC */
struct l2tp_tunnel *l2tp_engine_connect(struct l2tp_engine *e,
					uint32_t peer_id, uint16_t local_port,
					uint16_t remote_port)
{
	struct l2tp_tunnel *t = tunnel_new(e, peer_id, local_port,
					   remote_port, true);
	struct l2tp_mb m;

	if (!t)
		return NULL;
	t->state = T_WAIT_CTL_REPLY;
	l2tp_mb_init(&m, L2TP_SCCRQ, NULL, 0);
	add_common_sccr(t, &m);
	{
		uint8_t tb[8];

		l2tp_random(tb, sizeof(tb));
		l2tp_mb_bytes(&m, L2TP_AVP_TIE_BREAKER, false, tb, sizeof(tb));
	}
	tlog(t, LOG_LVL_INFO, "connecting: SCCRQ sent");
	l2tp_tunnel_send(t, &m, 0, L2TP_SCCRQ);
	return t;
}

uint32_t l2tp_tunnel_peer_id(const struct l2tp_tunnel *t)
{
	return t->peer_id;
}

uint16_t l2tp_tunnel_local_id(const struct l2tp_tunnel *t)
{
	return t->local_id;
}

uint16_t l2tp_tunnel_remote_id(const struct l2tp_tunnel *t)
{
	return t->remote_id;
}

bool l2tp_tunnel_established(const struct l2tp_tunnel *t)
{
	return t->state == T_ESTABLISHED;
}

unsigned int l2tp_tunnel_sessions(const struct l2tp_tunnel *t)
{
	return t->n_sessions;
}

const struct l2tp_ctrl_stats *l2tp_tunnel_ctrl_stats(const struct l2tp_tunnel *t)
{
	return &t->ctrl.stats;
}

void l2tp_tunnel_set_priv(struct l2tp_tunnel *t, void *priv)
{
	t->priv = priv;
}

void *l2tp_tunnel_priv(const struct l2tp_tunnel *t)
{
	return t->priv;
}
