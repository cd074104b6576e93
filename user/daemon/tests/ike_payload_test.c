// SPDX-License-Identifier: GPL-2.0
/*
 * The ISAKMP codec: building a message and reading it back, and every
 * length check of the parser.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ike/payload.h"

static void build_msg(struct ike_buf *b)
{
	struct isakmp_hdr h = { .version = ISAKMP_VERSION,
				.exch = ISAKMP_XCHG_IDPROT, .msgid = 0 };
	size_t s, p, t;

	memset(h.icky, 0xaa, 8);
	ike_buf_init(b);
	ike_buf_hdr(b, &h);
	s = ike_buf_begin(b, ISAKMP_NP_SA);
	ike_buf_u32(b, IPSEC_DOI);
	ike_buf_u32(b, IPSEC_SIT_IDENTITY_ONLY);
	p = ike_buf_sub_begin(b, ISAKMP_NP_NONE);
	ike_buf_u8(b, 1);
	ike_buf_u8(b, PROTO_ISAKMP);
	ike_buf_u8(b, 0);
	ike_buf_u8(b, 2);
	t = ike_buf_sub_begin(b, ISAKMP_NP_T);
	ike_buf_u8(b, 1);
	ike_buf_u8(b, 1);
	ike_buf_u16(b, 0);
	ike_buf_attr_tv(b, 1, 7);
	ike_buf_attr_u32(b, 12, 86400);		/* TLV */
	ike_buf_attr_u32(b, 14, 256);		/* TV */
	ike_buf_end(b, t);
	t = ike_buf_sub_begin(b, ISAKMP_NP_NONE);
	ike_buf_u8(b, 2);
	ike_buf_u8(b, 1);
	ike_buf_u16(b, 0);
	ike_buf_attr_tv(b, 1, 5);
	ike_buf_end(b, t);
	ike_buf_end(b, p);
	ike_buf_end(b, s);
	ike_buf_payload(b, ISAKMP_NP_VID, "0123456789abcdef", 16);
	ike_buf_finish(b);
}

static void test_roundtrip(void **state)
{
	struct ike_buf b;
	struct isakmp_hdr h;
	struct ike_msg m;
	struct ike_iter pit, tit, ait;
	struct ike_prop pr;
	struct ike_trans t;
	struct ike_attr a;
	const char *why = NULL;
	uint32_t doi, sit;
	int n = 0;

	(void)state;
	build_msg(&b);
	assert_false(b.err);
	assert_int_equal(ike_hdr_parse(b.data, b.len, &h, &why), 0);
	assert_int_equal(h.np, ISAKMP_NP_SA);
	assert_int_equal(h.len, b.len);
	assert_int_equal(ike_chain_parse(h.np, b.data + 28, b.len - 28, false,
					 &m, &why), 0);
	assert_int_equal(m.n, 2);
	assert_int_equal(m.pl[1].type, ISAKMP_NP_VID);
	assert_int_equal(m.pl[1].len, 16);
	assert_int_equal(ike_msg_count(&m, ISAKMP_NP_VID), 1);
	assert_int_equal(ike_sa_parse(m.pl[0].body, m.pl[0].len, &doi, &sit,
				      &pit, &why), 0);
	assert_int_equal(ike_prop_next(&pit, &pr), 1);
	assert_int_equal(pr.ntrans, 2);
	ike_trans_iter(&pr, &tit);
	while (ike_trans_next(&tit, &t) > 0) {
		n++;
		ike_attr_iter(&t, &ait);
		assert_int_equal(ike_attr_next(&ait, &a), 1);
		assert_true(a.tv);
		assert_int_equal(a.type, 1);
		assert_int_equal(a.val, n == 1 ? 7 : 5);
		if (n == 1) {
			assert_int_equal(ike_attr_next(&ait, &a), 1);
			assert_false(a.tv);
			assert_int_equal(a.type, 12);
			assert_true(a.val_ok);
			assert_int_equal(a.val, 86400);
			assert_int_equal(ike_attr_next(&ait, &a), 1);
			assert_true(a.tv);
			assert_int_equal(a.val, 256);
		}
		assert_int_equal(ike_attr_next(&ait, &a), 0);
	}
	assert_int_equal(n, 2);
	assert_int_equal(ike_prop_next(&pit, &pr), 0);
	ike_buf_free(&b);
}

static void test_header_errors(void **state)
{
	struct ike_buf b;
	struct isakmp_hdr h;
	const char *why = NULL;

	(void)state;
	build_msg(&b);
	assert_int_not_equal(ike_hdr_parse(b.data, 27, &h, &why), 0);
	assert_non_null(why);
	assert_int_not_equal(ike_hdr_parse(b.data, b.len - 1, &h, &why), 0);
	assert_string_equal(why, "header length differs from the datagram's");
	ike_buf_free(&b);
}

static void test_chain_errors(void **state)
{
	uint8_t buf[64];
	struct ike_msg m;
	const char *why = NULL;

	(void)state;
	memset(buf, 0, sizeof(buf));
	/* payload length below 4 */
	buf[2] = 0;
	buf[3] = 3;
	assert_int_not_equal(ike_chain_parse(ISAKMP_NP_VID, buf, 8, false, &m,
					     &why), 0);
	/* longer than the message */
	buf[3] = 40;
	assert_int_not_equal(ike_chain_parse(ISAKMP_NP_VID, buf, 8, false, &m,
					     &why), 0);
	/* header truncated: next payload promised, nothing left */
	buf[0] = ISAKMP_NP_VID;
	buf[3] = 8;
	assert_int_not_equal(ike_chain_parse(ISAKMP_NP_VID, buf, 8, false, &m,
					     &why), 0);
	assert_string_equal(why, "payload header truncated");
	/* trailing bytes: only with padding allowed */
	buf[0] = 0;
	assert_int_not_equal(ike_chain_parse(ISAKMP_NP_VID, buf, 12, false, &m,
					     &why), 0);
	assert_int_equal(ike_chain_parse(ISAKMP_NP_VID, buf, 12, true, &m,
					 &why), 0);
	assert_int_equal(m.used, 8);
	/* a chain of 4-byte payloads longer than we keep */
	{
		uint8_t many[4 * (IKE_MAX_PAYLOADS + 2)];
		size_t i;

		for (i = 0; i < sizeof(many); i += 4) {
			many[i] = ISAKMP_NP_VID;
			many[i + 1] = 0;
			many[i + 2] = 0;
			many[i + 3] = 4;
		}
		many[sizeof(many) - 4] = 0;
		assert_int_not_equal(ike_chain_parse(ISAKMP_NP_VID, many,
						     sizeof(many), false, &m,
						     &why), 0);
		assert_string_equal(why, "too many payloads");
	}
}

static void test_sa_errors(void **state)
{
	/* SA: DOI, SIT, proposal claiming 'more follow' at its end */
	uint8_t sa[] = {
		0, 0, 0, 1, 0, 0, 0, 1,
		ISAKMP_NP_P, 0, 0, 8, 1, 1, 0, 1,
	};
	uint8_t sa2[] = {
		0, 0, 0, 1, 0, 0, 0, 1,
		0, 0, 0, 12, 1, 1, 8, 1, 0, 0, 0, 0,	/* SPI past the end */
	};
	struct ike_iter it;
	struct ike_prop p;
	const char *why = NULL;
	uint32_t doi, sit;

	(void)state;
	assert_int_equal(ike_sa_parse(sa, sizeof(sa), &doi, &sit, &it, &why), 0);
	assert_int_equal(ike_prop_next(&it, &p), -EBADMSG);	/* no transforms */
	assert_int_equal(ike_sa_parse(sa2, sizeof(sa2), &doi, &sit, &it, &why), 0);
	assert_int_equal(ike_prop_next(&it, &p), -EBADMSG);
	assert_non_null(it.err);
	sa[3] = 2;	/* DOI */
	assert_int_not_equal(ike_sa_parse(sa, sizeof(sa), &doi, &sit, &it, &why), 0);
	assert_int_not_equal(ike_sa_parse(sa, 7, &doi, &sit, &it, &why), 0);
}

static void test_attr_errors(void **state)
{
	uint8_t t1[] = { 0, 0, 0, 8, 1, 1, 0, 0,
			 0x00, 0x0c, 0x00, 0x08, 0, 0, 0, 0, 0, 1, 0x51, 0x80 };
	uint8_t t2[] = { 0, 0, 0, 8, 1, 1, 0, 0, 0x00, 0x0c, 0x00, 0x09, 1 };
	struct ike_trans t = { .attrs = t1 + 8, .attrs_len = sizeof(t1) - 8 };
	struct ike_iter it;
	struct ike_attr a;

	(void)state;
	/* An 8-byte duration with zero high bytes is a number. */
	ike_attr_iter(&t, &it);
	assert_int_equal(ike_attr_next(&it, &a), 1);
	assert_true(a.val_ok);
	assert_int_equal(a.val, 86400);
	t1[12] = 1;
	ike_attr_iter(&t, &it);
	assert_int_equal(ike_attr_next(&it, &a), 1);
	assert_false(a.val_ok);
	/* A value longer than the transform. */
	t.attrs = t2 + 8;
	t.attrs_len = sizeof(t2) - 8;
	ike_attr_iter(&t, &it);
	assert_int_equal(ike_attr_next(&it, &a), -EBADMSG);
	/* A truncated attribute header. */
	t.attrs_len = 3;
	ike_attr_iter(&t, &it);
	assert_int_equal(ike_attr_next(&it, &a), -EBADMSG);
}

static void test_bodies(void **state)
{
	uint8_t id[] = { ID_IPV4_ADDR, 17, 0x06, 0xa5, 192, 0, 2, 1 };
	uint8_t fq[] = { ID_FQDN, 0, 0, 0, 'v', 'p', 'n', '\n' };
	uint8_t n[] = { 0, 0, 0, 1, 1, 16, 0x60, 0x02,
			1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	uint8_t d[] = { 0, 0, 0, 1, 3, 4, 0, 2, 1, 2, 3, 4, 5, 6, 7, 8 };
	uint8_t oa[] = { ID_IPV4_ADDR, 0, 0, 0, 10, 0, 0, 5 };
	uint8_t fr[] = { 0, 1, 2, 1, 'x' };
	struct ike_id i;
	struct ike_notify nt;
	struct ike_delete de;
	struct ike_natoa o;
	struct ike_frag f;
	const char *why = NULL;
	char s[64];

	(void)state;
	assert_int_equal(ike_id_parse(id, sizeof(id), &i, &why), 0);
	assert_int_equal(i.port, 1701);
	ike_id_str(&i, s, sizeof(s));
	assert_string_equal(s, "192.0.2.1");
	assert_int_not_equal(ike_id_parse(id, sizeof(id) - 1, &i, &why), 0);
	assert_int_equal(ike_id_parse(fq, sizeof(fq), &i, &why), 0);
	ike_id_str(&i, s, sizeof(s));
	assert_string_equal(s, "vpn?");	/* no control characters in logs */
	assert_int_equal(ike_notify_parse(n, sizeof(n), &nt, &why), 0);
	assert_int_equal(nt.type, N_INITIAL_CONTACT);
	assert_int_equal(nt.spi_size, 16);
	assert_int_equal(nt.data_len, 0);
	n[5] = 17;
	assert_int_not_equal(ike_notify_parse(n, sizeof(n), &nt, &why), 0);
	assert_int_equal(ike_delete_parse(d, sizeof(d), &de, &why), 0);
	assert_int_equal(de.nspi, 2);
	d[7] = 3;
	assert_int_not_equal(ike_delete_parse(d, sizeof(d), &de, &why), 0);
	assert_int_equal(ike_natoa_parse(oa, sizeof(oa), &o, &why), 0);
	assert_int_not_equal(ike_natoa_parse(oa, 7, &o, &why), 0);
	assert_int_equal(ike_frag_parse(fr, sizeof(fr), &f, &why), 0);
	assert_true(f.last);
	assert_int_equal(f.num, 2);
	fr[2] = 0;
	assert_int_not_equal(ike_frag_parse(fr, sizeof(fr), &f, &why), 0);
	assert_string_equal(ike_notify_name(N_NO_PROPOSAL_CHOSEN),
			    "NO-PROPOSAL-CHOSEN");
	assert_string_equal(ike_notify_name(N_DPD_R_U_THERE_ACK),
			    "R-U-THERE-ACK");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_chain_errors),
		cmocka_unit_test(test_sa_errors),
		cmocka_unit_test(test_attr_errors),
		cmocka_unit_test(test_bodies),
	};

	return cmocka_run_group_tests_name("ike_payload", tests, NULL, NULL);
}
