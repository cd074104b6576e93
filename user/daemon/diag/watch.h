/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd: failures no single layer sees, named in one log line and in
 * the failure record ([diagnostics] in l2tpsecd.conf):
 *
 *   class 7   an IPsec SA pair is up (we are the responder) and no L2TP
 *             tunnel request arrives within l2tp-wait (default 20 s);
 *   class 10  IPv4 forwarding is off (globally or on the device): checked
 *             at startup and when the first session of a client comes up.
 */
#ifndef L2TPSECD_DIAG_WATCH_H
#define L2TPSECD_DIAG_WATCH_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

struct loop;
struct config_loader;
struct diag_watch;

#define DIAG_L2TP_WAIT_DEFAULT	20	/* s */

struct diag_watch_ops {
	/* Has L2TP a tunnel (in any state) with module peer @peer_id? */
	bool	(*has_tunnel)(void *arg, uint32_t peer_id);
	void	*arg;
};

struct diag_watch *diag_watch_new(struct loop *loop,
				  const struct diag_watch_ops *ops);
void diag_watch_free(struct diag_watch *w);
/* Registers [diagnostics] (l2tp-wait, forwarding-check). */
/*
 * Reload: take @from's l2tp-wait and forwarding-check (a scratch watch
 * the new file was parsed into); history-file and history-size were
 * opened at start and stay (one line each when they changed).
 */
void diag_watch_reload(struct diag_watch *w, const struct diag_watch *from);
void diag_watch_register_config(struct diag_watch *w,
				struct config_loader *l);
/* The device whose forwarding is checked, and "/proc" (tests: another). */
void diag_watch_set_device(struct diag_watch *w, const char *device,
			   const char *proc);

/* [diagnostics] history-file ("": none) and history-size. */
const char *diag_watch_history_file(const struct diag_watch *w,
				    uint32_t *size, bool *configured);

/* IKE brought a module peer up / took it down. */
void diag_watch_peer_up(struct diag_watch *w, uint32_t peer_id,
			const struct sockaddr_in *remote, bool initiator);
void diag_watch_peer_down(struct diag_watch *w, uint32_t peer_id);

/*
 * Class 10 at startup (@peer NULL) or for a client's session (@peer, @user):
 * one line when forwarding is off. Returns true when it is off.
 */
bool diag_watch_check_forwarding(struct diag_watch *w,
				 const struct sockaddr_in *peer,
				 const char *user);

/* A client's session has its address (server role): the first one checks. */
void diag_watch_session_up(struct diag_watch *w, const struct sockaddr_in *peer,
			   const char *user);

#endif
