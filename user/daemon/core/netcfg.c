// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: addresses and routes on the l2tpsec device, over rtnetlink
 * (a plain NETLINK_ROUTE socket: four message kinds do not need a library).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "netcfg.h"

struct netcfg {
	int		fd;
	uint32_t	seq;
};

struct req {
	struct nlmsghdr	nh;
	union {
		struct ifinfomsg	ifi;
		struct ifaddrmsg	ifa;
		struct rtmsg		rtm;
	};
	uint8_t		attrs[256];
};

struct netcfg *netcfg_open(void)
{
	struct netcfg *n = calloc(1, sizeof(*n));
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	if (!n)
		return NULL;
	n->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (n->fd < 0 || bind(n->fd, (struct sockaddr *)&sa, sizeof(sa))) {
		if (n->fd >= 0)
			close(n->fd);
		free(n);
		return NULL;
	}
	return n;
}

void netcfg_close(struct netcfg *n)
{
	if (!n)
		return;
	close(n->fd);
	free(n);
}

static void put_attr(struct req *r, uint16_t type, const void *data,
		     size_t len)
{
	struct rtattr *rta = (struct rtattr *)((uint8_t *)r +
					       NLMSG_ALIGN(r->nh.nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(rta), data, len);
	r->nh.nlmsg_len = NLMSG_ALIGN(r->nh.nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

static struct rtattr *nest_start(struct req *r, uint16_t type)
{
	struct rtattr *rta = (struct rtattr *)((uint8_t *)r +
					       NLMSG_ALIGN(r->nh.nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = (unsigned short)RTA_LENGTH(0);
	r->nh.nlmsg_len = NLMSG_ALIGN(r->nh.nlmsg_len) + RTA_ALIGN(rta->rta_len);
	return rta;
}

static void nest_end(struct req *r, struct rtattr *rta)
{
	rta->rta_len = (unsigned short)((uint8_t *)r + r->nh.nlmsg_len -
					(uint8_t *)rta);
}

static int talk(struct netcfg *n, struct req *r)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	uint8_t buf[4096];
	ssize_t len;

	r->nh.nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	r->nh.nlmsg_seq = ++n->seq;
	if (sendto(n->fd, r, r->nh.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0)
		return -errno;
	for (;;) {
		struct nlmsghdr *h;

		len = recv(n->fd, buf, sizeof(buf), 0);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (unsigned int)len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != n->seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				return e->error;
			}
		}
	}
}

static int result(int err, bool add)
{
	if (add && err == -EEXIST)
		return 0;
	if (!add && (err == -ENOENT || err == -ESRCH ||
		     err == -EADDRNOTAVAIL || err == -ENODEV))
		return 0;
	return err;
}

int netcfg_link_up(struct netcfg *n, int ifindex)
{
	uint8_t mode = IN6_ADDR_GEN_MODE_NONE;
	struct rtattr *spec, *inet6;
	struct req r;

	/*
	 * No link-local address of the kernel's making (it would pick a
	 * random one for this ARPHRD_NONE device): the device's link-local
	 * addresses are the ones IPV6CP negotiates, and the module delivers
	 * link-local traffic only from a session's own interface id. A
	 * kernel without IPv6 refuses this, and then has nothing to stop.
	 */
	memset(&r, 0, sizeof(r));
	r.nh.nlmsg_len = NLMSG_LENGTH(sizeof(r.ifi));
	r.nh.nlmsg_type = RTM_NEWLINK;
	r.ifi.ifi_family = AF_UNSPEC;
	r.ifi.ifi_index = ifindex;
	spec = nest_start(&r, IFLA_AF_SPEC);
	inet6 = nest_start(&r, AF_INET6);
	put_attr(&r, IFLA_INET6_ADDR_GEN_MODE, &mode, sizeof(mode));
	nest_end(&r, inet6);
	nest_end(&r, spec);
	(void)talk(n, &r);

	memset(&r, 0, sizeof(r));
	r.nh.nlmsg_len = NLMSG_LENGTH(sizeof(r.ifi));
	r.nh.nlmsg_type = RTM_NEWLINK;
	r.ifi.ifi_family = AF_UNSPEC;
	r.ifi.ifi_index = ifindex;
	r.ifi.ifi_flags = IFF_UP;
	r.ifi.ifi_change = IFF_UP;
	return talk(n, &r);
}

static int addr4(struct netcfg *n, int ifindex, bool add,
		 struct in_addr local, struct in_addr peer, uint8_t plen)
{
	struct req r;

	memset(&r, 0, sizeof(r));
	r.nh.nlmsg_len = NLMSG_LENGTH(sizeof(r.ifa));
	r.nh.nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
	if (add)
		r.nh.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	r.ifa.ifa_family = AF_INET;
	r.ifa.ifa_prefixlen = peer.s_addr ? 32 : plen;
	r.ifa.ifa_index = (unsigned int)ifindex;
	r.ifa.ifa_scope = RT_SCOPE_UNIVERSE;
	put_attr(&r, IFA_LOCAL, &local, 4);
	put_attr(&r, IFA_ADDRESS, peer.s_addr ? &peer : &local, 4);
	return talk(n, &r);
}

int netcfg_addr4(struct netcfg *n, int ifindex, bool add,
		 struct in_addr local, struct in_addr peer, uint8_t plen)
{
	return result(addr4(n, ifindex, add, local, peer, plen), add);
}

int netcfg_addr4_new(struct netcfg *n, int ifindex, struct in_addr local,
		     uint8_t plen)
{
	return addr4(n, ifindex, true, local, (struct in_addr){ 0 }, plen);
}

int netcfg_addr6(struct netcfg *n, int ifindex, bool add,
		 const struct in6_addr *a, uint8_t plen)
{
	struct req r;
	uint32_t flags = IFA_F_NODAD;

	memset(&r, 0, sizeof(r));
	r.nh.nlmsg_len = NLMSG_LENGTH(sizeof(r.ifa));
	r.nh.nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
	if (add)
		r.nh.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	r.ifa.ifa_family = AF_INET6;
	r.ifa.ifa_prefixlen = plen;
	r.ifa.ifa_flags = IFA_F_NODAD;
	r.ifa.ifa_index = (unsigned int)ifindex;
	r.ifa.ifa_scope = a->s6_addr[0] == 0xfe && (a->s6_addr[1] & 0xc0) == 0x80 ?
		RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
	put_attr(&r, IFA_LOCAL, a, 16);
	put_attr(&r, IFA_ADDRESS, a, 16);
	put_attr(&r, IFA_FLAGS, &flags, 4);
	return result(talk(n, &r), add);
}

static int route(struct netcfg *n, int ifindex, bool add, int family,
		 const void *dst, size_t alen, uint8_t plen, const void *src)
{
	struct req r;
	uint32_t oif = (uint32_t)ifindex;

	memset(&r, 0, sizeof(r));
	r.nh.nlmsg_len = NLMSG_LENGTH(sizeof(r.rtm));
	r.nh.nlmsg_type = add ? RTM_NEWROUTE : RTM_DELROUTE;
	if (add)
		r.nh.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	r.rtm.rtm_family = (unsigned char)family;
	r.rtm.rtm_dst_len = plen;
	r.rtm.rtm_table = RT_TABLE_MAIN;
	r.rtm.rtm_protocol = RTPROT_STATIC;
	r.rtm.rtm_scope = RT_SCOPE_LINK;
	r.rtm.rtm_type = RTN_UNICAST;
	put_attr(&r, RTA_DST, dst, alen);
	put_attr(&r, RTA_OIF, &oif, 4);
	if (src)
		put_attr(&r, RTA_PREFSRC, src, alen);
	return result(talk(n, &r), add);
}

int netcfg_route4(struct netcfg *n, int ifindex, bool add,
		  struct in_addr dst, uint8_t plen, struct in_addr src)
{
	return route(n, ifindex, add, AF_INET, &dst, 4, plen,
		     src.s_addr ? &src : NULL);
}

int netcfg_route6(struct netcfg *n, int ifindex, bool add,
		  const struct in6_addr *dst, uint8_t plen)
{
	return route(n, ifindex, add, AF_INET6, dst, 16, plen, NULL);
}
