/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd: PPP internals: the RFC 1661 option negotiation automaton and
 * the link that runs LCP, authentication and the NCPs.
 */
#ifndef L2TPSECD_PPP_INTERNAL_H
#define L2TPSECD_PPP_INTERNAL_H

#include "ppp.h"

struct loop_timer;

/* Packet codes (RFC 1661 5). */
enum {
	CONFREQ = 1, CONFACK, CONFNAK, CONFREJ, TERMREQ, TERMACK, CODEREJ,
	PROTREJ, ECHOREQ, ECHOREP, DISCREQ,
};

enum fsm_state {
	ST_INITIAL, ST_STARTING, ST_CLOSED, ST_STOPPED, ST_CLOSING,
	ST_STOPPING, ST_REQSENT, ST_ACKRCVD, ST_ACKSENT, ST_OPENED,
};

struct ppp_fsm;

/* What a protocol plugs into the automaton. */
struct ppp_fsm_proto {
	uint16_t	proto;
	const char	*name;
	/* Build our Configure-Request options; returns their length. */
	size_t (*build_req)(struct ppp_fsm *f, uint8_t *buf, size_t size);
	/* Peer's Nak (rej = false) or Reject of our options: 0 or -EBADMSG. */
	int (*recv_nak)(struct ppp_fsm *f, const uint8_t *o, size_t len,
			bool rej);
	/*
	 * Peer's Configure-Request: write the answer's options to @out and
	 * return CONFACK, CONFNAK or CONFREJ (or -EBADMSG: drop). @nak_ok is
	 * false once max_failure Naks were sent (Naks become Rejects).
	 */
	int (*recv_req)(struct ppp_fsm *f, const uint8_t *o, size_t len,
			uint8_t *out, size_t *out_len, bool nak_ok);
	void (*up)(struct ppp_fsm *f);		/* this-layer-up */
	void (*down)(struct ppp_fsm *f);	/* this-layer-down */
	void (*finished)(struct ppp_fsm *f);	/* this-layer-finished */
	/* Other codes (LCP: Echo, Protocol-Reject...): true if handled. */
	bool (*extcode)(struct ppp_fsm *f, uint8_t code, uint8_t id,
			const uint8_t *data, size_t len);
};

struct ppp_fsm {
	struct ppp_link			*link;
	const struct ppp_fsm_proto	*p;
	enum fsm_state			state;
	uint8_t				id;		/* next id we use */
	uint8_t				reqid;		/* of our last ConfReq */
	bool				reqid_valid;
	unsigned int			restart;	/* restart counter */
	unsigned int			naks;		/* Naks sent in a row */
	struct loop_timer		*timer;
	uint8_t				req[256];	/* our last request */
	size_t				req_len;
	bool				opened_once;
	char				fail[128];	/* why it gave up */
};

/* fsm.c */
int ppp_fsm_init(struct ppp_fsm *f, struct ppp_link *l,
		 const struct ppp_fsm_proto *p);
void ppp_fsm_fini(struct ppp_fsm *f);
void ppp_fsm_lower_up(struct ppp_fsm *f);
void ppp_fsm_lower_down(struct ppp_fsm *f);
void ppp_fsm_open(struct ppp_fsm *f);
void ppp_fsm_close(struct ppp_fsm *f, const char *why);
void ppp_fsm_input(struct ppp_fsm *f, const uint8_t *pkt, size_t len);
/* Protocol-Reject received for this protocol (RXJ-). */
void ppp_fsm_rejected(struct ppp_fsm *f);
void ppp_fsm_send(struct ppp_fsm *f, uint8_t code, uint8_t id,
		  const uint8_t *data, size_t len);
const char *ppp_fsm_state_name(enum fsm_state s);

enum ppp_phase {
	PH_DEAD, PH_ESTABLISH, PH_AUTHENTICATE, PH_NETWORK, PH_TERMINATE,
};

struct ppp_lcp {
	uint32_t	magic, peer_magic;
	uint16_t	peer_mru;
	bool		peer_acfc, peer_pfc;
	/* our request: what is still offered */
	bool		req_mru, req_magic, req_acfc, req_pfc;
	uint16_t	req_mru_val;
	enum ppp_auth	want_auth;	/* server: what we ask for */
	unsigned int	auth_tried;	/* bits tried */
	enum ppp_auth	peer_auth;	/* client: what the server asked */
	unsigned int	auth_refused;	/* client: bits of those we logged */
	unsigned int	loops;		/* looped-back magic seen */
	unsigned int	echo_pending;
	uint8_t		echo_id;
	uint64_t	echo_sent_ms;	/* when Echo-Request echo_id went */
	struct loop_timer *echo_timer;
};

struct ppp_auth_state {
	enum ppp_auth	proto;
	bool		done;
	uint8_t		id;
	uint8_t		challenge[16];
	uint8_t		chal_len;
	unsigned int	tries;
	struct loop_timer *timer;	/* retransmission */
	struct loop_timer *deadline;	/* whole phase */
	char		success_msg[64];	/* MS-CHAPv2 S=... to resend */
	uint8_t		success_id;
	bool		success_sent;
	bool		pending;	/* ops->verify() answers later */
	uint8_t		pending_id;
};

struct ppp_ipcp {
	struct ppp_ipcp_info info;	/* local, peer, dns, nbns */
	bool		req_addr, req_dns[2];	/* client: still asking */
	bool		peer_sent_addr;
	bool		nak_added;
};

struct ppp_ipv6cp {
	uint8_t		local_iid[8], peer_iid[8];
	bool		req_iid;
};

struct ppp_link {
	struct loop		*loop;
	struct ppp_cfg		cfg;
	const struct ppp_ops	*ops;
	void			*arg;
	char			ident[96];
	enum ppp_phase		phase;
	struct ppp_fsm		lcp_fsm, ipcp_fsm, ipv6cp_fsm;
	struct ppp_lcp		lcp;
	struct ppp_auth_state	auth;
	struct ppp_ipcp		ipcp;
	struct ppp_ipv6cp	ipv6cp;
	char			user[PPP_MAX_NAME + 1];
	/*
	 * @user as log lines show it: escaped, and once the server knows
	 * the chap-secrets user it is, "alice (sent CORP\\alice)".
	 */
	char			label[2 * 4 * PPP_MAX_NAME + 16];
	char			canonical[PPP_MAX_NAME + 1];	/* "": @user */
	bool			ipcp_up, ipv6cp_up, down_called;
	enum end_reason		reason;
	char			detail[384];
	struct ppp_stats	stats;
};

#define plog(l, lvl, fmt, ...) \
	log_msg(lvl, LOG_PPP, "%s%s%s: " fmt, (l)->ident, \
		(l)->user[0] ? " user " : "", ppp_link_label(l), ##__VA_ARGS__)

/* link.c */
void ppp_send(struct ppp_link *l, uint16_t proto, const uint8_t *data,
	      size_t len);
void ppp_fail(struct ppp_link *l, enum end_reason r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ppp_lcp_opened(struct ppp_link *l);
void ppp_lcp_down(struct ppp_link *l);
void ppp_lcp_finished(struct ppp_link *l);
void ppp_auth_success(struct ppp_link *l);
/* Server: user authenticated: get the peer's address (0 or fails the link). */
int ppp_auth_assign(struct ppp_link *l);
void ppp_ncp_finished(struct ppp_link *l, struct ppp_fsm *f);
void ppp_protocol_reject(struct ppp_link *l, const uint8_t *pkt, size_t len);
void ppp_random(void *buf, size_t len);

/* lcp.c, ipcp.c, ipv6cp.c */
extern const struct ppp_fsm_proto ppp_lcp_proto;
extern const struct ppp_fsm_proto ppp_ipcp_proto;
extern const struct ppp_fsm_proto ppp_ipv6cp_proto;
void ppp_lcp_init(struct ppp_link *l);
void ppp_echo_start(struct ppp_link *l);
void ppp_echo_stop(struct ppp_link *l);
void ppp_ipcp_init(struct ppp_link *l);
void ppp_ipv6cp_init(struct ppp_link *l);

/* pap.c, chap.c */
void ppp_auth_start(struct ppp_link *l);
void ppp_auth_stop(struct ppp_link *l);
void ppp_pap_input(struct ppp_link *l, const uint8_t *p, size_t len);
void ppp_chap_input(struct ppp_link *l, const uint8_t *p, size_t len);
void ppp_pap_client_send(struct ppp_link *l);
void ppp_auth_retry_arm(struct ppp_link *l);
void ppp_auth_server_accepts(struct ppp_link *l);
void ppp_chap_server_challenge(struct ppp_link *l);
/* The server's verdict on the pending request (ppp_link_verified()). */
void ppp_pap_verified(struct ppp_link *l, const struct ppp_verify_result *r);
void ppp_chap_verified(struct ppp_link *l, const struct ppp_verify_result *r);
/*
 * Hand @q to ops->verify: true when the link now waits or has failed
 * (the caller is done), false to check locally.
 */
bool ppp_auth_verify(struct ppp_link *l, const struct ppp_verify_req *q);

/* Option iteration after ppp_opts_check(). */
#define for_each_opt(o, p, len) \
	for ((o) = (p); (size_t)((o) - (p)) + 2 <= (len) && (o)[1] >= 2 && \
	     (size_t)((o) - (p)) + (o)[1] <= (len); (o) += (o)[1])

#endif
