// SPDX-License-Identifier: GPL-2.0
/*
 * Table test: `l2tpsecd --check-config` on configurations, good, broken
 * and suspicious, asserting its exact output (the lines on stderr, the
 * verdict on stdout) and its exit code: 0 it would start, 1 it would not.
 * It checks what the start would: the file, the secret files it names
 * (existence, owner, mode), chap-secrets, the pool, [lac] password files,
 * [peer]/[lac] pairs, and warns about what is accepted but suspicious.
 *
 * Each case runs the real binary (./l2tpsecd, built by make check) on
 * files in a fresh directory; "$D" in the expected text stands for it.
 */
#include <errno.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#define SERVER_IKE	"[ike]\npsk-file = $D/psk\n"
#define SERVER_PPP	"[ppp]\nchap-secrets = $D/chap-secrets\n"
#define SERVER_POOL	"[pool]\nlocal = 10.99.0.1\nrange = 10.99.0.10-10.99.0.20\n"
#define GOOD_USERS_NOPIN "alice * \"correct horse\" *\n"
#define GOOD_USERS	"alice * \"correct horse\" *\nbob * builder 10.99.0.50\n"

struct check_case {
	const char	*name;
	const char	*conf;		/* "$D" is the directory */
	const char	*secrets;	/* chap-secrets, NULL: none written */
	mode_t		secrets_mode;	/* 0: 0600 */
	mode_t		psk_mode;	/* 0: 0600 */
	int		exit;
	const char	*out;		/* stderr lines, then stdout's verdict */
	bool		pki;		/* uses the certificates in "$P" */
	const char	*radius_secret;	/* $D/radius-secret, NULL: none */
	mode_t		radius_mode;	/* 0: 0600 */
};

#define RADIUS_OK	"[radius]\nservers = 127.0.0.1 [::1]:1812\n" \
			"secret-file = $D/radius-secret\nnas-identifier = vpn1\n" \
			"order = radius-only\ntimeout = 2s\ntries = 2\n"
#define SERVER_ALL	SERVER_IKE SERVER_PPP SERVER_POOL

/* A certificate, its key, another key, the key readable by others. */
static char pki[] = "/tmp/l2tpsec-check-pki.XXXXXX";
static bool have_pki;

static const struct check_case cases[] = {
	{
		.name = "radius good",
		.conf = SERVER_ALL RADIUS_OK,
		.secrets = GOOD_USERS_NOPIN,
		.radius_secret = "testing123\n",
		.exit = 0,
		.out = "$D/l2tpsecd.conf: OK\n",
	},
	{
		.name = "radius secret readable by others",
		.conf = SERVER_ALL RADIUS_OK,
		.secrets = GOOD_USERS_NOPIN,
		.radius_secret = "testing123\n",
		.radius_mode = 0640,
		.exit = 1,
		.out = "config: [radius] secret-file $D/radius-secret: mode 0640 lets others read the secrets; chmod 600 $D/radius-secret\n"
		       "$D/l2tpsecd.conf: 1 error, 0 warnings: would not start\n",
	},
	{
		.name = "radius secret missing",
		.conf = SERVER_ALL RADIUS_OK,
		.secrets = GOOD_USERS_NOPIN,
		.exit = 1,
		.out = "config: [radius] secret-file $D/radius-secret: No such file or directory\n"
		       "$D/l2tpsecd.conf: 1 error, 0 warnings: would not start\n",
	},
	{
		.name = "radius secret empty",
		.conf = SERVER_ALL RADIUS_OK,
		.secrets = GOOD_USERS_NOPIN,
		.radius_secret = "\n",
		.exit = 1,
		.out = "config: [radius] secret-file $D/radius-secret: the first line must be the shared secret, 1..128 bytes\n"
		       "$D/l2tpsecd.conf: 1 error, 0 warnings: would not start\n",
	},
	{
		.name = "radius without servers",
		.conf = SERVER_ALL "[radius]\nsecret-file = $D/radius-secret\n",
		.secrets = GOOD_USERS_NOPIN,
		.radius_secret = "testing123\n",
		.exit = 1,
		.out = "config: $D/l2tpsecd.conf: [radius]: needs servers = HOST[:PORT] ...\n"
		       "$D/l2tpsecd.conf: 1 error, 0 warnings: would not start\n",
	},
	{
		.name = "radius bad order and server",
		.conf = SERVER_ALL "[radius]\nservers = radius.example:1812\n"
			"secret-file = $D/radius-secret\norder = radius-first\n",
		.secrets = GOOD_USERS_NOPIN,
		.radius_secret = "testing123\n",
		.exit = 1,
		.out = "config: $D/l2tpsecd.conf:9: [radius] servers: \"radius.example:1812\": not an IPv4 HOST[:PORT] or [IPv6][:PORT] (port 1812 by default)\n"
		       "config: $D/l2tpsecd.conf:11: [radius] order: \"radius-first\": expected local-first or radius-only\n"
		       "config: $D/l2tpsecd.conf: [radius]: needs servers = HOST[:PORT] ...\n"
		       "$D/l2tpsecd.conf: 3 errors, 0 warnings: would not start\n",
	},
	{
		.name = "good server",
		.conf = SERVER_IKE SERVER_PPP SERVER_POOL,
		.secrets = "alice * \"correct horse\" *\n",
		.exit = 0,
		.out = "$D/l2tpsecd.conf: OK\n",
	},
	{
		/* before: OK (chap-secrets was read only at start) */
		.name = "chap-secrets missing",
		.conf = SERVER_IKE SERVER_PPP SERVER_POOL,
		.exit = 1,
		.out = "config: $D/chap-secrets: No such file or directory\n"
		       "$D/l2tpsecd.conf: 1 error, 0 warnings: would not start\n",
	},
	{
		/* before: OK */
		.name = "chap-secrets readable by others",
		.conf = SERVER_IKE SERVER_PPP SERVER_POOL,
		.secrets = GOOD_USERS,
		.secrets_mode = 0644,
		.exit = 1,
		.out = "config: $D/chap-secrets: mode 0644 lets others read the secrets; chmod 600 $D/chap-secrets\n"
		       "$D/l2tpsecd.conf: 1 error, 0 warnings: would not start\n",
	},
	{
		/* before: OK */
		.name = "chap-secrets with an open quote",
		.conf = SERVER_IKE SERVER_PPP SERVER_POOL,
		.secrets = "alice * \"correct horse *\n",
		.exit = 1,
		.out = "config: $D/chap-secrets:1: a quote opened here is not closed before the end of the file\n"
		       "$D/l2tpsecd.conf: 1 error, 0 warnings: would not start\n",
	},
	{
		.name = "psk file readable by others",
		.conf = SERVER_IKE SERVER_PPP SERVER_POOL,
		.secrets = GOOD_USERS,
		.psk_mode = 0640,
		.exit = 1,
		.out = "config: $D/l2tpsecd.conf: [ike]: $D/psk: mode 0640 lets others read the secrets; chmod 600 $D/psk\n"
		       "$D/l2tpsecd.conf: 1 error, 0 warnings: would not start\n",
	},
	{
		/* before: OK (the overlap was found only at start) */
		.name = "overlapping ranges",
		.conf = SERVER_IKE SERVER_PPP
			"[pool]\nlocal = 10.99.0.1\nrange = 10.99.0.10-10.99.0.20 10.99.0.15-10.99.0.30\n",
		.secrets = "alice * \"correct horse\" *\n",
		.exit = 1,
		.out = "config: [pool]: [pool] range 10.99.0.15-10.99.0.30 overlaps range 10.99.0.10-10.99.0.20\n"
		       "$D/l2tpsecd.conf: 1 error, 0 warnings: would not start\n",
	},
	{
		/* before: OK, silently */
		.name = "local address inside a range",
		.conf = SERVER_IKE SERVER_PPP
			"[pool]\nlocal = 10.99.0.12\nrange = 10.99.0.10-10.99.0.20\n",
		.secrets = "alice * \"correct horse\" *\n",
		.exit = 0,
		.out = "config: [pool] local 10.99.0.12 is inside range 10.99.0.10-10.99.0.20: it is never handed out; take it out of the range\n"
		       "$D/l2tpsecd.conf: OK, 1 warning\n",
	},
	{
		/* before: OK, silently (warned only at start) */
		.name = "pinned address outside the pool",
		.conf = SERVER_IKE SERVER_PPP SERVER_POOL,
		.secrets = GOOD_USERS,
		.exit = 0,
		.out = "config: $D/chap-secrets:2: user bob: pinned address 10.99.0.50 is outside every [pool] range; check that it is routed to this server\n"
		       "$D/l2tpsecd.conf: OK, 1 warning\n",
	},
	{
		.name = "user pinned to the local address",
		.conf = SERVER_IKE SERVER_PPP SERVER_POOL,
		.secrets = "bob * builder 10.99.0.1\n",
		.exit = 0,
		.out = "config: $D/chap-secrets:1: user bob: pinned address 10.99.0.1 is the server's own ([pool] local): the session cannot come up\n"
		       "$D/l2tpsecd.conf: OK, 1 warning\n",
	},
	{
		.name = "duplicate user, two users on one address",
		.conf = SERVER_IKE SERVER_PPP SERVER_POOL,
		.secrets = "alice * one 10.99.0.15\nalice * two *\ncarol * three 10.99.0.15\n",
		.exit = 0,
		.out = "config: $D/chap-secrets:2: user alice (server *) again (first on line 1); the first line wins\n"
		       "config: $D/chap-secrets:3: user carol: address 10.99.0.15 is pinned to user alice (line 1) too; only one of them can be connected at a time\n"
		       "$D/l2tpsecd.conf: OK, 2 warnings\n",
	},
	{
		.name = "' #' after a value",
		.conf = SERVER_IKE SERVER_PPP SERVER_POOL
			"[l2tp]\nhostname = lns # the server\n",
		.secrets = "alice * \"correct horse\" *\n",
		.exit = 0,
		.out = "config: $D/l2tpsecd.conf:9: [l2tp] hostname: the value goes on past ' #': '#' starts a comment only at the start of a line; put the comment on its own line or after ' ;'\n"
		       "$D/l2tpsecd.conf: OK, 1 warning\n",
	},
	{
		.name = "pppd's ms-dns",
		.conf = SERVER_IKE SERVER_PPP "ms-dns = 10.0.0.53\n" SERVER_POOL,
		.secrets = "alice * \"correct horse\" *\n",
		.exit = 1,
		.out = "config: $D/l2tpsecd.conf:5: [ppp] ms-dns: unknown key: pppd's ms-dns is dns = A.B.C.D [A.B.C.D] in [ppp]\n"
		       "$D/l2tpsecd.conf: 1 error, 0 warnings: would not start\n",
	},
	{
		.name = "xl2tpd's ip range",
		.conf = SERVER_IKE SERVER_PPP
			"[pool]\nlocal = 10.99.0.1\nip range = 10.99.0.10-10.99.0.20\n",
		.secrets = "alice * \"correct horse\" *\n",
		.exit = 1,
		.out = "config: $D/l2tpsecd.conf:7: [pool] ip range: unknown key: xl2tpd's ip range is range = A.B.C.D-A.B.C.D in [pool]\n"
		       "config: $D/l2tpsecd.conf: [pool]: [pool] needs at least one 'range' (e.g. range = 10.99.0.10-10.99.0.250)\n"
		       "$D/l2tpsecd.conf: 2 errors, 0 warnings: would not start\n",
	},
	{
		/* before: OK (the password file was read at connect) */
		.name = "client without its password file",
		.conf = SERVER_IKE
			"[peer office]\nremote = 192.0.2.1\ninitiate = yes\n"
			"[lac office]\nuser = alice\npassword-file = $D/alice.password\n",
		.exit = 1,
		.out = "config: $D/alice.password: No such file or directory\n"
		       "$D/l2tpsecd.conf: 1 error, 0 warnings: would not start\n",
	},
	{
		/* before: OK */
		.name = "[peer] and [lac] that do not pair",
		.conf = "[ike]\npsk-file = $D/psk\n"
			"[peer office]\nremote = 192.0.2.1\ninitiate = yes\n"
			"[lac ofice]\nuser = alice\npassword-file = $D/psk\n",
		.exit = 0,
		.out = "config: [peer office] initiates, but there is no [lac office]: IPsec comes up and no L2TP tunnel is started (a [lac] is named after its [peer])\n"
		       "config: [lac ofice] has no [peer ofice] with initiate = yes: it is never used\n"
		       "$D/l2tpsecd.conf: OK, 2 warnings\n",
	},
	{
		.name = "certificate and its key",
		.conf = "[ike]\ncert = $P/srv.pem\nkey = $P/srv.key\n",
		.exit = 0,
		.out = "$D/l2tpsecd.conf: OK\n",
		.pki = true,
	},
	{
		.name = "certificate with another key",
		.conf = "[ike]\ncert = $P/srv.pem\nkey = $P/other.key\n",
		.exit = 1,
		.out = "ike: key $P/other.key does not belong to the certificate $P/srv.pem\n"
		       "$D/l2tpsecd.conf: 1 error, 0 warnings: would not start\n",
		.pki = true,
	},
	{
		.name = "certificate missing",
		.conf = "[ike]\ncert = $P/none.pem\nkey = $P/srv.key\n",
		.exit = 1,
		.out = "ike: cert $P/none.pem: No such file or directory\n"
		       "$D/l2tpsecd.conf: 1 error, 0 warnings: would not start\n",
		.pki = true,
	},
	{
		.name = "key readable by others",
		.conf = "[ike]\ncert = $P/srv.pem\nkey = $P/open.key\n",
		.exit = 1,
		.out = "ike: key $P/open.key: mode 0644 lets others read the secrets; chmod 600 $P/open.key\n"
		       "$D/l2tpsecd.conf: 1 error, 0 warnings: would not start\n",
		.pki = true,
	},
	{
		.name = "not a certificate",
		.conf = "[ike]\ncert = $P/srv.key\nkey = $P/srv.key\n",
		.exit = 1,
		.out = "ike: cert $P/srv.key: no PEM certificate: error:0480006C:PEM routines::no start line\n"
		       "$D/l2tpsecd.conf: 1 error, 0 warnings: would not start\n",
		.pki = true,
	},
	{
		/* before: the log's rate limit cut it after 10 lines */
		.name = "twelve warnings of one kind",
		.conf = SERVER_IKE SERVER_PPP SERVER_POOL,
		.secrets = "u1 * pw 10.98.0.1\nu2 * pw 10.98.0.2\nu3 * pw 10.98.0.3\nu4 * pw 10.98.0.4\nu5 * pw 10.98.0.5\nu6 * pw 10.98.0.6\nu7 * pw 10.98.0.7\nu8 * pw 10.98.0.8\nu9 * pw 10.98.0.9\nu10 * pw 10.98.0.10\nu11 * pw 10.98.0.11\nu12 * pw 10.98.0.12\n",
		.exit = 0,
		.out = "config: $D/chap-secrets:1: user u1: pinned address 10.98.0.1 is outside every [pool] range; check that it is routed to this server\n"
		       "config: $D/chap-secrets:2: user u2: pinned address 10.98.0.2 is outside every [pool] range; check that it is routed to this server\n"
		       "config: $D/chap-secrets:3: user u3: pinned address 10.98.0.3 is outside every [pool] range; check that it is routed to this server\n"
		       "config: $D/chap-secrets:4: user u4: pinned address 10.98.0.4 is outside every [pool] range; check that it is routed to this server\n"
		       "config: $D/chap-secrets:5: user u5: pinned address 10.98.0.5 is outside every [pool] range; check that it is routed to this server\n"
		       "config: $D/chap-secrets:6: user u6: pinned address 10.98.0.6 is outside every [pool] range; check that it is routed to this server\n"
		       "config: $D/chap-secrets:7: user u7: pinned address 10.98.0.7 is outside every [pool] range; check that it is routed to this server\n"
		       "config: $D/chap-secrets:8: user u8: pinned address 10.98.0.8 is outside every [pool] range; check that it is routed to this server\n"
		       "config: $D/chap-secrets:9: user u9: pinned address 10.98.0.9 is outside every [pool] range; check that it is routed to this server\n"
		       "config: $D/chap-secrets:10: user u10: pinned address 10.98.0.10 is outside every [pool] range; check that it is routed to this server\n"
		       "config: $D/chap-secrets:11: user u11: pinned address 10.98.0.11 is outside every [pool] range; check that it is routed to this server\n"
		       "config: $D/chap-secrets:12: user u12: pinned address 10.98.0.12 is outside every [pool] range; check that it is routed to this server\n"
		       "$D/l2tpsecd.conf: OK, 12 warnings\n",
	},
	{
		.name = "syntax error",
		.conf = SERVER_IKE "this is not a key\n",
		.exit = 1,
		.out = "config: $D/l2tpsecd.conf:3: syntax error: expected [section], key = value or a comment\n"
		       "$D/l2tpsecd.conf: 1 error, 0 warnings: would not start\n",
	},
};

/* @in with every "$D" replaced by @dir. */
static char *subst(const char *in, const char *from, const char *to)
{
	size_t cap = strlen(in) * 4 + 4096, n = 0;
	char *out = malloc(cap);
	const char *p;

	assert_non_null(out);
	while ((p = strstr(in, from))) {
		n += (size_t)snprintf(out + n, cap - n, "%.*s%s",
				      (int)(p - in), in, to);
		in = p + strlen(from);
	}
	snprintf(out + n, cap - n, "%s", in);
	return out;
}

static void write_file(const char *dir, const char *name, const char *text,
		       mode_t mode)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

/* 0: as expected; 1: not (printed). */
static int run_case(const struct check_case *c)
{
	char dir[] = "/tmp/l2tpsec-check.XXXXXX", cmd[512], buf[8192];
	const char *want;
	char *conf, *got, *tmp;
	size_t n = 0, r;
	FILE *p;
	int st, bad;

	if (c->pki && !have_pki) {
		fprintf(stderr, "case '%s': no openssl command: skipped\n",
			c->name);
		return 0;
	}
	assert_non_null(mkdtemp(dir));
	tmp = subst(c->conf, "$D", dir);
	conf = subst(tmp, "$P", pki);
	free(tmp);
	write_file(dir, "l2tpsecd.conf", conf, 0600);
	write_file(dir, "psk", "not a good secret\n",
		   c->psk_mode ? c->psk_mode : 0600);
	if (c->secrets)
		write_file(dir, "chap-secrets", c->secrets,
			   c->secrets_mode ? c->secrets_mode : 0600);
	if (c->radius_secret)
		write_file(dir, "radius-secret", c->radius_secret,
			   c->radius_mode ? c->radius_mode : 0600);
	snprintf(cmd, sizeof(cmd),
		 "./l2tpsecd --check-config -c %s/l2tpsecd.conf 2>&1", dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	while ((r = fread(buf + n, 1, sizeof(buf) - 1 - n, p)) > 0)
		n += r;
	buf[n] = '\0';
	st = pclose(p);
	tmp = subst(buf, dir, "$D");
	got = subst(tmp, pki, "$P");
	free(tmp);
	want = c->out;
	bad = strcmp(got, want) || !WIFEXITED(st) ||
	      WEXITSTATUS(st) != c->exit;
	if (bad)
		print_error("case '%s': exit %d (want %d)\n--- got:\n%s--- want:\n%s",
			    c->name, WIFEXITED(st) ? WEXITSTATUS(st) : -1,
			    c->exit, got, want);
	free(got);
	free(conf);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	return bad;
}

static void test_table(void **state)
{
	unsigned int i, bad = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		bad += run_case(&cases[i]);
	assert_int_equal(bad, 0);
}

static int setup(void **state)
{
	char cmd[1024];

	(void)state;
	if (!mkdtemp(pki))
		return -1;
	snprintf(cmd, sizeof(cmd),
		 "command -v openssl >/dev/null && cd %s && "
		 "openssl req -x509 -newkey rsa:2048 -nodes -keyout srv.key -out srv.pem -days 30 -subj /CN=vpn.example.org >/dev/null 2>&1 && "
		 "openssl genrsa -out other.key 2048 >/dev/null 2>&1 && "
		 "cp srv.key open.key && chmod 600 srv.key other.key && chmod 644 open.key",
		 pki);
	have_pki = system(cmd) == 0;
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", pki);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
	};

	return cmocka_run_group_tests_name("check_config", tests, setup,
					   teardown);
}
