// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd IKEv1 phase 1, the peer checked: its ID payload taken and held
 * against the configuration, its HASH or signature (and certificate chain)
 * verified, each failure named for the administrator. Main and Aggressive
 * Mode both use these (phase1.c has the rest of what they share).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <openssl/x509.h>

#include "ike_int.h"
#include "kmod.h"
#include "log.h"
#include "loop.h"

/* The peer's ID payload, kept raw for HASH and as text for the logs. */
int p1_take_id(struct ike_sa *sa, const struct ike_pl *idp,
	       struct ike_id *id)
{
	const char *why = NULL;

	if (idp->len > sizeof(sa->peer_id_raw) ||
	    ike_id_parse(idp->body, idp->len, id, &why)) {
		MM_DROP(sa, "ID payload: %s", why ? why : "too long");
		return -EBADMSG;
	}
	memcpy(sa->peer_id_raw, idp->body, idp->len);
	sa->peer_id_len = idp->len;
	if (id->type == ID_DER_ASN1_DN)
		cert_dn_str(id->data, id->len, sa->peer_id_str,
			    sizeof(sa->peer_id_str));
	else
		ike_id_str(id, sa->peer_id_str, sizeof(sa->peer_id_str));
	return 0;
}

const char *ike_id_type_name(uint8_t t)
{
	switch (t) {
	case ID_IPV4_ADDR: return "ID_IPV4_ADDR";
	case ID_FQDN: return "ID_FQDN";
	case ID_USER_FQDN: return "ID_USER_FQDN";
	case ID_DER_ASN1_DN: return "ID_DER_ASN1_DN";
	case ID_KEY_ID: return "ID_KEY_ID";
	case ID_IPV6_ADDR: return "ID_IPV6_ADDR";
	default: return "ID of another type";
	}
}

/* The peer's ID (taken by p1_take_id()) against its [peer]'s id =. */
int p1_check_id(struct ike_sa *sa, const struct ike_id *id)
{
	const struct ike_peer_conf *pc = sa->pc;

	if (!pc->peer_id.set || pc->peer_id.any ||
	    ike_id_matches(&pc->peer_id, id))
		return 0;
	ike_fail(sa->ike, &sa->remote, IKE_FAIL_ID,
		 "phase 1: unknown or mismatched ID: the peer says it is %s (%s), [peer %s] expects %s",
		 sa->peer_id_str, ike_id_type_name(id->type), pc->name,
		 pc->peer_id.str);
	return -EACCES;
}

/*
 * The peer's certificate @c (from payload @leaf), with every other X.509
 * certificate it sent as an intermediate for the chain.
 */
static int verify_with_chain(struct ike_sa *sa, const struct ike_msg *m,
			     const struct ike_pl *leaf,
			     const struct ike_cert *c)
{
	STACK_OF(X509) *untrusted = sk_X509_new_null();
	const struct ike_pl *cp;
	struct ike_cert o;
	const char *why;
	unsigned int i;
	int ret;

	for (i = 0; untrusted && (cp = ike_msg_find(m, ISAKMP_NP_CERT, i));
	     i++) {
		const unsigned char *p;
		X509 *x;

		why = NULL;
		if (cp == leaf || ike_cert_parse(cp->body, cp->len, &o, &why) ||
		    o.enc != CERT_X509_SIGNATURE)
			continue;
		p = o.data;
		x = d2i_X509(NULL, &p, (long)o.len);
		if (x && !sk_X509_push(untrusted, x))
			X509_free(x);
	}
	ret = cert_verify_peer(sa, c->data, c->len, untrusted);
	sk_X509_pop_free(untrusted, X509_free);
	return ret;
}

/*
 * Check the peer's MM5/MM6 (Aggressive Mode: R1, I2): ID, then HASH or
 * CERT+SIG. @idp: the peer's ID when it came in an earlier message (NULL:
 * the ID payload of @m). Names the failure (PSK mismatch, certificate, ID)
 * and returns < 0 when it does not verify.
 */
int p1_verify_peer(struct ike_sa *sa, const struct ike_msg *m,
		   const struct ike_pl *idp, unsigned int msgno)
{
	const struct ike_pl *hp = ike_msg_find(m, ISAKMP_NP_HASH, 0);
	const struct ike_pl *sp = ike_msg_find(m, ISAKMP_NP_SIG, 0);
	uint8_t want[IKE_MAX_HASH];
	struct ike_id id;
	struct ike *ike = sa->ike;
	const char *hname = sa->initiator ? "HASH_R" : "HASH_I";

	if (!idp)
		idp = ike_msg_find(m, ISAKMP_NP_ID, 0);
	if (!idp) {
		if (sa->xf.auth == AUTH_PSK)
			goto psk_garbage;
		MM_DROP(sa, "MM%u without ID: dropped", msgno);
		return -EBADMSG;
	}
	if (p1_take_id(sa, idp, &id))
		return -EBADMSG;
	if (ike_hash_auth(&sa->k, !sa->initiator, sa->gxi, sa->gxr,
			  sa->gx_len, sa->icky, sa->rcky, sa->sai_b,
			  sa->sai_len, idp->body, idp->len, want))
		return -EIO;

	if (sa->xf.auth == AUTH_PSK) {
		if (!hp || hp->len != sa->k.prf_len ||
		    CRYPTO_memcmp(hp->body, want, sa->k.prf_len)) {
			ike_fail(ike, &sa->remote, IKE_FAIL_PSK,
				 "phase 1: pre-shared key mismatch: the peer's %s does not verify; check the PSK configured for this peer%s%s%s",
				 hname, sa->pc->is_default ? "" : " ([peer ",
				 sa->pc->is_default ? "" : sa->pc->name,
				 sa->pc->is_default ? "" : "])");
			return -EACCES;
		}
	} else {
		const struct ike_pl *cp;
		struct ike_cert c;
		const char *why = NULL;
		EVP_PKEY *pub;
		unsigned int i;

		cp = NULL;
		for (i = 0; (cp = ike_msg_find(m, ISAKMP_NP_CERT, i)); i++) {
			if (!ike_cert_parse(cp->body, cp->len, &c, &why) &&
			    c.enc == CERT_X509_SIGNATURE)
				break;
		}
		if (!cp) {
			ike_fail(ike, &sa->remote, IKE_FAIL_CERT,
				 "phase 1: certificate: the peer (ID %s) sent no X.509 certificate%s",
				 sa->peer_id_str,
				 sa->initiator ? "" : " although we asked for one (CERTREQ)");
			return -EACCES;
		}
		if (verify_with_chain(sa, m, cp, &c))
			return -EACCES;
		if (!cert_matches_id(sa->peer_cert, &id)) {
			char subj[256];

			cert_name_str(X509_get_subject_name(sa->peer_cert),
				      subj, sizeof(subj));
			ike_fail(ike, &sa->remote, IKE_FAIL_ID,
				 "phase 1: mismatched ID: the peer says it is %s (%s), but its certificate is %s",
				 sa->peer_id_str, ike_id_type_name(id.type), subj);
			return -EACCES;
		}
		if (sa->initiator && cert_check_server(sa))
			return -EACCES;
		pub = X509_get0_pubkey(sa->peer_cert);
		if (!sp || !pub ||
		    ike_rsa_verify(pub, want, sa->k.prf_len, sp->body,
				   sp->len)) {
			ike_fail(ike, &sa->remote, IKE_FAIL_CERT,
				 "phase 1: the peer's signature (SIG_%c) does not verify with the public key of its certificate",
				 sa->initiator ? 'R' : 'I');
			return -EACCES;
		}
	}
	return p1_check_id(sa, &id);

psk_garbage:
	ike_fail(ike, &sa->remote, IKE_FAIL_PSK,
		 "phase 1: pre-shared key mismatch: message %u does not decrypt with our key; check the PSK configured for this peer",
		 msgno);
	return -EACCES;
}
