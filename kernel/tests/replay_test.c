// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the ESP anti-replay window (kernel/replay.c, RFC 4303 3.4.3).
 *
 * Window sizes and their rounding, in-order and out-of-order arrival,
 * duplicates (-EEXIST), packets behind the window (-ERANGE), sequence
 * number 0 (-EINVAL), the exact window edges, jumps larger than the window
 * and sequence numbers at the top of the 32-bit space. Each scenario is
 * also replayed against a naive reference model (a set of every sequence
 * number seen) for every window size.
 */
#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/slab.h>

#include "l2tpsec.h"

static struct l2tpsec_replay *new_window(struct kunit *test, u32 size)
{
	struct l2tpsec_replay *rw;
	/* exactly the room the module gives the window: KASAN sees overruns */
	size_t len = struct_size(rw, bitmap, l2tpsec_replay_words(size));

	rw = kunit_kzalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, rw);
	/* init must not depend on the memory being zeroed */
	memset(rw, 0xa5, len);
	l2tpsec_replay_init(rw, size);
	return rw;
}

static void replay_init_sizes(struct kunit *test)
{
	static const struct { u32 req, want; } cases[] = {
		/* 0: the default */
		{ 0, L2TPSEC_REPLAY_WINDOW_DEFAULT },
		/* below one bitmap word: one word (documented as 32..4096) */
		{ 1, BITS_PER_LONG }, { 32, BITS_PER_LONG },
		{ 33, BITS_PER_LONG }, { 64, 64 }, { 65, 128 },
		{ 100, 128 }, { 128, 128 }, { 129, 256 }, { 1000, 1024 },
		{ 1024, 1024 }, { 1025, 2048 }, { 2048, 2048 },
		{ 2049, 4096 }, { 4095, 4096 }, { 4096, 4096 },
		/* above the maximum: clamped */
		{ 4097, L2TPSEC_REPLAY_WINDOW_MAX },
		{ 0xffffffff, L2TPSEC_REPLAY_WINDOW_MAX },
	};
	unsigned int i;

	KUNIT_ASSERT_EQ(test, L2TPSEC_REPLAY_WINDOW_DEFAULT, 1024);
	KUNIT_ASSERT_EQ(test, L2TPSEC_REPLAY_WINDOW_MAX, 4096);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct l2tpsec_replay *rw = new_window(test, cases[i].req);

		KUNIT_EXPECT_EQ_MSG(test, rw->size, cases[i].want,
				    "requested %u", cases[i].req);
		KUNIT_EXPECT_TRUE(test, is_power_of_2(rw->size));
		KUNIT_EXPECT_EQ(test, rw->top, 0);
		KUNIT_EXPECT_TRUE(test, bitmap_empty(rw->bitmap, rw->size));
	}
}

static void replay_seq_zero(struct kunit *test)
{
	struct l2tpsec_replay *rw = new_window(test, 64);

	KUNIT_EXPECT_EQ(test, l2tpsec_replay_check(rw, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_update(rw, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, rw->top, 0);
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_update(rw, 5), 0);
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_check(rw, 0), -EINVAL);
}

static void replay_in_order_and_duplicates(struct kunit *test)
{
	struct l2tpsec_replay *rw = new_window(test, 64);
	u32 s;

	for (s = 1; s <= 200; s++) {
		KUNIT_EXPECT_EQ(test, l2tpsec_replay_check(rw, s), 0);
		KUNIT_EXPECT_EQ(test, l2tpsec_replay_update(rw, s), 0);
		KUNIT_EXPECT_EQ(test, rw->top, s);
		KUNIT_EXPECT_EQ(test, l2tpsec_replay_check(rw, s), -EEXIST);
		KUNIT_EXPECT_EQ(test, l2tpsec_replay_update(rw, s), -EEXIST);
	}
	/* the last 64 are duplicates, anything older is behind the window */
	for (s = 200 - 63; s <= 200; s++)
		KUNIT_EXPECT_EQ(test, l2tpsec_replay_check(rw, s), -EEXIST);
	for (s = 1; s < 200 - 63; s++)
		KUNIT_EXPECT_EQ(test, l2tpsec_replay_check(rw, s), -ERANGE);
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_check(rw, 201), 0);
}

static void replay_out_of_order(struct kunit *test)
{
	static const u32 order[] = { 100, 90, 95, 99, 37, 101, 64, 98, 40 };
	struct l2tpsec_replay *rw = new_window(test, 64);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(order); i++)
		KUNIT_EXPECT_EQ_MSG(test, l2tpsec_replay_update(rw, order[i]),
				    0, "seq %u", order[i]);
	KUNIT_EXPECT_EQ(test, rw->top, 101);
	for (i = 0; i < ARRAY_SIZE(order); i++)
		if (order[i] != 37)
			KUNIT_EXPECT_EQ_MSG(test,
					    l2tpsec_replay_check(rw, order[i]),
					    -EEXIST, "seq %u", order[i]);
	/* never seen, still inside the window (101 - 63 = 38) */
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_check(rw, 38), 0);
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_check(rw, 39), 0);
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_check(rw, 97), 0);
	/* 37 was accepted while top was 100; now 101 - 37 = 64: too old */
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_check(rw, 37), -ERANGE);
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_update(rw, 37), -ERANGE);
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_update(rw, 38), 0);
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_update(rw, 38), -EEXIST);
}

/* Exactly size - 1 behind the top is accepted, size behind is not. */
static void replay_window_edges(struct kunit *test)
{
	static const u32 sizes[] = { 64, 128, 1024, 4096 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		u32 size = sizes[i], top = 3 * size + 17;
		struct l2tpsec_replay *rw = new_window(test, size);

		KUNIT_ASSERT_EQ(test, rw->size, size);
		KUNIT_EXPECT_EQ(test, l2tpsec_replay_update(rw, top), 0);
		KUNIT_EXPECT_EQ_MSG(test, l2tpsec_replay_check(rw, top - size),
				    -ERANGE, "size %u", size);
		KUNIT_EXPECT_EQ_MSG(test,
				    l2tpsec_replay_update(rw, top - size),
				    -ERANGE, "size %u", size);
		KUNIT_EXPECT_EQ_MSG(test,
				    l2tpsec_replay_update(rw, top - size + 1),
				    0, "size %u", size);
		KUNIT_EXPECT_EQ(test, l2tpsec_replay_update(rw, top - size + 1),
				-EEXIST);
		KUNIT_EXPECT_EQ(test, rw->top, top);
		/* sliding by one pushes top - size + 1 out */
		KUNIT_EXPECT_EQ(test, l2tpsec_replay_update(rw, top + 1), 0);
		KUNIT_EXPECT_EQ(test, l2tpsec_replay_check(rw, top - size + 1),
				-ERANGE);
		KUNIT_EXPECT_EQ(test, l2tpsec_replay_check(rw, top - size + 2),
				0);
		/* the top itself and its neighbour are duplicates */
		KUNIT_EXPECT_EQ(test, l2tpsec_replay_check(rw, top), -EEXIST);
		KUNIT_EXPECT_EQ(test, l2tpsec_replay_check(rw, top + 1),
				-EEXIST);
	}
}

/*
 * Slides of size - 1 and of size: the bits the window passes over must be
 * forgotten (a stale bit would make a new sequence number a "duplicate").
 */
static void replay_slides_forget_old_bits(struct kunit *test)
{
	struct l2tpsec_replay *rw = new_window(test, 64);
	u32 s;

	for (s = 1; s <= 64; s++)
		KUNIT_ASSERT_EQ(test, l2tpsec_replay_update(rw, s), 0);
	/* every bit is set; slide by 63: 65..126 must all be new */
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_update(rw, 127), 0);
	for (s = 65; s < 127; s++)
		KUNIT_EXPECT_EQ_MSG(test, l2tpsec_replay_check(rw, s), 0,
				    "seq %u after a slide of 63", s);
	/* 64 is exactly 63 behind and was seen */
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_check(rw, 64), -EEXIST);
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_check(rw, 63), -ERANGE);

	for (s = 65; s < 127; s++)
		KUNIT_ASSERT_EQ(test, l2tpsec_replay_update(rw, s), 0);
	/* slide by exactly the window size */
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_update(rw, 127 + 64), 0);
	for (s = 127 + 1; s < 127 + 64; s++)
		KUNIT_EXPECT_EQ_MSG(test, l2tpsec_replay_check(rw, s), 0,
				    "seq %u after a slide of 64", s);
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_check(rw, 127), -ERANGE);
}

static void replay_big_jump(struct kunit *test)
{
	struct l2tpsec_replay *rw = new_window(test, 1024);
	u32 s;

	for (s = 1; s <= 1024; s += 3)
		KUNIT_ASSERT_EQ(test, l2tpsec_replay_update(rw, s), 0);
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_update(rw, 1000000), 0);
	KUNIT_EXPECT_EQ(test, rw->top, 1000000);
	/* only the new top is set */
	KUNIT_EXPECT_EQ(test, bitmap_weight(rw->bitmap, rw->size), 1);
	for (s = 1000000 - 1023; s < 1000000; s++)
		KUNIT_EXPECT_EQ(test, l2tpsec_replay_check(rw, s), 0);
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_check(rw, 1000000 - 1024),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_check(rw, 1), -ERANGE);
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_check(rw, 1000000), -EEXIST);

	/* first packet far from 0 on a fresh window */
	rw = new_window(test, 64);
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_update(rw, 0x80000000), 0);
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_check(rw, 0x80000000 - 63), 0);
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_check(rw, 0x80000000 - 64),
			-ERANGE);
}

static void replay_top_of_sequence_space(struct kunit *test)
{
	struct l2tpsec_replay *rw = new_window(test, 64);

	KUNIT_EXPECT_EQ(test, l2tpsec_replay_update(rw, 0xfffffff0), 0);
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_update(rw, 0xfffffffe), 0);
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_update(rw, 0xfffffffe), -EEXIST);
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_check(rw, 0xffffffff), 0);
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_update(rw, 0xffffffff), 0);
	KUNIT_EXPECT_EQ(test, rw->top, 0xffffffff);
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_update(rw, 0xffffffff), -EEXIST);
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_update(rw, 0xfffffff1), 0);
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_check(rw, 0xfffffff0), -EEXIST);
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_check(rw, 0xffffffff - 63), 0);
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_check(rw, 0xffffffff - 64),
			-ERANGE);
	/* no ESN: the counter does not wrap; 0 stays invalid, 1 is ancient */
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_check(rw, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, l2tpsec_replay_check(rw, 1), -ERANGE);
	KUNIT_EXPECT_EQ(test, rw->top, 0xffffffff);
}

/*
 * A pseudo-random walk (fixed seed) compared with a reference model that
 * remembers every sequence number: for each window size the verdicts must
 * be identical.
 */
static int model_verdict(const unsigned long *seen, u32 top, u32 size,
			 u32 seq)
{
	if (!seq)
		return -EINVAL;
	if (seq > top)
		return 0;
	if (top - seq >= size)
		return -ERANGE;
	return test_bit(seq, seen) ? -EEXIST : 0;
}

static void replay_against_model(struct kunit *test)
{
	static const u32 sizes[] = { 64, 128, 256, 512, 1024, 2048, 4096 };
	const u32 span = 1U << 22;	/* sequence numbers the model tracks */
	unsigned int i, n;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct l2tpsec_replay *rw = new_window(test, sizes[i]);
		u32 x = 0x12345678 + i, top = 0, mismatches = 0, size;
		unsigned long *seen;

		size = rw->size;
		KUNIT_ASSERT_EQ(test, size, sizes[i]);
		seen = kvcalloc(BITS_TO_LONGS(span), sizeof(long), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, seen);
		for (n = 0; n < 8000; n++) {
			u32 seq, k;
			int want, got;

			x = x * 1103515245 + 12345;	/* LCG, fixed seed */
			k = x >> 12;
			switch ((x >> 7) % 32) {
			case 0:		/* beyond the window */
				seq = top + size + k % size;
				break;
			case 1 ... 3:	/* a jump within the window */
				seq = top + 1 + k % size;
				break;
			case 4 ... 17:	/* just ahead */
				seq = top + 1 + k % 4;
				break;
			default:	/* at or behind the top */
				k %= size + 8;
				seq = k >= top ? 0 : top - k;
			}
			if (seq >= span)
				break;
			want = model_verdict(seen, top, size, seq);
			got = l2tpsec_replay_update(rw, seq);
			if (got != want && mismatches++ < 5)
				KUNIT_FAIL(test, "size %u step %u seq %u top %u: got %d want %d",
					   size, n, seq, top, got, want);
			if (!want) {
				__set_bit(seq, seen);
				if (seq > top)
					top = seq;
			}
		}
		kvfree(seen);
		KUNIT_EXPECT_EQ_MSG(test, n, 8000, "size %u: ran out of span",
				    size);
		KUNIT_EXPECT_EQ_MSG(test, mismatches, 0, "size %u", size);
		KUNIT_EXPECT_EQ(test, rw->top, top);
	}
}

static struct kunit_case replay_cases[] = {
	KUNIT_CASE(replay_init_sizes),
	KUNIT_CASE(replay_seq_zero),
	KUNIT_CASE(replay_in_order_and_duplicates),
	KUNIT_CASE(replay_out_of_order),
	KUNIT_CASE(replay_window_edges),
	KUNIT_CASE(replay_slides_forget_old_bits),
	KUNIT_CASE(replay_big_jump),
	KUNIT_CASE(replay_top_of_sequence_space),
	KUNIT_CASE(replay_against_model),
	{}
};

static struct kunit_suite replay_suite = {
	.name = "l2tpsec_replay",
	.test_cases = replay_cases,
};

kunit_test_suites(&replay_suite);
