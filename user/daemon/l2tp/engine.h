/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd: the L2TPv2 control protocol engine (RFC 2661), LNS and LAC.
 *
 * Pure protocol logic: it takes received control messages and timer ticks
 * (through loop.h timers) and emits messages and events through struct
 * l2tp_engine_ops. It knows nothing of netlink, PPP or IKE; l2tpd.c glues
 * it to those.
 *
 * Tunnels are keyed by (peer id, our tunnel id); a peer (one IPsec SA
 * pair) carries any number of tunnels, each any number of sessions.
 */
#ifndef L2TPSECD_L2TP_ENGINE_H
#define L2TPSECD_L2TP_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "avp.h"
#include "ctrl.h"
#include "end_reason.h"

struct loop;
struct loop_timer;
struct l2tp_engine;
struct l2tp_tunnel;
struct l2tp_session;

struct l2tp_engine_cfg {
	char		host_name[L2TP_MAX_NAME + 1];
	uint8_t		secret[L2TP_MAX_SECRET];	/* tunnel secret */
	size_t		secret_len;			/* 0: none */
	bool		hide_avps;		/* hide session AVPs (needs secret) */
	bool		accept_incoming;	/* act as LNS */
	uint16_t	receive_window;		/* ours, announced */
	uint32_t	hello_interval_ms;	/* 0: never */
	uint32_t	hold_ms;		/* after StopCCN */
	unsigned int	max_tunnels;		/* 0: no limit */
	unsigned int	max_sessions;		/* per tunnel, 0: no limit */
	unsigned int	max_tunnels_per_peer;	/* per IPsec peer, 0: no limit */
	struct l2tp_ctrl_cfg ctrl;
};

void l2tp_engine_cfg_defaults(struct l2tp_engine_cfg *cfg);

struct l2tp_engine_ops {
	void (*xmit)(void *arg, uint32_t peer_id, uint16_t local_port,
		     uint16_t remote_port, const uint8_t *msg, size_t len);
	/* Printable peer for log lines ("203.0.113.7"). */
	const char *(*peer_name)(void *arg, uint32_t peer_id);
	/* Tunnel established (both roles). */
	void (*tunnel_up)(void *arg, struct l2tp_tunnel *t);
	/* Tunnel gone; its sessions already ended. */
	void (*tunnel_down)(void *arg, struct l2tp_tunnel *t,
			    enum end_reason r, const char *detail);
	/* Session established; 0, or -errno to disconnect it (CDN). */
	int (*session_up)(void *arg, struct l2tp_session *s);
	/*
	 * Session ended (only for sessions that were up). After it returns
	 * the session is gone.
	 */
	void (*session_down)(void *arg, struct l2tp_session *s,
			     enum end_reason r, const char *detail);
};

struct l2tp_engine_stats {
	uint64_t	rx_malformed, rx_no_tunnel, rx_no_session,
			rx_bad_state, rx_dropped_avps, tunnels_created,
			sessions_created;
};

struct l2tp_engine *l2tp_engine_new(struct loop *loop,
				    const struct l2tp_engine_cfg *cfg,
				    const struct l2tp_engine_ops *ops,
				    void *arg);
/*
 * Reload: the settings new tunnels and sessions use (host name, window,
 * timers, limits). The tunnel secret, hide-avps and the role stay as they
 * are: tunnels up now hide and check AVPs with them.
 */
void l2tp_engine_set_cfg(struct l2tp_engine *e,
			 const struct l2tp_engine_cfg *cfg);
/* Ends everything with @reason (StopCCN sent, not waited for). */
void l2tp_engine_free(struct l2tp_engine *e, enum end_reason reason);
const struct l2tp_engine_stats *l2tp_engine_stats(const struct l2tp_engine *e);

/* A received control message, from the L2TP header on. */
void l2tp_engine_input(struct l2tp_engine *e, uint32_t peer_id,
		       uint16_t local_port, uint16_t remote_port,
		       const uint8_t *msg, size_t len);

/* LAC: open a tunnel to @peer_id (SCCRQ) and place one call once up. */
struct l2tp_tunnel *l2tp_engine_connect(struct l2tp_engine *e,
					uint32_t peer_id, uint16_t local_port,
					uint16_t remote_port);
/* LAC: place an incoming call (ICRQ) on an established tunnel. */
struct l2tp_session *l2tp_tunnel_call(struct l2tp_tunnel *t);

/* Close one session (CDN) or tunnel (StopCCN) with @reason. */
void l2tp_session_close(struct l2tp_session *s, enum end_reason reason,
			const char *detail);
void l2tp_tunnel_close(struct l2tp_tunnel *t, enum end_reason reason,
		       const char *detail);
/* Every tunnel of a peer (IKE delete, SA expiry). */
void l2tp_engine_peer_down(struct l2tp_engine *e, uint32_t peer_id,
			   enum end_reason reason, const char *detail);

struct l2tp_session *l2tp_engine_find_session(struct l2tp_engine *e,
					      uint32_t peer_id,
					      uint16_t tunnel_id,
					      uint16_t session_id);

/* Iterate (for show/kick): calls @fn for every established session. */
void l2tp_engine_for_each_session(struct l2tp_engine *e,
				  void (*fn)(struct l2tp_session *s, void *arg),
				  void *arg);

/* What the glue needs to know about a session. */
struct l2tp_session_info {
	uint32_t	peer_id;
	uint16_t	local_tunnel_id, local_session_id;
	uint16_t	remote_tunnel_id, remote_session_id;
	uint16_t	local_port, remote_port;
	bool		lac;			/* we placed the call */
	bool		seq_required;		/* data messages carry Ns/Nr */
	const char	*peer_host_name;
	uint32_t	call_serial;
};
void l2tp_session_get_info(const struct l2tp_session *s,
			   struct l2tp_session_info *info);
void l2tp_session_set_priv(struct l2tp_session *s, void *priv);
void *l2tp_session_priv(const struct l2tp_session *s);
struct l2tp_tunnel *l2tp_session_tunnel(const struct l2tp_session *s);

uint32_t l2tp_tunnel_peer_id(const struct l2tp_tunnel *t);
uint16_t l2tp_tunnel_local_id(const struct l2tp_tunnel *t);
uint16_t l2tp_tunnel_remote_id(const struct l2tp_tunnel *t);
bool l2tp_tunnel_established(const struct l2tp_tunnel *t);
unsigned int l2tp_tunnel_sessions(const struct l2tp_tunnel *t);
const struct l2tp_ctrl_stats *l2tp_tunnel_ctrl_stats(const struct l2tp_tunnel *t);
void l2tp_tunnel_set_priv(struct l2tp_tunnel *t, void *priv);
void *l2tp_tunnel_priv(const struct l2tp_tunnel *t);

unsigned int l2tp_engine_tunnel_count(const struct l2tp_engine *e);
unsigned int l2tp_engine_session_count(const struct l2tp_engine *e);

#endif
