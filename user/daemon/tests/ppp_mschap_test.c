// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: MS-CHAPv2 against the test vectors of RFC 2759 section 9.2,
 * and CHAP-MD5 (RFC 1994).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ppp/mschapv2.h"

static const uint8_t auth_chal[16] = {
	0x5B, 0x5D, 0x7C, 0x7D, 0x7B, 0x3F, 0x2F, 0x3E,
	0x3C, 0x2C, 0x60, 0x21, 0x32, 0x26, 0x26, 0x28,
};
static const uint8_t peer_chal[16] = {
	0x21, 0x40, 0x23, 0x24, 0x25, 0x5E, 0x26, 0x2A,
	0x28, 0x29, 0x5F, 0x2B, 0x3A, 0x33, 0x7C, 0x7E,
};

static void test_rfc2759_vectors(void **state)
{
	static const uint8_t challenge[8] = {
		0xD0, 0x2E, 0x43, 0x86, 0xBC, 0xE9, 0x12, 0x26,
	};
	static const uint8_t pw_hash[16] = {
		0x44, 0xEB, 0xBA, 0x8D, 0x53, 0x12, 0xB8, 0xD6,
		0x11, 0x47, 0x44, 0x11, 0xF5, 0x69, 0x89, 0xAE,
	};
	static const uint8_t nt_resp[24] = {
		0x82, 0x30, 0x9E, 0xCD, 0x8D, 0x70, 0x8B, 0x5E,
		0xA0, 0x8F, 0xAA, 0x39, 0x81, 0xCD, 0x83, 0x54,
		0x42, 0x33, 0x11, 0x4A, 0x3D, 0x85, 0xD6, 0xDF,
	};
	uint8_t ch[8], h[16], r[24];
	char s[43];

	(void)state;
	assert_int_equal(mschapv2_challenge_hash(peer_chal, auth_chal, "User",
						 ch), 0);
	assert_memory_equal(ch, challenge, 8);
	assert_int_equal(mschap_nt_password_hash("clientPass", h), 0);
	assert_memory_equal(h, pw_hash, 16);
	assert_int_equal(mschapv2_nt_response(auth_chal, peer_chal, "User",
					      "clientPass", r), 0);
	assert_memory_equal(r, nt_resp, 24);
	assert_int_equal(mschapv2_authenticator_response("clientPass", r,
							 peer_chal, auth_chal,
							 "User", s), 0);
	assert_string_equal(s, "S=407A5589115FD0D6209F510FE9C04566932CDA56");
}

static void test_domain_stripped(void **state)
{
	uint8_t a[24], b[24];

	(void)state;
	assert_string_equal(mschapv2_strip_domain("CORP\\User"), "User");
	assert_int_equal(mschapv2_nt_response(auth_chal, peer_chal,
					      "CORP\\User", "clientPass", a), 0);
	assert_int_equal(mschapv2_nt_response(auth_chal, peer_chal, "User",
					      "clientPass", b), 0);
	assert_memory_equal(a, b, 24);
}

static void test_utf8_password(void **state)
{
	uint8_t h1[16], h2[16];

	(void)state;
	/* Different passwords, different hashes; non-ASCII accepted. */
	assert_int_equal(mschap_nt_password_hash("p\xc3\xa4ss", h1), 0);
	assert_int_equal(mschap_nt_password_hash("pass", h2), 0);
	assert_memory_not_equal(h1, h2, 16);
}

static void test_chap_md5(void **state)
{
	/* MD5(0x01 | "secret" | "challenge"), computed independently */
	static const uint8_t want[16] = {
		0x46, 0xe4, 0x77, 0x70, 0x03, 0x0e, 0x2b, 0x4e,
		0x26, 0xa0, 0xdb, 0x72, 0xa7, 0xef, 0xec, 0x00,
	};
	uint8_t r[16];

	(void)state;
	assert_int_equal(chap_md5_response(1, "secret",
					   (const uint8_t *)"challenge", 9, r),
			 0);
	assert_memory_equal(r, want, 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc2759_vectors),
		cmocka_unit_test(test_domain_stripped),
		cmocka_unit_test(test_utf8_password),
		cmocka_unit_test(test_chap_md5),
	};

	return cmocka_run_group_tests_name("ppp_mschap", tests, NULL, NULL);
}
