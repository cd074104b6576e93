// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: the L2TP/PPP half of the daemon: glues the L2TP engine, one
 * PPP link per session, users, the address pool and the device's
 * addresses and routes to the module (kmod.h) and the loop. This file: the
 * service's life (new, start, free), the peers it knows and its entry
 * points from the module. The rest: session_glue.c (a session's module
 * state, PPP and engine callbacks), client.c (the LAC client and its
 * backoff), ike_peers.c (IKE peers up and down), admin.c (kick, block,
 * lists, reload, dump).
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
#include "netcfg.h"
#include "log.h"
#include "loop.h"
#include "secretfile.h"

#include "l2tp/service.h"

struct peer_rec *peer_find(const struct l2tp *l, uint32_t id)
{
	struct peer_rec *p;

	for (p = l->peers; p; p = p->next)
		if (p->id == id)
			return p;
	return NULL;
}

/* "203.0.113.7" (IKE's port 500) or "203.0.113.7:4500" (NAT-T). */
void peer_set_addr(struct peer_rec *p, struct in_addr a, uint16_t port)
{
	p->addr.sin_family = AF_INET;
	p->addr.sin_addr = a;
	p->addr.sin_port = htons(port);
	if (port && port != 500)
		snprintf(p->name, sizeof(p->name), "%s:%u", inet_ntoa(a), port);
	else
		snprintf(p->name, sizeof(p->name), "%s", inet_ntoa(a));
}

const char *peer_str(struct l2tp *l, uint32_t id)
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
int read_secret_file(const char *path, char *out, size_t size)
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

void fmt_duration(char *buf, size_t size, uint64_t ms)
{
	uint64_t s = ms / 1000;

	snprintf(buf, size, "%02u:%02u:%02u", (unsigned int)(s / 3600),
		 (unsigned int)(s / 60 % 60), (unsigned int)(s % 60));
}


/* ---- life ---------------------------------------------------------------- */

void exclude_pinned(void *arg, struct in_addr a)
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
	l->lockout = lockout_new();
	if (!l->blocks || !l->lockout) {
		block_list_free(l->blocks);
		lockout_free(l->lockout);
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

int l2tp_set_radius(struct l2tp *l, const struct radius_conf *c)
{
	if (!c->present || l->radius)
		return 0;
	l->radius = radius_client_new(l->loop, &c->cfg);
	if (!l->radius) {
		log_msg(LOG_LVL_ERR, LOG_CORE,
			"[radius]: cannot start the RADIUS client: %s",
			strerror(errno));
		return -ENOMEM;
	}
	l->radius_order = c->order;
	l->radius_max_pending = c->cfg.max_pending;
	return 0;
}

unsigned int l2tp_radius_pending(const struct l2tp *l)
{
	return l->radius ? radius_pending(l->radius) : 0;
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
	l->engine = l2tp_engine_new(l->loop, &ecfg, &l2tp_service_engine_ops, l);
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
	lockout_free(l->lockout);
	/* after the engine: the sessions cancelled their requests */
	radius_client_free(l->radius);
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
	struct l2tp_session *engine_session = l->started ?
		l2tp_engine_find_session(l->engine, peer_id, tunnel_id,
					 session_id) : NULL;
	struct service_session *s = engine_session ? l2tp_session_priv(engine_session) : NULL;

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
