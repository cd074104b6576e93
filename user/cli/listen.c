// SPDX-License-Identifier: GPL-2.0
/*
 * Waiting for unsolicited messages (frames, events) until a signal. The
 * signals are taken through a signalfd, so no handler and no global flag
 * are needed.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "cli.h"

int cli_listen(struct cli *c, bool (*done)(void *arg), void *arg)
{
	struct signalfd_siginfo si;
	struct l2nl_error err;
	struct pollfd pfd[2];
	sigset_t set, old;
	int sfd, ret = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, &old) < 0) {
		cli_error(c, "sigprocmask: %s", strerror(errno));
		return -1;
	}
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0) {
		cli_error(c, "signalfd: %s", strerror(errno));
		ret = -1;
		goto out_mask;
	}
	pfd[0].fd = l2nl_fd(&c->nl);
	pfd[0].events = POLLIN;
	pfd[1].fd = sfd;
	pfd[1].events = POLLIN;

	while (!(done && done(arg))) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			cli_error(c, "poll: %s", strerror(errno));
			ret = -1;
			break;
		}
		if (pfd[1].revents & POLLIN) {
			if (read(sfd, &si, sizeof(si)) < 0)
				continue;
			break;
		}
		if (!(pfd[0].revents & (POLLIN | POLLERR)))
			continue;
		if (l2nl_recv_notify(&c->nl, &err) < 0) {
			/* Overrun: say so and carry on. */
			cli_report(c, &err, NULL);
			if (err.error == ENOBUFS)
				continue;
			ret = -1;
			break;
		}
	}
	close(sfd);
out_mask:
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}
