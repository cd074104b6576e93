// SPDX-License-Identifier: GPL-2.0
/*
 * l2tp_harness: the L2TP/PPP half of l2tpsecd on the real core (loop,
 * log, config, kmod), without IKE: the module peer and its SAs are
 * programmed beforehand with the l2tpsec CLI. For QEMU tests whose peer
 * speaks no IKE (selftests/84-l2tp-200-sessions.sh and its Python load
 * client); l2tpsecd itself (main.c) drives the same entry points with
 * IKE-negotiated SAs (selftests/85-88).
 *
 *   l2tp_harness -c CONF -i IFNAME -p PEER_ID -o OUTER_IP [-l LAC] [-v]
 *                [-s STATUS_FILE] [-P ID=ADDR[:PORT]]...
 *
 * -P names further module peers (log lines say their address).
 *
 * Prints "ready" when running. SIGUSR1 writes l2tp_dump() to STATUS_FILE;
 * SIGUSR2 ends every session of peer PEER_ID with "IKE delete";
 * SIGTERM/SIGINT stop it (sessions end with "daemon shutdown").
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>

#include "config.h"
#include "kmod.h"
#include "l2tp/l2tp.h"
#include "log.h"
#include "loop.h"

struct harness {
	struct loop	*loop;
	struct l2tp	*l2tp;
	uint32_t	peer_id;
	const char	*status;
	int		sfd;
};

static void h_ctrl(void *arg, uint32_t peer_id, uint16_t lport, uint16_t rport,
		   const uint8_t *msg, size_t len)
{
	struct harness *h = arg;

	if (h->l2tp)
		l2tp_on_ctrl(h->l2tp, peer_id, lport, rport, msg, len);
}

static void h_ppp(void *arg, uint32_t peer_id, uint16_t tid, uint16_t sid,
		  const uint8_t *pkt, size_t len)
{
	struct harness *h = arg;

	if (h->l2tp)
		l2tp_on_ppp(h->l2tp, peer_id, tid, sid, pkt, len);
}

static void h_event(void *arg, const struct l2_event *ev)
{
	struct harness *h = arg;

	if (h->l2tp)
		l2tp_on_event(h->l2tp, ev);
}

static void on_signal(void *arg, int fd, uint32_t events)
{
	struct harness *h = arg;
	struct signalfd_siginfo si;
	FILE *f;

	(void)events;
	if (read(fd, &si, sizeof(si)) != sizeof(si))
		return;
	switch (si.ssi_signo) {
	case SIGUSR1:
		if (!h->status)
			break;
		f = fopen(h->status, "w");
		if (f) {
			fprintf(f, "sessions %u\n", l2tp_session_count(h->l2tp));
			l2tp_dump(h->l2tp, f);
			fclose(f);
		}
		break;
	case SIGUSR2:
		l2tp_peer_down(h->l2tp, h->peer_id, END_IKE_DELETE, NULL);
		break;
	default:
		loop_stop(h->loop);
		break;
	}
}

int main(int argc, char **argv)
{
	struct harness h = { .sfd = -1 };
	struct kmod_handlers kh = { h_ctrl, h_ppp, h_event, &h };
	const char *conf_path = NULL, *ifname = "l2tpsec0", *lac = NULL;
	struct sockaddr_in outer = { .sin_family = AF_INET };
	struct config_loader *ld;
	struct kmod *k;
	sigset_t mask;
	const char *extra[16];
	int c, verbose = 0, ret = 1, nextra = 0, i;

	h.peer_id = 1;
	while ((c = getopt(argc, argv, "c:i:p:o:l:s:vP:")) != -1) {
		switch (c) {
		case 'P':
			if (nextra < 16)
				extra[nextra++] = optarg;
			break;
		case 'c': conf_path = optarg; break;
		case 'i': ifname = optarg; break;
		case 'p': h.peer_id = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'o': inet_pton(AF_INET, optarg, &outer.sin_addr); break;
		case 'l': lac = optarg; break;
		case 's': h.status = optarg; break;
		case 'v': verbose = 1; break;
		default:
			fprintf(stderr, "usage: %s -c CONF [-i IF] [-p PEER] [-o OUTER] [-l LAC] [-s STATUS] [-v]\n",
				argv[0]);
			return 2;
		}
	}
	if (!conf_path) {
		fprintf(stderr, "l2tp_harness: -c CONF is required\n");
		return 2;
	}
	log_init("l2tp_harness", verbose ? LOG_LVL_DEBUG : LOG_LVL_INFO, 0);
	h.loop = loop_new();
	h.l2tp = l2tp_new(h.loop);
	ld = config_loader_new();
	l2tp_register_config(h.l2tp, ld);
	if (config_load(ld, conf_path))
		goto out_conf;
	k = kmod_open(h.loop, ifname, false, &kh);
	if (!k)
		goto out_conf;
	if (l2tp_start(h.l2tp, k))
		goto out_l2tp;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGUSR2);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	h.sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	loop_add_fd(h.loop, h.sfd, EPOLLIN, on_signal, &h);
	l2tp_peer_up(h.l2tp, h.peer_id, &outer, 0, false, NULL);
	for (i = 0; i < nextra; i++) {
		struct sockaddr_in o = { .sin_family = AF_INET };
		char buf[64], *eq, *colon;

		snprintf(buf, sizeof(buf), "%s", extra[i]);
		eq = strchr(buf, '=');
		if (!eq)
			continue;
		*eq++ = '\0';
		colon = strchr(eq, ':');
		if (colon) {
			*colon++ = '\0';
			o.sin_port = htons((uint16_t)atoi(colon));
		}
		inet_pton(AF_INET, eq, &o.sin_addr);
		l2tp_peer_up(h.l2tp, (uint32_t)strtoul(buf, NULL, 0), &o, 0,
			     false, NULL);
	}
	if (lac && l2tp_connect(h.l2tp, h.peer_id, lac))
		goto out_l2tp;
	printf("ready\n");
	fflush(stdout);
	ret = loop_run(h.loop) ? 1 : 0;
out_l2tp:
	l2tp_free(h.l2tp);
	h.l2tp = NULL;
	if (h.sfd >= 0) {
		loop_del_fd(h.loop, h.sfd);
		close(h.sfd);
	}
	kmod_close(k);
out_conf:
	l2tp_free(h.l2tp);
	config_loader_free(ld);
	loop_free(h.loop);
	return ret;
}
