/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd: failed logins per user and per peer address, with a growing
 * delay and a named lockout ([ppp] login-delay, login-failures-per-user,
 * login-failures-per-peer, login-lockout).
 *
 * After a failed login the next attempt of that user, and from that peer
 * address, must wait login-delay, doubled for each further failure (at
 * most LOCKOUT_DELAY_MAX_MS); an attempt earlier than that is refused
 * before its credentials are looked at, and does not count. The
 * login-failures-per-user'th failure of a user locks it out for
 * login-lockout, except from the address it last logged in from
 * successfully (so a guesser elsewhere cannot lock a user out of its
 * usual place); the login-failures-per-peer'th failure from one address
 * locks that address out. Failures are forgotten login-lockout after the
 * last one, and by a successful login of the same user or from the same
 * address.
 *
 * Users are counted only by their chap-secrets name (a name that is not
 * there counts for its peer only), so a guesser cannot grow the tables;
 * at most LOCKOUT_MAX_RECORDS users and as many addresses are kept, the
 * ones idle longest forgotten first. Time is the caller's (the loop's
 * monotonic ms), so tests can move it.
 */
#ifndef L2TPSECD_AUTH_LOCKOUT_H
#define L2TPSECD_AUTH_LOCKOUT_H

#include <stddef.h>
#include <stdint.h>

#define LOCKOUT_DELAY_MAX_MS	60000
#define LOCKOUT_MAX_RECORDS	4096
#define LOCKOUT_MAX_USER	64

struct lockout_conf {
	uint32_t	user_max;	/* failures before a user lockout, 0: never */
	uint32_t	peer_max;	/* failures before an address lockout */
	uint32_t	delay_s;	/* after the first failure; 0: none */
	uint32_t	lockout_s;	/* lockout time, failure memory */
};

void lockout_conf_defaults(struct lockout_conf *c);

struct lockout;

struct lockout *lockout_new(void);
void lockout_free(struct lockout *lo);

/*
 * May @user (chap-secrets name; NULL: not there) try to log in from
 * @peer_be (IPv4, network order) now? 0, or -EACCES with the reason in
 * @why ("... (SETTING N in [ppp])" and how to lift it). @peer_str names
 * the address in @why.
 */
int lockout_check(struct lockout *lo, const struct lockout_conf *c,
		  const char *user, uint32_t peer_be, const char *peer_str,
		  uint64_t now_ms, char *why, size_t size);

/* What lockout_failed() started (the caller logs one line for each). */
#define LOCKOUT_BEGAN_USER	1u
#define LOCKOUT_BEGAN_PEER	2u

/* A login of @user (NULL: unknown name) from @peer_be failed. */
unsigned int lockout_failed(struct lockout *lo, const struct lockout_conf *c,
			    const char *user, uint32_t peer_be,
			    uint64_t now_ms);
/* ... and it succeeded: its failures are forgotten. */
void lockout_succeeded(struct lockout *lo, const char *user, uint32_t peer_be,
		       uint64_t now_ms);
/* Admin (l2tpsec unblock user): 0, or -ENOENT when @user had nothing. */
int lockout_clear_user(struct lockout *lo, const char *user);
/* Counted failures of @user / @peer_be now (tests, log lines). */
unsigned int lockout_user_failures(struct lockout *lo, const char *user);
unsigned int lockout_peer_failures(struct lockout *lo, uint32_t peer_be);

#endif
