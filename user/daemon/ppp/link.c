// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: one PPP link: phases (RFC 1661 3.2), protocol dispatch,
 * Protocol-Reject of what we do not speak (CCP, so MPPE is refused
 * cleanly), and the single end report.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <openssl/crypto.h>

#include "escape.h"
#include "internal.h"
#include "log.h"
#include "loop.h"

static const char *const phase_names[] = {
	"dead", "establish", "authenticate", "network", "terminate",
};

const char *ppp_auth_name(enum ppp_auth a)
{
	switch (a) {
	case PPP_AUTH_PAP:
		return "PAP";
	case PPP_AUTH_CHAP_MD5:
		return "CHAP-MD5";
	case PPP_AUTH_MSCHAPV2:
		return "MS-CHAPv2";
	default:
		return "none";
	}
}

void ppp_cfg_defaults(struct ppp_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->server = true;
	cfg->mru = 1400;
	cfg->auth[0] = PPP_AUTH_MSCHAPV2;
	cfg->auth[1] = PPP_AUTH_CHAP_MD5;
	cfg->acfc = true;
	cfg->pfc = true;
	cfg->echo_interval_s = 30;
	cfg->echo_failures = 4;
	cfg->restart_ms = 3000;
	cfg->max_configure = 10;
	cfg->max_terminate = 2;
	cfg->max_failure = 5;
	cfg->auth_timeout_s = 30;
	cfg->ipv6 = true;
	snprintf(cfg->name, sizeof(cfg->name), "l2tpsec");
	cfg->want_dns = true;
}

void ppp_random(void *buf, size_t len)
{
	unsigned int intr = 0;
	uint8_t *p = buf;

	while (len) {
		ssize_t n = getrandom(p, len, 0);

		if (n < 0 && errno == EINTR && ++intr < 1000)
			continue;
		if (n <= 0) {
			/* challenges and magic numbers would be guessable */
			log_msg(LOG_LVL_ERR, LOG_CORE,
				"getrandom: %s: no random bytes from the kernel for PPP; l2tpsecd stops",
				n < 0 ? strerror(errno) : "no bytes");
			exit(1);
		}
		p += n;
		len -= (size_t)n;
	}
}

struct ppp_link *ppp_link_new(struct loop *loop, const struct ppp_cfg *cfg,
			      const struct ppp_ops *ops, void *arg,
			      const char *ident)
{
	struct ppp_link *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->loop = loop;
	l->cfg = *cfg;
	if (!l->cfg.max_configure)
		l->cfg.max_configure = 10;
	if (!l->cfg.restart_ms)
		l->cfg.restart_ms = 3000;
	l->ops = ops;
	l->arg = arg;
	snprintf(l->ident, sizeof(l->ident), "%s", ident ? ident : "");
	if (!l->cfg.server)
		snprintf(l->user, sizeof(l->user), "%s", cfg->user);
	if (ppp_fsm_init(&l->lcp_fsm, l, &ppp_lcp_proto) ||
	    ppp_fsm_init(&l->ipcp_fsm, l, &ppp_ipcp_proto) ||
	    ppp_fsm_init(&l->ipv6cp_fsm, l, &ppp_ipv6cp_proto)) {
		ppp_link_free(l);
		return NULL;
	}
	ppp_lcp_init(l);
	ppp_ipcp_init(l);
	ppp_ipv6cp_init(l);
	return l;
}

void ppp_link_free(struct ppp_link *l)
{
	if (!l)
		return;
	l->down_called = true;
	ppp_auth_stop(l);
	loop_timer_free(l->auth.timer);
	loop_timer_free(l->auth.deadline);
	loop_timer_free(l->lcp.echo_timer);
	ppp_fsm_fini(&l->lcp_fsm);
	ppp_fsm_fini(&l->ipcp_fsm);
	ppp_fsm_fini(&l->ipv6cp_fsm);
	OPENSSL_cleanse(l->cfg.password, sizeof(l->cfg.password));
	free(l);
}

void ppp_send(struct ppp_link *l, uint16_t proto, const uint8_t *data,
	      size_t len)
{
	uint8_t buf[1502];

	if (l->down_called && l->phase == PH_DEAD)
		return;
	if (len > sizeof(buf) - 2)
		len = sizeof(buf) - 2;
	buf[0] = proto >> 8;
	buf[1] = proto & 0xff;
	memcpy(buf + 2, data, len);
	l->stats.tx++;
	l->ops->send(l->arg, buf, len + 2);
	/* a PAP request holds our password */
	if (proto == PPP_PAP)
		OPENSSL_cleanse(buf, len + 2);
}

static void report_down(struct ppp_link *l)
{
	enum end_reason r = l->reason;
	const char *d = l->detail;

	if (l->down_called)
		return;
	l->down_called = true;
	l->phase = PH_DEAD;
	if (r == END_NONE) {
		if (l->lcp_fsm.fail[0] && strstr(l->lcp_fsm.fail, "Terminate-Request"))
			r = END_LOGOUT;
		else
			r = END_NEGOTIATION_FAILED;
		d = l->lcp_fsm.fail;
	}
	l->ops->down(l->arg, r, d);
}

void ppp_fail(struct ppp_link *l, enum end_reason r, const char *fmt, ...)
{
	va_list ap;

	if (l->reason == END_NONE) {
		l->reason = r;
		va_start(ap, fmt);
		vsnprintf(l->detail, sizeof(l->detail), fmt, ap);
		va_end(ap);
		plog(l, r == END_LOGOUT || r == END_LOCAL_CLOSE ||
		     r == END_SHUTDOWN || r == END_ADMIN_KICK ?
		     LOG_LVL_INFO : LOG_LVL_WARN, "%s: %s",
		     end_reason_str(r), l->detail);
	}
	if (l->phase != PH_DEAD)
		l->phase = PH_TERMINATE;
	ppp_fsm_close(&l->lcp_fsm, NULL);
	/* Close only reports from states that sent a Terminate-Request. */
	if (l->lcp_fsm.state == ST_CLOSED || l->lcp_fsm.state == ST_INITIAL)
		report_down(l);
}

void ppp_link_close(struct ppp_link *l, enum end_reason r, const char *detail)
{
	ppp_fail(l, r, "%s", detail ? detail : end_reason_str(r));
}

void ppp_link_start(struct ppp_link *l)
{
	l->phase = PH_ESTABLISH;
	ppp_fsm_open(&l->lcp_fsm);
	ppp_fsm_lower_up(&l->lcp_fsm);
}

void ppp_lcp_opened(struct ppp_link *l)
{
	struct ppp_lcp_info info = {
		.peer_mru = l->lcp.peer_mru,
		.peer_acfc = l->lcp.peer_acfc,
		.peer_pfc = l->lcp.peer_pfc,
		.auth = l->cfg.server ? l->lcp.want_auth : l->lcp.peer_auth,
	};

	plog(l, LOG_LVL_DEBUG, "LCP opened: peer MRU %u, ACFC %s, PFC %s, authentication %s",
	     info.peer_mru, info.peer_acfc ? "on" : "off",
	     info.peer_pfc ? "on" : "off", ppp_auth_name(info.auth));
	if (l->ops->lcp_up)
		l->ops->lcp_up(l->arg, &info);
	ppp_echo_start(l);
	l->phase = PH_AUTHENTICATE;
	ppp_auth_start(l);
}

void ppp_lcp_down(struct ppp_link *l)
{
	ppp_echo_stop(l);
	ppp_auth_stop(l);
	ppp_fsm_lower_down(&l->ipcp_fsm);
	ppp_fsm_lower_down(&l->ipv6cp_fsm);
	l->ipcp_up = l->ipv6cp_up = false;
	if (l->phase != PH_DEAD)
		l->phase = l->reason ? PH_TERMINATE : PH_ESTABLISH;
}

void ppp_lcp_finished(struct ppp_link *l)
{
	report_down(l);
}

void ppp_auth_success(struct ppp_link *l)
{
	if (l->phase != PH_AUTHENTICATE)
		return;
	l->auth.done = true;
	l->phase = PH_NETWORK;
	ppp_fsm_open(&l->ipcp_fsm);
	ppp_fsm_lower_up(&l->ipcp_fsm);
	if (l->cfg.ipv6) {
		ppp_fsm_open(&l->ipv6cp_fsm);
		ppp_fsm_lower_up(&l->ipv6cp_fsm);
	}
}

void ppp_ncp_finished(struct ppp_link *l, struct ppp_fsm *f)
{
	if (l->phase != PH_NETWORK)
		return;
	if (f == &l->ipcp_fsm) {
		ppp_fail(l, END_NEGOTIATION_FAILED, "IPCP: %s",
			 f->fail[0] ? f->fail : "closed");
		return;
	}
	plog(l, LOG_LVL_INFO, "IPv6 not available on this link: %s",
	     f->fail[0] ? f->fail : "IPV6CP closed");
}

void ppp_protocol_reject(struct ppp_link *l, const uint8_t *pkt, size_t len)
{
	size_t max = l->lcp.peer_mru > 8 ? l->lcp.peer_mru - 8u : 64;

	if (len > max)
		len = max;
	ppp_fsm_send(&l->lcp_fsm, PROTREJ, l->lcp_fsm.id++, pkt, len);
}

void ppp_link_input(struct ppp_link *l, const uint8_t *pkt, size_t len)
{
	uint16_t proto;

	if (l->phase == PH_DEAD)
		return;
	if (len < 2) {
		l->stats.rx_malformed++;
		return;
	}
	l->stats.rx++;
	proto = (uint16_t)(pkt[0] << 8 | pkt[1]);
	switch (proto) {
	case PPP_LCP:
		ppp_fsm_input(&l->lcp_fsm, pkt + 2, len - 2);
		return;
	case PPP_PAP:
		ppp_pap_input(l, pkt + 2, len - 2);
		return;
	case PPP_CHAP:
		ppp_chap_input(l, pkt + 2, len - 2);
		return;
	case PPP_IPCP:
		if (l->phase == PH_NETWORK)
			ppp_fsm_input(&l->ipcp_fsm, pkt + 2, len - 2);
		else
			l->stats.rx_discarded++;
		return;
	case PPP_IPV6CP:
		if (!l->cfg.ipv6)
			break;
		if (l->phase == PH_NETWORK)
			ppp_fsm_input(&l->ipv6cp_fsm, pkt + 2, len - 2);
		else
			l->stats.rx_discarded++;
		return;
	default:
		break;
	}
	l->stats.rx_unknown_proto++;
	if (l->lcp_fsm.state == ST_OPENED) {
		plog(l, LOG_LVL_DEBUG, "Protocol-Reject for protocol %#06x%s",
		     proto, proto == PPP_CCP ? " (CCP: no compression or MPPE here)" : "");
		ppp_protocol_reject(l, pkt, len);
	} else {
		l->stats.rx_discarded++;
	}
}

const char *ppp_link_user(const struct ppp_link *l)
{
	return l->user;
}

void ppp_link_set_canonical(struct ppp_link *l, const char *canonical)
{
	snprintf(l->canonical, sizeof(l->canonical), "%s",
		 canonical ? canonical : "");
}

const char *ppp_link_label(struct ppp_link *l)
{
	char ce[L2_ESC_SIZE(PPP_MAX_NAME)], se[L2_ESC_SIZE(PPP_MAX_NAME)];

	l2_escape_str(se, sizeof(se), l->user);
	if (l->canonical[0] && strcmp(l->canonical, l->user))
		snprintf(l->label, sizeof(l->label), "%s (sent %s)",
			 l2_escape_str(ce, sizeof(ce), l->canonical), se);
	else
		snprintf(l->label, sizeof(l->label), "%s", se);
	return l->label;
}

bool ppp_link_is_up(const struct ppp_link *l)
{
	return l->ipcp_up;
}

const struct ppp_stats *ppp_link_stats(const struct ppp_link *l)
{
	return &l->stats;
}

const struct ppp_ipcp_info *ppp_link_ipcp(const struct ppp_link *l)
{
	return &l->ipcp.info;
}

int ppp_auth_assign(struct ppp_link *l)
{
	const char *why = NULL;
	int err;

	if (!l->cfg.server || !l->ops->authenticated)
		return 0;
	err = l->ops->authenticated(l->arg, l->user, &l->ipcp.info.peer, &why);
	if (err) {
		ppp_fail(l, err == -EDQUOT ? END_LIMIT : END_NO_ADDRESS, "%s",
			 why ? why : "no IPv4 address for this user");
		return err;
	}
	return 0;
}

enum end_reason ppp_link_ending(const struct ppp_link *l,
				const char **detail)
{
	if (detail)
		*detail = l->reason != END_NONE ? l->detail : NULL;
	return l->reason;
}

const char *ppp_link_phase(const struct ppp_link *l)
{
	return phase_names[l->phase];
}
