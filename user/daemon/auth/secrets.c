// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: the chap-secrets file (pppd compatible).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "auth.h"
#include "config.h"
#include "secretfile.h"
#include "escape.h"
#include "log.h"

/* pppd's MAXWORDLEN: longer words are cut (with a warning) there too */
#define MAX_WORD	1024
/* What PPP can carry (ppp/ppp.h PPP_MAX_NAME, PPP_MAX_SECRET). */
#define MAX_NAME	64
#define MAX_SECRET	128

struct secret_entry {
	char			*client, *server, *secret;
	enum secret_addr	addr;
	struct in_addr		pinned;		/* SECRET_ADDR_FIXED */
	unsigned int		line;
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

/*
 * The reader: pppd's getword() (pppd/options.c) over a string. Blanks
 * separate words; '#' at the start of a word starts a comment to the end
 * of the line, and an unquoted '#' inside a word ends the word (so the
 * rest of the line is a comment too); "..." and '...' quote, also in the
 * middle of a word, newlines included; a backslash escapes anything:
 * \a \b \f \n \r \t, \s (blank), \ooo octal (1-3 digits), \xhh hex (0-2
 * digits), any other character stands for itself; backslash-newline is
 * nothing. Our own additions: a NUL byte ends the word as it does for
 * pppd's C strings, and the reader tells the parser when '#' cut a word.
 */
struct reader {
	const char	*p;
	unsigned int	line;		/* of the next character */
};

struct word {
	char		buf[MAX_WORD + 1];
	size_t		len;		/* what pppd would have read */
	unsigned int	line;		/* where it starts */
	bool		newline;	/* a line ended before it */
	bool		hash_cut;	/* an unquoted '#' ended it */
	bool		open_quote;	/* ran to the end of the text */
};

static int rd_get(struct reader *r)
{
	int c;

	if (!*r->p)
		return -1;
	c = (unsigned char)*r->p++;
	if (c == '\n')
		r->line++;
	return c;
}

static void rd_unget(struct reader *r, int c)
{
	if (c < 0)
		return;
	r->p--;
	if (c == '\n')
		r->line--;
}

static void w_put(struct word *w, int c)
{
	if (w->len < MAX_WORD)
		w->buf[w->len] = (char)c;
	w->len++;
}

static int hexval(int c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* 1: a word in @w, 0: end of the text. */
static int getword(struct reader *r, struct word *w)
{
	bool escape = false, comment = false;
	int c, quoted = 0;

	memset(w, 0, sizeof(*w));
	for (;;) {
		c = rd_get(r);
		if (c < 0)
			break;
		if (c == '\n') {
			if (!escape) {
				w->newline = true;
				comment = false;
			} else {
				escape = false;
			}
			continue;
		}
		if (comment)
			continue;
		if (escape)
			break;
		if (c == '\\') {
			escape = true;
			continue;
		}
		if (c == '#') {
			comment = true;
			continue;
		}
		if (!isspace(c))
			break;
	}
	w->line = r->line - (c == '\n');
	while (c >= 0) {
		if (escape) {
			int v = c, n;
			bool got = false;

			escape = false;
			if (c == '\n') {
				c = rd_get(r);
				continue;
			}
			switch (c) {
			case 'a': v = '\a'; break;
			case 'b': v = '\b'; break;
			case 'f': v = '\f'; break;
			case 'n': v = '\n'; break;
			case 'r': v = '\r'; break;
			case 's': v = ' '; break;
			case 't': v = '\t'; break;
			default:
				if (c >= '0' && c <= '7') {
					v = 0;
					for (n = 0; n < 3 && c >= '0' && c <= '7'; n++) {
						v = (v << 3) + (c - '0');
						c = rd_get(r);
					}
					got = true;
				} else if (c == 'x') {
					v = 0;
					c = rd_get(r);
					for (n = 0; n < 2 && c >= 0 && isxdigit(c); n++) {
						v = (v << 4) + hexval(c);
						c = rd_get(r);
					}
					got = true;
				}
			}
			w_put(w, v & 0xff);
			if (!got)
				c = rd_get(r);
			continue;
		}
		if (c == '\\') {
			escape = true;
			c = rd_get(r);
			continue;
		}
		if (quoted) {
			if (c == quoted) {
				quoted = 0;
				c = rd_get(r);
				continue;
			}
		} else if (c == '"' || c == '\'') {
			quoted = c;
			c = rd_get(r);
			continue;
		} else if (isspace(c) || c == '#') {
			w->hash_cut = c == '#';
			rd_unget(r, c);
			break;
		}
		w_put(w, c);
		c = rd_get(r);
	}
	if (c < 0 && !w->len)
		return 0;
	w->open_quote = c < 0 && quoted;
	w->buf[w->len < MAX_WORD ? w->len : MAX_WORD] = '\0';
	return 1;
}

static void warn(const char *file, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void warn(const char *file, unsigned int line, const char *fmt, ...)
{
	char text[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	log_msg(LOG_LVL_WARN, LOG_CONFIG, "%s:%u: %s", file, line, text);
}

static const char *esc(char *buf, size_t size, const char *s)
{
	return l2_escape_str(buf, size, s);
}

static int add_entry(struct secrets *s, const struct secret_entry *e)
{
	struct secret_entry *v = realloc(s->v, (s->n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	s->v = v;
	v = &s->v[s->n];
	*v = *e;
	v->client = strdup(e->client);
	v->server = strdup(e->server);
	v->secret = strdup(e->secret);
	s->n++;
	if (!v->client || !v->server || !v->secret)
		return -ENOMEM;
	return 0;
}

/* Warnings about a new entry against those before it. */
static void check_entry(const struct secrets *s, const char *file,
			const struct secret_entry *e)
{
	char ue[L2_ESC_SIZE(MAX_NAME)], oe[L2_ESC_SIZE(MAX_NAME)];
	unsigned int i;

	for (i = 0; i < s->n; i++) {
		const struct secret_entry *o = &s->v[i];

		if (!strcmp(o->client, e->client) &&
		    !strcmp(o->server, e->server))
			warn(file, e->line,
			     "user %s (server %s) again (first on line %u); the first line wins",
			     esc(ue, sizeof(ue), e->client),
			     esc(oe, sizeof(oe), e->server), o->line);
		else if (e->addr == SECRET_ADDR_FIXED &&
			 o->addr == SECRET_ADDR_FIXED &&
			 o->pinned.s_addr == e->pinned.s_addr &&
			 strcmp(o->client, e->client))
			warn(file, e->line,
			     "user %s: address %s is pinned to user %s (line %u) too; only one of them can be connected at a time",
			     esc(ue, sizeof(ue), e->client),
			     inet_ntoa(e->pinned),
			     esc(oe, sizeof(oe), o->client), o->line);
	}
}

/* The address words of a line (pppd's list; what we can honour of it). */
static void parse_addrs(const char *file, struct secret_entry *e,
			char words[][MAX_WORD + 1], unsigned int n)
{
	char ue[L2_ESC_SIZE(MAX_NAME)], ae[L2_ESC_SIZE(40)];
	struct in_addr a;

	e->addr = SECRET_ADDR_NONE;	/* none listed: none allowed */
	if (!n)
		return;
	if (!strcmp(words[0], "-"))
		return;
	if (!strcmp(words[0], "*")) {
		e->addr = SECRET_ADDR_POOL;
	} else if (inet_pton(AF_INET, words[0], &a) == 1 && a.s_addr &&
		   a.s_addr != INADDR_BROADCAST) {
		e->addr = SECRET_ADDR_FIXED;
		e->pinned = a;
	} else {
		warn(file, e->line,
		     "user %s: address '%s' is not supported (an IPv4 address, * for the pool or - for none): the user gets no address",
		     esc(ue, sizeof(ue), e->client),
		     esc(ae, sizeof(ae), words[0]));
		return;
	}
	if (n > 1)
		warn(file, e->line,
		     "user %s: only the first address (%s) is used; the others are ignored",
		     esc(ue, sizeof(ue), e->client),
		     esc(ae, sizeof(ae), words[0]));
}

#define MAX_ADDRS	4

int secrets_parse(const char *name, const char *text, struct secrets **out,
		  char *err, size_t err_len)
{
	struct secrets *s = calloc(1, sizeof(*s));
	struct reader r = { .p = text, .line = 1 };
	struct word *w = malloc(sizeof(*w));
	char (*f)[MAX_WORD + 1] = malloc(3 * sizeof(*f));
	char (*addrs)[MAX_WORD + 1] = malloc(MAX_ADDRS * sizeof(*addrs));
	char ue[L2_ESC_SIZE(MAX_NAME)];
	bool have = false, eof = false;
	int ret = 0;

	if (!s || !w || !f || !addrs) {
		ret = -ENOMEM;
		snprintf(err, err_len, "%s: out of memory", name);
		goto out;
	}
	have = getword(&r, w);
	while (have && !eof) {
		struct secret_entry e = { 0 };
		unsigned int nf = 0, na = 0, nwords = 0;
		size_t flen[3] = { 0 };
		bool hash = false;

		e.line = w->line;
		/* client, server, secret, then addresses up to the next line */
		do {
			if (w->open_quote) {
				snprintf(err, err_len,
					 "%s:%u: a quote opened here is not closed before the end of the file",
					 name, w->line);
				ret = -EINVAL;
				goto out;
			}
			if (nf < 3) {
				memcpy(f[nf], w->buf, sizeof(f[nf]));
				flen[nf++] = w->len;
			} else if (na < MAX_ADDRS) {
				memcpy(addrs[na++], w->buf, sizeof(addrs[0]));
			}
			nwords++;
			hash |= w->hash_cut;
			have = getword(&r, w);
		} while (have && !w->newline);
		eof = !have;
		(void)nwords;
		esc(ue, sizeof(ue), f[0]);
		if (hash)
			warn(name, e.line,
			     "'#' inside a word starts a comment (as in pppd): the rest of the line is ignored; quote the word (\"a#b\") or escape it (a\\#b) to keep it");
		if (flen[0] > MAX_NAME) {
			warn(name, e.line,
			     "a client name of %zu bytes, longer than %u: line ignored",
			     flen[0], MAX_NAME);
			continue;
		}
		if (nf < 3) {
			warn(name, e.line,
			     "user %s: no %s: line ignored (expected 'client server secret [address]')",
			     ue, nf < 2 ? "server name" : "secret");
			continue;
		}
		if (flen[1] > MAX_WORD) {
			warn(name, e.line, "user %s: server name too long: line ignored",
			     ue);
			continue;
		}
		if (flen[2] > MAX_SECRET) {
			warn(name, e.line,
			     "user %s: the secret is %zu bytes, longer than the %u PPP carries: line ignored",
			     ue, flen[2], MAX_SECRET);
			OPENSSL_cleanse(f[2], sizeof(f[2]));
			continue;
		}
		if (f[2][0] == '@' && f[2][1] == '/') {
			warn(name, e.line,
			     "user %s: a secret '@/FILE' (read from a file in pppd) is not supported: line ignored",
			     ue);
			continue;
		}
		if (strlen(f[0]) != flen[0] || strlen(f[2]) != flen[2])
			warn(name, e.line,
			     "user %s: a \\0 byte (\\000 or \\x) ends the word there, as in pppd",
			     ue);
		if (!strcmp(f[0], "*"))
			warn(name, e.line,
			     "client * gives every user name this secret (as in pppd)");
		e.client = f[0];
		e.server = f[1];
		e.secret = f[2];
		parse_addrs(name, &e, addrs, na);
		check_entry(s, name, &e);
		ret = add_entry(s, &e);
		OPENSSL_cleanse(f[2], sizeof(f[2]));
		if (ret) {
			snprintf(err, err_len, "%s: out of memory", name);
			goto out;
		}
	}
out:
	if (f) {
		OPENSSL_cleanse(f, 3 * sizeof(*f));
		free(f);
	}
	if (w) {
		OPENSSL_cleanse(w, sizeof(*w));
		free(w);
	}
	free(addrs);
	if (ret) {
		secrets_free(s);
		return ret;
	}
	*out = s;
	return 0;
}

/* A chap-secrets file larger than this is refused (pppd has no limit). */
#define MAX_FILE	(4u << 20)

int secrets_load(const char *path, struct secrets **out, char *err,
		 size_t err_len)
{
	char *text = NULL;
	size_t len = 0;
	struct stat st;
	ssize_t n;
	int fd, ret;

	/* checked on the descriptor, not through a symbolic link */
	fd = l2_open_secret(path, err, err_len);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0) {
		ret = -errno;
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		goto out;
	}
	if ((uint64_t)st.st_size > MAX_FILE) {
		snprintf(err, err_len, "%s: %llu bytes; at most %u are read",
			 path, (unsigned long long)st.st_size, MAX_FILE);
		ret = -EFBIG;
		goto out;
	}
	/* one buffer, wiped after: no copies of the secrets left behind */
	text = malloc((size_t)st.st_size + 1);
	if (!text) {
		ret = -ENOMEM;
		snprintf(err, err_len, "%s: out of memory", path);
		goto out;
	}
	while (len < (size_t)st.st_size &&
	       (n = read(fd, text + len, (size_t)st.st_size - len)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			snprintf(err, err_len, "%s: %s", path, strerror(errno));
			goto out;
		}
		len += (size_t)n;
	}
	text[len] = '\0';
	ret = secrets_parse(path, text, out, err, err_len);
out:
	if (text) {
		OPENSSL_cleanse(text, len);
		free(text);
	}
	close(fd);
	return ret;
}

int secrets_lookup(const struct secrets *s, const char *user,
		   const char *server, char *secret, size_t size,
		   struct secret_user *u)
{
	const struct secret_entry *best = NULL;
	int best_flag = -1;
	unsigned int i;

	/*
	 * As pppd's scan_authfile(): a named client beats "*", then a named
	 * server beats "*"; among equals the first line wins.
	 */
	for (i = 0; i < s->n; i++) {
		const struct secret_entry *e = &s->v[i];
		bool wild_c = !strcmp(e->client, "*");
		bool wild_s = !strcmp(e->server, "*");
		int flag;

		if (!wild_c && strcmp(e->client, user))
			continue;
		if (!wild_s && (!server || strcmp(e->server, server)))
			continue;
		flag = (wild_c ? 0 : 2) | (wild_s ? 0 : 1);
		if (flag > best_flag) {
			best = e;
			best_flag = flag;
		}
	}
	if (!best)
		return -ENOENT;
	if (strlen(best->secret) >= size)
		return -ENOSPC;
	snprintf(secret, size, "%s", best->secret);
	if (u) {
		memset(u, 0, sizeof(*u));
		snprintf(u->name, sizeof(u->name), "%s",
			 strcmp(best->client, "*") ? best->client : user);
		u->addr = best->addr;
		u->pinned = best->pinned;
	}
	return 0;
}

void secrets_check_addrs(const struct secrets *s, const char *file,
			 struct in_addr local, const struct pool *p)
{
	char ue[L2_ESC_SIZE(MAX_NAME)];
	unsigned int i;

	for (i = 0; i < s->n; i++) {
		const struct secret_entry *e = &s->v[i];

		if (e->addr != SECRET_ADDR_FIXED)
			continue;
		esc(ue, sizeof(ue), e->client);
		if (local.s_addr && e->pinned.s_addr == local.s_addr)
			warn(file, e->line,
			     "user %s: pinned address %s is the server's own ([pool] local): the session cannot come up",
			     ue, inet_ntoa(e->pinned));
		else if (p && pool_size(p) &&
			 !pool_contains(p, ntohl(e->pinned.s_addr)))
			warn(file, e->line,
			     "user %s: pinned address %s is outside every [pool] range; check that it is routed to this server",
			     ue, inet_ntoa(e->pinned));
	}
}

void secrets_for_each_pinned(const struct secrets *s,
			     void (*fn)(void *arg, struct in_addr a),
			     void *arg)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].addr == SECRET_ADDR_FIXED)
			fn(arg, s->v[i].pinned);
}
