// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: the chap-secrets file (pppd compatible).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "auth.h"
#include "config.h"

#define MAX_FIELD	256

struct secret_entry {
	char		*client, *server, *secret;
	struct in_addr	pinned;		/* 0: from the pool */
};

struct secrets {
	struct secret_entry	*v;
	unsigned int		n;
};

void secrets_free(struct secrets *s)
{
	unsigned int i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		free(s->v[i].client);
		free(s->v[i].server);
		if (s->v[i].secret) {
			OPENSSL_cleanse(s->v[i].secret, strlen(s->v[i].secret));
			free(s->v[i].secret);
		}
	}
	free(s->v);
	free(s);
}

unsigned int secrets_count(const struct secrets *s)
{
	return s->n;
}

/* Next field of @p into @out; returns the rest, NULL at end of line. */
static const char *field(const char *p, char *out, size_t size, bool *bad)
{
	size_t n = 0;

	while (*p == ' ' || *p == '\t' || *p == '\r')
		p++;
	if (!*p || *p == '\n' || *p == '#')
		return NULL;
	while (*p && *p != '\n') {
		if (*p == '"') {
			p++;
			while (*p && *p != '"' && *p != '\n') {
				if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
					p++;
				if (n + 1 < size)
					out[n++] = *p;
				p++;
			}
			if (*p != '"') {
				*bad = true;	/* unterminated quote */
				return NULL;
			}
			p++;
			continue;
		}
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '#')
			break;
		if (n + 1 < size)
			out[n++] = *p;
		p++;
	}
	out[n] = '\0';
	return p;
}

static int add_entry(struct secrets *s, const char *client, const char *server,
		     const char *secret, struct in_addr pinned)
{
	struct secret_entry *v = realloc(s->v, (s->n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	s->v = v;
	v = &s->v[s->n];
	v->client = strdup(client);
	v->server = strdup(server);
	v->secret = strdup(secret);
	v->pinned = pinned;
	s->n++;
	if (!v->client || !v->server || !v->secret)
		return -ENOMEM;
	return 0;
}

int secrets_parse(const char *name, const char *text, struct secrets **out,
		  char *err, size_t err_len)
{
	struct secrets *s = calloc(1, sizeof(*s));
	const char *line = text;
	int lineno = 0, ret = 0;

	if (!s)
		return -ENOMEM;
	while (line && *line) {
		char f[4][MAX_FIELD];
		const char *p = line, *next = strchr(line, '\n');
		struct in_addr pinned = { 0 };
		bool bad = false;
		int nf = 0;

		lineno++;
		while (nf < 4 && (p = field(p, f[nf], sizeof(f[nf]), &bad)))
			nf++;
		if (bad) {
			snprintf(err, err_len, "%s:%d: unterminated \"quote\"",
				 name, lineno);
			ret = -EINVAL;
			break;
		}
		if (nf > 0 && nf < 3) {
			snprintf(err, err_len,
				 "%s:%d: expected 'client server secret [address]', got %d field%s",
				 name, lineno, nf, nf == 1 ? "" : "s");
			ret = -EINVAL;
			break;
		}
		if (nf == 4 && strcmp(f[3], "*") && strcmp(f[3], "-") &&
		    inet_pton(AF_INET, f[3], &pinned) != 1) {
			snprintf(err, err_len,
				 "%s:%d: expected an IPv4 address or * for user '%s', got '%s'",
				 name, lineno, f[0], f[3]);
			ret = -EINVAL;
			break;
		}
		if (nf >= 3) {
			ret = add_entry(s, f[0], f[1], f[2], pinned);
			OPENSSL_cleanse(f[2], sizeof(f[2]));
			if (ret) {
				snprintf(err, err_len, "%s: out of memory", name);
				break;
			}
		}
		line = next ? next + 1 : NULL;
	}
	if (ret) {
		secrets_free(s);
		return ret;
	}
	*out = s;
	return 0;
}

int secrets_load(const char *path, struct secrets **out, char *err,
		 size_t err_len)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int ret;

	ret = config_check_secret_file(path, err, (unsigned int)err_len);
	if (ret)
		return ret;
	f = fopen(path, "re");
	if (!f) {
		ret = -errno;
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return ret;
	}
	{
		FILE *m = open_memstream(&text, &len);
		char buf[4096];
		size_t n;

		if (!m) {
			fclose(f);
			return -ENOMEM;
		}
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			fwrite(buf, 1, n, m);
		fclose(m);
		OPENSSL_cleanse(buf, sizeof(buf));
	}
	fclose(f);
	ret = secrets_parse(path, text ? text : "", out, err, err_len);
	if (text) {
		OPENSSL_cleanse(text, len);
		free(text);
	}
	return ret;
}

int secrets_lookup(const struct secrets *s, const char *user,
		   const char *server, char *secret, size_t size,
		   struct in_addr *pinned)
{
	const struct secret_entry *best = NULL;
	unsigned int i;

	/* An exact server name wins over "*"; the first line of each wins. */
	for (i = 0; i < s->n; i++) {
		const struct secret_entry *e = &s->v[i];

		if (strcmp(e->client, user))
			continue;
		if (server && !strcmp(e->server, server)) {
			best = e;
			break;
		}
		if (!best && !strcmp(e->server, "*"))
			best = e;
	}
	if (!best)
		return -ENOENT;
	if (strlen(best->secret) >= size)
		return -ENOSPC;
	snprintf(secret, size, "%s", best->secret);
	if (pinned)
		*pinned = best->pinned;
	return 0;
}

void secrets_for_each_pinned(const struct secrets *s,
			     void (*fn)(void *arg, struct in_addr a),
			     void *arg)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].pinned.s_addr)
			fn(arg, s->v[i].pinned);
}
