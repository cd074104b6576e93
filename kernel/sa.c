// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsec: ESP security associations.
 *
 * An SA owns its AEAD transform, its lifetime accounting and, inbound, its
 * anti-replay window. Inbound SAs are hashed per netns by SPI, because raw
 * ESP arrives with nothing but the SPI to demux on; outbound SAs are found
 * through their peer. The kernel holds no policy: lifetimes only produce
 * events (soft) or make the SA unusable (hard); the daemon decides.
 */
#include <crypto/aead.h>
#include <crypto/authenc.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "l2tpsec.h"

struct l2tpsec_cipher_desc {
	const char	*name;		/* crypto API name */
	const char	*geniv;		/* IV generator, as esp4 uses */
	bool		aead;		/* combined mode: no integ */
	u8		key_lens[3];	/* accepted key lengths, bytes */
};

static const struct l2tpsec_cipher_desc l2tpsec_ciphers[] = {
	[L2TPSEC_CIPHER_AES_GCM] = {
		.name = "rfc4106(gcm(aes))", .geniv = "seqiv", .aead = true,
		/* AES key + 4-byte salt */
		.key_lens = { 20, 28, 36 },
	},
	[L2TPSEC_CIPHER_AES_CBC] = {
		.name = "cbc(aes)", .geniv = "echainiv",
		.key_lens = { 16, 24, 32 },
	},
	[L2TPSEC_CIPHER_DES3_CBC] = {
		.name = "cbc(des3_ede)", .geniv = "echainiv",
		.key_lens = { 24 },
	},
};

struct l2tpsec_integ_desc {
	const char	*name;
	u8		key_len;
	u8		icv_default;
	u8		icv_alt;	/* another accepted ICV length, or 0 */
};

static const struct l2tpsec_integ_desc l2tpsec_integs[] = {
	[L2TPSEC_INTEG_HMAC_MD5]    = { "hmac(md5)",    16, 12, 0 },
	[L2TPSEC_INTEG_HMAC_SHA1]   = { "hmac(sha1)",   20, 12, 0 },
	/* RFC 4868 says 128 bits; some Android builds send 96 (CLIENTS.md). */
	[L2TPSEC_INTEG_HMAC_SHA256] = { "hmac(sha256)", 32, 16, 12 },
	[L2TPSEC_INTEG_HMAC_SHA384] = { "hmac(sha384)", 48, 24, 0 },
	[L2TPSEC_INTEG_HMAC_SHA512] = { "hmac(sha512)", 64, 32, 0 },
};

#define L2TPSEC_GCM_ICV_LEN	16

/* Soft-expire outbound SAs well before the 32-bit sequence space ends. */
#define L2TPSEC_SEQ_SOFT_LIMIT	0xf0000000ULL

static bool key_len_ok(const struct l2tpsec_cipher_desc *c, unsigned int len)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(c->key_lens); i++)
		if (c->key_lens[i] && c->key_lens[i] == len)
			return true;
	return false;
}

int l2tpsec_alg_check(u8 cipher, u8 integ, unsigned int enc_key_len,
		      unsigned int auth_key_len, u8 *icv_len,
		      struct netlink_ext_ack *extack)
{
	const struct l2tpsec_integ_desc *i;
	const struct l2tpsec_cipher_desc *c;

	if (cipher == L2TPSEC_CIPHER_UNSPEC || cipher > L2TPSEC_CIPHER_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "SA_CIPHER: unknown cipher");
		return -EINVAL;
	}
	c = &l2tpsec_ciphers[cipher];
	if (!key_len_ok(c, enc_key_len)) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
				       "SA_ENC_KEY: %u bytes is not a valid key length for %s",
				       enc_key_len, c->name);
		return -EINVAL;
	}

	if (c->aead) {
		if (integ != L2TPSEC_INTEG_NONE || auth_key_len) {
			NL_SET_ERR_MSG_MOD(extack,
					   "SA_INTEG: AES-GCM authenticates by itself: no integrity algorithm or key");
			return -EINVAL;
		}
		if (*icv_len && *icv_len != L2TPSEC_GCM_ICV_LEN) {
			NL_SET_ERR_MSG_MOD(extack,
					   "SA_ICV_LEN: AES-GCM is supported with a 16-byte ICV only");
			return -EINVAL;
		}
		*icv_len = L2TPSEC_GCM_ICV_LEN;
		return 0;
	}

	if (integ == L2TPSEC_INTEG_NONE || integ > L2TPSEC_INTEG_MAX) {
		NL_SET_ERR_MSG_MOD(extack,
				   "SA_INTEG: CBC ciphers need an HMAC integrity algorithm");
		return -EINVAL;
	}
	i = &l2tpsec_integs[integ];
	if (auth_key_len != i->key_len) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
				       "SA_AUTH_KEY: %s needs a %u-byte key, got %u",
				       i->name, i->key_len, auth_key_len);
		return -EINVAL;
	}
	if (!*icv_len)
		*icv_len = i->icv_default;
	if (*icv_len != i->icv_default && *icv_len != i->icv_alt) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
				       "SA_ICV_LEN: %u bytes is not a valid ICV length for %s",
				       *icv_len, i->name);
		return -EINVAL;
	}
	return 0;
}

const char *l2tpsec_alg_name(u8 cipher, u8 integ, char *buf, size_t len)
{
	const struct l2tpsec_cipher_desc *c = &l2tpsec_ciphers[cipher];

	if (c->aead)
		snprintf(buf, len, "%s(%s)", c->geniv, c->name);
	else
		snprintf(buf, len, "%s(authenc(%s,%s))", c->geniv,
			 l2tpsec_integs[integ].name, c->name);
	return buf;
}

/* authenc() takes both keys in one blob behind an rtattr with the length. */
static int sa_setkey_authenc(struct crypto_aead *aead,
			     const struct l2tpsec_sa_config *cfg)
{
	struct crypto_authenc_key_param *param;
	unsigned int keylen;
	struct rtattr *rta;
	u8 *key, *p;
	int err;

	keylen = RTA_SPACE(sizeof(*param)) + cfg->auth_key_len +
		 cfg->enc_key_len;
	key = kmalloc(keylen, GFP_KERNEL);
	if (!key)
		return -ENOMEM;

	rta = (struct rtattr *)key;
	rta->rta_type = CRYPTO_AUTHENC_KEYA_PARAM;
	rta->rta_len = RTA_LENGTH(sizeof(*param));
	param = RTA_DATA(rta);
	param->enckeylen = cpu_to_be32(cfg->enc_key_len);
	p = key + RTA_SPACE(sizeof(*param));
	memcpy(p, cfg->auth_key, cfg->auth_key_len);
	memcpy(p + cfg->auth_key_len, cfg->enc_key, cfg->enc_key_len);

	err = crypto_aead_setkey(aead, key, keylen);
	kfree_sensitive(key);
	return err;
}

static int sa_init_crypto(struct l2tpsec_sa *sa,
			  const struct l2tpsec_sa_config *cfg,
			  struct netlink_ext_ack *extack)
{
	char name[CRYPTO_MAX_ALG_NAME];
	struct crypto_aead *aead;
	int err;

	l2tpsec_alg_name(cfg->cipher, cfg->integ, name, sizeof(name));
	aead = crypto_alloc_aead(name, 0, 0);
	if (IS_ERR(aead)) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
				       "SA_CIPHER: the kernel has no %s (crypto module missing?)",
				       name);
		return PTR_ERR(aead);
	}

	if (l2tpsec_ciphers[cfg->cipher].aead)
		err = crypto_aead_setkey(aead, cfg->enc_key, cfg->enc_key_len);
	else
		err = sa_setkey_authenc(aead, cfg);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "SA_ENC_KEY: key rejected by the crypto API");
		goto free_aead;
	}
	err = crypto_aead_setauthsize(aead, sa->icv_len);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "SA_ICV_LEN: rejected by the crypto API");
		goto free_aead;
	}

	sa->aead = aead;
	sa->iv_len = crypto_aead_ivsize(aead);
	sa->block_size = ALIGN(crypto_aead_blocksize(aead), 4);
	return 0;

free_aead:
	crypto_free_aead(aead);
	return err;
}

struct l2tpsec_sa *l2tpsec_sa_lookup_in_rcu(struct net *net, u32 spi)
{
	struct l2tpsec_net *ln = l2tpsec_pernet(net);
	struct l2tpsec_sa *sa;

	hash_for_each_possible_rcu(ln->sa_in, sa, hnode, spi)
		if (sa->spi == spi)
			return sa;
	return NULL;
}

struct l2tpsec_sa *l2tpsec_sa_find(struct l2tpsec_dev *ldev, u32 spi, u8 dir,
				   u32 peer_id)
{
	struct l2tpsec_peer *peer;
	struct l2tpsec_sa *sa;

	lockdep_assert_held(&ldev->lock);

	list_for_each_entry(peer, &ldev->peers, node) {
		if (peer_id && peer->id != peer_id)
			continue;
		list_for_each_entry(sa, &peer->sas, node)
			if (sa->spi == spi && sa->dir == dir)
				return sa;
	}
	return NULL;
}

static void sa_free_work(struct work_struct *work)
{
	struct l2tpsec_sa *sa = container_of(to_rcu_work(work),
					     struct l2tpsec_sa, free_rwork);

	/* Freeing the transform wipes its key schedule. */
	crypto_free_aead(sa->aead);
	l2tpsec_counters_free(&sa->stats);
	l2tpsec_peer_put(sa->peer);
	kfree_sensitive(sa);
}

bool l2tpsec_sa_get(struct l2tpsec_sa *sa)
{
	return refcount_inc_not_zero(&sa->refcnt);
}

void l2tpsec_sa_put(struct l2tpsec_sa *sa)
{
	if (refcount_dec_and_test(&sa->refcnt))
		queue_rcu_work(l2tpsec_wq, &sa->free_rwork);
}

int l2tpsec_sa_create(struct l2tpsec_dev *ldev,
		      const struct l2tpsec_sa_config *cfg,
		      struct netlink_ext_ack *extack)
{
	struct l2tpsec_net *ln = l2tpsec_pernet(ldev->net);
	struct l2tpsec_peer *peer;
	struct l2tpsec_sa *sa;
	u8 icv_len = cfg->icv_len;
	int err;

	lockdep_assert_held(&ldev->lock);

	if (cfg->dir != L2TPSEC_DIR_IN && cfg->dir != L2TPSEC_DIR_OUT) {
		NL_SET_ERR_MSG_MOD(extack, "SA_DIR: must be in or out");
		return -EINVAL;
	}
	if (!cfg->spi) {
		NL_SET_ERR_MSG_MOD(extack, "SA_SPI: zero is reserved (RFC 4303)");
		return -EINVAL;
	}
	peer = l2tpsec_peer_find(ldev, cfg->peer_id);
	if (!peer) {
		NL_SET_ERR_MSG_FMT_MOD(extack, "SA_PEER_ID: no peer %u on %s",
				       cfg->peer_id, ldev->dev->name);
		return -ENOENT;
	}
	err = l2tpsec_alg_check(cfg->cipher, cfg->integ, cfg->enc_key_len,
				cfg->auth_key_len, &icv_len, extack);
	if (err)
		return err;
	if (cfg->replay_window > L2TPSEC_REPLAY_WINDOW_MAX) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
				       "SA_REPLAY_WINDOW: at most %u packets",
				       L2TPSEC_REPLAY_WINDOW_MAX);
		return -EINVAL;
	}
	if (cfg->dir == L2TPSEC_DIR_OUT &&
	    l2tpsec_sa_find(ldev, cfg->spi, cfg->dir, cfg->peer_id)) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
				       "SA_SPI: outbound SPI 0x%08x already exists for peer %u",
				       cfg->spi, cfg->peer_id);
		return -EEXIST;
	}

	err = l2tpsec_net_charge(ldev->net, L2TPSEC_LIMIT_SAS, extack);
	if (err)
		return err;
	/* Only an inbound SA needs a replay bitmap, and only the window's. */
	sa = kzalloc(struct_size(sa, replay.bitmap,
				 cfg->dir == L2TPSEC_DIR_IN ?
				 l2tpsec_replay_words(cfg->replay_window) : 0),
		     GFP_KERNEL_ACCOUNT);
	if (!sa) {
		err = -ENOMEM;
		goto uncharge;
	}
	sa->spi = cfg->spi;
	sa->dir = cfg->dir;
	sa->cipher = cfg->cipher;
	sa->integ = cfg->integ;
	sa->icv_len = icv_len;
	sa->life = cfg->life;
	sa->added = ktime_get_seconds();
	refcount_set(&sa->refcnt, 1);
	INIT_RCU_WORK(&sa->free_rwork, sa_free_work);
	spin_lock_init(&sa->replay_lock);
	if (sa->dir == L2TPSEC_DIR_IN)
		l2tpsec_replay_init(&sa->replay, cfg->replay_window);
	atomic64_set(&sa->cur_bytes, 0);
	atomic64_set(&sa->cur_packets, 0);
	atomic64_set(&sa->seq_out, 0);

	err = l2tpsec_counters_init(&sa->stats, GFP_KERNEL_ACCOUNT, false);
	if (err)
		goto free_sa;
	err = sa_init_crypto(sa, cfg, extack);
	if (err)
		goto free_counters;

	if (sa->dir == L2TPSEC_DIR_IN) {
		spin_lock_bh(&ln->sa_lock);
		if (l2tpsec_sa_lookup_in_rcu(ldev->net, sa->spi)) {
			spin_unlock_bh(&ln->sa_lock);
			NL_SET_ERR_MSG_FMT_MOD(extack,
					       "SA_SPI: inbound SPI 0x%08x already exists in this netns",
					       sa->spi);
			err = -EEXIST;
			goto free_crypto;
		}
		hash_add_rcu(ln->sa_in, &sa->hnode, sa->spi);
		set_bit(L2TPSEC_SA_F_HASHED, &sa->flags);
		spin_unlock_bh(&ln->sa_lock);
	}

	sa->peer = l2tpsec_peer_get(peer);
	list_add_tail(&sa->node, &peer->sas);
	l2tpsec_dev_sa_added(ldev, sa);
	return 0;

free_crypto:
	crypto_free_aead(sa->aead);
free_counters:
	l2tpsec_counters_free(&sa->stats);
free_sa:
	kfree_sensitive(sa);
uncharge:
	l2tpsec_net_uncharge(ldev->net, L2TPSEC_LIMIT_SAS);
	return err;
}

/* Unlink and drop the list's reference; the MTU is the caller's. */
void __l2tpsec_sa_delete(struct l2tpsec_sa *sa)
{
	struct l2tpsec_peer *peer = sa->peer;
	struct l2tpsec_dev *ldev = peer->ldev;

	lockdep_assert_held(&ldev->lock);

	set_bit(L2TPSEC_SA_F_DEAD, &sa->flags);
	if (test_and_clear_bit(L2TPSEC_SA_F_HASHED, &sa->flags)) {
		struct l2tpsec_net *ln = l2tpsec_pernet(ldev->net);

		spin_lock_bh(&ln->sa_lock);
		hash_del_rcu(&sa->hnode);
		spin_unlock_bh(&ln->sa_lock);
	}
	if (rcu_access_pointer(peer->tx_sa) == sa)
		RCU_INIT_POINTER(peer->tx_sa, NULL);
	list_del(&sa->node);
	l2tpsec_net_uncharge(ldev->net, L2TPSEC_LIMIT_SAS);
	l2tpsec_sa_put(sa);
}

void l2tpsec_sa_delete(struct l2tpsec_sa *sa)
{
	struct l2tpsec_dev *ldev = sa->peer->ldev;

	__l2tpsec_sa_delete(sa);
	l2tpsec_dev_update_mtu(ldev);
}

unsigned int l2tpsec_sa_max_overhead(const struct l2tpsec_sa *sa)
{
	unsigned int link = ETH_DATA_LEN;

	return link - l2tpsec_mtu_for(link, sa->iv_len, sa->block_size,
				      sa->icv_len,
				      sa->peer->encap == L2TPSEC_ENCAP_UDP);
}

static void sa_expire(struct l2tpsec_sa *sa, u8 reason)
{
	if (!test_and_set_bit(L2TPSEC_SA_F_DEAD, &sa->flags)) {
		net_info_ratelimited("%s: SA 0x%08x (%s) of peer %u hard-expired (%s); the daemon must replace it\n",
				     sa->peer->ldev->dev->name, sa->spi,
				     sa->dir == L2TPSEC_DIR_IN ? "in" : "out",
				     sa->peer->id,
				     reason == L2TPSEC_EXPIRE_BYTES ? "bytes" :
				     reason == L2TPSEC_EXPIRE_PACKETS ? "packets" :
				     reason == L2TPSEC_EXPIRE_SECONDS ? "seconds" :
				     "sequence numbers exhausted");
		l2tpsec_nl_sa_event(sa, L2TPSEC_EVENT_SA_HARD_EXPIRE, reason);
	}
}

static void sa_soft_expire(struct l2tpsec_sa *sa, u8 reason)
{
	if (!test_and_set_bit(L2TPSEC_SA_F_SOFT_SENT, &sa->flags))
		l2tpsec_nl_sa_event(sa, L2TPSEC_EVENT_SA_SOFT_EXPIRE, reason);
}

static bool over(u64 limit, u64 value)
{
	return limit && value >= limit;
}

bool l2tpsec_sa_account(struct l2tpsec_sa *sa, unsigned int bytes)
{
	const struct l2tpsec_sa_lifetime *l = &sa->life;
	u64 packets, total;

	if (unlikely(test_bit(L2TPSEC_SA_F_DEAD, &sa->flags)))
		return false;

	packets = atomic64_inc_return(&sa->cur_packets);
	total = atomic64_add_return(bytes, &sa->cur_bytes);

	/* A hard limit is the last packet or byte the SA may carry. */
	if (l->hard_packets && packets > l->hard_packets) {
		sa_expire(sa, L2TPSEC_EXPIRE_PACKETS);
		return false;
	}
	if (l->hard_bytes && total > l->hard_bytes) {
		sa_expire(sa, L2TPSEC_EXPIRE_BYTES);
		return false;
	}
	if (over(l->soft_packets, packets))
		sa_soft_expire(sa, L2TPSEC_EXPIRE_PACKETS);
	else if (over(l->soft_bytes, total))
		sa_soft_expire(sa, L2TPSEC_EXPIRE_BYTES);
	return true;
}

/* TX: next sequence number, or 0 when the SA must not send any more. */
u32 l2tpsec_sa_next_seq(struct l2tpsec_sa *sa)
{
	u64 seq = atomic64_inc_return(&sa->seq_out);

	if (unlikely(seq > U32_MAX)) {
		atomic64_set(&sa->seq_out, U32_MAX);
		sa_expire(sa, L2TPSEC_EXPIRE_SEQ_EXHAUSTED);
		return 0;
	}
	if (unlikely(seq >= L2TPSEC_SEQ_SOFT_LIMIT))
		sa_soft_expire(sa, L2TPSEC_EXPIRE_SEQ_EXHAUSTED);
	return seq;
}

u64 l2tpsec_sa_last_seq(struct l2tpsec_sa *sa)
{
	if (sa->dir == L2TPSEC_DIR_OUT)
		return atomic64_read(&sa->seq_out);
	return READ_ONCE(sa->replay.top);
}

/* Time-based lifetimes, checked once a second per device. */
void l2tpsec_sa_expire_work(struct work_struct *work)
{
	struct l2tpsec_dev *ldev = container_of(to_delayed_work(work),
						struct l2tpsec_dev,
						expiry_work);
	time64_t now = ktime_get_seconds();
	struct l2tpsec_peer *peer;
	struct l2tpsec_sa *sa;

	mutex_lock(&ldev->lock);
	list_for_each_entry(peer, &ldev->peers, node) {
		list_for_each_entry(sa, &peer->sas, node) {
			u64 age = now - sa->added;

			if (over(sa->life.hard_seconds, age))
				sa_expire(sa, L2TPSEC_EXPIRE_SECONDS);
			else if (over(sa->life.soft_seconds, age))
				sa_soft_expire(sa, L2TPSEC_EXPIRE_SECONDS);
		}
	}
	mutex_unlock(&ldev->lock);
	queue_delayed_work(l2tpsec_wq, &ldev->expiry_work, HZ);
}
