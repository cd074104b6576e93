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

/*
 * Why a peer's last ESP SA pair went, as IKE knows it (the L2TP half maps
 * each to a session end reason; the text passed along is the detail).
 */
enum ike_down_reason {
	IKE_DOWN_PEER_DELETE,	/* the peer sent a DELETE (or INITIAL-CONTACT) */
	IKE_DOWN_EXPIRED,	/* hard lifetime, the peer did not rekey */
	IKE_DOWN_REKEY_FAILED,	/* hard lifetime, our own rekey did not complete */
	IKE_DOWN_DPD,		/* Dead Peer Detection gave the peer up */
	IKE_DOWN_ADMIN,		/* an administrator removed it */
	IKE_DOWN_SHUTDOWN,	/* the daemon is stopping */
	IKE_DOWN_LOCAL_ERROR,	/* the module refused an SA, no memory */
	IKE_DOWN_MAX,
};

/* "peer delete", "expired", ... for log lines and tests. */
static inline const char *ike_down_reason_name(enum ike_down_reason r)
{
	static const char *const names[IKE_DOWN_MAX] = {
		[IKE_DOWN_PEER_DELETE]	= "peer delete",
		[IKE_DOWN_EXPIRED]	= "expired",
		[IKE_DOWN_REKEY_FAILED]	= "rekey failed",
		[IKE_DOWN_DPD]		= "dead peer",
		[IKE_DOWN_ADMIN]	= "admin",
		[IKE_DOWN_SHUTDOWN]	= "shutdown",
		[IKE_DOWN_LOCAL_ERROR]	= "local error",
	};

	return (unsigned int)r < IKE_DOWN_MAX && names[r] ? names[r] : "?";
}

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
	 * deleted right after this returns. @reason says why, @why is IKE's
	 * own text ("deleted by the peer", "dead peer (DPD)"...). */
	void (*peer_down)(void *arg, uint32_t peer_id,
			  enum ike_down_reason reason, const char *why);
	void *arg;
};

struct ike *ike_new(struct loop *loop, const struct ike_hooks *hooks);
void ike_free(struct ike *ike);
/* Registers [ike] and [peer NAME]. */
void ike_register_config(struct ike *ike, struct config_loader *l);

/*
 * A configuration of its own, for a reload or --check-config: defaults,
 * then ike_conf_register() and config_load() fill it.
 */
struct ike_conf;
struct ike_conf *ike_conf_new(void);
void ike_conf_destroy(struct ike_conf *c);
void ike_conf_register(struct config_loader *l, struct ike_conf *c);
/*
 * --check-config: certificate, key, ca and crl readable and valid, the
 * key the certificate's, the certificate within its dates (a warning
 * when not). 0, or the number of errors, each logged.
 */
int ike_conf_check(const struct ike_conf *c);
/* The name of the @i-th [peer] with initiate = yes, or NULL past the last. */
const char *ike_conf_initiator(const struct ike_conf *c, unsigned int i);
/*
 * Reload (SIGHUP) in two steps, as l2tp.h's: prepare checks @nc as the
 * start would (credentials loaded beside the running ones) and names in
 * one line each what needs a restart (listen, port, natt-port keep their
 * running values); NULL: refused, logged, nothing changed. Commit
 * applies the rest for new negotiations: PSKs, peers, proposals, ids,
 * lifetimes, timers, limits, credentials; established SAs keep their
 * keys, a removed [peer]'s SAs live on until they end. @nc is emptied.
 */
struct ike_reload;
struct ike_reload *ike_reload_prepare(struct ike *ike, struct ike_conf *nc);
void ike_reload_commit(struct ike *ike, struct ike_reload *r);
void ike_reload_abort(struct ike_reload *r);
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

/* The ESP SA pair a module peer sends on, for `l2tpsec who`. */
struct ike_esp_info {
	uint8_t		cipher;		/* enum l2tpsec_cipher */
	uint8_t		integ;		/* enum l2tpsec_integ */
	uint8_t		icv_len;	/* bytes */
	uint16_t	key_bits;	/* encryption key, salt excluded */
};

/* 0, or -ENOENT when IKE has no SA pair for @peer_id. */
int ike_peer_esp(const struct ike *ike, uint32_t peer_id,
		 struct ike_esp_info *out);

/*
 * NAT traversal of a module peer, for `l2tpsec diagnose`: ESP-in-UDP or
 * not, who is behind a NAT, and the keepalives we send (0xFF on UDP
 * 4500 when we are behind it; the peer's are taken by the module and not
 * counted).
 */
struct ike_natt_info {
	bool		udp_encap;
	bool		nat_local, nat_remote;
	uint32_t	keepalive_s;		/* 0: we send none */
	uint64_t	keepalives_sent;
};

/* 0, or -ENOENT when IKE has no such peer. */
int ike_peer_natt(const struct ike *ike, uint32_t peer_id,
		  struct ike_natt_info *out);

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
	uint64_t	drop_frag;	/* fragments refused or expired */
	uint64_t	drop_limit;	/* refused by a per-source limit */
	uint64_t	dh_responder;	/* phase 1 DH computations */
	uint64_t	p1_established, p2_established;
	uint64_t	ike_sas, children;	/* current */
};
void ike_get_counters(const struct ike *ike, struct ike_counters *c);

#endif
