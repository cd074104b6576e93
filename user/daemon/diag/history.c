// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: the history of ended sessions (history.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctlproto.h"
#include "diag/history.h"
#include "log.h"

struct diag_history {
	int		fd;
	uint32_t	max;
	char		path[256];
	bool		warned;
};

struct diag_history *diag_history_open(const char *path, uint32_t max_size,
				       bool configured)
{
	struct diag_history *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->max = max_size;
	snprintf(h->path, sizeof(h->path), "%s", path);
	h->fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW,
		     0640);
	if (h->fd < 0) {
		log_msg(configured ? LOG_LVL_WARN : LOG_LVL_INFO, LOG_CORE,
			"history-file %s: %s: ended sessions are not kept (set history-file in [diagnostics], or none)",
			path, strerror(errno));
		free(h);
		return NULL;
	}
	return h;
}

void diag_history_close(struct diag_history *h)
{
	if (!h)
		return;
	close(h->fd);
	free(h);
}

/* The whole file, NUL-terminated; NULL with errno. */
static char *slurp(struct diag_history *h, size_t *len)
{
	struct stat st;
	char *buf;
	ssize_t n;
	size_t have = 0;

	if (fstat(h->fd, &st) < 0)
		return NULL;
	/* a file grown past the limit by hand is read up to it, twice over */
	if ((uint64_t)st.st_size > (uint64_t)h->max * 2)
		st.st_size = (off_t)h->max * 2;
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		return NULL;
	while (have < (size_t)st.st_size) {
		n = pread(h->fd, buf + have, (size_t)st.st_size - have,
			  (off_t)have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		have += (size_t)n;
	}
	buf[have] = '\0';
	*len = have;
	return buf;
}

/* Keep the newest lines that fit in half the limit. */
static int shrink(struct diag_history *h)
{
	size_t len, keep_from;
	char *buf = slurp(h, &len), *p;
	int ret = 0;

	if (!buf)
		return -errno;
	keep_from = len > h->max / 2 ? len - h->max / 2 : 0;
	p = keep_from ? memchr(buf + keep_from, '\n', len - keep_from) : NULL;
	keep_from = p ? (size_t)(p - buf) + 1 : keep_from ? len : 0;
	if (ftruncate(h->fd, 0) < 0 ||
	    (len > keep_from &&
	     write(h->fd, buf + keep_from, len - keep_from) !=
	     (ssize_t)(len - keep_from)))
		ret = -errno;
	free(buf);
	return ret;
}

int diag_history_add(struct diag_history *h, const struct diag_hist_rec *r)
{
	char addr[INET_ADDRSTRLEN];
	struct l2_ctl_line l;
	struct stat st;

	if (!h)
		return 0;
	l2_ctl_begin(&l, "session");
	l2_ctl_put(&l, "user", r->user && *r->user ? r->user : "-");
	if (r->peer) {
		l2_ctl_put(&l, "peer", inet_ntop(AF_INET, &r->peer->sin_addr,
						 addr, sizeof(addr)));
		l2_ctl_put_u64(&l, "port", ntohs(r->peer->sin_port));
	}
	if (r->address.s_addr)
		l2_ctl_put(&l, "address", inet_ntop(AF_INET, &r->address, addr,
						    sizeof(addr)));
	l2_ctl_put_u64(&l, "start", (uint64_t)r->start);
	l2_ctl_put_u64(&l, "duration", r->duration_s);
	l2_ctl_put_u64(&l, "rx-bytes", r->rx_bytes);
	l2_ctl_put_u64(&l, "rx-packets", r->rx_packets);
	l2_ctl_put_u64(&l, "tx-bytes", r->tx_bytes);
	l2_ctl_put_u64(&l, "tx-packets", r->tx_packets);
	l2_ctl_put(&l, "reason", r->reason);
	if (r->detail && *r->detail)
		l2_ctl_put(&l, "detail", r->detail);
	if (l2_ctl_end(&l))
		return -EMSGSIZE;
	if (!fstat(h->fd, &st) &&
	    (uint64_t)st.st_size + l.len > h->max && shrink(h) < 0 &&
	    !h->warned) {
		h->warned = true;
		log_msg(LOG_LVL_WARN, LOG_CORE, "history-file %s: cannot shrink it: %s",
			h->path, strerror(errno));
	}
	if (write(h->fd, l.buf, l.len) != (ssize_t)l.len) {
		if (!h->warned)
			log_msg(LOG_LVL_WARN, LOG_CORE,
				"history-file %s: %s: this session's end is not kept",
				h->path, strerror(errno));
		h->warned = true;
		return -EIO;
	}
	return 0;
}

int diag_history_each(struct diag_history *h, const char *user,
		      time_t since,
		      void (*fn)(void *arg, const char *line, size_t len),
		      void *arg)
{
	struct l2_ctl_record *r = malloc(sizeof(*r));
	size_t len;
	char *buf, *p, *nl;
	int n = 0;

	if (!r)
		return -ENOMEM;
	buf = slurp(h, &len);
	if (!buf) {
		free(r);
		return -errno;
	}
	for (p = buf; (nl = memchr(p, '\n', (size_t)(buf + len - p)));
	     p = nl + 1) {
		uint64_t start = 0, dur = 0;
		const char *u;

		/* a damaged line (a crash mid-write) is skipped */
		if (l2_ctl_parse(p, (size_t)(nl - p) + 1, r) ||
		    strcmp(r->type, "session"))
			continue;
		u = l2_ctl_get(r, "user");
		l2_ctl_get_u64(r, "start", &start);
		l2_ctl_get_u64(r, "duration", &dur);
		if (user && (!u || strcmp(u, user)))
			continue;
		if (since && (time_t)(start + dur) < since)
			continue;
		fn(arg, p, (size_t)(nl - p) + 1);
		n++;
	}
	free(buf);
	free(r);
	return n;
}
