/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd: who may ask what on the control socket.
 *
 * Root and the daemon's own user may ask anything. Members of the
 * read-only group ([daemon] control-group; the peer's primary or
 * supplementary groups as the kernel reports them, SO_PEERCRED and
 * SO_PEERGROUPS) may ask who, status, history and events; kick and unblock stay
 * theirs alone. Everyone else: nothing.
 */
#ifndef L2TPSECD_CTL_ACCESS_H
#define L2TPSECD_CTL_ACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct ctl_peer_cred {
	uid_t		uid;
	gid_t		gid;
	const gid_t	*groups;	/* supplementary */
	size_t		ngroups;
};

/* Does @type change anything (kick, unblock, anything unknown)? */
bool ctl_request_writes(const char *type);

/*
 * May @p ask @type? @daemon_uid: the daemon's user; @read_gid: the
 * read-only group, (gid_t)-1 for none. 0, or -EACCES.
 */
int ctl_access(const struct ctl_peer_cred *p, uid_t daemon_uid,
	       gid_t read_gid, const char *type);

/* The peer's credentials of connection @fd into @p (@buf for groups). */
void ctl_peer_cred_get(int fd, struct ctl_peer_cred *p, gid_t *buf,
		       size_t buf_len);

#endif
