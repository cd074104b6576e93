// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 2409 key derivation against vectors computed independently (Python's
 * hmac/hashlib, the formulas of RFC 2409 5, 5.5 and appendix B), and the
 * crypto primitives: DH agreement in every group, CBC round trips, RSA
 * signatures of raw hashes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/rsa.h>

#include "ike/crypto.h"
#include "ike/keys.h"

static void unhex(const char *h, uint8_t *out, size_t *len)
{
	size_t i, n = strlen(h) / 2;

	for (i = 0; i < n; i++) {
		unsigned int b;

		sscanf(h + 2 * i, "%2x", &b);
		out[i] = (uint8_t)b;
	}
	*len = n;
}

static void assert_hex(const uint8_t *got, size_t len, const char *want)
{
	uint8_t w[256];
	size_t n;

	unhex(want, w, &n);
	assert_int_equal(len, n);
	assert_memory_equal(got, w, n);
}

struct vec {
	unsigned int hash;
	const char *skeyid, *d, *a, *e, *ka, *iv, *keymat, *ivp2, *hi, *hr,
		   *skeyid_sig;
};

static const struct vec vecs[] = {
	{ IKE_HASH_SHA1,
	  "afe9485a34cf04a78c4f0101a2a08974b912de08",
	  "85dc5a93022ea123134b37c1a985905aa8e9780a",
	  "fd339a3ad1351c6b634bcdf835278cbd7e142dc1",
	  "8b60ae0f0c2255e57a8f9789d88c6a9aa80e72f8",
	  "17b8a1f164a8a371e5f33100fd825733a98eaf651b666874f1d58404786e01cc",
	  "2d27924ba36bfd781ce4106e8672689e",
	  "3104b02f4e49505cb3491af59ee1050d3d2169b3221f8f4fedd387bb010dbbca52190a068702834d825b1014da54ae3933cfb596",
	  "3f607f3d20786a187b28162646988fa0",
	  "6b28300a81eb3c9c986be6463ef4a73dd9ac618a",
	  "eb7821fe1c64f5f237f9b377c9d1e052c71d38a4",
	  "65b0f6ca485f675fdbc3fbf11cada9b92a3c6657" },
	{ IKE_HASH_SHA256,
	  "5f5d485f2228776ad7710aa47d15a4d61744dbb9a2a3e5647f5a1bbfcf8015e1",
	  "ed4b3939beb34109fdd104761f727b5e7339f284e29ad635f7679e0f05890836",
	  "3ea0e46a0be194546b050206e279ce75a27eea3c7e181114a6a0bd145d760c00",
	  "26d7cdd6a99dab401277db3eca1a330efac71fd2eb69b07b5f3bf294b75d4f28",
	  "26d7cdd6a99dab401277db3eca1a330efac71fd2eb69b07b5f3bf294b75d4f28",
	  "8bd62b3330f9efc5e9ffaaf776129ac2",
	  "37d29c488ee2051bcdd532a9b8a3a51158ef84d162f9387543429642f9c35eddaa4a00b9e36bc769df69019d01284cd2ea753aad",
	  "4bb7adb6645f85bfca0c86e35dd9c60a",
	  "b585d979eb8b7344fc7462e36cb6b042f9e3a3c86b88a08cd9778972043d1295",
	  "3d900ce1682171c92528e818548404d1cb678a7ed4d6d9872f8c2278175c3e8d",
	  "589b3ebfa86d9b8b49b43838ea79f53637ac0210ba128e2a3c1285f75780194d" },
};

static void test_rfc2409_vectors(void **state)
{
	uint8_t ni[32], nr[32], gxy[128], gxi[128], gxr[128], ci[8], cr[8];
	uint8_t out[256], sai[40], idb[8] = { 1, 0, 0, 0, 10, 0, 0, 2 };
	size_t i;

	(void)state;
	for (i = 0; i < 32; i++) {
		ni[i] = (uint8_t)i;
		nr[i] = (uint8_t)(32 + i);
	}
	for (i = 0; i < 8; i++) {
		ci[i] = (uint8_t)(1 + i);
		cr[i] = (uint8_t)(9 + i);
	}
	memset(gxy, 0x11, sizeof(gxy));
	memset(gxi, 0x22, sizeof(gxi));
	memset(gxr, 0x33, sizeof(gxr));
	memset(sai, 0x44, sizeof(sai));
	for (i = 0; i < sizeof(vecs) / sizeof(vecs[0]); i++) {
		const struct vec *v = &vecs[i];
		struct ike_keys k = { .hash = v->hash, .enc = IKE_ENC_AES_CBC,
				      .enc_len = 32, .block = 16 };
		size_t hl = ike_hash_size(v->hash);

		assert_int_equal(ike_skeyid_psk(v->hash, "secret", 6, ni, 32,
						nr, 32, k.skeyid), 0);
		assert_hex(k.skeyid, hl, v->skeyid);
		assert_int_equal(ike_keys_derive(&k, gxy, 128, ci, cr), 0);
		assert_hex(k.d, hl, v->d);
		assert_hex(k.a, hl, v->a);
		assert_hex(k.e, hl, v->e);
		assert_hex(k.enc_key, 32, v->ka);
		assert_int_equal(ike_iv_p1(v->hash, 16, gxi, 128, gxr, 128,
					   out), 0);
		assert_hex(out, 16, v->iv);
		{
			uint8_t iv[16];

			memcpy(iv, out, 16);
			assert_int_equal(ike_iv_p2(v->hash, 16, iv, 0xa1b2c3d4,
						   out), 0);
			assert_hex(out, 16, v->ivp2);
		}
		assert_int_equal(ike_keymat(&k, NULL, 0, 3, 0x12345678, ni, 32,
					    nr, 32, out, 52), 0);
		assert_hex(out, 52, v->keymat);
		assert_int_equal(ike_hash_auth(&k, true, gxi, gxr, 128, ci, cr,
					       sai, 40, idb, 8, out), 0);
		assert_hex(out, hl, v->hi);
		assert_int_equal(ike_hash_auth(&k, false, gxi, gxr, 128, ci,
					       cr, sai, 40, idb, 8, out), 0);
		assert_hex(out, hl, v->hr);
		assert_int_equal(ike_skeyid_sig(v->hash, ni, 32, nr, 32, gxy,
						128, out), 0);
		assert_hex(out, hl, v->skeyid_sig);
	}
}

static void test_dh_groups(void **state)
{
	static const unsigned int groups[] = {
		IKE_GROUP_MODP1024, IKE_GROUP_MODP1536, IKE_GROUP_MODP2048,
		IKE_GROUP_MODP3072, IKE_GROUP_MODP4096, IKE_GROUP_ECP256,
		IKE_GROUP_ECP384,
	};
	uint8_t pa[IKE_MAX_DH], pb[IKE_MAX_DH], sa[IKE_MAX_DH], sb[IKE_MAX_DH];
	size_t i, la, lb, n;

	(void)state;
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		struct ike_dh *a = ike_dh_new(groups[i]);
		struct ike_dh *b = ike_dh_new(groups[i]);

		assert_non_null(a);
		assert_non_null(b);
		n = ike_group_pub_len(groups[i]);
		assert_int_equal(ike_dh_pub(a, pa, n), 0);
		assert_int_equal(ike_dh_pub(b, pb, n), 0);
		assert_int_equal(ike_dh_shared(a, pb, n, sa, &la), 0);
		assert_int_equal(ike_dh_shared(b, pa, n, sb, &lb), 0);
		assert_int_equal(la, lb);
		/* MODP: padded to the prime; ECP: the x coordinate. */
		assert_int_equal(la, groups[i] >= IKE_GROUP_ECP256 ? n / 2 : n);
		assert_memory_equal(sa, sb, la);
		/* Bad public values are refused, not used. */
		memset(pb, 0, n);
		assert_int_not_equal(ike_dh_shared(a, pb, n, sa, &la), 0);
		pb[n - 1] = 1;
		assert_int_not_equal(ike_dh_shared(a, pb, n, sa, &la), 0);
		memset(pb, 0xff, n);
		assert_int_not_equal(ike_dh_shared(a, pb, n, sa, &la), 0);
		assert_int_not_equal(ike_dh_shared(a, pb, n - 1, sa, &la), 0);
		ike_dh_free(a);
		ike_dh_free(b);
	}
	assert_null(ike_dh_new(IKE_GROUP_MODP768));
	assert_null(ike_dh_new(99));
}

static void test_cbc(void **state)
{
	uint8_t key[32], iv[16], in[64], ct[64], pt[64];
	size_t kl, bl;

	(void)state;
	ike_random(key, sizeof(key));
	ike_random(iv, sizeof(iv));
	ike_random(in, sizeof(in));
	assert_int_equal(ike_cipher_sizes(IKE_ENC_AES_CBC, 256, &kl, &bl), 0);
	assert_int_equal(kl, 32);
	assert_int_equal(bl, 16);
	assert_int_equal(ike_cipher_sizes(IKE_ENC_AES_CBC, 0, &kl, &bl), 0);
	assert_int_equal(kl, 16);
	assert_int_equal(ike_cipher_sizes(IKE_ENC_3DES, 0, &kl, &bl), 0);
	assert_int_equal(kl, 24);
	assert_int_equal(bl, 8);
	assert_int_not_equal(ike_cipher_sizes(IKE_ENC_AES_CBC, 100, &kl, &bl), 0);
	assert_int_not_equal(ike_cipher_sizes(IKE_ENC_DES, 0, &kl, &bl), 0);
	assert_int_equal(ike_cbc(IKE_ENC_AES_CBC, key, 32, iv, in, 64, ct, true), 0);
	assert_memory_not_equal(ct, in, 64);
	assert_int_equal(ike_cbc(IKE_ENC_AES_CBC, key, 32, iv, ct, 64, pt, false), 0);
	assert_memory_equal(pt, in, 64);
	assert_int_equal(ike_cbc(IKE_ENC_3DES, key, 24, iv, in, 64, ct, true), 0);
	assert_int_equal(ike_cbc(IKE_ENC_3DES, key, 24, iv, ct, 64, pt, false), 0);
	assert_memory_equal(pt, in, 64);
	/* Not a whole number of blocks. */
	assert_int_not_equal(ike_cbc(IKE_ENC_AES_CBC, key, 16, iv, in, 20, ct, true), 0);
}

static void test_rsa(void **state)
{
	EVP_PKEY *key = EVP_RSA_gen(2048);
	uint8_t hash[20], sig[512];
	size_t siglen = sizeof(sig);

	(void)state;
	assert_non_null(key);
	ike_random(hash, sizeof(hash));
	assert_int_equal(ike_rsa_sign(key, hash, 20, sig, &siglen), 0);
	assert_int_equal(siglen, 256);
	assert_int_equal(ike_rsa_verify(key, hash, 20, sig, siglen), 0);
	hash[0] ^= 1;
	assert_int_not_equal(ike_rsa_verify(key, hash, 20, sig, siglen), 0);
	hash[0] ^= 1;
	sig[10] ^= 1;
	assert_int_not_equal(ike_rsa_verify(key, hash, 20, sig, siglen), 0);
	EVP_PKEY_free(key);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc2409_vectors),
		cmocka_unit_test(test_dh_groups),
		cmocka_unit_test(test_cbc),
		cmocka_unit_test(test_rsa),
	};

	return cmocka_run_group_tests_name("ike_keys", tests, NULL, NULL);
}
