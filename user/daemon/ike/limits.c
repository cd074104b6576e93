// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd IKEv1: what one source address may cost the responder.
 *
 * Each address that opened a phase 1 with us has a record: its half-open
 * and established ISAKMP SAs, its Diffie-Hellman computations in the
 * current second, and whether it ever completed phase 1 ("known good").
 *
 *   max-half-open-per-address   a single address (spoofed or not) cannot
 *                               fill the global max-half-open
 *   max-half-open               when full, a first message evicts a
 *                               random SA still waiting for message 3
 *                               (no DH spent yet: spoofed sources never
 *                               send it) from a source not known good, so
 *                               a flood from many spoofed addresses does
 *                               not lock real clients out
 *   dh-per-second[-per-address] DH as responder (MM3, AM1); a quarter of
 *                               the global budget is kept for known-good
 *                               sources
 *   half-open-timeout           how long a responder waits for the next
 *                               message of phase 1
 *   max-isakmp-per-address      established ISAKMP SAs of one address
 *
 * Records live as long as an SA of theirs, a current DH second or the
 * known-good mark; at most IKE_GOOD_MAX addresses are known good (the
 * oldest forgotten first).
 */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "ike_int.h"
#include "log.h"

#define IKE_GOOD_MAX	1024

static unsigned int src_bucket(uint32_t addr)
{
	uint32_t h = addr * 2654435761u;

	return (h >> 16) % IKE_SRC_BUCKETS;
}

static struct ike_src *src_find(struct ike *ike, uint32_t addr)
{
	struct ike_src *s;

	for (s = ike->src_hash[src_bucket(addr)]; s; s = s->next)
		if (s->addr == addr)
			return s;
	return NULL;
}

static bool src_idle(const struct ike *ike, const struct ike_src *s)
{
	return !s->half_open && !s->sas && !s->good &&
	       ike_now(ike) - s->dh_window >= 1000;
}

static void src_unlink_free(struct ike *ike, struct ike_src *s)
{
	struct ike_src **pp;

	for (pp = &ike->src_hash[src_bucket(s->addr)]; *pp;
	     pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	}
	ike->nsrc--;
	free(s);
}

/* Forget the idle records (called when there are many). */
static void src_sweep(struct ike *ike)
{
	unsigned int b;

	for (b = 0; b < IKE_SRC_BUCKETS; b++) {
		struct ike_src **pp = &ike->src_hash[b];

		while (*pp) {
			struct ike_src *s = *pp;

			if (src_idle(ike, s)) {
				*pp = s->next;
				ike->nsrc--;
				free(s);
			} else {
				pp = &s->next;
			}
		}
	}
}

static struct ike_src *src_get(struct ike *ike, uint32_t addr)
{
	struct ike_src *s = src_find(ike, addr);
	unsigned int b;

	if (s)
		return s;
	if (ike->nsrc >= 2 * ike->conf.max_half_open + IKE_GOOD_MAX)
		src_sweep(ike);
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->addr = addr;
	s->dh_window = ike_now(ike) - 1000;
	b = src_bucket(addr);
	s->next = ike->src_hash[b];
	ike->src_hash[b] = s;
	ike->nsrc++;
	return s;
}

static void src_put(struct ike *ike, struct ike_src *s)
{
	if (src_idle(ike, s))
		src_unlink_free(ike, s);
}

bool ike_src_good(struct ike *ike, struct in_addr addr)
{
	struct ike_src *s = src_find(ike, addr.s_addr);

	return s && s->good;
}

static void mark_good(struct ike *ike, struct ike_src *s)
{
	unsigned int b;

	s->good_at = ike_now(ike);
	if (s->good)
		return;
	if (ike->ngood >= IKE_GOOD_MAX) {
		struct ike_src *old = NULL, *o;

		for (b = 0; b < IKE_SRC_BUCKETS; b++)
			for (o = ike->src_hash[b]; o; o = o->next)
				if (o->good && (!old || o->good_at < old->good_at))
					old = o;
		if (old) {
			old->good = false;
			ike->ngood--;
			src_put(ike, old);
		}
	}
	s->good = true;
	ike->ngood++;
}

/* ---- accounting of responder SAs ----------------------------------------- */

int src_sa_opened(struct ike_sa *sa)
{
	struct ike_src *s = src_get(sa->ike, sa->remote.sin_addr.s_addr);

	if (!s)
		return -1;
	s->half_open++;
	sa->src = s;
	return 0;
}

void src_sa_established(struct ike_sa *sa)
{
	struct ike_src *s = sa->src;

	if (!s)
		return;
	s->half_open--;
	s->sas++;
	mark_good(sa->ike, s);
}

void src_sa_gone(struct ike_sa *sa)
{
	struct ike_src *s = sa->src;

	if (!s)
		return;
	if (sa->state == P1_ESTABLISHED)
		s->sas--;
	else
		s->half_open--;
	sa->src = NULL;
	src_put(sa->ike, s);
}

/* ---- admission of a first message ---------------------------------------- */

/* A random responder SA waiting for message 3 from a source not known good. */
static bool evictable(const struct ike_sa *sa)
{
	return !sa->initiator && sa->state == P1_R_MM2 && !sa->deleting &&
	       sa->src && !sa->src->good;
}

static struct ike_sa *victim(struct ike *ike)
{
	struct ike_sa *sa;
	unsigned int n = 0;
	uint32_t r;

	for (sa = ike->sas; sa; sa = sa->lnext)
		n += evictable(sa);
	if (!n)
		return NULL;
	ike_random(&r, sizeof(r));
	r %= n;
	for (sa = ike->sas; sa; sa = sa->lnext)
		if (evictable(sa) && !r--)
			return sa;
	return NULL;
}

bool p1_admit(struct ike *ike, const struct sockaddr_in *from)
{
	struct ike_src *s = src_find(ike, from->sin_addr.s_addr);
	const struct ike_conf *c = &ike->conf;
	struct ike_sa *v;

	if (s && c->max_half_open_addr && s->half_open >= c->max_half_open_addr) {
		ike->cnt.drop_limit++;
		ike_refuse(ike, REFUSE_HALF_OPEN_ADDR, from,
			   "phase 1: %u negotiations in progress from this address (max-half-open-per-address %u): first message dropped",
			   s->half_open, c->max_half_open_addr);
		return false;
	}
	if (s && c->max_isakmp_addr && s->sas >= c->max_isakmp_addr) {
		ike->cnt.drop_limit++;
		ike_refuse(ike, REFUSE_ISAKMP_ADDR, from,
			   "phase 1: %u ISAKMP SAs with this address (max-isakmp-per-address %u): first message dropped",
			   s->sas, c->max_isakmp_addr);
		return false;
	}
	if (!c->max_half_open || ike->half_open < c->max_half_open)
		return true;
	v = victim(ike);
	if (!v) {
		ike->cnt.drop_limit++;
		ike_refuse(ike, REFUSE_HALF_OPEN, from,
			   "phase 1: %u negotiations in progress (max-half-open %u): first message dropped",
			   ike->half_open, c->max_half_open);
		return false;
	}
	ike->cnt.drop_limit++;
	ike_refuse(ike, REFUSE_HALF_OPEN_EVICT, &v->remote,
		   "phase 1: %u negotiations in progress (max-half-open %u): this one, still waiting for message 3, makes room for a new one",
		   ike->half_open, c->max_half_open);
	ike_sa_free(v);
	return true;
}

/* ---- DH budget -------------------------------------------------------- */

bool p1_dh_allowed(struct ike_sa *sa)
{
	struct ike *ike = sa->ike;
	const struct ike_conf *c = &ike->conf;
	struct ike_src *s = sa->src;
	uint64_t now = ike_now(ike);
	bool good = s && s->good;
	uint32_t global_cap;

	if (sa->initiator || !s)
		return true;
	if (now - ike->dh_window >= 1000) {
		ike->dh_window = now;
		ike->dh_count = ike->dh_count_unknown = 0;
	}
	if (now - s->dh_window >= 1000) {
		s->dh_window = now;
		s->dh_count = 0;
	}
	if (c->dh_per_sec_addr && s->dh_count >= c->dh_per_sec_addr) {
		ike->cnt.drop_limit++;
		ike_refuse(ike, REFUSE_DH_ADDR, &sa->remote,
			   "phase 1: key exchange dropped: %u this second from this address (dh-per-second-per-address %u); the peer retransmits",
			   s->dh_count, c->dh_per_sec_addr);
		return false;
	}
	/* Sources never seen complete phase 1 get three quarters. */
	global_cap = c->dh_per_sec;
	if (global_cap && !good) {
		global_cap -= global_cap / 4;
		if (!global_cap)
			global_cap = 1;
	}
	if (global_cap && (ike->dh_count >= c->dh_per_sec ||
			   (!good && ike->dh_count_unknown >= global_cap))) {
		ike->cnt.drop_limit++;
		ike_refuse(ike, REFUSE_DH, &sa->remote,
			   "phase 1: key exchange dropped: %u this second (dh-per-second %u%s); the peer retransmits",
			   good ? ike->dh_count : ike->dh_count_unknown,
			   c->dh_per_sec,
			   good ? "" : ", of which a quarter is kept for addresses that completed phase 1 before");
		return false;
	}
	s->dh_count++;
	ike->dh_count++;
	if (!good)
		ike->dh_count_unknown++;
	ike->cnt.dh_responder++;
	return true;
}

uint64_t p1_responder_wait(const struct ike *ike)
{
	uint64_t t = ike_retransmit_total_ms(ike);
	uint64_t h = (uint64_t)ike->conf.half_open_timeout * 1000;

	return h && h < t ? h : t;
}

void src_free_all(struct ike *ike)
{
	unsigned int b;

	for (b = 0; b < IKE_SRC_BUCKETS; b++) {
		while (ike->src_hash[b]) {
			struct ike_src *s = ike->src_hash[b];

			ike->src_hash[b] = s->next;
			free(s);
		}
	}
	ike->nsrc = ike->ngood = 0;
}
