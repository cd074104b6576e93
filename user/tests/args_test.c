// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: value parsers and the keyword parser, and the messages and
 * exit status of command lines that must be refused before any netlink
 * traffic.
 */
#include <arpa/inet.h>

#include "helpers.h"

static void test_parse_uint_decimal(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(parse_uint("0", 32, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_uint("4500", 16, &v), 0);
	assert_int_equal(v, 4500);
	assert_int_equal(parse_uint("007", 8, &v), 0);	/* not octal */
	assert_int_equal(v, 7);
	assert_int_equal(parse_uint("4294967295", 32, &v), 0);
	assert_int_equal(v, UINT32_MAX);
	assert_int_equal(parse_uint("18446744073709551615", 64, &v), 0);
	assert_true(v == UINT64_MAX);
}

static void test_parse_uint_hex(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(parse_uint("0x10", 32, &v), 0);
	assert_int_equal(v, 16);
	assert_int_equal(parse_uint("0XdeadBEEF", 32, &v), 0);
	assert_int_equal(v, 0xdeadbeef);
	assert_int_equal(parse_uint("0xff", 8, &v), 0);
	assert_int_equal(v, 255);
	assert_int_equal(parse_uint("0xffffffffffffffff", 64, &v), 0);
	assert_true(v == UINT64_MAX);
}

static void test_parse_uint_rejects(void **state)
{
	static const struct { const char *s; unsigned int bits; } bad[] = {
		{ "", 32 }, { "0x", 32 }, { "0xZZ", 32 }, { "12a", 32 },
		{ "-1", 32 }, { "+1", 32 }, { " 1", 32 }, { "1 ", 32 },
		{ "256", 8 }, { "0x100", 8 }, { "65536", 16 },
		{ "4294967296", 32 }, { "0x100000000", 32 },
		{ "18446744073709551616", 64 }, { "0x1ffffffffffffffff", 64 },
		{ "1.5", 32 }, { "abc", 32 }, { "0b101", 32 },
	};
	uint64_t v = 12345;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse_uint(bad[i].s, bad[i].bits, &v),
				 -EINVAL);
		assert_int_equal(v, 12345);	/* untouched */
	}
}

static void test_parse_hex(void **state)
{
	static const uint8_t want[] = { 0x00, 0x11, 0xab, 0xCD, 0xef };
	uint8_t *buf = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(parse_hex("0011abCDef", &buf, &len), 0);
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	free(buf);

	assert_int_equal(parse_hex("0x0011ABcdEF", &buf, &len), 0);
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	free(buf);

	buf = NULL;
	assert_int_equal(parse_hex("", &buf, &len), -EINVAL);
	assert_int_equal(parse_hex("0x", &buf, &len), -EINVAL);
	assert_int_equal(parse_hex("abc", &buf, &len), -EINVAL);	/* odd */
	assert_int_equal(parse_hex("zz", &buf, &len), -EINVAL);
	assert_int_equal(parse_hex("00 11", &buf, &len), -EINVAL);
	assert_int_equal(parse_hex("00:11", &buf, &len), -EINVAL);
	assert_null(buf);
}

static void test_parse_ipv4(void **state)
{
	struct in_addr a;

	(void)state;
	assert_int_equal(parse_ipv4("192.0.2.1", &a), 0);
	assert_int_equal(a.s_addr, htonl(0xc0000201));
	assert_int_equal(parse_ipv4("192.0.2", &a), -EINVAL);
	assert_int_equal(parse_ipv4("192.0.2.256", &a), -EINVAL);
	assert_int_equal(parse_ipv4("192.0.2.1/24", &a), -EINVAL);
	assert_int_equal(parse_ipv4("", &a), -EINVAL);
	assert_int_equal(parse_ipv4("2001:db8::1", &a), -EINVAL);
}

static void test_parse_ipv6_prefix(void **state)
{
	struct in6_addr a, want;
	uint8_t plen = 0;

	(void)state;
	assert_int_equal(inet_pton(AF_INET6, "2001:db8:1::", &want), 1);
	assert_int_equal(parse_ipv6_prefix("2001:db8:1::/64", &a, &plen), 0);
	assert_memory_equal(&a, &want, sizeof(a));
	assert_int_equal(plen, 64);

	assert_int_equal(parse_ipv6_prefix("2001:db8:1::", &a, &plen), 0);
	assert_int_equal(plen, 128);
	assert_int_equal(parse_ipv6_prefix("::/0", &a, &plen), 0);
	assert_int_equal(plen, 0);

	assert_int_equal(parse_ipv6_prefix("2001:db8::/129", &a, &plen),
			 -EINVAL);
	assert_int_equal(parse_ipv6_prefix("2001:db8::/", &a, &plen), -EINVAL);
	assert_int_equal(parse_ipv6_prefix("2001:db8::/6x", &a, &plen),
			 -EINVAL);
	assert_int_equal(parse_ipv6_prefix("2001:db8::/0x40", &a, &plen),
			 -EINVAL);
	assert_int_equal(parse_ipv6_prefix("10.0.0.0/8", &a, &plen), -EINVAL);
	assert_int_equal(parse_ipv6_prefix("/64", &a, &plen), -EINVAL);
	assert_int_equal(parse_ipv6_prefix("fe80::1%eth0/64", &a, &plen),
			 -EINVAL);
}

static void test_parse_bool(void **state)
{
	bool b = false;

	(void)state;
	assert_int_equal(parse_bool("on", &b), 0);
	assert_true(b);
	assert_int_equal(parse_bool("off", &b), 0);
	assert_false(b);
	assert_int_equal(parse_bool("yes", &b), -EINVAL);
	assert_int_equal(parse_bool("ON", &b), -EINVAL);
	assert_int_equal(parse_bool("1", &b), -EINVAL);
	assert_int_equal(parse_bool("", &b), -EINVAL);
}

/* ---- whole command lines refused before any netlink traffic ----------- */

struct refusal {
	const char	*argv[24];
	const char	*err;
};

static const struct refusal refusals[] = {
	{ { "sa", "add", "l2tpsec0", "spi", "0xZZ", "dir", "in", "peer", "1",
	    "cipher", "aes-gcm", "key", "00112233" },
	  "l2tpsec: sa add: \"spi\": expected a 32-bit number, got \"0xZZ\"\n" },
	{ { "sa", "add", "l2tpsec0", "spi", "0x1ffffffff", "dir", "in" },
	  "l2tpsec: sa add: \"spi\": expected a 32-bit number, got \"0x1ffffffff\"\n" },
	{ { "sa", "add", "l2tpsec0", "spi", "0", "dir", "in" },
	  "l2tpsec: sa add: \"spi\": expected a non-zero 32-bit number, got \"0\"\n" },
	{ { "sa", "add", "l2tpsec0", "spi", "1", "dir", "sideways" },
	  "l2tpsec: sa add: \"dir\": expected in|out, got \"sideways\"\n" },
	{ { "sa", "add", "l2tpsec0", "spi", "1", "dir", "in", "peer", "1",
	    "cipher", "aes-gcm", "key", "abc" },
	  "l2tpsec: sa add: \"key\": expected hex bytes, got \"abc\"\n" },
	{ { "sa", "add", "l2tpsec0", "spi", "1", "dir", "in", "peer", "1",
	    "cipher", "aes-gcm" },
	  "l2tpsec: sa add: missing \"key\"\n" },
	{ { "sa", "add", "l2tpsec0", "spi", "1", "dir", "in", "peer", "1",
	    "cipher", "aes-cbc", "key", "00112233445566778899aabbccddeeff" },
	  "l2tpsec: sa add: cipher aes-cbc needs \"integ\" (md5|sha1|sha256|sha384|sha512)\n" },
	{ { "sa", "add", "l2tpsec0", "spi", "1", "dir", "in", "peer", "1",
	    "cipher", "aes-cbc", "integ", "sha1", "key", "0011" },
	  "l2tpsec: sa add: missing \"auth-key\" for integ sha1\n" },
	{ { "sa", "add", "l2tpsec0", "spi", "1", "dir", "out", "peer", "1",
	    "cipher", "aes-gcm", "key", "0011", "replay-window", "64" },
	  "l2tpsec: sa add: \"replay-window\" applies to inbound SAs only\n" },
	{ { "sa", "add", "l2tpsec0", "spi", "1", "dir", "in", "peer", "1",
	    "cipher", "aes-gcm", "key", "0011", "icv", "256" },
	  "l2tpsec: sa add: \"icv\": expected an 8-bit number, got \"256\"\n" },
	{ { "sa", "add", "l2tpsec0", "spi", "1", "spi", "2" },
	  "l2tpsec: sa add: \"spi\" given twice\n" },
	{ { "sa", "add", "l2tpsec0", "spi" },
	  "l2tpsec: sa add: \"spi\": missing value (expected a 32-bit number)\n" },
	{ { "sa", "add", "l2tpsec0", "spy", "1" },
	  "l2tpsec: sa add: unknown argument \"spy\"\n" },
	{ { "sa", "add", "spi", "1" },
	  "l2tpsec: sa add: missing DEV before \"spi\"\n" },
	{ { "sa", "del", "l2tpsec0", "spi", "1", "dir", "out" },
	  "l2tpsec: sa del: missing \"peer\" (outbound SPIs are per peer)\n" },
	{ { "sa", "del" },
	  "l2tpsec: sa del: missing DEV (an interface name)\n" },
	{ { "sa", "del", "averyveryverylongname", "spi", "1" },
	  "l2tpsec: sa del: \"DEV\": expected an interface name, got \"averyveryverylongname\"\n" },
	{ { "peer", "add", "l2tpsec0", "id", "1", "encap", "udp", "local",
	    "10.0.0.1", "remote", "10.0.0.2", "lport", "65536" },
	  "l2tpsec: peer add: \"lport\": expected a port number (1-65535), got \"65536\"\n" },
	{ { "peer", "add", "l2tpsec0", "id", "1", "encap", "none", "local",
	    "10.0.0.1", "remote", "10.0.0.2", "rport", "4500" },
	  "l2tpsec: peer add: \"lport\" and \"rport\" need \"encap udp\"\n" },
	{ { "peer", "add", "l2tpsec0", "id", "1", "encap", "udp", "local",
	    "10.0.0.1", "remote", "10.0.0" },
	  "l2tpsec: peer add: \"remote\": expected an IPv4 address, got \"10.0.0\"\n" },
	{ { "peer", "set", "l2tpsec0", "id", "1", "tx-spi", "0" },
	  "l2tpsec: peer set: \"tx-spi\": expected a non-zero 32-bit number, got \"0\"\n" },
	{ { "peer", "set", "l2tpsec0", "id", "1" },
	  "l2tpsec: peer set: nothing to change: give \"tx-spi\", \"remote\" or \"rport\"\n" },
	{ { "session", "add", "l2tpsec0", "peer", "1", "tunnel", "70000" },
	  "l2tpsec: session add: \"tunnel\": expected a 16-bit number, got \"70000\"\n" },
	{ { "session", "add", "l2tpsec0", "peer", "1", "tunnel", "1",
	    "session", "2", "peer-tunnel", "3", "peer-session", "4", "ipv6",
	    "2001:db8::/200" },
	  "l2tpsec: session add: \"ipv6\": expected an IPv6 prefix (ADDR/LEN), got \"2001:db8::/200\"\n" },
	{ { "session", "add", "l2tpsec0", "peer", "1", "tunnel", "1",
	    "session", "2", "peer-tunnel", "3", "peer-session", "4", "acfc",
	    "yes" },
	  "l2tpsec: session add: \"acfc\": expected on|off, got \"yes\"\n" },
	{ { "session", "add", "l2tpsec0", "peer", "1", "tunnel", "1",
	    "session", "2", "peer-tunnel", "3" },
	  "l2tpsec: session add: missing \"peer-session\"\n" },
	{ { "dev", "set", "l2tpsec0" },
	  "l2tpsec: dev set: nothing to change: give \"mss-clamp\", \"listen\" or \"fallback\"\n" },
	{ { "dev", "attach", "l2tpsec0", "port", "0" },
	  "l2tpsec: dev attach: \"port\": expected a port number (1-65535), got \"0\"\n" },
	{ { "frame", "send", "l2tpsec0", "peer", "1", "ppp", "tunnel", "1",
	    "c021" },
	  "l2tpsec: frame send: missing \"session\" for a ppp frame\n" },
	{ { "frame", "send", "l2tpsec0", "peer", "1", "c8020000" },
	  "l2tpsec: frame send: give either \"l2tp-ctrl\" or \"ppp\"\n" },
	{ { "frame", "send", "l2tpsec0", "peer", "1", "l2tp-ctrl", "xyz" },
	  "l2tpsec: frame send: \"payload\": expected hex bytes, got \"xyz\"\n" },
	{ { "frame", "send", "l2tpsec0", "peer", "1", "l2tp-ctrl", "c802",
	    "c803" },
	  "l2tpsec: frame send: unknown argument \"c803\"\n" },
	{ { "frame", "listen", "l2tpsec0", "count", "many" },
	  "l2tpsec: frame listen: \"count\": expected a 64-bit number, got \"many\"\n" },
	{ { "frob" },
	  "l2tpsec: unknown command \"frob\" (try \"l2tpsec help\")\n" },
	{ { "sa", "frob" },
	  "l2tpsec: sa: unknown command \"frob\" (expected add|del|show)\n" },
	{ { "-x", "show" },
	  "l2tpsec: unknown option \"-x\"\n" },
	{ { "monitor", "now" },
	  "l2tpsec: monitor: expected all, daemon or module, not \"now\"\n" },
	{ { "monitor", "daemon", "module" },
	  "l2tpsec: monitor: unknown argument \"module\"\n" },
	{ { "kick" },
	  "l2tpsec: kick: expected one of: user NAME, address A.B.C.D, peer ID tunnel LTID session LSID [--block SECONDS]\n" },
	{ { "kick", "user", "alice", "address", "10.99.0.10" },
	  "l2tpsec: kick: expected one of: user NAME, address A.B.C.D, peer ID tunnel LTID session LSID [--block SECONDS]\n" },
	{ { "kick", "peer", "1", "tunnel", "2" },
	  "l2tpsec: kick: expected one of: user NAME, address A.B.C.D, peer ID tunnel LTID session LSID [--block SECONDS]\n" },
	{ { "kick", "peer", "1", "tunnel", "0", "session", "3" },
	  "l2tpsec: kick: tunnel and session ids are not 0\n" },
	{ { "kick", "address", "10.99.0" },
	  "l2tpsec: kick: \"address\": expected an IPv4 address, got \"10.99.0\"\n" },
	{ { "kick", "user", "" },
	  "l2tpsec: kick: \"user\": expected a word of 1 to 255 characters, got \"\"\n" },
	{ { "kick", "user", "alice", "--block", "0" },
	  "l2tpsec: kick: --block: expected a number of seconds from 1 to 31622400\n" },
	{ { "kick", "user", "alice", "--block", "31622401" },
	  "l2tpsec: kick: --block: expected a number of seconds from 1 to 31622400\n" },
	{ { "kick", "user", "alice", "--block", "10m" },
	  "l2tpsec: kick: \"--block\": expected a 32-bit number, got \"10m\"\n" },
	{ { "kick", "user", "alice", "--block" },
	  "l2tpsec: kick: \"--block\": missing value (expected a 32-bit number)\n" },
	{ { "kick", "user", "alice", "--block", "5", "block", "6" },
	  "l2tpsec: kick: \"--block\" given twice\n" },
	{ { "unblock" },
	  "l2tpsec: unblock: missing \"user\"\n" },
	{ { "unblock", "user", "a", "address", "1.2.3.4" },
	  "l2tpsec: unblock: unknown argument \"address\"\n" },
	{ { "--socket", "/nonexistent/l2tpsecd.sock", "unblock", "user", "a" },
	  "l2tpsec: unblock: no l2tpsecd answers at /nonexistent/l2tpsecd.sock (No such file or directory): is it running? (-s SOCKET names another control socket)\n" },
	{ { "who", "now" },
	  "l2tpsec: who: unknown argument \"now\"\n" },
	{ { "-s" },
	  "l2tpsec: -s needs the path of l2tpsecd's control socket\n" },
	{ { "-s", "/nonexistent/l2tpsecd.sock", "who" },
	  "l2tpsec: who: no l2tpsecd answers at /nonexistent/l2tpsecd.sock (No such file or directory): is it running? (-s SOCKET names another control socket)\n" },
	{ { "--socket", "/nonexistent/l2tpsecd.sock", "kick", "user", "a" },
	  "l2tpsec: kick: no l2tpsecd answers at /nonexistent/l2tpsecd.sock (No such file or directory): is it running? (-s SOCKET names another control socket)\n" },
};

static void test_refusals(void **state)
{
	struct capture cap;
	size_t i;
	int argc;

	(void)state;
	for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		for (argc = 0; refusals[i].argv[argc]; argc++)
			;
		capture_start(&cap);
		assert_int_equal(run_cli(&cap, argc, refusals[i].argv), 1);
		assert_string_equal(cap.err, refusals[i].err);
		assert_int_equal(cap.out_len, 0);
		capture_end(&cap);
	}
}

static void test_usage(void **state)
{
	struct capture cap;

	(void)state;
	capture_start(&cap);
	assert_int_equal(RUN(&cap, "help"), 0);
	assert_non_null(strstr(cap.out, "Usage: l2tpsec [-j] [-s SOCKET] COMMAND\n"));
	assert_non_null(strstr(cap.out, "  l2tpsec who\n"));
	assert_non_null(strstr(cap.out,
			       "  l2tpsec kick user NAME | address A.B.C.D | peer ID tunnel LTID session LSID [--block SECONDS]\n"));
	assert_non_null(strstr(cap.out, "  l2tpsec unblock user NAME\n"));
	assert_non_null(strstr(cap.out,
			       "  l2tpsec sa del DEV spi SPI dir in|out [peer ID]\n"));
	assert_non_null(strstr(cap.out,
			       "  l2tpsec frame send DEV peer ID ppp tunnel T session S HEX\n"));
	capture_end(&cap);

	capture_start(&cap);
	assert_int_equal(RUN(&cap, "session", "help"), 0);
	assert_non_null(strstr(cap.out, "l2tpsec session del DEV"));
	assert_null(strstr(cap.out, "l2tpsec sa "));
	capture_end(&cap);

	/* No command at all: usage on stderr, failure. */
	capture_start(&cap);
	assert_int_equal(run_cli(&cap, 0, NULL), 1);
	assert_non_null(strstr(cap.err, "Usage: l2tpsec"));
	assert_int_equal(cap.out_len, 0);
	capture_end(&cap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_uint_decimal),
		cmocka_unit_test(test_parse_uint_hex),
		cmocka_unit_test(test_parse_uint_rejects),
		cmocka_unit_test(test_parse_hex),
		cmocka_unit_test(test_parse_ipv4),
		cmocka_unit_test(test_parse_ipv6_prefix),
		cmocka_unit_test(test_parse_bool),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_usage),
	};

	return cmocka_run_group_tests_name("args", tests, NULL, NULL);
}
