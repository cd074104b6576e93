// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: chap-secrets parsing and lookup, the file permission check,
 * the address pool with exclusions and pinned addresses.
 */
#include <arpa/inet.h>
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

#include "auth/auth.h"
#include "l2tp_fakes.h"

static const char *secrets_text =
	"# Secrets for authentication using CHAP\n"
	"# client\tserver\tsecret\t\t\tIP addresses\n"
	"alice\t*\t\"wonder land\"\t*\n"
	"bob l2tpsec builder 10.99.0.50\n"
	"bob other  elsewhere\n"
	"\"carol \\\"c\\\"\"  *  pass\\word   # comment\n"
	"\n"
	"   \t\n"
	"dave * \"\" -\n";

static void test_secrets_parse(void **state)
{
	struct secrets *s;
	char err[256] = "", sec[64];
	struct in_addr pin;

	(void)state;
	assert_int_equal(secrets_parse("chap-secrets", secrets_text, &s, err,
				       sizeof(err)), 0);
	assert_int_equal(secrets_count(s), 5);
	assert_int_equal(secrets_lookup(s, "alice", "l2tpsec", sec, sizeof(sec),
					&pin), 0);
	assert_string_equal(sec, "wonder land");
	assert_int_equal(pin.s_addr, 0);
	assert_int_equal(secrets_lookup(s, "bob", "l2tpsec", sec, sizeof(sec),
					&pin), 0);
	assert_string_equal(sec, "builder");
	assert_string_equal(inet_ntoa(pin), "10.99.0.50");
	assert_int_equal(secrets_lookup(s, "bob", "other", sec, sizeof(sec),
					&pin), 0);
	assert_string_equal(sec, "elsewhere");
	assert_int_equal(secrets_lookup(s, "bob", "third", sec, sizeof(sec),
					&pin), -ENOENT);
	assert_int_equal(secrets_lookup(s, "carol \"c\"", "x", sec,
					sizeof(sec), &pin), 0);
	assert_string_equal(sec, "pass\\word");
	assert_int_equal(secrets_lookup(s, "dave", "x", sec, sizeof(sec), &pin),
			 0);
	assert_string_equal(sec, "");
	assert_int_equal(secrets_lookup(s, "mallory", "x", sec, sizeof(sec),
					&pin), -ENOENT);
	secrets_free(s);
}

static void test_secrets_errors(void **state)
{
	struct secrets *s = NULL;
	char err[256];

	(void)state;
	assert_int_equal(secrets_parse("f", "alice *\n", &s, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err,
		"f:1: expected 'client server secret [address]', got 2 fields");
	assert_int_equal(secrets_parse("f", "# x\nalice * pw 10.1.2\n", &s, err,
				       sizeof(err)), -EINVAL);
	assert_string_equal(err,
		"f:2: expected an IPv4 address or * for user 'alice', got '10.1.2'");
	assert_int_equal(secrets_parse("f", "\n\nalice * \"pw\n", &s, err,
				       sizeof(err)), -EINVAL);
	assert_string_equal(err, "f:3: unterminated \"quote\"");
}

static void test_secrets_file_mode(void **state)
{
	char path[] = "/tmp/l2tpsec-secrets-XXXXXX", err[512];
	struct secrets *s = NULL;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "alice * pw *\n", 13), 13);
	close(fd);
	chmod(path, 0644);
	assert_int_equal(secrets_load(path, &s, err, sizeof(err)), -EPERM);
	assert_non_null(strstr(err, "lets others read the secrets; chmod 600"));
	chmod(path, 0600);
	assert_int_equal(secrets_load(path, &s, err, sizeof(err)), 0);
	assert_int_equal(secrets_count(s), 1);
	secrets_free(s);
	unlink(path);
	assert_int_equal(secrets_load(path, &s, err, sizeof(err)), -ENOENT);
}

static uint32_t ip(const char *s)
{
	struct in_addr a;

	inet_pton(AF_INET, s, &a);
	return ntohl(a.s_addr);
}

static void test_pool_parse(void **state)
{
	uint32_t f, l;

	(void)state;
	assert_int_equal(pool_parse_range("10.99.0.10-10.99.0.20", &f, &l), 0);
	assert_int_equal(f, ip("10.99.0.10"));
	assert_int_equal(l, ip("10.99.0.20"));
	assert_int_equal(pool_parse_range("10.99.0.0/24", &f, &l), 0);
	assert_int_equal(f, ip("10.99.0.1"));
	assert_int_equal(l, ip("10.99.0.254"));
	assert_int_equal(pool_parse_range("10.99.0.7", &f, &l), 0);
	assert_int_equal(f, l);
	assert_int_equal(pool_parse_range("10.99.0.20-10.99.0.10", &f, &l),
			 -EINVAL);
	assert_int_equal(pool_parse_range("10.99.0.0/33", &f, &l), -EINVAL);
	assert_int_equal(pool_parse_range("bogus", &f, &l), -EINVAL);
}

static void test_pool_alloc(void **state)
{
	struct pool *p = pool_new();
	struct in_addr a, got[8];
	int i;

	(void)state;
	assert_int_equal(pool_add_range(p, ip("10.99.0.1"), ip("10.99.0.6")), 0);
	assert_int_equal(pool_add_range(p, ip("10.99.0.5"), ip("10.99.0.9")),
			 -EEXIST);
	assert_int_equal(pool_exclude(p, ip("10.99.0.1"), ip("10.99.0.1")), 0);
	assert_int_equal(pool_exclude(p, ip("10.99.0.4"), ip("10.99.0.4")), 0);
	assert_int_equal(pool_size(p), 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(pool_alloc(p, &got[i]), 0);
	assert_string_equal(inet_ntoa(got[0]), "10.99.0.2");
	assert_string_equal(inet_ntoa(got[1]), "10.99.0.3");
	assert_string_equal(inet_ntoa(got[2]), "10.99.0.5");
	assert_string_equal(inet_ntoa(got[3]), "10.99.0.6");
	assert_int_equal(pool_alloc(p, &a), -ENOSPC);
	assert_int_equal(pool_in_use(p), 4);
	pool_release(p, got[1]);
	assert_int_equal(pool_alloc(p, &a), 0);
	assert_string_equal(inet_ntoa(a), "10.99.0.3");
	/* pinned: an excluded address inside, one outside */
	inet_pton(AF_INET, "10.99.0.4", &a);
	assert_int_equal(pool_reserve(p, a), 0);
	assert_int_equal(pool_reserve(p, a), -EBUSY);
	pool_release(p, a);
	assert_int_equal(pool_reserve(p, a), 0);
	inet_pton(AF_INET, "192.168.7.7", &a);
	assert_int_equal(pool_reserve(p, a), 0);
	assert_int_equal(pool_reserve(p, a), -EBUSY);
	pool_release(p, a);
	assert_int_equal(pool_reserve(p, a), 0);
	assert_int_equal(pool_in_use(p), 6);
	pool_free(p);
}

static void test_pool_rotation(void **state)
{
	struct pool *p = pool_new();
	struct in_addr a, b;

	(void)state;
	pool_add_range(p, ip("10.0.0.1"), ip("10.0.0.3"));
	pool_alloc(p, &a);		/* .1 */
	pool_release(p, a);
	pool_alloc(p, &b);		/* .2: not the one just released */
	assert_string_equal(inet_ntoa(b), "10.0.0.2");
	pool_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_secrets_parse),
		cmocka_unit_test(test_secrets_errors),
		cmocka_unit_test(test_secrets_file_mode),
		cmocka_unit_test(test_pool_parse),
		cmocka_unit_test(test_pool_alloc),
		cmocka_unit_test(test_pool_rotation),
	};

	return cmocka_run_group_tests_name("auth", tests, NULL, NULL);
}
