/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd: what one user, or one peer address, may have of the server
 * ([ppp] settings):
 *
 *   max-sessions-per-user N            sessions of one chap-secrets user
 *   max-sessions-per-user-action A     refuse the new login (refuse) or
 *                                      end the oldest session (replace,
 *                                      accel-ppp's single-session)
 *   login-delay, login-failures-per-user, login-failures-per-peer,
 *   login-lockout                      failed logins: auth/lockout.h
 */
#ifndef L2TPSECD_L2TP_USER_LIMITS_H
#define L2TPSECD_L2TP_USER_LIMITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/lockout.h"

struct config_ctx;

struct l2tp_user_limits {
	uint32_t		max_sessions;	/* per user; 0: no limit */
	bool			replace;	/* else refuse */
	struct lockout_conf	login;
};

#define USER_LIMITS_KEYS "max-sessions-per-user, max-sessions-per-user-action, login-delay, login-failures-per-user, login-failures-per-peer, login-lockout"

void user_limits_defaults(struct l2tp_user_limits *u);
/* A [ppp] key: 0, -EINVAL (config_error() said why), 1: not one of ours. */
int user_limits_key(struct l2tp_user_limits *u, struct config_ctx *ctx,
		    const char *key, const char *v);

/*
 * A login of @user, who has @have other sessions: 0 (room, or replace:
 * *@evict gets how many of the oldest to end), or -EDQUOT with the
 * refusal in @why.
 */
int user_limits_sessions(const struct l2tp_user_limits *u, const char *user,
			 unsigned int have, unsigned int *evict, char *why,
			 size_t size);
/* The detail of a session ended to make room for @user's login from @peer. */
void user_limits_replaced(const struct l2tp_user_limits *u, const char *user,
			  const char *peer, char *detail, size_t size);

/*
 * Login failures, with the log lines: may @user (chap-secrets name, NULL:
 * unknown) log in from @peer_be now (0, or -EACCES and @why); a failure
 * (one line for each lockout it starts); a success.
 */
int user_limits_login_check(const struct l2tp_user_limits *u,
			    struct lockout *lo, const char *user,
			    uint32_t peer_be, uint64_t now_ms, char *why,
			    size_t size);
void user_limits_login_failed(const struct l2tp_user_limits *u,
			      struct lockout *lo, const char *user,
			      uint32_t peer_be, uint64_t now_ms);
void user_limits_login_ok(struct lockout *lo, const char *user,
			  uint32_t peer_be, uint64_t now_ms);

#endif
