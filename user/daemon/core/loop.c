// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: the event loop. epoll for descriptors; timers in a binary
 * min-heap ordered by deadline, then by arming order, so that timers armed
 * for the same instant fire in the order they were armed.
 *
 * Callbacks may add and remove descriptors and timers, including their
 * own: an epoll event carries the registration's generation, and an event
 * whose descriptor was removed (or removed and re-added) in the same batch
 * is ignored.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "loop.h"

#define LOOP_MAX_EVENTS	64

struct loop_fd {
	loop_fd_cb	cb;
	void		*arg;
	uint32_t	gen;		/* 0: free slot */
};

struct loop_timer {
	struct loop	*loop;
	loop_timer_cb	cb;
	void		*arg;
	uint64_t	deadline;
	uint64_t	seq;
	size_t		idx;		/* in the heap; SIZE_MAX: disarmed */
};

struct loop {
	int		epfd;
	struct loop_fd	*fds;
	size_t		nfds;		/* slots in @fds */
	uint32_t	gen;
	struct loop_timer **heap;
	size_t		nheap, heap_cap;
	uint64_t	seq;
	bool		stop;
	bool		virtual_clock;	/* tests: @now moves by loop_advance() */
	uint64_t	now;
};

uint64_t loop_now_ms(const struct loop *loop)
{
	struct timespec ts;

	if (loop->virtual_clock)
		return loop->now;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct loop *loop_new(void)
{
	struct loop *loop = calloc(1, sizeof(*loop));

	if (!loop)
		return NULL;
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0) {
		free(loop);
		return NULL;
	}
	return loop;
}

void loop_free(struct loop *loop)
{
	size_t i;

	if (!loop)
		return;
	/* Timers belong to their owners; just forget them. */
	for (i = 0; i < loop->nheap; i++)
		loop->heap[i]->idx = SIZE_MAX;
	free(loop->heap);
	free(loop->fds);
	close(loop->epfd);
	free(loop);
}

static int fd_slot(struct loop *loop, int fd)
{
	size_t n;
	struct loop_fd *fds;

	if (fd < 0)
		return -EBADF;
	if ((size_t)fd < loop->nfds)
		return 0;
	n = loop->nfds ? loop->nfds : 16;
	while (n <= (size_t)fd)
		n *= 2;
	fds = realloc(loop->fds, n * sizeof(*fds));
	if (!fds)
		return -ENOMEM;
	memset(fds + loop->nfds, 0, (n - loop->nfds) * sizeof(*fds));
	loop->fds = fds;
	loop->nfds = n;
	return 0;
}

int loop_add_fd(struct loop *loop, int fd, uint32_t events, loop_fd_cb cb,
		void *arg)
{
	struct epoll_event ev = { .events = events };
	struct loop_fd *lf;
	int ret;

	ret = fd_slot(loop, fd);
	if (ret)
		return ret;
	lf = &loop->fds[fd];
	if (lf->gen)
		return -EEXIST;
	if (++loop->gen == 0)
		loop->gen = 1;
	ev.data.u64 = ((uint64_t)loop->gen << 32) | (uint32_t)fd;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	lf->cb = cb;
	lf->arg = arg;
	lf->gen = loop->gen;
	return 0;
}

int loop_mod_fd(struct loop *loop, int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events };

	if (fd < 0 || (size_t)fd >= loop->nfds || !loop->fds[fd].gen)
		return -ENOENT;
	ev.data.u64 = ((uint64_t)loop->fds[fd].gen << 32) | (uint32_t)fd;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_MOD, fd, &ev) < 0)
		return -errno;
	return 0;
}

void loop_del_fd(struct loop *loop, int fd)
{
	if (fd < 0 || (size_t)fd >= loop->nfds || !loop->fds[fd].gen)
		return;
	epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
	memset(&loop->fds[fd], 0, sizeof(loop->fds[fd]));
}

/* ---- timers: a binary min-heap ---------------------------------------- */

static bool timer_before(const struct loop_timer *a, const struct loop_timer *b)
{
	if (a->deadline != b->deadline)
		return a->deadline < b->deadline;
	return a->seq < b->seq;
}

static void heap_set(struct loop *loop, size_t i, struct loop_timer *t)
{
	loop->heap[i] = t;
	t->idx = i;
}

static void heap_up(struct loop *loop, size_t i)
{
	struct loop_timer *t = loop->heap[i];

	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (!timer_before(t, loop->heap[parent]))
			break;
		heap_set(loop, i, loop->heap[parent]);
		i = parent;
	}
	heap_set(loop, i, t);
}

static void heap_down(struct loop *loop, size_t i)
{
	struct loop_timer *t = loop->heap[i];

	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct loop_timer *best = t;

		if (l < loop->nheap && timer_before(loop->heap[l], best)) {
			m = l;
			best = loop->heap[l];
		}
		if (r < loop->nheap && timer_before(loop->heap[r], best))
			m = r;
		if (m == i)
			break;
		heap_set(loop, i, loop->heap[m]);
		i = m;
	}
	heap_set(loop, i, t);
}

static void heap_remove(struct loop *loop, struct loop_timer *t)
{
	size_t i = t->idx;
	struct loop_timer *last;

	t->idx = SIZE_MAX;
	last = loop->heap[--loop->nheap];
	if (i == loop->nheap)
		return;
	heap_set(loop, i, last);
	heap_up(loop, i);
	heap_down(loop, last->idx);
}

struct loop_timer *loop_timer_new(struct loop *loop, loop_timer_cb cb,
				  void *arg)
{
	struct loop_timer *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->loop = loop;
	t->cb = cb;
	t->arg = arg;
	t->idx = SIZE_MAX;
	return t;
}

void loop_timer_free(struct loop_timer *t)
{
	if (!t)
		return;
	loop_timer_disarm(t);
	free(t);
}

bool loop_timer_armed(const struct loop_timer *t)
{
	return t && t->idx != SIZE_MAX;
}

void loop_timer_disarm(struct loop_timer *t)
{
	if (t && t->idx != SIZE_MAX)
		heap_remove(t->loop, t);
}

void loop_timer_arm(struct loop_timer *t, uint64_t delay_ms)
{
	struct loop *loop = t->loop;

	loop_timer_disarm(t);
	if (loop->nheap == loop->heap_cap) {
		size_t cap = loop->heap_cap ? loop->heap_cap * 2 : 64;
		struct loop_timer **h = realloc(loop->heap, cap * sizeof(*h));

		if (!h)
			abort();	/* a timer that never fires is worse */
		loop->heap = h;
		loop->heap_cap = cap;
	}
	t->deadline = loop_now_ms(loop) + delay_ms;
	t->seq = loop->seq++;
	heap_set(loop, loop->nheap++, t);
	heap_up(loop, t->idx);
}

/* Fire the timers that are due; the time until the next one, or -1. */
static int run_timers(struct loop *loop)
{
	uint64_t now = loop_now_ms(loop);

	while (loop->nheap && !loop->stop) {
		struct loop_timer *t = loop->heap[0];

		if (t->deadline > now) {
			uint64_t d = t->deadline - now;

			return d > 60000 ? 60000 : (int)d;
		}
		heap_remove(loop, t);
		t->cb(t->arg);
	}
	return -1;
}

int loop_run_once(struct loop *loop, int max_wait_ms)
{
	struct epoll_event ev[LOOP_MAX_EVENTS];
	int timeout, n, i;

	loop->stop = false;
	timeout = run_timers(loop);
	if (loop->stop)
		return 0;
	if (max_wait_ms >= 0 && (timeout < 0 || timeout > max_wait_ms))
		timeout = max_wait_ms;
	n = epoll_wait(loop->epfd, ev, LOOP_MAX_EVENTS, timeout);
	if (n < 0) {
		if (errno == EINTR)
			return 0;
		return -errno;
	}
	for (i = 0; i < n && !loop->stop; i++) {
		int fd = (int)(uint32_t)ev[i].data.u64;
		uint32_t gen = (uint32_t)(ev[i].data.u64 >> 32);
		struct loop_fd *lf;

		if ((size_t)fd >= loop->nfds)
			continue;
		lf = &loop->fds[fd];
		if (lf->gen != gen)
			continue;	/* removed by an earlier callback */
		lf->cb(lf->arg, fd, ev[i].events);
	}
	run_timers(loop);
	return 0;
}

int loop_run(struct loop *loop)
{
	int ret;

	do {
		ret = loop_run_once(loop, -1);
		if (ret < 0)
			return ret;
	} while (!loop->stop);
	return 0;
}

void loop_stop(struct loop *loop)
{
	loop->stop = true;
}

void loop_set_virtual_clock(struct loop *loop, uint64_t start_ms)
{
	loop->virtual_clock = true;
	loop->now = start_ms;
}

bool loop_clock_is_virtual(const struct loop *loop)
{
	return loop->virtual_clock;
}

void loop_advance(struct loop *loop, uint64_t ms)
{
	uint64_t end;

	if (!loop->virtual_clock)
		loop_set_virtual_clock(loop, loop_now_ms(loop));
	end = loop->now + ms;
	while (loop->nheap && loop->heap[0]->deadline <= end) {
		struct loop_timer *t = loop->heap[0];

		if (t->deadline > loop->now)
			loop->now = t->deadline;
		heap_remove(loop, t);
		t->cb(t->arg);
	}
	loop->now = end;
}

unsigned int loop_armed_timers(const struct loop *loop)
{
	return (unsigned int)loop->nheap;
}
