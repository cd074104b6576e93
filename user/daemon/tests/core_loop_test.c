// SPDX-License-Identifier: GPL-2.0
/*
 * The event loop: timer order, re-arming, disarming from callbacks,
 * descriptors removed by an earlier callback of the same batch.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>
#include <cmocka.h>

#include "loop.h"

struct rec {
	struct loop	*loop;
	int		order[16];
	int		n;
	struct loop_timer *other;
	int		fd_other;
	int		fd_calls;
};

static struct rec R;

static void t_cb(void *arg)
{
	R.order[R.n++] = (int)(intptr_t)arg;
	if (R.n == 4)
		loop_stop(R.loop);
}

static void test_timer_order(void **state)
{
	struct loop_timer *t[4];
	int i;

	(void)state;
	memset(&R, 0, sizeof(R));
	R.loop = loop_new();
	assert_non_null(R.loop);
	for (i = 0; i < 4; i++)
		t[i] = loop_timer_new(R.loop, t_cb, (void *)(intptr_t)(i + 1));
	/* Far enough apart that arming them (slow the first time under
	 * valgrind) cannot reorder the deadlines. */
	loop_timer_arm(t[0], 600);
	loop_timer_arm(t[1], 200);
	loop_timer_arm(t[2], 200);	/* same delay: after t[1] */
	loop_timer_arm(t[3], 0);
	assert_true(loop_timer_armed(t[0]));
	assert_int_equal(loop_run(R.loop), 0);
	assert_int_equal(R.order[0], 4);
	assert_int_equal(R.order[1], 2);
	assert_int_equal(R.order[2], 3);
	assert_int_equal(R.order[3], 1);
	assert_false(loop_timer_armed(t[0]));
	for (i = 0; i < 4; i++)
		loop_timer_free(t[i]);
	loop_free(R.loop);
}

static void disarm_other(void *arg)
{
	(void)arg;
	loop_timer_disarm(R.other);
	R.n++;
}

static void never(void *arg)
{
	(void)arg;
	fail_msg("a disarmed timer fired");
}

static void stop_cb(void *arg)
{
	(void)arg;
	loop_stop(R.loop);
}

static void test_disarm_from_callback(void **state)
{
	struct loop_timer *a, *b, *s;
	uint64_t t0;

	(void)state;
	memset(&R, 0, sizeof(R));
	R.loop = loop_new();
	a = loop_timer_new(R.loop, disarm_other, NULL);
	b = loop_timer_new(R.loop, never, NULL);
	s = loop_timer_new(R.loop, stop_cb, NULL);
	R.other = b;
	loop_timer_arm(a, 5);
	loop_timer_arm(b, 5);
	loop_timer_arm(s, 40);
	/* re-arming moves the timer */
	loop_timer_arm(s, 20);
	t0 = loop_now_ms(R.loop);
	assert_int_equal(loop_run(R.loop), 0);
	assert_true(loop_now_ms(R.loop) - t0 < 40);
	assert_int_equal(R.n, 1);
	loop_timer_free(a);
	loop_timer_free(b);
	loop_timer_free(s);
	loop_free(R.loop);
}

/* Two readable pipes in one batch; the first callback removes the other. */
static void fd_cb(void *arg, int fd, uint32_t events)
{
	char c;

	(void)arg;
	(void)events;
	R.fd_calls++;
	if (read(fd, &c, 1) != 1)
		fail();
	loop_del_fd(R.loop, R.fd_other == fd ? -1 : R.fd_other);
	loop_del_fd(R.loop, fd);
	loop_stop(R.loop);
}

static void test_fd_removed_in_batch(void **state)
{
	int p1[2], p2[2];

	(void)state;
	memset(&R, 0, sizeof(R));
	R.loop = loop_new();
	assert_int_equal(pipe(p1), 0);
	assert_int_equal(pipe(p2), 0);
	assert_int_equal(write(p1[1], "x", 1), 1);
	assert_int_equal(write(p2[1], "y", 1), 1);
	assert_int_equal(loop_add_fd(R.loop, p1[0], EPOLLIN, fd_cb, NULL), 0);
	assert_int_equal(loop_add_fd(R.loop, p2[0], EPOLLIN, fd_cb, NULL), 0);
	assert_int_equal(loop_add_fd(R.loop, p2[0], EPOLLIN, fd_cb, NULL),
			 -EEXIST);
	/* whichever runs first removes the other */
	R.fd_other = -2;
	{
		struct loop *l = R.loop;

		(void)l;
	}
	R.fd_other = p2[0];
	assert_int_equal(loop_run(R.loop), 0);
	assert_int_equal(R.fd_calls, 1);
	assert_int_equal(loop_mod_fd(R.loop, p1[0], EPOLLIN), -ENOENT);
	close(p1[0]);
	close(p1[1]);
	close(p2[0]);
	close(p2[1]);
	loop_free(R.loop);
}

static void test_run_once(void **state)
{
	struct loop *l = loop_new();
	uint64_t t0 = loop_now_ms(l);

	(void)state;
	assert_int_equal(loop_run_once(l, 20), 0);
	assert_true(loop_now_ms(l) - t0 >= 19);
	loop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timer_order),
		cmocka_unit_test(test_disarm_from_callback),
		cmocka_unit_test(test_fd_removed_in_batch),
		cmocka_unit_test(test_run_once),
	};

	return cmocka_run_group_tests_name("core_loop", tests, NULL, NULL);
}
