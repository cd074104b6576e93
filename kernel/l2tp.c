// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsec: L2TPv2 header codec (RFC 2661 section 3.1).
 *
 * Pure functions on byte buffers, so that KUnit can feed them every flag
 * combination and garbage without building packets.
 */
#include <linux/errno.h>
#include <linux/kernel.h>

#include "l2tpsec.h"

int l2tpsec_l2tp_parse(const u8 *buf, unsigned int len,
		       struct l2tp_hdr_info *info)
{
	unsigned int pos = 2;
	u16 flags;

	if (len < 2)
		return -EINVAL;
	flags = get_unaligned_be16(buf);
	if ((flags & L2TP_HDR_VER_MASK) != L2TP_HDR_VER_2)
		return (flags & L2TP_HDR_VER_MASK) == 3 ? -EPROTONOSUPPORT :
							  -EINVAL;
	/* Reserved bits are ignored on receipt (RFC 2661 3.1). */
	/* Control messages always carry length and sequence, never offset. */
	if ((flags & L2TP_HDR_T) &&
	    ((flags & (L2TP_HDR_L | L2TP_HDR_S)) != (L2TP_HDR_L | L2TP_HDR_S) ||
	     (flags & L2TP_HDR_O)))
		return -EINVAL;

	memset(info, 0, sizeof(*info));
	info->flags = flags;
	if (flags & L2TP_HDR_L) {
		if (len < pos + 2)
			return -EINVAL;
		info->length = get_unaligned_be16(buf + pos);
		pos += 2;
	}
	if (len < pos + 4)
		return -EINVAL;
	info->tunnel_id = get_unaligned_be16(buf + pos);
	info->session_id = get_unaligned_be16(buf + pos + 2);
	pos += 4;
	if (flags & L2TP_HDR_S) {
		if (len < pos + 4)
			return -EINVAL;
		info->ns = get_unaligned_be16(buf + pos);
		info->nr = get_unaligned_be16(buf + pos + 2);
		pos += 4;
	}
	if (flags & L2TP_HDR_O) {
		if (len < pos + 2)
			return -EINVAL;
		pos += 2 + get_unaligned_be16(buf + pos);
		if (pos > len)
			return -EINVAL;
	}
	/* The length field covers the whole message, header included. */
	if ((flags & L2TP_HDR_L) && (info->length < pos || info->length > len))
		return -EINVAL;
	info->hdr_len = pos;
	return 0;
}

unsigned int l2tpsec_l2tp_hdr_len(bool with_length, bool with_seq)
{
	return 6 + (with_length ? 2 : 0) + (with_seq ? 4 : 0);
}

unsigned int l2tpsec_l2tp_build(u8 *buf, u16 tunnel_id, u16 session_id,
				bool with_length, u16 length, bool with_seq,
				u16 ns)
{
	u16 flags = L2TP_HDR_VER_2;
	unsigned int pos = 2;

	if (with_length)
		flags |= L2TP_HDR_L;
	if (with_seq)
		flags |= L2TP_HDR_S;
	put_unaligned_be16(flags, buf);
	if (with_length) {
		put_unaligned_be16(length, buf + pos);
		pos += 2;
	}
	put_unaligned_be16(tunnel_id, buf + pos);
	put_unaligned_be16(session_id, buf + pos + 2);
	pos += 4;
	if (with_seq) {
		/* Nr is reserved on data messages (RFC 2661 3.1). */
		put_unaligned_be16(ns, buf + pos);
		put_unaligned_be16(0, buf + pos + 2);
		pos += 4;
	}
	return pos;
}
