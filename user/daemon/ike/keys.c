// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv1 key derivation, RFC 2409 5 and appendix B. See keys.h.
 */
#include <errno.h>
#include <string.h>

#include "keys.h"

int ike_skeyid_psk(unsigned int hash, const void *psk, size_t psk_len,
		   const uint8_t *ni, size_t ni_len, const uint8_t *nr,
		   size_t nr_len, uint8_t *skeyid)
{
	struct ike_chunk parts[] = { { ni, ni_len }, { nr, nr_len } };

	return ike_hmac(hash, psk, psk_len, parts, 2, skeyid);
}

int ike_skeyid_sig(unsigned int hash, const uint8_t *ni, size_t ni_len,
		   const uint8_t *nr, size_t nr_len, const uint8_t *gxy,
		   size_t gxy_len, uint8_t *skeyid)
{
	uint8_t key[512];
	struct ike_chunk parts[] = { { gxy, gxy_len } };
	int ret;

	if (ni_len + nr_len > sizeof(key))
		return -EINVAL;
	memcpy(key, ni, ni_len);
	memcpy(key + ni_len, nr, nr_len);
	ret = ike_hmac(hash, key, ni_len + nr_len, parts, 1, skeyid);
	ike_wipe(key, sizeof(key));
	return ret;
}

int ike_keys_derive(struct ike_keys *k, const uint8_t *gxy, size_t gxy_len,
		    const uint8_t *icky, const uint8_t *rcky)
{
	static const uint8_t zero = 0, one = 1, two = 2;
	size_t n, have;
	uint8_t block[IKE_MAX_HASH];
	int ret;

	k->prf_len = ike_hash_size(k->hash);
	if (!k->prf_len || k->enc_len > sizeof(k->enc_key))
		return -EINVAL;
	n = k->prf_len;
	{
		struct ike_chunk p[] = {
			{ gxy, gxy_len }, { icky, 8 }, { rcky, 8 }, { &zero, 1 },
		};
		ret = ike_hmac(k->hash, k->skeyid, n, p, 4, k->d);
		if (ret)
			return ret;
	}
	{
		struct ike_chunk p[] = {
			{ k->d, n }, { gxy, gxy_len }, { icky, 8 }, { rcky, 8 },
			{ &one, 1 },
		};
		ret = ike_hmac(k->hash, k->skeyid, n, p, 5, k->a);
		if (ret)
			return ret;
	}
	{
		struct ike_chunk p[] = {
			{ k->a, n }, { gxy, gxy_len }, { icky, 8 }, { rcky, 8 },
			{ &two, 1 },
		};
		ret = ike_hmac(k->hash, k->skeyid, n, p, 5, k->e);
		if (ret)
			return ret;
	}
	if (n >= k->enc_len) {
		memcpy(k->enc_key, k->e, k->enc_len);
		return 0;
	}
	/* Appendix B: K1 = prf(SKEYID_e, 0), Kn+1 = prf(SKEYID_e, Kn). */
	{
		struct ike_chunk p[] = { { &zero, 1 } };

		ret = ike_hmac(k->hash, k->e, n, p, 1, block);
		if (ret)
			return ret;
	}
	have = 0;
	for (;;) {
		size_t take = k->enc_len - have < n ? k->enc_len - have : n;
		struct ike_chunk p[] = { { block, n } };

		memcpy(k->enc_key + have, block, take);
		have += take;
		if (have == k->enc_len)
			break;
		ret = ike_hmac(k->hash, k->e, n, p, 1, block);
		if (ret)
			return ret;
	}
	ike_wipe(block, sizeof(block));
	return 0;
}

int ike_iv_p1(unsigned int hash, size_t block, const uint8_t *gxi,
	      size_t gxi_len, const uint8_t *gxr, size_t gxr_len, uint8_t *iv)
{
	struct ike_chunk p[] = { { gxi, gxi_len }, { gxr, gxr_len } };
	uint8_t h[IKE_MAX_HASH];
	int ret;

	if (block > ike_hash_size(hash))
		return -EINVAL;
	ret = ike_digest(hash, p, 2, h);
	if (!ret)
		memcpy(iv, h, block);
	return ret;
}

int ike_iv_p2(unsigned int hash, size_t block, const uint8_t *p1_iv,
	      uint32_t msgid, uint8_t *iv)
{
	uint8_t m[4] = {
		(uint8_t)(msgid >> 24), (uint8_t)(msgid >> 16),
		(uint8_t)(msgid >> 8), (uint8_t)msgid,
	};
	struct ike_chunk p[] = { { p1_iv, block }, { m, 4 } };
	uint8_t h[IKE_MAX_HASH];
	int ret;

	if (block > ike_hash_size(hash))
		return -EINVAL;
	ret = ike_digest(hash, p, 2, h);
	if (!ret)
		memcpy(iv, h, block);
	return ret;
}

int ike_hash_auth(const struct ike_keys *k, bool initiator,
		  const uint8_t *gxi, const uint8_t *gxr, size_t gx_len,
		  const uint8_t *icky, const uint8_t *rcky,
		  const uint8_t *sai_b, size_t sai_len,
		  const uint8_t *id_b, size_t id_len, uint8_t *out)
{
	struct ike_chunk p[6];

	if (initiator) {
		p[0] = (struct ike_chunk){ gxi, gx_len };
		p[1] = (struct ike_chunk){ gxr, gx_len };
		p[2] = (struct ike_chunk){ icky, 8 };
		p[3] = (struct ike_chunk){ rcky, 8 };
	} else {
		p[0] = (struct ike_chunk){ gxr, gx_len };
		p[1] = (struct ike_chunk){ gxi, gx_len };
		p[2] = (struct ike_chunk){ rcky, 8 };
		p[3] = (struct ike_chunk){ icky, 8 };
	}
	p[4] = (struct ike_chunk){ sai_b, sai_len };
	p[5] = (struct ike_chunk){ id_b, id_len };
	return ike_hmac(k->hash, k->skeyid, k->prf_len, p, 6, out);
}

int ike_keymat(const struct ike_keys *k, const uint8_t *gqm, size_t gqm_len,
	       uint8_t proto, uint32_t spi, const uint8_t *ni, size_t ni_len,
	       const uint8_t *nr, size_t nr_len, uint8_t *out, size_t len)
{
	uint8_t s[4] = {
		(uint8_t)(spi >> 24), (uint8_t)(spi >> 16),
		(uint8_t)(spi >> 8), (uint8_t)spi,
	};
	uint8_t block[IKE_MAX_HASH];
	size_t n = k->prf_len, have = 0;
	bool first = true;
	int ret;

	while (have < len) {
		struct ike_chunk p[6];
		size_t np = 0, take;

		if (!first)
			p[np++] = (struct ike_chunk){ block, n };
		if (gqm_len)
			p[np++] = (struct ike_chunk){ gqm, gqm_len };
		p[np++] = (struct ike_chunk){ &proto, 1 };
		p[np++] = (struct ike_chunk){ s, 4 };
		p[np++] = (struct ike_chunk){ ni, ni_len };
		p[np++] = (struct ike_chunk){ nr, nr_len };
		ret = ike_hmac(k->hash, k->d, n, p, np, block);
		if (ret)
			return ret;
		take = len - have < n ? len - have : n;
		memcpy(out + have, block, take);
		have += take;
		first = false;
	}
	ike_wipe(block, sizeof(block));
	return 0;
}

int ike_prf_a(const struct ike_keys *k, const struct ike_chunk *parts,
	      size_t nparts, uint8_t *out)
{
	return ike_hmac(k->hash, k->a, k->prf_len, parts, nparts, out);
}
