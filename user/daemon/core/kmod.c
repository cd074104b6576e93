// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: programming l2tpsec.ko over its generic netlink family, with
 * user/common's netlink layer (genl.h) and object decoders (objects.h).
 *
 * Requests go out on one socket and are answered before we go on (the
 * module answers in microseconds); frames and events arrive on a second
 * socket, the device's frame listener and a member of the "events" group,
 * which the loop watches.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>

#include "genl.h"
#include "kmod.h"
#include "log.h"
#include "loop.h"

struct kmod {
	struct loop		*loop;
	struct l2nl		req;
	struct l2nl		ev;
	bool			ev_open, watching;
	bool			foreign_logged;
	int			ifindex;
	char			ifname[IF_NAMESIZE];
	struct kmod_handlers	h;
	struct l2nl_error	err;
	char			errbuf[320];
	/*
	 * What this daemon set up, and only that is undone on close; a
	 * timer checks that nobody took it meanwhile.
	 */
	bool			listening;
	int			attached_fd;	/* -1: none */
	uint16_t		attached_port;
	struct loop_timer	*watch;
	bool			listener_lost, sock_lost;
};

#define KMOD_WATCH_MS	5000

/* ---- errors ------------------------------------------------------------ */

static void set_err(struct kmod *k, const struct l2nl_error *e, int ret)
{
	if (e->msg[0])
		snprintf(k->errbuf, sizeof(k->errbuf), "%s (%s)", e->msg,
			 strerror(e->error ? e->error : -ret));
	else if (e->lib)
		snprintf(k->errbuf, sizeof(k->errbuf), "netlink: %s",
			 nl_geterror(e->lib));
	else
		snprintf(k->errbuf, sizeof(k->errbuf), "%s", strerror(-ret));
}

const char *kmod_last_error(const struct kmod *k)
{
	return k->errbuf;
}

int kmod_ifindex(const struct kmod *k)
{
	return k->ifindex;
}

/* ---- rtnetlink: create the device and bring it up ----------------------- */

static int rtnl_request(struct nl_msg *msg, char *err, size_t len)
{
	struct nl_sock *sk = nl_socket_alloc();
	int ret;

	if (!sk)
		return -ENOMEM;
	ret = nl_connect(sk, NETLINK_ROUTE);
	if (ret >= 0)
		ret = nl_send_auto(sk, msg);
	if (ret >= 0)
		ret = nl_wait_for_ack(sk);
	nl_socket_free(sk);
	if (ret < 0) {
		snprintf(err, len, "%s", nl_geterror(ret));
		/* libnl maps errno values onto its own codes. */
		switch (-ret) {
		case NLE_EXIST: return -EEXIST;
		case NLE_PERM: return -EPERM;
		case NLE_OPNOTSUPP: return -EOPNOTSUPP;
		case NLE_OBJ_NOTFOUND: return -ENOENT;
		default: return -EIO;
		}
	}
	return 0;
}

static int dev_create(struct kmod *k, const char *ifname)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nl_msg *msg;
	struct nlattr *li;
	int ret;

	msg = nlmsg_alloc_simple(RTM_NEWLINK,
				 NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL);
	if (!msg)
		return -ENOMEM;
	if (nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0 ||
	    nla_put_string(msg, IFLA_IFNAME, ifname) < 0 ||
	    !(li = nla_nest_start(msg, IFLA_LINKINFO)) ||
	    nla_put_string(msg, IFLA_INFO_KIND, "l2tpsec") < 0) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nla_nest_end(msg, li);
	ret = rtnl_request(msg, k->errbuf, sizeof(k->errbuf));
	nlmsg_free(msg);
	return ret;
}

/* ---- requests ---------------------------------------------------------- */

static struct nl_msg *req_new(struct kmod *k, uint8_t cmd)
{
	struct nl_msg *msg = l2nl_msg_new(k->req.family, cmd, 0, 256);

	if (msg && nla_put_u32(msg, L2TPSEC_A_IFINDEX, (uint32_t)k->ifindex)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/*
 * Requests may carry ESP keys (SA_NEW) or a PAP password (a PPP frame we
 * send): the buffer is wiped before libnl frees it.
 */
static void msg_free_wiped(struct nl_msg *msg)
{
	explicit_bzero(nlmsg_hdr(msg), nlmsg_get_max_size(msg));
	nlmsg_free(msg);
}

static int req_do(struct kmod *k, struct l2nl *nl, struct nl_msg *msg,
		  l2nl_msg_fn fn, void *arg)
{
	int ret;

	ret = l2nl_do(nl, msg, fn, arg, &k->err);
	msg_free_wiped(msg);
	if (ret < 0)
		set_err(k, &k->err, ret);
	else
		k->errbuf[0] = '\0';
	return ret;
}

/* A put that failed means the message is too small: a bug. */
#define PUT(x)	do { if ((x) < 0) goto nomem; } while (0)

/*
 * DEV_SET with one attribute, on @nl: the frame listener is the socket
 * that asks, the other settings go on the request socket.
 */
static int dev_set(struct kmod *k, struct l2nl *nl, int type,
		   const void *data, int len)
{
	struct nl_msg *msg = l2nl_msg_new(nl->family, L2TPSEC_CMD_DEV_SET, 0,
					  64);

	if (!msg)
		return -ENOMEM;
	PUT(nla_put_u32(msg, L2TPSEC_A_IFINDEX, (uint32_t)k->ifindex));
	PUT(nla_put(msg, type, len, data));
	return req_do(k, nl, msg, NULL, NULL);
nomem:
	nlmsg_free(msg);
	return -ENOMEM;
}

static int dev_set_listen(struct kmod *k, struct l2nl *nl, bool on)
{
	uint8_t v = on;

	return dev_set(k, nl, L2TPSEC_A_FRAME_LISTEN, &v, sizeof(v));
}

static int dev_reply(const struct nlmsghdr *nlh, void *arg)
{
	return l2_decode_dev(nlh, arg);
}

static int dev_get(struct kmod *k, struct l2_dev *dev)
{
	struct nl_msg *msg = req_new(k, L2TPSEC_CMD_DEV_GET);

	memset(dev, 0, sizeof(*dev));
	if (!msg)
		return -ENOMEM;
	return req_do(k, &k->req, msg, dev_reply, dev);
}

static int sock_fd_set(struct kmod *k, int fd)
{
	int32_t v = fd;

	return dev_set(k, &k->req, L2TPSEC_A_SOCK_FD, &v, sizeof(v));
}

int kmod_set_fallback(struct kmod *k, bool on)
{
	uint8_t v = on;

	return dev_set(k, &k->req, L2TPSEC_A_SINGLE_SESSION_FALLBACK, &v,
		       sizeof(v));
}

int kmod_attach_socket(struct kmod *k, int fd)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int ret;

	if (fd < 0 || k->attached_fd >= 0)
		return -EINVAL;
	ret = sock_fd_set(k, fd);
	if (ret < 0)
		return ret;
	/* our own reference: IKE closes its descriptor before kmod_close() */
	k->attached_fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (k->attached_fd < 0)
		log_msg(LOG_LVL_WARN, LOG_KERNEL, "dup: %s", strerror(errno));
	k->attached_port = 0;
	if (!getsockname(fd, (struct sockaddr *)&sin, &len))
		k->attached_port = ntohs(sin.sin_port);
	k->sock_lost = false;
	return 0;
}

/*
 * Someone else (another l2tpsecd, `l2tpsec dev attach|detach|set listen`)
 * took what this daemon set up: say so loudly, once each. The module
 * resets UDP_ENCAP on a socket it lets go of, so our socket tells.
 */
static void watch_cb(void *arg)
{
	struct kmod *k = arg;
	struct l2_dev dev;
	socklen_t len;
	int encap;

	if (k->listening && !k->listener_lost && !dev_get(k, &dev) &&
	    dev.has_frame_listen && !dev.frame_listen) {
		k->listener_lost = true;
		log_msg(LOG_LVL_ERR, LOG_KERNEL,
			"%s: this daemon is no longer the device's frame listener (another process cleared or took it, e.g. a second l2tpsecd or `l2tpsec dev set %s listen off`): L2TP control and PPP frames of every client are lost; restart l2tpsecd",
			k->ifname, k->ifname);
	}
	len = sizeof(encap);
	if (k->attached_fd >= 0 && !k->sock_lost &&
	    !getsockopt(k->attached_fd, IPPROTO_UDP, UDP_ENCAP, &encap,
			&len) && !encap) {
		k->sock_lost = true;
		log_msg(LOG_LVL_ERR, LOG_KERNEL,
			"%s: our UDP %u socket was detached from the device (another process attached its own or detached it, e.g. a second l2tpsecd or `l2tpsec dev detach %s`): ESP in UDP (NAT-T clients) no longer reaches the module; restart l2tpsecd",
			k->ifname, k->attached_port, k->ifname);
	}
	loop_timer_arm(k->watch, KMOD_WATCH_MS);
}

int kmod_peer_add(struct kmod *k, const struct kmod_peer *p)
{
	struct nl_msg *msg = req_new(k, L2TPSEC_CMD_PEER_NEW);
	struct nlattr *nest;

	if (!msg)
		return -ENOMEM;
	nest = nla_nest_start(msg, L2TPSEC_A_PEER);
	if (!nest)
		goto nomem;
	PUT(nla_put_u32(msg, L2TPSEC_A_PEER_ID, p->id));
	PUT(nla_put_u8(msg, L2TPSEC_A_PEER_ENCAP,
		       p->udp_encap ? L2TPSEC_ENCAP_UDP : L2TPSEC_ENCAP_NONE));
	if (p->local.s_addr)
		PUT(nla_put(msg, L2TPSEC_A_PEER_LOCAL_IPV4, 4, &p->local));
	PUT(nla_put(msg, L2TPSEC_A_PEER_REMOTE_IPV4, 4, &p->remote));
	if (p->udp_encap) {
		if (p->local_port)
			PUT(nla_put_u16(msg, L2TPSEC_A_PEER_LOCAL_PORT,
					p->local_port));
		PUT(nla_put_u16(msg, L2TPSEC_A_PEER_REMOTE_PORT,
				p->remote_port));
	}
	nla_nest_end(msg, nest);
	return req_do(k, &k->req, msg, NULL, NULL);
nomem:
	nlmsg_free(msg);
	return -ENOMEM;
}

static int peer_set(struct kmod *k, uint32_t peer_id, const uint32_t *spi,
		    const struct in_addr *remote, uint16_t port)
{
	struct nl_msg *msg = req_new(k, L2TPSEC_CMD_PEER_SET);
	struct nlattr *nest;

	if (!msg)
		return -ENOMEM;
	nest = nla_nest_start(msg, L2TPSEC_A_PEER);
	if (!nest)
		goto nomem;
	PUT(nla_put_u32(msg, L2TPSEC_A_PEER_ID, peer_id));
	if (spi)
		PUT(nla_put_u32(msg, L2TPSEC_A_PEER_TX_SPI, *spi));
	if (remote) {
		PUT(nla_put(msg, L2TPSEC_A_PEER_REMOTE_IPV4, 4, remote));
		if (port)
			PUT(nla_put_u16(msg, L2TPSEC_A_PEER_REMOTE_PORT, port));
	}
	nla_nest_end(msg, nest);
	return req_do(k, &k->req, msg, NULL, NULL);
nomem:
	nlmsg_free(msg);
	return -ENOMEM;
}

int kmod_peer_set_tx_spi(struct kmod *k, uint32_t peer_id, uint32_t spi)
{
	return peer_set(k, peer_id, &spi, NULL, 0);
}

int kmod_peer_set_remote(struct kmod *k, uint32_t peer_id,
			 struct in_addr remote, uint16_t port)
{
	return peer_set(k, peer_id, NULL, &remote, port);
}

int kmod_peer_del(struct kmod *k, uint32_t peer_id)
{
	struct nl_msg *msg = req_new(k, L2TPSEC_CMD_PEER_DEL);
	struct nlattr *nest;

	if (!msg)
		return -ENOMEM;
	nest = nla_nest_start(msg, L2TPSEC_A_PEER);
	if (!nest)
		goto nomem;
	PUT(nla_put_u32(msg, L2TPSEC_A_PEER_ID, peer_id));
	nla_nest_end(msg, nest);
	return req_do(k, &k->req, msg, NULL, NULL);
nomem:
	nlmsg_free(msg);
	return -ENOMEM;
}

int kmod_sa_add(struct kmod *k, const struct kmod_sa *sa)
{
	struct nl_msg *msg = req_new(k, L2TPSEC_CMD_SA_NEW);
	struct nlattr *nest;

	if (!msg)
		return -ENOMEM;
	nest = nla_nest_start(msg, L2TPSEC_A_SA);
	if (!nest)
		goto nomem;
	PUT(nla_put_u32(msg, L2TPSEC_A_SA_SPI, sa->spi));
	PUT(nla_put_u8(msg, L2TPSEC_A_SA_DIR, sa->dir));
	PUT(nla_put_u32(msg, L2TPSEC_A_SA_PEER_ID, sa->peer_id));
	PUT(nla_put_u8(msg, L2TPSEC_A_SA_CIPHER, sa->cipher));
	PUT(nla_put_u8(msg, L2TPSEC_A_SA_INTEG, sa->integ));
	PUT(nla_put(msg, L2TPSEC_A_SA_ENC_KEY, (int)sa->enc_key_len,
		    sa->enc_key));
	if (sa->auth_key_len)
		PUT(nla_put(msg, L2TPSEC_A_SA_AUTH_KEY, (int)sa->auth_key_len,
			    sa->auth_key));
	if (sa->icv_len)
		PUT(nla_put_u8(msg, L2TPSEC_A_SA_ICV_LEN, sa->icv_len));
	if (sa->replay_window && sa->dir == L2TPSEC_DIR_IN)
		PUT(nla_put_u32(msg, L2TPSEC_A_SA_REPLAY_WINDOW,
				sa->replay_window));
	if (sa->soft_bytes)
		PUT(nla_put_u64(msg, L2TPSEC_A_SA_SOFT_BYTES, sa->soft_bytes));
	if (sa->hard_bytes)
		PUT(nla_put_u64(msg, L2TPSEC_A_SA_HARD_BYTES, sa->hard_bytes));
	if (sa->soft_seconds)
		PUT(nla_put_u64(msg, L2TPSEC_A_SA_SOFT_SECONDS,
				sa->soft_seconds));
	if (sa->hard_seconds)
		PUT(nla_put_u64(msg, L2TPSEC_A_SA_HARD_SECONDS,
				sa->hard_seconds));
	nla_nest_end(msg, nest);
	return req_do(k, &k->req, msg, NULL, NULL);
nomem:
	msg_free_wiped(msg);
	return -ENOMEM;
}

static int sa_key(struct nl_msg *msg, uint32_t spi, uint8_t dir,
		  uint32_t peer_id)
{
	struct nlattr *nest = nla_nest_start(msg, L2TPSEC_A_SA);

	if (!nest)
		return -ENOMEM;
	if (nla_put_u32(msg, L2TPSEC_A_SA_SPI, spi) < 0 ||
	    nla_put_u8(msg, L2TPSEC_A_SA_DIR, dir) < 0)
		return -ENOMEM;
	if (peer_id && nla_put_u32(msg, L2TPSEC_A_SA_PEER_ID, peer_id) < 0)
		return -ENOMEM;
	nla_nest_end(msg, nest);
	return 0;
}

int kmod_sa_del(struct kmod *k, uint32_t spi, uint8_t dir, uint32_t peer_id)
{
	struct nl_msg *msg = req_new(k, L2TPSEC_CMD_SA_DEL);

	if (!msg)
		return -ENOMEM;
	PUT(sa_key(msg, spi, dir, peer_id));
	return req_do(k, &k->req, msg, NULL, NULL);
nomem:
	nlmsg_free(msg);
	return -ENOMEM;
}

static int on_sa(const struct nlattr *nest, void *arg)
{
	return l2_decode_sa(nest, arg);
}

static int sa_reply(const struct nlmsghdr *nlh, void *arg)
{
	return l2_for_each_nest(nlh, L2TPSEC_A_SA, on_sa, arg);
}

int kmod_sa_get(struct kmod *k, uint32_t spi, uint8_t dir, uint32_t peer_id,
		struct l2_sa *out)
{
	struct nl_msg *msg = req_new(k, L2TPSEC_CMD_SA_GET);

	memset(out, 0, sizeof(*out));
	if (!msg)
		return -ENOMEM;
	PUT(sa_key(msg, spi, dir, peer_id));
	return req_do(k, &k->req, msg, sa_reply, out);
nomem:
	nlmsg_free(msg);
	return -ENOMEM;
}

static int put_session(struct nl_msg *msg, const struct kmod_session *s,
		       bool create)
{
	struct nlattr *nest = nla_nest_start(msg, L2TPSEC_A_SESSION);

	if (!nest)
		return -ENOMEM;
	if (nla_put_u32(msg, L2TPSEC_A_SESSION_PEER_ID, s->peer_id) < 0 ||
	    nla_put_u16(msg, L2TPSEC_A_SESSION_LOCAL_TUNNEL_ID,
			s->local_tunnel_id) < 0 ||
	    nla_put_u16(msg, L2TPSEC_A_SESSION_LOCAL_SESSION_ID,
			s->local_session_id) < 0)
		return -ENOMEM;
	if (create) {
		if (nla_put_u16(msg, L2TPSEC_A_SESSION_REMOTE_TUNNEL_ID,
				s->remote_tunnel_id) < 0 ||
		    nla_put_u16(msg, L2TPSEC_A_SESSION_REMOTE_SESSION_ID,
				s->remote_session_id) < 0)
			return -ENOMEM;
		if (s->local_port &&
		    nla_put_u16(msg, L2TPSEC_A_SESSION_LOCAL_PORT,
				s->local_port) < 0)
			return -ENOMEM;
		if (s->remote_port &&
		    nla_put_u16(msg, L2TPSEC_A_SESSION_REMOTE_PORT,
				s->remote_port) < 0)
			return -ENOMEM;
	}
	if (s->has_ipv4 &&
	    nla_put(msg, L2TPSEC_A_SESSION_PEER_IPV4, 4, &s->peer_ipv4) < 0)
		return -ENOMEM;
	if (s->has_ipv6 &&
	    (nla_put(msg, L2TPSEC_A_SESSION_PEER_IPV6, 16, &s->peer_ipv6) < 0 ||
	     nla_put_u8(msg, L2TPSEC_A_SESSION_PEER_IPV6_PREFIXLEN,
			s->peer_ipv6_plen ? s->peer_ipv6_plen : 128) < 0))
		return -ENOMEM;
	if (nla_put_u8(msg, L2TPSEC_A_SESSION_L2TP_LENGTH, s->l2tp_length) < 0 ||
	    nla_put_u8(msg, L2TPSEC_A_SESSION_L2TP_SEQ, s->l2tp_seq) < 0 ||
	    nla_put_u8(msg, L2TPSEC_A_SESSION_PPP_ACFC, s->ppp_acfc) < 0 ||
	    nla_put_u8(msg, L2TPSEC_A_SESSION_PPP_PFC, s->ppp_pfc) < 0)
		return -ENOMEM;
	nla_nest_end(msg, nest);
	return 0;
}

int kmod_session_add(struct kmod *k, const struct kmod_session *s)
{
	struct nl_msg *msg = req_new(k, L2TPSEC_CMD_SESSION_NEW);

	if (!msg)
		return -ENOMEM;
	PUT(put_session(msg, s, true));
	return req_do(k, &k->req, msg, NULL, NULL);
nomem:
	nlmsg_free(msg);
	return -ENOMEM;
}

int kmod_session_set(struct kmod *k, const struct kmod_session *s)
{
	struct nl_msg *msg = req_new(k, L2TPSEC_CMD_SESSION_SET);

	if (!msg)
		return -ENOMEM;
	PUT(put_session(msg, s, false));
	return req_do(k, &k->req, msg, NULL, NULL);
nomem:
	nlmsg_free(msg);
	return -ENOMEM;
}

static int session_key(struct nl_msg *msg, uint32_t peer_id,
		       uint16_t tunnel_id, uint16_t session_id)
{
	struct nlattr *nest = nla_nest_start(msg, L2TPSEC_A_SESSION);

	if (!nest ||
	    nla_put_u32(msg, L2TPSEC_A_SESSION_PEER_ID, peer_id) < 0 ||
	    nla_put_u16(msg, L2TPSEC_A_SESSION_LOCAL_TUNNEL_ID, tunnel_id) < 0 ||
	    nla_put_u16(msg, L2TPSEC_A_SESSION_LOCAL_SESSION_ID,
			session_id) < 0)
		return -ENOMEM;
	nla_nest_end(msg, nest);
	return 0;
}

int kmod_session_del(struct kmod *k, uint32_t peer_id, uint16_t tunnel_id,
		     uint16_t session_id)
{
	struct nl_msg *msg = req_new(k, L2TPSEC_CMD_SESSION_DEL);

	if (!msg)
		return -ENOMEM;
	PUT(session_key(msg, peer_id, tunnel_id, session_id));
	return req_do(k, &k->req, msg, NULL, NULL);
nomem:
	nlmsg_free(msg);
	return -ENOMEM;
}

static int on_session(const struct nlattr *nest, void *arg)
{
	return l2_decode_session(nest, arg);
}

static int session_reply(const struct nlmsghdr *nlh, void *arg)
{
	return l2_for_each_nest(nlh, L2TPSEC_A_SESSION, on_session, arg);
}

int kmod_session_get(struct kmod *k, uint32_t peer_id, uint16_t tunnel_id,
		     uint16_t session_id, struct l2_session *out)
{
	struct nl_msg *msg = req_new(k, L2TPSEC_CMD_SESSION_GET);

	memset(out, 0, sizeof(*out));
	if (!msg)
		return -ENOMEM;
	PUT(session_key(msg, peer_id, tunnel_id, session_id));
	return req_do(k, &k->req, msg, session_reply, out);
nomem:
	nlmsg_free(msg);
	return -ENOMEM;
}

static int send_frame(struct kmod *k, uint8_t kind, uint32_t peer_id,
		      uint16_t a, uint16_t b, const uint8_t *data, size_t len)
{
	struct nl_msg *msg;
	struct nlattr *nest;

	if (len > 4000)
		return -EMSGSIZE;
	msg = l2nl_msg_new(k->req.family, L2TPSEC_CMD_FRAME, 0, len + 64);
	if (!msg)
		return -ENOMEM;
	PUT(nla_put_u32(msg, L2TPSEC_A_IFINDEX, (uint32_t)k->ifindex));
	nest = nla_nest_start(msg, L2TPSEC_A_FRAME);
	if (!nest)
		goto nomem;
	PUT(nla_put_u8(msg, L2TPSEC_A_FRAME_KIND, kind));
	PUT(nla_put_u32(msg, L2TPSEC_A_FRAME_PEER_ID, peer_id));
	if (kind == L2TPSEC_FRAME_L2TP_CTRL) {
		if (a)
			PUT(nla_put_u16(msg, L2TPSEC_A_FRAME_LOCAL_PORT, a));
		if (b)
			PUT(nla_put_u16(msg, L2TPSEC_A_FRAME_REMOTE_PORT, b));
	} else {
		PUT(nla_put_u16(msg, L2TPSEC_A_FRAME_LOCAL_TUNNEL_ID, a));
		PUT(nla_put_u16(msg, L2TPSEC_A_FRAME_LOCAL_SESSION_ID, b));
	}
	PUT(nla_put(msg, L2TPSEC_A_FRAME_PAYLOAD, (int)len, data));
	nla_nest_end(msg, nest);
	return req_do(k, &k->req, msg, NULL, NULL);
nomem:
	msg_free_wiped(msg);
	return -ENOMEM;
}

int kmod_send_l2tp(struct kmod *k, uint32_t peer_id, uint16_t local_port,
		   uint16_t remote_port, const uint8_t *msg, size_t len)
{
	return send_frame(k, L2TPSEC_FRAME_L2TP_CTRL, peer_id, local_port,
			  remote_port, msg, len);
}

int kmod_send_ppp(struct kmod *k, uint32_t peer_id, uint16_t tunnel_id,
		  uint16_t session_id, const uint8_t *pkt, size_t len)
{
	return send_frame(k, L2TPSEC_FRAME_PPP, peer_id, tunnel_id,
			  session_id, pkt, len);
}

/* ---- frames and events ------------------------------------------------- */

static int on_notify(const struct nlmsghdr *nlh, void *arg)
{
	struct kmod *k = arg;
	uint8_t cmd = l2nl_genl_cmd(nlh);

	if (nlh->nlmsg_type != k->ev.family)
		return 0;
	if (cmd == L2TPSEC_CMD_FRAME) {
		struct l2_frame f;

		if (l2_decode_frame(nlh, &f)) {
			log_msg(LOG_LVL_DEBUG, LOG_KERNEL,
				"malformed frame message from the module");
			return 0;
		}
		if (f.ifindex && f.ifindex != (uint32_t)k->ifindex)
			return 0;
		if (f.kind == L2TPSEC_FRAME_L2TP_CTRL && k->h.l2tp_ctrl)
			k->h.l2tp_ctrl(k->h.arg, f.peer_id,
				       f.local_port ? f.local_port : L2TPSEC_L2TP_PORT,
				       f.remote_port ? f.remote_port : L2TPSEC_L2TP_PORT,
				       f.payload, f.len);
		else if (f.kind == L2TPSEC_FRAME_PPP && k->h.ppp)
			k->h.ppp(k->h.arg, f.peer_id, f.tunnel_id,
				 f.session_id, f.payload, f.len);
		/*
		 * A PPP frame may hold a client's PAP password: wiped in
		 * libnl's receive buffer, which is freed as it is.
		 */
		if (f.kind == L2TPSEC_FRAME_PPP && f.payload)
			explicit_bzero((void *)f.payload, f.len);
	} else if (cmd == L2TPSEC_CMD_EVENT) {
		struct l2_event e;

		if (l2_decode_event(nlh, &e)) {
			log_msg(LOG_LVL_DEBUG, LOG_KERNEL,
				"malformed event message from the module");
			return 0;
		}
		if (e.ifindex && e.ifindex != (uint32_t)k->ifindex)
			return 0;
		if (k->h.event)
			k->h.event(k->h.arg, &e);
	}
	return 0;
}

static void on_readable(void *arg, int fd, uint32_t events)
{
	struct kmod *k = arg;
	struct l2nl_error err;
	int ret, i;

	(void)fd;
	(void)events;
	/* Drain, but let the others run after a burst. */
	for (i = 0; i < 64; i++) {
		ret = l2nl_recv_notify(&k->ev, &err);
		if (k->ev.foreign_drops && !k->foreign_logged) {
			/* Once: a local process is trying to feed us frames. */
			log_msg(LOG_LVL_WARN, LOG_KERNEL,
				"dropped a netlink message from port %u, not from the kernel: a local process is sending forged frames or events (further ones are dropped silently)",
				k->ev.foreign_port);
			k->foreign_logged = true;
		}
		if (ret == -EIO && err.lib == NLE_AGAIN)
			return;
		if (ret == -ENOBUFS) {
			log_msg(LOG_LVL_WARN, LOG_KERNEL,
				"module events lost (socket buffer full); state is read back when needed");
			continue;
		}
		if (ret < 0) {
			log_msg(LOG_LVL_WARN, LOG_KERNEL,
				"reading module events: %s",
				err.msg[0] ? err.msg :
				err.lib ? nl_geterror(err.lib) : strerror(-ret));
			return;
		}
	}
}

struct kmod *kmod_open(struct loop *loop, const char *ifname, bool create,
		       const struct kmod_handlers *h)
{
	struct kmod *k = calloc(1, sizeof(*k));
	int ret;

	if (!k)
		return NULL;
	k->loop = loop;
	k->attached_fd = -1;
	if (h)
		k->h = *h;
	snprintf(k->ifname, sizeof(k->ifname), "%s", ifname);

	ret = l2nl_open(&k->req, &k->err);
	if (ret < 0) {
		set_err(k, &k->err, ret);
		log_msg(LOG_LVL_ERR, LOG_KERNEL, "%s", k->errbuf);
		goto fail;
	}
	k->ifindex = (int)if_nametoindex(ifname);
	if (!k->ifindex && create) {
		ret = dev_create(k, ifname);
		if (ret < 0 && ret != -EEXIST) {
			log_msg(LOG_LVL_ERR, LOG_KERNEL,
				"cannot create device %s (type l2tpsec): %s",
				ifname, k->errbuf);
			goto fail;
		}
		/*
		 * Not up yet: the L2TP part brings it up (netcfg_link_up())
		 * once it has told the kernel to make no link-local address
		 * of its own; IPV6CP gives the device its link-local ones.
		 */
		k->ifindex = (int)if_nametoindex(ifname);
	}
	if (!k->ifindex) {
		log_msg(LOG_LVL_ERR, LOG_KERNEL, "no device %s%s", ifname,
			create ? "" : " (create it: ip link add NAME type l2tpsec)");
		goto fail;
	}

	ret = l2nl_open(&k->ev, &k->err);
	if (ret < 0) {
		set_err(k, &k->err, ret);
		log_msg(LOG_LVL_ERR, LOG_KERNEL, "%s", k->errbuf);
		goto fail;
	}
	k->ev_open = true;
	k->ev.notify = on_notify;
	k->ev.notify_arg = k;
	ret = l2nl_join(&k->ev, L2TPSEC_MCGRP_EVENTS, &k->err);
	if (ret < 0) {
		set_err(k, &k->err, ret);
		log_msg(LOG_LVL_ERR, LOG_KERNEL, "joining module events: %s",
			k->errbuf);
		goto fail;
	}
	ret = dev_set_listen(k, &k->ev, true);
	if (ret == -EBUSY) {
		log_msg(LOG_LVL_ERR, LOG_KERNEL,
			"%s already has a frame listener (another l2tpsecd, or `l2tpsec frame listen`); not started: stop it first, or give this daemon its own [daemon] device",
			ifname);
		goto fail;
	}
	if (ret < 0) {
		log_msg(LOG_LVL_ERR, LOG_KERNEL,
			"cannot become the frame listener of %s: %s", ifname,
			k->errbuf);
		goto fail;
	}
	k->listening = true;
	nl_socket_set_nonblocking(k->ev.sk);
	if (loop) {
		ret = loop_add_fd(loop, l2nl_fd(&k->ev), EPOLLIN, on_readable,
				  k);
		if (ret < 0)
			goto fail;
		k->watching = true;
		k->watch = loop_timer_new(loop, watch_cb, k);
		if (!k->watch)
			goto fail;
		loop_timer_arm(k->watch, KMOD_WATCH_MS);
	}
	return k;
fail:
	kmod_close(k);
	return NULL;
}

void kmod_close(struct kmod *k)
{
	if (!k)
		return;
	loop_timer_free(k->watch);
	if (k->watching)
		loop_del_fd(k->loop, l2nl_fd(&k->ev));
	/*
	 * Let a restarted daemon bind UDP 4500 again, but detach only the
	 * socket we attached and still hold: not another daemon's.
	 */
	if (k->req.sk && k->ifindex && k->attached_fd >= 0 && !k->sock_lost) {
		socklen_t len = sizeof(int);
		int encap = 0;

		if (!getsockopt(k->attached_fd, IPPROTO_UDP, UDP_ENCAP, &encap,
				&len) && encap)
			sock_fd_set(k, -1);
	}
	if (k->attached_fd >= 0)
		close(k->attached_fd);
	if (k->ev_open)
		l2nl_close(&k->ev);
	if (k->req.sk)
		l2nl_close(&k->req);
	free(k);
}
