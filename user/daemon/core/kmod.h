/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd: the daemon's handle on l2tpsec.ko (one l2tpsec device).
 *
 * Two netlink sockets: one for requests (answered synchronously; the module
 * answers in microseconds), one that receives frames (unicast to us as the
 * device's listener) and events (the "events" multicast group), watched by
 * the loop. Errors come back as -errno with the kernel's extack text
 * available through kmod_last_error().
 */
#ifndef L2TPSECD_KMOD_H
#define L2TPSECD_KMOD_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "objects.h"	/* user/common: struct l2_event, l2_session ... */

struct loop;
struct kmod;

struct kmod_handlers {
	/* A whole L2TP control message from the peer's inner UDP ports. */
	void (*l2tp_ctrl)(void *arg, uint32_t peer_id, uint16_t local_port,
			  uint16_t remote_port, const uint8_t *msg, size_t len);
	/* A PPP packet (2-byte protocol + information) on a session. */
	void (*ppp)(void *arg, uint32_t peer_id, uint16_t tunnel_id,
		    uint16_t session_id, const uint8_t *pkt, size_t len);
	/* SA expiry, first use, peer float, session error, frame lost. */
	void (*event)(void *arg, const struct l2_event *ev);
	void *arg;
};

/* Opens (and with @create, creates) device @ifname and becomes its listener. */
struct kmod *kmod_open(struct loop *loop, const char *ifname, bool create,
		       const struct kmod_handlers *h);
void kmod_close(struct kmod *k);
const char *kmod_last_error(const struct kmod *k);
int kmod_ifindex(const struct kmod *k);

/* Hand our UDP 4500 socket to the module (it keeps a reference). */
int kmod_attach_socket(struct kmod *k, int fd);
/*
 * Client role: the device's only session becomes its default route both
 * ways (L2TPSEC_A_SINGLE_SESSION_FALLBACK). Never on a server.
 */
int kmod_set_fallback(struct kmod *k, bool on);

struct kmod_peer {
	uint32_t	id;
	bool		udp_encap;
	struct in_addr	local, remote;
	uint16_t	local_port, remote_port;	/* outer, host order */
};
int kmod_peer_add(struct kmod *k, const struct kmod_peer *p);
int kmod_peer_set_tx_spi(struct kmod *k, uint32_t peer_id, uint32_t spi);
int kmod_peer_set_remote(struct kmod *k, uint32_t peer_id,
			 struct in_addr remote, uint16_t port);
int kmod_peer_del(struct kmod *k, uint32_t peer_id);

struct kmod_sa {
	uint32_t	spi;
	uint8_t		dir;		/* L2TPSEC_DIR_IN / _OUT */
	uint32_t	peer_id;
	uint8_t		cipher, integ, icv_len;	/* enum l2tpsec_cipher/_integ */
	const uint8_t	*enc_key;
	size_t		enc_key_len;
	const uint8_t	*auth_key;
	size_t		auth_key_len;
	uint32_t	replay_window;	/* 0: default */
	uint64_t	soft_bytes, hard_bytes, soft_seconds, hard_seconds;
};
int kmod_sa_add(struct kmod *k, const struct kmod_sa *sa);
int kmod_sa_del(struct kmod *k, uint32_t spi, uint8_t dir, uint32_t peer_id);
/* Counters and sequence numbers, e.g. to see whether an SA carries traffic. */
int kmod_sa_get(struct kmod *k, uint32_t spi, uint8_t dir, uint32_t peer_id,
		struct l2_sa *out);

struct kmod_session {
	uint32_t	peer_id;
	uint16_t	local_tunnel_id, local_session_id;
	uint16_t	remote_tunnel_id, remote_session_id;
	uint16_t	local_port, remote_port;	/* inner UDP, 0 = 1701 */
	bool		has_ipv4, has_ipv6;
	struct in_addr	peer_ipv4;
	struct in6_addr	peer_ipv6;
	uint8_t		peer_ipv6_plen;
	bool		l2tp_length, l2tp_seq, ppp_acfc, ppp_pfc;
};
int kmod_session_add(struct kmod *k, const struct kmod_session *s);
int kmod_session_set(struct kmod *k, const struct kmod_session *s);
int kmod_session_del(struct kmod *k, uint32_t peer_id, uint16_t tunnel_id,
		     uint16_t session_id);
int kmod_session_get(struct kmod *k, uint32_t peer_id, uint16_t tunnel_id,
		     uint16_t session_id, struct l2_session *out);

int kmod_send_l2tp(struct kmod *k, uint32_t peer_id, uint16_t local_port,
		   uint16_t remote_port, const uint8_t *msg, size_t len);
int kmod_send_ppp(struct kmod *k, uint32_t peer_id, uint16_t tunnel_id,
		  uint16_t session_id, const uint8_t *pkt, size_t len);

#endif
