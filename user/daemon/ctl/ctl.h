/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd: the control socket `l2tpsec who`, `kick` and `unblock` talk to
 * (protocol: user/common/ctlproto.h).
 *
 * A unix stream socket, mode 0600, owned by the daemon's user; a client
 * must also be root or the daemon's user (SO_PEERCRED). One request per
 * connection, answered from the loop without blocking: a slow reader
 * only delays its own answer, and a connection idle for 5 s is closed.
 */
#ifndef L2TPSECD_CTL_H
#define L2TPSECD_CTL_H

struct loop;
struct l2tp;
struct ike;
struct ctl;

/*
 * Listen on @path (replacing a stale socket; refusing when a live daemon
 * answers there). @device names the l2tpsec device in answers; @ike (may
 * be NULL) gives each session's ESP key length. NULL after logging why.
 */
struct ctl *ctl_open(struct loop *loop, const char *path, struct l2tp *l2tp,
		     const struct ike *ike, const char *device);
/* Close every connection, remove the socket file. */
void ctl_close(struct ctl *c);

#endif
