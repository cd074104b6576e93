// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: the control socket (see ctl.h and user/common/ctlproto.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl/access.h"
#include "ctl/ctl.h"
#include "ctl/events.h"
#include "ctl/status.h"
#include "ctlproto.h"
#include "devent.h"
#include "failrec.h"
#include "ike/ike.h"
#include "l2tp/l2tp.h"
#include "log.h"
#include "loop.h"

#ifndef L2TPSEC_VERSION
#define L2TPSEC_VERSION "0.1"
#endif

#define CTL_MAX_CONNS	16
#define CTL_IDLE_MS	5000
#define CTL_MAX_GROUPS	64

struct ctl_conn {
	struct ctl_conn		*next;
	struct ctl		*ctl;
	int			fd;
	struct loop_timer	*timer;
	uid_t			uid;
	pid_t			pid;
	struct ctl_peer_cred	cred;
	gid_t			groups[CTL_MAX_GROUPS];
	char			in[L2_CTL_MAX_LINE];
	size_t			inlen;
	bool			answered;
	char			*out;
	size_t			outlen, outcap, outpos;
	bool			out_failed;
	bool			subscribed;	/* "events": stays open */
	bool			lost_logged;
	struct ctl_evq		evq;
};

struct ctl {
	struct loop		*loop;
	struct l2tp		*l2tp;
	const struct ike	*ike;		/* NULL: no ESP details */
	int			fd;
	char			path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char			device[32];
	dev_t			dev;
	ino_t			ino;
	gid_t			read_gid;	/* control-group, -1: none */
	char			read_group[64];
	struct ctl_conn		*conns;
	unsigned int		nconns;
	unsigned int		nsubs;		/* of them subscribed */
	unsigned int		event_queue;	/* lines per subscriber */
};

/* ---- connections ---------------------------------------------------------- */

static void conn_free(struct ctl_conn *cn)
{
	struct ctl *c = cn->ctl;
	struct ctl_conn **pp;

	for (pp = &c->conns; *pp; pp = &(*pp)->next) {
		if (*pp == cn) {
			*pp = cn->next;
			c->nconns--;
			if (cn->subscribed)
				c->nsubs--;
			break;
		}
	}
	loop_del_fd(c->loop, cn->fd);
	close(cn->fd);
	loop_timer_free(cn->timer);
	free(cn->out);
	ctl_evq_free(&cn->evq);
	free(cn);
}

static void out_line(struct ctl_conn *cn, struct l2_ctl_line *l)
{
	if (l2_ctl_end(l)) {
		log_msg(LOG_LVL_WARN, LOG_CORE,
			"control socket: an answer line was too long and is left out");
		return;
	}
	if (cn->outlen + l->len > cn->outcap) {
		size_t cap = cn->outcap ? cn->outcap * 2 : 8192;
		char *n;

		while (cap < cn->outlen + l->len)
			cap *= 2;
		n = realloc(cn->out, cap);
		if (!n) {
			cn->out_failed = true;
			return;
		}
		cn->out = n;
		cn->outcap = cap;
	}
	memcpy(cn->out + cn->outlen, l->buf, l->len);
	cn->outlen += l->len;
}

static void out_error(struct ctl_conn *cn, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void out_error(struct ctl_conn *cn, const char *fmt, ...)
{
	struct l2_ctl_line l;
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	l2_ctl_begin(&l, "error");
	l2_ctl_put(&l, "message", msg);
	out_line(cn, &l);
}

static void out_daemon(struct ctl_conn *cn)
{
	struct l2_ctl_line l;

	l2_ctl_begin(&l, "daemon");
	l2_ctl_put(&l, "version", L2TPSEC_VERSION);
	l2_ctl_put(&l, "device", cn->ctl->device);
	l2_ctl_put_u64(&l, "pid", (uint64_t)getpid());
	l2_ctl_put_u64(&l, "sessions", l2tp_session_count(cn->ctl->l2tp));
	out_line(cn, &l);
}

struct who_ctx {
	struct ctl_conn	*cn;
	unsigned int	n;
};

static void put_addr(struct l2_ctl_line *l, const char *key, struct in_addr a)
{
	char buf[INET_ADDRSTRLEN];

	if (a.s_addr)
		l2_ctl_put(l, key, inet_ntop(AF_INET, &a, buf, sizeof(buf)));
}

static void who_one(void *arg, const struct l2tp_session_view *v)
{
	struct who_ctx *w = arg;
	struct ike_esp_info esp;
	struct l2_ctl_line l;
	char buf[INET6_ADDRSTRLEN];

	l2_ctl_begin(&l, "session");
	l2_ctl_put(&l, "user", v->user);
	/* the name the client sent, when it is not the user's own */
	if (v->user_sent && *v->user_sent)
		l2_ctl_put(&l, "user-sent", v->user_sent);
	put_addr(&l, "address", v->address);
	put_addr(&l, "peer-address", v->peer_address);
	if (v->ipv6)
		l2_ctl_put(&l, "ipv6", inet_ntop(AF_INET6, &v->peer_ll, buf,
						 sizeof(buf)));
	put_addr(&l, "outer", v->outer.sin_addr);
	if (v->outer.sin_port)
		l2_ctl_put_u64(&l, "outer-port", ntohs(v->outer.sin_port));
	l2_ctl_put_u64(&l, "peer-id", v->peer_id);
	l2_ctl_put_u64(&l, "tunnel", v->local_tunnel_id);
	l2_ctl_put_u64(&l, "session", v->local_session_id);
	l2_ctl_put_u64(&l, "peer-tunnel", v->remote_tunnel_id);
	l2_ctl_put_u64(&l, "peer-session", v->remote_session_id);
	l2_ctl_put(&l, "role", v->client ? "client" : "server");
	if (v->lac)
		l2_ctl_put(&l, "lac", v->lac);
	if (v->peer_host && *v->peer_host)
		l2_ctl_put(&l, "host", v->peer_host);
	l2_ctl_put(&l, "auth", ppp_auth_name(v->auth));
	if (!ike_peer_esp(w->cn->ctl->ike, v->peer_id, &esp))
		l2_ctl_put_u64(&l, "key-bits", esp.key_bits);
	l2_ctl_put(&l, "phase", v->ending ? "ending" : v->phase);
	l2_ctl_put_u64(&l, "uptime", v->uptime_ms / 1000);
	out_line(w->cn, &l);
	w->n++;
}

static void who_block(void *arg, const char *user, uint32_t remaining_s)
{
	struct who_ctx *w = arg;
	struct l2_ctl_line l;

	l2_ctl_begin(&l, "block");
	l2_ctl_put(&l, "user", user);
	l2_ctl_put_u64(&l, "remaining", remaining_s);
	out_line(w->cn, &l);
}

static void do_who(struct ctl_conn *cn)
{
	struct who_ctx w = { .cn = cn };
	struct l2_ctl_line l;

	out_daemon(cn);
	l2tp_for_each_session(cn->ctl->l2tp, who_one, &w);
	l2tp_for_each_block(cn->ctl->l2tp, who_block, &w);
	l2_ctl_begin(&l, "ok");
	l2_ctl_put_u64(&l, "count", w.n);
	out_line(cn, &l);
}

static void status_line(void *arg, struct l2_ctl_line *l)
{
	out_line(arg, l);
}

static void do_status(struct ctl_conn *cn)
{
	struct l2_ctl_line l;
	unsigned int n;

	out_daemon(cn);
	n = ctl_status(cn->ctl->l2tp, cn->ctl->ike, l2_fail_default(),
		       status_line, cn);
	l2_ctl_begin(&l, "ok");
	l2_ctl_put_u64(&l, "count", n);
	out_line(cn, &l);
}

static void do_history(struct ctl_conn *cn, const struct l2_ctl_record *r)
{
	struct l2_ctl_line l;
	unsigned int n = 0;
	char err[256];

	if (ctl_history(r, status_line, cn, &n, err, sizeof(err))) {
		out_error(cn, "%s", err);
		return;
	}
	l2_ctl_begin(&l, "ok");
	l2_ctl_put_u64(&l, "count", n);
	out_line(cn, &l);
}

static void do_kick(struct ctl_conn *cn, const struct l2_ctl_record *r)
{
	struct l2_ctl_kick ck;
	struct l2tp_kick k;
	struct l2_ctl_line l;
	char who[80], what[160], err[256];
	unsigned int blocked = 0;
	int n;

	if (l2_ctl_kick_parse(r, &ck, err, sizeof(err))) {
		out_error(cn, "kick: %s", err);
		return;
	}
	memset(&k, 0, sizeof(k));
	k.block_s = ck.block_s;
	switch (ck.by) {
	case L2_CTL_KICK_USER:
		k.by = L2TP_KICK_USER;
		snprintf(k.user, sizeof(k.user), "%s", ck.user);
		snprintf(what, sizeof(what), "user %s", ck.user);
		break;
	case L2_CTL_KICK_ADDRESS:
		k.by = L2TP_KICK_ADDRESS;
		k.address = ck.address;
		snprintf(what, sizeof(what), "address %s", inet_ntoa(ck.address));
		break;
	case L2_CTL_KICK_SESSION:
		k.by = L2TP_KICK_SESSION;
		k.peer_id = ck.peer_id;
		k.tunnel_id = ck.tunnel_id;
		k.session_id = ck.session_id;
		snprintf(what, sizeof(what), "peer %u tunnel %u session %u",
			 k.peer_id, k.tunnel_id, k.session_id);
		break;
	}
	snprintf(who, sizeof(who), "(l2tpsec kick, pid %d uid %u)",
		 (int)cn->pid, (unsigned int)cn->uid);
	n = l2tp_kick_block(cn->ctl->l2tp, &k, who, &blocked);
	/* a user blocked while not connected is what the admin asked for */
	if (!n && !blocked) {
		out_error(cn, "kick: no session of %s", what);
		return;
	}
	l2_ctl_begin(&l, "ok");
	l2_ctl_put_u64(&l, "count", (uint64_t)n);
	if (k.block_s) {
		l2_ctl_put_u64(&l, "blocked", blocked);
		l2_ctl_put_u64(&l, "block", k.block_s);
	}
	out_line(cn, &l);
}

static void do_unblock(struct ctl_conn *cn, const struct l2_ctl_record *r)
{
	char user[L2_CTL_MAX_USER + 1], who[80], err[256];
	struct l2_ctl_line l;

	if (l2_ctl_unblock_parse(r, user, err, sizeof(err))) {
		out_error(cn, "unblock: %s", err);
		return;
	}
	snprintf(who, sizeof(who), "(l2tpsec unblock, pid %d uid %u)",
		 (int)cn->pid, (unsigned int)cn->uid);
	if (l2tp_unblock(cn->ctl->l2tp, user, who)) {
		out_error(cn, "unblock: user %s is not blocked (l2tpsec who lists the blocks)",
			  user);
		return;
	}
	l2_ctl_begin(&l, "ok");
	l2_ctl_put_u64(&l, "count", 1);
	out_line(cn, &l);
}

/*
 * "events": the answer is the "daemon" record, then the events as they
 * come, through the subscriber's bounded queue (events.h).
 */
static void do_events(struct ctl_conn *cn)
{
	struct ctl *c = cn->ctl;

	if (c->nsubs >= CTL_MAX_SUBSCRIBERS) {
		log_msg(LOG_LVL_WARN, LOG_CORE,
			"control socket: pid %d uid %u asked for events, but %u subscribers (l2tpsec monitor) already listen, the most there may be; one refused",
			(int)cn->pid, (unsigned int)cn->uid, c->nsubs);
		out_error(cn, "events: %u l2tpsec monitor are already listening, the most there may be; stop one",
			  c->nsubs);
		return;
	}
	out_daemon(cn);
	if (cn->out_failed)
		return;
	ctl_evq_init(&cn->evq, c->event_queue);
	if (!ctl_evq_push(&cn->evq, cn->out, cn->outlen)) {
		cn->out_failed = true;
		return;
	}
	cn->outlen = 0;
	cn->subscribed = true;
	c->nsubs++;
}

static void sub_write(struct ctl_conn *cn)
{
	const char *p;
	size_t len;
	ssize_t n;

	while ((len = ctl_evq_peek(&cn->evq, &p))) {
		n = send(cn->fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			conn_free(cn);
			return;
		}
		ctl_evq_sent(&cn->evq, (size_t)n);
	}
	/* all sent: wait for the next event (and the subscriber's EOF) */
	loop_mod_fd(cn->ctl->loop, cn->fd, EPOLLIN);
}

/*
 * A subscriber sends nothing more: what it sends is read and ignored,
 * its EOF (or an error) ends it. True when @cn is freed.
 */
static bool sub_read(struct ctl_conn *cn)
{
	char buf[256];
	ssize_t n;

	n = recv(cn->fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return false;
	if (n > 0)
		return false;
	conn_free(cn);
	return true;
}

static void ctl_publish(void *arg, const struct l2_devent *e)
{
	struct ctl *c = arg;
	struct l2_ctl_line l;
	struct ctl_conn *cn;

	if (!c->nsubs)
		return;
	ctl_event_put(&l, e);
	if (l2_ctl_end(&l))
		return;
	for (cn = c->conns; cn; cn = cn->next) {
		if (!cn->subscribed)
			continue;
		if (ctl_evq_push(&cn->evq, l.buf, l.len)) {
			loop_mod_fd(c->loop, cn->fd, EPOLLIN | EPOLLOUT);
			continue;
		}
		if (!cn->lost_logged) {
			cn->lost_logged = true;
			log_msg(LOG_LVL_WARN, LOG_CORE,
				"control socket: the event subscriber pid %d uid %u (l2tpsec monitor) reads too slowly: its queue of %u events is full; events for it are dropped and counted (it is told how many), the daemon does not wait (event-queue in [daemon])",
				(int)cn->pid, (unsigned int)cn->uid,
				c->event_queue);
		}
	}
}

static void conn_answer(struct ctl_conn *cn, size_t linelen)
{
	struct l2_ctl_record *r = malloc(sizeof(*r));
	int err;

	cn->answered = true;
	if (!r) {
		out_error(cn, "out of memory");
		goto send;
	}
	err = l2_ctl_parse(cn->in, linelen, r);
	if (err) {
		out_error(cn, "malformed request (%s): expected \"who\", \"kick KEY=VALUE...\" or \"unblock user=NAME\"",
			  strerror(-err));
	} else if (ctl_access(&cn->cred, geteuid(), cn->ctl->read_gid,
			      r->type)) {
		if (cn->ctl->read_group[0] && ctl_request_writes(r->type))
			out_error(cn, "permission denied: only root or the daemon's user (uid %u) may ask \"%s\"; group %s may ask who, status, history and events",
				  (unsigned int)geteuid(), r->type,
				  cn->ctl->read_group);
		else
			out_error(cn, "permission denied: only root or the daemon's user (uid %u)%s%s may use the control socket",
				  (unsigned int)geteuid(),
				  cn->ctl->read_group[0] ? " and, to read, group " : "",
				  cn->ctl->read_group);
	} else if (!strcmp(r->type, "who") && !r->n) {
		do_who(cn);
	} else if (!strcmp(r->type, "status") && !r->n) {
		do_status(cn);
	} else if (!strcmp(r->type, "history")) {
		do_history(cn, r);
	} else if (!strcmp(r->type, "events") && !r->n) {
		do_events(cn);
	} else if (!strcmp(r->type, "kick")) {
		do_kick(cn, r);
	} else if (!strcmp(r->type, "unblock")) {
		do_unblock(cn, r);
	} else {
		out_error(cn, "unknown request \"%s\": expected who, status, history, events, kick or unblock",
			  r->type);
	}
	free(r);
send:
	if (cn->out_failed) {
		conn_free(cn);
		return;
	}
	if (cn->subscribed) {
		/* no idle limit: it listens until it closes */
		loop_timer_disarm(cn->timer);
		loop_mod_fd(cn->ctl->loop, cn->fd, EPOLLIN | EPOLLOUT);
		return;
	}
	loop_mod_fd(cn->ctl->loop, cn->fd, EPOLLOUT);
	loop_timer_arm(cn->timer, CTL_IDLE_MS);
}

static void conn_write(struct ctl_conn *cn)
{
	ssize_t n;

	while (cn->outpos < cn->outlen) {
		n = send(cn->fd, cn->out + cn->outpos, cn->outlen - cn->outpos,
			 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			conn_free(cn);
			return;
		}
		cn->outpos += (size_t)n;
		loop_timer_arm(cn->timer, CTL_IDLE_MS);
	}
	conn_free(cn);
}

static void conn_read(struct ctl_conn *cn)
{
	char *nl;
	ssize_t n;

	n = recv(cn->fd, cn->in + cn->inlen, sizeof(cn->in) - cn->inlen,
		 MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_free(cn);
		return;
	}
	cn->inlen += (size_t)n;
	nl = memchr(cn->in, '\n', cn->inlen);
	if (nl) {
		conn_answer(cn, (size_t)(nl - cn->in) + 1);
		return;
	}
	if (cn->inlen == sizeof(cn->in)) {
		cn->answered = true;
		out_error(cn, "request too long (at most %u bytes)",
			  L2_CTL_MAX_LINE);
		loop_mod_fd(cn->ctl->loop, cn->fd, EPOLLOUT);
	}
}

static void on_conn(void *arg, int fd, uint32_t events)
{
	struct ctl_conn *cn = arg;

	(void)fd;
	if (cn->subscribed) {
		if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && sub_read(cn))
			return;
		if (events & EPOLLOUT)
			sub_write(cn);
		return;
	}
	if (!cn->answered) {
		if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
			conn_read(cn);
		return;
	}
	if (events & (EPOLLOUT | EPOLLHUP | EPOLLERR))
		conn_write(cn);
}

static void on_idle(void *arg)
{
	struct ctl_conn *cn = arg;

	log_msg(LOG_LVL_DEBUG, LOG_CORE,
		"control socket: pid %d idle for %u ms, closed", (int)cn->pid,
		CTL_IDLE_MS);
	conn_free(cn);
}

static void on_accept(void *arg, int fd, uint32_t events)
{
	struct ctl *c = arg;
	struct ctl_conn *cn;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int cfd;

	(void)events;
	cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (cfd < 0)
		return;
	if (c->nconns >= CTL_MAX_CONNS) {
		log_msg(LOG_LVL_WARN, LOG_CORE,
			"control socket %s: %u connections open, one more refused",
			c->path, c->nconns);
		close(cfd);
		return;
	}
	cn = calloc(1, sizeof(*cn));
	if (!cn) {
		close(cfd);
		return;
	}
	cn->ctl = c;
	cn->fd = cfd;
	cn->uid = (uid_t)-1;
	if (!getsockopt(cfd, SOL_SOCKET, SO_PEERCRED, &cred, &len)) {
		cn->uid = cred.uid;
		cn->pid = cred.pid;
	}
	ctl_peer_cred_get(cfd, &cn->cred, cn->groups, CTL_MAX_GROUPS);
	cn->timer = loop_timer_new(c->loop, on_idle, cn);
	if (!cn->timer || loop_add_fd(c->loop, cfd, EPOLLIN, on_conn, cn)) {
		loop_timer_free(cn->timer);
		close(cfd);
		free(cn);
		return;
	}
	loop_timer_arm(cn->timer, CTL_IDLE_MS);
	cn->next = c->conns;
	c->conns = cn;
	c->nconns++;
}

/* ---- the socket ------------------------------------------------------------- */

/* A socket file at @path: remove it when stale, refuse when alive. */
static int clear_stale(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, ret;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode)) {
		log_msg(LOG_LVL_ERR, LOG_CONFIG,
			"control socket %s: the file exists and is not a socket; remove it or set control-socket in [daemon]",
			path);
		return -EEXIST;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	ret = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	if (!ret) {
		log_msg(LOG_LVL_ERR, LOG_CORE,
			"control socket %s: another l2tpsecd answers there; stop it, or give this one its own control-socket in [daemon]",
			path);
		return -EADDRINUSE;
	}
	if (unlink(path) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

struct ctl *ctl_open(struct loop *loop, const char *path, struct l2tp *l2tp,
		     const struct ike *ike, const char *device)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct ctl *c;
	struct stat st;
	mode_t old;
	int ret;

	if (!*path || strlen(path) >= sizeof(sa.sun_path)) {
		log_msg(LOG_LVL_ERR, LOG_CONFIG,
			"control socket \"%s\": expected a path of 1 to %zu characters",
			path, sizeof(sa.sun_path) - 1);
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->loop = loop;
	c->l2tp = l2tp;
	c->ike = ike;
	c->fd = -1;
	c->read_gid = (gid_t)-1;
	c->event_queue = CTL_EVENT_QUEUE_DEFAULT;
	snprintf(c->path, sizeof(c->path), "%s", path);
	snprintf(c->device, sizeof(c->device), "%s", device);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (clear_stale(path))
		goto fail;
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		goto fail_errno;
	old = umask(0077);
	ret = bind(c->fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (ret < 0)
		goto fail_errno;
	if (chmod(path, 0600) < 0 || stat(path, &st) < 0 ||
	    listen(c->fd, 8) < 0)
		goto fail_errno;
	c->dev = st.st_dev;
	c->ino = st.st_ino;
	if (loop_add_fd(loop, c->fd, EPOLLIN, on_accept, c))
		goto fail_errno;
	log_msg(LOG_LVL_INFO, LOG_CORE, "control socket %s (l2tpsec who, kick, unblock)",
		path);
	l2_devent_set_sink(ctl_publish, c);
	return c;
fail_errno:
	log_msg(LOG_LVL_ERR, LOG_CORE, "control socket %s: %s", path,
		strerror(errno));
	if (c->fd >= 0 && c->ino)
		unlink(path);
fail:
	if (c->fd >= 0)
		close(c->fd);
	free(c);
	return NULL;
}

int ctl_set_read_group(struct ctl *c, const char *group)
{
	struct group *g = getgrnam(group);

	if (!g) {
		log_msg(LOG_LVL_ERR, LOG_CONFIG,
			"control-group %s: no such group; create it (groupadd %s) or remove control-group from [daemon]",
			group, group);
		return -ENOENT;
	}
	return ctl_set_read_gid(c, g->gr_gid, group);
}

int ctl_set_read_gid(struct ctl *c, gid_t gid, const char *group)
{
	if (chown(c->path, (uid_t)-1, gid) < 0 ||
	    chmod(c->path, 0660) < 0) {
		log_msg(LOG_LVL_ERR, LOG_CORE, "control socket %s: group %s: %s",
			c->path, group, strerror(errno));
		return -errno;
	}
	c->read_gid = gid;
	snprintf(c->read_group, sizeof(c->read_group), "%s", group);
	log_msg(LOG_LVL_INFO, LOG_CORE,
		"control socket %s: group %s may ask who, status, history and events",
		c->path, group);
	return 0;
}

void ctl_set_event_queue(struct ctl *c, unsigned int lines)
{
	c->event_queue = lines;
}

void ctl_close(struct ctl *c)
{
	struct stat st;

	if (!c)
		return;
	l2_devent_set_sink(NULL, NULL);
	while (c->conns)
		conn_free(c->conns);
	loop_del_fd(c->loop, c->fd);
	close(c->fd);
	/* only our own socket file, not one a newer daemon made */
	if (!stat(c->path, &st) && st.st_dev == c->dev && st.st_ino == c->ino)
		unlink(c->path);
	free(c);
}
