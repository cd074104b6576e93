// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test: IKE's random bytes (cookies, nonces, SPIs, message IDs)
 * when OpenSSL's RAND_bytes() fails. Every caller of ike_random() used
 * to ignore its result and went on with whatever the buffer held (zeros:
 * a guessable responder cookie, nonce or SPI). Now a failure that does
 * not go away ends the daemon with one named line; a passing failure is
 * retried. OpenSSL's generator is replaced, in a child process, by one
 * that fails once (RAND_set_rand_method(): deprecated, still honoured
 * by RAND_bytes() in OpenSSL 3), or by none at all (a DRBG type that
 * does not exist).
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/rand.h>

/*
 * Under valgrind (make check-valgrind) the child leaves by exit() from
 * the middle of a test, with everything still allocated, and OpenSSL
 * leaks at exit with a RAND_METHOD set: the cases run natively only.
 */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

#include "ike/crypto.h"
#include "ike_helpers.h"

static int fails_left;		/* -1: always */
static int report_fd = -1;

static int bad_bytes(unsigned char *buf, int num)
{
	(void)buf; (void)num;
	if (fails_left < 0)
		return 0;
	if (fails_left > 0) {
		fails_left--;
		return 0;
	}
	memset(buf, 0xa5, (size_t)num);
	return 1;
}

static int bad_status(void)
{
	return fails_left == 0;
}

static const RAND_METHOD bad_rand = {
	.bytes = bad_bytes,
	.status = bad_status,
};

/* In the child, at exit: was the named line logged? */
static void report(void)
{
	const char *l = test_log_find("no random bytes from OpenSSL for IKE");
	char c = l && strstr(l, "l2tpsecd stops") ? 'Y' : 'N';

	if (write(report_fd, &c, 1) != 1)
		_exit(3);
}

/* Run ike_random() in a child with @fails failures; its exit status. */
static int child_run(int fails, char *logged, uint8_t *out)
{
	int pfd[2], dfd[2], st;
	pid_t pid;

	if (RUNNING_ON_VALGRIND)
		skip();
	assert_int_equal(pipe(pfd), 0);
	assert_int_equal(pipe(dfd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		uint8_t buf[16];

		close(pfd[0]);
		close(dfd[0]);
		report_fd = pfd[1];
		test_log_capture(false);
		fails_left = fails;
		if (fails < 0)
			/* no generator at all: every RAND_bytes() fails */
			RAND_set_DRBG_type(NULL, "no-such-drbg", NULL, NULL,
					   NULL);
		else
			RAND_set_rand_method(&bad_rand);
		atexit(report);
		memset(buf, 0, sizeof(buf));
		if (ike_random(buf, sizeof(buf)) ||
		    write(dfd[1], buf, sizeof(buf)) != sizeof(buf))
			exit(2);
		/* OpenSSL's exit handler frees what the default one holds */
		RAND_set_rand_method(NULL);
		exit(0);
	}
	close(pfd[1]);
	close(dfd[1]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	*logged = 0;
	if (read(pfd[0], logged, 1) != 1)
		*logged = '?';
	memset(out, 0, 16);
	if (read(dfd[0], out, 16) != 16)
		memset(out, 0, 16);
	close(pfd[0]);
	close(dfd[0]);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* A generator that keeps failing: the daemon stops, named. */
static void test_rand_fails_for_good(void **state)
{
	uint8_t out[16];
	char logged;

	(void)state;
	assert_int_equal(child_run(-1, &logged, out), 1);
	assert_int_equal(logged, 'Y');
}

/* A failure that passes: retried, the bytes are the generator's. */
static void test_rand_fails_once(void **state)
{
	uint8_t out[16], want[16];
	char logged;

	(void)state;
	memset(want, 0xa5, sizeof(want));
	assert_int_equal(child_run(1, &logged, out), 0);
	assert_int_equal(logged, 'N');
	assert_memory_equal(out, want, sizeof(want));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rand_fails_for_good),
		cmocka_unit_test(test_rand_fails_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
