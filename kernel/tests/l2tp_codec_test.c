// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the L2TPv2 header codec (kernel/l2tp.c, RFC 2661 3.1).
 *
 * The expected values come from a builder written here from the RFC, not
 * from l2tp.c: every combination of T, L, S, O, P for data and control
 * messages, every truncation, offset padding, the version nibble, the
 * length field against the buffer, and build -> parse round trips against
 * fixed byte strings.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "l2tpsec.h"

#define TID	0x1234
#define SID	0xabcd
#define NS	0x0102
#define NR	0x0304

/*
 * Writes an L2TPv2 header with @flags (version 2 added) followed by
 * @payload payload bytes; with O set, @offset pad bytes follow the offset
 * size field. Returns the total length; *hdr_len gets the header length.
 * The L field, when present, holds @length_field or, if that is negative,
 * the real total length.
 */
static unsigned int mk_hdr(u8 *buf, u16 flags, unsigned int offset,
			   unsigned int payload, int length_field,
			   unsigned int *hdr_len)
{
	unsigned int pos = 2, len_pos = 0, i;

	flags |= L2TP_HDR_VER_2;
	buf[0] = flags >> 8;
	buf[1] = flags & 0xff;
	if (flags & L2TP_HDR_L) {
		len_pos = pos;
		pos += 2;
	}
	buf[pos++] = TID >> 8;
	buf[pos++] = TID & 0xff;
	buf[pos++] = SID >> 8;
	buf[pos++] = SID & 0xff;
	if (flags & L2TP_HDR_S) {
		buf[pos++] = NS >> 8;
		buf[pos++] = NS & 0xff;
		buf[pos++] = NR >> 8;
		buf[pos++] = NR & 0xff;
	}
	if (flags & L2TP_HDR_O) {
		buf[pos++] = offset >> 8;
		buf[pos++] = offset & 0xff;
		for (i = 0; i < offset; i++)
			buf[pos++] = 0xee;	/* pad content is ignored */
	}
	*hdr_len = pos;
	for (i = 0; i < payload; i++)
		buf[pos++] = 0x40 + i;
	if (flags & L2TP_HDR_L) {
		unsigned int l = length_field < 0 ? pos : length_field;

		buf[len_pos] = l >> 8;
		buf[len_pos + 1] = l & 0xff;
	}
	return pos;
}

static const u16 opt_bits[] = { L2TP_HDR_L, L2TP_HDR_S, L2TP_HDR_O,
				L2TP_HDR_P };

static u16 combo_flags(unsigned int combo, bool control)
{
	u16 flags = control ? L2TP_HDR_T : 0;
	int b;

	for (b = 0; b < ARRAY_SIZE(opt_bits); b++)
		if (combo & BIT(b))
			flags |= opt_bits[b];
	return flags;
}

static bool control_ok(u16 flags)
{
	return (flags & L2TP_HDR_L) && (flags & L2TP_HDR_S) &&
	       !(flags & L2TP_HDR_O);
}

/* Every T/L/S/O/P combination, with offsets 0 and 3, parsed in full. */
static void l2tp_parse_all_flag_combinations(struct kunit *test)
{
	static const unsigned int offsets[] = { 0, 3 };
	const unsigned int n_off = ARRAY_SIZE(offsets);
	unsigned int i, accepted = 0, rejected = 0;
	u8 buf[64];

	/* for each ctl 0..1, combo 0..15, offset index o */
	for (i = 0; i < 2 * 16 * n_off; i++) {
		unsigned int ctl = i / (16 * n_off);
		unsigned int combo = i / n_off % 16;
		unsigned int o = i % n_off;
		u16 flags = combo_flags(combo, ctl);
		struct l2tp_hdr_info info;
		unsigned int len, hdr_len, want_hdr;
		int err;

		if (!(flags & L2TP_HDR_O) && o)
			continue;
		len = mk_hdr(buf, flags, offsets[o], 5, -1, &hdr_len);
		want_hdr = 6 + (flags & L2TP_HDR_L ? 2 : 0) +
			   (flags & L2TP_HDR_S ? 4 : 0) +
			   (flags & L2TP_HDR_O ? 2 + offsets[o] : 0);
		KUNIT_ASSERT_EQ(test, hdr_len, want_hdr);

		memset(&info, 0x5a, sizeof(info));
		err = l2tpsec_l2tp_parse(buf, len, &info);
		if (ctl && !control_ok(flags)) {
			KUNIT_EXPECT_EQ_MSG(test, err, -EINVAL,
					    "control flags 0x%04x", flags);
			rejected++;
			continue;
		}
		KUNIT_EXPECT_EQ_MSG(test, err, 0, "flags 0x%04x offset %u",
				    flags, offsets[o]);
		if (err)
			continue;
		accepted++;
		KUNIT_EXPECT_EQ(test, info.flags, flags | L2TP_HDR_VER_2);
		KUNIT_EXPECT_EQ(test, info.tunnel_id, TID);
		KUNIT_EXPECT_EQ(test, info.session_id, SID);
		KUNIT_EXPECT_EQ_MSG(test, info.hdr_len, want_hdr,
				    "flags 0x%04x offset %u", flags,
				    offsets[o]);
		KUNIT_EXPECT_EQ(test, info.length,
				flags & L2TP_HDR_L ? len : 0);
		KUNIT_EXPECT_EQ(test, info.ns, flags & L2TP_HDR_S ? NS : 0);
		KUNIT_EXPECT_EQ(test, info.nr, flags & L2TP_HDR_S ? NR : 0);
	}
	/* 16 data combos + 8 with O and an offset of 3; 2 control combos */
	KUNIT_EXPECT_EQ(test, accepted, 16 + 8 + 2);
	/* 14 bad control combos, 8 of them with O also tried with offset 3 */
	KUNIT_EXPECT_EQ(test, rejected, 14 + 8);
}

/* Every buffer shorter than the header is refused, whatever the flags. */
static void l2tp_parse_short_buffers(struct kunit *test)
{
	unsigned int i, len;
	u8 buf[64];

	/* for each ctl 0..1, combo 0..15 */
	for (i = 0; i < 2 * 16; i++) {
		unsigned int ctl = i / 16;
		unsigned int combo = i % 16;
		u16 flags = combo_flags(combo, ctl);
		unsigned int hdr_len;
		struct l2tp_hdr_info info;

		if (ctl && !control_ok(flags))
			continue;
		/* no payload: total == header; L field = header length */
		mk_hdr(buf, flags, 2, 0, -1, &hdr_len);
		for (len = 0; len < hdr_len; len++)
			KUNIT_EXPECT_EQ_MSG(test,
					    l2tpsec_l2tp_parse(buf, len, &info),
					    -EINVAL, "flags 0x%04x len %u/%u",
					    flags, len, hdr_len);
		KUNIT_EXPECT_EQ_MSG(test, l2tpsec_l2tp_parse(buf, hdr_len, &info),
				    0, "flags 0x%04x: exactly the header",
				    flags);
		KUNIT_EXPECT_EQ(test, info.hdr_len, hdr_len);
	}
}

static void l2tp_parse_version(struct kunit *test)
{
	struct l2tp_hdr_info info;
	unsigned int hdr_len, len, v;
	u8 buf[32];

	len = mk_hdr(buf, 0, 0, 4, -1, &hdr_len);
	for (v = 0; v < 16; v++) {
		int want = v == 2 ? 0 : v == 3 ? -EPROTONOSUPPORT : -EINVAL;

		buf[1] = (buf[1] & 0xf0) | v;
		KUNIT_EXPECT_EQ_MSG(test, l2tpsec_l2tp_parse(buf, len, &info),
				    want, "version %u", v);
	}
	/* an L2TPv3-over-UDP data header: 0x0003 then reserved, session */
	memcpy(buf, "\x00\x03\x00\x00\x00\x00\x00\x01", 8);
	KUNIT_EXPECT_EQ(test, l2tpsec_l2tp_parse(buf, 8, &info),
			-EPROTONOSUPPORT);
	/* the version is checked before anything else, even when short */
	KUNIT_EXPECT_EQ(test, l2tpsec_l2tp_parse(buf, 2, &info),
			-EPROTONOSUPPORT);
}

/* Reserved bits (RFC 2661: ignored on receipt). */
static void l2tp_parse_reserved_bits(struct kunit *test)
{
	struct l2tp_hdr_info info;
	unsigned int hdr_len, len;
	u8 buf[32];

	len = mk_hdr(buf, 0x3000 | 0x0400 | 0x00f0, 0, 3, -1, &hdr_len);
	KUNIT_ASSERT_EQ(test, l2tpsec_l2tp_parse(buf, len, &info), 0);
	KUNIT_EXPECT_EQ(test, info.hdr_len, 6);
	KUNIT_EXPECT_EQ(test, info.tunnel_id, TID);
	KUNIT_EXPECT_EQ(test, info.session_id, SID);
}

static void l2tp_parse_length_field(struct kunit *test)
{
	struct l2tp_hdr_info info;
	unsigned int hdr_len, len;
	u8 buf[64];

	/* exact */
	len = mk_hdr(buf, L2TP_HDR_L, 0, 10, -1, &hdr_len);
	KUNIT_ASSERT_EQ(test, len, 18);
	KUNIT_EXPECT_EQ(test, l2tpsec_l2tp_parse(buf, len, &info), 0);
	KUNIT_EXPECT_EQ(test, info.length, 18);
	/* larger than the buffer: truncated message */
	mk_hdr(buf, L2TP_HDR_L, 0, 10, 19, &hdr_len);
	KUNIT_EXPECT_EQ(test, l2tpsec_l2tp_parse(buf, len, &info), -EINVAL);
	mk_hdr(buf, L2TP_HDR_L, 0, 10, 0xffff, &hdr_len);
	KUNIT_EXPECT_EQ(test, l2tpsec_l2tp_parse(buf, len, &info), -EINVAL);
	/* smaller than the buffer but covering the header: accepted */
	mk_hdr(buf, L2TP_HDR_L, 0, 10, 12, &hdr_len);
	KUNIT_EXPECT_EQ(test, l2tpsec_l2tp_parse(buf, len, &info), 0);
	KUNIT_EXPECT_EQ(test, info.length, 12);
	mk_hdr(buf, L2TP_HDR_L, 0, 10, 8, &hdr_len);
	KUNIT_EXPECT_EQ(test, l2tpsec_l2tp_parse(buf, len, &info), 0);
	KUNIT_EXPECT_EQ(test, info.hdr_len, 8);
	/* smaller than the header */
	mk_hdr(buf, L2TP_HDR_L, 0, 10, 7, &hdr_len);
	KUNIT_EXPECT_EQ(test, l2tpsec_l2tp_parse(buf, len, &info), -EINVAL);
	mk_hdr(buf, L2TP_HDR_L, 0, 10, 0, &hdr_len);
	KUNIT_EXPECT_EQ(test, l2tpsec_l2tp_parse(buf, len, &info), -EINVAL);
	/* with S and O: the header includes Ns, Nr and the offset pad */
	len = mk_hdr(buf, L2TP_HDR_L | L2TP_HDR_S | L2TP_HDR_O, 4, 2, -1,
		     &hdr_len);
	KUNIT_ASSERT_EQ(test, hdr_len, 18);
	mk_hdr(buf, L2TP_HDR_L | L2TP_HDR_S | L2TP_HDR_O, 4, 2, 17, &hdr_len);
	KUNIT_EXPECT_EQ(test, l2tpsec_l2tp_parse(buf, len, &info), -EINVAL);
	mk_hdr(buf, L2TP_HDR_L | L2TP_HDR_S | L2TP_HDR_O, 4, 2, 18, &hdr_len);
	KUNIT_EXPECT_EQ(test, l2tpsec_l2tp_parse(buf, len, &info), 0);
	/* control message, length too long and too short */
	len = mk_hdr(buf, L2TP_HDR_T | L2TP_HDR_L | L2TP_HDR_S, 0, 20, 33,
		     &hdr_len);
	KUNIT_EXPECT_EQ(test, len, 32);
	KUNIT_EXPECT_EQ(test, l2tpsec_l2tp_parse(buf, len, &info), -EINVAL);
	mk_hdr(buf, L2TP_HDR_T | L2TP_HDR_L | L2TP_HDR_S, 0, 20, 11, &hdr_len);
	KUNIT_EXPECT_EQ(test, l2tpsec_l2tp_parse(buf, len, &info), -EINVAL);
	mk_hdr(buf, L2TP_HDR_T | L2TP_HDR_L | L2TP_HDR_S, 0, 20, 12, &hdr_len);
	KUNIT_EXPECT_EQ(test, l2tpsec_l2tp_parse(buf, len, &info), 0);
	KUNIT_EXPECT_EQ(test, info.hdr_len, 12);
	KUNIT_EXPECT_EQ(test, info.ns, NS);
	KUNIT_EXPECT_EQ(test, info.nr, NR);
}

static void l2tp_parse_offset(struct kunit *test)
{
	struct l2tp_hdr_info info;
	unsigned int hdr_len, len, off;
	u8 buf[300];

	for (off = 0; off <= 256; off += off < 8 ? 1 : 62) {
		len = mk_hdr(buf, L2TP_HDR_O, off, 4, -1, &hdr_len);
		KUNIT_EXPECT_EQ_MSG(test, l2tpsec_l2tp_parse(buf, len, &info),
				    0, "offset %u", off);
		KUNIT_EXPECT_EQ_MSG(test, info.hdr_len, 8 + off, "offset %u",
				    off);
		/* offset pad running exactly to the end: empty payload */
		KUNIT_EXPECT_EQ(test, l2tpsec_l2tp_parse(buf, len - 4, &info),
				0);
		/* one byte of pad missing */
		KUNIT_EXPECT_EQ_MSG(test,
				    l2tpsec_l2tp_parse(buf, len - 5, &info),
				    -EINVAL, "offset %u truncated", off);
	}
	/* an offset size pointing far past the buffer */
	len = mk_hdr(buf, L2TP_HDR_O, 0, 4, -1, &hdr_len);
	buf[6] = 0xff;
	buf[7] = 0xff;
	KUNIT_EXPECT_EQ(test, l2tpsec_l2tp_parse(buf, len, &info), -EINVAL);
}

static void l2tp_parse_control_without_l_or_s(struct kunit *test)
{
	static const u8 no_l[] = { 0x88, 0x02, 0x12, 0x34, 0xab, 0xcd,
				   0, 1, 0, 2 };
	static const u8 no_s[] = { 0xc0, 0x02, 0x00, 0x08, 0x12, 0x34,
				   0xab, 0xcd };
	static const u8 ok[] = { 0xc8, 0x02, 0x00, 0x0c, 0x12, 0x34,
				 0xab, 0xcd, 0x00, 0x01, 0x00, 0x02 };
	static const u8 with_o[] = { 0xca, 0x02, 0x00, 0x0e, 0x12, 0x34,
				     0xab, 0xcd, 0x00, 0x01, 0x00, 0x02,
				     0x00, 0x00 };
	struct l2tp_hdr_info info;

	KUNIT_EXPECT_EQ(test, l2tpsec_l2tp_parse(no_l, sizeof(no_l), &info),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, l2tpsec_l2tp_parse(no_s, sizeof(no_s), &info),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, l2tpsec_l2tp_parse(with_o, sizeof(with_o), &info),
			-EINVAL);
	KUNIT_ASSERT_EQ(test, l2tpsec_l2tp_parse(ok, sizeof(ok), &info), 0);
	KUNIT_EXPECT_EQ(test, info.flags, 0xc802);
	KUNIT_EXPECT_EQ(test, info.length, 12);
	KUNIT_EXPECT_EQ(test, info.tunnel_id, 0x1234);
	KUNIT_EXPECT_EQ(test, info.session_id, 0xabcd);
	KUNIT_EXPECT_EQ(test, info.ns, 1);
	KUNIT_EXPECT_EQ(test, info.nr, 2);
	KUNIT_EXPECT_EQ(test, info.hdr_len, 12);
	/* a ZLB (header only) is a valid control message */
}

static void l2tp_build_fixed_bytes(struct kunit *test)
{
	static const struct {
		bool l, s;
		u8 bytes[L2TP_HDR_MAX_TX];
		unsigned int len;
	} cases[] = {
		{ false, false, { 0x00, 0x02, 0x12, 0x34, 0xab, 0xcd }, 6 },
		{ true, false, { 0x40, 0x02, 0x00, 0x2a, 0x12, 0x34, 0xab,
				 0xcd }, 8 },
		{ false, true, { 0x08, 0x02, 0x12, 0x34, 0xab, 0xcd, 0xfe,
				 0xdc, 0x00, 0x00 }, 10 },
		{ true, true, { 0x48, 0x02, 0x00, 0x2a, 0x12, 0x34, 0xab,
				0xcd, 0xfe, 0xdc, 0x00, 0x00 }, 12 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		u8 buf[L2TP_HDR_MAX_TX + 4];
		unsigned int n;

		memset(buf, 0x77, sizeof(buf));
		n = l2tpsec_l2tp_build(buf, 0x1234, 0xabcd, cases[i].l, 42,
				       cases[i].s, 0xfedc);
		KUNIT_EXPECT_EQ(test, n, cases[i].len);
		KUNIT_EXPECT_EQ(test, l2tpsec_l2tp_hdr_len(cases[i].l,
							   cases[i].s),
				cases[i].len);
		KUNIT_EXPECT_MEMEQ_MSG(test, buf, cases[i].bytes, cases[i].len,
				       "L=%d S=%d", cases[i].l, cases[i].s);
		/* nothing written past the header */
		KUNIT_EXPECT_EQ(test, buf[cases[i].len], 0x77);
	}
	KUNIT_EXPECT_LE(test, l2tpsec_l2tp_hdr_len(true, true),
			(unsigned int)L2TP_HDR_MAX_TX);
}

static void l2tp_build_parse_round_trip(struct kunit *test)
{
	static const u16 ids[] = { 0, 1, 0x7fff, 0x8000, 0xffff };
	const unsigned int n_ids = ARRAY_SIZE(ids);
	unsigned int i;
	u8 buf[32];

	/* for each L bit l, S bit s, tunnel id index t, session id index x */
	for (i = 0; i < 2 * 2 * n_ids * n_ids; i++) {
		unsigned int l = i / (2 * n_ids * n_ids);
		unsigned int s = i / (n_ids * n_ids) % 2;
		unsigned int t = i / n_ids % n_ids;
		unsigned int x = i % n_ids;
		struct l2tp_hdr_info info;
		unsigned int n, total;

		n = l2tpsec_l2tp_build(buf, ids[t], ids[x], l, 0, s,
				       ids[x] ^ 0x5555);
		total = n + 7;
		memset(buf + n, 0xaa, 7);
		if (l)	/* rewrite the length now that it is known */
			n = l2tpsec_l2tp_build(buf, ids[t], ids[x], l, total,
					       s, ids[x] ^ 0x5555);
		KUNIT_ASSERT_EQ(test, l2tpsec_l2tp_parse(buf, total, &info), 0);
		KUNIT_EXPECT_EQ(test, info.hdr_len, n);
		KUNIT_EXPECT_EQ(test, info.tunnel_id, ids[t]);
		KUNIT_EXPECT_EQ(test, info.session_id, ids[x]);
		KUNIT_EXPECT_EQ(test, !!(info.flags & L2TP_HDR_L), l);
		KUNIT_EXPECT_EQ(test, !!(info.flags & L2TP_HDR_S), s);
		KUNIT_EXPECT_EQ(test, info.flags & L2TP_HDR_T, 0);
		KUNIT_EXPECT_EQ(test, info.length, l ? total : 0);
		KUNIT_EXPECT_EQ(test, info.ns, s ? ids[x] ^ 0x5555 : 0);
		KUNIT_EXPECT_EQ(test, info.nr, 0);
	}
}

static struct kunit_case l2tp_codec_cases[] = {
	KUNIT_CASE(l2tp_parse_all_flag_combinations),
	KUNIT_CASE(l2tp_parse_short_buffers),
	KUNIT_CASE(l2tp_parse_version),
	KUNIT_CASE(l2tp_parse_reserved_bits),
	KUNIT_CASE(l2tp_parse_length_field),
	KUNIT_CASE(l2tp_parse_offset),
	KUNIT_CASE(l2tp_parse_control_without_l_or_s),
	KUNIT_CASE(l2tp_build_fixed_bytes),
	KUNIT_CASE(l2tp_build_parse_round_trip),
	{}
};

static struct kunit_suite l2tp_codec_suite = {
	.name = "l2tpsec_l2tp_codec",
	.test_cases = l2tp_codec_cases,
};

kunit_test_suites(&l2tp_codec_suite);
