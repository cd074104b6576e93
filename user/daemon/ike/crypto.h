/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IKE cryptography over OpenSSL 3 EVP: HMAC and digests (MD5, SHA-1,
 * SHA-2), AES-CBC and 3DES-CBC, Diffie-Hellman (MODP 1024..4096, ECP 256
 * and 384), RSA PKCS#1 signatures of raw hashes. No hand-written crypto.
 * Algorithm numbers are IKEv1's (RFC 2409 appendix A).
 */
#ifndef L2TPSECD_IKE_CRYPTO_H
#define L2TPSECD_IKE_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#define IKE_MAX_HASH	64	/* SHA-512 */
#define IKE_MAX_BLOCK	16
#define IKE_MAX_KEY	32
#define IKE_MAX_DH	512	/* MODP 4096 */

/* Phase 1 hash algorithms; the PRF is HMAC with the same hash. */
enum {
	IKE_HASH_MD5	= 1,
	IKE_HASH_SHA1	= 2,
	IKE_HASH_SHA256	= 4,
	IKE_HASH_SHA384	= 5,
	IKE_HASH_SHA512	= 6,
};

/* Phase 1 ciphers. */
enum {
	IKE_ENC_DES	= 1,
	IKE_ENC_3DES	= 5,
	IKE_ENC_AES_CBC	= 7,
};

/* Groups. */
enum {
	IKE_GROUP_NONE		= 0,
	IKE_GROUP_MODP768	= 1,
	IKE_GROUP_MODP1024	= 2,
	IKE_GROUP_MODP1536	= 5,
	IKE_GROUP_MODP2048	= 14,
	IKE_GROUP_MODP3072	= 15,
	IKE_GROUP_MODP4096	= 16,
	IKE_GROUP_ECP256	= 19,
	IKE_GROUP_ECP384	= 20,
};

struct ike_chunk {
	const void	*p;
	size_t		len;
};

size_t ike_hash_size(unsigned int hash);
const char *ike_hash_name(unsigned int hash);	/* "sha256" */

/* HMAC over the concatenation of @parts; @out has ike_hash_size() bytes. */
int ike_hmac(unsigned int hash, const void *key, size_t klen,
	     const struct ike_chunk *parts, size_t nparts, uint8_t *out);
int ike_digest(unsigned int hash, const struct ike_chunk *parts,
	       size_t nparts, uint8_t *out);

/* Key and block size of a phase 1 cipher with @keybits (0: default). */
int ike_cipher_sizes(unsigned int enc, unsigned int keybits, size_t *keylen,
		     size_t *blocklen);
/* CBC without padding; @len is a multiple of the block size. */
int ike_cbc(unsigned int enc, const uint8_t *key, size_t keylen,
	    const uint8_t *iv, const uint8_t *in, size_t len, uint8_t *out,
	    bool encrypt);

/*
 * @n random bytes: 0. A failure of OpenSSL that does not go away ends
 * the daemon with a named line (never predictable bytes).
 */
int ike_random(void *p, size_t n);

bool ike_group_known(unsigned int group);
const char *ike_group_name(unsigned int group);	/* "modp2048", "ecp256" */
/* KE payload length: the prime's size, or both coordinates. */
size_t ike_group_pub_len(unsigned int group);

struct ike_dh;
/* A fresh key pair in @group; NULL on failure. */
struct ike_dh *ike_dh_new(unsigned int group);
void ike_dh_free(struct ike_dh *dh);
unsigned int ike_dh_group(const struct ike_dh *dh);
/* Our public value, ike_group_pub_len() bytes. */
int ike_dh_pub(const struct ike_dh *dh, uint8_t *out, size_t len);
/*
 * g^xy with the peer's public value (checked: in range for MODP, on the
 * curve for ECP). MODP secrets are padded to the prime's size; ECP ones
 * are the x coordinate (RFC 5903). -EINVAL for a bad public value.
 */
int ike_dh_shared(struct ike_dh *dh, const uint8_t *peer, size_t len,
		  uint8_t *out, size_t *outlen);

/* RSA PKCS#1 v1.5 signature of a raw hash (no DigestInfo), RFC 2409 5.1. */
int ike_rsa_sign(EVP_PKEY *key, const uint8_t *data, size_t len,
		 uint8_t *sig, size_t *siglen);
/* 0 when @sig verifies, -EBADMSG when it does not. */
int ike_rsa_verify(EVP_PKEY *key, const uint8_t *data, size_t len,
		   const uint8_t *sig, size_t siglen);

/* Wipe secrets. */
void ike_wipe(void *p, size_t n);

#endif
