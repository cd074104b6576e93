// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd's control socket line protocol (see ctlproto.h).
 */
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
