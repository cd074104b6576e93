/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd: the IKEv1 half, as the rest of the daemon sees it.
 *
 * main.c makes one struct ike, registers its configuration sections
 * ([ike], [peer NAME]), starts it once the module is open, hands it the
 * module's events, and learns through struct ike_hooks when a peer's ESP
 * SAs are up (an L2TP tunnel can come) and when they are gone.
 */
#ifndef L2TPSECD_IKE_H
#define L2TPSECD_IKE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct loop;
struct kmod;
struct config_loader;
struct l2_event;
struct ike;

struct ike_hooks {
	/*
	 * The first ESP SA pair of a peer is in the module: @peer_id names
	 * it there (kmod peer), @remote is its outer address and port,
	 * @l2tp_port the peer's inner UDP port its selectors allow (0: any).
	 * @initiator: we started the exchange (we are the LAC side).
	 */
	void (*peer_up)(void *arg, uint32_t peer_id,
			const struct sockaddr_in *remote, uint16_t l2tp_port,
			bool initiator, const char *conf_name);
	/* Its last SA is gone (deleted, expired, dead peer, shutdown): its
	 * SAs are out of the module; the kmod peer, with its sessions, is
	 * deleted right after this returns. */
	void (*peer_down)(void *arg, uint32_t peer_id, const char *why);
	void *arg;
};

struct ike *ike_new(struct loop *loop, const struct ike_hooks *hooks);
void ike_free(struct ike *ike);
/* Registers [ike] and [peer NAME]. */
void ike_register_config(struct ike *ike, struct config_loader *l);
/*
 * Load keys and certificates, open UDP 500 and 4500, hand 4500 to the
 * module (when @kmod), start the connections we initiate. 0 or -errno,
 * with the reason logged.
 */
int ike_start(struct ike *ike, struct kmod *kmod);
/* Tell every peer we go (DELETE), remove our SAs from the module. */
void ike_shutdown(struct ike *ike);
/* An event of the module (SA expiry, first use, peer float). */
void ike_kmod_event(struct ike *ike, const struct l2_event *ev);

/* Why negotiations with a peer failed: one record per peer address. */
enum ike_fail_kind {
	IKE_FAIL_NONE,
	IKE_FAIL_NO_PROPOSAL,	/* phase 1 or 2 */
	IKE_FAIL_PSK,		/* pre-shared key mismatch */
	IKE_FAIL_ID,		/* unknown or mismatched ID */
	IKE_FAIL_CERT,		/* untrusted, expired, not yet valid */
	IKE_FAIL_SELECTOR,	/* phase 2 traffic selectors */
	IKE_FAIL_SILENT,	/* peer silent after our reply */
	IKE_FAIL_NAT,		/* NAT, but no NAT-T */
	IKE_FAIL_PEER,		/* the peer refused (its notification) */
	IKE_FAIL_AGGRESSIVE,	/* Aggressive Mode refused */
	IKE_FAIL_DPD,		/* peer dead */
	IKE_FAIL_KERNEL,	/* the module refused an SA */
	IKE_FAIL_PROTOCOL,	/* anything else the peer got wrong */
	IKE_FAIL_MAX,
};

struct ike_failure {
	struct sockaddr_in	peer;		/* the last port seen */
	time_t			when;		/* wall clock */
	enum ike_fail_kind	kind;
	unsigned int		count;		/* failures of this peer */
	char			text[1000];	/* the log line, without "ike PEER: " */
};

const char *ike_fail_name(enum ike_fail_kind kind);
/* The records, newest first; the pointer stays valid until the next event. */
size_t ike_failures(const struct ike *ike, const struct ike_failure **out);

/* Counters, for tests and a future status command. */
struct ike_counters {
	uint64_t	rx, tx, retransmits, dup_rx;
	uint64_t	drop_malformed, drop_unknown_sa, drop_decrypt,
			drop_state, drop_other;
	uint64_t	p1_established, p2_established;
	uint64_t	ike_sas, children;	/* current */
};
void ike_get_counters(const struct ike *ike, struct ike_counters *c);

#endif
