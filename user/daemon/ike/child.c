// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd: ESP SA pairs in the module (children of Quick Mode) and the
 * module peers that carry them (remotes).
 *
 * One remote per outer (address, port): two clients behind one NAT are
 * two module peers. A remote's TX points at one SA pair. A rekey adds a
 * second pair; TX moves to it when its inbound SA sees its first packet
 * (the module's SA_FIRST_USE event) - or, when we started the rekey, after
 * a short fallback - and the old pair is deleted after a grace time, or
 * when the peer deletes it.
 *
 * HMAC-SHA256: RFC 4868 says 128-bit ICVs, some Android releases send 96.
 * The pair is installed with 128; while its inbound SA has seen no valid
 * packet but counts ICV failures, it is the other length: both directions
 * are re-installed with 96-bit ICVs.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "devent.h"
#include "failrec.h"
#include "ike_int.h"
#include "kmod.h"
#include "log.h"
#include "loop.h"

#define ICV_PROBE_MS		1000
#define ICV_PROBES		60

static void child_timer_cb(void *arg);

static void rem_log(const struct ike_remote *rem, enum log_level lvl,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void rem_log(const struct ike_remote *rem, enum log_level lvl,
		    const char *fmt, ...)
{
	char buf[700];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_peer(lvl, LOG_IPSEC, &rem->addr, "%s", buf);
}

const char *child_alg_str(const struct ike_child *c, char *buf, size_t len)
{
	char a[64];

	p2_alg_str(&c->alg, a, sizeof(a));
	if (c->alg.auth == AALG_HMAC_SHA256)
		snprintf(buf, len, "%s (ICV %u bits)", a, c->icv * 8);
	else
		snprintf(buf, len, "%s", a);
	return buf;
}

/* ---- remotes ------------------------------------------------------------- */

static bool peer_id_used(struct ike *ike, uint32_t id)
{
	struct ike_remote *rem;

	for (rem = ike->remotes; rem; rem = rem->next)
		if (rem->peer_id == id)
			return true;
	return false;
}

struct ike_remote *remote_get(struct ike *ike, const struct ike_sa *sa,
			      bool udp_encap)
{
	struct ike_remote *rem;
	struct kmod_peer kp;
	int ret, tries;

	for (rem = ike->remotes; rem; rem = rem->next) {
		if (rem->addr.sin_addr.s_addr != sa->remote.sin_addr.s_addr ||
		    rem->udp_encap != udp_encap)
			continue;
		if (udp_encap && rem->addr.sin_port != sa->remote.sin_port)
			continue;
		return rem;
	}
	rem = calloc(1, sizeof(*rem));
	if (!rem)
		return NULL;
	rem->ike = ike;
	rem->addr = sa->remote;
	rem->local = sa->local.sin_addr;
	rem->udp_encap = udp_encap;
	rem->pc = sa->pc;
	for (tries = 0; tries < 64; tries++) {
		do {
			rem->peer_id = ike->next_peer_id++;
			if (!ike->next_peer_id)
				ike->next_peer_id = 1;
		} while (!rem->peer_id || peer_id_used(ike, rem->peer_id));
		if (!ike->kmod)
			break;
		memset(&kp, 0, sizeof(kp));
		kp.id = rem->peer_id;
		kp.udp_encap = udp_encap;
		kp.local = rem->local;
		kp.remote = sa->remote.sin_addr;
		if (udp_encap) {
			kp.local_port = ike->conf.natt_port;
			kp.remote_port = ntohs(sa->remote.sin_port);
		}
		ret = kmod_peer_add(ike->kmod, &kp);
		if (!ret)
			break;
		if (ret != -EEXIST) {
			ike_fail(ike, &sa->remote, IKE_FAIL_KERNEL,
				 "phase 2: the module refuses the peer: %s",
				 kmod_last_error(ike->kmod));
			free(rem);
			return NULL;
		}
	}
	rem->in_kernel = true;
	rem->next = ike->remotes;
	ike->remotes = rem;
	if (udp_encap && sa->nat_local)
		natt_keepalive_start(rem);
	return rem;
}

int ike_peer_esp(const struct ike *ike, uint32_t peer_id,
		 struct ike_esp_info *out)
{
	const struct ike_remote *rem;
	const struct ike_child *c;

	if (!ike)
		return -ENOENT;
	for (rem = ike->remotes; rem; rem = rem->next) {
		if (rem->peer_id != peer_id)
			continue;
		c = rem->tx;
		if (!c)
			return -ENOENT;
		memset(out, 0, sizeof(*out));
		out->cipher = c->cipher;
		out->integ = c->integ;
		out->icv_len = c->icv;
		out->key_bits = (uint16_t)((c->cipher == L2TPSEC_CIPHER_AES_GCM ?
					    c->enc_len - 4 : c->enc_len) * 8);
		return 0;
	}
	return -ENOENT;
}

void remote_free(struct ike_remote *rem, const char *why)
{
	remote_end(rem, IKE_DOWN_PEER_DELETE, why);
}

void remote_end(struct ike_remote *rem, enum ike_down_reason r,
		const char *why)
{
	struct ike *ike = rem->ike;
	struct ike_remote **pp;
	struct ike_sa *sa;

	remote_clear(rem, false, why);
	for (pp = &ike->remotes; *pp; pp = &(*pp)->next)
		if (*pp == rem)
			break;
	if (!*pp)
		return;
	*pp = rem->next;
	for (sa = ike->sas; sa; sa = sa->lnext)
		if (sa->rem == rem)
			sa->rem = NULL;
	/* L2TP first: it reads its sessions' counters before they go. */
	if (rem->announced) {
		rem_log(rem, LOG_LVL_INFO, "peer %u down: %s", rem->peer_id,
			why);
		if (ike->hooks.peer_down)
			ike->hooks.peer_down(ike->hooks.arg, rem->peer_id, r,
					     why);
	}
	if (rem->in_kernel && ike->kmod)
		kmod_peer_del(ike->kmod, rem->peer_id);
	loop_timer_free(rem->ka_timer);
	free(rem);
}

/* The SA serving a remote goes: another established one takes over. */
void remote_sa_gone(struct ike_sa *sa)
{
	struct ike_remote *rem = sa->rem;
	struct ike_sa *o;

	if (!rem || rem->sa != sa)
		return;
	rem->sa = NULL;
	sa->rem = NULL;
	for (o = sa->ike->sas; o; o = o->lnext) {
		if (o == sa || o->deleting || o->state != P1_ESTABLISHED)
			continue;
		if (o->remote.sin_addr.s_addr == rem->addr.sin_addr.s_addr &&
		    (!rem->udp_encap ||
		     o->remote.sin_port == rem->addr.sin_port)) {
			rem->sa = o;
			o->rem = rem;
			break;
		}
	}
}

struct ike_child *child_find_spi(struct ike *ike, uint32_t spi, bool inbound,
				 struct ike_remote **remp)
{
	struct ike_remote *rem;
	struct ike_child *c;

	for (rem = ike->remotes; rem; rem = rem->next)
		for (c = rem->children; c; c = c->next)
			if ((inbound ? c->spi_in : c->spi_out) == spi) {
				if (remp)
					*remp = rem;
				return c;
			}
	return NULL;
}

/* ---- algorithms ---------------------------------------------------------- */

static int module_alg(struct ike_child *c)
{
	switch (c->alg.esp) {
	case ESP_AES_CBC:
		c->cipher = L2TPSEC_CIPHER_AES_CBC;
		c->enc_len = c->alg.keylen / 8;
		break;
	case ESP_3DES:
		c->cipher = L2TPSEC_CIPHER_DES3_CBC;
		c->enc_len = 24;
		break;
	case ESP_AES_GCM_16:
		c->cipher = L2TPSEC_CIPHER_AES_GCM;
		c->enc_len = c->alg.keylen / 8 + 4;	/* + salt */
		c->integ = L2TPSEC_INTEG_NONE;
		c->auth_len = 0;
		c->icv = 16;
		return 0;
	default:
		return -EINVAL;
	}
	switch (c->alg.auth) {
	case AALG_HMAC_MD5:
		c->integ = L2TPSEC_INTEG_HMAC_MD5;
		c->auth_len = 16;
		c->icv = 12;
		break;
	case AALG_HMAC_SHA1:
		c->integ = L2TPSEC_INTEG_HMAC_SHA1;
		c->auth_len = 20;
		c->icv = 12;
		break;
	case AALG_HMAC_SHA256:
		c->integ = L2TPSEC_INTEG_HMAC_SHA256;
		c->auth_len = 32;
		c->icv = 16;
		break;
	case AALG_HMAC_SHA384:
		c->integ = L2TPSEC_INTEG_HMAC_SHA384;
		c->auth_len = 48;
		c->icv = 24;
		break;
	case AALG_HMAC_SHA512:
		c->integ = L2TPSEC_INTEG_HMAC_SHA512;
		c->auth_len = 64;
		c->icv = 32;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

static int sa_add(struct ike_remote *rem, struct ike_child *c, bool in)
{
	struct ike *ike = rem->ike;
	const uint8_t *key = in ? c->key_in : c->key_out;
	struct kmod_sa s = {
		.spi = in ? c->spi_in : c->spi_out,
		.dir = in ? L2TPSEC_DIR_IN : L2TPSEC_DIR_OUT,
		.peer_id = rem->peer_id,
		.cipher = c->cipher,
		.integ = c->integ,
		.icv_len = c->integ == L2TPSEC_INTEG_HMAC_SHA256 ? c->icv : 0,
		.enc_key = key,
		.enc_key_len = c->enc_len,
		.auth_key = c->auth_len ? key + c->enc_len : NULL,
		.auth_key_len = c->auth_len,
		.hard_seconds = c->life_s,
		.hard_bytes = c->life_bytes,
	};
	int ret;

	/* We rekey what we started, before it expires. */
	if (c->initiator && c->life_s) {
		uint32_t margin = ike->conf.rekey_margin;

		if (!margin || margin >= c->life_s)
			margin = c->life_s / 10 + 1;
		s.soft_seconds = c->life_s - margin;
		if (c->life_bytes)
			s.soft_bytes = c->life_bytes / 10 * 9;
	}
	if (!ike->kmod)
		return 0;
	ret = kmod_sa_add(ike->kmod, &s);
	if (ret)
		ike_fail(ike, &rem->addr, IKE_FAIL_KERNEL,
			 "phase 2: the module refuses %s SA 0x%08x: %s",
			 in ? "inbound" : "outbound", s.spi,
			 kmod_last_error(ike->kmod));
	return ret;
}

static void sa_del(struct ike_remote *rem, struct ike_child *c, bool in)
{
	struct ike *ike = rem->ike;

	if (!ike->kmod)
		return;
	kmod_sa_del(ike->kmod, in ? c->spi_in : c->spi_out,
		    in ? L2TPSEC_DIR_IN : L2TPSEC_DIR_OUT, rem->peer_id);
}

static int set_tx(struct ike_remote *rem, struct ike_child *c)
{
	struct ike *ike = rem->ike;
	int ret = 0;

	if (ike->kmod)
		ret = kmod_peer_set_tx_spi(ike->kmod, rem->peer_id, c->spi_out);
	if (ret) {
		rem_log(rem, LOG_LVL_ERR, "cannot point TX at SA 0x%08x: %s",
			c->spi_out, kmod_last_error(ike->kmod));
		return ret;
	}
	rem->tx = c;
	return 0;
}

static void switch_tx(struct ike_child *c, const char *why);

/* ---- install ------------------------------------------------------------- */

int child_install(struct ike_sa *sa, struct ike_qm *qm, bool larval)
{
	struct ike *ike = sa->ike;
	bool udp = qm->xf.encap == ENCAP_UDP_TRANSPORT ||
		   qm->xf.encap == ENCAP_UDP_TRANSPORT_DRAFT;
	struct ike_remote *rem;
	struct ike_child *c;
	char alg[80];
	int ret;

	rem = sa->rem;
	if (!rem || rem->udp_encap != udp ||
	    rem->addr.sin_addr.s_addr != sa->remote.sin_addr.s_addr ||
	    (udp && rem->addr.sin_port != sa->remote.sin_port)) {
		rem = remote_get(ike, sa, udp);
		if (!rem)
			return -ENOMEM;
		if (rem->sa && rem->sa != sa)
			rem->sa->rem = NULL;
		rem->sa = sa;
		sa->rem = rem;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		goto nomem;
	c->rem = rem;
	c->initiator = qm->initiator;
	c->spi_in = qm->spi_in;
	c->spi_out = qm->spi_out;
	c->alg = qm->xf.alg;
	c->life_s = qm->life_s;
	c->life_bytes = (uint64_t)qm->life_kb * 1024;
	c->created = ike_now(ike);
	c->serial = ++ike->next_serial;
	c->timer = loop_timer_new(ike->loop, child_timer_cb, c);
	if (!c->timer || module_alg(c)) {
		loop_timer_free(c->timer);
		free(c);
		goto nomem;
	}
	ret = ike_keymat(&sa->k, qm->gqm, qm->gqm_len, PROTO_IPSEC_ESP,
			 c->spi_in, qm->ni, qm->ni_len, qm->nr, qm->nr_len,
			 c->key_in, c->enc_len + c->auth_len);
	if (!ret)
		ret = ike_keymat(&sa->k, qm->gqm, qm->gqm_len, PROTO_IPSEC_ESP,
				 c->spi_out, qm->ni, qm->ni_len, qm->nr,
				 qm->nr_len, c->key_out,
				 c->enc_len + c->auth_len);
	if (ret || sa_add(rem, c, true)) {
		loop_timer_free(c->timer);
		ike_wipe(c, sizeof(*c));
		free(c);
		if (!rem->children)
			remote_end(rem, IKE_DOWN_LOCAL_ERROR, "no SA");
		return -EIO;
	}
	c->state = CHILD_LARVAL;
	c->next = rem->children;
	rem->children = c;
	rem->l2tp_port = qm->peer_port;
	ike->cnt.children++;
	if (qm->rekey_of)
		c->replaced = false;
	SA_LOG(sa, LOG_LVL_DEBUG, "inbound SA 0x%08x %s installed",
	       c->spi_in, child_alg_str(c, alg, sizeof(alg)));
	if (larval)
		return 0;
	return child_complete(sa, c);
nomem:
	if (!rem->children)
		remote_end(rem, IKE_DOWN_LOCAL_ERROR, "no memory");
	return -ENOMEM;
}

int child_complete(struct ike_sa *sa, struct ike_child *c)
{
	struct ike *ike = sa->ike;
	struct ike_remote *rem = c->rem;
	struct ike_child *old = rem->tx;
	char alg[80];

	if (sa_add(rem, c, false)) {
		child_end(c, true, IKE_DOWN_LOCAL_ERROR,
			  "the module refused the outbound SA");
		return -EIO;
	}
	c->state = CHILD_INSTALLED;
	log_peer(LOG_LVL_INFO, LOG_IPSEC, &rem->addr,
		 "ESP SA pair up: %s, in 0x%08x out 0x%08x, %u s, %s, module peer %u%s",
		 child_alg_str(c, alg, sizeof(alg)), c->spi_in, c->spi_out,
		 c->life_s, rem->udp_encap ? "ESP-in-UDP" : "raw ESP",
		 rem->peer_id, old ? " (rekey)" : "");
	if (old) {
		char what[160];

		snprintf(what, sizeof(what),
			 "ESP SA pair rekeyed by %s: in 0x%08x out 0x%08x, %s, %u s",
			 c->initiator ? "us" : "the peer", c->spi_in,
			 c->spi_out, alg, c->life_s);
		l2_devent_emit(&(struct l2_devent){
			.kind = L2_DEV_REKEY, .peer = &rem->addr, .cls = -1,
			.layer = "ipsec", .detail = what,
		});
	}
	if (!old) {
		if (set_tx(rem, c))
			return -EIO;
	} else if (c->seen_in) {
		/*
		 * A rekey whose first packet came before its QM3 (the peer
		 * sends right after QM3; the module's event can overtake it):
		 * the SA_FIRST_USE event is not repeated, so move TX now.
		 */
		switch_tx(c, "the peer uses the new SA");
	} else if (c->initiator) {
		/* A rekey: TX moves on the first packet of the new pair. */
		loop_timer_arm(c->timer, ike->conf.tx_fallback_ms);
	}
	if (c->integ == L2TPSEC_INTEG_HMAC_SHA256 && !loop_timer_armed(c->timer))
		loop_timer_arm(c->timer, ICV_PROBE_MS);
	if (!rem->announced) {
		rem->announced = true;
		if (ike->hooks.peer_up)
			ike->hooks.peer_up(ike->hooks.arg, rem->peer_id,
					   &rem->addr, rem->l2tp_port,
					   c->initiator,
					   rem->pc ? rem->pc->name : "default");
	}
	return 0;
}

/* Move TX to @c; the pair it leaves dies after a grace time. */
static void switch_tx(struct ike_child *c, const char *why)
{
	struct ike_remote *rem = c->rem;
	struct ike_child *old = rem->tx;

	if (old == c || c->state != CHILD_INSTALLED)
		return;
	if (set_tx(rem, c))
		return;
	rem_log(rem, LOG_LVL_INFO, "TX now on SA 0x%08x (%s)", c->spi_out,
		why);
	if (old) {
		old->state = CHILD_DYING;
		old->replaced = true;
		loop_timer_arm(old->timer, rem->ike->conf.rekey_grace_ms);
	}
}

static void child_del(struct ike_child *c, bool notify,
		      enum ike_down_reason r, const char *why,
		      bool keep_remote);

void child_end(struct ike_child *c, bool notify, enum ike_down_reason r,
	       const char *why)
{
	child_del(c, notify, r, why, false);
}

void child_delete(struct ike_child *c, bool notify, const char *why)
{
	child_del(c, notify, IKE_DOWN_PEER_DELETE, why, false);
}

void remote_clear(struct ike_remote *rem, bool notify, const char *why)
{
	while (rem->children)
		child_del(rem->children, notify, IKE_DOWN_PEER_DELETE, why,
			  true);
}

static void child_del(struct ike_child *c, bool notify,
		      enum ike_down_reason r, const char *why,
		      bool keep_remote)
{
	struct ike_remote *rem = c->rem;
	struct ike *ike = rem->ike;
	struct ike_child **pp, *o, *best = NULL;
	struct ike_sa *sa = rem->sa;
	struct ike_qm *qm;

	if (notify && sa && sa->state == P1_ESTABLISHED && !sa->deleting) {
		uint8_t spi[4];

		ike_put_be32(spi, c->spi_in);
		info_send_delete(sa, PROTO_IPSEC_ESP, spi, 4);
	}
	for (sa = ike->sas; sa; sa = sa->lnext)
		for (qm = sa->qms; qm; qm = qm->next)
			if (qm->rekey_of == c)
				qm->rekey_of = NULL;
	sa_del(rem, c, true);
	if (c->state != CHILD_LARVAL)
		sa_del(rem, c, false);
	for (pp = &rem->children; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	ike->cnt.children--;
	rem_log(rem, LOG_LVL_INFO, "ESP SA pair in 0x%08x out 0x%08x deleted: %s",
		c->spi_in, c->spi_out, why);
	if (rem->tx == c) {
		rem->tx = NULL;
		for (o = rem->children; o; o = o->next)
			if (o->state == CHILD_INSTALLED &&
			    (!best || o->serial > best->serial))
				best = o;
		if (best)
			set_tx(rem, best);
	}
	loop_timer_free(c->timer);
	ike_wipe(c, sizeof(*c));
	free(c);
	if (!rem->children && !keep_remote)
		remote_end(rem, r, why);
}

/* ---- ICV length ---------------------------------------------------------- */

static void icv_switch_96(struct ike_child *c)
{
	struct ike_remote *rem = c->rem;
	bool was_tx = rem->tx == c;

	rem_log(rem, LOG_LVL_WARN,
		"SA 0x%08x: the peer truncates HMAC-SHA256 to 96 bits (older Android does): using 96-bit ICVs on this SA pair",
		c->spi_in);
	sa_del(rem, c, true);
	sa_del(rem, c, false);
	c->icv = 12;
	if (sa_add(rem, c, true) || sa_add(rem, c, false)) {
		child_end(c, true, IKE_DOWN_LOCAL_ERROR,
			  "cannot re-install with 96-bit ICVs");
		return;
	}
	if (was_tx)
		set_tx(rem, c);
}

static void icv_probe(struct ike_child *c)
{
	struct ike *ike = c->rem->ike;
	struct l2_sa s;

	if (c->seen_in || c->icv != 16 || !ike->kmod ||
	    c->icv_probes++ >= ICV_PROBES)
		return;
	if (kmod_sa_get(ike->kmod, c->spi_in, L2TPSEC_DIR_IN, 0, &s) == 0) {
		if (s.stats.v[L2TPSEC_A_STATS_RX_PACKETS]) {
			c->seen_in = true;
			return;
		}
		/* A shorter ICV than ours fails the check, or (CBC) leaves
		 * a ciphertext that is no whole number of blocks. */
		if (s.stats.v[L2TPSEC_A_STATS_ICV_FAILS] ||
		    s.stats.v[L2TPSEC_A_STATS_MALFORMED_DROPS]) {
			icv_switch_96(c);
			return;
		}
	}
	loop_timer_arm(c->timer, ICV_PROBE_MS);
}

static void child_timer_cb(void *arg)
{
	struct ike_child *c = arg;

	switch (c->state) {
	case CHILD_DYING:
		child_delete(c, true, "replaced by a rekeyed SA pair");
		return;
	case CHILD_INSTALLED:
		if (c->rem->tx != c && c->initiator &&
		    ike_now(c->rem->ike) - c->created >=
		    c->rem->ike->conf.tx_fallback_ms) {
			switch_tx(c, "rekey, fallback");
			if (c->state != CHILD_INSTALLED)
				return;
		}
		if (c->integ == L2TPSEC_INTEG_HMAC_SHA256)
			icv_probe(c);
		return;
	case CHILD_LARVAL:
		return;
	}
}

/* ---- module events ------------------------------------------------------- */

static void rekey(struct ike_child *c)
{
	struct ike_remote *rem = c->rem;
	struct ike_sa *sa = rem->sa;

	if (c->rekeying || c->replaced || c->state != CHILD_INSTALLED)
		return;
	if (!c->rekey_started)
		c->rekey_started = ike_now(rem->ike);
	c->rekey_tries++;
	if (sa && sa->state == P1_ESTABLISHED && !sa->deleting) {
		qm_initiate(sa, c);
		return;
	}
	if (rem->pc) {
		/* Phase 1 is gone: a new one, which then rekeys. */
		c->rekeying = true;
		c->rekey_p1 = true;
		mm_initiate(rem->ike, rem->pc, NULL);
	}
}

/* "12 s ago", "never" (no ISAKMP SA): the peer's last IKE message. */
static void last_heard(const struct ike_remote *rem, char *buf, size_t len)
{
	const struct ike_sa *sa = rem->sa;

	if (!sa || !sa->last_rx)
		snprintf(buf, len, "nothing from the peer on the current ISAKMP SA");
	else
		snprintf(buf, len, "the peer's last IKE message came %llu s ago",
			 (unsigned long long)((ike_now(rem->ike) - sa->last_rx) /
					      1000));
}

/*
 * Failure class 13: an SA pair reached its hard lifetime without a
 * rekey. Say which side was to rekey, what was tried and where to look.
 */
static void rekey_failed(const struct ike_child *c)
{
	const struct ike_remote *rem = c->rem;
	char heard[96], tried[200];

	last_heard(rem, heard, sizeof(heard));
	if (c->initiator) {
		if (!c->rekey_started)
			snprintf(tried, sizeof(tried),
				 "no rekey started (no ISAKMP SA to run it on and no configuration to start a new one)");
		else
			snprintf(tried, sizeof(tried),
				 "%s %llu s before, %u time%s, and no answer completed it",
				 c->rekey_p1 ? "a new Main Mode then Quick Mode started" :
				 "a Quick Mode started",
				 (unsigned long long)((ike_now(rem->ike) -
						       c->rekey_started) / 1000),
				 c->rekey_tries, c->rekey_tries == 1 ? "" : "s");
		rem_log(rem, LOG_LVL_WARN,
			"rekey failed: we were to rekey ESP SA pair 0x%08x/0x%08x (we started it) at its soft lifetime: %s; %s; check that the peer's UDP 500 and 4500 still reach this host after connect (a firewall or NAT that passed the first exchange may drop later ones) and the peer's own log",
			c->spi_in, c->spi_out, tried, heard);
		l2_fail_note(&rem->addr, NULL, L2_FC_REKEY, "ike",
			     "rekey failed: we were to rekey the ESP SA pair at its soft lifetime: %s; %s; check that the peer's UDP 500 and 4500 still reach this host after connect and the peer's own log",
			     tried, heard);
		return;
	}
	rem_log(rem, LOG_LVL_WARN,
		"rekey failed: the peer was to rekey ESP SA pair 0x%08x/0x%08x (it started it) and no Quick Mode for it came within its %u s; %s; check the peer's lifetimes against ours (ipsec-lifetime in [ike]: a peer that believes the SA lives longer rekeys too late) and that its UDP 500 and 4500 still reach this host",
		c->spi_in, c->spi_out, c->life_s, heard);
	l2_fail_note(&rem->addr, NULL, L2_FC_REKEY, "ike",
		     "rekey failed: the peer was to rekey the ESP SA pair and no Quick Mode for it came within its %u s; %s; check the peer's lifetimes against ours (ipsec-lifetime in [ike]) and that its UDP 500 and 4500 still reach this host",
		     c->life_s, heard);
}

/*
 * The module follows a peer to a new outer address or port. The same
 * address on a new port is a NAT on the way that forgot its mapping
 * (its UDP timeout passed while the path was quiet, or it restarted):
 * failure class 12, named with the settings that keep a mapping alive.
 */
static void peer_float(struct ike_remote *rem, const struct l2_event *ev)
{
	struct sockaddr_in to = rem->addr;
	char from[INET_ADDRSTRLEN + 8], what[200];

	snprintf(from, sizeof(from), "%s:%u", inet_ntoa(rem->addr.sin_addr),
		 ntohs(rem->addr.sin_port));
	to.sin_addr = ev->remote;
	if (ev->remote_port)
		to.sin_port = htons(ev->remote_port);
	snprintf(what, sizeof(what), "moved from %s to %s:%u", from,
		 inet_ntoa(to.sin_addr), ntohs(to.sin_port));
	if (to.sin_addr.s_addr == rem->addr.sin_addr.s_addr &&
	    to.sin_port != rem->addr.sin_port) {
		char fix[200];

		ike_nat_timeout_fix(rem->ike, rem->keepalive, fix,
				    sizeof(fix));
		rem_log(rem, LOG_LVL_WARN,
			"NAT mapping timeout: the peer %s (same address, new port): a NAT on the way forgot its mapping (its UDP timeout passed while the path was quiet, or it restarted) and what was sent to the old port meanwhile was lost; %s",
			what, fix);
		l2_fail_note(&to, NULL, L2_FC_NAT_TIMEOUT, "ike",
			     "NAT mapping timeout: the peer %s (same address, new port): a NAT on the way forgot its mapping; %s",
			     what, fix);
	} else {
		rem_log(rem, LOG_LVL_INFO, "peer %s (NAT rebinding)", what);
	}
	l2_devent_emit(&(struct l2_devent){
		.kind = L2_DEV_PEER_FLOAT, .peer = &to, .cls = -1,
		.layer = "ipsec", .detail = what,
	});
}

void child_kmod_event(struct ike *ike, const struct l2_event *ev)
{
	struct ike_remote *rem = NULL;
	struct ike_child *c;

	switch (ev->kind) {
	case L2TPSEC_EVENT_SA_SOFT_EXPIRE:
		c = child_find_spi(ike, ev->spi, ev->dir == L2TPSEC_DIR_IN,
				   &rem);
		if (!c || rem->peer_id != ev->peer_id)
			return;
		rem_log(rem, LOG_LVL_INFO, "SA 0x%08x: soft lifetime reached%s",
			ev->spi, c->initiator ? ": rekeying" : "");
		if (c->initiator)
			rekey(c);
		return;
	case L2TPSEC_EVENT_SA_HARD_EXPIRE:
		c = child_find_spi(ike, ev->spi, ev->dir == L2TPSEC_DIR_IN,
				   &rem);
		if (!c || rem->peer_id != ev->peer_id)
			return;
		/*
		 * A pair a rekey replaced just goes; otherwise, as initiator
		 * we rekeyed at the soft lifetime and it did not complete.
		 */
		if (c->replaced || c->state == CHILD_DYING) {
			child_end(c, true, IKE_DOWN_EXPIRED,
				  "lifetime expired (replaced by a rekeyed SA pair)");
			return;
		}
		rekey_failed(c);
		if (c->initiator)
			child_end(c, true, IKE_DOWN_REKEY_FAILED,
				  "lifetime expired: our rekey at the soft lifetime did not complete");
		else
			child_end(c, true, IKE_DOWN_EXPIRED,
				  "lifetime expired: the peer did not rekey");
		return;
	case L2TPSEC_EVENT_SA_FIRST_USE:
		c = child_find_spi(ike, ev->spi, true, &rem);
		if (!c)
			return;
		c->seen_in = true;
		if (rem->tx != c && c->state == CHILD_INSTALLED)
			switch_tx(c, "the peer uses the new SA");
		return;
	case L2TPSEC_EVENT_PEER_FLOAT:
		for (rem = ike->remotes; rem; rem = rem->next)
			if (rem->peer_id == ev->peer_id)
				break;
		if (!rem || !(ev->has & L2_HAS(L2TPSEC_A_EVENT_REMOTE_IPV4)))
			return;
		peer_float(rem, ev);
		rem->addr.sin_addr = ev->remote;
		if (ev->remote_port)
			rem->addr.sin_port = htons(ev->remote_port);
		if (rem->sa) {
			rem->sa->remote.sin_addr = rem->addr.sin_addr;
			if (rem->udp_encap)
				rem->sa->remote.sin_port = rem->addr.sin_port;
		}
		return;
	default:
		return;
	}
}
