// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the daemon's side of the control socket (daemon/ctl/):
 * a connection to the real socket on the real loop sends the input as
 * its request (who, kick, unblock, anything), the daemon answers and
 * closes; every line of the answer must be a record the CLI can parse.
 * L2TP is a stand-in with three sessions and one blocked user (the real
 * one needs the module), the same as daemon/tests/ctl_test.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl/ctl.h"
#include "diag/history.h"
#include "ike/view.h"
#include "l2tp/diag.h"
#include "ctlproto.h"
#include "ike/ike.h"
#include "l2tp/l2tp.h"
#include "log.h"
#include "loop.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- the stand-in for l2tp/ and ike/ ---------------------------------- */

unsigned int l2tp_session_count(const struct l2tp *l)
{
	(void)l;
	return 3;
}

void l2tp_for_each_session(struct l2tp *l,
			   void (*fn)(void *arg,
				      const struct l2tp_session_view *v),
			   void *arg)
{
	struct l2tp_session_view v;
	unsigned int i;

	(void)l;
	for (i = 0; i < 3; i++) {
		memset(&v, 0, sizeof(v));
		v.user = i ? "bob" : "CORP\\alice \x1b[31m";
		v.phase = "network";
		v.auth = PPP_AUTH_MSCHAPV2;
		v.peer_id = i + 1;
		v.outer.sin_family = AF_INET;
		v.outer.sin_addr.s_addr = htonl(0xc0000202);
		v.outer.sin_port = htons(4500);
		v.address.s_addr = htonl(0x0a630000 + 10 + i);
		v.peer_address.s_addr = htonl(0x0a630001);
		v.local_tunnel_id = 100;
		v.local_session_id = (uint16_t)(200 + i);
		v.remote_tunnel_id = 7;
		v.remote_session_id = 9;
		v.peer_host = "host=with space\xff";
		v.uptime_ms = 61500;
		fn(arg, &v);
	}
}

int l2tp_kick_block(struct l2tp *l, const struct l2tp_kick *k,
		    const char *who, unsigned int *blocked)
{
	(void)l;
	(void)who;
	if (blocked)
		*blocked = k->block_s ? 1 : 0;
	/* how many sessions ended (never negative: l2tp.h) */
	return k->by == L2TP_KICK_USER && !strcmp(k->user, "nobody") ? 0 : 1;
}

int l2tp_unblock(struct l2tp *l, const char *user, const char *who)
{
	(void)l;
	(void)who;
	return strcmp(user, "mallory") ? -ENOENT : 0;
}

unsigned int l2tp_for_each_block(struct l2tp *l,
				 void (*fn)(void *arg, const char *user,
					    uint32_t remaining_s),
				 void *arg)
{
	(void)l;
	fn(arg, "mallory", 600);
	return 1;
}

int ike_peer_natt(const struct ike *ike, uint32_t peer_id,
		  struct ike_natt_info *out)
{
	(void)ike;
	(void)peer_id;
	(void)out;
	return -ENOENT;
}

int ike_peer_esp(const struct ike *ike, uint32_t peer_id,
		 struct ike_esp_info *out)
{
	(void)ike;
	(void)peer_id;
	(void)out;
	return -ENOENT;
}

/* status and history: nothing to show (the fuzzer is after the protocol) */
void ike_for_each_sa(const struct ike *ike,
		     void (*fn)(void *arg, const struct ike_sa_view *v),
		     void *arg)
{
	(void)ike; (void)fn; (void)arg;
}

void ike_for_each_child(const struct ike *ike,
			void (*fn)(void *arg, const struct ike_child_view *v),
			void *arg)
{
	(void)ike; (void)fn; (void)arg;
}

void l2tp_for_each_tunnel(struct l2tp *l,
			  void (*fn)(void *arg, const struct l2tp_tunnel_view *v),
			  void *arg)
{
	(void)l; (void)fn; (void)arg;
}

int diag_history_each(struct diag_history *h, const char *user,
		      time_t since,
		      void (*fn)(void *arg, const char *line, size_t len),
		      void *arg)
{
	(void)h; (void)user; (void)since; (void)fn; (void)arg;
	return 0;
}

const char *ppp_auth_name(enum ppp_auth a)
{
	return a == PPP_AUTH_MSCHAPV2 ? "MS-CHAPv2" : "none";
}

/* ---- the harness --------------------------------------------------------- */

static void discard(void *arg, enum log_level lvl, const char *line)
{
	(void)arg;
	(void)lvl;
	(void)line;
}

static struct loop *loop;
static struct ctl *ctl;
static char path[108];

static int setup(void)
{
	char dir[] = "/tmp/l2tpsec-fuzz-ctl-XXXXXX";

	log_set_sink(discard, NULL);
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/ctl.sock", dir);
	loop = loop_new();
	ctl = loop ? ctl_open(loop, path, NULL, NULL, "l2tpsec0") : NULL;
	return ctl ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	static char buf[1 << 16];
	size_t have = 0, sent = 0;
	int fd, rounds;

	if (!ctl && setup())
		abort();
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		abort();
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		abort();
	for (rounds = 0; rounds < 400; rounds++) {
		ssize_t n;

		if (sent < size) {
			n = send(fd, data + sent, size - sent, MSG_NOSIGNAL);
			if (n > 0)
				sent += (size_t)n;
			else if (n < 0 && errno != EAGAIN)
				sent = size;	/* the daemon closed early */
		} else if (sent == size) {
			shutdown(fd, SHUT_WR);	/* no newline: end of request */
			sent++;
		}
		loop_run_once(loop, 1);
		n = recv(fd, buf + have, sizeof(buf) - 1 - have, 0);
		if (n == 0 || (n < 0 && errno != EAGAIN))
			break;
		if (n > 0)
			have += (size_t)n;
		if (have == sizeof(buf) - 1)
			break;
	}
	close(fd);
	/* let the daemon see the close and free the connection */
	loop_run_once(loop, 0);
	loop_run_once(loop, 0);
	/* every answer line is a record (FUZZ_LOG=1: shown on stderr) */
	buf[have] = '\0';
	if (getenv("FUZZ_LOG"))
		fprintf(stderr, "%s", buf);
	for (char *p = buf, *nl; (nl = strchr(p, '\n')); p = nl + 1) {
		static struct l2_ctl_record r;

		if (l2_ctl_parse(p, (size_t)(nl - p), &r))
			__builtin_trap();
	}
	return 0;
}
