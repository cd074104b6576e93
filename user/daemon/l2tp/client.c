// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: the LAC client: a tunnel and a call to a [lac] section's LNS,
 * placed again after a failure with a doubling backoff.
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

void client_schedule(struct client *c)
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

void client_free(struct client *c)
{
	struct client **pp;

	for (pp = &c->l->clients; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	loop_timer_free(c->retry);
	free(c->lac_kept);
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

void client_stop(struct client *c, enum end_reason r, bool notify)
{
	struct l2tp *l = c->l;
	uint32_t peer_id = c->peer_id;

	c->stopping = true;
	loop_timer_disarm(c->retry);
	if (c->session && c->session->engine_session)
		l2tp_session_close(c->session->engine_session, r, NULL);
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
