// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: sessions per user and failed logins ([ppp] settings, see
 * user_limits.h): the settings, the decisions and their log lines. The
 * glue (l2tpd.c) calls in at login (refuse), on a failure and at
 * authentication.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "escape.h"
#include "l2tp/user_limits.h"
#include "log.h"

void user_limits_defaults(struct l2tp_user_limits *u)
{
	memset(u, 0, sizeof(*u));
	u->max_sessions = 4;
	lockout_conf_defaults(&u->login);
}

int user_limits_key(struct l2tp_user_limits *u, struct config_ctx *ctx,
		    const char *key, const char *v)
{
	if (!strcmp(key, "max-sessions-per-user"))
		return config_parse_u32(ctx, v, 0, 100000, &u->max_sessions);
	if (!strcmp(key, "max-sessions-per-user-action")) {
		if (!strcmp(v, "refuse")) {
			u->replace = false;
		} else if (!strcmp(v, "replace")) {
			u->replace = true;
		} else {
			config_error(ctx, "expected refuse or replace, got '%s'", v);
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(key, "login-delay")) {
		if (config_parse_duration(ctx, v, &u->login.delay_s))
			return -EINVAL;
		if (u->login.delay_s > 60) {
			config_error(ctx, "at most 60s");
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(key, "login-failures-per-user"))
		return config_parse_u32(ctx, v, 0, 100000, &u->login.user_max);
	if (!strcmp(key, "login-failures-per-peer"))
		return config_parse_u32(ctx, v, 0, 100000, &u->login.peer_max);
	if (!strcmp(key, "login-lockout")) {
		if (config_parse_duration(ctx, v, &u->login.lockout_s))
			return -EINVAL;
		if (u->login.lockout_s < 1 || u->login.lockout_s > 86400) {
			config_error(ctx, "1s to 1d");
			return -EINVAL;
		}
		return 0;
	}
	return 1;
}

int user_limits_sessions(const struct l2tp_user_limits *u, const char *user,
			 unsigned int have, unsigned int *evict, char *why,
			 size_t size)
{
	char ue[L2_ESC_SIZE(LOCKOUT_MAX_USER)];

	*evict = 0;
	if (!u->max_sessions || have < u->max_sessions)
		return 0;
	if (u->replace) {
		*evict = have - u->max_sessions + 1;
		return 0;
	}
	snprintf(why, size,
		 "user %s has %u sessions already (max-sessions-per-user %u in [ppp]); refused; end one (l2tpsec kick) or set max-sessions-per-user-action = replace",
		 l2_escape_str(ue, sizeof(ue), user), have, u->max_sessions);
	return -EDQUOT;
}

void user_limits_replaced(const struct l2tp_user_limits *u, const char *user,
			  const char *peer, char *detail, size_t size)
{
	char ue[L2_ESC_SIZE(LOCKOUT_MAX_USER)];

	snprintf(detail, size,
		 "replaced by a new login of user %s from %s (max-sessions-per-user %u in [ppp], max-sessions-per-user-action replace)",
		 l2_escape_str(ue, sizeof(ue), user), peer, u->max_sessions);
}

static const char *addr_str(uint32_t be, char *buf, size_t size)
{
	struct in_addr a = { .s_addr = be };

	return inet_ntop(AF_INET, &a, buf, size);
}

int user_limits_login_check(const struct l2tp_user_limits *u,
			    struct lockout *lo, const char *user,
			    uint32_t peer_be, uint64_t now_ms, char *why,
			    size_t size)
{
	char a[INET_ADDRSTRLEN];

	if (!lo)
		return 0;
	return lockout_check(lo, &u->login, user, peer_be,
			     addr_str(peer_be, a, sizeof(a)), now_ms, why,
			     size);
}

void user_limits_login_failed(const struct l2tp_user_limits *u,
			      struct lockout *lo, const char *user,
			      uint32_t peer_be, uint64_t now_ms)
{
	char a[INET_ADDRSTRLEN], ue[L2_ESC_SIZE(LOCKOUT_MAX_USER)];
	unsigned int began;

	if (!lo)
		return;
	began = lockout_failed(lo, &u->login, user, peer_be, now_ms);
	addr_str(peer_be, a, sizeof(a));
	if (began & LOCKOUT_BEGAN_USER) {
		l2_escape_str(ue, sizeof(ue), user);
		log_msg(LOG_LVL_WARN, LOG_AUTH,
			"user %s: logins locked out for %u s after %u failed logins, the last from %s (login-failures-per-user %u in [ppp]); to let the user in now: l2tpsec unblock user %s",
			ue, u->login.lockout_s, u->login.user_max, a,
			u->login.user_max, ue);
	}
	if (began & LOCKOUT_BEGAN_PEER)
		log_msg(LOG_LVL_WARN, LOG_AUTH,
			"peer %s: logins from this address locked out for %u s after %u failed logins (login-failures-per-peer %u in [ppp])",
			a, u->login.lockout_s, u->login.peer_max,
			u->login.peer_max);
}

void user_limits_login_ok(struct lockout *lo, const char *user,
			  uint32_t peer_be, uint64_t now_ms)
{
	if (lo)
		lockout_succeeded(lo, user, peer_be, now_ms);
}
