// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: the authentication phase: its start and timers, and PAP
 * (RFC 1334) as server and client.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "escape.h"
#include "internal.h"
#include "log.h"
#include "loop.h"

enum { PAP_REQ = 1, PAP_ACK = 2, PAP_NAK = 3 };

#define AUTH_RETRY_MS	3000
#define AUTH_RETRIES	10

static void deadline_cb(void *arg)
{
	struct ppp_link *l = arg;

	if (l->phase != PH_AUTHENTICATE)
		return;
	ppp_fail(l, END_AUTH_TIMEOUT,
		 "no %s authentication from the peer within %u s",
		 ppp_auth_name(l->auth.proto), l->cfg.auth_timeout_s);
}

static void retry_cb(void *arg)
{
	struct ppp_link *l = arg;

	if (l->phase != PH_AUTHENTICATE)
		return;
	if (++l->auth.tries > AUTH_RETRIES) {
		ppp_fail(l, END_AUTH_TIMEOUT, "%s: no answer after %u tries",
			 ppp_auth_name(l->auth.proto), AUTH_RETRIES);
		return;
	}
	if (l->cfg.server)
		ppp_chap_server_challenge(l);
	else
		ppp_pap_client_send(l);
}

void ppp_auth_start(struct ppp_link *l)
{
	struct ppp_auth_state *a = &l->auth;

	a->proto = l->cfg.server ? l->lcp.want_auth : l->lcp.peer_auth;
	a->done = false;
	a->tries = 0;
	a->success_sent = false;
	a->pending = false;
	if (!a->timer)
		a->timer = loop_timer_new(l->loop, retry_cb, l);
	if (!a->deadline)
		a->deadline = loop_timer_new(l->loop, deadline_cb, l);
	if (a->proto == PPP_AUTH_NONE) {
		if (l->cfg.server) {
			/* An empty 'auth' list: no login. */
			if (ppp_auth_assign(l))
				return;
		} else if (!l->cfg.auth_none) {
			/* with a group PSK, anyone holding it could be "the server" */
			ppp_fail(l, END_AUTH_FAILED,
				 "the server asks for no authentication, so it proves nothing about itself: refused; to accept such a server add none to auth in [lac] (auth = mschapv2 none)");
			return;
		}
		ppp_auth_success(l);
		return;
	}
	if (a->deadline && l->cfg.auth_timeout_s)
		loop_timer_arm(a->deadline, (uint64_t)l->cfg.auth_timeout_s * 1000);
	if (l->cfg.server) {
		if (a->proto != PPP_AUTH_PAP) {
			ppp_random(&a->id, 1);
			ppp_chap_server_challenge(l);
		}
	} else if (a->proto == PPP_AUTH_PAP) {
		ppp_random(&a->id, 1);
		ppp_pap_client_send(l);
	}
}

void ppp_auth_stop(struct ppp_link *l)
{
	l->auth.pending = false;
	loop_timer_disarm(l->auth.timer);
	loop_timer_disarm(l->auth.deadline);
}

/* Called by PAP and CHAP after a verified login (server). */
static void server_accepts(struct ppp_link *l)
{
	ppp_auth_stop(l);
	plog(l, LOG_LVL_INFO, "authenticated with %s",
	     ppp_auth_name(l->auth.proto));
}

void ppp_auth_retry_arm(struct ppp_link *l)
{
	loop_timer_arm(l->auth.timer, AUTH_RETRY_MS);
}

void ppp_auth_server_accepts(struct ppp_link *l)
{
	server_accepts(l);
}

bool ppp_auth_verify(struct ppp_link *l, const struct ppp_verify_req *q)
{
	char why[512];
	int v;

	if (!l->ops->verify)
		return false;
	why[0] = '\0';
	v = l->ops->verify(l->arg, q, why, sizeof(why));
	if (v > 0) {
		l->auth.pending = true;
		l->auth.pending_id = q->id;
		return true;
	}
	if (v == 0)
		return false;
	{
		struct ppp_verify_result r = {
			.detail = why[0] ? why : "the authentication service could not take the request",
		};

		l->auth.pending = true;
		l->auth.pending_id = q->id;
		ppp_link_verified(l, &r);
	}
	return true;
}

void ppp_link_verified(struct ppp_link *l, const struct ppp_verify_result *r)
{
	if (!l->auth.pending || l->phase != PH_AUTHENTICATE || l->auth.done)
		return;
	l->auth.pending = false;
	if (!r->accepted && l->ops->auth_failed)
		l->ops->auth_failed(l->arg, l->user);
	if (l->auth.proto == PPP_AUTH_PAP)
		ppp_pap_verified(l, r);
	else
		ppp_chap_verified(l, r);
}

/* ---- PAP --------------------------------------------------------------- */

static void pap_send(struct ppp_link *l, uint8_t code, uint8_t id,
		     const char *msg)
{
	uint8_t b[4 + 1 + 255];
	size_t n = strlen(msg);

	if (n > 255)
		n = 255;
	b[0] = code;
	b[1] = id;
	b[2] = (uint8_t)((5 + n) >> 8);
	b[3] = (uint8_t)(5 + n);
	b[4] = (uint8_t)n;
	memcpy(b + 5, msg, n);
	ppp_send(l, PPP_PAP, b, 5 + n);
}

void ppp_pap_client_send(struct ppp_link *l)
{
	uint8_t b[4 + 2 + 255 + 255];
	size_t ul = strlen(l->cfg.user), pl = strlen(l->cfg.password), n;

	if (ul > 255)
		ul = 255;
	if (pl > 255)
		pl = 255;
	n = 4 + 1 + ul + 1 + pl;
	b[0] = PAP_REQ;
	b[1] = l->auth.id;
	b[2] = (uint8_t)(n >> 8);
	b[3] = (uint8_t)n;
	b[4] = (uint8_t)ul;
	memcpy(b + 5, l->cfg.user, ul);
	b[5 + ul] = (uint8_t)pl;
	memcpy(b + 6 + ul, l->cfg.password, pl);
	ppp_send(l, PPP_PAP, b, n);
	OPENSSL_cleanse(b, sizeof(b));
	loop_timer_arm(l->auth.timer, AUTH_RETRY_MS);
}

static void get_name(char *dst, size_t size, const uint8_t *p, size_t len)
{
	size_t i;

	if (len > size - 1)
		len = size - 1;
	for (i = 0; i < len; i++)
		dst[i] = (p[i] >= 0x20 && p[i] != 0x7f) ? (char)p[i] : '?';
	dst[len] = '\0';
}

static void pap_accept(struct ppp_link *l, uint8_t id)
{
	server_accepts(l);
	if (ppp_auth_assign(l)) {
		pap_send(l, PAP_NAK, id, "No address available");
		return;
	}
	pap_send(l, PAP_ACK, id, "Login ok");
	l->auth.success_sent = true;
	l->auth.success_id = id;
	ppp_auth_success(l);
}

static void pap_server(struct ppp_link *l, uint8_t id, const uint8_t *d,
		       size_t len)
{
	char user[PPP_MAX_NAME + 1], secret[PPP_MAX_SECRET + 1];
	char why[320];
	uint8_t ul, pl;
	const uint8_t *pw;
	bool ok;

	if (l->auth.done) {
		/* Our Ack was lost: the same answer again. */
		if (l->auth.success_sent && id == l->auth.success_id)
			pap_send(l, PAP_ACK, id, "Login ok");
		return;
	}
	if (l->phase != PH_AUTHENTICATE || l->auth.proto != PPP_AUTH_PAP) {
		l->stats.rx_discarded++;
		return;
	}
	if (len < 1 || (ul = d[0]) + 2u > len || (pl = d[1 + ul]) + 2u + ul > len) {
		l->stats.rx_malformed++;
		plog(l, LOG_LVL_DEBUG, "malformed PAP Authenticate-Request dropped");
		return;
	}
	if (l->auth.pending) {
		/* a retransmission while the verdict is on its way */
		l->stats.rx_discarded++;
		return;
	}
	get_name(user, sizeof(user), d + 1, ul);
	pw = d + 2 + ul;
	snprintf(l->user, sizeof(l->user), "%s", user);
	if (l->ops->refuse && l->ops->refuse(l->arg, user, why, sizeof(why))) {
		pap_send(l, PAP_NAK, id, "Authentication failed");
		ppp_fail(l, END_AUTH_FAILED, "PAP: %s", why);
		return;
	}
	{
		struct ppp_verify_req q = {
			.proto = PPP_AUTH_PAP, .user = user, .id = id,
			.password = pw, .password_len = pl,
		};

		if (ppp_auth_verify(l, &q))
			return;
	}
	if (l->ops->get_secret(l->arg, user, secret, sizeof(secret))) {
		char ue[L2_ESC_SIZE(PPP_MAX_NAME)];

		if (l->ops->auth_failed)
			l->ops->auth_failed(l->arg, user);
		pap_send(l, PAP_NAK, id, "Authentication failed");
		ppp_fail(l, END_AUTH_FAILED,
			 "PAP: unknown user '%s'; add it to the chap-secrets file",
			 l2_escape_str(ue, sizeof(ue), user));
		return;
	}
	ok = strlen(secret) == pl && !CRYPTO_memcmp(secret, pw, pl);
	OPENSSL_cleanse(secret, sizeof(secret));
	if (!ok) {
		if (l->ops->auth_failed)
			l->ops->auth_failed(l->arg, user);
		pap_send(l, PAP_NAK, id, "Authentication failed");
		ppp_fail(l, END_AUTH_FAILED,
			 "PAP password does not match; check the password in the chap-secrets file");
		return;
	}
	pap_accept(l, id);
}

void ppp_pap_verified(struct ppp_link *l, const struct ppp_verify_result *r)
{
	uint8_t id = l->auth.pending_id;

	if (!r->accepted) {
		pap_send(l, PAP_NAK, id, "Authentication failed");
		ppp_fail(l, END_AUTH_FAILED, "PAP: %s", r->detail);
		return;
	}
	pap_accept(l, id);
}

void ppp_pap_input(struct ppp_link *l, const uint8_t *p, size_t len)
{
	size_t plen;
	char msg[256];

	if (len < 4 || (plen = (size_t)p[2] << 8 | p[3]) < 4 || plen > len) {
		l->stats.rx_malformed++;
		return;
	}
	if (l->lcp_fsm.state != ST_OPENED) {
		l->stats.rx_discarded++;
		return;
	}
	if (l->cfg.server) {
		if (p[0] == PAP_REQ)
			pap_server(l, p[1], p + 4, plen - 4);
		else
			l->stats.rx_discarded++;
		return;
	}
	if (l->phase != PH_AUTHENTICATE || l->auth.proto != PPP_AUTH_PAP ||
	    p[1] != l->auth.id) {
		l->stats.rx_discarded++;
		return;
	}
	msg[0] = '\0';
	if (plen > 4 && p[4] + 5u <= plen) {
		char raw[sizeof(msg) / 4];

		get_name(raw, sizeof(raw), p + 5, p[4]);
		l2_escape_str(msg, sizeof(msg), raw);
	}
	switch (p[0]) {
	case PAP_ACK:
		ppp_auth_stop(l);
		plog(l, LOG_LVL_INFO, "PAP login accepted%s%s",
		     msg[0] ? ": " : "", msg);
		ppp_auth_success(l);
		break;
	case PAP_NAK:
		ppp_fail(l, END_AUTH_FAILED,
			 "the server rejected our PAP login%s%s; check user and password",
			 msg[0] ? ": " : "", msg);
		break;
	default:
		l->stats.rx_discarded++;
		break;
	}
}
