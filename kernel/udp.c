// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsec: the adopted ESP-in-UDP socket (RFC 3948).
 *
 * The daemon owns UDP 4500 (IKE lives there after NAT-T) and hands the
 * socket to the module by file descriptor, as in-tree L2TP and ovpn adopt
 * theirs. encap_rcv sees every datagram first:
 *   - a 4-byte zero non-ESP marker: IKE, left on the socket (return 1);
 *   - a single 0xFF byte: NAT keepalive, dropped;
 *   - anything else: ESP, ours.
 * We keep a reference to the socket's file until detach or device deletion,
 * so the daemon may close its descriptor.
 */
#include <linux/file.h>
#include <linux/net.h>
#include <linux/udp.h>
#include <net/sock.h>
#include <net/udp.h>
#include <net/udp_tunnel.h>

#include "l2tpsec.h"

#define NATT_KEEPALIVE	0xff

static int l2tpsec_udp_encap_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct l2tpsec_dev *ldev = rcu_dereference_sk_user_data(sk);
	unsigned int len;
	__be16 sport;
	u8 *data;

	if (unlikely(!ldev))
		return 1;
	if (!pskb_may_pull(skb, sizeof(struct udphdr) + 1))
		goto drop_malformed;

	len = skb->len - sizeof(struct udphdr);
	data = skb->data + sizeof(struct udphdr);
	if (len == 1 && data[0] == NATT_KEEPALIVE) {
		consume_skb(skb);
		return 0;
	}
	if (!pskb_may_pull(skb, sizeof(struct udphdr) + 4))
		goto drop_malformed;
	data = skb->data + sizeof(struct udphdr);
	if (!get_unaligned((u32 *)data))
		return 1;	/* non-ESP marker: IKE for the daemon */

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

drop_malformed:
	l2tpsec_count(&ldev->stats, L2TPSEC_STAT_MALFORMED_DROPS, 1);
	kfree_skb(skb);
	return 0;
}

int l2tpsec_sock_attach(struct l2tpsec_dev *ldev, int fd,
			struct netlink_ext_ack *extack)
{
	struct udp_tunnel_sock_cfg cfg = {
		.sk_user_data = ldev,
		.encap_type = UDP_ENCAP_ESPINUDP,
		.encap_rcv = l2tpsec_udp_encap_rcv,
	};
	struct socket *sock;
	struct sock *sk;
	int err;

	lockdep_assert_held(&ldev->lock);

	if (fd < 0) {
		l2tpsec_sock_detach(ldev);
		return 0;
	}
	if (ldev->dead)
		return -ENODEV;

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
		goto put_sock;
	}
	if (!net_eq(sock_net(sk), ldev->net)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "SOCK_FD: the socket must live in the device's network namespace");
		err = -EINVAL;
		goto put_sock;
	}
	if (!inet_sk(sk)->inet_num) {
		NL_SET_ERR_MSG_MOD(extack, "SOCK_FD: bind the socket (UDP 4500) first");
		err = -EINVAL;
		goto put_sock;
	}

	lock_sock(sk);
	if (udp_sk(sk)->encap_type || READ_ONCE(sk->sk_user_data)) {
		release_sock(sk);
		NL_SET_ERR_MSG_MOD(extack,
				   "SOCK_FD: socket already has UDP encapsulation (UDP_ENCAP set, or adopted by another tunnel)");
		err = -EBUSY;
		goto put_sock;
	}
	setup_udp_tunnel_sock(ldev->net, sock, &cfg);
	release_sock(sk);

	l2tpsec_sock_detach(ldev);
	rcu_assign_pointer(ldev->sock, sock);
	return 0;

put_sock:
	sockfd_put(sock);
	return err;
}

void l2tpsec_sock_detach(struct l2tpsec_dev *ldev)
{
	struct socket *sock;
	struct sock *sk;

	sock = rcu_dereference_protected(ldev->sock,
					 lockdep_is_held(&ldev->lock));
	if (!sock)
		return;
	RCU_INIT_POINTER(ldev->sock, NULL);

	sk = sock->sk;
	lock_sock(sk);
	WRITE_ONCE(udp_sk(sk)->encap_rcv, NULL);
	WRITE_ONCE(udp_sk(sk)->encap_type, 0);
	rcu_assign_sk_user_data(sk, NULL);
	release_sock(sk);

	/* Let encap_rcv and TX users of the socket finish. */
	synchronize_net();
	sockfd_put(sock);
}
