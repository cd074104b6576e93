// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsec: control frames to the daemon, rate-limited per peer.
 *
 * L2TP control messages, PPP control protocols and early LCP for sessions
 * the module does not know go to the daemon's netlink socket. One peer
 * that holds an SA (a shared group PSK is enough) could otherwise send
 * them as fast as it can encrypt and fill that socket, so that the frames
 * and SA events of every other client are lost. Each peer has a token
 * bucket: frame_rate frames per second on average, up to frame_burst at
 * once; past it the frame is dropped and counted in frame_rate_drops (the
 * peer's and the device's), and one line says so at the start of each
 * episode. Documentation/datapath.rst has the defaults.
 */
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/spinlock.h>
#include <linux/time64.h>
#include <linux/timekeeping.h>

#include "l2tpsec.h"

static unsigned int frame_rate __read_mostly = L2TPSEC_FRAME_RATE_DEFAULT;
module_param(frame_rate, uint, 0644);
MODULE_PARM_DESC(frame_rate,
		 "control frames per second per peer to the daemon, 0 = no limit (default "
		 __stringify(L2TPSEC_FRAME_RATE_DEFAULT) ")");
static unsigned int frame_burst __read_mostly = L2TPSEC_FRAME_BURST_DEFAULT;
module_param(frame_burst, uint, 0644);
MODULE_PARM_DESC(frame_burst,
		 "control frames per peer to the daemon at once (default "
		 __stringify(L2TPSEC_FRAME_BURST_DEFAULT) ")");

/*
 * One token per frame, kept in nanoseconds of refill at one token per
 * second (a token is NSEC_PER_SEC units), so that the refill is an exact
 * integer product. Pure: KUnit (kernel/tests/frame_rate_test.c) drives it
 * with its own clock. A bucket never used starts full.
 */
bool l2tpsec_bucket_take(struct l2tpsec_bucket *b, u64 now_ns, u32 rate,
			 u32 burst)
{
	u64 cap = (u64)max(burst, 1U) * NSEC_PER_SEC;
	u64 elapsed;

	if (!rate)
		return true;
	if (!b->primed) {
		b->primed = true;
		b->tokens = cap;
	} else {
		/* a clock that went back refills nothing */
		elapsed = now_ns > b->last_ns ? now_ns - b->last_ns : 0;
		/* elapsed * rate would overflow long after the bucket is full */
		if (elapsed >= div_u64(cap, rate))
			b->tokens = cap;
		else
			b->tokens = min(cap, b->tokens + elapsed * rate);
	}
	b->last_ns = now_ns;
	if (b->tokens < NSEC_PER_SEC)
		return false;
	b->tokens -= NSEC_PER_SEC;
	return true;
}

bool l2tpsec_peer_frame_allowed(struct l2tpsec_peer *peer)
{
	u32 rate = READ_ONCE(frame_rate), burst = READ_ONCE(frame_burst);
	struct l2tpsec_dev *ldev = peer->ldev;
	unsigned long flags;
	bool ok, log;

	/* RX runs in softirq and, with some crypto drivers, hard IRQ. */
	spin_lock_irqsave(&peer->frame_lock, flags);
	ok = l2tpsec_bucket_take(&peer->frame_bucket, ktime_get_ns(), rate,
				 burst);
	/*
	 * One line per episode: it starts with the first drop and ends only
	 * when the bucket has filled up again (the peer slowed down for
	 * burst/rate seconds), not whenever a refilled token lets one frame
	 * through.
	 */
	log = !ok && !peer->frame_limited;
	if (!ok)
		peer->frame_limited = true;
	else if (peer->frame_bucket.tokens + NSEC_PER_SEC >=
		 (u64)max(burst, 1U) * NSEC_PER_SEC)
		peer->frame_limited = false;
	spin_unlock_irqrestore(&peer->frame_lock, flags);
	if (ok)
		return true;

	l2tpsec_count(&peer->stats, L2TPSEC_STAT_FRAME_RATE_DROPS, 1);
	l2tpsec_count(&ldev->stats, L2TPSEC_STAT_FRAME_RATE_DROPS, 1);
	if (log)
		net_warn_ratelimited("%s: peer %u: control frames to the daemon over %u/s (burst %u): dropped and counted in frame_rate_drops until it slows down (module parameters frame_rate, frame_burst)\n",
				     ldev->dev->name, peer->id, rate, burst);
	return false;
}
