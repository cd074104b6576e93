// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsec: the ESP-in-UDP socket (RFC 3948).
 *
 * Two ways to get one, as in-tree L2TP has:
 *  - the daemon owns UDP 4500 (IKE lives there after NAT-T) and hands its
 *    socket over by file descriptor. We keep a reference to the sock, not
 *    to its file: the file closes when the daemon does, however it ends,
 *    and encap_destroy then detaches us. A file reference would keep the
 *    socket, and with it its netns, alive until the device goes, and the
 *    device goes only when its netns does: nothing would ever be freed.
 *  - an admin without a daemon asks for a port: we open a kernel socket,
 *    which holds no reference on its netns, and release it on detach or
 *    when the device goes.
 *
 * encap_rcv sees every datagram with a payload first:
 *   - a 4-byte zero non-ESP marker: IKE, left on the socket (return 1);
 *   - a single 0xFF byte: NAT keepalive, dropped;
 *   - anything else shorter than an SPI (1-3 bytes): not ESP, left on the
 *     socket, as xfrm does;
 *   - anything else: ESP, ours.
 */
#include <linux/file.h>
#include <linux/net.h>
#include <linux/udp.h>
#include <net/sock.h>
#include <net/udp.h>
#include <net/udp_tunnel.h>

#include "l2tpsec.h"

#define NATT_KEEPALIVE	0xff

/* Not ESP: the socket's owner (IKE) reads it; our own socket has none. */
static int l2tpsec_udp_not_esp(struct l2tpsec_dev *ldev, struct sk_buff *skb)
{
	if (READ_ONCE(ldev->own_sock)) {
		consume_skb(skb);
		return 0;
	}
	return 1;
}

static int l2tpsec_udp_encap_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct l2tpsec_dev *ldev = rcu_dereference_sk_user_data(sk);
	unsigned int len;
	__be16 sport;
	u8 *data;

	if (unlikely(!ldev))
		return 1;
	/* UDP hands us only datagrams with a payload; the header is linear. */
	len = skb->len - sizeof(struct udphdr);
	if (len < 4) {
		/*
		 * No SPI fits: not ESP. Only a single 0xff is a NAT keepalive
		 * (RFC 3948 2.3); anything else is the socket's, as xfrm
		 * leaves it (the header is pulled: a 1-byte payload is too).
		 */
		if (len == 1 && pskb_may_pull(skb, sizeof(struct udphdr) + 1) &&
		    skb->data[sizeof(struct udphdr)] == NATT_KEEPALIVE) {
			consume_skb(skb);
			return 0;
		}
		return l2tpsec_udp_not_esp(ldev, skb);
	}
	if (!pskb_may_pull(skb, sizeof(struct udphdr) + 4))
		goto drop_nomem;
	data = skb->data + sizeof(struct udphdr);
	if (!get_unaligned((u32 *)data))
		return l2tpsec_udp_not_esp(ldev, skb);	/* non-ESP marker: IKE */

	sport = udp_hdr(skb)->source;
	__skb_pull(skb, sizeof(struct udphdr));
	skb_reset_transport_header(skb);
	if (l2tpsec_rx_esp(ldev->net, skb, sport)) {
		net_dbg_ratelimited("%s: ESP-in-UDP from %pI4:%u with unknown SPI 0x%08x\n",
				    ldev->dev->name, &ip_hdr(skb)->saddr,
				    ntohs(sport), get_unaligned_be32(skb->data));
		l2tpsec_count(&ldev->stats, L2TPSEC_STAT_NO_SA_DROPS, 1);
		kfree_skb(skb);
	}
	return 0;

drop_nomem:
	/* The bytes are there (len >= 4): only pulling them failed. */
	l2tpsec_count(&ldev->stats, L2TPSEC_STAT_NOMEM_DROPS, 1);
	kfree_skb(skb);
	return 0;
}

/*
 * The socket's last file reference is gone (the daemon closed it or
 * exited): let go of it. Process context, socket not locked.
 */
static void l2tpsec_udp_encap_destroy(struct sock *sk)
{
	netdevice_tracker tracker;
	struct l2tpsec_dev *ldev;

	rcu_read_lock();
	ldev = rcu_dereference_sk_user_data(sk);
	/* dellink clears sk_user_data and waits for us before the free. */
	if (ldev)
		netdev_hold(ldev->dev, &tracker, GFP_ATOMIC);
	rcu_read_unlock();
	if (!ldev)
		return;

	mutex_lock(&ldev->lock);
	if (rcu_access_pointer(ldev->sk) == sk) {
		netdev_info(ldev->dev,
			    "UDP port %u closed by its owner: detached\n",
			    ntohs(inet_sk(sk)->inet_sport));
		l2tpsec_sock_detach(ldev);
		l2tpsec_dev_changed(ldev);
	}
	mutex_unlock(&ldev->lock);
	netdev_put(ldev->dev, &tracker);
}

/* @sk is not yet anybody's tunnel; takes it over. Caller holds @sk. */
static int l2tpsec_sock_adopt(struct l2tpsec_dev *ldev, struct socket *sock,
			      struct netlink_ext_ack *extack)
{
	struct udp_tunnel_sock_cfg cfg = {
		.sk_user_data = ldev,
		.encap_type = UDP_ENCAP_ESPINUDP,
		.encap_rcv = l2tpsec_udp_encap_rcv,
		.encap_destroy = l2tpsec_udp_encap_destroy,
	};
	struct sock *sk = sock->sk;

	lock_sock(sk);
	if (udp_sk(sk)->encap_type || READ_ONCE(sk->sk_user_data)) {
		release_sock(sk);
		NL_SET_ERR_MSG_MOD(extack,
				   "SOCK_FD: socket already has UDP encapsulation (UDP_ENCAP set, or adopted by another tunnel)");
		return -EBUSY;
	}
	setup_udp_tunnel_sock(ldev->net, sock, &cfg);
	release_sock(sk);
	return 0;
}

static int l2tpsec_sock_attach_fd(struct l2tpsec_dev *ldev, int fd,
				  struct netlink_ext_ack *extack)
{
	struct socket *sock;
	struct sock *sk;
	int err;

	sock = sockfd_lookup(fd, &err);
	if (!sock) {
		NL_SET_ERR_MSG_MOD(extack, "SOCK_FD: not a socket descriptor");
		return err;
	}
	sk = sock->sk;
	if (sk->sk_family != AF_INET || sk->sk_type != SOCK_DGRAM ||
	    sk->sk_protocol != IPPROTO_UDP) {
		NL_SET_ERR_MSG_MOD(extack, "SOCK_FD: must be an IPv4 UDP socket");
		err = -EINVAL;
		goto put_file;
	}
	if (!net_eq(sock_net(sk), ldev->net)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "SOCK_FD: the socket must live in the device's network namespace");
		err = -EINVAL;
		goto put_file;
	}
	if (!inet_sk(sk)->inet_num) {
		NL_SET_ERR_MSG_MOD(extack, "SOCK_FD: bind the socket (UDP 4500) first");
		err = -EINVAL;
		goto put_file;
	}
	err = l2tpsec_sock_adopt(ldev, sock, extack);
	if (err)
		goto put_file;

	l2tpsec_sock_detach(ldev);
	/* The sock, not the file: see the top of this file. */
	sock_hold(sk);
	rcu_assign_pointer(ldev->sk, sk);
	err = 0;
put_file:
	sockfd_put(sock);
	return err;
}

int l2tpsec_sock_attach(struct l2tpsec_dev *ldev, int fd,
			struct netlink_ext_ack *extack)
{
	lockdep_assert_held(&ldev->lock);

	if (fd < 0) {
		l2tpsec_sock_detach(ldev);
		return 0;
	}
	if (ldev->dead)
		return -ENODEV;
	return l2tpsec_sock_attach_fd(ldev, fd, extack);
}

int l2tpsec_sock_open(struct l2tpsec_dev *ldev, __be32 addr, u16 port,
		      struct netlink_ext_ack *extack)
{
	struct udp_port_cfg ucfg = {
		.family = AF_INET,
		.local_ip.s_addr = addr,
		.local_udp_port = htons(port),
	};
	struct socket *sock;
	int err;

	lockdep_assert_held(&ldev->lock);

	if (ldev->dead)
		return -ENODEV;
	/* A kernel socket: it holds no reference on ldev->net. */
	err = udp_sock_create(ldev->net, &ucfg, &sock);
	if (err) {
		NL_SET_ERR_MSG_FMT_MOD(extack, "SOCK_PORT: cannot bind UDP %pI4:%u (%d)",
				       &addr, port, err);
		return err;
	}
	err = l2tpsec_sock_adopt(ldev, sock, extack);
	if (err) {
		udp_tunnel_sock_release(sock);
		return err;
	}
	l2tpsec_sock_detach(ldev);
	WRITE_ONCE(ldev->own_sock, sock);
	rcu_assign_pointer(ldev->sk, sock->sk);
	return 0;
}

void l2tpsec_sock_detach(struct l2tpsec_dev *ldev)
{
	struct socket *own = ldev->own_sock;
	struct sock *sk;

	sk = rcu_dereference_protected(ldev->sk, lockdep_is_held(&ldev->lock));
	if (!sk)
		return;
	RCU_INIT_POINTER(ldev->sk, NULL);
	WRITE_ONCE(ldev->own_sock, NULL);

	lock_sock(sk);
	WRITE_ONCE(udp_sk(sk)->encap_rcv, NULL);
	WRITE_ONCE(udp_sk(sk)->encap_destroy, NULL);
	WRITE_ONCE(udp_sk(sk)->encap_type, 0);
	rcu_assign_sk_user_data(sk, NULL);
	release_sock(sk);

	/* Let encap_rcv, encap_destroy and TX users of the socket finish. */
	synchronize_net();
	if (own)
		udp_tunnel_sock_release(own);
	else
		sock_put(sk);
}
