// SPDX-License-Identifier: GPL-2.0
/*
 * Argument parsing. Values are checked completely before anything is sent
 * to the kernel: a number with trailing junk, out of range or with a sign
 * is refused with a message naming the argument.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"

/* Longest binary attribute we build: a netlink attribute holds 64 KiB. */
#define HEX_MAX_BYTES	65000

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int parse_uint(const char *s, unsigned int bits, uint64_t *val)
{
	uint64_t max = bits >= 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
	uint64_t v = 0;
	unsigned int base = 10;
	int d;

	if (!s || !*s)
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		if (!*s)
			return -EINVAL;
	}
	for (; *s; s++) {
		d = hex_digit(*s);
		if (d < 0 || (unsigned int)d >= base)
			return -EINVAL;
		if (v > (max - (unsigned int)d) / base)
			return -EINVAL;		/* would pass @max */
		v = v * base + (unsigned int)d;
	}
	*val = v;
	return 0;
}

int parse_ipv4(const char *s, struct in_addr *addr)
{
	return inet_pton(AF_INET, s, addr) == 1 ? 0 : -EINVAL;
}

int parse_ipv6_prefix(const char *s, struct in6_addr *addr, uint8_t *plen)
{
	char buf[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	uint64_t len = 128;

	if (alen >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (inet_pton(AF_INET6, buf, addr) != 1)
		return -EINVAL;
	if (slash) {
		/* Decimal only: "0x40" is not a prefix length. */
		if (slash[1] == '0' && (slash[2] == 'x' || slash[2] == 'X'))
			return -EINVAL;
		if (parse_uint(slash + 1, 8, &len) || len > 128)
			return -EINVAL;
	}
	*plen = (uint8_t)len;
	return 0;
}

int parse_bool(const char *s, bool *val)
{
	if (!strcmp(s, "on")) {
		*val = true;
		return 0;
	}
	if (!strcmp(s, "off")) {
		*val = false;
		return 0;
	}
	return -EINVAL;
}

int parse_hex(const char *s, uint8_t **buf, size_t *len)
{
	size_t digits, i;
	uint8_t *out;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	digits = strlen(s);
	if (!digits || digits % 2 || digits / 2 > HEX_MAX_BYTES)
		return -EINVAL;
	for (i = 0; i < digits; i++)
		if (hex_digit(s[i]) < 0)
			return -EINVAL;
	out = malloc(digits / 2);
	if (!out)
		return -ENOMEM;
	for (i = 0; i < digits / 2; i++)
		out[i] = (uint8_t)(hex_digit(s[2 * i]) << 4 |
				   hex_digit(s[2 * i + 1]));
	*buf = out;
	*len = digits / 2;
	return 0;
}

/* ---- keyword tables ------------------------------------------------------ */

void arg_expected(const struct arg_spec *spec, char *buf, size_t len)
{
	char names[128];

	switch (spec->type) {
	case ARG_FLAG:
		snprintf(buf, len, "no value");
		break;
	case ARG_U8:
		snprintf(buf, len, "an 8-bit number");
		break;
	case ARG_U16:
		snprintf(buf, len, "a 16-bit number");
		break;
	case ARG_U32:
	case ARG_ID:
		snprintf(buf, len, "a 32-bit number");
		break;
	case ARG_U64:
		snprintf(buf, len, "a 64-bit number");
		break;
	case ARG_PORT:
		snprintf(buf, len, "a port number (1-65535)");
		break;
	case ARG_BOOL:
		snprintf(buf, len, "on|off");
		break;
	case ARG_ENUM:
		l2_names_list(spec->names, names, sizeof(names));
		snprintf(buf, len, "%s", names);
		break;
	case ARG_IPV4:
		snprintf(buf, len, "an IPv4 address");
		break;
	case ARG_IPV6_PREFIX:
		snprintf(buf, len, "an IPv6 prefix (ADDR/LEN)");
		break;
	case ARG_HEX:
		snprintf(buf, len, "hex bytes");
		break;
	case ARG_STR:
		snprintf(buf, len, "a word of 1 to 255 characters");
		break;
	}
}

void args_init(struct args *a, const struct arg_spec *spec, unsigned int n)
{
	memset(a, 0, sizeof(*a));
	a->spec = spec;
	a->n = n < ARGS_MAX ? n : ARGS_MAX;
	a->sock_fd = -1;
}

void args_free(struct args *a)
{
	unsigned int i;

	for (i = 0; i < a->n; i++) {
		free(a->val[i].bytes);
		a->val[i].bytes = NULL;
	}
}

static int find_spec(const struct args *a, const char *name)
{
	unsigned int i;

	for (i = 0; i < a->n; i++)
		if (a->spec[i].name && !(a->spec[i].flags & ARG_POSITIONAL) &&
		    !strcmp(a->spec[i].name, name))
			return (int)i;
	return -1;
}

static int find_positional(const struct args *a)
{
	unsigned int i;

	for (i = 0; i < a->n; i++)
		if ((a->spec[i].flags & ARG_POSITIONAL) && !a->val[i].set)
			return (int)i;
	return -1;
}

/* Parse @text as the value of @spec into @val. */
static int parse_value(struct cli *c, const struct arg_spec *spec,
		       const char *text, struct arg_val *val)
{
	static const unsigned int bits[] = {
		[ARG_U8] = 8, [ARG_U16] = 16, [ARG_U32] = 32, [ARG_U64] = 64,
		[ARG_ID] = 32, [ARG_PORT] = 16,
	};
	char what[160];
	unsigned int e = 0;
	bool b = false;
	int ret = 0;

	val->text = text;
	switch (spec->type) {
	case ARG_FLAG:
		break;
	case ARG_U8:
	case ARG_U16:
	case ARG_U32:
	case ARG_U64:
		ret = parse_uint(text, bits[spec->type], &val->u);
		break;
	case ARG_PORT:
		ret = parse_uint(text, bits[spec->type], &val->u);
		if (!ret && !val->u)
			ret = -EINVAL;
		break;
	case ARG_ID:
		ret = parse_uint(text, bits[spec->type], &val->u);
		if (!ret && !val->u) {
			cli_error(c, "\"%s\": expected a non-zero 32-bit number, got \"%s\"",
				  spec->name, text);
			return -EINVAL;
		}
		break;
	case ARG_BOOL:
		ret = parse_bool(text, &b);
		val->u = b;
		break;
	case ARG_ENUM:
		ret = l2_value(spec->names, text, &e);
		val->u = e;
		break;
	case ARG_IPV4:
		ret = parse_ipv4(text, &val->v4);
		break;
	case ARG_IPV6_PREFIX:
		ret = parse_ipv6_prefix(text, &val->v6, &val->plen);
		break;
	case ARG_HEX:
		ret = parse_hex(text, &val->bytes, &val->len);
		if (ret == -ENOMEM) {
			cli_error(c, "out of memory");
			return ret;
		}
		break;
	case ARG_STR:
		if (!*text || strlen(text) > 255)
			ret = -EINVAL;
		break;
	}
	if (ret) {
		arg_expected(spec, what, sizeof(what));
		cli_error(c, "\"%s\": expected %s, got \"%s\"", spec->name,
			  what, text);
		return -EINVAL;
	}
	val->set = true;
	return 0;
}

int args_parse(struct cli *c, struct args *a, int argc, char **argv)
{
	char what[160];
	int i, idx;

	for (i = 0; i < argc; i++) {
		const char *word = argv[i];
		const struct arg_spec *spec;

		idx = find_spec(a, word);
		if (idx < 0) {
			idx = find_positional(a);
			if (idx < 0) {
				cli_error(c, "unknown argument \"%s\"", word);
				return -EINVAL;
			}
			if (parse_value(c, &a->spec[idx], word, &a->val[idx]))
				return -EINVAL;
			continue;
		}
		spec = &a->spec[idx];
		if (a->val[idx].set) {
			cli_error(c, "\"%s\" given twice", word);
			return -EINVAL;
		}
		if (spec->type == ARG_FLAG) {
			a->val[idx].set = true;
			a->val[idx].text = word;
			continue;
		}
		if (i + 1 >= argc) {
			arg_expected(spec, what, sizeof(what));
			cli_error(c, "\"%s\": missing value (expected %s)",
				  word, what);
			return -EINVAL;
		}
		if (parse_value(c, spec, argv[++i], &a->val[idx]))
			return -EINVAL;
	}
	for (idx = 0; idx < (int)a->n; idx++) {
		if ((a->spec[idx].flags & ARG_REQUIRED) && !a->val[idx].set) {
			cli_error(c, "missing \"%s\"", a->spec[idx].name);
			return -EINVAL;
		}
	}
	return 0;
}

bool args_is_keyword(const struct args *a, const char *word)
{
	return find_spec(a, word) >= 0;
}

const struct arg_val *args_get(const struct args *a, const char *name)
{
	unsigned int i;

	for (i = 0; i < a->n; i++)
		if (a->spec[i].name && !strcmp(a->spec[i].name, name))
			return a->val[i].set ? &a->val[i] : NULL;
	return NULL;
}

bool args_has(const struct args *a, const char *name)
{
	return args_get(a, name) != NULL;
}

uint64_t args_u64(const struct args *a, const char *name)
{
	const struct arg_val *v = args_get(a, name);

	return v ? v->u : 0;
}

void args_set_u64(struct args *a, const char *name, uint64_t v)
{
	unsigned int i;

	for (i = 0; i < a->n; i++) {
		if (a->spec[i].name && !strcmp(a->spec[i].name, name)) {
			a->val[i].set = true;
			a->val[i].u = v;
			return;
		}
	}
}

static int put_value(struct nl_msg *msg, const struct arg_spec *spec,
		     const struct arg_val *val)
{
	switch (spec->type) {
	case ARG_FLAG:
		return 0;
	case ARG_U8:
	case ARG_BOOL:
	case ARG_ENUM:
		return nla_put_u8(msg, spec->attr, (uint8_t)val->u);
	case ARG_U16:
	case ARG_PORT:
		return nla_put_u16(msg, spec->attr, (uint16_t)val->u);
	case ARG_U32:
	case ARG_ID:
		return nla_put_u32(msg, spec->attr, (uint32_t)val->u);
	case ARG_U64:
		return nla_put_u64(msg, spec->attr, val->u);
	case ARG_IPV4:
		return nla_put(msg, spec->attr, sizeof(val->v4.s_addr),
			       &val->v4.s_addr);
	case ARG_IPV6_PREFIX:
		if (nla_put(msg, spec->attr, sizeof(val->v6), &val->v6))
			return -ENOBUFS;
		return nla_put_u8(msg, spec->attr2, val->plen);
	case ARG_HEX:
		return nla_put(msg, spec->attr, (int)val->len, val->bytes);
	case ARG_STR:
		return nla_put_string(msg, spec->attr, val->text);
	}
	return -EINVAL;
}

int args_encode(const struct args *a, struct nl_msg *msg, bool top)
{
	unsigned int i;

	for (i = 0; i < a->n; i++) {
		const struct arg_spec *spec = &a->spec[i];

		if (!a->val[i].set || !spec->attr ||
		    !!(spec->flags & ARG_TOP) != top)
			continue;
		if (put_value(msg, spec, &a->val[i]) < 0)
			return -ENOBUFS;
	}
	return 0;
}
