// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test: key material does not stay behind in the daemon's netlink
 * buffers (issue 11, item 9). The real kmod.c is compiled in (its request
 * and notification paths are static); l2nl_do() and nlmsg_free() are
 * wrapped at link time (-Wl,--wrap, see core.mk), so no module is needed:
 * the wrapped l2nl_do() checks the request carried the secret, the
 * wrapped nlmsg_free() looks for it in the buffer being freed.
 *
 *   SA_NEW with ESP keys (kmod_sa_add): the keys must be gone when the
 *   request buffer is freed.
 *   A PPP frame we send (kmod_send_ppp: a PAP Authenticate-Request with
 *   the password): the same.
 *   A PPP frame the module hands us (on_notify: the client's PAP
 *   password, in libnl's receive buffer): wiped once handled.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kmod.c"

static const uint8_t SECRET[16] = "S3cret-K3y-4-SA!";
static unsigned int left_behind, sent_with_secret;

static bool has_secret(const void *buf, size_t len)
{
	return memmem(buf, len, SECRET, sizeof(SECRET)) != NULL;
}

void __real_nlmsg_free(struct nl_msg *msg);
void __wrap_nlmsg_free(struct nl_msg *msg)
{
	if (msg && has_secret(nlmsg_hdr(msg), nlmsg_get_max_size(msg)))
		left_behind++;
	__real_nlmsg_free(msg);
}

int __wrap_l2nl_do(struct l2nl *nl, struct nl_msg *msg, l2nl_msg_fn fn,
		   void *arg, struct l2nl_error *err)
{
	(void)nl; (void)fn; (void)arg; (void)err;
	if (has_secret(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len))
		sent_with_secret++;
	return 0;
}

static void test_sa_keys_wiped(void **state)
{
	struct kmod k;
	uint8_t enc[32], auth[32];
	struct kmod_sa sa = {
		.spi = 0x1000, .dir = L2TPSEC_DIR_IN, .peer_id = 1,
		.cipher = 1, .integ = 1, .enc_key = enc, .enc_key_len = 32,
		.auth_key = auth, .auth_key_len = 32,
	};

	(void)state;
	memset(&k, 0, sizeof(k));
	k.req.family = 0x20;
	k.ifindex = 7;
	memset(enc, 0x11, sizeof(enc));
	memcpy(enc + 8, SECRET, sizeof(SECRET));
	memset(auth, 0x22, sizeof(auth));
	memcpy(auth, SECRET, sizeof(SECRET));
	left_behind = sent_with_secret = 0;
	assert_int_equal(kmod_sa_add(&k, &sa), 0);
	assert_int_equal(sent_with_secret, 1);
	assert_int_equal(left_behind, 0);
}

static void test_sent_ppp_frame_wiped(void **state)
{
	struct kmod k;
	uint8_t pap[64] = { 0xc0, 0x23, 1, 7, 0, 4 + 1 + 5 + 1 + 16,
			    5, 'a', 'l', 'i', 'c', 'e', 16 };

	(void)state;
	memset(&k, 0, sizeof(k));
	k.req.family = 0x20;
	k.ifindex = 7;
	memcpy(pap + 13, SECRET, sizeof(SECRET));
	left_behind = sent_with_secret = 0;
	assert_int_equal(kmod_send_ppp(&k, 1, 2, 3, pap, 13 + 16), 0);
	assert_int_equal(sent_with_secret, 1);
	assert_int_equal(left_behind, 0);
}

static unsigned int ppp_seen;

static void on_ppp(void *arg, uint32_t peer_id, uint16_t tunnel_id,
		   uint16_t session_id, const uint8_t *pkt, size_t len)
{
	(void)arg; (void)peer_id; (void)tunnel_id; (void)session_id;
	if (has_secret(pkt, len))
		ppp_seen++;
}

static void test_received_ppp_frame_wiped(void **state)
{
	struct kmod k;
	struct nl_msg *msg;
	struct nlattr *nest;
	uint8_t pap[64] = { 0xc0, 0x23, 1, 7, 0, 4 + 1 + 5 + 1 + 16,
			    5, 'a', 'l', 'i', 'c', 'e', 16 };

	(void)state;
	memset(&k, 0, sizeof(k));
	k.ev.family = 0x21;
	k.ifindex = 7;
	k.h.ppp = on_ppp;
	memcpy(pap + 13, SECRET, sizeof(SECRET));
	msg = l2nl_msg_new(0x21, L2TPSEC_CMD_FRAME, 0, 256);
	assert_non_null(msg);
	assert_int_equal(nla_put_u32(msg, L2TPSEC_A_IFINDEX, 7), 0);
	nest = nla_nest_start(msg, L2TPSEC_A_FRAME);
	assert_non_null(nest);
	assert_int_equal(nla_put_u8(msg, L2TPSEC_A_FRAME_KIND, L2TPSEC_FRAME_PPP), 0);
	assert_int_equal(nla_put_u32(msg, L2TPSEC_A_FRAME_PEER_ID, 1), 0);
	assert_int_equal(nla_put_u16(msg, L2TPSEC_A_FRAME_LOCAL_TUNNEL_ID, 2), 0);
	assert_int_equal(nla_put_u16(msg, L2TPSEC_A_FRAME_LOCAL_SESSION_ID, 3), 0);
	assert_int_equal(nla_put(msg, L2TPSEC_A_FRAME_PAYLOAD, 13 + 16, pap), 0);
	nla_nest_end(msg, nest);
	ppp_seen = 0;
	on_notify(nlmsg_hdr(msg), &k);
	assert_int_equal(ppp_seen, 1);
	assert_false(has_secret(nlmsg_hdr(msg), nlmsg_get_max_size(msg)));
	left_behind = 0;
	nlmsg_free(msg);
	assert_int_equal(left_behind, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sa_keys_wiped),
		cmocka_unit_test(test_sent_ppp_frame_wiped),
		cmocka_unit_test(test_received_ppp_frame_wiped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
