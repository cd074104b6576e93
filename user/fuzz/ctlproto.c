// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the control socket's line protocol (common/ctlproto.c)
 * as the daemon reads requests and the CLI reads answers: one line into a
 * record, its fields by name and as numbers, kick and unblock requests,
 * and the writer's round trip of every field that parsed (what is written
 * must parse back to the same values).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ctlproto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct l2_ctl_record r, back;
static struct l2_ctl_line l;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = {
		"user", "address", "session", "peer", "tunnel", "block",
		"error", "version", "",
	};
	struct l2_ctl_kick k;
	char err[128], user[L2_CTL_MAX_USER + 1];
	unsigned int i;
	uint64_t v;

	if (l2_ctl_parse((const char *)data, size, &r))
		return 0;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		(void)l2_ctl_get(&r, keys[i]);
		(void)l2_ctl_get_u64(&r, keys[i], &v);
	}
	if (l2_ctl_kick_parse(&r, &k, err, sizeof(err)) == 0) {
		struct l2_ctl_kick k2;

		l2_ctl_kick_put(&l, &k);
		if (l.overflow || l2_ctl_parse(l.buf, l.len, &back) ||
		    l2_ctl_kick_parse(&back, &k2, err, sizeof(err)) ||
		    k2.by != k.by || k2.block_s != k.block_s ||
		    (k.by == L2_CTL_KICK_USER && strcmp(k.user, k2.user)))
			__builtin_trap();
	}
	(void)l2_ctl_unblock_parse(&r, user, err, sizeof(err));

	/* Every field written again and read back unchanged. */
	l2_ctl_begin(&l, r.type);
	for (i = 0; i < r.n; i++)
		l2_ctl_put(&l, r.f[i].key, r.f[i].value);
	if (l2_ctl_end(&l) == 0) {
		if (l2_ctl_parse(l.buf, l.len, &back) || back.n != r.n ||
		    strcmp(back.type, r.type))
			__builtin_trap();
		for (i = 0; i < r.n; i++)
			if (strcmp(back.f[i].key, r.f[i].key) ||
			    strcmp(back.f[i].value, r.f[i].value))
				__builtin_trap();
	}
	return 0;
}
