// SPDX-License-Identifier: GPL-2.0
/*
 * Proposal lists and the choice among a client's offers, with the offers
 * of CLIENTS.md (Windows 10/11, macOS/iOS, Android, NetworkManager-l2tp),
 * and the explanations of a mismatch.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ike/crypto.h"
#include "ike/proposal.h"

/* A phase 1 SA body: one proposal, one transform per entry. */
static void p1_offer(struct ike_buf *b, const char *list, uint16_t auth,
		     uint32_t life)
{
	struct p1_alg a[IKE_MAX_ALGS];
	char err[200];
	size_t n, i, p;

	assert_int_equal(p1_list_parse(list, true, a, IKE_MAX_ALGS, &n, err,
				       sizeof(err)), 0);
	ike_buf_init(b);
	ike_buf_u32(b, IPSEC_DOI);
	ike_buf_u32(b, IPSEC_SIT_IDENTITY_ONLY);
	p = ike_buf_sub_begin(b, 0);
	ike_buf_u8(b, 1);
	ike_buf_u8(b, PROTO_ISAKMP);
	ike_buf_u8(b, 0);
	ike_buf_u8(b, (uint8_t)n);
	for (i = 0; i < n; i++) {
		size_t t = ike_buf_sub_begin(b, i + 1 < n ? ISAKMP_NP_T : 0);

		ike_buf_u8(b, (uint8_t)(i + 1));
		ike_buf_u8(b, 1);
		ike_buf_u16(b, 0);
		ike_buf_attr_tv(b, P1_ATTR_ENC, a[i].enc);
		if (a[i].keylen)
			ike_buf_attr_tv(b, P1_ATTR_KEY_LENGTH, a[i].keylen);
		ike_buf_attr_tv(b, P1_ATTR_HASH, a[i].hash);
		ike_buf_attr_tv(b, P1_ATTR_AUTH, auth);
		ike_buf_attr_tv(b, P1_ATTR_GROUP, a[i].group);
		ike_buf_attr_tv(b, P1_ATTR_LIFE_TYPE, LIFE_SECONDS);
		ike_buf_attr_u32(b, P1_ATTR_LIFE_DURATION, life);
		ike_buf_end(b, t);
	}
	ike_buf_end(b, p);
	assert_false(b->err);
}

/* A phase 2 SA body, Windows style: one proposal per transform. */
static void p2_offer(struct ike_buf *b, const char *list, uint16_t encap,
		     uint32_t life)
{
	struct p2_alg a[IKE_MAX_ALGS];
	char err[200];
	size_t n, i;

	assert_int_equal(p2_list_parse(list, true, a, IKE_MAX_ALGS, &n, err,
				       sizeof(err)), 0);
	ike_buf_init(b);
	ike_buf_u32(b, IPSEC_DOI);
	ike_buf_u32(b, IPSEC_SIT_IDENTITY_ONLY);
	for (i = 0; i < n; i++) {
		size_t p = ike_buf_sub_begin(b, i + 1 < n ? ISAKMP_NP_P : 0);
		size_t t;

		ike_buf_u8(b, (uint8_t)(i + 1));
		ike_buf_u8(b, PROTO_IPSEC_ESP);
		ike_buf_u8(b, 4);
		ike_buf_u8(b, 1);
		ike_buf_u32(b, 0x1000 + (uint32_t)i);
		t = ike_buf_sub_begin(b, 0);
		ike_buf_u8(b, 1);
		ike_buf_u8(b, a[i].esp);
		ike_buf_u16(b, 0);
		ike_buf_attr_tv(b, P2_ATTR_ENCAP, encap);
		ike_buf_attr_tv(b, P2_ATTR_LIFE_TYPE, LIFE_SECONDS);
		ike_buf_attr_u32(b, P2_ATTR_LIFE_DURATION, life);
		if (a[i].auth)
			ike_buf_attr_tv(b, P2_ATTR_AUTH, a[i].auth);
		if (a[i].keylen)
			ike_buf_attr_tv(b, P2_ATTR_KEY_LENGTH, a[i].keylen);
		if (a[i].group)
			ike_buf_attr_tv(b, P2_ATTR_GROUP, a[i].group);
		ike_buf_end(b, t);
		ike_buf_end(b, p);
	}
	assert_false(b->err);
}

static int choose_p1(const char *offer, uint16_t auth, bool legacy,
		     char *why, size_t wl, char *chosen, size_t cl)
{
	struct p1_xform x[IKE_MAX_OFFERS];
	struct p1_alg ours[IKE_MAX_ALGS];
	struct p1_policy pol = {
		.algs = ours, .auth_mask = AUTH_MASK(AUTH_PSK) |
					   AUTH_MASK(AUTH_RSA_SIG),
		.min_life = 60, .legacy = legacy,
	};
	const char *w = NULL;
	struct ike_buf b;
	size_t n;
	int idx;

	p1_defaults(legacy, ours, IKE_MAX_ALGS, &pol.n);
	p1_offer(&b, offer, auth, 28800);
	assert_int_equal(p1_offers_parse(b.data, b.len, x, IKE_MAX_OFFERS, &n,
					 &w), 0);
	idx = p1_select(&pol, x, n, why, wl);
	if (idx >= 0 && chosen)
		p1_alg_str(&x[idx].alg, chosen, cl);
	ike_buf_free(&b);
	return idx;
}

static int choose_p2(const char *offer, uint16_t encap, bool nat,
		     bool legacy, char *why, size_t wl, char *chosen,
		     size_t cl)
{
	struct p2_xform x[IKE_MAX_OFFERS];
	struct p2_alg ours[IKE_MAX_ALGS];
	struct p2_policy pol = { .algs = ours, .min_life = 60,
				 .legacy = legacy, .nat = nat };
	const char *w = NULL;
	struct ike_buf b;
	unsigned int skipped;
	size_t n;
	int idx;

	p2_defaults(legacy, ours, IKE_MAX_ALGS, &pol.n);
	p2_offer(&b, offer, encap, 3600);
	assert_int_equal(p2_offers_parse(b.data, b.len, x, IKE_MAX_OFFERS, &n,
					 &skipped, &w), 0);
	idx = p2_select(&pol, x, n, why, wl);
	if (idx >= 0 && chosen)
		p2_alg_str(&x[idx].alg, chosen, cl);
	ike_buf_free(&b);
	return idx;
}

static void test_clients_phase1(void **state)
{
	char why[900], c[64];

	(void)state;
	/* Windows 10/11: its first offer, ECP384. */
	assert_int_equal(choose_p1("aes256-sha1-ecp384 aes128-sha1-ecp256 aes256-sha1-modp2048 3des-sha1-modp2048 3des-sha1-modp1024",
				   AUTH_RSA_SIG, false, why, sizeof(why), c,
				   sizeof(c)), 0);
	assert_string_equal(c, "aes256-sha1-ecp384");
	/* macOS/iOS: 14 transforms, SHA256 first. */
	assert_int_equal(choose_p1("aes256-sha256-modp2048 aes256-sha1-modp2048 aes256-md5-modp2048 aes256-sha512-modp2048 "
				   "aes256-sha256-modp1536 aes256-sha1-modp1536 aes256-md5-modp1536 aes256-sha256-modp1024 aes256-sha1-modp1024 aes256-md5-modp1024 "
				   "aes128-sha1-modp1024 aes128-md5-modp1024 3des-sha1-modp1024 3des-md5-modp1024",
				   AUTH_PSK, false, why, sizeof(why), c,
				   sizeof(c)), 0);
	assert_string_equal(c, "aes256-sha256-modp2048");
	/* NetworkManager-l2tp */
	assert_true(choose_p1("aes256-sha256-modp2048 aes256-sha1-modp2048 aes256-sha256-modp1536 aes256-sha1-ecp384 aes128-sha1-modp1024",
			      AUTH_PSK, false, why, sizeof(why), NULL, 0) >= 0);
	/* Android <= 11: modp1024 only, legacy needed. */
	assert_int_equal(choose_p1("aes256-sha1-modp1024 aes128-sha1-modp1024 3des-sha1-modp1024 aes256-md5-modp1024",
				   AUTH_PSK, false, why, sizeof(why), NULL, 0),
			 -ENOENT);
	assert_non_null(strstr(why, "peer offers aes256-sha1-modp1024 (DH group modp1024 needs legacy = yes), "));
	assert_non_null(strstr(why, "3des-sha1-modp1024 (DH group modp1024, 3des needs legacy = yes)"));
	assert_non_null(strstr(why, "closest: aes256-sha1-modp1024 vs our aes256-sha1-modp2048: DH group (peer modp1024, we modp2048) differs"));
	assert_int_equal(choose_p1("aes256-sha1-modp1024 aes128-sha1-modp1024",
				   AUTH_PSK, true, why, sizeof(why), c,
				   sizeof(c)), 0);
	/* XAUTH is not ours. */
	assert_int_equal(choose_p1("aes256-sha1-modp2048", AUTH_XAUTH_INIT_PSK,
				   false, why, sizeof(why), NULL, 0), -ENOENT);
	assert_non_null(strstr(why, "authentication method (peer xauth-psk, we psk or rsa-sig) differs"));
}

static void test_clients_phase2(void **state)
{
	char why[900], c[64];

	(void)state;
	/* Windows */
	assert_int_equal(choose_p2("aes256-sha1 aes128-sha1 3des-sha1",
				   ENCAP_TRANSPORT, false, false, why,
				   sizeof(why), c, sizeof(c)), 0);
	assert_string_equal(c, "aes256-sha1");
	/* Windows behind NAT, RFC 3947 */
	assert_int_equal(choose_p2("aes256-sha1 aes128-sha1 3des-sha1",
				   ENCAP_UDP_TRANSPORT, true, false, why,
				   sizeof(why), c, sizeof(c)), 0);
	/* draft-02 encapsulation value */
	assert_int_equal(choose_p2("aes128-sha1", ENCAP_UDP_TRANSPORT_DRAFT,
				   true, false, why, sizeof(why), c,
				   sizeof(c)), 0);
	/* macOS: 3DES and MD5 later in its list */
	assert_int_equal(choose_p2("aes256-sha1 aes256-md5 aes128-sha1 aes128-md5 3des-sha1 3des-md5",
				   ENCAP_TRANSPORT, false, false, why,
				   sizeof(why), c, sizeof(c)), 0);
	/* Android asking for SHA2-512 */
	assert_int_equal(choose_p2("aes256-sha512", ENCAP_TRANSPORT, false,
				   false, why, sizeof(why), c, sizeof(c)), 0);
	/* Chromebook: GCM */
	assert_int_equal(choose_p2("aes256gcm16", ENCAP_TRANSPORT, false,
				   false, why, sizeof(why), c, sizeof(c)), 0);
	/* Tunnel mode: named. */
	assert_int_equal(choose_p2("aes256-sha1", ENCAP_TUNNEL, false, false,
				   why, sizeof(why), NULL, 0), -ENOENT);
	assert_non_null(strstr(why, "encapsulation (peer tunnel, we transport (no NAT detected)) differs"));
	/* A NAT, but raw ESP transport: the peer did not float. */
	assert_int_equal(choose_p2("aes256-sha1", ENCAP_TRANSPORT, true, false,
				   why, sizeof(why), NULL, 0), -EPROTO);
	assert_non_null(strstr(why, "NAT detected but the peer proposes transport mode (raw ESP), not UDP-encapsulated transport: it does not float to NAT-T"));
	/* 3DES alone without legacy */
	assert_int_equal(choose_p2("3des-sha1", ENCAP_TRANSPORT, false, false,
				   why, sizeof(why), NULL, 0), -ENOENT);
	assert_non_null(strstr(why, "peer offers 3des-sha1 (3des needs legacy = yes)"));
	/* PFS with a group we know is fine; modp1024 is legacy. */
	assert_int_equal(choose_p2("aes256-sha1-modp2048", ENCAP_TRANSPORT,
				   false, false, why, sizeof(why), c,
				   sizeof(c)), 0);
	assert_string_equal(c, "aes256-sha1-modp2048");
	assert_int_equal(choose_p2("aes256-sha1-modp1024", ENCAP_TRANSPORT,
				   false, false, why, sizeof(why), NULL, 0),
			 -ENOENT);
	assert_non_null(strstr(why, "PFS (peer modp1024, we accept none or a non-legacy group) differs"));
}

static void test_required_pfs(void **state)
{
	struct p2_xform x[4];
	struct p2_alg ours[2];
	struct p2_policy pol = { .algs = ours, .min_life = 60 };
	struct ike_buf b;
	unsigned int sk;
	const char *w;
	char why[900], err[100];
	size_t n;

	(void)state;
	assert_int_equal(p2_list_parse("aes256-sha1-modp2048", false, ours, 2,
				       &pol.n, err, sizeof(err)), 0);
	p2_offer(&b, "aes256-sha1", ENCAP_TRANSPORT, 3600);
	assert_int_equal(p2_offers_parse(b.data, b.len, x, 4, &n, &sk, &w), 0);
	assert_int_equal(p2_select(&pol, x, n, why, sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, "PFS (peer none, we require modp2048) differs"));
	ike_buf_free(&b);
}

static void test_lists(void **state)
{
	struct p1_alg a[IKE_MAX_ALGS];
	struct p2_alg e[IKE_MAX_ALGS];
	char err[300], s[400];
	size_t n;

	(void)state;
	assert_int_equal(p1_list_parse("aes256-sha256-modp2048,aes128-sha1-ecp256",
				       false, a, IKE_MAX_ALGS, &n, err,
				       sizeof(err)), 0);
	assert_int_equal(n, 2);
	p1_list_str(a, n, s, sizeof(s));
	assert_string_equal(s, "aes256-sha256-modp2048, aes128-sha1-ecp256");
	assert_int_equal(p1_list_parse("3des-sha1-modp2048", false, a,
				       IKE_MAX_ALGS, &n, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "\"3des-sha1-modp2048\": 3des needs legacy = yes");
	assert_int_equal(p1_list_parse("aes256-sha1-modp1024", false, a,
				       IKE_MAX_ALGS, &n, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "\"aes256-sha1-modp1024\": DH group modp1024 needs legacy = yes");
	assert_int_equal(p1_list_parse("aes256-sha1", false, a, IKE_MAX_ALGS,
				       &n, err, sizeof(err)), -EINVAL);
	assert_int_equal(p1_list_parse("aes256-whirlpool-modp2048", false, a,
				       IKE_MAX_ALGS, &n, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "unknown hash \"whirlpool\""));
	assert_int_equal(p1_list_parse("default, 3des-sha1-modp1024", true, a,
				       IKE_MAX_ALGS, &n, err, sizeof(err)), 0);
	assert_int_equal(p2_list_parse("aes256-sha1 aes128gcm16 aes256gcm16-modp2048 3des-md5",
				       true, e, IKE_MAX_ALGS, &n, err,
				       sizeof(err)), 0);
	assert_int_equal(n, 4);
	p2_list_str(e, n, s, sizeof(s));
	assert_string_equal(s, "aes256-sha1, aes128gcm16, aes256gcm16-modp2048, 3des-md5");
	assert_int_equal(p2_list_parse("aes256", false, e, IKE_MAX_ALGS, &n,
				       err, sizeof(err)), -EINVAL);
	assert_int_equal(p2_list_parse("", false, e, IKE_MAX_ALGS, &n, err,
				       sizeof(err)), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clients_phase1),
		cmocka_unit_test(test_clients_phase2),
		cmocka_unit_test(test_required_pfs),
		cmocka_unit_test(test_lists),
	};

	return cmocka_run_group_tests_name("ike_proposal", tests, NULL, NULL);
}
