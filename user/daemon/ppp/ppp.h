/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd: PPP control for one L2TP session (RFC 1661, 1332, 1877, 1994,
 * 2759, 1334, 5072): LCP, PAP, CHAP-MD5, MS-CHAPv2, IPCP, IPV6CP, as the
 * authenticating server or as the client.
 *
 * Pure protocol logic. Packets in and out are PPP packets without
 * address/control: 2-byte protocol number, then the information field
 * (the module strips and adds FF 03 and compression). Timers are loop.h
 * timers. Everything the link needs from outside (sending, secrets,
 * addresses, telling the module) goes through struct ppp_ops.
 *
 * The link ends exactly once, through ops->down(reason, detail); after
 * that the owner frees it with ppp_link_free(). ppp_link_free() on a live
 * link ends it silently (the L2TP session is already gone).
 */
#ifndef L2TPSECD_PPP_H
#define L2TPSECD_PPP_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "end_reason.h"

struct loop;
struct ppp_link;

#define PPP_LCP		0xc021
#define PPP_PAP		0xc023
#define PPP_CHAP	0xc223
#define PPP_IPCP	0x8021
#define PPP_IPV6CP	0x8057
#define PPP_CCP		0x80fd
#define PPP_IP		0x0021
#define PPP_IPV6	0x0057

#define PPP_MAX_NAME	64
#define PPP_MAX_SECRET	128

/* Authentication protocols, also the bits of ppp_cfg.auth. */
enum ppp_auth {
	PPP_AUTH_NONE		= 0,
	PPP_AUTH_PAP		= 1,
	PPP_AUTH_CHAP_MD5	= 2,
	PPP_AUTH_MSCHAPV2	= 4,
};
const char *ppp_auth_name(enum ppp_auth a);

struct ppp_cfg {
	bool		server;		/* authenticate the peer, assign addresses */
	uint16_t	mru;		/* ours; 1500 is not announced */
	/* Allowed protocols in preference order (0-terminated). */
	enum ppp_auth	auth[4];
	bool		acfc, pfc;	/* offer/accept compression */
	uint32_t	echo_interval_s;	/* 0: no keepalive */
	uint32_t	echo_failures;
	uint32_t	restart_ms;		/* 3000 */
	uint32_t	max_configure;		/* 10 */
	uint32_t	max_terminate;		/* 2 */
	uint32_t	max_failure;		/* 5 */
	uint32_t	auth_timeout_s;		/* 30 */
	bool		ipv6;			/* run IPV6CP */
	/* server */
	char		name[PPP_MAX_NAME + 1];	/* our CHAP name */
	struct in_addr	local_ipv4;
	struct in_addr	dns[2], nbns[2];	/* 0: none */
	/* client */
	char		user[PPP_MAX_NAME + 1];
	char		password[PPP_MAX_SECRET + 1];
	bool		want_dns;
	/*
	 * Accept a server that asks for no authentication ([lac] auth
	 * lists "none"): it proves nothing about itself.
	 */
	bool		auth_none;
};

void ppp_cfg_defaults(struct ppp_cfg *cfg);

/* What LCP agreed, for the module's session options. */
struct ppp_lcp_info {
	uint16_t	peer_mru;	/* what we may send */
	bool		peer_acfc;	/* we may omit FF 03 */
	bool		peer_pfc;	/* we may send 1-byte protocols */
	enum ppp_auth	auth;		/* negotiated authentication */
};

struct ppp_ipcp_info {
	struct in_addr	local, peer;
	struct in_addr	dns[2], nbns[2];	/* what the peer got / we got */
};

/* Server: credentials to be checked elsewhere (RADIUS); see ops->verify. */
struct ppp_verify_req {
	enum ppp_auth	proto;
	const char	*user;
	uint8_t		id;		/* of the PAP Request / CHAP Response */
	const uint8_t	*password;	/* PAP */
	size_t		password_len;
	const uint8_t	*challenge;	/* CHAP-MD5, MS-CHAPv2: the one we sent */
	size_t		challenge_len;
	/* CHAP-MD5: the 16-byte hash; MS-CHAPv2: the 49-byte Response value */
	const uint8_t	*response;
	size_t		response_len;
};

struct ppp_verify_result {
	bool		accepted;
	/* refused: the failure line (the server's words, the fix) */
	const char	*detail;
	/* MS-CHAPv2 accepted: "S=" and 40 hex digits (MS-CHAP2-Success) */
	const char	*mschap2_success;
};

struct ppp_ops {
	void (*send)(void *arg, const uint8_t *pkt, size_t len);
	/* LCP opened (or reopened). */
	void (*lcp_up)(void *arg, const struct ppp_lcp_info *info);
	/*
	 * Server: the secret of @user (plaintext, as in chap-secrets), 0 or
	 * -ENOENT when the user is unknown.
	 */
	int (*get_secret)(void *arg, const char *user, char *secret,
			  size_t size);
	/*
	 * Server (may be NULL): a reason to refuse @user before its
	 * credentials are checked (blocked by an admin kick), written to
	 * @why with the fix; 0 lets the login go on.
	 */
	int (*refuse)(void *arg, const char *user, char *why, size_t size);
	/*
	 * Server (may be NULL): check @req elsewhere, without blocking.
	 * 1: started, the answer comes later through ppp_link_verified()
	 * (the link waits; retransmissions of the request are dropped);
	 * 0: check it here with get_secret; -errno: refuse with @why.
	 */
	int (*verify)(void *arg, const struct ppp_verify_req *req, char *why,
		      size_t size);
	/*
	 * Server (may be NULL): the credentials @user sent were wrong, or
	 * the user is unknown; told at once (before the link ends), so the
	 * next attempt, even on another session, sees it.
	 */
	void (*auth_failed)(void *arg, const char *user);
	/*
	 * Server: @user authenticated; pick the peer's IPv4 address.
	 * 0, or -errno (the link ends with END_NO_ADDRESS and @why;
	 * -EDQUOT: with END_LIMIT, a per-user limit).
	 */
	int (*authenticated)(void *arg, const char *user, struct in_addr *peer,
			     const char **why);
	/* IPCP opened: route @info.peer to this session. 0 or -errno. */
	int (*ipcp_up)(void *arg, const struct ppp_ipcp_info *info);
	/* IPV6CP opened: interface identifiers. */
	int (*ipv6cp_up)(void *arg, const uint8_t local_iid[8],
			 const uint8_t peer_iid[8]);
	/* The link is over; called once. */
	void (*down)(void *arg, enum end_reason r, const char *detail);
};

struct ppp_stats {
	uint64_t	rx, tx, rx_malformed, rx_unknown_proto, rx_discarded,
			echo_tx, echo_rx;
	/*
	 * The last LCP echo round trip: the reply to our newest
	 * Echo-Request (a late reply to an older one is not timed).
	 * echo_rtt_at_ms: when it came (loop time), 0: none yet.
	 */
	uint64_t	echo_rtt_ms, echo_rtt_at_ms;
};

/* @ident prefixes log lines ("203.0.113.7 tunnel 3 session 1"). */
struct ppp_link *ppp_link_new(struct loop *loop, const struct ppp_cfg *cfg,
			      const struct ppp_ops *ops, void *arg,
			      const char *ident);
void ppp_link_free(struct ppp_link *l);

/* Lower layer up: start LCP (the L2TP session is established). */
void ppp_link_start(struct ppp_link *l);
/* Received PPP packet (2-byte protocol + information). */
void ppp_link_input(struct ppp_link *l, const uint8_t *pkt, size_t len);
/*
 * The answer to a verify() that returned 1. Ignored when the link no
 * longer waits for one (it ended, or the authentication phase timed out).
 */
void ppp_link_verified(struct ppp_link *l, const struct ppp_verify_result *r);
/* End the link gracefully (LCP Terminate), reporting @r when done. */
void ppp_link_close(struct ppp_link *l, enum end_reason r, const char *detail);

/*
 * Why the link is ending, once it is (ppp_fail(), ppp_link_close()):
 * END_NONE until then. *@detail (may be NULL) gets the detail line.
 */
enum end_reason ppp_link_ending(const struct ppp_link *l,
				const char **detail);
const char *ppp_link_user(const struct ppp_link *l);
/*
 * The server found the chap-secrets user @canonical for the name the
 * client sent: log lines say "canonical (sent NAME)" when they differ.
 */
void ppp_link_set_canonical(struct ppp_link *l, const char *canonical);
/* The user as log lines show it (escaped; see ppp_link_set_canonical). */
const char *ppp_link_label(struct ppp_link *l);
bool ppp_link_is_up(const struct ppp_link *l);	/* IPCP opened */
const struct ppp_stats *ppp_link_stats(const struct ppp_link *l);
const struct ppp_ipcp_info *ppp_link_ipcp(const struct ppp_link *l);
const char *ppp_link_phase(const struct ppp_link *l);

/*
 * Walk a Configure-Request option list: 0 when every option is well
 * formed (type, length >= 2, inside the buffer), -EBADMSG otherwise.
 * The building block of every option parser, and a fuzz target.
 */
int ppp_opts_check(const uint8_t *opts, size_t len);

#endif
