// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd IKEv1 NAT traversal (RFC 3947, and the draft-ietf-ipsec-nat-t-
 * ike-02/03 vendor IDs that older clients send), plus the other vendor IDs
 * we look for (DPD, fragmentation, Windows).
 *
 * NAT-D: hash(CKY-I | CKY-R | IP | port), first the address we send to,
 * then our own. A NAT is where the peer's view of an address differs from
 * ours. With one, the initiator moves to UDP 4500 after MM4, ESP goes in
 * UDP, and whoever is behind the NAT sends keepalives.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "ike_int.h"
#include "log.h"
#include "loop.h"

const uint8_t VID_RFC3947[16] = {
	0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03, 0x58, 0x45,
	0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f,
};
const uint8_t VID_DRAFT02[16] = {
	0xcd, 0x60, 0x46, 0x43, 0x35, 0xdf, 0x21, 0xf8,
	0x7c, 0xfd, 0xb2, 0xfc, 0x68, 0xb6, 0xa4, 0x48,
};
const uint8_t VID_DRAFT02N[16] = {
	0x90, 0xcb, 0x80, 0x91, 0x3e, 0xbb, 0x69, 0x6e,
	0x08, 0x63, 0x81, 0xb5, 0xec, 0x42, 0x7b, 0x1f,
};
const uint8_t VID_DRAFT03[16] = {
	0x7d, 0x94, 0x19, 0xa6, 0x53, 0x10, 0xca, 0x6f,
	0x2c, 0x17, 0x9d, 0x92, 0x15, 0x52, 0x9d, 0x56,
};
const uint8_t VID_DPD[16] = {
	0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1, 0xf1, 0xc9,
	0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00,
};
const uint8_t VID_FRAG[16] = {
	0x40, 0x48, 0xb7, 0xd5, 0x6e, 0xbc, 0xe8, 0x85,
	0x25, 0xe7, 0xde, 0x7f, 0x00, 0xd6, 0xc2, 0xd3,
};
const uint8_t VID_MSNT5[16] = {
	0x1e, 0x2b, 0x51, 0x69, 0x05, 0x99, 0x1c, 0x7d,
	0x7c, 0x96, 0xfc, 0xbf, 0xb5, 0x87, 0xe4, 0x61,
};

static bool vid_is(const struct ike_pl *p, const uint8_t *vid)
{
	return p->len >= 16 && !memcmp(p->body, vid, 16);
}

void natt_vids(struct ike_sa *sa, const struct ike_msg *m)
{
	unsigned int i;

	for (i = 0; i < m->n; i++) {
		const struct ike_pl *p = &m->pl[i];

		if (p->type != ISAKMP_NP_VID)
			continue;
		if (vid_is(p, VID_RFC3947))
			sa->natt_rfc = true;
		else if (vid_is(p, VID_DRAFT02) || vid_is(p, VID_DRAFT02N) ||
			 vid_is(p, VID_DRAFT03))
			sa->natt_draft = true;
		else if (vid_is(p, VID_DPD))
			sa->peer_dpd = true;
		else if (vid_is(p, VID_FRAG))
			sa->peer_frag = true;
		else if (vid_is(p, VID_MSNT5))
			sa->peer_ms = true;
	}
	if (!sa->ike->conf.nat_t)
		sa->natt_rfc = sa->natt_draft = false;
	if (sa->natt_rfc) {
		sa->natd_type = ISAKMP_NP_NATD;
		sa->natoa_type = ISAKMP_NP_NATOA;
		sa->encap_udp = ENCAP_UDP_TRANSPORT;
	} else if (sa->natt_draft) {
		sa->natd_type = ISAKMP_NP_NATD_DRAFT;
		sa->natoa_type = ISAKMP_NP_NATOA_DRAFT;
		sa->encap_udp = ENCAP_UDP_TRANSPORT_DRAFT;
	}
}

bool natt_enabled(const struct ike_sa *sa)
{
	return sa->natt_rfc || sa->natt_draft;
}

bool natt_nat(const struct ike_sa *sa)
{
	return sa->nat_local || sa->nat_remote;
}

void natt_add_vids(struct ike_sa *sa, struct ike_buf *b, bool responder)
{
	struct ike *ike = sa->ike;

	if (ike->conf.nat_t) {
		if (!responder) {
			ike_buf_payload(b, ISAKMP_NP_VID, VID_RFC3947, 16);
			ike_buf_payload(b, ISAKMP_NP_VID, VID_DRAFT03, 16);
			ike_buf_payload(b, ISAKMP_NP_VID, VID_DRAFT02N, 16);
			ike_buf_payload(b, ISAKMP_NP_VID, VID_DRAFT02, 16);
		} else if (sa->natt_rfc) {
			ike_buf_payload(b, ISAKMP_NP_VID, VID_RFC3947, 16);
		} else if (sa->natt_draft) {
			ike_buf_payload(b, ISAKMP_NP_VID, VID_DRAFT02N, 16);
		}
	}
	if (ike->conf.dpd)
		ike_buf_payload(b, ISAKMP_NP_VID, VID_DPD, 16);
	if (ike->conf.fragmentation != FRAG_NO)
		ike_buf_payload(b, ISAKMP_NP_VID, VID_FRAG, 16);
}

static int natd_hash(const struct ike_sa *sa, const struct sockaddr_in *a,
		     uint8_t *out)
{
	struct ike_chunk p[] = {
		{ sa->icky, 8 }, { sa->rcky, 8 },
		{ &a->sin_addr.s_addr, 4 }, { &a->sin_port, 2 },
	};

	return ike_digest(sa->xf.alg.hash, p, 4, out);
}

/*
 * Our address and port as this message uses them: UDP 4500 once the SA
 * moved there (Aggressive Mode's message 3 behind a NAT), else 500.
 */
static struct sockaddr_in natd_local(const struct ike_sa *sa)
{
	struct sockaddr_in local = sa->local;

	if (sa->on_natt)
		local.sin_port = htons(sa->ike->conf.natt_port);
	else if (!local.sin_port)
		local.sin_port = htons(sa->ike->conf.port);
	return local;
}

void natt_add_natd(struct ike_sa *sa, struct ike_buf *b)
{
	uint8_t h[IKE_MAX_HASH];
	size_t n = ike_hash_size(sa->xf.alg.hash);
	struct sockaddr_in local = natd_local(sa);

	if (!natt_enabled(sa))
		return;
	if (natd_hash(sa, &sa->remote, h)) {
		b->err = true;
		return;
	}
	ike_buf_payload(b, sa->natd_type, h, n);
	if (natd_hash(sa, &local, h)) {
		b->err = true;
		return;
	}
	ike_buf_payload(b, sa->natd_type, h, n);
}

int natt_check(struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_pl *first, *p;
	uint8_t mine[IKE_MAX_HASH], theirs[IKE_MAX_HASH];
	size_t n = ike_hash_size(sa->xf.alg.hash);
	struct sockaddr_in local = natd_local(sa);
	unsigned int i;

	if (!natt_enabled(sa))
		return 0;
	first = ike_msg_find(m, sa->natd_type, 0);
	if (!first) {
		/* The peer announced NAT-T but sends no NAT-D: no NAT-T. */
		SA_LOG(sa, LOG_LVL_DEBUG, "no NAT-D payloads: NAT-T off");
		sa->natt_rfc = sa->natt_draft = false;
		return 0;
	}
	if (natd_hash(sa, &local, mine) || natd_hash(sa, &sa->remote, theirs))
		return -EIO;
	/* The first says how the peer sees us. */
	sa->nat_local = first->len != n || memcmp(first->body, mine, n);
	/* The others are the peer's own addresses: is one what we see? */
	sa->nat_remote = true;
	for (i = 1; (p = ike_msg_find(m, sa->natd_type, i)); i++)
		if (p->len == n && !memcmp(p->body, theirs, n))
			sa->nat_remote = false;
	if (natt_nat(sa))
		SA_LOG(sa, LOG_LVL_INFO, "NAT detected:%s%s",
		       sa->nat_remote ? " the peer is behind a NAT" : "",
		       sa->nat_local ? " we are behind a NAT" : "");
	return 0;
}

static void keepalive_cb(void *arg)
{
	struct ike_remote *rem = arg;
	struct ike *ike = rem->ike;
	static const uint8_t ka = 0xff;

	/* A bare 0xFF on UDP 4500, without the non-ESP marker. */
	if (ike->fd_natt >= 0 &&
	    sendto(ike->fd_natt, &ka, 1, MSG_DONTWAIT,
		   (struct sockaddr *)&rem->addr, sizeof(rem->addr)) == 1)
		rem->ka_sent++;
	loop_timer_arm(rem->ka_timer, (uint64_t)ike->conf.keepalive * 1000);
}

void natt_keepalive_start(struct ike_remote *rem)
{
	struct ike *ike = rem->ike;

	if (!ike->conf.keepalive || !rem->udp_encap || rem->ka_timer)
		return;
	rem->ka_timer = loop_timer_new(ike->loop, keepalive_cb, rem);
	if (rem->ka_timer)
		loop_timer_arm(rem->ka_timer,
			       (uint64_t)ike->conf.keepalive * 1000);
}

int ike_peer_natt(const struct ike *ike, uint32_t peer_id,
		  struct ike_natt_info *out)
{
	const struct ike_remote *rem;

	if (!ike)
		return -ENOENT;
	for (rem = ike->remotes; rem; rem = rem->next) {
		if (rem->peer_id != peer_id)
			continue;
		memset(out, 0, sizeof(*out));
		out->udp_encap = rem->udp_encap;
		if (rem->sa) {
			out->nat_local = rem->sa->nat_local;
			out->nat_remote = rem->sa->nat_remote;
		}
		out->keepalive_s = rem->ka_timer ? ike->conf.keepalive : 0;
		out->keepalives_sent = rem->ka_sent;
		return 0;
	}
	return -ENOENT;
}

void ike_nat_timeout_fix(const struct ike *ike, bool we_behind, char *buf,
			 size_t len)
{
	if (we_behind)
		snprintf(buf, len,
			 "set keepalive in [ike] below the NAT's UDP timeout (we are behind it, keepalive is %u s%s)",
			 ike->conf.keepalive,
			 ike->conf.keepalive ? "" : ", that is off");
	else
		snprintf(buf, len,
			 "set the client's NAT-T keepalive below the NAT's UDP timeout (often 30 s) or lower lcp-echo-interval in [ppp] or dpd-delay in [ike] so that traffic keeps the mapping");
}
