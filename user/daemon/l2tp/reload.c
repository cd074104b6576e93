// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: reloading the L2TP/PPP half's configuration (SIGHUP) without
 * touching live sessions, and --check-config's checks of it.
 *
 * The new configuration was parsed into a struct of its own; here it is
 * checked as the start would (chap-secrets, pool ranges, password files),
 * the new users and pool are built beside the running ones, and only
 * then swapped in. Settings a live tunnel or the device depends on (the
 * role, the tunnel secret, the pool's local address) keep their running
 * values, each named in one line as needing a restart.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "auth/auth.h"
#include "config.h"
#include "log.h"
#include "l2tp/l2tp.h"
#include "l2tp/service.h"

#define RESTART_HINT	"needs a restart (systemctl restart l2tpsecd)"

struct l2tp_reload {
	struct l2tp_conf	*nc;
	struct secrets		*secrets;
	struct pool		*pool;
};

static const char *range_str(char *buf, size_t size,
			     const struct l2tp_range *r)
{
	struct in_addr a = { htonl(r->first) }, b = { htonl(r->last) };
	char x[INET_ADDRSTRLEN], y[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &a, x, sizeof(x));
	inet_ntop(AF_INET, &b, y, sizeof(y));
	if (r->first == r->last)
		snprintf(buf, size, "%s", x);
	else
		snprintf(buf, size, "%s-%s", x, y);
	return buf;
}

/*
 * The pool of @c with @s's pinned addresses and @local taken out, as the
 * start builds it. NULL after logging why (@file names the config).
 */
static struct pool *build_pool(const struct l2tp_conf *c,
			       const struct secrets *s, struct in_addr local,
			       const char *file)
{
	struct pool *p = pool_new();
	char rb[40], ob[40];
	unsigned int i, j;

	if (!p)
		return NULL;
	for (i = 0; i < c->nranges; i++) {
		int ret = pool_add_range(p, c->ranges[i].first,
					 c->ranges[i].last);

		if (!ret)
			continue;
		if (ret == -EEXIST) {
			for (j = 0; j < i; j++)
				if (c->ranges[i].first <= c->ranges[j].last &&
				    c->ranges[i].last >= c->ranges[j].first)
					break;
			log_msg(LOG_LVL_ERR, LOG_CONFIG,
				"%s: [pool] range %s overlaps range %s",
				file, range_str(rb, sizeof(rb), &c->ranges[i]),
				j < i ? range_str(ob, sizeof(ob),
						  &c->ranges[j]) : "?");
		} else {
			log_msg(LOG_LVL_ERR, LOG_CONFIG,
				"%s: [pool] range %s is too large (at most 2^20 addresses)",
				file, range_str(rb, sizeof(rb), &c->ranges[i]));
		}
		pool_free(p);
		return NULL;
	}
	for (i = 0; i < c->nexcludes; i++)
		pool_exclude(p, c->excludes[i].first, c->excludes[i].last);
	if (s)
		secrets_for_each_pinned(s, exclude_pinned, p);
	if (local.s_addr)
		exclude_pinned(p, local);
	return p;
}

/* [lac NAME] password files: readable, ours, not empty. Errors counted. */
static int check_lac_passwords(const struct l2tp_conf *c)
{
	char pw[PPP_MAX_SECRET + 1];
	unsigned int i;
	int errors = 0;

	for (i = 0; i < c->nlacs; i++) {
		if (read_secret_file(c->lacs[i].password_file, pw, sizeof(pw)))
			errors++;
		OPENSSL_cleanse(pw, sizeof(pw));
	}
	return errors;
}

int l2tp_conf_check(const struct l2tp_conf *c)
{
	char secret[L2TP_MAX_SECRET + 1], err[512];
	struct secrets *s = NULL;
	struct pool *p = NULL;
	int errors = 0;

	if (c->tunnel_secret_file[0]) {
		errors += !!read_secret_file(c->tunnel_secret_file, secret,
					     sizeof(secret));
		OPENSSL_cleanse(secret, sizeof(secret));
	}
	errors += check_lac_passwords(c);
	if (!c->engine.accept_incoming)
		return errors;
	if (secrets_load(c->chap_secrets, &s, err, sizeof(err))) {
		log_msg(LOG_LVL_ERR, LOG_CONFIG, "%s", err);
		errors++;
	}
	if (c->have_pool_section) {
		p = build_pool(c, s, c->ppp.local_ipv4, "[pool]");
		if (!p) {
			errors++;
		} else if (c->ppp.local_ipv4.s_addr) {
			uint32_t h = ntohl(c->ppp.local_ipv4.s_addr);
			unsigned int i;
			char rb[40];

			for (i = 0; i < c->nranges; i++)
				if (h >= c->ranges[i].first &&
				    h <= c->ranges[i].last)
					log_msg(LOG_LVL_WARN, LOG_CONFIG,
						"[pool] local %s is inside range %s: it is never handed out; take it out of the range",
						inet_ntoa(c->ppp.local_ipv4),
						range_str(rb, sizeof(rb),
							  &c->ranges[i]));
		}
	}
	if (s)
		secrets_check_addrs(s, c->chap_secrets, c->ppp.local_ipv4, p);
	secrets_free(s);
	pool_free(p);
	return errors;
}

static void restart_line(const char *what)
{
	log_msg(LOG_LVL_WARN, LOG_CONFIG, "reload: %s changed; " RESTART_HINT,
		what);
}

/* Settings that stay as they run: named, and taken over into @nc. */
static void keep_running(const struct l2tp_conf *o, struct l2tp_conf *nc)
{
	bool pool_same = o->ppp.local_ipv4.s_addr == nc->ppp.local_ipv4.s_addr;

	if (o->engine.accept_incoming != nc->engine.accept_incoming) {
		restart_line("[l2tp] listen");
		nc->engine.accept_incoming = o->engine.accept_incoming;
		nc->listen_set = o->listen_set;
	}
	if (strcmp(o->tunnel_secret_file, nc->tunnel_secret_file)) {
		restart_line("[l2tp] tunnel-secret-file");
		memcpy(nc->tunnel_secret_file, o->tunnel_secret_file,
		       sizeof(nc->tunnel_secret_file));
	}
	if (o->engine.hide_avps != nc->engine.hide_avps) {
		restart_line("[l2tp] hide-avps");
		nc->engine.hide_avps = o->engine.hide_avps;
	}
	if (!pool_same || o->have_pool_section != nc->have_pool_section) {
		/* the device's address: the whole [pool] stays as it runs */
		restart_line("[pool] local");
		nc->ppp.local_ipv4 = o->ppp.local_ipv4;
		nc->have_pool_section = o->have_pool_section;
		memcpy(nc->ranges, o->ranges, sizeof(nc->ranges));
		nc->nranges = o->nranges;
		memcpy(nc->excludes, o->excludes, sizeof(nc->excludes));
		nc->nexcludes = o->nexcludes;
	}
}

struct l2tp_reload *l2tp_reload_prepare(struct l2tp *l, struct l2tp_conf *nc)
{
	struct l2tp_reload *r = calloc(1, sizeof(*r));
	char err[512];

	if (!r)
		return NULL;
	r->nc = nc;
	if (!l->started)
		return r;	/* nothing runs yet: the conf alone */
	keep_running(l->conf, nc);
	if (check_lac_passwords(nc))
		goto refuse;
	if (!nc->engine.accept_incoming)
		return r;
	if (secrets_load(nc->chap_secrets, &r->secrets, err, sizeof(err))) {
		log_msg(LOG_LVL_ERR, LOG_CONFIG, "%s", err);
		goto refuse;
	}
	r->pool = build_pool(nc, r->secrets, nc->ppp.local_ipv4,
			     nc->chap_secrets);
	if (!r->pool)
		goto refuse;
	/* live sessions keep their addresses, inside a range or not */
	if (pool_take_over(r->pool, l->pool)) {
		log_msg(LOG_LVL_ERR, LOG_CONFIG, "reload: out of memory");
		goto refuse;
	}
	secrets_check_addrs(r->secrets, nc->chap_secrets, nc->ppp.local_ipv4,
			    r->pool);
	return r;
refuse:
	l2tp_reload_abort(r);
	return NULL;
}

void l2tp_reload_abort(struct l2tp_reload *r)
{
	if (!r)
		return;
	secrets_free(r->secrets);
	pool_free(r->pool);
	free(r);
}

/* Say which ranges went away: their live addresses stay, unused. */
static void log_removed_ranges(const struct l2tp_conf *o,
			       const struct l2tp_conf *n)
{
	unsigned int i, j;
	char rb[40];

	for (i = 0; i < o->nranges; i++) {
		for (j = 0; j < n->nranges; j++)
			if (o->ranges[i].first == n->ranges[j].first &&
			    o->ranges[i].last == n->ranges[j].last)
				break;
		if (j < n->nranges)
			continue;
		log_msg(LOG_LVL_INFO, LOG_CONFIG,
			"reload: [pool] range %s removed: addresses its sessions hold stay theirs and are not handed out again",
			range_str(rb, sizeof(rb), &o->ranges[i]));
	}
}

/* Clients follow their [lac] to the new array, or keep a copy of it. */
static void repoint_clients(struct l2tp *l, const struct l2tp_conf *n)
{
	struct client *c;

	for (c = l->clients; c; c = c->next) {
		const struct l2tp_lac_conf *lac = l2tp_conf_lac(n, c->lac->name);

		if (lac) {
			c->lac = lac;
			continue;
		}
		if (!c->lac_kept) {
			c->lac_kept = malloc(sizeof(*c->lac_kept));
			if (!c->lac_kept)
				abort();	/* a few hundred bytes */
			*c->lac_kept = *c->lac;
		}
		c->lac = c->lac_kept;
		log_msg(LOG_LVL_INFO, LOG_CONFIG,
			"reload: [lac %s] removed: its connection stays up until it ends",
			c->lac->name);
	}
}

void l2tp_reload_commit(struct l2tp *l, struct l2tp_reload *r)
{
	struct l2tp_conf *nc = r->nc, old;
	struct config_section sections[4];

	if (l->started) {
		log_removed_ranges(l->conf, nc);
		repoint_clients(l, nc);
		if (nc->engine.accept_incoming) {
			secrets_free(l->secrets);
			l->secrets = r->secrets;
			r->secrets = NULL;
			pool_free(l->pool);
			l->pool = r->pool;
			r->pool = NULL;
		}
		l2tp_engine_set_cfg(l->engine, &nc->engine);
	}
	/* swap: the caller's struct gets the old one to free */
	memcpy(sections, l->own_conf.sections, sizeof(sections));
	old = l->own_conf;
	l->own_conf = *nc;
	memcpy(l->own_conf.sections, sections, sizeof(sections));
	*nc = old;
	if (l->started && l->conf->engine.accept_incoming)
		log_msg(LOG_LVL_INFO, LOG_CONFIG,
			"reload: %s: %u users; pool of %u addresses, %u in use",
			l->conf->chap_secrets, secrets_count(l->secrets),
			pool_size(l->pool), pool_in_use(l->pool));
	l2tp_reload_abort(r);
}
