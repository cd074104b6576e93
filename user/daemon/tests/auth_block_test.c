// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the table of users blocked by `l2tpsec kick --block`
 * (daemon/auth/block.c): add, remaining time rounded up, expiry, a new
 * kick replacing the end, unblock, listing.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "auth/auth.h"

static void test_block_expiry(void **state)
{
	struct block_list *b = block_list_new();
	uint64_t t0 = 1000000;

	(void)state;
	assert_non_null(b);
	assert_int_equal(block_remaining(b, "alice", t0), 0);
	assert_int_equal(block_add(b, "alice", t0, 60), 0);
	assert_int_equal(block_remaining(b, "alice", t0), 60);
	assert_int_equal(block_remaining(b, "alice", t0 + 1), 60);
	assert_int_equal(block_remaining(b, "alice", t0 + 1000), 59);
	assert_int_equal(block_remaining(b, "alice", t0 + 59001), 1);
	assert_int_equal(block_remaining(b, "bob", t0 + 1000), 0);
	/* the end is exclusive: at 60 s it is over, and the entry gone */
	assert_int_equal(block_remaining(b, "alice", t0 + 60000), 0);
	assert_int_equal(block_for_each(b, t0 + 60000, NULL, NULL), 0);
	assert_int_equal(block_remaining(b, "alice", t0), 0);
	block_list_free(b);
}

static void test_block_replace_remove(void **state)
{
	struct block_list *b = block_list_new();

	(void)state;
	assert_int_equal(block_add(b, "alice", 0, 600), 0);
	/* a second kick sets the new end, even a shorter one */
	assert_int_equal(block_add(b, "alice", 1000, 10), 0);
	assert_int_equal(block_remaining(b, "alice", 1000), 10);
	assert_int_equal(block_for_each(b, 1000, NULL, NULL), 1);
	assert_int_equal(block_remove(b, "alice", 2000), 0);
	assert_int_equal(block_remaining(b, "alice", 2000), 0);
	assert_int_equal(block_remove(b, "alice", 2000), -ENOENT);
	/* an expired block cannot be lifted: there is none */
	assert_int_equal(block_add(b, "bob", 0, 1), 0);
	assert_int_equal(block_remove(b, "bob", 1000), -ENOENT);
	block_list_free(b);
}

static void test_block_invalid(void **state)
{
	struct block_list *b = block_list_new();
	char name[BLOCK_MAX_USER + 2];

	(void)state;
	assert_int_equal(block_add(b, "", 0, 10), -EINVAL);
	assert_int_equal(block_add(b, "alice", 0, 0), -EINVAL);
	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	assert_int_equal(block_add(b, name, 0, 10), -EINVAL);
	name[BLOCK_MAX_USER] = '\0';
	assert_int_equal(block_add(b, name, 0, 10), 0);
	block_list_free(b);
}

struct seen {
	char		text[512];
	size_t		len;
};

static void collect(void *arg, const char *user, uint32_t remaining_s)
{
	struct seen *s = arg;

	s->len += (size_t)snprintf(s->text + s->len, sizeof(s->text) - s->len,
				   "%s=%u ", user, remaining_s);
}

static void test_block_many(void **state)
{
	struct block_list *b = block_list_new();
	struct seen s = { "", 0 };
	char user[16];
	unsigned int i;

	(void)state;
	for (i = 0; i < 20; i++) {
		snprintf(user, sizeof(user), "u%u", i);
		assert_int_equal(block_add(b, user, 0, i + 1), 0);
	}
	assert_int_equal(block_for_each(b, 0, NULL, NULL), 20);
	/* at 10.5 s, u0..u9 (1..10 s) are over */
	assert_int_equal(block_for_each(b, 10500, collect, &s), 10);
	assert_null(strstr(s.text, "u9="));
	assert_non_null(strstr(s.text, "u10=1 "));
	assert_non_null(strstr(s.text, "u19=10 "));
	block_list_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_block_expiry),
		cmocka_unit_test(test_block_replace_remove),
		cmocka_unit_test(test_block_invalid),
		cmocka_unit_test(test_block_many),
	};

	return cmocka_run_group_tests_name("auth_block", tests, NULL, NULL);
}
