// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd IKE: reloading [ike] and [peer NAME] (SIGHUP) without touching
 * established SAs, and --check-config's checks of the credentials.
 *
 * SAs, remotes and initiators point at their struct ike_peer_conf. A
 * reload keeps those objects where they are: a [peer] that stays gets
 * its new settings copied into its old object, [ike]'s defaults are
 * copied into ike->conf.defpeer in place, and a removed [peer] still in
 * use by an SA is kept on ike->retired until nothing points at it. An
 * established SA keeps its keys; what it negotiates next (Quick Mode
 * proposals, lifetimes, a phase 1 rekey's PSK) comes from the new file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <openssl/x509.h>

#include "ike_int.h"
#include "log.h"

#define RESTART_HINT	"needs a restart (systemctl restart l2tpsecd)"

struct ike_reload {
	struct ike_conf	*nc;
	struct ike	*creds;		/* credentials loaded from @nc */
	bool		keep_creds;	/* the running ones stay */
};

struct ike_conf *ike_conf_new(void)
{
	struct ike_conf *c = malloc(sizeof(*c));

	if (c)
		ike_conf_defaults(c);
	return c;
}

void ike_conf_destroy(struct ike_conf *c)
{
	if (!c)
		return;
	ike_conf_free(c);
	free(c);
}

/* Credentials of @c into a scratch struct ike; NULL after logging why. */
static struct ike *load_creds(const struct ike_conf *c)
{
	struct ike *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->conf.cert_file = c->cert_file;
	t->conf.key_file = c->key_file;
	t->conf.ca_file = c->ca_file;
	t->conf.crl_file = c->crl_file;
	if (cert_load(t)) {
		cert_free(t);
		free(t);
		return NULL;
	}
	return t;
}

static void free_creds(struct ike *t)
{
	if (!t)
		return;
	cert_free(t);
	free(t);
}

int ike_conf_check(const struct ike_conf *c)
{
	struct ike *t = load_creds(c);

	if (!t)
		return 1;
	if (t->cert) {
		if (X509_cmp_current_time(X509_get0_notAfter(t->cert)) <= 0)
			log_msg(LOG_LVL_WARN, LOG_CONFIG,
				"[ike] cert %s has expired: peers will refuse it",
				c->cert_file);
		else if (X509_cmp_current_time(X509_get0_notBefore(t->cert)) >= 0)
			log_msg(LOG_LVL_WARN, LOG_CONFIG,
				"[ike] cert %s is not valid yet: peers will refuse it (is the clock right?)",
				c->cert_file);
	}
	free_creds(t);
	return 0;
}

const char *ike_conf_initiator(const struct ike_conf *c, unsigned int i)
{
	const struct ike_peer_conf *pc;

	for (pc = c->peers; pc; pc = pc->next)
		if (pc->initiate && !i--)
			return pc->name;
	return NULL;
}

static bool creds_changed(const struct ike_conf *o, const struct ike_conf *n)
{
	const char *a[4] = { o->cert_file, o->key_file, o->ca_file,
			     o->crl_file };
	const char *b[4] = { n->cert_file, n->key_file, n->ca_file,
			     n->crl_file };
	unsigned int i;

	for (i = 0; i < 4; i++)
		if ((a[i] == NULL) != (b[i] == NULL) ||
		    (a[i] && strcmp(a[i], b[i])))
			return true;
	return false;
}

struct ike_reload *ike_reload_prepare(struct ike *ike, struct ike_conf *nc)
{
	const struct ike_conf *o = &ike->conf;
	struct ike_reload *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->nc = nc;
	if (o->listen.s_addr != nc->listen.s_addr) {
		log_msg(LOG_LVL_WARN, LOG_CONFIG,
			"reload: [ike] listen changed; " RESTART_HINT);
		nc->listen = o->listen;
	}
	if (o->port != nc->port) {
		log_msg(LOG_LVL_WARN, LOG_CONFIG,
			"reload: [ike] port changed; " RESTART_HINT);
		nc->port = o->port;
	}
	if (o->natt_port != nc->natt_port) {
		log_msg(LOG_LVL_WARN, LOG_CONFIG,
			"reload: [ike] natt-port changed; " RESTART_HINT);
		nc->natt_port = o->natt_port;
	}
	/*
	 * Loaded again even when the names are the same: a renewed
	 * certificate keeps its file name.
	 */
	if (creds_changed(o, nc)) {
		r->creds = load_creds(nc);
		if (!r->creds) {
			free(r);
			return NULL;
		}
	} else if (nc->cert_file || nc->ca_file) {
		/*
		 * The same names: a file that cannot be read again (the
		 * daemon runs as [daemon] user now) keeps the running ones
		 * rather than refusing the users' and pool's changes.
		 */
		r->creds = load_creds(nc);
		if (!r->creds)
			log_msg(LOG_LVL_WARN, LOG_CONFIG,
				"reload: [ike] cert, key, ca or crl could not be read again (see above); the running ones are kept");
		r->keep_creds = !r->creds;
	}
	return r;
}

void ike_reload_abort(struct ike_reload *r)
{
	if (!r)
		return;
	free_creds(r->creds);
	free(r);
}

static bool pc_in_use(const struct ike *ike, const struct ike_peer_conf *pc)
{
	const struct ike_remote *rem;
	const struct ike_sa *sa;

	for (sa = ike->sas; sa; sa = sa->lnext)
		if (sa->pc == pc)
			return true;
	for (rem = ike->remotes; rem; rem = rem->next)
		if (rem->pc == pc)
			return true;
	return false;
}

/* Swap what two peer configurations hold, their list links excepted. */
static void pc_swap(struct ike_peer_conf *a, struct ike_peer_conf *b)
{
	struct ike_peer_conf t = *a;
	struct ike_peer_conf *an = a->next, *bn = b->next;

	*a = *b;
	*b = t;
	a->next = an;
	b->next = bn;
}

static struct ike_peer_conf *detach(struct ike_peer_conf **list,
				    const char *name)
{
	struct ike_peer_conf **pp, *pc;

	for (pp = list; (pc = *pp); pp = &pc->next)
		if (!strcmp(pc->name, name)) {
			*pp = pc->next;
			pc->next = NULL;
			return pc;
		}
	return NULL;
}

static void free_pc(struct ike_peer_conf *pc)
{
	ike_peer_conf_free(pc);
	free(pc);
}

/* Retired [peer] sections nothing points at any more go. */
static void reap_retired(struct ike *ike)
{
	struct ike_peer_conf **pp = &ike->retired, *pc;

	while ((pc = *pp)) {
		if (pc_in_use(ike, pc)) {
			pp = &pc->next;
			continue;
		}
		*pp = pc->next;
		free_pc(pc);
	}
}

void ike_reload_commit(struct ike *ike, struct ike_reload *r)
{
	struct ike_conf *nc = r->nc, old;
	struct ike_peer_conf *result = NULL, **tail = &result, *npc, *opc;
	unsigned int kept = 0, added = 0, removed = 0;

	/* [peer NAME]: the running objects take the new settings */
	while ((npc = nc->peers)) {
		nc->peers = npc->next;
		npc->next = NULL;
		opc = detach(&ike->conf.peers, npc->name);
		if (opc) {
			pc_swap(opc, npc);
			free_pc(npc);	/* now the old settings */
			npc = opc;
			kept++;
		} else {
			added++;
		}
		*tail = npc;
		tail = &npc->next;
	}
	while ((opc = ike->conf.peers)) {
		ike->conf.peers = opc->next;
		removed++;
		if (pc_in_use(ike, opc)) {
			log_msg(LOG_LVL_INFO, LOG_CONFIG,
				"reload: [peer %s] removed: its SAs stay up until they end; no new negotiation uses it",
				opc->name);
			opc->initiate = false;
			opc->next = ike->retired;
			ike->retired = opc;
		} else {
			free_pc(opc);
		}
	}
	/* [ike], its defaults (&ike->conf.defpeer stays where it is) */
	old = ike->conf;
	old.peers = NULL;
	ike->conf = *nc;
	ike->conf.peers = result;
	*nc = old;	/* the caller's ike_conf_destroy() frees the old */
	if (r->keep_creds) {
		/* the running credentials stay, with their names */
	} else if (r->creds) {
		cert_free(ike);
		ike->cert = r->creds->cert;
		ike->chain = r->creds->chain;
		ike->key = r->creds->key;
		ike->ca = r->creds->ca;
		ike->ca_name = r->creds->ca_name;
		r->creds->cert = NULL;
		r->creds->chain = NULL;
		r->creds->key = NULL;
		r->creds->ca = NULL;
		r->creds->ca_name = NULL;
	} else {
		cert_free(ike);
	}
	reap_retired(ike);
	if (ike->started && ike_sync_initiators(ike))
		log_msg(LOG_LVL_ERR, LOG_IKE,
			"reload: out of memory starting the connections to initiate");
	log_msg(LOG_LVL_INFO, LOG_CONFIG,
		"reload: IKE: %u [peer] sections kept, %u added, %u removed",
		kept, added, removed);
	ike_reload_abort(r);
}
