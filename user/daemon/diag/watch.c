// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: failure classes 7 and 10 (watch.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "diag/history.h"
#include "diag/watch.h"
#include "failrec.h"
#include "log.h"
#include "loop.h"

struct watch_peer {
	struct watch_peer	*next;
	struct diag_watch	*w;
	uint32_t		peer_id;
	struct sockaddr_in	remote;
	struct loop_timer	*timer;
};

struct diag_watch {
	struct loop		*loop;
	struct diag_watch_ops	ops;
	uint32_t		l2tp_wait_s;	/* 0: off */
	bool			forwarding_check;
	bool			first_session_seen;
	char			device[32];
	char			proc[64];
	struct watch_peer	*peers;
	char			history_file[256];	/* "": none */
	uint32_t		history_size;
	bool			history_set;	/* history-file given */
};

static int watch_key(void *owner, struct config_ctx *ctx, const char *section,
		     const char *key, const char *value)
{
	struct diag_watch *w = owner;

	(void)section;
	if (!strcmp(key, "l2tp-wait")) {
		if (!strcmp(value, "0") || !strcmp(value, "no")) {
			w->l2tp_wait_s = 0;
			return 0;
		}
		if (config_parse_duration(ctx, value, &w->l2tp_wait_s))
			return -EINVAL;
		if (w->l2tp_wait_s > 3600) {
			config_error(ctx, "expected at most 1h (or 0: off)");
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(key, "forwarding-check"))
		return config_parse_bool(ctx, value, &w->forwarding_check);
	if (!strcmp(key, "history-file")) {
		if (!strcmp(value, "none") || !strcmp(value, "no")) {
			w->history_file[0] = '\0';
			return 0;
		}
		if (value[0] != '/' || strlen(value) >= sizeof(w->history_file)) {
			config_error(ctx, "expected an absolute path of at most %zu characters, or none",
				     sizeof(w->history_file) - 1);
			return -EINVAL;
		}
		snprintf(w->history_file, sizeof(w->history_file), "%s", value);
		w->history_set = true;
		return 0;
	}
	if (!strcmp(key, "history-size"))
		return config_parse_u32(ctx, value, DIAG_HISTORY_MIN,
					DIAG_HISTORY_MAX, &w->history_size);
	config_error(ctx, "unknown key (see l2tpsecd.conf(5), [diagnostics])");
	return -EINVAL;
}

struct diag_watch *diag_watch_new(struct loop *loop,
				  const struct diag_watch_ops *ops)
{
	struct diag_watch *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->loop = loop;
	w->ops = *ops;
	w->l2tp_wait_s = DIAG_L2TP_WAIT_DEFAULT;
	w->forwarding_check = true;
	snprintf(w->history_file, sizeof(w->history_file), "%s",
		 DIAG_HISTORY_FILE);
	w->history_size = DIAG_HISTORY_SIZE;
	snprintf(w->device, sizeof(w->device), "l2tpsec0");
	snprintf(w->proc, sizeof(w->proc), "/proc");
	return w;
}

static void peer_free(struct watch_peer *p)
{
	struct watch_peer **pp;

	for (pp = &p->w->peers; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
	loop_timer_free(p->timer);
	free(p);
}

void diag_watch_free(struct diag_watch *w)
{
	if (!w)
		return;
	while (w->peers)
		peer_free(w->peers);
	free(w);
}

void diag_watch_reload(struct diag_watch *w, const struct diag_watch *from)
{
	w->l2tp_wait_s = from->l2tp_wait_s;
	w->forwarding_check = from->forwarding_check;
	if (strcmp(w->history_file, from->history_file))
		log_msg(LOG_LVL_WARN, LOG_CONFIG,
			"reload: [diagnostics] history-file changed; needs a restart (systemctl restart l2tpsecd)");
	if (w->history_size != from->history_size)
		log_msg(LOG_LVL_WARN, LOG_CONFIG,
			"reload: [diagnostics] history-size changed; needs a restart (systemctl restart l2tpsecd)");
}

void diag_watch_register_config(struct diag_watch *w, struct config_loader *l)
{
	static const char *const keys[] = {
		"l2tp-wait", "forwarding-check", "history-file", "history-size",
		NULL,
	};
	struct config_section s = {
		.name = "diagnostics",
		.key = watch_key,
		.owner = w,
		.keys = keys,
	};

	config_register(l, &s);
}

void diag_watch_set_device(struct diag_watch *w, const char *device,
			   const char *proc)
{
	if (device)
		snprintf(w->device, sizeof(w->device), "%s", device);
	if (proc)
		snprintf(w->proc, sizeof(w->proc), "%s", proc);
}

const char *diag_watch_history_file(const struct diag_watch *w,
				    uint32_t *size, bool *configured)
{
	*size = w->history_size;
	*configured = w->history_set;
	return w->history_file;
}

/* ---- class 7: ESP up, no L2TP ------------------------------------------------ */

static void on_wait(void *arg)
{
	struct watch_peer *p = arg;
	struct diag_watch *w = p->w;

	if (!w->ops.has_tunnel(w->ops.arg, p->peer_id)) {
		log_peer(LOG_LVL_WARN, LOG_IPSEC, &p->remote,
			 "IPsec SA pair up for %u s and no L2TP tunnel request (SCCRQ) arrived: the client's L2TP part did not start or sends elsewhere; check its L2TP service (xl2tpd, the system's L2TP client) and that it connects to this server's address (l2tp-wait in [diagnostics])",
			 w->l2tp_wait_s);
		l2_fail_note(&p->remote, NULL, L2_FC_NO_L2TP, "ipsec",
			     "IPsec SA pair up for %u s and no L2TP tunnel request (SCCRQ) arrived; check the client's L2TP service (xl2tpd, the system's L2TP client) and that it connects to this server's address",
			     w->l2tp_wait_s);
	}
	peer_free(p);
}

void diag_watch_peer_up(struct diag_watch *w, uint32_t peer_id,
			const struct sockaddr_in *remote, bool initiator)
{
	struct watch_peer *p;

	/* as the client, our own L2TP starts at once */
	if (!w || initiator || !w->l2tp_wait_s)
		return;
	for (p = w->peers; p; p = p->next)
		if (p->peer_id == peer_id)
			return;
	p = calloc(1, sizeof(*p));
	if (!p)
		return;
	p->w = w;
	p->peer_id = peer_id;
	p->remote = *remote;
	p->timer = loop_timer_new(w->loop, on_wait, p);
	if (!p->timer) {
		free(p);
		return;
	}
	p->next = w->peers;
	w->peers = p;
	loop_timer_arm(p->timer, (uint64_t)w->l2tp_wait_s * 1000);
}

void diag_watch_peer_down(struct diag_watch *w, uint32_t peer_id)
{
	struct watch_peer *p;

	if (!w)
		return;
	for (p = w->peers; p; p = p->next) {
		if (p->peer_id == peer_id) {
			peer_free(p);
			return;
		}
	}
}

/* ---- class 10: forwarding ------------------------------------------------------ */

static long read_sysctl(const struct diag_watch *w, const char *rel)
{
	char path[160], buf[32];
	FILE *f;
	long v = -1;

	snprintf(path, sizeof(path), "%s/sys/net/ipv4/%s", w->proc, rel);
	f = fopen(path, "re");
	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f))
		v = strtol(buf, NULL, 10);
	fclose(f);
	return v;
}

bool diag_watch_check_forwarding(struct diag_watch *w,
				 const struct sockaddr_in *peer,
				 const char *user)
{
	char rel[96], what[128];
	long all, dev;

	if (!w || !w->forwarding_check)
		return false;
	all = read_sysctl(w, "ip_forward");
	snprintf(rel, sizeof(rel), "conf/%s/forwarding", w->device);
	dev = read_sysctl(w, rel);
	if (all != 0 && dev != 0)
		return false;
	if (all == 0)
		snprintf(what, sizeof(what), "net.ipv4.ip_forward is 0");
	else
		snprintf(what, sizeof(what), "net.ipv4.conf.%s.forwarding is 0",
			 w->device);
	if (peer) {
		log_peer(LOG_LVL_WARN, LOG_CORE, peer,
			 "user %s: %s: the client reaches this host only, nothing beyond it; set it to 1 (sysctl -w %s=1) and add NAT or a route back for the pool, or set forwarding-check = no in [diagnostics] when that is intended",
			 user && *user ? user : "-", what,
			 all == 0 ? "net.ipv4.ip_forward" : "net.ipv4.conf.DEVICE.forwarding");
		l2_fail_note(peer, user, L2_FC_NO_FORWARDING, "net",
			     "%s: the client reaches this host only, nothing beyond it; set it to 1 (sysctl) and add NAT or a route back for the pool",
			     what);
	} else {
		log_msg(LOG_LVL_WARN, LOG_CORE,
			"%s: clients will reach this host only, nothing beyond it; set it to 1 (sysctl -w %s=1) and add NAT or a route back for the pool, or set forwarding-check = no in [diagnostics] when that is intended",
			what, all == 0 ? "net.ipv4.ip_forward" : "net.ipv4.conf.DEVICE.forwarding");
	}
	return true;
}

void diag_watch_session_up(struct diag_watch *w, const struct sockaddr_in *peer,
			   const char *user)
{
	if (!w || w->first_session_seen)
		return;
	w->first_session_seen = true;
	diag_watch_check_forwarding(w, peer, user);
}
