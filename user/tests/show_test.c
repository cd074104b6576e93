// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the layout of `show` (text blocks, and the JSON document
 * that the selftests parse).
 */
#include <arpa/inet.h>

#include "helpers.h"
#include "show.h"

static void fill(struct show_dev devs[2], struct l2_peer *peer,
		 struct l2_sa sas[2], struct l2_session *session)
{
	memset(devs, 0, 2 * sizeof(devs[0]));
	memset(peer, 0, sizeof(*peer));
	memset(sas, 0, 2 * sizeof(sas[0]));
	memset(session, 0, sizeof(*session));

	devs[0].dev.ifindex = 4;
	strcpy(devs[0].dev.ifname, "l2tpsec0");
	devs[0].dev.sock_port = 4500;
	devs[0].dev.stats.v[L2TPSEC_A_STATS_RX_PACKETS] = 3;

	peer->id = 1;
	peer->encap = L2TPSEC_ENCAP_NONE;
	inet_pton(AF_INET, "10.0.0.1", &peer->local);
	inet_pton(AF_INET, "10.0.0.2", &peer->remote);
	peer->tx_spi = 0x200;
	devs[0].peers = peer;
	devs[0].n_peers = 1;

	sas[0].spi = 0x100;
	sas[0].dir = L2TPSEC_DIR_IN;
	sas[0].peer_id = 1;
	sas[0].cipher = L2TPSEC_CIPHER_AES_GCM;
	sas[0].integ = L2TPSEC_INTEG_NONE;
	sas[0].icv_len = 16;
	sas[0].replay_window = 1024;
	sas[1] = sas[0];
	sas[1].spi = 0x200;
	sas[1].dir = L2TPSEC_DIR_OUT;
	sas[1].replay_window = 0;
	sas[1].seq = 5;
	devs[0].sas = sas;
	devs[0].n_sas = 2;

	session->peer_id = 1;
	session->local_tunnel_id = 10;
	session->local_session_id = 20;
	session->remote_tunnel_id = 30;
	session->remote_session_id = 40;
	session->has_ipv4 = true;
	inet_pton(AF_INET, "192.168.7.2", &session->peer_ipv4);
	devs[0].sessions = session;
	devs[0].n_sessions = 1;

	/* A second device without anything. */
	devs[1].dev.ifindex = 9;
	strcpy(devs[1].dev.ifname, "l2tpsec1");
	devs[1].dev.mss_clamp = true;
}

#define ZERO_STATS_JSON \
	"{\"rx_packets\":0,\"rx_bytes\":0,\"tx_packets\":0,\"tx_bytes\":0," \
	"\"replay_drops\":0,\"icv_fails\":0,\"malformed_drops\":0," \
	"\"no_session_drops\":0,\"no_sa_drops\":0,\"tx_errors\":0," \
	"\"expired_drops\":0,\"no_route_drops\":0,\"frames_lost\":0," \
	"\"inner_source_drops\":0,\"crypto_backlog_drops\":0," \
	"\"nomem_drops\":0,\"frame_rate_drops\":0}"

#define ZERO_LIFETIMES_JSON \
	"{\"soft_bytes\":0,\"hard_bytes\":0,\"soft_packets\":0," \
	"\"hard_packets\":0,\"soft_seconds\":0,\"hard_seconds\":0}"

static void test_show_json(void **state)
{
	struct show_dev devs[2];
	struct l2_session session;
	struct l2_peer peer;
	struct l2_sa sas[2];
	struct capture cap;

	(void)state;
	fill(devs, &peer, sas, &session);
	capture_start(&cap);
	cap.c.json = true;
	show_render(&cap.c, devs, 2);
	capture_sync(&cap);
	assert_string_equal(cap.out,
		"{\"devices\":["
		"{\"ifname\":\"l2tpsec0\",\"ifindex\":4,\"sock_port\":4500,"
		"\"mss_clamp\":false,\"stats\":{\"rx_packets\":3,\"rx_bytes\":0,"
		"\"tx_packets\":0,\"tx_bytes\":0,\"replay_drops\":0,"
		"\"icv_fails\":0,\"malformed_drops\":0,\"no_session_drops\":0,"
		"\"no_sa_drops\":0,\"tx_errors\":0,\"expired_drops\":0,"
		"\"no_route_drops\":0,\"frames_lost\":0,"
		"\"inner_source_drops\":0,\"crypto_backlog_drops\":0,"
		"\"nomem_drops\":0,\"frame_rate_drops\":0},"
		"\"peers\":[{\"id\":1,\"encap\":\"none\",\"local\":\"10.0.0.1\","
		"\"remote\":\"10.0.0.2\",\"local_port\":0,\"remote_port\":0,"
		"\"tx_spi\":512,\"stats\":" ZERO_STATS_JSON "}],"
		"\"sas\":[{\"spi\":256,\"dir\":\"in\",\"peer_id\":1,"
		"\"cipher\":\"aes-gcm\",\"integ\":\"none\",\"icv_len\":16,"
		"\"replay_window\":1024,\"seq\":0,\"age\":0,\"lifetimes\":"
		ZERO_LIFETIMES_JSON ",\"stats\":" ZERO_STATS_JSON "},"
		"{\"spi\":512,\"dir\":\"out\",\"peer_id\":1,"
		"\"cipher\":\"aes-gcm\",\"integ\":\"none\",\"icv_len\":16,"
		"\"replay_window\":0,\"seq\":5,\"age\":0,\"lifetimes\":"
		ZERO_LIFETIMES_JSON ",\"stats\":" ZERO_STATS_JSON "}],"
		"\"sessions\":[{\"peer_id\":1,\"local_tunnel_id\":10,"
		"\"local_session_id\":20,\"remote_tunnel_id\":30,"
		"\"remote_session_id\":40,\"local_port\":0,\"remote_port\":0,"
		"\"peer_ipv4\":\"192.168.7.2\",\"peer_ipv6\":null,"
		"\"options\":{\"l2tp_length\":false,\"l2tp_seq\":false,"
		"\"acfc\":false,\"pfc\":false},\"stats\":" ZERO_STATS_JSON "}]},"
		"{\"ifname\":\"l2tpsec1\",\"ifindex\":9,\"sock_port\":0,"
		"\"mss_clamp\":true,\"stats\":" ZERO_STATS_JSON ","
		"\"peers\":[],\"sas\":[],\"sessions\":[]}"
		"]}\n");
	capture_end(&cap);
}

static void test_show_json_empty(void **state)
{
	struct capture cap;

	(void)state;
	capture_start(&cap);
	cap.c.json = true;
	show_render(&cap.c, NULL, 0);
	capture_sync(&cap);
	assert_string_equal(cap.out, "{\"devices\":[]}\n");
	capture_end(&cap);
}

#define ZERO_STATS_TEXT \
	"\trx: 0 packets 0 bytes  tx: 0 packets 0 bytes\n" \
	"\tdrops: replay 0 icv 0 malformed 0 no-session 0 no-sa 0 " \
	"tx-errors 0 expired 0 no-route 0 frames-lost 0 inner-source 0 crypto-backlog 0 nomem 0 frame-rate 0\n"

static void test_show_text(void **state)
{
	struct show_dev devs[2];
	struct l2_session session;
	struct l2_peer peer;
	struct l2_sa sas[2];
	struct capture cap;

	(void)state;
	fill(devs, &peer, sas, &session);
	capture_start(&cap);
	show_render(&cap.c, devs, 2);
	capture_sync(&cap);
	assert_string_equal(cap.out,
		"dev l2tpsec0 ifindex 4 port 4500 mss-clamp off\n"
		"\trx: 3 packets 0 bytes  tx: 0 packets 0 bytes\n"
		"\tdrops: replay 0 icv 0 malformed 0 no-session 0 no-sa 0 "
		"tx-errors 0 expired 0 no-route 0 frames-lost 0 inner-source 0 crypto-backlog 0 nomem 0 frame-rate 0\n"
		"\n"
		"peer 1 encap none local 10.0.0.1 remote 10.0.0.2 tx-spi 0x00000200\n"
		ZERO_STATS_TEXT
		"\n"
		"sa spi 0x00000100 dir in peer 1 cipher aes-gcm integ none icv 16 "
		"replay-window 1024 seq 0 age 0s\n"
		"\tlifetime: soft-bytes 0 hard-bytes 0 soft-packets 0 "
		"hard-packets 0 soft-seconds 0 hard-seconds 0\n"
		ZERO_STATS_TEXT
		"\n"
		"sa spi 0x00000200 dir out peer 1 cipher aes-gcm integ none icv 16 "
		"seq 5 age 0s\n"
		"\tlifetime: soft-bytes 0 hard-bytes 0 soft-packets 0 "
		"hard-packets 0 soft-seconds 0 hard-seconds 0\n"
		ZERO_STATS_TEXT
		"\n"
		"session peer 1 tunnel 10 session 20 peer-tunnel 30 peer-session 40 "
		"ipv4 192.168.7.2\n"
		"\tl2tp-length off l2tp-seq off acfc off pfc off\n"
		ZERO_STATS_TEXT
		"\n"
		"dev l2tpsec1 ifindex 9 port none mss-clamp on\n"
		ZERO_STATS_TEXT);
	capture_end(&cap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_show_json),
		cmocka_unit_test(test_show_json_empty),
		cmocka_unit_test(test_show_text),
	};

	return cmocka_run_group_tests_name("show", tests, NULL, NULL);
}
