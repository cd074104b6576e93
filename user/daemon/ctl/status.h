/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd: the "status" request of the control socket, the IKE view of
 * `l2tpsec status`: ISAKMP SAs (established and half-open), IPsec SA
 * pairs, L2TP tunnels and sessions, and the peers' last failures.
 *
 * Records (after the "daemon" record), in this order:
 *   isakmp  remote= remote-port= local= role= state= mode= established=
 *           age= lifetime= proposal= auth= id= nat-t= nat= dpd=
 *           dpd-pending= idle= peer-id=
 *   ipsec   peer-id= remote= remote-port= encap= state= role= tx=
 *           spi-in= spi-out= proposal= age= life= life-bytes= seen-in=
 *           rekeying=
 *   tunnel  peer-id= tunnel= peer-tunnel= role= state= host= sessions=
 *           retransmits=
 *   session user= address= outer= outer-port= peer-id= tunnel= session=
 *           phase= auth= uptime= lcp-echo-tx= lcp-echo-rx=
 *           [lcp-rtt-ms= lcp-rtt-age=] [nat-t= nat= keepalive=
 *           keepalives-sent=]
 *   failure peer= port= time= first= count= class= class-name= layer=
 *           user= cause= fix=
 * then "ok count=N" (N: records before it, "daemon" excluded).
 */
#ifndef L2TPSECD_CTL_STATUS_H
#define L2TPSECD_CTL_STATUS_H

#include <stddef.h>

struct l2tp;
struct ike;
struct l2_failures;
struct l2_ctl_line;

typedef void (*ctl_emit_fn)(void *arg, struct l2_ctl_line *l);

/* @ike, @l2tp and @fs may be NULL (that part is left out). */
unsigned int ctl_status(struct l2tp *l2tp, const struct ike *ike,
			const struct l2_failures *fs, ctl_emit_fn emit,
			void *arg);

/*
 * "history [user=NAME] [since=UNIX-TIME]": the ended sessions kept in
 * the history file (daemon/diag/history.h), oldest first, as "session"
 * records; 0 and the count, or -EINVAL with @err set (a bad request) or
 * -ENOENT (no history kept).
 */
struct diag_history;
struct l2_ctl_record;
void ctl_set_history(struct diag_history *h);
int ctl_history(const struct l2_ctl_record *req, ctl_emit_fn emit, void *arg,
		unsigned int *count, char *err, size_t err_len);

#endif
