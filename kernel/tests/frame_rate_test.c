// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the per-peer token bucket that limits control frames to the
 * daemon (kernel/frame_rate.c, l2tpsec_bucket_take()), driven by a clock
 * of the test's own.
 *
 * A new bucket lets a burst through and then nothing until it refills;
 * the refill follows the rate exactly, never beyond the burst, and is not
 * fooled by a clock that goes back or by a very long pause. The case the
 * limit exists for: one peer floods (LCP for unknown sessions), another
 * peer's frames still all pass.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/time64.h>

#include "l2tpsec.h"

#define T0	(5 * NSEC_PER_SEC)

static unsigned int take_n(struct l2tpsec_bucket *b, u64 now, u32 rate,
			   u32 burst, unsigned int n)
{
	unsigned int ok = 0;

	while (n--)
		ok += l2tpsec_bucket_take(b, now, rate, burst);
	return ok;
}

static void bucket_burst_then_empty(struct kunit *test)
{
	struct l2tpsec_bucket b = {};

	KUNIT_EXPECT_EQ(test, take_n(&b, T0, 10, 20, 100), 20U);
	KUNIT_EXPECT_FALSE(test, l2tpsec_bucket_take(&b, T0, 10, 20));
}

static void bucket_refills_at_rate(struct kunit *test)
{
	struct l2tpsec_bucket b = {};
	u64 now = T0;
	unsigned int ok = 0;
	int i;

	take_n(&b, now, 10, 20, 20);
	/* 0.1 s at 10/s: exactly one token, not before */
	KUNIT_EXPECT_FALSE(test, l2tpsec_bucket_take(&b, now + 99999999, 10,
						     20));
	KUNIT_EXPECT_TRUE(test, l2tpsec_bucket_take(&b, now + 100000000, 10,
						    20));
	KUNIT_EXPECT_FALSE(test, l2tpsec_bucket_take(&b, now + 100000000, 10,
						     20));
	/* ten seconds of a sender at 1000/s: 10/s get through */
	for (i = 1; i <= 10000; i++)
		ok += l2tpsec_bucket_take(&b, now + 100000000 +
					  (u64)i * NSEC_PER_MSEC, 10, 20);
	KUNIT_EXPECT_EQ(test, ok, 100U);
}

static void bucket_never_above_burst(struct kunit *test)
{
	struct l2tpsec_bucket b = {};

	take_n(&b, T0, 10, 20, 20);
	/* an hour, and a century, of silence refill the burst, no more */
	KUNIT_EXPECT_EQ(test, take_n(&b, T0 + 3600 * NSEC_PER_SEC, 10, 20,
				     100), 20U);
	KUNIT_EXPECT_EQ(test, take_n(&b, U64_MAX - 1, 4000000000U, 20, 100),
			20U);
}

static void bucket_burst_lowered(struct kunit *test)
{
	struct l2tpsec_bucket b = {};

	/* full at 20; a burst lowered at run time caps what had been saved */
	KUNIT_EXPECT_EQ(test, take_n(&b, T0, 10, 20, 1), 1U);
	KUNIT_EXPECT_EQ(test, take_n(&b, T0, 10, 5, 100), 5U);
}

static void bucket_clock_back(struct kunit *test)
{
	struct l2tpsec_bucket b = {};

	take_n(&b, T0, 10, 20, 20);
	KUNIT_EXPECT_EQ(test, take_n(&b, T0 - NSEC_PER_SEC, 10, 20, 10), 0U);
	/* from the earlier time on, refills count again */
	KUNIT_EXPECT_EQ(test, take_n(&b, T0, 10, 20, 100), 10U);
}

static void bucket_rate_zero_no_limit(struct kunit *test)
{
	struct l2tpsec_bucket b = {};

	KUNIT_EXPECT_EQ(test, take_n(&b, T0, 0, 20, 100000), 100000U);
	/* a burst of 0 still lets one frame through per token */
	KUNIT_EXPECT_EQ(test, take_n(&b, T0, 10, 0, 100), 1U);
}

/* A peer floods, another peer's frames must all pass. */
static void bucket_flood_spares_other_peer(struct kunit *test)
{
	struct l2tpsec_bucket flood = {}, victim = {};
	unsigned int passed = 0, victim_ok = 0;
	u64 now;
	int i;

	/* 5 s: the flooder sends 100 frames per ms, the victim one per 50 ms */
	for (i = 0; i < 5000; i++) {
		now = T0 + (u64)i * NSEC_PER_MSEC;
		passed += take_n(&flood, now,
				 L2TPSEC_FRAME_RATE_DEFAULT,
				 L2TPSEC_FRAME_BURST_DEFAULT, 100);
		if (i % 50 == 0)
			victim_ok += l2tpsec_bucket_take(&victim, now,
						L2TPSEC_FRAME_RATE_DEFAULT,
						L2TPSEC_FRAME_BURST_DEFAULT);
	}
	/* burst + 5 s at the rate (the last ms refilled, not spent) */
	KUNIT_EXPECT_LE(test, passed, L2TPSEC_FRAME_BURST_DEFAULT +
			5 * L2TPSEC_FRAME_RATE_DEFAULT);
	KUNIT_EXPECT_GE(test, passed, L2TPSEC_FRAME_BURST_DEFAULT +
			4 * L2TPSEC_FRAME_RATE_DEFAULT);
	KUNIT_EXPECT_EQ(test, victim_ok, 100U);
}

static struct kunit_case frame_rate_cases[] = {
	KUNIT_CASE(bucket_burst_then_empty),
	KUNIT_CASE(bucket_refills_at_rate),
	KUNIT_CASE(bucket_never_above_burst),
	KUNIT_CASE(bucket_burst_lowered),
	KUNIT_CASE(bucket_clock_back),
	KUNIT_CASE(bucket_rate_zero_no_limit),
	KUNIT_CASE(bucket_flood_spares_other_peer),
	{}
};

static struct kunit_suite frame_rate_suite = {
	.name = "l2tpsec_frame_rate",
	.test_cases = frame_rate_cases,
};

kunit_test_suites(&frame_rate_suite);
