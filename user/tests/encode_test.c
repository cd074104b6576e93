// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: command line -> netlink request. Each request is built
 * without a socket and its attributes are read back with libnl's parser.
 */
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include "helpers.h"

static void test_sa_add(void **state)
{
	static const uint8_t enc_key[] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
					   0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,
					   0xcc, 0xdd, 0xee, 0xff };
	static const uint8_t auth_key[] = { 0xde, 0xad, 0xbe, 0xef };
	struct nlattr *tb[L2TPSEC_A_MAX + 1], *sa[L2TPSEC_A_SA_MAX + 1];
	struct capture cap;
	struct nl_msg *msg;

	(void)state;
	capture_start(&cap);
	assert_int_equal(BUILD(&cap, &msg, "sa", "add", "l2tpsec0",
			       "spi", "0xc0ffee01", "dir", "in", "peer", "7",
			       "cipher", "aes-cbc", "integ", "sha256",
			       "key", "0x00112233445566778899AABBCCDDEEFF",
			       "auth-key", "deadbeef", "icv", "12",
			       "replay-window", "2048",
			       "soft-bytes", "1000000", "hard-bytes",
			       "18446744073709551615", "soft-packets", "10",
			       "hard-packets", "20", "soft-seconds", "3600",
			       "hard-seconds", "0x1c20"), 0);
	assert_int_equal(cap.err_len, 0);
	assert_int_equal(msg_cmd(msg), L2TPSEC_CMD_SA_NEW);
	assert_int_equal(msg_version(msg), L2TPSEC_FAMILY_VERSION);

	parse_top(msg, tb);
	assert_string_equal(nla_get_string(tb[L2TPSEC_A_IFNAME]), "l2tpsec0");
	assert_null(tb[L2TPSEC_A_IFINDEX]);
	assert_null(tb[L2TPSEC_A_PEER]);
	parse_nest(tb[L2TPSEC_A_SA], sa, L2TPSEC_A_SA_MAX);

	assert_int_equal(nla_get_u32(sa[L2TPSEC_A_SA_SPI]), 0xc0ffee01);
	assert_int_equal(nla_len(sa[L2TPSEC_A_SA_SPI]), 4);
	assert_int_equal(nla_get_u8(sa[L2TPSEC_A_SA_DIR]), L2TPSEC_DIR_IN);
	assert_int_equal(nla_len(sa[L2TPSEC_A_SA_DIR]), 1);
	assert_int_equal(nla_get_u32(sa[L2TPSEC_A_SA_PEER_ID]), 7);
	assert_int_equal(nla_get_u8(sa[L2TPSEC_A_SA_CIPHER]),
			 L2TPSEC_CIPHER_AES_CBC);
	assert_int_equal(nla_get_u8(sa[L2TPSEC_A_SA_INTEG]),
			 L2TPSEC_INTEG_HMAC_SHA256);
	assert_int_equal(nla_len(sa[L2TPSEC_A_SA_ENC_KEY]), sizeof(enc_key));
	assert_memory_equal(nla_data(sa[L2TPSEC_A_SA_ENC_KEY]), enc_key,
			    sizeof(enc_key));
	assert_int_equal(nla_len(sa[L2TPSEC_A_SA_AUTH_KEY]), sizeof(auth_key));
	assert_memory_equal(nla_data(sa[L2TPSEC_A_SA_AUTH_KEY]), auth_key,
			    sizeof(auth_key));
	assert_int_equal(nla_get_u8(sa[L2TPSEC_A_SA_ICV_LEN]), 12);
	assert_int_equal(nla_get_u32(sa[L2TPSEC_A_SA_REPLAY_WINDOW]), 2048);
	assert_true(nla_get_u64(sa[L2TPSEC_A_SA_SOFT_BYTES]) == 1000000);
	assert_int_equal(nla_len(sa[L2TPSEC_A_SA_SOFT_BYTES]), 8);
	assert_true(nla_get_u64(sa[L2TPSEC_A_SA_HARD_BYTES]) == UINT64_MAX);
	assert_true(nla_get_u64(sa[L2TPSEC_A_SA_SOFT_PACKETS]) == 10);
	assert_true(nla_get_u64(sa[L2TPSEC_A_SA_HARD_PACKETS]) == 20);
	assert_true(nla_get_u64(sa[L2TPSEC_A_SA_SOFT_SECONDS]) == 3600);
	assert_true(nla_get_u64(sa[L2TPSEC_A_SA_HARD_SECONDS]) == 7200);
	/* Read-only attributes are never sent. */
	assert_null(sa[L2TPSEC_A_SA_SEQ]);
	assert_null(sa[L2TPSEC_A_SA_AGE]);
	assert_null(sa[L2TPSEC_A_SA_STATS]);
	nlmsg_free(msg);
	capture_end(&cap);
}

static void test_sa_add_gcm_minimal(void **state)
{
	struct nlattr *tb[L2TPSEC_A_MAX + 1], *sa[L2TPSEC_A_SA_MAX + 1];
	struct capture cap;
	struct nl_msg *msg;

	(void)state;
	capture_start(&cap);
	assert_int_equal(BUILD(&cap, &msg, "sa", "add", "l2tpsec0", "spi",
			       "4096", "dir", "out", "peer", "1", "cipher",
			       "aes-gcm", "key",
			       "000102030405060708090a0b0c0d0e0f10111213"), 0);
	parse_top(msg, tb);
	parse_nest(tb[L2TPSEC_A_SA], sa, L2TPSEC_A_SA_MAX);
	assert_int_equal(nla_get_u32(sa[L2TPSEC_A_SA_SPI]), 4096);
	assert_int_equal(nla_get_u8(sa[L2TPSEC_A_SA_DIR]), L2TPSEC_DIR_OUT);
	assert_int_equal(nla_get_u8(sa[L2TPSEC_A_SA_CIPHER]),
			 L2TPSEC_CIPHER_AES_GCM);
	assert_int_equal(nla_len(sa[L2TPSEC_A_SA_ENC_KEY]), 20);
	/* Not given: left to the kernel's defaults. */
	assert_null(sa[L2TPSEC_A_SA_INTEG]);
	assert_null(sa[L2TPSEC_A_SA_AUTH_KEY]);
	assert_null(sa[L2TPSEC_A_SA_ICV_LEN]);
	assert_null(sa[L2TPSEC_A_SA_REPLAY_WINDOW]);
	assert_null(sa[L2TPSEC_A_SA_HARD_BYTES]);
	nlmsg_free(msg);
	capture_end(&cap);
}

static void test_sa_del(void **state)
{
	struct nlattr *tb[L2TPSEC_A_MAX + 1], *sa[L2TPSEC_A_SA_MAX + 1];
	struct capture cap;
	struct nl_msg *msg;

	(void)state;
	capture_start(&cap);
	assert_int_equal(BUILD(&cap, &msg, "sa", "del", "l2tpsec0", "spi",
			       "0x2000", "dir", "out", "peer", "3"), 0);
	assert_int_equal(msg_cmd(msg), L2TPSEC_CMD_SA_DEL);
	parse_top(msg, tb);
	parse_nest(tb[L2TPSEC_A_SA], sa, L2TPSEC_A_SA_MAX);
	assert_int_equal(nla_get_u32(sa[L2TPSEC_A_SA_SPI]), 0x2000);
	assert_int_equal(nla_get_u8(sa[L2TPSEC_A_SA_DIR]), L2TPSEC_DIR_OUT);
	assert_int_equal(nla_get_u32(sa[L2TPSEC_A_SA_PEER_ID]), 3);
	nlmsg_free(msg);
	capture_end(&cap);
}

static void test_peer_add_udp_defaults(void **state)
{
	struct nlattr *tb[L2TPSEC_A_MAX + 1], *p[L2TPSEC_A_PEER_MAX + 1];
	struct capture cap;
	struct nl_msg *msg;
	uint32_t addr;

	(void)state;
	capture_start(&cap);
	assert_int_equal(BUILD(&cap, &msg, "peer", "add", "l2tpsec0", "id",
			       "42", "encap", "udp", "local", "192.0.2.1",
			       "remote", "198.51.100.7"), 0);
	assert_int_equal(msg_cmd(msg), L2TPSEC_CMD_PEER_NEW);
	parse_top(msg, tb);
	parse_nest(tb[L2TPSEC_A_PEER], p, L2TPSEC_A_PEER_MAX);
	assert_int_equal(nla_get_u32(p[L2TPSEC_A_PEER_ID]), 42);
	assert_int_equal(nla_get_u8(p[L2TPSEC_A_PEER_ENCAP]),
			 L2TPSEC_ENCAP_UDP);
	/* be32, 4 bytes of binary, network order. */
	assert_int_equal(nla_len(p[L2TPSEC_A_PEER_LOCAL_IPV4]), 4);
	memcpy(&addr, nla_data(p[L2TPSEC_A_PEER_LOCAL_IPV4]), 4);
	assert_int_equal(addr, htonl(0xc0000201));
	memcpy(&addr, nla_data(p[L2TPSEC_A_PEER_REMOTE_IPV4]), 4);
	assert_int_equal(addr, htonl(0xc6336407));
	/* u16 in host order, 4500 by default with encap udp. */
	assert_int_equal(nla_len(p[L2TPSEC_A_PEER_LOCAL_PORT]), 2);
	assert_int_equal(nla_get_u16(p[L2TPSEC_A_PEER_LOCAL_PORT]), 4500);
	assert_int_equal(nla_get_u16(p[L2TPSEC_A_PEER_REMOTE_PORT]), 4500);
	nlmsg_free(msg);

	assert_int_equal(BUILD(&cap, &msg, "peer", "add", "l2tpsec0", "id",
			       "42", "encap", "udp", "local", "192.0.2.1",
			       "remote", "198.51.100.7", "rport", "31337"), 0);
	parse_top(msg, tb);
	parse_nest(tb[L2TPSEC_A_PEER], p, L2TPSEC_A_PEER_MAX);
	assert_int_equal(nla_get_u16(p[L2TPSEC_A_PEER_LOCAL_PORT]), 4500);
	assert_int_equal(nla_get_u16(p[L2TPSEC_A_PEER_REMOTE_PORT]), 31337);
	nlmsg_free(msg);
	capture_end(&cap);
}

static void test_peer_add_raw_esp(void **state)
{
	struct nlattr *tb[L2TPSEC_A_MAX + 1], *p[L2TPSEC_A_PEER_MAX + 1];
	struct capture cap;
	struct nl_msg *msg;

	(void)state;
	capture_start(&cap);
	assert_int_equal(BUILD(&cap, &msg, "peer", "add", "l2tpsec0", "id",
			       "1", "encap", "none", "local", "10.0.0.1",
			       "remote", "10.0.0.2"), 0);
	parse_top(msg, tb);
	parse_nest(tb[L2TPSEC_A_PEER], p, L2TPSEC_A_PEER_MAX);
	assert_int_equal(nla_get_u8(p[L2TPSEC_A_PEER_ENCAP]),
			 L2TPSEC_ENCAP_NONE);
	assert_null(p[L2TPSEC_A_PEER_LOCAL_PORT]);
	assert_null(p[L2TPSEC_A_PEER_REMOTE_PORT]);
	nlmsg_free(msg);
	capture_end(&cap);
}

static void test_peer_set_del(void **state)
{
	struct nlattr *tb[L2TPSEC_A_MAX + 1], *p[L2TPSEC_A_PEER_MAX + 1];
	struct capture cap;
	struct nl_msg *msg;
	uint32_t addr;

	(void)state;
	capture_start(&cap);
	assert_int_equal(BUILD(&cap, &msg, "peer", "set", "l2tpsec0", "id",
			       "5", "tx-spi", "0xabcdef01", "remote",
			       "203.0.113.9", "rport", "1024"), 0);
	assert_int_equal(msg_cmd(msg), L2TPSEC_CMD_PEER_SET);
	parse_top(msg, tb);
	parse_nest(tb[L2TPSEC_A_PEER], p, L2TPSEC_A_PEER_MAX);
	assert_int_equal(nla_get_u32(p[L2TPSEC_A_PEER_ID]), 5);
	assert_int_equal(nla_get_u32(p[L2TPSEC_A_PEER_TX_SPI]), 0xabcdef01);
	memcpy(&addr, nla_data(p[L2TPSEC_A_PEER_REMOTE_IPV4]), 4);
	assert_int_equal(addr, htonl(0xcb007109));
	assert_int_equal(nla_get_u16(p[L2TPSEC_A_PEER_REMOTE_PORT]), 1024);
	assert_null(p[L2TPSEC_A_PEER_ENCAP]);
	nlmsg_free(msg);

	assert_int_equal(BUILD(&cap, &msg, "peer", "del", "l2tpsec0", "id",
			       "5"), 0);
	assert_int_equal(msg_cmd(msg), L2TPSEC_CMD_PEER_DEL);
	parse_top(msg, tb);
	parse_nest(tb[L2TPSEC_A_PEER], p, L2TPSEC_A_PEER_MAX);
	assert_int_equal(nla_get_u32(p[L2TPSEC_A_PEER_ID]), 5);
	nlmsg_free(msg);
	capture_end(&cap);
}

static void test_session_add(void **state)
{
	struct nlattr *tb[L2TPSEC_A_MAX + 1], *s[L2TPSEC_A_SESSION_MAX + 1];
	struct capture cap;
	struct nl_msg *msg;
	struct in6_addr want6;
	uint32_t addr;

	(void)state;
	capture_start(&cap);
	assert_int_equal(BUILD(&cap, &msg, "session", "add", "l2tpsec0",
			       "peer", "2", "tunnel", "100", "session", "200",
			       "peer-tunnel", "300", "peer-session", "65535",
			       "lport", "1702", "ipv4", "10.9.0.2", "ipv6",
			       "2001:db8:5::/64", "l2tp-length", "on",
			       "l2tp-seq", "off", "acfc", "on", "pfc", "off"),
			 0);
	assert_int_equal(msg_cmd(msg), L2TPSEC_CMD_SESSION_NEW);
	parse_top(msg, tb);
	parse_nest(tb[L2TPSEC_A_SESSION], s, L2TPSEC_A_SESSION_MAX);
	assert_int_equal(nla_get_u32(s[L2TPSEC_A_SESSION_PEER_ID]), 2);
	assert_int_equal(nla_get_u16(s[L2TPSEC_A_SESSION_LOCAL_TUNNEL_ID]),
			 100);
	assert_int_equal(nla_get_u16(s[L2TPSEC_A_SESSION_LOCAL_SESSION_ID]),
			 200);
	assert_int_equal(nla_get_u16(s[L2TPSEC_A_SESSION_REMOTE_TUNNEL_ID]),
			 300);
	assert_int_equal(nla_get_u16(s[L2TPSEC_A_SESSION_REMOTE_SESSION_ID]),
			 65535);
	assert_int_equal(nla_get_u16(s[L2TPSEC_A_SESSION_LOCAL_PORT]), 1702);
	assert_null(s[L2TPSEC_A_SESSION_REMOTE_PORT]);
	memcpy(&addr, nla_data(s[L2TPSEC_A_SESSION_PEER_IPV4]), 4);
	assert_int_equal(addr, htonl(0x0a090002));
	assert_int_equal(inet_pton(AF_INET6, "2001:db8:5::", &want6), 1);
	assert_int_equal(nla_len(s[L2TPSEC_A_SESSION_PEER_IPV6]), 16);
	assert_memory_equal(nla_data(s[L2TPSEC_A_SESSION_PEER_IPV6]), &want6,
			    16);
	assert_int_equal(nla_get_u8(s[L2TPSEC_A_SESSION_PEER_IPV6_PREFIXLEN]),
			 64);
	assert_int_equal(nla_get_u8(s[L2TPSEC_A_SESSION_L2TP_LENGTH]), 1);
	assert_int_equal(nla_get_u8(s[L2TPSEC_A_SESSION_L2TP_SEQ]), 0);
	assert_int_equal(nla_get_u8(s[L2TPSEC_A_SESSION_PPP_ACFC]), 1);
	assert_int_equal(nla_get_u8(s[L2TPSEC_A_SESSION_PPP_PFC]), 0);
	nlmsg_free(msg);
	capture_end(&cap);
}

static void test_session_set_del(void **state)
{
	struct nlattr *tb[L2TPSEC_A_MAX + 1], *s[L2TPSEC_A_SESSION_MAX + 1];
	struct capture cap;
	struct nl_msg *msg;

	(void)state;
	capture_start(&cap);
	assert_int_equal(BUILD(&cap, &msg, "session", "set", "l2tpsec0",
			       "peer", "2", "tunnel", "100", "session", "200",
			       "pfc", "on"), 0);
	assert_int_equal(msg_cmd(msg), L2TPSEC_CMD_SESSION_SET);
	parse_top(msg, tb);
	parse_nest(tb[L2TPSEC_A_SESSION], s, L2TPSEC_A_SESSION_MAX);
	assert_int_equal(nla_get_u8(s[L2TPSEC_A_SESSION_PPP_PFC]), 1);
	assert_null(s[L2TPSEC_A_SESSION_PPP_ACFC]);
	assert_null(s[L2TPSEC_A_SESSION_PEER_IPV4]);
	assert_null(s[L2TPSEC_A_SESSION_REMOTE_TUNNEL_ID]);
	nlmsg_free(msg);

	assert_int_equal(BUILD(&cap, &msg, "session", "del", "l2tpsec0",
			       "peer", "2", "tunnel", "100", "session",
			       "200"), 0);
	assert_int_equal(msg_cmd(msg), L2TPSEC_CMD_SESSION_DEL);
	parse_top(msg, tb);
	parse_nest(tb[L2TPSEC_A_SESSION], s, L2TPSEC_A_SESSION_MAX);
	assert_int_equal(nla_get_u32(s[L2TPSEC_A_SESSION_PEER_ID]), 2);
	assert_int_equal(nla_get_u16(s[L2TPSEC_A_SESSION_LOCAL_TUNNEL_ID]),
			 100);
	assert_int_equal(nla_get_u16(s[L2TPSEC_A_SESSION_LOCAL_SESSION_ID]),
			 200);
	nlmsg_free(msg);
	capture_end(&cap);
}

static void test_dev_set_detach(void **state)
{
	struct nlattr *tb[L2TPSEC_A_MAX + 1];
	struct capture cap;
	struct nl_msg *msg;

	(void)state;
	capture_start(&cap);
	assert_int_equal(BUILD(&cap, &msg, "dev", "set", "l2tpsec0",
			       "mss-clamp", "on", "listen", "off"), 0);
	assert_int_equal(msg_cmd(msg), L2TPSEC_CMD_DEV_SET);
	parse_top(msg, tb);
	assert_int_equal(nla_get_u8(tb[L2TPSEC_A_MSS_CLAMP]), 1);
	assert_int_equal(nla_get_u8(tb[L2TPSEC_A_FRAME_LISTEN]), 0);
	assert_null(tb[L2TPSEC_A_SOCK_FD]);
	nlmsg_free(msg);

	assert_int_equal(BUILD(&cap, &msg, "dev", "detach", "l2tpsec0"), 0);
	assert_int_equal(msg_cmd(msg), L2TPSEC_CMD_DEV_SET);
	parse_top(msg, tb);
	assert_int_equal(nla_len(tb[L2TPSEC_A_SOCK_FD]), 4);
	assert_int_equal(nla_get_s32(tb[L2TPSEC_A_SOCK_FD]), -1);
	assert_null(tb[L2TPSEC_A_MSS_CLAMP]);
	nlmsg_free(msg);
	capture_end(&cap);
}

/* dev attach binds a real UDP socket, then hands its fd over. */
/*
 * dev attach asks the module to open its own socket (SOCK_PORT, SOCK_ADDR):
 * a socket of the CLI's would close when it exits, and the module lets go
 * of a closed socket.
 */
static void test_dev_attach(void **state)
{
	struct nlattr *tb[L2TPSEC_A_MAX + 1];
	const char *argv[] = { "dev", "attach", "l2tpsec0", "port", "4500",
			       "addr", "127.0.0.1" };
	struct capture cap;
	struct nl_msg *msg;
	struct args a;

	(void)state;
	capture_start(&cap);
	cap.c.cmd = "dev attach";
	args_init(&a, dev_cmds[2].args, dev_cmds[2].nargs);
	assert_string_equal(dev_cmds[2].verb, "attach");
	assert_int_equal(args_parse(&cap.c, &a, 4, (char **)argv + 3), 0);
	a.dev = "l2tpsec0";
	msg = cli_build(&cap.c, &dev_cmds[2], &a);
	assert_non_null(msg);
	parse_top(msg, tb);
	assert_null(tb[L2TPSEC_A_SOCK_FD]);
	assert_int_equal(nla_get_u16(tb[L2TPSEC_A_SOCK_PORT]), 4500);
	assert_int_equal(nla_get_u32(tb[L2TPSEC_A_SOCK_ADDR]),
			 htonl(INADDR_LOOPBACK));
	assert_string_equal(nla_get_string(tb[L2TPSEC_A_IFNAME]), "l2tpsec0");
	nlmsg_free(msg);
	args_free(&a);
	capture_end(&cap);
}

static void test_frame_send(void **state)
{
	static const uint8_t ctrl[] = { 0xc8, 0x02, 0x00, 0x0c };
	static const uint8_t lcp[] = { 0xc0, 0x21, 0x01, 0x01, 0x00, 0x04 };
	struct nlattr *tb[L2TPSEC_A_MAX + 1], *f[L2TPSEC_A_FRAME_MAX + 1];
	struct capture cap;
	struct nl_msg *msg;

	(void)state;
	capture_start(&cap);
	assert_int_equal(BUILD(&cap, &msg, "frame", "send", "l2tpsec0",
			       "peer", "9", "l2tp-ctrl", "c802000c", "rport",
			       "1701"), 0);
	assert_int_equal(msg_cmd(msg), L2TPSEC_CMD_FRAME);
	parse_top(msg, tb);
	parse_nest(tb[L2TPSEC_A_FRAME], f, L2TPSEC_A_FRAME_MAX);
	assert_int_equal(nla_get_u8(f[L2TPSEC_A_FRAME_KIND]),
			 L2TPSEC_FRAME_L2TP_CTRL);
	assert_int_equal(nla_get_u32(f[L2TPSEC_A_FRAME_PEER_ID]), 9);
	assert_int_equal(nla_get_u16(f[L2TPSEC_A_FRAME_REMOTE_PORT]), 1701);
	assert_null(f[L2TPSEC_A_FRAME_LOCAL_PORT]);
	assert_int_equal(nla_len(f[L2TPSEC_A_FRAME_PAYLOAD]), sizeof(ctrl));
	assert_memory_equal(nla_data(f[L2TPSEC_A_FRAME_PAYLOAD]), ctrl,
			    sizeof(ctrl));
	nlmsg_free(msg);

	assert_int_equal(BUILD(&cap, &msg, "frame", "send", "l2tpsec0",
			       "peer", "9", "ppp", "tunnel", "11", "session",
			       "12", "0xC02101010004"), 0);
	parse_top(msg, tb);
	parse_nest(tb[L2TPSEC_A_FRAME], f, L2TPSEC_A_FRAME_MAX);
	assert_int_equal(nla_get_u8(f[L2TPSEC_A_FRAME_KIND]),
			 L2TPSEC_FRAME_PPP);
	assert_int_equal(nla_get_u16(f[L2TPSEC_A_FRAME_LOCAL_TUNNEL_ID]), 11);
	assert_int_equal(nla_get_u16(f[L2TPSEC_A_FRAME_LOCAL_SESSION_ID]), 12);
	assert_int_equal(nla_len(f[L2TPSEC_A_FRAME_PAYLOAD]), sizeof(lcp));
	assert_memory_equal(nla_data(f[L2TPSEC_A_FRAME_PAYLOAD]), lcp,
			    sizeof(lcp));
	nlmsg_free(msg);
	capture_end(&cap);
}

/* A big payload gets a big enough message. */
static void test_frame_send_large(void **state)
{
	struct nlattr *tb[L2TPSEC_A_MAX + 1], *f[L2TPSEC_A_FRAME_MAX + 1];
	size_t n = 20000, i;
	struct capture cap;
	struct nl_msg *msg;
	char *hex;

	(void)state;
	hex = malloc(2 * n + 1);
	assert_non_null(hex);
	for (i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", (unsigned int)(i & 0xff));
	capture_start(&cap);
	assert_int_equal(BUILD(&cap, &msg, "frame", "send", "l2tpsec0",
			       "peer", "1", "l2tp-ctrl", hex), 0);
	parse_top(msg, tb);
	parse_nest(tb[L2TPSEC_A_FRAME], f, L2TPSEC_A_FRAME_MAX);
	assert_int_equal(nla_len(f[L2TPSEC_A_FRAME_PAYLOAD]), n);
	assert_int_equal(((uint8_t *)nla_data(f[L2TPSEC_A_FRAME_PAYLOAD]))[n - 1],
			 (n - 1) & 0xff);
	nlmsg_free(msg);
	capture_end(&cap);
	free(hex);
}

/* A number that names no interface is an ifindex. */
static void test_dev_by_index(void **state)
{
	struct nlattr *tb[L2TPSEC_A_MAX + 1];
	struct capture cap;
	struct nl_msg *msg;

	(void)state;
	capture_start(&cap);
	assert_int_equal(BUILD(&cap, &msg, "peer", "del", "4242", "id", "1"),
			 0);
	parse_top(msg, tb);
	assert_int_equal(nla_get_u32(tb[L2TPSEC_A_IFINDEX]), 4242);
	assert_null(tb[L2TPSEC_A_IFNAME]);
	nlmsg_free(msg);
	capture_end(&cap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sa_add),
		cmocka_unit_test(test_sa_add_gcm_minimal),
		cmocka_unit_test(test_sa_del),
		cmocka_unit_test(test_peer_add_udp_defaults),
		cmocka_unit_test(test_peer_add_raw_esp),
		cmocka_unit_test(test_peer_set_del),
		cmocka_unit_test(test_session_add),
		cmocka_unit_test(test_session_set_del),
		cmocka_unit_test(test_dev_set_detach),
		cmocka_unit_test(test_dev_attach),
		cmocka_unit_test(test_frame_send),
		cmocka_unit_test(test_frame_send_large),
		cmocka_unit_test(test_dev_by_index),
	};

	return cmocka_run_group_tests_name("encode", tests, NULL, NULL);
}
