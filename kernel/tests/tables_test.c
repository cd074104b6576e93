// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the peer, SA and session tables, on a real l2tpsec device.
 *
 * Each test creates an l2tpsec net_device in init_net the way rtnetlink
 * does (alloc_netdev with l2tpsec_link_ops.setup, then ->newlink under
 * RTNL) and removes it with ->dellink + unregister_netdevice_many(), so
 * every object goes through the module's real create, lookup and delete
 * paths, under the locks they assert (ldev->lock, RCU).
 *
 * Covered: peers (ids, duplicates, validation), SAs (inbound SPI table per
 * netns, outbound per peer, duplicates, SPI 0, unknown peer, replay window
 * sizes, lifetimes and sequence number exhaustion, the MTU the device
 * derives from them), sessions (keys, routes by
 * IPv4 address and IPv6 prefix, the single-session fallback, duplicates,
 * deletion with the peer), and the receive path end to end: ESP packets
 * from the independent vectors of esp_kat_test.c (two of them copied
 * here: gcm128 and cbc128_sha1, same generator) go through
 * l2tpsec_esp_input() on an SA with the vector's keys; the counters show
 * that the module decrypted, authenticated, replay-checked and parsed
 * them down to the session.
 */
#include <crypto/aead.h>
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <net/rtnetlink.h>

#include "l2tpsec.h"

struct tbl_vec {
	const char	*name;
	u8		cipher, integ;
	u8		icv_len, iv_len, block_size;
	u32		spi, seq;
	unsigned int	enc_key_len, auth_key_len, plain_len, pkt_len;
	u8		enc_key[36];
	u8		auth_key[64];
	u8		plain[64];
	u8		pkt[128];
};

/* From the generator in esp_kat_test.c (gcm128 and cbc128_sha1). */
static const struct tbl_vec tbl_vectors[] = {
	{
		.name = "gcm128",
		.cipher = L2TPSEC_CIPHER_AES_GCM,
		.integ = L2TPSEC_INTEG_NONE,
		.icv_len = 16, .iv_len = 8, .block_size = 4,
		.spi = 0xc0de0000, .seq = 0x00000001,
		.enc_key_len = 20, .enc_key = {
		0x70, 0xca, 0x1e, 0xad, 0x25, 0x49, 0x53, 0x04, 0x48, 0x1e, 0x55, 0x02,
		0x60, 0xf6, 0x3b, 0xca, 0x61, 0x8e, 0x4a, 0x44 },
		.plain_len = 37, .plain = {
		0x06, 0xa5, 0x06, 0xa5, 0x00, 0x25, 0x00, 0x00, 0x00, 0x02, 0x01, 0x00,
		0x02, 0x00, 0xff, 0x03, 0x00, 0x21, 0x03, 0x0a, 0x11, 0x18, 0x1f, 0x26,
		0x2d, 0x34, 0x3b, 0x42, 0x49, 0x50, 0x57, 0x5e, 0x65, 0x6c, 0x73, 0x7a,
		0x81 },
		.pkt_len = 72, .pkt = {
		0xc0, 0xde, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x70, 0x65, 0xac, 0x44,
		0x90, 0xef, 0xaa, 0x32, 0xd8, 0xfc, 0x93, 0x4f, 0x37, 0xe9, 0x5d, 0xb2,
		0xbf, 0x19, 0x96, 0xac, 0x3f, 0x08, 0x18, 0x8b, 0x44, 0x60, 0x8b, 0xc0,
		0xfb, 0x77, 0x95, 0xbf, 0x08, 0x55, 0x9c, 0xe5, 0xd1, 0x54, 0x1a, 0x36,
		0x13, 0xec, 0xd8, 0xd5, 0x4b, 0xd2, 0x82, 0x7a, 0xe5, 0x9c, 0x88, 0x10,
		0x44, 0xce, 0xff, 0xaa, 0x4b, 0x3d, 0xab, 0xd4, 0xf0, 0xaf, 0xf3, 0x49 },
	},
	{
		.name = "cbc128_sha1",
		.cipher = L2TPSEC_CIPHER_AES_CBC,
		.integ = L2TPSEC_INTEG_HMAC_SHA1,
		.icv_len = 12, .iv_len = 16, .block_size = 16,
		.spi = 0xc0de0004, .seq = 0xfffffffe,
		.enc_key_len = 16, .enc_key = {
		0xb1, 0xa5, 0xc3, 0x28, 0xdf, 0xe1, 0x61, 0xea, 0xba, 0xf4, 0x5c, 0xd2,
		0x1c, 0xb0, 0x1f, 0x0a },
		.auth_key_len = 20, .auth_key = {
		0x89, 0x03, 0x63, 0xb4, 0xa7, 0x00, 0x84, 0xa1, 0xfa, 0x4b, 0xe7, 0x7d,
		0xe2, 0xe2, 0xad, 0xa2, 0xe8, 0xd1, 0x05, 0x81 },
		.plain_len = 37, .plain = {
		0x06, 0xa5, 0x06, 0xa5, 0x00, 0x25, 0x00, 0x00, 0x00, 0x02, 0x01, 0x04,
		0x02, 0x04, 0xff, 0x03, 0x00, 0x21, 0x03, 0x0a, 0x11, 0x18, 0x1f, 0x26,
		0x2d, 0x34, 0x3b, 0x42, 0x49, 0x50, 0x57, 0x5e, 0x65, 0x6c, 0x73, 0x7a,
		0x81 },
		.pkt_len = 84, .pkt = {
		0xc0, 0xde, 0x00, 0x04, 0xff, 0xff, 0xff, 0xfe, 0x00, 0x02, 0xba, 0xcd,
		0x06, 0x29, 0x94, 0xec, 0x72, 0x98, 0xdf, 0x25, 0xf4, 0x48, 0x9a, 0x41,
		0xfb, 0xe7, 0xe5, 0x2d, 0xe9, 0x69, 0x1a, 0xb9, 0x84, 0x52, 0x2d, 0xb5,
		0x51, 0x11, 0x8f, 0xf6, 0x8d, 0x2f, 0x69, 0xde, 0x88, 0xa0, 0xf7, 0x5a,
		0xb4, 0x85, 0x92, 0x49, 0x04, 0xf1, 0xea, 0x32, 0x03, 0x79, 0x37, 0x6b,
		0xb0, 0xa4, 0x18, 0xa8, 0xd4, 0x6b, 0xf2, 0xf3, 0xf4, 0x93, 0x5f, 0x9b,
		0x8b, 0xb5, 0x65, 0x52, 0x11, 0x6f, 0xf3, 0x87, 0xb1, 0xf5, 0x84, 0x48 },
	},
};

#define PEER_REMOTE	cpu_to_be32(0xc6336402)	/* 198.51.100.2 */
#define PEER_LOCAL	cpu_to_be32(0xc0000201)	/* 192.0.2.1 */

static struct l2tpsec_dev *tbl_dev_create(struct kunit *test)
{
	struct nlattr *tb[IFLA_MAX + 1] = { };
	struct net_device *dev;
	int err;

	dev = alloc_netdev(l2tpsec_link_ops.priv_size, "l2tpsec_kt%d",
			   NET_NAME_ENUM, l2tpsec_link_ops.setup);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	dev_net_set(dev, &init_net);
	dev->rtnl_link_ops = &l2tpsec_link_ops;
	rtnl_lock();
	err = l2tpsec_link_ops.newlink(&init_net, dev, tb, NULL, NULL);
	rtnl_unlock();
	if (err)
		free_netdev(dev);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_EXPECT_TRUE(test, l2tpsec_is_dev(dev));
	return netdev_priv(dev);
}

static void tbl_dev_destroy(struct l2tpsec_dev *ldev)
{
	LIST_HEAD(list);

	rtnl_lock();
	l2tpsec_link_ops.dellink(ldev->dev, &list);
	unregister_netdevice_many(&list);
	rtnl_unlock();
}

static int tbl_peer(struct l2tpsec_dev *ldev, u32 id, u8 encap)
{
	struct l2tpsec_peer_config cfg = {
		.id = id, .encap = encap,
		.local = PEER_LOCAL, .remote = PEER_REMOTE,
		.local_port = 4500, .remote_port = 4500,
	};
	int err;

	mutex_lock(&ldev->lock);
	err = l2tpsec_peer_create(ldev, &cfg, NULL);
	mutex_unlock(&ldev->lock);
	return err;
}

static const u8 gcm_key[20] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
				14, 15, 16, 0xa, 0xb, 0xc, 0xd };
static const u8 sha512_key[64] = { 7 };

static int tbl_sa(struct l2tpsec_dev *ldev, u32 peer_id, u32 spi, u8 dir,
		  bool cbc_sha512, u32 window)
{
	struct l2tpsec_sa_config cfg = {
		.spi = spi, .dir = dir, .peer_id = peer_id,
		.cipher = L2TPSEC_CIPHER_AES_GCM,
		.integ = L2TPSEC_INTEG_NONE,
		.enc_key = gcm_key, .enc_key_len = sizeof(gcm_key),
		.replay_window = window,
	};
	int err;

	if (cbc_sha512) {
		cfg.cipher = L2TPSEC_CIPHER_AES_CBC;
		cfg.integ = L2TPSEC_INTEG_HMAC_SHA512;
		cfg.enc_key_len = 16;
		cfg.auth_key = sha512_key;
		cfg.auth_key_len = sizeof(sha512_key);
	}
	mutex_lock(&ldev->lock);
	err = l2tpsec_sa_create(ldev, &cfg, NULL);
	mutex_unlock(&ldev->lock);
	return err;
}

static struct l2tpsec_sa *tbl_sa_find(struct l2tpsec_dev *ldev, u32 spi,
				      u8 dir, u32 peer_id)
{
	struct l2tpsec_sa *sa;

	mutex_lock(&ldev->lock);
	sa = l2tpsec_sa_find(ldev, spi, dir, peer_id);
	mutex_unlock(&ldev->lock);
	return sa;
}

static void tbl_sa_delete(struct l2tpsec_dev *ldev, u32 spi, u8 dir,
			  u32 peer_id)
{
	struct l2tpsec_sa *sa;

	mutex_lock(&ldev->lock);
	sa = l2tpsec_sa_find(ldev, spi, dir, peer_id);
	if (sa)
		l2tpsec_sa_delete(sa);
	mutex_unlock(&ldev->lock);
}

static void tables_peers(struct kunit *test)
{
	struct l2tpsec_dev *ldev = tbl_dev_create(test);
	struct l2tpsec_peer_config bad;
	struct l2tpsec_peer *p1;

	KUNIT_EXPECT_EQ(test, tbl_peer(ldev, 1, L2TPSEC_ENCAP_UDP), 0);
	KUNIT_EXPECT_EQ(test, tbl_peer(ldev, 2, L2TPSEC_ENCAP_NONE), 0);
	KUNIT_EXPECT_EQ(test, tbl_peer(ldev, 1, L2TPSEC_ENCAP_NONE), -EEXIST);
	KUNIT_EXPECT_EQ(test, tbl_peer(ldev, 0, L2TPSEC_ENCAP_UDP), -EINVAL);
	KUNIT_EXPECT_EQ(test, tbl_peer(ldev, 3, 7), -EINVAL);

	mutex_lock(&ldev->lock);
	bad = (struct l2tpsec_peer_config){ .id = 4, .encap = L2TPSEC_ENCAP_UDP,
					    .remote = PEER_REMOTE,
					    .local_port = 4500 };
	KUNIT_EXPECT_EQ(test, l2tpsec_peer_create(ldev, &bad, NULL), -EINVAL);
	bad.remote_port = 4500;
	bad.remote = htonl(0xe0000001);	/* multicast */
	KUNIT_EXPECT_EQ(test, l2tpsec_peer_create(ldev, &bad, NULL), -EINVAL);
	bad.remote = 0;
	KUNIT_EXPECT_EQ(test, l2tpsec_peer_create(ldev, &bad, NULL), -EINVAL);

	p1 = l2tpsec_peer_find(ldev, 1);
	KUNIT_ASSERT_NOT_NULL(test, p1);
	KUNIT_EXPECT_EQ(test, p1->id, 1);
	KUNIT_EXPECT_EQ(test, p1->encap, L2TPSEC_ENCAP_UDP);
	KUNIT_EXPECT_PTR_EQ(test, p1->ldev, ldev);
	KUNIT_EXPECT_NULL(test, l2tpsec_peer_find(ldev, 3));
	KUNIT_EXPECT_NULL(test, l2tpsec_peer_find(ldev, 4));
	rcu_read_lock();
	KUNIT_EXPECT_PTR_EQ(test, l2tpsec_peer_lookup_rcu(ldev, 1), p1);
	KUNIT_EXPECT_NULL(test, l2tpsec_peer_lookup_rcu(ldev, 5));
	rcu_read_unlock();

	l2tpsec_peer_delete(p1);
	KUNIT_EXPECT_NULL(test, l2tpsec_peer_find(ldev, 1));
	KUNIT_EXPECT_NOT_NULL(test, l2tpsec_peer_find(ldev, 2));
	mutex_unlock(&ldev->lock);
	/* the id is free again */
	KUNIT_EXPECT_EQ(test, tbl_peer(ldev, 1, L2TPSEC_ENCAP_UDP), 0);

	tbl_dev_destroy(ldev);
}

static void tables_sas(struct kunit *test)
{
	struct l2tpsec_dev *ldev = tbl_dev_create(test);
	struct l2tpsec_sa *in, *out;

	KUNIT_ASSERT_EQ(test, tbl_peer(ldev, 1, L2TPSEC_ENCAP_UDP), 0);
	KUNIT_ASSERT_EQ(test, tbl_peer(ldev, 2, L2TPSEC_ENCAP_NONE), 0);

	KUNIT_EXPECT_EQ(test, tbl_sa(ldev, 1, 0x1000, L2TPSEC_DIR_IN, false,
				     0), 0);
	/* inbound SPIs are unique per netns, whatever the peer */
	KUNIT_EXPECT_EQ(test, tbl_sa(ldev, 1, 0x1000, L2TPSEC_DIR_IN, false,
				     0), -EEXIST);
	KUNIT_EXPECT_EQ(test, tbl_sa(ldev, 2, 0x1000, L2TPSEC_DIR_IN, false,
				     0), -EEXIST);
	/* outbound SPIs are per peer */
	KUNIT_EXPECT_EQ(test, tbl_sa(ldev, 1, 0x1000, L2TPSEC_DIR_OUT, false,
				     0), 0);
	KUNIT_EXPECT_EQ(test, tbl_sa(ldev, 1, 0x1000, L2TPSEC_DIR_OUT, false,
				     0), -EEXIST);
	KUNIT_EXPECT_EQ(test, tbl_sa(ldev, 2, 0x1000, L2TPSEC_DIR_OUT, false,
				     0), 0);
	KUNIT_EXPECT_EQ(test, tbl_sa(ldev, 1, 0, L2TPSEC_DIR_IN, false, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, tbl_sa(ldev, 9, 0x3000, L2TPSEC_DIR_IN, false,
				     0), -ENOENT);
	KUNIT_EXPECT_EQ(test, tbl_sa(ldev, 1, 0x3000, 7, false, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, tbl_sa(ldev, 1, 0x3000, L2TPSEC_DIR_IN, false,
				     4097), -EINVAL);
	KUNIT_EXPECT_EQ(test, tbl_sa(ldev, 1, 0x3000, L2TPSEC_DIR_IN, false,
				     100), 0);
	KUNIT_EXPECT_EQ(test, tbl_sa(ldev, 2, 0x3001, L2TPSEC_DIR_IN, false,
				     4096), 0);

	in = tbl_sa_find(ldev, 0x1000, L2TPSEC_DIR_IN, 1);
	out = tbl_sa_find(ldev, 0x1000, L2TPSEC_DIR_OUT, 1);
	KUNIT_ASSERT_NOT_NULL(test, in);
	KUNIT_ASSERT_NOT_NULL(test, out);
	KUNIT_EXPECT_PTR_NE(test, in, out);
	KUNIT_EXPECT_EQ(test, in->iv_len, 8);
	KUNIT_EXPECT_EQ(test, in->block_size, 4);
	KUNIT_EXPECT_EQ(test, in->icv_len, 16);
	KUNIT_EXPECT_EQ(test, in->replay.size, 1024);
	KUNIT_EXPECT_EQ(test, tbl_sa_find(ldev, 0x3000, L2TPSEC_DIR_IN, 1)->replay.size,
			128);
	KUNIT_EXPECT_EQ(test, tbl_sa_find(ldev, 0x3001, L2TPSEC_DIR_IN, 2)->replay.size,
			4096);
	KUNIT_EXPECT_NULL(test, tbl_sa_find(ldev, 0x3001, L2TPSEC_DIR_IN, 1));
	/* peer 0: any peer */
	KUNIT_EXPECT_PTR_EQ(test, tbl_sa_find(ldev, 0x1000, L2TPSEC_DIR_IN, 0),
			    in);

	rcu_read_lock();
	KUNIT_EXPECT_PTR_EQ(test, l2tpsec_sa_lookup_in_rcu(&init_net, 0x1000),
			    in);
	KUNIT_EXPECT_NULL(test, l2tpsec_sa_lookup_in_rcu(&init_net, 0x2000));
	rcu_read_unlock();

	/* outbound sequence numbers start at 1 */
	KUNIT_EXPECT_EQ(test, l2tpsec_sa_next_seq(out), 1);
	KUNIT_EXPECT_EQ(test, l2tpsec_sa_next_seq(out), 2);
	KUNIT_EXPECT_EQ(test, l2tpsec_sa_last_seq(out), 2);

	tbl_sa_delete(ldev, 0x1000, L2TPSEC_DIR_IN, 1);
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, l2tpsec_sa_lookup_in_rcu(&init_net, 0x1000));
	rcu_read_unlock();
	KUNIT_EXPECT_NULL(test, tbl_sa_find(ldev, 0x1000, L2TPSEC_DIR_IN, 1));
	KUNIT_EXPECT_NOT_NULL(test, tbl_sa_find(ldev, 0x1000, L2TPSEC_DIR_OUT,
						1));
	/* and the SPI can be used again */
	KUNIT_EXPECT_EQ(test, tbl_sa(ldev, 2, 0x1000, L2TPSEC_DIR_IN, false,
				     0), 0);

	/* deleting the device takes every peer and SA with it */
	tbl_dev_destroy(ldev);
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, l2tpsec_sa_lookup_in_rcu(&init_net, 0x1000));
	KUNIT_EXPECT_NULL(test, l2tpsec_sa_lookup_in_rcu(&init_net, 0x3001));
	rcu_read_unlock();
}

/* Lifetimes: packets, bytes, and the end of the sequence number space. */
static void tables_sa_lifetimes(struct kunit *test)
{
	struct l2tpsec_dev *ldev = tbl_dev_create(test);
	struct l2tpsec_sa *sa;

	KUNIT_ASSERT_EQ(test, tbl_peer(ldev, 1, L2TPSEC_ENCAP_UDP), 0);
	KUNIT_ASSERT_EQ(test, tbl_sa(ldev, 1, 0x20, L2TPSEC_DIR_OUT, false, 0),
			0);
	KUNIT_ASSERT_EQ(test, tbl_sa(ldev, 1, 0x21, L2TPSEC_DIR_OUT, false, 0),
			0);
	KUNIT_ASSERT_EQ(test, tbl_sa(ldev, 1, 0x22, L2TPSEC_DIR_OUT, false, 0),
			0);

	/* packets: soft at 2, hard limit 3 is the last one carried */
	sa = tbl_sa_find(ldev, 0x20, L2TPSEC_DIR_OUT, 1);
	KUNIT_ASSERT_NOT_NULL(test, sa);
	sa->life.soft_packets = 2;
	sa->life.hard_packets = 3;
	KUNIT_EXPECT_TRUE(test, l2tpsec_sa_account(sa, 100));
	KUNIT_EXPECT_FALSE(test, test_bit(L2TPSEC_SA_F_SOFT_SENT, &sa->flags));
	KUNIT_EXPECT_TRUE(test, l2tpsec_sa_account(sa, 100));
	KUNIT_EXPECT_TRUE(test, test_bit(L2TPSEC_SA_F_SOFT_SENT, &sa->flags));
	KUNIT_EXPECT_TRUE(test, l2tpsec_sa_account(sa, 100));
	KUNIT_EXPECT_FALSE(test, test_bit(L2TPSEC_SA_F_DEAD, &sa->flags));
	KUNIT_EXPECT_FALSE(test, l2tpsec_sa_account(sa, 100));
	KUNIT_EXPECT_TRUE(test, test_bit(L2TPSEC_SA_F_DEAD, &sa->flags));
	KUNIT_EXPECT_FALSE(test, l2tpsec_sa_account(sa, 1));

	/* bytes: the hard limit is the last byte carried */
	sa = tbl_sa_find(ldev, 0x21, L2TPSEC_DIR_OUT, 1);
	KUNIT_ASSERT_NOT_NULL(test, sa);
	sa->life.hard_bytes = 1000;
	KUNIT_EXPECT_TRUE(test, l2tpsec_sa_account(sa, 600));
	KUNIT_EXPECT_TRUE(test, l2tpsec_sa_account(sa, 400));
	KUNIT_EXPECT_FALSE(test, test_bit(L2TPSEC_SA_F_SOFT_SENT, &sa->flags));
	KUNIT_EXPECT_FALSE(test, l2tpsec_sa_account(sa, 1));
	KUNIT_EXPECT_TRUE(test, test_bit(L2TPSEC_SA_F_DEAD, &sa->flags));

	/* sequence numbers: 2^32 - 1 is the last, soft-expiry at 15/16 */
	sa = tbl_sa_find(ldev, 0x22, L2TPSEC_DIR_OUT, 1);
	KUNIT_ASSERT_NOT_NULL(test, sa);
	atomic64_set(&sa->seq_out, 0xefffffff - 1);
	KUNIT_EXPECT_EQ(test, l2tpsec_sa_next_seq(sa), 0xefffffff);
	KUNIT_EXPECT_FALSE(test, test_bit(L2TPSEC_SA_F_SOFT_SENT, &sa->flags));
	KUNIT_EXPECT_EQ(test, l2tpsec_sa_next_seq(sa), 0xf0000000);
	KUNIT_EXPECT_TRUE(test, test_bit(L2TPSEC_SA_F_SOFT_SENT, &sa->flags));
	atomic64_set(&sa->seq_out, 0xfffffffd);
	KUNIT_EXPECT_EQ(test, l2tpsec_sa_next_seq(sa), 0xfffffffe);
	KUNIT_EXPECT_EQ(test, l2tpsec_sa_next_seq(sa), 0xffffffff);
	KUNIT_EXPECT_FALSE(test, test_bit(L2TPSEC_SA_F_DEAD, &sa->flags));
	KUNIT_EXPECT_EQ(test, l2tpsec_sa_next_seq(sa), 0);
	KUNIT_EXPECT_TRUE(test, test_bit(L2TPSEC_SA_F_DEAD, &sa->flags));
	KUNIT_EXPECT_EQ(test, l2tpsec_sa_next_seq(sa), 0);
	KUNIT_EXPECT_EQ(test, l2tpsec_sa_last_seq(sa), 0xffffffff);

	tbl_dev_destroy(ldev);
}

/* The derived MTU follows the SA with the largest overhead. */
static void tables_derived_mtu(struct kunit *test)
{
	struct l2tpsec_dev *ldev = tbl_dev_create(test);
	int i;

	/* before any SA: the worst case, AES-CBC + SHA-512 in UDP */
	KUNIT_EXPECT_EQ(test, ldev->dev->mtu, 1382);
	KUNIT_ASSERT_EQ(test, tbl_peer(ldev, 1, L2TPSEC_ENCAP_UDP), 0);
	KUNIT_ASSERT_EQ(test, tbl_peer(ldev, 2, L2TPSEC_ENCAP_NONE), 0);

	KUNIT_ASSERT_EQ(test, tbl_sa(ldev, 2, 0x10, L2TPSEC_DIR_OUT, false, 0),
			0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(ldev->derived_mtu), 1422);
	KUNIT_ASSERT_EQ(test, tbl_sa(ldev, 1, 0x11, L2TPSEC_DIR_IN, false, 0),
			0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(ldev->derived_mtu), 1414);
	KUNIT_ASSERT_EQ(test, tbl_sa(ldev, 1, 0x12, L2TPSEC_DIR_OUT, true, 0),
			0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(ldev->derived_mtu), 1382);
	tbl_sa_delete(ldev, 0x12, L2TPSEC_DIR_OUT, 1);
	KUNIT_EXPECT_EQ(test, READ_ONCE(ldev->derived_mtu), 1414);
	tbl_sa_delete(ldev, 0x11, L2TPSEC_DIR_IN, 1);
	KUNIT_EXPECT_EQ(test, READ_ONCE(ldev->derived_mtu), 1422);
	tbl_sa_delete(ldev, 0x10, L2TPSEC_DIR_OUT, 2);
	KUNIT_EXPECT_EQ(test, READ_ONCE(ldev->derived_mtu), 1382);

	/* the work item applies it to the device under RTNL */
	KUNIT_ASSERT_EQ(test, tbl_sa(ldev, 1, 0x11, L2TPSEC_DIR_IN, false, 0),
			0);
	for (i = 0; i < 50 && READ_ONCE(ldev->dev->mtu) != 1414; i++) {
		flush_delayed_work(&ldev->mtu_work);	/* may retry RTNL */
		msleep(20);
	}
	KUNIT_EXPECT_EQ(test, READ_ONCE(ldev->dev->mtu), 1414);
	KUNIT_EXPECT_FALSE(test, ldev->mtu_locked);

	tbl_dev_destroy(ldev);
}

static struct sk_buff *tbl_ip_skb(struct kunit *test, bool v6,
				  const void *daddr)
{
	struct sk_buff *skb = alloc_skb(128, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, 16);
	if (v6) {
		struct ipv6hdr *h = skb_put_zero(skb, sizeof(*h));

		h->version = 6;
		memcpy(&h->daddr, daddr, sizeof(h->daddr));
		skb->protocol = htons(ETH_P_IPV6);
	} else {
		struct iphdr *h = skb_put_zero(skb, sizeof(*h));

		h->version = 4;
		h->ihl = 5;
		memcpy(&h->daddr, daddr, sizeof(h->daddr));
		skb->protocol = htons(ETH_P_IP);
	}
	skb_reset_network_header(skb);
	return skb;
}

static struct l2tpsec_session *tbl_route(struct kunit *test,
					 struct l2tpsec_dev *ldev, bool v6,
					 const void *daddr)
{
	struct sk_buff *skb = tbl_ip_skb(test, v6, daddr);
	struct l2tpsec_session *s;

	rcu_read_lock();
	s = l2tpsec_route_lookup_rcu(ldev, skb);
	rcu_read_unlock();
	kfree_skb(skb);
	return s;
}

static void tables_sessions(struct kunit *test)
{
	struct l2tpsec_dev *ldev = tbl_dev_create(test);
	const __be32 a1 = htonl(0xc0000a01), a2 = htonl(0xc0000a02),
		     other = htonl(0xc0000a63);
	const struct in6_addr p1 = { { { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 1 } } };
	struct in6_addr in_p1 = p1, in_p1_128 = p1, outside = p1;
	struct l2tpsec_session_config cfg = {
		.peer_id = 1, .local_tunnel_id = 10, .local_session_id = 20,
		.remote_tunnel_id = 30, .remote_session_id = 40,
		.has_ipv4 = true, .peer_ipv4 = a1,
		.has_ipv6 = true, .peer_ipv6 = p1, .peer_ipv6_plen = 64,
	};
	struct l2tpsec_session *s1, *s2, *s3;
	struct l2tpsec_peer *peer;

	in_p1.s6_addr[15] = 0x42;
	in_p1_128.s6_addr[15] = 0x99;
	outside.s6_addr[7] = 2;

	KUNIT_ASSERT_EQ(test, tbl_peer(ldev, 1, L2TPSEC_ENCAP_UDP), 0);
	KUNIT_ASSERT_EQ(test, tbl_peer(ldev, 2, L2TPSEC_ENCAP_UDP), 0);

	mutex_lock(&ldev->lock);
	KUNIT_EXPECT_EQ(test, l2tpsec_session_create(ldev, &cfg, NULL), 0);
	s1 = l2tpsec_session_find(ldev, 1, 10, 20);
	KUNIT_EXPECT_NOT_NULL(test, s1);
	KUNIT_EXPECT_EQ(test, ldev->nr_sessions, 1);
	/* same keys: refused; the same ids on another peer: fine */
	cfg.peer_ipv4 = a2;
	cfg.has_ipv6 = false;
	KUNIT_EXPECT_EQ(test, l2tpsec_session_create(ldev, &cfg, NULL),
			-EEXIST);
	cfg.peer_id = 9;
	KUNIT_EXPECT_EQ(test, l2tpsec_session_create(ldev, &cfg, NULL),
			-ENOENT);
	cfg.peer_id = 1;
	cfg.local_session_id = 0;
	KUNIT_EXPECT_EQ(test, l2tpsec_session_create(ldev, &cfg, NULL),
			-EINVAL);
	cfg.local_session_id = 20;
	/* the same IPv4 address routed twice: refused */
	cfg.peer_id = 2;
	cfg.peer_ipv4 = a1;
	KUNIT_EXPECT_EQ(test, l2tpsec_session_create(ldev, &cfg, NULL),
			-EEXIST);
	/* the same IPv6 prefix twice: refused; a bad prefix length too */
	cfg.peer_ipv4 = a2;
	cfg.has_ipv6 = true;
	KUNIT_EXPECT_EQ(test, l2tpsec_session_create(ldev, &cfg, NULL),
			-EEXIST);
	cfg.peer_ipv6_plen = 48;
	KUNIT_EXPECT_EQ(test, l2tpsec_session_create(ldev, &cfg, NULL),
			-EINVAL);
	/* a /128 inside peer 1's /64: longest match wins */
	cfg.peer_ipv6 = in_p1_128;
	cfg.peer_ipv6_plen = 128;
	KUNIT_EXPECT_EQ(test, l2tpsec_session_create(ldev, &cfg, NULL), 0);
	s2 = l2tpsec_session_find(ldev, 2, 10, 20);
	KUNIT_EXPECT_NOT_NULL(test, s2);
	KUNIT_EXPECT_PTR_NE(test, s1, s2);
	/* a third session with IPv4 only, on peer 2 */
	cfg.local_session_id = 21;
	cfg.has_ipv6 = false;
	cfg.peer_ipv4 = htonl(0xc0000a03);
	KUNIT_EXPECT_EQ(test, l2tpsec_session_create(ldev, &cfg, NULL), 0);
	s3 = l2tpsec_session_find(ldev, 2, 10, 21);
	KUNIT_EXPECT_NOT_NULL(test, s3);
	KUNIT_EXPECT_EQ(test, ldev->nr_sessions, 3);
	mutex_unlock(&ldev->lock);

	rcu_read_lock();
	KUNIT_EXPECT_PTR_EQ(test, l2tpsec_session_lookup_rcu(ldev, 1, 10, 20),
			    s1);
	KUNIT_EXPECT_PTR_EQ(test, l2tpsec_session_lookup_rcu(ldev, 2, 10, 20),
			    s2);
	KUNIT_EXPECT_NULL(test, l2tpsec_session_lookup_rcu(ldev, 1, 10, 21));
	KUNIT_EXPECT_NULL(test, l2tpsec_session_lookup_rcu(ldev, 3, 10, 20));
	rcu_read_unlock();

	KUNIT_EXPECT_PTR_EQ(test, tbl_route(test, ldev, false, &a1), s1);
	KUNIT_EXPECT_PTR_EQ(test, tbl_route(test, ldev, false, &a2), s2);
	KUNIT_EXPECT_NULL(test, tbl_route(test, ldev, false, &other));
	KUNIT_EXPECT_PTR_EQ(test, tbl_route(test, ldev, true, &in_p1), s1);
	KUNIT_EXPECT_PTR_EQ(test, tbl_route(test, ldev, true, &in_p1_128), s2);
	KUNIT_EXPECT_NULL(test, tbl_route(test, ldev, true, &outside));

	/* deleting peer 2 deletes its sessions and routes */
	mutex_lock(&ldev->lock);
	peer = l2tpsec_peer_find(ldev, 2);
	KUNIT_ASSERT_NOT_NULL(test, peer);
	l2tpsec_peer_delete(peer);
	KUNIT_EXPECT_EQ(test, ldev->nr_sessions, 1);
	KUNIT_EXPECT_NULL(test, l2tpsec_session_find(ldev, 2, 10, 20));
	mutex_unlock(&ldev->lock);
	/*
	 * One session left: on a server (no single-session fallback) it
	 * gets only its own addresses; a client's device, with the
	 * fallback on, sends it everything.
	 */
	KUNIT_EXPECT_NULL(test, tbl_route(test, ldev, false, &other));
	KUNIT_EXPECT_NULL(test, tbl_route(test, ldev, false, &a2));
	KUNIT_EXPECT_NULL(test, tbl_route(test, ldev, true, &outside));
	KUNIT_EXPECT_PTR_EQ(test, tbl_route(test, ldev, false, &a1), s1);
	WRITE_ONCE(ldev->fallback, true);
	KUNIT_EXPECT_PTR_EQ(test, tbl_route(test, ldev, false, &other), s1);
	KUNIT_EXPECT_PTR_EQ(test, tbl_route(test, ldev, false, &a2), s1);
	KUNIT_EXPECT_PTR_EQ(test, tbl_route(test, ldev, true, &outside), s1);
	WRITE_ONCE(ldev->fallback, false);

	mutex_lock(&ldev->lock);
	l2tpsec_session_delete(s1);
	KUNIT_EXPECT_EQ(test, ldev->nr_sessions, 0);
	mutex_unlock(&ldev->lock);
	KUNIT_EXPECT_NULL(test, tbl_route(test, ldev, false, &a1));
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, l2tpsec_session_lookup_rcu(ldev, 1, 10, 20));
	rcu_read_unlock();

	tbl_dev_destroy(ldev);
}

/* ---- the receive path with independent vectors -------------------------- */

static int tbl_sa_from_vec(struct l2tpsec_dev *ldev, const struct tbl_vec *v)
{
	struct l2tpsec_sa_config cfg = {
		.spi = v->spi, .dir = L2TPSEC_DIR_IN, .peer_id = 1,
		.cipher = v->cipher, .integ = v->integ, .icv_len = v->icv_len,
		.enc_key = v->enc_key, .enc_key_len = v->enc_key_len,
		.auth_key = v->auth_key, .auth_key_len = v->auth_key_len,
	};
	int err;

	mutex_lock(&ldev->lock);
	err = l2tpsec_sa_create(ldev, &cfg, NULL);
	mutex_unlock(&ldev->lock);
	return err;
}

/* Feeds @pkt to l2tpsec_esp_input() as the RX path does (RCU, BH off). */
static void tbl_esp_in(struct kunit *test, struct l2tpsec_sa *sa,
		       const u8 *pkt, unsigned int len)
{
	struct sk_buff *skb = alloc_skb(len + 64, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, 64);
	skb_put_data(skb, pkt, len);
	skb_reset_network_header(skb);
	KUNIT_ASSERT_TRUE(test, l2tpsec_sa_get(sa));
	rcu_read_lock();
	local_bh_disable();
	l2tpsec_esp_input(sa, skb);
	local_bh_enable();
	rcu_read_unlock();
}

/* Waits (async crypto) until counter @stat of @c reaches @want. */
static u64 tbl_wait_count(struct l2tpsec_counters *c, enum l2tpsec_stat stat,
			  u64 want)
{
	u64 val[L2TPSEC_STAT_NUM];
	int i;

	for (i = 0; i < 200; i++) {
		l2tpsec_counters_read(c, val);
		if (val[stat] >= want)
			break;
		usleep_range(5000, 10000);
	}
	return val[stat];
}

static u64 tbl_count(struct l2tpsec_counters *c, enum l2tpsec_stat stat)
{
	u64 val[L2TPSEC_STAT_NUM];

	l2tpsec_counters_read(c, val);
	return val[stat];
}

static void tables_esp_rx_vectors(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tbl_vectors); i++) {
		const struct tbl_vec *v = &tbl_vectors[i];
		struct l2tpsec_session_config scfg = {
			.peer_id = 1,
			/* the vector's L2TP header names tunnel, session */
			.local_tunnel_id = get_unaligned_be16(v->plain + 10),
			.local_session_id = get_unaligned_be16(v->plain + 12),
			.remote_tunnel_id = 1, .remote_session_id = 1,
		};
		struct l2tpsec_dev *ldev = tbl_dev_create(test);
		struct l2tpsec_session *s;
		struct l2tpsec_sa *sa;
		u8 *bad;

		KUNIT_ASSERT_EQ(test, tbl_peer(ldev, 1, L2TPSEC_ENCAP_UDP), 0);
		KUNIT_ASSERT_EQ_MSG(test, tbl_sa_from_vec(ldev, v), 0, "%s",
				    v->name);
		mutex_lock(&ldev->lock);
		KUNIT_EXPECT_EQ(test, l2tpsec_session_create(ldev, &scfg, NULL),
				0);
		s = l2tpsec_session_find(ldev, 1, scfg.local_tunnel_id,
					 scfg.local_session_id);
		mutex_unlock(&ldev->lock);
		sa = tbl_sa_find(ldev, v->spi, L2TPSEC_DIR_IN, 1);
		KUNIT_ASSERT_NOT_NULL(test, sa);
		KUNIT_ASSERT_NOT_NULL(test, s);

		/* the vector: decrypted, authenticated, down to the session */
		tbl_esp_in(test, sa, v->pkt, v->pkt_len);
		KUNIT_EXPECT_EQ_MSG(test,
				    tbl_wait_count(&sa->stats,
						   L2TPSEC_STAT_RX_PACKETS, 1),
				    1, "%s: SA rx_packets", v->name);
		/*
		 * The inner "IPv4" of the vectors is filler, so the session
		 * drops it as malformed, after the PPP header: it got there.
		 */
		KUNIT_EXPECT_EQ_MSG(test,
				    tbl_wait_count(&s->stats,
						   L2TPSEC_STAT_MALFORMED_DROPS,
						   1),
				    1, "%s: session malformed_drops", v->name);
		KUNIT_EXPECT_EQ(test, tbl_count(&ldev->stats,
						L2TPSEC_STAT_ICV_FAILS), 0);
		KUNIT_EXPECT_EQ(test, tbl_count(&ldev->stats,
						L2TPSEC_STAT_NO_SESSION_DROPS),
				0);
		KUNIT_EXPECT_EQ(test, l2tpsec_sa_last_seq(sa), v->seq);

		/* the same packet again: a replay */
		tbl_esp_in(test, sa, v->pkt, v->pkt_len);
		KUNIT_EXPECT_EQ_MSG(test,
				    tbl_wait_count(&sa->stats,
						   L2TPSEC_STAT_REPLAY_DROPS,
						   1),
				    1, "%s: replay_drops", v->name);

		/* a corrupted ICV, under a fresh sequence number */
		bad = kunit_kmalloc(test, v->pkt_len, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, bad);
		memcpy(bad, v->pkt, v->pkt_len);
		put_unaligned_be32(v->seq + 1 ?: 0x10, bad + 4);
		tbl_esp_in(test, sa, bad, v->pkt_len);
		KUNIT_EXPECT_EQ_MSG(test,
				    tbl_wait_count(&sa->stats,
						   L2TPSEC_STAT_ICV_FAILS, 1),
				    1, "%s: icv_fails", v->name);
		/* an ICV failure must not move the window */
		KUNIT_EXPECT_EQ(test, l2tpsec_sa_last_seq(sa), v->seq);
		/* a truncated packet: malformed, before any crypto */
		tbl_esp_in(test, sa, v->pkt, 8 + v->iv_len + v->icv_len);
		KUNIT_EXPECT_EQ(test, tbl_wait_count(&sa->stats,
						     L2TPSEC_STAT_MALFORMED_DROPS,
						     1), 1);
		KUNIT_EXPECT_EQ(test, tbl_count(&sa->stats,
						L2TPSEC_STAT_RX_PACKETS), 1);

		tbl_dev_destroy(ldev);
	}
}

static struct kunit_case tables_cases[] = {
	KUNIT_CASE(tables_peers),
	KUNIT_CASE(tables_sas),
	KUNIT_CASE(tables_sa_lifetimes),
	KUNIT_CASE(tables_derived_mtu),
	KUNIT_CASE(tables_sessions),
	KUNIT_CASE(tables_esp_rx_vectors),
	{}
};

static struct kunit_suite tables_suite = {
	.name = "l2tpsec_tables",
	.test_cases = tables_cases,
};

kunit_test_suites(&tables_suite);
