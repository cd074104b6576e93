// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: IPCP (RFC 1332) with the DNS and NBNS options (RFC 1877).
 * The server assigns the peer's address (from the pool or chap-secrets)
 * by Nak; the client asks with 0.0.0.0 and takes what it is told.
 */
#include <arpa/inet.h>
#include <string.h>

#include "internal.h"
#include "log.h"

enum {
	CI_ADDRS = 1, CI_COMPRESS = 2, CI_ADDR = 3,
	CI_DNS1 = 129, CI_NBNS1 = 130, CI_DNS2 = 131, CI_NBNS2 = 132,
};

static void put_addr(uint8_t *b, size_t *n, uint8_t type, struct in_addr a)
{
	b[(*n)++] = type;
	b[(*n)++] = 6;
	memcpy(b + *n, &a.s_addr, 4);
	*n += 4;
}

void ppp_ipcp_init(struct ppp_link *l)
{
	struct ppp_ipcp *c = &l->ipcp;

	memset(c, 0, sizeof(*c));
	if (l->cfg.server) {
		c->info.local = l->cfg.local_ipv4;
		memcpy(c->info.dns, l->cfg.dns, sizeof(c->info.dns));
		memcpy(c->info.nbns, l->cfg.nbns, sizeof(c->info.nbns));
		c->req_addr = c->info.local.s_addr != 0;
	} else {
		c->req_addr = true;
		c->req_dns[0] = c->req_dns[1] = l->cfg.want_dns;
	}
}

static size_t ipcp_build_req(struct ppp_fsm *f, uint8_t *b, size_t size)
{
	struct ppp_ipcp *c = &f->link->ipcp;
	size_t n = 0;

	(void)size;
	if (c->req_addr)
		put_addr(b, &n, CI_ADDR, c->info.local);
	if (!f->link->cfg.server) {
		if (c->req_dns[0])
			put_addr(b, &n, CI_DNS1, c->info.dns[0]);
		if (c->req_dns[1])
			put_addr(b, &n, CI_DNS2, c->info.dns[1]);
	}
	return n;
}

static int ipcp_recv_nak(struct ppp_fsm *f, const uint8_t *p, size_t len,
			 bool rej)
{
	struct ppp_link *l = f->link;
	struct ppp_ipcp *c = &l->ipcp;
	const uint8_t *o;

	for_each_opt(o, p, len) {
		struct in_addr a = { 0 };

		if (o[1] == 6)
			memcpy(&a.s_addr, o + 2, 4);
		switch (o[0]) {
		case CI_ADDR:
			if (rej || o[1] != 6) {
				c->req_addr = false;
				break;
			}
			if (!l->cfg.server && a.s_addr)
				c->info.local = a;
			break;
		case CI_DNS1:
		case CI_DNS2: {
			int i = o[0] == CI_DNS2;

			if (rej || o[1] != 6)
				c->req_dns[i] = false;
			else if (!l->cfg.server)
				c->info.dns[i] = a;
			break;
		}
		default:
			break;
		}
	}
	return 0;
}

static int ipcp_recv_req(struct ppp_fsm *f, const uint8_t *p, size_t len,
			 uint8_t *out, size_t *out_len, bool nak_ok)
{
	struct ppp_link *l = f->link;
	struct ppp_ipcp *c = &l->ipcp;
	uint8_t rej[1500], nak[1500];
	size_t nrej = 0, nnak = 0;
	bool have_addr = false;
	struct in_addr peer = { 0 };
	const uint8_t *o;

	for_each_opt(o, p, len) {
		struct in_addr a = { 0 }, want = { 0 };
		bool is_nbns;
		int i;

		if (o[1] != 6 || o[0] == CI_COMPRESS || o[0] == CI_ADDRS) {
			if (nrej + o[1] <= 1400) {
				memcpy(rej + nrej, o, o[1]);
				nrej += o[1];
			}
			continue;
		}
		memcpy(&a.s_addr, o + 2, 4);
		switch (o[0]) {
		case CI_ADDR:
			have_addr = true;
			if (l->cfg.server) {
				want = c->info.peer;
				if (a.s_addr != want.s_addr) {
					if (nak_ok)
						put_addr(nak, &nnak, CI_ADDR, want);
					else
						memcpy(rej + nrej, o, 6), nrej += 6;
				}
				peer = want;
			} else if (!a.s_addr) {
				memcpy(rej + nrej, o, 6);
				nrej += 6;
			} else {
				peer = a;
			}
			break;
		case CI_DNS1:
		case CI_DNS2:
		case CI_NBNS1:
		case CI_NBNS2:
			is_nbns = o[0] == CI_NBNS1 || o[0] == CI_NBNS2;
			i = o[0] == CI_DNS2 || o[0] == CI_NBNS2;
			if (l->cfg.server)
				want = is_nbns ? c->info.nbns[i] : c->info.dns[i];
			if (!want.s_addr) {
				memcpy(rej + nrej, o, 6);
				nrej += 6;
			} else if (a.s_addr != want.s_addr) {
				if (nak_ok)
					put_addr(nak, &nnak, o[0], want);
				else
					memcpy(rej + nrej, o, 6), nrej += 6;
			}
			break;
		default:
			memcpy(rej + nrej, o, 6);
			nrej += 6;
			break;
		}
	}
	if (nrej) {
		memcpy(out, rej, nrej);
		*out_len = nrej;
		return CONFREJ;
	}
	/* A server peer that asks for no address gets one suggested, once. */
	if (l->cfg.server && !have_addr && nak_ok && !c->nak_added) {
		c->nak_added = true;
		put_addr(nak, &nnak, CI_ADDR, c->info.peer);
	}
	if (nnak) {
		memcpy(out, nak, nnak);
		*out_len = nnak;
		return CONFNAK;
	}
	if (have_addr)
		c->info.peer = peer;
	*out_len = 0;
	return CONFACK;
}

static void ipcp_up(struct ppp_fsm *f)
{
	struct ppp_link *l = f->link;
	struct ppp_ipcp *c = &l->ipcp;
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
	int err;

	l->ipcp_up = true;
	inet_ntop(AF_INET, &c->info.local, a, sizeof(a));
	inet_ntop(AF_INET, &c->info.peer, b, sizeof(b));
	plog(l, LOG_LVL_INFO, "IPCP up: local %s, peer %s", a, b);
	err = l->ops->ipcp_up ? l->ops->ipcp_up(l->arg, &c->info) : 0;
	if (err)
		ppp_fail(l, END_KERNEL_ERROR,
			 "cannot route %s to this session (error %d)", b, err);
}

static void ipcp_down(struct ppp_fsm *f)
{
	f->link->ipcp_up = false;
}

static void ipcp_finished(struct ppp_fsm *f)
{
	ppp_ncp_finished(f->link, f);
}

const struct ppp_fsm_proto ppp_ipcp_proto = {
	.proto = PPP_IPCP,
	.name = "IPCP",
	.build_req = ipcp_build_req,
	.recv_nak = ipcp_recv_nak,
	.recv_req = ipcp_recv_req,
	.up = ipcp_up,
	.down = ipcp_down,
	.finished = ipcp_finished,
};
