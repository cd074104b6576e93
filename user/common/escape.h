/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bytes from a peer (user and host names, IDs, vendor strings, reply
 * messages) shown in a log line or on a terminal: printable ASCII stays,
 * a backslash doubles, every other byte is \xHH. That covers the C0
 * controls and DEL, and 0x80..0x9f, which terminals that take 8-bit C1
 * controls obey as ESC sequences; the rest of 0x80..0xff is escaped too,
 * so the output is plain ASCII whatever the locale.
 */
#ifndef L2TPSEC_COMMON_ESCAPE_H
#define L2TPSEC_COMMON_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

/* Room for @n bytes escaped, with the NUL. */
#define L2_ESC_SIZE(n)	((n) * 4 + 1)

/* Whether @c is shown as itself (0x20..0x7e, not the backslash). */
static inline bool l2_esc_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '\\';
}

/*
 * Escape @len bytes of @in into @out (always NUL-terminated; cut at a whole
 * escape when short, the cut marked with "..."). Returns @out.
 */
const char *l2_escape(char *out, size_t size, const void *in, size_t len);
/* The same for a C string. */
const char *l2_escape_str(char *out, size_t size, const char *s);

#endif
