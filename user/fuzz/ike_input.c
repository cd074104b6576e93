// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: datagrams into a responder, the way its sockets hand
 * them over (ike_input()): the header checks, fragment reassembly, SA
 * lookup, Main Mode's first messages (proposal choice, KE, NAT-D),
 * Aggressive Mode's (opted in: the [peer] by ID, KE, HASH_R), and the
 * decryption of the later ones (a wrong key is the usual outcome here).
 * The input is a sequence of [2-byte length][datagram]; each run gets a
 * fresh responder with the module replaced by ike_helpers.c.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>

#include "config.h"
#include "ike/ike.h"
#include "ike/ike_int.h"
#include "ike_helpers.h"
#include "log.h"
#include "loop.h"

static void discard(void *arg, enum log_level lvl, const char *line)
{
	(void)arg;
	(void)lvl;
	(void)line;
}

static const char conf[] =
	"[ike]\npsk = fuzz\nlegacy = yes\nmax-half-open = 32\naggressive = yes\n"
	"[peer nat]\nremote = 10.0.0.0/8\npsk = other\nid = fqdn:client\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sockaddr_in from = { .sin_family = AF_INET,
				    .sin_port = htons(500) };
	struct sockaddr_in to = { .sin_family = AF_INET,
				  .sin_port = htons(500) };
	struct config_loader *cfg;
	struct loop *loop;
	struct kmod *k;
	struct ike *ike;
	size_t off = 0;
	unsigned int n = 0;

	log_set_sink(discard, NULL);
	loop = loop_new();
	cfg = config_loader_new();
	k = fake_kmod_new();
	ike = ike_new(loop, NULL);
	if (!loop || !cfg || !k || !ike)
		goto out;
	ike_register_config(ike, cfg);
	if (config_load_string(cfg, "fuzz.conf", conf))
		goto out;
	ike->kmod = k;
	inet_pton(AF_INET, "192.0.2.2", &from.sin_addr);
	inet_pton(AF_INET, "192.0.2.1", &to.sin_addr);
	while (off + 2 <= size && n++ < 16) {
		size_t len = (size_t)data[off] << 8 | data[off + 1];
		bool natt = len & 0x8000;

		len &= 0x7fff;
		off += 2;
		if (len > size - off)
			len = size - off;
		/* Half the messages from 10.0.0.2 (the other [peer]). */
		if (n & 1)
			inet_pton(AF_INET, "10.0.0.2", &from.sin_addr);
		else
			inet_pton(AF_INET, "192.0.2.2", &from.sin_addr);
		from.sin_port = htons(natt ? 4500 : 500);
		{
			static const uint8_t magic[8] = {
				0x77, 0x77, 0x77, 0x77, 0x77, 0x77, 0x77, 0x77,
			};
			uint8_t pkt[IKE_MAX_MSG];

			/* A responder cookie of 0x77s stands for the real one
			 * (random), so that later messages reach the SA. */
			memcpy(pkt, data + off, len);
			if (len >= 16 && !memcmp(pkt + 8, magic, 8) && ike->sas)
				memcpy(pkt + 8, ike->sas->rcky, 8);
			ike_input(ike, pkt, len, &from, &to, natt);
		}
		off += len;
	}
out:
	ike_free(ike);
	config_loader_free(cfg);
	fake_kmod_free(k);
	loop_free(loop);
	return 0;
}
