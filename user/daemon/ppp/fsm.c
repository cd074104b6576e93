// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: the PPP option negotiation automaton (RFC 1661 section 4),
 * shared by LCP, IPCP and IPV6CP. The state transition table is written
 * out event by event, with the RFC's action names in the comments.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "log.h"
#include "loop.h"

static const char *const state_names[] = {
	"Initial", "Starting", "Closed", "Stopped", "Closing", "Stopping",
	"Req-Sent", "Ack-Rcvd", "Ack-Sent", "Opened",
};

const char *ppp_fsm_state_name(enum fsm_state s)
{
	return (unsigned int)s <= ST_OPENED ? state_names[s] : "?";
}

int ppp_opts_check(const uint8_t *opts, size_t len)
{
	size_t off = 0;

	while (off < len) {
		if (len - off < 2 || opts[off + 1] < 2 ||
		    opts[off + 1] > len - off)
			return -EBADMSG;
		off += opts[off + 1];
	}
	return 0;
}

static void timeout_cb(void *arg);

int ppp_fsm_init(struct ppp_fsm *f, struct ppp_link *l,
		 const struct ppp_fsm_proto *p)
{
	memset(f, 0, sizeof(*f));
	f->link = l;
	f->p = p;
	f->state = ST_INITIAL;
	ppp_random(&f->id, 1);
	f->timer = loop_timer_new(l->loop, timeout_cb, f);
	return f->timer ? 0 : -ENOMEM;
}

void ppp_fsm_fini(struct ppp_fsm *f)
{
	loop_timer_free(f->timer);
	f->timer = NULL;
}

void ppp_fsm_send(struct ppp_fsm *f, uint8_t code, uint8_t id,
		  const uint8_t *data, size_t len)
{
	uint8_t buf[1500];

	if (len > sizeof(buf) - 4)
		len = sizeof(buf) - 4;
	buf[0] = code;
	buf[1] = id;
	buf[2] = (uint8_t)((len + 4) >> 8);
	buf[3] = (uint8_t)(len + 4);
	if (len)
		memcpy(buf + 4, data, len);
	ppp_send(f->link, f->p->proto, buf, len + 4);
}

static void set_state(struct ppp_fsm *f, enum fsm_state s)
{
	if (f->state != s)
		log_msg(LOG_LVL_DEBUG, LOG_PPP, "%s: %s %s -> %s",
			f->link->ident, f->p->name,
			ppp_fsm_state_name(f->state), ppp_fsm_state_name(s));
	f->state = s;
}

static void irc_conf(struct ppp_fsm *f)
{
	f->restart = f->link->cfg.max_configure;
}

static void irc_term(struct ppp_fsm *f)
{
	f->restart = f->link->cfg.max_terminate;
}

/* scr: Send-Configure-Request (a fresh one, new identifier). */
static void scr(struct ppp_fsm *f)
{
	f->req_len = f->p->build_req(f, f->req, sizeof(f->req));
	f->reqid = f->id++;
	f->reqid_valid = true;
	ppp_fsm_send(f, CONFREQ, f->reqid, f->req, f->req_len);
	if (f->restart)
		f->restart--;
	loop_timer_arm(f->timer, f->link->cfg.restart_ms);
}

/* str: Send-Terminate-Request. */
static void str(struct ppp_fsm *f)
{
	ppp_fsm_send(f, TERMREQ, f->id++, NULL, 0);
	if (f->restart)
		f->restart--;
	loop_timer_arm(f->timer, f->link->cfg.restart_ms);
}

static void sta(struct ppp_fsm *f, uint8_t id)
{
	ppp_fsm_send(f, TERMACK, id, NULL, 0);
}

static void tlu(struct ppp_fsm *f)
{
	loop_timer_disarm(f->timer);
	f->opened_once = true;
	if (f->p->up)
		f->p->up(f);
}

static void tld(struct ppp_fsm *f)
{
	if (f->p->down)
		f->p->down(f);
}

static void tlf(struct ppp_fsm *f)
{
	loop_timer_disarm(f->timer);
	if (f->p->finished)
		f->p->finished(f);
}

void ppp_fsm_lower_up(struct ppp_fsm *f)
{
	switch (f->state) {
	case ST_INITIAL:
		set_state(f, ST_CLOSED);
		break;
	case ST_STARTING:
		irc_conf(f);
		set_state(f, ST_REQSENT);
		scr(f);
		break;
	default:
		break;
	}
}

void ppp_fsm_lower_down(struct ppp_fsm *f)
{
	loop_timer_disarm(f->timer);
	switch (f->state) {
	case ST_CLOSED:
	case ST_CLOSING:
		set_state(f, ST_INITIAL);
		break;
	case ST_STOPPED:
	case ST_STOPPING:
	case ST_REQSENT:
	case ST_ACKRCVD:
	case ST_ACKSENT:
		set_state(f, ST_STARTING);
		break;
	case ST_OPENED:
		set_state(f, ST_STARTING);
		tld(f);
		break;
	default:
		break;
	}
}

void ppp_fsm_open(struct ppp_fsm *f)
{
	switch (f->state) {
	case ST_INITIAL:
		set_state(f, ST_STARTING);
		break;
	case ST_CLOSED:
		irc_conf(f);
		set_state(f, ST_REQSENT);
		scr(f);
		break;
	case ST_CLOSING:
		set_state(f, ST_STOPPING);
		break;
	default:
		break;
	}
}

void ppp_fsm_close(struct ppp_fsm *f, const char *why)
{
	if (why && !f->fail[0])
		snprintf(f->fail, sizeof(f->fail), "%s", why);
	switch (f->state) {
	case ST_STARTING:
		set_state(f, ST_INITIAL);
		tlf(f);
		break;
	case ST_STOPPED:
		set_state(f, ST_CLOSED);
		break;
	case ST_STOPPING:
		set_state(f, ST_CLOSING);
		break;
	case ST_OPENED:
		set_state(f, ST_CLOSING);
		tld(f);
		irc_term(f);
		str(f);
		break;
	case ST_REQSENT:
	case ST_ACKRCVD:
	case ST_ACKSENT:
		set_state(f, ST_CLOSING);
		irc_term(f);
		str(f);
		break;
	default:
		break;
	}
}

static void timeout_cb(void *arg)
{
	struct ppp_fsm *f = arg;

	if (f->restart > 0) {		/* TO+ */
		switch (f->state) {
		case ST_CLOSING:
		case ST_STOPPING:
			str(f);
			break;
		case ST_REQSENT:
		case ST_ACKRCVD:
			set_state(f, ST_REQSENT);
			scr(f);
			break;
		case ST_ACKSENT:
			scr(f);
			break;
		default:
			break;
		}
		return;
	}
	switch (f->state) {		/* TO- */
	case ST_CLOSING:
		set_state(f, ST_CLOSED);
		tlf(f);
		break;
	case ST_STOPPING:
		set_state(f, ST_STOPPED);
		tlf(f);
		break;
	case ST_REQSENT:
	case ST_ACKRCVD:
	case ST_ACKSENT:
		if (!f->fail[0])
			snprintf(f->fail, sizeof(f->fail),
				 "%s: no agreement after %u Configure-Requests (state %s)",
				 f->p->name, f->link->cfg.max_configure,
				 ppp_fsm_state_name(f->state));
		set_state(f, ST_STOPPED);
		tlf(f);
		break;
	default:
		break;
	}
}

static void rcr(struct ppp_fsm *f, uint8_t id, const uint8_t *d, size_t len)
{
	uint8_t out[1500];
	size_t out_len = 0;
	int code;

	switch (f->state) {
	case ST_CLOSED:
		sta(f, id);
		return;
	case ST_CLOSING:
	case ST_STOPPING:
	case ST_INITIAL:
	case ST_STARTING:
		return;
	case ST_OPENED:
		tld(f);
		set_state(f, ST_REQSENT);
		scr(f);
		break;
	case ST_STOPPED:
		irc_conf(f);
		set_state(f, ST_REQSENT);
		scr(f);
		break;
	default:
		break;
	}
	if (len > 1400 || ppp_opts_check(d, len)) {
		f->link->stats.rx_malformed++;
		log_msg(LOG_LVL_DEBUG, LOG_PPP,
			"%s: %s Configure-Request with malformed options dropped",
			f->link->ident, f->p->name);
		return;
	}
	code = f->p->recv_req(f, d, len, out, &out_len,
			      f->naks < f->link->cfg.max_failure);
	if (code < 0) {
		f->link->stats.rx_malformed++;
		return;
	}
	if (f->state != ST_REQSENT && f->state != ST_ACKRCVD &&
	    f->state != ST_ACKSENT)
		return;	/* recv_req gave up on the link */
	ppp_fsm_send(f, (uint8_t)code, id, code == CONFACK ? d : out,
		     code == CONFACK ? len : out_len);
	if (code == CONFACK) {
		f->naks = 0;
		if (f->state == ST_ACKRCVD) {
			set_state(f, ST_OPENED);
			tlu(f);
		} else {
			set_state(f, ST_ACKSENT);
		}
	} else {
		if (code == CONFNAK)
			f->naks++;
		if (f->state == ST_ACKSENT)
			set_state(f, ST_REQSENT);
	}
}

static void rca(struct ppp_fsm *f, uint8_t id, const uint8_t *d, size_t len)
{
	if (!f->reqid_valid || id != f->reqid || len != f->req_len ||
	    (len && memcmp(d, f->req, len))) {
		f->link->stats.rx_discarded++;
		log_msg(LOG_LVL_DEBUG, LOG_PPP,
			"%s: %s Configure-Ack (id %u) does not match our request; discarded",
			f->link->ident, f->p->name, id);
		return;
	}
	f->reqid_valid = false;
	switch (f->state) {
	case ST_CLOSED:
	case ST_STOPPED:
		sta(f, id);
		break;
	case ST_REQSENT:
		irc_conf(f);
		set_state(f, ST_ACKRCVD);
		break;
	case ST_ACKRCVD:
		set_state(f, ST_REQSENT);
		scr(f);
		break;
	case ST_ACKSENT:
		irc_conf(f);
		set_state(f, ST_OPENED);
		tlu(f);
		break;
	case ST_OPENED:
		tld(f);
		set_state(f, ST_REQSENT);
		scr(f);
		break;
	default:
		break;
	}
}

static void rcn(struct ppp_fsm *f, uint8_t code, uint8_t id,
		const uint8_t *d, size_t len)
{
	if (!f->reqid_valid || id != f->reqid) {
		f->link->stats.rx_discarded++;
		return;
	}
	if (len > 1400 || ppp_opts_check(d, len)) {
		f->link->stats.rx_malformed++;
		return;
	}
	switch (f->state) {
	case ST_CLOSED:
	case ST_STOPPED:
		sta(f, id);
		return;
	case ST_REQSENT:
	case ST_ACKSENT:
		irc_conf(f);
		break;
	case ST_ACKRCVD:
		set_state(f, ST_REQSENT);
		break;
	case ST_OPENED:
		tld(f);
		set_state(f, ST_REQSENT);
		break;
	default:
		return;
	}
	f->reqid_valid = false;
	if (f->p->recv_nak(f, d, len, code == CONFREJ)) {
		f->link->stats.rx_malformed++;
		return;
	}
	if (f->state != ST_REQSENT && f->state != ST_ACKSENT)
		return;	/* recv_nak gave up */
	scr(f);
}

static void rtr(struct ppp_fsm *f, uint8_t id)
{
	switch (f->state) {
	case ST_REQSENT:
	case ST_ACKRCVD:
	case ST_ACKSENT:
		sta(f, id);
		set_state(f, ST_REQSENT);
		break;
	case ST_OPENED:
		if (!f->fail[0])
			snprintf(f->fail, sizeof(f->fail),
				 "peer sent %s Terminate-Request", f->p->name);
		set_state(f, ST_STOPPING);
		tld(f);
		f->restart = 0;
		sta(f, id);
		loop_timer_arm(f->timer, f->link->cfg.restart_ms);
		break;
	default:
		sta(f, id);
		break;
	}
}

static void rta(struct ppp_fsm *f)
{
	switch (f->state) {
	case ST_CLOSING:
		set_state(f, ST_CLOSED);
		tlf(f);
		break;
	case ST_STOPPING:
		set_state(f, ST_STOPPED);
		tlf(f);
		break;
	case ST_ACKRCVD:
		set_state(f, ST_REQSENT);
		break;
	case ST_OPENED:
		tld(f);
		set_state(f, ST_REQSENT);
		scr(f);
		break;
	default:
		break;
	}
}

/* RXJ-: the peer cannot do something we need. */
static void rxj_minus(struct ppp_fsm *f)
{
	switch (f->state) {
	case ST_CLOSED:
	case ST_STOPPED:
		tlf(f);
		break;
	case ST_CLOSING:
		set_state(f, ST_CLOSED);
		tlf(f);
		break;
	case ST_STOPPING:
	case ST_REQSENT:
	case ST_ACKRCVD:
	case ST_ACKSENT:
		set_state(f, ST_STOPPED);
		tlf(f);
		break;
	case ST_OPENED:
		tld(f);
		irc_term(f);
		set_state(f, ST_STOPPING);
		str(f);
		break;
	default:
		break;
	}
}

void ppp_fsm_rejected(struct ppp_fsm *f)
{
	if (!f->fail[0])
		snprintf(f->fail, sizeof(f->fail), "peer rejected %s",
			 f->p->name);
	rxj_minus(f);
}

void ppp_fsm_input(struct ppp_fsm *f, const uint8_t *pkt, size_t len)
{
	uint8_t code, id;
	size_t plen;

	if (len < 4) {
		f->link->stats.rx_malformed++;
		return;
	}
	code = pkt[0];
	id = pkt[1];
	plen = (size_t)pkt[2] << 8 | pkt[3];
	if (plen < 4 || plen > len) {
		f->link->stats.rx_malformed++;
		log_msg(LOG_LVL_DEBUG, LOG_PPP,
			"%s: %s packet with bad length %zu (have %zu) dropped",
			f->link->ident, f->p->name, plen, len);
		return;
	}
	if (f->state == ST_INITIAL || f->state == ST_STARTING) {
		f->link->stats.rx_discarded++;
		return;
	}
	pkt += 4;
	plen -= 4;
	switch (code) {
	case CONFREQ:
		rcr(f, id, pkt, plen);
		break;
	case CONFACK:
		rca(f, id, pkt, plen);
		break;
	case CONFNAK:
	case CONFREJ:
		rcn(f, code, id, pkt, plen);
		break;
	case TERMREQ:
		rtr(f, id);
		break;
	case TERMACK:
		rta(f);
		break;
	case CODEREJ:
		if (plen >= 1 && pkt[0] >= CONFREQ && pkt[0] <= TERMACK) {
			if (!f->fail[0])
				snprintf(f->fail, sizeof(f->fail),
					 "peer rejected %s code %u", f->p->name,
					 pkt[0]);
			rxj_minus(f);
		} else if (f->state == ST_ACKRCVD) {
			set_state(f, ST_REQSENT);
		}
		break;
	default:
		if (f->p->extcode && f->p->extcode(f, code, id, pkt, plen))
			break;
		/* scj: Send-Code-Reject with the whole packet */
		ppp_fsm_send(f, CODEREJ, f->id++, pkt - 4,
			     plen + 4 > 1400 ? 1400 : plen + 4);
		break;
	}
}
