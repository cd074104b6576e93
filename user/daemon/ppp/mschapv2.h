/* SPDX-License-Identifier: GPL-2.0 */
/*
 * l2tpsecd: MS-CHAPv2 (RFC 2759) and CHAP-MD5 (RFC 1994) computations.
 * MD4 and DES come from OpenSSL 3's legacy provider, loaded into a private
 * library context (the rest of the process keeps the default one).
 */
#ifndef L2TPSECD_PPP_MSCHAPV2_H
#define L2TPSECD_PPP_MSCHAPV2_H

#include <stdint.h>

/* Each returns 0 or -EIO (crypto unavailable). */
int chap_md5_response(uint8_t id, const char *secret, const uint8_t *chal,
		      size_t chal_len, uint8_t out[16]);
int mschap_nt_password_hash(const char *password, uint8_t out[16]);
int mschapv2_challenge_hash(const uint8_t peer_chal[16],
			    const uint8_t auth_chal[16], const char *user,
			    uint8_t out[8]);
int mschapv2_nt_response(const uint8_t auth_chal[16],
			 const uint8_t peer_chal[16], const char *user,
			 const char *password, uint8_t out[24]);
/* "S=" and 40 upper-case hex digits, NUL-terminated (43 bytes). */
int mschapv2_authenticator_response(const char *password,
				    const uint8_t nt_response[24],
				    const uint8_t peer_chal[16],
				    const uint8_t auth_chal[16],
				    const char *user, char out[43]);
/* The user name as hashed: without a "DOMAIN\" prefix. */
const char *mschapv2_strip_domain(const char *user);

#endif
