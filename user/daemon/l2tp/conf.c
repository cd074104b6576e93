// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: the [l2tp], [ppp], [pool] and [lac NAME] sections of
 * l2tpsecd.conf (see Documentation/l2tpsecd.conf-l2tp.inc).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "log.h"
#include "config.h"
#include "l2tp/l2tp.h"

#define DEFAULT_CHAP_SECRETS	"/etc/l2tpsec/chap-secrets"

void l2tp_conf_init(struct l2tp_conf *c)
{
	memset(c, 0, sizeof(*c));
	l2tp_engine_cfg_defaults(&c->engine);
	ppp_cfg_defaults(&c->ppp);
	user_limits_defaults(&c->limits);
	snprintf(c->chap_secrets, sizeof(c->chap_secrets), "%s",
		 DEFAULT_CHAP_SECRETS);
}

void l2tp_conf_fini(struct l2tp_conf *c)
{
	free(c->lacs);
	c->lacs = NULL;
	c->nlacs = 0;
}

const struct l2tp_lac_conf *l2tp_conf_lac(const struct l2tp_conf *c,
					  const char *name)
{
	unsigned int i;

	for (i = 0; i < c->nlacs; i++)
		if (!strcmp(c->lacs[i].name, name))
			return &c->lacs[i];
	return NULL;
}

/* ---- value helpers ---------------------------------------------------- */

static int parse_str(struct config_ctx *ctx, const char *v, char *out,
		     size_t size)
{
	if (!*v || strlen(v) >= size) {
		config_error(ctx, "expected a non-empty value of at most %zu characters",
			     size - 1);
		return -EINVAL;
	}
	snprintf(out, size, "%s", v);
	return 0;
}

static int parse_path(struct config_ctx *ctx, const char *v, char *out,
		      size_t size)
{
	if (v[0] != '/') {
		config_error(ctx, "expected an absolute path, got '%s'", v);
		return -EINVAL;
	}
	return parse_str(ctx, v, out, size);
}

/* Split on blanks and commas; calls @fn for each word. */
static int each_word(struct config_ctx *ctx, const char *v,
		     int (*fn)(struct config_ctx *ctx, const char *w, void *arg),
		     void *arg)
{
	char buf[512], *save = NULL, *w;
	int ret;

	if (strlen(v) >= sizeof(buf)) {
		config_error(ctx, "value too long");
		return -EINVAL;
	}
	snprintf(buf, sizeof(buf), "%s", v);
	for (w = strtok_r(buf, " \t,", &save); w;
	     w = strtok_r(NULL, " \t,", &save)) {
		ret = fn(ctx, w, arg);
		if (ret)
			return ret;
	}
	return 0;
}

struct auth_list {
	enum ppp_auth	*v;
	int		n;
	bool		none;
};

static int auth_word(struct config_ctx *ctx, const char *w, void *arg)
{
	struct auth_list *l = arg;
	enum ppp_auth a;
	int i;

	if (!strcmp(w, "none")) {
		l->none = true;
		return 0;
	}
	if (!strcmp(w, "mschapv2") || !strcmp(w, "ms-chap-v2"))
		a = PPP_AUTH_MSCHAPV2;
	else if (!strcmp(w, "chap") || !strcmp(w, "chap-md5"))
		a = PPP_AUTH_CHAP_MD5;
	else if (!strcmp(w, "pap"))
		a = PPP_AUTH_PAP;
	else {
		config_error(ctx, "expected mschapv2, chap, pap or none, got '%s'", w);
		return -EINVAL;
	}
	for (i = 0; i < l->n; i++)
		if (l->v[i] == a)
			return 0;
	if (l->n >= 3)
		return 0;
	l->v[l->n++] = a;
	return 0;
}

/*
 * [ppp] (server): the protocols we ask for, or "none" alone (no login).
 * [lac] (client): the protocols we accept from the server, plus "none"
 * to accept a server that asks for none.
 */
static int parse_auth(struct config_ctx *ctx, const char *v,
		      struct ppp_cfg *p)
{
	enum ppp_auth tmp[4] = { 0 };
	struct auth_list l = { .v = tmp };
	enum ppp_auth *out = p->auth;
	int ret = each_word(ctx, v, auth_word, &l);

	if (ret)
		return ret;
	if (!p->server) {
		memcpy(out, tmp, sizeof(tmp));
		p->auth_none = l.none;
		return 0;
	}
	if (l.none && l.n) {
		config_error(ctx, "'none' cannot be combined with other protocols");
		return -EINVAL;
	}
	if (!l.none && !l.n) {
		config_error(ctx, "expected a list of mschapv2, chap, pap (or none)");
		return -EINVAL;
	}
	memcpy(out, tmp, sizeof(tmp));
	return 0;
}

struct addr_list {
	struct in_addr	*v;
	int		n, max;
};

static int addr_word(struct config_ctx *ctx, const char *w, void *arg)
{
	struct addr_list *l = arg;
	uint32_t be;

	if (l->n >= l->max) {
		config_error(ctx, "at most %d addresses", l->max);
		return -EINVAL;
	}
	if (config_parse_ipv4(ctx, w, &be))
		return -EINVAL;
	l->v[l->n++].s_addr = be;
	return 0;
}

static int parse_addrs(struct config_ctx *ctx, const char *v,
		       struct in_addr *out, int max)
{
	struct in_addr tmp[4] = { { 0 } };
	struct addr_list l = { .v = tmp, .max = max };
	int ret = each_word(ctx, v, addr_word, &l);

	if (!ret)
		memcpy(out, tmp, sizeof(*out) * (size_t)max);
	return ret;
}

struct range_list {
	struct l2tp_range	*v;
	unsigned int		*n;
};

static int range_word(struct config_ctx *ctx, const char *w, void *arg)
{
	struct range_list *l = arg;
	uint32_t f, t;

	if (pool_parse_range(w, &f, &t)) {
		config_error(ctx,
			     "expected A.B.C.D, A.B.C.D-E.F.G.H or A.B.C.D/N (N 12..32), got '%s'",
			     w);
		return -EINVAL;
	}
	if (*l->n >= L2TP_CONF_MAX_RANGES) {
		config_error(ctx, "at most %d ranges", L2TP_CONF_MAX_RANGES);
		return -EINVAL;
	}
	l->v[*l->n].first = f;
	l->v[(*l->n)++].last = t;
	return 0;
}

static int route_word(struct config_ctx *ctx, const char *w, void *arg)
{
	struct l2tp_lac_conf *lac = arg;
	char buf[64], *slash;
	struct in_addr a;
	unsigned long plen = 32;

	snprintf(buf, sizeof(buf), "%s", w);
	if ((slash = strchr(buf, '/'))) {
		char *end;

		*slash++ = '\0';
		plen = strtoul(slash, &end, 10);
		if (*end || end == slash || plen > 32)
			goto bad;
	}
	if (!strcmp(buf, "default")) {
		a.s_addr = 0;
		plen = 0;
	} else if (inet_pton(AF_INET, buf, &a) != 1) {
		goto bad;
	}
	if (lac->nroutes >= L2TP_CONF_MAX_ROUTES) {
		config_error(ctx, "at most %d routes", L2TP_CONF_MAX_ROUTES);
		return -EINVAL;
	}
	lac->routes[lac->nroutes].dst = a;
	lac->routes[lac->nroutes++].plen = (uint8_t)plen;
	return 0;
bad:
	config_error(ctx, "expected A.B.C.D/N or default, got '%s'", w);
	return -EINVAL;
}

static int parse_secs_ms(struct config_ctx *ctx, const char *v, uint32_t *ms)
{
	uint32_t s;

	if (config_parse_duration(ctx, v, &s))
		return -EINVAL;
	if (s > 86400) {
		config_error(ctx, "at most 1d");
		return -EINVAL;
	}
	*ms = s * 1000;
	return 0;
}

/* ---- [ppp] keys, shared with [lac] ----------------------------------- */

/* 1: not a PPP key. */
static int ppp_key(struct ppp_cfg *p, struct config_ctx *ctx, const char *key,
		   const char *v)
{
	uint32_t u;

	if (!strcmp(key, "auth"))
		return parse_auth(ctx, v, p);
	if (!strcmp(key, "mru")) {
		if (config_parse_u32(ctx, v, 576, 1500, &u))
			return -EINVAL;
		p->mru = (uint16_t)u;
		return 0;
	}
	if (!strcmp(key, "acfc"))
		return config_parse_bool(ctx, v, &p->acfc);
	if (!strcmp(key, "pfc"))
		return config_parse_bool(ctx, v, &p->pfc);
	if (!strcmp(key, "lcp-echo-interval"))
		return config_parse_duration(ctx, v, &p->echo_interval_s);
	if (!strcmp(key, "lcp-echo-failure"))
		return config_parse_u32(ctx, v, 0, 100, &p->echo_failures);
	if (!strcmp(key, "auth-timeout"))
		return config_parse_duration(ctx, v, &p->auth_timeout_s);
	if (!strcmp(key, "ipv6"))
		return config_parse_bool(ctx, v, &p->ipv6);
	if (!strcmp(key, "restart-interval"))
		return parse_secs_ms(ctx, v, &p->restart_ms);
	if (!strcmp(key, "max-configure"))
		return config_parse_u32(ctx, v, 1, 100, &p->max_configure);
	return 1;
}

static int ppp_section(void *owner, struct config_ctx *ctx,
		       const char *section, const char *key, const char *v)
{
	struct l2tp_conf *c = owner;
	int ret;

	(void)section;
	c->have_ppp_section = true;
	ret = ppp_key(&c->ppp, ctx, key, v);
	if (ret <= 0)
		return ret;
	if (!strcmp(key, "name"))
		return parse_str(ctx, v, c->ppp.name, sizeof(c->ppp.name));
	if (!strcmp(key, "dns"))
		return parse_addrs(ctx, v, c->ppp.dns, 2);
	if (!strcmp(key, "nbns") || !strcmp(key, "wins"))
		return parse_addrs(ctx, v, c->ppp.nbns, 2);
	if (!strcmp(key, "chap-secrets"))
		return parse_path(ctx, v, c->chap_secrets,
				  sizeof(c->chap_secrets));
	ret = user_limits_key(&c->limits, ctx, key, v);
	if (ret <= 0)
		return ret;
	config_error(ctx, "unknown key; expected one of auth, name, mru, acfc, pfc, lcp-echo-interval, lcp-echo-failure, auth-timeout, ipv6, dns, nbns, chap-secrets, restart-interval, max-configure, " USER_LIMITS_KEYS);
	return -EINVAL;
}

/* ---- [l2tp] ------------------------------------------------------------ */

static int l2tp_section(void *owner, struct config_ctx *ctx,
			const char *section, const char *key, const char *v)
{
	struct l2tp_conf *c = owner;
	struct l2tp_engine_cfg *e = &c->engine;
	uint32_t u;

	(void)section;
	if (!strcmp(key, "hostname"))
		return parse_str(ctx, v, e->host_name, sizeof(e->host_name));
	if (!strcmp(key, "tunnel-secret-file"))
		return parse_path(ctx, v, c->tunnel_secret_file,
				  sizeof(c->tunnel_secret_file));
	if (!strcmp(key, "hide-avps"))
		return config_parse_bool(ctx, v, &e->hide_avps);
	if (!strcmp(key, "listen")) {
		c->listen_set = true;
		return config_parse_bool(ctx, v, &e->accept_incoming);
	}
	if (!strcmp(key, "receive-window")) {
		if (config_parse_u32(ctx, v, 1, 1024, &u))
			return -EINVAL;
		e->receive_window = (uint16_t)u;
		return 0;
	}
	if (!strcmp(key, "hello-interval"))
		return parse_secs_ms(ctx, v, &e->hello_interval_ms);
	if (!strcmp(key, "retransmit-initial"))
		return parse_secs_ms(ctx, v, &e->ctrl.rto_initial_ms);
	if (!strcmp(key, "retransmit-max"))
		return parse_secs_ms(ctx, v, &e->ctrl.rto_max_ms);
	if (!strcmp(key, "max-retries"))
		return config_parse_u32(ctx, v, 1, 50, &e->ctrl.max_retries);
	if (!strcmp(key, "max-tunnels"))
		return config_parse_u32(ctx, v, 0, 65535, &e->max_tunnels);
	if (!strcmp(key, "max-sessions"))
		return config_parse_u32(ctx, v, 0, 65535, &e->max_sessions);
	if (!strcmp(key, "max-tunnels-per-peer"))
		return config_parse_u32(ctx, v, 0, 65535,
					&e->max_tunnels_per_peer);
	config_error(ctx, "unknown key; expected one of hostname, tunnel-secret-file, hide-avps, listen, receive-window, hello-interval, retransmit-initial, retransmit-max, max-retries, max-tunnels, max-sessions, max-tunnels-per-peer");
	return -EINVAL;
}

static int l2tp_done(void *owner, struct config_ctx *ctx)
{
	struct l2tp_conf *c = owner;

	if (c->engine.ctrl.rto_initial_ms == 0 ||
	    c->engine.ctrl.rto_max_ms < c->engine.ctrl.rto_initial_ms) {
		config_error(ctx, "[l2tp] retransmit-max must be at least retransmit-initial, which must not be 0");
		return -EINVAL;
	}
	if (c->engine.hide_avps && !c->tunnel_secret_file[0]) {
		config_error(ctx, "[l2tp] hide-avps needs tunnel-secret-file");
		return -EINVAL;
	}
	return 0;
}

/* ---- [pool] ------------------------------------------------------------ */

static int pool_section(void *owner, struct config_ctx *ctx,
			const char *section, const char *key, const char *v)
{
	struct l2tp_conf *c = owner;
	struct range_list rl;
	uint32_t be;

	(void)section;
	c->have_pool_section = true;
	if (!strcmp(key, "local")) {
		if (config_parse_ipv4(ctx, v, &be))
			return -EINVAL;
		c->ppp.local_ipv4.s_addr = be;
		return 0;
	}
	if (!strcmp(key, "range")) {
		rl.v = c->ranges;
		rl.n = &c->nranges;
		return each_word(ctx, v, range_word, &rl);
	}
	if (!strcmp(key, "exclude")) {
		rl.v = c->excludes;
		rl.n = &c->nexcludes;
		return each_word(ctx, v, range_word, &rl);
	}
	config_error(ctx, "unknown key; expected one of local, range, exclude");
	return -EINVAL;
}

static int pool_done(void *owner, struct config_ctx *ctx)
{
	struct l2tp_conf *c = owner;

	/*
	 * Without "listen", a [pool] or a [ppp] section (both the server's)
	 * makes a server (LNS); a daemon with only [ike] and [lac NAME]
	 * sections is a client, or IKE alone.
	 */
	if (!c->listen_set)
		c->engine.accept_incoming = c->have_pool_section ||
					    c->have_ppp_section;
	if (!c->engine.accept_incoming)
		return 0;
	/*
	 * A server without a [pool] serves the users chap-secrets gives a
	 * fixed address; one with '*' is refused at IPCP, named.
	 */
	if (!c->have_pool_section)
		return 0;
	if (!c->ppp.local_ipv4.s_addr) {
		config_error(ctx, "[pool] needs 'local', the server's address inside the tunnels (e.g. local = 10.99.0.1)");
		return -EINVAL;
	}
	if (!c->nranges) {
		config_error(ctx, "[pool] needs at least one 'range' (e.g. range = 10.99.0.10-10.99.0.250)");
		return -EINVAL;
	}
	return 0;
}

/* ---- [lac NAME] -------------------------------------------------------- */

static struct l2tp_lac_conf *lac_get(struct l2tp_conf *c, const char *name)
{
	struct l2tp_lac_conf *v;
	unsigned int i;

	for (i = 0; i < c->nlacs; i++)
		if (!strcmp(c->lacs[i].name, name))
			return &c->lacs[i];
	v = realloc(c->lacs, (c->nlacs + 1) * sizeof(*v));
	if (!v)
		return NULL;
	c->lacs = v;
	v = &c->lacs[c->nlacs++];
	memset(v, 0, sizeof(*v));
	snprintf(v->name, sizeof(v->name), "%s", name);
	ppp_cfg_defaults(&v->ppp);
	v->ppp.server = false;
	/*
	 * Only MS-CHAPv2 by default: its authenticator response proves the
	 * server knows our password. With a group PSK, anyone holding it can
	 * pose as the server: PAP would hand them the password, CHAP-MD5 a
	 * hash to crack, no authentication would let them in unproven.
	 */
	memset(v->ppp.auth, 0, sizeof(v->ppp.auth));
	v->ppp.auth[0] = PPP_AUTH_MSCHAPV2;
	v->reconnect_min_s = 5;
	v->reconnect_max_s = 300;
	v->remote_port = 1701;
	return v;
}

static int lac_section(void *owner, struct config_ctx *ctx,
		       const char *section, const char *key, const char *v)
{
	struct l2tp_conf *c = owner;
	const char *name = config_section_arg(ctx);
	struct l2tp_lac_conf *lac;
	uint32_t u;
	int ret;

	(void)section;
	if (!name || !*name) {
		config_error(ctx, "[lac] needs a name: [lac NAME]");
		return -EINVAL;
	}
	lac = lac_get(c, name);
	if (!lac) {
		config_error(ctx, "out of memory");
		return -ENOMEM;
	}
	ret = ppp_key(&lac->ppp, ctx, key, v);
	if (ret <= 0)
		return ret;
	if (!strcmp(key, "user"))
		return parse_str(ctx, v, lac->ppp.user, sizeof(lac->ppp.user));
	if (!strcmp(key, "password-file"))
		return parse_path(ctx, v, lac->password_file,
				  sizeof(lac->password_file));
	if (!strcmp(key, "routes") || !strcmp(key, "route"))
		return each_word(ctx, v, route_word, lac);
	if (!strcmp(key, "dns"))
		return config_parse_bool(ctx, v, &lac->ppp.want_dns);
	if (!strcmp(key, "reconnect-min"))
		return config_parse_duration(ctx, v, &lac->reconnect_min_s);
	if (!strcmp(key, "reconnect-max"))
		return config_parse_duration(ctx, v, &lac->reconnect_max_s);
	if (!strcmp(key, "remote-port")) {
		if (config_parse_u32(ctx, v, 1, 65535, &u))
			return -EINVAL;
		lac->remote_port = (uint16_t)u;
		return 0;
	}
	config_error(ctx, "unknown key; expected one of user, password-file, auth, routes, dns, ipv6, mru, acfc, pfc, lcp-echo-interval, lcp-echo-failure, auth-timeout, reconnect-min, reconnect-max, remote-port");
	return -EINVAL;
}

/* What the client accepts beyond MS-CHAPv2, and what that risks. */
static void lac_auth_warn(const struct l2tp_lac_conf *lac)
{
	unsigned int i;

	for (i = 0; i < 4 && lac->ppp.auth[i]; i++) {
		if (lac->ppp.auth[i] == PPP_AUTH_PAP)
			log_msg(LOG_LVL_WARN, LOG_CONFIG,
				"[lac %s] auth allows PAP: the password goes to the server in clear, and with a group PSK anyone holding it can pose as the server; keep auth = mschapv2 unless the server offers nothing else",
				lac->name);
		else if (lac->ppp.auth[i] == PPP_AUTH_CHAP_MD5)
			log_msg(LOG_LVL_WARN, LOG_CONFIG,
				"[lac %s] auth allows CHAP-MD5: the server does not prove it knows the password, and one holding the group PSK gets a hash of it to crack; keep auth = mschapv2 unless the server offers nothing else",
				lac->name);
	}
	if (lac->ppp.auth_none)
		log_msg(LOG_LVL_WARN, LOG_CONFIG,
			"[lac %s] auth allows a server that asks for no authentication: it proves nothing about itself, and with a group PSK anyone holding it can pose as the server",
			lac->name);
}

static int lac_done(void *owner, struct config_ctx *ctx)
{
	struct l2tp_conf *c = owner;
	unsigned int i;

	for (i = 0; i < c->nlacs; i++) {
		if (!c->lacs[i].ppp.user[0] || !c->lacs[i].password_file[0]) {
			config_error(ctx, "[lac %s] needs 'user' and 'password-file'",
				     c->lacs[i].name);
			return -EINVAL;
		}
		if (c->lacs[i].reconnect_max_s < c->lacs[i].reconnect_min_s)
			c->lacs[i].reconnect_max_s = c->lacs[i].reconnect_min_s;
		lac_auth_warn(&c->lacs[i]);
	}
	return 0;
}

/* For "did you mean" (config.h): every key the handlers above take. */
#define PPP_LINK_KEYS "auth", "mru", "acfc", "pfc", "lcp-echo-interval", \
	"lcp-echo-failure", "auth-timeout", "ipv6", "restart-interval", \
	"max-configure"
static const char *const l2tp_keys[] = {
	"hostname", "tunnel-secret-file", "hide-avps", "listen",
	"receive-window", "hello-interval", "retransmit-initial",
	"retransmit-max", "max-retries", "max-tunnels", "max-sessions",
	"max-tunnels-per-peer", NULL,
};
static const char *const ppp_keys[] = {
	PPP_LINK_KEYS, "name", "dns", "nbns", "wins", "chap-secrets",
	"max-sessions-per-user", "max-sessions-per-user-action", "login-delay",
	"login-failures-per-user", "login-failures-per-peer", "login-lockout",
	NULL,
};
static const char *const pool_keys[] = { "local", "range", "exclude", NULL };
static const char *const lac_keys[] = {
	PPP_LINK_KEYS, "user", "password-file", "routes", "route", "dns",
	"reconnect-min", "reconnect-max", "remote-port", NULL,
};

void l2tp_conf_register(struct config_loader *ld, struct l2tp_conf *c)
{
	const struct config_section s[4] = {
		{ .name = "l2tp", .key = l2tp_section, .done = l2tp_done,
		  .owner = c, .keys = l2tp_keys },
		{ .name = "ppp", .key = ppp_section, .owner = c,
		  .keys = ppp_keys },
		{ .name = "pool", .key = pool_section, .done = pool_done,
		  .owner = c, .keys = pool_keys },
		{ .name = "lac", .repeatable = true, .key = lac_section,
		  .done = lac_done, .owner = c, .keys = lac_keys },
	};
	unsigned int i;

	memcpy(c->sections, s, sizeof(s));
	for (i = 0; i < 4; i++)
		config_register(ld, &c->sections[i]);
}
