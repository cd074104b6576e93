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

static uint32_t ip(const char *s)
{
	struct in_addr a;

	inet_pton(AF_INET, s, &a);
	return ntohl(a.s_addr);
}

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
	struct secret_user pin;

	(void)state;
	assert_int_equal(secrets_parse("chap-secrets", secrets_text, &s, err,
				       sizeof(err)), 0);
	assert_int_equal(secrets_count(s), 5);
	assert_int_equal(secrets_lookup(s, "alice", "l2tpsec", sec, sizeof(sec),
					&pin), 0);
	assert_string_equal(sec, "wonder land");
	assert_int_equal(pin.addr, SECRET_ADDR_POOL);
	assert_int_equal(secrets_lookup(s, "bob", "l2tpsec", sec, sizeof(sec),
					&pin), 0);
	assert_string_equal(sec, "builder");
	assert_string_equal(inet_ntoa(pin.pinned), "10.99.0.50");
	assert_int_equal(secrets_lookup(s, "bob", "other", sec, sizeof(sec),
					&pin), 0);
	assert_string_equal(sec, "elsewhere");
	assert_int_equal(secrets_lookup(s, "bob", "third", sec, sizeof(sec),
					&pin), -ENOENT);
	assert_int_equal(secrets_lookup(s, "carol \"c\"", "x", sec,
					sizeof(sec), &pin), 0);
	assert_string_equal(sec, "password");	/* \\w is w, as in pppd */
	assert_int_equal(secrets_lookup(s, "dave", "x", sec, sizeof(sec), &pin),
			 0);
	assert_string_equal(sec, "");
	assert_int_equal(pin.addr, SECRET_ADDR_NONE);
	assert_int_equal(secrets_lookup(s, "mallory", "x", sec, sizeof(sec),
					&pin), -ENOENT);
	secrets_free(s);
}

static void test_secrets_errors(void **state)
{
	struct secrets *s = NULL;
	char err[256];

	(void)state;
	/* a quote that never closes would swallow the rest of the file */
	assert_int_equal(secrets_parse("f", "\n\nalice * \"pw\nbob * x *\n", &s,
				       err, sizeof(err)), -EINVAL);
	assert_string_equal(err,
		"f:3: a quote opened here is not closed before the end of the file");
}

/*
 * chap-secrets as pppd's getword() and scan_authfile() read it: one row a
 * user and the server name "l2tpsec"; ADDR_* what the user may have.
 * Every row failed before this parser (the old one cut "S3cure#..." but
 * lost nothing else silently, refused backslashes, 2-field lines and long
 * fields, and gave a pool address to "-" and to 3-field lines).
 */
enum { A_NOENT = -1 };

struct sec_case {
	const char	*text;		/* the file */
	const char	*user;		/* who logs in */
	int		ret;		/* of the lookup */
	const char	*secret;
	int		addr;		/* SECRET_ADDR_* */
	const char	*pinned;	/* with SECRET_ADDR_FIXED */
	const char	*name;		/* the entry's name */
	const char	*warning;	/* a logged line holds this, or NULL */
};

static const struct sec_case sec_cases[] = {
	/* '#' in an unquoted word ends it and starts a comment (pppd) */
	{ "alice * S3cure#Passw0rd! 10.0.0.5\n", "alice", 0, "S3cure",
	  SECRET_ADDR_NONE, NULL, "alice",
	  "f:1: '#' inside a word starts a comment (as in pppd)" },
	{ "alice * \"S3cure#Passw0rd!\" 10.0.0.5\n", "alice", 0,
	  "S3cure#Passw0rd!", SECRET_ADDR_FIXED, "10.0.0.5", "alice", NULL },
	{ "alice * S3cure\\#Passw0rd! 10.0.0.5\n", "alice", 0,
	  "S3cure#Passw0rd!", SECRET_ADDR_FIXED, "10.0.0.5", "alice", NULL },
	/* addresses: "-" none, no field none, "*" the pool */
	{ "bob * pw -\n", "bob", 0, "pw", SECRET_ADDR_NONE, NULL, "bob", NULL },
	{ "bob * pw\n", "bob", 0, "pw", SECRET_ADDR_NONE, NULL, "bob", NULL },
	{ "bob * pw *\n", "bob", 0, "pw", SECRET_ADDR_POOL, NULL, "bob", NULL },
	{ "bob * pw 10.1.1.1 10.1.1.2\n", "bob", 0, "pw", SECRET_ADDR_FIXED,
	  "10.1.1.1", "bob", "f:1: user bob: only the first address" },
	{ "bob * pw 10.1.1.0/24\n", "bob", 0, "pw", SECRET_ADDR_NONE, NULL,
	  "bob", "f:1: user bob: address '10.1.1.0/24' is not supported" },
	/* backslashes: C escapes, octal, hex, \s, anything else itself */
	{ "c\\\\d * pw *\n", "c\\d", 0, "pw", SECRET_ADDR_POOL, NULL,
	  "c\\d", NULL },
	{ "e * a\\x41\\101\\s\\tz\\q *\n", "e", 0, "aAA \tzq",
	  SECRET_ADDR_POOL, NULL, "e", NULL },
	{ "\\#f * pw *\n", "#f", 0, "pw", SECRET_ADDR_POOL, NULL, "#f", NULL },
	/* quotes: both kinds, inside a word, newlines and # kept */
	{ "g * 'it''s' *\n", "g", 0, "its", SECRET_ADDR_POOL, NULL, "g", NULL },
	{ "g * ab\"c d\"e'\"' *\n", "g", 0, "abc de\"", SECRET_ADDR_POOL, NULL,
	  "g", NULL },
	{ "g * \"two\nlines #x\" *\n", "g", 0, "two\nlines #x",
	  SECRET_ADDR_POOL, NULL, "g", NULL },
	{ "g * \"\" *\n", "g", 0, "", SECRET_ADDR_POOL, NULL, "g", NULL },
	/* backslash-newline joins lines */
	{ "h \\\n * pw *\n", "h", 0, "pw", SECRET_ADDR_POOL, NULL, "h", NULL },
	/* short lines are skipped, the rest of the file still counts */
	{ "j *\nk\nj * pw *\n", "j", 0, "pw", SECRET_ADDR_POOL, NULL, "j",
	  "f:1: user j: no secret: line ignored" },
	/* too long for PPP: the line is ignored, not cut */
	{ "l * 0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789 *\n",
	  "l", A_NOENT, NULL, 0, NULL, NULL,
	  "f:1: user l: the secret is 130 bytes, longer than the 128 PPP carries: line ignored" },
	{ "l0123456789012345678901234567890123456789012345678901234567890123456789 * pw *\n",
	  "l0123456789012345678901234567890123456789012345678901234567890123456789",
	  A_NOENT, NULL, 0, NULL, NULL, "f:1: a client name of 71 bytes, longer than 64" },
	/* "*" as client: anyone; the most specific line wins */
	{ "* * any *\nm * mine 10.2.2.2\n", "m", 0, "mine", SECRET_ADDR_FIXED,
	  "10.2.2.2", "m", "f:1: client * gives every user name this secret" },
	{ "* * any *\n", "nobody", 0, "any", SECRET_ADDR_POOL, NULL, "nobody",
	  "f:1: client * gives every user name this secret" },
	{ "n * star *\nn l2tpsec exact -\nn other no *\n", "n", 0, "exact",
	  SECRET_ADDR_NONE, NULL, "n", NULL },
	/* duplicates: the first wins, a warning */
	{ "o * first *\no * second *\n", "o", 0, "first", SECRET_ADDR_POOL,
	  NULL, "o", "f:2: user o (server *) again (first on line 1); the first line wins" },
	/* two users pinned to one address */
	{ "p * pw 10.3.3.3\nq * pw 10.3.3.3\n", "q", 0, "pw", SECRET_ADDR_FIXED,
	  "10.3.3.3", "q", "f:2: user q: address 10.3.3.3 is pinned to user p (line 1) too" },
	/* pppd's @/file secret: not read, the line ignored */
	{ "r * @/etc/secret *\n", "r", A_NOENT, NULL, 0, NULL, NULL,
	  "f:1: user r: a secret '@/FILE' (read from a file in pppd) is not supported: line ignored" },
	/* blanks, comments, CRLF */
	{ "  # c\n\t\n#\ns * pw *\r\n", "s", 0, "pw", SECRET_ADDR_POOL, NULL, "s",
	  NULL },
};

static void test_secrets_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sec_cases) / sizeof(sec_cases[0]); i++) {
		const struct sec_case *c = &sec_cases[i];
		struct secrets *s = NULL;
		struct secret_user u;
		char err[256] = "", sec[200];
		int ret;

		print_message("case %zu: %s", i, c->text);
		fake_log_reset();
		assert_int_equal(secrets_parse("f", c->text, &s, err,
					       sizeof(err)), 0);
		ret = secrets_lookup(s, c->user, "l2tpsec", sec, sizeof(sec),
				     &u);
		if (c->ret == A_NOENT) {
			assert_int_equal(ret, -ENOENT);
		} else {
			assert_int_equal(ret, 0);
			assert_string_equal(sec, c->secret);
			assert_int_equal(u.addr, c->addr);
			if (c->pinned)
				assert_string_equal(inet_ntoa(u.pinned),
						    c->pinned);
			assert_string_equal(u.name, c->name);
		}
		if (c->warning) {
			if (!fake_log_contains(c->warning))
				print_error("log: %s\n", fake_log_text());
			assert_true(fake_log_contains(c->warning));
		} else {
			assert_false(fake_log_contains("f:"));
		}
		secrets_free(s);
	}
}

/* Pinned addresses against the server's address and the pool. */
static void test_secrets_check_addrs(void **state)
{
	struct secrets *s = NULL;
	struct pool *p = pool_new();
	struct in_addr local;
	char err[128];

	(void)state;
	inet_pton(AF_INET, "10.99.0.1", &local);
	pool_add_range(p, ip("10.99.0.10"), ip("10.99.0.20"));
	assert_int_equal(secrets_parse("f",
		"a * pw 10.99.0.1\nb * pw 192.168.1.1\nc * pw 10.99.0.15\nd * pw 10.99.0.2\n",
		&s, err, sizeof(err)), 0);
	fake_log_reset();
	secrets_check_addrs(s, "f", local, p);
	assert_true(fake_log_contains(
		"f:1: user a: pinned address 10.99.0.1 is the server's own ([pool] local)"));
	assert_true(fake_log_contains(
		"f:2: user b: pinned address 192.168.1.1 is outside every [pool] range"));
	assert_false(fake_log_contains("user c"));
	assert_true(fake_log_contains("f:4: user d"));
	secrets_free(s);
	pool_free(p);
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

/*
 * The file is checked after opening, and not through a symbolic link: a
 * link to a 0600 file someone else controls, or a file owned by another
 * user, is refused with a line that says why.
 */
static void test_secrets_file_checked_when_open(void **state)
{
	char path[] = "/tmp/l2tpsec-secrets-XXXXXX", link[64], err[512];
	struct secrets *s = NULL;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "alice * pw *\n", 13), 13);
	close(fd);
	chmod(path, 0600);
	snprintf(link, sizeof(link), "%s.link", path);
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(secrets_load(link, &s, err, sizeof(err)), -ELOOP);
	assert_non_null(strstr(err, "is a symbolic link"));
	unlink(link);
	/*
	 * root's daemon: the file must be root's. (Root of a user namespace
	 * that maps only itself cannot give the file away: not tested there.)
	 */
	if (geteuid() == 0 && chown(path, 4242, 4242) == 0) {
		assert_int_equal(secrets_load(path, &s, err, sizeof(err)),
				 -EPERM);
		assert_non_null(strstr(err, "owned by uid 4242"));
		assert_int_equal(chown(path, 0, 0), 0);
	}
	assert_int_equal(secrets_load(path, &s, err, sizeof(err)), 0);
	secrets_free(s);
	unlink(path);
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
		cmocka_unit_test(test_secrets_table),
		cmocka_unit_test(test_secrets_check_addrs),
		cmocka_unit_test(test_secrets_file_mode),
		cmocka_unit_test(test_secrets_file_checked_when_open),
		cmocka_unit_test(test_pool_parse),
		cmocka_unit_test(test_pool_alloc),
		cmocka_unit_test(test_pool_rotation),
	};

	return cmocka_run_group_tests_name("auth", tests, NULL, NULL);
}
