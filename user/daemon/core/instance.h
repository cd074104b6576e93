/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd: one daemon per configuration, and least privilege.
 *
 * instance_claim() runs right after the configuration is read, before the
 * module, an address or a port is touched: a second l2tpsecd started with
 * the same configuration finds the lock file held (or the control socket
 * answering) and stops there with one line naming the running daemon's
 * pid, instead of taking the running daemon's UDP 4500 socket, frame
 * listener and tunnel address.
 *
 * instance_drop_privileges() runs once the ports are bound, the module is
 * open and the control socket listens: the daemon goes on as an
 * unprivileged user with only CAP_NET_ADMIN (programming the module,
 * addresses and routes) and CAP_NET_BIND_SERVICE.
 */
#ifndef L2TPSECD_INSTANCE_H
#define L2TPSECD_INSTANCE_H

#include <stdbool.h>
#include <sys/types.h>

struct instance;

/*
 * Take @lock_path (created 0644, a regular file owned by us, flock()ed)
 * and make sure nothing answers on @ctl_path ("" or NULL: no control
 * socket). NULL, with the reason logged as one line, when another
 * l2tpsecd runs with this configuration or the lock cannot be taken.
 */
struct instance *instance_claim(const char *lock_path, const char *ctl_path);

/* Write our pid into the lock file (again after daemonizing). */
void instance_set_pid(struct instance *in);

/* Drop the lock (the file stays: removing it would race a new daemon). */
void instance_release(struct instance *in);

/*
 * The pid of the process that listens on the unix socket @path, 0 when
 * nothing answers there (no file, not a socket, connection refused), or
 * -1 when something answers but its pid is unknown.
 */
pid_t instance_ctl_pid(const char *path);

/*
 * Become @user (and @group, or the user's primary group when NULL or ""),
 * keeping only CAP_NET_ADMIN and CAP_NET_BIND_SERVICE, effective and
 * permitted; no other capability stays in the bounding set, and
 * no_new_privs is set. 0, or -errno with the failing step logged.
 */
int instance_drop_privileges(const char *user, const char *group);

#endif
