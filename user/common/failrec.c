// SPDX-License-Identifier: GPL-2.0
/*
 * The failure classes and the per-peer failure record (failrec.h).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "devent.h"
#include "failrec.h"

static const struct {
	const char *name, *fix;
} classes[L2_FC_MAX] = {
	[L2_FC_OTHER] = { "other",
		"see the daemon's log line for this peer" },
	[L2_FC_NOTHING_ARRIVES] = { "nothing-arrives",
		"let UDP 500 and 4500 (and ESP) through every firewall on the way; l2tpsec diagnose checks this host's" },
	[L2_FC_P1_PROPOSAL] = { "phase1-proposal",
		"make the client's phase 1 algorithms match ike-proposals in [ike] (l2tpsecd.conf(5))" },
	[L2_FC_PSK] = { "psk-mismatch",
		"check the PSK configured for this peer on both ends" },
	[L2_FC_CERT] = { "certificate",
		"check the certificate chain, its validity dates against both clocks, and the identity it names" },
	[L2_FC_P2_PROPOSAL] = { "phase2-proposal",
		"make the client's ESP algorithms and PFS match esp-proposals in [ike]" },
	[L2_FC_SELECTOR] = { "selector-or-id",
		"the client must ask for UDP port 1701 in transport mode and send the ID configured for it" },
	[L2_FC_NO_L2TP] = { "ipsec-without-l2tp",
		"the client's L2TP part (xl2tpd, the OS's L2TP service) did not start or sends elsewhere: check it and that it uses this server's address" },
	[L2_FC_PPP_AUTH] = { "ppp-auth",
		"check the user's name and password in chap-secrets" },
	[L2_FC_NO_AUTH_PROTO] = { "no-auth-protocol",
		"allow a common authentication protocol (auth in [ppp], e.g. mschapv2) on both ends" },
	[L2_FC_NO_FORWARDING] = { "no-forwarding",
		"turn on net.ipv4.ip_forward and add NAT (masquerade) or a route back for the pool's subnet" },
	[L2_FC_MTU] = { "mtu",
		"lower mtu in [ppp] (1280 passes almost every path) or clamp TCP MSS" },
	[L2_FC_NAT_TIMEOUT] = { "nat-mapping-timeout",
		"a NAT on the way forgot the mapping: set the NAT-T keepalive of the side behind it (keepalive in [ike] here) or lcp-echo-interval in [ppp] below the NAT's UDP timeout" },
	[L2_FC_REKEY] = { "rekey",
		"check that the peer's UDP 500/4500 still reaches this host after connect and both ends' lifetimes" },
	[L2_FC_DEAD_PEER] = { "dead-peer",
		"the peer or the path went away: check the client's network" },
	[L2_FC_NAT_NO_NATT] = { "nat-without-nat-t",
		"enable NAT traversal (UDP encapsulation) on the client" },
};

const char *l2_fail_class_name(enum l2_fail_class c)
{
	return (unsigned int)c < L2_FC_MAX ? classes[c].name : "?";
}

const char *l2_fail_class_fix(enum l2_fail_class c)
{
	return (unsigned int)c < L2_FC_MAX ? classes[c].fix : "";
}

void l2_fail_init(struct l2_failures *fs)
{
	memset(fs, 0, sizeof(*fs));
}

/* Words a log line's fix starts with. */
static bool is_fix(const char *s)
{
	static const char *const verbs[] = {
		"check", "set", "configure", "fetch", "use", "remove", "give",
		"add", "turn", "enable", "disable", "lower", "raise", "open",
		"allow", "make", "let", "install", "renew", "fix", "start",
		"stop", "see", "is ", "are ",
	};
	size_t i;

	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (!strncasecmp(s, verbs[i], strlen(verbs[i])))
			return true;
	return false;
}

static void copy(char *dst, size_t len, const char *src, size_t n)
{
	if (!len)
		return;
	if (n >= len)
		n = len - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

void l2_fail_split(const char *text, enum l2_fail_class c, char *cause,
		   size_t cause_len, char *fix, size_t fix_len)
{
	const char *p, *semi = NULL;

	for (p = strstr(text, "; "); p; p = strstr(p + 2, "; "))
		semi = p;
	if (semi && is_fix(semi + 2)) {
		copy(cause, cause_len, text, (size_t)(semi - text));
		copy(fix, fix_len, semi + 2, strlen(semi + 2));
		return;
	}
	copy(cause, cause_len, text, strlen(text));
	copy(fix, fix_len, l2_fail_class_fix(c), strlen(l2_fail_class_fix(c)));
}

static struct l2_fail_peer *peer_slot(struct l2_failures *fs,
				      struct in_addr a)
{
	struct l2_fail_peer *p, *old = NULL;
	unsigned int i;

	for (i = 0; i < fs->npeers; i++) {
		p = &fs->peers[i];
		if (p->addr.s_addr == a.s_addr)
			return p;
		if (!old || p->last < old->last)
			old = p;
	}
	p = fs->npeers < L2_FAIL_PEERS ? &fs->peers[fs->npeers++] : old;
	memset(p, 0, sizeof(*p));
	p->addr = a;
	return p;
}

void l2_fail_add(struct l2_failures *fs, const struct sockaddr_in *peer,
		 const char *user, enum l2_fail_class c, const char *layer,
		 const char *text, time_t now)
{
	struct in_addr a = { 0 };
	struct l2_fail_peer *p;
	struct l2_fail *f, n;

	if ((unsigned int)c >= L2_FC_MAX)
		c = L2_FC_OTHER;
	fs->total[c]++;
	if (peer)
		a = peer->sin_addr;
	memset(&n, 0, sizeof(n));
	n.when = n.first = now;
	if (peer)
		n.peer = *peer;
	n.peer.sin_family = AF_INET;
	n.cls = c;
	n.count = 1;
	copy(n.layer, sizeof(n.layer), layer ? layer : "", strlen(layer ? layer : ""));
	copy(n.user, sizeof(n.user), user ? user : "", strlen(user ? user : ""));
	l2_fail_split(text ? text : "", c, n.cause, sizeof(n.cause), n.fix,
		      sizeof(n.fix));

	p = peer_slot(fs, a);
	p->last = now;
	f = p->n ? &p->ring[p->head] : NULL;
	/* A client retrying the same thing: counted, not a new entry. */
	if (f && f->cls == c && !strcmp(f->cause, n.cause) &&
	    !strcmp(f->user, n.user)) {
		f->count++;
		f->when = now;
		f->peer = n.peer;
		return;
	}
	if (p->n)
		p->head = (p->head + 1) % L2_FAIL_PER_PEER;
	if (p->n < L2_FAIL_PER_PEER)
		p->n++;
	p->ring[p->head] = n;
}

size_t l2_fail_each(const struct l2_failures *fs, struct in_addr addr,
		    const char *user,
		    void (*fn)(void *arg, const struct l2_fail *f), void *arg)
{
	const struct l2_fail_peer *order[L2_FAIL_PEERS];
	unsigned int i, j, n = 0;
	size_t count = 0;

	/* peers newest first: a few dozen, insertion sort */
	for (i = 0; i < fs->npeers; i++) {
		const struct l2_fail_peer *p = &fs->peers[i];

		if (addr.s_addr && p->addr.s_addr != addr.s_addr)
			continue;
		for (j = n; j > 0 && order[j - 1]->last < p->last; j--)
			order[j] = order[j - 1];
		order[j] = p;
		n++;
	}
	for (i = 0; i < n; i++) {
		const struct l2_fail_peer *p = order[i];

		for (j = 0; j < p->n; j++) {
			const struct l2_fail *f =
				&p->ring[(p->head + L2_FAIL_PER_PEER - j) %
					 L2_FAIL_PER_PEER];

			if (user && strcmp(f->user, user))
				continue;
			fn(arg, f);
			count++;
		}
	}
	return count;
}

static struct l2_failures *default_fs;

void l2_fail_set_default(struct l2_failures *fs)
{
	default_fs = fs;
}

struct l2_failures *l2_fail_default(void)
{
	return default_fs;
}

void l2_fail_note(const struct sockaddr_in *peer, const char *user,
		  enum l2_fail_class c, const char *layer, const char *fmt, ...)
{
	char text[L2_FAIL_CAUSE + L2_FAIL_FIX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (default_fs)
		l2_fail_add(default_fs, peer, user, c, layer, text, time(NULL));
	/* ... and the same as an event for l2tpsec monitor */
	l2_devent_emit(&(struct l2_devent){
		.kind = l2_devent_of_failure(c, layer), .peer = peer,
		.user = user, .cls = (int)c, .layer = layer, .detail = text,
	});
}
