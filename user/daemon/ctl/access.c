// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: control socket access (access.h).
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "ctl/access.h"

#ifndef SO_PEERGROUPS
#define SO_PEERGROUPS	59
#endif

bool ctl_request_writes(const char *type)
{
	static const char *const readers[] = { "who", "status", "history", "events" };
	size_t i;

	for (i = 0; i < sizeof(readers) / sizeof(readers[0]); i++)
		if (!strcmp(type, readers[i]))
			return false;
	return true;
}

int ctl_access(const struct ctl_peer_cred *p, uid_t daemon_uid,
	       gid_t read_gid, const char *type)
{
	size_t i;

	if (p->uid == 0 || p->uid == daemon_uid)
		return 0;
	if (read_gid == (gid_t)-1 || ctl_request_writes(type))
		return -EACCES;
	if (p->gid == read_gid)
		return 0;
	for (i = 0; i < p->ngroups; i++)
		if (p->groups[i] == read_gid)
			return 0;
	return -EACCES;
}

void ctl_peer_cred_get(int fd, struct ctl_peer_cred *p, gid_t *buf,
		       size_t buf_len)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	memset(p, 0, sizeof(*p));
	p->uid = (uid_t)-1;
	p->gid = (gid_t)-1;
	if (!getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len)) {
		p->uid = cred.uid;
		p->gid = cred.gid;
	}
	len = (socklen_t)(buf_len * sizeof(*buf));
	/* more groups than @buf holds: the primary group alone counts */
	if (!getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, buf, &len)) {
		p->groups = buf;
		p->ngroups = len / sizeof(*buf);
	}
}
