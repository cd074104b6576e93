// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd IKE configuration: the [ike] section and [peer NAME] sections
 * of l2tpsecd.conf (see l2tpsecd.conf(5)), identities, secrets.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <openssl/x509.h>

#include "config.h"
#include "ike_int.h"
#include "log.h"
#include "secretfile.h"

void ike_conf_defaults(struct ike_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->listen.s_addr = htonl(INADDR_ANY);
	c->port = 500;
	c->natt_port = 4500;
	c->nat_t = true;
	c->dpd = true;
	c->initial_contact = true;
	c->ike_lifetime = 8 * 3600;
	c->ipsec_lifetime = 3600;
	c->min_lifetime = 60;
	c->dpd_delay = 30;
	c->dpd_timeout = 150;
	c->keepalive = 20;
	c->retransmit_ms = 4000;
	c->retransmit_tries = 5;
	c->retry_interval = 30;
	c->rekey_grace_ms = 10000;
	c->tx_fallback_ms = 3000;
	c->max_half_open = 1000;
	c->max_half_open_addr = 16;
	c->max_isakmp_addr = 100;
	c->half_open_timeout = 20;
	c->dh_per_sec = 100;
	c->dh_per_sec_addr = 20;
	c->max_qm_per_sa = 1000;
	c->max_qm_in_progress = 4;
	c->fragmentation = FRAG_YES;
	c->fragment_size = 1280;
	c->fragment_timeout = 10;
	c->fragment_memory = 4u << 20;
	c->any_l2tp_port = true;
	p1_defaults(false, c->p1, IKE_MAX_ALGS, &c->n1);
	p2_defaults(false, c->p2, IKE_MAX_ALGS, &c->n2);
	snprintf(c->defpeer.name, sizeof(c->defpeer.name), "default");
	c->defpeer.is_default = true;
	c->defpeer.remote_set = true;	/* any */
	c->defpeer.peer_id.set = c->defpeer.peer_id.any = true;
}

void ike_peer_conf_free(struct ike_peer_conf *pc)
{
	if (pc->psk) {
		ike_wipe(pc->psk, pc->psk_len);
		free(pc->psk);
	}
	free(pc->psk_file);
	free(pc->p1_str);
	free(pc->p2_str);
}

void ike_conf_free(struct ike_conf *c)
{
	while (c->peers) {
		struct ike_peer_conf *pc = c->peers;

		c->peers = pc->next;
		ike_peer_conf_free(pc);
		free(pc);
	}
	ike_peer_conf_free(&c->defpeer);
	free(c->cert_file);
	free(c->key_file);
	free(c->ca_file);
	free(c->crl_file);
	free(c->p1_str);
	free(c->p2_str);
	memset(c, 0, sizeof(*c));
}

/* ---- identities ---------------------------------------------------------- */

static int dn_parse(const char *s, uint8_t *out, size_t *len, char *err,
		    size_t errlen)
{
	X509_NAME *n = X509_NAME_new();
	char *copy = strdup(s), *tok, *save = NULL;
	const char *sep = strchr(s, ',') ? "," : "/";
	unsigned char *der = NULL;
	int k, ret = -EINVAL;

	if (!n || !copy)
		goto out;
	for (tok = strtok_r(copy, sep, &save); tok;
	     tok = strtok_r(NULL, sep, &save)) {
		char *eq, *v;

		while (isspace((unsigned char)*tok))
			tok++;
		if (!*tok)
			continue;
		eq = strchr(tok, '=');
		if (!eq) {
			snprintf(err, errlen, "\"%s\": DN part without '='",
				 tok);
			goto out;
		}
		*eq = '\0';
		v = eq + 1;
		for (k = (int)strlen(tok) - 1; k >= 0 && isspace((unsigned char)tok[k]); k--)
			tok[k] = '\0';
		if (!X509_NAME_add_entry_by_txt(n, tok, MBSTRING_UTF8,
						(unsigned char *)v, -1, -1, 0)) {
			snprintf(err, errlen, "\"%s\": unknown DN attribute",
				 tok);
			goto out;
		}
	}
	k = i2d_X509_NAME(n, &der);
	if (k <= 0 || (size_t)k > IKE_ID_MAX) {
		snprintf(err, errlen, "DN too long");
		goto out;
	}
	memcpy(out, der, (size_t)k);
	*len = (size_t)k;
	ret = 0;
out:
	OPENSSL_free(der);
	X509_NAME_free(n);
	free(copy);
	return ret;
}

static const char *prefixed(const char *v, const char *p)
{
	size_t n = strlen(p);

	return strncasecmp(v, p, n) ? NULL : v + n;
}

int ike_idconf_parse(struct ike_idconf *id, const char *v, char *err,
		     size_t errlen)
{
	struct in_addr a;
	const char *rest;

	memset(id, 0, sizeof(*id));
	id->set = true;
	snprintf(id->str, sizeof(id->str), "%s", v);
	if (!strcmp(v, "any") || !strcmp(v, "%any")) {
		id->any = true;
		return 0;
	}
	rest = prefixed(v, "ip:");
	if (rest || inet_pton(AF_INET, v, &a) == 1) {
		if (rest && inet_pton(AF_INET, rest, &a) != 1) {
			snprintf(err, errlen, "\"%s\": not an IPv4 address",
				 rest);
			return -EINVAL;
		}
		id->type = ID_IPV4_ADDR;
		memcpy(id->data, &a, 4);
		id->len = 4;
		return 0;
	}
	rest = prefixed(v, "dn:");
	if (rest || strchr(v, '=')) {
		id->type = ID_DER_ASN1_DN;
		return dn_parse(rest ? rest : v, id->data, &id->len, err,
				errlen);
	}
	rest = prefixed(v, "keyid:");
	if (rest) {
		size_t i, n = strlen(rest);

		if (n % 2 || n / 2 > IKE_ID_MAX || !n) {
			snprintf(err, errlen, "keyid: needs an even number of hex digits");
			return -EINVAL;
		}
		for (i = 0; i < n / 2; i++) {
			unsigned int b;

			if (sscanf(rest + 2 * i, "%2x", &b) != 1) {
				snprintf(err, errlen, "keyid: not hex");
				return -EINVAL;
			}
			id->data[i] = (uint8_t)b;
		}
		id->type = ID_KEY_ID;
		id->len = n / 2;
		return 0;
	}
	if ((rest = prefixed(v, "user:")) || (rest = prefixed(v, "email:"))) {
		id->type = ID_USER_FQDN;
	} else if ((rest = prefixed(v, "fqdn:"))) {
		id->type = ID_FQDN;
	} else {
		rest = v;
		id->type = strchr(v, '@') ? ID_USER_FQDN : ID_FQDN;
	}
	if (!*rest || strlen(rest) >= IKE_ID_MAX) {
		snprintf(err, errlen, "empty or too long ID");
		return -EINVAL;
	}
	id->len = strlen(rest);
	memcpy(id->data, rest, id->len);
	return 0;
}

void ike_local_id(struct ike_sa *sa, struct ike_buf *body)
{
	const struct ike_idconf *lid = sa->pc ? &sa->pc->local_id : NULL;

	if (lid && lid->set && !lid->any) {
		ike_buf_u8(body, lid->type);
		ike_buf_u8(body, 0);
		ike_buf_u16(body, 0);
		ike_buf_put(body, lid->data, lid->len);
		return;
	}
	if (sa->xf.auth == AUTH_RSA_SIG && sa->ike->cert) {
		unsigned char *der = NULL;
		int n = i2d_X509_NAME(X509_get_subject_name(sa->ike->cert),
				      &der);

		if (n > 0) {
			ike_buf_u8(body, ID_DER_ASN1_DN);
			ike_buf_u8(body, 0);
			ike_buf_u16(body, 0);
			ike_buf_put(body, der, (size_t)n);
			OPENSSL_free(der);
			return;
		}
	}
	ike_buf_u8(body, ID_IPV4_ADDR);
	ike_buf_u8(body, 0);
	ike_buf_u16(body, 0);
	ike_buf_put(body, &sa->local.sin_addr.s_addr, 4);
}

bool ike_id_matches(const struct ike_idconf *want, const struct ike_id *got)
{
	if (want->any)
		return true;
	if (want->type != got->type)
		return false;
	switch (got->type) {
	case ID_DER_ASN1_DN: {
		const unsigned char *p1 = want->data, *p2 = got->data;
		X509_NAME *a = d2i_X509_NAME(NULL, &p1, (long)want->len);
		X509_NAME *b = d2i_X509_NAME(NULL, &p2, (long)got->len);
		bool eq = a && b && !X509_NAME_cmp(a, b);

		X509_NAME_free(a);
		X509_NAME_free(b);
		return eq;
	}
	case ID_FQDN:
	case ID_USER_FQDN:
		return want->len == got->len &&
		       !strncasecmp((const char *)want->data,
				    (const char *)got->data, got->len);
	default:
		return want->len == got->len &&
		       !memcmp(want->data, got->data, got->len);
	}
}

const struct p1_alg *ike_p1_algs(const struct ike *ike,
				 const struct ike_peer_conf *pc, size_t *n)
{
	if (pc && pc->p1_set) {
		*n = pc->n1;
		return pc->p1;
	}
	*n = ike->conf.n1;
	return ike->conf.p1;
}

const uint8_t *ike_psk(const struct ike_peer_conf *pc, size_t *len)
{
	*len = pc->psk_len;
	return pc->psk;
}

/* ---- parsing ------------------------------------------------------------- */

static int set_str(char **dst, const char *v)
{
	char *s = strdup(v);

	if (!s)
		return -ENOMEM;
	free(*dst);
	*dst = s;
	return 0;
}

static int parse_ms(struct config_ctx *ctx, const char *v, uint32_t *ms)
{
	size_t n = strlen(v);
	uint32_t s;

	if (n > 2 && !strcmp(v + n - 2, "ms")) {
		char buf[32];

		if (n - 2 >= sizeof(buf))
			goto bad;
		memcpy(buf, v, n - 2);
		buf[n - 2] = '\0';
		return config_parse_u32(ctx, buf, 50, 600000, ms);
	}
	if (config_parse_duration(ctx, v, &s))
		return -EINVAL;
	if (s == 0 || s > 600)
		goto bad;
	*ms = s * 1000;
	return 0;
bad:
	config_error(ctx, "\"%s\": expected 50ms..600s", v);
	return -EINVAL;
}

static int set_psk(struct config_ctx *ctx, struct ike_peer_conf *pc,
		   const char *v)
{
	char err[300];

	if (!*v) {
		config_error(ctx, "empty pre-shared key");
		return -EINVAL;
	}
	if (config_check_secret_file(config_file(ctx), err, sizeof(err)) ==
	    -EPERM) {
		config_error(ctx, "%s", err);
		return -EPERM;
	}
	if (pc->psk) {
		ike_wipe(pc->psk, pc->psk_len);
		free(pc->psk);
	}
	pc->psk_len = strlen(v);
	pc->psk = malloc(pc->psk_len);
	if (!pc->psk)
		return -ENOMEM;
	memcpy(pc->psk, v, pc->psk_len);
	return 0;
}

static int lists_key(struct config_ctx *ctx, bool *set1, char **s1,
		     bool *set2, char **s2, const char *key, const char *v,
		     bool *handled)
{
	*handled = true;
	if (!strcmp(key, "proposals") || !strcmp(key, "ike")) {
		*set1 = true;
		return set_str(s1, v);
	}
	if (!strcmp(key, "esp") || !strcmp(key, "phase2")) {
		*set2 = true;
		return set_str(s2, v);
	}
	*handled = false;
	(void)ctx;
	return 0;
}

/* Keys a [peer NAME] and [ike] share. */
static int peer_key(struct ike_conf *c, struct config_ctx *ctx,
		    struct ike_peer_conf *pc, const char *key, const char *v,
		    bool *handled)
{
	char err[300];

	*handled = true;
	if (!strcmp(key, "psk"))
		return set_psk(ctx, pc, v);
	if (!strcmp(key, "psk-file"))
		return set_str(&pc->psk_file, v);
	if (!strcmp(key, "local-id") ||
	    (pc->is_default && !strcmp(key, "id"))) {
		if (ike_idconf_parse(&pc->local_id, v, err, sizeof(err))) {
			config_error(ctx, "%s", err);
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(key, "ike-lifetime") || !strcmp(key, "lifetime"))
		return config_parse_duration(ctx, v, pc->is_default ?
					     &c->ike_lifetime :
					     &pc->ike_lifetime);
	if (!strcmp(key, "ipsec-lifetime"))
		return config_parse_duration(ctx, v, pc->is_default ?
					     &c->ipsec_lifetime :
					     &pc->ipsec_lifetime);
	*handled = false;
	return 0;
}

static struct ike_peer_conf *peer_by_name(struct ike_conf *c,
					  const char *name)
{
	struct ike_peer_conf *pc, **pp;

	for (pp = &c->peers; *pp; pp = &(*pp)->next)
		if (!strcmp((*pp)->name, name))
			return *pp;
	pc = calloc(1, sizeof(*pc));
	if (!pc)
		return NULL;
	snprintf(pc->name, sizeof(pc->name), "%s", name);
	pc->peer_id.set = pc->peer_id.any = true;
	*pp = pc;
	return pc;
}

static int peer_section_key(void *owner, struct config_ctx *ctx,
			    const char *section, const char *key,
			    const char *v)
{
	struct ike_conf *c = owner;
	struct ike_peer_conf *pc;
	bool handled;
	char err[300];
	int ret;

	(void)section;
	pc = peer_by_name(c, config_section_arg(ctx));
	if (!pc)
		return -ENOMEM;
	if (!pc->line)
		pc->line = config_line(ctx);
	ret = peer_key(c, ctx, pc, key, v, &handled);
	if (handled)
		return ret;
	ret = lists_key(ctx, &pc->p1_set, &pc->p1_str, &pc->p2_set,
			&pc->p2_str, key, v, &handled);
	if (handled)
		return ret;
	if (!strcmp(key, "remote")) {
		char buf[64], *slash;
		uint32_t prefix = 32, addr;

		if (!strcmp(v, "any") || !strcmp(v, "%any")) {
			pc->remote_set = true;
			pc->remote_net = pc->remote_mask = 0;
			pc->prefix = 0;
			return 0;
		}
		snprintf(buf, sizeof(buf), "%s", v);
		slash = strchr(buf, '/');
		if (slash) {
			*slash = '\0';
			if (config_parse_u32(ctx, slash + 1, 0, 32, &prefix))
				return -EINVAL;
		}
		if (config_parse_ipv4(ctx, buf, &addr))
			return -EINVAL;
		pc->remote_mask = prefix ? htonl(~0u << (32 - prefix)) : 0;
		pc->remote_net = addr & pc->remote_mask;
		pc->prefix = (uint8_t)prefix;
		pc->remote_set = true;
		if (pc->remote_net != addr) {
			config_error(ctx, "%s has host bits set", v);
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(key, "initiate") || !strcmp(key, "auto"))
		return config_parse_bool(ctx, v, &pc->initiate);
	/* Initiate with Aggressive Mode (PSK): startup warns. */
	if (!strcmp(key, "aggressive"))
		return config_parse_bool(ctx, v, &pc->aggressive);
	if (!strcmp(key, "id")) {
		if (ike_idconf_parse(&pc->peer_id, v, err, sizeof(err))) {
			config_error(ctx, "%s", err);
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(key, "auth")) {
		if (!strcmp(v, "psk")) {
			pc->cert = false;
			pc->auth_set = true;
		} else if (!strcmp(v, "cert") || !strcmp(v, "rsa") ||
			   !strcmp(v, "rsasig")) {
			pc->cert = true;
			pc->auth_set = true;
		} else {
			config_error(ctx, "\"%s\": expected psk or cert", v);
			return -EINVAL;
		}
		return 0;
	}
	config_error(ctx, "unknown key (see l2tpsecd.conf(5), [peer NAME])");
	return -EINVAL;
}

static int ike_section_key(void *owner, struct config_ctx *ctx,
			   const char *section, const char *key,
			   const char *v)
{
	struct ike_conf *c = owner;
	bool handled;
	uint32_t u;
	int ret;

	(void)section;
	ret = peer_key(c, ctx, &c->defpeer, key, v, &handled);
	if (handled)
		return ret;
	ret = lists_key(ctx, &c->p1_set, &c->p1_str, &c->p2_set, &c->p2_str,
			key, v, &handled);
	if (handled)
		return ret;
	if (!strcmp(key, "listen"))
		return config_parse_ipv4(ctx, v, &c->listen.s_addr);
	if (!strcmp(key, "port")) {
		ret = config_parse_u32(ctx, v, 1, 65535, &u);
		c->port = (uint16_t)u;
		return ret;
	}
	if (!strcmp(key, "natt-port")) {
		ret = config_parse_u32(ctx, v, 1, 65535, &u);
		c->natt_port = (uint16_t)u;
		return ret;
	}
	if (!strcmp(key, "legacy"))
		return config_parse_bool(ctx, v, &c->legacy);
	/* Accept Aggressive Mode (PSK) as responder: startup warns. */
	if (!strcmp(key, "aggressive"))
		return config_parse_bool(ctx, v, &c->aggressive);
	if (!strcmp(key, "nat-t") || !strcmp(key, "nat-traversal"))
		return config_parse_bool(ctx, v, &c->nat_t);
	if (!strcmp(key, "dpd"))
		return config_parse_bool(ctx, v, &c->dpd);
	if (!strcmp(key, "initial-contact"))
		return config_parse_bool(ctx, v, &c->initial_contact);
	if (!strcmp(key, "any-l2tp-port"))
		return config_parse_bool(ctx, v, &c->any_l2tp_port);
	if (!strcmp(key, "min-lifetime"))
		return config_parse_duration(ctx, v, &c->min_lifetime);
	if (!strcmp(key, "dpd-delay"))
		return config_parse_duration(ctx, v, &c->dpd_delay);
	if (!strcmp(key, "dpd-timeout"))
		return config_parse_duration(ctx, v, &c->dpd_timeout);
	if (!strcmp(key, "keepalive"))
		return config_parse_duration(ctx, v, &c->keepalive);
	if (!strcmp(key, "retransmit-timeout"))
		return parse_ms(ctx, v, &c->retransmit_ms);
	if (!strcmp(key, "retransmit-tries"))
		return config_parse_u32(ctx, v, 0, 20, &c->retransmit_tries);
	if (!strcmp(key, "retry-interval"))
		return config_parse_duration(ctx, v, &c->retry_interval);
	if (!strcmp(key, "rekey-grace"))
		return parse_ms(ctx, v, &c->rekey_grace_ms);
	if (!strcmp(key, "rekey-margin"))
		return config_parse_duration(ctx, v, &c->rekey_margin);
	if (!strcmp(key, "max-half-open"))
		return config_parse_u32(ctx, v, 0, 1000000, &c->max_half_open);
	if (!strcmp(key, "fragmentation")) {
		if (!strcmp(v, "force")) {
			c->fragmentation = FRAG_FORCE;
			return 0;
		}
		{
			bool b;

			ret = config_parse_bool(ctx, v, &b);
			c->fragmentation = b ? FRAG_YES : FRAG_NO;
		}
		return ret;
	}
	if (!strcmp(key, "fragment-size"))
		return config_parse_u32(ctx, v, 576, 65000, &c->fragment_size);
	if (!strcmp(key, "max-half-open-per-address"))
		return config_parse_u32(ctx, v, 0, 1000000,
					&c->max_half_open_addr);
	if (!strcmp(key, "max-isakmp-per-address"))
		return config_parse_u32(ctx, v, 0, 1000000,
					&c->max_isakmp_addr);
	if (!strcmp(key, "dh-per-second"))
		return config_parse_u32(ctx, v, 0, 1000000, &c->dh_per_sec);
	if (!strcmp(key, "dh-per-second-per-address"))
		return config_parse_u32(ctx, v, 0, 1000000,
					&c->dh_per_sec_addr);
	if (!strcmp(key, "max-quick-modes-per-sa"))
		return config_parse_u32(ctx, v, 1, 100000, &c->max_qm_per_sa);
	if (!strcmp(key, "max-quick-modes-in-progress"))
		return config_parse_u32(ctx, v, 1, 1000,
					&c->max_qm_in_progress);
	if (!strcmp(key, "half-open-timeout")) {
		if (config_parse_duration(ctx, v, &u))
			return -EINVAL;
		if (u < 1 || u > 600) {
			config_error(ctx, "\"%s\": from 1s to 600s", v);
			return -EINVAL;
		}
		c->half_open_timeout = u;
		return 0;
	}
	if (!strcmp(key, "fragment-timeout")) {
		if (config_parse_duration(ctx, v, &u))
			return -EINVAL;
		if (u < 1 || u > 120) {
			config_error(ctx, "\"%s\": from 1s to 120s", v);
			return -EINVAL;
		}
		c->fragment_timeout = u;
		return 0;
	}
	if (!strcmp(key, "fragment-memory"))
		return config_parse_u32(ctx, v, IKE_MAX_MSG, 1u << 30,
					&c->fragment_memory);
	if (!strcmp(key, "cert"))
		return set_str(&c->cert_file, v);
	if (!strcmp(key, "key"))
		return set_str(&c->key_file, v);
	if (!strcmp(key, "ca"))
		return set_str(&c->ca_file, v);
	if (!strcmp(key, "crl"))
		return set_str(&c->crl_file, v);
	config_error(ctx, "unknown key (see l2tpsecd.conf(5), [ike])");
	return -EINVAL;
}

/*
 * The whole secret file, one line (a trailing newline is not part of it).
 * Read once from the descriptor the checks were made on (no second open
 * by name), without stdio (whose buffer would be freed unwiped), into a
 * buffer wiped on every path.
 */
static int load_psk_file(struct config_ctx *ctx, struct ike_peer_conf *pc)
{
	char err[300], buf[1024];
	size_t n = 0;
	ssize_t r;
	int fd, ret = 0;

	fd = l2_open_secret(pc->psk_file, err, sizeof(err));
	if (fd < 0) {
		config_error(ctx, "%s", err);
		return -EPERM;
	}
	while (n < sizeof(buf) - 1) {
		r = read(fd, buf + n, sizeof(buf) - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = -errno;
			config_error(ctx, "%s: %s", pc->psk_file, strerror(errno));
			goto out;
		}
		if (!r)
			break;
		n += (size_t)r;
	}
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	if (!n) {
		config_error(ctx, "%s: empty pre-shared key", pc->psk_file);
		ret = -EINVAL;
		goto out;
	}
	if (pc->psk)
		ike_wipe(pc->psk, pc->psk_len);
	free(pc->psk);
	pc->psk_len = 0;
	pc->psk = malloc(n);
	if (!pc->psk) {
		ret = -ENOMEM;
		goto out;
	}
	memcpy(pc->psk, buf, n);
	pc->psk_len = n;
out:
	ike_wipe(buf, sizeof(buf));
	close(fd);
	return ret;
}

static int resolve_lists(struct config_ctx *ctx, bool legacy, bool p1_set,
			 const char *p1s, struct p1_alg *p1, size_t *n1,
			 bool p2_set, const char *p2s, struct p2_alg *p2,
			 size_t *n2, const char *where)
{
	char err[300];

	if (p1_set) {
		if (p1_list_parse(p1s, legacy, p1, IKE_MAX_ALGS, n1, err,
				  sizeof(err))) {
			config_error(ctx, "%s proposals: %s", where, err);
			return -EINVAL;
		}
	} else {
		p1_defaults(legacy, p1, IKE_MAX_ALGS, n1);
	}
	if (p2_set) {
		if (p2_list_parse(p2s, legacy, p2, IKE_MAX_ALGS, n2, err,
				  sizeof(err))) {
			config_error(ctx, "%s esp: %s", where, err);
			return -EINVAL;
		}
	} else {
		p2_defaults(legacy, p2, IKE_MAX_ALGS, n2);
	}
	return 0;
}

static int ike_done(void *owner, struct config_ctx *ctx)
{
	struct ike_conf *c = owner;
	struct ike_peer_conf *pc;
	char where[96];

	if (resolve_lists(ctx, c->legacy, c->p1_set, c->p1_str, c->p1,
			  &c->n1, c->p2_set, c->p2_str, c->p2, &c->n2,
			  "[ike]"))
		return -EINVAL;
	if (c->defpeer.psk_file && load_psk_file(ctx, &c->defpeer))
		return -EINVAL;
	if ((c->cert_file != NULL) != (c->key_file != NULL)) {
		config_error(ctx, "cert and key go together");
		return -EINVAL;
	}
	c->defpeer.cert = c->cert_file != NULL;
	c->def_used = c->defpeer.psk || c->defpeer.cert;
	if (c->port == c->natt_port) {
		config_error(ctx, "port and natt-port must differ");
		return -EINVAL;
	}
	for (pc = c->peers; pc; pc = pc->next) {
		snprintf(where, sizeof(where), "[peer %s]", pc->name);
		/* A peer's own lists; otherwise [ike]'s. */
		if ((pc->p1_set || pc->p2_set) &&
		    resolve_lists(ctx, c->legacy, pc->p1_set, pc->p1_str,
				  pc->p1, &pc->n1, pc->p2_set, pc->p2_str,
				  pc->p2, &pc->n2, where))
			return -EINVAL;
		if (!pc->p1_set) {
			memcpy(pc->p1, c->p1, sizeof(c->p1));
			pc->n1 = c->n1;
		}
		if (!pc->p2_set) {
			memcpy(pc->p2, c->p2, sizeof(c->p2));
			pc->n2 = c->n2;
		}
		pc->p1_set = pc->p2_set = true;
		if (!pc->remote_set) {
			config_error(ctx, "%s: remote = ADDRESS[/PREFIX] or any is required",
				     where);
			return -EINVAL;
		}
		if (pc->initiate && (pc->prefix != 32 || !pc->remote_net)) {
			config_error(ctx, "%s: initiate = yes needs remote = one address",
				     where);
			return -EINVAL;
		}
		if (pc->psk_file && load_psk_file(ctx, pc))
			return -EINVAL;
		if (!pc->auth_set)
			pc->cert = !pc->psk && c->cert_file;
		if (pc->cert && !c->cert_file) {
			config_error(ctx, "%s: auth = cert, but [ike] has no cert and key",
				     where);
			return -EINVAL;
		}
		if (!pc->cert && !pc->psk) {
			if (c->defpeer.psk) {
				/* The [ike] psk serves every peer. */
				pc->psk = malloc(c->defpeer.psk_len);
				if (!pc->psk)
					return -ENOMEM;
				memcpy(pc->psk, c->defpeer.psk,
				       c->defpeer.psk_len);
				pc->psk_len = c->defpeer.psk_len;
			} else {
				config_error(ctx, "%s: no psk, psk-file or cert to authenticate with",
					     where);
				return -EINVAL;
			}
		}
		if (!pc->local_id.set)
			pc->local_id = c->defpeer.local_id;
	}
	return 0;
}

void ike_register_config(struct ike *ike, struct config_loader *l)
{
	ike_conf_register(l, &ike->conf);
}

/* For "did you mean" (config.h): every key the handlers above take. */
#define IKE_PEER_KEYS "psk", "psk-file", "local-id", "ike-lifetime", \
	"lifetime", "ipsec-lifetime", "proposals", "ike", "esp", "phase2"
static const char *const ike_keys[] = {
	IKE_PEER_KEYS, "id", "listen", "port", "natt-port", "legacy",
	"aggressive", "nat-t", "nat-traversal", "dpd", "initial-contact",
	"any-l2tp-port", "min-lifetime", "dpd-delay", "dpd-timeout",
	"keepalive", "retransmit-timeout", "retransmit-tries",
	"retry-interval", "rekey-grace", "rekey-margin", "max-half-open",
	"fragmentation", "fragment-size", "max-half-open-per-address",
	"max-isakmp-per-address", "dh-per-second",
	"dh-per-second-per-address", "max-quick-modes-per-sa",
	"max-quick-modes-in-progress", "half-open-timeout",
	"fragment-timeout", "fragment-memory", "cert", "key", "ca", "crl",
	NULL,
};
static const char *const peer_keys[] = {
	IKE_PEER_KEYS, "remote", "initiate", "auto", "aggressive", "id",
	"auth", NULL,
};

void ike_conf_register(struct config_loader *l, struct ike_conf *c)
{
	struct config_section ike_s = {
		.name = "ike",
		.key = ike_section_key,
		.done = ike_done,
		.owner = c,
		.keys = ike_keys,
	};
	struct config_section peer_s = {
		.name = "peer",
		.repeatable = true,
		.key = peer_section_key,
		.owner = c,
		.keys = peer_keys,
	};

	config_register(l, &ike_s);
	config_register(l, &peer_s);
}
