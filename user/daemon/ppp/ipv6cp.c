// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: IPV6CP (RFC 5072): interface identifiers for link-local
 * addresses fe80::IID. Both ends choose a random identifier; a zero or
 * equal one is Nak'ed with a fresh random one.
 */
#include <string.h>

#include "internal.h"
#include "log.h"

enum { CI_IFACEID = 1 };

static const uint8_t zero[8];

static void random_iid(uint8_t iid[8], const uint8_t *avoid)
{
	do {
		ppp_random(iid, 8);
		iid[0] &= ~0x02;	/* not globally unique (u bit clear) */
	} while (!memcmp(iid, zero, 8) || (avoid && !memcmp(iid, avoid, 8)));
}

void ppp_ipv6cp_init(struct ppp_link *l)
{
	struct ppp_ipv6cp *c = &l->ipv6cp;

	memset(c, 0, sizeof(*c));
	random_iid(c->local_iid, NULL);
	c->req_iid = true;
}

static size_t v6_build_req(struct ppp_fsm *f, uint8_t *b, size_t size)
{
	struct ppp_ipv6cp *c = &f->link->ipv6cp;

	(void)size;
	if (!c->req_iid)
		return 0;
	b[0] = CI_IFACEID;
	b[1] = 10;
	memcpy(b + 2, c->local_iid, 8);
	return 10;
}

static int v6_recv_nak(struct ppp_fsm *f, const uint8_t *p, size_t len,
		       bool rej)
{
	struct ppp_ipv6cp *c = &f->link->ipv6cp;
	const uint8_t *o;

	for_each_opt(o, p, len) {
		if (o[0] != CI_IFACEID)
			continue;
		if (rej || o[1] != 10) {
			c->req_iid = false;
			continue;
		}
		if (memcmp(o + 2, zero, 8) && memcmp(o + 2, c->peer_iid, 8))
			memcpy(c->local_iid, o + 2, 8);
		else
			random_iid(c->local_iid, c->peer_iid);
	}
	return 0;
}

static int v6_recv_req(struct ppp_fsm *f, const uint8_t *p, size_t len,
		       uint8_t *out, size_t *out_len, bool nak_ok)
{
	struct ppp_ipv6cp *c = &f->link->ipv6cp;
	uint8_t rej[1500], nak[16];
	size_t nrej = 0, nnak = 0;
	uint8_t iid[8];
	bool have = false;
	const uint8_t *o;

	for_each_opt(o, p, len) {
		if (o[0] != CI_IFACEID || o[1] != 10) {
			if (nrej + o[1] <= 1400) {
				memcpy(rej + nrej, o, o[1]);
				nrej += o[1];
			}
			continue;
		}
		memcpy(iid, o + 2, 8);
		have = true;
		if (!memcmp(iid, zero, 8) || !memcmp(iid, c->local_iid, 8)) {
			if (!nak_ok) {
				memcpy(rej + nrej, o, 10);
				nrej += 10;
				continue;
			}
			nak[0] = CI_IFACEID;
			nak[1] = 10;
			random_iid(nak + 2, c->local_iid);
			nnak = 10;
		}
	}
	if (nrej) {
		memcpy(out, rej, nrej);
		*out_len = nrej;
		return CONFREJ;
	}
	if (nnak) {
		memcpy(out, nak, nnak);
		*out_len = nnak;
		return CONFNAK;
	}
	if (have)
		memcpy(c->peer_iid, iid, 8);
	*out_len = 0;
	return CONFACK;
}

static void v6_up(struct ppp_fsm *f)
{
	struct ppp_link *l = f->link;
	struct ppp_ipv6cp *c = &l->ipv6cp;
	int err;

	l->ipv6cp_up = true;
	plog(l, LOG_LVL_INFO,
	     "IPV6CP up: local fe80::%02x%02x:%02x%02x:%02x%02x:%02x%02x, peer fe80::%02x%02x:%02x%02x:%02x%02x:%02x%02x",
	     c->local_iid[0], c->local_iid[1], c->local_iid[2], c->local_iid[3],
	     c->local_iid[4], c->local_iid[5], c->local_iid[6], c->local_iid[7],
	     c->peer_iid[0], c->peer_iid[1], c->peer_iid[2], c->peer_iid[3],
	     c->peer_iid[4], c->peer_iid[5], c->peer_iid[6], c->peer_iid[7]);
	err = l->ops->ipv6cp_up ?
		l->ops->ipv6cp_up(l->arg, c->local_iid, c->peer_iid) : 0;
	if (err)
		plog(l, LOG_LVL_WARN, "cannot route IPv6 to this session (error %d)",
		     err);
}

static void v6_down(struct ppp_fsm *f)
{
	f->link->ipv6cp_up = false;
}

static void v6_finished(struct ppp_fsm *f)
{
	ppp_ncp_finished(f->link, f);
}

const struct ppp_fsm_proto ppp_ipv6cp_proto = {
	.proto = PPP_IPV6CP,
	.name = "IPV6CP",
	.build_req = v6_build_req,
	.recv_nak = v6_recv_nak,
	.recv_req = v6_recv_req,
	.up = v6_up,
	.down = v6_down,
	.finished = v6_finished,
};
