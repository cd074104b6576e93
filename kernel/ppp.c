// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsec: PPP framing inside L2TP (RFC 1661, RFC 2661 section 5).
 *
 * L2TP carries PPP without HDLC flags or FCS. Address and control (FF 03)
 * may be omitted when ACFC was negotiated, and protocol numbers below 0x100
 * may be sent in one byte when PFC was; a receiver must accept both forms
 * at any time, so parsing ignores the negotiated options.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/ppp_defs.h>

#include "l2tpsec.h"

int l2tpsec_ppp_parse(const u8 *buf, unsigned int len, u16 *proto,
		      unsigned int *hdr_len)
{
	unsigned int pos = 0;

	if (len >= 2 && buf[0] == PPP_ALLSTATIONS && buf[1] == PPP_UI)
		pos = 2;
	if (len < pos + 1)
		return -EINVAL;
	/* A protocol number's low byte is odd; its high byte is even. */
	if (buf[pos] & 1) {
		*proto = buf[pos];
		pos += 1;
	} else {
		if (len < pos + 2 || !(buf[pos + 1] & 1))
			return -EINVAL;
		*proto = get_unaligned_be16(buf + pos);
		pos += 2;
	}
	*hdr_len = pos;
	return 0;
}

static bool ppp_may_compress(u16 proto, bool pfc)
{
	/* LCP is never compressed (RFC 1661 6.5, 6.6). */
	return pfc && proto < 0x100 && proto != PPP_LCP;
}

unsigned int l2tpsec_ppp_hdr_len(u16 proto, bool acfc, bool pfc)
{
	bool with_ac = !acfc || proto == PPP_LCP;

	return (with_ac ? 2 : 0) + (ppp_may_compress(proto, pfc) ? 1 : 2);
}

unsigned int l2tpsec_ppp_build(u8 *buf, u16 proto, bool acfc, bool pfc)
{
	unsigned int pos = 0;

	if (!acfc || proto == PPP_LCP) {
		buf[pos++] = PPP_ALLSTATIONS;
		buf[pos++] = PPP_UI;
	}
	if (ppp_may_compress(proto, pfc)) {
		buf[pos++] = proto;
	} else {
		put_unaligned_be16(proto, buf + pos);
		pos += 2;
	}
	return pos;
}
