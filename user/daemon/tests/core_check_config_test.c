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
#define GOOD_USERS	"alice * \"correct horse\" *\nbob * builder 10.99.0.50\n"

struct check_case {
	const char	*name;
	const char	*conf;		/* "$D" is the directory */
	const char	*secrets;	/* chap-secrets, NULL: none written */
	mode_t		secrets_mode;	/* 0: 0600 */
	mode_t		psk_mode;	/* 0: 0600 */
	int		exit;
	const char	*out;		/* stderr lines, then stdout's verdict */
};

static const struct check_case cases[] = {
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
	char *conf, *got;
	size_t n = 0, r;
	FILE *p;
	int st, bad;

	assert_non_null(mkdtemp(dir));
	conf = subst(c->conf, "$D", dir);
	write_file(dir, "l2tpsecd.conf", conf, 0600);
	write_file(dir, "psk", "not a good secret\n",
		   c->psk_mode ? c->psk_mode : 0600);
	if (c->secrets)
		write_file(dir, "chap-secrets", c->secrets,
			   c->secrets_mode ? c->secrets_mode : 0600);
	snprintf(cmd, sizeof(cmd),
		 "./l2tpsecd --check-config -c %s/l2tpsecd.conf 2>&1", dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	while ((r = fread(buf + n, 1, sizeof(buf) - 1 - n, p)) > 0)
		n += r;
	buf[n] = '\0';
	st = pclose(p);
	got = subst(buf, dir, "$D");
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
	};

	return cmocka_run_group_tests_name("check_config", tests, NULL, NULL);
}
