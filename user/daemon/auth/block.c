// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: users an administrator kicked with a block (`l2tpsec kick
 * user NAME --block SECONDS`), refused at login until the block ends or
 * `l2tpsec unblock user NAME` lifts it. A short list: one entry per
 * blocked user, dropped once expired. Time is the caller's (the loop's
 * monotonic milliseconds), so tests can move it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"

struct block_entry {
	char		user[BLOCK_MAX_USER + 1];
	uint64_t	until_ms;
};

struct block_list {
	struct block_entry	*v;
	unsigned int		n, cap;
};

struct block_list *block_list_new(void)
{
	return calloc(1, sizeof(struct block_list));
}

void block_list_free(struct block_list *b)
{
	if (!b)
		return;
	free(b->v);
	free(b);
}

static void expire(struct block_list *b, uint64_t now_ms)
{
	unsigned int i = 0;

	while (i < b->n) {
		if (b->v[i].until_ms > now_ms) {
			i++;
			continue;
		}
		b->v[i] = b->v[--b->n];
	}
}

static struct block_entry *find(struct block_list *b, const char *user)
{
	unsigned int i;

	for (i = 0; i < b->n; i++)
		if (!strcmp(b->v[i].user, user))
			return &b->v[i];
	return NULL;
}

int block_add(struct block_list *b, const char *user, uint64_t now_ms,
	      uint32_t seconds)
{
	struct block_entry *e;

	if (!*user || strlen(user) > BLOCK_MAX_USER || !seconds)
		return -EINVAL;
	expire(b, now_ms);
	e = find(b, user);
	if (!e) {
		if (b->n == b->cap) {
			unsigned int cap = b->cap ? b->cap * 2 : 8;
			struct block_entry *v = realloc(b->v, cap * sizeof(*v));

			if (!v)
				return -ENOMEM;
			b->v = v;
			b->cap = cap;
		}
		e = &b->v[b->n++];
		memset(e, 0, sizeof(*e));
		strcpy(e->user, user);
	}
	/* the newest kick sets the end, shorter or longer */
	e->until_ms = now_ms + (uint64_t)seconds * 1000;
	return 0;
}

int block_remove(struct block_list *b, const char *user, uint64_t now_ms)
{
	struct block_entry *e;

	expire(b, now_ms);
	e = find(b, user);
	if (!e)
		return -ENOENT;
	*e = b->v[--b->n];
	return 0;
}

uint32_t block_remaining(struct block_list *b, const char *user,
			 uint64_t now_ms)
{
	struct block_entry *e;

	expire(b, now_ms);
	e = find(b, user);
	if (!e)
		return 0;
	return (uint32_t)((e->until_ms - now_ms + 999) / 1000);
}

unsigned int block_for_each(struct block_list *b, uint64_t now_ms,
			    void (*fn)(void *arg, const char *user,
				       uint32_t remaining_s),
			    void *arg)
{
	unsigned int i;

	expire(b, now_ms);
	for (i = 0; fn && i < b->n; i++)
		fn(arg, b->v[i].user,
		   (uint32_t)((b->v[i].until_ms - now_ms + 999) / 1000));
	return b->n;
}
