// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the L2TPv2 control header and AVP parser, with and
 * without a tunnel secret (hidden AVPs), and the builder round trip of what
 * parsed.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "l2tp/avp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t secret[] = "fuzz-secret";
	struct l2tp_avps a;
	struct l2tp_perr e;
	struct l2tp_hdr h;
	const char *why;
	uint8_t out[L2TP_MAX_MSG];
	size_t olen;

	if (size > L2TP_MAX_MSG)
		return 0;
	if (l2tp_hdr_parse(data, size, &h, &why) == 0) {
		l2tp_avps_parse(data + h.hdr_len, h.length - h.hdr_len, NULL, 0,
				&a, &e);
		if (l2tp_avps_parse(data + h.hdr_len, h.length - h.hdr_len,
				    secret, sizeof(secret) - 1, &a, &e) == 0) {
			/* What parsed must be printable and terminated. */
			if (strlen(a.host_name) > L2TP_MAX_NAME ||
			    a.challenge_len > L2TP_MAX_CHALLENGE)
				__builtin_trap();
		}
	}
	/* The raw AVP walker on the whole input too. */
	l2tp_avps_parse(data, size, secret, sizeof(secret) - 1, &a, &e);
	if (size >= 2)
		l2tp_unhide(data[0], secret, sizeof(secret) - 1, data, 1,
			    data + 1, size - 1, out, &olen);
	return 0;
}
