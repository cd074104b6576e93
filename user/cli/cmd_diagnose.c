// SPDX-License-Identifier: GPL-2.0
/*
 * diagnose [PEER|USER]: the troubleshooting guides' checklist run against
 * this host and this daemon. Each line is ok, warn or FAIL with the fix;
 * the exit status is 1 when anything is FAIL, so monitoring can run it.
 *
 * What it reads: the daemon's "status" answer (control socket), /sys and
 * /proc (module, device, UDP sockets, sysctls), the firewall rulesets
 * (`nft -j list ruleset`, `iptables-save`; fwcheck.c), l2tpsecd.conf and
 * the files it names (secret file modes, the pool, certificates).
 *
 * L2TPSEC_DIAG_ROOT (tests): a directory that stands for / for every file
 * read, whose nft.json and iptables.save stand for the two commands.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <linux/l2tpsec.h>

#include "args.h"
#include "cli.h"
#include "ctlclient.h"
#include "escape.h"
#include "fwcheck.h"
#include "json.h"
#include "print.h"
#include "show.h"
#include "status.h"

#ifndef L2TPSEC_VERSION
#define L2TPSEC_VERSION	"0.1"
#endif

#define DIAG_CONFIG	"/etc/l2tpsec/l2tpsecd.conf"
#define DIAG_CHAP	"/etc/l2tpsec/chap-secrets"
#define DIAG_MAX_OUT	(16u << 20)	/* a firewall ruleset */
#define DIAG_CERT_DAYS	30

enum level { L_OK, L_WARN, L_FAIL };

struct diag {
	struct cli	*c;
	const char	*root;		/* "" or L2TPSEC_DIAG_ROOT */
	struct json	js;
	unsigned int	nfail, nwarn;
	char		device[32];
	bool		l1701;		/* something listens on UDP 1701 */
	char		*nft, *ipt;	/* ruleset texts, NULL: none */
};

static void result(struct diag *d, const char *check, enum level lvl,
		   const char *fix, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void result(struct diag *d, const char *check, enum level lvl,
		   const char *fix, const char *fmt, ...)
{
	static const char *const names[] = { "ok", "warn", "FAIL" };
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	d->nfail += lvl == L_FAIL;
	d->nwarn += lvl == L_WARN;
	if (d->c->json) {
		json_obj_open(&d->js, NULL);
		json_str(&d->js, "check", check);
		json_str(&d->js, "result", lvl == L_OK ? "ok" :
			 lvl == L_WARN ? "warn" : "fail");
		json_str(&d->js, "detail", text);
		if (lvl != L_OK && fix)
			json_str(&d->js, "fix", fix);
		json_obj_close(&d->js);
		return;
	}
	fprintf(d->c->out, "%-5s %s: %s\n", names[lvl], check, text);
	if (lvl != L_OK && fix)
		fprintf(d->c->out, "      fix: %s\n", fix);
}

static void rpath(const struct diag *d, char *buf, size_t len,
		  const char *path)
{
	snprintf(buf, len, "%s%s", d->root, path);
}

/* The first line of a small file, trimmed: 0 or -errno. */
static int read_line(const struct diag *d, const char *path, char *out,
		     size_t len)
{
	char p[512];
	FILE *f;
	size_t n;

	rpath(d, p, sizeof(p), path);
	f = fopen(p, "re");
	if (!f)
		return -errno;
	if (!fgets(out, (int)len, f))
		out[0] = '\0';
	fclose(f);
	n = strlen(out);
	while (n && isspace((unsigned char)out[n - 1]))
		out[--n] = '\0';
	return 0;
}

static long read_num(const struct diag *d, const char *path, long dflt)
{
	char buf[64], *end;
	long v;

	if (read_line(d, path, buf, sizeof(buf)))
		return dflt;
	v = strtol(buf, &end, 0);
	return end == buf ? dflt : v;
}

static char *read_all(FILE *f)
{
	size_t have = 0, cap = 65536;
	char *buf = malloc(cap), *n;
	size_t r;

	if (!buf)
		return NULL;
	while ((r = fread(buf + have, 1, cap - have - 1, f)) > 0) {
		have += r;
		if (have + 1 == cap) {
			if (cap >= DIAG_MAX_OUT) {
				free(buf);
				return NULL;
			}
			n = realloc(buf, cap * 2);
			if (!n) {
				free(buf);
				return NULL;
			}
			buf = n;
			cap *= 2;
		}
	}
	buf[have] = '\0';
	return buf;
}

/* The output of @argv (an absolute path, no shell), or NULL. */
static char *run_cmd(char *const argv[])
{
	int pfd[2], status;
	char *out;
	FILE *f;
	pid_t pid;

	if (access(argv[0], X_OK) || pipe2(pfd, O_CLOEXEC))
		return NULL;
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return NULL;
	}
	if (!pid) {
		int null = open("/dev/null", O_RDWR);

		dup2(pfd[1], 1);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 2);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	close(pfd[1]);
	f = fdopen(pfd[0], "r");
	out = f ? read_all(f) : NULL;
	if (f)
		fclose(f);
	else
		close(pfd[0]);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		free(out);
		return NULL;
	}
	return out;
}

static char *read_file_all(const struct diag *d, const char *path)
{
	char p[512], *out;
	FILE *f;

	rpath(d, p, sizeof(p), path);
	f = fopen(p, "re");
	if (!f)
		return NULL;
	out = read_all(f);
	fclose(f);
	return out;
}

/* ---- the module, the device, the sockets --------------------------------- */

static void check_module(struct diag *d, const char *daemon_version)
{
	char v[128];

	if (read_line(d, "/sys/module/l2tpsec/initstate", v, sizeof(v)) &&
	    read_line(d, "/sys/module/l2tpsec/version", v, sizeof(v))) {
		result(d, "module", L_FAIL, "modprobe l2tpsec (or install the l2tpsec-dkms package)",
		       "l2tpsec.ko is not loaded");
		return;
	}
	if (read_line(d, "/sys/module/l2tpsec/version", v, sizeof(v))) {
		result(d, "module", L_WARN, NULL,
		       "l2tpsec.ko loaded, its version unknown");
		return;
	}
	if (daemon_version && strcmp(v, daemon_version)) {
		result(d, "module", L_WARN,
		       "after an upgrade, stop l2tpsecd, reload the module (modprobe -r l2tpsec; modprobe l2tpsec) and start l2tpsecd",
		       "l2tpsec.ko %s, l2tpsecd %s: versions differ", v,
		       daemon_version);
		return;
	}
	result(d, "module", L_OK, NULL, "l2tpsec.ko %s loaded", v);
}

static bool fw_text_has(const struct diag *d, const char *const *words)
{
	size_t i;

	for (i = 0; words[i]; i++)
		if ((d->nft && strstr(d->nft, words[i])) ||
		    (d->ipt && strstr(d->ipt, words[i])))
			return true;
	return false;
}

static void check_device(struct diag *d)
{
	static const char *const mss[] = { "maxseg", "TCPMSS", NULL };
	char p[128], fix[256];
	long flags, mtu;

	snprintf(p, sizeof(p), "/sys/class/net/%s/flags", d->device);
	flags = read_num(d, p, -1);
	if (flags < 0) {
		result(d, "device", L_FAIL,
		       "start l2tpsecd (it creates the device), or set device in [daemon] to the one it uses",
		       "%s does not exist", d->device);
		return;
	}
	snprintf(p, sizeof(p), "/sys/class/net/%s/mtu", d->device);
	mtu = read_num(d, p, 0);
	if (!(flags & 1)) {
		snprintf(fix, sizeof(fix),
			 "ip link set dev %s up (l2tpsecd sets it up at start)",
			 d->device);
		result(d, "device", L_FAIL, fix,
		       "%s is down (mtu %ld)", d->device, mtu);
		return;
	}
	/* ESP in UDP, L2TP and PPP take up to ~90 bytes of a 1500-byte path */
	if (mtu > 1410)
		result(d, "device", L_WARN,
		       (snprintf(fix, sizeof(fix),
				 "ip link set dev %s mtu 1400 (the outer path must carry the inner packet plus ESP, UDP, L2TP and PPP headers)",
				 d->device), fix),
		       "%s up, mtu %ld: full-size inner packets do not fit a 1500-byte path once encapsulated",
		       d->device, mtu);
	else
		result(d, "device", L_OK, NULL, "%s up, mtu %ld", d->device,
		       mtu);
	if (!d->nft && !d->ipt)
		return;
	if (fw_text_has(d, mss))
		result(d, "mss-clamping", L_OK, NULL,
		       "the firewall clamps TCP MSS");
	else
		result(d, "mss-clamping", L_WARN,
		       "nft add rule inet filter forward tcp flags syn tcp option maxseg size set rt mtu (or iptables -t mangle -A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu)",
		       "no TCP MSS clamping in the firewall: TCP through the tunnel relies on path MTU discovery");
}

/* Is a UDP socket bound to @port (any address)? */
static bool udp_bound(const struct diag *d, const char *table, unsigned int port)
{
	char *text = read_file_all(d, table), *line, *save = NULL;
	bool found = false;

	if (!text)
		return false;
	for (line = strtok_r(text, "\n", &save); line && !found;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned int p;
		char *colon = strchr(line, ':');

		/* "  12: 00000000:01F4 00000000:0000 07 ..." */
		if (!colon)
			continue;
		colon = strchr(colon + 1, ':');
		if (colon && sscanf(colon + 1, "%x", &p) == 1 && p == port)
			found = true;
	}
	free(text);
	return found;
}

static void check_sockets(struct diag *d)
{
	static const unsigned int ports[] = { 500, 4500 };
	size_t i;

	for (i = 0; i < 2; i++) {
		if (udp_bound(d, "/proc/net/udp", ports[i]))
			result(d, "udp", L_OK, NULL, "UDP %u bound", ports[i]);
		else
			result(d, "udp", L_FAIL,
			       "start l2tpsecd; if it runs, another IKE daemon may hold the port (ss -ulpn)",
			       "nothing listens on UDP %u", ports[i]);
	}
	d->l1701 = udp_bound(d, "/proc/net/udp", 1701);
}

/* ---- the firewall ------------------------------------------------------------ */

static void load_rulesets(struct diag *d)
{
	if (*d->root) {
		d->nft = read_file_all(d, "/nft.json");
		d->ipt = read_file_all(d, "/iptables.save");
		return;
	}
	{
		char *nft[] = { "/usr/sbin/nft", "-j", "list", "ruleset", NULL };
		char *ipt[] = { "/usr/sbin/iptables-save", NULL };
		char *legacy[] = { "/usr/sbin/iptables-legacy-save", NULL };

		d->nft = run_cmd(nft);
		d->ipt = run_cmd(ipt);
		/* with the nft backend, legacy rules are another ruleset */
		if (d->ipt && strstr(d->ipt, "(nf_tables)")) {
			char *l = run_cmd(legacy);

			if (l && strstr(l, "-A ")) {
				char *both = malloc(strlen(d->ipt) + strlen(l) + 1);

				if (both) {
					strcpy(both, d->ipt);
					strcat(both, l);
					free(d->ipt);
					d->ipt = both;
				}
			}
			free(l);
		}
	}
}

static void check_firewall(struct diag *d)
{
	static const struct {
		struct fw_probe	p;
		const char	*name;
	} in[] = {
		{ { FW_UDP, 500 }, "UDP 500 (IKE)" },
		{ { FW_UDP, 4500 }, "UDP 4500 (NAT-T)" },
		{ { FW_ESP, 0 }, "ESP" },
	};
	struct fw_ruleset *nft = NULL, *ipt = NULL;
	bool ipt_nft = d->ipt && strstr(d->ipt, "(nf_tables)");
	char err[256], why[256], why2[256], fix[320];
	struct fw_probe l2tp = { FW_UDP, 1701 };
	enum fw_result r;
	size_t i;

	if (!d->nft && !d->ipt) {
		result(d, "firewall", L_WARN,
		       "run as root with nft or iptables-save installed",
		       "no ruleset read (nft -j list ruleset and iptables-save failed or are missing)");
		return;
	}
	if (d->nft && !(nft = fw_parse_nft_json_ex(d->nft, ipt_nft, err,
						    sizeof(err))))
		result(d, "firewall", L_WARN, NULL,
		       "nft -j list ruleset: %s", err);
	if (d->ipt && !(ipt = fw_parse_iptables_save(d->ipt, err, sizeof(err))))
		result(d, "firewall", L_WARN, NULL, "iptables-save: %s", err);
	for (i = 0; i < 3; i++) {
		why[0] = why2[0] = '\0';
		r = fw_combine(nft ? fw_check(nft, &in[i].p, why, sizeof(why)) :
				     FW_NO_RULES,
			       ipt ? fw_check(ipt, &in[i].p, why2, sizeof(why2)) :
				     FW_NO_RULES);
		if (!why[0] || (ipt && fw_check(ipt, &in[i].p, NULL, 0) == r))
			snprintf(why, sizeof(why), "%s", why2);
		snprintf(fix, sizeof(fix), "let %s in: %s", in[i].name,
			 in[i].p.proto == FW_ESP ?
			 "nft add rule inet filter input meta l4proto esp accept" :
			 in[i].p.dport == 500 ?
			 "nft add rule inet filter input udp dport 500 accept" :
			 "nft add rule inet filter input udp dport 4500 accept");
		if (r == FW_CLOSED)
			result(d, "firewall", L_FAIL, fix, "%s is dropped (%s)",
			       in[i].name, why);
		else if (r == FW_DEPENDS)
			result(d, "firewall", L_WARN, fix,
			       "%s passes only for some sources or states (%s)",
			       in[i].name, why);
		else
			result(d, "firewall", L_OK, NULL, "%s passes", in[i].name);
	}
	r = fw_combine(nft ? fw_check(nft, &l2tp, why, sizeof(why)) : FW_NO_RULES,
		       ipt ? fw_check(ipt, &l2tp, why2, sizeof(why2)) : FW_NO_RULES);
	if (r == FW_CLOSED)
		result(d, "firewall", L_OK, NULL,
		       "plain UDP 1701 (L2TP without IPsec) is dropped");
	else
		result(d, "firewall", d->l1701 ? L_FAIL : L_WARN,
		       "drop UDP 1701 from outside: nft add rule inet filter input udp dport 1701 drop (l2tpsec's L2TP arrives inside ESP and never needs it)",
		       "plain UDP 1701 %s from outside%s", r == FW_DEPENDS ?
		       "passes for some sources" : "passes",
		       d->l1701 ? " and a socket listens on it: L2TP without encryption is exposed" :
		       " (nothing listens on it now)");
	fw_free(nft);
	fw_free(ipt);
}

/* ---- forwarding, NAT, rp_filter -------------------------------------------- */

static void check_forwarding(struct diag *d)
{
	static const char *const nat[] = { "masquerade", "MASQUERADE", "\"snat\"",
					   "SNAT", NULL };
	char p[128], fix[256];
	long all, dev, rp_all, rp_dev;

	all = read_num(d, "/proc/sys/net/ipv4/ip_forward", -1);
	snprintf(p, sizeof(p), "/proc/sys/net/ipv4/conf/%s/forwarding",
		 d->device);
	dev = read_num(d, p, -1);
	if (all == 0)
		result(d, "forwarding", L_FAIL,
		       "sysctl -w net.ipv4.ip_forward=1 (and in /etc/sysctl.d/ to keep it)",
		       "net.ipv4.ip_forward = 0: clients reach this host only");
	else if (dev == 0)
		result(d, "forwarding", L_FAIL,
		       (snprintf(fix, sizeof(fix),
				 "sysctl -w net.ipv4.conf.%s.forwarding=1",
				 d->device), fix),
		       "forwarding is off on %s: clients reach this host only",
		       d->device);
	else if (all < 0)
		result(d, "forwarding", L_WARN, NULL,
		       "net.ipv4.ip_forward unreadable");
	else
		result(d, "forwarding", L_OK, NULL, "IPv4 forwarding on");
	if (d->nft || d->ipt) {
		if (fw_text_has(d, nat))
			result(d, "nat", L_OK, NULL,
			       "the firewall has NAT (masquerade or snat)");
		else
			result(d, "nat", L_WARN,
			       "nft add rule ip nat postrouting ip saddr POOL oif WAN masquerade, or a route back to the pool on the LAN's router",
			       "no NAT in the firewall: hosts beyond this one need a route back to the pool's subnet");
	}
	rp_all = read_num(d, "/proc/sys/net/ipv4/conf/all/rp_filter", 0);
	snprintf(p, sizeof(p), "/proc/sys/net/ipv4/conf/%s/rp_filter",
		 d->device);
	rp_dev = read_num(d, p, 0);
	if ((rp_all > rp_dev ? rp_all : rp_dev) == 1)
		result(d, "rp_filter", L_WARN,
		       (snprintf(fix, sizeof(fix),
				 "sysctl -w net.ipv4.conf.all.rp_filter=2 net.ipv4.conf.%s.rp_filter=2 (loose)",
				 d->device), fix),
		       "strict reverse-path filtering (all %ld, %s %ld) drops client packets whose source is not routed back via the device",
		       rp_all, d->device, rp_dev);
	else
		result(d, "rp_filter", L_OK, NULL, "rp_filter all %ld, %s %ld",
		       rp_all, d->device, rp_dev);
}

/* ---- the configuration and the files it names ---------------------------- */

static void check_secret_file(struct diag *d, const char *path, bool named)
{
	char p[512], fix[600];
	struct stat st;

	rpath(d, p, sizeof(p), path);
	if (stat(p, &st) < 0) {
		if (named)
			result(d, "secrets", L_FAIL, "create it, mode 0600, or fix the path in l2tpsecd.conf",
			       "%s: %s", path, strerror(errno));
		return;
	}
	snprintf(fix, sizeof(fix), "chmod 600 %s", path);
	if (st.st_mode & 0007)
		result(d, "secrets", L_FAIL, fix,
		       "%s is readable by everyone (mode %04o)", path,
		       (unsigned int)(st.st_mode & 07777));
	else if (st.st_mode & 0070)
		result(d, "secrets", L_WARN, fix,
		       "%s is readable by its group (mode %04o)", path,
		       (unsigned int)(st.st_mode & 07777));
	else
		result(d, "secrets", L_OK, NULL, "%s mode %04o", path,
		       (unsigned int)(st.st_mode & 07777));
}

static int check_cert_file(struct diag *d, const char *path)
{
	char p[512], name[256];
	time_t now = time(NULL);
	X509 *x;
	FILE *f;
	int n = 0;

	rpath(d, p, sizeof(p), path);
	f = fopen(p, "re");
	if (!f) {
		result(d, "certificates", L_FAIL, "fix the path in l2tpsecd.conf",
		       "%s: %s", path, strerror(errno));
		return 0;
	}
	while ((x = PEM_read_X509(f, NULL, NULL, NULL))) {
		int days = 0, secs = 0;

		n++;
		X509_NAME_oneline(X509_get_subject_name(x), name, sizeof(name));
		if (X509_cmp_time(X509_get0_notBefore(x), &now) > 0) {
			result(d, "certificates", L_FAIL,
			       "check this host's clock (timedatectl), or wait until the certificate is valid",
			       "%s (%s) is not valid yet: clock skew?", path,
			       name);
		} else if (X509_cmp_time(X509_get0_notAfter(x), &now) < 0) {
			result(d, "certificates", L_FAIL, "renew the certificate",
			       "%s (%s) has expired", path, name);
		} else if (ASN1_TIME_diff(&days, &secs, NULL,
					  X509_get0_notAfter(x)) &&
			   days < DIAG_CERT_DAYS) {
			result(d, "certificates", L_WARN, "renew the certificate",
			       "%s (%s) expires in %d days", path, name, days);
		} else {
			result(d, "certificates", L_OK, NULL,
			       "%s (%s) valid for %d days", path, name, days);
		}
		X509_free(x);
	}
	fclose(f);
	if (!n)
		result(d, "certificates", L_FAIL, "a PEM certificate is expected",
		       "%s holds no certificate", path);
	return n;
}

static bool ipv4_parse(const char *s, uint32_t *out)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return false;
	*out = ntohl(a.s_addr);
	return true;
}

/* Addresses in "A", "A-B" or "A/N" (network and broadcast left out). */
static uint64_t range_size(const char *r)
{
	char buf[64], *sep;
	uint32_t a, b;
	unsigned long n;

	snprintf(buf, sizeof(buf), "%s", r);
	if ((sep = strchr(buf, '-'))) {
		*sep = '\0';
		if (!ipv4_parse(buf, &a) || !ipv4_parse(sep + 1, &b) || b < a)
			return 0;
		return (uint64_t)b - a + 1;
	}
	if ((sep = strchr(buf, '/'))) {
		*sep = '\0';
		n = strtoul(sep + 1, NULL, 10);
		if (!ipv4_parse(buf, &a) || n > 32)
			return 0;
		return n >= 31 ? (uint64_t)1 << (32 - n) :
		       ((uint64_t)1 << (32 - n)) - 2;
	}
	return ipv4_parse(buf, &a) ? 1 : 0;
}

static uint64_t ranges_size(char *list)
{
	char *save = NULL, *w;
	uint64_t n = 0;

	for (w = strtok_r(list, " \t,", &save); w;
	     w = strtok_r(NULL, " \t,", &save))
		n += range_size(w);
	return n;
}

static void check_config(struct diag *d, const char *path, uint64_t sessions,
			 bool daemon_up)
{
	char *text = read_file_all(d, path), *line, *save = NULL;
	char section[64] = "", chap[256] = DIAG_CHAP;
	uint64_t pool = 0, excluded = 0;
	bool inline_psk = false, legacy = false, have_pool = false;
	int certs = 0;

	if (!text) {
		result(d, "config", L_WARN, "diagnose config FILE names another",
		       "%s: %s: secret files, pool and certificates not checked",
		       path, strerror(errno));
		return;
	}
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *k = line, *v, *e;

		while (isspace((unsigned char)*k))
			k++;
		if (*k == '#' || *k == ';' || !*k)
			continue;
		if (*k == '[') {
			snprintf(section, sizeof(section), "%s", k + 1);
			if ((e = strchr(section, ']')))
				*e = '\0';
			continue;
		}
		v = strchr(k, '=');
		if (!v)
			continue;
		for (e = v; e > k && isspace((unsigned char)e[-1]); e--)
			;
		*e = '\0';
		for (v++; isspace((unsigned char)*v); v++)
			;
		for (e = v + strlen(v); e > v && isspace((unsigned char)e[-1]); e--)
			;
		*e = '\0';
		if (!strcmp(k, "psk"))
			inline_psk = true;
		else if (!strcmp(k, "psk-file") || !strcmp(k, "key") ||
			 !strcmp(k, "password-file"))
			check_secret_file(d, v, true);
		else if (!strcmp(k, "chap-secrets"))
			snprintf(chap, sizeof(chap), "%s", v);
		else if (!strcmp(k, "cert") || !strcmp(k, "ca"))
			certs += check_cert_file(d, v);
		else if (!strcmp(k, "legacy") && !strncmp(section, "ike", 3))
			legacy = !strcmp(v, "yes") || !strcmp(v, "true") ||
				 !strcmp(v, "1") || !strcmp(v, "on");
		else if (!strcmp(k, "range") && !strcmp(section, "pool")) {
			pool += ranges_size(v);
			have_pool = true;
		} else if (!strcmp(k, "exclude") && !strcmp(section, "pool")) {
			excluded += ranges_size(v);
		}
	}
	free(text);
	if (inline_psk)
		check_secret_file(d, path, true);
	check_secret_file(d, chap, strcmp(chap, DIAG_CHAP));
	if (legacy)
		result(d, "algorithms", L_WARN,
		       "set legacy = no in [ike] once every client can do AES with SHA-2 and modp2048",
		       "legacy = yes: 3DES, SHA-1, MD5 and modp1024 are accepted");
	else
		result(d, "algorithms", L_OK, NULL, "legacy algorithms off");
	if (have_pool) {
		uint64_t total = pool > excluded ? pool - excluded : 0;
		uint64_t free_n = total > sessions ? total - sessions : 0;

		if (!free_n)
			result(d, "pool", L_FAIL,
			       "add addresses with range in [pool]",
			       "no free address (%" PRIu64 " in the pool, %" PRIu64 " sessions)",
			       total, sessions);
		else if (free_n * 10 < total)
			result(d, "pool", L_WARN,
			       "add addresses with range in [pool]",
			       "%" PRIu64 " of %" PRIu64 " addresses free",
			       free_n, total);
		else
			result(d, "pool", L_OK, NULL,
			       "%" PRIu64 " of %" PRIu64 " addresses free%s",
			       free_n, total, daemon_up ? "" :
			       " (sessions unknown)");
	}
	(void)certs;
}

/* ---- one peer or user ---------------------------------------------------------- */

static uint64_t num(const struct l2_ctl_record *r, const char *key)
{
	uint64_t v = 0;

	l2_ctl_get_u64(r, key, &v);
	return v;
}

static const char *val(const struct l2_ctl_record *r, const char *key)
{
	const char *v = l2_ctl_get(r, key);

	return v ? v : "";
}

/* The drop counters of @st by reason (all of them in JSON, those not 0 in text). */
static void put_drops(struct diag *d, const char *what,
		      const struct l2_stats *st)
{
	const char *name;
	bool any = false;
	size_t i;
	int attr;

	if (d->c->json) {
		json_obj_open(&d->js, what);
		for (i = 0; print_drop_stat(i, &attr, &name); i++)
			json_u64(&d->js, name, st->v[attr]);
		json_obj_close(&d->js);
		return;
	}
	fprintf(d->c->out, "  drops (%s):", what);
	for (i = 0; print_drop_stat(i, &attr, &name); i++) {
		if (!st->v[attr])
			continue;
		fprintf(d->c->out, " %s %" PRIu64, name, st->v[attr]);
		any = true;
	}
	fputs(any ? "\n" : " none\n", d->c->out);
}

/*
 * A live session's health from the daemon's record: the last LCP echo
 * round trip, NAT-T and keepalives.
 */
static void session_health(struct diag *d, const struct l2_ctl_record *r)
{
	bool rtt = l2_ctl_get(r, "lcp-rtt-ms") != NULL,
	     natt = l2_ctl_get(r, "nat-t") != NULL;

	if (d->c->json) {
		json_u64(&d->js, "lcp_echo_tx", num(r, "lcp-echo-tx"));
		json_u64(&d->js, "lcp_echo_rx", num(r, "lcp-echo-rx"));
		if (rtt) {
			json_u64(&d->js, "lcp_rtt_ms", num(r, "lcp-rtt-ms"));
			json_u64(&d->js, "lcp_rtt_age", num(r, "lcp-rtt-age"));
		}
		if (natt) {
			json_bool(&d->js, "nat_t", !strcmp(val(r, "nat-t"), "yes"));
			json_str(&d->js, "nat", val(r, "nat"));
			json_u64(&d->js, "keepalive", num(r, "keepalive"));
			json_u64(&d->js, "keepalives_sent", num(r, "keepalives-sent"));
		}
		return;
	}
	if (rtt)
		fprintf(d->c->out,
			"  LCP echo: last round trip %" PRIu64 " ms, %" PRIu64 " s ago (%" PRIu64 " requests, %" PRIu64 " replies)\n",
			num(r, "lcp-rtt-ms"), num(r, "lcp-rtt-age"),
			num(r, "lcp-echo-tx"), num(r, "lcp-echo-rx"));
	else
		fprintf(d->c->out,
			"  LCP echo: no reply timed yet (%" PRIu64 " requests, %" PRIu64 " replies; lcp-echo-interval in [ppp])\n",
			num(r, "lcp-echo-tx"), num(r, "lcp-echo-rx"));
	if (!natt)
		return;
	if (strcmp(val(r, "nat-t"), "yes"))
		fprintf(d->c->out, "  NAT-T: no (raw ESP), NAT %s\n", val(r, "nat"));
	else if (num(r, "keepalive"))
		fprintf(d->c->out,
			"  NAT-T: yes, NAT %s; we send keepalives every %" PRIu64 " s (%" PRIu64 " sent)\n",
			val(r, "nat"), num(r, "keepalive"),
			num(r, "keepalives-sent"));
	else
		fprintf(d->c->out,
			"  NAT-T: yes, NAT %s; we send no keepalives (we are not behind the NAT; the client's are not counted)\n",
			val(r, "nat"));
}

static void check_target(struct diag *d, const char *target,
			 const struct answer *ans, const struct show_dev *dev)
{
	char te[L2_ESC_SIZE(128)], ue[L2_ESC_SIZE(L2_CTL_MAX_USER)];
	struct in_addr a;
	bool is_addr = inet_pton(AF_INET, target, &a) == 1;
	unsigned int nfail = 0, nsess = 0;
	size_t i, j;

	l2_escape_str(te, sizeof(te), target);
	if (d->c->json)
		json_arr_open(&d->js, "failures");
	else
		fprintf(d->c->out, "\n%s %s: last failures\n",
			is_addr ? "peer" : "user", te);
	for (i = 0; ans && i < ans->n; i++) {
		const struct l2_ctl_record *r = ans->recs[i];

		if (strcmp(r->type, "failure") ||
		    strcmp(val(r, is_addr ? "peer" : "user"), target))
			continue;
		nfail++;
		if (d->c->json)
			status_json_failure(&d->js, r);
		else
			status_print_failure(d->c, r);
	}
	if (d->c->json) {
		json_arr_close(&d->js);
		json_arr_open(&d->js, "sessions");
	} else if (!nfail) {
		fputs("  none recorded\n", d->c->out);
	}
	for (i = 0; ans && i < ans->n; i++) {
		const struct l2_ctl_record *r = ans->recs[i];
		const struct l2_session *s = NULL;
		const struct l2_peer *p = NULL;

		if (strcmp(r->type, "session") ||
		    strcmp(val(r, is_addr ? "outer" : "user"), target))
			continue;
		nsess++;
		for (j = 0; dev && j < dev->n_sessions; j++)
			if (dev->sessions[j].peer_id == num(r, "peer-id") &&
			    dev->sessions[j].local_tunnel_id == num(r, "tunnel") &&
			    dev->sessions[j].local_session_id == num(r, "session"))
				s = &dev->sessions[j];
		for (j = 0; dev && j < dev->n_peers; j++)
			if (dev->peers[j].id == num(r, "peer-id"))
				p = &dev->peers[j];
		if (d->c->json) {
			json_obj_open(&d->js, NULL);
			json_str(&d->js, "user", val(r, "user"));
			json_str(&d->js, "address", val(r, "address"));
			json_str(&d->js, "phase", val(r, "phase"));
			json_u64(&d->js, "uptime", num(r, "uptime"));
			if (s) {
				json_u64(&d->js, "rx_packets", s->stats.v[L2TPSEC_A_STATS_RX_PACKETS]);
				json_u64(&d->js, "rx_bytes", s->stats.v[L2TPSEC_A_STATS_RX_BYTES]);
				json_u64(&d->js, "tx_packets", s->stats.v[L2TPSEC_A_STATS_TX_PACKETS]);
				json_u64(&d->js, "tx_bytes", s->stats.v[L2TPSEC_A_STATS_TX_BYTES]);
				json_u64(&d->js, "malformed_drops", s->stats.v[L2TPSEC_A_STATS_MALFORMED_DROPS]);
				json_u64(&d->js, "inner_source_drops", s->stats.v[L2TPSEC_A_STATS_INNER_SOURCE_DROPS]);
				json_u64(&d->js, "tx_errors", s->stats.v[L2TPSEC_A_STATS_TX_ERRORS]);
				put_drops(d, "session_drops", &s->stats);
			}
			if (p)
				put_drops(d, "peer_drops", &p->stats);
			session_health(d, r);
			json_obj_close(&d->js);
			continue;
		}
		fprintf(d->c->out, "\nlive session: %s %s, %s, up %" PRIu64 " s\n",
			l2_escape_str(ue, sizeof(ue), val(r, "user")),
			val(r, "address"), val(r, "phase"), num(r, "uptime"));
		if (s)
			fprintf(d->c->out,
				"  rx %" PRIu64 " packets %" PRIu64 " bytes, tx %" PRIu64 " packets %" PRIu64 " bytes\n",
				s->stats.v[L2TPSEC_A_STATS_RX_PACKETS],
				s->stats.v[L2TPSEC_A_STATS_RX_BYTES],
				s->stats.v[L2TPSEC_A_STATS_TX_PACKETS],
				s->stats.v[L2TPSEC_A_STATS_TX_BYTES]);
		if (s)
			put_drops(d, "session", &s->stats);
		if (p)
			put_drops(d, "peer: ESP and its SAs", &p->stats);
		session_health(d, r);
	}
	if (d->c->json)
		json_arr_close(&d->js);
	if (nsess)
		result(d, "target", L_OK, NULL, "%s has %u live session%s", te,
		       nsess, nsess == 1 ? "" : "s");
	else
		result(d, "target", nfail ? L_FAIL : L_WARN,
		       nfail ? "see the cause and fix of its last failure above" :
		       "check that the client sends to this host (l2tpsec status lists half-open SAs)",
		       "%s has no live session%s", te,
		       nfail ? " and failed" : ", and no failure is recorded");
}

/* ---- the command ----------------------------------------------------------------- */

static const struct arg_spec diagnose_args[] = {
	{ "target", ARG_STR, 0, 0, ARG_POSITIONAL, NULL },
	{ "config", ARG_STR, 0, 0, 0, NULL },
};

static int diagnose_run(struct cli *c, const struct cli_cmd *cmd,
			struct args *a)
{
	const char *target = args_has(a, "target") ?
			     args_get(a, "target")->text : NULL;
	const char *config = args_has(a, "config") ?
			     args_get(a, "config")->text : DIAG_CONFIG;
	const struct l2_ctl_record *daemon = NULL;
	struct diag d = { .c = c };
	struct show_dev dev;
	struct answer ans;
	bool have_ans, have_dev = false;
	const char *root = getenv("L2TPSEC_DIAG_ROOT");

	(void)cmd;
	d.root = root ? root : "";
	snprintf(d.device, sizeof(d.device), "l2tpsec0");
	have_ans = !status_fetch(c, &ans, &daemon);
	if (have_ans) {
		snprintf(d.device, sizeof(d.device), "%s",
			 l2_ctl_get(daemon, "device") ?: "l2tpsec0");
		if (target && !*d.root && !show_fetch_dev(c, d.device, &dev))
			have_dev = true;
	}
	load_rulesets(&d);
	if (c->json) {
		json_init(&d.js, c->out);
		json_obj_open(&d.js, NULL);
		json_arr_open(&d.js, "checks");
	}
	if (have_ans)
		result(&d, "daemon", L_OK, NULL, "l2tpsecd %s (pid %s) answers, %s sessions",
		       l2_ctl_get(daemon, "version") ?: "?",
		       l2_ctl_get(daemon, "pid") ?: "?",
		       l2_ctl_get(daemon, "sessions") ?: "0");
	else
		result(&d, "daemon", L_FAIL,
		       "start l2tpsecd (systemctl start l2tpsecd); its log says why it stopped",
		       "l2tpsecd does not answer on its control socket");
	check_module(&d, have_ans ? l2_ctl_get(daemon, "version") : NULL);
	check_device(&d);
	check_sockets(&d);
	check_firewall(&d);
	check_forwarding(&d);
	check_config(&d, config, have_ans ? num(daemon, "sessions") : 0,
		     have_ans);
	if (target) {
		if (c->json)
			json_arr_close(&d.js);
		check_target(&d, target, have_ans ? &ans : NULL,
			     have_dev ? &dev : NULL);
		if (c->json)
			json_arr_open(&d.js, "target_checks");
	}
	if (c->json) {
		json_arr_close(&d.js);
		json_u64(&d.js, "fail", d.nfail);
		json_u64(&d.js, "warn", d.nwarn);
		json_obj_close(&d.js);
		fputc('\n', c->out);
	} else {
		fprintf(c->out, "\n%u FAIL, %u warn\n", d.nfail, d.nwarn);
	}
	if (have_dev)
		show_dev_free(&dev);
	if (have_ans)
		answer_free(&ans);
	free(d.nft);
	free(d.ipt);
	return d.nfail ? -1 : 0;
}

const struct cli_cmd diagnose_cmds[] = {
	{
		.object = "diagnose", .usage = "[PEER-ADDRESS|USER] [config FILE]",
		.args = diagnose_args, .nargs = ARRAY_SIZE(diagnose_args),
		.run = diagnose_run,
	},
	{ .object = NULL }
};
