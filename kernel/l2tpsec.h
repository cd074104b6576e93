/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsec: internal declarations shared by the module's files.
 *
 * Locking, in one place:
 *  - Configuration (netlink, rtnl ops, expiry work) of one device is
 *    serialised by l2tpsec_dev::lock, a mutex. Every list_head below is
 *    protected by it and walked only under it.
 *  - The hot paths (RX softirq, ndo_start_xmit, crypto completions) find
 *    objects through the RCU hash tables and never take that mutex.
 *  - The per-netns inbound-SPI table is written under
 *    l2tpsec_net::sa_lock (a spinlock, because SAs are unhashed from the
 *    expiry path too) and read under RCU.
 *  - An SA's replay window is protected by its own spinlock; it is the only
 *    lock on the RX fast path.
 *  - Objects are refcounted; packets in flight through asynchronous crypto
 *    hold a reference to their SA (and so to its peer and device).
 */
#ifndef _L2TPSEC_H
#define _L2TPSEC_H

#include <linux/hashtable.h>
#include <linux/if_ether.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/refcount.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <net/dst_cache.h>
#include <net/genetlink.h>
#include <net/gro_cells.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include <uapi/linux/l2tpsec.h>

#include "compat.h"

#define L2TPSEC_DRV_NAME	"l2tpsec"

/* ---- counters --------------------------------------------------------- */

/* Indexes follow enum l2tpsec_a_stats, starting at RX_PACKETS. */
enum l2tpsec_stat {
	L2TPSEC_STAT_RX_PACKETS,
	L2TPSEC_STAT_RX_BYTES,
	L2TPSEC_STAT_TX_PACKETS,
	L2TPSEC_STAT_TX_BYTES,
	L2TPSEC_STAT_REPLAY_DROPS,
	L2TPSEC_STAT_ICV_FAILS,
	L2TPSEC_STAT_MALFORMED_DROPS,
	L2TPSEC_STAT_NO_SESSION_DROPS,
	L2TPSEC_STAT_NO_SA_DROPS,
	L2TPSEC_STAT_TX_ERRORS,
	L2TPSEC_STAT_EXPIRED_DROPS,
	L2TPSEC_STAT_NO_ROUTE_DROPS,
	L2TPSEC_STAT_FRAMES_LOST,
	L2TPSEC_STAT_INNER_SOURCE_DROPS,
	L2TPSEC_STAT_CRYPTO_BACKLOG_DROPS,
	L2TPSEC_STAT_NOMEM_DROPS,
	L2TPSEC_STAT_FRAME_RATE_DROPS,
	L2TPSEC_STAT_NUM
};

#define L2TPSEC_STAT_ATTR(stat)	((stat) + L2TPSEC_A_STATS_RX_PACKETS)

/*
 * The four traffic counters (RX/TX packets and bytes) move with every
 * packet and are per CPU. Drops and errors are rare: one shared array of
 * them per object, allocated at the first one, so that an idle session
 * costs 32 bytes per CPU per object instead of 128 (issue 16 item 5).
 */
#define L2TPSEC_STAT_TRAFFIC_NUM	(L2TPSEC_STAT_TX_BYTES + 1)
#define L2TPSEC_STAT_RARE_NUM		(L2TPSEC_STAT_NUM - L2TPSEC_STAT_TRAFFIC_NUM)

struct l2tpsec_pcpu_counters {
	u64_stats_t		val[L2TPSEC_STAT_TRAFFIC_NUM];
	struct u64_stats_sync	syncp;
};

struct l2tpsec_counters {
	struct l2tpsec_pcpu_counters __percpu *pcpu;
	/* L2TPSEC_STAT_RARE_NUM counters, or NULL until the first drop. */
	atomic_long_t		*rare;
};

/*
 * @rare_now: allocate the drop counters now (the device's, so that every
 * drop is counted somewhere even when a later GFP_ATOMIC allocation of an
 * object's array fails).
 */
int l2tpsec_counters_init(struct l2tpsec_counters *c, gfp_t gfp,
			  bool rare_now);
void l2tpsec_counters_free(struct l2tpsec_counters *c);
void l2tpsec_count(struct l2tpsec_counters *c, enum l2tpsec_stat stat,
		   u64 n);
void l2tpsec_counters_read(const struct l2tpsec_counters *c,
			   u64 out[L2TPSEC_STAT_NUM]);

/* ---- per-netns state -------------------------------------------------- */

#define L2TPSEC_SPI_HASH_BITS	10

/* Objects a network namespace may hold; module parameters max_<name>. */
enum l2tpsec_limit {
	L2TPSEC_LIMIT_DEVICES,
	L2TPSEC_LIMIT_PEERS,
	L2TPSEC_LIMIT_SAS,
	L2TPSEC_LIMIT_SESSIONS,
	L2TPSEC_LIMIT_NUM
};

struct l2tpsec_net {
	struct net		*net;
	atomic_t		nr[L2TPSEC_LIMIT_NUM];	/* enum l2tpsec_limit */
	struct list_head	devs;		/* RTNL; RCU readers */
	spinlock_t		sa_lock;	/* writers of sa_in */
	DECLARE_HASHTABLE(sa_in, L2TPSEC_SPI_HASH_BITS); /* RCU readers */
};

extern unsigned int l2tpsec_net_id;
/* Frees objects after RCU grace periods; drained on module exit. */
extern struct workqueue_struct *l2tpsec_wq;

static inline struct l2tpsec_net *l2tpsec_pernet(const struct net *net)
{
	return net_generic(net, l2tpsec_net_id);
}

/* Count one more object in @net; -ENOSPC past the module parameter. */
int l2tpsec_net_charge(struct net *net, enum l2tpsec_limit limit,
		       struct netlink_ext_ack *extack);
void l2tpsec_net_uncharge(struct net *net, enum l2tpsec_limit limit);

/* ---- device ----------------------------------------------------------- */

#define L2TPSEC_PEER_HASH_BITS		6
#define L2TPSEC_SESSION_HASH_BITS	8
#define L2TPSEC_ROUTE_HASH_BITS		8

struct l2tpsec_session;
struct l2tpsec_sa;

struct l2tpsec_dev {
	struct net_device	*dev;
	struct net		*net;
	struct list_head	node;		/* l2tpsec_net::devs */

	/* Serialises every configuration change of this device. */
	struct mutex		lock;
	/* Bumped on each change, so that dumps can flag interruptions. */
	unsigned int		generation;

	/* ESP-in-UDP socket, adopted (a sock reference) or own; or NULL. */
	struct sock __rcu	*sk;
	/* Our own kernel socket behind @sk (SOCK_PORT), else NULL. */
	struct socket		*own_sock;
	/*
	 * Netlink port that receives frames; 0 when none. Set under lock,
	 * cleared by cmpxchg when the listener's socket is released.
	 */
	u32			frame_portid;
	bool			mss_clamp;
	/*
	 * Client role: the only session is the default route both ways
	 * (L2TPSEC_A_SINGLE_SESSION_FALLBACK). Read locklessly.
	 */
	bool			fallback;
	/* The admin set the MTU: stop deriving it from the SAs. */
	bool			mtu_locked;
	/* Set under RTNL while we change the MTU ourselves. */
	bool			mtu_deriving;
	/* Being deleted: refuse new objects. Under lock. */
	bool			dead;
	/* MTU computed from the SAs; applied by mtu_work under RTNL. */
	unsigned int		derived_mtu;
	/* The worst l2tpsec_sa_max_overhead() of the SAs; under lock. */
	unsigned int		sa_overhead;
	struct delayed_work	mtu_work;
	struct gro_cells	gro_cells;

	struct list_head	peers;		/* under lock */
	struct list_head	sessions;	/* under lock */
	unsigned int		nr_sessions;	/* under lock */
	/* The only session, when there is one; used with @fallback. */
	struct l2tpsec_session __rcu *only_session;

	DECLARE_HASHTABLE(peer_hash, L2TPSEC_PEER_HASH_BITS);
	DECLARE_HASHTABLE(session_hash, L2TPSEC_SESSION_HASH_BITS);
	DECLARE_HASHTABLE(route4_hash, L2TPSEC_ROUTE_HASH_BITS);
	DECLARE_HASHTABLE(route6_hash, L2TPSEC_ROUTE_HASH_BITS);

	struct l2tpsec_counters	stats;
	struct delayed_work	expiry_work;
	/* Requests in the crypto API, all SAs (max_crypto_inflight_dev). */
	atomic_t		crypto_inflight;
};

extern struct rtnl_link_ops l2tpsec_link_ops;

int l2tpsec_device_init(void);
void l2tpsec_device_exit(void);
struct l2tpsec_dev *l2tpsec_dev_get_by_index(struct net *net, int ifindex);
struct l2tpsec_dev *l2tpsec_dev_get_by_name(struct net *net,
					    const char *name);
void l2tpsec_dev_put(struct l2tpsec_dev *ldev);
bool l2tpsec_is_dev(const struct net_device *dev);
/* Recompute the MTU from the SAs' overhead unless the admin locked it. */
void l2tpsec_dev_update_mtu(struct l2tpsec_dev *ldev);
/* The same after adding @sa, in constant time. */
void l2tpsec_dev_sa_added(struct l2tpsec_dev *ldev, struct l2tpsec_sa *sa);
void l2tpsec_dev_changed(struct l2tpsec_dev *ldev);

/* ---- peer ------------------------------------------------------------- */

/*
 * Where a peer is, and the route there: replaced as a whole (RCU) when the
 * peer moves, so a sender never pairs the new address with a route cached
 * for the old one.
 */
struct l2tpsec_endpoint {
	__be32			local;
	__be32			remote;
	__be16			local_port;	/* ESP-in-UDP only, network order */
	__be16			remote_port;
	struct dst_cache	dst_cache;
	struct rcu_head		rcu;
};

/*
 * Token bucket (frame_rate.c). Pure: the caller serialises and passes the
 * clock; rate 0 means no limit. A zeroed bucket starts full.
 */
struct l2tpsec_bucket {
	u64	last_ns;
	u64	tokens;		/* NSEC_PER_SEC per token */
	bool	primed;
};

#define L2TPSEC_FRAME_RATE_DEFAULT	500
#define L2TPSEC_FRAME_BURST_DEFAULT	1000

bool l2tpsec_bucket_take(struct l2tpsec_bucket *b, u64 now_ns, u32 rate,
			 u32 burst);

struct l2tpsec_peer {
	struct hlist_node	hnode;		/* ldev->peer_hash */
	struct list_head	node;		/* ldev->peers */
	struct rcu_work		free_rwork;	/* after a grace period */
	refcount_t		refcnt;
	struct l2tpsec_dev	*ldev;		/* held: dev_tracker */
	netdevice_tracker	dev_tracker;
	u32			id;
	u8			encap;		/* enum l2tpsec_encap */
	bool			dead;		/* unlinked; under ldev->lock */

	struct l2tpsec_endpoint __rcu *ep;	/* replaced under ep_lock */
	spinlock_t		ep_lock;

	struct l2tpsec_sa __rcu	*tx_sa;
	struct list_head	sas;		/* every SA; under ldev->lock */
	struct list_head	sessions;	/* its sessions; ldev->lock */
	struct l2tpsec_counters	stats;

	spinlock_t		frame_lock;	/* frame_bucket, frame_limited */
	struct l2tpsec_bucket	frame_bucket;	/* control frames to the daemon */
	bool			frame_limited;	/* logged; until the bucket refills */
};

struct l2tpsec_peer_config {
	u32		id;
	u8		encap;
	__be32		local;
	__be32		remote;
	u16		local_port;	/* host order */
	u16		remote_port;
};

/* Caller holds ldev->lock for create, lookup, set and delete. */
int l2tpsec_peer_create(struct l2tpsec_dev *ldev,
			const struct l2tpsec_peer_config *cfg,
			struct netlink_ext_ack *extack);
struct l2tpsec_peer *l2tpsec_peer_find(struct l2tpsec_dev *ldev, u32 id);
/* Point TX at the outbound SA @spi of this peer. */
int l2tpsec_peer_set_tx_sa(struct l2tpsec_peer *peer, u32 spi,
			   struct netlink_ext_ack *extack);
/* Change the remote outer address/port (admin or daemon decision). */
void l2tpsec_peer_set_remote(struct l2tpsec_peer *peer, __be32 addr,
			     __be16 port);
void l2tpsec_peer_delete(struct l2tpsec_peer *peer);
/* RCU lookup for the hot paths; no reference taken. */
struct l2tpsec_peer *l2tpsec_peer_lookup_rcu(struct l2tpsec_dev *ldev,
					     u32 id);
struct l2tpsec_peer *l2tpsec_peer_get(struct l2tpsec_peer *peer);
void l2tpsec_peer_put(struct l2tpsec_peer *peer);
/*
 * RX: a verified packet that advanced the top of its SA's replay window
 * came from @addr:@port; float if it moved. Older packets (reordered, or
 * delayed on an old NAT binding) must not be passed here.
 */
void l2tpsec_peer_seen(struct l2tpsec_peer *peer, __be32 addr, __be16 port);
/*
 * May one more control frame from @peer go to the daemon? False when the
 * peer is over the module parameters frame_rate/frame_burst: counted in
 * frame_rate_drops, logged once per episode. Any context.
 */
bool l2tpsec_peer_frame_allowed(struct l2tpsec_peer *peer);

/* ---- replay window (replay.c, pure: KUnit-tested) ---------------------- */

/*
 * The bitmap is as long as the window (l2tpsec_replay_words()), not the
 * maximum: 128 bytes for the default 1024 packets instead of 512.
 */
struct l2tpsec_replay {
	u32		size;		/* packets, <= REPLAY_WINDOW_MAX */
	u32		top;		/* highest sequence number accepted */
	unsigned long	bitmap[];
};

/* The window @size asks for, rounded as l2tpsec_replay_init() does. */
u32 l2tpsec_replay_size(u32 size);
/* Words of bitmap a window of @size (as asked for) needs. */
static inline unsigned int l2tpsec_replay_words(u32 size)
{
	return BITS_TO_LONGS(l2tpsec_replay_size(size));
}

/* @rw has room for l2tpsec_replay_words(@size) words of bitmap. */
void l2tpsec_replay_init(struct l2tpsec_replay *rw, u32 size);
/* 0 if @seq may be accepted, -EINVAL for 0, -EEXIST duplicate, -ERANGE old */
int l2tpsec_replay_check(const struct l2tpsec_replay *rw, u32 seq);
/* Mark @seq seen after its ICV verified; same return values as check. */
int l2tpsec_replay_update(struct l2tpsec_replay *rw, u32 seq);

/* ---- SA ---------------------------------------------------------------- */

struct l2tpsec_sa_lifetime {
	u64	soft_bytes, hard_bytes;
	u64	soft_packets, hard_packets;
	u64	soft_seconds, hard_seconds;
};

struct l2tpsec_sa_config {
	u32		spi;
	u8		dir;		/* enum l2tpsec_dir */
	u32		peer_id;
	u8		cipher;		/* enum l2tpsec_cipher */
	u8		integ;		/* enum l2tpsec_integ */
	u8		icv_len;	/* 0: the algorithm's default */
	const u8	*enc_key;
	unsigned int	enc_key_len;
	const u8	*auth_key;
	unsigned int	auth_key_len;
	u32		replay_window;	/* 0: default */
	struct l2tpsec_sa_lifetime life;
};

struct l2tpsec_sa {
	struct hlist_node	hnode;		/* l2tpsec_net::sa_in (in only) */
	struct list_head	node;		/* peer->sas */
	struct rcu_work		free_rwork;	/* after a grace period */
	struct l2tpsec_peer	*peer;		/* holds a reference */
	struct crypto_aead	*aead;
	refcount_t		refcnt;
	u32			spi;
	u8			dir;
	u8			cipher;
	u8			integ;
	u8			icv_len;
	u8			iv_len;
	u8			block_size;	/* padding alignment, >= 4 */
	/* Requests in the crypto API (max_crypto_inflight_sa). */
	atomic_t		crypto_inflight;

	struct l2tpsec_sa_lifetime life;
	time64_t		added;		/* ktime_get_seconds() */
	atomic64_t		cur_bytes;
	atomic64_t		cur_packets;
	unsigned long		flags;		/* L2TPSEC_SA_F_* bits */
	/* outbound: last sequence number used */
	atomic64_t		seq_out;

	struct l2tpsec_counters	stats;

	/* inbound */
	spinlock_t		replay_lock;
	/*
	 * Last: its bitmap is allocated with the SA, as long as the window,
	 * and only for inbound SAs (an outbound one has size and top only).
	 */
	struct l2tpsec_replay	replay;
};

enum {
	L2TPSEC_SA_F_SOFT_SENT,		/* soft-expiry event already sent */
	L2TPSEC_SA_F_DEAD,		/* hard-expired or deleted */
	L2TPSEC_SA_F_USED,		/* first-use event sent */
	L2TPSEC_SA_F_HASHED,		/* on l2tpsec_net::sa_in */
	L2TPSEC_SA_F_BACKLOG_LOGGED,	/* hit a crypto in-flight cap once */
};

/* ldev->lock held. */
int l2tpsec_sa_create(struct l2tpsec_dev *ldev,
		      const struct l2tpsec_sa_config *cfg,
		      struct netlink_ext_ack *extack);
struct l2tpsec_sa *l2tpsec_sa_find(struct l2tpsec_dev *ldev, u32 spi, u8 dir,
				   u32 peer_id);
void l2tpsec_sa_delete(struct l2tpsec_sa *sa);
/* The same without recomputing the MTU: for deleting many at once. */
void __l2tpsec_sa_delete(struct l2tpsec_sa *sa);
/* Overhead in bytes that this SA adds to an L2TP/PPP payload of @mtu. */
unsigned int l2tpsec_sa_max_overhead(const struct l2tpsec_sa *sa);

/* Hot paths. */
struct l2tpsec_sa *l2tpsec_sa_lookup_in_rcu(struct net *net, u32 spi);
bool l2tpsec_sa_get(struct l2tpsec_sa *sa);	/* false when going away */
void l2tpsec_sa_put(struct l2tpsec_sa *sa);
/* Account one packet; false (and the SA expires) past a hard limit. */
bool l2tpsec_sa_account(struct l2tpsec_sa *sa, unsigned int bytes);
void l2tpsec_sa_expire_work(struct work_struct *work);
u64 l2tpsec_sa_last_seq(struct l2tpsec_sa *sa);
/* TX: next sequence number, 0 when the SA may send no more. */
u32 l2tpsec_sa_next_seq(struct l2tpsec_sa *sa);

/* Algorithm properties shared with KUnit and the MTU arithmetic. */
int l2tpsec_alg_check(u8 cipher, u8 integ, unsigned int enc_key_len,
		      unsigned int auth_key_len, u8 *icv_len,
		      struct netlink_ext_ack *extack);
const char *l2tpsec_alg_name(u8 cipher, u8 integ, char *buf, size_t len);

/* ---- session ----------------------------------------------------------- */

struct l2tpsec_session_config {
	u32		peer_id;
	u16		local_tunnel_id, local_session_id;
	u16		remote_tunnel_id, remote_session_id;
	u16		local_port, remote_port;	/* host order */
	bool		has_ipv4, has_ipv6;
	__be32		peer_ipv4;
	struct in6_addr	peer_ipv6;
	u8		peer_ipv6_plen;
	bool		l2tp_length, l2tp_seq, ppp_acfc, ppp_pfc;
};

struct l2tpsec_session {
	struct hlist_node	hnode;		/* ldev->session_hash */
	struct hlist_node	route4;		/* ldev->route4_hash */
	struct hlist_node	route6;		/* ldev->route6_hash */
	struct list_head	node;		/* ldev->sessions */
	struct list_head	peer_node;	/* peer->sessions */
	struct rcu_head		rcu;
	struct l2tpsec_peer	*peer;		/* holds a reference */

	u16			local_tunnel_id, local_session_id;
	u16			remote_tunnel_id, remote_session_id;
	__be16			local_port, remote_port;
	/*
	 * Routing keys and allowed inner sources; changed only while
	 * unhashed from the routes, under ldev->lock, and read locklessly
	 * by RX (READ_ONCE; a racing packet sees the old or new address).
	 */
	bool			has_ipv4, has_ipv6;
	__be32			peer_ipv4;
	struct in6_addr		peer_ipv6;
	u8			peer_ipv6_plen;
	/* Options read locklessly on TX. */
	u8			l2tp_length, l2tp_seq, ppp_acfc, ppp_pfc;
	atomic_t		tx_ns;		/* next data Ns */

	struct l2tpsec_counters	stats;
};

/* ldev->lock held. */
int l2tpsec_session_create(struct l2tpsec_dev *ldev,
			   const struct l2tpsec_session_config *cfg,
			   struct netlink_ext_ack *extack);
/* Change addresses and options; fields with has_* false are left alone. */
int l2tpsec_session_update(struct l2tpsec_session *s,
			   const struct l2tpsec_session_config *cfg,
			   struct netlink_ext_ack *extack);
struct l2tpsec_session *l2tpsec_session_find(struct l2tpsec_dev *ldev,
					     u32 peer_id, u16 tunnel_id,
					     u16 session_id);
void l2tpsec_session_delete(struct l2tpsec_session *s);
void l2tpsec_peer_delete_sessions(struct l2tpsec_peer *peer);

/* RCU lookups for the hot paths. */
struct l2tpsec_session *l2tpsec_session_lookup_rcu(struct l2tpsec_dev *ldev,
						   u32 peer_id, u16 tunnel_id,
						   u16 session_id);
struct l2tpsec_session *l2tpsec_route_lookup_rcu(struct l2tpsec_dev *ldev,
						 struct sk_buff *skb);

/* ---- codecs (l2tp.c, ppp.c: pure, KUnit-tested) ------------------------ */

#define L2TP_HDR_T	0x8000
#define L2TP_HDR_L	0x4000
#define L2TP_HDR_S	0x0800
#define L2TP_HDR_O	0x0200
#define L2TP_HDR_P	0x0100
#define L2TP_HDR_VER_MASK 0x000f
#define L2TP_HDR_VER_2	0x0002
/* flags/ver + length + tunnel + session + Ns + Nr; we never send offsets */
#define L2TP_HDR_MAX_TX	12

struct l2tp_hdr_info {
	u16	flags;
	u16	length;		/* when L is set */
	u16	tunnel_id;
	u16	session_id;
	u16	ns, nr;		/* when S is set */
	u16	hdr_len;	/* bytes up to the payload, offset pad included */
};

/* Parse an L2TPv2 header; -EINVAL for malformed, -EPROTONOSUPPORT for v3. */
int l2tpsec_l2tp_parse(const u8 *buf, unsigned int len,
		       struct l2tp_hdr_info *info);
/* Write a data header to @buf; returns its length. */
unsigned int l2tpsec_l2tp_build(u8 *buf, u16 tunnel_id, u16 session_id,
				bool with_length, u16 length, bool with_seq,
				u16 ns);
unsigned int l2tpsec_l2tp_hdr_len(bool with_length, bool with_seq);

#define PPP_HDR_MAX	4

/* Parse address/control (optional) and protocol (1 or 2 bytes). */
int l2tpsec_ppp_parse(const u8 *buf, unsigned int len, u16 *proto,
		      unsigned int *hdr_len);
/* Write a PPP header; LCP always goes out uncompressed (RFC 1661 6.5/6.6). */
unsigned int l2tpsec_ppp_build(u8 *buf, u16 proto, bool acfc, bool pfc);
unsigned int l2tpsec_ppp_hdr_len(u16 proto, bool acfc, bool pfc);

/* ---- ESP (esp.c) --------------------------------------------------------- */

/* Per-packet state kept in skb->cb while crypto runs. */
struct l2tpsec_skb_cb {
	struct l2tpsec_sa	*sa;		/* holds a reference */
	void			*req_mem;	/* aead request + iv + sg */
	__be32			saddr;		/* RX: outer source */
	__be16			sport;		/* RX: outer UDP source port */
	u16			tunnel_id;	/* TX of a frame: for counters */
	u32			seq;
	bool			top_advanced;	/* RX: seq moved the window */
};

#define L2TPSEC_SKB_CB(skb) ((struct l2tpsec_skb_cb *)(skb)->cb)
static_assert(sizeof(struct l2tpsec_skb_cb) <=
	      sizeof_field(struct sk_buff, cb));

/*
 * Caps on requests handed to the crypto API and not completed yet (module
 * parameters max_crypto_inflight_sa and max_crypto_inflight_dev).
 */
extern unsigned int l2tpsec_max_crypto_inflight_sa;
extern unsigned int l2tpsec_max_crypto_inflight_dev;

/* Bytes ESP adds in front of the payload: header + IV. */
static inline unsigned int l2tpsec_esp_hdr_len(const struct l2tpsec_sa *sa)
{
	return 8 + sa->iv_len;
}

/* Bytes ESP adds behind a payload of @len: padding, trailer, ICV. */
unsigned int l2tpsec_esp_tail_len(const struct l2tpsec_sa *sa,
				  unsigned int len);

/* Request, IV and scatterlist for one packet on @aead (GFP_ATOMIC). */
void *l2tpsec_esp_alloc_req_mem(struct crypto_aead *aead);
/*
 * Encrypt @skb (data at the inner UDP header) with @sa and send it; consumes
 * @skb and the caller's reference on @sa in every case.
 */
void l2tpsec_esp_output(struct l2tpsec_sa *sa, struct sk_buff *skb);
/*
 * Decrypt @skb (data at the ESP header) received on @sa; consumes @skb and
 * the caller's reference on @sa. Continues in l2tpsec_rx_decrypted().
 */
void l2tpsec_esp_input(struct l2tpsec_sa *sa, struct sk_buff *skb);

/* ---- RX and TX pipelines ----------------------------------------------- */

/* Entry from UDP encap_rcv and from the xfrm4 handler, RCU held. */
int l2tpsec_rx_esp(struct net *net, struct sk_buff *skb, __be16 sport);
/* After decryption: @skb data at the inner UDP header. */
void l2tpsec_rx_decrypted(struct l2tpsec_sa *sa, struct sk_buff *skb);
/*
 * May @s deliver an IPv6 packet from @src to @dst? Its address or prefix
 * @pfx/@plen, fe80::IID when @plen is 128, and :: towards a multicast
 * group (DAD, MLD). Pure, KUnit-tested.
 */
bool l2tpsec_ipv6_src_allowed(const struct in6_addr *src,
			      const struct in6_addr *dst,
			      const struct in6_addr *pfx, u8 plen);
/* Send PPP packet @skb (data at the PPP protocol field) on @s. */
void l2tpsec_tx_session(struct l2tpsec_session *s, struct sk_buff *skb,
			u16 proto);
/* Send an L2TP control message to @peer; ldev->lock or RCU held. */
int l2tpsec_tx_l2tp_ctrl(struct l2tpsec_peer *peer, const u8 *msg,
			 unsigned int len, u16 local_port, u16 remote_port);
/* Send a PPP control packet (proto + info) on a session. */
int l2tpsec_tx_ppp_ctrl(struct l2tpsec_session *s, const u8 *pkt,
			unsigned int len);
/* After encryption: push outer headers and send. Consumes @skb. */
void l2tpsec_tx_encrypted(struct l2tpsec_sa *sa, struct sk_buff *skb);
netdev_tx_t l2tpsec_xmit(struct sk_buff *skb, struct net_device *dev);

/* ---- UDP socket and raw ESP (udp.c, xfrm.c) ----------------------------- */

/* ldev->lock held. fd < 0 detaches. */
int l2tpsec_sock_attach(struct l2tpsec_dev *ldev, int fd,
			struct netlink_ext_ack *extack);
/* ldev->lock held. Open our own socket bound to @addr:@port instead. */
int l2tpsec_sock_open(struct l2tpsec_dev *ldev, __be32 addr, u16 port,
		      struct netlink_ext_ack *extack);
void l2tpsec_sock_detach(struct l2tpsec_dev *ldev);
int l2tpsec_xfrm_init(void);
void l2tpsec_xfrm_exit(void);

/* ---- MSS clamping (mss.c) ----------------------------------------------- */

/* Clamp the MSS option of a TCP SYN in @skb (data at the IP header). */
void l2tpsec_mss_clamp(struct sk_buff *skb, unsigned int mtu);
/* Largest inner MTU so that the outer packet fits @link_mtu. */
unsigned int l2tpsec_mtu_for(unsigned int link_mtu, unsigned int iv_len,
			     unsigned int block_size, unsigned int icv_len,
			     bool udp_encap);

/* ---- netlink (netlink.c, channel.c) ------------------------------------ */

int l2tpsec_nl_init(void);
void l2tpsec_nl_exit(void);
/*
 * Deliver a received control frame from @peer to the listener, within the
 * peer's frame rate; atomic context.
 */
void l2tpsec_nl_frame_rx(struct l2tpsec_peer *peer, u8 kind,
			 u16 local_port, u16 remote_port, u16 tunnel_id,
			 u16 session_id, const u8 *payload, unsigned int len);
/* Multicast an SA event; atomic context. */
void l2tpsec_nl_sa_event(struct l2tpsec_sa *sa, u8 kind, u8 reason);
void l2tpsec_nl_float_event(struct l2tpsec_peer *peer, __be32 addr,
			    __be16 port);

#endif /* _L2TPSEC_H */
