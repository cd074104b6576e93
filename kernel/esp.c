// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsec: ESP transport mode (RFC 4303) through the kernel crypto API.
 *
 * One code path for synchronous and asynchronous transforms: the request is
 * always set up with a completion callback, and a synchronous return simply
 * calls that completion itself. -EINPROGRESS and -EBUSY (queued on the
 * backlog) mean the completion will run later, possibly on another CPU and
 * in process context; the completion then takes the RCU read lock and
 * disables bottom halves before it touches the data path.
 *
 * Packets are made linear before they get here, so one scatterlist entry
 * covers the whole ESP payload: the per-packet allocation is the request
 * itself, sized for the transform (IV + request + one scatterlist entry).
 */
#include <crypto/aead.h>
#ifdef L2TPSEC_KUNIT_STUBS
#include <kunit/static_stub.h>
#endif
#include <linux/ip.h>
#include <linux/moduleparam.h>
#include <linux/scatterlist.h>
#include <net/esp.h>

#include "l2tpsec.h"

#define ESP_HDR_LEN	sizeof(struct ip_esp_hdr)

/* KUnit replaces the allocator to show what a failure is counted as. */
#ifndef L2TPSEC_KUNIT_STUBS
#define KUNIT_STATIC_STUB_REDIRECT(...) do { } while (0)
#endif

/*
 * An asynchronous transform (cryptd, a hardware engine) queues what it
 * cannot take at once on its backlog (CRYPTO_TFM_REQ_MAY_BACKLOG), which
 * has no bound. Anyone who knows an inbound SPI (it travels in clear) can
 * send junk with rising sequence numbers: it passes the replay pre-check,
 * as the window moves only after the ICV verified, and every packet would
 * wait there linearized. So requests in flight are capped per SA and per
 * device; past a cap the packet is dropped and counted
 * (crypto_backlog_drops). Documentation/datapath.rst has the defaults.
 */
unsigned int l2tpsec_max_crypto_inflight_sa __read_mostly = 256;
module_param_named(max_crypto_inflight_sa, l2tpsec_max_crypto_inflight_sa,
		   uint, 0644);
MODULE_PARM_DESC(max_crypto_inflight_sa,
		 "crypto requests in flight per SA (default 256)");
unsigned int l2tpsec_max_crypto_inflight_dev __read_mostly = 4096;
module_param_named(max_crypto_inflight_dev, l2tpsec_max_crypto_inflight_dev,
		   uint, 0644);
MODULE_PARM_DESC(max_crypto_inflight_dev,
		 "crypto requests in flight per device, all SAs (default 4096)");

/*
 * Take a place for one request on @sa and its device; false, and one log
 * line the first time on this SA, when either cap is reached.
 */
static bool esp_crypto_charge(struct l2tpsec_sa *sa)
{
	struct l2tpsec_dev *ldev = sa->peer->ldev;
	unsigned int max = READ_ONCE(l2tpsec_max_crypto_inflight_sa);
	bool per_sa = true;

	if (unlikely((unsigned int)atomic_inc_return(&sa->crypto_inflight) >
		     max))
		goto over;
	max = READ_ONCE(l2tpsec_max_crypto_inflight_dev);
	if (likely((unsigned int)atomic_inc_return(&ldev->crypto_inflight) <=
		   max))
		return true;
	atomic_dec(&ldev->crypto_inflight);
	per_sa = false;
over:
	atomic_dec(&sa->crypto_inflight);
	if (!test_bit(L2TPSEC_SA_F_BACKLOG_LOGGED, &sa->flags) &&
	    !test_and_set_bit(L2TPSEC_SA_F_BACKLOG_LOGGED, &sa->flags))
		net_warn_ratelimited("%s: peer %u: SA 0x%08x: %u crypto requests in flight per %s reached, dropping (module parameter max_crypto_inflight_%s)\n",
				     ldev->dev->name, sa->peer->id, sa->spi,
				     max, per_sa ? "SA" : "device",
				     per_sa ? "sa" : "dev");
	return false;
}

static void esp_crypto_uncharge(struct l2tpsec_sa *sa)
{
	atomic_dec(&sa->peer->ldev->crypto_inflight);
	atomic_dec(&sa->crypto_inflight);
}

/*
 * One allocation: the IV, aligned as the transform asks (its alignmask;
 * kmalloc() only promises ARCH_KMALLOC_MINALIGN), then the request and the
 * scatterlist entry, as net/ipv4/esp4.c lays them out.
 */
void *l2tpsec_esp_alloc_req_mem(struct crypto_aead *aead)
{
	unsigned int len;

	KUNIT_STATIC_STUB_REDIRECT(l2tpsec_esp_alloc_req_mem, aead);

	len = crypto_aead_ivsize(aead);
	len += crypto_aead_alignmask(aead) & ~(crypto_tfm_ctx_alignment() - 1);
	len = ALIGN(len, crypto_tfm_ctx_alignment());
	len += sizeof(struct aead_request) + crypto_aead_reqsize(aead);
	len = ALIGN(len, __alignof__(struct scatterlist));
	len += sizeof(struct scatterlist);
	return kmalloc(len, GFP_ATOMIC);
}

static u8 *esp_req_iv(struct crypto_aead *aead, void *mem)
{
	return PTR_ALIGN((u8 *)mem, crypto_aead_alignmask(aead) + 1);
}

static struct aead_request *esp_req(struct crypto_aead *aead, void *mem)
{
	struct aead_request *req;

	req = PTR_ALIGN((void *)(esp_req_iv(aead, mem) +
				 crypto_aead_ivsize(aead)),
			crypto_tfm_ctx_alignment());
	aead_request_set_tfm(req, aead);
	return req;
}

static struct scatterlist *esp_req_sg(struct crypto_aead *aead,
				      struct aead_request *req)
{
	return (void *)ALIGN((unsigned long)(req + 1) +
			     crypto_aead_reqsize(aead),
			     __alignof__(struct scatterlist));
}

unsigned int l2tpsec_esp_tail_len(const struct l2tpsec_sa *sa,
				  unsigned int len)
{
	return ALIGN(len + 2, sa->block_size) - len + sa->icv_len;
}

/* ---- output ------------------------------------------------------------- */

static void esp_output_finish(struct sk_buff *skb, int err)
{
	struct l2tpsec_skb_cb *cb = L2TPSEC_SKB_CB(skb);
	struct l2tpsec_sa *sa = cb->sa;

	/* Set once the request holds a place (esp_crypto_charge()). */
	if (cb->req_mem) {
		esp_crypto_uncharge(sa);
		kfree(cb->req_mem);
		cb->req_mem = NULL;
	}
	if (unlikely(err)) {
		net_dbg_ratelimited("%s: peer %u: ESP encryption on SA 0x%08x failed: %d\n",
				    sa->peer->ldev->dev->name, sa->peer->id,
				    sa->spi, err);
		l2tpsec_count(&sa->stats, L2TPSEC_STAT_TX_ERRORS, 1);
		l2tpsec_count(&sa->peer->ldev->stats, L2TPSEC_STAT_TX_ERRORS, 1);
		kfree_skb(skb);
	} else {
		l2tpsec_tx_encrypted(sa, skb);
	}
	l2tpsec_sa_put(sa);
}

/* Before the request: count @stat, drop, and put the caller's SA. */
static void esp_output_drop(struct l2tpsec_sa *sa, struct sk_buff *skb,
			    enum l2tpsec_stat stat)
{
	l2tpsec_count(&sa->stats, stat, 1);
	l2tpsec_count(&sa->peer->ldev->stats, stat, 1);
	DEV_STATS_INC(sa->peer->ldev->dev, tx_dropped);
	kfree_skb(skb);
	l2tpsec_sa_put(sa);
}

static void esp_output_done(void *data, int err)
{
	struct sk_buff *skb = data;

	/* Left the backlog; the real completion follows. */
	if (err == -EINPROGRESS)
		return;
	rcu_read_lock();
	local_bh_disable();
	esp_output_finish(skb, err);
	local_bh_enable();
	rcu_read_unlock();
}

L2TPSEC_DEFINE_CRYPTO_CB(esp_output_done)

void l2tpsec_esp_output(struct l2tpsec_sa *sa, struct sk_buff *skb)
{
	struct l2tpsec_skb_cb *cb = L2TPSEC_SKB_CB(skb);
	unsigned int plen, clen, padlen, i;
	struct crypto_aead *aead = sa->aead;
	struct ip_esp_hdr *esph;
	struct aead_request *req;
	struct scatterlist *sg;
	__be64 seqno;
	u8 *tail, *iv;
	void *mem;
	u32 seq;
	int err;

	cb->sa = sa;
	cb->req_mem = NULL;

	seq = 0;
	if (likely(l2tpsec_sa_account(sa, skb->len)))
		seq = l2tpsec_sa_next_seq(sa);
	if (unlikely(!seq)) {
		l2tpsec_count(&sa->stats, L2TPSEC_STAT_EXPIRED_DROPS, 1);
		l2tpsec_count(&sa->peer->ldev->stats,
			      L2TPSEC_STAT_EXPIRED_DROPS, 1);
		kfree_skb(skb);
		l2tpsec_sa_put(sa);
		return;
	}

	plen = skb->len;
	clen = ALIGN(plen + 2, sa->block_size);
	padlen = clen - plen - 2;
	if (WARN_ON_ONCE(skb_tailroom(skb) < clen - plen + sa->icv_len ||
			 skb_headroom(skb) < l2tpsec_esp_hdr_len(sa))) {
		esp_output_finish(skb, -ENOBUFS);
		return;
	}

	/* RFC 4303 2.4: padding bytes 1, 2, 3, ...; then length, next header */
	tail = skb_put(skb, clen - plen + sa->icv_len);
	for (i = 0; i < padlen; i++)
		tail[i] = i + 1;
	tail[padlen] = padlen;
	tail[padlen + 1] = IPPROTO_UDP;

	esph = skb_push(skb, l2tpsec_esp_hdr_len(sa));
	esph->spi = htonl(sa->spi);
	esph->seq_no = htonl(seq);

	if (unlikely(!esp_crypto_charge(sa))) {
		esp_output_drop(sa, skb, L2TPSEC_STAT_CRYPTO_BACKLOG_DROPS);
		return;
	}
	mem = l2tpsec_esp_alloc_req_mem(aead);
	if (unlikely(!mem)) {
		esp_crypto_uncharge(sa);
		esp_output_drop(sa, skb, L2TPSEC_STAT_NOMEM_DROPS);
		return;
	}
	/* From here on esp_output_finish() gives the place back. */
	cb->req_mem = mem;
	iv = esp_req_iv(aead, mem);
	req = esp_req(aead, mem);
	sg = esp_req_sg(aead, req);

	sg_init_one(sg, esph, skb->len);
	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG,
				  esp_output_done_cb, skb);
	aead_request_set_crypt(req, sg, sg, sa->iv_len + clen, iv);
	aead_request_set_ad(req, ESP_HDR_LEN);

	/* The IV generator (seqiv/echainiv) derives the IV from the seqno. */
	seqno = cpu_to_be64(seq);
	memset(iv, 0, sa->iv_len);
	memcpy(iv + sa->iv_len - min_t(unsigned int, sa->iv_len, 8),
	       (u8 *)&seqno + 8 - min_t(unsigned int, sa->iv_len, 8),
	       min_t(unsigned int, sa->iv_len, 8));

	err = crypto_aead_encrypt(req);
	if (err == -EINPROGRESS || err == -EBUSY)
		return;
	esp_output_finish(skb, err);
}

/* ---- input -------------------------------------------------------------- */

static void esp_input_drop(struct sk_buff *skb, enum l2tpsec_stat stat)
{
	struct l2tpsec_sa *sa = L2TPSEC_SKB_CB(skb)->sa;

	l2tpsec_count(&sa->stats, stat, 1);
	l2tpsec_count(&sa->peer->ldev->stats, stat, 1);
	kfree_skb(skb);
}

static void esp_input_finish(struct sk_buff *skb, int err)
{
	struct l2tpsec_skb_cb *cb = L2TPSEC_SKB_CB(skb);
	struct l2tpsec_sa *sa = cb->sa;
	unsigned int trailer_off;
	u8 padlen, nexthdr;

	kfree(cb->req_mem);
	cb->req_mem = NULL;
	esp_crypto_uncharge(sa);

	if (unlikely(err)) {
		if (err == -EBADMSG) {
			net_dbg_ratelimited("%s: peer %u: ICV check failed on SA 0x%08x seq %u (wrong key or corrupted)\n",
					    sa->peer->ldev->dev->name,
					    sa->peer->id, sa->spi, cb->seq);
			esp_input_drop(skb, L2TPSEC_STAT_ICV_FAILS);
		} else {
			esp_input_drop(skb, L2TPSEC_STAT_MALFORMED_DROPS);
		}
		goto out;
	}

	/* Authenticated: now the sequence number may move the window. */
	spin_lock_bh(&sa->replay_lock);
	cb->top_advanced = cb->seq > sa->replay.top;
	err = l2tpsec_replay_update(&sa->replay, cb->seq);
	spin_unlock_bh(&sa->replay_lock);
	if (unlikely(err)) {
		esp_input_drop(skb, L2TPSEC_STAT_REPLAY_DROPS);
		goto out;
	}

	trailer_off = skb->len - sa->icv_len - 2;
	padlen = skb->data[trailer_off];
	nexthdr = skb->data[trailer_off + 1];
	if (unlikely(padlen + 2 + sa->icv_len >
		     skb->len - l2tpsec_esp_hdr_len(sa) ||
		     nexthdr != IPPROTO_UDP)) {
		net_dbg_ratelimited("%s: peer %u: bad ESP trailer on SA 0x%08x (pad %u, next header %u)\n",
				    sa->peer->ldev->dev->name, sa->peer->id,
				    sa->spi, padlen, nexthdr);
		esp_input_drop(skb, L2TPSEC_STAT_MALFORMED_DROPS);
		goto out;
	}

	if (!l2tpsec_sa_account(sa, skb->len)) {
		esp_input_drop(skb, L2TPSEC_STAT_EXPIRED_DROPS);
		goto out;
	}
	if (unlikely(!test_bit(L2TPSEC_SA_F_USED, &sa->flags)) &&
	    !test_and_set_bit(L2TPSEC_SA_F_USED, &sa->flags))
		l2tpsec_nl_sa_event(sa, L2TPSEC_EVENT_SA_FIRST_USE, 0);

	l2tpsec_count(&sa->stats, L2TPSEC_STAT_RX_PACKETS, 1);
	l2tpsec_count(&sa->stats, L2TPSEC_STAT_RX_BYTES, skb->len);
	l2tpsec_count(&sa->peer->stats, L2TPSEC_STAT_RX_PACKETS, 1);
	l2tpsec_count(&sa->peer->stats, L2TPSEC_STAT_RX_BYTES, skb->len);

	skb_trim(skb, trailer_off - padlen);
	__skb_pull(skb, l2tpsec_esp_hdr_len(sa));
	skb_reset_transport_header(skb);
	l2tpsec_rx_decrypted(sa, skb);
out:
	l2tpsec_sa_put(sa);
}

static void esp_input_done(void *data, int err)
{
	struct sk_buff *skb = data;

	if (err == -EINPROGRESS)
		return;
	rcu_read_lock();
	local_bh_disable();
	esp_input_finish(skb, err);
	local_bh_enable();
	rcu_read_unlock();
}

L2TPSEC_DEFINE_CRYPTO_CB(esp_input_done)

void l2tpsec_esp_input(struct l2tpsec_sa *sa, struct sk_buff *skb)
{
	struct l2tpsec_skb_cb *cb = L2TPSEC_SKB_CB(skb);
	struct crypto_aead *aead = sa->aead;
	struct aead_request *req;
	struct scatterlist *sg;
	unsigned int elen;
	void *mem;
	int err;

	cb->sa = sa;
	cb->req_mem = NULL;

	/* The ciphertext must hold at least the trailer, in whole blocks. */
	if (unlikely(skb->len < l2tpsec_esp_hdr_len(sa) + sa->block_size +
			       sa->icv_len)) {
		esp_input_drop(skb, L2TPSEC_STAT_MALFORMED_DROPS);
		goto put_sa;
	}
	elen = skb->len - l2tpsec_esp_hdr_len(sa) - sa->icv_len;
	if (unlikely(elen % sa->block_size)) {
		esp_input_drop(skb, L2TPSEC_STAT_MALFORMED_DROPS);
		goto put_sa;
	}

	cb->seq = ntohl(((struct ip_esp_hdr *)skb->data)->seq_no);
	spin_lock_bh(&sa->replay_lock);
	err = l2tpsec_replay_check(&sa->replay, cb->seq);
	spin_unlock_bh(&sa->replay_lock);
	if (unlikely(err)) {
		net_dbg_ratelimited("%s: peer %u: replayed or too old seq %u on SA 0x%08x\n",
				    sa->peer->ldev->dev->name, sa->peer->id,
				    cb->seq, sa->spi);
		esp_input_drop(skb, L2TPSEC_STAT_REPLAY_DROPS);
		goto put_sa;
	}

	if (unlikely(!esp_crypto_charge(sa))) {
		esp_input_drop(skb, L2TPSEC_STAT_CRYPTO_BACKLOG_DROPS);
		goto put_sa;
	}
	mem = l2tpsec_esp_alloc_req_mem(aead);
	if (unlikely(!mem)) {
		esp_crypto_uncharge(sa);
		esp_input_drop(skb, L2TPSEC_STAT_NOMEM_DROPS);
		goto put_sa;
	}
	/* esp_input_finish() gives the place back. */
	cb->req_mem = mem;
	req = esp_req(aead, mem);
	sg = esp_req_sg(aead, req);

	sg_init_one(sg, skb->data, skb->len);
	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG,
				  esp_input_done_cb, skb);
	/* The ICV is part of the ciphertext for decryption. */
	aead_request_set_crypt(req, sg, sg, skb->len - ESP_HDR_LEN,
			       esp_req_iv(aead, mem));
	aead_request_set_ad(req, ESP_HDR_LEN);

	err = crypto_aead_decrypt(req);
	if (err == -EINPROGRESS || err == -EBUSY)
		return;
	esp_input_finish(skb, err);
	return;

put_sa:
	l2tpsec_sa_put(sa);
}
