/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Opening a file of secrets (chap-secrets, the tunnel secret, a PSK or
 * password file): the checks are made on what was opened, not on a path
 * that may change in between, and a symbolic link is refused.
 */
#ifndef L2TPSEC_COMMON_SECRETFILE_H
#define L2TPSEC_COMMON_SECRETFILE_H

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Open @path read-only with O_NOFOLLOW, then check the descriptor: a
 * regular file, owned by root or by our effective user, no group or
 * other permissions. The descriptor, or -errno with a line in @err that
 * says what is wrong and how to fix it (-ELOOP: a symbolic link, -EPERM:
 * owner or mode, -EINVAL: not a regular file).
 *
 * Inline: the daemon's core, its auth part and the test and fuzz builds
 * that link only some of them all use it.
 */
static inline int l2_open_secret(const char *path, char *err, size_t len)
{
	struct stat st;
	int fd, ret;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		ret = -errno;
		if (errno == ELOOP)
			snprintf(err, len,
				 "%s: is a symbolic link; a file of secrets must be the file itself (name the target)",
				 path);
		else
			snprintf(err, len, "%s: %s", path, strerror(errno));
		return ret;
	}
	if (fstat(fd, &st) < 0) {
		ret = -errno;
		snprintf(err, len, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, len, "%s: not a regular file", path);
		ret = -EINVAL;
		goto fail;
	}
	if (st.st_uid != 0 && st.st_uid != geteuid()) {
		snprintf(err, len,
			 "%s: owned by uid %u, who could change the secrets; chown root %s",
			 path, (unsigned int)st.st_uid, path);
		ret = -EPERM;
		goto fail;
	}
	if (st.st_mode & 077) {
		snprintf(err, len,
			 "%s: mode %04o lets others read the secrets; chmod 600 %s",
			 path, (unsigned int)(st.st_mode & 07777), path);
		ret = -EPERM;
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return ret;
}

#endif
