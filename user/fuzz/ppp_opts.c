// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: PPP control packets (LCP, PAP, CHAP, IPCP, IPV6CP and
 * their option parsers) into a server link and a client link, each in the
 * state the first input bytes choose (LCP opened or not).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ppp/ppp.h"
#include "l2tp_fakes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The last Configure-Request the link sent, to be acknowledged. */
static uint8_t pending[1502];
static size_t pending_len;

static void send_cb(void *arg, const uint8_t *pkt, size_t len)
{
	(void)arg;
	if (len < 2 || len > 1502)
		__builtin_trap();
	if (len >= 6 && pkt[2] == 1 && (pkt[0] == 0xc0 || pkt[0] == 0x80)) {
		memcpy(pending, pkt, len);
		pending_len = len;
	}
}

static int get_secret(void *arg, const char *user, char *secret, size_t size)
{
	(void)arg;
	if (strcmp(user, "u"))
		return -1;
	strncpy(secret, "p", size);
	return 0;
}

static int authenticated(void *arg, const char *user, struct in_addr *peer,
			 const char **why)
{
	(void)arg; (void)user; (void)why;
	peer->s_addr = 0x0a00000a;
	return 0;
}

static void down(void *arg, enum end_reason r, const char *detail)
{
	(void)arg; (void)r; (void)detail;
}

static const struct ppp_ops ops = {
	.send = send_cb,
	.get_secret = get_secret,
	.authenticated = authenticated,
	.down = down,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct loop *loop;
	struct ppp_cfg cfg;
	struct ppp_link *l;
	size_t off = 1;

	if (!loop) {
		loop = loop_new();
		log_set_level(LOG_LVL_ERR);
	}
	ppp_opts_check(data, size);
	if (size < 1)
		return 0;
	ppp_cfg_defaults(&cfg);
	cfg.server = !(data[0] & 1);
	cfg.auth[2] = PPP_AUTH_PAP;
	strcpy(cfg.user, "u");
	strcpy(cfg.password, "p");
	l = ppp_link_new(loop, &cfg, &ops, NULL, "fuzz");
	ppp_link_start(l);
	/* packets: 2-byte length, then that many bytes */
	while (off + 2 <= size) {
		size_t n = (size_t)data[off] << 8 | data[off + 1];

		off += 2;
		if (n > size - off)
			n = size - off;
		ppp_link_input(l, data + off, n);
		off += n;
		/* bit 2: acknowledge what the link asked for (opens LCP/NCPs) */
		if ((data[0] & 4) && pending_len) {
			size_t pl = pending_len;

			pending_len = 0;
			pending[2] = 2;
			ppp_link_input(l, pending, pl);
		}
		if (data[0] & 2)
			fake_loop_advance(loop, 3000);
	}
	ppp_link_free(l);
	pending_len = 0;
	fake_log_reset();
	return 0;
}
