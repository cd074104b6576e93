// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsec: ESP anti-replay window (RFC 4303 3.4.3), without ESN.
 *
 * A circular bitmap indexed by sequence number modulo the window size (a
 * power of two), in the spirit of RFC 6479: sliding the window clears the
 * bits it passes over, and a jump of a whole window clears the bitmap at
 * once; nothing is ever shifted. The caller serialises
 * l2tpsec_replay_update() (the SA's replay lock); l2tpsec_replay_check() is
 * a cheap early test done before decryption, repeated by the update after
 * the ICV has been verified.
 */
#include <linux/bitops.h>
#include <linux/kernel.h>
#include <linux/log2.h>

#include "l2tpsec.h"

u32 l2tpsec_replay_size(u32 size)
{
	if (!size)
		size = L2TPSEC_REPLAY_WINDOW_DEFAULT;
	size = clamp_t(u32, size, BITS_PER_LONG, L2TPSEC_REPLAY_WINDOW_MAX);
	return roundup_pow_of_two(size);
}

void l2tpsec_replay_init(struct l2tpsec_replay *rw, u32 size)
{
	rw->size = l2tpsec_replay_size(size);
	rw->top = 0;
	bitmap_zero(rw->bitmap, rw->size);
}

/* The size is a power of two, so the modulo is a mask. */
static unsigned int replay_bit(const struct l2tpsec_replay *rw, u32 seq)
{
	return seq & (rw->size - 1);
}

int l2tpsec_replay_check(const struct l2tpsec_replay *rw, u32 seq)
{
	if (unlikely(!seq))
		return -EINVAL;
	if (seq > rw->top)
		return 0;
	if (rw->top - seq >= rw->size)
		return -ERANGE;
	if (test_bit(replay_bit(rw, seq), rw->bitmap))
		return -EEXIST;
	return 0;
}

int l2tpsec_replay_update(struct l2tpsec_replay *rw, u32 seq)
{
	int err;

	err = l2tpsec_replay_check(rw, seq);
	if (err)
		return err;

	if (seq > rw->top) {
		u32 diff = seq - rw->top;

		if (diff >= rw->size) {
			bitmap_zero(rw->bitmap, rw->size);
		} else {
			u32 s;

			/* Forget the sequence numbers the window slides past. */
			for (s = rw->top + 1; s != seq; s++)
				__clear_bit(replay_bit(rw, s), rw->bitmap);
			__clear_bit(replay_bit(rw, seq), rw->bitmap);
		}
		rw->top = seq;
	}
	__set_bit(replay_bit(rw, seq), rw->bitmap);
	return 0;
}
