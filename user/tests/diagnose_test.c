// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: `l2tpsec diagnose` end to end against a made-up host (a
 * directory standing for /, L2TPSEC_DIAG_ROOT: /sys, /proc, the recorded
 * rulesets of tests/data/fw/, l2tpsecd.conf and its files) and a fake
 * l2tpsecd answering "status": a broken host (forwarding off, 4500 and
 * ESP dropped, a world-readable PSK file, strict rp_filter, another
 * module version, the user's failure) exits 1 with each FAIL line and
 * its fix; a sound one exits 0; -j gives the same as JSON.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

static pid_t fake_daemon(const char *path, const char *lines)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	pid_t pid;

	assert_true(fd >= 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	unlink(path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 1), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		char buf[256];
		int c = accept(fd, NULL, NULL);

		if (c < 0)
			_exit(1);
		while (read(c, buf, sizeof(buf)) > 0)
			;
		if (write(c, lines, strlen(lines)) < 0)
			_exit(1);
		close(c);
		_exit(0);
	}
	close(fd);
	return pid;
}

static void put(const char *root, const char *rel, const char *text,
		mode_t mode)
{
	char path[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	for (p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static void copy_data(const char *root, const char *rel, const char *name)
{
	char path[256], *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "tests/data/fw/%s", name);
	f = fopen(path, "r");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	put(root, rel, buf, 0644);
	free(buf);
}

#define UDP_TABLE \
	"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n" \
	"  12: 00000000:01F4 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1 2 0000000000000000 0\n" \
	"  13: 00000000:1194 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 2 2 0000000000000000 0\n"

static const char status_answer[] =
	"daemon version=1.0 device=l2tpsec0 pid=42 sessions=1\n"
	"failure peer=192.0.2.2 port=500 time=1700000000 first=1700000000 count=2 class=8 class-name=ppp-auth layer=ppp user=alice cause=session%20ended:%20authentication%20failure fix=check%20the%20user's%20name%20and%20password%20in%20chap-secrets\n"
	"ok count=1\n";

/* A live session of alice: its LCP echo round trip, NAT-T, keepalives. */
static const char live_answer[] =
	"daemon version=1.0 device=l2tpsec0 pid=42 sessions=1\n"
	"session user=alice address=10.99.0.10 outer=192.0.2.2 outer-port=4500 peer-id=1 tunnel=1 session=2 phase=network auth=MS-CHAPv2 uptime=300 lcp-echo-tx=10 lcp-echo-rx=9 lcp-rtt-ms=47 lcp-rtt-age=12 nat-t=yes nat=remote keepalive=0 keepalives-sent=0\n"
	"session user=bob address=10.99.0.11 outer=192.0.2.3 outer-port=500 peer-id=2 tunnel=2 session=3 phase=network auth=PAP uptime=3 lcp-echo-tx=0 lcp-echo-rx=0 nat-t=no nat=none keepalive=0 keepalives-sent=0\n"
	"ok count=2\n";

static const char *answer = status_answer;
/* A change to the made-up host after make_host(), or NULL. */
static void (*tweak)(const char *root);

static void make_host(const char *root, bool sound)
{
	put(root, "/sys/module/l2tpsec/version", sound ? "1.0\n" : "0.9\n", 0644);
	put(root, "/sys/class/net/l2tpsec0/flags", "0x1091\n", 0644);
	put(root, "/sys/class/net/l2tpsec0/mtu", "1400\n", 0644);
	put(root, "/proc/net/udp", UDP_TABLE, 0644);
	put(root, "/proc/sys/net/ipv4/ip_forward", sound ? "1\n" : "0\n", 0644);
	put(root, "/proc/sys/net/ipv4/conf/l2tpsec0/forwarding", "1\n", 0644);
	put(root, "/proc/sys/net/ipv4/conf/all/rp_filter", sound ? "2\n" : "1\n", 0644);
	put(root, "/proc/sys/net/ipv4/conf/l2tpsec0/rp_filter", "0\n", 0644);
	copy_data(root, "/nft.json", sound ? "nft-open.json" : "nft-closed.json");
	put(root, "/etc/l2tpsec/l2tpsecd.conf",
	    "[ike]\npsk-file = /etc/l2tpsec/psk\n\n[ppp]\nchap-secrets = /etc/l2tpsec/chap\n"
	    "[pool]\nrange = 10.99.0.10-10.99.0.12\nexclude = 10.99.0.12\n", 0644);
	put(root, "/etc/l2tpsec/psk", "secret\n", sound ? 0600 : 0644);
	put(root, "/etc/l2tpsec/chap", "alice * pw *\n", 0600);
}

static void run_diag(const char *sound_or_broken, bool sound, bool json,
		     struct capture *cap, int *ret)
{
	char dir[] = "/tmp/l2tpsec-diag-XXXXXX", sock[64], cmd[160];
	const char *argv[] = { "-s", sock, "diagnose", "alice", "config",
			       "/etc/l2tpsec/l2tpsecd.conf", NULL };
	const char *jargv[] = { "-j", "-s", sock, "diagnose", "alice", "config",
				"/etc/l2tpsec/l2tpsecd.conf" };
	pid_t pid;
	int st;

	(void)sound_or_broken;
	assert_non_null(mkdtemp(dir));
	make_host(dir, sound);
	if (tweak)
		tweak(dir);
	snprintf(sock, sizeof(sock), "%s/sock", dir);
	pid = fake_daemon(sock, answer);
	setenv("L2TPSEC_DIAG_ROOT", dir, 1);
	capture_start(cap);
	*ret = json ? run_cli(cap, 7, jargv) : run_cli(cap, 6, argv);
	waitpid(pid, &st, 0);
	unsetenv("L2TPSEC_DIAG_ROOT");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_broken_host(void **state)
{
	struct capture cap;
	int ret;

	(void)state;
	run_diag("broken", false, false, &cap, &ret);
	assert_int_equal(ret, 1);
	assert_non_null(strstr(cap.out, "ok    daemon: l2tpsecd 1.0 (pid 42) answers, 1 sessions\n"));
	assert_non_null(strstr(cap.out, "warn  module: l2tpsec.ko 0.9, l2tpsecd 1.0: versions differ\n"));
	assert_non_null(strstr(cap.out, "ok    device: l2tpsec0 up, mtu 1400\n"));
	assert_non_null(strstr(cap.out, "ok    udp: UDP 500 bound\n"));
	assert_non_null(strstr(cap.out, "ok    firewall: UDP 500 (IKE) passes\n"));
	assert_non_null(strstr(cap.out,
		"FAIL  firewall: UDP 4500 (NAT-T) is dropped (chain inet filter input: policy drop)\n"
		"      fix: let UDP 4500 (NAT-T) in: nft add rule inet filter input udp dport 4500 accept\n"));
	assert_non_null(strstr(cap.out, "FAIL  firewall: ESP is dropped"));
	assert_non_null(strstr(cap.out, "ok    firewall: plain UDP 1701 (L2TP without IPsec) is dropped\n"));
	assert_non_null(strstr(cap.out,
		"FAIL  forwarding: net.ipv4.ip_forward = 0: clients reach this host only\n"));
	assert_non_null(strstr(cap.out, "warn  rp_filter: strict reverse-path filtering (all 1, l2tpsec0 0)"));
	assert_non_null(strstr(cap.out,
		"FAIL  secrets: /etc/l2tpsec/psk is readable by everyone (mode 0644)\n"
		"      fix: chmod 600 /etc/l2tpsec/psk\n"));
	assert_non_null(strstr(cap.out, "ok    secrets: /etc/l2tpsec/chap mode 0600\n"));
	assert_non_null(strstr(cap.out, "ok    pool: 1 of 2 addresses free\n"));
	/* the user's failure, and no live session */
	assert_non_null(strstr(cap.out, "class 8 (ppp-auth), ppp, user alice, 2 times\n"
				       "    cause: session ended: authentication failure\n"));
	assert_non_null(strstr(cap.out, "FAIL  target: alice has no live session and failed\n"));
	assert_non_null(strstr(cap.out, "\n5 FAIL, "));
	capture_end(&cap);
}

static void test_sound_host(void **state)
{
	struct capture cap;
	int ret;

	(void)state;
	run_diag("sound", true, false, &cap, &ret);
	assert_non_null(strstr(cap.out, "ok    module: l2tpsec.ko 1.0 loaded\n"));
	assert_non_null(strstr(cap.out, "ok    firewall: UDP 4500 (NAT-T) passes\n"));
	assert_non_null(strstr(cap.out, "ok    firewall: ESP passes\n"));
	assert_non_null(strstr(cap.out, "ok    forwarding: IPv4 forwarding on\n"));
	assert_null(strstr(cap.out, "FAIL  firewall"));
	/* only the user's failure is FAIL: it still counts */
	assert_int_equal(ret, 1);
	assert_non_null(strstr(cap.out, "\n1 FAIL, "));
	capture_end(&cap);
}

static void test_live_session(void **state)
{
	struct capture cap;
	int ret;

	(void)state;
	answer = live_answer;
	run_diag("sound", true, false, &cap, &ret);
	print_message("%s", cap.out);
	assert_non_null(strstr(cap.out, "\nlive session: alice 10.99.0.10, network, up 300 s\n"
				       "  LCP echo: last round trip 47 ms, 12 s ago (10 requests, 9 replies)\n"
				       "  NAT-T: yes, NAT remote; we send no keepalives (we are not behind the NAT; the client's are not counted)\n"));
	assert_non_null(strstr(cap.out, "ok    target: alice has 1 live session\n"));
	capture_end(&cap);
	run_diag("sound", true, true, &cap, &ret);
	assert_non_null(strstr(cap.out, "\"lcp_rtt_ms\":47,\"lcp_rtt_age\":12,\"nat_t\":true,\"nat\":\"remote\",\"keepalive\":0,\"keepalives_sent\":0"));
	capture_end(&cap);
	answer = status_answer;
}

/*
 * The sysctl and NAT checks against recorded values: forwarding on
 * globally but off on the device; rp_filter strict on the device only;
 * loose everywhere; NAT read from an iptables-save NAT table, and a
 * firewall without NAT.
 */
static void dev_forwarding_off(const char *root)
{
	put(root, "/proc/sys/net/ipv4/conf/l2tpsec0/forwarding", "0\n", 0644);
	put(root, "/proc/sys/net/ipv4/conf/all/rp_filter", "0\n", 0644);
	put(root, "/proc/sys/net/ipv4/conf/l2tpsec0/rp_filter", "1\n", 0644);
}

static void loose_with_ipt_nat(const char *root)
{
	put(root, "/proc/sys/net/ipv4/conf/all/rp_filter", "2\n", 0644);
	put(root, "/proc/sys/net/ipv4/conf/l2tpsec0/rp_filter", "2\n", 0644);
	copy_data(root, "/nft.json", "nft-empty.json");
	copy_data(root, "/iptables.save", "ipt-multiport.save");
}

static void nat_in_nft(const char *root)
{
	copy_data(root, "/nft.json", "nft-set.json");
}

static void test_sysctl(void **state)
{
	struct capture cap;
	int ret;

	(void)state;
	tweak = dev_forwarding_off;
	run_diag("sound", true, false, &cap, &ret);
	assert_non_null(strstr(cap.out,
		"FAIL  forwarding: forwarding is off on l2tpsec0: clients reach this host only\n"
		"      fix: sysctl -w net.ipv4.conf.l2tpsec0.forwarding=1\n"));
	assert_non_null(strstr(cap.out, "warn  rp_filter: strict reverse-path filtering (all 0, l2tpsec0 1)"));
	/* nft-open.json has no NAT */
	assert_non_null(strstr(cap.out, "warn  nat: no NAT in the firewall"));
	capture_end(&cap);

	tweak = loose_with_ipt_nat;
	run_diag("sound", true, false, &cap, &ret);
	assert_non_null(strstr(cap.out, "ok    forwarding: IPv4 forwarding on\n"));
	assert_non_null(strstr(cap.out, "ok    rp_filter: rp_filter all 2, l2tpsec0 2\n"));
	assert_non_null(strstr(cap.out, "ok    nat: the firewall has NAT (masquerade or snat)\n"));
	/* iptables-save read: 1701 accepted and nothing listens on it */
	assert_non_null(strstr(cap.out, "warn  firewall: plain UDP 1701"));
	capture_end(&cap);

	tweak = nat_in_nft;
	run_diag("sound", true, false, &cap, &ret);
	assert_non_null(strstr(cap.out, "ok    nat: the firewall has NAT (masquerade or snat)\n"));
	assert_non_null(strstr(cap.out, "ok    firewall: ESP passes\n"));
	capture_end(&cap);
	tweak = NULL;
}

static void test_json(void **state)
{
	struct capture cap;
	int ret;

	(void)state;
	run_diag("broken", false, true, &cap, &ret);
	assert_int_equal(ret, 1);
	assert_non_null(strstr(cap.out, "\"check\":\"forwarding\",\"result\":\"fail\""));
	assert_non_null(strstr(cap.out, "\"fix\":\"chmod 600 /etc/l2tpsec/psk\""));
	assert_non_null(strstr(cap.out, "\"failures\":[{"));
	assert_non_null(strstr(cap.out, "\"class_name\":\"ppp-auth\""));
	assert_non_null(strstr(cap.out, "\"fail\":5,"));
	capture_end(&cap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_broken_host),
		cmocka_unit_test(test_sound_host),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_live_session),
		cmocka_unit_test(test_sysctl),
	};

	return cmocka_run_group_tests_name("diagnose", tests, NULL, NULL);
}
