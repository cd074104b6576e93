// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: one daemon per configuration (a lock file and the control
 * socket, checked before anything is changed), and least privilege (an
 * unprivileged user with CAP_NET_ADMIN and CAP_NET_BIND_SERVICE only).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include <linux/capability.h>

#include "instance.h"
#include "log.h"

struct instance {
	int	fd;
	char	path[256];
};

/* ---- single instance ------------------------------------------------------ */

pid_t instance_ctl_pid(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct ucred cred;
	socklen_t len = sizeof(cred);
	struct stat st;
	pid_t pid = 0;
	int fd;

	if (!path || !*path || strlen(path) >= sizeof(sa.sun_path) ||
	    lstat(path, &st) < 0 || !S_ISSOCK(st.st_mode))
		return 0;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return 0;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		/* the listener's credentials as of its listen() */
		if (!getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) &&
		    cred.pid > 0)
			pid = cred.pid;
		else
			pid = -1;
	} else if (errno == EAGAIN) {
		pid = -1;		/* alive, its backlog is full */
	}
	close(fd);
	return pid;
}

/* The pid a running daemon wrote into its lock file, 0 when none. */
static pid_t lock_pid(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	long v;

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	v = strtol(buf, NULL, 10);
	return v > 0 && v < (1L << 30) ? (pid_t)v : 0;
}

static void refuse(pid_t pid, const char *what)
{
	char p[32];

	if (pid > 0)
		snprintf(p, sizeof(p), "pid %d", (int)pid);
	else
		snprintf(p, sizeof(p), "pid unknown");
	log_msg(LOG_LVL_ERR, LOG_CORE,
		"another l2tpsecd (%s) runs with this configuration: %s; not started, nothing changed: stop it first, or give this one its own [daemon] device, control-socket and lock-file",
		p, what);
}

struct instance *instance_claim(const char *lock_path, const char *ctl_path)
{
	struct instance *in = calloc(1, sizeof(*in));
	char what[400];
	struct stat st;
	pid_t pid;

	if (!in)
		return NULL;
	in->fd = -1;
	if (!lock_path || !*lock_path ||
	    strlen(lock_path) >= sizeof(in->path)) {
		log_msg(LOG_LVL_ERR, LOG_CONFIG,
			"lock-file \"%s\": expected a path of 1 to %zu characters",
			lock_path ? lock_path : "", sizeof(in->path) - 1);
		goto fail;
	}
	snprintf(in->path, sizeof(in->path), "%s", lock_path);
	in->fd = open(lock_path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
		      0644);
	if (in->fd < 0) {
		log_msg(LOG_LVL_ERR, LOG_CORE,
			"lock file %s: %s; not started: set lock-file in [daemon] to a path in a directory only root can write",
			lock_path, strerror(errno));
		goto fail;
	}
	/* not someone else's file to block or mislead us with */
	if (fstat(in->fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid()) {
		log_msg(LOG_LVL_ERR, LOG_CORE,
			"lock file %s: not a regular file owned by uid %u; not started: remove it, or set lock-file in [daemon]",
			lock_path, (unsigned int)geteuid());
		goto fail;
	}
	if (flock(in->fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK) {
			log_msg(LOG_LVL_ERR, LOG_CORE, "lock file %s: %s; not started",
				lock_path, strerror(errno));
			goto fail;
		}
		pid = lock_pid(in->fd);
		if (pid <= 0)
			pid = instance_ctl_pid(ctl_path);
		snprintf(what, sizeof(what), "it holds the lock file %s",
			 lock_path);
		refuse(pid, what);
		goto fail;
	}
	/* A daemon with another lock file (an older one: none) answering
	 * on our control socket is running this configuration too.
	 */
	pid = instance_ctl_pid(ctl_path);
	if (pid) {
		snprintf(what, sizeof(what), "it answers on the control socket %s",
			 ctl_path);
		refuse(pid, what);
		goto fail;
	}
	instance_set_pid(in);
	return in;
fail:
	if (in->fd >= 0)
		close(in->fd);
	free(in);
	return NULL;
}

void instance_set_pid(struct instance *in)
{
	char buf[32];
	int n;

	if (!in)
		return;
	n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (ftruncate(in->fd, 0) < 0 || pwrite(in->fd, buf, (size_t)n, 0) != n)
		log_msg(LOG_LVL_WARN, LOG_CORE,
			"lock file %s: cannot write our pid: %s", in->path,
			strerror(errno));
}

void instance_release(struct instance *in)
{
	if (!in)
		return;
	/* an empty file: no pid of ours for the next daemon to name */
	if (ftruncate(in->fd, 0) < 0)
		log_msg(LOG_LVL_DEBUG, LOG_CORE, "lock file %s: %s", in->path,
			strerror(errno));
	close(in->fd);
	free(in);
}

/* ---- least privilege ------------------------------------------------------ */

#define KEEP_CAPS	((1u << CAP_NET_ADMIN) | (1u << CAP_NET_BIND_SERVICE))

static int drop_failed(const char *step, const char *user)
{
	int err = errno ? errno : EPERM;

	log_msg(LOG_LVL_ERR, LOG_CORE,
		"cannot run as user %s: %s: %s; not started (l2tpsecd must start as root to drop to user in [daemon])",
		user, step, strerror(err));
	return -err;
}

int instance_drop_privileges(const char *user, const char *group)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	struct passwd *pw;
	struct group *gr;
	uid_t uid;
	gid_t gid;
	int cap;

	errno = 0;
	pw = getpwnam(user);
	if (!pw) {
		log_msg(LOG_LVL_ERR, LOG_CONFIG,
			"[daemon] user %s: no such user; create it (useradd --system --no-create-home %s) or remove user from [daemon]",
			user, user);
		return -ENOENT;
	}
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	if (group && *group) {
		errno = 0;
		gr = getgrnam(group);
		if (!gr) {
			log_msg(LOG_LVL_ERR, LOG_CONFIG,
				"[daemon] group %s: no such group; create it or remove group from [daemon]",
				group);
			return -ENOENT;
		}
		gid = gr->gr_gid;
	}
	if (!uid) {
		log_msg(LOG_LVL_ERR, LOG_CONFIG,
			"[daemon] user %s has uid 0: nothing would be dropped; name an unprivileged user",
			user);
		return -EINVAL;
	}

	/* No capability beyond the two can come back (e.g. over exec). */
	for (cap = 0; cap < 64; cap++) {
		if (cap < 32 && (KEEP_CAPS & (1u << cap)))
			continue;
		if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) < 0)
			break;		/* past the kernel's last capability */
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
			return drop_failed("dropping the capability bounding set", user);
	}
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return drop_failed("PR_SET_KEEPCAPS", user);
	if (setgroups(1, &gid) < 0)
		return drop_failed("setgroups", user);
	if (setresgid(gid, gid, gid) < 0)
		return drop_failed("setresgid", user);
	if (setresuid(uid, uid, uid) < 0)
		return drop_failed("setresuid", user);
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return drop_failed("PR_SET_KEEPCAPS", user);

	memset(data, 0, sizeof(data));
	data[0].effective = KEEP_CAPS;
	data[0].permitted = KEEP_CAPS;
	if (syscall(SYS_capset, &hdr, data) < 0)
		return drop_failed("capset", user);
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return drop_failed("PR_SET_NO_NEW_PRIVS", user);
	/* Make sure: no way back to root. */
	if (setuid(0) == 0 || seteuid(0) == 0) {
		errno = EPERM;
		return drop_failed("root could be regained", user);
	}
	log_msg(LOG_LVL_INFO, LOG_CORE,
		"running as user %s (uid %u, gid %u) with CAP_NET_ADMIN and CAP_NET_BIND_SERVICE only",
		user, (unsigned int)uid, (unsigned int)gid);
	return 0;
}
