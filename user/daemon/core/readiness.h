/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd: telling whoever started us when we are ready.
 *
 * Ready means: the configuration is read, the module is open, UDP 500 and
 * 4500 are bound and the control socket listens -- a client connecting
 * right after `systemctl start` or the init script's return finds a
 * daemon that answers.
 *
 * Two starters are served:
 *  - systemd (Type=notify): READY=1, RELOADING=1 and STOPPING=1 with a
 *    STATUS= line, through sd_notify(3) (libsystemd; a no-op without
 *    $NOTIFY_SOCKET);
 *  - a shell or SysV script (the forking mode, without -f): the process
 *    the script started exits only when the daemon is ready (status 0) or
 *    has failed to start (status 1, the cause in the log), so "started"
 *    never means "forked and maybe dying".
 */
#ifndef L2TPSECD_READINESS_H
#define L2TPSECD_READINESS_H

struct readiness {
	int	pipe_fd;	/* write end to the waiting parent, or -1 */
};

/*
 * Detach from the terminal (fork, setsid, fork, chdir /, stdio to
 * /dev/null). The original process waits until readiness_ready() or the
 * daemon's exit and then exits with 0 or 1 itself: it does not return.
 * Returns 0 in the daemon, -errno when a step failed.
 */
int readiness_daemonize(struct readiness *r);

/* Startup is done: READY=1, and the waiting parent exits 0. */
void readiness_ready(struct readiness *r, const char *status);

/* SIGHUP handling begins/ends (systemd's reload protocol). */
void readiness_reloading(struct readiness *r, const char *status);

/* Shutdown begins. */
void readiness_stopping(struct readiness *r, const char *status);

#endif
