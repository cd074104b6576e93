/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd: the control socket `l2tpsec who`, `kick` and `unblock` talk to
 * (protocol: user/common/ctlproto.h).
 *
 * A unix stream socket, mode 0600, owned by the daemon's user; a client
 * must also be root or the daemon's user (SO_PEERCRED). One request per
 * connection, answered from the loop without blocking: a slow reader
 * only delays its own answer, and a connection idle for 5 s is closed.
 * The exception is "events" (events.h): that connection stays open and
 * gets the daemon's events through a bounded queue; while a control
 * socket is open it is the sink of common/devent.h.
 */
#ifndef L2TPSECD_CTL_H
#define L2TPSECD_CTL_H

#include <sys/types.h>

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
/*
 * Let members of @group ask the read-only requests (who, status,
 * history): the socket file becomes group @group, mode 0660 (call while
 * root). 0, or -errno after logging why.
 */
int ctl_set_read_group(struct ctl *c, const char *group);
/* The same with the group's id (@group names it in messages). */
int ctl_set_read_gid(struct ctl *c, gid_t gid, const char *group);
/*
 * At most @lines events queued per "events" subscriber (events.h; [daemon]
 * event-queue).
 */
void ctl_set_event_queue(struct ctl *c, unsigned int lines);
/* Close every connection, remove the socket file. */
void ctl_close(struct ctl *c);

#endif
