// SPDX-License-Identifier: GPL-2.0
/*
 * ike-bench: an IKEv1 load generator built from l2tpsecd's own IKE code
 * (as initiator, without a module): keeps N Main Mode + Quick Mode
 * exchanges in flight against a responder, deletes each finished ISAKMP
 * SA and ESP pair (with DELETEs, so the responder frees them), and counts.
 *
 *   ike-bench --local A --target B --psk S [--proposal P] [--esp E]
 *             [--concurrency N] [--time S] [--phase1-only] [--keep N]
 *
 * Prints "exchanges N seconds S rate R/s failures F" (F: failures logged
 * as ike_fail() lines, all kinds). With --keep N it establishes N ISAKMP
 * SAs (phase 1 only), keeps them, prints "kept N" and waits for SIGTERM,
 * for memory measurements on the responder.
 *
 *   ike-bench --respond --local A --psk S [--proposal LIST] [--esp LIST]
 *
 * is the other end without a module: l2tpsecd's IKE as a responder whose
 * ESP SAs go nowhere (tools/bench-ike.sh --native runs the two natively in
 * two network namespaces). It prints "ready", runs until SIGTERM, then
 * prints "responder p1 N p2 N rx N tx N" and the failure count.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "ike/ike.h"
#include "ike/ike_int.h"
#include "log.h"
#include "loop.h"

#define MAX_TRACK	4096

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* What we did with each of our SAs, by serial. */
struct track {
	uint64_t	serial;
	bool		qm_started, counted;
};

static struct track tracks[MAX_TRACK];

static struct track *track_of(struct ike_sa *sa)
{
	struct track *free_slot = NULL;
	int i;

	for (i = 0; i < MAX_TRACK; i++) {
		if (tracks[i].serial == sa->serial)
			return &tracks[i];
		if (!tracks[i].serial && !free_slot)
			free_slot = &tracks[i];
	}
	if (free_slot) {
		memset(free_slot, 0, sizeof(*free_slot));
		free_slot->serial = sa->serial;
	}
	return free_slot;
}

static void untrack(struct ike_sa *sa)
{
	struct track *t = track_of(sa);

	if (t)
		t->serial = 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: ike-bench --local A --target B --psk S [--proposal P] [--esp E]\n"
		"                 [--concurrency N] [--time S] [--phase1-only] [--keep N]\n"
		"       ike-bench --respond --local A --psk S [--proposal LIST] [--esp LIST]\n");
	exit(2);
}

/* Failures logged so far: every ike_fail() line, repeats included. */
static uint64_t failures(const struct ike *ike)
{
	const struct ike_failure *f;
	uint64_t n = 0;
	size_t i, k;

	k = ike_failures(ike, &f);
	for (i = 0; i < k; i++)
		n += f[i].count;
	return n;
}

static int respond(const char *local, const char *psk, const char *prop,
		   const char *esp)
{
	struct config_loader *cfg;
	struct ike_counters c;
	struct loop *loop;
	struct ike *ike;
	char conf[1024];

	snprintf(conf, sizeof(conf),
		 "[ike]\nlisten = %s\npsk = %s\nproposals = %s\nesp = %s\n"
		 "retransmit-timeout = 3s\nretransmit-tries = 4\ndpd = no\n"
		 "max-half-open = 0\nlegacy = yes\n", local, psk, prop, esp);
	loop = loop_new();
	cfg = config_loader_new();
	ike = ike_new(loop, NULL);
	if (!loop || !cfg || !ike)
		return 1;
	ike_register_config(ike, cfg);
	if (config_load_string(cfg, "bench", conf) || ike_start(ike, NULL))
		return 1;
	printf("ready\n");
	fflush(stdout);
	while (!stop)
		loop_run_once(loop, 200);
	ike_get_counters(ike, &c);
	printf("responder p1 %llu p2 %llu rx %llu tx %llu failures %llu\n",
	       (unsigned long long)c.p1_established,
	       (unsigned long long)c.p2_established,
	       (unsigned long long)c.rx, (unsigned long long)c.tx,
	       (unsigned long long)failures(ike));
	ike->stopping = true;
	ike_free(ike);
	config_loader_free(cfg);
	loop_free(loop);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "local", required_argument, NULL, 'l' },
		{ "target", required_argument, NULL, 't' },
		{ "psk", required_argument, NULL, 'k' },
		{ "proposal", required_argument, NULL, 'p' },
		{ "esp", required_argument, NULL, 'e' },
		{ "concurrency", required_argument, NULL, 'c' },
		{ "time", required_argument, NULL, 'T' },
		{ "phase1-only", no_argument, NULL, '1' },
		{ "keep", required_argument, NULL, 'K' },
		{ "respond", no_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 },
	};
	const char *local = NULL, *target = NULL, *psk = NULL;
	const char *prop = "aes128-sha1-modp2048", *esp = "aes128-sha1";
	unsigned int conc = 8, secs = 20, keep = 0;
	bool p1only = false, responder = false;
	struct config_loader *cfg;
	struct loop *loop;
	struct ike *ike;
	struct ike_peer_conf *pc;
	char conf[1024];
	uint64_t start, end, done = 0, failed0;
	int opt;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'l': local = optarg; break;
		case 't': target = optarg; break;
		case 'k': psk = optarg; break;
		case 'p': prop = optarg; break;
		case 'e': esp = optarg; break;
		case 'c': conc = (unsigned int)atoi(optarg); break;
		case 'T': secs = (unsigned int)atoi(optarg); break;
		case '1': p1only = true; break;
		case 'K': keep = (unsigned int)atoi(optarg); p1only = true; break;
		case 'R': responder = true; break;
		default: usage();
		}
	}
	log_init("ike-bench", LOG_LVL_WARN, 0);
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	if (responder) {
		if (!local || !psk)
			usage();
		return respond(local, psk, prop, esp);
	}
	if (!local || !target || !psk || !conc || conc > MAX_TRACK / 2)
		usage();
	snprintf(conf, sizeof(conf),
		 "[ike]\nlisten = %s\nretransmit-timeout = 3s\nretransmit-tries = 4\n"
		 "initial-contact = no\ndpd = no\nmax-half-open = 0\nlegacy = yes\n"
		 "[peer target]\nremote = %s\npsk = %s\nproposals = %s\nesp = %s\n",
		 local, target, psk, prop, esp);
	loop = loop_new();
	cfg = config_loader_new();
	ike = ike_new(loop, NULL);
	if (!loop || !cfg || !ike)
		return 1;
	ike_register_config(ike, cfg);
	if (config_load_string(cfg, "bench", conf) || ike_start(ike, NULL))
		return 1;
	pc = ike->conf.peers;
	failed0 = failures(ike);
	start = loop_now_ms(loop);
	end = start + (uint64_t)secs * 1000;
	while (!stop && (keep || loop_now_ms(loop) < end)) {
		unsigned int inflight = 0;
		struct ike_sa *sa, *next;

		for (sa = ike->sas; sa; sa = next) {
			struct track *t = track_of(sa);
			struct ike_qm *qm;

			next = sa->lnext;
			if (!t) {
				inflight++;
				continue;
			}
			if (sa->state != P1_ESTABLISHED) {
				inflight++;
				continue;
			}
			if (p1only) {
				if (!t->counted) {
					t->counted = true;
					done++;
				}
				if (keep)
					continue;
				untrack(sa);
				ike_sa_delete(sa, true, "bench");
				continue;
			}
			if (!sa->qms && !t->qm_started) {
				t->qm_started = true;
				qm_initiate(sa, NULL);
			}
			t->qm_started = true;
			for (qm = sa->qms; qm; qm = qm->next)
				if (qm->initiator && qm->state == QM_DONE)
					break;
			if (!qm) {
				inflight++;
				continue;
			}
			/* Done: delete its ESP pair and itself. */
			done++;
			if (sa->rem) {
				struct ike_child *c;

				for (c = sa->rem->children; c; c = c->next)
					if (c->spi_in == qm->spi_in) {
						child_delete(c, true, "bench");
						break;
					}
			}
			untrack(sa);
			ike_sa_delete(sa, true, "bench");
		}
		if (keep && done >= keep) {
			printf("kept %llu\n", (unsigned long long)done);
			fflush(stdout);
			while (!stop)
				loop_run_once(loop, 200);
			break;
		}
		while (inflight < conc && (!keep || done + inflight < keep)) {
			struct ike_sa *n = NULL;

			if (mm_initiate(ike, pc, &n))
				break;
			inflight++;
		}
		loop_run_once(loop, 5);
	}
	{
		double s = (double)(loop_now_ms(loop) - start) / 1000.0;

		printf("exchanges %llu seconds %.1f rate %.1f/s failures %llu\n",
		       (unsigned long long)done, s, s > 0 ? (double)done / s : 0.0,
		       (unsigned long long)(failures(ike) - failed0));
	}
	ike->stopping = true;
	ike_free(ike);
	config_loader_free(cfg);
	loop_free(loop);
	return 0;
}
