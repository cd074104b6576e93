// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsec: per-CPU counters shared by devices, peers, SAs and sessions.
 */
#include <linux/percpu.h>

#include "l2tpsec.h"

int l2tpsec_counters_init(struct l2tpsec_counters *c, gfp_t gfp)
{
	int cpu;

	c->pcpu = alloc_percpu_gfp(struct l2tpsec_pcpu_counters, gfp);
	if (!c->pcpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(c->pcpu, cpu)->syncp);
	return 0;
}

void l2tpsec_counters_free(struct l2tpsec_counters *c)
{
	free_percpu(c->pcpu);
	c->pcpu = NULL;
}

void l2tpsec_count(struct l2tpsec_counters *c, enum l2tpsec_stat stat, u64 n)
{
	struct l2tpsec_pcpu_counters *pc;
	unsigned long flags;

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
	int cpu, i;

	memset(out, 0, sizeof(u64) * L2TPSEC_STAT_NUM);
	for_each_possible_cpu(cpu) {
		const struct l2tpsec_pcpu_counters *pc = per_cpu_ptr(c->pcpu, cpu);
		u64 snap[L2TPSEC_STAT_NUM];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&pc->syncp);
			for (i = 0; i < L2TPSEC_STAT_NUM; i++)
				snap[i] = u64_stats_read(&pc->val[i]);
		} while (u64_stats_fetch_retry(&pc->syncp, start));

		for (i = 0; i < L2TPSEC_STAT_NUM; i++)
			out[i] += snap[i];
	}
}
