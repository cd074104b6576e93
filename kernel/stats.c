// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsec: counters shared by devices, peers, SAs and sessions.
 *
 * Traffic (RX/TX packets and bytes) is counted per CPU. Drops and errors
 * are counted in one array of atomics per object, allocated at the first
 * drop: most peers, SAs and sessions never see one, and per-CPU memory
 * for sixteen counters per object grew with the number of CPUs
 * (128 bytes per CPU per object; now 32).
 */
#include <linux/atomic.h>
#include <linux/percpu.h>
#include <linux/slab.h>

#include "l2tpsec.h"

static atomic_long_t *counters_alloc_rare(gfp_t gfp)
{
	return kcalloc(L2TPSEC_STAT_RARE_NUM, sizeof(atomic_long_t), gfp);
}

int l2tpsec_counters_init(struct l2tpsec_counters *c, gfp_t gfp,
			  bool rare_now)
{
	int cpu;

	c->rare = NULL;
	if (rare_now) {
		c->rare = counters_alloc_rare(gfp);
		if (!c->rare)
			return -ENOMEM;
	}
	c->pcpu = alloc_percpu_gfp(struct l2tpsec_pcpu_counters, gfp);
	if (!c->pcpu) {
		kfree(c->rare);
		c->rare = NULL;
		return -ENOMEM;
	}
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(c->pcpu, cpu)->syncp);
	return 0;
}

void l2tpsec_counters_free(struct l2tpsec_counters *c)
{
	free_percpu(c->pcpu);
	c->pcpu = NULL;
	kfree(c->rare);
	c->rare = NULL;
}

/*
 * The drop counters of @c, allocated now if this is the first drop.
 * Counting runs in softirq, process context and crypto completions, so
 * the allocation is atomic; two CPUs racing install one array and the
 * loser frees its own. NULL only when that allocation failed: the caller
 * loses this one count on this object (the device, whose array exists
 * from the start, still has it).
 */
static atomic_long_t *counters_rare(struct l2tpsec_counters *c)
{
	atomic_long_t *rare = READ_ONCE(c->rare), *old;

	if (likely(rare))
		return rare;
	rare = counters_alloc_rare(GFP_ATOMIC | __GFP_NOWARN);
	if (!rare)
		return NULL;
	/* cmpxchg() orders the zeroing before the pointer is seen. */
	old = cmpxchg(&c->rare, NULL, rare);
	if (old) {
		kfree(rare);
		return old;
	}
	return rare;
}

void l2tpsec_count(struct l2tpsec_counters *c, enum l2tpsec_stat stat, u64 n)
{
	struct l2tpsec_pcpu_counters *pc;
	unsigned long flags;

	if (stat >= L2TPSEC_STAT_TRAFFIC_NUM) {
		atomic_long_t *rare = counters_rare(c);

		if (rare)
			atomic_long_add(n, &rare[stat - L2TPSEC_STAT_TRAFFIC_NUM]);
		else
			net_dbg_ratelimited("l2tpsec: no memory for drop counters, one count of %d lost\n",
					    stat);
		return;
	}

	/* Called from softirq, process context and crypto completions. */
	pc = get_cpu_ptr(c->pcpu);
	flags = u64_stats_update_begin_irqsave(&pc->syncp);
	u64_stats_add(&pc->val[stat], n);
	u64_stats_update_end_irqrestore(&pc->syncp, flags);
	put_cpu_ptr(c->pcpu);
}

void l2tpsec_counters_read(const struct l2tpsec_counters *c,
			   u64 out[L2TPSEC_STAT_NUM])
{
	const atomic_long_t *rare = READ_ONCE(c->rare);
	int cpu, i;

	memset(out, 0, sizeof(u64) * L2TPSEC_STAT_NUM);
	for_each_possible_cpu(cpu) {
		const struct l2tpsec_pcpu_counters *pc = per_cpu_ptr(c->pcpu, cpu);
		u64 snap[L2TPSEC_STAT_TRAFFIC_NUM];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&pc->syncp);
			for (i = 0; i < L2TPSEC_STAT_TRAFFIC_NUM; i++)
				snap[i] = u64_stats_read(&pc->val[i]);
		} while (u64_stats_fetch_retry(&pc->syncp, start));

		for (i = 0; i < L2TPSEC_STAT_TRAFFIC_NUM; i++)
			out[i] += snap[i];
	}
	if (rare)
		for (i = 0; i < L2TPSEC_STAT_RARE_NUM; i++)
			out[L2TPSEC_STAT_TRAFFIC_NUM + i] =
				(unsigned long)atomic_long_read(&rare[i]);
}
