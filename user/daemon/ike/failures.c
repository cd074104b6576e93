// SPDX-License-Identifier: GPL-2.0
/*
 * l2tpsecd IKEv1: failure records: one line per failure an administrator
 * must act on (naming the peer, the cause and the fix), rate-limited per
 * kind, and the list `l2tpsec daemon failures` shows.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "ike_int.h"
#include "kmod.h"
#include "log.h"
#include "loop.h"
#include "view.h"

#define IKE_FAIL_QUIET_S	10	/* repeat a failure line after */

/* ---- failure records ----------------------------------------------------- */

#define IKE_FAIL_BURST		10	/* lines per kind per window */
#define IKE_FAIL_WINDOW_MS	10000

/*
 * Many peers failing the same way at once (half-open SAs of a spoofed
 * flood timing out): IKE_FAIL_BURST lines per kind and window, then one
 * line with how many were not logged. The records are kept regardless.
 */
static bool fail_quiet(struct ike *ike, enum ike_fail_kind kind,
		       const struct sockaddr_in *peer, const char *text)
{
	struct ike_fail_rl *rl = &ike->fail_rl[kind < IKE_FAIL_MAX ? kind : 0];
	uint64_t now = ike_now(ike) + 1;

	if (!rl->window || now - rl->window >= IKE_FAIL_WINDOW_MS) {
		if (rl->suppressed)
			log_peer(LOG_LVL_ERR, LOG_IKE, peer,
				 "%s (and %u more %s failures of other peers not logged in the last %u s)",
				 text, rl->suppressed, ike_fail_name(kind),
				 (unsigned int)((now - rl->window) / 1000));
		rl->window = now;
		rl->lines = 0;
		if (rl->suppressed) {
			rl->suppressed = 0;
			rl->lines = 1;
			return true;	/* logged with the count */
		}
	}
	if (rl->lines < IKE_FAIL_BURST) {
		rl->lines++;
		return false;
	}
	rl->suppressed++;
	return true;
}

void ike_fail(struct ike *ike, const struct sockaddr_in *peer,
	      enum ike_fail_kind kind, const char *fmt, ...)
{
	struct ike_failure *f = NULL;
	char text[sizeof(f->text)];
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	l2_fail_note(peer, NULL, ike_fail_class(kind, text), "ike", "%s", text);

	for (i = 0; i < ike->nfailures; i++) {
		if (ike->failures[i].peer.sin_addr.s_addr ==
		    peer->sin_addr.s_addr) {
			f = &ike->failures[i];
			break;
		}
	}
	/* A client retrying the same thing: one line, counted. */
	if (f && f->kind == kind && !strcmp(f->text, text) &&
	    time(NULL) - f->when < IKE_FAIL_QUIET_S) {
		f->count++;
		f->when = time(NULL);
		log_peer(LOG_LVL_DEBUG, LOG_IKE, peer, "%s (again, %u times)",
			 text, f->count);
		return;
	}
	if (fail_quiet(ike, kind, peer, text))
		log_peer(LOG_LVL_DEBUG, LOG_IKE, peer, "%s", text);
	else
		log_peer(LOG_LVL_ERR, LOG_IKE, peer, "%s", text);
	if (!f) {
		if (ike->nfailures < IKE_MAX_FAILURES) {
			f = &ike->failures[ike->nfailures++];
		} else {
			/* Forget the oldest. */
			f = &ike->failures[0];
			for (i = 1; i < ike->nfailures; i++)
				if (ike->failures[i].when < f->when)
					f = &ike->failures[i];
		}
		memset(f, 0, sizeof(*f));
	}
	f->peer = *peer;
	f->when = time(NULL);
	f->kind = kind;
	f->count++;
	snprintf(f->text, sizeof(f->text), "%s", text);
}

#define IKE_REFUSE_QUIET_MS	10000

void ike_refuse(struct ike *ike, enum ike_refusal cause,
		const struct sockaddr_in *peer, const char *fmt, ...)
{
	struct ike_refuse_rl *rl = &ike->refuse[cause];
	uint64_t now = ike_now(ike) + 1;	/* 0 means never */
	char text[512];
	va_list ap;

	if (rl->last && now - rl->last < IKE_REFUSE_QUIET_MS) {
		rl->suppressed++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (rl->suppressed)
		log_peer(LOG_LVL_WARN, LOG_IKE, peer,
			 "%s (%u more like it in the last %u s not logged)",
			 text, rl->suppressed,
			 (unsigned int)((now - rl->last) / 1000));
	else
		log_peer(LOG_LVL_WARN, LOG_IKE, peer, "%s", text);
	rl->last = now;
	rl->suppressed = 0;
}

static int cmp_fail(const void *a, const void *b)
{
	const struct ike_failure *x = a, *y = b;

	return x->when < y->when ? 1 : x->when > y->when ? -1 : 0;
}

size_t ike_failures(const struct ike *ike, const struct ike_failure **out)
{
	struct ike *m = (struct ike *)ike;

	memcpy(m->failures_out, ike->failures,
	       ike->nfailures * sizeof(ike->failures[0]));
	qsort(m->failures_out, ike->nfailures, sizeof(m->failures_out[0]),
	      cmp_fail);
	*out = m->failures_out;
	return ike->nfailures;
}

void ike_get_counters(const struct ike *ike, struct ike_counters *c)
{
	*c = ike->cnt;
}
