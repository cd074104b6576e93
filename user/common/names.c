// SPDX-License-Identifier: GPL-2.0
/*
 * Value and attribute names of the l2tpsec UAPI.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/l2tpsec.h>

#include "names.h"

const struct l2_name l2_cipher_names[] = {
	{ L2TPSEC_CIPHER_AES_GCM,	"aes-gcm" },
	{ L2TPSEC_CIPHER_AES_CBC,	"aes-cbc" },
	{ L2TPSEC_CIPHER_DES3_CBC,	"3des-cbc" },
	{ 0, NULL }
};

const struct l2_name l2_integ_names[] = {
	{ L2TPSEC_INTEG_NONE,		"none" },
	{ L2TPSEC_INTEG_HMAC_MD5,	"md5" },
	{ L2TPSEC_INTEG_HMAC_SHA1,	"sha1" },
	{ L2TPSEC_INTEG_HMAC_SHA256,	"sha256" },
	{ L2TPSEC_INTEG_HMAC_SHA384,	"sha384" },
	{ L2TPSEC_INTEG_HMAC_SHA512,	"sha512" },
	{ 0, NULL }
};

const struct l2_name l2_dir_names[] = {
	{ L2TPSEC_DIR_IN,	"in" },
	{ L2TPSEC_DIR_OUT,	"out" },
	{ 0, NULL }
};

const struct l2_name l2_encap_names[] = {
	{ L2TPSEC_ENCAP_NONE,	"none" },
	{ L2TPSEC_ENCAP_UDP,	"udp" },
	{ 0, NULL }
};

const struct l2_name l2_frame_kind_names[] = {
	{ L2TPSEC_FRAME_L2TP_CTRL,	"l2tp-ctrl" },
	{ L2TPSEC_FRAME_PPP,		"ppp" },
	{ 0, NULL }
};

const struct l2_name l2_event_names[] = {
	{ L2TPSEC_EVENT_SA_SOFT_EXPIRE,	"sa-soft-expire" },
	{ L2TPSEC_EVENT_SA_HARD_EXPIRE,	"sa-hard-expire" },
	{ L2TPSEC_EVENT_SA_FIRST_USE,	"sa-first-use" },
	{ L2TPSEC_EVENT_PEER_FLOAT,	"peer-float" },
	{ L2TPSEC_EVENT_FRAME_LOST,	"frame-lost" },
	{ 0, NULL }
};

const struct l2_name l2_reason_names[] = {
	{ L2TPSEC_EXPIRE_BYTES,		"bytes" },
	{ L2TPSEC_EXPIRE_PACKETS,	"packets" },
	{ L2TPSEC_EXPIRE_SECONDS,	"seconds" },
	{ L2TPSEC_EXPIRE_SEQ_EXHAUSTED,	"seq-exhausted" },
	{ 0, NULL }
};

const char *l2_name(const struct l2_name *map, unsigned int value)
{
	for (; map->name; map++)
		if (map->value == value)
			return map->name;
	return NULL;
}

int l2_value(const struct l2_name *map, const char *name,
	     unsigned int *value)
{
	for (; map->name; map++) {
		if (!strcmp(map->name, name)) {
			*value = map->value;
			return 0;
		}
	}
	return -ENOENT;
}

void l2_names_list(const struct l2_name *map, char *buf, size_t len)
{
	size_t used = 0;
	int n;

	if (!len)
		return;
	buf[0] = '\0';
	for (; map->name && used < len; map++) {
		n = snprintf(buf + used, len - used, "%s%s",
			     used ? "|" : "", map->name);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

/* ---- attribute names, for the kernel's extack offsets ------------------ */

struct attr_table {
	const char * const	*names;
	unsigned int		max;
};

#define TABLE(n) { n, sizeof(n) / sizeof((n)[0]) - 1 }

static const char * const stats_attrs[] = {
	[L2TPSEC_A_STATS_PAD]		   = "pad",
	[L2TPSEC_A_STATS_RX_PACKETS]	   = "rx-packets",
	[L2TPSEC_A_STATS_RX_BYTES]	   = "rx-bytes",
	[L2TPSEC_A_STATS_TX_PACKETS]	   = "tx-packets",
	[L2TPSEC_A_STATS_TX_BYTES]	   = "tx-bytes",
	[L2TPSEC_A_STATS_REPLAY_DROPS]	   = "replay-drops",
	[L2TPSEC_A_STATS_ICV_FAILS]	   = "icv-fails",
	[L2TPSEC_A_STATS_MALFORMED_DROPS]  = "malformed-drops",
	[L2TPSEC_A_STATS_NO_SESSION_DROPS] = "no-session-drops",
	[L2TPSEC_A_STATS_NO_SA_DROPS]	   = "no-sa-drops",
	[L2TPSEC_A_STATS_TX_ERRORS]	   = "tx-errors",
	[L2TPSEC_A_STATS_EXPIRED_DROPS]	   = "expired-drops",
	[L2TPSEC_A_STATS_NO_ROUTE_DROPS]   = "no-route-drops",
	[L2TPSEC_A_STATS_FRAMES_LOST]	   = "frames-lost",
	[L2TPSEC_A_STATS_INNER_SOURCE_DROPS] = "inner-source-drops",
	[L2TPSEC_A_STATS_CRYPTO_BACKLOG_DROPS] = "crypto-backlog-drops",
	[L2TPSEC_A_STATS_NOMEM_DROPS] = "nomem-drops",
	[L2TPSEC_A_STATS_FRAME_RATE_DROPS] = "frame-rate-drops",
};

static const char * const peer_attrs[] = {
	[L2TPSEC_A_PEER_ID]		= "id",
	[L2TPSEC_A_PEER_ENCAP]		= "encap",
	[L2TPSEC_A_PEER_LOCAL_IPV4]	= "local-ipv4",
	[L2TPSEC_A_PEER_REMOTE_IPV4]	= "remote-ipv4",
	[L2TPSEC_A_PEER_LOCAL_PORT]	= "local-port",
	[L2TPSEC_A_PEER_REMOTE_PORT]	= "remote-port",
	[L2TPSEC_A_PEER_TX_SPI]		= "tx-spi",
	[L2TPSEC_A_PEER_STATS]		= "stats",
};

static const char * const sa_attrs[] = {
	[L2TPSEC_A_SA_PAD]		= "pad",
	[L2TPSEC_A_SA_SPI]		= "spi",
	[L2TPSEC_A_SA_DIR]		= "dir",
	[L2TPSEC_A_SA_PEER_ID]		= "peer-id",
	[L2TPSEC_A_SA_CIPHER]		= "cipher",
	[L2TPSEC_A_SA_INTEG]		= "integ",
	[L2TPSEC_A_SA_ENC_KEY]		= "enc-key",
	[L2TPSEC_A_SA_AUTH_KEY]		= "auth-key",
	[L2TPSEC_A_SA_ICV_LEN]		= "icv-len",
	[L2TPSEC_A_SA_REPLAY_WINDOW]	= "replay-window",
	[L2TPSEC_A_SA_SOFT_BYTES]	= "soft-bytes",
	[L2TPSEC_A_SA_HARD_BYTES]	= "hard-bytes",
	[L2TPSEC_A_SA_SOFT_PACKETS]	= "soft-packets",
	[L2TPSEC_A_SA_HARD_PACKETS]	= "hard-packets",
	[L2TPSEC_A_SA_SOFT_SECONDS]	= "soft-seconds",
	[L2TPSEC_A_SA_HARD_SECONDS]	= "hard-seconds",
	[L2TPSEC_A_SA_SEQ]		= "seq",
	[L2TPSEC_A_SA_AGE]		= "age",
	[L2TPSEC_A_SA_STATS]		= "stats",
};

static const char * const session_attrs[] = {
	[L2TPSEC_A_SESSION_PEER_ID]		= "peer-id",
	[L2TPSEC_A_SESSION_LOCAL_TUNNEL_ID]	= "local-tunnel-id",
	[L2TPSEC_A_SESSION_LOCAL_SESSION_ID]	= "local-session-id",
	[L2TPSEC_A_SESSION_REMOTE_TUNNEL_ID]	= "remote-tunnel-id",
	[L2TPSEC_A_SESSION_REMOTE_SESSION_ID]	= "remote-session-id",
	[L2TPSEC_A_SESSION_LOCAL_PORT]		= "local-port",
	[L2TPSEC_A_SESSION_REMOTE_PORT]		= "remote-port",
	[L2TPSEC_A_SESSION_PEER_IPV4]		= "peer-ipv4",
	[L2TPSEC_A_SESSION_PEER_IPV6]		= "peer-ipv6",
	[L2TPSEC_A_SESSION_PEER_IPV6_PREFIXLEN]	= "peer-ipv6-prefixlen",
	[L2TPSEC_A_SESSION_L2TP_LENGTH]		= "l2tp-length",
	[L2TPSEC_A_SESSION_L2TP_SEQ]		= "l2tp-seq",
	[L2TPSEC_A_SESSION_PPP_ACFC]		= "ppp-acfc",
	[L2TPSEC_A_SESSION_PPP_PFC]		= "ppp-pfc",
	[L2TPSEC_A_SESSION_STATS]		= "stats",
};

static const char * const frame_attrs[] = {
	[L2TPSEC_A_FRAME_KIND]			= "kind",
	[L2TPSEC_A_FRAME_PEER_ID]		= "peer-id",
	[L2TPSEC_A_FRAME_LOCAL_PORT]		= "local-port",
	[L2TPSEC_A_FRAME_REMOTE_PORT]		= "remote-port",
	[L2TPSEC_A_FRAME_LOCAL_TUNNEL_ID]	= "local-tunnel-id",
	[L2TPSEC_A_FRAME_LOCAL_SESSION_ID]	= "local-session-id",
	[L2TPSEC_A_FRAME_PAYLOAD]		= "payload",
};

static const char * const event_attrs[] = {
	[L2TPSEC_A_EVENT_KIND]			= "kind",
	[L2TPSEC_A_EVENT_PEER_ID]		= "peer-id",
	[L2TPSEC_A_EVENT_SPI]			= "spi",
	[L2TPSEC_A_EVENT_DIR]			= "dir",
	[L2TPSEC_A_EVENT_REASON]		= "reason",
	[L2TPSEC_A_EVENT_REMOTE_IPV4]		= "remote-ipv4",
	[L2TPSEC_A_EVENT_REMOTE_PORT]		= "remote-port",
	[L2TPSEC_A_EVENT_LOCAL_TUNNEL_ID]	= "local-tunnel-id",
	[L2TPSEC_A_EVENT_LOCAL_SESSION_ID]	= "local-session-id",
	[L2TPSEC_A_EVENT_ERROR]			= "error",
};

static const char * const top_attrs[] = {
	[L2TPSEC_A_IFINDEX]	 = "ifindex",
	[L2TPSEC_A_IFNAME]	 = "ifname",
	[L2TPSEC_A_SOCK_FD]	 = "sock-fd",
	[L2TPSEC_A_MSS_CLAMP]	 = "mss-clamp",
	[L2TPSEC_A_FRAME_LISTEN] = "frame-listen",
	[L2TPSEC_A_SOCK_PORT]	 = "sock-port",
	[L2TPSEC_A_DEV_STATS]	 = "dev-stats",
	[L2TPSEC_A_PEER]	 = "peer",
	[L2TPSEC_A_SA]		 = "sa",
	[L2TPSEC_A_SESSION]	 = "session",
	[L2TPSEC_A_FRAME]	 = "frame",
	[L2TPSEC_A_EVENT]	 = "event",
	[L2TPSEC_A_SINGLE_SESSION_FALLBACK] = "single-session-fallback",
};

static const struct attr_table top_table = TABLE(top_attrs);
static const struct attr_table stats_table = TABLE(stats_attrs);

/* The table of the attributes nested in @type of @parent, or NULL. */
static const struct attr_table *nest_table(const struct attr_table *parent,
					   unsigned int type)
{
	static const struct attr_table peer = TABLE(peer_attrs);
	static const struct attr_table sa = TABLE(sa_attrs);
	static const struct attr_table session = TABLE(session_attrs);
	static const struct attr_table frame = TABLE(frame_attrs);
	static const struct attr_table event = TABLE(event_attrs);

	if (parent == &top_table) {
		switch (type) {
		case L2TPSEC_A_DEV_STATS:	return &stats_table;
		case L2TPSEC_A_PEER:		return &peer;
		case L2TPSEC_A_SA:		return &sa;
		case L2TPSEC_A_SESSION:		return &session;
		case L2TPSEC_A_FRAME:		return &frame;
		case L2TPSEC_A_EVENT:		return &event;
		}
		return NULL;
	}
	if ((parent == &peer && type == L2TPSEC_A_PEER_STATS) ||
	    (parent == &sa && type == L2TPSEC_A_SA_STATS) ||
	    (parent == &session && type == L2TPSEC_A_SESSION_STATS))
		return &stats_table;
	return NULL;
}

static void append_name(char *buf, size_t len, const struct attr_table *t,
			unsigned int type)
{
	size_t used = strlen(buf);
	const char *name = type <= t->max ? t->names[type] : NULL;

	if (used >= len)
		return;
	if (name)
		snprintf(buf + used, len - used, "%s%s", used ? " " : "", name);
	else
		snprintf(buf + used, len - used, "%sattribute %u",
			 used ? " " : "", type);
}

/*
 * Find the attribute starting at @offs in the attribute stream at @base
 * (offset of the stream in the request) of @len bytes; name its path in
 * @buf and return its table in @found (for nests).
 */
static int find_attr(const unsigned char *req, uint32_t base, uint32_t len,
		     uint32_t offs, const struct attr_table *t, char *buf,
		     size_t buflen, const struct attr_table **found)
{
	uint32_t pos = base, end = base + len;

	while (pos + NLA_HDRLEN <= end) {
		const struct nlattr *nla = (const void *)(req + pos);
		unsigned int type = nla->nla_type & NLA_TYPE_MASK;
		const struct attr_table *child;

		if (nla->nla_len < NLA_HDRLEN || pos + nla->nla_len > end)
			return -ENOENT;
		if (offs == pos) {
			append_name(buf, buflen, t, type);
			*found = nest_table(t, type);
			return 0;
		}
		child = nest_table(t, type);
		if (offs > pos && offs < pos + nla->nla_len && child) {
			append_name(buf, buflen, t, type);
			return find_attr(req, pos + NLA_HDRLEN,
					 nla->nla_len - NLA_HDRLEN, offs, child,
					 buf, buflen, found);
		}
		pos += NLA_ALIGN(nla->nla_len);
	}
	return -ENOENT;
}

static int genl_attrs(const struct nlmsghdr *req, uint32_t *base,
		      uint32_t *len)
{
	uint32_t start = NLMSG_HDRLEN + NLMSG_ALIGN(GENL_HDRLEN);

	if (req->nlmsg_len < start)
		return -ENOENT;
	*base = start;
	*len = req->nlmsg_len - start;
	return 0;
}

int l2_attr_at(const struct nlmsghdr *req, uint32_t offs, char *buf,
	       size_t len)
{
	const struct attr_table *found;
	uint32_t base, alen;

	if (!len)
		return -ENOENT;
	buf[0] = '\0';
	if (genl_attrs(req, &base, &alen) ||
	    find_attr((const unsigned char *)req, base, alen, offs, &top_table,
		      buf, len, &found)) {
		buf[0] = '\0';
		return -ENOENT;
	}
	return 0;
}

int l2_attr_missing(const struct nlmsghdr *req, int has_nest,
		    uint32_t nest_offs, uint32_t type, char *buf, size_t len)
{
	const struct attr_table *t = &top_table;
	uint32_t base, alen;

	if (!len)
		return -ENOENT;
	buf[0] = '\0';
	if (has_nest) {
		if (genl_attrs(req, &base, &alen) ||
		    find_attr((const unsigned char *)req, base, alen,
			      nest_offs, &top_table, buf, len, &t) || !t) {
			buf[0] = '\0';
			return -ENOENT;
		}
	}
	append_name(buf, len, t, type);
	return 0;
}
