/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd: addresses and routes on the l2tpsec device, over rtnetlink.
 * Each call is one synchronous request; adding what exists and deleting
 * what is gone both succeed (idempotent). 0 or -errno.
 */
#ifndef L2TPSECD_L2TP_NETCFG_H
#define L2TPSECD_L2TP_NETCFG_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

struct netcfg;

struct netcfg *netcfg_open(void);
void netcfg_close(struct netcfg *n);

int netcfg_link_up(struct netcfg *n, int ifindex);
/* @peer.s_addr 0: a plain /@plen address; else "local peer PEER/32". */
int netcfg_addr4(struct netcfg *n, int ifindex, bool add,
		 struct in_addr local, struct in_addr peer, uint8_t plen);
/*
 * Add @local/@plen, -EEXIST when the device has it already (then it is
 * not ours to remove).
 */
int netcfg_addr4_new(struct netcfg *n, int ifindex, struct in_addr local,
		     uint8_t plen);
int netcfg_addr6(struct netcfg *n, int ifindex, bool add,
		 const struct in6_addr *a, uint8_t plen);
/* @src 0: none. */
int netcfg_route4(struct netcfg *n, int ifindex, bool add,
		  struct in_addr dst, uint8_t plen, struct in_addr src);
int netcfg_route6(struct netcfg *n, int ifindex, bool add,
		  const struct in6_addr *dst, uint8_t plen);

#endif
