// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: reading the kernel's error answers (NLMSG_ERROR and
 * NLMSG_DONE with extended ACK attributes) and reporting them, with the
 * rejected attribute named from the request.
 */
#include <limits.h>

#include "helpers.h"
#include "names.h"

/* An answer as the kernel's netlink_ack() lays it out. */
struct answer {
	union {
		struct nlmsghdr	nlh;
		uint8_t		bytes[4096];
	};
	size_t	len;
};

static void answer_init(struct answer *a, uint16_t type, uint16_t flags)
{
	memset(a, 0, sizeof(*a));
	a->nlh.nlmsg_type = type;
	a->nlh.nlmsg_flags = flags;
	a->nlh.nlmsg_seq = 77;
	a->len = NLMSG_HDRLEN;
}

static void answer_put(struct answer *a, const void *data, size_t len)
{
	assert_true(a->len + len <= sizeof(a->bytes));
	memcpy(a->bytes + a->len, data, len);
	a->len += NLMSG_ALIGN(len);
	a->nlh.nlmsg_len = (uint32_t)a->len;
}

static void answer_tlv(struct answer *a, uint16_t type, const void *data,
		       size_t len)
{
	struct nlattr *nla = (struct nlattr *)(a->bytes + a->len);

	assert_true(a->len + NLA_ALIGN(NLA_HDRLEN + len) <= sizeof(a->bytes));
	nla->nla_len = (uint16_t)(NLA_HDRLEN + len);
	nla->nla_type = type;
	memcpy((uint8_t *)nla + NLA_HDRLEN, data, len);
	a->len += NLA_ALIGN(nla->nla_len);
	a->nlh.nlmsg_len = (uint32_t)a->len;
}

static void answer_u32(struct answer *a, uint16_t type, uint32_t v)
{
	answer_tlv(a, type, &v, sizeof(v));
}

/* NLMSG_ERROR for @req: capped (header only) or with the whole request. */
static void answer_error(struct answer *a, struct nl_msg *req, int error,
			 bool capped)
{
	struct nlmsghdr *rq = nlmsg_hdr(req);
	struct nlmsgerr e = { .error = error, .msg = *rq };

	answer_init(a, NLMSG_ERROR, NLM_F_ACK_TLVS |
		    (capped ? NLM_F_CAPPED : 0));
	answer_put(a, &e, sizeof(e));
	/* nlmsgerr holds the request's header; its payload follows. */
	if (!capped)
		answer_put(a, (uint8_t *)rq + NLMSG_HDRLEN,
			   rq->nlmsg_len - NLMSG_HDRLEN);
}

/* Byte offset, in @req, of attribute @type inside top-level nest @nest. */
static uint32_t offset_of(struct nl_msg *req, int nest, int type)
{
	struct nlattr *tb[L2TPSEC_A_MAX + 1];
	struct nlattr *inner;
	struct nlmsghdr *nlh = nlmsg_hdr(req);

	assert_int_equal(genlmsg_parse(nlh, 0, tb, L2TPSEC_A_MAX, NULL), 0);
	assert_non_null(tb[nest]);
	if (!type)
		return (uint32_t)((uint8_t *)tb[nest] - (uint8_t *)nlh);
	inner = nla_find(nla_data(tb[nest]), nla_len(tb[nest]), type);
	assert_non_null(inner);
	return (uint32_t)((uint8_t *)inner - (uint8_t *)nlh);
}

static struct nl_msg *sa_add_request(struct capture *cap)
{
	struct nl_msg *msg;

	assert_int_equal(BUILD(cap, &msg, "sa", "add", "l2tpsec0", "spi",
			       "0x100", "dir", "in", "peer", "1", "cipher",
			       "aes-gcm", "key", "00112233"), 0);
	cap->c.cmd = "sa add";
	return msg;
}

static void test_error_capped(void **state)
{
	static const char text[] = "key length 4 invalid for aes-gcm";
	struct l2nl_error err;
	struct capture cap;
	struct answer a;
	struct nl_msg *req;
	uint32_t offs;

	(void)state;
	capture_start(&cap);
	req = sa_add_request(&cap);
	offs = offset_of(req, L2TPSEC_A_SA, L2TPSEC_A_SA_ENC_KEY);

	answer_error(&a, req, -EINVAL, true);
	answer_tlv(&a, NLMSGERR_ATTR_MSG, text, sizeof(text));
	answer_u32(&a, NLMSGERR_ATTR_OFFS, offs);

	assert_int_equal(l2nl_parse_error(&a.nlh, &err), -EINVAL);
	assert_int_equal(err.error, EINVAL);
	assert_string_equal(err.msg, text);
	assert_true(err.has_offs);
	assert_int_equal(err.offs, offs);
	assert_false(err.has_miss_type);

	cli_report(&cap.c, &err, req);
	capture_sync(&cap);
	assert_string_equal(cap.err,
		"l2tpsec: sa add: Invalid argument: key length 4 invalid for "
		"aes-gcm (attribute sa enc-key)\n");
	nlmsg_free(req);
	capture_end(&cap);
}

static void test_error_uncapped(void **state)
{
	static const char text[] = "SPI already in use";
	struct l2nl_error err;
	struct capture cap;
	struct answer a;
	struct nl_msg *req;

	(void)state;
	capture_start(&cap);
	req = sa_add_request(&cap);
	answer_error(&a, req, -EEXIST, false);
	answer_tlv(&a, NLMSGERR_ATTR_MSG, text, sizeof(text));
	answer_u32(&a, NLMSGERR_ATTR_OFFS,
		   offset_of(req, L2TPSEC_A_SA, L2TPSEC_A_SA_SPI));

	assert_int_equal(l2nl_parse_error(&a.nlh, &err), -EEXIST);
	assert_string_equal(err.msg, text);
	cli_report(&cap.c, &err, req);
	capture_sync(&cap);
	assert_string_equal(cap.err,
		"l2tpsec: sa add: File exists: SPI already in use (attribute sa spi)\n");
	nlmsg_free(req);
	capture_end(&cap);
}

static void test_error_missing(void **state)
{
	struct l2nl_error err;
	struct capture cap;
	struct answer a;
	struct nl_msg *req;

	(void)state;
	capture_start(&cap);
	req = sa_add_request(&cap);
	answer_error(&a, req, -EINVAL, true);
	answer_u32(&a, NLMSGERR_ATTR_MISS_TYPE, L2TPSEC_A_SA_REPLAY_WINDOW);
	answer_u32(&a, NLMSGERR_ATTR_MISS_NEST,
		   offset_of(req, L2TPSEC_A_SA, 0));

	assert_int_equal(l2nl_parse_error(&a.nlh, &err), -EINVAL);
	assert_string_equal(err.msg, "");
	assert_true(err.has_miss_type && err.has_miss_nest);
	cli_report(&cap.c, &err, req);
	capture_sync(&cap);
	assert_string_equal(cap.err,
		"l2tpsec: sa add: Invalid argument (missing attribute sa replay-window)\n");
	nlmsg_free(req);
	capture_end(&cap);

	/* Missing at the top level. */
	capture_start(&cap);
	req = sa_add_request(&cap);
	answer_error(&a, req, -EINVAL, true);
	answer_u32(&a, NLMSGERR_ATTR_MISS_TYPE, L2TPSEC_A_IFINDEX);
	assert_int_equal(l2nl_parse_error(&a.nlh, &err), -EINVAL);
	cli_report(&cap.c, &err, req);
	capture_sync(&cap);
	assert_string_equal(cap.err,
		"l2tpsec: sa add: Invalid argument (missing attribute ifindex)\n");
	nlmsg_free(req);
	capture_end(&cap);
}

static void test_error_plain(void **state)
{
	struct l2nl_error err;
	struct capture cap;
	struct answer a;
	struct nl_msg *req;

	(void)state;
	capture_start(&cap);
	req = sa_add_request(&cap);
	answer_error(&a, req, -EPERM, true);
	a.nlh.nlmsg_flags &= ~NLM_F_ACK_TLVS;
	assert_int_equal(l2nl_parse_error(&a.nlh, &err), -EPERM);
	assert_int_equal(err.error, EPERM);
	assert_false(err.has_offs);
	cli_report(&cap.c, &err, req);
	capture_sync(&cap);
	assert_string_equal(cap.err,
			    "l2tpsec: sa add: Operation not permitted\n");
	nlmsg_free(req);
	capture_end(&cap);
}

static void test_ack_and_done(void **state)
{
	static const char text[] = "no such device";
	struct nlmsgerr ack = { .error = 0 };
	struct l2nl_error err;
	struct answer a;
	int error = -ENODEV;

	(void)state;
	answer_init(&a, NLMSG_ERROR, NLM_F_CAPPED);
	answer_put(&a, &ack, sizeof(ack));
	assert_int_equal(l2nl_parse_error(&a.nlh, &err), 0);
	assert_int_equal(err.error, 0);

	/* A dump that failed: NLMSG_DONE carries the error. */
	answer_init(&a, NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS);
	answer_put(&a, &error, sizeof(error));
	answer_tlv(&a, NLMSGERR_ATTR_MSG, text, sizeof(text));
	assert_int_equal(l2nl_parse_error(&a.nlh, &err), -ENODEV);
	assert_int_equal(err.error, ENODEV);
	assert_string_equal(err.msg, text);

	/* A dump that ended well. */
	error = 0;
	answer_init(&a, NLMSG_DONE, NLM_F_MULTI);
	answer_put(&a, &error, sizeof(error));
	assert_int_equal(l2nl_parse_error(&a.nlh, &err), 0);
}

static void test_malformed(void **state)
{
	static const char unterminated[4] = { 'a', 'b', 'c', 'd' };
	struct nlmsgerr e = { .error = -EINVAL };
	struct l2nl_error err;
	struct answer a;

	(void)state;
	/* Shorter than struct nlmsgerr. */
	answer_init(&a, NLMSG_ERROR, 0);
	answer_put(&a, &e, 8);
	assert_int_equal(l2nl_parse_error(&a.nlh, &err), -EBADMSG);

	/* Not an error message. */
	answer_init(&a, 0x20, 0);
	assert_int_equal(l2nl_parse_error(&a.nlh, &err), -EBADMSG);

	/* An error code no errno is (found by fuzz/nl_objects: INT_MIN was
	 * negated, undefined behaviour): malformed, and a failure, not an
	 * ACK, for the caller that only looks at err.error. */
	e.error = INT_MIN;
	answer_init(&a, NLMSG_ERROR, NLM_F_CAPPED);
	answer_put(&a, &e, sizeof(e));
	assert_int_equal(l2nl_parse_error(&a.nlh, &err), -EBADMSG);
	assert_int_equal(err.error, EBADMSG);
	e.error = 5000;
	answer_init(&a, NLMSG_ERROR, NLM_F_CAPPED);
	answer_put(&a, &e, sizeof(e));
	assert_int_equal(l2nl_parse_error(&a.nlh, &err), -EBADMSG);
	assert_int_equal(err.error, EBADMSG);
	e.error = -EINVAL;

	/* A message attribute without its NUL: the error stays, text goes. */
	answer_init(&a, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS);
	answer_put(&a, &e, sizeof(e));
	answer_tlv(&a, NLMSGERR_ATTR_MSG, unterminated, sizeof(unterminated));
	assert_int_equal(l2nl_parse_error(&a.nlh, &err), -EINVAL);
	assert_string_equal(err.msg, "");

	/* TLV flag set, no room for TLVs. */
	answer_init(&a, NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS);
	answer_put(&a, &e, sizeof(e));
	assert_int_equal(l2nl_parse_error(&a.nlh, &err), -EINVAL);
}

static void test_attr_names(void **state)
{
	struct capture cap;
	struct nl_msg *req;
	char buf[64];

	(void)state;
	capture_start(&cap);
	req = sa_add_request(&cap);
	assert_int_equal(l2_attr_at(nlmsg_hdr(req),
				    NLMSG_HDRLEN + GENL_HDRLEN, buf,
				    sizeof(buf)), 0);
	assert_string_equal(buf, "ifname");
	assert_int_equal(l2_attr_at(nlmsg_hdr(req),
				    offset_of(req, L2TPSEC_A_SA, 0), buf,
				    sizeof(buf)), 0);
	assert_string_equal(buf, "sa");
	assert_int_equal(l2_attr_at(nlmsg_hdr(req),
				    offset_of(req, L2TPSEC_A_SA,
					      L2TPSEC_A_SA_CIPHER),
				    buf, sizeof(buf)), 0);
	assert_string_equal(buf, "sa cipher");
	/* Inside an attribute's data, or past the end: nothing. */
	assert_int_equal(l2_attr_at(nlmsg_hdr(req),
				    NLMSG_HDRLEN + GENL_HDRLEN + 5, buf,
				    sizeof(buf)), -ENOENT);
	assert_int_equal(l2_attr_at(nlmsg_hdr(req), 100000, buf, sizeof(buf)),
			 -ENOENT);
	assert_string_equal(buf, "");
	nlmsg_free(req);
	capture_end(&cap);
}

static void test_lib_error_report(void **state)
{
	struct l2nl_error err = { .lib = NLE_NOMEM };
	struct capture cap;

	(void)state;
	capture_start(&cap);
	cap.c.cmd = "show";
	cli_report(&cap.c, &err, NULL);
	capture_sync(&cap);
	assert_string_equal(cap.err, "l2tpsec: show: netlink: Out of memory\n");
	capture_end(&cap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_capped),
		cmocka_unit_test(test_error_uncapped),
		cmocka_unit_test(test_error_missing),
		cmocka_unit_test(test_error_plain),
		cmocka_unit_test(test_ack_and_done),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_attr_names),
		cmocka_unit_test(test_lib_error_report),
	};

	return cmocka_run_group_tests_name("extack", tests, NULL, NULL);
}
