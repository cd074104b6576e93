// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: the configuration loader, over libinih.
 *
 * inih reads lines of at most INI_MAX_LINE (200) bytes and would cut longer
 * ones (a proposal list) silently. We feed it through our own reader: a long
 * line is handed over in pieces, the later ones as indented continuation
 * lines, and the loader joins a key's continuation values (inih calls the
 * handler once per piece) before the owning section sees the key. The
 * reader also counts physical lines, so every message names the line.
 */
#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "config.h"
#include "log.h"
#include "secretfile.h"

#define CONFIG_MAX_SECTIONS	32
#define CONFIG_PIECE		160	/* < INI_MAX_LINE, with room */

struct config_ctx {
	const char	*file;
	int		line;
	const char	*section;	/* name as registered */
	const char	*arg;		/* [name ARG], or "" */
	const char	*key;
	char		err[512];
	bool		has_err;
};

struct config_loader {
	struct config_section	sections[CONFIG_MAX_SECTIONS];
	unsigned int		nsections;
};

/* The state of one load. */
struct load {
	struct config_loader	*l;
	const char		*file;
	/* reader */
	const char		*text;		/* what is left to read */
	int			phys_line;
	const char		*piece_rest;	/* rest of a long line */
	const char		*piece_end;
	const char		*next_text;	/* after that line */
	bool			next_is_cont;	/* next line we return */
	bool			cur_is_cont;	/* the line inih holds */
	int			cur_line;
	/* pending key (continuations are joined to it) */
	char			*p_section, *p_key, *p_value;
	int			p_line;
	int			errors;
	/* sections seen, to reject a [section ARG] of a plain section */
	char			*bad_section;
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
	if (l->nsections == CONFIG_MAX_SECTIONS)
		abort();	/* a build-time limit */
	l->sections[l->nsections++] = *s;
}

void config_error(struct config_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (ctx->has_err)
		return;		/* the first explanation is the useful one */
	va_start(ap, fmt);
	vsnprintf(ctx->err, sizeof(ctx->err), fmt, ap);
	va_end(ap);
	ctx->has_err = true;
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

/* ---- reader ------------------------------------------------------------ */

/*
 * Copy at most @room bytes of @src (length @len) into @dst; break long
 * text at a blank so that inih's trimming and our join with one space give
 * the value back.
 */
static size_t piece_len(const char *src, size_t len, size_t room)
{
	size_t cut;

	if (len <= room)
		return len;
	for (cut = room; cut > room / 2; cut--)
		if (src[cut] == ' ' || src[cut] == '\t')
			return cut;
	return room;	/* no blank: cut anywhere (the join adds a space) */
}

/*
 * The length of the line @src without an inline comment (a ';' after a
 * blank, as inih has it); comment lines are kept whole (inih drops them).
 */
static size_t strip_comment(const char *src, size_t len)
{
	size_t i = 0;

	while (i < len && (src[i] == ' ' || src[i] == '\t'))
		i++;
	if (i == len || src[i] == ';' || src[i] == '#')
		return len < CONFIG_PIECE ? len : CONFIG_PIECE;
	for (; i < len; i++)
		if (src[i] == ';' && (src[i - 1] == ' ' || src[i - 1] == '\t'))
			return i;
	return len;
}

static char *reader(char *str, int num, void *stream)
{
	struct load *ld = stream;
	const char *src, *eol;
	size_t len, n, room = (size_t)num - 3;	/* indent, newline, NUL */
	size_t off = 0;

	if (room > CONFIG_PIECE)
		room = CONFIG_PIECE;
	if (ld->piece_rest) {
		src = ld->piece_rest;
		eol = NULL;
		len = (size_t)(ld->piece_end - src);
		while (len && (*src == ' ' || *src == '\t')) {
			src++;
			len--;
		}
		str[off++] = ' ';	/* a continuation line for inih */
		ld->cur_is_cont = true;
		ld->cur_line = ld->phys_line;
	} else {
		if (!ld->text || !*ld->text)
			return NULL;
		src = ld->text;
		eol = strchr(src, '\n');
		len = eol ? (size_t)(eol - src) : strlen(src);
		ld->phys_line++;
		ld->cur_line = ld->phys_line;
		/* An indented line continues the previous key in inih. */
		ld->cur_is_cont = len && (*src == ' ' || *src == '\t');
		len = strip_comment(src, len);
	}
	if (len && src[len - 1] == '\r')
		len--;
	n = piece_len(src, len, room);
	memcpy(str + off, src, n);
	off += n;
	str[off++] = '\n';
	str[off] = '\0';
	if (n < len) {
		/* The rest is read from @piece_rest up to @piece_end. */
		ld->piece_rest = src + n;
		ld->piece_end = src + len;
		if (!ld->next_text)
			ld->next_text = eol ? eol + 1 : "";
	} else {
		ld->piece_rest = NULL;
		if (ld->next_text) {
			ld->text = ld->next_text;
			ld->next_text = NULL;
		} else {
			ld->text = eol ? eol + 1 : "";
		}
	}
	return str;
}

/* ---- handler ----------------------------------------------------------- */

static const struct config_section *find_section(struct config_loader *l,
						 const char *name)
{
	unsigned int i;

	for (i = 0; i < l->nsections; i++)
		if (!strcmp(l->sections[i].name, name))
			return &l->sections[i];
	return NULL;
}

static void report(struct load *ld, int line, const char *section,
		   const char *key, const char *msg)
{
	ld->errors++;
	if (line && key)
		log_msg(LOG_LVL_ERR, LOG_CONFIG, "%s:%d: [%s] %s: %s", ld->file,
			line, section, key, msg);
	else if (line)
		log_msg(LOG_LVL_ERR, LOG_CONFIG, "%s:%d: [%s]: %s", ld->file,
			line, section, msg);
	else
		log_msg(LOG_LVL_ERR, LOG_CONFIG, "%s: [%s]: %s", ld->file,
			section, msg);
}

/* Split "peer NAME" into a registered section and its argument. */
static const struct config_section *resolve(struct load *ld,
					    const char *full, char *name,
					    size_t len, const char **arg)
{
	const struct config_section *s;
	const char *sp;

	sp = strpbrk(full, " \t");
	if (sp) {
		size_t n = (size_t)(sp - full);

		if (n >= len)
			n = len - 1;
		memcpy(name, full, n);
		name[n] = '\0';
		while (*sp == ' ' || *sp == '\t')
			sp++;
		*arg = sp;
	} else {
		snprintf(name, len, "%s", full);
		*arg = "";
	}
	s = find_section(ld->l, name);
	return s;
}

/*
 * Names people bring from the stack l2tpsecd replaces (pppd options,
 * xl2tpd.conf, ipsec.conf): when a section does not know the key, the
 * error says what it is called here instead of only "unknown key".
 */
static const struct {
	const char	*name;		/* as inih hands it over */
	const char	*here;
} foreign_keys[] = {
	{ "ms-dns", "pppd's ms-dns is dns = A.B.C.D [A.B.C.D] in [ppp]" },
	{ "ms-wins", "pppd's ms-wins is nbns = A.B.C.D [A.B.C.D] in [ppp]" },
	{ "require-mschap-v2", "pppd's require-mschap-v2 is auth = mschapv2 in [ppp]" },
	{ "require-chap", "pppd's require-chap is auth = chap in [ppp]" },
	{ "require-pap", "pppd's require-pap is auth = pap in [ppp]" },
	{ "refuse-pap", "pppd's refuse-pap: list only what you accept, e.g. auth = mschapv2 chap in [ppp] (PAP is refused unless listed)" },
	{ "refuse-chap", "pppd's refuse-chap: list only what you accept, e.g. auth = mschapv2 in [ppp]" },
	{ "refuse-mschap", "pppd's refuse-mschap: list only what you accept in auth = ... in [ppp] (MS-CHAPv1 is never offered)" },
	{ "mtu", "pppd's mtu: set mru = N in [ppp]; the device's MTU follows the real ESP overhead" },
	{ "ip range", "xl2tpd's ip range is range = A.B.C.D-A.B.C.D in [pool]" },
	{ "local ip", "xl2tpd's local ip is local = A.B.C.D in [pool]" },
	{ "require chap", "xl2tpd's require chap is auth = chap (or mschapv2) in [ppp]" },
	{ "refuse pap", "xl2tpd's refuse pap: PAP is refused unless auth = ... in [ppp] lists it" },
	{ "require authentication", "xl2tpd's require authentication: a server always authenticates; auth = ... in [ppp] says how" },
	{ "pppoptfile", "xl2tpd's pppoptfile: the PPP options are the [ppp] section of this file" },
	{ "ike", "ipsec.conf's ike= is proposals = ... in [ike] or [peer NAME]" },
	{ "phase2alg", "ipsec.conf's phase2alg= is esp = ... in [ike] or [peer NAME]" },
	{ "ikelifetime", "ipsec.conf's ikelifetime= is lifetime = DURATION in [ike] or [peer NAME]" },
	{ "keylife", "ipsec.conf's keylife= is ipsec-lifetime = DURATION in [ike] or [peer NAME]" },
	{ "salifetime", "ipsec.conf's salifetime= is ipsec-lifetime = DURATION in [ike] or [peer NAME]" },
	{ "dpddelay", "ipsec.conf's dpddelay= is dpd-delay = DURATION in [ike]" },
	{ "dpdtimeout", "ipsec.conf's dpdtimeout= is dpd-timeout = DURATION in [ike]" },
	{ "leftcert", "ipsec.conf's leftcert= is cert = FILE in [ike]" },
	{ "rightca", "ipsec.conf's rightca= is ca = FILE in [ike]" },
	{ "authby", "ipsec.conf's authby= is auth = psk|cert in [peer NAME]" },
	{ "require-mschap", "pppd's require-mschap: MS-CHAPv1 is not offered; auth = mschapv2 in [ppp]" },
	{ "require-eap", "pppd's require-eap: EAP is not offered; auth = mschapv2 in [ppp]" },
	{ "refuse-eap", "pppd's refuse-eap: EAP is never offered; nothing to set" },
	{ "refuse-mschap-v2", "pppd's refuse-mschap-v2: list only what you accept in auth = ... in [ppp]" },
	{ "require-mppe", "pppd's require-mppe: MPPE is not offered (ESP encrypts the tunnel); remove it" },
	{ "require-mppe-128", "pppd's require-mppe-128: MPPE is not offered (ESP encrypts the tunnel); remove it" },
	{ "noauth", "pppd's noauth is auth = none in [ppp]" },
	{ "lcp-max-configure", "pppd's lcp-max-configure is max-configure = N in [ppp]" },
	{ "lcp-restart", "pppd's lcp-restart is restart-interval = DURATION in [ppp]" },
	{ "debug", "pppd's and xl2tpd's debug is debug = yes in [daemon]" },
	{ "logfile", "pppd's logfile: l2tpsecd logs to the journal or syslog ([daemon] syslog)" },
	{ "noccp", "pppd's noccp: CCP is always refused; nothing to set" },
	{ "novj", "pppd's novj: VJ compression is never negotiated; nothing to set" },
	{ "nodefaultroute", "pppd's nodefaultroute: a server adds no default route; a client's routes are routes = ... in [lac NAME]" },
	{ "defaultroute", "pppd's defaultroute is routes = default in [lac NAME]" },
	{ "proxyarp", "pppd's proxyarp: the addresses route through the l2tpsec device; nothing to set" },
	{ "ipcp-accept-local", "pppd's ipcp-accept-local: the server's address is local = A.B.C.D in [pool]" },
	{ "ipcp-accept-remote", "pppd's ipcp-accept-remote: the clients' addresses come from range = ... in [pool] or chap-secrets" },
	{ "asyncmap", "pppd's asyncmap: not used over L2TP; remove it" },
	{ "crtscts", "pppd's crtscts: not used over L2TP; remove it" },
	{ "lock", "pppd's lock: not used over L2TP; remove it" },
	{ "hide-password", "pppd's hide-password: passwords are never logged; remove it" },
	{ "connect-delay", "pppd's connect-delay: not used; remove it" },
	{ "auth file", "xl2tpd's auth file is chap-secrets = FILE in [ppp]" },
	{ "hidden bit", "xl2tpd's hidden bit is hide-avps = yes in [l2tp]" },
	{ "length bit", "xl2tpd's length bit: control messages always carry it; remove it" },
	{ "ppp debug", "xl2tpd's ppp debug is debug = yes in [daemon]" },
	{ "name", "xl2tpd's name is hostname = NAME in [l2tp] (the CHAP name is name = in [ppp])" },
	{ "lns", "xl2tpd's lns is the [lac NAME] section named after its [peer NAME]" },
	{ "redial", "xl2tpd's redial: a [lac] always reconnects (reconnect-min, reconnect-max)" },
	{ "redial timeout", "xl2tpd's redial timeout is reconnect-min = DURATION in [lac NAME]" },
	{ "max redials", "xl2tpd's max redials: a [lac] reconnects until stopped (reconnect-max caps the wait)" },
	{ "listen-addr", "xl2tpd's listen-addr is listen = A.B.C.D in [ike] (L2TP is only inside IPsec)" },
	{ "ipsec saref", "xl2tpd's ipsec saref: sessions are bound to their SAs here; remove it" },
	{ "assign ip", "xl2tpd's assign ip: addresses come from [pool] or chap-secrets" },
	{ "access control", "xl2tpd's access control: who may connect is the PSK or certificate ([ike], [peer NAME])" },
	{ "left", "ipsec.conf's left= is listen = A.B.C.D in [ike]" },
	{ "right", "ipsec.conf's right= is remote = A.B.C.D[/N] or any in [peer NAME]" },
	{ "leftid", "ipsec.conf's leftid= is local-id = ID in [ike] or [peer NAME]" },
	{ "rightid", "ipsec.conf's rightid= is id = ID in [peer NAME]" },
	{ "leftprotoport", "ipsec.conf's leftprotoport=17/1701: L2TP's port is implied; remove it" },
	{ "rightprotoport", "ipsec.conf's rightprotoport=17/%any: any-l2tp-port = yes in [ike] (the default)" },
	{ "pfs", "ipsec.conf's pfs=: a modpN group at the end of esp = ... in [ike] or [peer NAME] asks for PFS" },
	{ "type", "ipsec.conf's type=transport: L2TP/IPsec is always transport mode; remove it" },
	{ "keyingtries", "ipsec.conf's keyingtries= is retransmit-tries = N in [ike]" },
	{ "rekey", "ipsec.conf's rekey=: rekeying follows rekey-margin = DURATION in [ike]" },
	{ "forceencaps", "ipsec.conf's forceencaps: NAT-T is used when a NAT is found (nat-t in [ike])" },
};

/* Edit distance of @a and @b (adjacent swaps count one), capped at 9. */
static unsigned int distance(const char *a, const char *b)
{
	unsigned int d[33][33], i, j, la = strlen(a), lb = strlen(b);

	if (la > 32 || lb > 32)
		return 9;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			unsigned int c = a[i - 1] != b[j - 1];
			unsigned int v = d[i - 1][j - 1] + c;

			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb] > 9 ? 9 : d[la][lb];
}

/* "Hello_Interval" -> "hello-interval": how keys are spelled here. */
static void normalize_key(const char *k, char *out, size_t size)
{
	size_t i;

	for (i = 0; k[i] && i + 1 < size; i++)
		out[i] = k[i] == '_' ? '-' :
			 (char)tolower((unsigned char)k[i]);
	out[i] = '\0';
}

/*
 * "unknown key..." from a section: a key of another program gets what it
 * is called here; a near miss of the section's own keys "did you mean";
 * a key of another section where it goes.
 */
static void hint_unknown_key(const struct load *ld,
			     const struct config_section *s,
			     struct config_ctx *ctx)
{
	const char *best = NULL;
	unsigned int i, j, bd = 9, lim;
	char norm[64];

	if (strncmp(ctx->err, "unknown key", strlen("unknown key")))
		return;
	for (i = 0; i < sizeof(foreign_keys) / sizeof(foreign_keys[0]); i++)
		if (!strcasecmp(ctx->key, foreign_keys[i].name)) {
			snprintf(ctx->err, sizeof(ctx->err),
				 "unknown key: %s", foreign_keys[i].here);
			return;
		}
	normalize_key(ctx->key, norm, sizeof(norm));
	for (i = 0; s->keys && s->keys[i]; i++) {
		unsigned int d = distance(norm, s->keys[i]);

		if (d < bd) {
			bd = d;
			best = s->keys[i];
		}
	}
	if (best && !bd) {
		bool upper = false;

		for (i = 0; ctx->key[i]; i++)
			upper |= isupper((unsigned char)ctx->key[i]) != 0;
		snprintf(ctx->err, sizeof(ctx->err),
			 "unknown key; did you mean %s?%s", best,
			 upper ? " (keys are lower case)" : "");
		return;
	}
	/* exactly a key of another section: say which */
	for (i = 0; i < ld->l->nsections; i++) {
		const struct config_section *o = &ld->l->sections[i];

		if (o == s || !o->keys)
			continue;
		for (j = 0; o->keys[j]; j++)
			if (!strcmp(norm, o->keys[j])) {
				snprintf(ctx->err, sizeof(ctx->err),
					 "unknown key here; %s is a key of [%s%s]",
					 o->keys[j], o->name,
					 o->repeatable ? " NAME" : "");
				return;
			}
	}
	/* one typo in a short key, two in a longer one */
	lim = strlen(norm) <= 5 ? 1 : 2;
	if (best && bd <= lim)
		snprintf(ctx->err, sizeof(ctx->err),
			 "unknown key; did you mean %s?", best);
}

/*
 * Only ';' after a blank starts a comment after a value (and '#' or ';'
 * at the start of a line): "psk-file = /etc/psk # ours" names a file
 * called "/etc/psk # ours". Warn, without repeating the value (it may
 * be a secret).
 */
static void warn_hash_in_value(const struct load *ld, const char *section,
			       const char *key, const char *value)
{
	const char *h = value;

	while ((h = strchr(h, '#')) && (h == value ||
					 (h[-1] != ' ' && h[-1] != '\t')))
		h++;
	if (!h)
		return;
	log_msg(LOG_LVL_WARN, LOG_CONFIG,
		"%s:%d: [%s] %s: the value goes on past ' #': '#' starts a comment only at the start of a line; put the comment on its own line or after ' ;'",
		ld->file, ld->p_line, section, key);
}

static void flush_pending(struct load *ld)
{
	const struct config_section *s;
	struct config_ctx ctx;
	char name[64];
	const char *arg;

	if (!ld->p_key)
		return;
	s = resolve(ld, ld->p_section, name, sizeof(name), &arg);
	if (!s) {
		/* Say it once per section occurrence. */
		if (!ld->bad_section || strcmp(ld->bad_section, ld->p_section)) {
			char msg[160];

			free(ld->bad_section);
			ld->bad_section = strdup(ld->p_section);
			snprintf(msg, sizeof(msg), "unknown section [%s]",
				 ld->p_section);
			ld->errors++;
			log_msg(LOG_LVL_ERR, LOG_CONFIG, "%s:%d: %s", ld->file,
				ld->p_line, msg);
		}
	} else if (!s->repeatable && *arg) {
		char msg[160];

		snprintf(msg, sizeof(msg),
			 "section [%s] takes no name (found [%s])", s->name,
			 ld->p_section);
		report(ld, ld->p_line, ld->p_section, ld->p_key, msg);
	} else if (s->repeatable && !*arg) {
		char msg[160];

		snprintf(msg, sizeof(msg), "section needs a name: [%s NAME]",
			 s->name);
		report(ld, ld->p_line, ld->p_section, ld->p_key, msg);
	} else {
		memset(&ctx, 0, sizeof(ctx));
		ctx.file = ld->file;
		ctx.line = ld->p_line;
		ctx.section = s->name;
		ctx.arg = arg;
		ctx.key = ld->p_key;
		warn_hash_in_value(ld, ld->p_section, ld->p_key, ld->p_value);
		if (s->key(s->owner, &ctx, s->name, ld->p_key, ld->p_value) ||
		    ctx.has_err) {
			if (ctx.has_err)
				hint_unknown_key(ld, s, &ctx);
			report(ld, ld->p_line, ld->p_section, ld->p_key,
			       ctx.has_err ? ctx.err : "invalid value");
		}
	}
	free(ld->p_section);
	free(ld->p_key);
	free(ld->p_value);
	ld->p_section = ld->p_key = ld->p_value = NULL;
}

static int handler(void *user, const char *section, const char *name,
		   const char *value)
{
	struct load *ld = user;

	if (ld->cur_is_cont && ld->p_key && !strcmp(ld->p_section, section) &&
	    !strcmp(ld->p_key, name)) {
		size_t a = strlen(ld->p_value), b = strlen(value);
		char *v = realloc(ld->p_value, a + b + 2);

		if (!v)
			return 0;
		if (a && b)
			v[a++] = ' ';
		memcpy(v + a, value, b + 1);
		ld->p_value = v;
		return 1;
	}
	flush_pending(ld);
	ld->p_section = strdup(section);
	ld->p_key = strdup(name);
	ld->p_value = strdup(value);
	ld->p_line = ld->cur_line;
	if (!ld->p_section || !ld->p_key || !ld->p_value)
		return 0;
	return 1;
}

static int load_text(struct config_loader *l, const char *name,
		     const char *text)
{
	struct load ld = { .l = l, .file = name, .text = text };
	struct config_ctx ctx;
	unsigned int i;
	int ret;

	ret = ini_parse_stream(reader, &ld, handler, &ld);
	flush_pending(&ld);
	free(ld.bad_section);
	if (ret > 0) {
		/* inih counts the lines it was given: the same ones. */
		log_msg(LOG_LVL_ERR, LOG_CONFIG,
			"%s:%d: syntax error: expected [section], key = value or a comment",
			name, ld.phys_line >= ret ? ret : ld.phys_line);
		ld.errors++;
	} else if (ret < 0) {
		log_msg(LOG_LVL_ERR, LOG_CONFIG, "%s: out of memory", name);
		return -ENOMEM;
	}
	for (i = 0; i < l->nsections; i++) {
		const struct config_section *s = &l->sections[i];

		if (!s->done)
			continue;
		memset(&ctx, 0, sizeof(ctx));
		ctx.file = name;
		ctx.section = s->name;
		ctx.arg = "";
		if (s->done(s->owner, &ctx) || ctx.has_err)
			report(&ld, 0, s->name, NULL,
			       ctx.has_err ? ctx.err : "incomplete");
	}
	return ld.errors ? -EINVAL : 0;
}

int config_load_string(struct config_loader *l, const char *name,
		       const char *text)
{
	return load_text(l, name, text);
}

int config_load(struct config_loader *l, const char *path)
{
	FILE *f;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	int ret;

	f = fopen(path, "re");
	if (!f) {
		ret = -errno;
		log_msg(LOG_LVL_ERR, LOG_CONFIG, "%s: %s", path,
			strerror(errno));
		return ret;
	}
	for (;;) {
		if (cap - len < 4096) {
			char *nb;

			cap = cap ? cap * 2 : 8192;
			if (cap > (1u << 24)) {
				log_msg(LOG_LVL_ERR, LOG_CONFIG,
					"%s: larger than 16 MiB", path);
				free(buf);
				fclose(f);
				return -EFBIG;
			}
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return -ENOMEM;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		log_msg(LOG_LVL_ERR, LOG_CONFIG, "%s: read error", path);
		free(buf);
		fclose(f);
		return -EIO;
	}
	fclose(f);
	buf[len] = '\0';
	if (memchr(buf, '\0', len)) {
		log_msg(LOG_LVL_ERR, LOG_CONFIG, "%s: contains a NUL byte",
			path);
		free(buf);
		return -EINVAL;
	}
	ret = load_text(l, path, buf);
	free(buf);
	return ret;
}

/* ---- value parsers ----------------------------------------------------- */

int config_parse_bool(struct config_ctx *ctx, const char *v, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	unsigned int i;

	for (i = 0; i < 4; i++) {
		if (!strcasecmp(v, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(v, no[i])) {
			*out = false;
			return 0;
		}
	}
	config_error(ctx, "\"%s\" is not a boolean (yes or no)", v);
	return -EINVAL;
}

int config_parse_u32(struct config_ctx *ctx, const char *v, uint32_t min,
		     uint32_t max, uint32_t *out)
{
	unsigned long long n;
	char *end;

	errno = 0;
	if (!*v || *v == '-' || *v == '+') {
		config_error(ctx, "\"%s\" is not a number", v);
		return -EINVAL;
	}
	n = strtoull(v, &end, 0);
	if (errno || *end) {
		config_error(ctx, "\"%s\" is not a number", v);
		return -EINVAL;
	}
	if (n < min || n > max) {
		config_error(ctx, "%s is out of range %u..%u", v, min, max);
		return -ERANGE;
	}
	*out = (uint32_t)n;
	return 0;
}

int config_parse_duration(struct config_ctx *ctx, const char *v,
			  uint32_t *seconds)
{
	unsigned long long n, mult = 1;
	char *end;

	errno = 0;
	if (!*v || *v < '0' || *v > '9') {
		config_error(ctx, "\"%s\" is not a duration (30, 30s, 5m, 8h, 1d)",
			     v);
		return -EINVAL;
	}
	n = strtoull(v, &end, 10);
	if (errno)
		goto bad;
	if (*end) {
		if (end[1])
			goto bad;
		switch (*end) {
		case 's': mult = 1; break;
		case 'm': mult = 60; break;
		case 'h': mult = 3600; break;
		case 'd': mult = 86400; break;
		default: goto bad;
		}
	}
	if (n > UINT32_MAX / mult) {
		config_error(ctx, "%s is too long (at most %u seconds)", v,
			     UINT32_MAX);
		return -ERANGE;
	}
	*seconds = (uint32_t)(n * mult);
	return 0;
bad:
	config_error(ctx, "\"%s\" is not a duration (30, 30s, 5m, 8h, 1d)", v);
	return -EINVAL;
}

int config_parse_ipv4(struct config_ctx *ctx, const char *v, uint32_t *be)
{
	struct in_addr a;

	if (inet_pton(AF_INET, v, &a) != 1) {
		config_error(ctx, "\"%s\" is not an IPv4 address", v);
		return -EINVAL;
	}
	*be = a.s_addr;
	return 0;
}

int config_check_secret_file(const char *path, char *err, unsigned int len)
{
	/* the checks of l2_open_secret(), made on the opened file */
	int fd = l2_open_secret(path, err, len);

	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}
