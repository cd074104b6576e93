/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd: the "events" request of the control socket, which
 * `l2tpsec monitor` sends: the connection stays open and gets every
 * event the daemon publishes (common/devent.h) as an "event" record.
 *
 * Each subscriber has its own bounded queue of at most event-queue lines
 * ([daemon], default CTL_EVENT_QUEUE_DEFAULT). Publishing never blocks
 * and never waits for a subscriber: an event that finds a subscriber's
 * queue full is dropped for that subscriber and counted, and as soon as
 * there is room again the subscriber reads "lost count=N" (N events it
 * did not get) before the next event. The daemon logs the first loss of
 * each subscriber in one line.
 */
#ifndef L2TPSECD_CTL_EVENTS_H
#define L2TPSECD_CTL_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CTL_EVENT_QUEUE_DEFAULT	256	/* lines per subscriber */
#define CTL_EVENT_QUEUE_MIN	8
#define CTL_EVENT_QUEUE_MAX	65536
#define CTL_MAX_SUBSCRIBERS	8	/* of the socket's 16 connections */

/* One subscriber's queue of whole lines, each ending in '\n'. */
struct ctl_evq {
	char		*buf;
	size_t		len, pos;	/* bytes [pos, len) still to send */
	size_t		cap;
	unsigned int	lines;		/* lines not yet sent in full */
	unsigned int	max_lines;
	uint64_t	lost;		/* not yet said to the subscriber */
	uint64_t	lost_total;
};

void ctl_evq_init(struct ctl_evq *q, unsigned int max_lines);
void ctl_evq_free(struct ctl_evq *q);
/*
 * Queue @line (@len bytes, '\n' included). A full queue drops it and
 * counts it (false); a pending loss is queued as "lost count=N" first.
 */
bool ctl_evq_push(struct ctl_evq *q, const char *line, size_t len);
/* The bytes to send next: their count, *@p set. */
size_t ctl_evq_peek(const struct ctl_evq *q, const char **p);
/* @n bytes were sent. */
void ctl_evq_sent(struct ctl_evq *q, size_t n);

struct l2_ctl_line;
struct l2_devent;

/* The "event" record of @e into @l (begun, not ended). */
void ctl_event_put(struct l2_ctl_line *l, const struct l2_devent *e);

#endif
