// SPDX-License-Identifier: GPL-2.0
/*
 * Whole IKEv1 exchanges between two l2tpsecd IKE instances in one process,
 * over loopback UDP (127.0.0.1 responder, 127.0.0.2 initiator), with the
 * module replaced by ike_helpers.c: Main Mode + Quick Mode with PSK, the
 * keys on both sides, the failure lines (wrong PSK, no proposal in either
 * phase), DELETE, rekey with the TX switch, HMAC-SHA256 ICV detection,
 * DPD; Aggressive Mode (opt-in): the exchange, the PSK found by the ID of
 * the first message, wrong PSK (seen by either side), unknown ID, the
 * refusal without the opt-in, a repeated first message answered with the
 * same reply, a third message in clear. What the admin view gets: a
 * rekey and a peer float as events, a float to a new port of the same
 * address named as a NAT mapping timeout (failure class 12), an SA pair
 * that expires without its rekey named with the side that was to rekey,
 * what was tried and where to look (class 13).
 */
#include <errno.h>
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
#include <cmocka.h>

#include "config.h"
#include "devent.h"
#include "failrec.h"
#include "ike/ike.h"
#include "ike/ike_int.h"
#include "ike_helpers.h"
#include "log.h"
#include "loop.h"

#define PORT	"15500"
#define NPORT	"15501"

struct node {
	struct loop		*loop;
	struct kmod		*k;
	struct ike		*ike;
	struct config_loader	*cfg;
	int			ups, downs;
	uint32_t		last_up;
	enum ike_down_reason	last_down;
};

static void up(void *arg, uint32_t peer_id, const struct sockaddr_in *remote,
	       uint16_t l2tp_port, bool initiator, const char *name)
{
	struct node *n = arg;

	(void)remote;
	(void)l2tp_port;
	(void)initiator;
	(void)name;
	n->ups++;
	n->last_up = peer_id;
}

static void down(void *arg, uint32_t peer_id, enum ike_down_reason reason,
		 const char *why)
{
	struct node *n = arg;

	(void)peer_id;
	(void)why;
	n->downs++;
	n->last_down = reason;
}

/*
 * Under valgrind (make check-valgrind sets L2TPSEC_TEST_TIME_SCALE) every
 * DH and RSA operation is tens of times slower: the peers' retransmission
 * timer, 1 s here, and the waits for a condition are that many times
 * longer, so that an exchange is not taken for a silent peer.
 */
static unsigned int time_scale(void)
{
	const char *v = getenv("L2TPSEC_TEST_TIME_SCALE");
	unsigned long n = v ? strtoul(v, NULL, 10) : 1;

	return n >= 1 && n <= 100 ? (unsigned int)n : 1;
}

static const char *scaled_conf(const char *conf)
{
	static char buf[4096];
	const char *p = strstr(conf, "retransmit-timeout = 1s");
	unsigned int k = time_scale();

	if (k == 1 || !p || strlen(conf) + 8 >= sizeof(buf))
		return conf;
	snprintf(buf, sizeof(buf), "%.*sretransmit-timeout = %us%s",
		 (int)(p - conf), conf, k,
		 p + strlen("retransmit-timeout = 1s"));
	return buf;
}

static int node_start(struct node *n, const char *conf)
{
	struct ike_hooks h = { .peer_up = up, .peer_down = down, .arg = n };
	int ret;

	memset(n, 0, sizeof(*n));
	n->loop = loop_new();
	n->cfg = config_loader_new();
	n->k = fake_kmod_new();
	n->ike = ike_new(n->loop, &h);
	if (!n->loop || !n->cfg || !n->k || !n->ike)
		return -ENOMEM;
	ike_register_config(n->ike, n->cfg);
	ret = config_load_string(n->cfg, "test.conf", scaled_conf(conf));
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

/* Run both loops until @done says so or @ms pass. */
static bool run_until(struct node *a, struct node *b, int ms,
		      bool (*done)(struct node *, struct node *))
{
	uint64_t end = loop_now_ms(a->loop) +
		       (uint64_t)ms * (done ? time_scale() : 1);

	while (loop_now_ms(a->loop) < end) {
		if (done && done(a, b))
			return true;
		loop_run_once(a->loop, 5);
		if (b->loop)
			loop_run_once(b->loop, 5);
	}
	return done ? done(a, b) : true;
}

static bool both_up(struct node *a, struct node *b)
{
	return fake_sa_count(a->k, L2TPSEC_DIR_OUT) >= 1 &&
	       fake_sa_count(b->k, L2TPSEC_DIR_OUT) >= 1 &&
	       fake_sa_count(a->k, L2TPSEC_DIR_IN) >= 1 &&
	       fake_sa_count(b->k, L2TPSEC_DIR_IN) >= 1;
}

/*
 * Retransmission at 1 s: both ends share one thread, and on a loaded
 * machine (make check next to QEMU) a 300 ms timer fired before the peer
 * had its turn, turning exchanges into "peer silent".
 */
#define RESPONDER(extra) \
	"[ike]\nlisten = 127.0.0.1\nport = " PORT "\nnatt-port = " NPORT "\n" \
	"retransmit-timeout = 1s\nretransmit-tries = 2\n" extra

#define INITIATOR2(global, peer) \
	"[ike]\nlisten = 127.0.0.2\nport = " PORT "\nnatt-port = " NPORT "\n" \
	"retransmit-timeout = 1s\nretransmit-tries = 2\nretry-interval = 60\n" \
	global "[peer a]\nremote = 127.0.0.1\ninitiate = yes\n" peer
#define INITIATOR(peer) INITIATOR2("", peer)

static struct node A, B;

/* What the daemon published (common/devent.h) and its failure record. */
static struct {
	unsigned int		n[L2_DEV_MAX];
	char			last_detail[L2_DEV_MAX][256];
	struct sockaddr_in	last_peer[L2_DEV_MAX];
} seen;
static struct l2_failures failures;

static void sink(void *arg, const struct l2_devent *e)
{
	(void)arg;
	seen.n[e->kind]++;
	snprintf(seen.last_detail[e->kind], sizeof(seen.last_detail[0]), "%s",
		 e->detail ? e->detail : "");
	if (e->peer)
		seen.last_peer[e->kind] = *e->peer;
}

struct fail_find {
	enum l2_fail_class	cls;
	const struct l2_fail	*found;
};

static void fail_one(void *arg, const struct l2_fail *f)
{
	struct fail_find *x = arg;

	if (f->cls == x->cls && !x->found)
		x->found = f;
}

static const struct l2_fail *failure_of(enum l2_fail_class c)
{
	struct fail_find x = { .cls = c };
	struct in_addr any = { 0 };

	l2_fail_each(&failures, any, NULL, fail_one, &x);
	return x.found;
}

static int teardown(void **state)
{
	(void)state;
	l2_devent_set_sink(NULL, NULL);
	l2_fail_set_default(NULL);
	node_stop(&B);
	node_stop(&A);
	test_log_clear();
	return 0;
}

static int setup(void **state)
{
	(void)state;
	test_log_capture(false);
	memset(&seen, 0, sizeof(seen));
	l2_fail_init(&failures);
	l2_fail_set_default(&failures);
	l2_devent_set_sink(sink, NULL);
	return 0;
}

/* The two ends hold the same keys for each direction. */
static void check_keys(void)
{
	unsigned int i, matched = 0;

	for (i = 0; i < FAKE_MAX_SAS; i++) {
		struct fake_sa *s = &A.k->sas[i];
		struct fake_sa *o;

		if (!s->used)
			continue;
		o = fake_sa_find(B.k, s->spi, s->dir == L2TPSEC_DIR_IN ?
				 L2TPSEC_DIR_OUT : L2TPSEC_DIR_IN);
		assert_non_null(o);
		assert_int_equal(s->enc_key_len, o->enc_key_len);
		assert_memory_equal(s->enc_key, o->enc_key, s->enc_key_len);
		assert_int_equal(s->auth_key_len, o->auth_key_len);
		assert_memory_equal(s->auth_key, o->auth_key, s->auth_key_len);
		assert_int_equal(s->cipher, o->cipher);
		assert_int_equal(s->integ, o->integ);
		matched++;
	}
	assert_true(matched >= 2);
}

static void test_psk_ok(void **state)
{
	struct fake_peer *p;
	unsigned int i;

	(void)state;
	assert_int_equal(node_start(&A, RESPONDER("psk = s3cret\n")), 0);
	assert_int_equal(node_start(&B, INITIATOR("psk = s3cret\n")), 0);
	if (!run_until(&A, &B, 5000, both_up))
		test_log_dump();
	assert_true(both_up(&A, &B));
	check_keys();
	assert_int_equal(A.ups, 1);
	assert_int_equal(B.ups, 1);
	/* Default ESP proposal: AES-256-CBC, HMAC-SHA1, raw ESP, TX set. */
	for (i = 0; i < FAKE_MAX_SAS; i++)
		if (A.k->sas[i].used) {
			assert_int_equal(A.k->sas[i].cipher,
					 L2TPSEC_CIPHER_AES_CBC);
			assert_int_equal(A.k->sas[i].enc_key_len, 32);
			assert_int_equal(A.k->sas[i].integ,
					 L2TPSEC_INTEG_HMAC_SHA1);
		}
	p = fake_peer_find(A.k, A.last_up);
	assert_non_null(p);
	assert_false(p->p.udp_encap);
	assert_int_not_equal(p->tx_spi, 0);
	assert_non_null(fake_sa_find(A.k, p->tx_spi, L2TPSEC_DIR_OUT));
	assert_non_null(test_log_find("phase 1 established as responder"));
	assert_non_null(test_log_find("ESP SA pair up"));
}

static void test_each_algorithm(void **state)
{
	static const char *const cases[][2] = {
		{ "aes128-sha1-ecp256", "aes128-sha1" },
		{ "aes256-sha384-ecp384", "aes256-sha256" },
		{ "aes256-sha512-modp3072", "aes256gcm16" },
		{ "aes192-sha256-modp1536", "aes128gcm16-modp2048" },
		{ "3des-md5-modp1024", "3des-md5" },
		{ "aes256-sha1-modp1024", "aes256-sha512" },
	};
	char ca[512], cb[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(ca, sizeof(ca), RESPONDER("psk = x\nlegacy = yes\n"
			 "proposals = %s\nesp = %s\n"), cases[i][0],
			 cases[i][1]);
		snprintf(cb, sizeof(cb), INITIATOR("psk = x\n")
			 "proposals = %s\nesp = %s\n", cases[i][0],
			 cases[i][1]);
		/* The initiator's lists are its [peer]'s; legacy is global. */
		{
			char *p = strstr(cb, "[peer a]");
			char tmp[512];

			snprintf(tmp, sizeof(tmp), "%.*slegacy = yes\n%s",
				 (int)(p - cb), cb, p);
			snprintf(cb, sizeof(cb), "%s", tmp);
		}
		assert_int_equal(node_start(&A, ca), 0);
		assert_int_equal(node_start(&B, cb), 0);
		if (!run_until(&A, &B, 8000, both_up)) {
			fprintf(stderr, "case %s / %s\n", cases[i][0],
				cases[i][1]);
			test_log_dump();
		}
		assert_true(both_up(&A, &B));
		check_keys();
		node_stop(&B);
		node_stop(&A);
		test_log_clear();
	}
}

static bool a_failed(struct node *a, struct node *b)
{
	const struct ike_failure *f;

	(void)b;
	return ike_failures(a->ike, &f) > 0;
}

static bool b_failed(struct node *a, struct node *b)
{
	return a_failed(b, a);
}

static void test_wrong_psk(void **state)
{
	const struct ike_failure *f;

	(void)state;
	assert_int_equal(node_start(&A, RESPONDER("psk = right\n")), 0);
	assert_int_equal(node_start(&B, INITIATOR("psk = wrong\n")), 0);
	run_until(&A, &B, 3000, a_failed);
	run_until(&A, &B, 500, NULL);
	assert_int_equal(ike_failures(A.ike, &f), 1);
	assert_int_equal(f[0].kind, IKE_FAIL_PSK);
	assert_non_null(test_log_find(
		"ike 127.0.0.2:" PORT ": phase 1: pre-shared key mismatch: "));
	assert_int_equal(ike_failures(B.ike, &f), 1);
	assert_int_equal(f[0].kind, IKE_FAIL_PSK);
	assert_non_null(test_log_find(
		"ike 127.0.0.1:" PORT ": phase 1: pre-shared key mismatch: the peer answers our message 5 with INVALID-HASH-INFORMATION"));
	assert_int_equal(fake_sa_count(A.k, 0), 0);
}

static void test_no_proposal_p1(void **state)
{
	const struct ike_failure *f;
	const char *line;

	(void)state;
	assert_int_equal(node_start(&A, RESPONDER("psk = x\n")), 0);
	assert_int_equal(node_start(&B,
		"[ike]\nlisten = 127.0.0.2\nport = " PORT "\nnatt-port = " NPORT
		"\nretransmit-timeout = 300ms\nretransmit-tries = 1\nlegacy = yes\n"
		"[peer a]\nremote = 127.0.0.1\ninitiate = yes\npsk = x\n"
		"proposals = aes128-sha1-modp1024, 3des-sha1-modp1024\n"), 0);
	run_until(&A, &B, 3000, a_failed);
	run_until(&A, &B, 300, NULL);
	line = test_log_find("ike 127.0.0.2:" PORT ": phase 1: no proposal chosen: ");
	if (!line)
		test_log_dump();
	assert_non_null(line);
	assert_non_null(strstr(line,
		"peer offers aes128-sha1-modp1024 (DH group modp1024 needs legacy = yes), 3des-sha1-modp1024 (DH group modp1024, 3des needs legacy = yes); we accept aes256-sha256-modp2048, "));
	assert_non_null(strstr(line,
		"closest: aes128-sha1-modp1024 vs our aes128-sha1-modp2048: DH group (peer modp1024, we modp2048) differs"));
	assert_int_equal(ike_failures(A.ike, &f), 1);
	assert_int_equal(f[0].kind, IKE_FAIL_NO_PROPOSAL);
	assert_non_null(test_log_find(
		"ike 127.0.0.1:" PORT ": phase 1: no proposal chosen: the peer accepts none of ours (we offer aes128-sha1-modp1024, 3des-sha1-modp1024 with psk)"));
}

static void test_no_proposal_p2(void **state)
{
	const char *line;

	(void)state;
	assert_int_equal(node_start(&A, RESPONDER("psk = x\nesp = aes128-sha1\n")), 0);
	assert_int_equal(node_start(&B, INITIATOR("psk = x\nesp = aes256-sha512, aes128gcm16\n")), 0);
	run_until(&A, &B, 3000, a_failed);
	run_until(&A, &B, 300, NULL);
	line = test_log_find("ike 127.0.0.2:" PORT ": phase 2: no proposal chosen: ");
	if (!line)
		test_log_dump();
	assert_non_null(line);
	assert_non_null(strstr(line,
		"peer offers aes256-sha512, aes128gcm16; we accept aes128-sha1; closest: aes256-sha512 vs our aes128-sha1: key length (peer 256, we 128), integrity (peer sha512, we sha1) differs"));
	assert_non_null(test_log_find(
		"ike 127.0.0.1:" PORT ": phase 2: no proposal chosen: the peer accepts none of ours (we offer aes256-sha512, aes128gcm16)"));
	assert_int_equal(fake_sa_count(A.k, 0), 0);
}

static bool a_empty(struct node *a, struct node *b)
{
	(void)b;
	return fake_sa_count(a->k, 0) == 0 && a->downs > 0;
}

static void test_delete(void **state)
{
	(void)state;
	assert_int_equal(node_start(&A, RESPONDER("psk = x\n")), 0);
	assert_int_equal(node_start(&B, INITIATOR("psk = x\n")), 0);
	assert_true(run_until(&A, &B, 5000, both_up));
	ike_shutdown(B.ike);
	assert_true(run_until(&A, &B, 2000, a_empty));
	assert_int_equal(fake_peer_count(A.k), 0);
	assert_int_equal(A.downs, 1);
	assert_int_equal(A.last_down, IKE_DOWN_PEER_DELETE);
	assert_non_null(test_log_find("deleted by the peer"));
}

static bool two_pairs(struct node *a, struct node *b)
{
	return fake_sa_count(a->k, L2TPSEC_DIR_IN) == 2 &&
	       fake_sa_count(b->k, L2TPSEC_DIR_IN) == 2 &&
	       fake_sa_count(a->k, L2TPSEC_DIR_OUT) == 2 &&
	       fake_sa_count(b->k, L2TPSEC_DIR_OUT) == 2;
}

static bool one_pair(struct node *a, struct node *b)
{
	return fake_sa_count(a->k, L2TPSEC_DIR_IN) == 1 &&
	       fake_sa_count(b->k, L2TPSEC_DIR_IN) == 1 &&
	       fake_sa_count(a->k, L2TPSEC_DIR_OUT) == 1 &&
	       fake_sa_count(b->k, L2TPSEC_DIR_OUT) == 1;
}

static void test_rekey(void **state)
{
	struct fake_peer *pa, *pb;
	struct l2_event ev;
	uint32_t old_out_b, old_tx_a;
	unsigned int i;

	(void)state;
	assert_int_equal(node_start(&A, RESPONDER("psk = x\nrekey-grace = 500ms\n")), 0);
	assert_int_equal(node_start(&B, INITIATOR2("rekey-grace = 500ms\n", "psk = x\n")), 0);
	assert_true(run_until(&A, &B, 5000, both_up));
	pb = fake_peer_find(B.k, B.last_up);
	pa = fake_peer_find(A.k, A.last_up);
	assert_non_null(pb);
	old_out_b = pb->tx_spi;
	old_tx_a = pa->tx_spi;
	/* The module says the initiator's outbound SA is due. */
	memset(&ev, 0, sizeof(ev));
	ev.kind = L2TPSEC_EVENT_SA_SOFT_EXPIRE;
	ev.peer_id = pb->p.id;
	ev.spi = old_out_b;
	ev.dir = L2TPSEC_DIR_OUT;
	ike_kmod_event(B.ike, &ev);
	assert_true(run_until(&A, &B, 5000, two_pairs));
	check_keys();
	/* TX stays until the new inbound SA sees traffic. */
	assert_int_equal(pa->tx_spi, old_tx_a);
	for (i = 0; i < FAKE_MAX_SAS; i++) {
		struct fake_sa *s = &A.k->sas[i];

		if (s->used && s->dir == L2TPSEC_DIR_IN &&
		    !fake_sa_find(A.k, s->spi, L2TPSEC_DIR_IN)->rx_packets &&
		    s->spi != old_out_b) {
			memset(&ev, 0, sizeof(ev));
			ev.kind = L2TPSEC_EVENT_SA_FIRST_USE;
			ev.peer_id = pa->p.id;
			ev.spi = s->spi;
			ev.dir = L2TPSEC_DIR_IN;
			ike_kmod_event(A.ike, &ev);
		}
	}
	assert_int_not_equal(pa->tx_spi, old_tx_a);
	/* The old pair goes after the grace time, on both ends. */
	assert_true(run_until(&A, &B, 6000, one_pair));
	assert_int_not_equal(pb->tx_spi, old_out_b);
	check_keys();
	assert_int_equal(A.downs, 0);
	/* each end published the rekey, saying who started it */
	assert_int_equal(seen.n[L2_DEV_REKEY], 2);
	assert_non_null(strstr(seen.last_detail[L2_DEV_REKEY], "ESP SA pair rekeyed by"));
	assert_int_equal(seen.n[L2_DEV_IKE_FAIL] + seen.n[L2_DEV_FAILURE], 0);
}

static bool a_larval(struct node *a, struct node *b)
{
	(void)b;
	return fake_sa_count(a->k, L2TPSEC_DIR_IN) == 2 &&
	       fake_sa_count(a->k, L2TPSEC_DIR_OUT) == 1;
}

/*
 * The peer's first packet on a rekeyed pair reaches the module (and its
 * SA_FIRST_USE event reaches us) before its QM3: the responder's new pair
 * is still larval then. The event comes once; TX must move when QM3
 * completes the pair, not wait for the old pair to expire.
 */
static void test_rekey_first_use_before_qm3(void **state)
{
	struct fake_peer *pa, *pb;
	struct l2_event ev;
	uint32_t old_in_a = 0, new_in_a = 0, old_tx_a;
	unsigned int i;

	(void)state;
	assert_int_equal(node_start(&A, RESPONDER("psk = x\nrekey-grace = 500ms\n")), 0);
	assert_int_equal(node_start(&B, INITIATOR2("rekey-grace = 500ms\n", "psk = x\n")), 0);
	assert_true(run_until(&A, &B, 5000, both_up));
	pb = fake_peer_find(B.k, B.last_up);
	pa = fake_peer_find(A.k, A.last_up);
	assert_non_null(pa);
	assert_non_null(pb);
	old_tx_a = pa->tx_spi;
	for (i = 0; i < FAKE_MAX_SAS; i++)
		if (A.k->sas[i].used && A.k->sas[i].dir == L2TPSEC_DIR_IN)
			old_in_a = A.k->sas[i].spi;
	memset(&ev, 0, sizeof(ev));
	ev.kind = L2TPSEC_EVENT_SA_SOFT_EXPIRE;
	ev.peer_id = pb->p.id;
	ev.spi = pb->tx_spi;
	ev.dir = L2TPSEC_DIR_OUT;
	ike_kmod_event(B.ike, &ev);
	/* A answered QM1 (inbound SA larval), QM3 not yet processed. */
	assert_true(run_until(&A, &B, 5000, a_larval));
	for (i = 0; i < FAKE_MAX_SAS; i++)
		if (A.k->sas[i].used && A.k->sas[i].dir == L2TPSEC_DIR_IN &&
		    A.k->sas[i].spi != old_in_a)
			new_in_a = A.k->sas[i].spi;
	assert_int_not_equal(new_in_a, 0);
	memset(&ev, 0, sizeof(ev));
	ev.kind = L2TPSEC_EVENT_SA_FIRST_USE;
	ev.peer_id = pa->p.id;
	ev.spi = new_in_a;
	ev.dir = L2TPSEC_DIR_IN;
	ike_kmod_event(A.ike, &ev);
	assert_int_equal(pa->tx_spi, old_tx_a);
	/* QM3 arrives: the pair is complete and TX moves at once. */
	assert_true(run_until(&A, &B, 5000, two_pairs));
	assert_int_not_equal(pa->tx_spi, old_tx_a);
	assert_non_null(fake_sa_find(A.k, pa->tx_spi, L2TPSEC_DIR_OUT));
	assert_non_null(test_log_find("TX now on SA"));
	assert_true(run_until(&A, &B, 6000, one_pair));
	check_keys();
}

static bool a_icv96(struct node *a, struct node *b)
{
	unsigned int i, n = 0;

	(void)b;
	for (i = 0; i < FAKE_MAX_SAS; i++)
		n += a->k->sas[i].used && a->k->sas[i].icv_len == 12;
	return n == 2;
}

static void test_sha256_icv(void **state)
{
	unsigned int i;

	(void)state;
	assert_int_equal(node_start(&A, RESPONDER("psk = x\nesp = aes128-sha256\n")), 0);
	assert_int_equal(node_start(&B, INITIATOR("psk = x\nesp = aes128-sha256\n")), 0);
	assert_true(run_until(&A, &B, 5000, both_up));
	for (i = 0; i < FAKE_MAX_SAS; i++) {
		struct fake_sa *s = &A.k->sas[i];

		if (s->used) {
			assert_int_equal(s->icv_len, 16);
			if (s->dir == L2TPSEC_DIR_IN)
				s->malformed = 5;	/* a 96-bit peer, CBC */
		}
	}
	assert_true(run_until(&A, &B, 4000, a_icv96));
	assert_non_null(test_log_find("truncates HMAC-SHA256 to 96 bits"));
	/* The other end (its SA sees packets) keeps 128 bits. */
	for (i = 0; i < FAKE_MAX_SAS; i++)
		if (B.k->sas[i].used && B.k->sas[i].dir == L2TPSEC_DIR_IN)
			B.k->sas[i].rx_packets = 3;
	run_until(&A, &B, 1500, NULL);
	for (i = 0; i < FAKE_MAX_SAS; i++)
		if (B.k->sas[i].used)
			assert_int_equal(B.k->sas[i].icv_len, 16);
}

/*
 * Hard expiry without a rekey: the responder's pair expired (the peer did
 * not rekey), the initiator's means its own rekey did not complete; each
 * end tells L2TP its typed reason.
 */
static void test_hard_expiry_reasons(void **state)
{
	struct fake_peer *pa, *pb;
	struct l2_event ev;

	(void)state;
	assert_int_equal(node_start(&A, RESPONDER("psk = x\n")), 0);
	assert_int_equal(node_start(&B, INITIATOR("psk = x\n")), 0);
	assert_true(run_until(&A, &B, 5000, both_up));
	pa = fake_peer_find(A.k, A.last_up);
	pb = fake_peer_find(B.k, B.last_up);
	assert_non_null(pa);
	assert_non_null(pb);
	memset(&ev, 0, sizeof(ev));
	ev.kind = L2TPSEC_EVENT_SA_HARD_EXPIRE;
	ev.peer_id = pa->p.id;
	ev.spi = pa->tx_spi;
	ev.dir = L2TPSEC_DIR_OUT;
	ike_kmod_event(A.ike, &ev);
	assert_int_equal(A.downs, 1);
	assert_int_equal(A.last_down, IKE_DOWN_EXPIRED);
	assert_non_null(test_log_find("lifetime expired: the peer did not rekey"));
	ev.peer_id = pb->p.id;
	ev.spi = pb->tx_spi;
	ike_kmod_event(B.ike, &ev);
	assert_int_equal(B.downs, 1);
	assert_int_equal(B.last_down, IKE_DOWN_REKEY_FAILED);
	assert_non_null(test_log_find("our rekey at the soft lifetime did not complete"));
	/*
	 * Failure class 13 on both ends: who was to rekey, what was tried
	 * (the initiator never got its soft-expiry event here: nothing),
	 * how long ago the peer was heard, where to look.
	 */
	assert_non_null(test_log_find("rekey failed: the peer was to rekey ESP SA pair"));
	assert_non_null(test_log_find("no Quick Mode for it came within its 3600 s; the peer's last IKE message came "));
	assert_non_null(test_log_find("rekey failed: we were to rekey ESP SA pair"));
	assert_non_null(test_log_find("at its soft lifetime: no rekey started"));
	assert_non_null(test_log_find("check that the peer's UDP 500 and 4500 still reach this host after connect"));
	assert_non_null(failure_of(L2_FC_REKEY));
	assert_non_null(strstr(failure_of(L2_FC_REKEY)->fix, "UDP 500 and 4500"));
	assert_int_equal(seen.n[L2_DEV_FAILURE], 2);
}

/* Our rekey started and got no answer: what was tried, and how often. */
static void test_rekey_unanswered(void **state)
{
	struct fake_peer *pb;
	struct l2_event ev;
	uint32_t spi;

	(void)state;
	assert_int_equal(node_start(&A, RESPONDER("psk = x\n")), 0);
	assert_int_equal(node_start(&B, INITIATOR("psk = x\n")), 0);
	assert_true(run_until(&A, &B, 5000, both_up));
	pb = fake_peer_find(B.k, B.last_up);
	assert_non_null(pb);
	spi = pb->tx_spi;
	/* the responder is silent: its loop does not run */
	memset(&ev, 0, sizeof(ev));
	ev.kind = L2TPSEC_EVENT_SA_SOFT_EXPIRE;
	ev.peer_id = pb->p.id;
	ev.spi = spi;
	ev.dir = L2TPSEC_DIR_OUT;
	ike_kmod_event(B.ike, &ev);
	ev.kind = L2TPSEC_EVENT_SA_HARD_EXPIRE;
	ike_kmod_event(B.ike, &ev);
	assert_int_equal(B.last_down, IKE_DOWN_REKEY_FAILED);
	assert_non_null(test_log_find("rekey failed: we were to rekey ESP SA pair"));
	assert_non_null(test_log_find("a Quick Mode started 0 s before, 1 time, and no answer completed it"));
	assert_non_null(failure_of(L2_FC_REKEY));
}

/*
 * The module follows a peer: to a new port of the same address, a NAT
 * on the way lost its mapping (class 12, with the keepalive to set); to
 * another address, a plain rebinding. Both are events.
 */
static void test_float(void **state)
{
	struct fake_peer *pa;
	const struct l2_fail *f;
	struct l2_event ev;

	(void)state;
	assert_int_equal(node_start(&A, RESPONDER("psk = x\n")), 0);
	assert_int_equal(node_start(&B, INITIATOR("psk = x\n")), 0);
	assert_true(run_until(&A, &B, 5000, both_up));
	pa = fake_peer_find(A.k, A.last_up);
	assert_non_null(pa);
	memset(&ev, 0, sizeof(ev));
	ev.kind = L2TPSEC_EVENT_PEER_FLOAT;
	ev.peer_id = pa->p.id;
	ev.remote.s_addr = htonl(0x7f000002);
	ev.remote_port = 40001;
	ev.has = L2_HAS(L2TPSEC_A_EVENT_REMOTE_IPV4) |
		 L2_HAS(L2TPSEC_A_EVENT_REMOTE_PORT);
	ike_kmod_event(A.ike, &ev);
	assert_non_null(test_log_find("NAT mapping timeout: the peer moved from 127.0.0.2:" PORT " to 127.0.0.2:40001 (same address, new port)"));
	assert_non_null(test_log_find("set the client's NAT-T keepalive below the NAT's UDP timeout"));
	f = failure_of(L2_FC_NAT_TIMEOUT);
	assert_non_null(f);
	assert_int_equal(ntohs(f->peer.sin_port), 40001);
	assert_true(!strncmp(f->fix, "set the client's NAT-T keepalive", 32));
	assert_int_equal(seen.n[L2_DEV_PEER_FLOAT], 1);
	assert_int_equal(ntohs(seen.last_peer[L2_DEV_PEER_FLOAT].sin_port), 40001);
	assert_int_equal(seen.n[L2_DEV_FAILURE], 1);
	/* another address: a rebinding, no failure */
	test_log_clear();
	ev.remote.s_addr = htonl(0x7f000003);
	ike_kmod_event(A.ike, &ev);
	assert_null(test_log_find("NAT mapping timeout"));
	assert_non_null(test_log_find("moved from 127.0.0.2:40001 to 127.0.0.3:40001 (NAT rebinding)"));
	assert_int_equal(seen.n[L2_DEV_PEER_FLOAT], 2);
	assert_int_equal(seen.n[L2_DEV_FAILURE], 1);
}

static bool b_dead(struct node *a, struct node *b)
{
	(void)a;
	return b->downs > 0;
}

static void test_dpd(void **state)
{
	struct node dead;

	(void)state;
	assert_int_equal(node_start(&A, RESPONDER("psk = x\n")), 0);
	assert_int_equal(node_start(&B, INITIATOR2("dpd-delay = 1\ndpd-timeout = 2\n", "psk = x\n")), 0);
	assert_true(run_until(&A, &B, 5000, both_up));
	/* DPD keeps it up while the peer answers. */
	run_until(&A, &B, 2500, NULL);
	assert_int_equal(B.downs, 0);
	assert_non_null(test_log_find("DPD: R-U-THERE"));
	/* The responder goes silent: run B alone. */
	memset(&dead, 0, sizeof(dead));
	dead.loop = loop_new();
	assert_true(run_until(&dead, &B, 6000, b_dead));
	loop_free(dead.loop);
	assert_non_null(test_log_find("DPD: peer dead"));
	assert_int_equal(B.last_down, IKE_DOWN_DPD);
	assert_int_equal(fake_sa_count(B.k, 0), 0);
}

static void test_responder_lifetime(void **state)
{
	unsigned int i, n = 0;

	(void)state;
	assert_int_equal(node_start(&A, RESPONDER("psk = x\nipsec-lifetime = 600\n")), 0);
	assert_int_equal(node_start(&B, INITIATOR("psk = x\nipsec-lifetime = 3600\n")), 0);
	assert_true(run_until(&A, &B, 5000, both_up));
	assert_non_null(test_log_find("phase 2: the peer proposes 3600 s; RESPONDER-LIFETIME 600 s"));
	assert_non_null(test_log_find("phase 2: RESPONDER-LIFETIME: 600 s"));
	/* Both ends hold the SAs for 600 s; the initiator rekeys before. */
	for (i = 0; i < FAKE_MAX_SAS; i++) {
		if (A.k->sas[i].used) {
			assert_int_equal(A.k->sas[i].hard_seconds, 600);
			assert_int_equal(A.k->sas[i].soft_seconds, 0);
			n++;
		}
		if (B.k->sas[i].used) {
			assert_int_equal(B.k->sas[i].hard_seconds, 600);
			assert_true(B.k->sas[i].soft_seconds > 0 &&
				    B.k->sas[i].soft_seconds < 600);
			n++;
		}
	}
	assert_int_equal(n, 4);
}

static bool two_p1(struct node *a, struct node *b)
{
	(void)a;
	(void)b;
	return test_log_count("phase 1 established as initiator") >= 2 &&
	       test_log_count("ISAKMP SA") >= 2;
}

/* The initiator renews phase 1 before it expires; the ESP SAs stay. */
static void test_p1_rekey(void **state)
{
	struct ike_counters ca, cb;

	(void)state;
	assert_int_equal(node_start(&A, RESPONDER("psk = x\nmin-lifetime = 1\n")), 0);
	assert_int_equal(node_start(&B, INITIATOR("psk = x\nlifetime = 3\n")), 0);
	assert_true(run_until(&A, &B, 5000, both_up));
	if (!run_until(&A, &B, 8000, two_p1))
		test_log_dump();
	assert_true(two_p1(&A, &B));
	assert_non_null(test_log_find("phase 1: rekeying before expiry"));
	run_until(&A, &B, 1500, NULL);
	ike_get_counters(A.ike, &ca);
	ike_get_counters(B.ike, &cb);
	/* One ISAKMP SA left each side (the old one deleted), one ESP pair. */
	assert_int_equal(cb.ike_sas, 1);
	assert_int_equal(ca.ike_sas, 1);
	assert_int_equal(fake_sa_count(A.k, L2TPSEC_DIR_IN), 1);
	assert_int_equal(fake_sa_count(B.k, L2TPSEC_DIR_IN), 1);
	assert_int_equal(A.downs + B.downs, 0);
}

static bool many_up(struct node *a, struct node *b)
{
	struct ike_counters c;

	(void)b;
	ike_get_counters(a->ike, &c);
	return c.p1_established >= 11 && c.p2_established >= 11;
}

/* Many ISAKMP SAs and ESP pairs from one address (a load generator, or
 * re-connecting clients), then both ends go away. */
static void test_many_from_one_address(void **state)
{
	struct ike_counters c;
	int i;

	(void)state;
	assert_int_equal(node_start(&A, RESPONDER("psk = x\n")), 0);
	assert_int_equal(node_start(&B, INITIATOR2("initial-contact = no\n", "psk = x\n")), 0);
	for (i = 0; i < 11; i++)
		assert_int_equal(mm_initiate(B.ike, B.ike->conf.peers, NULL), 0);
	run_until(&A, &B, 8000, NULL);
	/* Quick Mode for those that did not start one (a child existed). */
	{
		struct ike_sa *sa;

		for (sa = B.ike->sas; sa; sa = sa->lnext)
			if (sa->state == P1_ESTABLISHED && !sa->qms)
				qm_initiate(sa, NULL);
	}
	if (!run_until(&A, &B, 10000, many_up))
		test_log_dump();
	ike_get_counters(A.ike, &c);
	assert_true(c.p1_established >= 11);
	assert_true(c.p2_established >= 11);
	/* One module peer for all of them. */
	assert_int_equal(fake_peer_count(A.k), 1);
	ike_shutdown(B.ike);
	run_until(&A, &B, 1000, NULL);
	assert_int_equal(fake_sa_count(A.k, 0), 0);
	ike_get_counters(A.ike, &c);
	assert_int_equal(c.ike_sas, 0);
	/* and the other way round */
	node_stop(&B);
	assert_int_equal(node_start(&B, INITIATOR2("initial-contact = no\n", "psk = x\n")), 0);
	for (i = 0; i < 5; i++)
		assert_int_equal(mm_initiate(B.ike, B.ike->conf.peers, NULL), 0);
	run_until(&A, &B, 6000, NULL);
	ike_shutdown(A.ike);
	run_until(&A, &B, 1000, NULL);
}

static void test_silent_peer(void **state)
{
	const struct ike_failure *f;
	struct node none;

	(void)state;
	/* Nobody on 127.0.0.1: the initiator names it. */
	assert_int_equal(node_start(&B, INITIATOR("psk = x\n")), 0);
	memset(&none, 0, sizeof(none));
	none.loop = loop_new();
	run_until(&none, &B, 20000, b_failed);
	loop_free(none.loop);
	assert_int_equal(ike_failures(B.ike, &f), 1);
	assert_int_equal(f[0].kind, IKE_FAIL_SILENT);
	assert_non_null(test_log_find("phase 1: peer silent: no answer to our first message after 3 tries"));
}

/*
 * A client behind a NAT: NAT-D found it after message 3, both announced
 * NAT-T, and message 5 never comes (UDP 4500 blocked on its way to us).
 * The timeout names the NAT-T float, not a generic silence.
 */
static void test_nat_no_float(void **state)
{
	struct sockaddr_in peer = {
		.sin_family = AF_INET, .sin_port = htons(4321),
		.sin_addr.s_addr = htonl(0x7f000009),
	};
	const struct ike_failure *f;
	struct ike_sa *sa;

	(void)state;
	assert_int_equal(node_start(&A, RESPONDER("psk = x\n")), 0);
	sa = ike_sa_new(A.ike, false, &peer, NULL);
	assert_non_null(sa);
	sa->state = P1_R_MM4;
	sa->natt_rfc = true;
	sa->nat_remote = true;
	p1_timeout(sa);
	assert_int_equal(ike_failures(A.ike, &f), 1);
	assert_int_equal(f[0].kind, IKE_FAIL_NAT);
	assert_string_equal(f[0].text,
			    "phase 1: NAT detected but the peer does not float to NAT-T: nothing came on UDP " NPORT " after our message 4: is UDP " NPORT " from the peer to us blocked?");
	assert_non_null(test_log_find("ike 127.0.0.9:4321: phase 1: NAT detected but the peer does not float to NAT-T"));

	/* Without a NAT it is the client giving up, not NAT-T. */
	peer.sin_addr.s_addr = htonl(0x7f00000a);
	sa = ike_sa_new(A.ike, false, &peer, NULL);
	assert_non_null(sa);
	sa->state = P1_R_MM4;
	sa->natt_rfc = true;
	p1_timeout(sa);
	assert_int_equal(ike_failures(A.ike, &f), 2);
	assert_int_equal(f[f[0].peer.sin_addr.s_addr == peer.sin_addr.s_addr ?
			   0 : 1].kind, IKE_FAIL_SILENT);
	assert_non_null(test_log_find("ike 127.0.0.10:4321: phase 1: peer silent after message 4 (key exchange)"));
	assert_int_equal(A.ike->cnt.ike_sas, 0);
}

/* ---- Aggressive Mode ------------------------------------------------------ */

static void test_am_ok(void **state)
{
	(void)state;
	assert_int_equal(node_start(&A, RESPONDER("psk = s3cret\naggressive = yes\n")), 0);
	assert_int_equal(node_start(&B, INITIATOR("psk = s3cret\naggressive = yes\n")), 0);
	if (!run_until(&A, &B, 5000, both_up))
		test_log_dump();
	assert_true(both_up(&A, &B));
	check_keys();
	assert_int_equal(A.ups, 1);
	assert_int_equal(B.ups, 1);
	assert_non_null(test_log_find("ike: aggressive = yes: Aggressive Mode with pre-shared keys is accepted: it sends a hash of the pre-shared key to anyone who asks"));
	assert_non_null(test_log_find("ike: [peer a] aggressive = yes: we initiate Aggressive Mode"));
	assert_non_null(test_log_find("phase 1: initiating Aggressive Mode ([peer a], pre-shared key)"));
	assert_non_null(test_log_find("phase 1 established as responder"));
	assert_non_null(test_log_find("phase 1 established as initiator"));
	assert_non_null(test_log_find("ESP SA pair up"));
}

/* Two [peer]s on one address, told apart by the ID of AM1 alone. */
static void test_am_psk_by_id(void **state)
{
	(void)state;
	assert_int_equal(node_start(&A, RESPONDER("aggressive = yes\n"
		"[peer one]\nremote = 127.0.0.0/8\nid = fqdn:one.example\npsk = first\n"
		"[peer two]\nremote = 127.0.0.0/8\nid = fqdn:two.example\npsk = second\n")), 0);
	assert_int_equal(node_start(&B, INITIATOR("psk = second\naggressive = yes\n"
		"local-id = fqdn:two.example\n")), 0);
	if (!run_until(&A, &B, 5000, both_up))
		test_log_dump();
	assert_true(both_up(&A, &B));
	check_keys();
	assert_non_null(test_log_find("AM1 from ID two.example: [peer two]"));
}

static bool both_failed(struct node *a, struct node *b)
{
	return a_failed(a, b) && b_failed(a, b);
}

static void test_am_wrong_psk(void **state)
{
	const struct ike_failure *f;

	(void)state;
	assert_int_equal(node_start(&A, RESPONDER("psk = right\naggressive = yes\n")), 0);
	assert_int_equal(node_start(&B, INITIATOR("psk = wrong\naggressive = yes\n")), 0);
	run_until(&A, &B, 3000, both_failed);
	run_until(&A, &B, 300, NULL);
	/* The initiator checks HASH_R first, and tells the responder. */
	assert_int_equal(ike_failures(B.ike, &f), 1);
	assert_int_equal(f[0].kind, IKE_FAIL_PSK);
	assert_non_null(test_log_find(
		"ike 127.0.0.1:" PORT ": phase 1: pre-shared key mismatch: the peer's HASH_R does not verify; check the PSK configured for this peer ([peer a])"));
	assert_int_equal(ike_failures(A.ike, &f), 1);
	assert_int_equal(f[0].kind, IKE_FAIL_PSK);
	assert_non_null(test_log_find(
		"ike 127.0.0.2:" PORT ": phase 1: pre-shared key mismatch: the peer answers our Aggressive Mode message 2 with INVALID-HASH-INFORMATION (it cannot verify our HASH_R); check the PSK configured for this peer"));
	assert_int_equal(fake_sa_count(A.k, 0), 0);
	assert_int_equal(A.ike->cnt.ike_sas, 0);
}

static void test_am_unknown_id(void **state)
{
	const struct ike_failure *f;

	(void)state;
	assert_int_equal(node_start(&A, RESPONDER("psk = x\naggressive = yes\n"
		"[peer c]\nremote = 127.0.0.2\nid = fqdn:expected.example\n")), 0);
	assert_int_equal(node_start(&B, INITIATOR("psk = x\naggressive = yes\n"
		"local-id = fqdn:other.example\n")), 0);
	run_until(&A, &B, 3000, both_failed);
	run_until(&A, &B, 300, NULL);
	assert_int_equal(ike_failures(A.ike, &f), 1);
	assert_int_equal(f[0].kind, IKE_FAIL_ID);
	assert_string_equal(f[0].text,
		"phase 1: unknown or mismatched ID: the peer says it is other.example (ID_FQDN), [peer c] expects fqdn:expected.example");
	assert_int_equal(ike_failures(B.ike, &f), 1);
	assert_int_equal(f[0].kind, IKE_FAIL_ID);
	assert_non_null(test_log_find(
		"ike 127.0.0.1:" PORT ": phase 1: mismatched ID: the peer refuses our ID (INVALID-ID-INFORMATION)"));
	assert_int_equal(A.ike->cnt.ike_sas, 0);
	assert_int_equal(fake_sa_count(A.k, 0), 0);
}

static void test_am_refused(void **state)
{
	const struct ike_failure *f;

	(void)state;
	assert_int_equal(node_start(&A, RESPONDER("psk = x\n")), 0);
	assert_int_equal(node_start(&B, INITIATOR("psk = x\naggressive = yes\n")), 0);
	run_until(&A, &B, 3000, both_failed);
	run_until(&A, &B, 300, NULL);
	assert_int_equal(ike_failures(A.ike, &f), 1);
	assert_int_equal(f[0].kind, IKE_FAIL_AGGRESSIVE);
	assert_non_null(test_log_find(
		"ike 127.0.0.2:" PORT ": phase 1: Aggressive Mode refused: it sends a hash of the pre-shared key to anyone who asks (offline guessing); configure the client for Main Mode or, accepting the risk, set aggressive = yes in [ike]"));
	assert_null(test_log_find("aggressive = yes: Aggressive Mode with pre-shared keys is accepted"));
	assert_int_equal(ike_failures(B.ike, &f), 1);
	assert_int_equal(f[0].kind, IKE_FAIL_NO_PROPOSAL);
	assert_int_equal(A.ike->cnt.ike_sas, 0);
}

/* recv one datagram from @fd within @ms. */
static ssize_t recv_wait(int fd, uint8_t *buf, size_t len, int ms)
{
	ssize_t n;
	int i;

	for (i = 0; i < ms; i++) {
		n = recv(fd, buf, len, MSG_DONTWAIT);
		if (n >= 0)
			return n;
		usleep(1000);
	}
	return -1;
}

static void test_am_duplicate_first(void **state)
{
	struct sockaddr_in from = {
		.sin_family = AF_INET, .sin_port = htons(atoi(PORT)),
		.sin_addr.s_addr = htonl(0x7f000002),
	};
	struct sockaddr_in to = {
		.sin_family = AF_INET, .sin_port = htons(atoi(PORT)),
		.sin_addr.s_addr = htonl(0x7f000001),
	};
	static uint8_t r1[IKE_MAX_MSG], r2[IKE_MAX_MSG];
	struct ike_sa *bsa = NULL, *asa;
	ssize_t n1, n2;

	(void)state;
	assert_int_equal(node_start(&A, RESPONDER("psk = x\naggressive = yes\n")), 0);
	assert_int_equal(node_start(&B, INITIATOR("psk = x\naggressive = yes\n")), 0);
	/* Neither loop runs: AM1 is fed to A by hand, twice. */
	assert_int_equal(mm_initiate(B.ike, B.ike->conf.peers, &bsa), 0);
	assert_non_null(bsa);
	assert_int_equal(bsa->state, P1_I_AM1);
	assert_non_null(bsa->tx.pkt);
	ike_input(A.ike, bsa->tx.pkt, bsa->tx.len, &from, &to, false);
	assert_int_equal(A.ike->cnt.ike_sas, 1);
	asa = A.ike->sas;
	assert_int_equal(asa->state, P1_R_AM2);
	ike_input(A.ike, bsa->tx.pkt, bsa->tx.len, &from, &to, false);
	assert_int_equal(A.ike->cnt.ike_sas, 1);
	assert_int_equal(asa->dup_first, 1);
	assert_int_equal(A.ike->cnt.dup_rx, 1);
	/* Both answers reached B's socket (behind the AM1 B sent itself). */
	n1 = recv_wait(B.ike->fd, r1, sizeof(r1), 1000);
	n2 = recv_wait(B.ike->fd, r2, sizeof(r2), 1000);
	assert_true(n1 > 0);
	assert_int_equal(n1, n2);
	assert_memory_equal(r1, r2, (size_t)n1);
	assert_int_equal(r1[18], ISAKMP_XCHG_AGGRESSIVE);
	assert_memory_equal(r1 + 8, asa->rcky, 8);
	/* The answer completes B's side, and B's AM3 completes A's. */
	if (!run_until(&A, &B, 5000, both_up))
		test_log_dump();
	assert_true(both_up(&A, &B));
}

/*
 * AM1 and AM2 by hand between the two instances, then an AM3 in clear
 * (strongSwan accepts it, some clients send it) built from the
 * initiator's keys: @flip spoils its HASH_I.
 */
static void am_plain_third(bool flip)
{
	struct sockaddr_in ia = {
		.sin_family = AF_INET, .sin_port = htons(atoi(PORT)),
		.sin_addr.s_addr = htonl(0x7f000002),
	};
	struct sockaddr_in ra = {
		.sin_family = AF_INET, .sin_port = htons(atoi(PORT)),
		.sin_addr.s_addr = htonl(0x7f000001),
	};
	static uint8_t r1[IKE_MAX_MSG];
	struct ike_sa *bsa = NULL, *asa;
	struct ike_buf b;
	ssize_t n;

	assert_int_equal(node_start(&A, RESPONDER("psk = x\naggressive = yes\n")), 0);
	assert_int_equal(node_start(&B, INITIATOR("psk = x\naggressive = yes\n")), 0);
	assert_int_equal(mm_initiate(B.ike, B.ike->conf.peers, &bsa), 0);
	ike_input(A.ike, bsa->tx.pkt, bsa->tx.len, &ia, &ra, false);
	asa = A.ike->sas;
	assert_non_null(asa);
	n = recv_wait(B.ike->fd, r1, sizeof(r1), 1000);
	assert_true(n > 0);
	ike_input(B.ike, r1, (size_t)n, &ra, &ia, false);
	assert_int_equal(bsa->state, P1_ESTABLISHED);

	ike_buf_init(&b);
	p1_hdr(bsa, &b, ISAKMP_XCHG_AGGRESSIVE);
	assert_int_equal(p1_add_auth(bsa, &b, false), 0);
	ike_buf_finish(&b);
	assert_false(b.err);
	if (flip)
		b.data[b.len - 1] ^= 1;
	ike_input(A.ike, b.data, b.len, &ia, &ra, false);
	ike_buf_free(&b);
}

static void test_am_plain_third(void **state)
{
	const struct ike_failure *f;

	(void)state;
	am_plain_third(false);
	assert_int_equal(A.ike->sas->state, P1_ESTABLISHED);
	assert_non_null(test_log_find("phase 1 established as responder"));
	assert_int_equal(ike_failures(A.ike, &f), 0);
}

static void test_am_wrong_hash_i(void **state)
{
	const struct ike_failure *f;

	(void)state;
	am_plain_third(true);
	assert_int_equal(ike_failures(A.ike, &f), 1);
	assert_int_equal(f[0].kind, IKE_FAIL_PSK);
	assert_string_equal(f[0].text,
		"phase 1: pre-shared key mismatch: the peer's HASH_I does not verify; check the PSK configured for this peer");
	assert_null(test_log_find("phase 1 established as responder"));
}

/* No AM3 after our AM2, and no repeated AM1: most likely a wrong PSK. */
static void test_am_silent_after_reply(void **state)
{
	struct sockaddr_in peer = {
		.sin_family = AF_INET, .sin_port = htons(500),
		.sin_addr.s_addr = htonl(0x7f000009),
	};
	const struct ike_failure *f;
	struct ike_sa *sa;

	(void)state;
	assert_int_equal(node_start(&A, RESPONDER("psk = x\naggressive = yes\n")), 0);
	sa = ike_sa_new(A.ike, false, &peer, NULL);
	assert_non_null(sa);
	sa->pc = &A.ike->conf.defpeer;
	sa->state = P1_R_AM2;
	p1_timeout(sa);
	assert_int_equal(ike_failures(A.ike, &f), 1);
	assert_int_equal(f[0].kind, IKE_FAIL_PSK);
	assert_string_equal(f[0].text,
			    "phase 1: no Aggressive Mode message 3 after our answer: most likely a pre-shared key mismatch (the peer cannot verify our HASH_R); check the PSK configured for this peer");
	assert_int_equal(A.ike->cnt.ike_sas, 0);
}

/* ---- replay and deletes ------------------------------------------------- */

static struct ike_sa *established(struct ike *ike)
{
	struct ike_sa *sa;

	for (sa = ike->sas; sa; sa = sa->lnext)
		if (sa->state == P1_ESTABLISHED && !sa->deleting)
			return sa;
	return NULL;
}

/*
 * A captured Quick Mode message 1, replayed once the responder forgot the
 * exchange (after QM_KEEP_MS), must not install another inbound SA.
 */
static void test_qm_replay(void **state)
{
	struct sockaddr_in from = {
		.sin_family = AF_INET, .sin_port = htons(atoi(PORT)),
		.sin_addr.s_addr = htonl(0x7f000002),
	};
	struct sockaddr_in to = {
		.sin_family = AF_INET, .sin_port = htons(atoi(PORT)),
		.sin_addr.s_addr = htonl(0x7f000001),
	};
	static uint8_t qm1[IKE_MAX_MSG];
	struct ike_sa *bsa, *asa;
	struct ike_qm *qm;
	size_t qm1_len;
	unsigned int in, i;

	(void)state;
	assert_int_equal(node_start(&A, RESPONDER("psk = x\n")), 0);
	assert_int_equal(node_start(&B, INITIATOR("psk = x\n")), 0);
	assert_true(run_until(&A, &B, 5000, both_up));
	bsa = established(B.ike);
	asa = established(A.ike);
	assert_non_null(bsa);
	assert_non_null(asa);
	/* A second Quick Mode; its first message captured on the way. */
	assert_int_equal(qm_initiate(bsa, NULL), 0);
	qm = bsa->qms;
	assert_non_null(qm);
	assert_int_equal(qm->state, QM_I1);
	qm1_len = qm->tx.len;
	memcpy(qm1, qm->tx.pkt, qm1_len);
	assert_true(run_until(&A, &B, 5000, two_pairs));
	/* The responder forgets the finished exchange (QM_KEEP_MS). */
	for (qm = asa->qms; qm; qm = qm->next)
		loop_timer_arm(qm->timer, 0);
	run_until(&A, &B, 100, NULL);
	assert_null(asa->qms);
	in = fake_sa_count(A.k, L2TPSEC_DIR_IN);
	for (i = 0; i < 3; i++)
		ike_input(A.ike, qm1, qm1_len, &from, &to, false);
	assert_int_equal(fake_sa_count(A.k, L2TPSEC_DIR_IN), in);
	assert_null(asa->qms);
	assert_int_equal(test_log_count("replayed Quick Mode message 1"), 1);
	assert_non_null(test_log_find("ike 127.0.0.2:" PORT ": phase 2: replayed Quick Mode message 1 (message ID 0x"));
}

/*
 * Behind a shared NAT, one client must not delete another's ISAKMP SA:
 * a DELETE only counts for SAs of the peer's address and port.
 */
static void test_delete_other_port(void **state)
{
	struct sockaddr_in other = {
		.sin_family = AF_INET, .sin_port = htons(4444),
		.sin_addr.s_addr = htonl(0x7f000002),
	};
	struct ike_sa *bsa, *victim;
	uint8_t spi[16];

	(void)state;
	assert_int_equal(node_start(&A, RESPONDER("psk = x\n")), 0);
	assert_int_equal(node_start(&B, INITIATOR("psk = x\n")), 0);
	assert_true(run_until(&A, &B, 5000, both_up));
	bsa = established(B.ike);
	assert_non_null(bsa);
	/* Another client at the same address, another port. */
	victim = ike_sa_new(A.ike, false, &other, NULL);
	assert_non_null(victim);
	memset(victim->icky, 0xab, 8);
	memset(victim->rcky, 0xcd, 8);
	ike_sa_hash(victim);
	victim->state = P1_ESTABLISHED;
	A.ike->half_open--;
	memcpy(spi, victim->icky, 8);
	memcpy(spi + 8, victim->rcky, 8);
	assert_int_equal(info_send_delete(bsa, PROTO_ISAKMP, spi, 16), 0);
	run_until(&A, &B, 300, NULL);
	assert_ptr_equal(ike_sa_find(A.ike, spi, spi + 8), victim);
	assert_non_null(test_log_find("DELETE for an ISAKMP SA of another peer (127.0.0.2:4444)"));
	/* Its own SA it may delete. */
	assert_int_equal(A.downs, 0);
}

/* ---- what one peer may open -------------------------------------------- */

/* Quick Modes over the life of one ISAKMP SA. */
static void test_qm_per_sa_limit(void **state)
{
	struct ike_sa *bsa, *asa;

	(void)state;
	assert_int_equal(node_start(&A, RESPONDER("psk = x\nmax-quick-modes-per-sa = 3\n")), 0);
	assert_int_equal(node_start(&B, INITIATOR("psk = x\n")), 0);
	assert_true(run_until(&A, &B, 5000, both_up));
	bsa = established(B.ike);
	asa = established(A.ike);
	assert_non_null(bsa);
	assert_non_null(asa);
	assert_int_equal(qm_initiate(bsa, NULL), 0);
	assert_int_equal(qm_initiate(bsa, NULL), 0);
	run_until(&A, &B, 1000, NULL);
	assert_int_equal(asa->n_qm_ids, 3);
	assert_int_equal(fake_sa_count(A.k, L2TPSEC_DIR_IN), 3);
	assert_null(test_log_find("max-quick-modes-per-sa"));
	assert_int_equal(qm_initiate(bsa, NULL), 0);
	run_until(&A, &B, 500, NULL);
	assert_int_equal(fake_sa_count(A.k, L2TPSEC_DIR_IN), 3);
	assert_non_null(test_log_find("ike 127.0.0.2:" PORT ": phase 2: 3 Quick Modes on this ISAKMP SA (max-quick-modes-per-sa 3): refused; the client must renew phase 1"));
}

/* Quick Modes waiting for their third message, on one ISAKMP SA. */
static void test_qm_in_progress_limit(void **state)
{
	struct ike_sa *bsa, *asa;
	struct ike_qm *q;
	unsigned int i, busy = 0;

	(void)state;
	assert_int_equal(node_start(&A, RESPONDER("psk = x\nmax-quick-modes-in-progress = 2\n")), 0);
	assert_int_equal(node_start(&B, INITIATOR("psk = x\n")), 0);
	assert_true(run_until(&A, &B, 5000, both_up));
	bsa = established(B.ike);
	asa = established(A.ike);
	assert_non_null(asa);
	for (i = 0; i < 4; i++)
		assert_int_equal(qm_initiate(bsa, NULL), 0);
	/* Only A runs: B never sends the third messages. */
	for (i = 0; i < 40; i++)
		loop_run_once(A.loop, 5);
	for (q = asa->qms; q; q = q->next)
		busy += !q->initiator && q->state == QM_R2;
	assert_int_equal(busy, 2);
	assert_non_null(test_log_find("phase 2: 2 Quick Modes in progress on this ISAKMP SA (max-quick-modes-in-progress 2): message 1 dropped"));
}

static bool two_established(struct node *a, struct node *b)
{
	struct ike_counters c;

	(void)b;
	ike_get_counters(a->ike, &c);
	return c.p1_established >= 2;
}

/* Established ISAKMP SAs with one address. */
static void test_isakmp_per_address_limit(void **state)
{
	struct ike_counters c;
	int i;

	(void)state;
	assert_int_equal(node_start(&A, RESPONDER("psk = x\nmax-isakmp-per-address = 2\n")), 0);
	assert_int_equal(node_start(&B, INITIATOR2("initial-contact = no\n", "psk = x\n")), 0);
	assert_int_equal(mm_initiate(B.ike, B.ike->conf.peers, NULL), 0);
	assert_int_equal(mm_initiate(B.ike, B.ike->conf.peers, NULL), 0);
	assert_true(run_until(&A, &B, 5000, two_established));
	for (i = 0; i < 3; i++)
		assert_int_equal(mm_initiate(B.ike, B.ike->conf.peers, NULL), 0);
	run_until(&A, &B, 1500, NULL);
	ike_get_counters(A.ike, &c);
	assert_int_equal(c.p1_established, 2);
	assert_non_null(test_log_find("ike 127.0.0.2:" PORT ": phase 1: 2 ISAKMP SAs with this address (max-isakmp-per-address 2): first message dropped"));
}

/* ---- reload (issue 14 item 4) --------------------------------------------- */

/* SIGHUP's IKE half: a new file into a configuration of its own. */
static int node_reload(struct node *n, const char *conf)
{
	struct config_loader *ld = config_loader_new();
	struct ike_conf *nc = ike_conf_new();
	struct ike_reload *r;
	int ret = -1;

	assert_non_null(ld);
	assert_non_null(nc);
	ike_conf_register(ld, nc);
	if (!config_load_string(ld, "test.conf", scaled_conf(conf))) {
		r = ike_reload_prepare(n->ike, nc);
		if (r) {
			ike_reload_commit(n->ike, r);
			ret = 0;
		}
	}
	config_loader_free(ld);
	ike_conf_destroy(nc);
	return ret;
}

/*
 * A reload with a new PSK (and proposals) keeps the established SAs: no
 * peer_down, the same SAs in the module, DPD still answered. A new phase
 * 1 with the old key is refused, with the new one accepted. A port
 * change is named as needing a restart and the socket stays. A reload
 * that removes the initiator's [peer] keeps its SA too. Before reload.c
 * a SIGHUP did not touch IKE at all: the new key was refused (failed
 * here at the second phase 1).
 */
static void test_reload_psk_keeps_sa(void **state)
{
	const struct ike_failure *f;
	struct ike_counters c;
	uint32_t spi;
	unsigned int i;

	(void)state;
	assert_int_equal(node_start(&A, RESPONDER("psk = old\ndpd-delay = 1\n")), 0);
	assert_int_equal(node_start(&B, INITIATOR2("dpd-delay = 1\n", "psk = old\n")), 0);
	assert_true(run_until(&A, &B, 5000, both_up));
	spi = 0;
	for (i = 0; i < FAKE_MAX_SAS; i++)
		if (A.k->sas[i].used && A.k->sas[i].dir == L2TPSEC_DIR_IN)
			spi = A.k->sas[i].spi;
	assert_int_not_equal(spi, 0);
	/* the file is checked first: a broken one changes nothing */
	assert_int_equal(node_reload(&A, RESPONDER("psk = new\nesp = aes128-nonsense\n")), -1);
	assert_int_equal(node_reload(&A, "[ike]\nlisten = 127.0.0.1\nport = 15600\nnatt-port = " NPORT "\n"
				     "retransmit-timeout = 1s\nretransmit-tries = 2\n"
				     "psk = new\ndpd-delay = 1\nesp = aes256-sha1, aes128-sha1\n"), 0);
	assert_non_null(test_log_find("reload: [ike] port changed; needs a restart (systemctl restart l2tpsecd)"));
	assert_int_equal(A.ike->conf.port, 15500);
	/* nothing went down; DPD keeps running over the old keys */
	run_until(&A, &B, 3000, NULL);
	assert_int_equal(A.downs, 0);
	assert_int_equal(B.downs, 0);
	assert_non_null(fake_sa_find(A.k, spi, L2TPSEC_DIR_IN));
	/* a new phase 1 with the old key: refused */
	assert_int_equal(mm_initiate(B.ike, B.ike->conf.peers, NULL), 0);
	run_until(&A, &B, 3000, a_failed);
	assert_int_equal(ike_failures(A.ike, &f), 1);
	assert_int_equal(f[0].kind, IKE_FAIL_PSK);
	/* the initiator learns the new key: accepted */
	assert_int_equal(node_reload(&B, INITIATOR2("dpd-delay = 1\n", "psk = new\n")), 0);
	assert_int_equal(mm_initiate(B.ike, B.ike->conf.peers, NULL), 0);
	assert_true(run_until(&A, &B, 5000, two_established));
	ike_get_counters(A.ike, &c);
	assert_int_equal(c.p1_established, 2);
	assert_int_equal(A.downs, 0);
	assert_non_null(fake_sa_find(A.k, spi, L2TPSEC_DIR_IN));
	/* [peer a] removed on the initiator: its SAs stay */
	assert_int_equal(node_reload(&B, "[ike]\nlisten = 127.0.0.2\nport = " PORT "\nnatt-port = " NPORT "\n"
				     "retransmit-timeout = 1s\nretransmit-tries = 2\ndpd-delay = 1\n"), 0);
	assert_non_null(test_log_find("reload: [peer a] removed: its SAs stay up until they end; no new negotiation uses it"));
	run_until(&A, &B, 3000, NULL);
	assert_int_equal(A.downs, 0);
	assert_int_equal(B.downs, 0);
	assert_non_null(fake_sa_find(A.k, spi, L2TPSEC_DIR_IN));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_psk_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(test_each_algorithm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_psk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_proposal_p1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_proposal_p2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rekey, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rekey_first_use_before_qm3, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sha256_icv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hard_expiry_reasons, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rekey_unanswered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_float, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dpd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_responder_lifetime, setup, teardown),
		cmocka_unit_test_setup_teardown(test_p1_rekey, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_from_one_address, setup, teardown),
		cmocka_unit_test_setup_teardown(test_silent_peer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nat_no_float, setup, teardown),
		cmocka_unit_test_setup_teardown(test_am_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(test_am_psk_by_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_am_wrong_psk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_am_unknown_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_am_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_am_duplicate_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_am_silent_after_reply, setup, teardown),
		cmocka_unit_test_setup_teardown(test_am_plain_third, setup, teardown),
		cmocka_unit_test_setup_teardown(test_am_wrong_hash_i, setup, teardown),
		cmocka_unit_test_setup_teardown(test_qm_replay, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete_other_port, setup, teardown),
		cmocka_unit_test_setup_teardown(test_qm_per_sa_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_qm_in_progress_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_isakmp_per_address_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_psk_keeps_sa, setup, teardown),
	};

	test_private_netns();
	return cmocka_run_group_tests_name("ike_exchange", tests, NULL, NULL);
}
