// SPDX-License-Identifier: GPL-2.0
/*
 * Escaping of peer-supplied bytes for logs and terminals (escape.h).
 */
#include <string.h>

#include "escape.h"

static size_t esc_len(unsigned char c)
{
	return l2_esc_plain(c) ? 1 : c == '\\' ? 2 : 4;
}

const char *l2_escape(char *out, size_t size, const void *in, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = in;
	size_t i, n = 0, total = 0, room;

	if (!size)
		return out;
	for (i = 0; i < len; i++)
		total += esc_len(p[i]);
	/* all of it, or whole escapes and "..." */
	room = total < size ? size - 1 : size > 4 ? size - 4 : 0;
	for (i = 0; i < len; i++) {
		unsigned char c = p[i];

		if (n + esc_len(c) > room)
			break;
		if (l2_esc_plain(c)) {
			out[n++] = (char)c;
		} else if (c == '\\') {
			out[n++] = '\\';
			out[n++] = '\\';
		} else {
			out[n++] = '\\';
			out[n++] = 'x';
			out[n++] = hex[c >> 4];
			out[n++] = hex[c & 15];
		}
	}
	if (i < len && n + 3 < size) {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
	return out;
}

const char *l2_escape_str(char *out, size_t size, const char *s)
{
	return l2_escape(out, size, s ? s : "", s ? strlen(s) : 0);
}
