// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test: the PSK read from psk-file leaves no copy behind (issue 11,
 * item 9). It was read through stdio, whose buffer (malloc'd, freed by
 * fclose() as it was) kept the key on the heap for the next allocation of
 * that size to find; and the file was opened again by name after its
 * checks. Now it is read once from the checked descriptor into a buffer
 * that is wiped on every path. The test loads a configuration with a
 * psk-file, then takes blocks of the sizes stdio uses from the heap and
 * looks for the key in them.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

/* Under valgrind the fresh blocks are undefined memory: say they are read on purpose. */
#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define MAKE_DEFINED(p, n) VALGRIND_MAKE_MEM_DEFINED(p, n)
#endif
#endif
#ifndef MAKE_DEFINED
#define MAKE_DEFINED(p, n) ((void)(p), (void)(n))
#endif

#include "config.h"
#include "ike/ike_int.h"
#include "ike_helpers.h"
#include "loop.h"

#define PSK "PSK-on-the-heap-0123456789-abcdef"

static char dir[] = "/tmp/l2tpsec-ike-psk-XXXXXX";

static char *write_psk(const char *name, const char *text, mode_t mode)
{
	static char p[128];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(p, mode), 0);
	return p;
}

static int load(const char *path, struct ike **out, struct loop **loop,
		struct config_loader **ld)
{
	char conf[256];

	*loop = loop_new();
	*ld = config_loader_new();
	*out = ike_new(*loop, NULL);
	assert_non_null(*out);
	ike_register_config(*out, *ld);
	snprintf(conf, sizeof(conf), "[ike]\npsk-file = %s\n", path);
	return config_load_string(*ld, "test.conf", conf);
}

static void unload(struct ike *ike, struct loop *loop, struct config_loader *ld)
{
	ike_free(ike);
	config_loader_free(ld);
	loop_free(loop);
}

/* Whether a block of one of stdio's sizes, fresh from the heap, holds @s. */
static bool heap_holds(const char *s)
{
	static const size_t sizes[] = { 4096, 4096, 1024, 8192, 65536 };
	void *b[sizeof(sizes) / sizeof(sizes[0])];
	bool found = false;
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		b[i] = malloc(sizes[i]);
		assert_non_null(b[i]);
		MAKE_DEFINED(b[i], sizes[i]);
		if (memmem(b[i], sizes[i], s, strlen(s)))
			found = true;
	}
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		free(b[i]);
	return found;
}

static void test_psk_file_leaves_no_copy(void **state)
{
	struct ike *ike;
	struct loop *loop;
	struct config_loader *ld;

	(void)state;
	assert_int_equal(load(write_psk("psk", PSK "\n", 0600), &ike, &loop,
			      &ld), 0);
	assert_int_equal(ike->conf.defpeer.psk_len, strlen(PSK));
	assert_memory_equal(ike->conf.defpeer.psk, PSK, strlen(PSK));
	assert_false(heap_holds(PSK));
	unload(ike, loop, ld);
	assert_false(heap_holds(PSK));
}

static void test_psk_file_refused(void **state)
{
	struct ike *ike;
	struct loop *loop;
	struct config_loader *ld;
	char link[160];

	(void)state;
	assert_int_equal(load(write_psk("open", PSK "\n", 0644), &ike, &loop,
			      &ld), -EINVAL);
	unload(ike, loop, ld);
	snprintf(link, sizeof(link), "%s/link", dir);
	assert_int_equal(symlink(write_psk("psk", PSK "\n", 0600), link), 0);
	assert_int_not_equal(load(link, &ike, &loop, &ld), 0);
	unload(ike, loop, ld);
	assert_int_not_equal(load(write_psk("empty", "\n", 0600), &ike, &loop,
				  &ld), 0);
	unload(ike, loop, ld);
}

static int setup(void **state)
{
	(void)state;
	test_log_capture(false);
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	test_log_clear();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) < 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_psk_file_leaves_no_copy),
		cmocka_unit_test(test_psk_file_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
