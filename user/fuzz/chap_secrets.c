// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the chap-secrets parser (pppd's getword() rules:
 * quotes, backslash escapes, comments, over-long words) and the lookups
 * and address checks on what parsed. The input is the file's text; the
 * lookups use names taken from the input itself, so that they hit.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "auth/auth.h"
#include "log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void discard(void *arg, enum log_level lvl, const char *line)
{
	(void)arg;
	(void)lvl;
	(void)line;
}

static void pinned(void *arg, struct in_addr a)
{
	(void)pool_exclude(arg, ntohl(a.s_addr), ntohl(a.s_addr));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const servers[] = { "*", "l2tpsec", "", "x" };
	struct secrets *s = NULL;
	struct secret_user u;
	struct pool *p;
	char err[256], secret[256], name[80];
	char *text;
	size_t i, j;

	if (size > 65536)
		return 0;
	log_set_sink(discard, NULL);
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (secrets_parse("fuzz", text, &s, err, sizeof(err)) == 0) {
		/* the error text of a failure must be terminated, of a
		 * success untouched; lookups by the first words of lines */
		(void)secrets_count(s);
		for (i = 0; i < size && i < 2048; i++) {
			if (i && text[i - 1] != '\n')
				continue;
			for (j = 0; j + 1 < sizeof(name) && i + j < size &&
			     text[i + j] != ' ' && text[i + j] != '\t' &&
			     text[i + j] != '\n'; j++)
				name[j] = text[i + j];
			name[j] = '\0';
			for (j = 0; j < sizeof(servers) / sizeof(servers[0]); j++) {
				memset(&u, 0, sizeof(u));
				if (secrets_lookup(s, name, servers[j], secret,
						   sizeof(secret), &u) == 0 &&
				    (strlen(secret) >= sizeof(secret) ||
				     strlen(u.name) >= sizeof(u.name)))
					__builtin_trap();
				(void)secrets_lookup(s, name, servers[j], secret,
						     4, NULL);
			}
		}
		p = pool_new();
		if (p) {
			struct in_addr local = { htonl(0x0a630001) };

			pool_add_range(p, 0x0a63000a, 0x0a630014);
			secrets_for_each_pinned(s, pinned, p);
			secrets_check_addrs(s, "fuzz", local, p);
			pool_free(p);
		}
		secrets_free(s);
	} else if (memchr(err, '\0', sizeof(err)) == NULL) {
		__builtin_trap();
	}
	free(text);
	return 0;
}
