/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd: the event loop. One thread, epoll for descriptors, a timer
 * list for deadlines. Every protocol module runs its state machines from
 * these callbacks; nothing blocks.
 */
#ifndef L2TPSECD_LOOP_H
#define L2TPSECD_LOOP_H

#include <stdbool.h>
#include <stdint.h>

struct loop;
struct loop_timer;

typedef void (*loop_fd_cb)(void *arg, int fd, uint32_t events);
typedef void (*loop_timer_cb)(void *arg);

struct loop *loop_new(void);
void loop_free(struct loop *loop);

/* Watch @fd for @events (EPOLLIN, EPOLLOUT); 0 or -errno. */
int loop_add_fd(struct loop *loop, int fd, uint32_t events, loop_fd_cb cb,
		void *arg);
int loop_mod_fd(struct loop *loop, int fd, uint32_t events);
void loop_del_fd(struct loop *loop, int fd);

/* Monotonic milliseconds. */
uint64_t loop_now_ms(const struct loop *loop);

/*
 * A timer belongs to its owner (embedded or allocated by it); arming an
 * armed timer moves it; disarming is always safe.
 */
struct loop_timer *loop_timer_new(struct loop *loop, loop_timer_cb cb,
				  void *arg);
void loop_timer_free(struct loop_timer *t);
void loop_timer_arm(struct loop_timer *t, uint64_t delay_ms);
void loop_timer_disarm(struct loop_timer *t);
bool loop_timer_armed(const struct loop_timer *t);

/* Run until loop_stop(); returns 0, or -errno on a fatal epoll error. */
int loop_run(struct loop *loop);
void loop_stop(struct loop *loop);
/*
 * One round: due timers, one epoll wait of at most @max_wait_ms (-1: until
 * the next timer), its callbacks, due timers. For tests and tools that
 * drive several loops in one thread. 0 or -errno.
 */
int loop_run_once(struct loop *loop, int max_wait_ms);

/*
 * Tests: a virtual clock. From loop_set_virtual_clock() on, loop_now_ms()
 * is @start_ms and moves only by loop_advance(), which fires the timers
 * that fall due in order, the clock set to each one's deadline (timers
 * armed by a callback fire in the same call if they fall due by the end).
 * loop_advance() on a loop with the real clock first stops the clock at
 * the real time.
 */
void loop_set_virtual_clock(struct loop *loop, uint64_t start_ms);
bool loop_clock_is_virtual(const struct loop *loop);
void loop_advance(struct loop *loop, uint64_t ms);
unsigned int loop_armed_timers(const struct loop *loop);

#endif
