// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: the IPv4 address pool.
 *
 * Ranges with a state byte per address (free, used, excluded; an excluded
 * address can still be held by a pinned user). Allocation goes round from
 * where the last one stopped, so a just-released address is reused last.
 * Pinned addresses outside every range are tracked in a small list.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"

#define MAX_POOL	(1u << 20)	/* a /12 is plenty */

enum { A_FREE = 0, A_USED = 1, A_EXCLUDED = 2 };	/* USED|EXCLUDED: pinned */

struct range {
	uint32_t	first, last;
	uint8_t		*state;
};

struct pool {
	struct range	*r;
	unsigned int	nr;
	unsigned int	cursor_r;
	uint32_t	cursor;
	uint32_t	*outside;	/* pinned, outside every range, in use */
	unsigned int	noutside;
	unsigned int	in_use;
};

struct pool *pool_new(void)
{
	return calloc(1, sizeof(struct pool));
}

void pool_free(struct pool *p)
{
	unsigned int i;

	if (!p)
		return;
	for (i = 0; i < p->nr; i++)
		free(p->r[i].state);
	free(p->r);
	free(p->outside);
	free(p);
}

static uint8_t *slot(struct pool *p, uint32_t a)
{
	unsigned int i;

	for (i = 0; i < p->nr; i++)
		if (a >= p->r[i].first && a <= p->r[i].last)
			return &p->r[i].state[a - p->r[i].first];
	return NULL;
}

int pool_add_range(struct pool *p, uint32_t first, uint32_t last)
{
	struct range *r;
	unsigned int i;

	if (last < first || last - first >= MAX_POOL)
		return -EINVAL;
	for (i = 0; i < p->nr; i++)
		if (first <= p->r[i].last && last >= p->r[i].first)
			return -EEXIST;	/* overlap */
	r = realloc(p->r, (p->nr + 1) * sizeof(*r));
	if (!r)
		return -ENOMEM;
	p->r = r;
	r = &p->r[p->nr];
	r->first = first;
	r->last = last;
	r->state = calloc(last - first + 1, 1);
	if (!r->state)
		return -ENOMEM;
	p->nr++;
	return 0;
}

int pool_exclude(struct pool *p, uint32_t first, uint32_t last)
{
	uint64_t a;

	if (last < first)
		return -EINVAL;
	for (a = first; a <= last; a++) {
		uint8_t *s = slot(p, (uint32_t)a);

		if (s)
			*s |= A_EXCLUDED;
	}
	return 0;
}

int pool_parse_range(const char *s, uint32_t *first, uint32_t *last)
{
	char buf[64], *sep;
	struct in_addr a, b;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s", s);
	if ((sep = strchr(buf, '-'))) {
		*sep++ = '\0';
		if (inet_pton(AF_INET, buf, &a) != 1 ||
		    inet_pton(AF_INET, sep, &b) != 1)
			return -EINVAL;
		*first = ntohl(a.s_addr);
		*last = ntohl(b.s_addr);
		return *last >= *first ? 0 : -EINVAL;
	}
	if ((sep = strchr(buf, '/'))) {
		char *end;
		unsigned long n;
		uint32_t mask;

		*sep++ = '\0';
		n = strtoul(sep, &end, 10);
		if (*end || end == sep || n < 12 || n > 32 ||
		    inet_pton(AF_INET, buf, &a) != 1)
			return -EINVAL;
		mask = n == 32 ? 0xffffffffu : ~(0xffffffffu >> n);
		*first = ntohl(a.s_addr) & mask;
		*last = *first | ~mask;
		if (n < 31) {
			(*first)++;
			(*last)--;
		}
		return 0;
	}
	if (inet_pton(AF_INET, buf, &a) != 1)
		return -EINVAL;
	*first = *last = ntohl(a.s_addr);
	return 0;
}

int pool_alloc(struct pool *p, struct in_addr *out)
{
	unsigned int ri, tries;

	for (tries = 0; tries <= p->nr; tries++) {
		struct range *r;
		uint32_t n, i, start;

		ri = (p->cursor_r + tries) % (p->nr ? p->nr : 1);
		if (!p->nr)
			break;
		r = &p->r[ri];
		n = r->last - r->first + 1;
		start = (tries == 0 && p->cursor >= r->first &&
			 p->cursor <= r->last) ? p->cursor - r->first : 0;
		for (i = 0; i < n; i++) {
			uint32_t k = (start + i) % n;

			if (r->state[k] == A_FREE) {
				r->state[k] = A_USED;
				p->cursor_r = ri;
				p->cursor = r->first + k + 1;
				out->s_addr = htonl(r->first + k);
				p->in_use++;
				return 0;
			}
		}
	}
	return -ENOSPC;
}

int pool_reserve(struct pool *p, struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr);
	uint8_t *s = slot(p, h);
	uint32_t *o;
	unsigned int i;

	if (s) {
		if (*s & A_USED)
			return -EBUSY;
		*s |= A_USED;
		p->in_use++;
		return 0;
	}
	for (i = 0; i < p->noutside; i++)
		if (p->outside[i] == h)
			return -EBUSY;
	o = realloc(p->outside, (p->noutside + 1) * sizeof(*o));
	if (!o)
		return -ENOMEM;
	p->outside = o;
	p->outside[p->noutside++] = h;
	p->in_use++;
	return 0;
}

void pool_release(struct pool *p, struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr);
	uint8_t *s = slot(p, h);
	unsigned int i;

	if (s) {
		if (*s & A_USED) {
			*s &= (uint8_t)~A_USED;
			p->in_use--;
		}
		return;
	}
	for (i = 0; i < p->noutside; i++) {
		if (p->outside[i] == h) {
			p->outside[i] = p->outside[--p->noutside];
			p->in_use--;
			return;
		}
	}
}

unsigned int pool_size(const struct pool *p)
{
	unsigned int i, n = 0;
	uint32_t k;

	for (i = 0; i < p->nr; i++)
		for (k = 0; k <= p->r[i].last - p->r[i].first; k++)
			n += !(p->r[i].state[k] & A_EXCLUDED);
	return n;
}

unsigned int pool_in_use(const struct pool *p)
{
	return p->in_use;
}

bool pool_contains(const struct pool *p, uint32_t a)
{
	unsigned int i;

	for (i = 0; i < p->nr; i++)
		if (a >= p->r[i].first && a <= p->r[i].last)
			return true;
	return false;
}

int pool_take_over(struct pool *to, const struct pool *from)
{
	unsigned int i;
	uint32_t k;
	int ret;

	for (i = 0; i < from->nr; i++) {
		const struct range *r = &from->r[i];

		for (k = 0; k <= r->last - r->first; k++) {
			if (!(r->state[k] & A_USED))
				continue;
			ret = pool_reserve(to, (struct in_addr){
				.s_addr = htonl(r->first + k) });
			if (ret && ret != -EBUSY)
				return ret;
		}
	}
	for (i = 0; i < from->noutside; i++) {
		ret = pool_reserve(to, (struct in_addr){
			.s_addr = htonl(from->outside[i]) });
		if (ret && ret != -EBUSY)
			return ret;
	}
	/* go on where the old pool stopped: a just-freed address is reused last */
	to->cursor = from->cursor;
	for (i = 0; i < to->nr; i++)
		if (from->cursor >= to->r[i].first &&
		    from->cursor <= to->r[i].last)
			to->cursor_r = i;
	return 0;
}
