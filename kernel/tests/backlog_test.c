// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: requests in flight through an asynchronous transform are capped
 * per SA and per device.
 *
 * A test-only AEAD, "l2tpsec-kunit-async", accepts every request and keeps
 * it until the test completes it: an engine, or cryptd, that has fallen
 * behind, made deterministic. Past a few requests it answers -EBUSY, as a
 * transform does when it put the request on its backlog
 * (CRYPTO_TFM_REQ_MAY_BACKLOG). It is swapped into real SAs of a real
 * device (created as tables_test.c does), and packets go through
 * l2tpsec_esp_input() (junk ESP with rising sequence numbers: what anyone
 * who knows an inbound SPI can send, since the window moves only after
 * the ICV verified) and l2tpsec_esp_output(). Without the caps every
 * packet stays queued; with them at most max_crypto_inflight_sa per SA
 * and max_crypto_inflight_dev per device are, and the rest is counted in
 * crypto_backlog_drops.
 *
 * With the same transform: the IV handed to it honours its alignmask (63),
 * and a failed allocation of the request (the allocator replaced through
 * a KUnit static stub) is counted in nomem_drops, not as malformed.
 */
#include <crypto/aead.h>
#include <crypto/internal/aead.h>
#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/ip.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <net/esp.h>
#include <net/rtnetlink.h>

#include "l2tpsec.h"

#define KASYNC_NAME		"l2tpsec-kunit-async"
/* Requests the "engine" takes before it answers -EBUSY (backlog). */
#define KASYNC_QUEUE_LEN	16
/* The largest the API allows: the IV must be 64-byte aligned. */
#define KASYNC_ALIGNMASK	63

static struct {
	spinlock_t		lock;		/* the fields below */
	struct list_head	reqs;
	unsigned int		n;
	unsigned int		misaligned;	/* IVs off the alignmask */
} kasync = {
	.lock = __SPIN_LOCK_UNLOCKED(kasync.lock),
	.reqs = LIST_HEAD_INIT(kasync.reqs),
};

static int kasync_setkey(struct crypto_aead *tfm, const u8 *key,
			 unsigned int len)
{
	return 0;
}

static int kasync_setauthsize(struct crypto_aead *tfm, unsigned int len)
{
	return 0;
}

static int kasync_queue(struct aead_request *req)
{
	int err = -EINPROGRESS;

	spin_lock_bh(&kasync.lock);
	if ((unsigned long)req->iv & KASYNC_ALIGNMASK)
		kasync.misaligned++;
	if (kasync.n >= KASYNC_QUEUE_LEN)
		err = -EBUSY;
	list_add_tail(&req->base.list, &kasync.reqs);
	kasync.n++;
	spin_unlock_bh(&kasync.lock);
	return err;
}

static struct aead_alg kasync_alg = {
	.setkey		= kasync_setkey,
	.setauthsize	= kasync_setauthsize,
	.encrypt	= kasync_queue,
	.decrypt	= kasync_queue,
	.ivsize		= 8,
	.maxauthsize	= 16,
	.base = {
		.cra_name		= KASYNC_NAME,
		.cra_driver_name	= KASYNC_NAME,
		.cra_priority		= 0,
		.cra_flags		= CRYPTO_ALG_ASYNC,
		.cra_blocksize		= 1,
		.cra_alignmask		= KASYNC_ALIGNMASK,
		.cra_module		= THIS_MODULE,
	},
};

static unsigned int kasync_pending(void)
{
	unsigned int n;

	spin_lock_bh(&kasync.lock);
	n = kasync.n;
	spin_unlock_bh(&kasync.lock);
	return n;
}

/* The engine catches up: every request completes with @err. */
static void kasync_complete_all(int err)
{
	struct aead_request *req, *tmp;
	LIST_HEAD(done);

	spin_lock_bh(&kasync.lock);
	list_splice_init(&kasync.reqs, &done);
	kasync.n = 0;
	kasync.misaligned = 0;
	spin_unlock_bh(&kasync.lock);
	list_for_each_entry_safe(req, tmp, &done, base.list) {
		list_del(&req->base.list);
		aead_request_complete(req, err);
	}
}

#define BL_REMOTE	cpu_to_be32(0xc6336402)	/* 198.51.100.2 */
#define BL_LOCAL	cpu_to_be32(0xc0000201)	/* 192.0.2.1 */

static const u8 bl_key[20] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
			       14, 15, 16, 0xa, 0xb, 0xc, 0xd };

struct bl_ctx {
	struct l2tpsec_dev	*ldev;
	struct l2tpsec_sa	*sa[2];
	struct crypto_aead	*orig[2];
	unsigned int		nr_sa;
	unsigned int		max_sa, max_dev;	/* parameters to restore */
};

static int bl_init(struct kunit *test)
{
	struct bl_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	struct nlattr *tb[IFLA_MAX + 1] = { };
	struct l2tpsec_peer_config pcfg = {
		.id = 1, .encap = L2TPSEC_ENCAP_UDP,
		.local = BL_LOCAL, .remote = BL_REMOTE,
		.local_port = 4500, .remote_port = 4500,
	};
	struct net_device *dev;
	int err;

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	test->priv = ctx;
	ctx->max_sa = l2tpsec_max_crypto_inflight_sa;
	ctx->max_dev = l2tpsec_max_crypto_inflight_dev;

	err = crypto_register_aead(&kasync_alg);
	KUNIT_ASSERT_EQ(test, err, 0);

	dev = alloc_netdev(l2tpsec_link_ops.priv_size, "l2tpsec_bl%d",
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
	ctx->ldev = netdev_priv(dev);

	mutex_lock(&ctx->ldev->lock);
	err = l2tpsec_peer_create(ctx->ldev, &pcfg, NULL);
	mutex_unlock(&ctx->ldev->lock);
	KUNIT_ASSERT_EQ(test, err, 0);
	return 0;
}

/* Adds an SA and puts the test transform in place of its own. */
static struct l2tpsec_sa *bl_sa(struct kunit *test, u32 spi, u8 dir)
{
	struct bl_ctx *ctx = test->priv;
	struct l2tpsec_sa_config cfg = {
		.spi = spi, .dir = dir, .peer_id = 1,
		.cipher = L2TPSEC_CIPHER_AES_GCM,
		.integ = L2TPSEC_INTEG_NONE,
		.enc_key = bl_key, .enc_key_len = sizeof(bl_key),
	};
	struct crypto_aead *tfm;
	struct l2tpsec_sa *sa;
	int err;

	KUNIT_ASSERT_LT(test, ctx->nr_sa, ARRAY_SIZE(ctx->sa));
	tfm = crypto_alloc_aead(KASYNC_NAME, 0, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(tfm));
	/* Until it has a key, the API refuses requests (-ENOKEY). */
	err = crypto_aead_setkey(tfm, bl_key, sizeof(bl_key));
	if (!err)
		err = crypto_aead_setauthsize(tfm, 16);
	if (err)
		crypto_free_aead(tfm);
	KUNIT_ASSERT_EQ(test, err, 0);

	mutex_lock(&ctx->ldev->lock);
	err = l2tpsec_sa_create(ctx->ldev, &cfg, NULL);
	sa = err ? NULL : l2tpsec_sa_find(ctx->ldev, spi, dir, 1);
	if (sa) {
		ctx->orig[ctx->nr_sa] = sa->aead;
		sa->aead = tfm;
		ctx->sa[ctx->nr_sa++] = sa;
	}
	mutex_unlock(&ctx->ldev->lock);
	if (!sa)
		crypto_free_aead(tfm);
	KUNIT_ASSERT_NOT_NULL(test, sa);
	return sa;
}

static void bl_exit(struct kunit *test)
{
	struct bl_ctx *ctx = test->priv;
	LIST_HEAD(list);
	unsigned int i;

	if (!ctx)
		return;
	/* Whatever a failed test left queued must finish first. */
	kasync_complete_all(-EIO);
	l2tpsec_max_crypto_inflight_sa = ctx->max_sa;
	l2tpsec_max_crypto_inflight_dev = ctx->max_dev;
	if (ctx->ldev) {
		mutex_lock(&ctx->ldev->lock);
		for (i = 0; i < ctx->nr_sa; i++) {
			crypto_free_aead(ctx->sa[i]->aead);
			ctx->sa[i]->aead = ctx->orig[i];
		}
		mutex_unlock(&ctx->ldev->lock);
		rtnl_lock();
		l2tpsec_link_ops.dellink(ctx->ldev->dev, &list);
		unregister_netdevice_many(&list);
		rtnl_unlock();
	}
	/* The SAs' frees run after a grace period, on the module's queue. */
	rcu_barrier();
	flush_workqueue(l2tpsec_wq);
	crypto_unregister_aead(&kasync_alg);
}

/* Junk ESP on @sa with sequence number @seq, as the RX path hands it. */
static void bl_rx(struct kunit *test, struct l2tpsec_sa *sa, u32 seq)
{
	/* header, IV, 32 bytes of "ciphertext", ICV */
	unsigned int len = 8 + 8 + 32 + 16;
	struct sk_buff *skb = alloc_skb(len + 64, GFP_KERNEL);
	struct ip_esp_hdr *esph;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, 64);
	esph = skb_put_zero(skb, len);
	esph->spi = htonl(sa->spi);
	esph->seq_no = htonl(seq);
	skb_reset_network_header(skb);
	KUNIT_ASSERT_TRUE(test, l2tpsec_sa_get(sa));
	rcu_read_lock();
	local_bh_disable();
	l2tpsec_esp_input(sa, skb);
	local_bh_enable();
	rcu_read_unlock();
}

/* An inner packet (data at the inner UDP header) to encrypt on @sa. */
static void bl_tx(struct kunit *test, struct l2tpsec_sa *sa)
{
	struct sk_buff *skb = alloc_skb(256, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, 128);
	skb_put_zero(skb, 40);
	KUNIT_ASSERT_TRUE(test, l2tpsec_sa_get(sa));
	rcu_read_lock();
	local_bh_disable();
	l2tpsec_esp_output(sa, skb);
	local_bh_enable();
	rcu_read_unlock();
}

static u64 bl_count(struct l2tpsec_counters *c, enum l2tpsec_stat stat)
{
	u64 val[L2TPSEC_STAT_NUM];

	l2tpsec_counters_read(c, val);
	return val[stat];
}

/* RX, the documented default per SA: junk beyond it is dropped. */
static void backlog_rx_per_sa(struct kunit *test)
{
	struct bl_ctx *ctx = test->priv;
	unsigned int max = l2tpsec_max_crypto_inflight_sa;
	struct l2tpsec_sa *sa;
	unsigned int i;

	KUNIT_EXPECT_EQ(test, max, 256);
	sa = bl_sa(test, 0x1000, L2TPSEC_DIR_IN);
	/* the transform is in place: a packet waits in it */
	bl_rx(test, sa, 1);
	KUNIT_ASSERT_EQ(test, kasync_pending(), 1);
	for (i = 2; i <= max + 100; i++)
		bl_rx(test, sa, i);

	KUNIT_EXPECT_EQ(test, kasync_pending(), max);
	KUNIT_EXPECT_EQ(test, bl_count(&sa->stats,
				       L2TPSEC_STAT_CRYPTO_BACKLOG_DROPS), 100);
	KUNIT_EXPECT_EQ(test, bl_count(&ctx->ldev->stats,
				       L2TPSEC_STAT_CRYPTO_BACKLOG_DROPS), 100);
	KUNIT_EXPECT_EQ(test, atomic_read(&sa->crypto_inflight), max);

	/* The engine catches up: junk fails its ICV, the room is back. */
	kasync_complete_all(-EBADMSG);
	KUNIT_EXPECT_EQ(test, bl_count(&sa->stats, L2TPSEC_STAT_ICV_FAILS),
			max);
	KUNIT_EXPECT_EQ(test, atomic_read(&sa->crypto_inflight), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->ldev->crypto_inflight), 0);
	bl_rx(test, sa, max + 101);
	KUNIT_EXPECT_EQ(test, kasync_pending(), 1);
	kasync_complete_all(-EBADMSG);
	KUNIT_EXPECT_EQ(test, bl_count(&sa->stats,
				       L2TPSEC_STAT_CRYPTO_BACKLOG_DROPS), 100);
}

/* RX, two SAs of one device: the device's cap holds for their sum. */
static void backlog_rx_per_dev(struct kunit *test)
{
	struct bl_ctx *ctx = test->priv;
	struct l2tpsec_sa *a, *b;
	unsigned int i;

	l2tpsec_max_crypto_inflight_sa = 8;
	l2tpsec_max_crypto_inflight_dev = 12;
	a = bl_sa(test, 0x2000, L2TPSEC_DIR_IN);
	b = bl_sa(test, 0x2001, L2TPSEC_DIR_IN);
	for (i = 1; i <= 10; i++)
		bl_rx(test, a, i);
	for (i = 1; i <= 10; i++)
		bl_rx(test, b, i);

	KUNIT_EXPECT_EQ(test, kasync_pending(), 12);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->crypto_inflight), 8);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->crypto_inflight), 4);
	KUNIT_EXPECT_EQ(test, bl_count(&a->stats,
				       L2TPSEC_STAT_CRYPTO_BACKLOG_DROPS), 2);
	KUNIT_EXPECT_EQ(test, bl_count(&b->stats,
				       L2TPSEC_STAT_CRYPTO_BACKLOG_DROPS), 6);
	KUNIT_EXPECT_EQ(test, bl_count(&ctx->ldev->stats,
				       L2TPSEC_STAT_CRYPTO_BACKLOG_DROPS), 8);
	kasync_complete_all(-EBADMSG);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->ldev->crypto_inflight), 0);
}

/* TX: the same caps on the outbound SA. */
static void backlog_tx(struct kunit *test)
{
	struct bl_ctx *ctx = test->priv;
	struct l2tpsec_sa *sa;
	unsigned int i;

	l2tpsec_max_crypto_inflight_sa = 32;
	sa = bl_sa(test, 0x3000, L2TPSEC_DIR_OUT);
	for (i = 0; i < 40; i++)
		bl_tx(test, sa);

	KUNIT_EXPECT_EQ(test, kasync_pending(), 32);
	KUNIT_EXPECT_EQ(test, bl_count(&sa->stats,
				       L2TPSEC_STAT_CRYPTO_BACKLOG_DROPS), 8);
	KUNIT_EXPECT_EQ(test, bl_count(&ctx->ldev->stats,
				       L2TPSEC_STAT_CRYPTO_BACKLOG_DROPS), 8);
	/* failed encryptions are TX errors, and give the room back */
	kasync_complete_all(-EIO);
	KUNIT_EXPECT_EQ(test, bl_count(&sa->stats, L2TPSEC_STAT_TX_ERRORS),
			32);
	KUNIT_EXPECT_EQ(test, atomic_read(&sa->crypto_inflight), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->ldev->crypto_inflight), 0);
}

/*
 * The IV handed to the transform honours its alignmask (the request is
 * one kmalloc(), which promises only ARCH_KMALLOC_MINALIGN). On x86 the
 * power-of-two kmalloc caches happen to be naturally aligned, so this
 * holds by luck there without the explicit alignment; it pins the layout.
 */
static void esp_iv_aligned(struct kunit *test)
{
	struct l2tpsec_sa *in, *out;
	unsigned int i;

	in = bl_sa(test, 0x4000, L2TPSEC_DIR_IN);
	out = bl_sa(test, 0x4001, L2TPSEC_DIR_OUT);
	for (i = 1; i <= 64; i++) {
		bl_rx(test, in, i);
		bl_tx(test, out);
	}
	KUNIT_EXPECT_EQ(test, kasync_pending(), 128);
	spin_lock_bh(&kasync.lock);
	KUNIT_EXPECT_EQ(test, kasync.misaligned, 0);
	spin_unlock_bh(&kasync.lock);
	kasync_complete_all(-EBADMSG);
}

static void *bl_alloc_fails(struct crypto_aead *aead)
{
	return NULL;
}

/* A failed allocation is counted as such, not as a malformed packet. */
static void esp_nomem_counted(struct kunit *test)
{
	struct bl_ctx *ctx = test->priv;
	struct l2tpsec_sa *in, *out;

	in = bl_sa(test, 0x5000, L2TPSEC_DIR_IN);
	out = bl_sa(test, 0x5001, L2TPSEC_DIR_OUT);
	kunit_activate_static_stub(test, l2tpsec_esp_alloc_req_mem,
				   bl_alloc_fails);
	bl_rx(test, in, 1);
	bl_tx(test, out);
	kunit_deactivate_static_stub(test, l2tpsec_esp_alloc_req_mem);

	KUNIT_EXPECT_EQ(test, kasync_pending(), 0);
	KUNIT_EXPECT_EQ(test, bl_count(&in->stats, L2TPSEC_STAT_NOMEM_DROPS),
			1);
	KUNIT_EXPECT_EQ(test, bl_count(&in->stats,
				       L2TPSEC_STAT_MALFORMED_DROPS), 0);
	KUNIT_EXPECT_EQ(test, bl_count(&out->stats, L2TPSEC_STAT_NOMEM_DROPS),
			1);
	KUNIT_EXPECT_EQ(test, bl_count(&out->stats, L2TPSEC_STAT_TX_ERRORS),
			0);
	KUNIT_EXPECT_EQ(test, bl_count(&ctx->ldev->stats,
				       L2TPSEC_STAT_NOMEM_DROPS), 2);
	KUNIT_EXPECT_EQ(test, bl_count(&ctx->ldev->stats,
				       L2TPSEC_STAT_MALFORMED_DROPS), 0);
	/* the place taken for the request was given back */
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->ldev->crypto_inflight), 0);

	/* and the next packet goes through */
	bl_rx(test, in, 2);
	KUNIT_EXPECT_EQ(test, kasync_pending(), 1);
	kasync_complete_all(-EBADMSG);
}

static struct kunit_case backlog_cases[] = {
	KUNIT_CASE(backlog_rx_per_sa),
	KUNIT_CASE(backlog_rx_per_dev),
	KUNIT_CASE(backlog_tx),
	KUNIT_CASE(esp_iv_aligned),
	KUNIT_CASE(esp_nomem_counted),
	{}
};

static struct kunit_suite backlog_suite = {
	.name = "l2tpsec_crypto_backlog",
	.init = bl_init,
	.exit = bl_exit,
	.test_cases = backlog_cases,
};

kunit_test_suites(&backlog_suite);
