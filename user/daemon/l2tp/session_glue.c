// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: one session's glue: its state in the module, the PPP link's
 * callbacks (authentication, IPCP/IPV6CP addresses and routes, the end)
 * and the L2TP engine's callbacks (transmit, tunnels and sessions up and
 * down).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "auth/auth.h"
#include "config.h"
#include "devent.h"
#include "escape.h"
#include "kmod.h"
#include "l2tp/diag.h"
#include "l2tp/l2tp.h"
#include "netcfg.h"
#include "log.h"
#include "loop.h"
#include "secretfile.h"

#include "l2tp/service.h"

/* ---- module session --------------------------------------------------- */

static int module_session_set(struct service_session *s)
{
	int err = kmod_session_set(s->l->kmod, &s->module_session);

	if (err)
		log_msg(LOG_LVL_WARN, LOG_KERNEL, "%s: session update refused: %s",
			s->ident, kmod_last_error(s->l->kmod));
	return err;
}

static void release_net(struct service_session *s)
{
	struct l2tp *l = s->l;
	struct in_addr none = { 0 };
	unsigned int i;

	if (s->v4_route)
		netcfg_route4(l->net, l->ifindex, false, s->peer_ip, 32, none);
	if (s->v4_addr)
		netcfg_addr4(l->net, l->ifindex, false, s->local_ip, s->peer_ip,
			     32);
	if (s->client)
		for (i = 0; i < s->routes_added; i++)
			netcfg_route4(l->net, l->ifindex, false,
				      s->client->lac->routes[i].dst,
				      s->client->lac->routes[i].plen, none);
	if (s->v6_route)
		netcfg_route6(l->net, l->ifindex, false, &s->peer_ll, 128);
	if (s->v6_addr)
		netcfg_addr6(l->net, l->ifindex, false, &s->local_ll, 128);
	s->v4_route = s->v4_addr = s->v6_route = s->v6_addr = false;
	s->routes_added = 0;
}

/* ---- PPP ops ------------------------------------------------------------ */

static void ppp_send_cb(void *arg, const uint8_t *pkt, size_t len)
{
	struct service_session *s = arg;
	int err;

	err = kmod_send_ppp(s->l->kmod, s->info.peer_id,
			    s->info.local_tunnel_id, s->info.local_session_id,
			    pkt, len);
	if (err)
		log_msg(LOG_LVL_DEBUG, LOG_KERNEL, "%s: PPP frame not sent: %s",
			s->ident, kmod_last_error(s->l->kmod));
}

static void ppp_lcp_up(void *arg, const struct ppp_lcp_info *info)
{
	struct service_session *s = arg;

	s->auth = info->auth;
	s->module_session.ppp_acfc = info->peer_acfc;
	s->module_session.ppp_pfc = info->peer_pfc;
	module_session_set(s);
}

/*
 * The chap-secrets entry of @user; "DOMAIN\user" (what Windows sends when
 * the user typed a domain) falls back to "user".
 */
static int lookup_user(struct l2tp *l, const char *user, char *secret,
		       size_t size, struct secret_user *u)
{
	const char *bs;
	int ret;

	if (!l->secrets)
		return -ENOENT;
	ret = secrets_lookup(l->secrets, user, l->conf->ppp.name, secret, size,
			     u);
	if (ret == -ENOENT && (bs = strrchr(user, '\\')) && bs[1])
		ret = secrets_lookup(l->secrets, bs + 1, l->conf->ppp.name,
				     secret, size, u);
	return ret;
}

/*
 * The one name of the user who sends @sent: the chap-secrets entry it
 * gets the secret of ("CORP\\alice" -> "alice"); without one, the name
 * without its domain.
 */
void canonical_user(struct l2tp *l, const char *sent, char *out,
			   size_t size)
{
	char tmp[PPP_MAX_SECRET + 1];
	struct secret_user u;
	const char *bs;

	if (!lookup_user(l, sent, tmp, sizeof(tmp), &u)) {
		snprintf(out, size, "%s", u.name);
	} else {
		bs = strrchr(sent, '\\');
		snprintf(out, size, "%s", bs && bs[1] ? bs + 1 : sent);
	}
	OPENSSL_cleanse(tmp, sizeof(tmp));
}

/* The client named itself @sent: record who that is. */
static void session_set_user(struct service_session *s, const char *sent)
{
	if (s->client)
		return;
	snprintf(s->user_sent, sizeof(s->user_sent), "%s", sent);
	canonical_user(s->l, sent, s->user, sizeof(s->user));
	if (s->ppp)
		ppp_link_set_canonical(s->ppp, s->user);
}

/* Who the session is: the canonical user on a server. */
const char *session_user(const struct service_session *s)
{
	if (s->user[0])
		return s->user;
	return s->ppp ? ppp_link_user(s->ppp) : "";
}

static void radius_done(void *arg, const struct radius_auth_result *r)
{
	struct service_session *s = arg;
	struct ppp_verify_result v = {
		.accepted = r->status == RADIUS_ACCEPTED,
		.detail = r->detail,
		.mschap2_success = r->mschap2_success,
	};

	s->radius_req = NULL;
	s->radius_authed = v.accepted;
	/* 255.255.255.254: the NAS picks (the pool); .255: the user may */
	s->radius_has_ip = v.accepted && r->has_framed_ip &&
			   ntohl(r->framed_ip.s_addr) < 0xfffffffe;
	s->radius_ip = r->framed_ip;
	ppp_link_verified(s->ppp, &v);
}

/*
 * With [radius]: the credentials go to the RADIUS server (order
 * radius-only, or local-first and the user is not in chap-secrets).
 */
static int ppp_verify(void *arg, const struct ppp_verify_req *v, char *why,
		      size_t size)
{
	struct service_session *s = arg;
	struct l2tp *l = s->l;
	const struct peer_rec *p = peer_find(l, s->info.peer_id);
	char tmp[PPP_MAX_SECRET + 1], station[64] = "";
	struct radius_auth_req r = {
		.user = v->user, .password = v->password,
		.password_len = v->password_len, .chap_id = v->id,
		.challenge = v->challenge, .challenge_len = v->challenge_len,
		.response = v->response, .response_len = v->response_len,
		.nas_port = s->info.local_session_id,
	};
	int err;

	if (!l->radius || s->client)
		return 0;
	session_set_user(s, v->user);
	if (l->radius_order == RADIUS_ORDER_LOCAL_FIRST) {
		err = lookup_user(l, v->user, tmp, sizeof(tmp), NULL);
		OPENSSL_cleanse(tmp, sizeof(tmp));
		if (!err)
			return 0;
	}
	r.method = v->proto == PPP_AUTH_PAP ? RADIUS_PAP :
		   v->proto == PPP_AUTH_CHAP_MD5 ? RADIUS_CHAP_MD5 :
		   RADIUS_MSCHAPV2;
	if (p) {
		snprintf(station, sizeof(station), "%s:%u",
			 inet_ntoa(p->addr.sin_addr),
			 ntohs(p->addr.sin_port));
		r.calling_station = station;
		r.tunnel_client = p->addr.sin_addr;
	}
	radius_request_cancel(s->radius_req);
	s->radius_req = radius_auth_start(l->radius, &r, radius_done, s);
	if (!s->radius_req) {
		err = errno ? errno : EIO;
		if (err == EAGAIN)
			snprintf(why, size,
				 "RADIUS: %u requests already in flight; max-pending in [radius]",
				 l->radius_max_pending);
		else
			snprintf(why, size, "RADIUS: cannot send: %s",
				 strerror(err));
		return -err;
	}
	return 1;
}

static int ppp_get_secret(void *arg, const char *user, char *secret,
			  size_t size)
{
	struct service_session *s = arg;

	session_set_user(s, user);
	return lookup_user(s->l, user, secret, size, NULL);
}

/* The session's chap-secrets user, NULL when the name is not there. */
static const char *session_known_user(struct service_session *s)
{
	char tmp[PPP_MAX_SECRET + 1];
	int err;

	err = lookup_user(s->l, s->user_sent, tmp, sizeof(tmp), NULL);
	OPENSSL_cleanse(tmp, sizeof(tmp));
	return err ? NULL : s->user;
}

/* The IPsec peer's outer address (network order), 0 when not known. */
static uint32_t session_peer_addr(const struct service_session *s)
{
	const struct peer_rec *p = peer_find(s->l, s->info.peer_id);

	return p ? p->addr.sin_addr.s_addr : 0;
}

static void ppp_auth_failed(void *arg, const char *user)
{
	struct service_session *s = arg;

	session_set_user(s, user);
	user_limits_login_failed(&s->l->conf->limits, s->l->lockout,
				 session_known_user(s), session_peer_addr(s),
				 loop_now_ms(s->l->loop));
}

/*
 * max-sessions-per-user: 0, or -EDQUOT with @why. With the action
 * replace, the oldest sessions of the user end at once, and give back
 * their address, routes and module session now (a pinned address is
 * the new session's).
 */
static int session_user_limit(struct service_session *s, char *why, size_t size)
{
	struct l2tp *l = s->l;
	unsigned int have = 0, evict;
	struct service_session *o, *oldest;
	char detail[256];
	int err;

	for (o = l->sessions; o; o = o->next)
		have += o != s && !o->client && o->authed && o->ppp &&
			ppp_link_ending(o->ppp, NULL) == END_NONE &&
			!strcmp(o->user, s->user);
	err = user_limits_sessions(&l->conf->limits, s->user, have, &evict,
				   why, size);
	if (err || !evict)
		return err;
	user_limits_replaced(&l->conf->limits, s->user,
			     peer_str(l, s->info.peer_id), detail,
			     sizeof(detail));
	while (evict--) {
		oldest = NULL;
		for (o = l->sessions; o; o = o->next)
			if (o != s && !o->client && o->authed && o->ppp &&
			    ppp_link_ending(o->ppp, NULL) == END_NONE &&
			    !strcmp(o->user, s->user) &&
			    (!oldest || o->start_ms < oldest->start_ms))
				oldest = o;
		if (!oldest)
			break;
		ppp_link_close(oldest->ppp, END_LIMIT, detail);
		release_net(oldest);
		if (oldest->addr_held)
			pool_release(l->pool, oldest->peer_ip);
		oldest->addr_held = false;
		if (oldest->kmod_added)
			kmod_session_del(l->kmod, oldest->info.peer_id,
					 oldest->info.local_tunnel_id,
					 oldest->info.local_session_id);
		oldest->kmod_added = false;
	}
	return 0;
}

static int ppp_refuse(void *arg, const char *user, char *why, size_t size)
{
	struct service_session *s = arg;
	const char *name;
	uint32_t left;

	session_set_user(s, user);
	name = s->user;
	left = block_remaining(s->l->blocks, name, loop_now_ms(s->l->loop));

	if (!left)
		return user_limits_login_check(&s->l->conf->limits,
					       s->l->lockout,
					       session_known_user(s),
					       session_peer_addr(s),
					       loop_now_ms(s->l->loop), why,
					       size);
	char ne[L2_ESC_SIZE(PPP_MAX_NAME)];

	snprintf(why, size,
		 "blocked by admin kick for %u more seconds; to let the user in now: l2tpsec unblock user %s",
		 left, l2_escape_str(ne, sizeof(ne), name));
	return -EACCES;
}

static int ppp_authenticated(void *arg, const char *user, struct in_addr *peer,
			     const char **why)
{
	static __thread char whybuf[512];
	struct service_session *s = arg;
	struct l2tp *l = s->l;
	struct secret_user u = { .addr = SECRET_ADDR_NONE };
	struct in_addr pinned;
	char tmp[PPP_MAX_SECRET + 1], ue[L2_ESC_SIZE(PPP_MAX_NAME)];
	int err;

	l2_escape_str(ue, sizeof(ue), user);
	user_limits_login_ok(l->lockout, s->user, session_peer_addr(s),
			     loop_now_ms(l->loop));
	err = session_user_limit(s, whybuf, sizeof(whybuf));
	if (err) {
		*why = whybuf;
		return err;
	}
	if (s->radius_authed) {
		/* RADIUS said who it is: its address, else the pool's */
		u.addr = s->radius_has_ip ? SECRET_ADDR_FIXED :
			 SECRET_ADDR_POOL;
		u.pinned = s->radius_ip;
	} else {
		lookup_user(l, user, tmp, sizeof(tmp), &u);
		OPENSSL_cleanse(tmp, sizeof(tmp));
	}
	pinned = u.pinned;
	if (u.addr == SECRET_ADDR_NONE) {
		snprintf(whybuf, sizeof(whybuf),
			 "user %s may have no address (chap-secrets gives '-' or no address, as pppd reads it); give the user * (the pool) or a fixed address",
			 ue);
		*why = whybuf;
		return -EADDRNOTAVAIL;
	}
	if (u.addr == SECRET_ADDR_FIXED) {
		err = pool_reserve(l->pool, pinned);
		if (err) {
			snprintf(whybuf, sizeof(whybuf),
				 "address %s pinned to user %s %s is in use by another session",
				 inet_ntoa(pinned), ue,
				 s->radius_authed ?
				 "by RADIUS (Framed-IP-Address)" :
				 "in chap-secrets");
			*why = whybuf;
			return err;
		}
		*peer = pinned;
	} else if (!l->conf->have_pool_section) {
		snprintf(whybuf, sizeof(whybuf),
			 "IPCP: no address pool configured and user %s has no fixed address in chap-secrets; add a [pool] section or give the user a fixed address in chap-secrets",
			 ue);
		*why = whybuf;
		return -EADDRNOTAVAIL;
	} else {
		err = pool_alloc(l->pool, peer);
		if (err) {
			snprintf(whybuf, sizeof(whybuf),
				 "address pool exhausted (%u addresses in [pool], all in use); add a range",
				 pool_size(l->pool));
			*why = whybuf;
			return err;
		}
	}
	s->addr_held = true;
	s->peer_ip = *peer;
	s->authed = true;
	return 0;
}

static int ppp_ipcp_up(void *arg, const struct ppp_ipcp_info *info)
{
	struct service_session *s = arg;
	struct l2tp *l = s->l;
	struct in_addr none = { 0 };
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
	int err;
	unsigned int i;

	/*
	 * IPCP reopened (the peer sent a Configure-Request after it was up,
	 * e.g. a retransmission that crossed our Ack): with the same
	 * addresses it is the same connection; the routes stay.
	 */
	if (s->ipcp_done && s->local_ip.s_addr == info->local.s_addr &&
	    s->peer_ip.s_addr == info->peer.s_addr) {
		log_msg(LOG_LVL_DEBUG, LOG_PPP,
			"%s: IPCP renegotiated with the same addresses; routes kept",
			s->ident);
		return 0;
	}
	release_net(s);
	s->local_ip = info->local;
	s->peer_ip = info->peer;
	s->module_session.has_ipv4 = true;
	s->module_session.peer_ipv4 = info->peer;
	err = module_session_set(s);
	if (err)
		return err;
	if (s->client) {
		err = netcfg_addr4(l->net, l->ifindex, true, info->local,
				   info->peer, 32);
		if (err)
			log_msg(LOG_LVL_WARN, LOG_CORE,
				"%s: cannot add address %s to the device: %s",
				s->ident, inet_ntop(AF_INET, &info->local, a, sizeof(a)),
				strerror(-err));
		else
			s->v4_addr = true;
		for (i = 0; i < s->client->lac->nroutes; i++) {
			const struct l2tp_route *r = &s->client->lac->routes[i];

			err = netcfg_route4(l->net, l->ifindex, true, r->dst,
					    r->plen, info->local);
			if (err)
				log_msg(LOG_LVL_WARN, LOG_CORE,
					"%s: cannot add route %s/%u: %s", s->ident,
					inet_ntop(AF_INET, &r->dst, a, sizeof(a)),
					r->plen, strerror(-err));
			s->routes_added = i + 1;
		}
		s->client->backoff_s = s->client->lac->reconnect_min_s;
	} else {
		err = netcfg_route4(l->net, l->ifindex, true, info->peer, 32,
				    info->local);
		if (err) {
			log_msg(LOG_LVL_WARN, LOG_CORE,
				"%s: cannot add route %s/32 dev %d: %s", s->ident,
				inet_ntop(AF_INET, &info->peer, a, sizeof(a)),
				l->ifindex, strerror(-err));
			return err;
		}
		s->v4_route = true;
	}
	s->ipcp_done = true;
	inet_ntop(AF_INET, &info->local, a, sizeof(a));
	inet_ntop(AF_INET, &info->peer, b, sizeof(b));
	log_msg(LOG_LVL_INFO, LOG_PPP,
		"%s user %s: connected: %s %s, peer %s, authentication %s",
		s->ident, ppp_link_label(s->ppp),
		s->client ? "our address" : "address",
		s->client ? a : b, s->client ? b : a, ppp_auth_name(s->auth));
	if (!s->client && peer_find(l, s->info.peer_id))
		l2tp_diag_session_up(&peer_find(l, s->info.peer_id)->addr,
				     ppp_link_label(s->ppp));
	{
		char what[96];

		snprintf(what, sizeof(what), "%s, authentication %s",
			 s->client ? "as client" : "as server",
			 ppp_auth_name(s->auth));
		l2_devent_emit(&(struct l2_devent){
			.kind = L2_DEV_LOGIN,
			.peer = peer_find(l, s->info.peer_id) ?
				&peer_find(l, s->info.peer_id)->addr : NULL,
			.user = session_user(s),
			.address = s->client ? info->local : info->peer,
			.cls = -1, .layer = "ppp", .detail = what,
		});
	}
	(void)none;
	return 0;
}

static void ll_addr(struct in6_addr *a, const uint8_t iid[8])
{
	memset(a, 0, sizeof(*a));
	a->s6_addr[0] = 0xfe;
	a->s6_addr[1] = 0x80;
	memcpy(a->s6_addr + 8, iid, 8);
}

static int ppp_ipv6cp_up(void *arg, const uint8_t local_iid[8],
			 const uint8_t peer_iid[8])
{
	struct service_session *s = arg;
	struct l2tp *l = s->l;
	int err;

	ll_addr(&s->local_ll, local_iid);
	ll_addr(&s->peer_ll, peer_iid);
	s->module_session.has_ipv6 = true;
	s->module_session.peer_ipv6 = s->peer_ll;
	s->module_session.peer_ipv6_plen = 128;
	err = module_session_set(s);
	if (err)
		return err;
	err = netcfg_addr6(l->net, l->ifindex, true, &s->local_ll, 128);
	if (!err)
		s->v6_addr = true;
	else
		log_msg(LOG_LVL_WARN, LOG_CORE,
			"%s: cannot add our IPV6CP link-local address to the device: %s",
			s->ident, strerror(-err));
	err = netcfg_route6(l->net, l->ifindex, true, &s->peer_ll, 128);
	if (!err)
		s->v6_route = true;
	else
		log_msg(LOG_LVL_WARN, LOG_CORE,
			"%s: cannot route the peer's IPV6CP link-local address to the device: %s",
			s->ident, strerror(-err));
	return 0;
}

static void end_cb(void *arg)
{
	struct service_session *s = arg;

	if (s->engine_session)
		l2tp_session_close(s->engine_session, s->end_reason, s->end_detail);
}

static void ppp_down(void *arg, enum end_reason r, const char *detail)
{
	struct service_session *s = arg;

	/* Not from inside the PPP code: close the L2TP session next turn. */
	s->end_reason = r;
	snprintf(s->end_detail, sizeof(s->end_detail), "%s", detail ? detail : "");
	loop_timer_arm(s->end_timer, 0);
}

static const struct ppp_ops sess_ppp_ops = {
	.send = ppp_send_cb,
	.lcp_up = ppp_lcp_up,
	.get_secret = ppp_get_secret,
	.refuse = ppp_refuse,
	.verify = ppp_verify,
	.auth_failed = ppp_auth_failed,
	.authenticated = ppp_authenticated,
	.ipcp_up = ppp_ipcp_up,
	.ipv6cp_up = ppp_ipv6cp_up,
	.down = ppp_down,
};

/* ---- engine ops --------------------------------------------------------- */

static void eng_xmit(void *arg, uint32_t peer_id, uint16_t lport,
		     uint16_t rport, const uint8_t *msg, size_t len)
{
	struct l2tp *l = arg;

	if (kmod_send_l2tp(l->kmod, peer_id, lport, rport, msg, len))
		log_msg(LOG_LVL_DEBUG, LOG_KERNEL,
			"%s: L2TP control message not sent: %s",
			peer_str(l, peer_id), kmod_last_error(l->kmod));
}

static const char *eng_peer_name(void *arg, uint32_t peer_id)
{
	return peer_str(arg, peer_id);
}


static void eng_tunnel_down(void *arg, struct l2tp_tunnel *t,
			    enum end_reason r, const char *detail)
{
	struct client *c = l2tp_tunnel_priv(t);

	(void)arg; (void)detail;
	if (!c)
		return;
	c->tunnel = NULL;
	if (!c->session && r != END_SHUTDOWN)
		client_schedule(c);
}

static int eng_session_up(void *arg, struct l2tp_session *engine_session)
{
	struct l2tp *l = arg;
	struct l2tp_tunnel *t = l2tp_session_tunnel(engine_session);
	struct client *c = l2tp_tunnel_priv(t);
	struct service_session *s = calloc(1, sizeof(*s));
	int err;

	if (!s)
		return -ENOMEM;
	s->l = l;
	s->engine_session = engine_session;
	s->client = c;
	l2tp_session_get_info(engine_session, &s->info);
	snprintf(s->ident, sizeof(s->ident), "%s tunnel %u session %u",
		 peer_str(l, s->info.peer_id), s->info.local_tunnel_id,
		 s->info.local_session_id);
	s->start_ms = loop_now_ms(l->loop);
	s->module_session.peer_id = s->info.peer_id;
	s->module_session.local_tunnel_id = s->info.local_tunnel_id;
	s->module_session.local_session_id = s->info.local_session_id;
	s->module_session.remote_tunnel_id = s->info.remote_tunnel_id;
	s->module_session.remote_session_id = s->info.remote_session_id;
	s->module_session.local_port = s->info.local_port;
	s->module_session.remote_port = s->info.remote_port;
	s->module_session.l2tp_seq = s->info.seq_required;
	s->end_timer = loop_timer_new(l->loop, end_cb, s);
	if (!s->end_timer) {
		free(s);
		return -ENOMEM;
	}
	err = kmod_session_add(l->kmod, &s->module_session);
	if (err) {
		log_msg(LOG_LVL_ERR, LOG_KERNEL, "%s: the module refused the session: %s",
			s->ident, kmod_last_error(l->kmod));
		loop_timer_free(s->end_timer);
		free(s);
		return err;
	}
	s->kmod_added = true;
	s->ppp = ppp_link_new(l->loop, c ? &c->ppp : &l->conf->ppp,
			      &sess_ppp_ops, s, s->ident);
	if (!s->ppp) {
		kmod_session_del(l->kmod, s->info.peer_id,
				 s->info.local_tunnel_id,
				 s->info.local_session_id);
		loop_timer_free(s->end_timer);
		free(s);
		return -ENOMEM;
	}
	l2tp_session_set_priv(engine_session, s);
	s->next = l->sessions;
	l->sessions = s;
	l->nsessions++;
	if (c)
		c->session = s;
	ppp_link_start(s->ppp);
	return 0;
}

static void eng_session_down(void *arg, struct l2tp_session *engine_session,
			     enum end_reason r, const char *detail)
{
	struct l2tp *l = arg;
	struct service_session *s = l2tp_session_priv(engine_session), **pp;
	struct l2_session st;
	char dur[32], addr[INET_ADDRSTRLEN] = "-";
	const char *user;

	if (!s)
		return;
	s->engine_session = NULL;
	/*
	 * The first cause wins: when PPP was already ending (LCP echo
	 * timeout, authentication failure, admin kick...), what L2TP saw
	 * since (the peer's CDN answering our Terminate-Request, our own
	 * CDN) is its consequence.
	 */
	if (s->ppp) {
		const char *pd;
		enum end_reason pr = ppp_link_ending(s->ppp, &pd);

		if (pr != END_NONE && pr != r) {
			r = pr;
			detail = pd;
		}
	}
	user = s->ppp ? ppp_link_label(s->ppp) : "";
	memset(&st, 0, sizeof(st));
	if (s->kmod_added)
		kmod_session_get(l->kmod, s->info.peer_id,
				 s->info.local_tunnel_id,
				 s->info.local_session_id, &st);
	fmt_duration(dur, sizeof(dur), loop_now_ms(l->loop) - s->start_ms);
	if (s->peer_ip.s_addr)
		inet_ntop(AF_INET, s->client ? &s->local_ip : &s->peer_ip, addr,
			  sizeof(addr));
	log_msg(r == END_LOGOUT || r == END_LOCAL_CLOSE || r == END_SHUTDOWN ||
		r == END_ADMIN_KICK ? LOG_LVL_INFO : LOG_LVL_WARN, LOG_L2TP,
		"%s user %s: session ended: %s%s%s; peer %s, address %s, duration %s, rx %llu packets %llu bytes, tx %llu packets %llu bytes",
		s->ident, user[0] ? user : "-",
		end_reason_str(r),
		detail && *detail ? ": " : "", detail ? detail : "",
		peer_str(l, s->info.peer_id), addr, dur,
		(unsigned long long)st.stats.v[L2TPSEC_A_STATS_RX_PACKETS],
		(unsigned long long)st.stats.v[L2TPSEC_A_STATS_RX_BYTES],
		(unsigned long long)st.stats.v[L2TPSEC_A_STATS_TX_PACKETS],
		(unsigned long long)st.stats.v[L2TPSEC_A_STATS_TX_BYTES]);
	l2tp_diag_session_end(&(struct l2tp_end_record){
		.peer = peer_find(l, s->info.peer_id) ?
			&peer_find(l, s->info.peer_id)->addr : NULL,
		.user = user, .address = s->client ? s->local_ip : s->peer_ip,
		.duration_ms = loop_now_ms(l->loop) - s->start_ms,
		.reason = r, .detail = detail,
		.rx_packets = st.stats.v[L2TPSEC_A_STATS_RX_PACKETS],
		.rx_bytes = st.stats.v[L2TPSEC_A_STATS_RX_BYTES],
		.tx_packets = st.stats.v[L2TPSEC_A_STATS_TX_PACKETS],
		.tx_bytes = st.stats.v[L2TPSEC_A_STATS_TX_BYTES] });
	release_net(s);
	if (s->kmod_added)
		kmod_session_del(l->kmod, s->info.peer_id,
				 s->info.local_tunnel_id,
				 s->info.local_session_id);
	if (s->addr_held)
		pool_release(l->pool, s->peer_ip);
	/* its verdict must not find the session gone */
	radius_request_cancel(s->radius_req);
	s->radius_req = NULL;
	ppp_link_free(s->ppp);
	loop_timer_free(s->end_timer);
	for (pp = &l->sessions; *pp; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			l->nsessions--;
			break;
		}
	}
	if (s->client) {
		struct client *c = s->client;

		c->session = NULL;
		if (!end_reason_ipsec_gone(r) && r != END_SHUTDOWN &&
		    !c->stopping) {
			/* the tunnel goes with its only call */
			if (c->tunnel)
				l2tp_tunnel_close(c->tunnel, r, detail);
			c->tunnel = NULL;
			client_schedule(c);
		}
	}
	free(s);
}

const struct l2tp_engine_ops l2tp_service_engine_ops = {
	.xmit = eng_xmit,
	.peer_name = eng_peer_name,
	.tunnel_down = eng_tunnel_down,
	.session_up = eng_session_up,
	.session_down = eng_session_down,
};
