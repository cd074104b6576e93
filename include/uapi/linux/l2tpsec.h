/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * l2tpsec generic netlink interface.
 *
 * Generated from, and checked against, Documentation/netlink/specs/l2tpsec.yaml
 * by tools/ynl-check.py. Change the spec first.
 *
 * Object model
 *   device   an "l2tpsec" rtnl link; carries every session of a server.
 *   peer     one remote IPsec endpoint: outer addresses, encapsulation
 *            (raw ESP or ESP-in-UDP) and the outbound SA currently used.
 *            Identified by a u32 chosen by userspace, unique per device.
 *   SA       one ESP security association, bound to a peer. Inbound SPIs
 *            are unique per network namespace (raw ESP demuxes by SPI
 *            alone); outbound SPIs are unique per peer.
 *   session  one L2TPv2 session (and its PPP link) carried by a peer,
 *            identified by the peer and our (local) tunnel and session ids,
 *            routed by the inner IPv4 address and IPv6 prefix assigned to
 *            the remote end; the same addresses are the only inner
 *            sources it delivers (plus fe80::IID when the IPv6 address is
 *            a /128, and :: towards a multicast group).
 *   frame    an L2TP control message or a PPP control packet exchanged
 *            between the module and the daemon.
 */
#ifndef _UAPI_LINUX_L2TPSEC_H
#define _UAPI_LINUX_L2TPSEC_H

#define L2TPSEC_FAMILY_NAME		"l2tpsec"
#define L2TPSEC_FAMILY_VERSION		1
#define L2TPSEC_MCGRP_EVENTS		"events"

/* Inner L2TP UDP port used when a session or frame names none. */
#define L2TPSEC_L2TP_PORT		1701
/* Smallest anti-replay window accepted; also the default. */
#define L2TPSEC_REPLAY_WINDOW_DEFAULT	1024
#define L2TPSEC_REPLAY_WINDOW_MAX	4096
/* The sock-fd that releases the device's UDP socket. */
#define L2TPSEC_SOCK_FD_DETACH		-1

enum l2tpsec_cipher {
	L2TPSEC_CIPHER_UNSPEC,
	L2TPSEC_CIPHER_AES_GCM,		/* rfc4106; key = AES key + 4-byte salt */
	L2TPSEC_CIPHER_AES_CBC,		/* key 16, 24 or 32 bytes */
	L2TPSEC_CIPHER_DES3_CBC,	/* key 24 bytes */

	__L2TPSEC_CIPHER_MAX,
	L2TPSEC_CIPHER_MAX = (__L2TPSEC_CIPHER_MAX - 1)
};

enum l2tpsec_integ {
	L2TPSEC_INTEG_NONE,		/* only with AES-GCM */
	L2TPSEC_INTEG_HMAC_MD5,		/* key 16, ICV 12 */
	L2TPSEC_INTEG_HMAC_SHA1,	/* key 20, ICV 12 */
	L2TPSEC_INTEG_HMAC_SHA256,	/* key 32, ICV 16 (default) or 12 */
	L2TPSEC_INTEG_HMAC_SHA384,	/* key 48, ICV 24 */
	L2TPSEC_INTEG_HMAC_SHA512,	/* key 64, ICV 32 */

	__L2TPSEC_INTEG_MAX,
	L2TPSEC_INTEG_MAX = (__L2TPSEC_INTEG_MAX - 1)
};

enum l2tpsec_dir {
	L2TPSEC_DIR_UNSPEC,
	L2TPSEC_DIR_IN,
	L2TPSEC_DIR_OUT,
};

enum l2tpsec_encap {
	L2TPSEC_ENCAP_NONE,		/* raw ESP, IP protocol 50 */
	L2TPSEC_ENCAP_UDP,		/* ESP-in-UDP, RFC 3948 */
};

enum l2tpsec_frame_kind {
	L2TPSEC_FRAME_UNSPEC,
	/* A whole L2TP control message, from its flags/version field on. */
	L2TPSEC_FRAME_L2TP_CTRL,
	/*
	 * A PPP packet without address/control: 2-byte protocol number, then
	 * the information field. Tagged with its session.
	 */
	L2TPSEC_FRAME_PPP,
};

enum l2tpsec_event_kind {
	L2TPSEC_EVENT_UNSPEC,
	L2TPSEC_EVENT_SA_SOFT_EXPIRE,	/* rekey now */
	L2TPSEC_EVENT_SA_HARD_EXPIRE,	/* SA no longer usable */
	L2TPSEC_EVENT_SA_FIRST_USE,	/* first valid packet on an inbound SA */
	L2TPSEC_EVENT_PEER_FLOAT,	/* peer outer address or port changed */
	/* 5 was SESSION_ERROR, never sent: see the session's stats */
	L2TPSEC_EVENT_FRAME_LOST = 6,	/* control frame dropped: no listener */
};

/* Why an SA expired (L2TPSEC_A_EVENT_REASON). */
enum l2tpsec_expire_reason {
	L2TPSEC_EXPIRE_UNSPEC,
	L2TPSEC_EXPIRE_BYTES,
	L2TPSEC_EXPIRE_PACKETS,
	L2TPSEC_EXPIRE_SECONDS,
	L2TPSEC_EXPIRE_SEQ_EXHAUSTED,	/* outbound sequence number at 2^32 - 1 */
};

/* Counters, nested in L2TPSEC_A_*_STATS. All u64. */
enum l2tpsec_a_stats {
	L2TPSEC_A_STATS_UNSPEC,
	L2TPSEC_A_STATS_PAD,
	L2TPSEC_A_STATS_RX_PACKETS,
	L2TPSEC_A_STATS_RX_BYTES,
	L2TPSEC_A_STATS_TX_PACKETS,
	L2TPSEC_A_STATS_TX_BYTES,
	L2TPSEC_A_STATS_REPLAY_DROPS,	/* duplicate or behind the window */
	L2TPSEC_A_STATS_ICV_FAILS,	/* authentication failed */
	L2TPSEC_A_STATS_MALFORMED_DROPS, /* truncated, bad padding, bad L2TP/PPP */
	L2TPSEC_A_STATS_NO_SESSION_DROPS, /* L2TP data for an unknown session */
	L2TPSEC_A_STATS_NO_SA_DROPS,	/* unknown SPI, or no usable SA on TX */
	L2TPSEC_A_STATS_TX_ERRORS,	/* no route, crypto or xmit failure */
	L2TPSEC_A_STATS_EXPIRED_DROPS,	/* SA past its hard lifetime */
	L2TPSEC_A_STATS_NO_ROUTE_DROPS,	/* TX: no session for the destination */
	L2TPSEC_A_STATS_FRAMES_LOST,	/* control frames with no listener */
	L2TPSEC_A_STATS_INNER_SOURCE_DROPS, /* RX: inner source not the session's */
	L2TPSEC_A_STATS_CRYPTO_BACKLOG_DROPS, /* crypto in-flight cap reached */
	L2TPSEC_A_STATS_NOMEM_DROPS,	/* a memory allocation failed */
	L2TPSEC_A_STATS_FRAME_RATE_DROPS, /* control frames over the peer's rate */

	__L2TPSEC_A_STATS_MAX,
	L2TPSEC_A_STATS_MAX = (__L2TPSEC_A_STATS_MAX - 1)
};

/* L2TPSEC_A_PEER nest. */
enum l2tpsec_a_peer {
	L2TPSEC_A_PEER_UNSPEC,
	L2TPSEC_A_PEER_ID,		/* u32, non-zero */
	L2TPSEC_A_PEER_ENCAP,		/* u8, enum l2tpsec_encap */
	L2TPSEC_A_PEER_LOCAL_IPV4,	/* be32 (binary, 4 bytes) */
	L2TPSEC_A_PEER_REMOTE_IPV4,	/* be32 (binary, 4 bytes) */
	L2TPSEC_A_PEER_LOCAL_PORT,	/* u16 host order, ESP-in-UDP only */
	L2TPSEC_A_PEER_REMOTE_PORT,	/* u16 host order, ESP-in-UDP only */
	L2TPSEC_A_PEER_TX_SPI,		/* u32 host order: current outbound SA */
	L2TPSEC_A_PEER_STATS,		/* nest, enum l2tpsec_a_stats */

	__L2TPSEC_A_PEER_MAX,
	L2TPSEC_A_PEER_MAX = (__L2TPSEC_A_PEER_MAX - 1)
};

/* L2TPSEC_A_SA nest. */
enum l2tpsec_a_sa {
	L2TPSEC_A_SA_UNSPEC,
	L2TPSEC_A_SA_PAD,
	L2TPSEC_A_SA_SPI,		/* u32 host order, non-zero */
	L2TPSEC_A_SA_DIR,		/* u8, enum l2tpsec_dir */
	L2TPSEC_A_SA_PEER_ID,		/* u32 */
	L2TPSEC_A_SA_CIPHER,		/* u8, enum l2tpsec_cipher */
	L2TPSEC_A_SA_INTEG,		/* u8, enum l2tpsec_integ */
	L2TPSEC_A_SA_ENC_KEY,		/* binary, write-only */
	L2TPSEC_A_SA_AUTH_KEY,		/* binary, write-only */
	L2TPSEC_A_SA_ICV_LEN,		/* u8, bytes; default per algorithm */
	L2TPSEC_A_SA_REPLAY_WINDOW,	/* u32, packets, inbound only */
	L2TPSEC_A_SA_SOFT_BYTES,	/* u64, 0 = none */
	L2TPSEC_A_SA_HARD_BYTES,	/* u64 */
	L2TPSEC_A_SA_SOFT_PACKETS,	/* u64 */
	L2TPSEC_A_SA_HARD_PACKETS,	/* u64 */
	L2TPSEC_A_SA_SOFT_SECONDS,	/* u64 */
	L2TPSEC_A_SA_HARD_SECONDS,	/* u64 */
	L2TPSEC_A_SA_SEQ,		/* u64, read-only: last seq sent/seen */
	L2TPSEC_A_SA_AGE,		/* u64, read-only: seconds since added */
	L2TPSEC_A_SA_STATS,		/* nest, enum l2tpsec_a_stats */

	__L2TPSEC_A_SA_MAX,
	L2TPSEC_A_SA_MAX = (__L2TPSEC_A_SA_MAX - 1)
};

/* L2TPSEC_A_SESSION nest. */
enum l2tpsec_a_session {
	L2TPSEC_A_SESSION_UNSPEC,
	L2TPSEC_A_SESSION_PEER_ID,	/* u32 */
	L2TPSEC_A_SESSION_LOCAL_TUNNEL_ID, /* u16, ids we receive on */
	L2TPSEC_A_SESSION_LOCAL_SESSION_ID, /* u16 */
	L2TPSEC_A_SESSION_REMOTE_TUNNEL_ID, /* u16, ids we send with */
	L2TPSEC_A_SESSION_REMOTE_SESSION_ID, /* u16 */
	L2TPSEC_A_SESSION_LOCAL_PORT,	/* u16, inner UDP, default 1701 */
	L2TPSEC_A_SESSION_REMOTE_PORT,	/* u16, inner UDP, default 1701 */
	L2TPSEC_A_SESSION_PEER_IPV4,	/* be32: remote end's inner address */
	L2TPSEC_A_SESSION_PEER_IPV6,	/* binary, 16 bytes: routed prefix */
	L2TPSEC_A_SESSION_PEER_IPV6_PREFIXLEN, /* u8, 64..128 */
	L2TPSEC_A_SESSION_L2TP_LENGTH,	/* u8 bool: send the L bit and length */
	L2TPSEC_A_SESSION_L2TP_SEQ,	/* u8 bool: send Ns/Nr on data */
	L2TPSEC_A_SESSION_PPP_ACFC,	/* u8 bool: omit FF 03 on TX */
	L2TPSEC_A_SESSION_PPP_PFC,	/* u8 bool: 1-byte protocol on TX */
	L2TPSEC_A_SESSION_STATS,	/* nest, enum l2tpsec_a_stats */

	__L2TPSEC_A_SESSION_MAX,
	L2TPSEC_A_SESSION_MAX = (__L2TPSEC_A_SESSION_MAX - 1)
};

/* L2TPSEC_A_FRAME nest. */
enum l2tpsec_a_frame {
	L2TPSEC_A_FRAME_UNSPEC,
	L2TPSEC_A_FRAME_KIND,		/* u8, enum l2tpsec_frame_kind */
	L2TPSEC_A_FRAME_PEER_ID,	/* u32 */
	L2TPSEC_A_FRAME_LOCAL_PORT,	/* u16, inner UDP (L2TP control) */
	L2TPSEC_A_FRAME_REMOTE_PORT,	/* u16, inner UDP (L2TP control) */
	L2TPSEC_A_FRAME_LOCAL_TUNNEL_ID, /* u16 (PPP frames) */
	L2TPSEC_A_FRAME_LOCAL_SESSION_ID, /* u16 (PPP frames) */
	L2TPSEC_A_FRAME_PAYLOAD,	/* binary */

	__L2TPSEC_A_FRAME_MAX,
	L2TPSEC_A_FRAME_MAX = (__L2TPSEC_A_FRAME_MAX - 1)
};

/* L2TPSEC_A_EVENT nest. */
enum l2tpsec_a_event {
	L2TPSEC_A_EVENT_UNSPEC,
	L2TPSEC_A_EVENT_KIND,		/* u8, enum l2tpsec_event_kind */
	L2TPSEC_A_EVENT_PEER_ID,	/* u32 */
	L2TPSEC_A_EVENT_SPI,		/* u32 */
	L2TPSEC_A_EVENT_DIR,		/* u8 */
	L2TPSEC_A_EVENT_REASON,		/* u8, enum l2tpsec_expire_reason */
	L2TPSEC_A_EVENT_REMOTE_IPV4,	/* be32: new outer address (float) */
	L2TPSEC_A_EVENT_REMOTE_PORT,	/* u16: new outer port (float) */
	L2TPSEC_A_EVENT_LOCAL_TUNNEL_ID, /* u16 */
	L2TPSEC_A_EVENT_LOCAL_SESSION_ID, /* u16 */
	L2TPSEC_A_EVENT_ERROR,		/* u32, positive errno */

	__L2TPSEC_A_EVENT_MAX,
	L2TPSEC_A_EVENT_MAX = (__L2TPSEC_A_EVENT_MAX - 1)
};

/* Top level attributes. */
enum l2tpsec_a {
	L2TPSEC_A_UNSPEC,
	L2TPSEC_A_IFINDEX,		/* u32 */
	L2TPSEC_A_IFNAME,		/* string */
	L2TPSEC_A_SOCK_FD,		/* s32: UDP socket to adopt; -1 detaches */
	L2TPSEC_A_MSS_CLAMP,		/* u8 bool */
	L2TPSEC_A_FRAME_LISTEN,		/* u8 bool: caller receives frames */
	L2TPSEC_A_SOCK_PORT,		/* u16: socket port; in DEV_SET, the
					 * module opens its own socket there */
	L2TPSEC_A_DEV_STATS,		/* nest, enum l2tpsec_a_stats */
	L2TPSEC_A_PEER,			/* nest, enum l2tpsec_a_peer */
	L2TPSEC_A_SA,			/* nest, enum l2tpsec_a_sa */
	L2TPSEC_A_SESSION,		/* nest, enum l2tpsec_a_session */
	L2TPSEC_A_FRAME,		/* nest, enum l2tpsec_a_frame */
	L2TPSEC_A_EVENT,		/* nest, enum l2tpsec_a_event */
	/*
	 * u8 bool, default 0: when the device carries exactly one session,
	 * that session is its default route in both directions (TX sends it
	 * what no session's address matches, RX takes any inner source from
	 * it). For the client role only; a server drops such packets.
	 */
	L2TPSEC_A_SINGLE_SESSION_FALLBACK,
	L2TPSEC_A_SOCK_ADDR,		/* ipv4 (be32): address for SOCK_PORT */

	__L2TPSEC_A_MAX,
	L2TPSEC_A_MAX = (__L2TPSEC_A_MAX - 1)
};

/*
 * Every command carries L2TPSEC_A_IFINDEX or L2TPSEC_A_IFNAME except the
 * device dump. Every command needs CAP_NET_ADMIN in the device's netns.
 */
enum l2tpsec_cmd {
	L2TPSEC_CMD_UNSPEC,
	L2TPSEC_CMD_DEV_GET,		/* do, dump */
	L2TPSEC_CMD_DEV_SET,		/* SOCK_FD or SOCK_PORT (+ SOCK_ADDR),
					 * MSS_CLAMP, FRAME_LISTEN,
					 * SINGLE_SESSION_FALLBACK */
	L2TPSEC_CMD_PEER_NEW,
	L2TPSEC_CMD_PEER_SET,		/* TX_SPI, REMOTE_IPV4, REMOTE_PORT */
	L2TPSEC_CMD_PEER_DEL,		/* also deletes its SAs and sessions */
	L2TPSEC_CMD_PEER_GET,		/* do, dump */
	L2TPSEC_CMD_SA_NEW,
	L2TPSEC_CMD_SA_DEL,		/* SPI + DIR (+ PEER_ID for out) */
	L2TPSEC_CMD_SA_GET,		/* do, dump; keys are never returned */
	L2TPSEC_CMD_SESSION_NEW,
	L2TPSEC_CMD_SESSION_SET,	/* addresses and options */
	L2TPSEC_CMD_SESSION_DEL,
	L2TPSEC_CMD_SESSION_GET,	/* do, dump */
	L2TPSEC_CMD_FRAME,		/* daemon -> module: send; module ->
					 * listener: received (unicast) */
	L2TPSEC_CMD_EVENT,		/* multicast on "events" */

	__L2TPSEC_CMD_MAX,
	L2TPSEC_CMD_MAX = (__L2TPSEC_CMD_MAX - 1)
};

#endif /* _UAPI_LINUX_L2TPSEC_H */
