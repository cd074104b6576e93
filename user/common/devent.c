// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's events (devent.h).
 */
#include <string.h>
#include <sys/time.h>

#include "devent.h"

static const char *const kind_names[L2_DEV_MAX] = {
	[L2_DEV_LOGIN]		= "login",
	[L2_DEV_LOGOUT]		= "logout",
	[L2_DEV_AUTH_FAIL]	= "auth-failure",
	[L2_DEV_IKE_FAIL]	= "ike-failure",
	[L2_DEV_REKEY]		= "rekey",
	[L2_DEV_PEER_FLOAT]	= "peer-float",
	[L2_DEV_FAILURE]	= "failure",
};

const char *l2_devent_kind_name(enum l2_devent_kind k)
{
	return (unsigned int)k < L2_DEV_MAX ? kind_names[k] : "?";
}

static l2_devent_sink_fn sink_fn;
static void *sink_arg;

void l2_devent_set_sink(l2_devent_sink_fn fn, void *arg)
{
	sink_fn = fn;
	sink_arg = arg;
}

void l2_devent_emit(const struct l2_devent *e)
{
	struct l2_devent c;
	struct timeval tv;

	if (!sink_fn)
		return;
	c = *e;
	if (!c.time_ms) {
		gettimeofday(&tv, NULL);
		c.time_ms = (uint64_t)tv.tv_sec * 1000 +
			    (uint64_t)tv.tv_usec / 1000;
	}
	sink_fn(sink_arg, &c);
}

enum l2_devent_kind l2_devent_of_failure(enum l2_fail_class c,
					 const char *layer)
{
	switch (c) {
	case L2_FC_PPP_AUTH:
	case L2_FC_NO_AUTH_PROTO:
		return L2_DEV_AUTH_FAIL;
	case L2_FC_NOTHING_ARRIVES:
	case L2_FC_P1_PROPOSAL:
	case L2_FC_PSK:
	case L2_FC_CERT:
	case L2_FC_P2_PROPOSAL:
	case L2_FC_SELECTOR:
	case L2_FC_NAT_NO_NATT:
		return L2_DEV_IKE_FAIL;
	case L2_FC_OTHER:
		return layer && !strcmp(layer, "ike") ? L2_DEV_IKE_FAIL :
		       L2_DEV_FAILURE;
	default:
		return L2_DEV_FAILURE;
	}
}
