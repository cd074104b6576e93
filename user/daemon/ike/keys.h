/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKEv1 key derivation (RFC 2409 5, 5.5 and appendix B): SKEYID for
 * pre-shared keys and for signatures, SKEYID_d/_a/_e, the phase 1 cipher
 * key, the IVs, HASH_I/HASH_R, and the Quick Mode KEYMAT. Pure functions
 * of their inputs, over crypto.h.
 */
#ifndef L2TPSECD_IKE_KEYS_H
#define L2TPSECD_IKE_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "crypto.h"

struct ike_keys {
	unsigned int	hash;		/* the PRF is HMAC-hash */
	size_t		prf_len;
	uint8_t		skeyid[IKE_MAX_HASH];
	uint8_t		d[IKE_MAX_HASH];
	uint8_t		a[IKE_MAX_HASH];
	uint8_t		e[IKE_MAX_HASH];
	unsigned int	enc;
	size_t		enc_len, block;
	uint8_t		enc_key[IKE_MAX_KEY];
};

/* SKEYID = prf(pre-shared-key, Ni_b | Nr_b) */
int ike_skeyid_psk(unsigned int hash, const void *psk, size_t psk_len,
		   const uint8_t *ni, size_t ni_len, const uint8_t *nr,
		   size_t nr_len, uint8_t *skeyid);
/* SKEYID = prf(Ni_b | Nr_b, g^xy) */
int ike_skeyid_sig(unsigned int hash, const uint8_t *ni, size_t ni_len,
		   const uint8_t *nr, size_t nr_len, const uint8_t *gxy,
		   size_t gxy_len, uint8_t *skeyid);

/*
 * From k->skeyid (and k->hash, k->enc, k->enc_len, k->block set by the
 * caller): SKEYID_d, _a, _e and the cipher key (expanded per appendix B
 * when SKEYID_e is shorter than the key).
 */
int ike_keys_derive(struct ike_keys *k, const uint8_t *gxy, size_t gxy_len,
		    const uint8_t *icky, const uint8_t *rcky);

/* IV of the first encrypted phase 1 message: hash(g^xi | g^xr). */
int ike_iv_p1(unsigned int hash, size_t block, const uint8_t *gxi,
	      size_t gxi_len, const uint8_t *gxr, size_t gxr_len, uint8_t *iv);
/* IV of a phase 2 or informational exchange: hash(last IV | M-ID). */
int ike_iv_p2(unsigned int hash, size_t block, const uint8_t *p1_iv,
	      uint32_t msgid, uint8_t *iv);

/*
 * HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b);
 * HASH_R the same with g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b.
 * @gx_own/@gx_other are from the point of view of whoever signs.
 */
int ike_hash_auth(const struct ike_keys *k, bool initiator,
		  const uint8_t *gxi, const uint8_t *gxr, size_t gx_len,
		  const uint8_t *icky, const uint8_t *rcky,
		  const uint8_t *sai_b, size_t sai_len,
		  const uint8_t *id_b, size_t id_len, uint8_t *out);

/*
 * KEYMAT for one direction (the SPI is the receiver's):
 * prf(SKEYID_d, [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b), expanded as
 * K1 | K2 | ... with Kn+1 = prf(SKEYID_d, Kn | [g(qm)^xy |] ...).
 */
int ike_keymat(const struct ike_keys *k, const uint8_t *gqm, size_t gqm_len,
	       uint8_t proto, uint32_t spi, const uint8_t *ni, size_t ni_len,
	       const uint8_t *nr, size_t nr_len, uint8_t *out, size_t len);

/* prf(SKEYID_a, parts...) for the Quick Mode and Informational hashes. */
int ike_prf_a(const struct ike_keys *k, const struct ike_chunk *parts,
	      size_t nparts, uint8_t *out);

#endif
