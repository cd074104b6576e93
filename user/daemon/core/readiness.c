// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: readiness for systemd (sd_notify) and for scripts (a parent
 * that exits when the daemon is ready). See readiness.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <systemd/sd-daemon.h>

#include "readiness.h"

/*
 * The waiting parent: one byte on the pipe is "ready"; end of file
 * without it is "the daemon exited before it was ready" (its log says
 * why: we are detached from the terminal by then, so say where to look).
 */
static void __attribute__((noreturn)) wait_for_daemon(int fd)
{
	char c;
	ssize_t n;

	do {
		n = read(fd, &c, 1);
	} while (n < 0 && errno == EINTR);
	if (n == 1)
		_exit(0);
	fprintf(stderr,
		"l2tpsecd: the daemon exited before it was ready; its cause is in the system log (journalctl -t l2tpsecd, or /var/log/syslog)\n");
	_exit(1);
}

int readiness_daemonize(struct readiness *r)
{
	int fds[2], fd, ret;
	pid_t pid;

	r->pipe_fd = -1;
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0)
		goto fail_close_pipe;
	if (pid > 0) {
		close(fds[1]);
		/* the middle child exits at once; reap it, then wait */
		waitpid(pid, NULL, 0);
		wait_for_daemon(fds[0]);
	}
	close(fds[0]);
	if (setsid() < 0)
		goto fail_close_write;
	pid = fork();
	if (pid < 0)
		goto fail_close_write;
	if (pid > 0)
		_exit(0);
	if (chdir("/") < 0)
		goto fail_close_write;
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	r->pipe_fd = fds[1];
	return 0;

fail_close_pipe:
	ret = -errno;
	close(fds[0]);
	close(fds[1]);
	return ret;
fail_close_write:
	ret = -errno;
	close(fds[1]);
	return ret;
}

void readiness_ready(struct readiness *r, const char *status)
{
	ssize_t n;

	sd_notifyf(0, "READY=1\nSTATUS=%s\nMAINPID=%lu", status,
		   (unsigned long)getpid());
	if (r->pipe_fd < 0)
		return;
	do {
		n = write(r->pipe_fd, "r", 1);
	} while (n < 0 && errno == EINTR);
	close(r->pipe_fd);
	r->pipe_fd = -1;
}

void readiness_reloading(struct readiness *r, const char *status)
{
	(void)r;
	sd_notifyf(0, "RELOADING=1\nSTATUS=%s", status);
}

void readiness_stopping(struct readiness *r, const char *status)
{
	(void)r;
	sd_notifyf(0, "STOPPING=1\nSTATUS=%s", status);
}
