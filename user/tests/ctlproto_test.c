// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the control socket's line protocol (common/ctlproto.c):
 * escaping both ways, malformed lines refused, limits; kick (with a
 * block) and unblock requests built and parsed.
 */
#include "helpers.h"
#include "ctlproto.h"

static void roundtrip(const char *value)
{
	struct l2_ctl_line l;
	struct l2_ctl_record *r = malloc(sizeof(*r));

	assert_non_null(r);
	l2_ctl_begin(&l, "session");
	l2_ctl_put(&l, "user", value);
	l2_ctl_put_u64(&l, "uptime", 18446744073709551615ull);
	assert_int_equal(l2_ctl_end(&l), 0);
	assert_int_equal(l.buf[l.len - 1], '\n');
	assert_null(memchr(l.buf, '\n', l.len - 1));
	assert_int_equal(l2_ctl_parse(l.buf, l.len, r), 0);
	assert_string_equal(r->type, "session");
	assert_int_equal(r->n, 2);
	assert_string_equal(l2_ctl_get(r, "user"), value);
	assert_string_equal(l2_ctl_get(r, "uptime"), "18446744073709551615");
	free(r);
}

static void test_roundtrip(void **state)
{
	(void)state;
	roundtrip("alice");
	roundtrip("");
	roundtrip("DOMAIN\\bob smith");
	roundtrip("a=b%c d\te\nf\r");
	roundtrip("\x01\x7f\xff\xc3\xa9");
	roundtrip("%41%");
}

static void test_escaping(void **state)
{
	struct l2_ctl_line l;

	(void)state;
	l2_ctl_begin(&l, "ok");
	l2_ctl_put(&l, "message", "no session = 50%\n");
	assert_int_equal(l2_ctl_end(&l), 0);
	assert_int_equal(l.len, strlen("ok message=no%20session%20%3D%2050%25%0A\n"));
	assert_memory_equal(l.buf, "ok message=no%20session%20%3D%2050%25%0A\n",
			    l.len);
}

static void expect_bad(const char *line, int err)
{
	struct l2_ctl_record *r = malloc(sizeof(*r));

	assert_non_null(r);
	if (l2_ctl_parse(line, strlen(line), r) != err)
		fail_msg("\"%s\": expected %d", line, err);
	free(r);
}

static void test_malformed(void **state)
{
	(void)state;
	expect_bad("", -EBADMSG);
	expect_bad("\n", -EBADMSG);
	expect_bad(" who", -EBADMSG);
	expect_bad("Who", -EBADMSG);
	expect_bad("who ", -EBADMSG);
	expect_bad("who  user=a", -EBADMSG);
	expect_bad("kick user", -EBADMSG);
	expect_bad("kick =a", -EBADMSG);
	expect_bad("kick User=a", -EBADMSG);
	expect_bad("kick user=a=b", -EBADMSG);
	expect_bad("kick user=%4", -EBADMSG);
	expect_bad("kick user=%zz", -EBADMSG);
	expect_bad("kick user=%00", -EBADMSG);
	expect_bad("kick user=a\nwho", -EBADMSG);
}

static void test_nul_inside(void **state)
{
	struct l2_ctl_record *r = malloc(sizeof(*r));

	(void)state;
	assert_non_null(r);
	assert_int_equal(l2_ctl_parse("who\0x", 5, r), -EBADMSG);
	assert_int_equal(l2_ctl_parse("who\r\n", 5, r), 0);
	assert_string_equal(r->type, "who");
	assert_int_equal(r->n, 0);
	free(r);
}

static void test_limits(void **state)
{
	struct l2_ctl_record *r = malloc(sizeof(*r));
	struct l2_ctl_line l;
	char *big = malloc(L2_CTL_MAX_LINE + 10);
	unsigned int i;

	(void)state;
	assert_non_null(r);
	assert_non_null(big);
	/* a value that cannot fit marks the line, nothing overflows */
	memset(big, '%', L2_CTL_MAX_LINE / 2);
	big[L2_CTL_MAX_LINE / 2] = '\0';
	l2_ctl_begin(&l, "session");
	l2_ctl_put(&l, "user", big);
	assert_true(l.len < sizeof(l.buf));
	assert_int_equal(l2_ctl_end(&l), -EMSGSIZE);
	/* a key outside [a-z0-9-] is the caller's bug: refused too */
	l2_ctl_begin(&l, "session");
	l2_ctl_put(&l, "User", "x");
	assert_int_equal(l2_ctl_end(&l), -EMSGSIZE);
	/* too long a line, too many fields */
	memset(big, 'a', L2_CTL_MAX_LINE + 1);
	big[L2_CTL_MAX_LINE + 1] = '\0';
	assert_int_equal(l2_ctl_parse(big, strlen(big), r), -E2BIG);
	l2_ctl_begin(&l, "session");
	for (i = 0; i <= L2_CTL_MAX_FIELDS; i++)
		l2_ctl_put_u64(&l, "k", i);
	assert_int_equal(l2_ctl_end(&l), 0);
	assert_int_equal(l2_ctl_parse(l.buf, l.len, r), -E2BIG);
	free(big);
	free(r);
}

static void test_numbers(void **state)
{
	struct l2_ctl_record *r = malloc(sizeof(*r));
	uint64_t v = 7;

	(void)state;
	assert_non_null(r);
	assert_int_equal(l2_ctl_parse("ok count=12 bad=-1 hex=0x1 big=99999999999999999999 empty=",
				      strlen("ok count=12 bad=-1 hex=0x1 big=99999999999999999999 empty="),
				      r), 0);
	assert_int_equal(l2_ctl_get_u64(r, "count", &v), 0);
	assert_int_equal(v, 12);
	assert_int_equal(l2_ctl_get_u64(r, "bad", &v), -EINVAL);
	assert_int_equal(l2_ctl_get_u64(r, "hex", &v), -EINVAL);
	assert_int_equal(l2_ctl_get_u64(r, "big", &v), -EINVAL);
	assert_int_equal(l2_ctl_get_u64(r, "empty", &v), -EINVAL);
	assert_int_equal(l2_ctl_get_u64(r, "missing", &v), -ENOENT);
	assert_string_equal(l2_ctl_get(r, "empty"), "");
	assert_null(l2_ctl_get(r, "missing"));
	free(r);
}

static int kick_of(const char *line, struct l2_ctl_kick *k, char *err,
		   size_t err_len)
{
	struct l2_ctl_record *r = malloc(sizeof(*r));
	int ret;

	assert_non_null(r);
	assert_int_equal(l2_ctl_parse(line, strlen(line), r), 0);
	ret = l2_ctl_kick_parse(r, k, err, err_len);
	free(r);
	return ret;
}

static void test_kick_parse(void **state)
{
	struct l2_ctl_kick k;
	char err[256];

	(void)state;
	assert_int_equal(kick_of("kick user=alice", &k, err, sizeof(err)), 0);
	assert_int_equal(k.by, L2_CTL_KICK_USER);
	assert_string_equal(k.user, "alice");
	assert_int_equal(k.block_s, 0);
	assert_int_equal(kick_of("kick user=alice block=600", &k, err, sizeof(err)), 0);
	assert_int_equal(k.block_s, 600);
	assert_int_equal(kick_of("kick block=5 address=10.99.0.12", &k, err, sizeof(err)), 0);
	assert_int_equal(k.by, L2_CTL_KICK_ADDRESS);
	assert_int_equal(k.address.s_addr, htonl(0x0a63000c));
	assert_int_equal(k.block_s, 5);
	assert_int_equal(kick_of("kick peer=3 tunnel=4 session=5 block=1", &k, err, sizeof(err)), 0);
	assert_int_equal(k.by, L2_CTL_KICK_SESSION);
	assert_int_equal(k.peer_id, 3);
	assert_int_equal(k.tunnel_id, 4);
	assert_int_equal(k.session_id, 5);
	assert_int_equal(k.block_s, 1);

	/* bad block values name the key and the range */
	assert_int_equal(kick_of("kick user=alice block=0", &k, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "block: expected a number of seconds from 1 to 31622400"));
	assert_int_equal(kick_of("kick user=alice block=31622401", &k, err, sizeof(err)), -EINVAL);
	assert_int_equal(kick_of("kick user=alice block=-1", &k, err, sizeof(err)), -EINVAL);
	assert_int_equal(kick_of("kick user=alice block=10s", &k, err, sizeof(err)), -EINVAL);
	/* selectors: exactly one */
	assert_int_equal(kick_of("kick block=10", &k, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "expected user=NAME"));
	assert_int_equal(kick_of("kick user=a address=1.2.3.4", &k, err, sizeof(err)), -EINVAL);
	assert_int_equal(kick_of("kick address=1.2.3", &k, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "address: expected an IPv4 address"));
	assert_int_equal(kick_of("kick peer=1 tunnel=0 session=1", &k, err, sizeof(err)), -EINVAL);
	assert_int_equal(kick_of("kick user=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
				 &k, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "at most 64 characters"));
}

static void test_kick_roundtrip(void **state)
{
	struct l2_ctl_kick k = { .by = L2_CTL_KICK_USER, .block_s = 3600 }, k2;
	struct l2_ctl_line l;
	char err[256];

	(void)state;
	snprintf(k.user, sizeof(k.user), "DOM\\bob smith");
	l2_ctl_kick_put(&l, &k);
	assert_int_equal(l2_ctl_end(&l), 0);
	l.buf[l.len] = '\0';
	assert_string_equal(l.buf, "kick user=DOM\\bob%20smith block=3600\n");
	assert_int_equal(kick_of(l.buf, &k2, err, sizeof(err)), 0);
	assert_int_equal(k2.by, L2_CTL_KICK_USER);
	assert_string_equal(k2.user, "DOM\\bob smith");
	assert_int_equal(k2.block_s, 3600);

	memset(&k, 0, sizeof(k));
	k.by = L2_CTL_KICK_SESSION;
	k.peer_id = 7;
	k.tunnel_id = 8;
	k.session_id = 9;
	l2_ctl_kick_put(&l, &k);
	assert_int_equal(l2_ctl_end(&l), 0);
	l.buf[l.len] = '\0';
	assert_string_equal(l.buf, "kick peer=7 tunnel=8 session=9\n");
}

static void test_unblock_parse(void **state)
{
	struct l2_ctl_record *r = malloc(sizeof(*r));
	char user[L2_CTL_MAX_USER + 1], err[256];

	(void)state;
	assert_non_null(r);
	assert_int_equal(l2_ctl_parse("unblock user=alice", 18, r), 0);
	assert_int_equal(l2_ctl_unblock_parse(r, user, err, sizeof(err)), 0);
	assert_string_equal(user, "alice");
	assert_int_equal(l2_ctl_parse("unblock", 7, r), 0);
	assert_int_equal(l2_ctl_unblock_parse(r, user, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "expected user=NAME"));
	assert_int_equal(l2_ctl_parse("unblock user=a address=1.2.3.4", 30, r), 0);
	assert_int_equal(l2_ctl_unblock_parse(r, user, err, sizeof(err)), -EINVAL);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_nul_inside),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_kick_parse),
		cmocka_unit_test(test_kick_roundtrip),
		cmocka_unit_test(test_unblock_parse),
	};

	return cmocka_run_group_tests_name("ctlproto", tests, NULL, NULL);
}
