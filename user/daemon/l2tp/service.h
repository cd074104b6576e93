/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd: the L2TP service's private structures and helpers, shared by
 * service.c, session_glue.c, client.c, ike_peers.c and admin.c.
 */
#ifndef L2TPSECD_L2TP_SERVICE_H
#define L2TPSECD_L2TP_SERVICE_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#include "auth/auth.h"
#include "kmod.h"
#include "l2tp/l2tp.h"
#include "loop.h"
#include "radius/conf.h"

struct peer_rec {
	struct peer_rec	*next;
	uint32_t	id;
	struct sockaddr_in addr;	/* outer; port 0: not known */
	char		name[48];
};

struct service_session;

struct client {
	struct client			*next;
	struct l2tp			*l;
	uint32_t			peer_id;
	const struct l2tp_lac_conf	*lac;
	/* its [lac] as it was, when a reload removed the section */
	struct l2tp_lac_conf		*lac_kept;
	struct ppp_cfg			ppp;
	struct l2tp_tunnel		*tunnel;
	struct service_session		*session;
	uint32_t			backoff_s;
	uint16_t			remote_port;
	struct loop_timer		*retry;
	bool				stopping;
};

/* One L2TP session as the service runs it: module, PPP, addresses, end. */
struct service_session {
	struct service_session	*next;
	struct l2tp		*l;
	struct l2tp_session	*engine_session;
	struct ppp_link		*ppp;
	struct client		*client;
	struct l2tp_session_info info;
	char			ident[96];
	struct kmod_session	module_session;
	bool			kmod_added, v4_route, v6_route, v4_addr;
	bool			addr_held;
	struct in_addr		peer_ip, local_ip;
	struct in6_addr		local_ll, peer_ll;
	bool			v6_addr;
	unsigned int		routes_added;
	enum ppp_auth		auth;
	uint64_t		start_ms;
	struct loop_timer	*end_timer;
	enum end_reason		end_reason;
	char			end_detail[192];
	bool			ending;
	bool			ipcp_done;	/* "connected" said */
	/*
	 * Server: the chap-secrets user the client logged in as (one name
	 * whatever domain it sent: who, kick, block and logs use it) and
	 * the name it sent.
	 */
	char			user[PPP_MAX_NAME + 1];
	char			user_sent[PPP_MAX_NAME + 1];
	bool			authed;		/* counts for its user */
	/* Server with [radius]: the Access-Request in flight, the answer */
	struct radius_request	*radius_req;
	bool			radius_authed, radius_has_ip;
	struct in_addr		radius_ip;	/* Framed-IP-Address */
};

struct l2tp {
	struct loop		*loop;
	struct kmod		*kmod;
	const struct l2tp_conf	*conf;		/* &own_conf */
	struct l2tp_conf	own_conf;
	bool			started;
	struct l2tp_engine	*engine;
	struct secrets		*secrets;
	struct pool		*pool;
	struct block_list	*blocks;	/* kick --block */
	struct lockout		*lockout;	/* failed logins */
	struct netcfg		*net;
	int			ifindex;
	struct peer_rec		*peers;
	struct service_session	*sessions;
	unsigned int		nsessions;
	struct client		*clients;
	void			(*client_down)(void *arg, uint32_t peer_id,
					       enum end_reason r);
	void			*client_down_arg;
	bool			local_addr;
	/* [radius]: NULL when not configured */
	struct radius_client	*radius;
	enum radius_order	radius_order;
	uint32_t		radius_max_pending;
};

/* service.c */
struct peer_rec *peer_find(const struct l2tp *l, uint32_t id);
void peer_set_addr(struct peer_rec *p, struct in_addr a, uint16_t port);
const char *peer_str(struct l2tp *l, uint32_t id);
int read_secret_file(const char *path, char *out, size_t size);
void fmt_duration(char *buf, size_t size, uint64_t ms);
void exclude_pinned(void *arg, struct in_addr a);

/* session_glue.c */
void canonical_user(struct l2tp *l, const char *sent, char *out,
		    size_t size);
const char *session_user(const struct service_session *s);
extern const struct l2tp_engine_ops l2tp_service_engine_ops;

/* client.c */
void client_schedule(struct client *c);
void client_free(struct client *c);
void client_stop(struct client *c, enum end_reason r, bool notify);

#endif
