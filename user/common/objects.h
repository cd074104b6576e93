/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The l2tpsec objects as the kernel reports them (device, peer, SA,
 * session) and the messages it sends on its own (frames, events), decoded
 * from netlink attributes into plain structs.
 */
#ifndef L2TPSEC_COMMON_OBJECTS_H
#define L2TPSEC_COMMON_OBJECTS_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/l2tpsec.h>
#include <linux/netlink.h>
#include <netlink/attr.h>

/* Counters, indexed by enum l2tpsec_a_stats; absent ones read 0. */
struct l2_stats {
	uint64_t	v[L2TPSEC_A_STATS_MAX + 1];
};

/* Bit for attribute @type in a "has" mask. */
#define L2_HAS(type)	(1u << (type))

struct l2_dev {
	uint32_t	ifindex;
	char		ifname[IF_NAMESIZE];
	uint16_t	sock_port;	/* 0: no socket adopted */
	bool		mss_clamp;
	bool		has_frame_listen;
	bool		frame_listen;
	bool		has_fallback;	/* module reports the mode */
	bool		fallback;	/* single-session fallback */
	struct l2_stats	stats;
};

struct l2_peer {
	uint32_t	id;
	uint8_t		encap;		/* enum l2tpsec_encap */
	struct in_addr	local, remote;
	uint16_t	local_port, remote_port;
	uint32_t	tx_spi;		/* 0: none */
	struct l2_stats	stats;
};

struct l2_sa {
	uint32_t	spi;
	uint8_t		dir;		/* enum l2tpsec_dir */
	uint32_t	peer_id;
	uint8_t		cipher;		/* enum l2tpsec_cipher */
	uint8_t		integ;		/* enum l2tpsec_integ */
	uint8_t		icv_len;
	uint32_t	replay_window;
	uint64_t	soft_bytes, hard_bytes;
	uint64_t	soft_packets, hard_packets;
	uint64_t	soft_seconds, hard_seconds;
	uint64_t	seq;
	uint64_t	age;
	struct l2_stats	stats;
};

struct l2_session {
	uint32_t	peer_id;
	uint16_t	local_tunnel_id, local_session_id;
	uint16_t	remote_tunnel_id, remote_session_id;
	uint16_t	local_port, remote_port;
	bool		has_ipv4, has_ipv6;
	struct in_addr	peer_ipv4;
	struct in6_addr	peer_ipv6;
	uint8_t		peer_ipv6_plen;
	bool		l2tp_length, l2tp_seq, ppp_acfc, ppp_pfc;
	struct l2_stats	stats;
};

struct l2_frame {
	uint32_t	ifindex;	/* 0 if absent */
	uint32_t	has;		/* L2_HAS(L2TPSEC_A_FRAME_*) */
	uint8_t		kind;		/* enum l2tpsec_frame_kind */
	uint32_t	peer_id;
	uint16_t	local_port, remote_port;
	uint16_t	tunnel_id, session_id;
	const uint8_t	*payload;	/* points into the message */
	size_t		len;
};

struct l2_event {
	uint32_t	ifindex;	/* 0 if absent */
	uint32_t	has;		/* L2_HAS(L2TPSEC_A_EVENT_*) */
	uint8_t		kind;		/* enum l2tpsec_event_kind */
	uint32_t	peer_id;
	uint32_t	spi;
	uint8_t		dir;
	uint8_t		reason;		/* enum l2tpsec_expire_reason */
	struct in_addr	remote;
	uint16_t	remote_port;
	uint16_t	tunnel_id, session_id;
	uint32_t	error;		/* positive errno */
};

/* Each returns 0 or -EBADMSG. */
int l2_decode_stats(const struct nlattr *nest, struct l2_stats *stats);
int l2_decode_dev(const struct nlmsghdr *nlh, struct l2_dev *dev);
int l2_decode_peer(const struct nlattr *nest, struct l2_peer *peer);
int l2_decode_sa(const struct nlattr *nest, struct l2_sa *sa);
int l2_decode_session(const struct nlattr *nest, struct l2_session *s);
int l2_decode_frame(const struct nlmsghdr *nlh, struct l2_frame *frame);
int l2_decode_event(const struct nlmsghdr *nlh, struct l2_event *event);

/*
 * Call @fn for every top-level attribute of type @type in the genl message
 * @nlh (a dump answer may carry one object or several). Stops at the first
 * error @fn returns.
 */
int l2_for_each_nest(const struct nlmsghdr *nlh, int type,
		     int (*fn)(const struct nlattr *nest, void *arg),
		     void *arg);

#endif /* L2TPSEC_COMMON_OBJECTS_H */
