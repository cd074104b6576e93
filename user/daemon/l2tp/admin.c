// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: the administrator's actions on the L2TP/PPP half: kick and
 * block users, list sessions and blocks, reload the secrets, dump state.
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

/* @user: k->user as canonical_user() names it. */
static bool kick_matches(const struct service_session *s, const struct l2tp_kick *k,
			 const char *user)
{
	if (s->ending)
		return false;
	switch (k->by) {
	case L2TP_KICK_USER:
		return s->ppp && !strcmp(session_user(s), user);
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
	struct service_session *s;
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
			nb += block_user(l, session_user(s), k->block_s, who);
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
	/* it lifts a lockout after failed logins too */
	if (!lockout_clear_user(l->lockout, user)) {
		log_msg(LOG_LVL_INFO, LOG_AUTH,
			"user %s: failed logins forgotten, lockout lifted%s%s",
			l2_escape_str(ue, sizeof(ue), user),
			who && *who ? " " : "", who ? who : "");
		err = 0;
	}
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
	struct service_session *s;

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
		v.user = session_user(s);
		v.user_sent = s->user[0] && strcmp(s->user, s->user_sent) ?
			      s->user_sent : NULL;
		v.phase = s->ppp ? ppp_link_phase(s->ppp) : "";
		v.auth = s->auth;
		v.peer_host = s->engine_session && s->info.peer_host_name ?
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
		if (s->ppp) {
			const struct ppp_stats *st = ppp_link_stats(s->ppp);

			v.lcp_echo_tx = st->echo_tx;
			v.lcp_echo_rx = st->echo_rx;
			if (st->echo_rtt_at_ms) {
				v.has_lcp_rtt = true;
				v.lcp_rtt_ms = st->echo_rtt_ms;
				v.lcp_rtt_age_ms = now - st->echo_rtt_at_ms;
			}
		}
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
	struct service_session *s;
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

struct l2tp_engine *l2tp_engine_of(const struct l2tp *l)
{
	return l->engine;
}
