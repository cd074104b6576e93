/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd: logging. Every line about a failure names the peer, the layer
 * and the cause, and where we can tell, the fix:
 *
 *   ike 203.0.113.7:4500: phase 1: pre-shared key mismatch: the peer's
 *       HASH_I does not verify; check the PSK configured for this peer
 *
 * Lines go to stderr (systemd journal) or syslog, one line each.
 */
#ifndef L2TPSECD_LOG_H
#define L2TPSECD_LOG_H

#include <netinet/in.h>
#include <stdarg.h>
#include <stdint.h>

enum log_level { LOG_LVL_ERR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

/* Layers, printed as the line's first word. */
enum log_layer {
	LOG_CORE, LOG_IKE, LOG_IPSEC, LOG_L2TP, LOG_PPP, LOG_AUTH, LOG_KERNEL,
	LOG_CONFIG,
};

void log_init(const char *ident, enum log_level max, int use_syslog);
void log_set_level(enum log_level max);

/* @peer may be NULL; port 0 prints the address alone. */
void log_peer(enum log_level lvl, enum log_layer layer,
	      const struct sockaddr_in *peer, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void log_msg(enum log_level lvl, enum log_layer layer, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Rate limit ([daemon] log-burst): each kind of line (call site) may log
 * @burst lines, then one a second; 50 a second in all. Held-back lines
 * are counted and reported as "N similar lines suppressed". 0: no limit.
 */
void log_set_burst(uint32_t burst);
/* Report held-back lines whose kind may log again (call once a second). */
void log_flush_suppressed(void);
/* Tests: the monotonic clock in ms (NULL: the real one); resets the counts. */
void log_set_clock(uint64_t (*now_ms)(void));

/*
 * Peer-supplied strings in log lines go through l2_escape() (escape.h):
 * a backslash is doubled, any other non-printable byte is \xHH. vlog()
 * escapes non-printable bytes of the whole line as well.
 */

/* Tests capture lines instead of printing them. */
typedef void (*log_sink_fn)(void *arg, enum log_level lvl, const char *line);
void log_set_sink(log_sink_fn fn, void *arg);

#endif
