// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: which IPv6 inner sources a session delivers
 * (l2tpsec_ipv6_src_allowed(), kernel/session.c).
 *
 * A /128 (what l2tpsecd programs after IPV6CP: fe80::IID, or a global
 * address carrying the IID), a /64 prefix, the link-local address made of
 * the session's interface identifier and of another one, :: towards a
 * multicast group and towards a unicast address, and addresses one bit
 * off the prefix.
 */
#include <kunit/test.h>
#include <linux/in6.h>
#include <linux/inet.h>
#include <linux/kernel.h>
#include <net/ipv6.h>

#include "l2tpsec.h"

static struct in6_addr a6(struct kunit *test, const char *s)
{
	struct in6_addr a;

	KUNIT_ASSERT_EQ_MSG(test, in6_pton(s, -1, a.s6_addr, -1, NULL), 1,
			    "bad address %s in the table", s);
	return a;
}

struct src_case {
	const char	*src, *dst, *pfx;
	u8		plen;
	bool		allowed;
};

static const struct src_case src_cases[] = {
	/* the link-local /128 l2tpsecd routes after IPV6CP */
	{ "fe80::1:2:3:4", "fe80::9", "fe80::1:2:3:4", 128, true },
	{ "fe80::1:2:3:5", "fe80::9", "fe80::1:2:3:4", 128, false },
	{ "fe80::1:0:1:2:3:4", "fe80::9", "fe80::1:2:3:4", 128, false },
	/* a global /128 with the IID: its link-local address too */
	{ "2001:db8::1:2:3:4", "2001:db8::9", "2001:db8::1:2:3:4", 128, true },
	{ "fe80::1:2:3:4", "ff02::2", "2001:db8::1:2:3:4", 128, true },
	{ "fe80::1:2:3:5", "ff02::2", "2001:db8::1:2:3:4", 128, false },
	{ "fec0::1:2:3:4", "ff02::2", "2001:db8::1:2:3:4", 128, false },
	{ "2001:db8::1:2:3:5", "2001:db8::9", "2001:db8::1:2:3:4", 128, false },
	/* another client's address, a LAN's */
	{ "2001:db8::5", "2001:db8::9", "2001:db8::1:2:3:4", 128, false },
	{ "fd00:99::1", "2001:db8::9", "2001:db8::1:2:3:4", 128, false },
	/* a /64 prefix: any address in it, no link-local */
	{ "2001:db8:0:7::42", "2001:db8::9", "2001:db8:0:7::", 64, true },
	{ "2001:db8:0:8::42", "2001:db8::9", "2001:db8:0:7::", 64, false },
	{ "fe80::42", "ff02::2", "2001:db8:0:7::", 64, false },
	/* a /112 */
	{ "2001:db8:0:7::1:42", "2001:db8::9", "2001:db8:0:7::1:0", 112, true },
	{ "2001:db8:0:7::2:42", "2001:db8::9", "2001:db8:0:7::1:0", 112, false },
	/* :: only towards a multicast group (DAD, MLD) */
	{ "::", "ff02::1:ff03:4", "fe80::1:2:3:4", 128, true },
	{ "::", "ff02::16", "2001:db8:0:7::", 64, true },
	{ "::", "2001:db8::9", "fe80::1:2:3:4", 128, false },
	{ "::", "fe80::9", "2001:db8:0:7::", 64, false },
};

static void src_case_desc(const struct src_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s -> %s, session %s/%u",
		 c->src, c->dst, c->pfx, c->plen);
}

KUNIT_ARRAY_PARAM(src, src_cases, src_case_desc);

static void ipv6_src_cases(struct kunit *test)
{
	const struct src_case *c = test->param_value;
	struct in6_addr src = a6(test, c->src), dst = a6(test, c->dst);
	struct in6_addr addr = a6(test, c->pfx), pfx;
	bool allowed;

	/*
	 * The session stores its prefix with the host bits cleared.
	 * (ipv6_addr_prefix() clears its destination first: not in place.)
	 */
	ipv6_addr_prefix(&pfx, &addr, c->plen);
	allowed = l2tpsec_ipv6_src_allowed(&src, &dst, &pfx, c->plen);
	KUNIT_EXPECT_EQ(test, allowed, c->allowed);
}

static struct kunit_case src_cases_list[] = {
	KUNIT_CASE_PARAM(ipv6_src_cases, src_gen_params),
	{}
};

static struct kunit_suite src_suite = {
	.name = "l2tpsec_inner_source",
	.test_cases = src_cases_list,
};

kunit_test_suites(&src_suite);
