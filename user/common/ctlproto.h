/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd's control socket: the line protocol the daemon and the CLI
 * share.
 *
 * A unix stream socket (default /run/l2tpsec/l2tpsecd.sock, mode 0600). The
 * client sends one request line and reads answer lines until the daemon
 * closes the connection. Every line is a record:
 *
 *   TYPE key=value key=value ...\n
 *
 * TYPE and keys are [a-z0-9-]; a value is any bytes, with '%', '=', the
 * blank, control bytes and bytes >= 0x7f written as %XX. Requests:
 *
 *   who                                  the sessions and blocked users
 *   status                               SAs, tunnels, sessions, failures
 *                                        (daemon/ctl/status.h)
 *   kick user=NAME | address=A.B.C.D | peer=ID tunnel=T session=S
 *        [block=SECONDS]                 ... and refuse their users' logins
 *   unblock user=NAME                    lift a block
 *
 * Answers: "daemon" (version, device, pid), zero or more "session"
 * records (keys in the daemon's ctl.c) and "block" records (user=NAME
 * remaining=SECONDS) for who, then one "ok" (count=N for kick; blocked=N
 * when it blocked) or "error message=TEXT".
 */
#ifndef L2TPSEC_COMMON_CTLPROTO_H
#define L2TPSEC_COMMON_CTLPROTO_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define L2_CTL_DEFAULT_PATH	"/run/l2tpsec/l2tpsecd.sock"
#define L2_CTL_MAX_LINE		4096
#define L2_CTL_MAX_FIELDS	40

struct l2_ctl_field {
	const char	*key;
	const char	*value;
};

/* A parsed record; the strings point into ->buf. */
struct l2_ctl_record {
	const char		*type;
	unsigned int		n;
	struct l2_ctl_field	f[L2_CTL_MAX_FIELDS];
	char			buf[L2_CTL_MAX_LINE];
};

/*
 * A record being written: l2_ctl_begin(), then l2_ctl_put*(), then the
 * line is ->buf (->len bytes, '\n' included after l2_ctl_end()). A value
 * that does not fit marks it ->overflow; nothing is written past ->buf.
 */
struct l2_ctl_line {
	char	buf[L2_CTL_MAX_LINE];
	size_t	len;
	bool	overflow;
};

void l2_ctl_begin(struct l2_ctl_line *l, const char *type);
void l2_ctl_put(struct l2_ctl_line *l, const char *key, const char *value);
void l2_ctl_put_u64(struct l2_ctl_line *l, const char *key, uint64_t v);
/* Ends the line; 0, or -EMSGSIZE when something did not fit. */
int l2_ctl_end(struct l2_ctl_line *l);

/*
 * Parse one line (without or with its '\n'): 0, or -EBADMSG for a
 * malformed one (bad type or key, a word without '=', a bad %XX, a NUL
 * byte in a value), -E2BIG for too long or too many fields.
 */
int l2_ctl_parse(const char *line, size_t len, struct l2_ctl_record *r);
/* The value of @key, or NULL. */
const char *l2_ctl_get(const struct l2_ctl_record *r, const char *key);
/* The value of @key as a number: 0, or -ENOENT / -EINVAL. */
int l2_ctl_get_u64(const struct l2_ctl_record *r, const char *key,
		   uint64_t *v);

/* ---- kick and unblock requests ------------------------------------------ */

#define L2_CTL_MAX_USER		64		/* PPP's longest name */
#define L2_CTL_MAX_BLOCK_S	(366u * 86400)	/* a year */

enum l2_ctl_kick_by {
	L2_CTL_KICK_USER,
	L2_CTL_KICK_ADDRESS,
	L2_CTL_KICK_SESSION,
};

struct l2_ctl_kick {
	enum l2_ctl_kick_by	by;
	char			user[L2_CTL_MAX_USER + 1];
	struct in_addr		address;
	uint32_t		peer_id;
	uint16_t		tunnel_id, session_id;
	uint32_t		block_s;	/* 0: no block */
};

/*
 * A "kick" record (its type is not checked) into @k: 0, or -EINVAL with
 * @err saying what was expected.
 */
int l2_ctl_kick_parse(const struct l2_ctl_record *r, struct l2_ctl_kick *k,
		      char *err, size_t err_len);
/* The request line for @k ("kick user=alice block=600"). */
void l2_ctl_kick_put(struct l2_ctl_line *l, const struct l2_ctl_kick *k);
/* An "unblock" record: the user into @user (L2_CTL_MAX_USER + 1). */
int l2_ctl_unblock_parse(const struct l2_ctl_record *r, char *user,
			 char *err, size_t err_len);

#endif /* L2TPSEC_COMMON_CTLPROTO_H */
