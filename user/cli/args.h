/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command-line arguments: parsers for single values (numbers, SPIs, hex
 * keys, addresses, on/off) and a table-driven "keyword value" parser whose
 * result encodes straight into netlink attributes.
 */
#ifndef L2TPSEC_CLI_ARGS_H
#define L2TPSEC_CLI_ARGS_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netlink/msg.h>

#include "names.h"

struct cli;

/* ---- single values: 0 or -EINVAL, nothing printed ---------------------- */

/* Decimal or 0x-prefixed hex, no sign, no junk, at most @bits wide. */
int parse_uint(const char *s, unsigned int bits, uint64_t *val);
/* Dotted quad. */
int parse_ipv4(const char *s, struct in_addr *addr);
/* ADDR/LEN; a bare ADDR is a /128. */
int parse_ipv6_prefix(const char *s, struct in6_addr *addr, uint8_t *plen);
/* "on" or "off". */
int parse_bool(const char *s, bool *val);
/* Hex digits, optional 0x prefix, whole bytes; *buf is malloc()ed. */
int parse_hex(const char *s, uint8_t **buf, size_t *len);

/* ---- keyword tables ------------------------------------------------------ */

enum arg_type {
	ARG_FLAG,		/* the keyword alone */
	ARG_U8,
	ARG_U16,
	ARG_U32,
	ARG_U64,
	ARG_ID,			/* non-zero u32: SPIs and peer ids */
	ARG_PORT,		/* u16, 1..65535 */
	ARG_BOOL,		/* on|off, encoded as u8 */
	ARG_ENUM,		/* a name of ->names, encoded as u8 */
	ARG_IPV4,		/* encoded as 4 bytes, network order */
	ARG_IPV6_PREFIX,	/* 16 bytes in ->attr, length (u8) in ->attr2 */
	ARG_HEX,		/* binary */
	ARG_STR,		/* a word of 1..255 bytes, as given (not encoded) */
};

#define ARG_REQUIRED	0x1	/* must be given */
#define ARG_TOP		0x2	/* top-level attribute, not in the nest */
#define ARG_POSITIONAL	0x4	/* a bare word, no keyword */

struct arg_spec {
	const char		*name;
	enum arg_type		type;
	uint16_t		attr;	/* 0: not encoded by args_encode() */
	uint16_t		attr2;
	unsigned int		flags;
	const struct l2_name	*names;	/* ARG_ENUM */
};

struct arg_val {
	bool		set;
	const char	*text;		/* as given */
	uint64_t	u;		/* numbers, bools, enums */
	struct in_addr	v4;
	struct in6_addr	v6;
	uint8_t		plen;
	uint8_t		*bytes;		/* ARG_HEX, malloc()ed */
	size_t		len;
};

#define ARGS_MAX	24

struct args {
	const struct arg_spec	*spec;
	unsigned int		n;
	const char		*dev;	/* DEV, or NULL */
	int			sock_fd; /* dev attach: the socket to hand over */
	struct arg_val		val[ARGS_MAX];
};

void args_init(struct args *a, const struct arg_spec *spec, unsigned int n);
/* Parse "keyword value..." words; prints the error and returns -EINVAL. */
int args_parse(struct cli *c, struct args *a, int argc, char **argv);
void args_free(struct args *a);

/* @word is one of the keywords of @a's table. */
bool args_is_keyword(const struct args *a, const char *word);
/* The value of the argument named @name, or NULL if it was not given. */
const struct arg_val *args_get(const struct args *a, const char *name);
bool args_has(const struct args *a, const char *name);
uint64_t args_u64(const struct args *a, const char *name);
/* Give argument @name a value (defaults); it must be a number type. */
void args_set_u64(struct args *a, const char *name, uint64_t v);

/*
 * Put every given argument that has an attribute and is (@top) or is not
 * (!@top) flagged ARG_TOP. Returns 0 or -ENOBUFS.
 */
int args_encode(const struct args *a, struct nl_msg *msg, bool top);

/* Describe what @spec expects, e.g. "a 32-bit number". */
void arg_expected(const struct arg_spec *spec, char *buf, size_t len);

#endif /* L2TPSEC_CLI_ARGS_H */
