/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd: the L2TP/PPP half of the daemon, as main.c sees it.
 *
 * One struct l2tp per daemon owns the L2TP engine (tunnels and sessions,
 * LNS and LAC), a PPP link per session, the users (chap-secrets), the
 * address pool, and the addresses and routes of the l2tpsec device. It
 * programs the module through kmod.h and runs on loop.h.
 *
 * What main.c does (the "L2TP/PPP: registered here" places):
 *
 *   d.l2tp = l2tp_new(d.loop);                   // before the config
 *   l2tp_register_config(d.l2tp, d.cfg);         // [l2tp] [ppp] [pool] [lac NAME]
 *   ... config_load(), kmod_open() with handlers that forward to
 *       l2tp_on_ctrl(), l2tp_on_ppp(), l2tp_on_event() ...
 *   if (l2tp_start(d.l2tp, d.kmod) < 0) goto out;  // secrets, pool, device
 *
 *   IKE peer_up (Quick Mode created module peer @peer_id and its SAs):
 *       l2tp_peer_up(d.l2tp, peer_id, remote, l2tp_port, initiator, name);
 *       as initiator it connects with [lac NAME] (NAME: the IKE peer's
 *       section name), to @l2tp_port when not 0.
 *   IKE peer_down (delete received, SAs expired without rekey, DPD...),
 *       before kmod_peer_del():
 *       l2tp_peer_down_ike(d.l2tp, peer_id, reason, why);
 *   SIGHUP: l2tp_reload_prepare(), then l2tp_reload_commit() (reload.c);
 *   at exit (before kmod_close()): l2tp_free(d.l2tp);
 */
#ifndef L2TPSECD_L2TP_H
#define L2TPSECD_L2TP_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "ike/ike.h"
#include "l2tp/engine.h"
#include "end_reason.h"
#include "l2tp/user_limits.h"
#include "ppp/ppp.h"

struct loop;
struct kmod;
struct l2_event;
struct config_loader;
struct l2tp;

#define L2TP_CONF_MAX_RANGES	32
#define L2TP_CONF_MAX_ROUTES	16
#define L2TP_CONF_PATH		256

struct l2tp_range {
	uint32_t	first, last;		/* host order */
};

struct l2tp_route {
	struct in_addr	dst;
	uint8_t		plen;
};

/* [lac NAME]: one outgoing connection (client role). */
struct l2tp_lac_conf {
	char		name[64];
	struct ppp_cfg	ppp;			/* user, password, auth ... */
	char		password_file[L2TP_CONF_PATH];
	struct l2tp_route routes[L2TP_CONF_MAX_ROUTES];
	unsigned int	nroutes;
	uint32_t	reconnect_min_s, reconnect_max_s;
	uint16_t	remote_port;		/* inner UDP, 1701 */
};

struct l2tp_conf {
	/* [l2tp] */
	struct l2tp_engine_cfg	engine;
	char			tunnel_secret_file[L2TP_CONF_PATH];
	/* [ppp] (the server's PPP) */
	struct ppp_cfg		ppp;
	char			chap_secrets[L2TP_CONF_PATH];
	struct l2tp_user_limits	limits;		/* per user, per peer */
	/* [pool] */
	struct l2tp_range	ranges[L2TP_CONF_MAX_RANGES];
	unsigned int		nranges;
	struct l2tp_range	excludes[L2TP_CONF_MAX_RANGES];
	unsigned int		nexcludes;
	bool			have_pool_section;
	bool			have_ppp_section;	/* the server's PPP */
	bool			listen_set;	/* [l2tp] listen given */
	/* [lac NAME] */
	struct l2tp_lac_conf	*lacs;
	unsigned int		nlacs;
	/* registered with the loader (it may keep pointers to them) */
	struct config_section	sections[4];
};

void l2tp_conf_init(struct l2tp_conf *c);
void l2tp_conf_register(struct config_loader *ld, struct l2tp_conf *c);
void l2tp_conf_fini(struct l2tp_conf *c);
const struct l2tp_lac_conf *l2tp_conf_lac(const struct l2tp_conf *c,
					  const char *name);

/* The L2TP/PPP half with its configuration at defaults; NULL: no memory. */
struct l2tp *l2tp_new(struct loop *loop);
void l2tp_register_config(struct l2tp *l, struct config_loader *ld);
struct l2tp_conf *l2tp_get_conf(struct l2tp *l);
/*
 * After the config is loaded and the module opened: reads the secrets
 * files (refusing ones others can read), builds the pool, gives the device
 * the pool's local address and brings it up. 0, or -errno after logging
 * why (the daemon should not start).
 */
int l2tp_start(struct l2tp *l, struct kmod *kmod);
/*
 * [radius] (radius/conf.h, its secret loaded): server logins are checked
 * by RADIUS as its order says. Call once, before l2tp_start(); a
 * configuration without [radius] is ignored. 0, or -ENOMEM.
 */
struct radius_conf;
int l2tp_set_radius(struct l2tp *l, const struct radius_conf *c);
/* Access-Requests in flight (0 without [radius]). */
unsigned int l2tp_radius_pending(const struct l2tp *l);
/* Ends every session (END_SHUTDOWN), removes routes and module sessions. */
void l2tp_free(struct l2tp *l);

/* kmod_handlers forwards. */
void l2tp_on_ctrl(struct l2tp *l, uint32_t peer_id, uint16_t local_port,
		  uint16_t remote_port, const uint8_t *msg, size_t len);
void l2tp_on_ppp(struct l2tp *l, uint32_t peer_id, uint16_t tunnel_id,
		 uint16_t session_id, const uint8_t *pkt, size_t len);
void l2tp_on_event(struct l2tp *l, const struct l2_event *ev);

/*
 * IKE: module peer @peer_id exists (its SAs are installed). @remote names
 * it in log lines. As @initiator, a tunnel and call start at once with
 * [lac @conf_name] to inner port @l2tp_port (0: the section's, 1701).
 */
void l2tp_peer_up(struct l2tp *l, uint32_t peer_id,
		  const struct sockaddr_in *remote, uint16_t l2tp_port,
		  bool initiator, const char *conf_name);
/*
 * IKE: the peer is going away. Its sessions end with @reason
 * (END_IKE_DELETE, END_SA_EXPIRY, ...) and @why (NULL: a default text);
 * nothing is sent (the SAs are gone). Call before kmod_peer_del().
 */
void l2tp_peer_down(struct l2tp *l, uint32_t peer_id, enum end_reason reason,
		    const char *why);

/*
 * The same, from IKE's peer_down hook: @r is IKE's typed reason, mapped
 * by l2tp_reason_of_ike() (peer delete -> END_IKE_DELETE, expired ->
 * END_SA_EXPIRY, rekey failed -> END_REKEY_FAILED, dead peer ->
 * END_DPD_TIMEOUT, admin -> END_ADMIN_KICK, shutdown -> END_SHUTDOWN,
 * local error -> END_KERNEL_ERROR); IKE's text @why is kept in the detail
 * ("IPsec SA pair gone: WHY").
 */
enum end_reason l2tp_reason_of_ike(enum ike_down_reason r);
void l2tp_peer_down_ike(struct l2tp *l, uint32_t peer_id,
			enum ike_down_reason r, const char *why);

/*
 * Client role: open a tunnel and a call to @peer_id using [lac @name].
 * When the session ends while the peer is up, it is retried with backoff
 * (reconnect-min doubling up to reconnect-max). 0 or -errno.
 */
int l2tp_connect(struct l2tp *l, uint32_t peer_id, const char *name);
int l2tp_connect_port(struct l2tp *l, uint32_t peer_id, const char *name,
		      uint16_t remote_port);
/* Stop the client connection on @peer_id (END_LOCAL_CLOSE). */
void l2tp_disconnect(struct l2tp *l, uint32_t peer_id);
/* Told when a client connection ends for good (peer down, disconnect). */
void l2tp_set_client_down_cb(struct l2tp *l,
			     void (*fn)(void *arg, uint32_t peer_id,
					enum end_reason r),
			     void *arg);

/* Admin: which sessions to end. */
enum l2tp_kick_by {
	L2TP_KICK_USER,		/* every session of a user */
	L2TP_KICK_ADDRESS,	/* the session with this client address */
	L2TP_KICK_SESSION,	/* module peer, our tunnel and session id */
};

struct l2tp_kick {
	enum l2tp_kick_by	by;
	char			user[PPP_MAX_NAME + 1];
	struct in_addr		address;
	uint32_t		peer_id;
	uint16_t		tunnel_id, session_id;
	uint32_t		block_s;	/* 0: no block */
};

/*
 * Admin: end the sessions @k selects with END_ADMIN_KICK (LCP Terminate,
 * then CDN), logged with @who (e.g. "(l2tpsec kick, uid 0)"; may be
 * NULL). Returns how many. With @k->block_s, the user of every session
 * ended (and the user named by L2TP_KICK_USER, connected or not) is
 * refused at login for that long: an authentication failure that says
 * for how long and how to lift it. *@blocked (may be NULL) gets how many
 * users were blocked.
 */
int l2tp_kick(struct l2tp *l, const struct l2tp_kick *k, const char *who);
int l2tp_kick_block(struct l2tp *l, const struct l2tp_kick *k,
		    const char *who, unsigned int *blocked);
int l2tp_kick_user(struct l2tp *l, const char *user);
/* Admin: lift @user's block. 0, or -ENOENT when it has none. */
int l2tp_unblock(struct l2tp *l, const char *user, const char *who);
/* The blocked users and their remaining seconds; returns how many. */
unsigned int l2tp_for_each_block(struct l2tp *l,
				 void (*fn)(void *arg, const char *user,
					    uint32_t remaining_s),
				 void *arg);

/* What `l2tpsec who` shows of a session; pointers valid during the call. */
struct l2tp_session_view {
	uint32_t		peer_id;	/* module peer (IPsec SA pair) */
	struct sockaddr_in	outer;		/* its outer address, port */
	uint16_t		local_tunnel_id, local_session_id;
	uint16_t		remote_tunnel_id, remote_session_id;
	bool			client;		/* we are the LAC */
	const char		*lac;		/* [lac NAME] when client */
	const char		*user;		/* "" before authentication */
	const char		*user_sent;	/* the name the client sent, when not @user */
	const char		*phase;		/* PPP phase */
	enum ppp_auth		auth;
	const char		*peer_host;	/* the peer's L2TP Host Name */
	struct in_addr		address;	/* the client's address (0: none yet) */
	struct in_addr		peer_address;	/* the other end's */
	bool			ipv6;		/* IPV6CP opened */
	struct in6_addr		peer_ll;	/* the client's link-local address */
	uint64_t		uptime_ms;
	bool			ending;		/* kicked, closing */
	/* LCP echo: requests sent, replies; the last round trip and its age */
	uint64_t		lcp_echo_tx, lcp_echo_rx;
	bool			has_lcp_rtt;
	uint64_t		lcp_rtt_ms, lcp_rtt_age_ms;
};

void l2tp_for_each_session(struct l2tp *l,
			   void (*fn)(void *arg,
				      const struct l2tp_session_view *v),
			   void *arg);
/* Re-read chap-secrets alone. 0 or -errno (the old one stays). */
int l2tp_reload_secrets(struct l2tp *l);

/*
 * Reload (SIGHUP), in two steps so that the daemon applies all of a new
 * configuration or none of it. @nc is a new configuration, completely
 * parsed (config_load() returned 0).
 *
 * l2tp_reload_prepare() checks what the start would (chap-secrets, the
 * pool's ranges, [lac] password files), builds the new users and pool,
 * and logs one line for each setting that needs a restart ("reload:
 * [l2tp] listen changed; needs a restart (...)"); those keep their
 * running values. NULL: refused, logged; nothing changed.
 * l2tp_reload_commit() applies it: new users, ranges and settings for
 * new negotiations; live sessions keep their addresses (a removed
 * range's addresses are not handed out again), PPP links and tunnels.
 * @nc then holds the old configuration (for l2tp_conf_fini()).
 * l2tp_reload_abort() drops a prepared reload.
 */
struct l2tp_reload;
struct l2tp_reload *l2tp_reload_prepare(struct l2tp *l, struct l2tp_conf *nc);
void l2tp_reload_commit(struct l2tp *l, struct l2tp_reload *r);
void l2tp_reload_abort(struct l2tp_reload *r);
/*
 * --check-config: what l2tp_start() would refuse or warn about in @c
 * (chap-secrets, pool ranges against each other and the local address,
 * pinned addresses, [lac] password files, tunnel-secret-file), each
 * logged. 0, or the number of errors.
 */
int l2tp_conf_check(const struct l2tp_conf *c);
/* One line per session: user, peer, address, ids, phase, duration. */
void l2tp_dump(struct l2tp *l, FILE *f);
unsigned int l2tp_session_count(const struct l2tp *l);

#endif
