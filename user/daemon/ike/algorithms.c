// SPDX-License-Identifier: GPL-2.0
/*
 * Proposals: the names of algorithms, groups and suites, both ways
 * ("aes256-sha256-modp2048"). See proposal.h.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "proposal_int.h"

/* ---- names ------------------------------------------------------------- */

const struct name_map *name_lookup(const struct name_map *m, size_t n,
				   const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(m[i].name) == len && !strncasecmp(m[i].name, s, len))
			return &m[i];
	return NULL;
}

const char *p1_enc_name(uint16_t enc, uint16_t keylen)
{
	if (enc == IKE_ENC_3DES)
		return "3des";
	if (enc == IKE_ENC_DES)
		return "des";
	if (enc == IKE_ENC_AES_CBC) {
		switch (keylen) {
		case 0:
		case 128: return "aes128";
		case 192: return "aes192";
		case 256: return "aes256";
		default: return "aes-badkeylen";
		}
	}
	return NULL;
}

const char *hash_name(uint16_t h)
{
	switch (h) {
	case IKE_HASH_MD5: return "md5";
	case IKE_HASH_SHA1: return "sha1";
	case IKE_HASH_SHA256: return "sha256";
	case IKE_HASH_SHA384: return "sha384";
	case IKE_HASH_SHA512: return "sha512";
	default: return NULL;
	}
}

const char *aalg_name(uint16_t a)
{
	switch (a) {
	case AALG_NONE: return "none";
	case AALG_HMAC_MD5: return "md5";
	case AALG_HMAC_SHA1: return "sha1";
	case AALG_HMAC_SHA256: return "sha256";
	case AALG_HMAC_SHA384: return "sha384";
	case AALG_HMAC_SHA512: return "sha512";
	default: return NULL;
	}
}

static void num_name(char *buf, size_t len, const char *what, unsigned int v)
{
	snprintf(buf, len, "%s%u", what, v);
}

void p1_alg_str(const struct p1_alg *a, char *buf, size_t len)
{
	char e[24], h[24], g[24];
	const char *s;

	s = p1_enc_name(a->enc, a->keylen);
	if (s)
		snprintf(e, sizeof(e), "%s", s);
	else
		num_name(e, sizeof(e), "enc", a->enc);
	s = hash_name(a->hash);
	if (s)
		snprintf(h, sizeof(h), "%s", s);
	else
		num_name(h, sizeof(h), "hash", a->hash);
	if (ike_group_known(a->group) || a->group == IKE_GROUP_MODP768)
		snprintf(g, sizeof(g), "%s", ike_group_name(a->group));
	else
		num_name(g, sizeof(g), "dh", a->group);
	snprintf(buf, len, "%s-%s-%s", e, h, g);
}

void p2_enc_str(const struct p2_alg *a, char *buf, size_t len)
{
	switch (a->esp) {
	case ESP_AES_CBC:
		snprintf(buf, len, "aes%u", a->keylen ? a->keylen : 128);
		break;
	case ESP_AES_GCM_16:
	case ESP_AES_GCM_12:
	case ESP_AES_GCM_8:
		snprintf(buf, len, "aes%ugcm%u", a->keylen ? a->keylen : 128,
			 a->esp == ESP_AES_GCM_16 ? 16 :
			 a->esp == ESP_AES_GCM_12 ? 12 : 8);
		break;
	case ESP_3DES:
		snprintf(buf, len, "3des");
		break;
	case ESP_DES:
		snprintf(buf, len, "des");
		break;
	case ESP_NULL:
		snprintf(buf, len, "null");
		break;
	default:
		num_name(buf, len, "esp", a->esp);
		break;
	}
}

bool p2_is_aead(uint8_t esp)
{
	return esp == ESP_AES_GCM_16 || esp == ESP_AES_GCM_12 ||
	       esp == ESP_AES_GCM_8;
}

void p2_alg_str(const struct p2_alg *a, char *buf, size_t len)
{
	char e[24], h[24] = "";
	const char *s;
	int n;

	p2_enc_str(a, e, sizeof(e));
	if (!p2_is_aead(a->esp) || a->auth) {
		s = aalg_name(a->auth);
		if (s)
			snprintf(h, sizeof(h), "-%s", s);
		else
			snprintf(h, sizeof(h), "-auth%u", a->auth);
	}
	n = snprintf(buf, len, "%s%s", e, h);
	if (a->group && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, "-%s",
			 ike_group_name(a->group));
}

const char *ike_auth_name(uint16_t auth)
{
	switch (auth) {
	case AUTH_PSK: return "psk";
	case AUTH_DSS: return "dss";
	case AUTH_RSA_SIG: return "rsa-sig";
	case AUTH_RSA_ENC: return "rsa-enc";
	case AUTH_RSA_REV_ENC: return "rsa-rev-enc";
	case AUTH_ECDSA_256: return "ecdsa256";
	case AUTH_ECDSA_384: return "ecdsa384";
	case AUTH_XAUTH_INIT_PSK: return "xauth-psk";
	case AUTH_XAUTH_RESP_PSK: return "xauth-resp-psk";
	case AUTH_XAUTH_INIT_RSA: return "xauth-rsa";
	case AUTH_XAUTH_RESP_RSA: return "xauth-resp-rsa";
	default: return "unknown-auth";
	}
}

const char *ike_encap_name(uint16_t encap)
{
	switch (encap) {
	case ENCAP_TUNNEL: return "tunnel";
	case ENCAP_TRANSPORT: return "transport";
	case ENCAP_UDP_TUNNEL:
	case ENCAP_UDP_TUNNEL_DRAFT: return "udp-tunnel";
	case ENCAP_UDP_TRANSPORT:
	case ENCAP_UDP_TRANSPORT_DRAFT: return "udp-transport";
	default: return "unknown-encapsulation";
	}
}

bool p1_alg_legacy(const struct p1_alg *a)
{
	return a->enc == IKE_ENC_3DES || a->hash == IKE_HASH_MD5 ||
	       a->group == IKE_GROUP_MODP1024;
}

bool p2_alg_legacy(const struct p2_alg *a)
{
	return a->esp == ESP_3DES || a->auth == AALG_HMAC_MD5 ||
	       a->group == IKE_GROUP_MODP1024;
}
