// SPDX-License-Identifier: GPL-2.0
/*
 * diagnose: the firewall check (fwcheck.h).
 */
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fwcheck.h"

#define FW_MAX_PORTS	32
#define FW_MAX_DEPTH	16

#define P_UDP		(1u << FW_UDP)
#define P_ESP		(1u << FW_ESP)
#define P_OTHER		(1u << 7)
#define P_ANY		(P_UDP | P_ESP | P_OTHER)

/* V_MAP: a verdict map whose verdict for our packet we cannot tell */
enum verdict { V_NONE, V_ACCEPT, V_DROP, V_JUMP, V_GOTO, V_RETURN, V_MAP };

struct fw_rule {
	unsigned int	protos;		/* P_*: what it can match */
	struct { uint16_t lo, hi; } ports[FW_MAX_PORTS];
	unsigned int	nports;		/* 0: any port */
	bool		port_neg;
	bool		never;		/* cannot match a new packet from outside */
	bool		cond;		/* depends on what we do not model */
	enum verdict	verdict;
	char		target[96];	/* JUMP, GOTO: the chain's key */
	char		text[160];
};

struct fw_chain {
	char		key[160];	/* "inet filter input", "INPUT" */
	bool		base;		/* on the input hook */
	enum verdict	policy;		/* base: V_ACCEPT or V_DROP */
	struct fw_rule	*rules;
	size_t		n, cap;
};

struct fw_ruleset {
	struct fw_chain	*chains;
	size_t		n, cap;
	bool		skip_ipt;	/* parsing: leave iptables-nft's tables */
};

/* The tables iptables-nft keeps in nftables (read from iptables-save). */
static bool ipt_table(const char *fam, const char *tab)
{
	static const char *const names[] = {
		"filter", "nat", "mangle", "raw", "security",
	};
	size_t i;

	if (strcmp(fam, "ip") && strcmp(fam, "ip6"))
		return false;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(tab, names[i]))
			return true;
	return false;
}

const char *fw_result_name(enum fw_result r)
{
	switch (r) {
	case FW_NO_RULES: return "no rules";
	case FW_OPEN: return "open";
	case FW_CLOSED: return "closed";
	case FW_DEPENDS: return "depends";
	}
	return "?";
}

static void seterr(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void seterr(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!err || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
}

void fw_free(struct fw_ruleset *rs)
{
	size_t i;

	if (!rs)
		return;
	for (i = 0; i < rs->n; i++)
		free(rs->chains[i].rules);
	free(rs->chains);
	free(rs);
}

static struct fw_chain *chain_find(const struct fw_ruleset *rs,
				   const char *key)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		if (!strcmp(rs->chains[i].key, key))
			return &rs->chains[i];
	return NULL;
}

static struct fw_chain *chain_get(struct fw_ruleset *rs, const char *key)
{
	struct fw_chain *c = chain_find(rs, key), *v;

	if (c)
		return c;
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 16;

		v = realloc(rs->chains, cap * sizeof(*v));
		if (!v)
			return NULL;
		rs->chains = v;
		rs->cap = cap;
	}
	c = &rs->chains[rs->n++];
	memset(c, 0, sizeof(*c));
	snprintf(c->key, sizeof(c->key), "%s", key);
	c->policy = V_ACCEPT;
	return c;
}

static struct fw_rule *rule_add(struct fw_chain *c)
{
	struct fw_rule *v, *r;

	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;

		v = realloc(c->rules, cap * sizeof(*v));
		if (!v)
			return NULL;
		c->rules = v;
		c->cap = cap;
	}
	r = &c->rules[c->n++];
	memset(r, 0, sizeof(*r));
	r->protos = P_ANY;
	return r;
}

static void add_port(struct fw_rule *r, long lo, long hi)
{
	if (lo < 0 || hi > 65535 || lo > hi) {
		r->cond = true;
		return;
	}
	if (r->nports == FW_MAX_PORTS) {
		r->cond = true;
		return;
	}
	r->ports[r->nports].lo = (uint16_t)lo;
	r->ports[r->nports].hi = (uint16_t)hi;
	r->nports++;
}

static unsigned int proto_bit(const char *name)
{
	if (!strcasecmp(name, "udp") || !strcmp(name, "17"))
		return P_UDP;
	if (!strcasecmp(name, "esp") || !strcmp(name, "50"))
		return P_ESP;
	if (!strcasecmp(name, "all") || !strcmp(name, "0"))
		return P_ANY;
	return P_OTHER;
}

/* ---- evaluation ------------------------------------------------------------ */

enum match { M_NO, M_YES, M_MAYBE };

static enum match rule_match(const struct fw_rule *r, const struct fw_probe *p)
{
	bool in = false;
	unsigned int i;

	if (r->never)
		return M_NO;
	if (!(r->protos & (1u << p->proto)))
		return M_NO;
	if (r->nports) {
		if (p->proto != FW_UDP)
			return M_NO;	/* a port match needs a UDP/TCP header */
		for (i = 0; i < r->nports; i++)
			in |= p->dport >= r->ports[i].lo &&
			      p->dport <= r->ports[i].hi;
		if (in == r->port_neg)
			return M_NO;
	}
	return r->cond ? M_MAYBE : M_YES;
}

enum eres { E_NONE, E_OPEN, E_CLOSED, E_DEPENDS };

struct eval {
	const struct fw_ruleset	*rs;
	const struct fw_probe	*p;
	char			*why;
	size_t			why_len;
};

static void set_why(struct eval *e, const struct fw_chain *c,
		    const struct fw_rule *r, size_t idx)
{
	if (!e->why || !e->why_len)
		return;
	if (r)
		snprintf(e->why, e->why_len, "chain %s rule %zu: %s", c->key,
			 idx + 1, r->text);
	else
		snprintf(e->why, e->why_len, "chain %s: policy %s", c->key,
			 c->policy == V_DROP ? "drop" : "accept");
}

/* A decision after some "maybe" rules: depends when they disagree. */
static enum eres settle(enum eres r, bool maybe_open, bool maybe_closed)
{
	if (r == E_OPEN && maybe_closed)
		return E_DEPENDS;
	if (r == E_CLOSED && maybe_open)
		return E_DEPENDS;
	return r;
}

static enum eres eval_chain(struct eval *e, const struct fw_chain *c,
			    unsigned int depth)
{
	bool maybe_open = false, maybe_closed = false;
	size_t i;

	if (depth > FW_MAX_DEPTH)
		return E_DEPENDS;
	for (i = 0; i < c->n; i++) {
		const struct fw_rule *r = &c->rules[i];
		enum match m = rule_match(r, e->p);
		const struct fw_chain *t;
		enum eres sub;

		if (m == M_NO || r->verdict == V_NONE)
			continue;
		switch (r->verdict) {
		case V_ACCEPT:
		case V_DROP:
			if (m == M_MAYBE) {
				if (r->verdict == V_ACCEPT)
					maybe_open = true;
				else
					maybe_closed = true;
				break;
			}
			set_why(e, c, r, i);
			return settle(r->verdict == V_ACCEPT ? E_OPEN : E_CLOSED,
				      maybe_open, maybe_closed);
		case V_JUMP:
		case V_GOTO:
			t = chain_find(e->rs, r->target);
			sub = t ? eval_chain(e, t, depth + 1) : E_DEPENDS;
			if (sub == E_NONE) {
				if (r->verdict == V_GOTO && m == M_YES)
					goto end;
				break;
			}
			if (m == M_MAYBE || sub == E_DEPENDS) {
				maybe_open |= sub != E_CLOSED;
				maybe_closed |= sub != E_OPEN;
				break;
			}
			return settle(sub, maybe_open, maybe_closed);
		case V_RETURN:
			if (m == M_YES)
				goto end;
			maybe_open = maybe_closed = true;
			break;
		case V_MAP:
			maybe_open = maybe_closed = true;
			break;
		case V_NONE:
			break;
		}
	}
end:
	if (!c->base)
		return (maybe_open || maybe_closed) ? E_DEPENDS : E_NONE;
	set_why(e, c, NULL, 0);
	return settle(c->policy == V_DROP ? E_CLOSED : E_OPEN, maybe_open,
		      maybe_closed);
}

enum fw_result fw_combine(enum fw_result a, enum fw_result b)
{
	if (a == FW_CLOSED || b == FW_CLOSED)
		return FW_CLOSED;
	if (a == FW_DEPENDS || b == FW_DEPENDS)
		return FW_DEPENDS;
	if (a == FW_OPEN || b == FW_OPEN)
		return FW_OPEN;
	return FW_NO_RULES;
}

enum fw_result fw_check(const struct fw_ruleset *rs,
			const struct fw_probe *p, char *why, size_t why_len)
{
	struct eval e = { .rs = rs, .p = p };
	enum fw_result res = FW_NO_RULES;
	char one[256];
	size_t i;

	if (why && why_len)
		snprintf(why, why_len, "no input chain");
	for (i = 0; i < rs->n; i++) {
		const struct fw_chain *c = &rs->chains[i];
		enum fw_result r;

		if (!c->base)
			continue;
		e.why = one;
		e.why_len = sizeof(one);
		one[0] = '\0';
		switch (eval_chain(&e, c, 0)) {
		case E_CLOSED: r = FW_CLOSED; break;
		case E_DEPENDS: r = FW_DEPENDS; break;
		default: r = FW_OPEN; break;
		}
		/* the reason of the worst chain */
		if (fw_combine(res, r) != res || res == FW_NO_RULES) {
			if (why && why_len)
				snprintf(why, why_len, "%s", one[0] ? one :
					 c->key);
		}
		res = fw_combine(res, r);
	}
	return res;
}

/* ---- nftables: `nft -j list ruleset` ------------------------------------- */

static const char *jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Does @right (string, array, or {"set": [...]}) name @word? -1: unknown. */
static int names_word(json_t *right, const char *word)
{
	json_t *set, *v;
	size_t i;

	if (json_is_string(right))
		return !strcmp(json_string_value(right), word);
	set = json_is_object(right) ? json_object_get(right, "set") : right;
	if (!json_is_array(set))
		return -1;
	json_array_foreach(set, i, v) {
		if (!json_is_string(v))
			return -1;
		if (!strcmp(json_string_value(v), word))
			return 1;
	}
	return 0;
}

static void nft_ports(struct fw_rule *r, json_t *right)
{
	json_t *set, *v, *rg;
	size_t i;

	if (json_is_integer(right)) {
		add_port(r, (long)json_integer_value(right),
			 (long)json_integer_value(right));
		return;
	}
	if (json_is_object(right) && (rg = json_object_get(right, "range")) &&
	    json_is_array(rg) && json_array_size(rg) == 2 &&
	    json_is_integer(json_array_get(rg, 0)) &&
	    json_is_integer(json_array_get(rg, 1))) {
		add_port(r, (long)json_integer_value(json_array_get(rg, 0)),
			 (long)json_integer_value(json_array_get(rg, 1)));
		return;
	}
	set = json_is_object(right) ? json_object_get(right, "set") : NULL;
	if (!json_is_array(set)) {
		r->cond = true;		/* a named set, a map */
		return;
	}
	json_array_foreach(set, i, v) {
		if (json_is_integer(v) ||
		    (json_is_object(v) && json_object_get(v, "range")))
			nft_ports(r, v);
		else
			r->cond = true;
	}
}

static unsigned int nft_protos(struct fw_rule *r, json_t *right)
{
	json_t *set, *v;
	unsigned int m = 0;
	size_t i;

	if (json_is_string(right))
		return proto_bit(json_string_value(right));
	if (json_is_integer(right)) {
		char b[16];

		snprintf(b, sizeof(b), "%lld", (long long)json_integer_value(right));
		return proto_bit(b);
	}
	set = json_is_object(right) ? json_object_get(right, "set") : NULL;
	if (!json_is_array(set)) {
		r->cond = true;
		return P_ANY;
	}
	json_array_foreach(set, i, v)
		m |= nft_protos(r, v);
	return m;
}

static void nft_match(struct fw_rule *r, json_t *m)
{
	const char *op = jstr(m, "op");
	json_t *left = json_object_get(m, "left");
	json_t *right = json_object_get(m, "right");
	bool neg = op && !strcmp(op, "!=");
	json_t *pl, *meta, *ct;
	const char *proto, *field, *key;
	int w;

	if (op && strcmp(op, "==") && strcmp(op, "!=") && strcmp(op, "in")) {
		r->cond = true;
		return;
	}
	if ((pl = json_object_get(left, "payload"))) {
		proto = jstr(pl, "protocol");
		field = jstr(pl, "field");
		if (!proto || !field) {
			r->cond = true;
			return;
		}
		if (!strcmp(field, "dport") &&
		    (!strcmp(proto, "udp") || !strcmp(proto, "th"))) {
			if (!strcmp(proto, "udp"))
				r->protos &= P_UDP;
			else
				r->protos &= P_UDP | P_OTHER;
			nft_ports(r, right);
			r->port_neg = neg;
			return;
		}
		if (!strcmp(proto, "tcp") || !strcmp(proto, "icmp") ||
		    !strcmp(proto, "sctp") || !strcmp(proto, "icmpv6")) {
			r->protos &= P_OTHER;	/* a header we do not send */
			return;
		}
		if ((!strcmp(proto, "ip") && !strcmp(field, "protocol")) ||
		    (!strcmp(proto, "ip6") && !strcmp(field, "nexthdr"))) {
			unsigned int p = nft_protos(r, right);

			r->protos &= neg ? ~p | P_OTHER : p;
			return;
		}
		if (!strcmp(proto, "esp")) {
			r->protos &= P_ESP;
			r->cond = true;
			return;
		}
		r->cond = true;	/* addresses, source ports */
		return;
	}
	if ((meta = json_object_get(left, "meta"))) {
		key = jstr(meta, "key");
		if (key && !strcmp(key, "l4proto")) {
			unsigned int p = nft_protos(r, right);

			r->protos &= neg ? ~p | P_OTHER : p;
			return;
		}
		if (key && (!strcmp(key, "iifname") || !strcmp(key, "iif"))) {
			w = names_word(right, "lo");
			if (w == 1 && !neg)
				r->never = true;
			else if (!(w == 1 && neg))
				r->cond = true;
			return;
		}
		if (key && !strcmp(key, "nfproto")) {
			w = names_word(right, "ipv6");
			if (w == 1 && !neg && names_word(right, "ipv4") != 1)
				r->never = true;
			return;
		}
		/* "meta secpath exists": nft 1.0.6 writes the key "ipsec" */
		if (key && (!strcmp(key, "secpath") || !strcmp(key, "ipsec"))) {
			/* decrypted by the kernel's xfrm: not our packets */
			if (json_is_true(right) != neg)
				r->never = true;
			return;
		}
		r->cond = true;
		return;
	}
	if ((ct = json_object_get(left, "ct"))) {
		key = jstr(ct, "key");
		if (key && !strcmp(key, "state")) {
			w = names_word(right, "new");
			if (w < 0)
				r->cond = true;
			else if (!w != neg)
				r->never = true;	/* established, related */
			return;
		}
	}
	r->cond = true;
}

/* A ct state verdict map with an entry for new packets (or unknown). */
static bool vmap_has_new(json_t *vmap)
{
	json_t *set = json_object_get(json_object_get(vmap, "data"), "set");
	json_t *e;
	size_t i;

	if (!json_is_array(set))
		return true;
	json_array_foreach(set, i, e) {
		json_t *k = json_array_get(e, 0);

		if (!json_is_array(e) || names_word(k, "new") != 0)
			return true;
	}
	return false;
}

static void nft_rule(struct fw_ruleset *rs, json_t *o, char *err,
		     size_t err_len, int *bad)
{
	const char *fam = jstr(o, "family"), *tab = jstr(o, "table"),
		   *ch = jstr(o, "chain");
	json_t *expr = json_object_get(o, "expr"), *x, *v;
	struct fw_chain *c;
	struct fw_rule *r;
	char key[160];
	size_t i, used = 0;

	if (!fam || !tab || !ch || !json_is_array(expr)) {
		seterr(err, err_len, "a rule without family, table, chain or expr");
		*bad = 1;
		return;
	}
	if (rs->skip_ipt && ipt_table(fam, tab))
		return;
	snprintf(key, sizeof(key), "%s %s %s", fam, tab, ch);
	c = chain_get(rs, key);
	r = c ? rule_add(c) : NULL;
	if (!r) {
		*bad = -ENOMEM;
		return;
	}
	json_array_foreach(expr, i, x) {
		const char *name;

		if (!json_is_object(x) || json_object_size(x) != 1) {
			r->cond = true;
			continue;
		}
		name = json_object_iter_key(json_object_iter(x));
		v = json_object_iter_value(json_object_iter(x));
		if (used < sizeof(r->text) - 1)
			used += (size_t)snprintf(r->text + used,
						 sizeof(r->text) - used, "%s%s",
						 used ? " " : "", name);
		if (!strcmp(name, "match")) {
			nft_match(r, v);
		} else if (!strcmp(name, "accept")) {
			r->verdict = V_ACCEPT;
		} else if (!strcmp(name, "drop") || !strcmp(name, "reject")) {
			r->verdict = V_DROP;
		} else if (!strcmp(name, "return")) {
			r->verdict = V_RETURN;
		} else if (!strcmp(name, "jump") || !strcmp(name, "goto")) {
			const char *t = jstr(v, "target");

			r->verdict = !strcmp(name, "jump") ? V_JUMP : V_GOTO;
			snprintf(r->target, sizeof(r->target), "%s %s %s", fam,
				 tab, t ? t : "?");
		} else if (!strcmp(name, "vmap")) {
			json_t *k = json_object_get(v, "key"), *ct;
			const char *ck;

			ct = json_object_get(k, "ct");
			ck = ct ? jstr(ct, "key") : NULL;
			/* ct state vmap { established : accept, ... } */
			if (!(ck && !strcmp(ck, "state") && !vmap_has_new(v)))
				r->verdict = V_MAP;
		} else if (!strcmp(name, "counter") || !strcmp(name, "log") ||
			   !strcmp(name, "comment")) {
			/* no effect on the verdict */
		} else {
			r->cond = true;	/* limit, quota, set lookups, ... */
		}
	}
}

static void nft_chain(struct fw_ruleset *rs, json_t *o, int *bad)
{
	const char *fam = jstr(o, "family"), *tab = jstr(o, "table"),
		   *name = jstr(o, "name"), *hook = jstr(o, "hook"),
		   *type = jstr(o, "type"), *policy = jstr(o, "policy");
	struct fw_chain *c;
	char key[160];

	if (!fam || !tab || !name) {
		*bad = 1;
		return;
	}
	if (rs->skip_ipt && ipt_table(fam, tab))
		return;
	snprintf(key, sizeof(key), "%s %s %s", fam, tab, name);
	c = chain_get(rs, key);
	if (!c) {
		*bad = -ENOMEM;
		return;
	}
	/* IPv4 packets pass ip and inet input chains of type filter */
	if (hook && !strcmp(hook, "input") && (!type || !strcmp(type, "filter")) &&
	    (!strcmp(fam, "ip") || !strcmp(fam, "inet"))) {
		c->base = true;
		c->policy = policy && !strcmp(policy, "drop") ? V_DROP : V_ACCEPT;
	}
}

struct fw_ruleset *fw_parse_nft_json(const char *text, char *err,
				     size_t err_len)
{
	return fw_parse_nft_json_ex(text, false, err, err_len);
}

struct fw_ruleset *fw_parse_nft_json_ex(const char *text, bool skip_iptables,
					char *err, size_t err_len)
{
	struct fw_ruleset *rs;
	json_error_t je;
	json_t *root, *arr, *item, *v;
	size_t i;
	int bad = 0;

	root = json_loads(text, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		seterr(err, err_len, "not JSON (line %d: %s)", je.line, je.text);
		return NULL;
	}
	arr = json_object_get(root, "nftables");
	if (!json_is_array(arr)) {
		seterr(err, err_len, "no \"nftables\" array");
		json_decref(root);
		return NULL;
	}
	rs = calloc(1, sizeof(*rs));
	if (!rs) {
		json_decref(root);
		return NULL;
	}
	rs->skip_ipt = skip_iptables;
	/* chains first: a rule may come before its chain's hook is known */
	json_array_foreach(arr, i, item)
		if ((v = json_object_get(item, "chain")) && json_is_object(v))
			nft_chain(rs, v, &bad);
	json_array_foreach(arr, i, item)
		if (!bad && (v = json_object_get(item, "rule")) &&
		    json_is_object(v))
			nft_rule(rs, v, err, err_len, &bad);
	json_decref(root);
	if (bad) {
		if (bad < 0)
			seterr(err, err_len, "out of memory");
		else if (err && !*err)
			seterr(err, err_len, "a malformed chain or rule");
		fw_free(rs);
		return NULL;
	}
	return rs;
}

/* ---- iptables-save ---------------------------------------------------------- */

#define IPT_MAX_TOK	64

/* Split @line into words; "quoted strings" are one word. */
static int ipt_tokens(char *line, char **tok)
{
	int n = 0;
	char *p = line;

	while (*p) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		if (n == IPT_MAX_TOK)
			return -1;
		if (*p == '"') {
			tok[n++] = ++p;
			while (*p && *p != '"')
				p += p[0] == '\\' && p[1] ? 2 : 1;
			if (!*p)
				return -1;
		} else {
			tok[n++] = p;
			while (*p && !isspace((unsigned char)*p))
				p++;
		}
		if (*p)
			*p++ = '\0';
	}
	return n;
}

static void ipt_ports(struct fw_rule *r, const char *s)
{
	char buf[256], *save = NULL, *part, *end;
	long lo, hi;

	snprintf(buf, sizeof(buf), "%s", s);
	for (part = strtok_r(buf, ",", &save); part;
	     part = strtok_r(NULL, ",", &save)) {
		lo = strtol(part, &end, 10);
		hi = lo;
		if (*end == ':')
			hi = strtol(end + 1, &end, 10);
		if (*end || end == part) {
			r->cond = true;		/* a service name */
			continue;
		}
		add_port(r, lo, hi);
	}
}

static bool ipt_has_new(const char *states)
{
	char buf[128], *save = NULL, *s;

	snprintf(buf, sizeof(buf), "%s", states);
	for (s = strtok_r(buf, ",", &save); s; s = strtok_r(NULL, ",", &save))
		if (!strcasecmp(s, "NEW") || !strcasecmp(s, "UNTRACKED"))
			return true;
	return false;
}

static int ipt_rule(struct fw_ruleset *rs, char *line)
{
	char *tok[IPT_MAX_TOK], text[sizeof(((struct fw_rule *)0)->text)];
	struct fw_chain *c;
	struct fw_rule *r;
	bool neg = false;
	int n, i;

	snprintf(text, sizeof(text), "%.*s", (int)sizeof(text) - 1, line);
	n = ipt_tokens(line, tok);
	if (n < 2)
		return -EINVAL;
	c = chain_get(rs, tok[1]);
	r = c ? rule_add(c) : NULL;
	if (!r)
		return -ENOMEM;
	snprintf(r->text, sizeof(r->text), "%s", text);
	for (i = 2; i < n; i++) {
		const char *o = tok[i], *a = i + 1 < n ? tok[i + 1] : NULL;

		if (!strcmp(o, "!")) {
			neg = true;
			continue;
		}
		if ((!strcmp(o, "-p") || !strcmp(o, "--protocol")) && a) {
			unsigned int p = proto_bit(a);

			r->protos &= neg ? ~p | P_OTHER : p;
			i++;
		} else if ((!strcmp(o, "--dport") || !strcmp(o, "--dports") ||
			    !strcmp(o, "--destination-port") ||
			    !strcmp(o, "--destination-ports")) && a) {
			ipt_ports(r, a);
			r->port_neg = neg;
			i++;
		} else if ((!strcmp(o, "--ctstate") || !strcmp(o, "--state")) &&
			   a) {
			if (ipt_has_new(a) == neg)
				r->never = true;
			i++;
		} else if ((!strcmp(o, "-i") || !strcmp(o, "--in-interface")) &&
			   a) {
			if (!strcmp(a, "lo") && !neg)
				r->never = true;
			else if (!(!strcmp(a, "lo") && neg))
				r->cond = true;
			i++;
		} else if (!strcmp(o, "--pol") && a) {
			/* -m policy --dir in --pol ipsec: xfrm's, not ours */
			if (!strcmp(a, "ipsec") != neg)
				r->never = true;
			i++;
		} else if ((!strcmp(o, "-j") || !strcmp(o, "--jump") ||
			    !strcmp(o, "-g") || !strcmp(o, "--goto")) && a) {
			if (!strcmp(a, "ACCEPT"))
				r->verdict = V_ACCEPT;
			else if (!strcmp(a, "DROP") || !strcmp(a, "REJECT"))
				r->verdict = V_DROP;
			else if (!strcmp(a, "RETURN"))
				r->verdict = V_RETURN;
			else if (!strcmp(a, "LOG") || !strcmp(a, "NFLOG") ||
				 !strcmp(a, "ULOG"))
				r->verdict = V_NONE;
			else if (chain_find(rs, a) || isalnum((unsigned char)*a)) {
				r->verdict = o[1] == 'g' || !strcmp(o, "--goto") ?
					     V_GOTO : V_JUMP;
				snprintf(r->target, sizeof(r->target), "%s", a);
			}
			/*
			 * The target comes last in iptables-save's rules:
			 * what follows are its own options (--reject-with,
			 * --log-prefix, ...), not matches.
			 */
			i = n;
		} else if ((!strcmp(o, "-m") || !strcmp(o, "--match")) && a) {
			i++;	/* the options that follow say what it checks */
		} else if ((!strcmp(o, "--dir") || !strcmp(o, "--comment")) &&
			   a) {
			i++;
		} else if (o[0] == '-') {
			/* -s, -d, --sport, --icmp-type, limits, sets, ... */
			r->cond = true;
			while (i + 1 < n && tok[i + 1][0] != '-' &&
			       strcmp(tok[i + 1], "!"))
				i++;
		}
		neg = false;
	}
	return 0;
}

struct fw_ruleset *fw_parse_iptables_save(const char *text, char *err,
					  size_t err_len)
{
	struct fw_ruleset *rs = calloc(1, sizeof(*rs));
	const char *p = text, *nl;
	bool filter = false;
	unsigned int lineno = 0;
	char line[2048];

	if (!rs)
		return NULL;
	for (; *p; p = nl ? nl + 1 : p + strlen(p)) {
		size_t len;

		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		lineno++;
		if (len >= sizeof(line)) {
			seterr(err, err_len, "line %u: too long", lineno);
			goto bad;
		}
		memcpy(line, p, len);
		line[len] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		if (line[0] == '*') {
			filter = !strcmp(line, "*filter");
			continue;
		}
		if (!strcmp(line, "COMMIT")) {
			filter = false;
			continue;
		}
		if (!filter && (line[0] == ':' || !strncmp(line, "-A ", 3) ||
				!strncmp(line, "-I ", 3)))
			continue;	/* nat, mangle, raw */
		if (filter && line[0] == ':') {
			char name[96], policy[16];
			struct fw_chain *c;

			if (sscanf(line, ":%95s %15s", name, policy) != 2) {
				seterr(err, err_len, "line %u: a malformed chain", lineno);
				goto bad;
			}
			c = chain_get(rs, name);
			if (!c)
				goto nomem;
			if (!strcmp(name, "INPUT")) {
				c->base = true;
				c->policy = !strcmp(policy, "DROP") ? V_DROP :
					    V_ACCEPT;
			}
			continue;
		}
		if (filter &&
		    (!strncmp(line, "-A ", 3) || !strncmp(line, "-I ", 3))) {
			int ret = ipt_rule(rs, line);

			if (ret == -ENOMEM)
				goto nomem;
			if (ret) {
				seterr(err, err_len, "line %u: a malformed rule", lineno);
				goto bad;
			}
			continue;
		}
		seterr(err, err_len, "line %u: not iptables-save output", lineno);
		goto bad;
	}
	return rs;
nomem:
	seterr(err, err_len, "out of memory");
bad:
	fw_free(rs);
	return NULL;
}
