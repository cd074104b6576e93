// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd IKEv1: the read-only view `l2tpsec status` shows (view.h).
 */
#include <arpa/inet.h>
#include <string.h>

#include "ike_int.h"
#include "loop.h"
#include "view.h"

static const char *p1_state_str(enum p1_state s)
{
	switch (s) {
	case P1_I_MM1: return "MM1 sent";
	case P1_I_MM3: return "MM3 sent";
	case P1_I_MM5: return "MM5 sent";
	case P1_R_MM2: return "MM2 sent";
	case P1_R_MM4: return "MM4 sent";
	case P1_I_AM1: return "AM1 sent";
	case P1_R_AM2: return "AM2 sent";
	case P1_ESTABLISHED: return "established";
	}
	return "?";
}

void ike_for_each_sa(const struct ike *ike,
		     void (*fn)(void *arg, const struct ike_sa_view *v),
		     void *arg)
{
	uint64_t now = loop_now_ms(ike->loop);
	const struct ike_sa *sa;
	struct ike_sa_view v;

	for (sa = ike->sas; sa; sa = sa->lnext) {
		if (sa->deleting)
			continue;
		memset(&v, 0, sizeof(v));
		v.remote = sa->remote;
		v.local = sa->local;
		v.initiator = sa->initiator;
		v.established = sa->state == P1_ESTABLISHED;
		v.state = sa->rekeyed ? "rekeyed" : p1_state_str(sa->state);
		v.mode = sa->state == P1_I_AM1 || sa->state == P1_R_AM2 ?
			 "aggressive" : "main";
		v.age_ms = now - sa->created;
		if (v.established) {
			v.lifetime_s = sa->lifetime;
			p1_alg_str(&sa->xf.alg, v.proposal, sizeof(v.proposal));
			v.auth = ike_auth_name(sa->xf.auth);
		}
		v.peer_id = sa->peer_id_str;
		v.natt = sa->natt_rfc ? "rfc3947" : sa->natt_draft ? "draft" :
			 "no";
		v.nat_local = sa->nat_local;
		v.nat_remote = sa->nat_remote;
		v.dpd = sa->peer_dpd;
		v.dpd_pending = sa->dpd_sent_at != 0;
		v.idle_ms = sa->last_rx ? now - sa->last_rx : v.age_ms;
		v.peer = sa->rem ? sa->rem->peer_id : 0;
		fn(arg, &v);
	}
}

static const char *child_state_str(enum child_state s)
{
	switch (s) {
	case CHILD_LARVAL: return "larval";
	case CHILD_INSTALLED: return "installed";
	case CHILD_DYING: return "dying";
	}
	return "?";
}

void ike_for_each_child(const struct ike *ike,
			void (*fn)(void *arg, const struct ike_child_view *v),
			void *arg)
{
	uint64_t now = loop_now_ms(ike->loop);
	const struct ike_remote *rem;
	const struct ike_child *c;
	struct ike_child_view v;

	for (rem = ike->remotes; rem; rem = rem->next) {
		for (c = rem->children; c; c = c->next) {
			memset(&v, 0, sizeof(v));
			v.peer = rem->peer_id;
			v.remote = rem->addr;
			v.udp_encap = rem->udp_encap;
			v.state = child_state_str(c->state);
			v.initiator = c->initiator;
			v.tx = rem->tx == c;
			v.spi_in = c->spi_in;
			v.spi_out = c->spi_out;
			p2_alg_str(&c->alg, v.proposal, sizeof(v.proposal));
			v.age_ms = now - c->created;
			v.life_s = c->life_s;
			v.life_bytes = c->life_bytes;
			v.seen_in = c->seen_in;
			v.rekeying = c->rekeying;
			fn(arg, &v);
		}
	}
}

enum l2_fail_class ike_fail_class(enum ike_fail_kind kind, const char *text)
{
	bool p1 = !strncmp(text, "phase 1", 7);

	switch (kind) {
	case IKE_FAIL_NO_PROPOSAL:
		return p1 ? L2_FC_P1_PROPOSAL : L2_FC_P2_PROPOSAL;
	case IKE_FAIL_PSK:
		return L2_FC_PSK;
	case IKE_FAIL_CERT:
		return L2_FC_CERT;
	case IKE_FAIL_ID:
	case IKE_FAIL_SELECTOR:
		return L2_FC_SELECTOR;
	case IKE_FAIL_SILENT:
		/* "no answer to message 5: most likely a pre-shared key mismatch" */
		return strstr(text, "pre-shared key") ? L2_FC_PSK :
		       L2_FC_NOTHING_ARRIVES;
	case IKE_FAIL_NAT:
		return L2_FC_NAT_NO_NATT;
	case IKE_FAIL_AGGRESSIVE:
		return L2_FC_P1_PROPOSAL;
	case IKE_FAIL_DPD:
		return L2_FC_DEAD_PEER;
	default:
		return L2_FC_OTHER;
	}
}
