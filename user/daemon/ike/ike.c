// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd IKEv1: sockets, the SA table, sending and retransmission,
 * fragment reassembly, dispatch by exchange type, failure records.
 *
 * UDP 500 and UDP 4500 are ours. 4500 is handed to the module, which
 * takes ESP and leaves us the datagrams that start with the non-ESP
 * marker (IKE after a NAT-T float); NAT keepalives (0xFF) never reach us.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "ike_int.h"
#include "kmod.h"
#include "log.h"
#include "loop.h"
#include "view.h"

/* The exchanges ike.c dispatches to, by exchange type. */
static const struct ike_exchange_ops *const exchanges[] = {
	[ISAKMP_XCHG_IDPROT]		= &ike_main_mode,
	[ISAKMP_XCHG_AGGRESSIVE]	= &ike_aggressive_mode,
	[ISAKMP_XCHG_INFO]		= &ike_informational,
	[ISAKMP_XCHG_QUICK]		= &ike_quick_mode,
};

/* The phase 1 exchange an SA runs (its retransmission timer's owner). */
const struct ike_exchange_ops *ike_sa_phase1(const struct ike_sa *sa)
{
	return sa->state == P1_I_AM1 || sa->state == P1_R_AM2 ?
	       &ike_aggressive_mode : &ike_main_mode;
}

#define IKE_RX_BUDGET	64

static const char *const fail_names[IKE_FAIL_MAX] = {
	[IKE_FAIL_NONE]		= "none",
	[IKE_FAIL_NO_PROPOSAL]	= "no-proposal-chosen",
	[IKE_FAIL_PSK]		= "psk-mismatch",
	[IKE_FAIL_ID]		= "id-mismatch",
	[IKE_FAIL_CERT]		= "certificate",
	[IKE_FAIL_SELECTOR]	= "selector-mismatch",
	[IKE_FAIL_SILENT]	= "peer-silent",
	[IKE_FAIL_NAT]		= "nat-without-nat-t",
	[IKE_FAIL_PEER]		= "peer-refused",
	[IKE_FAIL_AGGRESSIVE]	= "aggressive-mode",
	[IKE_FAIL_DPD]		= "dead-peer",
	[IKE_FAIL_KERNEL]	= "kernel",
	[IKE_FAIL_PROTOCOL]	= "protocol",
};

const char *ike_fail_name(enum ike_fail_kind kind)
{
	return kind < IKE_FAIL_MAX && fail_names[kind] ? fail_names[kind] : "?";
}

uint64_t ike_now(const struct ike *ike)
{
	return loop_now_ms(ike->loop);
}

/* ---- SA table ---------------------------------------------------------- */

static unsigned int bucket(const uint8_t *icky)
{
	uint32_t h = 2166136261u;
	int i;

	for (i = 0; i < 8; i++)
		h = (h ^ icky[i]) * 16777619u;
	return h % IKE_SA_BUCKETS;
}


struct ike_sa *ike_sa_new(struct ike *ike, bool initiator,
			  const struct sockaddr_in *remote,
			  const struct sockaddr_in *local)
{
	struct ike_sa *sa = calloc(1, sizeof(*sa));
	unsigned int b;

	if (!sa)
		return NULL;
	sa->ike = ike;
	sa->initiator = initiator;
	sa->remote = *remote;
	if (local)
		sa->local = *local;
	sa->serial = ++ike->next_serial;
	sa->created = ike_now(ike);
	sa->timer = loop_timer_new(ike->loop, ike_sa_timer_cb, sa);
	if (!sa->timer) {
		free(sa);
		return NULL;
	}
	/* A responder's SA is hashed once its caller set the cookie. */
	if (initiator) {
		do {
			ike_random(sa->icky, 8);
		} while (ike_sa_find(ike, sa->icky, NULL));
		b = bucket(sa->icky);
		sa->hnext = ike->hash[b];
		ike->hash[b] = sa;
		sa->hashed = true;
	}
	sa->lnext = ike->sas;
	ike->sas = sa;
	ike->cnt.ike_sas++;
	ike->half_open++;
	return sa;
}

static void unhash(struct ike_sa *sa)
{
	struct ike *ike = sa->ike;
	struct ike_sa **pp;

	if (!sa->hashed)
		return;
	for (pp = &ike->hash[bucket(sa->icky)]; *pp; pp = &(*pp)->hnext) {
		if (*pp == sa) {
			*pp = sa->hnext;
			break;
		}
	}
	sa->hashed = false;
}

void ike_sa_hash(struct ike_sa *sa)
{
	unsigned int b;

	unhash(sa);
	b = bucket(sa->icky);
	sa->hnext = sa->ike->hash[b];
	sa->ike->hash[b] = sa;
	sa->hashed = true;
}

struct ike_sa *ike_sa_find(struct ike *ike, const uint8_t *icky,
			   const uint8_t *rcky)
{
	static const uint8_t zero[8];
	struct ike_sa *sa;

	for (sa = ike->hash[bucket(icky)]; sa; sa = sa->hnext) {
		if (memcmp(sa->icky, icky, 8))
			continue;
		if (!rcky || !memcmp(sa->rcky, rcky, 8))
			return sa;
		/* Our MM1 had no responder cookie yet. */
		if (sa->initiator &&
		    (sa->state == P1_I_MM1 || sa->state == P1_I_AM1) &&
		    !memcmp(sa->rcky, zero, 8))
			return sa;
	}
	return NULL;
}

static void reasm_free(struct ike_sa *sa)
{
	struct ike_reasm *r = sa->reasm;
	int i;

	if (!r)
		return;
	for (i = 0; i <= IKE_MAX_FRAGS; i++)
		free(r->frag[i]);
	sa->ike->frag_bytes -= r->bytes;
	loop_timer_free(r->timer);
	free(r);
	sa->reasm = NULL;
}

void ike_tx_clear(struct ike_tx *tx)
{
	free(tx->pkt);
	memset(tx, 0, sizeof(*tx));
}

void ike_sa_free(struct ike_sa *sa)
{
	struct ike *ike = sa->ike;
	struct ike_sa **pp;
	size_t i;

	/* what the exchanges keep on the SA (Quick Modes) */
	for (i = 0; i < ARRAY_SIZE(exchanges); i++)
		if (exchanges[i] && exchanges[i]->free)
			exchanges[i]->free(sa);
	remote_sa_gone(sa);
	dpd_stop(sa);
	unhash(sa);
	for (pp = &ike->sas; *pp; pp = &(*pp)->lnext) {
		if (*pp == sa) {
			*pp = sa->lnext;
			break;
		}
	}
	src_sa_gone(sa);
	if (sa->state != P1_ESTABLISHED && ike->half_open)
		ike->half_open--;
	ike->cnt.ike_sas--;
	loop_timer_free(sa->timer);
	loop_timer_free(sa->life_timer);
	ike_dh_free(sa->dh);
	ike_tx_clear(&sa->tx);
	reasm_free(sa);
	free(sa->qm_ids);
	free(sa->sai_b);
	X509_free(sa->peer_cert);
	ike_wipe(&sa->k, sizeof(sa->k));
	ike_wipe(sa->gxy, sizeof(sa->gxy));
	free(sa);
}

void ike_sa_delete(struct ike_sa *sa, bool notify, const char *why)
{
	if (sa->deleting)
		return;
	sa->deleting = true;
	if (sa->state == P1_ESTABLISHED) {
		uint8_t spi[16];

		SA_LOG(sa, LOG_LVL_INFO, "ISAKMP SA %016llx:%016llx deleted: %s",
		       (unsigned long long)be64toh(*(uint64_t *)sa->icky),
		       (unsigned long long)be64toh(*(uint64_t *)sa->rcky),
		       why);
		if (notify) {
			memcpy(spi, sa->icky, 8);
			memcpy(spi + 8, sa->rcky, 8);
			info_send_delete(sa, PROTO_ISAKMP, spi, 16);
		}
	}
	ike_sa_free(sa);
}

/* ---- encryption -------------------------------------------------------- */

int ike_encrypt(const struct ike_keys *k, struct ike_buf *b, uint8_t *iv)
{
	size_t plen, pad;
	int ret;

	if (b->err || b->len < ISAKMP_HDR_LEN)
		return -EINVAL;
	plen = b->len - ISAKMP_HDR_LEN;
	pad = (k->block - plen % k->block) % k->block;
	ike_buf_zero(b, pad);
	if (b->err)
		return -ENOMEM;
	plen += pad;
	b->data[19] |= ISAKMP_FLAG_E;
	ret = ike_cbc(k->enc, k->enc_key, k->enc_len, iv,
		      b->data + ISAKMP_HDR_LEN, plen, b->data + ISAKMP_HDR_LEN,
		      true);
	if (ret)
		return ret;
	memcpy(iv, b->data + b->len - k->block, k->block);
	ike_buf_finish(b);
	return 0;
}

int ike_decrypt(const struct ike_keys *k, const uint8_t *pkt, size_t len,
		uint8_t *iv, uint8_t *out)
{
	size_t clen = len - ISAKMP_HDR_LEN;
	int ret;

	if (len <= ISAKMP_HDR_LEN || clen % k->block)
		return -EBADMSG;
	ret = ike_cbc(k->enc, k->enc_key, k->enc_len, iv,
		      pkt + ISAKMP_HDR_LEN, clen, out, false);
	if (ret)
		return ret;
	memcpy(iv, pkt + len - k->block, k->block);
	return 0;
}

/* ---- input ------------------------------------------------------------- */

static void input(struct ike *ike, const uint8_t *pkt, size_t len,
		  const struct sockaddr_in *from, const struct sockaddr_in *to,
		  bool natt, bool reassembled);

static void digest(const uint8_t *pkt, size_t len, uint8_t *out)
{
	struct ike_chunk c = { pkt, len };
	uint8_t d[IKE_MAX_HASH];

	ike_digest(IKE_HASH_SHA1, &c, 1, d);
	memcpy(out, d, 20);
}

static void frag_drop(struct ike *ike)
{
	ike->cnt.drop_frag++;
}

static void reasm_timeout(void *arg)
{
	struct ike_sa *sa = arg;
	struct ike *ike = sa->ike;

	frag_drop(ike);
	ike_refuse(ike, REFUSE_FRAG_TIMEOUT, &sa->remote,
		   "IKE fragments: reassembly did not complete in %u s (fragment-timeout): %zu bytes dropped",
		   ike->conf.fragment_timeout, sa->reasm->bytes);
	reasm_free(sa);
}

/*
 * Fragments: kept per SA until the last one and every one before. Only
 * from the SA's peer (its address; its port, or its first move to NAT-T),
 * only once it announced IKE fragmentation, at most IKE_MAX_MSG bytes per
 * message (what we accept whole), fragment-memory bytes for all SAs, and
 * for fragment-timeout.
 */
static void frag_input(struct ike *ike, const struct isakmp_hdr *h,
		       const uint8_t *pkt, size_t len,
		       const struct sockaddr_in *from,
		       const struct sockaddr_in *to, bool natt)
{
	struct ike_sa *sa = ike_sa_find(ike, h->icky, h->rcky);
	struct ike_msg m;
	struct ike_frag f;
	struct ike_reasm *r;
	const char *why = NULL;
	uint8_t *whole;
	size_t total = 0;
	int i;

	if (!sa) {
		ike->cnt.drop_unknown_sa++;
		log_peer(LOG_LVL_DEBUG, LOG_IKE, from,
			 "fragment for an unknown SA: dropped");
		return;
	}
	if (sa->remote.sin_addr.s_addr != from->sin_addr.s_addr ||
	    (sa->remote.sin_port != from->sin_port &&
	     !(natt && !sa->on_natt))) {
		frag_drop(ike);
		ike_refuse(ike, REFUSE_FRAG_SOURCE, from,
			   "IKE fragment not from the SA's peer (%s:%u): dropped",
			   inet_ntoa(sa->remote.sin_addr),
			   ntohs(sa->remote.sin_port));
		return;
	}
	if (!sa->peer_frag) {
		frag_drop(ike);
		ike_refuse(ike, REFUSE_FRAG_NO_VID, from,
			   "IKE fragment, but the peer did not announce IKE fragmentation (vendor ID): dropped");
		return;
	}
	if (ike_chain_parse(h->np, pkt + ISAKMP_HDR_LEN, len - ISAKMP_HDR_LEN,
			    false, &m, &why) ||
	    m.n != 1 || ike_frag_parse(m.pl[0].body, m.pl[0].len, &f, &why)) {
		ike->cnt.drop_malformed++;
		log_peer(LOG_LVL_DEBUG, LOG_IKE, from, "bad fragment: %s",
			 why ? why : "more than one payload");
		return;
	}
	if (f.num > IKE_MAX_FRAGS) {
		ike->cnt.drop_malformed++;
		log_peer(LOG_LVL_DEBUG, LOG_IKE, from,
			 "fragment number %u above %u: dropped", f.num,
			 IKE_MAX_FRAGS);
		return;
	}
	r = sa->reasm;
	if (r && r->id != f.id) {
		reasm_free(sa);
		r = NULL;
	}
	if (r && r->frag[f.num])
		return;		/* a duplicate */
	if ((r ? r->bytes : 0) + f.len > IKE_MAX_MSG) {
		frag_drop(ike);
		ike_refuse(ike, REFUSE_FRAG_SIZE, from,
			   "IKE fragments add up to more than %u bytes, larger than the largest message we accept: reassembly dropped",
			   IKE_MAX_MSG);
		reasm_free(sa);
		return;
	}
	if (ike->frag_bytes + f.len > ike->conf.fragment_memory) {
		frag_drop(ike);
		ike_refuse(ike, REFUSE_FRAG_MEMORY, from,
			   "IKE fragment dropped: %zu bytes held for reassembly of all peers (fragment-memory %u)",
			   ike->frag_bytes, ike->conf.fragment_memory);
		return;
	}
	if (!r) {
		r = calloc(1, sizeof(*r));
		if (!r)
			return;
		r->timer = loop_timer_new(ike->loop, reasm_timeout, sa);
		if (!r->timer) {
			free(r);
			return;
		}
		r->id = f.id;
		r->started = ike_now(ike);
		sa->reasm = r;
		loop_timer_arm(r->timer,
			       (uint64_t)ike->conf.fragment_timeout * 1000);
	}
	r->frag[f.num] = malloc(f.len);
	if (!r->frag[f.num])
		return;
	memcpy(r->frag[f.num], f.data, f.len);
	r->flen[f.num] = f.len;
	r->bytes += f.len;
	ike->frag_bytes += f.len;
	if (f.last)
		r->last = f.num;
	if (!r->last)
		return;
	for (i = 1; i <= r->last; i++) {
		if (!r->frag[i])
			return;
		total += r->flen[i];
	}
	whole = malloc(total);
	if (!whole)
		return;
	total = 0;
	for (i = 1; i <= r->last; i++) {
		memcpy(whole + total, r->frag[i], r->flen[i]);
		total += r->flen[i];
	}
	reasm_free(sa);
	SA_LOG(sa, LOG_LVL_DEBUG, "reassembled a %zu-byte message from fragments",
	       total);
	input(ike, whole, total, from, to, natt, true);
	free(whole);
}

static void ikev2_refused(struct ike *ike, const struct sockaddr_in *from)
{
	size_t i;

	/* Once per peer and failure record, not per retransmission. */
	for (i = 0; i < ike->nfailures; i++)
		if (ike->failures[i].peer.sin_addr.s_addr ==
		    from->sin_addr.s_addr &&
		    ike->failures[i].kind == IKE_FAIL_PROTOCOL &&
		    time(NULL) - ike->failures[i].when < 60)
			return;
	ike_fail(ike, from, IKE_FAIL_PROTOCOL,
		 "IKEv2 is not supported: configure the client for L2TP/IPsec (IKEv1)");
}

static void input(struct ike *ike, const uint8_t *pkt, size_t len,
		  const struct sockaddr_in *from, const struct sockaddr_in *to,
		  bool natt, bool reassembled)
{
	struct isakmp_hdr h;
	const char *why = NULL;
	static const uint8_t zero[8];
	const struct ike_exchange_ops *ops;
	struct ike_sa *sa;
	uint8_t d[20];

	if (ike_hdr_parse(pkt, len, &h, &why)) {
		ike->cnt.drop_malformed++;
		log_peer(LOG_LVL_DEBUG, LOG_IKE, from, "dropped: %s", why);
		return;
	}
	if ((h.version >> 4) == 2) {
		ikev2_refused(ike, from);
		ike->cnt.drop_other++;
		return;
	}
	if ((h.version >> 4) != 1) {
		ike->cnt.drop_malformed++;
		log_peer(LOG_LVL_DEBUG, LOG_IKE, from,
			 "dropped: ISAKMP version %u.%u", h.version >> 4,
			 h.version & 15);
		return;
	}
	if (h.np == ISAKMP_NP_FRAG) {
		if (reassembled) {
			ike->cnt.drop_malformed++;
			return;
		}
		frag_input(ike, &h, pkt, len, from, to, natt);
		return;
	}

	sa = ike_sa_find(ike, h.icky, memcmp(h.rcky, zero, 8) ? h.rcky : NULL);
	if (sa && !memcmp(h.rcky, zero, 8) &&
	    sa->remote.sin_addr.s_addr != from->sin_addr.s_addr)
		sa = NULL;	/* an MM1 from elsewhere with the same cookie */
	if (sa && !memcmp(h.rcky, zero, 8) && sa->initiator &&
	    h.exch != ISAKMP_XCHG_INFO)
		sa = NULL;	/* our own cookie in someone's MM1 */

	if (sa) {
		/* A retransmitted request: answer with our last message. */
		digest(pkt, len, d);
		if (sa->has_rx_digest && !memcmp(d, sa->rx_digest, 20) &&
		    h.exch != ISAKMP_XCHG_QUICK && h.exch != ISAKMP_XCHG_INFO) {
			ike->cnt.dup_rx++;
			if (sa->state == P1_R_MM2 || sa->state == P1_R_AM2)
				sa->dup_first++;
			if (sa->tx.pkt && !sa->tx.request) {
				SA_LOG(sa, LOG_LVL_DEBUG,
				       "retransmitted message: sending our answer again");
				sa->tx.natt = sa->on_natt;
				ike_tx_emit(sa, &sa->tx);
			}
			return;
		}
		if (to->sin_addr.s_addr)
			sa->local.sin_addr = to->sin_addr;
	}

	ops = h.exch < ARRAY_SIZE(exchanges) ? exchanges[h.exch] : NULL;
	if (ops) {
		ops->input(ike, sa, &h, pkt, len, from, to, natt);
		return;
	}
	switch (h.exch) {
	case ISAKMP_XCHG_TRANSACTION:
		ike->cnt.drop_other++;
		log_peer(LOG_LVL_WARN, LOG_IKE, from,
			 "Mode Config/XAUTH (Cisco-style IPsec) is not supported: configure the client for L2TP/IPsec");
		return;
	default:
		ike->cnt.drop_malformed++;
		log_peer(LOG_LVL_DEBUG, LOG_IKE, from,
			 "dropped: exchange type %u", h.exch);
		return;
	}
}

void ike_input(struct ike *ike, const uint8_t *pkt, size_t len,
	       const struct sockaddr_in *from, const struct sockaddr_in *to,
	       bool natt)
{
	input(ike, pkt, len, from, to, natt, false);
}

static void on_readable(struct ike *ike, int fd, bool natt)
{
	uint8_t buf[IKE_MAX_MSG + 4];
	union {
		char buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
		struct cmsghdr align;
	} ctl;
	int i;

	for (i = 0; i < IKE_RX_BUDGET; i++) {
		struct sockaddr_in from, to = { .sin_family = AF_INET };
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr mh = {
			.msg_name = &from, .msg_namelen = sizeof(from),
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
		};
		struct cmsghdr *cm;
		const uint8_t *p = buf;
		ssize_t n;

		n = recvmsg(fd, &mh, MSG_DONTWAIT);
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR)
				log_msg(LOG_LVL_DEBUG, LOG_IKE, "recv: %s",
					strerror(errno));
			return;
		}
		if (mh.msg_flags & MSG_TRUNC)
			continue;
		for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
			if (cm->cmsg_level == IPPROTO_IP &&
			    cm->cmsg_type == IP_PKTINFO) {
				struct in_pktinfo pi;

				memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
				to.sin_addr = pi.ipi_addr;
			}
		}
		to.sin_port = htons(natt ? ike->conf.natt_port : ike->conf.port);
		ike->cnt.rx++;
		if (natt) {
			if (n == 1 && buf[0] == 0xff)
				continue;	/* keepalive (module not attached) */
			if (n < 4 || buf[0] || buf[1] || buf[2] || buf[3]) {
				ike->cnt.drop_other++;
				continue;	/* ESP: the module's */
			}
			p += 4;
			n -= 4;
		}
		input(ike, p, (size_t)n, &from, &to, natt, false);
	}
}

static void on_sock(void *arg, int fd, uint32_t events)
{
	(void)events;
	on_readable(arg, fd, false);
}

static void on_sock_natt(void *arg, int fd, uint32_t events)
{
	(void)events;
	on_readable(arg, fd, true);
}

static int open_socket(struct ike *ike, uint16_t port)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr = ike->conf.listen,
	};
	int one = 1, fd;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    IPPROTO_UDP);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		int err = -errno;

		log_msg(LOG_LVL_ERR, LOG_IKE, "cannot bind UDP %s:%u: %s",
			inet_ntoa(ike->conf.listen), port, strerror(errno));
		close(fd);
		return err;
	}
	return fd;
}

/* ---- life cycle -------------------------------------------------------- */

struct ike *ike_new(struct loop *loop, const struct ike_hooks *hooks)
{
	struct ike *ike = calloc(1, sizeof(*ike));

	if (!ike)
		return NULL;
	ike->loop = loop;
	if (hooks)
		ike->hooks = *hooks;
	ike->fd = ike->fd_natt = -1;
	ike->next_peer_id = 1;
	ike_conf_defaults(&ike->conf);
	return ike;
}

static void init_timer_cb(void *arg);

/*
 * One timer per [peer] with initiate = yes: made at start, and after a
 * reload for new ones; dropped for peers gone or no longer initiating.
 */
int ike_sync_initiators(struct ike *ike)
{
	struct ike_init **pp = &ike->inits, *in;
	struct ike_peer_conf *pc;

	while ((in = *pp)) {
		for (pc = ike->conf.peers; pc && pc != in->pc; pc = pc->next)
			;
		if (pc && pc->initiate) {
			pp = &in->next;
			continue;
		}
		*pp = in->next;
		loop_timer_free(in->timer);
		free(in);
	}
	for (pc = ike->conf.peers; pc; pc = pc->next) {
		if (!pc->initiate)
			continue;
		for (in = ike->inits; in && in->pc != pc; in = in->next)
			;
		if (in)
			continue;
		in = calloc(1, sizeof(*in));
		if (!in)
			return -ENOMEM;
		in->ike = ike;
		in->pc = pc;
		in->timer = loop_timer_new(ike->loop, init_timer_cb, in);
		if (!in->timer) {
			free(in);
			return -ENOMEM;
		}
		in->next = ike->inits;
		ike->inits = in;
		loop_timer_arm(in->timer, 0);
	}
	return 0;
}

static bool init_is_up(struct ike *ike, const struct ike_peer_conf *pc)
{
	struct ike_remote *rem;
	struct ike_sa *sa;

	for (rem = ike->remotes; rem; rem = rem->next)
		if (rem->pc == pc && rem->children)
			return true;
	for (sa = ike->sas; sa; sa = sa->lnext)
		if (sa->pc == pc && sa->initiator &&
		    (sa->state != P1_ESTABLISHED || sa->qms))
			return true;	/* negotiating */
	return false;
}

/* Keep the connections we initiate up: check, and start when down. */
static void init_timer_cb(void *arg)
{
	struct ike_init *in = arg;
	struct ike *ike = in->ike;
	struct ike_sa *sa;
	uint32_t wait = ike->conf.retry_interval;

	if (ike->stopping)
		return;
	if (!init_is_up(ike, in->pc)) {
		/* An established ISAKMP SA without a child: Quick Mode. */
		for (sa = ike->sas; sa; sa = sa->lnext)
			if (sa->pc == in->pc && sa->initiator &&
			    sa->state == P1_ESTABLISHED && !sa->deleting)
				break;
		in->attempts++;
		if (sa)
			qm_initiate(sa, NULL);
		else
			mm_initiate(ike, in->pc, NULL);
	} else {
		in->attempts = 0;
	}
	loop_timer_arm(in->timer, (uint64_t)wait * 1000);
}

int ike_start(struct ike *ike, struct kmod *kmod)
{
	int ret;

	ike->kmod = kmod;
	ret = cert_load(ike);
	if (ret)
		return ret;
	ike->fd = open_socket(ike, ike->conf.port);
	if (ike->fd < 0)
		return ike->fd;
	ike->fd_natt = open_socket(ike, ike->conf.natt_port);
	if (ike->fd_natt < 0)
		return ike->fd_natt;
	if (kmod) {
		ret = kmod_attach_socket(kmod, ike->fd_natt);
		if (ret < 0) {
			log_msg(LOG_LVL_ERR, LOG_IKE,
				"cannot hand UDP %u to the module: %s",
				ike->conf.natt_port, kmod_last_error(kmod));
			return ret;
		}
	}
	ret = loop_add_fd(ike->loop, ike->fd, EPOLLIN, on_sock, ike);
	if (!ret)
		ret = loop_add_fd(ike->loop, ike->fd_natt, EPOLLIN,
				  on_sock_natt, ike);
	if (ret)
		return ret;
	ike->started = true;
	am_warn_enabled(ike);
	log_msg(LOG_LVL_INFO, LOG_IKE, "listening on UDP %s:%u and %u%s",
		inet_ntoa(ike->conf.listen), ike->conf.port,
		ike->conf.natt_port, kmod ? " (ESP-in-UDP handed to the module)" : "");
	return ike_sync_initiators(ike);
}

void ike_shutdown(struct ike *ike)
{
	struct ike_init *in;

	ike->stopping = true;
	for (in = ike->inits; in; in = in->next)
		loop_timer_disarm(in->timer);
	while (ike->remotes) {
		struct ike_remote *rem = ike->remotes;

		remote_clear(rem, true, "shutting down");
		remote_end(rem, IKE_DOWN_SHUTDOWN, "shutting down");
	}
	while (ike->sas)
		ike_sa_delete(ike->sas, true, "shutting down");
}

void ike_free(struct ike *ike)
{
	if (!ike)
		return;
	if (!ike->stopping)
		ike_shutdown(ike);
	while (ike->inits) {
		struct ike_init *in = ike->inits;

		ike->inits = in->next;
		loop_timer_free(in->timer);
		free(in);
	}
	if (ike->fd >= 0) {
		loop_del_fd(ike->loop, ike->fd);
		close(ike->fd);
	}
	if (ike->fd_natt >= 0) {
		loop_del_fd(ike->loop, ike->fd_natt);
		close(ike->fd_natt);
	}
	cert_free(ike);
	while (ike->retired) {
		struct ike_peer_conf *pc = ike->retired;

		ike->retired = pc->next;
		ike_peer_conf_free(pc);
		free(pc);
	}
	src_free_all(ike);
	ike_conf_free(&ike->conf);
	free(ike);
}

void ike_kmod_event(struct ike *ike, const struct l2_event *ev)
{
	child_kmod_event(ike, ev);
}
