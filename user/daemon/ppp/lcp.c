// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: LCP (RFC 1661 section 6): MRU, ACCM (accepted, meaningless on
 * L2TP), authentication protocol, magic number and loopback detection,
 * PFC, ACFC; Echo keepalive, Protocol-Reject, Discard-Request.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "log.h"
#include "loop.h"

enum {
	CI_MRU = 1, CI_ACCM = 2, CI_AUTH = 3, CI_QUALITY = 4, CI_MAGIC = 5,
	CI_PFC = 7, CI_ACFC = 8,
};

#define CHAP_MD5	5
#define CHAP_MSV2	0x81
#define MIN_MRU		128
#define MAX_LOOPS	5

static struct ppp_link *L(struct ppp_fsm *f)
{
	return f->link;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static uint32_t new_magic(void)
{
	uint32_t m = 0;

	while (!m)
		ppp_random(&m, sizeof(m));
	return m;
}

static bool auth_allowed(const struct ppp_link *l, enum ppp_auth a)
{
	int i;

	for (i = 0; i < 4 && l->cfg.auth[i]; i++)
		if (l->cfg.auth[i] == a)
			return true;
	return false;
}

static size_t put_auth(uint8_t *p, enum ppp_auth a)
{
	p[0] = CI_AUTH;
	switch (a) {
	case PPP_AUTH_PAP:
		p[1] = 4;
		p[2] = 0xc0;
		p[3] = 0x23;
		return 4;
	case PPP_AUTH_CHAP_MD5:
	case PPP_AUTH_MSCHAPV2:
		p[1] = 5;
		p[2] = 0xc2;
		p[3] = 0x23;
		p[4] = a == PPP_AUTH_CHAP_MD5 ? CHAP_MD5 : CHAP_MSV2;
		return 5;
	default:
		return 0;
	}
}

/* The protocol an Authentication-Protocol option names (0: unknown). */
static enum ppp_auth parse_auth(const uint8_t *o)
{
	uint16_t proto;

	if (o[1] < 4)
		return PPP_AUTH_NONE;
	proto = (uint16_t)(o[2] << 8 | o[3]);
	if (proto == PPP_PAP && o[1] == 4)
		return PPP_AUTH_PAP;
	if (proto == PPP_CHAP && o[1] == 5) {
		if (o[4] == CHAP_MD5)
			return PPP_AUTH_CHAP_MD5;
		if (o[4] == CHAP_MSV2)
			return PPP_AUTH_MSCHAPV2;
	}
	return PPP_AUTH_NONE;
}

void ppp_lcp_init(struct ppp_link *l)
{
	struct ppp_lcp *c = &l->lcp;

	c->magic = new_magic();
	c->req_magic = true;
	c->req_mru = l->cfg.mru != 1500;
	c->req_mru_val = l->cfg.mru;
	c->req_acfc = l->cfg.acfc;
	c->req_pfc = l->cfg.pfc;
	c->peer_mru = 1500;
	if (l->cfg.server) {
		c->want_auth = l->cfg.auth[0];
		c->auth_tried = c->want_auth;
	}
}

static size_t lcp_build_req(struct ppp_fsm *f, uint8_t *b, size_t size)
{
	struct ppp_link *l = L(f);
	struct ppp_lcp *c = &l->lcp;
	size_t n = 0;

	(void)size;	/* at most 4 + 5 + 6 + 2 + 2 bytes */
	if (c->req_mru) {
		b[n++] = CI_MRU;
		b[n++] = 4;
		b[n++] = c->req_mru_val >> 8;
		b[n++] = c->req_mru_val & 0xff;
	}
	if (l->cfg.server && c->want_auth)
		n += put_auth(b + n, c->want_auth);
	if (c->req_magic) {
		b[n++] = CI_MAGIC;
		b[n++] = 6;
		put32(b + n, c->magic);
		n += 4;
	}
	if (c->req_pfc) {
		b[n++] = CI_PFC;
		b[n++] = 2;
	}
	if (c->req_acfc) {
		b[n++] = CI_ACFC;
		b[n++] = 2;
	}
	return n;
}

/* Server: the next protocol to ask for after @suggested was offered. */
static enum ppp_auth next_auth(struct ppp_link *l, enum ppp_auth suggested)
{
	struct ppp_lcp *c = &l->lcp;
	int i;

	if (suggested && auth_allowed(l, suggested) &&
	    !(c->auth_tried & suggested))
		return suggested;
	for (i = 0; i < 4 && l->cfg.auth[i]; i++)
		if (!(c->auth_tried & l->cfg.auth[i]))
			return l->cfg.auth[i];
	return PPP_AUTH_NONE;
}

static int lcp_recv_nak(struct ppp_fsm *f, const uint8_t *p, size_t len,
			bool rej)
{
	struct ppp_link *l = L(f);
	struct ppp_lcp *c = &l->lcp;
	const uint8_t *o;

	for_each_opt(o, p, len) {
		switch (o[0]) {
		case CI_MRU:
			if (rej || o[1] != 4) {
				c->req_mru = false;
			} else {
				uint16_t v = (uint16_t)(o[2] << 8 | o[3]);

				if (v >= MIN_MRU && v <= l->cfg.mru)
					c->req_mru_val = v;
				else
					c->req_mru = false;
			}
			break;
		case CI_AUTH:
			if (!l->cfg.server)
				break;
			if (rej) {
				ppp_fail(l, END_AUTH_FAILED,
					 "the peer refuses to authenticate (it rejected the Authentication-Protocol option); a client must log in");
				return 0;
			}
			c->want_auth = next_auth(l, parse_auth(o));
			if (!c->want_auth) {
				ppp_fail(l, END_AUTH_FAILED,
					 "the peer accepts none of the authentication protocols we allow; widen 'auth' in [ppp]");
				return 0;
			}
			c->auth_tried |= c->want_auth;
			break;
		case CI_MAGIC:
			if (rej)
				c->req_magic = false;
			else
				c->magic = new_magic();
			break;
		case CI_PFC:
			c->req_pfc = false;
			break;
		case CI_ACFC:
			c->req_acfc = false;
			break;
		default:
			break;
		}
	}
	return 0;
}

static void add_opt(uint8_t *out, size_t *n, const uint8_t *o, size_t len)
{
	if (*n + len <= 1400) {
		memcpy(out + *n, o, len);
		*n += len;
	}
}

/*
 * Client: the server asks for a protocol our [lac] auth does not allow.
 * Once per protocol and link, the line names it and the setting.
 */
static void client_auth_refused(struct ppp_link *l, enum ppp_auth a)
{
	struct ppp_lcp *c = &l->lcp;
	unsigned int bit = a ? (unsigned int)a : 0x80;

	if (c->auth_refused & bit)
		return;
	c->auth_refused |= bit;
	if (!l->cfg.auth[0])
		plog(l, LOG_LVL_WARN,
		     "the server asks for %s, but [lac] auth = none: refused (to log in: auth = mschapv2)",
		     a ? ppp_auth_name(a) : "an unknown authentication protocol");
	else if (a == PPP_AUTH_PAP || a == PPP_AUTH_CHAP_MD5)
		plog(l, LOG_LVL_WARN,
		     "the server asks for %s, which [lac] auth does not allow: refused, asking for %s instead; to accept it set auth = mschapv2 %s in [lac] (%s)",
		     ppp_auth_name(a), ppp_auth_name(l->cfg.auth[0]),
		     a == PPP_AUTH_PAP ? "pap" : "chap",
		     a == PPP_AUTH_PAP ?
		     "the password then goes to the server in clear" :
		     "the server then does not prove it knows the password");
	else
		plog(l, LOG_LVL_WARN,
		     "the server asks for %s, which [lac] auth does not allow: refused, asking for %s instead",
		     a ? ppp_auth_name(a) : "an unknown authentication protocol",
		     ppp_auth_name(l->cfg.auth[0]));
}

static int lcp_recv_req(struct ppp_fsm *f, const uint8_t *p, size_t len,
			uint8_t *out, size_t *out_len, bool nak_ok)
{
	struct ppp_link *l = L(f);
	struct ppp_lcp *c = &l->lcp;
	uint8_t rej[1500], nak[1500];
	size_t nrej = 0, nnak = 0;
	uint16_t mru = 1500;
	bool acfc = false, pfc = false;
	enum ppp_auth auth = PPP_AUTH_NONE;
	uint32_t magic = 0;
	const uint8_t *o;

	for_each_opt(o, p, len) {
		switch (o[0]) {
		case CI_MRU:
			if (o[1] != 4) {
				add_opt(rej, &nrej, o, o[1]);
				break;
			}
			mru = (uint16_t)(o[2] << 8 | o[3]);
			if (mru < MIN_MRU) {
				uint8_t n[4] = { CI_MRU, 4, 1500 >> 8, 1500 & 0xff };

				if (nak_ok)
					add_opt(nak, &nnak, n, 4);
				else
					add_opt(rej, &nrej, o, o[1]);
			}
			break;
		case CI_ACCM:
			if (o[1] != 6)
				add_opt(rej, &nrej, o, o[1]);
			break;
		case CI_AUTH:
			if (l->cfg.server) {
				add_opt(rej, &nrej, o, o[1]);
				break;
			}
			auth = parse_auth(o);
			if (!l->cfg.auth[0]) {
				client_auth_refused(l, auth);
				auth = PPP_AUTH_NONE;
				add_opt(rej, &nrej, o, o[1]);
				break;
			}
			if (!auth || !auth_allowed(l, auth)) {
				uint8_t n[5];
				size_t nl;

				client_auth_refused(l, auth);
				nl = put_auth(n, l->cfg.auth[0]);
				auth = PPP_AUTH_NONE;
				if (nak_ok && nl)
					add_opt(nak, &nnak, n, nl);
				else
					add_opt(rej, &nrej, o, o[1]);
			}
			break;
		case CI_MAGIC:
			if (o[1] != 6) {
				add_opt(rej, &nrej, o, o[1]);
				break;
			}
			magic = get32(o + 2);
			if (magic && c->req_magic && magic == c->magic) {
				uint8_t n[6] = { CI_MAGIC, 6 };

				if (++c->loops > MAX_LOOPS) {
					ppp_fail(l, END_LOOPBACK,
						 "the link is looped back: the peer's magic number equals ours %u times",
						 c->loops);
					return CONFREJ;
				}
				put32(n + 2, new_magic());
				add_opt(nak, &nnak, n, 6);
			}
			break;
		case CI_PFC:
			if (o[1] != 2 || !l->cfg.pfc)
				add_opt(rej, &nrej, o, o[1]);
			else
				pfc = true;
			break;
		case CI_ACFC:
			if (o[1] != 2 || !l->cfg.acfc)
				add_opt(rej, &nrej, o, o[1]);
			else
				acfc = true;
			break;
		default:
			add_opt(rej, &nrej, o, o[1]);
			break;
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
	c->peer_mru = mru;
	c->peer_acfc = acfc;
	c->peer_pfc = pfc;
	c->peer_magic = magic;
	if (!l->cfg.server)
		c->peer_auth = auth;
	*out_len = 0;
	return CONFACK;
}

static void echo_cb(void *arg)
{
	struct ppp_link *l = arg;
	struct ppp_lcp *c = &l->lcp;
	uint8_t d[4];

	if (l->lcp_fsm.state != ST_OPENED)
		return;
	if (c->echo_pending >= l->cfg.echo_failures) {
		ppp_fail(l, END_LCP_ECHO_TIMEOUT,
			 "%u LCP Echo-Requests unanswered (lcp-echo-interval %u s, lcp-echo-failure %u)",
			 c->echo_pending, l->cfg.echo_interval_s,
			 l->cfg.echo_failures);
		return;
	}
	put32(d, c->req_magic ? c->magic : 0);
	ppp_fsm_send(&l->lcp_fsm, ECHOREQ, ++c->echo_id, d, 4);
	c->echo_sent_ms = loop_now_ms(l->loop);
	c->echo_pending++;
	l->stats.echo_tx++;
	loop_timer_arm(c->echo_timer, (uint64_t)l->cfg.echo_interval_s * 1000);
}

void ppp_echo_start(struct ppp_link *l)
{
	struct ppp_lcp *c = &l->lcp;

	c->echo_pending = 0;
	if (!l->cfg.echo_interval_s || !l->cfg.echo_failures)
		return;
	if (!c->echo_timer)
		c->echo_timer = loop_timer_new(l->loop, echo_cb, l);
	if (c->echo_timer)
		loop_timer_arm(c->echo_timer,
			       (uint64_t)l->cfg.echo_interval_s * 1000);
}

void ppp_echo_stop(struct ppp_link *l)
{
	loop_timer_disarm(l->lcp.echo_timer);
}

static bool lcp_extcode(struct ppp_fsm *f, uint8_t code, uint8_t id,
			const uint8_t *d, size_t len)
{
	struct ppp_link *l = L(f);
	struct ppp_lcp *c = &l->lcp;
	uint8_t rep[1500];
	uint16_t proto;

	switch (code) {
	case ECHOREQ:
		if (f->state != ST_OPENED)
			return true;
		if (len < 4) {
			l->stats.rx_malformed++;
			return true;
		}
		if (c->req_magic && get32(d) == c->magic && c->magic) {
			plog(l, LOG_LVL_DEBUG, "Echo-Request with our own magic number: looped back?");
			return true;
		}
		if (len > sizeof(rep))
			len = sizeof(rep);
		memcpy(rep, d, len);
		put32(rep, c->req_magic ? c->magic : 0);
		ppp_fsm_send(f, ECHOREP, id, rep, len);
		return true;
	case ECHOREP:
		if (f->state != ST_OPENED)
			return true;
		if (len < 4) {
			l->stats.rx_malformed++;
			return true;
		}
		if (c->req_magic && get32(d) == c->magic && c->magic) {
			plog(l, LOG_LVL_DEBUG, "Echo-Reply with our own magic number: looped back?");
			return true;
		}
		c->echo_pending = 0;
		l->stats.echo_rx++;
		/* the reply to our newest request: time it */
		if (id == c->echo_id && c->echo_sent_ms) {
			uint64_t now = loop_now_ms(l->loop);

			l->stats.echo_rtt_ms = now - c->echo_sent_ms;
			l->stats.echo_rtt_at_ms = now;
			c->echo_sent_ms = 0;
		}
		return true;
	case DISCREQ:
		return true;
	case PROTREJ:
		if (f->state != ST_OPENED)
			return true;
		if (len < 2) {
			l->stats.rx_malformed++;
			return true;
		}
		proto = (uint16_t)(d[0] << 8 | d[1]);
		plog(l, LOG_LVL_DEBUG, "peer rejected protocol %#06x", proto);
		if (proto == PPP_IPCP)
			ppp_fsm_rejected(&l->ipcp_fsm);
		else if (proto == PPP_IPV6CP)
			ppp_fsm_rejected(&l->ipv6cp_fsm);
		else if (proto == PPP_LCP)
			ppp_fail(l, END_PROTOCOL_ERROR, "peer rejected LCP");
		return true;
	default:
		return false;
	}
}

static void lcp_up(struct ppp_fsm *f)
{
	ppp_lcp_opened(L(f));
}

static void lcp_down(struct ppp_fsm *f)
{
	ppp_lcp_down(L(f));
}

static void lcp_finished(struct ppp_fsm *f)
{
	ppp_lcp_finished(L(f));
}

const struct ppp_fsm_proto ppp_lcp_proto = {
	.proto = PPP_LCP,
	.name = "LCP",
	.build_req = lcp_build_req,
	.recv_nak = lcp_recv_nak,
	.recv_req = lcp_recv_req,
	.up = lcp_up,
	.down = lcp_down,
	.finished = lcp_finished,
	.extcode = lcp_extcode,
};
