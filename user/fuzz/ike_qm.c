// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: IKE after decryption. Each run makes a responder with
 * an established ISAKMP SA whose keys are fixed (SHA1, AES-128-CBC, keys
 * from a fixed g^xy and cookies), then plays the input as the peer: every
 * message is completed with a correct HASH(1) (or HASH(3) when a Quick
 * Mode with that message ID waits for its third message), encrypted with
 * the right phase 2 IV (the exchange's current one when it is known) and
 * handed to ike_input(), so that the fuzzer's bytes reach Quick Mode
 * (proposals, IDs, nonces, KE, NAT-OA, the SA install), Informational
 * (notifies, DELETE of ISAKMP and ESP SPIs, DPD R-U-THERE and ACK).
 *
 * Input: one byte of SA flags (bit 0 NAT-T RFC and the peer behind NAT,
 * bit 1 the peer does DPD, bit 2 the peer announced fragmentation), then
 * up to 8 messages, each [ctl][len hi][len lo][len bytes]: ctl bit 0
 * Informational instead of Quick Mode, bits 1-2 the message ID (one of
 * four, so that a later message continues an exchange), bit 3 from UDP
 * 4500, bit 4 keep the input's HASH (an unauthenticated message), bit 5
 * IV of a fresh exchange even if one is known, bit 6 the body is not an
 * IKE message but netlink messages from the module: each is decoded as
 * the daemon's kmod does (l2_decode_event) and given to IKE as a module
 * event (SA expiry, first use, peer float...); an SPI of 0x77777777 there
 * stands for the one the module holds (ours are random). The first byte
 * of an IKE body is the payload type after HASH, the rest the chain.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "config.h"
#include "ike/ike.h"
#include "ike/ike_int.h"
#include "ike/keys.h"
#include "ike/payload.h"
#include "ike_helpers.h"
#include "log.h"
#include "loop.h"
#include "objects.h"

#include <netlink/msg.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* FUZZ_LOG=1 in the environment: the daemon's lines on stderr. */
static void discard(void *arg, enum log_level lvl, const char *line)
{
	static int show = -1;

	(void)arg;
	(void)lvl;
	if (show < 0)
		show = getenv("FUZZ_LOG") != NULL;
	if (show)
		fprintf(stderr, "%s\n", line);
}

static const char conf[] =
	"[ike]\npsk = fuzz\nlegacy = yes\nmax-half-open = 32\n"
	"max-quick-modes-per-sa = 8\n";

static const uint8_t ICKY[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const uint8_t RCKY[8] = { 9, 9, 9, 9, 9, 9, 9, 9 };
static const uint32_t MSGIDS[4] = { 0x01020304, 0x0a0b0c0d, 1, 0xffffffff };

static struct ike_sa *established(struct ike *ike,
				  const struct sockaddr_in *from,
				  const struct sockaddr_in *to, uint8_t flags)
{
	static const uint8_t gxy[32] = { 0x42 };
	struct ike_sa *sa = ike_sa_new(ike, false, from, to);

	if (!sa)
		return NULL;
	memcpy(sa->icky, ICKY, 8);
	memcpy(sa->rcky, RCKY, 8);
	ike_sa_hash(sa);
	sa->xf.alg = (struct p1_alg){ .enc = IKE_ENC_AES_CBC, .keylen = 128,
				      .hash = IKE_HASH_SHA1,
				      .group = IKE_GROUP_MODP2048 };
	sa->xf.auth = AUTH_PSK;
	sa->lifetime = 3600;
	sa->k.hash = IKE_HASH_SHA1;
	sa->k.enc = IKE_ENC_AES_CBC;
	sa->k.enc_len = 16;
	sa->k.block = 16;
	memset(sa->k.skeyid, 0x5a, sizeof(sa->k.skeyid));
	if (ike_keys_derive(&sa->k, gxy, sizeof(gxy), ICKY, RCKY))
		return NULL;
	sa->keys_ok = true;
	memset(sa->iv, 0x33, sizeof(sa->iv));
	snprintf(sa->peer_id_str, sizeof(sa->peer_id_str), "192.0.2.2");
	sa->natt_rfc = flags & 1;
	sa->nat_remote = flags & 1;
	sa->natoa_type = ISAKMP_NP_NATOA;
	sa->encap_udp = (flags & 1) ? 4 : 0;
	sa->peer_dpd = flags & 2;
	sa->peer_frag = flags & 4;
	p1_established(sa);
	return sa;
}

static void feed(struct ike *ike, struct ike_sa *sa, uint8_t ctl,
		 const uint8_t *body, size_t len, const struct sockaddr_in *to)
{
	struct sockaddr_in from = sa->remote;
	uint32_t msgid = MSGIDS[(ctl >> 1) & 3];
	bool info = ctl & 1, natt = ctl & 8;
	struct ike_qm *qm = info ? NULL : qm_find(sa, msgid);
	uint8_t iv[IKE_MAX_BLOCK], m[4], hash[IKE_MAX_HASH], zero = 0;
	struct ike_buf b;
	uint8_t hdr[ISAKMP_HDR_LEN] = { 0 };
	uint8_t ph[4];

	if (!len)
		return;
	/* header: cookies, HASH first, v1.0, exchange, message ID */
	memcpy(hdr, ICKY, 8);
	memcpy(hdr + 8, RCKY, 8);
	hdr[16] = ISAKMP_NP_HASH;
	hdr[17] = 0x10;
	hdr[18] = info ? ISAKMP_XCHG_INFO : ISAKMP_XCHG_QUICK;
	ike_put_be32(hdr + 20, msgid);
	ike_put_be32(m, msgid);
	if (ctl & 16 && len > sa->k.prf_len) {
		memcpy(hash, body + 1, sa->k.prf_len);
		body += sa->k.prf_len;
		len -= sa->k.prf_len;
	} else if (qm && !qm->initiator && qm->state == QM_R2) {
		/* HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b) */
		struct ike_chunk p[] = {
			{ &zero, 1 }, { m, 4 }, { qm->ni, qm->ni_len },
			{ qm->nr, qm->nr_len },
		};

		if (ike_prf_a(&sa->k, p, 4, hash))
			return;
	} else {
		/* HASH(1) = prf(SKEYID_a, M-ID | what follows HASH) */
		struct ike_chunk p[] = { { m, 4 }, { body + 1, len - 1 } };

		if (ike_prf_a(&sa->k, p, 2, hash))
			return;
	}
	ph[0] = body[0];
	ph[1] = 0;
	ph[2] = 0;
	ph[3] = (uint8_t)(4 + sa->k.prf_len);
	ike_buf_init(&b);
	ike_buf_put(&b, hdr, sizeof(hdr));
	ike_buf_put(&b, ph, 4);
	ike_buf_put(&b, hash, sa->k.prf_len);
	ike_buf_put(&b, body + 1, len - 1);
	if (qm && !(ctl & 32))
		memcpy(iv, qm->iv, sizeof(iv));
	else if (ike_iv_p2(sa->k.hash, sa->k.block, sa->p1_iv, msgid, iv))
		goto out;
	if (b.err || ike_encrypt(&sa->k, &b, iv))
		goto out;
	from.sin_port = htons(natt ? 4500 : 500);
	ike_input(ike, b.data, b.len, &from, to, natt);
out:
	ike_buf_free(&b);
}

/* The input as the module's event messages, through the daemon's decoder. */
static void events(struct ike *ike, struct kmod *k, const uint8_t *body,
		   size_t len)
{
	struct nlmsghdr *nlh;
	int left = (int)len;
	void *buf;

	if (len < NLMSG_HDRLEN)
		return;
	buf = malloc(len);
	if (!buf)
		return;
	memcpy(buf, body, len);
	for (nlh = buf; nlmsg_ok(nlh, left); nlh = nlmsg_next(nlh, &left)) {
		struct l2_event e;
		unsigned int i;

		if (l2_decode_event(nlh, &e))
			continue;
		if (e.spi == 0x77777777)
			for (i = 0; i < FAKE_MAX_SAS; i++)
				if (k->sas[i].used && k->sas[i].dir == e.dir) {
					e.spi = k->sas[i].spi;
					break;
				}
		ike_kmod_event(ike, &e);
	}
	free(buf);
}

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
	struct ike_sa *sa;
	size_t off = 1;
	unsigned int n = 0;

	if (size < 1)
		return 0;
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
	sa = established(ike, &from, &to, data[0]);
	if (!sa)
		goto out;
	while (off + 3 <= size && n++ < 8) {
		uint8_t ctl = data[off];
		size_t len = (size_t)data[off + 1] << 8 | data[off + 2];

		off += 3;
		if (len > size - off)
			len = size - off;
		if (len > IKE_MAX_MSG - 64)
			len = IKE_MAX_MSG - 64;
		/* the SA may be gone (DELETE): then the rest is dropped */
		sa = ike_sa_find(ike, ICKY, RCKY);
		if (!sa || sa->state != P1_ESTABLISHED)
			break;
		if (ctl & 64)
			events(ike, k, data + off, len);
		else
			feed(ike, sa, ctl, data + off, len, &to);
		off += len;
	}
out:
	ike_free(ike);
	config_loader_free(cfg);
	fake_kmod_free(k);
	loop_free(loop);
	return 0;
}
