// SPDX-License-Identifier: GPL-2.0
/*
 * Proposals: the algorithm lists of the configuration ([ike] and [peer]
 * proposals, their defaults, legacy algorithms named) and their text.
 * See proposal.h.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "proposal_int.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* The names a proposal list may use, and their values. */
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
	e = name_lookup(p1_encs, ARRAY_SIZE(p1_encs), part[0], plen[0]);
	h = name_lookup(hashes, ARRAY_SIZE(hashes), part[1], plen[1]);
	g = name_lookup(groups, ARRAY_SIZE(groups), part[2], plen[2]);
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
	e = name_lookup(p2_encs, ARRAY_SIZE(p2_encs), part[0], plen[0]);
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
		h = name_lookup(p2_auths, ARRAY_SIZE(p2_auths), part[1], plen[1]);
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
		g = name_lookup(groups, ARRAY_SIZE(groups), part[i], plen[i]);
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
void strlist_add(struct strlist *sl, const char *item)
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
		strlist_add(&sl, s);
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
		strlist_add(&sl, s);
	}
}
