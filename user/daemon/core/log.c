// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: logging. One line per event, "LAYER [PEER: ]TEXT", to stderr
 * (with a "<N>" priority prefix when stderr is the systemd journal) or to
 * syslog. The state is per process: there is one log.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

/* <syslog.h> names a facility LOG_AUTH, as log.h names a layer. */
#include <syslog.h>
static const int prio_err = LOG_ERR, prio_warn = LOG_WARNING,
		 prio_info = LOG_INFO, prio_debug = LOG_DEBUG;
static const int open_opts = LOG_PID | LOG_NDELAY, facility = LOG_DAEMON;
#undef LOG_AUTH

#include "escape.h"
#include "log.h"

#define LOG_LINE_MAX	1024
/* the line once escaped: at most 4 bytes for each */
#define LOG_OUT_MAX	(LOG_LINE_MAX * 4)

/*
 * Rate limit. A call site (its format string) is one kind of line: each
 * kind may burst @burst lines, then one a second; all kinds together at
 * most LOG_GLOBAL_RATE a second (burst the same). What is held back is
 * counted per kind and reported once the kind may log again (the next
 * line of that kind, or log_flush_suppressed() from a timer) as
 * "N similar lines suppressed". A peer that makes every packet log a
 * warning gets @burst lines and a count, not one line per packet.
 */
#define LOG_KINDS		64
#define LOG_SAMPLE		160
#define LOG_GLOBAL_RATE		50
#define LOG_DEFAULT_BURST	10

struct log_kind {
	const char	*fmt;		/* NULL: free slot */
	enum log_layer	layer;
	uint32_t	tokens;		/* lines it may log now */
	uint64_t	refill_ms;	/* when the last token came */
	uint64_t	suppressed;
	char		sample[LOG_SAMPLE];	/* the last one held back */
};

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static struct {
	enum log_level	max;
	int		use_syslog;
	int		journal;
	log_sink_fn	sink;
	void		*sink_arg;
	uint32_t	burst;		/* 0: no limit */
	uint64_t	(*clock)(void);
	uint32_t	tokens;		/* all kinds together */
	uint64_t	refill_ms;
	bool		started;
	struct log_kind	kinds[LOG_KINDS];
} log_state = {
	.max = LOG_LVL_INFO, .burst = LOG_DEFAULT_BURST, .clock = mono_ms,
};

static const char *const layer_names[] = {
	[LOG_CORE]	= "core",
	[LOG_IKE]	= "ike",
	[LOG_IPSEC]	= "ipsec",
	[LOG_L2TP]	= "l2tp",
	[LOG_PPP]	= "ppp",
	[LOG_AUTH]	= "auth",
	[LOG_KERNEL]	= "kernel",
	[LOG_CONFIG]	= "config",
};

static int syslog_prio(enum log_level lvl)
{
	switch (lvl) {
	case LOG_LVL_ERR: return prio_err;
	case LOG_LVL_WARN: return prio_warn;
	case LOG_LVL_INFO: return prio_info;
	default: return prio_debug;
	}
}

void log_init(const char *ident, enum log_level max, int use_syslog)
{
	log_state.max = max;
	log_state.use_syslog = use_syslog;
	/* systemd sets JOURNAL_STREAM when stderr is the journal. */
	log_state.journal = getenv("JOURNAL_STREAM") != NULL;
	if (use_syslog)
		openlog(ident, open_opts, facility);
}

void log_set_level(enum log_level max)
{
	log_state.max = max;
}

void log_set_sink(log_sink_fn fn, void *arg)
{
	log_state.sink = fn;
	log_state.sink_arg = arg;
}

void log_set_burst(uint32_t burst)
{
	unsigned int i;

	log_state.burst = burst;
	for (i = 0; i < LOG_KINDS; i++)
		if (log_state.kinds[i].tokens > burst)
			log_state.kinds[i].tokens = burst;
}

void log_set_clock(uint64_t (*now_ms)(void))
{
	log_state.clock = now_ms ? now_ms : mono_ms;
	memset(log_state.kinds, 0, sizeof(log_state.kinds));
	log_state.started = false;
}

static void emit(enum log_level lvl, const char *line)
{
	if (log_state.sink) {
		log_state.sink(log_state.sink_arg, lvl, line);
		return;
	}
	if (log_state.use_syslog) {
		syslog(syslog_prio(lvl), "%s", line);
		return;
	}
	if (log_state.journal)
		fprintf(stderr, "<%d>%s\n", syslog_prio(lvl), line);
	else
		fprintf(stderr, "%s\n", line);
}

/* Refill @tokens (up to @cap) at @per_s a second since @*at. */
static void refill(uint32_t *tokens, uint64_t *at, uint32_t cap,
		   uint32_t per_s, uint64_t now)
{
	uint64_t add;

	if (now <= *at)
		return;
	add = (now - *at) * per_s / 1000;
	if (!add)
		return;
	*tokens = *tokens + add >= cap ? cap : *tokens + (uint32_t)add;
	*at = *tokens == cap ? now : *at + add * 1000 / per_s;
}

static struct log_kind *kind_of(const char *fmt, enum log_layer layer,
				uint64_t now)
{
	uintptr_t h = (uintptr_t)fmt;
	unsigned int i, slot;

	h ^= h >> 17;
	h *= 0x9e3779b1u;
	slot = (unsigned int)(h >> 7) % LOG_KINDS;
	for (i = 0; i < LOG_KINDS; i++) {
		struct log_kind *k = &log_state.kinds[(slot + i) % LOG_KINDS];

		if (k->fmt == fmt)
			return k;
		if (!k->fmt) {
			k->fmt = fmt;
			k->layer = layer;
			k->tokens = log_state.burst;
			k->refill_ms = now;
			return k;
		}
	}
	/* more kinds than slots: the home slot's kind shares its budget */
	return &log_state.kinds[slot];
}

static void emit_summary(struct log_kind *k)
{
	char line[LOG_SAMPLE + 96];

	snprintf(line, sizeof(line),
		 "%s: %llu similar line%s suppressed (rate limit: [daemon] log-burst %u, then 1/s), the last: %s",
		 layer_names[k->layer], (unsigned long long)k->suppressed,
		 k->suppressed == 1 ? "" : "s", log_state.burst, k->sample);
	k->suppressed = 0;
	emit(LOG_LVL_WARN, line);
}

/* The start of @line, not cut inside an escape. */
static void sample(char out[LOG_SAMPLE], const char *line)
{
	size_t n = strnlen(line, LOG_SAMPLE), i;

	if (n < LOG_SAMPLE) {
		memcpy(out, line, n + 1);
		return;
	}
	n = LOG_SAMPLE - 4;
	for (i = n > 3 ? n - 3 : 0; i < n; i++)
		if (line[i] == '\\') {
			n = i;
			break;
		}
	memcpy(out, line, n);
	memcpy(out + n, "...", 4);
}

/* Whether a line of @fmt may go out now; counts it when not. */
static bool rate_ok(const char *fmt, enum log_layer layer, const char *line)
{
	uint64_t now;
	struct log_kind *k;

	if (!log_state.burst)
		return true;
	now = log_state.clock();
	if (!log_state.started) {
		log_state.tokens = LOG_GLOBAL_RATE;
		log_state.refill_ms = now;
		log_state.started = true;
	}
	refill(&log_state.tokens, &log_state.refill_ms, LOG_GLOBAL_RATE,
	       LOG_GLOBAL_RATE, now);
	k = kind_of(fmt, layer, now);
	refill(&k->tokens, &k->refill_ms, log_state.burst, 1, now);
	if (k->tokens && log_state.tokens) {
		k->tokens--;
		log_state.tokens--;
		if (k->suppressed)
			emit_summary(k);
		return true;
	}
	k->suppressed++;
	sample(k->sample, line);
	return false;
}

void log_flush_suppressed(void)
{
	unsigned int i;
	uint64_t now;

	if (!log_state.started)
		return;
	now = log_state.clock();
	refill(&log_state.tokens, &log_state.refill_ms, LOG_GLOBAL_RATE,
	       LOG_GLOBAL_RATE, now);
	for (i = 0; i < LOG_KINDS; i++) {
		struct log_kind *k = &log_state.kinds[i];

		if (!k->suppressed)
			continue;
		refill(&k->tokens, &k->refill_ms, log_state.burst, 1, now);
		if (!k->tokens || !log_state.tokens)
			continue;
		k->tokens--;
		log_state.tokens--;
		emit_summary(k);
	}
}

static void vlog(enum log_level lvl, enum log_layer layer,
		 const struct sockaddr_in *peer, const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX], out[LOG_OUT_MAX];
	char addr[INET_ADDRSTRLEN];
	int n, saved = errno;
	size_t i, o = 0;

	if (lvl > log_state.max)
		return;
	if ((unsigned int)layer >= sizeof(layer_names) / sizeof(layer_names[0]))
		layer = LOG_CORE;
	if (peer) {
		if (!inet_ntop(AF_INET, &peer->sin_addr, addr, sizeof(addr)))
			strcpy(addr, "?");
		if (peer->sin_port)
			n = snprintf(line, sizeof(line), "%s %s:%u: ",
				     layer_names[layer], addr,
				     ntohs(peer->sin_port));
		else
			n = snprintf(line, sizeof(line), "%s %s: ",
				     layer_names[layer], addr);
	} else {
		n = snprintf(line, sizeof(line), "%s: ", layer_names[layer]);
	}
	if (n < 0)
		n = 0;
	if ((size_t)n < sizeof(line))
		vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	/*
	 * One line each, whatever the text holds: every byte that is not
	 * printable ASCII becomes \xHH (a peer string a call site did not
	 * escape with l2_escape() included). Backslashes stay: l2_escape()
	 * doubles those that came from a peer.
	 */
	for (i = 0; line[i]; i++) {
		unsigned char c = (unsigned char)line[i];

		if (c == '\\' || l2_esc_plain(c)) {
			out[o++] = (char)c;
			continue;
		}
		o += (size_t)snprintf(out + o, sizeof(out) - o, "\\x%02x", c);
	}
	out[o] = '\0';
	/*
	 * Information lines are the audit trail (logins, ends, tunnels,
	 * IKE SAs up): each is bounded by a per-peer limit and none may be
	 * lost, so only warnings, errors and debug lines are rate-limited.
	 */
	if (lvl == LOG_LVL_INFO || rate_ok(fmt, layer, out))
		emit(lvl, out);
	errno = saved;
}

void log_peer(enum log_level lvl, enum log_layer layer,
	      const struct sockaddr_in *peer, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(lvl, layer, peer, fmt, ap);
	va_end(ap);
}

void log_msg(enum log_level lvl, enum log_layer layer, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(lvl, layer, NULL, fmt, ap);
	va_end(ap);
}
