/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd: the history of ended sessions (`l2tpsec history`), kept
 * across restarts in a bounded file ([diagnostics] history-file,
 * history-size).
 *
 * One line per session in the control socket's record format
 * (common/ctlproto.h), so a user name or detail a client chose cannot
 * forge a line:
 *
 *   session user= peer= port= address= start= duration= rx-bytes=
 *           rx-packets= tx-bytes= tx-packets= reason= detail=
 *
 * When a line would take the file past history-size, the oldest lines
 * go until it is at most half that size (rewritten in place through the
 * descriptor opened at startup, so it works after privileges are
 * dropped).
 */
#ifndef L2TPSECD_DIAG_HISTORY_H
#define L2TPSECD_DIAG_HISTORY_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define DIAG_HISTORY_FILE	"/var/lib/l2tpsec/history"
#define DIAG_HISTORY_SIZE	(1u << 20)
#define DIAG_HISTORY_MIN	4096u
#define DIAG_HISTORY_MAX	(1u << 30)

struct diag_history;
struct l2_ctl_line;

struct diag_hist_rec {
	const char		*user;
	const struct sockaddr_in *peer;		/* may be NULL */
	struct in_addr		address;
	time_t			start;
	uint64_t		duration_s;
	uint64_t		rx_bytes, rx_packets, tx_bytes, tx_packets;
	const char		*reason, *detail;
};

/*
 * Open (create, mode 0640) @path; NULL after logging why (a warning when
 * @configured, else, for the default path, an information line).
 */
struct diag_history *diag_history_open(const char *path, uint32_t max_size,
				       bool configured);
void diag_history_close(struct diag_history *h);
/* Append one ended session: 0 or -errno (logged once per error kind). */
int diag_history_add(struct diag_history *h, const struct diag_hist_rec *r);

/*
 * Call @fn with each line (a "session" record line, '\n' included) of
 * @user (NULL: all) that ended at or after @since (0: all), oldest
 * first. Returns how many, or -errno.
 */
int diag_history_each(struct diag_history *h, const char *user,
		      time_t since,
		      void (*fn)(void *arg, const char *line, size_t len),
		      void *arg);

#endif
