// SPDX-License-Identifier: GPL-2.0
/*
 * Proposals: configuration lists, a peer's offers, the choice, and the
 * explanation of a mismatch. See proposal.h.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "proposal.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- names ------------------------------------------------------------- */

struct name_map {
	const char	*name;
	uint16_t	v1, v2;		/* value, key length */
	bool		legacy;
};

static const struct name_map p1_encs[] = {
	{ "aes128", IKE_ENC_AES_CBC, 128, false },
	{ "aes192", IKE_ENC_AES_CBC, 192, false },
	{ "aes256", IKE_ENC_AES_CBC, 256, false },
	{ "aes", IKE_ENC_AES_CBC, 128, false },
	{ "3des", IKE_ENC_3DES, 0, true },
};

static const struct name_map hashes[] = {
	{ "md5", IKE_HASH_MD5, 0, true },
	{ "sha1", IKE_HASH_SHA1, 0, false },
	{ "sha", IKE_HASH_SHA1, 0, false },
	{ "sha256", IKE_HASH_SHA256, 0, false },
	{ "sha2_256", IKE_HASH_SHA256, 0, false },
	{ "sha384", IKE_HASH_SHA384, 0, false },
	{ "sha2_384", IKE_HASH_SHA384, 0, false },
	{ "sha512", IKE_HASH_SHA512, 0, false },
	{ "sha2_512", IKE_HASH_SHA512, 0, false },
};

static const struct name_map groups[] = {
	{ "modp1024", IKE_GROUP_MODP1024, 0, true },
	{ "modp1536", IKE_GROUP_MODP1536, 0, false },
	{ "modp2048", IKE_GROUP_MODP2048, 0, false },
	{ "modp3072", IKE_GROUP_MODP3072, 0, false },
	{ "modp4096", IKE_GROUP_MODP4096, 0, false },
	{ "ecp256", IKE_GROUP_ECP256, 0, false },
	{ "ecp384", IKE_GROUP_ECP384, 0, false },
};

static const struct name_map p2_encs[] = {
	{ "aes128", ESP_AES_CBC, 128, false },
	{ "aes192", ESP_AES_CBC, 192, false },
	{ "aes256", ESP_AES_CBC, 256, false },
	{ "aes", ESP_AES_CBC, 128, false },
	{ "3des", ESP_3DES, 0, true },
	{ "aes128gcm16", ESP_AES_GCM_16, 128, false },
	{ "aes192gcm16", ESP_AES_GCM_16, 192, false },
	{ "aes256gcm16", ESP_AES_GCM_16, 256, false },
	{ "aes128gcm", ESP_AES_GCM_16, 128, false },
	{ "aes192gcm", ESP_AES_GCM_16, 192, false },
	{ "aes256gcm", ESP_AES_GCM_16, 256, false },
};

static const struct name_map p2_auths[] = {
	{ "md5", AALG_HMAC_MD5, 0, true },
	{ "sha1", AALG_HMAC_SHA1, 0, false },
	{ "sha", AALG_HMAC_SHA1, 0, false },
	{ "sha256", AALG_HMAC_SHA256, 0, false },
	{ "sha2_256", AALG_HMAC_SHA256, 0, false },
	{ "sha384", AALG_HMAC_SHA384, 0, false },
	{ "sha512", AALG_HMAC_SHA512, 0, false },
};

static const struct name_map *lookup(const struct name_map *m, size_t n,
				     const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(m[i].name) == len && !strncasecmp(m[i].name, s, len))
			return &m[i];
	return NULL;
}

static const char *p1_enc_name(uint16_t enc, uint16_t keylen)
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

static const char *hash_name(uint16_t h)
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

static const char *aalg_name(uint16_t a)
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

static void p2_enc_str(const struct p2_alg *a, char *buf, size_t len)
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

static bool p2_is_aead(uint8_t esp)
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

/* ---- configuration lists ----------------------------------------------- */

static const char *const p1_default_names[] = {
	"aes256-sha256-modp2048", "aes256-sha1-modp2048",
	"aes256-sha512-modp2048", "aes256-sha384-modp2048",
	"aes128-sha256-modp2048", "aes128-sha1-modp2048",
	"aes256-sha256-modp3072", "aes256-sha256-modp4096",
	"aes256-sha1-ecp384", "aes256-sha384-ecp384",
	"aes128-sha1-ecp256", "aes128-sha256-ecp256",
	"aes256-sha256-ecp256", "aes256-sha256-modp1536",
	"aes256-sha1-modp1536",
};

static const char *const p1_legacy_names[] = {
	"3des-sha1-modp2048", "aes256-sha1-modp1024", "aes128-sha1-modp1024",
	"aes256-sha256-modp1024", "3des-sha1-modp1024",
	"aes256-md5-modp2048", "aes256-md5-modp1536", "aes256-md5-modp1024",
	"aes128-md5-modp1024", "3des-md5-modp1024",
};

static const char *const p2_default_names[] = {
	"aes256-sha1", "aes128-sha1", "aes256-sha256", "aes128-sha256",
	"aes256-sha512", "aes256-sha384", "aes256gcm16", "aes128gcm16",
	"aes192-sha1",
};

static const char *const p2_legacy_names[] = {
	"3des-sha1", "aes256-md5", "aes128-md5", "3des-md5",
};

/* Split @s at '-' into at most @max parts: their starts and lengths. */
static size_t split_dash(const char *s, size_t len, const char **part,
			 size_t *plen, size_t max)
{
	size_t n = 0, i, start = 0;

	for (i = 0; i <= len && n < max; i++) {
		if (i == len || s[i] == '-') {
			part[n] = s + start;
			plen[n] = i - start;
			n++;
			start = i + 1;
		}
	}
	return i <= len ? max + 1 : n;	/* max + 1: too many parts */
}

static int p1_parse_one(const char *s, size_t len, bool legacy, void *dst,
			char *err, size_t errlen)
{
	struct p1_alg *a = dst;
	const char *part[4];
	size_t plen[4], n;
	const struct name_map *e, *h, *g;

	n = split_dash(s, len, part, plen, 3);
	if (n != 3) {
		snprintf(err, errlen,
			 "\"%.*s\": expected CIPHER-HASH-GROUP, e.g. aes256-sha256-modp2048",
			 (int)len, s);
		return -EINVAL;
	}
	e = lookup(p1_encs, ARRAY_SIZE(p1_encs), part[0], plen[0]);
	h = lookup(hashes, ARRAY_SIZE(hashes), part[1], plen[1]);
	g = lookup(groups, ARRAY_SIZE(groups), part[2], plen[2]);
	if (!e || !h || !g) {
		snprintf(err, errlen,
			 "\"%.*s\": unknown %s \"%.*s\" (ciphers aes128 aes192 aes256 3des; hashes sha1 sha256 sha384 sha512 md5; groups modp1024 modp1536 modp2048 modp3072 modp4096 ecp256 ecp384)",
			 (int)len, s, !e ? "cipher" : !h ? "hash" : "group",
			 (int)(!e ? plen[0] : !h ? plen[1] : plen[2]),
			 !e ? part[0] : !h ? part[1] : part[2]);
		return -EINVAL;
	}
	a->enc = e->v1;
	a->keylen = e->v2;
	a->hash = h->v1;
	a->group = g->v1;
	if (!legacy && (e->legacy || h->legacy || g->legacy)) {
		snprintf(err, errlen, "\"%.*s\": %s needs legacy = yes",
			 (int)len, s,
			 g->legacy ? "DH group modp1024" :
			 e->legacy ? "3des" : "md5");
		return -EINVAL;
	}
	return 0;
}

static int p2_parse_one(const char *s, size_t len, bool legacy, void *dst,
			char *err, size_t errlen)
{
	struct p2_alg *a = dst;
	const char *part[4];
	size_t plen[4], n, i = 1;
	const struct name_map *e, *h = NULL, *g = NULL;

	n = split_dash(s, len, part, plen, 3);
	if (n < 1 || n > 3)
		goto bad;
	e = lookup(p2_encs, ARRAY_SIZE(p2_encs), part[0], plen[0]);
	if (!e) {
		snprintf(err, errlen,
			 "\"%.*s\": unknown cipher \"%.*s\" (aes128 aes192 aes256 3des aes128gcm16 aes256gcm16)",
			 (int)len, s, (int)plen[0], part[0]);
		return -EINVAL;
	}
	memset(a, 0, sizeof(*a));
	a->esp = (uint8_t)e->v1;
	a->keylen = e->v2;
	if (!p2_is_aead(a->esp)) {
		if (n < 2)
			goto bad;
		h = lookup(p2_auths, ARRAY_SIZE(p2_auths), part[1], plen[1]);
		if (!h) {
			snprintf(err, errlen,
				 "\"%.*s\": unknown integrity \"%.*s\" (sha1 sha256 sha384 sha512 md5)",
				 (int)len, s, (int)plen[1], part[1]);
			return -EINVAL;
		}
		a->auth = h->v1;
		i = 2;
	}
	if (i < n) {
		g = lookup(groups, ARRAY_SIZE(groups), part[i], plen[i]);
		if (!g || i + 1 != n) {
			snprintf(err, errlen,
				 "\"%.*s\": unknown PFS group \"%.*s\"",
				 (int)len, s, (int)plen[i], part[i]);
			return -EINVAL;
		}
		a->group = g->v1;
	}
	if (!legacy && (e->legacy || (h && h->legacy) || (g && g->legacy))) {
		snprintf(err, errlen, "\"%.*s\": %s needs legacy = yes",
			 (int)len, s,
			 (g && g->legacy) ? "DH group modp1024" :
			 e->legacy ? "3des" : "md5");
		return -EINVAL;
	}
	return 0;
bad:
	snprintf(err, errlen,
		 "\"%.*s\": expected CIPHER-INTEGRITY[-PFSGROUP] (aes256-sha1, aes128-sha256-modp2048) or AEAD[-PFSGROUP] (aes256gcm16)",
		 (int)len, s);
	return -EINVAL;
}

/*
 * Phase 1 and phase 2 lists are parsed alike; what differs is the element
 * and the parser of one entry.
 */
struct alg_kind {
	size_t			size;
	int			(*parse_one)(const char *s, size_t len,
					     bool legacy, void *dst, char *err,
					     size_t errlen);
	const char *const	*defaults;
	size_t			n_defaults;
	const char *const	*legacy_names;
	size_t			n_legacy;
};

static const struct alg_kind p1_kind = {
	.size		= sizeof(struct p1_alg),
	.parse_one	= p1_parse_one,
	.defaults	= p1_default_names,
	.n_defaults	= ARRAY_SIZE(p1_default_names),
	.legacy_names	= p1_legacy_names,
	.n_legacy	= ARRAY_SIZE(p1_legacy_names),
};

static const struct alg_kind p2_kind = {
	.size		= sizeof(struct p2_alg),
	.parse_one	= p2_parse_one,
	.defaults	= p2_default_names,
	.n_defaults	= ARRAY_SIZE(p2_default_names),
	.legacy_names	= p2_legacy_names,
	.n_legacy	= ARRAY_SIZE(p2_legacy_names),
};

static void *alg_at(const struct alg_kind *k, void *out, size_t i)
{
	return (char *)out + i * k->size;
}

static void alg_defaults(const struct alg_kind *k, bool legacy, void *out,
			 size_t max, size_t *n)
{
	const char *name;
	char err[8];
	size_t i;

	*n = 0;
	for (i = 0; i < k->n_defaults + (legacy ? k->n_legacy : 0); i++) {
		if (*n == max)
			break;
		name = i < k->n_defaults ? k->defaults[i] :
		       k->legacy_names[i - k->n_defaults];
		if (!k->parse_one(name, strlen(name), true, alg_at(k, out, *n),
				  err, sizeof(err)))
			(*n)++;
	}
}

void p1_defaults(bool legacy, struct p1_alg *out, size_t max, size_t *n)
{
	alg_defaults(&p1_kind, legacy, out, max, n);
}

void p2_defaults(bool legacy, struct p2_alg *out, size_t max, size_t *n)
{
	alg_defaults(&p2_kind, legacy, out, max, n);
}

/* Walk the entries of a comma/blank separated list. */
static const char *next_entry(const char *s, size_t *len)
{
	while (*s && (*s == ',' || isspace((unsigned char)*s)))
		s++;
	*len = 0;
	while (s[*len] && s[*len] != ',' && !isspace((unsigned char)s[*len]))
		(*len)++;
	return *len ? s : NULL;
}

/* A list of entries; "default" stands for the default entries. */
static int alg_list_parse(const struct alg_kind *k, const char *s,
			  bool legacy, void *out, size_t max, size_t *n,
			  char *err, size_t errlen)
{
	const char *e;
	size_t len;

	*n = 0;
	while ((e = next_entry(s, &len))) {
		s = e + len;
		if (len == 7 && !strncasecmp(e, "default", 7)) {
			size_t m;

			alg_defaults(k, legacy, alg_at(k, out, *n), max - *n,
				     &m);
			*n += m;
			continue;
		}
		if (*n == max) {
			snprintf(err, errlen, "more than %zu entries", max);
			return -EINVAL;
		}
		if (k->parse_one(e, len, legacy, alg_at(k, out, *n), err,
				 errlen))
			return -EINVAL;
		(*n)++;
	}
	if (!*n) {
		snprintf(err, errlen, "empty list");
		return -EINVAL;
	}
	return 0;
}

int p1_list_parse(const char *s, bool legacy, struct p1_alg *out,
		  size_t max, size_t *n, char *err, size_t errlen)
{
	return alg_list_parse(&p1_kind, s, legacy, out, max, n, err, errlen);
}

int p2_list_parse(const char *s, bool legacy, struct p2_alg *out,
		  size_t max, size_t *n, char *err, size_t errlen)
{
	return alg_list_parse(&p2_kind, s, legacy, out, max, n, err, errlen);
}

/* Append to a "a, b, c" list, ending in ", ..." when out of room. */
struct strlist {
	char	*buf;
	size_t	len, used;
	bool	full;
};

static void sl_add(struct strlist *sl, const char *item)
{
	size_t need = strlen(item) + (sl->used ? 2 : 0);

	if (sl->full)
		return;
	if (sl->used + need + 6 > sl->len) {
		if (sl->used + 6 <= sl->len) {
			snprintf(sl->buf + sl->used, sl->len - sl->used,
				 "%s...", sl->used ? ", " : "");
			sl->used = strlen(sl->buf);
		}
		sl->full = true;
		return;
	}
	snprintf(sl->buf + sl->used, sl->len - sl->used, "%s%s",
		 sl->used ? ", " : "", item);
	sl->used += need;
}

void p1_list_str(const struct p1_alg *a, size_t n, char *buf, size_t len)
{
	struct strlist sl = { buf, len, 0, false };
	char s[64];
	size_t i;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < n; i++) {
		p1_alg_str(&a[i], s, sizeof(s));
		sl_add(&sl, s);
	}
}

void p2_list_str(const struct p2_alg *a, size_t n, char *buf, size_t len)
{
	struct strlist sl = { buf, len, 0, false };
	char s[64];
	size_t i;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < n; i++) {
		p2_alg_str(&a[i], s, sizeof(s));
		sl_add(&sl, s);
	}
}

/* ---- decoding offers --------------------------------------------------- */

int p1_offers_parse(const uint8_t *sa_body, size_t len,
		    struct p1_xform *out, size_t max, size_t *n,
		    const char **why)
{
	struct ike_iter pit, tit, ait;
	struct ike_prop p;
	struct ike_trans t;
	struct ike_attr a;
	uint32_t doi, sit;
	int ret;

	*n = 0;
	if (ike_sa_parse(sa_body, len, &doi, &sit, &pit, why))
		return -EBADMSG;
	while ((ret = ike_prop_next(&pit, &p)) > 0) {
		if (p.proto != PROTO_ISAKMP) {
			*why = "phase 1 proposal for a protocol other than ISAKMP";
			return -EBADMSG;
		}
		ike_trans_iter(&p, &tit);
		while ((ret = ike_trans_next(&tit, &t)) > 0) {
			struct p1_xform *x;
			uint16_t life_type = 0;

			if (*n == max)
				break;	/* more than we look at */
			x = &out[(*n)++];
			memset(x, 0, sizeof(*x));
			x->pnum = p.num;
			x->tnum = t.num;
			x->raw = t.raw;
			x->raw_len = t.raw_len;
			if (t.id != 1)	/* KEY_IKE */
				x->unsupported = "transform ID is not KEY_IKE";
			ike_attr_iter(&t, &ait);
			while ((ret = ike_attr_next(&ait, &a)) > 0) {
				if (!a.val_ok) {
					x->unsupported = "attribute value too long";
					continue;
				}
				switch (a.type) {
				case P1_ATTR_ENC:
					x->alg.enc = (uint16_t)a.val;
					break;
				case P1_ATTR_HASH:
					x->alg.hash = (uint16_t)a.val;
					break;
				case P1_ATTR_AUTH:
					x->auth = (uint16_t)a.val;
					break;
				case P1_ATTR_GROUP:
					x->alg.group = (uint16_t)a.val;
					break;
				case P1_ATTR_GROUP_TYPE:
					if (a.val != 1)
						x->unsupported = "elliptic-curve group type attribute";
					break;
				case P1_ATTR_LIFE_TYPE:
					life_type = (uint16_t)a.val;
					if (life_type != LIFE_SECONDS &&
					    life_type != LIFE_KILOBYTES)
						x->unsupported = "unknown life type";
					break;
				case P1_ATTR_LIFE_DURATION:
					if (life_type == LIFE_SECONDS)
						x->life_s = a.val;
					else if (life_type == LIFE_KILOBYTES)
						x->life_kb = a.val;
					else
						x->unsupported = "life duration without life type";
					break;
				case P1_ATTR_KEY_LENGTH:
					x->alg.keylen = (uint16_t)a.val;
					break;
				case P1_ATTR_PRF:
					x->unsupported = "PRF attribute";
					break;
				default:
					x->unsupported = "private DH group or unknown attribute";
					break;
				}
			}
			if (ret < 0) {
				*why = ait.err;
				return -EBADMSG;
			}
			if (x->alg.enc == IKE_ENC_AES_CBC && !x->alg.keylen)
				x->alg.keylen = 128;
			if (x->alg.enc == IKE_ENC_3DES && x->alg.keylen == 192)
				x->alg.keylen = 0;
			if (!x->alg.enc || !x->alg.hash || !x->auth ||
			    !x->alg.group)
				x->unsupported = "cipher, hash, authentication or group missing";
		}
		if (ret < 0) {
			*why = tit.err;
			return -EBADMSG;
		}
	}
	if (ret < 0) {
		*why = pit.err;
		return -EBADMSG;
	}
	if (!*n) {
		*why = "SA payload without transforms";
		return -EBADMSG;
	}
	return 0;
}

int p2_offers_parse(const uint8_t *sa_body, size_t len,
		    struct p2_xform *out, size_t max, size_t *n,
		    unsigned int *skipped, const char **why)
{
	struct ike_iter pit, tit, ait, pit2;
	struct ike_prop p, q;
	struct ike_trans t;
	struct ike_attr a;
	uint32_t doi, sit;
	int ret;

	*n = 0;
	*skipped = 0;
	if (ike_sa_parse(sa_body, len, &doi, &sit, &pit, why))
		return -EBADMSG;
	while ((ret = ike_prop_next(&pit, &p)) > 0) {
		unsigned int same = 0;

		/* Proposals with the same number are a bundle (AND). */
		pit2 = (struct ike_iter){ sa_body + 8, len - 8, ISAKMP_NP_P,
					  NULL };
		while (ike_prop_next(&pit2, &q) > 0)
			same += q.num == p.num;
		if (same > 1 || p.proto != PROTO_IPSEC_ESP) {
			(*skipped)++;
			continue;
		}
		if (p.spi_size != 4) {
			*why = "ESP proposal SPI is not 4 bytes";
			return -EBADMSG;
		}
		ike_trans_iter(&p, &tit);
		while ((ret = ike_trans_next(&tit, &t)) > 0) {
			struct p2_xform *x;
			uint16_t life_type = 0;
			bool has_auth = false;

			if (*n == max)
				break;
			x = &out[(*n)++];
			memset(x, 0, sizeof(*x));
			x->pnum = p.num;
			x->tnum = t.num;
			x->spi = ike_get_be32(p.spi);
			x->raw = t.raw;
			x->raw_len = t.raw_len;
			x->alg.esp = t.id;
			ike_attr_iter(&t, &ait);
			while ((ret = ike_attr_next(&ait, &a)) > 0) {
				if (!a.val_ok) {
					x->unsupported = "attribute value too long";
					continue;
				}
				switch (a.type) {
				case P2_ATTR_LIFE_TYPE:
					life_type = (uint16_t)a.val;
					if (life_type != LIFE_SECONDS &&
					    life_type != LIFE_KILOBYTES)
						x->unsupported = "unknown life type";
					break;
				case P2_ATTR_LIFE_DURATION:
					if (life_type == LIFE_SECONDS)
						x->life_s = a.val;
					else if (life_type == LIFE_KILOBYTES)
						x->life_kb = a.val;
					else
						x->unsupported = "life duration without life type";
					break;
				case P2_ATTR_GROUP:
					x->alg.group = (uint16_t)a.val;
					break;
				case P2_ATTR_ENCAP:
					x->encap = (uint16_t)a.val;
					break;
				case P2_ATTR_AUTH:
					x->alg.auth = (uint16_t)a.val;
					has_auth = true;
					break;
				case P2_ATTR_KEY_LENGTH:
					x->alg.keylen = (uint16_t)a.val;
					break;
				default:
					x->unsupported = "unknown ESP attribute";
					break;
				}
			}
			if (ret < 0) {
				*why = ait.err;
				return -EBADMSG;
			}
			if ((x->alg.esp == ESP_AES_CBC || p2_is_aead(x->alg.esp)) &&
			    !x->alg.keylen)
				x->alg.keylen = 128;
			if (x->alg.esp == ESP_3DES && x->alg.keylen == 192)
				x->alg.keylen = 0;
			if (!x->encap)
				x->encap = ENCAP_TUNNEL;	/* RFC 2407 default */
			if (!has_auth && !p2_is_aead(x->alg.esp))
				x->unsupported = "ESP without an integrity algorithm";
		}
		if (ret < 0) {
			*why = tit.err;
			return -EBADMSG;
		}
	}
	if (ret < 0) {
		*why = pit.err;
		return -EBADMSG;
	}
	return 0;
}

/* ---- choosing ---------------------------------------------------------- */

enum {
	D_CIPHER	= 1 << 0,
	D_KEYLEN	= 1 << 1,
	D_HASH		= 1 << 2,
	D_GROUP		= 1 << 3,
	D_AUTH		= 1 << 4,
	D_LIFE		= 1 << 5,
	D_ENCAP		= 1 << 6,
	D_PFS		= 1 << 7,
	D_UNSUP		= 1 << 8,
	D_LEGACY	= 1 << 9,
	D_NAT		= 1 << 10,	/* transport mode through a NAT */
};

static unsigned int popcount(unsigned int v)
{
	return (unsigned int)__builtin_popcount(v);
}

bool p1_xform_equal_alg(const struct p1_xform *x, const struct p1_alg *a)
{
	return x->alg.enc == a->enc && x->alg.keylen == a->keylen &&
	       x->alg.hash == a->hash && x->alg.group == a->group;
}

static unsigned int p1_diff(const struct p1_policy *pol,
			    const struct p1_xform *x, const struct p1_alg *a)
{
	unsigned int d = 0;

	if (x->unsupported)
		d |= D_UNSUP;
	if (x->alg.enc != a->enc)
		d |= D_CIPHER;
	else if (x->alg.keylen != a->keylen)
		d |= D_KEYLEN;
	if (x->alg.hash != a->hash)
		d |= D_HASH;
	if (x->alg.group != a->group)
		d |= D_GROUP;
	if (x->auth >= 32 || !(pol->auth_mask & AUTH_MASK(x->auth)))
		d |= D_AUTH;
	if (x->life_s && x->life_s < pol->min_life)
		d |= D_LIFE;
	if (!d && !pol->legacy && p1_alg_legacy(&x->alg))
		d |= D_LEGACY;	/* an entry of ours, configured with legacy */
	return d;
}

static void p1_offer_str(const struct p1_xform *x, char *buf, size_t len)
{
	char a[64];

	p1_alg_str(&x->alg, a, sizeof(a));
	if (x->auth != AUTH_PSK)
		snprintf(buf, len, "%s/%s", a, ike_auth_name(x->auth));
	else
		snprintf(buf, len, "%s", a);
}

static void legacy_note(bool is3des, bool md5, bool modp1024, char *buf,
			size_t len)
{
	char parts[64] = "";
	int n = 0;

	if (modp1024)
		n += snprintf(parts + n, sizeof(parts) - (size_t)n,
			      "DH group modp1024");
	if (is3des)
		n += snprintf(parts + n, sizeof(parts) - (size_t)n, "%s3des",
			      n ? ", " : "");
	if (md5)
		snprintf(parts + n, sizeof(parts) - (size_t)n, "%smd5",
			 n ? ", " : "");
	if (parts[0])
		snprintf(buf, len, " (%s needs legacy = yes)", parts);
	else if (len)
		buf[0] = '\0';
}

/* "DH group (peer modp1024, we modp2048), hash (...)" */
static void diff_str(unsigned int d, const char *const *peer,
		     const char *const *ours, bool p2, char *buf, size_t len)
{
	static const struct { unsigned int bit; const char *what; } f[] = {
		{ D_UNSUP, "unsupported attribute" },
		{ D_CIPHER, "cipher" },
		{ D_KEYLEN, "key length" },
		{ D_HASH, "hash" },
		{ D_GROUP, "DH group" },
		{ D_AUTH, "authentication method" },
		{ D_LIFE, "lifetime" },
		{ D_ENCAP, "encapsulation" },
		{ D_PFS, "PFS" },
	};
	size_t i, o = 0;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(f); i++) {
		int n;

		if (!(d & f[i].bit))
			continue;
		n = snprintf(buf + o, len - o, "%s%s (peer %s, we %s)",
			     o ? ", " : "",
			     p2 && f[i].bit == D_HASH ? "integrity" : f[i].what,
			     peer[i], ours[i]);
		if (n < 0 || (size_t)n >= len - o)
			break;
		o += (size_t)n;
	}
}

static void compose(char *why, size_t whylen, const char *offers,
		    const char *ours, const char *closest)
{
	snprintf(why, whylen, "peer offers %s; we accept %s; closest: %s",
		 offers, ours, closest);
}

int p1_select(const struct p1_policy *pol, const struct p1_xform *offers,
	      size_t n, char *why, size_t whylen)
{
	unsigned int best = ~0u, bd = 0;
	size_t i, j, bi = 0, bj = 0;
	char offers_s[400], ours_s[300], closest[320], tmp[96], note[64];
	struct strlist sl = { offers_s, sizeof(offers_s), 0, false };

	for (i = 0; i < n; i++) {
		for (j = 0; j < pol->n; j++) {
			unsigned int d = p1_diff(pol, &offers[i], &pol->algs[j]);

			if (!d)
				return (int)i;
			if (popcount(d) < best) {
				best = popcount(d);
				bd = d;
				bi = i;
				bj = j;
			}
		}
	}
	if (!why || !whylen)
		return -ENOENT;
	/* The peer's offers, each with a legacy note when one applies. */
	offers_s[0] = '\0';
	for (i = 0; i < n; i++) {
		const struct p1_alg *a = &offers[i].alg;

		p1_offer_str(&offers[i], tmp, sizeof(tmp));
		if (!pol->legacy)
			legacy_note(a->enc == IKE_ENC_3DES,
				    a->hash == IKE_HASH_MD5,
				    a->group == IKE_GROUP_MODP1024, note,
				    sizeof(note));
		else
			note[0] = '\0';
		strncat(tmp, note, sizeof(tmp) - strlen(tmp) - 1);
		sl_add(&sl, tmp);
	}
	p1_list_str(pol->algs, pol->n, ours_s, sizeof(ours_s));
	if (n && pol->n) {
		const struct p1_xform *x = &offers[bi];
		const struct p1_alg *a = &pol->algs[bj];
		char pe[24], we[24], ph[16], wh[16], pk[16], wk[16];
		char pl[24], wl[24], pa[24], wa[64];
		const char *peer[9], *ours[9];

		snprintf(pe, sizeof(pe), "%s",
			 p1_enc_name(x->alg.enc, x->alg.keylen) ?: "?");
		snprintf(we, sizeof(we), "%s",
			 p1_enc_name(a->enc, a->keylen) ?: "?");
		snprintf(pk, sizeof(pk), "%u", x->alg.keylen);
		snprintf(wk, sizeof(wk), "%u", a->keylen);
		snprintf(ph, sizeof(ph), "%s", hash_name(x->alg.hash) ?: "?");
		snprintf(wh, sizeof(wh), "%s", hash_name(a->hash) ?: "?");
		snprintf(pl, sizeof(pl), "%u s", x->life_s);
		snprintf(wl, sizeof(wl), "at least %u s", pol->min_life);
		snprintf(pa, sizeof(pa), "%s", ike_auth_name(x->auth));
		wa[0] = '\0';
		for (i = 1; i < 32; i++)
			if (pol->auth_mask & AUTH_MASK(i))
				snprintf(wa + strlen(wa), sizeof(wa) - strlen(wa),
					 "%s%s", wa[0] ? " or " : "",
					 ike_auth_name((uint16_t)i));
		if (!wa[0])
			snprintf(wa, sizeof(wa), "none configured");
		peer[0] = x->unsupported ?: "";
		ours[0] = "support none";
		peer[1] = pe; ours[1] = we;
		peer[2] = pk; ours[2] = wk;
		peer[3] = ph; ours[3] = wh;
		peer[4] = ike_group_name(x->alg.group);
		ours[4] = ike_group_name(a->group);
		peer[5] = pa; ours[5] = wa;
		peer[6] = pl; ours[6] = wl;
		peer[7] = peer[8] = ours[7] = ours[8] = "";
		p1_offer_str(x, tmp, sizeof(tmp));
		{
			char ds[220], oa[64];

			p1_alg_str(a, oa, sizeof(oa));
			if (bd & D_LEGACY) {
				snprintf(closest, sizeof(closest),
					 "%s is configured but needs legacy = yes",
					 tmp);
			} else {
				diff_str(bd, peer, ours, false, ds,
					 sizeof(ds));
				snprintf(closest, sizeof(closest),
					 "%s vs our %s: %s differs", tmp, oa,
					 ds);
			}
		}
	} else {
		snprintf(closest, sizeof(closest), "nothing to compare");
	}
	compose(why, whylen, offers_s, ours_s, closest);
	return -ENOENT;
}

static bool encap_is_udp(uint16_t e)
{
	return e == ENCAP_UDP_TRANSPORT || e == ENCAP_UDP_TRANSPORT_DRAFT ||
	       e == ENCAP_UDP_TUNNEL || e == ENCAP_UDP_TUNNEL_DRAFT;
}

static bool encap_is_transport(uint16_t e)
{
	return e == ENCAP_TRANSPORT || e == ENCAP_UDP_TRANSPORT ||
	       e == ENCAP_UDP_TRANSPORT_DRAFT;
}

static unsigned int p2_diff(const struct p2_policy *pol,
			    const struct p2_xform *x, const struct p2_alg *a)
{
	unsigned int d = 0;

	if (x->unsupported)
		d |= D_UNSUP;
	if (x->alg.esp != a->esp)
		d |= D_CIPHER;
	else if (x->alg.keylen != a->keylen)
		d |= D_KEYLEN;
	if (x->alg.auth != a->auth)
		d |= D_HASH;
	if (a->group) {
		if (x->alg.group != a->group)
			d |= D_PFS;
	} else if (x->alg.group) {
		/* PFS we did not ask for: fine with a group we know. */
		if (!ike_group_known(x->alg.group) ||
		    (x->alg.group == IKE_GROUP_MODP1024 && !pol->legacy))
			d |= D_PFS;
	}
	if (x->life_s && x->life_s < pol->min_life)
		d |= D_LIFE;
	if (!encap_is_transport(x->encap))
		d |= D_ENCAP;
	else if (pol->nat && !encap_is_udp(x->encap))
		d |= D_NAT;
	else if (!pol->nat && encap_is_udp(x->encap))
		d |= D_ENCAP;
	if (!d && !pol->legacy && p2_alg_legacy(&x->alg))
		d |= D_LEGACY;
	return d;
}

int p2_select(const struct p2_policy *pol, const struct p2_xform *offers,
	      size_t n, char *why, size_t whylen)
{
	unsigned int best = ~0u, bd = 0;
	size_t i, j, bi = 0, bj = 0;
	char offers_s[400], ours_s[300], closest[320], tmp[96], note[64];
	struct strlist sl = { offers_s, sizeof(offers_s), 0, false };

	for (i = 0; i < n; i++) {
		for (j = 0; j < pol->n; j++) {
			unsigned int d = p2_diff(pol, &offers[i], &pol->algs[j]);

			if (!d)
				return (int)i;
			if (popcount(d) < best) {
				best = popcount(d);
				bd = d;
				bi = i;
				bj = j;
			}
		}
	}
	if (!why || !whylen)
		return -ENOENT;
	if (n && pol->n && bd == D_NAT) {
		snprintf(why, whylen,
			 "NAT detected but the peer proposes %s mode (raw ESP), not UDP-encapsulated transport: it does not float to NAT-T",
			 ike_encap_name(offers[bi].encap));
		return -EPROTO;
	}
	offers_s[0] = '\0';
	for (i = 0; i < n; i++) {
		const struct p2_alg *a = &offers[i].alg;
		int k;

		p2_alg_str(a, tmp, sizeof(tmp));
		k = (int)strlen(tmp);
		if (!encap_is_transport(offers[i].encap))
			snprintf(tmp + k, sizeof(tmp) - (size_t)k, "/%s",
				 ike_encap_name(offers[i].encap));
		if (!pol->legacy)
			legacy_note(a->esp == ESP_3DES,
				    a->auth == AALG_HMAC_MD5,
				    a->group == IKE_GROUP_MODP1024, note,
				    sizeof(note));
		else
			note[0] = '\0';
		strncat(tmp, note, sizeof(tmp) - strlen(tmp) - 1);
		sl_add(&sl, tmp);
	}
	if (!n)
		snprintf(offers_s, sizeof(offers_s), "no ESP proposal");
	p2_list_str(pol->algs, pol->n, ours_s, sizeof(ours_s));
	if (n && pol->n) {
		const struct p2_xform *x = &offers[bi];
		const struct p2_alg *a = &pol->algs[bj];
		struct p2_alg ea = *a, pa = x->alg;
		char pe[24], we[24], pk[16], wk[16], pl[24], wl[24];
		char penc[40], wenc[64], ppfs[24], wpfs[48];
		const char *peer[9], *ours[9];
		char oa[64], ds[220];

		ea.auth = pa.auth = 0;
		ea.group = pa.group = 0;
		p2_enc_str(&pa, pe, sizeof(pe));
		p2_enc_str(&ea, we, sizeof(we));
		snprintf(pk, sizeof(pk), "%u", x->alg.keylen);
		snprintf(wk, sizeof(wk), "%u", a->keylen);
		snprintf(pl, sizeof(pl), "%u s", x->life_s);
		snprintf(wl, sizeof(wl), "at least %u s", pol->min_life);
		snprintf(penc, sizeof(penc), "%s", ike_encap_name(x->encap));
		snprintf(wenc, sizeof(wenc), "%s",
			 pol->nat ? "udp-transport (NAT detected)" :
				    "transport (no NAT detected)");
		snprintf(ppfs, sizeof(ppfs), "%s",
			 x->alg.group ? ike_group_name(x->alg.group) : "none");
		if (a->group)
			snprintf(wpfs, sizeof(wpfs), "require %s",
				 ike_group_name(a->group));
		else
			snprintf(wpfs, sizeof(wpfs), "accept none or a non-legacy group");
		peer[0] = x->unsupported ?: "";
		ours[0] = "support none";
		peer[1] = pe; ours[1] = we;
		peer[2] = pk; ours[2] = wk;
		peer[3] = aalg_name(x->alg.auth) ?: "?";
		ours[3] = aalg_name(a->auth) ?: "?";
		peer[4] = ours[4] = "";
		peer[5] = ours[5] = "";
		peer[6] = pl; ours[6] = wl;
		peer[7] = penc; ours[7] = wenc;
		peer[8] = ppfs; ours[8] = wpfs;
		p2_alg_str(&x->alg, tmp, sizeof(tmp));
		p2_alg_str(a, oa, sizeof(oa));
		if (bd & D_LEGACY) {
			snprintf(closest, sizeof(closest),
				 "%s is configured but needs legacy = yes", tmp);
		} else {
			diff_str(bd & ~D_NAT, peer, ours, true, ds,
				 sizeof(ds));
			snprintf(closest, sizeof(closest),
				 "%s vs our %s: %s differs", tmp, oa, ds);
		}
	} else {
		snprintf(closest, sizeof(closest), "nothing to compare");
	}
	compose(why, whylen, offers_s, ours_s, closest);
	return -ENOENT;
}
