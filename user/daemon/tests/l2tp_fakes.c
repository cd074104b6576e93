// SPDX-License-Identifier: GPL-2.0
/*
 * Test fakes of the daemon core for the L2TP, PPP and auth unit tests.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "escape.h"
#include "l2tp_fakes.h"

/* ------------------------------------------------------------------ */
/* loop */

struct loop_timer {
	struct loop_timer	*next;
	struct loop		*loop;
	loop_timer_cb		cb;
	void			*arg;
	bool			armed;
	uint64_t		due;
	uint64_t		seq;
};

struct loop {
	uint64_t		now;
	uint64_t		seq;
	struct loop_timer	*timers;
};

struct loop *loop_new(void)
{
	struct loop *l = calloc(1, sizeof(*l));

	if (l)
		l->now = 1000000;
	return l;
}

void loop_free(struct loop *loop)
{
	while (loop && loop->timers) {
		struct loop_timer *t = loop->timers;

		loop->timers = t->next;
		free(t);
	}
	free(loop);
}

int loop_add_fd(struct loop *loop, int fd, uint32_t events, loop_fd_cb cb,
		void *arg)
{
	(void)loop; (void)fd; (void)events; (void)cb; (void)arg;
	return 0;
}

int loop_mod_fd(struct loop *loop, int fd, uint32_t events)
{
	(void)loop; (void)fd; (void)events;
	return 0;
}

void loop_del_fd(struct loop *loop, int fd)
{
	(void)loop; (void)fd;
}

uint64_t loop_now_ms(const struct loop *loop)
{
	return loop->now;
}

struct loop_timer *loop_timer_new(struct loop *loop, loop_timer_cb cb,
				  void *arg)
{
	struct loop_timer *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->loop = loop;
	t->cb = cb;
	t->arg = arg;
	t->next = loop->timers;
	loop->timers = t;
	return t;
}

void loop_timer_free(struct loop_timer *t)
{
	struct loop_timer **pp;

	if (!t)
		return;
	for (pp = &t->loop->timers; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	free(t);
}

void loop_timer_arm(struct loop_timer *t, uint64_t delay_ms)
{
	t->armed = true;
	t->due = t->loop->now + delay_ms;
	t->seq = ++t->loop->seq;
}

void loop_timer_disarm(struct loop_timer *t)
{
	if (t)
		t->armed = false;
}

bool loop_timer_armed(const struct loop_timer *t)
{
	return t->armed;
}

int loop_run(struct loop *loop)
{
	(void)loop;
	return 0;
}

void loop_stop(struct loop *loop)
{
	(void)loop;
}

/* The earliest due timer at or before @limit (ties: armed first). */
static struct loop_timer *next_due(struct loop *loop, uint64_t limit)
{
	struct loop_timer *t, *best = NULL;

	for (t = loop->timers; t; t = t->next) {
		if (!t->armed || t->due > limit)
			continue;
		if (!best || t->due < best->due ||
		    (t->due == best->due && t->seq < best->seq))
			best = t;
	}
	return best;
}

void fake_loop_advance(struct loop *loop, uint64_t ms)
{
	uint64_t end = loop->now + ms;
	struct loop_timer *t;

	while ((t = next_due(loop, end))) {
		if (t->due > loop->now)
			loop->now = t->due;
		t->armed = false;
		t->cb(t->arg);
	}
	loop->now = end;
}

void fake_loop_run_due(struct loop *loop)
{
	fake_loop_advance(loop, 0);
}

unsigned int fake_loop_armed_timers(const struct loop *loop)
{
	const struct loop_timer *t;
	unsigned int n = 0;

	for (t = loop->timers; t; t = t->next)
		n += t->armed;
	return n;
}

/* ------------------------------------------------------------------ */
/* log */

static char *log_buf;
static size_t log_len;
static log_sink_fn sink_fn;
static void *sink_arg;
static enum log_level log_max = LOG_LVL_DEBUG;

static const char *const layers[] = {
	"core", "ike", "ipsec", "l2tp", "ppp", "auth", "kernel", "config",
};

void log_init(const char *ident, enum log_level max, int use_syslog)
{
	(void)ident; (void)use_syslog;
	log_max = max;
}

void log_set_level(enum log_level max)
{
	log_max = max;
}

void log_set_sink(log_sink_fn fn, void *arg)
{
	sink_fn = fn;
	sink_arg = arg;
}

static void vlog(enum log_level lvl, enum log_layer layer, const char *fmt,
		 va_list ap)
{
	char raw[1024], line[4096];
	int n;
	size_t l, i, o = 0;

	if (lvl > log_max)
		return;
	n = snprintf(raw, sizeof(raw), "%s ", layers[layer]);
	vsnprintf(raw + n, sizeof(raw) - (size_t)n, fmt, ap);
	/* as log.c: non-printable bytes of the line become \xHH */
	for (i = 0; raw[i]; i++) {
		unsigned char c = (unsigned char)raw[i];

		if (c == '\\' || l2_esc_plain(c))
			line[o++] = (char)c;
		else
			o += (size_t)snprintf(line + o, sizeof(line) - o,
					      "\\x%02x", c);
	}
	line[o] = '\0';
	l = strlen(line);
	log_buf = realloc(log_buf, log_len + l + 2);
	memcpy(log_buf + log_len, line, l);
	log_len += l;
	log_buf[log_len++] = '\n';
	log_buf[log_len] = '\0';
	if (getenv("L2TPSEC_TEST_VERBOSE"))
		fprintf(stderr, "LOG %s\n", line);
	if (sink_fn)
		sink_fn(sink_arg, lvl, line);
}

void log_msg(enum log_level lvl, enum log_layer layer, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(lvl, layer, fmt, ap);
	va_end(ap);
}

void log_peer(enum log_level lvl, enum log_layer layer,
	      const struct sockaddr_in *peer, const char *fmt, ...)
{
	char f[512];
	va_list ap;

	snprintf(f, sizeof(f), "%s: %s",
		 peer ? inet_ntoa(peer->sin_addr) : "-", fmt);
	va_start(ap, fmt);
	vlog(lvl, layer, f, ap);
	va_end(ap);
}

__attribute__((destructor)) static void fake_log_free(void)
{
	free(log_buf);
	log_buf = NULL;
}

void fake_log_reset(void)
{
	free(log_buf);
	log_buf = NULL;
	log_len = 0;
}

bool fake_log_contains(const char *needle)
{
	return log_buf && strstr(log_buf, needle);
}

const char *fake_log_text(void)
{
	return log_buf ? log_buf : "";
}

/* ------------------------------------------------------------------ */
/* config */

struct config_ctx {
	const char	*file;
	int		line;
	const char	*arg;
};

static struct config_ctx the_ctx;
static char last_error[512];

struct config_ctx *fake_config_ctx(const char *file, int line,
				   const char *section_arg)
{
	the_ctx.file = file;
	the_ctx.line = line;
	the_ctx.arg = section_arg;
	last_error[0] = '\0';
	return &the_ctx;
}

const char *fake_config_last_error(void)
{
	return last_error;
}

void config_error(struct config_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	(void)ctx;
	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
}

const char *config_file(const struct config_ctx *ctx)
{
	return ctx->file;
}

int config_line(const struct config_ctx *ctx)
{
	return ctx->line;
}

const char *config_section_arg(const struct config_ctx *ctx)
{
	return ctx->arg;
}

int config_parse_bool(struct config_ctx *ctx, const char *v, bool *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1") ||
	    !strcmp(v, "on")) {
		*out = true;
		return 0;
	}
	if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0") ||
	    !strcmp(v, "off")) {
		*out = false;
		return 0;
	}
	config_error(ctx, "expected yes or no, got '%s'", v);
	return -EINVAL;
}

int config_parse_u32(struct config_ctx *ctx, const char *v, uint32_t min,
		     uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || end == v || *end || n < min || n > max) {
		config_error(ctx, "expected a number from %u to %u, got '%s'",
			     min, max, v);
		return -EINVAL;
	}
	*out = (uint32_t)n;
	return 0;
}

int config_parse_duration(struct config_ctx *ctx, const char *v,
			  uint32_t *seconds)
{
	char *end;
	unsigned long n, mul = 1;

	n = strtoul(v, &end, 10);
	if (end == v)
		goto bad;
	if (*end == 's')
		end++;
	else if (*end == 'm')
		mul = 60, end++;
	else if (*end == 'h')
		mul = 3600, end++;
	else if (*end == 'd')
		mul = 86400, end++;
	if (*end)
		goto bad;
	*seconds = (uint32_t)(n * mul);
	return 0;
bad:
	config_error(ctx, "expected a duration like 30s, 8h or 1d, got '%s'", v);
	return -EINVAL;
}

int config_parse_ipv4(struct config_ctx *ctx, const char *v, uint32_t *be)
{
	struct in_addr a;

	if (inet_pton(AF_INET, v, &a) != 1) {
		config_error(ctx, "expected an IPv4 address, got '%s'", v);
		return -EINVAL;
	}
	*be = a.s_addr;
	return 0;
}

int config_check_secret_file(const char *path, char *err, unsigned int len)
{
	struct stat st;

	if (stat(path, &st)) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return -errno;
	}
	if (st.st_mode & 077) {
		snprintf(err, len,
			 "%s: mode %04o lets others read the secrets; chmod 600 %s",
			 path, st.st_mode & 07777, path);
		return -EPERM;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* a small loader: enough INI for the section tests */

#define FAKE_MAX_SECTIONS 16

struct config_loader {
	struct config_section	s[FAKE_MAX_SECTIONS];
	unsigned int		n;
};

struct config_loader *config_loader_new(void)
{
	return calloc(1, sizeof(struct config_loader));
}

void config_loader_free(struct config_loader *l)
{
	free(l);
}

void config_register(struct config_loader *l, const struct config_section *s)
{
	if (l->n < FAKE_MAX_SECTIONS)
		l->s[l->n++] = *s;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

int config_load_string(struct config_loader *l, const char *name,
		       const char *text)
{
	char *copy = strdup(text), *line, *save = NULL;
	char section[64] = "", arg[64] = "";
	struct config_ctx ctx;
	int lineno = 0, errors = 0;
	unsigned int i;

	last_error[0] = '\0';
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *p = trim(line), *eq;
		const struct config_section *sec = NULL;

		lineno++;
		if (!*p || *p == '#' || *p == ';')
			continue;
		if (*p == '[') {
			char *end = strchr(p, ']'), *sp;

			*end = '\0';
			p = trim(p + 1);
			arg[0] = '\0';
			if ((sp = strchr(p, ' '))) {
				*sp = '\0';
				snprintf(arg, sizeof(arg), "%s", trim(sp + 1));
			}
			snprintf(section, sizeof(section), "%s", p);
			continue;
		}
		eq = strchr(p, '=');
		if (!eq)
			continue;
		*eq = '\0';
		for (i = 0; i < l->n; i++)
			if (!strcmp(l->s[i].name, section))
				sec = &l->s[i];
		if (!sec)
			continue;
		ctx.file = name;
		ctx.line = lineno;
		ctx.arg = arg;
		if (sec->key(sec->owner, &ctx, section, trim(p), trim(eq + 1))) {
			char e[512];

			snprintf(e, sizeof(e), "%s:%d: [%s] %s: %s", name, lineno,
				 section, trim(p), last_error);
			snprintf(last_error, sizeof(last_error), "%s", e);
			errors++;
			break;
		}
	}
	for (i = 0; !errors && i < l->n; i++) {
		ctx.file = name;
		ctx.line = 0;
		ctx.arg = "";
		if (l->s[i].done && l->s[i].done(l->s[i].owner, &ctx)) {
			char e[512];

			snprintf(e, sizeof(e), "%s: [%s]: %s", name, l->s[i].name,
				 last_error);
			snprintf(last_error, sizeof(last_error), "%s", e);
			errors++;
		}
	}
	free(copy);
	return errors ? -EINVAL : 0;
}
