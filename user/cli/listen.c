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

#define CLI_MAX_FDS	4

int cli_listen(struct cli *c, bool (*done)(void *arg), void *arg)
{
	return cli_listen_fds(c, true, NULL, 0, done, arg);
}

int cli_listen_fds(struct cli *c, bool netlink, const struct cli_fd *fds,
		   unsigned int nfds, bool (*done)(void *arg), void *arg)
{
	struct pollfd pfd[CLI_MAX_FDS + 2];
	struct signalfd_siginfo si;
	struct l2nl_error err;
	unsigned int i, n = 0, first;
	sigset_t set, old;
	int sfd, ret = 0, r = 0;

	if (nfds > CLI_MAX_FDS) {
		cli_error(c, "too many descriptors to wait on");
		return -1;
	}
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
	pfd[n].fd = sfd;
	pfd[n++].events = POLLIN;
	if (netlink) {
		pfd[n].fd = l2nl_fd(&c->nl);
		pfd[n++].events = POLLIN;
	}
	first = n;
	for (i = 0; i < nfds; i++) {
		pfd[n].fd = fds[i].fd;
		pfd[n++].events = POLLIN;
	}

	while (!(done && done(arg))) {
		if (poll(pfd, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			cli_error(c, "poll: %s", strerror(errno));
			ret = -1;
			break;
		}
		if (pfd[0].revents & POLLIN) {
			if (read(sfd, &si, sizeof(si)) < 0)
				continue;
			break;
		}
		for (i = 0; i < nfds; i++) {
			if (!(pfd[first + i].revents &
			      (POLLIN | POLLHUP | POLLERR)))
				continue;
			r = fds[i].cb(fds[i].arg);
			if (r)
				break;
		}
		if (i < nfds) {
			ret = r < 0 ? -1 : 0;
			break;
		}
		if (!netlink || !(pfd[1].revents & (POLLIN | POLLERR)))
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
