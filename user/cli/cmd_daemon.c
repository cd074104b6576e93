// SPDX-License-Identifier: GPL-2.0
/*
 * who | kick | unblock: what l2tpsecd knows of its sessions (users,
 * addresses, ESP key lengths) and its blocked users, from its control
 * socket (common/ctlproto.h), joined with what the module knows of the
 * same sessions (their IPsec SAs and counters).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <linux/l2tpsec.h>

#include "cli.h"
#include "ctlclient.h"
#include "ctlproto.h"
#include "escape.h"
#include "json.h"
#include "names.h"
#include "show.h"

#define CTL_TIMEOUT_MS	10000

static const char *socket_path(const struct cli *c)
{
	const char *env = getenv("L2TPSEC_SOCKET");

	if (c->socket_path)
		return c->socket_path;
	return env && *env ? env : L2_CTL_DEFAULT_PATH;
}

void answer_free(struct answer *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		free(a->recs[i]);
	free(a->recs);
	a->recs = NULL;
	a->n = 0;
}

static int answer_add(struct cli *c, struct answer *a, const char *line,
		      size_t len)
{
	struct l2_ctl_record **v = realloc(a->recs, (a->n + 1) * sizeof(*v));
	struct l2_ctl_record *r;
	int err;

	if (v)
		a->recs = v;
	r = v ? malloc(sizeof(*r)) : NULL;
	if (!r) {
		cli_error(c, "out of memory");
		return -ENOMEM;
	}
	err = l2_ctl_parse(line, len, r);
	if (err) {
		free(r);
		cli_error(c, "malformed answer from l2tpsecd (%s): %.*s",
			  strerror(-err), (int)(len > 80 ? 80 : len), line);
		return err;
	}
	a->recs[a->n++] = r;
	return 0;
}

/*
 * Connect to the daemon's control socket and send @request: the socket,
 * or -1 (said why).
 */
int ctl_connect_send(struct cli *c, const char *request)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *path = socket_path(c);
	size_t len = strlen(request);
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		cli_error(c, "socket path too long: %s", path);
		return -1;
	}
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		cli_error(c, "socket: %s", strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (errno == ENOENT || errno == ECONNREFUSED)
			cli_error(c, "no l2tpsecd answers at %s (%s): is it running? (-s SOCKET names another control socket)",
				  path, strerror(errno));
		else if (errno == EACCES || errno == EPERM)
			cli_error(c, "%s: %s: only root (or the daemon's user) may talk to l2tpsecd",
				  path, strerror(errno));
		else
			cli_error(c, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (send(fd, request, len, MSG_NOSIGNAL) != (ssize_t)len) {
		cli_error(c, "%s: send: %s", path, strerror(errno));
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

/* Send @request (one line) to the daemon and read its whole answer. */
int ctl_request(struct cli *c, const char *request, struct answer *a)
{
	const char *path = socket_path(c);
	char buf[L2_CTL_MAX_LINE * 2];
	size_t have = 0;
	struct pollfd pfd;
	ssize_t n;
	int fd, ret = -1;

	memset(a, 0, sizeof(*a));
	fd = ctl_connect_send(c, request);
	if (fd < 0)
		return -1;
	shutdown(fd, SHUT_WR);
	for (;;) {
		char *nl;

		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, CTL_TIMEOUT_MS) <= 0) {
			cli_error(c, "%s: no answer from l2tpsecd within %d s",
				  path, CTL_TIMEOUT_MS / 1000);
			goto out;
		}
		n = recv(fd, buf + have, sizeof(buf) - have, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			cli_error(c, "%s: %s", path, strerror(errno));
			goto out;
		}
		have += (size_t)n;
		while ((nl = memchr(buf, '\n', have))) {
			size_t l = (size_t)(nl - buf) + 1;

			if (answer_add(c, a, buf, l))
				goto out;
			memmove(buf, buf + l, have - l);
			have -= l;
		}
		if (!n)
			break;
		if (have == sizeof(buf)) {
			cli_error(c, "%s: answer line too long", path);
			goto out;
		}
	}
	if (have || !a->n || (strcmp(a->recs[a->n - 1]->type, "ok") &&
			      strcmp(a->recs[a->n - 1]->type, "error"))) {
		cli_error(c, "%s: l2tpsecd's answer ended early", path);
		goto out;
	}
	ret = 0;
out:
	close(fd);
	if (ret)
		answer_free(a);
	return ret;
}

size_t answer_count(const struct answer *a, const char *type)
{
	size_t i, n = 0;

	for (i = 0; i < a->n; i++)
		n += !strcmp(a->recs[i]->type, type);
	return n;
}

/* The daemon's "error message=..." as our error; 1 if it was one. */
int answer_error(struct cli *c, const struct answer *a)
{
	const struct l2_ctl_record *last = a->recs[a->n - 1];
	char me[L2_ESC_SIZE(512)];
	const char *msg;

	if (strcmp(last->type, "error"))
		return 0;
	msg = l2_ctl_get(last, "message");
	/* it may quote a user name */
	cli_error(c, "l2tpsecd: %s",
		  msg ? l2_escape_str(me, sizeof(me), msg) : "error");
	return 1;
}

/* ---- who ------------------------------------------------------------------ */

static const char *val(const struct l2_ctl_record *r, const char *key)
{
	const char *v = l2_ctl_get(r, key);

	return v ? v : "";
}

static uint64_t num(const struct l2_ctl_record *r, const char *key)
{
	uint64_t v = 0;

	l2_ctl_get_u64(r, key, &v);
	return v;
}

/* What the module says about one of the daemon's sessions. */
struct joined {
	const struct l2_peer	*peer;
	const struct l2_sa	*sa_in, *sa_out;
	const struct l2_session	*session;
};

static void join(const struct show_dev *d, const struct l2_ctl_record *r,
		 struct joined *j)
{
	uint64_t peer_id = num(r, "peer-id");
	uint64_t tid = num(r, "tunnel"), sid = num(r, "session");
	size_t i;

	memset(j, 0, sizeof(*j));
	if (!d)
		return;
	for (i = 0; i < d->n_peers; i++)
		if (d->peers[i].id == peer_id)
			j->peer = &d->peers[i];
	for (i = 0; i < d->n_sas; i++) {
		const struct l2_sa *sa = &d->sas[i];

		if (sa->peer_id != peer_id)
			continue;
		if (sa->dir == L2TPSEC_DIR_OUT && j->peer &&
		    sa->spi == j->peer->tx_spi)
			j->sa_out = sa;
		/* the newest inbound SA: the one a rekey brought */
		if (sa->dir == L2TPSEC_DIR_IN &&
		    (!j->sa_in || sa->age < j->sa_in->age))
			j->sa_in = sa;
	}
	for (i = 0; i < d->n_sessions; i++) {
		const struct l2_session *s = &d->sessions[i];

		if (s->peer_id == peer_id && s->local_tunnel_id == tid &&
		    s->local_session_id == sid)
			j->session = s;
	}
}

/*
 * "aes-cbc-256/sha1-96", "aes-gcm-128": the module's cipher and integrity
 * with the key length the daemon negotiated (@key_bits 0: unknown, left
 * out, as for SAs the CLI installed by hand).
 */
static void cipher_str(const struct l2_sa *sa, uint64_t key_bits, char *buf,
		       size_t len)
{
	const char *cipher, *integ;
	char bits[24] = "";

	if (!sa) {
		snprintf(buf, len, "-");
		return;
	}
	cipher = l2_name(l2_cipher_names, sa->cipher);
	integ = l2_name(l2_integ_names, sa->integ);
	if (key_bits)
		snprintf(bits, sizeof(bits), "-%" PRIu64, key_bits);
	if (sa->integ == L2TPSEC_INTEG_NONE || !integ)
		snprintf(buf, len, "%s%s", cipher ? cipher : "?", bits);
	else
		snprintf(buf, len, "%s%s/%s-%u", cipher ? cipher : "?", bits,
			 integ, sa->icv_len * 8);
}

/*
 * The client's outer address: the module's (it follows a NAT's port
 * change), with the port when ESP is in UDP; else the daemon's.
 */
static void outer_str(const struct l2_ctl_record *r, const struct joined *j,
		      char *buf, size_t len)
{
	char a[INET_ADDRSTRLEN];

	if (j->peer) {
		inet_ntop(AF_INET, &j->peer->remote, a, sizeof(a));
		if (j->peer->encap == L2TPSEC_ENCAP_UDP)
			snprintf(buf, len, "%s:%u", a, j->peer->remote_port);
		else
			snprintf(buf, len, "%s esp", a);
		return;
	}
	snprintf(buf, len, "%s", *val(r, "outer") ? val(r, "outer") : "-");
}

static void uptime_str(uint64_t s, char *buf, size_t len)
{
	if (s >= 86400)
		snprintf(buf, len, "%" PRIu64 "d%02" PRIu64 ":%02" PRIu64 ":%02" PRIu64,
			 s / 86400, s / 3600 % 24, s / 60 % 60, s % 60);
	else
		snprintf(buf, len, "%02" PRIu64 ":%02" PRIu64 ":%02" PRIu64,
			 s / 3600, s / 60 % 60, s % 60);
}

static void who_text(struct cli *c, const struct l2_ctl_record *daemon,
		     const struct answer *a, const struct show_dev *d)
{
	char outer[64], sas[32], cipher[48], up[32], ids[32];
	char ue[L2_ESC_SIZE(L2_CTL_MAX_USER)];
	char ucol[2 * L2_ESC_SIZE(L2_CTL_MAX_USER) + 16];
	const char *addr;
	struct joined j;
	size_t i, n = 0;

	for (i = 0; i < a->n; i++)
		n += !strcmp(a->recs[i]->type, "session");
	fprintf(c->out, "l2tpsecd %s (pid %s) on %s: %zu session%s\n",
		val(daemon, "version"), val(daemon, "pid"),
		val(daemon, "device"), n, n == 1 ? "" : "s");
	if (!n)
		goto blocks;
	fprintf(c->out, "%-16s %-6s %-15s %-21s %-4s %-11s %-21s %-24s %-9s %s\n",
		"USER", "ROLE", "ADDRESS", "OUTER", "PEER", "TUNNEL/SESS",
		"SA IN/OUT", "CIPHER", "UPTIME", "RX/TX BYTES");
	for (i = 0; i < a->n; i++) {
		const struct l2_ctl_record *r = a->recs[i];

		if (strcmp(r->type, "session"))
			continue;
		join(d, r, &j);
		outer_str(r, &j, outer, sizeof(outer));
		snprintf(ids, sizeof(ids), "%s/%s", val(r, "tunnel"),
			 val(r, "session"));
		if (j.sa_in || j.sa_out)
			snprintf(sas, sizeof(sas), "0x%08x/0x%08x",
				 j.sa_in ? j.sa_in->spi : 0,
				 j.sa_out ? j.sa_out->spi : 0);
		else
			snprintf(sas, sizeof(sas), "-");
		cipher_str(j.sa_in ? j.sa_in : j.sa_out, num(r, "key-bits"),
			   cipher, sizeof(cipher));
		uptime_str(num(r, "uptime"), up, sizeof(up));
		addr = val(r, "address");
		/* "alice (sent CORP\\alice)": who the client said it was */
		if (*val(r, "user")) {
			char se[L2_ESC_SIZE(L2_CTL_MAX_USER)];

			l2_escape_str(ue, sizeof(ue), val(r, "user"));
			if (*val(r, "user-sent"))
				snprintf(ucol, sizeof(ucol), "%s (sent %s)", ue,
					 l2_escape_str(se, sizeof(se),
						       val(r, "user-sent")));
			else
				snprintf(ucol, sizeof(ucol), "%s", ue);
		} else {
			snprintf(ucol, sizeof(ucol), "-");
		}
		fprintf(c->out, "%-16s %-6s %-15s %-21s %-4s %-11s %-21s %-24s %-9s ",
			ucol,
			val(r, "role"), *addr ? addr : "-", outer,
			val(r, "peer-id"), ids, sas, cipher, up);
		if (j.session)
			fprintf(c->out, "%" PRIu64 "/%" PRIu64 "\n",
				j.session->stats.v[L2TPSEC_A_STATS_RX_BYTES],
				j.session->stats.v[L2TPSEC_A_STATS_TX_BYTES]);
		else
			fprintf(c->out, "-\n");
	}
blocks:
	/* users `kick --block` refuses, and how to let them in */
	for (i = 0; i < a->n; i++) {
		const struct l2_ctl_record *r = a->recs[i];

		if (strcmp(r->type, "block"))
			continue;
		uptime_str(num(r, "remaining"), up, sizeof(up));
		l2_escape_str(ue, sizeof(ue), val(r, "user"));
		fprintf(c->out, "blocked: user %s for %s more (l2tpsec unblock user %s)\n",
			ue, up, ue);
	}
}

static void json_opt_str(struct json *js, const struct l2_ctl_record *r,
			 const char *key, const char *name)
{
	const char *v = l2_ctl_get(r, key);

	if (v)
		json_str(js, name, v);
}

static void json_opt_u64(struct json *js, const struct l2_ctl_record *r,
			 const char *key, const char *name)
{
	uint64_t v;

	if (!l2_ctl_get_u64(r, key, &v))
		json_u64(js, name, v);
}

static void json_sa_brief(struct json *js, const char *key,
			  const struct l2_sa *sa, uint64_t key_bits)
{
	const char *cipher, *integ;

	if (!sa) {
		json_null(js, key);
		return;
	}
	cipher = l2_name(l2_cipher_names, sa->cipher);
	integ = l2_name(l2_integ_names, sa->integ);
	json_obj_open(js, key);
	json_u64(js, "spi", sa->spi);
	json_str(js, "cipher", cipher ? cipher : "?");
	json_str(js, "integ", integ ? integ : "?");
	json_u64(js, "icv_len", sa->icv_len);
	if (key_bits)
		json_u64(js, "key_bits", key_bits);
	json_u64(js, "age", sa->age);
	json_u64(js, "packets", sa->stats.v[sa->dir == L2TPSEC_DIR_IN ?
					    L2TPSEC_A_STATS_RX_PACKETS :
					    L2TPSEC_A_STATS_TX_PACKETS]);
	json_obj_close(js);
}

static void who_json(struct cli *c, const struct l2_ctl_record *daemon,
		     const struct answer *a, const struct show_dev *d)
{
	struct json js;
	struct joined j;
	size_t i;

	json_init(&js, c->out);
	json_obj_open(&js, NULL);
	json_str(&js, "device", val(daemon, "device"));
	json_str(&js, "version", val(daemon, "version"));
	json_u64(&js, "pid", num(daemon, "pid"));
	json_arr_open(&js, "sessions");
	for (i = 0; i < a->n; i++) {
		const struct l2_ctl_record *r = a->recs[i];

		if (strcmp(r->type, "session"))
			continue;
		join(d, r, &j);
		json_obj_open(&js, NULL);
		json_str(&js, "user", val(r, "user"));
		if (*val(r, "user-sent"))
			json_str(&js, "user-sent", val(r, "user-sent"));
		json_str(&js, "role", val(r, "role"));
		json_opt_str(&js, r, "address", "address");
		json_opt_str(&js, r, "peer-address", "peer_address");
		json_opt_str(&js, r, "ipv6", "ipv6");
		if (j.peer) {
			char a[INET_ADDRSTRLEN];

			inet_ntop(AF_INET, &j.peer->remote, a, sizeof(a));
			json_str(&js, "outer", a);
			json_str(&js, "encap", j.peer->encap == L2TPSEC_ENCAP_UDP ?
				 "udp" : "esp");
			if (j.peer->encap == L2TPSEC_ENCAP_UDP)
				json_u64(&js, "outer_port", j.peer->remote_port);
		} else {
			json_opt_str(&js, r, "outer", "outer");
			json_opt_u64(&js, r, "outer-port", "outer_port");
		}
		json_opt_u64(&js, r, "peer-id", "peer_id");
		json_opt_u64(&js, r, "tunnel", "tunnel");
		json_opt_u64(&js, r, "session", "session");
		json_opt_u64(&js, r, "peer-tunnel", "peer_tunnel");
		json_opt_u64(&js, r, "peer-session", "peer_session");
		json_opt_str(&js, r, "lac", "lac");
		json_opt_str(&js, r, "host", "host");
		json_opt_str(&js, r, "auth", "auth");
		json_opt_str(&js, r, "phase", "phase");
		json_opt_u64(&js, r, "uptime", "uptime");
		json_opt_u64(&js, r, "key-bits", "key_bits");
		if (j.sa_in || j.sa_out) {
			char cipher[48];

			cipher_str(j.sa_in ? j.sa_in : j.sa_out,
				   num(r, "key-bits"), cipher, sizeof(cipher));
			json_str(&js, "cipher", cipher);
		}
		json_sa_brief(&js, "sa_in", j.sa_in, num(r, "key-bits"));
		json_sa_brief(&js, "sa_out", j.sa_out, num(r, "key-bits"));
		if (j.session) {
			const struct l2_stats *st = &j.session->stats;

			json_u64(&js, "rx_packets", st->v[L2TPSEC_A_STATS_RX_PACKETS]);
			json_u64(&js, "rx_bytes", st->v[L2TPSEC_A_STATS_RX_BYTES]);
			json_u64(&js, "tx_packets", st->v[L2TPSEC_A_STATS_TX_PACKETS]);
			json_u64(&js, "tx_bytes", st->v[L2TPSEC_A_STATS_TX_BYTES]);
		}
		json_obj_close(&js);
	}
	json_arr_close(&js);
	json_arr_open(&js, "blocked");
	for (i = 0; i < a->n; i++) {
		const struct l2_ctl_record *r = a->recs[i];

		if (strcmp(r->type, "block"))
			continue;
		json_obj_open(&js, NULL);
		json_str(&js, "user", val(r, "user"));
		json_u64(&js, "remaining", num(r, "remaining"));
		json_obj_close(&js);
	}
	json_arr_close(&js);
	json_obj_close(&js);
	fputc('\n', c->out);
}

static int who_run(struct cli *c, const struct cli_cmd *cmd, struct args *a)
{
	const struct l2_ctl_record *daemon = NULL;
	struct show_dev dev;
	struct answer ans;
	bool have_dev = false;
	size_t i;

	(void)cmd;
	(void)a;
	if (ctl_request(c, "who\n", &ans))
		return -1;
	if (answer_error(c, &ans)) {
		answer_free(&ans);
		return -1;
	}
	for (i = 0; i < ans.n; i++)
		if (!strcmp(ans.recs[i]->type, "daemon"))
			daemon = ans.recs[i];
	if (!daemon) {
		cli_error(c, "l2tpsecd's answer names no device");
		answer_free(&ans);
		return -1;
	}
	/* The SAs: without them (no module access) the rest still shows. */
	if (!show_fetch_dev(c, val(daemon, "device"), &dev))
		have_dev = true;
	else
		cli_error(c, "the module's view of %s is missing: SA columns left empty",
			  val(daemon, "device"));
	if (c->json)
		who_json(c, daemon, &ans, have_dev ? &dev : NULL);
	else
		who_text(c, daemon, &ans, have_dev ? &dev : NULL);
	if (have_dev)
		show_dev_free(&dev);
	answer_free(&ans);
	return 0;
}

/* ---- kick ----------------------------------------------------------------- */

static const struct arg_spec kick_args[] = {
	{ "user",    ARG_STR,  0, 0, 0, NULL },
	{ "address", ARG_IPV4, 0, 0, 0, NULL },
	{ "peer",    ARG_ID,   0, 0, 0, NULL },
	{ "tunnel",  ARG_U16,  0, 0, 0, NULL },
	{ "session", ARG_U16,  0, 0, 0, NULL },
	{ "--block", ARG_U32,  0, 0, 0, NULL },
	{ "block",   ARG_U32,  0, 0, 0, NULL },
};

static uint64_t kick_block_s(const struct args *a)
{
	return args_has(a, "--block") ? args_u64(a, "--block") :
	       args_u64(a, "block");
}

static int kick_check(struct cli *c, struct args *a)
{
	bool user = args_has(a, "user"), addr = args_has(a, "address");
	bool peer = args_has(a, "peer"), tid = args_has(a, "tunnel"),
	     sid = args_has(a, "session");
	bool block = args_has(a, "--block") || args_has(a, "block");
	int n = user + addr + (peer || tid || sid);

	if (n != 1 || ((peer || tid || sid) && !(peer && tid && sid))) {
		cli_error(c, "expected one of: user NAME, address A.B.C.D, peer ID tunnel LTID session LSID [--block SECONDS]");
		return -EINVAL;
	}
	if ((tid && !args_u64(a, "tunnel")) ||
	    (sid && !args_u64(a, "session"))) {
		cli_error(c, "tunnel and session ids are not 0");
		return -EINVAL;
	}
	if (args_has(a, "--block") && args_has(a, "block")) {
		cli_error(c, "\"--block\" given twice");
		return -EINVAL;
	}
	if (block && (!kick_block_s(a) || kick_block_s(a) > L2_CTL_MAX_BLOCK_S)) {
		cli_error(c, "--block: expected a number of seconds from 1 to %u",
			  L2_CTL_MAX_BLOCK_S);
		return -EINVAL;
	}
	if (user && strlen(args_get(a, "user")->text) > L2_CTL_MAX_USER) {
		cli_error(c, "user: at most %u characters", L2_CTL_MAX_USER);
		return -EINVAL;
	}
	return 0;
}

/* Send one request line, return the daemon's answer or -1 (said why). */
static int ctl_send_line(struct cli *c, struct l2_ctl_line *line,
			 struct answer *ans)
{
	char req[L2_CTL_MAX_LINE + 1];

	if (l2_ctl_end(line)) {
		cli_error(c, "request too long");
		return -1;
	}
	memcpy(req, line->buf, line->len);
	req[line->len] = '\0';
	if (ctl_request(c, req, ans))
		return -1;
	if (answer_error(c, ans)) {
		answer_free(ans);
		return -1;
	}
	return 0;
}

static int kick_run(struct cli *c, const struct cli_cmd *cmd, struct args *a)
{
	struct l2_ctl_kick k;
	struct l2_ctl_line line;
	struct answer ans;
	uint64_t n = 0, blocked = 0;

	(void)cmd;
	memset(&k, 0, sizeof(k));
	if (args_has(a, "user")) {
		k.by = L2_CTL_KICK_USER;
		snprintf(k.user, sizeof(k.user), "%s", args_get(a, "user")->text);
	} else if (args_has(a, "address")) {
		k.by = L2_CTL_KICK_ADDRESS;
		k.address = args_get(a, "address")->v4;
	} else {
		k.by = L2_CTL_KICK_SESSION;
		k.peer_id = (uint32_t)args_u64(a, "peer");
		k.tunnel_id = (uint16_t)args_u64(a, "tunnel");
		k.session_id = (uint16_t)args_u64(a, "session");
	}
	k.block_s = (uint32_t)kick_block_s(a);
	l2_ctl_kick_put(&line, &k);
	if (ctl_send_line(c, &line, &ans))
		return -1;
	l2_ctl_get_u64(ans.recs[ans.n - 1], "count", &n);
	l2_ctl_get_u64(ans.recs[ans.n - 1], "blocked", &blocked);
	if (c->json) {
		struct json js;

		json_init(&js, c->out);
		json_obj_open(&js, NULL);
		json_u64(&js, "kicked", n);
		if (k.block_s) {
			json_u64(&js, "blocked", blocked);
			json_u64(&js, "block", k.block_s);
		}
		json_obj_close(&js);
		fputc('\n', c->out);
	} else {
		fprintf(c->out, "%" PRIu64 " session%s ending (reason: admin kick)\n",
			n, n == 1 ? "" : "s");
		if (k.block_s)
			fprintf(c->out, "%" PRIu64 " user%s blocked for %u s (l2tpsec unblock user NAME lifts it)\n",
				blocked, blocked == 1 ? "" : "s", k.block_s);
	}
	answer_free(&ans);
	return 0;
}

/* ---- unblock -------------------------------------------------------------- */

static const struct arg_spec unblock_args[] = {
	{ "user", ARG_STR, 0, 0, ARG_REQUIRED, NULL },
};

static int unblock_run(struct cli *c, const struct cli_cmd *cmd,
		       struct args *a)
{
	const char *user = args_get(a, "user")->text;
	struct l2_ctl_line line;
	struct answer ans;

	(void)cmd;
	if (strlen(user) > L2_CTL_MAX_USER) {
		cli_error(c, "user: at most %u characters", L2_CTL_MAX_USER);
		return -1;
	}
	l2_ctl_begin(&line, "unblock");
	l2_ctl_put(&line, "user", user);
	if (ctl_send_line(c, &line, &ans))
		return -1;
	if (c->json) {
		struct json js;

		json_init(&js, c->out);
		json_obj_open(&js, NULL);
		json_str(&js, "unblocked", user);
		json_obj_close(&js);
		fputc('\n', c->out);
	} else {
		char ue[L2_ESC_SIZE(L2_CTL_MAX_USER)];

		fprintf(c->out, "user %s may log in again\n",
			l2_escape_str(ue, sizeof(ue), user));
	}
	answer_free(&ans);
	return 0;
}

const struct cli_cmd daemon_cmds[] = {
	{
		.object = "who", .usage = "",
		.run = who_run,
	}, {
		.object = "kick",
		.usage = "user NAME | address A.B.C.D | peer ID tunnel LTID session LSID [--block SECONDS]",
		.args = kick_args, .nargs = ARRAY_SIZE(kick_args),
		.check = kick_check, .run = kick_run,
	}, {
		.object = "unblock", .usage = "user NAME",
		.args = unblock_args, .nargs = ARRAY_SIZE(unblock_args),
		.run = unblock_run,
	},
	{ .object = NULL }
};
