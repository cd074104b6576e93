// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: the subscribers' event queues and the "event" record
 * (events.h).
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/events.h"
#include "ctlproto.h"
#include "devent.h"

void ctl_evq_init(struct ctl_evq *q, unsigned int max_lines)
{
	memset(q, 0, sizeof(*q));
	q->max_lines = max_lines;
}

void ctl_evq_free(struct ctl_evq *q)
{
	free(q->buf);
	memset(q, 0, sizeof(*q));
}

static bool append(struct ctl_evq *q, const char *s, size_t len)
{
	if (q->pos && q->pos == q->len) {
		q->pos = 0;
		q->len = 0;
	}
	if (q->len + len > q->cap) {
		size_t cap = q->cap ? q->cap : 4096;
		char *n;

		/* move the unsent rest down before growing */
		if (q->pos) {
			memmove(q->buf, q->buf + q->pos, q->len - q->pos);
			q->len -= q->pos;
			q->pos = 0;
		}
		while (cap < q->len + len)
			cap *= 2;
		if (cap != q->cap) {
			n = realloc(q->buf, cap);
			if (!n)
				return false;
			q->buf = n;
			q->cap = cap;
		}
	}
	memcpy(q->buf + q->len, s, len);
	q->len += len;
	q->lines++;
	return true;
}

/* "lost count=N", when a loss is pending and there is room for it. */
static void say_lost(struct ctl_evq *q, unsigned int room_after)
{
	struct l2_ctl_line l;

	if (!q->lost || q->lines + 1 + room_after > q->max_lines)
		return;
	l2_ctl_begin(&l, "lost");
	l2_ctl_put_u64(&l, "count", q->lost);
	if (l2_ctl_end(&l) || !append(q, l.buf, l.len))
		return;
	q->lost = 0;
}

bool ctl_evq_push(struct ctl_evq *q, const char *line, size_t len)
{
	say_lost(q, 1);
	if (q->lost || q->lines + 1 > q->max_lines || !append(q, line, len)) {
		q->lost++;
		q->lost_total++;
		return false;
	}
	return true;
}

size_t ctl_evq_peek(const struct ctl_evq *q, const char **p)
{
	*p = q->buf + q->pos;
	return q->len - q->pos;
}

void ctl_evq_sent(struct ctl_evq *q, size_t n)
{
	const char *s = q->buf + q->pos, *e = s + n;

	for (; s < e; s++)
		if (*s == '\n' && q->lines)
			q->lines--;
	q->pos += n;
	if (q->pos == q->len) {
		q->pos = 0;
		q->len = 0;
		/* nothing newer to send: say the loss now */
		say_lost(q, 0);
	}
}

void ctl_event_put(struct l2_ctl_line *l, const struct l2_devent *e)
{
	char buf[INET_ADDRSTRLEN];

	l2_ctl_begin(l, "event");
	l2_ctl_put(l, "kind", l2_devent_kind_name(e->kind));
	l2_ctl_put_u64(l, "time-ms", e->time_ms);
	if (e->peer && e->peer->sin_addr.s_addr) {
		l2_ctl_put(l, "peer", inet_ntop(AF_INET, &e->peer->sin_addr,
						buf, sizeof(buf)));
		if (e->peer->sin_port)
			l2_ctl_put_u64(l, "port", ntohs(e->peer->sin_port));
	}
	if (e->user && *e->user)
		l2_ctl_put(l, "user", e->user);
	if (e->address.s_addr)
		l2_ctl_put(l, "address", inet_ntop(AF_INET, &e->address, buf,
						   sizeof(buf)));
	if (e->cls >= 0 && e->cls < L2_FC_MAX) {
		l2_ctl_put_u64(l, "class", (uint64_t)e->cls);
		l2_ctl_put(l, "class-name", l2_fail_class_name(e->cls));
	}
	if (e->layer && *e->layer)
		l2_ctl_put(l, "layer", e->layer);
	if (e->detail && *e->detail)
		l2_ctl_put(l, "detail", e->detail);
}
