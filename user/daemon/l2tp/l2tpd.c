// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: the L2TP/PPP half of the daemon: glues the L2TP engine, one
 * PPP link per session, users, the address pool and the device's
 * addresses and routes to the module (kmod.h) and the loop.
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
#include "escape.h"
#include "kmod.h"
#include "l2tp/l2tp.h"
#include "l2tp/netcfg.h"
#include "log.h"
#include "loop.h"
#include "secretfile.h"

struct peer_rec {
	struct peer_rec	*next;
	uint32_t	id;
	struct sockaddr_in addr;	/* outer; port 0: not known */
	char		name[48];
};

struct sess;

struct client {
	struct client			*next;
	struct l2tp			*l;
	uint32_t			peer_id;
	const struct l2tp_lac_conf	*lac;
	struct ppp_cfg			ppp;
	struct l2tp_tunnel		*tunnel;
	struct sess			*sess;
	uint32_t			backoff_s;
	uint16_t			remote_port;
	struct loop_timer		*retry;
	bool				stopping;
};

struct sess {
	struct sess		*next;
	struct l2tp		*l;
	struct l2tp_session	*ls;
	struct ppp_link		*ppp;
	struct client		*client;
	struct l2tp_session_info info;
	char			ident[96];
	struct kmod_session	km;
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
	struct netcfg		*net;
	int			ifindex;
	struct peer_rec		*peers;
	struct sess		*sessions;
	unsigned int		nsessions;
	struct client		*clients;
	void			(*client_down)(void *arg, uint32_t peer_id,
					       enum end_reason r);
	void			*client_down_arg;
	bool			local_addr;
};

static struct peer_rec *peer_find(const struct l2tp *l, uint32_t id)
{
	struct peer_rec *p;

	for (p = l->peers; p; p = p->next)
		if (p->id == id)
			return p;
	return NULL;
}

/* "203.0.113.7" (IKE's port 500) or "203.0.113.7:4500" (NAT-T). */
static void peer_set_addr(struct peer_rec *p, struct in_addr a, uint16_t port)
{
	p->addr.sin_family = AF_INET;
	p->addr.sin_addr = a;
	p->addr.sin_port = htons(port);
	if (port && port != 500)
		snprintf(p->name, sizeof(p->name), "%s:%u", inet_ntoa(a), port);
	else
		snprintf(p->name, sizeof(p->name), "%s", inet_ntoa(a));
}

static const char *peer_str(struct l2tp *l, uint32_t id)
{
	static __thread char buf[32];
	struct peer_rec *p;

	for (p = l->peers; p; p = p->next)
		if (p->id == id)
			return p->name;
	snprintf(buf, sizeof(buf), "peer %u", id);
	return buf;
}

/* The first line of a secret file, which must not be readable by others. */
static int read_secret_file(const char *path, char *out, size_t size)
{
	char err[512], buf[512];
	ssize_t n;
	int fd;

	/* checked on the descriptor (not a symlink, owner, mode) */
	fd = l2_open_secret(path, err, sizeof(err));
	if (fd < 0) {
		log_msg(LOG_LVL_ERR, LOG_CONFIG, "%s", err);
		return fd;
	}
	/* no stdio buffer: the only copy is wiped */
	do {
		n = read(fd, buf, sizeof(buf) - 1);
	} while (n < 0 && errno == EINTR);
	close(fd);
	if (n < 0) {
		log_msg(LOG_LVL_ERR, LOG_CONFIG, "%s: %s", path, strerror(errno));
		return -errno;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (strlen(buf) >= size) {
		OPENSSL_cleanse(buf, sizeof(buf));
		log_msg(LOG_LVL_ERR, LOG_CONFIG,
			"%s: the secret is longer than %zu bytes", path,
			size - 1);
		return -EINVAL;
	}
	memcpy(out, buf, strlen(buf) + 1);
	OPENSSL_cleanse(buf, sizeof(buf));
	if (!out[0]) {
		log_msg(LOG_LVL_ERR, LOG_CONFIG, "%s: empty; expected the secret on its first line",
			path);
		return -EINVAL;
	}
	return 0;
}

static void fmt_duration(char *buf, size_t size, uint64_t ms)
{
	uint64_t s = ms / 1000;

	snprintf(buf, size, "%02u:%02u:%02u", (unsigned int)(s / 3600),
		 (unsigned int)(s / 60 % 60), (unsigned int)(s % 60));
}

/* ---- module session --------------------------------------------------- */

static int km_set(struct sess *s)
{
	int err = kmod_session_set(s->l->kmod, &s->km);

	if (err)
		log_msg(LOG_LVL_WARN, LOG_KERNEL, "%s: session update refused: %s",
			s->ident, kmod_last_error(s->l->kmod));
	return err;
}

static void release_net(struct sess *s)
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
	struct sess *s = arg;
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
	struct sess *s = arg;

	s->auth = info->auth;
	s->km.ppp_acfc = info->peer_acfc;
	s->km.ppp_pfc = info->peer_pfc;
	km_set(s);
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
static void canonical_user(struct l2tp *l, const char *sent, char *out,
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
static void sess_set_user(struct sess *s, const char *sent)
{
	if (s->client)
		return;
	snprintf(s->user_sent, sizeof(s->user_sent), "%s", sent);
	canonical_user(s->l, sent, s->user, sizeof(s->user));
	if (s->ppp)
		ppp_link_set_canonical(s->ppp, s->user);
}

/* Who the session is: the canonical user on a server. */
static const char *sess_user(const struct sess *s)
{
	if (s->user[0])
		return s->user;
	return s->ppp ? ppp_link_user(s->ppp) : "";
}

static int ppp_get_secret(void *arg, const char *user, char *secret,
			  size_t size)
{
	struct sess *s = arg;

	sess_set_user(s, user);
	return lookup_user(s->l, user, secret, size, NULL);
}

static int ppp_refuse(void *arg, const char *user, char *why, size_t size)
{
	struct sess *s = arg;
	const char *name;
	uint32_t left;

	sess_set_user(s, user);
	name = s->user;
	left = block_remaining(s->l->blocks, name, loop_now_ms(s->l->loop));

	if (!left)
		return 0;
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
	struct sess *s = arg;
	struct l2tp *l = s->l;
	struct secret_user u = { .addr = SECRET_ADDR_NONE };
	struct in_addr pinned;
	char tmp[PPP_MAX_SECRET + 1], ue[L2_ESC_SIZE(PPP_MAX_NAME)];
	int err;

	l2_escape_str(ue, sizeof(ue), user);
	lookup_user(l, user, tmp, sizeof(tmp), &u);
	OPENSSL_cleanse(tmp, sizeof(tmp));
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
				 "address %s pinned to user %s in chap-secrets is in use by another session",
				 inet_ntoa(pinned), ue);
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
	return 0;
}

static int ppp_ipcp_up(void *arg, const struct ppp_ipcp_info *info)
{
	struct sess *s = arg;
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
	s->km.has_ipv4 = true;
	s->km.peer_ipv4 = info->peer;
	err = km_set(s);
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
	struct sess *s = arg;
	struct l2tp *l = s->l;
	int err;

	ll_addr(&s->local_ll, local_iid);
	ll_addr(&s->peer_ll, peer_iid);
	s->km.has_ipv6 = true;
	s->km.peer_ipv6 = s->peer_ll;
	s->km.peer_ipv6_plen = 128;
	err = km_set(s);
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
	struct sess *s = arg;

	if (s->ls)
		l2tp_session_close(s->ls, s->end_reason, s->end_detail);
}

static void ppp_down(void *arg, enum end_reason r, const char *detail)
{
	struct sess *s = arg;

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

static void client_schedule(struct client *c);

static void eng_tunnel_down(void *arg, struct l2tp_tunnel *t,
			    enum end_reason r, const char *detail)
{
	struct client *c = l2tp_tunnel_priv(t);

	(void)arg; (void)detail;
	if (!c)
		return;
	c->tunnel = NULL;
	if (!c->sess && r != END_SHUTDOWN)
		client_schedule(c);
}

static int eng_session_up(void *arg, struct l2tp_session *ls)
{
	struct l2tp *l = arg;
	struct l2tp_tunnel *t = l2tp_session_tunnel(ls);
	struct client *c = l2tp_tunnel_priv(t);
	struct sess *s = calloc(1, sizeof(*s));
	int err;

	if (!s)
		return -ENOMEM;
	s->l = l;
	s->ls = ls;
	s->client = c;
	l2tp_session_get_info(ls, &s->info);
	snprintf(s->ident, sizeof(s->ident), "%s tunnel %u session %u",
		 peer_str(l, s->info.peer_id), s->info.local_tunnel_id,
		 s->info.local_session_id);
	s->start_ms = loop_now_ms(l->loop);
	s->km.peer_id = s->info.peer_id;
	s->km.local_tunnel_id = s->info.local_tunnel_id;
	s->km.local_session_id = s->info.local_session_id;
	s->km.remote_tunnel_id = s->info.remote_tunnel_id;
	s->km.remote_session_id = s->info.remote_session_id;
	s->km.local_port = s->info.local_port;
	s->km.remote_port = s->info.remote_port;
	s->km.l2tp_seq = s->info.seq_required;
	s->end_timer = loop_timer_new(l->loop, end_cb, s);
	if (!s->end_timer) {
		free(s);
		return -ENOMEM;
	}
	err = kmod_session_add(l->kmod, &s->km);
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
	l2tp_session_set_priv(ls, s);
	s->next = l->sessions;
	l->sessions = s;
	l->nsessions++;
	if (c)
		c->sess = s;
	ppp_link_start(s->ppp);
	return 0;
}

static void eng_session_down(void *arg, struct l2tp_session *ls,
			     enum end_reason r, const char *detail)
{
	struct l2tp *l = arg;
	struct sess *s = l2tp_session_priv(ls), **pp;
	struct l2_session st;
	char dur[32], addr[INET_ADDRSTRLEN] = "-";
	const char *user;

	if (!s)
		return;
	s->ls = NULL;
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
	release_net(s);
	if (s->kmod_added)
		kmod_session_del(l->kmod, s->info.peer_id,
				 s->info.local_tunnel_id,
				 s->info.local_session_id);
	if (s->addr_held)
		pool_release(l->pool, s->peer_ip);
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

		c->sess = NULL;
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

static const struct l2tp_engine_ops engine_ops = {
	.xmit = eng_xmit,
	.peer_name = eng_peer_name,
	.tunnel_down = eng_tunnel_down,
	.session_up = eng_session_up,
	.session_down = eng_session_down,
};

/* ---- client role -------------------------------------------------------- */

static void client_start(struct client *c)
{
	struct l2tp *l = c->l;

	c->tunnel = l2tp_engine_connect(l->engine, c->peer_id, 1701,
					c->remote_port);
	if (!c->tunnel) {
		client_schedule(c);
		return;
	}
	l2tp_tunnel_set_priv(c->tunnel, c);
	if (!l2tp_tunnel_call(c->tunnel)) {
		l2tp_tunnel_close(c->tunnel, END_LOCAL_CLOSE, "cannot place a call");
		c->tunnel = NULL;
		client_schedule(c);
	}
}

static void retry_cb(void *arg)
{
	struct client *c = arg;

	if (!c->stopping && !c->tunnel)
		client_start(c);
}

static void client_schedule(struct client *c)
{
	if (c->stopping || loop_timer_armed(c->retry))
		return;
	log_msg(LOG_LVL_INFO, LOG_L2TP, "%s [lac %s]: reconnecting in %u s",
		peer_str(c->l, c->peer_id), c->lac->name, c->backoff_s);
	loop_timer_arm(c->retry, (uint64_t)c->backoff_s * 1000);
	c->backoff_s *= 2;
	if (c->backoff_s > c->lac->reconnect_max_s)
		c->backoff_s = c->lac->reconnect_max_s;
	if (!c->backoff_s)
		c->backoff_s = 1;
}

static void client_free(struct client *c)
{
	struct client **pp;

	for (pp = &c->l->clients; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	loop_timer_free(c->retry);
	OPENSSL_cleanse(c->ppp.password, sizeof(c->ppp.password));
	free(c);
}

int l2tp_connect(struct l2tp *l, uint32_t peer_id, const char *name)
{
	return l2tp_connect_port(l, peer_id, name, 0);
}

int l2tp_connect_port(struct l2tp *l, uint32_t peer_id, const char *name,
		      uint16_t remote_port)
{
	const struct l2tp_lac_conf *lac = l2tp_conf_lac(l->conf, name);
	struct client *c;

	if (!l->started)
		return -EAGAIN;
	if (!lac) {
		log_msg(LOG_LVL_ERR, LOG_CONFIG, "no [lac %s] section", name);
		return -ENOENT;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->l = l;
	c->peer_id = peer_id;
	c->lac = lac;
	c->ppp = lac->ppp;
	c->remote_port = remote_port ? remote_port : lac->remote_port;
	c->backoff_s = lac->reconnect_min_s ? lac->reconnect_min_s : 1;
	if (read_secret_file(lac->password_file, c->ppp.password,
			     sizeof(c->ppp.password))) {
		free(c);
		return -EINVAL;
	}
	c->retry = loop_timer_new(l->loop, retry_cb, c);
	if (!c->retry) {
		free(c);
		return -ENOMEM;
	}
	c->next = l->clients;
	l->clients = c;
	client_start(c);
	return 0;
}

static void client_stop(struct client *c, enum end_reason r, bool notify)
{
	struct l2tp *l = c->l;
	uint32_t peer_id = c->peer_id;

	c->stopping = true;
	loop_timer_disarm(c->retry);
	if (c->sess && c->sess->ls)
		l2tp_session_close(c->sess->ls, r, NULL);
	if (c->tunnel) {
		l2tp_tunnel_set_priv(c->tunnel, NULL);
		l2tp_tunnel_close(c->tunnel, r, NULL);
	}
	client_free(c);
	if (notify && l->client_down)
		l->client_down(l->client_down_arg, peer_id, r);
}

void l2tp_disconnect(struct l2tp *l, uint32_t peer_id)
{
	struct client *c, *n;

	for (c = l->clients; c; c = n) {
		n = c->next;
		if (c->peer_id == peer_id)
			client_stop(c, END_LOCAL_CLOSE, true);
	}
}

void l2tp_set_client_down_cb(struct l2tp *l,
			     void (*fn)(void *arg, uint32_t peer_id,
					enum end_reason r),
			     void *arg)
{
	l->client_down = fn;
	l->client_down_arg = arg;
}

/* ---- life ---------------------------------------------------------------- */

static void exclude_pinned(void *arg, struct in_addr a)
{
	pool_exclude(arg, ntohl(a.s_addr), ntohl(a.s_addr));
}

struct l2tp *l2tp_new(struct loop *loop)
{
	struct l2tp *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->loop = loop;
	l2tp_conf_init(&l->own_conf);
	l->conf = &l->own_conf;
	l->blocks = block_list_new();
	if (!l->blocks) {
		free(l);
		return NULL;
	}
	return l;
}

void l2tp_register_config(struct l2tp *l, struct config_loader *ld)
{
	l2tp_conf_register(ld, &l->own_conf);
}

struct l2tp_conf *l2tp_get_conf(struct l2tp *l)
{
	return &l->own_conf;
}

int l2tp_start(struct l2tp *l, struct kmod *kmod)
{
	const struct l2tp_conf *conf = l->conf;
	struct l2tp_engine_cfg ecfg = conf->engine;
	char err[512], secret[L2TP_MAX_SECRET + 1];
	unsigned int i;
	int ret = -EINVAL;

	l->kmod = kmod;
	l->ifindex = kmod_ifindex(kmod);
	l->pool = pool_new();
	l->net = netcfg_open();
	if (!l->pool || !l->net) {
		log_msg(LOG_LVL_ERR, LOG_CORE, "cannot open rtnetlink: %s",
			strerror(errno));
		ret = -ENOMEM;
		goto fail;
	}
	if (conf->tunnel_secret_file[0]) {
		ret = read_secret_file(conf->tunnel_secret_file, secret,
				       sizeof(secret));
		if (ret)
			goto fail;
		ecfg.secret_len = strlen(secret) < sizeof(ecfg.secret) ?
			strlen(secret) : sizeof(ecfg.secret);
		memcpy(ecfg.secret, secret, ecfg.secret_len);
		OPENSSL_cleanse(secret, sizeof(secret));
	}
	if (conf->engine.accept_incoming) {
		if (conf->have_pool_section &&
		    (!conf->ppp.local_ipv4.s_addr || !conf->nranges)) {
			log_msg(LOG_LVL_ERR, LOG_CONFIG,
				"[pool] needs 'local' and a 'range' to accept connections (or set listen = no in [l2tp])");
			ret = -EINVAL;
			goto fail;
		}
		ret = secrets_load(conf->chap_secrets, &l->secrets, err,
				   sizeof(err));
		if (ret) {
			log_msg(LOG_LVL_ERR, LOG_CONFIG, "%s", err);
			goto fail;
		}
		for (i = 0; i < conf->nranges; i++) {
			ret = pool_add_range(l->pool, conf->ranges[i].first,
					     conf->ranges[i].last);
			if (ret) {
				log_msg(LOG_LVL_ERR, LOG_CONFIG,
					"[pool] range %u overlaps another or is too large", i + 1);
				goto fail;
			}
		}
		for (i = 0; i < conf->nexcludes; i++)
			pool_exclude(l->pool, conf->excludes[i].first,
				     conf->excludes[i].last);
		secrets_for_each_pinned(l->secrets, exclude_pinned, l->pool);
		secrets_check_addrs(l->secrets, conf->chap_secrets,
				    conf->ppp.local_ipv4, l->pool);
		if (conf->ppp.local_ipv4.s_addr) {
			exclude_pinned(l->pool, conf->ppp.local_ipv4);
			/* removed at exit only when this daemon added it */
			ret = netcfg_addr4_new(l->net, l->ifindex,
					       conf->ppp.local_ipv4, 32);
			if (ret == -EEXIST) {
				log_msg(LOG_LVL_WARN, LOG_CORE,
					"the device already has the address %s ([pool] local), from another daemon or set by hand: used as it is, and left in place at exit",
					inet_ntoa(conf->ppp.local_ipv4));
				ret = 0;
			} else if (ret) {
				log_msg(LOG_LVL_ERR, LOG_CORE,
					"cannot give the device its address %s: %s",
					inet_ntoa(conf->ppp.local_ipv4),
					strerror(-ret));
				goto fail;
			} else {
				l->local_addr = true;
			}
		}
		if (conf->have_pool_section)
			log_msg(LOG_LVL_INFO, LOG_L2TP,
				"accepting tunnels as %s: %u users, %u pool addresses, local address %s",
				ecfg.host_name, secrets_count(l->secrets),
				pool_size(l->pool),
				inet_ntoa(conf->ppp.local_ipv4));
		else
			log_msg(LOG_LVL_INFO, LOG_L2TP,
				"accepting tunnels as %s: %u users, no [pool]: only users with a fixed address in chap-secrets get one",
				ecfg.host_name, secrets_count(l->secrets));
	}
	if (!conf->engine.accept_incoming) {
		char lacs[256] = "";
		size_t n = 0;

		for (i = 0; i < conf->nlacs && n < sizeof(lacs); i++)
			n += (size_t)snprintf(lacs + n, sizeof(lacs) - n,
					      "%s[lac %s]", i ? ", " : "",
					      conf->lacs[i].name);
		log_msg(LOG_LVL_INFO, LOG_L2TP,
			"not accepting L2TP tunnels (no [pool] or [ppp] section)%s%s",
			conf->nlacs ? "; connecting with " : "", lacs);
	}
	/*
	 * A client's session is the way to everything its [lac] routes name:
	 * the module sends it what no session address matches and takes any
	 * inner source from it. A server must not: traffic for a client who
	 * left would go to whoever remains.
	 */
	if (conf->nlacs && !conf->engine.accept_incoming) {
		ret = kmod_set_fallback(kmod, true);
		if (ret) {
			log_msg(LOG_LVL_ERR, LOG_KERNEL,
				"cannot make the client's session the device's default route (single-session fallback): %s; is l2tpsec.ko older than l2tpsecd?",
				strerror(-ret));
			goto fail;
		}
	} else if (conf->nlacs) {
		log_msg(LOG_LVL_WARN, LOG_CONFIG,
			"client and server in one daemon: the [lac] sessions reach only the server's own address; their routes need a daemon of their own (client role, single-session fallback)");
	}
	if (netcfg_link_up(l->net, l->ifindex))
		log_msg(LOG_LVL_WARN, LOG_CORE, "cannot bring the device up");
	l->engine = l2tp_engine_new(l->loop, &ecfg, &engine_ops, l);
	OPENSSL_cleanse(ecfg.secret, sizeof(ecfg.secret));
	if (!l->engine) {
		ret = -ENOMEM;
		goto fail;
	}
	l->started = true;
	return 0;
fail:
	OPENSSL_cleanse(ecfg.secret, sizeof(ecfg.secret));
	return ret;
}

void l2tp_free(struct l2tp *l)
{
	struct peer_rec *p;

	if (!l)
		return;
	while (l->clients)
		client_stop(l->clients, END_SHUTDOWN, false);
	if (l->engine)
		l2tp_engine_free(l->engine, END_SHUTDOWN);
	if (l->local_addr)
		netcfg_addr4(l->net, l->ifindex, false, l->conf->ppp.local_ipv4,
			     (struct in_addr){ 0 }, 32);
	while ((p = l->peers)) {
		l->peers = p->next;
		free(p);
	}
	secrets_free(l->secrets);
	pool_free(l->pool);
	block_list_free(l->blocks);
	netcfg_close(l->net);
	l2tp_conf_fini(&l->own_conf);
	free(l);
}

/* ---- entry points --------------------------------------------------------- */

void l2tp_on_ctrl(struct l2tp *l, uint32_t peer_id, uint16_t local_port,
		  uint16_t remote_port, const uint8_t *msg, size_t len)
{
	if (!l->started)
		return;
	l2tp_engine_input(l->engine, peer_id, local_port ? local_port : 1701,
			  remote_port ? remote_port : 1701, msg, len);
}

void l2tp_on_ppp(struct l2tp *l, uint32_t peer_id, uint16_t tunnel_id,
		 uint16_t session_id, const uint8_t *pkt, size_t len)
{
	struct l2tp_session *ls = l->started ?
		l2tp_engine_find_session(l->engine, peer_id, tunnel_id,
					 session_id) : NULL;
	struct sess *s = ls ? l2tp_session_priv(ls) : NULL;

	if (!s || !s->ppp) {
		log_msg(LOG_LVL_DEBUG, LOG_PPP,
			"%s tunnel %u session %u: PPP frame for no session dropped",
			peer_str(l, peer_id), tunnel_id, session_id);
		return;
	}
	ppp_link_input(s->ppp, pkt, len);
}

void l2tp_on_event(struct l2tp *l, const struct l2_event *ev)
{
	struct peer_rec *p;

	if (!l->started)
		return;
	switch (ev->kind) {
	case L2TPSEC_EVENT_PEER_FLOAT:
		p = peer_find(l, ev->peer_id);
		if (p)
			peer_set_addr(p, ev->remote, ev->remote_port);
		break;
	case L2TPSEC_EVENT_FRAME_LOST:
		log_msg(LOG_LVL_DEBUG, LOG_KERNEL, "%s: a control frame was lost (%s)",
			peer_str(l, ev->peer_id), strerror((int)ev->error));
		break;
	default:
		break;
	}
}

void l2tp_peer_up(struct l2tp *l, uint32_t peer_id,
		  const struct sockaddr_in *remote, uint16_t l2tp_port,
		  bool initiator, const char *conf_name)
{
	struct peer_rec *p;

	p = peer_find(l, peer_id);
	if (!p) {
		p = calloc(1, sizeof(*p));
		if (!p)
			return;
		p->id = peer_id;
		p->next = l->peers;
		l->peers = p;
	}
	if (remote)
		peer_set_addr(p, remote->sin_addr, ntohs(remote->sin_port));
	else
		snprintf(p->name, sizeof(p->name), "peer %u", peer_id);
	if (!initiator || !l->started)
		return;
	if (!conf_name || !l2tp_conf_lac(l->conf, conf_name)) {
		log_msg(LOG_LVL_WARN, LOG_CONFIG,
			"%s: IPsec is up as initiator but there is no [lac %s] section: no L2TP tunnel started",
			p->name, conf_name ? conf_name : "?");
		return;
	}
	l2tp_connect_port(l, peer_id, conf_name, l2tp_port);
}

void l2tp_peer_down(struct l2tp *l, uint32_t peer_id, enum end_reason reason,
		    const char *why)
{
	struct peer_rec **pp, *p;
	struct client *c, *n;

	if (!l->started)
		return;
	for (c = l->clients; c; c = n) {
		n = c->next;
		if (c->peer_id == peer_id) {
			c->stopping = true;
			loop_timer_disarm(c->retry);
		}
	}
	if (!why)
		why = reason == END_SA_EXPIRY ?
			"the IPsec SA expired without a rekey" :
			reason == END_DPD_TIMEOUT ?
			"IKE Dead Peer Detection gave the peer up" :
			"the IKE peer deleted the IPsec SA";
	l2tp_engine_peer_down(l->engine, peer_id, reason, why);
	for (c = l->clients; c; c = n) {
		n = c->next;
		if (c->peer_id == peer_id) {
			c->tunnel = NULL;
			c->sess = NULL;
			client_free(c);
			if (l->client_down)
				l->client_down(l->client_down_arg, peer_id,
					       reason);
		}
	}
	for (pp = &l->peers; (p = *pp); pp = &p->next) {
		if (p->id == peer_id) {
			*pp = p->next;
			free(p);
			break;
		}
	}
}

enum end_reason l2tp_reason_of_ike(enum ike_down_reason r)
{
	switch (r) {
	case IKE_DOWN_PEER_DELETE:
		return END_IKE_DELETE;
	case IKE_DOWN_EXPIRED:
		return END_SA_EXPIRY;
	case IKE_DOWN_REKEY_FAILED:
		return END_REKEY_FAILED;
	case IKE_DOWN_DPD:
		return END_DPD_TIMEOUT;
	case IKE_DOWN_ADMIN:
		return END_ADMIN_KICK;
	case IKE_DOWN_SHUTDOWN:
		return END_SHUTDOWN;
	case IKE_DOWN_LOCAL_ERROR:
		return END_KERNEL_ERROR;
	case IKE_DOWN_MAX:
		break;
	}
	return END_IKE_DELETE;
}

void l2tp_peer_down_ike(struct l2tp *l, uint32_t peer_id,
			enum ike_down_reason r, const char *why)
{
	char detail[192];

	snprintf(detail, sizeof(detail), "IPsec SA pair gone: %s",
		 why && *why ? why : ike_down_reason_name(r));
	l2tp_peer_down(l, peer_id, l2tp_reason_of_ike(r), detail);
}

/* @user: k->user as canonical_user() names it. */
static bool kick_matches(const struct sess *s, const struct l2tp_kick *k,
			 const char *user)
{
	if (s->ending)
		return false;
	switch (k->by) {
	case L2TP_KICK_USER:
		return s->ppp && !strcmp(sess_user(s), user);
	case L2TP_KICK_ADDRESS: {
		struct in_addr a = s->client ? s->local_ip : s->peer_ip;

		return a.s_addr && a.s_addr == k->address.s_addr;
	}
	case L2TP_KICK_SESSION:
		return s->info.peer_id == k->peer_id &&
		       s->info.local_tunnel_id == k->tunnel_id &&
		       s->info.local_session_id == k->session_id;
	}
	return false;
}

static int block_user(struct l2tp *l, const char *user, uint32_t secs,
		      const char *who)
{
	char ue[L2_ESC_SIZE(BLOCK_MAX_USER)];
	int err;

	if (!*user)
		return 0;
	l2_escape_str(ue, sizeof(ue), user);
	err = block_add(l->blocks, user, loop_now_ms(l->loop), secs);
	if (err) {
		log_msg(LOG_LVL_WARN, LOG_AUTH,
			"user %s: cannot block it: %s", ue, strerror(-err));
		return 0;
	}
	log_msg(LOG_LVL_INFO, LOG_AUTH,
		"user %s: logins refused for %u s%s%s; to let the user in sooner: l2tpsec unblock user %s",
		ue, secs, who && *who ? " " : "", who ? who : "", ue);
	return 1;
}

int l2tp_kick_block(struct l2tp *l, const struct l2tp_kick *k,
		    const char *who, unsigned int *blocked)
{
	char detail[192], user[PPP_MAX_NAME + 1] = "";
	unsigned int nb = 0;
	struct sess *s;
	int n = 0;

	if (k->by == L2TP_KICK_USER)
		canonical_user(l, k->user, user, sizeof(user));

	if (k->block_s)
		snprintf(detail, sizeof(detail),
			 "ended by an administrator%s%s, logins refused for %u s",
			 who && *who ? " " : "", who ? who : "", k->block_s);
	else
		snprintf(detail, sizeof(detail), "ended by an administrator%s%s",
			 who && *who ? " " : "", who ? who : "");
	if (k->block_s && k->by == L2TP_KICK_USER)
		nb += block_user(l, user, k->block_s, who);
	for (s = l->sessions; s; s = s->next) {
		if (!kick_matches(s, k, user))
			continue;
		s->ending = true;
		if (k->block_s && k->by != L2TP_KICK_USER && s->ppp &&
		    !s->client)
			nb += block_user(l, sess_user(s), k->block_s, who);
		/* LCP Terminate, then CDN: the client is told, not cut off. */
		if (s->ppp)
			ppp_link_close(s->ppp, END_ADMIN_KICK, detail);
		n++;
	}
	if (blocked)
		*blocked = nb;
	return n;
}

int l2tp_kick(struct l2tp *l, const struct l2tp_kick *k, const char *who)
{
	return l2tp_kick_block(l, k, who, NULL);
}

int l2tp_kick_user(struct l2tp *l, const char *user)
{
	struct l2tp_kick k = { .by = L2TP_KICK_USER };

	snprintf(k.user, sizeof(k.user), "%s", user);
	return l2tp_kick(l, &k, NULL);
}

int l2tp_unblock(struct l2tp *l, const char *sent, const char *who)
{
	char ue[L2_ESC_SIZE(BLOCK_MAX_USER)], user[PPP_MAX_NAME + 1];
	int err;

	canonical_user(l, sent, user, sizeof(user));
	err = block_remove(l->blocks, user, loop_now_ms(l->loop));

	if (!err)
		log_msg(LOG_LVL_INFO, LOG_AUTH, "user %s: block lifted%s%s",
			l2_escape_str(ue, sizeof(ue), user),
			who && *who ? " " : "", who ? who : "");
	return err;
}

unsigned int l2tp_for_each_block(struct l2tp *l,
				 void (*fn)(void *arg, const char *user,
					    uint32_t remaining_s),
				 void *arg)
{
	return block_for_each(l->blocks, loop_now_ms(l->loop), fn, arg);
}

void l2tp_for_each_session(struct l2tp *l,
			   void (*fn)(void *arg,
				      const struct l2tp_session_view *v),
			   void *arg)
{
	uint64_t now = loop_now_ms(l->loop);
	struct l2tp_session_view v;
	struct peer_rec *p;
	struct sess *s;

	for (s = l->sessions; s; s = s->next) {
		memset(&v, 0, sizeof(v));
		v.peer_id = s->info.peer_id;
		p = peer_find(l, s->info.peer_id);
		if (p)
			v.outer = p->addr;
		v.local_tunnel_id = s->info.local_tunnel_id;
		v.local_session_id = s->info.local_session_id;
		v.remote_tunnel_id = s->info.remote_tunnel_id;
		v.remote_session_id = s->info.remote_session_id;
		v.client = s->client != NULL;
		v.lac = s->client ? s->client->lac->name : NULL;
		v.user = sess_user(s);
		v.user_sent = s->user[0] && strcmp(s->user, s->user_sent) ?
			      s->user_sent : NULL;
		v.phase = s->ppp ? ppp_link_phase(s->ppp) : "";
		v.auth = s->auth;
		v.peer_host = s->ls && s->info.peer_host_name ?
			      s->info.peer_host_name : "";
		/* the client's address: the peer's as server, ours as client */
		if (s->client) {
			v.address = s->local_ip;
			v.peer_address = s->peer_ip;
		} else {
			v.address = s->peer_ip;
			v.peer_address = s->local_ip;
		}
		v.ipv6 = s->v6_route;
		v.peer_ll = s->client ? s->local_ll : s->peer_ll;
		v.uptime_ms = now - s->start_ms;
		v.ending = s->ending;
		fn(arg, &v);
	}
}

int l2tp_reload_secrets(struct l2tp *l)
{
	struct secrets *n;
	char err[512];
	int ret;

	if (!l->started || !l->conf->engine.accept_incoming)
		return 0;
	ret = secrets_load(l->conf->chap_secrets, &n, err, sizeof(err));
	if (ret) {
		log_msg(LOG_LVL_ERR, LOG_CONFIG, "%s (keeping the old users)", err);
		return ret;
	}
	secrets_for_each_pinned(n, exclude_pinned, l->pool);
	secrets_check_addrs(n, l->conf->chap_secrets, l->conf->ppp.local_ipv4,
			    l->pool);
	secrets_free(l->secrets);
	l->secrets = n;
	log_msg(LOG_LVL_INFO, LOG_AUTH, "%s: %u users", l->conf->chap_secrets,
		secrets_count(n));
	return 0;
}

void l2tp_dump(struct l2tp *l, FILE *f)
{
	struct sess *s;
	char dur[32], a[INET_ADDRSTRLEN];

	for (s = l->sessions; s; s = s->next) {
		fmt_duration(dur, sizeof(dur), loop_now_ms(l->loop) - s->start_ms);
		inet_ntop(AF_INET, s->client ? &s->local_ip : &s->peer_ip, a,
			  sizeof(a));
		fprintf(f, "%s user %s address %s phase %s auth %s %s up %s\n",
			s->ident, s->ppp ? ppp_link_label(s->ppp) : "-", a,
			s->ppp ? ppp_link_phase(s->ppp) : "-",
			ppp_auth_name(s->auth), s->client ? "client" : "server",
			dur);
	}
}

unsigned int l2tp_session_count(const struct l2tp *l)
{
	return l->nsessions;
}
