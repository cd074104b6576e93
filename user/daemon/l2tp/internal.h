/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd: the L2TP engine's private structures (tunnel.c, session.c).
 */
#ifndef L2TPSECD_L2TP_INTERNAL_H
#define L2TPSECD_L2TP_INTERNAL_H

#include "engine.h"

enum tunnel_state {
	T_WAIT_CTL_REPLY,	/* LAC: SCCRQ sent */
	T_WAIT_CTL_CONN,	/* LNS: SCCRP sent */
	T_ESTABLISHED,
	T_CLOSING,		/* StopCCN sent, waiting for its ack */
	T_HOLD,			/* StopCCN received: ack duplicates a while */
	T_DEAD,
};

enum session_state {
	S_WAIT_TUNNEL,		/* LAC: call placed before the tunnel is up */
	S_WAIT_ICRP,		/* LAC: ICRQ sent */
	S_WAIT_ICCN,		/* LNS: ICRP sent */
	S_ESTABLISHED,
	S_DEAD,
};

struct l2tp_session {
	struct l2tp_session	*next;
	struct l2tp_tunnel	*t;
	enum session_state		state;
	uint16_t		local_id, remote_id;
	bool			lac, seq_required, up;
	uint32_t		call_serial;
	void			*priv;
};

struct l2tp_tunnel {
	struct l2tp_tunnel	*next;
	struct l2tp_engine	*e;
	enum tunnel_state		state;
	uint32_t		peer_id;
	uint16_t		local_id, remote_id;
	uint16_t		local_port, remote_port;
	bool			lac;
	bool			challenged;	/* we sent a Challenge */
	bool			hold_on_stop;	/* StopCCN received */
	uint8_t			challenge[16];
	struct l2tp_ctrl	ctrl;
	char			peer_host[L2TP_MAX_NAME + 1];
	struct loop_timer	*hello_timer, *hold_timer;
	struct l2tp_session	*sessions;
	unsigned int		n_sessions;
	unsigned int		pending_calls;	/* LAC: calls once up */
	enum end_reason		reason;
	char			detail[160];
	void			*priv;
};

struct l2tp_engine {
	struct loop		*loop;
	struct l2tp_engine_cfg	cfg;
	const struct l2tp_engine_ops *ops;
	void			*arg;
	struct l2tp_tunnel	*tunnels;
	struct l2tp_tunnel	*dead_tunnels;
	struct l2tp_session	*dead_sessions;
	struct loop_timer	*reaper;
	unsigned int		n_tunnels, n_sessions;
	uint32_t		next_serial;
	bool			freeing;
	struct l2tp_engine_stats stats;
};

const char *l2tp_peer(const struct l2tp_tunnel *t);
void l2tp_tunnel_send(struct l2tp_tunnel *t, struct l2tp_mb *m,
		      uint16_t session_id, uint16_t type);
void l2tp_reap_later(struct l2tp_engine *e);

/* session.c */
void l2tp_session_rx(struct l2tp_tunnel *t, const struct l2tp_hdr *h,
		     const struct l2tp_avps *a);
void l2tp_session_end(struct l2tp_session *s, enum end_reason r,
		      const char *detail, bool send_cdn);
void l2tp_session_start_call(struct l2tp_session *s);
void l2tp_session_protocol_error(struct l2tp_tunnel *t,
				 const struct l2tp_hdr *h,
				 const struct l2tp_perr *err);

#endif
