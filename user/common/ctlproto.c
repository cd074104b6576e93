// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd's control socket line protocol (see ctlproto.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctlproto.h"

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

static bool plain_byte(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '%' && c != '=';
}

static void put_raw(struct l2_ctl_line *l, const char *s, size_t n)
{
	/* one byte stays free for the '\n' */
	if (l->overflow || l->len + n + 1 > sizeof(l->buf)) {
		l->overflow = true;
		return;
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

static void put_name(struct l2_ctl_line *l, const char *name)
{
	const char *p;

	if (!*name) {
		l->overflow = true;
		return;
	}
	for (p = name; *p; p++) {
		if (!name_char(*p)) {
			l->overflow = true;	/* a bug of the caller */
			return;
		}
	}
	put_raw(l, name, strlen(name));
}

void l2_ctl_begin(struct l2_ctl_line *l, const char *type)
{
	l->len = 0;
	l->overflow = false;
	put_name(l, type);
}

void l2_ctl_put(struct l2_ctl_line *l, const char *key, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	char esc[3];

	put_raw(l, " ", 1);
	put_name(l, key);
	put_raw(l, "=", 1);
	for (p = (const unsigned char *)(value ? value : ""); *p; p++) {
		if (plain_byte(*p)) {
			put_raw(l, (const char *)p, 1);
			continue;
		}
		esc[0] = '%';
		esc[1] = hex[*p >> 4];
		esc[2] = hex[*p & 15];
		put_raw(l, esc, 3);
	}
}

void l2_ctl_put_u64(struct l2_ctl_line *l, const char *key, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	l2_ctl_put(l, key, buf);
}

int l2_ctl_end(struct l2_ctl_line *l)
{
	if (l->overflow)
		return -EMSGSIZE;
	l->buf[l->len++] = '\n';
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Unescape the value in place; -EBADMSG on a bad %XX or %00. */
static int unescape(char *s)
{
	char *in = s, *out = s;
	int hi, lo;

	while (*in) {
		if (*in == '=')
			return -EBADMSG;
		if (*in != '%') {
			*out++ = *in++;
			continue;
		}
		hi = hexval(in[1]);
		lo = hi < 0 ? -1 : hexval(in[2]);
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
			return -EBADMSG;
		*out++ = (char)(hi << 4 | lo);
		in += 3;
	}
	*out = '\0';
	return 0;
}

int l2_ctl_parse(const char *line, size_t len, struct l2_ctl_record *r)
{
	char *p, *word, *eq;
	size_t i;

	memset(r, 0, sizeof(*r));
	if (len && line[len - 1] == '\n')
		len--;
	if (len && line[len - 1] == '\r')
		len--;
	if (len >= sizeof(r->buf))
		return -E2BIG;
	for (i = 0; i < len; i++)
		if (!line[i] || line[i] == '\n')
			return -EBADMSG;
	memcpy(r->buf, line, len);
	r->buf[len] = '\0';

	p = r->buf;
	word = p;
	while (*p && *p != ' ')
		p++;
	if (*p) {
		*p++ = '\0';
		if (!*p)
			return -EBADMSG;	/* trailing blank */
	}
	if (!*word)
		return -EBADMSG;
	for (eq = word; *eq; eq++)
		if (!name_char(*eq))
			return -EBADMSG;
	r->type = word;
	while (*p) {
		if (*p == ' ') {	/* one blank between fields, no more */
			return -EBADMSG;
		}
		word = p;
		while (*p && *p != ' ')
			p++;
		if (*p) {
			*p++ = '\0';
			if (!*p)
				return -EBADMSG;	/* trailing blank */
		}
		eq = strchr(word, '=');
		if (!eq || eq == word)
			return -EBADMSG;
		*eq = '\0';
		for (i = 0; word[i]; i++)
			if (!name_char(word[i]))
				return -EBADMSG;
		if (unescape(eq + 1))
			return -EBADMSG;
		if (r->n >= L2_CTL_MAX_FIELDS)
			return -E2BIG;
		r->f[r->n].key = word;
		r->f[r->n++].value = eq + 1;
	}
	return 0;
}

const char *l2_ctl_get(const struct l2_ctl_record *r, const char *key)
{
	unsigned int i;

	for (i = 0; i < r->n; i++)
		if (!strcmp(r->f[i].key, key))
			return r->f[i].value;
	return NULL;
}

int l2_ctl_get_u64(const struct l2_ctl_record *r, const char *key,
		   uint64_t *v)
{
	const char *s = l2_ctl_get(r, key);
	char *end;

	if (!s)
		return -ENOENT;
	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (errno || *end)
		return -EINVAL;
	return 0;
}

/* ---- kick and unblock ---------------------------------------------------------- */

static int get_id16(const struct l2_ctl_record *r, const char *key,
		    uint16_t *v)
{
	uint64_t u;

	if (l2_ctl_get_u64(r, key, &u) || !u || u > 0xffff)
		return -EINVAL;
	*v = (uint16_t)u;
	return 0;
}

static int user_ok(const char *user)
{
	return *user && strlen(user) <= L2_CTL_MAX_USER;
}

int l2_ctl_kick_parse(const struct l2_ctl_record *r, struct l2_ctl_kick *k,
		      char *err, size_t err_len)
{
	const char *user = l2_ctl_get(r, "user");
	const char *addr = l2_ctl_get(r, "address");
	const char *block = l2_ctl_get(r, "block");
	unsigned int nsel = r->n - (block ? 1 : 0);
	uint64_t u;

	memset(k, 0, sizeof(*k));
	if (block) {
		if (l2_ctl_get_u64(r, "block", &u) || !u ||
		    u > L2_CTL_MAX_BLOCK_S) {
			snprintf(err, err_len,
				 "block: expected a number of seconds from 1 to %u, got \"%s\"",
				 L2_CTL_MAX_BLOCK_S, block);
			return -EINVAL;
		}
		k->block_s = (uint32_t)u;
	}
	if (user && !addr && nsel == 1) {
		if (!user_ok(user)) {
			snprintf(err, err_len,
				 "user: expected a user name of at most %u characters",
				 L2_CTL_MAX_USER);
			return -EINVAL;
		}
		k->by = L2_CTL_KICK_USER;
		snprintf(k->user, sizeof(k->user), "%s", user);
		return 0;
	}
	if (addr && !user && nsel == 1) {
		if (inet_pton(AF_INET, addr, &k->address) != 1) {
			snprintf(err, err_len,
				 "address: expected an IPv4 address, got \"%s\"",
				 addr);
			return -EINVAL;
		}
		k->by = L2_CTL_KICK_ADDRESS;
		return 0;
	}
	if (nsel == 3 && !l2_ctl_get_u64(r, "peer", &u) && u &&
	    u <= UINT32_MAX && !get_id16(r, "tunnel", &k->tunnel_id) &&
	    !get_id16(r, "session", &k->session_id)) {
		k->by = L2_CTL_KICK_SESSION;
		k->peer_id = (uint32_t)u;
		return 0;
	}
	snprintf(err, err_len,
		 "expected user=NAME, address=A.B.C.D or peer=ID tunnel=T session=S, and optionally block=SECONDS");
	return -EINVAL;
}

void l2_ctl_kick_put(struct l2_ctl_line *l, const struct l2_ctl_kick *k)
{
	char buf[INET_ADDRSTRLEN];

	l2_ctl_begin(l, "kick");
	switch (k->by) {
	case L2_CTL_KICK_USER:
		l2_ctl_put(l, "user", k->user);
		break;
	case L2_CTL_KICK_ADDRESS:
		l2_ctl_put(l, "address",
			   inet_ntop(AF_INET, &k->address, buf, sizeof(buf)));
		break;
	case L2_CTL_KICK_SESSION:
		l2_ctl_put_u64(l, "peer", k->peer_id);
		l2_ctl_put_u64(l, "tunnel", k->tunnel_id);
		l2_ctl_put_u64(l, "session", k->session_id);
		break;
	}
	if (k->block_s)
		l2_ctl_put_u64(l, "block", k->block_s);
}

int l2_ctl_unblock_parse(const struct l2_ctl_record *r, char *user,
			 char *err, size_t err_len)
{
	const char *u = l2_ctl_get(r, "user");

	if (!u || r->n != 1 || !user_ok(u)) {
		snprintf(err, err_len,
			 "expected user=NAME (a user name of at most %u characters)",
			 L2_CTL_MAX_USER);
		return -EINVAL;
	}
	snprintf(user, L2_CTL_MAX_USER + 1, "%s", u);
	return 0;
}
