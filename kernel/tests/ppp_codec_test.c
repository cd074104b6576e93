// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: PPP framing inside L2TP (kernel/ppp.c; RFC 1661 2, 6.5, 6.6).
 *
 * Fixed byte strings with and without address/control (FF 03), 1- and
 * 2-byte protocol fields, LCP (never compressed: it always carries FF 03
 * and a 2-byte protocol), invalid protocol numbers (even low byte) and
 * every short input.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/ppp_defs.h>
#include <linux/string.h>

#include "l2tpsec.h"

struct ppp_parse_case {
	const char *what;
	u8 bytes[6];
	unsigned int len;
	int err;
	u16 proto;
	unsigned int hdr_len;
};

static const struct ppp_parse_case ppp_parse_cases[] = {
	{ "IPv4, FF03, 2-byte",		{ 0xff, 0x03, 0x00, 0x21, 0x45 }, 5, 0, 0x0021, 4 },
	{ "IPv4, FF03, 1-byte",		{ 0xff, 0x03, 0x21, 0x45 }, 4, 0, 0x0021, 3 },
	{ "IPv4, no FF03, 2-byte",	{ 0x00, 0x21, 0x45 }, 3, 0, 0x0021, 2 },
	{ "IPv4, no FF03, 1-byte",	{ 0x21, 0x45 }, 2, 0, 0x0021, 1 },
	{ "IPv6, FF03, 2-byte",		{ 0xff, 0x03, 0x00, 0x57, 0x60 }, 5, 0, 0x0057, 4 },
	{ "IPv6, no FF03, 1-byte",	{ 0x57, 0x60 }, 2, 0, 0x0057, 1 },
	{ "LCP, FF03",			{ 0xff, 0x03, 0xc0, 0x21, 0x01 }, 5, 0, PPP_LCP, 4 },
	/* accepted on receipt even without FF03 (receivers must be liberal) */
	{ "LCP, no FF03",		{ 0xc0, 0x21, 0x01 }, 3, 0, PPP_LCP, 2 },
	{ "IPCP",			{ 0xff, 0x03, 0x80, 0x21 }, 4, 0, PPP_IPCP, 4 },
	{ "IPV6CP, no FF03",		{ 0x80, 0x57 }, 2, 0, PPP_IPV6CP, 2 },
	{ "CHAP",			{ 0xff, 0x03, 0xc2, 0x23 }, 4, 0, PPP_CHAP, 4 },
	{ "PAP",			{ 0xc0, 0x23 }, 2, 0, PPP_PAP, 2 },
	{ "CCP",			{ 0x80, 0xfd }, 2, 0, PPP_CCP, 2 },
	/* header only: the parser does not require a payload */
	{ "header only",		{ 0xff, 0x03, 0x00, 0x21 }, 4, 0, 0x0021, 4 },
	/* bad protocol numbers: the low byte of a protocol is odd */
	{ "even low byte",		{ 0x00, 0x20, 0x45 }, 3, -EINVAL },
	{ "even low byte, FF03",	{ 0xff, 0x03, 0x00, 0x20 }, 4, -EINVAL },
	{ "LCP, even low byte",		{ 0xff, 0x03, 0xc0, 0x22 }, 4, -EINVAL },
	{ "00 00",			{ 0x00, 0x00 }, 2, -EINVAL },
	/* short input */
	{ "empty",			{ }, 0, -EINVAL },
	{ "one even byte",		{ 0x00 }, 1, -EINVAL },
	{ "FF03 alone",			{ 0xff, 0x03 }, 2, -EINVAL },
	{ "FF03 + half a protocol",	{ 0xff, 0x03, 0x00 }, 3, -EINVAL },
	{ "FF03 + half of LCP",		{ 0xff, 0x03, 0xc0 }, 3, -EINVAL },
	{ "half of LCP",		{ 0xc0 }, 1, -EINVAL },
};

static void ppp_case_desc(const struct ppp_parse_case *c, char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ppp_parse, ppp_parse_cases, ppp_case_desc);

static void ppp_parse_vectors(struct kunit *test)
{
	const struct ppp_parse_case *c = test->param_value;
	unsigned int hdr_len = 0xdead;
	u16 proto = 0xbeef;
	u8 *buf;
	int err;

	/* exactly c->len bytes, so that KASAN sees any over-read */
	buf = kunit_kmalloc(test, c->len ?: 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, c->bytes, c->len);

	err = l2tpsec_ppp_parse(buf, c->len, &proto, &hdr_len);
	KUNIT_EXPECT_EQ(test, err, c->err);
	if (!c->err) {
		KUNIT_EXPECT_EQ(test, proto, c->proto);
		KUNIT_EXPECT_EQ(test, hdr_len, c->hdr_len);
	}
}

struct ppp_build_case {
	u16 proto;
	bool acfc, pfc;
	u8 bytes[PPP_HDR_MAX];
	unsigned int len;
};

static const struct ppp_build_case ppp_build_cases[] = {
	{ 0x0021, false, false, { 0xff, 0x03, 0x00, 0x21 }, 4 },
	{ 0x0021, true, false, { 0x00, 0x21 }, 2 },
	{ 0x0021, false, true, { 0xff, 0x03, 0x21 }, 3 },
	{ 0x0021, true, true, { 0x21 }, 1 },
	{ 0x0057, true, true, { 0x57 }, 1 },
	{ 0x0057, false, false, { 0xff, 0x03, 0x00, 0x57 }, 4 },
	/* LCP: FF 03 and two bytes, whatever was negotiated */
	{ PPP_LCP, false, false, { 0xff, 0x03, 0xc0, 0x21 }, 4 },
	{ PPP_LCP, true, false, { 0xff, 0x03, 0xc0, 0x21 }, 4 },
	{ PPP_LCP, false, true, { 0xff, 0x03, 0xc0, 0x21 }, 4 },
	{ PPP_LCP, true, true, { 0xff, 0x03, 0xc0, 0x21 }, 4 },
	/* protocols >= 0x100 never shrink to one byte */
	{ PPP_IPCP, true, true, { 0x80, 0x21 }, 2 },
	{ PPP_IPV6CP, false, true, { 0xff, 0x03, 0x80, 0x57 }, 4 },
	{ PPP_CHAP, true, true, { 0xc2, 0x23 }, 2 },
	{ PPP_CCP, true, false, { 0x80, 0xfd }, 2 },
	/* largest protocol below 0x100 */
	{ 0x00ff, true, true, { 0xff }, 1 },
	{ 0x00fd, true, true, { 0xfd }, 1 },
};

static void ppp_build_vectors(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ppp_build_cases); i++) {
		const struct ppp_build_case *c = &ppp_build_cases[i];
		u8 buf[PPP_HDR_MAX + 2];
		unsigned int n;

		memset(buf, 0x5a, sizeof(buf));
		n = l2tpsec_ppp_build(buf, c->proto, c->acfc, c->pfc);
		KUNIT_EXPECT_EQ_MSG(test, n, c->len,
				    "proto 0x%04x acfc %d pfc %d", c->proto,
				    c->acfc, c->pfc);
		KUNIT_EXPECT_EQ_MSG(test,
				    l2tpsec_ppp_hdr_len(c->proto, c->acfc,
							c->pfc),
				    c->len, "hdr_len proto 0x%04x acfc %d pfc %d",
				    c->proto, c->acfc, c->pfc);
		KUNIT_EXPECT_MEMEQ_MSG(test, buf, c->bytes, c->len,
				       "proto 0x%04x acfc %d pfc %d",
				       c->proto, c->acfc, c->pfc);
		KUNIT_EXPECT_EQ(test, buf[c->len], 0x5a);
		KUNIT_EXPECT_LE(test, n, (unsigned int)PPP_HDR_MAX);
	}
}

/*
 * Round trip of every valid protocol number below 0x100 and a sample
 * above, with every ACFC/PFC setting, followed by a payload byte.
 */
static void ppp_round_trip(struct kunit *test)
{
	static const u16 high[] = { 0x0203, 0x0201, 0x3eff, 0x8021, 0x8057,
				    0xc021, 0xc023, 0xc223, 0xfeff };
	unsigned int i, f, checked = 0;

	for (i = 0; i < 128 + ARRAY_SIZE(high); i++) {
		u16 proto = i < 128 ? 2 * i + 1 : high[i - 128];

		for (f = 0; f < 4; f++) {
			bool acfc = f & 1, pfc = f & 2;
			unsigned int n, hdr_len;
			u16 got;
			u8 buf[PPP_HDR_MAX + 1];

			n = l2tpsec_ppp_build(buf, proto, acfc, pfc);
			buf[n] = 0x45;
			KUNIT_ASSERT_EQ(test,
					l2tpsec_ppp_parse(buf, n + 1, &got,
							  &hdr_len), 0);
			KUNIT_EXPECT_EQ_MSG(test, got, proto,
					    "acfc %d pfc %d", acfc, pfc);
			KUNIT_EXPECT_EQ_MSG(test, hdr_len, n,
					    "proto 0x%04x acfc %d pfc %d",
					    proto, acfc, pfc);
			checked++;
		}
	}
	KUNIT_EXPECT_EQ(test, checked, (128 + ARRAY_SIZE(high)) * 4);
}

static struct kunit_case ppp_codec_cases[] = {
	KUNIT_CASE_PARAM(ppp_parse_vectors, ppp_parse_gen_params),
	KUNIT_CASE(ppp_build_vectors),
	KUNIT_CASE(ppp_round_trip),
	{}
};

static struct kunit_suite ppp_codec_suite = {
	.name = "l2tpsec_ppp_codec",
	.test_cases = ppp_codec_cases,
};

kunit_test_suites(&ppp_codec_suite);
