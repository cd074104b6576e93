// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: failed logins per user and per peer address (see lockout.h).
 * Two short tables searched linearly: they hold only users of
 * chap-secrets and addresses of IPsec peers that failed a login lately,
 * at most LOCKOUT_MAX_RECORDS each.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/lockout.h"
#include "escape.h"

struct lo_rec {
	char		user[LOCKOUT_MAX_USER + 1];	/* users table */
	uint32_t	addr;				/* peers table */
	unsigned int	fails;		/* since the last success or lockout */
	unsigned int	locked_fails;	/* what the lockout was for */
	uint64_t	last_fail;	/* ms; 0: none */
	uint64_t	locked_until;	/* ms; 0: not locked */
	bool		has_good;	/* users: last successful address */
	uint32_t	good_addr;
	uint64_t	touched;	/* ms, for eviction */
};

struct lo_table {
	struct lo_rec	*v;
	unsigned int	n, cap;
};

struct lockout {
	struct lo_table	users, peers;
	uint32_t	forget_ms;	/* the last conf's login-lockout */
};

void lockout_conf_defaults(struct lockout_conf *c)
{
	c->user_max = 10;
	c->peer_max = 30;
	c->delay_s = 1;
	c->lockout_s = 900;
}

struct lockout *lockout_new(void)
{
	return calloc(1, sizeof(struct lockout));
}

void lockout_free(struct lockout *lo)
{
	if (!lo)
		return;
	free(lo->users.v);
	free(lo->peers.v);
	free(lo);
}

/* Nothing left to remember: no lockout, failures forgotten, no good address. */
static bool rec_idle(const struct lo_rec *r, uint64_t now, uint32_t forget_ms)
{
	if (r->locked_until > now)
		return false;
	if (r->fails && now - r->last_fail < forget_ms)
		return false;
	return !r->has_good;
}

/* Forget failures older than login-lockout and finished lockouts. */
static void rec_age(struct lo_rec *r, uint64_t now, uint32_t forget_ms)
{
	if (r->locked_until && r->locked_until <= now)
		r->locked_until = 0;
	if (r->fails && now - r->last_fail >= forget_ms)
		r->fails = 0;
}

static void table_sweep(struct lo_table *t, uint64_t now, uint32_t forget_ms)
{
	unsigned int i = 0;

	while (i < t->n) {
		if (rec_idle(&t->v[i], now, forget_ms))
			t->v[i] = t->v[--t->n];
		else
			i++;
	}
}

static struct lo_rec *find_user(struct lo_table *t, const char *user)
{
	unsigned int i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].user, user))
			return &t->v[i];
	return NULL;
}

static struct lo_rec *find_peer(struct lo_table *t, uint32_t addr)
{
	unsigned int i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].addr == addr)
			return &t->v[i];
	return NULL;
}

/* A new record; when the table is full, the one untouched longest goes. */
static struct lo_rec *table_add(struct lo_table *t, uint64_t now,
				uint32_t forget_ms)
{
	struct lo_rec *r;

	if (t->n >= LOCKOUT_MAX_RECORDS)
		table_sweep(t, now, forget_ms);
	if (t->n >= LOCKOUT_MAX_RECORDS) {
		unsigned int i, old = 0;

		for (i = 1; i < t->n; i++)
			if (t->v[i].touched < t->v[old].touched)
				old = i;
		r = &t->v[old];
	} else {
		if (t->n == t->cap) {
			unsigned int cap = t->cap ? t->cap * 2 : 16;
			struct lo_rec *v = realloc(t->v, cap * sizeof(*v));

			if (!v)
				return NULL;
			t->v = v;
			t->cap = cap;
		}
		r = &t->v[t->n++];
	}
	memset(r, 0, sizeof(*r));
	r->touched = now;
	return r;
}

static uint64_t next_try(const struct lo_rec *r, const struct lockout_conf *c)
{
	uint64_t d;

	if (!r->fails || !c->delay_s)
		return 0;
	d = (uint64_t)c->delay_s * 1000;
	d <<= r->fails - 1 < 16 ? r->fails - 1 : 16;
	if (d > LOCKOUT_DELAY_MAX_MS)
		d = LOCKOUT_DELAY_MAX_MS;
	return r->last_fail + d;
}

static unsigned int secs_until(uint64_t t, uint64_t now)
{
	return (unsigned int)((t - now + 999) / 1000);
}

int lockout_check(struct lockout *lo, const struct lockout_conf *c,
		  const char *user, uint32_t peer_be, const char *peer_str,
		  uint64_t now_ms, char *why, size_t size)
{
	uint32_t forget = c->lockout_s * 1000;
	struct lo_rec *r;
	uint64_t t;

	lo->forget_ms = forget;
	r = user ? find_user(&lo->users, user) : NULL;
	if (r && !(r->has_good && r->good_addr == peer_be)) {
		char ue[L2_ESC_SIZE(LOCKOUT_MAX_USER)];

		rec_age(r, now_ms, forget);
		l2_escape_str(ue, sizeof(ue), user);
		if (r->locked_until) {
			snprintf(why, size,
				 "user %s locked out for %u more seconds after %u failed logins (login-failures-per-user %u in [ppp]); to let the user in now: l2tpsec unblock user %s",
				 ue, secs_until(r->locked_until, now_ms),
				 r->locked_fails, c->user_max, ue);
			return -EACCES;
		}
		t = next_try(r, c);
		if (t > now_ms) {
			snprintf(why, size,
				 "%u failed logins of user %s: next try allowed in %u s (login-delay %u s in [ppp], doubling per failure)",
				 r->fails, ue, secs_until(t, now_ms), c->delay_s);
			return -EACCES;
		}
	}
	r = find_peer(&lo->peers, peer_be);
	if (r) {
		rec_age(r, now_ms, forget);
		if (r->locked_until) {
			snprintf(why, size,
				 "logins from %s locked out for %u more seconds after %u failed logins (login-failures-per-peer %u in [ppp])",
				 peer_str, secs_until(r->locked_until, now_ms),
				 r->locked_fails, c->peer_max);
			return -EACCES;
		}
		t = next_try(r, c);
		if (t > now_ms) {
			snprintf(why, size,
				 "%u failed logins from %s: next try allowed in %u s (login-delay %u s in [ppp], doubling per failure)",
				 r->fails, peer_str, secs_until(t, now_ms),
				 c->delay_s);
			return -EACCES;
		}
	}
	return 0;
}

/* One more failure on @r: 1 when it starts a lockout (at @max, 0: never). */
static bool rec_fail(struct lo_rec *r, uint32_t max,
		     const struct lockout_conf *c, uint64_t now, bool may_lock)
{
	rec_age(r, now, c->lockout_s * 1000);
	r->fails++;
	r->last_fail = now;
	r->touched = now;
	if (!may_lock || !max || r->fails < max || r->locked_until)
		return false;
	r->locked_until = now + (uint64_t)c->lockout_s * 1000;
	r->locked_fails = r->fails;
	r->fails = 0;
	return true;
}

unsigned int lockout_failed(struct lockout *lo, const struct lockout_conf *c,
			    const char *user, uint32_t peer_be,
			    uint64_t now_ms)
{
	uint32_t forget = c->lockout_s * 1000;
	unsigned int began = 0;
	struct lo_rec *r;

	lo->forget_ms = forget;
	if (user && strlen(user) <= LOCKOUT_MAX_USER) {
		r = find_user(&lo->users, user);
		if (!r) {
			r = table_add(&lo->users, now_ms, forget);
			if (r)
				snprintf(r->user, sizeof(r->user), "%s", user);
		}
		/* from its usual address, a user's typos never lock it out */
		if (r && rec_fail(r, c->user_max, c, now_ms,
				  !(r->has_good && r->good_addr == peer_be)))
			began |= LOCKOUT_BEGAN_USER;
	}
	r = find_peer(&lo->peers, peer_be);
	if (!r) {
		r = table_add(&lo->peers, now_ms, forget);
		if (r)
			r->addr = peer_be;
	}
	if (r && rec_fail(r, c->peer_max, c, now_ms, true))
		began |= LOCKOUT_BEGAN_PEER;
	return began;
}

void lockout_succeeded(struct lockout *lo, const char *user, uint32_t peer_be,
		       uint64_t now_ms)
{
	struct lo_rec *r;

	if (user && strlen(user) <= LOCKOUT_MAX_USER) {
		r = find_user(&lo->users, user);
		if (!r) {
			r = table_add(&lo->users, now_ms, lo->forget_ms);
			if (r)
				snprintf(r->user, sizeof(r->user), "%s", user);
		}
		if (r) {
			/* a lockout others caused stays for them */
			r->fails = 0;
			r->has_good = true;
			r->good_addr = peer_be;
			r->touched = now_ms;
		}
	}
	r = find_peer(&lo->peers, peer_be);
	if (r && !r->locked_until)
		*r = lo->peers.v[--lo->peers.n];
}

int lockout_clear_user(struct lockout *lo, const char *user)
{
	struct lo_rec *r = find_user(&lo->users, user);
	bool had;

	if (!r)
		return -ENOENT;
	had = r->fails || r->locked_until;
	r->fails = 0;
	r->locked_until = 0;
	return had ? 0 : -ENOENT;
}

unsigned int lockout_user_failures(struct lockout *lo, const char *user)
{
	struct lo_rec *r = find_user(&lo->users, user);

	return r ? r->fails : 0;
}

unsigned int lockout_peer_failures(struct lockout *lo, uint32_t peer_be)
{
	struct lo_rec *r = find_peer(&lo->peers, peer_be);

	return r ? r->fails : 0;
}
