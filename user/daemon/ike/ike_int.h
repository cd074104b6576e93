/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd IKEv1: the structures shared by the files of ike/.
 *
 *   struct ike         the daemon's IKE: configuration, sockets, tables
 *   struct ike_sa      one ISAKMP SA (phase 1): Main or Aggressive Mode,
 *                      keys, the phase 2 exchanges running on it
 *   struct ike_qm      one Quick Mode (or Informational) exchange
 *   struct ike_remote  one peer in the module (outer address and port):
 *                      its ESP SA pairs (children), NAT keepalives, DPD
 *   struct ike_child   one ESP SA pair in the module
 *
 * Ownership: struct ike owns SAs and remotes; an SA owns its exchanges;
 * a remote owns its children. An SA points at the remote it serves once
 * phase 2 made one; the remote points back at its current SA.
 */
#ifndef L2TPSECD_IKE_INT_H
#define L2TPSECD_IKE_INT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "crypto.h"
#include "ike.h"
#include "keys.h"
#include "payload.h"
#include "proposal.h"

#define IKE_SA_BUCKETS		1024
#define IKE_NONCE_LEN		32
#define IKE_MAX_NONCE		256
#define IKE_MAX_FAILURES	256
#define IKE_MAX_FRAGS		16
#define IKE_ID_MAX		512
#define IKE_SRC_BUCKETS		1024

struct loop;
struct loop_timer;
struct kmod;

/* An identity: what we send, or what we expect (any = accept all). */
struct ike_idconf {
	bool		set, any;
	uint8_t		type;		/* ID_* */
	uint8_t		data[IKE_ID_MAX];
	size_t		len;
	char		str[IKE_ID_MAX];	/* as configured */
};

/* [peer NAME], or the [ike] defaults as the peer "default". */
struct ike_peer_conf {
	struct ike_peer_conf	*next;
	char			name[64];
	bool			is_default;
	/* remote: a prefix to match responders, an address to initiate to */
	bool			remote_set;
	uint32_t		remote_net, remote_mask;	/* be */
	uint8_t			prefix;
	bool			initiate;
	bool			aggressive;	/* initiate with it */
	uint8_t			*psk;
	size_t			psk_len;
	char			*psk_file;
	bool			cert;		/* authenticate with RSA */
	struct ike_idconf	peer_id;	/* expected */
	struct ike_idconf	local_id;
	bool			p1_set, p2_set, auth_set;
	char			*p1_str, *p2_str;
	struct p1_alg		p1[IKE_MAX_ALGS];
	size_t			n1;
	struct p2_alg		p2[IKE_MAX_ALGS];
	size_t			n2;
	uint32_t		ike_lifetime, ipsec_lifetime;	/* 0: global */
	int			line;
};

enum ike_frag_mode { FRAG_NO, FRAG_YES, FRAG_FORCE };

struct ike_conf {
	struct in_addr		listen;
	uint16_t		port, natt_port;
	bool			legacy, aggressive, nat_t, dpd;
	bool			initial_contact;
	struct p1_alg		p1[IKE_MAX_ALGS];
	size_t			n1;
	struct p2_alg		p2[IKE_MAX_ALGS];
	size_t			n2;
	bool			p1_set, p2_set;
	char			*p1_str, *p2_str;
	uint32_t		ike_lifetime, ipsec_lifetime, min_lifetime;
	uint32_t		dpd_delay, dpd_timeout, keepalive;
	uint32_t		retransmit_ms, retransmit_tries;
	uint32_t		retry_interval;		/* initiators, s */
	uint32_t		rekey_margin;		/* s, 0: 10% */
	uint32_t		rekey_grace_ms;		/* old pair kept */
	uint32_t		tx_fallback_ms;
	uint32_t		max_half_open;
	uint32_t		max_half_open_addr;
	uint32_t		max_isakmp_addr;	/* established */
	uint32_t		half_open_timeout;	/* s */
	uint32_t		dh_per_sec, dh_per_sec_addr;
	uint32_t		max_qm_per_sa, max_qm_in_progress;
	uint32_t		fragment_timeout;	/* s */
	uint32_t		fragment_memory;	/* bytes, all SAs */
	enum ike_frag_mode	fragmentation;
	uint32_t		fragment_size;
	bool			any_l2tp_port;
	char			*cert_file, *key_file, *ca_file;
	char			*crl_file;	/* NULL: no revocation check */
	struct ike_peer_conf	*peers;		/* [peer NAME] sections */
	struct ike_peer_conf	defpeer;	/* [ike] psk / cert */
	bool			def_used;
};

enum p1_state {
	P1_I_MM1,		/* sent MM1, waiting for MM2 */
	P1_I_MM3,
	P1_I_MM5,
	P1_R_MM2,		/* sent MM2, waiting for MM3 */
	P1_R_MM4,
	P1_I_AM1,		/* sent AM1, waiting for AM2 */
	P1_R_AM2,		/* sent AM2, waiting for AM3 */
	P1_ESTABLISHED,
};

/* What we sent last, to send again. */
struct ike_tx {
	uint8_t			*pkt;
	size_t			len;
	unsigned int		tries;
	bool			request;	/* we wait for an answer */
	bool			natt;		/* on the NAT-T port */
};

/* Fragments of one message being reassembled. */
struct ike_reasm {
	uint16_t		id;
	uint8_t			last;		/* number of the last, 0: unknown */
	uint8_t			*frag[IKE_MAX_FRAGS + 1];
	size_t			flen[IKE_MAX_FRAGS + 1];
	uint64_t		started;
	size_t			bytes;		/* held, all fragments */
	struct loop_timer	*timer;		/* fragment-timeout */
};

struct ike_sa {
	struct ike		*ike;
	struct ike_sa		*hnext;		/* hash chain by icky */
	bool			hashed;
	struct ike_sa		*lnext;		/* all SAs */
	uint64_t		serial;
	uint8_t			icky[8], rcky[8];
	bool			initiator;
	enum p1_state		state;
	struct sockaddr_in	remote, local;
	bool			on_natt;	/* talking on port 4500 */
	const struct ike_peer_conf *pc;
	struct ike_remote	*rem;		/* the module peer it serves */
	struct ike_src		*src;		/* responder: who opened it */

	/* negotiated */
	struct p1_xform		xf;
	uint32_t		lifetime;	/* s */
	struct ike_keys		k;
	bool			keys_ok;

	/* vendor IDs and NAT-T */
	bool			natt_rfc, natt_draft, peer_dpd, peer_frag,
				peer_ms, peer_ic;
	bool			nat_local, nat_remote;	/* who is behind NAT */
	uint8_t			natd_type, natoa_type;
	uint16_t		encap_udp;		/* 4 or 61444 */

	/* exchange material */
	struct ike_dh		*dh;
	uint8_t			gxi[IKE_MAX_DH], gxr[IKE_MAX_DH];
	size_t			gx_len;
	uint8_t			gxy[IKE_MAX_DH];
	size_t			gxy_len;
	uint8_t			ni[IKE_MAX_NONCE], nr[IKE_MAX_NONCE];
	size_t			ni_len, nr_len;
	uint8_t			*sai_b;		/* initiator's SA body */
	size_t			sai_len;
	uint8_t			iv[IKE_MAX_BLOCK];	/* phase 1 CBC chain */
	uint8_t			p1_iv[IKE_MAX_BLOCK];	/* after MM6 */
	uint8_t			peer_id_raw[IKE_ID_MAX + 4];
	size_t			peer_id_len;
	char			peer_id_str[IKE_ID_MAX];
	X509			*peer_cert;
	bool			cert_req_seen;

	/* retransmission and duplicate detection */
	struct ike_tx		tx;
	uint8_t			rx_digest[20];
	bool			has_rx_digest;
	unsigned int		dup_first;	/* retransmitted first messages */
	struct loop_timer	*timer;		/* retransmit / half-open */
	struct loop_timer	*life_timer;	/* expiry or rekey */
	struct ike_reasm	*reasm;

	/* DPD */
	struct loop_timer	*dpd_timer;
	uint32_t		dpd_seq, dpd_peer_seq;
	uint64_t		dpd_sent_at;	/* 0: none outstanding */
	uint64_t		last_rx;	/* ms, any valid message */

	struct ike_qm		*qms;		/* phase 2 exchanges */
	/* message IDs of the peer's Quick Modes, for the SA's life */
	uint32_t		*qm_ids;
	unsigned int		n_qm_ids, cap_qm_ids;
	bool			deleting;
	bool			rekeyed;	/* a newer SA took over */
	uint64_t		created;	/* ms */
	uint64_t		established_at;	/* ms */
};

enum qm_state {
	QM_I1,			/* sent QM1, waiting for QM2 */
	QM_R2,			/* sent QM2, waiting for QM3 */
	QM_DONE,		/* kept to answer a retransmitted QM1/QM3 */
};

struct ike_qm {
	struct ike_qm		*next;
	struct ike_sa		*sa;
	uint32_t		msgid;
	bool			initiator;
	enum qm_state		state;
	uint8_t			iv[IKE_MAX_BLOCK];
	uint8_t			ni[IKE_MAX_NONCE], nr[IKE_MAX_NONCE];
	size_t			ni_len, nr_len;
	struct ike_dh		*dh;		/* PFS */
	uint8_t			gqm[IKE_MAX_DH];
	size_t			gqm_len;
	struct p2_xform		xf;
	uint8_t			*xf_raw;	/* copy of the chosen T payload */
	uint32_t		spi_in, spi_out;
	uint32_t		life_s, life_kb;
	uint16_t		peer_port;	/* peer's L2TP port, 0: any */
	uint32_t		peer_inner;	/* be, from IDci/IDcr */
	bool			has_ids;
	uint8_t			idci[16], idcr[16];	/* raw bodies */
	size_t			idci_len, idcr_len;
	bool			natoa;		/* peer sent NAT-OA */
	bool			refused;	/* the peer said no */
	struct ike_child	*rekey_of;
	struct ike_tx		tx;
	uint8_t			rx_digest[20];
	bool			has_rx_digest;
	struct loop_timer	*timer;
};

enum child_state {
	CHILD_LARVAL,		/* inbound installed, waiting for QM3 */
	CHILD_INSTALLED,	/* both directions in the module */
	CHILD_DYING,		/* superseded: deleted after a grace time */
};

struct ike_child {
	struct ike_child	*next;
	struct ike_remote	*rem;
	enum child_state	state;
	bool			initiator;	/* we started its Quick Mode */
	uint32_t		spi_in, spi_out;
	struct p2_alg		alg;
	uint8_t			cipher, integ, icv;	/* module's */
	uint8_t			key_in[96], key_out[96];
	size_t			enc_len, auth_len;
	uint32_t		life_s;
	uint64_t		life_bytes;
	uint64_t		created;	/* ms */
	bool			seen_in;	/* first valid inbound packet */
	bool			rekeying;	/* a new Quick Mode runs */
	bool			replaced;
	/* our rekey, for the line of failure class 13 */
	uint64_t		rekey_started;	/* ms, 0: never */
	unsigned int		rekey_tries;
	bool			rekey_p1;	/* a new phase 1 was needed */
	unsigned int		icv_probes;
	struct loop_timer	*timer;		/* ICV probe, grace */
	uint64_t		serial;
};

/* One peer in the module. */
struct ike_remote {
	struct ike_remote	*next;
	struct ike		*ike;
	uint32_t		peer_id;	/* kmod */
	struct sockaddr_in	addr;		/* outer, as the module has it */
	struct in_addr		local;
	bool			udp_encap;
	bool			in_kernel, announced;
	struct ike_sa		*sa;		/* current ISAKMP SA */
	struct ike_child	*children;
	struct ike_child	*tx;		/* the SA pair TX uses */
	const struct ike_peer_conf *pc;
	uint16_t		l2tp_port;
	bool			keepalive;	/* we are behind a NAT */
	struct loop_timer	*ka_timer;
	uint64_t		ka_sent;	/* NAT keepalives we sent */
	uint64_t		last_rx_packets;	/* DPD liveness */
};

/*
 * Why we refused something a peer sent. Each cause logs one line (naming
 * the peer, the limit and the setting) and then at most one line per
 * IKE_REFUSE_QUIET_MS with how many it suppressed meanwhile.
 */
enum ike_refusal {
	REFUSE_FRAG_SOURCE,
	REFUSE_FRAG_NO_VID,
	REFUSE_FRAG_MEMORY,
	REFUSE_FRAG_SIZE,
	REFUSE_FRAG_TIMEOUT,
	REFUSE_HALF_OPEN,
	REFUSE_HALF_OPEN_ADDR,
	REFUSE_HALF_OPEN_EVICT,
	REFUSE_ISAKMP_ADDR,
	REFUSE_DH,
	REFUSE_DH_ADDR,
	REFUSE_QM_REPLAY,
	REFUSE_QM_TOTAL,
	REFUSE_QM_IN_PROGRESS,
	REFUSE_DELETE_OTHER,
	REFUSE_MAX,
};

struct ike_refuse_rl {
	uint64_t		last;		/* ms, 0: never */
	unsigned int		suppressed;
};

/* One source address of phase 1 (limits.c). */
struct ike_src {
	struct ike_src		*next;
	uint32_t		addr;		/* be */
	unsigned int		half_open;	/* responder SAs */
	unsigned int		sas;		/* established ISAKMP SAs */
	uint64_t		dh_window;	/* ms, start of its second */
	unsigned int		dh_count;
	bool			good;		/* completed phase 1 before */
	uint64_t		good_at;
};

struct ike_failure_rec {
	struct ike_failure	f;
	bool			used;
};

struct ike {
	struct loop		*loop;
	struct kmod		*kmod;
	struct ike_hooks	hooks;
	struct ike_conf		conf;
	int			fd, fd_natt;
	struct ike_sa		*hash[IKE_SA_BUCKETS];
	struct ike_sa		*sas;
	struct ike_remote	*remotes;
	uint32_t		next_peer_id;
	uint64_t		next_serial;
	unsigned int		half_open;
	size_t			frag_bytes;	/* held for reassembly */
	struct ike_src		*src_hash[IKE_SRC_BUCKETS];
	unsigned int		nsrc, ngood;
	uint64_t		dh_window;	/* ms */
	unsigned int		dh_count, dh_count_unknown;
	struct ike_refuse_rl	refuse[REFUSE_MAX];
	struct ike_fail_rl {
		uint64_t	window;		/* ms */
		unsigned int	lines, suppressed;
	}			fail_rl[IKE_FAIL_MAX];
	struct ike_counters	cnt;
	struct ike_failure	failures[IKE_MAX_FAILURES];
	size_t			nfailures;
	struct ike_failure	failures_out[IKE_MAX_FAILURES];
	/* credentials */
	X509			*cert;
	STACK_OF(X509)		*chain;
	EVP_PKEY		*key;
	X509_STORE		*ca;
	X509_NAME		*ca_name;	/* for CERTREQ */
	/* initiators: one timer per [peer] with initiate = yes */
	struct ike_init		*inits;
	/*
	 * [peer NAME] sections a reload removed while an SA still used
	 * them: kept until nothing points at them (reload.c).
	 */
	struct ike_peer_conf	*retired;
	bool			started, stopping;
};

/* A connection we keep up (initiate = yes). */
struct ike_init {
	struct ike_init		*next;
	struct ike		*ike;
	const struct ike_peer_conf *pc;
	struct loop_timer	*timer;
	bool			up;		/* a child exists */
	unsigned int		attempts;
};

/* ---- ike.c: sockets, table, sending ------------------------------------ */

int ike_sync_initiators(struct ike *ike);

/* A datagram as the sockets deliver it (tests and fuzzers call it). */
void ike_input(struct ike *ike, const uint8_t *pkt, size_t len,
	       const struct sockaddr_in *from, const struct sockaddr_in *to,
	       bool natt);

struct ike_sa *ike_sa_new(struct ike *ike, bool initiator,
			  const struct sockaddr_in *remote,
			  const struct sockaddr_in *local);
void ike_sa_free(struct ike_sa *sa);
/* Delete: tell the peer (when @notify and established), free. */
void ike_sa_delete(struct ike_sa *sa, bool notify, const char *why);
/* Into the table by its initiator cookie (a responder's, once set). */
void ike_sa_hash(struct ike_sa *sa);
struct ike_sa *ike_sa_find(struct ike *ike, const uint8_t *icky,
			   const uint8_t *rcky);

/* Send @b (a finished message): keep it for retransmission when @request. */
int ike_sa_send(struct ike_sa *sa, struct ike_buf *b, bool request);
/* Send a message we do not retransmit and do not keep. */
int ike_send_raw(struct ike *ike, const struct sockaddr_in *to,
		 const struct sockaddr_in *from, bool natt,
		 const uint8_t *pkt, size_t len);
void ike_sa_arm_timeout(struct ike_sa *sa, uint64_t ms);
uint64_t ike_retransmit_total_ms(const struct ike *ike);
/* An authenticated message came from @from: follow the peer (NAT-T float,
 * NAT rebinding) and note that it is alive. */
void ike_sa_seen(struct ike_sa *sa, const struct sockaddr_in *from,
		 bool natt);
void ike_tx_clear(struct ike_tx *tx);
/* Time, in ms, since the loop began, from the loop. */
uint64_t ike_now(const struct ike *ike);

/* An unencrypted Informational with one notification (phase 1 errors). */
void ike_send_notify_plain(struct ike *ike, const struct sockaddr_in *to,
			   const struct sockaddr_in *from, bool natt,
			   const uint8_t *icky, const uint8_t *rcky,
			   uint16_t type);

/* ---- failures (ike.c) -------------------------------------------------- */

/* Log one line "ike PEER: TEXT" at @lvl and keep it as the peer's record. */
void ike_fail(struct ike *ike, const struct sockaddr_in *peer,
	      enum ike_fail_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * A refusal by a limit or a check (counted by the caller): one line at
 * warning level, "ike PEER: TEXT", rate-limited per cause.
 */
void ike_refuse(struct ike *ike, enum ike_refusal cause,
		const struct sockaddr_in *peer, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* ---- encryption (ike.c) ------------------------------------------------ */

/* Encrypt the payloads of @b (from the header on) with @iv, which then
 * holds the last ciphertext block. Sets the E flag and the length. */
int ike_encrypt(const struct ike_keys *k, struct ike_buf *b, uint8_t *iv);
/* Decrypt a message body in place into @out; @iv gets the last block. */
int ike_decrypt(const struct ike_keys *k, const uint8_t *pkt, size_t len,
		uint8_t *iv, uint8_t *out);

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* ---- the exchanges ------------------------------------------------------ */

/*
 * What ike.c asks of an exchange (mainmode.c, aggressive.c, quickmode.c,
 * informational.c): it finds the SA a message's cookies name and hands
 * the message over, without knowing the exchange's states.
 */
struct ike_exchange_ops {
	/* A message of this exchange; @sa: the SA its cookies name, or NULL. */
	void (*input)(struct ike *ike, struct ike_sa *sa,
		      const struct isakmp_hdr *h, const uint8_t *pkt,
		      size_t len, const struct sockaddr_in *from,
		      const struct sockaddr_in *to, bool natt);
	/* Phase 1: the SA's retransmissions gave up. */
	void (*timeout)(struct ike_sa *sa);
	/* What the exchange keeps on @sa, freed with it (or NULL). */
	void (*free)(struct ike_sa *sa);
};

extern const struct ike_exchange_ops ike_main_mode, ike_aggressive_mode,
	ike_quick_mode, ike_informational;

/* ---- mainmode.c -------------------------------------------------------- */

void mm_responder_start(struct ike *ike, const struct isakmp_hdr *h,
			const uint8_t *pkt, size_t len,
			const struct sockaddr_in *from,
			const struct sockaddr_in *to, bool natt);
void mm_input(struct ike_sa *sa, const struct isakmp_hdr *h,
	      const uint8_t *pkt, size_t len,
	      const struct sockaddr_in *from, bool natt);
int mm_initiate(struct ike *ike, const struct ike_peer_conf *pc,
		struct ike_sa **out);
const struct ike_peer_conf *ike_peer_conf_for(struct ike *ike,
					      struct in_addr addr);
uint32_t ike_auth_mask(const struct ike *ike, const struct ike_peer_conf *pc);

/* ---- phase1.c: what Main and Aggressive Mode share ------------------- */

/* A malformed phase 1 message: a counted drop with a debug line. */
#define MM_DROP(sa, ...) do { \
	(sa)->ike->cnt.drop_malformed++; \
	SA_LOG((sa), LOG_LVL_DEBUG, __VA_ARGS__); \
} while (0)

const char *p1_auth_label(uint16_t auth);
/* A phase 1 retransmission gave up (either exchange): the likely cause. */
void p1_timeout(struct ike_sa *sa);
void p1_hdr(struct ike_sa *sa, struct ike_buf *b, uint8_t exch);
void p1_sa_build(struct ike_buf *b, const struct p1_alg *algs, size_t n,
		 uint16_t auth, uint32_t life);
struct ike_sa *p1_responder_new(struct ike *ike, const struct isakmp_hdr *h,
				const struct ike_msg *m,
				const struct ike_peer_conf *pc,
				uint32_t auth_mask, const struct sockaddr_in *from,
				const struct sockaddr_in *to, bool natt,
				struct ike_buf *b);
struct ike_sa *p1_initiator_new(struct ike *ike, const struct ike_peer_conf *pc,
				uint8_t exch, const struct p1_alg *algs,
				size_t n, struct ike_buf *b);
int p1_take_choice(struct ike_sa *sa, const struct isakmp_hdr *h,
		   const struct ike_msg *m);
int p1_take_ke(struct ike_sa *sa, const struct ike_msg *m);
void p1_add_ke_nonce(struct ike_sa *sa, struct ike_buf *b);
int p1_take_id(struct ike_sa *sa, const struct ike_pl *idp,
	       struct ike_id *id);
const char *ike_id_type_name(uint8_t t);
int p1_check_id(struct ike_sa *sa, const struct ike_id *id);
int p1_derive(struct ike_sa *sa);
int p1_add_auth(struct ike_sa *sa, struct ike_buf *b, bool with_id);
int p1_verify_peer(struct ike_sa *sa, const struct ike_msg *m,
		   const struct ike_pl *idp, unsigned int msgno);
int p1_decrypt(struct ike_sa *sa, const struct isakmp_hdr *h,
	       const uint8_t *pkt, size_t len, uint8_t *plain,
	       struct ike_msg *m, unsigned int msgno, uint8_t need);
void p1_note_rx(struct ike_sa *sa, const uint8_t *pkt, size_t len);
void p1_note_notifies(struct ike_sa *sa, const struct ike_msg *m);
void p1_add_initial_contact(struct ike_sa *sa, struct ike_buf *b);
void p1_float(struct ike_sa *sa);
void p1_established(struct ike_sa *sa);

/* ---- limits.c: what one source may cost ------------------------------- */

/* May a first message from @from open a responder SA? Logs when not. */
bool p1_admit(struct ike *ike, const struct sockaddr_in *from);
/* A responder SA opened, established, freed: its source's counts. */
int src_sa_opened(struct ike_sa *sa);
void src_sa_established(struct ike_sa *sa);
void src_sa_gone(struct ike_sa *sa);
/* Within the DH budget (responder)? Counts it; logs when not. */
bool p1_dh_allowed(struct ike_sa *sa);
/* How long a responder waits for the next phase 1 message, ms. */
uint64_t p1_responder_wait(const struct ike *ike);
bool ike_src_good(struct ike *ike, struct in_addr addr);
void src_free_all(struct ike *ike);

/* ---- aggressive.c ------------------------------------------------------ */

void am_responder_start(struct ike *ike, const struct isakmp_hdr *h,
			const uint8_t *pkt, size_t len,
			const struct sockaddr_in *from,
			const struct sockaddr_in *to, bool natt);
void am_input(struct ike_sa *sa, const struct isakmp_hdr *h,
	      const uint8_t *pkt, size_t len,
	      const struct sockaddr_in *from, bool natt);
int am_initiate(struct ike *ike, const struct ike_peer_conf *pc,
		struct ike_sa **out);
/* The refusal when aggressive = no, and the warning when yes. */
void am_refuse(struct ike *ike, const struct isakmp_hdr *h,
	       const struct sockaddr_in *from, const struct sockaddr_in *to,
	       bool natt);
void am_warn_enabled(struct ike *ike);

/* ---- quickmode.c ------------------------------------------------------- */

void qm_input(struct ike_sa *sa, const struct isakmp_hdr *h,
	      const uint8_t *pkt, size_t len,
	      const struct sockaddr_in *from, bool natt);
int qm_initiate(struct ike_sa *sa, struct ike_child *rekey_of);
void qm_free(struct ike_qm *qm);
struct ike_qm *qm_find(struct ike_sa *sa, uint32_t msgid);
const struct p2_alg *ike_p2_algs(const struct ike *ike,
				 const struct ike_peer_conf *pc, size_t *n);

/* ---- informational.c --------------------------------------------------- */

void info_input(struct ike_sa *sa, const struct isakmp_hdr *h,
		const uint8_t *pkt, size_t len,
		const struct sockaddr_in *from, bool natt);
void info_input_plain(struct ike *ike, struct ike_sa *sa,
		      const struct isakmp_hdr *h, const uint8_t *pkt,
		      size_t len, const struct sockaddr_in *from);
/* An encrypted Informational with one notification or one delete. */
int info_send_notify(struct ike_sa *sa, uint8_t proto, const uint8_t *spi,
		     size_t spi_len, uint16_t type, const uint8_t *data,
		     size_t data_len);
int info_send_delete(struct ike_sa *sa, uint8_t proto, const uint8_t *spi,
		     size_t spi_len);

/* ---- dpd.c ------------------------------------------------------------- */

void dpd_start(struct ike_sa *sa);
void dpd_stop(struct ike_sa *sa);
void dpd_notify(struct ike_sa *sa, const struct ike_notify *n);

/* ---- natt.c ------------------------------------------------------------ */

extern const uint8_t VID_RFC3947[16], VID_DRAFT02[16], VID_DRAFT02N[16],
	VID_DRAFT03[16], VID_DPD[16], VID_FRAG[16], VID_MSNT5[16];
/* Note the vendor IDs of a message. */
void natt_vids(struct ike_sa *sa, const struct ike_msg *m);
void natt_add_vids(struct ike_sa *sa, struct ike_buf *b, bool responder);
/* NAT-D payloads for a message from @sa (dest first, then source). */
void natt_add_natd(struct ike_sa *sa, struct ike_buf *b);
/* Compare the peer's NAT-D with what we see: sets nat_local/nat_remote. */
int natt_check(struct ike_sa *sa, const struct ike_msg *m);
bool natt_enabled(const struct ike_sa *sa);
bool natt_nat(const struct ike_sa *sa);
void natt_keepalive_start(struct ike_remote *rem);
/*
 * The fix of failure class 12 (a NAT forgot the mapping) for a log line:
 * our keepalive when @we_behind the NAT, else the client's keepalive.
 */
void ike_nat_timeout_fix(const struct ike *ike, bool we_behind, char *buf,
			 size_t len);

/* ---- child.c ----------------------------------------------------------- */

struct ike_remote *remote_get(struct ike *ike, const struct ike_sa *sa,
			      bool udp_encap);
/*
 * The remote is gone: L2TP is told (@r, @why), the module peer removed.
 * remote_free() is the same with IKE_DOWN_PEER_DELETE (INITIAL-CONTACT).
 */
void remote_end(struct ike_remote *rem, enum ike_down_reason r,
		const char *why);
void remote_free(struct ike_remote *rem, const char *why);
/* Delete its children (telling the peer when @notify), keep it. */
void remote_clear(struct ike_remote *rem, bool notify, const char *why);
void remote_sa_gone(struct ike_sa *sa);
struct ike_child *child_find_spi(struct ike *ike, uint32_t spi, bool inbound,
				 struct ike_remote **remp);
/* Install the SA pair of a completed Quick Mode. */
int child_install(struct ike_sa *sa, struct ike_qm *qm, bool larval);
int child_complete(struct ike_sa *sa, struct ike_child *c);
/*
 * Delete one SA pair (telling the peer when @notify); when it was the
 * remote's last, the remote ends with @r. child_delete() is the same with
 * IKE_DOWN_PEER_DELETE.
 */
void child_end(struct ike_child *c, bool notify, enum ike_down_reason r,
	       const char *why);
void child_delete(struct ike_child *c, bool notify, const char *why);
void child_kmod_event(struct ike *ike, const struct l2_event *ev);
const char *child_alg_str(const struct ike_child *c, char *buf, size_t len);

/* ---- cert.c ------------------------------------------------------------ */

int cert_load(struct ike *ike);
void cert_free(struct ike *ike);
/* Verify the peer's certificate; on failure logs (named) and returns <0. */
/*
 * The peer's certificate @der against our ca (and crl), with the other
 * certificates it sent (@untrusted, may be NULL) as intermediates; its
 * key usage must allow signing. Stored in sa->peer_cert.
 */
int cert_verify_peer(struct ike_sa *sa, const uint8_t *der, size_t len,
		     STACK_OF(X509) *untrusted);
/*
 * Initiator: sa->peer_cert must be a server's (extended key usage) and,
 * when [peer] names no id, name the server's address in its
 * subjectAltName: not just any certificate our CA issued.
 */
int cert_check_server(struct ike_sa *sa);
/* Does the ID payload name the certificate's subject (DN, SAN)? */
bool cert_matches_id(X509 *cert, const struct ike_id *id);
void cert_dn_str(const uint8_t *der, size_t len, char *buf, size_t blen);
void cert_name_str(const X509_NAME *n, char *buf, size_t len);

/* ---- config.c (ike) ---------------------------------------------------- */

void ike_conf_defaults(struct ike_conf *c);
void ike_conf_free(struct ike_conf *c);
/* Frees what @pc holds (the PSK wiped), not @pc itself. */
void ike_peer_conf_free(struct ike_peer_conf *pc);
int ike_idconf_parse(struct ike_idconf *id, const char *v, char *err,
		     size_t errlen);
/* Our ID for @sa: configured, or our address, or the certificate's DN. */
void ike_local_id(struct ike_sa *sa, struct ike_buf *body);
bool ike_id_matches(const struct ike_idconf *want, const struct ike_id *got);
const struct p1_alg *ike_p1_algs(const struct ike *ike,
				 const struct ike_peer_conf *pc, size_t *n);
const uint8_t *ike_psk(const struct ike_peer_conf *pc, size_t *len);

/* "ike 10.0.0.2:500: " style prefixes are added by log_peer(). */
#define SA_LOG(sa, lvl, ...) \
	log_peer((lvl), LOG_IKE, &(sa)->remote, __VA_ARGS__)

/* ---- send.c (ike.c: the SA table and input) ---------------------------- */

/* A fragment's header: ISAKMP header, generic payload header, id/no/flags. */
#define IKE_FRAG_HDR	(ISAKMP_HDR_LEN + ISAKMP_GEN_LEN + 4)

int ike_tx_emit(struct ike_sa *sa, const struct ike_tx *tx);
void ike_sa_timer_cb(void *arg);
const struct ike_exchange_ops *ike_sa_phase1(const struct ike_sa *sa);

/* ---- quickmode_build.c: Quick Mode messages built and sent ------------- */

/* How long a finished Quick Mode is kept to answer duplicates. */
#define QM_KEEP_MS	30000	/* keep a finished exchange for duplicates */

void qm_hdr(struct ike_qm *qm, struct ike_buf *b);
int qm_fill_hash(struct ike_qm *qm, struct ike_buf *b, size_t hash_off,
		 bool with_ni);
int qm_send(struct ike_qm *qm, struct ike_buf *b, bool request);
void qm_add_id(struct ike_buf *b, uint32_t addr, uint16_t port);
void qm_add_natoa(struct ike_sa *sa, struct ike_buf *b, uint32_t addr);
bool qm_use_udp_encap(const struct ike_sa *sa);
void p2_sa_build(struct ike_sa *sa, struct ike_buf *b,
		 uint32_t spi, const struct p2_alg *algs, size_t n,
		 uint32_t life);
uint32_t qm_alloc_spi(struct ike *ike);
uint32_t qm_ipsec_lifetime(const struct ike_sa *sa);

#endif
