// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: the control socket's "status" answer (status.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/status.h"
#include "diag/history.h"
#include "ctlproto.h"
#include "failrec.h"
#include "ike/view.h"
#include "l2tp/diag.h"
#include "l2tp/l2tp.h"

struct st_ctx {
	ctl_emit_fn	emit;
	void		*arg;
	unsigned int	n;
	const struct ike *ike;
};

static void put_in(struct l2_ctl_line *l, const char *key, struct in_addr a)
{
	char buf[INET_ADDRSTRLEN];

	if (a.s_addr)
		l2_ctl_put(l, key, inet_ntop(AF_INET, &a, buf, sizeof(buf)));
}

static void put_hex(struct l2_ctl_line *l, const char *key, uint32_t v)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%08x", v);
	l2_ctl_put(l, key, buf);
}

static void emit(struct st_ctx *x, struct l2_ctl_line *l)
{
	x->emit(x->arg, l);
	x->n++;
}

static void st_sa(void *arg, const struct ike_sa_view *v)
{
	struct st_ctx *x = arg;
	struct l2_ctl_line l;

	l2_ctl_begin(&l, "isakmp");
	put_in(&l, "remote", v->remote.sin_addr);
	l2_ctl_put_u64(&l, "remote-port", ntohs(v->remote.sin_port));
	put_in(&l, "local", v->local.sin_addr);
	l2_ctl_put(&l, "role", v->initiator ? "initiator" : "responder");
	l2_ctl_put(&l, "state", v->state);
	l2_ctl_put(&l, "mode", v->mode);
	l2_ctl_put_u64(&l, "established", v->established);
	l2_ctl_put_u64(&l, "age", v->age_ms / 1000);
	if (v->lifetime_s)
		l2_ctl_put_u64(&l, "lifetime", v->lifetime_s);
	if (v->proposal[0])
		l2_ctl_put(&l, "proposal", v->proposal);
	if (v->auth)
		l2_ctl_put(&l, "auth", v->auth);
	if (v->peer_id && *v->peer_id)
		l2_ctl_put(&l, "id", v->peer_id);
	l2_ctl_put(&l, "nat-t", v->natt);
	l2_ctl_put(&l, "nat", v->nat_local && v->nat_remote ? "both" :
			      v->nat_local ? "local" :
			      v->nat_remote ? "remote" : "none");
	l2_ctl_put_u64(&l, "dpd", v->dpd);
	l2_ctl_put_u64(&l, "dpd-pending", v->dpd_pending);
	l2_ctl_put_u64(&l, "idle", v->idle_ms / 1000);
	if (v->peer)
		l2_ctl_put_u64(&l, "peer-id", v->peer);
	emit(x, &l);
}

static void st_child(void *arg, const struct ike_child_view *v)
{
	struct st_ctx *x = arg;
	struct l2_ctl_line l;

	l2_ctl_begin(&l, "ipsec");
	l2_ctl_put_u64(&l, "peer-id", v->peer);
	put_in(&l, "remote", v->remote.sin_addr);
	l2_ctl_put_u64(&l, "remote-port", ntohs(v->remote.sin_port));
	l2_ctl_put(&l, "encap", v->udp_encap ? "udp" : "esp");
	l2_ctl_put(&l, "state", v->state);
	l2_ctl_put(&l, "role", v->initiator ? "initiator" : "responder");
	l2_ctl_put_u64(&l, "tx", v->tx);
	put_hex(&l, "spi-in", v->spi_in);
	put_hex(&l, "spi-out", v->spi_out);
	l2_ctl_put(&l, "proposal", v->proposal);
	l2_ctl_put_u64(&l, "age", v->age_ms / 1000);
	l2_ctl_put_u64(&l, "life", v->life_s);
	l2_ctl_put_u64(&l, "life-bytes", v->life_bytes);
	l2_ctl_put_u64(&l, "seen-in", v->seen_in);
	l2_ctl_put_u64(&l, "rekeying", v->rekeying);
	emit(x, &l);
}

static void st_tunnel(void *arg, const struct l2tp_tunnel_view *v)
{
	struct st_ctx *x = arg;
	struct l2_ctl_line l;

	l2_ctl_begin(&l, "tunnel");
	l2_ctl_put_u64(&l, "peer-id", v->peer_id);
	l2_ctl_put_u64(&l, "tunnel", v->local_id);
	l2_ctl_put_u64(&l, "peer-tunnel", v->remote_id);
	l2_ctl_put(&l, "role", v->lac ? "lac" : "lns");
	l2_ctl_put(&l, "state", v->state);
	if (v->peer_host && *v->peer_host)
		l2_ctl_put(&l, "host", v->peer_host);
	l2_ctl_put_u64(&l, "sessions", v->sessions);
	l2_ctl_put_u64(&l, "retransmits", v->retransmits);
	emit(x, &l);
}

static void st_session(void *arg, const struct l2tp_session_view *v)
{
	struct st_ctx *x = arg;
	struct ike_natt_info nt;
	struct l2_ctl_line l;

	l2_ctl_begin(&l, "session");
	l2_ctl_put(&l, "user", v->user);
	put_in(&l, "address", v->address);
	put_in(&l, "outer", v->outer.sin_addr);
	if (v->outer.sin_port)
		l2_ctl_put_u64(&l, "outer-port", ntohs(v->outer.sin_port));
	l2_ctl_put_u64(&l, "peer-id", v->peer_id);
	l2_ctl_put_u64(&l, "tunnel", v->local_tunnel_id);
	l2_ctl_put_u64(&l, "session", v->local_session_id);
	l2_ctl_put(&l, "phase", v->ending ? "ending" : v->phase);
	l2_ctl_put(&l, "auth", ppp_auth_name(v->auth));
	l2_ctl_put_u64(&l, "uptime", v->uptime_ms / 1000);
	l2_ctl_put_u64(&l, "lcp-echo-tx", v->lcp_echo_tx);
	l2_ctl_put_u64(&l, "lcp-echo-rx", v->lcp_echo_rx);
	if (v->has_lcp_rtt) {
		l2_ctl_put_u64(&l, "lcp-rtt-ms", v->lcp_rtt_ms);
		l2_ctl_put_u64(&l, "lcp-rtt-age", v->lcp_rtt_age_ms / 1000);
	}
	if (x->ike && !ike_peer_natt(x->ike, v->peer_id, &nt)) {
		l2_ctl_put(&l, "nat-t", nt.udp_encap ? "yes" : "no");
		l2_ctl_put(&l, "nat", nt.nat_local && nt.nat_remote ? "both" :
				      nt.nat_local ? "local" :
				      nt.nat_remote ? "remote" : "none");
		l2_ctl_put_u64(&l, "keepalive", nt.keepalive_s);
		l2_ctl_put_u64(&l, "keepalives-sent", nt.keepalives_sent);
	}
	emit(x, &l);
}

static void st_fail(void *arg, const struct l2_fail *f)
{
	struct st_ctx *x = arg;
	struct l2_ctl_line l;

	l2_ctl_begin(&l, "failure");
	put_in(&l, "peer", f->peer.sin_addr);
	if (f->peer.sin_port)
		l2_ctl_put_u64(&l, "port", ntohs(f->peer.sin_port));
	l2_ctl_put_u64(&l, "time", (uint64_t)f->when);
	l2_ctl_put_u64(&l, "first", (uint64_t)f->first);
	l2_ctl_put_u64(&l, "count", f->count);
	l2_ctl_put_u64(&l, "class", f->cls);
	l2_ctl_put(&l, "class-name", l2_fail_class_name(f->cls));
	l2_ctl_put(&l, "layer", f->layer);
	if (f->user[0])
		l2_ctl_put(&l, "user", f->user);
	l2_ctl_put(&l, "cause", f->cause);
	l2_ctl_put(&l, "fix", f->fix);
	emit(x, &l);
}

unsigned int ctl_status(struct l2tp *l2tp, const struct ike *ike,
			const struct l2_failures *fs, ctl_emit_fn emitfn,
			void *arg)
{
	struct st_ctx x = { .emit = emitfn, .arg = arg, .ike = ike };
	struct in_addr any = { 0 };

	if (ike) {
		ike_for_each_sa(ike, st_sa, &x);
		ike_for_each_child(ike, st_child, &x);
	}
	if (l2tp) {
		l2tp_for_each_tunnel(l2tp, st_tunnel, &x);
		l2tp_for_each_session(l2tp, st_session, &x);
	}
	if (fs)
		l2_fail_each(fs, any, NULL, st_fail, &x);
	return x.n;
}

/* ---- history ------------------------------------------------------------------ */

static struct diag_history *history;

void ctl_set_history(struct diag_history *h)
{
	history = h;
}

struct hist_ctx {
	ctl_emit_fn		emit;
	void			*arg;
	struct l2_ctl_record	*r;
	unsigned int		n;
};

/* A line of the file, checked and sent as a record of our own making. */
static void hist_one(void *arg, const char *line, size_t len)
{
	struct hist_ctx *h = arg;
	struct l2_ctl_line l;
	unsigned int i;

	if (l2_ctl_parse(line, len, h->r))
		return;
	l2_ctl_begin(&l, "session");
	for (i = 0; i < h->r->n; i++)
		l2_ctl_put(&l, h->r->f[i].key, h->r->f[i].value);
	h->emit(h->arg, &l);
	h->n++;
}

int ctl_history(const struct l2_ctl_record *req, ctl_emit_fn emitfn, void *arg,
		unsigned int *count, char *err, size_t err_len)
{
	struct hist_ctx h = { .emit = emitfn, .arg = arg };
	const char *user = l2_ctl_get(req, "user");
	uint64_t since = 0;
	unsigned int i;
	int ret;

	for (i = 0; i < req->n; i++) {
		if (strcmp(req->f[i].key, "user") && strcmp(req->f[i].key, "since")) {
			snprintf(err, err_len, "history: unknown key \"%s\": expected user=NAME, since=UNIX-TIME",
				 req->f[i].key);
			return -EINVAL;
		}
	}
	if (user && (!*user || strlen(user) > L2_CTL_MAX_USER)) {
		snprintf(err, err_len, "history: user: 1 to %u characters",
			 L2_CTL_MAX_USER);
		return -EINVAL;
	}
	if (l2_ctl_get(req, "since") && l2_ctl_get_u64(req, "since", &since)) {
		snprintf(err, err_len, "history: since: expected seconds since 1970");
		return -EINVAL;
	}
	if (!history) {
		snprintf(err, err_len, "history: no history is kept (history-file in [diagnostics])");
		return -ENOENT;
	}
	h.r = malloc(sizeof(*h.r));
	if (!h.r)
		return -ENOMEM;
	ret = diag_history_each(history, user, (time_t)since, hist_one, &h);
	free(h.r);
	if (ret < 0) {
		snprintf(err, err_len, "history: %s", strerror(-ret));
		return ret;
	}
	*count = h.n;
	return 0;
}
