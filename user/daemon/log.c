// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: logging. One line per event, "LAYER [PEER: ]TEXT", to stderr
 * (with a "<N>" priority prefix when stderr is the systemd journal) or to
 * syslog. The state is per process: there is one log.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

/* <syslog.h> names a facility LOG_AUTH, as log.h names a layer. */
#include <syslog.h>
static const int prio_err = LOG_ERR, prio_warn = LOG_WARNING,
		 prio_info = LOG_INFO, prio_debug = LOG_DEBUG;
static const int open_opts = LOG_PID | LOG_NDELAY, facility = LOG_DAEMON;
#undef LOG_AUTH

#include "log.h"

#define LOG_LINE_MAX	1024

static struct {
	enum log_level	max;
	int		use_syslog;
	int		journal;
	log_sink_fn	sink;
	void		*sink_arg;
} log_state = { .max = LOG_LVL_INFO };

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

static void vlog(enum log_level lvl, enum log_layer layer,
		 const struct sockaddr_in *peer, const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];
	char addr[INET_ADDRSTRLEN];
	int n, saved = errno;
	size_t i;

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
	/* One line each, whatever the text holds. */
	for (i = 0; line[i]; i++)
		if (line[i] == '\n' || line[i] == '\r')
			line[i] = ' ';
	emit(lvl, line);
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
