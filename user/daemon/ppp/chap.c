// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: CHAP (RFC 1994) with MD5 and with MS-CHAPv2 (RFC 2759), as
 * authenticator (server) and as peer (client).
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "escape.h"
#include "internal.h"
#include "log.h"
#include "loop.h"
#include "mschapv2.h"

enum { CHAP_CHALLENGE = 1, CHAP_RESPONSE, CHAP_SUCCESS, CHAP_FAILURE };

#define MSV2_RESP_LEN	49

static void chap_send(struct ppp_link *l, uint8_t code, uint8_t id,
		      const uint8_t *d, size_t len)
{
	uint8_t b[1500];

	if (len > sizeof(b) - 4)
		len = sizeof(b) - 4;
	b[0] = code;
	b[1] = id;
	b[2] = (uint8_t)((len + 4) >> 8);
	b[3] = (uint8_t)(len + 4);
	memcpy(b + 4, d, len);
	ppp_send(l, PPP_CHAP, b, len + 4);
}

static void chap_send_msg(struct ppp_link *l, uint8_t code, uint8_t id,
			  const char *msg)
{
	chap_send(l, code, id, (const uint8_t *)msg, strlen(msg));
}

void ppp_chap_server_challenge(struct ppp_link *l)
{
	struct ppp_auth_state *a = &l->auth;
	uint8_t b[1 + 16 + PPP_MAX_NAME];
	size_t nl = strlen(l->cfg.name);

	if (a->tries == 0 || !a->chal_len) {
		a->chal_len = 16;
		ppp_random(a->challenge, a->chal_len);
	}
	b[0] = a->chal_len;
	memcpy(b + 1, a->challenge, a->chal_len);
	memcpy(b + 1 + a->chal_len, l->cfg.name, nl);
	chap_send(l, CHAP_CHALLENGE, a->id, b, 1 + a->chal_len + nl);
	ppp_auth_retry_arm(l);
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

static void hex(char *out, const uint8_t *d, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		snprintf(out + 2 * i, 3, "%02X", d[i]);
}

static void chap_fail(struct ppp_link *l, uint8_t id, const char *why)
{
	if (l->auth.proto == PPP_AUTH_MSCHAPV2) {
		char m[128], h[33];

		hex(h, l->auth.challenge, 16);
		snprintf(m, sizeof(m), "E=691 R=0 C=%s V=3 M=Authentication failure", h);
		chap_send_msg(l, CHAP_FAILURE, id, m);
	} else {
		chap_send_msg(l, CHAP_FAILURE, id, "Authentication failed");
	}
	ppp_fail(l, END_AUTH_FAILED, "%s", why);
}

static void chap_accept(struct ppp_link *l, uint8_t id);

static void chap_server_response(struct ppp_link *l, uint8_t id,
				 const uint8_t *d, size_t len)
{
	struct ppp_auth_state *a = &l->auth;
	char user[PPP_MAX_NAME + 1], secret[PPP_MAX_SECRET + 1];
	const char *pname = ppp_auth_name(a->proto);
	uint8_t vs;
	bool ok = false;

	if (a->done) {
		if (a->success_sent && id == a->success_id)
			chap_send_msg(l, CHAP_SUCCESS, id, a->success_msg);
		return;
	}
	if (l->phase != PH_AUTHENTICATE || id != a->id || a->pending) {
		l->stats.rx_discarded++;
		return;
	}
	if (len < 1 || (vs = d[0]) + 1u > len ||
	    (a->proto == PPP_AUTH_CHAP_MD5 && vs != 16) ||
	    (a->proto == PPP_AUTH_MSCHAPV2 && vs != MSV2_RESP_LEN)) {
		l->stats.rx_malformed++;
		plog(l, LOG_LVL_DEBUG, "malformed %s Response dropped", pname);
		return;
	}
	get_name(user, sizeof(user), d + 1 + vs, len - 1 - vs);
	snprintf(l->user, sizeof(l->user), "%s", user);
	loop_timer_disarm(a->timer);
	if (l->ops->refuse) {
		char why[320], msg[sizeof(l->detail)];

		if (l->ops->refuse(l->arg, user, why, sizeof(why))) {
			snprintf(msg, sizeof(msg), "%s: %s", pname, why);
			chap_fail(l, id, msg);
			return;
		}
	}
	{
		struct ppp_verify_req q = {
			.proto = a->proto, .user = user, .id = id,
			.challenge = a->challenge, .challenge_len = a->chal_len,
			.response = d + 1, .response_len = vs,
		};

		if (ppp_auth_verify(l, &q))
			return;
	}
	if (l->ops->get_secret(l->arg, user, secret, sizeof(secret))) {
		char why[160], ue[L2_ESC_SIZE(PPP_MAX_NAME)];

		if (l->ops->auth_failed)
			l->ops->auth_failed(l->arg, user);

		snprintf(why, sizeof(why),
			 "%s: unknown user '%s'; add it to the chap-secrets file",
			 pname, l2_escape_str(ue, sizeof(ue), user));
		chap_fail(l, id, why);
		return;
	}
	if (a->proto == PPP_AUTH_CHAP_MD5) {
		uint8_t want[16];

		ok = !chap_md5_response(id, secret, a->challenge, a->chal_len,
					want) &&
		     !CRYPTO_memcmp(want, d + 1, 16);
	} else {
		const uint8_t *peer_chal = d + 1, *nt = d + 1 + 24;
		uint8_t want[24];

		ok = !mschapv2_nt_response(a->challenge, peer_chal, user,
					   secret, want) &&
		     !CRYPTO_memcmp(want, nt, 24);
		if (ok && mschapv2_authenticator_response(secret, nt, peer_chal,
							  a->challenge, user,
							  a->success_msg))
			ok = false;
	}
	OPENSSL_cleanse(secret, sizeof(secret));
	if (!ok) {
		char why[160];

		if (l->ops->auth_failed)
			l->ops->auth_failed(l->arg, user);

		snprintf(why, sizeof(why),
			 "%s response does not match; check the password in the chap-secrets file",
			 pname);
		chap_fail(l, id, why);
		return;
	}
	chap_accept(l, id);
}

void ppp_chap_verified(struct ppp_link *l, const struct ppp_verify_result *r)
{
	struct ppp_auth_state *a = &l->auth;
	uint8_t id = a->pending_id;

	if (r->accepted && a->proto == PPP_AUTH_MSCHAPV2 &&
	    (!r->mschap2_success || strlen(r->mschap2_success) != 42)) {
		chap_fail(l, id,
			  "MS-CHAPv2: accepted without an authenticator response for the client; refused");
		return;
	}
	if (!r->accepted) {
		char why[sizeof(l->detail)];

		snprintf(why, sizeof(why), "%s: %s", ppp_auth_name(a->proto),
			 r->detail);
		chap_fail(l, id, why);
		return;
	}
	if (a->proto == PPP_AUTH_MSCHAPV2)
		snprintf(a->success_msg, sizeof(a->success_msg), "%s",
			 r->mschap2_success);
	chap_accept(l, id);
}

static void chap_accept(struct ppp_link *l, uint8_t id)
{
	struct ppp_auth_state *a = &l->auth;

	ppp_auth_server_accepts(l);
	if (ppp_auth_assign(l)) {
		chap_fail(l, id, l->detail);
		return;
	}
	if (a->proto == PPP_AUTH_MSCHAPV2) {
		size_t n = strlen(a->success_msg);

		snprintf(a->success_msg + n, sizeof(a->success_msg) - n,
			 " M=Access granted");
	} else {
		snprintf(a->success_msg, sizeof(a->success_msg), "Access granted");
	}
	chap_send_msg(l, CHAP_SUCCESS, id, a->success_msg);
	a->success_sent = true;
	a->success_id = id;
	ppp_auth_success(l);
}

/* Client: answer a challenge. */
static void chap_client_challenge(struct ppp_link *l, uint8_t id,
				  const uint8_t *d, size_t len)
{
	struct ppp_auth_state *a = &l->auth;
	uint8_t b[1 + MSV2_RESP_LEN + PPP_MAX_NAME];
	size_t ul = strlen(l->cfg.user), n;
	uint8_t vs;

	if (l->phase != PH_AUTHENTICATE || (a->proto != PPP_AUTH_CHAP_MD5 &&
					    a->proto != PPP_AUTH_MSCHAPV2)) {
		l->stats.rx_discarded++;
		return;
	}
	if (len < 1 || (vs = d[0]) + 1u > len || vs == 0 ||
	    (a->proto == PPP_AUTH_MSCHAPV2 && vs != 16) || vs > 64) {
		l->stats.rx_malformed++;
		return;
	}
	a->id = id;
	if (a->proto == PPP_AUTH_CHAP_MD5) {
		b[0] = 16;
		if (chap_md5_response(id, l->cfg.password, d + 1, vs, b + 1))
			goto crypto;
		n = 17;
	} else {
		memcpy(a->challenge, d + 1, 16);
		b[0] = MSV2_RESP_LEN;
		ppp_random(b + 1, 16);			/* peer challenge */
		memset(b + 17, 0, 8);
		if (mschapv2_nt_response(a->challenge, b + 1, l->cfg.user,
					 l->cfg.password, b + 25) ||
		    mschapv2_authenticator_response(l->cfg.password, b + 25,
						    b + 1, a->challenge,
						    l->cfg.user, a->success_msg))
			goto crypto;
		b[49] = 0;
		n = 50;
	}
	if (ul > PPP_MAX_NAME)
		ul = PPP_MAX_NAME;
	memcpy(b + n, l->cfg.user, ul);
	chap_send(l, CHAP_RESPONSE, id, b, n + ul);
	return;
crypto:
	ppp_fail(l, END_AUTH_FAILED,
		 "%s: crypto unavailable (OpenSSL legacy provider for MD4/DES?)",
		 ppp_auth_name(a->proto));
}

static void chap_client_result(struct ppp_link *l, uint8_t code, uint8_t id,
			       const uint8_t *d, size_t len)
{
	struct ppp_auth_state *a = &l->auth;
	char msg[256];

	if (l->phase != PH_AUTHENTICATE || id != a->id) {
		l->stats.rx_discarded++;
		return;
	}
	get_name(msg, sizeof(msg), d, len);
	if (code == CHAP_FAILURE) {
		char me[L2_ESC_SIZE(64)];

		ppp_fail(l, END_AUTH_FAILED,
			 "the server rejected our %s login (%s); check user and password",
			 ppp_auth_name(a->proto),
			 l2_escape_str(me, sizeof(me), msg));
		return;
	}
	if (a->proto == PPP_AUTH_MSCHAPV2) {
		const char *s = strstr(msg, "S=");

		if (!s || strncasecmp(s, a->success_msg, 42)) {
			ppp_fail(l, END_AUTH_FAILED,
				 "MS-CHAPv2: the server's authenticator response does not prove it knows our password");
			return;
		}
	}
	ppp_auth_stop(l);
	plog(l, LOG_LVL_INFO, "%s login accepted", ppp_auth_name(a->proto));
	ppp_auth_success(l);
}

void ppp_chap_input(struct ppp_link *l, const uint8_t *p, size_t len)
{
	size_t plen;

	if (len < 4 || (plen = (size_t)p[2] << 8 | p[3]) < 4 || plen > len) {
		l->stats.rx_malformed++;
		return;
	}
	if (l->lcp_fsm.state != ST_OPENED) {
		l->stats.rx_discarded++;
		return;
	}
	if (l->cfg.server) {
		if (p[0] == CHAP_RESPONSE &&
		    (l->auth.proto == PPP_AUTH_CHAP_MD5 ||
		     l->auth.proto == PPP_AUTH_MSCHAPV2))
			chap_server_response(l, p[1], p + 4, plen - 4);
		else
			l->stats.rx_discarded++;
		return;
	}
	switch (p[0]) {
	case CHAP_CHALLENGE:
		chap_client_challenge(l, p[1], p + 4, plen - 4);
		break;
	case CHAP_SUCCESS:
	case CHAP_FAILURE:
		chap_client_result(l, p[0], p[1], p + 4, plen - 4);
		break;
	default:
		l->stats.rx_discarded++;
		break;
	}
}
