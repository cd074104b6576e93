/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd IKEv1: a read-only view of the SAs for `l2tpsec status`
 * (ISAKMP SAs, established and half-open, and the IPsec SA pairs), and
 * the failure class of an IKE failure for the failure record.
 */
#ifndef L2TPSECD_IKE_VIEW_H
#define L2TPSECD_IKE_VIEW_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "failrec.h"
#include "ike.h"

struct ike_sa_view {
	struct sockaddr_in	remote, local;
	bool			initiator;
	bool			established;
	const char		*state;		/* "MM3 sent", "established" */
	const char		*mode;		/* "main", "aggressive" */
	uint64_t		age_ms;
	uint32_t		lifetime_s;	/* negotiated, 0 while half-open */
	char			proposal[96];	/* "" while not chosen */
	const char		*auth;		/* "pre-shared key", ... */
	const char		*peer_id;	/* "" before phase 1 ID */
	const char		*natt;		/* "rfc3947", "draft", "no" */
	bool			nat_local, nat_remote;
	bool			dpd;		/* the peer does DPD */
	bool			dpd_pending;	/* an R-U-THERE unanswered */
	uint64_t		idle_ms;	/* since the last valid message */
	uint32_t		peer;		/* module peer id, 0: none */
};

struct ike_child_view {
	uint32_t		peer;		/* module peer id */
	struct sockaddr_in	remote;
	bool			udp_encap;
	const char		*state;		/* larval, installed, dying */
	bool			initiator;
	bool			tx;		/* the pair TX uses */
	uint32_t		spi_in, spi_out;	/* host order */
	char			proposal[96];
	uint64_t		age_ms;
	uint32_t		life_s;
	uint64_t		life_bytes;
	bool			seen_in;
	bool			rekeying;
};

void ike_for_each_sa(const struct ike *ike,
		     void (*fn)(void *arg, const struct ike_sa_view *v),
		     void *arg);
void ike_for_each_child(const struct ike *ike,
			void (*fn)(void *arg, const struct ike_child_view *v),
			void *arg);

/* The troubleshooting class of an ike_fail() line. */
enum l2_fail_class ike_fail_class(enum ike_fail_kind kind, const char *text);

#endif
