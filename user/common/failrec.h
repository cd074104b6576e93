/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The failure classes of the troubleshooting guides (issue 13) and the
 * daemon's record of each peer's last failures, which `l2tpsec status`
 * and `l2tpsec diagnose` show.
 *
 * A bounded table: L2_FAIL_PEERS peer addresses, each with a ring of its
 * L2_FAIL_PER_PEER newest failures. A new peer replaces the one that
 * failed longest ago; the same failure again (class and cause) only
 * counts and moves its time. The daemon's layers feed it with one call,
 * l2_fail_note(), next to the log line that names the failure.
 */
#ifndef L2TPSEC_COMMON_FAILREC_H
#define L2TPSEC_COMMON_FAILREC_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum l2_fail_class {
	L2_FC_OTHER		= 0,
	L2_FC_NOTHING_ARRIVES	= 1,	/* UDP 500/4500 blocked, no answer */
	L2_FC_P1_PROPOSAL	= 2,
	L2_FC_PSK		= 3,
	L2_FC_CERT		= 4,	/* untrusted, expired, skew, identity */
	L2_FC_P2_PROPOSAL	= 5,	/* or PFS */
	L2_FC_SELECTOR		= 6,	/* selector or ID mismatch */
	L2_FC_NO_L2TP		= 7,	/* ESP up, no tunnel request */
	L2_FC_PPP_AUTH		= 8,
	L2_FC_NO_AUTH_PROTO	= 9,
	L2_FC_NO_FORWARDING	= 10,	/* forwarding, NAT, route, rp_filter */
	L2_FC_MTU		= 11,
	L2_FC_NAT_TIMEOUT	= 12,
	L2_FC_REKEY		= 13,
	L2_FC_DEAD_PEER		= 14,
	L2_FC_NAT_NO_NATT	= 15,
	L2_FC_MAX,
};

/* "psk-mismatch", ... (stable: JSON and metrics use it) */
const char *l2_fail_class_name(enum l2_fail_class c);
/* What an admin does about it, when the log line says no more. */
const char *l2_fail_class_fix(enum l2_fail_class c);

#define L2_FAIL_PEERS		64
#define L2_FAIL_PER_PEER	4
#define L2_FAIL_CAUSE		480
#define L2_FAIL_FIX		240
#define L2_FAIL_USER		65

struct l2_fail {
	time_t			when;		/* wall clock, last time */
	time_t			first;
	struct sockaddr_in	peer;		/* the last port seen */
	enum l2_fail_class	cls;
	char			layer[8];	/* ike, ipsec, l2tp, ppp, net */
	char			user[L2_FAIL_USER];	/* "" when unknown */
	char			cause[L2_FAIL_CAUSE];
	char			fix[L2_FAIL_FIX];
	unsigned int		count;
};

struct l2_fail_peer {
	struct in_addr		addr;
	time_t			last;
	unsigned int		n, head;	/* ring[head] is the newest */
	struct l2_fail		ring[L2_FAIL_PER_PEER];
};

struct l2_failures {
	struct l2_fail_peer	peers[L2_FAIL_PEERS];
	unsigned int		npeers;
	uint64_t		total[L2_FC_MAX];	/* ever, by class */
};

void l2_fail_init(struct l2_failures *fs);

/*
 * Split a log line's text into its cause and its fix: the fix is the
 * last "; "-separated part when it tells the admin what to do ("check
 * ...", "set ..."), else the class's fix.
 */
void l2_fail_split(const char *text, enum l2_fail_class c, char *cause,
		   size_t cause_len, char *fix, size_t fix_len);

/* Record one failure of @peer (NULL or port 0: address only). */
void l2_fail_add(struct l2_failures *fs, const struct sockaddr_in *peer,
		 const char *user, enum l2_fail_class c, const char *layer,
		 const char *text, time_t now);

/*
 * Call @fn for the failures of every peer (@addr 0) or of @addr, and of
 * @user (NULL: any), newest peer first and newest failure first within a
 * peer. Returns how many.
 */
size_t l2_fail_each(const struct l2_failures *fs, struct in_addr addr,
		    const char *user,
		    void (*fn)(void *arg, const struct l2_fail *f), void *arg);

/*
 * The daemon's record: main sets it, the layers call l2_fail_note() next
 * to their log line (nothing happens while none is set, as in unit tests
 * of one layer).
 */
void l2_fail_set_default(struct l2_failures *fs);
struct l2_failures *l2_fail_default(void);
void l2_fail_note(const struct sockaddr_in *peer, const char *user,
		  enum l2_fail_class c, const char *layer, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#endif /* L2TPSEC_COMMON_FAILREC_H */
