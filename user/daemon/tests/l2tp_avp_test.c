// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: L2TPv2 control message codec (daemon/l2tp/avp.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <signal.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "l2tp/avp.h"

static const uint8_t secret[] = "tunnel-secret";
#define SECRET_LEN (sizeof(secret) - 1)

static int parse_msg(const uint8_t *buf, size_t len, const uint8_t *sec,
		     size_t slen, struct l2tp_avps *a, struct l2tp_perr *e)
{
	struct l2tp_hdr h;
	const char *why;

	assert_int_equal(l2tp_hdr_parse(buf, len, &h, &why), 0);
	return l2tp_avps_parse(buf + h.hdr_len, h.length - h.hdr_len, sec,
			       slen, a, e);
}

static void test_header(void **state)
{
	uint8_t zlb[12];
	struct l2tp_hdr h;
	const char *why;

	(void)state;
	assert_int_equal(l2tp_zlb_build(zlb, 0x1234, 5, 7), 12);
	assert_int_equal(l2tp_hdr_parse(zlb, 12, &h, &why), 0);
	assert_int_equal(h.tunnel_id, 0x1234);
	assert_int_equal(h.ns, 5);
	assert_int_equal(h.nr, 7);
	assert_int_equal(h.length, 12);

	assert_int_equal(l2tp_hdr_parse(zlb, 11, &h, &why), -EBADMSG);
	zlb[3] = 40;	/* Length beyond the datagram */
	assert_int_equal(l2tp_hdr_parse(zlb, 12, &h, &why), -EBADMSG);
	zlb[3] = 12;
	zlb[1] = 3;	/* version 3 */
	assert_int_equal(l2tp_hdr_parse(zlb, 12, &h, &why), -EBADMSG);
	zlb[1] = 2;
	zlb[0] = 0x08;	/* T clear: data */
	assert_int_equal(l2tp_hdr_parse(zlb, 12, &h, &why), -EBADMSG);
	zlb[0] = 0xca;	/* O bit */
	assert_int_equal(l2tp_hdr_parse(zlb, 12, &h, &why), -EBADMSG);
}

static void test_roundtrip(void **state)
{
	struct l2tp_mb m;
	struct l2tp_avps a;
	struct l2tp_perr e;
	uint8_t chal[16];

	(void)state;
	memset(chal, 0xab, sizeof(chal));
	l2tp_mb_init(&m, L2TP_SCCRQ, NULL, 0);
	l2tp_mb_u16(&m, L2TP_AVP_PROTOCOL_VERSION, true, 0x0100);
	l2tp_mb_u32(&m, L2TP_AVP_FRAMING_CAP, true, 3);
	l2tp_mb_str(&m, L2TP_AVP_HOST_NAME, true, "lac.example");
	l2tp_mb_u16(&m, L2TP_AVP_ASSIGNED_TUNNEL_ID, true, 4321);
	l2tp_mb_u16(&m, L2TP_AVP_RECEIVE_WINDOW, true, 16);
	l2tp_mb_bytes(&m, L2TP_AVP_CHALLENGE, true, chal, sizeof(chal));
	l2tp_mb_result(&m, 2, 8, "hello");
	assert_int_equal(l2tp_mb_finish(&m, 0, 0), 0);

	assert_int_equal(parse_msg(m.buf, m.len, NULL, 0, &a, &e), 0);
	assert_int_equal(a.msg_type, L2TP_SCCRQ);
	assert_true(a.msg_type_mandatory);
	assert_int_equal(a.protocol_version, 0x0100);
	assert_int_equal(a.framing_cap, 3);
	assert_string_equal(a.host_name, "lac.example");
	assert_int_equal(a.assigned_tunnel_id, 4321);
	assert_int_equal(a.receive_window, 16);
	assert_int_equal(a.challenge_len, 16);
	assert_memory_equal(a.challenge, chal, 16);
	assert_int_equal(a.result_code, 2);
	assert_int_equal(a.error_code, 8);
	assert_string_equal(a.error_msg, "hello");
	assert_true(l2tp_avp_has(&a, L2TP_AVP_CHALLENGE));
	assert_false(l2tp_avp_has(&a, L2TP_AVP_TIE_BREAKER));
}

static void test_zlb_avps(void **state)
{
	struct l2tp_avps a;
	struct l2tp_perr e;

	(void)state;
	assert_int_equal(l2tp_avps_parse(NULL, 0, NULL, 0, &a, &e), 0);
	assert_int_equal(a.msg_type, L2TP_ZLB);
}

static void test_hidden_roundtrip(void **state)
{
	struct l2tp_mb m;
	struct l2tp_avps a;
	struct l2tp_perr e;
	const char *longname = "a-host-name-longer-than-two-md5-blocks.example.org";
	int i;

	(void)state;
	for (i = 0; i < 20; i++) {	/* several random vectors and pads */
		l2tp_mb_init(&m, L2TP_ICRQ, secret, SECRET_LEN);
		l2tp_mb_hidden(&m, L2TP_AVP_ASSIGNED_SESSION_ID, true,
			       (uint8_t[]){ 0x12, 0x34 }, 2);
		l2tp_mb_hidden(&m, L2TP_AVP_CALLING_NUMBER, true, longname,
			       strlen(longname));
		assert_int_equal(l2tp_mb_finish(&m, 1, 0), 0);
		/* Random Vector first, then H-bit AVPs */
		assert_int_equal(m.buf[12 + 8 + 5], L2TP_AVP_RANDOM_VECTOR);
		assert_true(m.buf[12 + 8 + 6 + 16] & 0x40);

		assert_int_equal(parse_msg(m.buf, m.len, secret, SECRET_LEN, &a,
					   &e), 0);
		assert_int_equal(a.assigned_session_id, 0x1234);
		assert_string_equal(a.calling_number, longname);
		assert_int_equal(a.hidden, 2);
	}
	/* Without the secret, a mandatory hidden AVP is an error. */
	assert_int_equal(parse_msg(m.buf, m.len, NULL, 0, &a, &e), -EBADMSG);
}

static void test_hide_vector(void **state)
{
	/*
	 * RFC 2661 4.3 by hand: first 16 bytes XOR MD5(type|secret|RV),
	 * the next ones XOR MD5(secret|previous cipher block).
	 */
	uint8_t rv[4] = { 1, 2, 3, 4 }, val[20], out[64], plain[64], b[16];
	uint8_t tb[2] = { 0, 7 };
	size_t olen;
	unsigned int n;
	int len, i;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	(void)state;
	for (i = 0; i < 20; i++)
		val[i] = (uint8_t)i;
	len = l2tp_hide(7, secret, SECRET_LEN, rv, 4, val, 20, out,
			sizeof(out), 0);
	assert_int_equal(len, 22);
	EVP_DigestInit_ex(ctx, EVP_md5(), NULL);
	EVP_DigestUpdate(ctx, tb, 2);
	EVP_DigestUpdate(ctx, secret, SECRET_LEN);
	EVP_DigestUpdate(ctx, rv, 4);
	EVP_DigestFinal_ex(ctx, b, &n);
	assert_int_equal(out[0] ^ b[0], 0);
	assert_int_equal(out[1] ^ b[1], 20);
	for (i = 2; i < 16; i++)
		assert_int_equal(out[i] ^ b[i], i - 2);
	EVP_DigestInit_ex(ctx, EVP_md5(), NULL);
	EVP_DigestUpdate(ctx, secret, SECRET_LEN);
	EVP_DigestUpdate(ctx, out, 16);
	EVP_DigestFinal_ex(ctx, b, &n);
	for (i = 16; i < 22; i++)
		assert_int_equal(out[i] ^ b[i - 16], i - 2);
	EVP_MD_CTX_free(ctx);

	assert_int_equal(l2tp_unhide(7, secret, SECRET_LEN, rv, 4, out, 22,
				     plain, &olen), 0);
	assert_int_equal(olen, 20);
	assert_memory_equal(plain, val, 20);
}

static void test_challenge_response(void **state)
{
	uint8_t r[16], want[16], chal[8] = "12345678", t = 2;
	unsigned int n;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	(void)state;
	l2tp_challenge_response(2, secret, SECRET_LEN, chal, 8, r);
	EVP_DigestInit_ex(ctx, EVP_md5(), NULL);
	EVP_DigestUpdate(ctx, &t, 1);
	EVP_DigestUpdate(ctx, secret, SECRET_LEN);
	EVP_DigestUpdate(ctx, chal, 8);
	EVP_DigestFinal_ex(ctx, want, &n);
	EVP_MD_CTX_free(ctx);
	assert_memory_equal(r, want, 16);
}

/* Append a raw AVP to a builder. */
static void raw_avp(struct l2tp_mb *m, uint16_t flags, uint16_t vendor,
		    uint16_t type, const void *v, size_t len)
{
	uint8_t *p = m->buf + m->len;
	uint16_t alen = (uint16_t)(6 + len);

	p[0] = (uint8_t)((flags | alen) >> 8);
	p[1] = (uint8_t)alen;
	p[2] = vendor >> 8;
	p[3] = vendor & 0xff;
	p[4] = type >> 8;
	p[5] = type & 0xff;
	memcpy(p + 6, v, len);
	m->len += alen;
}

static void test_unknown_avps(void **state)
{
	struct l2tp_mb m;
	struct l2tp_avps a;
	struct l2tp_perr e;

	(void)state;
	/* unknown optional: skipped */
	l2tp_mb_init(&m, L2TP_HELLO, NULL, 0);
	raw_avp(&m, 0, 0, 200, "xyz", 3);
	raw_avp(&m, 0, 311, 1, "ms", 2);		/* vendor, optional */
	raw_avp(&m, 0x0400, 0, 7, "rsv", 3);	/* reserved bit, optional */
	l2tp_mb_finish(&m, 1, 0);
	assert_int_equal(parse_msg(m.buf, m.len, NULL, 0, &a, &e), 0);
	assert_int_equal(a.unknown_skipped, 3);
	assert_false(l2tp_avp_has(&a, L2TP_AVP_HOST_NAME));

	/* unknown mandatory: error 8 */
	l2tp_mb_init(&m, L2TP_HELLO, NULL, 0);
	raw_avp(&m, L2TP_AVP_M, 0, 200, "xyz", 3);
	l2tp_mb_finish(&m, 1, 0);
	assert_int_equal(parse_msg(m.buf, m.len, NULL, 0, &a, &e), -EBADMSG);
	assert_true(e.unknown_mandatory);
	assert_int_equal(e.error_code, L2TP_ERR_UNKNOWN_MANDATORY);

	/* vendor-specific mandatory */
	l2tp_mb_init(&m, L2TP_HELLO, NULL, 0);
	raw_avp(&m, L2TP_AVP_M, 9, 1, "v", 1);
	l2tp_mb_finish(&m, 1, 0);
	assert_int_equal(parse_msg(m.buf, m.len, NULL, 0, &a, &e), -EBADMSG);
	assert_true(e.unknown_mandatory);
}

static void test_bad_lengths(void **state)
{
	struct l2tp_mb m;
	struct l2tp_avps a;
	struct l2tp_perr e;

	(void)state;
	/* Assigned Tunnel ID of 3 bytes */
	l2tp_mb_init(&m, L2TP_SCCRQ, NULL, 0);
	raw_avp(&m, L2TP_AVP_M, 0, L2TP_AVP_ASSIGNED_TUNNEL_ID, "abc", 3);
	l2tp_mb_finish(&m, 0, 0);
	assert_int_equal(parse_msg(m.buf, m.len, NULL, 0, &a, &e), -EBADMSG);
	assert_int_equal(e.error_code, L2TP_ERR_LENGTH);

	/* AVP length past the end */
	l2tp_mb_init(&m, L2TP_SCCRQ, NULL, 0);
	l2tp_mb_u16(&m, L2TP_AVP_ASSIGNED_TUNNEL_ID, true, 1);
	m.buf[m.len - 7] = 50;
	l2tp_mb_finish(&m, 0, 0);
	assert_int_equal(parse_msg(m.buf, m.len, NULL, 0, &a, &e), -EBADMSG);

	/* AVP length below the header */
	l2tp_mb_init(&m, L2TP_SCCRQ, NULL, 0);
	l2tp_mb_u16(&m, L2TP_AVP_ASSIGNED_TUNNEL_ID, true, 1);
	m.buf[m.len - 7] = 3;
	l2tp_mb_finish(&m, 0, 0);
	assert_int_equal(parse_msg(m.buf, m.len, NULL, 0, &a, &e), -EBADMSG);

	/* trailing bytes */
	l2tp_mb_init(&m, L2TP_SCCRQ, NULL, 0);
	m.buf[m.len++] = 0;
	m.buf[m.len++] = 0;
	l2tp_mb_finish(&m, 0, 0);
	assert_int_equal(parse_msg(m.buf, m.len, NULL, 0, &a, &e), -EBADMSG);

	/* hidden without a Random Vector */
	l2tp_mb_init(&m, L2TP_ICRQ, NULL, 0);
	raw_avp(&m, L2TP_AVP_M | L2TP_AVP_H, 0, L2TP_AVP_ASSIGNED_SESSION_ID,
		"abcd", 4);
	l2tp_mb_finish(&m, 0, 0);
	assert_int_equal(parse_msg(m.buf, m.len, secret, SECRET_LEN, &a, &e),
			 -EBADMSG);
}

static void test_first_avp(void **state)
{
	struct l2tp_mb m;
	struct l2tp_avps a;
	struct l2tp_perr e;

	(void)state;
	memset(m.buf, 0, 12);
	m.len = 12;
	m.overflow = false;
	l2tp_mb_u16(&m, L2TP_AVP_ASSIGNED_TUNNEL_ID, true, 1);
	l2tp_mb_u16(&m, L2TP_AVP_MESSAGE_TYPE, true, L2TP_SCCRQ);
	l2tp_mb_finish(&m, 0, 0);
	assert_int_equal(parse_msg(m.buf, m.len, NULL, 0, &a, &e), -EBADMSG);
}

static void test_overflow(void **state)
{
	struct l2tp_mb m;
	uint8_t big[1000] = { 0 };

	(void)state;
	l2tp_mb_init(&m, L2TP_SCCRQ, NULL, 0);
	l2tp_mb_bytes(&m, L2TP_AVP_PRIVATE_GROUP_ID, false, big, 1000);
	l2tp_mb_bytes(&m, L2TP_AVP_PRIVATE_GROUP_ID, false, big, 1000);
	assert_int_equal(l2tp_mb_finish(&m, 0, 0), -EMSGSIZE);
}

/*
 * getrandom() as the daemon's code sees it (this definition wins over
 * libc's): the real one, or a persistent error when @random_broken.
 */
static int random_broken;

ssize_t getrandom(void *buf, size_t len, unsigned int flags)
{
	if (random_broken) {
		errno = ENOSYS;
		return -1;
	}
	return syscall(SYS_getrandom, buf, len, flags);
}

/*
 * A getrandom() that keeps failing ends the daemon with a named line
 * instead of spinning: before, l2tp_random() looped for ever (the child
 * was killed by its 5 s alarm).
 */
static void test_random_failure_ends(void **state)
{
	uint8_t b[16];
	pid_t pid;
	int st;

	(void)state;
	l2tp_random(b, sizeof(b));	/* the real one works */
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		alarm(5);
		random_broken = 1;
		l2tp_random(b, sizeof(b));
		_exit(0);	/* returned with no random bytes: wrong */
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_random_failure_ends),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_zlb_avps),
		cmocka_unit_test(test_hidden_roundtrip),
		cmocka_unit_test(test_hide_vector),
		cmocka_unit_test(test_challenge_response),
		cmocka_unit_test(test_unknown_avps),
		cmocka_unit_test(test_bad_lengths),
		cmocka_unit_test(test_first_avp),
		cmocka_unit_test(test_overflow),
	};

	return cmocka_run_group_tests_name("l2tp_avp", tests, NULL, NULL);
}
