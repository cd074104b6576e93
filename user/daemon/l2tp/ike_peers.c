// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: IKE peers up and down: an IPsec SA pair up names the peer (and
 * starts the LAC client as initiator), its end closes the peer's tunnels.
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
			c->session = NULL;
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
