// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: decoding kernel answers (built here the way the module
 * builds them) and printing them, as text and as JSON.
 */
#include <arpa/inet.h>

#include "helpers.h"
#include "json.h"
#include "objects.h"
#include "print.h"

/* A kernel-style message: genl header, then attributes. */
static struct nl_msg *reply(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	assert_non_null(msg);
	assert_non_null(genlmsg_put(msg, 0, 1, 0x20, 0, NLM_F_MULTI, cmd,
				    L2TPSEC_FAMILY_VERSION));
	return msg;
}

/* Counters: value i * 10 + 1 for counter i, with a PAD as the kernel puts. */
static void put_stats(struct nl_msg *msg, int attr)
{
	struct nlattr *nest = nla_nest_start(msg, attr);
	int i;

	assert_non_null(nest);
	assert_int_equal(nla_put(msg, L2TPSEC_A_STATS_PAD, 0, NULL), 0);
	for (i = L2TPSEC_A_STATS_RX_PACKETS; i <= L2TPSEC_A_STATS_MAX; i++)
		assert_int_equal(nla_put_u64(msg, i, (uint64_t)i * 10 + 1), 0);
	nla_nest_end(msg, nest);
}

static void put_ipv4(struct nl_msg *msg, int attr, const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	assert_int_equal(nla_put(msg, attr, 4, &a.s_addr), 0);
}

struct mem {
	char	*buf;
	size_t	len;
	FILE	*f;
};

static void mem_open(struct mem *m)
{
	m->buf = NULL;
	m->len = 0;
	m->f = open_memstream(&m->buf, &m->len);
	assert_non_null(m->f);
}

static char *mem_close(struct mem *m)
{
	fclose(m->f);
	return m->buf;
}

#define STATS_TEXT \
	"\trx: 21 packets 31 bytes  tx: 41 packets 51 bytes\n" \
	"\tdrops: replay 61 icv 71 malformed 81 no-session 91 no-sa 101 " \
	"tx-errors 111 expired 121 no-route 131 frames-lost 141 " \
	"inner-source 151 crypto-backlog 161 nomem 171 frame-rate 181\n"

#define STATS_JSON \
	"{\"rx_packets\":21,\"rx_bytes\":31,\"tx_packets\":41," \
	"\"tx_bytes\":51,\"replay_drops\":61,\"icv_fails\":71," \
	"\"malformed_drops\":81,\"no_session_drops\":91,\"no_sa_drops\":101," \
	"\"tx_errors\":111,\"expired_drops\":121,\"no_route_drops\":131," \
	"\"frames_lost\":141,\"inner_source_drops\":151," \
	"\"crypto_backlog_drops\":161,\"nomem_drops\":171," \
	"\"frame_rate_drops\":181}"

static int take_sa(const struct nlattr *nest, void *arg)
{
	struct l2_sa *sa = arg;

	return l2_decode_sa(nest, sa);
}

static void test_sa(void **state)
{
	struct nl_msg *msg = reply(L2TPSEC_CMD_SA_GET);
	struct nlattr *nest;
	struct l2_sa sa;
	struct json j;
	struct mem m;
	char *got;

	(void)state;
	assert_int_equal(nla_put_u32(msg, L2TPSEC_A_IFINDEX, 5), 0);
	nest = nla_nest_start(msg, L2TPSEC_A_SA);
	nla_put_u32(msg, L2TPSEC_A_SA_SPI, 0xc0ffee01);
	nla_put_u8(msg, L2TPSEC_A_SA_DIR, L2TPSEC_DIR_IN);
	nla_put_u32(msg, L2TPSEC_A_SA_PEER_ID, 7);
	nla_put_u8(msg, L2TPSEC_A_SA_CIPHER, L2TPSEC_CIPHER_AES_CBC);
	nla_put_u8(msg, L2TPSEC_A_SA_INTEG, L2TPSEC_INTEG_HMAC_SHA256);
	nla_put_u8(msg, L2TPSEC_A_SA_ICV_LEN, 16);
	nla_put_u32(msg, L2TPSEC_A_SA_REPLAY_WINDOW, 1024);
	nla_put_u64(msg, L2TPSEC_A_SA_SOFT_BYTES, 1000);
	nla_put_u64(msg, L2TPSEC_A_SA_HARD_BYTES, 2000);
	nla_put_u64(msg, L2TPSEC_A_SA_HARD_SECONDS, 3600);
	nla_put_u64(msg, L2TPSEC_A_SA_SEQ, 99);
	nla_put_u64(msg, L2TPSEC_A_SA_AGE, 12);
	/* From a newer kernel: skipped. */
	nla_put_u32(msg, 200, 1);
	put_stats(msg, L2TPSEC_A_SA_STATS);
	nla_nest_end(msg, nest);

	assert_int_equal(l2_for_each_nest(nlmsg_hdr(msg), L2TPSEC_A_SA,
					  take_sa, &sa), 0);
	assert_int_equal(sa.spi, 0xc0ffee01);
	assert_int_equal(sa.dir, L2TPSEC_DIR_IN);
	assert_int_equal(sa.peer_id, 7);
	assert_int_equal(sa.icv_len, 16);
	assert_int_equal(sa.replay_window, 1024);
	assert_true(sa.hard_seconds == 3600);
	assert_true(sa.soft_packets == 0);
	assert_true(sa.stats.v[L2TPSEC_A_STATS_FRAMES_LOST] == 141);

	mem_open(&m);
	print_sa(m.f, &sa);
	got = mem_close(&m);
	assert_string_equal(got,
		"sa spi 0xc0ffee01 dir in peer 7 cipher aes-cbc integ sha256 "
		"icv 16 replay-window 1024 seq 99 age 12s\n"
		"\tlifetime: soft-bytes 1000 hard-bytes 2000 soft-packets 0 "
		"hard-packets 0 soft-seconds 0 hard-seconds 3600\n"
		STATS_TEXT);
	free(got);

	mem_open(&m);
	json_init(&j, m.f);
	json_sa(&j, &sa);
	got = mem_close(&m);
	assert_string_equal(got,
		"{\"spi\":3237998081,\"dir\":\"in\",\"peer_id\":7,"
		"\"cipher\":\"aes-cbc\",\"integ\":\"sha256\",\"icv_len\":16,"
		"\"replay_window\":1024,\"seq\":99,\"age\":12,"
		"\"lifetimes\":{\"soft_bytes\":1000,\"hard_bytes\":2000,"
		"\"soft_packets\":0,\"hard_packets\":0,\"soft_seconds\":0,"
		"\"hard_seconds\":3600},\"stats\":" STATS_JSON "}\n");
	free(got);
	nlmsg_free(msg);
}

static void test_sa_truncated(void **state)
{
	struct nl_msg *msg = reply(L2TPSEC_CMD_SA_GET);
	struct nlattr *nest;
	uint16_t half = 1;
	struct l2_sa sa;

	(void)state;
	nest = nla_nest_start(msg, L2TPSEC_A_SA);
	nla_put(msg, L2TPSEC_A_SA_SPI, sizeof(half), &half);
	nla_nest_end(msg, nest);
	assert_int_equal(l2_for_each_nest(nlmsg_hdr(msg), L2TPSEC_A_SA,
					  take_sa, &sa), -EBADMSG);
	nlmsg_free(msg);

	/* No SPI at all. */
	msg = reply(L2TPSEC_CMD_SA_GET);
	nest = nla_nest_start(msg, L2TPSEC_A_SA);
	nla_put_u8(msg, L2TPSEC_A_SA_DIR, L2TPSEC_DIR_IN);
	nla_nest_end(msg, nest);
	assert_int_equal(l2_for_each_nest(nlmsg_hdr(msg), L2TPSEC_A_SA,
					  take_sa, &sa), -EBADMSG);
	nlmsg_free(msg);
}

struct many {
	int		n;
	uint32_t	spis[4];
};

static int count_sa(const struct nlattr *nest, void *arg)
{
	struct many *m = arg;
	struct l2_sa sa;

	assert_int_equal(l2_decode_sa(nest, &sa), 0);
	m->spis[m->n++] = sa.spi;
	return 0;
}

/* One answer may carry several objects. */
static void test_several_per_message(void **state)
{
	struct nl_msg *msg = reply(L2TPSEC_CMD_SA_GET);
	struct many m = { 0 };
	struct nlattr *nest;
	uint32_t i;

	(void)state;
	for (i = 1; i <= 3; i++) {
		nest = nla_nest_start(msg, L2TPSEC_A_SA);
		nla_put_u32(msg, L2TPSEC_A_SA_SPI, 0x100 * i);
		nla_nest_end(msg, nest);
	}
	assert_int_equal(l2_for_each_nest(nlmsg_hdr(msg), L2TPSEC_A_SA,
					  count_sa, &m), 0);
	assert_int_equal(m.n, 3);
	assert_int_equal(m.spis[0], 0x100);
	assert_int_equal(m.spis[2], 0x300);
	nlmsg_free(msg);
}

static void test_dev(void **state)
{
	struct nl_msg *msg = reply(L2TPSEC_CMD_DEV_GET);
	struct l2_dev dev;
	struct json j;
	struct mem m;
	char *got;

	(void)state;
	nla_put_u32(msg, L2TPSEC_A_IFINDEX, 5);
	nla_put_string(msg, L2TPSEC_A_IFNAME, "l2tpsec0");
	nla_put_u16(msg, L2TPSEC_A_SOCK_PORT, 4500);
	nla_put_u8(msg, L2TPSEC_A_MSS_CLAMP, 1);
	put_stats(msg, L2TPSEC_A_DEV_STATS);
	assert_int_equal(l2_decode_dev(nlmsg_hdr(msg), &dev), 0);
	assert_int_equal(dev.ifindex, 5);
	assert_string_equal(dev.ifname, "l2tpsec0");
	assert_int_equal(dev.sock_port, 4500);
	assert_true(dev.mss_clamp);
	assert_false(dev.has_frame_listen);

	mem_open(&m);
	print_dev(m.f, &dev);
	got = mem_close(&m);
	assert_string_equal(got, "dev l2tpsec0 ifindex 5 port 4500 mss-clamp on\n"
			    STATS_TEXT);
	free(got);

	mem_open(&m);
	json_init(&j, m.f);
	json_obj_open(&j, NULL);
	json_dev_members(&j, &dev);
	json_obj_close(&j);
	got = mem_close(&m);
	assert_string_equal(got,
		"{\"ifname\":\"l2tpsec0\",\"ifindex\":5,\"sock_port\":4500,"
		"\"mss_clamp\":true,\"stats\":" STATS_JSON "}\n");
	free(got);
	nlmsg_free(msg);

	/* No socket, no counters. */
	msg = reply(L2TPSEC_CMD_DEV_GET);
	nla_put_u32(msg, L2TPSEC_A_IFINDEX, 6);
	nla_put_string(msg, L2TPSEC_A_IFNAME, "l2tpsec1");
	assert_int_equal(l2_decode_dev(nlmsg_hdr(msg), &dev), 0);
	mem_open(&m);
	print_dev(m.f, &dev);
	got = mem_close(&m);
	assert_non_null(strstr(got, "dev l2tpsec1 ifindex 6 port none mss-clamp off\n"));
	free(got);
	nlmsg_free(msg);
}

static int take_peer(const struct nlattr *nest, void *arg)
{
	return l2_decode_peer(nest, arg);
}

static void test_peer(void **state)
{
	struct nl_msg *msg = reply(L2TPSEC_CMD_PEER_GET);
	struct nlattr *nest;
	struct l2_peer p;
	struct json j;
	struct mem m;
	char *got;

	(void)state;
	nest = nla_nest_start(msg, L2TPSEC_A_PEER);
	nla_put_u32(msg, L2TPSEC_A_PEER_ID, 3);
	nla_put_u8(msg, L2TPSEC_A_PEER_ENCAP, L2TPSEC_ENCAP_UDP);
	put_ipv4(msg, L2TPSEC_A_PEER_LOCAL_IPV4, "192.0.2.1");
	put_ipv4(msg, L2TPSEC_A_PEER_REMOTE_IPV4, "198.51.100.7");
	nla_put_u16(msg, L2TPSEC_A_PEER_LOCAL_PORT, 4500);
	nla_put_u16(msg, L2TPSEC_A_PEER_REMOTE_PORT, 31337);
	nla_put_u32(msg, L2TPSEC_A_PEER_TX_SPI, 0x1000);
	put_stats(msg, L2TPSEC_A_PEER_STATS);
	nla_nest_end(msg, nest);
	assert_int_equal(l2_for_each_nest(nlmsg_hdr(msg), L2TPSEC_A_PEER,
					  take_peer, &p), 0);

	mem_open(&m);
	print_peer(m.f, &p);
	got = mem_close(&m);
	assert_string_equal(got,
		"peer 3 encap udp local 192.0.2.1:4500 remote 198.51.100.7:31337 "
		"tx-spi 0x00001000\n" STATS_TEXT);
	free(got);

	mem_open(&m);
	json_init(&j, m.f);
	json_peer(&j, &p);
	got = mem_close(&m);
	assert_string_equal(got,
		"{\"id\":3,\"encap\":\"udp\",\"local\":\"192.0.2.1\","
		"\"remote\":\"198.51.100.7\",\"local_port\":4500,"
		"\"remote_port\":31337,\"tx_spi\":4096,\"stats\":"
		STATS_JSON "}\n");
	free(got);
	nlmsg_free(msg);
}

static int take_session(const struct nlattr *nest, void *arg)
{
	return l2_decode_session(nest, arg);
}

static void test_session(void **state)
{
	struct nl_msg *msg = reply(L2TPSEC_CMD_SESSION_GET);
	struct l2_session s;
	struct in6_addr a6;
	struct nlattr *nest;
	struct json j;
	struct mem m;
	char *got;

	(void)state;
	nest = nla_nest_start(msg, L2TPSEC_A_SESSION);
	nla_put_u32(msg, L2TPSEC_A_SESSION_PEER_ID, 3);
	nla_put_u16(msg, L2TPSEC_A_SESSION_LOCAL_TUNNEL_ID, 10);
	nla_put_u16(msg, L2TPSEC_A_SESSION_LOCAL_SESSION_ID, 20);
	nla_put_u16(msg, L2TPSEC_A_SESSION_REMOTE_TUNNEL_ID, 30);
	nla_put_u16(msg, L2TPSEC_A_SESSION_REMOTE_SESSION_ID, 40);
	nla_put_u16(msg, L2TPSEC_A_SESSION_LOCAL_PORT, 1701);
	nla_put_u16(msg, L2TPSEC_A_SESSION_REMOTE_PORT, 1701);
	put_ipv4(msg, L2TPSEC_A_SESSION_PEER_IPV4, "10.9.0.2");
	inet_pton(AF_INET6, "2001:db8:5::", &a6);
	nla_put(msg, L2TPSEC_A_SESSION_PEER_IPV6, 16, &a6);
	nla_put_u8(msg, L2TPSEC_A_SESSION_PEER_IPV6_PREFIXLEN, 64);
	nla_put_u8(msg, L2TPSEC_A_SESSION_L2TP_LENGTH, 1);
	nla_put_u8(msg, L2TPSEC_A_SESSION_L2TP_SEQ, 0);
	nla_put_u8(msg, L2TPSEC_A_SESSION_PPP_ACFC, 1);
	nla_put_u8(msg, L2TPSEC_A_SESSION_PPP_PFC, 1);
	put_stats(msg, L2TPSEC_A_SESSION_STATS);
	nla_nest_end(msg, nest);
	assert_int_equal(l2_for_each_nest(nlmsg_hdr(msg), L2TPSEC_A_SESSION,
					  take_session, &s), 0);

	mem_open(&m);
	print_session(m.f, &s);
	got = mem_close(&m);
	assert_string_equal(got,
		"session peer 3 tunnel 10 session 20 peer-tunnel 30 peer-session 40 "
		"lport 1701 rport 1701 ipv4 10.9.0.2 ipv6 2001:db8:5::/64\n"
		"\tl2tp-length on l2tp-seq off acfc on pfc on\n" STATS_TEXT);
	free(got);

	mem_open(&m);
	json_init(&j, m.f);
	json_session(&j, &s);
	got = mem_close(&m);
	assert_string_equal(got,
		"{\"peer_id\":3,\"local_tunnel_id\":10,\"local_session_id\":20,"
		"\"remote_tunnel_id\":30,\"remote_session_id\":40,"
		"\"local_port\":1701,\"remote_port\":1701,"
		"\"peer_ipv4\":\"10.9.0.2\",\"peer_ipv6\":\"2001:db8:5::/64\","
		"\"options\":{\"l2tp_length\":true,\"l2tp_seq\":false,"
		"\"acfc\":true,\"pfc\":true},\"stats\":" STATS_JSON "}\n");
	free(got);
	nlmsg_free(msg);

	/* No addresses yet: null in JSON, absent in text. */
	msg = reply(L2TPSEC_CMD_SESSION_GET);
	nest = nla_nest_start(msg, L2TPSEC_A_SESSION);
	nla_put_u32(msg, L2TPSEC_A_SESSION_PEER_ID, 3);
	nla_nest_end(msg, nest);
	assert_int_equal(l2_for_each_nest(nlmsg_hdr(msg), L2TPSEC_A_SESSION,
					  take_session, &s), 0);
	mem_open(&m);
	json_init(&j, m.f);
	json_session(&j, &s);
	got = mem_close(&m);
	assert_non_null(strstr(got, "\"peer_ipv4\":null,\"peer_ipv6\":null"));
	free(got);
	nlmsg_free(msg);
}

static void test_frame(void **state)
{
	static const uint8_t payload[] = { 0xc8, 0x02, 0x00, 0x0c, 0xab };
	struct nl_msg *msg = reply(L2TPSEC_CMD_FRAME);
	struct l2_frame f;
	struct nlattr *nest;
	struct json j;
	struct mem m;
	char *got;

	(void)state;
	nla_put_u32(msg, L2TPSEC_A_IFINDEX, 5);
	nest = nla_nest_start(msg, L2TPSEC_A_FRAME);
	nla_put_u8(msg, L2TPSEC_A_FRAME_KIND, L2TPSEC_FRAME_L2TP_CTRL);
	nla_put_u32(msg, L2TPSEC_A_FRAME_PEER_ID, 4);
	nla_put_u16(msg, L2TPSEC_A_FRAME_LOCAL_PORT, 1701);
	nla_put_u16(msg, L2TPSEC_A_FRAME_REMOTE_PORT, 1702);
	nla_put(msg, L2TPSEC_A_FRAME_PAYLOAD, sizeof(payload), payload);
	nla_nest_end(msg, nest);
	assert_int_equal(l2_decode_frame(nlmsg_hdr(msg), &f), 0);
	assert_int_equal(f.ifindex, 5);
	assert_int_equal(f.len, sizeof(payload));

	mem_open(&m);
	print_frame(m.f, &f);
	got = mem_close(&m);
	assert_string_equal(got, "l2tp-ctrl peer 4 lport 1701 rport 1702 c802000cab\n");
	free(got);

	mem_open(&m);
	json_init(&j, m.f);
	json_frame(&j, &f, "l2tpsec0");
	got = mem_close(&m);
	assert_string_equal(got,
		"{\"kind\":\"l2tp-ctrl\",\"dev\":\"l2tpsec0\",\"peer_id\":4,"
		"\"local_port\":1701,\"remote_port\":1702,"
		"\"payload\":\"c802000cab\"}\n");
	free(got);
	nlmsg_free(msg);

	msg = reply(L2TPSEC_CMD_FRAME);
	nest = nla_nest_start(msg, L2TPSEC_A_FRAME);
	nla_put_u8(msg, L2TPSEC_A_FRAME_KIND, L2TPSEC_FRAME_PPP);
	nla_put_u32(msg, L2TPSEC_A_FRAME_PEER_ID, 4);
	nla_put_u16(msg, L2TPSEC_A_FRAME_LOCAL_TUNNEL_ID, 10);
	nla_put_u16(msg, L2TPSEC_A_FRAME_LOCAL_SESSION_ID, 20);
	nla_put(msg, L2TPSEC_A_FRAME_PAYLOAD, 2, "\xc0\x21");
	nla_nest_end(msg, nest);
	assert_int_equal(l2_decode_frame(nlmsg_hdr(msg), &f), 0);
	mem_open(&m);
	print_frame(m.f, &f);
	got = mem_close(&m);
	assert_string_equal(got, "ppp peer 4 tunnel 10 session 20 c021\n");
	free(got);
	nlmsg_free(msg);

	/* A frame message without a frame. */
	msg = reply(L2TPSEC_CMD_FRAME);
	nla_put_u32(msg, L2TPSEC_A_IFINDEX, 5);
	assert_int_equal(l2_decode_frame(nlmsg_hdr(msg), &f), -EBADMSG);
	nlmsg_free(msg);
}

static void test_event(void **state)
{
	struct nl_msg *msg = reply(L2TPSEC_CMD_EVENT);
	struct l2_event e;
	struct nlattr *nest;
	struct json j;
	struct mem m;
	char *got;

	(void)state;
	nla_put_u32(msg, L2TPSEC_A_IFINDEX, 5);
	nest = nla_nest_start(msg, L2TPSEC_A_EVENT);
	nla_put_u8(msg, L2TPSEC_A_EVENT_KIND, L2TPSEC_EVENT_SA_SOFT_EXPIRE);
	nla_put_u32(msg, L2TPSEC_A_EVENT_PEER_ID, 2);
	nla_put_u32(msg, L2TPSEC_A_EVENT_SPI, 0x1234);
	nla_put_u8(msg, L2TPSEC_A_EVENT_DIR, L2TPSEC_DIR_OUT);
	nla_put_u8(msg, L2TPSEC_A_EVENT_REASON, L2TPSEC_EXPIRE_BYTES);
	nla_nest_end(msg, nest);
	assert_int_equal(l2_decode_event(nlmsg_hdr(msg), &e), 0);

	mem_open(&m);
	print_event(m.f, &e, "l2tpsec0");
	got = mem_close(&m);
	assert_string_equal(got,
		"sa-soft-expire dev l2tpsec0 peer 2 spi 0x00001234 dir out reason bytes\n");
	free(got);

	mem_open(&m);
	json_init(&j, m.f);
	json_event(&j, &e, "l2tpsec0");
	got = mem_close(&m);
	assert_string_equal(got,
		"{\"event\":\"sa-soft-expire\",\"ifindex\":5,\"dev\":\"l2tpsec0\","
		"\"peer_id\":2,\"spi\":4660,\"dir\":\"out\",\"reason\":\"bytes\"}\n");
	free(got);
	nlmsg_free(msg);

	msg = reply(L2TPSEC_CMD_EVENT);
	nest = nla_nest_start(msg, L2TPSEC_A_EVENT);
	nla_put_u8(msg, L2TPSEC_A_EVENT_KIND, L2TPSEC_EVENT_PEER_FLOAT);
	nla_put_u32(msg, L2TPSEC_A_EVENT_PEER_ID, 2);
	put_ipv4(msg, L2TPSEC_A_EVENT_REMOTE_IPV4, "203.0.113.5");
	nla_put_u16(msg, L2TPSEC_A_EVENT_REMOTE_PORT, 61000);
	nla_nest_end(msg, nest);
	assert_int_equal(l2_decode_event(nlmsg_hdr(msg), &e), 0);
	mem_open(&m);
	print_event(m.f, &e, NULL);
	got = mem_close(&m);
	assert_string_equal(got, "peer-float peer 2 remote 203.0.113.5 rport 61000\n");
	free(got);
	nlmsg_free(msg);

	msg = reply(L2TPSEC_CMD_EVENT);
	nest = nla_nest_start(msg, L2TPSEC_A_EVENT);
	nla_put_u8(msg, L2TPSEC_A_EVENT_KIND, L2TPSEC_EVENT_FRAME_LOST);
	nla_put_u16(msg, L2TPSEC_A_EVENT_LOCAL_TUNNEL_ID, 10);
	nla_put_u16(msg, L2TPSEC_A_EVENT_LOCAL_SESSION_ID, 20);
	nla_put_u32(msg, L2TPSEC_A_EVENT_ERROR, EMSGSIZE);
	nla_nest_end(msg, nest);
	assert_int_equal(l2_decode_event(nlmsg_hdr(msg), &e), 0);
	mem_open(&m);
	print_event(m.f, &e, "x");
	got = mem_close(&m);
	assert_string_equal(got, "frame-lost dev x tunnel 10 session 20 error 90 (Message too long)\n");
	free(got);
	nlmsg_free(msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sa),
		cmocka_unit_test(test_sa_truncated),
		cmocka_unit_test(test_several_per_message),
		cmocka_unit_test(test_dev),
		cmocka_unit_test(test_peer),
		cmocka_unit_test(test_session),
		cmocka_unit_test(test_frame),
		cmocka_unit_test(test_event),
	};

	return cmocka_run_group_tests_name("decode", tests, NULL, NULL);
}
