// SPDX-License-Identifier: GPL-2.0
/*
 * What one hostile peer may cost the IKE responder, driven through the
 * real receive path (ike_input()) of an l2tpsecd IKE instance:
 *
 *   fragments      memory held for reassembly (per SA, in total, expiry,
 *                  the reassembled size), who may send them
 *   phase 1        half-open SAs per address and in total (floods of first
 *                  messages from one and from many spoofed addresses while
 *                  a real client connects), DH computations per second,
 *                  the responder's half-open timeout
 *
 * The first messages come from a second instance (its real MM1), with the
 * initiator cookie changed for each SA.
 */
#include <errno.h>
#include <inttypes.h>
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <time.h>
#include <cmocka.h>

#include "config.h"
#include "ike/ike.h"
#include "ike/ike_int.h"
#include "ike_helpers.h"
#include "log.h"
#include "loop.h"

#define PORT	"15600"
#define NPORT	"15601"

struct node {
	struct loop		*loop;
	struct kmod		*k;
	struct ike		*ike;
	struct config_loader	*cfg;
};

static int node_start(struct node *n, const char *conf)
{
	int ret;

	memset(n, 0, sizeof(*n));
	n->loop = loop_new();
	n->cfg = config_loader_new();
	n->k = fake_kmod_new();
	n->ike = ike_new(n->loop, NULL);
	if (!n->loop || !n->cfg || !n->k || !n->ike)
		return -ENOMEM;
	ike_register_config(n->ike, n->cfg);
	ret = config_load_string(n->cfg, "test.conf", conf);
	if (ret)
		return ret;
	return ike_start(n->ike, n->k);
}

static void node_stop(struct node *n)
{
	if (n->ike)
		ike_free(n->ike);
	config_loader_free(n->cfg);
	fake_kmod_free(n->k);
	loop_free(n->loop);
	memset(n, 0, sizeof(*n));
}

#define RESPONDER(extra) \
	"[ike]\nlisten = 127.0.0.1\nport = " PORT "\nnatt-port = " NPORT "\n" \
	"psk = x\n" extra

#define INITIATOR(extra) \
	"[ike]\nlisten = 127.0.0.2\nport = " PORT "\nnatt-port = " NPORT "\n" \
	"retry-interval = 3600\n" extra \
	"[peer a]\nremote = 127.0.0.1\ninitiate = yes\npsk = x\n"

static struct node A, B;

static const struct sockaddr_in RA = {
	.sin_family = AF_INET, .sin_addr.s_addr = 0x0100007f,	/* 127.0.0.1 */
};

static struct sockaddr_in peer(uint32_t host, uint16_t port)
{
	struct sockaddr_in s = { .sin_family = AF_INET };

	s.sin_addr.s_addr = htonl(host);
	s.sin_port = htons(port);
	return s;
}

static int setup(void **state)
{
	(void)state;
	test_log_capture(false);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	node_stop(&B);
	node_stop(&A);
	test_log_clear();
	return 0;
}

/* B's first Main Mode message (with B's vendor IDs), copied. */
static uint8_t mm1[2048];
static size_t mm1_len;

static void take_mm1(const char *bconf)
{
	struct ike_sa *bsa = NULL;

	assert_int_equal(node_start(&B, bconf), 0);
	assert_int_equal(mm_initiate(B.ike, B.ike->conf.peers, &bsa), 0);
	assert_non_null(bsa);
	assert_true(bsa->tx.len <= sizeof(mm1));
	memcpy(mm1, bsa->tx.pkt, bsa->tx.len);
	mm1_len = bsa->tx.len;
	node_stop(&B);
}

/* Feed MM1 with initiator cookie @n from @from; the responder's SA. */
static struct ike_sa *open_sa(uint32_t n, const struct sockaddr_in *from)
{
	uint8_t icky[8] = { 0xc0, 0xff, 0xee };

	icky[4] = (uint8_t)(n >> 24);
	icky[5] = (uint8_t)(n >> 16);
	icky[6] = (uint8_t)(n >> 8);
	icky[7] = (uint8_t)n;
	memcpy(mm1, icky, 8);
	ike_input(A.ike, mm1, mm1_len, from, &RA, false);
	return ike_sa_find(A.ike, icky, NULL);
}

static uint8_t *frag_buf;

/* One fragment (@num of @id, @len bytes of data) for @sa from @from. */
static void send_frag(const struct ike_sa *sa, const struct sockaddr_in *from,
		      uint16_t id, uint8_t num, bool last, size_t len)
{
	struct isakmp_hdr h = {
		.np = ISAKMP_NP_FRAG,
		.version = ISAKMP_VERSION,
		.exch = ISAKMP_XCHG_IDPROT,
	};
	size_t total = ISAKMP_HDR_LEN + 8 + len;

	if (!frag_buf)
		frag_buf = calloc(1, IKE_MAX_MSG);
	assert_non_null(frag_buf);
	assert_true(total <= IKE_MAX_MSG);
	memcpy(h.icky, sa->icky, 8);
	memcpy(h.rcky, sa->rcky, 8);
	h.len = (uint32_t)total;
	ike_hdr_write(frag_buf, &h);
	frag_buf[28] = ISAKMP_NP_NONE;
	frag_buf[29] = 0;
	ike_put_be16(frag_buf + 30, (uint16_t)(8 + len));
	ike_put_be16(frag_buf + 32, id);
	frag_buf[34] = num;
	frag_buf[35] = last ? 1 : 0;
	memset(frag_buf + 36, 0x5a, len);
	ike_input(A.ike, frag_buf, total, from, &RA, false);
}

static size_t heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

#define FRAG_DATA	(IKE_MAX_MSG - ISAKMP_HDR_LEN - 8)

/*
 * 1000 half-open SAs from one address, 15 fragments of ~64 KiB each, none
 * completing a message: the responder must not hold them all (it held
 * about 0.94 GiB).
 */
static void test_frag_memory(void **state)
{
	struct sockaddr_in from = peer(0x7f000002, atoi(PORT));
	struct ike_sa *sas[1000];
	size_t before, after;
	unsigned int i, k;

	(void)state;
	take_mm1(INITIATOR(""));
	/* Only the fragment limits are under test here. */
	assert_int_equal(node_start(&A, RESPONDER(
		"max-half-open = 2000\nmax-half-open-per-address = 2000\n")), 0);
	for (i = 0; i < 1000; i++) {
		sas[i] = open_sa(i, &from);
		assert_non_null(sas[i]);
		assert_true(sas[i]->peer_frag);
	}
	/* The log keeps lines; let it reach its steady size first. */
	test_log_clear();
	before = heap_in_use();
	for (i = 0; i < 1000; i++)
		for (k = 1; k <= 15; k++)
			send_frag(sas[i], &from, 7, (uint8_t)k, false, FRAG_DATA);
	after = heap_in_use();
	test_log_clear();
	fprintf(stderr, "  heap grew by %zu KiB\n",
		after > before ? (after - before) / 1024 : 0);
	assert_true(after < before || after - before < 16u << 20);
	assert_true(A.ike->cnt.drop_frag > 0);
}

/* Only the SA's peer (address and port) may send its fragments. */
static void test_frag_from_elsewhere(void **state)
{
	struct sockaddr_in from = peer(0x7f000002, atoi(PORT));
	struct sockaddr_in other = peer(0x7f000003, atoi(PORT));
	struct sockaddr_in port = peer(0x7f000002, 4444);
	struct ike_sa *sa;

	(void)state;
	take_mm1(INITIATOR(""));
	assert_int_equal(node_start(&A, RESPONDER("")), 0);
	sa = open_sa(1, &from);
	assert_non_null(sa);
	send_frag(sa, &other, 1, 1, false, 1000);
	assert_null(sa->reasm);
	send_frag(sa, &port, 1, 1, false, 1000);
	assert_null(sa->reasm);
	assert_int_equal(A.ike->cnt.drop_frag, 2);
	assert_non_null(test_log_find("fragment not from the SA's peer"));
	/* From the peer: kept. */
	send_frag(sa, &from, 1, 1, false, 1000);
	assert_non_null(sa->reasm);
}

/* No fragments before the peer announced IKE fragmentation. */
static void test_frag_without_vid(void **state)
{
	struct sockaddr_in from = peer(0x7f000002, atoi(PORT));
	struct ike_sa *sa;

	(void)state;
	take_mm1(INITIATOR("fragmentation = no\n"));
	assert_int_equal(node_start(&A, RESPONDER("")), 0);
	sa = open_sa(1, &from);
	assert_non_null(sa);
	assert_false(sa->peer_frag);
	send_frag(sa, &from, 1, 1, false, 1000);
	assert_null(sa->reasm);
	assert_int_equal(A.ike->cnt.drop_frag, 1);
	assert_non_null(test_log_find("did not announce IKE fragmentation"));
}

/* A reassembly that does not complete in fragment-timeout is dropped. */
static void test_frag_expiry(void **state)
{
	struct sockaddr_in from = peer(0x7f000002, atoi(PORT));
	struct ike_sa *sa, *sb;
	uint64_t end;

	(void)state;
	take_mm1(INITIATOR(""));
	assert_int_equal(node_start(&A, RESPONDER("fragment-timeout = 1\n")), 0);
	sa = open_sa(1, &from);
	sb = open_sa(2, &from);
	assert_non_null(sa);
	assert_non_null(sb);
	send_frag(sa, &from, 1, 1, false, 1000);
	assert_non_null(sa->reasm);
	assert_int_equal(A.ike->frag_bytes, 1000);
	end = loop_now_ms(A.loop) + 1500;
	while (loop_now_ms(A.loop) < end)
		loop_run_once(A.loop, 50);
	/* Gone on its own (timer), and its bytes with it. */
	assert_null(sa->reasm);
	assert_int_equal(A.ike->frag_bytes, 0);
	send_frag(sb, &from, 1, 1, false, 1000);
	assert_int_equal(A.ike->frag_bytes, 1000);
	assert_non_null(test_log_find("reassembly did not complete"));
}

/* The fragments of one message add up to at most IKE_MAX_MSG bytes. */
static void test_frag_reassembled_cap(void **state)
{
	struct sockaddr_in from = peer(0x7f000002, atoi(PORT));
	struct ike_sa *sa;

	(void)state;
	take_mm1(INITIATOR(""));
	assert_int_equal(node_start(&A, RESPONDER("")), 0);
	sa = open_sa(1, &from);
	assert_non_null(sa);
	send_frag(sa, &from, 3, 1, false, 40000);
	assert_non_null(sa->reasm);
	/* 40000 + 40000 > 65535: the reassembly is dropped, not grown. */
	send_frag(sa, &from, 3, 2, true, 40000);
	assert_null(sa->reasm);
	assert_int_equal(A.ike->frag_bytes, 0);
	assert_non_null(test_log_find("larger than the largest message"));
	/* One line names the peer and the limit. */
	assert_non_null(test_log_find("ike 127.0.0.2:" PORT ": "));
}

/* ---- phase 1 floods --------------------------------------------------------- */

static bool a_up(void)
{
	return fake_sa_count(A.k, L2TPSEC_DIR_IN) >= 1 &&
	       fake_sa_count(A.k, L2TPSEC_DIR_OUT) >= 1 &&
	       fake_sa_count(B.k, L2TPSEC_DIR_IN) >= 1 &&
	       fake_sa_count(B.k, L2TPSEC_DIR_OUT) >= 1;
}

/* A message 3 for @sa: a KE of the chosen group and a nonce. */
static void send_mm3(struct ike_sa *sa, const struct sockaddr_in *from)
{
	struct isakmp_hdr h = {
		.version = ISAKMP_VERSION,
		.exch = ISAKMP_XCHG_IDPROT,
	};
	uint8_t ke[IKE_MAX_DH], nonce[16];
	size_t kl = ike_group_pub_len(sa->xf.alg.group);
	struct ike_buf b;

	assert_true(kl > 0 && kl <= sizeof(ke));
	memset(ke, 0, kl);
	ke[kl - 1] = 2;
	memset(nonce, 0x11, sizeof(nonce));
	memcpy(h.icky, sa->icky, 8);
	memcpy(h.rcky, sa->rcky, 8);
	ike_buf_init(&b);
	ike_buf_hdr(&b, &h);
	ike_buf_payload(&b, ISAKMP_NP_KE, ke, kl);
	ike_buf_payload(&b, ISAKMP_NP_NONCE, nonce, sizeof(nonce));
	ike_buf_finish(&b);
	assert_false(b.err);
	ike_input(A.ike, b.data, b.len, from, &RA, false);
	ike_buf_free(&b);
}

static uint32_t cookie_seq;

/*
 * Message 1 floods, one source (127.0.0.3) and many spoofed ones
 * (127.1.x.y), each at least what filled max-half-open before, go on
 * while the real client (B, 127.0.0.2) connects: it is up within the
 * time it needs without a flood.
 */
static void test_p1_flood_real_client_up(void **state)
{
	struct sockaddr_in one = peer(0x7f000003, atoi(PORT));
	struct ike_counters c;
	uint64_t end;
	unsigned int i, spoofed = 0;

	uint64_t t0, normal, took;

	(void)state;
	/* Keep the captured lines (4096) for what matters. */
	log_set_level(LOG_LVL_INFO);
	take_mm1(INITIATOR(""));
	/* Its normal time, without a flood (valgrind is slower). */
	assert_int_equal(node_start(&A, RESPONDER(
		"retransmit-timeout = 1s\nretransmit-tries = 2\n")), 0);
	assert_int_equal(node_start(&B, INITIATOR(
		"retransmit-timeout = 1s\nretransmit-tries = 2\n")), 0);
	t0 = loop_now_ms(A.loop);
	while (!a_up() && loop_now_ms(A.loop) - t0 < 30000) {
		loop_run_once(A.loop, 5);
		loop_run_once(B.loop, 5);
	}
	assert_true(a_up());
	normal = loop_now_ms(A.loop) - t0;
	node_stop(&B);
	node_stop(&A);
	test_log_clear();

	assert_int_equal(node_start(&A, RESPONDER(
		"retransmit-timeout = 1s\nretransmit-tries = 2\n")), 0);
	/* 200 s of six a second from one address, 1000 spoofed sources. */
	for (i = 0; i < 1200; i++)
		open_sa(++cookie_seq, &one);
	for (i = 0; i < 1000; i++, spoofed++) {
		struct sockaddr_in s = peer(0x7f010000 + spoofed, 500);

		open_sa(++cookie_seq, &s);
	}
	assert_int_equal(node_start(&B, INITIATOR(
		"retransmit-timeout = 1s\nretransmit-tries = 2\n")), 0);
	/* The flood goes on while B connects. */
	t0 = loop_now_ms(A.loop);
	end = t0 + 3 * normal + 3000;
	while (loop_now_ms(A.loop) < end && !a_up()) {
		for (i = 0; i < 20; i++, spoofed++) {
			struct sockaddr_in s = peer(0x7f010000 + spoofed, 500);

			open_sa(++cookie_seq, &s);
			open_sa(++cookie_seq, &one);
		}
		loop_run_once(A.loop, 5);
		loop_run_once(B.loop, 5);
	}
	took = loop_now_ms(A.loop) - t0;
	fprintf(stderr, "  up in %" PRIu64 " ms during the flood, %" PRIu64 " ms without\n",
		took, normal);
	if (!a_up())
		test_log_dump();
	assert_true(a_up());
	ike_get_counters(A.ike, &c);
	assert_true(c.drop_limit > 0);
	assert_true(ike_src_good(A.ike, peer(0x7f000002, 0).sin_addr));
	/* One line per limit, not one per packet, each naming its setting. */
	assert_true(test_log_count("(max-half-open-per-address 16)") <= 2);
	assert_non_null(test_log_find("ike 127.0.0.3:" PORT ": phase 1: 16 negotiations in progress from this address (max-half-open-per-address 16): first message dropped"));
	assert_non_null(test_log_find("(max-half-open 1000)"));
	assert_true(test_log_count("(max-half-open 1000)") <= 4);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Message 1 + message 3 pairs, each costing the responder a DH
 * computation: from one address, and from many.
 */
static void test_p1_dh_budget(void **state)
{
	struct sockaddr_in one = peer(0x7f000003, atoi(PORT));
	struct ike_counters c;
	unsigned int i;
	double t0, secs, secs0;

	(void)state;
	log_set_level(LOG_LVL_INFO);
	take_mm1(INITIATOR(""));
	/* The half-open limits are not under test here. */
	assert_int_equal(node_start(&A, RESPONDER(
		"max-half-open-per-address = 0\nmax-half-open = 0\n"
		"dh-per-second = 4\ndh-per-second-per-address = 2\n")), 0);
	t0 = now_s();
	for (i = 0; i < 200; i++) {
		struct ike_sa *sa = open_sa(++cookie_seq, &one);

		assert_non_null(sa);
		send_mm3(sa, &one);
	}
	secs = now_s() - t0;
	ike_get_counters(A.ike, &c);
	fprintf(stderr, "  one address: %" PRIu64 " DH in %.2f s\n",
		c.dh_responder, secs);
	/* Two a second in each second (of the loop's clock) it touched. */
	assert_true(c.dh_responder <= 2 * ((unsigned int)secs + 2));
	assert_non_null(test_log_find("ike 127.0.0.3:" PORT ": phase 1: key exchange dropped: 2 this second from this address (dh-per-second-per-address 2); the peer retransmits"));

	/* 400 addresses, two each: the global budget, 3/4 for unknowns. */
	secs0 = secs;
	t0 = now_s();
	for (i = 0; i < 800; i++) {
		struct sockaddr_in s = peer(0x7f020000 + i / 2, 500);
		struct ike_sa *sa = open_sa(++cookie_seq, &s);

		assert_non_null(sa);
		send_mm3(sa, &s);
	}
	secs = now_s() - t0;
	ike_get_counters(A.ike, &c);
	fprintf(stderr, "  all: %" PRIu64 " DH in %.2f s\n", c.dh_responder,
		secs);
	/*
	 * All are unknown sources: 3 a second (3/4 of 4) in every second
	 * (of the loop's clock) the two parts touched.
	 */
	assert_true(c.dh_responder <= 3 * ((unsigned int)(secs0 + secs) + 2));
	assert_non_null(test_log_find("(dh-per-second 4, of which a quarter is kept for addresses that completed phase 1 before)"));
}

/* A responder SA nobody continues goes after half-open-timeout. */
static void test_p1_half_open_timeout(void **state)
{
	struct sockaddr_in s = peer(0x7f010203, 500);
	struct ike_counters c;
	uint64_t end;

	unsigned int i;

	(void)state;
	log_set_level(LOG_LVL_INFO);
	take_mm1(INITIATOR(""));
	assert_int_equal(node_start(&A, RESPONDER("half-open-timeout = 1\n")), 0);
	/* 50 spoofed sources, one each. */
	for (i = 0; i < 50; i++) {
		s.sin_addr.s_addr = htonl(0x7f010000 + i);
		assert_non_null(open_sa(++cookie_seq, &s));
	}
	ike_get_counters(A.ike, &c);
	assert_int_equal(c.ike_sas, 50);
	end = loop_now_ms(A.loop) + 1500;
	while (loop_now_ms(A.loop) < end)
		loop_run_once(A.loop, 50);
	ike_get_counters(A.ike, &c);
	assert_int_equal(c.ike_sas, 0);
	assert_int_equal(A.ike->half_open, 0);
	/* Their timeouts: a few lines, not one per spoofed source. */
	assert_int_equal(test_log_count("phase 1: peer silent after our first reply"), 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_frag_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frag_from_elsewhere, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frag_without_vid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frag_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frag_reassembled_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_p1_flood_real_client_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_p1_dh_budget, setup, teardown),
		cmocka_unit_test_setup_teardown(test_p1_half_open_timeout, setup, teardown),
	};
	int ret;

	test_private_netns();
	ret = cmocka_run_group_tests_name("ike_limits", tests, NULL, NULL);
	free(frag_buf);
	return ret;
}
